//! Pictures in the timeline: loaded lazily near the window, drawn with half blocks under their
//! messages (aspect kept, at most `max_rows`, stickers smaller, never wider than the text
//! column), placeholders for every bad input, the placeholder mode and its key.

mod snapshot;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use napterm::app::chat::{Delivery, EntryKind, HistoryState, MessageItem, SortKey};
use napterm::app::keymap::Keymap;
use napterm::app::pictures::{IN_FLIGHT, Mode, PicDone, PicFailure, PicJob, Slot};
use napterm::app::state::{Settings, State};
use napterm::app::update::update;
use napterm::app::{Effect, Msg};
use napterm::onebot::{ConnState, MessageChain, Peer, Segment};
use napterm::runtime::picture::decode::{decode, halfblocks};
use napterm::ui::theme::{ColorMode, Theme};
use napterm::ui::{Ui, buffer_lines, draw};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use serde_json::json;
use std::sync::Arc;

const ME: i64 = 10001;
const GROUP: Peer = Peer::Group(30001);
/// 2026-11-18 12:00:00 UTC.
const NOW: i64 = 1_795_003_200;

fn image(file: &str, sub_type: i64, summary: &str) -> Segment {
    serde_json::from_value(json!({"type": "image", "data": {
        "file": file,
        "url": format!("https://multimedia.nt.qq.com.cn/download?appid=1407&fileid={file}&rkey=R"),
        "summary": summary, "sub_type": sub_type, "file_size": 1234,
    }}))
    .expect("segment")
}

fn message(id: i64, from: i64, name: &str, chain: MessageChain) -> EntryKind {
    EntryKind::Message(MessageItem {
        id: Some(id),
        local_id: None,
        sender_id: from,
        sender_name: name.into(),
        role: None,
        own: from == ME,
        chain,
        delivery: Delivery::Sent,
        recalled_by: None,
        reactions: vec![],
        essence: false,
        bad_time: None,
    })
}

/// A group chat with a wide photo, a tall one, a sticker and a message with two pictures.
fn world(mode: Mode) -> State {
    snapshot::utc();
    let settings = Settings {
        picture_mode: mode,
        ..Settings::default()
    };
    let mut s = State::new(settings, Keymap::default_map());
    s.now = NOW;
    s.self_id = ME;
    s.self_name = "夜航船".into();
    s.conn = ConnState::Connected {
        self_id: ME,
        nickname: "夜航船".into(),
    };
    let chat = s.chat_mut(GROUP);
    chat.history = HistoryState::Exhausted;
    let rows: Vec<(i64, &str, MessageChain)> = vec![
        (1, "小明", MessageChain::new().text("看这张照片")),
        (
            2,
            "小明",
            MessageChain::new().push(image("WIDE.jpg", 0, "")),
        ),
        (
            3,
            "Alice",
            MessageChain::new().push(image("TALL.png", 0, "")),
        ),
        (
            4,
            "老K",
            MessageChain::new().push(image("STICKER.gif", 1, "[动画表情]")),
        ),
        (
            5,
            "小明",
            MessageChain::new()
                .text("两张:")
                .push(image("WIDE.jpg", 0, ""))
                .push(image("BROKEN.jpg", 0, "")),
        ),
    ];
    for (i, (id, name, chain)) in rows.into_iter().enumerate() {
        chat.timeline.insert(
            SortKey {
                time: NOW - 600 + i as i64 * 60,
                seq: 0,
                arrival: i as u64 + 1,
            },
            message(id, 20000 + id, name, chain),
        );
    }
    s.open = Some(GROUP);
    s
}

/// The bytes the "server" has for each picture.
fn bytes_of(job: &PicJob) -> Vec<u8> {
    use image::{Rgba, RgbaImage};
    let img = match job.key.0.as_str() {
        "f:WIDE.jpg" => RgbaImage::from_fn(400, 200, |x, y| {
            Rgba([(x * 255 / 400) as u8, (y * 255 / 200) as u8, 120, 255])
        }),
        "f:TALL.png" => RgbaImage::from_fn(100, 400, |x, y| {
            Rgba([200, (x * 255 / 100) as u8, (y * 255 / 400) as u8, 255])
        }),
        "f:STICKER.gif" => RgbaImage::from_fn(64, 64, |x, y| {
            let d = (x as i32 - 32).pow(2) + (y as i32 - 32).pow(2);
            if d < 900 {
                Rgba([255, 200, 0, 255])
            } else {
                Rgba([0, 0, 0, 0])
            }
        }),
        // Truncated: not a picture any decoder can finish.
        _ => return b"\x89PNG\r\n\x1a\n\0\0".to_vec(),
    };
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

/// What the runtime's picture service does with a job, in line: decode, fit, encode.
fn serve(job: &PicJob) -> PicDone {
    let result = decode(&bytes_of(job)).map(|img| {
        (
            (img.width(), img.height()),
            Arc::new(halfblocks(&img, job.fit)),
        )
    });
    PicDone {
        key: job.key.clone(),
        fit: job.fit,
        result,
    }
}

fn jobs(fx: &[Effect]) -> Vec<PicJob> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Picture(j) => Some(j.clone()),
            _ => None,
        })
        .collect()
}

