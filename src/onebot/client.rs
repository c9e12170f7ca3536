//! The connection to NapCat: one universal forward WebSocket carrying events and action replies.
//!
//! `Client` is a cheap, cloneable handle. `Client::connect` spawns the connection task, which owns
//! the socket, matches replies to calls by `echo`, watches heartbeats and reconnects with backoff.
//! Everything the UI needs to know arrives on the `ClientEvent` channel.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use super::error::{Error, Result};
use super::event::Event;
use super::frame::{FrameError, Reply};
use super::stream::{Backlog, StreamReplies};

/// An access token. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token; surrounding whitespace (a trailing newline in a token file) is dropped.
    pub fn new(s: impl Into<String>) -> Self {
        Token(s.into().trim().to_string())
    }
    /// The secret itself, for the `Authorization` header or query parameter only.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// True when empty (no auth).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// True when an `Authorization: Bearer` header can carry it as it is: printable ASCII only.
    /// Anything else (CJK, emoji, controls) is mangled on the way and never matches NapCat's
    /// token; `token_in_query` sends it percent-encoded instead.
    pub fn fits_header(&self) -> bool {
        self.0.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
    }
}

/// What to say about a token that cannot go in the header (see [`Token::fits_header`]).
pub const TOKEN_NOT_FOR_HEADER: &str = "the access token contains characters an HTTP header \
    cannot carry (non-ASCII letters or control characters), so NapCat would never accept it \
    there; set `token_in_query = true` in the config file to send it as `?access_token=` instead";

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How to reach NapCat and how patient to be.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// `ws://host:port/` or `wss://…` (a universal path, not `/api`).
    pub url: String,
    pub token: Option<Token>,
    /// Send the token as `?access_token=` instead of the `Authorization: Bearer` header.
    pub token_in_query: bool,
    /// Timeout for ordinary calls.
    pub call_timeout: Duration,
    /// Timeout for calls that move media (uploads, sends with files, downloads).
    pub media_timeout: Duration,
    /// First reconnect delay; doubles per failure (with jitter) up to `backoff_max`.
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    /// The peer counts as dead after this many heartbeat intervals without any frame.
    pub missed_heartbeats: u32,
    /// How long to wait for the TCP/WebSocket handshake.
    pub connect_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            url: "ws://127.0.0.1:3001/".into(),
            token: None,
            token_in_query: false,
            call_timeout: Duration::from_secs(15),
            media_timeout: Duration::from_secs(300),
            backoff_min: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            missed_heartbeats: 3,
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// What the UI shows about the connection.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnState {
    /// Dialling (attempt 1 is the first).
    Connecting { attempt: u32 },
    /// Connected; self info once `get_login_info` answered (0 / "" until then).
    Connected { self_id: i64, nickname: String },
    /// Waiting before the next attempt.
    Reconnecting { in_secs: u64, reason: String },
    /// The token was rejected; no retry until the user fixes it. `message` says what to fix.
    AuthFailed { message: String },
    /// `stop()` was called or every handle was dropped.
    Stopped,
}

/// What the connection reports.
#[derive(Debug, Clone)]
pub enum ClientEvent {
    /// The connection state changed.
    State(ConnState),
    /// An event from NapCat (meta events included).
    Event(Event),
    /// The connection came back after a loss: events in between may be missing; fill from history.
    Reconnected,
    /// A frame that could not be used; `total` counts them since start.
    BadFrame { error: FrameError, total: u64 },
}

/// One pending call, as seen by a test double (`Client::mock`).
pub struct MockCall {
    pub action: String,
    pub params: Value,
    pub timeout: Duration,
    /// Answer with a reply frame, as the server would.
    pub reply: oneshot::Sender<Reply>,
    /// For a stream call (`Client::call_stream`): send each reply frame here instead; the call
    /// ends at the final frame (or an error), and `reply` is unused.
    pub frames: Option<mpsc::UnboundedSender<Reply>>,
}

/// How a call takes its reply frames.
pub(crate) enum Answer {
    /// The final frame's result: every ordinary call, and the last frame of a stream action.
    Final(oneshot::Sender<Result<Value>>),
    /// The first frame, whatever it is: `upload_file_stream` answers each call with one frame.
    First(oneshot::Sender<Result<Value>>),
    /// Every frame in turn until the final one (or an error); the timeout is then an idle
    /// timeout, restarted by each frame. A dropped receiver ends the call.
    Frames(mpsc::UnboundedSender<Result<Value>>, Arc<Backlog>),
}

impl Answer {
    /// Delivers `result` (the call is over for `Final` and `First`).
    pub(crate) fn send(self, result: Result<Value>) {
        match self {
            Answer::Final(tx) | Answer::First(tx) => {
                let _ = tx.send(result);
            }
            Answer::Frames(tx, backlog) => {
                backlog.add();
                if tx.send(result).is_err() {
                    backlog.take();
                }
            }
        }
    }
}

pub(crate) enum Transport {
    /// The real connection task.
    Live(mpsc::UnboundedSender<Command>),
    /// Calls go to a test's receiver.
    Mock(mpsc::UnboundedSender<MockCall>),
}

