//! Side effects that belong to the terminal and the desktop: notifications, the window title,
//! the clipboard, opening links, suspending. A trait, so tests can record them instead.

use std::io;

use base64::Engine;

use super::terminal;
use crate::onebot::link::is_web_url;
use crate::ui::sanitize::{for_clipboard, for_osc};

/// The desktop notification sequence a terminal understands. Terminals differ: some show
/// OSC 9, some OSC 777, some both, so only one is ever sent (or two notifications appear).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Osc {
    /// `OSC 9 ; text` (iTerm2, kitty, WezTerm, Ghostty, …).
    Nine,
    /// `OSC 777 ; notify ; title ; body` (rxvt-unicode, foot, VTE terminals, …).
    SevenSevenSeven,
}

/// Where terminal side effects go.
pub trait Host {
    /// A notification: the bell and/or the `osc` sequence, as configured.
    fn notify(&mut self, title: &str, body: &str, bell: bool, osc: Option<Osc>);
    /// Sets the window title.
    fn set_title(&mut self, title: &str);
    /// Copies text to the clipboard (OSC 52, works over SSH).
    fn copy(&mut self, text: &str);
    /// Opens a URL; an error says why (e.g. no opener over SSH).
    fn open(&mut self, url: &str) -> Result<(), String>;
    /// Opens a saved file with the system opener; where none can open it (over SSH, without a
    /// display) its path is copied instead and the reason returned.
    fn open_file(&mut self, path: &str) -> Result<(), String> {
        self.copy(path);
        Err("无法在这里打开文件，路径已复制到剪贴板".into())
    }
    /// Suspends the process (Ctrl+Z).
    fn suspend(&mut self) -> io::Result<()>;
    /// Gives the terminal to another program (the editor): restored as around Ctrl+Z.
    fn leave_terminal(&mut self) {}
    /// Takes the terminal back after [`Host::leave_terminal`].
    fn enter_terminal(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// Turns on the keyboard protocol the terminal said it speaks.
    fn enhance_keyboard(&mut self);
}

/// The notification as one `osc` sequence, its text stripped of everything that could end or
/// extend an escape sequence or read differently than it is (bidi controls).
pub fn notify_sequence(title: &str, body: &str, osc: Osc) -> String {
    let title = for_osc(title).replace(';', "；");
    let body = for_osc(body);
    match osc {
        Osc::SevenSevenSeven => {
            format!("\x1b]777;notify;{title};{}\x07", body.replace(';', "；"))
        }
        Osc::Nine => format!("\x1b]9;{title}: {body}\x07"),
    }
}

/// Why no browser can be opened here, if none can: over SSH (it would open on the other
/// machine), or without a display to open it on. `set` says whether an environment variable is
/// set.
pub fn no_opener(set: &dyn Fn(&str) -> bool, macos: bool) -> Option<&'static str> {
    if set("SSH_CONNECTION") || set("SSH_TTY") {
        return Some("通过 SSH 连接，无法在本机打开浏览器");
    }
    if !macos && !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
        return Some("没有图形界面 (未设置 DISPLAY / WAYLAND_DISPLAY)，无法打开浏览器");
    }
    None
}

/// The OSC 52 sequence that puts `text` on the clipboard, its controls dropped first.
pub fn copy_sequence(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(for_clipboard(text).as_bytes());
    format!("\x1b]52;c;{b64}\x07")
}

