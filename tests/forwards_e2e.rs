//! Issue 11 end to end: the real loop against the simulator. Marked messages forwarded as one
//! merged forward (the exact `send_group_forward_msg` call, id nodes), the card that comes back
//! opened in the viewer (`get_forward_msg` by its resid), the same messages forwarded one by one
//! (`forward_group_single_msg`, in order), and a reaction set and taken back
//! (`set_msg_emoji_like`).

mod support;

use crossterm::event::{KeyCode, KeyModifiers};
use napterm::app::Pane;
use napterm::app::popup::{Load, Popup};
use napterm::onebot::Peer;
use serde_json::{Value, json};
use support::Harness;

/// Opens group `g` and waits for its messages.
async fn open(h: &mut Harness, g: i64) {
    h.type_text(&format!("/open g:{g}"));
    h.enter();
    h.until("group open with messages", |s| {
        s.open == Some(Peer::Group(g)) && s.open_chat().is_some_and(|c| !c.timeline.is_empty())
    })
    .await;
}

/// To the timeline (Esc from the composer).
async fn to_timeline(h: &mut Harness) {
    for _ in 0..3 {
        if h.state.focus == Pane::Timeline {
            return;
        }
        let from = h.state.focus;
        h.esc();
        h.until("focus moved", |s| s.focus != from).await;
    }
    assert_eq!(h.state.focus, Pane::Timeline);
}

/// Runs `line` from the `:` command line.
async fn colon(h: &mut Harness, line: &str) {
    to_timeline(h).await;
    h.type_text(":");
    h.until("command line open", |s| s.command_line.is_some())
        .await;
    h.type_text(line);
    h.enter();
    h.until("command ran", |s| s.command_line.is_none()).await;
}

/// Waits until the simulator has received `n` calls of `action` and returns their params.
async fn calls(h: &mut Harness, action: &str, n: usize) -> Vec<Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let got = h.calls(action);
        if got.len() >= n {
            return got;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {n} × {action}; screen:\n{}",
            h.screen()
        );
        h.settle(20).await;
    }
}

/// The selected message's id, once one with an id is selected.
fn selected_id(h: &Harness) -> Option<i64> {
    h.state.selected_message().and_then(|(_, m)| m.id)
}

