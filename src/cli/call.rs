//! `napterm call ACTION [JSON]`: one API call; the reply's `data` is printed as pretty JSON.
//!
//! Scripts depend on this being quick and definite: it gives up after the first failed
//! connection attempt instead of reconnecting, and every failure is one line and an exit status.

use std::io::{IsTerminal, Read};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::mpsc::UnboundedReceiver;

use super::{EXIT_CALL_FAILED, EXIT_CONNECTION, EXIT_USAGE, Failure};
use crate::config::Settings;
use crate::onebot::{Client, ClientEvent, ConnState, Error};
use crate::ui::sanitize::json_for_terminal;

/// The longest wait for the TCP/WebSocket handshake before giving up.
const CONNECT_GIVE_UP: Duration = Duration::from_secs(10);

/// Runs the subcommand: parses `params`, performs the call, prints the data.
pub async fn run(settings: &Settings, action: &str, params: Option<&str>) -> Result<(), Failure> {
    let params = parse_params(params)?;
    let data = call_once(settings, action, params).await?;
    let text = serde_json::to_string_pretty(&data)
        .map_err(|e| Failure::new(EXIT_CALL_FAILED, format!("cannot print the reply: {e}")))?;
    println!("{}", for_stdout(&text, std::io::stdout().is_terminal()));
    Ok(())
}

/// The reply as printed: on a terminal, what could act on it (C1, bidi controls) is written as
/// JSON escapes — the same JSON; into a pipe or file, exactly as NapCat sent it.
fn for_stdout(json: &str, terminal: bool) -> std::borrow::Cow<'_, str> {
    if terminal {
        json_for_terminal(json)
    } else {
        std::borrow::Cow::Borrowed(json)
    }
}

/// The parameters: a JSON object (absent means `{}`); `-` reads them from stdin.
pub fn parse_params(arg: Option<&str>) -> Result<Value, Failure> {
    let text = match arg {
        None => return Ok(Value::Object(Default::default())),
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Failure::new(EXIT_USAGE, format!("cannot read stdin: {e}")))?;
            s
        }
        Some(s) => s.to_string(),
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(Failure::new(
            EXIT_USAGE,
            "parameters must be a JSON object, e.g. '{\"group_id\": 123}'",
        )),
        Err(e) => Err(Failure::new(
            EXIT_USAGE,
            format!("parameters are not valid JSON ({e}); e.g. '{{\"group_id\": 123}}'"),
        )),
    }
}

/// A connection for one script step: the first failure to connect ends it (no reconnecting).
pub struct Once {
    pub client: Client,
    pub events: UnboundedReceiver<ClientEvent>,
    /// The URL as it may be shown (no token).
    pub url: String,
}

impl Once {
    /// Connects, giving up after the first failed attempt.
    pub async fn connect(settings: &Settings) -> Result<Once, Failure> {
        let mut opts = settings.connect_options();
        opts.connect_timeout = opts.connect_timeout.min(CONNECT_GIVE_UP);
        // Reaching `Connected` includes NapCat answering `get_login_info`.
        let give_up = opts.connect_timeout + settings.call_timeout;
        let (client, mut events) = Client::connect(opts);
        let url = settings.url_for_display();
        let up = match tokio::time::timeout(give_up, connected(&mut events, &url)).await {
            Ok(r) => r,
            Err(_) => Err(Failure::new(
                EXIT_CONNECTION,
                format!("no answer from {url} within {} s", give_up.as_secs()),
            )),
        };
        match up {
            Ok(()) => Ok(Once {
                client,
                events,
                url,
            }),
            Err(f) => {
                client.stop();
                Err(f)
            }
        }
    }

    /// The reason and exit status of a failed call on this connection.
    pub async fn explain(&mut self, error: Error) -> Failure {
        explain(error, &mut self.events, &self.url).await
    }
}

