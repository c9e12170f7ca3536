//! Short texts the app phrases: quote excerpts, durations, the server's reason for a failure.

use crate::onebot::Error;

/// The first line of a text, shortened for quotes.
pub fn excerpt(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut out: String = line.chars().take(40).collect();
    if line.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// A human duration: `10分钟`, `1小时30分钟`, `2天`.
pub fn duration_text(secs: i64) -> String {
    if secs <= 0 {
        return "0秒".into();
    }
    let (d, h, m, s) = (
        secs / 86400,
        secs % 86400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    let mut out = String::new();
    if d > 0 {
        out.push_str(&format!("{d}天"));
    }
    if h > 0 {
        out.push_str(&format!("{h}小时"));
    }
    if m > 0 && d == 0 {
        out.push_str(&format!("{m}分钟"));
    }
    if s > 0 && d == 0 && h == 0 && m == 0 {
        out.push_str(&format!("{s}秒"));
    }
    out
}

/// The server's own words where there are some. A connection's trouble is said in a word: its
/// details (the transport's own, in English) are in the log and the connection's status.
pub fn short_reason(e: &Error) -> String {
    match e {
        Error::ActionFailed { message, .. } | Error::BadParams { message, .. } => message.clone(),
        Error::Timeout { secs, .. } => format!("{secs} 秒无响应"),
        // Lost while the call was out: it may have been done.
        Error::Transport(_) => "连接中断，不确定是否已完成".into(),
        Error::NotConnected(_) => "未连接".into(),
        Error::UnknownAction { action } => format!("服务器不支持 {action}"),
        Error::AuthRejected(_) => "token 被拒绝".into(),
        Error::UnexpectedReply { detail, .. } => format!("回复格式不对 ({detail})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(600), "10分钟");
        assert_eq!(duration_text(5400), "1小时30分钟");
        assert_eq!(duration_text(86400 * 2), "2天");
        assert_eq!(duration_text(30), "30秒");
    }
}
