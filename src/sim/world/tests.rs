//! Behaviour of the simulated world as a client sees it: reply shapes, state changes and the
//! events they cause, validation and permission refusals, history paging, the live stream.

use serde_json::{Value, json};

use super::roster::{GROUP_ADMIN, GROUP_FAMILY, GROUP_INVITED, GROUP_LARGE, GROUP_OWNED};
use super::*;
use crate::onebot::notice::{JoinKind, LeaveKind};
use crate::onebot::{Frame, RequestKind, Segment, faces, parse_frame};

const NOW: i64 = 1_770_000_000;

fn world() -> World {
    World::with_clock(7, NOW)
}

fn call(w: &mut World, action: &str, params: Value) -> Outcome {
    w.handle(action, &params)
}

/// The `data` of a successful reply.
fn data(o: &Outcome) -> Value {
    match &o.reply {
        Ok(Some(v)) => v.clone(),
        other => panic!("expected data, got {other:?}"),
    }
}

fn fail(o: &Outcome) -> (i64, String) {
    match &o.reply {
        Err(e) => e.clone(),
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn notices(o: &Outcome) -> Vec<&NoticeKind> {
    o.events
        .iter()
        .filter_map(|e| match e {
            Event::Notice(n) => Some(&n.kind),
            _ => None,
        })
        .collect()
}

fn sent(o: &Outcome) -> &MessageEvent {
    o.events
        .iter()
        .find_map(|e| match e {
            Event::Message(m) => Some(m.as_ref()),
            _ => None,
        })
        .expect("a message event")
}

/// The first member other than the account with this role.
fn member_with(w: &World, g: i64, role: Role) -> i64 {
    w.group(g)
        .and_then(|gr| {
            gr.members
                .iter()
                .find(|m| m.role == role && m.user_id != w.self_id && !m.is_robot)
        })
        .map(|m| m.user_id)
        .expect("such a member")
}

fn history(w: &mut World, g: i64, params: Value) -> Vec<MessageEvent> {
    let mut p = params;
    p["group_id"] = json!(g);
    let v = data(&call(w, "get_group_msg_history", p));
    serde_json::from_value(v["messages"].clone()).expect("history entries are message events")
}

fn all_history(w: &mut World, g: i64) -> Vec<MessageEvent> {
    history(w, g, json!({"count": 10_000}))
}

// ----- the world itself -----

#[test]
fn same_seed_same_world_and_stream() {
    let mut a = World::with_clock(42, NOW);
    let mut b = World::with_clock(42, NOW);
    assert_eq!(
        all_history(&mut a, GROUP_LARGE),
        all_history(&mut b, GROUP_LARGE)
    );
    for _ in 0..50 {
        assert_eq!(a.live_tick(), b.live_tick());
    }
    let mut c = World::with_clock(43, NOW);
    assert_ne!(
        all_history(&mut a, GROUP_LARGE),
        all_history(&mut c, GROUP_LARGE)
    );
    // The cast does not depend on the seed.
    assert_eq!(a.friends(), c.friends());
    assert_eq!(a.group_where(Role::Owner), c.group_where(Role::Owner));
}

#[test]
fn history_covers_every_segment_type_over_several_days() {
    let mut w = world();
    let msgs = all_history(&mut w, GROUP_OWNED);
    assert!(msgs.len() >= 60);
    let days: std::collections::BTreeSet<i64> = msgs.iter().map(|m| m.time / 86_400).collect();
    assert!(days.len() >= 3, "history spans {} days", days.len());
    assert!(
        msgs.windows(2).all(|p| p[0].time <= p[1].time),
        "old to new"
    );

    let segs: Vec<&Segment> = msgs.iter().flat_map(|m| m.message.0.iter()).collect();
    let has = |f: &dyn Fn(&Segment) -> bool| segs.iter().any(|s| f(s));
    assert!(has(
        &|s| matches!(s, Segment::Text { text } if text.contains('\n'))
    ));
    assert!(has(
        &|s| matches!(s, Segment::Text { text } if text.contains("https://"))
    ));
    assert!(has(
        &|s| matches!(s, Segment::At { target: crate::onebot::AtTarget::User(u), .. } if *u == w.self_id)
    ));
    assert!(has(&|s| matches!(
        s,
        Segment::At {
            target: crate::onebot::AtTarget::All,
            ..
        }
    )));
    assert!(has(
        &|s| matches!(s, Segment::Face { id, .. } if faces::by_id(*id).is_some())
    ));
    assert!(has(&|s| matches!(
        s,
        Segment::Image(i) if i.emoji_id.is_some() && i.emoji_package_id.is_some() && i.key.is_some()
    )));
    assert!(has(&|s| matches!(
        s,
        Segment::Image(i) if i.sub_type == Some(1) && i.summary.as_deref() == Some("[动画表情]")
    )));
    assert!(has(&|s| matches!(
        s,
        Segment::Image(i) if i.sub_type == Some(0) && i.url.is_some()
    )));
    assert!(has(&|s| matches!(s, Segment::Record(_))));
    assert!(has(&|s| matches!(s, Segment::Video(_))));
    assert!(has(&|s| matches!(
        s,
        Segment::File(f) if f.file_id.is_some() && f.file_size.is_some()
    )));
    assert!(has(
        &|s| matches!(s, Segment::Forward { content: Some(c), .. } if !c.is_empty())
    ));
    assert!(has(
        &|s| matches!(s, Segment::Json { data, .. } if data.contains("[QQ小程序]"))
    ));
    assert!(has(
        &|s| matches!(s, Segment::Json { data, .. } if data.contains("jumpUrl"))
    ));
    assert!(has(&|s| matches!(s, Segment::Markdown { .. })));
    assert!(has(&|s| matches!(
        s,
        Segment::Dice {
            result: Some(1..=6),
            ..
        }
    )));
    assert!(has(&|s| matches!(
        s,
        Segment::Rps {
            result: Some(1..=3),
            ..
        }
    )));
    assert!(has(&|s| matches!(s, Segment::Poke { .. })));

    // Replies quote real, earlier messages.
    let ids: Vec<i64> = msgs.iter().map(|m| m.message_id).collect();
    let replies: Vec<(usize, i64)> = msgs
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.message.reply_to().map(|r| (i, r)))
        .collect();
    assert!(!replies.is_empty());
    for (i, r) in replies {
        let at = ids.iter().position(|x| *x == r).expect("quoted id exists");
        assert!(at < i);
    }
    // Own messages come back as message_sent.
    let own: Vec<&MessageEvent> = msgs.iter().filter(|m| m.user_id == w.self_id).collect();
    assert!(!own.is_empty());
    assert!(
        own.iter()
            .all(|m| m.post_type == "message_sent" && m.target_id == Some(GROUP_OWNED))
    );
    // Private chats exist too, with both directions.
    let f = w.friends()[0].user_id;
    let v = data(&call(
        &mut w,
        "get_friend_msg_history",
        json!({"user_id": f, "count": 100}),
    ));
    let pm: Vec<MessageEvent> = serde_json::from_value(v["messages"].clone()).unwrap();
    assert!(pm.iter().all(|m| m.peer() == Peer::Private(f)));
}

#[test]
fn forward_contents_are_retrievable() {
    let mut w = world();
    let msgs = history(
        &mut w,
        GROUP_OWNED,
        json!({"count": 500, "parse_mult_msg": false}),
    );
    let (msg_id, fwd) = msgs
        .iter()
        .find_map(|m| {
            m.message.0.iter().find_map(|s| match s {
                Segment::Forward { id, content, .. } => {
                    assert!(content.is_none(), "not expanded without parse_mult_msg");
                    Some((m.message_id, id.clone()))
                }
                _ => None,
            })
        })
        .expect("a forward in the showcase group");
    let by_id = data(&call(&mut w, "get_forward_msg", json!({"message_id": fwd})));
    let inner: Vec<MessageEvent> = serde_json::from_value(by_id["messages"].clone()).unwrap();
    assert!(inner.len() >= 3);
    // The short id of the carrying message works too.
    let by_msg = data(&call(
        &mut w,
        "get_forward_msg",
        json!({"id": msg_id.to_string()}),
    ));
    assert_eq!(by_id, by_msg);
    assert_eq!(
        fail(&call(&mut w, "get_forward_msg", json!({"message_id": "1"}))).0,
        1200
    );
}

#[test]
fn nested_forwards_come_inline_and_their_ids_are_refused_as_napcat_does() {
    let mut w = world();
    // Somewhere in the seeded forwards one nests another: find it through get_forward_msg.
    let mut found = None;
    for g in w.groups().iter().map(|g| g.group_id).collect::<Vec<_>>() {
        for m in history(&mut w, g, json!({"count": 500, "parse_mult_msg": false})) {
            for s in &m.message.0 {
                let Segment::Forward { id, .. } = s else {
                    continue;
                };
                let v = data(&call(&mut w, "get_forward_msg", json!({"message_id": id})));
                let nodes: Vec<MessageEvent> =
                    serde_json::from_value(v["messages"].clone()).unwrap();
                let inner = nodes.iter().find_map(|n| {
                    n.message.0.iter().find_map(|s| match s {
                        Segment::Forward { id, content, .. } => Some((id.clone(), content.clone())),
                        _ => None,
                    })
                });
                if inner.is_some() {
                    found = inner;
                }
            }
        }
    }
    let (inner_id, content) = found.expect("a nested forward among the seeded ones");
    let content = content.expect("a nested forward comes with its content inline");
    assert!(!content.is_empty());
    // Three deep: the second level holds the third, inline too.
    assert!(content.iter().any(|n| {
        n.message
            .0
            .iter()
            .any(|s| matches!(s, Segment::Forward { content: Some(c), .. } if !c.is_empty()))
    }));
    let (code, why) = fail(&call(
        &mut w,
        "get_forward_msg",
        json!({"message_id": inner_id}),
    ));
    assert_eq!((code, why.as_str()), (1200, "消息已过期或者为内层消息"));
}

#[test]
fn a_temporary_session_send_needs_a_group_both_are_in() {
    let mut w = world();
    let g = w.groups()[0].group_id;
    let me = w.self_id;
    let member = w.groups()[0]
        .members
        .iter()
        .map(|m| m.user_id)
        .find(|u| *u != me)
        .expect("a member");
    let msg = json!([{"type": "text", "data": {"text": "你好"}}]);
    let ok = call(
        &mut w,
        "send_private_msg",
        json!({"user_id": member, "group_id": g, "message": msg}),
    );
    assert!(data(&ok)["message_id"].as_i64().is_some_and(|id| id > 0));
    let other = w
        .groups()
        .iter()
        .find(|gr| gr.member(member).is_none())
        .map(|gr| gr.group_id)
        .expect("a group without them");
    let refused = call(
        &mut w,
        "send_private_msg",
        json!({"user_id": member, "group_id": other, "message": msg}),
    );
    assert_eq!(fail(&refused).0, 1200);
}

// ----- history paging -----

#[test]
fn history_pages_anchor_on_short_ids() {
    let mut w = world();
    let all = all_history(&mut w, GROUP_LARGE);
    let ids: Vec<i64> = all.iter().map(|m| m.message_id).collect();
    let latest = history(&mut w, GROUP_LARGE, json!({"count": 5}));
    assert_eq!(
        latest.iter().map(|m| m.message_id).collect::<Vec<_>>(),
        ids[ids.len() - 5..]
    );
    for zero in [json!(0), json!(""), json!("0")] {
        let page = history(
            &mut w,
            GROUP_LARGE,
            json!({"count": 5, "message_seq": zero}),
        );
        assert_eq!(page, latest);
    }
    let anchor = ids[40];
    let older = history(
        &mut w,
        GROUP_LARGE,
        json!({"count": 10, "message_seq": anchor, "reverse_order": true}),
    );
    assert_eq!(
        older.iter().map(|m| m.message_id).collect::<Vec<_>>(),
        ids[31..=40]
    );
    let older2 = history(
        &mut w,
        GROUP_LARGE,
        json!({"count": 10, "message_seq": anchor.to_string(), "reverseOrder": true}),
    );
    assert_eq!(older, older2);
    let newer = history(
        &mut w,
        GROUP_LARGE,
        json!({"count": 10, "message_seq": anchor, "reverse_order": false}),
    );
    assert_eq!(
        newer.iter().map(|m| m.message_id).collect::<Vec<_>>(),
        ids[40..50]
    );
    // Paging back from the oldest: the anchor comes again and is dropped by the client.
    let first = history(
        &mut w,
        GROUP_LARGE,
        json!({"count": 10, "message_seq": ids[3], "reverse_order": true}),
    );
    assert_eq!(first.len(), 4);

    let missing = call(
        &mut w,
        "get_group_msg_history",
        json!({"group_id": GROUP_LARGE, "message_seq": 12345}),
    );
    assert_eq!(fail(&missing), (1200, "消息12345不存在".to_string()));
}

#[test]
fn history_entries_keep_napcat_fields() {
    let mut w = world();
    let v = data(&call(
        &mut w,
        "get_group_msg_history",
        json!({"group_id": GROUP_ADMIN, "count": 3}),
    ));
    for m in v["messages"].as_array().unwrap() {
        assert_eq!(m["message_id"], m["message_seq"]);
        assert_eq!(m["message_id"], m["real_id"]);
        assert!(m["real_seq"].is_string());
        assert_eq!(m["group_name"], "19级计算机3班");
        assert_eq!(m["message_format"], "array");
        assert_eq!(m["font"], 14);
        assert!(
            m.get("emoji_likes_list").is_none(),
            "only get_msg carries reactions"
        );
    }
}

// ----- sending -----

#[test]
fn sending_echoes_stores_and_answers_with_the_id() {
    let mut w = world();
    let quoted = *w.conversation(Peer::Group(GROUP_LARGE)).last().unwrap();
    let o = call(
        &mut w,
        "send_group_msg",
        json!({"group_id": GROUP_LARGE.to_string(), "message": [
            {"type": "reply", "data": {"id": quoted.to_string()}},
            {"type": "text", "data": {"text": "收到 "}},
            {"type": "face", "data": {"id": "14"}},
            {"type": "face", "data": {"id": "99999"}},
            {"type": "reply", "data": {"id": "1"}},
        ]}),
    );
    let id = data(&o)["message_id"].as_i64().unwrap();
    assert!(id > 0 && id <= i64::from(i32::MAX));
    let echo = sent(&o);
    assert_eq!(echo.message_id, id);
    assert_eq!(echo.post_type, "message_sent");
    assert_eq!(echo.message_sent_type.as_deref(), Some("self"));
    assert_eq!(echo.target_id, Some(GROUP_LARGE));
    assert_eq!(echo.message.reply_to(), Some(quoted));
    assert_eq!(
        echo.message.plain_text(),
        "收到 [微笑]",
        "unknown face and bogus reply dropped"
    );
    assert_eq!(echo.raw_message, echo.message.to_cq());

    let last = history(&mut w, GROUP_LARGE, json!({"count": 1}));
    assert_eq!(last[0].message_id, id);
    let got: MessageEvent =
        serde_json::from_value(data(&call(&mut w, "get_msg", json!({"message_id": id})))).unwrap();
    assert_eq!(got.message, echo.message);

    // A CQ string works, and private chats drop @.
    let f = w.friends()[2].user_id;
    let o = call(
        &mut w,
        "send_private_msg",
        json!({"user_id": f, "message": "[CQ:at,qq=1]你好[CQ:face,id=76]"}),
    );
    assert_eq!(sent(&o).message.plain_text(), "你好[赞]");
    assert_eq!(sent(&o).peer(), Peer::Private(f));
}

#[test]
fn a_send_that_ends_up_empty_fails() {
    let mut w = world();
    for message in [
        json!([{"type": "face", "data": {"id": "99999"}}]),
        json!([{"type": "xml", "data": {"data": "<x/>"}}]),
        json!([]),
    ] {
        let o = call(
            &mut w,
            "send_group_msg",
            json!({"group_id": GROUP_OWNED, "message": message}),
        );
        let (code, msg) = fail(&o);
        assert_eq!(code, 1200);
        assert!(msg.starts_with("消息体无法解析"));
        assert!(o.events.is_empty());
    }
}

#[test]
fn send_msg_routes_like_napcat() {
    let mut w = world();
    let f = w.friends()[0].user_id;
    let o = call(
        &mut w,
        "send_msg",
        json!({"message_type": "private", "user_id": f, "message": "hi"}),
    );
    assert_eq!(sent(&o).peer(), Peer::Private(f));
    let o = call(
        &mut w,
        "send_msg",
        json!({"group_id": GROUP_FAMILY, "user_id": f, "message": "hi"}),
    );
    assert_eq!(sent(&o).peer(), Peer::Group(GROUP_FAMILY));
    let o = call(
        &mut w,
        "send_msg",
        json!({"message_type": "private", "group_id": GROUP_FAMILY, "message": "hi"}),
    );
    assert!(fail(&o).1.contains("请指定 user_id"));
    let o = call(&mut w, "send_msg", json!({"message": "hi"}));
    assert_eq!(fail(&o).0, 1200);
    let o = call(
        &mut w,
        "send_group_msg",
        json!({"group_id": 1, "message": "hi"}),
    );
    assert_eq!(fail(&o).0, 1200);
}

#[test]
fn merged_forwards_send_a_card_and_keep_their_content() {
    let mut w = world();
    let existing = w.conversation(Peer::Group(GROUP_OWNED))[10];
    let o = call(
        &mut w,
        "send_group_forward_msg",
        json!({"group_id": GROUP_OWNED, "messages": [
            {"type": "node", "data": {"user_id": "20019", "nickname": "人", "content": [{"type": "text", "data": {"text": "你好"}}]}},
            {"type": "node", "data": {"id": existing.to_string()}},
        ], "prompt": "prompt", "summary": "summary"}),
    );
    let d = data(&o);
    let res = d["res_id"].as_str().unwrap().to_string();
    assert_eq!(d["forward_id"], d["res_id"]);
    assert!(d["message_id"].as_i64().unwrap() > 0);
    let card = match &sent(&o).message.0[..] {
        [Segment::Json { data, .. }] => data.clone(),
        other => panic!("expected a multimsg card, got {other:?}"),
    };
    assert!(
        card.contains("com.tencent.multimsg") && card.contains(&res) && card.contains("summary")
    );
    let content = data(&call(&mut w, "get_forward_msg", json!({"message_id": res})));
    let inner: Vec<MessageEvent> = serde_json::from_value(content["messages"].clone()).unwrap();
    assert_eq!(inner.len(), 2);
    assert_eq!(inner[0].sender.nickname, "人");
    assert_eq!(inner[0].message.plain_text(), "你好");

    let mixed = call(
        &mut w,
        "send_group_msg",
        json!({"group_id": GROUP_OWNED, "message": [
        {"type": "node", "data": {"id": existing.to_string()}}, {"type": "text", "data": {"text": "x"}}]}),
    );
    assert_eq!(fail(&mixed).0, 1400);
    let o = call(
        &mut w,
        "forward_group_single_msg",
        json!({"group_id": GROUP_FAMILY, "message_id": existing}),
    );
    assert_eq!(o.reply, Ok(Some(Value::Null)));
    assert_eq!(sent(&o).peer(), Peer::Group(GROUP_FAMILY));
}

// ----- recall, reactions, pokes -----

#[test]
fn recall_marks_the_message_and_notifies() {
    let mut w = world();
    let o = call(
        &mut w,
        "send_group_msg",
        json!({"group_id": GROUP_LARGE, "message": "oops"}),
    );
    let id = data(&o)["message_id"].as_i64().unwrap();
    let o = call(&mut w, "delete_msg", json!({"message_id": id}));
    assert_eq!(o.reply, Ok(None));
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupRecall { message_id, operator_id, .. }] if *message_id == id && *operator_id == w.self_id)
    );
    let v = data(&call(&mut w, "get_msg", json!({"message_id": id})));
    assert_eq!(v["message"], json!([]));
    assert_eq!(v["raw_message"], "");
    assert_eq!(
        fail(&call(&mut w, "delete_msg", json!({"message_id": id}))).0,
        1200
    );

    // A plain member cannot recall others; an admin can recall members.
    let others = w
        .conversation(Peer::Group(GROUP_LARGE))
        .into_iter()
        .find(|id| w.message(*id).unwrap().event.user_id != w.self_id)
        .unwrap();
    assert_eq!(
        fail(&call(&mut w, "delete_msg", json!({"message_id": others}))).0,
        1200
    );
    let by_member = w
        .conversation(Peer::Group(GROUP_ADMIN))
        .into_iter()
        .find(|id| {
            let author = w.message(*id).unwrap().event.user_id;
            w.member(GROUP_ADMIN, author)
                .is_some_and(|m| m.role == Role::Member)
                && author != w.self_id
        })
        .unwrap();
    let o = call(&mut w, "delete_msg", json!({"message_id": by_member}));
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupRecall { user_id, .. }] if *user_id != w.self_id)
    );
    // In private chats only one's own messages.
    let f = w.friends()[0].user_id;
    let theirs = w
        .conversation(Peer::Private(f))
        .into_iter()
        .find(|id| w.message(*id).unwrap().event.user_id == f)
        .unwrap();
    assert_eq!(
        fail(&call(&mut w, "delete_msg", json!({"message_id": theirs}))).0,
        1200
    );
    let o = call(
        &mut w,
        "send_private_msg",
        json!({"user_id": f, "message": "撤回我"}),
    );
    let mine = data(&o)["message_id"].as_i64().unwrap();
    let o = call(&mut w, "delete_msg", json!({"message_id": mine}));
    assert!(matches!(notices(&o)[..], [NoticeKind::FriendRecall { user_id, .. }] if *user_id == f));
}

