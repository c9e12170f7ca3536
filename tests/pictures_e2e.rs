//! The picture service against the simulator over loopback: pictures come over HTTP from the
//! URL their segment carries; an expired rkey asks `get_msg` once for a fresh URL; then the
//! bytes over the WebSocket (`download_file_image_stream`), then `get_image`; what is not
//! `http`/`https` is never fetched (the fetcher's log says so); bad bytes get their reason;
//! a picture fetched once comes from the disk cache after.

use std::time::Duration;

use napterm::app::Msg;
use napterm::app::pictures::{PicDone, PicFailure, PicJob, PicKey};
use napterm::onebot::segment::ImageData;
use napterm::onebot::{
    Client, ClientEvent, ConnState, ConnectOptions, MessageChain, Peer, Segment,
};
use napterm::runtime::fetch::FetchLimits;
use napterm::runtime::picture::PictureService;
use napterm::runtime::picture::cache::DiskCache;
use napterm::sim::{HttpFault, Sim, SimConfig};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::time::Instant;

const PATIENCE: Duration = Duration::from_secs(20);

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
    tokio::spawn(async move { while events.recv().await.is_some() {} });
    client
}

struct Setup {
    sim: Sim,
    client: Client,
    service: PictureService,
    rx: UnboundedReceiver<Msg>,
}

async fn setup(cache: Option<DiskCache>) -> Setup {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let client = connected(&sim).await;
    let (tx, rx) = unbounded_channel();
    let limits = FetchLimits {
        read_timeout: Duration::from_millis(500),
        connect_timeout: Duration::from_secs(2),
        ..napterm::runtime::picture::fetch_limits()
    };
    let service = PictureService::with_limits(tx, client.clone(), cache, limits);
    Setup {
        sim,
        client,
        service,
        rx,
    }
}

/// A photo of the simulator's history: its chat, message and segment.
fn a_photo(sim: &Sim) -> (Peer, i64, ImageData) {
    sim.with_world(|w| {
        let groups: Vec<i64> = w.groups().iter().map(|g| g.group_id).collect();
        for g in groups {
            for id in w.conversation(Peer::Group(g)) {
                let Some(m) = w.message(id) else { continue };
                for s in m.event.message.segments() {
                    if let Segment::Image(i) = s
                        && i.sub_type == Some(0)
                        && i.emoji_id.is_none()
                    {
                        return (Peer::Group(g), id, (**i).clone());
                    }
                }
            }
        }
        panic!("the simulator's history has no photo");
    })
}

fn job_of(peer: Peer, id: i64, img: &ImageData) -> PicJob {
    PicJob {
        key: PicKey::of(img).expect("key"),
        url: img.url.clone(),
        file: img.file.clone(),
        peer,
        message_id: Some(id),
        fit: (40, 10),
    }
}

async fn done(rx: &mut UnboundedReceiver<Msg>) -> PicDone {
    loop {
        match tokio::time::timeout(PATIENCE, rx.recv()).await {
            Ok(Some(Msg::Picture(d))) => return d,
            Ok(Some(_)) => {}
            other => panic!("no answer: {other:?}"),
        }
    }
}

fn called(sim: &Sim, action: &str) -> usize {
    sim.calls().iter().filter(|c| c.action == action).count()
}

#[tokio::test]
async fn a_picture_comes_over_http_from_the_url_of_its_segment() {
    let mut s = setup(None).await;
    let (peer, id, img) = a_photo(&s.sim);
    let url = img.url.clone().expect("url");
    assert!(url.starts_with(&s.sim.http_base()), "{url}");
    s.service.perform(job_of(peer, id, &img));
    let d = done(&mut s.rx).await;
    let (px, cells) = d.result.expect("a picture");
    assert!(px.0 > 0 && px.1 > 0);
    assert!(cells.cols <= 40 && cells.rows <= 10);
    let log = s.service.fetcher().expect("fetcher").log().urls();
    assert_eq!(log, vec![url]);
    assert_eq!(called(&s.sim, "get_msg"), 0);
}

