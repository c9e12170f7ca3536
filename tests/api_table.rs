//! Every method of the seed API, one row each: the NapCat action and params it sends (exactly, as
//! JSON), the timeout class it uses, and the typed result it makes of a realistic reply.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use napterm::onebot::api::{
    DownloadSource, NoticeOptions, OnlineStatus, PostFile, PostOptions, QuickOperation,
    RecordFormat,
};
use napterm::onebot::types::Sex;
use napterm::onebot::{
    AtTarget, Client, ConnectOptions, Error, MessageChain, Music, Peer, Reply, Role, Segment,
};
use serde_json::{Value, json};

/// The seed's method names (shared/seed/ncatbot-api.txt, each `async def` once).
const SEED_METHODS: [&str; 101] = [
    "post_group_msg",
    "send_private_forward_msg",
    "send_group_forward_msg",
    "set_qq_profile",
    "set_friend_add_request",
    "get_user_card",
    "get_group_card",
    "get_share_group_card",
    "set_online_status",
    "get_friends_with_category",
    "set_qq_avatar",
    "send_like",
    "create_collection",
    "set_self_long_nick",
    "get_stranger_info",
    "get_friend_list",
    "get_profile_like",
    "fetch_custom_face",
    "upload_private_file",
    "delete_friend",
    "nc_get_user_status",
    "get_mini_app_ark",
    "mark_msg_as_read",
    "mark_group_msg_as_read",
    "mark_private_msg_as_read",
    "mark_all_as_read",
    "delete_msg",
    "get_msg",
    "get_image",
    "get_record",
    "get_file",
    "get_group_msg_history",
    "set_msg_emoji_like",
    "get_friend_msg_history",
    "get_recent_contact",
    "fetch_emoji_like",
    "get_forward_msg",
    "send_poke",
    "forward_friend_single_msg",
    "set_group_kick",
    "set_group_ban",
    "get_group_system_msg",
    "get_essence_msg_list",
    "set_group_whole_ban",
    "set_group_portrait",
    "set_group_admin",
    "set_essence_msg",
    "set_group_card",
    "delete_essence_msg",
    "set_group_name",
    "set_group_leave",
    "send_group_notice",
    "get_group_notice",
    "set_group_special_title",
    "upload_group_file",
    "set_group_add_request",
    "get_group_info",
    "get_group_info_ex",
    "create_group_file_folder",
    "delete_group_file",
    "delete_group_folder",
    "get_group_file_system_info",
    "get_group_root_files",
    "get_group_files_by_folder",
    "get_group_file_url",
    "get_group_list",
    "get_group_member_info",
    "get_group_member_list",
    "get_group_honor_info",
    "get_group_at_all_remain",
    "get_group_ignored_notifies",
    "set_group_sign",
    "send_group_sign",
    "get_ai_characters",
    "send_group_ai_record",
    "get_ai_record",
    "forward_group_single_msg",
    "get_client_key",
    "get_robot_uin_range",
    "ocr_image",
    "ocr_image_new",
    "translate_en2zh",
    "get_login_info",
    "set_input_status",
    "download_file",
    "get_cookies",
    "handle_quick_operation",
    "get_csrf_token",
    "del_group_notice",
    "get_credentials",
    "get_model_show",
    "can_send_image",
    "nc_get_packet_status",
    "can_send_record",
    "get_status",
    "nc_get_rkey",
    "get_version_info",
    "get_group_shut_list",
    "post_private_msg",
    "post_group_file",
    "post_private_file",
];

/// Methods beyond the seed that the table also covers.
const EXTRA_METHODS: [&str; 3] = ["send_msg", "send_message", "set_group_kick_members"];

type Check = Pin<Box<dyn Future<Output = ()> + Send>>;
/// Calls the method on the client and asserts on its typed result.
type Run = fn(Client) -> Check;

struct Row {
    method: &'static str,
    action: &'static str,
    params: Value,
    reply: Reply,
    /// Uses the long media timeout.
    media: bool,
    run: Run,
}

fn row(method: &'static str, action: &'static str, params: Value, reply: Reply, run: Run) -> Row {
    Row {
        method,
        action,
        params,
        reply,
        media: false,
        run,
    }
}

