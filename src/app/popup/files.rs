//! The group file browser (`/files`, `F` in the member pane): a folder's files and folders with
//! their size, uploader, dates, downloads and expiry, and the space used. Enter opens a folder,
//! Backspace goes up, `/` filters, `s` saves, `u` uploads a local file into the folder shown,
//! `d` deletes (asks first; your own files unless you are an admin — refused here otherwise),
//! `N` makes a folder (owner and admins), `r` lists again. Listings are fetched every time a
//! folder is shown, never kept: NapCat mints new file ids for each one.

use crossterm::event::{KeyCode, KeyEvent};

use crate::onebot::segment::FileData;
use crate::onebot::types::{FileSystemInfo, GroupFiles};
use crate::onebot::{Error, Peer, Role, Segment};

use super::super::action::Action;
use super::super::admin::roles;
use super::super::call::reply::Request;
use super::super::call::{
    CreateGroupFolder, DeleteGroupFile, DeleteGroupFolder, GroupFileList, GroupFileSpace,
};
use super::super::effect::Effect;
use super::super::state::State;
use super::super::transfer::{Purpose, UploadTarget};
use super::super::{saving, uploading};
use super::protocol::{Outcome, PopupState};
use super::state::{BrowserField, FileBrowser, FileEntry};
use super::{Load, Popup};

/// Opens the browser at the root of `group` and asks for the listing.
pub fn open(state: &mut State, group: i64, fx: &mut Vec<Effect>) {
    let mut b = FileBrowser {
        group,
        path: Vec::new(),
        entries: Load::Loading,
        space: None,
        selected: 0,
        filter: String::new(),
        field: None,
        text: String::new(),
        pending: None,
    };
    load(&mut b, fx);
    fx.push(Effect::call(GroupFileSpace { group }));
    state.popup = Some(Popup::Files(b));
}

/// `/files`: the open group's files.
pub fn command(state: &mut State, _: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    match state.open {
        Some(Peer::Group(g)) => {
            open(state, g, fx);
            Ok(())
        }
        _ => Err("群文件只在群聊中可用: 先打开一个群".into()),
    }
}

/// Asks for the folder shown, anew.
fn load(b: &mut FileBrowser, fx: &mut Vec<Effect>) {
    b.entries = Load::Loading;
    b.pending = None;
    fx.push(Effect::call(GroupFileList {
        group: b.group,
        folder: b.folder_id().map(str::to_string),
    }));
}

/// The account's role, when the member list is loaded (else it is asked for).
fn role(state: &mut State, group: i64, fx: &mut Vec<Effect>) -> Result<Role, String> {
    roles::my_role(state, group, fx)
}

/// Whether the account may delete `entry`: its own files, or anything as owner or admin.
pub fn may_delete(
    state: &mut State,
    group: i64,
    entry: &FileEntry,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    let me = role(state, group, fx)?;
    match entry {
        FileEntry::File { uploader, .. } if *uploader == state.self_id || me.is_admin() => Ok(()),
        FileEntry::File { .. } => Err("只能删除自己上传的文件 (你不是群主或管理员)".into()),
        FileEntry::Folder { .. } => roles::require_admin(me, "删除文件夹"),
    }
}

impl FileBrowser {
    fn entry(&self, i: usize) -> Option<FileEntry> {
        self.visible().get(i).map(|e| (*e).clone())
    }
}

impl PopupState for FileBrowser {
    fn field(&mut self) -> Option<&mut String> {
        match self.field? {
            BrowserField::Filter => Some(&mut self.filter),
            BrowserField::Upload | BrowserField::NewFolder => Some(&mut self.text),
        }
    }

    fn edited(&mut self) {
        if self.field == Some(BrowserField::Filter) {
            self.selected = 0;
            self.pending = None;
        }
    }

    fn list(&mut self, _state: &State) -> Option<(&mut usize, usize)> {
        let len = self.visible().len();
        self.pending.is_none().then_some((&mut self.selected, len))
    }

