//! `update(&mut State, Msg) -> Vec<Effect>`: the one place state changes. Never awaits.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::onebot::{Peer, faces};

use super::action::{Action, Pane};
use super::chat::{Delivery, EntryKind, HistoryState, MessageItem, Scroll, SortKey};
use super::commands;
use super::composer::{Completion, CompletionItem, ReplyTarget, Submission};
use super::effect::{Call, Effect};
use super::keymap::{Context, Key, Lookup};
use super::msg::Msg;
use super::state::{FacePicker, Popup, SidebarTab, State};
use super::{events, replies, sidebar, timeline_nav};

/// Applies one message to the state and returns what the outside world should do.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    // A new card or role moves a member in the pane's order: keep the selection on the member
    // (only replies and notices change members, so only they pay for the look-up).
    let reorders = matches!(
        msg,
        Msg::Done { .. }
            | Msg::Client(crate::onebot::ClientEvent::Event(
                crate::onebot::Event::Notice(_)
            ))
    );
    let keep = (reorders && state.members.visible)
        .then(|| selected_member(state).map(|m| m.user_id))
        .flatten()
        .map(|u| (u, state.contacts.version));
    match msg {
        Msg::Key(k) => on_key(state, k, &mut fx),
        Msg::Paste(s) => on_paste(state, &s),
        Msg::Mouse(m) => on_mouse(state, m, &mut fx),
        Msg::Resize(w, h) => state.size = (w, h),
        Msg::FocusChanged(f) => {
            state.terminal_focused = f;
            if f && let Some(p) = state.open {
                mark_open_read(state, p, &mut fx);
            }
        }
        Msg::Client(ev) => events::on_client(state, ev, &mut fx),
        Msg::Done { call, result } => replies::on_done(state, call, result, &mut fx),
        Msg::Tick => {}
        Msg::SuspendSignal => fx.push(Effect::Suspend),
    }
    if state.status.until != 0 && state.now >= state.status.until {
        state.status.error = None;
        state.status.info = None;
        state.status.until = 0;
    }
    if let Some((user, version)) = keep
        && state.contacts.version != version
        && let Some(Peer::Group(g)) = state.open
        && let Some(i) = state
            .contacts
            .members
            .get(&g)
            .and_then(|ms| ms.ordered().iter().position(|m| m.user_id == user))
    {
        state.members.selected = i;
    }
    state.typing.retain(|_, (_, until)| *until > state.now);
    let unread = state.total_unread();
    if state.title_unread != Some(unread) {
        state.title_unread = Some(unread);
        fx.push(Effect::Title(if unread > 0 {
            format!("napterm ({unread})")
        } else {
            "napterm".to_string()
        }));
    }
    fx
}

fn context_of(p: Pane) -> Context {
    match p {
        Pane::Sidebar => Context::Sidebar,
        Pane::Timeline => Context::Timeline,
        Pane::Composer => Context::Composer,
        Pane::Members => Context::Members,
    }
}

/// The character a key types, if it types one (no Ctrl/Alt).
pub(crate) fn printable(key: &KeyEvent) -> Option<char> {
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

fn on_key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    if key.kind == KeyEventKind::Release {
        return;
    }
    if state.popup.is_some() {
        popup_key(state, key, fx);
        return;
    }
    if state.command_line.is_some() {
        command_line_key(state, key, fx);
        return;
    }
    if state.focus == Pane::Composer
        && state.composer.completion.is_some()
        && completion_key(state, &key)
    {
        return;
    }
    state.pending_keys.push(key);
    let keys: Vec<Key> = state.pending_keys.iter().map(Key::from_event).collect();
    for ctx in [context_of(state.focus), Context::Global] {
        match state.keymap.lookup(ctx, &keys) {
            Lookup::Action(a) => {
                state.pending_keys.clear();
                run_action(state, a, fx);
                return;
            }
            Lookup::Prefix => return,
            Lookup::None => {}
        }
    }
    let was_chord = state.pending_keys.len() > 1;
    state.pending_keys.clear();
    if was_chord {
        // The chord went nowhere: treat the last key on its own.
        on_key(state, key, fx);
        return;
    }
    unbound_key(state, key, fx);
}

