//! Seeding the past: a few hundred messages over the last few days (every common segment type,
//! some of them the account's own), reactions, essence, a recalled message, and the requests
//! waiting in the inbox.

use crate::onebot::{MessageChain, MessageEvent, Peer, RequestKind, Segment};

use super::World;
use super::content::{self, COMMON_FACES};
use super::model::{Essence, PendingRequest, Person, Theme, uid_of};
use super::roster::{GROUP_ADMIN, GROUP_ADMIN_WORK, GROUP_OWNED};
use super::store::Like;
use super::texts;

const DAY: i64 = 86_400;

/// What one generated message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    TextFace,
    Face,
    Link,
    Multiline,
    AtMember,
    AtSelf,
    AtAll,
    Reply,
    Photo,
    Sticker,
    Market,
    Record,
    Video,
    File,
    Forward,
    LinkCard,
    MiniApp,
    Markdown,
    Dice,
    Rps,
    Poke,
}

/// Every kind, in the order the showcase group gets them.
const ALL_KINDS: &[Kind] = &[
    Kind::Text,
    Kind::TextFace,
    Kind::Face,
    Kind::Link,
    Kind::Multiline,
    Kind::AtMember,
    Kind::AtSelf,
    Kind::AtAll,
    Kind::Reply,
    Kind::Photo,
    Kind::Sticker,
    Kind::Market,
    Kind::Record,
    Kind::Video,
    Kind::File,
    Kind::Forward,
    Kind::LinkCard,
    Kind::MiniApp,
    Kind::Markdown,
    Kind::Dice,
    Kind::Rps,
    Kind::Poke,
];

/// How often each kind turns up in ordinary chatter (same order as `ALL_KINDS`).
const WEIGHTS: &[u32] = &[
    40, 8, 4, 2, 2, 5, 3, 0, 8, 5, 4, 3, 2, 1, 1, 1, 1, 1, 0, 1, 1, 1,
];

impl World {
    /// Fills every conversation with its past.
    pub(super) fn seed_history(&mut self, now: i64) {
        let mut plan: Vec<(Peer, usize)> = self
            .groups
            .iter()
            .map(|g| {
                let n = match g.theme {
                    Theme::Badminton => 70,
                    Theme::Rust => 110,
                    Theme::Class | Theme::Work => 50,
                    Theme::Game | Theme::Neighbours => 40,
                    Theme::Family | Theme::Exam => 30,
                    Theme::Reading => 10,
                    Theme::Bench => 6,
                };
                (Peer::Group(g.group_id), n)
            })
            .collect();
        if self.big {
            // The huge groups talk; of the generated groups and friends only the first have
            // history, so that `roster::BIG_RECENT` chats do.
            let small = |p: &(Peer, usize)| super::roster::is_generated_group(p.0.id());
            let generated: Vec<(Peer, usize)> = plan.iter().filter(|p| small(p)).copied().collect();
            plan.retain(|p| !small(p));
            for p in &mut plan {
                let huge = [super::roster::GROUP_HUGE, super::roster::GROUP_HUGE_2];
                if matches!(p.0, Peer::Group(g) if huge.contains(&g)) {
                    p.1 = 60;
                }
            }
            let room = super::roster::BIG_RECENT.saturating_sub(plan.len() + 40);
            plan.extend(generated.into_iter().take(room).map(|(peer, _)| (peer, 3)));
        }
        let friends: Vec<i64> = self.friends.iter().map(|f| f.user_id).collect();
        let chatty = if self.big {
            super::roster::BIG_RECENT.saturating_sub(plan.len())
        } else {
            12
        };
        for (i, f) in friends.iter().enumerate().take(chatty) {
            plan.push((Peer::Private(*f), 6 + (i * 5) % 14));
        }
        for (peer, n) in plan {
            let showcase = peer == Peer::Group(GROUP_OWNED);
            self.seed_conversation(peer, n, now, showcase);
        }
        self.seed_essence(now);
    }

