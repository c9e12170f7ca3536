//! The local history store as the app and the CLI use it: messages from every source stored
//! once, recalls, pages and catch-up against the simulator's history, `/find` in Chinese, Latin
//! and mixed text with every filter, exports, and the faults: an older schema, a damaged or
//! foreign file, a newer napterm's file, a read-only folder, `kill -9`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use napterm::onebot::event::MessageType;
use napterm::onebot::{Event, MessageChain, MessageEvent, Peer, Role, Segment, Sender};
use napterm::sim::World;
use napterm::store::{
    Anchor, DataDir, Format, Has, LineKind, NoticeLine, Opened, Query, QueryError, Reader, Row,
    SCHEMA_VERSION, Store, StoreError, day_end, day_start, sent_message,
};

const ACCOUNT: i64 = 10001;
/// Long enough for a slow CI machine; only there to turn a hang into a failure.
const HANG: Duration = Duration::from_secs(30);

/// A scratch folder removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        use std::hash::{BuildHasher, RandomState};
        let n = RandomState::new().hash_one(std::time::SystemTime::now());
        let dir =
            std::env::temp_dir().join(format!("napterm-store-{tag}-{}-{n:x}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn data(&self) -> DataDir {
        DataDir::at(self.0.join("data"))
    }
    fn db(&self) -> PathBuf {
        self.data().db_path(ACCOUNT)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        make_writable(&self.0);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn make_writable(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    make_writable(&e.path());
                }
            }
        }
    }
}

fn open(s: &Scratch) -> (Store, Reader) {
    let Opened { store, moved_aside } =
        Store::open_account(&s.data(), ACCOUNT, |e| panic!("store fault: {e}")).expect("open");
    assert_eq!(moved_aside, None);
    let reader = store.reader().expect("reader");
    (store, reader)
}

fn group_message(g: i64, id: i64, time: i64, user: i64, card: &str, text: &str) -> MessageEvent {
    MessageEvent {
        time,
        self_id: ACCOUNT,
        post_type: "message".into(),
        message_id: id,
        message_type: MessageType::Group,
        sub_type: "normal".into(),
        user_id: user,
        group_id: Some(g),
        sender: Sender {
            user_id: user,
            nickname: format!("nick{user}"),
            card: card.into(),
            role: Some(Role::Member),
            title: None,
        },
        message: MessageChain::new().text(text),
        ..Default::default()
    }
}

fn private_message(u: i64, id: i64, time: i64, nick: &str, text: &str) -> MessageEvent {
    MessageEvent {
        time,
        self_id: ACCOUNT,
        post_type: "message".into(),
        message_id: id,
        message_type: MessageType::Private,
        sub_type: "friend".into(),
        user_id: u,
        sender: Sender {
            user_id: u,
            nickname: nick.into(),
            ..Default::default()
        },
        message: MessageChain::new().text(text),
        ..Default::default()
    }
}

fn ids(rows: &[Row]) -> Vec<i64> {
    rows.iter()
        .filter_map(|r| r.message().map(|m| m.message_id))
        .collect()
}

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn call(world: &mut World, action: &str, params: Value) -> (Value, Vec<Event>) {
    let out = world.handle(action, &params);
    let data = out
        .reply
        .unwrap_or_else(|e| panic!("{action}: {e:?}"))
        .unwrap_or(Value::Null);
    (data, out.events)
}

fn history_page(world: &mut World, group: i64, count: usize) -> Vec<MessageEvent> {
    let (data, _) = call(
        world,
        "get_group_msg_history",
        json!({"group_id": group, "count": count}),
    );
    serde_json::from_value(data["messages"].clone()).unwrap()
}

// --- stored once, whatever the source -------------------------------------------------------

#[test]
fn a_message_from_every_source_is_stored_once() {
    let s = Scratch::new("sources");
    let (store, reader) = open(&s);
    let w = store.writer();
    let mut world = World::with_clock(7, 1_750_000_000);
    let g = napterm::sim::world::roster::GROUP_OWNED;

    // A history page, then the same page again (catch-up overlapping what is stored).
    let page = history_page(&mut world, g, 30);
    assert!(page.len() >= 10, "the simulator has history");
    w.messages(page.clone());
    w.messages(page.clone());
    // An own send: stored once confirmed (from the reply's id), then NapCat's echo, then the
    // next history page that holds it.
    let (data, events) = call(
        &mut world,
        "send_group_msg",
        json!({"group_id": g, "message": "我发的消息"}),
    );
    let sent_id = data["message_id"].as_i64().unwrap();
    w.message(sent_message(
        Peer::Group(g),
        ACCOUNT,
        sent_id,
        world_now(&events),
        MessageChain::new().text("我发的消息"),
    ));
    for e in events {
        if let Event::Message(m) = e {
            assert_eq!(m.message_id, sent_id);
            w.message(*m);
        }
    }
    w.messages(history_page(&mut world, g, 5));
    // One of them arrives live again, its sender with a new card: the newest copy wins.
    let mut live = page[page.len() - 1].clone();
    live.sender.card = "新名片".into();
    w.message(live.clone());
    w.flush().unwrap();

    let peer = Peer::Group(g);
    let mut expected: Vec<i64> = page.iter().map(|m| m.message_id).collect();
    expected.push(sent_id);
    let rows = reader.page_before(peer, None, 1000).unwrap();
    let mut stored = ids(&rows);
    assert_eq!(stored.len(), expected.len(), "each message once");
    stored.sort();
    expected.sort();
    assert_eq!(stored, expected);

    // The newest copy's sender wins; the own message is known as own, with its text.
    let m = reader.message(peer, live.message_id).unwrap().unwrap();
    assert_eq!(m.sender.card, "新名片");
    assert_eq!(m.message, live.message);
    let own = reader.message(peer, sent_id).unwrap().unwrap();
    assert!(own.own);
    assert_eq!(own.message.plain_text(), "我发的消息");
    assert_eq!(own.to_event(ACCOUNT).peer(), peer);
    // Search finds it once too.
    let hits = reader.search(&Query::parse("我发的").unwrap(), 50).unwrap();
    assert_eq!(hits.iter().filter(|h| h.message_id == sent_id).count(), 1);
}

