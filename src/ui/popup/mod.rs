//! Popups: the one dispatch over [`Popup`] (how each draws, which keys the status line names
//! while it is open) and the chrome they share — the centred frame,
//! the list chrome (title, loading / failed / empty states, the selection kept in view), footer
//! hints from the keymap, text field lines and label / value rows. Each popup draws in its own
//! file.

pub mod confirm;
pub mod essences;
pub mod faces;
pub mod find;
pub mod forward;
pub mod help;
pub mod inbox;
pub mod leave;
pub mod links;
pub mod mute;
pub mod mutes;
pub mod notices;
pub mod pictures;
pub mod profile;
pub mod reaction_list;
pub mod reaction_picker;
pub mod sheet;
pub mod time;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::Action;
use crate::app::keymap::Context;
use crate::app::popup::{Load, Popup};
use crate::app::state::{State, View};
use crate::onebot::Peer;

use super::sanitize::sanitize_line;
use super::theme::Theme;
use super::wrap::{WrapOpts, truncate, width, wrap_spans};

/// Draws the open popup over `area`; returns where the caret goes when it has a text field.
/// What a popup's keys need to know of its layout goes into `view`.
pub fn draw(
    state: &State,
    theme: &Theme,
    popup: &Popup,
    area: Rect,
    buf: &mut Buffer,
    view: &mut View,
) -> Option<Position> {
    match popup {
        Popup::Help(p) => {
            let (caret, extent) = help::draw(state, theme, p, area, buf);
            view.help = Some(extent);
            caret
        }
        Popup::Faces(p) => faces::draw(state, theme, p, area, buf),
        Popup::Confirm(p) => confirm::draw(state, theme, p, area, buf),
        Popup::Mute(p) => mute::draw(state, theme, p, area, buf),
        Popup::Profile(p) => profile::draw(state, theme, p, area, buf),
        Popup::Essences(p) => essences::draw(state, theme, p, area, buf),
        Popup::Notices(p) => notices::draw(state, theme, p, area, buf),
        Popup::Mutes(p) => mutes::draw(state, theme, p, area, buf),
        Popup::Sheet(p) => sheet::draw(state, theme, p, area, buf),
        Popup::Inbox(p) => inbox::draw(state, theme, p, area, buf),
        Popup::Leave(p) => leave::draw(state, theme, p, area, buf),
        Popup::Links(p) => links::draw(state, theme, p, area, buf),
        Popup::Find(p) => find::draw(state, theme, p, area, buf),
        Popup::Forward(p) => forward::draw(state, theme, p, area, buf),
        Popup::React(p) => reaction_picker::draw(state, theme, p, area, buf),
        Popup::Reactions(p) => reaction_list::draw(state, theme, p, area, buf),
        Popup::Pictures(p) => pictures::draw(state, theme, p, area, buf),
    }
}