    fn seed_conversation(&mut self, peer: Peer, n: usize, now: i64, showcase: bool) {
        let times = self.bursty_times(n, now);
        let mut kinds: Vec<Kind> = (0..n)
            .map(|_| {
                let i = self.rng.weighted(WEIGHTS);
                ALL_KINDS.get(i).copied().unwrap_or(Kind::Text)
            })
            .collect();
        // The showcase group gets every kind once, all from other people.
        let mut slots = Vec::new();
        if showcase {
            let stride = (n.saturating_sub(6) / ALL_KINDS.len()).max(1);
            for (i, k) in ALL_KINDS.iter().enumerate() {
                if let Some(slot) = kinds.get_mut(4 + i * stride) {
                    *slot = *k;
                    slots.push(4 + i * stride);
                }
            }
        }
        let speakers = self.speakers(peer);
        let mut posted: Vec<i64> = Vec::new();
        for (i, (kind, time)) in kinds.into_iter().zip(times).enumerate() {
            let own_chance = if peer.is_group() { 12 } else { 45 };
            // Private chats start with the friend speaking.
            let own = if slots.contains(&i) || (i == 0 && !peer.is_group()) {
                false
            } else {
                self.rng.chance(own_chance) || (showcase && i % 9 == 1)
            };
            let mut author = if own {
                self.self_id
            } else {
                self.rng.pick(&speakers).copied().unwrap_or(self.self_id)
            };
            if kind == Kind::AtAll {
                author = self.an_admin(peer).unwrap_or(author);
            }
            let chain = self.chain_of(kind, peer, author, &posted, now);
            let ev = self.post(peer, author, chain, time);
            posted.push(ev.message_id);
            if peer.is_group() && self.rng.chance(8) {
                self.seed_likes(ev.message_id, &speakers);
            }
        }
        // One message in the showcase group was recalled long ago.
        if showcase
            && let Some(id) = posted.get(2)
            && let Some(m) = self.store.get_mut(*id)
        {
            m.recalled = true;
        }
    }

    /// `n` increasing times over the last four days, clustered into conversations.
    fn bursty_times(&mut self, n: usize, now: i64) -> Vec<i64> {
        // Bursts spread evenly over the window (with jitter), so long chats span several days.
        let bursts = (n / 8 + 1) as i64;
        let window = 4 * DAY - 60 * 60;
        let slot = window / bursts;
        let centers: Vec<i64> = (0..bursts)
            .map(|k| now - 4 * DAY + k * slot + self.rng.range(0, slot * 2 / 3))
            .collect();
        let mut times: Vec<i64> = (0..n)
            .map(|_| {
                let c = self.rng.pick(&centers).copied().unwrap_or(now - DAY);
                (c + self.rng.range(0, 40 * 60)).min(now - 60)
            })
            .collect();
        times.sort_unstable();
        for i in 1..times.len() {
            if times[i] <= times[i - 1] {
                times[i] = times[i - 1] + 1;
            }
        }
        times
    }

    /// Who talks in a conversation: the first dozen-odd members, or the friend.
    pub(super) fn speakers(&self, peer: Peer) -> Vec<i64> {
        match peer {
            Peer::Group(g) => self
                .group(g)
                .map(|gr| {
                    gr.members
                        .iter()
                        .filter(|m| m.user_id != self.self_id && !m.is_robot)
                        .take(14)
                        .map(|m| m.user_id)
                        .collect()
                })
                .unwrap_or_default(),
            Peer::Private(u) => vec![u],
        }
    }

    fn an_admin(&self, peer: Peer) -> Option<i64> {
        let Peer::Group(g) = peer else { return None };
        self.group(g)?
            .members
            .iter()
            .find(|m| m.role.is_admin() && m.user_id != self.self_id)
            .map(|m| m.user_id)
    }

    fn theme_of(&self, peer: Peer) -> Option<Theme> {
        match peer {
            Peer::Group(g) => self.group(g).map(|gr| gr.theme),
            Peer::Private(_) => None,
        }
    }

    /// A line of chatter that fits the conversation.
    pub(super) fn line_for(&mut self, peer: Peer) -> String {
        let pool: &[&str] = match self.theme_of(peer) {
            Some(t) if self.rng.chance(65) => texts::themed(t),
            Some(_) => texts::COMMON,
            None => {
                if matches!(peer, Peer::Private(u) if u == 2468013579 || u == 1357924680) {
                    texts::PARENT
                } else {
                    texts::PRIVATE
                }
            }
        };
        self.rng.pick_str(pool).to_string()
    }

