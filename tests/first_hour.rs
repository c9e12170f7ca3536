//! What a new user trips over in the first hour (issue 14), one test per trap: keys in, state and
//! effects out, as in tests/core.rs. No terminal, socket or timing.

use crossterm::event::{KeyCode, KeyModifiers};
use napterm::app::Reply;
use napterm::app::call::{Groups, MemberList};
use napterm::app::composer::{CompletionKind, Pick};
use napterm::app::contacts::{FriendInfo, GroupEntry, Member};
use napterm::app::keymap::Keymap;
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Call, Effect, Msg, Pane, State};
use napterm::onebot::{ClientEvent, ConnState, MessageEvent, Peer, Role, Segment};
use serde_json::{Value, json};

mod reducer;
use reducer::{calls, event, key, press, type_text};

mod snapshot;

const NOW: i64 = 1_795_003_200;
const ME: i64 = 10001;
const G: i64 = 30001;
const GROUP: Peer = Peer::Group(G);
const MEMBER: i64 = 20002;

// ----- arrange -----

fn offline() -> State {
    snapshot::utc();
    let mut s = State::new(Settings::default(), Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    s
}

fn connected() -> Msg {
    Msg::Client(ClientEvent::State(ConnState::Connected {
        self_id: ME,
        nickname: "我".into(),
    }))
}

fn group(id: i64, name: &str) -> GroupEntry {
    GroupEntry {
        group_id: id,
        name: name.into(),
        ..Default::default()
    }
}

fn friend(id: i64, nickname: &str, remark: &str) -> FriendInfo {
    FriendInfo {
        user_id: id,
        nickname: nickname.into(),
        remark: remark.into(),
        category: None,
    }
}

/// Connected, with two groups.
fn online() -> State {
    let mut s = offline();
    update(&mut s, connected());
    let groups = vec![group(G, "技术群"), group(30002, "闲聊")];
    update(&mut s, Msg::Reply(Reply::Groups(Groups, Ok(groups))));
    s
}

fn member(user_id: i64, nickname: &str, role: Role) -> Member {
    Member {
        user_id,
        nickname: nickname.into(),
        role,
        ..Default::default()
    }
}

/// `online()` with group `G` open and its members loaded: the account has `my_role`.
fn in_group(my_role: Role) -> State {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let list = vec![
        member(ME, "我", my_role),
        member(MEMBER, "小明", Role::Member),
        member(20003, "Alice", Role::Member),
    ];
    update(
        &mut s,
        Msg::Reply(Reply::MemberList(MemberList { group: G }, Ok(list))),
    );
    s
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
    assert_eq!(s.focus, Pane::Timeline, "Esc reaches the timeline");
    fx.extend(type_text(s, &format!(":{line}")));
    fx.extend(key(s, KeyCode::Enter));
    fx
}

/// Back to an empty composer with the focus in it.
fn composer(s: &mut State) {
    if s.focus != Pane::Composer {
        command(s, "");
        key(s, KeyCode::Char('i'));
    }
    assert_eq!(s.focus, Pane::Composer);
}

fn sends(fx: &[Effect]) -> Vec<&napterm::app::call::SendMessage> {
    calls(fx)
        .into_iter()
        .filter_map(|c| match c {
            Call::SendMessage(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn completion_labels(s: &State) -> Vec<String> {
    s.composer
        .completion
        .as_ref()
        .map(|c| c.items.iter().map(|i| i.label.clone()).collect())
        .unwrap_or_default()
}

// ----- 4: /face inserts into the draft -----

#[test]
fn face_by_name_or_number_typed_in_the_composer_lands_in_the_draft() {
    for (line, id) in [("/face 微笑", 14), ("/face 14", 14), ("/f 赞", 76)] {
        let mut s = online();
        command(&mut s, &format!("open g:{G}"));
        composer(&mut s);
        type_text(&mut s, line);
        key(&mut s, KeyCode::Enter);
        assert_eq!(s.status.error(), None, "{line}");
        assert!(
            !s.composer.text().contains("/face") && !s.composer.text().is_empty(),
            "{line}: {:?}",
            s.composer.text()
        );
        type_text(&mut s, "好");
        let fx = key(&mut s, KeyCode::Enter);
        let sent = sends(&fx);
        assert_eq!(sent.len(), 1, "{line}: {fx:?}");
        assert_eq!(
            sent[0].chain.0,
            vec![Segment::face(id), Segment::text("好")],
            "{line}"
        );
    }
}

#[test]
fn a_failing_command_keeps_its_text_to_be_corrected() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    composer(&mut s);
    type_text(&mut s, "/face 没有这个表情");
    key(&mut s, KeyCode::Enter);
    assert!(s.status.error().is_some());
    assert_eq!(s.composer.text(), "/face 没有这个表情");
}

// ----- 9: @ completion offers members first -----

#[test]
fn at_offers_members_and_everyone_only_when_asked_for() {
    let mut s = in_group(Role::Admin);
    composer(&mut s);
    type_text(&mut s, "hi @");
    let labels = completion_labels(&s);
    assert!(!labels.is_empty());
    assert!(
        !labels.contains(&"全体成员".to_string()),
        "not offered unasked: {labels:?}"
    );
    // `hi @` Enter mentions a member, never the whole group.
    key(&mut s, KeyCode::Enter);
    assert!(
        !s.composer.text().contains("全体成员"),
        "{}",
        s.composer.text()
    );
    for query in ["全体", "all", "qt"] {
        let mut s = in_group(Role::Admin);
        composer(&mut s);
        type_text(&mut s, &format!("@{query}"));
        assert!(
            completion_labels(&s).contains(&"全体成员".to_string()),
            "@{query}: {:?}",
            completion_labels(&s)
        );
    }
    // A plain member is never offered it.
    let mut s = in_group(Role::Member);
    composer(&mut s);
    type_text(&mut s, "@全体");
    assert!(!completion_labels(&s).contains(&"全体成员".to_string()));
}

#[test]
fn a_message_for_everyone_asks_before_it_goes_out() {
    let mut s = in_group(Role::Admin);
    composer(&mut s);
    type_text(&mut s, "@全体");
    key(&mut s, KeyCode::Tab);
    type_text(&mut s, "开会了");
    let fx = key(&mut s, KeyCode::Enter);
    assert!(sends(&fx).is_empty(), "not sent unasked: {fx:?}");
    assert!(s.popup.is_some(), "a confirmation");
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("@全体成员"), "{screen}");
    // Yes: the runtime hands the step back, and the message goes out with its at-all.
    let fx = key(&mut s, KeyCode::Char('y'));
    let step = fx
        .iter()
        .find_map(|e| match e {
            Effect::Continue(step) => Some(*step),
            _ => None,
        })
        .expect("a step to continue with");
    let fx = update(&mut s, Msg::Continue(step));
    let sent = sends(&fx);
    assert_eq!(sent.len(), 1, "{fx:?}");
    assert_eq!(sent[0].chain.0[0], Segment::at_all());
    assert!(s.composer.is_empty());
}

#[test]
fn enter_on_no_match_closes_the_list_and_sends() {
    let mut s = in_group(Role::Member);
    composer(&mut s);
    type_text(&mut s, "写信给 @zzzz");
    assert_eq!(completion_labels(&s), Vec::<String>::new());
    assert!(s.composer.completion.is_some(), "the empty list is shown");
    let fx = key(&mut s, KeyCode::Enter);
    assert!(s.composer.completion.is_none());
    assert_eq!(sends(&fx).len(), 1, "Enter went on to send: {fx:?}");
}

// ----- 13: composer keys -----

#[test]
fn ctrl_u_deletes_to_the_start_of_the_line_and_undo_has_its_own_key() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    composer(&mut s);
    type_text(&mut s, "第一行");
    press(&mut s, KeyCode::Enter, KeyModifiers::ALT);
    type_text(&mut s, "第二行");
    press(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(s.composer.text(), "第一行\n");
    press(&mut s, KeyCode::Char('z'), KeyModifiers::ALT);
    assert_eq!(s.composer.text(), "第一行\n第二行", "undone");
    // Clearing the whole composer: a key, and /clear from the command line.
    press(&mut s, KeyCode::Char('g'), KeyModifiers::CONTROL);
    assert!(s.composer.is_empty());
    type_text(&mut s, "又写了");
    command(&mut s, "clear");
    assert!(s.composer.is_empty());
}

#[test]
fn tab_without_a_completion_keeps_the_focus_on_typed_text() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    composer(&mut s);
    type_text(&mut s, "写了一半");
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Pane::Composer, "the text keeps the focus");
    type_text(&mut s, "继续");
    assert_eq!(s.composer.text(), "写了一半继续");
    // An empty composer lets Tab move on, as everywhere else.
    press(&mut s, KeyCode::Char('g'), KeyModifiers::CONTROL);
    key(&mut s, KeyCode::Tab);
    assert_ne!(s.focus, Pane::Composer);
}

#[test]
fn a_slash_lists_the_commands_and_enter_completes_them() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    composer(&mut s);
    type_text(&mut s, "/");
    let c = s.composer.completion.clone().expect("the commands");
    assert_eq!(c.kind, CompletionKind::Command);
    assert!(c.items.len() > 20, "every command: {}", c.items.len());
    type_text(&mut s, "read");
    assert_eq!(completion_labels(&s), vec!["/readall".to_string()]);
    // A command that takes nothing runs at once.
    let fx = key(&mut s, KeyCode::Enter);
    assert!(
        calls(&fx).iter().any(|c| matches!(c, Call::MarkAllRead(_))),
        "{fx:?}"
    );
    assert!(s.composer.is_empty());
    // One that takes an argument is filled in, and typing goes on.
    type_text(&mut s, "/sea");
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.composer.text(), "/search ");
    // `//` is a literal slash: no list.
    press(&mut s, KeyCode::Char('g'), KeyModifiers::CONTROL);
    type_text(&mut s, "//me");
    assert!(s.composer.completion.is_none());
}

