//! Saving attachments (`s` on a message, `/save`; `s` in the group file browser) and playing
//! voice messages (Enter or `o` on one): which bytes, from which sources in which order, under
//! which name; progress and the end of every transfer (`Msg::Transfer`); `/cancel`.

use crate::onebot::link::is_web_url;
use crate::onebot::{Peer, Segment};

use super::action::Action;
use super::chat::MessageItem;
use super::effect::Effect;
use super::keymap::Context;
use super::state::State;
use super::transfer::{
    Direction, Purpose, SaveJob, Source, StreamKind, Transfer, TransferEvent, human_size, safe_name,
};
use super::uploading;

/// The attachment of a message worth saving: its first file, picture, voice or video.
pub fn attachment(m: &MessageItem) -> Option<&Segment> {
    m.chain.segments().iter().find(|s| {
        matches!(
            s,
            Segment::File(_) | Segment::Image(_) | Segment::Record(_) | Segment::Video(_)
        )
    })
}

/// A message's voice, if it is one.
pub fn voice_of(m: &MessageItem) -> Option<&crate::onebot::segment::RecordData> {
    m.chain.segments().iter().find_map(|s| match s {
        Segment::Record(r) => Some(r.as_ref()),
        _ => None,
    })
}

/// The segment's `url` when it is a web link.
fn web(url: &Option<String>) -> Option<String> {
    url.clone().filter(|u| is_web_url(u))
}

/// The sources of a segment in the order they are tried, its safe name and announced size.
pub fn plan(
    peer: Peer,
    message_id: Option<i64>,
    seg: &Segment,
) -> Option<(String, Option<u64>, Vec<Source>)> {
    let mut sources = Vec::new();
    match seg {
        Segment::File(f) => {
            let file_id = f.file_id.clone().filter(|id| !id.is_empty());
            match (peer, &file_id) {
                (Peer::Group(group), Some(file_id)) => sources.push(Source::GroupFileUrl {
                    group,
                    file_id: file_id.clone(),
                }),
                (Peer::Private(_), Some(file_id)) => sources.push(Source::PrivateFileUrl {
                    file_id: file_id.clone(),
                }),
                _ => {}
            }
            if let Some(url) = web(&f.url) {
                sources.push(Source::Url {
                    url,
                    message_id: None,
                    file: f.file.clone(),
                });
            }
            let token = file_id.unwrap_or_else(|| f.file.clone());
            if !token.is_empty() {
                sources.push(Source::Stream {
                    kind: StreamKind::File,
                    file: token,
                });
            }
            let name = f
                .name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or(f.file.clone());
            Some((safe_name(&name), f.file_size, sources))
        }
        Segment::Image(i) => {
            if let Some(url) = web(&i.url) {
                sources.push(Source::Url {
                    url,
                    message_id,
                    file: i.file.clone(),
                });
            }
            if !i.file.is_empty() {
                sources.push(Source::Stream {
                    kind: StreamKind::Image,
                    file: i.file.clone(),
                });
            }
            Some((safe_name(&i.file), i.file_size, sources))
        }
        Segment::Record(r) => {
            if r.file.is_empty() {
                return None;
            }
            // Voices are saved converted to mp3: NapCat's own format (silk, amr) plays nowhere.
            sources.push(Source::Record {
                file: r.file.clone(),
            });
            sources.push(Source::Stream {
                kind: StreamKind::Record,
                file: r.file.clone(),
            });
            let stem = r.file.rsplit_once('.').map_or(r.file.as_str(), |(s, _)| s);
            Some((safe_name(&format!("{stem}.mp3")), None, sources))
        }
        Segment::Video(v) => {
            if let Some(url) = web(&v.url) {
                sources.push(Source::Url {
                    url,
                    message_id,
                    file: v.file.clone(),
                });
            }
            if !v.file.is_empty() {
                sources.push(Source::Stream {
                    kind: StreamKind::File,
                    file: v.file.clone(),
                });
            }
            Some((safe_name(&v.file), v.file_size, sources))
        }
        _ => None,
    }
}

/// Starts a transfer of `seg` (of the message `origin`, when it is one).
pub fn start(
    state: &mut State,
    peer: Peer,
    message_id: Option<i64>,
    seg: &Segment,
    purpose: Purpose,
    fx: &mut Vec<Effect>,
) {
    let Some((name, size, sources)) = plan(peer, message_id, seg) else {
        state.error("这个附件没有可下载的来源");
        return;
    };
    if sources.is_empty() {
        state.error("这个附件没有可下载的来源");
        return;
    }
    let id = state.transfers.next_id();
    state.transfers.active.push(Transfer {
        id,
        name: name.clone(),
        direction: Direction::Down,
        done: 0,
        total: size,
        speed: 0,
        origin: message_id.map(|m| (peer, m)),
        command: None,
        target: None,
        purpose,
    });
    state.info(match purpose {
        Purpose::Save => format!("正在保存 {name}…"),
        Purpose::Play => "正在获取语音…".to_string(),
    });
    fx.push(Effect::Save(SaveJob {
        id,
        name,
        size,
        sources,
        purpose,
    }));
}