/// Draws a frame with colours; the report goes back to the app. Returns the buffer.
fn frame(s: &mut State, ui: &mut Ui, w: u16, h: u16) -> (Buffer, Vec<Effect>) {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    let f = draw(s, ui, &mut buf);
    let fx = update(s, Msg::Frame(f.report));
    (buf, fx)
}

/// Frames until no picture is asked for any more, serving each job; the last frame's buffer.
fn settle(s: &mut State, w: u16, h: u16) -> Buffer {
    let mut ui = Ui::new(Theme::new(ColorMode::TrueColor));
    for _ in 0..20 {
        let (buf, fx) = frame(s, &mut ui, w, h);
        let js = jobs(&fx);
        assert!(s.pictures.pending.len() <= IN_FLIGHT, "a few at a time");
        if js.is_empty() {
            return buf;
        }
        for j in js {
            update(s, Msg::Picture(serve(&j)));
        }
    }
    panic!("pictures never settled");
}

fn text(buf: &Buffer) -> String {
    let mut out = buffer_lines(buf).join("\n");
    out.push('\n');
    out
}

#[test]
fn the_first_paint_shows_placeholders_and_asks_only_for_what_is_near() {
    let mut s = world(Mode::Inline);
    let mut ui = Ui::new(Theme::new(ColorMode::TrueColor));
    let (buf, fx) = frame(&mut s, &mut ui, 80, 24);
    let first = text(&buf);
    assert!(first.contains("[图片 1.2 KB]"), "{first}");
    assert!(!first.contains('▀'), "nothing drawn before it arrives");
    let js = jobs(&fx);
    assert!(!js.is_empty() && js.len() <= IN_FLIGHT, "{js:?}");
    // A job carries what the runtime needs to get the bytes again when the URL expired.
    let wide = js.iter().find(|j| j.key.0 == "f:WIDE.jpg").expect("wide");
    assert_eq!(wide.peer, GROUP);
    assert!(wide.message_id.is_some());
    assert_eq!(wide.file, "WIDE.jpg");
    // The same frame again asks nothing new while those are out.
    let (_, again) = frame(&mut s, &mut ui, 80, 24);
    assert!(
        jobs(&again)
            .iter()
            .all(|j| !js.iter().any(|k| k.key == j.key && k.fit == j.fit)),
        "asked twice"
    );
}

#[test]
fn pictures_are_drawn_under_their_messages_at_80x24_and_160x48() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut s = world(Mode::Inline);
        let buf = settle(&mut s, w, h);
        insta::assert_snapshot!(format!("pictures_inline_{w}x{h}"), text(&buf));
        // Every picture fits the text column and max_rows.
        let area = s.view.timeline_area;
        let col = napterm::app::pictures::content_cols(area.width);
        for y in area.y..area.y + area.height {
            let row: String = (area.x..area.x + area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            if row.contains('▀') || row.contains('▄') {
                let first = (area.x..area.x + area.width)
                    .find(|x| matches!(buf[(*x, y)].symbol(), "▀" | "▄"))
                    .expect("a block");
                assert!(first >= area.x + area.width - col, "in the text column");
            }
        }
        // The half blocks carry the picture's colours.
        let coloured = (0..w)
            .flat_map(|x| (0..h).map(move |y| (x, y)))
            .any(|(x, y)| buf[(x, y)].symbol() == "▀" && matches!(buf[(x, y)].bg, Color::Rgb(..)));
        assert!(coloured);
        // The broken one says why, in its message.
        assert!(text(&buf).contains("[图片: 无法解码]"), "{}", text(&buf));
    }
}

#[test]
fn a_picture_keeps_its_aspect_and_a_sticker_is_smaller() {
    let mut s = world(Mode::Inline);
    settle(&mut s, 160, 48);
    let w = s.view.timeline_area.width;
    let cells = |file: &str, sticker: bool| {
        let key = napterm::app::pictures::PicKey(format!("f:{file}"));
        let fit = napterm::app::pictures::inline_box(w, 10, sticker);
        s.pictures.cells(&key, fit).cloned().expect(file)
    };
    let wide = cells("WIDE.jpg", false);
    let tall = cells("TALL.png", false);
    let sticker = cells("STICKER.gif", true);
    // 400x200 in ≤10 rows: 20 pixel rows, so 40 columns (one pixel per column).
    assert_eq!((wide.cols, wide.rows), (40, 10));
    // 100x400: 10 rows, 5 columns.
    assert_eq!((tall.cols, tall.rows), (5, 10));
    assert!(sticker.rows <= 5 && sticker.rows < wide.rows);
    // The sticker's transparent corners show the terminal's background.
    assert_eq!(sticker.cells[0], (None, None));
}

