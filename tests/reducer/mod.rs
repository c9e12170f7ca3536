//! What the reducer tests share: feeding `update` a frame, a key or some typing, and reading
//! the calls out of the effects.

#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use napterm::app::update::update;
use napterm::app::{Call, Effect, Msg, State};
use napterm::onebot::{ClientEvent, Frame, parse_frame};
use serde_json::Value;

pub fn event(json: Value) -> Msg {
    let Ok(Frame::Event(e)) = parse_frame(&json.to_string()) else {
        panic!("not an event: {json}");
    };
    Msg::Client(ClientEvent::Event(e))
}

pub fn press(s: &mut State, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, mods)))
}

pub fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    press(s, code, KeyModifiers::NONE)
}

pub fn type_text(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| key(s, KeyCode::Char(c)))
        .collect()
}

pub fn calls(fx: &[Effect]) -> Vec<&Call> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Call(c) => Some(c),
            _ => None,
        })
        .collect()
}
