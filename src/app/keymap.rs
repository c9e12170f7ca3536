//! Key bindings per context, loaded from `keymap.toml` (embedded) merged with the user's file.
//!
//! The format is documented at the top of `keymap.toml` in the repository root. Loading reads the
//! file into toml's spanned tree (not serde structs) so every problem can name its line.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use unicode_width::UnicodeWidthStr;

use super::action::{ACTIONS, Action, ActionError};

mod hint;

/// The default keymap, shipped inside the binary.
pub const DEFAULT_KEYMAP: &str = include_str!("../../keymap.toml");

/// How the built-in keymap is named in errors.
const DEFAULT_KEYMAP_NAME: &str = "keymap.toml (built in)";

/// One key with modifiers, normalised (shifted letters carry no SHIFT flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    /// The key of a terminal key event.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) => {
                if shift_is_in_the_char(c) {
                    mods.remove(KeyModifiers::SHIFT);
                }
                KeyCode::Char(c)
            }
            KeyCode::BackTab => {
                mods.insert(KeyModifiers::SHIFT);
                KeyCode::Tab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// Reads the keymap syntax: a character (`k`, `G`, `?`), a key name (`enter`, `pageup`, `f1`)
    /// or `space`, after any of `ctrl+`, `alt+`, `shift+`. The result is normalised the way
    /// [`Key::from_event`] normalises events, so `shift+g` is `G` and `backtab` is `shift+tab`.
    pub fn parse(text: &str) -> Result<Key, KeyError> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        // Peel `modifier+` prefixes; a trailing `+` is the plus key itself (`ctrl++`).
        while let Some((head, tail)) = rest.split_once('+') {
            if tail.is_empty() {
                break;
            }
            let m = match head.to_ascii_lowercase().as_str() {
                "ctrl" => KeyModifiers::CONTROL,
                "alt" => KeyModifiers::ALT,
                "shift" => KeyModifiers::SHIFT,
                _ => return Err(KeyError::UnknownModifier(head.to_string())),
            };
            if mods.contains(m) {
                return Err(KeyError::RepeatedModifier(head.to_ascii_lowercase()));
            }
            mods.insert(m);
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(KeyError::Empty),
            (Some(c), None) => {
                if c.is_control() || (c.is_whitespace() && c != ' ') {
                    return Err(KeyError::Invisible(c));
                }
                if mods.contains(KeyModifiers::SHIFT) && shift_is_in_the_char(c) {
                    // Terminals report the shifted character, not shift plus the base key.
                    let mut upper = c.to_uppercase();
                    match (upper.next(), upper.next()) {
                        (Some(u), None) if c.is_alphabetic() => {
                            mods.remove(KeyModifiers::SHIFT);
                            KeyCode::Char(u)
                        }
                        _ => return Err(KeyError::ShiftedSymbol(c)),
                    }
                } else {
                    KeyCode::Char(c)
                }
            }
            _ => match named_key(&rest.to_ascii_lowercase()) {
                Some(KeyCode::BackTab) => {
                    mods.insert(KeyModifiers::SHIFT);
                    KeyCode::Tab
                }
                Some(code) => code,
                None => match rest.strip_suffix('+') {
                    Some(m)
                        if ["ctrl", "alt", "shift"].contains(&m.to_ascii_lowercase().as_str()) =>
                    {
                        return Err(KeyError::Empty);
                    }
                    _ => return Err(KeyError::UnknownName(rest.to_string())),
                },
            },
        };
        Ok(Key { code, mods })
    }
}

/// Whether a character already says whether shift was held (`G`, `?`, `中`), so that crossterm's
/// SHIFT flag on it is noise.
fn shift_is_in_the_char(c: char) -> bool {
    c.is_alphabetic() || !c.is_ascii() || c.is_ascii_punctuation() || c.is_ascii_digit()
}

/// Key names accepted in keymaps, besides single characters; the first name of a code is canonical.
const NAMED_KEYS: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

/// The highest function key a keymap may name.
const MAX_FUNCTION_KEY: u8 = 12;