#[test]
fn reactions_count_in_get_msg_and_notify() {
    let mut w = world();
    let id = w
        .conversation(Peer::Group(GROUP_ADMIN))
        .into_iter()
        .rev()
        .find(|id| w.message(*id).unwrap().likes.is_empty())
        .unwrap();
    let o = call(
        &mut w,
        "set_msg_emoji_like",
        json!({"message_id": id, "emoji_id": "128522"}),
    );
    assert_eq!(data(&o)["result"], 0);
    let n = notices(&o);
    assert!(
        matches!(n[..], [NoticeKind::GroupMsgEmojiLike { message_id: Some(m), is_add: Some(true), likes, .. }]
        if *m == id && likes[0].emoji_id == "128522")
    );
    let v = data(&call(&mut w, "get_msg", json!({"message_id": id})));
    let list = v["emoji_likes_list"].as_array().unwrap();
    let e = list.iter().find(|e| e["emoji_id"] == "128522").unwrap();
    assert_eq!(e["likes_cnt"], "1");
    assert_eq!(e["emoji_type"], "2");
    let likers = data(&call(
        &mut w,
        "get_emoji_likes",
        json!({"message_id": id, "emoji_id": "128522"}),
    ));
    assert_eq!(
        likers["emoji_like_list"][0]["user_id"],
        w.self_id.to_string()
    );

    let o = call(
        &mut w,
        "set_msg_emoji_like",
        json!({"message_id": id, "emoji_id": "128522", "set": "false"}),
    );
    assert!(matches!(
        notices(&o)[..],
        [NoticeKind::GroupMsgEmojiLike {
            is_add: Some(false),
            ..
        }]
    ));
    let v = data(&call(&mut w, "get_msg", json!({"message_id": id})));
    assert!(
        !v["emoji_likes_list"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["emoji_id"] == "128522")
    );
    assert_eq!(
        fail(&call(
            &mut w,
            "set_msg_emoji_like",
            json!({"message_id": 5, "emoji_id": "76"})
        ))
        .1,
        "msg not found"
    );
}

