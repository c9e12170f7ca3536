//! Telling a friend you are typing (`set_input_status`): while you type in a private chat, at
//! most once every [`EVERY`] seconds, unless `[privacy] send_typing = false`. (Their typing comes
//! as `input_status` notices, handled with the other notices in `events`.)

use crate::onebot::Peer;

use super::call::Typing;
use super::call::reply::Request;
use super::effect::Effect;
use super::state::State;

/// The least time between two reports to the same friend, in seconds.
pub const EVERY: i64 = 5;

/// The composer's text changed: in a private chat with something typed (not a command), the
/// friend is told, at most every [`EVERY`] seconds.
pub fn on_edit(state: &mut State, fx: &mut Vec<Effect>) {
    if !state.settings.send_typing {
        return;
    }
    let Some(Peer::Private(user)) = state.open else {
        return;
    };
    let text = state.composer.text();
    if text.trim().is_empty() || text.trim_start().starts_with('/') {
        return;
    }
    if let Some((u, at)) = state.typing_sent
        && u == user
        && state.now - at < EVERY
    {
        return;
    }
    state.typing_sent = Some((user, state.now));
    fx.push(Effect::call(Typing { user }));
}

// What the call's result does (see `call::reply::Request`).

impl Request for Typing {
    type Output = ();

    fn describe(&self) -> &'static str {
        "发送输入状态"
    }

    fn done(self, _state: &mut State, _out: (), _fx: &mut Vec<Effect>) {}

    /// Quietly: a typing hint that did not arrive is not worth an error line.
    fn failed(self, _state: &mut State, _e: crate::onebot::Error, _fx: &mut Vec<Effect>) {}
}