fn named_key(name: &str) -> Option<KeyCode> {
    if let Some((_, code)) = NAMED_KEYS.iter().find(|(n, _)| *n == name) {
        return Some(*code);
    }
    let n: u8 = name.strip_prefix('f')?.parse().ok()?;
    (1..=MAX_FUNCTION_KEY).contains(&n).then_some(KeyCode::F(n))
}

impl fmt::Display for Key {
    /// The keymap syntax, e.g. `ctrl+n`, `shift+tab`, `G`, `space`; parses back to the same key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (m, name) in [
            (KeyModifiers::CONTROL, "ctrl+"),
            (KeyModifiers::ALT, "alt+"),
            (KeyModifiers::SHIFT, "shift+"),
        ] {
            if self.mods.contains(m) {
                f.write_str(name)?;
            }
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            code => match NAMED_KEYS.iter().find(|(_, c)| *c == code) {
                Some((name, _)) => f.write_str(name),
                None => write!(f, "{}", format!("{code:?}").to_ascii_lowercase()),
            },
        }
    }
}

/// Writes a chord as its keys separated by spaces (`g g`).
pub fn chord_text(keys: &[Key]) -> String {
    keys.iter()
        .map(Key::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("no key given (after the modifiers)")]
    Empty,
    #[error("unknown modifier `{0}+` (modifiers are ctrl+, alt+ and shift+)")]
    UnknownModifier(String),
    #[error("`{0}+` is written twice")]
    RepeatedModifier(String),
    #[error(
        "unknown key name `{0}` (keys are a single character or one of enter, esc, tab, backtab, \
         space, backspace, delete, insert, up, down, left, right, home, end, pageup, pagedown, \
         f1 … f12, after optional ctrl+, alt+, shift+)"
    )]
    UnknownName(String),
    #[error(
        "shift+{0} never arrives: write the character the shifted key types instead (e.g. `!`, `?`)"
    )]
    ShiftedSymbol(char),
    #[error("{0:?} is not a visible character; use a key name such as tab, enter or space")]
    Invisible(char),
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Sidebar,
    Timeline,
    Composer,
    Members,
    Popup,
}

impl Context {
    /// Every context, in the order `napterm keys` lists them.
    pub const ALL: [Context; 6] = [
        Context::Global,
        Context::Sidebar,
        Context::Timeline,
        Context::Composer,
        Context::Members,
        Context::Popup,
    ];

    /// The context's section name in `keymap.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Sidebar => "sidebar",
            Context::Timeline => "timeline",
            Context::Composer => "composer",
            Context::Members => "members",
            Context::Popup => "popup",
        }
    }

    /// The context whose bindings apply while `pane` has the focus.
    pub fn of_pane(pane: super::action::Pane) -> Context {
        use super::action::Pane;
        match pane {
            Pane::Sidebar => Context::Sidebar,
            Pane::Timeline => Context::Timeline,
            Pane::Composer => Context::Composer,
            Pane::Members => Context::Members,
        }
    }

    /// The context named `name` in `keymap.toml`.
    pub fn parse(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// When the context's bindings apply, for `napterm keys`.
    fn scope(self) -> &'static str {
        match self {
            Context::Global => "anywhere, unless the focused pane binds the same key",
            Context::Sidebar => "the chat list",
            Context::Timeline => "the messages",
            Context::Composer => "typing a message",
            Context::Members => "the member pane",
            Context::Popup => "dialogs, pickers and lists over the screen",
        }
    }
}

impl fmt::Display for Context {
    /// The section name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A key (or chord) bound to an action.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: String,
}

/// The result of looking up the keys typed so far.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Action(Action),
    /// The keys so far begin a chord: wait for more.
    Prefix,
    None,
}

/// All bindings.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    pub bindings: HashMap<Context, Vec<Binding>>,
    /// Keys a file unbound with `run = "noop"`, per context: they do nothing there, and are
    /// not typed into the composer or the sidebar's filter either.
    unbound: HashMap<Context, Vec<Vec<Key>>>,
    /// See [`Keymap::generation`].
    generation: u64,
}

/// Where keymaps' generations come from (one counter: two maps merged apart never share one).
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A keymap file that could not be used: which file, which line, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub file: PathBuf,
    /// 1-based; `None` when the problem is not on a line (an unreadable file).
    pub line: Option<usize>,
    pub problem: KeymapProblem,
}

