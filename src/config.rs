//! Configuration: the optional `config.toml`, the `NAPTERM_*` environment and the command line,
//! merged into one `Settings` (precedence: command line > environment > file > defaults).
//!
//! Adding a key: add a field with a doc comment and a default to `Config`, `UiConfig` or
//! `NotifyConfig`, and a row to the README's configuration table. Unknown keys are errors, so a
//! typo never silently does nothing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde::de::Deserializer;

use crate::onebot::{ConnectOptions, Token};
use crate::runtime::host::Osc;
use crate::ui::theme::ThemeConfig;

/// The environment variable holding the server URL.
pub const ENV_URL: &str = "NAPTERM_URL";
/// The environment variable holding the access token.
pub const ENV_TOKEN: &str = "NAPTERM_TOKEN";
/// The URL used when nothing else names one: NapCat's default forward WebSocket server.
pub const DEFAULT_URL: &str = "ws://127.0.0.1:3001/";

/// Why the configuration could not be assembled. Each message names where the problem is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// The config file exists but could not be read (or `--config` names a missing file).
    #[error("config file {path}: {message}")]
    Unreadable { path: PathBuf, message: String },
    /// The config file is not valid TOML or has a bad key or value.
    #[error("config file {path}, line {line}{}: {message}", key_part(key))]
    Invalid {
        path: PathBuf,
        line: usize,
        key: Option<String>,
        message: String,
    },
    /// A token file could not be read or is empty.
    #[error("token file {path}: {message}")]
    TokenFile { path: PathBuf, message: String },
    /// A value from the command line, the environment or the file is not acceptable.
    #[error("{source_name}: {message}")]
    BadValue {
        source_name: String,
        message: String,
    },
}

fn key_part(key: &Option<String>) -> String {
    match key {
        Some(k) => format!(", key `{k}`"),
        None => String::new(),
    }
}

/// The config file as written: every key optional, unknown keys rejected.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// NapCat's forward WebSocket URL (`ws://` or `wss://`).
    pub url: Option<String>,
    /// The access token itself (prefer `token_file`: config files get shared).
    #[serde(deserialize_with = "token_opt")]
    pub token: Option<Token>,
    /// A file holding the access token (trimmed); relative paths are relative to the config file.
    pub token_file: Option<PathBuf>,
    /// Send the token as `?access_token=` instead of an `Authorization` header.
    pub token_in_query: bool,
    /// Seconds an ordinary API call may take.
    pub call_timeout_secs: Seconds,
    /// Seconds a call that moves media (uploads, sends with files) may take.
    pub media_timeout_secs: Seconds,
    /// Upper bound of the reconnect backoff, in seconds.
    pub reconnect_max_secs: Seconds,
    /// A tracing filter (`info`, `debug`, `napterm=trace`); `RUST_LOG` overrides it.
    pub log_level: Option<String>,
    /// How the terminal interface looks and behaves.
    pub ui: UiConfig,
    /// How napterm gets your attention.
    pub notify: NotifyConfig,
    /// The local history.
    pub history: HistoryConfig,
    /// What napterm tells others about you.
    pub privacy: PrivacyConfig,
    /// The colours: a shipped theme and per-role overrides.
    pub theme: ThemeConfig,
    /// Pictures in the terminal.
    pub images: ImagesConfig,
    /// Where saved attachments go.
    pub files: FilesConfig,
    /// What plays voice messages.
    pub media: MediaConfig,
}

/// The `[files]` table.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FilesConfig {
    /// The folder saves go into (`~` works); default: the XDG download folder, else
    /// `~/Downloads`.
    pub download_dir: Option<String>,
}

/// The `[media]` table.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    /// The command that plays a voice (the file's path is appended); default: the first of
    /// `mpv`, `ffplay`, `paplay` on PATH.
    pub player: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            url: None,
            token: None,
            token_file: None,
            token_in_query: false,
            call_timeout_secs: Seconds(15),
            media_timeout_secs: Seconds(300),
            reconnect_max_secs: Seconds(30),
            log_level: None,
            ui: UiConfig::default(),
            notify: NotifyConfig::default(),
            history: HistoryConfig::default(),
            privacy: PrivacyConfig::default(),
            theme: ThemeConfig::default(),
            images: ImagesConfig::default(),
            files: FilesConfig::default(),
            media: MediaConfig::default(),
        }
    }
}

/// The `[ui]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// Colour depth: `"truecolor"`, `"256"`, `"16"` or `"none"`; unset, it follows the terminal (see
    /// [`colors_for_terminal`]). `NO_COLOR` forces `"none"`.
    pub colors: Option<ColorMode>,
    /// Capture the mouse (wheel scroll, click to select); off keeps the terminal's own selection.
    pub mouse: bool,
    /// Messages kept in memory per conversation (older ones reload from history).
    #[serde(deserialize_with = "timeline_capacity")]
    pub timeline_capacity: usize,
    /// Messages fetched per history page.
    #[serde(deserialize_with = "history_page_size")]
    pub history_page_size: u32,
    /// Width of the sidebar in columns on wide terminals.
    #[serde(deserialize_with = "sidebar_width")]
    pub sidebar_width: u16,
}

