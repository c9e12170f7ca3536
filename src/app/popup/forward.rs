//! The merged-forward viewer (聊天记录): opened on a message holding a forward, it lists every
//! node; Enter on a node holding a nested forward opens that one from its inline content, Esc
//! goes back one level. `/` searches the open level, the copy key copies a node's text.
//!
//! A forward's nodes come inline (`content`) when NapCat parsed them, else from
//! `get_forward_msg`. What cannot be had — an expired forward, an inner one (NapCat only
//! answers for the outermost), an empty answer for deep nesting — is said in the viewer.

use crossterm::event::KeyEvent;

use crate::onebot::{MessageEvent, Segment};

use super::super::action::Action;
use super::super::call::GetForward;
use super::super::chat::MessageItem;
use super::super::effect::Effect;
use super::super::state::{ForwardPreview, State};
use super::protocol::{Outcome, PopupState};
use super::state::{ForwardLevel, ForwardView};
use super::{Load, Popup};

/// Levels deeper than this are not opened (NapCat itself builds at most three).
pub const MAX_DEPTH: usize = 16;

/// What the viewer says for a forward the server answered with nothing.
pub const EMPTY: &str = "服务器返回了空的聊天记录 (嵌套太深的聊天记录 NapCat 给不出内容)";

/// The forward a message holds: its id and inline content. A `forward` segment, or the
/// `com.tencent.multimsg` card your own forwards come back as (its `resid`).
pub fn forward_in(m: &MessageItem) -> Option<(String, Option<Vec<MessageEvent>>)> {
    forward_in_chain(m.chain.segments())
}

fn forward_in_chain(segments: &[Segment]) -> Option<(String, Option<Vec<MessageEvent>>)> {
    segments.iter().find_map(|s| match s {
        Segment::Forward { id, content, .. } => Some((id.clone(), content.clone())),
        Segment::Json { data, .. } => {
            let v: serde_json::Value = serde_json::from_str(data).ok()?;
            if v.get("app")?.as_str()? != "com.tencent.multimsg" {
                return None;
            }
            let res = v.pointer("/meta/detail/resid")?.as_str()?;
            Some((res.to_string(), None))
        }
        _ => None,
    })
}

/// Opens the viewer on the selected message; false when it holds no forward.
pub fn open_selected(state: &mut State, fx: &mut Vec<Effect>) -> bool {
    let Some((peer, m)) = state.selected_message() else {
        return false;
    };
    let Some((id, content)) = forward_in(m) else {
        return false;
    };
    let label = if m.own {
        state.self_name.clone()
    } else {
        let n = state.contacts.name_in(peer, m.sender_id);
        if n == m.sender_id.to_string() && !m.sender_name.is_empty() {
            m.sender_name.clone()
        } else {
            n
        }
    };
    let level = level(state, id, content, label, fx);
    state.popup = Some(Popup::Forward(ForwardView {
        levels: vec![level],
        search: None,
        query: String::new(),
        note: None,
    }));
    true
}

/// A level for forward `id`: from its inline content when there is some, else asked for.
fn level(
    state: &State,
    id: String,
    content: Option<Vec<MessageEvent>>,
    label: String,
    fx: &mut Vec<Effect>,
) -> ForwardLevel {
    let nodes = match content {
        Some(list) if !list.is_empty() => Load::Ready(list),
        _ if id.trim().is_empty() => Load::Failed("这条聊天记录没有编号，无法获取".into()),
        _ => {
            // A preview on its way answers the viewer too.
            if state.forwards.get(&id) != Some(&ForwardPreview::Loading) {
                fx.push(Effect::call(GetForward { id: id.clone() }));
            }
            Load::Loading
        }
    };
    ForwardLevel {
        id,
        label,
        nodes,
        selected: 0,
    }
}

/// What `get_forward_msg` gave for forward `id` (the nodes, or NapCat's reason): every level
/// of the open viewer waiting for it is filled.
pub fn on_content(state: &mut State, id: &str, result: Result<Vec<MessageEvent>, String>) {
    let Some(Popup::Forward(v)) = state.popup.as_mut() else {
        return;
    };
    for l in v.levels.iter_mut() {
        if l.id != id || l.nodes != Load::Loading {
            continue;
        }
        l.nodes = match &result {
            Ok(list) if list.is_empty() => Load::Failed(EMPTY.into()),
            Ok(list) => Load::Ready(list.clone()),
            Err(why) if why.contains("内层") => Load::Failed(format!(
                "{why} (NapCat 只能取最外层的聊天记录，内层的要从外层的内容里打开)"
            )),
            Err(why) => Load::Failed(why.clone()),
        };
    }
}

