//! Groups: information, members, moderation, requests, notices, essence, honors and AI voices.

use serde_json::{Value, json};

use super::super::client::Client;
use super::super::error::Result;
use super::super::types::{
    AiCharacters, AtAllRemain, EssenceMessage, GroupHonorInfo, GroupInfo, GroupMember, GroupNotice,
    GroupSystemMsg, OpResult, ShutListEntry,
};
use super::{decode, decode_list, decode_string, put_opt};

/// Options of `send_group_notice` beyond its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeOptions {
    /// A file URI of an image to attach.
    pub image: Option<String>,
    /// Pin the notice at the top.
    pub pinned: bool,
    /// Ask members to confirm they read it (NapCat's default: yes).
    pub confirm_required: bool,
}

impl Default for NoticeOptions {
    fn default() -> Self {
        NoticeOptions {
            image: None,
            pinned: false,
            confirm_required: true,
        }
    }
}

impl Client {
    /// Removes a member, optionally refusing their future join requests (`set_group_kick`).
    pub async fn set_group_kick(
        &self,
        group_id: i64,
        user_id: i64,
        reject_add_request: bool,
    ) -> Result<()> {
        let p = json!({ "group_id": group_id, "user_id": user_id, "reject_add_request": reject_add_request });
        self.call("set_group_kick", p).await.map(drop)
    }

    /// Removes several members in one call (`set_group_kick_members`, NapCat's batch kick),
    /// optionally refusing their future join requests. The numbers go as strings: NapCat's
    /// schema for this action declares them so.
    pub async fn set_group_kick_members(
        &self,
        group_id: i64,
        user_ids: &[i64],
        reject_add_request: bool,
    ) -> Result<()> {
        let users: Vec<String> = user_ids.iter().map(i64::to_string).collect();
        let p = json!({
            "group_id": group_id.to_string(),
            "user_id": users,
            "reject_add_request": reject_add_request,
        });
        self.call("set_group_kick_members", p).await.map(drop)
    }

    /// Mutes a member for `duration` seconds; 0 lifts the mute (`set_group_ban`).
    pub async fn set_group_ban(&self, group_id: i64, user_id: i64, duration: i64) -> Result<()> {
        let p = json!({ "group_id": group_id, "user_id": user_id, "duration": duration });
        self.call("set_group_ban", p).await.map(drop)
    }

    /// Pending join requests and invitations of **all** groups, at most `count`
    /// (`get_group_system_msg`; NcatBot's `group_id` is ignored by NapCat and not taken).
    pub async fn get_group_system_msg(&self, count: u32) -> Result<GroupSystemMsg> {
        const A: &str = "get_group_system_msg";
        decode(A, self.call(A, json!({ "count": count })).await?)
    }

    /// A group's essence messages (`get_essence_msg_list`).
    pub async fn get_essence_msg_list(&self, group_id: i64) -> Result<Vec<EssenceMessage>> {
        const A: &str = "get_essence_msg_list";
        decode_list(A, self.call(A, json!({ "group_id": group_id })).await?)
    }

    /// Mutes (`enable`) or unmutes everybody but admins (`set_group_whole_ban`).
    pub async fn set_group_whole_ban(&self, group_id: i64, enable: bool) -> Result<()> {
        let p = json!({ "group_id": group_id, "enable": enable });
        self.call("set_group_whole_ban", p).await.map(drop)
    }

    /// Sets a group's avatar from a file URI (`set_group_portrait`).
    pub async fn set_group_portrait(&self, group_id: i64, file: &str) -> Result<OpResult> {
        const A: &str = "set_group_portrait";
        let p = json!({ "group_id": group_id, "file": file });
        decode(A, self.call_media(A, p).await?)
    }

    /// Makes (`enable`) or unmakes a member admin (`set_group_admin`). `enable` is always sent:
    /// NapCat reads a missing one as "remove".
    pub async fn set_group_admin(&self, group_id: i64, user_id: i64, enable: bool) -> Result<()> {
        let p = json!({ "group_id": group_id, "user_id": user_id, "enable": enable });
        self.call("set_group_admin", p).await.map(drop)
    }