#[test]
fn placeholder_mode_draws_no_pictures_and_its_key_toggles_it() {
    let mut s = world(Mode::Placeholder);
    let buf = settle(&mut s, 80, 24);
    let shown = text(&buf);
    assert!(!shown.contains('▀') && !shown.contains('▄'), "{shown}");
    assert!(
        s.pictures.slots.is_empty(),
        "nothing is fetched in placeholder mode"
    );
    insta::assert_snapshot!("pictures_placeholder_80x24", shown);

    // Alt+I: inline.
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('i'), KeyModifiers::ALT)),
    );
    assert_eq!(s.pictures.mode, Mode::Inline);
    // The pictures of the window are asked for at once.
    assert!(!jobs(&fx).is_empty());
    for j in jobs(&fx) {
        update(&mut s, Msg::Picture(serve(&j)));
    }
    let buf = settle(&mut s, 80, 24);
    assert!(text(&buf).contains('▀') || text(&buf).contains('▄'));
    // And back: the pictures already drawn go away at once.
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('i'), KeyModifiers::ALT)),
    );
    assert_eq!(s.pictures.mode, Mode::Placeholder);
    let mut ui = Ui::new(Theme::new(ColorMode::TrueColor));
    let (buf, fx) = frame(&mut s, &mut ui, 80, 24);
    assert!(!text(&buf).contains('▀'));
    assert!(jobs(&fx).is_empty());
}

#[test]
fn every_bad_input_gets_its_placeholder() {
    for (why, label) in [
        (PicFailure::TooLarge, "[图片: 过大]"),
        (PicFailure::Undecodable, "[图片: 无法解码]"),
        (PicFailure::Unreachable, "[图片: 无法获取]"),
        (PicFailure::NoUrl, "[图片: 无地址]"),
    ] {
        let mut s = world(Mode::Inline);
        let mut ui = Ui::new(Theme::new(ColorMode::TrueColor));
        let (_, fx) = frame(&mut s, &mut ui, 160, 48);
        for j in jobs(&fx) {
            update(
                &mut s,
                Msg::Picture(PicDone {
                    key: j.key.clone(),
                    fit: j.fit,
                    result: Err(why),
                }),
            );
        }
        let (buf, fx) = frame(&mut s, &mut ui, 160, 48);
        let shown = text(&buf);
        assert!(shown.contains(label), "{label}: {shown}");
        assert!(!shown.contains('▀'));
        // A failed picture is not asked for again frame after frame.
        for j in jobs(&fx) {
            assert!(
                !matches!(s.pictures.slots.get(&j.key), Some(Slot::Failed(_))),
                "{j:?}"
            );
        }
    }
}

#[test]
fn without_colours_pictures_stay_placeholders() {
    let mut s = world(Mode::Inline);
    settle(&mut s, 80, 24);
    // The same state drawn without colours (NO_COLOR): text only.
    let shown = snapshot::render(&s, 80, 24);
    assert!(!shown.contains('▀') && !shown.contains('▄'), "{shown}");
}

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

