//! A flood of messages into the open group, drawn frame by frame through the real `Screen` and
//! encoder into a terminal emulator (vt100): what the terminal shows is exactly each frame as
//! painted (rows the diff skipped as known, rows scrolled by the terminal, the sidebar beside
//! them), the pane jumps by half its height instead of scrolling per message, and at chat speed
//! it scrolls per message again with the newest message on the pane's last row.

use std::io::Write;
use std::sync::{Arc, Mutex};

use napterm::app::keymap::Keymap;
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Msg, State};
use napterm::onebot::event::MessageType;
use napterm::onebot::{
    ClientEvent, ConnState, Event, MessageChain, MessageEvent, Peer, Role, Sender,
};
use napterm::runtime::screen::{Screen, Terminal, painted};
use napterm::ui::theme::Theme;
use napterm::ui::{Ui, buffer_lines, draw};

const ME: i64 = 10001;
const OPEN: i64 = 30001;
const SIZE: (u16, u16) = (120, 40);

#[derive(Clone)]
struct Vt(Arc<Mutex<vt100::Parser>>, Arc<Mutex<Vec<u8>>>);

impl Write for Vt {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("vt").process(buf);
        self.1.lock().expect("bytes").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("non-zero")
}

fn message(k: u64, g: i64) -> MessageEvent {
    let user = 20000 + (k % 13) as i64;
    MessageEvent {
        time: 1_795_000_000 + k as i64 / 4,
        self_id: ME,
        post_type: "message".into(),
        message_id: 1_000_000 + k as i64,
        real_seq: Some(k.to_string()),
        message_type: MessageType::Group,
        sub_type: "normal".into(),
        user_id: user,
        group_id: Some(g),
        sender: Sender {
            user_id: user,
            nickname: format!("成员{}", k % 13),
            role: Some(Role::Member),
            ..Default::default()
        },
        message: MessageChain::new().text(format!("MK{k:05} 基准测试 bench 终端渲染 你好世界 ok")),
        ..Default::default()
    }
}

fn arrive(s: &mut State, k: u64, g: i64) {
    let ev = Event::Message(Box::new(message(k, g)));
    let _ = update(s, Msg::Client(ClientEvent::Event(ev)));
}

/// Connected, 12 groups in the sidebar, the open one holding 80 messages.
fn state() -> State {
    let mut s = State::new(Settings::default(), Keymap::default_map());
    s.now = 1_795_100_000;
    let _ = update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Connected {
            self_id: ME,
            nickname: "夜航船".into(),
        })),
    );
    for g in 0..12 {
        arrive(&mut s, 90_000 + g, 30_100 + g as i64);
    }
    for k in 0..80 {
        arrive(&mut s, k, OPEN);
    }
    s.open = Some(Peer::Group(OPEN));
    s
}

struct Rig {
    state: State,
    ui: Ui,
    /// The same frames drawn on a reset buffer each time: what the held buffer must equal.
    reference: Ui,
    screen: Screen<Terminal<Vt>>,
    vt: Vt,
}

impl Rig {
    fn new() -> Rig {
        let vt = Vt(
            Arc::new(Mutex::new(vt100::Parser::new(nz(SIZE.1), nz(SIZE.0), 0))),
            Arc::new(Mutex::new(Vec::new())),
        );
        let term = Terminal::new(vt.clone(), || Ok(SIZE)).expect("terminal");
        Rig {
            state: state(),
            ui: Ui::new(Theme::default()),
            reference: Ui::new(Theme::default()),
            screen: Screen::new(term).expect("screen"),
            vt,
        }
    }