    /// The message chain of one generated message.
    pub(super) fn chain_of(
        &mut self,
        kind: Kind,
        peer: Peer,
        author: i64,
        earlier: &[i64],
        now: i64,
    ) -> MessageChain {
        let private = !peer.is_group();
        let line = self.line_for(peer);
        let c = MessageChain::new();
        match kind {
            Kind::Text => c.text(line),
            Kind::TextFace => {
                let f = self.rng.pick(COMMON_FACES).copied().unwrap_or(14);
                c.text(line).push(content::face(f))
            }
            Kind::Face => {
                let f = self.rng.pick(COMMON_FACES).copied().unwrap_or(76);
                c.push(content::face(f))
            }
            Kind::Link => c.text(self.rng.pick_str(texts::LINKS)),
            Kind::Multiline => c.text(self.rng.pick_str(texts::MULTILINE)),
            Kind::AtMember | Kind::AtSelf if private => c.text(line),
            Kind::AtMember => {
                let speakers = self.speakers(peer);
                let target = self
                    .rng
                    .pick(&speakers)
                    .copied()
                    .filter(|t| *t != author)
                    .unwrap_or(self.self_id);
                c.at(target).text(format!(" {line}"))
            }
            Kind::AtSelf => {
                let tail = self.rng.pick_str(texts::TO_SELF);
                c.at(self.self_id).text(tail)
            }
            Kind::AtAll if private => c.text(line),
            Kind::AtAll => c.at_all().text(" 重要通知，请大家看一下群公告📢"),
            Kind::Reply => {
                let recent = &earlier[earlier.len().saturating_sub(15)..];
                match self.rng.pick(recent).copied() {
                    Some(id) => {
                        let quoted_author = self.store.get(id).map(|m| m.event.user_id);
                        let text = self.rng.pick_str(texts::REPLIES);
                        let mut c = c.push(Segment::reply(id));
                        if peer.is_group()
                            && self.rng.chance(40)
                            && let Some(a) = quoted_author.filter(|a| *a != author)
                        {
                            c = c.at(a).text(" ");
                        }
                        c.text(text)
                    }
                    None => c.text(line),
                }
            }
            Kind::Photo => {
                let c = if self.rng.chance(30) {
                    c.text("看图")
                } else {
                    c
                };
                c.push(content::photo(&mut self.rng, private))
            }
            Kind::Sticker => c.push(content::sticker(&mut self.rng, private)),
            Kind::Market => {
                let s = self.rng.pick_str(texts::STICKERS);
                c.push(content::random_market_sticker(&mut self.rng, s))
            }
            Kind::Record => c.push(content::record(&mut self.rng)),
            Kind::Video => c.push(content::video(&mut self.rng, private)),
            Kind::File => {
                let root: Vec<(String, i64, String)> = match peer {
                    Peer::Group(g) => self
                        .group(g)
                        .map(|gr| {
                            gr.files
                                .iter()
                                .filter(|f| f.folder_id.is_none())
                                .map(|f| (f.name.clone(), f.size, f.file_id.clone()))
                                .collect()
                        })
                        .unwrap_or_default(),
                    Peer::Private(_) => Vec::new(),
                };
                let group_file = self.rng.pick(&root).cloned();
                let (name, size, id) = group_file.unwrap_or_else(|| {
                    let (n, s) = *self.rng.pick(texts::FILES).unwrap_or(&("文件.txt", 3));
                    (n.to_string(), s, format!("/{}", self.rng.uuid()))
                });
                c.push(content::file(&name, size.max(0) as u64, &id))
            }
            Kind::Forward => {
                let id = self.seed_forward(peer, now);
                c.push(Segment::Forward {
                    id,
                    content: None,
                    extra: Default::default(),
                })
            }
            Kind::LinkCard => c.push(content::ark(&content::link_card(
                "【4K】终端里也能优雅地聊天？",
                "UP主：锈铁匠 · 12.3万播放",
                "https://b23.tv/BV1xx411c7mD",
                "https://i0.hdslb.com/bfs/archive/0123456789abcdef.jpg",
                now,
            ))),
            Kind::MiniApp => c.push(content::ark(&content::miniapp_card(
                "哔哩哔哩",
                "用 Rust 写一个 QQ 客户端是什么体验",
                "原创 · 科技区",
                "https://b23.tv/a1B2c3D",
                now,
            ))),
            Kind::Markdown => c.push(Segment::markdown(self.rng.pick_str(texts::MARKDOWN))),
            Kind::Dice => c.push(content::dice(self.rng.range(1, 6) as u8)),
            Kind::Rps => c.push(content::rps(self.rng.range(1, 3) as u8)),
            Kind::Poke => c.push(content::legacy_poke()),
        }
    }

