//! Everything reaches the state through `update`: drafts following their chat, the clock and the
//! reconnect countdown, a restored session loading once connected, the frame's report. Pure
//! reducer tests — messages in, state and effects out, no terminal, socket or timing.

use crossterm::event::KeyCode;
use napterm::app::call::{History, MemberList, SendMessage};
use napterm::app::chat::{HistoryState, Scroll, SortKey};
use napterm::app::composer::Draft;
use napterm::app::contacts::MembersState;
use napterm::app::drafts::{Drafts, Session};
use napterm::app::keymap::Keymap;
use napterm::app::msg::Failure;
use napterm::app::state::{FrameReport, Settings, View};
use napterm::app::update::update;
use napterm::app::{Call, Effect, Msg, State};
use napterm::onebot::{ClientEvent, ConnState, Event, Frame, Peer, parse_frame};

mod reducer;
use reducer::{calls, key, type_text};

const NOW: i64 = 1_795_003_200;
const GROUP: Peer = Peer::Group(30001);
const FRIEND: Peer = Peer::Private(20003);

fn state() -> State {
    let mut s = State::new(Settings::default(), Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    s
}

fn connected() -> Msg {
    Msg::Client(ClientEvent::State(ConnState::Connected {
        self_id: 10001,
        nickname: "我".into(),
    }))
}

fn online() -> State {
    let mut s = state();
    update(&mut s, connected());
    s
}

/// Runs a command from the `:` line, as a user would (the composer keeps its text).
fn command(s: &mut State, line: &str) -> Vec<Effect> {
    let mut fx = key(s, KeyCode::Esc);
    fx.extend(type_text(s, &format!(":{line}")));
    fx.extend(key(s, KeyCode::Enter));
    fx
}

fn saved_sessions(fx: &[Effect]) -> Vec<&Session> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::SaveSession(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn draft_text(s: &State, peer: Peer) -> Option<&str> {
    s.drafts.get(peer).map(|d| d.text.as_str())
}

#[test]
fn a_draft_follows_its_chat_and_an_emptied_one_is_dropped() {
    let mut s = online();
    command(&mut s, "open g:30001");
    type_text(&mut s, "半句话");
    assert_eq!(
        draft_text(&s, GROUP),
        Some("半句话"),
        "kept in sync as typed"
    );

    let fx = command(&mut s, "open u:20003");
    assert_eq!(s.open, Some(FRIEND));
    assert_eq!(s.composer.text(), "", "the friend has no draft");
    let saved = saved_sessions(&fx);
    assert_eq!(saved.len(), 1, "switching saves once");
    assert_eq!(
        saved[0].drafts.get(GROUP).map(|d| d.text.as_str()),
        Some("半句话")
    );
    assert_eq!(saved[0].open, Some(FRIEND));

    // Typed and taken back: nothing is kept for the friend.
    type_text(&mut s, "x");
    assert_eq!(draft_text(&s, FRIEND), Some("x"));
    key(&mut s, KeyCode::Backspace);
    assert_eq!(draft_text(&s, FRIEND), None);

    command(&mut s, "open g:30001");
    assert_eq!(
        s.composer.text(),
        "半句话",
        "the draft comes back with its chat"
    );

    // Emptied, then left: the group's draft is gone from the map and from the saved session.
    for _ in 0..3 {
        key(&mut s, KeyCode::Backspace);
    }
    let fx = command(&mut s, "open u:20003");
    assert_eq!(draft_text(&s, GROUP), None);
    assert!(saved_sessions(&fx)[0].drafts.is_empty());
}

#[test]
fn sending_drops_the_draft_of_its_chat() {
    let mut s = online();
    command(&mut s, "open u:20003");
    type_text(&mut s, "在吗");
    let fx = key(&mut s, KeyCode::Enter);
    assert!(
        calls(&fx)
            .iter()
            .any(|c| matches!(c, Call::SendMessage(SendMessage { peer, .. }) if *peer == FRIEND))
    );
    assert_eq!(draft_text(&s, FRIEND), None);
    assert!(saved_sessions(&fx)[0].drafts.is_empty());
}

#[test]
fn the_clock_expires_a_confirmation_and_an_error_stays_until_something_newer() {
    let mut s = state();
    s.info("已复制");
    update(&mut s, Msg::Clock(NOW + 3));
    assert_eq!(s.status.info(), Some("已复制"));
    update(&mut s, Msg::Clock(NOW + 4));
    assert_eq!(s.status.info(), None);
    s.error("发送失败");
    update(&mut s, Msg::Clock(NOW + 600));
    assert_eq!(s.status.error(), Some("发送失败"));
    s.info("已复制");
    assert_eq!(s.status.error(), None, "the newest outcome wins");
}

#[test]
fn the_reconnect_countdown_is_derived_from_the_clock() {
    let mut s = online();
    update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Reconnecting {
            in_secs: 5,
            reason: "closed by server".into(),
        })),
    );
    assert_eq!(s.reconnect_at, Some(NOW + 5));
    assert_eq!(s.reconnect_in(), Some(5));
    update(&mut s, Msg::Clock(NOW + 3));
    assert_eq!(s.reconnect_in(), Some(2));
    update(&mut s, Msg::Clock(NOW + 9));
    assert_eq!(s.reconnect_in(), Some(0), "never below zero");
    update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Connecting { attempt: 2 })),
    );
    assert_eq!(s.reconnect_in(), None);
    assert_eq!(s.reconnect_at, None);
}