/// What is wrong in a keymap file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapProblem {
    #[error("cannot read the keymap: {0}")]
    Unreadable(String),
    #[error("not valid TOML: {0}")]
    Syntax(String),
    #[error(
        "unknown context [[{0}]] (contexts are global, sidebar, timeline, composer, members, popup)"
    )]
    UnknownContext(String),
    #[error("unknown action \"{0}\" (see napterm keys for the list)")]
    UnknownAction(String),
    #[error("unknown command `/{0}` in \"run\" (the help overlay, F1, lists the commands)")]
    UnknownCommand(String),
    #[error("action \"{action}\" expects {}", if expected.is_empty() { "no arguments" } else { expected })]
    BadArgs {
        action: String,
        expected: &'static str,
    },
    #[error("malformed key \"{text}\": {problem}")]
    BadKey { text: String, problem: KeyError },
    #[error("`{keys}` is bound twice in [[{context}]] (first on line {first_line})")]
    DuplicateKey {
        context: Context,
        keys: String,
        first_line: usize,
    },
    #[error(
        "`{key}` on line {key_line} and the chord `{chord}` on line {chord_line} clash in \
         [[{context}]]: a key cannot be both a binding and the start of a chord"
    )]
    ChordPrefix {
        context: Context,
        key: String,
        key_line: usize,
        chord: String,
        chord_line: usize,
    },
    #[error("`{field}` must be {expected}, not {}", a_or_an(found))]
    WrongType {
        field: String,
        expected: String,
        /// The TOML type found: string, integer, array, table, …
        found: &'static str,
    },
    #[error("this binding has no `{0}` (each binding needs on = \"key\" and run = \"action\")")]
    MissingField(&'static str),
    #[error("unknown field `{0}` (a binding has on, run and optionally desc)")]
    UnknownField(String),
}

/// "a table", "an integer", "an empty array".
fn a_or_an(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

impl fmt::Display for KeymapError {
    /// `path:line: problem`, like a compiler.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.problem),
            None => write!(f, "{}: {}", self.file.display(), self.problem),
        }
    }
}

impl std::error::Error for KeymapError {}

/// One binding as read from a file, with the line it came from.
struct Entry {
    context: Context,
    keys: Vec<Key>,
    keys_line: usize,
    action: Action,
    desc: String,
}

/// Turns byte offsets of one file's text into errors that carry the file and the line.
struct Source<'a> {
    text: &'a str,
    file: &'a Path,
    /// Whether a `/command` exists (`run = "run /x"`): the command table is a feature, which
    /// the keymap (core) is handed rather than imports.
    known_command: KnownCommand<'a>,
}

/// Whether a command of this name (or alias) exists: `app::commands::known`.
pub type KnownCommand<'a> = &'a dyn Fn(&str) -> bool;

