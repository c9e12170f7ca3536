//! The keymap as a user meets it: the shipped defaults, a personal keymap.toml merged over them,
//! and the errors a broken file gives.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

mod snapshot;

use napterm::app::action::ACTIONS;
use napterm::app::commands;
use napterm::app::composer::ReplyTarget;
use napterm::app::keymap::{Context, Key, KeyError, Keymap, KeymapError, KeymapProblem, Lookup};
use napterm::app::state::{Settings, State};
use napterm::app::{Action, Pane};

fn key(text: &str) -> Key {
    Key::parse(text).unwrap()
}

fn keys(texts: &[&str]) -> Vec<Key> {
    texts.iter().map(|t| key(t)).collect()
}

fn action(text: &str) -> Action {
    Action::parse(text).unwrap()
}

fn bound(map: &Keymap, ctx: Context, on: &[&str]) -> Lookup {
    map.lookup(ctx, &keys(on))
}

/// A keymap file in a fresh directory under the system temp dir, removed when dropped.
struct UserFile(PathBuf);

impl UserFile {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for UserFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Writes `text` as the user's keymap.toml.
fn user_file(text: &str) -> UserFile {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "napterm-keymap-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("keymap.toml");
    std::fs::write(&path, text).unwrap();
    UserFile(path)
}

/// Loads `text` as the user's keymap and returns the error it must give.
fn load_error(text: &str) -> (PathBuf, KeymapError) {
    let file = user_file(text);
    let err = Keymap::load(Some(file.path()), &commands::known).expect_err("the file is broken");
    assert_eq!(err.file, file.path(), "the error names the user's file");
    (file.path().to_path_buf(), err)
}

#[test]
fn the_default_keymap_loads_without_conflicts() {
    let map = Keymap::default_map();
    assert_eq!(
        Keymap::load(None, &commands::known).unwrap().bindings,
        map.bindings
    );
    for ctx in Context::ALL {
        let list = map.bindings_of(ctx);
        assert!(!list.is_empty(), "{ctx} has bindings");
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                assert!(
                    !a.keys.starts_with(&b.keys) && !b.keys.starts_with(&a.keys),
                    "{ctx}: {:?} clashes with {:?}",
                    a.keys,
                    b.keys
                );
            }
            assert!(!a.desc.is_empty(), "{ctx}: {:?} has a description", a.keys);
        }
    }
}

#[test]
fn the_default_keymap_has_the_documented_keys() {
    let map = Keymap::default_map();
    let expect = [
        (Context::Global, "ctrl+c", "quit"),
        (Context::Global, "f1", "help"),
        (Context::Global, "alt+down", "next_chat"),
        (Context::Global, "ctrl+n", "next_chat"),
        (Context::Global, "alt+up", "prev_chat"),
        (Context::Global, "ctrl+p", "prev_chat"),
        (Context::Global, "alt+a", "next_unread"),
        (Context::Global, "tab", "focus_next"),
        (Context::Global, "shift+tab", "focus_prev"),
        (Context::Global, "ctrl+r", "requests"),
        (Context::Global, "ctrl+z", "suspend"),
        (Context::Sidebar, "up", "move -1"),
        (Context::Sidebar, "down", "move 1"),
        (Context::Sidebar, "enter", "activate"),
        (Context::Sidebar, "right", "tab 1"),
        (Context::Timeline, "k", "move -1"),
        (Context::Timeline, "j", "move 1"),
        (Context::Timeline, "pageup", "page -1"),
        (Context::Timeline, "g", "top"),
        (Context::Timeline, "G", "bottom"),
        (Context::Timeline, "r", "reply"),
        (Context::Timeline, "y", "copy"),
        (Context::Timeline, "o", "open_link"),
        (Context::Timeline, "d", "recall"),
        (Context::Timeline, "enter", "activate"),
        (Context::Timeline, "i", "compose"),
        (Context::Timeline, "n", "search_next"),
        (Context::Timeline, "N", "search_prev"),
        (Context::Timeline, "m", "mute"),
        (Context::Timeline, "esc", "focus composer"),
        (Context::Composer, "enter", "send"),
        (Context::Composer, "alt+enter", "newline"),
        (Context::Composer, "shift+enter", "newline"),
        (Context::Composer, "ctrl+f", "face_picker"),
        (Context::Composer, "esc", "cancel"),
        (Context::Members, "space", "mark"),
        (Context::Members, "K", "kick"),
        (Context::Members, "@", "mention"),
        (Context::Members, "c", "run /card"),
        (Context::Popup, "y", "confirm"),
        (Context::Popup, "esc", "deny"),
        (Context::Popup, "enter", "activate"),
    ];
    for (ctx, on, run) in expect {
        assert_eq!(
            bound(&map, ctx, &[on]),
            Lookup::Action(action(run)),
            "{ctx} {on}"
        );
    }
    // The sidebar leaves letters to its filter (pinyin: kaoyan, jiejie).
    for on in ["k", "j", "a", "z"] {
        assert_eq!(
            bound(&map, Context::Sidebar, &[on]),
            Lookup::None,
            "sidebar {on}"
        );
    }
    // The composer leaves the arrows and `?` to the text area.
    for on in ["up", "down", "?", "k"] {
        assert_eq!(
            bound(&map, Context::Composer, &[on]),
            Lookup::None,
            "composer {on}"
        );
    }
}