/// Keys no binding claimed: text input for the composer, filtering for the sidebar.
fn unbound_key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    match state.focus {
        Pane::Composer => {
            state.composer.textarea.input(key);
            refresh_completion(state, fx);
        }
        Pane::Sidebar => match (printable(&key), key.code) {
            (Some(c), _) => {
                state.sidebar.filter.push(c);
                state.sidebar.selected = 0;
                state.sidebar.selected_peer = None;
            }
            (None, KeyCode::Backspace) => {
                state.sidebar.filter.pop();
                state.sidebar.selected = 0;
                state.sidebar.selected_peer = None;
            }
            _ => {}
        },
        Pane::Timeline => {
            if let Some(c) = printable(&key) {
                state.focus = Pane::Composer;
                state.composer.textarea.insert_char(c);
                refresh_completion(state, fx);
            }
        }
        Pane::Members => {}
    }
}

fn completion_key(state: &mut State, key: &KeyEvent) -> bool {
    let Some(c) = state.composer.completion.as_mut() else {
        return false;
    };
    let n = c.items.len();
    match key.code {
        KeyCode::Tab | KeyCode::Enter if key.modifiers.is_empty() => {
            state.composer.accept_completion();
            true
        }
        KeyCode::Up | KeyCode::BackTab if n > 0 => {
            c.selected = (c.selected + n - 1) % n;
            true
        }
        KeyCode::Down if n > 0 => {
            c.selected = (c.selected + 1) % n;
            true
        }
        KeyCode::Esc => {
            state.composer.completion = None;
            true
        }
        _ => false,
    }
}

/// Opens, updates or closes the `@` completion after the text changed.
pub(super) fn refresh_completion(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(Peer::Group(g)) = state.open else {
        state.composer.completion = None;
        return;
    };
    let Some((row, col, query)) = state.composer.mention_query() else {
        state.composer.completion = None;
        return;
    };
    ensure_members(state, g, fx);
    let items = mention_candidates(state, g, &query);
    let selected = state
        .composer
        .completion
        .as_ref()
        .filter(|c| c.query == query)
        .map(|c| c.selected.min(items.len().saturating_sub(1)))
        .unwrap_or(0);
    state.composer.completion = Some(Completion {
        row,
        col,
        query,
        items,
        selected,
    });
}

fn mention_candidates(state: &State, group: i64, query: &str) -> Vec<CompletionItem> {
    use super::fuzzy::{Candidate, rank};
    let mut out = Vec::new();
    let me_admin = state
        .contacts
        .member(group, state.self_id)
        .is_some_and(|m| m.role.is_admin());
    if me_admin
        && ("全体成员".contains(query)
            || "all".starts_with(&query.to_lowercase())
            || query.is_empty())
    {
        out.push(CompletionItem {
            label: "全体成员".into(),
            detail: "@all".into(),
            qq: None,
        });
    }
    let Some(members) = state.contacts.members.get(&group) else {
        return out;
    };
    let list: Vec<&super::contacts::Member> = members
        .ordered()
        .into_iter()
        .filter(|m| m.user_id != state.self_id)
        .collect();
    let cands: Vec<Candidate> = list
        .iter()
        .map(|m| Candidate::new(&[&m.card, &m.nickname], m.user_id))
        .collect();
    let ranked: Vec<usize> = if query.is_empty() {
        (0..list.len()).collect()
    } else {
        rank(query, cands.iter().zip(0..list.len()))
    };
    for i in ranked.into_iter().take(8) {
        let m = list[i];
        out.push(CompletionItem {
            label: m.display_name(),
            detail: m.user_id.to_string(),
            qq: Some(m.user_id),
        });
    }
    out
}

/// Requests a group's member list if it is not loaded or loading.
pub(super) fn ensure_members(state: &mut State, group: i64, fx: &mut Vec<Effect>) {
    use super::contacts::MembersState;
    let m = state.contacts.members.entry(group).or_default();
    if matches!(m.state, MembersState::NotLoaded | MembersState::Failed) {
        m.state = MembersState::Loading;
        fx.push(Effect::Call(Call::Members { group }));
    }
}

fn on_paste(state: &mut State, s: &str) {
    if let Some(line) = state.command_line.as_mut() {
        line.push_str(&s.replace(['\n', '\r'], " "));
        return;
    }
    match state.popup.as_mut() {
        Some(Popup::Faces(p)) => {
            p.query.push_str(s.trim());
            p.selected = 0;
            return;
        }
        Some(Popup::Admin(_)) => {
            super::admin::popup::paste(state, s);
            return;
        }
        Some(_) => return,
        None => {}
    }
    match state.focus {
        Pane::Sidebar => {
            state.sidebar.filter.push_str(&s.replace(['\n', '\r'], " "));
            state.sidebar.selected = 0;
            state.sidebar.selected_peer = None;
        }
        _ => {
            state.focus = Pane::Composer;
            state.composer.insert_text(s);
            state.composer.completion = None;
        }
    }
}

