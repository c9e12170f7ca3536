//! A simulated NapCat: a loopback WebSocket server that answers like the real one.

pub mod server;
pub mod world;

pub use server::{RecordedCall, Sim, SimConfig};
pub use world::World;
