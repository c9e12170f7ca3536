//! System and miscellaneous actions: status, version, credentials, OCR, translation, downloads,
//! rkeys, and NapCat's quick operations.

use serde_json::{Value, json};

use crate::onebot::Event;

use super::World;
use super::model::uid_of;
use super::params::{Params, Reply, failed};

/// The NapCat version the simulator answers as.
pub const NAPCAT_VERSION: &str = "4.18.19";

impl World {
    pub(super) fn get_status(&self) -> Reply {
        Ok(Some(json!({"online": true, "good": true, "stat": {}})))
    }

    pub(super) fn get_version_info(&self) -> Reply {
        Ok(Some(json!({
            "app_name": "NapCat.Onebot", "protocol_version": "v11", "app_version": NAPCAT_VERSION,
        })))
    }

    /// The session key QQ's web services take (deterministic for the account).
    fn skey(&self) -> String {
        format!("@{}", &uid_of(self.self_id)[2..12])
    }

    pub(super) fn get_clientkey(&self) -> Reply {
        let key: String = uid_of(self.self_id ^ 0x5A5A)
            .bytes()
            .chain(uid_of(self.self_id ^ 0xA5A5).bytes())
            .map(|b| format!("{b:02X}"))
            .collect();
        Ok(Some(json!({ "clientkey": key })))
    }

    pub(super) fn get_robot_uin_range(&self) -> Reply {
        Ok(Some(json!([
            {"minUin": "3328144510", "maxUin": "3328144510"},
            {"minUin": "2854196301", "maxUin": "2854216399"},
            {"minUin": "3889000000", "maxUin": "3889999999"},
            {"minUin": "4010000000", "maxUin": "4019999999"},
        ])))
    }

    pub(super) fn ocr_image(&self, p: &Params) -> Reply {
        p.require(&["image"])?;
        let box_of = |text: &str, y: i64| {
            json!({
                "text": text,
                "pt1": {"x": "12", "y": y.to_string()}, "pt2": {"x": "380", "y": y.to_string()},
                "pt3": {"x": "380", "y": (y + 28).to_string()}, "pt4": {"x": "12", "y": (y + 28).to_string()},
                "charBox": [], "score": "",
            })
        };
        Ok(Some(json!([
            box_of("napterm 模拟识别结果", 20),
            box_of("Hello 世界", 60)
        ])))
    }

    pub(super) fn translate_en2zh(&self, p: &Params) -> Reply {
        p.require(&["words"])?;
        let words = p
            .get("words")
            .and_then(Value::as_array)
            .ok_or_else(|| super::params::malformed("words", "array"))?;
        let dict = [
            ("apple", "苹果"),
            ("hello", "你好"),
            ("world", "世界"),
            ("terminal", "终端"),
            ("message", "消息"),
            ("group", "群组"),
            ("friend", "朋友"),
            ("rust", "铁锈"),
        ];
        let out: Vec<Value> = words
            .iter()
            .map(|w| {
                let w = w.as_str().unwrap_or_default();
                let lower = w.to_lowercase();
                dict.iter().find(|(en, _)| *en == lower).map_or_else(
                    || Value::String(w.to_string()),
                    |(_, zh)| Value::String((*zh).into()),
                )
            })
            .collect();
        Ok(Some(json!({ "words": out })))
    }

