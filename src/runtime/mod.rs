//! The loop: one channel of `Msg`s → `update` → effects → redraw on demand, coalesced.
//!
//! It awaits the next message (or the next timer the state asks for), drains whatever else is
//! already waiting, runs the effects, and draws as soon as the batch is applied — unless the
//! last frame is too recent (a flood), when the frame waits for the end of the pacing gap
//! (`pace`). Never on a fixed tick, so an idle client does not wake up.

pub mod audit;
pub mod diff;
pub mod editor;
pub mod encode;
pub mod esc_prefix;
pub mod exec;
pub mod fetch;
pub mod graphics;
pub mod history;
pub mod host;
pub mod persist;
pub mod picture;
pub mod screen;
pub mod term_size;
pub mod terminal;
pub mod transfer;

use std::io;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::app::drafts::Session;
use crate::app::keymap::Keymap;
use crate::app::msg::Failure;
use crate::app::state::Settings;
use crate::app::stored::StoreEvent;
use crate::app::update::update;
use crate::app::{Effect, Msg, State};
use crate::onebot::{Client, ClientEvent, ConnState};
use crate::ui::theme::Theme;
use crate::ui::{Ui, draw};

use host::Host;
use screen::{Screen, Surface};

/// Shortest time between two frames: a message arriving later than this after the last frame
/// is drawn at once.
pub const MIN_GAP: Duration = Duration::from_millis(2);
/// Longest pacing gap, however slow a frame is (≈ 60 fps at least under a flood).
pub const MAX_GAP: Duration = Duration::from_millis(16);
/// Under a flood, drawing takes at most 1/PACE_SHARE of the loop's time.
const PACE_SHARE: u32 = 4;

/// The gap to keep after a frame that took `cost` to draw: `MIN_GAP`, or more when frames are
/// slow, so that a flood is drawn in batches and drawing never takes more than a quarter of
/// the time.
pub fn pace(cost: Duration) -> Duration {
    (cost * PACE_SHARE).clamp(MIN_GAP, MAX_GAP)
}

/// How the interactive client runs.
pub struct Options {
    pub settings: Settings,
    pub keymap: Keymap,
    pub theme: Theme,
    pub mouse: bool,
    pub bell: bool,
    /// The notification sequence to send (None: none).
    pub osc: Option<host::Osc>,
    /// Where drafts and the open chat are kept between runs (None: not kept).
    pub session: Option<PathBuf>,
    /// Where moderation actions are logged (None: not logged).
    pub audit: Option<PathBuf>,
    /// The local history (None: none is kept).
    pub history: Option<history::HistoryOptions>,
    /// Shown in the status line at start (stderr is hidden behind the full screen).
    pub warnings: Vec<String>,
    /// The picture disk cache's folder and bound in bytes (None: pictures kept in memory only).
    pub media: Option<(PathBuf, u64)>,
    /// Where saves go, what plays voices.
    pub transfers: transfer::TransferOptions,
    /// `[images] protocol`.
    pub image_protocol: crate::config::ImageProtocol,
}

