//! Power-user habits (issue 15): the link picker, compose in $EDITOR, highlights and per-chat
//! notify modes, themes. Keys in, state and effects out, as in tests/core.rs; no terminal,
//! socket or timing.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use napterm::app::call::{FileUrl, Groups, MemberList};
use napterm::app::contacts::{GroupEntry, Member};
use napterm::app::keymap::Keymap;
use napterm::app::popup::{LinkTarget, Popup};
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Call, Effect, Msg, Pane, Reply, State};
use napterm::onebot::{ClientEvent, ConnState, Frame, Peer, Role, parse_frame};
use napterm::ui::theme::{ColorMode, Theme};
use napterm::ui::{Ui, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

mod snapshot;

const NOW: i64 = 1_795_003_200;
const ME: i64 = 10001;
const G: i64 = 30001;
const GROUP: Peer = Peer::Group(G);
const MEMBER: i64 = 20002;

// ----- arrange -----

fn in_group() -> State {
    in_group_with(Settings::default())
}

fn in_group_with(settings: Settings) -> State {
    snapshot::utc();
    let mut s = State::new(settings, Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Connected {
            self_id: ME,
            nickname: "我".into(),
        })),
    );
    let groups = vec![GroupEntry {
        group_id: G,
        name: "技术群".into(),
        ..Default::default()
    }];
    update(&mut s, Msg::Reply(Reply::Groups(Groups, Ok(groups))));
    command(&mut s, &format!("open g:{G}"));
    let list = vec![
        Member {
            user_id: ME,
            nickname: "我".into(),
            role: Role::Member,
            ..Default::default()
        },
        Member {
            user_id: MEMBER,
            nickname: "小明".into(),
            role: Role::Member,
            ..Default::default()
        },
    ];
    update(
        &mut s,
        Msg::Reply(Reply::MemberList(MemberList { group: G }, Ok(list))),
    );
    s
}

fn event(json: Value) -> Msg {
    let Ok(Frame::Event(e)) = parse_frame(&json.to_string()) else {
        panic!("not an event: {json}");
    };
    Msg::Client(ClientEvent::Event(e))
}

fn group_msg(id: i64, user: i64, chain: Value) -> Value {
    json!({
        "post_type": "message", "message_type": "group", "sub_type": "normal",
        "time": NOW - 1000 + id, "self_id": ME, "user_id": user, "group_id": G,
        "message_id": id,
        "sender": {"user_id": user, "nickname": format!("成员{user}"), "role": "member"},
        "message": chain, "message_format": "array",
    })
}

fn text(t: &str) -> Value {
    json!([{"type": "text", "data": {"text": t}}])
}

/// Draws the state and hands what the frame showed back to `update`, as the runtime does.
fn drawn(s: &mut State, w: u16, h: u16) {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let mut ui = Ui::new(Theme::new(ColorMode::None));
    let mut report = None;
    term.draw(|f| {
        report = Some(draw(s, &mut ui, f.buffer_mut()).report);
    })
    .expect("draw");
    update(s, Msg::Frame(report.expect("a frame")));
}

// ----- act -----

fn press(s: &mut State, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, mods)))
}

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    press(s, code, KeyModifiers::NONE)
}

fn type_text(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| key(s, KeyCode::Char(c)))
        .collect()
}

/// Runs a command from the `:` line, as a user would from the timeline.
fn command(s: &mut State, line: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    for _ in 0..3 {
        if s.focus == Pane::Timeline {
            break;
        }
        fx.extend(key(s, KeyCode::Esc));
    }
    assert_eq!(s.focus, Pane::Timeline, "Esc reaches the timeline");
    fx.extend(type_text(s, &format!(":{line}")));
    fx.extend(key(s, KeyCode::Enter));
    fx
}

fn calls(fx: &[Effect]) -> Vec<&Call> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Call(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn opened(fx: &[Effect]) -> Vec<&str> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Open(u) => Some(u.as_str()),
            _ => None,
        })
        .collect()
}

// ----- the link picker -----

/// A chat with four links over three messages and a group file without a URL.
fn with_links() -> State {
    let mut s = in_group();
    update(
        &mut s,
        event(group_msg(
            1,
            MEMBER,
            text("文档 https://a.example/1 和 https://b.example/2"),
        )),
    );
    update(&mut s, event(group_msg(2, ME, text("没有链接"))));
    update(
        &mut s,
        event(group_msg(
            3,
            MEMBER,
            json!([
                {"type": "file", "data": {"file": "报告.pdf", "file_id": "/f-1", "file_size": "1024"}}
            ]),
        )),
    );
    update(
        &mut s,
        event(group_msg(
            4,
            MEMBER,
            text("https://c.example/very/long/path?x=1"),
        )),
    );
    drawn(&mut s, 100, 30);
    s
}