/// A number below what the app can use is an error naming its key, never a value quietly
/// raised (`history_page_size = 0` would otherwise load nothing, or one message at a time).
fn at_least<'de, D, T>(d: D, min: T, what: &str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + PartialOrd + std::fmt::Display,
{
    let n = T::deserialize(d)?;
    if n < min {
        return Err(serde::de::Error::custom(format!(
            "must be at least {min} ({what}), not {n}"
        )));
    }
    Ok(n)
}

/// The app keeps at least 16 messages per chat whatever is asked.
fn timeline_capacity<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    at_least(d, 16, "messages kept per chat")
}

fn history_page_size<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    at_least(d, 1, "messages per page")
}

/// The layout draws the sidebar at least 12 columns wide.
fn sidebar_width<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    at_least(d, 12, "columns")
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            colors: None,
            mouse: false,
            timeline_capacity: 5000,
            history_page_size: 20,
            sidebar_width: 28,
        }
    }
}

/// Colour depth of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum ColorMode {
    /// 24-bit colour: `#rrggbb` in `[theme]` is drawn as written (the shipped themes use the
    /// 256-colour palette).
    #[serde(rename = "truecolor", alias = "24bit")]
    TrueColor,
    /// The xterm 256-colour palette.
    #[default]
    #[serde(rename = "256")]
    Palette256,
    /// The 16 basic ANSI colours.
    #[serde(rename = "16")]
    Palette16,
    /// No colour at all (attributes such as bold remain).
    #[serde(rename = "none")]
    None,
}

/// The `[notify]` table: alerts for private messages and mentions.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyConfig {
    /// Ring the terminal bell.
    pub bell: bool,
    /// The desktop notification sequence (travels through SSH): `"9"`, `"777"`, `"off"`, or
    /// `"auto"` (the default) for the one the terminal understands (see [`osc_for_terminal`]).
    pub osc: OscSetting,
    /// Words and `/regexes/` that count as a mention.
    pub highlight: Vec<String>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            bell: true,
            osc: OscSetting::Auto,
            highlight: Vec::new(),
        }
    }
}

/// `[notify] osc`: which notification sequence to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OscSetting {
    /// The one the terminal understands.
    #[default]
    Auto,
    /// Always OSC 9.
    Nine,
    /// Always OSC 777.
    SevenSevenSeven,
    /// No notifications (the bell is its own setting).
    Off,
}

impl<'de> Deserialize<'de> for OscSetting {
    /// `"auto"`, `"9"`, `"777"`, `"off"`; also the numbers 9 and 777, and `true` / `false` (how
    /// earlier versions wrote it: on, picked by terminal, or off).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Flag(bool),
            Number(i64),
            Name(String),
        }
        const EXPECTED: &str = "expected \"auto\", \"9\", \"777\" or \"off\"";
        match Raw::deserialize(d)
            .map_err(|_| serde::de::Error::custom(format!("invalid value: {EXPECTED}")))?
        {
            Raw::Flag(true) => Ok(OscSetting::Auto),
            Raw::Flag(false) => Ok(OscSetting::Off),
            Raw::Number(9) => Ok(OscSetting::Nine),
            Raw::Number(777) => Ok(OscSetting::SevenSevenSeven),
            Raw::Name(s) => match s.as_str() {
                "auto" => Ok(OscSetting::Auto),
                "9" => Ok(OscSetting::Nine),
                "777" => Ok(OscSetting::SevenSevenSeven),
                "off" => Ok(OscSetting::Off),
                other => Err(serde::de::Error::custom(format!(
                    "invalid value `{other}`: {EXPECTED}"
                ))),
            },
            Raw::Number(n) => Err(serde::de::Error::custom(format!(
                "invalid value `{n}`: {EXPECTED}"
            ))),
        }
    }
}

/// The `[history]` table: the local history (`$XDG_DATA_HOME/napterm/<QQ>/history.db`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryConfig {
    /// Keep every message seen in the local history (off: nothing is written or read).
    pub enabled: bool,
    /// Recalled messages keep their text, dimmed (off: they show only as recalled).
    pub show_recalled: bool,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            enabled: true,
            show_recalled: false,
        }
    }
}

/// The `[images]` table: pictures in the terminal.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImagesConfig {
    /// How pictures are drawn: `"auto"` (asked of the terminal at start), `"kitty"`, `"sixel"`,
    /// `"iterm2"` or `"halfblocks"` (`▀`/`▄` cells with colours, which work everywhere).
    pub protocol: ImageProtocol,
    /// `"inline"`: pictures under their messages; `"placeholder"`: only their `[图片]` line.
    pub mode: ImageMode,
    /// The tallest an inline picture is drawn, in rows (stickers take half).
    #[serde(deserialize_with = "max_rows")]
    pub max_rows: u16,
    /// The disk cache's bound in MB (least recently used pictures go first).
    pub cache_mb: u64,
}

fn max_rows<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    at_least(d, 1, "rows")
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            protocol: ImageProtocol::Auto,
            mode: ImageMode::Inline,
            max_rows: 10,
            cache_mb: 500,
        }
    }
}

/// `[images] protocol`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ImageProtocol {
    #[default]
    Auto,
    Kitty,
    Sixel,
    Iterm2,
    Halfblocks,
}

