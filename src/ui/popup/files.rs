//! The group file browser: where it is and the space used, then one row per folder or file
//! (name, size, uploader, upload time, downloads, expiry), the field being typed into, and the
//! delete question.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::Action;
use crate::app::popup::{BrowserField, Confirm, FileBrowser, FileEntry};
use crate::app::state::State;
use crate::app::transfer::human_size;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::super::wrap::{truncate, width};
use super::time::when;
use super::{
    entry_style, field_line, first_visible, group_name, list_chrome, list_frame, popup_width, put,
};

pub fn draw(
    state: &State,
    theme: &Theme,
    b: &FileBrowser,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    // Wider than other lists: a row says size, uploader, time, downloads and expiry.
    let w = popup_width(area, 100);
    let (_, h) = list_frame(area, b.entries.count() + 6);
    let mut title = format!("群文件 · {}", group_name(state, b.group));
    for (_, name) in &b.path {
        title.push_str(" / ");
        title.push_str(&sanitize_line(name));
    }
    let keys = [
        (Action::Activate, "打开"),
        (Action::Save, "保存"),
        (Action::Unmute, "上传"),
        (Action::Delete, "删除"),
        (Action::NewFolder, "新建"),
        (Action::Search, "筛选"),
        (Action::Reject, "刷新"),
    ];
    // The listing; an empty one still shows the field and the space.
    let shown = list_chrome(
        state,
        theme,
        area,
        (w, h),
        &title,
        &keys,
        &b.entries,
        if b.path.is_empty() {
            "本群还没有文件"
        } else {
            "文件夹是空的"
        },
        buf,
    );
    let r = super::centered(area, w, h);
    let inner = Rect::new(
        r.x + 1,
        r.y + 1,
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    );
    let mut caret = None;
    // The last row above the footer: the space, or the field.
    let bottom = inner.y + inner.height.saturating_sub(2);
    match b.field {
        Some(field) => {
            let label = match field {
                BrowserField::Filter => "筛选: ",
                BrowserField::Upload => "上传到此文件夹 (本地路径): ",
                BrowserField::NewFolder => "新文件夹名: ",
            };
            let text = match field {
                BrowserField::Filter => &b.filter,
                _ => &b.text,
            };
            caret = Some(field_line(
                theme,
                inner.x + 1,
                bottom,
                inner.width.saturating_sub(1),
                label,
                text,
                buf,
            ));
        }
        None => {
            let mut line = String::new();
            if !b.filter.is_empty() {
                line.push_str(&format!("筛选「{}」  ", sanitize_line(&b.filter)));
            }
            if let Some((count, used, total)) = b.space {
                line.push_str(&format!("共 {count} 个文件"));
                // NapCat answers 0 used of a fixed 10 GiB: only a real figure is shown.
                if used > 0 {
                    line.push_str(&format!(
                        " · 已用 {} / {}",
                        human_size(used as u64),
                        human_size(total.max(0) as u64)
                    ));
                }
            }
            put(
                buf,
                inner.x + 1,
                bottom,
                &line,
                inner.width.saturating_sub(1),
                theme.help_text,
            );
        }
    }
    let Some((inner, _)) = shown else {
        return caret;
    };
    let rows = b.visible();
    let room = inner.height.saturating_sub(2) as usize;
    let start = first_visible(b.selected, room, 1);
    for (i, e) in rows.iter().enumerate().skip(start).take(room) {
        let y = inner.y + (i - start) as u16;
        let style = entry_style(theme, i == b.selected);
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        let (name, detail) = match e {
            FileEntry::Folder {
                name,
                files,
                creator_name,
                created,
                ..
            } => (
                format!("▸ {}/", sanitize_line(name)),
                format!(
                    "{files} 个文件  {}  {}",
                    sanitize_line(creator_name),
                    when(*created, state.now)
                ),
            ),
            FileEntry::File {
                name,
                size,
                uploader_name,
                uploaded,
                expires,
                downloads,
                ..
            } => (
                format!("  {}", sanitize_line(name)),
                format!(
                    "{}  {}  {}  下载 {downloads}  {}",
                    human_size(*size),
                    sanitize_line(uploader_name),
                    when(*uploaded, state.now),
                    if *expires > 0 {
                        format!("{} 到期", when(*expires, state.now))
                    } else {
                        "永久".into()
                    }
                ),
            ),
        };
        let dw = (width(&detail) as u16).min(inner.width * 3 / 5);
        let nw = inner.width.saturating_sub(dw + 2);
        put(
            buf,
            inner.x + 1,
            y,
            &truncate(&name, nw.saturating_sub(1) as usize),
            nw,
            style,
        );
        put(
            buf,
            inner.x + inner.width.saturating_sub(dw + 1),
            y,
            &truncate(&detail, dw as usize),
            dw,
            style,
        );
    }
    if let Some(i) = b.pending
        && let Some(e) = rows.get(i)
        && area.width >= 8
        && area.height >= 4
    {
        let (what, body) = match e {
            FileEntry::Folder { name, files, .. } => (
                "删除群文件夹",
                format!(
                    "删除文件夹「{}」和其中的 {files} 个文件？",
                    sanitize_line(name)
                ),
            ),
            FileEntry::File { name, .. } => {
                ("删除群文件", format!("删除「{}」？", sanitize_line(name)))
            }
        };
        let c = Confirm {
            title: what.into(),
            body,
            on_yes: Vec::new(),
        };
        super::confirm::draw(state, theme, &c, area, buf);
    }
    caret
}
