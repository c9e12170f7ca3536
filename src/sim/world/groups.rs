//! Group reads: info (plain, detail, ext), members, honors, @all quota, mute list, system
//! messages, essence, announcements, AI voices.

use serde_json::{Value, json};

use crate::onebot::{Peer, RequestKind};

use super::World;
use super::model::{Group, PendingRequest, role_number, uid_of};
use super::params::{Params, Reply, failed};

impl World {
    /// A group by id, or the group of the pending invitation (known but not joined).
    fn known_group(&self, g: i64) -> Option<&Group> {
        self.group(g).or_else(|| {
            self.invitation
                .as_ref()
                .map(|i| &i.group)
                .filter(|gr| gr.group_id == g)
        })
    }

    pub(super) fn get_group_info(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        match self.group(g) {
            Some(gr) => Ok(Some(gr.to_json())),
            // For groups it is not in, NapCat fetches the detail and merges it in.
            None => self.group_detail(g).map(Some),
        }
    }

    pub(super) fn get_group_detail_info(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        self.group_detail(p.id("group_id")?).map(Some)
    }

    fn group_detail(&self, g: i64) -> Result<Value, super::params::Fail> {
        let gr = self
            .known_group(g)
            .ok_or_else(|| failed(format!("获取群{g}信息失败")))?;
        let owner = gr.owner().unwrap_or(0);
        let mut v = json!({
            "groupCode": g.to_string(), "groupName": gr.name, "memberNum": gr.members.len(),
            "maxMemberNum": gr.max_member_count, "ownerUin": owner.to_string(),
            "ownerUid": uid_of(owner), "groupCreateTime": gr.create_time,
            "richFingerMemo": gr.intro, "groupMemo": gr.intro,
            "shutUpAllTimestamp": if gr.all_shut { self.now() } else { 0 },
            "isTop": false, "cmdUinJoinTime": gr.member(self.self_id).map_or(0, |m| m.join_time),
        });
        if let (Some(o), Value::Object(base)) = (v.as_object_mut(), gr.to_json()) {
            o.extend(base);
        }
        Ok(v)
    }

    pub(super) fn get_group_info_ex(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let gr = self.joined(g)?;
        let owner = gr.owner().unwrap_or(0);
        Ok(Some(json!({
            "groupCode": g.to_string(), "resultCode": 0,
            "extInfo": {
                "groupInfoExtSeq": 1, "reserve": 0, "luckyWordId": "0", "lightCharNum": 0,
                "luckyWord": "", "starId": 0, "essentialMsgSwitch": 0, "todoSeq": 0,
                "blacklistExpireTime": 0, "isLimitGroupRtc": 0, "companyId": 0,
                "hasGroupCustomPortrait": 1, "bindGuildId": "0",
                "groupOwnerId": {"memberUin": owner.to_string(), "memberUid": uid_of(owner), "memberQid": ""},
                "essentialMsgPrivilege": 0, "msgEventSeq": "0", "inviteRobotSwitch": 0,
                "gangUpId": "0", "qqMusicMedalSwitch": 0, "showPlayTogetherSwitch": 0,
                "groupFlagPro1": "0", "groupBindGuildIds": {"guildIds": []},
                "viewedMsgDisappearTime": "0",
                "groupExtFlameData": {"switchState": 0, "state": 0, "dayNums": [], "version": 0,
                                      "updateTime": "0", "isDisplayDayNum": false},
                "groupBindGuildSwitch": 0, "groupAioBindGuildId": "0",
                "groupExcludeGuildIds": {"guildIds": []}, "fullGroupExpansionSwitch": 0,
                "fullGroupExpansionSeq": "0", "inviteRobotMemberSwitch": 0,
                "inviteRobotMemberExamine": 0, "groupSquareSwitch": 0,
            }
        })))
    }

    pub(super) fn get_group_member_info(&self, p: &Params) -> Reply {
        p.require(&["group_id", "user_id"])?;
        let g = p.id("group_id")?;
        let u = p.id("user_id")?;
        self.member(g, u)
            .map(|m| Some(m.to_json(g)))
            .ok_or_else(|| failed(format!("群({g})成员{u}不存在")))
    }

