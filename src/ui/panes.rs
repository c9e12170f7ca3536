//! The sidebar, the chat header, the member pane and the status line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use crate::app::Action;
use crate::app::action::Pane;
use crate::app::keymap::Context;
use crate::app::sidebar::{self, SidebarRow};
use crate::app::state::{SidebarTab, State, Tone};
use crate::onebot::{ConnState, Peer, Role};

use super::sanitize::sanitize_line;
use super::theme::Theme;
use super::wrap::{truncate, width};

/// Writes `text` truncated to `w` columns.
fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, w: u16, style: Style) -> u16 {
    let t = truncate(text, w as usize);
    let (nx, _) = buf.set_stringn(x, y, &t, w as usize, style);
    nx - x
}

/// What the sidebar reports: which selectable index each row shows, and the list height.
pub struct SidebarOut {
    pub rows: Vec<(u16, usize)>,
    pub list: Rect,
}

/// Draws the sidebar: tabs, filter, rows with unread badges.
pub fn sidebar(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) -> SidebarOut {
    let focused = state.focus == Pane::Sidebar;
    let mut out = SidebarOut {
        rows: Vec::new(),
        list: Rect::default(),
    };
    if area.width < 4 || area.height < 3 {
        return out;
    }
    // Tabs.
    let mut x = area.x;
    for tab in SidebarTab::ALL {
        let style = if tab == state.sidebar.tab {
            theme.sidebar_section.add_modifier(Modifier::REVERSED)
        } else {
            theme.sidebar
        };
        let label = format!(" {} ", tab.label());
        if x + width(&label) as u16 > area.x + area.width {
            break;
        }
        x += put(buf, x, area.y, &label, area.x + area.width - x, style);
    }
    // Filter line.
    let filter_y = area.y + 1;
    let (ftext, fstyle) = if state.sidebar.filter.is_empty() {
        (
            if focused { "输入以筛选…" } else { "" }.to_string(),
            theme.help_text.add_modifier(Modifier::DIM),
        )
    } else {
        (format!("🔍 {}", state.sidebar.filter), theme.composer)
    };
    put(buf, area.x, filter_y, &ftext, area.width, fstyle);
    let list = Rect::new(area.x, area.y + 2, area.width, area.height - 2);
    out.list = list;
    let rows = sidebar::rows(state);
    let selected = sidebar::selected_index(state, &sidebar::selectable(&rows));
    // Scroll so the selected row is visible.
    let sel_row = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r, SidebarRow::Chat(_)))
        .nth(selected)
        .map(|(i, _)| i)
        .unwrap_or(0);
    let h = list.height as usize;
    let start = if sel_row >= h { sel_row + 1 - h } else { 0 };
    let mut sel_idx = rows[..start.min(rows.len())]
        .iter()
        .filter(|r| matches!(r, SidebarRow::Chat(_)))
        .count();
    for (i, row) in rows.iter().enumerate().skip(start).take(h) {
        let y = list.y + (i - start) as u16;
        match row {
            SidebarRow::Header(t) => {
                put(
                    buf,
                    list.x,
                    y,
                    &sanitize_line(t),
                    list.width,
                    theme.sidebar_section,
                );
            }
            SidebarRow::Chat(c) => {
                let is_sel = sel_idx == selected && (focused || !state.sidebar.filter.is_empty());
                let is_open = state.open == Some(c.peer);
                let base = if is_sel {
                    theme.sidebar_selected
                } else if is_open {
                    theme.sidebar_current
                } else {
                    theme.sidebar
                };
                buf.set_style(Rect::new(list.x, y, list.width, 1), base);
                // 免打扰: the counts in the plain dim style, a bell struck through when none.
                let badge = if c.mentions > 0 {
                    let s = if c.muted {
                        theme.system
                    } else {
                        theme.mention_badge
                    };
                    Some((format!(" @{}", c.mentions), s))
                } else if c.unread > 0 {
                    let s = if c.muted {
                        theme.system
                    } else {
                        theme.unread_badge
                    };
                    Some((format!(" {}", c.unread.min(999)), s))
                } else if c.muted {
                    Some((" 🔕".to_string(), theme.system))
                } else {
                    None
                };
                let bw = badge.as_ref().map(|(b, _)| width(b) as u16).unwrap_or(0);
                let icon = if c.peer.is_group() { "#" } else { " " };
                let name = format!("{icon}{}", sanitize_line(&c.name));
                put(buf, list.x, y, &name, list.width.saturating_sub(bw), base);
                if let Some((b, s)) = badge {
                    let bx = list.x + list.width - bw;
                    buf.set_string(bx, y, &b, if is_sel { base } else { s });
                }
                out.rows.push((y, sel_idx));
                sel_idx += 1;
            }
        }
    }
    if rows.is_empty() {
        let msg = if state.sidebar.filter.is_empty() {
            "(空)"
        } else {
            "没有匹配"
        };
        put(
            buf,
            list.x + 1,
            list.y,
            msg,
            list.width.saturating_sub(1),
            theme.system,
        );
    }
    out
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner => "群主",
        Role::Admin => "管理员",
        Role::Member => "成员",
        Role::Unknown => "",
    }
}

