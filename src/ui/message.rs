//! How one message or notice looks: segments to styled spans, then wrapped rows with a prefix.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::app::chat::{Delivery, Entry, EntryKind, MessageItem, NoticeItem};
use crate::app::quotes::FORWARD_PREVIEW_LINES;
use crate::app::state::{ForwardPreview, Quote, State};
use crate::onebot::card::{Card, CardKind};
use crate::onebot::link::find_url;
use crate::onebot::message::{face_label, human_size, rps_name};
use crate::onebot::segment::{AtTarget, Music};
use crate::onebot::{Peer, Segment, faces};

use super::sanitize::{sanitize, sanitize_line};
use super::theme::Theme;
use super::wrap::{WrapOpts, truncate, width, wrap_spans};

/// Everything layout needs besides the entry.
pub struct LayoutCtx<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
    pub peer: Peer,
}

/// Columns before the message text: `HH:MM ` + name column + ` │ `.
pub fn name_width(total: u16) -> u16 {
    (total / 6).clamp(4, 14)
}

fn prefix_width(total: u16) -> u16 {
    6 + name_width(total) + 3
}

/// Columns left for the message text in a timeline `total` columns wide.
pub fn text_width(total: u16) -> u16 {
    total.saturating_sub(prefix_width(total))
}
/// What the time column says for a message whose server time cannot be believed (as wide as
/// `HH:MM`).
pub const BAD_TIME: &str = "时间?";

/// `HH:MM` in local time.
pub fn clock(ts: i64) -> String {
    use chrono::{Local, TimeZone, Timelike};
    match Local.timestamp_opt(ts, 0).single() {
        // Not `format("%H:%M")`: parsing that pattern was most of a message's time column.
        Some(t) => format!("{:02}:{:02}", t.hour(), t.minute()),
        None => "--:--".into(),
    }
}

/// Splits text into plain and link spans. Links are found in the text as sent (as `o` finds
/// them), then each piece is sanitised: a link is made of characters that need no sanitising.
fn text_spans(text: &str, base: Style, link: Style, out: &mut Vec<Span<'static>>) {
    let mut rest = text;
    while let Some((a, b)) = find_url(rest) {
        if a > 0 {
            out.push(Span::styled(sanitize(&rest[..a]).into_owned(), base));
        }
        out.push(Span::styled(sanitize_line(&rest[a..b]).into_owned(), link));
        rest = &rest[b..];
    }
    if !rest.is_empty() {
        out.push(Span::styled(sanitize(rest).into_owned(), base));
    }
}

/// An ark card: its heading, description and the link `o` opens.
fn card_spans(ctx: &LayoutCtx, card: &Card, media: Style, out: &mut Vec<Span<'static>>) {
    let t = ctx.theme;
    out.push(Span::styled(
        sanitize_line(&format!("[卡片] {}", card.heading())).into_owned(),
        media,
    ));
    if let Some(d) = &card.desc {
        out.push(Span::styled(format!("\n{}", sanitize(d)), t.quote));
    }
    if let Some(u) = &card.url {
        out.push(Span::raw("\n"));
        out.push(Span::styled(sanitize_line(u).into_owned(), t.link));
    }
}

