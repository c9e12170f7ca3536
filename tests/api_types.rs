//! Every reply fixture (`tests/fixtures/*.resp*.json`) reads into its typed result, checked field
//! by field for the replies the client relies on.

use napterm::onebot::client::reply_to_result;
use napterm::onebot::types::*;
use napterm::onebot::{Error, MessageEvent, Peer, Reply, Role, Segment};
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn reply(name: &str) -> Reply {
    let path = fixtures_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The fixture's `data`, read as `T` (what the API method returns).
fn data<T: DeserializeOwned>(name: &str) -> T {
    let r = reply(name);
    assert_eq!((r.status.as_str(), r.retcode), ("ok", 0), "{name}");
    let d = r.data.unwrap_or(Value::Null);
    serde_json::from_value(d).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Reads one fixture into the result type of the action it answers.
fn check(name: &str) {
    match name {
        "delete_msg.resp.json" => {
            let r = reply(name);
            assert!(r.data.is_none(), "NapCat drops `data` here");
            assert_eq!(reply_to_result("delete_msg", r), Ok(Value::Null));
        }
        "error_action_failed.resp.json" | "error_http_failed.resp.json" => {
            let r = reply(name);
            let message = r.message.clone();
            match reply_to_result("x", r) {
                Err(Error::ActionFailed { message: m, .. }) => assert_eq!(m, message),
                other => panic!("{name}: {other:?}"),
            }
        }
        "error_bad_params.resp.synth.json" => {
            assert!(matches!(
                reply_to_result("x", reply(name)),
                Err(Error::BadParams { .. })
            ));
        }
        "error_unknown_action.resp.synth.json" => {
            assert!(matches!(
                reply_to_result("x", reply(name)),
                Err(Error::UnknownAction { .. })
            ));
        }
        "stream_chunk.resp.json" => {
            assert!(!reply(name).is_final(), "a stream chunk is not a result");
        }
        "get_essence_msg_list.resp.synth.json" => {
            data::<Vec<EssenceMessage>>(name);
        }
        "get_forward_msg.resp.json" => {
            data::<ForwardContent>(name);
        }
        "get_friend_list.resp.synth.json" => {
            data::<Vec<Friend>>(name);
        }
        "get_group_files_by_folder.resp.synth.json" | "get_group_root_files.resp.synth.json" => {
            data::<GroupFiles>(name);
        }
        "get_group_honor_info.resp.synth.json" => {
            data::<GroupHonorInfo>(name);
        }
        "get_group_info.resp.synth.json" => {
            data::<GroupInfo>(name);
        }
        "get_group_list.resp.json" => {
            data::<Vec<GroupInfo>>(name);
        }
        "get_group_member_info.resp.json" => {
            data::<GroupMember>(name);
        }
        "get_group_member_list.resp.json" => {
            data::<Vec<GroupMember>>(name);
        }
        "get_group_msg_history.resp.json" => {
            data::<History>(name);
        }
        "get_group_notice.resp.synth.json" => {
            data::<Vec<GroupNotice>>(name);
        }
        "get_group_system_msg.resp.synth.json" => {
            data::<GroupSystemMsg>(name);
        }
        "get_login_info.resp.json" => {
            data::<LoginInfo>(name);
        }
        "get_msg.resp.json" => {
            data::<MessageEvent>(name);
        }
        "get_recent_contact.resp.synth.json" => {
            data::<Vec<RecentContact>>(name);
        }
        "get_status.resp.json" => {
            data::<Status>(name);
        }
        "get_stranger_info.resp.synth.json" => {
            data::<StrangerInfo>(name);
        }
        "get_version_info.resp.synth.json" => {
            data::<VersionInfo>(name);
        }
        "send_group_forward_msg.resp.json" => {
            data::<ForwardSent>(name);
        }
        "send_msg.resp.json" => {
            data::<SentMessage>(name);
        }
        "share_group_card.resp.json" => {
            data::<ContactArk>(name);
        }
        other => panic!("{other}: no typed result known for this reply fixture — add it here"),
    }
}

#[test]
fn every_reply_fixture_reads_into_its_typed_result() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".resp") && n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 25, "fixtures missing? {names:?}");
    for n in &names {
        check(n);
    }
}