/// `[images] mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ImageMode {
    #[default]
    Inline,
    Placeholder,
}

/// The `[privacy]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Tell a friend you are typing (`set_input_status`, at most every few seconds).
    pub send_typing: bool,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig { send_typing: true }
    }
}

/// The notification sequence a terminal shows, from its environment: OSC 777 for
/// rxvt-unicode, foot and the VTE terminals (GNOME Terminal, Tilix, Ptyxis), which have no
/// OSC 9; nothing for ConEmu, which reads OSC 9 as its own commands; OSC 9 for the rest (iTerm2,
/// kitty, WezTerm, Ghostty, …; terminals that know neither ignore it). Over SSH only `TERM`
/// travels, which names most of them.
pub fn osc_for_terminal(env: &dyn Fn(&str) -> Option<String>) -> Option<Osc> {
    let term = env("TERM").unwrap_or_default();
    if env("ConEmuPID").is_some() {
        return None;
    }
    if term.starts_with("rxvt") || term.starts_with("foot") || env("VTE_VERSION").is_some() {
        return Some(Osc::SevenSevenSeven);
    }
    Some(Osc::Nine)
}

/// A positive number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seconds(pub u64);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u64::deserialize(d)?;
        if n == 0 {
            return Err(serde::de::Error::custom("must be at least 1 (seconds)"));
        }
        Ok(Seconds(n))
    }
}

impl Seconds {
    /// As a `Duration`.
    pub fn duration(self) -> Duration {
        Duration::from_secs(self.0)
    }
}

fn token_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Token>, D::Error> {
    let s = String::deserialize(d)?;
    // Wrapped at once so the secret never sits in a plain `String` field.
    Ok(Some(Token::new(s)).filter(|t| !t.is_empty()))
}

impl Config {
    /// Parses a config file's text; errors name `path`, the line and the key.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            let (line, key) = locate(text, offset);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                key,
                message: e.message().trim().to_string(),
            }
        })?;
        if let Err(message) = crate::app::notify::Highlights::parse(&config.notify.highlight) {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line: line_of_key(text, "highlight").unwrap_or(1),
                key: Some("notify.highlight".into()),
                message,
            });
        }
        if let Some(level) = &config.log_level {
            check_log_filter(level).map_err(|message| ConfigError::Invalid {
                path: path.to_path_buf(),
                line: line_of_key(text, "log_level").unwrap_or(1),
                key: Some("log_level".into()),
                message,
            })?;
        }
        Ok(config)
    }

    /// Reads and parses a config file. A missing file is `Ok(None)` unless `required`.
    pub fn load(path: &Path, required: bool) -> Result<Option<Config>, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(None),
            Err(e) => Err(ConfigError::Unreadable {
                path: path.to_path_buf(),
                message: io_reason(&e),
            }),
        }
    }
}

/// The 1-based line of byte `offset` in `text`, and the dotted key written on that line
/// (prefixed by the `[table]` it sits in), when there is one.
fn locate(text: &str, offset: usize) -> (usize, Option<String>) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line_index = before.matches('\n').count();
    let line = text.lines().nth(line_index).unwrap_or("");
    let mut table: Option<String> = None;
    for l in text.lines().take(line_index) {
        if let Some(h) = table_header(l) {
            table = Some(h);
        }
    }
    let key = if let Some(h) = table_header(line) {
        Some(h)
    } else {
        line.split_once('=').map(|(k, _)| {
            let k = unquote_key(k);
            match &table {
                Some(t) => format!("{t}.{k}"),
                None => k,
            }
        })
    };
    (line_index + 1, key.filter(|k| !k.is_empty()))
}

/// `[ui]` → `ui`; `[[x]]` and non-headers → None.
fn table_header(line: &str) -> Option<String> {
    let t = line.trim();
    let inner = t.strip_prefix('[')?;
    if inner.starts_with('[') {
        return None;
    }
    let end = inner.find(']')?;
    Some(unquote_key(&inner[..end]))
}

fn unquote_key(k: &str) -> String {
    k.split('.')
        .map(|p| p.trim().trim_matches('"').trim_matches('\''))
        .collect::<Vec<_>>()
        .join(".")
}

/// The line on which a top-level key is assigned.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.split_once('=')
                .is_some_and(|(k, _)| unquote_key(k) == key)
        })
        .map(|i| i + 1)
}

/// Checks that `filter` is a valid tracing filter (`info`, `napterm=debug,warn`, …).
pub fn check_log_filter(filter: &str) -> Result<(), String> {
    tracing_subscriber::EnvFilter::builder()
        .parse(filter)
        .map(|_| ())
        .map_err(|e| format!("not a log filter ({e}); try \"info\" or \"debug\""))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "not found".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// What the command line says (each `None` when not given).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--url`.
    pub url: Option<String>,
    /// `--token` (visible in `ps`; the CLI warns).
    pub token: Option<Token>,
    /// `--token-file`.
    pub token_file: Option<PathBuf>,
}

