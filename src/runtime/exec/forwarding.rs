//! Performing the calls that pass messages on to another chat.

use crate::app::call::{ForwardEach, ForwardMerged, ForwardedEach};
use crate::onebot::{Client, Peer, Result};

use super::Perform;

impl Perform for ForwardMerged {
    async fn perform(&self, client: &Client) -> Result<i64> {
        let sent = match self.target {
            Peer::Group(g) => client.send_group_forward_msg(g, &self.ids).await?,
            Peer::Private(u) => client.send_private_forward_msg(u, &self.ids).await?,
        };
        Ok(sent.message_id)
    }
}

impl Perform for ForwardEach {
    /// One at a time, in order: the next is sent once the one before it went through, and the
    /// first failure stops the rest.
    async fn perform(&self, client: &Client) -> Result<ForwardedEach> {
        let mut sent = 0;
        for id in &self.ids {
            let r = match self.target {
                Peer::Group(g) => client.forward_group_single_msg(*id, g).await,
                Peer::Private(u) => client.forward_friend_single_msg(*id, u).await,
            };
            match r {
                Ok(()) => sent += 1,
                // Nothing went: the failure is the call's.
                Err(e) if sent == 0 => return Err(e),
                Err(e) => {
                    return Ok(ForwardedEach {
                        sent,
                        error: Some(crate::app::text::short_reason(&e)),
                    });
                }
            }
        }
        Ok(ForwardedEach { sent, error: None })
    }
}