fn picker(s: &State) -> &napterm::app::popup::LinkPicker {
    match &s.popup {
        Some(Popup::Links(p)) => p,
        other => panic!("no link picker: {other:?}"),
    }
}

#[test]
fn ctrl_o_numbers_the_visible_links_top_to_bottom() {
    let mut s = with_links();
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    let targets: Vec<LinkTarget> = picker(&s).items.iter().map(|e| e.target.clone()).collect();
    assert_eq!(
        targets,
        [
            LinkTarget::Url("https://a.example/1".into()),
            LinkTarget::Url("https://b.example/2".into()),
            LinkTarget::GroupFile {
                group: G,
                file_id: "/f-1".into(),
                name: "报告.pdf".into(),
            },
            LinkTarget::Url("https://c.example/very/long/path?x=1".into()),
        ]
    );
    assert_eq!(picker(&s).items[0].sender, "小明");
    // Nothing selected in the timeline: the newest link is under the cursor.
    assert_eq!(picker(&s).selected, 3);
}

#[test]
fn a_digit_opens_its_link_by_the_rules_of_o() {
    let mut s = with_links();
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    let fx = key(&mut s, KeyCode::Char('2'));
    assert_eq!(opened(&fx), ["https://b.example/2"]);
    assert_eq!(s.popup, None);

    // A group file without a URL: its link is asked for, then opened.
    command(&mut s, "links");
    let fx = key(&mut s, KeyCode::Char('3'));
    let want = FileUrl {
        group: G,
        file_id: "/f-1".into(),
        copy: false,
    };
    assert_eq!(calls(&fx), [&Call::FileUrl(want.clone())]);
    let fx = update(
        &mut s,
        Msg::Reply(Reply::FileUrl(
            want,
            Ok("https://ftn.example/报告.pdf".into()),
        )),
    );
    assert_eq!(opened(&fx), ["https://ftn.example/报告.pdf"]);
}

#[test]
fn enter_opens_the_selected_link_and_y_copies_it() {
    let mut s = with_links();
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Up);
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(opened(&fx), ["https://b.example/2"]);

    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    let fx = key(&mut s, KeyCode::Char('y'));
    assert!(opened(&fx).is_empty());
    assert!(
        fx.contains(&Effect::Copy("https://c.example/very/long/path?x=1".into())),
        "{fx:?}"
    );
    assert_eq!(s.popup, None);

    // Copying a group file's link asks for it and copies what comes.
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    key(&mut s, KeyCode::Up);
    let fx = key(&mut s, KeyCode::Char('y'));
    let want = FileUrl {
        group: G,
        file_id: "/f-1".into(),
        copy: true,
    };
    assert_eq!(calls(&fx), [&Call::FileUrl(want.clone())]);
    let fx = update(
        &mut s,
        Msg::Reply(Reply::FileUrl(want, Ok("https://ftn.example/f".into()))),
    );
    assert_eq!(
        fx.iter().filter(|e| matches!(e, Effect::Copy(_))).count(),
        1
    );
    assert!(opened(&fx).is_empty());
}

#[test]
fn the_selected_message_preselects_its_first_link() {
    let mut s = with_links();
    command(&mut s, "");
    // The timeline's selection on message 1 (up from the newest, past the file and the text).
    for _ in 0..4 {
        key(&mut s, KeyCode::Char('k'));
    }
    drawn(&mut s, 100, 30);
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    assert_eq!(picker(&s).selected, 0);
    // `o` on the same message opens its first link: the same rule.
    key(&mut s, KeyCode::Esc);
    let fx = key(&mut s, KeyCode::Char('o'));
    assert_eq!(opened(&fx), ["https://a.example/1"]);
}

