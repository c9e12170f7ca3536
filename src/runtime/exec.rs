//! Performs the app's API calls through the typed client; each result comes back as `Msg::Done`.

use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::app::contacts::{FriendInfo, GroupEntry, Member};
use crate::app::effect::{Call, Done, ProfileData, RecentItem};
use crate::onebot::api::NoticeOptions;
use crate::onebot::types::{Friend, GroupInfo, GroupMember};
use crate::onebot::{Client, Error, Peer, Result};

/// Starts `call` in the background; its result is sent on `tx`.
pub fn spawn_call(client: &Client, call: Call, tx: &UnboundedSender<Msg>) {
    let client = client.clone();
    let tx = tx.clone();
    tokio::spawn(async move {
        let result = perform(&client, &call).await;
        let _ = tx.send(Msg::Done { call, result });
    });
}

fn friend(f: Friend, category: Option<i64>) -> FriendInfo {
    FriendInfo {
        user_id: f.user_id,
        nickname: f.nickname,
        remark: f.remark,
        category,
    }
}

fn group(g: GroupInfo) -> GroupEntry {
    GroupEntry {
        group_id: g.group_id,
        all_shut: g.all_muted(),
        name: g.group_name,
        remark: g.group_remark,
        member_count: g.member_count,
        max_member_count: g.max_member_count,
    }
}

/// The app's view of a member.
pub fn member(m: GroupMember) -> Member {
    Member {
        user_id: m.user_id,
        nickname: m.nickname,
        card: m.card,
        role: m.role,
        title: m.title,
        level: m.level,
        join_time: m.join_time,
        last_sent_time: m.last_sent_time,
        shut_up_until: m.shut_up_timestamp,
    }
}

