//! What keys do in the administration popups.
//!
//! Lists use the `popup` section of the keymap; the profile popup also answers the member pane's
//! own keys (mute, kick, card, …) so the same key does the same thing in both places.

use super::super::call::{DeleteNotice, Leave, Poke, SetEssence};
use crossterm::event::{KeyCode, KeyEvent};

use super::super::action::Action;
use super::super::effect::Effect;
use super::super::input::printable;
use super::super::keymap::{Context, Key, Lookup};
use super::super::requests;
use super::super::state::{Popup, State};
use super::popup::{AdminPopup, Load};
use super::{duration, members, messages};

/// The text field a popup is typing into, if any.
fn field(p: &mut AdminPopup) -> Option<&mut String> {
    match p {
        AdminPopup::Mute(m) => m.custom.as_mut(),
        AdminPopup::Inbox(v) => v.input.as_mut().map(|i| &mut i.text),
        AdminPopup::Leave(l) => Some(&mut l.typed),
        _ => None,
    }
}

fn admin_popup(state: &mut State) -> Option<&mut AdminPopup> {
    match state.popup.as_mut() {
        Some(Popup::Admin(p)) => Some(p),
        _ => None,
    }
}

/// A paste into the popup's text field (true when there was one).
pub fn paste(state: &mut State, text: &str) -> bool {
    match admin_popup(state).and_then(field) {
        Some(f) => {
            f.push_str(&text.replace(['\n', '\r'], " "));
            true
        }
        None => false,
    }
}

/// Handles a key while an administration popup is open.
pub fn key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    if typing(state, &key, fx) {
        return;
    }
    let k = Key::from_event(&key);
    // Digits pick a mute preset directly.
    if let Some(AdminPopup::Mute(p)) = admin_popup(state)
        && let Some(d) = printable(&key).and_then(|c| c.to_digit(10))
    {
        let i = d as usize;
        if (1..=duration::PRESETS.len() + 1).contains(&i) {
            p.selected = i - 1;
            choose_mute(state, fx);
        }
        return;
    }
    // The profile popup answers the member pane's keys.
    if let Some(Popup::Admin(AdminPopup::Profile(p))) = &state.popup {
        let (g, u) = (p.group, p.user);
        if let Lookup::Action(a) = state.keymap.lookup(Context::Members, &[k])
            && matches!(
                a,
                Action::Mute
                    | Action::Unmute
                    | Action::Kick
                    | Action::Poke
                    | Action::Mention
                    | Action::Run(_)
            )
        {
            profile_action(state, g, u, a, fx);
            return;
        }
    }
    let action = match state.keymap.lookup(Context::Popup, &[k]) {
        Lookup::Action(a) => a,
        _ => match state.keymap.lookup(Context::Global, &[k]) {
            Lookup::Action(
                a @ (Action::Quit | Action::Help | Action::Redraw | Action::Suspend),
            ) => a,
            _ => return,
        },
    };
    match action {
        Action::Quit => state.quit = true,
        Action::Redraw => fx.push(Effect::Redraw),
        Action::Suspend => fx.push(Effect::Suspend),
        Action::Move(n) => move_by(state, n),
        Action::Page(n) => move_by(state, n * 8),
        Action::Top => move_by(state, -(i32::MAX / 2)),
        Action::Bottom => move_by(state, i32::MAX / 2),
        Action::Deny => deny(state),
        Action::Activate | Action::Confirm => activate(state, fx),
        Action::Accept => {
            if let Err(e) = requests::accept_selected(state, fx) {
                state.error(e);
            }
        }
        Action::Reject => {
            if let Err(e) = requests::reject_selected(state, fx) {
                state.error(e);
            }
        }
        Action::Delete => delete(state, fx),
        Action::Unmute => unmute_listed(state, fx),
        _ => {}
    }
}

/// Keys for a text field: characters, Backspace, Enter submits, Esc stops typing.
fn typing(state: &mut State, key: &KeyEvent, fx: &mut Vec<Effect>) -> bool {
    let Some(p) = admin_popup(state) else {
        return false;
    };
    let Some(f) = field(p) else {
        return false;
    };
    if let Some(c) = printable(key) {
        f.push(c);
        return true;
    }
    match key.code {
        KeyCode::Backspace => {
            f.pop();
            true
        }
        KeyCode::Enter => {
            submit(state, fx);
            true
        }
        KeyCode::Esc => {
            match admin_popup(state) {
                Some(AdminPopup::Mute(m)) => {
                    m.custom = None;
                    m.error = None;
                }
                Some(AdminPopup::Inbox(v)) => v.input = None,
                _ => deny(state),
            }
            true
        }
        _ => false,
    }
}

