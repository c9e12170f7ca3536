//! The local history store: batched insert throughput (budget ≥ 50,000 messages/s), `/find`
//! newest 50 hits for 1-, 2- and 4-character Chinese and a Latin word (budget ≤ 20 ms), the
//! first page of a chat with 100,000 messages, the file's bytes per message (budget ≤ 600,
//! index included), and what a flood into the biggest chat costs a message (CPU, bytes written),
//! on a synthetic store of Chinese chatter across 200 chats with NapCat-like message ids.
//!
//! `cargo bench --bench store`; the store size is `NAPTERM_BENCH_MESSAGES` (the setting
//! is 1000000; the default, 200000, builds in a few seconds). The largest chat holds a tenth of
//! the messages (100,000 at the setting).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use napterm::onebot::event::MessageType;
use napterm::onebot::{MessageChain, MessageEvent, Peer, Role, Sender};
use napterm::store::{Query, Reader, Store};

const CHATS: i64 = 200;
const BIG_CHAT: i64 = 900_000_000;

/// Everyday words; the queries below hit a realistic share of messages.
const WORDS: &[&str] = &[
    "今天",
    "明天",
    "昨天",
    "我们",
    "你们",
    "他们",
    "什么",
    "怎么",
    "为什么",
    "可以",
    "没有",
    "知道",
    "时候",
    "已经",
    "还是",
    "因为",
    "所以",
    "但是",
    "如果",
    "一下",
    "一起",
    "现在",
    "晚上",
    "早上",
    "中午",
    "吃饭",
    "睡觉",
    "上班",
    "下班",
    "开会",
    "周末",
    "放假",
    "天气",
    "天气预报",
    "下雨",
    "太阳",
    "好的",
    "谢谢",
    "不客气",
    "哈哈",
    "厉害",
    "真的",
    "同学",
    "老师",
    "作业",
    "考试",
    "电影",
    "游戏",
    "手机",
    "电脑",
    "文件",
    "图片",
    "视频",
    "链接",
    "朋友",
    "家里",
    "公司",
    "项目",
    "需求",
    "评审",
    "上线",
    "测试",
    "服务器",
    "数据库",
    "北京",
    "上海",
    "广州",
    "深圳",
    "火锅",
    "奶茶",
    "咖啡",
    "记得",
    "一定",
    "马上",
    "等等",
];
const LATIN: &[&str] = &[
    "ok", "hello", "iPhone", "github", "bug", "release", "linux", "QQ", "napcat", "2024",
];
const PUNCT: &[&str] = &["，", "。", "！", "？", " ", "～"];

/// A small deterministic generator (no dependence on `rand`'s algorithms across versions).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn sentence(rng: &mut Lcg) -> String {
    let words = 2 + rng.below(8);
    let mut s = String::new();
    for _ in 0..words {
        if rng.below(10) == 0 {
            s.push_str(LATIN[rng.below(LATIN.len() as u64) as usize]);
        } else {
            s.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
        }
        if rng.below(4) == 0 {
            s.push_str(PUNCT[rng.below(PUNCT.len() as u64) as usize]);
        }
    }
    s
}

/// NapCat's id for message `k`: like NapCat's short ids (an md5 cut to a positive 31-bit number)
/// they are scattered, not counting up, so each message lands on its own page of the
/// `(chat, message_id)` index; a bijection of `k`, so two messages never share one.
fn napcat_id(k: u64) -> i64 {
    (((k + 1).wrapping_mul(2_654_435_761)) & 0x7fff_ffff) as i64
}