#[test]
fn one_id_is_one_message_only_at_about_the_same_time() {
    let s = Scratch::new("identity");
    let (store, reader) = open(&s);
    let w = store.writer();
    let (g, t) = (30007, 1_764_000_000);
    let peer = Peer::Group(g);
    // A copy through another path a second later (a history page) is the same message: its
    // newer sender wins.
    w.message(group_message(g, 77, t, 20001, "", "第一条"));
    w.message(group_message(g, 77, t + 1, 20001, "新名片", "第一条"));
    // The same 31-bit id a day later is another message (NapCat's ids collide now and then).
    w.message(group_message(g, 77, t + 86_400, 20002, "", "撞号的另一条"));
    // A send stored from this machine's clock, its echo from QQ's five minutes off: one.
    w.message(sent_message(
        peer,
        ACCOUNT,
        88,
        t + 100,
        MessageChain::new().text("我说"),
    ));
    let mut echo = group_message(g, 88, t + 400, ACCOUNT, "", "我说");
    echo.post_type = "message_sent".into();
    w.message(echo);
    w.flush().unwrap();

    let rows = reader.page_before(peer, None, 100).unwrap();
    assert_eq!(ids(&rows), vec![77, 88, 77], "{rows:?}");
    let newest = reader.pos_of(peer, 77).unwrap().unwrap();
    assert_eq!(newest.time(), t + 86_400, "an id alone finds the newest");
    assert_eq!(
        reader.pos_near(peer, 77, t + 1).unwrap().unwrap().time(),
        t,
        "with its time, the one of that time"
    );
    // A page anchored on the older one starts right after it.
    let after = reader
        .page_after(
            peer,
            Anchor::Message {
                time: t,
                message_id: 77,
            },
            10,
        )
        .unwrap();
    assert_eq!(ids(&after), vec![88, 77]);
    let first = match &rows[0] {
        Row::Message(m) => m,
        Row::Notice(_) => panic!("a message"),
    };
    assert_eq!(first.sender.card, "新名片");
    assert_eq!(found(&reader, "撞号"), vec![77]);
    assert_eq!(found(&reader, "第一条"), vec![77]);
    // A recall by id alone marks the newest.
    w.recall(peer, 77, 1);
    w.flush().unwrap();
    let recalled: Vec<bool> = reader
        .page_before(peer, None, 100)
        .unwrap()
        .iter()
        .filter_map(|r| match r {
            Row::Message(m) => Some(m.recalled()),
            Row::Notice(_) => None,
        })
        .collect();
    assert_eq!(recalled, vec![false, false, true]);

    // Looking for a copy is a seek in the identity index, not a walk over the chat.
    let c = rusqlite::Connection::open(s.db()).unwrap();
    let plan: Vec<String> = c
        .prepare(
            "EXPLAIN QUERY PLAN SELECT id FROM messages WHERE chat = ?1
             AND (id >> 20) IN (?2, ?2 - 1, ?2 + 1) AND message_id = ?3",
        )
        .unwrap()
        .query_map(rusqlite::params![1, 2, 3], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter()
            .any(|p| p.contains("messages_identity (chat=? AND <expr>=? AND message_id=?)")),
        "{plan:?}"
    );
}

fn world_now(events: &[Event]) -> i64 {
    events
        .iter()
        .find_map(|e| match e {
            Event::Message(m) => Some(m.time),
            _ => None,
        })
        .unwrap_or(0)
}

#[test]
fn real_napcat_payloads_are_stored_and_merged() {
    let s = Scratch::new("fixtures");
    let (store, reader) = open(&s);
    let w = store.writer();
    let live: MessageEvent = serde_json::from_value(fixture("group_message.json")).unwrap();
    let page: Vec<MessageEvent> = serde_json::from_value(
        fixture("get_group_msg_history.resp.json")["data"]["messages"].clone(),
    )
    .unwrap();
    let echo: MessageEvent = serde_json::from_value(fixture("message_sent_group.json")).unwrap();
    w.message(live.clone());
    w.messages(page.clone());
    w.message(echo.clone());
    // The same live event once more, as a reconnect's catch-up would bring it.
    w.message(live.clone());
    w.flush().unwrap();

    let m = reader
        .message(live.peer(), live.message_id)
        .unwrap()
        .unwrap();
    assert_eq!(m.real_seq, Some(961680));
    assert_eq!(m.sender.card, "TestCard");
    assert_eq!(
        m.message, live.message,
        "segments round-trip as OneBot JSON"
    );
    assert_eq!(reader.count(live.peer()).unwrap(), {
        let mut ids: HashSet<i64> = page
            .iter()
            .filter(|p| p.peer() == live.peer())
            .map(|p| p.message_id)
            .collect();
        ids.insert(live.message_id);
        if echo.peer() == live.peer() {
            ids.insert(echo.message_id);
        }
        ids.len() as u64
    });
    let e = reader
        .message(echo.peer(), echo.message_id)
        .unwrap()
        .unwrap();
    assert!(e.own);
    assert_eq!(e.message, echo.message);
}