    pub(super) fn download_file(&mut self, p: &Params) -> Reply {
        let url = p.opt_string("url").filter(|s| !s.is_empty());
        let b64 = p.opt_string("base64").filter(|s| !s.is_empty());
        if url.is_none() && b64.is_none() {
            return Err(failed("不存在任何文件, 无法下载"));
        }
        let name = p
            .opt_string("name")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| self.rng.hex(32));
        Ok(Some(
            json!({ "file": format!("/root/.config/QQ/NapCat/temp/{name}") }),
        ))
    }

    fn cookies(&self, domain: &str) -> String {
        let skey = self.skey();
        let pskey = uid_of(self.self_id ^ domain.len() as i64);
        format!(
            "p_skey={}; p_uin=o{:010}; uin=o{:010}; skey={skey}",
            pskey.trim_start_matches("u_"),
            self.self_id,
            self.self_id
        )
    }

    /// QQ's `bkn`/`g_tk`: a hash of the skey.
    fn bkn(&self) -> i64 {
        let mut hash: i64 = 5381;
        for c in self.skey().bytes() {
            hash = hash.wrapping_add((hash << 5).wrapping_add(i64::from(c)));
        }
        hash & 0x7fff_ffff
    }

    pub(super) fn get_cookies(&self, p: &Params) -> Reply {
        p.require(&["domain"])?;
        let domain = p.string("domain")?;
        Ok(Some(
            json!({"cookies": self.cookies(&domain), "bkn": self.bkn().to_string()}),
        ))
    }

    pub(super) fn get_csrf_token(&self) -> Reply {
        Ok(Some(json!({ "token": self.bkn() })))
    }

    pub(super) fn get_credentials(&self, p: &Params) -> Reply {
        let domain = p.opt_string("domain").unwrap_or_default();
        Ok(Some(
            json!({"cookies": self.cookies(&domain), "token": self.bkn()}),
        ))
    }

    pub(super) fn get_model_show(&self, p: &Params) -> Reply {
        let model = p.opt_string("model").unwrap_or_else(|| "napterm".into());
        Ok(Some(
            json!([{"variants": {"model_show": model, "need_pay": false}}]),
        ))
    }

    pub(super) fn nc_get_rkey(&mut self) -> Reply {
        let now = self.now();
        let private = self.rng.token(64);
        let group = self.rng.token(64);
        Ok(Some(json!([
            {"type": "private", "rkey": format!("&rkey=CAQSK{private}"), "created_at": now, "ttl": "3600"},
            {"type": "group", "rkey": format!("&rkey=CAMSK{group}"), "created_at": now, "ttl": "3600"},
        ])))
    }

    /// `.handle_quick_operation`: reply to, recall, kick or mute the sender of a message event;
    /// approve or refuse a request event.
    pub(super) fn handle_quick_operation(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["context", "operation"])?;
        let ctx = p.value("context")?;
        let op = p.value("operation")?;
        let post_type = ctx.get("post_type").and_then(Value::as_str).unwrap_or("");
        let id = |k: &str| ctx.get(k).and_then(crate::onebot::lenient::value_i64);
        let flag = |k: &str, default: bool| Params::new(op).flag(k, default);
        match post_type {
            "message" | "message_sent" => {
                let group = id("group_id").filter(|g| *g != 0);
                let user = id("user_id");
                if let Some(reply) = op.get("reply").filter(|r| !r.is_null()) {
                    let mut message = reply.clone();
                    if flag("auto_escape", false)
                        && let Value::String(s) = reply
                    {
                        message = json!([{"type": "text", "data": {"text": s}}]);
                    }
                    let mut chain = match message {
                        Value::String(s) => json!([{"type": "text", "data": {"text": s}}]),
                        other => other,
                    };
                    if group.is_some()
                        && flag("at_sender", true)
                        && let (Some(u), Some(arr)) = (user, chain.as_array_mut())
                    {
                        arr.insert(0, json!({"type": "at", "data": {"qq": u.to_string()}}));
                        arr.insert(1, json!({"type": "text", "data": {"text": " "}}));
                    }
                    let params = match group {
                        Some(g) => json!({"group_id": g, "message": chain}),
                        None => json!({"user_id": user, "message": chain}),
                    };
                    self.send_msg(&Params::new(&params), ev)?;
                }
                if let Some(g) = group {
                    if flag("delete", false)
                        && let Some(m) = id("message_id")
                    {
                        self.delete_msg(&Params::new(&json!({"message_id": m})), ev)?;
                    }
                    if flag("kick", false) {
                        self.set_group_kick(
                            &Params::new(&json!({"group_id": g, "user_id": user})),
                            ev,
                        )?;
                    } else if flag("ban", false) {
                        let duration = op
                            .get("ban_duration")
                            .and_then(crate::onebot::lenient::value_i64)
                            .unwrap_or(30 * 60);
                        let params = json!({"group_id": g, "user_id": user, "duration": duration});
                        self.set_group_ban(&Params::new(&params), ev)?;
                    }
                }
            }
            "request" if op.get("approve").is_some() => {
                let params = json!({
                    "flag": ctx.get("flag").cloned().unwrap_or(Value::Null),
                    "approve": flag("approve", true),
                    "remark": op.get("remark").cloned().unwrap_or(Value::Null),
                    "reason": op.get("reason").cloned().unwrap_or(Value::Null),
                });
                let p = Params::new(&params);
                match ctx.get("request_type").and_then(Value::as_str) {
                    Some("friend") => self.set_friend_add_request(&p, ev)?,
                    _ => self.set_group_add_request(&p, ev)?,
                };
            }
            _ => {}
        }
        Ok(None)
    }
}