#[tokio::test]
async fn marked_messages_are_forwarded_merged_then_one_by_one_and_the_forward_opens() {
    let mut h = Harness::start(120, 40).await;
    // Two groups the account may speak in (not muted, not under a whole-group mute).
    let (from, to) = h.sim.with_world(|w| {
        let me = w.self_id;
        let mut gs = w
            .groups()
            .iter()
            .filter(|g| {
                let m = g.member(me);
                m.is_some_and(|m| m.shut_up_timestamp == 0)
                    && (!g.all_shut || m.is_some_and(|m| m.role.is_admin()))
            })
            .map(|g| g.group_id);
        (
            gs.next().expect("a group"),
            gs.next().expect("another group"),
        )
    });
    open(&mut h, from).await;
    to_timeline(&mut h).await;
    // Mark the two newest messages that have ids.
    let mut marked = Vec::new();
    for _ in 0..10 {
        h.key(KeyCode::Up, KeyModifiers::NONE);
        h.until("a message selected", |s| s.selected_message().is_some())
            .await;
        h.settle(20).await;
        let Some(id) = selected_id(&h) else { continue };
        if marked.contains(&id) {
            continue;
        }
        h.key(KeyCode::Char(' '), KeyModifiers::NONE);
        let n = marked.len() + 1;
        h.until("marked", |s| {
            s.open_chat().is_some_and(|c| c.marked.len() == n)
        })
        .await;
        marked.push(id);
        if marked.len() == 2 {
            break;
        }
    }
    assert_eq!(marked.len(), 2);
    // Oldest first: the second marked is the older one.
    let ids: Vec<i64> = marked.iter().rev().copied().collect();
    h.sim.clear_calls();
    colon(&mut h, &format!("forward g:{to}")).await;
    let sent = calls(&mut h, "send_group_forward_msg", 1).await;
    assert_eq!(sent[0]["group_id"], json!(to));
    let nodes: Vec<Value> = ids
        .iter()
        .map(|id| json!({"type": "node", "data": {"id": id.to_string()}}))
        .collect();
    assert_eq!(sent[0]["messages"], Value::Array(nodes));
    h.until("marks cleared once it went", |s| {
        s.chats
            .get(&Peer::Group(from))
            .is_some_and(|c| c.marked.is_empty())
    })
    .await;
    // The card comes back into the other group; Enter on it opens the forward.
    colon(&mut h, &format!("open g:{to}")).await;
    h.until("the card arrived", |s| {
        s.chats.get(&Peer::Group(to)).is_some_and(|c| {
            c.timeline
                .iter()
                .rev()
                .filter_map(|e| e.message())
                .any(|m| {
                    m.own
                        && m.chain
                            .segments()
                            .iter()
                            .any(|s| matches!(s, napterm::onebot::Segment::Json { .. }))
                })
        })
    })
    .await;
    // Drawn as a forward: its preview lines and summary.
    h.until_screen("查看2条转发消息").await;
    to_timeline(&mut h).await;
    h.key(KeyCode::Up, KeyModifiers::NONE);
    h.until("the card selected", |s| {
        s.selected_message().is_some_and(|(_, m)| m.own)
    })
    .await;
    h.enter();
    h.until("the viewer shows both messages", |s| {
        matches!(&s.popup, Some(Popup::Forward(v))
            if matches!(&v.levels[0].nodes, Load::Ready(n) if n.len() == 2))
    })
    .await;
    let asked = h.calls("get_forward_msg");
    assert!(!asked.is_empty(), "fetched by the card's resid");
    // The viewer shows the forwarded texts.
    let texts: Vec<String> = h.sim.with_world(|w| {
        ids.iter()
            .filter_map(|id| w.message(*id).map(|m| m.event.message.plain_text()))
            .collect()
    });
    let first_line = texts[0]
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(8)
        .collect::<String>();
    h.until_screen(&first_line).await;
    h.esc();
    h.until("viewer closed", |s| s.popup.is_none()).await;
    // One by one, from the first group again.
    colon(&mut h, &format!("open g:{from}")).await;
    to_timeline(&mut h).await;
    for id in &ids {
        let key = h.state.chats[&Peer::Group(from)]
            .timeline
            .key_of(*id)
            .expect("still loaded");
        h.state.open_chat_mut().expect("open").selected = Some(key);
        h.key(KeyCode::Char(' '), KeyModifiers::NONE);
        h.until("marked", |s| {
            s.open_chat().is_some_and(|c| c.marked.contains(&key))
        })
        .await;
    }
    h.sim.clear_calls();
    colon(&mut h, &format!("forward --each g:{to}")).await;
    let each = calls(&mut h, "forward_group_single_msg", 2).await;
    let got: Vec<(Value, Value)> = each
        .iter()
        .map(|p| (p["message_id"].clone(), p["group_id"].clone()))
        .collect();
    assert_eq!(
        got,
        ids.iter()
            .map(|id| (json!(id), json!(to)))
            .collect::<Vec<_>>()
    );
    h.until_screen("逐条转发").await;
}

#[tokio::test]
async fn a_reaction_is_set_and_taken_back_and_others_counts_are_fetched() {
    let mut h = Harness::start(120, 40).await;
    let g = h.sim.with_world(|w| w.groups()[0].group_id);
    open(&mut h, g).await;
    to_timeline(&mut h).await;
    h.sim.clear_calls();
    // Select a message by someone else: its counts are asked for (get_msg).
    let mut id = None;
    for _ in 0..20 {
        h.key(KeyCode::Up, KeyModifiers::NONE);
        h.settle(20).await;
        if let Some((_, m)) = h.state.selected_message()
            && !m.own
            && m.id.is_some()
            && m.recalled_by.is_none()
        {
            id = m.id;
            break;
        }
    }
    let id = id.expect("a message by someone else");
    let asked = calls(&mut h, "get_msg", 1).await;
    assert!(
        asked.iter().any(|p| p["message_id"] == json!(id)),
        "{asked:?}"
    );
    h.key(KeyCode::Char('+'), KeyModifiers::NONE);
    h.until("picker open", |s| matches!(s.popup, Some(Popup::React(_))))
        .await;
    h.type_text("zan");
    h.settle(50).await;
    h.enter();
    let set = calls(&mut h, "set_msg_emoji_like", 1).await;
    assert_eq!(
        set[0],
        json!({"message_id": id, "emoji_id": "76", "set": true})
    );
    h.until("yours now", |s| {
        s.selected_message()
            .is_some_and(|(_, m)| m.reactions.iter().any(|r| r.emoji == "76" && r.mine))
    })
    .await;
    colon(&mut h, "react 赞").await;
    let set = calls(&mut h, "set_msg_emoji_like", 2).await;
    assert_eq!(
        set[1],
        json!({"message_id": id, "emoji_id": "76", "set": false})
    );
    h.until("taken back", |s| {
        s.selected_message()
            .is_some_and(|(_, m)| !m.reactions.iter().any(|r| r.emoji == "76" && r.mine))
    })
    .await;
}