#[test]
fn a_recall_marks_the_message_and_notice_lines_are_kept() {
    let s = Scratch::new("recall");
    let (store, reader) = open(&s);
    let w = store.writer();
    let peer = Peer::Group(30005);
    w.message(group_message(
        30005,
        1318467160,
        1_764_046_700,
        20009,
        "",
        "说错话了",
    ));
    w.message(group_message(30005, 2, 1_764_046_701, 20009, "", "留着"));
    let recall = fixture("group_recall.json");
    w.recall(
        peer,
        recall["message_id"].as_i64().unwrap(),
        recall["operator_id"].as_i64().unwrap(),
    );
    w.notice(NoticeLine {
        peer,
        time: 1_764_046_784,
        kind: LineKind::Recall,
        actor: Some(20009),
        text: "nick20009 撤回了一条消息".into(),
    });
    // A recall of something never stored changes nothing.
    w.recall(peer, 999, 1);
    w.flush().unwrap();

    let m = reader.message(peer, 1318467160).unwrap().unwrap();
    assert_eq!(m.recalled_by, Some(20009));
    assert!(m.recalled());
    assert!(!reader.message(peer, 2).unwrap().unwrap().recalled());
    // Storing the message again (a history page) keeps it recalled.
    w.message(group_message(
        30005,
        1318467160,
        1_764_046_700,
        20009,
        "卡片",
        "说错话了",
    ));
    w.flush().unwrap();
    assert!(
        reader
            .message(peer, 1318467160)
            .unwrap()
            .unwrap()
            .recalled()
    );

    let rows = reader.page_before(peer, None, 10).unwrap();
    assert_eq!(rows.len(), 3);
    match rows.last() {
        Some(Row::Notice(n)) => {
            assert_eq!(n.line.kind, LineKind::Recall);
            assert_eq!(n.line.actor, Some(20009));
            assert!(n.line.text.contains("撤回"));
        }
        other => panic!("{other:?}"),
    }
    // Its text is kept for your records: found when asked for, marked recalled…
    let mut asked = Query::parse("说错").unwrap();
    asked.recalled = true;
    let hit = reader.search(&asked, 10).unwrap();
    assert_eq!(hit.len(), 1);
    assert!(hit[0].recalled);
    // …but not otherwise: the chat no longer shows what it said.
    let hit = reader.search(&Query::parse("说错").unwrap(), 10).unwrap();
    assert!(hit.is_empty(), "{hit:?}");
    let from: Vec<i64> = reader
        .search(&Query::parse("from:20009").unwrap(), 10)
        .unwrap()
        .iter()
        .map(|h| h.message_id)
        .collect();
    assert_eq!(from, [2], "filters alone skip it too");
}

// --- pages and catch-up -----------------------------------------------------------------------

#[test]
fn pages_walk_back_and_forth_from_any_anchor() {
    let s = Scratch::new("pages");
    let (store, reader) = open(&s);
    let w = store.writer();
    let (a, b) = (Peer::Group(1), Peer::Group(2));
    let t0 = 1_700_000_000;
    // 100 messages in A, two per second; B interleaved.
    for i in 0..100 {
        w.message(group_message(
            1,
            1000 + i,
            t0 + i / 2,
            5,
            "",
            &format!("A{i}"),
        ));
        w.message(group_message(
            2,
            5000 + i,
            t0 + i / 2,
            6,
            "",
            &format!("B{i}"),
        ));
    }
    w.flush().unwrap();

    let newest = reader.page_before(a, None, 20).unwrap();
    assert_eq!(
        ids(&newest),
        (1080..1100).collect::<Vec<_>>(),
        "oldest first"
    );
    let older = reader
        .page_before(a, Some(Anchor::Pos(newest[0].pos())), 30)
        .unwrap();
    assert_eq!(ids(&older), (1050..1080).collect::<Vec<_>>());
    // An anchor known only by id and time (a message from the network).
    let by_id = reader
        .page_before(
            a,
            Some(Anchor::Message {
                time: t0 + 40,
                message_id: 1080,
            }),
            5,
        )
        .unwrap();
    assert_eq!(ids(&by_id), (1075..1080).collect::<Vec<_>>());
    // Not stored: everything of its second and before.
    let unknown = reader
        .page_before(
            a,
            Some(Anchor::Message {
                time: t0 + 10,
                message_id: 424242,
            }),
            4,
        )
        .unwrap();
    assert_eq!(ids(&unknown), vec![1018, 1019, 1020, 1021]);
    let after = reader
        .page_after(a, Anchor::Pos(older[0].pos()), 3)
        .unwrap();
    assert_eq!(ids(&after), vec![1051, 1052, 1053]);
    let around = reader.around(a, 1010, 2, 2).unwrap().unwrap();
    assert_eq!(ids(&around), vec![1008, 1009, 1010, 1011, 1012]);
    assert_eq!(reader.around(a, 7, 2, 2).unwrap(), None);
    // The start of history is simply a short page.
    let first = reader
        .page_before(a, Some(Anchor::Pos(newest[0].pos())), 1000)
        .unwrap();
    assert_eq!(first.len(), 80);
    assert!(ids(&first).iter().all(|id| (1000..1100).contains(id)));
    assert_eq!(reader.count(b).unwrap(), 100);
}

#[test]
fn catch_up_after_a_drop_fills_the_gap_once_and_in_order() {
    let s = Scratch::new("catchup");
    let (store, reader) = open(&s);
    let w = store.writer();
    let mut world = World::with_clock(3, 1_750_000_000);
    let g = napterm::sim::world::roster::GROUP_OWNED;
    let peer = Peer::Group(g);
    w.messages(history_page(&mut world, g, 20));
    w.flush().unwrap();
    let before = reader.newest(peer).unwrap().expect("something stored");

    // Disconnected: the world goes on, its events never reach us.
    let mut missed = Vec::new();
    for _ in 0..200 {
        let (data, _) = call(
            &mut world,
            "send_group_msg",
            json!({"group_id": g, "message": format!("断线时的消息 {}", missed.len())}),
        );
        missed.push(data["message_id"].as_i64().unwrap());
    }

    // Reconnected: pages from the newest back until one reaches a stored message.
    let mut anchor: Option<i64> = None;
    let mut pages = 0;
    loop {
        let mut params = json!({"group_id": g, "count": 30, "reverse_order": true});
        if let Some(a) = anchor {
            params["message_seq"] = a.into();
        }
        let (data, _) = call(&mut world, "get_group_msg_history", params);
        let mut page: Vec<MessageEvent> = serde_json::from_value(data["messages"].clone()).unwrap();
        // NapCat's page includes its anchor, which the previous page already had.
        page.retain(|m| Some(m.message_id) != anchor);
        pages += 1;
        let page_ids: Vec<i64> = page.iter().map(|m| m.message_id).collect();
        let known = reader.stored_ids(peer, &page_ids).unwrap();
        let reached = !known.is_empty();
        anchor = page.first().map(|m| m.message_id);
        w.messages(page.into_iter().filter(|m| !known.contains(&m.message_id)));
        if reached || pages > 50 {
            break;
        }
    }
    w.flush().unwrap();

    let rows = reader
        .page_before(peer, Some(Anchor::Pos(before.pos)), 0)
        .unwrap();
    assert!(rows.is_empty());
    let newer = reader
        .page_after(peer, Anchor::Pos(before.pos), 1000)
        .unwrap();
    assert_eq!(ids(&newer), missed, "all present, in order, once");
    assert_eq!(
        reader.newest(peer).unwrap().map(|n| n.message_id),
        missed.last().copied()
    );
    assert!(reader.has_message(peer, missed[0]).unwrap());
}

