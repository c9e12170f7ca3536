//! A simulated NapCat: a loopback WebSocket server that answers like the real one.

pub mod world;
