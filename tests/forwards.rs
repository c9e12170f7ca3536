//! Issue 11 as pure functions: the forward viewer (inline and fetched content, nesting three
//! deep, the failures said in it, search, copy, movement), marking and forwarding (both kinds,
//! the exact calls), reactions (the picker, `/react`, taking one back, counts fetched for
//! others' messages, who reacted), typing both ways with the rate limit, temporary sessions,
//! paging back to a quoted message, filtered friend requests. `update` is fed `Msg`s; state
//! and effects are asserted.

mod snapshot;

use crossterm::event::KeyCode;
use napterm::app::Reply;
use napterm::app::call::{
    AcceptDoubt, DoubtRequests, ForwardEach, ForwardMerged, ForwardedEach, GetForward, Groups,
    History, React, ReactionCounts, Reactors, SendMessage, Typing,
};
use napterm::app::contacts::GroupEntry;
use napterm::app::keymap::Keymap;
use napterm::app::popup::{Load, Popup};
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Call, Effect, Msg, Pane, State};
use napterm::onebot::event::EmojiLikeCount;
use napterm::onebot::types::{DoubtFriendRequest, EmojiLikeUser};
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
const FRIEND: i64 = 20006;

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
    let groups = [G, OTHER]
        .map(|g| GroupEntry {
            group_id: g,
            name: format!("群{g}"),
            ..Default::default()
        })
        .to_vec();
    update(&mut s, Msg::Reply(Reply::Groups(Groups, Ok(groups))));
    s
}

fn group_message(user: i64, id: i64, chain: Value) -> Value {
    json!({
        "post_type": "message", "message_type": "group", "sub_type": "normal",
        "time": NOW, "self_id": ME, "user_id": user, "group_id": G, "message_id": id,
        "sender": {"user_id": user, "nickname": format!("成员{user}"), "role": "member"},
        "message": chain, "message_format": "array",
    })
}

fn text(t: &str) -> Value {
    json!([{"type": "text", "data": {"text": t}}])
}

/// A node of a forward as NapCat lists it (`get_forward_msg`, or inline `content`).
fn node(user: i64, nick: &str, time: i64, chain: Value) -> Value {
    json!({
        "self_id": ME, "user_id": user, "time": time, "message_id": 1000 + time % 1000,
        "message_type": "private", "sub_type": "friend", "post_type": "message",
        "sender": {"user_id": user, "nickname": nick, "card": ""},
        "message": chain, "message_format": "array",
    })
}

fn nodes(v: Value) -> Vec<MessageEvent> {
    serde_json::from_value(v).expect("nodes")
}

/// Three levels: the outer forward's second node holds a forward whose first node holds a third.
fn nested_forward() -> Value {
    let third = json!([{"type": "forward", "data": {"id": "inner2", "content": [
        node(20003, "丙", NOW - 300, text("最里面的话")),
    ]}}]);
    let second = json!([{"type": "forward", "data": {"id": "inner1", "content": [
        node(20004, "乙", NOW - 200, third),
        node(20005, "丁", NOW - 190, text("第二层的话")),
    ]}}]);
    json!([{"type": "forward", "data": {"id": "outer", "content": [
        node(20002, "甲", NOW - 100, text("第一层第一条")),
        node(20002, "甲", NOW - 90, second),
        node(20007, "戊", NOW - 80, text("灰度 10% 了")),
    ]}}])
}

/// `online()` with group `G` open and `messages` in it, the newest selected.
fn with_messages(messages: Vec<Value>) -> State {
    let mut s = online();
    let fx = command(&mut s, &format!("open g:{G}"));
    // The first page of history: nothing older on the server here.
    for c in calls(&fx) {
        if let Call::History(h) = c {
            update(&mut s, Msg::Reply(Reply::History(h.clone(), Ok(vec![]))));
        }
    }
    for m in messages {
        update(&mut s, event(m));
    }
    // Esc to the timeline; Up selects the newest message.
    while s.focus != Pane::Timeline {
        key(&mut s, KeyCode::Esc);
    }
    key(&mut s, KeyCode::Up);
    s
}

// ----- act -----

