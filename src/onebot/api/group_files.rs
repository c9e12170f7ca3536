//! A group's file space: listings, folders, uploads, deletions and download URLs.

use serde_json::{Value, json};

use super::super::client::Client;
use super::super::error::Result;
use super::super::types::{FileSystemInfo, FileUrl, GroupFiles, UploadedFileId};
use super::{decode, put_opt};

impl Client {
    /// Uploads a file URI to a group's files as `name`, into `folder_id` or the root
    /// (`upload_group_file`).
    pub async fn upload_group_file(
        &self,
        group_id: i64,
        file: &str,
        name: &str,
        folder_id: Option<&str>,
    ) -> Result<UploadedFileId> {
        const A: &str = "upload_group_file";
        let mut p = json!({ "group_id": group_id, "file": file, "name": name });
        put_opt(&mut p, "folder_id", folder_id);
        decode(A, self.call_media(A, p).await?)
    }

    /// Creates a folder in the root of a group's files (`create_group_file_folder`); raw result.
    pub async fn create_group_file_folder(
        &self,
        group_id: i64,
        folder_name: &str,
    ) -> Result<Value> {
        let p = json!({ "group_id": group_id, "folder_name": folder_name });
        self.call("create_group_file_folder", p).await
    }

    /// Deletes a group file by `file_id` (`delete_group_file`); raw result.
    pub async fn delete_group_file(&self, group_id: i64, file_id: &str) -> Result<Value> {
        let p = json!({ "group_id": group_id, "file_id": file_id });
        self.call("delete_group_file", p).await
    }

    /// Deletes a folder and what it holds (`delete_group_folder`); raw result.
    pub async fn delete_group_folder(&self, group_id: i64, folder_id: &str) -> Result<Value> {
        let p = json!({ "group_id": group_id, "folder_id": folder_id });
        self.call("delete_group_folder", p).await
    }

    /// File count and space, used and allowed (`get_group_file_system_info`).
    pub async fn get_group_file_system_info(&self, group_id: i64) -> Result<FileSystemInfo> {
        const A: &str = "get_group_file_system_info";
        decode(A, self.call(A, json!({ "group_id": group_id })).await?)
    }

    /// The files and folders at the root (`get_group_root_files`).
    pub async fn get_group_root_files(&self, group_id: i64) -> Result<GroupFiles> {
        const A: &str = "get_group_root_files";
        decode(A, self.call(A, json!({ "group_id": group_id })).await?)
    }

    /// Up to `file_count` files of a folder (`get_group_files_by_folder`).
    pub async fn get_group_files_by_folder(
        &self,
        group_id: i64,
        folder_id: &str,
        file_count: u32,
    ) -> Result<GroupFiles> {
        const A: &str = "get_group_files_by_folder";
        let p = json!({ "group_id": group_id, "folder_id": folder_id, "file_count": file_count });
        decode(A, self.call(A, p).await?)
    }

    /// A download URL for a group file (`get_group_file_url`; needs the packet backend).
    pub async fn get_group_file_url(&self, group_id: i64, file_id: &str) -> Result<FileUrl> {
        const A: &str = "get_group_file_url";
        let p = json!({ "group_id": group_id, "file_id": file_id });
        decode(A, self.call(A, p).await?)
    }

    /// A download URL for a file sent in a private chat, by the segment's `file_id`
    /// (`get_private_file_url`; needs the packet backend).
    pub async fn get_private_file_url(&self, file_id: &str) -> Result<FileUrl> {
        const A: &str = "get_private_file_url";
        decode(A, self.call(A, json!({ "file_id": file_id })).await?)
    }
}