#[test]
fn a_restored_group_loads_its_history_and_members_once_connected() {
    let mut s = state();
    let draft = Draft {
        text: "昨天没写完".into(),
        ..Default::default()
    };
    let session = Session {
        drafts: Drafts::from_iter([(GROUP, draft)]),
        open: Some(GROUP),
        ..Default::default()
    };
    let fx = update(&mut s, Msg::Restore(session));
    assert!(
        calls(&fx).is_empty(),
        "nothing is asked before the connection is up: {fx:?}"
    );
    // Offline the chat has no name and nothing loads: it opens once connected (issue 14).
    assert_eq!(s.open, None);

    let fx = update(&mut s, connected());
    assert_eq!(s.open, Some(GROUP));
    assert_eq!(s.composer.text(), "昨天没写完");
    let fx = calls(&fx);
    let history: Vec<_> = fx
        .iter()
        .filter(
            |c| matches!(c, Call::History(History { peer, anchor: None, .. }) if *peer == GROUP),
        )
        .collect();
    assert_eq!(history.len(), 1, "{fx:?}");
    assert!(
        fx.contains(&&Call::MemberList(MemberList { group: 30001 })),
        "{fx:?}"
    );
    assert_eq!(
        s.open_chat().map(|c| c.history),
        Some(HistoryState::Loading)
    );
    assert_eq!(
        s.contacts.members.get(&30001).map(|m| m.state),
        Some(MembersState::Loading)
    );

    // Nothing more is asked while those are on their way.
    assert!(calls(&update(&mut s, Msg::Clock(NOW + 1))).is_empty());
}

#[test]
fn loads_lost_with_the_connection_are_asked_again_on_reconnect() {
    let mut s = online();
    command(&mut s, "open g:30001");
    assert_eq!(
        s.contacts.members.get(&30001).map(|m| m.state),
        Some(MembersState::Loading)
    );
    update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Reconnecting {
            in_secs: 1,
            reason: "closed".into(),
        })),
    );
    update(&mut s, connected());
    let fx = update(&mut s, Msg::Client(ClientEvent::Reconnected));
    let fx = calls(&fx);
    assert!(
        fx.contains(&&Call::MemberList(MemberList { group: 30001 })),
        "{fx:?}"
    );
    let history = fx
        .iter()
        .filter(|c| matches!(c, Call::History(History { peer, .. }) if *peer == GROUP))
        .count();
    assert_eq!(history, 1, "the open chat's page is asked once: {fx:?}");
}