fn media_row(
    method: &'static str,
    action: &'static str,
    params: Value,
    reply: Reply,
    run: Run,
) -> Row {
    Row {
        media: true,
        ..row(method, action, params, reply, run)
    }
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A whole reply frame from a fixture file.
fn fixture_reply(name: &str) -> Reply {
    serde_json::from_value(fixture(name)).unwrap()
}

/// A success reply carrying `data`.
fn ok(data: Value) -> Reply {
    serde_json::from_value(json!({"status": "ok", "retcode": 0, "data": data, "message": "", "wording": "", "echo": "t"}))
        .unwrap()
}

/// A success reply without a `data` key, as NapCat sends for handlers that return nothing.
fn ok_no_data() -> Reply {
    serde_json::from_value(
        json!({"status": "ok", "retcode": 0, "message": "", "wording": "", "echo": "t"}),
    )
    .unwrap()
}

macro_rules! run {
    (|$c:ident| $body:block) => {
        |$c: Client| -> Check { Box::pin(async move $body) }
    };
}

fn seg(kind: &str, data: Value) -> Value {
    json!({"type": kind, "data": data})
}

fn rows() -> Vec<Row> {
    vec![
        // ---- sending ----
        media_row(
            "post_group_msg",
            "send_group_msg",
            json!({"group_id": 30001, "message": [
                seg("reply", json!({"id": "5"})),
                seg("text", json!({"text": "你好"})),
                seg("face", json!({"id": "14"})),
                seg("json", json!({"data": "{\"app\":\"com.tencent.test\"}"})),
                seg("markdown", json!({"content": "**加粗**"})),
                seg("at", json!({"qq": "20002"})),
                seg("music", json!({"type": "qq", "id": "123"})),
                seg("dice", json!({})),
                seg("rps", json!({})),
                seg("image", json!({"file": "base64://AA=="})),
                seg("text", json!({"text": "尾"})),
            ]}),
            fixture_reply("send_msg.resp.json"),
            run!(|c| {
                let opts = PostOptions {
                    text: Some("你好".into()),
                    face: Some(14),
                    json: Some("{\"app\":\"com.tencent.test\"}".into()),
                    markdown: Some("**加粗**".into()),
                    at: Some(AtTarget::User(20002)),
                    reply: Some(5),
                    music: Some(Music::Platform {
                        platform: "qq".into(),
                        id: "123".into(),
                    }),
                    dice: true,
                    rps: true,
                    image: Some("base64://AA==".into()),
                    rtf: Some(MessageChain::new().text("尾")),
                };
                let sent = c.post_group_msg(30001, opts).await.unwrap();
                assert_eq!(sent.message_id, 1494647657);
            }),
        ),
        row(
            "post_private_msg",
            "send_private_msg",
            json!({"user_id": 20002, "message": [
                seg("reply", json!({"id": "9"})),
                seg("text", json!({"text": "在吗"})),
            ]}),
            ok(json!({"message_id": 42})),
            run!(|c| {
                let opts = PostOptions {
                    reply: Some(9),
                    at: Some(AtTarget::User(20002)),
                    ..PostOptions::text("在吗")
                };
                assert_eq!(
                    c.post_private_msg(20002, opts).await.unwrap().message_id,
                    42
                );
            }),
        ),
        media_row(
            "post_group_file",
            "send_group_msg",
            json!({"group_id": 30001, "message": [seg("video", json!({"file": "https://example.com/v.mp4"}))]}),
            ok(json!({"message_id": 43})),
            run!(|c| {
                let file = PostFile::Video("https://example.com/v.mp4".into());
                assert_eq!(c.post_group_file(30001, file).await.unwrap().message_id, 43);
            }),
        ),
        media_row(
            "post_private_file",
            "send_private_msg",
            json!({"user_id": 20002, "message": [seg("record", json!({"file": "base64://UklGRg=="}))]}),
            ok(json!({"message_id": 44})),
            run!(|c| {
                let file = PostFile::Record("base64://UklGRg==".into());
                assert_eq!(
                    c.post_private_file(20002, file).await.unwrap().message_id,
                    44
                );
            }),
        ),
        media_row(
            "send_group_forward_msg",
            "send_group_forward_msg",
            json!({"group_id": 30012, "messages": [
                seg("node", json!({"id": "1814436220"})),
                seg("node", json!({"id": "263174224"})),
            ]}),
            fixture_reply("send_group_forward_msg.resp.json"),
            run!(|c| {
                let sent = c
                    .send_group_forward_msg(30012, &[1814436220, 263174224])
                    .await
                    .unwrap();
                assert_eq!(sent.message_id, 1068502020);
                assert_eq!(sent.res_id, None, "no res_id without the packet backend");
            }),
        ),
        media_row(
            "send_private_forward_msg",
            "send_private_forward_msg",
            json!({"user_id": 20019, "messages": [seg("node", json!({"id": "263174224"}))]}),
            ok(json!({"message_id": 45, "res_id": "EXAMPLE_RES", "forward_id": "EXAMPLE_RES"})),
            run!(|c| {
                let sent = c
                    .send_private_forward_msg(20019, &[263174224])
                    .await
                    .unwrap();
                assert_eq!(sent.message_id, 45);
                assert_eq!(sent.res_id.as_deref(), Some("EXAMPLE_RES"));
                assert_eq!(sent.forward_id.as_deref(), Some("EXAMPLE_RES"));
            }),
        ),
        row(
            "forward_friend_single_msg",
            "forward_friend_single_msg",
            json!({"message_id": 1814436220, "user_id": 20002}),
            ok(Value::Null),
            run!(|c| {
                c.forward_friend_single_msg(1814436220, 20002)
                    .await
                    .unwrap();
            }),
        ),
        row(
            "forward_group_single_msg",
            "forward_group_single_msg",
            json!({"message_id": 263174224, "group_id": 30001}),
            ok(Value::Null),
            run!(|c| {
                c.forward_group_single_msg(263174224, 30001).await.unwrap();
            }),
        ),
        row(
            "send_poke",
            "send_poke",
            json!({"user_id": 20002, "group_id": 30001}),
            ok_no_data(),
            run!(|c| {
                c.send_poke(20002, Some(30001)).await.unwrap();
            }),
        ),
        media_row(
            "send_group_ai_record",
            "send_group_ai_record",
            json!({"group_id": 30001, "character": "lucy-voice-f34", "text": "你好"}),
            ok(json!({"message_id": 46})),
            run!(|c| {
                let sent = c
                    .send_group_ai_record(30001, "lucy-voice-f34", "你好")
                    .await
                    .unwrap();
                assert_eq!(sent.message_id, 46);
            }),
        ),
        row(
            "send_msg",
            "send_msg",
            json!({"message_type": "private", "user_id": 20003, "message": [seg("text", json!({"text": "hi"}))]}),
            fixture_reply("send_msg.resp.json"),
            run!(|c| {
                let chain = MessageChain::new().text("hi");
                let sent = c.send_msg(Peer::Private(20003), &chain).await.unwrap();
                assert_eq!(sent.message_id, 1494647657);
            }),
        ),
        row(
            "send_message",
            "send_group_msg",
            json!({"group_id": 30011, "message": [
                seg("text", json!({"text": "表情测试"})),
                seg("face", json!({"id": "138"})),
            ]}),
            fixture_reply("send_msg.resp.json"),
            run!(|c| {
                let chain = MessageChain::new().text("表情测试").face(138);
                let sent = c.send_message(Peer::Group(30011), &chain).await.unwrap();
                assert_eq!(sent.message_id, 1494647657);
            }),
        ),
        // ---- reading messages ----
        row(
            "get_msg",
            "get_msg",
            json!({"message_id": 1819430456}),
            fixture_reply("get_msg.resp.json"),
            run!(|c| {
                let m = c.get_msg(1819430456).await.unwrap();
                assert_eq!(m.peer(), Peer::Group(30015));
                assert_eq!(m.sender.role, Some(Role::Owner));
                assert!(m.message.is_empty(), "a recalled message has no segments");
            }),
        ),
        row(
            "delete_msg",
            "delete_msg",
            json!({"message_id": 1819430456}),
            fixture_reply("delete_msg.resp.json"),
            run!(|c| {
                c.delete_msg(1819430456).await.unwrap();
            }),
        ),
        row(
            "get_group_msg_history",
            "get_group_msg_history",
            json!({"group_id": 30016, "message_seq": 1742426278, "count": 20, "reverse_order": true, "reverseOrder": true}),
            fixture_reply("get_group_msg_history.resp.json"),
            run!(|c| {
                let h = c
                    .get_group_msg_history(30016, Some(1742426278), 20, true)
                    .await
                    .unwrap();
                let ids: Vec<i64> = h.messages.iter().map(|m| m.message_id).collect();
                assert_eq!(ids, [1742426278, 450135087, 252953718, 86804741]);
                assert!(h.messages[2].is_self(), "the bot's own message is marked");
                assert_eq!(h.messages[0].message.plain_text(), "我要测试");
            }),
        ),
        row(
            "get_friend_msg_history",
            "get_friend_msg_history",
            json!({"user_id": 20003, "count": 20, "reverse_order": false, "reverseOrder": false}),
            ok(json!({"messages": [fixture("private_message.json")]})),
            run!(|c| {
                let h = c
                    .get_friend_msg_history(20003, None, 20, false)
                    .await
                    .unwrap();
                assert_eq!(h.messages.len(), 1);
                assert_eq!(h.messages[0].peer(), Peer::Private(20003));
                assert_eq!(h.messages[0].message.plain_text(), "/like 20099");
            }),
        ),
        row(
            "get_recent_contact",
            "get_recent_contact",
            json!({"count": 10}),
            fixture_reply("get_recent_contact.resp.synth.json"),
            run!(|c| {
                let r = c.get_recent_contact(10).await.unwrap();
                assert_eq!(r.len(), 1);
                assert_eq!(r[0].peer(), Some(Peer::Group(30001)));
                assert_eq!(r[0].msg_time, 1764033417);
                let latest = r[0].latest_msg.as_ref().unwrap();
                assert_eq!(latest.message.plain_text(), "hi");
            }),
        ),
        row(
            "get_forward_msg",
            "get_forward_msg",
            json!({"message_id": "7402112345678901234"}),
            fixture_reply("get_forward_msg.resp.json"),
            run!(|c| {
                let f = c.get_forward_msg("7402112345678901234").await.unwrap();
                assert_eq!(f.messages.len(), 1);
                assert_eq!(f.messages[0].sender.user_id, 20024);
                assert_eq!(f.messages[0].message.plain_text(), "5678");
            }),
        ),
        row(
            "mark_msg_as_read",
            "mark_msg_as_read",
            json!({"group_id": 30001}),
            ok(Value::Null),
            run!(|c| {
                c.mark_msg_as_read(Peer::Group(30001)).await.unwrap();
            }),
        ),
        row(
            "mark_group_msg_as_read",
            "mark_group_msg_as_read",
            json!({"group_id": 30001}),
            ok(Value::Null),
            run!(|c| {
                c.mark_group_msg_as_read(30001).await.unwrap();
            }),
        ),
        row(
            "mark_private_msg_as_read",
            "mark_private_msg_as_read",
            json!({"user_id": 20002}),
            ok(Value::Null),
            run!(|c| {
                c.mark_private_msg_as_read(20002).await.unwrap();
            }),
        ),
        row(
            "mark_all_as_read",
            "_mark_all_as_read",
            json!({}),
            ok(Value::Null),
            run!(|c| {
                c.mark_all_as_read().await.unwrap();
            }),
        ),
        row(
            "set_msg_emoji_like",
            "set_msg_emoji_like",
            json!({"message_id": 1814436220, "emoji_id": "76", "set": true}),
            ok(json!({"result": 0, "errMsg": ""})),
            run!(|c| {
                let r = c.set_msg_emoji_like(1814436220, 76, true).await.unwrap();
                assert_eq!(r["result"], 0);
            }),
        ),
        row(
            "fetch_emoji_like",
            "fetch_emoji_like",
            json!({"message_id": 1814436220, "emojiId": "128522", "emojiType": "2", "count": 20, "cookie": ""}),
            ok(json!({
                "emojiLikesList": [{"tinyId": "144115218000000001", "nickName": "TestUser", "headUrl": "https://example.com/a.png"}],
                "cookie": "NEXT", "isLastPage": false, "isFirstPage": true, "result": 0, "errMsg": ""
            })),
            run!(|c| {
                let l = c
                    .fetch_emoji_like(1814436220, 128522, 2, 20, "")
                    .await
                    .unwrap();
                assert_eq!(l.likers.len(), 1);
                assert_eq!(l.likers[0].nick_name, "TestUser");
                assert_eq!((l.cookie.as_str(), l.is_last_page), ("NEXT", false));
            }),
        ),
        media_row(
            "get_image",
            "get_image",
            json!({"file_id": "EXAMPLE_IMAGE.jpg"}),
            ok(
                json!({"file": "/app/.config/QQ/temp/EXAMPLE_IMAGE.jpg", "url": "https://multimedia.nt.qq.com.cn/download?appid=1407&fileid=EXAMPLE", "file_size": "48213", "file_name": "EXAMPLE_IMAGE.jpg"}),
            ),
            run!(|c| {
                let f = c.get_image("EXAMPLE_IMAGE.jpg").await.unwrap();
                assert_eq!(f.file_size, 48213);
                assert!(
                    f.url
                        .unwrap()
                        .starts_with("https://multimedia.nt.qq.com.cn/")
                );
                assert_eq!(f.base64, None);
            }),
        ),
        media_row(
            "get_record",
            "get_record",
            json!({"file_id": "EXAMPLE_VOICE.amr", "out_format": "ogg"}),
            ok(
                json!({"file": "/tmp/EXAMPLE_VOICE.ogg", "file_size": 9120, "file_name": "EXAMPLE_VOICE.ogg"}),
            ),
            run!(|c| {
                let f = c
                    .get_record("EXAMPLE_VOICE.amr", RecordFormat::Ogg)
                    .await
                    .unwrap();
                assert_eq!(
                    (f.file.as_str(), f.file_size),
                    ("/tmp/EXAMPLE_VOICE.ogg", 9120)
                );
            }),
        ),
        media_row(
            "get_file",
            "get_file",
            json!({"file_id": "/be2a7132-8e06-4aab-b3b6-e063d2f98230"}),
            ok(
                json!({"file": "/tmp/1.txt", "url": "/tmp/1.txt", "file_size": "3", "file_name": "1.txt", "base64": "YWJj"}),
            ),
            run!(|c| {
                let f = c
                    .get_file("/be2a7132-8e06-4aab-b3b6-e063d2f98230")
                    .await
                    .unwrap();
                assert_eq!((f.file_name.as_str(), f.file_size), ("1.txt", 3));
                assert_eq!(f.base64.as_deref(), Some("YWJj"));
            }),
        ),
        // ---- account, users, friends ----
        row(
            "get_login_info",
            "get_login_info",
            json!({}),
            fixture_reply("get_login_info.resp.json"),
            run!(|c| {
                let me = c.get_login_info().await.unwrap();
                assert_eq!((me.user_id, me.nickname.as_str()), (10001, "🤖-dev-bot-"));
            }),
        ),
        row(
            "set_qq_profile",
            "set_qq_profile",
            json!({"nickname": "新昵称", "personal_note": "签名", "sex": 2}),
            ok(json!({"result": 0, "errMsg": ""})),
            run!(|c| {
                let r = c
                    .set_qq_profile("新昵称", Some("签名"), Some(Sex::Female))
                    .await
                    .unwrap();
                assert_eq!(r.result, 0);
            }),
        ),
        row(
            "get_user_card",
            "ArkSharePeer",
            json!({"user_id": 20002, "phone_number": ""}),
            ok(
                json!({"result": 0, "errMsg": "", "arkMsg": "{\"app\":\"com.tencent.contact.lua\",\"prompt\":\"推荐联系人\"}"}),
            ),
            run!(|c| {
                let ark = c.get_user_card(20002, "").await.unwrap();
                assert!(ark.ark_json.contains("com.tencent.contact.lua"));
                assert_eq!(ark.err_code, 0);
            }),
        ),
        row(
            "get_group_card",
            "ArkSharePeer",
            json!({"group_id": 30002}),
            fixture_reply("share_group_card.resp.json"),
            run!(|c| {
                let ark = c.get_group_card(30002).await.unwrap();
                let card: Value = serde_json::from_str(&ark.ark_json).unwrap();
                assert_eq!(card["prompt"], "推荐群聊: 示例测试群");
            }),
        ),
        row(
            "get_share_group_card",
            "ArkShareGroup",
            json!({"group_id": 30002}),
            ok(json!(
                "{\"app\":\"com.tencent.troopsharecard\",\"prompt\":\"推荐群聊\"}"
            )),
            run!(|c| {
                let ark = c.get_share_group_card(30002).await.unwrap();
                assert!(ark.contains("troopsharecard"));
            }),
        ),
        row(
            "set_online_status",
            "set_online_status",
            json!({"status": 50, "ext_status": 0, "battery_status": 0}),
            ok(Value::Null),
            run!(|c| {
                c.set_online_status(OnlineStatus::BUSY).await.unwrap();
            }),
        ),
        row(
            "get_friends_with_category",
            "get_friends_with_category",
            json!({}),
            ok(json!([{
                "categoryId": 0, "categorySortId": 0, "categoryName": "我的好友", "categoryMbCount": 1,
                "onlineCount": 1, "buddyList": fixture("get_friend_list.resp.synth.json")["data"].clone()
            }])),
            run!(|c| {
                let cats = c.get_friends_with_category().await.unwrap();
                assert_eq!(cats.len(), 1);
                assert_eq!(cats[0].category_name, "我的好友");
                assert_eq!(cats[0].buddy_list[0].user_id, 20025);
                assert_eq!(cats[0].buddy_list[0].display_name(), "好友备注");
            }),
        ),
        media_row(
            "set_qq_avatar",
            "set_qq_avatar",
            json!({"file": "base64://iVBORw0KGgo="}),
            ok(Value::Null),
            run!(|c| {
                c.set_qq_avatar("base64://iVBORw0KGgo=").await.unwrap();
            }),
        ),
        row(
            "send_like",
            "send_like",
            json!({"user_id": 20002, "times": 10}),
            ok_no_data(),
            run!(|c| {
                c.send_like(20002, 10).await.unwrap();
            }),
        ),
        row(
            "create_collection",
            "create_collection",
            json!({"rawData": "收藏内容", "brief": "标题"}),
            ok(json!({"result": 0, "errMsg": "", "collectionItemList": []})),
            run!(|c| {
                let r = c.create_collection("收藏内容", "标题").await.unwrap();
                assert_eq!(r["result"], 0);
            }),
        ),
        row(
            "set_friend_add_request",
            "set_friend_add_request",
            json!({"flag": "1752540656", "approve": true, "remark": "同学"}),
            ok_no_data(),
            run!(|c| {
                c.set_friend_add_request("1752540656", true, Some("同学"))
                    .await
                    .unwrap();
            }),
        ),
        row(
            "set_self_long_nick",
            "set_self_longnick",
            json!({"longNick": "今天也要开心"}),
            ok(json!({"result": 0, "errMsg": ""})),
            run!(|c| {
                let r = c.set_self_long_nick("今天也要开心").await.unwrap();
                assert_eq!(r["errMsg"], "");
            }),
        ),
        row(
            "get_stranger_info",
            "get_stranger_info",
            json!({"user_id": 20025}),
            fixture_reply("get_stranger_info.resp.synth.json"),
            run!(|c| {
                let s = c.get_stranger_info(20025).await.unwrap();
                assert_eq!((s.user_id, s.qq_level, s.sex), (20025, 32, Sex::Female));
                assert_eq!(s.long_nick, "签名");
            }),
        ),
        row(
            "get_friend_list",
            "get_friend_list",
            json!({"no_cache": false}),
            fixture_reply("get_friend_list.resp.synth.json"),
            run!(|c| {
                let f = c.get_friend_list(false).await.unwrap();
                assert_eq!(f.len(), 1);
                assert_eq!((f[0].user_id, f[0].remark.as_str()), (20025, "好友备注"));
            }),
        ),
        row(
            "get_profile_like",
            "get_profile_like",
            json!({"start": 0, "count": 10}),
            ok(json!({
                "uid": "u_EXAMPLEUID", "time": "1764000000",
                "favoriteInfo": {"userInfos": [], "total_count": 10, "last_time": 1764000000, "today_count": 5},
                "voteInfo": {"total_count": 100, "new_count": 2, "new_nearby_count": 0, "last_visit_time": 1764000000,
                             "userInfos": [{"uid": "u_X", "uin": 20002, "nick": "TestUser"}]}
            })),
            run!(|c| {
                let l = c.get_profile_like().await.unwrap();
                assert_eq!(
                    (l.time, l.favorite.today_count, l.vote.total_count),
                    (1764000000, 5, 100)
                );
                assert_eq!(l.vote.user_infos.len(), 1);
            }),
        ),
        row(
            "fetch_custom_face",
            "fetch_custom_face",
            json!({"count": 48}),
            ok(json!([
                "https://p.qpic.cn/EXAMPLE/1",
                "https://p.qpic.cn/EXAMPLE/2"
            ])),
            run!(|c| {
                assert_eq!(c.fetch_custom_face(48).await.unwrap().len(), 2);
            }),
        ),
        media_row(
            "upload_private_file",
            "upload_private_file",
            json!({"user_id": 20002, "file": "base64://UEsDBA==", "name": "a.zip"}),
            ok(json!({"file_id": "EXAMPLE_FILE_ID"})),
            run!(|c| {
                let r = c
                    .upload_private_file(20002, "base64://UEsDBA==", "a.zip")
                    .await
                    .unwrap();
                assert_eq!(r.file_id.as_deref(), Some("EXAMPLE_FILE_ID"));
            }),
        ),
        row(
            "delete_friend",
            "delete_friend",
            json!({"user_id": 20002, "temp_block": false, "temp_both_del": true}),
            ok(json!({"result": 0, "errMsg": ""})),
            run!(|c| {
                let r = c.delete_friend(20002, false, true).await.unwrap();
                assert_eq!(r["result"], 0);
            }),
        ),
        row(
            "nc_get_user_status",
            "nc_get_user_status",
            json!({"user_id": 20002}),
            ok(json!({"status": 10, "ext_status": 0})),
            run!(|c| {
                let s = c.nc_get_user_status(20002).await.unwrap();
                assert_eq!((s.status, s.ext_status), (10, 0));
            }),
        ),
        row(
            "get_mini_app_ark",
            "get_mini_app_ark",
            json!({"type": "bili", "title": "标题", "desc": "描述", "picUrl": "https://example.com/p.png", "jumpUrl": "https://b23.tv/EXAMPLE"}),
            ok(json!({"data": {"app": "com.tencent.miniapp_01", "ver": "1.0.0.19"}})),
            run!(|c| {
                let app = json!({"type": "bili", "title": "标题", "desc": "描述", "picUrl": "https://example.com/p.png", "jumpUrl": "https://b23.tv/EXAMPLE"});
                let r = c.get_mini_app_ark(app).await.unwrap();
                assert_eq!(r["data"]["app"], "com.tencent.miniapp_01");
            }),
        ),
        row(
            "set_input_status",
            "set_input_status",
            json!({"user_id": 20002, "event_type": 1}),
            ok(json!({"result": 0, "errMsg": ""})),
            run!(|c| {
                c.set_input_status(1, 20002).await.unwrap();
            }),
        ),
        // ---- groups ----
        row(
            "set_group_kick",
            "set_group_kick",
            json!({"group_id": 30001, "user_id": 20002, "reject_add_request": true}),
            ok(Value::Null),
            run!(|c| {
                c.set_group_kick(30001, 20002, true).await.unwrap();
            }),
        ),
        row(
            "set_group_kick_members",
            "set_group_kick_members",
            json!({"group_id": "30001", "user_id": ["20002", "20003"], "reject_add_request": false}),
            ok(Value::Null),
            run!(|c| {
                c.set_group_kick_members(30001, &[20002, 20003], false)
                    .await
                    .unwrap();
            }),
        ),
        row(
            "set_group_ban",
            "set_group_ban",
            json!({"group_id": 30001, "user_id": 20002, "duration": 600}),
            ok(Value::Null),
            run!(|c| {
                c.set_group_ban(30001, 20002, 600).await.unwrap();
            }),
        ),
        row(
            "get_group_system_msg",
            "get_group_system_msg",
            json!({"count": 50}),
            fixture_reply("get_group_system_msg.resp.synth.json"),
            run!(|c| {
                let s = c.get_group_system_msg(50).await.unwrap();
                assert!(s.invited_requests.is_empty());
                assert_eq!(s.join_requests.len(), 1);
                assert_eq!(s.join_requests[0].flag(), "1749736849151114");
                assert_eq!(s.join_requests[0].group_id, 30010);
            }),
        ),
        row(
            "get_essence_msg_list",
            "get_essence_msg_list",
            json!({"group_id": 30001}),
            fixture_reply("get_essence_msg_list.resp.synth.json"),
            run!(|c| {
                let e = c.get_essence_msg_list(30001).await.unwrap();
                assert_eq!(e[0].message_id, 1814436220);
                assert_eq!(
                    e[0].content.plain_text(),
                    "怎么每次出节奏玩的都是最后一个知道的"
                );
            }),
        ),
        row(
            "set_group_whole_ban",
            "set_group_whole_ban",
            json!({"group_id": 30001, "enable": true}),
            ok(Value::Null),
            run!(|c| {
                c.set_group_whole_ban(30001, true).await.unwrap();
            }),
        ),
        media_row(
            "set_group_portrait",
            "set_group_portrait",
            json!({"group_id": 30001, "file": "https://example.com/avatar.png"}),
            ok(json!({"result": 0, "errMsg": ""})),
            run!(|c| {
                let r = c
                    .set_group_portrait(30001, "https://example.com/avatar.png")
                    .await
                    .unwrap();
                assert_eq!(r.result, 0);
            }),
        ),
        row(
            "set_group_admin",
            "set_group_admin",
            json!({"group_id": 30001, "user_id": 20002, "enable": false}),
            ok(Value::Null),
            run!(|c| {
                c.set_group_admin(30001, 20002, false).await.unwrap();
            }),
        ),
        row(
            "set_essence_msg",
            "set_essence_msg",
            json!({"message_id": 1814436220}),
            ok(json!({"errCode": 0, "errMsg": "success"})),
            run!(|c| {
                let r = c.set_essence_msg(1814436220).await.unwrap();
                assert_eq!(r["errCode"], 0);
            }),
        ),
        row(
            "set_group_card",
            "set_group_card",
            json!({"group_id": 30001, "user_id": 20002, "card": ""}),
            ok(Value::Null),
            run!(|c| {
                c.set_group_card(30001, 20002, "").await.unwrap();
            }),
        ),
        row(
            "delete_essence_msg",
            "delete_essence_msg",
            json!({"message_id": 1814436220}),
            ok(json!({"errCode": 0, "errMsg": "success"})),
            run!(|c| {
                let r = c.delete_essence_msg(1814436220).await.unwrap();
                assert_eq!(r["errMsg"], "success");
            }),
        ),
        row(
            "set_group_name",
            "set_group_name",
            json!({"group_id": 30001, "group_name": "新群名"}),
            ok(Value::Null),
            run!(|c| {
                c.set_group_name(30001, "新群名").await.unwrap();
            }),
        ),
        row(
            "set_group_leave",
            "set_group_leave",
            json!({"group_id": 30001, "is_dismiss": false}),
            ok(Value::Null),
            run!(|c| {
                c.set_group_leave(30001, false).await.unwrap();
            }),
        ),
        media_row(
            "send_group_notice",
            "_send_group_notice",
            json!({"group_id": 30001, "content": "明天停电", "pinned": 1, "confirm_required": 1, "image": "base64://iVBORw0KGgo="}),
            ok_no_data(),
            run!(|c| {
                let opts = NoticeOptions {
                    image: Some("base64://iVBORw0KGgo=".into()),
                    pinned: true,
                    ..NoticeOptions::default()
                };
                c.send_group_notice(30001, "明天停电", &opts).await.unwrap();
            }),
        ),
        row(
            "get_group_notice",
            "_get_group_notice",
            json!({"group_id": 30001}),
            fixture_reply("get_group_notice.resp.synth.json"),
            run!(|c| {
                let n = c.get_group_notice(30001).await.unwrap();
                assert_eq!((n[0].text.as_str(), n[0].read_num), ("公告内容", 12));
                assert_eq!(n[0].images[0].width, 1280);
                assert_eq!(n[0].settings.confirm_required, 1);
            }),
        ),
        row(
            "del_group_notice",
            "_del_group_notice",
            json!({"group_id": 30001, "notice_id": "EXAMPLE_FID_0001"}),
            ok(json!({"ec": 0, "em": ""})),
            run!(|c| {
                let r = c.del_group_notice(30001, "EXAMPLE_FID_0001").await.unwrap();
                assert_eq!(r["ec"], 0);
            }),
        ),
        row(
            "set_group_special_title",
            "set_group_special_title",
            json!({"group_id": 30001, "user_id": 20002, "special_title": "头衔"}),
            ok_no_data(),
            run!(|c| {
                c.set_group_special_title(30001, 20002, "头衔")
                    .await
                    .unwrap();
            }),
        ),
        row(
            "set_group_add_request",
            "set_group_add_request",
            json!({"flag": "1749736849151114", "approve": false, "reason": "不认识"}),
            ok(Value::Null),
            run!(|c| {
                c.set_group_add_request("1749736849151114", false, Some("不认识"))
                    .await
                    .unwrap();
            }),
        ),
        row(
            "get_group_info",
            "get_group_info",
            json!({"group_id": 30001}),
            fixture_reply("get_group_info.resp.synth.json"),
            run!(|c| {
                let g = c.get_group_info(30001).await.unwrap();
                assert_eq!(
                    (g.group_name.as_str(), g.member_count, g.max_member_count),
                    ("TestGroup", 41, 200)
                );
                assert!(!g.all_muted());
            }),
        ),
        row(
            "get_group_info_ex",
            "get_group_info_ex",
            json!({"group_id": 30001}),
            ok(
                json!({"groupCode": "30001", "resultCode": 0, "extInfo": {"groupOwnerId": {"memberUin": "20015"}}}),
            ),
            run!(|c| {
                let r = c.get_group_info_ex(30001).await.unwrap();
                assert_eq!(r["groupCode"], "30001");
            }),
        ),
        row(
            "get_group_list",
            "get_group_list",
            json!({"no_cache": true}),
            fixture_reply("get_group_list.resp.json"),
            run!(|c| {
                let g = c.get_group_list(true).await.unwrap();
                assert_eq!(g.len(), 1);
                assert_eq!(
                    (g[0].group_id, g[0].display_name()),
                    (30013, "示例群".to_string())
                );
            }),
        ),
        row(
            "get_group_member_info",
            "get_group_member_info",
            json!({"group_id": 30014, "user_id": 20021, "no_cache": true}),
            fixture_reply("get_group_member_info.resp.json"),
            run!(|c| {
                let m = c.get_group_member_info(30014, 20021, true).await.unwrap();
                assert_eq!(
                    (m.role, m.title.as_str(), m.level.as_str()),
                    (Role::Member, "示例头衔", "100")
                );
                assert_eq!(m.display_name(), "示例名片");
            }),
        ),
        row(
            "get_group_member_list",
            "get_group_member_list",
            json!({"group_id": 30013, "no_cache": false}),
            fixture_reply("get_group_member_list.resp.json"),
            run!(|c| {
                let m = c.get_group_member_list(30013, false).await.unwrap();
                assert_eq!(m.len(), 1);
                assert_eq!(
                    m[0].display_name(),
                    "示例昵称",
                    "no card: the nickname shows"
                );
            }),
        ),
        row(
            "get_group_honor_info",
            "get_group_honor_info",
            json!({"group_id": 30001}),
            fixture_reply("get_group_honor_info.resp.synth.json"),
            run!(|c| {
                let h = c.get_group_honor_info(30001).await.unwrap();
                assert_eq!(h.current_talkative.unwrap().user_id, 20002);
                assert_eq!(h.talkative_list.len(), 1);
            }),
        ),
        row(
            "get_group_at_all_remain",
            "get_group_at_all_remain",
            json!({"group_id": 30001}),
            ok(
                json!({"can_at_all": true, "remain_at_all_count_for_group": 9, "remain_at_all_count_for_uin": 2}),
            ),
            run!(|c| {
                let r = c.get_group_at_all_remain(30001).await.unwrap();
                assert!(r.can_at_all);
                assert_eq!(
                    (
                        r.remain_at_all_count_for_group,
                        r.remain_at_all_count_for_uin
                    ),
                    (9, 2)
                );
            }),
        ),
        row(
            "get_group_ignored_notifies",
            "get_group_ignored_notifies",
            json!({}),
            ok(
                json!({"invited_requests": [], "InvitedRequest": [], "join_requests": [
                    {"request_id": "1749736849151115", "invitor_uin": 20030, "invitor_nick": "可疑", "group_id": 30001,
                     "group_name": "TestGroup", "message": "", "checked": false, "actor": 0, "requester_nick": "可疑"}
                ]}),
            ),
            run!(|c| {
                let s = c.get_group_ignored_notifies().await.unwrap();
                assert_eq!(s.join_requests[0].flag(), "1749736849151115");
            }),
        ),
        row(
            "set_group_sign",
            "set_group_sign",
            json!({"group_id": 30001}),
            ok_no_data(),
            run!(|c| {
                c.set_group_sign(30001).await.unwrap();
            }),
        ),
        row(
            "send_group_sign",
            "send_group_sign",
            json!({"group_id": 30001}),
            ok_no_data(),
            run!(|c| {
                c.send_group_sign(30001).await.unwrap();
            }),
        ),
        row(
            "get_ai_characters",
            "get_ai_characters",
            json!({"group_id": 30001, "chat_type": 1}),
            ok(json!([{"type": "推荐", "characters": [
                {"character_id": "lucy-voice-f34", "character_name": "小萝莉", "preview_url": "https://example.com/p.mp3"}
            ]}])),
            run!(|c| {
                let a = c.get_ai_characters(30001, 1).await.unwrap();
                assert_eq!(a[0].kind, "推荐");
                assert_eq!(a[0].characters[0].character_id, "lucy-voice-f34");
            }),
        ),
        media_row(
            "get_ai_record",
            "get_ai_record",
            json!({"group_id": 30001, "character": "lucy-voice-f34", "text": "你好"}),
            ok(json!("https://grouptalk.c2c.qq.com/EXAMPLE.silk")),
            run!(|c| {
                let url = c
                    .get_ai_record(30001, "lucy-voice-f34", "你好")
                    .await
                    .unwrap();
                assert_eq!(url, "https://grouptalk.c2c.qq.com/EXAMPLE.silk");
            }),
        ),
        row(
            "get_group_shut_list",
            "get_group_shut_list",
            json!({"group_id": 30001}),
            ok(json!([{
                "uid": "u_EXAMPLE", "qid": "", "uin": "20002", "nick": "TestUser", "remark": "",
                "cardType": 1, "cardName": "TestCard", "role": 2, "avatarPath": "", "shutUpTime": 1764040000, "isDelete": false
            }])),
            run!(|c| {
                let s = c.get_group_shut_list(30001).await.unwrap();
                assert_eq!(
                    (s[0].uin, s[0].role, s[0].shut_up_time),
                    (20002, Role::Member, 1764040000)
                );
                assert_eq!(s[0].display_name(), "TestCard");
            }),
        ),
        // ---- group files ----
        media_row(
            "upload_group_file",
            "upload_group_file",
            json!({"group_id": 30001, "file": "base64://JVBERi0=", "name": "a.pdf", "folder_id": "/b2a7c0de-0000-0000-0000-000000000000"}),
            ok(json!({"file_id": "/9c3e55aa-1111-2222-3333-444455556666"})),
            run!(|c| {
                let r = c
                    .upload_group_file(
                        30001,
                        "base64://JVBERi0=",
                        "a.pdf",
                        Some("/b2a7c0de-0000-0000-0000-000000000000"),
                    )
                    .await
                    .unwrap();
                assert_eq!(
                    r.file_id.as_deref(),
                    Some("/9c3e55aa-1111-2222-3333-444455556666")
                );
            }),
        ),
        row(
            "create_group_file_folder",
            "create_group_file_folder",
            json!({"group_id": 30001, "folder_name": "资料"}),
            ok(
                json!({"result": {"retCode": 0}, "groupItem": {"folderInfo": {"folderId": "/new"}}}),
            ),
            run!(|c| {
                let r = c.create_group_file_folder(30001, "资料").await.unwrap();
                assert_eq!(r["groupItem"]["folderInfo"]["folderId"], "/new");
            }),
        ),
        row(
            "delete_group_file",
            "delete_group_file",
            json!({"group_id": 30001, "file_id": "/be2a7132-8e06-4aab-b3b6-e063d2f98230"}),
            ok(json!({"result": 0, "errMsg": ""})),
            run!(|c| {
                c.delete_group_file(30001, "/be2a7132-8e06-4aab-b3b6-e063d2f98230")
                    .await
                    .unwrap();
            }),
        ),
        row(
            "delete_group_folder",
            "delete_group_folder",
            json!({"group_id": 30001, "folder_id": "/b2a7c0de-0000-0000-0000-000000000000"}),
            ok(json!({"retCode": 0})),
            run!(|c| {
                c.delete_group_folder(30001, "/b2a7c0de-0000-0000-0000-000000000000")
                    .await
                    .unwrap();
            }),
        ),
        row(
            "get_group_file_system_info",
            "get_group_file_system_info",
            json!({"group_id": 30001}),
            ok(
                json!({"file_count": 12, "limit_count": 10000, "used_space": 314746, "total_space": 10737418240_i64}),
            ),
            run!(|c| {
                let i = c.get_group_file_system_info(30001).await.unwrap();
                assert_eq!((i.file_count, i.total_space), (12, 10737418240));
            }),
        ),
        row(
            "get_group_root_files",
            "get_group_root_files",
            json!({"group_id": 30001}),
            fixture_reply("get_group_root_files.resp.synth.json"),
            run!(|c| {
                let f = c.get_group_root_files(30001).await.unwrap();
                assert_eq!(
                    (f.files[0].file_name.as_str(), f.files[0].bytes()),
                    ("1.txt", 3)
                );
                assert_eq!(
                    (
                        f.folders[0].folder_name.as_str(),
                        f.folders[0].total_file_count
                    ),
                    ("资料", 5)
                );
            }),
        ),
        row(
            "get_group_files_by_folder",
            "get_group_files_by_folder",
            json!({"group_id": 30001, "folder_id": "/b2a7c0de-0000-0000-0000-000000000000", "file_count": 50}),
            fixture_reply("get_group_files_by_folder.resp.synth.json"),
            run!(|c| {
                let f = c
                    .get_group_files_by_folder(30001, "/b2a7c0de-0000-0000-0000-000000000000", 50)
                    .await
                    .unwrap();
                assert_eq!(
                    (f.files[0].file_name.as_str(), f.files[0].bytes()),
                    ("a.pdf", 314743)
                );
                assert!(f.folders.is_empty());
            }),
        ),
        row(
            "get_group_file_url",
            "get_group_file_url",
            json!({"group_id": 30001, "file_id": "/be2a7132-8e06-4aab-b3b6-e063d2f98230"}),
            ok(json!({"url": "https://example.qq.com/ftn_handler/EXAMPLE/?fname=1.txt"})),
            run!(|c| {
                let u = c
                    .get_group_file_url(30001, "/be2a7132-8e06-4aab-b3b6-e063d2f98230")
                    .await
                    .unwrap();
                assert!(u.url.ends_with("fname=1.txt"));
            }),
        ),
        // ---- system ----
        row(
            "get_client_key",
            "get_clientkey",
            json!({}),
            ok(json!({"clientkey": "EXAMPLE_CLIENTKEY"})),
            run!(|c| {
                assert_eq!(c.get_client_key().await.unwrap(), "EXAMPLE_CLIENTKEY");
            }),
        ),
        row(
            "get_robot_uin_range",
            "get_robot_uin_range",
            json!({}),
            ok(json!([{"minUin": "3328144510", "maxUin": "3328144519"}])),
            run!(|c| {
                let r = c.get_robot_uin_range().await.unwrap();
                assert!(r[0].contains(3328144512));
                assert!(!r[0].contains(20002));
            }),
        ),
        media_row(
            "ocr_image",
            "ocr_image",
            json!({"image": "base64://iVBORw0KGgo="}),
            ok(json!([{"text": "你好", "pt1": {"x": "0", "y": "0"}}])),
            run!(|c| {
                let r = c.ocr_image("base64://iVBORw0KGgo=").await.unwrap();
                assert_eq!(r[0]["text"], "你好");
            }),
        ),
        media_row(
            "ocr_image_new",
            ".ocr_image",
            json!({"image": "base64://iVBORw0KGgo="}),
            ok(json!([{"text": "世界"}])),
            run!(|c| {
                let r = c.ocr_image_new("base64://iVBORw0KGgo=").await.unwrap();
                assert_eq!(r[0]["text"], "世界");
            }),
        ),
        row(
            "translate_en2zh",
            "translate_en2zh",
            json!({"words": ["apple", "banana"]}),
            ok(json!({"words": ["苹果", "香蕉"]})),
            run!(|c| {
                let w = c.translate_en2zh(&["apple", "banana"]).await.unwrap();
                assert_eq!(w, ["苹果", "香蕉"]);
            }),
        ),
        media_row(
            "download_file",
            "download_file",
            json!({"url": "https://example.com/a.png", "name": "a.png", "headers": ["Referer=https://qq.com", "User-Agent=napterm"]}),
            ok(json!({"file": "/app/.config/QQ/NapCat/temp/a.png"})),
            run!(|c| {
                let f = c
                    .download_file(
                        DownloadSource::Url("https://example.com/a.png".into()),
                        Some("a.png"),
                        &[("Referer", "https://qq.com"), ("User-Agent", "napterm")],
                    )
                    .await
                    .unwrap();
                assert_eq!(f.file, "/app/.config/QQ/NapCat/temp/a.png");
            }),
        ),
        row(
            "get_cookies",
            "get_cookies",
            json!({"domain": "qun.qq.com"}),
            ok(json!({"cookies": "uin=o10001; skey=@EXAMPLE", "bkn": "123456"})),
            run!(|c| {
                let k = c.get_cookies("qun.qq.com").await.unwrap();
                assert_eq!(
                    (k.cookies.as_str(), k.bkn.as_str()),
                    ("uin=o10001; skey=@EXAMPLE", "123456")
                );
            }),
        ),
        row(
            "handle_quick_operation",
            ".handle_quick_operation",
            json!({"context": fixture("group_message.json"), "operation": {"reply": "收到", "at_sender": true}}),
            ok_no_data(),
            run!(|c| {
                let op = QuickOperation {
                    reply: Some("收到".into()),
                    at_sender: Some(true),
                    ..Default::default()
                };
                c.handle_quick_operation(&fixture("group_message.json"), &op)
                    .await
                    .unwrap();
            }),
        ),
        row(
            "get_csrf_token",
            "get_csrf_token",
            json!({}),
            ok(json!({"token": 123456789})),
            run!(|c| {
                assert_eq!(c.get_csrf_token().await.unwrap().token, 123456789);
            }),
        ),
        row(
            "get_credentials",
            "get_credentials",
            json!({"domain": "qun.qq.com"}),
            ok(json!({"cookies": "uin=o10001; skey=@EXAMPLE", "token": 123456789})),
            run!(|c| {
                let k = c.get_credentials("qun.qq.com").await.unwrap();
                assert_eq!(k.token, 123456789);
                assert!(k.cookies.starts_with("uin=o10001"));
            }),
        ),
        row(
            "get_model_show",
            "_get_model_show",
            json!({"model": "napterm"}),
            ok(json!([{"variants": {"model_show": "napterm", "need_pay": false}}])),
            run!(|c| {
                let r = c.get_model_show("napterm").await.unwrap();
                assert_eq!(r[0]["variants"]["need_pay"], false);
            }),
        ),
        row(
            "can_send_image",
            "can_send_image",
            json!({}),
            ok(json!({"yes": true})),
            run!(|c| {
                assert!(c.can_send_image().await.unwrap());
            }),
        ),
        row(
            "can_send_record",
            "can_send_record",
            json!({}),
            ok(json!({"yes": false})),
            run!(|c| {
                assert!(!c.can_send_record().await.unwrap());
            }),
        ),
        row(
            "nc_get_packet_status",
            "nc_get_packet_status",
            json!({}),
            ok_no_data(),
            run!(|c| {
                c.nc_get_packet_status().await.unwrap();
            }),
        ),
        row(
            "get_status",
            "get_status",
            json!({}),
            fixture_reply("get_status.resp.json"),
            run!(|c| {
                let s = c.get_status().await.unwrap();
                assert!(s.online && s.good);
            }),
        ),
        row(
            "nc_get_rkey",
            "nc_get_rkey",
            json!({}),
            ok(json!([
                {"type": 10, "rkey": "&rkey=EXAMPLE_PRIVATE", "time": 1764000000, "ttl": "3600"},
                {"type": 20, "rkey": "&rkey=EXAMPLE_GROUP", "time": 1764000000, "ttl": "3600"}
            ])),
            run!(|c| {
                let k = c.nc_get_rkey().await.unwrap();
                assert_eq!(
                    (k[1].kind, k[1].rkey.as_str(), k[1].ttl),
                    (20, "&rkey=EXAMPLE_GROUP", 3600)
                );
            }),
        ),
        row(
            "get_version_info",
            "get_version_info",
            json!({}),
            fixture_reply("get_version_info.resp.synth.json"),
            run!(|c| {
                let v = c.get_version_info().await.unwrap();
                assert_eq!(
                    (v.app_name.as_str(), v.app_version.as_str()),
                    ("NapCat.Onebot", "4.18.19")
                );
            }),
        ),
    ]
}

/// Performs one row against a mock server; returns what went wrong, if anything.
async fn exercise(row: &Row) -> Result<(), String> {
    let defaults = ConnectOptions::default();
    let (client, mut calls) = Client::mock();
    let task = tokio::spawn((row.run)(client));
    let call = calls
        .recv()
        .await
        .ok_or_else(|| format!("{}: made no call", row.method))?;
    let mut problems = Vec::new();
    if call.action != row.action {
        problems.push(format!(
            "action {:?}, expected {:?}",
            call.action, row.action
        ));
    }
    if call.params != row.params {
        problems.push(format!(
            "params\n   got {}\n  want {}",
            call.params, row.params
        ));
    }
    let want = if row.media {
        defaults.media_timeout
    } else {
        defaults.call_timeout
    };
    if call.timeout != want {
        problems.push(format!("timeout {:?}, expected {want:?}", call.timeout));
    }
    let _ = call.reply.send(row.reply.clone());
    if let Err(e) = task.await {
        problems.push(format!("result check failed: {e}"));
    }
    if calls.try_recv().is_ok() {
        problems.push("made a second call".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", row.method, problems.join("; ")))
    }
}

#[tokio::test]
async fn every_method_sends_napcats_action_and_params_and_types_the_reply() {
    let mut failures = Vec::new();
    for row in rows() {
        if let Err(e) = exercise(&row).await {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_table_covers_exactly_the_seed_methods() {
    let seed: BTreeSet<&str> = SEED_METHODS.into_iter().collect();
    assert_eq!(seed.len(), SEED_METHODS.len(), "seed list has duplicates");
    let known: BTreeSet<&str> = seed.iter().copied().chain(EXTRA_METHODS).collect();
    let table = rows();
    let mut covered = BTreeSet::new();
    for r in &table {
        assert!(
            known.contains(r.method),
            "row for unknown method {}",
            r.method
        );
        assert!(covered.insert(r.method), "two rows for {}", r.method);
    }
    let missing: Vec<&&str> = known.difference(&covered).collect();
    assert!(missing.is_empty(), "methods without a row: {missing:?}");
    assert_eq!(table.len(), SEED_METHODS.len() + EXTRA_METHODS.len());
}

// ---- errors and refusals ----

/// Calls through a mock that answers with `reply`; returns the method's result.
async fn answer<T: Send + 'static>(
    reply: Reply,
    call: impl FnOnce(Client) -> Pin<Box<dyn Future<Output = napterm::onebot::Result<T>> + Send>>,
) -> napterm::onebot::Result<T> {
    let (client, mut calls) = Client::mock();
    let task = tokio::spawn(call(client));
    let c = calls.recv().await.expect("a call");
    let _ = c.reply.send(reply);
    task.await.expect("call task")
}

#[tokio::test]
async fn unknown_action_maps_to_unknown_action() {
    let r = answer(fixture_reply("error_unknown_action.resp.synth.json"), |c| {
        Box::pin(async move { c.get_group_ignored_notifies().await })
    })
    .await;
    assert_eq!(
        r,
        Err(Error::UnknownAction {
            action: "get_group_ignored_notifies".into()
        })
    );
}

#[tokio::test]
async fn bad_params_maps_to_bad_params_with_the_reason() {
    let r = answer(fixture_reply("error_bad_params.resp.synth.json"), |c| {
        Box::pin(async move { c.nc_get_packet_status().await })
    })
    .await;
    match r {
        Err(Error::BadParams { action, message }) => {
            assert_eq!(action, "nc_get_packet_status");
            assert!(message.contains("Expected required property"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn action_failure_carries_napcats_message() {
    let r = answer(fixture_reply("error_action_failed.resp.json"), |c| {
        Box::pin(async move { c.set_group_add_request("123", true, None).await })
    })
    .await;
    assert_eq!(
        r,
        Err(Error::ActionFailed {
            action: "set_group_add_request".into(),
            retcode: 1200,
            message: "No such request".into()
        })
    );
}

#[tokio::test]
async fn unit_results_accept_absent_and_null_data() {
    let absent = answer(ok_no_data(), |c| {
        Box::pin(async move { c.set_group_ban(30001, 20002, 0).await })
    })
    .await;
    let null = answer(ok(Value::Null), |c| {
        Box::pin(async move { c.set_group_ban(30001, 20002, 0).await })
    })
    .await;
    let something = answer(ok(json!({"result": 0})), |c| {
        Box::pin(async move { c.set_group_ban(30001, 20002, 0).await })
    })
    .await;
    assert_eq!((absent, null, something), (Ok(()), Ok(()), Ok(())));
}

#[tokio::test]
async fn wrong_shapes_are_unexpected_reply_errors() {
    let login = answer(ok(json!([10001])), |c| {
        Box::pin(async move { c.get_login_info().await })
    })
    .await;
    assert!(
        matches!(&login, Err(Error::UnexpectedReply { action, .. }) if action == "get_login_info"),
        "{login:?}"
    );
    let groups = answer(ok(json!({"groups": []})), |c| {
        Box::pin(async move { c.get_group_list(false).await })
    })
    .await;
    assert!(
        matches!(&groups, Err(Error::UnexpectedReply { action, .. }) if action == "get_group_list"),
        "{groups:?}"
    );
    let sent = answer(ok_no_data(), |c| {
        Box::pin(async move {
            c.send_message(Peer::Group(1), &MessageChain::new().text("x"))
                .await
        })
    })
    .await;
    assert!(
        matches!(&sent, Err(Error::UnexpectedReply { action, .. }) if action == "send_group_msg"),
        "a send without a message id is not a success: {sent:?}"
    );
    let card = answer(ok(json!({"arkJson": "{}"})), |c| {
        Box::pin(async move { c.get_share_group_card(1).await })
    })
    .await;
    assert!(
        matches!(card, Err(Error::UnexpectedReply { .. })),
        "{card:?}"
    );
}

#[tokio::test]
async fn a_null_list_is_an_empty_list() {
    let groups = answer(ok(Value::Null), |c| {
        Box::pin(async move { c.get_group_list(false).await })
    })
    .await;
    assert_eq!(groups, Ok(Vec::new()));
}

#[tokio::test]
async fn empty_messages_are_refused_before_any_call() {
    let (client, mut calls) = Client::mock();
    let refused = [
        client.post_group_msg(30001, PostOptions::default()).await,
        client.post_group_msg(30001, PostOptions::text("")).await,
        // `at` alone adds nothing in a private chat.
        client
            .post_private_msg(
                20002,
                PostOptions {
                    at: Some(AtTarget::All),
                    ..Default::default()
                },
            )
            .await,
        client
            .send_message(Peer::Group(30001), &MessageChain::new())
            .await,
        client
            .send_msg(Peer::Private(20002), &MessageChain::new())
            .await,
    ];
    for r in &refused {
        assert!(matches!(r, Err(Error::BadParams { .. })), "{r:?}");
    }
    let forward = client.send_group_forward_msg(30001, &[]).await;
    assert!(
        matches!(forward, Err(Error::BadParams { .. })),
        "{forward:?}"
    );
    let ark = client.get_mini_app_ark(json!("not an object")).await;
    assert!(matches!(ark, Err(Error::BadParams { .. })), "{ark:?}");
    assert!(calls.try_recv().is_err(), "no call may reach the server");
}

#[test]
fn post_options_order_is_reply_first_then_the_documented_order() {
    let opts = PostOptions {
        image: Some("a.png".into()),
        at: Some(AtTarget::All),
        text: Some("t".into()),
        reply: Some(1),
        rps: true,
        ..Default::default()
    };
    let kinds: Vec<String> = opts
        .to_chain(true)
        .segments()
        .iter()
        .map(|s| s.kind().to_string())
        .collect();
    assert_eq!(kinds, ["reply", "text", "at", "rps", "image"]);
    let private: Vec<String> = opts
        .to_chain(false)
        .segments()
        .iter()
        .map(|s| s.kind().to_string())
        .collect();
    assert_eq!(
        private,
        ["reply", "text", "rps", "image"],
        "no at in private"
    );
}

#[tokio::test]
async fn text_only_sends_use_the_short_timeout_and_media_the_long_one() {
    let defaults = ConnectOptions::default();
    for (chain, want) in [
        (MessageChain::new().text("hi"), defaults.call_timeout),
        (
            MessageChain::new().push(Segment::file("base64://AA==")),
            defaults.media_timeout,
        ),
    ] {
        let (client, mut calls) = Client::mock();
        let task = tokio::spawn(async move { client.send_message(Peer::Private(1), &chain).await });
        let call = calls.recv().await.unwrap();
        assert_eq!(call.timeout, want);
        let _ = call.reply.send(ok(json!({"message_id": 1})));
        assert_eq!(task.await.unwrap().unwrap().message_id, 1);
    }
}