// ----- 11: /open ranks fairly, refuses groups you are not in, shows candidates -----

/// Groups and friends named like the simulator's.
fn contacts() -> State {
    let mut s = online();
    let groups = vec![
        group(G, "技术群"),
        group(30005, "Rust 中文社区"),
        group(30006, "周末羽毛球约起🏸"),
    ];
    update(&mut s, Msg::Reply(Reply::Groups(Groups, Ok(groups))));
    let friends = vec![
        friend(3692581470, "Rustacean🦀", "rust群-老K"),
        friend(1029384756, "张三丰", "羽毛球-张"),
        friend(MEMBER, "小明", ""),
    ];
    update(
        &mut s,
        Msg::Reply(Reply::Friends(napterm::app::call::Friends, Ok(friends))),
    );
    s
}

#[test]
fn open_prefers_the_group_a_name_is_about() {
    for (query, want) in [
        ("rust", Peer::Group(30005)),
        ("Rust", Peer::Group(30005)),
        ("羽毛球", Peer::Group(30006)),
        ("小明", Peer::Private(MEMBER)),
        ("rust群", Peer::Private(3692581470)),
    ] {
        let mut s = contacts();
        command(&mut s, &format!("open {query}"));
        assert_eq!(s.open, Some(want), "/open {query}");
    }
}