/// Everything the loop works with besides the state.
pub struct Loop<S: Surface, H: Host> {
    pub screen: Screen<S>,
    pub host: H,
    pub ui: Ui,
    pub client: Client,
    pub tx: UnboundedSender<Msg>,
    pub rx: UnboundedReceiver<Msg>,
    pub bell: bool,
    /// The notification sequence to send (None: none).
    pub osc: Option<host::Osc>,
    pub session: Option<PathBuf>,
    /// The moderation audit log (None: not kept).
    pub audit: Option<PathBuf>,
    /// Ends the loop from outside (signals).
    pub stop: tokio::sync::watch::Receiver<bool>,
    last_draw: Option<Instant>,
    /// How long after `last_draw` the next frame may be drawn (`pace` of its cost).
    gap: Duration,
    dirty: bool,
    /// When the last frame said the screen changes by itself (`ui::Frame::redraw_at_ms`).
    ui_wake: Option<Instant>,
    /// The calls under way (finished ones are reaped each turn; at quit those left are given
    /// `QUIT_WAIT` to be answered, so a message sent or a chat read just before is not lost).
    calls: tokio::task::JoinSet<()>,
    /// Writes `session` in the background (started with the first save).
    writer: Option<persist::Writer>,
    /// The session file as it was read at start, for the writer to know what is on disk.
    on_disk: Option<persist::Saved>,
    /// Pauses the terminal input reader while another program has the terminal (None: no
    /// reader to pause, as in tests).
    pub input: Option<InputPause>,
    /// An editor to run once the current batch's effects are done (`Effect::Edit`).
    pending_edit: Option<(Option<crate::onebot::Peer>, String)>,
    /// The local history service (None: no history is kept).
    pub history: Option<history::HistoryService>,
    /// Produces pictures' cells (memory only until `start_pictures` gives it a disk cache).
    pub pictures: picture::PictureService,
    /// Saves, uploads and voices in flight.
    pub transfers: transfer::Transfers,
}

/// The switch that stops the input reader (true) and starts it again (false), and whether it
/// is reading: the editor must not start while the reader can still take its keys.
pub struct InputPause {
    pub pause: tokio::sync::watch::Sender<bool>,
    pub reading: tokio::sync::watch::Receiver<bool>,
    /// The terminal's size as the reader last saw it.
    pub size: term_size::TermSize,
}

/// True while an editor has the terminal: Ctrl+C and Ctrl+Z typed there reach napterm too
/// (one process group), and must not quit it or leave it waiting on a stopped editor.
static EDITING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// How long quitting waits for the calls still under way while connected (a send, the last
/// read mark): most are answered in milliseconds.
const QUIT_WAIT: Duration = Duration::from_millis(1500);

