//! The administration popups: mute presets, the member profile, the essence / notice / mute
//! lists, information sheets, the requests inbox and the typed leave confirmation.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Span;

use super::popups::{centered, frame};
use crate::app::Action;
use crate::app::admin::duration::PRESETS;
use crate::app::admin::popup::{
    AdminPopup, EssenceList, LeaveConfirm, Load, MuteList, MutePicker, NoticeList, ProfileCard,
    Sheet, SheetKind,
};
use crate::app::inbox::{InboxView, RequestWhat};
use crate::app::keymap::Context;
use crate::app::state::{Confirm, State};
use crate::app::text::{duration_text, excerpt};
use crate::onebot::types::Sex;
use crate::onebot::{Peer, Role};

use super::sanitize::sanitize_line;
use super::theme::Theme;
use super::wrap::{WrapOpts, truncate, width, wrap_spans};

/// Draws an administration popup; returns where the caret goes when it has a text field.
pub fn draw(
    state: &State,
    theme: &Theme,
    popup: &AdminPopup,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    match popup {
        AdminPopup::Mute(p) => mute(state, theme, p, area, buf),
        AdminPopup::Profile(p) => {
            profile(state, theme, p, area, buf);
            None
        }
        AdminPopup::Essences(l) => {
            essences(state, theme, l, area, buf);
            None
        }
        AdminPopup::Notices(l, pending) => {
            notices(state, theme, l, *pending, area, buf);
            None
        }
        AdminPopup::Mutes(l) => {
            mutes(state, theme, l, area, buf);
            None
        }
        AdminPopup::Sheet(s) => {
            sheet(state, theme, s, area, buf);
            None
        }
        AdminPopup::Inbox(v) => inbox(state, theme, v, area, buf),
        AdminPopup::Leave(l) => leave(state, theme, l, area, buf),
    }
}

// ----- shared pieces -----

/// Whether (x, y) is on the screen (small terminals clip popups; writes outside would panic).
fn inside(buf: &Buffer, x: u16, y: u16) -> bool {
    x < buf.area.right() && y < buf.area.bottom() && x >= buf.area.x && y >= buf.area.y
}

/// Writes `text` truncated to `w` columns; returns the columns used.
fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, w: u16, style: Style) -> u16 {
    if w == 0 || !inside(buf, x, y) {
        return 0;
    }
    let t = truncate(text, w as usize);
    let (nx, _) = buf.set_stringn(x, y, &t, w as usize, style);
    nx - x
}

/// A popup's width on this screen: `want`, but never wider than the screen allows.
fn popup_width(area: Rect, want: u16) -> u16 {
    want.min(area.width.saturating_sub(4))
        .max(20.min(area.width))
}

/// The first row to show so that `selected` (taking `per` rows each) stays visible.
fn first_visible(selected: usize, rows: usize, per: usize) -> usize {
    let fit = (rows / per.max(1)).max(1);
    if selected >= fit {
        selected + 1 - fit
    } else {
        0
    }
}

/// A time as lists show it: `HH:MM` today, `MM-DD HH:MM` this year, else `YYYY-MM-DD`.
fn when(ts: i64, now: i64) -> String {
    use chrono::{Datelike, Local, TimeZone};
    let (Some(t), Some(n)) = (
        Local.timestamp_opt(ts, 0).single(),
        Local.timestamp_opt(now, 0).single(),
    ) else {
        return "-".into();
    };
    if t.date_naive() == n.date_naive() {
        t.format("%H:%M").to_string()
    } else if t.year() == n.year() {
        t.format("%m-%d %H:%M").to_string()
    } else {
        t.format("%Y-%m-%d").to_string()
    }
}

/// How long ago: `刚刚`, `5 分钟前`, `3 小时前`, `2 天前`.
fn ago(ts: i64, now: i64) -> String {
    let d = now - ts;
    if d < 60 {
        "刚刚".into()
    } else if d < 3600 {
        format!("{} 分钟前", d / 60)
    } else if d < 86_400 {
        format!("{} 小时前", d / 3600)
    } else {
        format!("{} 天前", d / 86_400)
    }
}

