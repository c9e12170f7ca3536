//! Sending: plain messages (segments converted the way NapCat echoes them), merged forwards,
//! single forwards, pokes and AI voice messages.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::onebot::segment::{AtTarget, Extra, FileData, ImageData, Music, NodeData};
use crate::onebot::{Event, MessageChain, MessageEvent, NoticeKind, Peer, Segment, faces};

use super::World;
use super::content;
use super::model::uid_of;
use super::params::{Fail, Params, Reply, failed, malformed};

/// NapCat's answer when nothing of a message could be sent.
pub const EMPTY_CHAIN: &str = "消息体无法解析, 请检查是否发送了不支持的消息类型";

/// NapCat's answer when node segments are mixed with ordinary ones.
const MIXED_NODES: &str =
    "转发消息不能和普通消息混在一起发送,转发需要保证message只有type为node的元素";

/// Merged forwards nest at most this deep.
const FORWARD_DEPTH: usize = 3;

impl World {
    pub(super) fn send_group_msg(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id", "message"])?;
        let g = p.id("group_id")?;
        let chain = read_chain(p)?;
        self.send_chain(Peer::Group(g), chain, p, ev)
    }

    pub(super) fn send_private_msg(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["user_id", "message"])?;
        let u = p.id("user_id")?;
        let chain = read_chain(p)?;
        // A temporary session (临时会话) names the group it goes through; NapCat builds the
        // temp peer from it, which only reaches someone in that group.
        if let Some(g) = p.opt_id("group_id")?
            && g != 0
            && !self
                .group(g)
                .is_some_and(|gr| gr.member(u).is_some() && gr.member(self.self_id).is_some())
        {
            return Err(failed("发送临时消息失败：对方不在这个群里"));
        }
        self.send_chain(Peer::Private(u), chain, p, ev)
    }

    pub(super) fn send_msg(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["message"])?;
        let chain = read_chain(p)?;
        let peer = resolve_peer(p, None)?;
        self.send_chain(peer, chain, p, ev)
    }

    /// Sends a chain (or a merged forward when it is all nodes) to a conversation.
    fn send_chain(
        &mut self,
        peer: Peer,
        chain: MessageChain,
        p: &Params,
        ev: &mut Vec<Event>,
    ) -> Reply {
        let nodes = chain
            .0
            .iter()
            .filter(|s| matches!(s, Segment::Node(_)))
            .count();
        if nodes > 0 {
            if nodes != chain.0.len() {
                return Err((1400, MIXED_NODES.into()));
            }
            return self.send_nodes(peer, chain, p, ev);
        }
        self.check_can_send(peer)?;
        let mut uploads = Vec::new();
        let mut out = Vec::new();
        for seg in chain.0 {
            if let Some(s) = self.incoming_form(seg, peer, &mut uploads) {
                out.push(s);
            }
        }
        if out.is_empty() {
            return Err(failed(EMPTY_CHAIN));
        }
        let out = MessageChain(out);
        if let Peer::Group(g) = peer
            && out.0.iter().any(|s| {
                matches!(
                    s,
                    Segment::At {
                        target: AtTarget::All,
                        ..
                    }
                )
            })
        {
            self.use_at_all(g)?;
        }
        let event = self.post(peer, self.self_id, out, self.now());
        let id = event.message_id;
        ev.push(Event::Message(Box::new(event)));
        if let Peer::Group(g) = peer {
            for (name, size, file_id) in uploads {
                self.add_group_file(g, file_id, name, size, None, ev);
            }
        }
        Ok(Some(json!({ "message_id": id })))
    }

    /// Refuses sends to unknown conversations, or while muted.
    fn check_can_send(&self, peer: Peer) -> Result<(), Fail> {
        match peer {
            Peer::Group(g) => {
                let group = self.joined(g)?;
                let me = group.member(self.self_id);
                if me.is_some_and(|m| m.shut_up_timestamp > self.now()) {
                    return Err(failed("发送消息失败，你在本群已被禁言"));
                }
                if group.all_shut && !me.is_some_and(|m| m.role.is_admin()) {
                    return Err(failed("发送消息失败，本群已开启全员禁言"));
                }
                Ok(())
            }
            Peer::Private(u) => {
                if self.people.contains_key(&u) {
                    Ok(())
                } else {
                    Err(failed("无法获取用户信息"))
                }
            }
        }
    }

    /// Spends one of today's `@全体成员`, if the account may.
    fn use_at_all(&mut self, g: i64) -> Result<(), Fail> {
        if !self.self_role(g).is_admin() {
            return Err(failed("发送失败：你没有@全体成员的权限"));
        }
        let group = self.group_mut(g).ok_or_else(|| failed("群不存在"))?;
        if group.at_all_remain <= 0 {
            return Err(failed("发送失败：今日@全体成员次数已用完"));
        }
        group.at_all_remain -= 1;
        Ok(())
    }

    /// What a segment becomes once sent, as the echo shows it; `None` when NapCat drops it.
    fn incoming_form(
        &mut self,
        seg: Segment,
        peer: Peer,
        uploads: &mut Vec<(String, u64, String)>,
    ) -> Option<Segment> {
        let private = !peer.is_group();
        match seg {
            Segment::Text { text } => {
                (!text.is_empty()).then(|| Segment::text(text.replace('\r', "\n")))
            }
            Segment::At { target, .. } => (!private).then_some(Segment::At {
                target,
                name: None,
                extra: Extra::new(),
            }),
            Segment::Face { id, .. } => faces::by_id(id).map(|_| content::face(id)),
            Segment::MFace(m) => Some(content::market_sticker(
                &m.emoji_id,
                m.emoji_package_id,
                &m.key,
                &m.summary,
            )),
            Segment::Image(img) => {
                let ImageData {
                    file,
                    summary,
                    sub_type,
                    ..
                } = *img;
                if file.trim().is_empty() {
                    return None;
                }
                let ext = match extension(&file).as_deref() {
                    Some(e @ ("png" | "gif" | "webp" | "jpg" | "jpeg" | "bmp")) => e.to_string(),
                    _ if sub_type == Some(1) => "gif".into(),
                    _ => "jpg".into(),
                };
                let size = self.source_size(&file, 40_000, 2_000_000);
                let name = format!("{}.{ext}", self.rng.hex(32).to_uppercase());
                // The bytes sent (inline, or uploaded by stream first) are what its link serves.
                let sent = match file.strip_prefix("base64://") {
                    Some(b64) => base64::Engine::decode(
                        &base64::engine::general_purpose::STANDARD,
                        b64.trim(),
                    )
                    .ok()
                    .map(std::sync::Arc::<[u8]>::from),
                    None => self.blob(&file),
                };
                if let Some(bytes) = sent {
                    self.put_blob(&name, bytes);
                }
                let summary = summary
                    .filter(|s| !s.is_empty())
                    .or_else(|| (sub_type == Some(1)).then(|| "[动画表情]".to_string()));
                Some(content::photo_named(
                    &mut self.rng,
                    name,
                    size,
                    summary,
                    sub_type.unwrap_or(0),
                    private,
                ))
            }
            Segment::Record(r) => {
                (!r.file.trim().is_empty()).then(|| content::record(&mut self.rng))
            }
            Segment::Video(v) => {
                (!v.file.trim().is_empty()).then(|| content::video(&mut self.rng, private))
            }
            Segment::File(f) => {
                let FileData { file, name, .. } = *f;
                if file.trim().is_empty() {
                    return None;
                }
                let name = name
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| base_name(&file));
                let size = self.source_size(&file, 1_000, 5_000_000);
                let id = format!("/{}", self.rng.uuid());
                if !private {
                    uploads.push((name.clone(), size, id.clone()));
                }
                Some(content::file(&name, size, &id))
            }
            Segment::Reply { id, .. } => {
                let id: i64 = id.trim().parse().ok()?;
                self.store.get(id).map(|_| Segment::reply(id))
            }
            Segment::Forward { id, .. } => self.store.forward(&id).map(|_| Segment::Forward {
                id,
                content: None,
                extra: Extra::new(),
            }),
            Segment::Json { data, .. } => (!data.trim().is_empty()).then(|| Segment::json(data)),
            Segment::Markdown { content, .. } => {
                (!content.is_empty()).then(|| Segment::markdown(content))
            }
            Segment::Music(m) => Some(content::ark(&self.music_ark(&m.music))),
            Segment::Dice { .. } => Some(content::dice(self.rng.range(1, 6) as u8)),
            Segment::Rps { .. } => Some(content::rps(self.rng.range(1, 3) as u8)),
            Segment::Contact { kind, id, .. } => {
                let n: i64 = id.trim().parse().ok()?;
                let name = if kind == "group" {
                    self.group(n).map(|g| g.name.clone())?
                } else {
                    self.person(n)?.nickname.clone()
                };
                Some(content::ark(&content::contact_card(
                    &kind,
                    n,
                    &name,
                    self.now(),
                )))
            }
            // Not sendable through NapCat: dropped, as it does.
            _ => None,
        }
    }

    /// The card NapCat sends once a music share is signed.
    fn music_ark(&self, music: &Music) -> Value {
        let now = self.now();
        match music {
            Music::Platform { platform, id } => content::music_card(
                &format!("歌曲 {id}"),
                platform,
                &format!("https://y.qq.com/n/ryqq/songDetail/{id}"),
                "",
                "https://y.qq.com/music/photo_new/T002R300x300M000.jpg",
                now,
            ),
            Music::Custom {
                url,
                audio,
                title,
                content,
                image,
            } => content::music_card(title, content, url, audio, image, now),
        }
    }

    /// How big an uploaded source is: exact for `base64://`, plausible otherwise.
    fn source_size(&mut self, file: &str, lo: i64, hi: i64) -> u64 {
        if let Some(b64) = file.strip_prefix("base64://") {
            return (b64.trim_end_matches('=').len() * 3 / 4).max(1) as u64;
        }
        self.rng.range(lo, hi).max(1) as u64
    }

    /// Sends a merged forward built from `node` segments.
    fn send_nodes(
        &mut self,
        peer: Peer,
        chain: MessageChain,
        p: &Params,
        ev: &mut Vec<Event>,
    ) -> Reply {
        self.check_can_send(peer)?;
        let content = self.build_nodes(chain, 0);
        if content.is_empty() {
            return Err(failed("转发消息失败，生成节点为空"));
        }
        let res_id = self.rng.token(48);
        let uuid = self.rng.uuid();
        let news: Vec<String> = match p.get("news").and_then(Value::as_array) {
            Some(items) => items
                .iter()
                .filter_map(|i| i.get("text").and_then(Value::as_str).map(str::to_string))
                .collect(),
            None => content
                .iter()
                .take(4)
                .map(|m| format!("{}: {}", m.sender.nickname, m.message.plain_text()))
                .collect(),
        };
        let n = content.len();
        let summary = p
            .opt_string("summary")
            .unwrap_or_else(|| format!("查看{n}条转发消息"));
        let source = p.opt_string("source").unwrap_or_else(|| match peer {
            Peer::Group(_) => "群聊的聊天记录".to_string(),
            Peer::Private(_) => "聊天记录".to_string(),
        });
        let prompt = p
            .opt_string("prompt")
            .unwrap_or_else(|| "[聊天记录]".into());
        self.store.put_forward(res_id.clone(), content);
        let card = content::multimsg_card(&res_id, &uuid, &news, &summary, &source, &prompt, n);
        let event = self.post(
            peer,
            self.self_id,
            MessageChain(vec![content::ark(&card)]),
            self.now(),
        );
        let id = event.message_id;
        ev.push(Event::Message(Box::new(event)));
        Ok(Some(
            json!({"message_id": id, "res_id": res_id, "forward_id": res_id}),
        ))
    }

    /// The messages of a merged forward from its nodes (existing messages or custom content).
    fn build_nodes(&mut self, chain: MessageChain, depth: usize) -> Vec<MessageEvent> {
        let mut out = Vec::new();
        if depth >= FORWARD_DEPTH {
            return out;
        }
        let now = self.now();
        for seg in chain.0 {
            let Segment::Node(node) = seg else {
                continue;
            };
            let NodeData {
                id,
                user_id,
                nickname,
                content,
                ..
            } = *node;
            if let Some(id) = id.filter(|i| !i.is_empty()) {
                // A node quoting an existing message; unknown ids are skipped like NapCat does.
                let found = id
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .and_then(|i| self.store.get(i))
                    .filter(|m| !m.recalled)
                    .map(|m| (m.event.user_id, m.event.message.clone(), m.event.time));
                if let Some((who, mut chain, time)) = found {
                    // A forwarded forward comes out nested, its content inline.
                    for s in chain.0.iter_mut() {
                        if let Segment::Forward { id, content, .. } = s
                            && content.is_none()
                        {
                            *content = self.store.forward(id).cloned();
                        }
                    }
                    out.push(self.forward_node(who, chain, time));
                }
                continue;
            }
            let who = user_id.unwrap_or(self.self_id);
            let mut segs = Vec::new();
            let mut inner_nodes = Vec::new();
            for s in content.unwrap_or_default().0 {
                if matches!(s, Segment::Node(_)) {
                    inner_nodes.push(s);
                } else if let Some(s) = self.incoming_form(s, Peer::Private(who), &mut Vec::new()) {
                    segs.push(s);
                }
            }
            if !inner_nodes.is_empty() {
                let inner = self.build_nodes(MessageChain(inner_nodes), depth + 1);
                if !inner.is_empty() {
                    // An inner forward lives only inline: NapCat's get_forward_msg refuses its
                    // id ("消息已过期或者为内层消息").
                    let fid = format!("74830867583{:08}", self.rng.below(100_000_000));
                    segs.push(Segment::Forward {
                        id: fid,
                        content: Some(inner),
                        extra: Extra::new(),
                    });
                }
            }
            if segs.is_empty() {
                continue;
            }
            let mut node = self.forward_node(who, MessageChain(segs), now);
            if let Some(n) = nickname.filter(|n| !n.is_empty()) {
                node.sender.nickname = n;
            }
            out.push(node);
        }
        out
    }

    pub(super) fn send_forward(
        &mut self,
        p: &Params,
        ev: &mut Vec<Event>,
        group: Option<bool>,
    ) -> Reply {
        let key = if p.has("messages") {
            "messages"
        } else {
            "message"
        };
        if !p.has(key) {
            return Err(super::params::missing(&["messages"]));
        }
        let chain = MessageChain::deserialize(p.value(key)?)
            .map_err(|_| malformed(key, "an array of node segments"))?;
        let peer = resolve_peer(p, group)?;
        if chain.0.iter().any(|s| !matches!(s, Segment::Node(_))) {
            return Err((1400, MIXED_NODES.into()));
        }
        if chain.is_empty() {
            return Err(failed(EMPTY_CHAIN));
        }
        self.send_nodes(peer, chain, p, ev)
    }

    pub(super) fn forward_single(&mut self, p: &Params, ev: &mut Vec<Event>, group: bool) -> Reply {
        let target_key = if group { "group_id" } else { "user_id" };
        p.require(&["message_id", target_key])?;
        let id = p.id("message_id")?;
        let target = p.id(target_key)?;
        let chain = match self.store.get(id) {
            Some(m) if !m.recalled => m.event.message.clone(),
            _ => return Err(failed(format!("无法找到消息{id}"))),
        };
        let peer = if group {
            Peer::Group(target)
        } else {
            Peer::Private(target)
        };
        self.check_can_send(peer)?;
        let event = self.post(peer, self.self_id, chain, self.now());
        ev.push(Event::Message(Box::new(event)));
        Ok(Some(Value::Null))
    }

    pub(super) fn send_poke(&mut self, action: &str, p: &Params, ev: &mut Vec<Event>) -> Reply {
        match action {
            "group_poke" => p.require(&["group_id", "user_id"])?,
            _ if !p.has("user_id") && !p.has("target_id") => {
                return Err(super::params::missing(&["user_id"]));
            }
            _ => {}
        }
        let group = if action == "friend_poke" {
            None
        } else {
            p.opt_id("group_id")?
        };
        let target = match group {
            Some(_) if p.has("target_id") => p.id("target_id")?,
            _ if p.has("user_id") => p.id("user_id")?,
            _ => p.id("target_id")?,
        };
        let raw = poke_raw_info(self.self_id, target, "戳了戳", "");
        let kind = match group {
            Some(g) => {
                let gr = self.joined(g)?;
                if gr.member(target).is_none() {
                    return Err(failed(format!("群({g})成员{target}不存在")));
                }
                NoticeKind::Poke {
                    group_id: Some(g),
                    user_id: self.self_id,
                    sender_id: None,
                    target_id: target,
                    action: "戳了戳".into(),
                    suffix: String::new(),
                    raw_info: raw,
                }
            }
            None => {
                if !self.people.contains_key(&target) {
                    return Err(failed("无法获取用户信息"));
                }
                NoticeKind::Poke {
                    group_id: None,
                    user_id: target,
                    sender_id: Some(self.self_id),
                    target_id: target,
                    action: "戳了戳".into(),
                    suffix: String::new(),
                    raw_info: raw,
                }
            }
        };
        ev.push(self.notice(kind));
        Ok(None)
    }

    pub(super) fn send_group_ai_record(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id", "character", "text"])?;
        let g = p.id("group_id")?;
        self.check_can_send(Peer::Group(g))?;
        let chain = MessageChain(vec![content::record(&mut self.rng)]);
        let event = self.post(Peer::Group(g), self.self_id, chain, self.now());
        let id = event.message_id;
        ev.push(Event::Message(Box::new(event)));
        Ok(Some(json!({ "message_id": id })))
    }
}