/// When the loop's clock started.
fn clock_start() -> Instant {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// Milliseconds since the loop's clock started (the UI tells a flood of messages by it).
fn clock_ms() -> u64 {
    clock_start().elapsed().as_millis() as u64
}

/// The instant of a time on that clock.
fn clock_instant(ms: u64) -> Instant {
    clock_start() + Duration::from_millis(ms)
}

/// Unix time now.
pub fn unix_now() -> i64 {
    crate::onebot::event::now_secs()
}

/// When the state next needs a redraw without any input (status expiry, countdowns).
fn next_timer(state: &State) -> Option<Instant> {
    let now = state.now;
    let mut best: Option<i64> = None;
    let mut consider = |t: i64| {
        if t > 0 {
            best = Some(best.map_or(t, |b: i64| b.min(t)));
        }
    };
    consider(state.status.until);
    for (_, until) in state.typing.values() {
        consider(*until);
    }
    if matches!(state.conn, ConnState::Reconnecting { .. }) {
        consider(now + 1);
    }
    best.map(|t| Instant::now() + Duration::from_secs((t - now).max(1) as u64))
}

impl<S: Surface, H: Host> Loop<S, H> {
    /// A loop over these parts; `tx` feeds `rx` (calls send their results there).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        screen: Screen<S>,
        host: H,
        ui: Ui,
        client: Client,
        tx: UnboundedSender<Msg>,
        rx: UnboundedReceiver<Msg>,
        stop: tokio::sync::watch::Receiver<bool>,
    ) -> Self {
        let pictures_client = client.clone();
        Loop {
            screen,
            host,
            ui,
            client,
            rx,
            bell: true,
            osc: Some(host::Osc::Nine),
            session: None,
            audit: None,
            stop,
            last_draw: None,
            gap: MIN_GAP,
            dirty: true,
            ui_wake: None,
            calls: tokio::task::JoinSet::new(),
            writer: None,
            on_disk: None,
            input: None,
            pending_edit: None,
            history: None,
            pictures: picture::PictureService::new(tx.clone(), pictures_client, None),
            tx,
            transfers: transfer::Transfers::new(transfer::TransferOptions::default()),
        }
    }

    /// Starts keeping the local history (the app opens an account's store through it).
    pub fn start_history(&mut self, opts: history::HistoryOptions) {
        match history::HistoryService::start(opts, self.tx.clone()) {
            Ok(s) => self.history = Some(s),
            Err(e) => tracing::warn!("history service did not start: {e}"),
        }
    }

    /// Runs until the app quits or `stop` fires, then saves the session.
    pub async fn run(&mut self, state: &mut State) -> io::Result<()> {
        while self.step(state, None).await? {}
        if matches!(state.conn, ConnState::Connected { .. }) {
            let calls = &mut self.calls;
            let answered = async { while calls.join_next().await.is_some() {} };
            let _ = tokio::time::timeout(QUIT_WAIT, answered).await;
        }
        self.save(state.session());
        if let Some(w) = self.writer.take() {
            w.finish().await;
        }
        if let Some(h) = self.history.take() {
            // Commits what is still batched (a short wait, once, at exit).
            h.stop();
        }
        Ok(())
    }

    /// How many of the calls started are not answered yet.
    pub fn calls_under_way(&mut self) -> usize {
        while self.calls.try_join_next().is_some() {}
        self.calls.len()
    }

    /// Applies one message at once and performs its effects (what the runtime learns itself:
    /// the start-up time, size and session, what a frame showed).
    pub fn apply(&mut self, state: &mut State, msg: Msg) {
        for e in update(state, msg) {
            self.perform(e);
        }
    }

    /// One turn: draw if due, wait for a message, a timer or `until`, update, perform effects.
    /// Returns false when the loop should end.
    pub async fn step(&mut self, state: &mut State, until: Option<Instant>) -> io::Result<bool> {
        if self.dirty {
            let due = self.last_draw.map(|t| t + self.gap);
            let start = Instant::now();
            if due.is_none_or(|d| start >= d) {
                // The frame's cost is the CPU it took, not the wall time: a frame preempted by
                // another process must not hold back the next message.
                let cpu = thread_cpu();
                self.draw(state)?;
                self.gap = pace(thread_cpu().saturating_sub(cpu));
                self.last_draw = Some(start);
                self.dirty = false;
            }
        }
        let draw_at = if self.dirty {
            self.last_draw.map(|t| t + self.gap)
        } else {
            None
        };
        let timer = next_timer(state);
        let wake = [draw_at, timer, self.ui_wake, until]
            .into_iter()
            .flatten()
            .min();
        let msg = tokio::select! {
            m = self.rx.recv() => match m {
                Some(m) => Some(m),
                None => return Ok(false),
            },
            _ = sleep_until(wake) => None,
            _ = self.stop.changed() => return Ok(false),
        };
        let mut effects = Vec::new();
        // The time reaches the state before the batch that happens at it (and what depends on
        // it, a status line's expiry or a countdown, is drawn again).
        let now = unix_now();
        if now != state.now {
            effects.extend(update(state, Msg::Clock(now)));
            self.dirty = true;
        }
        match msg {
            Some(m) => {
                effects.extend(update(state, m));
                // Drain what is already waiting, so a burst costs one frame.
                for _ in 0..4096 {
                    match self.rx.try_recv() {
                        Ok(m) => effects.extend(update(state, m)),
                        Err(_) => break,
                    }
                }
                self.dirty = true;
            }
            None => {
                let now = Instant::now();
                if timer.is_some_and(|t| now >= t) {
                    self.dirty = true;
                }
                if self.ui_wake.is_some_and(|t| now >= t) {
                    self.ui_wake = None;
                    self.dirty = true;
                }
            }
        }
        for e in effects {
            self.perform(e);
        }
        if let Some((peer, text)) = self.pending_edit.take() {
            self.edit(state, peer, text).await;
        }
        Ok(!state.quit)
    }

    /// Runs the editor on `text` with the terminal handed over as around Ctrl+Z, then gives
    /// the app what it left (or why not).
    async fn edit(&mut self, state: &mut State, peer: Option<crate::onebot::Peer>, text: String) {
        use std::sync::atomic::Ordering;
        if let Some(input) = &mut self.input {
            let _ = input.pause.send(true);
            let stopped = input.reading.wait_for(|r| !*r);
            let _ = tokio::time::timeout(Duration::from_secs(2), stopped).await;
        }
        self.host.leave_terminal();
        EDITING.store(true, Ordering::SeqCst);
        let program = editor::from_env();
        let mut result = editor::edit(&program, &std::env::temp_dir(), &text).await;
        EDITING.store(false, Ordering::SeqCst);
        if let Err(e) = self.host.enter_terminal() {
            result = Err(format!("无法恢复终端: {e}"));
        }
        if let Some(input) = &self.input {
            let _ = input.pause.send(false);
            input.size.forget();
        }
        self.screen.invalidate();
        self.dirty = true;
        self.apply(state, Msg::Edited { peer, result });
    }

    /// Draws now if anything changed (tests call this to see the latest state on screen).
    pub fn flush(&mut self, state: &mut State) -> io::Result<()> {
        self.draw(state)?;
        self.last_draw = Some(Instant::now());
        self.dirty = false;
        Ok(())
    }

    fn draw(&mut self, state: &mut State) -> io::Result<()> {
        self.ui.clock_ms = Some(clock_ms());
        let mut frame = None;
        let ui = &mut self.ui;
        let st: &State = state;
        self.screen.draw_held(|buf, held| {
            ui.hold(held.rect, held.stamps, held.kept);
            let mut f = draw(st, ui, buf);
            let painted = screen::painted(&mut f);
            frame = Some(f);
            painted
        })?;
        if let Some(f) = frame {
            self.ui_wake = f.redraw_at_ms.map(clock_instant);
            self.apply(state, Msg::Frame(f.report));
        }
        let area = self.screen.area();
        if state.size != (area.width, area.height) {
            self.apply(state, Msg::Resize(area.width, area.height));
        }
        Ok(())
    }

    fn perform(&mut self, e: Effect) {
        match e {
            Effect::Call(c) => {
                while self.calls.try_join_next().is_some() {}
                exec::spawn_call(&self.client, c, &self.tx, &mut self.calls);
            }
            Effect::Notify { title, body } => self.host.notify(&title, &body, self.bell, self.osc),
            Effect::Title(t) => self.host.set_title(&t),
            Effect::Copy(t) => self.host.copy(&t),
            Effect::Open(url) => {
                if let Err(why) = self.host.open(&url) {
                    self.failed(Failure::Open(why));
                }
            }
            Effect::Audit(entry) => {
                if let Some(path) = &self.audit
                    && let Err(e) = audit::append(path, &entry)
                {
                    tracing::warn!("could not write the audit log {}: {e}", path.display());
                    let path = path.display().to_string();
                    self.failed(Failure::Audit {
                        path,
                        reason: e.to_string(),
                    });
                }
            }
            Effect::SaveSession(session) => self.save(session),
            Effect::Redraw => self.screen.invalidate(),
            Effect::Picture(job) => self.pictures.perform(job),
            Effect::SendPicture { peer, path } => self.pictures.send(peer, path),
            Effect::UploadPicture {
                peer,
                local_id,
                chain,
            } => self.pictures.upload(peer, local_id, chain),
            Effect::CancelUpload { local_id } => self.pictures.cancel_upload(local_id),
            Effect::AliasPicture { from, to } => self.pictures.alias(from, to),
            Effect::Save(job) => self.transfers.save(job, &self.client, &self.tx),
            Effect::Upload(job) => self.transfers.upload(job, &self.client, &self.tx),
            Effect::CancelTransfer(id) => self.transfers.cancel(id, &self.tx),
            Effect::ListDir(dir) => transfer::list_dir(dir, &self.tx),
            Effect::OpenFile(path) => {
                if let Err(why) = self.host.open_file(&path) {
                    self.failed(Failure::Open(why));
                }
            }
            Effect::EnhanceKeyboard => self.host.enhance_keyboard(),
            Effect::Reconnect => self.client.reconnect_now(),
            Effect::Continue(step) => {
                let _ = self.tx.send(Msg::Continue(step));
            }
            Effect::Edit { peer, text } => self.pending_edit = Some((peer, text)),
            Effect::Suspend => {
                if let Err(e) = self.host.suspend() {
                    self.failed(Failure::Suspend(e.to_string()));
                }
                // The terminal may have been resized meanwhile, with nobody to see it.
                if let Some(input) = &self.input {
                    input.size.forget();
                }
                self.screen.invalidate();
            }
            Effect::OpenStore { account } => match &self.history {
                Some(h) => h.open(account),
                None => {
                    let _ = self.tx.send(Msg::Store(StoreEvent::Unavailable {
                        account,
                        reason: "本地记录未启用".into(),
                    }));
                }
            },
            Effect::Store(w) => {
                if let Some(h) = &self.history {
                    h.write(w);
                }
            }
            Effect::StoreRead(r) => {
                if let Some(h) = &self.history {
                    h.read(r);
                }
            }
        }
    }

    /// Reports a failed effect back to the app (it says so in the status line).
    fn failed(&self, f: Failure) {
        let _ = self.tx.send(Msg::Failed(f));
    }

    /// Saves the session in the background, if it is kept.
    fn save(&mut self, session: Session) {
        let Some(path) = &self.session else {
            return;
        };
        let on_disk = &mut self.on_disk;
        let writer = self.writer.get_or_insert_with(|| {
            persist::Writer::spawn(
                path.clone(),
                on_disk.take().unwrap_or_default(),
                self.tx.clone(),
            )
        });
        writer.save(persist::Saved::new(&session));
    }
}

