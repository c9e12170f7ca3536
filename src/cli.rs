//! The command line: global options, subcommands, and the dispatch from them to the library.
//!
//! `main.rs` only calls [`main`]; every subcommand lives in its own file under `src/cli/`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod call;
mod demo;
mod history;
pub mod interactive;
pub mod send;
mod sim;
pub mod tail;

use crate::config::{self, Overrides, Settings};
use crate::onebot::Token;
use crate::ui::sanitize::for_stderr;

/// Exit status of a failed call (NapCat answered with an error).
pub const EXIT_CALL_FAILED: u8 = 1;
/// Exit status of a usage or configuration problem.
pub const EXIT_USAGE: u8 = 2;
/// Exit status when NapCat could not be reached, rejected the token, or did not answer in time.
pub const EXIT_CONNECTION: u8 = 3;

/// napterm's command line.
#[derive(Debug, Parser)]
#[command(
    name = "napterm",
    version,
    about = "A keyboard-driven terminal QQ client for NapCat (OneBot 11).",
    long_about = "A keyboard-driven terminal QQ client for NapCat (OneBot 11).\n\n\
        Without a subcommand napterm connects to NapCat's forward WebSocket server and opens the \
        chat client. `napterm demo` tries it against a built-in simulated NapCat, no QQ account \
        needed.",
    after_long_help = after_help(),
    after_help = "See `napterm --help` for environment variables, the config file and NapCat settings."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options accepted before or after any subcommand.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// NapCat's forward WebSocket URL, e.g. ws://127.0.0.1:3001/ [env: NAPTERM_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub url: Option<String>,
    /// Read the access token from this file (surrounding whitespace is ignored)
    #[arg(long, value_name = "PATH", global = true, conflicts_with = "token")]
    pub token_file: Option<PathBuf>,
    /// The access token itself; visible to other users in `ps`, prefer --token-file or
    /// NAPTERM_TOKEN [env: NAPTERM_TOKEN]
    #[arg(long, value_name = "TOKEN", global = true)]
    pub token: Option<String>,
    /// Read settings from this file instead of the default config.toml
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
}

/// What to do; without one, napterm runs the client against the configured URL.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Try napterm against a built-in simulated NapCat (no QQ account needed)
    Demo(DemoArgs),
    /// Run the simulated NapCat on its own, for a second terminal, bots or benchmarks
    #[command(
        long_about = "Run the simulated NapCat on its own: a believable account with \
        friends, groups and history, answering OneBot 11 actions like NapCat does.\n\n\
        Without --rate/--count it sends a gentle live stream of messages, pokes and notices \
        until Ctrl+C. With --rate or --count it is a load driver speaking ptymeter's protocol \
        on stdout: READY once listening; the flood starts when GO arrives on stdin (or, when \
        stdin is a terminal, as soon as a client connects); SENT <marker> real:<ns> after each \
        message; DONE <n> at the end; it exits when stdin closes.\n\n\
        The token the simulator requires comes from --token, --token-file, NAPTERM_TOKEN or the \
        config file, like the client's."
    )]
    Sim(SimArgs),
    /// Perform one API call and print the reply's data as JSON
    #[command(
        long_about = "Perform one OneBot 11 API call and print the reply's `data` as \
        pretty JSON on stdout, e.g.\n\n    napterm call get_login_info\n    \
        napterm call send_group_msg '{\"group_id\": 123, \"message\": \"hi\"}'\n\n\
        Exit status: 0 on success; 1 when NapCat answered with an error (unknown action, bad \
        parameters, the action failed); 2 for usage or configuration errors; 3 when NapCat \
        could not be reached, rejected the token or did not answer in time. The reason is one \
        line on stderr."
    )]
    Call(CallArgs),
    /// Send a message (text, faces, @QQ, pictures) and/or a file; prints the message id
    #[command(
        long_about = "Send one message to a chat and print its message id, e.g.\n\n    \
        napterm send --chat g:123456 '构建通过 [face:14] @10002'\n    \
        make 2>&1 | tail -5 | napterm send --chat g:123456 -\n    \
        napterm send --chat u:10002 --image shot.png --file report.pdf\n\n\
        TEXT may hold [face:14] or [face:微笑], @QQ mentions and @全体成员; `-` reads it from \
        stdin. Pictures travel inside the message as base64, files in upload_file_stream chunks \
        over the WebSocket (NapCat may be on another machine); a file's id is printed after the \
        message id.\n\n\
        Exit status as for `napterm call`: 0 sent; 1 NapCat refused; 2 usage or configuration \
        error; 3 NapCat could not be reached, rejected the token or did not answer in time."
    )]
    Send(send::SendArgs),
    /// Print incoming messages as they arrive, one line each, until Ctrl+C
    #[command(
        long_about = "Print the messages arriving, one line each (time, chat, sender, text, \
        names resolved and sanitised for the terminal), until Ctrl+C or until stdout closes. \
        --chat keeps one chat; --json prints each OneBot message event as one JSON object per \
        line. It reconnects like the client (saying so on stderr); a rejected token ends it \
        with exit status 3."
    )]
    Tail(tail::TailArgs),
    /// Print the effective keymap (defaults merged with ~/.config/napterm/keymap.toml)
    Keys,
    /// Print a chat's local history, oldest first (no NapCat needed)
    #[command(
        long_about = "Print a chat's stored messages, oldest first, from the local \
        history ($XDG_DATA_HOME/napterm/<QQ>/history.db) of the last account used, or of \
        --account. jsonl is one OneBot message object per line (message_id, time, user_id, \
        sender, message, plus recalled); txt is for reading and includes notice lines.\n\n\
        Exit status: 0 on success; 1 when the history cannot be read; 2 for usage errors."
    )]
    Export(history::ExportArgs),
    /// Search the local history of every chat (no NapCat needed)
    #[command(
        long_about = "Search the local history, newest first. TEXT is what /find \
        takes: words that must all occur (Chinese of any length, Latin words, numbers), \
        \"a phrase\", and filters in:<chat> from:<who> after:YYYY-MM-DD before:YYYY-MM-DD \
        has:image|file|link.\n\n\
        Exit status: 0 on success (also when nothing is found); 1 when the history cannot be \
        read; 2 for usage errors."
    )]
    Find(history::FindArgs),
    /// Delete a chat's local history (asks first; --yes skips the question)
    Forget(history::ForgetArgs),
}

