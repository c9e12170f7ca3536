//! The palette: every style the panes use, built for one colour depth from a theme.
//!
//! Four depths (`[ui] colors` in the config): 24-bit colour, the xterm 256-colour palette, the
//! 16 basic ANSI colours, and none at all. `NO_COLOR` (any non-empty value,
//! <https://no-color.org>) wins over the config: see [`effective_mode`]. Without colour the theme
//! still marks what matters with bold, reverse, underline, italic and dim, so mentions, errors
//! and the selection stay visible.
//!
//! Two shipped themes, `dark` (the default) and `light`, and the `[theme]` table of the config
//! on top ([`ThemeConfig`]): one key per role (the fields of [`Theme`]) and `names`, the palette
//! of sender names. A configured colour is fitted to the depth ([`fit`]): `#rrggbb` becomes the
//! nearest 256-colour entry without true colour, the nearest basic colour with 16.

use std::fmt;

use ratatui::style::{Color, Style};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

pub use crate::config::ColorMode;

/// The colour depth to draw with: a non-empty `NO_COLOR` value turns colour off whatever the
/// config says; otherwise the configured depth.
pub fn effective_mode(configured: ColorMode, no_color: Option<&str>) -> ColorMode {
    match no_color {
        Some(v) if !v.is_empty() => ColorMode::None,
        _ => configured,
    }
}

/// Declares [`Theme`] and the list of its styles from one field list, so a new style cannot be
/// forgotten by the tests that walk them all.
macro_rules! theme {
    ($( $(#[doc = $doc:literal])+ $field:ident, )*) => {
        /// Named styles for everything the panes draw, built for one colour depth.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Theme {
            /// The colour depth the styles were built for.
            pub mode: ColorMode,
            /// The colours of other people's names, one picked per QQ number (empty: none).
            pub names: Vec<Color>,
            $( $(#[doc = $doc])+ pub $field: Style, )*
        }

        impl Theme {
            /// Every named style with its field name.
            pub fn named_styles(&self) -> Vec<(&'static str, Style)> {
                vec![$((stringify!($field), self.$field),)*]
            }

            /// `config`'s roles laid over this theme, fitted to its depth.
            fn apply_roles(&mut self, config: &ThemeConfig) {
                let mode = self.mode;
                $( if let Some(r) = &config.$field {
                    self.$field = r.apply(self.$field, mode);
                } )*
            }
        }

        /// The `[theme]` table: a shipped theme and the colours laid over it, one key per role.
        #[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct ThemeConfig {
            /// The shipped theme to start from.
            pub name: ThemeName,
            /// The colours of other people's names (one is picked per QQ number).
            pub names: Option<Vec<ColorSpec>>,
            $( $(#[doc = $doc])+ pub $field: Option<RoleColors>, )*
        }

        /// Every role a `[theme]` table may name.
        pub const ROLES: &[&str] = &[$(stringify!($field),)*];
    };
}

theme! {
    /// A sidebar entry.
    sidebar,
    /// The sidebar entry under the cursor.
    sidebar_selected,
    /// The sidebar entry of the chat that is open.
    sidebar_current,
    /// A sidebar section title (会话, 好友, 群聊).
    sidebar_section,
    /// The unread count beside a chat.
    unread_badge,
    /// The marker beside a chat where someone mentioned you.
    mention_badge,
    /// The chat name in the message pane's header.
    header,
    /// Member count, remark and role in the header.
    header_detail,
    /// A message's time.
    time,
    /// Your own name on your messages.
    own_name,
    /// An @mention of someone else.
    mention,
    /// An @mention of you.
    mention_me,
    /// @全体成员.
    mention_all,
    /// The quoted first line of a reply.
    quote,
    /// A notice line: joins, recalls, mutes, pokes.
    system,
    /// A recalled message, greyed out.
    recalled,
    /// A sent message the server has not confirmed yet.
    pending,
    /// A message that failed to send.
    failed,
    /// The line between days.
    day_separator,
    /// The line where you stopped reading.
    read_marker,
    /// The "N new ↓" marker while scrolled up.
    new_marker,
    /// A link or attachment URL.
    link,
    /// The selected message, laid under its spans.
    selection,
    /// The composer's text.
    composer,
    /// The composer's hints and reply target ("回复 name: …").
    composer_hint,
    /// An entry of a popup (completion, face picker).
    popup,
    /// The selected popup entry.
    popup_selected,
    /// A popup's border.
    popup_border,
    /// A title of a popup or overlay.
    title,
    /// The border of a pane without focus.
    border,
    /// The border of the pane with focus.
    border_focused,
    /// The status line.
    status,
    /// The last error in the status line.
    status_error,
    /// An informational message in the status line.
    status_info,
    /// "connected as nick (qq)".
    conn_connected,
    /// Connecting, or reconnecting in N s.
    conn_reconnecting,
    /// Authentication failed: the user must fix the token.
    conn_auth_failed,
    /// A key in the help overlay.
    help_key,
    /// A description in the help overlay.
    help_text,
    /// The action button of a dangerous confirmation (recall a message).
    confirm_danger,
}

/// The shipped themes (`[theme] name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    /// Bright foregrounds for a dark terminal background (the default).
    #[default]
    Dark,
    /// Deeper foregrounds and pale highlights for a light terminal background.
    Light,
}

/// A colour as the config writes it: `42` or `"42"` (the 256-colour palette), a basic colour's
/// name (`"red"`, `"bright-blue"`, `"default"`), or `"#rrggbb"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColorSpec(pub Color);

const BASIC: [(&str, Color); 16] = [
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("white", Color::Gray),
    ("bright-black", Color::DarkGray),
    ("bright-red", Color::LightRed),
    ("bright-green", Color::LightGreen),
    ("bright-yellow", Color::LightYellow),
    ("bright-blue", Color::LightBlue),
    ("bright-magenta", Color::LightMagenta),
    ("bright-cyan", Color::LightCyan),
    ("bright-white", Color::White),
];

const COLOR_FORMS: &str = "expected 0-255, a colour name (red, bright-blue, …, default) or #rrggbb";

/// Parses one colour as written in the config.
pub fn parse_color(text: &str) -> Result<Color, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix('#') {
        if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let v = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
            return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
        }
        return Err(format!(
            "`{text}` is not a colour: #rrggbb takes six hex digits"
        ));
    }
    if !lower.is_empty() && lower.bytes().all(|b| b.is_ascii_digit()) {
        return match lower.parse::<u8>() {
            Ok(n) => Ok(Color::Indexed(n)),
            Err(_) => Err(format!("`{text}` is not a colour: the palette has 0-255")),
        };
    }
    if lower == "default" {
        return Ok(Color::Reset);
    }
    let name = lower.replace('_', "-");
    BASIC
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| *c)
        .ok_or_else(|| format!("`{text}` is not a colour: {COLOR_FORMS}"))
}