fn command(s: &mut State, line: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    // A refused command keeps its line open: Esc closes it first.
    if s.command_line.is_some() {
        fx.extend(key(s, KeyCode::Esc));
    }
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

fn viewer(s: &State) -> &napterm::app::popup::ForwardView {
    match &s.popup {
        Some(Popup::Forward(v)) => v,
        other => panic!("the forward viewer is not open: {other:?}"),
    }
}

fn failed(message: &str) -> Error {
    Error::ActionFailed {
        action: "x".into(),
        retcode: 1200,
        message: message.into(),
    }
}

// ----- the forward viewer -----

#[test]
fn the_viewer_opens_inline_content_and_walks_three_levels_deep_and_back() {
    let mut s = with_messages(vec![group_message(MEMBER, 1, nested_forward())]);
    let fx = key(&mut s, KeyCode::Enter);
    assert!(
        !calls(&fx).iter().any(|c| matches!(c, Call::GetForward(_))),
        "inline content needs no get_forward_msg: {fx:?}"
    );
    let v = viewer(&s);
    assert_eq!(v.levels.len(), 1);
    assert_eq!(v.levels[0].nodes.count(), 3);
    // The second node holds a nested forward: Enter opens it from its inline content.
    key(&mut s, KeyCode::Down);
    let fx = key(&mut s, KeyCode::Enter);
    assert!(calls(&fx).is_empty(), "{fx:?}");
    assert_eq!(viewer(&s).levels.len(), 2);
    assert_eq!(viewer(&s).levels[1].id, "inner1");
    assert_eq!(
        viewer(&s).levels[1].label,
        "甲",
        "the breadcrumb names the sender"
    );
    key(&mut s, KeyCode::Enter);
    let v = viewer(&s);
    assert_eq!(v.levels.len(), 3);
    assert_eq!(
        v.selected_node().map(|n| n.message.plain_text()),
        Some("最里面的话".into())
    );
    // The breadcrumb shows the depth.
    let screen = snapshot::render(&s, 120, 40);
    assert!(screen.contains("第 3 层"), "{screen}");
    assert!(screen.contains("成员20002 › 甲 › 乙"), "{screen}");
    // Esc goes back one level at a time, then closes.
    key(&mut s, KeyCode::Esc);
    assert_eq!(viewer(&s).levels.len(), 2);
    assert_eq!(
        viewer(&s).levels[1].selected,
        0,
        "the cursor stayed where it was"
    );
    key(&mut s, KeyCode::Esc);
    assert_eq!(viewer(&s).levels.len(), 1);
    assert_eq!(viewer(&s).levels[0].selected, 1);
    key(&mut s, KeyCode::Esc);
    assert!(s.popup.is_none());
}

#[test]
fn a_forward_without_content_is_fetched_and_fills_the_viewer() {
    let fwd = json!([{"type": "forward", "data": {"id": "7483086758390235084"}}]);
    let mut s = with_messages(vec![group_message(MEMBER, 1, fwd)]);
    // Opening the chat asked for the preview already: `o` waits for that answer.
    assert!(s.forwards.contains_key("7483086758390235084"));
    let fx = key(&mut s, KeyCode::Char('o'));
    assert!(calls(&fx).is_empty(), "one question, not two: {fx:?}");
    assert_eq!(viewer(&s).levels[0].nodes, Load::Loading);
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("正在获取聊天记录"), "{screen}");
    let list = nodes(json!([
        node(20024, "TestUser", NOW - 50, text("5678")),
        node(20025, "Other", NOW - 40, text("第二条")),
    ]));
    update(
        &mut s,
        Msg::Reply(Reply::GetForward(
            GetForward {
                id: "7483086758390235084".into(),
            },
            Ok(list),
        )),
    );
    assert_eq!(viewer(&s).levels[0].nodes.count(), 2);
    let screen = snapshot::render(&s, 80, 24);
    assert!(
        screen.contains("TestUser") && screen.contains("5678"),
        "{screen}"
    );
    // Without a preview on its way, the viewer asks itself.
    key(&mut s, KeyCode::Esc);
    s.forwards.clear();
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        calls(&fx),
        [&Call::GetForward(GetForward {
            id: "7483086758390235084".into()
        })]
    );
}