/// A popup's key hints: `items`, then the key that closes it (the popups' `deny`, Esc by default)
/// with `close` as its label.
fn closing(state: &State, mut items: Vec<String>, close: &str) -> Vec<String> {
    let key = state
        .keymap
        .key_label(Context::Popup, &Action::Deny, Some("esc"));
    items.extend(key.map(|k| format!("{k} {close}")));
    items
}

/// Lays `items` out in lines of at most `w` columns, joined by ` · `, never splitting an item.
fn pack(items: &[String], w: u16) -> Vec<String> {
    let w = w as usize;
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for it in items {
        if !cur.is_empty() && width(&cur) + 3 + width(it) > w {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push_str(" · ");
        }
        cur.push_str(it);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A date: `YYYY-MM-DD`.
fn date(ts: i64) -> String {
    use chrono::{Local, TimeZone};
    Local
        .timestamp_opt(ts, 0)
        .single()
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".into())
}

/// Writes the hint line on the last row of `inner`.
fn footer(theme: &Theme, inner: Rect, text: &str, buf: &mut Buffer) {
    if inner.height == 0 {
        return;
    }
    let y = inner.y + inner.height - 1;
    put(
        buf,
        inner.x + 1,
        y,
        text,
        inner.width.saturating_sub(1),
        theme.help_text,
    );
}

/// A text field line `label` + typed text; returns the caret position.
fn field_line(
    theme: &Theme,
    x: u16,
    y: u16,
    w: u16,
    label: &str,
    text: &str,
    buf: &mut Buffer,
) -> Position {
    let used = put(buf, x, y, label, w, theme.help_key);
    let shown = sanitize_line(text);
    let room = w.saturating_sub(used + 1) as usize;
    // Keep the end of a long entry visible.
    let tail: String = {
        let mut cols = 0;
        let mut out: Vec<char> = Vec::new();
        for c in shown.chars().rev() {
            let cw = width(c.encode_utf8(&mut [0; 4]));
            if cols + cw > room {
                break;
            }
            cols += cw;
            out.push(c);
        }
        out.into_iter().rev().collect()
    };
    let tw = put(
        buf,
        x + used,
        y,
        &tail,
        w.saturating_sub(used),
        theme.composer,
    );
    let a = buf.area;
    Position::new(
        (x + used + tw)
            .min(x + w.saturating_sub(1))
            .min(a.right().saturating_sub(1)),
        y.min(a.bottom().saturating_sub(1)),
    )
}

/// A label / value row in `at` (its height: the most rows it may take); the value wraps under
/// itself. Returns the rows used.
fn row(
    theme: &Theme,
    at: Rect,
    label: &str,
    value: &str,
    value_style: Style,
    buf: &mut Buffer,
) -> u16 {
    // The widest label (冒尖小春笋, 管理员 (12)) and a space.
    const LABEL: u16 = 11;
    let (x, y, w, max_rows) = (at.x, at.y, at.width, at.height);
    if max_rows == 0 {
        return 0;
    }
    put(buf, x, y, label, (LABEL - 1).min(w), theme.help_key);
    let lines = wrap_spans(
        &[Span::styled(sanitize_line(value).into_owned(), value_style)],
        w.saturating_sub(LABEL),
        WrapOpts::default(),
    );
    let n = (lines.len() as u16).clamp(1, max_rows);
    for (i, l) in lines.iter().take(n as usize).enumerate() {
        buf.set_line(x + LABEL, y + i as u16, l, w.saturating_sub(LABEL));
    }
    n
}

fn loading_or_failed<T>(
    theme: &Theme,
    load: &Load<T>,
    inner: Rect,
    buf: &mut Buffer,
) -> Option<()> {
    match load {
        Load::Ready(_) => Some(()),
        Load::Loading => {
            put(
                buf,
                inner.x + 1,
                inner.y,
                "加载中…",
                inner.width,
                theme.system,
            );
            None
        }
        Load::Failed(why) => {
            let text = format!("获取失败: {}", sanitize_line(why));
            put(
                buf,
                inner.x + 1,
                inner.y,
                &text,
                inner.width.saturating_sub(1),
                theme.status_error,
            );
            None
        }
    }
}

fn group_name(state: &State, g: i64) -> String {
    sanitize_line(&state.contacts.chat_name(Peer::Group(g))).into_owned()
}

fn member_label(state: &State, g: i64, u: i64) -> String {
    sanitize_line(&crate::app::admin::target::label(state, g, u)).into_owned()
}

// ----- the popups -----

fn mute(
    state: &State,
    theme: &Theme,
    p: &MutePicker,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let who = match p.targets.as_slice() {
        [u] => member_label(state, p.group, *u),
        many => format!("{} 人", many.len()),
    };
    let title = format!("禁言 {who}");
    let choices = PRESETS.len() + 1;
    let extra = if p.custom.is_some() { 3 } else { 0 };
    let h = (choices + extra + 4) as u16;
    let least = if p.custom.is_some() { 52 } else { 40 };
    let w = popup_width(area, (width(&title) as u16 + 6).max(least));
    let r = centered(area, w, h);
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    let labels = PRESETS
        .iter()
        .map(|(l, _)| *l)
        .chain(std::iter::once("自定义…"));
    for (i, label) in labels.enumerate() {
        let y = inner.y + i as u16;
        if y >= inner.y + inner.height {
            break;
        }
        let style = if i == p.selected {
            theme.popup_selected
        } else {
            theme.popup
        };
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        put(
            buf,
            inner.x + 1,
            y,
            &format!("{}  {label}", i + 1),
            inner.width.saturating_sub(1),
            style,
        );
    }
    let mut caret = None;
    if let Some(text) = &p.custom {
        let y = inner.y + choices as u16 + 1;
        if y + 1 < inner.y + inner.height {
            caret = Some(field_line(
                theme,
                inner.x + 1,
                y,
                inner.width.saturating_sub(2),
                "时长: ",
                text,
                buf,
            ));
            let (msg, style) = match &p.error {
                Some(e) => (sanitize_line(e).into_owned(), theme.status_error),
                None => ("例: 10m、2h、1d、1h30m 或秒数".to_string(), theme.help_text),
            };
            put(
                buf,
                inner.x + 1,
                y + 1,
                &msg,
                inner.width.saturating_sub(1),
                style,
            );
        }
    }
    let hint = if p.custom.is_some() {
        // The text field's keys are fixed, not bound in the keymap.
        "Enter 确定 · Esc 返回".to_string()
    } else {
        let choose = match state
            .keymap
            .key_label(Context::Popup, &Action::Activate, Some("enter"))
        {
            Some(k) => format!("1-{choices} 或 {k} 选择"),
            None => format!("1-{choices} 选择"),
        };
        closing(state, vec![choose], "取消").join(" · ")
    };
    footer(theme, inner, &hint, buf);
    caret
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner => "群主",
        Role::Admin => "管理员",
        Role::Member | Role::Unknown => "成员",
    }
}

fn profile(state: &State, theme: &Theme, p: &ProfileCard, area: Rect, buf: &mut Buffer) {
    let now = state.now;
    let fetched = p.data.as_ref().and_then(|d| d.member.as_ref());
    let stranger = p.data.as_ref().and_then(|d| d.stranger.as_ref());
    let known = state.contacts.member(p.group, p.user);
    // Fresh details when they came, else what the member list knows.
    let nickname = fetched
        .map(|m| m.nickname.clone())
        .or_else(|| known.map(|m| m.nickname.clone()))
        .or_else(|| stranger.map(|s| s.nickname.clone()))
        .unwrap_or_default();
    let card = fetched
        .map(|m| m.card.clone())
        .or_else(|| known.map(|m| m.card.clone()))
        .unwrap_or_default();
    let role = fetched.map(|m| m.role).or_else(|| known.map(|m| m.role));
    let title = fetched
        .map(|m| m.title.clone())
        .or_else(|| known.map(|m| m.title.clone()))
        .unwrap_or_default();
    let level = fetched
        .map(|m| m.level.clone())
        .or_else(|| known.map(|m| m.level.clone()))
        .unwrap_or_default();
    let joined = fetched
        .map(|m| m.join_time)
        .or_else(|| known.map(|m| m.join_time))
        .unwrap_or(0);
    let spoke = fetched
        .map(|m| m.last_sent_time)
        .or_else(|| known.map(|m| m.last_sent_time))
        .unwrap_or(0);
    let muted_until = fetched
        .map(|m| m.shut_up_timestamp)
        .or_else(|| known.map(|m| m.shut_up_until))
        .unwrap_or(0);

    let mut rows: Vec<(&str, String, Style)> = Vec::new();
    let name = if card.trim().is_empty() {
        &nickname
    } else {
        &card
    };
    if !card.trim().is_empty() && !nickname.is_empty() && card != nickname {
        rows.push(("昵称", nickname.clone(), theme.popup));
    }
    if let Some(r) = role {
        rows.push(("身份", role_name(r).into(), theme.popup));
    }
    rows.push((
        "头衔",
        if title.is_empty() {
            "无".into()
        } else {
            title
        },
        theme.popup,
    ));
    if !level.is_empty() && level != "0" {
        rows.push(("群等级", format!("LV{level}"), theme.popup));
    }
    if let Some(s) = stranger.filter(|s| s.qq_level > 0) {
        rows.push(("QQ 等级", s.qq_level.to_string(), theme.popup));
    }
    if joined > 0 {
        rows.push((
            "入群时间",
            format!("{} ({})", date(joined), ago(joined, now)),
            theme.popup,
        ));
    }
    rows.push((
        "最后发言",
        if spoke > 0 {
            format!("{} ({})", when(spoke, now), ago(spoke, now))
        } else {
            "没有记录".into()
        },
        theme.popup,
    ));
    if muted_until > now {
        rows.push((
            "禁言",
            format!(
                "禁言中，还剩 {} (到 {})",
                duration_text(muted_until - now),
                when(muted_until, now)
            ),
            theme.status_error,
        ));
    } else {
        rows.push(("禁言", "未禁言".into(), theme.popup));
    }
    if let Some(s) = stranger {
        let sex = match s.sex {
            Sex::Male => "男",
            Sex::Female => "女",
            Sex::Unknown => "",
        };
        let age = if s.age > 0 {
            format!("{} 岁", s.age)
        } else {
            String::new()
        };
        let both = [sex, age.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ");
        if !both.is_empty() {
            rows.push(("性别年龄", both, theme.popup));
        }
        if !s.long_nick.trim().is_empty() {
            rows.push(("签名", s.long_nick.clone(), theme.popup));
        }
    }
    let actions = state.keymap.hint_items(
        Context::Members,
        &[
            (Action::Mute, "禁言"),
            (Action::Unmute, "解禁"),
            (Action::Kick, "移出"),
            (Action::Run("/card".into()), "名片"),
            (Action::Run("/title".into()), "头衔"),
            (Action::Run("/admin".into()), "管理员"),
            (Action::Poke, "戳一戳"),
            (Action::Run("/like".into()), "点赞"),
            (Action::Mention, "提及"),
        ],
    );
    let actions = closing(state, actions, "关闭");
    let w = popup_width(area, 64);
    let hint_lines = pack(&actions, w.saturating_sub(4));
    let status_rows = u16::from(p.data.is_none() || p.error.is_some());
    let h = rows.len() as u16 + 3 + status_rows + hint_lines.len() as u16 + 2;
    let r = centered(area, w, h.min(area.height));
    let inner = frame(theme, "成员资料", r, buf, theme.popup_border);
    if inner.height == 0 {
        return;
    }
    let x = inner.x + 1;
    let iw = inner.width.saturating_sub(2);
    let head = format!("{} · QQ {}", sanitize_line(name), p.user);
    put(buf, x, inner.y, &head, iw, theme.user_color(p.user));
    let bottom = inner.y + inner.height;
    let hints_at = bottom.saturating_sub(hint_lines.len() as u16);
    let mut y = inner.y + 2;
    if let Some(e) = &p.error {
        put(
            buf,
            x,
            y,
            &format!("获取资料失败: {}", sanitize_line(e)),
            iw,
            theme.status_error,
        );
        y += 1;
    } else if p.data.is_none() {
        put(buf, x, y, "正在获取资料…", iw, theme.system);
        y += 1;
    }
    for (label, value, style) in &rows {
        if y >= hints_at.saturating_sub(1) {
            break;
        }
        let room = hints_at.saturating_sub(1) - y;
        y += row(theme, Rect::new(x, y, iw, room), label, value, *style, buf);
    }
    for (i, l) in hint_lines.iter().enumerate() {
        let y = hints_at + i as u16;
        if y < bottom {
            put(buf, x, y, l, iw, theme.help_text);
        }
    }
}

fn list_frame(area: Rect, want_h: usize) -> (u16, u16) {
    let w = popup_width(area, 72);
    let h = (want_h as u16).clamp(6, area.height.saturating_sub(2).max(6));
    (w, h)
}

/// The chrome every admin list shares: a centred frame with its title, the key hints in the
/// footer, and the loading / failed / empty states. Returns the inside and the items when there
/// are items to draw.
#[allow(clippy::too_many_arguments)]
fn list_chrome<'a, T>(
    state: &State,
    theme: &Theme,
    area: Rect,
    (w, h): (u16, u16),
    title: &str,
    keys: &[(Action, &str)],
    items: &'a Load<Vec<T>>,
    empty: &str,
    buf: &mut Buffer,
) -> Option<(Rect, &'a [T])> {
    let r = centered(area, w, h);
    let inner = frame(theme, title, r, buf, theme.popup_border);
    let hint = closing(state, state.keymap.hint_items(Context::Popup, keys), "关闭").join(" · ");
    footer(theme, inner, &hint, buf);
    loading_or_failed(theme, items, inner, buf)?;
    let items = items.ready().map(Vec::as_slice).unwrap_or_default();
    if items.is_empty() {
        put(buf, inner.x + 1, inner.y, empty, inner.width, theme.system);
        return None;
    }
    Some((inner, items))
}

fn essences(state: &State, theme: &Theme, l: &EssenceList, area: Rect, buf: &mut Buffer) {
    let count = l.items.ready().map_or(0, Vec::len);
    let (w, h) = list_frame(area, count * 2 + 4);
    let title = format!("精华消息 · {}", group_name(state, l.group));
    let keys = [
        (Action::Activate, "跳转到消息"),
        (Action::Delete, "取消精华"),
    ];
    let Some((inner, items)) = list_chrome(
        state,
        theme,
        area,
        (w, h),
        &title,
        &keys,
        &l.items,
        "本群还没有精华消息",
        buf,
    ) else {
        return;
    };
    let rows = inner.height.saturating_sub(2) as usize;
    let start = first_visible(l.selected, rows, 2);
    let mut y = inner.y;
    for (i, e) in items.iter().enumerate().skip(start) {
        if y + 1 >= inner.y + inner.height.saturating_sub(1) {
            break;
        }
        let sel = i == l.selected;
        let style = if sel {
            theme.popup_selected
        } else {
            theme.popup
        };
        buf.set_style(Rect::new(inner.x, y, inner.width, 2), style);
        let head = format!(
            "{}  {}  由 {} 设置",
            sanitize_line(&e.sender_nick),
            when(e.operator_time, state.now),
            sanitize_line(&e.operator_nick)
        );
        put(
            buf,
            inner.x + 1,
            y,
            &head,
            inner.width.saturating_sub(1),
            if sel {
                style
            } else {
                theme.user_color(e.sender_id)
            },
        );
        let text = excerpt(&e.content.plain_text());
        let text = if text.is_empty() {
            "[空消息]".to_string()
        } else {
            text
        };
        put(
            buf,
            inner.x + 3,
            y + 1,
            &sanitize_line(&text),
            inner.width.saturating_sub(3),
            style,
        );
        y += 2;
    }
}

fn notices(
    state: &State,
    theme: &Theme,
    l: &NoticeList,
    pending: Option<usize>,
    area: Rect,
    buf: &mut Buffer,
) {
    let (w, _) = list_frame(area, 0);
    // Heads and first lines, the selected notice in full (estimated at the popup's width).
    let want = match l.items.ready() {
        Some(items) => {
            items
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let body = if i == l.selected {
                        wrap_spans(
                            &[Span::raw(n.text.clone())],
                            w.saturating_sub(6),
                            WrapOpts::default(),
                        )
                        .len()
                        .max(1)
                    } else {
                        1
                    };
                    1 + body
                })
                .sum::<usize>()
                + 4
        }
        None => 6,
    };
    let (_, h) = list_frame(area, want);
    let title = format!("群公告 · {}", group_name(state, l.group));
    let Some((inner, items)) = list_chrome(
        state,
        theme,
        area,
        (w, h),
        &title,
        &[(Action::Delete, "删除")],
        &l.items,
        "本群还没有公告",
        buf,
    ) else {
        return;
    };
    let text_w = inner.width.saturating_sub(4);
    let bottom = inner.y + inner.height.saturating_sub(1);
    // Every notice shows its head and first line; the selected one its whole text.
    let start = first_visible(l.selected, inner.height.saturating_sub(8) as usize, 2);
    let mut y = inner.y;
    for (i, n) in items.iter().enumerate().skip(start) {
        if y + 1 >= bottom {
            break;
        }
        let sel = i == l.selected;
        let mut flags = format!("已读 {}", n.read_num);
        if n.settings.confirm_required != 0 {
            flags.push_str(" · 需确认");
        }
        if !n.images.is_empty() {
            flags.push_str(&format!(" · [图片×{}]", n.images.len()));
        }
        let head = format!(
            "{}  {}  {flags}",
            member_label(state, l.group, n.sender_id),
            when(n.publish_time, state.now)
        );
        let head_style = if sel {
            theme.popup_selected
        } else {
            theme.popup
        };
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), head_style);
        put(
            buf,
            inner.x + 1,
            y,
            &head,
            inner.width.saturating_sub(1),
            head_style,
        );
        y += 1;
        let body = crate::ui::sanitize::sanitize(&n.text).into_owned();
        let lines = wrap_spans(
            &[Span::styled(body, theme.popup)],
            text_w,
            WrapOpts::default(),
        );
        let take = if sel { lines.len().max(1) } else { 1 };
        for l in lines.iter().take(take) {
            if y >= bottom {
                break;
            }
            buf.set_line(inner.x + 3, y, l, text_w);
            y += 1;
        }
        if !sel && lines.len() > 1 && y <= bottom {
            // The first line stands for the rest.
            let last = y - 1;
            let end = inner.x + inner.width.saturating_sub(1);
            buf.set_string(end, last, "…", theme.help_text);
        }
    }
    // The shared confirmation dialog needs a few cells to draw into.
    if let Some(i) = pending
        && let Some(n) = items.get(i)
        && area.width >= 8
        && area.height >= 4
    {
        let c = Confirm {
            title: "删除群公告".into(),
            body: format!(
                "删除 {} 发布的公告「{}」？",
                crate::app::admin::target::label(state, l.group, n.sender_id),
                excerpt(&n.text)
            ),
            on_yes: Vec::new(),
        };
        super::popups::confirm(state, theme, &c, area, buf);
    }
}

