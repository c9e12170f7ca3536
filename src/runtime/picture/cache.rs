//! The pictures kept on disk: `$XDG_CACHE_HOME/napterm/media/`, one file per picture named by
//! a hash of its identity (never its URL, whose rkey expires), bounded in bytes with the least
//! recently used files removed first. A file's modification time is its last use.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::app::pictures::PicKey;

/// The picture cache folder.
pub struct DiskCache {
    dir: PathBuf,
    /// The most bytes kept (`[images] cache_mb`).
    cap: u64,
}

/// The standard folder: `$XDG_CACHE_HOME/napterm/media` (for the demo, `…/napterm/demo-media`).
pub fn standard_dir(demo: bool) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "napterm")?;
    Some(
        dirs.cache_dir()
            .join(if demo { "demo-media" } else { "media" }),
    )
}

impl DiskCache {
    /// A cache in `dir` holding at most `cap` bytes (the folder is made on the first write).
    pub fn new(dir: PathBuf, cap: u64) -> Self {
        DiskCache { dir, cap }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &PicKey) -> PathBuf {
        let hash = Sha256::digest(key.0.as_bytes());
        let name: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
        self.dir.join(name)
    }

    /// The bytes kept for `key`, marked as just used.
    pub fn get(&self, key: &PicKey) -> Option<Vec<u8>> {
        let path = self.path(key);
        let bytes = fs::read(&path).ok()?;
        if let Ok(f) = fs::File::options().write(true).open(&path) {
            let _ = f.set_modified(SystemTime::now());
        }
        Some(bytes)
    }

    /// Keeps the bytes of `from` for `to` too (a hard link, else a copy); nothing when `from` is
    /// not kept or `to` already is.
    pub fn alias(&self, from: &PicKey, to: &PicKey) -> io::Result<()> {
        let (src, dst) = (self.path(from), self.path(to));
        if !src.is_file() || dst.exists() {
            return Ok(());
        }
        if fs::hard_link(&src, &dst).is_err() {
            let tmp = dst.with_extension("part");
            fs::copy(&src, &tmp)?;
            fs::rename(&tmp, &dst)?;
        }
        Ok(())
    }

    /// Keeps `bytes` for `key`, then removes the least recently used files until the folder
    /// is within its bound. A picture larger than the whole bound is not kept.
    pub fn put(&self, key: &PicKey, bytes: &[u8]) -> io::Result<()> {
        if bytes.len() as u64 > self.cap {
            return Ok(());
        }
        fs::create_dir_all(&self.dir)?;
        let path = self.path(key);
        // Written aside and renamed: a reader never sees half a picture.
        let tmp = path.with_extension("part");
        fs::write(&tmp, bytes)?;
        fs::rename(&tmp, &path)?;
        self.evict()
    }

    /// Removes the least recently used files until the total is within the bound.
    pub fn evict(&self) -> io::Result<()> {
        let mut files: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let meta = entry.metadata()?;
            if meta.is_file() {
                let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                files.push((used, meta.len(), entry.path()));
            }
        }
        let mut total: u64 = files.iter().map(|f| f.1).sum();
        if total <= self.cap {
            return Ok(());
        }
        files.sort();
        for (_, len, path) in files {
            if total <= self.cap {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                total = total.saturating_sub(len);
            }
        }
        Ok(())
    }

    /// Bytes in the folder now.
    pub fn size(&self) -> u64 {
        fs::read_dir(&self.dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("napterm-media-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    /// Sets a file's last use, so the order does not depend on the clock's resolution.
    fn used_at(c: &DiskCache, key: &PicKey, secs: u64) {
        let f = fs::File::options()
            .write(true)
            .open(c.path(key))
            .expect("open");
        f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
            .expect("set");
    }

    #[test]
    fn the_least_recently_used_pictures_go_first() {
        let dir = temp("lru");
        let c = DiskCache::new(dir.clone(), 250);
        let (a, b, d) = (PicKey("a".into()), PicKey("b".into()), PicKey("d".into()));
        c.put(&a, &[1; 100]).expect("put");
        c.put(&b, &[2; 100]).expect("put");
        used_at(&c, &a, 1_000);
        used_at(&c, &b, 2_000);
        // Reading `a` makes it the most recently used: `b` goes when `d` comes.
        assert_eq!(c.get(&a).as_deref(), Some(&[1u8; 100][..]));
        c.put(&d, &[3; 100]).expect("put");
        assert!(c.get(&b).is_none(), "b was the least recently used");
        assert!(c.get(&a).is_some());
        assert!(c.get(&d).is_some());
        assert!(c.size() <= 250);
        // Larger than the whole bound: not kept, nothing evicted for it.
        c.put(&PicKey("huge".into()), &[0; 300]).expect("put");
        assert!(c.get(&PicKey("huge".into())).is_none());
        assert!(c.get(&a).is_some());
        let _ = fs::remove_dir_all(dir);
    }

    /// A picture kept under one name serves another (your own, echoed under NapCat's name);
    /// one already kept under that name is left as it is.
    #[test]
    fn a_picture_kept_under_one_name_serves_another() {
        let dir = temp("alias");
        let c = DiskCache::new(dir.clone(), 1 << 20);
        let (sent, echoed, other) = (
            PicKey("0123abcd.png".into()),
            PicKey("8FBDAD6D.png".into()),
            PicKey("other.png".into()),
        );
        c.put(&sent, &[7; 64]).expect("put");
        c.alias(&sent, &echoed).expect("alias");
        assert_eq!(c.get(&echoed).as_deref(), Some(&[7u8; 64][..]));
        c.put(&other, &[9; 8]).expect("put");
        c.alias(&sent, &other).expect("alias");
        assert_eq!(
            c.get(&other).as_deref(),
            Some(&[9u8; 8][..]),
            "left as it was"
        );
        // Nothing kept under the first name: nothing happens.
        c.alias(&PicKey("gone".into()), &PicKey("x".into()))
            .expect("alias");
        assert!(c.get(&PicKey("x".into())).is_none());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_same_picture_with_another_url_is_found() {
        use crate::onebot::segment::ImageData;
        let dir = temp("identity");
        let c = DiskCache::new(dir.clone(), 1 << 20);
        let seg = |rkey: &str| ImageData {
            file: "0F1E2D.jpg".into(),
            url: Some(format!(
                "https://multimedia.nt.qq.com.cn/download?fileid=x&rkey={rkey}"
            )),
            ..Default::default()
        };
        let k1 = PicKey::of(&seg("old")).expect("key");
        c.put(&k1, b"bytes").expect("put");
        let k2 = PicKey::of(&seg("fresh")).expect("key");
        assert_eq!(c.get(&k2).as_deref(), Some(&b"bytes"[..]));
        let _ = fs::remove_dir_all(dir);
    }
}
