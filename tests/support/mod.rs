//! A headless napterm: the real loop, state and UI, drawing into a terminal emulator (the exact
//! bytes napterm writes, through vt100) or into ratatui's `TestBackend`, connected to
//! the simulator over loopback. Tests type keys and wait for what a user would see.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use napterm::app::keymap::Keymap;
use napterm::app::state::Settings;
use napterm::app::{Msg, State};
use napterm::onebot::{Client, ConnState, ConnectOptions};
use napterm::runtime::history::HistoryOptions;
use napterm::runtime::host::RecordingHost;
use napterm::runtime::screen::{Screen, Surface, Terminal};
use napterm::runtime::{Loop, spawn_client_events};
use napterm::sim::{Sim, SimConfig};
use napterm::store::DataDir;
use napterm::ui::Ui;
use napterm::ui::theme::{ColorMode, Theme};
use ratatui::backend::{Backend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::buffer::Cell;
use ratatui::layout::Position;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// A terminal emulator (vt100) fed with exactly the bytes napterm writes.
#[derive(Clone)]
pub struct Vt(pub Arc<Mutex<vt100::Parser>>);

impl Write for Vt {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("vt lock").process(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Starts the simulator the tests use (seed 7, no live stream).
pub async fn sim() -> Sim {
    Sim::start(SimConfig {
        seed: 7,
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts")
}

/// A `TestBackend` shared with the test so it can read the buffer while the loop owns it.
pub struct SharedBackend(pub Arc<Mutex<TestBackend>>);

impl Surface for SharedBackend {
    fn size(&mut self) -> std::io::Result<(u16, u16)> {
        let s = self
            .0
            .lock()
            .expect("lock")
            .size()
            .map_err(std::io::Error::other)?;
        Ok((s.width, s.height))
    }
    fn clear(&mut self) -> std::io::Result<()> {
        self.0
            .lock()
            .expect("lock")
            .clear()
            .map_err(std::io::Error::other)
    }
    fn scroll(&mut self, top: u16, bottom: u16, by: i32) -> std::io::Result<()> {
        let mut b = self.0.lock().expect("lock");
        let n = by.unsigned_abs() as u16;
        if by > 0 {
            b.scroll_region_up(top..bottom, n)
        } else {
            b.scroll_region_down(top..bottom, n)
        }
        .map_err(std::io::Error::other)
    }
    fn draw_diff(
        &mut self,
        prev: &Buffer,
        cur: &Buffer,
        known: napterm::runtime::diff::Known<'_>,
    ) -> std::io::Result<()> {
        // A terminal overwrites the cell after a two-column character; TestBackend does not, so
        // the cell the diff skips there is written too.
        let mut cells: Vec<(u16, u16, Cell)> = Vec::new();
        napterm::runtime::diff::diff(prev, cur, known, |x, y, c| {
            cells.push((x, y, c.clone()));
            if unicode_width::UnicodeWidthStr::width(c.symbol()) > 1 && x + 1 < cur.area.width {
                cells.push((x + 1, y, cur[(x + 1, y)].clone()));
            }
        });
        self.0
            .lock()
            .expect("lock")
            .draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
            .map_err(std::io::Error::other)
    }
    fn cursor(&mut self, p: Option<Position>, _cur: &Buffer) -> std::io::Result<()> {
        let mut b = self.0.lock().expect("lock");
        match p {
            Some(p) => {
                b.set_cursor_position(p).map_err(std::io::Error::other)?;
                b.show_cursor().map_err(std::io::Error::other)
            }
            None => b.hide_cursor().map_err(std::io::Error::other),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).expect("non-zero")
}

/// Reads what a surface shows, one string per row.
type RowReader = Box<dyn Fn() -> Vec<String>>;

/// A running client against a running simulator.
pub struct Harness {
    pub lp: Loop<Box<dyn Surface>, RecordingHost>,
    /// Reads what the surface shows, one string per row.
    rows: RowReader,
    pub state: State,
    pub sim: Sim,
    pub client: Client,
    _stop: tokio::sync::watch::Sender<bool>,
}

impl Harness {
    /// Starts a simulator (seed 7, no live stream) and a client of `w`×`h` cells connected to it,
    /// drawing into a terminal emulator.
    pub async fn start(w: u16, h: u16) -> Harness {
        Self::connect(sim().await, w, h, false).await
    }

    /// Like `start`, drawing into ratatui's `TestBackend` instead.
    pub async fn start_test_backend(w: u16, h: u16) -> Harness {
        Self::connect(sim().await, w, h, true).await
    }

    /// A client connected to an already running simulator.
    pub async fn connect(sim: Sim, w: u16, h: u16, test_backend: bool) -> Harness {
        let url = sim.url();
        let mut h = Self::build(
            sim,
            &url,
            w,
            h,
            test_backend,
            Settings::default(),
            None,
            Duration::from_secs(15),
        );
        h.until_lists_loaded().await;
        h
    }

    /// A client keeping its local history in `data` (a temporary folder), connected to `sim`
    /// (or, for an offline start, dialling `url` where nothing answers; it does not wait).
    pub fn with_history(sim: Sim, url: &str, w: u16, h: u16, data: &std::path::Path) -> Harness {
        let settings = Settings {
            history: true,
            ..Settings::default()
        };
        let opts = HistoryOptions {
            data: DataDir::at(data),
            url: url.to_string(),
        };
        Self::build(
            sim,
            url,
            w,
            h,
            false,
            settings,
            Some(opts),
            Duration::from_secs(15),
        )
    }

    /// The simulator, for the next client (this one stops; its history is committed).
    pub fn into_sim(self) -> Sim {
        let Harness { sim, lp, .. } = self;
        drop(lp);
        sim
    }

    /// Waits until the local history's writes so far are committed.
    pub fn flush_history(&self) {
        self.lp
            .history
            .as_ref()
            .expect("history on")
            .flush()
            .expect("history flushed");
    }

    /// Waits until connected with the contact lists in.
    pub async fn until_lists_loaded(&mut self) {
        self.until("connected and lists loaded", |s| {
            matches!(s.conn, ConnState::Connected { .. })
                && !s.contacts.groups.is_empty()
                && !s.contacts.friends.is_empty()
        })
        .await;
    }

    /// A client of a running simulator whose calls time out after `call_timeout`, not waited
    /// for: the test drives it from the start.
    pub fn patient(sim: Sim, w: u16, h: u16, call_timeout: Duration) -> Harness {
        let url = sim.url();
        Self::build(
            sim,
            &url,
            w,
            h,
            false,
            Settings::default(),
            None,
            call_timeout,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        sim: Sim,
        url: &str,
        w: u16,
        h: u16,
        test_backend: bool,
        settings: Settings,
        history: Option<HistoryOptions>,
        call_timeout: Duration,
    ) -> Harness {
        let (client, events) = Client::connect(ConnectOptions {
            url: url.to_string(),
            call_timeout,
            backoff_min: Duration::from_millis(50),
            backoff_max: Duration::from_millis(400),
            ..ConnectOptions::default()
        });
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        spawn_client_events(events, tx.clone());
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let (surface, rows): (Box<dyn Surface>, RowReader) = if test_backend {
            let backend = Arc::new(Mutex::new(TestBackend::new(w, h)));
            let b = backend.clone();
            let rows = move || {
                let guard = b.lock().expect("backend lock");
                napterm::ui::buffer_lines(guard.buffer())
            };
            (Box::new(SharedBackend(backend)), Box::new(rows))
        } else {
            let vt = Vt(Arc::new(Mutex::new(vt100::Parser::new(nz(h), nz(w), 0))));
            let v = vt.clone();
            let rows = move || {
                let p = v.0.lock().expect("vt lock");
                let cols = p.screen().size().1.get();
                p.screen()
                    .rows(0, cols)
                    .map(|r| r.trim_end().to_string())
                    .collect()
            };
            let term = Terminal::new(vt, move || Ok((w, h))).expect("terminal");
            (Box::new(term), Box::new(rows))
        };
        let screen = Screen::new(surface).expect("screen");
        let mut lp = Loop::new(
            screen,
            RecordingHost::default(),
            Ui::new(Theme::new(ColorMode::None)),
            client.clone(),
            tx,
            rx,
            stop_rx,
        );
        if let Some(opts) = history {
            lp.start_history(opts);
        }
        let state = State::new(settings, Keymap::default_map());
        Harness {
            lp,
            state,
            rows,
            sim,
            client,
            _stop: stop_tx,
        }
    }

    /// Runs the loop until `cond` holds (panics after 10 s, naming `what`).
    pub async fn until(&mut self, what: &str, cond: impl Fn(&State) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if cond(&self.state) {
                return;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for: {what}\nscreen:\n{}", self.screen());
            }
            let until = Instant::now() + Duration::from_millis(20);
            self.lp
                .step(&mut self.state, Some(until))
                .await
                .expect("loop step");
        }
    }

    /// Runs the loop until the screen contains `text`.
    pub async fn until_screen(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self.screen().contains(text) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {text:?} on screen:\n{}",
                    self.screen()
                );
            }
            let until = Instant::now() + Duration::from_millis(20);
            self.lp
                .step(&mut self.state, Some(until))
                .await
                .expect("loop step");
        }
    }

    /// Lets pending messages through for a moment.
    pub async fn settle(&mut self, ms: u64) {
        let end = Instant::now() + Duration::from_millis(ms);
        while Instant::now() < end {
            self.lp
                .step(&mut self.state, Some(end))
                .await
                .expect("loop step");
        }
    }

    /// Sends one key.
    pub fn key(&self, code: KeyCode, mods: KeyModifiers) {
        self.lp
            .tx
            .send(Msg::Key(KeyEvent::new(code, mods)))
            .expect("loop alive");
    }

    /// Types text key by key.
    pub fn type_text(&self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    /// Presses Enter.
    pub fn enter(&self) {
        self.key(KeyCode::Enter, KeyModifiers::NONE);
    }

    /// Presses Esc.
    pub fn esc(&self) {
        self.key(KeyCode::Esc, KeyModifiers::NONE);
    }

    /// Sends a bracketed paste.
    pub fn paste(&self, s: &str) {
        self.lp.tx.send(Msg::Paste(s.into())).expect("loop alive");
    }

    /// The screen as text (draws first), one line per row: what a terminal shows.
    pub fn screen(&mut self) -> String {
        let _ = self.lp.flush(&mut self.state);
        let mut out = String::new();
        for row in (self.rows)() {
            out.push_str(&row);
            out.push('\n');
        }
        out
    }

    /// What the surface shows now, one string per row, as the loop last drew it (not drawing).
    pub fn shown(&self) -> Vec<String> {
        (self.rows)()
    }

    /// Actions the simulator received since `clear_calls`, with their params.
    pub fn calls(&self, action: &str) -> Vec<serde_json::Value> {
        self.sim
            .calls()
            .into_iter()
            .filter(|c| c.action == action)
            .map(|c| c.params)
            .collect()
    }
}
