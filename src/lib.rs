//! napterm: a keyboard-driven terminal QQ client for NapCat (OneBot 11).

pub mod app;
pub mod cli;
pub mod config;
pub mod lazy;
pub mod logging;
pub mod onebot;
pub mod runtime;
pub mod sim;
pub mod store;
pub mod ui;