#[test]
fn the_viewer_opens_steps_copies_and_closes() {
    use napterm::app::Pane;
    use napterm::app::popup::Popup;
    let mut s = world(Mode::Inline);
    s.size = (80, 24);
    settle(&mut s, 80, 24);
    // Select the tall photo's message in the timeline and press Enter.
    let chat = s.chats.get_mut(&GROUP).expect("chat");
    let tall = chat
        .timeline
        .iter()
        .find(|e| e.message().is_some_and(|m| m.id == Some(3)))
        .map(|e| e.key)
        .expect("tall");
    chat.selected = Some(tall);
    s.focus = Pane::Timeline;
    let fx = key(&mut s, KeyCode::Enter);
    let Some(Popup::Pictures(v)) = &s.popup else {
        panic!("no viewer: {:?}", s.popup);
    };
    // Every picture of the chat, in order (the same picture twice when sent twice).
    assert_eq!(v.items.len(), 5);
    assert_eq!(v.items[v.index].key.0, "f:TALL.png");
    // Asked for at the viewer's size, drawn when it comes.
    let js = jobs(&fx);
    assert_eq!(js.len(), 1);
    assert_eq!(
        js[0].fit,
        napterm::app::popup::pictures::viewer_box((80, 24))
    );
    let mut ui = Ui::new(Theme::new(ColorMode::TrueColor));
    let (buf, _) = frame(&mut s, &mut ui, 80, 24);
    assert!(text(&buf).contains("正在加载图片…"));
    update(&mut s, Msg::Picture(serve(&js[0])));
    let (buf, _) = frame(&mut s, &mut ui, 80, 24);
    insta::assert_snapshot!("pictures_viewer_80x24", text(&buf));
    // At 160x48 the viewer asks again at its larger size, and draws that.
    s.size = (160, 48);
    let (_, fx) = frame(&mut s, &mut ui, 160, 48);
    // (The timeline behind it is wider now too: its pictures are asked for again as well.)
    let vbox = napterm::app::popup::pictures::viewer_box((160, 48));
    let big: Vec<_> = jobs(&fx).into_iter().filter(|j| j.fit == vbox).collect();
    assert_eq!(big.len(), 1);
    assert_eq!(big[0].key.0, "f:TALL.png");
    for j in jobs(&fx) {
        update(&mut s, Msg::Picture(serve(&j)));
    }
    let (buf, _) = frame(&mut s, &mut ui, 160, 48);
    insta::assert_snapshot!("pictures_viewer_160x48", text(&buf));
    s.size = (80, 24);
    // → steps to the sticker, ← back; the ends stay put.
    let fx = key(&mut s, KeyCode::Right);
    let Some(Popup::Pictures(v)) = &s.popup else {
        panic!("closed")
    };
    assert_eq!(v.items[v.index].key.0, "f:STICKER.gif");
    assert_eq!(jobs(&fx).len(), 1);
    key(&mut s, KeyCode::Left);
    key(&mut s, KeyCode::Left);
    key(&mut s, KeyCode::Left);
    let Some(Popup::Pictures(v)) = &s.popup else {
        panic!("closed")
    };
    assert_eq!(v.index, 0);
    // y copies the picture's URL.
    let fx = key(&mut s, KeyCode::Char('y'));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Copy(u) if u.contains("fileid=WIDE.jpg"))),
        "{fx:?}"
    );
    // Esc closes; q too.
    key(&mut s, KeyCode::Esc);
    assert!(s.popup.is_none());
    key(&mut s, KeyCode::Char('o'));
    assert!(
        matches!(s.popup, Some(Popup::Pictures(_))),
        "o opens it too"
    );
    key(&mut s, KeyCode::Char('q'));
    assert!(s.popup.is_none());
}

#[test]
fn enter_on_a_message_without_pictures_does_what_it_did() {
    use napterm::app::Pane;
    let mut s = world(Mode::Inline);
    let chat = s.chats.get_mut(&GROUP).expect("chat");
    let first = chat.timeline.iter().next().map(|e| e.key).expect("first");
    chat.selected = Some(first);
    s.focus = Pane::Timeline;
    key(&mut s, KeyCode::Enter);
    assert!(s.popup.is_none());
}

/// The messages `fx` sends.
fn sent(fx: &[Effect]) -> Vec<napterm::app::call::SendMessage> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Call(napterm::app::call::Call::SendMessage(m)) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

/// The runtime has prepared a picture for the group: it shows as `shown`, goes out as a
/// little base64.
fn picture_ready(s: &mut State, shown: &napterm::onebot::segment::ImageData) -> Vec<Effect> {
    update(
        s,
        Msg::PictureSend(napterm::app::pictures::SendEvent::Ready {
            peer: GROUP,
            shown: Box::new(shown.clone()),
            file: "base64://iVBORw0KGgo=".into(),
        }),
    )
}

#[test]
fn image_sends_the_prepared_picture_showing_it_and_storing_no_base64() {
    use napterm::app::pictures::SendEvent;
    use napterm::onebot::segment::ImageData;
    let mut s = world(Mode::Inline);
    let mut fx = Vec::new();
    napterm::app::commands::run(&mut s, "image ~/图片/猫.png", &mut fx).expect("runs");
    assert!(
        fx.contains(&Effect::SendPicture {
            peer: GROUP,
            path: "~/图片/猫.png".into()
        }),
        "{fx:?}"
    );
    assert!(napterm::app::commands::run(&mut s, "image  ", &mut Vec::new()).is_err());
    let shown = ImageData {
        file: "0123abcd.png".into(),
        file_size: Some(2048),
        sub_type: Some(0),
        ..Default::default()
    };
    let fx = picture_ready(&mut s, &shown);
    let sent = sent(&fx).pop().expect("sent");
    assert!(matches!(&sent.chain.segments()[0],
        Segment::Image(i) if i.file == "base64://iVBORw0KGgo="));
    // The pending entry shows the picture by its hash, not the base64.
    let chat = &s.chats[&GROUP];
    let last = chat
        .timeline
        .iter()
        .last()
        .and_then(|e| e.message())
        .expect("entry");
    assert!(matches!(&last.chain.segments()[0], Segment::Image(i) if i.file == shown.file));
    // The send fails; `R` on it sends the picture's bytes again, not the hash it shows.
    let e = napterm::onebot::Error::Timeout {
        action: "send_group_msg".into(),
        secs: 30,
    };
    update(
        &mut s,
        Msg::Reply(napterm::app::Reply::SendMessage(sent.clone(), Err(e))),
    );
    let chat = s.chats.get_mut(&GROUP).expect("chat");
    let key_of = chat.timeline.key_of_local(sent.local_id).expect("entry");
    assert!(matches!(
        chat.timeline
            .get(key_of)
            .and_then(|e| e.message())
            .map(|m| &m.delivery),
        Some(Delivery::Failed(_))
    ));
    chat.selected = Some(key_of);
    s.focus = napterm::app::action::Pane::Timeline;
    let fx = key(&mut s, KeyCode::Char('R'));
    let again = self::sent(&fx).pop().expect("sent again");
    assert_eq!(again.chain, sent.chain);
    // Taken by the server: the bytes are let go.
    update(
        &mut s,
        Msg::Reply(napterm::app::Reply::SendMessage(again, Ok(4242))),
    );
    assert!(s.unsent.is_empty());
    // Failures say why.
    update(
        &mut s,
        Msg::PictureSend(SendEvent::Failed("找不到文件 /x.png".into())),
    );
    assert!(s.status.error().is_some_and(|e| e.contains("找不到文件")));
}

