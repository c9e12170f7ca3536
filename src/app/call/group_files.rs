//! A group's file space, for the file browser.

/// `get_group_root_files` (no folder) or `get_group_files_by_folder`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFileList {
    pub group: i64,
    pub folder: Option<String>,
}

/// `get_group_file_system_info`: used and total space.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFileSpace {
    pub group: i64,
}

/// `delete_group_file`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteGroupFile {
    pub group: i64,
    pub file_id: String,
    pub name: String,
}

/// `delete_group_folder` (and what it holds).
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteGroupFolder {
    pub group: i64,
    pub folder_id: String,
    pub name: String,
}

/// `create_group_file_folder` (in the root: QQ groups have one level of folders).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateGroupFolder {
    pub group: i64,
    pub name: String,
}
