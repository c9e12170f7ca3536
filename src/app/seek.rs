//! Going to a message that may not be loaded yet — the first unread one, the next one that
//! mentions you, a quoted one — paging back through history until it is, and loading enough
//! history to fill a tall window.

use super::action::Action;
use super::chat::{Found, HistoryState, Page, Seek, Seeking};
use super::effect::Effect;
use super::keymap::Context;
use super::state::State;

/// Older pages one seek asks for before it stops and says how to go on (a quote from last
/// year should not page back through a busy group unasked).
pub const PAGES_PER_SEEK: u32 = 10;

/// The key for `action` from where the focus is, for a hint: " (Alt+U)".
fn key_hint(state: &State, action: &Action) -> String {
    state
        .keymap
        .key_label(Context::of_pane(state.focus), action, None)
        .map(|k| format!(" ({k})"))
        .unwrap_or_default()
}

/// Starts going to `target` in the open chat (a seek already under way is replaced).
pub fn start(state: &mut State, target: Seek, fx: &mut Vec<Effect>) {
    let Some(chat) = state.open_chat_mut() else {
        return;
    };
    chat.seeking = Some(Seeking { target, pages: 0 });
    step(state, fx);
}

/// Moves the seek of the open chat on: selects its message once loaded, else asks for the page
/// before the oldest loaded one, else says why it stops. Called when it starts and after each
/// page.
pub fn step(state: &mut State, fx: &mut Vec<Effect>) {
    let me = state.self_id;
    let count = state.settings.history_page;
    let Some(chat) = state.open_chat() else {
        return;
    };
    let Some(seeking) = chat.seeking else {
        return;
    };
    let found = chat.locate(seeking.target, me);
    let seeking_peer = chat.peer;
    let history = chat.history;
    let again = match seeking.target {
        Seek::FirstUnread => key_hint(state, &Action::JumpUnread),
        Seek::FirstMention => key_hint(state, &Action::NextUnread),
        Seek::Message(_) => " (Enter)".to_string(),
    };
    // The local store first (a stored page comes back here too); NapCat beyond it.
    let reading = state
        .chats
        .get(&seeking_peer)
        .is_some_and(|c| c.store_reading);
    if found == Found::NotLoaded && reading {
        return;
    }
    if found == Found::NotLoaded
        && history != HistoryState::Loading
        && seeking.pages < PAGES_PER_SEEK
        && super::local::read_older(state, seeking_peer, fx)
    {
        if let Some(chat) = state.open_chat_mut() {
            chat.seeking = Some(Seeking {
                pages: seeking.pages + 1,
                ..seeking
            });
        }
        state.info(match seeking.target {
            Seek::Message(_) => "正在往前加载，找引用的消息…",
            _ => "正在往前加载未读消息…",
        });
        return;
    }
    let Some(chat) = state.open_chat_mut() else {
        return;
    };
    let why = match found {
        Found::At(key) => {
            chat.seeking = None;
            chat.selected = Some(key);
            if matches!(seeking.target, Seek::FirstUnread | Seek::FirstMention)
                && let Some(u) = chat.unread_at_open.as_mut()
            {
                u.jumped = true;
            }
            if seeking.pages > 0 {
                // "正在往前加载…" is over.
                state.status.clear_info();
            }
            return;
        }
        Found::Nowhere => nowhere(seeking.target),
        // The page on its way brings the seek back here.
        Found::NotLoaded if history == HistoryState::Loading => return,
        Found::NotLoaded if history == HistoryState::NotLoaded => "未连接，连接后再试".to_string(),
        Found::NotLoaded if seeking.pages >= PAGES_PER_SEEK => format!(
            "往前加载了 {} 条消息还没有找到，再按一次{again}继续往前找",
            PAGES_PER_SEEK * count
        ),
        Found::NotLoaded => match chat.request_page(Page::Older, count) {
            Some(call) => {
                chat.seeking = Some(Seeking {
                    pages: seeking.pages + 1,
                    ..seeking
                });
                fx.push(Effect::Call(call));
                state.info(match seeking.target {
                    Seek::Message(_) => "正在往前加载，找引用的消息…",
                    _ => "正在往前加载未读消息…",
                });
                return;
            }
            None => nowhere(seeking.target),
        },
    };
    chat.seeking = None;
    state.info(why);
}

fn nowhere(target: Seek) -> String {
    match target {
        Seek::FirstUnread => "没有未读消息".to_string(),
        Seek::FirstMention => "没有 @你 的未读消息".to_string(),
        Seek::Message(_) => "引用的消息不在聊天记录里 (可能已被撤回或太久远)".to_string(),
    }
}

/// The jump key: to the first message that was unread when the chat was opened.
pub fn jump_to_first_unread(state: &mut State, fx: &mut Vec<Effect>) {
    let me = state.self_id;
    match state.open_chat() {
        None => state.info("先打开一个会话"),
        Some(c) if c.first_unread(me) == Found::Nowhere => state.info(nowhere(Seek::FirstUnread)),
        Some(_) => start(state, Seek::FirstUnread, fx),
    }
}

/// `Alt+A` inside a chat: the next message that mentions you, below the selection — or, with
/// nothing selected, the first unread one that does. Returns false when there is none here
/// (the key then goes on to the next chat that mentions you).
pub fn next_mention(state: &mut State, fx: &mut Vec<Effect>) -> bool {
    let me = state.self_id;
    let Some(chat) = state.open_chat_mut() else {
        return false;
    };
    match chat.selected {
        Some(sel) => match chat.mention_from(me, sel, false) {
            Found::At(k) => {
                chat.selected = Some(k);
                true
            }
            _ => false,
        },
        None => {
            let unread_mentions = chat
                .unread_at_open
                .is_some_and(|u| u.mentions > 0 && !u.jumped);
            if unread_mentions && chat.first_unread_mention(me) != Found::Nowhere {
                start(state, Seek::FirstMention, fx);
                true
            } else {
                false
            }
        }
    }
}

/// A history page of the open chat failed: the seek stops (the failure is shown).
pub fn on_failed(state: &mut State) {
    if let Some(chat) = state.open_chat_mut() {
        chat.seeking = None;
    }
}

/// The timeline was drawn with room above its oldest entry: one more older page, unless one
/// is on its way or the history has ended.
pub fn fill(state: &mut State, fx: &mut Vec<Effect>) {
    let count = state.settings.history_page;
    if !state.view.timeline_room || !state.online() {
        return;
    }
    let Some(chat) = state.open_chat_mut() else {
        return;
    };
    if chat.history == HistoryState::Idle
        && let Some(call) = chat.request_page(Page::Older, count)
    {
        fx.push(Effect::Call(call));
    }
}
