//! The transfer foundation against the simulator over loopback: the HTTP fetcher (schemes,
//! sizes, caps, expired rkeys, faults, the bound on fetches at once, the log), the simulator's
//! HTTP server, and NapCat's stream actions over the WebSocket (several frames under one echo,
//! errors, a dropped connection, uploads by `upload_file_stream` with the SHA-256 checked).

use std::sync::Arc;
use std::time::Duration;

use napterm::onebot::api::{DOWNLOAD_CHUNK, StreamUpload};
use napterm::onebot::{Client, ClientEvent, ConnState, ConnectOptions, Error, StreamFrame};
use napterm::runtime::fetch::{Expect, FetchError, FetchLimits, Fetcher, FileSink, MemorySink};
use napterm::sim::{HttpFault, Sim, SimConfig};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::time::Instant;

const PATIENCE: Duration = Duration::from_secs(10);

async fn sim() -> Sim {
    Sim::start(SimConfig::default()).await.expect("sim starts")
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchLimits::default()).expect("fetcher")
}

/// Bytes that differ at every offset (a pattern would hide a chunk sent twice).
fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

async fn connected(sim: &Sim) -> Client {
    let (client, mut events) = Client::connect(ConnectOptions {
        url: sim.url(),
        ..ConnectOptions::default()
    });
    let deadline = Instant::now() + PATIENCE;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(ClientEvent::State(ConnState::Connected { .. }))) => break,
            Ok(Some(_)) => {}
            other => panic!("never connected: {other:?}"),
        }
    }
    // Keep draining events so the channel never matters.
    tokio::spawn(async move { while events.recv().await.is_some() {} });
    client
}