    /// Stores the contents of a merged forward and returns its id.
    fn seed_forward(&mut self, peer: Peer, now: i64) -> String {
        let id = format!("74830867583{:08}", self.rng.below(100_000_000));
        let speakers = self.speakers(peer);
        let n = self.rng.range(3, 5) as usize;
        let mut content = Vec::new();
        let mut t = now - self.rng.range(5, 20) * DAY;
        for _ in 0..n {
            let who = self.rng.pick(&speakers).copied().unwrap_or(self.self_id);
            let line = self.line_for(peer);
            t += self.rng.range(10, 600);
            content.push(self.forward_node(who, MessageChain::new().text(line), t));
        }
        // Now and then a forward holds another, which holds a third: inline only, as NapCat
        // gives them (only the outermost id answers get_forward_msg).
        if self.rng.below(3) == 0 {
            let who = self.rng.pick(&speakers).copied().unwrap_or(self.self_id);
            let inner = self.nested_forward(peer, &speakers, t, 2);
            content.push(self.forward_node(who, MessageChain(vec![inner]), t + 30));
        }
        self.store.put_forward(id.clone(), content);
        id
    }

    /// A forward segment with its content inline, `depth` levels deep, registered nowhere.
    fn nested_forward(&mut self, peer: Peer, speakers: &[i64], t: i64, depth: u8) -> Segment {
        let mut content = Vec::new();
        for i in 0..self.rng.range(2, 3) {
            let who = self.rng.pick(speakers).copied().unwrap_or(self.self_id);
            let line = self.line_for(peer);
            content.push(self.forward_node(who, MessageChain::new().text(line), t - 3600 + i * 60));
        }
        if depth > 1 {
            let who = self.rng.pick(speakers).copied().unwrap_or(self.self_id);
            let inner = self.nested_forward(peer, speakers, t - 7200, depth - 1);
            content.push(self.forward_node(who, MessageChain(vec![inner]), t - 1800));
        }
        Segment::Forward {
            id: format!("74830867583{:08}", self.rng.below(100_000_000)),
            content: Some(content),
            extra: Default::default(),
        }
    }

    /// One message inside a merged forward, as `get_forward_msg` lists it.
    pub(super) fn forward_node(
        &mut self,
        who: i64,
        chain: MessageChain,
        time: i64,
    ) -> MessageEvent {
        let inner_id = (self.rng.next_u64() & 0x7FFF_FFFF) as i64;
        let mut ev = self.make_event(Peer::Private(who), who, chain, time, inner_id);
        // Inside a forward everyone is a plain sender, even the account itself.
        ev.post_type = "message".into();
        ev.message_sent_type = None;
        ev.sub_type = "friend".into();
        ev.target_id = None;
        ev.real_seq = Some("0".into());
        ev.sender.nickname = self.nick_of(who);
        ev
    }

    fn seed_likes(&mut self, id: i64, speakers: &[i64]) {
        let emoji = *self
            .rng
            .pick(&["76", "66", "124", "128522", "128077", "10068"])
            .unwrap_or(&"76");
        let n = self.rng.range(1, 4) as usize;
        let users: Vec<i64> = speakers.iter().take(n).copied().collect();
        if let Some(m) = self.store.get_mut(id) {
            m.likes.push(Like {
                emoji_id: emoji.into(),
                users,
            });
        }
    }

