//! `/find`: a search of the local history of every chat (or, from `/search`, of the open one).
//! Typing edits the query, Enter runs it; once its hits are shown, Enter opens the chat of the
//! selected hit at that message, its surroundings read from the store however far back it is.

use crossterm::event::KeyEvent;

use crate::onebot::Peer;
use crate::store::{ChatRef, Hit, Query};

use super::super::action::{Action, Pane};
use super::super::chat::HistoryState;
use super::super::effect::Effect;
use super::super::lifecycle::open_chat;
use super::super::local::file_rows;
use super::super::state::State;
use super::super::stored::{StoreEvent, StoreRead};
use super::protocol::{Outcome, PopupState};
use super::state::FindView;
use super::{Load, Popup};

/// The most hits one search shows.
pub const FIND_LIMIT: usize = 200;
/// Rows read on either side of a hit opened in its chat.
pub const AROUND: usize = 100;

/// Opens the search popup and runs `text` (in `scope` only, when given).
pub fn open(
    state: &mut State,
    text: &str,
    scope: Option<Peer>,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    if !state.store.readable() {
        return Err("本地记录不可用 (没有打开的本地历史)".into());
    }
    let mut view = FindView {
        query: text.trim().to_string(),
        scope,
        asked: String::new(),
        hits: Load::Ready(Vec::new()),
        selected: 0,
    };
    if !view.query.is_empty() {
        view.run(state, fx);
    }
    state.popup = Some(Popup::Find(view));
    Ok(())
}

impl FindView {
    /// Runs the query as typed.
    fn run(&mut self, state: &mut State, fx: &mut Vec<Effect>) {
        self.asked = self.query.clone();
        self.selected = 0;
        match Query::parse(&self.query) {
            Ok(mut q) => {
                if let Some(p) = self.scope {
                    q.chats = vec![ChatRef::Peer(p)];
                }
                // A recalled message is found only where the timeline shows what it said.
                q.recalled = state.settings.show_recalled;
                self.hits = Load::Loading;
                state.store.read(
                    fx,
                    StoreRead::Find {
                        text: self.asked.clone(),
                        query: q,
                        limit: FIND_LIMIT,
                    },
                );
            }
            Err(e) => self.hits = Load::Failed(e.to_string()),
        }
    }

    /// The hits in the order shown.
    pub fn shown(&self) -> &[Hit] {
        self.hits.ready().map(Vec::as_slice).unwrap_or_default()
    }
}

/// Hits newest first → grouped by chat (the chat of the newest hit first), newest first within.
pub fn grouped(hits: Vec<Hit>) -> Vec<Hit> {
    let mut order: Vec<Peer> = Vec::new();
    let mut by_chat: std::collections::HashMap<Peer, Vec<Hit>> = Default::default();
    for h in hits {
        if !by_chat.contains_key(&h.peer) {
            order.push(h.peer);
        }
        by_chat.entry(h.peer).or_default().push(h);
    }
    order
        .into_iter()
        .flat_map(|p| by_chat.remove(&p).unwrap_or_default())
        .collect()
}

impl PopupState for FindView {
    fn field(&mut self) -> Option<&mut String> {
        Some(&mut self.query)
    }

    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        let len = self.hits.count();
        Some((&mut self.selected, len))
    }

    fn key(
        &mut self,
        state: &mut State,
        _key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        match action {
            Some(Action::Activate | Action::Confirm) => self.submit(state, fx),
            _ => Outcome::Pass,
        }
    }

    /// Enter: a changed query runs; else the selected hit opens.
    fn submit(&mut self, state: &mut State, fx: &mut Vec<Effect>) -> Outcome {
        if self.query.trim() != self.asked.trim() || self.query.trim().is_empty() {
            if self.query.trim().is_empty() {
                return Outcome::Stay;
            }
            self.run(state, fx);
            return Outcome::Stay;
        }
        let Some(hit) = self.shown().get(self.selected) else {
            return Outcome::Stay;
        };
        let (peer, id) = (hit.peer, hit.message_id);
        jump(state, peer, id, fx);
        Outcome::Close
    }
}

/// Opens `peer` at message `message_id`: selected at once when loaded, else the chat is
/// loaded around it from the store.
pub fn jump(state: &mut State, peer: Peer, message_id: i64, fx: &mut Vec<Effect>) {
    if let Some(key) = state
        .chats
        .get(&peer)
        .and_then(|c| c.timeline.key_of(message_id))
    {
        open_chat(state, peer, fx);
        state.chat_mut(peer).selected = Some(key);
        state.focus = Pane::Timeline;
        return;
    }
    let chat = state.chat_mut(peer);
    // The newest messages come back when scrolling down to them.
    chat.timeline.clear();
    chat.detached = true;
    chat.from_store = true;
    chat.store_done = false;
    chat.store_reading = true;
    if chat.history == HistoryState::NotLoaded {
        chat.history = HistoryState::Idle;
    }
    open_chat(state, peer, fx);
    state.focus = Pane::Timeline;
    state.store.read(
        fx,
        StoreRead::Around {
            peer,
            message_id,
            before: AROUND,
            after: AROUND,
        },
    );
}

/// The search's answers: its hits, and a hit's surroundings.
pub fn on_event(state: &mut State, ev: StoreEvent, fx: &mut Vec<Effect>) {
    match ev {
        StoreEvent::Found { text, hits } => {
            if let Some(Popup::Find(v)) = state.popup.as_mut()
                && v.asked == text
            {
                v.hits = Load::Ready(grouped(hits));
                v.selected = 0;
            }
        }
        StoreEvent::Around {
            peer,
            message_id,
            rows,
        } => {
            let Some(rows) = rows else {
                state.chat_mut(peer).store_reading = false;
                state.error("这条消息已不在本地记录中");
                super::super::local::back_to_newest(state, peer, fx);
                return;
            };
            let newest = state.store.boundary(peer).map(|b| b.message_id);
            let reaches_newest = rows
                .iter()
                .any(|r| r.message().is_some_and(|m| Some(m.message_id) == newest));
            file_rows(state, peer, rows);
            let chat = state.chat_mut(peer);
            chat.store_reading = false;
            if reaches_newest {
                chat.detached = false;
            }
            chat.selected = chat.timeline.key_of(message_id);
        }
        _ => {}
    }
}
