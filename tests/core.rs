//! The core as pure functions: unread counts, the read marker, "N new" below, the echo-versus-reply
//! race of a sent message, history exhaustion, and the refusals and declines that must make no
//! call. `update` is fed `Msg`s; state and effects are asserted. No terminal, socket or timing:
//! "no call was made" is a fact about the returned effects, not a wait that a slow machine could
//! turn green.

use crossterm::event::KeyCode;
use napterm::app::Reply;
use napterm::app::call::{Groups, History, MemberList, SendMessage};
use napterm::app::chat::{Delivery, HistoryState, Scroll};
use napterm::app::contacts::{GroupEntry, Member};
use napterm::app::keymap::Keymap;
use napterm::app::state::{FrameReport, Settings};
use napterm::app::update::update;
use napterm::app::{Call, Effect, Msg, Pane, State};
use napterm::onebot::{ClientEvent, ConnState, Peer, Role};
use serde_json::{Value, json};

mod reducer;
use reducer::{calls, event, key, type_text};

const NOW: i64 = 1_795_003_200;
const ME: i64 = 10001;
const G: i64 = 30001;
const GROUP: Peer = Peer::Group(G);
const OTHER: Peer = Peer::Group(30002);
const MEMBER: i64 = 20002;
const ADMIN: i64 = 20003;
const OWNER: i64 = 20004;

// ----- arrange -----

fn online() -> State {
    let mut s = State::new(Settings::default(), Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Connected {
            self_id: ME,
            nickname: "我".into(),
        })),
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

fn member(user_id: i64, role: Role) -> Member {
    Member {
        user_id,
        nickname: format!("成员{user_id}"),
        role,
        ..Default::default()
    }
}

/// `online()` with group `G` open and its members loaded: the account has `my_role`.
fn in_group(my_role: Role) -> State {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let list = vec![
        member(ME, my_role),
        member(MEMBER, Role::Member),
        member(ADMIN, Role::Admin),
        member(OWNER, Role::Owner),
    ];
    update(
        &mut s,
        Msg::Reply(Reply::MemberList(MemberList { group: G }, Ok(list))),
    );
    s
}

/// A group message from `user` (`at` mentions someone first when given).
fn group_message(group: i64, user: i64, id: i64, text: &str, at: Option<i64>) -> Value {
    let mut chain = Vec::new();
    if let Some(qq) = at {
        chain.push(json!({"type": "at", "data": {"qq": qq.to_string()}}));
    }
    chain.push(json!({"type": "text", "data": {"text": text}}));
    json!({
        "post_type": "message", "message_type": "group", "sub_type": "normal",
        "time": NOW, "self_id": ME, "user_id": user, "group_id": group, "message_id": id,
        "sender": {"user_id": user, "nickname": format!("成员{user}"), "role": "member"},
        "message": chain, "message_format": "array",
    })
}

/// The `message_sent` echo NapCat sends for a message of ours.
fn sent_echo(group: i64, id: i64, text: &str) -> Value {
    let mut v = group_message(group, ME, id, text, None);
    v["post_type"] = json!("message_sent");
    v
}

fn history_page(ids: std::ops::RangeInclusive<i64>) -> Vec<napterm::onebot::MessageEvent> {
    ids.map(|id| {
        let mut v = group_message(G, MEMBER, id, &format!("旧消息 {id}"), None);
        v["time"] = json!(NOW - 10_000 + id);
        serde_json::from_value(v).expect("a message event")
    })
    .collect()
}

// ----- act -----

/// Runs a command from the `:` line, as a user would from the timeline.
fn command(s: &mut State, line: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    // Esc leads from any pane towards the timeline, where `:` opens the command line.
    for _ in 0..3 {
        if s.focus == Pane::Timeline {
            break;
        }
        fx.extend(key(s, KeyCode::Esc));
    }
    assert_eq!(s.focus, Pane::Timeline, "Esc reaches the timeline");
    fx.extend(type_text(s, &format!(":{line}")));
    fx.extend(key(s, KeyCode::Enter));
    fx
}

/// The calls of a flow that change something on the server (reads are allowed).
fn writes(fx: &[Effect]) -> Vec<&Call> {
    calls(fx)
        .into_iter()
        .filter(|c| {
            !matches!(
                c,
                Call::MarkRead(_) | Call::MemberList(_) | Call::History(_) | Call::GetMsg(_)
            )
        })
        .collect()
}

// ----- unread, read marker, new below -----

