//! The app's transfers, done: saves (each source tried in turn into a temporary file in the
//! download folder, renamed to a name that exists nowhere yet), voices played, uploads by
//! `upload_file_stream` (base64 for a server without it). Each runs on a task of its own and
//! reports as `Msg::Transfer`; `/cancel` aborts the task, and the temporary file goes with it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::app::Msg;
use crate::app::text::short_reason;
use crate::app::transfer::{
    Purpose, SaveJob, Source, StreamKind, TransferEvent, TransferId, UploadJob, UploadTarget,
    numbered,
};
use crate::onebot::api::{DOWNLOAD_CHUNK, RecordFormat, StreamUpload};
use crate::onebot::{Client, Error, Segment, StreamFrame};

use super::fetch::{
    Expect, FetchError, FetchLimits, Fetcher, FileSink, Progress, Sink, write_reason,
};

/// Raw bytes per `upload_file_stream` chunk (base64 makes a frame a third bigger).
pub const UPLOAD_CHUNK: usize = 512 * 1024;
/// The largest upload sent as `base64://` when the server lacks `upload_file_stream`: NapCat's
/// socket refuses frames over 50 MB, and base64 is a third bigger.
pub const MAX_BASE64_UPLOAD: u64 = 30 * 1024 * 1024;
/// How long NapCat keeps a streamed upload before deleting it (ms).
const RETENTION_MS: u64 = 30 * 60 * 1000;
/// The most a voice may be (it arrives whole, as base64, from `get_record`).
const MAX_VOICE: u64 = 30 * 1024 * 1024;
/// Progress is reported at most this often per transfer.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

/// Where saves go and what plays voices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferOptions {
    pub download_dir: PathBuf,
    /// Whether a missing `download_dir` is made (the default folder, `~/Downloads`, on a
    /// server that never had one); a folder the user configured is never made.
    pub create_dir: bool,
    /// `[media] player` (a command; the file's path is appended), else found on PATH.
    pub player: Option<String>,
    pub limits: FetchLimits,
    /// Where the temporary file's bytes really go (`None`: into the temporary file itself).
    /// Only tests set it, to `/dev/full`: the temporary file is still made in the folder and
    /// must still be gone afterwards, but every write meets a full disk (`ENOSPC`).
    #[doc(hidden)]
    pub write_through: Option<PathBuf>,
}

impl Default for TransferOptions {
    fn default() -> Self {
        TransferOptions {
            download_dir: default_download_dir(),
            create_dir: false,
            player: None,
            limits: FetchLimits::default(),
            write_through: None,
        }
    }
}

/// The XDG download folder, else `~/Downloads`.
pub fn default_download_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|d| d.download_dir().map(Path::to_path_buf))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join("Downloads")))
        .unwrap_or_else(|| PathBuf::from("Downloads"))
}

/// `~/x` → `$HOME/x`.
pub fn expand_home(path: &str) -> PathBuf {
    let path = path.trim();
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ if path == "~" => {
            std::env::var_os("HOME").map_or_else(|| PathBuf::from(path), PathBuf::from)
        }
        _ => PathBuf::from(path),
    }
}

/// Lists a local folder for path completion (off the loop thread): at most 500 entries, folders
/// first, by name; an unreadable folder lists as empty.
pub fn list_dir(dir: String, tx: &UnboundedSender<Msg>) {
    let tx = tx.clone();
    tokio::task::spawn_blocking(move || {
        let path = if dir.is_empty() {
            PathBuf::from(".")
        } else {
            expand_home(&dir)
        };
        let mut entries: Vec<(String, bool)> = std::fs::read_dir(&path)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .take(5000)
                    .map(|e| {
                        let is_dir = e.path().is_dir();
                        (e.file_name().to_string_lossy().into_owned(), is_dir)
                    })
                    .collect()
            })
            .unwrap_or_default();
        entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        entries.truncate(500);
        let _ = tx.send(Msg::Listed { dir, entries });
    });
}

/// The transfers in flight, by id.
pub struct Transfers {
    opts: Arc<TransferOptions>,
    fetcher: Fetcher,
    tasks: HashMap<TransferId, JoinHandle<()>>,
}