#[test]
fn forwards_that_cannot_be_had_say_so_in_the_viewer() {
    // An inner forward without inline content: NapCat refuses its id.
    let outer = json!([{"type": "forward", "data": {"id": "outer", "content": [
        node(20002, "甲", NOW - 100, json!([{"type": "forward", "data": {"id": "inner"}}])),
    ]}}]);
    let expired = json!([{"type": "forward", "data": {"id": "old"}}]);
    let deep = json!([{"type": "forward", "data": {"id": "deep"}}]);
    let mut s = with_messages(vec![
        group_message(MEMBER, 1, outer),
        group_message(MEMBER, 2, expired),
        group_message(MEMBER, 3, deep),
    ]);
    // The newest: answered with nothing (deep nesting, NapCat #1278).
    key(&mut s, KeyCode::Enter);
    update(
        &mut s,
        Msg::Reply(Reply::GetForward(
            GetForward { id: "deep".into() },
            Ok(vec![]),
        )),
    );
    let Load::Failed(why) = &viewer(&s).levels[0].nodes else {
        panic!("an empty answer is a failure");
    };
    assert!(why.contains("空"), "{why}");
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("无法打开这条聊天记录"), "{screen}");
    key(&mut s, KeyCode::Esc);
    // Expired.
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Enter);
    update(
        &mut s,
        Msg::Reply(Reply::GetForward(
            GetForward { id: "old".into() },
            Err(failed("消息已过期或者为内层消息")),
        )),
    );
    let Load::Failed(why) = &viewer(&s).levels[0].nodes else {
        panic!("a refusal is a failure");
    };
    assert!(why.contains("消息已过期或者为内层消息"), "{why}");
    key(&mut s, KeyCode::Esc);
    // The inner one: asked for by its id (nothing inline), refused, explained.
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Enter);
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        calls(&fx),
        [&Call::GetForward(GetForward { id: "inner".into() })]
    );
    update(
        &mut s,
        Msg::Reply(Reply::GetForward(
            GetForward { id: "inner".into() },
            Err(failed("消息已过期或者为内层消息")),
        )),
    );
    let v = viewer(&s);
    assert_eq!(
        v.levels.len(),
        2,
        "the failure shows in the level, not nowhere"
    );
    let Load::Failed(why) = &v.levels[1].nodes else {
        panic!("refused");
    };
    assert!(why.contains("最外层"), "{why}");
    // Enter on a node without a forward says so and opens nothing.
    key(&mut s, KeyCode::Esc);
    let _ = &s;
}

#[test]
fn search_copy_and_movement_in_the_viewer() {
    let mut s = with_messages(vec![group_message(MEMBER, 1, nested_forward())]);
    key(&mut s, KeyCode::Enter);
    // G / g: last and first node.
    key(&mut s, KeyCode::Char('G'));
    assert_eq!(viewer(&s).levels[0].selected, 2);
    key(&mut s, KeyCode::Char('g'));
    assert_eq!(viewer(&s).levels[0].selected, 0);
    key(&mut s, KeyCode::PageDown);
    assert_eq!(viewer(&s).levels[0].selected, 2);
    key(&mut s, KeyCode::PageUp);
    assert_eq!(viewer(&s).levels[0].selected, 0);
    // `/` searches by text (and sender); typing moves to the nearest match.
    key(&mut s, KeyCode::Char('/'));
    type_text(&mut s, "灰度");
    assert_eq!(viewer(&s).levels[0].selected, 2);
    key(&mut s, KeyCode::Esc);
    assert!(viewer(&s).search.is_none(), "Esc leaves the search first");
    key(&mut s, KeyCode::Char('/'));
    type_text(&mut s, "没有这句");
    assert!(
        viewer(&s)
            .note
            .as_deref()
            .is_some_and(|n| n.contains("没有找到")),
        "{:?}",
        viewer(&s).note
    );
    key(&mut s, KeyCode::Esc);
    // `y` copies the selected node's text.
    let fx = key(&mut s, KeyCode::Char('y'));
    assert!(fx.contains(&Effect::Copy("灰度 10% 了".into())), "{fx:?}");
    // Enter on a node without a forward explains.
    key(&mut s, KeyCode::Enter);
    assert_eq!(viewer(&s).levels.len(), 1);
    assert!(viewer(&s).note.is_some());
}

#[test]
fn a_node_that_replies_shows_what_it_quotes() {
    let first = node(20002, "甲", NOW - 100, text("第一句"));
    let quoted = first["message_id"].as_i64().expect("an id");
    let reply = json!([
        {"type": "reply", "data": {"id": quoted.to_string()}},
        {"type": "text", "data": {"text": "回第一句"}}
    ]);
    let elsewhere = json!([
        {"type": "reply", "data": {"id": "424242"}},
        {"type": "text", "data": {"text": "回别处"}}
    ]);
    let fwd = json!([{"type": "forward", "data": {"id": "r", "content": [
        first,
        node(20003, "乙", NOW - 90, reply),
        node(20004, "丙", NOW - 80, elsewhere),
    ]}}]);
    let mut s = with_messages(vec![group_message(MEMBER, 1, fwd)]);
    key(&mut s, KeyCode::Enter);
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("┆ 甲: 第一句"), "{screen}");
    assert!(screen.contains("┆ (回复了一条消息)"), "{screen}");
}

