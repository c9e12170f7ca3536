//! Group member lists: loaded when first needed, and the member pane shown or hidden.

use crate::onebot::Peer;

use super::action::Pane;
use super::contacts::MembersState;
use super::effect::Effect;
use super::load_tracker;
use super::loads::Load;
use super::state::State;

/// Requests a group's member list if it is not loaded or loading (through the load tracker,
/// which asks again when the answer does not come).
pub fn ensure_members(state: &mut State, group: i64, fx: &mut Vec<Effect>) {
    let m = state.contacts.members.entry(group).or_default();
    if matches!(m.state, MembersState::NotLoaded | MembersState::Failed) {
        load_tracker::ask(state, Load::Members(group), fx);
    }
}

/// Shows the member pane (loading the open group's members) or hides it.
pub fn toggle_pane(state: &mut State, fx: &mut Vec<Effect>) {
    state.members.visible = !state.members.visible;
    if state.members.visible {
        if let Some(Peer::Group(g)) = state.open {
            ensure_members(state, g, fx);
        }
    } else if state.focus == Pane::Members {
        state.focus = Pane::Composer;
    }
}