impl Transfers {
    pub fn new(opts: TransferOptions) -> Transfers {
        let fetcher = Fetcher::new(opts.limits.clone()).unwrap_or_else(|e| {
            tracing::warn!(%e, "HTTP client with the configured limits failed; using defaults");
            Fetcher::new(FetchLimits::default()).expect("the default HTTP client builds")
        });
        Transfers {
            opts: Arc::new(opts),
            fetcher,
            tasks: HashMap::new(),
        }
    }

    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    pub fn options(&self) -> &TransferOptions {
        &self.opts
    }

    fn spawn(&mut self, id: TransferId, work: impl Future<Output = ()> + Send + 'static) {
        self.tasks.retain(|_, t| !t.is_finished());
        self.tasks.insert(id, tokio::spawn(work));
    }

    pub fn save(&mut self, job: SaveJob, client: &Client, tx: &UnboundedSender<Msg>) {
        let (client, tx) = (client.clone(), tx.clone());
        let (fetcher, opts) = (self.fetcher.clone(), self.opts.clone());
        let id = job.id;
        self.spawn(id, async move {
            let mut progress = Reporter::new(id, tx.clone());
            let event = match job.purpose {
                Purpose::Save => {
                    match save(
                        &job,
                        &client,
                        &fetcher,
                        (
                            &opts.download_dir,
                            opts.create_dir,
                            opts.write_through.as_deref(),
                        ),
                        &mut progress,
                    )
                    .await
                    {
                        Ok((path, via)) => TransferEvent::Saved {
                            id,
                            path: path.display().to_string(),
                            via,
                        },
                        Err(reason) => TransferEvent::Failed { id, reason },
                    }
                }
                Purpose::Play => match play(&job, &client, &fetcher, &opts, &mut progress).await {
                    Ok(player) => TransferEvent::Playing { id, player },
                    Err(reason) => TransferEvent::Failed { id, reason },
                },
            };
            let _ = tx.send(Msg::Transfer(event));
        });
    }

    pub fn upload(&mut self, job: UploadJob, client: &Client, tx: &UnboundedSender<Msg>) {
        let (client, tx) = (client.clone(), tx.clone());
        let id = job.id;
        self.spawn(id, async move {
            let mut progress = Reporter::new(id, tx.clone());
            let event = match upload(&job, &client, &mut progress).await {
                Ok(file) => TransferEvent::Uploaded { id, file },
                Err(reason) => TransferEvent::Failed { id, reason },
            };
            let _ = tx.send(Msg::Transfer(event));
        });
    }

    /// Stops a transfer: its task is aborted (a temporary file is removed as it drops).
    pub fn cancel(&mut self, id: TransferId, tx: &UnboundedSender<Msg>) {
        if let Some(task) = self.tasks.remove(&id) {
            task.abort();
            let _ = tx.send(Msg::Transfer(TransferEvent::Failed {
                id,
                reason: "已取消".into(),
            }));
        }
    }
}

/// Reports progress at most every [`PROGRESS_EVERY`].
struct Reporter {
    id: TransferId,
    tx: UnboundedSender<Msg>,
    started: Instant,
    last: Option<Instant>,
}

impl Reporter {
    fn new(id: TransferId, tx: UnboundedSender<Msg>) -> Reporter {
        Reporter {
            id,
            tx,
            started: Instant::now(),
            last: None,
        }
    }

    fn restart(&mut self) {
        self.started = Instant::now();
    }

    fn report(&mut self, done: u64, total: Option<u64>) {
        let now = Instant::now();
        if self.last.is_some_and(|t| now < t + PROGRESS_EVERY) && Some(done) != total {
            return;
        }
        self.last = Some(now);
        let secs = now.duration_since(self.started).as_secs_f64();
        let speed = if secs > 0.0 {
            (done as f64 / secs) as u64
        } else {
            0
        };
        let _ = self.tx.send(Msg::Transfer(TransferEvent::Progress {
            id: self.id,
            done,
            total,
            speed,
        }));
    }
}

/// A temporary file in the download folder; removed on drop unless it was kept.
struct Part {
    path: PathBuf,
    sink: Option<FileSink>,
}

