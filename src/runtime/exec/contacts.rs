//! Performing the calls about what the account knows, and turning NapCat's records into the
//! app's.

use crate::app::call::contacts::{FriendsByCategory, RecentItem};
use crate::app::call::{
    FriendCategories, Friends, Groups, LoginInfo, MemberList, RecentContacts, StrangerInfo,
};
use crate::app::contacts::{FriendInfo, GroupEntry, Member};
use crate::onebot::types::{self, Friend, GroupInfo, GroupMember};
use crate::onebot::{Client, Result};

use super::Perform;

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
fn member(m: GroupMember) -> Member {
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

impl Perform for LoginInfo {
    async fn perform(&self, client: &Client) -> Result<types::LoginInfo> {
        client.get_login_info().await
    }
}

impl Perform for Friends {
    async fn perform(&self, client: &Client) -> Result<Vec<FriendInfo>> {
        Ok(client
            .get_friend_list(false)
            .await?
            .into_iter()
            .map(|f| {
                let c = (f.category_id != 0).then_some(f.category_id);
                friend(f, c)
            })
            .collect())
    }
}

impl Perform for FriendCategories {
    async fn perform(&self, client: &Client) -> Result<FriendsByCategory> {
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
        Ok(FriendsByCategory {
            categories,
            friends,
        })
    }
}

impl Perform for Groups {
    async fn perform(&self, client: &Client) -> Result<Vec<GroupEntry>> {
        Ok(client
            .get_group_list(false)
            .await?
            .into_iter()
            .map(group)
            .collect())
    }
}

impl Perform for RecentContacts {
    async fn perform(&self, client: &Client) -> Result<Vec<RecentItem>> {
        Ok(client
            .get_recent_contact(self.count)
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
            .collect())
    }
}

impl Perform for MemberList {
    async fn perform(&self, client: &Client) -> Result<Vec<Member>> {
        Ok(client
            .get_group_member_list(self.group, false)
            .await?
            .into_iter()
            .map(member)
            .collect())
    }
}

impl Perform for StrangerInfo {
    async fn perform(&self, client: &Client) -> Result<types::StrangerInfo> {
        client.get_stranger_info(self.user).await
    }
}