#[test]
fn every_action_has_a_default_key() {
    let map = Keymap::default_map();
    let all: Vec<&Action> = Context::ALL
        .iter()
        .flat_map(|c| map.bindings_of(*c))
        .map(|b| &b.action)
        .collect();
    for info in ACTIONS.iter().filter(|a| a.name != "noop") {
        assert!(
            all.iter()
                .any(|a| a.to_string().split(' ').next() == Some(info.name)),
            "no default key runs `{}`",
            info.name
        );
    }
}

#[test]
fn a_typed_capital_matches_its_binding() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let map = Keymap::default_map();
    let typed = Key::from_event(&KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT));
    assert_eq!(
        map.lookup(Context::Timeline, &[typed]),
        Lookup::Action(Action::Bottom)
    );
    let backtab = Key::from_event(&KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    assert_eq!(
        map.lookup(Context::Global, &[backtab]),
        Lookup::Action(Action::FocusPrev)
    );
}

#[test]
fn a_user_file_merges_over_the_defaults() {
    let path = user_file(
        r#"
# j and k swapped round is silly, but it is what this user wants
[[timeline]]
on = "k"
run = "move 1"
desc = "Down, my way"

[[timeline]]
on = "ctrl+d"
run = "page 1"

[[timeline]]
on = "y"
run = "noop"

[[global]]
on = ["space", "q"]
run = "quit"
"#,
    );
    let map = Keymap::load(Some(path.path()), &commands::known).unwrap();
    let defaults = Keymap::default_map();
    // Overridden, in place, with the user's description.
    assert_eq!(
        bound(&map, Context::Timeline, &["k"]),
        Lookup::Action(Action::Move(1))
    );
    let k = map
        .bindings_of(Context::Timeline)
        .iter()
        .find(|b| b.keys == keys(&["k"]))
        .unwrap();
    assert_eq!(k.desc, "Down, my way");
    // Added, with the action's own description.
    assert_eq!(
        bound(&map, Context::Timeline, &["ctrl+d"]),
        Lookup::Action(Action::Page(1))
    );
    // Unbound: the timeline no longer knows y.
    assert_eq!(bound(&map, Context::Timeline, &["y"]), Lookup::None);
    // A chord: the first key waits, the second acts.
    assert_eq!(bound(&map, Context::Global, &["space"]), Lookup::Prefix);
    assert_eq!(
        bound(&map, Context::Global, &["space", "q"]),
        Lookup::Action(Action::Quit)
    );
    assert_eq!(bound(&map, Context::Global, &["space", "x"]), Lookup::None);
    // Everything else is as shipped.
    for ctx in Context::ALL {
        for b in defaults.bindings_of(ctx) {
            let changed =
                ctx == Context::Timeline && (b.keys == keys(&["k"]) || b.keys == keys(&["y"]));
            if !changed {
                assert_eq!(
                    map.lookup(ctx, &b.keys),
                    Lookup::Action(b.action.clone()),
                    "{ctx} {:?}",
                    b.keys
                );
            }
        }
    }
    let count = |m: &Keymap| {
        Context::ALL
            .iter()
            .map(|c| m.bindings_of(*c).len())
            .sum::<usize>()
    };
    assert_eq!(
        count(&map),
        count(&defaults) + 1 /* ctrl+d */ - 1 /* y */ + 1 /* space q */
    );
}