#[test]
fn pokes_carry_gray_tip_items() {
    let mut w = world();
    let target = member_with(&w, GROUP_LARGE, Role::Member);
    let o = call(
        &mut w,
        "group_poke",
        json!({"group_id": GROUP_LARGE, "user_id": target}),
    );
    assert_eq!(o.reply, Ok(None));
    match notices(&o)[..] {
        [
            NoticeKind::Poke {
                group_id: Some(g),
                user_id,
                target_id,
                raw_info,
                action,
                ..
            },
        ] => {
            assert_eq!((*g, *user_id, *target_id), (GROUP_LARGE, w.self_id, target));
            assert_eq!(action, "戳了戳");
            assert!(
                raw_info
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i["type"] == "nor" && i.get("txt").is_some())
            );
        }
        ref other => panic!("{other:?}"),
    }
    let f = w.friends()[1].user_id;
    let o = call(&mut w, "friend_poke", json!({"user_id": f}));
    assert!(
        matches!(notices(&o)[..], [NoticeKind::Poke { group_id: None, sender_id: Some(s), user_id, .. }] if *s == w.self_id && *user_id == f)
    );
    assert_eq!(
        fail(&call(
            &mut w,
            "group_poke",
            json!({"group_id": GROUP_LARGE, "user_id": 5})
        ))
        .0,
        1200
    );
}