async fn eventually(what: &str, mut holds: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !holds() {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn a_file_link_is_fetched_byte_for_byte_into_memory_and_into_a_file() {
    let sim = sim().await;
    let data = bytes(700_000, 1);
    sim.put_blob("/be2a7132-8e06-4aab-b3b6-e063d2f98230", data.clone());
    let url = sim.with_world(|w| w.file_url("/be2a7132-8e06-4aab-b3b6-e063d2f98230", "课件 1.pdf"));
    assert!(
        url.starts_with(&format!("{}/ftn_handler/", sim.http_base())),
        "{url}"
    );
    assert!(url.contains("?fname=%E8%AF%BE"), "{url}");

    let f = fetcher();
    let mut memory = MemorySink::new(1 << 20);
    let got = f
        .fetch(
            &url,
            Expect {
                size: Some(data.len() as u64),
                max_bytes: None,
            },
            &mut memory,
        )
        .await
        .expect("fetched");
    assert_eq!(got.bytes, data.len() as u64);
    assert!(memory.bytes() == data.as_slice());

    let dir = std::env::temp_dir().join(format!("napterm-fetch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("out.bin");
    let mut file = FileSink::new(tokio::fs::File::create(&path).await.unwrap());
    f.fetch(&url, Expect::default(), &mut file)
        .await
        .expect("fetched");
    assert_eq!(file.finish().await.unwrap(), data.len() as u64);
    assert!(std::fs::read(&path).unwrap() == data);
    std::fs::remove_dir_all(&dir).unwrap();

    let log = f.log().records();
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|r| r.status == Some(200) && r.result.is_ok())
    );
    assert_eq!(sim.http_requests().len(), 2);
}

#[tokio::test]
async fn a_full_disk_ends_a_fetch_with_a_write_error_that_says_so() {
    // /dev/full refuses every write with ENOSPC, as a full disk does.
    let Ok(full) = tokio::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .await
    else {
        eprintln!("no /dev/full on this system: skipped");
        return;
    };
    let sim = sim().await;
    let data = bytes(700_000, 7);
    sim.put_blob("/be2a7132-8e06-4aab-b3b6-e063d2f98237", data);
    let url = sim.with_world(|w| w.file_url("/be2a7132-8e06-4aab-b3b6-e063d2f98237", "a.bin"));
    let mut sink = FileSink::new(full);
    match fetcher().fetch(&url, Expect::default(), &mut sink).await {
        Err(FetchError::Write(why)) => {
            assert!(why.contains("磁盘已满"), "{why}");
            assert!(!why.contains("os error"), "{why}");
        }
        other => panic!("a full disk was not a write error: {other:?}"),
    }
}

#[tokio::test]
async fn an_expired_rkey_is_told_apart_and_a_refreshed_link_works() {
    let sim = sim().await;
    let data = bytes(5_000, 2);
    sim.put_blob("EhTkMJ2yQ", data.clone());
    let old = sim.with_world(|w| w.media_url(1407, "EhTkMJ2yQ"));
    let f = fetcher();
    let mut sink = MemorySink::new(1 << 20);
    f.fetch(&old, Expect::default(), &mut sink)
        .await
        .expect("fresh link works");

    sim.expire_rkeys();
    let mut sink = MemorySink::new(1 << 20);
    assert_eq!(
        f.fetch(&old, Expect::default(), &mut sink).await,
        Err(FetchError::Expired)
    );
    assert!(sink.bytes().is_empty());
    let fresh = sim.with_world(|w| w.refresh_media_url(&old));
    assert_ne!(fresh, old);
    f.fetch(&fresh, Expect::default(), &mut sink)
        .await
        .expect("refreshed link works");
    assert!(sink.bytes() == data.as_slice());
}

#[tokio::test]
async fn sizes_caps_and_faults_end_a_fetch_with_the_reason() {
    let sim = sim().await;
    let data = bytes(300_000, 3);
    sim.put_blob("/f1", data.clone());
    let url = sim.with_world(|w| w.file_url("/f1", "a.bin"));
    let f = fetcher();
    let fetch = |expect: Expect| {
        let f = f.clone();
        let url = url.clone();
        async move {
            let mut sink = MemorySink::new(1 << 20);
            let r = f.fetch(&url, expect, &mut sink).await;
            (r, sink.into_bytes().len())
        }
    };

    // NapCat announced fewer bytes than the server has: a size lie.
    let (r, _) = fetch(Expect {
        size: Some(1000),
        max_bytes: None,
    })
    .await;
    assert_eq!(
        r,
        Err(FetchError::SizeMismatch {
            expected: 1000,
            got: 300_000
        })
    );
    // A cap below the size: refused from the Content-Length, before the body.
    let (r, kept) = fetch(Expect {
        size: None,
        max_bytes: Some(1000),
    })
    .await;
    assert_eq!(r, Err(FetchError::TooLarge { limit: 1000 }));
    assert_eq!(kept, 0);
    // NapCat's own figure over the cap: refused before any IO.
    let before = sim.http_requests().len();
    let (r, _) = fetch(Expect {
        size: Some(5000),
        max_bytes: Some(1000),
    })
    .await;
    assert_eq!(r, Err(FetchError::TooLarge { limit: 1000 }));
    assert_eq!(sim.http_requests().len(), before);

    sim.set_http_fault(Some(HttpFault::CutAfter(100_000)));
    let (r, _) = fetch(Expect::default()).await;
    assert!(
        matches!(
            r,
            Err(FetchError::Network(_)) | Err(FetchError::SizeMismatch { .. })
        ),
        "{r:?}"
    );
    sim.set_http_fault(Some(HttpFault::Status(503)));
    assert_eq!(
        fetch(Expect::default()).await.0,
        Err(FetchError::Status(503))
    );
    // The server sends more than its Content-Length: only what was announced is taken, and
    // NapCat's own figure shows the lie.
    sim.set_http_fault(Some(HttpFault::LongerThanAnnounced(10)));
    let (r, _) = fetch(Expect {
        size: Some(300_000),
        max_bytes: None,
    })
    .await;
    assert_eq!(
        r,
        Err(FetchError::SizeMismatch {
            expected: 300_000,
            got: 299_990
        })
    );
    sim.set_http_fault(None);

    let missing = sim.with_world(|w| w.file_url("/nope", "x"));
    let mut sink = MemorySink::new(10);
    assert_eq!(
        f.fetch(&missing, Expect::default(), &mut sink).await,
        Err(FetchError::Status(404))
    );
    // A sink that cannot take the bytes.
    let mut small = MemorySink::new(10);
    assert!(matches!(
        f.fetch(&url, Expect::default(), &mut small).await,
        Err(FetchError::Write(_))
    ));
}

#[tokio::test]
async fn a_silent_server_times_out_and_fetches_wait_for_a_permit() {
    let sim = sim().await;
    sim.put_blob("/slow", bytes(1000, 4));
    let url = sim.with_world(|w| w.file_url("/slow", "s"));
    sim.set_http_fault(Some(HttpFault::Stall));
    let f = Fetcher::new(FetchLimits {
        read_timeout: Duration::from_millis(300),
        ..FetchLimits::default()
    })
    .unwrap();
    let mut sink = MemorySink::new(1 << 20);
    assert_eq!(
        f.fetch(&url, Expect::default(), &mut sink).await,
        Err(FetchError::Timeout)
    );

    // Two permits, three stalled fetches: the third is not even dialled until one ends.
    let f = Fetcher::new(FetchLimits {
        max_concurrent: 2,
        read_timeout: Duration::from_secs(60),
        ..FetchLimits::default()
    })
    .unwrap();
    let before = sim.http_requests().len();
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let f = f.clone();
            let url = url.clone();
            tokio::spawn(async move {
                let mut sink = MemorySink::new(1 << 20);
                let _ = f.fetch(&url, Expect::default(), &mut sink).await;
            })
        })
        .collect();
    eventually("two fetches reach the server", || {
        sim.http_requests().len() == before + 2
    })
    .await;
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        sim.http_requests().len(),
        before + 2,
        "a third fetch got through"
    );
    // Cancelling one (dropping its future) frees its permit for the third.
    let finished: Vec<bool> = tasks.iter().map(|t| t.is_finished()).collect();
    assert_eq!(finished, [false, false, false]);
    tasks[0].abort();
    eventually("the third fetch is dialled", || {
        sim.http_requests().len() == before + 3
    })
    .await;
    for t in &tasks {
        t.abort();
    }
    sim.set_http_fault(None);
}

