//! The simulated NapCat's WebSocket server: NapCat's forward-WebSocket behaviour on loopback,
//! quirks included, with every action answered by the `World` and faults injectable by tests.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::http::header::AUTHORIZATION;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use super::world::{Outcome, World};
use crate::onebot::{Event, Meta, Reply};

/// How the simulator listens and behaves.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Where to listen; port 0 picks a free port (see `Sim::addr`).
    pub listen: SocketAddr,
    /// The token clients must present; `None` or empty accepts everyone.
    pub token: Option<String>,
    /// Period of heartbeat events (sent with `interval` in ms); zero disables them.
    pub heartbeat_interval: Duration,
    /// Seed of the simulated world.
    pub seed: u64,
    /// Push a gentle stream of live events (every 1.5–4 s) for the demo.
    pub live: bool,
    /// The big account (`World::big`) instead of the small one.
    pub big: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            token: None,
            heartbeat_interval: Duration::from_secs(30),
            seed: 1,
            live: false,
            big: false,
        }
    }
}

/// One action the simulator received.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    pub action: String,
    pub params: Value,
}

/// How many received calls `Sim::calls` remembers (the oldest are forgotten first).
pub const RECORDED_CALLS_MAX: usize = 100_000;

const BAD_JSON_MESSAGE: &str = "json解析失败,请检查数据格式";
const BAD_TOKEN_MESSAGE: &str = "token验证失败";
/// How long a rejected client gets to read the 1403 frame and go away.
const AUTH_CLOSE_GRACE: Duration = Duration::from_secs(2);
/// A client that has not finished the upgrade by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Frames a connection writer sends before it flushes.
const WRITE_BATCH: usize = 256;
/// Download-stream frames queued per socket before the sender waits.
const BULK_FRAMES: usize = 8;

/// A running simulator. Cloning is cheap; all clones control the same server.
#[derive(Clone)]
pub struct Sim {
    shared: Arc<Shared>,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("addr", &self.shared.addr)
            .finish_non_exhaustive()
    }
}

/// One open client socket, as the server sees it.
struct Conn {
    out: mpsc::UnboundedSender<Utf8Bytes>,
    /// Universal socket (not `/api`): gets lifecycle, events and heartbeats.
    events: bool,
    kill: Arc<Notify>,
}

pub(super) struct Shared {
    addr: SocketAddr,
    /// Where the loopback HTTP server for files and media listens.
    http_addr: SocketAddr,
    pub(super) http_hits: Mutex<Vec<String>>,
    pub(super) http_fault: Mutex<Option<HttpFault>>,
    token: Option<String>,
    heartbeat: Duration,
    pub(super) world: Mutex<World>,
    calls: Mutex<VecDeque<RecordedCall>>,
    conns: Mutex<HashMap<u64, Conn>>,
    next_conn: AtomicU64,
    connects_total: AtomicU64,
    refuse_until: Mutex<Option<Instant>>,
    reply_delay: Mutex<Duration>,
    ignored: Mutex<HashSet<String>>,
    unsupported: Mutex<HashSet<String>>,
    failing: Mutex<HashMap<String, (i64, String)>>,
    frozen: watch::Sender<bool>,
    pub(super) shutdown: watch::Sender<bool>,
}

/// A fault the HTTP server injects into every answer until cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpFault {
    /// Answer with this status and no file.
    Status(u16),
    /// Announce the whole length, send only this many bytes, and close: a server that stops
    /// mid-stream.
    CutAfter(usize),
    /// Announce this many bytes fewer than are sent (the extra bytes are written anyway).
    LongerThanAnnounced(usize),
    /// Send the headers, then nothing until shutdown.
    Stall,
}

