//! Terminal graphics: which protocol the terminal speaks (asked once at start, bounded), and
//! the bytes of each protocol — kitty graphics (transmit once per picture and size, then place
//! by id), sixel, iTerm2's inline images — and tmux's passthrough around them.
//!
//! Everything here is pure over bytes except [`ask`], which writes the query to the terminal
//! and reads its answer until a deadline.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use image::RgbaImage;

use crate::config::ImageProtocol;

/// How pictures reach the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Graphics {
    /// `▀`/`▄` cells with colours (works everywhere, the default).
    Halfblocks,
    /// kitty's graphics protocol; `tmux`: wrapped in tmux's passthrough.
    Kitty { tmux: bool },
    /// DEC sixel.
    Sixel,
    /// iTerm2's inline images (`OSC 1337 ; File=`); `tmux`: wrapped in passthrough.
    Iterm2 { tmux: bool },
}

impl Graphics {
    /// The name shown to the user.
    pub fn name(self) -> &'static str {
        match self {
            Graphics::Halfblocks => "halfblocks",
            Graphics::Kitty { tmux: false } => "kitty",
            Graphics::Kitty { tmux: true } => "kitty (tmux passthrough)",
            Graphics::Sixel => "sixel",
            Graphics::Iterm2 { tmux: false } => "iterm2",
            Graphics::Iterm2 { tmux: true } => "iterm2 (tmux passthrough)",
        }
    }
}

/// What the environment says about the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    pub term: String,
    pub term_program: String,
    pub kitty_window_id: bool,
    pub tmux: bool,
}

impl Env {
    /// Read from the process environment.
    pub fn current() -> Env {
        let var = |k: &str| std::env::var(k).unwrap_or_default();
        Env {
            term: var("TERM"),
            term_program: var("TERM_PROGRAM"),
            kitty_window_id: std::env::var_os("KITTY_WINDOW_ID").is_some(),
            tmux: std::env::var_os("TMUX").is_some_and(|v| !v.is_empty()),
        }
    }
}

/// The choice before asking the terminal: decided, or worth a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Decided(Graphics),
    Ask,
}

/// The protocol from the configuration and the environment: a configured protocol wins; inside
/// tmux half blocks (tmux answers the query itself and drops graphics it was not told to pass
/// through); then the terminals known by their variables; else the terminal is asked.
pub fn from_env(configured: ImageProtocol, env: &Env) -> Choice {
    let tmux = env.tmux;
    match configured {
        ImageProtocol::Halfblocks => return Choice::Decided(Graphics::Halfblocks),
        ImageProtocol::Kitty => return Choice::Decided(Graphics::Kitty { tmux }),
        ImageProtocol::Sixel => return Choice::Decided(Graphics::Sixel),
        ImageProtocol::Iterm2 => return Choice::Decided(Graphics::Iterm2 { tmux }),
        ImageProtocol::Auto => {}
    }
    if tmux {
        return Choice::Decided(Graphics::Halfblocks);
    }
    let term = env.term.as_str();
    let program = env.term_program.as_str();
    if env.kitty_window_id || term == "xterm-kitty" || term == "xterm-ghostty" {
        return Choice::Decided(Graphics::Kitty { tmux: false });
    }
    if program == "WezTerm" || program == "iTerm.app" {
        return Choice::Decided(Graphics::Iterm2 { tmux: false });
    }
    if term == "foot" || term.starts_with("foot-") {
        return Choice::Decided(Graphics::Sixel);
    }
    Choice::Ask
}

