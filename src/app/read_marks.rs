//! Telling the server that the open chat was read while messages keep coming into it: at once
//! for the first message of a second, and once at the next clock tick for the ones after it.
//!
//! Each live message in the open chat used to send its own `mark_msg_as_read`: 200 calls a
//! second in a flood, each a WebSocket frame out and an answer to parse. Now a flood sends one a
//! second, and a chat at talking speed still hears at once.

use super::call::MarkRead;
use super::effect::Effect;
use super::state::{ReadMarks, State};
use crate::onebot::Peer;

/// A live message was seen in `peer`, the open chat, with the terminal focused.
pub fn seen(state: &mut State, peer: Peer, fx: &mut Vec<Effect>) {
    let now = state.now;
    let marks = &mut state.read_marks;
    if marks.sent_at == Some(now) {
        if marks.due.is_some_and(|p| p != peer) {
            // Another chat waiting too: it is told now rather than forgotten.
            send(marks, now, fx);
        }
        marks.due = Some(peer);
        return;
    }
    marks.due = Some(peer);
    send(marks, now, fx);
}

/// The clock ticked: a chat read meanwhile is told.
pub fn on_clock(state: &mut State, fx: &mut Vec<Effect>) {
    let now = state.now;
    let marks = &mut state.read_marks;
    if marks.due.is_some() && marks.sent_at != Some(now) {
        send(marks, now, fx);
    }
}

/// The app quits: a chat read since the last mark is told now, not at a tick that never comes.
pub fn on_quit(state: &mut State, fx: &mut Vec<Effect>) {
    let now = state.now;
    send(&mut state.read_marks, now, fx);
}

fn send(marks: &mut ReadMarks, now: i64, fx: &mut Vec<Effect>) {
    if let Some(peer) = marks.due.take() {
        marks.sent_at = Some(now);
        fx.push(Effect::call(MarkRead { peer }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Msg;
    use crate::app::call::Call;
    use crate::app::keymap::Keymap;
    use crate::app::state::Settings;
    use crate::app::update::update;

    fn marks(fx: &[Effect]) -> Vec<Peer> {
        fx.iter()
            .filter_map(|e| match e {
                Effect::Call(Call::MarkRead(m)) => Some(m.peer),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_flood_is_told_once_a_second_and_the_last_message_is_told_at_the_next_tick() {
        let mut state = State::new(Settings::default(), Keymap::default_map());
        state.now = 100;
        let g = Peer::Group(7);
        let mut fx = Vec::new();
        seen(&mut state, g, &mut fx);
        for _ in 0..50 {
            seen(&mut state, g, &mut fx);
        }
        assert_eq!(marks(&fx), vec![g], "the first at once, the rest wait");
        let fx = update(&mut state, Msg::Clock(101));
        assert_eq!(marks(&fx), vec![g], "the tick tells the rest");
        let mut fx = Vec::new();
        seen(&mut state, g, &mut fx);
        assert!(marks(&fx).is_empty(), "told already within second 101");
        let fx = update(&mut state, Msg::Clock(102));
        assert_eq!(marks(&fx), vec![g]);
        let fx = update(&mut state, Msg::Clock(103));
        assert!(marks(&fx).is_empty(), "nothing more to tell");
    }

    #[test]
    fn talking_speed_is_told_at_once() {
        let mut state = State::new(Settings::default(), Keymap::default_map());
        let g = Peer::Private(9);
        for t in [200, 201, 203] {
            state.now = t;
            let mut fx = Vec::new();
            seen(&mut state, g, &mut fx);
            assert_eq!(marks(&fx), vec![g], "second {t}");
        }
    }

    #[test]
    fn a_chat_waiting_is_told_when_another_is_read_in_the_same_second() {
        let mut state = State::new(Settings::default(), Keymap::default_map());
        state.now = 50;
        let (a, b) = (Peer::Group(1), Peer::Group(2));
        let mut fx = Vec::new();
        seen(&mut state, a, &mut fx);
        seen(&mut state, a, &mut fx);
        seen(&mut state, b, &mut fx);
        assert_eq!(marks(&fx), vec![a, a]);
        let fx = update(&mut state, Msg::Clock(51));
        assert_eq!(marks(&fx), vec![b]);
    }

    #[test]
    fn quitting_tells_the_chat_read_since_the_last_mark() {
        let mut state = State::new(Settings::default(), Keymap::default_map());
        state.now = 70;
        let g = Peer::Group(3);
        let mut fx = Vec::new();
        seen(&mut state, g, &mut fx);
        seen(&mut state, g, &mut fx);
        assert_eq!(marks(&fx), vec![g], "the second waits for the tick");
        let ctrl_c = crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        );
        let fx = update(&mut state, Msg::Key(ctrl_c));
        assert!(state.quit);
        assert_eq!(marks(&fx), vec![g], "told on the way out");
        let fx = update(&mut state, Msg::Clock(71));
        assert!(marks(&fx).is_empty(), "and only once");
    }
}