/// Everything napterm runs with, after merging all sources.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where NapCat listens.
    pub url: String,
    /// The access token, if any source gave one.
    pub token: Option<Token>,
    /// Send the token in the query string instead of a header.
    pub token_in_query: bool,
    /// Timeout of ordinary calls.
    pub call_timeout: Duration,
    /// Timeout of media calls.
    pub media_timeout: Duration,
    /// Reconnect backoff cap.
    pub reconnect_max: Duration,
    /// The log filter (`RUST_LOG` still wins when set).
    pub log_level: String,
    /// The `[ui]` table.
    pub ui: UiConfig,
    /// The colour depth to draw with: `[ui] colors`, else `NO_COLOR`, else what `TERM` says.
    pub colors: ColorMode,
    /// The `[notify]` table.
    pub notify: NotifyConfig,
    /// The notification sequence to send: `[notify] osc`, or what the terminal understands.
    pub osc: Option<Osc>,
    /// The `[history]` table.
    pub history: HistoryConfig,
    /// The `[privacy]` table.
    pub privacy: PrivacyConfig,
    /// The `[theme]` table (drawn at the depth of `colors`).
    pub theme: ThemeConfig,
    /// The `[images]` table.
    pub images: ImagesConfig,
    /// The `[files]` table.
    pub files: FilesConfig,
    /// The `[media]` table.
    pub media: MediaConfig,
    /// The config file that was read, if one was.
    pub config_file: Option<PathBuf>,
    /// What the user should read about how napterm was started (the interface shows it too,
    /// where stderr is hidden behind the full screen).
    pub warnings: Vec<String>,
}

impl Settings {
    /// Merges the sources: `overrides` (command line) > `env` > `file` > defaults.
    /// `env` looks up an environment variable; empty values count as unset.
    pub fn resolve(
        overrides: &Overrides,
        env: &dyn Fn(&str) -> Option<String>,
        file: Option<(&Path, Config)>,
    ) -> Result<Settings, ConfigError> {
        let env = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let (file_path, config) = match file {
            Some((p, c)) => (Some(p.to_path_buf()), c),
            None => (None, Config::default()),
        };
        let file_name = || {
            file_path
                .as_ref()
                .map(|p| format!("config file {}", p.display()))
                .unwrap_or_else(|| "config file".into())
        };

        let (url, url_source) = if let Some(u) = &overrides.url {
            (u.clone(), "--url".to_string())
        } else if let Some(u) = env(ENV_URL) {
            (u, ENV_URL.to_string())
        } else if let Some(u) = &config.url {
            (u.clone(), format!("{}, key `url`", file_name()))
        } else {
            (DEFAULT_URL.to_string(), "default url".to_string())
        };
        check_url(&url).map_err(|message| ConfigError::BadValue {
            source_name: url_source,
            message,
        })?;

        let token = if let Some(t) = &overrides.token {
            Some(t.clone())
        } else if let Some(p) = &overrides.token_file {
            Some(read_token_file(p)?)
        } else if let Some(t) = env(ENV_TOKEN) {
            Some(Token::new(t))
        } else {
            match (&config.token, &config.token_file) {
                (Some(_), Some(_)) => {
                    return Err(ConfigError::BadValue {
                        source_name: file_name(),
                        message: "set either `token` or `token_file`, not both".into(),
                    });
                }
                (Some(t), None) => Some(t.clone()),
                (None, Some(p)) => {
                    let base = file_path.as_deref().and_then(Path::parent);
                    Some(read_token_file(&resolve_path(p, base))?)
                }
                (None, None) => None,
            }
        };

        if let Some(t) = &token
            && !t.is_empty()
            && !config.token_in_query
            && !t.fits_header()
        {
            return Err(ConfigError::BadValue {
                source_name: "access token".into(),
                message: crate::onebot::client::TOKEN_NOT_FOR_HEADER.into(),
            });
        }

        let ui = config.ui;
        // https://no-color.org: any non-empty NO_COLOR turns colour off.
        let colors = if env("NO_COLOR").is_some() {
            ColorMode::None
        } else {
            ui.colors.unwrap_or_else(|| {
                colors_for_terminal(env("TERM").as_deref(), env("COLORTERM").as_deref())
            })
        };

        let osc = match config.notify.osc {
            OscSetting::Auto => osc_for_terminal(&env),
            OscSetting::Nine => Some(Osc::Nine),
            OscSetting::SevenSevenSeven => Some(Osc::SevenSevenSeven),
            OscSetting::Off => None,
        };
        Ok(Settings {
            url,
            token: token.filter(|t| !t.is_empty()),
            token_in_query: config.token_in_query,
            call_timeout: config.call_timeout_secs.duration(),
            media_timeout: config.media_timeout_secs.duration(),
            reconnect_max: config.reconnect_max_secs.duration(),
            log_level: config.log_level.unwrap_or_else(|| "info".into()),
            ui,
            colors,
            notify: config.notify,
            osc,
            history: config.history,
            privacy: config.privacy,
            theme: config.theme,
            warnings: Vec::new(),
            images: config.images,
            files: config.files,
            media: config.media,
            config_file: file_path,
        })
    }

    /// Loads everything from the real environment: the file at `config_path` (or the default
    /// location, which may be absent), then the environment, then `overrides`.
    pub fn load(
        overrides: &Overrides,
        config_path: Option<&Path>,
    ) -> Result<Settings, ConfigError> {
        let (path, required) = match config_path {
            Some(p) => (Some(p.to_path_buf()), true),
            None => (default_config_path(), false),
        };
        let file = match &path {
            Some(p) => Config::load(p, required)?.map(|c| (p.as_path(), c)),
            None => None,
        };
        Settings::resolve(overrides, &|k| std::env::var(k).ok(), file)
    }