// ----- moderation -----

#[test]
fn bans_follow_roles_and_notify() {
    let mut w = world();
    let member = member_with(&w, GROUP_ADMIN, Role::Member);
    let o = call(
        &mut w,
        "set_group_ban",
        json!({"group_id": GROUP_ADMIN, "user_id": member, "duration": "600"}),
    );
    assert_eq!(o.reply, Ok(Some(Value::Null)));
    assert_eq!(
        w.member(GROUP_ADMIN, member).unwrap().shut_up_timestamp,
        NOW + 600
    );
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupBan { lift: false, duration: 600, user_id, .. }] if *user_id == member)
    );
    let shut = data(&call(
        &mut w,
        "get_group_shut_list",
        json!({"group_id": GROUP_ADMIN}),
    ));
    let entry = shut
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uin"].as_str() == Some(member.to_string().as_str()))
        .unwrap();
    assert_eq!(entry["role"], 2);
    assert_eq!(entry["shutUpTime"], NOW + 600);

    let o = call(
        &mut w,
        "set_group_ban",
        json!({"group_id": GROUP_ADMIN, "user_id": member, "duration": 0}),
    );
    assert!(matches!(
        notices(&o)[..],
        [NoticeKind::GroupBan {
            lift: true,
            duration: 0,
            ..
        }]
    ));
    assert_eq!(w.member(GROUP_ADMIN, member).unwrap().shut_up_timestamp, 0);

    let owner = member_with(&w, GROUP_ADMIN, Role::Owner);
    let admin = member_with(&w, GROUP_ADMIN, Role::Admin);
    for target in [owner, admin] {
        let o = call(
            &mut w,
            "set_group_ban",
            json!({"group_id": GROUP_ADMIN, "user_id": target, "duration": 60}),
        );
        assert_eq!(fail(&o).0, 1200);
        assert!(o.events.is_empty());
    }
    // As owner, admins can be muted; as a plain member, nobody.
    let admin_owned = member_with(&w, GROUP_OWNED, Role::Admin);
    assert!(
        call(
            &mut w,
            "set_group_ban",
            json!({"group_id": GROUP_OWNED, "user_id": admin_owned, "duration": 60})
        )
        .reply
        .is_ok()
    );
    let someone = member_with(&w, GROUP_LARGE, Role::Member);
    assert_eq!(
        fail(&call(
            &mut w,
            "set_group_ban",
            json!({"group_id": GROUP_LARGE, "user_id": someone, "duration": 60})
        ))
        .0,
        1200
    );
}

#[test]
fn whole_group_mute_toggles_the_flag() {
    let mut w = world();
    let o = call(
        &mut w,
        "set_group_whole_ban",
        json!({"group_id": GROUP_OWNED}),
    );
    assert!(matches!(
        notices(&o)[..],
        [NoticeKind::GroupBan {
            user_id: 0,
            duration: -1,
            lift: false,
            ..
        }]
    ));
    assert_eq!(
        data(&call(
            &mut w,
            "get_group_info",
            json!({"group_id": GROUP_OWNED})
        ))["group_all_shut"],
        -1
    );
    let o = call(
        &mut w,
        "set_group_whole_ban",
        json!({"group_id": GROUP_OWNED, "enable": false}),
    );
    assert!(matches!(
        notices(&o)[..],
        [NoticeKind::GroupBan {
            user_id: 0,
            duration: 0,
            lift: true,
            ..
        }]
    ));
    assert_eq!(
        data(&call(
            &mut w,
            "get_group_info",
            json!({"group_id": GROUP_OWNED})
        ))["group_all_shut"],
        0
    );
    assert_eq!(
        fail(&call(
            &mut w,
            "set_group_whole_ban",
            json!({"group_id": GROUP_LARGE})
        ))
        .0,
        1200
    );
}

#[test]
fn kicks_remove_members() {
    let mut w = world();
    let before = w.group(GROUP_ADMIN).unwrap().members.len();
    let member = member_with(&w, GROUP_ADMIN, Role::Member);
    let o = call(
        &mut w,
        "set_group_kick",
        json!({"group_id": GROUP_ADMIN, "user_id": member, "reject_add_request": "true"}),
    );
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupDecrease { how: LeaveKind::Kick, user_id, .. }] if *user_id == member)
    );
    assert_eq!(w.group(GROUP_ADMIN).unwrap().members.len(), before - 1);
    let info = call(
        &mut w,
        "get_group_member_info",
        json!({"group_id": GROUP_ADMIN, "user_id": member}),
    );
    assert_eq!(
        fail(&info),
        (1200, format!("群({GROUP_ADMIN})成员{member}不存在"))
    );
    let count = data(&call(
        &mut w,
        "get_group_info",
        json!({"group_id": GROUP_ADMIN}),
    ))["member_count"]
        .clone();
    assert_eq!(count, before - 1);

    let admin = member_with(&w, GROUP_ADMIN, Role::Admin);
    assert_eq!(
        fail(&call(
            &mut w,
            "set_group_kick",
            json!({"group_id": GROUP_ADMIN, "user_id": admin})
        ))
        .0,
        1200
    );

    let batch: Vec<i64> = w
        .group(GROUP_OWNED)
        .unwrap()
        .members
        .iter()
        .filter(|m| m.role == Role::Member && m.user_id != w.self_id)
        .take(3)
        .map(|m| m.user_id)
        .collect();
    let o = call(
        &mut w,
        "set_group_kick_members",
        json!({"group_id": GROUP_OWNED, "user_id": batch}),
    );
    assert_eq!(notices(&o).len(), 3);
    assert!(batch.iter().all(|u| w.member(GROUP_OWNED, *u).is_none()));
}

#[test]
fn admin_changes_need_the_owner_and_enable_defaults_to_false() {
    let mut w = world();
    let admin = member_with(&w, GROUP_OWNED, Role::Admin);
    let o = call(
        &mut w,
        "set_group_admin",
        json!({"group_id": GROUP_OWNED, "user_id": admin}),
    );
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupAdmin { set: false, user_id, .. }] if *user_id == admin)
    );
    assert_eq!(w.member(GROUP_OWNED, admin).unwrap().role, Role::Member);
    let o = call(
        &mut w,
        "set_group_admin",
        json!({"group_id": GROUP_OWNED, "user_id": admin, "enable": true}),
    );
    assert!(matches!(
        notices(&o)[..],
        [NoticeKind::GroupAdmin { set: true, .. }]
    ));
    assert_eq!(
        data(&call(
            &mut w,
            "get_group_member_info",
            json!({"group_id": GROUP_OWNED, "user_id": admin})
        ))["role"],
        "admin"
    );
    let member = member_with(&w, GROUP_ADMIN, Role::Member);
    assert_eq!(
        fail(&call(
            &mut w,
            "set_group_admin",
            json!({"group_id": GROUP_ADMIN, "user_id": member, "enable": true})
        ))
        .0,
        1200
    );
}