/// Commands from handles to the connection task.
pub(crate) enum Command {
    Call {
        action: String,
        params: Value,
        answer: Answer,
        timeout: Duration,
    },
    /// Dial now: cuts a reconnect wait short, or tries again after the token was rejected.
    Reconnect,
    Stop,
}

/// A handle to the connection. Cloning is cheap; all clones share one socket.
#[derive(Clone)]
pub struct Client {
    pub(crate) transport: Arc<Transport>,
    pub(crate) call_timeout: Duration,
    pub(crate) media_timeout: Duration,
    /// Stream frames queued and not yet read (see `stream::Backlog`).
    pub(crate) backlog: Arc<Backlog>,
    /// The connection task, for [`Client::close`] to wait on.
    pub(crate) task: Arc<std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").finish_non_exhaustive()
    }
}

impl Client {
    /// Connects to NapCat in the background (call inside a tokio runtime). The returned handle
    /// works at once: calls fail fast with `Error::Transport` until the socket is up. State
    /// changes, events, reconnects and bad frames arrive on the receiver.
    pub fn connect(opts: ConnectOptions) -> (Client, mpsc::UnboundedReceiver<ClientEvent>) {
        let (commands, command_rx) = mpsc::unbounded_channel();
        let (events, event_rx) = mpsc::unbounded_channel();
        let backlog = Arc::new(Backlog::default());
        let (call_timeout, media_timeout) = (opts.call_timeout, opts.media_timeout);
        let task = tokio::spawn(super::connection::run(
            opts,
            command_rx,
            events,
            backlog.clone(),
        ));
        let client = Client {
            transport: Arc::new(Transport::Live(commands)),
            call_timeout,
            media_timeout,
            backlog,
            task: Arc::new(std::sync::Mutex::new(Some(task))),
        };
        (client, event_rx)
    }

    /// A client whose calls arrive on the returned receiver, for tests of the API layer.
    pub fn mock() -> (Client, mpsc::UnboundedReceiver<MockCall>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let opts = ConnectOptions::default();
        (
            Client {
                transport: Arc::new(Transport::Mock(tx)),
                call_timeout: opts.call_timeout,
                media_timeout: opts.media_timeout,
                backlog: Arc::new(Backlog::default()),
                task: Arc::default(),
            },
            rx,
        )
    }

    /// Performs `action` with `params` and the default timeout; returns the reply's `data`
    /// (`Value::Null` when the server sent none).
    pub async fn call(&self, action: &str, params: Value) -> Result<Value> {
        self.call_with_timeout(action, params, self.call_timeout)
            .await
    }

    /// Like `call`, with the long timeout used for media.
    pub async fn call_media(&self, action: &str, params: Value) -> Result<Value> {
        self.call_with_timeout(action, params, self.media_timeout)
            .await
    }

