//! Sending a local picture (`/image <path>`, or a pasted picture path): read and checked off
//! the loop thread, then handed to the app as `base64://`, which goes inside the message up to
//! [`INLINE_MAX`]; a larger one is uploaded in `upload_file_stream` chunks when its message
//! goes out (`upload_chain`: NapCat may be on another machine, where a local path means
//! nothing), with progress, so one written offline waits like any other message.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::app::pictures::{INLINE_MAX, PicKey, SendEvent, too_large_inline};
use crate::onebot::api::StreamUpload;
use crate::onebot::segment::ImageData;
use crate::onebot::{Client, MessageChain, Peer, Segment};

use super::Inner;

/// The largest picture sent (QQ's own limit for pictures).
pub const SEND_MAX: u64 = 30 * 1024 * 1024;
/// Raw bytes per `upload_file_stream` chunk.
pub const CHUNK: usize = 512 * 1024;

/// `~/x` from `$HOME`, a relative path from the working directory.
pub fn expand(path: &str, home: Option<&Path>, cwd: &Path) -> PathBuf {
    let p = path.trim();
    if p == "~" {
        return home
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(p));
    }
    if let (Some(rest), Some(h)) = (p.strip_prefix("~/"), home) {
        return h.join(rest);
    }
    let pb = PathBuf::from(p);
    if pb.is_absolute() { pb } else { cwd.join(pb) }
}

