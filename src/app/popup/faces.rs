//! The face picker: a search field over the QQ face table; Enter inserts the chosen face.

use crossterm::event::KeyEvent;

use crate::onebot::faces;

use super::super::action::{Action, Pane};
use super::super::effect::Effect;
use super::super::fuzzy::{Candidate, rank};
use super::super::state::State;
use super::protocol::{Outcome, PopupState};
use super::state::FacePicker;

impl FacePicker {
    /// Faces matching the query (by name, id or pinyin), in table order.
    pub fn matches(&self) -> Vec<faces::Face> {
        let q = self.query.trim();
        if q.is_empty() {
            return faces::all().to_vec();
        }
        let all = faces::all();
        let cands: Vec<Candidate> = all
            .iter()
            .map(|f| Candidate::new(&[f.name], f.id))
            .collect();
        rank(q, cands.iter().zip(all.iter().copied()))
    }

    /// Puts the chosen face into the composer; the picker closes either way.
    fn insert(&self, state: &mut State) -> Outcome {
        if let Some(f) = self.matches().get(self.selected) {
            state.composer.insert_face(f.id);
            state.focus = Pane::Composer;
        }
        Outcome::Close
    }
}

impl PopupState for FacePicker {
    fn field(&mut self) -> Option<&mut String> {
        Some(&mut self.query)
    }

    fn edited(&mut self) {
        self.selected = 0;
    }

    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        let len = self.matches().len();
        Some((&mut self.selected, len))
    }

    fn key(
        &mut self,
        state: &mut State,
        _key: &KeyEvent,
        action: Option<&Action>,
        _fx: &mut Vec<Effect>,
    ) -> Outcome {
        match action {
            Some(Action::Activate | Action::Confirm) => self.insert(state),
            _ => Outcome::Pass,
        }
    }

    fn submit(&mut self, state: &mut State, _fx: &mut Vec<Effect>) -> Outcome {
        self.insert(state)
    }
}