#[test]
fn chats_list_for_an_offline_start() {
    let s = Scratch::new("chats");
    let (store, reader) = open(&s);
    let w = store.writer();
    let mut m = group_message(1, 1, 100, 5, "", "old");
    m.group_name = Some("老群".into());
    w.message(m);
    w.message(private_message(7, 2, 300, "小红", "newest"));
    w.message(group_message(2, 3, 200, 5, "", "middle"));
    w.chat_name(Peer::Group(2), "新群");
    w.flush().unwrap();
    let chats = reader.chats().unwrap();
    let got: Vec<(Peer, &str, i64)> = chats
        .iter()
        .map(|c| (c.peer, c.name.as_str(), c.newest.unwrap().time()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Peer::Private(7), "小红", 300),
            (Peer::Group(2), "新群", 200),
            (Peer::Group(1), "老群", 100),
        ]
    );
    assert_eq!(s.data().last_account(), Some(ACCOUNT));
}

// --- /find --------------------------------------------------------------------------------------

const DAY: i64 = 86_400;

/// A small corpus with known texts; returns the first day's start.
fn corpus(store: &Store) -> i64 {
    let w = store.writer();
    let day0 = day_start("2024-05-01").unwrap();
    let texts: &[(i64, &str, i64, &str)] = &[
        // (group or -user, sender card, user, text)
        (1, "小明", 11, "今天天气不错"),
        (1, "李雷", 12, "天气预报说明天下雨"),
        (2, "小明", 11, "我买了iPhone手机"),
        (1, "李雷", 12, "手机壳多少钱"),
        (2, "", 13, "hello world"),
        (1, "小明", 11, "Hello again, HELLO!"),
        (-3, "", 3, "2024年计划"),
        (1, "李雷", 12, "concatenate strings"),
        (2, "小明", 11, "天"),
        (1, "", 13, "天天向上"),
        (-3, "", 3, "中华人民共和国"),
        (2, "李雷", 12, "我爱北京天安门"),
        (1, "小明", 11, "手机iPhone新款"),
        (1, "", 13, "看看 https://example.com/天气"),
    ];
    for (i, (chat, card, user, text)) in texts.iter().enumerate() {
        let id = 100 + i as i64;
        let time = day0 + i as i64 * DAY / 2;
        let m = if *chat > 0 {
            let mut m = group_message(*chat, id, time, *user, card, text);
            m.group_name = Some(
                if *chat == 1 {
                    "技术交流群"
                } else {
                    "家庭"
                }
                .into(),
            );
            m
        } else {
            private_message(-chat, id, time, "小红", text)
        };
        w.message(m);
    }
    // Media and an own message.
    let mut pic = group_message(1, 200, day0 + 20 * DAY, 12, "李雷", "看图");
    pic.message = MessageChain::new().text("看图").image("a.png");
    w.message(pic);
    let mut file = group_message(2, 201, day0 + 21 * DAY, 11, "小明", "");
    file.message = MessageChain::new().push(Segment::file("报告2024.pdf"));
    w.message(file);
    w.message(sent_message(
        Peer::Group(1),
        ACCOUNT,
        202,
        day0 + 22 * DAY,
        MessageChain::new().text("我也觉得天气好"),
    ));
    w.flush().unwrap();
    day0
}

fn found(reader: &Reader, q: &str) -> Vec<i64> {
    let hits = reader
        .search(&Query::parse(q).unwrap(), 100)
        .unwrap_or_else(|e| panic!("{q}: {e}"));
    for h in &hits {
        assert!(
            !h.highlights.is_empty() || Query::parse(q).unwrap().words.is_empty(),
            "{q}: {h:?}"
        );
        for r in &h.highlights {
            assert!(h.text.is_char_boundary(r.start) && h.text.is_char_boundary(r.end));
        }
    }
    hits.iter().map(|h| h.message_id).collect()
}

/// Newest first: the corpus ids are in time order.
fn newest_first(mut v: Vec<i64>) -> Vec<i64> {
    v.sort();
    v.reverse();
    v
}

#[test]
fn find_chinese_of_one_two_three_and_more_characters() {
    let s = Scratch::new("find-cjk");
    let (store, reader) = open(&s);
    corpus(&store);
    // Against a plain substring scan of what was stored.
    let mut every: Vec<(i64, String)> = Vec::new();
    for p in [Peer::Group(1), Peer::Group(2), Peer::Private(3)] {
        for r in reader.page_before(p, None, 100).unwrap() {
            if let Row::Message(m) = r {
                every.push((m.message_id, m.message.plain_text()));
            }
        }
    }
    assert_eq!(every.len(), 17);
    for q in [
        "天",
        "天气",
        "天气预",
        "天气预报",
        "北京天安门",
        "手",
        "机",
        "国",
        "人民",
        "报告",
    ] {
        let expected = newest_first(
            every
                .iter()
                .filter(|(_, t)| t.contains(q))
                .map(|(id, _)| *id)
                .collect(),
        );
        assert!(!expected.is_empty(), "{q} is in the corpus");
        assert_eq!(found(&reader, q), expected, "{q}");
    }
    assert_eq!(found(&reader, "天安"), vec![111]);
    assert_eq!(found(&reader, "雨天"), Vec::<i64>::new());
    // The highlight covers the word.
    let hits = reader.search(&Query::parse("天气").unwrap(), 5).unwrap();
    for h in &hits {
        assert!(
            h.highlights.iter().all(|r| &h.text[r.clone()] == "天气"),
            "{h:?}"
        );
    }
}

