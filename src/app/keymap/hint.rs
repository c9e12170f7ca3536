//! Key hints ("r 回复", "Enter 发送", "按 g 重试"), written from the live keymap so that a key the
//! user rebinds is shown as they bound it. Every hint in the panes, popups and status messages is
//! built here.
//!
//! Hints come in two spellings. Hint lines that list bindings (the status line, popup footers)
//! write keys as `keymap.toml` does (`enter`, `ctrl+r`), so they read like the file; sentences
//! (placeholders, titles, status messages) write them as people do (`Enter`, `Ctrl+R`, `↑`).

use crossterm::event::{KeyCode, KeyModifiers};

use super::{Action, Context, Key, Keymap, Lookup, chord_text};

impl Key {
    /// The key as a sentence names it: `Enter`, `Esc`, `Alt+Enter`, `Ctrl+R`, `Shift+Tab`, `↑`,
    /// `F1`; a plain character is itself (`g`, `G`, `?`).
    pub fn label(&self) -> String {
        let mut out = String::new();
        for (m, name) in [
            (KeyModifiers::CONTROL, "Ctrl+"),
            (KeyModifiers::ALT, "Alt+"),
            (KeyModifiers::SHIFT, "Shift+"),
        ] {
            if self.mods.contains(m) {
                out.push_str(name);
            }
        }
        let name = match self.code {
            KeyCode::Char(' ') => "Space",
            // After a modifier a letter is written in capitals (`Ctrl+R`), so a capital one needs
            // its shift spelled out (`Ctrl+Shift+R`).
            KeyCode::Char(c) if !self.mods.is_empty() && c.is_uppercase() => {
                out.push_str("Shift+");
                out.push(c);
                return out;
            }
            KeyCode::Char(c) if !self.mods.is_empty() => {
                out.extend(c.to_uppercase());
                return out;
            }
            KeyCode::Char(c) => {
                out.push(c);
                return out;
            }
            KeyCode::F(n) => {
                out.push_str(&format!("F{n}"));
                return out;
            }
            KeyCode::Enter => "Enter",
            KeyCode::Esc => "Esc",
            KeyCode::Tab | KeyCode::BackTab => "Tab",
            KeyCode::Backspace => "Backspace",
            KeyCode::Delete => "Delete",
            KeyCode::Insert => "Insert",
            KeyCode::Up => "↑",
            KeyCode::Down => "↓",
            KeyCode::Left => "←",
            KeyCode::Right => "→",
            KeyCode::Home => "Home",
            KeyCode::End => "End",
            KeyCode::PageUp => "PgUp",
            KeyCode::PageDown => "PgDn",
            // Keys a keymap cannot name never reach a hint; the keymap spelling will do.
            _ => {
                out.push_str(&self.to_string());
                return out;
            }
        };
        out.push_str(name);
        out
    }
}

/// A chord as a sentence names it (`g g`).
fn chord_label(keys: &[Key]) -> String {
    keys.iter().map(Key::label).collect::<Vec<_>>().join(" ")
}