#[test]
fn messages_in_other_chats_count_as_unread_and_mentions() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    update(
        &mut s,
        event(group_message(30002, MEMBER, 1, "大家好", None)),
    );
    update(
        &mut s,
        event(group_message(30002, MEMBER, 2, "看这里", Some(ME))),
    );
    update(&mut s, event(sent_echo(30002, 3, "我自己说的")));
    let other = &s.chats[&OTHER];
    assert_eq!(other.unread, 2, "your own message is not unread");
    assert_eq!(other.mentions, 1);
    assert_eq!(s.total_unread(), 2);
    // In the open chat, watched: nothing to count, and the server hears it was read.
    let fx = update(&mut s, event(group_message(G, MEMBER, 4, "在看吗", None)));
    assert_eq!(s.chats[&GROUP].unread, 0);
    assert!(calls(&fx).iter().any(|c| matches!(c, Call::MarkRead(_))));
    // Opening the other chat clears its counts and tells the server.
    let fx = command(&mut s, "open g:30002");
    assert_eq!((s.chats[&OTHER].unread, s.chats[&OTHER].mentions), (0, 0));
    assert!(calls(&fx).iter().any(|c| matches!(c, Call::MarkRead(_))));
    assert_eq!(s.total_unread(), 0);
}

#[test]
fn the_read_marker_sits_before_what_arrived_while_away() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    update(&mut s, event(group_message(G, MEMBER, 1, "读过的", None)));
    command(&mut s, "open g:30002");
    let marker = s.chats[&GROUP].read_marker.expect("set on leaving");
    let read = s.chats[&GROUP].timeline.key_of(1).expect("message 1");
    assert_eq!(marker, read, "everything seen is before the marker");
    update(&mut s, event(group_message(G, MEMBER, 2, "新来的", None)));
    command(&mut s, &format!("open g:{G}"));
    let new = s.chats[&GROUP].timeline.key_of(2).expect("message 2");
    let marker = s.chats[&GROUP].read_marker.expect("kept");
    assert!(
        read <= marker && marker < new,
        "{read:?} <= {marker:?} < {new:?}"
    );
}

#[test]
fn new_messages_below_are_counted_only_while_scrolled_up() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    update(&mut s, event(group_message(G, MEMBER, 1, "一", None)));
    let anchor = s.chats[&GROUP].timeline.key_of(1).expect("message 1");
    // The frame reports the view anchored above the bottom (the user scrolled up).
    let scrolled = Scroll::Anchored {
        key: anchor,
        skip: 0,
    };
    update(
        &mut s,
        Msg::Frame(FrameReport {
            view: Default::default(),
            scroll: Some((GROUP, scrolled)),
        }),
    );
    update(&mut s, event(group_message(G, MEMBER, 2, "二", None)));
    update(&mut s, event(group_message(G, MEMBER, 3, "三", None)));
    assert_eq!(s.chats[&GROUP].new_below, 2);
    // Back at the bottom, there is nothing new below any more.
    update(
        &mut s,
        Msg::Frame(FrameReport {
            view: Default::default(),
            scroll: Some((GROUP, Scroll::Bottom)),
        }),
    );
    assert_eq!(s.chats[&GROUP].new_below, 0);
    update(&mut s, event(group_message(G, MEMBER, 4, "四", None)));
    assert_eq!(s.chats[&GROUP].new_below, 0, "followed at the bottom");
}

// ----- sending: the echo and the reply race -----

fn send_text(s: &mut State, text: &str) -> SendMessage {
    // Typing in the timeline goes to the composer.
    command(s, "");
    type_text(s, text);
    let fx = key(s, KeyCode::Enter);
    let sent: Vec<SendMessage> = calls(&fx)
        .into_iter()
        .filter_map(|c| match c {
            Call::SendMessage(m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(sent.len(), 1, "one send: {fx:?}");
    sent.into_iter().next().expect("one send")
}

fn own_copies(s: &State, text: &str) -> Vec<(Option<i64>, Delivery)> {
    s.chats[&GROUP]
        .timeline
        .iter()
        .filter_map(|e| e.message())
        .filter(|m| m.own && m.chain.plain_text() == text)
        .map(|m| (m.id, m.delivery.clone()))
        .collect()
}

#[test]
fn a_sent_message_is_kept_once_when_the_reply_comes_first() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let send = send_text(&mut s, "先回复");
    assert_eq!(own_copies(&s, "先回复"), vec![(None, Delivery::Pending)]);
    update(&mut s, Msg::Reply(Reply::SendMessage(send, Ok(77))));
    update(&mut s, event(sent_echo(G, 77, "先回复")));
    assert_eq!(own_copies(&s, "先回复"), vec![(Some(77), Delivery::Sent)]);
}

#[test]
fn a_sent_message_is_kept_once_when_the_echo_comes_first() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let send = send_text(&mut s, "先回声");
    update(&mut s, event(sent_echo(G, 78, "先回声")));
    update(&mut s, Msg::Reply(Reply::SendMessage(send, Ok(78))));
    assert_eq!(own_copies(&s, "先回声"), vec![(Some(78), Delivery::Sent)]);
}

#[test]
fn a_failed_send_keeps_the_text_marked_failed() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let send = send_text(&mut s, "发不出去");
    let e = napterm::onebot::Error::Timeout {
        action: "send_group_msg".into(),
        secs: 30,
    };
    update(&mut s, Msg::Reply(Reply::SendMessage(send, Err(e))));
    let copies = own_copies(&s, "发不出去");
    assert_eq!(copies.len(), 1);
    assert!(matches!(copies[0].1, Delivery::Failed(_)), "{copies:?}");
}