    /// Makes a message essence (`set_essence_msg`); returns QQNT's raw result.
    pub async fn set_essence_msg(&self, message_id: i64) -> Result<Value> {
        self.call("set_essence_msg", json!({ "message_id": message_id }))
            .await
    }

    /// Sets a member's card; "" clears it (`set_group_card`).
    pub async fn set_group_card(&self, group_id: i64, user_id: i64, card: &str) -> Result<()> {
        let p = json!({ "group_id": group_id, "user_id": user_id, "card": card });
        self.call("set_group_card", p).await.map(drop)
    }

    /// Removes a message from the essence list (`delete_essence_msg`); returns QQNT's raw result.
    pub async fn delete_essence_msg(&self, message_id: i64) -> Result<Value> {
        self.call("delete_essence_msg", json!({ "message_id": message_id }))
            .await
    }

    /// Renames a group (`set_group_name`).
    pub async fn set_group_name(&self, group_id: i64, group_name: &str) -> Result<()> {
        let p = json!({ "group_id": group_id, "group_name": group_name });
        self.call("set_group_name", p).await.map(drop)
    }

    /// Leaves a group, or dismisses it when `is_dismiss` and the account owns it
    /// (`set_group_leave`).
    pub async fn set_group_leave(&self, group_id: i64, is_dismiss: bool) -> Result<()> {
        let p = json!({ "group_id": group_id, "is_dismiss": is_dismiss });
        self.call("set_group_leave", p).await.map(drop)
    }

    /// Posts a group notice (NapCat's `_send_group_notice`). With an image it uses the media
    /// timeout, as NapCat uploads the picture first.
    pub async fn send_group_notice(
        &self,
        group_id: i64,
        content: &str,
        opts: &NoticeOptions,
    ) -> Result<()> {
        const A: &str = "_send_group_notice";
        let mut p = json!({
            "group_id": group_id,
            "content": content,
            "pinned": i64::from(opts.pinned),
            "confirm_required": i64::from(opts.confirm_required),
        });
        put_opt(&mut p, "image", opts.image.clone());
        let sent = if opts.image.is_some() {
            self.call_media(A, p).await
        } else {
            self.call(A, p).await
        };
        sent.map(drop)
    }

    /// A group's notices (NapCat's `_get_group_notice`).
    pub async fn get_group_notice(&self, group_id: i64) -> Result<Vec<GroupNotice>> {
        const A: &str = "_get_group_notice";
        decode_list(A, self.call(A, json!({ "group_id": group_id })).await?)
    }

    /// Deletes a notice by its `notice_id` (NapCat's `_del_group_notice`); returns the raw result.
    pub async fn del_group_notice(&self, group_id: i64, notice_id: &str) -> Result<Value> {
        let p = json!({ "group_id": group_id, "notice_id": notice_id });
        self.call("_del_group_notice", p).await
    }

    /// Gives a member a special title; "" removes it (`set_group_special_title`; owner only).
    pub async fn set_group_special_title(
        &self,
        group_id: i64,
        user_id: i64,
        special_title: &str,
    ) -> Result<()> {
        let p = json!({ "group_id": group_id, "user_id": user_id, "special_title": special_title });
        self.call("set_group_special_title", p).await.map(drop)
    }

    /// Accepts or rejects a join request or invitation by its `flag` (`set_group_add_request`);
    /// `reason` is shown to a rejected applicant.
    pub async fn set_group_add_request(
        &self,
        flag: &str,
        approve: bool,
        reason: Option<&str>,
    ) -> Result<()> {
        let mut p = json!({ "flag": flag, "approve": approve });
        put_opt(&mut p, "reason", reason);
        self.call("set_group_add_request", p).await.map(drop)
    }

    /// One group's name and counts (`get_group_info`).
    pub async fn get_group_info(&self, group_id: i64) -> Result<GroupInfo> {
        const A: &str = "get_group_info";
        decode(A, self.call(A, json!({ "group_id": group_id })).await?)
    }

