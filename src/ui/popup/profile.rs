//! A member's profile: name and number, the facts as label / value rows, and the member pane's
//! keys that work in it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

use crate::app::Action;
use crate::app::keymap::Context;
use crate::app::popup::ProfileCard;
use crate::app::state::State;
use crate::app::text::duration_text;
use crate::onebot::Role;
use crate::onebot::types::Sex;

use super::super::sanitize::sanitize_line;
use super::super::theme::Theme;
use super::time::{ago, date, when};
use super::{centered, closing, frame, pack, popup_width, put, row};

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner => "群主",
        Role::Admin => "管理员",
        Role::Member | Role::Unknown => "成员",
    }
}

/// Draws a member's profile: fetched details when they came, else what the member list knows.
pub fn draw(
    state: &State,
    theme: &Theme,
    p: &ProfileCard,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let now = state.now;
    let fetched = p.data.as_ref().and_then(|d| d.member.as_ref());
    let stranger = p.data.as_ref().and_then(|d| d.stranger.as_ref());
    let known = p.group.and_then(|g| state.contacts.member(g, p.user));
    // Fresh details when they came, else what the member list knows.
    let nickname = fetched
        .map(|m| m.nickname.clone())
        .or_else(|| known.map(|m| m.nickname.clone()))
        .or_else(|| stranger.map(|s| s.nickname.clone()))
        .unwrap_or_default();
    let card = fetched
        .map(|m| m.card.clone())
        .or_else(|| known.map(|m| m.card.clone()))
        .unwrap_or_default();
    let role = fetched.map(|m| m.role).or_else(|| known.map(|m| m.role));
    let title = fetched
        .map(|m| m.title.clone())
        .or_else(|| known.map(|m| m.title.clone()))
        .unwrap_or_default();
    let level = fetched
        .map(|m| m.level.clone())
        .or_else(|| known.map(|m| m.level.clone()))
        .unwrap_or_default();
    let joined = fetched
        .map(|m| m.join_time)
        .or_else(|| known.map(|m| m.join_time))
        .unwrap_or(0);
    let spoke = fetched
        .map(|m| m.last_sent_time)
        .or_else(|| known.map(|m| m.last_sent_time))
        .unwrap_or(0);
    let muted_until = fetched
        .map(|m| m.shut_up_timestamp)
        .or_else(|| known.map(|m| m.shut_up_until))
        .unwrap_or(0);

    let mut rows: Vec<(&str, String, Style)> = Vec::new();
    let name = if card.trim().is_empty() {
        &nickname
    } else {
        &card
    };
    if !card.trim().is_empty() && !nickname.is_empty() && card != nickname {
        rows.push(("昵称", nickname.clone(), theme.popup));
    }
    if let Some(r) = role {
        rows.push(("身份", role_name(r).into(), theme.popup));
    }
    // A friend's profile (no group): only what QQ says of the person.
    let member = p.group.is_some();
    if member {
        rows.push((
            "头衔",
            if title.is_empty() {
                "无".into()
            } else {
                title
            },
            theme.popup,
        ));
    }
    if !level.is_empty() && level != "0" {
        rows.push(("群等级", format!("LV{level}"), theme.popup));
    }
    if let Some(s) = stranger.filter(|s| s.qq_level > 0) {
        rows.push(("QQ 等级", s.qq_level.to_string(), theme.popup));
    }
    if joined > 0 {
        rows.push((
            "入群时间",
            format!("{} ({})", date(joined), ago(joined, now)),
            theme.popup,
        ));
    }
    if member {
        rows.push((
            "最后发言",
            if spoke > 0 {
                format!("{} ({})", when(spoke, now), ago(spoke, now))
            } else {
                "没有记录".into()
            },
            theme.popup,
        ));
    }
    if member && muted_until > now {
        rows.push((
            "禁言",
            format!(
                "禁言中，还剩 {} (到 {})",
                duration_text(muted_until - now),
                when(muted_until, now)
            ),
            theme.status_error,
        ));
    } else if member {
        rows.push(("禁言", "未禁言".into(), theme.popup));
    }
    if let Some(s) = stranger {
        let sex = match s.sex {
            Sex::Male => "男",
            Sex::Female => "女",
            Sex::Unknown => "",
        };
        let age = if s.age > 0 {
            format!("{} 岁", s.age)
        } else {
            String::new()
        };
        let both = [sex, age.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ");
        if !both.is_empty() {
            rows.push(("性别年龄", both, theme.popup));
        }
        if !s.long_nick.trim().is_empty() {
            rows.push(("签名", s.long_nick.clone(), theme.popup));
        }
    }
    let friend_keys = [
        (Action::Poke, "戳一戳"),
        (Action::Run("/like".into()), "点赞"),
    ];
    let member_keys = [
        (Action::Mute, "禁言"),
        (Action::Unmute, "解禁"),
        (Action::Kick, "移出"),
        (Action::Run("/card".into()), "名片"),
        (Action::Run("/title".into()), "头衔"),
        (Action::Run("/admin".into()), "管理员"),
        (Action::Poke, "戳一戳"),
        (Action::Run("/like".into()), "点赞"),
        (Action::Mention, "提及"),
    ];
    let actions = state.keymap.hint_items(
        Context::Members,
        if member { &member_keys } else { &friend_keys },
    );
    let actions = closing(state, actions, "关闭");
    let w = popup_width(area, 64);
    let hint_lines = pack(&actions, w.saturating_sub(4));
    let status_rows = u16::from(p.data.is_none() || p.error.is_some());
    let h = rows.len() as u16 + 3 + status_rows + hint_lines.len() as u16 + 2;
    let r = centered(area, w, h.min(area.height));
    let title = if member {
        "成员资料"
    } else {
        "好友资料"
    };
    let inner = frame(theme, title, r, buf, theme.popup_border);
    if inner.height == 0 {
        return None;
    }
    let x = inner.x + 1;
    let iw = inner.width.saturating_sub(2);
    let head = format!("{} · QQ {}", sanitize_line(name), p.user);
    put(buf, x, inner.y, &head, iw, theme.user_color(p.user));
    let bottom = inner.y + inner.height;
    let hints_at = bottom.saturating_sub(hint_lines.len() as u16);
    let mut y = inner.y + 2;
    if let Some(e) = &p.error {
        put(
            buf,
            x,
            y,
            &format!("获取资料失败: {}", sanitize_line(e)),
            iw,
            theme.status_error,
        );
        y += 1;
    } else if p.data.is_none() {
        put(buf, x, y, "正在获取资料…", iw, theme.system);
        y += 1;
    }
    for (label, value, style) in &rows {
        if y >= hints_at.saturating_sub(1) {
            break;
        }
        let room = hints_at.saturating_sub(1) - y;
        y += row(theme, Rect::new(x, y, iw, room), label, value, *style, buf);
    }
    for (i, l) in hint_lines.iter().enumerate() {
        let y = hints_at + i as u16;
        if y < bottom {
            put(buf, x, y, l, iw, theme.help_text);
        }
    }
    None
}
