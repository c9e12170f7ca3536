//! The mute duration picker: numbered presets, "自定义…", and the typed duration.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::Action;
use crate::app::admin::duration::PRESETS;
use crate::app::keymap::Context;
use crate::app::popup::{MutePicker, field_hint};
use crate::app::state::State;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::super::wrap::width;
use super::{
    centered, closing, entry_style, field_line, footer, frame, member_label, popup_width, put,
};

/// Draws the mute picker; the caret is in the typed duration, while there is one.
pub fn draw(
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
    let choices = MutePicker::choices();
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
        let style = entry_style(theme, i == p.selected);
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
        field_hint("确定", "返回")
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
