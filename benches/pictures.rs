//! Pictures' budgets (issue 8): a 200x60 frame of a chat holding 50 pictures, 20 of them on
//! screen, within 1.3× of the same chat as text only; and the bytes the screen sends per
//! scrolled line with pictures — kitty (each picture transmitted once, then placed by id)
//! within 2× of text only, half blocks measured.
//!
//! The pictures go through the app's own pipeline: the frame report asks for them
//! (`Effect::Picture`), they are decoded and encoded as the picture service does
//! (`decode::decode`, `decode::halfblocks`, `Payload::encode` for kitty) and come back as
//! `Msg::Picture`, so their slots are `Ready` with their cells as the running client has them.
//!
//! `cargo bench --bench pictures`

use std::collections::HashMap;
use std::hint::black_box;
use std::io::Cursor;
use std::sync::{Arc, Mutex};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use napterm::app::chat::{Scroll, SortKey};
use napterm::app::effect::Effect;
use napterm::app::keymap::Keymap;
use napterm::app::pictures::{PicDone, PicKey};
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Msg, State};
use napterm::onebot::event::MessageType;
use napterm::onebot::{
    ClientEvent, ConnState, Event, MessageChain, MessageEvent, Peer, Role, Sender,
};
use napterm::runtime::graphics::{Graphics, Layer, Payload, Payloads, SharedPayloads};
use napterm::runtime::picture::decode;
use napterm::runtime::screen::{Painted, PicAt, Screen, Terminal};
use napterm::ui::theme::Theme;
use napterm::ui::{Ui, draw};

const ME: i64 = 10001;
const GROUP: i64 = 30001;
const W: u16 = 200;
const H: u16 = 60;
/// Messages in the chat; the last 34 alternate between text and three pictures (50 in all).
const MESSAGES: u64 = 100;
const PICTURES: u64 = 50;
const PER_MESSAGE: u64 = 3;
/// The inline height: 20 pictures with their text fit the 200x60 timeline.
const ROWS: u16 = 2;
/// A cell's size in pixels, as a terminal reports it (kitty payloads are made at this).
const CELL_PX: (u32, u32) = (10, 20);
const TEXTS: &[&str] = &[
    "今天晚上一起开黑吗",
    "看这个 https://github.com/ratatui/ratatui/blob/main/README.md 写得很清楚",
    "有没有人用过 ratatui？体验怎么样 🦀",
    "cannot borrow `x` as mutable because it is also borrowed as immutable，这个怎么解",
    "好的👌",
    "周末去爬山，有一起的吗？天气预报说是晴天，大家记得带水和防晒霜",
];

/// The pictures message `k` carries.
fn pictures_in(k: u64) -> std::ops::Range<u64> {
    let first = MESSAGES - 34;
    if k < first || !(k - first).is_multiple_of(2) {
        return 0..0;
    }
    let i = (k - first) / 2 * PER_MESSAGE;
    i.min(PICTURES)..(i + PER_MESSAGE).min(PICTURES)
}

fn file_of(k: u64) -> String {
    format!("{:032X}.jpg", 0xC0FFEE_u64 * 1_000_003 + k)
}

/// Message `k`; with `pictures`, those of [`pictures_in`] carry their pictures, else all are text.
fn message(k: u64, pictures: bool) -> MessageEvent {
    let user = 20000 + (k % 37) as i64;
    let chain = if pictures && !pictures_in(k).is_empty() {
        pictures_in(k).fold(MessageChain::new(), |c, p| c.image(file_of(p)))
    } else {
        MessageChain::new().text(TEXTS[(k % TEXTS.len() as u64) as usize])
    };
    MessageEvent {
        time: 1_795_000_000 + k as i64,
        self_id: ME,
        post_type: "message".into(),
        message_id: 1_000_000 + k as i64,
        real_seq: Some(k.to_string()),
        message_type: MessageType::Group,
        sub_type: "normal".into(),
        user_id: user,
        group_id: Some(GROUP),
        sender: Sender {
            user_id: user,
            nickname: format!("成员{}", k % 37),
            card: String::new(),
            role: Some(Role::Member),
            title: None,
        },
        message: chain,
        ..Default::default()
    }
}

