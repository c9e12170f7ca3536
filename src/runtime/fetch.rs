//! The runtime's HTTP fetcher: the bytes of pictures, files, voice and video that NapCat hands
//! out as links (QQ's servers, plain HTTPS without cookies).
//!
//! Only `http` and `https` are ever fetched: any other scheme (and a URL that does not parse) is
//! refused before any IO, and redirects may only lead to those two. Each fetch waits for one of a
//! bounded number of permits, gives up on a slow connect or a silent peer (timeouts), stops at a
//! size cap and at more bytes than announced, and streams the body into a [`Sink`] — a file
//! ([`FileSink`]) or a bounded buffer ([`MemorySink`]) — never holding the whole of it. Every
//! fetch is written in the [`FetchLog`], which tests read.
//!
//! QQ's picture links carry an `rkey` that expires: such a link answers HTTP 400 with
//! `{"retcode":-5503007,…}`, reported as [`FetchError::Expired`] so the caller can ask NapCat
//! (`get_msg`) for a fresh link.

use std::future::Future;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;

/// How patient and how generous the fetcher is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchLimits {
    /// For the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// For each read of the body: a peer silent this long is given up on.
    pub read_timeout: Duration,
    /// Fetches in flight at once; more wait their turn.
    pub max_concurrent: usize,
    /// The most bytes any one fetch takes (a request may ask for less).
    pub max_bytes: u64,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_concurrent: 4,
            // QQ group files go up to 4 GB.
            max_bytes: 4 * 1024 * 1024 * 1024,
        }
    }
}

/// Why a fetch did not deliver.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not `http` or `https`: refused before any IO.
    #[error("只下载 http/https 链接 (不是 {0})")]
    Scheme(String),
    #[error("链接无效: {0}")]
    BadUrl(String),
    /// QQ's link expired (HTTP 400, retcode -5503007): ask NapCat for a fresh one.
    #[error("链接已过期")]
    Expired,
    #[error("服务器答复 HTTP {0}")]
    Status(u16),
    /// Announced, or delivered, more than the cap.
    #[error("文件太大 (上限 {limit} 字节)")]
    TooLarge { limit: u64 },
    /// A different number of bytes than announced (by NapCat or by `Content-Length`).
    #[error("大小不符: 应为 {expected} 字节, 收到 {got}")]
    SizeMismatch { expected: u64, got: u64 },
    #[error("下载超时")]
    Timeout,
    #[error("网络错误: {0}")]
    Network(String),
    /// The sink refused the bytes (a full disk, a read-only folder, a full buffer).
    #[error("写入失败: {0}")]
    Write(String),
}

/// Why the disk refused bytes, in words a user acts on (a full disk is named as such, not as
/// `os error 28`); other errors keep the system's own text.
pub fn write_reason(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let said = match e.kind() {
        K::StorageFull => "磁盘已满, 请腾出空间后重试",
        K::QuotaExceeded => "磁盘配额已用完",
        K::ReadOnlyFilesystem => "文件系统是只读的",
        K::PermissionDenied => "没有写入权限",
        K::FileTooLarge => "文件超过了文件系统的大小上限",
        K::NotFound => "文件夹不存在",
        K::AlreadyExists => "同名文件已存在",
        _ => return either_way(e),
    };
    said.into()
}

/// Why a local file could not be read, in a few words (what the user can act on).
pub fn read_reason(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let said = match e.kind() {
        K::NotFound => "文件不存在",
        K::PermissionDenied => "没有读取权限",
        _ => return either_way(e),
    };
    said.into()
}

/// What a path or the disk says the same way to a read and a write; else the system's text.
fn either_way(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let said = match e.kind() {
        K::IsADirectory => "这是一个文件夹",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::InvalidFilename => "文件名太长或不合法",
        K::TimedOut => "磁盘或网络文件系统没有响应",
        K::StaleNetworkFileHandle => "网络文件系统上的文件已失效",
        // EIO: the disk itself failed; EMFILE/ENFILE: too many files open.
        _ => match e.raw_os_error() {
            Some(5) => "磁盘读写出错",
            Some(23 | 24) => "打开的文件太多",
            _ => return e.to_string(),
        },
    };
    said.into()
}

