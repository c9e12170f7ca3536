//! The loads the client needs to be whole — who you are, your friends, groups and recent chats,
//! the members of the open group, the history of the open chat — as the state keeps them while
//! they are not in: which are on their way, on which connection, and why one is still missing.
//! What asks and asks again is `load_tracker`.

use std::collections::BTreeMap;

use crate::onebot::Peer;

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

    /// Whether it is about a chat other than the open one (not worth asking again then).
    pub fn elsewhere(self, open: Option<Peer>) -> bool {
        match self {
            Load::Members(g) => open != Some(Peer::Group(g)),
            Load::History(p) => open != Some(p),
            _ => false,
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
pub struct Tracked {
    /// Calls for it on their way (each result, success or failure, comes back once).
    pub in_flight: u32,
    /// The connection the latest of them was made on.
    pub asked_on: u64,
    /// Calls made for it on this connection.
    pub attempts: u32,
    /// Set once an attempt failed in a way worth retrying.
    pub trouble: Option<Trouble>,
}

/// Every load not in yet (written only by `load_tracker`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loads {
    pub tracked: BTreeMap<Load, Tracked>,
    /// Counts the connections (bumped as each one comes up).
    pub connection: u64,
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
