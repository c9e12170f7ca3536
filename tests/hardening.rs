//! What a fault and hostile-input trial found (issue 13), as reducer tests: `Msg`s in, state and
//! effects out. Start-up loads asked again after a timeout or a lost connection, catch-up that
//! pages until it meets what was loaded, drafts saved while typing, searches that start from
//! the newest message, one status model, implausible server times, links opened by one rule.

use crossterm::event::KeyCode;
use napterm::app::call::{
    FileUrl, Friends, Groups, History, LoginInfo, MemberList, RecentContacts,
};
use napterm::app::chat::EntryKind;
use napterm::app::contacts::MembersState;
use napterm::app::keymap::Keymap;
use napterm::app::loads::{Load, Trouble};
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Call, Effect, Msg, Pane, Reply, State};
use napterm::onebot::{ClientEvent, ConnState, Error, MessageEvent, Peer};
use serde_json::{Value, json};

mod reducer;
use reducer::{calls, event, key, type_text};

const NOW: i64 = 1_795_003_200;
const ME: i64 = 10001;
const G: i64 = 30001;
const GROUP: Peer = Peer::Group(G);
const OTHER: i64 = 30002;
const MEMBER: i64 = 20002;

// ----- arrange -----

fn offline() -> State {
    let mut s = State::new(Settings::default(), Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    s
}

fn connected(nickname: &str) -> Msg {
    Msg::Client(ClientEvent::State(ConnState::Connected {
        self_id: ME,
        nickname: nickname.into(),
    }))
}

fn reconnecting() -> Msg {
    Msg::Client(ClientEvent::State(ConnState::Reconnecting {
        in_secs: 1,
        reason: "closed by server".into(),
    }))
}

fn online() -> State {
    let mut s = offline();
    update(&mut s, connected("我"));
    s
}

/// Drops the connection and brings it back, as the connection reports it.
fn reconnect(s: &mut State) -> Vec<Effect> {
    update(s, reconnecting());
    let mut fx = update(s, connected("我"));
    fx.extend(update(s, Msg::Client(ClientEvent::Reconnected)));
    fx
}

fn timeout(action: &str) -> Error {
    Error::Timeout {
        action: action.into(),
        secs: 15,
    }
}

fn lost() -> Error {
    Error::Transport("connection lost: closed by server".into())
}

fn group_message(group: i64, user: i64, id: i64, time: i64, text: &str) -> Value {
    json!({
        "post_type": "message", "message_type": "group", "sub_type": "normal",
        "time": time, "self_id": ME, "user_id": user, "group_id": group, "message_id": id,
        "sender": {"user_id": user, "nickname": format!("成员{user}"), "role": "member"},
        "message": [{"type": "text", "data": {"text": text}}], "message_format": "array",
    })
}

/// Messages `ids` of `group`, one a second, ending a while before now.
fn page(group: i64, ids: impl IntoIterator<Item = i64>) -> Vec<MessageEvent> {
    ids.into_iter()
        .map(|id| {
            let v = group_message(group, MEMBER, id, NOW - 10_000 + id, &format!("消息 {id}"));
            serde_json::from_value(v).expect("a message event")
        })
        .collect()
}

// ----- act -----

/// Runs a command from the `:` line, as a user would from the timeline.
fn command(s: &mut State, line: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    for _ in 0..3 {
        if s.focus == Pane::Timeline {
            break;
        }
        fx.extend(key(s, KeyCode::Esc));
    }
    fx.extend(type_text(s, &format!(":{line}")));
    fx.extend(key(s, KeyCode::Enter));
    fx
}

fn reply(s: &mut State, r: Reply) -> Vec<Effect> {
    update(s, Msg::Reply(r))
}

fn history_calls(fx: &[Effect], peer: Peer) -> Vec<Option<i64>> {
    calls(fx)
        .into_iter()
        .filter_map(|c| match c {
            Call::History(h) if h.peer == peer => Some(h.anchor),
            _ => None,
        })
        .collect()
}

fn message_ids(s: &State, peer: Peer) -> Vec<i64> {
    s.chats[&peer]
        .timeline
        .iter()
        .filter_map(|e| e.message().and_then(|m| m.id))
        .collect()
}

fn notices(s: &State, peer: Peer) -> Vec<String> {
    s.chats[&peer]
        .timeline
        .iter()
        .filter_map(|e| match &e.kind {
            EntryKind::Notice(n) => Some(n.text.clone()),
            EntryKind::Message(_) => None,
        })
        .collect()
}

// ----- item 2: start-up loads -----

#[test]
fn start_up_loads_that_time_out_are_asked_again_and_named_until_they_come() {
    let mut s = offline();
    // The connection's own get_login_info got no answer: the nickname is empty.
    let fx = update(&mut s, connected(""));
    let asked = calls(&fx);
    for wanted in [
        Call::LoginInfo(LoginInfo),
        Call::Friends(Friends),
        Call::Groups(Groups),
        Call::RecentContacts(RecentContacts { count: 30 }),
    ] {
        assert!(asked.contains(&&wanted), "{wanted:?} not asked: {asked:?}");
    }

    // A server that answers nothing: each times out and is asked again, without an error.
    let fx = reply(
        &mut s,
        Reply::Friends(Friends, Err(timeout("get_friend_list"))),
    );
    assert_eq!(calls(&fx), [&Call::Friends(Friends)]);
    let fx = reply(
        &mut s,
        Reply::LoginInfo(LoginInfo, Err(timeout("get_login_info"))),
    );
    assert_eq!(calls(&fx), [&Call::LoginInfo(LoginInfo)]);
    assert_eq!(s.status.error(), None, "a retried load is not an error");
    assert_eq!(
        s.loads.missing(),
        [
            (Load::LoginInfo, Trouble::TimedOut),
            (Load::Friends, Trouble::TimedOut)
        ]
    );
    assert_eq!(
        s.loads.summary().as_deref(),
        Some("仍未加载: 登录信息、好友列表 (重试中)")
    );

    // Then it recovers.
    reply(&mut s, Reply::Friends(Friends, Ok(vec![])));
    let info = napterm::onebot::types::LoginInfo {
        user_id: ME,
        nickname: "夜航船".into(),
    };
    reply(&mut s, Reply::LoginInfo(LoginInfo, Ok(info)));
    assert_eq!(s.self_name, "夜航船");
    assert!(s.loads.missing().is_empty());
    assert_eq!(s.loads.summary(), None);
}

#[test]
fn a_load_that_keeps_timing_out_waits_for_the_next_connection() {
    let mut s = online();
    let mut asked = 1;
    loop {
        let fx = reply(
            &mut s,
            Reply::Groups(Groups, Err(timeout("get_group_list"))),
        );
        if calls(&fx).is_empty() {
            break;
        }
        asked += 1;
        assert!(asked <= 10, "no hot loop");
    }
    assert_eq!(asked, napterm::app::load_tracker::ATTEMPTS_PER_CONNECTION);
    assert_eq!(s.loads.summary().as_deref(), Some("仍未加载: 群列表"));
    let fx = reconnect(&mut s);
    assert!(calls(&fx).contains(&&Call::Groups(Groups)), "{fx:?}");
}

#[test]
fn loads_lost_with_their_connection_are_asked_once_it_is_back() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    update(&mut s, reconnecting());
    // The failures of the calls that were on the lost socket come in while offline.
    for r in [
        Reply::Friends(Friends, Err(lost())),
        Reply::MemberList(MemberList { group: G }, Err(lost())),
        Reply::History(
            History {
                peer: GROUP,
                anchor: None,
                count: 30,
            },
            Err(lost()),
        ),
    ] {
        assert!(calls(&reply(&mut s, r)).is_empty(), "nothing asked offline");
    }
    assert_eq!(s.status.error(), None);
    assert_eq!(
        s.contacts.members.get(&G).map(|m| m.state),
        Some(MembersState::Loading)
    );
    let fx = reconnect(&mut s);
    let asked = calls(&fx);
    assert!(asked.contains(&&Call::Friends(Friends)), "{asked:?}");
    assert!(
        asked.contains(&&Call::MemberList(MemberList { group: G })),
        "{asked:?}"
    );
    assert_eq!(
        history_calls(&fx, GROUP),
        [None],
        "the open chat's page, once"
    );
}

