//! The live stream for `napterm demo`: mostly one event per tick — group chatter (some @ the
//! account, some replies, faces, pictures), private messages, pokes, and now and then a reaction,
//! a recall, a join or leave, a mute, a card change, a rename, a friend or join request.

use std::collections::VecDeque;

use crate::onebot::notice::{EmojiLike, JoinKind, LeaveKind};
use crate::onebot::{Event, NoticeKind, Peer, Request, RequestKind, Role};

use super::World;
use super::history::Kind;
use super::model::{Member, PendingRequest, Theme};
use super::roster::{self, GROUP_BENCH};
use super::sending::poke_raw_info;
use super::texts;

/// What the live stream remembers between ticks.
#[derive(Debug, Clone, Default)]
pub struct LiveState {
    /// Recent messages others sent in the stream (candidates for a recall).
    recent: VecDeque<i64>,
    /// Newcomers made up so far.
    serial: i64,
    /// Renames done so far.
    renames: usize,
}

/// Kinds of live group messages and how often they come (same order).
const GROUP_KINDS: &[(Kind, u32)] = &[
    (Kind::Text, 50),
    (Kind::TextFace, 10),
    (Kind::AtSelf, 8),
    (Kind::Reply, 12),
    (Kind::Photo, 4),
    (Kind::Sticker, 5),
    (Kind::Market, 4),
    (Kind::Face, 3),
    (Kind::Link, 2),
    (Kind::Multiline, 2),
    (Kind::AtMember, 4),
    (Kind::Record, 1),
];

const PRIVATE_KINDS: &[(Kind, u32)] = &[
    (Kind::Text, 60),
    (Kind::TextFace, 15),
    (Kind::Reply, 10),
    (Kind::Photo, 5),
    (Kind::Sticker, 10),
];

const POKE_ACTIONS: &[(&str, &str)] = &[
    ("戳了戳", ""),
    ("拍了拍", "的小脑袋"),
    ("捏了捏", "的脸"),
    ("戳了戳", "并说：在吗"),
];

impl World {
    /// The next events of the live stream (messages, pokes, notices), for `napterm demo`.
    pub fn live_tick(&mut self) -> Vec<Event> {
        let roll = self.rng.below(100);
        let events = match roll {
            0..=54 => self.live_group_message(),
            55..=68 => self.live_private_message(),
            69..=74 => self.live_poke(),
            75..=78 => self.live_reaction(),
            79..=81 => self.live_recall(),
            82..=84 => self.live_join_or_leave(),
            85..=86 => self.live_mute(),
            87..=88 => self.live_card_change(),
            89 => self.live_rename(),
            90..=91 => self.live_friend_request(),
            92..=93 => self.live_join_request(),
            94..=96 => self.live_typing(),
            _ => self.live_profile_like(),
        };
        if events.is_empty() {
            self.live_group_message()
        } else {
            events
        }
    }

    /// A group for chatter, weighted towards the busy ones.
    fn live_group(&mut self) -> Option<i64> {
        let weighted: Vec<(i64, u32)> = self
            .groups
            .iter()
            .filter(|g| g.group_id != GROUP_BENCH)
            .map(|g| {
                let w = match g.theme {
                    Theme::Rust => 4,
                    Theme::Class | Theme::Badminton => 3,
                    Theme::Work | Theme::Game => 2,
                    _ => 1,
                };
                (g.group_id, w)
            })
            .collect();
        let weights: Vec<u32> = weighted.iter().map(|(_, w)| *w).collect();
        if weights.is_empty() {
            return None;
        }
        weighted.get(self.rng.weighted(&weights)).map(|(g, _)| *g)
    }

    fn pick_kind(&mut self, table: &[(Kind, u32)]) -> Kind {
        let weights: Vec<u32> = table.iter().map(|(_, w)| *w).collect();
        table
            .get(self.rng.weighted(&weights))
            .map_or(Kind::Text, |(k, _)| *k)
    }

    /// Posts a message from someone else and remembers it for a later recall.
    fn live_post(&mut self, peer: Peer, author: i64, kind: Kind) -> Event {
        let earlier: Vec<i64> = self.store.ids(peer).rev().take(15).collect();
        let mut earlier = earlier;
        earlier.reverse();
        let now = self.now();
        let chain = self.chain_of(kind, peer, author, &earlier, now);
        let ev = self.post(peer, author, chain, now);
        self.live.recent.push_back(ev.message_id);
        if self.live.recent.len() > 10 {
            self.live.recent.pop_front();
        }
        Event::Message(Box::new(ev))
    }

