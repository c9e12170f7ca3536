//! Issue 9 end to end: the real loop against the simulator, saving into a temporary download
//! folder and comparing byte for byte — every source of a save (group file link, private file
//! link, a segment's link with an expired rkey asked again, the WebSocket stream, get_record),
//! the fallbacks, no overwrite, hostile names, cancel, a missing folder, a full disk; uploads by stream and
//! by base64 (a server without upload_file_stream), the SHA-256 checked by the simulator.

mod support;

use std::path::{Path, PathBuf};

use napterm::app::Pane;
use napterm::onebot::segment::{FileData, ImageData, RecordData, VideoData};
use napterm::onebot::{MessageChain, Peer, Segment};
use napterm::runtime::transfer::{TransferOptions, Transfers};
use napterm::sim::HttpFault;
use napterm::sim::world::roster;
use support::Harness;

const G: i64 = roster::GROUP_OWNED;
/// Someone in the group (not the account).
fn speaker(h: &Harness) -> i64 {
    h.sim.with_world(|w| {
        w.group(G)
            .expect("group")
            .members
            .iter()
            .map(|m| m.user_id)
            .find(|u| *u != roster::SELF_ID)
            .expect("a member")
    })
}

fn bytes(len: usize, seed: u64) -> Vec<u8> {
    napterm::sim::world::made_bytes(&format!("test-{seed}"), len)
}

struct Folder(PathBuf);