/// The system opener's command for `url`. One rule for every link napterm opens: only an
/// `http(s)://` URL that draws as itself (`is_web_url`), so no other scheme (`file:`,
/// `javascript:`, `smb:`) reaches the opener, and the argument, starting with `http`, is never
/// taken as an option (`--manual`). No `--` is passed: xdg-open refuses it as an unknown option.
pub fn opener_command(url: &str) -> Result<std::process::Command, String> {
    if !is_web_url(url) {
        return Err("只能打开 http(s) 链接".into());
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut cmd = std::process::Command::new(opener);
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    Ok(cmd)
}

/// The real terminal.
pub struct TerminalHost;

impl Host for TerminalHost {
    fn notify(&mut self, title: &str, body: &str, bell: bool, osc: Option<Osc>) {
        let mut s = String::new();
        if let Some(osc) = osc {
            s.push_str(&notify_sequence(title, body, osc));
        }
        if bell {
            s.push('\x07');
        }
        if !s.is_empty() {
            terminal::write_raw(&s);
        }
    }

    fn set_title(&mut self, title: &str) {
        terminal::write_raw(&format!("\x1b]0;{}\x07", for_osc(title)));
    }

    fn copy(&mut self, text: &str) {
        terminal::write_raw(&copy_sequence(text));
    }

    fn open(&mut self, url: &str) -> Result<(), String> {
        let mut cmd = opener_command(url)?;
        if let Some(why) = no_opener(
            &|k| std::env::var_os(k).is_some(),
            cfg!(target_os = "macos"),
        ) {
            self.copy(url);
            return Err(format!("{why}，链接已复制到剪贴板"));
        }
        let opener = cmd.get_program().to_string_lossy().into_owned();
        cmd.spawn()
            .map(drop)
            .map_err(|e| format!("无法运行 {opener}: {e}"))
    }

    fn open_file(&mut self, path: &str) -> Result<(), String> {
        if let Some(why) = no_opener(
            &|k| std::env::var_os(k).is_some(),
            cfg!(target_os = "macos"),
        ) {
            self.copy(path);
            return Err(format!("{why}，文件路径已复制到剪贴板"));
        }
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        // Our own absolute path in the download folder: never read as an option.
        if !path.starts_with('/') {
            return Err("只能打开下载目录中的文件".into());
        }
        std::process::Command::new(opener)
            .arg(path)
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

    fn enhance_keyboard(&mut self) {
        terminal::enhance_keyboard();
    }
}

/// Records side effects (tests, headless runs).
#[derive(Debug, Default)]
pub struct RecordingHost {
    pub notifications: Vec<(String, String)>,
    pub titles: Vec<String>,
    pub copied: Vec<String>,
    pub opened: Vec<String>,
    pub keyboard_enhanced: bool,
}

impl Host for RecordingHost {
    fn notify(&mut self, title: &str, body: &str, _bell: bool, _osc: Option<Osc>) {
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
    fn enhance_keyboard(&mut self) {
        self.keyboard_enhanced = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_cannot_smuggle_escapes() {
        for osc in [Osc::Nine, Osc::SevenSevenSeven] {
            let s = notify_sequence("a\x1b]0;pwned\x07", "b\u{9b}2J;c", osc);
            // Only our own ESC/BEL delimiters remain.
            assert_eq!(s.matches('\x1b').count(), 1, "{osc:?}");
            assert_eq!(s.matches('\x07').count(), 1, "{osc:?}");
            assert!(!s.contains('\u{9b}'));
            // Bidi overrides would make the notification read differently than it is.
            let s = notify_sequence("小明\u{202E}gnp.exe", "看\u{2066}这个\u{202D}", osc);
            assert!(
                !s.chars().any(crate::ui::sanitize::is_bidi_control),
                "{s:?}"
            );
            assert!(s.contains("小明gnp.exe") && s.contains("看这个"));
        }
        assert!(notify_sequence("t", "b2J;c", Osc::SevenSevenSeven).contains("b2J；c"));
    }

    #[test]
    fn no_browser_says_why_ssh_or_no_display() {
        let env = |vars: &'static [&'static str]| move |k: &str| vars.contains(&k);
        let ssh = no_opener(&env(&["SSH_CONNECTION", "DISPLAY"]), false).unwrap();
        assert!(ssh.contains("SSH"), "{ssh}");
        let console = no_opener(&env(&[]), false).unwrap();
        assert!(
            console.contains("没有图形界面") && !console.contains("SSH"),
            "{console}"
        );
        assert_eq!(no_opener(&env(&["WAYLAND_DISPLAY"]), false), None);
        assert_eq!(
            no_opener(&env(&[]), true),
            None,
            "macOS opens without DISPLAY"
        );
    }

    #[test]
    fn a_notification_is_one_sequence_of_the_chosen_kind() {
        assert_eq!(
            notify_sequence("小明", "在吗", Osc::Nine),
            "\x1b]9;小明: 在吗\x07"
        );
        assert_eq!(
            notify_sequence("小明", "在吗", Osc::SevenSevenSeven),
            "\x1b]777;notify;小明;在吗\x07"
        );
    }

    #[test]
    fn copied_text_reaches_the_clipboard_without_controls() {
        let seq = copy_sequence("ls\x1b[201~\nrm -rf ~\r\n\u{9b}\u{202E}ok");
        let b64 = seq
            .strip_prefix("\x1b]52;c;")
            .and_then(|s| s.strip_suffix('\x07'))
            .expect("one OSC 52 sequence");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64");
        assert_eq!(String::from_utf8(bytes).unwrap(), "ls[201~\nrm -rf ~\nok");
    }

    #[test]
    fn only_web_links_reach_the_opener_and_never_as_an_option() {
        for bad in [
            "--manual",
            "-h",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "smb://evil.example/share",
            "mqqapi://card/show_pslcard?uin=1",
            "https://example.com/\x1b]0;x\x07",
            "httpx://example.com",
        ] {
            assert!(opener_command(bad).is_err(), "{bad:?} was opened");
        }
        let cmd = opener_command("https://example.com/a?b=1").expect("a web link opens");
        let args: Vec<_> = cmd.get_args().collect();
        assert_eq!(args, ["https://example.com/a?b=1"]);
    }
}
