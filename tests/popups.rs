//! The protocol every popup shares, checked on every popup through `update`: the global quit
//! works from each, Esc closes each (or leaves its text field first), a paste goes into the text
//! field of the popups that have one and nowhere else, and the list keys stay inside the list.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use napterm::app::inbox::{PendingRequest, RequestWhat};
use napterm::app::keymap::Keymap;
use napterm::app::popup::InboxInput;
use napterm::app::popup::{
    Confirm, EssenceList, FacePicker, ForwardLevel, ForwardView, HelpView, InboxView, LeaveConfirm,
    LinkEntry, LinkPicker, LinkTarget, Load, MuteList, MutePicker, NoticeList, Popup, ProfileCard,
    ReactionList, ReactionPicker, ReactionRow, Sheet, SheetKind,
};
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Effect, Msg, Pane, State};
use napterm::onebot::types::{GroupNotice, ShutListEntry};
use napterm::onebot::{MessageEvent, Peer};

const GROUP: i64 = 30001;

fn state_with(popup: Popup) -> State {
    let mut s = State::new(Settings::default(), Keymap::default_map());
    s.focus = Pane::Sidebar;
    s.inbox.items = (0..3).map(request).collect();
    s.popup = Some(popup);
    s
}

fn request(i: i64) -> PendingRequest {
    PendingRequest {
        flag: format!("flag{i}"),
        what: RequestWhat::Join { group: GROUP },
        user_id: 40000 + i,
        nickname: format!("申请人{i}"),
        group_name: String::new(),
        comment: String::new(),
        time: None,
        filtered: false,
        answering: false,
    }
}

fn press(s: &mut State, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, mods)))
}

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    press(s, code, KeyModifiers::NONE)
}

fn notices(n: usize, pending: Option<usize>) -> NoticeList {
    NoticeList {
        group: GROUP,
        items: Load::Ready(
            (0..n)
                .map(|i| GroupNotice {
                    notice_id: format!("n{i}"),
                    text: format!("公告 {i}"),
                    ..Default::default()
                })
                .collect(),
        ),
        selected: 0,
        pending,
    }
}

fn mute_picker(custom: Option<&str>) -> MutePicker {
    MutePicker {
        group: GROUP,
        targets: vec![20002],
        selected: 0,
        custom: custom.map(str::to_string),
        error: None,
    }
}

fn inbox(input: bool) -> InboxView {
    InboxView {
        selected: 0,
        input: input.then(|| InboxInput {
            flag: "flag0".into(),
            approve: false,
            text: String::new(),
        }),
    }
}

fn leave() -> LeaveConfirm {
    LeaveConfirm {
        group: GROUP,
        name: "群".into(),
        dismiss: false,
        typed: String::new(),
        error: None,
    }
}

fn mutes() -> MuteList {
    MuteList {
        group: GROUP,
        items: Load::Ready(vec![ShutListEntry::default(), ShutListEntry::default()]),
        selected: 0,
    }
}

fn sheet() -> Sheet {
    Sheet {
        group: GROUP,
        kind: SheetKind::Info,
        rows: Load::Ready(vec![("群号".into(), GROUP.to_string())]),
        scroll: 0,
    }
}

fn links() -> LinkPicker {
    LinkPicker {
        items: (0..3)
            .map(|i| LinkEntry {
                target: LinkTarget::Url(format!("https://l{i}.example")),
                sender: "小明".into(),
                sender_id: 20002,
            })
            .collect(),
        selected: 0,
        typed: String::new(),
    }
}