    /// One frame at `ms` on the loop's clock; the terminal must then show it exactly. Returns
    /// when the frame said the next one is due without input (`Frame::redraw_at_ms`).
    fn frame(&mut self, ms: u64) -> Option<u64> {
        self.ui.clock_ms = Some(ms);
        self.reference.clock_ms = Some(ms);
        let mut want =
            ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, SIZE.0, SIZE.1));
        let _ = draw(&self.state, &mut self.reference, &mut want);
        let (st, ui) = (&self.state, &mut self.ui);
        let mut report = None;
        let mut wake = None;
        self.screen
            .draw_held(|buf, held| {
                ui.hold(held.rect, held.stamps, held.kept);
                let mut f = draw(st, ui, buf);
                // What is said to be blank is blank.
                for (at, _) in f
                    .kept
                    .iter()
                    .filter(|(at, s)| *s == napterm::ui::kept::blank(*at))
                {
                    for y in at.top()..at.bottom() {
                        for x in at.left()..at.right() {
                            assert_eq!(buf[(x, y)], ratatui::buffer::Cell::EMPTY, "{x},{y}");
                        }
                    }
                }
                let p = painted(&mut f);
                report = Some(f.report);
                wake = f.redraw_at_ms;
                p
            })
            .expect("draw");
        if let Some(r) = report {
            let _ = update(&mut self.state, Msg::Frame(r));
        }
        let shown = buffer_lines(self.screen.shown());
        assert_eq!(
            self.terminal(),
            shown,
            "the terminal differs from the frame at {ms} ms"
        );
        // Cell for cell, styles too: the rows kept from the last frame are what a frame drawn
        // from scratch has.
        assert_eq!(
            self.screen.shown().content,
            want.content,
            "the held frame differs from one drawn from scratch at {ms} ms"
        );
        wake
    }

    fn terminal(&self) -> Vec<String> {
        let p = self.vt.0.lock().expect("vt");
        p.screen()
            .rows(0, SIZE.0)
            .map(|r| r.trim_end().to_string())
            .collect()
    }

    fn bytes(&self) -> Vec<u8> {
        std::mem::take(&mut *self.vt.1.lock().expect("bytes"))
    }

    /// The rows of the terminal showing `marker`.
    fn row_of(&self, marker: &str) -> Option<usize> {
        self.terminal().iter().position(|r| r.contains(marker))
    }
}

/// The scrolls (`CSI n S`) in `bytes`.
fn scrolls(bytes: &[u8]) -> usize {
    scrolls_by(bytes, b'S')
}

