//! The local history in the pure core: which store is opened and when, what is written (every
//! message source, notice lines, recalls, own sends once confirmed, forwards), a chat drawn from
//! the store, store-first paging, catch-up until the stored boundary with unread counts, `/find`
//! and its jump, `/forget`, a store that cannot be opened, and `show_recalled`. `update` is fed
//! `Msg`s; state and effects are asserted.

mod snapshot;

use crossterm::event::KeyCode;
use napterm::app::Reply;
use napterm::app::call::{GetForward, Groups, History, LoginInfo, SendMessage};
use napterm::app::chat::HistoryState;
use napterm::app::contacts::GroupEntry;
use napterm::app::keymap::Keymap;
use napterm::app::popup::Popup;
use napterm::app::state::Settings;
use napterm::app::store_state::StoreStatus;
use napterm::app::stored::{PageFor, StoreEvent, StoreRead, StoreWrite};
use napterm::app::update::update;
use napterm::app::{Call, Effect, Msg, Pane, State};
use napterm::onebot::event::MessageType;
use napterm::onebot::{
    ClientEvent, ConnState, Event, MessageChain, MessageEvent, Notice, NoticeKind, Peer, Sender,
};
use napterm::store::{
    Hit, LineKind, Newest, NoticeLine, Pos, Row, StoredChat, StoredMessage, StoredNotice,
};

mod reducer;
use reducer::key;

const NOW: i64 = 1_795_003_200;
const ME: i64 = 10001;
const G: i64 = 30001;
const GROUP: Peer = Peer::Group(G);
const OTHER: Peer = Peer::Group(30002);
const MEMBER: i64 = 20002;

fn settings() -> Settings {
    Settings {
        history: true,
        ..Settings::default()
    }
}

fn fresh() -> State {
    let mut s = State::new(settings(), Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    s
}

fn connected(s: &mut State) -> Vec<Effect> {
    update(
        s,
        Msg::Client(ClientEvent::State(ConnState::Connected {
            self_id: ME,
            nickname: "我".into(),
        })),
    )
}

fn stored_chat(peer: Peer, name: &str, newest: Option<(i64, i64)>) -> StoredChat {
    StoredChat {
        peer,
        name: name.into(),
        newest: newest.map(|(id, time)| Newest {
            pos: Pos::first_of(time),
            message_id: id,
            real_seq: None,
        }),
    }
}

fn opened(s: &mut State, chats: Vec<StoredChat>) -> Vec<Effect> {
    update(
        s,
        Msg::Store(StoreEvent::Opened {
            account: ME,
            chats,
            notice: None,
        }),
    )
}

/// Connected, with the store open knowing `G`'s newest stored message (id 100 at NOW - 1000).
fn online_with_store() -> State {
    let mut s = fresh();
    let fx = connected(&mut s);
    assert!(fx.contains(&Effect::OpenStore { account: ME }), "{fx:?}");
    opened(
        &mut s,
        vec![stored_chat(GROUP, "群30001", Some((100, NOW - 1000)))],
    );
    let groups = [G, 30002]
        .map(|g| GroupEntry {
            group_id: g,
            name: format!("群{g}"),
            ..Default::default()
        })
        .to_vec();
    update(&mut s, Msg::Reply(Reply::Groups(Groups, Ok(groups))));
    s
}

fn message(peer: Peer, user: i64, id: i64, time: i64, text: &str) -> MessageEvent {
    let (message_type, group_id, target_id) = match peer {
        Peer::Group(g) => (MessageType::Group, Some(g), None),
        Peer::Private(u) => (MessageType::Private, None, Some(u)),
    };
    MessageEvent {
        time,
        self_id: ME,
        post_type: if user == ME {
            "message_sent"
        } else {
            "message"
        }
        .into(),
        message_id: id,
        message_type,
        sub_type: "normal".into(),
        user_id: user,
        group_id,
        target_id,
        sender: Sender {
            user_id: user,
            nickname: format!("成员{user}"),
            ..Default::default()
        },
        message: MessageChain::new().text(text),
        ..Default::default()
    }
}

fn live(ev: MessageEvent) -> Msg {
    Msg::Client(ClientEvent::Event(Event::Message(Box::new(ev))))
}

fn stored_row(peer: Peer, id: i64, time: i64, text: &str, recalled: bool) -> Row {
    Row::Message(StoredMessage {
        pos: Pos(Pos::first_of(time).0 + id),
        peer,
        message_id: id,
        real_seq: None,
        sender: Sender {
            user_id: MEMBER,
            nickname: "成员".into(),
            ..Default::default()
        },
        message: MessageChain::new().text(text),
        own: false,
        recalled_by: recalled.then_some(MEMBER),
    })
}

/// The store's answer to the open chat's first page: `rows`.
fn open_page(s: &mut State, rows: Vec<Row>) -> Vec<Effect> {
    update(
        s,
        Msg::Store(StoreEvent::Page {
            peer: GROUP,
            anchor: None,
            limit: napterm::app::local::OPEN_PAGE,
            purpose: PageFor::Open,
            rows,
        }),
    )
}

fn command(s: &mut State, line: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    for _ in 0..3 {
        if s.focus == Pane::Timeline {
            break;
        }
        fx.extend(key(s, KeyCode::Esc));
    }
    for c in format!(":{line}").chars() {
        fx.extend(key(s, KeyCode::Char(c)));
    }
    fx.extend(key(s, KeyCode::Enter));
    fx
}

fn writes(fx: &[Effect]) -> Vec<&StoreWrite> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Store(w) => Some(w),
            _ => None,
        })
        .collect()
}

