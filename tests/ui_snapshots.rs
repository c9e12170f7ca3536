//! Every pane rendered into ratatui's TestBackend and compared with reviewed snapshots, at 80x24
//! and 160x48, with data that has CJK names, emoji, long URLs, every segment type and notices.

mod snapshot;
use napterm::app::chat::{
    Delivery, EntryKind, HistoryState, MessageItem, NoticeItem, Reaction, SortKey,
};
use napterm::app::composer::{Completion, CompletionItem, CompletionKind, Pick, ReplyTarget};
use napterm::app::contacts::{FriendInfo, GroupEntry, Member, Members, MembersState};
use napterm::app::inbox::{PendingRequest, RequestWhat};
use napterm::app::keymap::Keymap;
use napterm::app::popup::{
    Confirm, FacePicker, ForwardLevel, ForwardView, HelpView, InboxView, Load, Popup, ReactionList,
    ReactionPicker, ReactionRow,
};
use napterm::app::state::{Settings, SidebarTab, State};
use napterm::app::{Effect, Pane};
use napterm::onebot::segment::Music;
use napterm::onebot::{ConnState, MessageChain, MessageEvent, Peer, Role, Segment};
use napterm::ui::Ui;
use napterm::ui::theme::{ColorMode, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use serde_json::json;
use unicode_width::UnicodeWidthStr;

const ME: i64 = 10001;
const GROUP: i64 = 30001;
const FRIEND: i64 = 20002;
/// 2026-11-18 12:00:00 UTC.
const NOW: i64 = 1_795_003_200;

fn member(id: i64, nick: &str, card: &str, role: Role) -> Member {
    Member {
        user_id: id,
        nickname: nick.into(),
        card: card.into(),
        role,
        ..Default::default()
    }
}

fn msg(id: i64, from: i64, name: &str, chain: MessageChain) -> MessageItem {
    MessageItem {
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
    }
}

fn seg(kind: &str, data: serde_json::Value) -> Segment {
    serde_json::from_value(json!({"type": kind, "data": data})).expect("segment")
}

/// A state with a group chat holding every segment type and the notices.
fn world() -> State {
    snapshot::utc();
    let mut s = State::new(Settings::default(), Keymap::default_map());
    s.now = NOW;
    s.self_id = ME;
    s.self_name = "夜航船".into();
    s.conn = ConnState::Connected {
        self_id: ME,
        nickname: "夜航船".into(),
    };
    let c = &mut s.contacts;
    c.categories = vec![(1, "我的好友".into()), (2, "同学".into())];
    for (id, nick, remark, cat) in [
        (FRIEND, "小明", "明哥", 1),
        (20003, "Alice 🌸", "", 2),
        (20004, "王思琪", "", 2),
    ] {
        c.friends.insert(
            id,
            FriendInfo {
                user_id: id,
                nickname: nick.into(),
                remark: remark.into(),
                category: Some(cat),
            },
        );
    }
    for (id, name, count) in [
        (GROUP, "Rust 中文社区 🦀", 369),
        (30002, "周末羽毛球约起🏸", 42),
        (30003, "阳光花园二期业主群", 488),
    ] {
        c.groups.insert(
            id,
            GroupEntry {
                group_id: id,
                name: name.into(),
                member_count: count,
                max_member_count: 500,
                ..Default::default()
            },
        );
    }
    let ms = Members::new(
        MembersState::Loaded,
        [
            member(20010, "群主大人", "", Role::Owner),
            member(ME, "夜航船", "船长", Role::Admin),
            member(FRIEND, "小明", "明哥 | 后端", Role::Member),
            member(20003, "Alice 🌸", "", Role::Member),
            {
                let mut m = member(20005, "捣蛋鬼", "", Role::Member);
                m.shut_up_until = NOW + 3600;
                m
            },
            {
                let mut m = member(20006, "老K", "", Role::Member);
                m.title = "活跃分子".into();
                m
            },
        ],
    );
    c.members.insert(GROUP, ms);

    let chat = s.chat_mut(Peer::Group(GROUP));
    chat.history = HistoryState::Exhausted;
    chat.set_last_activity(NOW);
    let yesterday = NOW - 86_400;
    let mut t = yesterday;
    let mut arrival = 0;
    let mut add = |time: i64, kind: EntryKind| {
        arrival += 1;
        chat.timeline.insert(
            SortKey {
                time,
                seq: 0,
                arrival,
            },
            kind,
        );
    };
    let mut next = || {
        t += 60;
        t
    };
    add(
        next(),
        EntryKind::Message(msg(
            1,
            FRIEND,
            "小明",
            MessageChain::new().text("昨天的消息：大家好！"),
        )),
    );
    add(
        next(),
        EntryKind::Message(msg(
            2,
            20003,
            "Alice 🌸",
            MessageChain::new().text("Hello 👋 emoji 👨‍👩‍👧 and e\u{301}"),
        )),
    );
    let t2 = NOW - 3000;
    let mut t = t2;
    let mut next = || {
        t += 30;
        t
    };
    let long_url =
        "https://github.com/ratatui/ratatui/blob/main/examples/apps/demo2/src/app.rs#L42-L120";
    let items: Vec<(i64, i64, &str, MessageChain)> = vec![
        (10, FRIEND, "小明", MessageChain::new().text(format!("看这个 {long_url} 写得很清楚"))),
        (11, 20003, "Alice 🌸", MessageChain::new().at(ME).text(" 在吗？").at(FRIEND).text(" 一起").at_all()),
        (12, FRIEND, "小明", MessageChain::new().face(14).face(76).push(seg("mface", json!({"emoji_package_id": 1, "emoji_id": "x", "key": "k", "summary": "[摸头]"})))),
        (13, 20006, "老K", MessageChain::new().push(seg("image", json!({"file": "a.jpg", "file_size": "1887436", "summary": ""}))).push(seg("image", json!({"file": "b.gif", "sub_type": 1, "summary": "[动画表情]"}))).push(seg("image", json!({"file": "c.gif", "emoji_id": "e", "emoji_package_id": 2, "summary": "[摸头]"})))),
        (14, FRIEND, "小明", MessageChain::new().push(seg("record", json!({"file": "v.amr", "file_size": "5120"}))).push(seg("video", json!({"file": "v.mp4", "file_size": "3355443"})))),
        (15, 20003, "Alice 🌸", MessageChain::new().push(seg("file", json!({"file": "季度报告 Q3.pdf", "file_id": "/x", "file_size": "524288"})))),
        (16, ME, "夜航船", MessageChain::new().reply(10).text("收到，我晚点看")),
        (17, 20006, "老K", MessageChain::new().reply(999).text("引用一条很早的消息")),
        (18, FRIEND, "小明", MessageChain::new().push(seg("forward", json!({"id": "fw1", "content": [
            {"user_id": 1, "sender": {"user_id": 1, "nickname": "张三"}, "message": [{"type": "text", "data": {"text": "第一条"}}], "message_type": "private", "time": 1},
            {"user_id": 2, "sender": {"user_id": 2, "nickname": "李四"}, "message": [{"type": "text", "data": {"text": "第二条"}}], "message_type": "private", "time": 2}
        ]})))),
        (19, 20003, "Alice 🌸", MessageChain::new().push(Segment::json(r#"{"app":"com.tencent.structmsg","prompt":"[分享]哔哩哔哩","meta":{"news":{"title":"哔哩哔哩","desc":"原创 · 科技区","jumpUrl":"https://b23.tv/a1B2c3D"}}}"#))),
        (20, FRIEND, "小明", MessageChain::new().push(seg("xml", json!({"data": "<msg/>"}))).push(Segment::markdown("**加粗** 的 markdown"))),
        (21, 20006, "老K", MessageChain::new().push(Segment::music(Music::Custom { url: "https://y.qq.com".into(), audio: "a".into(), title: "晴天".into(), content: "周杰伦".into(), image: "i".into() }))),
        (22, FRIEND, "小明", MessageChain::new().push(seg("dice", json!({"result": "4"}))).push(seg("rps", json!({"result": "1"}))).push(seg("poke", json!({"type": "1", "id": "1"}))).push(seg("shake", json!({})))),
        (23, 20003, "Alice 🌸", MessageChain::new().push(seg("contact", json!({"type": "group", "id": "30009"}))).push(seg("location", json!({"lat": "39.9", "lon": "116.4", "title": "天安门"})))),
        (24, 20006, "老K", MessageChain::new().push(seg("share", json!({"url": "https://example.com", "title": "好文"}))).push(seg("onlinefile", json!({"fileName": "照片.zip", "fileSize": "2048", "isDir": false}))).push(seg("flashtransfer", json!({"fileSetId": "s"}))).push(seg("brand_new_type", json!({"x": 1})))),
        (25, FRIEND, "小明", MessageChain::new().text("这条会被撤回")),
        (26, 20003, "Alice 🌸", MessageChain::new().text("控制字符 \u{1b}[2J 和 \u{202e}反转 被清理")),
    ];
    for (id, from, name, chain) in items {
        let mut m = msg(id, from, name, chain);
        if id == 25 {
            m.recalled_by = Some(FRIEND);
        }
        if id == 12 {
            m.reactions = vec![Reaction::new("76", 2), Reaction::new("128522", 1)];
            m.essence = true;
        }
        add(next(), EntryKind::Message(m));
    }
    for text in [
        "新人 加入了群聊",
        "捣蛋鬼 被 夜航船 禁言 1小时",
        "老K 获得了头衔「活跃分子」",
        "群主大人 将群名修改为「Rust 中文社区 🦀」",
        "小明 戳了戳 Alice 🌸 的脸",
    ] {
        add(
            next(),
            EntryKind::Notice(NoticeItem {
                actor: None,
                text: text.into(),
            }),
        );
    }
    let mut pending = msg(0, ME, "夜航船", MessageChain::new().text("正在发送的消息"));
    pending.id = None;
    pending.local_id = Some(1);
    pending.delivery = Delivery::Pending;
    add(next(), EntryKind::Message(pending));
    let mut failed = msg(0, ME, "夜航船", MessageChain::new().text("没发出去的消息"));
    failed.id = None;
    failed.local_id = Some(2);
    failed.delivery = Delivery::Failed("消息体无法解析".into());
    add(next(), EntryKind::Message(failed));
    // The read marker sits before the joins.
    let marker = chat
        .timeline
        .iter()
        .find(|e| e.message().and_then(|m| m.id) == Some(24))
        .map(|e| e.key);
    chat.read_marker = marker;
    s.open = Some(Peer::Group(GROUP));
    s.members.visible = true;
    let other = s.chat_mut(Peer::Group(30002));
    other.unread = 5;
    other.mentions = 1;
    other.set_last_activity(NOW - 100);
    let f = s.chat_mut(Peer::Private(FRIEND));
    f.unread = 2;
    f.set_last_activity(NOW - 200);
    f.timeline.insert(
        SortKey {
            time: NOW - 200,
            seq: 0,
            arrival: 1,
        },
        EntryKind::Message(msg(
            40,
            FRIEND,
            "小明",
            MessageChain::new().text("私聊消息"),
        )),
    );
    s
}

fn both(name: &str, state: &State) {
    insta::assert_snapshot!(format!("{name}_80x24"), snapshot::render(state, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), snapshot::render(state, 160, 48));
}

#[test]
fn group_chat_with_every_segment_and_notice() {
    let s = world();
    both("group_chat", &s);
}

#[test]
fn timeline_selection_and_new_marker() {
    let mut s = world();
    s.focus = Pane::Timeline;
    let chat = s.open_chat_mut().expect("open");
    let key = chat
        .timeline
        .iter()
        .find(|e| e.message().and_then(|m| m.id) == Some(16))
        .map(|e| e.key);
    chat.selected = key;
    chat.new_below = 3;
    both("timeline_selected", &s);
}

#[test]
fn private_chat_with_typing_and_draft_reply() {
    let mut s = world();
    s.open = Some(Peer::Private(FRIEND));
    s.typing.insert(FRIEND, ("对方正在输入...".into(), NOW + 5));
    s.composer.insert_text("好的，我\n马上到");
    s.composer.reply = Some(ReplyTarget {
        message_id: 40,
        author: "明哥".into(),
        excerpt: "私聊消息".into(),
    });
    both("private_chat", &s);
}

#[test]
fn sidebar_tabs_filter_and_focus() {
    let mut s = world();
    s.focus = Pane::Sidebar;
    s.sidebar.tab = SidebarTab::Friends;
    both("sidebar_friends", &s);
    s.sidebar.tab = SidebarTab::Groups;
    both("sidebar_groups", &s);
    s.sidebar.tab = SidebarTab::Recent;
    s.sidebar.filter = "xm".into();
    both("sidebar_filter", &s);
}

#[test]
fn pinned_and_muted_chats_in_the_sidebar() {
    let mut s = world();
    // 阳光花园二期业主群 pinned (no message yet: listed all the same), 周末羽毛球约起🏸 pinned and
    // muted with an unread mention (dim, not highlighted), 小明 muted with nothing unread (🔕).
    s.pinned = vec![Peer::Group(30003), Peer::Group(30002)];
    s.muted.insert(Peer::Group(30002));
    s.muted.insert(Peer::Private(FRIEND));
    s.chat_mut(Peer::Private(FRIEND)).unread = 0;
    insta::assert_snapshot!("sidebar_pinned_muted_80x24", snapshot::render(&s, 80, 24));
}

#[test]
fn members_pane_focused() {
    let mut s = world();
    s.focus = Pane::Members;
    s.members.selected = 2;
    s.members.marked.insert(20005);
    both("members", &s);
}

#[test]
fn mention_completion() {
    let mut s = world();
    s.composer.insert_text("@小");
    s.composer.completion = Some(Completion {
        kind: CompletionKind::Mention,
        row: 0,
        col: 0,
        query: "小".into(),
        items: vec![
            CompletionItem {
                label: "明哥 | 后端".into(),
                detail: FRIEND.to_string(),
                pick: Pick::Member(FRIEND),
            },
            CompletionItem {
                label: "全体成员".into(),
                detail: "@all".into(),
                pick: Pick::AtAll,
            },
        ],
        selected: 0,
    });
    both("completion", &s);
}

#[test]
fn popups() {
    let mut s = world();
    s.popup = Some(Popup::Help(HelpView { scroll: 0 }));
    both("help", &s);
    // Scrolled past the end: drawn at the last page, the commands' descriptions in one column.
    s.popup = Some(Popup::Help(HelpView { scroll: u16::MAX }));
    both("help_end", &s);
    s.popup = Some(Popup::Faces(FacePicker {
        query: "笑".into(),
        selected: 1,
    }));
    both("faces", &s);
    s.popup = Some(Popup::Confirm(Confirm {
        title: "撤回消息".into(),
        body: "撤回你的消息「收到，我晚点看」？".into(),
        on_yes: vec![Effect::Redraw],
    }));
    both("confirm", &s);
}

/// `state` drawn at `w`×`h` into a bare buffer (for assertions on single cells).
fn draw_buffer(state: &State, w: u16, h: u16) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    let mut ui = Ui::new(Theme::new(ColorMode::None));
    napterm::ui::draw(state, &mut ui, &mut buf);
    buf
}

/// The popup's left edge: the column of its top-left corner, and its first and last rows.
fn left_edge(buf: &Buffer) -> (u16, u16, u16) {
    let area = buf.area;
    let (x, top) = (area.top()..area.bottom())
        .find_map(|y| {
            (area.left()..area.right())
                .find_map(|x| (buf[(x, y)].symbol() == "┌").then_some((x, y)))
        })
        .expect("a popup frame");
    let bottom = (top..area.bottom())
        .find(|&y| buf[(x, y)].symbol() == "└")
        .expect("the frame's bottom");
    (x, top, bottom)
}

#[test]
fn a_popup_over_wide_characters_keeps_its_left_border() {
    // Enough requests for the inbox to reach up over the sidebar's names.
    let requests = || {
        (0..20)
            .map(|i| PendingRequest {
                flag: format!("f{i}"),
                what: RequestWhat::Friend,
                user_id: 40000 + i,
                nickname: format!("申请人{i}"),
                group_name: String::new(),
                comment: "你好".into(),
                time: Some(NOW - 60),
                filtered: false,
                answering: false,
            })
            .collect::<Vec<_>>()
    };
    let cases = [
        (Popup::Help(HelpView { scroll: 0 }), 80, 24),
        (Popup::Help(HelpView { scroll: 0 }), 120, 40),
        (Popup::Inbox(InboxView::default()), 80, 24),
        (Popup::Inbox(InboxView::default()), 120, 40),
        (
            Popup::Confirm(Confirm {
                title: "撤回消息".into(),
                body: "撤回你的消息「收到，我晚点看」？".into(),
                on_yes: vec![],
            }),
            160,
            48,
        ),
        (
            Popup::Faces(FacePicker {
                query: "笑".into(),
                selected: 1,
            }),
            160,
            48,
        ),
    ];
    for (popup, w, h) in cases {
        let mut s = world();
        s.inbox.items = requests();
        // The sidebar's names under the popups (with the member pane open, 80 columns hide it).
        s.members.visible = false;
        // A name that the left edges at 120x40 cut in half: help (column 15) and the inbox (24).
        s.contacts.groups.insert(
            30009,
            GroupEntry {
                group_id: 30009,
                name: "Go 读书分享会📚每周 一本好书".into(),
                member_count: 12,
                max_member_count: 200,
                ..Default::default()
            },
        );
        s.chat_mut(Peer::Group(30009)).set_last_activity(NOW - 30);
        let under = draw_buffer(&s, w, h);
        s.popup = Some(popup);
        let buf = draw_buffer(&s, w, h);
        // What a user sees at 80x24: the cut character gone whole, the border whole.
        if (w, h) == (80, 24) {
            let name = match s.popup {
                Some(Popup::Help(_)) => "help_over_sidebar",
                _ => "inbox_over_sidebar",
            };
            insta::assert_snapshot!(format!("{name}_80x24"), snapshot::render(&s, w, h));
        }
        let (x, top, bottom) = left_edge(&buf);
        let wide = |b: &Buffer, y: u16| x > 0 && b[(x - 1, y)].symbol().width() > 1;
        // The case this is about: CJK text under the popup's left edge, cut in half by it.
        assert!(
            (top..=bottom).any(|y| wide(&under, y)),
            "{w}x{h}: nothing wide under the left edge at column {x}"
        );
        for y in top..=bottom {
            let edge = buf[(x, y)].symbol();
            assert!(
                ["┌", "│", "└"].contains(&edge),
                "{w}x{h}: row {y} has {edge:?} where the left border goes"
            );
            assert!(
                !wide(&buf, y),
                "{w}x{h}: row {y} keeps half a wide character"
            );
        }
    }
}

#[test]
fn connection_states_and_command_line() {
    let mut s = world();
    // Through update: the countdown is derived from the deadline the event sets.
    napterm::app::update::update(
        &mut s,
        napterm::app::Msg::Client(napterm::onebot::ClientEvent::State(
            ConnState::Reconnecting {
                in_secs: 4,
                reason: "closed by server".into(),
            },
        )),
    );
    s.command_line = Some("open 羽毛球".into());
    both("reconnecting_cmdline", &s);
    s.command_line = None;
    s.conn = ConnState::AuthFailed {
        message: "NapCat rejected the access token: check --token-file".into(),
    };
    s.error("发送失败: 消息体无法解析");
    both("auth_failed", &s);
}

#[test]
fn welcome_without_open_chat() {
    let mut s = world();
    s.open = None;
    s.members.visible = false;
    both("welcome", &s);
}

#[test]
fn loading_and_empty_chats() {
    let mut s = world();
    s.open = Some(Peer::Group(30003));
    s.chat_mut(Peer::Group(30003)).history = HistoryState::Loading;
    both("loading", &s);
}

#[test]
fn history_from_fixture_renders() {
    // A real history page goes through the same path as the live events.
    let text = include_str!("fixtures/get_group_msg_history.resp.json");
    let v: serde_json::Value = serde_json::from_str(text).expect("json");
    let list: Vec<MessageEvent> =
        serde_json::from_value(v["data"]["messages"].clone()).expect("messages");
    assert!(!list.is_empty());
    let mut s = world();
    s.open = None;
    let mut fx = Vec::new();
    let g = list[0].peer();
    for m in list {
        napterm::app::events::on_message(&mut s, m, &mut fx, false);
    }
    s.open = Some(g);
    s.members.visible = false;
    let out = snapshot::render(&s, 80, 24);
    assert!(!out.contains("[空消息]"), "{out}");
    insta::assert_snapshot!("fixture_history_80x24", out);
}

/// A forward viewer three levels deep with long names; `nodes` says how many nodes the top has.
fn forward_view(search: Option<&str>, nodes: Load<usize>) -> ForwardView {
    let node = |i: usize| -> MessageEvent {
        serde_json::from_value(json!({
            "user_id": 20002 + i as i64, "time": 1_795_000_000 + i as i64, "message_id": i,
            "message_type": "private",
            "sender": {"user_id": 20002, "nickname": "一个名字特别特别长的发送者🌸"},
            "message": [{"type": "text", "data": {"text": "很长的一段话".repeat(20)}},
                        {"type": "image", "data": {"file": "a.jpg"}}],
        }))
        .expect("a node")
    };
    let top = match nodes {
        Load::Ready(n) => Load::Ready((0..n).map(node).collect()),
        Load::Loading => Load::Loading,
        Load::Failed(why) => Load::Failed(why),
    };
    ForwardView {
        levels: (0..3)
            .map(|i| ForwardLevel {
                id: format!("f{i}"),
                label: "名字很长很长很长的人".into(),
                nodes: if i == 2 {
                    top.clone()
                } else {
                    Load::Ready(vec![node(0)])
                },
                selected: 9,
            })
            .collect(),
        search: search.map(str::to_string),
        query: String::new(),
        note: Some("没有找到".into()),
    }
}

#[test]
fn every_screen_draws_at_any_size_without_panicking() {
    let mut states = Vec::new();
    let base = world();
    states.push(base);
    for popup in [
        Popup::Help(HelpView { scroll: 3 }),
        Popup::Faces(FacePicker {
            query: "笑".into(),
            selected: 2,
        }),
        Popup::Confirm(Confirm {
            title: "撤回消息".into(),
            body: "撤回你的消息「一段很长很长的内容，会被折成好几行」？".into(),
            on_yes: vec![],
        }),
        Popup::Forward(forward_view(
            Some("很长的搜索词很长的搜索词"),
            Load::Ready(2),
        )),
        Popup::Forward(forward_view(
            None,
            Load::Failed("消息已过期或者为内层消息".into()),
        )),
        Popup::Forward(forward_view(None, Load::Loading)),
        Popup::React(ReactionPicker {
            peer: Peer::Group(GROUP),
            id: 1,
            query: "xiao".into(),
            selected: 3,
        }),
        Popup::Reactions(ReactionList {
            peer: Peer::Group(GROUP),
            id: 1,
            rows: Load::Ready(vec![ReactionRow {
                emoji: "128522".into(),
                count: 2,
                who: Load::Failed("一个很长很长的失败原因".into()),
            }]),
            scroll: 5,
        }),
    ] {
        let mut s = world();
        s.popup = Some(popup);
        states.push(s);
    }
    let mut s = world();
    s.command_line = Some("open 很长的命令行参数".into());
    states.push(s);
    let mut s = world();
    s.composer.insert_text("@小");
    s.composer.completion = Some(Completion {
        kind: CompletionKind::Mention,
        row: 0,
        col: 0,
        query: "小".into(),
        items: vec![CompletionItem {
            label: "明哥".into(),
            detail: "20002".into(),
            pick: Pick::Member(FRIEND),
        }],
        selected: 0,
    });
    states.push(s);
    for s in &states {
        for w in [1u16, 2, 3, 5, 10, 23, 24, 30, 41, 59, 60, 80] {
            for h in [1u16, 2, 3, 5, 6, 7, 10, 24] {
                let _ = snapshot::render(s, w, h);
            }
        }
    }
    let tiny = snapshot::render(&states[0], 10, 3);
    assert!(tiny.contains("窗口太小"), "{tiny}");
}

#[test]
fn the_member_pane_never_squeezes_the_message_text_below_forty_columns() {
    let mut s = world();
    s.members.visible = true;
    for (w, h, sidebar) in [
        (80, 24, false),
        (100, 30, false),
        (120, 40, true),
        (160, 48, true),
    ] {
        let a = napterm::ui::areas(&s, Rect::new(0, 0, w, h));
        assert!(a.members.is_some(), "{w}x{h}: the member pane is shown");
        assert_eq!(
            a.sidebar.is_some(),
            sidebar,
            "{w}x{h}: the sidebar gives way first"
        );
        let text = napterm::ui::message::text_width(a.timeline.width);
        assert!(
            text >= napterm::ui::MIN_TEXT,
            "{w}x{h}: {text} columns of text"
        );
    }
}

/// How a cell's style reads in a snapshot: `fg=39 bg=24 bold`; `None` for the terminal's default.
fn describe(cell: &ratatui::buffer::Cell) -> Option<String> {
    use ratatui::style::{Color, Modifier};
    let color = |c: Color| match c {
        Color::Indexed(n) => n.to_string(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        other => format!("{other:?}").to_lowercase(),
    };
    let mut parts = Vec::new();
    if cell.fg != Color::Reset {
        parts.push(format!("fg={}", color(cell.fg)));
    }
    if cell.bg != Color::Reset {
        parts.push(format!("bg={}", color(cell.bg)));
    }
    for (m, name) in [
        (Modifier::BOLD, "bold"),
        (Modifier::DIM, "dim"),
        (Modifier::ITALIC, "italic"),
        (Modifier::UNDERLINED, "underlined"),
        (Modifier::REVERSED, "reversed"),
    ] {
        if cell.modifier.contains(m) {
            parts.push(name.to_string());
        }
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// `state` drawn at `w`×`h` with `theme`: the text, then every run of styled cells per row
/// (`row: from-to style`, columns inclusive).
fn render_styled(state: &State, theme: Theme, w: u16, h: u16) -> String {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    let mut ui = Ui::new(theme);
    napterm::ui::draw(state, &mut ui, &mut buf);
    let mut out = napterm::ui::buffer_lines(&buf).join("\n");
    out.push_str("\n--- styles ---\n");
    for y in 0..h {
        // The cells a wide character covers take its style (ratatui leaves them plain).
        let mut styles = Vec::with_capacity(w as usize);
        let mut x = 0;
        while x < w {
            let cell = &buf[(x, y)];
            let width = cell.symbol().width().max(1) as u16;
            for _ in 0..width.min(w - x) {
                styles.push(describe(cell));
            }
            x += width;
        }
        let mut start = 0;
        for x in 0..styles.len() {
            if x + 1 == styles.len() || styles[x + 1] != styles[x] {
                if let Some(style) = &styles[x] {
                    out.push_str(&format!("{y:2}: {start}-{x} {style}\n"));
                }
                start = x + 1;
            }
        }
    }
    out
}

#[test]
fn both_shipped_themes_at_80x24() {
    use napterm::ui::theme::ThemeName;
    let mut s = world();
    s.focus = Pane::Timeline;
    let chat = s.open_chat_mut().expect("open");
    let key = chat
        .timeline
        .iter()
        .find(|e| e.message().and_then(|m| m.id) == Some(16))
        .map(|e| e.key);
    chat.selected = key;
    chat.new_below = 3;
    for (name, theme) in [("dark", ThemeName::Dark), ("light", ThemeName::Light)] {
        let theme = Theme::shipped(theme, ColorMode::Palette256);
        insta::assert_snapshot!(
            format!("theme_{name}_80x24"),
            render_styled(&s, theme, 80, 24)
        );
    }
}