#[test]
fn friend_list() {
    let f: Vec<Friend> = data("get_friend_list.resp.synth.json");
    let f = &f[0];
    assert_eq!(f.user_id, 20025);
    assert_eq!(f.nickname, "好友昵称");
    assert_eq!(f.remark, "好友备注");
    assert_eq!(f.sex, Sex::Female);
    assert_eq!((f.age, f.level), (25, 32));
    assert_eq!(
        (f.birthday_year, f.birthday_month, f.birthday_day),
        (2000, 1, 1)
    );
    assert_eq!((f.phone_num.as_str(), f.email.as_str()), ("", ""));
    assert_eq!(f.category_id, 0);
    assert_eq!(f.display_name(), "好友备注");
}

#[test]
fn member_list() {
    let m: Vec<GroupMember> = data("get_group_member_list.resp.json");
    let m = &m[0];
    assert_eq!((m.group_id, m.user_id), (30013, 20020));
    assert_eq!((m.nickname.as_str(), m.card.as_str()), ("示例昵称", ""));
    assert_eq!(m.sex, Sex::Unknown);
    assert_eq!(m.level, "2");
    assert_eq!((m.join_time, m.last_sent_time), (1751899434, 1751949220));
    assert_eq!(m.role, Role::Member);
    assert_eq!(m.shut_up_timestamp, 0);
    assert!(m.card_changeable && !m.is_robot && !m.unfriendly);
    assert_eq!(m.display_name(), "示例昵称");
}

#[test]
fn member_info() {
    let m: GroupMember = data("get_group_member_info.resp.json");
    assert_eq!((m.group_id, m.user_id), (30014, 20021));
    assert_eq!(m.nickname, "！");
    assert_eq!(m.card, "示例名片");
    assert_eq!(m.level, "100");
    assert_eq!(m.qq_level, 0);
    assert_eq!(m.join_time, 1668078968);
    assert_eq!(m.last_sent_time, 1750471881);
    assert_eq!(m.title, "示例头衔");
    assert_eq!(m.role, Role::Member);
    assert_eq!(m.mute_remaining(1750471881), 0);
    assert_eq!(m.display_name(), "示例名片");
}

#[test]
fn group_list() {
    let g: Vec<GroupInfo> = data("get_group_list.resp.json");
    assert_eq!(g.len(), 1);
    let g = &g[0];
    assert_eq!((g.group_id, g.group_name.as_str()), (30013, "示例群"));
    assert_eq!((g.member_count, g.max_member_count), (41, 200));
    assert_eq!(g.group_remark, "");
    assert!(!g.all_muted());
    let one: GroupInfo = data("get_group_info.resp.synth.json");
    assert_eq!(
        (one.group_id, one.group_name.as_str()),
        (30001, "TestGroup")
    );
}

#[test]
fn recent_contact() {
    let r: Vec<RecentContact> = data("get_recent_contact.resp.synth.json");
    let c = &r[0];
    assert_eq!(c.peer_uin, 30001, "peerUin arrives as a string");
    assert_eq!(c.msg_time, 1764033417, "msgTime arrives as a string");
    assert_eq!(c.chat_type, 2);
    assert_eq!(c.peer(), Some(Peer::Group(30001)));
    assert_eq!(c.peer_name, "TestGroup");
    assert_eq!(
        (c.send_nick_name.as_str(), c.send_member_name.as_str()),
        ("TestUser", "TestCard")
    );
    assert_eq!(c.msg_id, "7575000000000000001");
    let m = c.latest_msg.as_ref().expect("lastestMsg");
    assert_eq!(m.message_id, 1814436220);
    assert_eq!(m.real_seq.as_deref(), Some("961680"));
    assert_eq!(m.sender.display_name(), "TestCard");
}

