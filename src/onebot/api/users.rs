//! The account, friends and other users: profile, status, friend list, requests, likes, cards.

use serde_json::{Value, json};

use super::super::client::Client;
use super::super::error::{Error, Result};
use super::super::types::{
    ContactArk, DoubtFriendRequest, Friend, FriendCategory, LoginInfo, OpResult, ProfileLike, Sex,
    StrangerInfo, UploadedFileId, UserStatus,
};
use super::{decode, decode_list, decode_string, put_opt};

/// An online status as QQ encodes it: `status`, `ext_status` (a sub-status; 0 for the plain
/// ones) and the battery level shown with it (0 to leave it out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OnlineStatus {
    pub status: i64,
    pub ext_status: i64,
    pub battery_status: i64,
}

impl OnlineStatus {
    /// 在线.
    pub const ONLINE: OnlineStatus = OnlineStatus::plain(10);
    /// 离开.
    pub const AWAY: OnlineStatus = OnlineStatus::plain(30);
    /// 隐身.
    pub const INVISIBLE: OnlineStatus = OnlineStatus::plain(40);
    /// 忙碌.
    pub const BUSY: OnlineStatus = OnlineStatus::plain(50);
    /// Q我吧.
    pub const Q_ME: OnlineStatus = OnlineStatus::plain(60);
    /// 请勿打扰.
    pub const DO_NOT_DISTURB: OnlineStatus = OnlineStatus::plain(70);

    /// A status without sub-status or battery.
    pub const fn plain(status: i64) -> OnlineStatus {
        OnlineStatus {
            status,
            ext_status: 0,
            battery_status: 0,
        }
    }
}

impl Client {
    /// The logged-in account (`get_login_info`).
    pub async fn get_login_info(&self) -> Result<LoginInfo> {
        const A: &str = "get_login_info";
        decode(A, self.call(A, json!({})).await?)
    }

    /// Changes the account's nickname, and the signature and gender when given (`set_qq_profile`;
    /// what is not given keeps its current value).
    pub async fn set_qq_profile(
        &self,
        nickname: &str,
        personal_note: Option<&str>,
        sex: Option<Sex>,
    ) -> Result<OpResult> {
        const A: &str = "set_qq_profile";
        let mut p = json!({ "nickname": nickname });
        put_opt(&mut p, "personal_note", personal_note);
        put_opt(&mut p, "sex", sex.map(Sex::wire_number));
        decode(A, self.call(A, p).await?)
    }

    /// A contact-recommendation card for a user (`get_user_card`, NapCat's `ArkSharePeer`);
    /// `phone_number` is QQ's optional scene id, usually "".
    pub async fn get_user_card(&self, user_id: i64, phone_number: &str) -> Result<ContactArk> {
        const A: &str = "ArkSharePeer";
        let p = json!({ "user_id": user_id, "phone_number": phone_number });
        decode(A, self.call(A, p).await?)
    }

    /// A recommendation card for a group (`get_group_card`, NapCat's `ArkSharePeer` with a group;
    /// NcatBot's `phone_number` is ignored by NapCat for groups and not taken).
    pub async fn get_group_card(&self, group_id: i64) -> Result<ContactArk> {
        const A: &str = "ArkSharePeer";
        decode(A, self.call(A, json!({ "group_id": group_id })).await?)
    }

    /// A group share card's ark JSON text (`get_share_group_card`, NapCat's `ArkShareGroup`).
    pub async fn get_share_group_card(&self, group_id: i64) -> Result<String> {
        const A: &str = "ArkShareGroup";
        decode_string(A, self.call(A, json!({ "group_id": group_id })).await?)
    }

    /// Sets the account's online status (`set_online_status`; NapCat needs all three numbers).
    pub async fn set_online_status(&self, status: OnlineStatus) -> Result<()> {
        let p = json!({
            "status": status.status,
            "ext_status": status.ext_status,
            "battery_status": status.battery_status,
        });
        self.call("set_online_status", p).await.map(drop)
    }

    /// The friend list by category (`get_friends_with_category`).
    pub async fn get_friends_with_category(&self) -> Result<Vec<FriendCategory>> {
        const A: &str = "get_friends_with_category";
        decode_list(A, self.call(A, json!({})).await?)
    }

    /// Sets the account's avatar from a file URI (`set_qq_avatar`).
    pub async fn set_qq_avatar(&self, file: &str) -> Result<()> {
        self.call_media("set_qq_avatar", json!({ "file": file }))
            .await
            .map(drop)
    }

    /// Likes a user's profile card `times` times (`send_like`; QQ limits likes per day).
    pub async fn send_like(&self, user_id: i64, times: u32) -> Result<()> {
        self.call("send_like", json!({ "user_id": user_id, "times": times }))
            .await
            .map(drop)
    }

    /// Saves text to the account's favourites (`create_collection`); returns QQNT's raw result.
    pub async fn create_collection(&self, raw_data: &str, brief: &str) -> Result<Value> {
        self.call(
            "create_collection",
            json!({ "rawData": raw_data, "brief": brief }),
        )
        .await
    }