impl Source<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let before = self
            .text
            .get(..offset.min(self.text.len()))
            .unwrap_or(self.text);
        before.matches('\n').count() + 1
    }

    fn error(&self, offset: usize, problem: KeymapProblem) -> KeymapError {
        KeymapError {
            file: self.file.to_path_buf(),
            line: Some(self.line_of(offset)),
            problem,
        }
    }

    /// Reads every binding, in file order, and checks the file for conflicts.
    fn entries(&self) -> Result<Vec<Entry>, KeymapError> {
        let root = DeTable::parse(self.text).map_err(|e| KeymapError {
            file: self.file.to_path_buf(),
            line: e.span().map(|s| self.line_of(s.start)),
            problem: KeymapProblem::Syntax(e.message().trim().to_string()),
        })?;
        let mut sections: Vec<_> = root.get_ref().iter().collect();
        sections.sort_by_key(|(name, _)| name.span().start);
        let mut entries = Vec::new();
        for (name, value) in sections {
            let context = Context::parse(name.get_ref()).ok_or_else(|| {
                self.error(
                    name.span().start,
                    KeymapProblem::UnknownContext(name.get_ref().to_string()),
                )
            })?;
            let wrong = |v: &Spanned<DeValue>| {
                self.error(
                    v.span().start,
                    KeymapProblem::WrongType {
                        field: context.name().to_string(),
                        expected: format!("a list of bindings, each a [[{context}]] table"),
                        found: v.get_ref().type_str(),
                    },
                )
            };
            let DeValue::Array(items) = value.get_ref() else {
                return Err(wrong(value));
            };
            for item in items.iter() {
                let DeValue::Table(table) = item.get_ref() else {
                    return Err(wrong(item));
                };
                entries.push(self.entry(context, table, item.span().start)?);
            }
        }
        self.check_conflicts(&entries)?;
        Ok(entries)
    }

    /// Reads one `{ on, run, desc }` table that starts at byte `start`.
    fn entry(&self, context: Context, table: &DeTable, start: usize) -> Result<Entry, KeymapError> {
        let mut keys = None;
        let mut action = None;
        let mut desc = None;
        for (field, value) in table.iter() {
            let text = |expected: &str| match value.get_ref() {
                DeValue::String(s) => Ok(s.as_ref()),
                other => Err(self.error(
                    value.span().start,
                    KeymapProblem::WrongType {
                        field: field.get_ref().to_string(),
                        expected: expected.to_string(),
                        found: other.type_str(),
                    },
                )),
            };
            match field.get_ref().as_ref() {
                "on" => keys = Some((self.keys(value)?, self.line_of(value.span().start))),
                "run" => {
                    let run = text("a string such as \"move -1\"")?;
                    let at = value.span().start;
                    let parsed = Action::parse(run).map_err(|e| match e {
                        ActionError::Unknown(name) => {
                            self.error(at, KeymapProblem::UnknownAction(name))
                        }
                        ActionError::BadArgs { action, expected } => {
                            self.error(at, KeymapProblem::BadArgs { action, expected })
                        }
                    })?;
                    // A command that does not exist would only fail when the key is pressed.
                    if let Action::Run(line) = &parsed {
                        let line = line.trim().trim_start_matches('/');
                        let name = line.split_whitespace().next().unwrap_or_default();
                        if !(self.known_command)(name) {
                            return Err(
                                self.error(at, KeymapProblem::UnknownCommand(name.to_string()))
                            );
                        }
                    }
                    action = Some(parsed);
                }
                "desc" => desc = Some(text("a string")?.to_string()),
                other => {
                    return Err(self.error(
                        field.span().start,
                        KeymapProblem::UnknownField(other.to_string()),
                    ));
                }
            }
        }
        let (keys, keys_line) =
            keys.ok_or_else(|| self.error(start, KeymapProblem::MissingField("on")))?;
        let action = action.ok_or_else(|| self.error(start, KeymapProblem::MissingField("run")))?;
        let desc = desc.unwrap_or_else(|| default_desc(&action));
        Ok(Entry {
            context,
            keys,
            keys_line,
            action,
            desc,
        })
    }

    /// Reads `on`: one key as a string, or a chord as an array of strings.
    fn keys(&self, value: &Spanned<DeValue>) -> Result<Vec<Key>, KeymapError> {
        const EXPECTED: &str = "a key such as \"k\" or a chord such as [\"g\", \"g\"]";
        let wrong = |v: &Spanned<DeValue>, found| {
            self.error(
                v.span().start,
                KeymapProblem::WrongType {
                    field: "on".into(),
                    expected: EXPECTED.to_string(),
                    found,
                },
            )
        };
        let one = |v: &Spanned<DeValue>| match v.get_ref() {
            DeValue::String(s) => Key::parse(s).map_err(|problem| {
                self.error(
                    v.span().start,
                    KeymapProblem::BadKey {
                        text: s.to_string(),
                        problem,
                    },
                )
            }),
            other => Err(wrong(v, other.type_str())),
        };
        match value.get_ref() {
            DeValue::Array(items) if items.is_empty() => Err(wrong(value, "empty array")),
            DeValue::Array(items) => items.iter().map(one).collect(),
            _ => one(value).map(|k| vec![k]),
        }
    }

    /// The same keys twice in a context, or a key that also starts a chord there, is an error
    /// naming both lines.
    fn check_conflicts(&self, entries: &[Entry]) -> Result<(), KeymapError> {
        for (i, later) in entries.iter().enumerate() {
            for earlier in entries
                .iter()
                .take(i)
                .filter(|e| e.context == later.context)
            {
                let at = later.keys_line;
                let problem = if earlier.keys == later.keys {
                    KeymapProblem::DuplicateKey {
                        context: later.context,
                        keys: chord_text(&later.keys),
                        first_line: earlier.keys_line,
                    }
                } else if later.keys.starts_with(&earlier.keys) {
                    KeymapProblem::ChordPrefix {
                        context: later.context,
                        key: chord_text(&earlier.keys),
                        key_line: earlier.keys_line,
                        chord: chord_text(&later.keys),
                        chord_line: at,
                    }
                } else if earlier.keys.starts_with(&later.keys) {
                    KeymapProblem::ChordPrefix {
                        context: later.context,
                        key: chord_text(&later.keys),
                        key_line: at,
                        chord: chord_text(&earlier.keys),
                        chord_line: earlier.keys_line,
                    }
                } else {
                    continue;
                };
                return Err(KeymapError {
                    file: self.file.to_path_buf(),
                    line: Some(at),
                    problem,
                });
            }
        }
        Ok(())
    }
}

