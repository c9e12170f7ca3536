//! Group administration from the keyboard: actions on members, messages and the group, each
//! refused locally with its reason when your role does not allow it, destructive ones behind a
//! confirmation, all of them recorded in the audit log once their result is known.

pub mod audit;
pub mod commands;
pub mod duration;
pub mod group;
pub mod members;
pub mod messages;
pub mod roles;
pub mod sheets;
pub mod target;

use super::action::Action;
use super::effect::Effect;
use super::state::State;

/// Performs an administration key action (mark, mute, unmute, kick, profile, poke, recall,
/// essence); a refusal goes to the status line.
pub fn run_key(state: &mut State, action: &Action, fx: &mut Vec<Effect>) {
    let result = match action {
        Action::Mark => {
            members::toggle_mark(state);
            Ok(())
        }
        Action::Mute => members::mute_key(state, fx),
        Action::Unmute => members::unmute_key(state, fx),
        Action::Kick => members::kick_key(state, fx),
        Action::Profile => members::profile_key(state, fx),
        Action::Poke => members::poke_key(state, fx),
        Action::Recall => messages::recall(state, fx),
        Action::Essence => messages::essence(state, None, fx),
        _ => Ok(()),
    };
    if let Err(e) = result {
        state.error(e);
    }
}
