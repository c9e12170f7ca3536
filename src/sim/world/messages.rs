//! Reading and changing existing messages: `get_msg`, histories, recent contacts, forward
//! contents, media tokens, recalls, reactions and read marks.

use serde_json::{Value, json};

use crate::onebot::lenient::value_i64;
use crate::onebot::notice::EmojiLike;
use crate::onebot::{Event, MessageChain, MessageEvent, NoticeKind, Peer, Role, Segment};

use super::World;
use super::params::{Fail, Params, Reply, failed};
use super::store::{Like, StoredMessage};

impl World {
    /// A stored message as NapCat renders it now: current group name and sender card, recalled
    /// messages emptied, forwards expanded when asked.
    pub(super) fn render(&self, m: &StoredMessage, expand_forwards: bool) -> MessageEvent {
        let mut e = m.event.clone();
        if let Peer::Group(g) = m.peer
            && let Some(group) = self.group(g)
        {
            e.group_name = Some(group.name.clone());
            if let Some(member) = group.member(e.user_id) {
                e.sender.card = member.card.clone();
                e.sender.role = Some(member.role);
            }
        }
        if m.recalled {
            e.message = MessageChain::new();
            e.raw_message = String::new();
        } else if expand_forwards {
            for seg in e.message.0.iter_mut() {
                if let Segment::Forward { id, content, .. } = seg
                    && content.is_none()
                {
                    *content = self.store.forward(id).cloned();
                }
            }
        }
        e
    }

    pub(super) fn get_msg(&self, p: &Params) -> Reply {
        let raw = p.value("message_id")?;
        let id = value_i64(raw).unwrap_or(-1);
        if id == 0 || raw.as_str().is_some_and(|s| s.trim().is_empty()) {
            return Err(failed("参数message_id不能为空"));
        }
        let m = self.store.get(id).ok_or_else(|| failed("消息不存在"))?;
        let mut e = self.render(m, true);
        // NapCat rebuilds media links on `get_msg`: they carry the current rkey.
        for seg in &mut e.message.0 {
            let url = match seg {
                crate::onebot::Segment::Image(i) => &mut i.url,
                crate::onebot::Segment::Record(r) => &mut r.url,
                crate::onebot::Segment::Video(v) => &mut v.url,
                _ => continue,
            };
            if let Some(u) = url {
                *u = self.refresh_media_url(u);
            }
        }
        e.emoji_likes_list = m
            .likes
            .iter()
            .filter(|l| !l.users.is_empty())
            .map(|l| crate::onebot::event::EmojiLikeCount {
                emoji_id: l.emoji_id.clone(),
                emoji_type: emoji_type(&l.emoji_id).into(),
                likes_cnt: l.users.len() as i64,
            })
            .collect();
        let mut v = serde_json::to_value(&e).unwrap_or(Value::Null);
        // NapCat always sends the list (possibly empty) and its counts as strings.
        if let Some(o) = v.as_object_mut() {
            let list: Vec<Value> = e
                .emoji_likes_list
                .iter()
                .map(|l| json!({"emoji_id": l.emoji_id, "emoji_type": l.emoji_type, "likes_cnt": l.likes_cnt.to_string()}))
                .collect();
            o.insert("emoji_likes_list".into(), Value::Array(list));
        }
        Ok(Some(v))
    }