#[test]
fn more_than_nine_links_take_two_digits() {
    let mut s = in_group();
    let urls: Vec<String> = (1..=12).map(|i| format!("https://l{i}.example")).collect();
    update(&mut s, event(group_msg(1, MEMBER, text(&urls.join(" ")))));
    drawn(&mut s, 100, 30);
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    // `1` could be 1, 10, 11 or 12: it waits, with 1 selected.
    let fx = key(&mut s, KeyCode::Char('1'));
    assert!(opened(&fx).is_empty());
    assert_eq!(picker(&s).selected, 0);
    let fx = key(&mut s, KeyCode::Char('2'));
    assert_eq!(opened(&fx), ["https://l12.example"]);
    // `1` then Enter: the first.
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    key(&mut s, KeyCode::Char('1'));
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(opened(&fx), ["https://l1.example"]);
    // `2` cannot grow (20 > 12): it opens at once. A number past the end says so.
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    let fx = key(&mut s, KeyCode::Char('2'));
    assert_eq!(opened(&fx), ["https://l2.example"]);
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    key(&mut s, KeyCode::Char('1'));
    let fx = key(&mut s, KeyCode::Char('5'));
    assert!(opened(&fx).is_empty());
    assert!(
        s.status.error().unwrap_or("").contains("15"),
        "{:?}",
        s.status
    );
    assert!(s.popup.is_some());
}

#[test]
fn no_links_on_screen_says_so() {
    let mut s = in_group();
    update(&mut s, event(group_msg(1, MEMBER, text("只是文字"))));
    drawn(&mut s, 100, 30);
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    assert_eq!(s.popup, None);
    assert!(s.status.error().is_some());
}

#[test]
fn the_link_picker_snapshot() {
    let mut s = with_links();
    press(&mut s, KeyCode::Char('o'), KeyModifiers::CONTROL);
    insta::assert_snapshot!("links_80x24", snapshot::render(&s, 80, 24));
}

// ----- compose in $EDITOR -----