    fn live_group_message(&mut self) -> Vec<Event> {
        let Some(g) = self.live_group() else {
            return self.live_private_message();
        };
        let peer = Peer::Group(g);
        let mut speakers = self.speakers(peer);
        // In the large group, strangers chime in too.
        let size = self.group(g).map_or(0, |gr| gr.members.len());
        if size > 100 && self.rng.chance(40) {
            let i = self.rng.below(size as u64) as usize;
            if let Some(m) = self.group(g).and_then(|gr| gr.members.get(i))
                && m.user_id != self.self_id
                && !m.is_robot
            {
                speakers = vec![m.user_id];
            }
        }
        let Some(author) = self.rng.pick(&speakers).copied() else {
            return Vec::new();
        };
        let kind = self.pick_kind(GROUP_KINDS);
        vec![self.live_post(peer, author, kind)]
    }

    fn live_friend(&mut self) -> Option<i64> {
        let ids: Vec<i64> = self.friends.iter().take(12).map(|f| f.user_id).collect();
        self.rng.pick(&ids).copied()
    }

    fn live_private_message(&mut self) -> Vec<Event> {
        let Some(f) = self.live_friend() else {
            return Vec::new();
        };
        let kind = self.pick_kind(PRIVATE_KINDS);
        vec![self.live_post(Peer::Private(f), f, kind)]
    }

    fn live_poke(&mut self) -> Vec<Event> {
        let (action, suffix) = *self.rng.pick(POKE_ACTIONS).unwrap_or(&("戳了戳", ""));
        if self.rng.chance(50) {
            let Some(g) = self.live_group() else {
                return Vec::new();
            };
            let speakers = self.speakers(Peer::Group(g));
            let Some(poker) = self.rng.pick(&speakers).copied() else {
                return Vec::new();
            };
            let target = if self.rng.chance(50) {
                self.self_id
            } else {
                self.rng
                    .pick(&speakers)
                    .copied()
                    .filter(|t| *t != poker)
                    .unwrap_or(self.self_id)
            };
            let raw_info = poke_raw_info(poker, target, action, suffix);
            return vec![self.notice(NoticeKind::Poke {
                group_id: Some(g),
                user_id: poker,
                sender_id: None,
                target_id: target,
                action: action.into(),
                suffix: suffix.into(),
                raw_info,
            })];
        }
        let Some(f) = self.live_friend() else {
            return Vec::new();
        };
        let raw_info = poke_raw_info(f, self.self_id, action, suffix);
        vec![self.notice(NoticeKind::Poke {
            group_id: None,
            user_id: f,
            sender_id: Some(f),
            target_id: self.self_id,
            action: action.into(),
            suffix: suffix.into(),
            raw_info,
        })]
    }

    fn live_reaction(&mut self) -> Vec<Event> {
        let Some(g) = self.live_group() else {
            return Vec::new();
        };
        let peer = Peer::Group(g);
        let recent: Vec<i64> = self
            .store
            .ids(peer)
            .rev()
            .take(12)
            .filter(|id| self.store.get(*id).is_some_and(|m| !m.recalled))
            .collect();
        let speakers = self.speakers(peer);
        let (Some(id), Some(who)) = (
            self.rng.pick(&recent).copied(),
            self.rng.pick(&speakers).copied(),
        ) else {
            return Vec::new();
        };
        let emoji = self
            .rng
            .pick_str(&["76", "66", "124", "179", "128077", "128514", "10068"]);
        if !self.toggle_like(id, emoji, who, true) {
            return Vec::new();
        }
        vec![self.notice(NoticeKind::GroupMsgEmojiLike {
            group_id: g,
            user_id: who,
            message_id: Some(id),
            likes: vec![EmojiLike {
                emoji_id: emoji.into(),
                count: 1,
            }],
            is_add: Some(true),
        })]
    }

    fn live_recall(&mut self) -> Vec<Event> {
        let candidates: Vec<i64> = self
            .live
            .recent
            .iter()
            .copied()
            .filter(|id| self.store.get(*id).is_some_and(|m| !m.recalled))
            .collect();
        let Some(id) = self.rng.pick(&candidates).copied() else {
            return Vec::new();
        };
        let Some(m) = self.store.get_mut(id) else {
            return Vec::new();
        };
        m.recalled = true;
        let (peer, author) = (m.peer, m.event.user_id);
        self.live.recent.retain(|x| *x != id);
        let kind = match peer {
            Peer::Group(g) => NoticeKind::GroupRecall {
                group_id: g,
                user_id: author,
                operator_id: author,
                message_id: id,
            },
            Peer::Private(u) => NoticeKind::FriendRecall {
                user_id: u,
                message_id: id,
            },
        };
        vec![self.notice(kind)]
    }