#[test]
fn a_user_binding_replaces_a_default_it_would_clash_with() {
    // `g` alone is a default in the timeline; a user chord starting with g takes its place.
    let path = user_file("[[timeline]]\non = [\"g\", \"g\"]\nrun = \"top\"\n");
    let map = Keymap::load(Some(path.path()), &commands::known).unwrap();
    assert_eq!(bound(&map, Context::Timeline, &["g"]), Lookup::Prefix);
    assert_eq!(
        bound(&map, Context::Timeline, &["g", "g"]),
        Lookup::Action(Action::Top)
    );
}

#[test]
fn a_missing_user_file_means_the_defaults() {
    let path = std::env::temp_dir().join("napterm-keymap-test-does-not-exist/keymap.toml");
    let map = Keymap::load(Some(&path), &commands::known).unwrap();
    assert_eq!(map.bindings, Keymap::default_map().bindings);
}

#[test]
fn a_syntax_error_names_its_line() {
    let (path, err) = load_error("[[timeline]]\non = \"k\"\nrun = \"move -1\n");
    assert_eq!(err.line, Some(3));
    assert!(matches!(err.problem, KeymapProblem::Syntax(_)), "{err}");
    assert!(
        err.to_string()
            .starts_with(&format!("{}:3: not valid TOML", path.display())),
        "{err}"
    );
}

#[test]
fn an_unknown_context_is_an_error() {
    let (_, err) = load_error(
        "[[global]]\non = \"f5\"\nrun = \"redraw\"\n\n[[chatlist]]\non = \"k\"\nrun = \"move -1\"\n",
    );
    assert_eq!(err.line, Some(5));
    assert_eq!(
        err.problem,
        KeymapProblem::UnknownContext("chatlist".into())
    );
    assert!(err.to_string().contains("sidebar"), "{err}");
}

#[test]
fn an_unknown_action_is_an_error() {
    let (path, err) = load_error("\n[[timeline]]\non = \"f\"\nrun = \"fly\"\n");
    assert_eq!(err.line, Some(4));
    assert_eq!(err.problem, KeymapProblem::UnknownAction("fly".into()));
    assert_eq!(
        err.to_string(),
        format!(
            "{}:4: unknown action \"fly\" (see napterm keys for the list)",
            path.display()
        )
    );
}

#[test]
fn running_a_command_that_does_not_exist_is_an_error() {
    let (path, err) = load_error("[[timeline]]\non = \"x\"\nrun = \"run /nonexistent\"\n");
    assert_eq!(err.line, Some(3));
    assert_eq!(
        err.problem,
        KeymapProblem::UnknownCommand("nonexistent".into())
    );
    assert!(
        err.to_string().starts_with(&format!(
            "{}:3: unknown command `/nonexistent`",
            path.display()
        )),
        "{err}"
    );
    // Commands are found by their aliases too, with or without the slash.
    let file = user_file("[[timeline]]\non = \"x\"\nrun = \"run o 技术群\"\n");
    assert!(Keymap::load(Some(file.path()), &commands::known).is_ok());
}

