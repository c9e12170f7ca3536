//! Keys that come after an ESC prefix. A terminal sends Alt+arrow as ESC followed by the arrow's
//! own sequence (`ESC ESC [ A`: macOS Terminal with Option as Meta, and others), and an SSH link
//! can deliver Esc and an arrow pressed right after it in one read, the same bytes. crossterm
//! reads `ESC ESC` as one Esc and the rest as typed characters: `[` and `A` went into the
//! composer, and Alt+↑ (the previous chat) never came. Here the characters that arrived with
//! such an Esc are read back as the key they spell, with Alt, as any ESC-prefixed key is read.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// True for the Esc that may start such a prefix: a plain press.
pub fn starts(k: &KeyEvent) -> bool {
    k.code == KeyCode::Esc && k.modifiers.is_empty() && k.kind == KeyEventKind::Press
}

/// The character a plain key types, if that is all it is.
fn typed(k: &KeyEvent) -> Option<char> {
    match k.code {
        KeyCode::Char(c)
            if k.kind == KeyEventKind::Press && (k.modifiers - KeyModifiers::SHIFT).is_empty() =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// True while `after` (the keys that came with the Esc so far) may still become one key.
pub fn wants_more(after: &[KeyEvent]) -> bool {
    let chars: Option<String> = after.iter().map(typed).collect();
    let Some(s) = chars else {
        return false;
    };
    match s.as_bytes() {
        [] | [b'['] | [b'O'] => true,
        [b'[', rest @ ..] => rest.iter().all(u8::is_ascii_digit) && rest.len() < 2,
        _ => false,
    }
}

/// The Alt key `after` spells (`[A` is Alt+↑, `[5~` Alt+PgUp, `OH` Alt+Home), if it spells one.
pub fn mend(after: &[KeyEvent]) -> Option<KeyEvent> {
    let s: String = after.iter().map(typed).collect::<Option<_>>()?;
    let code = match s.as_str() {
        "[A" | "OA" => KeyCode::Up,
        "[B" | "OB" => KeyCode::Down,
        "[C" | "OC" => KeyCode::Right,
        "[D" | "OD" => KeyCode::Left,
        "[H" | "OH" | "[1~" | "[7~" => KeyCode::Home,
        "[F" | "OF" | "[4~" | "[8~" => KeyCode::End,
        "[2~" => KeyCode::Insert,
        "[3~" => KeyCode::Delete,
        "[5~" => KeyCode::PageUp,
        "[6~" => KeyCode::PageDown,
        _ => return None,
    };
    Some(KeyEvent::new(code, KeyModifiers::ALT))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys crossterm makes of the characters after `ESC ESC`.
    fn chars(s: &str) -> Vec<KeyEvent> {
        s.chars()
            .map(|c| {
                let m = if c.is_uppercase() {
                    KeyModifiers::SHIFT
                } else {
                    KeyModifiers::NONE
                };
                KeyEvent::new(KeyCode::Char(c), m)
            })
            .collect()
    }

    /// Feeds `s` as the keys after an Esc, the way the input loop does: taken while they may
    /// still make a key.
    fn read(s: &str) -> (Option<KeyEvent>, usize) {
        let all = chars(s);
        let mut after = Vec::new();
        let mut it = all.into_iter();
        while wants_more(&after) {
            match it.next() {
                Some(k) => after.push(k),
                None => break,
            }
        }
        (mend(&after), after.len())
    }

    #[test]
    fn an_arrow_after_an_esc_prefix_is_that_arrow_with_alt() {
        let alt = |c| Some(KeyEvent::new(c, KeyModifiers::ALT));
        assert_eq!(read("[A"), (alt(KeyCode::Up), 2));
        assert_eq!(read("[B"), (alt(KeyCode::Down), 2));
        assert_eq!(read("OD"), (alt(KeyCode::Left), 2));
        assert_eq!(read("[5~"), (alt(KeyCode::PageUp), 3));
        assert_eq!(read("[6~hello"), (alt(KeyCode::PageDown), 3));
    }

    /// Anything else is left as it came: Esc, then what was typed.
    #[test]
    fn other_keys_after_an_esc_are_left_alone() {
        assert_eq!(read("hello"), (None, 1));
        assert_eq!(read("[x"), (None, 2));
        assert_eq!(read("[12345~"), (None, 3));
        assert_eq!(read(""), (None, 0));
        assert_eq!(read("["), (None, 1));
        let ctrl = KeyEvent::new(KeyCode::Char('['), KeyModifiers::CONTROL);
        assert!(!wants_more(&[ctrl]));
        assert_eq!(mend(&[ctrl]), None);
    }

    #[test]
    fn only_a_plain_esc_press_starts_one() {
        assert!(starts(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        assert!(!starts(&KeyEvent::new(KeyCode::Esc, KeyModifiers::ALT)));
        assert!(!starts(&KeyEvent::new(
            KeyCode::Char('a'),
            KeyModifiers::NONE
        )));
    }
}
