//! Opening what the selected message links to: its URL, or a group file's download link asked
//! of the server first.

use crate::onebot::Peer;

use super::call::FileUrl;
use super::call::reply::Request;
use super::effect::Effect;
use super::state::State;
use super::timeline_nav;

/// Opens the selected message's link; a group file's link is asked for and opened when it comes.
pub fn open_selected(state: &mut State, fx: &mut Vec<Effect>) {
    if let Some((peer, m)) = state.selected_message() {
        match (
            timeline_nav::link_of(m),
            timeline_nav::group_file_of(m),
            peer,
        ) {
            (Some(url), _, _) => fx.push(Effect::Open(url)),
            // A group file without a URL in the message: ask the server for one.
            (None, Some(file_id), Peer::Group(group)) => {
                state.info("正在获取文件链接…");
                fx.push(Effect::call(FileUrl { group, file_id }));
            }
            _ => state.error("这条消息没有链接或附件"),
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
        if crate::onebot::link::is_web_url(&url) {
            fx.push(Effect::Open(url));
        } else {
            state.error("服务器没有给出文件链接");
        }
    }
}