/// CPU time this thread has used.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which lives for the call.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(
        ts.tv_sec.max(0) as u64,
        ts.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

async fn sleep_until(when: Option<Instant>) {
    match when {
        Some(t) => tokio::time::sleep_until(t.into()).await,
        None => std::future::pending().await,
    }
}

/// Turns terminal input into messages until the terminal closes. First the keyboard protocol's
/// answer, whenever it comes: the loop and its frames do not wait for it, and the reader starts
/// once it is in (crossterm's query and its reader cannot both read the terminal). While paused
/// (an editor has the terminal) the reader is dropped, so that it takes none of the editor's keys.
fn spawn_input(
    tx: UnboundedSender<Msg>,
    keyboard: terminal::KeyboardQuery,
    size: term_size::TermSize,
) -> InputPause {
    use crossterm::event::Event;
    let (pause, mut paused) = tokio::sync::watch::channel(false);
    let (reading_tx, reading) = tokio::sync::watch::channel(false);
    let seen = size.clone();
    tokio::spawn(async move {
        let size = seen;
        let supported = tokio::task::spawn_blocking(move || keyboard.answer())
            .await
            .unwrap_or(false);
        if tx.send(Msg::KeyboardProtocol(supported)).is_err() {
            return;
        }
        loop {
            if paused.wait_for(|p| !*p).await.is_err() {
                return;
            }
            let mut events = crossterm::event::EventStream::new();
            // A resize while nobody read the terminal came as no event.
            size.forget();
            let _ = reading_tx.send(true);
            loop {
                let ev = tokio::select! {
                    ev = events.next() => ev,
                    changed = paused.changed() => {
                        if changed.is_err() {
                            return;
                        }
                        if *paused.borrow() {
                            break;
                        }
                        continue;
                    }
                };
                let batch = match ev {
                    // With the keyboard protocol on, Alt keys come unambiguous: nothing to mend.
                    Some(Ok(Event::Key(k))) if !supported && esc_prefix::starts(&k) => {
                        esc_batch(k, &mut events)
                    }
                    ev => vec![ev],
                };
                for ev in batch {
                    let msg = match ev {
                        Some(Ok(Event::Key(k))) => Msg::Key(k),
                        Some(Ok(Event::Paste(s))) => Msg::Paste(s),
                        Some(Ok(Event::Mouse(m))) => Msg::Mouse(m),
                        Some(Ok(Event::Resize(w, h))) => {
                            size.set(w, h);
                            Msg::Resize(w, h)
                        }
                        Some(Ok(Event::FocusGained)) => Msg::FocusChanged(true),
                        Some(Ok(Event::FocusLost)) => Msg::FocusChanged(false),
                        Some(Err(e)) => {
                            tracing::warn!("terminal input failed: {e}");
                            return;
                        }
                        None => return,
                    };
                    if tx.send(msg).is_err() {
                        return;
                    }
                }
            }
            drop(events);
            let _ = reading_tx.send(false);
        }
    });
    InputPause {
        pause,
        reading,
        size,
    }
}