/// Locks a mutex, shrugging off poisoning: a panicked test thread must not wedge the server.
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Sim {
    /// Binds the listener and starts serving.
    pub async fn start(cfg: SimConfig) -> std::io::Result<Sim> {
        let listener = TcpListener::bind(cfg.listen).await?;
        let addr = listener.local_addr()?;
        let http = TcpListener::bind(SocketAddr::new(cfg.listen.ip(), 0)).await?;
        let http_addr = http.local_addr()?;
        let mut world = if cfg.big {
            World::big(cfg.seed)
        } else {
            World::new(cfg.seed)
        };
        world.set_http_base(&http_base(http_addr));
        let shared = Arc::new(Shared {
            addr,
            http_addr,
            http_hits: Mutex::new(Vec::new()),
            http_fault: Mutex::new(None),
            token: cfg.token.filter(|t| !t.is_empty()),
            heartbeat: cfg.heartbeat_interval,
            world: Mutex::new(world),
            calls: Mutex::new(VecDeque::new()),
            conns: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(0),
            connects_total: AtomicU64::new(0),
            refuse_until: Mutex::new(None),
            reply_delay: Mutex::new(Duration::ZERO),
            ignored: Mutex::new(HashSet::new()),
            unsupported: Mutex::new(HashSet::new()),
            failing: Mutex::new(HashMap::new()),
            frozen: watch::Sender::new(false),
            shutdown: watch::Sender::new(false),
        });
        let mut tasks = vec![
            tokio::spawn(accept_loop(shared.clone(), listener)),
            tokio::spawn(super::http::accept_loop(shared.clone(), http)),
        ];
        if !shared.heartbeat.is_zero() {
            tasks.push(tokio::spawn(heartbeat_loop(shared.clone())));
        }
        if cfg.live {
            tasks.push(tokio::spawn(live_loop(shared.clone())));
        }
        tracing::info!(%addr, "simulated NapCat listening");
        Ok(Sim {
            shared,
            tasks: Arc::new(Mutex::new(tasks)),
        })
    }

    /// The address actually bound.
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// A URL a client on this machine can dial: `ws://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        let addr = self.shared.addr;
        let ip = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("ws://{}/", SocketAddr::new(ip, addr.port()))
    }

    /// The loopback HTTP server's base, `http://127.0.0.1:PORT`: the world's file and media
    /// links point there.
    pub fn http_base(&self) -> String {
        http_base(self.shared.http_addr)
    }

    /// Files `bytes` under `id` (a file id like `/uuid`, or a media token) for the HTTP server
    /// and the stream actions; the links are `World::file_url` / `World::media_url`.
    pub fn put_blob(&self, id: &str, bytes: impl Into<Arc<[u8]>>) {
        self.with_world(|w| w.put_blob(id, bytes));
    }

    /// Expires every media link handed out so far: they answer HTTP 400 with QQ's
    /// `-5503007`, and `get_msg` gives links with a fresh rkey.
    pub fn expire_rkeys(&self) {
        self.with_world(World::expire_rkeys);
    }

    /// Every path (with query) the HTTP server was asked for, in order.
    pub fn http_requests(&self) -> Vec<String> {
        lock(&self.shared.http_hits).clone()
    }

    /// Injects `fault` into every HTTP answer until called again with `None`.
    pub fn set_http_fault(&self, fault: Option<HttpFault>) {
        *lock(&self.shared.http_fault) = fault;
    }

    /// Closes every client socket abruptly (no close frame), like a crashed server.
    pub fn drop_connections(&self) {
        for conn in lock(&self.shared.conns).values() {
            conn.kill.notify_one();
        }
    }

    /// For `d`, new connections are closed as soon as they are accepted.
    pub fn refuse_for(&self, d: Duration) {
        *lock(&self.shared.refuse_until) = Instant::now().checked_add(d);
    }

    /// Delays every reply (and the events it causes) by `d`; zero turns the delay off.
    pub fn set_reply_delay(&self, d: Duration) {
        *lock(&self.shared.reply_delay) = d;
    }

    /// While `on`, calls of `action` are recorded but never answered.
    pub fn ignore_action(&self, action: &str, on: bool) {
        let mut ignored = lock(&self.shared.ignored);
        if on {
            ignored.insert(action.to_string());
        } else {
            ignored.remove(action);
        }
    }

    /// Answers these actions with 1404 as a server without them would (a plain OneBot 11
    /// implementation lacks NapCat's extensions).
    pub fn set_unsupported(&self, actions: &[&str]) {
        *lock(&self.shared.unsupported) = actions.iter().map(|a| a.to_string()).collect();
    }

    /// Answers calls of `action` with this failure (`retcode`, `message` as given — hostile
    /// text included) until called again with `None`.
    pub fn fail_action(&self, action: &str, failure: Option<(i64, &str)>) {
        let mut failing = lock(&self.shared.failing);
        match failure {
            Some((retcode, message)) => {
                failing.insert(action.to_string(), (retcode, message.to_string()));
            }
            None => {
                failing.remove(action);
            }
        }
    }

    /// While `on`, sockets stay open but the server sends nothing and reads nothing.
    pub fn freeze(&self, on: bool) {
        self.shared.frozen.send_replace(on);
    }

    /// Pushes `frame` as it is (malformed ones too) to every event socket.
    pub fn send_raw(&self, frame: &str) {
        self.shared.broadcast(&[Utf8Bytes::from(frame)]);
    }

    /// Pushes an event to every event socket.
    pub fn push_event(&self, event: &Event) {
        self.shared.broadcast(&[event_frame(event)]);
    }

    /// Every action received, in order (at most `RECORDED_CALLS_MAX`, newest kept).
    pub fn calls(&self) -> Vec<RecordedCall> {
        lock(&self.shared.calls).iter().cloned().collect()
    }

    /// Forgets the recorded calls.
    pub fn clear_calls(&self) {
        lock(&self.shared.calls).clear();
    }

    /// Runs `f` on the world (to inspect or change it) while no action is being handled.
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut lock(&self.shared.world))
    }

    /// WebSocket upgrades accepted since start (rejected tokens included).
    pub fn connects_total(&self) -> u64 {
        self.shared.connects_total.load(Ordering::Relaxed)
    }

    /// Client sockets open right now.
    pub fn connection_count(&self) -> usize {
        lock(&self.shared.conns).len()
    }

    /// Pushes `count` benchmark messages (`World::flood_message(k)`) to every event socket at
    /// `rate_per_s` (a rate that is not positive and finite means as fast as possible), calling
    /// `on_sent(k, marker)` right after each push. A late schedule catches up without sleeping.
    pub async fn flood(&self, rate_per_s: f64, count: u64, mut on_sent: impl FnMut(u64, &str)) {
        let spacing = (rate_per_s.is_finite() && rate_per_s > 0.0).then(|| 1.0 / rate_per_s);
        let start = Instant::now();
        for k in 0..count {
            match spacing {
                Some(spacing) => {
                    let due = Duration::try_from_secs_f64(spacing * k as f64)
                        .ok()
                        .and_then(|offset| start.checked_add(offset));
                    match due {
                        Some(due) if due > Instant::now() => tokio::time::sleep_until(due).await,
                        Some(_) => {}
                        None => return, // beyond any reachable time
                    }
                }
                // Flat out: still let the connections' writers run now and then.
                None if k % 256 == 255 => tokio::task::yield_now().await,
                None => {}
            }
            let message = self.with_world(|w| w.flood_message(k));
            self.shared.broadcast(&[event_frame(&message)]);
            on_sent(k, &flood_marker(k));
        }
    }

    /// Stops listening, drops every client socket and ends the background tasks.
    pub async fn shutdown(self) {
        self.shared.shutdown.send_replace(true);
        self.drop_connections();
        let tasks = std::mem::take(&mut *lock(&self.tasks));
        for task in tasks {
            let _ = task.await;
        }
    }
}

