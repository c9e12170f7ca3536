//! The simulated account's world: friends, groups, members, history, files, notices, requests.
//! (Being written; see `World::handle`.)

use serde_json::Value;

use crate::onebot::Event;

/// The outcome of one action against the world.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// `Ok(data)` (None = reply without a `data` key) or `Err((retcode, message))`.
    pub reply: Result<Option<Value>, (i64, String)>,
    /// Events the action causes (pushed to every event socket after the reply).
    pub events: Vec<Event>,
}

/// The simulated account and everything it can see.
#[derive(Debug, Clone)]
pub struct World {
    pub self_id: i64,
    pub nickname: String,
}

impl World {
    /// A believable world, the same for the same seed.
    pub fn new(_seed: u64) -> World {
        World {
            self_id: 10001,
            nickname: "napterm".into(),
        }
    }

    /// Performs one action as NapCat would.
    pub fn handle(&mut self, action: &str, _params: &Value) -> Outcome {
        Outcome {
            reply: Err((1404, format!("不支持的API {action}"))),
            events: Vec::new(),
        }
    }

    /// The next events of the live stream (messages, pokes, notices), for `napterm demo`.
    pub fn live_tick(&mut self) -> Vec<Event> {
        Vec::new()
    }
}
