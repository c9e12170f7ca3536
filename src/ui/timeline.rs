//! The timeline pane: only the visible window is laid out, rows are cached per (entry, width).

use rustc_hash::FxHashMap;
use std::rc::Rc;

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::app::chat::{Chat, Entry, HistoryState, Scroll, SortKey};
use crate::app::state::State;
use crate::onebot::Peer;

use super::held::Held;
use super::message::{LayoutCtx, entry_rows};
use super::theme::Theme;
use super::wrap::width;

/// Cached rows of one entry, valid while the width and both versions they were made at hold.
struct Cached {
    width: u16,
    /// `Entry::version`: the entry, its quoted message and its forwards' previews.
    version: u64,
    /// `Contacts::version`: the names drawn (yours included).
    names: u64,
    rows: Rc<Vec<Line<'static>>>,
    /// The rows as cells, `width` wide, each measured once (graphemes, display widths) when
    /// first drawn; kept only while the entry is on screen, so memory follows the window. Each
    /// with its stamp (see [`TimelineOut::stamps`]).
    cells: Vec<Option<Measured>>,
    /// The frame that last drew it (`TimelineCache::frame`).
    drawn: u64,
}

/// A cached row as cells: its stamp, whether it is a picture's row, the cells. A frame that
/// finds its row measured reads only this, not the row's text.
type Measured = (u64, bool, Box<[Cell]>);

/// The stamp of a timeline row left blank (no text, default cells).
pub const BLANK_ROW: u64 = 1;

/// How far the pane jumps when a flood of messages runs past its bottom: half its height, so
/// that the sidebar beside it (which a terminal scrolls along) is repainted once per half a
/// pane of messages rather than once per message.
fn jump_rows(h: usize) -> usize {
    h / 2
}

/// The newest rows come less than this apart (in the runtime's milliseconds): a flood.
pub const FLOOD_MS: u64 = 150;

/// A jump's blank rows stay this long after the newest row came (in the runtime's
/// milliseconds); then the pane settles back onto its bottom row, so a flood that has ended
/// does not leave the lower half of the pane empty.
pub const SETTLE_MS: u64 = 1000;

/// What the last frame showed of a chat following its newest message (for the jump scroll).
#[derive(Clone, Copy, PartialEq)]
struct Follow {
    peer: Peer,
    area: Rect,
    /// The newest row drawn (entry, row within its block).
    newest: (SortKey, u16),
    /// Blank rows left below it.
    slack: usize,
    /// When rows were last added below (the runtime's milliseconds).
    grew_at: u64,
}

