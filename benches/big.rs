//! The big account (`napterm sim --big`: 2,000 friends in 20 categories, 500 groups, 300
//! recent chats, groups of 3,000 and 2,000 members), against the simulator running in a child
//! process so that this process holds only the client:
//!
//! - socket open → complete first screen (budget ≤ 500 ms): the time from `Client::connect`
//!   to the first frame drawn with the login, the friend and group lists and the recent chats
//!   in; printed, the median of 5 connections;
//! - resident memory once both huge groups' member lists are loaded (≤ 40 MB), printed;
//! - criterion: one `@` keystroke and its frame in the 3,000-member group (≤ 2 ms), one
//!   sidebar filter keystroke and its frame (≤ 2 ms), opening the 3,000-member group's member
//!   pane and its frame (≤ 16 ms), a frame on the 好友 and 群聊 tabs and with the member pane
//!   shown.
//!
//! `cargo bench --bench big`

use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use napterm::app::keymap::Keymap;
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Msg, Pane, State};
use napterm::onebot::{Client, ConnState, ConnectOptions, Peer};
use napterm::runtime::host::RecordingHost;
use napterm::runtime::screen::{Screen, Terminal};
use napterm::runtime::{Loop, spawn_client_events, unix_now};
use napterm::sim::world::roster::{BIG_FRIENDS, BIG_GROUPS, GROUP_HUGE, GROUP_HUGE_2};
use napterm::ui::theme::Theme;
use napterm::ui::{Ui, draw};

const W: u16 = 120;
const H: u16 = 40;

/// Resident set size and its peak in kB, from /proc (Linux).
fn rss_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// `napterm sim --big` in a child process; its URL once it listens.
fn start_sim() -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let addr = format!("127.0.0.1:{port}");
    // In driver mode (--count) it says READY and floods only on GO, which never comes.
    let mut child = Command::new(env!("CARGO_BIN_EXE_napterm"))
        .args(["sim", "--big", "--listen", &addr, "--count", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("napterm sim starts");
    let out = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(out).lines();
    loop {
        match lines.next() {
            Some(Ok(l)) if l.trim() == "READY" => break,
            Some(Ok(_)) => {}
            _ => panic!("napterm sim --big did not start"),
        }
    }
    (child, format!("ws://{addr}/"))
}

type Headless = Loop<Terminal<std::io::Sink>, RecordingHost>;

/// A client of `url` drawing into nothing, as `run_tui` starts it.
fn client(url: &str) -> (Headless, State, tokio::sync::watch::Sender<bool>) {
    let (client, events) = Client::connect(ConnectOptions {
        url: url.to_string(),
        ..ConnectOptions::default()
    });
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    spawn_client_events(events, tx.clone());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let term = Terminal::new(std::io::sink(), || Ok((W, H))).expect("terminal");
    let screen = Screen::new(term).expect("screen");
    let mut lp = Loop::new(
        screen,
        RecordingHost::default(),
        Ui::new(Theme::default()),
        client,
        tx,
        rx,
        stop_rx,
    );
    let mut state = State::new(Settings::default(), Keymap::default_map());
    lp.apply(&mut state, Msg::Clock(unix_now()));
    lp.apply(&mut state, Msg::Resize(W, H));
    (lp, state, stop_tx)
}

/// Runs the loop until `cond` holds (panics after 30 s), then draws.
async fn until(lp: &mut Headless, state: &mut State, what: &str, cond: impl Fn(&State) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond(state) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        let _ = lp
            .step(state, Some(Instant::now() + Duration::from_millis(5)))
            .await;
    }
    lp.flush(state).expect("frame");
}

/// The first screen is complete: logged in, both lists and the recent chats in.
fn first_screen(s: &State) -> bool {
    matches!(s.conn, ConnState::Connected { .. })
        && s.contacts.friends.len() >= BIG_FRIENDS
        && s.contacts.groups.len() >= BIG_GROUPS
        && s.chats.values().filter(|c| c.last_activity() > 0).count() >= 30
}