/// Styled spans for the content of a message (reply quotes are drawn separately).
pub fn content_spans(ctx: &LayoutCtx, m: &MessageItem) -> Vec<Span<'static>> {
    let t = ctx.theme;
    let base = if m.recalled_by.is_some() {
        t.recalled
    } else if !m.own && ctx.state.settings.highlights.in_chain(&m.chain) {
        // A highlight word (`[notify] highlight`): the text in bold, as a mention would catch
        // the eye.
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    let media = t.link.remove_modifier(Modifier::UNDERLINED);
    let media = if m.recalled_by.is_some() {
        t.recalled
    } else {
        media
    };
    let mut out: Vec<Span<'static>> = Vec::new();
    let bracket = |s: String| Span::styled(sanitize_line(&s).into_owned(), media);
    for seg in m.chain.segments() {
        match seg {
            Segment::Text { text } => text_spans(text, base, t.link, &mut out),
            Segment::At { target, name, .. } => {
                let (label, style) = match target {
                    AtTarget::All => ("@全体成员".to_string(), t.mention_all),
                    AtTarget::User(qq) => {
                        let n = ctx.state.mention_name(ctx.peer, *qq, name.as_deref());
                        let style = if *qq == ctx.state.self_id {
                            t.mention_me
                        } else {
                            t.mention
                        };
                        (format!("@{n}"), style)
                    }
                };
                out.push(Span::styled(sanitize_line(&label).into_owned(), style));
            }
            Segment::Face { id, extra } => out.push(bracket(face_label(*id, extra))),
            Segment::MFace(mf) => out.push(bracket(if mf.summary.is_empty() {
                "[商城表情]".into()
            } else {
                mf.summary.clone()
            })),
            Segment::Image(i) => {
                // A picture that could not be had says why.
                if let Some(why) = failed_picture(ctx, i) {
                    out.push(bracket(why.into()));
                    continue;
                }
                let label = match i.summary.as_deref().filter(|s| !s.is_empty()) {
                    Some(s) => s.to_string(),
                    None if i.emoji_id.is_some() || i.sub_type == Some(1) => "[动画表情]".into(),
                    None => "[图片]".into(),
                };
                let label = match (i.file_size, label.as_str()) {
                    (Some(n), "[图片]") if n > 0 => format!("[图片 {}]", human_size(n)),
                    _ => label,
                };
                out.push(bracket(label));
            }
            Segment::Record(r) => out.push(bracket(match r.file_size {
                Some(n) if n > 0 => format!("[语音 {}]", human_size(n)),
                _ => "[语音]".into(),
            })),
            Segment::Video(v) => out.push(bracket(match v.file_size {
                Some(n) if n > 0 => format!("[视频 {}]", human_size(n)),
                _ => "[视频]".into(),
            })),
            Segment::File(f) => {
                let n = f.name.as_deref().unwrap_or(&f.file);
                out.push(bracket(match f.file_size {
                    Some(s) => format!("[文件] {n} ({})", human_size(s)),
                    None => format!("[文件] {n}"),
                }));
            }
            Segment::Reply { .. } => {}
            Segment::Forward { id, content, .. } => {
                out.push(bracket("[聊天记录]".into()));
                if content.is_none() {
                    forward_preview(ctx, id, &mut out);
                }
                if let Some(list) = content {
                    for ev in list.iter().take(3) {
                        let who = ev.sender.display_name();
                        let text = ev.message.plain_text();
                        let line = format!("\n  {}: {}", sanitize_line(&who), sanitize_line(&text));
                        out.push(Span::styled(line, t.quote));
                    }
                    if list.len() > 3 {
                        out.push(Span::styled(format!("\n  … 共 {} 条", list.len()), t.quote));
                    }
                }
            }
            Segment::Node(n) => out.push(bracket(format!(
                "[转发节点 {}]",
                n.nickname.as_deref().unwrap_or("")
            ))),
            Segment::Json { data, .. } => {
                let card = Card::parse(data);
                if card.kind == CardKind::Forward {
                    forward_card_spans(ctx, data, media, &mut out);
                } else {
                    card_spans(ctx, &card, media, &mut out);
                }
            }
            Segment::Xml { .. } => out.push(bracket("[XML卡片]".into())),
            Segment::Markdown { content, .. } => {
                let styles = super::markdown::Styles {
                    base,
                    link: t.link,
                    code: media,
                    quote: t.quote,
                };
                super::markdown::spans(content, &styles, &mut out, text_spans);
            }
            Segment::Music(m) => out.push(bracket(match &m.music {
                Music::Custom { title, .. } if !title.is_empty() => format!("[音乐] {title}"),
                Music::Platform { platform, id } => format!("[音乐 {platform}:{id}]"),
                _ => "[音乐]".into(),
            })),
            Segment::Dice { result, .. } => out.push(bracket(match result {
                Some(r) => format!("[骰子 {r}]"),
                None => "[骰子]".into(),
            })),
            Segment::Rps { result, .. } => out.push(bracket(match result {
                Some(r) => format!("[猜拳 {}]", rps_name(*r)),
                None => "[猜拳]".into(),
            })),
            Segment::Poke { .. } => out.push(bracket("[戳一戳]".into())),
            Segment::Shake { .. } => out.push(bracket("[窗口抖动]".into())),
            Segment::Contact { kind, id, .. } => out.push(bracket(if kind == "group" {
                format!("[推荐群聊 {id}]")
            } else {
                format!("[推荐联系人 {id}]")
            })),
            Segment::Location(l) => out.push(bracket(format!(
                "[位置] {} {}",
                l.title.as_deref().unwrap_or(""),
                l.content.as_deref().unwrap_or("")
            ))),
            Segment::Share(sh) => {
                out.push(bracket(format!("[分享] {}", sh.title)));
                // The link `o` opens, if the share has one.
                if let Some(url) = seg.link() {
                    out.push(Span::raw(" "));
                    out.push(Span::styled(sanitize_line(&url).into_owned(), t.link));
                }
            }
            Segment::OnlineFile {
                file_name,
                file_size,
                ..
            } => out.push(bracket(match file_size {
                Some(s) => format!("[在线文件] {file_name} ({})", human_size(*s)),
                None => format!("[在线文件] {file_name}"),
            })),
            Segment::FlashTransfer { .. } => out.push(bracket("[闪传]".into())),
            Segment::Unknown { kind, .. } => out.push(bracket(format!("[{kind}]"))),
        }
    }
    if out.is_empty() {
        out.push(Span::styled("[空消息]", t.system));
    }
    out
}

