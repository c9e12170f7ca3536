//! `napterm demo`: the simulated NapCat in-process on a free loopback port, its gentle live
//! stream on, and the interactive client connected to it.

use super::{EXIT_USAGE, Failure, interactive};
use crate::config::Settings;
use crate::onebot::Client;
use crate::sim::{Sim, SimConfig};

/// Starts the simulator, runs the client against it, and shuts the simulator down.
pub async fn run(mut settings: Settings, big: bool) -> Result<(), Failure> {
    let sim = Sim::start(SimConfig {
        live: true,
        big,
        ..SimConfig::default()
    })
    .await
    .map_err(|e| Failure::new(EXIT_USAGE, format!("cannot start the simulator: {e}")))?;
    // The user's real token has no business going to the simulator.
    settings.url = sim.url();
    settings.token = None;
    let (client, events) = Client::connect(settings.connect_options());
    let outcome = interactive::run(client, events, &settings, interactive::Session::Demo).await;
    sim.shutdown().await;
    outcome
}