#[test]
fn a_load_asked_twice_across_a_reconnect_counts_the_old_failure_off() {
    let mut s = online();
    // Friends was asked on the first connection; it comes back after a reconnect.
    let fx = reconnect(&mut s);
    assert!(calls(&fx).contains(&&Call::Friends(Friends)));
    // The old call's failure arrives late: not asked a third time, not an error.
    let fx = reply(&mut s, Reply::Friends(Friends, Err(lost())));
    assert!(calls(&fx).is_empty(), "{fx:?}");
    assert_eq!(s.status.error(), None);
    reply(&mut s, Reply::Friends(Friends, Ok(vec![])));
    assert!(!s.loads.is_pending(Load::Friends));
}

#[test]
fn a_refusal_is_shown_and_not_retried() {
    let mut s = online();
    let refused = Error::ActionFailed {
        action: "get_group_list".into(),
        retcode: 200,
        message: "账号被风控".into(),
    };
    let fx = reply(&mut s, Reply::Groups(Groups, Err(refused)));
    assert!(calls(&fx).is_empty());
    assert_eq!(s.status.error(), Some("获取群列表失败: 账号被风控"));
    assert!(s.loads.missing().is_empty());
}

// ----- item 12: catch-up after a reconnect -----

/// `online()` with group `G` open, its first page (ids 1..=20) loaded.
fn in_group_with_history() -> State {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let first = History {
        peer: GROUP,
        anchor: None,
        count: 30,
    };
    reply(&mut s, Reply::History(first, Ok(page(G, 1..=20))));
    s
}

