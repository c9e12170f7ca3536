//! The `:` command line: typing a command from any pane, and running it on Enter.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::commands;
use super::effect::Effect;
use super::input::printable;
use super::state::State;

/// Handles a key while the command line is open.
pub fn key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    let Some(line) = state.command_line.as_mut() else {
        return;
    };
    if let Some(c) = printable(&key) {
        line.push(c);
        // Editing after a failed command: the old reason no longer applies.
        state.status.clear_error();
        return;
    }
    match key.code {
        KeyCode::Backspace if line.pop().is_none() => state.command_line = None,
        KeyCode::Backspace => state.status.clear_error(),
        KeyCode::Esc => state.command_line = None,
        KeyCode::Enter => {
            let typed = line.clone();
            let text = line.trim().trim_start_matches('/').to_string();
            // Closed before running: a command may open it again, prefilled.
            state.command_line = None;
            if text.is_empty() {
                return;
            }
            if let Err(e) = commands::run(state, &text, fx) {
                state.command_line = Some(typed);
                state.error(e);
            }
        }
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.command_line = None;
        }
        _ => {}
    }
}