#[test]
fn viewer_snapshots() {
    snapshot::utc();
    let mut s = with_messages(vec![group_message(MEMBER, 1, nested_forward())]);
    key(&mut s, KeyCode::Enter);
    key(&mut s, KeyCode::Down);
    insta::assert_snapshot!("forward_viewer_80x24", snapshot::render(&s, 80, 24));
    insta::assert_snapshot!("forward_viewer_160x48", snapshot::render(&s, 160, 48));
    key(&mut s, KeyCode::Enter);
    key(&mut s, KeyCode::Char('/'));
    type_text(&mut s, "第二");
    insta::assert_snapshot!("forward_viewer_nested_80x24", snapshot::render(&s, 80, 24));
}

// ----- marking and forwarding -----

#[test]
fn marked_messages_go_as_one_merged_forward_or_one_by_one() {
    let mut s = with_messages(
        (1..=4)
            .map(|i| group_message(MEMBER, i, text(&format!("第{i}条"))))
            .collect(),
    );
    // Newest selected (4); mark 4 and 2 (out of order): they go oldest first.
    key(&mut s, KeyCode::Char(' '));
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Char(' '));
    assert_eq!(s.chats[&GROUP].marked.len(), 2);
    let screen = snapshot::render(&s, 80, 24);
    assert_eq!(screen.matches('✓').count(), 2, "{screen}");
    let fx = command(&mut s, &format!("forward g:{OTHER}"));
    let want = ForwardMerged {
        target: Peer::Group(OTHER),
        ids: vec![2, 4],
    };
    assert_eq!(calls(&fx), [&Call::ForwardMerged(want.clone())]);
    // Marks stay until it went.
    assert_eq!(s.chats[&GROUP].marked.len(), 2);
    update(&mut s, Msg::Reply(Reply::ForwardMerged(want, Ok(99))));
    assert!(s.chats[&GROUP].marked.is_empty());
    // --each, to a friend by number.
    key(&mut s, KeyCode::Char(' '));
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Char(' '));
    let fx = command(&mut s, &format!("forward --each u:{FRIEND}"));
    let each = ForwardEach {
        target: Peer::Private(FRIEND),
        ids: vec![1, 2],
    };
    assert_eq!(calls(&fx), [&Call::ForwardEach(each.clone())]);
    // Partly through: the marks stay and the reason shows.
    update(
        &mut s,
        Msg::Reply(Reply::ForwardEach(
            each,
            Ok(ForwardedEach {
                sent: 1,
                error: Some("无法找到消息2".into()),
            }),
        )),
    );
    assert_eq!(s.chats[&GROUP].marked.len(), 2);
    assert!(
        s.status.error().is_some_and(|e| e.contains("1/2")),
        "{:?}",
        s.status.error()
    );
    // Esc clears the marks (and stays in the timeline); the next Esc leaves it.
    key(&mut s, KeyCode::Esc);
    assert!(s.chats[&GROUP].marked.is_empty());
    assert_eq!(s.focus, Pane::Timeline);
    // Nothing marked: the selected message goes.
    let fx = command(&mut s, &format!("forward g:{OTHER}"));
    assert_eq!(
        calls(&fx),
        [&Call::ForwardMerged(ForwardMerged {
            target: Peer::Group(OTHER),
            ids: vec![1],
        })]
    );
    // A bad target is refused and nothing is sent.
    let fx = command(&mut s, "forward 不存在的群");
    assert!(calls(&fx).is_empty());
    assert!(s.status.error().is_some());
    let fx = command(&mut s, "forward");
    assert!(calls(&fx).is_empty());
}

// ----- reactions -----

