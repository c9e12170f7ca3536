//! The task behind `Client::connect`: dials NapCat, matches replies to calls by echo, watches
//! liveness and reconnects with backoff until it is stopped or the token is rejected.
//!
//! One task owns everything (the pending-call map, the timers, the state); one writer task per
//! socket batches outgoing frames so a slow peer never stalls the reader or the timers.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use super::percent_encode;
use futures_util::stream::SplitSink;
use futures_util::{FutureExt, SinkExt, StreamExt};
use serde::Serialize;
use serde_json::Value;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::error::{ProtocolError, UrlError};
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode, header::AUTHORIZATION};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::client::{
    Answer, ClientEvent, Command, ConnState, ConnectOptions, TOKEN_NOT_FOR_HEADER, reply_to_result,
};
use super::error::{Error, Result};
use super::event::{Event, Meta};
use super::frame::{Frame, FrameError, Reply, parse_frame};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Without heartbeats, a silent peer is pinged after this long…
const PING_AFTER_SILENCE: Duration = Duration::from_secs(30);
/// …and declared dead if nothing at all comes back within this long.
const PONG_WAIT: Duration = Duration::from_secs(30);
/// A connection that lived this long resets the backoff even if NapCat never answered
/// `get_login_info` (a connection that completed its start-up resets it at once).
const STABLE_AFTER: Duration = Duration::from_secs(30);
/// Jitter shortens each reconnect delay by up to this fraction, so many clients spread out.
const JITTER: f64 = 0.25;
/// How much of a bad frame goes into the log.
const FRAME_PREVIEW_CHARS: usize = 160;
/// Commands taken per wake-up before the loop looks at the socket again.
const COMMAND_BATCH: usize = 256;
/// How long a polite close may take when stopping.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

const ECHO_PREFIX: &str = "napterm:";

/// The echo string sent with call number `id`.
pub(crate) fn echo_string(id: u64) -> String {
    format!("{ECHO_PREFIX}{id}")
}

/// The call number inside one of our echoes; `None` for anything we did not send.
pub(crate) fn echo_id(echo: &str) -> Option<u64> {
    let digits = echo.strip_prefix(ECHO_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// True for NapCat's token rejection: retcode 1403 on a frame that answers none of our calls.
pub(crate) fn is_auth_rejection(reply: &Reply) -> bool {
    reply.retcode == 1403 && reply.echo_key().and_then(echo_id).is_none()
}

/// Reconnect delays: `min`, doubling per failure up to `max`, each shortened by jitter.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    min: Duration,
    max: Duration,
    failures: u32,
}

impl Backoff {
    /// A schedule starting at `min` (at least 1 ms) and capped at `max` (at least `min`).
    pub(crate) fn new(min: Duration, max: Duration) -> Backoff {
        let min = min.max(Duration::from_millis(1));
        Backoff {
            min,
            max: max.max(min),
            failures: 0,
        }
    }

    /// The delay before the next attempt. `jitter` in `[0, 1)` shortens it by up to `JITTER`.
    pub(crate) fn next_delay(&mut self, jitter: f64) -> Duration {
        let factor = 1u32 << self.failures.min(31);
        let base = self.min.saturating_mul(factor).min(self.max);
        self.failures = self.failures.saturating_add(1);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        base.mul_f64(1.0 - JITTER * jitter)
    }

    /// Start again from `min`.
    pub(crate) fn reset(&mut self) {
        self.failures = 0;
    }
}

/// Runs the connection until stopped. Spawned by `Client::connect`.
pub(crate) async fn run(
    opts: ConnectOptions,
    commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<ClientEvent>,
    backlog: std::sync::Arc<super::stream::Backlog>,
) {
    let backoff = Backoff::new(opts.backoff_min, opts.backoff_max);
    let task = Task {
        backlog,
        opts,
        commands,
        events,
        state: ConnState::Stopped,
        backoff,
        next_call: 0,
        bad_frames: 0,
        self_id: 0,
        was_connected: false,
    };
    task.run().await;
}

/// Why dialling failed.
enum DialFailure {
    /// The server or the configuration rules out any retry; the text says what to fix.
    Auth(String),
    /// Worth trying again; the text is the human reason.
    Retry(String),
}

/// How a live socket ended.
enum Ended {
    Lost(String),
    AuthFailed(String),
    Stopped,
}

/// A wait that a `Stop` command (or every handle being dropped) can cut short, and a
/// `Reconnect` command too while there is no connection to keep.
enum Waited<T> {
    Done(T),
    Stop,
    /// The user asked to dial now.
    Reconnect,
}

/// Who is waiting for a reply.
enum Waiter {
    Caller(Answer),
    /// The task's own `get_login_info` after the socket opens.
    Login,
}

struct Pending {
    action: String,
    waiter: Waiter,
    deadline: Instant,
    timeout: Duration,
}

/// The outgoing request frame.
#[derive(Serialize)]
struct RequestFrame<'a> {
    action: &'a str,
    params: &'a Value,
    echo: &'a str,
}

/// What a routed text frame asks the session to do.
enum Routed {
    Nothing,
    Heartbeat(i64),
    Login(Result<Value>),
    End(Ended),
}

struct Task {
    /// Stream frames handed on and not read yet: the socket waits while it is full.
    backlog: std::sync::Arc<super::stream::Backlog>,
    opts: ConnectOptions,
    commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<ClientEvent>,
    state: ConnState,
    backoff: Backoff,
    next_call: u64,
    bad_frames: u64,
    /// Own QQ number, from login info or lifecycle/heartbeat events (0 until known).
    self_id: i64,
    /// A socket has reached `Connected` before: the next `Connected` is a reconnect.
    was_connected: bool,
}

