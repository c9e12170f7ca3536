//! The `napterm` binary against an in-process simulated NapCat on loopback: `call`, tokens from
//! every source, failures with one-line reasons and distinct exit statuses, config errors, and
//! `sim`'s ptymeter driver protocol.

use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

use napterm::onebot::{Client, ClientEvent, ConnState, ConnectOptions, Event, Token};
use napterm::sim::{Sim, SimConfig};

const TOKEN: &str = "cli-test-token-5f3a";
/// Long enough for a slow CI machine; only there to turn a hang into a failure.
const HANG: Duration = Duration::from_secs(60);

/// A scratch directory that is removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "napterm-cli-{tag}-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
    /// The log napterm wrote (it must have written one).
    fn log(&self) -> String {
        let log = std::fs::read_to_string(self.0.join("state/napterm/napterm.log"))
            .expect("napterm writes its log under XDG_STATE_HOME");
        assert!(!log.is_empty(), "empty log");
        log
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// `napterm` with a clean environment: no user config, logs in the scratch directory.
fn napterm(scratch: &Scratch, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_napterm"));
    cmd.args(args)
        .env_remove("NAPTERM_URL")
        .env_remove("NAPTERM_TOKEN")
        .env("XDG_CONFIG_HOME", scratch.path("config"))
        .env("XDG_STATE_HOME", scratch.path("state"))
        // Verbose logs give the token more chances to leak; the tests check it does not.
        .env("RUST_LOG", "debug,tungstenite=trace")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    cmd
}

async fn output(mut cmd: Command) -> Output {
    tokio::time::timeout(HANG, cmd.output())
        .await
        .expect("napterm hung")
        .expect("napterm runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Non-zero, nothing on stdout, and exactly one line on stderr that contains `needle`.
fn assert_failed(o: &Output, code: i32, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert_eq!(stdout(o), "", "a failure prints nothing on stdout");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "want one line on stderr, got {err:?}");
    assert!(lines[0].contains(needle), "{needle:?} not in {err:?}");
}

async fn sim_with_token() -> Sim {
    Sim::start(SimConfig {
        token: Some(TOKEN.into()),
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

fn self_id(sim: &Sim) -> i64 {
    sim.with_world(|w| w.self_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_prints_the_reply_data_as_json() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("call");
    let mut cmd = napterm(&scratch, &["--url", &sim.url(), "call", "get_login_info"]);
    cmd.env("NAPTERM_TOKEN", TOKEN);
    let o = output(cmd).await;
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let data: Value = serde_json::from_str(&stdout(&o)).expect("stdout is JSON");
    assert_eq!(data["user_id"], self_id(&sim));
    assert!(data["nickname"].is_string());
    assert!(
        stdout(&o).contains("\n  \""),
        "pretty-printed: {}",
        stdout(&o)
    );
    assert!(sim.calls().iter().any(|c| c.action == "get_login_info"));
    assert!(!scratch.log().contains(TOKEN), "the token reached the log");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_passes_json_params() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("params");
    let group = sim
        .with_world(|w| w.groups().first().map(|g| g.group_id))
        .unwrap();
    let params = format!(r#"{{"group_id": {group}}}"#);
    let mut cmd = napterm(
        &scratch,
        &["call", "get_group_info", &params, "--url", &sim.url()],
    );
    cmd.env("NAPTERM_TOKEN", TOKEN);
    let o = output(cmd).await;
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let data: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(data["group_id"], group);
    let call = sim
        .calls()
        .into_iter()
        .find(|c| c.action == "get_group_info")
        .unwrap();
    assert_eq!(call.params["group_id"], group);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_token_fails_with_one_line_and_no_retries() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("badtoken");
    let mut cmd = napterm(&scratch, &["call", "get_status", "--url", &sim.url()]);
    cmd.env("NAPTERM_TOKEN", "not-the-token");
    let o = output(cmd).await;
    assert_failed(&o, 3, "token");
    assert!(!stderr(&o).contains("not-the-token"));
    assert_eq!(
        sim.connects_total(),
        1,
        "a rejected token must not be retried"
    );
    let log = scratch.log();
    assert!(!log.contains("not-the-token"), "the token reached the log");
    // tungstenite's trace of the handshake request (the header with the token) is filtered out
    // whatever RUST_LOG asks for.
    assert!(
        !log.contains("Authorization") && !log.contains("Bearer"),
        "the handshake request reached the log"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_in_the_url_works_and_stays_out_of_the_log() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("urltoken");
    let url = format!("{}?access_token={TOKEN}", sim.url());
    let o = output(napterm(&scratch, &["call", "get_status", "--url", &url])).await;
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert!(!scratch.log().contains(TOKEN), "the token reached the log");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_with_quotes_and_backslashes_never_reaches_a_trace_log() {
    // tungstenite traces the upgrade request in Rust debug form: `Bearer ab\"c\\d`.
    let token = r#"ab"c\d-quoted-5f3a"#;
    let sim = Sim::start(SimConfig {
        token: Some(token.into()),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let scratch = Scratch::new("escapedtoken");
    let mut cmd = napterm(&scratch, &["call", "get_status", "--url", &sim.url()]);
    cmd.env("NAPTERM_TOKEN", token).env("RUST_LOG", "trace");
    let o = output(cmd).await;
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let log = scratch.log();
    for form in [
        token,
        r#"ab\"c\\d-quoted-5f3a"#,
        "ab%22c%5Cd-quoted-5f3a",
        "quoted-5f3a",
    ] {
        assert!(!log.contains(form), "{form:?} reached the log");
    }
    assert!(
        !log.contains("Authorization"),
        "handshake headers were logged"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_ascii_token_is_refused_for_the_header_and_works_in_the_query() {
    let token = "密码-令牌-5f3a";
    let sim = Sim::start(SimConfig {
        token: Some(token.into()),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let scratch = Scratch::new("cjktoken");
    let mut cmd = napterm(&scratch, &["call", "get_status", "--url", &sim.url()]);
    cmd.env("NAPTERM_TOKEN", token);
    let o = output(cmd).await;
    assert_failed(&o, 2, "token_in_query = true");
    assert!(!stderr(&o).contains(token));

    let config = scratch.path("config/napterm/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "token_in_query = true\n").unwrap();
    let mut cmd = napterm(&scratch, &["call", "get_status", "--url", &sim.url()]);
    cmd.env("NAPTERM_TOKEN", token);
    let o = output(cmd).await;
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    sim.shutdown().await;
}

/// What a hostile server put in a failure reason: retitle the window, clear the screen, an
/// 8-bit CSI, backspace, NUL, write the clipboard, reverse the text.
const HOSTILE_REASON: &str =
    "\x1b]0;pwned\x07\x1b[2J\u{9b}31m\x08\0\x1b]52;c;ZXZpbA==\x07boom\u{202E}txt.exe";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_failure_reason_reaches_stderr_inert() {
    let sim = sim_with_token().await;
    sim.fail_action("get_status", Some((200, HOSTILE_REASON)));
    let scratch = Scratch::new("hostile");
    let mut cmd = napterm(&scratch, &["call", "get_status", "--url", &sim.url()]);
    cmd.env("NAPTERM_TOKEN", TOKEN);
    let o = output(cmd).await;
    assert_failed(&o, 1, "boom");
    let err = stderr(&o);
    let line = err.strip_suffix('\n').unwrap_or(&err);
    assert!(
        !line.chars().any(char::is_control),
        "raw control in {err:?}"
    );
    assert!(!line.contains('\u{202E}'), "bidi override in {err:?}");
    assert!(line.contains("␛]0;pwned␇"), "shown, not executed: {err:?}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_token_says_one_is_needed() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("notoken");
    let o = output(napterm(
        &scratch,
        &["call", "get_status", "--url", &sim.url()],
    ))
    .await;
    assert_failed(&o, 3, "token");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_server_fails_without_retrying() {
    // A port that was just free: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let scratch = Scratch::new("unreachable");
    let url = format!("ws://127.0.0.1:{port}/");
    let o = output(napterm(&scratch, &["call", "get_status", "--url", &url])).await;
    assert_failed(&o, 3, &format!("127.0.0.1:{port}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_action_is_named() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("unknown");
    let mut cmd = napterm(&scratch, &["call", "no_such_action", "--url", &sim.url()]);
    cmd.env("NAPTERM_TOKEN", TOKEN);
    let o = output(cmd).await;
    assert_failed(&o, 1, "no_such_action");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_file_is_read_and_trimmed() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("tokenfile");
    let file = scratch.path("token");
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    let file = file.to_str().unwrap();
    // Global options after the subcommand, and NAPTERM_TOKEN loses to --token-file.
    let mut cmd = napterm(
        &scratch,
        &[
            "call",
            "get_status",
            "--token-file",
            file,
            "--url",
            &sim.url(),
        ],
    );
    cmd.env("NAPTERM_TOKEN", "wrong");
    let o = output(cmd).await;
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let data: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(data.get("online").is_some(), "{data}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_argument_works_but_warns() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("tokenarg");
    let o = output(napterm(
        &scratch,
        &["--token", TOKEN, "call", "get_status", "--url", &sim.url()],
    ))
    .await;
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert!(stderr(&o).contains("visible"), "no warning: {}", stderr(&o));
    assert!(stderr(&o).contains("ps"));
    assert!(!stderr(&o).contains(TOKEN));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn url_and_token_come_from_the_config_file() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("config");
    std::fs::write(scratch.path("token"), TOKEN).unwrap();
    let config = scratch.path("config.toml");
    std::fs::write(
        &config,
        format!("url = \"{}\"\ntoken_file = \"token\"\n", sim.url()),
    )
    .unwrap();
    let o = output(napterm(
        &scratch,
        &["call", "get_status", "--config", config.to_str().unwrap()],
    ))
    .await;
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_config_names_file_line_and_key() {
    let scratch = Scratch::new("badconfig");
    let config = scratch.path("config.toml");
    std::fs::write(
        &config,
        "url = \"ws://127.0.0.1:3001/\"\n[ui]\ncolour = \"16\"\n",
    )
    .unwrap();
    let o = output(napterm(
        &scratch,
        &["call", "get_status", "--config", config.to_str().unwrap()],
    ))
    .await;
    assert_failed(&o, 2, "line 3, key `ui.colour`");
    assert!(stderr(&o).contains(&config.display().to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_params_are_a_usage_error() {
    let scratch = Scratch::new("badjson");
    let o = output(napterm(&scratch, &["call", "get_group_info", "{group_id"])).await;
    assert_failed(&o, 2, "JSON");
}

#[test]
fn help_explains_setup() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_napterm"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "NAPTERM_URL",
        "NAPTERM_TOKEN",
        "config.toml",
        "reportSelfMessage",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
}

/// Reads lines from the driver until one satisfies `want`, returning it.
async fn line_where(
    lines: &mut tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
    want: impl Fn(&str) -> bool,
) -> String {
    tokio::time::timeout(HANG, async {
        loop {
            let line = lines
                .next_line()
                .await
                .unwrap()
                .expect("driver ended early");
            if want(&line) {
                return line;
            }
        }
    })
    .await
    .expect("driver hung")
}

/// The listening URL the simulator prints on stderr.
async fn listening_url(stderr: tokio::process::ChildStderr) -> String {
    let mut lines = BufReader::new(stderr).lines();
    tokio::time::timeout(HANG, async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(at) = line.find("ws://") {
                let rest = &line[at..];
                let end = rest.find(' ').unwrap_or(rest.len());
                return rest[..end].to_string();
            }
        }
        panic!("sim printed no URL");
    })
    .await
    .expect("sim hung")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_speaks_the_ptymeter_driver_protocol() {
    let scratch = Scratch::new("driver");
    let mut cmd = napterm(
        &scratch,
        &[
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--rate",
            "2000",
            "--count",
            "25",
        ],
    );
    cmd.env("NAPTERM_TOKEN", TOKEN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = listening_url(child.stderr.take().unwrap()).await;
    line_where(&mut lines, |l| l == "READY").await;

    let (client, mut events) = Client::connect(ConnectOptions {
        url,
        token: Some(Token::new(TOKEN)),
        ..ConnectOptions::default()
    });
    tokio::time::timeout(HANG, async {
        while let Some(e) = events.recv().await {
            if let ClientEvent::State(ConnState::Connected { .. }) = e {
                return;
            }
        }
    })
    .await
    .expect("client did not connect");

    stdin.write_all(b"GO\n").await.unwrap();
    stdin.flush().await.unwrap();
    let mut markers = Vec::new();
    let done = loop {
        let line = line_where(&mut lines, |_| true).await;
        if let Some(rest) = line.strip_prefix("SENT ") {
            let mut parts = rest.split(' ');
            let marker = parts.next().unwrap().to_string();
            let ts = parts.next().expect("timestamp");
            let ns: u128 = ts
                .strip_prefix("real:")
                .expect("real:<ns>")
                .parse()
                .unwrap();
            assert!(ns > 1_600_000_000_000_000_000, "wall-clock ns: {ns}");
            markers.push(marker);
        } else if line.starts_with("DONE") {
            break line;
        }
    };
    assert_eq!(done, "DONE 25");
    assert_eq!(markers.len(), 25);
    let mut unique = markers.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 25, "markers must be unique: {markers:?}");
    assert!(
        markers.iter().all(|m| m.len() == markers[0].len()),
        "fixed width"
    );

    // Every marker arrived in a message's text.
    let mut seen = 0;
    tokio::time::timeout(HANG, async {
        while seen < markers.len() {
            match events.recv().await {
                Some(ClientEvent::Event(Event::Message(m))) => {
                    let text = m.message.plain_text();
                    if markers.iter().any(|k| text.contains(k.as_str())) {
                        seen += 1;
                    }
                }
                Some(_) => {}
                None => break,
            }
        }
    })
    .await
    .expect("messages missing");
    assert_eq!(seen, markers.len());

    // Closing stdin ends the driver cleanly.
    client.stop();
    drop(stdin);
    let status = tokio::time::timeout(HANG, child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status}");
}

/// Checks the line-printing client; the TUI will need a terminal here instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_without_a_terminal_explains_itself() {
    // The TUI needs a terminal; piped output gets a one-line reason instead of escape codes.
    let scratch = Scratch::new("demo");
    let mut cmd = napterm(&scratch, &["demo"]);
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null());
    let out = tokio::time::timeout(HANG, cmd.output())
        .await
        .expect("exits")
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn on a pipe");
}

// ----- send and tail -----

fn first_group(sim: &Sim) -> (i64, String) {
    sim.with_world(|w| w.groups().first().map(|g| (g.group_id, g.name.clone())))
        .unwrap()
}

fn calls_of(sim: &Sim, action: &str) -> Vec<Value> {
    sim.calls()
        .into_iter()
        .filter(|c| c.action == action)
        .map(|c| c.params)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_posts_text_faces_and_mentions_and_prints_the_message_id() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("send");
    let (group, _) = first_group(&sim);
    let chat = format!("g:{group}");
    let mut cmd = napterm(
        &scratch,
        &[
            "send",
            "--chat",
            &chat,
            "构建通过 [face:14] @10002",
            "--url",
            &sim.url(),
        ],
    );
    cmd.env("NAPTERM_TOKEN", TOKEN);
    let o = output(cmd).await;
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let sent = calls_of(&sim, "send_group_msg");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["group_id"], group);
    let message = &sent[0]["message"];
    assert_eq!(
        message[0],
        serde_json::json!({"type": "text", "data": {"text": "构建通过 "}})
    );
    assert_eq!(message[1]["type"], "face");
    assert_eq!(message[1]["data"]["id"], "14");
    assert_eq!(
        message[3],
        serde_json::json!({"type": "at", "data": {"qq": "10002"}})
    );
    let _id: i64 = stdout(&o).trim().parse().expect("stdout is the message id");
    assert_eq!(stdout(&o).lines().count(), 1);

    // `-` reads stdin, without the newline the pipe ends with.
    let mut cmd = napterm(
        &scratch,
        &["send", "--chat", &chat, "-", "--url", &sim.url()],
    );
    cmd.env("NAPTERM_TOKEN", TOKEN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all("第一行\n第二行\n".as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let o = tokio::time::timeout(HANG, child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let sent = calls_of(&sim, "send_group_msg");
    assert_eq!(sent[1]["message"][0]["data"]["text"], "第一行\n第二行");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_carries_pictures_and_files_over_the_websocket() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("sendfile");
    let (group, _) = first_group(&sim);
    let picture = scratch.path("shot.png");
    std::fs::write(&picture, b"\x89PNG\r\n\x1a\nfake").unwrap();
    let file = scratch.path("report.bin");
    let bytes: Vec<u8> = (0..napterm::cli::send::CHUNK + 10)
        .map(|i| (i % 251) as u8)
        .collect();
    std::fs::write(&file, &bytes).unwrap();
    let chat = format!("g:{group}");
    let mut cmd = napterm(
        &scratch,
        &[
            "send",
            "--chat",
            &chat,
            "日报",
            "--image",
            picture.to_str().unwrap(),
            "--file",
            file.to_str().unwrap(),
            "--url",
            &sim.url(),
        ],
    );
    cmd.env("NAPTERM_TOKEN", TOKEN);
    let o = output(cmd).await;
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    // The picture travels inside the message, not as a path.
    let sent = calls_of(&sim, "send_group_msg");
    let image = &sent[0]["message"][1];
    assert_eq!(image["type"], "image");
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\nfake");
    assert_eq!(image["data"]["file"], format!("base64://{b64}"));
    // The file in two chunks and a completing call, then the upload names the stream's path.
    let chunks = calls_of(&sim, "upload_file_stream");
    assert_eq!(chunks.len(), 3, "{chunks:?}");
    assert_eq!(chunks[0]["chunk_index"], 0);
    assert_eq!(chunks[0]["total_chunks"], 2);
    assert_eq!(chunks[0]["file_size"], bytes.len());
    assert_eq!(chunks[0]["filename"], "report.bin");
    assert_eq!(chunks[1]["chunk_index"], 1);
    assert_eq!(chunks[2]["is_complete"], true);
    let upload = calls_of(&sim, "upload_group_file");
    assert_eq!(upload.len(), 1);
    assert_eq!(upload[0]["group_id"], group);
    assert_eq!(upload[0]["name"], "report.bin");
    let path = upload[0]["file"].as_str().unwrap();
    assert!(
        !path.contains(scratch.0.to_str().unwrap()),
        "no local path: {path}"
    );
    assert!(path.ends_with("/report.bin"), "{path}");
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].parse::<i64>().is_ok(), "{out}");
    assert!(lines[1].starts_with('/'), "the file id: {out}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_exit_statuses_are_those_of_call() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("sendexit");
    let run = |args: Vec<String>| {
        let mut cmd = napterm(
            &scratch,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        cmd.env("NAPTERM_TOKEN", TOKEN);
        output(cmd)
    };
    let url = sim.url();
    let o = run(vec![
        "send".into(),
        "--chat".into(),
        "g:1".into(),
        "hi".into(),
        "--url".into(),
        url.clone(),
    ])
    .await;
    assert_failed(&o, 1, "send_group_msg");
    let o = run(vec![
        "send".into(),
        "--chat".into(),
        "g:1".into(),
        "--url".into(),
        url.clone(),
    ])
    .await;
    assert_failed(&o, 2, "nothing to send");
    let o = run(vec![
        "send".into(),
        "--chat".into(),
        "g:1".into(),
        "--image".into(),
        "/nonexistent.png".into(),
        "--url".into(),
        url.clone(),
    ])
    .await;
    assert_failed(&o, 2, "/nonexistent.png");
    let o = run(vec![
        "send".into(),
        "--chat".into(),
        "g:1".into(),
        "x".into(),
        "--url".into(),
        "ws://127.0.0.1:1/".into(),
    ])
    .await;
    assert_failed(&o, 3, "127.0.0.1:1");
    assert!(calls_of(&sim, "upload_file_stream").is_empty());
    sim.shutdown().await;
}

fn group_event(group: i64, id: i64, text: &str) -> String {
    serde_json::json!({
        "post_type": "message", "message_type": "group", "sub_type": "normal",
        "time": 1_795_003_200, "self_id": 10001, "user_id": 20002, "group_id": group,
        "message_id": id,
        "sender": {"user_id": 20002, "nickname": "小明", "card": "明哥", "role": "member"},
        "message": [{"type": "text", "data": {"text": text}}], "message_format": "array",
    })
    .to_string()
}

/// Starts `napterm tail ARGS`, waits until it is connected, and returns it with its stdout.
async fn tail(
    sim: &Sim,
    scratch: &Scratch,
    args: &[&str],
) -> (
    tokio::process::Child,
    tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
) {
    let url = sim.url();
    let mut all = vec!["tail", "--url", &url];
    all.extend(args);
    let mut cmd = napterm(scratch, &all);
    cmd.env("NAPTERM_TOKEN", TOKEN)
        .env("TZ", "UTC0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn tail");
    let mut err = BufReader::new(child.stderr.take().unwrap()).lines();
    let line = tokio::time::timeout(HANG, err.next_line())
        .await
        .unwrap()
        .unwrap();
    assert!(
        line.is_some_and(|l| l.contains("connected")),
        "tail connects"
    );
    let out = BufReader::new(child.stdout.take().unwrap()).lines();
    (child, out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_prints_one_sanitised_line_per_message_until_ctrl_c() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("tail");
    let (group, name) = first_group(&sim);
    let other = sim.with_world(|w| w.groups()[1].group_id);
    let chat = format!("g:{group}");
    let (mut child, mut out) = tail(&sim, &scratch, &["--chat", &chat]).await;
    sim.send_raw(&group_event(other, 7001, "别的群"));
    sim.send_raw(&group_event(group, 7002, "第一行\n第二行 \u{1b}[31m红"));
    let line = tokio::time::timeout(HANG, out.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(
        line,
        format!("2026-11-18 12:00:00 [{name}] 明哥: 第一行 ⏎ 第二行 ␛[31m红"),
        "names resolved, one line, sanitised"
    );
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id().unwrap() as i32, libc::SIGINT) };
    let status = tokio::time::timeout(HANG, child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(
        out.next_line().await.unwrap(),
        None,
        "the other group's message was left out"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_json_prints_one_onebot_event_per_line_and_survives_a_reconnect() {
    let sim = sim_with_token().await;
    let scratch = Scratch::new("tailjson");
    let (group, _) = first_group(&sim);
    let (mut child, mut out) = tail(&sim, &scratch, &["--json"]).await;
    sim.send_raw(&group_event(group, 7101, "一"));
    let line = tokio::time::timeout(HANG, out.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let v: Value = serde_json::from_str(&line).expect("one JSON object");
    assert_eq!(v["message_id"], 7101);
    assert_eq!(v["post_type"], "message");
    assert_eq!(v["message"][0]["data"]["text"], "一");
    // The connection drops: tail reconnects like the client and goes on.
    let before = sim.connects_total();
    sim.drop_connections();
    let deadline = std::time::Instant::now() + HANG;
    while sim.connects_total() == before || sim.connection_count() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "tail did not reconnect"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Connected again once the login is answered; then messages flow again.
    let mut got = None;
    for id in 7102..7200 {
        sim.send_raw(&group_event(group, id, "二"));
        if let Ok(Ok(Some(line))) =
            tokio::time::timeout(Duration::from_millis(200), out.next_line()).await
        {
            got = Some(line);
            break;
        }
    }
    let v: Value = serde_json::from_str(&got.expect("a message after the reconnect")).unwrap();
    assert_eq!(v["message"][0]["data"]["text"], "二");
    let _ = child.kill().await;
    sim.shutdown().await;
}