/// What the input stream gave.
type Input = Option<io::Result<crossterm::event::Event>>;

/// An Esc and the input that came with it, already read: the Alt key they spell (see
/// [`esc_prefix`]), else each as it came. Nothing waits: only what is there now is taken.
fn esc_batch(
    esc: crossterm::event::KeyEvent,
    events: &mut crossterm::event::EventStream,
) -> Vec<Input> {
    use crossterm::event::Event;
    use futures_util::FutureExt;
    let mut keys = Vec::new();
    let mut rest = None;
    // Polled only when an event is there: a stream polled empty outside the runtime would
    // hand its wake-up to a waker nobody listens to.
    while esc_prefix::wants_more(&keys)
        && matches!(crossterm::event::poll(Duration::ZERO), Ok(true))
    {
        match events.next().now_or_never() {
            Some(Some(Ok(Event::Key(k)))) => keys.push(k),
            Some(other) => {
                rest = Some(other);
                break;
            }
            None => break,
        }
    }
    let mut batch: Vec<Input> = match esc_prefix::mend(&keys) {
        Some(k) => vec![Some(Ok(Event::Key(k)))],
        None => std::iter::once(esc)
            .chain(keys)
            .map(|k| Some(Ok(Event::Key(k))))
            .collect(),
    };
    batch.extend(rest);
    batch
}

