//! Sending local pictures: `/image <path>`, and a paste that is exactly a picture's path (what
//! terminals paste for a dragged file) asks whether to send it. The runtime reads and prepares
//! the file (`Effect::SendPicture`); when it is ready the picture goes out like any message,
//! pending until the server answers, its entry showing the picture at once.

use crate::onebot::{MessageChain, Segment};

use super::effect::{Effect, Step};
use super::outbox;
use super::outgoing::send_chain_shown;
use super::pictures::SendEvent;
use super::popup::{Confirm, Popup};
use super::state::State;

/// The extensions a pasted path must end with to be offered as a picture.
const EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "bmp"];

/// `/image <path>`.
pub fn command(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    let peer = state.open.ok_or("先打开一个会话 (/open 名字)")?;
    let path = unquote(args.trim());
    if path.is_empty() {
        return Err("用法: /image <图片路径>".into());
    }
    state.info(format!("正在读取图片 {path}…"));
    fx.push(Effect::SendPicture {
        peer,
        path: path.to_string(),
    });
    Ok(())
}

/// A path without the quotes a terminal or a shell put around it.
fn unquote(s: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// The picture path a paste is, if it is exactly one: one line, absolute or from `~`
/// (`file://` accepted), ending in a picture's extension.
pub fn pasted_path(text: &str) -> Option<String> {
    let t = unquote(text.trim());
    if t.is_empty() || t.contains(['\n', '\r']) {
        return None;
    }
    let t = t.strip_prefix("file://").unwrap_or(t);
    if !(t.starts_with('/') || t.starts_with("~/")) {
        return None;
    }
    // A dragged path may have its spaces escaped (`My\ Pictures`).
    let path = t.replace("\\ ", " ");
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    EXTENSIONS.contains(&ext.as_str()).then_some(path)
}

/// After a paste went into the composer: a picture's path asks whether to send it as a
/// picture (yes removes the pasted path from the draft and sends; no keeps the text).
pub fn offer(state: &mut State, text: &str) {
    let (Some(peer), Some(path)) = (state.open, pasted_path(text)) else {
        return;
    };
    if state.popup.is_some() {
        return;
    }
    let name = path.rsplit('/').next().unwrap_or(&path).to_string();
    state.pictures.pasted = Some((peer, path, text.to_string()));
    state.popup = Some(Popup::Confirm(Confirm {
        title: "发送图片".into(),
        body: format!("把 {name} 作为图片发送到当前会话？(否则它留在输入框里)"),
        on_yes: vec![Effect::Continue(Step::SendPastedPicture)],
    }));
}

/// The pasted picture's question said yes.
pub fn send_pasted(state: &mut State, fx: &mut Vec<Effect>) {
    let Some((peer, path, text)) = state.pictures.pasted.take() else {
        return;
    };
    // The pasted path leaves the draft (when it is still at its end, as pasted).
    if state.open == Some(peer) {
        let draft = state.composer.text();
        if let Some(rest) = draft.strip_suffix(&text) {
            let rest = rest.to_string();
            state.composer.clear();
            state.composer.insert_text(&rest);
        }
    }
    state.info("正在读取图片…");
    fx.push(Effect::SendPicture { peer, path });
}

/// How the runtime's preparation goes.
pub fn on_event(state: &mut State, ev: SendEvent, fx: &mut Vec<Effect>) {
    match ev {
        // Taken back (`d`) while its upload went: nothing more of it.
        SendEvent::Uploaded { local_id, .. } | SendEvent::UploadFailed { local_id, .. }
            if !outbox::uploading(state, local_id) => {}
        SendEvent::Progress { local_id, .. } if !outbox::uploading(state, local_id) => {}
        SendEvent::Progress { done, total, .. } => {
            let pct = (done * 100).checked_div(total).unwrap_or(100);
            state.info(format!("正在上传图片 {pct}%"));
        }
        SendEvent::Ready { peer, shown, file } => {
            let mut sent = (*shown).clone();
            sent.file = file;
            let shown = MessageChain(vec![Segment::Image(shown)]);
            let chain = MessageChain(vec![Segment::Image(Box::new(sent))]);
            state.status.clear_info();
            send_chain_shown(state, peer, shown, chain, fx);
        }
        SendEvent::Failed(why) => state.error(format!("无法发送图片: {why}")),
        SendEvent::Uploaded {
            peer,
            local_id,
            chain,
        } => {
            state.status.clear_info();
            outbox::sent_uploaded(state, peer, local_id, chain, fx);
        }
        SendEvent::UploadFailed {
            peer,
            local_id,
            offline,
            why,
        } => {
            outbox::uploaded(state, local_id);
            if offline {
                // It never went out: it waits for the connection like one written offline.
                outbox::wait(state, peer, local_id, fx);
            } else {
                outbox::failed(state, peer, local_id, &format!("图片上传失败: {why}"), "");
            }
        }
    }
}