/// Enter in a text field.
fn submit(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(Popup::Admin(p)) = state.popup.take() else {
        return;
    };
    match p {
        AdminPopup::Mute(mut m) => {
            let text = m.custom.clone().unwrap_or_default();
            match duration::parse(&text) {
                Ok(secs) => {
                    if let Err(e) = members::mute(state, m.group, &m.targets, secs, fx) {
                        state.error(e);
                    }
                }
                Err(e) => {
                    m.error = Some(e);
                    state.popup = Some(Popup::Admin(AdminPopup::Mute(m)));
                }
            }
        }
        AdminPopup::Inbox(mut v) => {
            let input = v.input.take();
            state.popup = Some(Popup::Admin(AdminPopup::Inbox(v)));
            if let Some(i) = input {
                let text = i.text.trim();
                let text = (!text.is_empty()).then(|| text.to_string());
                if let Err(e) = requests::answer(state, &i.flag, i.approve, text, fx) {
                    state.error(e);
                }
            }
        }
        AdminPopup::Leave(mut l) => {
            let typed = l.typed.trim();
            let matches = typed == l.group.to_string() || (!l.name.is_empty() && typed == l.name);
            if matches {
                fx.push(Effect::call(Leave {
                    group: l.group,
                    dismiss: l.dismiss,
                }));
                state.info(if l.dismiss {
                    "正在解散群聊…"
                } else {
                    "正在退出群聊…"
                });
            } else {
                l.error = Some("输入的不是群名或群号".into());
                state.popup = Some(Popup::Admin(AdminPopup::Leave(l)));
            }
        }
        other => state.popup = Some(Popup::Admin(other)),
    }
}

fn deny(state: &mut State) {
    match state.popup.as_mut() {
        Some(Popup::Admin(AdminPopup::Notices(_, pending @ Some(_)))) => {
            *pending = None;
            state.info("已取消");
        }
        Some(Popup::Admin(AdminPopup::Mute(_) | AdminPopup::Leave(_))) => {
            state.popup = None;
            state.info("已取消");
        }
        _ => state.popup = None,
    }
}

fn step(cur: usize, n: i32, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (cur as i64 + n as i64).clamp(0, len as i64 - 1) as usize
}

fn len_of<T>(l: &Load<Vec<T>>) -> usize {
    l.ready().map_or(0, Vec::len)
}

fn move_by(state: &mut State, n: i32) {
    let inbox_len = state.inbox.items.len();
    let Some(p) = admin_popup(state) else {
        return;
    };
    match p {
        AdminPopup::Mute(m) if m.custom.is_none() => {
            m.selected = step(m.selected, n, duration::PRESETS.len() + 1);
        }
        AdminPopup::Essences(l) => l.selected = step(l.selected, n, len_of(&l.items)),
        AdminPopup::Notices(l, None) => l.selected = step(l.selected, n, len_of(&l.items)),
        AdminPopup::Mutes(l) => l.selected = step(l.selected, n, len_of(&l.items)),
        AdminPopup::Sheet(s) => {
            let rows = len_of(&s.rows);
            s.scroll = step(s.scroll as usize, n, rows) as u16;
        }
        AdminPopup::Inbox(v) if v.input.is_none() => v.selected = step(v.selected, n, inbox_len),
        _ => {}
    }
}

/// Enter / y: choose the preset, jump to the essence message, confirm a pending delete.
fn activate(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(p) = admin_popup(state) else {
        return;
    };
    match p {
        AdminPopup::Mute(_) => choose_mute(state, fx),
        AdminPopup::Essences(l) => {
            let (g, id) = match l.items.ready().and_then(|v| v.get(l.selected)) {
                Some(e) => (l.group, e.message_id),
                None => return,
            };
            match messages::jump_to(state, g, id) {
                Ok(()) => state.popup = None,
                Err(e) => state.error(e),
            }
        }
        AdminPopup::Notices(l, pending @ Some(_)) => {
            let i = pending.take().unwrap_or(0);
            if let Some(n) = l.items.ready().and_then(|v| v.get(i)) {
                fx.push(Effect::call(DeleteNotice {
                    group: l.group,
                    notice_id: n.notice_id.clone(),
                }));
            }
        }
        AdminPopup::Inbox(_) => {
            let keys = state.keymap.hint_items(
                Context::Popup,
                &[(Action::Accept, "同意"), (Action::Reject, "拒绝")],
            );
            state.info(keys.join(" · "));
        }
        _ => {}
    }
}

