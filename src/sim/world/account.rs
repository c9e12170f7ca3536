//! The account and the people around it: login info, profiles, friends and their categories,
//! friend requests, profile likes, status, sharing cards.

use serde_json::{Value, json};

use crate::onebot::{Event, NoticeKind, RequestKind};

use super::World;
use super::content;
use super::model::{Friend, uid_of};
use super::params::{Params, Reply, failed};

/// Profile likes one may give the same person per day.
const DAILY_LIKES: i64 = 10;

impl World {
    pub(super) fn get_login_info(&self) -> Reply {
        Ok(Some(
            json!({"user_id": self.self_id, "nickname": self.nickname}),
        ))
    }

    pub(super) fn get_stranger_info(&self, p: &Params) -> Reply {
        p.require(&["user_id"])?;
        let u = p.id("user_id")?;
        let person = self
            .person(u)
            .ok_or_else(|| failed(format!("查询用户{u}信息失败")))?;
        let (nick, long_nick) = if u == self.self_id {
            (self.nickname.clone(), self.long_nick.clone())
        } else {
            (person.nickname.clone(), person.long_nick.clone())
        };
        let remark = self.friend(u).map(|f| f.remark.clone()).unwrap_or_default();
        Ok(Some(json!({
            "uid": uid_of(u), "uin": u.to_string(), "nick": nick, "remark": remark,
            "longNick": long_nick, "sex": person.sex, "age": person.age, "qid": "",
            "user_id": u, "nickname": nick, "qqLevel": person.qq_level, "long_nick": long_nick,
            "reg_time": person.reg_time, "is_vip": person.is_vip, "is_years_vip": false,
            "vip_level": if person.is_vip { 3 } else { 0 }, "status": person.status,
            "login_days": 0,
        })))
    }

    pub(super) fn get_friend_list(&self) -> Reply {
        Ok(Some(Value::Array(
            self.friends.iter().map(Friend::to_json).collect(),
        )))
    }

    pub(super) fn get_friends_with_category(&self) -> Reply {
        let list: Vec<Value> = self
            .categories
            .iter()
            .map(|c| {
                let buddies: Vec<Value> = self
                    .friends
                    .iter()
                    .filter(|f| f.category_id == c.id)
                    .map(|f| {
                        let mut v = f.to_json();
                        if let Some(o) = v.as_object_mut() {
                            let p = self.person(f.user_id);
                            o.insert("uid".into(), uid_of(f.user_id).into());
                            o.insert("uin".into(), f.user_id.to_string().into());
                            o.insert("qid".into(), "".into());
                            o.insert(
                                "longNick".into(),
                                p.map(|p| p.long_nick.clone()).unwrap_or_default().into(),
                            );
                            o.insert("categoryId".into(), c.id.into());
                        }
                        v
                    })
                    .collect();
                let online = self
                    .friends
                    .iter()
                    .filter(|f| f.category_id == c.id)
                    .filter(|f| self.person(f.user_id).is_some_and(|p| p.status != 20))
                    .count();
                json!({
                    "categoryId": c.id, "categorySortId": c.id, "categoryName": c.name,
                    "categoryMbCount": buddies.len(), "onlineCount": online,
                    "buddyList": buddies,
                })
            })
            .collect();
        Ok(Some(Value::Array(list)))
    }

    pub(super) fn get_unidirectional_friend_list(&self) -> Reply {
        let list: Vec<Value> = self
            .people
            .values()
            .filter(|p| p.user_id != self.self_id && self.friend(p.user_id).is_none())
            .filter(|p| p.nickname == "深夜食堂" || p.nickname == "山海")
            .map(|p| {
                json!({"uin": p.user_id, "uid": uid_of(p.user_id), "nick_name": p.nickname,
                       "age": p.age, "source": "群聊"})
            })
            .collect();
        Ok(Some(Value::Array(list)))
    }

    pub(super) fn set_friend_remark(&mut self, p: &Params) -> Reply {
        p.require(&["user_id", "remark"])?;
        let u = p.id("user_id")?;
        let remark = p.string("remark")?;
        let f = self
            .friends
            .iter_mut()
            .find(|f| f.user_id == u)
            .ok_or_else(|| failed(format!("好友{u}不存在")))?;
        f.remark = remark;
        Ok(Some(Value::Null))
    }

    pub(super) fn delete_friend(&mut self, p: &Params) -> Reply {
        let u = p.id_any(&["user_id", "friend_id"])?;
        if self.friend(u).is_none() {
            return Err(failed(format!("好友{u}不存在")));
        }
        self.friends.retain(|f| f.user_id != u);
        Ok(Some(json!({"result": 0, "errMsg": ""})))
    }