impl ForwardView {
    /// The level shown.
    pub fn top(&self) -> Option<&ForwardLevel> {
        self.levels.last()
    }

    fn top_mut(&mut self) -> Option<&mut ForwardLevel> {
        self.levels.last_mut()
    }

    /// The node under the cursor.
    pub fn selected_node(&self) -> Option<&MessageEvent> {
        let l = self.top()?;
        l.nodes.ready()?.get(l.selected)
    }

    /// Enter: the nested forward the selected node holds, opened from its inline content.
    fn open_nested(&mut self, state: &State, fx: &mut Vec<Effect>) {
        let Some(node) = self.selected_node() else {
            return;
        };
        let Some((id, content)) = forward_in_chain(node.message.segments()) else {
            self.note = Some("这条消息里没有聊天记录".into());
            return;
        };
        if self.levels.len() >= MAX_DEPTH {
            self.note = Some(format!("聊天记录嵌套超过 {MAX_DEPTH} 层，不再展开"));
            return;
        }
        let label = match node.sender.display_name() {
            n if n.trim().is_empty() => node.user_id.to_string(),
            n => n,
        };
        let l = level(state, id, content, label, fx);
        self.levels.push(l);
        self.note = None;
    }

    /// Copies the selected node's text.
    fn copy(&mut self, fx: &mut Vec<Effect>) {
        let Some(node) = self.selected_node() else {
            return;
        };
        fx.push(Effect::Copy(node.message.plain_text()));
        self.note = Some("已复制".into());
    }

    /// Moves to the next node matching the query (by sender or text): from the selected one on
    /// when `from_here`, else after it; round the end to the start.
    fn find(&mut self, from_here: bool) {
        let q = self.query.trim().to_lowercase();
        let Some(level) = self.levels.last_mut() else {
            return;
        };
        let Some(nodes) = level.nodes.ready() else {
            return;
        };
        if q.is_empty() || nodes.is_empty() {
            self.note = None;
            return;
        }
        let n = nodes.len();
        let start = level.selected.min(n - 1) + usize::from(!from_here);
        let hit = (0..n).map(|i| (start + i) % n).find(|&i| {
            let m = &nodes[i];
            m.sender.display_name().to_lowercase().contains(&q)
                || m.message.plain_text().to_lowercase().contains(&q)
        });
        match hit {
            Some(i) => {
                level.selected = i;
                self.note = None;
            }
            None => self.note = Some(format!("没有找到「{}」", self.query.trim())),
        }
    }
}

impl PopupState for ForwardView {
    fn field(&mut self) -> Option<&mut String> {
        self.search.as_mut()
    }

    /// Typing a search: the nearest match from the selected node on.
    fn edited(&mut self) {
        self.query = self.search.clone().unwrap_or_default();
        self.find(true);
    }

    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        let l = self.top_mut()?;
        let len = l.nodes.count();
        Some((&mut l.selected, len))
    }

    fn key(
        &mut self,
        state: &mut State,
        _key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        match action {
            Some(Action::Activate) => self.open_nested(state, fx),
            // In a list of messages `y` (the popups' confirm) copies, as it does in the timeline.
            Some(Action::Confirm | Action::Copy) => self.copy(fx),
            Some(Action::Search) => {
                self.search = Some(String::new());
                self.note = None;
            }
            Some(Action::SearchNext) => self.find(false),
            _ => return Outcome::Pass,
        }
        Outcome::Stay
    }

    /// Enter in the search: the next match.
    fn submit(&mut self, _state: &mut State, _fx: &mut Vec<Effect>) -> Outcome {
        self.find(false);
        Outcome::Stay
    }

    /// Out of the search first, then back one level, then closed.
    fn deny(&mut self, _state: &mut State) -> Outcome {
        self.note = None;
        if self.search.take().is_some() {
            return Outcome::Stay;
        }
        if self.levels.len() > 1 {
            self.levels.pop();
            return Outcome::Stay;
        }
        Outcome::Close
    }
}
