//! Performing the calls on a whole group.

use crate::app::call::group::GroupFacts;
use crate::app::call::{
    AtAllRemain, Avatar, DeleteNotice, GroupDetails, Honors, Leave, MuteAll, Notices, PostNotice,
    Rename, ShutList, Sign,
};
use crate::onebot::api::NoticeOptions;
use crate::onebot::types::{self, GroupHonorInfo, GroupNotice, ShutListEntry};
use crate::onebot::{Client, Result};

use super::Perform;
use super::media::media_uri;

impl Perform for MuteAll {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.set_group_whole_ban(self.group, self.enable).await
    }
}

impl Perform for Rename {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.set_group_name(self.group, &self.name).await
    }
}

impl Perform for Avatar {
    async fn perform(&self, client: &Client) -> Result<()> {
        let uri = media_uri(&self.file, "set_group_portrait").await?;
        client.set_group_portrait(self.group, &uri).await?;
        Ok(())
    }
}

impl Perform for Notices {
    async fn perform(&self, client: &Client) -> Result<Vec<GroupNotice>> {
        client.get_group_notice(self.group).await
    }
}

impl Perform for PostNotice {
    async fn perform(&self, client: &Client) -> Result<()> {
        let image = match &self.image {
            Some(path) => Some(media_uri(path, "_send_group_notice").await?),
            None => None,
        };
        let opts = NoticeOptions {
            image,
            pinned: self.pinned,
            confirm_required: self.confirm,
        };
        client
            .send_group_notice(self.group, &self.text, &opts)
            .await
    }
}

impl Perform for DeleteNotice {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.del_group_notice(self.group, &self.notice_id).await?;
        Ok(())
    }
}

impl Perform for ShutList {
    async fn perform(&self, client: &Client) -> Result<Vec<ShutListEntry>> {
        client.get_group_shut_list(self.group).await
    }
}

impl Perform for GroupDetails {
    async fn perform(&self, client: &Client) -> Result<GroupFacts> {
        let (info, extra) = tokio::join!(
            client.get_group_info(self.group),
            client.get_group_info_ex(self.group)
        );
        Ok(GroupFacts {
            info: Box::new(info?),
            extra: extra.ok(),
        })
    }
}

impl Perform for Honors {
    async fn perform(&self, client: &Client) -> Result<Box<GroupHonorInfo>> {
        Ok(Box::new(client.get_group_honor_info(self.group).await?))
    }
}

impl Perform for AtAllRemain {
    async fn perform(&self, client: &Client) -> Result<types::AtAllRemain> {
        client.get_group_at_all_remain(self.group).await
    }
}

impl Perform for Sign {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.set_group_sign(self.group).await
    }
}

impl Perform for Leave {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.set_group_leave(self.group, self.dismiss).await
    }
}
