//! The brain's modules stay a tree: no import cycle among the files of `src/app/`, and the core
//! (the list in `src/app/mod.rs`'s doc: `state`, `msg` and what they import) imports no feature.
//! Read from the source with std only, so the shape cannot rot between reviews.
//!
//! An edge is a path into another file module: `super::…`, `self::…`, `crate::app::…`, or a bare
//! path into one of the file's own child modules (`members::toggle_mark` in `admin/mod.rs`, the
//! call registry's `chat::History` rows in `call/mod.rs`, which `define_calls!` turns into
//! `pub use`). Comments, string literals and the `#[cfg(test)] mod` at a file's end are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A file module of `src/app/` by its path without `.rs`: `call/chat`, `admin` (for
/// `admin/mod.rs`); `""` is `app/mod.rs` itself.
type Module = String;

struct Graph {
    modules: BTreeSet<Module>,
    /// Imports between file modules; `app/mod.rs` only declares and re-exports, so it has none.
    edges: BTreeMap<Module, BTreeSet<Module>>,
    /// Paths that name `app/mod.rs`'s re-exports instead of the module that defines the item.
    through_root: Vec<(Module, String)>,
}

fn app_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app")
}

fn collect(dir: &Path, prefix: &str, out: &mut BTreeMap<Module, String>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("src/app is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 file name")
            .to_string();
        if path.is_dir() {
            collect(&path, &format!("{prefix}{name}/"), out);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            let module = if stem == "mod" {
                prefix.trim_end_matches('/').to_string()
            } else {
                format!("{prefix}{stem}")
            };
            out.insert(
                module,
                fs::read_to_string(&path).expect("a readable source file"),
            );
        }
    }
}

/// The code without comments, with string and char literals emptied, up to the test module.
fn code_of(text: &str) -> String {
    let text = match test_module_start(text) {
        Some(at) => &text[..at],
        None => text,
    };
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                out.push(' ');
            }
            'r' if matches!(c.get(i + 1), Some('"' | '#'))
                && (i == 0 || !is_ident(c[i - 1]))
                && raw_string_end(&c, i).is_some() =>
            {
                i = raw_string_end(&c, i).unwrap_or(c.len());
                out.push_str("\"\"");
            }
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    i += if c[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            '\'' => {
                // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
                if c.get(i + 1) == Some(&'\\') {
                    i += 3;
                    while i < c.len() && c[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                    out.push_str("' '");
                } else if c.get(i + 2) == Some(&'\'') {
                    i += 3;
                    out.push_str("' '");
                } else {
                    out.push('\'');
                    i += 1;
                }
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

/// Where `#[cfg(test)] mod name {` starts (tests sit last by convention).
fn test_module_start(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find("#[cfg(test)]") {
        let start = from + at;
        let rest = text[start + "#[cfg(test)]".len()..].trim_start();
        if rest.starts_with("mod ") {
            return Some(start);
        }
        from = start + 1;
    }
    None
}

/// The index past a raw string starting at `i` (`r"…"`, `r#"…"#`).
fn raw_string_end(c: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let mut hashes = 0;
    while c.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if c.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < c.len() {
        if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(c.len())
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Star,
    Other,
}

fn tokens(code: &str) -> Vec<Token> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && is_ident(c[i]) {
                i += 1;
            }
            out.push(Token::Ident(c[start..i].iter().collect()));
            continue;
        }
        if ch.is_whitespace() {
            i += 1;
            continue;
        }
        if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push(Token::PathSep);
            i += 2;
            continue;
        }
        out.push(match ch {
            '{' => Token::Open,
            '}' => Token::Close,
            ',' => Token::Comma,
            '*' => Token::Star,
            _ => Token::Other,
        });
        i += 1;
    }
    out
}