/// The query: kitty's graphics query (id 31, one 1×1 RGB pixel, answered only by terminals
/// that speak it), then DA1, which every terminal answers — its answer ends the wait.
pub const QUERY: &[u8] = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[c";

/// How long the query may take at most (the first screen waits for it).
pub const QUERY_BOUND: Duration = Duration::from_millis(150);

/// The DA1 answer's parameters (`ESC [ ? 62 ; 4 ; 22 c` → [62, 4, 22]) if `reply` holds it whole.
fn da1(reply: &[u8]) -> Option<Vec<u32>> {
    let start = reply.windows(3).position(|w| w == b"\x1b[?")? + 3;
    let rest = &reply[start..];
    let end = rest.iter().position(|&b| b == b'c')?;
    let params = std::str::from_utf8(&rest[..end]).ok()?;
    Some(params.split(';').filter_map(|p| p.parse().ok()).collect())
}

/// Whether `reply` is complete (the DA1 answer is in).
pub fn answered(reply: &[u8]) -> bool {
    da1(reply).is_some()
}

/// The protocol a terminal's answer to [`QUERY`] says: kitty when it answered the graphics
/// query OK, sixel when DA1 lists attribute 4, else half blocks (no answer at all too).
pub fn from_reply(reply: &[u8]) -> Graphics {
    let kitty = reply
        .windows(b"\x1b_Gi=31;OK".len())
        .any(|w| w == b"\x1b_Gi=31;OK");
    if kitty {
        return Graphics::Kitty { tmux: false };
    }
    match da1(reply) {
        Some(p) if p.iter().skip(1).any(|&a| a == 4) => Graphics::Sixel,
        _ => Graphics::Halfblocks,
    }
}

/// Writes [`QUERY`] to `out` and reads `input` (a raw-mode terminal) until the answer is whole
/// or `bound` has passed; what came back. Bytes after the answer are not read.
#[cfg(unix)]
pub fn ask(
    input: std::os::fd::BorrowedFd<'_>,
    out: &mut impl Write,
    bound: Duration,
) -> std::io::Result<Vec<u8>> {
    use std::os::fd::AsRawFd;
    out.write_all(QUERY)?;
    out.flush()?;
    let deadline = Instant::now() + bound;
    let fd = input.as_raw_fd();
    let mut reply = Vec::new();
    while !answered(&reply) && reply.len() < 4096 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = left.as_millis().clamp(1, 1000) as libc::c_int;
        // SAFETY: one valid pollfd, its count given.
        let n = unsafe { libc::poll(&mut p, 1, ms) };
        if n <= 0 {
            if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            break;
        }
        let mut buf = [0u8; 256];
        // SAFETY: reading into a buffer of the length given.
        let r = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if r <= 0 {
            break;
        }
        reply.extend_from_slice(&buf[..r as usize]);
    }
    Ok(reply)
}

/// The protocol for this terminal: [`from_env`], then (when it says to ask) [`ask`] on stdin
/// and stdout within [`QUERY_BOUND`].
#[cfg(unix)]
pub fn detect(configured: ImageProtocol) -> Graphics {
    use std::os::fd::AsFd;
    match from_env(configured, &Env::current()) {
        Choice::Decided(g) => g,
        Choice::Ask => {
            let stdin = std::io::stdin();
            match ask(stdin.as_fd(), &mut std::io::stdout(), QUERY_BOUND) {
                Ok(reply) => from_reply(&reply),
                Err(_) => Graphics::Halfblocks,
            }
        }
    }
}

/// Elsewhere: the configuration and the environment only.
#[cfg(not(unix))]
pub fn detect(configured: ImageProtocol) -> Graphics {
    match from_env(configured, &Env::current()) {
        Choice::Decided(g) => g,
        Choice::Ask => Graphics::Halfblocks,
    }
}

/// `payload` wrapped in tmux's passthrough (`ESC P tmux ; … ESC \`, its ESCs doubled), which
/// tmux hands to the outer terminal when `allow-passthrough` is on.
pub fn tmux_wrap(payload: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(b"\x1bPtmux;");
    for &b in payload {
        if b == 0x1b {
            out.push(0x1b);
        }
        out.push(b);
    }
    out.extend_from_slice(b"\x1b\\");
}