/// One of every popup, each in the state it opens in (text fields empty, lists loaded).
fn every_popup() -> Vec<Popup> {
    vec![
        Popup::Help(HelpView::default()),
        Popup::Faces(FacePicker::default()),
        Popup::Confirm(Confirm {
            title: "撤回消息".into(),
            body: "撤回你的消息？".into(),
            on_yes: vec![Effect::Redraw],
        }),
        Popup::Mute(mute_picker(None)),
        Popup::Profile(ProfileCard {
            group: Some(GROUP),
            user: 20002,
            data: None,
            error: None,
        }),
        Popup::Essences(EssenceList {
            group: GROUP,
            items: Load::Ready(Vec::new()),
            selected: 0,
        }),
        Popup::Notices(notices(3, None)),
        Popup::Mutes(mutes()),
        Popup::Sheet(sheet()),
        Popup::Inbox(inbox(false)),
        Popup::Leave(leave()),
        Popup::Links(links()),
        Popup::Forward(forward(None, 1)),
        Popup::React(picker()),
        Popup::Reactions(ReactionList {
            peer: Peer::Group(GROUP),
            id: 7,
            rows: Load::Ready(vec![ReactionRow {
                emoji: "76".into(),
                count: 1,
                who: Load::Loading,
            }]),
            scroll: 0,
        }),
    ]
}

/// The forward viewer `depth` levels deep, searching for `search` when given.
fn forward(search: Option<&str>, depth: usize) -> ForwardView {
    let node: MessageEvent = serde_json::from_value(serde_json::json!({
        "user_id": 20002, "time": 1, "message_id": 5, "message_type": "private",
        "sender": {"user_id": 20002, "nickname": "甲"},
        "message": [{"type": "text", "data": {"text": "你好"}}],
    }))
    .expect("a node");
    ForwardView {
        levels: (0..depth)
            .map(|i| ForwardLevel {
                id: format!("f{i}"),
                label: "甲".into(),
                nodes: Load::Ready(vec![node.clone(), node.clone()]),
                selected: 0,
            })
            .collect(),
        search: search.map(str::to_string),
        query: search.unwrap_or_default().to_string(),
        note: None,
    }
}

fn picker() -> ReactionPicker {
    ReactionPicker {
        peer: Peer::Group(GROUP),
        id: 7,
        query: String::new(),
        selected: 0,
    }
}

/// The popups in a state with a text field or a question of their own: Esc steps back from it.
fn every_popup_in_a_second_step() -> Vec<(Popup, Popup)> {
    vec![
        (
            Popup::Mute(mute_picker(Some("2h"))),
            Popup::Mute(mute_picker(None)),
        ),
        (Popup::Inbox(inbox(true)), Popup::Inbox(inbox(false))),
        (
            Popup::Notices(notices(3, Some(1))),
            Popup::Notices(notices(3, None)),
        ),
        // The viewer: out of the search (the query stays, for the next match), then back one
        // level.
        (
            Popup::Forward(forward(Some("你"), 1)),
            Popup::Forward(ForwardView {
                query: "你".into(),
                ..forward(None, 1)
            }),
        ),
        (
            Popup::Forward(forward(None, 2)),
            Popup::Forward(forward(None, 1)),
        ),
    ]
}

/// The text a popup's field holds, for the popups that have one.
fn field(p: &Popup) -> Option<&str> {
    match p {
        Popup::Faces(f) => Some(&f.query),
        Popup::Mute(m) => m.custom.as_deref(),
        Popup::Inbox(v) => v.input.as_ref().map(|i| i.text.as_str()),
        Popup::Leave(l) => Some(&l.typed),
        Popup::Forward(v) => v.search.as_deref(),
        Popup::React(r) => Some(&r.query),
        _ => None,
    }
}