#[test]
fn open_refuses_a_group_you_are_not_in() {
    let mut s = contacts();
    let fx = command(&mut s, "open g:99999");
    assert_eq!(s.open, None);
    assert!(calls(&fx).is_empty(), "{fx:?}");
    let e = s.status.error().unwrap_or_default().to_string();
    assert!(e.contains("99999"), "{e}");
    // Before the group list is known, the number is taken on trust.
    let mut s = offline();
    command(&mut s, "open g:99999");
    assert_eq!(s.open, Some(Peer::Group(99999)));
}

#[test]
fn open_shows_its_candidates_while_typing() {
    let mut s = contacts();
    composer(&mut s);
    type_text(&mut s, "/open ");
    let c = s.composer.completion.clone().expect("the chats");
    assert_eq!(c.kind, CompletionKind::Chat);
    assert!(c.items.len() >= 5, "{:?}", completion_labels(&s));
    type_text(&mut s, "羽毛球");
    let labels = completion_labels(&s);
    assert_eq!(labels.first().map(String::as_str), Some("周末羽毛球约起🏸"));
    assert!(labels.contains(&"羽毛球-张".to_string()), "{labels:?}");
    // Down picks the friend; Enter opens exactly that chat.
    key(&mut s, KeyCode::Down);
    let picked = s
        .composer
        .completion
        .as_ref()
        .map(|c| c.items[c.selected].pick.clone());
    assert_eq!(picked, Some(Pick::Line("u:1029384756".into())));
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.open, Some(Peer::Private(1029384756)));
    assert!(s.composer.is_empty(), "{:?}", s.composer.text());
}