/// Layout cache for timelines (owned by the UI, outside the app state).
#[derive(Default)]
pub struct TimelineCache {
    /// The entries on screen in the last frame, and those looked at in this one: few, so
    /// their table stays in the processor's cache (a lookup in the big one misses it).
    hot: CacheMap,
    /// Every other entry laid out, without cells.
    map: CacheMap,
    /// Frames drawn (marks the hot entries drawn in this one).
    frame: u64,
    /// The last stamp given to a row's cells.
    stamp: u64,
    /// The rules made per frame (day separators, the read marker), measured once: few differ.
    own: Vec<(u16, Line<'static>, u64, Box<[Cell]>)>,
    days: Days,
    /// The runtime's clock in milliseconds, set before each frame (None: no clock, as in
    /// tests drawing frames by hand; then there is never a flood and the pane never jumps).
    pub clock_ms: Option<u64>,
    /// The screen is wider than the pane: something beside it scrolls along with it.
    pub shares_rows: bool,
    follow: Option<Follow>,
    /// The last frame's rows up from the newest entry (see [`Walk`]).
    walk: Option<Walk>,
    /// Frames that took the last one's walk.
    #[cfg(test)]
    walks_kept: usize,
    /// The rows the buffer holds as this frame starts (see `ui::held`); taken by `draw`.
    pub held: Held,
}

/// The rows a frame gathered up from a chat's newest entry, with what they were made from.
/// While all of it holds and only newer entries have come (a flood, or a chat at its usual
/// pace), the next frame lays out those and keeps the rest: it neither walks the window's
/// entries nor looks up their cached rows again.
struct Walk {
    peer: Peer,
    width: u16,
    height: usize,
    /// `Contacts::version` and `Timeline::edits` then.
    names: u64,
    edits: u64,
    read_marker: Option<SortKey>,
    /// The local day then (the day separators' labels say 今天 and 昨天).
    today: Option<chrono::NaiveDate>,
    /// The timeline's oldest entry then.
    first: Option<SortKey>,
    /// The newest entry walked.
    newest: SortKey,
    rows: Vec<Row>,
    reached_top: bool,
}

/// Where a drawn row's text comes from.
enum Src {
    /// Row `i` of an entry's cached rows.
    Cached(Rc<Vec<Line<'static>>>, usize),
    /// Made this frame (a day separator, the read marker, a loading rule).
    Own(Line<'static>),
}

/// A frame's walk, to keep (see [`Walk`]).
struct Walked {
    rows: Vec<Row>,
    reached_top: bool,
    newest: SortKey,
}

/// One drawn row.
struct Row {
    src: Src,
    key: SortKey,
    idx: u16,
}

/// An entry's block: the rules made this frame above it, then its cached rows.
struct Block {
    pre: Vec<Line<'static>>,
    rows: Rc<Vec<Line<'static>>>,
}

impl Block {
    fn len(&self) -> usize {
        self.pre.len() + self.rows.len()
    }

    /// Its rows as drawn rows of entry `key`, oldest first.
    fn into_rows(self, key: SortKey) -> impl DoubleEndedIterator<Item = Row> {
        let Block { pre, rows } = self;
        let np = pre.len();
        let row = move |i: usize, src| Row {
            src,
            key,
            idx: i as u16,
        };
        let cached = (0..rows.len()).map(move |j| row(np + j, Src::Cached(rows.clone(), j)));
        let own = pre
            .into_iter()
            .enumerate()
            .map(move |(i, line)| row(i, Src::Own(line)));
        own.chain(cached)
    }
}

/// What the timeline reports after drawing.
pub struct TimelineOut {
    pub rows: Vec<(u16, SortKey)>,
    pub lines: Vec<(u16, SortKey, u16)>,
    pub entries: Vec<SortKey>,
    pub scroll: Scroll,
    /// The oldest loaded entry was drawn with rows to spare above it.
    pub room: bool,
    /// The pictures on screen and where.
    pub pictures: Vec<super::picture::PictureAt>,
    /// Per screen row of the pane, what its cells are: the same non-zero stamp means the same
    /// cells in the pane's columns as a row of an earlier frame with that stamp (a cached row
    /// drawn as it was measured, or [`BLANK_ROW`]); 0 means not known. The screen skips
    /// comparing such rows cell by cell.
    pub stamps: Vec<(u16, u64)>,
}

/// Row `j` of entry `key`'s `lines`, drawn at screen row `y`: when it is a picture's row, that
/// picture's place grows by it (pictures' rows follow the text, one picture after another).
#[allow(clippy::too_many_arguments)]
fn picture_at(
    ctx: &LayoutCtx,
    chat: &Chat,
    key: SortKey,
    lines: &[Line<'static>],
    j: usize,
    x: u16,
    y: u16,
    w: u16,
    out: &mut Vec<super::picture::PictureAt>,
) {
    use super::picture::is_picture_row;
    if !lines.get(j).is_some_and(is_picture_row) {
        return;
    }
    let Some(first) = lines.iter().position(is_picture_row) else {
        return;
    };
    let Some(m) = chat.timeline.get(key).and_then(|e| e.message()) else {
        return;
    };
    let mut row = (j - first) as u16;
    for (pic, fit, (cols, rows)) in super::message::drawn_pictures(ctx, m, w) {
        if row >= rows {
            row -= rows;
            continue;
        }
        match out.last_mut() {
            Some(p)
                if p.key == pic
                    && p.fit == fit
                    && p.place.y + (rows - p.place.cut_top - p.place.cut_bottom) == y =>
            {
                p.place.cut_bottom = p.place.cut_bottom.saturating_sub(1);
            }
            _ => out.push(super::picture::PictureAt {
                key: pic,
                fit,
                place: super::picture::Place {
                    x: x + (w - super::message::text_width(w)),
                    y,
                    cols,
                    rows,
                    cut_top: row,
                    cut_bottom: rows - row - 1,
                },
            }),
        }
        return;
    }
}

/// The local day of a time, remembered for the last day asked: a frame asks for every entry
/// drawn and the one before it, nearly always of the same day (chrono's local time is slow).
#[derive(Default)]
struct Days {
    /// The day and its bounds in Unix time, start included.
    last: Option<(i64, i64, chrono::NaiveDate)>,
}

impl Days {
    fn of(&mut self, ts: i64) -> Option<chrono::NaiveDate> {
        if let Some((a, b, d)) = self.last
            && a <= ts
            && ts < b
        {
            return Some(d);
        }
        let d = day(ts)?;
        let midnight = |d: chrono::NaiveDate| {
            use chrono::{Local, TimeZone};
            Local
                .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
                .earliest()
                .map(|t| t.timestamp())
        };
        if let (Some(a), Some(b)) = (midnight(d), d.succ_opt().and_then(midnight))
            && a <= ts
            && ts < b
        {
            self.last = Some((a, b, d));
        }
        Some(d)
    }
}

fn day(ts: i64) -> Option<chrono::NaiveDate> {
    use chrono::{Local, TimeZone};
    Local.timestamp_opt(ts, 0).single().map(|t| t.date_naive())
}

fn day_label(ts: i64, now: i64) -> String {
    use chrono::{Datelike, Local, TimeZone};
    let Some(t) = Local.timestamp_opt(ts, 0).single() else {
        return String::new();
    };
    let today = day(now);
    let d = t.date_naive();
    let weekday =
        ["一", "二", "三", "四", "五", "六", "日"][d.weekday().num_days_from_monday() as usize];
    let rel = match today.map(|td| (td - d).num_days()) {
        Some(0) => "今天 ".to_string(),
        Some(1) => "昨天 ".to_string(),
        _ => String::new(),
    };
    format!(
        "{rel}{}年{}月{}日 星期{weekday}",
        d.year(),
        d.month(),
        d.day()
    )
}

fn rule(label: &str, w: u16, style: Style) -> Line<'static> {
    let lw = width(label) + 2;
    let w = w as usize;
    if lw + 4 > w {
        return Line::from(Span::styled(label.to_string(), style));
    }
    let left = (w - lw) / 2;
    let right = w - lw - left;
    Line::from(Span::styled(
        format!("{} {label} {}", "─".repeat(left), "─".repeat(right)),
        style,
    ))
}

/// The key that retries a failed load from where the focus is (`g` in the timeline types a
/// `g` in the composer; the retry key works in both).
fn retry_key(state: &State) -> String {
    crate::app::retry::key(state)
}

/// "↑ 120 条新消息 · Alt+U 跳到第一条": while the first message that was unread when the chat
/// was opened is above the pane (loaded or not), until it has been jumped to.
fn unread_banner(state: &State, chat: &Chat, top: Option<SortKey>) -> Option<String> {
    use crate::app::Action;
    use crate::app::keymap::Context;
    let u = chat.unread_at_open.filter(|u| u.count > 0 && !u.jumped)?;
    if !chat.unread_above(state.self_id, top) {
        return None;
    }
    let key = state
        .keymap
        .key_label(Context::of_pane(state.focus), &Action::JumpUnread, None)
        .map(|k| format!(" · {k} 跳到第一条"))
        .unwrap_or_default();
    Some(format!(" ↑ {} 条新消息{key} ", u.count))
}

/// A stamp not given before (never `BLANK_ROW` or 0).
fn next_stamp(last: &mut u64) -> u64 {
    *last = (*last + 1).max(BLANK_ROW + 1);
    *last
}

/// `line`'s cells as `set_line` makes them on a blank row `w` wide: painted in a row of
/// their own that becomes the kept cells (no copy). The blank cells after the last one drawn
/// are left out: a blank row already has them (see [`copy_row`]).
fn measure(line: &Line<'_>, w: u16) -> Box<[Cell]> {
    let mut row = Buffer::empty(Rect::new(0, 0, w, 1));
    // Graphemes segmented only where a character may join another (see `paint`).
    super::paint::set_line(&mut row, 0, 0, line, w);
    let used = row
        .content
        .iter()
        .rposition(|c| *c != Cell::EMPTY)
        .map_or(0, |i| i + 1);
    row.content.truncate(used);
    row.content.into_boxed_slice()
}

/// Copies a measured row (`w` wide; `cells` without its trailing blank cells, see [`measure`])
/// to (x, y); returns `stamp` when the whole row fitted, else 0. A row that holds `stamp`
/// already is left as it is; one holding other cells is overwritten whole; a blank one gets
/// only the cells that are not blank.
fn copy_row(
    buf: &mut Buffer,
    held: &mut Held,
    (x, y, w): (u16, u16, u16),
    cells: &[Cell],
    stamp: u64,
) -> u64 {
    let start = buf.index_of(x, y);
    let room = buf.content.len() - start;
    let whole = room >= w as usize;
    let n = cells.len().min(room).min(w as usize);
    let was = held.at(y);
    if whole && (was == stamp || was == BLANK_ROW) {
        held.keep_row(y);
        if was == stamp {
            return stamp;
        }
    } else {
        // Another row's cells are held here (its blank cells are not blank), or none.
        held.reset_row(buf, y);
    }
    buf.content[start..start + n].clone_from_slice(&cells[..n]);
    if whole { stamp } else { 0 }
}

/// Row `y` was drawn over: its cells are no longer its stamp's.
fn unstamp(stamps: &mut [(u16, u64)], y: u16) {
    for s in stamps.iter_mut().filter(|s| s.0 == y) {
        s.1 = 0;
    }
}

type CacheMap = FxHashMap<(Peer, SortKey), Cached>;

/// Entry `k`'s cache, moved from `cold` to `hot` if it was there.
fn hot_entry<'a>(
    hot: &'a mut CacheMap,
    cold: &mut CacheMap,
    k: (Peer, SortKey),
) -> Option<&'a mut Cached> {
    match hot.entry(k) {
        std::collections::hash_map::Entry::Occupied(e) => Some(e.into_mut()),
        std::collections::hash_map::Entry::Vacant(e) => Some(e.insert(cold.remove(&k)?)),
    }
}

impl TimelineCache {
    /// An entry's rows: from the cache while the width and the versions they were made at hold.
    fn rows_of(
        &mut self,
        ctx: &LayoutCtx,
        chat: &Chat,
        e: &Entry,
        w: u16,
    ) -> Rc<Vec<Line<'static>>> {
        // The app bumps these whenever anything the rows show changes; nothing else is compared.
        let names = ctx.state.contacts.version;
        let k = (chat.peer, e.key);
        if let Some(c) = hot_entry(&mut self.hot, &mut self.map, k)
            && c.width == w
            && c.version == e.version
            && c.names == names
        {
            return c.rows.clone();
        }
        let rows = Rc::new(entry_rows(ctx, e, w));
        self.hot.insert(
            k,
            Cached {
                width: w,
                version: e.version,
                names,
                rows: rows.clone(),
                cells: Vec::new(),
                drawn: 0,
            },
        );
        rows
    }