#[test]
fn a_key_unbound_with_noop_does_nothing_and_is_not_typed() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use napterm::app::msg::Msg;
    use napterm::app::update::update;
    let file = user_file("[[timeline]]\non = \"d\"\nrun = \"noop\"\n");
    let map = Keymap::load(Some(file.path()), &commands::known).unwrap();
    assert!(map.is_unbound(Context::Timeline, &keys(&["d"])));
    let mut s = State::new(Settings::default(), map);
    s.focus = Pane::Timeline;
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::NONE)),
    );
    assert!(
        fx.iter()
            .all(|e| !matches!(e, napterm::app::Effect::Call(_)))
    );
    assert_eq!(s.composer.text(), "", "not typed into the composer");
    assert_eq!(s.focus, Pane::Timeline, "the focus stays");
}

#[test]
fn bad_arguments_show_the_expected_syntax() {
    let (_, err) = load_error("[[sidebar]]\non = \"k\"\nrun = \"move up\"\n");
    assert_eq!(err.line, Some(3));
    assert_eq!(
        err.problem,
        KeymapProblem::BadArgs {
            action: "move".into(),
            expected: "<n>"
        }
    );
    let (_, err) = load_error("[[sidebar]]\non = \"x\"\nrun = \"quit now\"\n");
    assert!(
        err.to_string()
            .ends_with("action \"quit\" expects no arguments"),
        "{err}"
    );
}

#[test]
fn a_malformed_key_is_an_error() {
    let (_, err) = load_error(
        "[[timeline]]\non = \"ctrl+k\"\nrun = \"top\"\n\n[[timeline]]\non = [\"g\", \"entr\"]\nrun = \"top\"\n",
    );
    assert_eq!(err.line, Some(6));
    assert_eq!(
        err.problem,
        KeymapProblem::BadKey {
            text: "entr".into(),
            problem: KeyError::UnknownName("entr".into())
        }
    );
    assert!(
        err.to_string().contains("pagedown"),
        "says what is allowed: {err}"
    );
}

#[test]
fn the_same_key_twice_names_both_lines() {
    let (_, err) = load_error(
        "[[members]]\non = \"x\"\nrun = \"kick\"\n\n[[members]]\non = \"y\"\nrun = \"poke\"\n\n[[members]]\non = \"x\"\nrun = \"mute\"\n",
    );
    assert_eq!(err.line, Some(10));
    assert_eq!(
        err.problem,
        KeymapProblem::DuplicateKey {
            context: Context::Members,
            keys: "x".into(),
            first_line: 2
        }
    );
    // The same key in two sections is fine.
    let path = user_file(
        "[[members]]\non = \"x\"\nrun = \"kick\"\n[[timeline]]\non = \"x\"\nrun = \"mute\"\n",
    );
    assert!(Keymap::load(Some(path.path()), &commands::known).is_ok());
}

#[test]
fn a_key_that_also_starts_a_chord_names_both_lines() {
    // The chord first, then the key …
    let (_, err) = load_error(
        "[[timeline]]\non = [\"z\", \"z\"]\nrun = \"top\"\n\n[[timeline]]\non = \"z\"\nrun = \"bottom\"\n",
    );
    assert_eq!(err.line, Some(6));
    assert_eq!(
        err.problem,
        KeymapProblem::ChordPrefix {
            context: Context::Timeline,
            key: "z".into(),
            key_line: 6,
            chord: "z z".into(),
            chord_line: 2
        }
    );
    let text = err.to_string();
    assert!(text.contains("line 2") && text.contains("line 6"), "{text}");
    // … or the key first, then the chord.
    let (_, err) = load_error(
        "[[timeline]]\non = \"z\"\nrun = \"bottom\"\n[[timeline]]\non = [\"z\", \"x\", \"y\"]\nrun = \"top\"\n",
    );
    assert_eq!(err.line, Some(5));
    assert_eq!(
        err.problem,
        KeymapProblem::ChordPrefix {
            context: Context::Timeline,
            key: "z".into(),
            key_line: 2,
            chord: "z x y".into(),
            chord_line: 5
        }
    );
}