impl Shared {
    fn refusing(&self) -> bool {
        let mut until = lock(&self.refuse_until);
        match *until {
            Some(t) if Instant::now() < t => true,
            Some(_) => {
                *until = None;
                false
            }
            None => false,
        }
    }

    fn has_event_sockets(&self) -> bool {
        lock(&self.conns).values().any(|c| c.events)
    }

    /// Queues `frames`, in order, on every event socket.
    fn broadcast(&self, frames: &[Utf8Bytes]) {
        if frames.is_empty() {
            return;
        }
        for conn in lock(&self.conns).values().filter(|c| c.events) {
            for frame in frames {
                let _ = conn.out.send(frame.clone());
            }
        }
    }

    fn record(&self, action: &str, params: &Value) {
        let mut calls = lock(&self.calls);
        if calls.len() >= RECORDED_CALLS_MAX {
            calls.pop_front();
        }
        calls.push_back(RecordedCall {
            action: action.to_string(),
            params: params.clone(),
        });
    }

    fn self_id(&self) -> i64 {
        lock(&self.world).self_id
    }
}

/// The marker `World::flood_message(k)` carries in its text: `PTM` and six digits.
pub fn flood_marker(k: u64) -> String {
    format!("PTM{k:06}")
}

/// `http://IP:PORT` for a bound address (an unspecified one as loopback).
fn http_base(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// An event as a text frame.
fn event_frame(event: &Event) -> Utf8Bytes {
    Utf8Bytes::from(event.to_json().to_string())
}

/// A reply frame in NapCat's shape: `data` omitted when the action returned nothing, `null`
/// on failure; `echo` as given.
fn reply_frame(result: Result<Option<Value>, (i64, String)>, echo: Value) -> Utf8Bytes {
    reply_frame_as(result, echo, false)
}

/// NapCat's stream actions: every frame says `"stream": "stream-action"`, and a failure's
/// `data` is `{type: "error", data_type: "error"}`.
const STREAM_ACTIONS: [&str; 4] = [
    "upload_file_stream",
    "download_file_stream",
    "download_file_image_stream",
    "download_file_record_stream",
];

/// The download stream actions, answered by several frames.
const DOWNLOAD_STREAMS: [&str; 3] = [
    "download_file_stream",
    "download_file_image_stream",
    "download_file_record_stream",
];

/// A reply frame, as a stream action's when `stream` is set.
fn reply_frame_as(
    result: Result<Option<Value>, (i64, String)>,
    echo: Value,
    stream: bool,
) -> Utf8Bytes {
    let (status, retcode, data, message) = match result {
        Ok(data) => ("ok", 0, data, String::new()),
        Err((retcode, message)) if stream => (
            "failed",
            retcode,
            Some(serde_json::json!({"type": "error", "data_type": "error"})),
            message,
        ),
        Err((retcode, message)) => ("failed", retcode, Some(Value::Null), message),
    };
    let reply = Reply {
        status: status.into(),
        retcode,
        data,
        wording: message.clone(),
        message,
        echo,
        stream: Some(
            if stream {
                "stream-action"
            } else {
                "normal-action"
            }
            .into(),
        ),
    };
    Utf8Bytes::from(serde_json::to_string(&reply).unwrap_or_default())
}

/// JavaScript truthiness, which decides whether NapCat uses the sent `params` or `{}`.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// Decodes one `application/x-www-form-urlencoded` value (`+` is a space, `%XX` a byte).
fn form_decode(s: &str) -> String {
    let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match (b, hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The token a client presented: `?access_token=` if non-empty, else the `Authorization`
/// header with everything up to the last `Bearer ` removed (a bare token works too).
fn presented_token(query: Option<&str>, authorization: Option<&str>) -> String {
    let from_query = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(key, _)| form_decode(key) == "access_token")
        .map(|(_, value)| form_decode(value))
        .filter(|t| !t.is_empty());
    from_query.unwrap_or_else(|| {
        authorization
            .and_then(|h| h.rsplit("Bearer ").next())
            .unwrap_or_default()
            .to_string()
    })
}

/// What the upgrade request said.
#[derive(Default)]
struct Upgrade {
    path: String,
    token: String,
}

/// Resolves once the server is shutting down.
pub(super) async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

async fn accept_loop(shared: Arc<Shared>, listener: TcpListener) {
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _peer)) => {
                    if shared.refusing() {
                        drop(tcp);
                        continue;
                    }
                    tokio::spawn(serve(shared.clone(), tcp));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "simulator could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            () = stopping(&mut shutdown) => break,
        }
    }
}