#[tokio::test]
async fn a_refused_scheme_never_reaches_any_server() {
    let sim = sim().await;
    let f = fetcher();
    for url in [
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        "javascript:alert(1)",
    ] {
        let mut sink = MemorySink::new(10);
        assert!(matches!(
            f.fetch(url, Expect::default(), &mut sink).await,
            Err(FetchError::Scheme(_))
        ));
    }
    assert!(sim.http_requests().is_empty());
    assert_eq!(f.log().urls().len(), 3);
}

/// Uploads `data` by `upload_file_stream`; returns NapCat's path.
async fn stream_upload(
    client: &Client,
    data: &[u8],
    name: &str,
    sha: &str,
) -> Result<String, Error> {
    let chunk = 256 * 1024;
    let total = data.chunks(chunk).count().max(1) as u64;
    let upload = StreamUpload {
        stream_id: format!("napterm-test-{name}"),
        total_chunks: total,
        file_size: data.len() as u64,
        expected_sha256: sha.to_string(),
        filename: name.to_string(),
        file_retention_ms: 600_000,
    };
    for (i, piece) in data.chunks(chunk).enumerate() {
        let held = client
            .upload_file_stream_chunk(&upload, i as u64, piece)
            .await?;
        assert_eq!(held, i as u64 + 1);
    }
    let done = client.upload_file_stream_complete(&upload).await?;
    assert_eq!(done.sha256.as_deref(), Some(sha));
    Ok(done.file_path.unwrap_or_default())
}