/// The description a binding gets when the file gives none.
fn default_desc(action: &Action) -> String {
    if let Action::Run(command) = action {
        return format!("执行 {command}");
    }
    action.desc().to_string()
}

impl Keymap {
    /// Looks up `keys` in `ctx`.
    pub fn lookup(&self, ctx: Context, keys: &[Key]) -> Lookup {
        let Some(list) = self.bindings.get(&ctx) else {
            return Lookup::None;
        };
        if let Some(b) = list.iter().find(|b| b.keys == keys) {
            return Lookup::Action(b.action.clone());
        }
        if list
            .iter()
            .any(|b| b.keys.len() > keys.len() && b.keys.starts_with(keys))
        {
            return Lookup::Prefix;
        }
        Lookup::None
    }

    /// Whether a file unbound `keys` in `ctx` (`run = "noop"`): the key then does nothing there.
    pub fn is_unbound(&self, ctx: Context, keys: &[Key]) -> bool {
        self.unbound
            .get(&ctx)
            .is_some_and(|list| list.iter().any(|k| k == keys))
    }

    /// The built-in keymap (`keymap.toml` in the repository root).
    pub fn default_map() -> Keymap {
        let mut map = Keymap::default();
        // The embedded file is part of the program, not user input; a test proves it loads,
        // its commands checked (`load(None, &commands::known)`).
        map.merge(DEFAULT_KEYMAP, Path::new(DEFAULT_KEYMAP_NAME), &|_| true)
            .expect("the built-in keymap.toml is valid (tested)");
        map
    }

