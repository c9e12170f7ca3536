//! Times as popups show them: clock times, dates and ages.

use chrono::{Datelike, Local, TimeZone};

/// A time as lists show it: `HH:MM` today, `MM-DD HH:MM` this year, else `YYYY-MM-DD`.
pub(super) fn when(ts: i64, now: i64) -> String {
    let (Some(t), Some(n)) = (
        Local.timestamp_opt(ts, 0).single(),
        Local.timestamp_opt(now, 0).single(),
    ) else {
        return "-".into();
    };
    if t.date_naive() == n.date_naive() {
        t.format("%H:%M").to_string()
    } else if t.year() == n.year() {
        t.format("%m-%d %H:%M").to_string()
    } else {
        t.format("%Y-%m-%d").to_string()
    }
}

/// How long ago: `刚刚`, `5 分钟前`, `3 小时前`, `2 天前`.
pub(super) fn ago(ts: i64, now: i64) -> String {
    let d = now - ts;
    if d < 60 {
        "刚刚".into()
    } else if d < 3600 {
        format!("{} 分钟前", d / 60)
    } else if d < 86_400 {
        format!("{} 小时前", d / 3600)
    } else {
        format!("{} 天前", d / 86_400)
    }
}

/// A date: `YYYY-MM-DD`.
pub(super) fn date(ts: i64) -> String {
    Local
        .timestamp_opt(ts, 0)
        .single()
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".into())
}