/// "无法读取 <path>: <why>", for a local file that would not read.
pub fn cannot_read(path: &std::path::Path, e: &io::Error) -> String {
    format!("无法读取 {}: {}", path.display(), read_reason(e))
}

/// Where a fetched body goes, chunk by chunk.
pub trait Sink: Send {
    /// Writes one chunk; an error ends the fetch with `FetchError::Write`.
    fn write(&mut self, chunk: &[u8]) -> impl Future<Output = io::Result<()>> + Send;
}

/// A bounded in-memory buffer: more than `cap` bytes is an error, never a reallocation spree.
#[derive(Debug, Default)]
pub struct MemorySink {
    buf: Vec<u8>,
    cap: usize,
}

impl MemorySink {
    pub fn new(cap: usize) -> MemorySink {
        MemorySink {
            buf: Vec::new(),
            cap,
        }
    }
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

impl Sink for MemorySink {
    async fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        if self.buf.len() + chunk.len() > self.cap {
            return Err(io::Error::other(format!(
                "more than {} bytes for a memory buffer",
                self.cap
            )));
        }
        self.buf.extend_from_slice(chunk);
        Ok(())
    }
}

/// A file being written (through tokio's blocking pool, so the loop never waits on the disk),
/// with the bytes written so far counted.
#[derive(Debug)]
pub struct FileSink {
    file: tokio::io::BufWriter<tokio::fs::File>,
    written: u64,
}

impl FileSink {
    pub fn new(file: tokio::fs::File) -> FileSink {
        FileSink {
            file: tokio::io::BufWriter::with_capacity(256 * 1024, file),
            written: 0,
        }
    }
    pub fn written(&self) -> u64 {
        self.written
    }
    /// Flushes and syncs: the bytes are on the disk when this returns `Ok`.
    pub async fn finish(mut self) -> io::Result<u64> {
        self.file.flush().await?;
        self.file.get_mut().sync_all().await?;
        Ok(self.written)
    }
}

impl Sink for FileSink {
    async fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.file.write_all(chunk).await?;
        self.written += chunk.len() as u64;
        Ok(())
    }
}

/// Counts what passes into an inner sink and reports `(bytes so far, total if known)`.
pub struct Progress<'a, S, F> {
    pub inner: &'a mut S,
    pub done: u64,
    pub total: Option<u64>,
    pub report: F,
}

impl<S: Sink, F: FnMut(u64, Option<u64>) + Send> Sink for Progress<'_, S, F> {
    async fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.inner.write(chunk).await?;
        self.done += chunk.len() as u64;
        (self.report)(self.done, self.total);
        Ok(())
    }
}

/// One fetch as the log remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRecord {
    pub url: String,
    /// The HTTP status, when a response came.
    pub status: Option<u16>,
    /// Body bytes handed to the sink.
    pub bytes: u64,
    /// `Ok` or the error.
    pub result: Result<(), FetchError>,
}

/// The last fetches (at most [`FetchLog::KEEP`]), oldest first. Cloning shares it.
#[derive(Debug, Clone, Default)]
pub struct FetchLog(Arc<Mutex<Vec<FetchRecord>>>);

impl FetchLog {
    pub const KEEP: usize = 1000;

    pub fn records(&self) -> Vec<FetchRecord> {
        self.lock().clone()
    }
    /// The URLs fetched (refused ones included), oldest first.
    pub fn urls(&self) -> Vec<String> {
        self.lock().iter().map(|r| r.url.clone()).collect()
    }
    fn push(&self, record: FetchRecord) {
        let mut log = self.lock();
        if log.len() >= Self::KEEP {
            log.remove(0);
        }
        log.push(record);
    }
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<FetchRecord>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What a caller knows before fetching.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expect {
    /// The size NapCat announced: more bytes stop the fetch at once, fewer fail it at the end.
    pub size: Option<u64>,
    /// A cap tighter than the fetcher's own.
    pub max_bytes: Option<u64>,
}

/// What a finished fetch delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub bytes: u64,
    pub content_type: Option<String>,
}