fn on_mouse(state: &mut State, m: MouseEvent, fx: &mut Vec<Effect>) {
    let inside = |r: ratatui::layout::Rect| {
        m.column >= r.x && m.column < r.x + r.width && m.row >= r.y && m.row < r.y + r.height
    };
    match m.kind {
        MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
            let d = if matches!(m.kind, MouseEventKind::ScrollUp) {
                -3
            } else {
                3
            };
            if inside(state.view.sidebar_area) {
                move_sidebar(state, d);
            } else if inside(state.view.members_area) {
                move_members(state, d);
            } else {
                timeline_nav::move_selection(state, d, fx);
            }
        }
        MouseEventKind::Down(MouseButton::Left) => {
            if inside(state.view.timeline_area) {
                let key = state
                    .view
                    .timeline_rows
                    .iter()
                    .find(|(y, _)| *y == m.row)
                    .map(|(_, k)| *k);
                if let Some(k) = key
                    && let Some(c) = state.open_chat_mut()
                {
                    c.selected = Some(k);
                    state.focus = Pane::Timeline;
                }
            } else if inside(state.view.sidebar_area) {
                if let Some(&(_, idx)) = state.view.sidebar_rows.iter().find(|(y, _)| *y == m.row) {
                    let peers = sidebar::selectable(&sidebar::rows(state));
                    sidebar::select(state, &peers, idx);
                    state.focus = Pane::Sidebar;
                    run_action(state, Action::Activate, fx);
                }
            } else if inside(state.view.members_area) {
                if let Some(&(_, idx)) = state.view.members_rows.iter().find(|(y, _)| *y == m.row) {
                    state.members.selected = idx;
                    state.focus = Pane::Members;
                }
            } else if m.row + 1 >= state.size.1.saturating_sub(4) {
                state.focus = Pane::Composer;
            }
        }
        _ => {}
    }
}

fn popup_key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    if matches!(state.popup, Some(Popup::Admin(_))) {
        super::admin::popup::key(state, key, fx);
        return;
    }
    // The face picker types into its search field; other popups use the popup bindings.
    if let Some(Popup::Faces(p)) = state.popup.as_mut() {
        if let Some(c) = printable(&key) {
            p.query.push(c);
            p.selected = 0;
            return;
        }
        if key.code == KeyCode::Backspace {
            p.query.pop();
            p.selected = 0;
            return;
        }
    }
    let k = Key::from_event(&key);
    let action = match state.keymap.lookup(Context::Popup, &[k]) {
        Lookup::Action(a) => a,
        _ => match state.keymap.lookup(Context::Global, &[k]) {
            Lookup::Action(
                a @ (Action::Quit | Action::Help | Action::Redraw | Action::Suspend),
            ) => a,
            _ => return,
        },
    };
    let popup = state.popup.take();
    match (popup, action) {
        (_, Action::Quit) => {
            state.quit = true;
            fx.push(Effect::Quit);
        }
        (_, Action::Redraw) => fx.push(Effect::Redraw),
        (p, Action::Suspend) => {
            state.popup = p;
            fx.push(Effect::Suspend);
        }
        (Some(Popup::Help { .. }), Action::Help | Action::Deny) => {}
        (Some(Popup::Help { scroll }), Action::Move(n)) => {
            state.popup = Some(Popup::Help {
                scroll: (scroll as i32 + n).max(0) as u16,
            });
        }
        (Some(Popup::Help { scroll }), Action::Page(n)) => {
            let page = state.size.1.saturating_sub(6) as i32;
            state.popup = Some(Popup::Help {
                scroll: (scroll as i32 + n * page).max(0) as u16,
            });
        }
        (Some(Popup::Faces(mut p)), Action::Move(n)) => {
            let count = face_matches(&p.query).len();
            p.selected = step(p.selected, n, count);
            state.popup = Some(Popup::Faces(p));
        }
        (Some(Popup::Faces(mut p)), Action::Page(n)) => {
            let count = face_matches(&p.query).len();
            p.selected = step(p.selected, n * 8, count);
            state.popup = Some(Popup::Faces(p));
        }
        (Some(Popup::Faces(p)), Action::Activate | Action::Confirm) => {
            if let Some(f) = face_matches(&p.query).get(p.selected) {
                state.composer.insert_face(f.id);
                state.focus = Pane::Composer;
            }
        }
        (Some(Popup::Faces(_)), Action::Deny) => {}
        (Some(Popup::Confirm(c)), Action::Confirm | Action::Activate) => {
            fx.extend(c.on_yes);
        }
        (Some(Popup::Confirm(_)), Action::Deny) => state.info("已取消"),
        (p, _) => state.popup = p,
    }
}