    fn key(
        &mut self,
        state: &mut State,
        key: &KeyEvent,
        action: Option<&Action>,
        fx: &mut Vec<Effect>,
    ) -> Outcome {
        if key.code == KeyCode::Backspace && key.modifiers.is_empty() {
            // Up one folder.
            if self.path.pop().is_some() {
                self.selected = 0;
                self.filter.clear();
                load(self, fx);
            }
            return Outcome::Stay;
        }
        match action {
            Some(Action::Confirm) | Some(Action::Activate) if self.pending.is_some() => {
                let i = self.pending.take().unwrap_or_default();
                match self.entry(i) {
                    Some(FileEntry::File { id, name, .. }) => {
                        fx.push(Effect::call(DeleteGroupFile {
                            group: self.group,
                            file_id: id,
                            name,
                        }))
                    }
                    Some(FileEntry::Folder { id, name, .. }) => {
                        fx.push(Effect::call(DeleteGroupFolder {
                            group: self.group,
                            folder_id: id,
                            name,
                        }))
                    }
                    None => {}
                }
            }
            Some(Action::Activate) => {
                if let Some(FileEntry::Folder { id, name, .. }) = self.entry(self.selected) {
                    self.path.push((id, name));
                    self.selected = 0;
                    self.filter.clear();
                    load(self, fx);
                }
            }
            Some(Action::Search) => self.field = Some(BrowserField::Filter),
            Some(Action::Save) => match self.entry(self.selected) {
                Some(FileEntry::File { id, name, size, .. }) => {
                    let seg = Segment::File(Box::new(FileData {
                        file: name.clone(),
                        file_id: Some(id),
                        file_size: Some(size),
                        name: Some(name),
                        ..Default::default()
                    }));
                    saving::start(
                        state,
                        Peer::Group(self.group),
                        None,
                        &seg,
                        Purpose::Save,
                        fx,
                    );
                }
                Some(FileEntry::Folder { .. }) => state.error("只能保存文件, 不能保存整个文件夹"),
                None => {}
            },
            // `u`: upload a local file here.
            Some(Action::Unmute) => {
                self.field = Some(BrowserField::Upload);
                self.text.clear();
            }
            Some(Action::NewFolder) => {
                if !self.path.is_empty() {
                    state.error("群文件只有一层文件夹: 回到根目录再新建");
                    return Outcome::Stay;
                }
                match role(state, self.group, fx)
                    .and_then(|me| roles::require_admin(me, "新建文件夹"))
                {
                    Ok(()) => {
                        self.field = Some(BrowserField::NewFolder);
                        self.text.clear();
                    }
                    Err(e) => state.error(e),
                }
            }
            // `r`: list again.
            Some(Action::Reject) => {
                load(self, fx);
                fx.push(Effect::call(GroupFileSpace { group: self.group }));
            }
            Some(Action::Delete) if self.pending.is_none() => {
                let Some(entry) = self.entry(self.selected) else {
                    return Outcome::Stay;
                };
                match may_delete(state, self.group, &entry, fx) {
                    Ok(()) => self.pending = Some(self.selected),
                    Err(e) => state.error(e),
                }
            }
            _ => return Outcome::Pass,
        }
        Outcome::Stay
    }

    fn submit(&mut self, state: &mut State, fx: &mut Vec<Effect>) -> Outcome {
        let text = std::mem::take(&mut self.text);
        match self.field.take() {
            Some(BrowserField::Upload) if !text.trim().is_empty() => {
                let target = UploadTarget::Group {
                    group: self.group,
                    folder: self.folder_id().map(str::to_string),
                };
                uploading::start(
                    state,
                    text.trim(),
                    target,
                    format!("/upload {}", text.trim()),
                    fx,
                );
            }
            Some(BrowserField::NewFolder) if !text.trim().is_empty() => {
                fx.push(Effect::call(CreateGroupFolder {
                    group: self.group,
                    name: text.trim().to_string(),
                }));
            }
            _ => {}
        }
        Outcome::Stay
    }

    /// Out of a field, out of a pending delete, else closed.
    fn deny(&mut self, state: &mut State) -> Outcome {
        if self.field.take().is_some() {
            self.text.clear();
            return Outcome::Stay;
        }
        if self.pending.take().is_some() {
            state.info("已取消");
            return Outcome::Stay;
        }
        Outcome::Close
    }
}