    /// The built-in keymap with the user's file, when it exists, merged over it. `known_command`
    /// says which `run = "run /x"` commands exist (`app::commands::known`).
    pub fn load(user: Option<&Path>, known_command: KnownCommand) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        map.merge(
            DEFAULT_KEYMAP,
            Path::new(DEFAULT_KEYMAP_NAME),
            known_command,
        )?;
        let Some(path) = user else {
            return Ok(map);
        };
        match std::fs::read_to_string(path) {
            Ok(text) => map.merge(&text, path, known_command)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(KeymapError {
                    file: path.to_path_buf(),
                    line: None,
                    problem: KeymapProblem::Unreadable(e.to_string()),
                });
            }
        }
        Ok(map)
    }

    /// Changes whenever the bindings do (0: none merged yet): what is made from the keymap
    /// alone, such as a hint line, may be kept while it holds.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Reads keymap text (named `file` in errors) and lays its bindings over this map: a binding
    /// replaces the one with the same keys in its context and any chord it would clash with;
    /// `run = "noop"` removes the binding. Nothing changes when the text has an error.
    pub fn merge(
        &mut self,
        text: &str,
        file: &Path,
        known_command: KnownCommand,
    ) -> Result<(), KeymapError> {
        let entries = Source {
            text,
            file,
            known_command,
        }
        .entries()?;
        self.generation = GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for e in entries {
            let list = self.bindings.entry(e.context).or_default();
            let unbound = self.unbound.entry(e.context).or_default();
            if e.action == Action::Noop {
                list.retain(|b| b.keys != e.keys);
                if !unbound.contains(&e.keys) {
                    unbound.push(e.keys);
                }
                continue;
            }
            unbound.retain(|k| *k != e.keys);
            list.retain(|b| {
                b.keys == e.keys || !(b.keys.starts_with(&e.keys) || e.keys.starts_with(&b.keys))
            });
            let binding = Binding {
                keys: e.keys,
                action: e.action,
                desc: e.desc,
            };
            match list.iter_mut().find(|b| b.keys == binding.keys) {
                Some(old) => *old = binding,
                None => list.push(binding),
            }
        }
        Ok(())
    }

    /// The bindings of `ctx` in file order.
    pub fn bindings_of(&self, ctx: Context) -> &[Binding] {
        self.bindings
            .get(&ctx)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Rows for the help overlay: the keys (joined by `, ` when several do the same thing) and the
    /// description, for `ctx` alone (the caller shows global separately).
    pub fn help_rows(&self, ctx: Context) -> Vec<(String, String)> {
        self.grouped(ctx)
            .into_iter()
            .map(|(keys, _, desc)| (keys, desc.to_string()))
            .collect()
    }

    /// Bindings of `ctx` grouped by (action, description), in order of first appearance.
    fn grouped(&self, ctx: Context) -> Vec<(String, &Action, &str)> {
        let mut rows: Vec<(Vec<String>, &Action, &str)> = Vec::new();
        for b in self.bindings_of(ctx) {
            let keys = chord_text(&b.keys);
            match rows
                .iter_mut()
                .find(|(_, a, d)| **a == b.action && *d == b.desc)
            {
                Some((list, _, _)) => list.push(keys),
                None => rows.push((vec![keys], &b.action, &b.desc)),
            }
        }
        rows.into_iter()
            .map(|(keys, a, d)| (keys.join(", "), a, d))
            .collect()
    }

    /// The text of `napterm keys`: every context's bindings, then every action and its arguments.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for ctx in Context::ALL {
            let rows: Vec<Vec<String>> = self
                .grouped(ctx)
                .into_iter()
                .map(|(keys, action, desc)| vec![keys, action.to_string(), desc.to_string()])
                .collect();
            out.push_str(&format!("[[{ctx}]]  {}\n", ctx.scope()));
            if rows.is_empty() {
                out.push_str("  (no bindings)\n");
            }
            push_table(&mut out, &rows);
            out.push('\n');
        }
        out.push_str("Actions (run = \"name arguments\"):\n");
        let rows: Vec<Vec<String>> = ACTIONS
            .iter()
            .map(|a| {
                vec![
                    format!("{} {}", a.name, a.args).trim_end().to_string(),
                    a.desc.to_string(),
                ]
            })
            .collect();
        push_table(&mut out, &rows);
        out
    }
}

