//! Where history lives: `$XDG_DATA_HOME/napterm/<QQ>/history.db`, private to the user, and the
//! small file that remembers the last account used (for offline starts and the CLI).

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::StoreError;

/// The database's file name inside an account's folder.
pub const DB_FILE_NAME: &str = "history.db";
/// The file (in the data folder) that remembers the accounts used.
pub const ACCOUNTS_FILE_NAME: &str = "accounts.json";

/// napterm's data folder: one sub-folder per account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

/// What `accounts.json` holds. URLs are kept without query, fragment or user info, so a token
/// written into the URL never reaches the disk.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Accounts {
    #[serde(default)]
    last: Option<i64>,
    #[serde(default)]
    by_url: BTreeMap<String, i64>,
}

impl DataDir {
    /// `$XDG_DATA_HOME/napterm` (`~/.local/share/napterm`), else a per-user temp folder.
    pub fn standard() -> DataDir {
        let root = match directories::ProjectDirs::from("", "", "napterm") {
            Some(dirs) => dirs.data_dir().to_path_buf(),
            None => {
                let user = std::env::var("USER").unwrap_or_else(|_| "user".into());
                std::env::temp_dir().join(format!("napterm-{user}-data"))
            }
        };
        DataDir { root }
    }

    /// A data folder somewhere else (tests, the demo).
    pub fn at(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of one account.
    pub fn account_dir(&self, account: i64) -> PathBuf {
        self.root.join(account.to_string())
    }

    /// The history database of one account.
    pub fn db_path(&self, account: i64) -> PathBuf {
        self.account_dir(account).join(DB_FILE_NAME)
    }

    /// The account used last, whatever the URL.
    pub fn last_account(&self) -> Option<i64> {
        self.read_accounts().last
    }

    /// The account last used with this NapCat URL, else the last one used at all.
    pub fn last_account_for(&self, url: &str) -> Option<i64> {
        let accounts = self.read_accounts();
        accounts
            .by_url
            .get(&url_key(url))
            .copied()
            .or(accounts.last)
    }

    /// Remembers `account` as the last one used (and the one used with `url`, when given).
    pub fn record_last_account(&self, account: i64, url: Option<&str>) -> Result<(), StoreError> {
        let mut accounts = self.read_accounts();
        if accounts.last == Some(account)
            && url.is_none_or(|u| accounts.by_url.get(&url_key(u)) == Some(&account))
        {
            return Ok(());
        }
        accounts.last = Some(account);
        if let Some(u) = url {
            accounts.by_url.insert(url_key(u), account);
        }
        let text = serde_json::to_string_pretty(&accounts).unwrap_or_default();
        private_dir(&self.root)?;
        let path = self.root.join(ACCOUNTS_FILE_NAME);
        write_private_atomically(&path, text.as_bytes()).map_err(|e| StoreError::io(&path, e))
    }

    fn read_accounts(&self) -> Accounts {
        fs::read_to_string(self.root.join(ACCOUNTS_FILE_NAME))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }
}

/// A URL as a key: scheme, host, port and path; no user info, query or fragment (where a token
/// could be).
fn url_key(url: &str) -> String {
    let url = url.trim();
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..cut];
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let rest = match rest.find('/') {
        Some(slash) => {
            let (authority, path) = rest.split_at(slash);
            let host = authority.rsplit('@').next().unwrap_or(authority);
            format!("{host}{path}")
        }
        None => rest.rsplit('@').next().unwrap_or(rest).to_string(),
    };
    let rest = rest.trim_end_matches('/');
    if scheme.is_empty() {
        rest.to_string()
    } else {
        format!("{scheme}://{rest}")
    }
}

/// Creates `dir` (and missing parents) private to the user (0700), and makes it 0700 if it was
/// not.
pub fn private_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| StoreError::io(dir, e))?;
    set_mode(dir, 0o700).map_err(|e| StoreError::io(dir, e))
}

/// Sets a file's permission bits (a no-op where there are none).
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let current = fs::metadata(path)?.permissions().mode() & 0o777;
        if current != mode {
            fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Creates `path` empty with mode 0600 if it does not exist, else makes it 0600.
pub fn private_file(path: &Path) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?;
    set_mode(path, 0o600)
}

/// Writes a small private file by writing a sibling and renaming it over (never half-written).
fn write_private_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    let _ = fs::remove_file(&tmp);
    private_file(&tmp)?;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_keys_drop_everything_a_token_could_hide_in() {
        assert_eq!(
            url_key("ws://127.0.0.1:3001/?access_token=s3cret"),
            "ws://127.0.0.1:3001"
        );
        assert_eq!(
            url_key("wss://user:pass@h.example:443/ws#x"),
            "wss://h.example:443/ws"
        );
        assert_eq!(url_key("ws://h:1"), url_key("ws://h:1/"));
    }

    #[test]
    fn the_last_account_is_remembered_per_url_and_overall() {
        let dir = std::env::temp_dir().join(format!("napterm-paths-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let data = DataDir::at(&dir);
        assert_eq!(data.last_account(), None);
        data.record_last_account(111, Some("ws://a:1/?access_token=tok"))
            .unwrap();
        data.record_last_account(222, Some("ws://b:2/")).unwrap();
        assert_eq!(data.last_account(), Some(222));
        assert_eq!(data.last_account_for("ws://a:1/"), Some(111));
        assert_eq!(data.last_account_for("ws://elsewhere/"), Some(222));
        data.record_last_account(111, None).unwrap();
        assert_eq!(data.last_account(), Some(111));
        let text = fs::read_to_string(dir.join(ACCOUNTS_FILE_NAME)).unwrap();
        assert!(!text.contains("tok"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&dir.join(ACCOUNTS_FILE_NAME)), 0o600);
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