/// One client socket from upgrade to close.
// The upgrade callback's error type is tungstenite's, large or not.
#[allow(clippy::result_large_err)]
async fn serve(shared: Arc<Shared>, tcp: TcpStream) {
    let _ = tcp.set_nodelay(true);
    let mut upgrade = Upgrade::default();
    let handshake = tokio_tungstenite::accept_hdr_async(tcp, |req: &Request, resp: Response| {
        let authorization = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|h| h.to_str().ok());
        upgrade = Upgrade {
            path: req.uri().path().to_string(),
            token: presented_token(req.uri().query(), authorization),
        };
        Ok(resp)
    });
    let Ok(Ok(mut ws)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake).await else {
        return;
    };
    shared.connects_total.fetch_add(1, Ordering::Relaxed);

    if let Some(expected) = &shared.token
        && upgrade.token != *expected
    {
        reject_token(&mut ws).await;
        return;
    }

    let events = !matches!(upgrade.path.as_str(), "/api" | "/api/");
    let (out, out_rx) = mpsc::unbounded_channel();
    if events {
        let lifecycle = Event::Meta(Meta::Lifecycle {
            self_id: shared.self_id(),
            sub_type: "connect".into(),
        });
        let _ = out.send(event_frame(&lifecycle));
    }
    let kill = Arc::new(Notify::new());
    let id = shared.next_conn.fetch_add(1, Ordering::Relaxed);
    lock(&shared.conns).insert(
        id,
        Conn {
            out: out.clone(),
            events,
            kill: kill.clone(),
        },
    );

    let (sink, mut stream) = ws.split();
    let (bulk, bulk_rx) = mpsc::channel(BULK_FRAMES);
    let mut writer = tokio::spawn(write_frames(
        sink,
        out_rx,
        bulk_rx,
        shared.frozen.subscribe(),
    ));
    let mut frozen = shared.frozen.subscribe();
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        let is_frozen = *frozen.borrow_and_update();
        tokio::select! {
            frame = stream.next(), if !is_frozen => match frame {
                Some(Ok(Message::Text(text))) => handle_request(&shared, &out, &bulk, text.as_str()),
                Some(Ok(Message::Binary(bytes))) => {
                    let text = std::str::from_utf8(&bytes).unwrap_or("\u{FFFD}");
                    handle_request(&shared, &out, &bulk, text);
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {} // pings are answered by the WebSocket layer
            },
            changed = frozen.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            () = kill.notified() => break,
            () = stopping(&mut shutdown) => break,
            _ = &mut writer => break,
        }
    }
    lock(&shared.conns).remove(&id);
    // Dropping both halves closes the TCP stream without a close frame.
    writer.abort();
}

