//! Ark cards as a user meets them: the link the timeline draws under a card is the link `o`
//! opens (for every card in the fixtures and every kind the simulator sends), and a card that
//! cannot be read shows a placeholder instead of breaking the screen.

mod snapshot;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};

use napterm::app::chat::{Delivery, EntryKind, MessageItem, SortKey};
use napterm::app::keymap::Keymap;
use napterm::app::state::{Settings, State};
use napterm::app::update::update;
use napterm::app::{Effect, Msg, Pane};
use napterm::onebot::{MessageChain, MessageEvent, Peer, Segment};
use napterm::ui::message::{LayoutCtx, content_spans};
use napterm::ui::theme::Theme;

const ME: i64 = 10001;
const GROUP: i64 = 30001;

fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The cards to check, by name: the fixtures' real payloads, then one of each kind the simulator
/// sends (shaped like NapCat's).
fn cards() -> Vec<(String, Segment)> {
    let mut out = Vec::new();
    let ev: MessageEvent =
        serde_json::from_value(fixture("private_message_json_card.json")).expect("message fixture");
    for seg in ev.message.segments() {
        out.push(("private_message_json_card".to_string(), seg.clone()));
    }
    let ark = fixture("share_group_card.resp.json")["data"]["arkJson"]
        .as_str()
        .expect("arkJson")
        .to_string();
    out.push(("share_group_card".into(), Segment::json(ark)));
    let shapes = [
        (
            "link",
            json!({"app": "com.tencent.structmsg", "prompt": "[分享]哔哩哔哩",
                   "meta": {"news": {"title": "哔哩哔哩", "desc": "原创 · 科技区",
                                     "jumpUrl": "https://b23.tv/a1B2c3D"}}}),
        ),
        (
            "miniapp",
            json!({"app": "com.tencent.miniapp_01", "prompt": "[QQ小程序]哔哩哔哩",
                   "meta": {"detail_1": {"title": "哔哩哔哩", "desc": "视频标题",
                                         "url": "m.q.qq.com/a/s/0123456789abcdef",
                                         "qqdocurl": "https://b23.tv/x"}}}),
        ),
        (
            "music",
            json!({"app": "com.tencent.music.lua", "prompt": "[分享]晴天",
                   "meta": {"music": {"title": "晴天", "desc": "周杰伦",
                                      "jumpUrl": "https://y.qq.com/n/ryqq/songDetail/1",
                                      "musicUrl": "https://example.com/a.mp3"}}}),
        ),
        (
            "contact",
            json!({"app": "com.tencent.contact.lua", "prompt": "推荐好友: 小明",
                   "meta": {"contact": {"nickname": "小明", "jumpUrl": "https://qm.qq.com/q/20002"}}}),
        ),
        (
            "multimsg",
            json!({"app": "com.tencent.multimsg", "prompt": "[聊天记录]",
                   "meta": {"detail": {"news": [{"text": "张三: 你好"}], "resid": "r",
                                       "source": "群聊的聊天记录", "summary": "查看1条转发消息"}}}),
        ),
        (
            "hostile_scheme",
            json!({"prompt": "[分享]x", "meta": {"news": {"title": "x",
                   "jumpUrl": "file:///etc/passwd", "url": "https://example.com/\u{202e}gpj"}}}),
        ),
    ];
    for (name, v) in shapes {
        out.push((name.to_string(), Segment::json(v.to_string())));
    }
    out
}

/// A group chat whose only message is `seg`, selected, with the timeline focused.
fn chat_with(seg: Segment) -> State {
    snapshot::utc();
    let mut s = State::new(Settings::default(), Keymap::default_map());
    s.self_id = ME;
    s.self_name = "夜航船".into();
    s.now = 1_795_003_200;
    let key = SortKey {
        time: s.now - 60,
        seq: 0,
        arrival: 1,
    };
    let chat = s.chat_mut(Peer::Group(GROUP));
    chat.timeline.insert(
        key,
        EntryKind::Message(MessageItem {
            id: Some(1),
            local_id: None,
            sender_id: 20002,
            sender_name: "小明".into(),
            role: None,
            own: false,
            chain: MessageChain::new().push(seg),
            delivery: Delivery::Sent,
            recalled_by: None,
            reactions: vec![],
            essence: false,
            bad_time: None,
        }),
    );
    chat.selected = Some(key);
    s.open = Some(Peer::Group(GROUP));
    s.focus = Pane::Timeline;
    s
}

/// The links the timeline draws for the selected message (the spans in the link style).
fn drawn_links(s: &State) -> Vec<String> {
    let theme = Theme::default();
    let peer = Peer::Group(GROUP);
    let chat = &s.chats[&peer];
    let m = chat
        .timeline
        .iter()
        .find_map(|e| e.message())
        .expect("message");
    let ctx = LayoutCtx {
        state: s,
        theme: &theme,
        peer,
    };
    content_spans(&ctx, m)
        .into_iter()
        .filter(|sp| sp.style == theme.link)
        .map(|sp| sp.content.into_owned())
        .collect()
}

/// What `o` opens on the selected message.
fn opened(s: &mut State) -> Option<String> {
    let fx = update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE)),
    );
    fx.into_iter().find_map(|e| match e {
        Effect::Open(url) => Some(url),
        _ => None,
    })
}

#[test]
fn the_link_drawn_under_a_card_is_the_link_o_opens() {
    let cards = cards();
    assert!(cards.len() >= 8, "cards missing: {}", cards.len());
    for (name, seg) in cards {
        let mut s = chat_with(seg);
        let drawn = drawn_links(&s);
        let opened = opened(&mut s);
        assert!(drawn.len() <= 1, "{name}: {drawn:?}");
        assert_eq!(drawn.first(), opened.as_ref(), "{name}");
        if opened.is_none() {
            // A merged forward's card opens the forward viewer instead of a link.
            let viewer = matches!(s.popup, Some(napterm::app::popup::Popup::Forward(_)));
            assert!(
                s.status.error().is_some() || viewer,
                "{name}: `o` says there is no link"
            );
            assert_eq!(viewer, name == "multimsg", "{name}");
        }
    }
}

#[test]
fn cards_keep_the_links_users_expect() {
    let by_name: Vec<(String, Option<String>)> = cards()
        .into_iter()
        .map(|(n, seg)| {
            let mut s = chat_with(seg);
            (n, opened(&mut s))
        })
        .collect();
    let link = |name: &str| {
        by_name
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, u)| u.clone())
    };
    // The group-invite card only has an mqqapi:// link, which no browser opens.
    assert_eq!(link("private_message_json_card"), None);
    assert_eq!(
        link("share_group_card").as_deref(),
        Some(
            "http://qm.qq.com/cgi-bin/qm/qr?_wv=1027&k=EXAMPLE&authKey=EXAMPLE&noverify=0&group_code=30002"
        )
    );
    assert_eq!(link("link").as_deref(), Some("https://b23.tv/a1B2c3D"));
    assert_eq!(link("miniapp").as_deref(), Some("https://b23.tv/x"));
    assert_eq!(link("multimsg"), None);
    assert_eq!(
        link("hostile_scheme"),
        None,
        "neither file: nor a bidi trick"
    );
}

#[test]
fn a_broken_card_shows_a_placeholder() {
    for data in ["", "{not json", "[]", "{\"meta\": {\"news\": 7}}", "\"\""] {
        let mut s = chat_with(Segment::json(data));
        let screen = snapshot::render(&s, 100, 20);
        assert!(screen.contains("[卡片] 卡片消息"), "{data:?}:\n{screen}");
        assert_eq!(opened(&mut s), None, "{data:?}");
    }
}
