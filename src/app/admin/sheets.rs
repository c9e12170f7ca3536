//! The rows of the `/info` and `/honors` sheets, made from the server's answers and what the
//! loaded member list adds.

use serde_json::Value;

use crate::onebot::Role;
use crate::onebot::types::{GroupHonorInfo, GroupInfo, HonorMember};

use super::super::state::State;

/// Rows of `/info`: name, number, members, owner, admins, mutes.
pub fn info(
    state: &State,
    group: i64,
    info: &GroupInfo,
    ex: Option<&Value>,
) -> Vec<(String, String)> {
    let mut rows = vec![
        ("群名".to_string(), info.group_name.clone()),
        ("群号".to_string(), group.to_string()),
    ];
    if !info.group_remark.is_empty() {
        rows.push(("备注".into(), info.group_remark.clone()));
    }
    rows.push((
        "成员".into(),
        if info.max_member_count > 0 {
            format!("{} / {}", info.member_count, info.max_member_count)
        } else {
            info.member_count.to_string()
        },
    ));
    let members = state.contacts.members.get(&group);
    // The owner: from get_group_info_ex when the server has it, else from the member list.
    let owner = ex
        .and_then(|v| v.pointer("/extInfo/groupOwnerId/memberUin"))
        .and_then(|v| match v {
            Value::String(s) => s.parse::<i64>().ok(),
            Value::Number(n) => n.as_i64(),
            _ => None,
        })
        .filter(|u| *u != 0)
        .or_else(|| {
            members.and_then(|ms| {
                ms.by_id()
                    .values()
                    .find(|m| m.role == Role::Owner)
                    .map(|m| m.user_id)
            })
        });
    if let Some(o) = owner {
        rows.push(("群主".into(), super::target::label(state, group, o)));
    }
    if let Some(ms) = members {
        let admins: Vec<String> = ms
            .ordered()
            .iter()
            .filter(|m| m.role == Role::Admin)
            .map(|m| m.display_name())
            .collect();
        if !admins.is_empty() {
            rows.push((format!("管理员 ({})", admins.len()), admins.join("、")));
        }
        let muted = ms
            .by_id()
            .values()
            .filter(|m| m.is_muted(state.now))
            .count();
        rows.push(("禁言中".into(), format!("{muted} 人")));
    }
    rows.push((
        "全员禁言".into(),
        if info.all_muted() { "开启" } else { "关闭" }.into(),
    ));
    if let Some(me) = state.contacts.member(group, state.self_id) {
        let role = match me.role {
            Role::Owner => "群主",
            Role::Admin => "管理员",
            _ => "成员",
        };
        rows.push(("你的身份".into(), role.into()));
    }
    if let Some(word) = ex
        .and_then(|v| v.pointer("/extInfo/luckyWord"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        rows.push(("幸运字符".into(), word.to_string()));
    }
    rows
}

/// Rows of `/honors`: the current 龙王, then each honor list.
pub fn honors(h: &GroupHonorInfo) -> Vec<(String, String)> {
    let name = |m: &HonorMember| {
        if m.nickname.is_empty() {
            m.user_id.to_string()
        } else {
            format!("{} ({})", m.nickname, m.user_id)
        }
    };
    let mut rows = Vec::new();
    if let Some(t) = &h.current_talkative {
        rows.push(("当前龙王".to_string(), name(t)));
    }
    let lists: [(&str, &Vec<HonorMember>); 5] = [
        ("龙王", &h.talkative_list),
        ("群聊之火", &h.performer_list),
        ("群聊炽焰", &h.legend_list),
        ("快乐源泉", &h.emotion_list),
        ("冒尖小春笋", &h.strong_newbie_list),
    ];
    for (label, list) in lists {
        for (i, m) in list.iter().enumerate() {
            let label = if i == 0 { label } else { "" };
            rows.push((label.to_string(), name(m)));
        }
    }
    if rows.is_empty() {
        rows.push(("".into(), "本群还没有群荣誉".into()));
    }
    rows
}