/// NapCat's answer to a wrong token: one 1403 frame, then a close frame without a code.
async fn reject_token(ws: &mut WebSocketStream<TcpStream>) {
    let frame = reply_frame(Err((1403, BAD_TOKEN_MESSAGE.into())), Value::Null);
    let _ = ws.send(Message::Text(frame)).await;
    let _ = ws.close(None).await;
    // Let the client read both before the socket goes away, as NapCat's close handshake does.
    let _ = tokio::time::timeout(AUTH_CLOSE_GRACE, async {
        while let Some(Ok(_)) = ws.next().await {}
    })
    .await;
}

/// The one writer of a socket; while frozen, frames are discarded.
async fn write_frames(
    mut sink: SplitSink<WebSocketStream<TcpStream>, Message>,
    mut frames: mpsc::UnboundedReceiver<Utf8Bytes>,
    mut bulk: mpsc::Receiver<Utf8Bytes>,
    frozen: watch::Receiver<bool>,
) {
    loop {
        // Replies and events first; a download stream's chunks (bounded: its sender waits) when
        // there is nothing else.
        let frame = tokio::select! {
            biased;
            frame = frames.recv() => match frame {
                Some(frame) => frame,
                None => return,
            },
            Some(frame) = bulk.recv() => frame,
        };
        if *frozen.borrow() {
            continue;
        }
        if sink.feed(Message::Text(frame)).await.is_err() {
            return;
        }
        for _ in 0..WRITE_BATCH {
            let Ok(frame) = frames.try_recv() else {
                break;
            };
            if sink.feed(Message::Text(frame)).await.is_err() {
                return;
            }
        }
        if sink.flush().await.is_err() {
            return;
        }
    }
}

