//! Group files: listing the root and folders, file-system info, upload, folders, deletion, URLs;
//! and private file uploads and URLs.

use serde_json::{Value, json};

use crate::onebot::{Event, MessageChain, NoticeKind, Peer};

use super::World;
use super::content;
use super::model::{GroupFile, GroupFolder};
use super::params::{Params, Reply, failed};

impl World {
    /// Adds a file to a group's file area and announces it (`group_upload`).
    pub(super) fn add_group_file(
        &mut self,
        g: i64,
        file_id: String,
        name: String,
        size: u64,
        folder_id: Option<String>,
        ev: &mut Vec<Event>,
    ) {
        let now = self.now();
        let me = self.self_id;
        let my_name = self
            .member(g, me)
            .map(|m| m.display_name().to_string())
            .unwrap_or_else(|| self.nickname.clone());
        let Some(group) = self.group_mut(g) else {
            return;
        };
        group.files.push(GroupFile {
            file_id: file_id.clone(),
            name: name.clone(),
            size: size as i64,
            busid: 102,
            upload_time: now,
            download_times: 0,
            uploader: me,
            uploader_name: my_name,
            folder_id,
        });
        ev.push(self.notice(NoticeKind::GroupUpload {
            group_id: g,
            user_id: me,
            file: crate::onebot::notice::UploadedFile {
                id: file_id,
                name,
                size: size as i64,
                busid: 102,
            },
        }));
    }

    pub(super) fn get_group_root_files(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let limit = p.int("file_count", 50)?.max(0) as usize;
        let gr = self.joined(g)?;
        let files: Vec<Value> = gr
            .files
            .iter()
            .filter(|f| f.folder_id.is_none())
            .take(limit)
            .map(|f| f.to_json(g))
            .collect();
        let folders: Vec<Value> = gr
            .folders
            .iter()
            .map(|d| {
                let count = gr
                    .files
                    .iter()
                    .filter(|f| f.folder_id.as_deref() == Some(&d.folder_id))
                    .count();
                json!({
                    "group_id": g, "folder_id": d.folder_id, "folder": d.folder_id,
                    "folder_name": d.name, "create_time": d.create_time, "creator": d.creator,
                    "creator_name": d.creator_name, "total_file_count": count,
                })
            })
            .collect();
        Ok(Some(json!({ "files": files, "folders": folders })))
    }

    pub(super) fn get_group_files_by_folder(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let folder = p.string_any(&["folder_id", "folder"])?;
        let limit = p.int("file_count", 50)?.max(0) as usize;
        let gr = self.joined(g)?;
        if !gr.folders.iter().any(|d| d.folder_id == folder) {
            return Err(failed(format!("文件夹{folder}不存在")));
        }
        let files: Vec<Value> = gr
            .files
            .iter()
            .filter(|f| f.folder_id.as_deref() == Some(folder.as_str()))
            .take(limit)
            .map(|f| f.to_json(g))
            .collect();
        Ok(Some(json!({ "files": files, "folders": [] })))
    }

    pub(super) fn get_group_file_system_info(&self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let gr = self.joined(p.id("group_id")?)?;
        // NapCat reports only the count; the space figures are fixed.
        Ok(Some(json!({
            "file_count": gr.files.len(), "limit_count": 10000, "used_space": 0,
            "total_space": 10_i64 * 1024 * 1024 * 1024,
        })))
    }

