//! Terminal setup and restore: raw mode, alternate screen, paste, focus and mouse reporting.
//!
//! Restored on every way out: normal exit (a guard's `Drop`), panic (a hook that restores first,
//! then prints the message), SIGTERM/SIGHUP (the loop ends normally), and around Ctrl+Z.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableBracketedPaste,
    EnableFocusChange, EnableMouseCapture, KeyboardEnhancementFlags, PopKeyboardEnhancementFlags,
    PushKeyboardEnhancementFlags,
};
use crossterm::{cursor, execute, terminal};

/// True while the terminal is in napterm's mode (so restore runs once).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Mouse capture was requested.
static MOUSE: AtomicBool = AtomicBool::new(false);
/// The keyboard enhancement flags were pushed.
static ENHANCED: AtomicBool = AtomicBool::new(false);
/// Whether the terminal speaks the kitty keyboard protocol: asked once, at the first start, by
/// [`ask_keyboard_protocol`] (asking again on resume would race the input reader for the
/// terminal's answer).
static SUPPORTS_ENHANCEMENT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Puts the terminal into napterm's mode; restores it when dropped.
pub struct TerminalGuard;

impl TerminalGuard {
    /// Enters raw mode and the alternate screen; `mouse` enables wheel and click reporting.
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        install_panic_hook();
        MOUSE.store(mouse, Ordering::SeqCst);
        enter_mode()?;
        Ok(TerminalGuard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// (Re-)enters napterm's terminal mode.
pub fn enter_mode() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(
        out,
        terminal::EnterAlternateScreen,
        EnableBracketedPaste,
        EnableFocusChange,
        cursor::Hide
    )?;
    if MOUSE.load(Ordering::SeqCst) {
        execute!(out, EnableMouseCapture)?;
    }
    // Back from a suspend: the answer is known by now (at the first start it is not asked here:
    // see `ask_keyboard_protocol`).
    if SUPPORTS_ENHANCEMENT.get() == Some(&true) {
        push_enhancement(&mut out)?;
    }
    Ok(())
}

/// Asks the terminal whether it speaks the kitty keyboard protocol, and waits for the answer:
/// at once from a terminal that answers (the query ends with a device-attributes request every
/// terminal answers), up to crossterm's bound of 2 s from one that answers nothing. Run it off
/// the loop, before the input reader starts: keys typed meanwhile wait in crossterm's queue and
/// arrive after it, none lost. The answer is kept for resuming after a suspend.
fn ask_keyboard_protocol() -> bool {
    *SUPPORTS_ENHANCEMENT
        .get_or_init(|| matches!(terminal::supports_keyboard_enhancement(), Ok(true)))
}

/// How long the first frame waits for the keyboard protocol's answer: long enough for a local
/// terminal's answer, and for the query to be on its way before any frame is (the query is
/// written from another thread, and must not land inside a frame's escape sequences).
const KEYBOARD_GRACE: std::time::Duration = std::time::Duration::from_millis(50);

/// The keyboard protocol question, asked on its own thread as the interface comes up.
pub enum KeyboardQuery {
    /// Answered within [`KEYBOARD_GRACE`].
    Answered(bool),
    /// Still waiting: the answer comes on this channel.
    Pending(std::sync::mpsc::Receiver<bool>),
}

impl KeyboardQuery {
    /// Asks, and waits at most [`KEYBOARD_GRACE`] for the answer.
    pub fn start() -> KeyboardQuery {
        let (tx, rx) = std::sync::mpsc::channel();
        let asked = std::thread::Builder::new()
            .name("keyboard-query".into())
            .spawn(move || {
                let _ = tx.send(ask_keyboard_protocol());
            });
        if asked.is_err() {
            return KeyboardQuery::Answered(false);
        }
        match rx.recv_timeout(KEYBOARD_GRACE) {
            Ok(a) => KeyboardQuery::Answered(a),
            Err(_) => KeyboardQuery::Pending(rx),
        }
    }

    /// The answer, waiting for it if need be (a blocking call).
    pub fn answer(self) -> bool {
        match self {
            KeyboardQuery::Answered(a) => a,
            KeyboardQuery::Pending(rx) => rx.recv().unwrap_or(false),
        }
    }
}

/// Turns on the disambiguated keys of the kitty keyboard protocol, so that Shift+Enter is told
/// apart from Enter; only while napterm's mode is on, and once.
pub fn enhance_keyboard() {
    if ACTIVE.load(Ordering::SeqCst) && !ENHANCED.load(Ordering::SeqCst) {
        let _ = push_enhancement(&mut io::stdout());
    }
}

fn push_enhancement(out: &mut impl Write) -> io::Result<()> {
    execute!(
        out,
        PushKeyboardEnhancementFlags(KeyboardEnhancementFlags::DISAMBIGUATE_ESCAPE_CODES)
    )?;
    ENHANCED.store(true, Ordering::SeqCst);
    Ok(())
}

/// Puts the terminal back as it was. Safe to call more than once, from any thread.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if ENHANCED.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, PopKeyboardEnhancementFlags);
    }
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(
        out,
        DisableFocusChange,
        DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Whether a job-control shell can resume napterm after a stop: it put napterm's job in a
/// process group of its own (not the session leader's, as a shell without job control, `setsid`,
/// `ssh host napterm` or a tmux pane command leave it) and gave that group the terminal.
/// Stopped without one, nothing would ever send the SIGCONT: napterm would stay stopped.
pub fn can_be_resumed() -> bool {
    // SAFETY: plain queries of our own process group, session and terminal.
    unsafe {
        let pgrp = libc::getpgrp();
        pgrp != libc::getsid(0) && libc::tcgetpgrp(libc::STDIN_FILENO) == pgrp
    }
}

/// Suspends the process like Ctrl+Z in a shell: restore, stop, and re-enter on resume. Refused
/// (with the reason) when no shell could resume it (`can_be_resumed`).
pub fn suspend() -> io::Result<()> {
    if !can_be_resumed() {
        return Err(io::Error::other(
            "没有可以用 fg 恢复它的 shell (不是从有作业控制的 shell 启动的)",
        ));
    }
    restore();
    // The whole job stops (a wrapper script in it too), as a shell's Ctrl+Z stops it: the
    // shell sees the job stopped. SIGSTOP cannot be caught; `fg` sends SIGCONT and we continue.
    // SAFETY: signalling our own process group.
    unsafe {
        libc::kill(0, libc::SIGSTOP);
    }
    enter_mode()
}

/// Writes an escape sequence (OSC etc.) straight to the terminal.
pub fn write_raw(s: &str) {
    let mut out = io::stdout();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}