/// The header of the message pane.
pub fn header(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    buf.set_style(area, theme.header);
    let Some(peer) = state.open else {
        put(
            buf,
            area.x + 1,
            area.y,
            "napterm",
            area.width.saturating_sub(1),
            theme.header,
        );
        return;
    };
    let name = sanitize_line(&state.contacts.chat_name(peer)).into_owned();
    let detail = match peer {
        Peer::Group(g) => {
            let mut d = Vec::new();
            if let Some(e) = state.contacts.groups.get(&g) {
                if e.member_count > 0 {
                    d.push(format!("{}人", e.member_count));
                }
                if e.all_shut {
                    d.push("全员禁言中".into());
                }
            }
            if let Some(m) = state.contacts.member(g, state.self_id) {
                let r = role_name(m.role);
                if !r.is_empty() && m.role != Role::Member {
                    d.push(format!("你是{r}"));
                }
                if m.is_muted(state.now) {
                    d.push("你被禁言中".into());
                }
            }
            d.push(g.to_string());
            d.join(" · ")
        }
        Peer::Private(u) => {
            let mut d = Vec::new();
            if let Some(f) = state.contacts.friends.get(&u)
                && !f.remark.is_empty()
                && f.remark != f.nickname
            {
                d.push(sanitize_line(&f.nickname).into_owned());
            }
            d.push(u.to_string());
            if let Some(g) = state.chats.get(&peer).and_then(|c| c.temp_group) {
                let group = state.contacts.chat_name(Peer::Group(g));
                d.push(format!("临时会话 · 来自 {}", sanitize_line(&group)));
            }
            if let Some((t, _)) = state.typing.get(&u) {
                d.push(sanitize_line(t).into_owned());
            }
            d.join(" · ")
        }
    };
    // A `/notify` other than the chat's default says so.
    let mode = state.notify_modes.get(peer);
    let detail = if mode == crate::app::notify::NotifyMode::default_for(peer) {
        detail
    } else {
        format!("{detail} · {}", mode.label())
    };
    let x = area.x + 1;
    let used = put(
        buf,
        x,
        area.y,
        &name,
        area.width.saturating_sub(2),
        theme.header,
    );
    let rest = area.width.saturating_sub(used + 3);
    if rest > 4 {
        put(
            buf,
            x + used + 2,
            area.y,
            &detail,
            rest,
            theme.header_detail,
        );
    }
}

/// What the member pane reports.
pub struct MembersOut {
    pub rows: Vec<(u16, usize)>,
    pub list: Rect,
}