#[test]
fn the_global_quit_works_from_every_popup() {
    let all = every_popup()
        .into_iter()
        .chain(every_popup_in_a_second_step().into_iter().map(|(p, _)| p));
    for p in all {
        let mut s = state_with(p.clone());
        press(&mut s, KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(s.quit, "ctrl+c did not quit from {p:?}");
    }
}

#[test]
fn esc_closes_every_popup() {
    for p in every_popup() {
        let mut s = state_with(p.clone());
        let fx = key(&mut s, KeyCode::Esc);
        assert_eq!(s.popup, None, "Esc left {p:?} open");
        assert!(
            !fx.iter().any(|e| matches!(e, Effect::Call(_))),
            "closing {p:?} made a call: {fx:?}"
        );
    }
}

#[test]
fn esc_leaves_a_text_field_or_a_pending_question_first() {
    for (p, back) in every_popup_in_a_second_step() {
        let mut s = state_with(p.clone());
        key(&mut s, KeyCode::Esc);
        assert_eq!(s.popup.as_ref(), Some(&back), "Esc in {p:?}");
        key(&mut s, KeyCode::Esc);
        assert_eq!(s.popup, None, "a second Esc left {back:?} open");
    }
}

#[test]
fn a_paste_goes_into_the_field_of_the_popups_that_have_one_and_nowhere_else() {
    let all = every_popup()
        .into_iter()
        .chain(every_popup_in_a_second_step().into_iter().map(|(p, _)| p));
    for p in all {
        let mut s = state_with(p.clone());
        update(&mut s, Msg::Paste("第一行\n第二行\n".into()));
        let now = s.popup.clone().expect("the popup stays open");
        match field(&p) {
            Some(before) => {
                assert_eq!(
                    field(&now),
                    Some(format!("{before}第一行 第二行").as_str()),
                    "paste into {p:?}"
                );
            }
            None => assert_eq!(now, p, "a paste changed a popup without a field"),
        }
        // Nothing behind the popup got it.
        assert_eq!(s.focus, Pane::Sidebar, "{p:?}");
        assert!(s.sidebar.filter.is_empty(), "{p:?}");
        assert!(s.composer.is_empty(), "{p:?}");
        assert_eq!(s.command_line, None, "{p:?}");
    }
}

#[test]
fn typing_goes_into_the_field_and_backspace_takes_it_back() {
    for p in [
        Popup::Faces(FacePicker::default()),
        Popup::Mute(mute_picker(Some(""))),
        Popup::Inbox(inbox(true)),
        Popup::Leave(leave()),
        Popup::React(picker()),
        Popup::Forward(forward(Some(""), 1)),
    ] {
        let mut s = state_with(p.clone());
        // Letters a list would take as keys (j, q, n) are text here.
        for c in "jqn".chars() {
            key(&mut s, KeyCode::Char(c));
        }
        key(&mut s, KeyCode::Backspace);
        let now = s.popup.as_ref().expect("still open");
        assert_eq!(field(now), Some("jq"), "{p:?}");
    }
}

#[test]
fn the_list_keys_move_inside_each_list() {
    let cursor = |p: &Popup| match p {
        Popup::Faces(f) => f.selected,
        Popup::Mute(m) => m.selected,
        Popup::Notices(l) => l.selected,
        Popup::Mutes(l) => l.selected,
        Popup::Sheet(sh) => sh.scroll,
        Popup::Inbox(v) => v.selected,
        Popup::Links(l) => l.selected,
        other => panic!("no list in {other:?}"),
    };
    let faces = napterm::onebot::faces::all().len();
    for (p, rows) in [
        (Popup::Faces(FacePicker::default()), faces),
        (Popup::Mute(mute_picker(None)), MutePicker::choices()),
        (Popup::Notices(notices(3, None)), 3),
        (Popup::Mutes(mutes()), 2),
        (Popup::Sheet(sheet()), 1),
        (Popup::Inbox(inbox(false)), 3),
        (Popup::Links(links()), 3),
    ] {
        let mut s = state_with(p.clone());
        key(&mut s, KeyCode::End);
        assert_eq!(cursor(s.popup.as_ref().unwrap()), rows - 1, "End in {p:?}");
        key(&mut s, KeyCode::Down);
        assert_eq!(cursor(s.popup.as_ref().unwrap()), rows - 1, "past the end");
        key(&mut s, KeyCode::Home);
        assert_eq!(cursor(s.popup.as_ref().unwrap()), 0, "Home in {p:?}");
        key(&mut s, KeyCode::Up);
        assert_eq!(cursor(s.popup.as_ref().unwrap()), 0, "before the start");
    }
}

#[test]
fn the_inbox_keys_answer_only_in_the_inbox() {
    // `a` accepts the selected request in the inbox…
    let mut s = state_with(Popup::Inbox(inbox(false)));
    let fx = key(&mut s, KeyCode::Char('a'));
    assert_eq!(
        fx.iter().filter(|e| matches!(e, Effect::Call(_))).count(),
        1
    );
    assert!(s.inbox.items[0].answering);
    // …and in a list of something else means nothing.
    let mut s = state_with(Popup::Notices(notices(3, None)));
    let fx = key(&mut s, KeyCode::Char('a'));
    assert!(!fx.iter().any(|e| matches!(e, Effect::Call(_))), "{fx:?}");
    assert!(s.inbox.items.iter().all(|r| !r.answering));
}

// ----- the help overlay -----

/// Draws `s` at `w`×`h` the way the runtime does, hands the frame's report back to `update`,
/// and returns the screen as text.
fn frame(s: &mut State, w: u16, h: u16) -> Vec<String> {
    let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, w, h));
    let mut ui = napterm::ui::Ui::new(napterm::ui::theme::Theme::new(
        napterm::ui::theme::ColorMode::None,
    ));
    let f = napterm::ui::draw(s, &mut ui, &mut buf);
    update(s, Msg::Frame(f.report));
    napterm::ui::buffer_lines(&buf)
}