fn png(img: &RgbaImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    // Encoding an in-memory RGBA buffer as PNG does not fail.
    let _ = img.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

/// `img` resized to `w`×`h` pixels.
pub fn scaled(img: &RgbaImage, w: u32, h: u32) -> RgbaImage {
    image::imageops::resize(
        img,
        w.max(1),
        h.max(1),
        image::imageops::FilterType::Triangle,
    )
}

/// kitty: what is transmitted of `img` (its PNG in base64).
pub fn kitty_data(img: &RgbaImage) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .encode(png(img))
        .into_bytes()
}

/// kitty: transmit `data` ([`kitty_data`]) under `id` (chunks of 4096 bytes, quiet), not shown.
pub fn kitty_transmit(id: u32, data: &[u8]) -> Vec<u8> {
    let chunks: Vec<&[u8]> = data.chunks(4096).collect();
    let mut out = Vec::with_capacity(data.len() + chunks.len() * 32);
    for (n, c) in chunks.iter().enumerate() {
        let more = u8::from(n + 1 < chunks.len());
        if n == 0 {
            let _ = write!(out, "\x1b_Ga=t,f=100,i={id},q=2,m={more};");
        } else {
            let _ = write!(out, "\x1b_Gm={more};");
        }
        out.extend_from_slice(c);
        out.extend_from_slice(b"\x1b\\");
    }
    out
}

pub use crate::ui::picture::Place;

/// kitty: place the transmitted image `id` at `p` (cursor kept), as placement 1 (placing again
/// moves it), showing only its visible rows; `px_h`: the transmitted image's height in pixels.
pub fn kitty_place(id: u32, px: (u32, u32), p: Place) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    let visible = p.rows.saturating_sub(p.cut_top + p.cut_bottom);
    let _ = write!(out, "\x1b[{};{}H", p.y + 1, p.x + 1);
    let _ = write!(out, "\x1b_Ga=p,i={id},p=1,c={},r={visible},C=1,q=2", p.cols);
    if p.cut_top > 0 || p.cut_bottom > 0 {
        let row = px.1 / u32::from(p.rows.max(1));
        let y = row * u32::from(p.cut_top);
        let h = row * u32::from(visible);
        let _ = write!(out, ",x=0,y={y},w={},h={h}", px.0);
    }
    out.extend_from_slice(b"\x1b\\");
    out
}

/// kitty: take image `id`'s placements off the screen (its data stays for placing again).
pub fn kitty_unplace(id: u32) -> Vec<u8> {
    format!("\x1b_Ga=d,d=i,i={id},q=2\x1b\\").into_bytes()
}

/// kitty: forget image `id` and its data.
pub fn kitty_delete(id: u32) -> Vec<u8> {
    format!("\x1b_Ga=d,d=I,i={id},q=2\x1b\\").into_bytes()
}

/// What the kitty terminal holds: the images transmitted (by picture and size) and where each
/// is placed. Each frame says where pictures are; only what changed is sent — a picture is
/// transmitted once per size, then placed by id; one that left the screen is taken off.
#[derive(Default)]
pub struct KittyScreen<K: std::hash::Hash + Eq + Clone> {
    ids: HashMap<K, u32>,
    sent: HashSet<u32>,
    placed: HashMap<u32, Place>,
    /// The pixel size each transmitted image had.
    px: HashMap<u32, (u32, u32)>,
    next: u32,
    /// Wrap every sequence in tmux's passthrough.
    pub tmux: bool,
}

impl<K: std::hash::Hash + Eq + Clone> KittyScreen<K> {
    pub fn new(tmux: bool) -> Self {
        KittyScreen {
            ids: HashMap::new(),
            sent: HashSet::new(),
            placed: HashMap::new(),
            px: HashMap::new(),
            next: 0,
            tmux,
        }
    }

    fn emit(&self, seq: &[u8], out: &mut Vec<u8>) {
        if self.tmux {
            tmux_wrap(seq, out);
        } else {
            out.extend_from_slice(seq);
        }
    }

    /// The id of `key` (a picture at one size), made on first sight.
    pub fn id(&mut self, key: &K) -> u32 {
        if let Some(id) = self.ids.get(key) {
            return *id;
        }
        // Ids start high so they do not meet a query's (31) or another program's small ones.
        self.next += 1;
        let id = 0x4e00_0000 + self.next;
        self.ids.insert(key.clone(), id);
        id
    }

