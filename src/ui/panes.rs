//! The sidebar, the chat header, the member pane and the status line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use crate::app::Action;
use crate::app::action::Pane;
use crate::app::keymap::Context;
use crate::app::sidebar::{self, ChatRow, SidebarRow};
use crate::app::state::{SidebarTab, State, Tone};
use crate::onebot::{ConnState, Peer, Role};

use super::held::HeldRects;
use super::kept::KeptRows;
use super::memo::Memo;
use super::paint;
use super::sanitize::sanitize_line;
use super::theme::Theme;
use super::wrap::{truncate, width};

/// Writes `text` truncated to `w` columns.
fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, w: u16, style: Style) -> u16 {
    let t = truncate(text, w as usize);
    let (nx, _) = paint::set_stringn(buf, x, y, &t, w as usize, style);
    nx - x
}

/// What the sidebar reports: which selectable index each row shows, and the list height.
pub struct SidebarOut {
    pub rows: Vec<(u16, usize)>,
    pub list: Rect,
    /// The list's rows below its last one, left blank.
    pub blank: Rect,
}

/// What a row of the sidebar's list shows, as kept with its cells.
#[derive(PartialEq)]
enum ListLook {
    Heading(String, Style),
    Chat(ChatLook),
}

/// What a chat row shows: the chat's row, its style, its badge's style, whether it is the
/// highlighted one (its badge then takes the row's style).
#[derive(PartialEq)]
struct ChatLook {
    row: ChatRow,
    base: Style,
    badge: Style,
    selected: bool,
}

/// The sidebar's rows as painted in earlier frames (a flood of messages into one chat leaves
/// them unchanged; painting them — cleaning, cutting, measuring each name — was most of a
/// frame's sidebar).
#[derive(Default)]
pub struct SidebarKept {
    tabs: KeptRows<(SidebarTab, Style, Style)>,
    filter: KeptRows<(bool, String, Style)>,
    list: KeptRows<ListLook>,
    /// The rows as last built (`sidebar::rows_kept`).
    rows: sidebar::RowsMemo,
}

impl SidebarKept {
    /// Its rows drawn this frame (see `kept::KeptRows::shown`).
    pub fn shown(&self, out: &mut Vec<(Rect, u64)>) {
        self.tabs.shown(out);
        self.filter.shown(out);
        self.list.shown(out);
    }
}

/// What the header shows: the open chat's name and details, and the two styles.
type HeaderLook = (Option<(String, String)>, Style, Style);

/// The one-row panes as painted in earlier frames: the header and the status line.
#[derive(Default)]
pub struct PanesKept {
    header: KeptRows<HeaderLook>,
    status: KeptRows<StatusLook>,
    hints: Memo<HintsFor, String>,
}

/// What the status line's key hints are made from outside a popup (see `hints`).
#[derive(Clone, Copy, PartialEq)]
struct HintsFor {
    keymap: u64,
    focus: Pane,
    draft: bool,
    /// The selected message's attachment, if any: whether it is a voice message.
    attachment: Option<bool>,
}

impl HintsFor {
    fn of(state: &State) -> Option<Self> {
        state.popup.is_none().then(|| HintsFor {
            keymap: state.keymap.generation(),
            focus: state.focus,
            draft: !state.composer.is_empty(),
            attachment: selected_attachment(state)
                .map(|seg| matches!(seg, crate::onebot::Segment::Record(_))),
        })
    }
}

/// The attachment of the message selected in the timeline (the hints say what `s` does).
fn selected_attachment(state: &State) -> Option<&crate::onebot::Segment> {
    if state.focus != Pane::Timeline {
        return None;
    }
    let (_, m) = state.selected_message()?;
    crate::app::saving::attachment(m)
}

impl PanesKept {
    /// Its rows drawn this frame (see `kept::KeptRows::shown`).
    pub fn shown(&self, out: &mut Vec<(Rect, u64)>) {
        self.header.shown(out);
        self.status.shown(out);
    }
}

