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
        .map_err(|e| bad(format!("无法读取 {}: {e}", path.display())))?;
    if !meta.is_file() {
        return Err(bad(format!("{} 不是文件", path.display())));
    }
    if meta.len() > MAX_UPLOAD {
        return Err(bad(format!("{} 太大 (最多 10 MB)", path.display())));
    }
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| bad(format!("无法读取 {}: {e}", path.display())))?;
    Ok(format!(
        "base64://{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}