fn mutes(state: &State, theme: &Theme, l: &MuteList, area: Rect, buf: &mut Buffer) {
    let count = l.items.ready().map_or(0, Vec::len);
    let (w, h) = list_frame(area, count + 4);
    let title = format!("禁言列表 · {}", group_name(state, l.group));
    let Some((inner, items)) = list_chrome(
        state,
        theme,
        area,
        (w, h),
        &title,
        &[(Action::Unmute, "解除禁言")],
        &l.items,
        "没有人被禁言",
        buf,
    ) else {
        return;
    };
    let rows = inner.height.saturating_sub(2) as usize;
    let start = first_visible(l.selected, rows, 1);
    for (i, e) in items.iter().enumerate().skip(start).take(rows) {
        let y = inner.y + (i - start) as u16;
        let sel = i == l.selected;
        let style = if sel {
            theme.popup_selected
        } else {
            theme.popup
        };
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        let left = format!("{} ({})", sanitize_line(&e.display_name()), e.uin);
        let right = format!(
            "还剩 {} · 到 {}",
            duration_text(e.mute_remaining(state.now)),
            when(e.shut_up_time, state.now)
        );
        let rw = width(&right) as u16;
        put(
            buf,
            inner.x + 1,
            y,
            &left,
            inner.width.saturating_sub(rw + 3),
            style,
        );
        if inner.width > rw + 2 {
            put(buf, inner.x + inner.width - rw - 1, y, &right, rw, style);
        }
    }
}

