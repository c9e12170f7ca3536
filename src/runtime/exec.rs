//! Performs the app's API calls through the typed client; each result comes back as `Msg::Done`.

use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::app::contacts::{FriendInfo, GroupEntry, Member};
use crate::app::effect::{Call, Done, RecentItem};
use crate::onebot::types::{Friend, GroupInfo, GroupMember};
use crate::onebot::{Client, Peer, Result};

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
    })
}