/// Draws the sidebar: tabs, filter, rows with unread badges.
pub fn sidebar(
    state: &State,
    theme: &Theme,
    area: Rect,
    kept: &mut SidebarKept,
    (buf, held): (&mut Buffer, &mut HeldRects),
) -> SidebarOut {
    let focused = state.focus == Pane::Sidebar;
    let mut out = SidebarOut {
        rows: Vec::new(),
        list: Rect::default(),
        blank: Rect::default(),
    };
    if area.width < 4 || area.height < 3 {
        return out;
    }
    let tab = state.sidebar.tab;
    let tabs_key = (tab, theme.sidebar_section, theme.sidebar);
    kept.tabs.row(
        0,
        Rect::new(area.x, area.y, area.width, 1),
        (&mut *buf, &mut *held),
        |k| *k == tabs_key,
        |buf| {
            tabs(tab, theme, area, buf);
            tabs_key
        },
    );
    // Filter line.
    let filter_y = area.y + 1;
    let (ftext, fstyle) = if state.sidebar.filter.is_empty() {
        (
            if focused { "输入以筛选…" } else { "" },
            theme.help_text.add_modifier(Modifier::DIM),
        )
    } else {
        (state.sidebar.filter.as_str(), theme.composer)
    };
    let typed = !state.sidebar.filter.is_empty();
    kept.filter.row(
        0,
        Rect::new(area.x, filter_y, area.width, 1),
        (&mut *buf, &mut *held),
        |(ty, t, s)| *ty == typed && t == ftext && *s == fstyle,
        |buf| {
            if typed {
                let t = format!("🔍 {ftext}");
                put(buf, area.x, filter_y, &t, area.width, fstyle);
            } else {
                put(buf, area.x, filter_y, ftext, area.width, fstyle);
            }
            (typed, ftext.to_string(), fstyle)
        },
    );
    let list = Rect::new(area.x, area.y + 2, area.width, area.height - 2);
    out.list = list;
    let rows = sidebar::rows_kept(state, &mut kept.rows);
    let selected = sidebar::selected_row_index(state, &rows);
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
        let at = Rect::new(list.x, y, list.width, 1);
        match row {
            SidebarRow::Header(t) => {
                let style = theme.sidebar_section;
                kept.list.row(
                    i - start,
                    at,
                    (&mut *buf, &mut *held),
                    |k| matches!(k, ListLook::Heading(kt, ks) if kt == t && *ks == style),
                    |buf| {
                        put(buf, list.x, y, &sanitize_line(t), list.width, style);
                        ListLook::Heading(t.clone(), style)
                    },
                );
            }
            SidebarRow::Chat(c) => {
                let selected = sel_idx == selected && (focused || !state.sidebar.filter.is_empty());
                let is_open = state.open == Some(c.peer);
                let base = if selected {
                    theme.sidebar_selected
                } else if is_open {
                    theme.sidebar_current
                } else {
                    theme.sidebar
                };
                // 免打扰: the counts in the plain dim style, a bell struck through when none.
                let badge = if c.muted {
                    theme.system
                } else if c.mentions > 0 {
                    theme.mention_badge
                } else {
                    theme.unread_badge
                };
                let look = |k: &ListLook| {
                    matches!(k, ListLook::Chat(l)
                        if l.row == *c && l.base == base && l.badge == badge && l.selected == selected)
                };
                kept.list
                    .row(i - start, at, (&mut *buf, &mut *held), look, |buf| {
                        chat_row(buf, c, at, base, if selected { base } else { badge });
                        ListLook::Chat(ChatLook {
                            row: c.clone(),
                            base,
                            badge,
                            selected,
                        })
                    });
                out.rows.push((y, sel_idx));
                sel_idx += 1;
            }
        }
    }
    let shown = rows.len().saturating_sub(start).min(h) as u16;
    if shown > 0 {
        out.blank = Rect::new(list.x, list.y + shown, list.width, list.height - shown);
    }
    if rows.is_empty() {
        let msg = if state.sidebar.filter.is_empty() {
            "(空)"
        } else {
            "没有匹配"
        };
        held.clear_under(buf, list);
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

/// The sidebar's tabs, the current one reversed.
fn tabs(current: SidebarTab, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut x = area.x;
    for tab in SidebarTab::ALL {
        let style = if tab == current {
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
}

/// One chat's row at `at`: a `#` for a group, the name, the badge (mentions, unread count, or
/// the muted bell) in `badge` at the right end.
fn chat_row(buf: &mut Buffer, c: &ChatRow, at: Rect, base: Style, badge: Style) {
    buf.set_style(at, base);
    let text = if c.mentions > 0 {
        Some(format!(" @{}", c.mentions))
    } else if c.unread > 0 {
        Some(format!(" {}", c.unread.min(999)))
    } else if c.muted {
        Some(" 🔕".to_string())
    } else {
        None
    };
    let bw = text.as_ref().map(|b| width(b) as u16).unwrap_or(0);
    let icon = if c.peer.is_group() { "#" } else { " " };
    let name = format!("{icon}{}", sanitize_line(&c.name));
    put(buf, at.x, at.y, &name, at.width.saturating_sub(bw), base);
    if let Some(b) = text {
        let bx = at.x + at.width - bw;
        paint::set_string(buf, bx, at.y, &b, badge);
    }
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
pub fn header(
    state: &State,
    theme: &Theme,
    area: Rect,
    kept: &mut PanesKept,
    (buf, held): (&mut Buffer, &mut HeldRects),
) {
    let texts = state.open.map(|peer| header_texts(state, peer));
    let key = (texts, theme.header, theme.header_detail);
    kept.header
        .put(0, area, (buf, held), key, |(texts, ..), buf| {
            paint_header(texts.as_ref(), theme, area, buf);
        });
}

/// The open chat's name and what the header says about it.
fn header_texts(state: &State, peer: Peer) -> (String, String) {
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
    (name, detail)
}

fn paint_header(texts: Option<&(String, String)>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    buf.set_style(area, theme.header);
    let Some((name, detail)) = texts else {
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
    let x = area.x + 1;
    let used = put(
        buf,
        x,
        area.y,
        name,
        area.width.saturating_sub(2),
        theme.header,
    );
    let rest = area.width.saturating_sub(used + 3);
    if rest > 4 {
        put(buf, x + used + 2, area.y, detail, rest, theme.header_detail);
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
    let count = ms.map(|m| m.by_id().len()).unwrap_or(0);
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
    if ms.by_id().is_empty() {
        let msg = match ms.state {
            crate::app::contacts::MembersState::Failed => {
                format!("加载失败 (按 {} 重试)", crate::app::retry::key(state))
            }
            _ => "加载中…".to_string(),
        };
        put(buf, list.x, list.y, &msg, list.width, theme.system);
        return out;
    }
    // Only the rows shown are looked up: the order is sorted once per change of the list.
    let order = ms.order();
    let sel = state.members.selected.min(order.len().saturating_sub(1));
    let h = list.height as usize;
    let start = if sel >= h { sel + 1 - h } else { 0 };
    let shown = (start..order.len()).take(h);
    for (i, m) in shown.filter_map(|i| Some((i, ms.nth(i)?))) {
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
        items.push(format!("{cancel} 再按 {line} 命令"));
    }
    // A message with an attachment: what `s` and `o` do with it.
    if let Some(seg) = selected_attachment(state) {
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
    // Waiting messages may be in chats not open: the count says they are there (before the
    // reason, which a narrow line cuts off).
    let waiting = match state.outbox.len() {
        0 => String::new(),
        n => format!("{n} 条待发送 · "),
    };
    if !state.online() && state.store.readable() {
        return (format!("离线 · 本地记录 · {waiting}{text}"), style);
    }
    (format!("{waiting}{text}"), style)
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

/// What the status line shows besides the `:` line: each part with its style.
#[derive(PartialEq)]
struct StatusLook {
    conn: (String, Style),
    urgent: bool,
    waiting: usize,
    missing: Option<String>,
    transfers: Option<String>,
    message: (String, Style),
    hints: String,
    styles: [Style; 3],
}

/// The status line (or the `:` command line when open).
pub fn status(
    state: &State,
    theme: &Theme,
    area: Rect,
    kept: &mut PanesKept,
    (buf, held): (&mut Buffer, &mut HeldRects),
) -> Option<(u16, u16)> {
    if let Some(line) = &state.command_line {
        held.clear_under(buf, area);
        buf.set_style(area, theme.status);
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
    let message = if let Some((tone, text)) = state.status.message() {
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
    let look = StatusLook {
        conn: conn_text(state, theme),
        // When the user must act (auth failed, stopped), the connection state gets the room
        // it needs.
        urgent: matches!(
            state.conn,
            ConnState::AuthFailed { .. } | ConnState::Stopped
        ),
        // Requests waiting for an answer (the inbox).
        waiting: state.inbox.pending(),
        // Start-up loads that timed out or went down with a connection, until they are in.
        missing: state.loads.summary(),
        // Transfers in flight: name, percent, speed.
        transfers: crate::app::saving::summary(state),
        message,
        // Built from the keymap: kept while nothing it is made from changes.
        hints: match HintsFor::of(state) {
            Some(of) => kept.hints.get(of, || hints(state)).clone(),
            None => hints(state),
        },
        styles: [theme.status, theme.unread_badge, theme.status_error],
    };
    kept.status.put(0, area, (buf, held), look, |look, buf| {
        paint_status(look, area, buf);
    });
    None
}

fn paint_status(look: &StatusLook, area: Rect, buf: &mut Buffer) {
    let [status, unread_badge, status_error] = look.styles;
    buf.set_style(area, status);
    let (conn, cstyle) = &look.conn;
    let mut x = area.x;
    let limit = if look.urgent {
        area.width
    } else {
        area.width / 2
    };
    let used = put(buf, x, area.y, conn, limit, *cstyle);
    x += used + 2;
    let waiting = look.waiting;
    if waiting > 0 && x < area.x + area.width {
        let badge = format!("✉ {waiting}");
        let w = put(
            buf,
            x,
            area.y,
            &badge,
            area.x + area.width - x,
            unread_badge,
        );
        x += w + 2;
    }
    if let Some(missing) = &look.missing
        && x < area.x + area.width
    {
        let w = put(
            buf,
            x,
            area.y,
            missing,
            area.x + area.width - x,
            status_error,
        );
        x += w + 2;
    }
    if let Some(transfers) = &look.transfers
        && x < area.x + area.width
    {
        let w = put(
            buf,
            x,
            area.y,
            &sanitize_line(transfers),
            area.x + area.width - x,
            status,
        );
        x += w + 2;
    }
    let right = &look.hints;
    let (msg, mstyle) = &look.message;
    let avail = (area.x + area.width).saturating_sub(x);
    let msg_w = if msg.is_empty() {
        0
    } else {
        put(buf, x, area.y, &sanitize_line(msg), avail, *mstyle)
    };
    let rw = width(right) as u16;
    let end = area.x + area.width;
    if x + msg_w + 2 + rw <= end {
        paint::set_string(buf, end - rw, area.y, right, status);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    use crate::app::action::Pane;
    use crate::app::composer::ReplyTarget;
    use crate::app::contacts::GroupEntry;
    use crate::app::keymap::Keymap;
    use crate::app::state::{Settings, SidebarTab, State};
    use crate::onebot::{ConnState, Peer};
    use crate::ui::theme::{ColorMode, Theme, ThemeName};
    use crate::ui::{Ui, buffer_lines, draw};

    fn group(s: &mut State, g: i64, name: &str, members: i64) {
        s.contacts.groups.insert(
            g,
            GroupEntry {
                group_id: g,
                name: name.into(),
                remark: String::new(),
                member_count: members,
                max_member_count: 500,
                all_shut: false,
            },
        );
        s.contacts.touch();
        let c = s.chat_mut(Peer::Group(g));
        c.set_last_activity(1_795_000_000 + g);
    }

    fn state() -> State {
        let mut s = State::new(Settings::default(), Keymap::default_map());
        s.self_id = 10001;
        s.now = 1_795_100_000;
        s.conn = ConnState::Connected {
            self_id: 10001,
            nickname: "夜航船".into(),
        };
        group(&mut s, 1, "Rust 中文社区", 1200);
        group(&mut s, 2, "周末爬山", 35);
        group(&mut s, 3, "ratatui users", 80);
        s.chat_mut(Peer::Group(2)).unread = 7;
        s.chat_mut(Peer::Private(20002))
            .set_last_activity(1_795_000_010);
        s.open = Some(Peer::Group(1));
        s.focus = Pane::Sidebar;
        s
    }

    /// The frame as `ui` (with what it kept from the frames before) draws it, and as a UI
    /// that kept nothing draws it: they must be the same, cell by cell, symbols included.
    fn frame(s: &State, ui: &mut Ui, w: u16, h: u16) -> Buffer {
        let area = Rect::new(0, 0, w, h);
        let mut kept = Buffer::empty(area);
        draw(s, ui, &mut kept);
        let mut fresh = Buffer::empty(area);
        draw(s, &mut Ui::new(ui.theme.clone()), &mut fresh);
        assert_eq!(buffer_lines(&kept), buffer_lines(&fresh));
        for (a, b) in kept.content.iter().zip(&fresh.content) {
            assert_eq!((a.symbol(), a), (b.symbol(), b));
        }
        kept
    }

    #[test]
    fn what_the_panes_show_changes_on_the_next_frame_with_rows_kept() {
        let mut s = state();
        let mut ui = Ui::new(Theme::default());
        let (w, h) = (120, 30);
        let mut last = frame(&s, &mut ui, w, h);
        // The same state twice: the kept rows are the frame.
        assert_eq!(frame(&s, &mut ui, w, h), last);
        type Change = Box<dyn Fn(&mut State)>;
        let changes: Vec<(&str, Change)> = vec![
            (
                "a group renamed",
                Box::new(|s| group(s, 3, "ratatui 用户群", 80)),
            ),
            (
                "unread count",
                Box::new(|s| s.chat_mut(Peer::Group(2)).unread = 8),
            ),
            (
                "a mention",
                Box::new(|s| s.chat_mut(Peer::Group(3)).mentions = 1),
            ),
            (
                "muted",
                Box::new(|s| {
                    s.muted.insert(Peer::Group(2));
                }),
            ),
            (
                "muted without unread",
                Box::new(|s| s.chat_mut(Peer::Group(2)).unread = 0),
            ),
            (
                "selection",
                Box::new(|s| s.sidebar.selected_peer = Some(Peer::Group(2))),
            ),
            ("focus", Box::new(|s| s.focus = Pane::Timeline)),
            ("focus back", Box::new(|s| s.focus = Pane::Sidebar)),
            (
                "another chat open",
                Box::new(|s| s.open = Some(Peer::Group(3))),
            ),
            ("pinned", Box::new(|s| s.pinned.push(Peer::Group(1)))),
            ("a filter", Box::new(|s| s.sidebar.filter = "爬".into())),
            ("no filter", Box::new(|s| s.sidebar.filter.clear())),
            ("a tab", Box::new(|s| s.sidebar.tab = SidebarTab::Groups)),
            (
                "member count",
                Box::new(|s| group(s, 3, "ratatui 用户群", 81)),
            ),
            (
                "whole group muted",
                Box::new(|s| {
                    if let Some(g) = s.contacts.groups.get_mut(&3) {
                        g.all_shut = true;
                    }
                }),
            ),
            ("bad frames", Box::new(|s| s.bad_frames = 2)),
            ("a status message", Box::new(|s| s.info("已复制"))),
            ("disconnected", Box::new(|s| s.conn = ConnState::Stopped)),
            (
                "a reply",
                Box::new(|s| {
                    s.composer.reply = Some(ReplyTarget {
                        message_id: 1,
                        author: "小明".into(),
                        excerpt: "周末爬山？".into(),
                    });
                }),
            ),
            (
                "the composer focused",
                Box::new(|s| s.focus = Pane::Composer),
            ),
            ("no reply", Box::new(|s| s.composer.reply = None)),
            // The status line's key hints, kept per focus, draft and keymap.
            ("a draft", Box::new(|s| s.composer.insert_text("你好"))),
            ("the draft gone", Box::new(|s| s.composer.clear())),
            (
                "another keymap",
                Box::new(|s| {
                    let mut map = Keymap::default_map();
                    let text = "[[composer]]\non = \"ctrl+s\"\nrun = \"send\"\n[[composer]]\non = \"enter\"\nrun = \"noop\"\n";
                    map.merge(text, std::path::Path::new("keymap.toml"), &|_| true)
                        .expect("a valid keymap");
                    s.keymap = map;
                }),
            ),
            ("nothing open", Box::new(|s| s.open = None)),
        ];
        for (what, change) in changes {
            change(&mut s);
            let now = frame(&s, &mut ui, w, h);
            assert_ne!(now, last, "{what} shows");
            last = now;
        }
        // Another width, another height, another theme.
        let narrow = frame(&s, &mut ui, 100, h);
        let short = frame(&s, &mut ui, 100, 12);
        assert_ne!(narrow, short);
        ui.theme = Theme::shipped(ThemeName::Light, ColorMode::Palette16);
        let light = frame(&s, &mut ui, 100, 12);
        assert_ne!(light, short);
    }
}