/// Reads `path` and checks that it is a picture napterm can send; its bytes and format
/// extension, or why not.
fn read(path: &Path) -> Result<(Vec<u8>, &'static str), String> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("找不到文件 {}", path.display()),
        _ => crate::runtime::fetch::cannot_read(path, &e),
    })?;
    if !meta.is_file() {
        return Err(format!("{} 不是文件", path.display()));
    }
    if meta.len() > SEND_MAX {
        return Err(format!(
            "图片太大 ({} MB，上限 {} MB)",
            meta.len() / 1024 / 1024,
            SEND_MAX / 1024 / 1024
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| crate::runtime::fetch::cannot_read(path, &e))?;
    let format = image::guess_format(&bytes).map_err(|_| "不是图片".to_string())?;
    let ext = match format {
        image::ImageFormat::Png => "png",
        image::ImageFormat::Jpeg => "jpg",
        image::ImageFormat::Gif => "gif",
        image::ImageFormat::WebP => "webp",
        image::ImageFormat::Bmp => "bmp",
        _ => return Err("不是 QQ 能发送的图片格式 (png jpg gif webp bmp)".into()),
    };
    // The header must read: a file named .png that is something else is refused here.
    image::ImageReader::with_format(std::io::Cursor::new(&bytes), format)
        .into_dimensions()
        .map_err(|_| "图片已损坏，无法读取".to_string())?;
    Ok((bytes, ext))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Prepares `path` for `peer`; what happens is reported on `tx` as `Msg::PictureSend`.
pub(crate) async fn prepare(inner: Arc<Inner>, tx: UnboundedSender<Msg>, peer: Peer, path: String) {
    let say = |ev: SendEvent| {
        let _ = tx.send(Msg::PictureSend(ev));
    };
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let cwd = std::env::current_dir().unwrap_or_default();
    let full = expand(&path, home.as_deref(), &cwd);
    let read = tokio::task::spawn_blocking(move || read(&full)).await;
    let (bytes, ext) = match read {
        Ok(Ok(r)) => r,
        Ok(Err(why)) => return say(SendEvent::Failed(why)),
        Err(_) => return say(SendEvent::Failed("读取图片时出错".into())),
    };
    let sha = hex(&Sha256::digest(&bytes));
    // The pending message shows the picture from the cache, as any other.
    let shown = ImageData {
        file: format!("{}.{ext}", &sha[..32]),
        summary: Some(String::new()),
        sub_type: Some(0),
        file_size: Some(bytes.len() as u64),
        ..Default::default()
    };
    let key = PicKey::of(&shown).unwrap_or(PicKey(sha));
    // Off the loop's thread: 30 MB of base64 takes a while.
    let file = tokio::task::spawn_blocking(move || {
        inner.keep_sent(&key, &bytes);
        format!(
            "base64://{}",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        )
    })
    .await;
    let Ok(file) = file else {
        return say(SendEvent::Failed("读取图片时出错".into()));
    };
    say(SendEvent::Ready {
        peer,
        shown: Box::new(shown),
        file,
    });
}

/// Why an upload did not finish: `offline` when the connection was not there or went.
struct Unfinished {
    offline: bool,
    why: String,
}

impl Unfinished {
    fn of(e: crate::onebot::Error) -> Unfinished {
        use crate::onebot::Error as E;
        let why = match &e {
            E::UnknownAction { .. } => {
                format!(
                    "这个 NapCat 不能分块接收 (需要 4.8.114 以上)，图片需在 {} MB 以内",
                    INLINE_MAX / 1024 / 1024
                )
            }
            e => crate::app::text::short_reason(e),
        };
        Unfinished {
            offline: matches!(e, E::NotConnected(_) | E::Transport(_)),
            why,
        }
    }
}

/// Uploads the pictures of `chain` too large to go inside a message (see
/// `pictures::needs_upload`) and hands the chain back with NapCat's paths in their place.
pub(crate) async fn upload_chain(
    client: Client,
    tx: UnboundedSender<Msg>,
    peer: Peer,
    local_id: u64,
    chain: MessageChain,
) {
    let say = |ev: SendEvent| {
        let _ = tx.send(Msg::PictureSend(ev));
    };
    let mut segments = chain.0;
    for seg in &mut segments {
        let Segment::Image(img) = seg else { continue };
        if !too_large_inline(&img.file) {
            continue;
        }
        // Taken, not copied (up to 40 MB): NapCat's path takes its place.
        let file = std::mem::take(&mut img.file);
        let decoded = tokio::task::spawn_blocking(move || {
            let b64 = &file["base64://".len()..];
            let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
            let sha = hex(&Sha256::digest(&bytes));
            Some((bytes, sha))
        })
        .await
        .ok()
        .flatten();
        let Some((bytes, sha)) = decoded else {
            return say(SendEvent::UploadFailed {
                peer,
                local_id,
                offline: false,
                why: "图片数据已损坏".into(),
            });
        };
        let ext = image::guess_format(&bytes)
            .ok()
            .and_then(|f| f.extensions_str().first().copied())
            .unwrap_or("png");
        let name = format!("{}.{ext}", &sha[..32]);
        match upload(&client, &bytes, &sha, &name, local_id, &say).await {
            Ok(path) => img.file = path,
            Err(u) => {
                return say(SendEvent::UploadFailed {
                    peer,
                    local_id,
                    offline: u.offline,
                    why: u.why,
                });
            }
        }
    }
    say(SendEvent::Uploaded {
        peer,
        local_id,
        chain: MessageChain(segments),
    });
}

/// Sends `bytes` in `upload_file_stream` chunks; the path NapCat stored them at.
async fn upload(
    client: &Client,
    bytes: &[u8],
    sha: &str,
    name: &str,
    local_id: u64,
    say: &impl Fn(SendEvent),
) -> Result<String, Unfinished> {
    // A stream of its own for each try: one broken off is never continued by another.
    static TRIES: AtomicU64 = AtomicU64::new(0);
    let chunks: Vec<&[u8]> = bytes.chunks(CHUNK).collect();
    let up = StreamUpload {
        stream_id: format!(
            "napterm-{}-{}",
            &sha[..24],
            TRIES.fetch_add(1, Ordering::Relaxed)
        ),
        total_chunks: chunks.len() as u64,
        file_size: bytes.len() as u64,
        expected_sha256: sha.to_string(),
        filename: name.to_string(),
        file_retention_ms: 300_000,
    };
    let total = bytes.len() as u64;
    let mut sent = 0u64;
    for (i, c) in chunks.iter().enumerate() {
        client
            .upload_file_stream_chunk(&up, i as u64, c)
            .await
            .map_err(Unfinished::of)?;
        sent += c.len() as u64;
        say(SendEvent::Progress {
            local_id,
            done: sent,
            total,
        });
    }
    let done = client
        .upload_file_stream_complete(&up)
        .await
        .map_err(Unfinished::of)?;
    done.file_path
        .filter(|p| !p.is_empty())
        .ok_or_else(|| Unfinished {
            offline: false,
            why: "上传完成但 NapCat 没有给出文件位置".into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_expand_from_home_and_the_working_directory() {
        let home = Path::new("/home/me");
        let cwd = Path::new("/work");
        assert_eq!(
            expand("~/a.png", Some(home), cwd),
            PathBuf::from("/home/me/a.png")
        );
        assert_eq!(
            expand("b.png", Some(home), cwd),
            PathBuf::from("/work/b.png")
        );
        assert_eq!(
            expand(" /x/c.png ", Some(home), cwd),
            PathBuf::from("/x/c.png")
        );
        assert_eq!(expand("~/a.png", None, cwd), PathBuf::from("/work/~/a.png"));
    }
}