/// The browser on `group`, if it is open.
fn browser(state: &mut State, group: i64) -> Option<&mut FileBrowser> {
    match state.popup.as_mut() {
        Some(Popup::Files(b)) if b.group == group => Some(b),
        _ => None,
    }
}

/// A listing read into rows: folders first, then files, each by name.
fn rows(files: GroupFiles) -> Vec<FileEntry> {
    let mut folders: Vec<FileEntry> = files
        .folders
        .into_iter()
        .map(|d| FileEntry::Folder {
            id: if d.folder_id.is_empty() {
                d.folder
            } else {
                d.folder_id
            },
            name: d.folder_name,
            files: d.total_file_count,
            creator: d.creator,
            creator_name: d.creator_name,
            created: d.create_time,
        })
        .collect();
    let mut list: Vec<FileEntry> = files
        .files
        .into_iter()
        .map(|f| FileEntry::File {
            id: f.file_id,
            name: f.file_name,
            size: f.size.max(f.file_size).max(0) as u64,
            uploader: f.uploader,
            uploader_name: f.uploader_name,
            uploaded: f.upload_time,
            expires: f.dead_time,
            downloads: f.download_times,
        })
        .collect();
    folders.sort_by(|a, b| a.name().cmp(b.name()));
    list.sort_by(|a, b| a.name().cmp(b.name()));
    folders.extend(list);
    folders
}

// What the calls' results do (see `call::reply::Request`).

impl Request for GroupFileList {
    type Output = GroupFiles;

    fn describe(&self) -> &'static str {
        "获取群文件列表"
    }

    fn done(self, state: &mut State, files: GroupFiles, _fx: &mut Vec<Effect>) {
        if let Some(b) = browser(state, self.group)
            && b.folder_id() == self.folder.as_deref()
        {
            let rows = rows(files);
            b.selected = b.selected.min(rows.len().saturating_sub(1));
            b.entries = Load::Ready(rows);
        }
    }

    fn failed(self, state: &mut State, e: Error, _fx: &mut Vec<Effect>) {
        if let Some(b) = browser(state, self.group)
            && b.folder_id() == self.folder.as_deref()
        {
            b.entries = Load::Failed(super::super::text::short_reason(&e));
        }
    }
}

impl Request for GroupFileSpace {
    type Output = FileSystemInfo;

    fn describe(&self) -> &'static str {
        "获取群文件空间"
    }

    fn done(self, state: &mut State, info: FileSystemInfo, _fx: &mut Vec<Effect>) {
        if let Some(b) = browser(state, self.group) {
            b.space = Some((info.file_count, info.used_space, info.total_space));
        }
    }

    /// The listing works without it: nothing to say.
    fn failed(self, _state: &mut State, _e: Error, _fx: &mut Vec<Effect>) {}
}

/// After a change: the folder shown is listed again.
fn reload(state: &mut State, group: i64, fx: &mut Vec<Effect>) {
    if let Some(b) = browser(state, group) {
        load(b, fx);
    }
}

impl Request for DeleteGroupFile {
    type Output = ();

    fn describe(&self) -> &'static str {
        "删除群文件"
    }

    fn subject(&self, _state: &State) -> Option<String> {
        Some(self.name.clone())
    }

    fn done(self, state: &mut State, _: (), fx: &mut Vec<Effect>) {
        state.info(format!("已删除 {}", self.name));
        reload(state, self.group, fx);
    }
}

impl Request for DeleteGroupFolder {
    type Output = ();

    fn describe(&self) -> &'static str {
        "删除群文件夹"
    }

    fn subject(&self, _state: &State) -> Option<String> {
        Some(self.name.clone())
    }

    fn done(self, state: &mut State, _: (), fx: &mut Vec<Effect>) {
        state.info(format!("已删除文件夹 {}", self.name));
        reload(state, self.group, fx);
    }
}

impl Request for CreateGroupFolder {
    type Output = ();

    fn describe(&self) -> &'static str {
        "新建群文件夹"
    }

    fn subject(&self, _state: &State) -> Option<String> {
        Some(self.name.clone())
    }

    fn done(self, state: &mut State, _: (), fx: &mut Vec<Effect>) {
        state.info(format!("已新建文件夹 {}", self.name));
        reload(state, self.group, fx);
    }
}