fn color_from_int<E: de::Error>(n: i128) -> Result<Color, E> {
    u8::try_from(n)
        .map(Color::Indexed)
        .map_err(|_| E::custom(format!("`{n}` is not a colour: the palette has 0-255")))
}

/// Reads a colour from a string or an integer.
struct ColorVisitor;

impl<'de> Visitor<'de> for ColorVisitor {
    type Value = Color;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(COLOR_FORMS)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Color, E> {
        parse_color(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Color, E> {
        color_from_int(v.into())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Color, E> {
        color_from_int(v.into())
    }
}

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ColorVisitor).map(ColorSpec)
    }
}

/// One role's colours in `[theme]`: a colour alone sets the foreground; `{ fg = …, bg = … }`
/// sets either or both. Bold, italic and the rest stay the shipped theme's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoleColors {
    /// The text colour.
    pub fg: Option<Color>,
    /// The background colour.
    pub bg: Option<Color>,
}

impl RoleColors {
    /// `base` with these colours, fitted to `mode`; no colour at all without colours.
    fn apply(&self, base: Style, mode: ColorMode) -> Style {
        let mut s = base;
        if let Some(c) = self.fg.and_then(|c| fit(c, mode)) {
            s.fg = Some(c);
        }
        if let Some(c) = self.bg.and_then(|c| fit(c, mode)) {
            s.bg = Some(c);
        }
        s
    }
}