    /// Like `call`, with an explicit timeout.
    pub async fn call_with_timeout(
        &self,
        action: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value> {
        self.call_once(action, params, timeout, false).await
    }

    /// Like `call_with_timeout`, taking the first reply frame whatever it is. For
    /// `upload_file_stream`, which answers every call with a single `stream-action` frame (a
    /// chunk's receipt is `{type: "stream"}`, so an ordinary call would wait for more).
    pub async fn call_first_frame(
        &self,
        action: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value> {
        self.call_once(action, params, timeout, true).await
    }

    async fn call_once(
        &self,
        action: &str,
        params: Value,
        timeout: Duration,
        first: bool,
    ) -> Result<Value> {
        let timed_out = || Error::Timeout {
            action: action.to_string(),
            secs: timeout.as_secs(),
        };
        match &*self.transport {
            Transport::Mock(tx) => {
                let (rtx, rrx) = oneshot::channel();
                tx.send(MockCall {
                    action: action.to_string(),
                    params,
                    timeout,
                    reply: rtx,
                    frames: None,
                })
                .map_err(|_| Error::Transport("mock closed".into()))?;
                match tokio::time::timeout(timeout, rrx).await {
                    Ok(Ok(reply)) => reply_to_result(action, reply),
                    Ok(Err(_)) => Err(Error::Transport("mock dropped the call".into())),
                    Err(_) => Err(timed_out()),
                }
            }
            Transport::Live(tx) => {
                let (rtx, rrx) = oneshot::channel();
                let answer = if first {
                    Answer::First(rtx)
                } else {
                    Answer::Final(rtx)
                };
                tx.send(Command::Call {
                    action: action.to_string(),
                    params,
                    answer,
                    timeout,
                })
                .map_err(|_| Error::NotConnected("connection stopped".into()))?;
                match rrx.await {
                    Ok(r) => r,
                    Err(_) => Err(Error::Transport("connection stopped".into())),
                }
            }
        }
    }

    /// Starts a stream action (`download_file_stream` and its kin): NapCat answers with several
    /// frames under one echo, and each arrives on the returned [`StreamReplies`] until the final
    /// one or an error. `idle_timeout` bounds the wait for each frame, not the whole transfer.
    /// Dropping the `StreamReplies` abandons the call (later frames are ignored).
    pub fn call_stream(
        &self,
        action: &str,
        params: Value,
        idle_timeout: Duration,
    ) -> StreamReplies {
        let (ftx, frx) = mpsc::unbounded_channel();
        match &*self.transport {
            Transport::Mock(tx) => {
                let (rtx, _unused) = oneshot::channel();
                let (mtx, mut mrx) = mpsc::unbounded_channel::<Reply>();
                let sent = tx.send(MockCall {
                    action: action.to_string(),
                    params,
                    timeout: idle_timeout,
                    reply: rtx,
                    frames: Some(mtx),
                });
                if sent.is_err() {
                    let _ = ftx.send(Err(Error::Transport("mock closed".into())));
                } else {
                    let action = action.to_string();
                    tokio::spawn(async move {
                        loop {
                            let frame = match tokio::time::timeout(idle_timeout, mrx.recv()).await {
                                Ok(Some(frame)) => frame,
                                Ok(None) => {
                                    let _ = ftx.send(Err(Error::Transport(
                                        "mock dropped the call".into(),
                                    )));
                                    return;
                                }
                                Err(_) => {
                                    let _ = ftx.send(Err(Error::Timeout {
                                        action,
                                        secs: idle_timeout.as_secs(),
                                    }));
                                    return;
                                }
                            };
                            let last = frame.is_final();
                            let result = reply_to_result(&action, frame);
                            let failed = result.is_err();
                            if ftx.send(result).is_err() || last || failed {
                                return;
                            }
                        }
                    });
                }
            }
            Transport::Live(tx) => {
                let sent = tx.send(Command::Call {
                    action: action.to_string(),
                    params,
                    answer: Answer::Frames(ftx.clone(), self.backlog.clone()),
                    timeout: idle_timeout,
                });
                if sent.is_err() {
                    let _ = ftx.send(Err(Error::NotConnected("connection stopped".into())));
                }
            }
        }
        let backlog = matches!(&*self.transport, Transport::Live(_)).then(|| self.backlog.clone());
        StreamReplies::new(action, frx, backlog)
    }

    /// Connects now instead of waiting out the reconnect backoff (also after a rejected token,
    /// once it may have been fixed on NapCat's side). Does nothing while connecting or connected.
    pub fn reconnect_now(&self) {
        if let Transport::Live(tx) = &*self.transport {
            let _ = tx.send(Command::Reconnect);
        }
    }

    /// Closes the connection for good; the state becomes `Stopped`.
    pub fn stop(&self) {
        if let Transport::Live(tx) = &*self.transport {
            let _ = tx.send(Command::Stop);
        }
    }

    /// Stops the connection and waits, up to `limit`, until it has ended: the server got its
    /// close frame (at exit: NapCat sees a client leave, not a socket drop).
    pub async fn close(&self, limit: Duration) {
        self.stop();
        let task = self.task.lock().ok().and_then(|mut t| t.take());
        if let Some(task) = task {
            let _ = tokio::time::timeout(limit, task).await;
        }
    }
}

/// Maps a reply frame to the call's result: `data` on success, a typed error otherwise.
pub fn reply_to_result(action: &str, reply: Reply) -> Result<Value> {
    let message = if reply.message.is_empty() {
        reply.wording.clone()
    } else {
        reply.message.clone()
    };
    match reply.retcode {
        0 if reply.status != "failed" => Ok(reply.data.unwrap_or(Value::Null)),
        1403 => Err(Error::AuthRejected(message)),
        1404 => Err(Error::UnknownAction {
            action: action.to_string(),
        }),
        1400 | 400 => Err(Error::BadParams {
            action: action.to_string(),
            message,
        }),
        code => Err(Error::ActionFailed {
            action: action.to_string(),
            retcode: code,
            message: if message.is_empty() {
                format!("retcode {code}")
            } else {
                message
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(retcode: i64, status: &str, data: Option<Value>, message: &str) -> Reply {
        Reply {
            status: status.into(),
            retcode,
            data,
            message: message.into(),
            wording: message.into(),
            echo: Value::Null,
            stream: None,
        }
    }

    #[test]
    fn retcodes_map_to_distinct_errors() {
        assert_eq!(
            reply_to_result("a", reply(0, "ok", None, "")),
            Ok(Value::Null)
        );
        assert!(matches!(
            reply_to_result("a", reply(1403, "failed", None, "token验证失败")),
            Err(Error::AuthRejected(_))
        ));
        assert!(matches!(
            reply_to_result("a", reply(1404, "failed", None, "")),
            Err(Error::UnknownAction { .. })
        ));
        assert!(matches!(
            reply_to_result("a", reply(1400, "failed", None, "bad")),
            Err(Error::BadParams { .. })
        ));
        match reply_to_result("a", reply(1200, "failed", None, "No such request")) {
            Err(Error::ActionFailed {
                message, retcode, ..
            }) => {
                assert_eq!((message.as_str(), retcode), ("No such request", 1200))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn token_is_never_printed() {
        let t = Token::new("s3cret\n");
        assert_eq!(t.expose(), "s3cret");
        assert!(!format!("{t:?} {t}").contains("s3cret"));
    }
}