// ----- 5: an empty history is an empty chat; the retry key works where the focus is -----

fn latest_page(fx: &[Effect]) -> napterm::app::call::History {
    calls(fx)
        .into_iter()
        .find_map(|c| match c {
            Call::History(h) => Some(h.clone()),
            _ => None,
        })
        .expect("a history page is asked for")
}

#[test]
fn napcats_no_such_message_for_an_empty_chat_is_no_failure() {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    let page = latest_page(&fx);
    let e = napterm::onebot::Error::ActionFailed {
        action: "get_group_msg_history".into(),
        retcode: 200,
        message: "消息undefined不存在".into(),
    };
    update(&mut s, Msg::Reply(Reply::History(page, Err(e))));
    assert_eq!(
        s.chats[&GROUP].history,
        napterm::app::chat::HistoryState::Exhausted
    );
    assert_eq!(s.status.error(), None);
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("还没有消息"), "{screen}");
    assert!(!screen.contains("加载失败"), "{screen}");
}

#[test]
fn a_failed_load_names_a_retry_key_that_works_from_the_composer() {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    let page = latest_page(&fx);
    // Refused (a timeout is asked again by itself, `load_tracker`, before it counts as failed).
    let e = napterm::onebot::Error::ActionFailed {
        action: "get_group_msg_history".into(),
        retcode: 200,
        message: "内部错误".into(),
    };
    update(&mut s, Msg::Reply(Reply::History(page, Err(e))));
    composer(&mut s);
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("加载失败 — 按 F5 重试"), "{screen}");
    assert!(
        s.status.error().is_some_and(|e| e.contains("F5")),
        "{:?}",
        s.status.error()
    );
    let fx = key(&mut s, KeyCode::F(5));
    assert_eq!(latest_page(&fx).anchor, None, "the first page again");
    assert!(s.composer.is_empty(), "nothing typed");
}

#[test]
fn a_failed_member_list_names_the_retry_key_and_it_works_from_the_composer() {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    let asked = calls(&fx)
        .into_iter()
        .find_map(|c| match c {
            Call::MemberList(m) => Some(m.clone()),
            _ => None,
        })
        .expect("the members are asked for");
    // Refused (a timeout is asked again by itself, `load_tracker`, before it counts as failed).
    let e = napterm::onebot::Error::ActionFailed {
        action: "get_group_member_list".into(),
        retcode: 200,
        message: "内部错误".into(),
    };
    update(&mut s, Msg::Reply(Reply::MemberList(asked, Err(e))));
    composer(&mut s);
    assert!(
        s.status.error().is_some_and(|e| e.contains("按 F5 重试")),
        "{:?}",
        s.status.error()
    );
    let fx = key(&mut s, KeyCode::F(5));
    assert!(
        calls(&fx).iter().any(|c| matches!(c, Call::MemberList(_))),
        "{fx:?}"
    );
}

// ----- 6: no NapCat, a wrong token, reconnecting -----

fn offline_at(url: &str) -> State {
    let settings = Settings {
        server_url: url.into(),
        ..Settings::default()
    };
    snapshot::utc();
    let mut s = State::new(settings, Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    s
}

fn conn(state: ConnState) -> Msg {
    Msg::Client(ClientEvent::State(state))
}

#[test]
fn with_nothing_listening_the_screen_says_where_and_offers_the_demo() {
    let mut s = offline_at("ws://127.0.0.1:3001/");
    // The last run had a group open: it waits for the connection, not named by its number.
    let session = napterm::app::drafts::Session {
        drafts: Default::default(),
        open: Some(GROUP),
        ..Default::default()
    };
    update(&mut s, Msg::Restore(session));
    update(
        &mut s,
        conn(ConnState::Reconnecting {
            in_secs: 4,
            reason: "connection refused".into(),
        }),
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = snapshot::render(&s, w, h);
        assert!(screen.contains("ws://127.0.0.1:3001/"), "{screen}");
        assert!(screen.contains("connection refused"), "{screen}");
        assert!(screen.contains("napterm demo"), "{screen}");
        assert!(screen.contains("F5"), "{screen}");
        assert!(!screen.contains("30001"), "a bare number: {screen}");
        assert!(!screen.contains("正在加载消息"), "{screen}");
    }
    // A chat opened by hand while offline says the same instead of loading for ever.
    command(&mut s, "open u:20003");
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("ws://127.0.0.1:3001/"), "{screen}");
    assert!(!screen.contains("正在加载消息"), "{screen}");
}

