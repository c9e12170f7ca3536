//! Logging: `tracing` events go to a file under `$XDG_STATE_HOME/napterm/`, never to the screen
//! (the TUI owns it), with any occurrence of the access token replaced by `<redacted>`.
//!
//! Two defences keep the token out: the crates that speak HTTP and WebSocket for us may not log
//! below `info` (tungstenite's trace output is the whole upgrade request, `Authorization`
//! header included), and the writer redacts the token in every form a log line can quote it —
//! as it is, Rust-debug escaped (`ab\"c\\d`), JSON escaped and URL-encoded.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tracing::{Level, Metadata};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;

use crate::config::Settings;
use crate::onebot::Token;
use crate::onebot::percent_encode;

/// What replaces a secret in a log line.
pub const REDACTED: &str = "<redacted>";

/// The log file's name inside the state directory.
pub const LOG_FILE_NAME: &str = "napterm.log";

/// A log file larger than this is moved aside (to `napterm.log.1`) at start.
const ROTATE_BYTES: u64 = 8 * 1024 * 1024;

/// Crates whose `debug` and `trace` output quotes the upgrade request or the URL (and so the
/// token): capped at `info` whatever the filter asks for.
const QUIET_CRATES: &[&str] = &[
    "tungstenite",
    "tokio_tungstenite",
    "http",
    "hyper",
    "rustls",
    "tokio_rustls",
];

/// Whether an event or span may be logged: everything of ours; from the crates that see the
/// handshake, only `info` and above.
pub fn third_party_cap(meta: &Metadata<'_>) -> bool {
    let target = meta.target();
    let quiet = QUIET_CRATES.iter().any(|c| {
        target
            .strip_prefix(c)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
    });
    !quiet || *meta.level() <= Level::INFO
}

/// The directory for the log: `$XDG_STATE_HOME/napterm` (`~/.local/state/napterm`), else the
/// platform's local data directory, else a per-user folder in the temp directory.
pub fn log_dir() -> PathBuf {
    if let Some(dirs) = directories::ProjectDirs::from("", "", "napterm") {
        return match dirs.state_dir() {
            Some(d) => d.to_path_buf(),
            None => dirs.data_local_dir().to_path_buf(),
        };
    }
    let user = std::env::var("USER").unwrap_or_else(|_| "user".into());
    std::env::temp_dir().join(format!("napterm-{user}"))
}

/// Installs the global subscriber writing to `dir/napterm.log` and returns the file's path.
/// The filter is `RUST_LOG` when set, else the configured `log_level`.
pub fn init(settings: &Settings, dir: &Path) -> Result<PathBuf, String> {
    let path = dir.join(LOG_FILE_NAME);
    let file = open_log(&path).map_err(|e| format!("log file {}: {e}", path.display()))?;
    let filter = match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => {
            EnvFilter::try_new(&v).map_err(|e| format!("RUST_LOG: not a log filter ({e})"))?
        }
        _ => EnvFilter::try_new(&settings.log_level)
            .map_err(|e| format!("log_level: not a log filter ({e})"))?,
    };
    let mut secrets: Vec<Token> = settings.token.iter().cloned().collect();
    secrets.extend(token_in_url(&settings.url));
    let writer = RedactingWriter::new(file, &secrets);
    tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(filter_fn(third_party_cap)),
        )
        .try_init()
        .map_err(|e| format!("logging already set up: {e}"))?;
    Ok(path)
}

/// Opens the log for appending, moving an oversized previous log aside first.
fn open_log(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() > ROTATE_BYTES) {
        let _ = std::fs::rename(path, path.with_extension("log.1"));
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Logs may quote message text: keep them private to the user.
        options.mode(0o600);
    }
    options.open(path)
}

/// A `MakeWriter` that hands out one buffer per log line and, when the line is complete,
/// replaces every secret in it before writing it to the shared sink.
#[derive(Clone)]
pub struct RedactingWriter<W> {
    sink: Arc<Mutex<W>>,
    secrets: Arc<Vec<String>>,
}

impl<W: Write> RedactingWriter<W> {
    /// Writes to `sink`, hiding each of `tokens` in every form a log line may quote it
    /// ([`secret_forms`]).
    pub fn new(sink: W, tokens: &[Token]) -> Self {
        let mut secrets: Vec<String> = tokens
            .iter()
            .filter(|t| !t.is_empty())
            .flat_map(|t| secret_forms(t.expose()))
            .collect();
        // Longest first, so a secret that contains another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        RedactingWriter {
            sink: Arc::new(Mutex::new(sink)),
            secrets: Arc::new(secrets),
        }
    }

    /// The sink, for tests that inspect what was written.
    pub fn sink(&self) -> Arc<Mutex<W>> {
        Arc::clone(&self.sink)
    }
}

impl<'a, W: Write + 'a> MakeWriter<'a> for RedactingWriter<W> {
    type Writer = RedactingLine<'a, W>;
    fn make_writer(&'a self) -> Self::Writer {
        RedactingLine {
            owner: self,
            buf: Vec::with_capacity(256),
        }
    }
}

/// One log line being written; redacted and flushed to the sink when dropped.
pub struct RedactingLine<'a, W: Write> {
    owner: &'a RedactingWriter<W>,
    buf: Vec<u8>,
}

impl<W: Write> Write for RedactingLine<'_, W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for RedactingLine<'_, W> {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.buf);
        let clean = redact(&text, &self.owner.secrets);
        // A poisoned lock only means another thread panicked mid-write; keep logging.
        let mut sink = match self.owner.sink.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        let _ = sink.write_all(clean.as_bytes());
        let _ = sink.flush();
    }
}

