//! The picture service: produces a picture's half-block cells at the size the app asks for,
//! off the loop thread. Where the bytes come from, in order: the decoded pictures kept in
//! memory (bounded), the disk cache ([`cache::DiskCache`]), then the server ([`get`]); what
//! the server gave is kept in the disk cache.

pub mod cache;
pub mod decode;
pub mod get;
pub mod send;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use image::RgbaImage;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::app::pictures::{PicDone, PicFailure, PicJob, PicKey};
use crate::onebot::Client;
use crate::runtime::fetch::{FetchLimits, Fetcher};

/// Decoded pictures kept in memory, in bytes of RGBA (re-encoding at another size, the viewer,
/// a resize need no second decode).
pub const DECODED_BYTES: usize = 96 * 1024 * 1024;

/// Decoded pictures, least recently used first.
#[derive(Default)]
struct Decoded {
    list: VecDeque<(PicKey, Arc<RgbaImage>)>,
    bytes: usize,
}

impl Decoded {
    fn position(&self, key: &PicKey) -> Option<usize> {
        self.list.iter().position(|(k, _)| k == key)
    }

    fn get(&mut self, key: &PicKey) -> Option<Arc<RgbaImage>> {
        let item = self.list.remove(self.position(key)?)?;
        let img = item.1.clone();
        self.list.push_back(item);
        Some(img)
    }

    /// Whether an entry holds `img` itself (one picture kept under two keys, see `alias`).
    fn holds(&self, img: &Arc<RgbaImage>) -> bool {
        self.list.iter().any(|(_, i)| Arc::ptr_eq(i, img))
    }

    /// Takes the bytes of an entry's image off the count, once no other entry holds it.
    fn let_go(&mut self, removed: &Arc<RgbaImage>) {
        if !self.holds(removed) {
            self.bytes -= removed.as_raw().len();
        }
    }

    /// Keeps `img` under `key`, in place of what the key held (two decodes of one picture
    /// finishing together, for the timeline and the viewer); its bytes count once however many
    /// keys share it.
    fn put(&mut self, key: PicKey, img: Arc<RgbaImage>) {
        let size = img.as_raw().len();
        if size > DECODED_BYTES {
            return;
        }
        if let Some((_, old)) = self.position(&key).and_then(|i| self.list.remove(i)) {
            self.let_go(&old);
        }
        if !self.holds(&img) {
            self.bytes += size;
        }
        self.list.push_back((key, img));
        while self.bytes > DECODED_BYTES {
            let Some((_, old)) = self.list.pop_front() else {
                break;
            };
            self.let_go(&old);
        }
    }
}

pub(crate) struct Inner {
    cache: Option<cache::DiskCache>,
    decoded: Mutex<Decoded>,
    /// The terminal's graphics protocol, its cell size in pixels, and where the encoded
    /// payloads go (unset: half blocks only).
    graphics: std::sync::OnceLock<Graphics>,
}

/// The graphics protocol pictures are also encoded for.
pub(crate) struct Graphics {
    protocol: crate::runtime::graphics::Graphics,
    cell_px: (u32, u32),
    payloads: crate::runtime::graphics::SharedPayloads<crate::runtime::screen::PicAt>,
}

/// Produces pictures for the loop; answers come back as `Msg::Picture`.
pub struct PictureService {
    tx: UnboundedSender<Msg>,
    inner: Arc<Inner>,
    client: Client,
    /// None when the HTTP client could not be made (pictures then come over the WebSocket).
    fetcher: Option<Fetcher>,
    /// The uploads under way, by the local id of their message (to cancel one).
    uploads: Arc<Mutex<std::collections::HashMap<u64, tokio::task::AbortHandle>>>,
}

/// How patient the picture fetcher is: pictures are small, and a stalled one only keeps its
/// placeholder; a few at once, each at most [`decode::MAX_INPUT`].
pub fn fetch_limits() -> FetchLimits {
    FetchLimits {
        connect_timeout: std::time::Duration::from_secs(10),
        read_timeout: std::time::Duration::from_secs(20),
        max_concurrent: 4,
        max_bytes: decode::MAX_INPUT as u64,
    }
}

