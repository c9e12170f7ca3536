//! Markdown segments as styled text: the common subset QQ's markdown messages use — headings,
//! bold, italic, inline code and code blocks, lists, quotes and links — drawn with terminal
//! attributes instead of showing the raw `**` and `#`.

use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

/// The styles markdown is drawn with.
pub struct Styles {
    pub base: Style,
    pub link: Style,
    pub code: Style,
    pub quote: Style,
}

/// Appends `content` as spans (lines joined by `\n` spans, as message text is).
pub fn spans(content: &str, s: &Styles, out: &mut Vec<Span<'static>>, text: TextFn) {
    let mut in_code = false;
    for (i, line) in content.lines().enumerate() {
        if i > 0 {
            out.push(Span::raw("\n"));
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            // The fence itself is not shown; an empty row keeps the block apart.
            continue;
        }
        if in_code {
            // Server text: through the drawer's sanitising text rule like everything else.
            text(&format!("  {line}"), s.code, s.code, out);
            continue;
        }
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            let bold = s.base.add_modifier(Modifier::BOLD);
            inline(trimmed[hashes..].trim(), bold, s, out, text);
            continue;
        }
        if let Some(rest) = trimmed
            .strip_prefix("> ")
            .or(trimmed.strip_prefix('>').filter(|r| r.is_empty()))
        {
            out.push(Span::styled("┃ ", s.quote));
            inline(rest, s.quote, s, out, text);
            continue;
        }
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(rest) = ["- ", "* ", "+ "]
            .iter()
            .find_map(|m| trimmed.strip_prefix(m))
        {
            out.push(Span::styled(format!("{indent}• "), s.base));
            inline(rest, s.base, s, out, text);
            continue;
        }
        if matches!(trimmed, "---" | "***" | "___") {
            out.push(Span::styled("────────", s.quote));
            continue;
        }
        inline(line, s.base, s, out, text);
    }
}

/// How plain text goes out (links found, sanitised): the message drawer's own rule.
pub type TextFn = fn(&str, Style, Style, &mut Vec<Span<'static>>);

/// One line's inline markup: `code`, **bold** / __bold__, *italic* / _italic_, [text](url).
/// A marker without its closing partner is plain text.
fn inline(line: &str, style: Style, s: &Styles, out: &mut Vec<Span<'static>>, text: TextFn) {
    let mut plain = String::new();
    let mut rest = line;
    let flush = |plain: &mut String, out: &mut Vec<Span<'static>>| {
        if !plain.is_empty() {
            text(plain, style, s.link, out);
            plain.clear();
        }
    };
    while let Some(c) = rest.chars().next() {
        let closed = |marker: &str| -> Option<(&str, &str)> {
            let body = rest.strip_prefix(marker)?;
            let end = body.find(marker)?;
            (end > 0).then(|| (&body[..end], &body[end + marker.len()..]))
        };
        if c == '`'
            && let Some((code, after)) = closed("`")
        {
            flush(&mut plain, out);
            text(code, s.code, s.code, out);
            rest = after;
            continue;
        }
        if let Some((inner, after)) = closed("**").or_else(|| closed("__")) {
            flush(&mut plain, out);
            inline(inner, style.add_modifier(Modifier::BOLD), s, out, text);
            rest = after;
            continue;
        }
        if (c == '*' || c == '_')
            && let Some((inner, after)) = closed(if c == '*' { "*" } else { "_" })
            && !inner.starts_with(' ')
        {
            flush(&mut plain, out);
            inline(inner, style.add_modifier(Modifier::ITALIC), s, out, text);
            rest = after;
            continue;
        }
        if c == '['
            && let Some(close) = rest.find("](")
            && let Some(end) = rest[close + 2..].find(')')
        {
            let label = &rest[1..close];
            let url = &rest[close + 2..close + 2 + end];
            flush(&mut plain, out);
            inline(label, style, s, out, text);
            if !url.is_empty() && url != label {
                out.push(Span::styled(" (", style));
                text(url, style, s.link, out);
                out.push(Span::styled(")", style));
            }
            rest = &rest[close + 3 + end..];
            continue;
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut plain, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str, style: Style, _link: Style, out: &mut Vec<Span<'static>>) {
        out.push(Span::styled(text.to_string(), style));
    }

    fn render(md: &str) -> Vec<Span<'static>> {
        let s = Styles {
            base: Style::default(),
            link: Style::default().add_modifier(Modifier::UNDERLINED),
            code: Style::default().add_modifier(Modifier::REVERSED),
            quote: Style::default().add_modifier(Modifier::DIM),
        };
        let mut out = Vec::new();
        spans(md, &s, &mut out, plain);
        out
    }

    fn text_of(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn markup_becomes_attributes_not_characters() {
        let out = render(
            "# 周报\n**本周** 完成 `cargo test`，*详见* [文档](https://example.com)\n- 一\n- 二\n> 引用",
        );
        assert_eq!(
            text_of(&out),
            "周报\n本周 完成 cargo test，详见 文档 (https://example.com)\n• 一\n• 二\n┃ 引用"
        );
        let bold = out.iter().find(|s| s.content == "本周").unwrap();
        assert!(bold.style.add_modifier.contains(Modifier::BOLD));
        let code = out.iter().find(|s| s.content == "cargo test").unwrap();
        assert!(code.style.add_modifier.contains(Modifier::REVERSED));
        let heading = out.iter().find(|s| s.content == "周报").unwrap();
        assert!(heading.style.add_modifier.contains(Modifier::BOLD));
        let italic = out.iter().find(|s| s.content == "详见").unwrap();
        assert!(italic.style.add_modifier.contains(Modifier::ITALIC));
    }

    #[test]
    fn code_blocks_keep_their_text_and_unpaired_markers_stay() {
        let out = render("```rust\nlet **x** = 1;\n```\n2 * 3 = 6, a_b");
        assert_eq!(text_of(&out), "\n  let **x** = 1;\n\n2 * 3 = 6, a_b");
    }
}
