//! Pictures the app names by path or URL, as NapCat is given them.

use crate::onebot::{Error, Result};

/// The largest picture sent as base64 (NapCat and QQ refuse far smaller ones anyway).
const MAX_UPLOAD: u64 = 10 * 1024 * 1024;

/// What NapCat is given for a picture: a URL as typed, or a local file read here and sent as
/// `base64://…` — NapCat may run on another machine, where a local path means nothing.
pub async fn media_uri(file: &str, action: &str) -> Result<String> {
    use base64::Engine;
    let file = file.trim();
    if ["http://", "https://", "base64://"]
        .iter()
        .any(|p| file.starts_with(p))
    {
        return Ok(file.to_string());
    }
    let path = match file.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => std::path::PathBuf::from(home).join(rest),
            None => std::path::PathBuf::from(file),
        },
        None => std::path::PathBuf::from(file),
    };
    let bad = |message: String| Error::BadParams {
        action: action.to_string(),
        message,
    };
    let meta = tokio::fs::metadata(&path)
        .await
        .map_err(|e| bad(crate::runtime::fetch::cannot_read(&path, &e)))?;
    if !meta.is_file() {
        return Err(bad(format!("{} 不是文件", path.display())));
    }
    if meta.len() > MAX_UPLOAD {
        return Err(bad(format!("{} 太大 (最多 10 MB)", path.display())));
    }
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| bad(crate::runtime::fetch::cannot_read(&path, &e)))?;
    if picture_kind(&bytes).is_none() {
        return Err(bad(format!(
            "{} 不是图片 (支持 PNG、JPEG、GIF、BMP、WebP)",
            path.display()
        )));
    }
    Ok(format!(
        "base64://{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// The picture format `bytes` start with, by their signature; None when they are no picture QQ
/// takes. The name of a file says nothing: a `.png` may hold anything.
pub fn picture_kind(bytes: &[u8]) -> Option<&'static str> {
    const KINDS: [(&[u8], &str); 6] = [
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"\xff\xd8\xff", "jpeg"),
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
        (b"BM", "bmp"),
        (b"RIFF", "webp"),
    ];
    KINDS
        .iter()
        .find(|(magic, kind)| {
            bytes.starts_with(magic) && (*kind != "webp" || bytes.get(8..12) == Some(b"WEBP"))
        })
        .map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_known_by_their_signature() {
        assert_eq!(picture_kind(b"\x89PNG\r\n\x1a\n\0\0"), Some("png"));
        assert_eq!(picture_kind(b"\xff\xd8\xff\xe0"), Some("jpeg"));
        assert_eq!(picture_kind(b"GIF89a.."), Some("gif"));
        assert_eq!(picture_kind(b"RIFF\0\0\0\0WEBPVP8 "), Some("webp"));
        assert_eq!(
            picture_kind(b"RIFF\0\0\0\0WAVEfmt "),
            None,
            "a RIFF that is sound"
        );
        assert_eq!(picture_kind(b"hello, world"), None);
        assert_eq!(picture_kind(b""), None);
    }

    #[tokio::test]
    async fn a_file_that_is_no_picture_is_refused_before_it_is_sent() {
        let dir = std::env::temp_dir().join(format!("napterm-media-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = dir.join("avatar.png");
        std::fs::write(&text, "not a picture at all").unwrap();
        match media_uri(text.to_str().unwrap(), "set_group_portrait").await {
            Err(Error::BadParams { message, .. }) => {
                assert!(message.contains("不是图片"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        let png = dir.join("real.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n rest").unwrap();
        let uri = media_uri(png.to_str().unwrap(), "set_group_portrait")
            .await
            .unwrap();
        assert!(uri.starts_with("base64://"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