    /// An entry's block: day separator, read marker, then its rows. `prev` is the entry
    /// before it.
    fn block(
        &mut self,
        ctx: &LayoutCtx,
        chat: &Chat,
        e: &Entry,
        prev: Option<&Entry>,
        w: u16,
    ) -> Block {
        let t = ctx.theme;
        let mut out = Vec::new();
        if prev.is_none_or(|p| self.days.of(p.key.time) != self.days.of(e.key.time)) {
            out.push(rule(
                &day_label(e.key.time, ctx.state.now),
                w,
                t.day_separator,
            ));
        }
        if let (Some(marker), Some(p)) = (chat.read_marker, prev)
            && p.key <= marker
            && e.key > marker
            && !e.message().is_some_and(|m| m.own)
        {
            out.push(rule("以下为新消息", w, t.read_marker));
        }
        Block {
            pre: out,
            rows: self.rows_of(ctx, chat, e, w),
        }
    }

    fn block_height(&mut self, ctx: &LayoutCtx, chat: &Chat, e: &Entry, w: u16) -> usize {
        let prev = chat.timeline.before(e.key).next();
        self.block(ctx, chat, e, prev, w).len()
    }

    /// Rows ending at `bottom` (minus `skip` rows of it), at most `h`, oldest first.
    fn collect_up(
        &mut self,
        ctx: &LayoutCtx,
        chat: &Chat,
        bottom: SortKey,
        skip: u16,
        h: usize,
        w: u16,
    ) -> (Vec<Row>, bool) {
        // Gathered newest first, each block's rows bottom up, and turned round at the end.
        let mut rows: Vec<Row> = Vec::with_capacity(h + 2);
        let mut reached_top = true;
        let first = chat.timeline.get(bottom);
        // Newest first: the entry before each is the next one (no lookup per entry).
        let mut iter = first
            .into_iter()
            .chain(chat.timeline.before(bottom))
            .peekable();
        let mut skip = skip as usize;
        while let Some(e) = iter.next() {
            let prev = iter.peek().copied();
            let block = self.block(ctx, chat, e, prev, w);
            // Bottom up, less the `skip` rows left out at the bottom.
            let below = std::mem::take(&mut skip);
            for row in block.into_rows(e.key).rev().skip(below) {
                rows.push(row);
                if rows.len() >= h {
                    break;
                }
            }
            if rows.len() >= h {
                reached_top = false;
                break;
            }
        }
        rows.reverse();
        (rows, reached_top)
    }