fn conn(s: &mut State, c: ConnState) -> Vec<Effect> {
    update(s, Msg::Client(ClientEvent::State(c)))
}

/// Connected again after a drop: the client says `Connected`, then `Reconnected`.
fn back(s: &mut State) -> Vec<Effect> {
    let mut fx = conn(
        s,
        ConnState::Connected {
            self_id: ME,
            nickname: "我".into(),
        },
    );
    fx.extend(update(s, Msg::Client(ClientEvent::Reconnected)));
    fx
}

/// What the messages sent by `fx` say.
fn sends(fx: &[Effect]) -> Vec<String> {
    sent_chains(fx).iter().map(|c| c.plain_text()).collect()
}

/// The messages sent by `fx`.
fn sent_chains(fx: &[Effect]) -> Vec<napterm::onebot::MessageChain> {
    calls(fx)
        .into_iter()
        .filter_map(|c| match c {
            Call::SendMessage(m) => Some(m.chain.clone()),
            _ => None,
        })
        .collect()
}

fn reconnecting() -> ConnState {
    ConnState::Reconnecting {
        in_secs: 2,
        reason: "connection refused".into(),
    }
}

/// Written while not connected, a message waits (shown so, kept in the session) and goes out
/// when the connection comes back, in the order written, once.
#[test]
fn messages_written_offline_wait_and_go_out_on_reconnect() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    conn(&mut s, reconnecting());
    for text in ["第一条", "第二条"] {
        command(&mut s, "");
        type_text(&mut s, text);
        let fx = key(&mut s, KeyCode::Enter);
        assert!(sends(&fx).is_empty(), "nothing goes out offline: {fx:?}");
        assert_eq!(own_copies(&s, text), vec![(None, Delivery::Waiting)]);
    }
    assert!(
        s.composer.is_empty(),
        "the composer is free for the next one"
    );
    let (status, _) = napterm::ui::panes::conn_text(&s, &napterm::ui::theme::Theme::default());
    assert!(status.starts_with("2 条待发送 · "), "{status}");
    // The session keeps them, oldest first: a restart has them wait again.
    let kept: Vec<String> = s
        .session()
        .outbox
        .iter()
        .map(|u| u.chain.plain_text())
        .collect();
    assert_eq!(kept, ["第一条", "第二条"]);
    let fx = back(&mut s);
    assert_eq!(sends(&fx), ["第一条", "第二条"]);
    assert_eq!(s.status.info(), Some("已连接，发出离线时写的 2 条消息"));
    assert_eq!(own_copies(&s, "第一条"), vec![(None, Delivery::Pending)]);
    // Once out, a new connection sends nothing again.
    conn(&mut s, reconnecting());
    let fx = back(&mut s);
    assert!(sends(&fx).is_empty(), "{fx:?}");
    assert!(s.session().outbox.is_empty(), "sent: not kept");
    let (status, _) = napterm::ui::panes::conn_text(&s, &napterm::ui::theme::Theme::default());
    assert!(!status.contains("待发送"), "{status}");
}

/// The outbox holds what it sends: a waiting message goes out even when its entry left the
/// timeline meanwhile (a search hit opened in its chat clears the newest stretch).
#[test]
fn a_waiting_message_goes_out_though_its_entry_is_gone() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    conn(&mut s, reconnecting());
    command(&mut s, "");
    type_text(&mut s, "别丢了我");
    key(&mut s, KeyCode::Enter);
    s.chats.get_mut(&GROUP).expect("chat").timeline.clear();
    let fx = back(&mut s);
    assert_eq!(sends(&fx), ["别丢了我"]);
}

/// `d` on a message that never went out takes it back: out of the outbox and off the
/// timeline, with nothing asked of the server.
#[test]
fn d_takes_back_a_waiting_message() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    conn(&mut s, reconnecting());
    command(&mut s, "");
    type_text(&mut s, "写错了");
    key(&mut s, KeyCode::Enter);
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Up);
    let fx = key(&mut s, KeyCode::Char('d'));
    assert!(calls(&fx).is_empty(), "{fx:?}");
    assert!(s.popup.is_none(), "nothing to confirm: {:?}", s.popup);
    assert!(own_copies(&s, "写错了").is_empty());
    assert!(s.outbox.is_empty());
    assert_eq!(
        s.composer.text(),
        "写错了",
        "the text is back in the composer"
    );
    assert_eq!(s.focus, Pane::Composer, "to be corrected there");
    let fx = back(&mut s);
    assert!(sends(&fx).is_empty(), "{fx:?}");
}