#[test]
fn the_picker_reacts_and_the_same_reaction_again_takes_it_back() {
    let mut s = with_messages(vec![group_message(MEMBER, 7, text("好消息"))]);
    let react = |set| React {
        peer: GROUP,
        id: 7,
        emoji: "76".into(),
        set,
    };
    key(&mut s, KeyCode::Char('+'));
    assert!(matches!(s.popup, Some(Popup::React(_))));
    // Pinyin finds 赞 (76).
    type_text(&mut s, "zan");
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(calls(&fx), [&Call::React(react(true))]);
    assert!(s.popup.is_none());
    // The recent ones survive a restart.
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::SaveSession(x) if x.reactions == ["76"])),
        "{fx:?}"
    );
    update(&mut s, Msg::Reply(Reply::React(react(true), Ok(()))));
    let m = s.chats[&GROUP].timeline.message(7).expect("message");
    assert_eq!(m.reactions.len(), 1);
    assert!(m.reactions[0].mine && m.reactions[0].count == 1);
    // The picker lists it first now, as recent and yours.
    key(&mut s, KeyCode::Char('+'));
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("已贴"), "{screen}");
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(calls(&fx), [&Call::React(react(false))]);
    update(&mut s, Msg::Reply(Reply::React(react(false), Ok(()))));
    let m = s.chats[&GROUP].timeline.message(7).expect("message");
    assert!(m.reactions.is_empty());
    // /react by name, id and emoji; typed in the composer too.
    let fx = command(&mut s, "react 赞");
    assert_eq!(calls(&fx), [&Call::React(react(true))]);
    let fx = command(&mut s, "react 128522");
    assert!(matches!(
        calls(&fx)[..],
        [Call::React(React { set: true, .. })]
    ));
    let fx = command(&mut s, "react 😊");
    assert!(matches!(&calls(&fx)[..], [Call::React(React { emoji, .. })] if emoji == "128522"));
    key(&mut s, KeyCode::Char('i'));
    type_text(&mut s, "/react [赞]");
    let fx = key(&mut s, KeyCode::Enter);
    assert!(matches!(&calls(&fx)[..], [Call::React(React { emoji, .. })] if emoji == "76"));
    // Unknown faces are refused.
    let fx = command(&mut s, "react 不存在的表情");
    assert!(calls(&fx).is_empty());
    assert!(s.status.error().is_some());
}

#[test]
fn recent_reactions_come_back_from_the_session_and_lead_the_picker() {
    let mut s = with_messages(vec![group_message(MEMBER, 7, text("好消息"))]);
    update(
        &mut s,
        Msg::Restore(napterm::app::drafts::Session {
            reactions: vec!["128522".into(), "76".into()],
            ..Default::default()
        }),
    );
    key(&mut s, KeyCode::Char('+'));
    let Some(Popup::React(p)) = &s.popup else {
        panic!("picker");
    };
    let first: Vec<i64> = p.matches(&s).iter().take(2).map(|c| c.id).collect();
    assert_eq!(first, [128522, 76]);
}

/// With nothing used yet the picker opens on what people react with most (赞, 爱心, 玫瑰…),
/// not on the faces' numeric order (惊讶, 撇嘴, 色); the recent ones go before them, once.
#[test]
fn a_first_picker_offers_the_common_reactions_first() {
    let mut s = with_messages(vec![group_message(MEMBER, 7, text("好消息"))]);
    key(&mut s, KeyCode::Char('+'));
    let Some(Popup::React(p)) = &s.popup else {
        panic!("picker");
    };
    let all = p.matches(&s);
    let first: Vec<&str> = all.iter().take(3).map(|c| c.name).collect();
    assert_eq!(first, ["赞", "爱心", "玫瑰"]);
    s.recent_reactions = vec!["63".into()];
    let Some(Popup::React(p)) = &s.popup else {
        panic!("picker");
    };
    let again = p.matches(&s);
    let first: Vec<&str> = again.iter().take(3).map(|c| c.name).collect();
    assert_eq!(first, ["玫瑰", "赞", "爱心"]);
    assert_eq!(again.len(), all.len(), "each listed once");
    assert_eq!(again.iter().filter(|c| c.id == 63).count(), 1);
}

#[test]
fn picker_snapshots() {
    snapshot::utc();
    let mut s = with_messages(vec![group_message(MEMBER, 7, text("好消息"))]);
    s.recent_reactions = vec!["128522".into(), "76".into()];
    key(&mut s, KeyCode::Char('+'));
    insta::assert_snapshot!("reaction_picker_80x24", snapshot::render(&s, 80, 24));
    type_text(&mut s, "xiao");
    insta::assert_snapshot!("reaction_picker_160x48", snapshot::render(&s, 160, 48));
}