    /// After the screen was cleared: every placement is gone, the images' data stays.
    pub fn cleared(&mut self) {
        self.placed.clear();
    }

    /// One frame: `shown` are the pictures on screen (key, where); `payload(key)` gives a
    /// picture's pixel size and [`kitty_data`] when it must be transmitted. Appends what the
    /// terminal needs to `out`.
    pub fn frame<P: std::ops::Deref<Target = Payload>>(
        &mut self,
        shown: &[(K, Place)],
        mut payload: impl FnMut(&K) -> Option<P>,
        out: &mut Vec<u8>,
    ) {
        let mut now = HashSet::with_capacity(shown.len());
        for (key, place) in shown {
            let id = self.id(key);
            if !self.sent.contains(&id) {
                let Some(p) = payload(key) else { continue };
                let seq = kitty_transmit(id, &p.data);
                self.emit(&seq, out);
                self.sent.insert(id);
                self.px.insert(id, p.px);
            }
            now.insert(id);
            if self.placed.get(&id) != Some(place) {
                let px = self.px.get(&id).copied().unwrap_or((1, 1));
                let seq = kitty_place(id, px, *place);
                self.emit(&seq, out);
                self.placed.insert(id, *place);
            }
        }
        let gone: Vec<u32> = self
            .placed
            .keys()
            .filter(|id| !now.contains(id))
            .copied()
            .collect();
        for id in gone {
            self.placed.remove(&id);
            let seq = kitty_unplace(id);
            self.emit(&seq, out);
        }
    }
}

/// A picture at one size, encoded for the terminal off the loop thread: its pixel size and
/// its bytes ([`kitty_data`] for kitty; the whole sequence for sixel and iTerm2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    pub px: (u32, u32),
    pub data: Vec<u8>,
}

impl Payload {
    pub fn kitty(img: &RgbaImage) -> Payload {
        Payload {
            px: (img.width(), img.height()),
            data: kitty_data(img),
        }
    }

    /// `img` drawn over `cells` (columns, rows) with `g`, cells `cell_px` pixels large; None
    /// for half blocks.
    pub fn encode(
        g: Graphics,
        img: &RgbaImage,
        cells: (u16, u16),
        cell_px: (u32, u32),
    ) -> Option<Payload> {
        let w = u32::from(cells.0).saturating_mul(cell_px.0).clamp(1, 4096);
        let h = u32::from(cells.1).saturating_mul(cell_px.1).clamp(1, 4096);
        let data = match g {
            Graphics::Halfblocks => return None,
            Graphics::Kitty { .. } => kitty_data(&scaled(img, w, h)),
            Graphics::Sixel => sixel(&scaled(img, w, h)),
            Graphics::Iterm2 { tmux } => {
                let seq = iterm2(&scaled(img, w, h), cells.0, cells.1);
                if tmux {
                    let mut out = Vec::with_capacity(seq.len() + 16);
                    tmux_wrap(&seq, &mut out);
                    out
                } else {
                    seq
                }
            }
        };
        Some(Payload { px: (w, h), data })
    }
}

/// Payloads kept for the screen, by picture and size; the oldest go first past [`PAYLOADS`].
pub const PAYLOADS: usize = 64;

/// Encoded payloads shared between the picture service (which fills it) and the screen.
pub struct Payloads<K> {
    map: HashMap<K, Arc<Payload>>,
    order: VecDeque<K>,
}

