//! Resident memory with 100,000 messages across 50 chats (budget ≤ 80 MB), measured in a process
//! of its own so nothing else inflates it.
//!
//! `cargo bench --bench memory`

use napterm::app::keymap::Keymap;
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Msg, State};
use napterm::onebot::event::MessageType;
use napterm::onebot::{ClientEvent, ConnState, Event, MessageChain, MessageEvent, Role, Sender};

/// Resident set size in kB, from /proc (Linux).
fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    // `cargo bench` passes --bench; nothing to parse.
    let before = rss_kb().unwrap_or(0);
    let mut s = State::new(Settings::default(), Keymap::default_map());
    let _ = update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Connected {
            self_id: 10001,
            nickname: "夜航船".into(),
        })),
    );
    for k in 0..100_000u64 {
        let chat = k % 50;
        let (group, peer) = if chat < 40 {
            (true, 30000 + chat as i64)
        } else {
            (false, 20100 + chat as i64)
        };
        let user = if group { 20000 + (k % 37) as i64 } else { peer };
        let ev = MessageEvent {
            time: 1_795_000_000 + k as i64,
            self_id: 10001,
            post_type: "message".into(),
            message_id: 1_000_000 + k as i64,
            real_seq: Some(k.to_string()),
            message_type: if group {
                MessageType::Group
            } else {
                MessageType::Private
            },
            sub_type: if group { "normal" } else { "friend" }.into(),
            user_id: user,
            group_id: group.then_some(peer),
            target_id: (!group).then_some(peer),
            sender: Sender {
                user_id: user,
                nickname: format!("成员{}", k % 37),
                card: String::new(),
                role: group.then_some(Role::Member),
                title: None,
            },
            message: MessageChain::new()
                .text("看这个 https://example.com/a/b/c 写得很清楚，大家周末一起去爬山吧 🦀")
                .face(14),
            ..Default::default()
        };
        let _ = update(
            &mut s,
            Msg::Client(ClientEvent::Event(Event::Message(Box::new(ev)))),
        );
    }
    let after = rss_kb().unwrap_or(0);
    let held: usize = s.chats.values().map(|c| c.timeline.len()).sum();
    println!(
        "memory: {held} messages in {} chats: RSS {:.1} MB (of which {:.1} MB for the state)",
        s.chats.len(),
        after as f64 / 1024.0,
        after.saturating_sub(before) as f64 / 1024.0
    );
}