    pub(super) fn delete_msg(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        let raw = p.value("message_id")?;
        let id = value_i64(raw).ok_or_else(|| failed("Recall failed"))?;
        let (peer, author, recalled, sent) = match self.store.get(id) {
            Some(m) => (m.peer, m.event.user_id, m.recalled, m.event.time),
            None => return Err(failed("Recall failed")),
        };
        if recalled {
            return Err(failed("撤回失败：消息已被撤回"));
        }
        // QQ: your own message only within two minutes, unless you manage the group.
        let manages = matches!(peer, Peer::Group(g) if self.self_role(g) != Role::Member);
        if author == self.self_id
            && !manages
            && self.now() - sent > crate::onebot::RECALL_WINDOW_SECS
        {
            return Err(failed("撤回失败：消息已超过 2 分钟，无法撤回"));
        }
        let kind = match peer {
            Peer::Group(g) => {
                if author != self.self_id {
                    let me = self.self_role(g);
                    let theirs = self
                        .member(g, author)
                        .map(|m| m.role)
                        .unwrap_or(Role::Member);
                    let allowed =
                        me == Role::Owner || (me == Role::Admin && theirs == Role::Member);
                    if !allowed {
                        return Err(failed("撤回失败：无权撤回该消息"));
                    }
                }
                NoticeKind::GroupRecall {
                    group_id: g,
                    user_id: author,
                    operator_id: self.self_id,
                    message_id: id,
                }
            }
            Peer::Private(u) => {
                if author != self.self_id {
                    return Err(failed("撤回失败：只能撤回自己发送的消息"));
                }
                NoticeKind::FriendRecall {
                    user_id: u,
                    message_id: id,
                }
            }
        };
        if let Some(m) = self.store.get_mut(id) {
            m.recalled = true;
        }
        ev.push(self.notice(kind));
        Ok(None)
    }

    pub(super) fn group_history(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        self.joined(g)?;
        self.history(Peer::Group(g), p)
    }

    pub(super) fn friend_history(&self, p: &Params) -> Reply {
        p.require(&["user_id"])?;
        let u = p.id("user_id")?;
        if !self.people.contains_key(&u) {
            return Err(failed("无法获取用户信息"));
        }
        self.history(Peer::Private(u), p)
    }

    /// One page of a conversation's history (semantics in `Store::page`).
    fn history(&self, peer: Peer, p: &Params) -> Reply {
        let seq_raw = p.get("message_seq");
        let anchor = match seq_raw {
            None => None,
            Some(v) => match value_i64(v) {
                Some(0) => None,
                Some(n) => Some(n),
                None if v.as_str().is_some_and(|s| s.trim().is_empty()) => None,
                // Not a short id (a raw QQNT id we never issued): nothing to anchor on.
                None => Some(-1),
            },
        };
        let count = p.int("count", 20)?.max(0) as usize;
        let older = p.flag("reverse_order", false) || p.flag("reverseOrder", false);
        let expand = p.flag("parse_mult_msg", true);
        // NapCat words both "no such anchor" and "nothing there" the same way.
        let page = self.store.page(peer, anchor, count, older).map_err(|_| {
            let shown = seq_raw
                .and_then(crate::onebot::lenient::value_string)
                .unwrap_or_else(|| "undefined".into());
            failed(format!("消息{shown}不存在"))
        })?;
        let messages: Vec<Value> = page
            .iter()
            .filter_map(|id| self.store.get(*id))
            .map(|m| serde_json::to_value(self.render(m, expand)).unwrap_or(Value::Null))
            .collect();
        Ok(Some(json!({ "messages": messages })))
    }

    pub(super) fn recent_contacts(&self, p: &Params) -> Reply {
        let count = p.int("count", 10)?.max(0) as usize;
        let mut latest: Vec<&StoredMessage> = self
            .store
            .peers()
            .filter_map(|peer| self.store.latest(peer))
            .collect();
        latest.sort_by_key(|m| std::cmp::Reverse((m.event.time, m.event.message_id)));
        let list: Vec<Value> = latest
            .into_iter()
            .take(count)
            .map(|m| {
                let e = self.render(m, false);
                let (chat_type, remark, peer_name) = match m.peer {
                    Peer::Group(g) => {
                        let gr = self.group(g);
                        (
                            2,
                            gr.map(|x| x.remark.clone()).unwrap_or_default(),
                            gr.map(|x| x.name.clone()).unwrap_or_default(),
                        )
                    }
                    Peer::Private(u) => {
                        let f = self.friend(u);
                        (
                            1,
                            f.map(|x| x.remark.clone()).unwrap_or_default(),
                            self.nick_of(u),
                        )
                    }
                };
                json!({
                    "lastestMsg": serde_json::to_value(&e).unwrap_or(Value::Null),
                    "peerUin": m.peer.id().to_string(),
                    "remark": remark,
                    "msgTime": e.time.to_string(),
                    "chatType": chat_type,
                    "msgId": m.long_id,
                    "sendNickName": e.sender.nickname,
                    "sendMemberName": if m.peer.is_group() { e.sender.card.clone() } else { String::new() },
                    "peerName": peer_name,
                })
            })
            .collect();
        Ok(Some(Value::Array(list)))
    }

