//! Opening what a message links to: its URLs, or a group file's download link asked of the
//! server first. One rule for `o` (the selected message's first link) and the link picker
//! (every link of the visible messages).

use crate::onebot::Peer;
use crate::onebot::Segment;

use super::call::FileUrl;
use super::call::reply::Request;
use super::chat::MessageItem;
use super::effect::Effect;
use super::popup::LinkTarget;
use super::state::State;

/// What a message links to, in order: its web links (text URLs, cards, shares, attachments'
/// download URLs), then the group files that came without a URL (asked of the server).
pub fn targets_of(peer: Peer, m: &MessageItem) -> Vec<LinkTarget> {
    let mut out: Vec<LinkTarget> = m.chain.links().into_iter().map(LinkTarget::Url).collect();
    if let Peer::Group(group) = peer {
        for s in m.chain.segments() {
            if let Segment::File(f) = s
                && f.url
                    .as_deref()
                    .is_none_or(|u| !crate::onebot::link::is_web_url(u))
                && let Some(file_id) = f.file_id.clone().filter(|id| !id.is_empty())
            {
                let name = f.name.clone().unwrap_or_else(|| f.file.clone());
                out.push(LinkTarget::GroupFile {
                    group,
                    file_id,
                    name,
                });
            }
        }
    }
    out
}

/// Opens the selected message's first link; a group file's link is asked for and opened when
/// it comes.
pub fn open_selected(state: &mut State, fx: &mut Vec<Effect>) {
    let Some((peer, m)) = state.selected_message() else {
        return;
    };
    match targets_of(peer, m).into_iter().next() {
        Some(target) => open_target(state, target, false, fx),
        None => state.error("这条消息没有链接或附件"),
    }
}

/// Opens a link, or copies it (OSC 52) when `copy`; a group file's link is asked for first.
pub fn open_target(state: &mut State, target: LinkTarget, copy: bool, fx: &mut Vec<Effect>) {
    match target {
        LinkTarget::Url(url) if copy => {
            fx.push(Effect::Copy(url));
            state.info("已复制链接");
        }
        LinkTarget::Url(url) => fx.push(Effect::Open(url)),
        LinkTarget::GroupFile { group, file_id, .. } => {
            state.info("正在获取文件链接…");
            fx.push(Effect::call(FileUrl {
                group,
                file_id,
                copy,
            }));
        }
    }
}

// What the call's result does (see `call::reply::Request`).

impl Request for FileUrl {
    /// The URL.
    type Output = String;

    fn describe(&self) -> &'static str {
        "获取文件链接"
    }

    fn done(self, state: &mut State, url: String, fx: &mut Vec<Effect>) {
        if !crate::onebot::link::is_web_url(&url) {
            state.error("服务器没有给出文件链接");
        } else if self.copy {
            fx.push(Effect::Copy(url));
            state.info("已复制文件链接");
        } else {
            fx.push(Effect::Open(url));
        }
    }
}