/// Faces matching the picker's query (by name, id or pinyin), in table order.
pub fn face_matches(query: &str) -> Vec<faces::Face> {
    let q = query.trim();
    if q.is_empty() {
        return faces::all().to_vec();
    }
    use super::fuzzy::{Candidate, rank};
    let all = faces::all();
    let cands: Vec<Candidate> = all
        .iter()
        .map(|f| Candidate::new(&[f.name], f.id))
        .collect();
    rank(q, cands.iter().zip(all.iter().copied()))
}

fn step(cur: usize, n: i32, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (cur as i64 + n as i64).clamp(0, len as i64 - 1) as usize
}

fn command_line_key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    let Some(line) = state.command_line.as_mut() else {
        return;
    };
    if let Some(c) = printable(&key) {
        line.push(c);
        // Editing after a failed command: the old reason no longer applies.
        state.status.error = None;
        return;
    }
    match key.code {
        KeyCode::Backspace if line.pop().is_none() => state.command_line = None,
        KeyCode::Backspace => state.status.error = None,
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

/// Panes in focus order, as shown.
fn focus_order(state: &State) -> Vec<Pane> {
    let mut v = Vec::new();
    if state.view.sidebar_shown || (state.sidebar.visible && state.view == Default::default()) {
        v.push(Pane::Sidebar);
    }
    v.push(Pane::Timeline);
    v.push(Pane::Composer);
    if state.members.visible && matches!(state.open, Some(Peer::Group(_))) {
        v.push(Pane::Members);
    }
    v
}

fn cycle_focus(state: &mut State, d: i32) {
    let order = focus_order(state);
    let i = order.iter().position(|p| *p == state.focus).unwrap_or(0) as i32;
    let n = order.len() as i32;
    state.focus = order[((i + d).rem_euclid(n)) as usize];
}

fn move_sidebar(state: &mut State, d: i32) {
    let peers = sidebar::selectable(&sidebar::rows(state));
    let cur = sidebar::selected_index(state, &peers);
    let next = step(cur, d, peers.len());
    sidebar::select(state, &peers, next);
}

fn move_members(state: &mut State, d: i32) {
    let n = match state.open {
        Some(Peer::Group(g)) => state
            .contacts
            .members
            .get(&g)
            .map(|m| m.by_id.len())
            .unwrap_or(0),
        _ => 0,
    };
    state.members.selected = step(state.members.selected, d, n);
}

/// Performs a named action in the focused context.
pub fn run_action(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
    match action {
        Action::Quit => {
            state.quit = true;
            fx.push(Effect::Quit);
        }
        Action::Help => state.popup = Some(Popup::Help { scroll: 0 }),
        Action::Redraw => fx.push(Effect::Redraw),
        Action::Suspend => fx.push(Effect::Suspend),
        Action::FocusNext => cycle_focus(state, 1),
        Action::FocusPrev => cycle_focus(state, -1),
        Action::Focus(p) => {
            if p != Pane::Members || state.members.visible {
                state.focus = p;
            }
        }
        Action::NextChat | Action::PrevChat => {
            let d = if action == Action::NextChat { 1 } else { -1 };
            let rows = sidebar::rows(state);
            let peers = sidebar::selectable(&rows);
            if peers.is_empty() {
                return;
            }
            let i = state
                .open
                .and_then(|p| peers.iter().position(|x| *x == p))
                .map(|i| (i as i32 + d).rem_euclid(peers.len() as i32) as usize)
                .unwrap_or(0);
            sidebar::select(state, &peers, i);
            open_chat(state, peers[i], fx);
        }
        Action::NextUnread => {
            let recent = sidebar::recent_peers(state);
            let pick = recent
                .iter()
                .find(|p| {
                    Some(**p) != state.open && state.chats.get(p).is_some_and(|c| c.mentions > 0)
                })
                .or_else(|| {
                    recent.iter().find(|p| {
                        Some(**p) != state.open && state.chats.get(p).is_some_and(|c| c.unread > 0)
                    })
                })
                .copied();
            match pick {
                Some(p) => open_chat(state, p, fx),
                None => state.info("没有未读消息"),
            }
        }
        Action::ToggleSidebar => {
            state.sidebar.visible = !state.sidebar.visible;
            if !state.sidebar.visible && state.focus == Pane::Sidebar {
                state.focus = Pane::Composer;
            }
        }
        Action::ToggleMembers => toggle_members(state, fx),
        Action::CommandLine => state.command_line = Some(String::new()),
        Action::Run(line) => {
            let line = line.trim().trim_start_matches('/').to_string();
            if let Err(e) = commands::run(state, &line, fx) {
                state.error(e);
            }
        }
        Action::Requests => super::requests::open(state, fx),
        Action::Move(n) => match state.focus {
            Pane::Sidebar => move_sidebar(state, n),
            Pane::Members => move_members(state, n),
            _ => timeline_nav::move_selection(state, n, fx),
        },
        Action::Page(n) => match state.focus {
            Pane::Sidebar => {
                let h = state.view.sidebar_height.max(2) as i32;
                move_sidebar(state, n * (h - 1));
            }
            Pane::Members => {
                let h = state.view.members_height.max(2) as i32;
                move_members(state, n * (h - 1));
            }
            _ => timeline_nav::page(state, n, fx),
        },
        Action::Top => match state.focus {
            Pane::Sidebar => {
                let peers = sidebar::selectable(&sidebar::rows(state));
                sidebar::select(state, &peers, 0);
            }
            Pane::Members => state.members.selected = 0,
            _ => timeline_nav::top(state, fx),
        },
        Action::Bottom => match state.focus {
            Pane::Sidebar => move_sidebar(state, i32::MAX / 2),
            Pane::Members => move_members(state, i32::MAX / 2),
            _ => timeline_nav::bottom(state),
        },
        Action::Activate => match state.focus {
            Pane::Sidebar => {
                let peers = sidebar::selectable(&sidebar::rows(state));
                if let Some(p) = peers.get(sidebar::selected_index(state, &peers)).copied() {
                    state.sidebar.filter.clear();
                    open_chat(state, p, fx);
                    state.focus = Pane::Composer;
                }
            }
            Pane::Timeline => timeline_nav::jump_to_quoted(state, fx),
            Pane::Members => run_action(state, Action::Profile, fx),
            Pane::Composer => {}
        },
        Action::Tab(n) => {
            let i = SidebarTab::ALL
                .iter()
                .position(|t| *t == state.sidebar.tab)
                .unwrap_or(0) as i32;
            state.sidebar.tab = SidebarTab::ALL[(i + n).rem_euclid(3) as usize];
            state.sidebar.selected = 0;
            state.sidebar.selected_peer = None;
            state.sidebar.filter.clear();
        }
        Action::Reply => start_reply(state),
        Action::Copy => {
            if let Some((peer, m)) = selected_message(state) {
                let text = m
                    .chain
                    .plain_text_with(|qq| Some(state.contacts.name_in(peer, qq)));
                fx.push(Effect::Copy(text));
                state.info("已复制到剪贴板");
            }
        }
        Action::OpenLink => {
            if let Some((peer, m)) = selected_message(state) {
                match (
                    timeline_nav::link_of(m),
                    timeline_nav::group_file_of(m),
                    peer,
                ) {
                    (Some(url), _, _) => fx.push(Effect::Open(url)),
                    // A group file without a URL in the message: ask the server for one.
                    (None, Some(file_id), Peer::Group(group)) => {
                        state.info("正在获取文件链接…");
                        fx.push(Effect::Call(Call::FileUrl { group, file_id }));
                    }
                    _ => state.error("这条消息没有链接或附件"),
                }
            }
        }
        Action::Recall => super::admin::run_key(state, &action, fx),
        Action::Compose => state.focus = Pane::Composer,
        Action::SearchNext => {
            timeline_nav::search_step(state, -1);
        }
        Action::SearchPrev => {
            timeline_nav::search_step(state, 1);
        }
        Action::Retry => retry_selected(state, fx),
        Action::Essence => super::admin::run_key(state, &action, fx),
        Action::Send => send(state, fx),
        Action::Newline => state.composer.textarea.insert_newline(),
        Action::FacePicker => state.popup = Some(Popup::Faces(FacePicker::default())),
        Action::Cancel => {
            if state.composer.completion.is_some() {
                state.composer.completion = None;
            } else if state.composer.reply.is_some() {
                state.composer.reply = None;
            } else {
                state.focus = Pane::Timeline;
            }
        }
        Action::Complete => {
            if !state.composer.accept_completion() {
                cycle_focus(state, 1);
            }
        }
        Action::Mention => {
            if let Some(m) = selected_member(state) {
                let (name, qq) = (m.display_name(), m.user_id);
                state
                    .composer
                    .insert_token(format!("@{name}"), crate::onebot::Segment::at(qq));
                state.focus = Pane::Composer;
            }
        }
        Action::Mark
        | Action::Mute
        | Action::Unmute
        | Action::Kick
        | Action::Profile
        | Action::Poke => super::admin::run_key(state, &action, fx),
        Action::Confirm
        | Action::Deny
        | Action::Accept
        | Action::Reject
        | Action::Delete
        | Action::Noop => {}
    }
}

fn toggle_members(state: &mut State, fx: &mut Vec<Effect>) {
    state.members.visible = !state.members.visible;
    if state.members.visible {
        if let Some(Peer::Group(g)) = state.open {
            ensure_members(state, g, fx);
        }
    } else if state.focus == Pane::Members {
        state.focus = Pane::Composer;
    }
}

/// The selected member in the member pane.
pub fn selected_member(state: &State) -> Option<&super::contacts::Member> {
    let Some(Peer::Group(g)) = state.open else {
        return None;
    };
    state
        .contacts
        .members
        .get(&g)?
        .ordered()
        .get(state.members.selected)
        .copied()
}

/// The selected message in the open chat.
pub fn selected_message(state: &State) -> Option<(Peer, &MessageItem)> {
    let chat = state.open_chat()?;
    let key = chat.selected?;
    chat.timeline.get(key)?.message().map(|m| (chat.peer, m))
}

fn start_reply(state: &mut State) {
    let Some((peer, m)) = selected_message(state) else {
        state.error(
            state
                .keymap
                .fill_keys("先在消息列表里选中一条消息 ({composer:cancel}, {timeline:move -1})"),
        );
        return;
    };
    let Some(id) = m.id else {
        state.error("这条消息还没有发送成功，不能回复");
        return;
    };
    let author = state.contacts.name_in(peer, m.sender_id);
    let author = if m.own {
        state.self_name.clone()
    } else {
        author
    };
    let excerpt = excerpt(
        &m.chain
            .plain_text_with(|qq| Some(state.contacts.name_in(peer, qq))),
    );
    state.composer.reply = Some(ReplyTarget {
        message_id: id,
        author,
        excerpt,
    });
    state.focus = Pane::Composer;
}

/// The first line of a text, shortened for quotes.
pub fn excerpt(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut out: String = line.chars().take(40).collect();
    if line.chars().count() > 40 {
        out.push('…');
    }
    out
}

fn retry_selected(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(chat) = state.open_chat() else {
        return;
    };
    let peer = chat.peer;
    let Some(key) = chat.selected else {
        state.error("先选中发送失败的消息");
        return;
    };
    let Some(m) = chat.timeline.get(key).and_then(|e| e.message()) else {
        return;
    };
    if !matches!(m.delivery, Delivery::Failed(_)) {
        state.error("只能重发发送失败的消息");
        return;
    }
    let chain = m.chain.clone();
    let local_id = m.local_id.unwrap_or(0);
    if let Some(c) = state.open_chat_mut() {
        c.timeline
            .update_message(key, |m| m.delivery = Delivery::Pending);
    }
    fx.push(Effect::Call(Call::Send {
        peer,
        chain,
        local_id,
    }));
}

fn send(state: &mut State, fx: &mut Vec<Effect>) {
    match state.composer.submission() {
        Submission::Empty => {}
        Submission::Command(line) => {
            if line.is_empty() {
                return;
            }
            match commands::run(state, &line, fx) {
                Ok(()) => {
                    // A command that did not put anything into the composer clears it.
                    if state.composer.text().trim_start().starts_with('/') {
                        state.composer.clear();
                    }
                }
                Err(e) => state.error(e),
            }
        }
        Submission::Message(chain) => {
            let Some(peer) = state.open else {
                state.error("先打开一个会话 (/open 名字)");
                return;
            };
            let local_id = state.next_local_id;
            state.next_local_id += 1;
            let arrival = state.arrival();
            let key = SortKey {
                time: state.now,
                seq: u64::MAX,
                arrival,
            };
            let item = MessageItem {
                id: None,
                local_id: Some(local_id),
                sender_id: state.self_id,
                sender_name: state.self_name.clone(),
                role: None,
                own: true,
                chain: chain.clone(),
                delivery: Delivery::Pending,
                recalled_by: None,
                reactions: Vec::new(),
                essence: false,
            };
            let now = state.now;
            let chat = state.chat_mut(peer);
            chat.timeline.insert(key, EntryKind::Message(item));
            chat.last_activity = chat.last_activity.max(now);
            chat.scroll = Scroll::Bottom;
            chat.selected = None;
            chat.new_below = 0;
            chat.read_marker = Some(key);
            state.composer.clear();
            state.drafts.remove(&peer);
            fx.push(Effect::Call(Call::Send {
                peer,
                chain,
                local_id,
            }));
            fx.push(Effect::SaveDrafts(saved_drafts(state)));
        }
    }
}

/// The drafts worth persisting (the open chat's included).
pub fn saved_drafts(state: &State) -> Vec<(Peer, String)> {
    let mut v: Vec<(Peer, String)> = state
        .drafts
        .iter()
        .filter(|(_, d)| !d.is_empty())
        .filter_map(|(p, d)| serde_json::to_string(d).ok().map(|s| (*p, s)))
        .collect();
    if let Some(p) = state.open {
        let d = state.composer.draft();
        if !d.is_empty()
            && let Ok(s) = serde_json::to_string(&d)
        {
            v.retain(|(q, _)| *q != p);
            v.push((p, s));
        }
    }
    v.sort_by_key(|(p, _)| *p);
    v
}

/// Opens a chat: saves the old draft, loads the new one, fetches history and members, marks read.
pub fn open_chat(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    if state.open == Some(peer) {
        return;
    }
    if let Some(old) = state.open {
        let draft = state.composer.draft();
        if draft.is_empty() {
            state.drafts.remove(&old);
        } else {
            state.drafts.insert(old, draft);
        }
        if let Some(c) = state.chats.get_mut(&old) {
            c.read_marker = c.timeline.last().map(|e| e.key);
            c.selected = None;
            c.scroll = Scroll::Bottom;
        }
    }
    let draft = state.drafts.remove(&peer).unwrap_or_default();
    state.composer = super::composer::Composer::from_draft(draft);
    state.open = Some(peer);
    state.search = None;
    state.members.selected = 0;
    state.members.marked.clear();
    let page = state.settings.history_page;
    let chat = state.chat_mut(peer);
    chat.new_below = 0;
    if chat.history == HistoryState::NotLoaded {
        chat.history = HistoryState::Loading;
        fx.push(Effect::Call(Call::History {
            peer,
            anchor: None,
            count: page,
        }));
    }
    if let Peer::Group(g) = peer
        && (state.members.visible || !state.contacts.members.contains_key(&g))
    {
        ensure_members(state, g, fx);
    }
    mark_open_read(state, peer, fx);
    replies::request_quotes(state, peer, fx);
    fx.push(Effect::SaveDrafts(saved_drafts(state)));
}

/// Clears unread counts of the open chat and tells the server.
pub(super) fn mark_open_read(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    let chat = state.chat_mut(peer);
    if chat.unread > 0 || chat.mentions > 0 || chat.history == HistoryState::Loading {
        chat.unread = 0;
        chat.mentions = 0;
        fx.push(Effect::Call(Call::MarkRead { peer }));
    }
}

/// Closes the open chat (its draft is kept).
pub fn close_chat(state: &mut State) {
    if let Some(old) = state.open.take() {
        let draft = state.composer.draft();
        if !draft.is_empty() {
            state.drafts.insert(old, draft);
        }
        state.composer = super::composer::Composer::default();
        if let Some(c) = state.chats.get_mut(&old) {
            c.read_marker = c.timeline.last().map(|e| e.key);
            c.selected = None;
            c.scroll = Scroll::Bottom;
        }
    }
}