impl Task {
    async fn run(mut self) {
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            self.set_state(ConnState::Connecting { attempt });
            let dialed = match build_request(&self.opts) {
                Ok(request) => match self.wait(dial(request, self.opts.connect_timeout)).await {
                    Waited::Done(result) => result,
                    Waited::Stop => return self.stop(),
                    // Not while dialling (`wait` ignores it then); dial again if it ever is.
                    Waited::Reconnect => continue,
                },
                Err(failure) => Err(failure),
            };
            let reason = match dialed {
                Ok(socket) => {
                    attempt = 0;
                    let opened = Instant::now();
                    match self.session(socket).await {
                        Ended::Stopped => return self.stop(),
                        Ended::AuthFailed(server_says) => {
                            let message = auth_failed_message(&server_says, self.has_token());
                            match self.auth_failed(message).await {
                                Waited::Reconnect => continue,
                                _ => return self.stop(),
                            }
                        }
                        Ended::Lost(reason) => {
                            if opened.elapsed() >= STABLE_AFTER {
                                self.backoff.reset();
                            }
                            reason
                        }
                    }
                }
                Err(DialFailure::Auth(message)) => match self.auth_failed(message).await {
                    Waited::Reconnect => continue,
                    _ => return self.stop(),
                },
                Err(DialFailure::Retry(reason)) => reason,
            };
            let delay = self.backoff.next_delay(rand::random::<f64>());
            tracing::info!(reason = %reason, delay_ms = delay.as_millis() as u64, "NapCat connection lost; will reconnect");
            self.set_state(ConnState::Reconnecting {
                in_secs: ceil_secs(delay),
                reason,
            });
            // A reconnect asked for ends the wait early: the loop dials at once.
            if let Waited::Stop = self.wait(tokio::time::sleep(delay)).await {
                return self.stop();
            }
        }
    }

    fn has_token(&self) -> bool {
        self.opts.token.as_ref().is_some_and(|t| !t.is_empty())
    }

    fn emit(&self, event: ClientEvent) {
        // The app may have dropped its receiver while shutting down; nothing to do then.
        let _ = self.events.send(event);
    }

    fn set_state(&mut self, state: ConnState) {
        if self.state != state {
            tracing::debug!(?state, "connection state");
            self.state = state.clone();
            self.emit(ClientEvent::State(state));
        }
    }

    fn stop(mut self) {
        self.set_state(ConnState::Stopped);
    }

    /// Stays in `AuthFailed` (no retries of its own) until stopped, or until the user asks to
    /// try again (the token may have been fixed on NapCat's side).
    async fn auth_failed(&mut self, message: String) -> Waited<()> {
        tracing::warn!("{message}");
        self.set_state(ConnState::AuthFailed { message });
        self.wait(std::future::pending::<()>()).await
    }

    /// Why a call cannot be made right now.
    fn unavailable(&self) -> String {
        match &self.state {
            ConnState::Connecting { attempt } => format!("still connecting (attempt {attempt})"),
            ConnState::Reconnecting { in_secs, reason } => {
                format!("{reason}; reconnecting in {in_secs} s")
            }
            ConnState::AuthFailed { message } => message.clone(),
            ConnState::Stopped => "connection stopped".into(),
            ConnState::Connected { .. } => "connection lost".into(),
        }
    }

    /// Awaits `fut` while failing every call fast; a stop request ends the wait.
    async fn wait<F: Future>(&mut self, fut: F) -> Waited<F::Output> {
        tokio::pin!(fut);
        loop {
            tokio::select! {
                out = &mut fut => return Waited::Done(out),
                command = self.commands.recv() => match command {
                    None | Some(Command::Stop) => return Waited::Stop,
                    Some(Command::Reconnect) => {
                        // Only a wait with no connection to dial is cut short.
                        if matches!(self.state, ConnState::Reconnecting { .. } | ConnState::AuthFailed { .. }) {
                            return Waited::Reconnect;
                        }
                    }
                    Some(Command::Call { answer, .. }) => {
                        answer.send(Err(Error::NotConnected(self.unavailable())));
                    }
                },
            }
        }
    }

    fn next_id(&mut self) -> u64 {
        self.next_call += 1;
        self.next_call
    }

    /// One open socket, from the first frame to its end.
    async fn session(&mut self, socket: Socket) -> Ended {
        let (sink, mut stream) = socket.split();
        let (out, out_rx) = mpsc::unbounded_channel();
        let mut writer = tokio::spawn(write_frames(sink, out_rx));
        let mut calls = Calls::new(out);

        let login = self.next_id();
        calls.start(
            login,
            "get_login_info".into(),
            &Value::Object(Default::default()),
            Waiter::Login,
            self.opts.call_timeout,
        );

        let missed = self.opts.missed_heartbeats.max(1);
        let mut last_frame = Instant::now();
        let mut heartbeat: Option<Duration> = None;
        let mut ping_sent: Option<Instant> = None;
        let watchdog = tokio::time::sleep_until(last_frame + PING_AFTER_SILENCE);
        tokio::pin!(watchdog);
        let mut timer_at = calls.next_deadline().unwrap_or(last_frame + STABLE_AFTER);
        let call_timer = tokio::time::sleep_until(timer_at);
        tokio::pin!(call_timer);

        let ended = loop {
            tokio::select! {
                () = self.backlog.room(), if self.backlog.full() => {}
                frame = stream.next(), if !self.backlog.full() => {
                    last_frame = Instant::now();
                    let routed = match frame {
                        Some(Ok(Message::Text(text))) => self.route(text.as_str(), &mut calls),
                        Some(Ok(Message::Binary(bytes))) => match std::str::from_utf8(&bytes) {
                            Ok(text) => self.route(text, &mut calls),
                            Err(_) => {
                                self.bad_frame(FrameError::NotJson("binary frame".into()), "<binary>");
                                Routed::Nothing
                            }
                        },
                        Some(Ok(Message::Close(_))) | None => Routed::End(Ended::Lost("closed by server".into())),
                        Some(Ok(_)) => Routed::Nothing, // ping, pong: liveness only
                        Some(Err(e)) => Routed::End(Ended::Lost(describe_ws_error(&e))),
                    };
                    match routed {
                        Routed::Nothing => {}
                        Routed::End(end) => break end,
                        Routed::Login(result) => {
                            if let Err(Error::AuthRejected(server_says)) = result {
                                break Ended::AuthFailed(server_says);
                            }
                            self.logged_in(result);
                        }
                        Routed::Heartbeat(ms) if ms > 0 => {
                            let interval = Duration::from_millis(ms as u64);
                            if heartbeat != Some(interval) {
                                heartbeat = Some(interval);
                                ping_sent = None;
                                watchdog.as_mut().reset(last_frame + interval.saturating_mul(missed));
                            }
                        }
                        Routed::Heartbeat(_) => {}
                    }
                }
                command = self.commands.recv() => {
                    let mut stop = false;
                    let mut next = command;
                    for taken in 1.. {
                        match next {
                            None | Some(Command::Stop) => {
                                stop = true;
                                break;
                            }
                            // Connected already: nothing to do.
                            Some(Command::Reconnect) => {}
                            Some(Command::Call { action, params, answer, timeout }) => {
                                let id = self.next_id();
                                let deadline = calls.start(id, action, &params, Waiter::Caller(answer), timeout);
                                if deadline < timer_at {
                                    timer_at = deadline;
                                    call_timer.as_mut().reset(deadline);
                                }
                            }
                        }
                        if taken >= COMMAND_BATCH {
                            break;
                        }
                        next = match self.commands.try_recv() {
                            Ok(command) => Some(command),
                            Err(_) => break,
                        };
                    }
                    if stop {
                        break Ended::Stopped;
                    }
                }
                () = &mut watchdog => {
                    let now = Instant::now();
                    if let Some(interval) = heartbeat {
                        let limit = interval.saturating_mul(missed);
                        let due = last_frame + limit;
                        if now >= due {
                            break Ended::Lost(format!("no heartbeat for {}", fmt_secs(limit)));
                        }
                        watchdog.as_mut().reset(due);
                    } else if let Some(sent) = ping_sent.filter(|sent| last_frame < *sent) {
                        if now >= sent + PONG_WAIT {
                            break Ended::Lost(format!("no answer to a ping for {}", fmt_secs(PONG_WAIT)));
                        }
                        watchdog.as_mut().reset(sent + PONG_WAIT);
                    } else {
                        ping_sent = None;
                        let due = last_frame + PING_AFTER_SILENCE;
                        if now >= due {
                            let _ = calls.out.send(Message::Ping(Default::default()));
                            ping_sent = Some(now);
                            watchdog.as_mut().reset(now + PONG_WAIT);
                        } else {
                            watchdog.as_mut().reset(due);
                        }
                    }
                }
                () = &mut call_timer => {
                    let now = Instant::now();
                    for expired in calls.expire(now) {
                        let error = Error::Timeout { action: expired.action, secs: expired.timeout.as_secs() };
                        match expired.waiter {
                            Waiter::Caller(answer) => answer.send(Err(error)),
                            Waiter::Login => self.logged_in(Err(error)),
                        }
                    }
                    timer_at = calls.next_deadline().unwrap_or(now + STABLE_AFTER);
                    call_timer.as_mut().reset(timer_at);
                }
                finished = &mut writer => {
                    break Ended::Lost(finished.unwrap_or_else(|_| "connection writer failed".into()));
                }
            }
        };

        let failure = match &ended {
            Ended::Lost(reason) => Error::Transport(format!("connection lost: {reason}")),
            Ended::AuthFailed(server_says) => Error::AuthRejected(server_says.clone()),
            Ended::Stopped => Error::Transport("connection stopped".into()),
        };
        if let Ended::Stopped = ended {
            let _ = calls.out.send(Message::Close(Some(CloseFrame {
                code: CloseCode::Normal,
                reason: "".into(),
            })));
            calls.fail_all(failure);
            // Dropping the sender lets the writer flush the close frame and finish.
            if tokio::time::timeout(CLOSE_GRACE, &mut writer)
                .await
                .is_err()
            {
                writer.abort();
            }
        } else {
            calls.fail_all(failure);
            writer.abort();
        }
        ended
    }

    /// The socket answered `get_login_info` (or failed to): the connection is usable.
    fn logged_in(&mut self, result: Result<Value>) {
        // NapCat answered: the start-up completed, so this connection was healthy and the next
        // loss retries from the shortest delay — short flaps must not ratchet every later outage
        // up to the cap. A login that timed out proves nothing; `STABLE_AFTER` covers that case.
        if !matches!(result, Err(Error::Timeout { .. })) {
            self.backoff.reset();
        }
        let (self_id, nickname) = match &result {
            Ok(data) => (
                data.get("user_id")
                    .and_then(|v| v.as_i64().or_else(|| v.as_str()?.trim().parse().ok()))
                    .unwrap_or(self.self_id),
                data.get("nickname")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            ),
            Err(error) => {
                tracing::info!(%error, "get_login_info failed; using the self id from events");
                (self.self_id, String::new())
            }
        };
        self.self_id = self_id;
        self.set_state(ConnState::Connected { self_id, nickname });
        if self.was_connected {
            self.emit(ClientEvent::Reconnected);
        }
        self.was_connected = true;
    }

    /// Routes one text frame: events out, replies to their callers, bad frames counted.
    fn route(&mut self, text: &str, calls: &mut Calls) -> Routed {
        match parse_frame(text) {
            Err(error) => {
                self.bad_frame(error, text);
                Routed::Nothing
            }
            Ok(Frame::Event(event)) => {
                let mut routed = Routed::Nothing;
                match &event {
                    Event::Meta(Meta::Heartbeat {
                        self_id,
                        interval_ms,
                        ..
                    }) => {
                        self.note_self_id(*self_id);
                        routed = Routed::Heartbeat(*interval_ms);
                    }
                    Event::Meta(Meta::Lifecycle { self_id, .. }) => self.note_self_id(*self_id),
                    _ => {}
                }
                self.emit(ClientEvent::Event(event));
                routed
            }
            Ok(Frame::Reply(reply)) => {
                if let Some(id) = reply.echo_key().and_then(echo_id)
                    && let Some(call) = calls.pending.get(&id)
                {
                    let last = reply.is_final();
                    match &call.waiter {
                        // A stream: every frame goes on; the call ends with the final frame, an
                        // error, or a receiver that is gone. Each frame restarts the idle timer.
                        Waiter::Caller(Answer::Frames(tx, backlog)) => {
                            let result = reply_to_result(&call.action, reply);
                            let failed = result.is_err();
                            backlog.add();
                            let gone = tx.send(result).is_err();
                            if gone {
                                backlog.take();
                            }
                            if gone || last || failed {
                                calls.pending.remove(&id);
                            } else {
                                calls.touch(id);
                            }
                            return Routed::Nothing;
                        }
                        Waiter::Caller(Answer::First(_)) => {}
                        Waiter::Caller(Answer::Final(_)) | Waiter::Login if !last => {
                            return Routed::Nothing;
                        }
                        _ => {}
                    }
                    let Some(call) = calls.pending.remove(&id) else {
                        return Routed::Nothing;
                    };
                    let result = reply_to_result(&call.action, reply);
                    return match call.waiter {
                        Waiter::Caller(answer) => {
                            answer.send(result);
                            Routed::Nothing
                        }
                        Waiter::Login => Routed::Login(result),
                    };
                }
                if is_auth_rejection(&reply) {
                    let says = if reply.message.is_empty() {
                        reply.wording
                    } else {
                        reply.message
                    };
                    return Routed::End(Ended::AuthFailed(says));
                }
                if reply.echo_key().is_none() && reply.retcode != 0 {
                    tracing::warn!(
                        retcode = reply.retcode,
                        message = %preview(&reply.message),
                        "NapCat reported an error that answers no call"
                    );
                } else {
                    tracing::debug!("reply to no pending call (it may have timed out)");
                }
                Routed::Nothing
            }
        }
    }

    fn note_self_id(&mut self, self_id: i64) {
        if self_id != 0 {
            self.self_id = self_id;
        }
    }

    fn bad_frame(&mut self, error: FrameError, text: &str) {
        self.bad_frames += 1;
        tracing::warn!(
            total = self.bad_frames,
            %error,
            frame = %preview(text),
            "unusable frame from NapCat"
        );
        self.emit(ClientEvent::BadFrame {
            error,
            total: self.bad_frames,
        });
    }
}