    /// The URL for messages: without its query string, which may carry `access_token`.
    pub fn url_for_display(&self) -> String {
        match self.url.split_once('?') {
            Some((base, _)) => base.to_string(),
            None => self.url.clone(),
        }
    }

    /// The connection options these settings describe.
    pub fn connect_options(&self) -> ConnectOptions {
        let defaults = ConnectOptions::default();
        ConnectOptions {
            url: self.url.clone(),
            token: self.token.clone(),
            token_in_query: self.token_in_query,
            call_timeout: self.call_timeout,
            media_timeout: self.media_timeout,
            backoff_max: self.reconnect_max.max(defaults.backoff_min),
            ..defaults
        }
    }
}

/// The colour depth a terminal most likely has, from `TERM` and `COLORTERM`: 24-bit colour when
/// `COLORTERM` says `truecolor` or `24bit`, the 256-colour palette for anything xterm-like (nearly every terminal today), 16 colours for the Linux
/// console and old hardware terminals, none for `dumb`.
pub fn colors_for_terminal(term: Option<&str>, colorterm: Option<&str>) -> ColorMode {
    if matches!(colorterm, Some("truecolor" | "24bit")) {
        return ColorMode::TrueColor;
    }
    let Some(term) = term else {
        return ColorMode::Palette256;
    };
    if term.contains("256color") || term.contains("direct") {
        return ColorMode::Palette256;
    }
    match term {
        "dumb" => ColorMode::None,
        "linux" | "vt100" | "vt102" | "vt220" | "ansi" | "cons25" | "screen" | "rxvt"
        | "xterm-color" | "xterm-16color" | "eterm-color" => ColorMode::Palette16,
        _ => ColorMode::Palette256,
    }
}

/// `$XDG_CONFIG_HOME/napterm/config.toml` (or the platform's equivalent).
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "napterm").map(|d| d.config_dir().join("config.toml"))
}

/// Only WebSocket URLs make sense: NapCat's forward WebSocket server.
fn check_url(url: &str) -> Result<(), String> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("ws://")
        .or_else(|| lower.strip_prefix("wss://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') => Ok(()),
        Some(_) => Err(format!("`{url}` names no host")),
        None => Err(format!(
            "`{url}` is not a WebSocket URL (expected ws://host:port/ or wss://…)"
        )),
    }
}

/// `~/x` → home/x; relative paths are joined to `base` when given.
fn resolve_path(p: &Path, base: Option<&Path>) -> PathBuf {
    if let Ok(rest) = p.strip_prefix("~")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    match base {
        Some(b) if p.is_relative() => b.join(p),
        _ => p.to_path_buf(),
    }
}