    pub(super) fn get_forward_msg(&self, p: &Params) -> Reply {
        let id = p.string_any(&["message_id", "id"])?;
        let direct = self.store.forward(&id);
        // The short id of a message carrying a forward works too.
        let via_message = || {
            let m = self.store.get(id.trim().parse().ok()?)?;
            m.event.message.0.iter().find_map(|s| match s {
                Segment::Forward { id, .. } => self.store.forward(id),
                Segment::Json { data, .. } => {
                    let v: Value = serde_json::from_str(data).ok()?;
                    let res = v.pointer("/meta/detail/resid")?.as_str()?;
                    self.store.forward(res)
                }
                _ => None,
            })
        };
        let content = direct
            .or_else(via_message)
            .ok_or_else(|| failed("消息已过期或者为内层消息"))?;
        let messages: Vec<Value> = content
            .iter()
            .map(|m| serde_json::to_value(m).unwrap_or(Value::Null))
            .collect();
        Ok(Some(json!({ "messages": messages })))
    }

    pub(super) fn mark_msg_as_read(&self, p: &Params) -> Reply {
        if let Some(g) = p.opt_id("group_id")? {
            self.joined(g)?;
        } else if let Some(u) = p.opt_id("user_id")? {
            if !self.people.contains_key(&u) {
                return Err(failed("无法获取用户信息"));
            }
        } else if let Some(m) = p.opt_id("message_id")? {
            if self.store.get(m).is_none() {
                return Err(failed("消息不存在"));
            }
        } else {
            return Err(failed("缺少参数 group_id 或 user_id"));
        }
        Ok(Some(Value::Null))
    }

    pub(super) fn mark_group_read(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        self.joined(p.id("group_id")?)?;
        Ok(Some(Value::Null))
    }

    pub(super) fn mark_private_read(&self, p: &Params) -> Reply {
        p.require(&["user_id"])?;
        let u = p.id("user_id")?;
        if !self.people.contains_key(&u) {
            return Err(failed("无法获取用户信息"));
        }
        Ok(Some(Value::Null))
    }

