//! A member's profile: what the member list knows at once, the fetched details when they come;
//! the member pane's keys (mute, kick, card, …) work in it, on its member.

use crossterm::event::KeyEvent;

use super::super::action::Action;
use super::super::admin::members;
use super::super::call::Poke;
use super::super::call::Profile;
use super::super::commands;
use super::super::effect::Effect;
use super::super::keymap::{Context, Key, Lookup};
use super::super::state::State;
use super::Popup;
use super::protocol::{Outcome, PopupState};
use super::state::ProfileCard;

/// Opens the profile of `user` in `group` (None: a friend, outside any group) and asks for its
/// details.
pub fn open(state: &mut State, group: Option<i64>, user: i64, fx: &mut Vec<Effect>) {
    state.popup = Some(Popup::Profile(ProfileCard {
        group,
        user,
        data: None,
        error: None,
    }));
    fx.push(Effect::call(Profile { group, user }));
}

impl ProfileCard {
    /// A key bound to a command line. The command finds its member in the open profile
    /// (`target::from_context`) and may close it (a prefilled command line): it runs with the
    /// profile open, and what it leaves open stays.
    fn run_line(&self, state: &mut State, line: &str, fx: &mut Vec<Effect>) -> Outcome {
        state.popup = Some(Popup::Profile(self.clone()));
        let line = line.trim().trim_start_matches('/');
        if let Err(e) = commands::run(state, line, fx) {
            state.error(e);
        }
        Outcome::Close
    }
}

impl PopupState for ProfileCard {
    /// A member-pane key: the same action, on this member.
    fn key(
        &mut self,
        state: &mut State,
        key: &KeyEvent,
        _action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        let Lookup::Action(action) = state
            .keymap
            .lookup(Context::Members, &[Key::from_event(key)])
        else {
            return Outcome::Pass;
        };
        let u = self.user;
        let Some(g) = self.group else {
            // A friend's profile: what works in a private chat.
            return match action {
                Action::Poke => {
                    fx.push(Effect::call(Poke {
                        group: None,
                        user: u,
                    }));
                    Outcome::Stay
                }
                Action::Run(line) => self.run_line(state, &line, fx),
                _ => Outcome::Pass,
            };
        };
        let result = match action {
            Action::Mute => members::open_mute_picker(state, g, vec![u], fx),
            Action::Unmute => members::unmute(state, g, &[u], fx),
            Action::Kick => members::kick(state, g, &[u], false, fx),
            Action::Poke => {
                fx.push(Effect::call(Poke {
                    group: Some(g),
                    user: u,
                }));
                Ok(())
            }
            Action::Mention => {
                members::mention(state, g, u);
                return Outcome::Close;
            }
            Action::Run(line) => return self.run_line(state, &line, fx),
            _ => return Outcome::Pass,
        };
        if let Err(e) = result {
            state.error(e);
        }
        Outcome::Stay
    }
}
