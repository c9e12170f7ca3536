//! Performing the calls about reactions.

use crate::app::call::{React, ReactionCounts, Reactors};
use crate::onebot::event::EmojiLikeCount;
use crate::onebot::types::EmojiLikeUser;
use crate::onebot::{Client, Error, Result};

use super::Perform;

impl Perform for React {
    async fn perform(&self, client: &Client) -> Result<()> {
        let emoji = self
            .emoji
            .trim()
            .parse::<i64>()
            .map_err(|_| Error::BadParams {
                action: "set_msg_emoji_like".into(),
                message: format!("「{}」不是表情编号", self.emoji),
            })?;
        client
            .set_msg_emoji_like(self.id, emoji, self.set)
            .await
            .map(drop)
    }
}

impl Perform for ReactionCounts {
    async fn perform(&self, client: &Client) -> Result<Vec<EmojiLikeCount>> {
        Ok(client.get_msg(self.id).await?.emoji_likes_list)
    }
}

impl Perform for Reactors {
    async fn perform(&self, client: &Client) -> Result<Vec<EmojiLikeUser>> {
        Ok(client
            .get_emoji_likes(self.id, &self.emoji, 0)
            .await?
            .emoji_like_list)
    }
}