/// Takes the picker's choice: a preset mutes (or asks first), "自定义…" starts typing.
fn choose_mute(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(AdminPopup::Mute(m)) = admin_popup(state) else {
        return;
    };
    match duration::PRESETS.get(m.selected) {
        Some(&(_, secs)) => {
            let (g, targets) = (m.group, m.targets.clone());
            state.popup = None;
            if let Err(e) = members::mute(state, g, &targets, secs, fx) {
                state.error(e);
            }
        }
        None => {
            m.custom = Some(String::new());
            m.error = None;
        }
    }
}

/// `d` in a list: delete the notice (after a confirmation) or remove the essence.
fn delete(state: &mut State, fx: &mut Vec<Effect>) {
    enum Todo {
        Notice {
            group: i64,
            author: i64,
            index: usize,
        },
        Essence {
            group: i64,
            id: i64,
        },
    }
    let todo = match &state.popup {
        Some(Popup::Admin(AdminPopup::Notices(l, None))) => l
            .items
            .ready()
            .and_then(|v| v.get(l.selected))
            .map(|n| Todo::Notice {
                group: l.group,
                author: n.sender_id,
                index: l.selected,
            }),
        Some(Popup::Admin(AdminPopup::Essences(l))) => l
            .items
            .ready()
            .and_then(|v| v.get(l.selected))
            .map(|e| Todo::Essence {
                group: l.group,
                id: e.message_id,
            }),
        _ => None,
    };
    match todo {
        Some(Todo::Notice {
            group,
            author,
            index,
        }) => {
            if author != state.self_id {
                let allowed = super::roles::my_role(state, group, fx)
                    .and_then(|me| super::roles::require_admin(me, "删除别人的公告"));
                if let Err(e) = allowed {
                    state.error(e);
                    return;
                }
            }
            if let Some(Popup::Admin(AdminPopup::Notices(_, pending))) = state.popup.as_mut() {
                *pending = Some(index);
            }
        }
        Some(Todo::Essence { group, id }) => {
            let allowed = super::roles::my_role(state, group, fx)
                .and_then(|me| super::roles::require_admin(me, "取消精华消息"));
            match allowed {
                Ok(()) => fx.push(Effect::call(SetEssence {
                    group,
                    id,
                    on: false,
                })),
                Err(e) => state.error(e),
            }
        }
        None => {}
    }
}

/// `u` in the mute list: lifts the selected member's mute.
fn unmute_listed(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(Popup::Admin(AdminPopup::Mutes(l))) = &state.popup else {
        return;
    };
    let Some(e) = l.items.ready().and_then(|v| v.get(l.selected)) else {
        return;
    };
    let (g, u) = (l.group, e.uin);
    if let Err(e) = members::unmute(state, g, &[u], fx) {
        state.error(e);
    }
}

/// A member-pane key pressed in the profile popup: the same action on the profile's member.
fn profile_action(state: &mut State, g: i64, u: i64, action: Action, fx: &mut Vec<Effect>) {
    let result = match action {
        Action::Mute => members::open_mute_picker(state, g, vec![u], fx),
        Action::Unmute => members::unmute(state, g, &[u], fx),
        Action::Kick => members::kick(state, g, &[u], false, fx),
        Action::Poke => {
            fx.push(Effect::call(Poke {
                group: Some(g),
                user: u,
            }));
            Ok(())
        }
        Action::Mention => {
            state.popup = None;
            members::mention(state, g, u);
            Ok(())
        }
        Action::Run(line) => {
            let line = line.trim().trim_start_matches('/').to_string();
            super::super::commands::run(state, &line, fx)
        }
        _ => Ok(()),
    };
    if let Err(e) = result {
        state.error(e);
    }
}
