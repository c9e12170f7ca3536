//! Sending messages: NcatBot's `post_*` conveniences, forwards, pokes, and the typed `send_message`.

use serde_json::json;

use super::super::client::Client;
use super::super::error::{Error, Result};
use super::super::event::Peer;
use super::super::message::MessageChain;
use super::super::segment::{AtTarget, Music, Segment};
use super::super::types::{ForwardSent, SentMessage};
use super::{chain_json, decode, has_media, put_opt};

/// The options of `post_group_msg` / `post_private_msg`, as NcatBot names them.
///
/// They become one segment array in this order: `reply` (always first, as NapCat expects), `text`,
/// `face`, `json`, `markdown`, `at`, `music`, `dice`, `rps`, `image`, then the segments of `rtf`.
/// Empty strings are skipped. `at` is ignored in private chats (QQ has no mentions there).
///
/// `markdown` is sent as a `markdown` segment. NcatBot renders it to an image in a headless browser
/// first; a terminal client has no browser to render with, and the segment keeps the text
/// searchable and copyable. QQ only shows markdown segments from accounts allowed to send them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostOptions {
    pub text: Option<String>,
    /// A system face id (see `faces`).
    pub face: Option<i64>,
    /// An ark card's JSON text.
    pub json: Option<String>,
    pub markdown: Option<String>,
    /// A member or everybody; groups only.
    pub at: Option<AtTarget>,
    /// Short id of the message to quote.
    pub reply: Option<i64>,
    pub music: Option<Music>,
    pub dice: bool,
    pub rps: bool,
    /// A file URI (`base64://…`, `http(s)://…`, or a path on the NapCat host).
    pub image: Option<String>,
    /// A whole chain, appended after everything else.
    pub rtf: Option<MessageChain>,
}

impl PostOptions {
    /// Options carrying just this text.
    pub fn text(text: impl Into<String>) -> Self {
        PostOptions {
            text: Some(text.into()),
            ..Default::default()
        }
    }

    /// The segments these options stand for, in the documented order.
    pub fn to_chain(&self, in_group: bool) -> MessageChain {
        let non_empty = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
        let mut segs = Vec::new();
        if let Some(id) = self.reply {
            segs.push(Segment::reply(id));
        }
        if let Some(t) = non_empty(&self.text) {
            segs.push(Segment::text(t));
        }
        if let Some(id) = self.face {
            segs.push(Segment::face(id));
        }
        if let Some(j) = non_empty(&self.json) {
            segs.push(Segment::json(j));
        }
        if let Some(m) = non_empty(&self.markdown) {
            segs.push(Segment::markdown(m));
        }
        match self.at {
            Some(AtTarget::User(qq)) if in_group => segs.push(Segment::at(qq)),
            Some(AtTarget::All) if in_group => segs.push(Segment::at_all()),
            _ => {}
        }
        if let Some(m) = &self.music {
            segs.push(Segment::music(m.clone()));
        }
        if self.dice {
            segs.push(Segment::dice());
        }
        if self.rps {
            segs.push(Segment::rps());
        }
        if let Some(i) = non_empty(&self.image) {
            segs.push(Segment::image(i));
        }
        if let Some(chain) = &self.rtf {
            segs.extend(chain.segments().iter().cloned());
        }
        MessageChain(segs)
    }
}

/// The one media segment of `post_group_file` / `post_private_file`: a file URI (or markdown text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostFile {
    Image(String),
    Record(String),
    Video(String),
    File(String),
    /// Sent as a `markdown` segment (see `PostOptions` for why it is not rendered to an image).
    Markdown(String),
}

impl PostFile {
    /// The segment this stands for.
    pub fn to_segment(&self) -> Segment {
        match self {
            PostFile::Image(f) => Segment::image(f.clone()),
            PostFile::Record(f) => Segment::record(f.clone()),
            PostFile::Video(f) => Segment::video(f.clone()),
            PostFile::File(f) => Segment::file(f.clone()),
            PostFile::Markdown(m) => Segment::markdown(m.clone()),
        }
    }
}

/// The action and target key that send a chain to `peer`.
fn send_action(peer: Peer) -> (&'static str, &'static str) {
    match peer {
        Peer::Group(_) => ("send_group_msg", "group_id"),
        Peer::Private(_) => ("send_private_msg", "user_id"),
    }
}

fn nothing_to_send(action: &str) -> Error {
    Error::BadParams {
        action: action.to_string(),
        message: "nothing to send: the message is empty".into(),
    }
}

impl Client {
    /// Sends `chain` to a group or friend (`send_group_msg` / `send_private_msg`).
    /// An empty chain is refused before any call; chains with media use the media timeout.
    pub async fn send_message(&self, peer: Peer, chain: &MessageChain) -> Result<SentMessage> {
        let (action, key) = send_action(peer);
        if chain.is_empty() {
            return Err(nothing_to_send(action));
        }
        let mut params = json!({ "message": chain_json(action, chain)? });
        put_opt(&mut params, key, Some(peer.id()));
        let data = if has_media(chain.segments()) {
            self.call_media(action, params).await?
        } else {
            self.call(action, params).await?
        };
        decode(action, data)
    }

    /// Sends `chain` in a temporary session (临时会话) with someone who is not a friend, through
    /// the group it started from (`send_private_msg` with `group_id`: without it NapCat can only
    /// reach them while QQ still knows the session).
    pub async fn send_temp_msg(
        &self,
        user_id: i64,
        group_id: i64,
        chain: &MessageChain,
    ) -> Result<SentMessage> {
        const A: &str = "send_private_msg";
        if chain.is_empty() {
            return Err(nothing_to_send(A));
        }
        let params =
            json!({ "user_id": user_id, "group_id": group_id, "message": chain_json(A, chain)? });
        let data = if has_media(chain.segments()) {
            self.call_media(A, params).await?
        } else {
            self.call(A, params).await?
        };
        decode(A, data)
    }