/// How long the exit waits for the connection to close (a close frame sent and flushed).
const CLOSE_WAIT: Duration = Duration::from_millis(1500);

/// Forwards connection reports into the loop.
pub fn spawn_client_events(mut events: UnboundedReceiver<ClientEvent>, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        while let Some(ev) = events.recv().await {
            if tx.send(Msg::Client(ev)).is_err() {
                break;
            }
        }
    });
}

/// Ends the loop on SIGTERM, SIGHUP (a dropped SSH session) and SIGINT; turns SIGTSTP into a
/// suspend that restores the terminal first.
fn spawn_signals(stop: tokio::sync::watch::Sender<bool>, tx: UnboundedSender<Msg>) {
    use tokio::signal::unix::{SignalKind, signal};
    tokio::spawn(async move {
        let Ok(mut tstp) = signal(SignalKind::from_raw(libc::SIGTSTP)) else {
            return;
        };
        while tstp.recv().await.is_some() {
            if EDITING.load(std::sync::atomic::Ordering::SeqCst) {
                // The editor was suspended (its Ctrl+Z reaches the whole group): stop with it,
                // so that the shell gets the terminal back; `fg` continues both.
                // SAFETY: raising a signal on ourselves.
                unsafe {
                    libc::raise(libc::SIGSTOP);
                }
                continue;
            }
            if tx.send(Msg::SuspendSignal).is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
        ) else {
            return;
        };
        loop {
            tokio::select! {
                _ = term.recv() => {},
                _ = hup.recv() => {},
                _ = int.recv() => {
                    // Ctrl+C in the editor is the editor's.
                    if EDITING.load(std::sync::atomic::Ordering::SeqCst) {
                        continue;
                    }
                },
            }
            break;
        }
        let _ = stop.send(true);
    });
}

/// A cell's size in pixels, as the terminal reports it (10×20 when it does not).
fn cell_pixels() -> (u32, u32) {
    match crossterm::terminal::window_size() {
        Ok(s) if s.width > 0 && s.height > 0 && s.columns > 0 && s.rows > 0 => (
            u32::from(s.width / s.columns).max(1),
            u32::from(s.height / s.rows).max(1),
        ),
        _ => (10, 20),
    }
}