/// `napterm sim` options.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Address to listen on (port 0 picks a free one)
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:3001")]
    pub listen: std::net::SocketAddr,
    /// Flood: messages per second (default 200 when only --count is given)
    #[arg(long, value_name = "MSGS_PER_S", value_parser = positive_rate)]
    pub rate: Option<f64>,
    /// Flood: number of messages (default 2000 when only --rate is given)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// A big account: 2,000 friends in 20 categories, 500 groups (of 3,000 and 2,000 members
    /// among them), 300 recent chats
    #[arg(long)]
    pub big: bool,
}

/// `napterm demo` arguments.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// The simulator's big account (see `napterm sim --big`)
    #[arg(long)]
    pub big: bool,
}

impl SimArgs {
    /// The flood `(rate, count)` when either was asked for.
    pub fn flood(&self) -> Option<(f64, u64)> {
        match (self.rate, self.count) {
            (None, None) => None,
            (r, c) => Some((r.unwrap_or(200.0), c.unwrap_or(2000))),
        }
    }
}

fn positive_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!(
            "`{s}` is not a positive number of messages per second"
        )),
    }
}

/// `napterm call` arguments.
#[derive(Debug, Clone, Args)]
pub struct CallArgs {
    /// The action, e.g. get_login_info, send_group_msg, get_group_member_list
    pub action: String,
    /// Parameters as a JSON object (default {}); `-` reads them from stdin
    #[arg(value_name = "JSON")]
    pub params: Option<String>,
}

/// The long help's closing part: environment, config file, NapCat settings.
fn after_help() -> String {
    let config_path = config::default_config_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "$XDG_CONFIG_HOME/napterm/config.toml".into());
    let log_dir = crate::logging::log_dir().display().to_string();
    format!(
        "\
Settings come from, highest first: command-line options, environment variables, the config
file, built-in defaults. Global options work before or after a subcommand.

Environment:
  NAPTERM_URL     NapCat's URL, like --url
  NAPTERM_TOKEN   the access token (not shown by `ps`, unlike --token)
  RUST_LOG        log filter, overrides the config's log_level
  NO_COLOR        any value turns colours off

Config file: {config_path}
  TOML, every key optional: url, token, token_file, token_in_query, call_timeout_secs,
  media_timeout_secs, reconnect_max_secs, log_level, [ui], [notify] and [history] tables.
  Unknown keys are errors. The README documents every key.

Logs: {log_dir}/napterm.log (never the screen; the token is redacted).

NapCat settings (WebUI, or config/onebot11_<QQ>.json): add a WebSocket server
(\"websocketServers\") with a token, messagePostFormat \"array\" and reportSelfMessage true:
  {{\"name\": \"napterm\", \"enable\": true, \"host\": \"127.0.0.1\", \"port\": 3001,
   \"messagePostFormat\": \"array\", \"reportSelfMessage\": true, \"token\": \"<secret>\",
   \"enableForcePushEvent\": true, \"debug\": false, \"heartInterval\": 30000}}
then: napterm --url ws://127.0.0.1:3001 --token-file ~/.config/napterm/token"
    )
}

/// Why a command failed: a one-line reason and the exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The exit status (`EXIT_*`).
    pub code: u8,
    /// One line for stderr.
    pub message: String,
}

impl Failure {
    /// A failure with this status and reason.
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl From<config::ConfigError> for Failure {
    fn from(e: config::ConfigError) -> Self {
        Failure::new(EXIT_USAGE, e.to_string())
    }
}

/// The warning `--token` earns in the interface's status line.
pub const TOKEN_ARG_WARNING_TUI: &str =
    "警告: --token 会被本机其他用户看到 (ps、/proc)，请改用 --token-file 或 NAPTERM_TOKEN";

/// The warning `--token` earns.
pub const TOKEN_ARG_WARNING: &str = "napterm: warning: --token is visible to other users of this \
    machine (ps, /proc); prefer --token-file or NAPTERM_TOKEN";

impl GlobalArgs {
    /// The command-line layer of the settings.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            url: self.url.clone(),
            token: self.token.as_deref().map(Token::new),
            token_file: self.token_file.clone(),
        }
    }
}