/// Picture `k` as the server would send it: a PNG of one of a few aspect ratios.
fn png(k: u64) -> Vec<u8> {
    let (w, h) = [(640, 80), (480, 80), (800, 100), (320, 64)][(k % 4) as usize];
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([
            (x % 256) as u8,
            (y * 3 % 256) as u8,
            (k * 40 % 256) as u8,
            255,
        ])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

/// The open chat, with or without pictures, as a connected client holds it.
fn chat(pictures: bool) -> State {
    let mut s = State::new(
        Settings {
            picture_rows: ROWS,
            ..Settings::default()
        },
        Keymap::default_map(),
    );
    s.now = 1_795_100_000;
    let _ = update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Connected {
            self_id: ME,
            nickname: "夜航船".into(),
        })),
    );
    let _ = update(&mut s, Msg::Resize(W, H));
    for k in 0..MESSAGES {
        let _ = update(
            &mut s,
            Msg::Client(ClientEvent::Event(Event::Message(Box::new(message(
                k, pictures,
            ))))),
        );
    }
    s.open = Some(Peer::Group(GROUP));
    s
}

/// Decodes and encodes what the frames ask for, as the picture service does.
struct Service {
    decoded: HashMap<PicKey, image::RgbaImage>,
    payloads: SharedPayloads<PicAt>,
}

impl Service {
    fn new() -> Self {
        Service {
            decoded: HashMap::new(),
            payloads: Arc::new(Mutex::new(Payloads::default())),
        }
    }

    fn perform(&mut self, fx: Vec<Effect>) -> Vec<Msg> {
        fx.into_iter()
            .filter_map(|e| match e {
                Effect::Picture(job) => Some(job),
                _ => None,
            })
            .map(|job| {
                let k: u64 = (0..PICTURES)
                    .find(|k| job.file == file_of(*k))
                    .expect("a picture of the chat");
                let img = self
                    .decoded
                    .entry(job.key.clone())
                    .or_insert_with(|| decode::decode(&png(k)).expect("decodes"));
                let cells = decode::halfblocks(img, job.fit);
                let kitty = Payload::encode(
                    Graphics::Kitty { tmux: false },
                    img,
                    (cells.cols, cells.rows),
                    CELL_PX,
                )
                .expect("kitty payload");
                self.payloads
                    .lock()
                    .expect("payloads")
                    .put((job.key.clone(), job.fit), kitty);
                Msg::Picture(PicDone {
                    key: job.key,
                    fit: job.fit,
                    result: Ok(((img.width(), img.height()), Arc::new(cells))),
                })
            })
            .collect()
    }
}

/// One frame as the loop draws it: the ui, its report back to the app, and the pictures on
/// screen for the graphics layer.
fn paint(s: &State, ui: &mut Ui, buf: &mut Buffer) -> (Painted, napterm::app::state::FrameReport) {
    let mut f = draw(s, ui, buf);
    (napterm::runtime::screen::painted(&mut f), f.report)
}

/// Draws `s` until every picture near the window is in (each round answers what the frame
/// asked for).
fn settle(s: &mut State, ui: &mut Ui, service: &mut Service) {
    let mut buf = Buffer::empty(Rect::new(0, 0, W, H));
    for _ in 0..64 {
        buf.reset();
        let (_, report) = paint(s, ui, &mut buf);
        let fx = update(s, Msg::Frame(report));
        let done = service.perform(fx);
        if done.is_empty() {
            return;
        }
        for m in done {
            let _ = update(s, m);
        }
    }
}

fn visible_pictures(s: &State, ui: &mut Ui) -> usize {
    let mut buf = Buffer::empty(Rect::new(0, 0, W, H));
    paint(s, ui, &mut buf).0.pictures.len()
}

fn frame(c: &mut Criterion) {
    let area = Rect::new(0, 0, W, H);
    let mut group = c.benchmark_group("pictures_frame_200x60");
    for pictures in [false, true] {
        let mut state = chat(pictures);
        let mut ui = Ui::new(Theme::default());
        let mut service = Service::new();
        settle(&mut state, &mut ui, &mut service);
        let shown = visible_pictures(&state, &mut ui);
        println!(
            "pictures: {} pictures in the chat, {shown} on screen",
            if pictures { PICTURES } else { 0 }
        );
        let name = if pictures { "50_pictures" } else { "text_only" };
        let mut buf = Buffer::empty(area);
        group.bench_with_input(BenchmarkId::from_parameter(name), &pictures, |b, _| {
            b.iter(|| {
                buf.reset();
                black_box(draw(&state, &mut ui, &mut buf));
            })
        });
    }
    group.finish();
}

