//! `update(&mut State, Msg) -> Vec<Effect>`: the one place state changes. Never awaits.
//!
//! It routes each message to where it is handled: keys, pastes and clicks to the pane, popup or
//! line they are meant for, connection reports to `events`, call results to their `Request` impls (see `call`).

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};

use crate::onebot::Peer;

use super::action::{Action, Pane};
use super::effect::Effect;
use super::input::printable;
use super::keymap::{Context, Key, Lookup};
use super::msg::Msg;
use super::state::State;
use super::stored::StoreEvent;
use super::{
    actions, command_line, completion, editor, events, lifecycle, local, popup, reactions, reports,
    saving, sending, sidebar, timeline_nav, typing,
};

/// Applies one message to the state and returns what the outside world should do.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    // A new card or role moves a member in the pane's order: keep the selection on the member
    // (only replies and notices change members, so only they pay for the look-up).
    let reorders = matches!(
        msg,
        Msg::Reply(_)
            | Msg::Client(crate::onebot::ClientEvent::Event(
                crate::onebot::Event::Notice(_)
            ))
    );
    let keep = (reorders && state.members.visible)
        .then(|| state.selected_member().map(|m| m.user_id))
        .flatten()
        .map(|u| (u, state.contacts.version));
    match msg {
        Msg::Key(k) => on_key(state, k, &mut fx),
        Msg::Paste(s) => on_paste(state, &s, &mut fx),
        Msg::Mouse(m) => on_mouse(state, m, &mut fx),
        Msg::Resize(w, h) => state.size = (w, h),
        Msg::FocusChanged(f) => {
            state.terminal_focused = f;
            if f && let Some(p) = state.open {
                lifecycle::mark_open_read(state, p, &mut fx);
            }
        }
        Msg::Client(ev) => events::on_client(state, ev, &mut fx),
        Msg::Reply(reply) => reply.apply(state, &mut fx),
        Msg::Clock(now) => {
            state.now = now;
            super::read_marks::on_clock(state, &mut fx);
            super::outbox::on_clock(state, &mut fx);
        }
        Msg::Frame(report) => reports::on_frame(state, report, &mut fx),
        Msg::Picture(done) => super::picture_loads::on_done(state, done),
        Msg::PictureSend(ev) => super::picture_send::on_event(state, ev, &mut fx),
        Msg::Restore(session) => lifecycle::restore(state, session, &mut fx),
        Msg::Failed(f) => reports::on_failure(state, f),
        Msg::Store(ev) => match ev {
            ev @ (StoreEvent::Found { .. } | StoreEvent::Around { .. }) => {
                popup::find::on_event(state, ev, &mut fx)
            }
            ev => {
                let opened = matches!(ev, StoreEvent::Opened { .. });
                local::on_event(state, ev, &mut fx);
                if opened {
                    lifecycle::reopen_stored(state, &mut fx);
                }
                // A stored page may hold what a seek (a quoted message, the first unread) is
                // paging back to.
                super::seek::step(state, &mut fx);
            }
        },
        Msg::SuspendSignal => fx.push(Effect::Suspend),
        Msg::Edited { peer, result } => editor::edited(state, peer, result),
        Msg::KeyboardProtocol(supported) => {
            if supported {
                fx.push(Effect::EnhanceKeyboard);
            }
        }
        Msg::Warning(w) => state.error(w),
        Msg::PictureProtocol(name) => {
            state.pictures.protocol = name;
            // Said at start-up: not over what the restored session had to say.
            if state.status.error().is_none() {
                state.info(format!("图片显示方式: {name}"));
            }
        }
        Msg::Continue(step) => sending::on_step(state, step, &mut fx),
        Msg::Transfer(event) => saving::on_event(state, event, &mut fx),
        Msg::Listed { dir, entries } => completion::listed(state, dir, entries, &mut fx),
    }
    // Whatever the message did to the composer, the open chat's draft follows, and is saved
    // (the runtime writes it once typing pauses).
    if lifecycle::keep_draft(state) {
        fx.push(Effect::SaveSession(state.session()));
    }
    if state.quit {
        super::read_marks::on_quit(state, &mut fx);
    }
    state.status.expire(state.now);
    if let Some((user, version)) = keep
        && state.contacts.version != version
        && let Some(Peer::Group(g)) = state.open
        && let Some(i) = state
            .contacts
            .members
            .get(&g)
            .and_then(|ms| ms.order().iter().position(|m| *m == user))
    {
        state.members.selected = i;
    }
    state.typing.retain(|_, (_, until)| *until > state.now);
    reactions::follow_selection(state, &mut fx);
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
    Context::of_pane(p)
}

fn on_key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    if key.kind == KeyEventKind::Release {
        return;
    }
    if state.popup.is_some() {
        popup::protocol::key(state, key, fx);
        return;
    }
    if state.command_line.is_some() {
        command_line::key(state, key, fx);
        return;
    }
    if state.focus == Pane::Composer
        && state.composer.completion.is_some()
        && completion::key(state, &key, fx)
    {
        return;
    }
    if state.focus == Pane::Sidebar
        && !state.sidebar.filter.is_empty()
        && state.pending_keys.is_empty()
        && printable(&key).is_some()
    {
        // A filter being typed takes every character, bound or not (`?`, `:`, a `j` bound
        // by the user): the name it looks for may hold any of them.
        unbound_key(state, key, fx);
        return;
    }
    state.pending_keys.push(key);
    let keys: Vec<Key> = state.pending_keys.iter().map(Key::from_event).collect();
    for ctx in [context_of(state.focus), Context::Global] {
        match state.keymap.lookup(ctx, &keys) {
            Lookup::Action(a) => {
                state.pending_keys.clear();
                actions::run_action(state, a, fx);
                return;
            }
            Lookup::Prefix => return,
            Lookup::None => {}
        }
    }
    let was_chord = state.pending_keys.len() > 1;
    let unbound = [context_of(state.focus), Context::Global]
        .into_iter()
        .any(|ctx| state.keymap.is_unbound(ctx, &keys));
    state.pending_keys.clear();
    if unbound {
        // `run = "noop"`: the key does nothing, and is not typed either.
        return;
    }
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
            completion::refresh(state, fx);
            typing::on_edit(state, fx);
        }
        Pane::Sidebar => match (printable(&key), key.code) {
            (Some('/'), _) if state.sidebar.filter.is_empty() => {
                // No chat is looked for by a slash: the start of a command, as the welcome
                // text says (`/open 名字`), typed into the composer.
                state.focus = Pane::Composer;
                state.composer.textarea.insert_char('/');
                completion::refresh(state, fx);
            }
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
                completion::refresh(state, fx);
            }
        }
        Pane::Members => {}
    }
}

fn on_paste(state: &mut State, s: &str, fx: &mut Vec<Effect>) {
    if let Some(line) = state.command_line.as_mut() {
        line.push_str(&s.replace(['\n', '\r'], " "));
        return;
    }
    if popup::protocol::paste(state, s) {
        return;
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
            typing::on_edit(state, fx);
            // A dragged picture file arrives as its path: offer to send it.
            super::picture_send::offer(state, s);
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
                actions::move_sidebar(state, d);
            } else if inside(state.view.members_area) {
                actions::move_members(state, d);
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
                    actions::run_action(state, Action::Activate, fx);
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
