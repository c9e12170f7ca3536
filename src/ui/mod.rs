//! The face: how state looks — panes, popups, wrapping, colours. Reads state, never changes it.
//!
//! `draw` paints one frame into a buffer and reports what it showed (`FrameReport`: the view,
//! the timeline's scroll anchor), which the runtime hands back to the app as `Msg::Frame` for the
//! next key or click.

pub mod composer;
pub mod connection;
pub mod held;
pub mod kept;
pub mod markdown;
pub mod memo;
pub mod message;
pub mod paint;
pub mod panes;
pub mod picture;
pub mod popup;
pub mod sanitize;
pub mod theme;
pub mod timeline;
pub mod wrap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

use crate::app::Action;
use crate::app::chat::SortKey;
use crate::app::keymap::Context;
use crate::app::state::{FrameReport, State, View};
use crate::onebot::Peer;

use theme::Theme;
use timeline::TimelineCache;

/// UI-side state that is not app state: the theme and layout caches.
pub struct Ui {
    pub theme: Theme,
    timeline: TimelineCache,
    /// The runtime's clock in milliseconds, set before each frame (None: frames drawn by hand,
    /// as in tests; the timeline then never takes a flood for one). See `timeline::FLOOD_MS`.
    pub clock_ms: Option<u64>,
    /// The panes' rows as painted in earlier frames.
    sidebar: panes::SidebarKept,
    panes: panes::PanesKept,
    composer: composer::ComposerKept,
    /// The kept rows the frame's buffer holds from the last frame.
    rects: held::HeldRects,
}

impl Ui {
    /// A UI with this theme.
    pub fn new(theme: Theme) -> Self {
        Ui {
            theme,
            timeline: TimelineCache::default(),
            clock_ms: None,
            sidebar: Default::default(),
            panes: Default::default(),
            composer: Default::default(),
            rects: Default::default(),
        }
    }

    /// Says what the next frame's buffer holds from the last one (see `held`): timeline rows
    /// by `stamps` (by screen row, in the columns of `rect`), and the side panes' `kept` rows
    /// (`Frame::kept`). Frames drawn on a reset buffer say nothing.
    pub fn hold(&mut self, rect: Rect, stamps: &[u64], kept: &[(Rect, u64)]) {
        self.timeline.held.set(rect, stamps);
        self.rects.set(kept);
    }
}

/// What one frame showed.
pub struct Frame {
    /// What goes back to the app (`Msg::Frame`).
    pub report: FrameReport,
    /// Where the terminal caret goes, if anywhere.
    pub cursor: Option<Position>,
    /// The timeline pane and its rows (screen row, entry, row within the entry).
    pub timeline: Rect,
    pub lines: Vec<(u16, SortKey, u16)>,
    /// What the timeline's rows hold (`timeline::TimelineOut::stamps`); empty when something
    /// was drawn over the timeline (a popup, the completion menu).
    pub stamps: Vec<(u16, u64)>,
    /// The side panes' rows copied from an earlier frame or painted and kept (`kept`), and the
    /// places beside the timeline painted from their look alone (borders, blank rows), with
    /// their stamps: the same stamp at the same place means the same cells. Empty when
    /// something was drawn over them (a popup, the completion menu).
    pub kept: Vec<(Rect, u64)>,
    /// The timeline's pictures on screen and where.
    pub pictures: Vec<picture::PictureAt>,
    /// When (on `Ui::clock_ms`'s clock) the screen changes without any input: a frame is due
    /// then (see `timeline::SETTLE_MS`).
    pub redraw_at_ms: Option<u64>,
}

/// Where each pane goes for a terminal of this size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub sidebar: Option<Rect>,
    pub members: Option<Rect>,
    pub header: Rect,
    pub timeline: Rect,
    pub composer: Rect,
    pub status: Rect,
}

/// Splits the screen: sidebar | header/timeline/composer | members, status line at the bottom.
pub fn areas(state: &State, full: Rect) -> Areas {
    let status = Rect::new(
        full.x,
        full.y + full.height.saturating_sub(1),
        full.width,
        full.height.min(1),
    );
    let main_h = full.height.saturating_sub(1);
    let mut x = full.x;
    let mut w = full.width;
    let group_open = matches!(state.open, Some(Peer::Group(_)));
    let members_w = if full.width >= 120 { 24 } else { 18 };
    let want_members = state.members.visible && group_open && full.width >= 60;
    let sidebar_w = if full.width >= 100 {
        state.settings.sidebar_width.clamp(12, full.width / 3)
    } else {
        20
    };
    // The message text keeps at least MIN_TEXT columns beside the member pane: the sidebar
    // gives way first.
    let mut want_sidebar = state.sidebar.visible && full.width >= 60;
    if want_sidebar
        && want_members
        && message::text_width(full.width.saturating_sub(sidebar_w + 1 + members_w + 1)) < MIN_TEXT
    {
        want_sidebar = false;
    }
    let sidebar = want_sidebar.then(|| {
        let r = Rect::new(x, full.y, sidebar_w, main_h);
        x += sidebar_w + 1;
        w = w.saturating_sub(sidebar_w + 1);
        r
    });
    let members = want_members.then(|| {
        w = w.saturating_sub(members_w + 1);
        Rect::new(x + w + 1, full.y, members_w, main_h)
    });
    let comp_h = composer::composer_height(state, w) + 1;
    let header = Rect::new(x, full.y, w, main_h.min(1));
    let comp_h = comp_h.min(main_h.saturating_sub(2));
    let timeline_h = main_h.saturating_sub(1 + comp_h);
    let timeline = Rect::new(x, full.y + 1, w, timeline_h);
    let composer = Rect::new(x, full.y + 1 + timeline_h, w, comp_h);
    Areas {
        sidebar,
        members,
        header,
        timeline,
        composer,
        status,
    }
}