/// Reads a token file; surrounding whitespace (the trailing newline) is dropped.
pub fn read_token_file(path: &Path) -> Result<Token, ConfigError> {
    let path = resolve_path(path, None);
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::TokenFile {
        path: path.clone(),
        message: io_reason(&e),
    })?;
    let token = Token::new(text);
    if token.is_empty() {
        return Err(ConfigError::TokenFile {
            path,
            message: "the file is empty".into(),
        });
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::theme::{ColorSpec, RoleColors, ThemeName};
    use ratatui::style::Color;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/cfg/napterm/config.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let s = Settings::resolve(&Overrides::default(), &env_of(&[]), None).unwrap();
        assert_eq!(s.url, DEFAULT_URL);
        assert!(s.token.is_none());
        assert_eq!(s.call_timeout, Duration::from_secs(15));
        assert_eq!(s.ui, UiConfig::default());
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn every_documented_key_is_accepted() {
        let c = parse(
            r#"
            url = "ws://10.0.0.2:3001/"
            token_in_query = true
            call_timeout_secs = 5
            media_timeout_secs = 600
            reconnect_max_secs = 60
            log_level = "napterm=debug,warn"
            [ui]
            colors = "16"
            mouse = true
            timeline_capacity = 100
            history_page_size = 50
            sidebar_width = 30
            [notify]
            bell = false
            osc = false
            [privacy]
            send_typing = false
            [images]
            protocol = "halfblocks"
            mode = "placeholder"
            max_rows = 6
            cache_mb = 100
            "#,
        )
        .unwrap();
        assert_eq!(c.images.protocol, ImageProtocol::Halfblocks);
        assert_eq!(c.images.mode, ImageMode::Placeholder);
        assert_eq!((c.images.max_rows, c.images.cache_mb), (6, 100));
        assert_eq!(Config::default().images.max_rows, 10);
        assert!(parse("[images]\nprotocol = \"ascii\"\n").is_err());
        assert!(parse("[images]\nmax_rows = 0\n").is_err());
        assert!(!c.privacy.send_typing);
        assert!(
            Config::default().privacy.send_typing,
            "on unless turned off"
        );
        assert_eq!(c.url.as_deref(), Some("ws://10.0.0.2:3001/"));
        assert!(c.token_in_query);
        assert_eq!(c.call_timeout_secs, Seconds(5));
        assert_eq!(c.ui.colors, Some(ColorMode::Palette16));
        assert!(c.ui.mouse);
        assert_eq!(c.ui.sidebar_width, 30);
        assert!(!c.notify.bell);
        assert_eq!(c.notify.osc, OscSetting::Off);
    }

    #[test]
    fn precedence_is_cli_then_env_then_file_then_default() {
        let file = || {
            Some((
                Path::new("/cfg/config.toml"),
                parse("url = \"ws://file:1/\"\ntoken = \"from-file\"").unwrap(),
            ))
        };
        let env = env_of(&[(ENV_URL, "ws://env:2/"), (ENV_TOKEN, "from-env")]);
        let cli = Overrides {
            url: Some("ws://cli:3/".into()),
            token: Some(Token::new("from-cli")),
            token_file: None,
        };

        let s = Settings::resolve(&cli, &env, file()).unwrap();
        assert_eq!(s.url, "ws://cli:3/");
        assert_eq!(s.token.unwrap().expose(), "from-cli");

        let s = Settings::resolve(&Overrides::default(), &env, file()).unwrap();
        assert_eq!(s.url, "ws://env:2/");
        assert_eq!(s.token.unwrap().expose(), "from-env");

        let s = Settings::resolve(&Overrides::default(), &env_of(&[]), file()).unwrap();
        assert_eq!(s.url, "ws://file:1/");
        assert_eq!(s.token.unwrap().expose(), "from-file");

        // An empty environment variable counts as unset.
        let blank = env_of(&[(ENV_URL, ""), (ENV_TOKEN, " ")]);
        let s = Settings::resolve(&Overrides::default(), &blank, file()).unwrap();
        assert_eq!(s.url, "ws://file:1/");
    }

    #[test]
    fn token_files_are_trimmed_and_relative_to_the_config_file() {
        let dir = std::env::temp_dir().join(format!("napterm-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("token"), "  s3cret\n").unwrap();
        let cfg_path = dir.join("config.toml");
        let c = parse("token_file = \"token\"").unwrap();
        let s =
            Settings::resolve(&Overrides::default(), &env_of(&[]), Some((&cfg_path, c))).unwrap();
        assert_eq!(s.token.unwrap().expose(), "s3cret");

        // --token-file beats NAPTERM_TOKEN.
        let cli = Overrides {
            token_file: Some(dir.join("token")),
            ..Overrides::default()
        };
        let s = Settings::resolve(&cli, &env_of(&[(ENV_TOKEN, "env")]), None).unwrap();
        assert_eq!(s.token.unwrap().expose(), "s3cret");

        std::fs::write(dir.join("empty"), "\n").unwrap();
        let cli = Overrides {
            token_file: Some(dir.join("empty")),
            ..Overrides::default()
        };
        let err = Settings::resolve(&cli, &env_of(&[]), None).unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_token_file_names_the_file() {
        let cli = Overrides {
            token_file: Some("/nonexistent/napterm-token".into()),
            ..Overrides::default()
        };
        let err = Settings::resolve(&cli, &env_of(&[]), None)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "token file /nonexistent/napterm-token: not found");
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let err =
            parse("url = \"ws://a:1/\"\n\n[ui]\nmouse = true\ncolour = \"16\"\n").unwrap_err();
        match &err {
            ConfigError::Invalid {
                path, line, key, ..
            } => {
                assert_eq!(path, Path::new("/cfg/napterm/config.toml"));
                assert_eq!(*line, 5);
                assert_eq!(key.as_deref(), Some("ui.colour"));
            }
            other => panic!("{other:?}"),
        }
        let text = err.to_string();
        assert!(
            text.starts_with("config file /cfg/napterm/config.toml, line 5, key `ui.colour`:"),
            "{text}"
        );
        assert!(text.contains("unknown field `colour`"), "{text}");
    }

    #[test]
    fn wrong_types_and_values_name_the_key() {
        let cases = [
            ("call_timeout_secs = \"ten\"", 1, "call_timeout_secs"),
            ("\n\nreconnect_max_secs = 0", 3, "reconnect_max_secs"),
            ("[ui]\ncolors = \"millions\"", 2, "ui.colors"),
            ("[notify]\nbell = \"yes\"", 2, "notify.bell"),
            ("[notify]\nosc = \"both\"", 2, "notify.osc"),
            ("[notify]\nosc = 99", 2, "notify.osc"),
            ("log_level = \"napterm=loud\"", 1, "log_level"),
            ("foo = 1", 1, "foo"),
            ("[ui]\nhistory_page_size = 0", 2, "ui.history_page_size"),
            (
                "[ui]\nmouse = true\ntimeline_capacity = 0",
                3,
                "ui.timeline_capacity",
            ),
            ("[ui]\nsidebar_width = 0", 2, "ui.sidebar_width"),
        ];
        for (text, want_line, want_key) in cases {
            match parse(text) {
                Err(ConfigError::Invalid {
                    line, key, message, ..
                }) => {
                    assert_eq!(line, want_line, "{text}");
                    assert_eq!(key.as_deref(), Some(want_key), "{text}");
                    assert!(!message.is_empty(), "{text}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_theme_table_names_a_shipped_theme_and_role_colours() {
        let c = parse(
            "[theme]\nname = \"light\"\ntime = \"#112233\"\nlink = 75\n\
             selection = { fg = \"16\", bg = \"bright-blue\" }\nnames = [\"red\", 42]\n",
        )
        .unwrap();
        assert_eq!(c.theme.name, ThemeName::Light);
        assert_eq!(
            c.theme.time,
            Some(RoleColors {
                fg: Some(Color::Rgb(0x11, 0x22, 0x33)),
                bg: None
            })
        );
        assert_eq!(c.theme.link.and_then(|r| r.fg), Some(Color::Indexed(75)));
        assert_eq!(
            c.theme.selection,
            Some(RoleColors {
                fg: Some(Color::Indexed(16)),
                bg: Some(Color::LightBlue)
            })
        );
        assert_eq!(
            c.theme.names,
            Some(vec![ColorSpec(Color::Red), ColorSpec(Color::Indexed(42))])
        );
        assert_eq!(Config::default().theme.name, ThemeName::Dark);
        // Every role the interface draws can be named.
        for role in crate::ui::theme::ROLES {
            let c = parse(&format!("[theme]\n{role} = \"red\"")).unwrap();
            assert_ne!(c.theme, ThemeConfig::default(), "{role}");
        }
        let s = Settings::resolve(
            &Overrides::default(),
            &env_of(&[]),
            Some((Path::new("/c.toml"), c)),
        )
        .unwrap();
        assert_eq!(s.theme.name, ThemeName::Light);
    }

    #[test]
    fn the_readme_documents_every_role_and_its_theme_example_parses() {
        let readme = include_str!("../README.md");
        for role in crate::ui::theme::ROLES {
            assert!(readme.contains(&format!("`{role}`")), "README lists {role}");
        }
        let themes = readme.split("### Themes").nth(1).expect("a Themes section");
        let example = themes
            .split("```toml")
            .nth(1)
            .and_then(|t| t.split("```").next())
            .expect("an example");
        let c = parse(example).unwrap();
        assert_eq!(c.theme.name, ThemeName::Light);
        assert_eq!(c.theme.names.map(|n| n.len()), Some(5));
    }

    #[test]
    fn bad_theme_colours_and_roles_name_file_line_and_key() {
        let cases = [
            (
                "[theme]\ntime = \"purple\"",
                2,
                "theme.time",
                "`purple` is not a colour",
            ),
            (
                "[theme]\n\nlink = 300",
                3,
                "theme.link",
                "`300` is not a colour",
            ),
            (
                "[theme]\nlink = \"#12345\"",
                2,
                "theme.link",
                "six hex digits",
            ),
            (
                "[theme]\nlinks = \"red\"",
                2,
                "theme.links",
                "unknown field `links`",
            ),
            (
                "[theme]\nname = \"solarized\"",
                2,
                "theme.name",
                "solarized",
            ),
            (
                "[theme]\nselection = { fg = \"red\", underline = \"blue\" }",
                2,
                "theme.selection",
                "unknown field `underline`",
            ),
            (
                "[theme]\nselection = { bg = \"nope\" }",
                2,
                "theme.selection",
                "`nope` is not a colour",
            ),
            (
                "[ui]\nmouse = true\n[theme]\nnames = [\"red\", \"grey\"]",
                4,
                "theme.names",
                "`grey` is not a colour",
            ),
            ("[theme]\ntime = true", 2, "theme.time", "expected"),
        ];
        for (text, want_line, want_key, want_message) in cases {
            let err = parse(text).expect_err(text);
            match &err {
                ConfigError::Invalid {
                    path,
                    line,
                    key,
                    message,
                } => {
                    assert_eq!(path, Path::new("/cfg/napterm/config.toml"), "{text}");
                    assert_eq!(*line, want_line, "{text}");
                    assert_eq!(key.as_deref(), Some(want_key), "{text}");
                    assert!(message.contains(want_message), "{text}: {message}");
                }
                other => panic!("{text}: {other:?}"),
            }
            let shown = err.to_string();
            assert!(
                shown.starts_with(&format!(
                    "config file /cfg/napterm/config.toml, line {want_line}, key `{want_key}`:"
                )),
                "{shown}"
            );
        }
    }

    #[test]
    fn syntax_errors_give_the_line() {
        match parse("url = \"ws://a:1/\"\nmouse = \n") {
            Err(ConfigError::Invalid { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_urls_are_rejected_naming_their_source() {
        let cli = Overrides {
            url: Some("http://x:1/".into()),
            ..Overrides::default()
        };
        let err = Settings::resolve(&cli, &env_of(&[]), None).unwrap_err();
        assert!(err.to_string().starts_with("--url:"), "{err}");
        let err = Settings::resolve(
            &Overrides::default(),
            &env_of(&[(ENV_URL, "localhost:3001")]),
            None,
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("NAPTERM_URL:"), "{err}");
    }

    #[test]
    fn a_token_no_header_can_carry_asks_for_token_in_query() {
        let overrides = Overrides {
            token: Some(Token::new("密码123")),
            ..Overrides::default()
        };
        let err = Settings::resolve(&overrides, &|_| None, None).unwrap_err();
        assert!(err.to_string().contains("token_in_query = true"), "{err}");
        let in_query = parse("token_in_query = true").unwrap();
        let s = Settings::resolve(&overrides, &|_| None, Some((Path::new("c.toml"), in_query)))
            .expect("the query carries it");
        assert_eq!(s.token.unwrap().expose(), "密码123");
    }

    #[test]
    fn token_and_token_file_together_is_an_error() {
        let c = parse("token = \"a\"\ntoken_file = \"b\"").unwrap();
        let err = Settings::resolve(
            &Overrides::default(),
            &env_of(&[]),
            Some((Path::new("/c.toml"), c)),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not both"), "{err}");
    }

    #[test]
    fn urls_are_shown_without_their_query() {
        let cli = Overrides {
            url: Some("ws://h:1/?access_token=hunter2".into()),
            ..Overrides::default()
        };
        let s = Settings::resolve(&cli, &env_of(&[]), None).unwrap();
        assert_eq!(s.url_for_display(), "ws://h:1/");
    }

    #[test]
    fn no_color_turns_colours_off() {
        let s =
            Settings::resolve(&Overrides::default(), &env_of(&[("NO_COLOR", "1")]), None).unwrap();
        assert_eq!(s.colors, ColorMode::None);
    }

    #[test]
    fn colours_follow_the_terminal_unless_configured() {
        let env = |pairs: &[(&str, &str)]| {
            Settings::resolve(&Overrides::default(), &env_of(pairs), None)
                .unwrap()
                .colors
        };
        assert_eq!(env(&[("TERM", "xterm-256color")]), ColorMode::Palette256);
        assert_eq!(env(&[("TERM", "xterm")]), ColorMode::Palette256);
        assert_eq!(env(&[("TERM", "linux")]), ColorMode::Palette16);
        assert_eq!(env(&[("TERM", "vt100")]), ColorMode::Palette16);
        assert_eq!(env(&[("TERM", "dumb")]), ColorMode::None);
        assert_eq!(
            env(&[("TERM", "linux"), ("COLORTERM", "truecolor")]),
            ColorMode::TrueColor
        );
        assert_eq!(
            env(&[("TERM", "xterm-256color"), ("COLORTERM", "24bit")]),
            ColorMode::TrueColor
        );
        assert_eq!(
            env(&[("TERM", "linux"), ("NO_COLOR", "1")]),
            ColorMode::None
        );
        let configured = Config::parse("[ui]\ncolors = \"256\"", Path::new("c.toml")).unwrap();
        assert_eq!(configured.ui.colors, Some(ColorMode::Palette256));
    }

    #[test]
    fn required_config_file_must_exist() {
        let err = Config::load(Path::new("/nonexistent/napterm.toml"), true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "config file /nonexistent/napterm.toml: not found"
        );
        assert_eq!(
            Config::load(Path::new("/nonexistent/napterm.toml"), false),
            Ok(None)
        );
    }

    #[test]
    fn settings_never_show_the_token() {
        let s = Settings::resolve(
            &Overrides::default(),
            &env_of(&[(ENV_TOKEN, "hunter2")]),
            None,
        )
        .unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{:?}", s.connect_options()).contains("hunter2"));
    }

    #[test]
    fn one_notification_sequence_picked_by_terminal_or_by_config() {
        type Env<'a> = &'a [(&'a str, &'a str)];
        let cases: &[(Env, Option<Osc>)] = &[
            (&[("TERM", "xterm-kitty")], Some(Osc::Nine)),
            (
                &[("TERM", "xterm-256color"), ("TERM_PROGRAM", "iTerm.app")],
                Some(Osc::Nine),
            ),
            (&[("TERM", "xterm-ghostty")], Some(Osc::Nine)),
            (
                &[("TERM", "rxvt-unicode-256color")],
                Some(Osc::SevenSevenSeven),
            ),
            (&[("TERM", "foot")], Some(Osc::SevenSevenSeven)),
            (
                &[("TERM", "xterm-256color"), ("VTE_VERSION", "7600")],
                Some(Osc::SevenSevenSeven),
            ),
            (&[("TERM", "xterm-256color"), ("ConEmuPID", "42")], None),
            (&[], Some(Osc::Nine)),
        ];
        for (env, want) in cases {
            let s = Settings::resolve(&Overrides::default(), &env_of(env), None).unwrap();
            assert_eq!(s.osc, *want, "{env:?}");
        }
        for (text, want) in [
            ("osc = \"9\"", Some(Osc::Nine)),
            ("osc = 777", Some(Osc::SevenSevenSeven)),
            ("osc = \"777\"", Some(Osc::SevenSevenSeven)),
            ("osc = \"off\"", None),
            ("osc = false", None),
            ("osc = true", Some(Osc::SevenSevenSeven)),
            ("osc = \"auto\"", Some(Osc::SevenSevenSeven)),
        ] {
            let c = parse(&format!("[notify]\n{text}")).unwrap();
            let file = Some((Path::new("/cfg/config.toml"), c));
            let env = env_of(&[("TERM", "foot")]);
            let s = Settings::resolve(&Overrides::default(), &env, file).unwrap();
            assert_eq!(s.osc, want, "{text}");
        }
    }
}