/// The HTTP client. Cloning is cheap; clones share the connection pool, the permits and the log.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    permits: Arc<Semaphore>,
    limits: FetchLimits,
    log: FetchLog,
}

/// The scheme check, before any IO: the parsed URL, or why it is refused.
pub fn check_url(url: &str) -> Result<reqwest::Url, FetchError> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|e| FetchError::BadUrl(e.to_string()))?;
    match parsed.scheme() {
        "http" | "https" => Ok(parsed),
        other => Err(FetchError::Scheme(other.to_string())),
    }
}

/// How much of an error body is read to tell an expired link apart.
const ERROR_BODY_MAX: usize = 4096;

impl Fetcher {
    pub fn new(limits: FetchLimits) -> Result<Fetcher, FetchError> {
        let redirects = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
            } else if matches!(attempt.url().scheme(), "http" | "https") {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(concat!("napterm/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(limits.connect_timeout)
            .read_timeout(limits.read_timeout)
            .redirect(redirects)
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Fetcher {
            client,
            permits: Arc::new(Semaphore::new(limits.max_concurrent.max(1))),
            limits,
            log: FetchLog::default(),
        })
    }

    pub fn limits(&self) -> &FetchLimits {
        &self.limits
    }

    pub fn log(&self) -> &FetchLog {
        &self.log
    }

    /// Fetches `url` into `sink`. Cancel by dropping the future: the connection is closed and
    /// the permit returned.
    pub async fn fetch<S: Sink>(
        &self,
        url: &str,
        expect: Expect,
        sink: &mut S,
    ) -> Result<Fetched, FetchError> {
        let mut record = FetchRecord {
            url: url.to_string(),
            status: None,
            bytes: 0,
            result: Ok(()),
        };
        let result = self.fetch_inner(url, expect, sink, &mut record).await;
        record.result = result.as_ref().map(|_| ()).map_err(Clone::clone);
        if let Err(error) = &result {
            tracing::info!(host = %host_of(url), %error, "fetch failed");
        }
        self.log.push(record);
        result
    }

    async fn fetch_inner<S: Sink>(
        &self,
        url: &str,
        expect: Expect,
        sink: &mut S,
        record: &mut FetchRecord,
    ) -> Result<Fetched, FetchError> {
        let parsed = check_url(url)?;
        let cap = expect
            .max_bytes
            .map_or(self.limits.max_bytes, |m| m.min(self.limits.max_bytes));
        if let Some(size) = expect.size
            && size > cap
        {
            return Err(FetchError::TooLarge { limit: cap });
        }
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| FetchError::Network("the fetcher is closed".into()))?;
        let mut response = self
            .client
            .get(parsed)
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status().as_u16();
        record.status = Some(status);
        if !response.status().is_success() {
            return Err(status_error(status, &mut response).await);
        }
        let length = response.content_length();
        if let Some(length) = length {
            if length > cap {
                return Err(FetchError::TooLarge { limit: cap });
            }
            if let Some(size) = expect.size
                && size != length
            {
                return Err(FetchError::SizeMismatch {
                    expected: size,
                    got: length,
                });
            }
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let limit = expect.size.or(length);
        let mut got: u64 = 0;
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            got += chunk.len() as u64;
            if got > cap {
                return Err(FetchError::TooLarge { limit: cap });
            }
            if let Some(expected) = limit
                && got > expected
            {
                return Err(FetchError::SizeMismatch { expected, got });
            }
            sink.write(&chunk)
                .await
                .map_err(|e| FetchError::Write(write_reason(&e)))?;
            record.bytes = got;
        }
        if let Some(expected) = limit
            && got != expected
        {
            return Err(FetchError::SizeMismatch { expected, got });
        }
        Ok(Fetched {
            bytes: got,
            content_type,
        })
    }
}