/// Message `k` of the synthetic store: a tenth in the big group, the rest across the others.
fn message(k: u64, rng: &mut Lcg, t0: i64) -> MessageEvent {
    let (peer, group) = if k.is_multiple_of(10) {
        (Peer::Group(BIG_CHAT), true)
    } else {
        let c = 1 + rng.below(CHATS as u64 - 1) as i64;
        if c % 4 == 0 {
            (Peer::Private(500_000 + c), false)
        } else {
            (Peer::Group(700_000_000 + c), true)
        }
    };
    let user = if group {
        100_000 + rng.below(300) as i64
    } else {
        peer.id()
    };
    MessageEvent {
        time: t0 + (k / 3) as i64,
        self_id: 10001,
        post_type: "message".into(),
        message_id: napcat_id(k),
        real_seq: Some((k + 1).to_string()),
        message_type: if group {
            MessageType::Group
        } else {
            MessageType::Private
        },
        sub_type: "normal".into(),
        user_id: user,
        group_id: group.then_some(peer.id()),
        sender: Sender {
            user_id: user,
            nickname: format!("用户{}", user % 1000),
            card: if user % 3 == 0 {
                format!("群名片{}", user % 100)
            } else {
                String::new()
            },
            role: Some(Role::Member),
            title: None,
        },
        message: MessageChain::new().text(sentence(rng)),
        ..Default::default()
    }
}

/// CPU time this process has used (user + system), so a shared machine's load does not hide
/// what storing costs.
fn cpu_time() -> Duration {
    let mut u = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage only writes into the struct it is given.
    let u = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, u.as_mut_ptr());
        u.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("napterm-bench-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// File size per stored message, after a checkpoint folds the WAL into the file.
fn bytes_per_message(path: &std::path::Path, n: u64) -> f64 {
    let c = rusqlite::Connection::open(path).expect("open");
    let _ = c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    size as f64 / n as f64
}

fn insert(c: &mut Criterion) {
    const BATCH: u64 = 20_000;
    let dir = scratch("insert");
    let store = Store::open_path(&dir.join("history.db"), |e| panic!("{e}"))
        .expect("open")
        .store;
    let writer = store.writer();
    let mut rng = Lcg(7);
    let mut next = 0u64;
    let (mut stored, mut cpu) = (0u64, Duration::ZERO);
    let mut g = c.benchmark_group("store");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(BATCH));
    g.bench_function("insert 20000 messages (batched, committed)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let msgs: Vec<MessageEvent> = (0..BATCH)
                    .map(|_| {
                        next += 1;
                        message(next, &mut rng, 1_700_000_000)
                    })
                    .collect();
                let (start, cpu_start) = (Instant::now(), cpu_time());
                writer.messages(msgs);
                writer.flush().expect("flush");
                total += start.elapsed();
                cpu += cpu_time().saturating_sub(cpu_start);
                stored += BATCH;
            }
            total
        })
    });
    g.finish();
    eprintln!(
        "store: insert: {stored} messages, {:.0} msgs per CPU second (the wall-clock rate above \
         depends on what else the machine runs)",
        stored as f64 / cpu.as_secs_f64()
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Bytes this process has written through `write`-like calls so far (`/proc/self/io`).
fn written_bytes() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines()
        .find_map(|l| l.strip_prefix("wchar:"))
        .and_then(|v| v.trim().parse().ok())
}

/// A flood like ptymeter's into the store's biggest chat: 2,000 messages at 200 a commit (the
/// writer's batch at 200 messages/s). Returns what each message cost: CPU and bytes written
/// (WAL frames and checkpoints), which grow with the chat's size as NapCat's scattered ids
/// touch a page of the identity index each.
fn flood_into_big_chat(writer: &napterm::store::StoreWriter, n: u64, rng: &mut Lcg) -> String {
    const FLOOD: u64 = 2_000;
    const COMMIT: u64 = 200;
    let (cpu_start, bytes_start) = (cpu_time(), written_bytes());
    let t0 = 1_600_000_000 + (n / 3) as i64 + 10;
    for c in 0..FLOOD / COMMIT {
        let msgs: Vec<MessageEvent> = (0..COMMIT)
            .map(|i| {
                let k = 10 * (n / 10 + 1 + c * COMMIT + i);
                let mut m = message(k, rng, 0);
                m.time = t0 + c as i64;
                m
            })
            .collect();
        writer.messages(msgs);
        writer.flush().expect("flush");
    }
    let cpu = cpu_time().saturating_sub(cpu_start);
    let bytes = match (bytes_start, written_bytes()) {
        (Some(a), Some(b)) => format!("{:.0} bytes written", (b - a) as f64 / FLOOD as f64),
        _ => "bytes written unknown".into(),
    };
    format!(
        "store: a flood into the big chat ({} stored, {COMMIT} a commit): {:.1} µs CPU and {bytes} \
         per message",
        n / 10,
        cpu.as_secs_f64() * 1e6 / FLOOD as f64
    )
}