/// The calls in flight on one socket, with their deadlines.
struct Calls {
    pending: HashMap<u64, Pending>,
    /// Earliest deadline first; entries of answered calls are dropped lazily.
    deadlines: BinaryHeap<Reverse<(Instant, u64)>>,
    out: mpsc::UnboundedSender<Message>,
}

impl Calls {
    fn new(out: mpsc::UnboundedSender<Message>) -> Calls {
        Calls {
            pending: HashMap::new(),
            deadlines: BinaryHeap::new(),
            out,
        }
    }

    /// Sends the request and remembers the caller; returns the call's deadline.
    fn start(
        &mut self,
        id: u64,
        action: String,
        params: &Value,
        waiter: Waiter,
        timeout: Duration,
    ) -> Instant {
        let echo = echo_string(id);
        let frame = RequestFrame {
            action: &action,
            params,
            echo: &echo,
        };
        let deadline = Instant::now() + timeout;
        match serde_json::to_string(&frame) {
            Ok(text) => {
                // A send error means the writer is gone; the session notices and fails the call.
                let _ = self.out.send(Message::text(text));
            }
            Err(e) => {
                let error = Error::Transport(format!("could not encode the request: {e}"));
                if let Waiter::Caller(answer) = waiter {
                    answer.send(Err(error));
                }
                return deadline;
            }
        }
        self.pending.insert(
            id,
            Pending {
                action,
                waiter,
                deadline,
                timeout,
            },
        );
        self.deadlines.push(Reverse((deadline, id)));
        self.compact();
        deadline
    }

