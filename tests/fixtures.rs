//! Every real payload in `tests/fixtures/` parses into the typed value it means, segment arrays
//! survive a round trip, and `raw_message` CQ strings say the same as the segment arrays.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

use napterm::onebot::client::reply_to_result;
use napterm::onebot::event::MessageType;
use napterm::onebot::notice::{EmojiLike, JoinKind, LeaveKind, UploadedFile};
use napterm::onebot::segment::{FileData, ImageData, RecordData};
use napterm::onebot::{
    Error, Event, Frame, MessageChain, MessageEvent, Meta, Notice, NoticeKind, Peer, Reply,
    Request, RequestKind, Role, Segment, parse_frame,
};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every `*.json` fixture, by file name, sorted.
fn all_fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .map(|n| {
            let text = fixture_text(&n);
            (n, text)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 60, "fixtures missing: found {}", out.len());
    out
}

fn is_request(name: &str) -> bool {
    name.contains(".req.")
}

fn event(name: &str) -> Event {
    match parse_frame(&fixture_text(name)) {
        Ok(Frame::Event(e)) => e,
        other => panic!("{name}: expected an event, got {other:?}"),
    }
}

fn message(name: &str) -> MessageEvent {
    match event(name) {
        Event::Message(m) => *m,
        other => panic!("{name}: expected a message, got {other:?}"),
    }
}

fn notice(name: &str) -> Notice {
    match event(name) {
        Event::Notice(n) => n,
        other => panic!("{name}: expected a notice, got {other:?}"),
    }
}

fn request(name: &str) -> Request {
    match event(name) {
        Event::Request(r) => r,
        other => panic!("{name}: expected a request, got {other:?}"),
    }
}

fn reply(name: &str) -> Reply {
    match parse_frame(&fixture_text(name)) {
        Ok(Frame::Reply(r)) => r,
        other => panic!("{name}: expected a reply, got {other:?}"),
    }
}

/// Segments of unknown type anywhere in a chain (nested forward nodes included).
fn unknown_segments(chain: &MessageChain) -> Vec<String> {
    let mut out = Vec::new();
    for seg in chain.segments() {
        match seg {
            Segment::Unknown { kind, data } => out.push(format!("{kind}: {data}")),
            Segment::Node(n) => {
                if let Some(c) = &n.content {
                    out.extend(unknown_segments(c));
                }
            }
            Segment::Forward {
                content: Some(events),
                ..
            } => {
                for e in events {
                    out.extend(unknown_segments(&e.message));
                }
            }
            _ => {}
        }
    }
    out
}

/// Message events inside a reply's `data` (`get_msg`, histories, forwards, recent contacts).
fn messages_in_reply_data(data: &Value) -> Vec<MessageEvent> {
    let mut found = Vec::new();
    let mut candidates: Vec<&Value> = Vec::new();
    match data {
        Value::Object(o) => {
            if o.contains_key("message_id") && o.contains_key("message") {
                candidates.push(data);
            }
            if let Some(Value::Array(ms)) = o.get("messages") {
                candidates.extend(ms);
            }
        }
        Value::Array(items) => {
            for it in items {
                if let Some(m) = it.get("lastestMsg") {
                    candidates.push(m);
                }
            }
        }
        _ => {}
    }
    for c in candidates {
        let m: MessageEvent =
            serde_json::from_value(c.clone()).unwrap_or_else(|e| panic!("{e}: {c}"));
        found.push(m);
    }
    found
}