/// The anchors of a scroll up through the chat, one timeline row at a time, from the bottom.
/// Each step: the anchor, and the selection (an entry in the middle of the screen, which the
/// timeline keeps in view; without one it follows the bottom).
type Step = (Scroll, SortKey);

fn scroll_path(s: &mut State, ui: &mut Ui, service: &mut Service, lines: usize) -> Vec<Step> {
    let peer = Peer::Group(GROUP);
    let mut buf = Buffer::empty(Rect::new(0, 0, W, H));
    let (painted, _) = paint(s, ui, &mut buf);
    let bottom: SortKey = painted.lines.last().expect("rows").1;
    let middle = |p: &Painted| p.lines[p.lines.len() / 2].1;
    let mut selected = middle(&painted);
    let (mut key, mut skip) = (bottom, 0u16);
    let mut path = vec![(Scroll::Anchored { key, skip }, selected)];
    while path.len() < lines {
        skip += 1;
        let c = s.chats.get_mut(&peer).expect("chat");
        c.scroll = Scroll::Anchored { key, skip };
        c.selected = Some(selected);
        buf.reset();
        let (painted, _) = paint(s, ui, &mut buf);
        if !painted.lines.iter().any(|(_, k, _)| *k == key) {
            // Scrolled past the whole entry: the one above is the bottom one now (the same
            // view, anchored where the timeline anchors it).
            let c = s.chats.get_mut(&peer).expect("chat");
            let Some(prev) = c.timeline.before(key).next().map(|e| e.key) else {
                break;
            };
            (key, skip) = (prev, 0);
        }
        path.push((Scroll::Anchored { key, skip }, selected));
        selected = middle(&painted);
        // Pictures coming near the window load as they would while scrolling.
        settle(s, ui, service);
    }
    path
}

/// Bytes the screen sends over `path` (each step one line), after a first full frame.
fn bytes_over(s: &mut State, ui: &mut Ui, layer: Option<Layer<PicAt>>, path: &[Step]) -> usize {
    let peer = Peer::Group(GROUP);
    let term = Terminal::new(Vec::new(), || Ok((W, H))).expect("terminal");
    let mut screen = Screen::new(term).expect("screen");
    screen.layer = layer;
    let set = |s: &mut State, (scroll, selected): Step| {
        let c = s.chats.get_mut(&peer).expect("chat");
        c.scroll = scroll;
        c.selected = Some(selected);
    };
    set(s, path[0]);
    screen.draw(|buf| paint(s, ui, buf).0).expect("first frame");
    let start = screen.surface().encoder_out().len();
    for step in &path[1..] {
        set(s, *step);
        screen.draw(|buf| paint(s, ui, buf).0).expect("frame");
    }
    screen.surface().encoder_out().len() - start
}

fn scroll_bytes(_: &mut Criterion) {
    const LINES: usize = 120;
    let mut out = Vec::new();
    for (name, pictures, kitty) in [
        ("text only", false, false),
        ("half blocks", true, false),
        ("kitty", true, true),
    ] {
        let mut state = chat(pictures);
        let mut ui = Ui::new(Theme::default());
        let mut service = Service::new();
        settle(&mut state, &mut ui, &mut service);
        let up = scroll_path(&mut state, &mut ui, &mut service, LINES + 1);
        let down: Vec<Step> = up.iter().rev().copied().collect();
        let layer =
            || kitty.then(|| Layer::new(Graphics::Kitty { tmux: false }, service.payloads.clone()));
        let b_up = bytes_over(&mut state, &mut ui, layer(), &up);
        let b_down = bytes_over(&mut state, &mut ui, layer(), &down);
        let lines = (up.len() - 1) as f64;
        out.push((name, b_up as f64 / lines, b_down as f64 / lines));
    }
    let text = (out[0].1, out[0].2);
    for (name, up, down) in &out {
        println!(
            "pictures/scroll_bytes {name:>11}: {up:>7.0} B/line up ({:.2}× text), {down:>7.0} B/line down ({:.2}× text)",
            up / text.0,
            down / text.1
        );
    }
}

criterion_group!(benches, frame, scroll_bytes);
criterion_main!(benches);