fn vline(buf: &mut Buffer, x: u16, y: u16, h: u16, style: Style) {
    // Cell by cell: `set_string` would segment and measure the one character per row.
    for dy in 0..h {
        if let Some(c) = buf.cell_mut((x, y + dy)) {
            c.set_symbol("│").set_style(style);
        }
    }
}

/// Paints the whole screen for `state` into `buf`.
pub fn draw(state: &State, ui: &mut Ui, buf: &mut Buffer) -> Frame {
    let full = buf.area;
    // The theme and the layout cache are borrowed apart: no copy of the theme per frame.
    let Ui {
        theme,
        timeline: cache,
        clock_ms,
        sidebar,
        panes: kept,
        composer: composer_kept,
        rects,
    } = ui;
    cache.clock_ms = *clock_ms;
    kept::begin_frame();
    let theme = &*theme;
    if full.width < MIN_WIDTH || full.height < MIN_HEIGHT {
        cache.held.reset(buf);
        rects.reset(buf);
        rects.areas = None;
        too_small(full, theme, buf);
        return Frame {
            report: FrameReport::default(),
            cursor: None,
            timeline: Rect::default(),
            lines: Vec::new(),
            stamps: Vec::new(),
            kept: Vec::new(),
            pictures: Vec::new(),
            redraw_at_ms: None,
        };
    }
    let a = areas(state, full);
    if cache.held.rect() != a.timeline || state.open_chat().is_none() {
        // Held rows of another layout, or the timeline's place drawn otherwise: reset before
        // anything is painted over them.
        cache.held.reset(buf);
    }
    let covered = state.popup.is_some() || state.composer.completion.is_some();
    if rects.areas != Some(a) || covered {
        // Kept rows of another layout, or under what is drawn over the panes: reset first.
        rects.reset(buf);
    }
    // Places beside the timeline painted from their look alone, held like kept rows.
    let mut sides: Vec<(Rect, u64)> = Vec::new();
    let mut view = View {
        timeline_area: a.timeline,
        sidebar_shown: a.sidebar.is_some(),
        members_shown: a.members.is_some(),
        ..View::default()
    };
    if let Some(s) = a.sidebar {
        let out = panes::sidebar(state, theme, s, sidebar, (&mut *buf, &mut *rects));
        view.sidebar_area = out.list;
        view.sidebar_rows = out.rows;
        view.sidebar_height = out.list.height;
        let style = if state.focus == crate::app::Pane::Sidebar {
            theme.border_focused
        } else {
            theme.border
        };
        let border = Rect::new(s.x + s.width, s.y, 1, s.height);
        let stamp = kept::stamp_of(&(style, border));
        side(buf, rects, &mut sides, border, stamp, |buf| {
            vline(buf, border.x, border.y, border.height, style);
        });
        side(
            buf,
            rects,
            &mut sides,
            out.blank,
            kept::blank(out.blank),
            |_| {},
        );
    }
    if let (Some(m), Some(Peer::Group(g))) = (a.members, state.open) {
        let style = if state.focus == crate::app::Pane::Members {
            theme.border_focused
        } else {
            theme.border
        };
        let border = Rect::new(m.x - 1, m.y, 1, m.height);
        let stamp = kept::stamp_of(&(style, border));
        side(buf, rects, &mut sides, border, stamp, |buf| {
            vline(buf, border.x, border.y, border.height, style);
        });
        let out = panes::members(state, theme, g, m, buf);
        view.members_area = out.list;
        view.members_rows = out.rows;
        view.members_height = out.list.height;
    }
    panes::header(state, theme, a.header, kept, (&mut *buf, &mut *rects));
    let mut frame = Frame {
        report: FrameReport::default(),
        cursor: None,
        timeline: a.timeline,
        lines: Vec::new(),
        stamps: Vec::new(),
        kept: Vec::new(),
        pictures: Vec::new(),
        redraw_at_ms: None,
    };
    cache.shares_rows = a.timeline.width < full.width;
    match state.open_chat() {
        Some(chat) => {
            let out = cache.draw(state, theme, chat, a.timeline, buf);
            view.timeline_rows = out.rows;
            view.timeline_entries = out.entries;
            view.timeline_room = out.room;
            frame.lines = out.lines;
            frame.stamps = out.stamps;
            // A popup may lie over the timeline: its pictures keep their half blocks then.
            if state.popup.is_none() {
                frame.pictures = out.pictures;
            }
            frame.report.scroll = Some((chat.peer, out.scroll));
            frame.redraw_at_ms = cache.settles_at();
        }
        None => welcome(state, theme, a.timeline, buf),
    }
    frame.cursor = composer::composer(
        state,
        theme,
        a.composer,
        composer_kept,
        (&mut *buf, &mut *rects),
    );
    composer::completion(state, theme, a.composer, buf);
    if let Some(c) = panes::status(state, theme, a.status, kept, (&mut *buf, &mut *rects)) {
        frame.cursor = Some(Position::new(c.0, c.1));
    }
    // Held rows no kept row took: nothing drew there this frame.
    rects.reset(buf);
    rects.areas = Some(a);
    if let Some(p) = &state.popup {
        frame.cursor = popup::draw(state, theme, p, full, buf, &mut view);
    }
    if state.popup.is_some() || state.composer.completion.is_some() {
        frame.stamps.clear();
    } else {
        frame.kept.extend(sides);
        sidebar.shown(&mut frame.kept);
        kept.shown(&mut frame.kept);
        composer_kept.shown(&mut frame.kept);
    }
    frame.report.view = view;
    frame
}