/// Answers every catch-up page of `peer` from `server` (ids, oldest first) until none is asked;
/// returns how many pages were asked.
fn serve_catch_up(s: &mut State, peer: Peer, mut fx: Vec<Effect>, server: &[i64]) -> usize {
    let mut pages = 0;
    while let Some(anchor) = history_calls(&fx, peer).first().copied() {
        pages += 1;
        assert!(pages <= 10, "catch-up is bounded");
        let end = match anchor {
            None => server.len(),
            Some(a) => server.iter().position(|id| *id == a).map_or(0, |i| i + 1),
        };
        let ids = server[end.saturating_sub(30)..end].to_vec();
        let call = History {
            peer,
            anchor,
            count: 30,
        };
        let group = match peer {
            Peer::Group(g) => g,
            Peer::Private(u) => u,
        };
        fx = reply(s, Reply::History(call, Ok(page(group, ids))));
    }
    pages
}

#[test]
fn catch_up_pages_back_until_it_meets_what_was_loaded() {
    let mut s = in_group_with_history();
    // 50 messages went by while the connection was down: 21..=70.
    let server: Vec<i64> = (1..=70).collect();
    let fx = reconnect(&mut s);
    assert_eq!(history_calls(&fx, GROUP), [None], "the latest page first");
    let pages = serve_catch_up(&mut s, GROUP, fx, &server);
    assert_eq!(pages, 2, "30 newest, then the page that meets id 20");
    assert_eq!(message_ids(&s, GROUP), server, "nothing missing");
    assert!(
        notices(&s, GROUP).is_empty(),
        "no gap: {:?}",
        notices(&s, GROUP)
    );
}