    /// Rebuilds the heap when stale entries (answered calls, moved deadlines) dominate it.
    fn compact(&mut self) {
        if self.deadlines.len() > 1024 && self.deadlines.len() > 4 * self.pending.len() {
            self.deadlines = self
                .pending
                .iter()
                .map(|(id, call)| Reverse((call.deadline, *id)))
                .collect();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.deadlines
            .peek()
            .map(|Reverse((deadline, _))| *deadline)
    }

    /// Restarts a call's timeout (a stream's frame arrived): its deadline moves on by its
    /// timeout; the heap entry of the old one is dropped lazily by `expire`.
    fn touch(&mut self, id: u64) {
        if let Some(call) = self.pending.get_mut(&id) {
            call.deadline = Instant::now() + call.timeout;
            self.deadlines.push(Reverse((call.deadline, id)));
            self.compact();
        }
    }

    /// Removes and returns every call whose deadline has passed.
    fn expire(&mut self, now: Instant) -> Vec<Pending> {
        let mut expired = Vec::new();
        while let Some(&Reverse((deadline, id))) = self.deadlines.peek() {
            if deadline > now {
                break;
            }
            self.deadlines.pop();
            // An entry older than the call's deadline (moved on by `touch`) is stale.
            if self
                .pending
                .get(&id)
                .is_some_and(|call| call.deadline <= now)
                && let Some(call) = self.pending.remove(&id)
            {
                expired.push(call);
            }
        }
        expired
    }

    /// Ends every call in flight with `error`.
    fn fail_all(self, error: Error) {
        for (_, call) in self.pending {
            if let Waiter::Caller(answer) = call.waiter {
                answer.send(Err(error.clone()));
            }
        }
    }
}

/// The one writer of a socket: sends frames in batches, flushing when the queue runs dry.
/// Returns why it stopped.
async fn write_frames(
    mut sink: SplitSink<Socket, Message>,
    mut frames: mpsc::UnboundedReceiver<Message>,
) -> String {
    while let Some(frame) = frames.recv().await {
        if let Err(e) = sink.feed(frame).await {
            return describe_ws_error(&e);
        }
        for _ in 0..COMMAND_BATCH {
            match frames.try_recv() {
                Ok(frame) => {
                    if let Err(e) = sink.feed(frame).await {
                        return describe_ws_error(&e);
                    }
                }
                Err(_) => break,
            }
        }
        if let Err(e) = sink.flush().await {
            return describe_ws_error(&e);
        }
    }
    let _ = sink.close().await;
    "connection closed".into()
}

/// The upgrade request: URL plus the token as a header or query parameter.
fn build_request(opts: &ConnectOptions) -> std::result::Result<Request, DialFailure> {
    let token = opts.token.as_ref().filter(|t| !t.is_empty());
    let url = match token {
        Some(token) if opts.token_in_query => with_query_token(&opts.url, token.expose()),
        _ => opts.url.clone(),
    };
    // Never echo the URL itself: with `token_in_query` it carries the secret.
    let mut request = url
        .into_client_request()
        .map_err(|e| DialFailure::Retry(describe_ws_error(&e)))?;
    if let Some(token) = token
        && !opts.token_in_query
    {
        let unfit = || DialFailure::Auth(TOKEN_NOT_FOR_HEADER.into());
        if !token.fits_header() {
            return Err(unfit());
        }
        let mut value =
            HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| unfit())?;
        value.set_sensitive(true);
        request.headers_mut().insert(AUTHORIZATION, value);
    }
    Ok(request)
}