fn reads(fx: &[Effect]) -> Vec<&StoreRead> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::StoreRead(r) => Some(r),
            _ => None,
        })
        .collect()
}

fn history_calls(fx: &[Effect]) -> Vec<History> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Call(Call::History(h)) => Some(h.clone()),
            _ => None,
        })
        .collect()
}

// ----- which store -----

#[test]
fn the_login_names_the_account_whose_store_opens_and_none_opens_without_history() {
    let mut s = fresh();
    let fx = connected(&mut s);
    assert!(fx.contains(&Effect::OpenStore { account: ME }));
    assert_eq!(s.store.status, StoreStatus::Opening(ME));
    // Writes made while it opens go to it (the runtime keeps their order).
    let fx = update(&mut s, live(message(GROUP, MEMBER, 5, NOW, "早")));
    assert_eq!(writes(&fx).len(), 1);

    let mut off = State::new(Settings::default(), Keymap::default_map());
    let fx = connected(&mut off);
    assert!(!fx.iter().any(|e| matches!(e, Effect::OpenStore { .. })));
    let fx = update(&mut off, live(message(GROUP, MEMBER, 5, NOW, "早")));
    assert!(writes(&fx).is_empty(), "no store, no writes");
}

/// Started without NapCat, the chat the last run had open opens from the local history as
/// soon as the store holds it (whichever of the two comes first); a chat it does not hold
/// waits for the connection, as before.
#[test]
fn offline_the_last_runs_chat_opens_from_the_store() {
    let session = |open: Peer| napterm::app::drafts::Session {
        open: Some(open),
        ..Default::default()
    };
    let page_read = |fx: &[Effect]| {
        reads(fx).iter().any(
            |r| matches!(r, StoreRead::Page { peer, purpose: PageFor::Open, .. } if *peer == GROUP),
        )
    };
    let store = || vec![stored_chat(GROUP, "技术群", Some((100, NOW - 60)))];
    // The session first, then the store.
    let mut s = fresh();
    update(&mut s, Msg::Store(StoreEvent::LastAccount(Some(ME))));
    update(&mut s, Msg::Restore(session(GROUP)));
    assert_eq!(s.open, None, "nothing to show yet");
    let fx = opened(&mut s, store());
    assert_eq!(s.open, Some(GROUP));
    assert!(page_read(&fx), "{fx:?}");
    assert!(history_calls(&fx).is_empty(), "offline: {fx:?}");
    // Its page: with no member list, a mention of someone who spoke shows their name.
    let Row::Message(mut mention) = stored_row(GROUP, 98, NOW - 90, "", false) else {
        unreachable!()
    };
    mention.sender = napterm::onebot::Sender {
        user_id: 20003,
        nickname: "小红".into(),
        ..Default::default()
    };
    mention.message = MessageChain::new().at(MEMBER).text(" 在吗");
    open_page(
        &mut s,
        vec![
            stored_row(GROUP, 97, NOW - 100, "我先说", false),
            Row::Message(mention.clone()),
        ],
    );
    assert_eq!(s.plain_text(GROUP, &mention.message), "@成员 在吗");
    // Once connected it asks NapCat for what it lacks, and is not opened twice.
    let fx = connected(&mut s);
    assert_eq!(s.open, Some(GROUP));
    assert!(!history_calls(&fx).is_empty(), "{fx:?}");

    // The store first, then the session.
    let mut s = fresh();
    update(&mut s, Msg::Store(StoreEvent::LastAccount(Some(ME))));
    opened(&mut s, store());
    let fx = update(&mut s, Msg::Restore(session(GROUP)));
    assert_eq!(s.open, Some(GROUP));
    assert!(page_read(&fx), "{fx:?}");

    // A chat the store does not hold waits for the connection.
    let mut s = fresh();
    update(&mut s, Msg::Store(StoreEvent::LastAccount(Some(ME))));
    opened(&mut s, store());
    update(&mut s, Msg::Restore(session(Peer::Group(30002))));
    assert_eq!(s.open, None);
    assert_eq!(
        s.session().open,
        Some(Peer::Group(30002)),
        "a quit meanwhile keeps it for the next start"
    );
    connected(&mut s);
    assert_eq!(s.open, Some(Peer::Group(30002)));
}

