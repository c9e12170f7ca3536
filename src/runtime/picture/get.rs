//! Getting a picture's bytes from the server, when neither memory nor the disk cache has them
//! (see `media.md`: NapCat usually runs on another machine, so a path it names is useless).
//!
//! In order: the segment's URL over HTTP(S) (never any other scheme); when QQ says its rkey
//! expired (HTTP 400), `get_msg` once for the message again, whose segment NapCat rebuilds with
//! a fresh rkey, and that URL; then the bytes over the WebSocket with
//! `download_file_image_stream` (NapCat ≥ 4.8.120); then `get_image` (its `base64` where NapCat
//! gives one, else its URL). Every way is bounded by [`MAX_INPUT`].

use base64::Engine;

use crate::app::pictures::{PicFailure, PicJob, PicKey, pictures_of};
use crate::onebot::api::DOWNLOAD_CHUNK;
use crate::onebot::{Client, StreamFrame};
use crate::runtime::fetch::{Expect, FetchError, Fetcher, MemorySink};

use super::decode::MAX_INPUT;
use super::fetchable;

/// Why one way failed: too large ends the search (every way gives the same picture).
enum Miss {
    TooLarge,
    /// QQ's link expired: a fresh one may work.
    Expired,
    Other,
}

async fn fetch(fetcher: &Fetcher, url: &str) -> Result<Vec<u8>, Miss> {
    let mut sink = MemorySink::new(MAX_INPUT);
    let expect = Expect {
        size: None,
        max_bytes: Some(MAX_INPUT as u64),
    };
    match fetcher.fetch(url, expect, &mut sink).await {
        Ok(_) => Ok(sink.into_bytes()),
        Err(FetchError::TooLarge { .. }) => Err(Miss::TooLarge),
        Err(FetchError::Expired | FetchError::Status(400)) => Err(Miss::Expired),
        Err(_) => Err(Miss::Other),
    }
}

/// The URL of picture `key` in the message as NapCat gives it now.
async fn fresh_url(client: &Client, message_id: i64, key: &PicKey) -> Option<String> {
    let ev = client.get_msg(message_id).await.ok()?;
    pictures_of(&ev.message)
        .find(|(_, k)| k == key)
        .and_then(|(img, _)| img.url.clone())
}

/// The bytes over the WebSocket, several frames under one echo.
async fn stream(client: &Client, file: &str) -> Result<Vec<u8>, Miss> {
    let mut frames = client.download_file_image_stream(file, DOWNLOAD_CHUNK);
    let mut bytes = Vec::new();
    while let Some(frame) = frames.next().await {
        match frame {
            Ok(StreamFrame::Info(info)) if info.file_size as usize > MAX_INPUT => {
                return Err(Miss::TooLarge);
            }
            Ok(StreamFrame::Chunk(c)) => {
                if bytes.len() + c.data.len() > MAX_INPUT {
                    return Err(Miss::TooLarge);
                }
                bytes.extend_from_slice(&c.data);
            }
            Ok(StreamFrame::Done(_)) => return Ok(bytes),
            Ok(_) => {}
            Err(_) => return Err(Miss::Other),
        }
    }
    // Ended without its final frame: cut off.
    Err(Miss::Other)
}

/// `get_image`: its base64 when NapCat includes it, else its URL (http/https only).
async fn get_image(client: &Client, fetcher: &Fetcher, file: &str) -> Result<Vec<u8>, Miss> {
    let m = client.get_image(file).await.map_err(|_| Miss::Other)?;
    if let Some(b64) = m.base64.as_deref().filter(|b| !b.is_empty()) {
        // base64 is 4/3 the size: refuse what could only decode to too much.
        if b64.len() / 4 * 3 > MAX_INPUT {
            return Err(Miss::TooLarge);
        }
        return base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|_| Miss::Other);
    }
    match m.url.as_deref().filter(|u| fetchable(u)) {
        Some(u) => fetch(fetcher, u).await,
        None => Err(Miss::Other),
    }
}

/// The picture's bytes, or why there are none.
pub async fn bytes(
    client: &Client,
    fetcher: &Fetcher,
    job: &PicJob,
) -> Result<Vec<u8>, PicFailure> {
    let too_large = Err(PicFailure::TooLarge);
    let url = job.url.as_deref().filter(|u| fetchable(u));
    if let Some(url) = url {
        match fetch(fetcher, url).await {
            Ok(b) => return Ok(b),
            Err(Miss::TooLarge) => return too_large,
            Err(Miss::Expired) => {
                if let Some(id) = job.message_id
                    && let Some(fresh) = fresh_url(client, id, &job.key).await
                    && fresh != url
                    && fetchable(&fresh)
                {
                    match fetch(fetcher, &fresh).await {
                        Ok(b) => return Ok(b),
                        Err(Miss::TooLarge) => return too_large,
                        Err(_) => {}
                    }
                }
            }
            Err(Miss::Other) => {}
        }
    }
    let file = job.file.trim();
    // NapCat takes a file token here, not a URL or a path on its host (media.md).
    let token = !file.is_empty()
        && !file.contains("://")
        && !file.starts_with('/')
        && !file.contains(":\\");
    if token {
        match stream(client, file).await {
            Ok(b) => return Ok(b),
            Err(Miss::TooLarge) => return too_large,
            Err(_) => {}
        }
        match get_image(client, fetcher, file).await {
            Ok(b) => return Ok(b),
            Err(Miss::TooLarge) => return too_large,
            Err(_) => {}
        }
    }
    if url.is_none() && file.is_empty() {
        return Err(PicFailure::NoUrl);
    }
    Err(PicFailure::Unreachable)
}