/// Appends `access_token=<token>` (percent-encoded) to the URL's query.
fn with_query_token(url: &str, token: &str) -> String {
    let (base, fragment) = url.split_at(url.find('#').unwrap_or(url.len()));
    let separator = match base.find('?') {
        None => "?",
        Some(_) if base.ends_with('?') || base.ends_with('&') => "",
        Some(_) => "&",
    };
    format!(
        "{base}{separator}access_token={}{fragment}",
        percent_encode(token)
    )
}

/// Opens the socket, within `timeout`.
async fn dial(request: Request, timeout: Duration) -> std::result::Result<Socket, DialFailure> {
    // rustls panics when the build has no crypto provider (`wss://` only); report that as a
    // reason instead of losing the whole connection task.
    // tungstenite zeroes its read buffer's free room before every read, also before the read
    // that finds nothing waiting (several per event in a flood): 4 KiB (not the default 128)
    // holds a whole message event and keeps that zeroing below the cost of parsing it; larger
    // frames (history pages, member lists) still arrive whole, over several reads.
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(4 * 1024);
    let connect = AssertUnwindSafe(tokio_tungstenite::connect_async_with_config(
        request,
        Some(config),
        true,
    ))
    .catch_unwind();
    match tokio::time::timeout(timeout, connect).await {
        Err(_) => Err(DialFailure::Retry(format!(
            "no answer within {}",
            fmt_secs(timeout)
        ))),
        Ok(Err(_panic)) => Err(DialFailure::Retry(
            "TLS (wss://) is not available in this build".into(),
        )),
        Ok(Ok(Ok((socket, _response)))) => Ok(socket),
        Ok(Ok(Err(tungstenite::Error::Http(response))))
            if matches!(
                response.status(),
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
            ) =>
        {
            Err(DialFailure::Auth(auth_failed_message(
                &format!("HTTP {}", response.status()),
                true,
            )))
        }
        Ok(Ok(Err(e))) => Err(DialFailure::Retry(describe_ws_error(&e))),
    }
}