/// A place beside the timeline painted from its look alone (a border line, the blank below a
/// list), `stamp` a stamp of that look and the place (`kept::stamp_of`, `kept::blank`): taken
/// as the buffer holds it when the last frame showed the same there, else painted anew (over
/// whatever held rows lay there); either way it is held for the next frame.
fn side(
    buf: &mut Buffer,
    rects: &mut held::HeldRects,
    sides: &mut Vec<(Rect, u64)>,
    rect: Rect,
    stamp: u64,
    paint: impl FnOnce(&mut Buffer),
) {
    if rect.is_empty() {
        return;
    }
    if !rects.take(buf, stamp, rect) {
        rects.clear_under(buf, rect);
        paint(buf);
    }
    sides.push((rect, stamp));
}

/// The message text's columns the member pane may not squeeze it below (the sidebar hides).
pub const MIN_TEXT: u16 = 40;

/// The smallest terminal the panes are drawn in; below it a notice asks for more room.
pub const MIN_WIDTH: u16 = 24;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 6;

fn too_small(full: Rect, theme: &Theme, buf: &mut Buffer) {
    let lines = [
        "窗口太小".to_string(),
        format!("{}x{}", full.width, full.height),
    ];
    for (i, l) in lines.iter().enumerate() {
        let y = full.y + i as u16;
        if y >= full.y + full.height {
            break;
        }
        buf.set_stringn(full.x, y, l, full.width as usize, theme.status_error);
    }
}

fn welcome(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    // The key for help anywhere, and the one the panes add (`F1 或 ?`).
    let help = state.keymap.key_labels(&[
        (Context::Global, Action::Help, None),
        (Context::Timeline, Action::Help, None),
    ]);
    let help = (!help.is_empty()).then(|| format!("{} 查看全部按键和命令", help.join(" 或 ")));
    let lines = [
        "napterm".to_string(),
        String::new(),
        state
            .keymap
            .fill_keys("{global:focus_next} 在会话列表、消息和输入框之间切换"),
        "/open 名字 或 号码  打开会话".to_string(),
        help.unwrap_or_default(),
        String::new(),
    ];
    // Without a connection, where it connects and what went wrong, whole; else who you are.
    let below = match connection::notice(state) {
        Some(notice) => connection::wrapped(&notice, area.width.saturating_sub(4).min(76)),
        None => vec![panes::conn_text(state, theme).0],
    };
    let total = (lines.len() + below.len()) as u16;
    let top = area.y + area.height.saturating_sub(total) / 2;
    for (i, l) in lines.iter().enumerate() {
        let y = top + i as u16;
        if y >= area.y + area.height {
            break;
        }
        let w = wrap::width(l) as u16;
        let x = area.x + area.width.saturating_sub(w) / 2;
        let style = if i == 0 { theme.title } else { theme.help_text };
        buf.set_stringn(x, y, l, area.width as usize, style);
    }
    let notice_top = top + lines.len() as u16;
    if notice_top < area.y + area.height {
        connection::draw_rows(&below, area, Some(notice_top), theme.help_text, buf);
    }
}

/// A buffer as text, one string per row: each wide character once, trailing spaces trimmed
/// (snapshots, and tests that read the screen).
pub fn buffer_lines(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, buf.area.y + y)].symbol();
                line.push_str(sym);
                skip = wrap::width(sym).saturating_sub(1);
            }
            line.trim_end().to_string()
        })
        .collect()
}