/// `s` / `/save`: saves the selected message's attachment.
pub fn save_selected(state: &mut State, fx: &mut Vec<Effect>) -> Result<(), String> {
    let Some((peer, m)) = state.selected_message() else {
        return Err("先在消息列表中选中一条带附件的消息".into());
    };
    let Some(seg) = attachment(m).cloned() else {
        return Err("这条消息没有可保存的附件 (文件、图片、语音、视频)".into());
    };
    let id = m.id;
    start(state, peer, id, &seg, Purpose::Save, fx);
    Ok(())
}

/// Enter / `o` on a voice message: plays it. False when the selection is no voice.
pub fn play_selected(state: &mut State, fx: &mut Vec<Effect>) -> bool {
    let Some((peer, m)) = state.selected_message() else {
        return false;
    };
    let Some(voice) = voice_of(m) else {
        return false;
    };
    let seg = Segment::Record(Box::new(voice.clone()));
    let id = m.id;
    start(state, peer, id, &seg, Purpose::Play, fx);
    true
}

/// `o` on a saved message opens the saved file. False when it was not saved.
pub fn open_saved(state: &mut State, fx: &mut Vec<Effect>) -> bool {
    let Some((peer, m)) = state.selected_message() else {
        return false;
    };
    let Some(path) = m.id.and_then(|id| state.transfers.saved.get(&(peer, id))) else {
        return false;
    };
    fx.push(Effect::OpenFile(path.clone()));
    true
}

/// `/save`.
pub fn command(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    save_selected(state, fx)
}

/// `/cancel [all]`: stops the newest transfer, or every one.
pub fn cancel_command(state: &mut State, args: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    if state.transfers.active.is_empty() {
        return Err("没有进行中的传输".into());
    }
    let ids: Vec<u64> = match args.trim() {
        "all" | "全部" => state.transfers.active.iter().map(|t| t.id).collect(),
        "" => state
            .transfers
            .active
            .last()
            .map(|t| t.id)
            .into_iter()
            .collect(),
        other => return Err(format!("用法: /cancel [all] (不认识 {other})")),
    };
    for id in &ids {
        fx.push(Effect::CancelTransfer(*id));
    }
    state.info(format!("正在取消 {} 个传输…", ids.len()));
    Ok(())
}

/// What the runtime reports about a transfer.
pub fn on_event(state: &mut State, event: TransferEvent, fx: &mut Vec<Effect>) {
    match event {
        TransferEvent::Progress {
            id,
            done,
            total,
            speed,
        } => {
            if let Some(t) = state.transfers.get_mut(id) {
                t.done = done;
                t.total = total.or(t.total);
                t.speed = speed;
            }
        }
        TransferEvent::Saved { id, path, .. } => {
            let Some(t) = state.transfers.finish(id) else {
                return;
            };
            if let Some(origin) = t.origin {
                state.transfers.saved.insert(origin, path.clone());
            }
            let key = state
                .keymap
                .hint(Context::Timeline, &Action::OpenLink)
                .map(|k| format!(" ({k} 打开)"))
                .unwrap_or_default();
            state.info(format!("已保存 {path}{key}"));
        }
        TransferEvent::Playing { id, player } => {
            if let Some(t) = state.transfers.finish(id) {
                state.info(format!("正在用 {player} 播放 {}", t.name));
            }
        }
        TransferEvent::Uploaded { id, file } => {
            if let Some(t) = state.transfers.finish(id) {
                uploading::uploaded(state, t, file, fx);
            }
        }
        TransferEvent::Failed { id, reason } => {
            let Some(t) = state.transfers.finish(id) else {
                return;
            };
            match t.direction {
                Direction::Down if t.purpose == Purpose::Play => {
                    state.error(format!("无法播放语音: {reason}"))
                }
                Direction::Down => state.error(format!("{} 下载失败: {reason}", t.name)),
                Direction::Up => uploading::failed(state, t, reason),
            }
        }
    }
}

/// The status line's words for the transfers in flight: `↓ a.pdf 45% 3.1 MB/s`, at most two,
/// then `+N`.
pub fn summary(state: &State) -> Option<String> {
    let active = &state.transfers.active;
    if active.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = active
        .iter()
        .take(2)
        .map(|t| {
            let arrow = match t.direction {
                Direction::Down => "↓",
                Direction::Up => "↑",
            };
            let name: String = t.name.chars().take(24).collect();
            let percent = match t.total {
                Some(total) if total > 0 => format!(" {}%", (t.done.min(total) * 100 / total)),
                _ if t.done > 0 => format!(" {}", human_size(t.done)),
                _ => String::new(),
            };
            let speed = if t.speed > 0 {
                format!(" {}/s", human_size(t.speed))
            } else {
                String::new()
            };
            format!("{arrow} {name}{percent}{speed}")
        })
        .collect();
    if active.len() > 2 {
        parts.push(format!("+{}", active.len() - 2));
    }
    Some(parts.join("  "))
}