    pub(super) fn upload_group_file(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["group_id", "file", "name"])?;
        let g = p.id("group_id")?;
        let file = p.string("file")?;
        let name = p.string("name")?;
        let folder = p
            .opt_string("folder_id")
            .or_else(|| p.opt_string("folder"))
            .filter(|f| !f.is_empty() && f != "/");
        self.check_can_post(g)?;
        if let Some(f) = &folder
            && !self
                .group(g)
                .is_some_and(|gr| gr.folders.iter().any(|d| &d.folder_id == f))
        {
            return Err(failed(format!("文件夹{f}不存在")));
        }
        if file.trim().is_empty() {
            return Err(failed("文件不存在"));
        }
        let bytes = self.uploaded_bytes(&file)?;
        let size = match &bytes {
            Some(b) => b.len() as u64,
            None => self.rng.range(1_000, 8_000_000) as u64,
        };
        let file_id = format!("/{}", self.rng.uuid());
        if let Some(bytes) = bytes {
            self.put_blob(&file_id, bytes);
        }
        // Files to the root also appear in the chat as a file message.
        if folder.is_none() {
            let chain = MessageChain(vec![content::file(&name, size, &file_id)]);
            let event = self.post(Peer::Group(g), self.self_id, chain, self.now());
            ev.push(Event::Message(Box::new(event)));
        }
        self.add_group_file(g, file_id.clone(), name, size, folder, ev);
        Ok(Some(json!({ "file_id": file_id })))
    }

    /// The bytes an upload's `file` names: `base64://…` decoded, or a file a finished
    /// `upload_file_stream` left; `None` for anything else (a path or URL on NapCat's side,
    /// which the simulator takes on trust).
    fn uploaded_bytes(
        &self,
        file: &str,
    ) -> Result<Option<std::sync::Arc<[u8]>>, super::params::Fail> {
        use base64::Engine;
        if let Some(b64) = file.strip_prefix("base64://") {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|_| failed("base64 解码失败"))?;
            return Ok(Some(bytes.into()));
        }
        Ok(self.blob(file))
    }

    /// The account may post in the group (member of it, not muted).
    fn check_can_post(&self, g: i64) -> Result<(), super::params::Fail> {
        let gr = self.joined(g)?;
        if gr
            .member(self.self_id)
            .is_some_and(|m| m.shut_up_timestamp > self.now())
        {
            return Err(failed("上传失败，你在本群已被禁言"));
        }
        Ok(())
    }

    pub(super) fn create_group_file_folder(&mut self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let name = p.string_any(&["folder_name", "name"])?;
        self.joined(g)?;
        if !self.self_role(g).is_admin() {
            return Err(failed("权限不足：只有群主和管理员可以创建文件夹"));
        }
        if self
            .group(g)
            .is_some_and(|gr| gr.folders.iter().any(|d| d.name == name))
        {
            return Err(failed("文件夹已存在"));
        }
        let now = self.now();
        let folder = GroupFolder {
            folder_id: format!("/{}", self.rng.uuid()),
            name: name.clone(),
            create_time: now,
            creator: self.self_id,
            creator_name: self.nickname.clone(),
        };
        let folder_id = folder.folder_id.clone();
        if let Some(gr) = self.group_mut(g) {
            gr.folders.push(folder);
        }
        Ok(Some(json!({
            "result": {"retCode": 0, "retMsg": "ok", "clientWording": ""},
            "groupItem": {
                "peerId": g.to_string(), "type": 2,
                "folderInfo": {
                    "folderId": folder_id, "parentFolderId": "/", "folderName": name,
                    "createTime": now, "modifyTime": now, "createUin": self.self_id.to_string(),
                    "creatorName": self.nickname, "totalFileCount": 0, "modifyUin": self.self_id.to_string(),
                    "modifyName": self.nickname, "usedSpace": "0",
                },
                "fileInfo": null,
            },
        })))
    }

    pub(super) fn delete_group_file(&mut self, p: &Params) -> Reply {
        p.require(&["group_id", "file_id"])?;
        let g = p.id("group_id")?;
        let id = p.string("file_id")?;
        let gr = self.joined(g)?;
        let file = gr
            .files
            .iter()
            .find(|f| f.file_id == id)
            .ok_or_else(|| failed("Invalid file_id"))?;
        if file.uploader != self.self_id && !self.self_role(g).is_admin() {
            return Err(failed("权限不足：只能删除自己上传的文件"));
        }
        if let Some(gr) = self.group_mut(g) {
            gr.files.retain(|f| f.file_id != id);
        }
        Ok(Some(json!({
            "result": 0, "errMsg": "",
            "transGroupFileResult": {
                "result": {"retCode": 0, "retMsg": "ok", "clientWording": ""},
                "successFileIdList": [id], "failFileIdList": [],
            },
        })))
    }

    pub(super) fn delete_group_folder(&mut self, p: &Params) -> Reply {
        p.require(&["group_id"])?;
        let g = p.id("group_id")?;
        let id = p.string_any(&["folder_id", "folder"])?;
        let gr = self.joined(g)?;
        if !gr.folders.iter().any(|d| d.folder_id == id) {
            return Err(failed(format!("文件夹{id}不存在")));
        }
        if !self.self_role(g).is_admin() {
            return Err(failed("权限不足：只有群主和管理员可以删除文件夹"));
        }
        if let Some(gr) = self.group_mut(g) {
            gr.folders.retain(|d| d.folder_id != id);
            gr.files
                .retain(|f| f.folder_id.as_deref() != Some(id.as_str()));
        }
        Ok(Some(
            json!({"retCode": 0, "retMsg": "ok", "clientWording": ""}),
        ))
    }

    pub(super) fn get_group_file_url(&self, p: &Params) -> Reply {
        p.require(&["group_id", "file_id"])?;
        let g = p.id("group_id")?;
        let id = p.string("file_id")?;
        let gr = self.joined(g)?;
        let f = gr
            .files
            .iter()
            .find(|f| f.file_id == id)
            .ok_or_else(|| failed("Invalid file_id"))?;
        Ok(Some(json!({ "url": self.file_url(&f.file_id, &f.name) })))
    }

    pub(super) fn upload_private_file(&mut self, p: &Params, ev: &mut Vec<Event>) -> Reply {
        p.require(&["user_id", "file", "name"])?;
        let u = p.id("user_id")?;
        let file = p.string("file")?;
        let name = p.string("name")?;
        if !self.people.contains_key(&u) {
            return Err(failed("无法获取用户信息"));
        }
        if file.trim().is_empty() {
            return Err(failed("文件不存在"));
        }
        let bytes = self.uploaded_bytes(&file)?;
        let size = match &bytes {
            Some(b) => b.len() as u64,
            None => self.rng.range(1_000, 8_000_000) as u64,
        };
        let file_id = format!("/{}", self.rng.uuid());
        if let Some(bytes) = bytes {
            self.put_blob(&file_id, bytes);
        }
        let chain = MessageChain(vec![content::file(&name, size, &file_id)]);
        let event = self.post(Peer::Private(u), self.self_id, chain, self.now());
        ev.push(Event::Message(Box::new(event)));
        Ok(Some(json!({ "file_id": file_id })))
    }

    pub(super) fn get_private_file_url(&self, p: &Params) -> Reply {
        p.require(&["file_id"])?;
        let id = p.string("file_id")?;
        let media = self
            .store
            .media(&id)
            .ok_or_else(|| failed("文件不存在或已过期"))?;
        Ok(Some(json!({ "url": self.file_url(&id, &media.name) })))
    }
}