#[test]
fn other_chats_count_what_they_missed_as_unread() {
    let mut s = in_group_with_history();
    // A second group seen before the outage: one message, read.
    update(
        &mut s,
        event(group_message(OTHER, MEMBER, 501, NOW - 100, "早")),
    );
    let other = Peer::Group(OTHER);
    if let Some(c) = s.chats.get_mut(&other) {
        c.unread = 0;
        c.read_marker = c.timeline.last().map(|e| e.key);
    }
    let fx = reconnect(&mut s);
    assert_eq!(history_calls(&fx, other), [None]);
    // It missed 5 messages; one more arrives live meanwhile.
    update(
        &mut s,
        event(group_message(OTHER, MEMBER, 507, NOW - 40, "现在")),
    );
    assert_eq!(s.chats[&other].unread, 1);
    let missed: Vec<MessageEvent> = (501..=507)
        .map(|id| {
            let v = group_message(OTHER, MEMBER, id, NOW - 100 + (id - 501) * 10, "补");
            serde_json::from_value(v).expect("a message event")
        })
        .collect();
    let call = History {
        peer: other,
        anchor: None,
        count: 30,
    };
    reply(&mut s, Reply::History(call, Ok(missed)));
    assert_eq!(
        s.chats[&other].unread, 6,
        "the five missed and the live one, each once"
    );
}

// ----- item 5: links -----