#[test]
fn a_chat_opened_offline_loads_when_the_connection_comes_up() {
    let mut s = state();
    let fx = command(&mut s, "open u:20003");
    assert!(calls(&fx).is_empty(), "{fx:?}");
    assert_eq!(
        s.open_chat().map(|c| c.history),
        Some(HistoryState::NotLoaded)
    );
    let fx = update(&mut s, connected());
    assert!(
        calls(&fx)
            .iter()
            .any(|c| matches!(c, Call::History(History { peer, .. }) if *peer == FRIEND)),
        "{fx:?}"
    );
}

fn live_message(s: &mut State) {
    let text = include_str!("fixtures/group_message.json");
    let Ok(Frame::Event(Event::Message(m))) = parse_frame(text) else {
        panic!("the fixture is a message event");
    };
    update(s, Msg::Client(ClientEvent::Event(Event::Message(m))));
}

#[test]
fn the_frame_report_becomes_the_view_and_the_scroll() {
    let mut s = online();
    command(&mut s, "open g:30001");
    let anchor = SortKey {
        time: NOW,
        seq: 0,
        arrival: 1,
    };
    let view = View {
        timeline_area: ratatui::layout::Rect::new(0, 1, 60, 20),
        timeline_rows: vec![(3, anchor)],
        sidebar_shown: true,
        ..View::default()
    };
    update(
        &mut s,
        Msg::Frame(FrameReport {
            view: view.clone(),
            scroll: Some((
                GROUP,
                Scroll::Anchored {
                    key: anchor,
                    skip: 0,
                },
            )),
        }),
    );
    assert_eq!(s.view, view);
    assert!(matches!(
        s.open_chat().map(|c| c.scroll),
        Some(Scroll::Anchored { .. })
    ));
    // Scrolled up, a new message counts below; a frame drawn at the bottom clears it.
    live_message(&mut s);
    assert_eq!(s.open_chat().map(|c| c.new_below), Some(1));
    update(
        &mut s,
        Msg::Frame(FrameReport {
            view: view.clone(),
            scroll: Some((GROUP, Scroll::Bottom)),
        }),
    );
    assert_eq!(
        s.open_chat().map(|c| (c.scroll, c.new_below)),
        Some((Scroll::Bottom, 0))
    );

    // A report about a chat that is no longer open changes nothing there.
    command(&mut s, "open u:20003");
    update(
        &mut s,
        Msg::Frame(FrameReport {
            view,
            scroll: Some((
                GROUP,
                Scroll::Anchored {
                    key: anchor,
                    skip: 0,
                },
            )),
        }),
    );
    assert_eq!(s.chats.get(&GROUP).map(|c| c.scroll), Some(Scroll::Bottom));
}

#[test]
fn runtime_failures_are_said_in_the_status_line() {
    let mut s = state();
    update(
        &mut s,
        Msg::Failed(Failure::SaveSession {
            path: "/tmp/napterm/session.json".into(),
            reason: "No space left on device".into(),
        }),
    );
    let e = s.status.error().unwrap_or_default().to_string();
    assert!(
        e.contains("session.json") && e.contains("No space left"),
        "{e}"
    );
    update(&mut s, Msg::Failed(Failure::Suspend("no tty".into())));
    assert!(s.status.error().is_some_and(|e| e.contains("挂起")));
    update(
        &mut s,
        Msg::Failed(Failure::Open(
            "没有可用的浏览器 (SSH)，链接已复制到剪贴板".into(),
        )),
    );
    assert!(s.status.info().is_some_and(|i| i.contains("已复制")));
}

#[test]
fn quitting_is_state_not_an_effect() {
    let mut s = state();
    command(&mut s, "quit");
    assert!(s.quit);
}