fn large(c: &mut Criterion) {
    let n: u64 = std::env::var("NAPTERM_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let dir = scratch("large");
    let path = dir.join("history.db");
    let store = Store::open_path(&path, |e| panic!("{e}"))
        .expect("open")
        .store;
    let writer = store.writer();
    let mut rng = Lcg(42);
    let (mut wall, mut cpu) = (Duration::ZERO, Duration::ZERO);
    let mut k = 0;
    while k < n {
        let chunk = (n - k).min(50_000);
        let msgs: Vec<MessageEvent> = (k..k + chunk)
            .map(|i| message(i, &mut rng, 1_600_000_000))
            .collect();
        let (start, cpu_start) = (Instant::now(), cpu_time());
        writer.messages(msgs);
        writer.flush().expect("flush");
        wall += start.elapsed();
        cpu += cpu_time().saturating_sub(cpu_start);
        k += chunk;
    }
    let flood = flood_into_big_chat(&writer, n, &mut rng);
    drop(writer);
    store.close();
    eprintln!("{flood}");
    eprintln!(
        "store: {n} messages across {CHATS} chats stored in {:.1} s: {:.0} msgs/s \
         ({:.0} msgs per CPU second); {:.0} bytes per message",
        wall.as_secs_f64(),
        n as f64 / wall.as_secs_f64(),
        n as f64 / cpu.as_secs_f64(),
        bytes_per_message(&path, n)
    );

    let reader = Reader::open(&path).expect("reader");
    let mut g = c.benchmark_group("store");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(3));
    for (label, q) in [
        ("1 char", "好"),
        ("2 chars", "今天"),
        ("4 chars", "天气预报"),
        ("Latin word", "github"),
        ("2 chars in one chat", "周末 in:g:900000000"),
    ] {
        let query = Query::parse(q).expect("query");
        let hits = reader.search(&query, 50).expect("search");
        eprintln!("store: find {q:?} → {} hits (newest 50)", hits.len());
        g.bench_function(format!("find newest 50, {label} ({q}), {n} stored"), |b| {
            b.iter(|| reader.search(&query, 50).expect("search"))
        });
    }
    let big = Peer::Group(BIG_CHAT);
    eprintln!(
        "store: the big chat holds {}",
        reader.count(big).expect("count")
    );
    g.bench_function(
        format!("newest page of 200 in a chat of {} ", n / 10),
        |b| b.iter(|| reader.page_before(big, None, 200).expect("page")),
    );
    // A message looked up by its id alone (a recall, a search hit opened): the newest found at
    // once, an id not stored costs a walk over the chat's identity entries.
    let newest = reader.page_before(big, None, 1).expect("page");
    let newest_id = match newest.first() {
        Some(napterm::store::Row::Message(m)) => m.message_id,
        _ => 0,
    };
    g.bench_function(
        format!("id alone, the newest, in a chat of {}", n / 10),
        |b| b.iter(|| reader.pos_of(big, newest_id).expect("pos")),
    );
    g.bench_function(
        format!("id alone, not stored, in a chat of {}", n / 10),
        |b| b.iter(|| reader.pos_of(big, -1).expect("pos")),
    );
    g.finish();
    drop(reader);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, insert, large);
criterion_main!(benches);
