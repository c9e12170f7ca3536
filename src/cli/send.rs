//! `napterm send --chat g:<group>|u:<qq> [TEXT | -] [--image PATH]… [--file PATH]`: one message
//! (text, `[face:…]`, `@QQ` mentions, pictures) and/or one file, for scripts; it prints the
//! message id (and the file's id), with the exit statuses of `napterm call`.
//!
//! napterm usually runs on another machine than NapCat, so nothing is sent as a local path:
//! a picture travels inside the message as `base64://`, a file in `upload_file_stream` chunks
//! over the same WebSocket, whose completed path (on NapCat's host) is then given to
//! `upload_group_file` / `upload_private_file`. A NapCat without stream uploads (1404) gets the
//! file as `base64://` instead, when it is small enough for one frame.

use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine;
use clap::Args;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::call::Once;
use super::{EXIT_CALL_FAILED, EXIT_USAGE, Failure};
use crate::app::composer::{Composer, Draft, DraftToken};
use crate::config::Settings;
use crate::onebot::{Error, MessageChain, Peer, Segment};

/// Raw bytes per `upload_file_stream` chunk (base64 makes it a third bigger on the wire).
pub const CHUNK: usize = 512 * 1024;
/// The largest picture or fallback file sent as `base64://` inside one frame: NapCat's
/// WebSocket `maxPayload` is 50 MB, and base64 grows the bytes by a third.
pub const MAX_INLINE: u64 = 30 * 1024 * 1024;

/// `napterm send` options.
#[derive(Debug, Clone, Args)]
pub struct SendArgs {
    /// The chat: g:<group number> or u:<QQ number>
    #[arg(long, value_name = "g:<id>|u:<id>")]
    pub chat: Peer,
    /// The text (`[face:14]`, `[face:微笑]` and `@QQ` work as in the composer); `-` reads it
    /// from stdin
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
    /// A picture to send with the text (repeatable)
    #[arg(long, value_name = "PATH")]
    pub image: Vec<PathBuf>,
    /// A file to upload to the chat (a group's files, or a private file)
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
}

/// The message a script's text becomes: `[face:…]` as faces, `@QQ` (5 to 11 digits, not glued
/// to a word) as mentions, `@全体成员` as a mention of everyone.
pub fn chain_of(text: &str) -> MessageChain {
    let mut tokens: Vec<DraftToken> = Vec::new();
    if text.contains("@全体成员") {
        tokens.push(DraftToken {
            text: "@全体成员".into(),
            segment: Segment::at_all(),
        });
    }
    for (i, _) in text.match_indices('@') {
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        let digits: String = text[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if (5..=11).contains(&digits.len())
            && let Ok(qq) = digits.parse::<i64>()
        {
            let token = format!("@{digits}");
            if !tokens.iter().any(|t| t.text == token) {
                tokens.push(DraftToken {
                    text: token,
                    segment: Segment::at(qq),
                });
            }
        }
    }
    let composer = Composer::from_draft(Draft {
        text: text.to_string(),
        tokens,
        reply: None,
    });
    composer.chain_for(text)
}

fn usage(msg: impl Into<String>) -> Failure {
    Failure::new(EXIT_USAGE, msg)
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path)
        .map_err(|e| usage(format!("cannot read the {what} {}: {e}", path.display())))
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The whole message: the text, then the pictures.
fn message(args: &SendArgs) -> Result<MessageChain, Failure> {
    let text = match args.text.as_deref() {
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| usage(format!("cannot read stdin: {e}")))?;
            // A here-doc or `echo` ends with a newline nobody meant to send.
            let s = s.strip_suffix('\n').unwrap_or(&s);
            s.strip_suffix('\r').unwrap_or(s).to_string()
        }
        Some(t) => t.to_string(),
        None => String::new(),
    };
    let mut chain = if text.trim().is_empty() {
        MessageChain::new()
    } else {
        chain_of(&text)
    };
    for path in &args.image {
        let size = std::fs::metadata(path)
            .map_err(|e| usage(format!("cannot read the picture {}: {e}", path.display())))?
            .len();
        if size > MAX_INLINE {
            return Err(usage(format!(
                "the picture {} is {} MB; pictures up to {} MB can be sent (send it with --file)",
                path.display(),
                size / (1024 * 1024),
                MAX_INLINE / (1024 * 1024)
            )));
        }
        let bytes = read(path, "picture")?;
        chain = chain.push(Segment::image(format!("base64://{}", base64(&bytes))));
    }
    Ok(chain)
}