/// Your picture comes back from NapCat (`message_sent`) under NapCat's name: what was cached
/// by the name it was sent with serves that name too — whether the echo comes after the send's
/// answer or before it — so it is neither fetched again nor missing when read offline.
#[test]
fn a_sent_picture_serves_the_name_it_comes_back_under() {
    use napterm::app::pictures::PicKey;
    use napterm::onebot::segment::ImageData;
    let shown = ImageData {
        file: "0123abcd.png".into(),
        sub_type: Some(0),
        ..Default::default()
    };
    let echo = |id: i64| {
        let frame = json!({
                "post_type": "message_sent", "message_type": "group", "sub_type": "normal",
                "time": NOW, "self_id": ME, "user_id": ME, "group_id": 30001, "message_id": id,
                "sender": {"user_id": ME, "nickname": "夜航船"},
                "message": [{"type": "image", "data": {
                    "file": "8FBDAD6D6CA9C14EF0E9AB59A2D88127.png", "sub_type": 0,
                    "url": "https://multimedia.nt.qq.com.cn/download?fileid=x&rkey=y"}}],
                "message_format": "array",
        });
        let Ok(napterm::onebot::Frame::Event(e)) = napterm::onebot::parse_frame(&frame.to_string())
        else {
            panic!("not an event: {frame}");
        };
        Msg::Client(napterm::onebot::ClientEvent::Event(e))
    };
    let aliases = |fx: &[Effect]| -> Vec<(PicKey, PicKey)> {
        fx.iter()
            .filter_map(|e| match e {
                Effect::AliasPicture { from, to } => Some((from.clone(), to.clone())),
                _ => None,
            })
            .collect()
    };
    let to = PicKey::of(&ImageData {
        file: "8FBDAD6D6CA9C14EF0E9AB59A2D88127.png".into(),
        ..Default::default()
    })
    .expect("a key");
    let from = PicKey::of(&shown).expect("a key");
    for echo_first in [false, true] {
        let mut s = world(Mode::Inline);
        let message = sent(&picture_ready(&mut s, &shown)).pop().expect("sent");
        let done = Msg::Reply(napterm::app::Reply::SendMessage(message, Ok(4242)));
        let fx = if echo_first {
            assert!(
                aliases(&update(&mut s, echo(4242))).is_empty(),
                "not known yet"
            );
            update(&mut s, done)
        } else {
            update(&mut s, done);
            update(&mut s, echo(4242))
        };
        assert_eq!(aliases(&fx), vec![(from.clone(), to.clone())], "{fx:?}");
    }
}

/// A picture sent while NapCat is away waits like text, and a restart keeps it: the session
/// holds what it shows and what it sends, and once connected its bytes go out, not its hash.
#[test]
fn a_picture_written_offline_waits_across_a_restart() {
    use napterm::onebot::segment::ImageData;
    let mut s = world(Mode::Inline);
    update(
        &mut s,
        Msg::Client(napterm::onebot::ClientEvent::State(
            ConnState::Reconnecting {
                in_secs: 2,
                reason: "connection refused".into(),
            },
        )),
    );
    let shown = ImageData {
        file: "0123abcd.png".into(),
        sub_type: Some(0),
        ..Default::default()
    };
    let fx = picture_ready(&mut s, &shown);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Call(_))),
        "offline: nothing sent {fx:?}"
    );
    let session = s.session();
    assert_eq!(session.outbox.len(), 1, "kept for a restart");
    let sent_bytes = |chain: &MessageChain| matches!(&chain.segments()[0], Segment::Image(i) if i.file == "base64://iVBORw0KGgo=");
    assert!(sent_bytes(&session.outbox[0].outgoing()));

    let mut s = world(Mode::Inline);
    s.conn = ConnState::Reconnecting {
        in_secs: 2,
        reason: "connection refused".into(),
    };
    update(&mut s, Msg::Restore(session));
    let last = s.chats[&GROUP]
        .timeline
        .iter()
        .last()
        .and_then(|e| e.message())
        .expect("the waiting picture is back");
    assert!(matches!(&last.chain.segments()[0], Segment::Image(i) if i.file == shown.file));
    assert_eq!(last.delivery, Delivery::Waiting);
    let fx = update(
        &mut s,
        Msg::Client(napterm::onebot::ClientEvent::State(ConnState::Connected {
            self_id: ME,
            nickname: "夜航船".into(),
        })),
    );
    let sent = sent(&fx);
    assert_eq!(sent.len(), 1, "{fx:?}");
    assert!(sent_bytes(&sent[0].chain), "{:?}", sent[0]);
}