/// Writes a reply to the newest message that mentions a member and ends in a face, while not
/// connected; it waits. The chain it will send is returned.
fn waiting_reply_with_mention_and_face(s: &mut State) -> napterm::onebot::MessageChain {
    update(s, event(group_message(G, MEMBER, 7001, "明天几点？", None)));
    conn(s, reconnecting());
    key(s, KeyCode::Esc);
    key(s, KeyCode::Up);
    type_text(s, "r");
    type_text(s, "@成员20002");
    key(s, KeyCode::Tab);
    type_text(s, "九点[face:14]");
    let fx = key(s, KeyCode::Enter);
    assert!(sends(&fx).is_empty(), "offline: {fx:?}");
    assert_eq!(s.outbox.len(), 1);
    s.session().outbox[0].chain.clone()
}

/// `d` on a waiting message puts back everything it said — the reply, the mention, the face —
/// so Enter sends the same message again.
#[test]
fn d_puts_a_reply_a_mention_and_a_face_back_as_they_were() {
    use napterm::onebot::Segment;
    let mut s = in_group(Role::Member);
    let written = waiting_reply_with_mention_and_face(&mut s);
    assert_eq!(
        written.0,
        vec![
            Segment::reply(7001),
            Segment::at(MEMBER),
            Segment::text(" 九点"),
            Segment::face(14),
        ]
    );
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Char('d'));
    assert!(s.outbox.is_empty());
    assert_eq!(s.composer.text(), "@成员20002 九点[微笑]");
    let reply = s.composer.reply.clone().expect("the reply is back");
    assert_eq!(
        (
            reply.message_id,
            reply.author.as_str(),
            reply.excerpt.as_str()
        ),
        (7001, "成员20002", "明天几点？")
    );
    assert_eq!(s.focus, Pane::Composer);
    key(&mut s, KeyCode::Enter);
    let fx = back(&mut s);
    assert_eq!(sent_chains(&fx), vec![written], "the same message goes out");
}

/// Undo takes a put-back message away whole, its reply too; redo brings both back.
#[test]
fn undo_takes_back_a_put_back_message_with_its_reply() {
    use crossterm::event::KeyModifiers;
    let mut s = in_group(Role::Member);
    waiting_reply_with_mention_and_face(&mut s);
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Char('d'));
    assert!(s.composer.reply.is_some());
    reducer::press(&mut s, KeyCode::Char('z'), KeyModifiers::ALT);
    assert_eq!(s.composer.text(), "");
    assert!(s.composer.reply.is_none(), "{:?}", s.composer.reply);
    reducer::press(
        &mut s,
        KeyCode::Char('Z'),
        KeyModifiers::ALT | KeyModifiers::SHIFT,
    );
    assert_eq!(s.composer.text(), "@成员20002 九点[微笑]");
    assert_eq!(s.composer.reply.as_ref().map(|r| r.message_id), Some(7001));

    // A reply the composer had before is its own: undoing the put-back leaves it.
    let mut s = in_group(Role::Member);
    waiting_reply_with_mention_and_face(&mut s);
    update(
        &mut s,
        event(group_message(G, MEMBER, 7002, "几号？", None)),
    );
    key(&mut s, KeyCode::Esc);
    // The waiting message is the newest; the one to reply to is above it.
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Up);
    type_text(&mut s, "r");
    type_text(&mut s, "五号");
    // (Esc would drop the reply: Shift+Tab leaves the composer as it is.)
    key(&mut s, KeyCode::BackTab);
    assert_eq!(s.focus, Pane::Timeline);
    // The reply's message stays selected; the waiting one is the newest, below it.
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Char('d'));
    assert_eq!(s.composer.text(), "五号\n@成员20002 九点[微笑]");
    for _ in 0..2 {
        reducer::press(&mut s, KeyCode::Char('z'), KeyModifiers::ALT);
    }
    assert_eq!(s.composer.text(), "五号");
    assert_eq!(s.composer.reply.as_ref().map(|r| r.message_id), Some(7002));
}

/// Put back into a composer that holds something: after it, on a line of its own.
#[test]
fn a_taken_back_message_joins_what_is_already_written() {
    let mut s = in_group(Role::Member);
    waiting_reply_with_mention_and_face(&mut s);
    command(&mut s, "");
    type_text(&mut s, "另外");
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Char('d'));
    assert_eq!(s.composer.text(), "另外\n@成员20002 九点[微笑]");
    assert!(s.composer.reply.is_some());
    // An edit like any other: undo (the text, then the line break) takes it away again.
    for _ in 0..2 {
        reducer::press(
            &mut s,
            KeyCode::Char('z'),
            crossterm::event::KeyModifiers::ALT,
        );
    }
    assert_eq!(s.composer.text(), "另外");
    assert!(
        s.composer.reply.is_none(),
        "the reply it brought goes with it"
    );

    // A command half typed is not a draft to join: the message goes to the chat's draft and
    // is in the composer when the chat is opened again.
    let mut s = in_group(Role::Member);
    waiting_reply_with_mention_and_face(&mut s);
    command(&mut s, "");
    type_text(&mut s, "/open 群");
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Char('d'));
    assert_eq!(
        s.status.info(),
        Some("已取消发送，消息放回了「群30001」的草稿")
    );
    assert_eq!(s.composer.text(), "/open 群", "the command is left alone");
    command(&mut s, "open g:30002");
    command(&mut s, &format!("open g:{G}"));
    assert_eq!(s.composer.text(), "@成员20002 九点[微笑]");
    let fx = key(&mut s, KeyCode::Enter);
    assert!(sends(&fx).is_empty(), "still offline: it waits again");
    assert_eq!(s.outbox.len(), 1);
}

