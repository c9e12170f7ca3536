//! Side effects that belong to the terminal and the desktop: notifications, the window title,
//! the clipboard, opening links, suspending. A trait, so tests can record them instead.

use std::io;

use base64::Engine;

use super::terminal;

/// Where terminal side effects go.
pub trait Host {
    /// A notification: bell and/or OSC 9 + OSC 777, per the flags.
    fn notify(&mut self, title: &str, body: &str, bell: bool, osc: bool);
    /// Sets the window title.
    fn set_title(&mut self, title: &str);
    /// Copies text to the clipboard (OSC 52, works over SSH).
    fn copy(&mut self, text: &str);
    /// Opens a URL; an error says why (e.g. no opener over SSH).
    fn open(&mut self, url: &str) -> Result<(), String>;
    /// Suspends the process (Ctrl+Z).
    fn suspend(&mut self) -> io::Result<()>;
    /// Gives the terminal to another program (the editor): restored as around Ctrl+Z.
    fn leave_terminal(&mut self) {}
    /// Takes the terminal back after [`Host::leave_terminal`].
    fn enter_terminal(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Strips everything that could end or extend an escape sequence.
pub fn osc_safe(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() && !('\u{80}'..='\u{9f}').contains(c))
        .collect()
}

/// The OSC 9 and OSC 777 notification sequences.
pub fn notify_sequences(title: &str, body: &str) -> String {
    let title = osc_safe(title).replace(';', "；");
    let body = osc_safe(body);
    format!(
        "\x1b]777;notify;{title};{}\x07\x1b]9;{title}: {body}\x07",
        body.replace(';', "；")
    )
}

/// The real terminal.
pub struct TerminalHost;

impl Host for TerminalHost {
    fn notify(&mut self, title: &str, body: &str, bell: bool, osc: bool) {
        let mut s = String::new();
        if osc {
            s.push_str(&notify_sequences(title, body));
        }
        if bell {
            s.push('\x07');
        }
        if !s.is_empty() {
            terminal::write_raw(&s);
        }
    }

    fn set_title(&mut self, title: &str) {
        terminal::write_raw(&format!("\x1b]0;{}\x07", osc_safe(title)));
    }

    fn copy(&mut self, text: &str) {
        let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
        terminal::write_raw(&format!("\x1b]52;c;{b64}\x07"));
    }

    fn open(&mut self, url: &str) -> Result<(), String> {
        let local_display = std::env::var_os("DISPLAY").is_some()
            || std::env::var_os("WAYLAND_DISPLAY").is_some()
            || cfg!(target_os = "macos");
        let remote = std::env::var_os("SSH_CONNECTION").is_some();
        if !local_display || remote {
            self.copy(url);
            return Err("没有可用的浏览器 (SSH)，链接已复制到剪贴板".into());
        }
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        std::process::Command::new(opener)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map(drop)
            .map_err(|e| format!("无法运行 {opener}: {e}"))
    }

    fn suspend(&mut self) -> io::Result<()> {
        terminal::suspend()
    }

    fn leave_terminal(&mut self) {
        terminal::restore();
    }

    fn enter_terminal(&mut self) -> io::Result<()> {
        terminal::enter_mode()
    }
}

/// Records side effects (tests, headless runs).
#[derive(Debug, Default)]
pub struct RecordingHost {
    pub notifications: Vec<(String, String)>,
    pub titles: Vec<String>,
    pub copied: Vec<String>,
    pub opened: Vec<String>,
}

impl Host for RecordingHost {
    fn notify(&mut self, title: &str, body: &str, _bell: bool, _osc: bool) {
        self.notifications.push((title.into(), body.into()));
    }
    fn set_title(&mut self, title: &str) {
        self.titles.push(title.into());
    }
    fn copy(&mut self, text: &str) {
        self.copied.push(text.into());
    }
    fn open(&mut self, url: &str) -> Result<(), String> {
        self.opened.push(url.into());
        Ok(())
    }
    fn suspend(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_cannot_smuggle_escapes() {
        let s = notify_sequences("a\x1b]0;pwned\x07", "b\u{9b}2J;c");
        // Only our own ESC/BEL delimiters remain.
        assert_eq!(s.matches('\x1b').count(), 2);
        assert_eq!(s.matches('\x07').count(), 2);
        assert!(!s.contains('\u{9b}'));
        assert!(s.contains("b2J；c"));
    }
}
