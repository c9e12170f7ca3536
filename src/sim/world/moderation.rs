//! Group moderation and settings: mutes, kicks, admins, cards, titles, names, leaving, essence,
//! join requests and invitations, announcements — with QQ's permission rules and the notices the
//! changes cause.

use serde_json::{Value, json};

use crate::onebot::notice::{JoinKind, LeaveKind};
use crate::onebot::{Event, NoticeKind, Peer, RequestKind, Role};

use super::World;
use super::model::{Essence, GroupNotice, Member};
use super::params::{Fail, Params, Reply, failed};

/// QQ's longest mute: 30 days.
const MAX_MUTE: i64 = 30 * 86_400;

const NOT_ADMIN: &str = "权限不足：你不是本群的群主或管理员 (ERR_NOT_GROUP_ADMIN)";
const NOT_OWNER: &str = "权限不足：只有群主可以执行此操作";
const PEER_ADMIN: &str = "权限不足：管理员无法操作群主或其他管理员";

impl World {
    /// The account's role, or a refusal when it is a plain member.
    fn require_admin(&self, g: i64) -> Result<Role, Fail> {
        self.joined(g)?;
        let role = self.self_role(g);
        if role.is_admin() {
            Ok(role)
        } else {
            Err(failed(NOT_ADMIN))
        }
    }

    /// The target member, when the account may act on them (owner over all, admin over members).
    fn manageable(&self, g: i64, u: i64) -> Result<&Member, Fail> {
        let group = self.joined(g)?;
        let target = group
            .member(u)
            .ok_or_else(|| failed(format!("群({g})成员{u}不存在")))?;
        match self.self_role(g) {
            Role::Owner => Ok(target),
            Role::Admin if target.role == Role::Member => Ok(target),
            Role::Admin => Err(failed(PEER_ADMIN)),
            _ => Err(failed(NOT_ADMIN)),
        }
    }

    pub(super) fn set_group_ban(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id", "user_id"])?;
        let g = p.id("group_id")?;
        let u = p.id("user_id")?;
        let duration = p.int("duration", 0)?;
        let group = self.joined(g)?;
        let target = group
            .member(u)
            .ok_or_else(|| failed(format!("群({g})成员{u}不存在")))?;
        if target.role == Role::Owner {
            return Err(failed("cannot ban owner"));
        }
        if u == self.self_id {
            return Err(failed("不能禁言自己"));
        }
        self.manageable(g, u)?;
        if !(0..=MAX_MUTE).contains(&duration) {
            return Err(failed("禁言时长超出范围（0~2592000 秒）"));
        }
        let until = if duration == 0 {
            0
        } else {
            self.now() + duration
        };
        if let Some(m) = self.group_mut(g).and_then(|gr| gr.member_mut(u)) {
            m.shut_up_timestamp = until;
        }
        ev.push(self.notice(NoticeKind::GroupBan {
            lift: duration == 0,
            group_id: g,
            user_id: u,
            operator_id: self.self_id,
            duration,
        }));
        Ok(Some(Value::Null))
    }

    pub(super) fn set_group_whole_ban(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let enable = p.flag("enable", true);
        self.require_admin(g)?;
        if let Some(gr) = self.group_mut(g) {
            gr.all_shut = enable;
        }
        ev.push(self.notice(NoticeKind::GroupBan {
            lift: !enable,
            group_id: g,
            user_id: 0,
            operator_id: self.self_id,
            duration: if enable { -1 } else { 0 },
        }));
        Ok(Some(Value::Null))
    }

    /// Checks that every target may be removed, before anyone is.
    fn check_kick(&self, g: i64, users: &[i64]) -> Result<(), Fail> {
        for u in users {
            if *u == self.self_id {
                return Err(failed("不能将自己移出群聊"));
            }
            let target = self.manageable(g, *u)?;
            if target.role == Role::Owner {
                return Err(failed("权限不足：不能移出群主"));
            }
        }
        Ok(())
    }

    fn kick(&mut self, g: i64, users: &[i64], ev: &mut Vec<Event>) {
        if let Some(gr) = self.group_mut(g) {
            gr.members.retain(|m| !users.contains(&m.user_id));
        }
        for u in users {
            ev.push(self.notice(NoticeKind::GroupDecrease {
                how: LeaveKind::Kick,
                group_id: g,
                user_id: *u,
                operator_id: self.self_id,
            }));
        }
    }

