//! API calls per second, round trip over loopback against the simulated NapCat
//! (budget: ≥ 20,000 calls/s with many calls in flight).
//!
//! `cargo bench --bench calls`

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::future::join_all;
use serde_json::{Value, json};

use napterm::onebot::{Client, ClientEvent, ConnState, ConnectOptions};
use napterm::sim::{Sim, SimConfig};

const BATCH: usize = 1000;

/// A simulator and a connected client, on one runtime that stays up for all samples.
fn connect(rt: &tokio::runtime::Runtime) -> (Sim, Client) {
    rt.block_on(async {
        let sim = Sim::start(SimConfig {
            heartbeat_interval: Duration::ZERO,
            ..SimConfig::default()
        })
        .await
        .expect("simulator starts");
        let (client, mut events) = Client::connect(ConnectOptions {
            url: sim.url(),
            ..ConnectOptions::default()
        });
        while let Some(e) = events.recv().await {
            if let ClientEvent::State(ConnState::Connected { .. }) = e {
                break;
            }
        }
        // Keep the event channel drained so it never grows during the run.
        tokio::spawn(async move { while events.recv().await.is_some() {} });
        (sim, client)
    })
}

async fn batch(client: &Client, n: usize) -> usize {
    let replies = join_all((0..n).map(|_| client.call("get_status", json!({})))).await;
    let ok = replies
        .iter()
        .filter(|r| matches!(r, Ok(Value::Object(_))))
        .count();
    assert_eq!(ok, n, "every call must succeed: {:?}", replies.first());
    ok
}

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (sim, client) = connect(&rt);

    let mut g = c.benchmark_group("calls");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("get_status_x1000_in_flight", |b| {
        b.iter(|| rt.block_on(batch(&client, BATCH)))
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("get_status_one_at_a_time", |b| {
        b.iter(|| rt.block_on(batch(&client, 1)))
    });
    g.finish();

    client.stop();
    rt.block_on(sim.shutdown());
}

criterion_group!(calls, benches);
criterion_main!(calls);
