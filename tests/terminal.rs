//! The real binary in a real pseudo-terminal: the interface comes up, and the terminal is
//! restored whichever way it ends — Ctrl+C, SIGTERM, SIGHUP (a dropped SSH session), a panic
//! (whose message is still printed, after the restore).

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A pseudo-terminal pair: we hold the master, the child gets the slave as its terminal.
struct Pty {
    master: std::fs::File,
    slave: OwnedFd,
}

fn open_pty(cols: u16, rows: u16) -> Pty {
    let mut master: libc::c_int = -1;
    let mut slave: libc::c_int = -1;
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two valid descriptors on success; we own them from here.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &ws,
        )
    };
    assert_eq!(rc, 0, "openpty");
    // Neither goes to a child by inheritance (openpty sets no close-on-exec): a napterm holding
    // its own pty's master would never see the terminal go away when a failed test drops it.
    for fd in [master, slave] {
        // SAFETY: fcntl on descriptors we own.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: both descriptors were just created and are owned by nobody else.
    unsafe {
        Pty {
            master: std::fs::File::from_raw_fd(master),
            slave: OwnedFd::from_raw_fd(slave),
        }
    }
}

/// Output collected from the master side.
struct Screen {
    out: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().expect("lock")).into_owned()
    }
    fn wait_for(&self, needle: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {what}; output so far: {:?}",
            self.text()
        );
    }
}

struct Running {
    /// The process we started: napterm, or the stand-in job-control shell (`start_job`).
    child: Child,
    /// napterm's own pid.
    pid: u32,
    pty: Pty,
    screen: Screen,
    _dir: std::path::PathBuf,
}

/// Starts `napterm demo` on a fresh pty, with config and state in a scratch directory, as the
/// leader of its own session (as `ssh host napterm` or a tmux pane command run it: no shell with
/// job control above it); the pty answers the terminal queries as a terminal without the kitty
/// keyboard protocol would.
fn start(extra_env: &[(&str, &str)]) -> Running {
    start_with(extra_env, false, true)
}

/// [`start`], on a pty that answers no query when `answer_queries` is false.
fn start_on(extra_env: &[(&str, &str)], answer_queries: bool) -> Running {
    start_with(extra_env, false, answer_queries)
}

/// Starts `napterm demo` as a job-control shell runs a job: a session leader (standing in for
/// the shell) puts it in a process group of its own, gives that group the terminal, and waits.
fn start_job() -> Running {
    start_with(&[], true, true)
}

fn start_with(extra_env: &[(&str, &str)], job: bool, answer_queries: bool) -> Running {
    let dir = std::env::temp_dir().join(format!(
        "napterm-pty-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos() ^ rand_suffix()
    ));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let pty = open_pty(100, 30);
    let slave = pty.slave.as_raw_fd();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_napterm"));
    cmd.arg("demo")
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("TERM", "xterm-256color")
        .env_remove("NAPTERM_URL")
        .env_remove("NAPTERM_TOKEN")
        .env_remove("RUST_LOG");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    // SAFETY: dup'ing our slave descriptor for the child's stdio.
    let io = |fd: i32| unsafe { Stdio::from_raw_fd(libc::dup(fd)) };
    cmd.stdin(io(slave)).stdout(io(slave)).stderr(io(slave));
    // SAFETY: only async-signal-safe calls between fork and exec: a new session whose
    // controlling terminal is the pty, as a login shell would have.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            if job {
                as_a_job();
            }
            Ok(())
        });
    }
    let child = cmd.spawn().expect("spawn napterm");
    let pid = if job { job_pid(child.id()) } else { child.id() };
    let out = Arc::new(Mutex::new(Vec::new()));
    let sink = out.clone();
    let mut reader = pty.master.try_clone().expect("clone master");
    let answers = pty.master.try_clone().expect("clone master");
    std::thread::spawn(move || {
        let mut answers = answers;
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let chunk = &buf[..n];
            // Answer the terminal queries crossterm may send, as a terminal would.
            if answer_queries
                && (chunk.windows(3).any(|w| w == b"\x1b[c")
                    || chunk.windows(4).any(|w| w == b"\x1b[?u"))
            {
                let _ = answers.write_all(b"\x1b[?62;22c");
            }
            sink.lock().expect("lock").extend_from_slice(chunk);
        }
    });
    Running {
        child,
        pid,
        pty,
        screen: Screen { out },
        _dir: dir,
    }
}

