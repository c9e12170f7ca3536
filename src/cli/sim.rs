//! `napterm sim`: the simulated NapCat on its own.
//!
//! Without `--rate`/`--count` it runs the gentle live stream until Ctrl+C. With them it is a
//! ptymeter load driver (see `../shared/ptymeter/README.md`): `READY` once listening, the flood
//! on `GO` (or, with a terminal on stdin, on the first client), `SENT <marker> real:<ns>` per
//! message, `DONE <n>`, then it lingers until stdin closes.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use tokio::io::AsyncBufReadExt;

use super::{EXIT_USAGE, Failure};
use crate::cli::SimArgs;
use crate::config::Settings;
use crate::sim::{Sim, SimConfig};

/// How often the driver looks for a first client when stdin is a terminal.
const CLIENT_POLL: Duration = Duration::from_millis(50);

/// Runs the simulator as the arguments say.
pub async fn run(args: &SimArgs, settings: &Settings) -> Result<(), Failure> {
    let flood = args.flood();
    let sim = Sim::start(SimConfig {
        listen: args.listen,
        token: settings.token.as_ref().map(|t| t.expose().to_string()),
        live: flood.is_none(),
        big: args.big,
        ..SimConfig::default()
    })
    .await
    .map_err(|e| Failure::new(EXIT_USAGE, format!("cannot listen on {}: {e}", args.listen)))?;
    let auth = if settings.token.is_some() {
        "token required"
    } else {
        "no token"
    };
    let listening = format!(
        "napterm sim: simulated NapCat listening on {} ({auth})",
        sim.url()
    );
    let outcome = match flood {
        None => {
            println!("{listening}; live stream on, Ctrl+C stops");
            wait_for_signal().await;
            Ok(())
        }
        Some((rate, count)) => {
            // stdout carries the driver protocol; the human line goes to stderr.
            eprintln!("{listening}; flood of {count} messages at {rate}/s");
            drive(&sim, rate, count).await
        }
    };
    sim.shutdown().await;
    outcome
}

/// Ctrl+C or SIGTERM.
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Writes one protocol line and flushes it at once (the harness timestamps on arrival).
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// What stdin said before the flood.
enum Start {
    /// `GO` arrived.
    Go,
    /// stdin ended without `GO` (no harness attached): start on the first client instead.
    NoHandshake,
}

/// The driver: READY, wait for the start signal, flood, DONE, linger.
async fn drive(sim: &Sim, rate: f64, count: u64) -> Result<(), Failure> {
    say("READY");
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let interactive = std::io::stdin().is_terminal();
    let start = if interactive {
        wait_for_client(sim).await;
        Start::NoHandshake
    } else {
        loop {
            match lines.next_line().await {
                Ok(Some(l)) if l.trim() == "GO" => break Start::Go,
                Ok(Some(_)) => continue,
                Ok(None) | Err(_) => break Start::NoHandshake,
            }
        }
    };
    if let Start::NoHandshake = start
        && !interactive
    {
        wait_for_client(sim).await;
    }
    let sent = flood(sim, rate, count).await;
    say(&format!("DONE {sent}"));
    match start {
        // The harness closes stdin when it has measured enough.
        Start::Go => while let Ok(Some(_)) = lines.next_line().await {},
        Start::NoHandshake if interactive => while let Ok(Some(_)) = lines.next_line().await {},
        // Nobody will close stdin (it is already closed): stay up until told to stop.
        Start::NoHandshake => wait_for_signal().await,
    }
    Ok(())
}

async fn wait_for_client(sim: &Sim) {
    while sim.connection_count() == 0 {
        tokio::time::sleep(CLIENT_POLL).await;
    }
}

/// Pushes `count` messages at `rate` per second, reporting each; returns how many were sent.
async fn flood(sim: &Sim, rate: f64, count: u64) -> u64 {
    let mut sent = 0;
    sim.flood(rate, count, |_, marker| {
        say(&format!("SENT {marker} real:{}", wall_clock_ns()));
        sent += 1;
    })
    .await;
    sent
}

/// CLOCK_REALTIME in nanoseconds, as ptymeter's `real:` timestamps expect.
fn wall_clock_ns() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}