/// A picture over 10 MB goes out uploaded: its message asks for the upload first and sends
/// NapCat's path once it is done. One whose upload cannot reach NapCat waits for the
/// connection like any message written offline (a restart too), and is uploaded then.
#[test]
fn a_large_picture_is_uploaded_when_its_message_goes_out_and_waits_offline() {
    use napterm::app::pictures::SendEvent;
    use napterm::onebot::segment::ImageData;
    let big = format!("base64://{}", "A".repeat(14 * 1024 * 1024));
    let shown = ImageData {
        file: "0123abcd.png".into(),
        sub_type: Some(0),
        ..Default::default()
    };
    let ready = |s: &mut State| {
        update(
            s,
            Msg::PictureSend(SendEvent::Ready {
                peer: GROUP,
                shown: Box::new(shown.clone()),
                file: big.clone(),
            }),
        )
    };
    let uploads = |fx: &[Effect]| -> Vec<(u64, MessageChain)> {
        fx.iter()
            .filter_map(|e| match e {
                Effect::UploadPicture {
                    peer: GROUP,
                    local_id,
                    chain,
                } => Some((*local_id, chain.clone())),
                _ => None,
            })
            .collect()
    };
    let offline = || {
        Msg::Client(napterm::onebot::ClientEvent::State(
            ConnState::Reconnecting {
                in_secs: 2,
                reason: "connection refused".into(),
            },
        ))
    };
    let online = || {
        Msg::Client(napterm::onebot::ClientEvent::State(ConnState::Connected {
            self_id: ME,
            nickname: "夜航船".into(),
        }))
    };
    let delivery = |s: &State, local_id: u64| {
        let chat = &s.chats[&GROUP];
        let key = chat.timeline.key_of_local(local_id).expect("entry");
        chat.timeline
            .get(key)
            .and_then(|e| e.message())
            .expect("message")
            .delivery
            .clone()
    };

    let mut s = world(Mode::Inline);
    let fx = ready(&mut s);
    assert!(sent(&fx).is_empty(), "not inside a message: {fx:?}");
    let [(id, chain)] = uploads(&fx).try_into().expect("one upload");
    assert!(matches!(&chain.segments()[0], Segment::Image(i) if i.file == big));
    assert_eq!(delivery(&s, id), Delivery::Pending);
    // Not sent yet: a quit during the upload keeps it for the next start.
    assert_eq!(s.session().outbox.len(), 1);
    // Its progress is said in the status line.
    update(
        &mut s,
        Msg::PictureSend(SendEvent::Progress {
            local_id: id,
            done: 5,
            total: 10,
        }),
    );
    assert_eq!(s.status.info(), Some("正在上传图片 50%"));
    // Uploaded: the message goes out with NapCat's path.
    let uploaded = MessageChain(vec![Segment::image("/tmp/napcat/0123abcd.png")]);
    let fx = update(
        &mut s,
        Msg::PictureSend(SendEvent::Uploaded {
            peer: GROUP,
            local_id: id,
            chain: uploaded.clone(),
        }),
    );
    let [message] = sent(&fx).try_into().expect("one send");
    assert_eq!((message.local_id, &message.chain), (id, &uploaded));
    assert!(
        s.session().outbox.is_empty(),
        "on its way: not for a restart"
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::SaveSession(k) if k.outbox.is_empty())),
        "out of the saved outbox at once: {fx:?}"
    );

    // The connection goes during an upload: it waits, and is uploaded again once connected.
    let mut s = world(Mode::Inline);
    let [(id, _)] = uploads(&ready(&mut s)).try_into().expect("one upload");
    update(&mut s, offline());
    update(
        &mut s,
        Msg::PictureSend(SendEvent::UploadFailed {
            peer: GROUP,
            local_id: id,
            offline: true,
            why: "未连接".into(),
        }),
    );
    assert_eq!(delivery(&s, id), Delivery::Waiting);
    assert_eq!(s.outbox.len(), 1);
    assert_eq!(s.session().outbox.len(), 1, "once");
    let fx = update(&mut s, online());
    assert_eq!(uploads(&fx).len(), 1, "{fx:?}");
    assert!(sent(&fx).is_empty());

    // Written offline: it waits, across a restart too, and is uploaded once connected.
    let mut s = world(Mode::Inline);
    update(&mut s, offline());
    let fx = ready(&mut s);
    assert!(uploads(&fx).is_empty() && sent(&fx).is_empty(), "{fx:?}");
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::SaveSession(k) if k.outbox.len() == 1)),
        "kept at once, not only at the next save: {fx:?}"
    );
    let session = s.session();
    assert_eq!(session.outbox.len(), 1);
    let mut s = world(Mode::Inline);
    s.conn = ConnState::Reconnecting {
        in_secs: 2,
        reason: "connection refused".into(),
    };
    update(&mut s, Msg::Restore(session));
    let fx = update(&mut s, online());
    let [(id, chain)] = uploads(&fx).try_into().expect("one upload");
    assert!(matches!(&chain.segments()[0], Segment::Image(i) if i.file == big));

    // NapCat refuses the upload: it failed, says why, and `R` uploads it again.
    update(
        &mut s,
        Msg::PictureSend(SendEvent::UploadFailed {
            peer: GROUP,
            local_id: id,
            offline: false,
            why: "这个 NapCat 不能分块接收".into(),
        }),
    );
    assert!(matches!(delivery(&s, id), Delivery::Failed(w) if w.contains("不能分块接收")));
    assert!(s.status.error().is_some_and(|e| e.contains("图片上传失败")));
    let chat = s.chats.get_mut(&GROUP).expect("chat");
    chat.selected = chat.timeline.key_of_local(id);
    s.focus = napterm::app::action::Pane::Timeline;
    let fx = key(&mut s, KeyCode::Char('R'));
    assert_eq!(uploads(&fx).len(), 1, "{fx:?}");

    // `d` while it uploads takes it back: the upload stops, and what it still says is not
    // heard (no send, no progress over the status line).
    let fx = key(&mut s, KeyCode::Char('d'));
    assert!(
        fx.contains(&Effect::CancelUpload { local_id: id }),
        "{fx:?}"
    );
    assert!(s.chats[&GROUP].timeline.key_of_local(id).is_none());
    assert!(s.session().outbox.is_empty());
    let said = s.status.info().map(str::to_string);
    let late = [
        SendEvent::Progress {
            local_id: id,
            done: 9,
            total: 10,
        },
        SendEvent::Uploaded {
            peer: GROUP,
            local_id: id,
            chain: MessageChain(vec![Segment::image("/tmp/napcat/x.png")]),
        },
    ];
    for ev in late {
        let fx = update(&mut s, Msg::PictureSend(ev));
        assert!(sent(&fx).is_empty(), "{fx:?}");
    }
    assert_eq!(s.status.info().map(str::to_string), said);
}