fn hex_sha(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn an_upload_by_stream_lands_in_the_group_and_streams_back_byte_for_byte() {
    let sim = sim().await;
    let client = connected(&sim).await;
    let data = bytes(1_100_000, 5);
    let path = stream_upload(&client, &data, "release.tar.gz", &hex_sha(&data))
        .await
        .expect("uploaded");
    let group = sim.with_world(|w| w.groups()[0].group_id);
    let id = client
        .upload_group_file(group, &path, "release.tar.gz", None)
        .await
        .expect("posted")
        .file_id
        .expect("a file id");

    // Back over the WebSocket: info, chunks, done, under one echo.
    let mut frames = client.download_file_stream(&id, DOWNLOAD_CHUNK);
    let mut got = Vec::new();
    let mut info = None;
    let mut done = None;
    while let Some(frame) = frames.next().await {
        match frame.expect("frame") {
            StreamFrame::Info(i) => info = Some(i),
            StreamFrame::Chunk(c) => got.extend_from_slice(&c.data),
            StreamFrame::Done(d) => done = Some(d),
            other => panic!("unexpected {other:?}"),
        }
    }
    let info = info.expect("file_info first");
    assert_eq!(
        (info.file_name.as_str(), info.file_size),
        ("release.tar.gz", data.len() as u64)
    );
    assert_eq!(info.chunk_size, DOWNLOAD_CHUNK as u64);
    let done = done.expect("file_complete last");
    assert_eq!(done.total_bytes, data.len() as u64);
    assert_eq!(
        done.total_chunks,
        data.len().div_ceil(DOWNLOAD_CHUNK as usize) as u64
    );
    assert!(got == data);

    // And over HTTP, by the link NapCat gives for it.
    let url = client
        .get_group_file_url(group, &id)
        .await
        .expect("url")
        .url;
    let mut sink = MemorySink::new(2 << 20);
    fetcher()
        .fetch(&url, Expect::default(), &mut sink)
        .await
        .expect("fetched");
    assert!(sink.bytes() == data.as_slice());
}

#[tokio::test]
async fn a_wrong_sha256_is_refused_by_the_server() {
    let sim = sim().await;
    let client = connected(&sim).await;
    let data = bytes(10_000, 6);
    let wrong = hex_sha(b"something else");
    match stream_upload(&client, &data, "x.bin", &wrong).await {
        Err(Error::ActionFailed { message, .. }) => {
            assert!(message.contains("SHA256"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // Every receipt was a single stream-action frame each call took.
    let calls = sim.calls();
    assert!(
        calls
            .iter()
            .filter(|c| c.action == "upload_file_stream")
            .count()
            >= 2
    );
}

#[tokio::test]
async fn stream_errors_unsupported_servers_and_lost_connections_end_the_stream() {
    let sim = sim().await;
    let client = connected(&sim).await;
    let mut frames = client.download_file_stream("no-such-file", DOWNLOAD_CHUNK);
    match frames.next().await {
        Some(Err(Error::ActionFailed { message, .. })) => {
            assert_eq!(message, "Download failed: file not found")
        }
        other => panic!("{other:?}"),
    }
    assert!(frames.next().await.is_none());

    sim.set_unsupported(&["download_file_stream"]);
    let mut frames = client.download_file_stream("x", DOWNLOAD_CHUNK);
    assert!(matches!(
        frames.next().await,
        Some(Err(Error::UnknownAction { .. }))
    ));
    sim.set_unsupported(&[]);

    // A big file, the connection dropped after the first frames: the stream ends in an error.
    let data = Arc::<[u8]>::from(bytes(4_000_000, 7));
    let path = stream_upload(&client, &data, "big.bin", &hex_sha(&data))
        .await
        .unwrap();
    let mut frames = client.download_file_stream(&path, 4096);
    assert!(matches!(
        frames.next().await,
        Some(Ok(StreamFrame::Info(_)))
    ));
    sim.drop_connections();
    let mut ended = None;
    while let Some(frame) = frames.next().await {
        if let Err(e) = frame {
            ended = Some(e);
        }
    }
    assert!(matches!(ended, Some(Error::Transport(_))), "{ended:?}");
}

#[tokio::test]
async fn the_mock_client_carries_stream_frames_too() {
    let (client, mut calls) = Client::mock();
    let mut frames = client.download_file_record_stream("v.amr", None, 1024);
    let call = calls.recv().await.expect("a call");
    assert_eq!(call.action, "download_file_record_stream");
    assert_eq!(call.params["file"], "v.amr");
    let tx = call.frames.expect("a stream call");
    let frame = |data: serde_json::Value| napterm::onebot::Reply {
        status: "ok".into(),
        retcode: 0,
        data: Some(data),
        message: String::new(),
        wording: String::new(),
        echo: json!("e"),
        stream: Some("stream-action".into()),
    };
    tx.send(frame(
        json!({"type": "stream", "data_type": "file_chunk", "index": 0, "data": "YQ=="}),
    ))
    .unwrap();
    tx.send(frame(
        json!({"type": "response", "data_type": "file_complete", "total_bytes": 1}),
    ))
    .unwrap();
    assert!(matches!(frames.next().await, Some(Ok(StreamFrame::Chunk(c))) if c.data == b"a"));
    assert!(matches!(
        frames.next().await,
        Some(Ok(StreamFrame::Done(_)))
    ));
    assert!(frames.next().await.is_none());
}

#[tokio::test]
async fn a_slow_or_abandoned_stream_never_wedges_the_connection() {
    let sim = sim().await;
    let client = connected(&sim).await;
    let data = bytes(2_000_000, 8);
    let path = stream_upload(&client, &data, "slow.bin", &hex_sha(&data))
        .await
        .unwrap();
    // Nobody reads for a while: the socket waits, the frames are not lost.
    let mut frames = client.download_file_stream(&path, 4096);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut got = Vec::new();
    while let Some(frame) = frames.next().await {
        if let StreamFrame::Chunk(c) = frame.expect("frame") {
            got.extend_from_slice(&c.data);
        }
    }
    assert!(got == data);
    // Abandoned after one frame: what was queued is let go, and calls go on.
    let mut frames = client.download_file_stream(&path, 4096);
    assert!(matches!(
        frames.next().await,
        Some(Ok(StreamFrame::Info(_)))
    ));
    tokio::time::sleep(Duration::from_millis(100)).await;
    drop(frames);
    let login = tokio::time::timeout(PATIENCE, client.get_login_info()).await;
    assert!(matches!(login, Ok(Ok(_))), "{login:?}");
}
