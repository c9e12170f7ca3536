//! Reading messages and their state: single messages, histories, recent chats, forwards, read
//! marks, reactions and the media behind segments.

use serde_json::json;

use super::super::client::Client;
use super::super::error::Result;
use super::super::event::{MessageEvent, Peer};
use super::super::types::{
    EmojiLikeList, EmojiLikers, ForwardContent, History, MediaFile, RecentContact,
};
use super::{decode, decode_list, put_opt};

/// The audio format `get_record` converts a voice message to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordFormat {
    #[default]
    Mp3,
    Amr,
    Wma,
    M4a,
    Spx,
    Ogg,
    Wav,
    Flac,
}

impl RecordFormat {
    /// The name NapCat's `out_format` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordFormat::Mp3 => "mp3",
            RecordFormat::Amr => "amr",
            RecordFormat::Wma => "wma",
            RecordFormat::M4a => "m4a",
            RecordFormat::Spx => "spx",
            RecordFormat::Ogg => "ogg",
            RecordFormat::Wav => "wav",
            RecordFormat::Flac => "flac",
        }
    }
}

/// Params of both history actions.
fn history_params(
    key: &str,
    id: i64,
    message_seq: Option<i64>,
    count: u32,
    reverse_order: bool,
) -> serde_json::Value {
    // Both spellings of the direction flag: current NapCat reads either, older builds only the
    // camel-case one.
    let mut p =
        json!({ "count": count, "reverse_order": reverse_order, "reverseOrder": reverse_order });
    put_opt(&mut p, key, Some(id));
    put_opt(&mut p, "message_seq", message_seq);
    p
}

impl Client {
    /// One message by short id (`get_msg`); a recalled message comes back with an empty chain.
    pub async fn get_msg(&self, message_id: i64) -> Result<MessageEvent> {
        const A: &str = "get_msg";
        decode(A, self.call(A, json!({ "message_id": message_id })).await?)
    }

    /// Recalls a message (`delete_msg`).
    pub async fn delete_msg(&self, message_id: i64) -> Result<()> {
        self.call("delete_msg", json!({ "message_id": message_id }))
            .await
            .map(drop)
    }

    /// A page of a group's history (`get_group_msg_history`).
    ///
    /// `message_seq` is the anchor: a NapCat short message id (not QQ's `real_seq`), included in
    /// the page; `None` gives the latest `count` messages. `reverse_order` pages towards older
    /// messages. Builds differ in the order of the returned list: sort by time.
    pub async fn get_group_msg_history(
        &self,
        group_id: i64,
        message_seq: Option<i64>,
        count: u32,
        reverse_order: bool,
    ) -> Result<History> {
        const A: &str = "get_group_msg_history";
        let p = history_params("group_id", group_id, message_seq, count, reverse_order);
        decode(A, self.call(A, p).await?)
    }

    /// A page of a private chat's history (`get_friend_msg_history`); as `get_group_msg_history`.
    pub async fn get_friend_msg_history(
        &self,
        user_id: i64,
        message_seq: Option<i64>,
        count: u32,
        reverse_order: bool,
    ) -> Result<History> {
        const A: &str = "get_friend_msg_history";
        let p = history_params("user_id", user_id, message_seq, count, reverse_order);
        decode(A, self.call(A, p).await?)
    }

    /// The `count` most recent conversations with their latest message (`get_recent_contact`).
    pub async fn get_recent_contact(&self, count: u32) -> Result<Vec<RecentContact>> {
        const A: &str = "get_recent_contact";
        decode_list(A, self.call(A, json!({ "count": count })).await?)
    }

    /// The content of a merged forward (`get_forward_msg`). `message_id` is the `id` of the
    /// `forward` segment — a QQNT id string, not a short message id.
    pub async fn get_forward_msg(&self, message_id: &str) -> Result<ForwardContent> {
        const A: &str = "get_forward_msg";
        decode(A, self.call(A, json!({ "message_id": message_id })).await?)
    }