#[test]
fn offline_the_last_account_opens_and_fills_the_sidebar_from_the_store() {
    let mut s = fresh();
    let fx = update(&mut s, Msg::Store(StoreEvent::LastAccount(Some(ME))));
    assert!(fx.contains(&Effect::OpenStore { account: ME }));
    let fx = opened(
        &mut s,
        vec![
            stored_chat(GROUP, "技术群", Some((100, NOW - 60))),
            stored_chat(Peer::Private(MEMBER), "小明", Some((7, NOW - 600))),
        ],
    );
    assert!(
        history_calls(&fx).is_empty(),
        "offline: nothing asked of NapCat"
    );
    assert_eq!(s.self_id, ME);
    assert_eq!(s.contacts.chat_name(GROUP), "技术群");
    assert_eq!(s.contacts.chat_name(Peer::Private(MEMBER)), "小明");
    assert_eq!(
        napterm::app::sidebar::recent_peers(&s),
        vec![GROUP, Peer::Private(MEMBER)]
    );
    // Opening a chat reads its stored page; NapCat is asked once connected.
    let fx = command(&mut s, &format!("open g:{G}"));
    assert_eq!(
        reads(&fx),
        vec![&StoreRead::Page {
            peer: GROUP,
            anchor: None,
            limit: napterm::app::local::OPEN_PAGE,
            purpose: PageFor::Open,
        }]
    );
    assert!(history_calls(&fx).is_empty());
    open_page(
        &mut s,
        vec![
            stored_row(GROUP, 99, NOW - 120, "存着的", false),
            stored_row(GROUP, 100, NOW - 60, "撤回了的", true),
        ],
    );
    let c = s.open_chat().expect("open");
    assert_eq!(c.timeline.len(), 2);
    assert!(
        c.timeline
            .message(100)
            .expect("stored")
            .recalled_by
            .is_some()
    );
    // The connection comes: the chat catches up from the stored boundary.
    let fx = connected(&mut s);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::OpenStore { .. })),
        "the same account's store stays"
    );
    assert!(
        history_calls(&fx)
            .iter()
            .any(|h| h.peer == GROUP && h.anchor.is_none())
    );
    assert!(s.open_chat().expect("open").catch_up.is_some());
}