    /// Makes someone a friend and announces it.
    fn befriend(&mut self, user_id: i64, remark: String, ev: &mut Vec<Event>) {
        if self.friend(user_id).is_some() {
            return;
        }
        let p = self.person(user_id).cloned();
        self.friends.push(Friend {
            user_id,
            nickname: self.nick_of(user_id),
            remark,
            category_id: 0,
            sex: p.as_ref().map_or("unknown", |p| p.sex),
            age: p.as_ref().map_or(0, |p| p.age),
            level: p.as_ref().map_or(1, |p| p.qq_level),
            birthday: (2000, 1, 1),
        });
        ev.push(self.notice(NoticeKind::FriendAdd { user_id }));
    }

    pub(super) fn set_friend_add_request(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["flag"])?;
        let flag = p.string("flag")?;
        let approve = p.flag("approve", true);
        let pos = self
            .requests
            .iter()
            .position(|r| r.flag == flag && r.kind == RequestKind::Friend && !r.doubt)
            .ok_or_else(|| failed("No such request"))?;
        let req = self.requests.remove(pos);
        if approve {
            let remark = p.opt_string("remark").unwrap_or_default();
            self.befriend(req.user_id, remark, ev);
        }
        Ok(None)
    }

    pub(super) fn get_doubt_friends_add_request(&self, p: &Params) -> Reply {
        let count = p.int("count", 50)?.max(0) as usize;
        let list: Vec<Value> = self
            .requests
            .iter()
            .filter(|r| r.doubt && r.kind == RequestKind::Friend)
            .take(count)
            .map(|r| {
                json!({"flag": r.flag, "uin": r.user_id.to_string(), "nick": r.nickname,
                       "source": "QQ号查找", "reason": "该帐号存在风险，请谨慎添加",
                       "msg": r.comment, "group_code": "", "time": r.time.to_string(), "type": "1"})
            })
            .collect();
        Ok(Some(Value::Array(list)))
    }

    pub(super) fn set_doubt_friends_add_request(
        &mut self,
        p: &Params,
        ev: &mut Vec<Event>,
    ) -> Reply {
        p.require(&["flag"])?;
        let flag = p.string("flag")?;
        let pos = self
            .requests
            .iter()
            .position(|r| r.flag == flag && r.kind == RequestKind::Friend && r.doubt)
            .ok_or_else(|| failed("No such request"))?;
        // NapCat ignores `approve` here: handling a filtered request always accepts it.
        let req = self.requests.remove(pos);
        self.befriend(req.user_id, String::new(), ev);
        Ok(None)
    }

    pub(super) fn send_like(&mut self, p: &Params) -> Reply {
        p.require(&["user_id"])?;
        let u = p.id("user_id")?;
        let times = p.int("times", 1)?.max(1);
        if self.person(u).is_none() || u == self.self_id {
            return Err(failed("点赞失败 用户不存在"));
        }
        let given = self.likes_given.entry(u).or_insert(0);
        if *given + times > DAILY_LIKES {
            return Err(failed("点赞失败 今日同一好友点赞数已达上限"));
        }
        *given += times;
        Ok(None)
    }

    pub(super) fn get_profile_like(&self, p: &Params) -> Reply {
        let start = p.int("start", 0)?.max(0) as usize;
        let count = p.int("count", 10)?.max(0) as usize;
        let now = self.now();
        let received: Vec<Value> = self
            .liked_by
            .iter()
            .rev()
            .skip(start)
            .take(count)
            .map(|(u, t, n)| self.like_entry(*u, *t, *n))
            .collect();
        let given: Vec<Value> = self
            .likes_given
            .iter()
            .map(|(u, n)| self.like_entry(*u, now, *n))
            .collect();
        let today = self
            .liked_by
            .iter()
            .filter(|(_, t, _)| now - t < 86_400)
            .count();
        Ok(Some(json!({
            "uid": uid_of(self.self_id), "time": now.to_string(),
            "favoriteInfo": {"userInfos": received, "total_count": self.liked_by.len(),
                             "last_time": self.liked_by.last().map_or(0, |l| l.1),
                             "today_count": today},
            "voteInfo": {"total_count": given.len(), "new_count": 0, "new_nearby_count": 0,
                         "last_visit_time": now, "userInfos": given},
        })))
    }

    fn like_entry(&self, u: i64, time: i64, count: i64) -> Value {
        let p = self.person(u);
        json!({
            "uid": uid_of(u), "src": 1, "latestTime": time, "count": count, "giftCount": 0,
            "customId": 0, "lastCharged": 0, "bAvailableCnt": 0, "bTodayVotedCnt": 0,
            "nick": self.nick_of(u), "gender": p.map_or(0, |p| if p.sex == "female" { 2 } else { 1 }),
            "age": p.map_or(0, |p| p.age), "isFriend": self.friend(u).is_some(),
            "isvip": p.is_some_and(|p| p.is_vip), "isSvip": false, "uin": u,
        })
    }

    pub(super) fn set_qq_profile(&mut self, p: &Params) -> Reply {
        p.require(&["nickname"])?;
        let nick = p.string("nickname")?;
        if nick.trim().is_empty() {
            return Err(failed("昵称不能为空"));
        }
        self.nickname = nick;
        if let Some(note) = p.opt_string("personal_note") {
            self.long_nick = note;
        }
        Ok(Some(json!({"result": 0, "errMsg": ""})))
    }

    pub(super) fn set_self_longnick(&mut self, p: &Params) -> Reply {
        p.require(&["longNick"])?;
        self.long_nick = p.string("longNick")?;
        Ok(Some(json!({"result": 0, "errMsg": ""})))
    }

    pub(super) fn set_online_status(&mut self, p: &Params) -> Reply {
        p.require(&["status", "ext_status", "battery_status"])?;
        let status = p.id("status")?;
        let me = self.self_id;
        if let Some(person) = self.people.get_mut(&me) {
            person.status = status;
        }
        Ok(Some(Value::Null))
    }

    pub(super) fn set_qq_avatar(&mut self, p: &Params) -> Reply {
        p.require(&["file"])?;
        Ok(Some(Value::Null))
    }

    pub(super) fn set_input_status(&mut self, p: &Params) -> Reply {
        p.require(&["user_id", "event_type"])?;
        let u = p.id("user_id")?;
        p.id("event_type")?;
        if self.person(u).is_none() {
            return Err(failed("无法获取用户信息"));
        }
        Ok(Some(json!({"result": 0, "errMsg": ""})))
    }

    pub(super) fn nc_get_user_status(&self, p: &Params) -> Reply {
        p.require(&["user_id"])?;
        let u = p.id("user_id")?;
        let person = self.person(u).ok_or_else(|| failed("获取用户状态失败"))?;
        Ok(Some(json!({"status": person.status, "ext_status": 0})))
    }

    pub(super) fn fetch_custom_face(&self, p: &Params) -> Reply {
        let count = p.int("count", 48)?.clamp(0, 48) as usize;
        let list: Vec<Value> = (0..count.min(9))
            .map(|i| {
                Value::String(format!(
                    "https://p.qpic.cn/qq_expression/{}/{}{:02}/0",
                    self.self_id,
                    uid_of(self.self_id + i as i64).trim_start_matches("u_"),
                    i
                ))
            })
            .collect();
        Ok(Some(Value::Array(list)))
    }

    pub(super) fn create_collection(&mut self, p: &Params) -> Reply {
        p.require(&["rawData", "brief"])?;
        Ok(Some(
            json!({"result": 0, "errMsg": "", "collectionItemList": []}),
        ))
    }

    pub(super) fn get_mini_app_ark(&self, p: &Params) -> Reply {
        p.require(&["title", "desc", "picUrl", "jumpUrl"])?;
        let app = match p.opt_string("type").as_deref() {
            Some("weibo") => "微博",
            _ => "哔哩哔哩",
        };
        let title = p.string("title")?;
        let desc = p.string("desc")?;
        let jump = p.string("jumpUrl")?;
        let mut card = content::miniapp_card(app, &title, &desc, &jump, self.now());
        if let Some(pic) = p.opt_string("picUrl")
            && let Some(d) = card.pointer_mut("/meta/detail_1")
            && let Some(o) = d.as_object_mut()
        {
            o.insert("preview".into(), pic.into());
        }
        Ok(Some(json!({ "data": card })))
    }

    pub(super) fn ark_share_peer(&self, p: &Params) -> Reply {
        let now = self.now();
        if let Some(g) = p.opt_id("group_id")? {
            let gr = self.joined(g)?;
            let card = content::contact_card("group", g, &gr.name, now);
            return Ok(Some(
                json!({"errCode": 0, "errMsg": "", "arkJson": card.to_string()}),
            ));
        }
        let Some(u) = p.opt_id("user_id")? else {
            return Err(failed("user_id和group_id不能同时为空"));
        };
        let person = self.person(u).ok_or_else(|| failed("无法获取用户信息"))?;
        let card = content::contact_card("qq", u, &person.nickname, now);
        Ok(Some(
            json!({"errCode": 0, "errMsg": "", "arkMsg": card.to_string()}),
        ))
    }

    pub(super) fn ark_share_group(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let gr = self.joined(g)?;
        let card = content::contact_card("group", g, &gr.name, self.now());
        Ok(Some(Value::String(card.to_string())))
    }
}