impl Folder {
    fn new(tag: &str) -> Folder {
        let p = std::env::temp_dir().join(format!(
            "napterm-files-{tag}-{}-{:x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&p).unwrap();
        Folder(p)
    }
    /// Every name in the folder, sorted.
    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn harness(dir: &Path) -> Harness {
    let mut h = Harness::start(120, 40).await;
    h.lp.transfers = Transfers::new(TransferOptions {
        download_dir: dir.to_path_buf(),
        ..TransferOptions::default()
    });
    // Pictures stay placeholders: what these tests count (links served, get_msg) is the
    // saves' alone, not the timeline's drawing of the same pictures.
    h.state.pictures.mode = napterm::app::pictures::Mode::Placeholder;
    h
}

/// Opens the group and waits for its messages.
async fn open(h: &mut Harness, peer: Peer) {
    let spec = match peer {
        Peer::Group(g) => format!("g:{g}"),
        Peer::Private(u) => format!("u:{u}"),
    };
    h.type_text(&format!("/open {spec}"));
    h.enter();
    h.until("chat open", |s| {
        s.open == Some(peer) && s.open_chat().is_some_and(|c| !c.timeline.is_empty())
    })
    .await;
}

/// Posts `chain` from `author` in `peer`, waits for it and selects it in the timeline.
async fn arrive(h: &mut Harness, peer: Peer, author: i64, chain: MessageChain) -> i64 {
    let ev = h.sim.with_world(|w| w.receive(peer, author, chain));
    let id = match &ev {
        napterm::onebot::Event::Message(m) => m.message_id,
        _ => unreachable!(),
    };
    h.sim.push_event(&ev);
    select(h, id).await;
    id
}

async fn select(h: &mut Harness, id: i64) {
    h.until("message arrived", |s| {
        s.open_chat().is_some_and(|c| {
            c.timeline
                .iter()
                .any(|e| e.message().is_some_and(|m| m.id == Some(id)))
        })
    })
    .await;
    let key = {
        let chat = h.state.open_chat().expect("open");
        chat.timeline
            .iter()
            .find(|e| e.message().is_some_and(|m| m.id == Some(id)))
            .map(|e| e.key)
            .expect("there")
    };
    h.state.open_chat_mut().expect("open").selected = Some(key);
    h.state.focus = Pane::Timeline;
}

/// Presses `s` and waits until the transfer ends; the status line's text.
async fn save(h: &mut Harness) -> String {
    h.type_text("s");
    h.until("a transfer started", |s| {
        !s.transfers.active.is_empty() || s.status.error().is_some()
    })
    .await;
    h.until("the transfer ended", |s| s.transfers.active.is_empty())
        .await;
    h.state
        .status
        .message()
        .map(|(_, t)| t.to_string())
        .unwrap_or_default()
}

fn file_seg(name: &str, id: &str, size: u64) -> Segment {
    Segment::File(Box::new(FileData {
        file: name.into(),
        file_id: Some(id.into()),
        file_size: Some(size),
        ..Default::default()
    }))
}

#[tokio::test]
async fn a_group_file_is_saved_by_its_link_byte_for_byte_and_never_overwrites() {
    let dir = Folder::new("group");
    let mut h = harness(&dir.0).await;
    open(&mut h, Peer::Group(G)).await;
    let data = bytes(1_300_000, 1);
    let id = "/0a1b2c3d-0000-4000-8000-000000000001";
    h.sim.put_blob(id, data.clone());
    let who = speaker(&h);
    arrive(
        &mut h,
        Peer::Group(G),
        who,
        MessageChain(vec![file_seg("课件.pdf", id, data.len() as u64)]),
    )
    .await;
    std::fs::write(dir.0.join("课件.pdf"), b"mine").unwrap();

    let said = save(&mut h).await;
    assert!(said.contains("已保存"), "{said}");
    assert_eq!(dir.names(), ["课件 (1).pdf", "课件.pdf"]);
    assert_eq!(std::fs::read(dir.0.join("课件.pdf")).unwrap(), b"mine");
    assert!(std::fs::read(dir.0.join("课件 (1).pdf")).unwrap() == data);
    assert_eq!(h.calls("get_group_file_url").len(), 1);
    assert!(
        h.calls("download_file_stream").is_empty(),
        "the link worked"
    );
    // Saved again: a third name.
    save(&mut h).await;
    assert_eq!(dir.names(), ["课件 (1).pdf", "课件 (2).pdf", "课件.pdf"]);
    // `o` now opens the saved file.
    h.type_text("o");
    h.until("opened", |_| true).await;
}

#[tokio::test]
async fn without_the_packet_backend_a_file_comes_by_stream_and_a_size_lie_is_refused() {
    let dir = Folder::new("stream");
    let mut h = harness(&dir.0).await;
    open(&mut h, Peer::Group(G)).await;
    h.sim.fail_action(
        "get_group_file_url",
        Some((1400, "packetBackend不可用，请参照文档配置")),
    );
    let data = bytes(700_000, 2);
    let id = "/0a1b2c3d-0000-4000-8000-000000000002";
    h.sim.put_blob(id, data.clone());
    let who = speaker(&h);
    arrive(
        &mut h,
        Peer::Group(G),
        who,
        MessageChain(vec![file_seg("log.txt", id, data.len() as u64)]),
    )
    .await;
    let said = save(&mut h).await;
    assert!(said.contains("已保存"), "{said}");
    assert!(std::fs::read(dir.0.join("log.txt")).unwrap() == data);
    assert_eq!(h.calls("download_file_stream").len(), 1);

    // The message announces fewer bytes than there are: every source refuses, nothing is left.
    let liar = "/0a1b2c3d-0000-4000-8000-000000000003";
    h.sim.put_blob(liar, data.clone());
    arrive(
        &mut h,
        Peer::Group(G),
        who,
        MessageChain(vec![file_seg("lie.bin", liar, 1000)]),
    )
    .await;
    let said = save(&mut h).await;
    assert!(
        said.contains("下载失败") && said.contains("大小不符"),
        "{said}"
    );
    assert_eq!(dir.names(), ["log.txt"]);
}

#[tokio::test]
async fn a_private_file_a_picture_with_an_expired_link_a_voice_and_a_video_are_saved() {
    let dir = Folder::new("media");
    let mut h = harness(&dir.0).await;
    let friend = h.sim.with_world(|w| w.friends()[0].user_id);
    open(&mut h, Peer::Private(friend)).await;

    // A private file: get_private_file_url, then HTTP.
    let data = bytes(200_000, 3);
    let id = "/0a1b2c3d-0000-4000-8000-000000000004";
    h.sim.put_blob(id, data.clone());
    arrive(
        &mut h,
        Peer::Private(friend),
        friend,
        MessageChain(vec![file_seg("notes.md", id, data.len() as u64)]),
    )
    .await;
    assert!(save(&mut h).await.contains("已保存"));
    assert!(std::fs::read(dir.0.join("notes.md")).unwrap() == data);
    assert_eq!(h.calls("get_private_file_url").len(), 1);

    // A picture whose link expires before it is saved: get_msg gives a fresh one.
    let pic = bytes(90_000, 4);
    h.sim.put_blob("F00DCAFE.jpg", pic.clone());
    let img = Segment::Image(Box::new(ImageData {
        file: "F00DCAFE.jpg".into(),
        url: Some("https://multimedia.nt.qq.com.cn/download?appid=1406&fileid=x&rkey=y".into()),
        file_size: Some(pic.len() as u64),
        ..Default::default()
    }));
    arrive(
        &mut h,
        Peer::Private(friend),
        friend,
        MessageChain(vec![img]),
    )
    .await;
    h.sim.expire_rkeys();
    assert!(save(&mut h).await.contains("已保存"));
    assert!(std::fs::read(dir.0.join("F00DCAFE.jpg")).unwrap() == pic);
    assert_eq!(h.calls("get_msg").len(), 1);
    let served = h.sim.http_requests();
    assert!(
        served
            .iter()
            .filter(|p| p.contains("fileid=F00DCAFE.jpg"))
            .count()
            == 2,
        "{served:?}"
    );

    // A voice: get_record's mp3, named .mp3.
    let voice = bytes(5_120, 5);
    h.sim.put_blob("0a1b2c3d.amr", voice.clone());
    let rec = Segment::Record(Box::new(RecordData {
        file: "0a1b2c3d.amr".into(),
        url: Some("https://grouptalk.c2c.qq.com/x".into()),
        file_size: Some(voice.len() as u64),
        ..Default::default()
    }));
    arrive(
        &mut h,
        Peer::Private(friend),
        friend,
        MessageChain(vec![rec]),
    )
    .await;
    assert!(save(&mut h).await.contains("已保存"));
    assert!(std::fs::read(dir.0.join("0a1b2c3d.mp3")).unwrap() == voice);
    assert_eq!(h.calls("get_record").len(), 1);

    // A video without a working link (the server answers 503): by stream.
    let film = bytes(400_000, 6);
    h.sim.put_blob("clip.mp4", film.clone());
    let vid = Segment::Video(Box::new(VideoData {
        file: "clip.mp4".into(),
        url: Some("https://x/y".into()),
        file_size: Some(film.len() as u64),
        ..Default::default()
    }));
    arrive(
        &mut h,
        Peer::Private(friend),
        friend,
        MessageChain(vec![vid]),
    )
    .await;
    h.sim.set_http_fault(Some(HttpFault::Status(503)));
    assert!(save(&mut h).await.contains("已保存"));
    h.sim.set_http_fault(None);
    assert!(std::fs::read(dir.0.join("clip.mp4")).unwrap() == film);
    assert_eq!(
        dir.names(),
        ["0a1b2c3d.mp3", "F00DCAFE.jpg", "clip.mp4", "notes.md"]
    );
}

#[tokio::test]
async fn hostile_names_stay_in_the_folder_and_bad_folders_are_said() {
    let dir = Folder::new("names");
    let mut h = harness(&dir.0).await;
    open(&mut h, Peer::Group(G)).await;
    let who = speaker(&h);
    let long = format!("{}.txt", "长".repeat(1400));
    let names = [
        "../../.bashrc",
        "/etc/passwd",
        "a\u{1b}[31m\nb.txt",
        long.as_str(),
        "..",
    ];
    for (i, name) in names.iter().enumerate() {
        let id = format!("/0a1b2c3d-0000-4000-8000-0000000001{i:02}");
        h.sim.put_blob(&id, bytes(100, 10 + i as u64));
        arrive(
            &mut h,
            Peer::Group(G),
            who,
            MessageChain(vec![file_seg(name, &id, 100)]),
        )
        .await;
        assert!(save(&mut h).await.contains("已保存"));
    }
    let got = dir.names();
    assert_eq!(got.len(), 5, "{got:?}");
    for n in &got {
        assert!(
            !n.starts_with('.') && !n.contains('/') && !n.chars().any(char::is_control),
            "{n:?}"
        );
        assert!(n.len() <= 255);
    }
    assert!(got.contains(&"bashrc".to_string()) && got.contains(&"passwd".to_string()));
    assert!(got.contains(&"file".to_string()));
    // Nothing outside the folder.
    assert!(!dir.0.parent().unwrap().join(".bashrc").exists());

    // A folder that is not there: said, nothing written, the client goes on.
    let gone = dir.0.join("gone");
    h.lp.transfers = Transfers::new(TransferOptions {
        download_dir: gone.clone(),
        ..TransferOptions::default()
    });
    let said = save(&mut h).await;
    assert!(said.contains("不存在"), "{said}");
    assert!(!gone.exists());

    // The default folder (no `[files] download_dir`) is made when it is missing.
    h.state.status = Default::default();
    h.lp.transfers = Transfers::new(TransferOptions {
        download_dir: gone.clone(),
        create_dir: true,
        ..TransferOptions::default()
    });
    let said = save(&mut h).await;
    assert!(said.contains("已保存"), "{said}");
    assert!(gone.is_dir() && std::fs::read_dir(&gone).unwrap().count() == 1);
}

#[tokio::test]
async fn a_full_disk_is_said_leaves_no_part_and_the_client_goes_on() {
    // Every byte of the save's temporary file goes to /dev/full, which refuses writes with
    // ENOSPC, as a full disk does; the temporary file itself is still made in the folder.
    let full = Path::new("/dev/full");
    if !full.exists() {
        eprintln!("no /dev/full on this system: skipped");
        return;
    }
    let dir = Folder::new("full");
    let mut h = harness(&dir.0).await;
    h.lp.transfers = Transfers::new(TransferOptions {
        download_dir: dir.0.clone(),
        write_through: Some(full.to_path_buf()),
        ..TransferOptions::default()
    });
    open(&mut h, Peer::Group(G)).await;
    let who = speaker(&h);

    // Larger than the write buffer: the disk refuses a chunk while the body streams in.
    let big = bytes(1_300_000, 21);
    let id = "/0a1b2c3d-0000-4000-8000-000000000021";
    h.sim.put_blob(id, big.clone());
    arrive(
        &mut h,
        Peer::Group(G),
        who,
        MessageChain(vec![file_seg("大文件.zip", id, big.len() as u64)]),
    )
    .await;
    let said = save(&mut h).await;
    assert!(said.contains("磁盘已满"), "{said}");
    assert!(!said.contains("os error"), "{said}");
    assert!(dir.names().is_empty(), "{:?}", dir.names());
    // A full disk is not the source's fault: no other source is tried.
    assert!(h.calls("download_file_stream").is_empty());

    // Smaller than the buffer: the disk refuses it when the file is flushed at the end.
    let small = bytes(2_000, 22);
    let id2 = "/0a1b2c3d-0000-4000-8000-000000000022";
    h.sim.put_blob(id2, small.clone());
    arrive(
        &mut h,
        Peer::Group(G),
        who,
        MessageChain(vec![file_seg("小.txt", id2, small.len() as u64)]),
    )
    .await;
    h.state.status = Default::default();
    let said = save(&mut h).await;
    assert!(said.contains("磁盘已满"), "{said}");
    assert!(dir.names().is_empty(), "{:?}", dir.names());

    // Space again: the same message saves, byte for byte; the draft and the loop are intact.
    h.lp.transfers = Transfers::new(TransferOptions {
        download_dir: dir.0.clone(),
        ..TransferOptions::default()
    });
    h.state.status = Default::default();
    let said = save(&mut h).await;
    assert!(said.contains("已保存"), "{said}");
    assert_eq!(dir.names(), ["小.txt"]);
    assert!(std::fs::read(dir.0.join("小.txt")).unwrap() == small);
}

#[tokio::test]
async fn a_cancelled_download_leaves_nothing_behind() {
    let dir = Folder::new("cancel");
    let mut h = harness(&dir.0).await;
    open(&mut h, Peer::Group(G)).await;
    let id = "/0a1b2c3d-0000-4000-8000-000000000009";
    h.sim.put_blob(id, bytes(50_000, 9));
    let who = speaker(&h);
    arrive(
        &mut h,
        Peer::Group(G),
        who,
        MessageChain(vec![file_seg("big.iso", id, 50_000)]),
    )
    .await;
    // The link's server sends headers, then nothing.
    h.sim.set_http_fault(Some(HttpFault::Stall));
    h.type_text("s");
    h.until("fetching", |s| !s.transfers.active.is_empty())
        .await;
    h.until("the link is being fetched", |_| true).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while h.sim.http_requests().is_empty() {
        assert!(std::time::Instant::now() < deadline);
        h.settle(10).await;
    }
    // A temporary file exists while it runs…
    assert!(
        dir.names().iter().all(|n| n.starts_with(".napterm-")),
        "{:?}",
        dir.names()
    );
    h.type_text(":cancel");
    h.enter();
    h.until("cancelled", |s| s.transfers.active.is_empty())
        .await;
    assert!(
        h.state
            .status
            .error()
            .unwrap_or_default()
            .contains("已取消")
    );
    h.settle(50).await;
    // …and nothing after.
    assert!(dir.names().is_empty(), "{:?}", dir.names());
    h.sim.set_http_fault(None);
}

/// Runs `/upload path` from the composer and waits until it ends.
async fn upload(h: &mut Harness, path: &str) {
    h.state.focus = Pane::Composer;
    h.type_text(&format!("/upload {path}"));
    h.enter();
    h.until("the upload started", |s| !s.transfers.active.is_empty())
        .await;
    h.until("the upload ended", |s| s.transfers.active.is_empty())
        .await;
}

fn local_file(dir: &Path, name: &str, data: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.display().to_string()
}

#[tokio::test]
async fn an_upload_goes_by_stream_with_its_sha256_and_by_base64_without_one() {
    let dir = Folder::new("upload");
    let mut h = harness(&dir.0).await;
    open(&mut h, Peer::Group(G)).await;
    let data = bytes(1_200_000, 20);
    let path = local_file(&dir.0, "release.tar.gz", &data);
    upload(&mut h, &path).await;
    let chunks = h.calls("upload_file_stream");
    assert_eq!(
        chunks.len(),
        3 + 1,
        "3 chunks of 512 KiB and the completing call"
    );
    let sha: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&data)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    assert!(chunks.iter().all(|c| c["expected_sha256"] == sha.as_str()));
    let posted = h.calls("upload_group_file");
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0]["name"], "release.tar.gz");
    // The file is in the group with its bytes.
    let file_id = h.sim.with_world(|w| {
        w.group(G)
            .unwrap()
            .files
            .iter()
            .find(|f| f.name == "release.tar.gz")
            .map(|f| f.file_id.clone())
    });
    let stored = h.sim.with_world(|w| w.blob(&file_id.expect("listed")));
    assert!(stored.expect("bytes").as_ref() == data.as_slice());
    // And it shows in the timeline.
    h.until("the file message shows", |s| {
        s.open_chat().is_some_and(|c| {
            c.timeline.iter().any(|e| {
                e.message().is_some_and(|m| {
                    m.chain
                        .segments()
                        .iter()
                        .any(|seg| matches!(seg, Segment::File(f) if f.file == "release.tar.gz"))
                })
            })
        })
    })
    .await;

