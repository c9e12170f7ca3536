//! Sending a local picture (`/image <path>`, or a pasted picture path): read and checked off
//! the loop thread, then handed to NapCat in the message as `base64://` up to
//! [`INLINE_MAX`], larger ones first uploaded in `upload_file_stream` chunks (NapCat may be
//! on another machine: a local path means nothing to it), with progress.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::app::pictures::PicKey;
use crate::app::pictures::SendEvent;
use crate::onebot::Client;
use crate::onebot::Peer;
use crate::onebot::api::StreamUpload;
use crate::onebot::segment::ImageData;

use super::Inner;

/// Pictures up to this size go inside the message as `base64://`.
pub const INLINE_MAX: usize = 10 * 1024 * 1024;
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
pub(crate) async fn prepare(
    inner: Arc<Inner>,
    client: Client,
    tx: UnboundedSender<Msg>,
    peer: Peer,
    path: String,
) {
    let say = |ev: SendEvent| {
        let _ = tx.send(Msg::PictureSend(ev));
    };
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let cwd = std::env::current_dir().unwrap_or_default();
    let full = expand(&path, home.as_deref(), &cwd);
    let read = tokio::task::spawn_blocking(move || read(&full).map(|(b, e)| (b, e, full))).await;
    let (bytes, ext, full) = match read {
        Ok(Ok(r)) => r,
        Ok(Err(why)) => return say(SendEvent::Failed(why)),
        Err(_) => return say(SendEvent::Failed("读取图片时出错".into())),
    };
    let sha = hex(&Sha256::digest(&bytes));
    let name = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{}.{ext}", &sha[..16]));
    // The pending message shows the picture from the cache, as any other.
    let shown = ImageData {
        file: format!("{}.{ext}", &sha[..32]),
        summary: Some(String::new()),
        sub_type: Some(0),
        file_size: Some(bytes.len() as u64),
        ..Default::default()
    };
    let bytes = Arc::new(bytes);
    {
        let (inner, bytes, key) = (
            inner.clone(),
            bytes.clone(),
            PicKey::of(&shown).unwrap_or(PicKey(sha.clone())),
        );
        let _ = tokio::task::spawn_blocking(move || inner.keep_sent(&key, &bytes)).await;
    }
    let file = if bytes.len() <= INLINE_MAX {
        format!(
            "base64://{}",
            base64::engine::general_purpose::STANDARD.encode(bytes.as_slice())
        )
    } else {
        match upload(&client, &bytes, &sha, &name, &say).await {
            Ok(p) => p,
            Err(why) => return say(SendEvent::Failed(why)),
        }
    };
    say(SendEvent::Ready {
        peer,
        shown: Box::new(shown),
        file,
    });
}

/// Sends `bytes` in `upload_file_stream` chunks; the path NapCat stored them at.
async fn upload(
    client: &Client,
    bytes: &[u8],
    sha: &str,
    name: &str,
    say: &impl Fn(SendEvent),
) -> Result<String, String> {
    let chunks: Vec<&[u8]> = bytes.chunks(CHUNK).collect();
    let up = StreamUpload {
        stream_id: format!("napterm-{}", &sha[..24]),
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
            .map_err(|e| match e {
                crate::onebot::Error::UnknownAction { .. } => {
                    "这个 NapCat 不能分块接收 (需要 4.8.114 以上)，图片需在 10 MB 以内".to_string()
                }
                e => format!("上传失败: {}", crate::app::text::short_reason(&e)),
            })?;
        sent += c.len() as u64;
        say(SendEvent::Progress { done: sent, total });
    }
    let done = client
        .upload_file_stream_complete(&up)
        .await
        .map_err(|e| format!("上传失败: {}", crate::app::text::short_reason(&e)))?;
    done.file_path
        .filter(|p| !p.is_empty())
        .ok_or_else(|| "上传完成但 NapCat 没有给出文件位置".to_string())
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
