//! What each named action does in the focused pane, and moving the focus and the selections.

use crate::onebot::Peer;

use super::action::{Action, Pane};
use super::cursor::step;
use super::effect::Effect;
use super::popup::{self, FacePicker, HelpView, Popup};
use super::state::{SidebarTab, State};
use super::{
    admin, chat_prefs, commands, completion, editor, forwarding, lifecycle, member_list, open_link,
    reactions, reply_to, retry, saving, seek, sending, sidebar, timeline_nav,
};

/// Performs a named action in the focused context.
pub fn run_action(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
    match action {
        Action::Quit => state.quit = true,
        Action::Help => state.popup = Some(Popup::Help(HelpView::default())),
        Action::Redraw => fx.push(Effect::Redraw),
        Action::ToggleQuiet | Action::TogglePin => match chat_prefs::target(state) {
            Some(p) if action == Action::ToggleQuiet => chat_prefs::toggle_mute(state, p, fx),
            Some(p) => chat_prefs::toggle_pin(state, p, fx),
            None => state.error("没有选中或打开的会话"),
        },
        Action::Suspend => fx.push(Effect::Suspend),
        Action::FocusNext => cycle_focus(state, 1),
        Action::FocusPrev => cycle_focus(state, -1),
        // Esc in the timeline clears the marks first.
        Action::Focus(Pane::Composer)
            if state.focus == Pane::Timeline && forwarding::clear_marks(state) => {}
        // Esc in a filtered sidebar clears the filter first (the list comes back, the focus
        // stays); the next one goes to the composer.
        Action::Focus(Pane::Composer)
            if state.focus == Pane::Sidebar && !state.sidebar.filter.is_empty() =>
        {
            state.sidebar.filter.clear();
            state.sidebar.selected = 0;
            state.sidebar.selected_peer = None;
        }
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
            lifecycle::open_chat(state, peers[i], fx);
        }
        Action::NextUnread if seek::next_mention(state, fx) => {}
        Action::JumpUnread => seek::jump_to_first_unread(state, fx),
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
                Some(p) => lifecycle::open_chat(state, p, fx),
                None => state.info("没有未读消息"),
            }
        }
        Action::TogglePictures => super::picture_loads::toggle(state, fx),
        Action::ToggleSidebar => {
            state.sidebar.visible = !state.sidebar.visible;
            if !state.sidebar.visible && state.focus == Pane::Sidebar {
                state.focus = Pane::Composer;
            }
        }
        Action::ToggleMembers => member_list::toggle_pane(state, fx),
        Action::CommandLine => state.command_line = Some(String::new()),
        Action::Run(line) => {
            let line = line.trim().trim_start_matches('/').to_string();
            if let Err(e) = commands::run(state, &line, fx) {
                state.error(e);
            }
        }
        Action::Requests => popup::inbox::open(state, fx),
        Action::Reload => retry::retry_now(state, fx),
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
            _ => timeline_nav::bottom(state, fx),
        },
        Action::Activate => match state.focus {
            Pane::Sidebar => {
                let peers = sidebar::selectable(&sidebar::rows(state));
                if let Some(p) = peers.get(sidebar::selected_index(state, &peers)).copied() {
                    state.sidebar.filter.clear();
                    lifecycle::open_chat(state, p, fx);
                    state.focus = Pane::Composer;
                }
            }
            Pane::Timeline => {
                if !popup::forward::open_selected(state, fx)
                    && !popup::pictures::open_selected(state, fx)
                    && !saving::play_selected(state, fx)
                {
                    timeline_nav::jump_to_quoted(state, fx);
                }
            }
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
        Action::Reply => reply_to::start(state),
        Action::Copy => {
            if let Some((peer, m)) = state.selected_message() {
                let text = state.plain_text(peer, &m.chain);
                fx.push(Effect::Copy(text));
                state.info("已复制到剪贴板");
            }
        }
        Action::OpenLink => {
            if !popup::forward::open_selected(state, fx)
                && !popup::pictures::open_selected(state, fx)
                && !saving::open_saved(state, fx)
                && !saving::play_selected(state, fx)
            {
                open_link::open_selected(state, fx);
            }
        }
        Action::Save => {
            if let Err(e) = saving::save_selected(state, fx) {
                state.error(e);
            }
        }
        Action::Editor => editor::start(state, fx),
        Action::Links => {
            if let Err(e) = popup::links::open(state) {
                state.error(e);
            }
        }
        Action::Recall => admin::run_key(state, &action, fx),
        Action::Compose => state.focus = Pane::Composer,
        Action::SearchNext => {
            timeline_nav::search_step(state, -1);
        }
        Action::SearchPrev => {
            timeline_nav::search_step(state, 1);
        }
        Action::Retry => sending::retry_selected(state, fx),
        Action::Essence => admin::run_key(state, &action, fx),
        Action::React => {
            if let Err(e) = reactions::open_picker(state) {
                state.error(e);
            }
        }
        Action::Send => sending::send(state, fx),
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
            if state.composer.accept_completion().is_some() {
                completion::refresh(state, fx);
            } else if state.composer.is_empty() {
                // Tab leaves only a composer with nothing in it: typed text never loses the
                // focus to a key meant to complete it.
                cycle_focus(state, 1);
            }
        }
        Action::DeleteToLineStart => {
            state.composer.delete_to_line_start();
            completion::refresh(state, fx);
        }
        Action::Undo => {
            state.composer.undo();
            completion::refresh(state, fx);
        }
        Action::Redo => {
            state.composer.redo();
            completion::refresh(state, fx);
        }
        Action::ClearComposer => state.composer.clear(),
        Action::Mention => {
            if let Some(m) = state.selected_member() {
                let (name, qq) = (m.display_name(), m.user_id);
                state
                    .composer
                    .insert_token(format!("@{name}"), crate::onebot::Segment::at(qq));
                state.focus = Pane::Composer;
            }
        }
        Action::Mark if state.focus == Pane::Timeline => forwarding::toggle_mark(state),
        Action::Mark
        | Action::Mute
        | Action::Unmute
        | Action::Kick
        | Action::Profile
        | Action::Poke => admin::run_key(state, &action, fx),
        Action::Confirm
        | Action::Search
        | Action::Deny
        | Action::Accept
        | Action::Reject
        | Action::Delete
        | Action::NewFolder
        | Action::Noop => {}
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

/// Moves the focus `d` panes on, in the order shown.
fn cycle_focus(state: &mut State, d: i32) {
    let order = focus_order(state);
    let i = order.iter().position(|p| *p == state.focus).unwrap_or(0) as i32;
    let n = order.len() as i32;
    state.focus = order[((i + d).rem_euclid(n)) as usize];
}

/// Moves the sidebar selection by `d` chats.
pub fn move_sidebar(state: &mut State, d: i32) {
    let peers = sidebar::selectable(&sidebar::rows(state));
    let cur = sidebar::selected_index(state, &peers);
    let next = step(cur, d, peers.len());
    sidebar::select(state, &peers, next);
}

/// Moves the member pane selection by `d` members.
pub fn move_members(state: &mut State, d: i32) {
    let n = match state.open {
        Some(Peer::Group(g)) => state
            .contacts
            .members
            .get(&g)
            .map(|m| m.by_id().len())
            .unwrap_or(0),
        _ => 0,
    };
    state.members.selected = step(state.members.selected, d, n);
}