/// A token written into the URL itself (`?access_token=…`), as found there.
fn token_in_url(url: &str) -> Option<Token> {
    let (_, query) = url.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("access_token="))
        .map(|v| Token::new(v.split('#').next().unwrap_or(v)))
        .filter(|t| !t.is_empty())
}

/// Replaces every occurrence of each secret in `text` with `<redacted>`.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), REDACTED);
        }
    }
    out
}

/// Every form a secret takes in a log line: as it is; escaped as Rust's `Debug` writes a string
/// (`"` → `\"`, `\` → `\\`, controls as `\u{..}`: how tungstenite logs a request); escaped
/// as JSON writes it (a frame quoted in a log); URL-encoded with upper- and lower-case hex, and
/// with `+` for spaces (a query string).
pub fn secret_forms(secret: &str) -> Vec<String> {
    let quoted = |s: String| s[1..s.len() - 1].to_string();
    let forms = [
        secret.to_string(),
        quoted(format!("{secret:?}")),
        quoted(serde_json::to_string(secret).unwrap_or_default()),
        percent_encode(secret),
        percent_encode(secret).to_ascii_lowercase(),
        percent_encode(secret).replace("%20", "+"),
    ];
    let mut out: Vec<String> = Vec::new();
    for f in forms {
        if !f.is_empty() && !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logged(token: &str, log: impl FnOnce()) -> String {
        let writer = RedactingWriter::new(Vec::<u8>::new(), &[Token::new(token)]);
        let sink = writer.sink();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(writer)
            .finish();
        tracing::subscriber::with_default(subscriber, log);
        let bytes = sink.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn token_text_in_a_log_line_is_redacted() {
        let token = Token::new("tok-Secret42");
        let out = logged("tok-Secret42", || {
            tracing::info!(
                "dialling ws://h:3001/?access_token={} with header Bearer {}",
                token.expose(),
                token.expose()
            );
            tracing::warn!(field = token.expose(), "as a field");
        });
        assert!(!out.contains("tok-Secret42"), "{out}");
        assert_eq!(out.matches(REDACTED).count(), 3, "{out}");
        assert!(out.contains("dialling ws://h:3001/?access_token=<redacted>"));
    }

    #[test]
    fn url_encoded_token_is_redacted_too() {
        let out = logged("a b+c/d", || {
            tracing::info!("GET /?access_token=a%20b%2Bc%2Fd");
        });
        assert!(!out.contains("a%20b%2Bc%2Fd"), "{out}");
        assert!(out.contains(REDACTED));
    }

    #[test]
    fn escaped_forms_of_the_token_are_redacted() {
        let token = r#"ab"c\d 'e"#;
        let out = logged(token, || {
            // tungstenite's trace of the upgrade request is a `{:?}` of its text.
            let request = format!("GET / HTTP/1.1\r\nAuthorization: Bearer {token}\r\n\r\n");
            tracing::info!("Request: {:?}", request);
            tracing::info!("frame {}", serde_json::json!({ "token": token }));
            tracing::info!("GET /?access_token=ab%22c%5Cd+%27e");
        });
        for form in secret_forms(token) {
            assert!(!out.contains(&form), "{form:?} in {out}");
        }
        assert!(!out.contains(r#"ab\"c"#), "{out}");
        assert_eq!(out.matches(REDACTED).count(), 3, "{out}");
    }

    #[test]
    fn the_crates_that_see_the_handshake_log_nothing_below_info() {
        let writer = RedactingWriter::new(Vec::<u8>::new(), &[]);
        let sink = writer.sink();
        let subscriber = tracing_subscriber::registry().with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(filter_fn(third_party_cap)),
        );
        tracing::subscriber::with_default(subscriber, || {
            tracing::trace!(target: "tungstenite::handshake::client", "Request: header");
            tracing::debug!(target: "tokio_tungstenite", "debug detail");
            tracing::trace!(target: "hyper::proto", "h1 headers");
            tracing::info!(target: "tungstenite::client", "kept: info");
            tracing::trace!(target: "napterm::onebot", "kept: ours");
            tracing::trace!(target: "httpish", "kept: another crate");
        });
        let out = String::from_utf8(sink.lock().unwrap().clone()).unwrap();
        assert!(!out.contains("header") && !out.contains("detail"), "{out}");
        assert_eq!(out.matches("kept").count(), 3, "{out}");
    }

    #[test]
    fn tokens_written_into_the_url_are_found() {
        let t = token_in_url("ws://h:1/?x=1&access_token=abc%2Bd#frag").unwrap();
        assert_eq!(t.expose(), "abc%2Bd");
        assert!(token_in_url("ws://h:1/").is_none());
        assert!(token_in_url("ws://h:1/?access_token=").is_none());
    }

    #[test]
    fn lines_without_the_token_are_unchanged() {
        let out = logged("zzz-secret", || tracing::info!("connected as 小明 (10001)"));
        assert!(out.contains("connected as 小明 (10001)"), "{out}");
        assert!(!out.contains(REDACTED));
    }

    #[test]
    fn oversized_logs_are_moved_aside() {
        let dir = std::env::temp_dir().join(format!("napterm-log-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(LOG_FILE_NAME);
        std::fs::write(&path, vec![b'x'; ROTATE_BYTES as usize + 1]).unwrap();
        let mut f = open_log(&path).unwrap();
        f.write_all(b"fresh\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "fresh\n");
        assert!(dir.join("napterm.log.1").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