    /// Makes up a new person (for joins and requests).
    fn newcomer(&mut self) -> i64 {
        let mut uin;
        loop {
            self.live.serial += 1;
            uin = 1_300_000_000 + self.live.serial * 104_729;
            if !self.people.contains_key(&uin) {
                break;
            }
        }
        let nick = roster::random_nickname(&mut self.rng);
        let now = self.now();
        let p = roster::person(&mut self.rng, uin, &nick, now);
        self.people.insert(uin, p);
        uin
    }

    fn live_join_or_leave(&mut self) -> Vec<Event> {
        let Some(g) = self.live_group() else {
            return Vec::new();
        };
        let now = self.now();
        let leave = self.rng.chance(40);
        if leave {
            let me = self.self_id;
            let candidates: Vec<i64> = self
                .group(g)
                .map(|gr| {
                    gr.members
                        .iter()
                        .rev()
                        .take(10)
                        .filter(|m| m.role == Role::Member && m.user_id != me && !m.is_robot)
                        .filter(|m| self.friend(m.user_id).is_none())
                        .map(|m| m.user_id)
                        .collect()
                })
                .unwrap_or_default();
            let Some(u) = self.rng.pick(&candidates).copied() else {
                return Vec::new();
            };
            if let Some(gr) = self.group_mut(g) {
                gr.members.retain(|m| m.user_id != u);
            }
            return vec![self.notice(NoticeKind::GroupDecrease {
                how: LeaveKind::Leave,
                group_id: g,
                user_id: u,
                operator_id: 0,
            })];
        }
        let uin = self.newcomer();
        let operator = self
            .group(g)
            .and_then(|gr| {
                gr.members
                    .iter()
                    .find(|m| m.role.is_admin() && m.user_id != self.self_id)
            })
            .map_or(0, |m| m.user_id);
        let p = self.person(uin).cloned();
        if let Some(gr) = self.group_mut(g) {
            gr.members.push(Member {
                user_id: uin,
                nickname: p.as_ref().map(|p| p.nickname.clone()).unwrap_or_default(),
                card: String::new(),
                sex: p.as_ref().map_or("unknown", |p| p.sex),
                age: p.as_ref().map_or(0, |p| p.age),
                level: 1,
                qq_level: p.as_ref().map_or(0, |p| p.qq_level),
                join_time: now,
                last_sent_time: now,
                role: Role::Member,
                title: String::new(),
                shut_up_timestamp: 0,
                is_robot: false,
            });
        }
        vec![self.notice(NoticeKind::GroupIncrease {
            how: JoinKind::Approve,
            group_id: g,
            user_id: uin,
            operator_id: operator,
        })]
    }

    fn live_mute(&mut self) -> Vec<Event> {
        let Some(g) = self.live_group() else {
            return Vec::new();
        };
        let me = self.self_id;
        let (admin, targets) = match self.group(g) {
            Some(gr) => (
                gr.members
                    .iter()
                    .find(|m| m.role.is_admin() && m.user_id != me)
                    .map(|m| m.user_id),
                gr.members
                    .iter()
                    .filter(|m| m.role == Role::Member && m.user_id != me && !m.is_robot)
                    .take(20)
                    .map(|m| m.user_id)
                    .collect::<Vec<_>>(),
            ),
            None => return Vec::new(),
        };
        let (Some(admin), Some(target)) = (admin, self.rng.pick(&targets).copied()) else {
            return Vec::new();
        };
        let duration = *self.rng.pick(&[60, 600, 3600]).unwrap_or(&600);
        let until = self.now() + duration;
        if let Some(m) = self.group_mut(g).and_then(|gr| gr.member_mut(target)) {
            m.shut_up_timestamp = until;
        }
        vec![self.notice(NoticeKind::GroupBan {
            lift: false,
            group_id: g,
            user_id: target,
            operator_id: admin,
            duration,
        })]
    }