/// Parses the path (a use tree: `a::b::{c, d::e, self}`) at `t[i]`, an identifier; returns
/// every path it names, as segments, and the index past it.
fn path_at(t: &[Token], i: usize) -> (Vec<Vec<String>>, usize) {
    let mut segs = Vec::new();
    let mut i = i;
    while let Some(Token::Ident(s)) = t.get(i) {
        segs.push(s.clone());
        i += 1;
        if t.get(i) != Some(&Token::PathSep) {
            return (vec![segs], i);
        }
        i += 1;
        match t.get(i) {
            Some(Token::Open) => {
                let mut all = Vec::new();
                i += 1;
                loop {
                    match t.get(i) {
                        Some(Token::Close) => {
                            i += 1;
                            break;
                        }
                        Some(Token::Comma) => i += 1,
                        Some(Token::Ident(_)) => {
                            let (inner, next) = path_at(t, i);
                            for p in inner {
                                let mut full = segs.clone();
                                full.extend(p.into_iter().filter(|s| s != "self"));
                                all.push(full);
                            }
                            i = next;
                            // `Name as Alias`
                            if t.get(i) == Some(&Token::Ident("as".into())) {
                                i += 2;
                            }
                        }
                        Some(Token::Star) => {
                            all.push(segs.clone());
                            i += 1;
                        }
                        Some(_) => i += 1,
                        None => break,
                    }
                }
                return (all, i);
            }
            Some(Token::Star) => return (vec![segs], i + 1),
            Some(Token::Ident(_)) => continue,
            // `Vec::<T>`, `super::$name` in a macro: the path ends here.
            _ => return (vec![segs], i),
        }
    }
    (vec![segs], i)
}

fn split(module: &str) -> Vec<String> {
    if module.is_empty() {
        Vec::new()
    } else {
        module.split('/').map(String::from).collect()
    }
}

/// The longest prefix of `path` that is a file module.
fn resolve(modules: &BTreeSet<Module>, path: &[String]) -> Module {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].join("/"))
        .find(|m| modules.contains(m))
        .unwrap_or_default()
}

fn graph() -> Graph {
    let mut sources = BTreeMap::new();
    collect(&app_dir(), "", &mut sources);
    let modules: BTreeSet<Module> = sources.keys().cloned().collect();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    let mut through_root = Vec::new();
    for (module, text) in &sources {
        if module.is_empty() {
            continue;
        }
        let here = split(module);
        let children: BTreeSet<String> = modules
            .iter()
            .filter_map(|m| {
                let rest = m.strip_prefix(module.as_str())?.strip_prefix('/')?;
                (!rest.contains('/')).then(|| rest.to_string())
            })
            .collect();
        let t = tokens(&code_of(text));
        let mut i = 0;
        while i < t.len() {
            let starts_path = matches!(&t[i], Token::Ident(_))
                && (i == 0 || t[i - 1] != Token::PathSep)
                && t.get(i + 1) == Some(&Token::PathSep);
            if !starts_path {
                i += 1;
                continue;
            }
            let (paths, next) = path_at(&t, i);
            for p in paths {
                let target: Option<Vec<String>> = match p[0].as_str() {
                    "crate" if p.get(1).map(String::as_str) == Some("app") => Some(p[2..].to_vec()),
                    "crate" => None,
                    "super" | "self" => {
                        let mut base = here.clone();
                        let mut rest = &p[..];
                        while rest.first().map(String::as_str) == Some("super") {
                            base.pop();
                            rest = &rest[1..];
                        }
                        if rest.first().map(String::as_str) == Some("self") {
                            rest = &rest[1..];
                        }
                        base.extend(rest.iter().cloned());
                        Some(base)
                    }
                    first if children.contains(first) => {
                        let mut base = here.clone();
                        base.extend(p.iter().cloned());
                        Some(base)
                    }
                    _ => None,
                };
                let Some(target) = target else { continue };
                let to = resolve(&modules, &target);
                if to.is_empty() {
                    through_root.push((module.clone(), p.join("::")));
                } else if &to != module {
                    edges.entry(module.clone()).or_default().insert(to);
                }
            }
            i = next.max(i + 1);
        }
    }
    Graph {
        modules,
        edges,
        through_root,
    }
}

/// The import cycles: strongly connected components of more than one module (Tarjan).
fn cycles(g: &Graph) -> Vec<Vec<Module>> {
    struct Walk<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<Module>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        w.on_stack.insert(v);
        let g = w.g;
        for to in g.edges.get(v).into_iter().flatten() {
            let to = to.as_str();
            if !w.index.contains_key(to) {
                visit(w, to);
                let l = w.low[v].min(w.low[to]);
                w.low.insert(v, l);
            } else if w.on_stack.contains(to) {
                let l = w.low[v].min(w.index[to]);
                w.low.insert(v, l);
            }
        }
        if w.low[v] == w.index[v] {
            let mut comp = Vec::new();
            while let Some(m) = w.stack.pop() {
                w.on_stack.remove(m);
                comp.push(m.to_string());
                if m == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                w.found.push(comp);
            }
        }
    }
    let mut w = Walk {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for m in &g.modules {
        if !w.index.contains_key(m.as_str()) {
            visit(&mut w, m);
        }
    }
    w.found
}