/// Performs one call.
pub async fn perform(client: &Client, call: &Call) -> Result<Done> {
    Ok(match call {
        Call::LoginInfo => {
            let l = client.get_login_info().await?;
            Done::LoginInfo {
                user_id: l.user_id,
                nickname: l.nickname,
            }
        }
        Call::Friends => Done::Friends(
            client
                .get_friend_list(false)
                .await?
                .into_iter()
                .map(|f| {
                    let c = (f.category_id != 0).then_some(f.category_id);
                    friend(f, c)
                })
                .collect(),
        ),
        Call::FriendCategories => {
            let cats = client.get_friends_with_category().await?;
            let mut categories = Vec::new();
            let mut friends = Vec::new();
            for c in cats {
                categories.push((c.category_id, c.category_name.clone()));
                friends.extend(
                    c.buddy_list
                        .into_iter()
                        .map(|f| friend(f, Some(c.category_id))),
                );
            }
            Done::FriendCategories {
                categories,
                friends,
            }
        }
        Call::Groups => Done::Groups(
            client
                .get_group_list(false)
                .await?
                .into_iter()
                .map(group)
                .collect(),
        ),
        Call::RecentContacts { count } => Done::Recent(
            client
                .get_recent_contact(*count)
                .await?
                .into_iter()
                .filter_map(|r| {
                    let peer = r.peer()?;
                    let name = if r.remark.is_empty() {
                        r.peer_name.clone()
                    } else {
                        r.remark.clone()
                    };
                    Some(RecentItem {
                        peer,
                        time: r.msg_time,
                        name,
                        last: r.latest_msg,
                    })
                })
                .collect(),
        ),
        Call::History {
            peer,
            anchor,
            count,
        } => {
            let reverse = anchor.is_some();
            let mut page = match peer {
                Peer::Group(g) => {
                    client
                        .get_group_msg_history(*g, *anchor, *count, reverse)
                        .await?
                }
                Peer::Private(u) => {
                    client
                        .get_friend_msg_history(*u, *anchor, *count, reverse)
                        .await?
                }
            };
            page.messages.sort_by_key(|m| m.time);
            Done::Messages(page.messages)
        }
        Call::Members { group } => Done::Members(
            client
                .get_group_member_list(*group, false)
                .await?
                .into_iter()
                .map(member)
                .collect(),
        ),
        Call::GetMsg { id, .. } => Done::Message(Box::new(client.get_msg(*id).await?)),
        Call::GetForward { id } => Done::Forward(client.get_forward_msg(id).await?.messages),
        Call::FileUrl { group, file_id } => {
            Done::Url(client.get_group_file_url(*group, file_id).await?.url)
        }
        Call::Send { peer, chain, .. } => {
            let sent = client.send_message(*peer, chain).await?;
            Done::Sent {
                message_id: sent.message_id,
            }
        }
        Call::MarkRead { peer } => {
            match peer {
                Peer::Group(g) => client.mark_group_msg_as_read(*g).await?,
                Peer::Private(u) => client.mark_private_msg_as_read(*u).await?,
            }
            Done::Ok
        }
        Call::MarkAllRead => {
            client.mark_all_as_read().await?;
            Done::Ok
        }
        Call::Recall { id, .. } => {
            client.delete_msg(*id).await?;
            Done::Ok
        }
        Call::Ban {
            group,
            user,
            duration,
        } => {
            client.set_group_ban(*group, *user, *duration).await?;
            Done::Ok
        }
        Call::Kick { group, user, block } => {
            client.set_group_kick(*group, *user, *block).await?;
            Done::Ok
        }
        Call::KickMany {
            group,
            users,
            block,
        } => {
            client.set_group_kick_members(*group, users, *block).await?;
            Done::Ok
        }
        Call::SetCard { group, user, card } => {
            client.set_group_card(*group, *user, card).await?;
            Done::Ok
        }
        Call::SetTitle { group, user, title } => {
            client.set_group_special_title(*group, *user, title).await?;
            Done::Ok
        }
        Call::SetAdmin {
            group,
            user,
            enable,
        } => {
            client.set_group_admin(*group, *user, *enable).await?;
            Done::Ok
        }
        Call::Profile { group, user } => {
            let (member, stranger) = tokio::join!(
                client.get_group_member_info(*group, *user, true),
                client.get_stranger_info(*user)
            );
            // Either half is worth showing; both failing is the member call's failure.
            let data = match (member, stranger) {
                (Err(e), Err(_)) => return Err(e),
                (m, s) => ProfileData {
                    member: m.ok(),
                    stranger: s.ok(),
                },
            };
            Done::Profile(Box::new(data))
        }
        Call::Poke { group, user } => {
            client.send_poke(*user, *group).await?;
            Done::Ok
        }
        Call::Like { user, times } => {
            client.send_like(*user, *times).await?;
            Done::Ok
        }
        Call::SetEssence { id, on, .. } => {
            if *on {
                client.set_essence_msg(*id).await?;
            } else {
                client.delete_essence_msg(*id).await?;
            }
            Done::Ok
        }
        Call::Essences { group } => Done::Essences(client.get_essence_msg_list(*group).await?),
        Call::MuteAll { group, enable } => {
            client.set_group_whole_ban(*group, *enable).await?;
            Done::Ok
        }
        Call::Rename { group, name } => {
            client.set_group_name(*group, name).await?;
            Done::Ok
        }
        Call::Avatar { group, file } => {
            let uri = media_uri(file, "set_group_portrait").await?;
            client.set_group_portrait(*group, &uri).await?;
            Done::Ok
        }
        Call::Notices { group } => Done::Notices(client.get_group_notice(*group).await?),
        Call::PostNotice {
            group,
            text,
            image,
            pinned,
            confirm,
        } => {
            let image = match image {
                Some(path) => Some(media_uri(path, "_send_group_notice").await?),
                None => None,
            };
            let opts = NoticeOptions {
                image,
                pinned: *pinned,
                confirm_required: *confirm,
            };
            client.send_group_notice(*group, text, &opts).await?;
            Done::Ok
        }
        Call::DeleteNotice { group, notice_id } => {
            client.del_group_notice(*group, notice_id).await?;
            Done::Ok
        }
        Call::ShutList { group } => Done::ShutList(client.get_group_shut_list(*group).await?),
        Call::GroupDetails { group } => {
            let (info, ex) = tokio::join!(
                client.get_group_info(*group),
                client.get_group_info_ex(*group)
            );
            Done::GroupDetails(Box::new(info?), ex.ok())
        }
        Call::Honors { group } => {
            Done::Honors(Box::new(client.get_group_honor_info(*group).await?))
        }
        Call::AtAllRemain { group } => Done::AtAll(client.get_group_at_all_remain(*group).await?),
        Call::Sign { group } => {
            client.set_group_sign(*group).await?;
            Done::Ok
        }
        Call::Leave { group, dismiss } => {
            client.set_group_leave(*group, *dismiss).await?;
            Done::Ok
        }
        Call::GroupRequests { filtered } => Done::GroupRequests(if *filtered {
            client.get_group_ignored_notifies().await?
        } else {
            client.get_group_system_msg(50).await?
        }),
        Call::AnswerRequest {
            flag,
            group,
            approve,
            text,
            ..
        } => {
            match group {
                None => {
                    client
                        .set_friend_add_request(flag, *approve, text.as_deref())
                        .await?
                }
                Some(_) => {
                    client
                        .set_group_add_request(flag, *approve, text.as_deref())
                        .await?
                }
            }
            Done::Ok
        }
    })
}

/// The largest picture sent as base64 (NapCat and QQ refuse far smaller ones anyway).
const MAX_UPLOAD: u64 = 10 * 1024 * 1024;

/// What NapCat is given for a picture: a URL as typed, or a local file read here and sent as
/// `base64://…` — NapCat may run on another machine, where a local path means nothing.
pub async fn media_uri(file: &str, action: &str) -> Result<String> {
    use base64::Engine;
    let file = file.trim();
    if ["http://", "https://", "base64://"]
        .iter()
        .any(|p| file.starts_with(p))
    {
        return Ok(file.to_string());
    }
    let path = match file.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => std::path::PathBuf::from(home).join(rest),
            None => std::path::PathBuf::from(file),
        },
        None => std::path::PathBuf::from(file),
    };
    let bad = |message: String| Error::BadParams {
        action: action.to_string(),
        message,
    };
    let meta = tokio::fs::metadata(&path)
        .await
        .map_err(|e| bad(format!("无法读取 {}: {e}", path.display())))?;
    if !meta.is_file() {
        return Err(bad(format!("{} 不是文件", path.display())));
    }
    if meta.len() > MAX_UPLOAD {
        return Err(bad(format!("{} 太大 (最多 10 MB)", path.display())));
    }
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| bad(format!("无法读取 {}: {e}", path.display())))?;
    Ok(format!(
        "base64://{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}
