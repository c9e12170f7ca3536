//! Performing the calls of a chat.

use crate::app::call::{
    FileUrl, GetForward, GetMsg, History, MarkAllRead, MarkRead, SendMessage, Typing,
};
use crate::onebot::{Client, MessageEvent, Peer, Result};

use super::Perform;

impl Perform for History {
    async fn perform(&self, client: &Client) -> Result<Vec<MessageEvent>> {
        let reverse = self.anchor.is_some();
        let mut page = match self.peer {
            Peer::Group(g) => {
                client
                    .get_group_msg_history(g, self.anchor, self.count, reverse)
                    .await?
            }
            Peer::Private(u) => {
                client
                    .get_friend_msg_history(u, self.anchor, self.count, reverse)
                    .await?
            }
        };
        page.messages.sort_by_key(|m| m.time);
        Ok(page.messages)
    }
}

impl Perform for GetMsg {
    async fn perform(&self, client: &Client) -> Result<Box<MessageEvent>> {
        Ok(Box::new(client.get_msg(self.id).await?))
    }
}

impl Perform for GetForward {
    async fn perform(&self, client: &Client) -> Result<Vec<MessageEvent>> {
        Ok(client.get_forward_msg(&self.id).await?.messages)
    }
}

impl Perform for FileUrl {
    async fn perform(&self, client: &Client) -> Result<String> {
        Ok(client
            .get_group_file_url(self.group, &self.file_id)
            .await?
            .url)
    }
}

impl Perform for SendMessage {
    async fn perform(&self, client: &Client) -> Result<i64> {
        let sent = match (self.peer, self.group) {
            (Peer::Private(u), Some(g)) => client.send_temp_msg(u, g, &self.chain).await?,
            _ => client.send_message(self.peer, &self.chain).await?,
        };
        Ok(sent.message_id)
    }
}

impl Perform for Typing {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.set_input_status(1, self.user).await.map(drop)
    }
}

impl Perform for MarkRead {
    async fn perform(&self, client: &Client) -> Result<()> {
        match self.peer {
            Peer::Group(g) => client.mark_group_msg_as_read(g).await,
            Peer::Private(u) => client.mark_private_msg_as_read(u).await,
        }
    }
}

impl Perform for MarkAllRead {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.mark_all_as_read().await
    }
}