#[test]
fn every_fixture_parses_into_a_known_typed_value() {
    for (name, text) in all_fixtures() {
        if is_request(&name) {
            let v: Value = serde_json::from_str(&text).unwrap();
            assert!(v["action"].is_string(), "{name}: no action");
            assert!(v["params"].is_object(), "{name}: no params");
            for key in ["message", "messages"] {
                if let Some(m) = v["params"].get(key) {
                    let chain: MessageChain = serde_json::from_value(m.clone())
                        .unwrap_or_else(|e| panic!("{name}: params.{key}: {e}"));
                    assert!(!chain.is_empty(), "{name}: params.{key} is empty");
                    let unknown = unknown_segments(&chain);
                    assert!(unknown.is_empty(), "{name}: unknown segments {unknown:?}");
                }
            }
            continue;
        }
        let frame = parse_frame(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        match frame {
            Frame::Event(Event::Unknown(v)) => panic!("{name}: parsed as an unknown event: {v}"),
            Frame::Event(Event::Notice(Notice {
                kind: NoticeKind::Unknown(v),
                ..
            })) => panic!("{name}: parsed as an unknown notice: {v}"),
            Frame::Event(Event::Request(Request {
                kind: RequestKind::Other { .. },
                ..
            })) => panic!("{name}: parsed as an unknown request"),
            Frame::Event(Event::Message(m)) => {
                let unknown = unknown_segments(&m.message);
                assert!(unknown.is_empty(), "{name}: unknown segments {unknown:?}");
            }
            Frame::Event(_) => {}
            Frame::Reply(r) => {
                if let Some(data) = &r.data {
                    for m in messages_in_reply_data(data) {
                        let unknown = unknown_segments(&m.message);
                        assert!(unknown.is_empty(), "{name}: unknown segments {unknown:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn group_message_fields() {
    let m = message("group_message.json");
    assert_eq!(m.time, 1764033417);
    assert_eq!(m.self_id, 10001);
    assert_eq!(m.post_type, "message");
    assert_eq!(m.message_id, 1814436220);
    assert_eq!(m.message_seq, Some(1814436220));
    assert_eq!(m.real_seq.as_deref(), Some("961680"));
    assert_eq!(m.message_type, MessageType::Group);
    assert_eq!(m.sub_type, "normal");
    assert_eq!(m.user_id, 20002);
    assert_eq!(m.group_id, Some(30001));
    assert_eq!(m.group_name.as_deref(), Some("TestGroup"));
    assert_eq!(m.sender.user_id, 20002);
    assert_eq!(m.sender.nickname, "TestUser");
    assert_eq!(m.sender.card, "TestCard");
    assert_eq!(m.sender.role, Some(Role::Member));
    assert_eq!(m.sender.display_name(), "TestCard");
    assert_eq!(
        m.message.segments(),
        &[Segment::text("怎么每次出节奏玩的都是最后一个知道的")]
    );
    assert_eq!(m.peer(), Peer::Group(30001));
    assert!(!m.is_self());
}

#[test]
fn private_message_fields() {
    let m = message("private_message.json");
    assert_eq!(m.message_type, MessageType::Private);
    assert_eq!(m.sub_type, "friend");
    assert_eq!(m.user_id, 20003);
    assert_eq!(m.target_id, Some(20003));
    assert_eq!(m.group_id, None);
    assert_eq!(m.sender.role, None);
    assert_eq!(m.sender.display_name(), "TestUser");
    assert_eq!(m.message.segments(), &[Segment::text("/like 20099")]);
    assert_eq!(m.peer(), Peer::Private(20003));
}

#[test]
fn own_message_is_recognised_and_routed_to_its_group() {
    let m = message("message_sent_group.json");
    assert_eq!(m.post_type, "message_sent");
    assert_eq!(m.message_sent_type.as_deref(), Some("self"));
    assert!(m.is_self());
    assert_eq!(m.peer(), Peer::Group(30002));
    assert_eq!(
        m.message.segments(),
        &[
            Segment::reply(466720770),
            Segment::at(20006),
            Segment::text(" qqw")
        ]
    );
    assert_eq!(m.message.reply_to(), Some(466720770));
    assert!(m.message.mentions(20006, false));
}

#[test]
fn forward_message_keeps_its_id() {
    let m = message("private_message_forward.json");
    match m.message.segments() {
        [
            Segment::Forward {
                id,
                content: None,
                extra,
            },
        ] => {
            assert_eq!(id, "7483086758390235084");
            assert!(extra.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(m.message.plain_text(), "[聊天记录]");
}

#[test]
fn json_card_keeps_the_ark_text_and_shows_its_prompt() {
    let m = message("private_message_json_card.json");
    let raw: Value = serde_json::from_str(&fixture_text("private_message_json_card.json")).unwrap();
    let want_data = raw["message"][0]["data"]["data"].as_str().unwrap();
    match m.message.segments() {
        [Segment::Json { data, extra }] => {
            assert_eq!(data, want_data);
            assert!(extra.is_empty());
            let ark: Value = serde_json::from_str(data).unwrap();
            assert_eq!(ark["bizsrc"], "qun.invite");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(m.message.plain_text(), "[链接]邀请你加入群聊");
}

#[test]
fn file_message_fields() {
    let m = message("group_message_file.json");
    assert_eq!(m.sender.role, Some(Role::Owner));
    assert_eq!(
        m.message.segments(),
        &[Segment::File(Box::new(FileData {
            file: "1.txt".into(),
            file_id: Some("/be2a7132-8e06-4aab-b3b6-e063d2f98230".into()),
            file_size: Some(3),
            url: None,
            name: None,
            extra: Map::new(),
        }))]
    );
    assert_eq!(m.message.plain_text(), "[文件] 1.txt");
}

#[test]
fn reply_message_fields() {
    let m = message("group_message_reply.json");
    assert_eq!(m.sender.role, Some(Role::Admin));
    assert_eq!(m.sender.display_name(), "管理员名片");
    assert_eq!(m.message.reply_to(), Some(1849933061));
    assert_eq!(
        m.message.segments(),
        &[
            Segment::reply(1849933061),
            Segment::text("可以在群里搜“《”，出来的一般都是剧本杀。")
        ]
    );
}

#[test]
fn at_face_market_sticker_and_dice() {
    let m = message("group_message_at_face_mface.synth.json");
    let segs = m.message.segments();
    assert_eq!(segs.len(), 5);
    assert_eq!(segs[0], Segment::at(10001));
    assert_eq!(segs[1], Segment::text(" 早"));
    match &segs[2] {
        Segment::Face { id, extra } => {
            assert_eq!(*id, 14);
            assert_eq!(extra["raw"]["faceText"], "/微笑");
            assert_eq!(extra["chainCount"], 0);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        segs[3],
        Segment::Image(Box::new(ImageData {
            file: "3a-3a181abe476219e7a04163eab80fa274.gif".into(),
            url: Some(
                "https://gxh.vip.qq.com/club/item/parcel/item/3a/3a181abe476219e7a04163eab80fa274/raw300.gif"
                    .into()
            ),
            summary: Some("[摸头]".into()),
            sub_type: None,
            file_size: None,
            emoji_id: Some("3a181abe476219e7a04163eab80fa274".into()),
            emoji_package_id: Some(244959),
            key: Some("ea229eea083f3bbb".into()),
            extra: Map::new(),
        }))
    );
    match &segs[4] {
        Segment::Dice { result, extra } => {
            assert_eq!(*result, Some(4));
            assert!(extra.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert!(m.message.mentions(10001, false));
    assert_eq!(m.message.plain_text(), "@10001 早[微笑][摸头][骰子] 4");
}

#[test]
fn voice_message_fields() {
    let m = message("group_message_record.synth.json");
    assert_eq!(
        m.message.segments(),
        &[Segment::Record(Box::new(RecordData {
            file: "0a1b2c3d4e5f60718293a4b5c6d7e8f9.amr".into(),
            url: Some("https://grouptalk.c2c.qq.com/EXAMPLE".into()),
            path: Some("/root/.config/QQ/nt_qq_x/nt_data/Ptt/2025-01/Ori/abc.amr".into()),
            file_size: Some(5120),
            extra: Map::new(),
        }))]
    );
}

#[test]
fn every_notice_kind() {
    let cases: Vec<(&str, i64, NoticeKind)> = vec![
        (
            "group_recall.json",
            1764046784,
            NoticeKind::GroupRecall {
                group_id: 30005,
                user_id: 20009,
                operator_id: 20009,
                message_id: 1318467160,
            },
        ),
        (
            "friend_recall.json",
            1742290548,
            NoticeKind::FriendRecall {
                user_id: 20006,
                message_id: 1800796867,
            },
        ),
        (
            "group_increase.json",
            1767099676,
            NoticeKind::GroupIncrease {
                how: JoinKind::Approve,
                group_id: 30007,
                user_id: 20010,
                operator_id: 20003,
            },
        ),
        (
            "group_decrease.json",
            1773558161,
            NoticeKind::GroupDecrease {
                how: LeaveKind::Leave,
                group_id: 30005,
                user_id: 20011,
                operator_id: 0,
            },
        ),
        (
            "group_ban.json",
            1773570533,
            NoticeKind::GroupBan {
                lift: false,
                group_id: 30005,
                user_id: 10001,
                operator_id: 20003,
                duration: 43200,
            },
        ),
        (
            "group_lift_ban.json",
            1773714497,
            NoticeKind::GroupBan {
                lift: true,
                group_id: 30007,
                user_id: 20012,
                operator_id: 20003,
                duration: 0,
            },
        ),
        (
            "group_whole_ban.json",
            1742291099,
            NoticeKind::GroupBan {
                lift: false,
                group_id: 30002,
                user_id: 0,
                operator_id: 20006,
                duration: -1,
            },
        ),
        (
            "group_admin.json",
            1742291060,
            NoticeKind::GroupAdmin {
                set: true,
                group_id: 30002,
                user_id: 20005,
            },
        ),
        (
            "group_upload.json",
            1773478681,
            NoticeKind::GroupUpload {
                group_id: 30008,
                user_id: 20013,
                file: UploadedFile {
                    id: "45650681afe6f2850e57634ce70571b3".into(),
                    name: "LuGu_1773478630281.webp".into(),
                    size: 51441991,
                    busid: 102,
                },
            },
        ),
        (
            "group_card.json",
            1764678233,
            NoticeKind::GroupCard {
                group_id: 30001,
                user_id: 10001,
                card_new: String::new(),
                card_old: "鹿灵".into(),
            },
        ),
        (
            "friend_add.json",
            1770436135,
            NoticeKind::FriendAdd { user_id: 20014 },
        ),
        (
            "group_msg_emoji_like.synth.json",
            1764050000,
            NoticeKind::GroupMsgEmojiLike {
                group_id: 30001,
                user_id: 20002,
                message_id: Some(1814436220),
                likes: vec![EmojiLike {
                    emoji_id: "76".into(),
                    count: 1,
                }],
                is_add: Some(true),
            },
        ),
        (
            "input_status.json",
            1742290672,
            NoticeKind::InputStatus {
                user_id: 20006,
                group_id: 0,
                event_type: 2,
                status_text: String::new(),
            },
        ),
        (
            "profile_like.json",
            1742291836,
            NoticeKind::ProfileLike {
                operator_id: 20006,
                operator_nick: "点赞者昵称".into(),
                times: 1,
            },
        ),
        (
            "title.synth.json",
            1764060100,
            NoticeKind::Title {
                group_id: 30001,
                user_id: 20002,
                title: "头衔文本".into(),
            },
        ),
        (
            "group_name.synth.json",
            1764060000,
            NoticeKind::GroupName {
                group_id: 30001,
                user_id: 20002,
                name_new: "新群名".into(),
            },
        ),
        (
            "bot_offline.synth.json",
            1764060200,
            NoticeKind::BotOffline {
                user_id: 10001,
                tag: "下线通知".into(),
                message: "你的账号在另一台设备登录".into(),
            },
        ),
    ];
    for (name, time, kind) in cases {
        assert_eq!(
            notice(name),
            Notice {
                time,
                self_id: 10001,
                kind
            },
            "{name}"
        );
    }
}

#[test]
fn pokes_in_groups_and_private_chats() {
    let raw = |name: &str| -> Value {
        let v: Value = serde_json::from_str(&fixture_text(name)).unwrap();
        v["raw_info"].clone()
    };
    assert_eq!(
        notice("poke.json").kind,
        NoticeKind::Poke {
            group_id: Some(30006),
            user_id: 20003,
            sender_id: None,
            target_id: 10001,
            action: "戳了戳".into(),
            suffix: String::new(),
            raw_info: raw("poke.json"),
        }
    );
    assert_eq!(
        notice("poke_friend.synth.json").kind,
        NoticeKind::Poke {
            group_id: None,
            user_id: 20003,
            sender_id: Some(20003),
            target_id: 10001,
            action: "拍了拍".into(),
            suffix: String::new(),
            raw_info: raw("poke_friend.synth.json"),
        }
    );
}

#[test]
fn gray_tip_fields() {
    match notice("gray_tip.synth.json").kind {
        NoticeKind::GrayTip {
            group_id,
            user_id,
            message_id,
            busi_id,
            content,
            raw_info,
            tip,
        } => {
            assert_eq!((group_id, user_id, message_id), (30001, 20002, 1900000001));
            assert_eq!(busi_id, "2401");
            assert!(content.starts_with("{\"align\":\"center\""));
            assert_eq!(raw_info["msgSeq"], "961702");
            assert_eq!(tip.text(), "...");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_request_kind() {
    assert_eq!(
        request("friend_request.json"),
        Request {
            time: 1752540657,
            self_id: 10001,
            kind: RequestKind::Friend,
            flag: "1752540656".into(),
            user_id: 20016,
            comment: "我是TestUser".into(),
        }
    );
    assert_eq!(
        request("group_request_add.synth.json"),
        Request {
            time: 1749736849,
            self_id: 10001,
            kind: RequestKind::GroupAdd { group_id: 30010 },
            flag: "1749736849151114".into(),
            user_id: 20018,
            comment: "问题：你从哪里知道本群\n答案：朋友推荐".into(),
        }
    );
    assert_eq!(
        request("group_request_invite.json"),
        Request {
            time: 1734738688,
            self_id: 10001,
            kind: RequestKind::GroupInvite { group_id: 30010 },
            flag: "1734738688386176".into(),
            user_id: 20017,
            comment: String::new(),
        }
    );
}

#[test]
fn lifecycle_and_heartbeat() {
    assert_eq!(
        event("lifecycle.json"),
        Event::Meta(Meta::Lifecycle {
            self_id: 10001,
            sub_type: "connect".into()
        })
    );
    assert_eq!(
        event("heartbeat.json"),
        Event::Meta(Meta::Heartbeat {
            self_id: 10001,
            online: true,
            good: true,
            interval_ms: 30000
        })
    );
}

#[test]
fn reply_without_data_is_a_success_with_null() {
    let r = reply("delete_msg.resp.json");
    assert_eq!(r.data, None);
    assert_eq!(r.echo_key(), Some("delete_msg"));
    assert!(r.is_final());
    assert_eq!(reply_to_result("delete_msg", r), Ok(Value::Null));
}

#[test]
fn successful_replies_carry_their_data() {
    let r = reply("get_login_info.resp.json");
    assert_eq!(r.status, "ok");
    assert_eq!(r.echo_key(), Some("123"));
    assert_eq!(r.stream.as_deref(), Some("normal-action"));
    assert_eq!(
        reply_to_result("get_login_info", r),
        Ok(json!({"user_id": 10001, "nickname": "🤖-dev-bot-"}))
    );

    // Older builds send no `stream` key and a null echo.
    let r = reply("get_status.resp.json");
    assert_eq!((r.stream.clone(), r.echo_key()), (None, None));
    assert_eq!(
        r.data,
        Some(json!({"online": true, "good": true, "stat": {}}))
    );

    let r = reply("stream_chunk.resp.json");
    assert!(!r.is_final(), "a stream chunk must not end the call");
}

#[test]
fn object_echo_and_action_failure() {
    let r = reply("error_action_failed.resp.json");
    assert_eq!(r.echo, json!({"seq": 55}));
    assert_eq!(r.echo_key(), None);
    assert_eq!(
        reply_to_result("set_group_add_request", r),
        Err(Error::ActionFailed {
            action: "set_group_add_request".into(),
            retcode: 1200,
            message: "No such request".into(),
        })
    );
}

#[test]
fn error_retcodes_become_distinct_errors() {
    assert_eq!(
        reply_to_result("get_status", reply("error_bad_token.synth.json")),
        Err(Error::AuthRejected("token验证失败".into()))
    );
    assert_eq!(
        reply_to_result(
            "no_such_action",
            reply("error_unknown_action.resp.synth.json")
        ),
        Err(Error::UnknownAction {
            action: "no_such_action".into()
        })
    );
    assert_eq!(
        reply_to_result("send_group_msg", reply("error_bad_params.resp.synth.json")),
        Err(Error::BadParams {
            action: "send_group_msg".into(),
            message: "Schema compilation error: Expected required property".into(),
        })
    );
    match reply_to_result("get_msg", reply("error_http_failed.resp.json")) {
        Err(Error::ActionFailed {
            retcode, message, ..
        }) => {
            assert_eq!(retcode, 200);
            assert!(message.contains("msg_seq"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn message_lists_in_replies_parse() {
    let r = reply("get_group_msg_history.resp.json");
    let ms = messages_in_reply_data(r.data.as_ref().unwrap());
    assert_eq!(ms.len(), 4);
    assert!(ms.iter().all(|m| m.peer() == Peer::Group(30016)));
    let own: Vec<bool> = ms.iter().map(MessageEvent::is_self).collect();
    assert_eq!(own, [false, false, true, false]);
    assert!(ms.windows(2).all(|w| w[0].time <= w[1].time));

    let r = reply("get_forward_msg.resp.json");
    let ms = messages_in_reply_data(r.data.as_ref().unwrap());
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0].message.plain_text(), "5678");

    let r = reply("get_msg.resp.json");
    let ms = messages_in_reply_data(r.data.as_ref().unwrap());
    assert_eq!(ms.len(), 1);
    assert!(ms[0].message.is_empty());
    assert_eq!(ms[0].sender.role, Some(Role::Owner));
}

#[test]
fn request_fixtures_have_typed_message_chains() {
    let v: Value = serde_json::from_str(&fixture_text("send_group_msg.req.json")).unwrap();
    let chain: MessageChain = serde_json::from_value(v["params"]["message"].clone()).unwrap();
    assert_eq!(
        chain.segments(),
        &[Segment::text("表情测试"), Segment::face(138)]
    );

    let v: Value = serde_json::from_str(&fixture_text("send_group_forward_msg.req.json")).unwrap();
    let chain: MessageChain = serde_json::from_value(v["params"]["messages"].clone()).unwrap();
    let texts = ["你好", "我是f14a"];
    assert_eq!(chain.segments().len(), 2);
    for (seg, text) in chain.segments().iter().zip(texts) {
        assert_eq!(
            *seg,
            Segment::node_custom(20019, "人", MessageChain::new().text(text))
        );
    }
}

/// Every JSON array in `v` that looks like a segment array (objects with a string `type`).
fn segment_arrays<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(items) => {
            let is_chain = !items.is_empty()
                && items.iter().all(|i| {
                    i.get("type").is_some_and(Value::is_string) && i.get("data").is_some()
                });
            if is_chain {
                out.push(v);
            }
            for i in items {
                segment_arrays(i, out);
            }
        }
        Value::Object(o) => {
            for val in o.values() {
                segment_arrays(val, out);
            }
        }
        _ => {}
    }
}

/// Equal, treating a number and a string with the same text as the same scalar.
fn loosely_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| loosely_equal(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| loosely_equal(v, w))
        }
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            n.to_string() == *s
        }
        _ => a == b,
    }
}

#[test]
fn every_segment_array_round_trips() {
    let mut checked = 0;
    for (name, text) in all_fixtures() {
        let v: Value = serde_json::from_str(&text).unwrap();
        let mut arrays = Vec::new();
        segment_arrays(&v, &mut arrays);
        for original in arrays {
            let chain: MessageChain =
                serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let written = serde_json::to_value(&chain).unwrap();
            assert!(
                loosely_equal(&written, original),
                "{name}: wrote\n{written}\nfor\n{original}"
            );
            let again: MessageChain = serde_json::from_value(written).unwrap();
            assert_eq!(again, chain, "{name}: parse(serialize(x)) != x");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} segment arrays found");
}

/// Message events anywhere in a fixture (top level, reply data, nested lists).
fn message_objects<'a>(v: &'a Value, out: &mut Vec<&'a Map<String, Value>>) {
    match v {
        Value::Object(o) => {
            if o.contains_key("raw_message") && o.get("message").is_some_and(Value::is_array) {
                out.push(o);
            }
            for val in o.values() {
                message_objects(val, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| message_objects(i, out)),
        _ => {}
    }
}

#[test]
fn raw_message_cq_strings_say_the_same_as_segment_arrays() {
    let mut checked = 0;
    for (name, text) in all_fixtures() {
        let v: Value = serde_json::from_str(&text).unwrap();
        let mut found = Vec::new();
        message_objects(&v, &mut found);
        for m in found {
            let raw = m["raw_message"].as_str().unwrap();
            let from_cq = MessageChain::from_cq(raw);
            let from_array: MessageChain = serde_json::from_value(m["message"].clone()).unwrap();
            assert_eq!(
                from_cq.plain_text(),
                from_array.plain_text(),
                "{name}: raw_message {raw:?}"
            );
            let kinds = |c: &MessageChain| -> Vec<String> {
                c.segments().iter().map(|s| s.kind().to_string()).collect()
            };
            assert_eq!(kinds(&from_cq), kinds(&from_array), "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} raw_message strings found");
}