    /// `collect_up` from the newest entry, taking the last frame's walk when it still holds
    /// (see [`Walk`]): then only the entries after it are laid out.
    fn walk_up(
        &mut self,
        ctx: &LayoutCtx,
        chat: &Chat,
        (bottom, skip): (SortKey, u16),
        h: usize,
        w: u16,
    ) -> (Vec<Row>, bool) {
        let newest = chat.timeline.last_key();
        let today = self.days.of(ctx.state.now);
        let first = chat.timeline.first_key();
        let kept = self.walk.take().filter(|k| {
            let top = k.rows.first().map(|r| r.key);
            // The oldest row's block depends on the entry before it, which only trimming the
            // oldest entries (no edit) can have taken: it has not while an entry as old as
            // the top row's is left. A walk that reached the top drew them all: none may leave.
            let above = if k.reached_top {
                k.first == first
            } else {
                first.is_some_and(|f| top.is_some_and(|t| f < t || (f == t && k.first == top)))
            };
            skip == 0
                && newest == Some(bottom)
                && k.peer == chat.peer
                && (k.width, k.height) == (w, h)
                && k.names == ctx.state.contacts.version
                && k.edits == chat.timeline.edits()
                && k.read_marker == chat.read_marker
                && k.today == today
                && k.newest <= bottom
                && above
                // Many new entries: walking the window is cheaper than laying them all out.
                && chat.timeline.after(k.newest).nth(h).is_none()
        });
        let Some(mut k) = kept else {
            return self.collect_up(ctx, chat, bottom, skip, h, w);
        };
        #[cfg(test)]
        {
            self.walks_kept += 1;
        }
        let mut prev = chat.timeline.get(k.newest);
        for e in chat.timeline.after(k.newest) {
            let block = self.block(ctx, chat, e, prev, w);
            k.rows.extend(block.into_rows(e.key));
            prev = Some(e);
        }
        let mut reached_top = k.reached_top;
        if k.rows.len() >= h {
            reached_top = false;
            let extra = k.rows.len() - h;
            k.rows.drain(..extra);
        }
        (k.rows, reached_top)
    }

    /// Keeps this frame's walk for the next (see [`Walk`]).
    fn keep_walk(&mut self, ctx: &LayoutCtx, chat: &Chat, (w, h): (u16, usize), walked: Walked) {
        let Walked {
            rows,
            reached_top,
            newest,
        } = walked;
        self.walk = Some(Walk {
            peer: chat.peer,
            width: w,
            height: h,
            names: ctx.state.contacts.version,
            edits: chat.timeline.edits(),
            read_marker: chat.read_marker,
            today: self.days.of(ctx.state.now),
            first: chat.timeline.first_key(),
            newest,
            rows,
            reached_top,
        });
    }

    /// The bottom anchor that shows the selection, given the current anchor.
    fn anchor_for(&mut self, ctx: &LayoutCtx, chat: &Chat, h: usize, w: u16) -> (SortKey, u16) {
        let Some(last) = chat.timeline.last().map(|e| e.key) else {
            return (
                SortKey {
                    time: 0,
                    seq: 0,
                    arrival: 0,
                },
                0,
            );
        };
        let Some(sel) = chat.selected.filter(|k| chat.timeline.get(*k).is_some()) else {
            return (last, 0);
        };
        let (bk, skip) = match chat.scroll {
            Scroll::Anchored { key, skip } if chat.timeline.get(key).is_some() => (key, skip),
            _ => (last, 0),
        };
        if sel > bk {
            return (sel, 0);
        }
        let (rows, _) = self.collect_up(ctx, chat, bk, skip, h, w);
        let Some(sel_entry) = chat.timeline.get(sel) else {
            return (bk, skip);
        };
        let sel_h = self.block_height(ctx, chat, sel_entry, w);
        let shown = rows.iter().filter(|r| r.key == sel).count();
        drop(rows);
        if shown == sel_h || (shown == h && sel_h > h) {
            return (bk, skip);
        }
        // Put the selection's first row at the top.
        let mut total = 0usize;
        let entries = std::iter::once(sel_entry).chain(chat.timeline.after(sel));
        for e in entries {
            let bh = self.block_height(ctx, chat, e, w);
            total += bh;
            if total >= h {
                return (e.key, (total - h) as u16);
            }
        }
        (last, 0)
    }

