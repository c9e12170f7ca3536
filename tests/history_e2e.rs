//! The local history in the running client, against the simulator with a temporary data folder:
//! every message seen stored once (history pages, live, own sends, recalls, notice lines); a
//! restarted client drawing a chat from the store before NapCat answers; an offline start on the
//! last account; catch-up after a drop with messages made while away — all present, in order,
//! once, counted as unread; `/find` in a popup, Enter opening the hit in its chat.

mod support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use napterm::app::popup::Popup;
use napterm::app::store_state::StoreStatus;
use napterm::onebot::notice::{Notice, NoticeKind};
use napterm::onebot::{ConnState, Event, Peer, Role};
use napterm::store::{DataDir, Reader, Row};
use support::Harness;

/// A scratch data folder removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        use std::hash::{BuildHasher, RandomState};
        let n = RandomState::new().hash_one(std::time::SystemTime::now());
        let dir = std::env::temp_dir().join(format!(
            "napterm-history-e2e-{tag}-{}-{n:x}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn reader(data: &Path, account: i64) -> Reader {
    Reader::open(&DataDir::at(data).db_path(account)).expect("the history database")
}

/// The ids of the stored messages of `peer`, oldest first.
fn stored_ids(r: &Reader, peer: Peer) -> Vec<i64> {
    r.page_before(peer, None, 100_000)
        .expect("page")
        .iter()
        .filter_map(|row| row.message().map(|m| m.message_id))
        .collect()
}

/// A client with history on, connected, its store open.
async fn start(sim: napterm::sim::Sim, data: &Path) -> Harness {
    let url = sim.url();
    let mut h = Harness::with_history(sim, &url, 120, 40, data);
    h.until_lists_loaded().await;
    h.until("the store is open", |s| {
        matches!(s.store.status, StoreStatus::Open(_))
    })
    .await;
    h
}

async fn open(h: &mut Harness, peer: Peer) {
    let arg = match peer {
        Peer::Group(g) => format!("g:{g}"),
        Peer::Private(u) => format!("u:{u}"),
    };
    h.type_text(&format!("/open {arg}"));
    h.enter();
    h.until("chat open with messages", |s| {
        s.open == Some(peer) && s.open_chat().is_some_and(|c| !c.timeline.is_empty())
    })
    .await;
}

fn member_group(h: &Harness) -> i64 {
    h.sim
        .with_world(|w| w.group_where(Role::Member).expect("a member group"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_is_stored_once_and_a_restart_draws_the_chat_from_the_store() {
    let data = Scratch::new("sources");
    let mut h = start(support::sim().await, data.path()).await;
    let me = h.state.self_id;
    assert_eq!(h.state.store.status, StoreStatus::Open(me));
    let g = member_group(&h);
    open(&mut h, Peer::Group(g)).await;
    h.until("history page in", |s| {
        s.open_chat().is_some_and(|c| c.timeline.len() > 5)
    })
    .await;
    // An own send, confirmed.
    h.type_text("存到本地 napterm-own");
    h.enter();
    h.until("sent", |s| {
        s.open_chat().is_some_and(|c| {
            c.timeline
                .iter()
                .filter_map(|e| e.message())
                .any(|m| m.own && m.id.is_some() && m.chain.plain_text().contains("napterm-own"))
        })
    })
    .await;
    // A live message, then its recall.
    let author = h.sim.with_world(|w| {
        w.group(g)
            .and_then(|gr| gr.members.iter().find(|m| m.user_id != me))
            .map(|m| m.user_id)
            .expect("another member")
    });
    let live = napterm::onebot::MessageEvent {
        time: h.state.now,
        self_id: me,
        post_type: "message".into(),
        message_id: 7_777_001,
        message_type: napterm::onebot::event::MessageType::Group,
        sub_type: "normal".into(),
        user_id: author,
        group_id: Some(g),
        sender: napterm::onebot::Sender {
            user_id: author,
            nickname: "路人甲".into(),
            ..Default::default()
        },
        message: napterm::onebot::MessageChain::new().text("一条实时消息 live-7777"),
        ..Default::default()
    };
    h.sim.push_event(&Event::Message(Box::new(live.clone())));
    h.until_screen("live-7777").await;
    h.sim.push_event(&Event::Notice(Notice {
        time: h.state.now,
        self_id: me,
        kind: NoticeKind::GroupRecall {
            group_id: g,
            user_id: author,
            operator_id: author,
            message_id: 7_777_001,
        },
    }));
    h.until_screen("(已撤回)").await;
    h.settle(200).await;
    h.flush_history();

    let shown: Vec<i64> = h
        .state
        .open_chat()
        .expect("open")
        .timeline
        .iter()
        .filter_map(|e| e.message()?.id)
        .collect();
    let r = reader(data.path(), me);
    let ids = stored_ids(&r, Peer::Group(g));
    let unique: HashSet<i64> = ids.iter().copied().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "every message stored once: {ids:?}"
    );
    for id in &shown {
        assert!(unique.contains(id), "message {id} shown but not stored");
    }
    let recalled = r
        .message(Peer::Group(g), 7_777_001)
        .expect("read")
        .expect("stored");
    assert!(recalled.recalled(), "the recall marks the stored message");
    let own = r
        .page_before(Peer::Group(g), None, 100_000)
        .expect("page")
        .into_iter()
        .filter_map(|row| match row {
            Row::Message(m) => Some(m),
            Row::Notice(_) => None,
        })
        .filter(|m| m.own && m.message.plain_text().contains("napterm-own"))
        .count();
    assert_eq!(own, 1, "the own send stored once (reply and echo merged)");

    // Restarted, with NapCat's history not answering: the chat is drawn from the store.
    let sim = h.into_sim();
    sim.ignore_action("get_group_msg_history", true);
    let mut h = start(sim, data.path()).await;
    h.type_text(&format!("/open g:{g}"));
    h.enter();
    h.until("the stored page is in", |s| {
        s.open_chat()
            .is_some_and(|c| c.from_store && !c.store_reading)
    })
    .await;
    h.until_screen("napterm-own").await;
    let chat = h.state.open_chat().expect("open");
    let again: Vec<i64> = chat
        .timeline
        .iter()
        .filter_map(|e| e.message()?.id)
        .collect();
    for id in &shown {
        assert!(again.contains(id), "message {id} back from the store");
    }
    assert_eq!(
        again.len(),
        again.iter().collect::<HashSet<_>>().len(),
        "nothing twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn started_while_napcat_is_down_it_shows_the_last_account_from_the_store() {
    let data = Scratch::new("offline");
    let mut h = start(support::sim().await, data.path()).await;
    let me = h.state.self_id;
    let g = member_group(&h);
    let name = h
        .sim
        .with_world(|w| w.group(g).map(|x| x.name.clone()).unwrap_or_default());
    open(&mut h, Peer::Group(g)).await;
    h.until("history page in", |s| {
        s.open_chat().is_some_and(|c| c.timeline.len() > 5)
    })
    .await;
    let shown: Vec<String> = h
        .state
        .open_chat()
        .expect("open")
        .timeline
        .iter()
        .filter_map(|e| e.message())
        .map(|m| m.chain.plain_text())
        .filter(|t| t.chars().count() > 4)
        .collect();
    let last = shown.last().cloned().expect("a message with text");
    let url = h.sim.url();
    let sim = h.into_sim();
    sim.shutdown().await;

    // Nothing listens at the URL now.
    let mut h = Harness::with_history(support::sim().await, &url, 120, 40, data.path());
    h.until("the last account's store is open", |s| {
        s.store.status == StoreStatus::Open(me)
    })
    .await;
    assert!(!matches!(h.state.conn, ConnState::Connected { .. }));
    assert_eq!(h.state.self_id, me);
    h.until_screen("离线 · 本地记录").await;
    h.until_screen(&name).await;
    h.type_text(&format!("/open g:{g}"));
    h.enter();
    let probe: String = last.chars().take(8).collect();
    h.until_screen(&probe).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_drop_the_chats_catch_up_with_what_came_while_away_once_and_in_order() {
    let data = Scratch::new("catchup");
    let mut h = start(support::sim().await, data.path()).await;
    let flood = h.sim.with_world(|w| w.flood_group());
    open(&mut h, Peer::Group(flood)).await;
    h.until("history page in", |s| {
        s.open_chat().is_some_and(|c| c.timeline.len() > 3)
    })
    .await;
    // Another chat open: the flood group is caught up in the background, counted as unread.
    let g = member_group(&h);
    open(&mut h, Peer::Group(g)).await;
    h.flush_history();
    h.sim.refuse_for(std::time::Duration::from_millis(600));
    h.sim.drop_connections();
    h.until("reconnecting", |s| {
        !matches!(s.conn, ConnState::Connected { .. })
    })
    .await;
    // More than two pages arrive at the server while we are away (no events reach us).
    let missed = 2 * h.state.settings.history_page as u64 + 7;
    h.sim.with_world(|w| {
        for k in 0..missed {
            w.flood_message(880_000 + k);
        }
    });
    h.until("connected again", |s| {
        matches!(s.conn, ConnState::Connected { .. })
    })
    .await;
    h.until("every missed message is in", |s| {
        s.chats.get(&Peer::Group(flood)).is_some_and(|c| {
            c.timeline
                .iter()
                .filter_map(|e| e.message())
                .filter(|m| m.chain.plain_text().starts_with("PTM88"))
                .count() as u64
                == missed
        })
    })
    .await;
    h.settle(300).await;
    let chat = &h.state.chats[&Peer::Group(flood)];
    let markers: Vec<String> = chat
        .timeline
        .iter()
        .filter_map(|e| e.message())
        .map(|m| m.chain.plain_text())
        .filter(|t| t.starts_with("PTM88"))
        .map(|t| t[..9].to_string())
        .collect();
    let mut sorted = markers.clone();
    sorted.sort();
    assert_eq!(markers, sorted, "in order");
    assert_eq!(markers.len() as u64, missed, "once each");
    assert!(
        chat.unread as u64 >= missed,
        "caught-up messages count as unread: {} of {missed}",
        chat.unread
    );
    h.flush_history();
    let r = reader(data.path(), h.state.self_id);
    let ids = stored_ids(&r, Peer::Group(flood));
    assert_eq!(
        ids.len(),
        ids.iter().collect::<HashSet<_>>().len(),
        "stored once"
    );
    let stored_markers = r
        .page_before(Peer::Group(flood), None, 100_000)
        .expect("page")
        .iter()
        .filter_map(|row| row.message().map(|m| m.message.plain_text()))
        .filter(|t| t.starts_with("PTM88"))
        .count() as u64;
    assert_eq!(stored_markers, missed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_lists_hits_in_a_popup_and_enter_opens_the_message_in_its_chat() {
    let data = Scratch::new("find");
    let mut h = start(support::sim().await, data.path()).await;
    let g = member_group(&h);
    open(&mut h, Peer::Group(g)).await;
    h.until("history page in", |s| {
        s.open_chat().is_some_and(|c| c.timeline.len() > 5)
    })
    .await;
    h.type_text("找得到吗 needle-4242");
    h.enter();
    h.settle(300).await;
    h.flush_history();
    // Somewhere else, then /find.
    h.type_text("/close");
    h.enter();
    h.type_text("/find needle-4242");
    h.enter();
    h.until("hits shown", |s| match &s.popup {
        Some(Popup::Find(v)) => v.hits.count() == 1,
        _ => false,
    })
    .await;
    h.until_screen("needle-4242").await;
    h.enter();
    h.until("the chat opened at the hit", |s| {
        s.open == Some(Peer::Group(g))
            && s.selected_message()
                .is_some_and(|(_, m)| m.chain.plain_text().contains("needle-4242"))
    })
    .await;
    assert!(h.state.popup.is_none());
    // Two Chinese characters find it too (typed on the command line: the timeline has focus).
    h.type_text(":find 找得");
    h.enter();
    h.until("hits for two characters", |s| match &s.popup {
        Some(Popup::Find(v)) => v.shown().iter().any(|x| x.text.contains("needle-4242")),
        _ => false,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_history_file_is_moved_aside_with_a_message_and_a_new_one_kept() {
    let data = Scratch::new("damaged");
    let sim = support::sim().await;
    let me = sim.with_world(|w| w.self_id);
    let db = DataDir::at(data.path()).db_path(me);
    std::fs::create_dir_all(db.parent().expect("folder")).expect("folder");
    std::fs::write(&db, b"this is not a database, just some text").expect("garbage");
    let mut h = start(sim, data.path()).await;
    assert_eq!(h.state.self_id, me);
    assert!(
        h.state.status.error().is_some_and(|e| e.contains("moved")),
        "{:?}",
        h.state.status.error()
    );
    let g = member_group(&h);
    open(&mut h, Peer::Group(g)).await;
    h.settle(200).await;
    h.flush_history();
    assert!(!stored_ids(&reader(data.path(), me), Peer::Group(g)).is_empty());
    let aside = std::fs::read_dir(db.parent().expect("folder"))
        .expect("folder")
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains(".broken-"));
    assert!(aside, "the damaged file is kept aside");
}