impl<K: std::hash::Hash + Eq + Clone> Default for Payloads<K> {
    fn default() -> Self {
        Payloads {
            map: HashMap::new(),
            order: VecDeque::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone> Payloads<K> {
    pub fn get(&self, k: &K) -> Option<Arc<Payload>> {
        self.map.get(k).cloned()
    }

    pub fn put(&mut self, k: K, p: Payload) {
        if self.map.insert(k.clone(), Arc::new(p)).is_none() {
            self.order.push_back(k);
        }
        while self.order.len() > PAYLOADS {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
    }
}

/// A shared [`Payloads`].
pub type SharedPayloads<K> = Arc<Mutex<Payloads<K>>>;

/// What a frame shows of one picture: its key (picture and size) and where.
pub type Shown<K> = (K, Place);

/// A picture chosen to be drawn this frame, with its payload.
pub type Chosen<K> = (Shown<K>, Arc<Payload>);

/// The graphics side of the screen: the frame's pictures become graphics sequences, written
/// after the cell diff. The cells under a drawn picture are blanked in the frame so the diff
/// leaves the picture alone; sixel and iTerm2 pictures are drawn only whole (one partly
/// scrolled out keeps its half blocks), kitty's are cut to their visible rows.
pub struct Layer<K: std::hash::Hash + Eq + Clone> {
    pub graphics: Graphics,
    pub payloads: SharedPayloads<K>,
    kitty: KittyScreen<K>,
    /// Sixel and iTerm2: what is drawn where.
    drawn: HashMap<K, Place>,
}

impl<K: std::hash::Hash + Eq + Clone> Layer<K> {
    pub fn new(graphics: Graphics, payloads: SharedPayloads<K>) -> Self {
        let tmux = matches!(graphics, Graphics::Kitty { tmux: true });
        Layer {
            graphics,
            payloads,
            kitty: KittyScreen::new(tmux),
            drawn: HashMap::new(),
        }
    }

    /// Which of `wanted` are drawn as graphics this frame (their payload is in; sixel and
    /// iTerm2 only whole pictures).
    pub fn chosen(&self, wanted: &[Shown<K>]) -> Vec<Chosen<K>> {
        let Ok(p) = self.payloads.lock() else {
            return Vec::new();
        };
        let whole = matches!(self.graphics, Graphics::Sixel | Graphics::Iterm2 { .. });
        wanted
            .iter()
            .filter(|(_, pl)| !whole || (pl.cut_top == 0 && pl.cut_bottom == 0))
            .filter_map(|s| p.get(&s.0).map(|pay| (s.clone(), pay)))
            .collect()
    }

    /// Sixel/iTerm2 pictures drawn last frame that are not at the same place now: their
    /// cells must be repainted (the pixels stay until text is written over them).
    pub fn stale(&self, now: &[Chosen<K>]) -> Vec<Place> {
        self.drawn
            .iter()
            .filter(|(k, p)| !now.iter().any(|((nk, np), _)| nk == *k && np == *p))
            .map(|(_, p)| *p)
            .collect()
    }

    /// Whether a scroll shortcut would move drawn pixels the layer does not track.
    pub fn blocks_scroll(&self) -> bool {
        !self.drawn.is_empty()
    }

    /// The screen was cleared: nothing is drawn any more.
    pub fn cleared(&mut self, out: &mut Vec<u8>) {
        if matches!(self.graphics, Graphics::Kitty { .. }) {
            self.kitty.emit(b"\x1b_Ga=d,d=a,q=2\x1b\\", out);
        }
        self.kitty.cleared();
        self.drawn.clear();
    }

    /// The sequences for this frame's pictures (after the diff).
    pub fn frame(&mut self, now: &[Chosen<K>], out: &mut Vec<u8>) {
        match self.graphics {
            Graphics::Halfblocks => {}
            Graphics::Kitty { .. } => {
                let shown: Vec<Shown<K>> = now.iter().map(|(s, _)| s.clone()).collect();
                let find = |k: &K| {
                    now.iter()
                        .find(|((nk, _), _)| nk == k)
                        .map(|(_, p)| p.clone())
                };
                self.kitty.frame(&shown, find, out);
            }
            Graphics::Sixel | Graphics::Iterm2 { .. } => {
                let mut drawn = HashMap::with_capacity(now.len());
                for ((k, place), pay) in now {
                    if self.drawn.get(k) != Some(place) {
                        let _ = write!(out, "\x1b[{};{}H", place.y + 1, place.x + 1);
                        out.extend_from_slice(&pay.data);
                    }
                    drawn.insert(k.clone(), *place);
                }
                self.drawn = drawn;
            }
        }
    }
}

/// iTerm2: `img` as an inline PNG at the cursor, stretched over `cols`×`rows` cells (its aspect
/// was kept when its cell box was chosen), the cursor kept where it was.
pub fn iterm2(img: &RgbaImage, cols: u16, rows: u16) -> Vec<u8> {
    let data = png(img);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&data);
    let mut out = Vec::with_capacity(b64.len() + 96);
    let _ = write!(
        out,
        "\x1b]1337;File=inline=1;size={};width={cols};height={rows};preserveAspectRatio=0;doNotMoveCursor=1:",
        data.len()
    );
    out.extend_from_slice(b64.as_bytes());
    out.push(0x07);
    out
}

/// The 6×6×6 colour cube's index of a colour.
fn cube(r: u8, g: u8, b: u8) -> usize {
    let q = |c: u8| (usize::from(c) * 5 + 127) / 255;
    q(r) * 36 + q(g) * 6 + q(b)
}

/// Sixel: `img` as a DCS sixel image (6×6×6 colour cube, run-length coded, transparent pixels
/// left as they are), `ESC P 0;1;0 q` … `ESC \`.
pub fn sixel(img: &RgbaImage) -> Vec<u8> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut out = Vec::with_capacity(w * h / 2 + 4096);
    out.extend_from_slice(b"\x1bP0;1;0q");
    let _ = write!(out, "\"1;1;{w};{h}");
    let index: Vec<Option<usize>> = img
        .pixels()
        .map(|p| (p[3] >= 128).then(|| cube(p[0], p[1], p[2])))
        .collect();
    let mut used = [false; 216];
    for i in index.iter().flatten() {
        used[*i] = true;
    }
    for (i, _) in used.iter().enumerate().filter(|(_, u)| **u) {
        let c = |v: usize| v * 100 / 5;
        let _ = write!(out, "#{i};2;{};{};{}", c(i / 36), c(i / 6 % 6), c(i % 6));
    }
    let mut row = vec![0u8; w];
    for band in 0..h.div_ceil(6) {
        let mut first = true;
        for colour in (0..216).filter(|c| used[*c]) {
            let mut any = false;
            for (x, bits) in row.iter_mut().enumerate() {
                *bits = 0;
                for dy in 0..6 {
                    let y = band * 6 + dy;
                    if y < h && index[y * w + x] == Some(colour) {
                        *bits |= 1 << dy;
                        any = true;
                    }
                }
            }
            if !any {
                continue;
            }
            if !first {
                out.push(b'$');
            }
            first = false;
            let _ = write!(out, "#{colour}");
            let mut x = 0;
            while x < w {
                let b = row[x];
                let mut n = 1;
                while x + n < w && row[x + n] == b {
                    n += 1;
                }
                let ch = 63 + b;
                if n > 3 {
                    let _ = write!(out, "!{n}");
                    out.push(ch);
                } else {
                    out.extend(std::iter::repeat_n(ch, n));
                }
                x += n;
            }
        }
        out.push(b'-');
    }
    out.extend_from_slice(b"\x1b\\");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(term: &str, program: &str, kitty: bool, tmux: bool) -> Env {
        Env {
            term: term.into(),
            term_program: program.into(),
            kitty_window_id: kitty,
            tmux,
        }
    }

    fn count(hay: &[u8], needle: &[u8]) -> usize {
        hay.windows(needle.len()).filter(|w| *w == needle).count()
    }

    #[test]
    fn the_environment_decides_known_terminals_and_tmux() {
        let auto = ImageProtocol::Auto;
        let kitty = Choice::Decided(Graphics::Kitty { tmux: false });
        assert_eq!(from_env(auto, &env("xterm-kitty", "", false, false)), kitty);
        assert_eq!(
            from_env(auto, &env("xterm-256color", "", true, false)),
            kitty
        );
        let iterm = Choice::Decided(Graphics::Iterm2 { tmux: false });
        assert_eq!(
            from_env(auto, &env("xterm", "WezTerm", false, false)),
            iterm
        );
        assert_eq!(
            from_env(auto, &env("xterm", "iTerm.app", false, false)),
            iterm
        );
        assert_eq!(
            from_env(auto, &env("foot", "", false, false)),
            Choice::Decided(Graphics::Sixel)
        );
        assert_eq!(
            from_env(auto, &env("xterm-256color", "", false, false)),
            Choice::Ask
        );
        // Inside tmux: half blocks, even in kitty, unless kitty is asked for.
        let half = Choice::Decided(Graphics::Halfblocks);
        assert_eq!(from_env(auto, &env("tmux-256color", "", true, true)), half);
        assert_eq!(
            from_env(ImageProtocol::Kitty, &env("tmux-256color", "", false, true)),
            Choice::Decided(Graphics::Kitty { tmux: true })
        );
        // The configuration wins over the environment.
        assert_eq!(
            from_env(
                ImageProtocol::Halfblocks,
                &env("xterm-kitty", "", true, false)
            ),
            half
        );
        assert_eq!(
            from_env(ImageProtocol::Sixel, &env("xterm", "", false, false)),
            Choice::Decided(Graphics::Sixel)
        );
    }

    #[test]
    fn the_reply_says_kitty_sixel_or_nothing() {
        assert_eq!(
            from_reply(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;22c"),
            Graphics::Kitty { tmux: false }
        );
        assert_eq!(from_reply(b"\x1b[?62;4;6;22c"), Graphics::Sixel);
        assert_eq!(from_reply(b"\x1b[?4;6c"), Graphics::Halfblocks);
        assert_eq!(from_reply(b"\x1b[?62;22c"), Graphics::Halfblocks);
        assert_eq!(
            from_reply(b"\x1b_Gi=31;ENOTSUPPORTED\x1b\\\x1b[?1;2c"),
            Graphics::Halfblocks
        );
        assert_eq!(from_reply(b""), Graphics::Halfblocks);
        assert_eq!(from_reply(b"\x1b[?62;4"), Graphics::Halfblocks);
        assert!(!answered(b"\x1b_Gi=31;OK\x1b\\"));
        assert!(answered(b"\x1b_Gi=31;OK\x1b\\\x1b[?62c"));
    }

    /// A pipe stands for the terminal: its answer is read; with no answer the bound ends the
    /// wait and the choice is half blocks.
    #[cfg(unix)]
    #[test]
    fn asking_reads_the_answer_and_gives_up_at_the_bound() {
        use std::os::fd::AsFd;
        let (reader, mut writer) = std::io::pipe().unwrap();
        writer.write_all(b"\x1b[?62;4;22c").unwrap();
        let mut sent = Vec::new();
        let reply = ask(reader.as_fd(), &mut sent, Duration::from_secs(5)).unwrap();
        assert_eq!(sent, QUERY);
        assert_eq!(from_reply(&reply), Graphics::Sixel);
        // Nothing answers (the writer stays open, so the pipe never ends).
        let reply = ask(reader.as_fd(), &mut Vec::new(), Duration::from_millis(20)).unwrap();
        assert!(reply.is_empty());
        assert_eq!(from_reply(&reply), Graphics::Halfblocks);
        drop(writer);
    }

    #[test]
    fn tmux_passthrough_doubles_escapes() {
        let mut out = Vec::new();
        tmux_wrap(b"\x1b_Ga=p,i=1\x1b\\", &mut out);
        assert_eq!(out, b"\x1bPtmux;\x1b\x1b_Ga=p,i=1\x1b\x1b\\\x1b\\");
    }

    /// A payload source that must not be asked (nothing is transmitted again).
    fn none<K>(_: &K) -> Option<&'static Payload> {
        panic!("transmitted again")
    }

    fn place(y: u16) -> Place {
        Place {
            x: 10,
            y,
            cols: 8,
            rows: 4,
            cut_top: 0,
            cut_bottom: 0,
        }
    }

    #[test]
    fn kitty_transmits_once_then_places_by_id() {
        let img = RgbaImage::from_pixel(16, 16, image::Rgba([200, 10, 10, 255]));
        let img = &Payload::kitty(&img);
        let mut k: KittyScreen<&str> = KittyScreen::new(false);
        let mut out = Vec::new();
        k.frame(&[("a", place(3))], |_| Some(img), &mut out);
        assert_eq!(count(&out, b"a=t,"), 1);
        assert_eq!(count(&out, b"a=p,"), 1);
        assert!(out.starts_with(b"\x1b_Ga=t,f=100,i="));
        // The same frame again: nothing.
        let mut again = Vec::new();
        k.frame(&[("a", place(3))], |_| Some(img), &mut again);
        assert!(again.is_empty());
        // Scrolled by one row: placed again, not transmitted.
        let mut scrolled = Vec::new();
        k.frame(&[("a", place(2))], none, &mut scrolled);
        assert_eq!(count(&scrolled, b"a=t,"), 0);
        assert_eq!(count(&scrolled, b"a=p,"), 1);
        assert!(scrolled.starts_with(b"\x1b[3;11H"));
        assert!(scrolled.len() < 80, "{}", scrolled.len());
        // Partly scrolled out: only its visible rows, cut from its top.
        let mut cut = Vec::new();
        let p = Place {
            cut_top: 1,
            ..place(0)
        };
        k.frame(&[("a", p)], none, &mut cut);
        assert_eq!(
            String::from_utf8(cut).unwrap(),
            format!(
                "\x1b[1;11H\x1b_Ga=p,i={},p=1,c=8,r=3,C=1,q=2,x=0,y=4,w=16,h=12\x1b\\",
                k.id(&"a")
            )
        );
        // Gone from the screen: taken off; after a clear placed again, still not transmitted.
        let mut gone = Vec::new();
        k.frame(&[], none, &mut gone);
        assert_eq!(gone, kitty_unplace(k.id(&"a")));
        k.cleared();
        let mut back = Vec::new();
        k.frame(&[("a", place(3))], none, &mut back);
        assert_eq!(count(&back, b"a=p,"), 1);
    }

    #[test]
    fn kitty_in_tmux_goes_through_passthrough() {
        let img = RgbaImage::from_pixel(4, 4, image::Rgba([1, 2, 3, 255]));
        let img = &Payload::kitty(&img);
        let mut k: KittyScreen<u8> = KittyScreen::new(true);
        let mut out = Vec::new();
        k.frame(&[(1, place(0))], |_| Some(img), &mut out);
        assert!(out.starts_with(b"\x1bPtmux;\x1b\x1b_Ga=t,"));
        assert!(out.ends_with(b"\x1b\x1b\\\x1b\\"));
    }

    #[test]
    fn sixel_is_a_dcs_string() {
        let mut img = RgbaImage::from_pixel(10, 13, image::Rgba([255, 0, 0, 255]));
        img.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        let s = sixel(&img);
        assert!(s.starts_with(b"\x1bP0;1;0q\"1;1;10;13"));
        assert!(s.ends_with(b"\x1b\\"));
        // Pure red is cube index 5*36 = 180; three bands of six rows.
        assert!(count(&s, b"#180;2;100;0;0") == 1);
        assert_eq!(count(&s, b"-"), 3);
        // No other escape inside.
        assert_eq!(count(&s, b"\x1b"), 2);
    }

    #[test]
    fn iterm2_is_an_osc_1337_file() {
        let img = RgbaImage::from_pixel(3, 3, image::Rgba([9, 9, 9, 255]));
        let s = iterm2(&img, 6, 2);
        assert!(s.starts_with(b"\x1b]1337;File=inline=1;size="));
        assert_eq!(count(&s, b"width=6;height=2;"), 1);
        assert_eq!(s.last(), Some(&0x07));
    }
}