    pub(super) fn set_msg_emoji_like(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["message_id", "emoji_id"])?;
        let id = p.id("message_id")?;
        let emoji = p.string("emoji_id")?;
        let set = p.flag("set", true);
        let Some(m) = self.store.get(id) else {
            return Err(failed("msg not found"));
        };
        if emoji.trim().is_empty() {
            return Err(failed("emojiId not found"));
        }
        if m.recalled {
            return Err(failed("find msg by msgid error"));
        }
        let peer = m.peer;
        let changed = self.toggle_like(id, &emoji, self.self_id, set);
        if changed && let Peer::Group(g) = peer {
            ev.push(self.notice(NoticeKind::GroupMsgEmojiLike {
                group_id: g,
                user_id: self.self_id,
                message_id: Some(id),
                likes: vec![EmojiLike {
                    emoji_id: emoji,
                    count: 1,
                }],
                is_add: Some(set),
            }));
        }
        Ok(Some(json!({"result": 0, "errMsg": ""})))
    }

    /// Adds or removes one user's reaction; true when something changed.
    pub(super) fn toggle_like(&mut self, id: i64, emoji: &str, user: i64, set: bool) -> bool {
        let Some(m) = self.store.get_mut(id) else {
            return false;
        };
        let pos = m.likes.iter().position(|l| l.emoji_id == emoji);
        match (pos, set) {
            (Some(i), true) => match m.likes.get_mut(i) {
                Some(l) if !l.users.contains(&user) => {
                    l.users.push(user);
                    true
                }
                _ => false,
            },
            (None, true) => {
                m.likes.push(Like {
                    emoji_id: emoji.to_string(),
                    users: vec![user],
                });
                true
            }
            (Some(i), false) => {
                let Some(l) = m.likes.get_mut(i) else {
                    return false;
                };
                let before = l.users.len();
                l.users.retain(|u| *u != user);
                let changed = l.users.len() != before;
                if l.users.is_empty() {
                    m.likes.remove(i);
                }
                changed
            }
            (None, false) => false,
        }
    }

    /// Who reacted with an emoji, for both reaction-list actions.
    fn likers(&self, p: &Params, emoji_key: &str) -> Result<Vec<(i64, String)>, Fail> {
        let id = p.id("message_id")?;
        let emoji = p.string(emoji_key)?;
        let m = self.store.get(id).ok_or_else(|| failed("消息不存在"))?;
        Ok(m.likes
            .iter()
            .filter(|l| l.emoji_id == emoji)
            .flat_map(|l| l.users.iter())
            .map(|u| (*u, self.nick_of(*u)))
            .collect())
    }

    pub(super) fn fetch_emoji_like(&self, p: &Params) -> Reply {
        p.require(&["message_id", "emojiId", "emojiType"])?;
        let count = p.int("count", 20)?.max(0) as usize;
        let list: Vec<Value> = self
            .likers(p, "emojiId")?
            .into_iter()
            .take(count)
            .map(|(u, nick)| {
                json!({"tinyId": u.to_string(), "nickName": nick,
                       "headUrl": format!("https://q1.qlogo.cn/g?b=qq&nk={u}&s=100")})
            })
            .collect();
        Ok(Some(json!({
            "emojiLikesList": list, "cookie": "", "isLastPage": true, "isFirstPage": true,
            "result": 0, "errMsg": "",
        })))
    }

    pub(super) fn get_emoji_likes(&self, p: &Params) -> Reply {
        p.require(&["message_id", "emoji_id"])?;
        let count = p.int("count", 0)?.max(0) as usize;
        let mut list: Vec<Value> = self
            .likers(p, "emoji_id")?
            .into_iter()
            .map(|(u, nick)| json!({"user_id": u.to_string(), "nick_name": nick}))
            .collect();
        if count > 0 {
            list.truncate(count);
        }
        Ok(Some(json!({ "emoji_like_list": list })))
    }

    pub(super) fn get_media(&self, p: &Params, kind: &str) -> Reply {
        let token = p.string_any(&["file_id", "file"])?;
        if kind == "record" {
            p.require(&["out_format"])?;
        }
        let media = self
            .store
            .media(&token)
            .ok_or_else(|| failed(format!("文件{token}不存在或已过期")))?;
        let path = match (kind, p.opt_string("out_format")) {
            ("record", Some(fmt)) => format!(
                "/root/.config/QQ/NapCat/temp/{}.{fmt}",
                media
                    .name
                    .rsplit_once('.')
                    .map_or(media.name.as_str(), |(b, _)| b)
            ),
            _ => format!("/root/.config/QQ/NapCat/temp/{}", media.name),
        };
        let mut reply = json!({
            "file": path, "url": media.url, "file_size": media.size.to_string(),
            "file_name": media.name,
        });
        // NapCat always answers get_record with the converted audio as base64 (the
        // simulator cannot convert: the bytes are the voice's own).
        if kind == "record"
            && let Some(bytes) = self.blob(&token)
        {
            use base64::Engine;
            reply["base64"] = base64::engine::general_purpose::STANDARD
                .encode(&bytes)
                .into();
        }
        Ok(Some(reply))
    }
}

/// `1` for a system face id, `2` for a Unicode code point (NapCat goes by length).
fn emoji_type(id: &str) -> &'static str {
    if id.len() > 3 { "2" } else { "1" }
}
