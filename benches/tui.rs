//! The TUI's budgets: one frame for a chat of 100 and of 100,000 messages (≤ 2 ms at 200x60, the
//! large case within 1.2× of the small one), and 100,000 incoming events applied to the state
//! (≥ 200,000 events/s). Memory is measured by `cargo bench --bench memory`.
//!
//! `cargo bench --bench tui`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use napterm::app::keymap::Keymap;
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Msg, State};
use napterm::onebot::event::MessageType;
use napterm::onebot::{
    ClientEvent, ConnState, Event, MessageChain, MessageEvent, Peer, Role, Sender,
};
use napterm::ui::theme::Theme;
use napterm::ui::{Ui, draw};

const ME: i64 = 10001;
const TEXTS: &[&str] = &[
    "今天晚上一起开黑吗",
    "看这个 https://github.com/ratatui/ratatui/blob/main/README.md 写得很清楚",
    "有没有人用过 ratatui？体验怎么样 🦀",
    "cannot borrow `x` as mutable because it is also borrowed as immutable，这个怎么解",
    "好的👌",
    "周末去爬山，有一起的吗？天气预报说是晴天，大家记得带水和防晒霜",
];

/// Message `k` into group `g` (or a private chat when `g` is negative).
fn message(k: u64, g: i64) -> MessageEvent {
    let user = 20000 + (k % 37) as i64;
    let group = g > 0;
    MessageEvent {
        time: 1_795_000_000 + k as i64,
        self_id: ME,
        post_type: "message".into(),
        message_id: 1_000_000 + k as i64,
        real_seq: Some(k.to_string()),
        message_type: if group {
            MessageType::Group
        } else {
            MessageType::Private
        },
        sub_type: if group { "normal" } else { "friend" }.into(),
        user_id: if group { user } else { -g },
        group_id: group.then_some(g),
        target_id: (!group).then_some(-g),
        sender: Sender {
            user_id: if group { user } else { -g },
            nickname: format!("成员{}", k % 37),
            card: if k.is_multiple_of(3) {
                format!("群名片{}", k % 37)
            } else {
                String::new()
            },
            role: group.then_some(Role::Member),
            title: None,
        },
        message: MessageChain::new()
            .text(TEXTS[(k % TEXTS.len() as u64) as usize])
            .face((k % 20) as i64),
        ..Default::default()
    }
}

fn connected(capacity: usize) -> State {
    let mut s = State::new(
        Settings {
            timeline_capacity: capacity,
            ..Settings::default()
        },
        Keymap::default_map(),
    );
    s.now = 1_795_100_000;
    let _ = update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Connected {
            self_id: ME,
            nickname: "夜航船".into(),
        })),
    );
    s
}

/// A state whose open chat holds `n` messages.
fn chat_of(n: u64) -> State {
    let mut s = connected(n as usize + 10);
    let g = 30001;
    for k in 0..n {
        let _ = update(
            &mut s,
            Msg::Client(ClientEvent::Event(Event::Message(Box::new(message(k, g))))),
        );
    }
    s.open = Some(Peer::Group(g));
    s
}

fn render(c: &mut Criterion) {
    let area = Rect::new(0, 0, 200, 60);
    let mut group = c.benchmark_group("frame_200x60");
    for n in [100u64, 100_000] {
        let state = chat_of(n);
        let mut ui = Ui::new(Theme::default());
        let mut buf = Buffer::empty(area);
        // Warm the layout cache, as the running client has it.
        draw(&state, &mut ui, &mut buf);
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                buf.reset();
                black_box(draw(&state, &mut ui, &mut buf));
            })
        });
    }
    group.finish();
}

fn apply(c: &mut Criterion) {
    const N: u64 = 100_000;
    let events: Vec<Msg> = (0..N)
        .map(|k| {
            // 50 chats: 40 groups and 10 private chats.
            let chat = k % 50;
            let g = if chat < 40 {
                30000 + chat as i64
            } else {
                -(20100 + chat as i64)
            };
            Msg::Client(ClientEvent::Event(Event::Message(Box::new(message(k, g)))))
        })
        .collect();
    let mut group = c.benchmark_group("apply_events");
    group.throughput(Throughput::Elements(N));
    group.sample_size(10);
    group.bench_function("100k_messages_50_chats", |b| {
        b.iter_batched(
            || (connected(5000), events.clone()),
            |(mut s, evs)| {
                for m in evs {
                    black_box(update(&mut s, m));
                }
                s
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, render, apply);
criterion_main!(benches);