    fn live_card_change(&mut self) -> Vec<Event> {
        let Some(g) = self.live_group() else {
            return Vec::new();
        };
        let speakers = self.speakers(Peer::Group(g));
        let Some(u) = self.rng.pick(&speakers).copied() else {
            return Vec::new();
        };
        let suffix = self
            .rng
            .pick_str(&["（摸鱼中）", "-已上岸", "🏸", "-请假", ""]);
        let Some(m) = self.group_mut(g).and_then(|gr| gr.member_mut(u)) else {
            return Vec::new();
        };
        let old = m.card.clone();
        let base = old
            .split(['（', '-', '🏸'])
            .next()
            .filter(|b| !b.is_empty())
            .unwrap_or(&m.nickname)
            .to_string();
        let new = format!("{base}{suffix}");
        if new == old {
            return Vec::new();
        }
        m.card = new.clone();
        vec![self.notice(NoticeKind::GroupCard {
            group_id: g,
            user_id: u,
            card_new: new,
            card_old: old,
        })]
    }

    fn live_rename(&mut self) -> Vec<Event> {
        let Some(gr) = self.groups.iter().find(|g| g.theme == Theme::Exam) else {
            return Vec::new();
        };
        let (g, owner) = (gr.group_id, gr.owner().unwrap_or(0));
        let name = texts::RENAMES
            .get(self.live.renames % texts::RENAMES.len())
            .copied()
            .unwrap_or("考研互助 2026");
        self.live.renames += 1;
        if let Some(gr) = self.group_mut(g) {
            gr.name = name.into();
        }
        vec![self.notice(NoticeKind::GroupName {
            group_id: g,
            user_id: owner,
            name_new: name.into(),
        })]
    }

    fn live_request(&mut self, req: PendingRequest) -> Vec<Event> {
        let ev = Event::Request(Request {
            time: req.time,
            self_id: self.self_id,
            kind: req.kind.clone(),
            flag: req.flag.clone(),
            user_id: req.user_id,
            comment: req.comment.clone(),
        });
        self.requests.push(req);
        vec![ev]
    }

    fn live_friend_request(&mut self) -> Vec<Event> {
        let pending = self
            .requests
            .iter()
            .filter(|r| r.kind == RequestKind::Friend && !r.doubt)
            .count();
        if pending >= 3 {
            return Vec::new();
        }
        let uin = self.newcomer();
        let now = self.now();
        let comment = self.rng.pick_str(&[
            "你好，想加个好友",
            "我是Rust群里的，请教个问题",
            "羽毛球群看到你的",
        ]);
        let req = PendingRequest {
            flag: now.to_string(),
            kind: RequestKind::Friend,
            user_id: uin,
            nickname: self.nick_of(uin),
            comment: comment.into(),
            time: now,
            doubt: false,
        };
        self.live_request(req)
    }

    fn live_join_request(&mut self) -> Vec<Event> {
        let pending = self
            .requests
            .iter()
            .filter(|r| matches!(r.kind, RequestKind::GroupAdd { .. }) && !r.doubt)
            .count();
        let admin_groups: Vec<i64> = self
            .groups
            .iter()
            .filter(|g| g.group_id != GROUP_BENCH)
            .filter(|g| g.member(self.self_id).is_some_and(|m| m.role.is_admin()))
            .map(|g| g.group_id)
            .collect();
        if pending >= 4 {
            return Vec::new();
        }
        let Some(g) = self.rng.pick(&admin_groups).copied() else {
            return Vec::new();
        };
        let uin = self.newcomer();
        let comment = self.rng.pick_str(&[
            "问题：你从哪里知道本群\n答案：朋友推荐",
            "想进群学习一下",
            "同学拉我进来的",
        ]);
        let now = self.now();
        let req = self.join_request(g, uin, comment, now);
        self.live_request(req)
    }

    fn live_typing(&mut self) -> Vec<Event> {
        let Some(f) = self.live_friend() else {
            return Vec::new();
        };
        let typing = self.notice(NoticeKind::InputStatus {
            user_id: f,
            group_id: 0,
            event_type: 1,
            status_text: "对方正在输入...".into(),
        });
        let msg = self.live_post(Peer::Private(f), f, Kind::Text);
        vec![typing, msg]
    }

    fn live_profile_like(&mut self) -> Vec<Event> {
        let Some(f) = self.live_friend() else {
            return Vec::new();
        };
        let now = self.now();
        self.liked_by.push((f, now, 1));
        vec![self.notice(NoticeKind::ProfileLike {
            operator_id: f,
            operator_nick: self.nick_of(f),
            times: 1,
        })]
    }
}
