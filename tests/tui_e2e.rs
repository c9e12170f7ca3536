//! End to end, headless: the real app loop fed with keys, drawing into a terminal emulator (and,
//! in one test, into ratatui's TestBackend), against the
//! simulator over loopback. Each test asserts on what the simulator received and on the screen.

mod support;

use crossterm::event::{KeyCode, KeyModifiers};
use napterm::onebot::{Peer, Role};
use serde_json::json;
use std::time::Duration;
use support::Harness;

/// The group where the simulated account is a plain member, and its name.
fn member_group(h: &Harness) -> (i64, String) {
    h.sim.with_world(|w| {
        let g = w
            .group_where(Role::Member)
            .expect("a group where self is member");
        (g, w.group(g).map(|x| x.name.clone()).unwrap_or_default())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_a_group_and_send_text() {
    send_text(Harness::start(120, 40).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_a_group_and_send_text_on_test_backend() {
    send_text(Harness::start_test_backend(80, 24).await).await;
}

async fn send_text(mut h: Harness) {
    let (g, name) = member_group(&h);
    h.type_text(&format!("/open g:{g}"));
    h.enter();
    h.until("group open with history", |s| {
        s.open == Some(Peer::Group(g)) && s.open_chat().is_some_and(|c| c.timeline.len() > 5)
    })
    .await;
    h.until_screen(&name).await;
    h.sim.clear_calls();
    h.type_text("你好，napterm");
    h.enter();
    h.until_screen("你好，napterm").await;
    h.settle(200).await;
    let sent = h.calls("send_group_msg");
    assert_eq!(sent.len(), 1, "exactly one send");
    assert_eq!(sent[0]["group_id"], json!(g));
    assert_eq!(
        sent[0]["message"],
        json!([{"type": "text", "data": {"text": "你好，napterm"}}])
    );
    // The echo and the reply do not duplicate the message.
    h.settle(300).await;
    let count = h.screen().matches("你好，napterm").count();
    assert_eq!(count, 1, "shown once:\n{}", h.screen());
}

/// Opens `g` by command and waits for its history.
async fn open_group(h: &mut Harness, g: i64) {
    h.type_text(&format!("/open g:{g}"));
    h.enter();
    h.until("group open with history", |s| {
        s.open == Some(Peer::Group(g)) && s.open_chat().is_some_and(|c| !c.timeline.is_empty())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mention_by_completion_becomes_an_at_segment() {
    let mut h = Harness::start(120, 40).await;
    let g = h
        .sim
        .with_world(|w| w.group_where(Role::Admin).expect("admin group"));
    open_group(&mut h, g).await;
    h.until("members loaded", |s| {
        s.contacts
            .members
            .get(&g)
            .is_some_and(|m| m.by_id().len() > 3)
    })
    .await;
    // Pick a member with a card and mention it by the first two characters of the card.
    let (qq, card) = h.state.contacts.members[&g]
        .by_id()
        .values()
        .filter(|m| m.user_id != h.state.self_id && m.card.chars().count() >= 2)
        .map(|m| (m.user_id, m.card.clone()))
        .min()
        .expect("a member with a card");
    let prefix: String = card.chars().take(2).collect();
    h.type_text("你好 @");
    h.until("completion opens", |s| s.composer.completion.is_some())
        .await;
    h.type_text(&prefix);
    h.until("the member is offered", |s| {
        s.composer
            .completion
            .as_ref()
            .is_some_and(|c| c.items.iter().any(|i| i.member() == Some(qq)))
    })
    .await;
    // Select the member (it may not be first) and accept with Tab.
    while h
        .state
        .composer
        .completion
        .as_ref()
        .and_then(|c| c.items.get(c.selected))
        .and_then(|i| i.member())
        != Some(qq)
    {
        h.key(KeyCode::Down, KeyModifiers::NONE);
        h.settle(20).await;
    }
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    h.type_text("看一下");
    h.sim.clear_calls();
    h.enter();
    h.until("sent", |s| {
        s.open_chat().is_some_and(|c| {
            c.timeline.iter().any(|e| {
                e.message()
                    .is_some_and(|m| m.own && m.id.is_some() && m.chain.mentions(qq, false))
            })
        })
    })
    .await;
    let sent = h.calls("send_group_msg");
    assert_eq!(
        sent[0]["message"],
        json!([
            {"type": "text", "data": {"text": "你好 "}},
            {"type": "at", "data": {"qq": qq.to_string()}},
            {"type": "text", "data": {"text": " 看一下"}},
        ])
    );
    h.until_screen(&format!("@{card}")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faces_from_the_picker_and_by_name() {
    let mut h = Harness::start(120, 40).await;
    let (g, _) = member_group(&h);
    open_group(&mut h, g).await;
    h.type_text("早");
    h.key(KeyCode::Char('f'), KeyModifiers::CONTROL);
    h.until("picker open", |s| s.popup.is_some()).await;
    h.type_text("微笑");
    h.enter();
    h.until("picker closed", |s| s.popup.is_none()).await;
    h.type_text("[face:赞]");
    h.sim.clear_calls();
    h.enter();
    h.until("sent", |s| s.composer.is_empty()).await;
    h.settle(200).await;
    let sent = h.calls("send_group_msg");
    assert_eq!(
        sent[0]["message"],
        json!([
            {"type": "text", "data": {"text": "早"}},
            {"type": "face", "data": {"id": "14"}},
            {"type": "face", "data": {"id": "76"}},
        ])
    );
    h.until_screen("早[微笑][赞]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_to_the_selected_message() {
    let mut h = Harness::start(120, 40).await;
    let (g, _) = member_group(&h);
    open_group(&mut h, g).await;
    h.esc();
    h.key(KeyCode::Up, KeyModifiers::NONE);
    h.until("a message selected", |s| {
        s.open_chat().is_some_and(|c| c.selected.is_some())
    })
    .await;
    let target = {
        let c = h.state.open_chat().expect("open");
        c.timeline
            .get(c.selected.expect("sel"))
            .and_then(|e| e.message())
            .and_then(|m| m.id)
            .expect("id")
    };
    h.type_text("r");
    h.until("reply target set", |s| s.composer.reply.is_some())
        .await;
    h.until_screen("回复").await;
    h.type_text("同意");
    h.sim.clear_calls();
    h.enter();
    h.until("sent", |s| {
        s.composer.reply.is_none() && s.composer.is_empty()
    })
    .await;
    h.settle(200).await;
    let sent = h.calls("send_group_msg");
    assert_eq!(
        sent[0]["message"],
        json!([
            {"type": "reply", "data": {"id": target.to_string()}},
            {"type": "text", "data": {"text": "同意"}},
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incoming_message_appears_and_a_recall_marks_it() {
    use napterm::onebot::notice::{Notice, NoticeKind};
    use napterm::onebot::{Event, MessageChain, MessageEvent, Sender, event::MessageType};
    let mut h = Harness::start(120, 40).await;
    let (g, _) = member_group(&h);
    open_group(&mut h, g).await;
    let from = h.state.contacts.members[&g]
        .by_id()
        .keys()
        .copied()
        .find(|u| *u != h.state.self_id)
        .unwrap_or(20002);
    let ev = MessageEvent {
        time: napterm::onebot::event::now_secs(),
        self_id: h.state.self_id,
        post_type: "message".into(),
        message_id: 424242,
        message_type: MessageType::Group,
        sub_type: "normal".into(),
        user_id: from,
        group_id: Some(g),
        sender: Sender {
            user_id: from,
            nickname: "来客".into(),
            card: String::new(),
            role: Some(Role::Member),
            title: None,
        },
        message: MessageChain::new().text("新来的一条消息 🚀"),
        ..Default::default()
    };
    h.sim.push_event(&Event::Message(Box::new(ev)));
    h.until_screen("新来的一条消息 🚀").await;
    h.sim.push_event(&Event::Notice(Notice {
        time: napterm::onebot::event::now_secs(),
        self_id: h.state.self_id,
        kind: NoticeKind::GroupRecall {
            group_id: g,
            user_id: from,
            operator_id: from,
            message_id: 424242,
        },
    }));
    // Shown as recalled: the text goes (it stays, dimmed, only with `[history] show_recalled`).
    h.until("recalled", |s| {
        s.open_chat()
            .and_then(|c| c.timeline.message(424242))
            .is_some_and(|m| m.recalled_by == Some(from))
    })
    .await;
    h.until_screen("(已撤回)").await;
    assert!(!h.screen().contains("新来的一条消息"), "{}", h.screen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_comes_back_and_the_chat_catches_up() {
    let mut h = Harness::start(120, 40).await;
    let g = h.sim.with_world(|w| w.flood_group());
    open_group(&mut h, g).await;
    h.sim.refuse_for(std::time::Duration::from_millis(600));
    h.sim.drop_connections();
    h.until("reconnecting", |s| {
        !matches!(s.conn, napterm::onebot::ConnState::Connected { .. })
    })
    .await;
    // A message arrives at the server while we are away: no event reaches us.
    h.sim.with_world(|w| w.flood_message(999_001));
    h.until("connected again", |s| {
        matches!(s.conn, napterm::onebot::ConnState::Connected { .. })
    })
    .await;
    h.until_screen("PTM999001").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_send_keeps_the_text_and_retries() {
    let mut h = Harness::start(120, 40).await;
    let (g, _) = member_group(&h);
    open_group(&mut h, g).await;
    // NapCat refuses the send (QQ's risk control, say); offline it would wait instead.
    h.sim
        .fail_action("send_group_msg", Some((1200, "消息发送失败，请稍后再试")));
    h.type_text("断线时写的话");
    h.enter();
    h.until_screen("发送失败").await;
    assert!(
        h.screen().contains("断线时写的话"),
        "the text stays visible"
    );
    h.sim.fail_action("send_group_msg", None);
    // Select the failed message and retry it.
    h.esc();
    h.key(KeyCode::Up, KeyModifiers::NONE);
    h.settle(50).await;
    h.sim.clear_calls();
    h.type_text("R");
    h.until("retried and confirmed", |s| {
        s.open_chat().is_some_and(|c| {
            c.timeline.iter().any(|e| {
                e.message().is_some_and(|m| {
                    m.own && m.id.is_some() && m.chain.plain_text() == "断线时写的话"
                })
            })
        })
    })
    .await;
    assert_eq!(h.calls("send_group_msg").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasted_newlines_do_not_send_and_drafts_follow_the_chat() {
    let mut h = Harness::start(120, 40).await;
    let (g, _) = member_group(&h);
    open_group(&mut h, g).await;
    h.sim.clear_calls();
    h.paste("第一行\n第二行\n");
    // That a paste never sends is proved in tests/core.rs, without waiting.
    h.until("the paste is in the composer", |s| {
        s.composer.text() == "第一行\n第二行\n"
    })
    .await;
    assert_eq!(h.state.composer.text(), "第一行\n第二行\n");
    // Switch chats: the draft stays with the group and comes back.
    let f = *h.state.contacts.friends.keys().min().expect("a friend");
    h.type_text(&format!("/open u:{f}"));
    // The command line was typed after the pasted text, so it is not a command: clear and retry.
    h.key(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.settle(50).await;
    let draft_before = h.state.composer.text();
    assert!(draft_before.contains("第一行"));
    h.lp.tx
        .send(napterm::app::Msg::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('p'),
            KeyModifiers::CONTROL,
        )))
        .ok();
    h.until("another chat open", |s| s.open != Some(Peer::Group(g)))
        .await;
    assert!(!h.state.composer.text().contains("第一行"));
    h.type_text(&format!("/open g:{g}"));
    h.enter();
    h.until("back in the group", |s| s.open == Some(Peer::Group(g)))
        .await;
    assert!(
        h.state.composer.text().starts_with("第一行\n第二行"),
        "draft restored: {:?}",
        h.state.composer.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_onebot_server_without_napcat_extensions_still_works() {
    // Lagrange, LLOneBot, go-cqhttp and test servers lack NapCat's extensions: they answer 1404.
    let sim = support::sim().await;
    sim.set_unsupported(&[
        "get_friends_with_category",
        "get_recent_contact",
        "get_group_msg_history",
        "get_friend_msg_history",
        "mark_group_msg_as_read",
        "mark_private_msg_as_read",
        "mark_msg_as_read",
        "_mark_all_as_read",
        "get_group_system_msg",
        "get_group_ignored_notifies",
    ]);
    let mut h = Harness::connect(sim, 100, 30, false).await;
    let (g, name) = member_group(&h);
    h.type_text(&format!("/open g:{g}"));
    h.enter();
    h.until("opened without history", |s| {
        s.open == Some(Peer::Group(g))
            && s.open_chat()
                .is_some_and(|c| c.history == napterm::app::chat::HistoryState::Exhausted)
    })
    .await;
    h.until_screen(&name).await;
    assert!(
        h.state.status.error().is_none(),
        "no error for missing extensions: {:?}",
        h.state.status.error()
    );
    h.type_text("hello plain onebot");
    h.enter();
    h.until("sent", |s| {
        s.open_chat().is_some_and(|c| {
            c.timeline
                .iter()
                .any(|e| e.message().is_some_and(|m| m.own && m.id.is_some()))
        })
    })
    .await;
    h.type_text("/readall");
    h.enter();
    h.settle(200).await;
    assert!(
        h.state.status.error().is_none(),
        "{:?}",
        h.state.status.error()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forward_shows_a_preview_fetched_from_the_server() {
    use napterm::onebot::{Event, MessageChain, MessageEvent, Segment, Sender, event::MessageType};
    use napterm::sim::world::roster::GROUP_OWNED;
    let mut h = Harness::start(120, 40).await;
    // A forward the world knows, found in the owned group's history.
    let fid = h.sim.with_world(|w| {
        w.conversation(Peer::Group(GROUP_OWNED))
            .into_iter()
            .filter_map(|id| w.message(id))
            .flat_map(|m| m.event.message.segments().to_vec())
            .find_map(|s| match s {
                Segment::Forward { id, .. } => Some(id),
                _ => None,
            })
            .expect("a forward in the owned group's history")
    });
    open_group(&mut h, GROUP_OWNED).await;
    let ev = MessageEvent {
        time: napterm::onebot::event::now_secs(),
        self_id: h.state.self_id,
        post_type: "message".into(),
        message_id: 515151,
        message_type: MessageType::Group,
        sub_type: "normal".into(),
        user_id: 20002,
        group_id: Some(GROUP_OWNED),
        sender: Sender {
            user_id: 20002,
            nickname: "转发者".into(),
            card: String::new(),
            role: Some(Role::Member),
            title: None,
        },
        message: MessageChain::new().push(Segment::Forward {
            id: fid.clone(),
            content: None,
            extra: Default::default(),
        }),
        ..Default::default()
    };
    h.sim.clear_calls();
    h.sim.push_event(&Event::Message(Box::new(ev)));
    h.until("preview fetched", |s| {
        matches!(
            s.forwards.get(&fid),
            Some(napterm::app::state::ForwardPreview::Found { .. })
        )
    })
    .await;
    assert_eq!(h.calls("get_forward_msg")[0]["message_id"], json!(fid));
    let first = match h.state.forwards.get(&fid) {
        Some(napterm::app::state::ForwardPreview::Found { lines, .. }) => lines[0].clone(),
        other => panic!("{other:?}"),
    };
    h.until_screen(&format!("{}: ", first.0)).await;
    assert!(h.screen().contains("[聊天记录]"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn o_on_a_group_file_fetches_its_link_and_opens_it() {
    use napterm::onebot::{Event, MessageChain, MessageEvent, Segment, Sender, event::MessageType};
    use napterm::sim::world::roster::GROUP_OWNED;
    let mut h = Harness::start(120, 40).await;
    let (file_id, name) = h.sim.with_world(|w| {
        let f = &w.group(GROUP_OWNED).expect("owned group").files[0];
        (f.file_id.clone(), f.name.clone())
    });
    open_group(&mut h, GROUP_OWNED).await;
    let ev = MessageEvent {
        time: napterm::onebot::event::now_secs(),
        self_id: h.state.self_id,
        post_type: "message".into(),
        message_id: 626262,
        message_type: MessageType::Group,
        sub_type: "normal".into(),
        user_id: 20002,
        group_id: Some(GROUP_OWNED),
        sender: Sender {
            user_id: 20002,
            nickname: "传文件的".into(),
            card: String::new(),
            role: Some(Role::Member),
            title: None,
        },
        message: MessageChain::new().push(Segment::File(Box::new(
            napterm::onebot::segment::FileData {
                file: name.clone(),
                file_id: Some(file_id.clone()),
                file_size: Some(1024),
                ..Default::default()
            },
        ))),
        ..Default::default()
    };
    h.sim.push_event(&Event::Message(Box::new(ev)));
    h.until_screen(&format!("[文件] {name}")).await;
    h.esc();
    h.key(KeyCode::Up, KeyModifiers::NONE);
    h.settle(50).await;
    h.sim.clear_calls();
    h.type_text("o");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while h.lp.host.opened.is_empty() && std::time::Instant::now() < deadline {
        h.settle(50).await;
    }
    let calls = h.calls("get_group_file_url");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["file_id"], json!(file_id));
    assert_eq!(h.lp.host.opened.len(), 1, "opened: {:?}", h.lp.host.opened);
    assert!(h.lp.host.opened[0].starts_with("http"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_answers_nothing_and_recovers_gets_asked_again() {
    let sim = support::sim().await;
    // The group list goes unanswered at first (its calls time out).
    sim.ignore_action("get_group_list", true);
    let mut h = Harness::patient(sim, 120, 40, Duration::from_millis(300));
    let mut waited = 0;
    while h.calls("get_group_list").len() < 2 {
        h.settle(50).await;
        waited += 1;
        assert!(waited < 200, "the group list was never asked again");
    }
    h.until_screen("仍未加载: 群列表").await;
    let groups = napterm::app::loads::Load::Groups;
    assert!(h.state.loads.is_pending(groups));
    // It recovers: the next attempt is answered and the group list is in.
    h.sim.ignore_action("get_group_list", false);
    h.until("groups loaded", |s| !s.loads.is_pending(groups))
        .await;
    let all = h.sim.with_world(|w| w.groups().len());
    assert_eq!(h.state.contacts.groups.len(), all);
    assert!(!h.screen().contains("仍未加载"), "{}", h.screen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_messages_missed_while_away_all_arrive_after_the_reconnect() {
    let mut h = Harness::start(120, 40).await;
    let g = h.sim.with_world(|w| w.flood_group());
    open_group(&mut h, g).await;
    h.sim.refuse_for(Duration::from_millis(600));
    h.sim.drop_connections();
    h.until("reconnecting", |s| {
        !matches!(s.conn, napterm::onebot::ConnState::Connected { .. })
    })
    .await;
    // 50 messages reach the server while we are away: no event reaches us.
    let markers: Vec<String> = (0..50)
        .map(|k| {
            h.sim.with_world(|w| w.flood_message(990_000 + k));
            napterm::sim::server::flood_marker(990_000 + k)
        })
        .collect();
    let peer = Peer::Group(g);
    h.until("every missed message is in the chat", |s| {
        let Some(chat) = s.chats.get(&peer) else {
            return false;
        };
        let texts: Vec<String> = chat
            .timeline
            .iter()
            .filter_map(|e| e.message().map(|m| m.chain.plain_text()))
            .collect();
        markers.iter().all(|m| texts.iter().any(|t| t.contains(m)))
    })
    .await;
    let screen = h.screen();
    assert!(screen.contains(&markers[49]), "{screen}");
    assert!(!screen.contains("遗漏"), "no gap: {screen}");
}

/// A flood into the open group jumps the pane by half its height, leaving blank rows under the
/// newest message; once it ends the loop draws again by itself (no key, no message) and the
/// newest message sits on the pane's last row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_flood_the_pane_settles_onto_its_bottom_row_by_itself() {
    use napterm::sim::server::flood_marker;
    let mut h = Harness::start(120, 40).await;
    let g = h.sim.with_world(|w| w.flood_group());
    open_group(&mut h, g).await;
    // The pane's last row: the one above the composer's rule.
    let screen = h.screen();
    let rule = screen
        .lines()
        .collect::<Vec<_>>()
        .iter()
        .rposition(|l| l.contains("──────────"))
        .expect("the composer's rule");
    let bottom = rule - 1;
    let row_of = |rows: &[String], m: &str| rows.iter().position(|r| r.contains(m));
    let mut jumped = false;
    let mut k = 0;
    while k < 120 {
        for _ in 0..3 {
            let ev = h.sim.with_world(|w| w.flood_message(880_000 + k));
            h.sim.push_event(&ev);
            k += 1;
        }
        h.settle(10).await;
        let rows = h.shown();
        if let Some(r) = row_of(&rows, &flood_marker(880_000 + k - 1)) {
            jumped |= r < bottom;
        }
    }
    assert!(
        jumped,
        "the flood never left blank rows under its newest message"
    );
    let newest = flood_marker(880_000 + 119);
    h.settle(1_300).await;
    let rows = h.shown();
    assert_eq!(
        row_of(&rows, &newest),
        Some(bottom),
        "settled:\n{}",
        rows.join("\n")
    );
}

/// A message sent and quit at once (Enter, then Ctrl+C before the next frame): quitting waits
/// for the send to be answered, and for the read mark of the chat read meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_right_after_sending_still_sends() {
    let mut h = Harness::start(120, 40).await;
    let (g, _) = member_group(&h);
    open_group(&mut h, g).await;
    h.settle(300).await;
    h.sim.clear_calls();
    // NapCat answers slowly: the exit must wait for it.
    h.sim.set_reply_delay(Duration::from_millis(400));
    h.type_text("走之前说一句");
    h.enter();
    h.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let mut state = std::mem::replace(
        &mut h.state,
        napterm::app::State::new(
            napterm::app::state::Settings::default(),
            napterm::app::keymap::Keymap::default_map(),
        ),
    );
    h.lp.run(&mut state).await.expect("run");
    assert!(state.quit);
    assert_eq!(h.lp.calls_under_way(), 0, "every call was answered");
    let sent = h.calls("send_group_msg");
    assert_eq!(sent.len(), 1, "the send reached the server before the exit");
    assert_eq!(
        sent[0]["message"],
        json!([{"type": "text", "data": {"text": "走之前说一句"}}])
    );
}

/// A message written while NapCat is away waits, says so, and goes out once the connection
/// is back: the server gets it exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_written_offline_goes_out_when_the_connection_comes_back() {
    let mut h = Harness::start(120, 40).await;
    let (g, _) = member_group(&h);
    open_group(&mut h, g).await;
    h.sim.refuse_for(Duration::from_millis(800));
    h.sim.drop_connections();
    h.until("offline", |s| !s.online()).await;
    h.sim.clear_calls();
    h.type_text("离线时写的");
    h.enter();
    h.until_screen("未连接，连上后自动发送").await;
    assert!(h.calls("send_group_msg").is_empty());
    h.until("back online", |s| s.online()).await;
    h.until("sent", |s| {
        s.open_chat().is_some_and(|c| {
            c.timeline
                .iter()
                .filter_map(|e| e.message())
                .any(|m| m.chain.plain_text() == "离线时写的" && m.id.is_some())
        })
    })
    .await;
    h.settle(200).await;
    let sent = h.calls("send_group_msg");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        sent[0]["message"],
        json!([{"type": "text", "data": {"text": "离线时写的"}}])
    );
    assert!(!h.screen().contains("未连接，连上后"), "{}", h.screen());
}