/// The member pane of a group: owner, admins, members; cards, roles, titles, mutes.
pub fn members(
    state: &State,
    theme: &Theme,
    group: i64,
    area: Rect,
    buf: &mut Buffer,
) -> MembersOut {
    let mut out = MembersOut {
        rows: Vec::new(),
        list: Rect::default(),
    };
    if area.width < 4 || area.height < 2 {
        return out;
    }
    let focused = state.focus == Pane::Members;
    let ms = state.contacts.members.get(&group);
    let count = ms.map(|m| m.by_id.len()).unwrap_or(0);
    let title = format!("成员 {count}");
    put(
        buf,
        area.x,
        area.y,
        &title,
        area.width,
        theme.sidebar_section,
    );
    let list = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    out.list = list;
    let Some(ms) = ms else {
        put(buf, list.x, list.y, "加载中…", list.width, theme.system);
        return out;
    };
    if ms.by_id.is_empty() {
        let msg = match ms.state {
            crate::app::contacts::MembersState::Failed => {
                format!("加载失败 (按 {} 重试)", crate::app::retry::key(state))
            }
            _ => "加载中…".to_string(),
        };
        put(buf, list.x, list.y, &msg, list.width, theme.system);
        return out;
    }
    let ordered = ms.ordered();
    let sel = state.members.selected.min(ordered.len().saturating_sub(1));
    let h = list.height as usize;
    let start = if sel >= h { sel + 1 - h } else { 0 };
    for (i, m) in ordered.iter().enumerate().skip(start).take(h) {
        let y = list.y + (i - start) as u16;
        let is_sel = i == sel && focused;
        let base = if is_sel {
            theme.sidebar_selected
        } else {
            theme.sidebar
        };
        buf.set_style(Rect::new(list.x, y, list.width, 1), base);
        let mark = if state.members.marked.contains(&m.user_id) {
            "✓"
        } else {
            " "
        };
        let role = match m.role {
            Role::Owner => "★",
            Role::Admin => "☆",
            _ => " ",
        };
        let muted = if m.is_muted(state.now) { "🔇" } else { "" };
        let title = if m.title.is_empty() {
            String::new()
        } else {
            format!(" [{}]", sanitize_line(&m.title))
        };
        let name_style = if is_sel {
            base
        } else {
            theme.user_color(m.user_id)
        };
        let mut x = list.x;
        x += put(buf, x, y, mark, 1, theme.mention_badge);
        x += put(buf, x, y, role, 1, theme.sidebar_section);
        let avail = (list.x + list.width).saturating_sub(x);
        let name = format!("{}{title}", sanitize_line(&m.display_name()));
        let mw = width(muted) as u16;
        put(buf, x, y, &name, avail.saturating_sub(mw), name_style);
        if mw > 0 && avail > mw {
            buf.set_string(list.x + list.width - mw, y, muted, base);
        }
        out.rows.push((y, i));
    }
    out
}

/// Key hints for the focused pane, from the active keymap.
fn hints(state: &State) -> String {
    // An open popup has every key: the hints are its own.
    if let Some(p) = &state.popup {
        return super::popup::hints(state, p);
    }
    let (ctx, actions): (Context, &[(Action, &str)]) = match state.focus {
        Pane::Sidebar => (
            Context::Sidebar,
            &[
                (Action::Activate, "打开"),
                (Action::Tab(1), "切换"),
                (Action::Help, "帮助"),
            ],
        ),
        Pane::Timeline => (
            Context::Timeline,
            &[
                (Action::Reply, "回复"),
                (Action::Copy, "复制"),
                (Action::Recall, "撤回"),
                (Action::Compose, "输入"),
                (Action::Help, "帮助"),
            ],
        ),
        Pane::Composer => (
            Context::Composer,
            &[
                (Action::Send, "发送"),
                (Action::Newline, "换行"),
                (Action::FacePicker, "表情"),
                (Action::Cancel, "消息列表"),
            ],
        ),
        Pane::Members => (
            Context::Members,
            &[
                (Action::Profile, "资料"),
                (Action::Mention, "提及"),
                (Action::Mute, "禁言"),
                (Action::Help, "帮助"),
            ],
        ),
    };
    let mut items = state.keymap.hint_items(ctx, actions);
    if state.focus == Pane::Composer
        && !state.composer.is_empty()
        && let (Some(cancel), Some(line)) = (
            state.keymap.hint(Context::Composer, &Action::Cancel),
            state.keymap.hint(Context::Timeline, &Action::CommandLine),
        )
    {
        // A draft need not be emptied to run a command: the `:` line from the timeline leaves
        // it alone. Said instead of where Esc goes (the same key begins it).
        items.retain(|i| !i.starts_with(&format!("{cancel} ")));
        items.push(format!("{cancel} {line} 命令"));
    }
    // A message with an attachment: what `s` and `o` do with it.
    if state.focus == Pane::Timeline
        && let Some((_, m)) = state.selected_message()
        && let Some(seg) = crate::app::saving::attachment(m)
    {
        let mut extra = Vec::new();
        if matches!(seg, crate::onebot::Segment::Record(_))
            && let Some(k) = state.keymap.hint(Context::Timeline, &Action::OpenLink)
        {
            extra.push(format!("{k} 播放"));
        }
        if let Some(k) = state.keymap.hint(Context::Timeline, &Action::Save) {
            extra.push(format!("{k} 保存"));
        }
        items.splice(0..0, extra);
    }
    items.join("  ")
}