/// Answers one request frame as NapCat's WebSocket server does.
fn handle_request(
    shared: &Arc<Shared>,
    out: &mpsc::UnboundedSender<Utf8Bytes>,
    bulk: &mpsc::Sender<Utf8Bytes>,
    text: &str,
) {
    let mut request = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        Ok(Value::Null) | Err(_) => {
            let _ = out.send(reply_frame(
                Err((1400, BAD_JSON_MESSAGE.into())),
                Value::Null,
            ));
            return;
        }
        // Any other JSON has no `action`: NapCat looks up `undefined`.
        Ok(_) => Default::default(),
    };
    let echo = request.remove("echo");
    let action = match request.remove("action") {
        Some(Value::String(name)) => name,
        Some(other) => other.to_string(),
        None => "undefined".to_string(),
    };
    let params = match request.remove("params") {
        Some(params) if truthy(&params) => params,
        _ => Value::Object(Default::default()),
    };
    shared.record(&action, &params);
    if lock(&shared.ignored).contains(&action) {
        return;
    }

    let failure = lock(&shared.failing).get(&action).cloned();
    let outcome = if let Some(failure) = failure {
        Outcome {
            reply: Err(failure),
            events: Vec::new(),
        }
    } else if lock(&shared.unsupported).contains(&action) {
        Outcome {
            reply: Err((1404, format!("不支持的API {action}"))),
            events: Vec::new(),
        }
    } else if DOWNLOAD_STREAMS.contains(&action.as_str()) {
        let found = lock(&shared.world).stream_download(&action, &params);
        match found {
            Ok(download) => {
                let echo = echo.unwrap_or_else(|| Value::String(String::new()));
                let chunk = params
                    .get("chunk_size")
                    .and_then(Value::as_u64)
                    .unwrap_or(65_536)
                    .clamp(1, 8 * 1024 * 1024) as usize;
                let delay = *lock(&shared.reply_delay);
                tokio::spawn(send_download(bulk.clone(), download, echo, chunk, delay));
                return;
            }
            Err(message) => Outcome {
                reply: Err((1200, message)),
                events: Vec::new(),
            },
        }
    } else {
        lock(&shared.world).handle(&action, &params)
    };
    // Unknown actions are refused before dispatch, where a missing echo becomes `null`.
    let echo = match (&outcome.reply, echo) {
        (_, Some(echo)) => echo,
        (Err((1404, _)), None) => Value::Null,
        (_, None) => Value::String(String::new()),
    };
    let reply = reply_frame_as(
        outcome.reply,
        echo,
        STREAM_ACTIONS.contains(&action.as_str()),
    );
    let events: Vec<Utf8Bytes> = outcome.events.iter().map(event_frame).collect();

    let delay = *lock(&shared.reply_delay);
    if delay.is_zero() {
        let _ = out.send(reply);
        shared.broadcast(&events);
    } else {
        let shared = shared.clone();
        let out = out.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let _ = out.send(reply);
            shared.broadcast(&events);
        });
    }
}

/// Sends a download as NapCat's frames under one echo: `file_info`, the chunks, `file_complete`.
/// Waits for the writer between chunks (the bulk channel is bounded), as NapCat awaits its
/// socket.
async fn send_download(
    bulk: mpsc::Sender<Utf8Bytes>,
    download: super::world::Download,
    echo: Value,
    chunk: usize,
    delay: Duration,
) {
    use base64::Engine;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let frame = |data: Value| reply_frame_as(Ok(Some(data)), echo.clone(), true);
    let mut info = serde_json::json!({
        "type": "stream", "data_type": "file_info", "file_name": download.file_name,
        "file_size": download.file_size, "chunk_size": chunk,
    });
    if let (Some(w), Some(h)) = (download.width, download.height) {
        info["width"] = w.into();
        info["height"] = h.into();
    }
    if let Some(format) = &download.out_format {
        info["out_format"] = format.clone().into();
    }
    if bulk.send(frame(info)).await.is_err() {
        return;
    }
    let total = download.bytes.len().max(1);
    let mut sent = 0usize;
    let mut index = 0u64;
    for piece in download.bytes.chunks(chunk) {
        sent += piece.len();
        let data = base64::engine::general_purpose::STANDARD.encode(piece);
        let chunk = serde_json::json!({
            "type": "stream", "data_type": "file_chunk", "index": index,
            "base64_size": data.len(), "data": data, "size": piece.len(),
            "progress": (sent * 100 / total) as u64,
        });
        if bulk.send(frame(chunk)).await.is_err() {
            return;
        }
        index += 1;
    }
    let done = serde_json::json!({
        "type": "response", "data_type": "file_complete", "total_chunks": index,
        "total_bytes": sent, "message": "Download completed",
    });
    let _ = bulk.send(frame(done)).await;
}

async fn heartbeat_loop(shared: Arc<Shared>) {
    let interval = shared.heartbeat;
    let mut shutdown = shared.shutdown.subscribe();
    let mut ticker = tokio::time::interval_at(Instant::now() + interval, interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            () = stopping(&mut shutdown) => break,
        }
        if !shared.has_event_sockets() {
            continue;
        }
        let beat = Event::Meta(Meta::Heartbeat {
            self_id: shared.self_id(),
            online: true,
            good: true,
            interval_ms: i64::try_from(interval.as_millis()).unwrap_or(i64::MAX),
        });
        shared.broadcast(&[event_frame(&beat)]);
    }
}