/// Whether napterm would ever fetch `url`: only `http://` and `https://`. A `file://` URL, a
/// bare path or any other scheme from the server is never read.
pub fn fetchable(url: &str) -> bool {
    let lower = url.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

impl PictureService {
    /// A service answering on `tx`, asking `client`'s server for what it does not keep, and
    /// keeping pictures in `cache` (None: memory only).
    pub fn new(tx: UnboundedSender<Msg>, client: Client, cache: Option<cache::DiskCache>) -> Self {
        PictureService::with_limits(tx, client, cache, fetch_limits())
    }

    /// The same with the fetcher's limits given (tests make them short).
    pub fn with_limits(
        tx: UnboundedSender<Msg>,
        client: Client,
        cache: Option<cache::DiskCache>,
        limits: FetchLimits,
    ) -> Self {
        let fetcher = match Fetcher::new(limits) {
            Ok(f) => Some(f),
            Err(e) => {
                tracing::warn!("no HTTP client for pictures: {e}");
                None
            }
        };
        PictureService {
            tx,
            inner: Arc::new(Inner {
                cache,
                decoded: Mutex::new(Decoded::default()),
                graphics: std::sync::OnceLock::new(),
            }),
            client,
            fetcher,
            uploads: Default::default(),
        }
    }

    /// Starts preparing the local picture at `path` for `peer` (see [`send::prepare`]).
    pub fn send(&self, peer: crate::onebot::Peer, path: String) {
        tokio::spawn(send::prepare(
            self.inner.clone(),
            self.tx.clone(),
            peer,
            path,
        ));
    }

    /// Uploads the large pictures of the message of `local_id` (see [`send::upload_chain`]).
    pub fn upload(
        &self,
        peer: crate::onebot::Peer,
        local_id: u64,
        chain: crate::onebot::MessageChain,
    ) {
        let uploads = self.uploads.clone();
        let upload =
            send::upload_chain(self.client.clone(), self.tx.clone(), peer, local_id, chain);
        let task = tokio::spawn(async move {
            upload.await;
            if let Ok(mut u) = uploads.lock() {
                u.remove(&local_id);
            }
        });
        if let Ok(mut u) = self.uploads.lock() {
            u.insert(local_id, task.abort_handle());
        }
    }

    /// Keeps what is known of picture `from` (decoded, on disk) for `to` too: your own picture
    /// comes back from NapCat under another name than the one it was sent and cached by.
    pub fn alias(&self, from: PicKey, to: PicKey) {
        // In memory at once (a shared image, no copy): a picture asked for next finds it.
        if let Ok(mut d) = self.inner.decoded.lock()
            && let Some(img) = d.get(&from)
            && d.get(&to).is_none()
        {
            d.put(to.clone(), img);
        }
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            if let Some(c) = &inner.cache
                && let Err(e) = c.alias(&from, &to)
            {
                tracing::info!("picture cache: {e}");
            }
        });
    }

    /// Stops the upload for the message of `local_id` (taken back while it went); nothing more
    /// is said of it.
    pub fn cancel_upload(&self, local_id: u64) {
        if let Some(task) = self
            .uploads
            .lock()
            .ok()
            .and_then(|mut u| u.remove(&local_id))
        {
            task.abort();
        }
    }

    /// Encodes every picture also for `protocol` (cells `cell_px` pixels large), into the
    /// payloads returned (the screen's graphics layer reads them). Once; half blocks: none.
    pub fn use_graphics(
        &self,
        protocol: crate::runtime::graphics::Graphics,
        cell_px: (u32, u32),
    ) -> Option<crate::runtime::graphics::SharedPayloads<crate::runtime::screen::PicAt>> {
        if protocol == crate::runtime::graphics::Graphics::Halfblocks {
            return None;
        }
        let payloads = std::sync::Arc::new(Mutex::new(Default::default()));
        let g = Graphics {
            protocol,
            cell_px,
            payloads: payloads.clone(),
        };
        self.inner.graphics.set(g).ok()?;
        Some(payloads)
    }

    /// The HTTP fetcher (its log says what was fetched).
    pub fn fetcher(&self) -> Option<&Fetcher> {
        self.fetcher.as_ref()
    }

    /// Starts producing `job`; the answer comes back as `Msg::Picture`.
    pub fn perform(&self, job: PicJob) {
        let inner = self.inner.clone();
        let tx = self.tx.clone();
        let client = self.client.clone();
        let fetcher = self.fetcher.clone();
        tokio::spawn(async move {
            let (key, fit) = (job.key.clone(), job.fit);
            let result = produce(inner, client, fetcher, job).await;
            let _ = tx.send(Msg::Picture(PicDone { key, fit, result }));
        });
    }
}

/// Memory, disk, then the server; decoding and encoding on the blocking pool.
async fn produce(
    inner: Arc<Inner>,
    client: Client,
    fetcher: Option<Fetcher>,
    job: PicJob,
) -> Produced {
    let (i, j) = (inner.clone(), job.clone());
    match tokio::task::spawn_blocking(move || i.kept(&j)).await {
        Ok(Some(r)) => return r,
        Ok(None) => {}
        Err(_) => return Err(PicFailure::Undecodable),
    }
    let bytes = match &fetcher {
        Some(f) => get::bytes(&client, f, &job).await?,
        None => return Err(PicFailure::Unreachable),
    };
    match tokio::task::spawn_blocking(move || {
        let out = inner.decoded_from(&job, &bytes);
        // Only a picture that decoded is worth keeping.
        if out.is_ok()
            && let Some(c) = &inner.cache
            && let Err(e) = c.put(&job.key, &bytes)
        {
            tracing::info!("picture cache: {e}");
        }
        out
    })
    .await
    {
        Ok(r) => r,
        Err(_) => Err(PicFailure::Undecodable),
    }
}

/// A finished job's result.
type Produced = Result<((u32, u32), Arc<crate::app::pictures::Cells>), PicFailure>;