    /// QQNT's extended group information, raw (`get_group_info_ex`).
    pub async fn get_group_info_ex(&self, group_id: i64) -> Result<Value> {
        self.call("get_group_info_ex", json!({ "group_id": group_id }))
            .await
    }

    /// The groups the account is in (`get_group_list`); `no_cache` refreshes from QQ.
    pub async fn get_group_list(&self, no_cache: bool) -> Result<Vec<GroupInfo>> {
        const A: &str = "get_group_list";
        decode_list(A, self.call(A, json!({ "no_cache": no_cache })).await?)
    }

    /// One member's details (`get_group_member_info`); `no_cache` refreshes from QQ.
    pub async fn get_group_member_info(
        &self,
        group_id: i64,
        user_id: i64,
        no_cache: bool,
    ) -> Result<GroupMember> {
        const A: &str = "get_group_member_info";
        let p = json!({ "group_id": group_id, "user_id": user_id, "no_cache": no_cache });
        decode(A, self.call(A, p).await?)
    }

    /// All members of a group (`get_group_member_list`); `no_cache` refreshes from QQ.
    pub async fn get_group_member_list(
        &self,
        group_id: i64,
        no_cache: bool,
    ) -> Result<Vec<GroupMember>> {
        const A: &str = "get_group_member_list";
        let p = json!({ "group_id": group_id, "no_cache": no_cache });
        decode_list(A, self.call(A, p).await?)
    }

    /// A group's honors: 龙王 and the other honor lists (`get_group_honor_info`).
    pub async fn get_group_honor_info(&self, group_id: i64) -> Result<GroupHonorInfo> {
        const A: &str = "get_group_honor_info";
        decode(A, self.call(A, json!({ "group_id": group_id })).await?)
    }

    /// How many `@全体成员` the account may still send today (`get_group_at_all_remain`).
    pub async fn get_group_at_all_remain(&self, group_id: i64) -> Result<AtAllRemain> {
        const A: &str = "get_group_at_all_remain";
        decode(A, self.call(A, json!({ "group_id": group_id })).await?)
    }

    /// Join requests QQ filtered out, of all groups (`get_group_ignored_notifies`; takes no
    /// params, so NcatBot's `group_id` is not taken).
    pub async fn get_group_ignored_notifies(&self) -> Result<GroupSystemMsg> {
        const A: &str = "get_group_ignored_notifies";
        decode(A, self.call(A, json!({})).await?)
    }

    /// Signs in to a group for the day (`set_group_sign`; needs the packet backend).
    pub async fn set_group_sign(&self, group_id: i64) -> Result<()> {
        self.call("set_group_sign", json!({ "group_id": group_id }))
            .await
            .map(drop)
    }

    /// The same sign-in under its other name (`send_group_sign`).
    pub async fn send_group_sign(&self, group_id: i64) -> Result<()> {
        self.call("send_group_sign", json!({ "group_id": group_id }))
            .await
            .map(drop)
    }

    /// The AI voice characters usable in a group, by category (`get_ai_characters`;
    /// `chat_type` 1 is voice).
    pub async fn get_ai_characters(
        &self,
        group_id: i64,
        chat_type: i64,
    ) -> Result<Vec<AiCharacters>> {
        const A: &str = "get_ai_characters";
        let p = json!({ "group_id": group_id, "chat_type": chat_type });
        decode_list(A, self.call(A, p).await?)
    }

    /// The URL of `text` spoken by an AI voice `character` (`get_ai_record`).
    pub async fn get_ai_record(
        &self,
        group_id: i64,
        character: &str,
        text: &str,
    ) -> Result<String> {
        const A: &str = "get_ai_record";
        let p = json!({ "group_id": group_id, "character": character, "text": text });
        decode_string(A, self.call_media(A, p).await?)
    }

    /// The muted members of a group with their mute end (`get_group_shut_list`).
    pub async fn get_group_shut_list(&self, group_id: i64) -> Result<Vec<ShutListEntry>> {
        const A: &str = "get_group_shut_list";
        decode_list(A, self.call(A, json!({ "group_id": group_id })).await?)
    }
}