impl<'de> Deserialize<'de> for RoleColors {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RoleColors;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a colour ({COLOR_FORMS}) or {{ fg = …, bg = … }}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RoleColors, E> {
                ColorVisitor.visit_str(v).map(|c| RoleColors {
                    fg: Some(c),
                    bg: None,
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RoleColors, E> {
                ColorVisitor.visit_i64(v).map(|c| RoleColors {
                    fg: Some(c),
                    bg: None,
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RoleColors, E> {
                ColorVisitor.visit_u64(v).map(|c| RoleColors {
                    fg: Some(c),
                    bg: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RoleColors, A::Error> {
                let mut out = RoleColors::default();
                while let Some(key) = map.next_key::<String>()? {
                    let ColorSpec(c) = map.next_value()?;
                    match key.as_str() {
                        "fg" => out.fg = Some(c),
                        "bg" => out.bg = Some(c),
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown field `{other}`, expected `fg` or `bg`"
                            )));
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

/// `c` as the depth `mode` can show it: kept with true colour; `#rrggbb` becomes the nearest
/// 256-colour entry on the 256-colour palette; the nearest basic colour with 16; nothing
/// without colour.
pub fn fit(c: Color, mode: ColorMode) -> Option<Color> {
    match mode {
        ColorMode::None => None,
        ColorMode::TrueColor => Some(c),
        ColorMode::Palette256 => Some(match c {
            Color::Rgb(r, g, b) => Color::Indexed(nearest_256(r, g, b)),
            other => other,
        }),
        ColorMode::Palette16 => Some(match c {
            Color::Indexed(n) if n < 16 => BASIC[n as usize].1,
            Color::Indexed(n) => {
                let (r, g, b) = rgb_of_index(n);
                nearest_16(r, g, b)
            }
            Color::Rgb(r, g, b) => nearest_16(r, g, b),
            other => other,
        }),
    }
}

/// The levels of the 6×6×6 colour cube (entries 16-231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// xterm's default RGB for the 16 basic colours, in [`BASIC`]'s order.
const BASIC_RGB: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

fn dist((r, g, b): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2) as u32;
    d(r, r2) + d(g, g2) + d(b, b2)
}

/// The RGB xterm shows for a palette entry.
fn rgb_of_index(n: u8) -> (u8, u8, u8) {
    match n {
        0..=15 => BASIC_RGB[n as usize],
        16..=231 => {
            let i = n - 16;
            (
                CUBE[(i / 36) as usize],
                CUBE[((i / 6) % 6) as usize],
                CUBE[(i % 6) as usize],
            )
        }
        _ => {
            let v = 8 + 10 * (n - 232);
            (v, v, v)
        }
    }
}

/// The entry of 16-255 nearest to an RGB colour (0-15 differ between terminal schemes, so they
/// are never the answer).
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    (16..=255u8)
        .min_by_key(|&n| dist(rgb_of_index(n), (r, g, b)))
        .unwrap_or(16)
}

/// The basic colour nearest to an RGB colour.
fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    let i = (0..16)
        .min_by_key(|&i| dist(BASIC_RGB[i], (r, g, b)))
        .unwrap_or(0);
    BASIC[i].1
}

/// Readable foregrounds for other people's names on the 256-colour palette: mid-tones from the
/// colour cube, none of them grey, near-black or near-white.
const USER_COLORS_256: [u8; 16] = [
    160, 166, 172, 136, 106, 70, 35, 37, 31, 33, 62, 98, 134, 163, 168, 130,
];

/// The same on a light background: deeper tones from the cube, none pale.
const USER_COLORS_256_LIGHT: [u8; 16] = [
    124, 130, 94, 58, 64, 28, 29, 30, 24, 25, 61, 54, 90, 125, 161, 166,
];

/// Readable foregrounds for names among the 16 basic colours: no black, white or greys, and no
/// red, which means an error.
const USER_COLORS_16: [Color; 10] = [
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightBlue,
    Color::LightMagenta,
    Color::LightCyan,
];

/// The same on a light background: the bright yellows, greens and cyans fade into white.
const USER_COLORS_16_LIGHT: [Color; 7] = [
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::LightBlue,
    Color::LightMagenta,
];

impl Default for Theme {
    fn default() -> Self {
        Theme::new(ColorMode::default())
    }
}

/// The colours a shipped theme is made of on the 256-colour palette.
struct Tones256 {
    grey: u8,
    accent: u8,
    /// Text on the accent colour.
    on_accent: u8,
    /// The selected sidebar or popup entry: text, background.
    selected: (u8, u8),
    red: u8,
    soft_red: u8,
    /// Mentions, keys in the help, reconnecting.
    warm: u8,
    /// The background of @me badges (with black text).
    warm_bg: u8,
    link: u8,
    /// The selected message: text, background.
    selection: (u8, u8),
    recalled: u8,
    border: u8,
    green: u8,
    names: &'static [u8],
}

const DARK_256: Tones256 = Tones256 {
    grey: 244,
    accent: 39,
    on_accent: 16,
    selected: (231, 24),
    red: 196,
    soft_red: 203,
    warm: 214,
    warm_bg: 214,
    link: 75,
    selection: (255, 238),
    recalled: 242,
    border: 240,
    green: 71,
    names: &USER_COLORS_256,
};

const LIGHT_256: Tones256 = Tones256 {
    grey: 243,
    accent: 25,
    on_accent: 231,
    selected: (16, 153),
    red: 160,
    soft_red: 167,
    warm: 130,
    warm_bg: 214,
    link: 26,
    selection: (16, 253),
    recalled: 248,
    border: 248,
    green: 28,
    names: &USER_COLORS_256_LIGHT,
};

/// The colours a shipped theme is made of among the 16 basic colours.
struct Tones16 {
    accent: Color,
    warm: Color,
    names: &'static [Color],
}

const DARK_16: Tones16 = Tones16 {
    accent: Color::Cyan,
    warm: Color::Yellow,
    names: &USER_COLORS_16,
};

const LIGHT_16: Tones16 = Tones16 {
    accent: Color::Blue,
    warm: Color::Magenta,
    names: &USER_COLORS_16_LIGHT,
};

impl Theme {
    /// The dark theme for one colour depth.
    pub fn new(mode: ColorMode) -> Theme {
        Theme::shipped(ThemeName::Dark, mode)
    }

    /// A shipped theme for one colour depth.
    pub fn shipped(name: ThemeName, mode: ColorMode) -> Theme {
        let mut theme = match (mode, name) {
            (ColorMode::Palette256 | ColorMode::TrueColor, ThemeName::Dark) => {
                Theme::palette_256(&DARK_256)
            }
            (ColorMode::Palette256 | ColorMode::TrueColor, ThemeName::Light) => {
                Theme::palette_256(&LIGHT_256)
            }
            (ColorMode::Palette16, ThemeName::Dark) => Theme::palette_16(&DARK_16),
            (ColorMode::Palette16, ThemeName::Light) => Theme::palette_16(&LIGHT_16),
            (ColorMode::None, _) => Theme::monochrome(),
        };
        theme.mode = mode;
        theme
    }

    /// The theme `config` describes (its shipped theme, its roles and names on top), for one
    /// colour depth. Without colour (`NO_COLOR`) no configured colour is used.
    pub fn build(mode: ColorMode, config: &ThemeConfig) -> Theme {
        let mut theme = Theme::shipped(config.name, mode);
        theme.apply_roles(config);
        if let Some(names) = &config.names {
            theme.names = names.iter().filter_map(|c| fit(c.0, mode)).collect();
        }
        theme
    }

    /// A stable colour for a person's name, from their QQ number: the same person keeps the
    /// same colour in every chat and every session. No colour without colours.
    pub fn user_color(&self, user_id: i64) -> Style {
        if self.names.is_empty() {
            return Style::new();
        }
        let i = (mix(user_id as u64) % self.names.len() as u64) as usize;
        Style::new().fg(self.names[i])
    }

    fn palette_256(t: &Tones256) -> Theme {
        let ix = Color::Indexed;
        let grey = Style::new().fg(ix(t.grey));
        let accent = ix(t.accent);
        let dark = ix(16);
        let white = ix(231);
        let on = |fg: Color, bg: Color| Style::new().fg(fg).bg(bg).bold();
        let selected = on(ix(t.selected.0), ix(t.selected.1));
        let red = ix(t.red);
        let soft_red = ix(t.soft_red);
        let warm = ix(t.warm);
        Theme {
            mode: ColorMode::Palette256,
            names: t.names.iter().copied().map(ix).collect(),
            sidebar: Style::new(),
            sidebar_selected: selected,
            sidebar_current: Style::new().fg(accent).bold(),
            sidebar_section: Style::new().fg(accent).bold(),
            unread_badge: Style::new().fg(accent).bold(),
            mention_badge: on(dark, ix(t.warm_bg)),
            header: Style::new().bold(),
            header_detail: grey,
            time: grey,
            own_name: Style::new().bold(),
            mention: Style::new().fg(warm).bold(),
            mention_me: on(dark, ix(t.warm_bg)),
            mention_all: on(white, soft_red),
            quote: grey.italic(),
            system: grey.italic(),
            recalled: Style::new().fg(ix(t.recalled)),
            pending: grey,
            failed: Style::new().fg(red).bold(),
            day_separator: grey,
            read_marker: Style::new().fg(soft_red),
            new_marker: on(ix(t.on_accent), accent),
            link: Style::new().fg(ix(t.link)).underlined(),
            selection: Style::new().fg(ix(t.selection.0)).bg(ix(t.selection.1)),
            composer: Style::new(),
            composer_hint: grey.italic(),
            popup: Style::new(),
            popup_selected: selected,
            popup_border: Style::new().fg(accent),
            title: Style::new().fg(accent).bold(),
            border: Style::new().fg(ix(t.border)),
            border_focused: Style::new().fg(accent),
            status: Style::new(),
            status_error: Style::new().fg(soft_red).bold(),
            status_info: Style::new().fg(accent),
            conn_connected: Style::new().fg(ix(t.green)),
            conn_reconnecting: Style::new().fg(warm),
            conn_auth_failed: Style::new().fg(red).bold(),
            help_key: Style::new().fg(warm).bold(),
            help_text: Style::new(),
            confirm_danger: on(white, ix(160)),
        }
    }

    fn palette_16(t: &Tones16) -> Theme {
        // Greys differ too much between 16-colour schemes (bright black is the background in
        // Solarized), so "muted" is the default colour, dimmed.
        let muted = Style::new().dim();
        let on = |fg: Color, bg: Color| Style::new().fg(fg).bg(bg).bold();
        let selected = Style::new().reversed().bold();
        let accent = t.accent;
        Theme {
            mode: ColorMode::Palette16,
            names: t.names.to_vec(),
            sidebar: Style::new(),
            sidebar_selected: selected,
            sidebar_current: Style::new().fg(accent).bold(),
            sidebar_section: Style::new().fg(accent).bold(),
            unread_badge: Style::new().fg(accent).bold(),
            mention_badge: on(Color::Black, Color::Yellow),
            header: Style::new().bold(),
            header_detail: muted,
            time: muted,
            own_name: Style::new().bold(),
            mention: Style::new().fg(t.warm).bold(),
            mention_me: on(Color::Black, Color::Yellow),
            mention_all: on(Color::White, Color::Red),
            quote: muted.italic(),
            system: muted.italic(),
            recalled: muted,
            pending: muted,
            failed: Style::new().fg(Color::Red).bold(),
            day_separator: muted,
            read_marker: Style::new().fg(Color::Red),
            new_marker: on(Color::Black, Color::Cyan),
            link: Style::new().fg(accent).underlined(),
            selection: Style::new().reversed(),
            composer: Style::new(),
            composer_hint: muted.italic(),
            popup: Style::new(),
            popup_selected: selected,
            popup_border: Style::new().fg(accent),
            title: Style::new().fg(accent).bold(),
            border: muted,
            border_focused: Style::new().fg(accent),
            status: Style::new(),
            status_error: Style::new().fg(Color::Red).bold(),
            status_info: Style::new().fg(accent),
            conn_connected: Style::new().fg(Color::Green),
            conn_reconnecting: Style::new().fg(t.warm),
            conn_auth_failed: Style::new().fg(Color::Red).bold(),
            help_key: Style::new().fg(t.warm).bold(),
            help_text: Style::new(),
            confirm_danger: on(Color::White, Color::Red),
        }
    }

    fn monochrome() -> Theme {
        let muted = Style::new().dim();
        let loud = Style::new().reversed().bold();
        Theme {
            mode: ColorMode::None,
            names: Vec::new(),
            sidebar: Style::new(),
            sidebar_selected: loud,
            sidebar_current: Style::new().bold(),
            sidebar_section: Style::new().bold().underlined(),
            unread_badge: Style::new().bold(),
            mention_badge: loud,
            header: Style::new().bold(),
            header_detail: muted,
            time: muted,
            own_name: Style::new().bold(),
            mention: Style::new().bold(),
            mention_me: loud,
            mention_all: Style::new().bold().underlined(),
            quote: muted.italic(),
            system: muted.italic(),
            recalled: muted,
            pending: muted,
            failed: Style::new().bold().underlined(),
            day_separator: muted,
            read_marker: Style::new().bold(),
            new_marker: loud,
            link: Style::new().underlined(),
            selection: Style::new().reversed(),
            composer: Style::new(),
            composer_hint: muted.italic(),
            popup: Style::new(),
            popup_selected: loud,
            popup_border: Style::new(),
            title: Style::new().bold(),
            border: muted,
            border_focused: Style::new().bold(),
            status: Style::new(),
            status_error: Style::new().bold(),
            status_info: Style::new(),
            conn_connected: Style::new(),
            conn_reconnecting: Style::new().italic(),
            conn_auth_failed: loud,
            help_key: Style::new().bold(),
            help_text: Style::new(),
            confirm_danger: loud,
        }
    }
}

/// A fixed 64-bit mixer (the splitmix64 finaliser): consecutive QQ numbers land far apart, and
/// unlike `std`'s hasher the result can never change between Rust versions.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Whether a style sets any colour at all.
#[cfg(test)]
fn has_color(s: &Style) -> bool {
    s.fg.is_some() || s.bg.is_some() || s.underline_color.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const MODES: [ColorMode; 4] = [
        ColorMode::TrueColor,
        ColorMode::Palette256,
        ColorMode::Palette16,
        ColorMode::None,
    ];

    fn config(toml_text: &str) -> ThemeConfig {
        toml::from_str(toml_text).expect("a theme table")
    }

    fn colors_of(s: &Style) -> impl Iterator<Item = Color> {
        [s.fg, s.bg, s.underline_color].into_iter().flatten()
    }

    #[test]
    fn no_color_wins_over_the_config() {
        for mode in MODES {
            assert_eq!(effective_mode(mode, Some("1")), ColorMode::None);
            assert_eq!(
                effective_mode(mode, Some("")),
                mode,
                "empty NO_COLOR is unset"
            );
            assert_eq!(effective_mode(mode, None), mode);
        }
    }

    #[test]
    fn sixteen_colour_mode_uses_only_basic_colours() {
        let custom = config(
            "time = \"#123456\"\nselection = { fg = 231, bg = \"#ffeedd\" }\nnames = [\"#ff0000\", 42]",
        );
        for name in [ThemeName::Dark, ThemeName::Light] {
            let themes = [
                Theme::shipped(name, ColorMode::Palette16),
                Theme::build(ColorMode::Palette16, &custom),
            ];
            for theme in themes {
                let user_styles = (0..500).map(|id| ("user", theme.user_color(id)));
                for (name, style) in theme.named_styles().into_iter().chain(user_styles) {
                    for c in colors_of(&style) {
                        assert!(
                            !matches!(c, Color::Indexed(_) | Color::Rgb(..)),
                            "{name} uses {c:?} in 16-colour mode"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn colours_are_written_three_ways() {
        assert_eq!(parse_color("42"), Ok(Color::Indexed(42)));
        assert_eq!(parse_color("0"), Ok(Color::Indexed(0)));
        assert_eq!(parse_color("red"), Ok(Color::Red));
        assert_eq!(parse_color("white"), Ok(Color::Gray));
        assert_eq!(parse_color("bright-blue"), Ok(Color::LightBlue));
        assert_eq!(parse_color("Bright_White"), Ok(Color::White));
        assert_eq!(parse_color("default"), Ok(Color::Reset));
        assert_eq!(parse_color("#FF8800"), Ok(Color::Rgb(255, 136, 0)));
        for bad in ["256", "-1", "#12345", "#gg0000", "purple", "", "bright-"] {
            let err = parse_color(bad).expect_err(bad);
            assert!(err.contains("not a colour"), "{bad}: {err}");
        }
    }

    #[test]
    fn rgb_is_fitted_to_the_depth() {
        let c = Color::Rgb(0xff, 0x87, 0x00);
        assert_eq!(fit(c, ColorMode::TrueColor), Some(c));
        assert_eq!(fit(c, ColorMode::Palette256), Some(Color::Indexed(208)));
        assert_eq!(
            fit(Color::Rgb(0x30, 0x30, 0x30), ColorMode::Palette256),
            Some(Color::Indexed(236)),
            "greys go to the grey ramp"
        );
        assert_eq!(
            fit(Color::Rgb(250, 10, 10), ColorMode::Palette16),
            Some(Color::LightRed)
        );
        assert_eq!(
            fit(Color::Indexed(4), ColorMode::Palette16),
            Some(Color::Blue)
        );
        assert_eq!(
            fit(Color::Indexed(22), ColorMode::Palette16),
            Some(Color::Black)
        );
        assert_eq!(
            fit(Color::Indexed(42), ColorMode::Palette256),
            Some(Color::Indexed(42))
        );
        for mode in MODES {
            assert_eq!(fit(Color::Red, mode).is_none(), mode == ColorMode::None);
        }
    }

    #[test]
    fn roles_are_laid_over_the_shipped_theme() {
        let c = config(
            "name = \"light\"\ntime = \"#303030\"\nselection = { bg = 22 }\nmention = { fg = \"bright-red\", bg = \"black\" }",
        );
        let light = Theme::shipped(ThemeName::Light, ColorMode::Palette256);
        let t = Theme::build(ColorMode::Palette256, &c);
        assert_eq!(t.time, light.time.fg(Color::Indexed(236)));
        assert_eq!(
            t.selection,
            light.selection.bg(Color::Indexed(22)),
            "the shipped foreground stays"
        );
        assert_eq!(
            t.mention,
            light.mention.fg(Color::LightRed).bg(Color::Black)
        );
        assert!(
            t.mention
                .add_modifier
                .contains(ratatui::style::Modifier::BOLD)
        );
        assert_eq!(t.link, light.link, "roles not named are the shipped ones");
        let t = Theme::build(ColorMode::TrueColor, &c);
        assert_eq!(t.time.fg, Some(Color::Rgb(0x30, 0x30, 0x30)));
        assert_eq!(
            Theme::build(ColorMode::Palette256, &ThemeConfig::default()),
            Theme::new(ColorMode::Palette256)
        );
    }

    #[test]
    fn no_color_wins_over_the_theme() {
        let c = config(
            "name = \"light\"\ntime = \"#303030\"\nselection = { fg = 1, bg = 22 }\nnames = [\"red\"]",
        );
        let t = Theme::build(effective_mode(ColorMode::TrueColor, Some("1")), &c);
        assert_eq!(t, Theme::new(ColorMode::None));
        for (name, style) in t.named_styles() {
            assert!(!has_color(&style), "{name} has a colour: {style:?}");
        }
        assert_eq!(t.user_color(10001), Style::new());
    }

    #[test]
    fn the_two_shipped_themes_differ_in_colour_only() {
        for mode in [ColorMode::Palette256, ColorMode::Palette16] {
            let dark = Theme::shipped(ThemeName::Dark, mode);
            let light = Theme::shipped(ThemeName::Light, mode);
            assert_ne!(dark, light, "{mode:?}");
            for ((name, d), (_, l)) in dark.named_styles().into_iter().zip(light.named_styles()) {
                assert_eq!(d.add_modifier, l.add_modifier, "{name} in {mode:?}");
            }
        }
        assert_eq!(
            Theme::shipped(ThemeName::Dark, ColorMode::None),
            Theme::shipped(ThemeName::Light, ColorMode::None)
        );
    }

    #[test]
    fn a_configured_name_palette_is_stable_per_person() {
        let c = config("names = [\"#ff0000\", \"green\", 33]");
        let t = Theme::build(ColorMode::TrueColor, &c);
        let again = Theme::build(ColorMode::TrueColor, &c);
        let want = [Color::Rgb(255, 0, 0), Color::Green, Color::Indexed(33)];
        let mut seen = std::collections::HashSet::new();
        for id in 100_000i64..100_200 {
            let fg = t.user_color(id).fg.expect("a colour");
            assert!(want.contains(&fg), "{fg:?}");
            assert_eq!(Some(fg), again.user_color(id).fg);
            assert_eq!(
                fg,
                want[(mix(id as u64) % 3) as usize],
                "picked by QQ number"
            );
            seen.insert(fg);
        }
        assert_eq!(seen.len(), 3, "every colour gets used");
        // The same person keeps the shipped theme's colour whichever theme's roles change.
        let roles_only = config("time = 42");
        assert_eq!(
            Theme::build(ColorMode::Palette256, &roles_only).user_color(2_854_196_310),
            Theme::new(ColorMode::Palette256).user_color(2_854_196_310)
        );
    }

    #[test]
    fn no_colour_mode_emits_no_colour() {
        let theme = Theme::new(ColorMode::None);
        for (name, style) in theme.named_styles() {
            assert!(!has_color(&style), "{name} has a colour: {style:?}");
        }
        for id in [0, 1, 10001, 123_456_789, -5, i64::MAX] {
            assert_eq!(theme.user_color(id), Style::new());
        }
    }

    #[test]
    fn what_must_stand_out_does_in_every_mode() {
        let themes = MODES
            .into_iter()
            .flat_map(|m| [(m, ThemeName::Dark), (m, ThemeName::Light)]);
        for (mode, name) in themes {
            let t = Theme::shipped(name, mode);
            let plain = Style::new();
            for (name, style) in [
                ("mention", t.mention),
                ("mention_me", t.mention_me),
                ("mention_all", t.mention_all),
                ("selection", t.selection),
                ("sidebar_selected", t.sidebar_selected),
                ("status_error", t.status_error),
                ("failed", t.failed),
                ("recalled", t.recalled),
                ("new_marker", t.new_marker),
                ("link", t.link),
            ] {
                assert_ne!(style, plain, "{name} looks like plain text in {mode:?}");
            }
            assert_ne!(
                t.mention_me, t.mention,
                "@me must be stronger than @other ({mode:?})"
            );
            assert_ne!(t.conn_connected, t.conn_auth_failed);
            assert_ne!(t.conn_reconnecting, t.conn_connected);
            assert_ne!(t.border_focused, t.border);
        }
    }

    #[test]
    fn a_users_colour_is_stable() {
        for mode in [ColorMode::Palette256, ColorMode::Palette16] {
            let a = Theme::new(mode);
            let b = Theme::new(mode);
            for id in [10001, 2_854_196_310, 42, -1] {
                assert_eq!(a.user_color(id), b.user_color(id));
                assert_eq!(a.user_color(id), a.user_color(id));
                assert!(a.user_color(id).fg.is_some());
            }
        }
    }

    #[test]
    fn user_colours_spread_over_the_palette() {
        for (t, size) in [
            (Theme::new(ColorMode::Palette256), USER_COLORS_256.len()),
            (Theme::new(ColorMode::Palette16), USER_COLORS_16.len()),
            (
                Theme::shipped(ThemeName::Light, ColorMode::Palette256),
                USER_COLORS_256_LIGHT.len(),
            ),
            (
                Theme::shipped(ThemeName::Light, ColorMode::Palette16),
                USER_COLORS_16_LIGHT.len(),
            ),
        ] {
            let mut counts: HashMap<Option<Color>, usize> = HashMap::new();
            let ids = 100_000i64..102_000;
            let total = (ids.end - ids.start) as usize;
            for id in ids.clone() {
                *counts.entry(t.user_color(id).fg).or_default() += 1;
            }
            assert_eq!(counts.len(), size, "every palette colour gets used");
            let most = counts.values().copied().max().unwrap_or(0);
            assert!(
                most < 2 * total / size,
                "one colour dominates: {most} of {total}"
            );
            // Neighbouring numbers (people who registered together) usually differ.
            let same = ids
                .clone()
                .filter(|&id| t.user_color(id) == t.user_color(id + 1))
                .count();
            assert!(same < total / 5, "{same} neighbours share a colour");
        }
    }

    #[test]
    fn name_colours_avoid_black_white_and_greys() {
        for idx in USER_COLORS_256 {
            assert!((17..=230).contains(&idx), "{idx} is not a cube colour");
            let cube = idx - 16;
            let (r, g, b) = (cube / 36, (cube / 6) % 6, cube % 6);
            assert!(!(r == g && g == b), "{idx} is grey");
            assert!(r.max(g).max(b) >= 2, "{idx} is too dark");
            assert!(r.min(g).min(b) <= 2, "{idx} is too pale");
        }
        for idx in USER_COLORS_256_LIGHT {
            assert!((17..=230).contains(&idx), "{idx} is not a cube colour");
            let cube = idx - 16;
            let (r, g, b) = (cube / 36, (cube / 6) % 6, cube % 6);
            assert!(!(r == g && g == b), "{idx} is grey");
            assert!(
                r.max(g).max(b) <= 4,
                "{idx} is too pale for a light background"
            );
        }
        for c in USER_COLORS_16.into_iter().chain(USER_COLORS_16_LIGHT) {
            assert!(!matches!(
                c,
                Color::Black | Color::White | Color::Gray | Color::DarkGray | Color::Reset
            ));
        }
    }
}