async fn live_loop(shared: Arc<Shared>) {
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        let pause = Duration::from_millis(rand::random_range(1500..=4000));
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = stopping(&mut shutdown) => break,
        }
        // Nobody watching: let the world rest rather than pile up unseen history.
        if !shared.has_event_sockets() {
            continue;
        }
        let events = lock(&shared.world).live_tick();
        let frames: Vec<Utf8Bytes> = events.iter().map(event_frame).collect();
        shared.broadcast(&frames);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onebot::{Frame, parse_frame};
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::http::HeaderValue;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

    type Client = WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

    fn json(frame: &Utf8Bytes) -> Value {
        serde_json::from_str(frame.as_str()).unwrap()
    }

    #[test]
    fn reply_frames_have_napcats_shape() {
        let ok = json(&reply_frame(Ok(None), Value::String(String::new())));
        assert_eq!(
            ok,
            serde_json::json!({"status":"ok","retcode":0,"message":"","wording":"","echo":"","stream":"normal-action"})
        );
        let data = json(&reply_frame(
            Ok(Some(serde_json::json!([1]))),
            serde_json::json!({"seq":5}),
        ));
        assert_eq!(
            (&data["data"], &data["echo"]),
            (&serde_json::json!([1]), &serde_json::json!({"seq":5}))
        );
        let failed = json(&reply_frame(
            Err((1200, "No such request".into())),
            Value::Null,
        ));
        assert_eq!(
            failed,
            serde_json::json!({"status":"failed","retcode":1200,"data":null,"message":"No such request",
                "wording":"No such request","echo":null,"stream":"normal-action"})
        );
    }

    #[test]
    fn the_bad_token_frame_matches_the_fixture() {
        let fixture: Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/error_bad_token.synth.json"
        ))
        .unwrap();
        assert_eq!(
            json(&reply_frame(
                Err((1403, BAD_TOKEN_MESSAGE.into())),
                Value::Null
            )),
            fixture
        );
    }

    #[test]
    fn tokens_come_from_the_query_first_then_the_header() {
        assert_eq!(
            presented_token(Some("access_token=a%20b%2Bc+d"), None),
            "a b+c d"
        );
        assert_eq!(
            presented_token(Some("x=1&access_token=q"), Some("Bearer h")),
            "q"
        );
        assert_eq!(
            presented_token(Some("access_token="), Some("Bearer h")),
            "h"
        );
        assert_eq!(presented_token(None, Some("bare")), "bare");
        assert_eq!(presented_token(None, None), "");
        assert_eq!(form_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn napcat_treats_falsy_params_as_empty() {
        for v in [Value::Null, false.into(), 0.into(), "".into()] {
            assert!(!truthy(&v), "{v}");
        }
        for v in [
            serde_json::json!({}),
            serde_json::json!([]),
            1.into(),
            "x".into(),
        ] {
            assert!(truthy(&v), "{v}");
        }
    }

    async fn dial(sim: &Sim, path: &str, auth: Option<&str>) -> Client {
        let url = format!("ws://{}{path}", sim.addr());
        let mut request = url.into_client_request().unwrap();
        if let Some(auth) = auth {
            request
                .headers_mut()
                .insert(AUTHORIZATION, HeaderValue::from_str(auth).unwrap());
        }
        tokio_tungstenite::connect_async(request).await.unwrap().0
    }

    async fn next_text(ws: &mut Client) -> Value {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(5), ws.next())
                .await
                .expect("a frame in time")
                .expect("socket open")
                .expect("no error");
            if let Message::Text(t) = frame {
                return serde_json::from_str(t.as_str()).unwrap();
            }
        }
    }

    #[tokio::test]
    async fn universal_sockets_start_with_lifecycle_and_get_heartbeats() {
        let sim = Sim::start(SimConfig {
            heartbeat_interval: Duration::from_millis(50),
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let mut ws = dial(&sim, "/ws?x=1", None).await;
        let first = next_text(&mut ws).await;
        assert_eq!(
            (&first["meta_event_type"], &first["sub_type"]),
            (&"lifecycle".into(), &"connect".into())
        );
        let beat = next_text(&mut ws).await;
        assert_eq!(beat["meta_event_type"], "heartbeat");
        assert_eq!(beat["interval"], 50);
        assert!(beat["status"].is_object());
        assert!(matches!(
            parse_frame(&beat.to_string()),
            Ok(Frame::Event(Event::Meta(Meta::Heartbeat { .. })))
        ));
        sim.shutdown().await;
    }

    #[tokio::test]
    async fn api_sockets_get_replies_but_no_events() {
        let sim = Sim::start(SimConfig {
            heartbeat_interval: Duration::from_millis(20),
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let mut ws = dial(&sim, "/api/", None).await;
        sim.send_raw("{\"post_type\":\"notice\"}");
        ws.send(Message::text(r#"{"action":"no_such_action","echo":"x-1"}"#))
            .await
            .unwrap();
        let reply = next_text(&mut ws).await;
        assert_eq!(
            reply,
            serde_json::from_str::<Value>(include_str!(
                "../../tests/fixtures/error_unknown_action.resp.synth.json"
            ))
            .unwrap()
        );
        ws.send(Message::text(r#"{"action":"no_such_action"}"#))
            .await
            .unwrap();
        assert_eq!(next_text(&mut ws).await["echo"], Value::Null);
        assert_eq!(sim.calls().len(), 2);
        assert_eq!(
            sim.calls()[0],
            RecordedCall {
                action: "no_such_action".into(),
                params: serde_json::json!({})
            }
        );
        sim.shutdown().await;
    }

    #[tokio::test]
    async fn bad_json_gets_1400_with_a_null_echo() {
        let sim = Sim::start(SimConfig::default()).await.unwrap();
        let mut ws = dial(&sim, "/api", None).await;
        ws.send(Message::text("{action: nope")).await.unwrap();
        let reply = next_text(&mut ws).await;
        assert_eq!(
            (&reply["retcode"], &reply["echo"], &reply["message"]),
            (&1400.into(), &Value::Null, &BAD_JSON_MESSAGE.into())
        );
        assert!(sim.calls().is_empty());
        sim.shutdown().await;
    }

    #[tokio::test]
    async fn a_wrong_token_gets_1403_then_a_close_without_code() {
        let sim = Sim::start(SimConfig {
            token: Some("right".into()),
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let mut ws = dial(&sim, "/", Some("Bearer wrong")).await;
        let frame = next_text(&mut ws).await;
        assert_eq!(
            (&frame["retcode"], &frame["echo"]),
            (&1403.into(), &Value::Null)
        );
        match ws.next().await {
            Some(Ok(Message::Close(close))) => {
                assert!(
                    close.as_ref().is_none_or(|c| c.code == CloseCode::Status),
                    "{close:?}"
                )
            }
            other => panic!("expected a close frame, got {other:?}"),
        }
        let mut good = dial(&sim, "/?access_token=right", Some("Bearer wrong")).await;
        assert_eq!(next_text(&mut good).await["meta_event_type"], "lifecycle");
        let mut header = dial(&sim, "/", Some("Bearer right")).await;
        assert_eq!(next_text(&mut header).await["meta_event_type"], "lifecycle");
        assert_eq!(sim.connects_total(), 3);
        assert_eq!(sim.connection_count(), 2);
        sim.shutdown().await;
    }

    #[tokio::test]
    async fn replies_come_before_the_events_they_cause_on_every_event_socket() {
        let sim = Sim::start(SimConfig::default()).await.unwrap();
        let (group, friend) = sim.with_world(|w| {
            (
                w.groups().first().map(|g| g.group_id).unwrap(),
                w.friends().first().map(|f| f.user_id).unwrap(),
            )
        });
        let mut caller = dial(&sim, "/", None).await;
        let mut watcher = dial(&sim, "/event", None).await;
        let mut api = dial(&sim, "/api", None).await;
        for ws in [&mut caller, &mut watcher] {
            assert_eq!(next_text(ws).await["meta_event_type"], "lifecycle");
        }

        let send = serde_json::json!({"action":"send_group_msg","params":{"group_id":group,
            "message":[{"type":"text","data":{"text":"hi"}}]}});
        caller.send(Message::text(send.to_string())).await.unwrap();
        let reply = next_text(&mut caller).await;
        assert_eq!(
            (&reply["status"], &reply["echo"]),
            (&"ok".into(), &"".into())
        );
        let id = reply["data"]["message_id"].clone();
        for ws in [&mut caller, &mut watcher] {
            let echo = next_text(ws).await;
            assert_eq!(
                (&echo["post_type"], &echo["message_id"]),
                (&"message_sent".into(), &id)
            );
        }

        // An action that returns nothing: no `data` key at all.
        let like = serde_json::json!({"action":"send_like","params":{"user_id":friend},"echo":7});
        api.send(Message::text(like.to_string())).await.unwrap();
        let reply = next_text(&mut api).await;
        assert_eq!((&reply["retcode"], &reply["echo"]), (&0.into(), &7.into()));
        assert!(reply.get("data").is_none(), "{reply}");
        sim.shutdown().await;
    }
}