/// The last run's waiting messages come back waiting, in their chat, and go out once
/// connected (a restart while NapCat was away loses nothing).
#[test]
fn waiting_messages_survive_a_restart() {
    let mut s = State::new(Settings::default(), Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    let session = napterm::app::drafts::Session {
        outbox: vec![napterm::app::drafts::Unsent {
            peer: GROUP,
            time: NOW - 60,
            chain: napterm::onebot::MessageChain::new().text("昨晚写的"),
            sends: None,
        }],
        ..Default::default()
    };
    update(&mut s, Msg::Restore(session));
    assert_eq!(own_copies(&s, "昨晚写的"), vec![(None, Delivery::Waiting)]);
    let fx = conn(
        &mut s,
        ConnState::Connected {
            self_id: ME,
            nickname: "我".into(),
        },
    );
    assert_eq!(sends(&fx), ["昨晚写的"]);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::SaveSession(x) if x.outbox.is_empty())),
        "the saved outbox is emptied at once: {fx:?}"
    );
}

/// A waiting picture whose bytes did not survive is not sent as what it shows, and the
/// restart says it is gone rather than dropping it quietly.
#[test]
fn a_restart_says_when_a_waiting_picture_could_not_be_kept() {
    let mut s = State::new(Settings::default(), Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    let session = napterm::app::drafts::Session {
        lost: 1,
        ..Default::default()
    };
    update(&mut s, Msg::Restore(session));
    let said = s.status.error().unwrap_or_default();
    assert!(said.contains("1 张图片没能保留"), "{said}");
}

/// The connection went down before the client heard: the send comes back `NotConnected` (not
/// sent at all), so the message waits rather than failing, and goes out on reconnect.
#[test]
fn a_send_refused_unsent_waits_like_one_written_offline() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let send = send_text(&mut s, "没发出去");
    let e = napterm::onebot::Error::NotConnected("connection refused".into());
    update(&mut s, Msg::Reply(Reply::SendMessage(send, Err(e))));
    assert_eq!(own_copies(&s, "没发出去"), vec![(None, Delivery::Waiting)]);
    assert!(s.status.error().is_none(), "not an error: {:?}", s.status);
    conn(&mut s, reconnecting());
    let fx = back(&mut s);
    assert_eq!(sends(&fx), ["没发出去"]);
}

/// The refusal's answer may come after the news that the connection is back (they travel
/// apart): the message then waits while connected, and goes out at the next second rather
/// than at the next reconnect.
#[test]
fn a_send_refused_after_the_connection_came_back_goes_out_within_a_second() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let send = send_text(&mut s, "晚到的拒绝");
    conn(&mut s, reconnecting());
    back(&mut s);
    let e = napterm::onebot::Error::NotConnected("connection refused".into());
    update(&mut s, Msg::Reply(Reply::SendMessage(send, Err(e))));
    assert!(s.online());
    assert_eq!(
        own_copies(&s, "晚到的拒绝"),
        vec![(None, Delivery::Waiting)]
    );
    let now = s.now;
    let fx = update(&mut s, Msg::Clock(now + 1));
    assert_eq!(sends(&fx), ["晚到的拒绝"]);
    assert!(s.outbox.is_empty());
    assert!(
        sends(&update(&mut s, Msg::Clock(now + 2))).is_empty(),
        "once"
    );
}

#[test]
fn a_failed_message_retried_offline_waits_for_the_connection() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let send = send_text(&mut s, "掉线了");
    let e = napterm::onebot::Error::Transport("connection lost: reset".into());
    update(&mut s, Msg::Reply(Reply::SendMessage(send, Err(e))));
    assert!(matches!(own_copies(&s, "掉线了")[0].1, Delivery::Failed(_)));
    conn(&mut s, reconnecting());
    // The failed message selected, `R`: it waits rather than failing again.
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Up);
    let fx = key(&mut s, KeyCode::Char('R'));
    assert!(sends(&fx).is_empty());
    assert_eq!(own_copies(&s, "掉线了"), vec![(None, Delivery::Waiting)]);
    let fx = back(&mut s);
    assert_eq!(sends(&fx), ["掉线了"]);
}

// ----- history paging -----