/// The connection state as text and style; offline with a local history open, it says what is
/// shown is the stored history.
pub fn conn_text(state: &State, theme: &Theme) -> (String, Style) {
    let (text, style) = conn_state_text(state, theme);
    if !state.online() && state.store.readable() {
        return (format!("离线 · 本地记录 · {text}"), style);
    }
    (text, style)
}

fn conn_state_text(state: &State, theme: &Theme) -> (String, Style) {
    match &state.conn {
        ConnState::Connecting { attempt } if *attempt <= 1 => {
            ("连接中…".into(), theme.conn_reconnecting)
        }
        ConnState::Connecting { attempt } => (
            format!("连接中… (第 {attempt} 次)"),
            theme.conn_reconnecting,
        ),
        ConnState::Connected { self_id, nickname } => {
            let nick = if nickname.is_empty() {
                &state.self_name
            } else {
                nickname
            };
            let id = if *self_id != 0 {
                *self_id
            } else {
                state.self_id
            };
            (
                format!("● {} ({id})", sanitize_line(nick)),
                theme.conn_connected,
            )
        }
        ConnState::Reconnecting { in_secs, reason } => (
            format!(
                "重连中 {}s · {}",
                state.reconnect_in().unwrap_or(*in_secs),
                sanitize_line(reason)
            ),
            theme.conn_reconnecting,
        ),
        ConnState::AuthFailed { message } => (
            format!("认证失败: {}", sanitize_line(message)),
            theme.conn_auth_failed,
        ),
        ConnState::Stopped => ("已断开".into(), theme.conn_auth_failed),
    }
}

/// The status line (or the `:` command line when open).
pub fn status(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    buf.set_style(area, theme.status);
    if let Some(line) = &state.command_line {
        let text = format!(":{line}");
        let w = put(buf, area.x, area.y, &text, area.width, theme.composer);
        // A failed command keeps its line open: its reason goes beside it.
        if let Some(e) = state.status.error() {
            let x = area.x + w + 2;
            if x < area.x + area.width {
                put(
                    buf,
                    x,
                    area.y,
                    &sanitize_line(e),
                    area.x + area.width - x,
                    theme.status_error,
                );
            }
        }
        return Some((area.x + w.min(area.width.saturating_sub(1)), area.y));
    }
    let (conn, cstyle) = conn_text(state, theme);
    let mut x = area.x;
    // When the user must act (auth failed, stopped), the connection state gets the room it needs.
    let urgent = matches!(
        state.conn,
        ConnState::AuthFailed { .. } | ConnState::Stopped
    );
    let limit = if urgent { area.width } else { area.width / 2 };
    let used = put(buf, x, area.y, &conn, limit, cstyle);
    x += used + 2;
    // Requests waiting for an answer (the inbox).
    let waiting = state.inbox.pending();
    if waiting > 0 && x < area.x + area.width {
        let badge = format!("✉ {waiting}");
        let w = put(
            buf,
            x,
            area.y,
            &badge,
            area.x + area.width - x,
            theme.unread_badge,
        );
        x += w + 2;
    }
    // Start-up loads that timed out or went down with a connection, until they are in.
    if let Some(missing) = state.loads.summary()
        && x < area.x + area.width
    {
        let w = put(
            buf,
            x,
            area.y,
            &missing,
            area.x + area.width - x,
            theme.status_error,
        );
        x += w + 2;
    }
    // Transfers in flight: name, percent, speed.
    if let Some(transfers) = crate::app::saving::summary(state)
        && x < area.x + area.width
    {
        let w = put(
            buf,
            x,
            area.y,
            &sanitize_line(&transfers),
            area.x + area.width - x,
            theme.status,
        );
        x += w + 2;
    }
    let right = hints(state);
    let (msg, mstyle) = if let Some((tone, text)) = state.status.message() {
        let style = match tone {
            Tone::Error => theme.status_error,
            Tone::Info => theme.status_info,
        };
        (text.to_string(), style)
    } else if state.bad_frames > 0 {
        (
            format!("{} 个无法解析的消息帧 (见日志)", state.bad_frames),
            theme.status,
        )
    } else {
        (String::new(), theme.status)
    };
    let avail = (area.x + area.width).saturating_sub(x);
    let msg_w = if msg.is_empty() {
        0
    } else {
        put(buf, x, area.y, &sanitize_line(&msg), avail, mstyle)
    };
    let rw = width(&right) as u16;
    let end = area.x + area.width;
    if x + msg_w + 2 + rw <= end {
        buf.set_string(end - rw, area.y, &right, theme.status);
    }
    None
}