#[tokio::test]
async fn an_expired_rkey_asks_get_msg_once_for_a_fresh_url() {
    let mut s = setup(None).await;
    let (peer, id, img) = a_photo(&s.sim);
    let old = img.url.clone().expect("url");
    s.sim.expire_rkeys();
    s.service.perform(job_of(peer, id, &img));
    let d = done(&mut s.rx).await;
    assert!(d.result.is_ok(), "{:?}", d.result);
    let records = s.service.fetcher().expect("fetcher").log().records();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0].url, old);
    assert_eq!(records[0].status, Some(400));
    assert!(records[1].result.is_ok());
    assert_ne!(records[1].url, old, "a fresh rkey");
    let gets: Vec<_> = s
        .sim
        .calls()
        .into_iter()
        .filter(|c| c.action == "get_msg")
        .collect();
    assert_eq!(gets.len(), 1);
    assert_eq!(gets[0].params["message_id"].as_i64(), Some(id));
    // Nothing more was needed.
    assert_eq!(called(&s.sim, "download_file_image_stream"), 0);
}

#[tokio::test]
async fn when_http_fails_the_bytes_come_over_the_websocket() {
    let mut s = setup(None).await;
    let (peer, id, img) = a_photo(&s.sim);
    s.sim.set_http_fault(Some(HttpFault::Status(503)));
    s.service.perform(job_of(peer, id, &img));
    let d = done(&mut s.rx).await;
    assert!(d.result.is_ok(), "{:?}", d.result);
    assert_eq!(called(&s.sim, "download_file_image_stream"), 1);
    assert_eq!(called(&s.sim, "get_image"), 0);
}

#[tokio::test]
async fn without_the_stream_action_get_image_is_asked_and_a_dead_link_is_unreachable() {
    let mut s = setup(None).await;
    let (peer, id, img) = a_photo(&s.sim);
    s.sim.set_unsupported(&["download_file_image_stream"]);
    s.sim.set_http_fault(Some(HttpFault::Status(503)));
    s.service.perform(job_of(peer, id, &img));
    let d = done(&mut s.rx).await;
    assert_eq!(d.result.err(), Some(PicFailure::Unreachable));
    assert_eq!(called(&s.sim, "download_file_image_stream"), 1);
    assert_eq!(called(&s.sim, "get_image"), 1);
    // The link get_image gave was tried too, over HTTP only.
    let log = s.service.fetcher().expect("fetcher").log().urls();
    assert!(log.iter().all(|u| u.starts_with("http://")), "{log:?}");
    assert_eq!(
        log.len(),
        2,
        "the segment's link, then get_image's: {log:?}"
    );
}

#[tokio::test]
async fn a_url_that_never_answers_ends_as_unreachable() {
    let mut s = setup(None).await;
    let (peer, id, img) = a_photo(&s.sim);
    s.sim
        .set_unsupported(&["download_file_image_stream", "get_image"]);
    s.sim.set_http_fault(Some(HttpFault::Stall));
    s.service.perform(job_of(peer, id, &img));
    let d = done(&mut s.rx).await;
    assert_eq!(d.result.err(), Some(PicFailure::Unreachable));
}

#[tokio::test]
async fn schemes_other_than_http_are_never_fetched() {
    let mut s = setup(None).await;
    let (peer, id, img) = a_photo(&s.sim);
    for url in [
        "file:///etc/passwd",
        "/root/.config/QQ/nt_qq/nt_data/Pic/2026-01/Ori/a.jpg",
        "ftp://127.0.0.1/a.jpg",
        "base64://iVBORw0KGgo=",
        "data:image/png;base64,iVBORw0KGgo=",
    ] {
        // No file token either: nothing else to ask.
        let job = PicJob {
            url: Some(url.into()),
            file: String::new(),
            ..job_of(peer, id, &img)
        };
        s.service.perform(job);
        assert_eq!(
            done(&mut s.rx).await.result.err(),
            Some(PicFailure::NoUrl),
            "{url}"
        );
    }
    // With its file token the picture still comes, over the WebSocket.
    let job = PicJob {
        url: Some("file:///etc/passwd".into()),
        ..job_of(peer, id, &img)
    };
    s.service.perform(job);
    assert!(done(&mut s.rx).await.result.is_ok());
    assert!(
        s.service
            .fetcher()
            .expect("fetcher")
            .log()
            .urls()
            .is_empty(),
        "nothing was fetched"
    );
    assert!(s.sim.http_requests().is_empty());
}

#[tokio::test]
async fn bad_bytes_from_the_server_get_their_reason() {
    let mut s = setup(None).await;
    let (peer, id, img) = a_photo(&s.sim);
    // Not a picture.
    s.sim
        .put_blob(&img.file, b"<html>not a picture</html>".to_vec());
    s.service.perform(job_of(peer, id, &img));
    assert_eq!(
        done(&mut s.rx).await.result.err(),
        Some(PicFailure::Undecodable)
    );
    // More than 20 MB.
    let other = ImageData {
        file: "HUGE.jpg".into(),
        url: Some(s.sim.with_world(|w| w.media_url(1407, "HUGE.jpg"))),
        ..img.clone()
    };
    s.sim.put_blob("HUGE.jpg", vec![0u8; 21 * 1024 * 1024]);
    s.service.perform(job_of(peer, id, &other));
    assert_eq!(
        done(&mut s.rx).await.result.err(),
        Some(PicFailure::TooLarge)
    );
    assert_eq!(
        called(&s.sim, "download_file_image_stream"),
        0,
        "too large one way is too large every way"
    );
}