/// Why a picture shows as its placeholder, when it failed.
fn failed_picture(ctx: &LayoutCtx, i: &crate::onebot::segment::ImageData) -> Option<&'static str> {
    use crate::app::pictures::{PicKey, Slot};
    match ctx.state.pictures.slots.get(&PicKey::of(i)?) {
        Some(Slot::Failed(why)) => Some(why.placeholder()),
        _ => None,
    }
}

/// The pictures of a message drawn under it (inline mode, a depth that can draw them), each
/// in the text column after `indent`.
fn picture_rows(
    ctx: &LayoutCtx,
    m: &MessageItem,
    w: u16,
    indent: &[Span<'static>],
    rows: &mut Vec<Line<'static>>,
) {
    use crate::app::pictures::{Mode, inline_box, is_sticker, pictures_of};
    let pics = &ctx.state.pictures;
    if pics.mode != Mode::Inline || m.recalled_by.is_some() || !super::picture::drawable(ctx.theme)
    {
        return;
    }
    for (img, key) in pictures_of(&m.chain) {
        let fit = inline_box(w, pics.max_rows, is_sticker(img));
        if let Some(cells) = pics.cells(&key, fit) {
            rows.extend(super::picture::rows(cells, indent, ctx.theme));
        }
    }
}

/// The pictures `picture_rows` draws under a message, in order: the picture, its box and its
/// size in cells.
pub fn drawn_pictures(
    ctx: &LayoutCtx,
    m: &MessageItem,
    w: u16,
) -> Vec<(
    crate::app::pictures::PicKey,
    crate::app::pictures::CellBox,
    (u16, u16),
)> {
    use crate::app::pictures::{Mode, inline_box, is_sticker, pictures_of};
    let pics = &ctx.state.pictures;
    if pics.mode != Mode::Inline || m.recalled_by.is_some() || !super::picture::drawable(ctx.theme)
    {
        return Vec::new();
    }
    pictures_of(&m.chain)
        .filter_map(|(img, key)| {
            let fit = inline_box(w, pics.max_rows, is_sticker(img));
            let c = pics.cells(&key, fit)?;
            Some((key, fit, (c.cols, c.rows)))
        })
        .collect()
}

/// A merged forward as its sender's echo holds it (`com.tencent.multimsg`): `[聊天记录]` and its
/// source, the card's preview lines and its summary (`查看2条转发消息`).
fn forward_card_spans(ctx: &LayoutCtx, data: &str, media: Style, out: &mut Vec<Span<'static>>) {
    let t = ctx.theme;
    let v: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
    let detail = v.pointer("/meta/detail");
    let text = |k: &str| {
        detail
            .and_then(|d| d.get(k))
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    let head = match text("source") {
        Some(src) => format!("[聊天记录] {src}"),
        None => "[聊天记录]".to_string(),
    };
    out.push(Span::styled(sanitize_line(&head).into_owned(), media));
    let news = detail
        .and_then(|d| d.get("news"))
        .and_then(serde_json::Value::as_array);
    for n in news.into_iter().flatten().take(FORWARD_PREVIEW_LINES) {
        if let Some(line) = n.get("text").and_then(serde_json::Value::as_str) {
            out.push(Span::styled(
                format!("\n  {}", sanitize_line(line)),
                t.quote,
            ));
        }
    }
    if let Some(summary) = text("summary") {
        out.push(Span::styled(
            format!("\n  {}", sanitize_line(summary)),
            t.quote,
        ));
    }
}

/// The preview of a forward fetched with get_forward_msg: up to three lines, then the count.
fn forward_preview(ctx: &LayoutCtx, id: &str, out: &mut Vec<Span<'static>>) {
    let t = ctx.theme;
    match ctx.state.forwards.get(id) {
        Some(ForwardPreview::Found { lines, total }) => {
            for (who, text) in lines {
                let line = format!("\n  {}: {}", sanitize_line(who), sanitize_line(text));
                out.push(Span::styled(line, t.quote));
            }
            if *total > lines.len() {
                out.push(Span::styled(format!("\n  … 共 {total} 条"), t.quote));
            }
        }
        Some(ForwardPreview::Loading) => out.push(Span::styled(" (正在获取…)", t.quote)),
        Some(ForwardPreview::Missing) | None => {}
    }
}

/// The quote line of a reply: `┆ 作者: 摘要`.
fn quote_spans(ctx: &LayoutCtx, reply_to: i64) -> Span<'static> {
    let t = ctx.theme;
    let text = match ctx
        .state
        .chats
        .get(&ctx.peer)
        .and_then(|c| c.timeline.message(reply_to))
    {
        Some(q) => {
            let author = if q.own {
                ctx.state.self_name.clone()
            } else {
                ctx.state.contacts.name_in(ctx.peer, q.sender_id)
            };
            let author = if author == q.sender_id.to_string() {
                q.sender_name.clone()
            } else {
                author
            };
            let body = if q.recalled_by.is_some() {
                "(已撤回)".to_string()
            } else {
                crate::app::text::excerpt(&ctx.state.plain_text(ctx.peer, &q.chain))
            };
            format!("{author}: {body}")
        }
        None => match ctx.state.quotes.get(&reply_to) {
            Some(Quote::Found {
                author, excerpt, ..
            }) => format!("{author}: {excerpt}"),
            Some(Quote::Missing) => "(原消息不可用)".into(),
            Some(Quote::Loading) | None => "(正在获取原消息…)".into(),
        },
    };
    Span::styled(format!("┆ {}", sanitize_line(&text)), t.quote)
}

/// The rows of a message: prefixed, wrapped, with quote, state and reactions.
/// A message marked for forwarding shows `✓` before its bar.
pub fn message_rows(
    ctx: &LayoutCtx,
    time: i64,
    m: &MessageItem,
    marked: bool,
    w: u16,
) -> Vec<Line<'static>> {
    let t = ctx.theme;
    // A time the server gave that cannot be believed is shown as such (the message is
    // filed by sequence or arrival instead).
    let stamp = match m.bad_time {
        Some(_) => BAD_TIME.to_string(),
        None => clock(time),
    };
    let nw = name_width(w) as usize;
    let pw = prefix_width(w);
    let content_w = w.saturating_sub(pw).max(4);
    let name = if m.own && !ctx.state.self_name.is_empty() {
        ctx.state.self_name.clone()
    } else {
        let n = ctx.state.contacts.name_in(ctx.peer, m.sender_id);
        if n == m.sender_id.to_string() && !m.sender_name.is_empty() {
            m.sender_name.clone()
        } else {
            n
        }
    };
    let name = sanitize_line(&name).into_owned();
    let name = truncate(&name, nw).into_owned();
    let pad = " ".repeat(nw.saturating_sub(width(&name)));
    let name_style = if m.own {
        t.own_name
    } else {
        ctx.theme
            .user_color(m.sender_id)
            .add_modifier(Modifier::BOLD)
    };
    let mut body: Vec<Span<'static>> = Vec::new();
    if let Some(id) = m.chain.reply_to() {
        body.push(quote_spans(ctx, id));
        body.push(Span::raw("\n"));
    }
    // A recalled message shows as recalled; its text stays (dimmed) only with
    // `[history] show_recalled`.
    let hidden = m.recalled_by.is_some() && !ctx.state.settings.show_recalled;
    if !hidden {
        body.extend(content_spans(ctx, m));
    }
    if m.recalled_by.is_some() {
        body.push(Span::styled(
            if hidden {
                "(已撤回)"
            } else {
                " (已撤回)"
            },
            t.recalled.add_modifier(Modifier::BOLD),
        ));
    }
    if m.essence {
        body.push(Span::styled(" ★精华", t.mention_all));
    }
    match &m.delivery {
        Delivery::Sent => {}
        Delivery::Pending => body.push(Span::styled(" …", t.pending)),
        Delivery::Waiting => body.push(Span::styled("\n… 未连接，连上后自动发送", t.pending)),
        Delivery::Failed(why) => body.push(Span::styled(
            format!(
                "\n✗ 发送失败: {} {}",
                sanitize_line(why),
                ctx.state.keymap.fill_keys("({timeline:retry} 重试)")
            ),
            t.failed,
        )),
    }
    for (i, r) in m.reactions.iter().enumerate() {
        let sep = if i == 0 { "\n" } else { " " };
        body.push(Span::raw(sep));
        let label = format!("{}{}", faces::reaction_label(&r.emoji), r.count);
        let style = if r.mine {
            t.own_name.add_modifier(Modifier::REVERSED)
        } else {
            t.system
        };
        body.push(Span::styled(sanitize_line(&label).into_owned(), style));
    }
    let wrapped = wrap_spans(&body, content_w, WrapOpts::default());
    let mut rows = Vec::with_capacity(wrapped.len().max(1));
    let bar = if marked {
        Span::styled("✓│ ", t.mention_me)
    } else {
        Span::styled(" │ ", t.border)
    };
    for (i, line) in wrapped.into_iter().enumerate() {
        let mut spans = Vec::with_capacity(line.spans.len() + 4);
        if i == 0 {
            spans.push(Span::styled(format!("{stamp} "), t.time));
            spans.push(Span::raw(pad.clone()));
            spans.push(Span::styled(name.clone(), name_style));
        } else {
            spans.push(Span::raw(" ".repeat(6 + nw)));
        }
        spans.push(bar.clone());
        spans.extend(line.spans);
        rows.push(Line::from(spans));
    }
    if rows.is_empty() {
        rows.push(Line::from(vec![
            Span::styled(format!("{stamp} "), t.time),
            Span::raw(pad),
            Span::styled(name, name_style),
            bar.clone(),
        ]));
    }
    let indent = [Span::raw(" ".repeat(6 + nw)), bar];
    picture_rows(ctx, m, w, &indent, &mut rows);
    rows
}