#[test]
fn find_latin_words_numbers_and_mixed_text() {
    let s = Scratch::new("find-latin");
    let (store, reader) = open(&s);
    corpus(&store);
    assert_eq!(found(&reader, "hello"), vec![105, 104]);
    assert_eq!(found(&reader, "HELLO"), vec![105, 104]);
    assert_eq!(found(&reader, "hell"), Vec::<i64>::new(), "whole words");
    assert_eq!(found(&reader, "cat"), Vec::<i64>::new());
    assert_eq!(found(&reader, "hello world"), vec![104], "all words");
    assert_eq!(
        found(&reader, "\"world hello\""),
        Vec::<i64>::new(),
        "phrase order"
    );
    assert_eq!(found(&reader, "2024"), newest_first(vec![106, 201]));
    assert_eq!(found(&reader, "2024年"), vec![106]);
    assert_eq!(found(&reader, "iphone"), vec![112, 102]);
    assert_eq!(found(&reader, "iPhone手机"), vec![102]);
    assert_eq!(found(&reader, "手机iPhone"), vec![112]);
    assert_eq!(found(&reader, "iPhone手"), vec![102]);
    assert_eq!(found(&reader, "example.com"), vec![113]);
    assert_eq!(found(&reader, "！！"), Vec::<i64>::new());
    let hit = &reader.search(&Query::parse("Hello").unwrap(), 1).unwrap()[0];
    let words: Vec<&str> = hit
        .highlights
        .iter()
        .map(|r| &hit.text[r.clone()])
        .collect();
    assert_eq!(words, ["Hello", "HELLO"]);
}

#[test]
fn find_with_every_filter() {
    let s = Scratch::new("find-filters");
    let (store, reader) = open(&s);
    let day0 = corpus(&store);
    let weather = newest_first(vec![100, 101, 113, 202]);
    assert_eq!(found(&reader, "天气"), weather);
    assert_eq!(found(&reader, "天气 in:g:1"), weather);
    assert_eq!(found(&reader, "天 in:g:2"), vec![111, 108]);
    assert_eq!(
        found(&reader, "天 in:技术"),
        newest_first(vec![100, 101, 109, 113, 202])
    );
    assert_eq!(found(&reader, "人民 in:u:3"), vec![110]);
    assert_eq!(found(&reader, "人民 in:3"), vec![110]);
    assert_eq!(found(&reader, "天 in:家庭 in:g:1").len(), 7);
    assert_eq!(found(&reader, "天 from:11"), vec![108, 100]);
    assert_eq!(found(&reader, "天 from:小明"), vec![108, 100]);
    assert_eq!(found(&reader, "天 from:nick13"), vec![113, 109]);
    assert_eq!(found(&reader, "天气 from:me"), vec![202]);
    // after: is inclusive of its day, before: exclusive.
    let d = |n: i64| {
        chrono::DateTime::from_timestamp(day0 + n * DAY + 3600, 0)
            .unwrap()
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d")
            .to_string()
    };
    assert_eq!(
        found(&reader, &format!("天气 after:{}", d(1))),
        newest_first(vec![113, 202])
    );
    assert_eq!(
        found(&reader, &format!("天气 before:{}", d(1))),
        vec![101, 100]
    );
    assert_eq!(
        found(&reader, &format!("天气 after:{} before:{}", d(0), d(7))),
        vec![113, 101, 100]
    );
    assert_eq!(found(&reader, "has:image"), vec![200]);
    assert_eq!(found(&reader, "看 has:image"), vec![200]);
    assert_eq!(found(&reader, "has:file"), vec![201]);
    assert_eq!(found(&reader, "报告 has:file from:小明 in:g:2"), vec![201]);
    assert_eq!(found(&reader, "has:link"), vec![113]);
    assert_eq!(found(&reader, "天气 has:link"), vec![113]);
    assert_eq!(found(&reader, "in:g:2 from:12"), vec![111]);
    // Filters alone list everything they match, newest first.
    assert_eq!(found(&reader, "from:3"), vec![110, 106]);
    assert!(matches!(
        reader.search(&Query::parse("天 in:没有这个群").unwrap(), 10),
        Err(StoreError::Query(QueryError::NoSuchChat(_)))
    ));
    // The limit keeps the newest; the next page continues where it stopped.
    let q = Query::parse("天").unwrap();
    let first = reader.search(&q, 3).unwrap();
    let rest = reader.search_before(&q, Some(first[2].pos), 100).unwrap();
    let mut all: Vec<i64> = first.iter().chain(&rest).map(|h| h.message_id).collect();
    assert_eq!(all.len(), found(&reader, "天").len());
    all.dedup();
    assert_eq!(all, found(&reader, "天"));
    assert_eq!(first[0].chat_name, "技术交流群");
    // `/search` in the open chat is the same query held to that chat.
    let in_family = reader
        .search(&q.clone().in_chat(Peer::Group(2)), 100)
        .unwrap();
    let ids: Vec<i64> = in_family.iter().map(|h| h.message_id).collect();
    assert_eq!(ids, vec![111, 108]);
    assert_eq!(Query::parse("has:image").unwrap().has, [Has::Image]);
}

#[test]
fn a_changed_message_is_searched_by_its_new_text() {
    let s = Scratch::new("find-edit");
    let (store, reader) = open(&s);
    let w = store.writer();
    w.message(group_message(1, 1, 1000, 2, "", "旧的内容"));
    w.flush().unwrap();
    w.message(group_message(1, 1, 1000, 2, "", "新的文字"));
    w.flush().unwrap();
    assert_eq!(found(&reader, "旧的"), Vec::<i64>::new());
    assert_eq!(found(&reader, "文字"), vec![1]);
    w.forget(Peer::Group(1));
    w.flush().unwrap();
    assert_eq!(found(&reader, "文字"), Vec::<i64>::new());
    assert_eq!(reader.count(Peer::Group(1)).unwrap(), 0);
    assert!(reader.chats().unwrap().is_empty());
}