/// What the user sees when the token is refused, and what to fix.
fn auth_failed_message(server_says: &str, had_token: bool) -> String {
    let says = preview(server_says);
    if had_token {
        format!(
            "NapCat rejected the access token ({says}): the token given with --token-file / \
             NAPTERM_TOKEN / config `token` does not match the token of NapCat's WebSocket server"
        )
    } else {
        format!(
            "NapCat requires an access token ({says}): give the token of NapCat's WebSocket \
             server with --token-file, NAPTERM_TOKEN or config `token`"
        )
    }
}

/// A human reason for a WebSocket error; never contains the URL (it may carry the token).
fn describe_ws_error(error: &tungstenite::Error) -> String {
    use tungstenite::Error as E;
    match error {
        E::ConnectionClosed | E::AlreadyClosed => "closed by server".into(),
        E::Io(io) => describe_io_error(io),
        E::Protocol(ProtocolError::ResetWithoutClosingHandshake) => {
            "connection dropped by server".into()
        }
        E::Protocol(p) => format!("WebSocket protocol error: {p}"),
        E::Tls(tls) => format!("TLS error: {tls}"),
        E::Http(response) => format!(
            "server answered HTTP {} instead of a WebSocket upgrade",
            response.status()
        ),
        E::Url(UrlError::UnableToConnect(_)) => "unable to connect".into(),
        E::Url(url) => format!("bad URL: {url}"),
        E::HttpFormat(http) => format!("bad URL: {http}"),
        other => other.to_string(),
    }
}

fn describe_io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match error.kind() {
        K::ConnectionRefused => "connection refused".into(),
        K::ConnectionReset => "connection reset by server".into(),
        K::ConnectionAborted => "connection aborted".into(),
        K::UnexpectedEof | K::BrokenPipe => "connection dropped by server".into(),
        K::TimedOut => "timed out".into(),
        _ => error.to_string(),
    }
}

