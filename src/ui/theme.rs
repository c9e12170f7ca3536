//! The palette: every style the panes use, built for one colour depth.
//!
//! Three depths (`[ui] colors` in the config): the xterm 256-colour palette, the 16 basic ANSI
//! colours, and none at all. `NO_COLOR` (any non-empty value, <https://no-color.org>) wins over
//! the config: see [`effective_mode`]. Without colour the theme still marks what matters with
//! bold, reverse, underline, italic and dim, so mentions, errors and the selection stay visible.
//!
//! Colours are picked to read on dark and light backgrounds alike: foregrounds are mid-tones,
//! and where a background colour is used the foreground is set with it.

use ratatui::style::{Color, Style};

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
            $( $(#[doc = $doc])+ pub $field: Style, )*
        }

        impl Theme {
            /// Every named style with its field name.
            pub fn named_styles(&self) -> Vec<(&'static str, Style)> {
                vec![$((stringify!($field), self.$field),)*]
            }
        }
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

/// Readable foregrounds for other people's names on the 256-colour palette: mid-tones from the
/// colour cube, none of them grey, near-black or near-white.
const USER_COLORS_256: [u8; 16] = [
    160, 166, 172, 136, 106, 70, 35, 37, 31, 33, 62, 98, 134, 163, 168, 130,
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

impl Default for Theme {
    fn default() -> Self {
        Theme::new(ColorMode::default())
    }
}

impl Theme {
    /// The theme for one colour depth.
    pub fn new(mode: ColorMode) -> Theme {
        match mode {
            ColorMode::Palette256 => Theme::palette_256(),
            ColorMode::Palette16 => Theme::palette_16(),
            ColorMode::None => Theme::monochrome(),
        }
    }

    /// A stable colour for a person's name, from their QQ number: the same person keeps the
    /// same colour in every chat and every session. No colour without colours.
    pub fn user_color(&self, user_id: i64) -> Style {
        let h = mix(user_id as u64);
        match self.mode {
            ColorMode::Palette256 => {
                let i = (h % USER_COLORS_256.len() as u64) as usize;
                Style::new().fg(Color::Indexed(USER_COLORS_256[i]))
            }
            ColorMode::Palette16 => {
                let i = (h % USER_COLORS_16.len() as u64) as usize;
                Style::new().fg(USER_COLORS_16[i])
            }
            ColorMode::None => Style::new(),
        }
    }

    fn palette_256() -> Theme {
        let grey = Style::new().fg(Color::Indexed(244));
        let accent = Color::Indexed(39);
        let dark = Color::Indexed(16);
        let on = |fg: Color, bg: Color| Style::new().fg(fg).bg(bg).bold();
        let selected = on(Color::Indexed(231), Color::Indexed(24));
        let red = Color::Indexed(196);
        let soft_red = Color::Indexed(203);
        let orange = Color::Indexed(214);
        Theme {
            mode: ColorMode::Palette256,
            sidebar: Style::new(),
            sidebar_selected: selected,
            sidebar_current: Style::new().fg(accent).bold(),
            sidebar_section: Style::new().fg(accent).bold(),
            unread_badge: Style::new().fg(accent).bold(),
            mention_badge: on(dark, orange),
            header: Style::new().bold(),
            header_detail: grey,
            time: grey,
            own_name: Style::new().bold(),
            mention: Style::new().fg(orange).bold(),
            mention_me: on(dark, orange),
            mention_all: on(Color::Indexed(231), soft_red),
            quote: grey.italic(),
            system: grey.italic(),
            recalled: Style::new().fg(Color::Indexed(242)),
            pending: grey,
            failed: Style::new().fg(red).bold(),
            day_separator: grey,
            read_marker: Style::new().fg(soft_red),
            new_marker: on(dark, accent),
            link: Style::new().fg(Color::Indexed(75)).underlined(),
            selection: Style::new().fg(Color::Indexed(255)).bg(Color::Indexed(238)),
            composer: Style::new(),
            composer_hint: grey.italic(),
            popup: Style::new(),
            popup_selected: selected,
            popup_border: Style::new().fg(accent),
            title: Style::new().fg(accent).bold(),
            border: Style::new().fg(Color::Indexed(240)),
            border_focused: Style::new().fg(accent),
            status: Style::new(),
            status_error: Style::new().fg(soft_red).bold(),
            status_info: Style::new().fg(accent),
            conn_connected: Style::new().fg(Color::Indexed(71)),
            conn_reconnecting: Style::new().fg(orange),
            conn_auth_failed: Style::new().fg(red).bold(),
            help_key: Style::new().fg(orange).bold(),
            help_text: Style::new(),
            confirm_danger: on(Color::Indexed(231), Color::Indexed(160)),
        }
    }

    fn palette_16() -> Theme {
        // Greys differ too much between 16-colour schemes (bright black is the background in
        // Solarized), so "muted" is the default colour, dimmed.
        let muted = Style::new().dim();
        let on = |fg: Color, bg: Color| Style::new().fg(fg).bg(bg).bold();
        let selected = Style::new().reversed().bold();
        Theme {
            mode: ColorMode::Palette16,
            sidebar: Style::new(),
            sidebar_selected: selected,
            sidebar_current: Style::new().fg(Color::Cyan).bold(),
            sidebar_section: Style::new().fg(Color::Cyan).bold(),
            unread_badge: Style::new().fg(Color::Cyan).bold(),
            mention_badge: on(Color::Black, Color::Yellow),
            header: Style::new().bold(),
            header_detail: muted,
            time: muted,
            own_name: Style::new().bold(),
            mention: Style::new().fg(Color::Yellow).bold(),
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
            link: Style::new().fg(Color::Cyan).underlined(),
            selection: Style::new().reversed(),
            composer: Style::new(),
            composer_hint: muted.italic(),
            popup: Style::new(),
            popup_selected: selected,
            popup_border: Style::new().fg(Color::Cyan),
            title: Style::new().fg(Color::Cyan).bold(),
            border: muted,
            border_focused: Style::new().fg(Color::Cyan),
            status: Style::new(),
            status_error: Style::new().fg(Color::Red).bold(),
            status_info: Style::new().fg(Color::Cyan),
            conn_connected: Style::new().fg(Color::Green),
            conn_reconnecting: Style::new().fg(Color::Yellow),
            conn_auth_failed: Style::new().fg(Color::Red).bold(),
            help_key: Style::new().fg(Color::Yellow).bold(),
            help_text: Style::new(),
            confirm_danger: on(Color::White, Color::Red),
        }
    }

    fn monochrome() -> Theme {
        let muted = Style::new().dim();
        let loud = Style::new().reversed().bold();
        Theme {
            mode: ColorMode::None,
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

    const MODES: [ColorMode; 3] = [ColorMode::Palette256, ColorMode::Palette16, ColorMode::None];

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
        let theme = Theme::new(ColorMode::Palette16);
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
        for mode in MODES {
            let t = Theme::new(mode);
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
        for (mode, size) in [
            (ColorMode::Palette256, USER_COLORS_256.len()),
            (ColorMode::Palette16, USER_COLORS_16.len()),
        ] {
            let t = Theme::new(mode);
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
        for c in USER_COLORS_16 {
            assert!(!matches!(
                c,
                Color::Black | Color::White | Color::Gray | Color::DarkGray | Color::Reset
            ));
        }
    }
}
