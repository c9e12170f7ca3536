//! The command table as a user meets it: every name and alias runs its row, and /help, the help
//! overlay and the README list every command.

mod snapshot;

use std::path::Path;

use napterm::app::Effect;
use napterm::app::commands::{COMMANDS, Command, find, run};
use napterm::app::keymap::Keymap;
use napterm::app::popup::Popup;
use napterm::app::state::{Settings, State};

fn fresh() -> State {
    State::new(Settings::default(), Keymap::default_map())
}

/// Runs `/line` on a fresh state: the result, the effects and what the user then sees.
fn outcome(line: &str) -> (Result<(), String>, Vec<Effect>, bool, Option<String>) {
    let mut state = fresh();
    let mut fx = Vec::new();
    let result = run(&mut state, line, &mut fx);
    (result, fx, state.quit, state.command_line.clone())
}

/// Every way to call a row: its name, then its aliases.
fn names(c: &Command) -> impl Iterator<Item = &'static str> {
    std::iter::once(c.name).chain(c.aliases.iter().copied())
}

#[test]
fn every_name_and_alias_runs_its_own_row() {
    for c in COMMANDS {
        for name in names(c) {
            let found = find(name).unwrap_or_else(|| panic!("/{name} is not found"));
            assert!(std::ptr::eq(found, c), "/{name} finds /{}", found.name);
            let (result, fx, quit, line) = outcome(name);
            if let Err(e) = &result {
                assert!(!e.contains("未知命令"), "/{name}: {e}");
            }
            // An alias does exactly what the name does.
            assert_eq!(
                (result, fx, quit, line),
                outcome(c.name),
                "/{name} against /{}",
                c.name
            );
            if c.no_args {
                assert_eq!(
                    run(&mut fresh(), &format!("{name} extra"), &mut Vec::new()),
                    Err(format!("/{} 不需要参数", c.name)),
                    "/{name} with an argument"
                );
            }
        }
    }
}

#[test]
fn no_name_belongs_to_two_rows() {
    let all: Vec<&str> = COMMANDS.iter().flat_map(names).collect();
    for (i, name) in all.iter().enumerate() {
        assert!(!all[i + 1..].contains(name), "/{name} is claimed twice");
        assert!(
            !name.is_empty() && !name.contains(char::is_whitespace),
            "{name:?}"
        );
    }
}

#[test]
fn an_unknown_command_says_so_and_an_empty_one_asks_for_a_name() {
    let e = run(&mut fresh(), "frobnicate now", &mut Vec::new()).unwrap_err();
    assert!(e.contains("未知命令 /frobnicate"), "{e}");
    let e = run(&mut fresh(), "  ", &mut Vec::new()).unwrap_err();
    assert!(e.contains("/help"), "{e}");
}

#[test]
fn the_help_overlay_lists_every_command() {
    snapshot::utc();
    let mut state = fresh();
    run(&mut state, "help", &mut Vec::new()).expect("/help");
    assert!(matches!(state.popup, Some(Popup::Help(_))));
    let screen = snapshot::render(&state, 120, 400);
    let lines: Vec<&str> = screen.lines().collect();
    for c in COMMANDS {
        let usage = format!("/{} {}", c.name, c.usage);
        let desc = state.keymap.fill_keys(c.desc);
        // The description beside its usage, or on the row below a usage too wide for its column.
        assert!(
            lines
                .iter()
                .enumerate()
                .any(|(i, l)| l.contains(usage.trim_end())
                    && (l.contains(&desc) || lines.get(i + 1).is_some_and(|n| n.contains(&desc)))),
            "/{} ({desc}) in the help overlay:\n{screen}",
            c.name
        );
    }
}

#[test]
fn the_keys_a_description_names_come_from_the_keymap() {
    let defaults = Keymap::default_map();
    for c in COMMANDS {
        let desc = defaults.fill_keys(c.desc);
        assert!(
            !desc.contains('{'),
            "/{}: a mark names no action: {desc}",
            c.name
        );
    }
    let search = find("search").expect("/search").desc;
    assert_eq!(
        defaults.fill_keys(search),
        "在当前会话中搜索 (n/N 上一个/下一个)"
    );
    let essences = find("essences").expect("/essences").desc;
    assert_eq!(defaults.fill_keys(essences), "精华消息列表 (Enter 跳转)");
    // Rebound: the description follows.
    let mut rebound = Keymap::default_map();
    rebound
        .merge(
            "[[timeline]]\non = \"ctrl+n\"\nrun = \"search_next\"\n\
             [[timeline]]\non = \"n\"\nrun = \"noop\"\n",
            Path::new("keymap.toml"),
            &napterm::app::commands::known,
        )
        .expect("user keymap");
    assert_eq!(
        rebound.fill_keys(search),
        "在当前会话中搜索 (Ctrl+N/N 上一个/下一个)"
    );
}

#[test]
fn the_readme_documents_every_command() {
    let readme = include_str!("../README.md");
    for c in COMMANDS {
        assert!(
            readme.contains(&format!("`/{}", c.name)),
            "README documents /{}",
            c.name
        );
    }
}