    pub(super) fn get_group_member_list(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let gr = self
            .group(g)
            .ok_or_else(|| failed(format!("Failed to get group member list for group {g}")))?;
        Ok(Some(Value::Array(
            gr.members.iter().map(|m| m.to_json(g)).collect(),
        )))
    }

    pub(super) fn get_group_honor_info(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let gr = self.joined(g)?;
        let kind = p.opt_string("type").unwrap_or_else(|| "all".into());
        // Rank members by how much they said in the stored history.
        let mut counts: Vec<(i64, usize)> = Vec::new();
        for id in self.store.ids(Peer::Group(g)) {
            if let Some(m) = self.store.get(id) {
                let u = m.event.user_id;
                match counts.iter_mut().find(|(x, _)| *x == u) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((u, 1)),
                }
            }
        }
        counts.sort_by_key(|(u, n)| (std::cmp::Reverse(*n), *u));
        let entry = |u: i64, description: &str| {
            json!({
                "user_id": u.to_string(),
                "nickname": gr.member(u).map_or_else(|| self.nick_of(u), |m| m.nickname.clone()),
                "avatar": format!("https://q1.qlogo.cn/g?b=qq&nk={u}&s=100"),
                "description": description,
            })
        };
        let wants = |k: &str| kind == "all" || kind == k;
        let ranked: Vec<i64> = counts.iter().map(|(u, _)| *u).collect();
        let list = |k: &str, skip: usize, take: usize, desc: &str| -> Value {
            if wants(k) {
                Value::Array(
                    ranked
                        .iter()
                        .skip(skip)
                        .take(take)
                        .map(|u| entry(*u, desc))
                        .collect(),
                )
            } else {
                Value::Array(Vec::new())
            }
        };
        let newbie = gr
            .members
            .iter()
            .max_by_key(|m| m.join_time)
            .map(|m| m.user_id);
        let mut v = json!({
            "group_id": g,
            "talkative_list": list("talkative", 0, 3, "龙王"),
            "performer_list": list("performer", 0, 5, "群聊之火"),
            "legend_list": list("legend", 1, 3, "群聊炽焰"),
            "emotion_list": list("emotion", 2, 3, "快乐源泉"),
            "strong_newbie_list": if wants("strong_newbie") {
                Value::Array(newbie.map(|u| entry(u, "冒尖小春笋")).into_iter().collect())
            } else {
                Value::Array(Vec::new())
            },
        });
        if wants("talkative")
            && let (Some(o), Some(top)) = (v.as_object_mut(), ranked.first())
        {
            o.insert("current_talkative".into(), entry(*top, "龙王"));
        }
        Ok(Some(v))
    }

    pub(super) fn get_group_at_all_remain(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let gr = self.joined(g)?;
        let admin = self.self_role(g).is_admin();
        let remain = if admin { gr.at_all_remain } else { 0 };
        Ok(Some(json!({
            "can_at_all": admin && remain > 0,
            "remain_at_all_count_for_group": remain,
            "remain_at_all_count_for_uin": remain,
        })))
    }

    pub(super) fn get_group_shut_list(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let gr = self.joined(g)?;
        let now = self.now();
        let list: Vec<Value> = gr
            .members
            .iter()
            .filter(|m| m.shut_up_timestamp > now)
            .map(|m| {
                json!({
                    "uid": uid_of(m.user_id), "qid": "", "uin": m.user_id.to_string(),
                    "nick": m.nickname, "remark": "", "cardType": 0, "cardName": m.card,
                    "role": role_number(m.role), "avatarPath": "", "shutUpTime": m.shut_up_timestamp,
                    "isDelete": false, "isSpecialConcerned": false, "isSpecialShield": false,
                    "isRobot": m.is_robot, "groupHonor": {}, "memberRealLevel": m.level,
                    "memberLevel": m.level, "globalGroupLevel": 0, "globalGroupPoint": 0,
                    "memberTitleId": 0, "memberSpecialTitle": m.title,
                    "specialTitleExpireTime": "0", "userShowFlag": 0, "userShowFlagNew": 0,
                    "richFlag": 0, "mssVipType": 0, "bigClubLevel": 0, "bigClubFlag": 0,
                    "autoRemark": "", "creditLevel": 0, "joinTime": m.join_time,
                    "lastSpeakTime": m.last_sent_time, "memberFlag": 0, "memberFlagExt": 0,
                    "memberMobileFlag": 0, "memberFlagExt2": 0, "isSpecialShielded": false,
                    "cardNameId": 0,
                })
            })
            .collect();
        Ok(Some(Value::Array(list)))
    }

    /// One entry of the group system-message lists.
    fn system_entry(&self, r: &PendingRequest) -> Option<Value> {
        let g = match r.kind {
            RequestKind::GroupAdd { group_id } | RequestKind::GroupInvite { group_id } => group_id,
            _ => return None,
        };
        let group_name = self
            .known_group(g)
            .map(|gr| gr.name.clone())
            .unwrap_or_default();
        Some(json!({
            "request_id": r.flag.parse::<i64>().unwrap_or(0),
            "invitor_uin": r.user_id, "invitor_nick": r.nickname, "group_id": g,
            "message": r.comment, "group_name": group_name, "checked": false, "actor": 0,
            "requester_nick": r.nickname,
        }))
    }

    /// The system-message object over requests matching `doubt`.
    fn system_lists(&self, doubt: bool) -> Value {
        let of = |invite: bool| -> Vec<Value> {
            self.requests
                .iter()
                .filter(|r| r.doubt == doubt)
                .filter(|r| matches!(r.kind, RequestKind::GroupInvite { .. }) == invite)
                .filter_map(|r| self.system_entry(r))
                .collect()
        };
        let invited = of(true);
        json!({"invited_requests": invited, "InvitedRequest": invited, "join_requests": of(false)})
    }

    pub(super) fn get_group_system_msg(&self, _p: &Params) -> Reply {
        // `group_id` is ignored: NapCat lists the notifications of every group.
        Ok(Some(self.system_lists(false)))
    }

    pub(super) fn get_group_ignored_notifies(&self) -> Reply {
        Ok(Some(self.system_lists(true)))
    }

    pub(super) fn get_essence_msg_list(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let gr = self.joined(g)?;
        let nick = |u: i64| {
            gr.member(u)
                .map_or_else(|| self.nick_of(u), |m| m.nickname.clone())
        };
        let list: Vec<Value> = gr
            .essence
            .iter()
            .map(|e| {
                let content = self
                    .store
                    .get(e.message_id)
                    .map(|m| serde_json::to_value(&m.event.message).unwrap_or(Value::Null))
                    .unwrap_or_else(|| Value::Array(Vec::new()));
                json!({
                    "msg_seq": e.msg_seq, "msg_random": e.msg_random, "sender_id": e.sender_id,
                    "sender_nick": nick(e.sender_id), "operator_id": e.operator_id,
                    "operator_nick": nick(e.operator_id), "message_id": e.message_id,
                    "operator_time": e.operator_time, "content": content,
                })
            })
            .collect();
        Ok(Some(Value::Array(list)))
    }

    pub(super) fn get_group_notice(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let gr = self.joined(g)?;
        let mut list: Vec<_> = gr.notices.iter().collect();
        list.sort_by_key(|n| {
            (
                std::cmp::Reverse(n.pinned),
                std::cmp::Reverse(n.publish_time),
            )
        });
        Ok(Some(Value::Array(
            list.iter().map(|n| n.to_json()).collect(),
        )))
    }

    pub(super) fn get_ai_characters(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        self.joined(p.id("group_id")?)?;
        let ch = |id: &str, name: &str| {
            json!({"character_id": id, "character_name": name,
                   "preview_url": format!("https://qq-ai-voice.qq.com/preview/{id}.mp3")})
        };
        Ok(Some(json!([
            {"type": "推荐", "characters": [ch("lucy-voice-laibixiaoxin", "小新"), ch("lucy-voice-houge", "猴哥")]},
            {"type": "古风", "characters": [ch("lucy-voice-guangdong", "东北老铁"), ch("lucy-voice-female1", "邻家小妹")]},
        ])))
    }

    pub(super) fn get_ai_record(&self, p: &Params) -> Reply {
        p.require(&["group_id", "character", "text"])?;
        self.joined(p.id("group_id")?)?;
        let ch = p.string("character")?;
        Ok(Some(Value::String(format!(
            "https://qq-ai-voice.qq.com/tts/{ch}/{}.mp3",
            self.now()
        ))))
    }
}
