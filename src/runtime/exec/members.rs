//! Performing the calls on group members.

use crate::app::call::members::ProfileData;
use crate::app::call::{Ban, Kick, KickMany, Like, Poke, Profile, SetAdmin, SetCard, SetTitle};
use crate::onebot::{Client, Result};

use super::Perform;

impl Perform for Ban {
    async fn perform(&self, client: &Client) -> Result<()> {
        client
            .set_group_ban(self.group, self.user, self.duration)
            .await
    }
}

impl Perform for Kick {
    async fn perform(&self, client: &Client) -> Result<()> {
        client
            .set_group_kick(self.group, self.user, self.block)
            .await
    }
}

impl Perform for KickMany {
    async fn perform(&self, client: &Client) -> Result<()> {
        client
            .set_group_kick_members(self.group, &self.users, self.block)
            .await
    }
}

impl Perform for SetCard {
    async fn perform(&self, client: &Client) -> Result<()> {
        client
            .set_group_card(self.group, self.user, &self.card)
            .await
    }
}

impl Perform for SetTitle {
    async fn perform(&self, client: &Client) -> Result<()> {
        client
            .set_group_special_title(self.group, self.user, &self.title)
            .await
    }
}

impl Perform for SetAdmin {
    async fn perform(&self, client: &Client) -> Result<()> {
        client
            .set_group_admin(self.group, self.user, self.enable)
            .await
    }
}

impl Perform for Profile {
    async fn perform(&self, client: &Client) -> Result<Box<ProfileData>> {
        let Some(group) = self.group else {
            let stranger = client.get_stranger_info(self.user).await?;
            return Ok(Box::new(ProfileData {
                member: None,
                stranger: Some(stranger),
            }));
        };
        let (member, stranger) = tokio::join!(
            client.get_group_member_info(group, self.user, true),
            client.get_stranger_info(self.user)
        );
        // Either half is worth showing; both failing is the member call's failure.
        match (member, stranger) {
            (Err(e), Err(_)) => Err(e),
            (m, s) => Ok(Box::new(ProfileData {
                member: m.ok(),
                stranger: s.ok(),
            })),
        }
    }
}

impl Perform for Poke {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.send_poke(self.user, self.group).await
    }
}

impl Perform for Like {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.send_like(self.user, self.times).await
    }
}