#[test]
fn history() {
    let h: History = data("get_group_msg_history.resp.json");
    assert_eq!(h.messages.len(), 4);
    let first = &h.messages[0];
    assert_eq!((first.message_id, first.time), (1742426278, 1739173806));
    assert_eq!(first.peer(), Peer::Group(30016));
    assert_eq!(first.sender.role, Some(Role::Admin));
    assert_eq!(first.sender.display_name(), "名片A");
    assert_eq!(first.message.segments(), &[Segment::text("我要测试")]);
    let own = &h.messages[2];
    assert!(own.is_self());
    assert_eq!(own.post_type, "message_sent");
    assert!(
        h.messages.windows(2).all(|w| w[0].time <= w[1].time),
        "this capture is ordered old to new"
    );
}

#[test]
fn forward_content() {
    let f: ForwardContent = data("get_forward_msg.resp.json");
    assert_eq!(f.messages.len(), 1);
    let m = &f.messages[0];
    assert_eq!(
        (m.message_id, m.user_id, m.time),
        (259029392, 20024, 1754405728)
    );
    assert_eq!(m.real_seq.as_deref(), Some("0"));
    assert_eq!(m.peer(), Peer::Private(20024));
    assert_eq!(m.message.plain_text(), "5678");
}

#[test]
fn essence() {
    let e: Vec<EssenceMessage> = data("get_essence_msg_list.resp.synth.json");
    let e = &e[0];
    assert_eq!((e.msg_seq, e.msg_random), (961680, 1393935651));
    assert_eq!((e.sender_id, e.sender_nick.as_str()), (20002, "TestUser"));
    assert_eq!((e.operator_id, e.operator_nick.as_str()), (20015, "管理员"));
    assert_eq!((e.message_id, e.operator_time), (1814436220, 1764040000));
    assert_eq!(
        e.content.segments(),
        &[Segment::text("怎么每次出节奏玩的都是最后一个知道的")]
    );
}

#[test]
fn notices() {
    let n: Vec<GroupNotice> = data("get_group_notice.resp.synth.json");
    let n = &n[0];
    assert_eq!(n.notice_id, "EXAMPLE_FID_0001");
    assert_eq!((n.sender_id, n.publish_time), (20002, 1764000000));
    assert_eq!(n.text, "公告内容");
    assert_eq!(
        n.images.len(),
        1,
        "images and image hold the same picture once"
    );
    assert_eq!(n.images[0].id, "EXAMPLE_PIC_ID");
    assert_eq!((n.images[0].width, n.images[0].height), (1280, 720));
    assert_eq!(n.read_num, 12);
    assert_eq!(n.settings.confirm_required, 1);
    assert_eq!(n.settings.is_show_edit_card, 0);
    assert!(!n.pinned && !n.for_new_members, "the fixture says neither");
}

#[test]
fn a_pinned_notice_is_known_wherever_the_server_says_so() {
    let read = |v: serde_json::Value| -> GroupNotice { serde_json::from_value(v).expect("notice") };
    // Newer NapCat: beside the settings, with the new-member mark.
    let n = read(serde_json::json!({
        "notice_id": "a", "sender_id": 1, "publish_time": 2,
        "message": {"text": "置顶的", "images": []},
        "pinned": true, "send_to_new_member": true
    }));
    assert!(n.pinned && n.for_new_members);
    // Others: inside the settings, as 0/1.
    let n = read(serde_json::json!({
        "notice_id": "b", "message": {"text": "x"}, "settings": {"pinned": 1}
    }));
    assert!(n.pinned && !n.for_new_members);
}

#[test]
fn root_files() {
    let f: GroupFiles = data("get_group_root_files.resp.synth.json");
    let file = &f.files[0];
    assert_eq!(file.file_id, "/be2a7132-8e06-4aab-b3b6-e063d2f98230");
    assert_eq!((file.file_name.as_str(), file.bytes()), ("1.txt", 3));
    assert_eq!((file.busid, file.download_times), (102, 1));
    assert_eq!((file.upload_time, file.dead_time), (1764000000, 0));
    assert_eq!(
        (file.uploader, file.uploader_name.as_str()),
        (20002, "TestUser")
    );
    let d = &f.folders[0];
    assert_eq!(d.folder_id, "/b2a7c0de-0000-0000-0000-000000000000");
    assert_eq!((d.folder_name.as_str(), d.total_file_count), ("资料", 5));
    assert_eq!((d.creator, d.create_time), (20002, 1760000000));
}