impl Part {
    async fn create(dir: &Path, write_through: Option<&Path>) -> std::io::Result<Part> {
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create_new(true);
        loop {
            let path = dir.join(format!(".napterm-{:016x}.part", rand::random::<u64>()));
            match options.open(&path).await {
                Ok(mut file) => {
                    // The part owns its name from here on: dropped, it is removed.
                    let mut part = Part { path, sink: None };
                    if let Some(through) = write_through {
                        file = tokio::fs::OpenOptions::new()
                            .write(true)
                            .open(through)
                            .await?;
                    }
                    part.sink = Some(FileSink::new(file));
                    return Ok(part);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn sink(&mut self) -> &mut FileSink {
        self.sink
            .as_mut()
            .expect("the sink is there until the part is kept")
    }

    /// Syncs the bytes and gives them the first free name of `name`, `name (1).ext`, …
    /// (never replacing a file: a hard link fails on any existing name).
    async fn keep(mut self, dir: &Path, name: &str) -> Result<PathBuf, String> {
        let sink = self.sink.take().expect("kept once");
        sink.finish()
            .await
            .map_err(|e| format!("写入失败: {}", write_reason(&e)))?;
        let temp = self.path.clone();
        let dir = dir.to_path_buf();
        let name = name.to_string();
        let kept = tokio::task::spawn_blocking(move || place(&temp, &dir, &name))
            .await
            .map_err(|e| format!("写入失败: {e}"))??;
        // The temporary name is gone (linked and removed, or renamed).
        self.path = PathBuf::new();
        Ok(kept)
    }
}

impl Drop for Part {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Links `temp` to the first free name in `dir` and removes `temp`.
fn place(temp: &Path, dir: &Path, name: &str) -> Result<PathBuf, String> {
    for n in 0..10_000 {
        let candidate = dir.join(numbered(name, n));
        // The name is one component (safe_name); anything else is refused outright.
        if candidate.parent() != Some(dir) {
            return Err("文件名无效".into());
        }
        match std::fs::hard_link(temp, &candidate) {
            Ok(()) => {
                let _ = std::fs::remove_file(temp);
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => {
                // A file system without hard links: a rename after looking (never over a file).
                if std::fs::symlink_metadata(&candidate).is_ok() {
                    continue;
                }
                return std::fs::rename(temp, &candidate)
                    .map(|()| candidate)
                    .map_err(|e| format!("无法改名为 {name}: {e}"));
            }
        }
    }
    Err(format!("{name} 的编号都已被占用"))
}

/// Why a source gave no bytes: try the next one, or stop (the disk will not take them).
enum Miss {
    Next(String),
    Stop(String),
}

impl From<FetchError> for Miss {
    fn from(e: FetchError) -> Miss {
        match e {
            FetchError::Write(w) => Miss::Stop(format!("写入失败: {w}")),
            other => Miss::Next(other.to_string()),
        }
    }
}

impl From<Error> for Miss {
    fn from(e: Error) -> Miss {
        Miss::Next(e.to_string())
    }
}

/// Checks the download folder: it must exist and be a folder (made first when `create`).
async fn check_dir(dir: &Path, create: bool) -> Result<(), String> {
    if create && let Err(e) = tokio::fs::create_dir_all(dir).await {
        return Err(format!("无法创建下载目录 {}: {e}", dir.display()));
    }
    match tokio::fs::metadata(dir).await {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(format!("下载目录 {} 不是文件夹", dir.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "下载目录 {} 不存在 (在配置的 [files] download_dir 设置)",
            dir.display()
        )),
        Err(e) => Err(format!("无法访问下载目录 {}: {e}", dir.display())),
    }
}

/// Saves `job` into `dir`: each source in turn; the last reason when all fail.
async fn save(
    job: &SaveJob,
    client: &Client,
    fetcher: &Fetcher,
    (dir, create, through): (&Path, bool, Option<&Path>),
    progress: &mut Reporter,
) -> Result<(PathBuf, &'static str), String> {
    check_dir(dir, create).await?;
    let mut last = String::from("没有可用的下载来源");
    for source in &job.sources {
        let mut part = Part::create(dir, through)
            .await
            .map_err(|e| format!("无法在 {} 中写入: {}", dir.display(), write_reason(&e)))?;
        progress.restart();
        match fill(source, job, part.sink(), client, fetcher, progress).await {
            Ok(()) => return Ok((part.keep(dir, &job.name).await?, source.label())),
            Err(Miss::Stop(reason)) => return Err(reason),
            Err(Miss::Next(reason)) => {
                tracing::info!(source = source.label(), %reason, "a download source failed");
                last = format!("{}: {reason}", source.label());
            }
        }
    }
    Err(last)
}

/// Writes the bytes of one source into `sink`.
async fn fill<S: Sink>(
    source: &Source,
    job: &SaveJob,
    sink: &mut S,
    client: &Client,
    fetcher: &Fetcher,
    progress: &mut Reporter,
) -> Result<(), Miss> {
    let expect = Expect {
        size: job.size.filter(|s| *s > 0),
        max_bytes: None,
    };
    match source {
        Source::GroupFileUrl { group, file_id } => {
            let url = client.get_group_file_url(*group, file_id).await?.url;
            fetch(fetcher, &with_name(&url, &job.name), expect, sink, progress).await
        }
        Source::PrivateFileUrl { file_id } => {
            let url = client.get_private_file_url(file_id).await?.url;
            fetch(fetcher, &with_name(&url, &job.name), expect, sink, progress).await
        }
        Source::Url {
            url,
            message_id,
            file,
        } => match fetch(fetcher, url, expect, sink, progress).await {
            Err(Miss::Next(_)) if message_id.is_some() && is_expired(fetcher, url) => {
                // QQ's link expired: NapCat rebuilds it with a fresh rkey on get_msg.
                let message = client.get_msg(message_id.unwrap_or_default()).await?;
                let fresh = message
                    .message
                    .segments()
                    .iter()
                    .find_map(|s| media_url(s, file))
                    .ok_or_else(|| Miss::Next("消息里已没有这个附件".into()))?;
                fetch(fetcher, &fresh, expect, sink, progress).await
            }
            other => other,
        },
        Source::Stream { kind, file } => {
            let frames = match kind {
                StreamKind::File => client.download_file_stream(file, DOWNLOAD_CHUNK),
                StreamKind::Image => client.download_file_image_stream(file, DOWNLOAD_CHUNK),
                StreamKind::Record => client.download_file_record_stream(
                    file,
                    Some(RecordFormat::Mp3),
                    DOWNLOAD_CHUNK,
                ),
            };
            // A converted voice has a size of its own.
            let announced = if *kind == StreamKind::Record {
                None
            } else {
                expect.size
            };
            stream(frames, announced, sink, progress).await
        }
        Source::Record { file } => {
            let media = client.get_record(file, RecordFormat::Mp3).await?;
            let b64 = media
                .base64
                .filter(|b| !b.is_empty())
                .ok_or_else(|| Miss::Next("NapCat 没有返回语音数据".into()))?;
            if b64.len() as u64 > MAX_VOICE * 4 / 3 + 4 {
                return Err(Miss::Next("语音太大".into()));
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|_| Miss::Next("语音数据不是 base64".into()))?;
            sink.write(&bytes)
                .await
                .map_err(|e| Miss::Stop(format!("写入失败: {}", write_reason(&e))))?;
            progress.report(bytes.len() as u64, Some(bytes.len() as u64));
            Ok(())
        }
    }
}

/// Whether the last fetch of `url` found it expired.
fn is_expired(fetcher: &Fetcher, url: &str) -> bool {
    fetcher
        .log()
        .records()
        .iter()
        .rev()
        .find(|r| r.url == url)
        .is_some_and(|r| r.result == Err(FetchError::Expired))
}

/// The link of the media segment whose `file` is `file`.
fn media_url(seg: &Segment, file: &str) -> Option<String> {
    let (f, url) = match seg {
        Segment::Image(i) => (&i.file, &i.url),
        Segment::Video(v) => (&v.file, &v.url),
        Segment::Record(r) => (&r.file, &r.url),
        _ => return None,
    };
    (f == file).then(|| url.clone()).flatten()
}

/// NapCat's file links may end in `fname=` for the client to append the name.
fn with_name(url: &str, name: &str) -> String {
    if url.ends_with("fname=") {
        format!("{url}{}", crate::onebot::percent_encode(name))
    } else {
        url.to_string()
    }
}

async fn fetch<S: Sink>(
    fetcher: &Fetcher,
    url: &str,
    expect: Expect,
    sink: &mut S,
    progress: &mut Reporter,
) -> Result<(), Miss> {
    let total = expect.size;
    let mut counted = Progress {
        inner: sink,
        done: 0,
        total,
        report: |done, total| progress.report(done, total),
    };
    fetcher.fetch(url, expect, &mut counted).await?;
    Ok(())
}

/// Writes a download stream's chunks; the sizes must agree with what was announced.
async fn stream<S: Sink>(
    mut frames: crate::onebot::StreamReplies,
    announced: Option<u64>,
    sink: &mut S,
    progress: &mut Reporter,
) -> Result<(), Miss> {
    let mut expected = announced;
    let mut got: u64 = 0;
    while let Some(frame) = frames.next().await {
        match frame? {
            StreamFrame::Info(info) => {
                if info.file_size > 0 {
                    if let Some(a) = announced
                        && a != info.file_size
                    {
                        return Err(Miss::Next(format!(
                            "大小不符: 消息说 {a} 字节, NapCat 说 {}",
                            info.file_size
                        )));
                    }
                    expected = Some(info.file_size);
                }
            }
            StreamFrame::Chunk(chunk) => {
                got += chunk.data.len() as u64;
                if let Some(e) = expected
                    && got > e
                {
                    return Err(Miss::Next(format!("大小不符: 应为 {e} 字节, 收到更多")));
                }
                sink.write(&chunk.data)
                    .await
                    .map_err(|e| Miss::Stop(format!("写入失败: {}", write_reason(&e))))?;
                progress.report(got, expected);
            }
            StreamFrame::Done(done) => {
                if let Some(e) = expected
                    && got != e
                {
                    return Err(Miss::Next(format!("大小不符: 应为 {e} 字节, 收到 {got}")));
                }
                if done.total_bytes > 0 && done.total_bytes != got {
                    return Err(Miss::Next(format!(
                        "大小不符: NapCat 发了 {} 字节, 收到 {got}",
                        done.total_bytes
                    )));
                }
                return Ok(());
            }
            StreamFrame::Received { .. } | StreamFrame::Other(_) => {}
        }
    }
    Err(Miss::Next("流在完成前中断".into()))
}

/// Fetches a voice into a private temporary file and starts the player on it.
async fn play(
    job: &SaveJob,
    client: &Client,
    fetcher: &Fetcher,
    opts: &TransferOptions,
    progress: &mut Reporter,
) -> Result<String, String> {
    let (program, args) = player(opts.player.as_deref())?;
    let dir = std::env::temp_dir().join(format!("napterm-voice-{}", uid()));
    create_private_dir(&dir).map_err(|e| format!("无法创建临时目录: {e}"))?;
    let path = dir.join(&job.name);
    let _ = std::fs::remove_file(&path);
    let (path, via) = {
        let mut last = String::from("没有可用的来源");
        let mut placed = None;
        for source in &job.sources {
            let file = tokio::fs::File::create(&path)
                .await
                .map_err(|e| format!("无法写入临时文件: {e}"))?;
            let mut sink = FileSink::new(file);
            match fill(source, job, &mut sink, client, fetcher, progress).await {
                Ok(()) => {
                    sink.finish()
                        .await
                        .map_err(|e| format!("写入失败: {}", write_reason(&e)))?;
                    placed = Some(source.label());
                    break;
                }
                Err(Miss::Next(r)) | Err(Miss::Stop(r)) => {
                    last = format!("{}: {r}", source.label())
                }
            }
        }
        match placed {
            Some(via) => (path, via),
            None => {
                let _ = std::fs::remove_file(&path);
                return Err(last);
            }
        }
    };
    tracing::debug!(via, "voice fetched");
    std::process::Command::new(&program)
        .args(&args)
        .arg(&path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("无法运行 {program}: {e}"))?;
    Ok(program)
}

/// The user id, for a per-user temporary folder.
fn uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = std::fs::symlink_metadata(dir)?;
            if !meta.is_dir() || meta.uid() != uid() {
                return Err(std::io::Error::other("不是本用户的目录"));
            }
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The player command: `[media] player` (words; the path is appended), else the first of mpv,
/// ffplay, paplay on PATH.
pub fn player(configured: Option<&str>) -> Result<(String, Vec<String>), String> {
    if let Some(cmd) = configured.map(str::trim).filter(|c| !c.is_empty()) {
        let mut words = cmd.split_whitespace().map(str::to_string);
        let program = words.next().unwrap_or_default();
        return Ok((program, words.collect()));
    }
    let known: [(&str, &[&str]); 3] = [
        ("mpv", &["--no-video", "--really-quiet"]),
        ("ffplay", &["-nodisp", "-autoexit", "-loglevel", "quiet"]),
        ("paplay", &[]),
    ];
    for (program, args) in known {
        if on_path(program) {
            return Ok((
                program.to_string(),
                args.iter().map(|a| a.to_string()).collect(),
            ));
        }
    }
    Err("找不到播放器: 安装 mpv、ffplay 或 paplay, 或在配置的 [media] player 指定".into())
}

fn on_path(program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            std::fs::metadata(dir.join(program))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Uploads a local file; the new file's id, or NapCat's path for a voice.
async fn upload(
    job: &UploadJob,
    client: &Client,
    progress: &mut Reporter,
) -> Result<String, String> {
    let path = expand_home(&job.path);
    let meta = tokio::fs::metadata(&path)
        .await
        .map_err(|e| crate::runtime::fetch::cannot_read(&path, &e))?;
    if !meta.is_file() {
        return Err(format!("{} 不是文件", path.display()));
    }
    let size = meta.len();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let sha = {
        let hashed = path.clone();
        tokio::task::spawn_blocking(move || sha256_file(&hashed))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| crate::runtime::fetch::cannot_read(&path, &e))?
    };
    let file = match stream_upload(client, &path, &name, size, &sha, progress).await {
        Ok(remote) => remote,
        Err(Upload::Call(Error::UnknownAction { .. })) => {
            if size > MAX_BASE64_UPLOAD {
                return Err(
                    "这个 NapCat 不支持 upload_file_stream (需要 4.8.114 以上), 而文件超过 \
                     30 MB, 不能整个放进一帧 (NapCat 拒收 50 MB 以上的帧)"
                        .into(),
                );
            }
            let bytes = tokio::fs::read(&path)
                .await
                .map_err(|e| crate::runtime::fetch::cannot_read(&path, &e))?;
            progress.report(size, Some(size));
            format!(
                "base64://{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            )
        }
        Err(Upload::Read(why)) => return Err(why),
        Err(Upload::Call(e)) => return Err(format!("上传失败: {}", short_reason(&e))),
    };
    let id = match &job.target {
        UploadTarget::Voice { .. } => return Ok(file),
        UploadTarget::Group { group, folder } => {
            client
                .upload_group_file(*group, &file, &name, folder.as_deref())
                .await
        }
        UploadTarget::Private { user } => client.upload_private_file(*user, &file, &name).await,
    }
    .map_err(|e| format!("上传失败: {}", short_reason(&e)))?;
    Ok(id.file_id.unwrap_or_default())
}

fn sha256_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Sends the file in `upload_file_stream` chunks; NapCat's path for it.
/// Why a stream upload stopped: the local file would not read, or a call failed.
enum Upload {
    Read(String),
    Call(Error),
}

async fn stream_upload(
    client: &Client,
    path: &Path,
    name: &str,
    size: u64,
    sha: &str,
    progress: &mut Reporter,
) -> Result<String, Upload> {
    let total = size.div_ceil(UPLOAD_CHUNK as u64).max(1);
    let upload = StreamUpload {
        stream_id: format!(
            "napterm-{:016x}{:016x}",
            rand::random::<u64>(),
            rand::random::<u64>()
        ),
        total_chunks: total,
        file_size: size,
        expected_sha256: sha.to_string(),
        filename: name.to_string(),
        file_retention_ms: RETENTION_MS,
    };
    let io = |e: std::io::Error| Upload::Read(crate::runtime::fetch::cannot_read(path, &e));
    let mut file = tokio::fs::File::open(path).await.map_err(io)?;
    let mut buf = vec![0u8; UPLOAD_CHUNK];
    let mut sent: u64 = 0;
    for index in 0..total {
        let mut filled = 0;
        while filled < buf.len() {
            let n = file.read(&mut buf[filled..]).await.map_err(io)?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        client
            .upload_file_stream_chunk(&upload, index, &buf[..filled])
            .await
            .map_err(Upload::Call)?;
        sent += filled as u64;
        progress.report(sent, Some(size));
    }
    let done = client
        .upload_file_stream_complete(&upload)
        .await
        .map_err(Upload::Call)?;
    Ok(done.file_path.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_name_is_numbered_and_never_replaced() {
        let dir = std::env::temp_dir().join(format!("napterm-place-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), b"old").unwrap();
        let temp = dir.join(".t1");
        std::fs::write(&temp, b"new").unwrap();
        let kept = place(&temp, &dir, "a.txt").unwrap();
        assert_eq!(kept, dir.join("a (1).txt"));
        assert_eq!(std::fs::read(dir.join("a.txt")).unwrap(), b"old");
        assert_eq!(std::fs::read(&kept).unwrap(), b"new");
        assert!(!temp.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_configured_player_is_split_into_words() {
        assert_eq!(
            player(Some("mpv --volume=50")).unwrap(),
            ("mpv".to_string(), vec!["--volume=50".to_string()])
        );
    }
}