    // An older NapCat: 1404 for the stream, base64 instead.
    h.sim.set_unsupported(&["upload_file_stream"]);
    let small = bytes(30_000, 21);
    let path = local_file(&dir.0, "small.bin", &small);
    upload(&mut h, &path).await;
    let posted = h.calls("upload_group_file");
    assert_eq!(posted.len(), 2);
    let file = posted[1]["file"].as_str().unwrap();
    assert!(file.starts_with("base64://"));

    // A failure keeps the command, with the reason.
    h.sim.set_unsupported(&[]);
    upload(&mut h, "/no/such/file").await;
    assert!(h.state.status.error().unwrap().contains("上传失败"));
    assert_eq!(h.state.composer.text(), "/upload /no/such/file");
}

#[tokio::test]
async fn a_voice_plays_with_the_configured_player() {
    let dir = Folder::new("play");
    let mut h = harness(&dir.0).await;
    // A "player" that copies what it is given next to the test's folder.
    let script = dir.0.join("player.sh");
    let out = dir.0.join("played.mp3");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ncp \"$1\" '{}'\n", out.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    h.lp.transfers = Transfers::new(TransferOptions {
        download_dir: dir.0.clone(),
        player: Some(script.display().to_string()),
        ..TransferOptions::default()
    });
    open(&mut h, Peer::Group(G)).await;
    let voice = bytes(8_000, 30);
    h.sim.put_blob("feedbeef.amr", voice.clone());
    let rec = Segment::Record(Box::new(RecordData {
        file: "feedbeef.amr".into(),
        file_size: Some(8_000),
        ..Default::default()
    }));
    let who = speaker(&h);
    arrive(&mut h, Peer::Group(G), who, MessageChain(vec![rec])).await;
    h.enter();
    h.until("playing", |s| {
        s.status.info().is_some_and(|i| i.contains("播放"))
    })
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !out.exists() {
        assert!(std::time::Instant::now() < deadline, "the player never ran");
        h.settle(20).await;
    }
    h.settle(50).await;
    assert!(std::fs::read(&out).unwrap() == voice);
}