/// Your name is kept in the store (as the name of the chat with yourself): started without
/// NapCat, a message mentioning you shows your name, not your number, and the chat with
/// yourself does not join the sidebar for it.
#[test]
fn offline_your_own_name_comes_from_the_store() {
    let mut s = fresh();
    let fx = connected(&mut s);
    let own = |fx: &[Effect]| {
        writes(fx)
            .into_iter()
            .filter(
                |w| matches!(w, StoreWrite::ChatName { peer, .. } if *peer == Peer::Private(ME)),
            )
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        own(&fx),
        vec![StoreWrite::ChatName {
            peer: Peer::Private(ME),
            name: "我".into()
        }]
    );
    // The login's answer with the same name writes nothing more; a new name is written.
    let login = |name: &str| {
        Msg::Reply(Reply::LoginInfo(
            LoginInfo,
            Ok(napterm::onebot::types::LoginInfo {
                user_id: ME,
                nickname: name.into(),
            }),
        ))
    };
    assert!(own(&update(&mut s, login("我"))).is_empty());
    assert_eq!(
        own(&update(&mut s, login("夜航船"))),
        vec![StoreWrite::ChatName {
            peer: Peer::Private(ME),
            name: "夜航船".into()
        }]
    );

    // The next start, offline: the store holds that name.
    let mut s = fresh();
    update(&mut s, Msg::Store(StoreEvent::LastAccount(Some(ME))));
    opened(
        &mut s,
        vec![
            stored_chat(GROUP, "技术群", Some((100, NOW - 60))),
            stored_chat(Peer::Private(ME), "夜航船", None),
        ],
    );
    assert_eq!(s.self_name, "夜航船");
    let chain = MessageChain::new().at(ME).text(" 看一下");
    assert_eq!(s.plain_text(GROUP, &chain), "@夜航船 看一下");
    assert_eq!(napterm::app::sidebar::recent_peers(&s), vec![GROUP]);
    // Online again, the connection's name wins.
    connected(&mut s);
    assert_eq!(s.self_name, "我");
}

#[test]
fn a_store_that_cannot_open_says_so_once_and_napterm_runs_on_without_it() {
    let mut s = fresh();
    connected(&mut s);
    update(
        &mut s,
        Msg::Store(StoreEvent::Unavailable {
            account: ME,
            reason: "local history is off: /d/10001 is read-only".into(),
        }),
    );
    assert!(matches!(s.store.status, StoreStatus::Off(_)));
    assert!(s.status.error().is_some_and(|e| e.contains("read-only")));
    let fx = update(&mut s, live(message(GROUP, MEMBER, 5, NOW, "早")));
    assert!(writes(&fx).is_empty());
    assert!(s.chats[&GROUP].timeline.message(5).is_some(), "still shown");
    // Reconnecting does not ask again (and say it again).
    update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Reconnecting {
            in_secs: 1,
            reason: "x".into(),
        })),
    );
    let fx = connected(&mut s);
    assert!(!fx.iter().any(|e| matches!(e, Effect::OpenStore { .. })));
    let fx = command(&mut s, "find 早");
    assert!(reads(&fx).is_empty());
    assert!(s.status.error().is_some());
}

// ----- what is written -----

#[test]
fn every_source_is_written_live_echo_page_own_send_recall_notice_forward() {
    let mut s = online_with_store();
    let fx = update(&mut s, live(message(GROUP, MEMBER, 201, NOW, "实时")));
    assert!(matches!(writes(&fx)[..], [StoreWrite::Message(m)] if m.message_id == 201));
    assert_eq!(s.store.boundary(GROUP).map(|b| b.message_id), Some(201));

    let page = vec![
        message(OTHER, MEMBER, 301, NOW - 50, "旧1"),
        message(OTHER, MEMBER, 302, NOW - 40, "旧2"),
    ];
    let fx = update(
        &mut s,
        Msg::Reply(Reply::History(
            History {
                peer: OTHER,
                anchor: None,
                count: 30,
            },
            Ok(page),
        )),
    );
    assert_eq!(writes(&fx).len(), 2, "a history page");

    command(&mut s, &format!("open g:{G}"));
    let fx = update(
        &mut s,
        Msg::Reply(Reply::SendMessage(
            SendMessage {
                peer: GROUP,
                chain: MessageChain::new().text("我的"),
                local_id: 1,
                group: None,
            },
            Ok(555),
        )),
    );
    assert!(
        matches!(writes(&fx)[..], [StoreWrite::Message(m)] if m.message_id == 555 && m.is_self()),
        "an own send once confirmed: {fx:?}"
    );

    let fx = update(
        &mut s,
        Msg::Client(ClientEvent::Event(Event::Notice(Notice {
            time: NOW,
            self_id: ME,
            kind: NoticeKind::GroupRecall {
                group_id: G,
                user_id: MEMBER,
                operator_id: MEMBER,
                message_id: 201,
            },
        }))),
    );
    assert_eq!(
        writes(&fx),
        vec![&StoreWrite::Recall {
            peer: GROUP,
            message_id: 201,
            by: MEMBER
        }]
    );

    let fx = update(
        &mut s,
        Msg::Client(ClientEvent::Event(Event::Notice(Notice {
            time: NOW,
            self_id: ME,
            kind: NoticeKind::GroupBan {
                lift: false,
                group_id: G,
                user_id: MEMBER,
                operator_id: ME,
                duration: 600,
            },
        }))),
    );
    match writes(&fx)[..] {
        [StoreWrite::Notice(NoticeLine { kind, text, .. })] => {
            assert_eq!(*kind, LineKind::Mute);
            assert!(text.contains("禁言"), "{text}");
        }
        ref w => panic!("{w:?}"),
    }

    let fx = update(
        &mut s,
        Msg::Client(ClientEvent::Event(Event::Notice(Notice {
            time: NOW,
            self_id: ME,
            kind: NoticeKind::GroupMsgEmojiLike {
                group_id: G,
                user_id: MEMBER,
                message_id: Some(201),
                likes: vec![napterm::onebot::notice::EmojiLike {
                    emoji_id: "76".into(),
                    count: 1,
                }],
                is_add: Some(true),
            },
        }))),
    );
    assert!(
        matches!(
            writes(&fx)[..],
            [StoreWrite::Notice(NoticeLine {
                kind: LineKind::Reaction,
                ..
            })]
        ),
        "a reaction is kept as a line: {fx:?}"
    );

    let fx = update(
        &mut s,
        Msg::Reply(Reply::GetForward(
            GetForward { id: "fw1".into() },
            Ok(vec![message(GROUP, MEMBER, 0, NOW, "转发里的")]),
        )),
    );
    assert!(matches!(writes(&fx)[..], [StoreWrite::Forward { id, .. }] if id == "fw1"));
}

