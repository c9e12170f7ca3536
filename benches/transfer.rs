//! Saving a 200 MB file against the simulator over loopback, the way `s` does it (the runtime's
//! transfer into a temporary file in the download folder, then its name): by HTTP (budget ≥ 100
//! MB/s) and by NapCat's WebSocket stream (budget ≥ 30 MB/s); resident memory may grow ≤ 20 MB
//! during either, and a 16 ms timer on the same runtime (the loop's frame clock) keeps ticking.
//!
//! `cargo bench --bench transfer` (`NAPTERM_BENCH_MB=50` for a smaller file)

use std::time::{Duration, Instant};

use napterm::app::Msg;
use napterm::app::transfer::{Purpose, SaveJob, Source, StreamKind, TransferEvent};
use napterm::onebot::segment::FileData;
use napterm::onebot::{
    Client, ClientEvent, ConnState, ConnectOptions, MessageChain, Peer, Segment,
};
use napterm::runtime::transfer::{TransferOptions, Transfers};
use napterm::sim::world::roster;
use napterm::sim::{Sim, SimConfig};

/// Resident set size in kB, from /proc (Linux).
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

struct Run {
    secs: f64,
    rss_growth_kb: u64,
    worst_tick_ms: f64,
}

async fn run(transfers: &mut Transfers, client: &Client, job: SaveJob) -> Run {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Msg>();
    let base = rss_kb();
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(base));
    let worst = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let (p, w) = (peak.clone(), worst.clone());
    let sampler = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(16));
        let mut last = Instant::now();
        loop {
            tick.tick().await;
            let now = Instant::now();
            let late = now.duration_since(last).as_micros() as u64;
            w.fetch_max(late, std::sync::atomic::Ordering::Relaxed);
            last = now;
            p.fetch_max(rss_kb(), std::sync::atomic::Ordering::Relaxed);
        }
    });
    let start = Instant::now();
    transfers.save(job, client, &tx);
    loop {
        match rx.recv().await {
            Some(Msg::Transfer(TransferEvent::Saved { .. })) => break,
            Some(Msg::Transfer(TransferEvent::Failed { reason, .. })) => panic!("failed: {reason}"),
            Some(_) => {}
            None => panic!("no result"),
        }
    }
    let secs = start.elapsed().as_secs_f64();
    sampler.abort();
    Run {
        secs,
        rss_growth_kb: peak
            .load(std::sync::atomic::Ordering::Relaxed)
            .saturating_sub(base),
        worst_tick_ms: worst.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1000.0,
    }
}

fn main() {
    let mb: usize = std::env::var("NAPTERM_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async move {
        let sim = Sim::start(SimConfig::default()).await.expect("sim");
        let len = mb * 1024 * 1024;
        let id = "/bbbbbbbb-0000-4000-8000-000000000200";
        sim.put_blob(id, napterm::sim::world::made_bytes("bench", len));
        let seg = Segment::File(Box::new(FileData {
            file: "big.bin".into(),
            file_id: Some(id.into()),
            file_size: Some(len as u64),
            ..Default::default()
        }));
        // A group file, so that the stream resolves it as NapCat does.
        let ev = sim.with_world(|w| {
            w.receive(Peer::Group(roster::GROUP_OWNED), 20002, MessageChain(vec![seg]))
        });
        drop(ev);
        let (client, mut events) = Client::connect(ConnectOptions {
            url: sim.url(),
            ..ConnectOptions::default()
        });
        loop {
            if let Some(ClientEvent::State(ConnState::Connected { .. })) = events.recv().await {
                break;
            }
        }
        tokio::spawn(async move { while events.recv().await.is_some() {} });
        let dir = std::env::temp_dir().join(format!("napterm-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("folder");
        let mut transfers = Transfers::new(TransferOptions {
            download_dir: dir.clone(),
            ..TransferOptions::default()
        });
        let url = sim.with_world(|w| w.file_url(id, "big.bin"));
        let jobs = [
            ("HTTP", Source::Url { url, message_id: None, file: "big.bin".into() }, 100.0),
            ("stream", Source::Stream { kind: StreamKind::File, file: id.into() }, 30.0),
        ];
        for (i, (what, source, budget)) in jobs.into_iter().enumerate() {
            let job = SaveJob {
                id: i as u64 + 1,
                name: format!("big-{what}.bin"),
                size: Some(len as u64),
                sources: vec![source],
                purpose: Purpose::Save,
            };
            let r = run(&mut transfers, &client, job).await;
            let speed = mb as f64 / r.secs;
            println!(
                "{mb} MB by {what}: {:.2} s, {speed:.0} MB/s (budget ≥ {budget} MB/s), resident +{:.1} MB (budget ≤ 20), worst 16 ms tick {:.1} ms",
                r.secs,
                r.rss_growth_kb as f64 / 1024.0,
                r.worst_tick_ms
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
        sim.shutdown().await;
    });
}