#[test]
fn cards_titles_and_names_change_and_notify() {
    let mut w = world();
    let member = member_with(&w, GROUP_ADMIN, Role::Member);
    let old = w.member(GROUP_ADMIN, member).unwrap().card.clone();
    let o = call(
        &mut w,
        "set_group_card",
        json!({"group_id": GROUP_ADMIN, "user_id": member, "card": "2019001-张三"}),
    );
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupCard { card_new, card_old, .. }] if card_new == "2019001-张三" && *card_old == old)
    );
    assert_eq!(w.member(GROUP_ADMIN, member).unwrap().card, "2019001-张三");
    let other_admin = member_with(&w, GROUP_ADMIN, Role::Admin);
    assert_eq!(
        fail(&call(
            &mut w,
            "set_group_card",
            json!({"group_id": GROUP_ADMIN, "user_id": other_admin, "card": "x"})
        ))
        .0,
        1200
    );

    let plain = member_with(&w, GROUP_OWNED, Role::Member);
    let o = call(
        &mut w,
        "set_group_special_title",
        json!({"group_id": GROUP_OWNED, "user_id": plain, "special_title": "球王"}),
    );
    assert_eq!(o.reply, Ok(None));
    assert!(matches!(notices(&o)[..], [NoticeKind::Title { title, .. }] if title == "球王"));
    assert_eq!(
        fail(&call(
            &mut w,
            "set_group_special_title",
            json!({"group_id": GROUP_ADMIN, "user_id": member, "special_title": "x"})
        ))
        .0,
        1200
    );

    let o = call(
        &mut w,
        "set_group_name",
        json!({"group_id": GROUP_ADMIN, "group_name": "计算机3班（毕业版）"}),
    );
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupName { name_new, user_id, .. }] if name_new == "计算机3班（毕业版）" && *user_id == w.self_id)
    );
    let list = data(&call(&mut w, "get_group_list", json!({})));
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|g| g["group_name"] == "计算机3班（毕业版）")
    );
    assert_eq!(
        fail(&call(
            &mut w,
            "set_group_name",
            json!({"group_id": GROUP_LARGE, "group_name": "x"})
        ))
        .0,
        1200
    );
}

#[test]
fn essence_is_listed_added_and_removed() {
    let mut w = world();
    let list = data(&call(
        &mut w,
        "get_essence_msg_list",
        json!({"group_id": GROUP_ADMIN}),
    ));
    assert!(!list.as_array().unwrap().is_empty());
    let id = *w.conversation(Peer::Group(GROUP_ADMIN)).last().unwrap();
    let o = call(&mut w, "set_essence_msg", json!({"message_id": id}));
    assert!(
        matches!(notices(&o)[..], [NoticeKind::Essence { removed: false, message_id, .. }] if *message_id == id)
    );
    let list = data(&call(
        &mut w,
        "get_essence_msg_list",
        json!({"group_id": GROUP_ADMIN}),
    ));
    let entry = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["message_id"] == id)
        .unwrap()
        .clone();
    assert_eq!(entry["operator_id"], w.self_id);
    assert!(entry["content"].is_array());
    let o = call(&mut w, "delete_essence_msg", json!({"message_id": id}));
    assert!(matches!(
        notices(&o)[..],
        [NoticeKind::Essence { removed: true, .. }]
    ));
    let list = data(&call(
        &mut w,
        "get_essence_msg_list",
        json!({"group_id": GROUP_ADMIN}),
    ));
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["message_id"] == id)
    );
    let large = *w.conversation(Peer::Group(GROUP_LARGE)).last().unwrap();
    assert_eq!(
        fail(&call(
            &mut w,
            "set_essence_msg",
            json!({"message_id": large})
        ))
        .0,
        1200
    );
}

#[test]
fn leaving_a_group_removes_it() {
    let mut w = world();
    let o = call(&mut w, "set_group_leave", json!({"group_id": GROUP_FAMILY}));
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupDecrease { how: LeaveKind::Leave, user_id, .. }] if *user_id == w.self_id)
    );
    assert!(w.group(GROUP_FAMILY).is_none());
    assert!(w.conversation(Peer::Group(GROUP_FAMILY)).is_empty());
    assert_eq!(
        fail(&call(
            &mut w,
            "get_group_info",
            json!({"group_id": GROUP_FAMILY})
        ))
        .0,
        1200
    );
    assert_eq!(
        fail(&call(
            &mut w,
            "set_group_leave",
            json!({"group_id": GROUP_OWNED})
        ))
        .0,
        1200
    );
    let o = call(
        &mut w,
        "set_group_leave",
        json!({"group_id": GROUP_OWNED, "is_dismiss": true}),
    );
    assert!(matches!(
        notices(&o)[..],
        [NoticeKind::GroupDecrease {
            how: LeaveKind::Disband,
            ..
        }]
    ));
}

// ----- requests -----

#[test]
fn join_requests_and_invitations_round_trip() {
    let mut w = world();
    let sys = data(&call(&mut w, "get_group_system_msg", json!({"count": 50})));
    let join = sys["join_requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group_id"] == GROUP_OWNED)
        .unwrap()
        .clone();
    let flag = join["request_id"].to_string();
    let applicant = join["invitor_uin"].as_i64().unwrap();
    assert_eq!(sys["invited_requests"], sys["InvitedRequest"]);

    let o = call(
        &mut w,
        "set_group_add_request",
        json!({"flag": flag, "approve": true}),
    );
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupIncrease { how: JoinKind::Approve, user_id, .. }] if *user_id == applicant)
    );
    assert!(w.member(GROUP_OWNED, applicant).is_some());
    assert_eq!(
        fail(&call(
            &mut w,
            "set_group_add_request",
            json!({"flag": flag})
        )),
        (1200, "No such request".into())
    );

    let invite = w
        .pending_requests()
        .iter()
        .find(|r| matches!(r.kind, RequestKind::GroupInvite { .. }))
        .unwrap()
        .flag
        .clone();
    let o = call(
        &mut w,
        "set_group_add_request",
        json!({"flag": invite, "approve": "true"}),
    );
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupIncrease { how: JoinKind::Invite, group_id, .. }] if *group_id == GROUP_INVITED)
    );
    assert!(w.group(GROUP_INVITED).is_some());

    // Rejecting removes the request without a member.
    let other = w
        .pending_requests()
        .iter()
        .find(|r| matches!(r.kind, RequestKind::GroupAdd { .. }) && !r.doubt)
        .unwrap()
        .clone();
    let o = call(
        &mut w,
        "set_group_add_request",
        json!({"flag": other.flag, "approve": false, "reason": "不认识"}),
    );
    assert!(o.events.is_empty());
    assert!(!w.pending_requests().iter().any(|r| r.flag == other.flag));
    let ignored = data(&call(&mut w, "get_group_ignored_notifies", json!({})));
    assert_eq!(ignored["join_requests"].as_array().unwrap().len(), 1);
}

#[test]
fn friend_requests_round_trip() {
    let mut w = world();
    let req = w
        .pending_requests()
        .iter()
        .find(|r| r.kind == RequestKind::Friend && !r.doubt)
        .unwrap()
        .clone();
    let o = call(
        &mut w,
        "set_friend_add_request",
        json!({"flag": req.flag, "approve": true, "remark": "羽毛球 Alice"}),
    );
    assert_eq!(o.reply, Ok(None));
    assert!(
        matches!(notices(&o)[..], [NoticeKind::FriendAdd { user_id }] if *user_id == req.user_id)
    );
    let friends = data(&call(&mut w, "get_friend_list", json!({})));
    assert!(
        friends
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["user_id"] == req.user_id && f["remark"] == "羽毛球 Alice")
    );
    assert_eq!(
        fail(&call(
            &mut w,
            "set_friend_add_request",
            json!({"flag": req.flag})
        ))
        .1,
        "No such request"
    );

    let doubt = data(&call(
        &mut w,
        "get_doubt_friends_add_request",
        json!({"count": 10}),
    ));
    let flag = doubt[0]["flag"].as_str().unwrap().to_string();
    let o = call(
        &mut w,
        "set_doubt_friends_add_request",
        json!({"flag": flag, "approve": false}),
    );
    assert!(matches!(notices(&o)[..], [NoticeKind::FriendAdd { .. }]));
}

