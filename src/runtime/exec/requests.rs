//! Performing the calls about friend and group requests.

use crate::app::call::{AcceptDoubt, AnswerRequest, DoubtRequests, GroupRequests};
use crate::onebot::types::{DoubtFriendRequest, GroupSystemMsg};
use crate::onebot::{Client, Result};

use super::Perform;

impl Perform for GroupRequests {
    async fn perform(&self, client: &Client) -> Result<GroupSystemMsg> {
        if self.filtered {
            client.get_group_ignored_notifies().await
        } else {
            client.get_group_system_msg(50).await
        }
    }
}

impl Perform for AnswerRequest {
    async fn perform(&self, client: &Client) -> Result<()> {
        let text = self.text.as_deref();
        match self.group {
            None => {
                client
                    .set_friend_add_request(&self.flag, self.approve, text)
                    .await
            }
            Some(_) => {
                client
                    .set_group_add_request(&self.flag, self.approve, text)
                    .await
            }
        }
    }
}

impl Perform for DoubtRequests {
    async fn perform(&self, client: &Client) -> Result<Vec<DoubtFriendRequest>> {
        client.get_doubt_friends_add_request(50).await
    }
}

impl Perform for AcceptDoubt {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.set_doubt_friends_add_request(&self.flag).await
    }
}