    /// The generic `send_msg`: `message_type` plus `group_id` or `user_id`.
    pub async fn send_msg(&self, peer: Peer, chain: &MessageChain) -> Result<SentMessage> {
        const A: &str = "send_msg";
        if chain.is_empty() {
            return Err(nothing_to_send(A));
        }
        let (kind, key) = match peer {
            Peer::Group(_) => ("group", "group_id"),
            Peer::Private(_) => ("private", "user_id"),
        };
        let mut params = json!({ "message_type": kind, "message": chain_json(A, chain)? });
        put_opt(&mut params, key, Some(peer.id()));
        let data = if has_media(chain.segments()) {
            self.call_media(A, params).await?
        } else {
            self.call(A, params).await?
        };
        decode(A, data)
    }

    /// NcatBot's `post_group_msg`: builds a chain from `opts` (order in `PostOptions`) and sends it
    /// with `send_group_msg`. Options that add up to nothing are refused before any call.
    pub async fn post_group_msg(&self, group_id: i64, opts: PostOptions) -> Result<SentMessage> {
        self.send_message(Peer::Group(group_id), &opts.to_chain(true))
            .await
    }

    /// NcatBot's `post_private_msg`: like `post_group_msg` (without `at`), via `send_private_msg`.
    pub async fn post_private_msg(&self, user_id: i64, opts: PostOptions) -> Result<SentMessage> {
        self.send_message(Peer::Private(user_id), &opts.to_chain(false))
            .await
    }

    /// NcatBot's `post_group_file`: one image, voice, video, file or markdown segment to a group.
    pub async fn post_group_file(&self, group_id: i64, file: PostFile) -> Result<SentMessage> {
        self.post_file(Peer::Group(group_id), file).await
    }

    /// NcatBot's `post_private_file`: one media segment to a friend.
    pub async fn post_private_file(&self, user_id: i64, file: PostFile) -> Result<SentMessage> {
        self.post_file(Peer::Private(user_id), file).await
    }

    async fn post_file(&self, peer: Peer, file: PostFile) -> Result<SentMessage> {
        let (action, key) = send_action(peer);
        let chain = MessageChain(vec![file.to_segment()]);
        let mut params = json!({ "message": chain_json(action, &chain)? });
        put_opt(&mut params, key, Some(peer.id()));
        decode(action, self.call_media(action, params).await?)
    }

    /// Sends the messages with these short ids as one merged forward to a group
    /// (`send_group_forward_msg`, one `node` with `id` per message). Unlike NcatBot this goes to
    /// the group action and quotes the messages by id instead of re-creating them.
    pub async fn send_group_forward_msg(
        &self,
        group_id: i64,
        messages: &[i64],
    ) -> Result<ForwardSent> {
        self.forward("send_group_forward_msg", "group_id", group_id, messages)
            .await
    }

    /// Sends the messages with these short ids as one merged forward to a friend
    /// (`send_private_forward_msg`).
    pub async fn send_private_forward_msg(
        &self,
        user_id: i64,
        messages: &[i64],
    ) -> Result<ForwardSent> {
        self.forward("send_private_forward_msg", "user_id", user_id, messages)
            .await
    }

    async fn forward(
        &self,
        action: &str,
        key: &str,
        target: i64,
        messages: &[i64],
    ) -> Result<ForwardSent> {
        if messages.is_empty() {
            return Err(nothing_to_send(action));
        }
        let nodes = MessageChain(messages.iter().map(|id| Segment::node_id(*id)).collect());
        let mut params = json!({ "messages": chain_json(action, &nodes)? });
        put_opt(&mut params, key, Some(target));
        // Without the packet backend NapCat re-posts every node before forwarding: slow.
        decode(action, self.call_media(action, params).await?)
    }

    /// Forwards one message (by short id) to a friend (`forward_friend_single_msg`).
    pub async fn forward_friend_single_msg(&self, message_id: i64, user_id: i64) -> Result<()> {
        let params = json!({ "message_id": message_id, "user_id": user_id });
        self.call("forward_friend_single_msg", params)
            .await
            .map(drop)
    }

    /// Forwards one message (by short id) to a group (`forward_group_single_msg`).
    pub async fn forward_group_single_msg(&self, message_id: i64, group_id: i64) -> Result<()> {
        let params = json!({ "message_id": message_id, "group_id": group_id });
        self.call("forward_group_single_msg", params)
            .await
            .map(drop)
    }

    /// Pokes `user_id`: in `group_id` when given, else in the private chat (`send_poke`;
    /// needs NapCat's packet backend).
    pub async fn send_poke(&self, user_id: i64, group_id: Option<i64>) -> Result<()> {
        let mut params = json!({ "user_id": user_id });
        put_opt(&mut params, "group_id", group_id);
        self.call("send_poke", params).await.map(drop)
    }

    /// Sends `text` spoken by an AI voice `character` (a `character_id` from `get_ai_characters`)
    /// to a group (`send_group_ai_record`).
    pub async fn send_group_ai_record(
        &self,
        group_id: i64,
        character: &str,
        text: &str,
    ) -> Result<SentMessage> {
        const A: &str = "send_group_ai_record";
        let params = json!({ "group_id": group_id, "character": character, "text": text });
        decode(A, self.call_media(A, params).await?)
    }
}