fn help_scroll(s: &State) -> u16 {
    match &s.popup {
        Some(Popup::Help(h)) => h.scroll,
        other => panic!("the help overlay is not open: {other:?}"),
    }
}

/// The rows inside the help overlay's frame, each without the borders.
fn help_rows(screen: &[String]) -> Vec<String> {
    let top = screen.iter().position(|l| l.contains('┌')).expect("top");
    let bottom = screen.iter().position(|l| l.contains('└')).expect("bottom");
    screen[top + 1..bottom]
        .iter()
        .map(|l| {
            let inner = l.split_once('│').map_or("", |(_, r)| r);
            inner
                .rsplit_once('│')
                .map_or(inner, |(l, _)| l)
                .trim_end()
                .to_string()
        })
        .collect()
}

const LAST_LINE: &str = "键位可在 keymap.toml 中修改";

#[test]
fn help_paging_stops_at_the_last_page_and_home_end_jump() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = state_with(Popup::Help(HelpView::default()));
        s.size = (w, h);
        frame(&mut s, w, h);
        for _ in 0..50 {
            key(&mut s, KeyCode::PageDown);
            frame(&mut s, w, h);
        }
        let rows = help_rows(&frame(&mut s, w, h));
        assert!(
            rows.last().unwrap().contains(LAST_LINE),
            "{w}x{h}: the last page ends with the last line: {rows:#?}"
        );
        assert!(
            !rows[0].trim().is_empty(),
            "{w}x{h}: the last page is a full page"
        );
        let last = help_scroll(&s);
        // One page up from the end: the end is out of view at once, not after fifty presses.
        key(&mut s, KeyCode::PageUp);
        let rows = help_rows(&frame(&mut s, w, h));
        assert!(
            rows.iter().all(|r| !r.contains(LAST_LINE)),
            "{w}x{h}: one page up leaves the end"
        );
        assert_eq!(help_scroll(&s), last - rows.len() as u16, "{w}x{h}");
        key(&mut s, KeyCode::Down);
        for _ in 0..100 {
            key(&mut s, KeyCode::Down);
        }
        assert_eq!(
            help_scroll(&s),
            last,
            "{w}x{h}: ↓ stops at the last page too"
        );

        key(&mut s, KeyCode::Home);
        let rows = help_rows(&frame(&mut s, w, h));
        assert_eq!(rows[0].trim(), "全局", "{w}x{h}: Home goes to the top");
        key(&mut s, KeyCode::End);
        let rows = help_rows(&frame(&mut s, w, h));
        assert!(
            rows.last().unwrap().contains(LAST_LINE),
            "{w}x{h}: End goes to the last page"
        );
        assert_eq!(help_scroll(&s), last);
    }
}