fn key(s: &mut State, code: KeyCode) {
    let _ = update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

/// One frame of `s` as the loop draws it (the frame's report goes back to the state).
fn frame(s: &mut State, ui: &mut Ui, buf: &mut Buffer) {
    buf.reset();
    let f = draw(s, ui, buf);
    let _ = update(s, Msg::Frame(f.report));
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (mut sim, url) = start_sim();
    let (mut state, _stop) = rt.block_on(async {
        // Socket open → complete first screen, five fresh clients.
        let mut times = Vec::new();
        for _ in 0..5 {
            let t0 = Instant::now();
            let (mut lp, mut state, _stop) = client(&url);
            until(&mut lp, &mut state, "the first screen", first_screen).await;
            times.push(t0.elapsed());
            lp.client.stop();
        }
        times.sort();
        println!(
            "big/first_screen: socket open → complete first screen: median {:.1} ms (of {:?})",
            times[2].as_secs_f64() * 1e3,
            times
                .iter()
                .map(|t| format!("{:.1}", t.as_secs_f64() * 1e3))
                .collect::<Vec<_>>()
        );
        // The client that stays: both huge groups opened, their member lists loaded.
        let (mut lp, mut state, stop) = client(&url);
        until(&mut lp, &mut state, "the first screen", first_screen).await;
        for g in [GROUP_HUGE_2, GROUP_HUGE] {
            state.focus = Pane::Composer;
            type_text(&mut state, &format!("/open {g}"));
            lp.apply(
                &mut state,
                Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            );
            let loaded = move |s: &State| {
                s.contacts
                    .members
                    .get(&g)
                    .is_some_and(|m| m.by_id().len() >= 2_000)
            };
            until(&mut lp, &mut state, "the member list", loaded).await;
        }
        let (rss, peak) = rss_kb();
        println!(
            "big/memory: both huge groups' members loaded ({} + {}): RSS {:.1} MB, peak {:.1} MB",
            state.contacts.members[&GROUP_HUGE].by_id().len(),
            state.contacts.members[&GROUP_HUGE_2].by_id().len(),
            rss as f64 / 1024.0,
            peak as f64 / 1024.0
        );
        lp.client.stop();
        (state, stop)
    });
    let _ = sim.kill();
    let _ = sim.wait();

    let mut c = Criterion::default().configure_from_args();
    let mut ui = Ui::new(Theme::default());
    let mut buf = Buffer::empty(Rect::new(0, 0, W, H));
    assert_eq!(state.open, Some(Peer::Group(GROUP_HUGE)));
    let mut g = c.benchmark_group("big");
    g.throughput(Throughput::Elements(2));

    // `@l` then Backspace: two keystrokes, each with its frame.
    state.focus = Pane::Composer;
    type_text(&mut state, "@zh");
    frame(&mut state, &mut ui, &mut buf);
    g.bench_function("mention_keystroke_3000_members", |b| {
        b.iter(|| {
            key(&mut state, KeyCode::Char('l'));
            frame(&mut state, &mut ui, &mut buf);
            key(&mut state, KeyCode::Backspace);
            frame(&mut state, &mut ui, &mut buf);
            black_box(&state.composer.completion);
        })
    });
    key(&mut state, KeyCode::Esc);
    for _ in 0..3 {
        key(&mut state, KeyCode::Backspace);
    }

    // The sidebar's filter over 2,500 chats: a letter, then Backspace.
    state.focus = Pane::Sidebar;
    type_text(&mut state, "zh");
    frame(&mut state, &mut ui, &mut buf);
    g.bench_function("sidebar_filter_keystroke_2500_chats", |b| {
        b.iter(|| {
            key(&mut state, KeyCode::Char('a'));
            frame(&mut state, &mut ui, &mut buf);
            key(&mut state, KeyCode::Backspace);
            frame(&mut state, &mut ui, &mut buf);
            black_box(&state.sidebar.filter);
        })
    });
    key(&mut state, KeyCode::Esc);

    // A frame on the 好友 tab (2,000 friends in 20 categories) and on the 群聊 tab (500
    // groups), nothing else changed: what each message of a flood in the open chat pays
    // while such a tab is shown.
    use napterm::app::state::SidebarTab;
    g.throughput(Throughput::Elements(1));
    for (tab, name) in [
        (SidebarTab::Friends, "frame_friends_tab_2000_friends"),
        (SidebarTab::Groups, "frame_groups_tab_500_groups"),
    ] {
        state.sidebar.tab = tab;
        frame(&mut state, &mut ui, &mut buf);
        g.bench_function(name, |b| {
            b.iter(|| {
                frame(&mut state, &mut ui, &mut buf);
                black_box(&buf);
            })
        });
    }
    state.sidebar.tab = SidebarTab::Recent;
    frame(&mut state, &mut ui, &mut buf);
    // A frame with the 3,000-member group's member pane shown, nothing changed.
    key(&mut state, KeyCode::F(3));
    frame(&mut state, &mut ui, &mut buf);
    g.bench_function("frame_member_pane_3000_members", |b| {
        b.iter(|| {
            frame(&mut state, &mut ui, &mut buf);
            black_box(&buf);
        })
    });
    key(&mut state, KeyCode::F(3));
    frame(&mut state, &mut ui, &mut buf);

    // The member pane of the 3,000-member group: opened (timed) with its frame, then closed.
    state.focus = Pane::Timeline;
    g.bench_function("open_member_pane_3000_members", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                key(&mut state, KeyCode::F(3));
                frame(&mut state, &mut ui, &mut buf);
                total += t.elapsed();
                key(&mut state, KeyCode::F(3));
                frame(&mut state, &mut ui, &mut buf);
            }
            total
        })
    });
    g.finish();
    c.final_summary();
}
