//! Running the user's editor on a draft: a private temporary file (mode 0600, created new, in
//! the temporary folder), `$VISUAL`, else `$EDITOR`, else `vi`, run through `sh -c` as git does
//! (so `EDITOR="code --wait"` works), the file read back and removed whatever happened.
//!
//! The terminal handling around it (restoring, pausing the input reader, taking the terminal
//! back) is the loop's; this is only the file and the process.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;

/// The editor command to run: `$VISUAL`, else `$EDITOR`, else `vi`; empty values do not count.
pub fn pick(visual: Option<&str>, editor: Option<&str>) -> String {
    [visual, editor]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|e| !e.is_empty())
        .unwrap_or("vi")
        .to_string()
}

/// The editor the environment names.
pub fn from_env() -> String {
    let visual = std::env::var("VISUAL").ok();
    let editor = std::env::var("EDITOR").ok();
    pick(visual.as_deref(), editor.as_deref())
}

/// A private temporary file holding the draft, removed when dropped.
struct DraftFile(PathBuf);

impl DraftFile {
    fn create(dir: &Path, text: &str) -> std::io::Result<DraftFile> {
        let mut last = None;
        for _ in 0..8 {
            let path = dir.join(format!(
                "napterm-draft-{}-{:016x}.txt",
                std::process::id(),
                rand::random::<u64>()
            ));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
            {
                Ok(mut f) => {
                    let file = DraftFile(path);
                    f.write_all(text.as_bytes())?;
                    if !text.is_empty() && !text.ends_with('\n') {
                        f.write_all(b"\n")?;
                    }
                    f.sync_all()?;
                    return Ok(file);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
    }
}

impl Drop for DraftFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Why an exit status means the edit did not happen.
fn failure(editor: &str, status: ExitStatus) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(0), _) => None,
        // sh's "command not found" / "not executable".
        (Some(127), _) => Some(format!(
            "找不到编辑器「{editor}」(请设置 $VISUAL 或 $EDITOR)"
        )),
        (Some(126), _) => Some(format!("编辑器「{editor}」无法执行")),
        (Some(code), _) => Some(format!("编辑器「{editor}」以状态 {code} 退出")),
        (None, Some(sig)) => Some(format!("编辑器「{editor}」被信号 {sig} 终止")),
        (None, None) => Some(format!("编辑器「{editor}」异常退出")),
    }
}

/// Writes `text` to a private temporary file in `dir`, runs `editor` on it with the terminal
/// as its input and output, and returns what it left there; the file is gone afterwards. An
/// error is a sentence for the status line.
pub async fn edit(editor: &str, dir: &Path, text: &str) -> Result<String, String> {
    let file = DraftFile::create(dir, text).map_err(|e| format!("无法创建临时文件: {e}"))?;
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(editor)
        .arg(&file.0)
        .kill_on_drop(true)
        .status()
        .await
        .map_err(|e| format!("无法启动编辑器「{editor}」: {e}"))?;
    if let Some(why) = failure(editor, status) {
        return Err(why);
    }
    let bytes = std::fs::read(&file.0).map_err(|e| format!("无法读回草稿: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "编辑器留下的文字不是 UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_then_editor_then_vi() {
        assert_eq!(pick(Some("nvim"), Some("nano")), "nvim");
        assert_eq!(pick(Some(""), Some("nano")), "nano");
        assert_eq!(pick(None, Some("  ")), "vi");
        assert_eq!(pick(None, None), "vi");
        assert_eq!(pick(None, Some("code --wait")), "code --wait");
    }
}