/// Runs the interactive client on the real terminal.
pub async fn run_tui(
    client: Client,
    events: UnboundedReceiver<ClientEvent>,
    opts: Options,
) -> io::Result<()> {
    let guard = terminal::TerminalGuard::enter(opts.mouse)?;
    // Before the keyboard question, so the two never read the terminal at once; bounded.
    let gfx = graphics::detect(opts.image_protocol);
    let keyboard = terminal::KeyboardQuery::start();
    let out = io::BufWriter::with_capacity(1 << 16, io::stdout());
    let size = term_size::TermSize::default();
    let screen = Screen::new(screen::Terminal::new(out, {
        let size = size.clone();
        move || size.get()
    })?)?;
    let (tx, rx) = unbounded_channel();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let input = spawn_input(tx.clone(), keyboard, size.clone());
    spawn_client_events(events, tx.clone());
    spawn_signals(stop_tx, tx.clone());
    let mut state = State::new(opts.settings, opts.keymap);
    let size = screen.area();
    let mut lp = Loop::new(
        screen,
        host::TerminalHost,
        Ui::new(opts.theme),
        client.clone(),
        tx,
        rx,
        stop_rx,
    );
    lp.bell = opts.bell;
    lp.osc = opts.osc;
    lp.session = opts.session;
    lp.transfers = transfer::Transfers::new(opts.transfers);
    lp.audit = opts.audit;
    lp.input = Some(input);
    if let Some(h) = opts.history {
        lp.start_history(h);
    }
    if let Some((dir, cap)) = opts.media {
        lp.pictures = picture::PictureService::new(
            lp.tx.clone(),
            lp.client.clone(),
            Some(picture::cache::DiskCache::new(dir, cap)),
        );
    }
    if let Some(p) = lp.pictures.use_graphics(gfx, cell_pixels()) {
        lp.screen.layer = Some(graphics::Layer::new(gfx, p));
    }
    lp.apply(&mut state, Msg::Clock(unix_now()));
    lp.apply(&mut state, Msg::Resize(size.width, size.height));
    if let Some(p) = &lp.session {
        let saved = persist::load(p);
        let session = saved.session();
        lp.on_disk = Some(saved);
        lp.apply(&mut state, Msg::Restore(session));
    }
    lp.apply(&mut state, Msg::PictureProtocol(gfx.name()));
    for w in opts.warnings {
        lp.apply(&mut state, Msg::Warning(w));
    }
    // Lets tests check the terminal is restored when the client panics (debug builds only).
    #[cfg(debug_assertions)]
    if std::env::var_os("NAPTERM_DEBUG_PANIC").is_some() {
        lp.flush(&mut state)?;
        panic!("NAPTERM_DEBUG_PANIC: deliberate panic while the interface is up");
    }
    let result = lp.run(&mut state).await;
    client.stop();
    drop(guard);
    // The terminal is back; NapCat is told the client leaves (bounded by the close's own grace).
    client.close(CLOSE_WAIT).await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_paced_only_when_they_are_slow() {
        // A cheap frame: the next may follow after the shortest gap.
        assert_eq!(pace(Duration::ZERO), MIN_GAP);
        assert_eq!(pace(Duration::from_micros(300)), MIN_GAP);
        // A slow one: drawing keeps to a quarter of the time.
        assert_eq!(pace(Duration::from_millis(1)), Duration::from_millis(4));
        // However slow, a flood is still drawn about 60 times a second.
        assert_eq!(pace(Duration::from_millis(40)), MAX_GAP);
    }

    #[test]
    fn thread_cpu_time_moves_forward() {
        let a = thread_cpu();
        let mut x = 0u64;
        for i in 0..2_000_000u64 {
            x = std::hint::black_box(x.wrapping_add(i));
        }
        assert!(thread_cpu() >= a, "{x}");
    }
}
