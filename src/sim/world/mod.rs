//! The simulated account's world: friends, groups, members, history, files, notices, requests —
//! and every action NapCat answers, with the state changes and events real QQ would cause.
//!
//! The cast (numbers, names, roles) is the same for every seed (see [`roster`]); the seed decides
//! what was said, the message ids, and the live stream. Times are relative to the moment the world
//! was made, so the history always spans the last few days.

mod account;
mod blobs;
mod content;
mod files;
mod groups;
mod history;
mod live;
mod messages;
mod model;
mod moderation;
mod params;
mod pictures;
mod rng;
pub mod roster;
mod sending;
mod store;
mod stream;
mod system;
#[cfg(test)]
mod tests;
mod texts;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::onebot::event::{MessageType, now_secs};
use crate::onebot::{Event, MessageChain, MessageEvent, Notice, NoticeKind, Peer, Role, Sender};

pub use blobs::{blob_key, made_bytes};
pub use model::{
    Category, Essence, Friend, Group, GroupFile, GroupFolder, GroupNotice, Member, PendingRequest,
    Person, Theme,
};
pub use store::{Like, StoredMessage};
pub use stream::Download;

use model::Invitation;
use params::{Fail, Params, Reply, failed};
use rng::Rng;
use store::Store;

/// The outcome of one action against the world.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// `Ok(data)` (None = reply without a `data` key) or `Err((retcode, message))`.
    pub reply: Result<Option<Value>, (i64, String)>,
    /// Events the action causes (pushed to every event socket after the reply).
    pub events: Vec<Event>,
}

/// The simulated account and everything it can see.
#[derive(Debug, Clone)]
pub struct World {
    pub self_id: i64,
    pub nickname: String,
    /// The account's signature (个性签名).
    pub long_nick: String,
    rng: Rng,
    /// A clock that stands still (tests), or `None` for the wall clock.
    clock: Option<i64>,
    /// Mixed into the ids of messages made after the seeded history: 0 with a clock that
    /// stands still (reproducible), else the start time, so that a run's new messages never
    /// reuse the ids another run gave to different messages (NapCat's ids are hashes of QQ's
    /// own message ids; a client's local history would take a reused id for a duplicate).
    live_salt: u64,
    people: BTreeMap<i64, Person>,
    friends: Vec<Friend>,
    groups: Vec<Group>,
    store: Store,
    requests: Vec<PendingRequest>,
    invitation: Option<Invitation>,
    /// Profile likes given today, per friend.
    likes_given: BTreeMap<i64, i64>,
    /// Profile likes received: who, when, how many.
    liked_by: Vec<(i64, i64, i64)>,
    live: live::LiveState,
    /// Uploads arriving by `upload_file_stream`, and the files they became.
    streams: stream::Streams,
    /// The friend categories (the big account has 20).
    categories: &'static [Category],
    /// The big account (`napterm sim --big`): history in `roster::BIG_RECENT` chats.
    big: bool,
    /// The bytes behind files and media, and the links to them.
    blobs: blobs::Blobs,
}

impl World {
    /// A believable world, the same for the same seed; the history ends now.
    pub fn new(seed: u64) -> World {
        World::build(seed, now_secs(), None, false)
    }

    /// The same world with a clock that stands still at `now` (fully reproducible: tests).
    pub fn with_clock(seed: u64, now: i64) -> World {
        World::build(seed, now, Some(now), false)
    }

    /// The big account: 2,000 friends in 20 categories, 500 groups (one of 3,000 members, one
    /// of 2,000), 300 chats with history (see `roster::build_big`).
    pub fn big(seed: u64) -> World {
        World::build(seed, now_secs(), None, true)
    }

    /// The big account with a clock that stands still at `now` (tests, benches).
    pub fn big_with_clock(seed: u64, now: i64) -> World {
        World::build(seed, now, Some(now), true)
    }