fn edits(fx: &[Effect]) -> Vec<(Option<Peer>, String)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Edit { peer, text } => Some((*peer, text.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn ctrl_x_ctrl_e_hands_the_draft_to_the_editor_and_ctrl_e_stays_end_of_line() {
    let mut s = in_group();
    assert_eq!(s.focus, Pane::Composer);
    type_text(&mut s, "第一行");
    press(&mut s, KeyCode::Home, KeyModifiers::NONE);
    let fx = press(&mut s, KeyCode::Char('e'), KeyModifiers::CONTROL);
    assert!(edits(&fx).is_empty(), "Ctrl+E alone is end of line");
    type_text(&mut s, "!");
    assert_eq!(s.composer.text(), "第一行!");
    press(&mut s, KeyCode::Char('x'), KeyModifiers::CONTROL);
    let fx = press(&mut s, KeyCode::Char('e'), KeyModifiers::CONTROL);
    assert_eq!(edits(&fx), [(Some(GROUP), "第一行!".to_string())]);
    // /editor from the command line does the same.
    let fx = command(&mut s, "editor");
    assert_eq!(edits(&fx), [(Some(GROUP), "第一行!".to_string())]);
}

#[test]
fn the_edited_text_becomes_the_draft_with_mentions_and_faces_working() {
    let mut s = in_group();
    type_text(&mut s, "草稿");
    let fx = update(
        &mut s,
        Msg::Edited {
            peer: Some(GROUP),
            result: Ok("@小明 看看 [face:14]\n第二行 @20002，邮件 a@example.com\n".into()),
        },
    );
    assert!(calls(&fx).is_empty(), "nothing is sent: {fx:?}");
    assert_eq!(
        s.composer.text(),
        "@小明 看看 [face:14]\n第二行 @20002，邮件 a@example.com"
    );
    assert_eq!(s.focus, Pane::Composer);
    let fx = key(&mut s, KeyCode::Enter);
    let sent = calls(&fx)
        .into_iter()
        .find_map(|c| match c {
            Call::SendMessage(m) => Some(m.chain.clone()),
            _ => None,
        })
        .expect("sent");
    let segs = serde_json::to_value(&sent).expect("json");
    let types: Vec<&str> = segs
        .as_array()
        .expect("array")
        .iter()
        .map(|s| s["type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        types,
        ["at", "text", "face", "text", "at", "text"],
        "{segs}"
    );
    assert_eq!(segs[0]["data"]["qq"], "20002");
    assert_eq!(segs[4]["data"]["qq"], "20002");
}

#[test]
fn a_failed_editor_keeps_the_draft_and_says_why() {
    let mut s = in_group();
    type_text(&mut s, "别丢");
    update(
        &mut s,
        Msg::Edited {
            peer: Some(GROUP),
            result: Err("找不到编辑器「nvim」(请设置 $VISUAL 或 $EDITOR)".into()),
        },
    );
    assert_eq!(s.composer.text(), "别丢");
    let e = s.status.error().unwrap_or_default().to_string();
    assert!(e.contains("nvim") && e.contains("草稿未改动"), "{e}");
}

#[test]
fn the_editor_runs_on_a_private_file_that_is_gone_afterwards() {
    let dir = std::env::temp_dir().join(format!("napterm-editor-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let script = dir.join("fake-editor");
    let log = dir.join("log");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nstat -c %a \"$1\" > {log}\ncat \"$1\" >> {log}\necho \"$1\" >> {log}\n\
             printf '改好了\\n' > \"$1\"\n",
            log = log.display()
        ),
    )
    .expect("script");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let work = dir.join("tmp");
    std::fs::create_dir_all(&work).expect("tmp");
    use napterm::runtime::editor::edit;
    let got = rt.block_on(edit(&script.display().to_string(), &work, "草稿 @小明"));
    assert_eq!(got.as_deref(), Ok("改好了\n"));
    let log = std::fs::read_to_string(&log).expect("log");
    let mut lines = log.lines();
    assert_eq!(lines.next(), Some("600"), "the file is private");
    assert_eq!(lines.next(), Some("草稿 @小明"), "the draft went in");
    let path = lines.next().expect("path");
    assert!(!std::path::Path::new(path).exists(), "{path} removed");
    assert_eq!(std::fs::read_dir(&work).expect("tmp").count(), 0);

    // A failing editor, a missing one: why, and the file is gone all the same.
    let failed = rt.block_on(edit("exit 3; :", &work, "x"));
    assert!(
        failed.as_ref().is_err_and(|e| e.contains("状态 3")),
        "{failed:?}"
    );
    let missing = rt.block_on(edit("/nonexistent/editor", &work, "x"));
    assert!(
        missing.as_ref().is_err_and(|e| e.contains("找不到编辑器")),
        "{missing:?}"
    );
    assert_eq!(std::fs::read_dir(&work).expect("tmp").count(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

// ----- highlights and notify modes -----

fn notifications(fx: &[Effect]) -> usize {
    fx.iter()
        .filter(|e| matches!(e, Effect::Notify { .. }))
        .count()
}

fn highlighting(words: &[&str]) -> State {
    let highlights = napterm::app::notify::Highlights::parse(
        &words.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
    )
    .expect("valid");
    let mut s = in_group_with(Settings {
        highlights,
        ..Settings::default()
    });
    // Another chat is open: the group's messages arrive in the background.
    command(&mut s, "close");
    s
}

#[test]
fn a_highlight_word_counts_as_a_mention() {
    let mut s = highlighting(&["部署", "napterm", "/v\\d+\\.\\d+/"]);
    let fx = update(&mut s, event(group_msg(1, MEMBER, text("今晚部署"))));
    assert_eq!(notifications(&fx), 1, "CJK inside a sentence");
    let fx = update(&mut s, event(group_msg(2, MEMBER, text("用 NapTerm 吧"))));
    assert_eq!(notifications(&fx), 1, "any case");
    let fx = update(
        &mut s,
        event(group_msg(3, MEMBER, text("napterms 是别的词"))),
    );
    assert_eq!(notifications(&fx), 0, "a Latin word stands alone");
    let fx = update(&mut s, event(group_msg(4, MEMBER, text("发布 V2.1"))));
    assert_eq!(notifications(&fx), 1, "a regex");
    let fx = update(&mut s, event(group_msg(5, MEMBER, text("闲聊"))));
    assert_eq!(notifications(&fx), 0);
    let fx = update(&mut s, event(group_msg(6, ME, text("我自己说部署"))));
    assert_eq!(notifications(&fx), 0, "your own words are no highlight");
    let chat = &s.chats[&GROUP];
    assert_eq!(
        (chat.unread, chat.mentions),
        (5, 3),
        "the sidebar's @ marker counts them"
    );
}

#[test]
fn a_highlighted_message_is_bold_in_the_timeline() {
    let mut s = highlighting(&["部署"]);
    update(&mut s, event(group_msg(1, MEMBER, text("部署上线"))));
    update(&mut s, event(group_msg(2, MEMBER, text("普通消息"))));
    command(&mut s, &format!("open g:{G}"));
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let mut ui = Ui::new(Theme::new(ColorMode::None));
    term.draw(|f| {
        draw(&s, &mut ui, f.buffer_mut());
    })
    .expect("draw");
    let buf = term.backend().buffer();
    // The first character of the text, in the message column (right of the sidebar).
    let bold_of = |first: &str| {
        (0..buf.area.height)
            .flat_map(|y| (30..buf.area.width).map(move |x| (x, y)))
            .find(|&(x, y)| buf[(x, y)].symbol() == first)
            .map(|(x, y)| {
                buf[(x, y)]
                    .modifier
                    .contains(ratatui::style::Modifier::BOLD)
            })
            .unwrap_or_else(|| panic!("{first} not on screen"))
    };
    assert!(bold_of("部"));
    assert!(!bold_of("普"));
}

#[test]
fn notify_modes_per_chat_are_saved_and_shown_in_the_header() {
    let mut s = in_group();
    let fx = command(&mut s, "notify none");
    let saved = fx
        .iter()
        .find_map(|e| match e {
            Effect::SaveSession(session) => Some(session.clone()),
            _ => None,
        })
        .expect("saved");
    assert_eq!(
        saved.notify.get(GROUP),
        napterm::app::notify::NotifyMode::None
    );
    let screen = snapshot::render(&s, 100, 30);
    assert!(
        screen.lines().next().unwrap().contains("不通知"),
        "{screen}"
    );
    command(&mut s, "close");
    // none: not even a mention alerts (the unread and @ counts still grow).
    let mention = json!([{"type": "at", "data": {"qq": ME.to_string()}}, {"type": "text", "data": {"text": " 在吗"}}]);
    let fx = update(&mut s, event(group_msg(1, MEMBER, mention.clone())));
    assert_eq!(notifications(&fx), 0);
    assert_eq!(s.chats[&GROUP].mentions, 1);
    // all: every message.
    command(&mut s, &format!("open g:{G}"));
    command(&mut s, "notify all");
    command(&mut s, "close");
    let fx = update(&mut s, event(group_msg(2, MEMBER, text("随便说说"))));
    assert_eq!(notifications(&fx), 1);
    // mentions (the group's default): mentions only, and the header says nothing.
    command(&mut s, &format!("open g:{G}"));
    command(&mut s, "notify mentions");
    let screen = snapshot::render(&s, 100, 30);
    assert!(!screen.lines().next().unwrap().contains("通知"), "{screen}");
    assert_eq!(s.session().notify, Default::default());
    command(&mut s, "close");
    assert_eq!(
        notifications(&update(&mut s, event(group_msg(3, MEMBER, text("随便"))))),
        0
    );
    assert_eq!(
        notifications(&update(&mut s, event(group_msg(4, MEMBER, mention)))),
        1
    );
    // A bad mode explains itself.
    command(&mut s, &format!("open g:{G}"));
    command(&mut s, "notify sometimes");
    assert!(s.status.error().unwrap_or("").contains("all|mentions|none"));
}

#[test]
fn notify_modes_survive_a_restart() {
    let mut s = in_group();
    command(&mut s, "notify all");
    let saved = napterm::runtime::persist::Saved::new(&s.session());
    let text = serde_json::to_string(&saved).expect("json");
    assert!(text.contains(&format!("\"g:{G}\":\"all\"")), "{text}");
    let back: napterm::runtime::persist::Saved = serde_json::from_str(&text).expect("read back");
    let mut fresh = in_group();
    update(&mut fresh, Msg::Restore(back.session()));
    assert_eq!(
        fresh.notify_modes.get(GROUP),
        napterm::app::notify::NotifyMode::All
    );
}

#[test]
fn a_bad_highlight_regex_is_a_config_error_naming_file_line_and_key() {
    let text = "url = \"ws://127.0.0.1:3001/\"\n\n[notify]\nbell = true\nhighlight = [\"部署\", \"/(oops/\"]\n";
    let e = napterm::config::Config::parse(text, std::path::Path::new("/cfg/config.toml"))
        .unwrap_err()
        .to_string();
    for want in ["/cfg/config.toml", "line 5", "notify.highlight", "(oops"] {
        assert!(e.contains(want), "{want} in {e}");
    }
    let ok = "[notify]\nhighlight = [\"部署\", \"/v\\\\d+/\"]\n";
    assert!(napterm::config::Config::parse(ok, std::path::Path::new("c.toml")).is_ok());
}