#[test]
fn reactions_of_others_messages_are_fetched_when_selected_once_each() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    for i in 1..=3 {
        update(&mut s, event(group_message(MEMBER, i, text("x"))));
    }
    while s.focus != Pane::Timeline {
        key(&mut s, KeyCode::Esc);
    }
    // Selecting asks for the counts (get_msg), one message at a time.
    let fx = key(&mut s, KeyCode::Up);
    let first: Vec<_> = calls(&fx)
        .into_iter()
        .filter(|c| matches!(c, Call::ReactionCounts(_)))
        .collect();
    assert_eq!(first.len(), 1, "{fx:?}");
    let Call::ReactionCounts(asked) = first[0].clone() else {
        unreachable!()
    };
    // Moving on while it is out: no second question yet.
    let fx = key(&mut s, KeyCode::Up);
    assert!(
        !calls(&fx)
            .iter()
            .any(|c| matches!(c, Call::ReactionCounts(_)))
    );
    let counts = vec![EmojiLikeCount {
        emoji_id: "76".into(),
        emoji_type: "1".into(),
        likes_cnt: 3,
    }];
    let fx = update(
        &mut s,
        Msg::Reply(Reply::ReactionCounts(asked.clone(), Ok(counts))),
    );
    let m = s.chats[&GROUP].timeline.message(asked.id).expect("message");
    assert_eq!(
        (m.reactions[0].emoji.as_str(), m.reactions[0].count),
        ("76", 3)
    );
    // The message selected meanwhile goes next.
    assert!(
        calls(&fx)
            .iter()
            .any(|c| matches!(c, Call::ReactionCounts(r) if r.id != asked.id)),
        "{fx:?}"
    );
    // Back to the first: already known, not asked again.
    let fx = key(&mut s, KeyCode::Down);
    assert!(
        !calls(&fx)
            .iter()
            .any(|c| matches!(c, Call::ReactionCounts(r) if r.id == asked.id))
    );
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("[赞]3"), "{screen}");
}

#[test]
fn the_reactions_list_names_who_reacted_and_marks_yours() {
    let mut s = with_messages(vec![group_message(MEMBER, 7, text("好消息"))]);
    let asked = ReactionCounts { peer: GROUP, id: 7 };
    let counts = vec![
        EmojiLikeCount {
            emoji_id: "76".into(),
            emoji_type: "1".into(),
            likes_cnt: 2,
        },
        EmojiLikeCount {
            emoji_id: "128522".into(),
            emoji_type: "2".into(),
            likes_cnt: 1,
        },
    ];
    update(&mut s, Msg::Reply(Reply::ReactionCounts(asked, Ok(counts))));
    let fx = command(&mut s, "reactions");
    let who: Vec<&Call> = calls(&fx);
    assert_eq!(
        who,
        [
            &Call::Reactors(Reactors {
                peer: GROUP,
                id: 7,
                emoji: "76".into()
            }),
            &Call::Reactors(Reactors {
                peer: GROUP,
                id: 7,
                emoji: "128522".into()
            }),
        ]
    );
    let users = vec![
        EmojiLikeUser {
            user_id: MEMBER,
            nick_name: "明哥".into(),
        },
        EmojiLikeUser {
            user_id: ME,
            nick_name: "我".into(),
        },
    ];
    update(
        &mut s,
        Msg::Reply(Reply::Reactors(
            Reactors {
                peer: GROUP,
                id: 7,
                emoji: "76".into(),
            },
            Ok(users),
        )),
    );
    let m = s.chats[&GROUP].timeline.message(7).expect("message");
    assert!(m.reactions[0].mine, "you are in the list: yours");
    assert_eq!(m.reactions[0].count, 2, "the count already counted you");
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("明哥 (20002)"), "{screen}");
    assert!(screen.contains("(你)"), "{screen}");
    // Taking yours back from here is the same toggle.
    key(&mut s, KeyCode::Esc);
    let fx = command(&mut s, "react 76");
    assert!(matches!(
        calls(&fx)[..],
        [Call::React(React { set: false, .. })]
    ));
}

#[test]
fn a_reaction_notice_on_your_message_moves_the_counts_once() {
    let mut sent = group_message(ME, 9, text("我的消息"));
    sent["post_type"] = json!("message_sent");
    let mut s = with_messages(vec![sent]);
    let notice = |user: i64, add: bool| {
        json!({"time": NOW, "self_id": ME, "post_type": "notice", "group_id": G,
               "user_id": user, "notice_type": "group_msg_emoji_like", "message_id": 9,
               "likes": [{"emoji_id": "76", "count": 1}], "is_add": add})
    };
    update(&mut s, event(notice(MEMBER, true)));
    // Your own reaction, told by both the reply and the notice: counted once.
    let react = React {
        peer: GROUP,
        id: 9,
        emoji: "76".into(),
        set: true,
    };
    update(&mut s, Msg::Reply(Reply::React(react, Ok(()))));
    update(&mut s, event(notice(ME, true)));
    let m = s.chats[&GROUP].timeline.message(9).expect("message");
    assert_eq!((m.reactions[0].count, m.reactions[0].mine), (2, true));
    update(&mut s, event(notice(MEMBER, false)));
    let m = s.chats[&GROUP].timeline.message(9).expect("message");
    assert_eq!(m.reactions[0].count, 1);
}

// ----- the rest -----