/// In the forked child, before exec: forks again. The parent stays behind as the job-control
/// shell (the job in its own group holding the terminal; it exits as the job does); the child
/// returns to exec napterm once its group holds the terminal.
///
/// Only async-signal-safe calls: this runs between fork and exec.
fn as_a_job() {
    // SAFETY: fork, setpgid, tcsetpgrp, close, waitpid, nanosleep and _exit are
    // async-signal-safe.
    unsafe {
        let pid = libc::fork();
        if pid > 0 {
            libc::setpgid(pid, pid);
            libc::tcsetpgrp(0, pid);
            // Everything but stdio, the pipe `spawn` waits on included: spawn returns.
            for fd in 3..1024 {
                libc::close(fd);
            }
            let mut status = 0;
            loop {
                let r = libc::waitpid(pid, &mut status, 0);
                if r == pid && (libc::WIFEXITED(status) || libc::WIFSIGNALED(status)) {
                    break;
                }
                if r < 0 && *libc::__errno_location() != libc::EINTR {
                    libc::_exit(1);
                }
            }
            let code = if libc::WIFEXITED(status) {
                libc::WEXITSTATUS(status)
            } else {
                128 + libc::WTERMSIG(status)
            };
            libc::_exit(code);
        }
        if pid == 0 {
            libc::setpgid(0, 0);
            let pause = libc::timespec {
                tv_sec: 0,
                tv_nsec: 1_000_000,
            };
            while libc::tcgetpgrp(0) != libc::getpid() {
                libc::nanosleep(&pause, std::ptr::null_mut());
            }
        }
    }
}

/// napterm's pid under the stand-in shell `shell`: its only child.
fn job_pid(shell: u32) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
            .unwrap_or_default();
        if let Some(pid) = children
            .split_whitespace()
            .next()
            .and_then(|p| p.parse().ok())
        {
            return pid;
        }
        assert!(Instant::now() < deadline, "the job never started");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn rand_suffix() -> u128 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(0u8) as u128
}

