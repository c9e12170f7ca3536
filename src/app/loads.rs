//! The loads the client needs to be whole — who you are, your friends, groups and recent chats,
//! the members of the open group, the history of the open chat — tracked in one place.
//!
//! Each is asked once the connection is up. One that timed out is asked again at once (a few
//! times per connection); one that went down with its connection, or was wanted while there
//! was none, is asked when the connection comes back. Until it is in, the status line names it.
//! Every tracked call reports its result here (`settle`) before it does anything else.

use std::collections::BTreeMap;

use crate::onebot::{Error, Peer};

use super::call::{Friends, Groups, LoginInfo, MemberList, RecentContacts};
use super::chat::{HistoryState, Page};
use super::contacts::MembersState;
use super::effect::Effect;
use super::state::State;

/// How many times one load is asked on one connection before it waits for the next one (each
/// attempt waits a whole call timeout, so this is no hot loop).
pub const ATTEMPTS_PER_CONNECTION: u32 = 3;

/// Something the client loads to be whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Load {
    /// Your number and nickname, when the connection's own `get_login_info` got no answer.
    LoginInfo,
    Friends,
    Groups,
    RecentChats,
    /// A group's member list.
    Members(i64),
    /// A chat's latest history page.
    History(Peer),
}

impl Load {
    /// What the status line calls it.
    pub fn label(self) -> &'static str {
        match self {
            Load::LoginInfo => "登录信息",
            Load::Friends => "好友列表",
            Load::Groups => "群列表",
            Load::RecentChats => "最近会话",
            Load::Members(_) => "群成员",
            Load::History(_) => "历史消息",
        }
    }

    /// The call that loads it, with what it fills marked as loading.
    fn start(self, state: &mut State) -> Option<Effect> {
        Some(match self {
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

    /// Whether it is about a chat other than the open one (not worth asking again then).
    fn elsewhere(self, open: Option<Peer>) -> bool {
        match self {
            Load::Members(g) => open != Some(Peer::Group(g)),
            Load::History(p) => open != Some(p),
            _ => false,
        }
    }

    /// What it fills goes back to "not loaded": the next time it is needed, it is asked.
    fn forget(self, state: &mut State) {
        match self {
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
}

/// Why a load is still missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// The server did not answer in time.
    TimedOut,
    /// It went down with its connection (or was wanted while there was none).
    Lost,
}

/// One load that is not in yet.
#[derive(Debug, Clone, Default, PartialEq)]
struct Tracked {
    /// Calls for it on their way (each result, success or failure, comes back once).
    in_flight: u32,
    /// The connection the latest of them was made on.
    asked_on: u64,
    /// Calls made for it on this connection.
    attempts: u32,
    /// Set once an attempt failed in a way worth retrying.
    trouble: Option<Trouble>,
}

/// Every load not in yet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loads {
    tracked: BTreeMap<Load, Tracked>,
    /// Counts the connections (bumped as each one comes up).
    connection: u64,
}

impl Loads {
    /// The loads that failed at least once and are still missing, with why, in a fixed order.
    pub fn missing(&self) -> Vec<(Load, Trouble)> {
        self.tracked
            .iter()
            .filter_map(|(l, t)| Some((*l, t.trouble?)))
            .collect()
    }

    /// Whether `load` is on its way or waiting to be asked.
    pub fn is_pending(&self, load: Load) -> bool {
        self.tracked.contains_key(&load)
    }

    /// A new connection is up: calls made before it will not be answered on it.
    pub fn new_connection(&mut self) {
        self.connection += 1;
    }

    /// What the status line says while something is missing: `仍未加载: 好友列表、群成员`, with
    /// `(重试中)` while an attempt is on its way.
    pub fn summary(&self) -> Option<String> {
        let missing = self.missing();
        if missing.is_empty() {
            return None;
        }
        let mut labels: Vec<&str> = Vec::new();
        for (l, _) in &missing {
            if !labels.contains(&l.label()) {
                labels.push(l.label());
            }
        }
        let retrying = missing
            .iter()
            .any(|(l, _)| self.tracked.get(l).is_some_and(|t| t.in_flight > 0));
        Some(format!(
            "仍未加载: {}{}",
            labels.join("、"),
            if retrying { " (重试中)" } else { "" }
        ))
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
    match load.start(state) {
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
        Error::Transport(_) => Some(Trouble::Lost),
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
        load.forget(state);
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
                load.forget(state);
            }
        } else {
            call(state, load, fx);
        }
    }
}