// --- export ---------------------------------------------------------------------------------------

#[test]
fn export_as_json_lines_and_as_text() {
    let s = Scratch::new("export");
    let (store, reader) = open(&s);
    let w = store.writer();
    let peer = Peer::Group(9);
    let day0 = day_start("2024-05-01").unwrap();
    w.message(group_message(9, 1, day0 + 10, 5, "小明", "第一条\n第二行"));
    w.message(group_message(
        9,
        2,
        day0 + DAY + 10,
        6,
        "\u{1b}[31m坏人\u{202e}",
        "evil\u{1b}]52;c;AAAA\u{7}",
    ));
    w.notice(NoticeLine {
        peer,
        time: day0 + DAY + 20,
        kind: LineKind::Mute,
        actor: Some(6),
        text: "坏人 被禁言 10分钟".into(),
    });
    w.message(group_message(9, 3, day0 + 2 * DAY + 10, 5, "小明", "最后"));
    w.recall(peer, 3, 5);
    w.flush().unwrap();

    let mut out = Vec::new();
    let n = reader
        .export(peer, Format::Jsonl, None, None, &mut out)
        .unwrap();
    assert_eq!(n, 3, "messages only");
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines
            .iter()
            .map(|l| l["message_id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![1, 2, 3],
        "oldest first"
    );
    for l in &lines {
        for key in [
            "message_id",
            "time",
            "user_id",
            "sender",
            "message",
            "recalled",
        ] {
            assert!(l.get(key).is_some(), "{key} in {l}");
        }
    }
    assert_eq!(lines[0]["message"][0]["type"], "text");
    assert_eq!(lines[0]["message"][0]["data"]["text"], "第一条\n第二行");
    assert_eq!(lines[0]["sender"]["card"], "小明");
    assert_eq!(lines[0]["group_id"], 9);
    assert_eq!(lines[2]["recalled"], true);
    assert_eq!(lines[0]["recalled"], false);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}') && !text.contains('\u{7}'));
    assert_eq!(
        lines[1]["sender"]["card"], "\u{1b}[31m坏人\u{202e}",
        "JSON keeps the data"
    );

    let mut out = Vec::new();
    reader
        .export(
            peer,
            Format::Txt,
            day_start("2024-05-02"),
            day_end("2024-05-02"),
            &mut out,
        )
        .unwrap();
    let txt = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = txt.lines().collect();
    assert_eq!(lines.len(), 2, "{txt}");
    assert!(
        lines[0].contains("坏人") && lines[0].contains("(6)"),
        "{txt}"
    );
    assert!(lines[1].contains("* 坏人 被禁言 10分钟"), "{txt}");
    assert!(!txt.chars().any(|c| c.is_control() && c != '\n'), "{txt:?}");
    assert!(!txt.contains('\u{202e}'));

    let mut out = Vec::new();
    reader
        .export(peer, Format::Txt, None, None, &mut out)
        .unwrap();
    let txt = String::from_utf8(out).unwrap();
    assert!(txt.contains("小明 (5): 第一条\n    第二行"), "{txt}");
    assert!(txt.contains("[已撤回]: 最后"), "{txt}");
}