/// Runs the subcommand.
pub async fn run(settings: &Settings, args: &SendArgs) -> Result<(), Failure> {
    let chain = message(args)?;
    let file = match &args.file {
        Some(path) => Some((path.clone(), read(path, "file")?)),
        None => None,
    };
    if chain.is_empty() && file.is_none() {
        return Err(usage(
            "nothing to send: give TEXT (or - for stdin), --image PATH or --file PATH",
        ));
    }
    let mut once = Once::connect(settings).await?;
    let result = async {
        if !chain.is_empty() {
            let sent = once.client.send_message(args.chat, &chain).await;
            match sent {
                Ok(m) => println!("{}", m.message_id),
                Err(e) => return Err(once.explain(e).await),
            }
        }
        if let Some((path, bytes)) = &file {
            let id = upload(&mut once, settings, args.chat, path, bytes).await?;
            println!("{id}");
        }
        Ok(())
    }
    .await;
    once.client.stop();
    result
}

/// One call on the script's connection, with the media timeout.
async fn call(
    once: &mut Once,
    settings: &Settings,
    action: &str,
    params: Value,
) -> Result<Value, Error> {
    if action == "upload_file_stream" {
        // One `stream-action` frame answers each chunk (`{type: "stream"}` for a receipt).
        return once
            .client
            .call_first_frame(action, params, settings.media_timeout)
            .await;
    }
    once.client
        .call_with_timeout(action, params, settings.media_timeout)
        .await
}

/// Uploads a file to the chat; returns the id NapCat gave it.
async fn upload(
    once: &mut Once,
    settings: &Settings,
    peer: Peer,
    path: &Path,
    bytes: &[u8],
) -> Result<String, Failure> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let file = match stream(once, settings, &name, bytes).await {
        Ok(path) => path,
        Err(Error::UnknownAction { .. }) if bytes.len() as u64 <= MAX_INLINE => {
            // NapCat before 4.8.114: the bytes inside the call itself.
            format!("base64://{}", base64(bytes))
        }
        Err(Error::UnknownAction { .. }) => {
            return Err(Failure::new(
                EXIT_CALL_FAILED,
                format!(
                    "this NapCat cannot receive files by stream (upload_file_stream, NapCat ≥ 4.8.114), \
                     and {name} is too big to send in one piece"
                ),
            ));
        }
        Err(e) => return Err(once.explain(e).await),
    };
    let (action, params) = match peer {
        Peer::Group(g) => (
            "upload_group_file",
            json!({"group_id": g, "file": file, "name": name}),
        ),
        Peer::Private(u) => (
            "upload_private_file",
            json!({"user_id": u, "file": file, "name": name}),
        ),
    };
    let data = match call(once, settings, action, params).await {
        Ok(d) => d,
        Err(e) => return Err(once.explain(e).await),
    };
    Ok(data
        .get("file_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string())
}

/// Sends the bytes in `upload_file_stream` chunks; returns the path NapCat stored them at.
async fn stream(
    once: &mut Once,
    settings: &Settings,
    name: &str,
    bytes: &[u8],
) -> Result<String, Error> {
    let id = format!(
        "napterm-{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    );
    let sha = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let chunks: Vec<&[u8]> = if bytes.is_empty() {
        vec![bytes]
    } else {
        bytes.chunks(CHUNK).collect()
    };
    let total = chunks.len();
    for (i, chunk) in chunks.into_iter().enumerate() {
        let params = json!({
            "stream_id": id, "chunk_data": base64(chunk), "chunk_index": i,
            "total_chunks": total, "file_size": bytes.len(), "expected_sha256": sha,
            "filename": name, "file_retention": 300_000,
        });
        call(once, settings, "upload_file_stream", params).await?;
    }
    let done = call(
        once,
        settings,
        "upload_file_stream",
        json!({"stream_id": id, "is_complete": true}),
    )
    .await?;
    done.get("file_path")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::UnexpectedReply {
            action: "upload_file_stream".into(),
            detail: "no file_path in the completing reply".into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(chain: &MessageChain) -> Vec<String> {
        serde_json::to_value(chain)
            .expect("json")
            .as_array()
            .expect("array")
            .iter()
            .map(|s| s["type"].as_str().unwrap_or("").to_string())
            .collect()
    }

    #[test]
    fn faces_and_qq_mentions_become_segments() {
        let c = chain_of("构建通过 [face:14] @10002 请看，mail a@12345.com，号码 @123");
        assert_eq!(types(&c), ["text", "face", "text", "at", "text"], "{c:?}");
        let v = serde_json::to_value(&c).expect("json");
        assert_eq!(v[3]["data"]["qq"], "10002");
        assert_eq!(types(&chain_of("@全体成员 开会")), ["at", "text"]);
        assert_eq!(types(&chain_of("纯文字")), ["text"]);
    }
}
