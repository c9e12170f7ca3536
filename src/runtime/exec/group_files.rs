//! The file browser's calls.

use crate::app::call::{
    CreateGroupFolder, DeleteGroupFile, DeleteGroupFolder, GroupFileList, GroupFileSpace,
};
use crate::onebot::types::{FileSystemInfo, GroupFiles};
use crate::onebot::{Client, Result};

use super::Perform;

/// Files a folder listing asks for (NapCat's default is 50).
const LISTING: u32 = 500;

impl Perform for GroupFileList {
    async fn perform(&self, client: &Client) -> Result<GroupFiles> {
        match &self.folder {
            None => client.get_group_root_files(self.group).await,
            Some(folder) => {
                client
                    .get_group_files_by_folder(self.group, folder, LISTING)
                    .await
            }
        }
    }
}

impl Perform for GroupFileSpace {
    async fn perform(&self, client: &Client) -> Result<FileSystemInfo> {
        client.get_group_file_system_info(self.group).await
    }
}

impl Perform for DeleteGroupFile {
    async fn perform(&self, client: &Client) -> Result<()> {
        client
            .delete_group_file(self.group, &self.file_id)
            .await
            .map(drop)
    }
}

impl Perform for DeleteGroupFolder {
    async fn perform(&self, client: &Client) -> Result<()> {
        client
            .delete_group_folder(self.group, &self.folder_id)
            .await
            .map(drop)
    }
}

impl Perform for CreateGroupFolder {
    async fn perform(&self, client: &Client) -> Result<()> {
        client
            .create_group_file_folder(self.group, &self.name)
            .await
            .map(drop)
    }
}