/// The scrolls `CSI n <way>` (`S` up, `T` down) in `bytes`.
fn scrolls_by(bytes: &[u8], way: u8) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i + 2 < bytes.len() {
        if bytes[i] == 0x1b && bytes[i + 1] == b'[' {
            let mut j = i + 2;
            while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b';') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == way {
                n += 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    n
}

#[test]
fn a_flood_jumps_by_half_a_pane_and_the_terminal_shows_every_frame_exactly() {
    let mut r = Rig::new();
    let mut ms = 10_000;
    r.frame(ms);
    let bottom = r.row_of("MK00079").expect("the newest message is shown");
    let _ = r.bytes();
    // 200 messages a second, a frame each.
    for k in 80..200 {
        arrive(&mut r.state, k, OPEN);
        if k % 30 == 0 {
            // Another chat moves up the sidebar and gains an unread count mid-flood.
            arrive(&mut r.state, 95_000 + k, 30_105 + (k % 4) as i64);
            // And a new one takes a row the sidebar left blank.
            arrive(&mut r.state, 96_000 + k, 31_000 + k as i64);
        }
        ms += 5;
        r.frame(ms);
        let row = r
            .row_of(&format!("MK{k:05}"))
            .expect("each message is shown");
        assert!(row <= bottom, "message {k} is below the pane");
    }
    let flood = r.bytes();
    let n = scrolls(&flood);
    // Per message that would be 120 scrolls, each repainting the sidebar beside the pane.
    assert!((1..=12).contains(&n), "{n} scrolls for 120 messages");
    // Blank rows are left under the newest message while the flood lasts...
    let last = r.row_of("MK00199").expect("shown");
    assert!(
        last < bottom,
        "the flood ended with the newest message at the bottom"
    );
    // ...and at chat speed each message scrolls the pane again, the newest on its last row.
    for k in 200..240 {
        arrive(&mut r.state, k, OPEN);
        ms += 1_000;
        r.frame(ms);
    }
    assert_eq!(r.row_of("MK00239"), Some(bottom));
    let calm = r.bytes();
    assert!(
        scrolls(&calm) >= 30,
        "{} scrolls for 40 slow messages",
        scrolls(&calm)
    );
}

/// A flood that ends leaves blank rows under its newest message only for a moment: the frame
/// says when it settles, and the frame drawn then has the newest message on the pane's last
/// row, with no frame due after it.
#[test]
fn a_flood_that_ends_settles_onto_the_pane_bottom_row() {
    use napterm::ui::timeline::SETTLE_MS;
    let mut r = Rig::new();
    let mut ms = 10_000;
    assert_eq!(r.frame(ms), None, "nothing is due in a calm pane");
    let bottom = r.row_of("MK00079").expect("shown");
    let mut wake = None;
    for k in 80..140 {
        arrive(&mut r.state, k, OPEN);
        ms += 5;
        wake = r.frame(ms);
    }
    assert!(
        r.row_of("MK00139").expect("shown") < bottom,
        "the flood jumped"
    );
    assert_eq!(wake, Some(ms + SETTLE_MS), "the settling frame is due");
    // Frames before then (a status line changing, say) keep the blank rows.
    assert_eq!(r.frame(ms + SETTLE_MS / 2), Some(ms + SETTLE_MS));
    assert!(r.row_of("MK00139").expect("shown") < bottom);
    assert_eq!(r.frame(ms + SETTLE_MS), None);
    assert_eq!(r.row_of("MK00139"), Some(bottom));
    let older = r.row_of("MK00120").expect("older rows come back above it");
    assert_eq!(older, bottom - 19);
}

/// Reading back through the history, a message at a time: the terminal scrolls the pane down
/// itself (SD), so each step writes the row that came in and the sidebar beside it, not the
/// whole pane; and it shows every frame exactly.
#[test]
fn moving_up_through_history_scrolls_the_pane_down() {
    use crossterm::event::KeyCode;
    let mut r = Rig::new();
    let mut ms = 30_000;
    r.frame(ms);
    press(&mut r.state, KeyCode::Esc);
    ms += 500;
    r.frame(ms);
    // Up to the top row, then past it: from there each step moves the pane.
    for _ in 0..60 {
        press(&mut r.state, KeyCode::Up);
        ms += 500;
        r.frame(ms);
    }
    let _ = r.bytes();
    for _ in 0..10 {
        press(&mut r.state, KeyCode::Up);
        ms += 500;
        r.frame(ms);
    }
    let moved = r.bytes();
    let downs = scrolls_by(&moved, b'T');
    assert!(downs >= 5, "{downs} scrolls down for 10 steps up");
    // A repaint of the pane's 36 rows would be thousands of bytes a step.
    assert!(
        moved.len() / 10 < 2_000,
        "{} bytes a step up",
        moved.len() / 10
    );
}

#[test]
fn without_a_clock_or_beside_nothing_the_pane_never_jumps() {
    let mut r = Rig::new();
    r.frame(0);
    let bottom = r.row_of("MK00079").expect("shown");
    r.ui.clock_ms = None;
    for k in 80..120 {
        arrive(&mut r.state, k, OPEN);
        let (st, ui) = (&r.state, &mut r.ui);
        r.screen
            .draw(|buf| painted(&mut draw(st, ui, buf)))
            .expect("draw");
        assert_eq!(r.terminal(), buffer_lines(r.screen.shown()));
        assert_eq!(r.row_of(&format!("MK{k:05}")), Some(bottom));
    }
    // The sidebar hidden: the pane spans the screen, scrolling it costs nothing more.
    r.state.sidebar.visible = false;
    let mut ms = 50_000;
    r.frame(ms);
    let bottom = r.row_of("MK00119").expect("shown");
    for k in 120..160 {
        arrive(&mut r.state, k, OPEN);
        ms += 5;
        r.frame(ms);
        assert_eq!(r.row_of(&format!("MK{k:05}")), Some(bottom));
    }
}

fn press(s: &mut State, code: crossterm::event::KeyCode) {
    let k = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
    let _ = update(s, Msg::Key(k));
}

/// Every frame the held buffer must equal one drawn from scratch (`Rig::frame` checks it):
/// through selections, a popup and the completion menu over the timeline, the sidebar hidden
/// and shown again, another chat, no chat, and a terminal too small.
#[test]
fn the_held_rows_match_a_frame_drawn_from_scratch_whatever_covers_or_moves_them() {
    use crossterm::event::KeyCode;
    let mut r = Rig::new();
    let mut ms = 10_000;
    let mut step = |r: &mut Rig, k: u64| {
        arrive(&mut r.state, k, OPEN);
        ms += 5;
        r.frame(ms);
    };
    for k in 80..100 {
        step(&mut r, k);
    }
    // A selection moving over rows the buffer holds.
    let keys: Vec<_> = {
        let chat = &r.state.chats[&Peer::Group(OPEN)];
        chat.timeline.iter().rev().take(6).map(|e| e.key).collect()
    };
    for key in &keys {
        r.state
            .chats
            .get_mut(&Peer::Group(OPEN))
            .expect("chat")
            .selected = Some(*key);
        step(&mut r, 0);
    }
    r.state
        .chats
        .get_mut(&Peer::Group(OPEN))
        .expect("chat")
        .selected = None;
    for k in 100..110 {
        step(&mut r, k);
    }
    // A popup over the timeline, and closed.
    press(&mut r.state, KeyCode::F(1));
    assert!(r.state.popup.is_some(), "F1 opens the help");
    step(&mut r, 110);
    press(&mut r.state, KeyCode::Esc);
    assert!(r.state.popup.is_none());
    step(&mut r, 111);
    // The command completion over the timeline's bottom rows, and gone.
    press(&mut r.state, KeyCode::Char('/'));
    step(&mut r, 112);
    press(&mut r.state, KeyCode::Backspace);
    step(&mut r, 113);
    // The sidebar hidden and back: the timeline's columns move.
    r.state.sidebar.visible = false;
    step(&mut r, 114);
    r.state.sidebar.visible = true;
    step(&mut r, 115);
    // Another chat, then back; then no chat (the welcome text where the timeline was).
    r.state.open = Some(Peer::Group(30_101));
    step(&mut r, 116);
    r.state.open = Some(Peer::Group(OPEN));
    step(&mut r, 117);
    r.state.open = None;
    step(&mut r, 118);
    r.state.open = Some(Peer::Group(OPEN));
    for k in 119..140 {
        step(&mut r, k);
    }
}

/// The side panes' kept rows are held in the buffer too: each frame must still equal one drawn
/// from scratch when what those rows show changes (unread badges, the list reordered, another
/// tab, a filter keeping fewer rows or none), and when something else is drawn in their place (typing
/// over the composer's hint, the `:` line over the status line).
#[test]
fn the_held_side_rows_match_a_frame_drawn_from_scratch_whatever_replaces_them() {
    use crossterm::event::KeyCode;
    use napterm::app::Pane;
    use napterm::app::state::SidebarTab;
    let mut r = Rig::new();
    let mut ms = 20_000;
    let mut frame = |r: &mut Rig| {
        ms += 5;
        r.frame(ms);
    };
    for k in 80..90 {
        arrive(&mut r.state, k, OPEN);
        frame(&mut r);
    }
    // Messages into other chats: their badges count up and the recent list reorders.
    for (i, g) in [30_101, 30_102, 30_101, 30_103].into_iter().enumerate() {
        arrive(&mut r.state, 1_000 + i as u64, g);
        frame(&mut r);
        arrive(&mut r.state, 90 + i as u64, OPEN);
        frame(&mut r);
    }
    // Typing replaces the composer's hint; erasing brings it back.
    for c in "ab".chars() {
        press(&mut r.state, KeyCode::Char(c));
        frame(&mut r);
    }
    assert!(!r.state.composer.is_empty(), "typed into the composer");
    for _ in 0..2 {
        press(&mut r.state, KeyCode::Backspace);
        frame(&mut r);
    }
    assert!(r.state.composer.is_empty());
    // The command line over the status line, and gone.
    r.state.command_line = Some("quit".into());
    frame(&mut r);
    r.state.command_line = None;
    frame(&mut r);
    // The sidebar focused: the selection moves over its rows; a filter that matches nothing
    // leaves a notice where the rows were; another tab.
    r.state.focus = Pane::Sidebar;
    frame(&mut r);
    for _ in 0..3 {
        press(&mut r.state, KeyCode::Down);
        frame(&mut r);
    }
    // Filters keeping fewer rows: the rows below the last one are left blank.
    for f in ["3010", "30111"] {
        r.state.sidebar.filter = f.into();
        frame(&mut r);
    }
    r.state.sidebar.filter = "zzzz 没有的".into();
    frame(&mut r);
    r.state.sidebar.filter.clear();
    frame(&mut r);
    for tab in [SidebarTab::Friends, SidebarTab::Groups, SidebarTab::Recent] {
        r.state.sidebar.tab = tab;
        frame(&mut r);
    }
    // The member pane beside the timeline (its border held like the sidebar's), focused, and
    // gone again.
    r.state.focus = Pane::Composer;
    r.state.members.visible = true;
    frame(&mut r);
    r.state.focus = Pane::Members;
    frame(&mut r);
    r.state.focus = Pane::Composer;
    frame(&mut r);
    r.state.members.visible = false;
    frame(&mut r);
    for k in 100..110 {
        arrive(&mut r.state, k, OPEN);
        frame(&mut r);
    }
}
