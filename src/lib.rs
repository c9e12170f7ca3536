//! napterm: a keyboard-driven terminal QQ client for NapCat (OneBot 11).

pub mod onebot;
pub mod sim;