#[test]
fn history_is_exhausted_when_an_older_page_comes_back_short() {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    let latest = calls(&fx)
        .into_iter()
        .find_map(|c| match c {
            Call::History(h) => Some(h.clone()),
            _ => None,
        })
        .expect("opening asks for the latest page");
    assert_eq!(latest.anchor, None);
    update(
        &mut s,
        Msg::Reply(Reply::History(latest, Ok(history_page(100..=129)))),
    );
    assert_eq!(s.chats[&GROUP].history, HistoryState::Idle);
    // Scrolling to the top asks for the page before the oldest loaded message.
    key(&mut s, KeyCode::Esc);
    let fx = key(&mut s, KeyCode::Home);
    let older = calls(&fx)
        .into_iter()
        .find_map(|c| match c {
            Call::History(h) => Some(h.clone()),
            _ => None,
        })
        .expect("an older page");
    assert_eq!(older.anchor, Some(100));
    // Fewer than asked for: that was the beginning of the chat.
    update(
        &mut s,
        Msg::Reply(Reply::History(older, Ok(history_page(95..=99)))),
    );
    assert_eq!(s.chats[&GROUP].history, HistoryState::Exhausted);
    let fx = key(&mut s, KeyCode::Home);
    assert!(
        !calls(&fx).iter().any(|c| matches!(c, Call::History(_))),
        "nothing more is asked for: {fx:?}"
    );
    assert!(s.chats[&GROUP].timeline.key_of(95).is_some());
}

#[test]
fn an_older_page_is_not_asked_for_twice_while_one_is_loading() {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    let latest = calls(&fx)
        .into_iter()
        .find_map(|c| match c {
            Call::History(h) => Some(h.clone()),
            _ => None,
        })
        .expect("the latest page");
    update(
        &mut s,
        Msg::Reply(Reply::History(latest, Ok(history_page(100..=129)))),
    );
    key(&mut s, KeyCode::Esc);
    let first = key(&mut s, KeyCode::Home);
    let again = key(&mut s, KeyCode::Home);
    let pages = |fx: &[Effect]| {
        calls(fx)
            .iter()
            .filter(|c| matches!(c, Call::History(History { .. })))
            .count()
    };
    assert_eq!((pages(&first), pages(&again)), (1, 0));
}

// ----- refusals and declines make no call -----

#[test]
fn declining_a_long_mute_makes_no_call() {
    let mut s = in_group(Role::Admin);
    let fx = command(&mut s, &format!("ban {MEMBER} 30d"));
    assert!(writes(&fx).is_empty(), "asks first: {fx:?}");
    assert!(matches!(
        s.popup,
        Some(napterm::app::popup::Popup::Confirm(_))
    ));
    let fx = type_text(&mut s, "n");
    assert!(writes(&fx).is_empty(), "{fx:?}");
    assert!(s.popup.is_none());
    assert_eq!(s.status.info(), Some("已取消"));
    // Asked again and confirmed: exactly one mute.
    command(&mut s, &format!("ban {MEMBER} 30d"));
    let fx = type_text(&mut s, "y");
    assert_eq!(writes(&fx).len(), 1, "{fx:?}");
}

#[test]
fn what_your_role_forbids_is_refused_with_no_call() {
    let cases: [(Role, String, &str); 7] = [
        (
            Role::Member,
            format!("ban {MEMBER} 10m"),
            "你不是群主或管理员，不能禁言",
        ),
        (
            Role::Admin,
            format!("kick {ADMIN}"),
            "管理员不能移出其他管理员",
        ),
        (Role::Admin, format!("ban {OWNER} 1h"), "不能禁言群主"),
        (Role::Admin, format!("ban {ME} 1h"), "不能禁言自己"),
        (
            Role::Admin,
            format!("title {MEMBER} 大佬"),
            "只有群主可以设置专属头衔",
        ),
        (
            Role::Admin,
            format!("admin {MEMBER} on"),
            "只有群主可以设置或取消管理员",
        ),
        (
            Role::Admin,
            format!("ban {MEMBER} 31d"),
            "最长只能禁言 30 天",
        ),
    ];
    for (role, line, reason) in cases {
        let mut s = in_group(role);
        let fx = command(&mut s, &line);
        assert!(writes(&fx).is_empty(), "/{line}: {fx:?}");
        assert!(s.popup.is_none(), "/{line}: no confirmation offered");
        let error = s.status.error().unwrap_or_default();
        assert!(error.contains(reason), "/{line}: {error}");
    }
}

#[test]
fn declining_muteall_recall_and_a_wrong_leave_name_make_no_call() {
    let mut s = in_group(Role::Admin);
    command(&mut s, "muteall on");
    let fx = type_text(&mut s, "n");
    assert!(writes(&fx).is_empty(), "muteall: {fx:?}");

    update(&mut s, event(group_message(G, MEMBER, 5, "要撤回的", None)));
    command(&mut s, "close");
    command(&mut s, &format!("open g:{G}"));
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Up);
    let fx = command(&mut s, "recall");
    assert!(writes(&fx).is_empty(), "recall asks first: {fx:?}");
    let fx = type_text(&mut s, "n");
    assert!(writes(&fx).is_empty(), "recall declined: {fx:?}");

    command(&mut s, "leave");
    type_text(&mut s, "别的群");
    let fx = key(&mut s, KeyCode::Enter);
    assert!(writes(&fx).is_empty(), "a wrong name: {fx:?}");
    let fx = key(&mut s, KeyCode::Esc);
    assert!(writes(&fx).is_empty(), "{fx:?}");
    assert!(s.popup.is_none());
}