/// Parses the command line, runs the command and returns the exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            // Reasons quote the server (NapCat's failure message): never raw to the terminal.
            eprintln!("napterm: {}", for_stderr(&f.message));
            ExitCode::from(f.code)
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    if cli.global.token.is_some() {
        eprintln!("{TOKEN_ARG_WARNING}");
    }
    let mut settings = Settings::load(&cli.global.overrides(), cli.global.config.as_deref())?;
    if cli.global.token.is_some() {
        // Printed before the full screen hides it; said again in the status line.
        settings.warnings.push(TOKEN_ARG_WARNING_TUI.to_string());
    }
    if let Err(e) = crate::logging::init(&settings, &crate::logging::log_dir()) {
        // Not fatal: napterm works without a log.
        eprintln!("napterm: warning: logging is off: {}", for_stderr(&e));
    }
    // The interactive client runs on one thread: the socket task, the input and the loop
    // share it, so a message does not wake another thread on its way to the screen (the
    // history store, the session writer and the terminal's keyboard query have their own
    // threads). The scripting commands and the simulator keep the multi-thread runtime.
    let mut builder = match cli.command {
        None | Some(Command::Demo(_)) => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = builder
        .enable_all()
        .build()
        .map_err(|e| Failure::new(EXIT_USAGE, format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(dispatch(cli.command, settings))
}

async fn dispatch(command: Option<Command>, settings: Settings) -> Result<(), Failure> {
    match command {
        None => {
            let (client, events) = crate::onebot::Client::connect(settings.connect_options());
            interactive::run(client, events, &settings, interactive::Session::Real).await
        }
        Some(Command::Demo(args)) => demo::run(settings, args.big).await,
        Some(Command::Sim(args)) => sim::run(&args, &settings).await,
        Some(Command::Call(args)) => {
            call::run(&settings, &args.action, args.params.as_deref()).await
        }
        Some(Command::Send(args)) => send::run(&settings, &args).await,
        Some(Command::Tail(args)) => tail::run(&settings, &args).await,
        Some(Command::Export(args)) => history::export(&args),
        Some(Command::Find(args)) => history::find(&args),
        Some(Command::Forget(args)) => history::forget(&args),
        Some(Command::Keys) => {
            let keymap = interactive::load_keymap()?;
            print!("{}", keymap.describe());
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("napterm").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_work_before_and_after_subcommands() {
        for args in [
            &["--url", "ws://h:1/", "call", "get_status"][..],
            &["call", "get_status", "--url", "ws://h:1/"][..],
            &["call", "--url", "ws://h:1/", "get_status"][..],
        ] {
            let cli = parse(args);
            assert_eq!(cli.global.url.as_deref(), Some("ws://h:1/"), "{args:?}");
            match cli.command {
                Some(Command::Call(c)) => assert_eq!(c.action, "get_status"),
                other => panic!("{other:?}"),
            }
        }
        let cli = parse(&["sim", "--listen", "127.0.0.1:0", "--token-file", "/t"]);
        assert_eq!(cli.global.token_file, Some(PathBuf::from("/t")));
    }

    #[test]
    fn token_and_token_file_exclude_each_other() {
        let r = Cli::try_parse_from(["napterm", "--token", "a", "--token-file", "b"]);
        assert!(r.is_err());
    }

    #[test]
    fn sim_flood_defaults() {
        let flood = |args: &[&str]| match parse(args).command {
            Some(Command::Sim(s)) => s.flood(),
            other => panic!("{other:?}"),
        };
        assert_eq!(flood(&["sim"]), None);
        assert_eq!(flood(&["sim", "--count", "10"]), Some((200.0, 10)));
        assert_eq!(flood(&["sim", "--rate", "50"]), Some((50.0, 2000)));
        assert!(Cli::try_parse_from(["napterm", "sim", "--rate", "0"]).is_err());
        assert!(Cli::try_parse_from(["napterm", "sim", "--count", "0"]).is_err());
    }

    #[test]
    fn long_help_explains_env_config_and_napcat() {
        let help = Cli::command().render_long_help().to_string();
        for needle in [
            "NAPTERM_URL",
            "NAPTERM_TOKEN",
            "config.toml",
            "messagePostFormat",
            "reportSelfMessage",
            "demo",
            "sim",
            "call",
            "--token-file",
        ] {
            assert!(help.contains(needle), "--help lacks {needle}");
        }
    }

    #[test]
    fn reasons_are_one_line() {
        assert_eq!(for_stderr("a\n  b\tc "), "a b c");
    }
}