// ----- reading -----

#[test]
fn scrolling_back_reads_the_store_first_and_napcat_beyond_it() {
    let mut s = online_with_store();
    command(&mut s, &format!("open g:{G}"));
    let full: Vec<Row> = (1..=napterm::app::local::OPEN_PAGE as i64)
        .map(|i| stored_row(GROUP, i, NOW - 10_000 + i, "旧", false))
        .collect();
    open_page(&mut s, full);
    s.chat_mut(GROUP).history = HistoryState::Idle;
    // To the oldest loaded message: the store is asked, not NapCat.
    s.focus = Pane::Timeline;
    let fx = key(&mut s, KeyCode::Char('g'));
    let r = reads(&fx);
    assert!(
        matches!(
            r[..],
            [StoreRead::Page {
                purpose: PageFor::Older,
                anchor: Some(_),
                ..
            }]
        ),
        "{fx:?}"
    );
    assert!(history_calls(&fx).is_empty());
    // The store has nothing older: NapCat is asked from the oldest message.
    let fx = update(
        &mut s,
        Msg::Store(StoreEvent::Page {
            peer: GROUP,
            anchor: None,
            limit: napterm::app::local::STORE_PAGE,
            purpose: PageFor::Older,
            rows: vec![],
        }),
    );
    assert_eq!(
        history_calls(&fx),
        vec![History {
            peer: GROUP,
            anchor: Some(1),
            count: s.settings.history_page
        }]
    );
    assert!(s.chats[&GROUP].store_done);
}

#[test]
fn a_stored_notice_line_already_shown_is_not_shown_twice() {
    let mut s = online_with_store();
    update(
        &mut s,
        Msg::Client(ClientEvent::Event(Event::Notice(Notice {
            time: NOW - 5,
            self_id: ME,
            kind: NoticeKind::GroupBan {
                lift: false,
                group_id: G,
                user_id: MEMBER,
                operator_id: ME,
                duration: 600,
            },
        }))),
    );
    let text = match &s.chats[&GROUP].timeline.last().expect("the line").kind {
        napterm::app::chat::EntryKind::Notice(n) => n.text.clone(),
        k => panic!("{k:?}"),
    };
    command(&mut s, &format!("open g:{G}"));
    open_page(
        &mut s,
        vec![Row::Notice(StoredNotice {
            pos: Pos::first_of(NOW - 5),
            line: NoticeLine {
                peer: GROUP,
                time: NOW - 5,
                kind: LineKind::Mute,
                actor: Some(MEMBER),
                text,
            },
        })],
    );
    assert_eq!(s.chats[&GROUP].timeline.len(), 1);
}

// ----- catching up -----

fn page_reply(peer: Peer, anchor: Option<i64>, list: Vec<MessageEvent>) -> Msg {
    Msg::Reply(Reply::History(
        History {
            peer,
            anchor,
            count: 30,
        },
        Ok(list),
    ))
}