// ----- announcements and files -----

#[test]
fn announcements_are_posted_listed_and_deleted() {
    let mut w = world();
    let o = call(
        &mut w,
        "_send_group_notice",
        json!({"group_id": GROUP_ADMIN, "content": "周五交作业", "image": "base64://AAAA", "pinned": 1}),
    );
    assert_eq!(o.reply, Ok(None));
    let list = data(&call(
        &mut w,
        "_get_group_notice",
        json!({"group_id": GROUP_ADMIN}),
    ));
    let n = list
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["message"]["text"] == "周五交作业")
        .unwrap()
        .clone();
    assert_eq!(n["sender_id"], w.self_id);
    assert_eq!(n["message"]["images"].as_array().unwrap().len(), 1);
    assert!(n["notice_id"].is_string() && n["read_num"].is_number());
    let id = n["notice_id"].as_str().unwrap().to_string();
    assert!(
        call(
            &mut w,
            "_del_group_notice",
            json!({"group_id": GROUP_ADMIN, "notice_id": id})
        )
        .reply
        .is_ok()
    );
    let list = data(&call(
        &mut w,
        "_get_group_notice",
        json!({"group_id": GROUP_ADMIN}),
    ));
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["notice_id"] == id)
    );
    assert_eq!(
        fail(&call(
            &mut w,
            "_send_group_notice",
            json!({"group_id": GROUP_LARGE, "content": "x"})
        ))
        .0,
        1200
    );
}

#[test]
fn the_file_tree_changes() {
    let mut w = world();
    let root = data(&call(
        &mut w,
        "get_group_root_files",
        json!({"group_id": GROUP_ADMIN}),
    ));
    let folders = root["folders"].as_array().unwrap().len();
    let files = root["files"].as_array().unwrap().len();
    assert!(folders >= 1 && files >= 1);
    assert_eq!(
        root["folders"][0]["folder"],
        root["folders"][0]["folder_id"]
    );

    let o = call(
        &mut w,
        "upload_group_file",
        json!({"group_id": GROUP_ADMIN, "file": "base64://aGVsbG8=", "name": "作业.txt"}),
    );
    let file_id = data(&o)["file_id"].as_str().unwrap().to_string();
    assert!(
        matches!(notices(&o)[..], [NoticeKind::GroupUpload { file, .. }] if file.id == file_id && file.name == "作业.txt" && file.size == 5)
    );
    assert!(matches!(sent(&o).message.0[..], [Segment::File(_)]));
    let root = data(&call(
        &mut w,
        "get_group_root_files",
        json!({"group_id": GROUP_ADMIN}),
    ));
    assert_eq!(root["files"].as_array().unwrap().len(), files + 1);
    let url = data(&call(
        &mut w,
        "get_group_file_url",
        json!({"group_id": GROUP_ADMIN, "file_id": file_id}),
    ));
    assert!(url["url"].as_str().unwrap().starts_with("https://"));

    let created = data(&call(
        &mut w,
        "create_group_file_folder",
        json!({"group_id": GROUP_ADMIN, "folder_name": "新建文件夹"}),
    ));
    let folder = created["groupItem"]["folderInfo"]["folderId"]
        .as_str()
        .unwrap()
        .to_string();
    let o = call(
        &mut w,
        "upload_group_file",
        json!({"group_id": GROUP_ADMIN, "file": "/tmp/a.pdf", "name": "a.pdf", "folder_id": folder}),
    );
    assert!(o.reply.is_ok());
    let inside = data(&call(
        &mut w,
        "get_group_files_by_folder",
        json!({"group_id": GROUP_ADMIN, "folder_id": folder, "file_count": 50}),
    ));
    assert_eq!(inside["files"][0]["file_name"], "a.pdf");
    assert_eq!(inside["folders"], json!([]));

    assert!(
        call(
            &mut w,
            "delete_group_file",
            json!({"group_id": GROUP_ADMIN, "file_id": file_id})
        )
        .reply
        .is_ok()
    );
    assert!(
        call(
            &mut w,
            "delete_group_folder",
            json!({"group_id": GROUP_ADMIN, "folder_id": folder})
        )
        .reply
        .is_ok()
    );
    let root = data(&call(
        &mut w,
        "get_group_root_files",
        json!({"group_id": GROUP_ADMIN}),
    ));
    assert_eq!(root["files"].as_array().unwrap().len(), files);
    assert_eq!(root["folders"].as_array().unwrap().len(), folders);
    let info = data(&call(
        &mut w,
        "get_group_file_system_info",
        json!({"group_id": GROUP_ADMIN}),
    ));
    assert!(info["file_count"].as_i64().unwrap() >= files as i64);
    assert_eq!(
        fail(&call(
            &mut w,
            "create_group_file_folder",
            json!({"group_id": GROUP_LARGE, "folder_name": "x"})
        ))
        .0,
        1200
    );
}

// ----- reads and their shapes -----

#[test]
fn read_shapes_keep_napcat_quirks() {
    let mut w = world();
    let recent = data(&call(&mut w, "get_recent_contact", json!({"count": 5})));
    let recent = recent.as_array().unwrap();
    assert_eq!(recent.len(), 5);
    for r in recent {
        let m: MessageEvent = serde_json::from_value(r["lastestMsg"].clone()).unwrap();
        assert_eq!(r["peerUin"], m.peer().id().to_string());
        assert!(r["msgTime"].is_string() && r["chatType"].is_number());
    }
    let honors = data(&call(
        &mut w,
        "get_group_honor_info",
        json!({"group_id": GROUP_LARGE}),
    ));
    assert!(honors["current_talkative"]["user_id"].is_string());
    assert!(honors["talkative_list"][0]["user_id"].is_string());

    let me = w.self_id.to_string();
    let member = data(&call(
        &mut w,
        "get_group_member_info",
        json!({"group_id": GROUP_LARGE, "user_id": me}),
    ));
    assert_eq!(member["role"], "member");
    assert!(member["level"].is_string());
    let members = data(&call(
        &mut w,
        "get_group_member_list",
        json!({"group_id": GROUP_LARGE}),
    ));
    assert!(members.as_array().unwrap().len() > 300);
    let muted = members
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["shut_up_timestamp"].as_i64().unwrap() > NOW)
        .count();
    assert!(muted >= 1);

    let at_all = data(&call(
        &mut w,
        "get_group_at_all_remain",
        json!({"group_id": GROUP_OWNED}),
    ));
    assert_eq!(at_all["can_at_all"], true);
    let cats = data(&call(&mut w, "get_friends_with_category", json!({})));
    let total: usize = cats
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["buddyList"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, w.friends().len());
    assert_eq!(
        data(&call(&mut w, "get_login_info", json!({})))["user_id"],
        w.self_id
    );
    let f = w.friends()[0].user_id;
    let stranger = data(&call(&mut w, "get_stranger_info", json!({"user_id": f})));
    assert!(stranger["uid"].as_str().unwrap().starts_with("u_"));
    assert_eq!(
        call(&mut w, "nc_get_packet_status", json!({})).reply,
        Ok(None)
    );
    assert_eq!(
        data(&call(&mut w, "get_version_info", json!({})))["app_name"],
        "NapCat.Onebot"
    );
}

