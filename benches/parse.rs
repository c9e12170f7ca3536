//! Frames parsed per second: the real fixture mix, and a 100,000-event stream of realistic
//! message events (budget: ≥ 300,000 message events/s on one core).
//!
//! `cargo bench --bench parse`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use napterm::onebot::event::MessageType;
use napterm::onebot::{Event, Frame, MessageChain, MessageEvent, Role, Sender, parse_frame};

/// Every fixture that is a frame a client receives (not the requests it sends).
fn fixture_frames() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| n.ends_with(".json") && !n.contains(".req."))
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            // Compact, as NapCat sends them.
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p).expect("fixture")).expect("json");
            v.to_string()
        })
        .collect()
}

/// A small deterministic generator (xorshift), so every run parses the same stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "今天",
    "晚上",
    "一起",
    "开黑",
    "吗",
    "哈哈哈",
    "好的",
    "收到",
    "明天见",
    "这个",
    "bug",
    "修好了",
    "没有",
    "看看",
    "群文件",
    "the",
    "build",
    "is",
    "green",
    "again",
    "👍",
    "🤣",
    "https://example.com/a?b=c",
    "周末",
    "去",
    "爬山",
    "记得",
    "带伞",
    "ok",
    "lol",
];
const NAMES: &[&str] = &[
    "小明",
    "阿花",
    "Tom",
    "老王",
    "🐱猫猫",
    "李雷",
    "韩梅梅",
    "kevin",
];

/// One message event as NapCat would push it: mostly text, some mentions, faces, replies and
/// images, in groups and private chats.
fn message_event(rng: &mut Rng, i: u64) -> String {
    let group = rng.below(4) != 0;
    let user = 20000 + rng.below(200) as i64;
    let mut chain = MessageChain::new();
    if rng.below(8) == 0 {
        chain = chain.reply(100_000 + rng.below(i + 1) as i64);
    }
    if group && rng.below(5) == 0 {
        chain = chain.at(20000 + rng.below(200) as i64).text(" ");
    }
    let words = 3 + rng.below(12);
    let mut text = String::new();
    for _ in 0..words {
        text.push_str(rng.pick(WORDS));
        if rng.below(3) == 0 {
            text.push(' ');
        }
    }
    chain = chain.text(text);
    match rng.below(10) {
        0 => chain = chain.face(rng.below(300) as i64),
        1 => chain = chain.image(format!("{:032x}.png", rng.next())),
        _ => {}
    }
    let name = rng.pick(NAMES);
    let message_id = 100_000 + i as i64;
    let event = MessageEvent {
        time: 1_764_000_000 + i as i64,
        self_id: 10001,
        post_type: "message".into(),
        message_id,
        message_seq: Some(message_id),
        real_id: Some(message_id),
        real_seq: Some((900_000 + i).to_string()),
        message_type: if group {
            MessageType::Group
        } else {
            MessageType::Private
        },
        sub_type: if group { "normal" } else { "friend" }.into(),
        user_id: user,
        group_id: group.then(|| 30001 + rng.below(8) as i64),
        group_name: None,
        target_id: (!group).then_some(user),
        temp_source: None,
        sender: Sender {
            user_id: user,
            nickname: name.into(),
            card: if group && rng.below(2) == 0 {
                format!("{name}的名片")
            } else {
                String::new()
            },
            role: group.then_some(Role::Member),
            title: None,
        },
        raw_message: chain.to_cq(),
        message: chain,
        message_format: Some("array".into()),
        font: 14,
        message_sent_type: None,
        emoji_likes_list: Vec::new(),
    };
    Event::Message(Box::new(event)).to_json().to_string()
}

fn message_stream(n: u64) -> Vec<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..n).map(|i| message_event(&mut rng, i)).collect()
}

fn parse_all(frames: &[String]) -> usize {
    let mut messages = 0;
    for f in frames {
        if let Ok(Frame::Event(Event::Message(m))) = parse_frame(black_box(f)) {
            messages += usize::from(!m.message.is_empty());
        }
    }
    messages
}

fn benches(c: &mut Criterion) {
    let fixtures = fixture_frames();
    let mut g = c.benchmark_group("parse_frame");
    g.throughput(Throughput::Elements(fixtures.len() as u64));
    g.bench_function("fixture_mix", |b| b.iter(|| parse_all(&fixtures)));

    let stream = message_stream(100_000);
    assert_eq!(
        parse_all(&stream),
        stream.len(),
        "every generated event must parse"
    );
    let bytes: usize = stream.iter().map(String::len).sum();
    eprintln!(
        "message stream: {} events, {:.0} bytes each on average",
        stream.len(),
        bytes as f64 / stream.len() as f64
    );
    g.throughput(Throughput::Elements(stream.len() as u64));
    g.sample_size(10);
    g.bench_function("message_stream_100k", |b| b.iter(|| parse_all(&stream)));
    g.finish();
}

criterion_group!(parse, benches);
criterion_main!(parse);