#[test]
fn catch_up_pages_back_until_it_meets_the_stored_boundary_and_counts_unread() {
    let mut s = online_with_store();
    s.settings.history_page = 30;
    // Another chat is open: G catches up in the background.
    command(&mut s, "open g:30002");
    // Reconnected: G's latest page is asked from the stored boundary (100 at NOW - 1000).
    let fx = update(&mut s, Msg::Client(ClientEvent::Reconnected));
    assert!(
        history_calls(&fx)
            .iter()
            .any(|h| h.peer == GROUP && h.anchor.is_none())
    );
    // A full page of newer messages, none of them the stored one: the next page is asked.
    let newer: Vec<MessageEvent> = (0..30)
        .map(|i| message(GROUP, MEMBER, 1000 + i, NOW - 500 + i, "新"))
        .collect();
    let fx = update(&mut s, page_reply(GROUP, None, newer));
    assert_eq!(
        history_calls(&fx),
        vec![History {
            peer: GROUP,
            anchor: Some(1000),
            count: 30
        }]
    );
    // It reaches the stored message: done, no more pages.
    let mut older: Vec<MessageEvent> = (0..5)
        .map(|i| message(GROUP, MEMBER, 900 + i, NOW - 900 + i, "也新"))
        .collect();
    let mut at_me = message(GROUP, MEMBER, 950, NOW - 800, "叫你");
    at_me.message = MessageChain::new().at(ME).text(" 看这里");
    older.push(at_me);
    older.insert(0, message(GROUP, MEMBER, 100, NOW - 1000, "存过的"));
    older.insert(0, message(GROUP, MEMBER, 99, NOW - 1100, "更早的"));
    let fx = update(&mut s, page_reply(GROUP, Some(1000), older));
    assert!(history_calls(&fx).is_empty(), "{fx:?}");
    let c = &s.chats[&GROUP];
    assert!(c.catch_up.is_none());
    assert_eq!(c.unread, 36, "30 + 5 + the mention, not the stored ones");
    assert_eq!(c.mentions, 1);
    let ids: Vec<i64> = c.timeline.iter().filter_map(|e| e.message()?.id).collect();
    let mut sorted = ids.clone();
    sorted.dedup();
    assert_eq!(ids.len(), sorted.len(), "nothing twice");
}

#[test]
fn the_recent_list_starts_catch_up_for_a_chat_behind_the_store() {
    let mut s = online_with_store();
    let items = vec![napterm::app::call::contacts::RecentItem {
        peer: GROUP,
        name: "群30001".into(),
        time: NOW,
        last: Some(message(GROUP, MEMBER, 4242, NOW, "最近一条")),
    }];
    let fx = update(
        &mut s,
        Msg::Reply(Reply::RecentContacts(
            napterm::app::call::RecentContacts { count: 30 },
            Ok(items),
        )),
    );
    assert!(
        history_calls(&fx)
            .iter()
            .any(|h| h.peer == GROUP && h.anchor.is_none())
    );
    assert_eq!(s.chats[&GROUP].unread, 1, "its last message is unread");
}

// ----- /find, /forget -----

fn hit(peer: Peer, id: i64, time: i64, text: &str) -> Hit {
    Hit {
        pos: Pos(Pos::first_of(time).0 + 1),
        peer,
        chat_name: String::new(),
        message_id: id,
        sender: Sender {
            user_id: MEMBER,
            nickname: "成员".into(),
            ..Default::default()
        },
        own: false,
        recalled: false,
        message: MessageChain::new().text(text),
        text: text.into(),
        highlights: std::iter::once(0..3).collect(),
    }
}