/// Connects, performs one call and disconnects.
pub async fn call_once(settings: &Settings, action: &str, params: Value) -> Result<Value, Failure> {
    let Once {
        client,
        mut events,
        url,
    } = Once::connect(settings).await?;
    let result = async {
        let timeout = if moves_media(action) {
            settings.media_timeout
        } else {
            settings.call_timeout
        };
        match client.call_with_timeout(action, params, timeout).await {
            Ok(data) => Ok(data),
            Err(e) => Err(explain(e, &mut events, &url).await),
        }
    }
    .await;
    client.stop();
    result
}

/// Waits until the connection is usable; the first failure ends the wait.
async fn connected(events: &mut UnboundedReceiver<ClientEvent>, url: &str) -> Result<(), Failure> {
    while let Some(event) = events.recv().await {
        match event {
            ClientEvent::State(ConnState::Connected { .. }) => return Ok(()),
            ClientEvent::State(ConnState::AuthFailed { message }) => {
                return Err(Failure::new(EXIT_CONNECTION, message));
            }
            ClientEvent::State(ConnState::Reconnecting { reason, .. }) => {
                return Err(Failure::new(
                    EXIT_CONNECTION,
                    format!("cannot connect to {url}: {reason}"),
                ));
            }
            ClientEvent::State(ConnState::Stopped) => break,
            _ => {}
        }
    }
    Err(Failure::new(
        EXIT_CONNECTION,
        format!("the connection to {url} stopped"),
    ))
}

/// Turns a call error into the one-line reason and exit status. A transport error right after a
/// token rejection is reported as the rejection, which is what the user has to fix.
async fn explain(error: Error, events: &mut UnboundedReceiver<ClientEvent>, url: &str) -> Failure {
    if let Error::Transport(_) | Error::NotConnected(_) = &error {
        let auth = tokio::time::timeout(Duration::from_millis(300), async {
            while let Some(event) = events.recv().await {
                if let ClientEvent::State(ConnState::AuthFailed { message }) = event {
                    return Some(message);
                }
            }
            None
        })
        .await;
        if let Ok(Some(message)) = auth {
            return Failure::new(EXIT_CONNECTION, message);
        }
    }
    let code = match &error {
        Error::Transport(_)
        | Error::NotConnected(_)
        | Error::Timeout { .. }
        | Error::AuthRejected(_) => EXIT_CONNECTION,
        _ => EXIT_CALL_FAILED,
    };
    let message = match &error {
        Error::Transport(reason) => format!("lost the connection to {url}: {reason}"),
        Error::NotConnected(reason) => format!("not connected to {url}: {reason}"),
        Error::UnknownAction { action } => {
            format!("NapCat does not know the action `{action}` (retcode 1404)")
        }
        other => other.to_string(),
    };
    Failure::new(code, message)
}

/// Actions that upload, download or may carry files get the long media timeout.
pub fn moves_media(action: &str) -> bool {
    [
        "upload", "download", "file", "image", "record", "video", "avatar", "send_",
    ]
    .iter()
    .any(|w| action.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_must_be_a_json_object() {
        assert_eq!(parse_params(None).unwrap(), serde_json::json!({}));
        assert_eq!(
            parse_params(Some(r#"{"group_id": 1}"#)).unwrap(),
            serde_json::json!({"group_id": 1})
        );
        let err = parse_params(Some("[1]")).unwrap_err();
        assert_eq!(err.code, EXIT_USAGE);
        assert!(err.message.contains("JSON object"));
        let err = parse_params(Some("{group_id: }")).unwrap_err();
        assert!(err.message.contains("not valid JSON"), "{}", err.message);
    }

    #[test]
    fn a_reply_on_a_terminal_is_escaped_and_in_a_pipe_is_not() {
        let json = "{\n  \"nickname\": \"a\u{9b}2J\u{202E}\"\n}";
        assert_eq!(
            for_stdout(json, true),
            "{\n  \"nickname\": \"a\\u009b2J\\u202e\"\n}"
        );
        assert_eq!(for_stdout(json, false), json);
    }

    #[test]
    fn media_actions_are_recognised() {
        assert!(moves_media("upload_group_file"));
        assert!(moves_media("send_group_msg"));
        assert!(!moves_media("get_status"));
        assert!(!moves_media("set_group_ban"));
    }
}