impl Inner {
    /// From memory or the disk cache; None when neither has it.
    fn kept(&self, job: &PicJob) -> Option<Produced> {
        let hit = self.decoded.lock().ok().and_then(|mut d| d.get(&job.key));
        if let Some(img) = hit {
            return Some(Ok(self.encode(&img, job)));
        }
        let bytes = self.cache.as_ref()?.get(&job.key)?;
        Some(self.decoded_from(job, &bytes))
    }

    /// A picture being sent: kept on disk and in memory under `key`, so its pending message
    /// shows it at once.
    fn keep_sent(&self, key: &PicKey, bytes: &[u8]) {
        if let Ok(img) = decode::decode(bytes)
            && let Ok(mut d) = self.decoded.lock()
        {
            d.put(key.clone(), Arc::new(img));
        }
        if let Some(c) = &self.cache {
            let _ = c.put(key, bytes);
        }
    }

    /// Decodes `bytes` (kept decoded in memory), then encodes at the job's size.
    fn decoded_from(&self, job: &PicJob, bytes: &[u8]) -> Produced {
        let img = Arc::new(decode::decode(bytes)?);
        if let Ok(mut d) = self.decoded.lock() {
            d.put(job.key.clone(), img.clone());
        }
        Ok(self.encode(&img, job))
    }

    /// Half blocks at the job's size, and the graphics payload over the same cells.
    fn encode(
        &self,
        img: &RgbaImage,
        job: &PicJob,
    ) -> ((u32, u32), Arc<crate::app::pictures::Cells>) {
        let cells = decode::halfblocks(img, job.fit);
        if let Some(g) = self.graphics.get() {
            let key = (job.key.clone(), job.fit);
            let known = g.payloads.lock().is_ok_and(|p| p.get(&key).is_some());
            if !known
                && let Some(p) = crate::runtime::graphics::Payload::encode(
                    g.protocol,
                    img,
                    (cells.cols, cells.rows),
                    g.cell_px,
                )
                && let Ok(mut all) = g.payloads.lock()
            {
                all.put(key, p);
            }
        }
        ((img.width(), img.height()), Arc::new(cells))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_are_fetchable() {
        for ok in [
            "http://127.0.0.1/x.png",
            "https://multimedia.nt.qq.com.cn/download?x=1",
            "HTTPS://A/B",
        ] {
            assert!(fetchable(ok), "{ok}");
        }
        for bad in [
            "file:///etc/passwd",
            "/home/napcat/.config/QQ/nt_data/Pic/a.jpg",
            "C:\\Users\\a.png",
            "ftp://host/a.png",
            "base64://aGVsbG8=",
            "data:image/png;base64,AAAA",
            "",
            "httpx://a",
        ] {
            assert!(!fetchable(bad), "{bad}");
        }
    }

    #[test]
    fn decoded_pictures_are_bounded_in_bytes() {
        let mut d = Decoded::default();
        for i in 0..10 {
            let big = Arc::new(RgbaImage::new(2048, 2048)); // 16 MB each
            d.put(PicKey(i.to_string()), big);
        }
        assert!(d.bytes <= DECODED_BYTES);
        assert_eq!(d.bytes, d.list.len() * 2048 * 2048 * 4);
        assert!(d.get(&PicKey("0".into())).is_none());
        assert!(d.get(&PicKey("9".into())).is_some());
    }

    #[test]
    fn a_key_decoded_twice_is_kept_once() {
        let mut d = Decoded::default();
        d.put(PicKey("p".into()), Arc::new(RgbaImage::new(1024, 1024)));
        let again = Arc::new(RgbaImage::new(1024, 1024));
        d.put(PicKey("p".into()), again.clone());
        assert_eq!(d.list.len(), 1);
        assert_eq!(d.bytes, 1024 * 1024 * 4);
        assert!(Arc::ptr_eq(&d.get(&PicKey("p".into())).unwrap(), &again));
        // The same image under its own key again changes nothing.
        d.put(PicKey("p".into()), again);
        assert_eq!((d.list.len(), d.bytes), (1, 1024 * 1024 * 4));
    }

    #[test]
    fn a_picture_kept_under_two_keys_counts_once() {
        let mut d = Decoded::default();
        let sent = Arc::new(RgbaImage::new(1024, 1024)); // 4 MB
        d.put(PicKey("sent".into()), sent.clone());
        d.put(PicKey("echoed".into()), sent.clone());
        assert_eq!(d.bytes, 1024 * 1024 * 4, "one picture's bytes");
        // Filling up evicts both keys of it, the bytes going once.
        for i in 0..24 {
            d.put(PicKey(i.to_string()), Arc::new(RgbaImage::new(1024, 1024)));
        }
        assert!(d.get(&PicKey("sent".into())).is_none());
        assert!(d.get(&PicKey("echoed".into())).is_none());
        assert_eq!(d.bytes, d.list.len() * 1024 * 1024 * 4);
        assert!(d.bytes <= DECODED_BYTES);
    }
}