#[test]
fn a_rejected_token_shows_the_whole_reason() {
    let mut s = offline_at("ws://10.0.0.2:3001/");
    let message = "NapCat rejected the access token (token验证失败): the token given with \
                   --token-file / NAPTERM_TOKEN / config `token` does not match the token of \
                   NapCat's WebSocket server";
    update(
        &mut s,
        conn(ConnState::AuthFailed {
            message: message.into(),
        }),
    );
    // The message pane's text, beside the sidebar, without the spaces wrapping took.
    let squeeze = |t: &str| {
        t.lines()
            .map(|l| l.split_once('│').map_or(l, |(_, r)| r))
            .flat_map(str::split_whitespace)
            .collect::<String>()
    };
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = snapshot::render(&s, w, h);
        assert!(
            squeeze(&screen).contains(&squeeze(message)),
            "cut at {w}x{h}:\n{screen}"
        );
    }
    // Trying again after fixing NapCat's side needs no restart.
    let fx = command(&mut s, "reconnect");
    assert!(fx.contains(&Effect::Reconnect), "{fx:?}");
}

#[test]
fn reconnecting_can_be_cut_short_by_key_and_command() {
    let mut s = online();
    update(
        &mut s,
        conn(ConnState::Reconnecting {
            in_secs: 30,
            reason: "closed by server".into(),
        }),
    );
    composer(&mut s);
    assert!(key(&mut s, KeyCode::F(5)).contains(&Effect::Reconnect));
    assert!(command(&mut s, "reconnect").contains(&Effect::Reconnect));
    // Connected, there is nothing to cut short.
    update(&mut s, connected());
    assert!(!command(&mut s, "reconnect").contains(&Effect::Reconnect));
}

#[test]
fn the_token_warning_reaches_the_status_line() {
    let mut s = offline();
    update(
        &mut s,
        Msg::Warning(napterm::cli::TOKEN_ARG_WARNING_TUI.into()),
    );
    let screen = snapshot::render(&s, 120, 40);
    assert!(screen.contains("--token"), "{screen}");
}

// ----- 10: names from every source; the audit log writes what the user saw -----

fn stranger(user: i64, nickname: &str) -> napterm::onebot::types::StrangerInfo {
    serde_json::from_value(json!({"user_id": user, "nickname": nickname, "uid": "u_x"}))
        .expect("a profile")
}