/// The backticked names of the paragraph of `app/mod.rs`'s doc that starts with `heading`.
fn documented(heading: &str) -> BTreeSet<Module> {
    let text = fs::read_to_string(app_dir().join("mod.rs")).expect("src/app/mod.rs");
    let mut names = BTreeSet::new();
    let mut inside = false;
    for line in text.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            break;
        };
        let doc = doc.trim();
        if doc.starts_with(heading) {
            inside = true;
        } else if inside && doc.is_empty() {
            break;
        }
        if inside {
            names.extend(doc.split('`').skip(1).step_by(2).map(String::from));
        }
    }
    assert!(
        !names.is_empty(),
        "src/app/mod.rs's doc has no paragraph starting \"{heading}\""
    );
    names
}

#[test]
fn the_reader_sees_the_imports_the_registry_and_the_children() {
    let g = graph();
    let has = |from: &str, to: &str| g.edges.get(from).is_some_and(|e| e.contains(to));
    assert!(has("update", "state"), "a `use super::…` import");
    assert!(has("call", "call/members"), "a registry row `members::Ban`");
    assert!(has("admin", "admin/members"), "a path into a child module");
    assert!(
        has("admin/members", "admin/audit"),
        "a `super::audit::…` import"
    );
    assert!(
        has("history", "quotes"),
        "a path in code: `super::quotes::request(…)`"
    );
    assert!(
        g.edges.values().map(BTreeSet::len).sum::<usize>() > 150,
        "too few edges: the reader has broken"
    );
}

#[test]
fn the_app_modules_import_each_other_without_a_cycle() {
    let found = cycles(&graph());
    assert!(
        found.is_empty(),
        "import cycles in src/app (each line: modules that reach one another):\n{}",
        found
            .iter()
            .map(|c| c.join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn modules_name_where_an_item_lives_not_apps_re_exports() {
    let g = graph();
    assert!(
        g.through_root.is_empty(),
        "paths through app/mod.rs hide which module they use: {:?}",
        g.through_root
    );
}

#[test]
fn every_module_is_listed_as_core_or_feature() {
    let g = graph();
    let core = documented("The core modules");
    let features = documented("The feature modules");
    let listed: BTreeSet<Module> = core.union(&features).cloned().collect();
    let files: BTreeSet<Module> = g
        .modules
        .iter()
        .filter(|m| !m.is_empty())
        .cloned()
        .collect();
    let both: Vec<&Module> = core.intersection(&features).collect();
    let unlisted: Vec<&Module> = files.difference(&listed).collect();
    let missing: Vec<&Module> = listed.difference(&files).collect();
    assert!(both.is_empty(), "listed as core and as feature: {both:?}");
    assert!(
        unlisted.is_empty(),
        "add these to src/app/mod.rs's core or feature list: {unlisted:?}"
    );
    assert!(missing.is_empty(), "listed but no such file: {missing:?}");
}

#[test]
fn the_core_imports_no_feature_and_is_what_state_and_msg_need() {
    let g = graph();
    let core = documented("The core modules");
    let bad: Vec<String> = core
        .iter()
        .flat_map(|from| {
            g.edges
                .get(from)
                .into_iter()
                .flatten()
                .filter(|to| !core.contains(*to))
                .map(move |to| format!("{from} -> {to}"))
        })
        .collect();
    assert!(bad.is_empty(), "core modules import features: {bad:?}");
    // The core is `state`, `msg` and what they import: nothing more is listed.
    let mut needed: BTreeSet<&str> = BTreeSet::new();
    let mut todo = vec!["state", "msg"];
    while let Some(m) = todo.pop() {
        if needed.insert(m) {
            todo.extend(g.edges.get(m).into_iter().flatten().map(String::as_str));
        }
    }
    let extra: Vec<&Module> = core
        .iter()
        .filter(|m| !needed.contains(m.as_str()))
        .collect();
    assert!(
        extra.is_empty(),
        "listed as core but neither state nor msg needs them (list them as features): {extra:?}"
    );
}