#[test]
fn folder_files() {
    let f: GroupFiles = data("get_group_files_by_folder.resp.synth.json");
    assert!(f.folders.is_empty());
    let file = &f.files[0];
    assert_eq!(
        (file.file_name.as_str(), file.size, file.file_size),
        ("a.pdf", 314743, 314743)
    );
    assert_eq!(file.group_id, 30001);
}

#[test]
fn system_msg() {
    let s: GroupSystemMsg = data("get_group_system_msg.resp.synth.json");
    assert!(s.invited_requests.is_empty());
    let r = &s.join_requests[0];
    assert_eq!(
        r.flag(),
        "1749736849151114",
        "the numeric request_id is the flag, as text"
    );
    assert_eq!((r.invitor_uin, r.invitor_nick.as_str()), (20018, "申请人"));
    assert_eq!((r.group_id, r.group_name.as_str()), (30010, "示例群"));
    assert_eq!(r.message, "问题：你从哪里知道本群\n答案：朋友推荐");
    assert!(!r.checked);
    assert_eq!(r.actor, 0);
}

#[test]
fn honors() {
    let h: GroupHonorInfo = data("get_group_honor_info.resp.synth.json");
    assert_eq!(h.group_id, 30001);
    let t = h.current_talkative.as_ref().unwrap();
    assert_eq!(t.user_id, 20002, "user_id arrives as a string");
    assert_eq!(
        (t.nickname.as_str(), t.description.as_str()),
        ("TestUser", "龙王描述")
    );
    assert_eq!(h.talkative_list.len(), 1);
    assert!(h.performer_list.is_empty() && h.strong_newbie_list.is_empty());
}

#[test]
fn stranger_info() {
    let s: StrangerInfo = data("get_stranger_info.resp.synth.json");
    assert_eq!((s.user_id, s.uid.as_str()), (20025, "u_EXAMPLEUID"));
    assert_eq!(s.nickname, "好友昵称");
    assert_eq!((s.age, s.qq_level, s.sex), (25, 32, Sex::Female));
    assert_eq!(s.long_nick, "签名");
    assert_eq!(s.reg_time, 1400000000);
    assert!(!s.is_vip && !s.is_years_vip);
    assert_eq!((s.status, s.login_days), (10, 0));
}

#[test]
fn status_version_login() {
    let s: Status = data("get_status.resp.json");
    assert!(s.online && s.good);
    let v: VersionInfo = data("get_version_info.resp.synth.json");
    assert_eq!(v.app_name, "NapCat.Onebot");
    assert_eq!(v.protocol_version, "v11");
    assert_eq!(v.app_version, "4.18.19");
    let l: LoginInfo = data("get_login_info.resp.json");
    assert_eq!((l.user_id, l.nickname.as_str()), (10001, "🤖-dev-bot-"));
}

#[test]
fn sends_and_cards() {
    let s: SentMessage = data("send_msg.resp.json");
    assert_eq!(s.message_id, 1494647657);
    let f: ForwardSent = data("send_group_forward_msg.resp.json");
    assert_eq!(
        (f.message_id, f.res_id, f.forward_id),
        (1068502020, None, None)
    );
    let card: ContactArk = data("share_group_card.resp.json");
    assert_eq!(card.err_code, 0);
    assert!(
        card.ark_json
            .starts_with("{\"app\":\"com.tencent.troopsharecard\"")
    );
}

#[test]
fn a_recalled_message_reads_with_an_empty_chain() {
    let m: MessageEvent = data("get_msg.resp.json");
    assert_eq!((m.message_id, m.group_id), (1819430456, Some(30015)));
    assert!(m.message.is_empty());
}
