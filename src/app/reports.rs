//! What the runtime reports back about itself: the frame it drew, the effects it could not
//! perform.

use super::chat::Scroll;
use super::effect::Effect;
use super::msg::Failure;
use super::state::{FrameReport, State};

/// What the frame showed: where rows and panes are (for clicks and paging), and where the open
/// chat was scrolled to.
pub fn on_frame(state: &mut State, report: FrameReport, fx: &mut Vec<Effect>) {
    state.view = report.view;
    // A window taller than what is loaded: older pages until it is full.
    super::seek::fill(state, fx);
    // Pictures near the window that are not drawn yet.
    super::picture_loads::on_frame(state, fx);
    // A report of a chat that is no longer open (switched while it was drawn) is stale.
    if let Some((peer, scroll)) = report.scroll
        && state.open == Some(peer)
        && let Some(c) = state.chats.get_mut(&peer)
    {
        c.scroll = scroll;
        if scroll == Scroll::Bottom {
            c.new_below = 0;
        }
    }
}

/// A failed effect, said in the status line.
pub fn on_failure(state: &mut State, f: Failure) {
    match f {
        // The opener's reason says what was done instead (the link copied): not an error.
        Failure::Open(why) => state.info(why),
        Failure::Audit { path, reason } => {
            state.error(format!("无法写入审计日志 {path}: {reason}"))
        }
        Failure::Suspend(reason) => state.error(format!("无法挂起: {reason}")),
        Failure::SaveSession { path, reason } => {
            state.error(format!("无法保存草稿到 {path}: {reason}"))
        }
    }
}