impl Keymap {
    /// Every key (or chord) that triggers `action` when `ctx` has focus: the context's own
    /// bindings in file order, then the global ones it does not shadow.
    /// Lazy: a hint wants only the first, and the global ones' shadowing is looked up only
    /// when the context has none (hints are written every frame).
    fn keys_for<'a>(
        &'a self,
        ctx: Context,
        action: &'a Action,
    ) -> impl Iterator<Item = &'a [Key]> + Clone + 'a {
        let own = self
            .bindings_of(ctx)
            .iter()
            .filter(move |b| b.action == *action);
        let global = self
            .bindings_of(Context::Global)
            .iter()
            .filter(move |b| ctx != Context::Global && b.action == *action)
            .filter(move |b| self.lookup(ctx, &b.keys) == Lookup::None);
        own.chain(global).map(|b| b.keys.as_slice())
    }

    /// The first key that triggers `action` when `ctx` has focus, in keymap syntax, for hint lines
    /// such as "r 回复"; None when no key does.
    pub fn hint(&self, ctx: Context, action: &Action) -> Option<String> {
        self.keys_for(ctx, action).next().map(chord_text)
    }

    /// `key label` for each action some key triggers in `ctx`, in keymap syntax; actions the
    /// user left without a key are left out.
    pub fn hint_items(&self, ctx: Context, list: &[(Action, &str)]) -> Vec<String> {
        list.iter()
            .filter_map(|(a, label)| self.hint(ctx, a).map(|k| format!("{k} {label}")))
            .collect()
    }

    /// The key a sentence names for `action` in `ctx` (`Enter`, `Esc`, `↑`): `usual` (keymap
    /// syntax) while that key still does it, so that a list says "Esc 关闭" although `n` closes it
    /// too; else the first key that does; None when no key does.
    pub fn key_label(&self, ctx: Context, action: &Action, usual: Option<&str>) -> Option<String> {
        let mut keys = self.keys_for(ctx, action);
        let usual = usual.and_then(|u| Key::parse(u).ok());
        keys.clone()
            .find(|k| usual.is_some_and(|u| *k == [u]))
            .or_else(|| keys.next())
            .map(chord_label)
    }

    /// The keys several hints name (each a context, an action and its usual key, as for
    /// [`Keymap::key_label`]), each key once and in order: `y / Enter` for confirm or activate,
    /// `F1 或 ?` for help anywhere or in a pane.
    pub fn key_labels(&self, wanted: &[(Context, Action, Option<&str>)]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (ctx, action, usual) in wanted {
            if let Some(k) = self.key_label(*ctx, action, *usual)
                && !out.contains(&k)
            {
                out.push(k);
            }
        }
        out
    }

    /// Fills the `{context:action}` marks in `text` with the key that does the action there, as a
    /// sentence names it (`{timeline:search_next}` is `n` by default); `{context:action|key}`
    /// names `key` while it does the action (see [`Keymap::key_label`]). An action without a key
    /// is shown by its name. Fill a text before putting anything from outside into it: its braces
    /// would be read as marks.
    pub fn fill_keys(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(len) = rest[open..].find('}') else {
                break;
            };
            out.push_str(&rest[..open]);
            let mark = &rest[open + 1..open + len];
            let key = mark.split_once(':').and_then(|(ctx, action)| {
                let (action, usual) = match action.split_once('|') {
                    Some((a, u)) => (a, Some(u)),
                    None => (action, None),
                };
                let action = Action::parse(action).ok()?;
                let key = self.key_label(Context::parse(ctx)?, &action, usual);
                Some(key.unwrap_or_else(|| action.to_string()))
            });
            match key {
                Some(k) => out.push_str(&k),
                // Not a mark: the braces are text.
                None => out.push_str(&rest[open..=open + len]),
            }
            rest = &rest[open + len + 1..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Key {
        Key::parse(text).unwrap()
    }

    #[test]
    fn labels_are_written_the_way_people_write_keys() {
        for (written, label) in [
            ("enter", "Enter"),
            ("esc", "Esc"),
            ("alt+enter", "Alt+Enter"),
            ("ctrl+r", "Ctrl+R"),
            ("ctrl+R", "Ctrl+Shift+R"),
            ("shift+tab", "Shift+Tab"),
            ("up", "↑"),
            ("alt+down", "Alt+↓"),
            ("f1", "F1"),
            ("pageup", "PgUp"),
            ("space", "Space"),
            ("g", "g"),
            ("G", "G"),
            ("?", "?"),
        ] {
            assert_eq!(key(written).label(), label, "{written}");
        }
    }

    #[test]
    fn a_sentence_names_the_usual_key_while_it_does_the_action() {
        let map = Keymap::default_map();
        // n, esc and q all close a popup; n comes first in the file.
        assert_eq!(
            map.hint(Context::Popup, &Action::Deny).as_deref(),
            Some("n")
        );
        assert_eq!(
            map.key_label(Context::Popup, &Action::Deny, Some("esc"))
                .as_deref(),
            Some("Esc")
        );
        assert_eq!(
            map.key_label(Context::Popup, &Action::Deny, None)
                .as_deref(),
            Some("n")
        );
        // A usual key that does something else is not named.
        assert_eq!(
            map.key_label(Context::Timeline, &Action::Top, Some("G"))
                .as_deref(),
            Some("g")
        );
        assert_eq!(map.key_label(Context::Popup, &Action::Reply, None), None);
        let no = [
            (Context::Popup, Action::Deny, None),
            (Context::Popup, Action::Deny, Some("esc")),
            (Context::Popup, Action::Reply, None),
        ];
        assert_eq!(map.key_labels(&no), ["n", "Esc"]);
        let help = [
            (Context::Global, Action::Help, None),
            (Context::Composer, Action::Help, None),
        ];
        assert_eq!(map.key_labels(&help), ["F1"], "the composer has only F1");
    }

    #[test]
    fn marks_are_filled_with_keys_and_other_braces_stay() {
        let map = Keymap::default_map();
        assert_eq!(
            map.fill_keys("搜索 ({timeline:search_next}/{timeline:search_prev} 下一个)"),
            "搜索 (n/N 下一个)"
        );
        assert_eq!(map.fill_keys("{popup:activate} 跳转"), "Enter 跳转");
        assert_eq!(
            map.fill_keys("{popup:deny} / {popup:deny|esc} 取消"),
            "n / Esc 取消"
        );
        assert_eq!(
            map.fill_keys("{popup:move -1}{popup:move 1} 滚动"),
            "↑↓ 滚动"
        );
        assert_eq!(map.fill_keys("{popup:reply}"), "reply");
        assert_eq!(map.fill_keys("{not a mark} {x:y"), "{not a mark} {x:y");
        assert_eq!(
            map.hint_items(
                Context::Popup,
                &[(Action::Reply, "回复"), (Action::Delete, "删除")]
            ),
            vec!["d 删除".to_string()]
        );
    }
}
