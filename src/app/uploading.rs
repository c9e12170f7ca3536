//! Uploading local files: `/upload <path>` (to the open chat: a group's files — into the folder
//! the file browser shows when it is open — or a friend), `/voice <path>` (a voice message). The
//! runtime moves the bytes (`upload_file_stream`, else base64 up to 30 MB); what comes back
//! finishes here: a voice is sent as a `record` segment, a failure puts the command back.

use crate::onebot::segment::RecordData;
use crate::onebot::{MessageChain, Peer, Segment};

use super::effect::Effect;
use super::outgoing;
use super::state::State;
use super::transfer::{Direction, Purpose, Transfer, UploadJob, UploadTarget};

/// The name an upload goes by: the path's last component.
fn file_name(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches('/');
    trimmed
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or(trimmed)
        .to_string()
}

/// Starts an upload of `path` to `target`; `command` is what to give back on failure.
pub fn start(
    state: &mut State,
    path: &str,
    target: UploadTarget,
    command: String,
    fx: &mut Vec<Effect>,
) {
    let id = state.transfers.next_id();
    let name = file_name(path);
    state.transfers.active.push(Transfer {
        id,
        name: name.clone(),
        direction: Direction::Up,
        done: 0,
        total: None,
        speed: 0,
        origin: None,
        command: Some(command),
        target: Some(target.clone()),
        purpose: Purpose::Save,
    });
    state.info(format!("正在上传 {name}…"));
    fx.push(Effect::Upload(UploadJob {
        id,
        path: path.trim().to_string(),
        target,
    }));
}

/// `/upload <path>`.
pub fn command(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    if args.trim().is_empty() {
        return Err("用法: /upload <本地文件路径> (Tab 补全路径)".into());
    }
    let Some(peer) = state.open else {
        return Err("先打开一个会话 (/open 名字)".into());
    };
    let target = match peer {
        Peer::Group(group) => UploadTarget::Group {
            group,
            folder: None,
        },
        Peer::Private(user) => UploadTarget::Private { user },
    };
    start(state, args, target, format!("/upload {args}"), fx);
    Ok(())
}

/// `/voice <path>`: an audio file sent as a voice message (NapCat converts it).
pub fn voice_command(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    if args.trim().is_empty() {
        return Err("用法: /voice <本地音频文件> (mp3、wav、ogg、amr…)".into());
    }
    let Some(peer) = state.open else {
        return Err("先打开一个会话 (/open 名字)".into());
    };
    start(
        state,
        args,
        UploadTarget::Voice { peer },
        format!("/voice {args}"),
        fx,
    );
    Ok(())
}

/// An upload finished: `file` is the new file's id, or NapCat's path for a voice.
pub fn uploaded(state: &mut State, t: Transfer, file: String, fx: &mut Vec<Effect>) {
    match t.target {
        Some(UploadTarget::Voice { peer }) => {
            let chain = MessageChain(vec![Segment::Record(Box::new(RecordData {
                file,
                ..Default::default()
            }))]);
            outgoing::send_chain(state, peer, chain, fx);
            state.info(format!("已发送语音 {}", t.name));
        }
        _ => state.info(format!("已上传 {}", t.name)),
    }
}

/// An upload failed: the reason, and the command back in an empty composer of its chat.
pub fn failed(state: &mut State, t: Transfer, reason: String) {
    let peer = match &t.target {
        Some(UploadTarget::Group { group, .. }) => Some(Peer::Group(*group)),
        Some(UploadTarget::Private { user }) => Some(Peer::Private(*user)),
        Some(UploadTarget::Voice { peer }) => Some(*peer),
        None => None,
    };
    if let Some(command) = t.command
        && peer.is_some()
        && state.open == peer
        && state.composer.is_empty()
    {
        state.composer.insert_text(&command);
    }
    state.error(format!("{} 上传失败: {reason}", t.name));
}