    /// Marks a conversation read (`mark_msg_as_read`). NcatBot's "group_id or user_id" is a `Peer`.
    pub async fn mark_msg_as_read(&self, peer: Peer) -> Result<()> {
        let p = match peer {
            Peer::Group(g) => json!({ "group_id": g }),
            Peer::Private(u) => json!({ "user_id": u }),
        };
        self.call("mark_msg_as_read", p).await.map(drop)
    }

    /// Marks a group read (`mark_group_msg_as_read`).
    pub async fn mark_group_msg_as_read(&self, group_id: i64) -> Result<()> {
        self.call("mark_group_msg_as_read", json!({ "group_id": group_id }))
            .await
            .map(drop)
    }

    /// Marks a private chat read (`mark_private_msg_as_read`).
    pub async fn mark_private_msg_as_read(&self, user_id: i64) -> Result<()> {
        self.call("mark_private_msg_as_read", json!({ "user_id": user_id }))
            .await
            .map(drop)
    }

    /// Marks every conversation read (NapCat's `_mark_all_as_read`).
    pub async fn mark_all_as_read(&self) -> Result<()> {
        self.call("_mark_all_as_read", json!({})).await.map(drop)
    }

    /// Adds (`set` true) or removes a reaction (`set_msg_emoji_like`). `emoji_id` is a system face
    /// id or a Unicode code point in decimal; NapCat tells them apart by length. Returns QQNT's raw
    /// result object.
    pub async fn set_msg_emoji_like(
        &self,
        message_id: i64,
        emoji_id: i64,
        set: bool,
    ) -> Result<serde_json::Value> {
        let p = json!({ "message_id": message_id, "emoji_id": emoji_id.to_string(), "set": set });
        self.call("set_msg_emoji_like", p).await
    }

    /// Who reacted to a message with one emoji, a page at a time (`fetch_emoji_like`).
    /// `emoji_type` is 1 for system faces, 2 for Unicode emoji; `cookie` is "" for the first page,
    /// then the previous page's `cookie`. NcatBot's `group_id`/`user_id` are not taken: NapCat
    /// finds the chat from the message id.
    pub async fn fetch_emoji_like(
        &self,
        message_id: i64,
        emoji_id: i64,
        emoji_type: i64,
        count: u32,
        cookie: &str,
    ) -> Result<EmojiLikers> {
        const A: &str = "fetch_emoji_like";
        let p = json!({
            "message_id": message_id,
            "emojiId": emoji_id.to_string(),
            "emojiType": emoji_type.to_string(),
            "count": count,
            "cookie": cookie,
        });
        decode(A, self.call(A, p).await?)
    }

    /// Everybody who reacted to a message with one emoji (`get_emoji_likes`). `emoji_id` is a
    /// system face id or a code point in decimal (NapCat infers the type from its length);
    /// `count` 0 asks for all of them (NapCat then pages up to 200 times on its side).
    pub async fn get_emoji_likes(
        &self,
        message_id: i64,
        emoji_id: &str,
        count: u32,
    ) -> Result<EmojiLikeList> {
        const A: &str = "get_emoji_likes";
        let p = json!({
            "message_id": message_id.to_string(),
            "emoji_id": emoji_id,
            "count": count,
        });
        decode(A, self.call(A, p).await?)
    }

    /// Fetches the image behind an `image` segment's `file` token (`get_image`).
    pub async fn get_image(&self, file_id: &str) -> Result<MediaFile> {
        const A: &str = "get_image";
        decode(A, self.call_media(A, json!({ "file_id": file_id })).await?)
    }

    /// Fetches a voice message converted to `out_format` (`get_record`).
    pub async fn get_record(&self, file_id: &str, out_format: RecordFormat) -> Result<MediaFile> {
        const A: &str = "get_record";
        let p = json!({ "file_id": file_id, "out_format": out_format.as_str() });
        decode(A, self.call_media(A, p).await?)
    }

    /// Fetches the file behind a `file` segment's `file_id` (`get_file`).
    pub async fn get_file(&self, file_id: &str) -> Result<MediaFile> {
        const A: &str = "get_file";
        decode(A, self.call_media(A, json!({ "file_id": file_id })).await?)
    }
}