#[test]
fn a_pasted_picture_path_asks_before_sending_and_no_keeps_the_text() {
    use napterm::app::popup::Popup;
    for (text, offered) in [
        ("/home/me/Pictures/cat.png", true),
        ("'/home/me/My Pictures/cat.JPG'", true),
        ("file:///tmp/a.webp", true),
        ("~/a.gif", true),
        ("/home/me/notes.txt", false),
        ("cat.png", false),
        ("look at /tmp/a.png", false),
        ("/tmp/a.png\n/tmp/b.png", false),
    ] {
        assert_eq!(
            napterm::app::picture_send::pasted_path(text).is_some(),
            offered,
            "{text}"
        );
    }
    let mut s = world(Mode::Inline);
    s.composer.insert_text("看 ");
    update(&mut s, Msg::Paste("/tmp/猫.png".into()));
    assert!(matches!(s.popup, Some(Popup::Confirm(_))));
    assert_eq!(
        s.composer.text(),
        "看 /tmp/猫.png",
        "the paste is in the draft meanwhile"
    );
    // No: the text stays.
    key(&mut s, KeyCode::Char('n'));
    assert!(s.popup.is_none());
    assert_eq!(s.composer.text(), "看 /tmp/猫.png");
    // Yes: the path leaves the draft and the picture is read.
    update(&mut s, Msg::Paste(" /tmp/狗.jpg".into()));
    let fx = key(&mut s, KeyCode::Char('y'));
    let mut all = fx.clone();
    for e in fx {
        if let Effect::Continue(step) = e {
            all.extend(update(&mut s, Msg::Continue(step)));
        }
    }
    assert!(
        all.contains(&Effect::SendPicture {
            peer: GROUP,
            path: "/tmp/狗.jpg".into()
        }),
        "{all:?}"
    );
    assert_eq!(s.composer.text(), "看 /tmp/猫.png");
}