    /// Accepts or rejects a friend request (`set_friend_add_request`). `flag` is the request
    /// event's `flag` (not the user's number, whatever NcatBot's docs say); `remark` names the new
    /// friend.
    pub async fn set_friend_add_request(
        &self,
        flag: &str,
        approve: bool,
        remark: Option<&str>,
    ) -> Result<()> {
        let mut p = json!({ "flag": flag, "approve": approve });
        put_opt(&mut p, "remark", remark);
        self.call("set_friend_add_request", p).await.map(drop)
    }

    /// Sets the account's signature (NapCat's `set_self_longnick`); returns QQNT's raw result.
    pub async fn set_self_long_nick(&self, longnick: &str) -> Result<Value> {
        self.call("set_self_longnick", json!({ "longNick": longnick }))
            .await
    }

    /// A user's public profile (`get_stranger_info`).
    pub async fn get_stranger_info(&self, user_id: i64) -> Result<StrangerInfo> {
        const A: &str = "get_stranger_info";
        decode(A, self.call(A, json!({ "user_id": user_id })).await?)
    }

    /// The friend list (`get_friend_list`). `no_cache` asks NapCat to refresh from QQ; NcatBot's
    /// `cache` argument was sent as `no_cache` with the opposite meaning.
    pub async fn get_friend_list(&self, no_cache: bool) -> Result<Vec<Friend>> {
        const A: &str = "get_friend_list";
        decode_list(A, self.call(A, json!({ "no_cache": no_cache })).await?)
    }

    /// Who liked the account's profile card, first page of ten (`get_profile_like`).
    pub async fn get_profile_like(&self) -> Result<ProfileLike> {
        const A: &str = "get_profile_like";
        decode(A, self.call(A, json!({ "start": 0, "count": 10 })).await?)
    }

    /// URLs of the account's saved stickers, at most `count` (`fetch_custom_face`).
    pub async fn fetch_custom_face(&self, count: u32) -> Result<Vec<String>> {
        const A: &str = "fetch_custom_face";
        decode_list(A, self.call(A, json!({ "count": count })).await?)
    }

    /// Sends a file URI to a friend as a file named `name` (`upload_private_file`).
    pub async fn upload_private_file(
        &self,
        user_id: i64,
        file: &str,
        name: &str,
    ) -> Result<UploadedFileId> {
        const A: &str = "upload_private_file";
        let p = json!({ "user_id": user_id, "file": file, "name": name });
        decode(A, self.call_media(A, p).await?)
    }

    /// Removes a friend (`delete_friend`), optionally blocking them and removing the account from
    /// their list too. NcatBot's separate `friend_id` names the same person and is not taken.
    pub async fn delete_friend(
        &self,
        user_id: i64,
        temp_block: bool,
        temp_both_del: bool,
    ) -> Result<Value> {
        let p =
            json!({ "user_id": user_id, "temp_block": temp_block, "temp_both_del": temp_both_del });
        self.call("delete_friend", p).await
    }

    /// A user's online status (`nc_get_user_status`; needs the packet backend).
    pub async fn nc_get_user_status(&self, user_id: i64) -> Result<UserStatus> {
        const A: &str = "nc_get_user_status";
        decode(A, self.call(A, json!({ "user_id": user_id })).await?)
    }

    /// Builds a signed mini-app card (`get_mini_app_ark`). `app_json` is the params object
    /// NapCat documents (`{"type":"bili","title",…}` or the full custom form); anything but an
    /// object is refused before the call. Returns the raw result.
    pub async fn get_mini_app_ark(&self, app_json: Value) -> Result<Value> {
        const A: &str = "get_mini_app_ark";
        if !app_json.is_object() {
            return Err(Error::BadParams {
                action: A.into(),
                message: "app_json must be a JSON object".into(),
            });
        }
        self.call(A, app_json).await
    }

    /// Shows "typing…" (or another input state) to a friend (`set_input_status`, with the
    /// snake-case `event_type` NapCat reads). Returns QQNT's raw result.
    pub async fn set_input_status(&self, event_type: i64, user_id: i64) -> Result<Value> {
        let p = json!({ "user_id": user_id, "event_type": event_type });
        self.call("set_input_status", p).await
    }

    /// Friend requests QQ filtered as risky (`get_doubt_friends_add_request`), at most `count`.
    pub async fn get_doubt_friends_add_request(
        &self,
        count: u32,
    ) -> Result<Vec<DoubtFriendRequest>> {
        const A: &str = "get_doubt_friends_add_request";
        decode_list(A, self.call(A, json!({ "count": count })).await?)
    }

    /// Accepts a filtered friend request by its `flag` (`set_doubt_friends_add_request`).
    /// NapCat reads no `approve` here: answering one always accepts it, so there is no refusal.
    pub async fn set_doubt_friends_add_request(&self, flag: &str) -> Result<()> {
        let p = json!({ "flag": flag, "approve": true });
        self.call("set_doubt_friends_add_request", p)
            .await
            .map(drop)
    }
}
