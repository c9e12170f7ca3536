//! What the app knows of the local history without reading it: which account's store is open
//! (or why there is none), the newest stored message of each chat, the chat names stored; and
//! the one place writes and reads are asked for (nothing while there is no store).

use std::collections::HashMap;

use crate::onebot::Peer;

use super::effect::Effect;
use super::stored::{Boundary, StoreRead, StoreWrite};

/// Where the store stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StoreStatus {
    /// None asked for yet (or history is off).
    #[default]
    Closed,
    /// Asked to open `account`'s store; writes sent meanwhile are kept for it.
    Opening(i64),
    /// `account`'s store is open.
    Open(i64),
    /// It could not be opened or stopped writing: napterm runs on without it.
    Off(String),
}

/// What the app knows of the store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalStore {
    pub status: StoreStatus,
    /// The newest stored message of each chat (kept up to date with every message written).
    pub newest: HashMap<Peer, Boundary>,
    /// The chat names stored (a name is written again only when it changed).
    pub names: HashMap<Peer, String>,
    /// The account whose store could not be opened (not asked again: said once).
    pub failed: Option<i64>,
}

impl LocalStore {
    /// Writes go somewhere: a store is open, or opening (the runtime keeps them for it).
    pub fn writing(&self) -> bool {
        matches!(self.status, StoreStatus::Opening(_) | StoreStatus::Open(_))
    }

    /// A store is open to read.
    pub fn readable(&self) -> bool {
        matches!(self.status, StoreStatus::Open(_))
    }

    /// The account whose store is open or opening.
    pub fn account(&self) -> Option<i64> {
        match self.status {
            StoreStatus::Opening(a) | StoreStatus::Open(a) => Some(a),
            _ => None,
        }
    }

    /// Asks for a write (nothing while there is no store). A message moves its chat's
    /// boundary forward.
    pub fn write(&mut self, fx: &mut Vec<Effect>, w: StoreWrite) {
        if !self.writing() {
            return;
        }
        match &w {
            StoreWrite::Message(ev) => {
                let peer = ev.peer();
                if peer.id() != 0 && ev.message_id != 0 {
                    let b = Boundary {
                        message_id: ev.message_id,
                        time: ev.time,
                    };
                    let e = self.newest.entry(peer).or_insert(b);
                    if b.time >= e.time {
                        *e = b;
                    }
                }
            }
            StoreWrite::ChatName { peer, name } => {
                if self.names.get(peer) == Some(name) {
                    return;
                }
                self.names.insert(*peer, name.clone());
            }
            StoreWrite::Forget(peer) => {
                self.newest.remove(peer);
            }
            _ => {}
        }
        fx.push(Effect::Store(w));
    }

    /// Asks for a read (nothing while no store is open); false when none was asked.
    pub fn read(&self, fx: &mut Vec<Effect>, r: StoreRead) -> bool {
        if !self.readable() {
            return false;
        }
        fx.push(Effect::StoreRead(r));
        true
    }

    /// The newest stored message of `peer`.
    pub fn boundary(&self, peer: Peer) -> Option<Boundary> {
        self.newest.get(&peer).copied()
    }
}
