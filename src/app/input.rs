//! Key events as text input.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The character a key types, if it types one (no Ctrl/Alt).
pub fn printable(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}