/// The status line's hints while `popup` is open: its main keys from the popup section of the
/// keymap, named as its own footer names them (`Esc 关闭`, though `q` closes it too).
pub fn hints(state: &State, popup: &Popup) -> String {
    type Item = (Action, Option<&'static str>, &'static str);
    let close: Item = (Action::Deny, Some("esc"), "关闭");
    let cancel: Item = (Action::Deny, Some("esc"), "取消");
    let scroll: Item = (Action::Move(1), Some("down"), "滚动");
    let items: &[Item] = match popup {
        Popup::Help(_) | Popup::Sheet(_) => {
            &[scroll, (Action::Page(1), Some("pagedown"), "翻页"), close]
        }
        Popup::Faces(_) => &[(Action::Activate, Some("enter"), "插入"), close],
        Popup::Confirm(_) => &[(Action::Confirm, Some("y"), "确认"), cancel],
        Popup::Mute(_) => &[(Action::Activate, Some("enter"), "选择时长"), cancel],
        Popup::Inbox(_) => &[
            (Action::Accept, Some("a"), "同意"),
            (Action::Reject, Some("r"), "拒绝"),
            close,
        ],
        Popup::Notices(_) => &[(Action::Delete, Some("d"), "删除"), close],
        Popup::Essences(_) => &[
            (Action::Activate, Some("enter"), "跳转"),
            (Action::Delete, Some("d"), "移除"),
            close,
        ],
        Popup::Mutes(_) => &[(Action::Unmute, Some("u"), "解除禁言"), close],
        Popup::Profile(_) => &[close],
        // Their fields take every letter: Enter and Esc are fixed keys there.
        Popup::Leave(_) => return crate::app::popup::field_hint("确认", "取消"),
        Popup::Find(_) => return crate::app::popup::field_hint("搜索 / 打开", "关闭"),
        Popup::React(_) => return crate::app::popup::field_hint("贴上", "取消"),
        Popup::Forward(_) => &[
            (Action::Activate, Some("enter"), "展开"),
            (Action::Search, Some("/"), "搜索"),
            (Action::Confirm, Some("y"), "复制"),
            close,
        ],
        Popup::Reactions(_) => &[scroll, close],
        Popup::Pictures(_) => &[(Action::Confirm, Some("y"), "复制链接"), close],
        Popup::Links(_) => &[
            (Action::Activate, Some("enter"), "访问"),
            (Action::Confirm, Some("y"), "复制"),
            close,
        ],
    };
    let named = items.iter().filter_map(|(a, usual, label)| {
        let k = state.keymap.key_label(Context::Popup, a, *usual)?;
        Some(format!("{k} {label}"))
    });
    // ←/→ are the viewer's own keys (the popup section leaves them free).
    let own = matches!(popup, Popup::Pictures(_)).then(|| "←/→ 切换".to_string());
    own.into_iter().chain(named).collect::<Vec<_>>().join("  ")
}

// ----- the frame -----

/// A `w`×`h` rectangle centred in `area` (clipped to it).
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A popup's width on this screen: `want`, but never wider than the screen allows.
fn popup_width(area: Rect, want: u16) -> u16 {
    want.min(area.width.saturating_sub(4))
        .max(20.min(area.width))
}

/// Clears `area`, draws a titled border, returns the inside.
pub(crate) fn frame(
    theme: &Theme,
    title: &str,
    area: Rect,
    buf: &mut Buffer,
    style: Style,
) -> Rect {
    blank_cut_wide(area, buf);
    Clear.render(area, buf);
    let title = truncate(title, area.width.saturating_sub(4) as usize).into_owned();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// Blanks the wide characters whose right half lies under `area`'s left edge. Drawn, such a
/// character keeps covering the popup's first column — the terminal shows half a glyph, and the
/// border cell behind it is never sent — so it goes, whole.
fn blank_cut_wide(area: Rect, buf: &mut Buffer) {
    if area.x <= buf.area.x {
        return;
    }
    let bottom = area.bottom().min(buf.area.bottom());
    for y in area.y.max(buf.area.y)..bottom {
        let cell = &mut buf[(area.x - 1, y)];
        if width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

// ----- text in a popup -----

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

fn group_name(state: &State, g: i64) -> String {
    sanitize_line(&state.contacts.chat_name(Peer::Group(g))).into_owned()
}

fn member_label(state: &State, g: i64, u: i64) -> String {
    sanitize_line(&crate::app::admin::target::label(state, g, u)).into_owned()
}

// ----- lists -----

/// The first row to show so that `selected` (taking `per` rows each) stays visible.
fn first_visible(selected: usize, rows: usize, per: usize) -> usize {
    let fit = (rows / per.max(1)).max(1);
    if selected >= fit {
        selected + 1 - fit
    } else {
        0
    }
}

/// A list popup's size: 72 columns (or what the screen allows), `want_h` rows within the screen.
fn list_frame(area: Rect, want_h: usize) -> (u16, u16) {
    let w = popup_width(area, 72);
    let h = (want_h as u16).clamp(6, area.height.saturating_sub(2).max(6));
    (w, h)
}

/// "加载中…" or the failure, on the first row of `inner`; `Some` when the value is there.
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

/// The chrome every list popup shares: a centred frame with its title, the key hints in the
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

/// The row style of a list entry: selected or not.
pub(crate) fn entry_style(theme: &Theme, selected: bool) -> Style {
    if selected {
        theme.popup_selected
    } else {
        theme.popup
    }
}
