//! Performing the calls on messages.

use crate::app::call::{Essences, Recall, SetEssence};
use crate::onebot::types::EssenceMessage;
use crate::onebot::{Client, Result};

use super::Perform;

impl Perform for Recall {
    async fn perform(&self, client: &Client) -> Result<()> {
        client.delete_msg(self.id).await
    }
}

impl Perform for SetEssence {
    async fn perform(&self, client: &Client) -> Result<()> {
        if self.on {
            client.set_essence_msg(self.id).await?;
        } else {
            client.delete_essence_msg(self.id).await?;
        }
        Ok(())
    }
}

impl Perform for Essences {
    async fn perform(&self, client: &Client) -> Result<Vec<EssenceMessage>> {
        client.get_essence_msg_list(self.group).await
    }
}