/// Appends rows as indented columns, each but the last padded to its widest cell (by display
/// width).
fn push_table(out: &mut String, rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::from("  ");
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                let w = widths.get(c).copied().unwrap_or(0);
                line.push_str(&" ".repeat(w.saturating_sub(cell.width()) + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyEventKind, KeyEventState};

    fn event(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers: mods,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn typed_keys_match_their_written_form() {
        let none = KeyModifiers::NONE;
        let shift = KeyModifiers::SHIFT;
        let ctrl = KeyModifiers::CONTROL;
        let alt = KeyModifiers::ALT;
        // (written in keymap.toml, what crossterm reports when it is typed, canonical form)
        let cases = [
            ("G", event(KeyCode::Char('G'), shift), "G"),
            ("shift+g", event(KeyCode::Char('G'), shift), "G"),
            ("g", event(KeyCode::Char('g'), none), "g"),
            ("shift+tab", event(KeyCode::BackTab, shift), "shift+tab"),
            ("backtab", event(KeyCode::BackTab, none), "shift+tab"),
            ("ctrl+n", event(KeyCode::Char('n'), ctrl), "ctrl+n"),
            ("alt+enter", event(KeyCode::Enter, alt), "alt+enter"),
            ("shift+enter", event(KeyCode::Enter, shift), "shift+enter"),
            ("f1", event(KeyCode::F(1), none), "f1"),
            ("F12", event(KeyCode::F(12), none), "f12"),
            ("space", event(KeyCode::Char(' '), none), "space"),
            (" ", event(KeyCode::Char(' '), none), "space"),
            ("?", event(KeyCode::Char('?'), shift), "?"),
            ("@", event(KeyCode::Char('@'), shift), "@"),
            (":", event(KeyCode::Char(':'), shift), ":"),
            ("+", event(KeyCode::Char('+'), shift), "+"),
            ("ctrl++", event(KeyCode::Char('+'), ctrl), "ctrl++"),
            ("alt+up", event(KeyCode::Up, alt), "alt+up"),
            (
                "Ctrl+Alt+Delete",
                event(KeyCode::Delete, ctrl | alt),
                "ctrl+alt+delete",
            ),
            (
                "alt+ctrl+x",
                event(KeyCode::Char('x'), ctrl | alt),
                "ctrl+alt+x",
            ),
            ("esc", event(KeyCode::Esc, none), "esc"),
            ("pagedown", event(KeyCode::PageDown, none), "pagedown"),
            ("表", event(KeyCode::Char('表'), none), "表"),
        ];
        for (written, typed, canonical) in cases {
            let parsed = Key::parse(written).unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!(parsed, Key::from_event(&typed), "{written} vs {typed:?}");
            assert_eq!(parsed.to_string(), canonical, "{written}");
            assert_eq!(Key::parse(canonical), Ok(parsed), "{canonical} round trip");
        }
    }

    #[test]
    fn lower_and_upper_case_letters_are_different_keys() {
        assert_ne!(Key::parse("g").unwrap(), Key::parse("G").unwrap());
        assert_ne!(Key::parse("n").unwrap(), Key::parse("ctrl+n").unwrap());
        assert_ne!(Key::parse("tab").unwrap(), Key::parse("shift+tab").unwrap());
    }

    #[test]
    fn malformed_keys_say_what_is_wrong() {
        assert_eq!(Key::parse(""), Err(KeyError::Empty));
        assert_eq!(Key::parse("ctrl+"), Err(KeyError::Empty));
        assert_eq!(Key::parse("alt+ctrl+"), Err(KeyError::Empty));
        assert_eq!(
            Key::parse("enterr"),
            Err(KeyError::UnknownName("enterr".into()))
        );
        assert_eq!(Key::parse("f13"), Err(KeyError::UnknownName("f13".into())));
        assert_eq!(
            Key::parse("super+k"),
            Err(KeyError::UnknownModifier("super".into()))
        );
        assert_eq!(
            Key::parse("ctrl+ctrl+k"),
            Err(KeyError::RepeatedModifier("ctrl".into()))
        );
        assert_eq!(Key::parse("shift+1"), Err(KeyError::ShiftedSymbol('1')));
        assert_eq!(Key::parse("\t"), Err(KeyError::Invisible('\t')));
        let text = KeyError::UnknownName("enterr".into()).to_string();
        assert!(text.contains("pageup") && text.contains("ctrl+"), "{text}");
    }

    #[test]
    fn lines_are_counted_from_one() {
        let src = Source {
            text: "a\nb\nc",
            file: Path::new("k.toml"),
            known_command: &|_| true,
        };
        assert_eq!(src.line_of(0), 1);
        assert_eq!(src.line_of(2), 2);
        assert_eq!(src.line_of(4), 3);
        assert_eq!(src.line_of(999), 3);
    }

    #[test]
    fn a_missing_description_comes_from_the_action_table() {
        assert_eq!(default_desc(&Action::Quit), "退出 napterm");
        assert_eq!(default_desc(&Action::Move(-1)), "选择移动 n 项 (负数向上)");
        assert_eq!(
            default_desc(&Action::Run("/readall".into())),
            "执行 /readall"
        );
    }
}