    pub(super) fn set_group_kick(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id", "user_id"])?;
        let g = p.id("group_id")?;
        let u = p.id("user_id")?;
        self.check_kick(g, &[u])?;
        self.kick(g, &[u], ev);
        Ok(Some(Value::Null))
    }

    pub(super) fn set_group_kick_members(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id", "user_id"])?;
        let g = p.id("group_id")?;
        let users: Vec<i64> = match p.value("user_id")? {
            Value::Array(items) => items
                .iter()
                .map(|v| {
                    crate::onebot::lenient::value_i64(v).ok_or_else(|| {
                        super::params::malformed("user_id", "an array of QQ numbers")
                    })
                })
                .collect::<Result<_, _>>()?,
            _ => vec![p.id("user_id")?],
        };
        self.check_kick(g, &users)?;
        self.kick(g, &users, ev);
        Ok(Some(Value::Null))
    }

    pub(super) fn set_group_admin(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id", "user_id"])?;
        let g = p.id("group_id")?;
        let u = p.id("user_id")?;
        // NapCat reads a missing `enable` as false: the member is demoted.
        let enable = p.flag("enable", false);
        self.joined(g)?;
        if self.self_role(g) != Role::Owner {
            return Err(failed(NOT_OWNER));
        }
        let target = self
            .member(g, u)
            .ok_or_else(|| failed(format!("群({g})成员{u}不存在")))?;
        if target.role == Role::Owner {
            return Err(failed("不能修改群主的身份"));
        }
        let new_role = if enable { Role::Admin } else { Role::Member };
        if target.role == new_role {
            return Ok(Some(Value::Null));
        }
        if let Some(m) = self.group_mut(g).and_then(|gr| gr.member_mut(u)) {
            m.role = new_role;
        }
        ev.push(self.notice(NoticeKind::GroupAdmin {
            set: enable,
            group_id: g,
            user_id: u,
        }));
        Ok(Some(Value::Null))
    }

    pub(super) fn set_group_card(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id", "user_id"])?;
        let g = p.id("group_id")?;
        let u = p.id("user_id")?;
        let card = p.opt_string("card").unwrap_or_default();
        let old = if u == self.self_id {
            self.joined(g)?
                .member(u)
                .map(|m| m.card.clone())
                .unwrap_or_default()
        } else {
            self.manageable(g, u)?.card.clone()
        };
        if old == card {
            return Ok(Some(Value::Null));
        }
        if let Some(m) = self.group_mut(g).and_then(|gr| gr.member_mut(u)) {
            m.card = card.clone();
        }
        ev.push(self.notice(NoticeKind::GroupCard {
            group_id: g,
            user_id: u,
            card_new: card,
            card_old: old,
        }));
        Ok(Some(Value::Null))
    }

    pub(super) fn set_group_special_title(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id", "user_id"])?;
        let g = p.id("group_id")?;
        let u = p.id("user_id")?;
        let title = p.opt_string("special_title").unwrap_or_default();
        self.joined(g)?;
        if self.self_role(g) != Role::Owner {
            return Err(failed("设置专属头衔失败：仅群主可以设置专属头衔"));
        }
        let m = self
            .group_mut(g)
            .and_then(|gr| gr.member_mut(u))
            .ok_or_else(|| failed("User not found"))?;
        m.title = title.clone();
        if !title.is_empty() {
            ev.push(self.notice(NoticeKind::Title {
                group_id: g,
                user_id: u,
                title,
            }));
        }
        Ok(None)
    }

    pub(super) fn set_group_name(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id", "group_name"])?;
        let g = p.id("group_id")?;
        let name = p.string("group_name")?;
        self.require_admin(g)?;
        if name.trim().is_empty() {
            return Err(failed("群名称不能为空"));
        }
        if let Some(gr) = self.group_mut(g) {
            gr.name = name.clone();
        }
        ev.push(self.notice(NoticeKind::GroupName {
            group_id: g,
            user_id: self.self_id,
            name_new: name,
        }));
        Ok(Some(Value::Null))
    }

