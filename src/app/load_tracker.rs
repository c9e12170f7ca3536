//! Asking for the loads the client needs to be whole (`loads`), and asking again.
//!
//! Each is asked once the connection is up. One that timed out is asked again at once (a few
//! times per connection); one that went down with its connection, or was wanted while there
//! was none, is asked when the connection comes back. Until it is in, the status line names it.
//! Every tracked call reports its result here (`settle`) before it does anything else.

use crate::onebot::Error;

use super::call::{Friends, Groups, LoginInfo, MemberList, RecentContacts};
use super::chat::{HistoryState, Page};
use super::contacts::MembersState;
use super::effect::Effect;
use super::loads::{Load, Trouble};
use super::state::State;

/// How many times one load is asked on one connection before it waits for the next one (each
/// attempt waits a whole call timeout, so this is no hot loop).
pub const ATTEMPTS_PER_CONNECTION: u32 = 3;

/// The call that loads `load`, with what it fills marked as loading.
fn start(load: Load, state: &mut State) -> Option<Effect> {
    Some(match load {
        Load::LoginInfo => Effect::call(LoginInfo),
        Load::Friends => Effect::call(Friends),
        Load::Groups => Effect::call(Groups),
        Load::RecentChats => Effect::call(RecentContacts {
            count: state.settings.recent_count,
        }),
        Load::Members(group) => {
            state.contacts.members.entry(group).or_default().state = MembersState::Loading;
            Effect::call(MemberList { group })
        }
        Load::History(peer) => {
            let count = state.settings.history_page;
            Effect::Call(state.chat_mut(peer).request_page(Page::Latest, count)?)
        }
    })
}

/// What `load` fills goes back to "not loaded": the next time it is needed, it is asked.
fn forget(load: Load, state: &mut State) {
    match load {
        Load::Members(g) => {
            if let Some(m) = state.contacts.members.get_mut(&g)
                && m.state != MembersState::Loaded
            {
                m.state = MembersState::NotLoaded;
            }
        }
        Load::History(p) => {
            if let Some(c) = state.chats.get_mut(&p)
                && matches!(c.history, HistoryState::Loading | HistoryState::Failed)
            {
                c.history = HistoryState::NotLoaded;
            }
        }
        _ => {}
    }
}

/// Asks for `load` unless a call for it is on its way. Offline, it is asked once connected.
pub fn ask(state: &mut State, load: Load, fx: &mut Vec<Effect>) {
    let connection = state.loads.connection;
    let t = state.loads.tracked.entry(load).or_default();
    if t.in_flight > 0 && t.asked_on == connection {
        return;
    }
    call(state, load, fx);
}

/// Makes a call for `load` now (offline: marks it as waiting for the connection).
fn call(state: &mut State, load: Load, fx: &mut Vec<Effect>) {
    let online = state.online();
    let connection = state.loads.connection;
    let t = state.loads.tracked.entry(load).or_default();
    if !online {
        if let Load::Members(g) = load {
            // Said as "loading" meanwhile: an action that needs the list waits for it.
            state.contacts.members.entry(g).or_default().state = MembersState::Loading;
        }
        return;
    }
    t.in_flight += 1;
    t.asked_on = connection;
    t.attempts += 1;
    match start(load, state) {
        Some(effect) => fx.push(effect),
        None => {
            state.loads.tracked.remove(&load);
        }
    }
}

/// Whether an error is worth asking again for, and why.
fn trouble_of(e: &Error) -> Option<Trouble> {
    match e {
        Error::Timeout { .. } => Some(Trouble::TimedOut),
        Error::Transport(_) | Error::NotConnected(_) => Some(Trouble::Lost),
        _ => None,
    }
}

/// The result of a call for `load`. Returns true when a failure is taken care of here (asked
/// again, or waiting for the connection): the call then shows no error of its own. A result
/// of a call that was not tracked changes nothing and returns false.
pub fn settle(
    state: &mut State,
    load: Load,
    result: Result<(), &Error>,
    fx: &mut Vec<Effect>,
) -> bool {
    let online = state.online();
    let Some(t) = state.loads.tracked.get_mut(&load) else {
        return false;
    };
    if t.in_flight == 0 {
        return false;
    }
    t.in_flight -= 1;
    let trouble = match result {
        Ok(()) => None,
        Err(e) => trouble_of(e),
    };
    let Some(trouble) = trouble else {
        // In, or refused for good (the call says why).
        state.loads.tracked.remove(&load);
        return false;
    };
    if t.in_flight > 0 {
        // Asked again already (on a newer connection): that answer is the one to wait for.
        return true;
    }
    if load.elsewhere(state.open) {
        // Its chat was left meanwhile: opening it again asks.
        state.loads.tracked.remove(&load);
        forget(load, state);
        return true;
    }
    t.trouble = Some(trouble);
    let attempts = t.attempts;
    if online && attempts < ATTEMPTS_PER_CONNECTION {
        call(state, load, fx);
    } else if online {
        // Given up on this connection: what it fills says so; the next connection asks again.
        match load {
            Load::Members(g) => {
                state.contacts.members.entry(g).or_default().state = MembersState::Failed;
            }
            Load::History(p) => state.chat_mut(p).history = HistoryState::Failed,
            _ => {}
        }
    } else if let Load::History(p) = load {
        state.chat_mut(p).history = HistoryState::NotLoaded;
    }
    true
}

/// The connection came up (or back): every load waiting for it, or asked on a connection that
/// went away (that answer is not coming), is asked now, each with a fresh count of attempts.
/// Those of chats no longer open are dropped instead (opening the chat asks again). The old
/// call's failure, when it comes, is then only counted off.
pub fn on_connected(state: &mut State, fx: &mut Vec<Effect>) {
    let open = state.open;
    let connection = state.loads.connection;
    let wanted: Vec<Load> = state
        .loads
        .tracked
        .iter_mut()
        .filter(|(_, t)| t.in_flight == 0 || t.asked_on < connection)
        .map(|(l, t)| {
            t.attempts = 0;
            *l
        })
        .collect();
    for load in wanted {
        if load.elsewhere(open) {
            // A call still on its way is forgotten when its failure comes (see `settle`).
            if state
                .loads
                .tracked
                .get(&load)
                .is_some_and(|t| t.in_flight == 0)
            {
                state.loads.tracked.remove(&load);
                forget(load, state);
            }
        } else {
            call(state, load, fx);
        }
    }
}

/// Something else brings `load` now (a catch-up's page): it is no longer tracked here.
pub fn hand_over(state: &mut State, load: Load) {
    state.loads.tracked.remove(&load);
}
