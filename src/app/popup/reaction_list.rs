//! Who reacted to a message with what (`/reactions`): one row per reaction with everybody behind
//! it, fetched as the list opens. Read-only: the list keys scroll it.

use super::super::state::State;
use super::protocol::PopupState;
use super::state::ReactionList;

impl ReactionList {
    /// The lines the list shows: a heading per reaction, then one per person.
    pub fn line_count(&self) -> usize {
        self.rows.ready().map_or(1, |rows| {
            rows.iter()
                .map(|r| 1 + r.who.ready().map_or(1, |w| w.len().max(1)))
                .sum()
        })
    }
}

impl PopupState for ReactionList {
    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        let n = self.line_count();
        Some((&mut self.scroll, n))
    }
}