    pub(super) fn set_group_remark(&mut self, p: &Params) -> Reply {
        p.require(&["group_id", "remark"])?;
        let g = p.id("group_id")?;
        let remark = p.string("remark")?;
        self.joined(g)?;
        if let Some(gr) = self.group_mut(g) {
            gr.remark = remark;
        }
        Ok(Some(Value::Null))
    }

    pub(super) fn set_group_portrait(&mut self, p: &Params) -> Reply {
        p.require(&["group_id", "file"])?;
        self.require_admin(p.id("group_id")?)?;
        Ok(Some(json!({"result": 0, "errMsg": "success"})))
    }

    pub(super) fn set_group_leave(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let dismiss = p.flag("is_dismiss", false);
        self.joined(g)?;
        let owner = self.self_role(g) == Role::Owner;
        if owner && !dismiss {
            return Err(failed(
                "群主不能直接退群，请先转让群主或解散该群 (is_dismiss)",
            ));
        }
        self.groups.retain(|gr| gr.group_id != g);
        self.store.drop_conversation(Peer::Group(g));
        self.requests
            .retain(|r| r.kind != RequestKind::GroupAdd { group_id: g });
        ev.push(self.notice(NoticeKind::GroupDecrease {
            how: if owner {
                LeaveKind::Disband
            } else {
                LeaveKind::Leave
            },
            group_id: g,
            user_id: self.self_id,
            operator_id: self.self_id,
        }));
        Ok(Some(Value::Null))
    }