// --- files and faults -------------------------------------------------------------------------

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
#[cfg(unix)]
fn files_are_private_and_in_wal_mode() {
    let s = Scratch::new("modes");
    let (store, _reader) = open(&s);
    store.writer().message(group_message(1, 1, 1, 1, "", "x"));
    store.writer().flush().unwrap();
    assert_eq!(mode(&s.data().account_dir(ACCOUNT)), 0o700);
    assert_eq!(mode(s.data().root()), 0o700);
    assert_eq!(mode(&s.db()), 0o600);
    let wal = PathBuf::from(format!("{}-wal", s.db().display()));
    assert!(wal.exists(), "WAL mode");
    assert_eq!(mode(&wal), 0o600);
    let c = rusqlite::Connection::open(s.db()).unwrap();
    let jm: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(jm, "wal");
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

/// Version 1 as it shipped, written out here so the test does not depend on the code it tests.
const V1_BY_HAND: &str = "
CREATE TABLE messages (
    id INTEGER PRIMARY KEY, chat INTEGER NOT NULL, kind INTEGER NOT NULL DEFAULT 0,
    message_id INTEGER, real_seq INTEGER, user_id INTEGER NOT NULL DEFAULT 0,
    nickname TEXT, card TEXT, role INTEGER, flags INTEGER NOT NULL DEFAULT 0,
    recalled_by INTEGER, body TEXT NOT NULL
);
CREATE UNIQUE INDEX messages_identity ON messages(chat, message_id);
CREATE INDEX messages_by_chat ON messages(chat, id);
CREATE TABLE chats (chat INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
CREATE VIRTUAL TABLE search USING fts5(chat, text, content = '', contentless_delete = 1,
    prefix = '1', tokenize = 'unicode61 remove_diacritics 2');
PRAGMA application_id = 1312903252;
PRAGMA user_version = 1;
";

#[test]
fn an_older_schema_is_migrated_and_keeps_its_messages() {
    let s = Scratch::new("migrate");
    std::fs::create_dir_all(s.data().account_dir(ACCOUNT)).unwrap();
    {
        let c = rusqlite::Connection::open(s.db()).unwrap();
        c.execute_batch(V1_BY_HAND).unwrap();
        let id = (1_700_000_000i64) << 20;
        c.execute(
            "INSERT INTO messages (id, chat, message_id, user_id, nickname, body)
             VALUES (?1, 42, 7, 5, '老用户', ?2)",
            rusqlite::params![id, r#"[{"type":"text","data":{"text":"迁移之前的消息"}}]"#],
        )
        .unwrap();
        c.execute(
            "INSERT INTO search (rowid, chat, text) VALUES (?1, 'g42', ?2)",
            rusqlite::params![id, napterm::store::index_text("迁移之前的消息")],
        )
        .unwrap();
    }
    let (store, reader) = open(&s);
    let c = rusqlite::Connection::open(s.db()).unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    let m = reader.message(Peer::Group(42), 7).unwrap().unwrap();
    assert_eq!(m.message.plain_text(), "迁移之前的消息");
    assert_eq!(m.time(), 1_700_000_000);
    assert_eq!(found(&reader, "迁移"), vec![7]);
    // What version 2 added works.
    let fwd = vec![group_message(42, 0, 1, 5, "", "转发的内容")];
    store.writer().forward("fwd-1", fwd.clone());
    store.writer().flush().unwrap();
    assert_eq!(reader.forward("fwd-1").unwrap(), Some(fwd));
}

#[test]
fn a_damaged_file_is_moved_aside_with_its_wal_and_a_new_one_started() {
    let s = Scratch::new("corrupt");
    std::fs::create_dir_all(s.data().account_dir(ACCOUNT)).unwrap();
    std::fs::write(s.db(), b"this is not a database, it is a shopping list").unwrap();
    std::fs::write(format!("{}-wal", s.db().display()), b"stale wal").unwrap();
    // The CLI never moves it.
    let e = Store::open_existing(&s.db(), |_| {}).unwrap_err();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
    assert!(s.db().exists());

    let Opened { store, moved_aside } =
        Store::open_account(&s.data(), ACCOUNT, |e| panic!("{e}")).unwrap();
    let moved = moved_aside.expect("moved aside");
    assert_eq!(moved.from, s.db());
    assert_eq!(
        std::fs::read(&moved.to).unwrap(),
        b"this is not a database, it is a shopping list"
    );
    assert!(PathBuf::from(format!("{}-wal", moved.to.display())).exists());
    let shown = moved.to_string();
    assert!(
        shown.contains("moved to") && !shown.contains('\n'),
        "{shown}"
    );
    store
        .writer()
        .message(group_message(1, 1, 1, 1, "", "新的开始"));
    store.writer().flush().unwrap();
    assert_eq!(found(&store.reader().unwrap(), "开始"), vec![1]);
}

#[test]
fn someone_elses_database_is_moved_aside_too() {
    let s = Scratch::new("foreign");
    std::fs::create_dir_all(s.data().account_dir(ACCOUNT)).unwrap();
    {
        let c = rusqlite::Connection::open(s.db()).unwrap();
        c.execute_batch("CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('面条');")
            .unwrap();
    }
    let Opened { moved_aside, .. } =
        Store::open_account(&s.data(), ACCOUNT, |e| panic!("{e}")).unwrap();
    let moved = moved_aside.expect("moved aside");
    assert!(moved.reason.contains("not napterm"), "{}", moved.reason);
    let c = rusqlite::Connection::open(&moved.to).unwrap();
    let name: String = c
        .query_row("SELECT name FROM recipes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "面条");
}

#[test]
fn a_newer_napterms_file_is_left_alone() {
    let s = Scratch::new("newer");
    drop(open(&s));
    {
        let c = rusqlite::Connection::open(s.db()).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let e = Store::open_account(&s.data(), ACCOUNT, |_| {}).unwrap_err();
    assert!(matches!(e, StoreError::TooNew { found: 99, .. }), "{e}");
    assert!(e.to_string().contains("newer napterm"));
    let c = rusqlite::Connection::open(s.db()).unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99);
}

/// Whether this process can write into `dir` although its mode says it cannot (root can).
#[cfg(unix)]
fn writes_anyway(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    let ok = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

#[test]
#[cfg(unix)]
fn a_read_only_folder_is_one_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new("readonly");
    let root = s.data().root().to_path_buf();
    std::fs::create_dir_all(&root).unwrap();
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o500)).unwrap();
    if writes_anyway(&root) {
        eprintln!("skipped: this user (root?) writes into read-only folders anyway");
        return;
    }
    let e = Store::open_account(&s.data(), ACCOUNT, |_| {}).unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
    assert!(e.to_string().contains("read-only"), "{e}");

    // An existing history whose folder became read-only.
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700)).unwrap();
    drop(open(&s));
    let dir = s.data().account_dir(ACCOUNT);
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", s.db().display()));
    }
    std::fs::set_permissions(s.db(), std::fs::Permissions::from_mode(0o400)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o500)).unwrap();
    let e = Store::open_account(&s.data(), ACCOUNT, |_| {}).unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn the_store_cannot_receive_configuration_and_never_writes_the_token() {
    // The whole opening API takes a folder, an account number and a fault callback: there is no
    // parameter a `Settings` (or its token) could travel through.
    type Faults = fn(StoreError);
    type Opening = Result<Opened, StoreError>;
    let _: fn(&DataDir, i64, Faults) -> Opening = Store::open_account::<Faults>;
    let _: fn(&Path, Faults) -> Opening = Store::open_path::<Faults>;

    let s = Scratch::new("token");
    const TOKEN: &str = "tok-5ecret-9f2";
    let (store, _reader) = open(&s);
    s.data()
        .record_last_account(
            ACCOUNT,
            Some(&format!("ws://127.0.0.1:3001/?access_token={TOKEN}")),
        )
        .unwrap();
    let mut world = World::with_clock(5, 1_750_000_000);
    store.writer().messages(history_page(
        &mut world,
        napterm::sim::world::roster::GROUP_OWNED,
        50,
    ));
    store.writer().flush().unwrap();
    drop(store);
    let mut stack = vec![s.0.clone()];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files += 1;
                let bytes = std::fs::read(&p).unwrap();
                assert!(
                    !bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
                    "the token is in {}",
                    p.display()
                );
            }
        }
    }
    assert!(files >= 2);
}