    fn build(seed: u64, now: i64, clock: Option<i64>, big: bool) -> World {
        let cast = if big {
            roster::build_big(now)
        } else {
            roster::build(now)
        };
        let mut w = World {
            self_id: roster::SELF_ID,
            nickname: roster::SELF_NICK.into(),
            long_nick: "在终端里聊 QQ".into(),
            rng: Rng::new(seed),
            clock,
            live_salt: 0,
            people: cast.people.into_iter().map(|p| (p.user_id, p)).collect(),
            friends: cast.friends,
            groups: cast.groups,
            store: Store::default(),
            requests: Vec::new(),
            invitation: Some(cast.invitation),
            likes_given: BTreeMap::new(),
            liked_by: Vec::new(),
            live: live::LiveState::default(),
            streams: stream::Streams::default(),
            categories: if big {
                roster::BIG_CATEGORIES
            } else {
                roster::CATEGORIES
            },
            big,
            blobs: blobs::Blobs::default(),
        };
        w.seed_history(now);
        w.seed_requests(now);
        if clock.is_none() {
            w.live_salt = (now as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
        w
    }

    /// Performs one action as NapCat would.
    pub fn handle(&mut self, action: &str, params: &Value) -> Outcome {
        let p = Params::new(params);
        let mut events = Vec::new();
        let reply = self.dispatch(action, &p, &mut events);
        if reply.is_err() {
            events.clear();
        }
        Outcome { reply, events }
    }

    /// The group benchmarks flood.
    pub fn flood_group(&self) -> i64 {
        roster::GROUP_BENCH
    }

    /// Message `k` of a benchmark flood: a group message carrying the marker `PTM{k:06}`.
    pub fn flood_message(&mut self, k: u64) -> Event {
        let g = roster::GROUP_BENCH;
        let speakers: Vec<i64> = self
            .group(g)
            .map(|gr| {
                gr.members
                    .iter()
                    .filter(|m| m.user_id != self.self_id)
                    .map(|m| m.user_id)
                    .collect()
            })
            .unwrap_or_default();
        let author = speakers
            .get((k % speakers.len().max(1) as u64) as usize)
            .copied()
            .unwrap_or(self.self_id);
        let filler = texts::FLOOD
            .get((k % texts::FLOOD.len() as u64) as usize)
            .copied()
            .unwrap_or("");
        let chain = MessageChain::new().text(format!("PTM{k:06} {filler}"));
        let ev = self.post(Peer::Group(g), author, chain, self.now());
        Event::Message(Box::new(ev))
    }

    // ----- public read access (tests elsewhere look things up here) -----

    /// Every group the account is in.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// One group.
    pub fn group(&self, group_id: i64) -> Option<&Group> {
        self.groups.iter().find(|g| g.group_id == group_id)
    }

    /// One member of one group.
    pub fn member(&self, group_id: i64, user_id: i64) -> Option<&Member> {
        self.group(group_id)?.member(user_id)
    }

    /// The first group where the account has this role (owner, admin or member).
    pub fn group_where(&self, role: Role) -> Option<i64> {
        self.groups
            .iter()
            .filter(|g| g.group_id != roster::GROUP_BENCH)
            .find(|g| g.member(self.self_id).map(|m| m.role) == Some(role))
            .map(|g| g.group_id)
    }

    /// The account's friends.
    pub fn friends(&self) -> &[Friend] {
        &self.friends
    }

    /// One friend.
    pub fn friend(&self, user_id: i64) -> Option<&Friend> {
        self.friends.iter().find(|f| f.user_id == user_id)
    }

    /// Anyone the account knows, by number.
    pub fn person(&self, user_id: i64) -> Option<&Person> {
        self.people.get(&user_id)
    }

    /// A stored message by short id.
    pub fn message(&self, message_id: i64) -> Option<&StoredMessage> {
        self.store.get(message_id)
    }

    /// The short ids of a conversation, old to new.
    pub fn conversation(&self, peer: Peer) -> Vec<i64> {
        self.store.ids(peer).collect()
    }

    /// Requests waiting for an answer (friend, join, invitation).
    pub fn pending_requests(&self) -> &[PendingRequest] {
        &self.requests
    }

    // ----- shared helpers for the action files -----

    /// Current time in Unix seconds.
    fn now(&self) -> i64 {
        self.clock.unwrap_or_else(now_secs)
    }

    /// A notice event stamped now.
    fn notice(&self, kind: NoticeKind) -> Event {
        Event::Notice(Notice {
            time: self.now(),
            self_id: self.self_id,
            kind,
        })
    }

    /// A fresh short message id: positive, 31-bit, unused.
    fn fresh_id(&mut self) -> i64 {
        loop {
            let id = ((self.rng.next_u64() ^ self.live_salt) & 0x7FFF_FFFF) as i64;
            if id > 1000 && !self.store.contains(id) {
                return id;
            }
        }
    }

    fn group_mut(&mut self, group_id: i64) -> Option<&mut Group> {
        self.groups.iter_mut().find(|g| g.group_id == group_id)
    }

    /// The group, or NapCat's failure for a group the account is not in.
    fn joined(&self, group_id: i64) -> Result<&Group, Fail> {
        self.group(group_id)
            .ok_or_else(|| failed(format!("群{group_id}不存在或你不在该群中")))
    }

    /// The account's role in a group it is in.
    fn self_role(&self, group_id: i64) -> Role {
        self.member(group_id, self.self_id)
            .map(|m| m.role)
            .unwrap_or(Role::Member)
    }

    /// The display nickname of anyone.
    fn nick_of(&self, user_id: i64) -> String {
        if user_id == self.self_id {
            return self.nickname.clone();
        }
        self.people
            .get(&user_id)
            .map(|p| p.nickname.clone())
            .unwrap_or_else(|| user_id.to_string())
    }

    /// Builds a message event for a conversation (not stored).
    fn make_event(
        &self,
        peer: Peer,
        author: i64,
        chain: MessageChain,
        time: i64,
        id: i64,
    ) -> MessageEvent {
        let own = author == self.self_id;
        let (message_type, sub_type, group_id, group_name, target_id, sender) = match peer {
            Peer::Group(g) => {
                let m = self.member(g, author);
                let sender = Sender {
                    user_id: author,
                    nickname: m
                        .map(|m| m.nickname.clone())
                        .unwrap_or_else(|| self.nick_of(author)),
                    card: m.map(|m| m.card.clone()).unwrap_or_default(),
                    role: Some(m.map(|m| m.role).unwrap_or(Role::Member)),
                    title: None,
                };
                let name = self.group(g).map(|gr| gr.name.clone());
                (
                    MessageType::Group,
                    "normal",
                    Some(g),
                    name,
                    own.then_some(g),
                    sender,
                )
            }
            Peer::Private(u) => {
                let sender = Sender {
                    user_id: author,
                    nickname: self.nick_of(author),
                    card: String::new(),
                    role: None,
                    title: None,
                };
                let sub = if own || self.friend(u).is_some() {
                    "friend"
                } else {
                    "group"
                };
                (MessageType::Private, sub, None, None, Some(u), sender)
            }
        };
        MessageEvent {
            time,
            self_id: self.self_id,
            post_type: if own { "message_sent" } else { "message" }.into(),
            message_id: id,
            message_seq: Some(id),
            real_id: Some(id),
            real_seq: None,
            message_type,
            sub_type: sub_type.into(),
            user_id: author,
            group_id,
            group_name,
            target_id,
            temp_source: None,
            sender,
            raw_message: chain.to_cq(),
            message: chain,
            message_format: Some("array".into()),
            font: 14,
            message_sent_type: own.then(|| "self".to_string()),
            emoji_likes_list: Vec::new(),
        }
    }

    /// Stores a new message in a conversation and returns its event (with its real sequence).
    fn post(
        &mut self,
        peer: Peer,
        author: i64,
        mut chain: MessageChain,
        time: i64,
    ) -> MessageEvent {
        self.serve_pictures(&mut chain);
        self.localize_chain(&mut chain);
        let id = self.fresh_id();
        let event = self.make_event(peer, author, chain, time, id);
        let long_id = format!("75{:017}", self.rng.below(100_000_000_000_000_000));
        self.store.push(StoredMessage {
            event,
            peer,
            recalled: false,
            likes: Vec::new(),
            long_id,
        });
        if let Peer::Group(g) = peer
            && let Some(m) = self.group_mut(g).and_then(|gr| gr.member_mut(author))
        {
            m.last_sent_time = m.last_sent_time.max(time);
        }
        self.store
            .get(id)
            .map(|m| m.event.clone())
            .unwrap_or_default()
    }

    /// A message `author` sends to `peer` now, stored as any other (its media links pointed at
    /// the simulator's HTTP server); the event to push.
    pub fn receive(&mut self, peer: Peer, author: i64, chain: MessageChain) -> Event {
        let now = self.now();
        // A file sent to a group is one of the group's files.
        if let Peer::Group(g) = peer {
            let name = self
                .member(g, author)
                .map(|m| m.display_name().to_string())
                .unwrap_or_default();
            for seg in &chain.0 {
                if let crate::onebot::Segment::File(f) = seg
                    && let Some(id) = f.file_id.clone()
                    && let Some(group) = self.group_mut(g)
                    && !group.files.iter().any(|x| x.file_id == id)
                {
                    group.files.push(GroupFile {
                        file_id: id,
                        name: f.name.clone().unwrap_or_else(|| f.file.clone()),
                        size: f.file_size.unwrap_or(0) as i64,
                        busid: 102,
                        upload_time: now,
                        download_times: 0,
                        uploader: author,
                        uploader_name: name.clone(),
                        folder_id: None,
                    });
                }
            }
        }
        Event::Message(Box::new(self.post(peer, author, chain, now)))
    }

    /// Routes an action to its handler.
    fn dispatch(&mut self, action: &str, p: &Params, ev: &mut Vec<Event>) -> Reply {
        match action {
            // sending
            "send_group_msg" => self.send_group_msg(p, ev),
            "send_private_msg" => self.send_private_msg(p, ev),
            "send_msg" => self.send_msg(p, ev),
            "send_group_forward_msg" => self.send_forward(p, ev, Some(true)),
            "send_private_forward_msg" => self.send_forward(p, ev, Some(false)),
            "send_forward_msg" => self.send_forward(p, ev, None),
            "forward_friend_single_msg" => self.forward_single(p, ev, false),
            "forward_group_single_msg" => self.forward_single(p, ev, true),
            "send_poke" | "group_poke" | "friend_poke" => self.send_poke(action, p, ev),
            "send_group_ai_record" => self.send_group_ai_record(p, ev),
            // reading messages
            "get_msg" => self.get_msg(p),
            "delete_msg" => self.delete_msg(p, ev),
            "get_group_msg_history" => self.group_history(p),
            "get_friend_msg_history" => self.friend_history(p),
            "get_recent_contact" => self.recent_contacts(p),
            "get_forward_msg" => self.get_forward_msg(p),
            "mark_msg_as_read" => self.mark_msg_as_read(p),
            "mark_group_msg_as_read" => self.mark_group_read(p),
            "mark_private_msg_as_read" => self.mark_private_read(p),
            "_mark_all_as_read" => Ok(Some(Value::Null)),
            "set_msg_emoji_like" => self.set_msg_emoji_like(p, ev),
            "fetch_emoji_like" => self.fetch_emoji_like(p),
            "get_emoji_likes" => self.get_emoji_likes(p),
            "get_image" => self.get_media(p, "image"),
            "get_record" => self.get_media(p, "record"),
            "get_file" => self.get_media(p, "file"),
            // account, friends, users
            "get_login_info" => self.get_login_info(),
            "get_stranger_info" => self.get_stranger_info(p),
            "get_friend_list" => self.get_friend_list(),
            "get_friends_with_category" => self.get_friends_with_category(),
            "get_unidirectional_friend_list" => self.get_unidirectional_friend_list(),
            "set_friend_remark" => self.set_friend_remark(p),
            "delete_friend" => self.delete_friend(p),
            "set_friend_add_request" => self.set_friend_add_request(p, ev),
            "get_doubt_friends_add_request" => self.get_doubt_friends_add_request(p),
            "set_doubt_friends_add_request" => self.set_doubt_friends_add_request(p, ev),
            "send_like" => self.send_like(p),
            "get_profile_like" => self.get_profile_like(p),
            "set_qq_profile" => self.set_qq_profile(p),
            "set_self_longnick" => self.set_self_longnick(p),
            "set_online_status" => self.set_online_status(p),
            "set_qq_avatar" => self.set_qq_avatar(p),
            "set_input_status" => self.set_input_status(p),
            "nc_get_user_status" => self.nc_get_user_status(p),
            "fetch_custom_face" => self.fetch_custom_face(p),
            "create_collection" => self.create_collection(p),
            "upload_private_file" => self.upload_private_file(p, ev),
            "upload_file_stream" => self.upload_file_stream(p),
            "get_private_file_url" => self.get_private_file_url(p),
            "get_mini_app_ark" => self.get_mini_app_ark(p),
            "ArkSharePeer" | "send_ark_share" => self.ark_share_peer(p),
            "ArkShareGroup" | "send_group_ark_share" => self.ark_share_group(p),
            // groups: reading
            "get_group_list" => Ok(Some(Value::Array(
                self.groups.iter().map(Group::to_json).collect(),
            ))),
            "get_group_info" => self.get_group_info(p),
            "get_group_detail_info" => self.get_group_detail_info(p),
            "get_group_info_ex" => self.get_group_info_ex(p),
            "get_group_member_info" => self.get_group_member_info(p),
            "get_group_member_list" => self.get_group_member_list(p),
            "get_group_honor_info" => self.get_group_honor_info(p),
            "get_group_at_all_remain" => self.get_group_at_all_remain(p),
            "get_group_shut_list" => self.get_group_shut_list(p),
            "get_group_system_msg" => self.get_group_system_msg(p),
            "get_group_ignored_notifies" => self.get_group_ignored_notifies(),
            "get_essence_msg_list" => self.get_essence_msg_list(p),
            "_get_group_notice" => self.get_group_notice(p),
            "get_ai_characters" => self.get_ai_characters(p),
            "get_ai_record" => self.get_ai_record(p),
            // groups: moderation and settings
            "set_group_ban" => self.set_group_ban(p, ev),
            "set_group_whole_ban" => self.set_group_whole_ban(p, ev),
            "set_group_kick" => self.set_group_kick(p, ev),
            "set_group_kick_members" => self.set_group_kick_members(p, ev),
            "set_group_admin" => self.set_group_admin(p, ev),
            "set_group_card" => self.set_group_card(p, ev),
            "set_group_special_title" => self.set_group_special_title(p, ev),
            "set_group_name" => self.set_group_name(p, ev),
            "set_group_remark" => self.set_group_remark(p),
            "set_group_portrait" => self.set_group_portrait(p),
            "set_group_leave" => self.set_group_leave(p, ev),
            "set_essence_msg" => self.set_essence_msg(p, ev),
            "delete_essence_msg" => self.delete_essence_msg(p, ev),
            "set_group_add_request" => self.set_group_add_request(p, ev),
            "_send_group_notice" => self.send_group_notice(p),
            "_del_group_notice" => self.del_group_notice(p),
            "set_group_sign" | "send_group_sign" => self.set_group_sign(p),
            // group files
            "upload_group_file" => self.upload_group_file(p, ev),
            "create_group_file_folder" => self.create_group_file_folder(p),
            "delete_group_file" => self.delete_group_file(p),
            "delete_group_folder" => self.delete_group_folder(p),
            "get_group_file_system_info" => self.get_group_file_system_info(p),
            "get_group_root_files" => self.get_group_root_files(p),
            "get_group_files_by_folder" => self.get_group_files_by_folder(p),
            "get_group_file_url" => self.get_group_file_url(p),
            // system
            "get_status" => self.get_status(),
            "get_version_info" => self.get_version_info(),
            "get_online_clients" => Ok(Some(Value::Array(Vec::new()))),
            "nc_get_packet_status" => Ok(None),
            "can_send_image" | "can_send_record" => Ok(Some(serde_json::json!({"yes": true}))),
            "get_clientkey" => self.get_clientkey(),
            "get_robot_uin_range" => self.get_robot_uin_range(),
            "ocr_image" | ".ocr_image" => self.ocr_image(p),
            "translate_en2zh" => self.translate_en2zh(p),
            "download_file" => self.download_file(p),
            "get_cookies" => self.get_cookies(p),
            "get_csrf_token" => self.get_csrf_token(),
            "get_credentials" => self.get_credentials(p),
            "_get_model_show" => self.get_model_show(p),
            "nc_get_rkey" => self.nc_get_rkey(),
            ".handle_quick_operation" => self.handle_quick_operation(p, ev),
            _ => Err((1404, format!("不支持的API {action}"))),
        }
    }
}
