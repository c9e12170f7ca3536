//! `napterm tail [--chat g:<id>|u:<id>] [--json]`: the messages arriving, one line each, until
//! Ctrl+C (or until stdout closes: `napterm tail | head` ends quietly). It reconnects like the
//! client, saying so on stderr; a rejected token ends it with exit status 3.
//!
//! A line is `2024-05-01 12:30:05 [chat] sender: text`: chat and sender names resolved (the
//! group's name, a friend's remark, a member's card), the whole line sanitised for a terminal
//! and its line breaks shown as `⏎`. `--json` prints each message event as NapCat sent it, one
//! JSON object per line.

use std::collections::HashMap;
use std::io::Write;

use clap::Args;

use super::{EXIT_CONNECTION, Failure};
use crate::config::Settings;
use crate::onebot::{Client, ClientEvent, ConnState, Event, MessageEvent, Peer};
use crate::store::local_time;
use crate::ui::sanitize::json_for_terminal;
use crate::ui::sanitize::sanitize_line;

/// `napterm tail` options.
#[derive(Debug, Clone, Args)]
pub struct TailArgs {
    /// Only this chat: g:<group number> or u:<QQ number>
    #[arg(long, value_name = "g:<id>|u:<id>")]
    pub chat: Option<Peer>,
    /// One OneBot message event per line, as JSON
    #[arg(long)]
    pub json: bool,
}

/// Chat names, filled from the group and friend lists at every (re)connection.
#[derive(Debug, Default)]
pub struct Names {
    pub groups: HashMap<i64, String>,
    pub friends: HashMap<i64, String>,
}

impl Names {
    async fn load(&mut self, client: &Client) {
        match client.get_group_list(false).await {
            Ok(list) => {
                self.groups = list
                    .into_iter()
                    .map(|g| (g.group_id, g.group_name))
                    .collect();
            }
            Err(e) => tracing::warn!("tail: the group list: {e}"),
        }
        match client.get_friend_list(false).await {
            Ok(list) => {
                self.friends = list
                    .into_iter()
                    .map(|f| {
                        let name = if f.remark.is_empty() {
                            f.nickname
                        } else {
                            f.remark
                        };
                        (f.user_id, name)
                    })
                    .collect();
            }
            Err(e) => tracing::warn!("tail: the friend list: {e}"),
        }
    }
}

/// One message as a line for a terminal.
pub fn line(names: &Names, m: &MessageEvent) -> String {
    let peer = m.peer();
    let chat = match peer {
        Peer::Group(g) => names
            .groups
            .get(&g)
            .cloned()
            .or_else(|| m.group_name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("群 {g}")),
        Peer::Private(u) => names
            .friends
            .get(&u)
            .cloned()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("私聊 {u}")),
    };
    let sender = match (peer, names.friends.get(&m.user_id)) {
        (Peer::Private(_), Some(remark)) if !remark.is_empty() => remark.clone(),
        _ => crate::onebot::display_name(&[&m.sender.card, &m.sender.nickname], m.user_id),
    };
    let text = m
        .message
        .plain_text()
        .replace("\r\n", "\n")
        .replace('\n', " ⏎ ");
    format!(
        "{} [{}] {}: {}",
        local_time(m.time),
        sanitize_line(&chat),
        sanitize_line(&sender),
        sanitize_line(&text)
    )
}

/// A line on stderr about the connection; a closed stderr is no reason to stop.
fn say(what: &str) {
    let _ = writeln!(std::io::stderr(), "napterm: {what}");
}

/// Runs the subcommand until Ctrl+C, stdout closing, or a rejected token.
pub async fn run(settings: &Settings, args: &TailArgs) -> Result<(), Failure> {
    let (client, mut events) = Client::connect(settings.connect_options());
    let url = settings.url_for_display();
    let mut names = Names::default();
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let result = loop {
        let ev = tokio::select! {
            _ = &mut ctrl_c => break Ok(()),
            ev = events.recv() => ev,
        };
        let Some(ev) = ev else {
            break Err(Failure::new(
                EXIT_CONNECTION,
                format!("the connection to {url} stopped"),
            ));
        };
        match ev {
            ClientEvent::State(ConnState::Connected { .. }) => {
                names.load(&client).await;
                say(&format!("connected to {url}"));
            }
            ClientEvent::State(ConnState::Reconnecting { reason, .. }) => {
                say(&format!("{}; reconnecting", sanitize_line(&reason)));
            }
            ClientEvent::State(ConnState::AuthFailed { message }) => {
                break Err(Failure::new(EXIT_CONNECTION, message));
            }
            ClientEvent::Event(Event::Message(m)) => {
                if args.chat.is_some_and(|c| c != m.peer()) {
                    continue;
                }
                let text = if args.json {
                    match serde_json::to_string(&*m) {
                        Ok(t) => json_for_terminal(&t).into_owned(),
                        Err(e) => {
                            tracing::warn!("tail: cannot print a message: {e}");
                            continue;
                        }
                    }
                } else {
                    line(&names, &m)
                };
                let mut out = std::io::stdout().lock();
                if writeln!(out, "{text}").and_then(|()| out.flush()).is_err() {
                    // The reader went away (`| head`): done.
                    break Ok(());
                }
            }
            _ => {}
        }
    };
    client.stop();
    result
}