#[test]
fn a_paste_never_sends() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let fx = update(&mut s, Msg::Paste("第一行\n第二行\n".into()));
    assert!(calls(&fx).is_empty(), "{fx:?}");
    assert_eq!(s.composer.text(), "第一行\n第二行\n");
}

#[test]
fn declining_a_bulk_kick_makes_no_call_and_keeps_the_marks() {
    let mut s = in_group(Role::Admin);
    update(
        &mut s,
        Msg::Reply(Reply::MemberList(
            MemberList { group: G },
            Ok(vec![
                member(ME, Role::Admin),
                member(MEMBER, Role::Member),
                member(20005, Role::Member),
                member(OWNER, Role::Owner),
            ]),
        )),
    );
    command(&mut s, "members");
    for _ in 0..4 {
        if s.focus == Pane::Members {
            break;
        }
        key(&mut s, KeyCode::Tab);
    }
    assert_eq!(s.focus, Pane::Members);
    for _ in 0..4 {
        if s.selected_member().is_some_and(|m| m.role == Role::Member) {
            break;
        }
        key(&mut s, KeyCode::Down);
    }
    type_text(&mut s, "  ");
    assert_eq!(s.members.marked.len(), 2, "{:?}", s.members.marked);
    let fx = type_text(&mut s, "K");
    assert!(writes(&fx).is_empty(), "asks first: {fx:?}");
    let fx = type_text(&mut s, "n");
    assert!(writes(&fx).is_empty(), "declined: {fx:?}");
    assert_eq!(s.members.marked.len(), 2, "the marks are kept");
    type_text(&mut s, "K");
    let fx = type_text(&mut s, "y");
    assert!(
        matches!(writes(&fx).as_slice(), [Call::KickMany(k)] if k.users.len() == 2),
        "{fx:?}"
    );
}

#[test]
fn declining_to_delete_a_notice_makes_no_call() {
    use napterm::app::call::Notices;
    let mut s = in_group(Role::Admin);
    let fx = command(&mut s, "notices");
    assert!(calls(&fx).iter().any(|c| matches!(c, Call::Notices(_))));
    let notice: napterm::onebot::types::GroupNotice = serde_json::from_value(json!({
        "notice_id": "n1", "sender_id": ME, "publish_time": NOW - 60,
        "message": {"text": "周六下午三点 体育馆集合", "images": []},
    }))
    .expect("a notice");
    update(
        &mut s,
        Msg::Reply(Reply::Notices(Notices { group: G }, Ok(vec![notice]))),
    );
    let fx = type_text(&mut s, "d");
    assert!(writes(&fx).is_empty(), "asks first: {fx:?}");
    let fx = type_text(&mut s, "n");
    assert!(writes(&fx).is_empty(), "declined: {fx:?}");
    type_text(&mut s, "d");
    let fx = type_text(&mut s, "y");
    assert!(
        matches!(writes(&fx).as_slice(), [Call::DeleteNotice(d)] if d.notice_id == "n1"),
        "{fx:?}"
    );
}

#[test]
fn the_keyboard_protocol_is_turned_on_only_when_the_terminal_says_it_speaks_it() {
    let mut s = online();
    assert_eq!(
        update(&mut s, Msg::KeyboardProtocol(true)),
        vec![Effect::EnhanceKeyboard]
    );
    assert!(update(&mut s, Msg::KeyboardProtocol(false)).is_empty());
}