    /// Two essence messages per group, chosen among plain text messages.
    fn seed_essence(&mut self, now: i64) {
        let groups: Vec<i64> = self.groups.iter().map(|g| g.group_id).collect();
        for g in groups {
            let candidates: Vec<(i64, i64)> = self
                .store
                .ids(Peer::Group(g))
                .filter_map(|id| self.store.get(id))
                .filter(|m| {
                    !m.recalled && matches!(m.event.message.0.as_slice(), [Segment::Text { .. }])
                })
                .map(|m| (m.event.message_id, m.event.user_id))
                .collect();
            let operator = self
                .group(g)
                .and_then(|gr| gr.members.iter().find(|m| m.role.is_admin()))
                .map(|m| m.user_id)
                .unwrap_or(self.self_id);
            let picks = [candidates.len() / 3, candidates.len() * 2 / 3];
            let mut essence = Vec::new();
            for i in picks {
                if let Some((id, sender)) = candidates.get(i).copied()
                    && !essence.iter().any(|e: &Essence| e.message_id == id)
                {
                    let seq = self
                        .store
                        .get(id)
                        .and_then(|m| m.event.real_seq.as_deref()?.parse().ok())
                        .unwrap_or(0);
                    essence.push(Essence {
                        message_id: id,
                        sender_id: sender,
                        operator_id: operator,
                        operator_time: now - self.rng.range(60, DAY),
                        msg_seq: seq,
                        msg_random: self.rng.range(100_000_000, 2_000_000_000),
                    });
                }
            }
            if let Some(gr) = self.group_mut(g) {
                gr.essence = essence;
            }
        }
    }

    /// The requests already waiting: a friend request, two join requests, an invitation, and
    /// two that QQ filtered as risky.
    pub(super) fn seed_requests(&mut self, now: i64) {
        let newcomers = [
            (1987654321, "新来的小明", "male"),
            (1876543210, "李华", "male"),
            (1765432109, "路过的网友", "unknown"),
            (1654321098, "猎头-Amy", "female"),
        ];
        for (uin, nick, sex) in newcomers {
            self.people.insert(
                uin,
                Person {
                    user_id: uin,
                    nickname: nick.into(),
                    sex,
                    age: 24,
                    qq_level: 12,
                    long_nick: String::new(),
                    reg_time: now - 3 * 365 * DAY,
                    status: 10,
                    is_vip: false,
                },
            );
        }
        let alice = self
            .people
            .values()
            .find(|p| p.nickname == "Alice")
            .map(|p| p.user_id)
            .unwrap_or(1987654321);
        let t_friend = now - 2 * 3600;
        let mut reqs = vec![
            PendingRequest {
                flag: t_friend.to_string(),
                kind: RequestKind::Friend,
                user_id: alice,
                nickname: self.nick_of(alice),
                comment: "我是Alice，羽毛球群里的".into(),
                time: t_friend,
                doubt: false,
            },
            self.join_request(
                GROUP_OWNED,
                1987654321,
                "问题：你从哪里知道本群\n答案：朋友推荐",
                now - 5400,
            ),
            self.join_request(
                GROUP_ADMIN,
                1876543210,
                "我是3班的李华，之前换了号",
                now - 26 * 3600,
            ),
            PendingRequest {
                // Filtered friend requests are flagged by the applicant's uid.
                flag: uid_of(1765432109),
                kind: RequestKind::Friend,
                user_id: 1765432109,
                nickname: "路过的网友".into(),
                comment: "加个好友呗".into(),
                time: now - 8 * 3600,
                doubt: true,
            },
        ];
        let mut filtered = self.join_request(
            GROUP_ADMIN_WORK,
            1654321098,
            "有好机会推荐，了解一下？",
            now - 30 * 3600,
        );
        filtered.doubt = true;
        reqs.push(filtered);
        if let Some(inv) = &self.invitation {
            reqs.push(PendingRequest {
                flag: inv.flag.clone(),
                kind: RequestKind::GroupInvite {
                    group_id: inv.group.group_id,
                },
                user_id: 1753159846,
                nickname: self.nick_of(1753159846),
                comment: String::new(),
                time: now - 3 * 3600,
                doubt: false,
            });
        }
        self.requests = reqs;
        // A few people liked the account's profile recently.
        for (i, f) in [2233445566_i64, 1618033988, 1029384756].iter().enumerate() {
            self.liked_by
                .push((*f, now - (i as i64 + 1) * 5 * 3600, 10 - 3 * i as i64));
        }
    }

    /// A join request for a group, flagged like NapCat (a 16-digit microsecond stamp).
    pub(super) fn join_request(
        &mut self,
        group_id: i64,
        user_id: i64,
        comment: &str,
        time: i64,
    ) -> PendingRequest {
        PendingRequest {
            flag: format!("{time}{:06}", self.rng.below(1_000_000)),
            kind: RequestKind::GroupAdd { group_id },
            user_id,
            nickname: self.nick_of(user_id),
            comment: comment.into(),
            time,
            doubt: false,
        }
    }
}