/// The `message` param as a chain (`auto_escape` sends a string literally).
fn read_chain(p: &Params) -> Result<MessageChain, Fail> {
    let raw = p.value("message")?;
    if let (Value::String(s), true) = (raw, p.flag("auto_escape", false)) {
        return Ok(MessageChain(vec![Segment::text(s.clone())]));
    }
    MessageChain::deserialize(raw)
        .map_err(|_| malformed("message", "a message (segments or a CQ string)"))
}

/// Where a generic send goes, as NapCat's `createContext` decides.
fn resolve_peer(p: &Params, group: Option<bool>) -> Result<Peer, Fail> {
    let mode = match (group, p.opt_string("message_type").as_deref()) {
        (Some(true), _) | (None, Some("group")) => Some(true),
        (Some(false), _) | (None, Some("private")) => Some(false),
        _ => None,
    };
    let g = p.opt_id("group_id")?;
    let u = p.opt_id("user_id")?;
    match (mode, g, u) {
        (Some(true) | None, Some(g), _) => Ok(Peer::Group(g)),
        (Some(false) | None, _, Some(u)) => Ok(Peer::Private(u)),
        (Some(false), Some(_), None) => Err(failed("当前私聊发送,请指定 user_id 而不是 group_id")),
        (Some(true), None, Some(_)) => Err(failed("当前群聊发送,请指定 group_id 而不是 user_id")),
        _ => Err(failed("请指定正确的 group_id 或 user_id")),
    }
}

fn extension(file: &str) -> Option<String> {
    let tail = file.rsplit(['/', '\\']).next()?;
    let (_, ext) = tail.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase()).filter(|e| e.len() <= 5)
}

fn base_name(file: &str) -> String {
    if file.starts_with("base64://") {
        return "file".into();
    }
    file.rsplit(['/', '\\'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("file")
        .split('?')
        .next()
        .unwrap_or("file")
        .to_string()
}

/// A poke's gray-tip items, shaped like NapCat's `raw_info`.
pub(super) fn poke_raw_info(poker: i64, target: i64, action: &str, suffix: &str) -> Value {
    json!([
        {"col": "1", "nm": "", "type": "qq", "uid": uid_of(poker)},
        {"jp": "https://zb.vip.qq.com/v2/pages/nudgeMall?_wv=2&actionId=0",
         "src": "http://tianquan.gtimg.cn/nudgeaction/item/0/expression.jpg", "type": "img"},
        {"txt": action, "type": "nor"},
        {"col": "1", "nm": "", "tp": "0", "type": "qq", "uid": uid_of(target)},
        {"txt": suffix, "type": "nor"},
    ])
}