fn private_message(user: i64, id: i64, extra: Value) -> Value {
    let mut v = json!({
        "post_type": "message", "message_type": "private", "sub_type": "friend",
        "time": NOW, "self_id": ME, "user_id": user, "message_id": id,
        "sender": {"user_id": user, "nickname": "路人", "card": ""},
        "message": text("你好"), "message_format": "array",
    });
    if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    v
}

#[test]
fn typing_is_shown_and_reported_at_most_every_few_seconds() {
    let mut s = online();
    command(&mut s, &format!("open u:{FRIEND}"));
    // Theirs: the header says so, until they stop.
    let typing = |event_type: i64| {
        json!({"time": NOW, "self_id": ME, "post_type": "notice", "notice_type": "notify",
               "sub_type": "input_status", "status_text": if event_type == 1 { "对方正在输入..." } else { "" },
               "event_type": event_type, "user_id": FRIEND, "group_id": 0})
    };
    update(&mut s, event(typing(1)));
    let screen = snapshot::render(&s, 80, 24);
    assert!(screen.contains("正在输入…"), "{screen}");
    update(&mut s, event(typing(2)));
    assert!(!snapshot::render(&s, 80, 24).contains("正在输入"));
    // Yours: one report for a burst of keys, another after the interval.
    let reports = |fx: &[Effect]| {
        calls(fx)
            .into_iter()
            .filter(|c| matches!(c, Call::Typing(_)))
            .count()
    };
    assert_eq!(s.focus, Pane::Composer);
    let fx = type_text(&mut s, "你好呀");
    assert_eq!(reports(&fx), 1, "{fx:?}");
    assert!(calls(&fx).contains(&&Call::Typing(Typing { user: FRIEND })));
    update(&mut s, Msg::Clock(NOW + 4));
    assert_eq!(reports(&type_text(&mut s, "abc")), 0);
    update(&mut s, Msg::Clock(NOW + 5));
    assert_eq!(reports(&type_text(&mut s, "d")), 1);
    // A paste is typing too.
    update(&mut s, Msg::Clock(NOW + 10));
    assert_eq!(reports(&update(&mut s, Msg::Paste("粘贴的".into()))), 1);
    // Not for commands, not in groups, not when turned off.
    update(&mut s, Msg::Clock(NOW + 20));
    s.composer.clear();
    assert_eq!(reports(&type_text(&mut s, "/rea")), 0);
    let mut quiet = online();
    quiet.settings.send_typing = false;
    command(&mut quiet, &format!("open u:{FRIEND}"));
    assert_eq!(reports(&type_text(&mut quiet, "hi")), 0);
    let mut group = online();
    command(&mut group, &format!("open g:{G}"));
    assert_eq!(reports(&type_text(&mut group, "hi")), 0);
}

#[test]
fn a_temporary_session_replies_through_its_group() {
    let mut s = online();
    update(
        &mut s,
        event(private_message(
            20999,
            5,
            json!({"sub_type": "group", "group_id": G, "temp_source": 0}),
        )),
    );
    command(&mut s, "open u:20999");
    let screen = snapshot::render(&s, 120, 24);
    assert!(screen.contains("临时会话 · 来自 群30001"), "{screen}");
    key(&mut s, KeyCode::Char('i'));
    type_text(&mut s, "你好");
    let fx = key(&mut s, KeyCode::Enter);
    let sent: Vec<&SendMessage> = calls(&fx)
        .into_iter()
        .filter_map(|c| match c {
            Call::SendMessage(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].peer, sent[0].group),
        (Peer::Private(20999), Some(G))
    );
    // NapCat's placeholder for an unknown group is no group; a friend's chat has none.
    let mut s = online();
    update(
        &mut s,
        event(private_message(
            20998,
            6,
            json!({"sub_type": "group", "group_id": 284840486}),
        )),
    );
    update(&mut s, event(private_message(FRIEND, 7, json!({}))));
    assert_eq!(s.chats[&Peer::Private(20998)].temp_group, None);
    assert_eq!(s.chats[&Peer::Private(FRIEND)].temp_group, None);
}