/// A short, single-line, control-free excerpt for logs.
fn preview(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(FRAME_PREVIEW_CHARS)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if text.chars().nth(FRAME_PREVIEW_CHARS).is_some() {
        out.push('…');
    }
    out
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

fn fmt_secs(d: Duration) -> String {
    if d.subsec_millis() == 0 || d >= Duration::from_secs(10) {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::oneshot;

    #[test]
    fn backoff_doubles_to_the_cap_and_jitter_only_shortens() {
        let min = Duration::from_millis(500);
        let max = Duration::from_secs(30);
        let mut no_jitter = Backoff::new(min, max);
        let schedule: Vec<u128> = (0..10)
            .map(|_| no_jitter.next_delay(0.0).as_millis())
            .collect();
        assert_eq!(
            schedule,
            [
                500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000
            ]
        );

        let mut full_jitter = Backoff::new(min, max);
        for base in schedule {
            let d = full_jitter.next_delay(0.999_999).as_millis();
            let floor = (base as f64 * (1.0 - JITTER)) as u128;
            assert!(d >= floor && d <= base, "{d} outside [{floor}, {base}]");
        }
    }

    #[test]
    fn backoff_reset_starts_over_and_survives_odd_input() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        for _ in 0..100 {
            assert!(b.next_delay(0.5) <= Duration::from_secs(1));
        }
        b.reset();
        assert_eq!(b.next_delay(0.0), Duration::from_millis(100));
        assert_eq!(b.next_delay(f64::NAN), Duration::from_millis(200));
        let mut zero = Backoff::new(Duration::ZERO, Duration::ZERO);
        assert_eq!(zero.next_delay(0.0), Duration::from_millis(1));
    }

    #[test]
    fn echoes_are_unique_and_only_ours_parse() {
        let echoes: std::collections::HashSet<String> = (1..=1000).map(echo_string).collect();
        assert_eq!(echoes.len(), 1000);
        assert_eq!(echo_id(&echo_string(42)), Some(42));
        assert_eq!(echo_id(&echo_string(u64::MAX)), Some(u64::MAX));
        for foreign in ["", "42", "napterm:", "napterm:+1", "napterm:1x", "other:1"] {
            assert_eq!(echo_id(foreign), None, "{foreign:?}");
        }
    }

    fn reply(retcode: i64, echo: Value) -> Reply {
        Reply {
            status: "failed".into(),
            retcode,
            data: None,
            message: "token验证失败".into(),
            wording: "token验证失败".into(),
            echo,
            stream: Some("normal-action".into()),
        }
    }

    #[test]
    fn auth_rejection_is_1403_without_one_of_our_echoes() {
        let fixture = include_str!("../../tests/fixtures/error_bad_token.synth.json");
        match parse_frame(fixture) {
            Ok(Frame::Reply(r)) => assert!(is_auth_rejection(&r)),
            other => panic!("{other:?}"),
        }
        assert!(is_auth_rejection(&reply(
            1403,
            Value::String(String::new())
        )));
        assert!(!is_auth_rejection(&reply(
            1403,
            Value::String(echo_string(7))
        )));
        assert!(!is_auth_rejection(&reply(1400, Value::Null)));
    }

    #[test]
    fn query_token_is_percent_encoded_and_placed_before_the_fragment() {
        assert_eq!(
            with_query_token("ws://h:1/", "a b&c=d/é"),
            "ws://h:1/?access_token=a%20b%26c%3Dd%2F%C3%A9"
        );
        assert_eq!(
            with_query_token("ws://h:1/ws?x=1#f", "t"),
            "ws://h:1/ws?x=1&access_token=t#f"
        );
        assert_eq!(with_query_token("ws://h/?", "t"), "ws://h/?access_token=t");
    }

    #[test]
    fn header_token_is_sensitive_and_never_in_the_uri() {
        let opts = ConnectOptions {
            token: Some(super::super::client::Token::new("s3cret")),
            ..ConnectOptions::default()
        };
        let Ok(request) = build_request(&opts) else {
            panic!("request")
        };
        let header = &request.headers()[AUTHORIZATION];
        assert_eq!(header.to_str().ok(), Some("Bearer s3cret"));
        assert!(header.is_sensitive());
        assert!(!request.uri().to_string().contains("s3cret"));
    }

    #[test]
    fn a_token_a_header_cannot_carry_says_to_use_the_query() {
        let opts = |token_in_query| ConnectOptions {
            token: Some(super::super::client::Token::new("密码😀")),
            token_in_query,
            ..ConnectOptions::default()
        };
        match build_request(&opts(false)) {
            Err(DialFailure::Auth(message)) => {
                assert!(message.contains("token_in_query"), "{message}")
            }
            _ => panic!("a non-ASCII token went into the header"),
        }
        let Ok(request) = build_request(&opts(true)) else {
            panic!("the query carries any token")
        };
        assert!(request.uri().to_string().contains("access_token=%E5%AF%86"));
    }

    fn task() -> (Task, mpsc::UnboundedReceiver<ClientEvent>) {
        let (_commands, command_rx) = mpsc::unbounded_channel();
        let (events, event_rx) = mpsc::unbounded_channel();
        let opts = ConnectOptions::default();
        let task = Task {
            backlog: Default::default(),
            backoff: Backoff::new(opts.backoff_min, opts.backoff_max),
            opts,
            commands: command_rx,
            events,
            state: ConnState::Stopped,
            next_call: 0,
            bad_frames: 0,
            self_id: 0,
            was_connected: false,
        };
        (task, event_rx)
    }

    fn caller(calls: &mut Calls, id: u64, timeout: Duration) -> oneshot::Receiver<Result<Value>> {
        let (tx, rx) = oneshot::channel();
        calls.start(
            id,
            "act".into(),
            &Value::Null,
            Waiter::Caller(Answer::Final(tx)),
            timeout,
        );
        rx
    }

    #[tokio::test]
    async fn only_the_final_frame_of_a_stream_completes_a_call() {
        let (mut task, _events) = task();
        let (out, mut sent) = mpsc::unbounded_channel();
        let mut calls = Calls::new(out);
        let mut rx = caller(&mut calls, 7, Duration::from_secs(5));
        let Some(Message::Text(request)) = sent.recv().await else {
            panic!("no request sent")
        };
        let request: Value = serde_json::from_str(request.as_str()).unwrap();
        assert_eq!(request["echo"], "napterm:7");

        let chunk = r#"{"status":"ok","retcode":0,"data":{"type":"stream","data":"AA=="},"echo":"napterm:7","stream":"stream-action"}"#;
        assert!(matches!(task.route(chunk, &mut calls), Routed::Nothing));
        assert!(rx.try_recv().is_err(), "a chunk completed the call");
        let last = r#"{"status":"ok","retcode":0,"data":{"type":"response","file":"/x"},"echo":"napterm:7","stream":"stream-action"}"#;
        task.route(last, &mut calls);
        assert_eq!(
            rx.try_recv().ok(),
            Some(Ok(serde_json::json!({"type":"response","file":"/x"})))
        );
        assert!(calls.pending.is_empty());
    }

    fn stream_frame(echo: u64, data: &str, status: &str) -> String {
        format!(
            r#"{{"status":"{status}","retcode":{},"data":{data},"message":"","echo":"napterm:{echo}","stream":"stream-action"}}"#,
            if status == "ok" { 0 } else { 1200 }
        )
    }

    fn streamer(
        calls: &mut Calls,
        id: u64,
        timeout: Duration,
    ) -> mpsc::UnboundedReceiver<Result<Value>> {
        let (tx, rx) = mpsc::unbounded_channel();
        calls.start(
            id,
            "download_file_stream".into(),
            &Value::Null,
            Waiter::Caller(Answer::Frames(tx, Default::default())),
            timeout,
        );
        rx
    }

    #[tokio::test]
    async fn a_stream_call_gets_every_frame_in_order_and_ends_on_the_final_one() {
        let (mut task, _events) = task();
        let (out, _sent) = mpsc::unbounded_channel();
        let mut calls = Calls::new(out);
        let mut rx = streamer(&mut calls, 9, Duration::from_secs(5));
        let info = r#"{"type":"stream","data_type":"file_info","file_name":"a","file_size":3}"#;
        let chunk =
            r#"{"type":"stream","data_type":"file_chunk","index":0,"data":"YWJj","size":3}"#;
        let done =
            r#"{"type":"response","data_type":"file_complete","total_chunks":1,"total_bytes":3}"#;
        for data in [info, chunk, done] {
            task.route(&stream_frame(9, data, "ok"), &mut calls);
        }
        assert!(calls.pending.is_empty(), "the final frame ends the call");
        let mut got = Vec::new();
        while let Some(frame) = rx.recv().await {
            got.push(frame.unwrap()["data_type"].as_str().unwrap().to_string());
        }
        assert_eq!(got, ["file_info", "file_chunk", "file_complete"]);
    }

    #[tokio::test]
    async fn a_stream_error_ends_the_call_with_the_servers_reason() {
        let (mut task, _events) = task();
        let (out, _sent) = mpsc::unbounded_channel();
        let mut calls = Calls::new(out);
        let mut rx = streamer(&mut calls, 4, Duration::from_secs(5));
        let info = r#"{"type":"stream","data_type":"file_info","file_name":"a","file_size":3}"#;
        task.route(&stream_frame(4, info, "ok"), &mut calls);
        let failed = r#"{"status":"failed","retcode":1200,"data":{"type":"error","data_type":"error"},"message":"Download failed: file not found","echo":"napterm:4","stream":"stream-action"}"#;
        task.route(failed, &mut calls);
        assert!(calls.pending.is_empty());
        assert!(rx.recv().await.unwrap().is_ok());
        match rx.recv().await {
            Some(Err(Error::ActionFailed { message, .. })) => {
                assert_eq!(message, "Download failed: file not found")
            }
            other => panic!("{other:?}"),
        }
        assert!(rx.recv().await.is_none());
    }

    #[tokio::test]
    async fn each_frame_restarts_a_streams_idle_timeout_and_a_dropped_receiver_ends_it() {
        let (mut task, _events) = task();
        let (out, _sent) = mpsc::unbounded_channel();
        let mut calls = Calls::new(out);
        let rx = streamer(&mut calls, 5, Duration::from_secs(10));
        let first_deadline = calls.pending[&5].deadline;
        tokio::time::sleep(Duration::from_millis(2)).await;
        let chunk =
            r#"{"type":"stream","data_type":"file_chunk","index":0,"data":"YQ==","size":1}"#;
        task.route(&stream_frame(5, chunk, "ok"), &mut calls);
        assert!(calls.pending[&5].deadline > first_deadline);
        // The first deadline passes without expiring the call: a frame came in time.
        assert!(calls.expire(first_deadline).is_empty());
        assert!(calls.pending.contains_key(&5));
        let expired = calls.expire(Instant::now() + Duration::from_secs(11));
        assert_eq!(expired.len(), 1, "silent for longer than the idle timeout");

        let rx2 = streamer(&mut calls, 6, Duration::from_secs(10));
        drop(rx2);
        task.route(&stream_frame(6, chunk, "ok"), &mut calls);
        assert!(calls.pending.is_empty(), "nobody reads it any more");
        drop(rx);
    }

    #[tokio::test]
    async fn a_first_frame_call_takes_an_upload_receipt() {
        let (mut task, _events) = task();
        let (out, _sent) = mpsc::unbounded_channel();
        let mut calls = Calls::new(out);
        let (tx, mut rx) = oneshot::channel();
        calls.start(
            3,
            "upload_file_stream".into(),
            &Value::Null,
            Waiter::Caller(Answer::First(tx)),
            Duration::from_secs(5),
        );
        let receipt = r#"{"type":"stream","stream_id":"s","status":"chunk_received","received_chunks":1,"total_chunks":2}"#;
        task.route(&stream_frame(3, receipt, "ok"), &mut calls);
        assert_eq!(
            rx.try_recv().unwrap().unwrap()["status"],
            serde_json::json!("chunk_received")
        );
        assert!(calls.pending.is_empty());
    }

    #[tokio::test]
    async fn routing_spots_auth_failure_and_counts_bad_frames() {
        let (mut task, mut events) = task();
        let (out, _sent) = mpsc::unbounded_channel();
        let mut calls = Calls::new(out);
        let fixture = include_str!("../../tests/fixtures/error_bad_token.synth.json");
        assert!(matches!(
            task.route(fixture, &mut calls),
            Routed::End(Ended::AuthFailed(says)) if says == "token验证失败"
        ));
        task.route("{oops", &mut calls);
        task.route("17", &mut calls);
        let mut totals = Vec::new();
        while let Ok(ClientEvent::BadFrame { total, .. }) = events.try_recv() {
            totals.push(total);
        }
        assert_eq!(totals, [1, 2]);
    }

    #[tokio::test]
    async fn expired_calls_leave_the_pending_map_and_answered_ones_never_expire() {
        let (out, _sent) = mpsc::unbounded_channel();
        let mut calls = Calls::new(out);
        let _slow = caller(&mut calls, 1, Duration::from_secs(60));
        let _fast = caller(&mut calls, 2, Duration::from_millis(10));
        let _answered = caller(&mut calls, 3, Duration::from_millis(5));
        calls.pending.remove(&3);
        let expired = calls.expire(Instant::now() + Duration::from_secs(1));
        assert_eq!(expired.len(), 1);
        assert_eq!(expired[0].timeout, Duration::from_millis(10));
        assert_eq!(calls.pending.keys().collect::<Vec<_>>(), [&1]);

        // Deadlines of answered calls are dropped lazily but never pile up.
        for id in 10..10_000 {
            let _rx = caller(&mut calls, id, Duration::from_secs(60));
            calls.pending.remove(&id);
        }
        assert!(calls.deadlines.len() <= 1025, "{}", calls.deadlines.len());
    }

    #[test]
    fn previews_are_short_and_single_line() {
        let long = format!("{{\"a\":\"{}\n\u{1b}[2J\"}}", "x".repeat(500));
        let p = preview(&long);
        assert!(p.chars().count() <= FRAME_PREVIEW_CHARS + 1);
        assert!(!p.contains('\n') && !p.contains('\u{1b}'));
        assert_eq!(preview("{ok}"), "{ok}");
    }
}
