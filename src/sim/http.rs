//! The simulator's loopback HTTP server: the bytes of the world's files and media under the
//! link shapes NapCat hands out (see `world::blobs`), so a client fetches them as it would from
//! QQ's servers. An expired rkey answers HTTP 400 with QQ's JSON; faults are injectable.
//!
//! A deliberately small HTTP/1.1: `GET` (and `HEAD`) only, one request per connection
//! (`Connection: close`), the body written in 256 KiB slices.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::server::{HttpFault, Shared, lock, stopping};

/// The most a request head may hold.
const HEAD_MAX: usize = 16 * 1024;
const SLICE: usize = 256 * 1024;
/// A client that sends no complete request head within this long is dropped.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
const EXPIRED_BODY: &str =
    r#"{"retcode":-5503007,"retmsg":"download url has expired","retryflag":0}"#;

pub(super) async fn accept_loop(shared: Arc<Shared>, listener: TcpListener) {
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => {
                    let shared = shared.clone();
                    let mut shutdown = shared.shutdown.subscribe();
                    tokio::spawn(async move {
                        tokio::select! {
                            () = serve(shared.clone(), tcp) => {}
                            () = stopping(&mut shutdown) => {}
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "simulator HTTP could not accept");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            () = stopping(&mut shutdown) => break,
        }
    }
}

/// What a request asked for.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// `/ftn_handler/{key}/…`
    File(String),
    /// `/download?…fileid={key}&rkey={rkey}`
    Media {
        key: String,
        rkey: String,
    },
    Unknown,
}

fn target(path_and_query: &str) -> Target {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    if let Some(rest) = path.strip_prefix("/ftn_handler/") {
        let key = rest.split('/').next().unwrap_or_default();
        return Target::File(percent_decode(key));
    }
    if path == "/download" {
        let get = |name: &str| {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| percent_decode(v))
                .unwrap_or_default()
        };
        return Target::Media {
            key: get("fileid"),
            rkey: get("rkey"),
        };
    }
    Target::Unknown
}

fn percent_decode(s: &str) -> String {
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
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn read_head(tcp: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = tcp.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            buf.truncate(end);
            return String::from_utf8(buf).ok();
        }
        if buf.len() > HEAD_MAX {
            return None;
        }
    }
}

async fn respond(tcp: &mut TcpStream, status: &str, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = tcp.write_all(head.as_bytes()).await;
    let _ = tcp.write_all(body).await;
    let _ = tcp.shutdown().await;
}

async fn serve(shared: Arc<Shared>, mut tcp: TcpStream) {
    let _ = tcp.set_nodelay(true);
    let Ok(Some(head)) = tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut tcp)).await else {
        return;
    };
    let mut words = head.lines().next().unwrap_or_default().split_whitespace();
    let method = words.next().unwrap_or_default().to_string();
    let path = words.next().unwrap_or_default().to_string();
    lock(&shared.http_hits).push(path.clone());
    if method != "GET" && method != "HEAD" {
        return respond(&mut tcp, "405 Method Not Allowed", "text/plain", b"").await;
    }
    let fault = *lock(&shared.http_fault);
    if let Some(HttpFault::Status(code)) = fault {
        return respond(&mut tcp, &format!("{code} Fault"), "text/plain", b"fault").await;
    }
    let bytes = {
        let world = lock(&shared.world);
        match target(&path) {
            Target::File(key) => world.blob(&key).ok_or("404 Not Found"),
            Target::Media { key, rkey } => {
                if !world.rkey_is_current(&rkey) {
                    Err("400 Bad Request")
                } else {
                    world.blob(&key).ok_or("404 Not Found")
                }
            }
            Target::Unknown => Err("404 Not Found"),
        }
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(status) if status.starts_with("400") => {
            return respond(
                &mut tcp,
                status,
                "application/json",
                EXPIRED_BODY.as_bytes(),
            )
            .await;
        }
        Err(status) => return respond(&mut tcp, status, "text/plain", b"not found").await,
    };
    // Announced length: the real one, or a lie.
    let announced = match fault {
        Some(HttpFault::LongerThanAnnounced(extra)) => bytes.len().saturating_sub(extra),
        _ => bytes.len(),
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n"
    );
    if tcp.write_all(head.as_bytes()).await.is_err() || method == "HEAD" {
        return;
    }
    let send = match fault {
        Some(HttpFault::CutAfter(n)) => bytes.len().min(n),
        Some(HttpFault::Stall) => 0,
        _ => bytes.len(),
    };
    for slice in bytes[..send].chunks(SLICE) {
        if tcp.write_all(slice).await.is_err() {
            return;
        }
    }
    if let Some(HttpFault::Stall) = fault {
        // Headers, then silence: the client's read timeout must end it.
        let mut shutdown = shared.shutdown.subscribe();
        stopping(&mut shutdown).await;
        return;
    }
    // A cut is an abrupt close; otherwise a polite one.
    if !matches!(fault, Some(HttpFault::CutAfter(_))) {
        let _ = tcp.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_napcats_link_shapes() {
        assert_eq!(
            target("/ftn_handler/be2a71328e06/?fname=1.txt"),
            Target::File("be2a71328e06".into())
        );
        assert_eq!(
            target("/download?appid=1407&fileid=AB%2Bc&rkey=K1&spec=0"),
            Target::Media {
                key: "AB+c".into(),
                rkey: "K1".into()
            }
        );
        assert_eq!(target("/etc/passwd"), Target::Unknown);
    }
}
