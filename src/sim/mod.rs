//! A simulated NapCat: a loopback WebSocket server that answers like the real one.

mod http;
pub mod server;
pub mod world;

pub use server::{HttpFault, RecordedCall, Sim, SimConfig};
pub use world::World;
