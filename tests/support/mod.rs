//! A headless napterm: the real loop, state and UI, drawing into a `TestBackend`, connected to
//! the simulator over loopback. Tests type keys and wait for what a user would see.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use napterm::app::keymap::Keymap;
use napterm::app::state::Settings;
use napterm::app::{Msg, State};
use napterm::onebot::{Client, ConnState, ConnectOptions};
use napterm::runtime::host::RecordingHost;
use napterm::runtime::screen::Screen;
use napterm::runtime::{Loop, spawn_client_events};
use napterm::sim::{Sim, SimConfig};
use napterm::ui::Ui;
use napterm::ui::theme::{ColorMode, Theme};
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

/// A `TestBackend` that behaves like a terminal with wide characters: printing a two-column
/// character also overwrites the cell after it (ratatui's diff relies on that and skips it).
pub struct Term(pub TestBackend);

impl Backend for Term {
    type Error = std::convert::Infallible;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let area = self.0.buffer().area;
        let mut cells: Vec<(u16, u16, Cell)> = Vec::new();
        for (x, y, c) in content {
            cells.push((x, y, c.clone()));
            let w = unicode_width::UnicodeWidthStr::width(c.symbol());
            for dx in 1..w as u16 {
                if x + dx < area.width {
                    cells.push((x + dx, y, Cell::default()));
                }
            }
        }
        self.0.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.0.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> Result<(), Self::Error> {
        self.0.set_cursor_position(p)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.clear()
    }
    fn clear_region(&mut self, t: ClearType) -> Result<(), Self::Error> {
        self.0.clear_region(t)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.0.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.0.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush()
    }
    fn scroll_region_up(&mut self, r: std::ops::Range<u16>, n: u16) -> Result<(), Self::Error> {
        self.0.scroll_region_up(r, n)
    }
    fn scroll_region_down(&mut self, r: std::ops::Range<u16>, n: u16) -> Result<(), Self::Error> {
        self.0.scroll_region_down(r, n)
    }
}

/// A running client against a running simulator.
pub struct Harness {
    pub lp: Loop<Term, RecordingHost>,
    pub state: State,
    pub sim: Sim,
    pub client: Client,
    _stop: tokio::sync::watch::Sender<bool>,
}

impl Harness {
    /// Starts a simulator (seed 7, no live stream) and a client of `w`×`h` cells connected to it.
    pub async fn start(w: u16, h: u16) -> Harness {
        let sim = Sim::start(SimConfig {
            seed: 7,
            ..SimConfig::default()
        })
        .await
        .expect("simulator starts");
        Self::connect(sim, w, h).await
    }

    /// A client connected to an already running simulator.
    pub async fn connect(sim: Sim, w: u16, h: u16) -> Harness {
        let (client, events) = Client::connect(ConnectOptions {
            url: sim.url(),
            backoff_min: Duration::from_millis(50),
            backoff_max: Duration::from_millis(400),
            ..ConnectOptions::default()
        });
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        spawn_client_events(events, tx.clone());
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let screen = Screen::new(Term(TestBackend::new(w, h))).expect("screen");
        let lp = Loop::new(
            screen,
            RecordingHost::default(),
            Ui::new(Theme::new(ColorMode::None)),
            client.clone(),
            tx,
            rx,
            stop_rx,
        );
        let state = State::new(Settings::default(), Keymap::default_map());
        let mut h = Harness {
            lp,
            state,
            sim,
            client,
            _stop: stop_tx,
        };
        h.until("connected and lists loaded", |s| {
            matches!(s.conn, ConnState::Connected { .. })
                && !s.contacts.groups.is_empty()
                && !s.contacts.friends.is_empty()
        })
        .await;
        h
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

    /// The screen as text (draws first), one line per row.
    pub fn screen(&mut self) -> String {
        let _ = self.lp.flush(&mut self.state);
        let buf = self.lp.screen.backend().0.buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                out.push_str(sym);
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            }
            out.push('\n');
        }
        out
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