/// A non-success status: an expired QQ link is told apart by its small JSON body.
async fn status_error(status: u16, response: &mut reqwest::Response) -> FetchError {
    if status == 400 {
        let mut body = Vec::new();
        while body.len() < ERROR_BODY_MAX {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        let text = String::from_utf8_lossy(&body);
        if text.contains("-5503007") || text.contains("url has expired") {
            return FetchError::Expired;
        }
    }
    FetchError::Status(status)
}

fn transport_error(e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout
    } else {
        // The error's text names the URL; say only what went wrong.
        let e = e.without_url();
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        FetchError::Network(text)
    }
}

/// The host of a URL, for logs (the query may hold an rkey).
fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the user can act on is said in words; anything else keeps the system's text.
    #[test]
    fn reasons_for_a_file_that_will_not_read_or_write() {
        let missing = std::fs::read("/nonexistent/napterm-reason").unwrap_err();
        assert_eq!(read_reason(&missing), "文件不存在");
        let full = io::Error::new(io::ErrorKind::StorageFull, "no space");
        assert_eq!(write_reason(&full), "磁盘已满, 请腾出空间后重试");
        let odd = io::Error::other("odd");
        assert_eq!(read_reason(&odd), "odd");
        assert_eq!(write_reason(&odd), "odd");
        // Said alike for both: the path, the disk itself.
        let long = std::fs::read(format!("/tmp/{}", "长".repeat(200))).unwrap_err();
        assert_eq!(read_reason(&long), "文件名太长或不合法");
        let eio = io::Error::from_raw_os_error(5);
        assert_eq!(write_reason(&eio), "磁盘读写出错");
        assert_eq!(read_reason(&eio), "磁盘读写出错");
        let not_dir = std::fs::write("/dev/null/x", b"").unwrap_err();
        assert_eq!(write_reason(&not_dir), "路径中有一段不是文件夹");
        let gone = std::fs::write("/nonexistent/napterm-reason", b"").unwrap_err();
        assert_eq!(write_reason(&gone), "文件夹不存在");
    }

    #[test]
    fn only_http_and_https_pass_the_scheme_check() {
        assert!(check_url("https://multimedia.nt.qq.com.cn/download?x=1").is_ok());
        assert!(check_url("http://127.0.0.1:1/a").is_ok());
        for (url, scheme) in [
            ("file:///etc/passwd", "file"),
            ("ftp://example.com/a", "ftp"),
            ("javascript:alert(1)", "javascript"),
            ("data:text/plain,hi", "data"),
            ("gopher://x/", "gopher"),
        ] {
            assert_eq!(check_url(url), Err(FetchError::Scheme(scheme.into())));
        }
        assert!(matches!(check_url("not a url"), Err(FetchError::BadUrl(_))));
        assert!(matches!(
            check_url("/etc/passwd"),
            Err(FetchError::BadUrl(_))
        ));
    }

    #[tokio::test]
    async fn a_refused_scheme_is_logged_and_never_dialled() {
        let fetcher = Fetcher::new(FetchLimits::default()).unwrap();
        let mut sink = MemorySink::new(10);
        let got = fetcher
            .fetch("file:///etc/passwd", Expect::default(), &mut sink)
            .await;
        assert_eq!(got, Err(FetchError::Scheme("file".into())));
        let log = fetcher.log().records();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].status, None);
        assert!(sink.bytes().is_empty());
    }

    #[tokio::test]
    async fn a_memory_sink_refuses_more_than_its_cap() {
        let mut sink = MemorySink::new(4);
        sink.write(b"abc").await.unwrap();
        assert!(sink.write(b"de").await.is_err());
        assert_eq!(sink.into_bytes(), b"abc");
    }
}
