//! Mute durations: the presets of the mute picker and the `10m|2h|1d|seconds` syntax of `/ban`.

/// QQ's longest mute: 30 days.
pub const MAX_MUTE: i64 = 30 * DAY;

/// A mute longer than this asks for confirmation first.
pub const CONFIRM_ABOVE: i64 = DAY;

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// The mute picker's presets: label and seconds (the picker adds "自定义…" after them).
pub const PRESETS: &[(&str, i64)] = &[
    ("10 分钟", 10 * MINUTE),
    ("1 小时", HOUR),
    ("12 小时", 12 * HOUR),
    ("1 天", DAY),
    ("30 天", MAX_MUTE),
];

/// Reads a mute duration: plain seconds (`600`) or numbers with units, optionally combined
/// (`10m`, `2h`, `1d`, `1h30m`, `90s`; also `分钟`/`小时`/`天`/`秒`). Must be 1 s to 30 days.
pub fn parse(text: &str) -> Result<i64, String> {
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return Err("缺少时长 (例: 10m、2h、1d 或秒数)".into());
    }
    let bad = || format!("「{text}」不是时长 (例: 10m、2h、1d、1h30m 或秒数)");
    let mut total: i64 = 0;
    let mut rest = t.as_str();
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(bad());
        }
        let n: i64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = rest[..unit_len].trim();
        rest = &rest[unit_len..];
        let scale = match unit {
            "" | "s" | "秒" => 1,
            "m" | "min" | "分" | "分钟" => MINUTE,
            "h" | "小时" | "时" => HOUR,
            "d" | "天" => DAY,
            _ => return Err(bad()),
        };
        total = n
            .checked_mul(scale)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(|| "最长只能禁言 30 天".to_string())?;
    }
    if total <= 0 {
        return Err("禁言时长要大于 0 (解除禁言用 /unban)".into());
    }
    if total > MAX_MUTE {
        return Err("最长只能禁言 30 天".into());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_plain_seconds() {
        assert_eq!(parse("600"), Ok(600));
        assert_eq!(parse("10m"), Ok(600));
        assert_eq!(parse("2h"), Ok(7200));
        assert_eq!(parse("1d"), Ok(86_400));
        assert_eq!(parse("1h30m"), Ok(5400));
        assert_eq!(parse("30天"), Ok(MAX_MUTE));
        assert_eq!(parse(" 45S "), Ok(45));
    }

    #[test]
    fn out_of_range_and_nonsense_are_explained() {
        assert!(parse("31d").unwrap_err().contains("30 天"));
        assert!(parse("0").unwrap_err().contains("/unban"));
        assert!(parse("soon").unwrap_err().contains("不是时长"));
        assert!(parse("m10").unwrap_err().contains("不是时长"));
        assert!(parse("99999999999999999999").is_err());
        assert!(parse("").is_err());
    }
}