/// Opens `/files` on the open group and waits for the listing.
async fn browse(h: &mut Harness) {
    h.state.focus = Pane::Composer;
    h.type_text("/files");
    h.enter();
    h.until("the listing", |s| {
        matches!(&s.popup, Some(napterm::app::popup::Popup::Files(b)) if b.entries.ready().is_some())
    })
    .await;
}

fn browser(h: &Harness) -> &napterm::app::popup::FileBrowser {
    match &h.state.popup {
        Some(napterm::app::popup::Popup::Files(b)) => b,
        other => panic!("no browser: {other:?}"),
    }
}

/// Moves the browser's selection to the entry named `name`.
fn pick(h: &mut Harness, name: &str) {
    let i = browser(h)
        .visible()
        .iter()
        .position(|e| e.name() == name)
        .unwrap_or_else(|| panic!("no {name}"));
    if let Some(napterm::app::popup::Popup::Files(b)) = &mut h.state.popup {
        b.selected = i;
    }
}

async fn members_loaded(h: &mut Harness, g: i64) {
    h.until("members loaded", |s| {
        s.contacts
            .members
            .get(&g)
            .is_some_and(|m| !m.ordered().is_empty())
    })
    .await;
}

#[tokio::test]
async fn the_file_browser_opens_folders_saves_and_goes_back_up() {
    let dir = Folder::new("browse");
    let mut h = harness(&dir.0).await;
    open(&mut h, Peer::Group(G)).await;
    browse(&mut h).await;
    let b = browser(&h);
    assert!(b.space.is_some(), "the space used is shown");
    let folder = b
        .visible()
        .iter()
        .find_map(|e| match e {
            napterm::app::popup::FileEntry::Folder { name, .. } => Some(name.clone()),
            _ => None,
        })
        .expect("a folder");
    pick(&mut h, &folder);
    h.enter();
    h.until("inside the folder", |s| {
        matches!(&s.popup, Some(napterm::app::popup::Popup::Files(b)) if b.path.len() == 1 && b.entries.ready().is_some())
    })
    .await;
    assert_eq!(h.calls("get_group_files_by_folder").len(), 1);
    let file = browser(&h)
        .visible()
        .iter()
        .find_map(|e| match e {
            napterm::app::popup::FileEntry::File { name, id, size, .. } if *size < 20_000_000 => {
                Some((name.clone(), id.clone()))
            }
            _ => None,
        })
        .expect("a small file in it");
    pick(&mut h, &file.0);
    h.type_text("s");
    h.until("saved", |s| {
        s.transfers.active.is_empty() && s.status.info().is_some_and(|i| i.contains("已保存"))
    })
    .await;
    let expected = h.sim.with_world(|w| w.blob(&file.1)).expect("bytes");
    let saved = std::fs::read(dir.0.join(napterm::app::transfer::safe_name(&file.0))).unwrap();
    assert!(saved == expected.as_ref());
    // Backspace: up to the root, listed anew.
    h.key(
        crossterm::event::KeyCode::Backspace,
        crossterm::event::KeyModifiers::NONE,
    );
    h.until("back at the root", |s| {
        matches!(&s.popup, Some(napterm::app::popup::Popup::Files(b)) if b.path.is_empty() && b.entries.ready().is_some())
    })
    .await;
    assert_eq!(
        h.calls("get_group_root_files").len(),
        2,
        "listed again, never cached"
    );
}