    /// Copies row `j` of entry `k` into `buf` at (x, y) from its measured cells, measuring
    /// them first if this is the row's first frame on screen. Returns the row's stamp (0: not
    /// known) and whether it is a picture's row.
    #[allow(clippy::too_many_arguments)]
    fn put_cells(
        &mut self,
        k: (Peer, SortKey),
        lines: &[Line<'static>],
        j: usize,
        x: u16,
        y: u16,
        w: u16,
        buf: &mut Buffer,
    ) -> (u64, bool) {
        use super::picture::is_picture_row;
        let frame = self.frame;
        let Some(c) = hot_entry(&mut self.hot, &mut self.map, k) else {
            self.held.reset_row(buf, y);
            let line = lines.get(j);
            if let Some(line) = line {
                buf.set_line(x, y, line, w);
            }
            return (0, line.is_some_and(is_picture_row));
        };
        c.drawn = frame;
        if c.cells.get(j).is_none_or(Option::is_none) {
            // The row's first frame on screen: measured now (its text read only here).
            let Some(line) = lines.get(j) else {
                self.held.reset_row(buf, y);
                return (0, false);
            };
            if c.cells.len() < lines.len() {
                c.cells.resize_with(lines.len(), || None);
            }
            c.cells[j] = Some((
                next_stamp(&mut self.stamp),
                is_picture_row(line),
                measure(line, w),
            ));
        }
        match &c.cells[j] {
            Some((stamp, picture, cells)) => (
                copy_row(buf, &mut self.held, (x, y, w), cells, *stamp),
                *picture,
            ),
            None => (0, false),
        }
    }

    /// Draws a rule made this frame from its measured cells (measuring it the first time);
    /// returns its stamp.
    fn put_own(&mut self, line: &Line<'static>, x: u16, y: u16, w: u16, buf: &mut Buffer) -> u64 {
        let i = match self
            .own
            .iter()
            .position(|(ow, l, ..)| *ow == w && l == line)
        {
            Some(i) => i,
            None => {
                if self.own.len() >= 32 {
                    self.own.clear();
                }
                let stamp = next_stamp(&mut self.stamp);
                let cells = measure(line, w);
                self.own.push((w, line.clone(), stamp, cells));
                self.own.len() - 1
            }
        };
        let (_, _, stamp, cells) = &self.own[i];
        copy_row(buf, &mut self.held, (x, y, w), cells, *stamp)
    }

    /// How many of the newest rows to leave out so that blank rows stay below them (the jump
    /// scroll): 0 unless a flood of messages runs past the bottom of a pane that shares its
    /// rows with another one. `rows` are the pane's rows ending at the newest.
    fn slack(&mut self, chat: &Chat, area: Rect, rows: &[Row], following: bool) -> usize {
        let h = area.height as usize;
        let newest = rows.last().map(|r| (r.key, r.idx));
        let (Some(now), Some(newest), true, true) =
            (self.clock_ms, newest, following, rows.len() >= h)
        else {
            self.follow = None;
            return 0;
        };
        let last = self
            .follow
            .filter(|f| f.peer == chat.peer && f.area == area);
        let added = last.map(|f| {
            rows.iter()
                .rposition(|r| (r.key, r.idx) == f.newest)
                .map_or(h, |p| rows.len() - 1 - p)
        });
        let (slack, grew_at) = match (last, added) {
            (Some(f), Some(0)) if now.saturating_sub(f.grew_at) >= SETTLE_MS => (0, f.grew_at),
            (Some(f), Some(0)) => (f.slack, f.grew_at),
            (Some(f), Some(added)) if added <= f.slack => (f.slack - added, now),
            (Some(f), Some(added))
                if added < h && self.shares_rows && now.saturating_sub(f.grew_at) < FLOOD_MS =>
            {
                // Past the bottom in a flood: scroll by half a pane at once.
                let need = added - f.slack;
                (jump_rows(h).max(need) - need, now)
            }
            _ => (0, now),
        };
        let slack = slack.min(h.saturating_sub(1));
        self.follow = Some(Follow {
            peer: chat.peer,
            area,
            newest,
            slack,
            grew_at,
        });
        slack
    }

    /// When the pane, left with a jump's blank rows below its newest one, settles back onto
    /// its bottom row (the runtime's milliseconds): the next frame due without any input.
    pub fn settles_at(&self) -> Option<u64> {
        self.follow
            .filter(|f| f.slack > 0)
            .map(|f| f.grew_at.saturating_add(SETTLE_MS))
    }

    /// Drops the cells of entries no longer on screen (they are measured again if they come
    /// back), so only the window's rows are kept as cells, and puts them back with the others.
    fn forget_cells(&mut self) {
        let frame = self.frame;
        let gone = self.hot.extract_if(|_, c| c.drawn != frame);
        if self.map.len() > 20_000 {
            self.map.clear();
        }
        self.map.extend(gone.map(|(k, mut c)| {
            c.cells = Vec::new();
            (k, c)
        }));
    }

    /// Draws the open chat's timeline into `area`.
    pub fn draw(
        &mut self,
        state: &State,
        theme: &Theme,
        chat: &Chat,
        area: Rect,
        buf: &mut Buffer,
    ) -> TimelineOut {
        let ctx = LayoutCtx {
            state,
            theme,
            peer: chat.peer,
        };
        let (w, h) = (area.width, area.height as usize);
        let rows = area.height as usize;
        let mut out = TimelineOut {
            rows: Vec::with_capacity(rows),
            lines: Vec::with_capacity(rows),
            entries: Vec::with_capacity(rows),
            scroll: Scroll::Bottom,
            room: false,
            pictures: Vec::new(),
            stamps: Vec::with_capacity(rows),
        };
        if self.held.rect() != area || chat.timeline.is_empty() {
            // Held rows of another layout, or a notice to draw from scratch.
            self.held.reset(buf);
        }
        if w == 0 || h == 0 {
            return out;
        }
        if chat.timeline.is_empty() {
            // Nothing loads without a connection: say why, not 正在加载消息… for ever.
            if chat.history == HistoryState::NotLoaded
                && let Some(notice) = super::connection::notice(state)
            {
                let rows = super::connection::wrapped(&notice, w.saturating_sub(2).max(1));
                super::connection::draw_rows(&rows, area, None, theme.system, buf);
                return out;
            }
            let msg = match chat.history {
                HistoryState::Loading | HistoryState::NotLoaded => "正在加载消息…".to_string(),
                HistoryState::Failed => format!("加载失败 — 按 {} 重试", retry_key(state)),
                _ => "还没有消息，说点什么吧".to_string(),
            };
            let y = area.y + area.height / 2;
            let x = area.x + (w.saturating_sub(width(&msg) as u16)) / 2;
            buf.set_string(x, y, &msg, theme.system);
            return out;
        }
        let (bk, skip) = self.anchor_for(&ctx, chat, h, w);
        let (mut rows, reached_top) = self.walk_up(&ctx, chat, (bk, skip), h, w);
        let mut keep = skip == 0 && chat.timeline.last_key() == Some(bk);
        out.room = reached_top && rows.len() < h;
        if out.room {
            let label = match chat.history {
                HistoryState::Loading => Some("正在加载更早的消息…".to_string()),
                HistoryState::Exhausted => Some("没有更早的消息了".to_string()),
                HistoryState::Failed => {
                    Some(format!("加载更早的消息失败 — 按 {} 重试", retry_key(state)))
                }
                _ => None,
            };
            if let Some(l) = label {
                // Not a row of the walk: the next frame walks again.
                keep = false;
                let key = rows.first().map(|r| r.key).unwrap_or(bk);
                rows.insert(
                    0,
                    Row {
                        src: Src::Own(rule(&l, w, theme.system)),
                        key,
                        idx: u16::MAX,
                    },
                );
            }
        }
        let slack = self.slack(chat, area, &rows, chat.selected.is_none());
        // The oldest rows make room for the blank ones below (kept in the walk all the same).
        let shown = rows.get(slack..).unwrap_or_default();
        let top_pad = h.saturating_sub(shown.len() + slack);
        for y in (0..top_pad).chain(h - slack..h) {
            let y = area.y + y as u16;
            if self.held.at(y) == BLANK_ROW {
                self.held.keep_row(y);
            } else {
                self.held.reset_row(buf, y);
            }
            out.stamps.push((y, BLANK_ROW));
        }
        self.frame += 1;
        for (i, r) in shown.iter().enumerate() {
            let y = area.y + (top_pad + i) as u16;
            let (mut stamp, picture) = match &r.src {
                Src::Own(line) => (self.put_own(line, area.x, y, w, buf), false),
                Src::Cached(lines, j) => {
                    self.put_cells((chat.peer, r.key), lines, *j, area.x, y, w, buf)
                }
            };
            if chat.selected == Some(r.key) && r.idx != u16::MAX {
                stamp = 0;
                // A picture's row keeps its colours: only its margin shows the selection.
                let sw = if picture {
                    w - super::message::text_width(w)
                } else {
                    w
                };
                buf.set_style(Rect::new(area.x, y, sw, 1), theme.selection);
            }
            if let (Src::Cached(lines, j), true) = (&r.src, picture) {
                stamp = 0;
                picture_at(
                    &ctx,
                    chat,
                    r.key,
                    lines,
                    *j,
                    area.x,
                    y,
                    w,
                    &mut out.pictures,
                );
            }
            out.rows.push((y, r.key));
            out.lines.push((y, r.key, r.idx));
            out.stamps.push((y, stamp));
            if out.entries.last() != Some(&r.key) {
                out.entries.push(r.key);
            }
        }
        if let Some(label) = unread_banner(state, chat, out.entries.first().copied()) {
            let lw = width(&label) as u16;
            if lw < w {
                buf.set_string(area.x + w - lw, area.y, &label, theme.new_marker);
                unstamp(&mut out.stamps, area.y);
            }
        }
        if chat.new_below > 0 {
            let label = format!(" {} 条新消息 ↓ ", chat.new_below);
            let lw = width(&label) as u16;
            if lw < w {
                buf.set_string(
                    area.x + w - lw,
                    area.y + area.height - 1,
                    &label,
                    theme.new_marker,
                );
                unstamp(&mut out.stamps, area.y + area.height - 1);
            }
        }
        if keep {
            let walked = Walked {
                rows,
                reached_top,
                newest: bk,
            };
            self.keep_walk(&ctx, chat, (w, h), walked);
        }
        self.forget_cells();
        // Held rows this frame did not draw over (none today: every row is a row or blank).
        self.held.reset(buf);
        out.scroll = if chat.selected.is_some() {
            Scroll::Anchored { key: bk, skip }
        } else {
            Scroll::Bottom
        };
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::app::call::GetMsg;
    use crate::app::call::reply::Reply;
    use crate::app::chat::{Delivery, EntryKind, MessageItem};
    use crate::app::keymap::Keymap;
    use crate::app::msg::Msg;
    use crate::app::state::{Quote, Settings};
    use crate::app::update::update;
    use crate::onebot::{MessageChain, MessageEvent};

    const GROUP: Peer = Peer::Group(30001);

    fn state() -> State {
        let mut s = State::new(Settings::default(), Keymap::default_map());
        s.self_id = 10001;
        s.now = 1_795_000_100;
        s.chat_mut(GROUP).timeline.insert(
            SortKey {
                time: 1_795_000_000,
                seq: 0,
                arrival: 1,
            },
            EntryKind::Message(MessageItem {
                id: Some(10),
                local_id: None,
                sender_id: 20003,
                sender_name: "Alice".into(),
                role: None,
                own: false,
                chain: MessageChain::new().reply(999).text("同意"),
                delivery: Delivery::Sent,
                recalled_by: None,
                reactions: vec![],
                essence: false,
                bad_time: None,
            }),
        );
        s.open = Some(GROUP);
        s
    }

    fn screen(cache: &mut TimelineCache, s: &State) -> String {
        let area = Rect::new(0, 0, 60, 6);
        let mut buf = Buffer::empty(area);
        cache.draw(s, &Theme::default(), &s.chats[&GROUP], area, &mut buf);
        crate::ui::buffer_lines(&buf).join("\n")
    }

    #[test]
    fn a_quote_arriving_redraws_the_reply() {
        let mut s = state();
        let mut cache = TimelineCache::default();
        assert!(screen(&mut cache, &s).contains("正在获取原消息"));
        let quoted: MessageEvent = serde_json::from_value(json!({
            "message_type": "group", "group_id": 30001, "user_id": 20002, "message_id": 999,
            "sender": {"user_id": 20002, "nickname": "小明"},
            "message": [{"type": "text", "data": {"text": "周末爬山？"}}],
        }))
        .expect("event");
        update(
            &mut s,
            Msg::Reply(Reply::GetMsg(
                GetMsg {
                    peer: GROUP,
                    id: 999,
                },
                Ok(Box::new(quoted)),
            )),
        );
        let after = screen(&mut cache, &s);
        assert!(after.contains("小明: 周末爬山？"), "{after}");
        assert!(!after.contains("正在获取原消息"), "{after}");
    }

    fn said(id: i64, text: &str) -> EntryKind {
        EntryKind::Message(MessageItem {
            id: Some(id),
            local_id: None,
            sender_id: 20000 + id % 3,
            sender_name: format!("成员{}", id % 3),
            role: None,
            own: id % 5 == 0,
            chain: MessageChain::new().text(text),
            delivery: Delivery::Sent,
            recalled_by: None,
            reactions: vec![],
            essence: false,
            bad_time: None,
        })
    }

    /// What changes a timeline between two frames, for the walk test.
    #[derive(Debug, Clone)]
    enum Change {
        /// A message after the newest, `n` lines long.
        Append(usize),
        /// A message older than the newest (history, or a late one).
        Older(usize),
        Recall(usize),
        Remove(usize),
        Names,
        Marker(usize),
        NextDay,
        Width(u16),
        Height(u16),
    }

    fn change() -> impl proptest::strategy::Strategy<Value = Change> {
        use proptest::prelude::*;
        prop_oneof![
            6 => (1usize..4).prop_map(Change::Append),
            1 => (1usize..4).prop_map(Change::Older),
            1 => any::<usize>().prop_map(Change::Recall),
            1 => any::<usize>().prop_map(Change::Remove),
            1 => Just(Change::Names),
            1 => any::<usize>().prop_map(Change::Marker),
            1 => Just(Change::NextDay),
            1 => (20u16..70).prop_map(Change::Width),
            1 => (3u16..45).prop_map(Change::Height),
        ]
    }

    fn apply(s: &mut State, c: &Change, next: &mut i64, area: &mut Rect) {
        let keys: Vec<SortKey> = s.chats[&GROUP].timeline.iter().map(|e| e.key).collect();
        let pick = |i: usize| (!keys.is_empty()).then(|| keys[i % keys.len()]);
        let text = |n: usize| vec!["第一行"; n].join("\n");
        *next += 1;
        let id = *next;
        let chat = s.chat_mut(GROUP);
        match c {
            Change::Append(n) | Change::Older(n) => {
                let time = match c {
                    Change::Append(_) => chat.timeline.last_key().map(|k| k.time + 7),
                    _ => chat.timeline.first_key().map(|k| k.time - 3),
                };
                let key = SortKey {
                    time: time.unwrap_or(1_795_000_000),
                    seq: 0,
                    arrival: id as u64,
                };
                chat.timeline.insert(key, said(id, &text(*n)));
            }
            Change::Recall(i) => {
                if let Some(k) = pick(*i) {
                    chat.timeline
                        .update_message(k, |m| m.recalled_by = Some(20001));
                }
            }
            Change::Remove(i) => {
                if let Some(k) = pick(*i) {
                    chat.timeline.remove(k);
                }
            }
            Change::Marker(i) => chat.read_marker = pick(*i),
            Change::Names => s.contacts.touch(),
            Change::NextDay => s.now += 86_400,
            Change::Width(w) => area.width = *w,
            Change::Height(h) => area.height = *h,
        }
    }

    /// The property tests' chat, its pane and the next message id: a timeline small enough
    /// that appends push the oldest entries out too.
    fn small_chat() -> (State, Rect, i64) {
        let mut s = state();
        s.chat_mut(GROUP).timeline = crate::app::chat::Timeline::new(16);
        (s, Rect::new(0, 0, 40, 8), 100)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// A frame that takes the last frame's walk draws what a first frame draws.
        #[test]
        fn a_kept_walk_draws_what_a_fresh_one_does(
            changes in proptest::collection::vec(change(), 1..60)
        ) {
            let (mut s, mut area, mut next) = small_chat();
            let mut kept = TimelineCache::default();
            let draw = |cache: &mut TimelineCache, s: &State, area: Rect| {
                let mut buf = Buffer::empty(area);
                let out = cache.draw(s, &Theme::default(), &s.chats[&GROUP], area, &mut buf);
                // The rows' places too: the screen matches rows across frames by them.
                (crate::ui::buffer_lines(&buf).join("\n"), out.lines, out.entries, out.room)
            };
            for c in &changes {
                apply(&mut s, c, &mut next, &mut area);
                let ours = draw(&mut kept, &s, area);
                let fresh = draw(&mut TimelineCache::default(), &s, area);
                proptest::prop_assert_eq!(ours, fresh, "after {:?}", c);
            }
        }
    }

    /// A frame drawn on the last one's buffer as the screen keeps it: the rows it stamped held,
    /// the others reset (`stamps`, by row, say what the buffer holds, and are updated).
    fn held_frame(
        cache: &mut TimelineCache,
        buf: &mut Buffer,
        stamps: &mut Vec<u64>,
        s: &State,
        area: Rect,
    ) {
        if buf.area != area {
            *buf = Buffer::empty(area);
            stamps.clear();
        }
        stamps.resize(area.height as usize, 0);
        for (y, st) in stamps.iter().enumerate() {
            if *st == 0 {
                crate::ui::held::reset_cells(buf, area, y as u16);
            }
        }
        cache.held.set(area, stamps);
        let out = cache.draw(s, &Theme::default(), &s.chats[&GROUP], area, buf);
        stamps.fill(0);
        for (y, st) in &out.stamps {
            stamps[*y as usize] = *st;
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Drawn on the last frame's buffer (its rows held by their stamps, as the screen holds
        /// them), a frame shows what a first one does: scrolls, recalls, resizes included.
        #[test]
        fn a_held_buffer_draws_what_a_fresh_one_does(
            changes in proptest::collection::vec(change(), 1..60)
        ) {
            let (mut s, mut area, mut next) = small_chat();
            let mut kept = TimelineCache::default();
            let mut buf = Buffer::empty(area);
            let mut stamps: Vec<u64> = Vec::new();
            for c in &changes {
                apply(&mut s, c, &mut next, &mut area);
                held_frame(&mut kept, &mut buf, &mut stamps, &s, area);
                let mut fresh = Buffer::empty(area);
                TimelineCache::default().draw(&s, &Theme::default(), &s.chats[&GROUP], area, &mut fresh);
                proptest::prop_assert_eq!(
                    crate::ui::buffer_lines(&buf),
                    crate::ui::buffer_lines(&fresh),
                    "after {:?}",
                    c
                );
            }
        }
    }

    #[test]
    fn a_chat_followed_at_its_bottom_lays_out_only_what_arrives() {
        let mut s = state();
        let mut cache = TimelineCache::default();
        let mut area = Rect::new(0, 0, 40, 6);
        let mut next = 100;
        let mut frame = |s: &mut State, cache: &mut TimelineCache, c: Change, area: &mut Rect| {
            apply(s, &c, &mut next, area);
            let mut buf = Buffer::empty(*area);
            cache.draw(s, &Theme::default(), &s.chats[&GROUP], *area, &mut buf);
            cache.walks_kept
        };
        assert_eq!(frame(&mut s, &mut cache, Change::Append(1), &mut area), 0);
        assert_eq!(frame(&mut s, &mut cache, Change::Append(2), &mut area), 1);
        assert_eq!(frame(&mut s, &mut cache, Change::Append(1), &mut area), 2);
        // Anything else walks the window again.
        assert_eq!(frame(&mut s, &mut cache, Change::Recall(0), &mut area), 2);
        assert_eq!(frame(&mut s, &mut cache, Change::Append(1), &mut area), 3);
        assert_eq!(frame(&mut s, &mut cache, Change::Older(1), &mut area), 3);
        assert_eq!(frame(&mut s, &mut cache, Change::Names, &mut area), 3);
        assert_eq!(frame(&mut s, &mut cache, Change::Width(30), &mut area), 3);
        assert_eq!(frame(&mut s, &mut cache, Change::Append(1), &mut area), 4);
    }

    #[test]
    fn rows_come_from_the_cache_until_a_version_changes() {
        let mut s = state();
        let mut cache = TimelineCache::default();
        let before = screen(&mut cache, &s);
        // Written behind the app's back (no version bump): the cached rows stay, which shows
        // the cache compares versions only.
        s.quotes.insert(
            999,
            Quote::Found {
                author: "小明".into(),
                excerpt: "周末爬山？".into(),
                time: 0,
            },
        );
        assert_eq!(screen(&mut cache, &s), before);
        // A names change is one of those versions.
        s.contacts.touch();
        assert!(screen(&mut cache, &s).contains("小明: 周末爬山？"));
    }
}