/// The notice lines of a chat, oldest first.
fn notice_lines(s: &State, peer: Peer) -> Vec<String> {
    s.chats[&peer]
        .timeline
        .iter()
        .filter_map(|e| match &e.kind {
            napterm::app::chat::EntryKind::Notice(n) => Some(n.text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn essence_and_recall_lines_read_naturally_whoever_did_it_to_whom() {
    let mut s = in_group(Role::Admin);
    let notice = |sub: &str, kind: &str, sender: i64, op: i64, id: i64| {
        event(json!({
            "post_type": "notice", "notice_type": kind, "sub_type": sub, "time": NOW,
            "self_id": ME, "group_id": G, "message_id": id, "sender_id": sender,
            "user_id": sender, "operator_id": op,
        }))
    };
    for m in [
        notice("add", "essence", ME, ME, 901),
        notice("add", "essence", ME, MEMBER, 902),
        notice("add", "essence", MEMBER, ME, 903),
        notice("add", "essence", MEMBER, ADMIN, 904),
        notice("delete", "essence", MEMBER, MEMBER, 905),
        notice("", "group_recall", ME, ADMIN, 906),
        notice("", "group_recall", MEMBER, ADMIN, 907),
    ] {
        update(&mut s, m);
    }
    assert_eq!(
        notice_lines(&s, GROUP),
        [
            "你 将自己的一条消息设为精华",
            "成员20002 将你的一条消息设为精华",
            "你 将 成员20002 的一条消息设为精华",
            "成员20003 将 成员20002 的一条消息设为精华",
            "成员20002 移除了自己的一条精华消息",
            "成员20003 撤回了你的一条消息",
            "成员20003 撤回了 成员20002 的一条消息",
        ]
    );
}

#[test]
fn your_own_message_older_than_two_minutes_is_recalled_only_by_who_manages_the_group() {
    for (role, allowed) in [
        (Role::Member, false),
        (Role::Admin, true),
        (Role::Owner, true),
    ] {
        let mut s = in_group(role);
        let mut v = group_message(G, ME, 77, "五分钟前说的", None);
        v["time"] = json!(NOW - 300);
        update(&mut s, event(v));
        let key = s.chats[&GROUP]
            .timeline
            .key_of(77)
            .expect("in the timeline");
        s.chats.get_mut(&GROUP).unwrap().selected = Some(key);
        command(&mut s, "recall");
        if allowed {
            assert!(
                matches!(s.popup, Some(napterm::app::popup::Popup::Confirm(_))),
                "{role:?}: asks first"
            );
        } else {
            assert!(s.popup.is_none(), "{role:?}");
            let e = s.status.error().unwrap_or_default();
            assert!(e.contains("超过 2 分钟"), "{role:?}: {e}");
        }
    }
    // A fresh one: anyone.
    let mut s = in_group(Role::Member);
    let mut v = group_message(G, ME, 78, "刚说的", None);
    v["time"] = json!(NOW - 30);
    update(&mut s, event(v));
    let key = s.chats[&GROUP].timeline.key_of(78).unwrap();
    s.chats.get_mut(&GROUP).unwrap().selected = Some(key);
    command(&mut s, "recall");
    assert!(matches!(
        s.popup,
        Some(napterm::app::popup::Popup::Confirm(_))
    ));
}

#[test]
fn a_new_card_or_title_is_kept_and_named_by_who_they_were() {
    use napterm::app::call::{SetCard, SetTitle};
    let mut s = in_group(Role::Owner);
    let card = SetCard {
        group: G,
        user: MEMBER,
        card: "小明".into(),
    };
    update(&mut s, Msg::Reply(Reply::SetCard(card, Ok(()))));
    assert_eq!(
        s.status.info(),
        Some("已将 成员20002 (20002) 的群名片改为「小明」")
    );
    let title = SetTitle {
        group: G,
        user: MEMBER,
        title: "摸鱼大师".into(),
    };
    update(&mut s, Msg::Reply(Reply::SetTitle(title, Ok(()))));
    assert_eq!(
        s.status.info(),
        Some("已给 小明 (20002) 设置头衔「摸鱼大师」")
    );
    let m = s.contacts.member(G, MEMBER).expect("still a member");
    assert_eq!((m.card.as_str(), m.title.as_str()), ("小明", "摸鱼大师"));
}

/// Names are looked for by pinyin: a filter may start with any letter (no `k`/`j` is taken
/// for moving), takes `?` and `:` once begun, and a `/` before any filter starts a command.
#[test]
fn the_sidebar_filter_takes_every_letter_and_a_slash_starts_a_command() {
    let mut s = online();
    s.focus = Pane::Sidebar;
    type_text(&mut s, "kaoyan");
    assert_eq!(s.sidebar.filter, "kaoyan", "the k is not a move");
    type_text(&mut s, "j?:");
    assert_eq!(
        s.sidebar.filter, "kaoyanj?:",
        "bound keys go into a filter begun"
    );
    assert!(s.popup.is_none(), "no help over the filter");
    assert!(s.command_line.is_none());
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.sidebar.filter, "");
    // With no filter, `?` is still the help and `:` the command line.
    key(&mut s, KeyCode::Char('?'));
    assert!(s.popup.is_some(), "? opens the help");
    key(&mut s, KeyCode::Esc);
    // A slash: the composer, holding the command as typed.
    type_text(&mut s, "/open 妈妈");
    assert_eq!(s.focus, Pane::Composer);
    assert_eq!(s.composer.text(), "/open 妈妈");
    assert_eq!(s.sidebar.filter, "");
}

#[test]
fn esc_in_a_filtered_sidebar_clears_the_filter_before_leaving() {
    let mut s = online();
    s.focus = Pane::Sidebar;
    type_text(&mut s, "xm");
    assert_eq!(s.sidebar.filter, "xm");
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.sidebar.filter, "", "the first Esc clears the filter");
    assert_eq!(s.focus, Pane::Sidebar, "and stays in the sidebar");
    // Typing filters again (not the composer), as before the Esc.
    type_text(&mut s, "x");
    assert_eq!(s.sidebar.filter, "x");
    key(&mut s, KeyCode::Backspace);
    assert_eq!(s.sidebar.filter, "");
    key(&mut s, KeyCode::Esc);
    assert_eq!(
        s.focus,
        Pane::Composer,
        "with no filter Esc goes to the composer"
    );
    assert!(s.composer.text().is_empty());
}