fn stranger_calls(fx: &[Effect]) -> Vec<napterm::app::call::StrangerInfo> {
    calls(fx)
        .into_iter()
        .filter_map(|c| match c {
            Call::StrangerInfo(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

fn audits(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Audit(a) => Some(a.target.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_friend_request_is_named_before_it_is_announced_and_logged_by_that_name() {
    let mut s = online();
    // The fixture's shape: a request event carries a number, never a name.
    let fx = update(
        &mut s,
        event(json!({"time": NOW, "self_id": ME, "post_type": "request",
            "request_type": "friend", "user_id": 20016, "comment": "我是TestUser",
            "flag": "1752540656"})),
    );
    let asked = stranger_calls(&fx);
    assert_eq!(asked.len(), 1, "{fx:?}");
    assert_eq!(asked[0].user, 20016);
    let info = s.status.info().unwrap_or_default().to_string();
    assert!(!info.contains("20016"), "announced as a number: {info}");
    update(
        &mut s,
        Msg::Reply(Reply::StrangerInfo(
            asked[0].clone(),
            Ok(stranger(20016, "测试用户")),
        )),
    );
    let info = s.status.info().unwrap_or_default().to_string();
    assert!(info.contains("测试用户"), "{info}");
    assert_eq!(s.inbox.items[0].nickname, "测试用户");
    // Accepting it logs the name the inbox showed.
    let answer = napterm::app::call::AnswerRequest {
        flag: "1752540656".into(),
        user: 20016,
        group: None,
        approve: true,
        text: None,
    };
    let fx = update(&mut s, Msg::Reply(Reply::AnswerRequest(answer, Ok(()))));
    assert_eq!(audits(&fx), vec!["20016 (测试用户)".to_string()]);
}

#[test]
fn a_join_request_is_logged_with_the_name_the_system_message_gave() {
    let mut s = in_group(Role::Admin);
    let msg: napterm::onebot::types::GroupSystemMsg = serde_json::from_value(json!({
        "join_requests": [{"request_id": 7001, "invitor_uin": 1987654321,
            "invitor_nick": "", "requester_nick": "想进群的人", "group_id": G,
            "group_name": "技术群", "message": "你好", "checked": false, "actor": 0}],
        "invited_requests": []
    }))
    .expect("a system message");
    update(
        &mut s,
        Msg::Reply(Reply::GroupRequests(
            napterm::app::call::GroupRequests { filtered: false },
            Ok(msg),
        )),
    );
    let answer = napterm::app::call::AnswerRequest {
        flag: "7001".into(),
        user: 1987654321,
        group: Some(G),
        approve: false,
        text: None,
    };
    let fx = update(&mut s, Msg::Reply(Reply::AnswerRequest(answer, Ok(()))));
    assert_eq!(audits(&fx), vec!["1987654321 (想进群的人)".to_string()]);
}

#[test]
fn a_kick_logs_the_names_even_when_the_leave_notices_came_first() {
    let mut s = in_group(Role::Admin);
    let kick = napterm::app::call::KickMany {
        group: G,
        users: vec![MEMBER, 20003],
        block: false,
    };
    // NapCat reports each member leaving before it answers the kick.
    for user in [MEMBER, 20003] {
        update(
            &mut s,
            event(json!({"time": NOW, "self_id": ME, "post_type": "notice",
                "notice_type": "group_decrease", "group_id": G, "user_id": user,
                "sub_type": "kick", "operator_id": ME})),
        );
    }
    let fx = update(&mut s, Msg::Reply(Reply::KickMany(kick, Ok(()))));
    assert_eq!(
        audits(&fx),
        vec![format!("{MEMBER} (小明), 20003 (Alice)")],
        "{fx:?}"
    );
}

#[test]
fn a_newcomer_is_named_in_the_join_line_and_the_member_list() {
    let mut s = in_group(Role::Member);
    let fx = update(
        &mut s,
        event(json!({"time": NOW, "self_id": ME, "post_type": "notice",
            "group_id": G, "user_id": 20010, "notice_type": "group_increase",
            "operator_id": 20003, "sub_type": "approve"})),
    );
    let asked = stranger_calls(&fx);
    assert_eq!(asked.len(), 1, "{fx:?}");
    update(
        &mut s,
        Msg::Reply(Reply::StrangerInfo(
            asked[0].clone(),
            Ok(stranger(20010, "新来的")),
        )),
    );
    assert_eq!(s.contacts.member_name(G, 20010), "新来的");
    let screen = snapshot::render(&s, 120, 40);
    assert!(screen.contains("新来的 加入了群聊"), "{screen}");
    assert!(!screen.contains("20010 加入了群聊"), "{screen}");
}

// ----- 12: unread — the first unread, mentions, quotes out of reach, a tall window -----

/// A message event in group `G` from `user`: `at` mentions someone first, `reply` quotes.
fn group_msg(id: i64, user: i64, text: &str, at: Option<i64>, reply: Option<i64>) -> Value {
    let mut chain = Vec::new();
    if let Some(q) = reply {
        chain.push(json!({"type": "reply", "data": {"id": q.to_string()}}));
    }
    if let Some(qq) = at {
        chain.push(json!({"type": "at", "data": {"qq": qq.to_string()}}));
    }
    chain.push(json!({"type": "text", "data": {"text": text}}));
    json!({
        "post_type": "message", "message_type": "group", "sub_type": "normal",
        "time": NOW - 100_000 + id, "self_id": ME, "user_id": user, "group_id": G,
        "message_id": id,
        "sender": {"user_id": user, "nickname": format!("成员{user}"), "role": "member"},
        "message": chain, "message_format": "array",
    })
}

fn page(ids: std::ops::RangeInclusive<i64>, quote: Option<(i64, i64)>) -> Vec<MessageEvent> {
    ids.map(|id| {
        let reply = quote.filter(|(at, _)| *at == id).map(|(_, q)| q);
        serde_json::from_value(group_msg(id, MEMBER, &format!("消息{id}"), None, reply))
            .expect("a message event")
    })
    .collect()
}

fn history_calls(fx: &[Effect]) -> Vec<napterm::app::call::History> {
    calls(fx)
        .into_iter()
        .filter_map(|c| match c {
            Call::History(h) => Some(h.clone()),
            _ => None,
        })
        .collect()
}

fn to_timeline(s: &mut State) {
    for _ in 0..3 {
        if s.focus == Pane::Timeline {
            break;
        }
        key(s, KeyCode::Esc);
    }
    assert_eq!(s.focus, Pane::Timeline);
}

fn selected_id(s: &State) -> Option<i64> {
    let c = s.open_chat()?;
    c.timeline.get(c.selected?)?.message()?.id
}

/// Draws a frame at `w`×`h` and hands its report back, as the runtime does.
fn frame(s: &mut State, w: u16, h: u16) -> Vec<Effect> {
    use napterm::ui::theme::{ColorMode, Theme};
    let mut ui = napterm::ui::Ui::new(Theme::new(ColorMode::None));
    let area = ratatui::layout::Rect::new(0, 0, w, h);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    let drawn = napterm::ui::draw(s, &mut ui, &mut buf);
    update(s, Msg::Frame(drawn.report))
}

#[test]
fn a_chat_opened_with_many_unread_offers_a_jump_to_the_first() {
    let mut s = online();
    command(&mut s, "open g:30002");
    for id in 1..=120 {
        update(
            &mut s,
            event(group_msg(id, MEMBER, &format!("消息{id}"), None, None)),
        );
    }
    assert_eq!(s.chats[&GROUP].unread, 120);
    let fx = command(&mut s, &format!("open g:{G}"));
    // The latest page repeats what came live.
    let latest = latest_page(&fx);
    update(
        &mut s,
        Msg::Reply(Reply::History(latest, Ok(page(101..=120, None)))),
    );
    // One more while it is open: read as it came, not one of the 120.
    update(&mut s, event(group_msg(121, MEMBER, "刚到的", None, None)));
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = snapshot::render(&s, w, h);
        assert!(
            screen.contains("↑ 120 条新消息 · Alt+U 跳到第一条"),
            "{screen}"
        );
    }
    press(&mut s, KeyCode::Char('u'), KeyModifiers::ALT);
    assert_eq!(selected_id(&s), Some(1), "the first unread");
    let screen = snapshot::render(&s, 80, 24);
    assert!(
        screen.contains("消息1\n") || screen.contains("消息1 "),
        "{screen}"
    );
    assert!(
        !screen.contains("条新消息 ·"),
        "the offer goes once taken: {screen}"
    );
}

#[test]
fn the_first_unread_is_paged_back_to_when_it_is_not_loaded() {
    let settings = Settings {
        timeline_capacity: 200,
        ..Settings::default()
    };
    let mut s = State::new(settings, Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    update(&mut s, connected());
    update(
        &mut s,
        Msg::Reply(Reply::Groups(
            Groups,
            Ok(vec![group(G, "技术群"), group(30002, "闲聊")]),
        )),
    );
    command(&mut s, "open g:30002");
    for id in 201..=230 {
        update(
            &mut s,
            event(group_msg(id, MEMBER, &format!("消息{id}"), None, None)),
        );
    }
    // 30 unread, of which the first ten are no longer in memory (as when the timeline's
    // capacity dropped them).
    let chat = s.chats.get_mut(&GROUP).expect("the chat");
    for id in 201..=210 {
        let key = chat.timeline.key_of(id).expect("loaded");
        chat.timeline.remove(key);
    }
    let fx = command(&mut s, &format!("open g:{G}"));
    let latest = latest_page(&fx);
    update(
        &mut s,
        Msg::Reply(Reply::History(latest, Ok(page(211..=230, None)))),
    );
    let fx = press(&mut s, KeyCode::Char('u'), KeyModifiers::ALT);
    let older = history_calls(&fx);
    assert_eq!(older.len(), 1, "{fx:?}");
    assert_eq!(older[0].anchor, Some(211));
    update(
        &mut s,
        Msg::Reply(Reply::History(older[0].clone(), Ok(page(191..=210, None)))),
    );
    assert_eq!(selected_id(&s), Some(201));
}

#[test]
fn alt_a_in_a_chat_goes_to_the_messages_that_mention_you() {
    let mut s = online();
    command(&mut s, "open g:30002");
    for id in 1..=30 {
        let at = [5, 20].contains(&id).then_some(ME);
        update(
            &mut s,
            event(group_msg(id, MEMBER, &format!("消息{id}"), at, None)),
        );
    }
    let fx = command(&mut s, &format!("open g:{G}"));
    let latest = latest_page(&fx);
    update(
        &mut s,
        Msg::Reply(Reply::History(latest, Ok(page(11..=30, None)))),
    );
    let alt_a = |s: &mut State| press(s, KeyCode::Char('a'), KeyModifiers::ALT);
    alt_a(&mut s);
    assert_eq!(selected_id(&s), Some(5));
    alt_a(&mut s);
    assert_eq!(selected_id(&s), Some(20));
    // None left here: on to the next chat with something unread, as before.
    alt_a(&mut s);
    assert_eq!(s.open, Some(GROUP), "nothing unread elsewhere");
    assert!(
        s.status.info().is_some_and(|i| i.contains("没有未读")),
        "{:?}",
        s.status.info()
    );
}

#[test]
fn enter_on_a_quote_pages_back_to_the_quoted_message() {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    let latest = latest_page(&fx);
    update(
        &mut s,
        Msg::Reply(Reply::History(latest, Ok(page(71..=100, Some((100, 20)))))),
    );
    // Select the newest message (it quotes 20) and press Enter on it.
    to_timeline(&mut s);
    key(&mut s, KeyCode::Up);
    assert_eq!(selected_id(&s), Some(100));
    let mut fx = key(&mut s, KeyCode::Enter);
    // Pages of 30 (the default page size), until one holds it.
    for (from, to) in [(41, 70), (11, 40)] {
        let older = history_calls(&fx);
        assert_eq!(older.len(), 1, "{fx:?}");
        assert_eq!(older[0].anchor, Some(to + 1));
        fx = update(
            &mut s,
            Msg::Reply(Reply::History(older[0].clone(), Ok(page(from..=to, None)))),
        );
    }
    assert_eq!(selected_id(&s), Some(20));
    assert!(history_calls(&fx).is_empty());
    assert_eq!(s.status.info(), None, "the loading note is over");
}

#[test]
fn a_quote_older_than_the_history_says_so() {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    let latest = latest_page(&fx);
    update(
        &mut s,
        Msg::Reply(Reply::History(
            latest,
            Ok(page(1..=20, Some((20, 999_999)))),
        )),
    );
    to_timeline(&mut s);
    key(&mut s, KeyCode::Up);
    let fx = key(&mut s, KeyCode::Enter);
    let older = history_calls(&fx);
    assert_eq!(older.len(), 1);
    // NapCat's answer for a page before the first message.
    let e = napterm::onebot::Error::ActionFailed {
        action: "get_group_msg_history".into(),
        retcode: 200,
        message: "消息undefined不存在".into(),
    };
    update(&mut s, Msg::Reply(Reply::History(older[0].clone(), Err(e))));
    assert_eq!(selected_id(&s), Some(20), "the selection stays");
    assert!(
        s.status
            .info()
            .is_some_and(|i| i.contains("引用的消息不在")),
        "{:?}",
        s.status
    );
    assert_eq!(s.status.error(), None);
}

#[test]
fn a_tall_window_loads_history_until_it_is_full() {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    let latest = latest_page(&fx);
    update(
        &mut s,
        Msg::Reply(Reply::History(latest, Ok(page(91..=100, None)))),
    );
    // Ten messages fill 80x24's timeline: nothing more is asked.
    assert!(history_calls(&frame(&mut s, 80, 24)).len() <= 1);
    let mut s2 = online();
    let fx = command(&mut s2, &format!("open g:{G}"));
    let latest = latest_page(&fx);
    update(
        &mut s2,
        Msg::Reply(Reply::History(latest, Ok(page(96..=100, None)))),
    );
    let fx = frame(&mut s2, 200, 60);
    let older = history_calls(&fx);
    assert_eq!(older.len(), 1, "room above: an older page");
    assert_eq!(older[0].anchor, Some(96));
    // While it loads, frames ask nothing more; once the history ends, nothing either.
    assert!(history_calls(&frame(&mut s2, 200, 60)).is_empty());
    update(
        &mut s2,
        Msg::Reply(Reply::History(older[0].clone(), Ok(page(90..=95, None)))),
    );
    assert!(
        history_calls(&frame(&mut s2, 200, 60)).is_empty(),
        "the history ended"
    );
}