/// The rows of a notice line.
pub fn notice_rows(ctx: &LayoutCtx, time: i64, n: &NoticeItem, w: u16) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let spans = [Span::styled(sanitize(&n.text).into_owned(), t.system)];
    let pw = 6u16 + 3;
    let wrapped = wrap_spans(&spans, w.saturating_sub(pw).max(4), WrapOpts::default());
    wrapped
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let mut v = vec![if i == 0 {
                Span::styled(format!("{} ", clock(time)), t.time)
            } else {
                Span::raw("      ")
            }];
            v.push(Span::styled(if i == 0 { "── " } else { "   " }, t.system));
            v.extend(l.spans);
            Line::from(v)
        })
        .collect()
}

/// The rows of any entry.
pub fn entry_rows(ctx: &LayoutCtx, e: &Entry, w: u16) -> Vec<Line<'static>> {
    match &e.kind {
        EntryKind::Message(m) => {
            let marked = ctx
                .state
                .chats
                .get(&ctx.peer)
                .is_some_and(|c| c.marked.contains(&e.key));
            message_rows(ctx, e.key.time, m, marked, w)
        }
        EntryKind::Notice(n) => notice_rows(ctx, e.key.time, n, w),
    }
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn the_time_column_reads_as_chrono_formats_it() {
        use chrono::{Local, TimeZone};
        // Every minute of a day, hours with one and two digits, and a far-off date.
        let day = 1_750_000_000 - 1_750_000_000 % 86_400;
        for ts in (day..day + 86_400)
            .step_by(60)
            .chain([0, 4_102_444_800 + 3599])
        {
            let want = Local
                .timestamp_opt(ts, 0)
                .unwrap()
                .format("%H:%M")
                .to_string();
            assert_eq!(clock(ts), want, "at {ts}");
        }
        assert_eq!(clock(i64::MAX), "--:--");
    }
}