#[test]
fn media_tokens_resolve() {
    let mut w = world();
    let msgs = all_history(&mut w, GROUP_OWNED);
    let token = msgs
        .iter()
        .flat_map(|m| m.message.0.iter())
        .find_map(|s| match s {
            Segment::Image(i) if i.sub_type == Some(0) => Some(i.file.clone()),
            _ => None,
        })
        .unwrap();
    let img = data(&call(&mut w, "get_image", json!({"file": token})));
    assert!(
        img["url"]
            .as_str()
            .unwrap()
            .contains("multimedia.nt.qq.com.cn")
    );
    assert!(img["file_size"].is_string());
    let voice = msgs
        .iter()
        .flat_map(|m| m.message.0.iter())
        .find_map(|s| match s {
            Segment::Record(r) => Some(r.file.clone()),
            _ => None,
        });
    let voice = voice.unwrap();
    assert_eq!(
        fail(&call(&mut w, "get_record", json!({"file": voice}))).0,
        1400,
        "out_format is required"
    );
    let rec = data(&call(
        &mut w,
        "get_record",
        json!({"file": voice, "out_format": "mp3"}),
    ));
    assert!(rec["file"].as_str().unwrap().ends_with(".mp3"));
}

// ----- validation -----

#[test]
fn validation_matches_napcat() {
    let mut w = world();
    let (code, msg) = fail(&call(&mut w, "set_group_ban", json!({})));
    assert_eq!(code, 1400);
    assert!(msg.contains("group_id") && msg.contains("user_id"));
    assert_eq!(
        fail(&call(&mut w, "no_such_action", json!({}))),
        (1404, "不支持的API no_such_action".into())
    );
    assert_eq!(
        fail(&call(&mut w, "get_group_info", json!({"group_id": 123}))).0,
        1200
    );
    assert_eq!(
        fail(&call(&mut w, "get_msg", json!({"message_id": 42}))),
        (1200, "消息不存在".into())
    );
    assert_eq!(
        fail(&call(
            &mut w,
            "get_group_member_list",
            json!({"group_id": "x"})
        ))
        .0,
        1400
    );
    // Params that are not an object read as empty.
    assert_eq!(fail(&call(&mut w, "get_group_info", json!("oops"))).0, 1400);
    assert!(
        call(
            &mut w,
            "get_group_info",
            json!({"group_id": GROUP_OWNED.to_string()})
        )
        .reply
        .is_ok()
    );
}

#[test]
fn actions_without_data_key() {
    let mut w = world();
    let f = w.friends()[0].user_id;
    assert_eq!(
        call(&mut w, "send_like", json!({"user_id": f, "times": 5})).reply,
        Ok(None)
    );
    assert_eq!(
        fail(&call(
            &mut w,
            "send_like",
            json!({"user_id": f, "times": 6})
        ))
        .0,
        1200,
        "daily limit"
    );
    assert_eq!(
        call(&mut w, "set_group_sign", json!({"group_id": GROUP_LARGE})).reply,
        Ok(None)
    );
    let ctx = serde_json::to_value(
        &w.message(*w.conversation(Peer::Group(GROUP_LARGE)).last().unwrap())
            .unwrap()
            .event,
    )
    .unwrap();
    let o = call(
        &mut w,
        ".handle_quick_operation",
        json!({"context": ctx, "operation": {"reply": "好的"}}),
    );
    assert_eq!(o.reply, Ok(None));
    assert!(sent(&o).message.plain_text().ends_with("好的"));
    assert!(
        sent(&o)
            .message
            .0
            .iter()
            .any(|s| matches!(s, Segment::At { .. })),
        "at_sender defaults to true"
    );
}

/// Every action of the protocol reference's section 5 (and the extras) is known.
#[test]
fn every_reference_action_is_supported() {
    const ACTIONS: &[&str] = &[
        "send_group_msg",
        "send_private_msg",
        "send_msg",
        "send_group_forward_msg",
        "send_private_forward_msg",
        "send_forward_msg",
        "forward_friend_single_msg",
        "forward_group_single_msg",
        "send_poke",
        "group_poke",
        "friend_poke",
        "send_group_ai_record",
        "get_msg",
        "delete_msg",
        "get_group_msg_history",
        "get_friend_msg_history",
        "get_recent_contact",
        "get_forward_msg",
        "mark_msg_as_read",
        "mark_group_msg_as_read",
        "mark_private_msg_as_read",
        "_mark_all_as_read",
        "set_msg_emoji_like",
        "fetch_emoji_like",
        "get_image",
        "get_record",
        "get_file",
        "set_qq_profile",
        "ArkSharePeer",
        "send_ark_share",
        "ArkShareGroup",
        "send_group_ark_share",
        "set_online_status",
        "get_friends_with_category",
        "set_qq_avatar",
        "send_like",
        "create_collection",
        "set_friend_add_request",
        "set_self_longnick",
        "get_stranger_info",
        "get_friend_list",
        "get_profile_like",
        "fetch_custom_face",
        "upload_private_file",
        "delete_friend",
        "nc_get_user_status",
        "get_mini_app_ark",
        "get_login_info",
        "set_input_status",
        "set_group_kick",
        "set_group_kick_members",
        "set_group_ban",
        "get_group_system_msg",
        "get_essence_msg_list",
        "set_group_whole_ban",
        "set_group_portrait",
        "set_group_admin",
        "set_essence_msg",
        "delete_essence_msg",
        "set_group_card",
        "set_group_name",
        "set_group_leave",
        "_send_group_notice",
        "_get_group_notice",
        "_del_group_notice",
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
        "get_ai_record",
        "get_group_shut_list",
        "get_clientkey",
        "get_robot_uin_range",
        "ocr_image",
        ".ocr_image",
        "translate_en2zh",
        "download_file",
        "get_cookies",
        ".handle_quick_operation",
        "get_csrf_token",
        "get_credentials",
        "_get_model_show",
        "can_send_image",
        "can_send_record",
        "nc_get_packet_status",
        "get_status",
        "nc_get_rkey",
        "get_version_info",
        "get_group_detail_info",
        "set_friend_remark",
        "set_group_remark",
        "get_emoji_likes",
        "get_private_file_url",
        "get_doubt_friends_add_request",
        "get_unidirectional_friend_list",
        "get_online_clients",
    ];
    let mut w = world();
    for a in ACTIONS {
        let o = call(&mut w, a, json!({}));
        assert!(!matches!(o.reply, Err((1404, _))), "{a} is unknown");
    }
}

// ----- events on the wire -----

/// Every event the world emits reads back as the same typed event.
fn assert_round_trips(events: &[Event]) {
    for e in events {
        let text = e.to_json().to_string();
        match parse_frame(&text) {
            Ok(Frame::Event(back)) => assert_eq!(&back, e, "{text}"),
            other => panic!("{text} parsed as {other:?}"),
        }
        if let Event::Notice(n) = e {
            assert!(!matches!(n.kind, NoticeKind::Unknown(_)), "{text}");
        }
    }
}

#[test]
fn the_live_stream_is_gentle_varied_and_well_formed() {
    let mut w = world();
    let mut events = Vec::new();
    let mut per_tick = Vec::new();
    for _ in 0..400 {
        let batch = w.live_tick();
        per_tick.push(batch.len());
        events.extend(batch);
    }
    assert!(per_tick.iter().all(|n| (1..=2).contains(n)));
    assert!(per_tick.iter().filter(|n| **n == 1).count() > 350);
    assert_round_trips(&events);

    let messages: Vec<&MessageEvent> = events
        .iter()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m.as_ref()),
            _ => None,
        })
        .collect();
    assert!(messages.len() > 200);
    assert!(
        messages
            .iter()
            .any(|m| m.message.mentions(w.self_id, false))
    );
    assert!(messages.iter().any(|m| m.message.reply_to().is_some()));
    assert!(messages.iter().any(|m| !m.peer().is_group()));
    let groups: std::collections::BTreeSet<i64> =
        messages.iter().filter_map(|m| m.group_id).collect();
    assert!(groups.len() >= 4);
    // Live messages are stored, so replies and recalls refer to real ids.
    for m in &messages {
        assert!(w.message(m.message_id).is_some());
    }
    let kinds = |f: &dyn Fn(&NoticeKind) -> bool| {
        events
            .iter()
            .any(|e| matches!(e, Event::Notice(n) if f(&n.kind)))
    };
    assert!(kinds(&|k| matches!(k, NoticeKind::Poke { .. })));
    assert!(kinds(&|k| matches!(
        k,
        NoticeKind::GroupRecall { .. } | NoticeKind::FriendRecall { .. }
    )));
    assert!(kinds(&|k| matches!(
        k,
        NoticeKind::GroupMsgEmojiLike { .. }
    )));
    assert!(kinds(&|k| matches!(
        k,
        NoticeKind::GroupIncrease { .. } | NoticeKind::GroupDecrease { .. }
    )));
    assert!(events.iter().any(|e| matches!(e, Event::Request(_))));
}