#[tokio::test]
async fn a_picture_fetched_once_comes_from_the_disk_cache_after() {
    let dir = std::env::temp_dir().join(format!("napterm-pic-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut s = setup(Some(DiskCache::new(dir.clone(), 50 << 20))).await;
    let (peer, id, img) = a_photo(&s.sim);
    s.service.perform(job_of(peer, id, &img));
    assert!(done(&mut s.rx).await.result.is_ok());
    assert_eq!(s.sim.http_requests().len(), 1);
    // A second service (a restart): the same picture from disk, even with another rkey.
    let client = connected(&s.sim).await;
    let (tx, mut rx) = unbounded_channel();
    let again = PictureService::new(tx, client, Some(DiskCache::new(dir.clone(), 50 << 20)));
    s.sim.expire_rkeys();
    again.perform(PicJob {
        fit: (20, 5),
        ..job_of(peer, id, &img)
    });
    let d = done(&mut rx).await;
    assert!(d.result.is_ok());
    assert_eq!(s.sim.http_requests().len(), 1, "nothing fetched");
    assert!(again.fetcher().expect("fetcher").log().urls().is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

fn png_file(dir: &std::path::Path, name: &str, padding: usize) -> std::path::PathBuf {
    let img = image::RgbaImage::from_pixel(30, 20, image::Rgba([10, 200, 30, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    let mut bytes = out.into_inner();
    // Bytes after the picture's end: a large file whose picture is still readable.
    bytes.extend(std::iter::repeat_n(0u8, padding));
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

async fn send_events(rx: &mut UnboundedReceiver<Msg>) -> Vec<napterm::app::pictures::SendEvent> {
    use napterm::app::pictures::SendEvent;
    let mut out = Vec::new();
    loop {
        match tokio::time::timeout(PATIENCE, rx.recv()).await {
            Ok(Some(Msg::PictureSend(ev))) => {
                let last = !matches!(ev, SendEvent::Progress { .. });
                out.push(ev);
                if last {
                    return out;
                }
            }
            Ok(Some(_)) => {}
            other => panic!("no answer: {other:?} after {out:?}"),
        }
    }
}

/// Picture `key` (`file`, at `url`) is drawn, and nothing was fetched for it or before.
async fn drawn_unfetched(s: &mut Setup, peer: Peer, key: PicKey, file: &str, url: Option<String>) {
    s.service.perform(PicJob {
        key,
        url,
        file: file.into(),
        peer,
        message_id: None,
        fit: (20, 5),
    });
    assert!(done(&mut s.rx).await.result.is_ok());
    let fetched = s.service.fetcher().expect("fetcher").log().urls();
    assert!(fetched.is_empty(), "{fetched:?}");
}

#[tokio::test]
async fn a_local_picture_is_sent_inline_up_to_10_mb_and_by_stream_above() {
    use napterm::app::pictures::SendEvent;
    let dir = std::env::temp_dir().join(format!("napterm-pic-send-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let mut s = setup(None).await;
    let peer = Peer::Group(s.sim.with_world(|w| w.groups()[0].group_id));

    let small = png_file(&dir, "小图.png", 0);
    s.service.send(peer, small.display().to_string());
    let evs = send_events(&mut s.rx).await;
    let Some(SendEvent::Ready { shown, file, .. }) = evs.last() else {
        panic!("{evs:?}");
    };
    assert!(file.starts_with("base64://"), "inline");
    assert!(shown.file.ends_with(".png") && shown.url.is_none());
    assert_eq!(called(&s.sim, "upload_file_stream"), 0);
    // The pending message's picture is in memory already: no fetch for it.
    let sent = PicKey::of(shown).expect("key");
    drawn_unfetched(&mut s, peer, sent.clone(), &shown.file, None).await;
    // Echoed under NapCat's name, it is the same picture: still no fetch.
    let echoed = "8FBDAD6D6CA9C14EF0E9AB59A2D88127.png";
    s.service.alias(sent, PicKey(echoed.into()));
    let never = Some("http://127.0.0.1:9/never".to_string());
    drawn_unfetched(&mut s, peer, PicKey(echoed.into()), echoed, never).await;

    // Over 10 MB: read like any other, uploaded in chunks when its message goes out.
    let big = png_file(&dir, "big.png", 11 * 1024 * 1024);
    s.service.send(peer, big.display().to_string());
    let evs = send_events(&mut s.rx).await;
    let Some(SendEvent::Ready { file, .. }) = evs.last() else {
        panic!("{evs:?}");
    };
    assert!(napterm::app::pictures::needs_upload(&MessageChain(vec![
        Segment::image(file.clone())
    ])));
    assert_eq!(
        called(&s.sim, "upload_file_stream"),
        0,
        "not before it goes out"
    );
    let chain = MessageChain(vec![Segment::text("看"), Segment::image(file.clone())]);
    s.service.upload(peer, 7, chain);
    let evs = send_events(&mut s.rx).await;
    let progress: Vec<_> = evs
        .iter()
        .filter_map(|e| match e {
            SendEvent::Progress {
                local_id: 7,
                done,
                total,
            } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    assert!(progress.len() > 1, "{progress:?}");
    assert_eq!(progress.last().map(|p| p.0), progress.last().map(|p| p.1));
    let Some(SendEvent::Uploaded {
        local_id: 7, chain, ..
    }) = evs.last()
    else {
        panic!("{evs:?}");
    };
    let [Segment::Text { .. }, Segment::Image(img)] = chain.segments() else {
        panic!("{chain:?}");
    };
    assert!(!img.file.starts_with("base64://"), "{}", img.file);
    assert!(
        img.file.ends_with(".png"),
        "NapCat's path of the upload: {}",
        img.file
    );
    assert!(called(&s.sim, "upload_file_stream") > 1);
    // The uploaded path is what the message sends: the simulator takes it.
    let sent = s.client.send_message(peer, chain).await;
    assert!(sent.is_ok(), "{sent:?}");
    // An upload cancelled (its message taken back) stops and says nothing more.
    let before = called(&s.sim, "upload_file_stream");
    let chain = MessageChain(vec![Segment::image(file.clone())]);
    s.service.upload(peer, 8, chain);
    s.service.cancel_upload(8);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(s.rx.try_recv().is_err(), "nothing more is said");
    assert_eq!(called(&s.sim, "upload_file_stream"), before);

    // What cannot be sent says why.
    for (path, why) in [
        (dir.join("none.png").display().to_string(), "找不到文件"),
        (dir.display().to_string(), "不是文件"),
    ] {
        s.service.send(peer, path);
        match send_events(&mut s.rx).await.last() {
            Some(SendEvent::Failed(w)) => assert!(w.contains(why), "{w}"),
            other => panic!("{other:?}"),
        }
    }
    let text = dir.join("notes.png");
    std::fs::write(&text, "just text").expect("write");
    s.service.send(peer, text.display().to_string());
    match send_events(&mut s.rx).await.last() {
        Some(SendEvent::Failed(w)) => assert!(w.contains("不是图片"), "{w}"),
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_picture_sent_to_the_simulator_is_what_its_link_serves() {
    use base64::Engine;
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let client = connected(&sim).await;
    let g = sim.with_world(|w| w.groups()[0].group_id);
    let dir = std::env::temp_dir().join(format!("napterm-pic-echo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bytes = std::fs::read(png_file(&dir, "mine.png", 0)).expect("read");
    let seg: Segment = serde_json::from_value(serde_json::json!({"type": "image", "data": {
        "file": format!("base64://{}", base64::engine::general_purpose::STANDARD.encode(&bytes)),
    }}))
    .expect("segment");
    let sent = client
        .send_message(Peer::Group(g), &napterm::onebot::MessageChain(vec![seg]))
        .await
        .expect("sent");
    let ev = client.get_msg(sent.message_id).await.expect("get_msg");
    let url = ev
        .message
        .segments()
        .iter()
        .find_map(|s| match s {
            Segment::Image(i) => i.url.clone(),
            _ => None,
        })
        .expect("a link");
    let f = napterm::runtime::fetch::Fetcher::new(FetchLimits::default()).expect("fetcher");
    let mut sink = napterm::runtime::fetch::MemorySink::new(1 << 20);
    f.fetch(&url, Default::default(), &mut sink)
        .await
        .expect("fetched");
    assert_eq!(sink.into_bytes(), bytes);
    let _ = std::fs::remove_dir_all(dir);
}