#[tokio::test]
async fn the_browser_refuses_what_the_account_may_not_do_and_deletes_what_it_may() {
    let dir = Folder::new("perm");
    let mut h = harness(&dir.0).await;
    // A plain member: others' files and folders are refused here, before any call.
    let g = roster::GROUP_LARGE;
    open(&mut h, Peer::Group(g)).await;
    members_loaded(&mut h, g).await;
    browse(&mut h).await;
    let theirs = browser(&h)
        .visible()
        .iter()
        .find_map(|e| match e {
            napterm::app::popup::FileEntry::File { name, uploader, .. }
                if *uploader != roster::SELF_ID =>
            {
                Some(name.clone())
            }
            _ => None,
        })
        .expect("someone else's file");
    pick(&mut h, &theirs);
    h.type_text("d");
    h.until("refused", |s| s.status.error().is_some()).await;
    assert!(
        h.state
            .status
            .error()
            .unwrap()
            .contains("只能删除自己上传的文件")
    );
    assert!(browser(&h).pending.is_none());
    h.type_text("N");
    h.until("refused", |s| {
        s.status.error().is_some_and(|e| e.contains("新建文件夹"))
    })
    .await;
    assert!(h.calls("delete_group_file").is_empty());
    assert!(h.calls("create_group_file_folder").is_empty());
    h.esc();
    h.until("closed", |s| s.popup.is_none()).await;

    // The owner: asked first, then deleted, and the folder listed again.
    open(&mut h, Peer::Group(G)).await;
    members_loaded(&mut h, G).await;
    browse(&mut h).await;
    let victim = browser(&h)
        .visible()
        .iter()
        .find_map(|e| match e {
            napterm::app::popup::FileEntry::File { name, .. } => Some(name.clone()),
            _ => None,
        })
        .expect("a file");
    pick(&mut h, &victim);
    h.type_text("d");
    h.until("asked", |_| true).await;
    h.until(
        "pending",
        |s| matches!(&s.popup, Some(napterm::app::popup::Popup::Files(b)) if b.pending.is_some()),
    )
    .await;
    assert!(h.calls("delete_group_file").is_empty(), "asks first");
    h.type_text("y");
    h.until("deleted", |s| {
        s.status.info().is_some_and(|i| i.contains("已删除"))
    })
    .await;
    assert_eq!(h.calls("delete_group_file").len(), 1);
    h.until("listed again", |s| {
        matches!(&s.popup, Some(napterm::app::popup::Popup::Files(b)) if b.entries.ready().is_some_and(|v| v.iter().all(|e| e.name() != victim)))
    })
    .await;
    // A new folder, and an upload into it from the browser.
    h.type_text("N");
    h.until(
        "naming",
        |s| matches!(&s.popup, Some(napterm::app::popup::Popup::Files(b)) if b.field.is_some()),
    )
    .await;
    h.type_text("作业");
    h.enter();
    h.until("made", |s| {
        s.status.info().is_some_and(|i| i.contains("已新建"))
    })
    .await;
    h.until("listed", |s| {
        matches!(&s.popup, Some(napterm::app::popup::Popup::Files(b)) if b.entries.ready().is_some_and(|v| v.iter().any(|e| e.name() == "作业")))
    })
    .await;
    pick(&mut h, "作业");
    h.enter();
    h.until("inside", |s| matches!(&s.popup, Some(napterm::app::popup::Popup::Files(b)) if b.path.len() == 1 && b.entries.ready().is_some())).await;
    let path = local_file(&dir.0, "hw1.txt", b"answers");
    h.type_text("u");
    h.type_text(&path);
    h.enter();
    h.until("uploaded", |s| {
        s.status.info().is_some_and(|i| i.contains("已上传"))
    })
    .await;
    let posted = h.calls("upload_group_file");
    let folder_id = browser(&h).folder_id().map(str::to_string);
    assert_eq!(posted[0]["folder_id"].as_str(), folder_id.as_deref());
}