#[test]
fn wrong_types_and_missing_fields_are_errors() {
    let (_, err) = load_error("[[timeline]]\non = 5\nrun = \"top\"\n");
    assert_eq!(err.line, Some(2));
    assert!(
        matches!(&err.problem, KeymapProblem::WrongType { field, found: "integer", .. } if field == "on"),
        "{err}"
    );

    let (_, err) = load_error("[[timeline]]\non = \"t\"\nrun = [\"top\"]\n");
    assert_eq!(err.line, Some(3));
    assert!(
        matches!(&err.problem, KeymapProblem::WrongType { field, found: "array", .. } if field == "run"),
        "{err}"
    );

    let (_, err) = load_error("[timeline]\non = \"t\"\nrun = \"top\"\n");
    assert!(
        matches!(&err.problem, KeymapProblem::WrongType { field, found: "table", .. } if field == "timeline"),
        "{err}"
    );
    assert!(err.to_string().contains("[[timeline]]"), "{err}");

    let (_, err) =
        load_error("[[global]]\non = \"f5\"\nrun = \"redraw\"\n\n[[timeline]]\non = \"t\"\n");
    assert_eq!(err.problem, KeymapProblem::MissingField("run"));
    assert_eq!(err.line, Some(5), "{err}");

    let (_, err) = load_error("[[timeline]]\nrun = \"top\"\n");
    assert_eq!(err.problem, KeymapProblem::MissingField("on"));

    let (_, err) = load_error("[[timeline]]\non = \"t\"\nrun = \"top\"\ndescription = \"oops\"\n");
    assert_eq!(err.line, Some(4));
    assert_eq!(
        err.problem,
        KeymapProblem::UnknownField("description".into())
    );

    let (_, err) = load_error("[[timeline]]\non = []\nrun = \"top\"\n");
    assert_eq!(err.line, Some(2));
    assert!(
        matches!(err.problem, KeymapProblem::WrongType { .. }),
        "{err}"
    );
}

#[test]
fn an_unreadable_file_is_an_error() {
    // A directory where the file should be.
    let path = user_file("");
    let dir = path.path().parent().unwrap().join("is-a-dir");
    std::fs::create_dir_all(&dir).unwrap();
    let err = Keymap::load(Some(&dir), &commands::known).unwrap_err();
    assert!(matches!(err.problem, KeymapProblem::Unreadable(_)), "{err}");
    assert!(
        err.to_string().starts_with(&dir.display().to_string()),
        "{err}"
    );
}

#[test]
fn an_empty_user_file_changes_nothing() {
    let file = user_file("# nothing yet\n");
    let map = Keymap::load(Some(file.path()), &commands::known).unwrap();
    assert_eq!(map.bindings, Keymap::default_map().bindings);
}

#[test]
fn napterm_keys_lists_bindings_and_actions() {
    let path = user_file("[[timeline]]\non = \"ctrl+d\"\nrun = \"page 1\"\ndesc = \"半页向下\"\n");
    let text = Keymap::load(Some(path.path()), &commands::known)
        .unwrap()
        .describe();
    for section in [
        "[[global]]",
        "[[sidebar]]",
        "[[timeline]]",
        "[[composer]]",
        "[[members]]",
        "[[popup]]",
    ] {
        assert!(text.contains(section), "{section} in\n{text}");
    }
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} in\n{text}"))
            .to_string()
    };
    // Keys that do the same thing share a row; the action is shown in canonical form.
    let down = line("选择下一条消息");
    assert!(
        down.contains("down, j") && down.contains("move 1"),
        "{down}"
    );
    assert!(line("半页向下").contains("ctrl+d"));
    assert!(line("执行命令").contains("run <command line>"));
    assert!(line("焦点移到指定窗格").contains("focus sidebar|timeline|composer|members"));
    for info in ACTIONS {
        assert!(text.contains(info.desc), "{} listed", info.name);
    }
}