fn sheet(state: &State, theme: &Theme, s: &Sheet, area: Rect, buf: &mut Buffer) {
    let title = match s.kind {
        SheetKind::Info => format!("群资料 · {}", group_name(state, s.group)),
        SheetKind::Honors => format!("群荣誉 · {}", group_name(state, s.group)),
    };
    let count = s.rows.ready().map_or(0, Vec::len);
    let (w, h) = list_frame(area, count + 4);
    let r = centered(area, w, h);
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    let scroll = state.keymap.fill_keys("{popup:move -1}{popup:move 1} 滚动");
    let hint = closing(state, vec![scroll], "关闭").join(" · ");
    footer(theme, inner, &hint, buf);
    if loading_or_failed(theme, &s.rows, inner, buf).is_none() {
        return;
    }
    let rows = s.rows.ready().map(Vec::as_slice).unwrap_or_default();
    let bottom = inner.y + inner.height.saturating_sub(2);
    let mut y = inner.y;
    for (label, value) in rows.iter().skip(s.scroll as usize) {
        if y >= bottom {
            break;
        }
        let at = Rect::new(inner.x + 1, y, inner.width.saturating_sub(2), bottom - y);
        y += row(theme, at, label, value, theme.popup, buf);
    }
}

fn inbox(
    state: &State,
    theme: &Theme,
    v: &InboxView,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let items = &state.inbox.items;
    let (w, h) = list_frame(area, items.len() * 2 + 5);
    let r = centered(area, w, h);
    let title = if items.is_empty() {
        "请求".to_string()
    } else {
        format!("请求 ({})", items.len())
    };
    let inner = frame(theme, &title, r, buf, theme.popup_border);
    if inner.height < 3 {
        return None;
    }
    let iw = inner.width.saturating_sub(2);
    let mut caret = None;
    if let Some(input) = &v.input {
        let label = if input.approve {
            "备注 (可留空): "
        } else {
            "拒绝理由 (可留空): "
        };
        let y = inner.y + inner.height - 2;
        caret = Some(field_line(
            theme,
            inner.x + 1,
            y,
            iw,
            label,
            &input.text,
            buf,
        ));
        // The text field's keys are fixed, not bound in the keymap.
        footer(theme, inner, "Enter 确认 · Esc 取消", buf);
    } else {
        let answer = if items.is_empty() {
            Vec::new()
        } else {
            state.keymap.hint_items(
                Context::Popup,
                &[(Action::Accept, "同意"), (Action::Reject, "拒绝")],
            )
        };
        footer(
            theme,
            inner,
            &closing(state, answer, "关闭").join(" · "),
            buf,
        );
    }
    if items.is_empty() {
        put(
            buf,
            inner.x + 1,
            inner.y,
            "没有待处理的请求",
            iw,
            theme.system,
        );
        return caret;
    }
    let rows = inner.height.saturating_sub(3) as usize;
    let start = first_visible(v.selected, rows, 2);
    let bottom = inner.y + inner.height.saturating_sub(2);
    let mut y = inner.y;
    for (i, r) in items.iter().enumerate().skip(start) {
        if y >= bottom {
            break;
        }
        let sel = i == v.selected;
        let style = if sel {
            theme.popup_selected
        } else {
            theme.popup
        };
        buf.set_style(Rect::new(inner.x, y, inner.width, 2.min(bottom - y)), style);
        let who = if r.nickname.is_empty() {
            r.user_id.to_string()
        } else {
            format!("{} ({})", sanitize_line(&r.nickname), r.user_id)
        };
        let group = |g: i64| {
            let name = if r.group_name.is_empty() {
                state.contacts.chat_name(Peer::Group(g))
            } else {
                r.group_name.clone()
            };
            if name == g.to_string() {
                name
            } else {
                format!("{} ({g})", sanitize_line(&name))
            }
        };
        let what = match r.what {
            RequestWhat::Friend => format!("好友申请  {who}"),
            RequestWhat::Join { group: g } => format!("加群申请  {who} → {}", group(g)),
            RequestWhat::Invite { group: g } => format!("入群邀请  {who} 邀请你加入 {}", group(g)),
        };
        let age = match (r.answering, r.time) {
            (true, _) => "处理中…".to_string(),
            (false, Some(t)) => ago(t, state.now),
            (false, None) => String::new(),
        };
        let aw = width(&age) as u16;
        let head = format!("{}. {what}", i + 1);
        put(buf, inner.x + 1, y, &head, iw.saturating_sub(aw + 2), style);
        if aw > 0 && iw > aw {
            put(buf, inner.x + 1 + iw - aw, y, &age, aw, style);
        }
        if y + 1 < bottom {
            let mut second = if r.comment.trim().is_empty() {
                "(没有附言)".to_string()
            } else {
                sanitize_line(&r.comment).into_owned()
            };
            if r.filtered {
                second = format!("[已被 QQ 过滤] {second}");
            }
            put(
                buf,
                inner.x + 4,
                y + 1,
                &second,
                iw.saturating_sub(3),
                if sel { style } else { theme.help_text },
            );
        }
        y += 2;
    }
    caret
}