    pub(super) fn set_essence_msg(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["message_id"])?;
        let id = p.id("message_id")?;
        let (g, sender, seq) = match self.store.get(id) {
            Some(m) if !m.recalled => match m.peer {
                Peer::Group(g) => (
                    g,
                    m.event.user_id,
                    m.event
                        .real_seq
                        .as_deref()
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0),
                ),
                Peer::Private(_) => return Err(failed("只能将群消息设为精华")),
            },
            _ => return Err(failed("消息不存在")),
        };
        self.require_admin(g)?;
        if self
            .group(g)
            .is_some_and(|gr| gr.essence.iter().any(|e| e.message_id == id))
        {
            return Err(failed("该消息已经是精华消息"));
        }
        let now = self.now();
        let msg_random = self.rng.range(100_000_000, 2_000_000_000);
        let me = self.self_id;
        if let Some(gr) = self.group_mut(g) {
            gr.essence.push(Essence {
                message_id: id,
                sender_id: sender,
                operator_id: me,
                operator_time: now,
                msg_seq: seq,
                msg_random,
            });
        }
        ev.push(self.notice(NoticeKind::Essence {
            removed: false,
            group_id: g,
            message_id: id,
            sender_id: sender,
            operator_id: me,
        }));
        Ok(Some(json!({
            "errCode": 0, "errMsg": "success",
            "result": {"wording": "", "digestUin": me.to_string(), "digestTime": now},
        })))
    }

    pub(super) fn delete_essence_msg(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        // Either a message id, or the group plus the essence's seq and random.
        let found: Option<(i64, Essence)> = if p.has("message_id") {
            let id = p.id("message_id")?;
            self.groups.iter().find_map(|g| {
                g.essence
                    .iter()
                    .find(|e| e.message_id == id)
                    .map(|e| (g.group_id, e.clone()))
            })
        } else {
            p.require(&["group_id", "msg_seq", "msg_random"])?;
            let g = p.id("group_id")?;
            let seq = p.id("msg_seq")?;
            let random = p.id("msg_random")?;
            self.joined(g)?
                .essence
                .iter()
                .find(|e| e.msg_seq == seq && e.msg_random == random)
                .map(|e| (g, e.clone()))
        };
        let (g, e) = found.ok_or_else(|| failed("该消息不是精华消息"))?;
        self.require_admin(g)?;
        if let Some(gr) = self.group_mut(g) {
            gr.essence.retain(|x| x.message_id != e.message_id);
        }
        ev.push(self.notice(NoticeKind::Essence {
            removed: true,
            group_id: g,
            message_id: e.message_id,
            sender_id: e.sender_id,
            operator_id: self.self_id,
        }));
        Ok(Some(json!({"errCode": 0, "errMsg": "success"})))
    }

    pub(super) fn set_group_add_request(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["flag"])?;
        let flag = p.string("flag")?;
        let approve = p.flag("approve", true);
        let pos = self
            .requests
            .iter()
            .position(|r| {
                r.flag == flag
                    && matches!(
                        r.kind,
                        RequestKind::GroupAdd { .. } | RequestKind::GroupInvite { .. }
                    )
            })
            .ok_or_else(|| failed("No such request"))?;
        let req = self.requests.remove(pos);
        if !approve {
            if matches!(req.kind, RequestKind::GroupInvite { .. }) {
                self.invitation = None;
            }
            return Ok(Some(Value::Null));
        }
        let now = self.now();
        match req.kind {
            RequestKind::GroupAdd { group_id } => {
                let person = self.person(req.user_id).cloned();
                let me = self.self_id;
                if let Some(gr) = self.group_mut(group_id)
                    && gr.member(req.user_id).is_none()
                {
                    gr.members.push(Member {
                        user_id: req.user_id,
                        nickname: req.nickname.clone(),
                        card: String::new(),
                        sex: person.as_ref().map_or("unknown", |p| p.sex),
                        age: person.as_ref().map_or(0, |p| p.age),
                        level: 1,
                        qq_level: person.as_ref().map_or(0, |p| p.qq_level),
                        join_time: now,
                        last_sent_time: now,
                        role: Role::Member,
                        title: String::new(),
                        shut_up_timestamp: 0,
                        is_robot: false,
                    });
                    ev.push(self.notice(NoticeKind::GroupIncrease {
                        how: JoinKind::Approve,
                        group_id,
                        user_id: req.user_id,
                        operator_id: me,
                    }));
                }
            }
            RequestKind::GroupInvite { group_id } => {
                if let Some(inv) = self.invitation.take().filter(|i| i.flag == req.flag) {
                    let mut group = inv.group;
                    if let Some(m) = group.member_mut(self.self_id) {
                        m.join_time = now;
                    }
                    self.groups.push(group);
                    ev.push(self.notice(NoticeKind::GroupIncrease {
                        how: JoinKind::Invite,
                        group_id,
                        user_id: self.self_id,
                        operator_id: req.user_id,
                    }));
                }
            }
            _ => {}
        }
        Ok(Some(Value::Null))
    }

    pub(super) fn send_group_notice(&mut self, p: &Params) -> Reply {
        p.require(&["group_id", "content"])?;
        let g = p.id("group_id")?;
        let text = p.string("content")?;
        self.require_admin(g)?;
        let images = match p.opt_string("image").filter(|s| !s.trim().is_empty()) {
            Some(_) => vec![(self.rng.hex(32).to_uppercase(), 720, 1280)],
            None => Vec::new(),
        };
        let notice = GroupNotice {
            notice_id: format!("{}{}", self.rng.hex(24), self.rng.range(1000, 9999)),
            sender_id: self.self_id,
            publish_time: self.now(),
            text,
            images,
            pinned: p.flag("pinned", false),
            confirm_required: p.flag("confirm_required", true),
            show_edit_card: p.flag("is_show_edit_card", false),
            tip_window_type: p.int("tip_window_type", 0)?,
            read_num: 0,
        };
        if let Some(gr) = self.group_mut(g) {
            gr.notices.insert(0, notice);
        }
        Ok(None)
    }

    pub(super) fn del_group_notice(&mut self, p: &Params) -> Reply {
        p.require(&["group_id", "notice_id"])?;
        let g = p.id("group_id")?;
        let id = p.string("notice_id")?;
        let gr = self.joined(g)?;
        let notice = gr
            .notices
            .iter()
            .find(|n| n.notice_id == id)
            .ok_or_else(|| failed("公告不存在或已被删除"))?;
        if notice.sender_id != self.self_id {
            self.require_admin(g)?;
        }
        if let Some(gr) = self.group_mut(g) {
            gr.notices.retain(|n| n.notice_id != id);
        }
        Ok(Some(json!({"result": 0, "errMsg": "success"})))
    }

    pub(super) fn set_group_sign(&mut self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        self.joined(p.id("group_id")?)?;
        Ok(None)
    }
}