/// A test that failed halfway leaves no napterm behind.
impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.signal(libc::SIGKILL);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Running {
    fn wait_up(&self) {
        self.screen.wait_for("\x1b[?1049h", "the alternate screen");
        self.screen.wait_for("夜航船", "the connected status line");
    }

    fn send(&mut self, bytes: &[u8]) {
        self.pty.master.write_all(bytes).expect("write to pty");
    }

    fn signal(&self, sig: libc::c_int) {
        // SAFETY: sending a signal to our own child process.
        unsafe {
            libc::kill(self.pid as i32, sig);
        }
    }

    /// Waits for the exit (panicking after 20 s) and returns the status code.
    fn exit_code(&mut self) -> Option<i32> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(st) = self.child.try_wait().expect("wait") {
                // Let the reader drain the last bytes.
                std::thread::sleep(Duration::from_millis(200));
                return st.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("napterm did not exit; output: {:?}", self.screen.text());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The terminal is back in cooked mode with echo, out of the alternate screen, cursor shown.
    fn assert_restored(&self) {
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: reading the attributes of a descriptor we own.
        let rc = unsafe { libc::tcgetattr(self.pty.slave.as_raw_fd(), &mut t) };
        assert_eq!(rc, 0);
        assert!(t.c_lflag & libc::ICANON != 0, "canonical mode restored");
        assert!(t.c_lflag & libc::ECHO != 0, "echo restored");
        let out = self.screen.text();
        let leave = out.rfind("\x1b[?1049l").expect("left the alternate screen");
        let enter = out.rfind("\x1b[?1049h").expect("entered it first");
        assert!(leave > enter, "the last switch is back to the main screen");
        assert!(
            out[leave..].contains("\x1b[?25h")
                || out[..leave].rfind("\x1b[?25h") > out[..leave].rfind("\x1b[?25l"),
            "cursor visible"
        );
        assert!(out.contains("\x1b[?2004l"), "bracketed paste turned off");
    }
}

#[test]
fn ctrl_c_quits_and_restores() {
    let mut r = start(&[]);
    r.wait_up();
    r.send(b"\x03");
    assert_eq!(r.exit_code(), Some(0));
    r.assert_restored();
}

#[test]
fn sigterm_restores() {
    let mut r = start(&[]);
    r.wait_up();
    r.signal(libc::SIGTERM);
    assert_eq!(r.exit_code(), Some(0));
    r.assert_restored();
}

#[test]
fn sighup_restores() {
    let mut r = start(&[]);
    r.wait_up();
    r.signal(libc::SIGHUP);
    assert_eq!(r.exit_code(), Some(0));
    r.assert_restored();
}

#[test]
fn a_panic_restores_first_then_prints_its_message() {
    let mut r = start(&[("NAPTERM_DEBUG_PANIC", "1")]);
    r.screen.wait_for("deliberate panic", "the panic message");
    assert_eq!(r.exit_code(), Some(101));
    r.assert_restored();
    let out = r.screen.text();
    let leave = out.rfind("\x1b[?1049l").expect("restored");
    let msg = out.rfind("deliberate panic").expect("message");
    assert!(
        msg > leave,
        "the message comes after the restore, where the user can read it"
    );
}

/// The process state letter from /proc (T = stopped).
fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S …": the state follows the last ')'.
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

#[test]
fn ctrl_z_without_a_job_control_shell_says_so_and_keeps_running() {
    // Stopped here, nothing would ever continue it: napterm would stay stopped for good.
    let mut r = start(&[]);
    r.wait_up();
    r.send(b"\x1a");
    r.screen
        .wait_for("无法挂起", "the reason in the status line");
    assert_ne!(proc_state(r.pid), Some('T'), "not stopped");
    r.send(b"\x03");
    assert_eq!(r.exit_code(), Some(0));
    r.assert_restored();
}

#[test]
fn ctrl_z_suspends_with_the_terminal_restored_and_resumes() {
    let mut r = start_job();
    r.wait_up();
    let before = r.screen.text().len();
    r.send(b"\x1a");
    // The restore is written before the process stops.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !r.screen.text()[before..].contains("\x1b[?1049l") {
        assert!(Instant::now() < deadline, "no restore before the stop");
        std::thread::sleep(Duration::from_millis(20));
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while proc_state(r.pid) != Some('T') {
        assert!(Instant::now() < deadline, "napterm did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    r.assert_restored();
    // fg: continue, and napterm takes the terminal back and redraws.
    r.signal(libc::SIGCONT);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let out = r.screen.text();
        if out.len() > before
            && out[before..].matches("\x1b[?1049h").count() >= 1
            && out[before..].contains("夜航船")
        {
            break;
        }
        assert!(Instant::now() < deadline, "no redraw after resume");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: reading the attributes of a descriptor we own.
    unsafe { libc::tcgetattr(r.pty.slave.as_raw_fd(), &mut t) };
    assert!(t.c_lflag & libc::ICANON == 0, "raw mode again after resume");
    r.send(b"\x03");
    assert_eq!(r.exit_code(), Some(0));
    r.assert_restored();
}

#[test]
fn the_editor_gets_a_restored_terminal_and_its_text_comes_back_as_the_draft() {
    let dir = std::env::temp_dir().join(format!("napterm-pty-editor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let script = dir.join("fake-editor");
    let log = dir.join("log");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nstty -a > {log}\ncat \"$1\" >> {log}\necho \"$1\" >> {log}\n\
             printf '编辑后的草稿\\n' > \"$1\"\n",
            log = log.display()
        ),
    )
    .expect("script");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let editor = script.display().to_string();
    let mut r = start(&[("VISUAL", editor.as_str()), ("EDITOR", "false")]);
    r.wait_up();
    // Pasted, so that it lands in one frame: typed key by key, the two characters may be drawn
    // by two frames, and the byte stream never holds them side by side.
    r.send("\x1b[200~你好\x1b[201~".as_bytes());
    r.screen.wait_for("你好", "the pasted draft");
    let before = r.screen.text().len();
    r.send(b"\x18\x05");
    r.screen
        .wait_for("编辑后的草稿", "the edited draft on screen");
    let out = r.screen.text();
    assert!(
        out[before..].contains("\x1b[?1049l") && out[before..].contains("\x1b[?1049h"),
        "left the alternate screen for the editor and came back"
    );
    let log = std::fs::read_to_string(&log).expect("the editor ran");
    assert!(
        log.contains(" icanon") && !log.contains("-icanon"),
        "cooked mode in the editor: {log}"
    );
    assert!(log.contains("你好"), "the draft went in: {log}");
    let path = log.lines().last().expect("path");
    assert!(!std::path::Path::new(path).exists(), "{path} removed");
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: reading the attributes of a descriptor we own.
    unsafe { libc::tcgetattr(r.pty.slave.as_raw_fd(), &mut t) };
    assert!(
        t.c_lflag & libc::ICANON == 0,
        "raw mode again after the editor"
    );
    r.send(b"\x03");
    assert_eq!(r.exit_code(), Some(0));
    r.assert_restored();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_first_frame_does_not_wait_for_the_keyboard_protocol_answer() {
    // A terminal that has not answered the keyboard protocol query (yet): the interface comes up
    // all the same, keys typed meanwhile are kept, and a late answer is still taken.
    let mut r = start_on(&[], false);
    r.screen
        .wait_for("\x1b[?u\x1b[c", "the keyboard protocol query");
    // The first frame (the sidebar's tabs), drawn while the question is open.
    r.screen.wait_for("会话", "the first frame");
    r.send(b"zqxjv");
    assert!(
        !r.screen.text().contains("\x1b[>1u"),
        "no keyboard protocol before the answer"
    );
    // Now the terminal answers, as a kitty-protocol terminal would: flags, device attributes.
    r.send(b"\x1b[?0u\x1b[?62;22c");
    r.screen.wait_for(
        "\x1b[>1u",
        "the keyboard protocol turned on after the answer",
    );
    r.screen
        .wait_for("zqxjv", "the keys typed before the answer");
    r.wait_up();
    r.send(b"\x03");
    assert_eq!(r.exit_code(), Some(0));
    r.assert_restored();
    assert!(
        r.screen.text().contains("\x1b[<1u"),
        "the keyboard protocol turned off on the way out"
    );
}

#[test]
fn call_on_a_terminal_escapes_what_could_act_on_it() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let sim = rt
        .block_on(napterm::sim::Sim::start(napterm::sim::SimConfig::default()))
        .expect("simulator");
    // A nickname holding an 8-bit CSI (clear screen) and a right-to-left override.
    sim.with_world(|w| w.nickname = "夜航船\u{9b}2J\u{202E}gnp.exe".into());
    let pty = open_pty(100, 30);
    let slave = pty.slave.as_raw_fd();
    let dir = std::env::temp_dir().join(format!("napterm-pty-call-{}", rand_suffix()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_napterm"));
    cmd.args(["call", "get_login_info", "--url", &sim.url()])
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env_remove("NAPTERM_URL")
        .env_remove("NAPTERM_TOKEN");
    // SAFETY: dup'ing our slave descriptor for the child's stdio.
    let io = |fd: i32| unsafe { Stdio::from_raw_fd(libc::dup(fd)) };
    cmd.stdin(io(slave)).stdout(io(slave)).stderr(io(slave));
    let mut child = cmd.spawn().expect("spawn napterm call");
    // The command holds our copies of the slave: the master reads to the end only once they
    // are closed too.
    drop(cmd);
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        assert!(Instant::now() < deadline, "napterm call hung");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    drop(pty.slave);
    let mut out = Vec::new();
    let mut master = pty.master;
    let mut buf = [0u8; 8192];
    // Until the slave side is gone (EIO on Linux) or nothing more comes.
    while let Ok(n) = master.read(&mut buf) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains(r"夜航船\u009b2J\u202egnp.exe"), "{text}");
    assert!(
        !text.contains('\u{9b}') && !text.contains('\u{202E}'),
        "{text:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
    rt.block_on(sim.shutdown());
}

/// Alt+↓ as macOS Terminal (Option as Meta) and others send it, `ESC ESC [ B`, opens the next
/// chat: crossterm reads `ESC ESC` as Esc and typed `[B` into the composer.
#[test]
fn alt_arrow_sent_with_an_esc_prefix_is_alt_arrow() {
    let mut r = start(&[]);
    r.wait_up();
    r.send(b"/open Rust\r");
    r.screen.wait_for("369人", "Rust 中文社区 open");
    let screen = |r: &Running| {
        let nz = |n: u16| std::num::NonZeroU16::new(n).expect("a size");
        let mut p = vt100::Parser::new(nz(30), nz(100), 0);
        p.process(&r.screen.out.lock().expect("lock"));
        p.screen().contents()
    };
    r.send(b"\x1b\x1b[B");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let shown = screen(&r);
        let header = shown.lines().next().unwrap_or_default().to_string();
        // Another chat's name in the header (which one depends on the demo's latest messages).
        let chat = header
            .split('│')
            .nth(1)
            .unwrap_or_default()
            .trim()
            .to_string();
        if !chat.is_empty() && !chat.contains("Rust 中文社区") {
            assert!(!shown.contains("[B"), "nothing typed:\n{shown}");
            break;
        }
        assert!(Instant::now() < deadline, "no other chat opened:\n{shown}");
        std::thread::sleep(Duration::from_millis(50));
    }
    r.send(b"\x03");
    assert_eq!(r.exit_code(), Some(0));
}