#[test]
fn action_events_survive_the_wire() {
    let mut w = world();
    let mut events = Vec::new();
    let member = member_with(&w, GROUP_OWNED, Role::Member);
    let admin = member_with(&w, GROUP_OWNED, Role::Admin);
    let id = *w.conversation(Peer::Group(GROUP_OWNED)).last().unwrap();
    for (a, p) in [
        (
            "send_group_msg",
            json!({"group_id": GROUP_OWNED, "message": [{"type": "at", "data": {"qq": "all"}}, {"type": "text", "data": {"text": " 开会"}}]}),
        ),
        (
            "set_group_ban",
            json!({"group_id": GROUP_OWNED, "user_id": member, "duration": 60}),
        ),
        (
            "set_group_card",
            json!({"group_id": GROUP_OWNED, "user_id": member, "card": "新名片"}),
        ),
        (
            "set_group_admin",
            json!({"group_id": GROUP_OWNED, "user_id": admin, "enable": false}),
        ),
        (
            "set_group_special_title",
            json!({"group_id": GROUP_OWNED, "user_id": member, "special_title": "头衔"}),
        ),
        (
            "set_group_name",
            json!({"group_id": GROUP_OWNED, "group_name": "新群名"}),
        ),
        ("set_essence_msg", json!({"message_id": id})),
        (
            "set_msg_emoji_like",
            json!({"message_id": id, "emoji_id": "76"}),
        ),
        (
            "send_poke",
            json!({"group_id": GROUP_OWNED, "user_id": member}),
        ),
        (
            "upload_group_file",
            json!({"group_id": GROUP_OWNED, "file": "base64://AA==", "name": "x.bin"}),
        ),
        (
            "set_group_whole_ban",
            json!({"group_id": GROUP_OWNED, "enable": true}),
        ),
        ("delete_msg", json!({"message_id": id})),
        (
            "set_group_kick",
            json!({"group_id": GROUP_OWNED, "user_id": member}),
        ),
    ] {
        let o = call(&mut w, a, p);
        assert!(o.reply.is_ok(), "{a}: {:?}", o.reply);
        assert!(!o.events.is_empty(), "{a} emitted nothing");
        events.extend(o.events);
    }
    assert_round_trips(&events);
    assert_eq!(
        data(&call(
            &mut w,
            "get_group_at_all_remain",
            json!({"group_id": GROUP_OWNED})
        ))["remain_at_all_count_for_group"],
        9
    );
}

// ----- benchmarks -----

#[test]
fn flood_messages_carry_their_marker() {
    let mut w = world();
    let g = w.flood_group();
    assert!(w.group(g).is_some_and(|gr| gr.member(w.self_id).is_some()));
    let a = w.flood_message(42);
    let b = w.flood_message(43);
    let (Event::Message(a), Event::Message(b)) = (a, b) else {
        panic!("flood messages are message events")
    };
    assert_eq!(a.group_id, Some(g));
    assert_ne!(a.user_id, w.self_id);
    let text = a.message.plain_text();
    assert!(text.starts_with("PTM000042 "));
    let filler = text.trim_start_matches("PTM000042 ").chars().count();
    assert!((30..=50).contains(&filler), "filler of {filler} chars");
    assert!(text.chars().any(|c| c.is_ascii_alphabetic()) && !text.is_ascii());
    assert_ne!(a.message_id, b.message_id);
    assert!(w.message(b.message_id).is_some());
}

#[test]
fn your_own_message_is_recalled_within_two_minutes_unless_you_manage_the_group() {
    let mut w = world();
    let old_own = |w: &World, peer: Peer| {
        w.conversation(peer).into_iter().find(|id| {
            let e = &w.message(*id).unwrap().event;
            e.user_id == w.self_id && e.time < NOW - crate::onebot::RECALL_WINDOW_SECS
        })
    };
    // A plain member, and a private chat: refused, with QQ's reason.
    assert_eq!(w.self_role(GROUP_LARGE), Role::Member);
    let id = old_own(&w, Peer::Group(GROUP_LARGE)).expect("an old message of yours");
    let (code, msg) = fail(&call(&mut w, "delete_msg", json!({"message_id": id})));
    assert_eq!(code, 1200);
    assert!(msg.contains("2 分钟"), "{msg}");
    let f = w.friends()[0].user_id;
    if let Some(id) = old_own(&w, Peer::Private(f)) {
        assert_eq!(
            fail(&call(&mut w, "delete_msg", json!({"message_id": id}))).0,
            1200
        );
    }
    // An admin recalls their own old message.
    assert_ne!(w.self_role(GROUP_ADMIN), Role::Member);
    let id = old_own(&w, Peer::Group(GROUP_ADMIN)).expect("an old message of yours");
    let o = call(&mut w, "delete_msg", json!({"message_id": id}));
    assert_eq!(o.reply, Ok(None));
}

// ----- the big account -----

#[test]
fn the_big_account_is_as_big_as_a_real_one() {
    use super::roster::{BIG_RECENT, GROUP_HUGE, GROUP_HUGE_2};
    let mut w = World::big_with_clock(7, NOW);
    let cats = data(&call(&mut w, "get_friends_with_category", json!({})));
    let cats = cats.as_array().unwrap();
    assert_eq!(cats.len(), 20);
    let buddies: usize = cats
        .iter()
        .map(|c| c["buddyList"].as_array().map_or(0, |b| b.len()))
        .sum();
    assert_eq!(buddies, 2_000);
    let friends = data(&call(&mut w, "get_friend_list", json!({})));
    assert_eq!(friends.as_array().unwrap().len(), 2_000);
    let groups = data(&call(&mut w, "get_group_list", json!({})));
    assert_eq!(groups.as_array().unwrap().len(), 500);
    for (g, n) in [(GROUP_HUGE, 3_000), (GROUP_HUGE_2, 2_000)] {
        let members = data(&call(
            &mut w,
            "get_group_member_list",
            json!({"group_id": g}),
        ));
        let members = members.as_array().unwrap();
        assert_eq!(members.len(), n, "group {g}");
        let mut ids: Vec<i64> = members
            .iter()
            .map(|m| m["user_id"].as_i64().unwrap())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "members of {g} are distinct");
    }
    let recent = data(&call(&mut w, "get_recent_contact", json!({"count": 1000})));
    assert_eq!(recent.as_array().unwrap().len(), BIG_RECENT);
    // The small account stays as it was.
    let mut small = world();
    let cats = data(&call(&mut small, "get_friends_with_category", json!({})));
    assert_eq!(cats.as_array().unwrap().len(), 4);
}

#[test]
fn new_messages_get_other_ids_in_another_run_while_the_seeded_history_keeps_its_own() {
    let bench = Peer::Group(roster::GROUP_BENCH);
    let mut a = World::build(7, 1_795_000_000, None, false);
    let mut b = World::build(7, 1_795_000_600, None, false);
    assert_eq!(a.conversation(bench), b.conversation(bench));
    let id = |e: Event| match e {
        Event::Message(m) => m.message_id,
        _ => panic!("flood messages are message events"),
    };
    let (x, y) = (id(a.flood_message(0)), id(b.flood_message(0)));
    assert_ne!(x, y, "a later run reused a live message id");
    // With a clock that stands still everything is reproducible.
    let mut c = World::with_clock(7, 1_795_000_000);
    let mut d = World::with_clock(7, 1_795_000_000);
    assert_eq!(id(c.flood_message(0)), id(d.flood_message(0)));
}