#[test]
fn tab_completes_local_picture_paths_after_image() {
    use napterm::app::composer::CompletionKind;
    let mut s = world(Mode::Inline);
    let mut fx = Vec::new();
    for c in "/image ~/Pic".chars() {
        fx.extend(key(&mut s, KeyCode::Char(c)));
    }
    assert!(
        fx.contains(&Effect::ListDir("~/".into())),
        "the folder is read once: {fx:?}"
    );
    // The working directory after `/image `, then `~/` once, whatever is typed after it.
    assert_eq!(
        fx.iter()
            .filter(|e| matches!(e, Effect::ListDir(_)))
            .collect::<Vec<_>>(),
        vec![&Effect::ListDir("".into()), &Effect::ListDir("~/".into())]
    );
    let entry = |name: &str, dir: bool| (name.to_string(), dir);
    update(
        &mut s,
        Msg::Listed {
            dir: "~/".into(),
            entries: vec![
                entry("Pictures", true),
                entry("Public", true),
                entry("a.png", false),
            ],
        },
    );
    let c = s.composer.completion.as_ref().expect("a list");
    assert_eq!(c.kind, CompletionKind::Path);
    let labels: Vec<&str> = c.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, vec!["Pictures/"]);
    // Tab goes into the folder, which is read in turn.
    let fx = key(&mut s, KeyCode::Tab);
    assert_eq!(s.composer.text(), "/image ~/Pictures/");
    assert!(fx.contains(&Effect::ListDir("~/Pictures/".into())));
    update(
        &mut s,
        Msg::Listed {
            dir: "~/Pictures/".into(),
            entries: vec![entry("猫.png", false), entry("notes.txt", false)],
        },
    );
    // `/image` offers pictures and folders only.
    let c = s.composer.completion.as_ref().expect("a list");
    let labels: Vec<&str> = c.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, vec!["猫.png"]);
    // Enter on a picture sends it.
    let fx = key(&mut s, KeyCode::Enter);
    assert!(
        fx.contains(&Effect::SendPicture {
            peer: GROUP,
            path: "~/Pictures/猫.png".into()
        }),
        "{fx:?}"
    );
}

#[test]
fn what_is_remembered_of_pictures_is_bounded() {
    use napterm::app::pictures::{PicKey, SLOTS_CAP};
    let mut s = world(Mode::Inline);
    let elsewhere = Peer::Private(20002);
    let key = SortKey {
        time: 1,
        seq: 0,
        arrival: 1,
    };
    for i in 0..SLOTS_CAP + 1 {
        let k = PicKey(format!("f:old{i}.jpg"));
        s.pictures
            .slots
            .insert(k.clone(), Slot::Failed(PicFailure::Unreachable));
        s.pictures.shown_in.insert(k, vec![(elsewhere, key)]);
    }
    settle(&mut s, 80, 24);
    assert!(s.pictures.slots.len() < 100, "{}", s.pictures.slots.len());
    assert!(
        s.pictures
            .shown_in
            .values()
            .flatten()
            .all(|(p, _)| *p == GROUP)
    );
    // The open chat's pictures are still there.
    assert!(s.pictures.slots.contains_key(&PicKey("f:WIDE.jpg".into())));
}

/// The frame says where each drawn picture is (a graphics protocol draws it there): exactly
/// the rows its half blocks take, in the text column, cut where the timeline cuts it.
#[test]
fn the_frame_reports_where_each_picture_is() {
    let mut s = world(Mode::Inline);
    settle(&mut s, 80, 24);
    let mut ui = Ui::new(Theme::new(ColorMode::TrueColor));
    let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
    let f = draw(&s, &mut ui, &mut buf);
    assert!(!f.pictures.is_empty());
    let area = f.timeline;
    let mut rows = std::collections::BTreeSet::new();
    for p in f.pictures.iter().map(|p| &p.place) {
        let visible = p.rows - p.cut_top - p.cut_bottom;
        assert!(visible >= 1 && p.y >= area.y && p.y + visible <= area.y + area.height);
        assert!(p.x + p.cols <= area.x + area.width);
        assert_eq!(
            p.x,
            area.x + area.width - napterm::app::pictures::content_cols(area.width)
        );
        rows.extend(p.y..p.y + visible);
    }
    let drawn: std::collections::BTreeSet<u16> = (area.y..area.y + area.height)
        .filter(|&y| {
            (area.x..area.x + area.width).any(|x| matches!(buf[(x, y)].symbol(), "▀" | "▄"))
        })
        .collect();
    assert_eq!(rows, drawn);
}

#[test]
fn the_chosen_protocol_is_shown_at_start_and_by_protocol() {
    let mut s = world(Mode::Inline);
    update(&mut s, Msg::PictureProtocol("kitty"));
    assert_eq!(s.pictures.protocol, "kitty");
    assert_eq!(s.status.info(), Some("图片显示方式: kitty"));
    let mut fx = Vec::new();
    napterm::app::commands::run(&mut s, "protocol", &mut fx).unwrap();
    assert_eq!(s.status.info(), Some("图片显示方式: kitty"));
}