#[test]
fn a_file_link_from_the_server_opens_only_if_it_is_a_web_link() {
    let mut s = online();
    let opened = |fx: &[Effect]| {
        fx.iter()
            .filter_map(|e| match e {
                Effect::Open(u) => Some(u.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    for hostile in [
        "file:///etc/passwd",
        "httpfoo:--manual",
        "http://a b",
        "https://example.com/\u{1b}]0;x\u{7}",
        "--manual",
    ] {
        let call = FileUrl {
            group: G,
            file_id: "f".into(),
            copy: false,
        };
        let fx = reply(&mut s, Reply::FileUrl(call, Ok(hostile.into())));
        assert!(opened(&fx).is_empty(), "{hostile:?} was opened");
    }
    let call = FileUrl {
        group: G,
        file_id: "f".into(),
        copy: false,
    };
    let fx = reply(
        &mut s,
        Reply::FileUrl(call, Ok("https://example.com/f".into())),
    );
    assert_eq!(opened(&fx), ["https://example.com/f"]);
}

// ----- item 8: drafts -----

fn saved_drafts(fx: &[Effect], peer: Peer) -> Vec<Option<String>> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::SaveSession(s) => Some(s.drafts.get(peer).map(|d| d.text.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn typing_saves_the_draft_without_sending_or_switching() {
    let mut s = online();
    command(&mut s, "open u:20003");
    let friend = Peer::Private(20003);
    let fx = type_text(&mut s, "在吗");
    assert_eq!(
        saved_drafts(&fx, friend).last(),
        Some(&Some("在吗".to_string())),
        "each change asks for a save (the writer collapses them): {fx:?}"
    );
    // Keys that change nothing ask for nothing.
    let fx = key(&mut s, KeyCode::Left);
    assert!(saved_drafts(&fx, friend).is_empty(), "{fx:?}");
}

#[test]
fn a_command_typed_in_the_composer_is_not_a_draft() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let fx = type_text(&mut s, "/open u:20003");
    assert!(saved_drafts(&fx, GROUP).is_empty(), "{fx:?}");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.open, Some(Peer::Private(20003)));
    assert_eq!(
        s.drafts.get(GROUP),
        None,
        "the stale /open came back as a draft"
    );

    // With a draft: a command typed in front of it leaves it alone, and gives it back after.
    let mut s = in_group_with_history();
    type_text(&mut s, "消息 5");
    for _ in 0.."消息 5".chars().count() {
        key(&mut s, KeyCode::Left);
    }
    type_text(&mut s, "/search ");
    assert_eq!(s.drafts.get(GROUP).map(|d| d.text.as_str()), Some("消息 5"));
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.status.error(), None);
    assert_eq!(
        s.composer.text(),
        "消息 5",
        "the draft comes back after the command"
    );
}

#[test]
fn a_stale_command_saved_by_an_earlier_version_does_not_come_back() {
    let mut s = offline();
    let stale = napterm::app::composer::Draft {
        text: "/open 技术群".into(),
        ..Default::default()
    };
    let session = napterm::app::drafts::Session {
        drafts: [(GROUP, stale)].into_iter().collect(),
        open: Some(GROUP),
        ..Default::default()
    };
    update(&mut s, Msg::Restore(session));
    assert_eq!(s.composer.text(), "");
    assert_eq!(s.drafts.get(GROUP), None);
}

// ----- item 9: search -----

fn selected_id(s: &State, peer: Peer) -> Option<i64> {
    let chat = &s.chats[&peer];
    let key = chat.selected?;
    chat.timeline.get(key)?.message()?.id
}

#[test]
fn a_new_search_starts_from_the_newest_message_not_the_last_match() {
    let mut s = in_group_with_history();
    command(&mut s, "search 消息 5");
    assert_eq!(selected_id(&s, GROUP), Some(5));
    // Newer than the first match: a search from there would call it "not found".
    command(&mut s, "search 消息 18");
    assert_eq!(s.status.error(), None);
    assert_eq!(selected_id(&s, GROUP), Some(18));
    // `n` continues the search (older matches), and there is none older than 18 here.
    command(&mut s, "search 消息 1");
    assert_eq!(selected_id(&s, GROUP), Some(19), "the newest match first");
    key(&mut s, KeyCode::Char('n'));
    assert_eq!(selected_id(&s, GROUP), Some(18));
}

#[test]
fn a_new_search_starts_from_a_message_the_user_selected() {
    let mut s = in_group_with_history();
    while s.focus != Pane::Timeline {
        key(&mut s, KeyCode::Esc);
    }
    // Select message 12 (the newest is 20).
    for _ in 0..9 {
        key(&mut s, KeyCode::Up);
    }
    assert_eq!(selected_id(&s, GROUP), Some(12));
    command(&mut s, "search 消息 1");
    assert_eq!(
        selected_id(&s, GROUP),
        Some(12),
        "from the selection, itself included"
    );
    // Nothing at or before the selection: from the newest after all.
    key(&mut s, KeyCode::Up);
    command(&mut s, "search 消息 20");
    assert_eq!(s.status.error(), None);
    assert_eq!(selected_id(&s, GROUP), Some(20));
}

// ----- item 10 (and issue 14, item 3): one status model -----

#[test]
fn a_success_after_an_error_is_shown_and_the_error_stays_until_then() {
    let mut s = in_group_with_history();
    // An error: it stays while nothing newer happens, however long.
    command(&mut s, "search 不存在的话");
    let error = s.status.error().map(str::to_string);
    assert!(
        error.as_deref().is_some_and(|e| e.contains("没有找到")),
        "{error:?}"
    );
    update(&mut s, Msg::Clock(NOW + 120));
    assert_eq!(s.status.error().map(str::to_string), error);
    // A newer outcome, a success: it is what the status line says now.
    // (The failed command kept its line open: closed, the error stays.)
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.status.error().map(str::to_string), error);
    command(&mut s, "search 消息 3");
    key(&mut s, KeyCode::Char('y'));
    assert_eq!(
        s.status.error(),
        None,
        "a stale error hides the newer outcome"
    );
    assert!(s.status.info().is_some(), "{:?}", s.status);
}

#[test]
fn a_first_page_lost_with_its_connection_still_catches_up_to_what_the_chat_held() {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    assert_eq!(history_calls(&fx, GROUP), [None], "the first page is asked");
    // Before it comes, the chat holds one message (a recent chat's last one, or a live one)…
    update(
        &mut s,
        event(group_message(G, MEMBER, 1, NOW - 10_000 + 1, "消息 1")),
    );
    // …and the connection drops: 49 more reach the server meanwhile.
    let fx = reconnect(&mut s);
    assert_eq!(
        history_calls(&fx, GROUP),
        [None],
        "asked once, again: {fx:?}"
    );
    let server: Vec<i64> = (1..=50).collect();
    let pages = serve_catch_up(&mut s, GROUP, fx, &server);
    assert!(pages >= 2, "it pages back to what the chat held");
    assert_eq!(
        message_ids(&s, GROUP),
        server,
        "no hole above the old message"
    );
    assert!(notices(&s, GROUP).iter().all(|n| !n.contains("遗漏")));
    assert_eq!(
        s.chats[&GROUP].history,
        napterm::app::chat::HistoryState::Idle
    );
    assert!(s.loads.missing().is_empty());
}

// ----- item 11: implausible server times -----

fn with_seq(mut v: Value, seq: u64) -> Value {
    v["real_seq"] = json!(seq.to_string());
    v
}

#[test]
fn a_message_from_the_future_does_not_pin_itself_below_newer_ones() {
    for bogus in [4_102_444_800_i64, 1 << 62] {
        let mut s = in_group_with_history();
        update(
            &mut s,
            event(group_message(G, MEMBER, 100, bogus, "来自未来")),
        );
        update(&mut s, Msg::Clock(NOW + 5));
        update(
            &mut s,
            event(group_message(G, MEMBER, 101, NOW + 5, "之后的消息")),
        );
        let ids = message_ids(&s, GROUP);
        assert_eq!(
            &ids[ids.len() - 2..],
            [100, 101],
            "by arrival (time {bogus})"
        );
        let chat = &s.chats[&GROUP];
        let future = chat
            .timeline
            .iter()
            .find_map(|e| e.message().filter(|m| m.id == Some(100)))
            .expect("kept");
        assert_eq!(future.bad_time, Some(bogus), "shown as implausible");
        // A plausible time is believed as it is.
        let later = chat.timeline.key_of(101).expect("kept");
        assert_eq!(later.time, NOW + 5);
    }
}

#[test]
fn an_implausible_time_is_ordered_by_sequence_when_the_server_gives_one() {
    let mut s = in_group_with_history();
    let base = NOW - 100;
    for (id, seq) in [(201, 10), (203, 30)] {
        let v = with_seq(group_message(G, MEMBER, id, base + id, "有序"), seq);
        update(&mut s, event(v));
    }
    // Seq 20 with a bogus time: between 10 and 30, not below everything.
    let v = with_seq(group_message(G, MEMBER, 202, 4_102_444_800, "乱了"), 20);
    update(&mut s, event(v));
    let ids = message_ids(&s, GROUP);
    assert_eq!(&ids[ids.len() - 3..], [201, 202, 203]);
}

// ----- issue 14, item 1: a restored open group loads its members -----

fn asks_members(fx: &[Effect], group: i64) -> bool {
    calls(fx).contains(&&Call::MemberList(MemberList { group }))
}

fn members_in(s: &mut State, group: i64) {
    let me = napterm::app::contacts::Member {
        user_id: MEMBER,
        nickname: "小明".into(),
        ..Default::default()
    };
    reply(s, Reply::MemberList(MemberList { group }, Ok(vec![me])));
}

#[test]
fn a_restored_open_group_loads_its_members_once_connected() {
    let mut s = offline();
    let session = napterm::app::drafts::Session {
        open: Some(GROUP),
        ..Default::default()
    };
    update(&mut s, Msg::Restore(session));
    let fx = update(&mut s, connected("我"));
    assert!(asks_members(&fx, G), "{fx:?}");
    members_in(&mut s, G);
    assert_eq!(s.contacts.members[&G].state, MembersState::Loaded);
}

#[test]
fn members_asked_on_a_connection_that_went_away_are_asked_again() {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    assert!(asks_members(&fx, G));
    // The connection goes before the answer: that answer is not coming.
    let fx = reconnect(&mut s);
    assert!(asks_members(&fx, G), "{fx:?}");
    members_in(&mut s, G);
    assert_eq!(s.contacts.members[&G].state, MembersState::Loaded);
}

#[test]
fn members_dropped_with_a_chat_left_meanwhile_are_asked_when_it_opens_again() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    command(&mut s, &format!("open g:{OTHER}"));
    // The first group's list went down with the connection while another chat was open…
    reconnect(&mut s);
    update(
        &mut s,
        Msg::Reply(Reply::MemberList(MemberList { group: G }, Err(lost()))),
    );
    // …so opening it again asks (the member pane hidden).
    let fx = command(&mut s, &format!("open g:{G}"));
    assert!(asks_members(&fx, G), "{fx:?}");
    assert_ne!(s.contacts.members[&G].state, MembersState::NotLoaded);
}