#[test]
fn writes_commit_by_themselves_without_a_flush() {
    let s = Scratch::new("autocommit");
    let (store, reader) = open(&s);
    let w = store.writer();
    for i in 1..=50 {
        w.message(group_message(1, i, 1000 + i, 2, "", "不用 flush"));
    }
    let start = Instant::now();
    while reader.count(Peer::Group(1)).unwrap() < 50 {
        assert!(start.elapsed() < HANG, "never committed");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Set in the child process of `kill_9_loses_nothing_committed`: the folder to write into.
const CHILD_ENV: &str = "NAPTERM_STORE_KILL_CHILD";
const KILL_COUNT: i64 = 500;

#[test]
#[ignore = "run by kill_9_loses_nothing_committed in a child process"]
fn child_writes_and_waits_to_be_killed() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let data = DataDir::at(dir);
    let Opened { store, .. } = Store::open_account(&data, ACCOUNT, |_| {}).unwrap();
    let w = store.writer();
    for i in 1..=KILL_COUNT {
        w.message(group_message(
            1,
            i,
            1000 + i,
            2,
            "",
            &format!("被杀之前 {i}"),
        ));
    }
    println!("SENT");
    std::thread::sleep(HANG * 2);
    std::process::exit(0);
}

#[test]
#[cfg(unix)]
fn kill_9_loses_nothing_committed() {
    use std::io::{BufRead, BufReader};
    let s = Scratch::new("kill");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_writes_and_waits_to_be_killed",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, s.data().root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(
        lines.any(|l| l.is_ok_and(|l| l.contains("SENT"))),
        "the child wrote"
    );
    // Wait (without a flush from anyone) until the batch is committed, then kill -9.
    let start = Instant::now();
    loop {
        if s.db().exists()
            && let Ok(r) = Reader::open(&s.db())
            && r.count(Peer::Group(1)).unwrap_or(0) == KILL_COUNT as u64
        {
            break;
        }
        assert!(start.elapsed() < HANG, "never committed");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let (_store, reader) = open(&s);
    assert_eq!(reader.count(Peer::Group(1)).unwrap(), KILL_COUNT as u64);
    assert_eq!(found(&reader, "被杀").len(), 100.min(KILL_COUNT as usize));
    let c = rusqlite::Connection::open(s.db()).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

// --- the command line -------------------------------------------------------------------------

/// `napterm` with its XDG folders in the scratch folder.
fn napterm(s: &Scratch, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_napterm"))
        .args(args)
        .env("XDG_DATA_HOME", s.0.join("xdg-data"))
        .env("XDG_STATE_HOME", s.0.join("xdg-state"))
        .env("XDG_CONFIG_HOME", s.0.join("xdg-config"))
        .env("HOME", &s.0)
        .env_remove("NAPTERM_URL")
        .env_remove("NAPTERM_TOKEN")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// The data folder `napterm` itself uses with [`napterm`]'s environment.
fn cli_data(s: &Scratch) -> DataDir {
    DataDir::at(s.0.join("xdg-data").join("napterm"))
}

fn cli_store(s: &Scratch) {
    let Opened { store, .. } =
        Store::open_account(&cli_data(s), ACCOUNT, |e| panic!("{e}")).unwrap();
    corpus(&store);
    let mut evil = group_message(
        1,
        300,
        day_start("2024-06-01").unwrap(),
        66,
        "\u{1b}[2J坏\u{202e}人",
        "天气\u{1b}]52;c;QUFB\u{7}真好",
    );
    evil.group_name = Some("技术交流群".into());
    store.writer().message(evil);
    store.writer().flush().unwrap();
}

#[test]
fn find_prints_hits_from_the_shell() {
    let s = Scratch::new("cli-find");
    cli_store(&s);
    let out = napterm(&s, &["find", "天气"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].starts_with("g:1 技术交流群"), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("小明") && l.contains("今天天气不错")),
        "{text}"
    );
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(!text.contains('\u{202e}'));

    let out = napterm(
        &s,
        &["find", "天气", "--json", "--chat", "g:1", "--limit", "2"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let hits: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["message_id"], 300);
    assert_eq!(hits[0]["chat"], "g:1");
    let t: Vec<char> = hits[1]["text"].as_str().unwrap().chars().collect();
    let h = &hits[1]["highlights"][0];
    let (a, b) = (
        h[0].as_u64().unwrap() as usize,
        h[1].as_u64().unwrap() as usize,
    );
    assert_eq!(t[a..b].iter().collect::<String>(), "天气");
    assert!(!text.contains('\u{1b}'));

    let out = napterm(&s, &["find", "has:video"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("image, file or link"));
    let out = napterm(&s, &["find", "没有的词", "--account", "999"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no local history"));
}

#[test]
fn export_prints_a_chat_from_the_shell() {
    let s = Scratch::new("cli-export");
    cli_store(&s);
    let out = napterm(&s, &["export", "--chat", "g:2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<i64> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["message_id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids, vec![102, 104, 108, 111, 201]);
    let out = napterm(
        &s,
        &[
            "export",
            "--chat",
            "g:1",
            "--format",
            "txt",
            "--since",
            "2024-06-01",
            "--until",
            "2024-06-01",
        ],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("坏") && text.contains("真好"), "{text}");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    let out = napterm(&s, &["export", "--chat", "x:1"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn forget_asks_first_and_deletes_with_yes() {
    let s = Scratch::new("cli-forget");
    cli_store(&s);
    let out = napterm(&s, &["forget", "--chat", "g:2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    let out = napterm(&s, &["forget", "--chat", "g:2", "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("forgot 5"));
    let reader = Reader::open(&cli_data(&s).db_path(ACCOUNT)).unwrap();
    assert_eq!(reader.count(Peer::Group(2)).unwrap(), 0);
    assert!(reader.count(Peer::Group(1)).unwrap() > 0);
    let out = napterm(&s, &["find", "天安门"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing found"));
}

#[test]
fn without_any_history_the_cli_says_so() {
    let s = Scratch::new("cli-none");
    let out = napterm(&s, &["find", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--account"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_handles_can_move_to_the_threads_that_use_them() {
    fn send<T: Send>() {}
    fn sync<T: Sync>() {}
    send::<Store>();
    send::<Reader>();
    send::<napterm::store::StoreWriter>();
    sync::<napterm::store::StoreWriter>();
    send::<StoreError>();
    sync::<StoreError>();
}