#[test]
fn enter_on_a_reply_pages_back_to_the_quoted_message() {
    let reply = json!([
        {"type": "reply", "data": {"id": "45"}},
        {"type": "text", "data": {"text": "回复很早的消息"}}
    ]);
    let mut s = with_messages(vec![
        group_message(MEMBER, 100, text("加载了的")),
        group_message(MEMBER, 101, reply),
    ]);
    let fx = key(&mut s, KeyCode::Enter);
    let pages: Vec<History> = calls(&fx)
        .into_iter()
        .filter_map(|c| match c {
            Call::History(h) => Some(h.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(pages.len(), 1, "{fx:?}");
    assert_eq!(pages[0].anchor, Some(100));
    let page = |ids: std::ops::RangeInclusive<i64>| -> Vec<MessageEvent> {
        ids.map(|id| {
            let mut v = group_message(MEMBER, id, text(&format!("旧 {id}")));
            v["time"] = json!(NOW - 1000 + id);
            serde_json::from_value(v).expect("event")
        })
        .collect()
    };
    // Not in the first (full) page: the next is asked for.
    let n = i64::from(s.settings.history_page);
    assert!(
        (28..=50).contains(&n),
        "the quoted message is in the second page"
    );
    let fx = update(
        &mut s,
        Msg::Reply(Reply::History(pages[0].clone(), Ok(page(100 - n..=99)))),
    );
    let next: Vec<History> = calls(&fx)
        .into_iter()
        .filter_map(|c| match c {
            Call::History(h) => Some(h.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].anchor, Some(100 - n));
    update(
        &mut s,
        Msg::Reply(Reply::History(
            next[0].clone(),
            Ok(page(100 - 2 * n..=99 - n)),
        )),
    );
    let chat = &s.chats[&GROUP];
    assert_eq!(
        chat.selected,
        chat.timeline.key_of(45),
        "the quoted message is selected"
    );
    assert!(chat.seeking.is_none());
}

#[test]
fn filtered_friend_requests_join_the_inbox_and_can_only_be_accepted() {
    let mut s = online();
    let req = DoubtFriendRequest {
        flag: "u_abc".into(),
        uin: 20777,
        nick: "可疑的人".into(),
        source: "QQ号查找".into(),
        reason: "该帐号存在风险，请谨慎添加".into(),
        msg: "加个好友".into(),
        group_code: 0,
        time: NOW - 60,
    };
    update(
        &mut s,
        Msg::Reply(Reply::DoubtRequests(DoubtRequests, Ok(vec![req]))),
    );
    assert_eq!(s.inbox.items.len(), 1);
    assert!(s.inbox.items[0].filtered);
    let fx = command(&mut s, "reject 1");
    assert!(calls(&fx).is_empty());
    assert!(s.status.error().is_some_and(|e| e.contains("只能同意")));
    let fx = command(&mut s, "accept 1");
    let want = AcceptDoubt {
        flag: "u_abc".into(),
        user: 20777,
    };
    assert_eq!(calls(&fx), [&Call::AcceptDoubt(want.clone())]);
    update(&mut s, Msg::Reply(Reply::AcceptDoubt(want, Ok(()))));
    assert!(s.inbox.items.is_empty());
}

#[test]
fn dice_rps_and_music_go_out_as_their_segments() {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let seg_types = |fx: &[Effect]| -> Vec<String> {
        calls(fx)
            .into_iter()
            .filter_map(|c| match c {
                Call::SendMessage(m) => Some(
                    serde_json::to_value(&m.chain).expect("chain")[0]["type"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                ),
                _ => None,
            })
            .collect()
    };
    assert_eq!(seg_types(&command(&mut s, "dice")), ["dice"]);
    assert_eq!(seg_types(&command(&mut s, "rps")), ["rps"]);
    let fx = command(&mut s, "music 163 28949444");
    let Some(Call::SendMessage(m)) = calls(&fx).first().copied() else {
        panic!("{fx:?}");
    };
    let v = serde_json::to_value(&m.chain).expect("chain");
    assert_eq!(
        v[0],
        json!({"type": "music", "data": {"type": "163", "id": "28949444"}})
    );
    let fx = command(
        &mut s,
        "music custom https://y.qq.com/x https://a.example/s.mp3 晴天 周杰伦 https://i.example/c.jpg",
    );
    let Some(Call::SendMessage(m)) = calls(&fx).first().copied() else {
        panic!("{fx:?}");
    };
    let v = serde_json::to_value(&m.chain).expect("chain");
    assert_eq!(v[0]["data"]["title"], "晴天 周杰伦");
    assert_eq!(v[0]["data"]["image"], "https://i.example/c.jpg");
    assert!(calls(&command(&mut s, "music spotify 1")).is_empty());
    // A failed music card names the missing signing service.
    let sent = m.clone();
    update(
        &mut s,
        Msg::Reply(Reply::SendMessage(sent, Err(failed("签名服务器请求失败")))),
    );
    assert!(
        s.status.error().is_some_and(|e| e.contains("音乐签名")),
        "{:?}",
        s.status.error()
    );
}