fn leave(
    state: &State,
    theme: &Theme,
    l: &LeaveConfirm,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let name = group_name(state, l.group);
    let (title, body) = if l.dismiss {
        (
            "解散群聊",
            format!(
                "你是群主：将解散群「{name}」({})，所有成员都会被移出，不能撤销。",
                l.group
            ),
        )
    } else {
        ("退出群聊", format!("将退出群「{name}」({})。", l.group))
    };
    let w = popup_width(area, 56);
    let lines = wrap_spans(&[Span::raw(body)], w.saturating_sub(4), WrapOpts::default());
    let h = lines.len() as u16 + 7;
    let r = centered(area, w, h);
    let inner = frame(theme, title, r, buf, theme.confirm_danger);
    let iw = inner.width.saturating_sub(2);
    let mut y = inner.y;
    for line in &lines {
        if y + 4 >= inner.bottom() {
            break;
        }
        buf.set_line(inner.x + 1, y, line, iw);
        y += 1;
    }
    y += 1;
    put(buf, inner.x + 1, y, "输入群名或群号确认:", iw, theme.popup);
    let caret = field_line(theme, inner.x + 1, y + 1, iw, "> ", &l.typed, buf);
    if let Some(e) = &l.error {
        put(buf, inner.x + 1, y + 2, e, iw, theme.status_error);
    }
    // The text field's keys are fixed, not bound in the keymap.
    footer(theme, inner, "Enter 确认 · Esc 取消", buf);
    Some(caret)
}
