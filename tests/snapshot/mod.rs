//! What the snapshot tests share: a pinned time zone and a state drawn as plain text.

use napterm::app::State;
use napterm::ui::theme::{ColorMode, Theme};
use napterm::ui::{Ui, buffer_lines, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Snapshots show clock times: pin the zone (a POSIX TZ string needs no tz database).
pub fn utc() {
    // SAFETY: every test sets the same value before reading it; nothing else reads TZ.
    unsafe { std::env::set_var("TZ", "UTC0") };
}

/// `state` drawn at `w`×`h` into ratatui's TestBackend, without colours, as text.
pub fn render(state: &State, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let mut ui = Ui::new(Theme::new(ColorMode::None));
    term.draw(|f| {
        draw(state, &mut ui, f.buffer_mut());
    })
    .expect("draw");
    let mut out = buffer_lines(term.backend().buffer()).join("\n");
    out.push('\n');
    out
}