#[test]
fn help_keys_before_the_first_frame_stay_within_the_text() {
    let mut s = state_with(Popup::Help(HelpView::default()));
    s.size = (80, 24);
    for _ in 0..50 {
        key(&mut s, KeyCode::PageDown);
    }
    let rows = help_rows(&frame(&mut s, 80, 24));
    assert!(!rows[0].trim().is_empty());
    key(&mut s, KeyCode::PageUp);
    let rows = help_rows(&frame(&mut s, 80, 24));
    assert!(rows.iter().all(|r| !r.contains(LAST_LINE)));
}

#[test]
fn ctrl_l_redraws_without_closing_the_help_overlay() {
    let mut s = state_with(Popup::Help(HelpView::default()));
    frame(&mut s, 80, 24);
    key(&mut s, KeyCode::PageDown);
    let scroll = help_scroll(&s);
    let fx = press(&mut s, KeyCode::Char('l'), KeyModifiers::CONTROL);
    assert!(fx.contains(&Effect::Redraw), "{fx:?}");
    assert_eq!(help_scroll(&s), scroll, "still open, where it was");
}

#[test]
fn help_descriptions_stay_in_one_column_when_a_usage_holds_chinese() {
    use unicode_width::UnicodeWidthStr;
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = state_with(Popup::Help(HelpView::default()));
        s.size = (w, h);
        frame(&mut s, w, h);
        // Every row of the overlay, page by page (pages overlap at the end: no matter here).
        let mut all: Vec<String> = Vec::new();
        loop {
            let before = help_scroll(&s);
            all.extend(help_rows(&frame(&mut s, w, h)));
            key(&mut s, KeyCode::PageDown);
            if help_scroll(&s) == before {
                break;
            }
        }
        // The column where a command's description starts: after the usage and its padding.
        let desc_col = |row: &str| -> Option<usize> {
            // A command's usage (`/open …`), not the `/` key of a popup's key rows.
            let t = row
                .strip_prefix("  /")
                .filter(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()))?;
            let (usage, rest) = t.split_once("  ")?;
            let pad = rest.len() - rest.trim_start().len();
            Some(3 + usage.width() + 2 + pad)
        };
        let cols: Vec<(usize, &String)> = all
            .iter()
            .filter_map(|r| desc_col(r).map(|c| (c, r)))
            .collect();
        assert!(
            cols.iter().any(|(_, r)| r.contains("/open <名字")),
            "{w}x{h}: /open is listed with its usage: {all:#?}"
        );
        let first = cols[0].0;
        for (c, r) in &cols {
            assert_eq!(*c, first, "{w}x{h}: {r:?}");
        }
    }
}

#[test]
fn the_status_line_hints_follow_the_open_popup() {
    for p in every_popup() {
        let mut s = state_with(p.clone());
        let screen = frame(&mut s, 120, 40);
        let status = screen.last().expect("a status line");
        // The sidebar has the focus underneath: its hints would be wrong here.
        assert!(
            !status.contains("打开") && !status.contains("? 帮助"),
            "{p:?}: {status}"
        );
        assert!(
            status.contains("Esc 关闭") || status.contains("Esc 取消"),
            "{p:?}: {status}"
        );
    }
}

#[test]
fn the_essence_list_asks_when_messages_it_does_not_hold_were_sent() {
    use napterm::app::Reply;
    use napterm::app::call::{Call, Essences, GetMsg};
    use napterm::onebot::Peer;
    use napterm::onebot::types::EssenceMessage;
    let mut s = state_with(Popup::Essences(EssenceList {
        group: GROUP,
        items: Load::Loading,
        selected: 0,
    }));
    let list = [801, 802]
        .map(|id| EssenceMessage {
            message_id: id,
            ..Default::default()
        })
        .to_vec();
    let fx = update(
        &mut s,
        Msg::Reply(Reply::Essences(Essences { group: GROUP }, Ok(list))),
    );
    let asked: Vec<&Call> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::Call(c) => Some(c),
            _ => None,
        })
        .collect();
    for id in [801, 802] {
        let want: Call = GetMsg {
            peer: Peer::Group(GROUP),
            id,
        }
        .into();
        assert!(asked.contains(&&want), "get_msg {id}: {fx:?}");
    }
}