#[test]
fn find_asks_the_store_groups_hits_by_chat_and_enter_opens_the_hit_in_its_chat() {
    let mut s = online_with_store();
    let fx = command(&mut s, "find 你好 in:g:30001");
    let r = reads(&fx);
    let [StoreRead::Find { text, query, .. }] = r[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(text, "你好 in:g:30001");
    assert_eq!(query.words, vec!["你好".to_string()]);
    update(
        &mut s,
        Msg::Store(StoreEvent::Found {
            text: "你好 in:g:30001".into(),
            hits: vec![
                hit(GROUP, 3, NOW - 10, "你好3"),
                hit(OTHER, 2, NOW - 20, "你好2"),
                hit(GROUP, 1, NOW - 30, "你好1"),
            ],
        }),
    );
    let Some(Popup::Find(v)) = &s.popup else {
        panic!("the popup");
    };
    let order: Vec<i64> = v.shown().iter().map(|h| h.message_id).collect();
    assert_eq!(order, vec![3, 1, 2], "grouped by chat, newest first");
    let screen = snapshot::render(&s, 100, 30);
    assert!(
        screen.contains("你好3") && screen.contains("你好2"),
        "{screen}"
    );
    // Down to the second hit (message 1 of G), Enter: the chat opens around it.
    key(&mut s, KeyCode::Down);
    let fx = key(&mut s, KeyCode::Enter);
    assert!(s.popup.is_none());
    assert_eq!(s.open, Some(GROUP));
    assert!(reads(&fx).iter().any(|r| matches!(
        r,
        StoreRead::Around {
            peer: GROUP,
            message_id: 1,
            ..
        }
    )));
    update(
        &mut s,
        Msg::Store(StoreEvent::Around {
            peer: GROUP,
            message_id: 1,
            rows: Some(vec![
                stored_row(GROUP, 1, NOW - 30, "你好1", false),
                stored_row(GROUP, 2, NOW - 29, "后一条", false),
            ]),
        }),
    );
    let c = s.open_chat().expect("open");
    assert!(c.detached, "the newest are not loaded");
    let sel = c.selected.expect("selected");
    assert_eq!(c.timeline.get(sel).and_then(|e| e.message()?.id), Some(1));
    // A live message meanwhile is stored, not put below the old stretch.
    let fx = update(&mut s, live(message(GROUP, MEMBER, 777, NOW, "新的")));
    assert_eq!(writes(&fx).len(), 1);
    assert!(s.open_chat().expect("open").timeline.message(777).is_none());
    // G: back to the newest, read again from the store.
    let fx = key(&mut s, KeyCode::Char('G'));
    assert!(reads(&fx).iter().any(|r| matches!(
        r,
        StoreRead::Page {
            purpose: PageFor::Open,
            ..
        }
    )));
    assert!(!s.open_chat().expect("open").detached);
}

#[test]
fn search_in_a_chat_searches_its_stored_messages() {
    let mut s = online_with_store();
    command(&mut s, &format!("open g:{G}"));
    let fx = command(&mut s, "search 你好");
    let r = reads(&fx);
    assert!(
        matches!(r[..], [StoreRead::Find { query, .. }] if query.chats == vec![napterm::store::ChatRef::Peer(GROUP)]),
        "{fx:?}"
    );
    assert!(matches!(&s.popup, Some(Popup::Find(v)) if v.scope == Some(GROUP)));
}

#[test]
fn forget_asks_first_then_deletes_and_clears_the_chat() {
    let mut s = online_with_store();
    command(&mut s, &format!("open g:{G}"));
    update(&mut s, live(message(GROUP, MEMBER, 201, NOW, "实时")));
    let fx = command(&mut s, "forget");
    assert!(writes(&fx).is_empty(), "nothing before the answer");
    let Some(Popup::Confirm(c)) = &s.popup else {
        panic!("asks first");
    };
    assert_eq!(c.on_yes, vec![Effect::Store(StoreWrite::Forget(GROUP))]);
    let fx = key(&mut s, KeyCode::Char('y'));
    assert_eq!(writes(&fx), vec![&StoreWrite::Forget(GROUP)]);
    update(&mut s, Msg::Store(StoreEvent::Forgotten(GROUP)));
    assert!(
        s.chats[&GROUP].timeline.message(201).is_some(),
        "what is on screen stays"
    );
    assert!(
        s.chats[&GROUP].store_done,
        "older pages come from NapCat now"
    );
    assert_eq!(s.store.boundary(GROUP), None);
}

#[test]
fn a_forgotten_chat_keeps_its_name_in_the_store() {
    let mut s = online_with_store();
    // The chat's row went with its history: its name is written again at once, so what comes
    // next is stored under it.
    let fx = update(&mut s, Msg::Store(StoreEvent::Forgotten(GROUP)));
    assert_eq!(
        writes(&fx),
        vec![&StoreWrite::ChatName {
            peer: GROUP,
            name: "群30001".into()
        }]
    );
    // The chat with yourself keeps your name (an offline start draws you with it).
    let me = Peer::Private(ME);
    let fx = update(&mut s, Msg::Store(StoreEvent::Forgotten(me)));
    assert_eq!(
        writes(&fx),
        vec![&StoreWrite::ChatName {
            peer: me,
            name: "我".into()
        }]
    );
    // Nobody napterm has a name for: nothing to keep.
    let stranger = Peer::Private(55555);
    assert!(writes(&update(&mut s, Msg::Store(StoreEvent::Forgotten(stranger)))).is_empty());
    // The group list coming again with the same name writes nothing more.
    let groups = vec![GroupEntry {
        group_id: G,
        name: "群30001".into(),
        ..Default::default()
    }];
    let fx = update(&mut s, Msg::Reply(Reply::Groups(Groups, Ok(groups))));
    assert!(writes(&fx).is_empty(), "{fx:?}");
}

// ----- recalled messages -----

#[test]
fn recalled_messages_show_as_recalled_and_keep_their_text_only_with_show_recalled() {
    snapshot::utc();
    for keep in [false, true] {
        let mut s = online_with_store();
        s.settings.show_recalled = keep;
        command(&mut s, &format!("open g:{G}"));
        update(&mut s, live(message(GROUP, MEMBER, 201, NOW, "说错了的话")));
        update(
            &mut s,
            Msg::Client(ClientEvent::Event(Event::Notice(Notice {
                time: NOW,
                self_id: ME,
                kind: NoticeKind::GroupRecall {
                    group_id: G,
                    user_id: MEMBER,
                    operator_id: MEMBER,
                    message_id: 201,
                },
            }))),
        );
        let screen = snapshot::render(&s, 100, 20);
        assert!(screen.contains("(已撤回)"), "{screen}");
        assert_eq!(screen.contains("说错了的话"), keep, "{screen}");
        // Searched for, it is found where the timeline shows its text, and only there.
        let fx = command(&mut s, "find 说错");
        let r = reads(&fx);
        let [StoreRead::Find { query, .. }] = r[..] else {
            panic!("{fx:?}");
        };
        assert_eq!(query.recalled, keep);
    }
}

#[test]
fn a_quoted_message_not_loaded_is_paged_back_to_from_the_store_first() {
    let mut s = online_with_store();
    command(&mut s, &format!("open g:{G}"));
    let open_page: Vec<Row> = (1..=napterm::app::local::OPEN_PAGE as i64)
        .map(|i| stored_row(GROUP, 1000 + i, NOW - 5_000 + i, "近来", false))
        .collect();
    update(
        &mut s,
        Msg::Store(StoreEvent::Page {
            peer: GROUP,
            anchor: None,
            limit: napterm::app::local::OPEN_PAGE,
            purpose: PageFor::Open,
            rows: open_page,
        }),
    );
    s.chat_mut(GROUP).history = HistoryState::Idle;
    // A reply to message 42, far older than what is loaded.
    let mut reply = message(GROUP, MEMBER, 2000, NOW - 10, "");
    reply.message = MessageChain::new().reply(42).text("还记得这个吗");
    update(&mut s, live(reply));
    s.focus = Pane::Timeline;
    key(&mut s, KeyCode::Up);
    let fx = key(&mut s, KeyCode::Enter);
    assert!(
        matches!(
            reads(&fx)[..],
            [StoreRead::Page {
                purpose: PageFor::Older,
                ..
            }]
        ),
        "the store is read before NapCat: {fx:?}"
    );
    assert!(history_calls(&fx).is_empty(), "{fx:?}");
    // The stored page holds it: it is selected, and NapCat was never asked.
    let older: Vec<Row> = (1..=100)
        .map(|i| stored_row(GROUP, i, NOW - 90_000 + i, "很久以前", false))
        .collect();
    let fx = update(
        &mut s,
        Msg::Store(StoreEvent::Page {
            peer: GROUP,
            anchor: None,
            limit: napterm::app::local::STORE_PAGE,
            purpose: PageFor::Older,
            rows: older,
        }),
    );
    assert!(history_calls(&fx).is_empty(), "{fx:?}");
    let chat = &s.chats[&GROUP];
    let selected = chat.selected.expect("a selection");
    let id = chat
        .timeline
        .get(selected)
        .and_then(|e| e.message())
        .and_then(|m| m.id);
    assert_eq!(id, Some(42));
}