#[test]
fn help_rows_and_hints_come_from_the_keymap() {
    let path = user_file(
        "[[timeline]]\non = \"R\"\nrun = \"reply\"\n[[timeline]]\non = \"r\"\nrun = \"noop\"\n",
    );
    let map = Keymap::load(Some(path.path()), &commands::known).unwrap();
    assert_eq!(
        map.hint(Context::Timeline, &Action::Reply).as_deref(),
        Some("R")
    );
    assert_eq!(
        Keymap::default_map()
            .hint(Context::Timeline, &Action::Reply)
            .as_deref(),
        Some("r")
    );
    // A global key counts when the pane does not bind it for something else.
    assert_eq!(
        map.hint(Context::Timeline, &Action::NextChat).as_deref(),
        Some("alt+down")
    );
    // Tab in the composer completes, so focus_next has no hint there.
    assert_eq!(map.hint(Context::Composer, &Action::FocusNext), None);
    assert_eq!(map.hint(Context::Popup, &Action::Reply), None);

    let rows = map.help_rows(Context::Timeline);
    let reply = rows.iter().find(|(k, _)| k == "R").unwrap();
    assert_eq!(reply.1, "回复选中的消息");
    assert!(
        rows.iter()
            .any(|(k, d)| k == "up, k" && d == "选择上一条消息"),
        "{rows:?}"
    );
}

#[test]
fn a_rebound_key_is_the_one_the_hints_show() {
    // The user moves reply from `r` to ctrl+r, and "cancel" in the composer from esc to ctrl+g.
    let path = user_file(
        "[[timeline]]\non = \"ctrl+r\"\nrun = \"reply\"\n\
         [[timeline]]\non = \"r\"\nrun = \"noop\"\n\
         [[composer]]\non = \"ctrl+g\"\nrun = \"cancel\"\n\
         [[composer]]\non = \"esc\"\nrun = \"noop\"\n",
    );
    // The timeline focused, a reply target in the composer: drawn as text.
    let screen = |map: Keymap| {
        snapshot::utc();
        let mut state = State::new(Settings::default(), map);
        state.focus = Pane::Timeline;
        state.composer.reply = Some(ReplyTarget {
            message_id: 1,
            author: "小明".into(),
            excerpt: "在吗".into(),
        });
        snapshot::render(&state, 120, 30)
    };
    let last_row = |s: &str| s.lines().last().unwrap_or_default().to_string();

    let rebound = screen(Keymap::load(Some(path.path()), &commands::known).unwrap());
    let hints = last_row(&rebound);
    assert!(hints.contains("ctrl+r 回复"), "timeline hint line: {hints}");
    assert!(!hints.contains(" r 回复"), "the old key is gone: {hints}");
    assert!(
        rebound.contains("(Ctrl+G 取消)") && !rebound.contains("(Esc 取消)"),
        "the reply target names the new key:\n{rebound}"
    );

    // With the defaults, the same screen shows the shipped keys.
    let shipped = screen(Keymap::default_map());
    let hints = last_row(&shipped);
    assert!(
        hints.contains(" r 回复") && !hints.contains("ctrl+r"),
        "{hints}"
    );
    assert!(shipped.contains("(Esc 取消)"), "{shipped}");
}

#[test]
fn keys_round_trip_through_their_text() {
    let map = Keymap::default_map();
    for ctx in Context::ALL {
        for b in map.bindings_of(ctx) {
            for k in &b.keys {
                assert_eq!(Key::parse(&k.to_string()).as_ref(), Ok(k));
            }
        }
    }
}
