//! The server and QQ's web side: status, version, keys and cookies, OCR, translation, downloads,
//! quick operations.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::super::client::Client;
use super::super::error::{Error, Result};
use super::super::lenient::{bool_lenient, string};
use super::super::types::{
    Cookies, Credentials, CsrfToken, DownloadedFile, Rkey, RobotUinRange, Status, VersionInfo,
};
use super::{decode, decode_list, put_opt};

/// What `download_file` fetches: a URL, or content given inline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadSource {
    Url(String),
    /// Base64 content (without a `base64://` prefix).
    Base64(String),
}

/// The operation of `handle_quick_operation`; unset fields are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuickOperation {
    /// Reply text (a CQ string unless `auto_escape`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_escape: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_sender: Option<bool>,
    /// Recall the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete: Option<bool>,
    /// Kick the sender.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kick: Option<bool>,
    /// Mute the sender for `ban_duration` seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ban: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ban_duration: Option<i64>,
    /// Accept (or reject) a request event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approve: Option<bool>,
    /// The new friend's remark when accepting a friend request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The rejection reason for a group request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Deserialize)]
struct ClientKey {
    #[serde(default, deserialize_with = "string")]
    clientkey: String,
}

#[derive(Deserialize)]
struct Translation {
    #[serde(default)]
    words: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Yes {
    #[serde(default, deserialize_with = "bool_lenient")]
    yes: bool,
}

impl Client {
    /// The account's client key for QQ's web login (NapCat's `get_clientkey`).
    pub async fn get_client_key(&self) -> Result<String> {
        const A: &str = "get_clientkey";
        let k: ClientKey = decode(A, self.call(A, json!({})).await?)?;
        Ok(k.clientkey)
    }

    /// The QQ number ranges of official bots (`get_robot_uin_range`).
    pub async fn get_robot_uin_range(&self) -> Result<Vec<RobotUinRange>> {
        const A: &str = "get_robot_uin_range";
        decode_list(A, self.call(A, json!({})).await?)
    }

    /// Recognises the text in an image (`ocr_image`; only where the QQ client ships OCR, i.e.
    /// Windows). Returns QQNT's raw text boxes.
    pub async fn ocr_image(&self, image: &str) -> Result<Value> {
        self.call_media("ocr_image", json!({ "image": image }))
            .await
    }

    /// The same OCR under NapCat's internal name (`.ocr_image`).
    pub async fn ocr_image_new(&self, image: &str) -> Result<Value> {
        self.call_media(".ocr_image", json!({ "image": image }))
            .await
    }

    /// Translates English words to Chinese, one result per word (`translate_en2zh`).
    pub async fn translate_en2zh(&self, words: &[&str]) -> Result<Vec<String>> {
        const A: &str = "translate_en2zh";
        let t: Translation = decode(A, self.call(A, json!({ "words": words })).await?)?;
        Ok(t.words.unwrap_or_default())
    }

    /// Makes NapCat download a file onto its host and returns the path there (`download_file`).
    /// `headers` go out as `K=V` strings; NcatBot's `thread_count` is ignored by NapCat and not
    /// taken.
    pub async fn download_file(
        &self,
        source: DownloadSource,
        name: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Result<DownloadedFile> {
        const A: &str = "download_file";
        let mut p = match source {
            DownloadSource::Url(u) => json!({ "url": u }),
            DownloadSource::Base64(b) => json!({ "base64": b }),
        };
        put_opt(&mut p, "name", name);
        if !headers.is_empty() {
            // The list form: NapCat's splitting of the single-string form is unreliable.
            let list: Vec<String> = headers.iter().map(|(k, v)| format!("{k}={v}")).collect();
            put_opt(&mut p, "headers", Some(list));
        }
        decode(A, self.call_media(A, p).await?)
    }

    /// Cookies for a QQ web domain such as `qun.qq.com` (`get_cookies`).
    pub async fn get_cookies(&self, domain: &str) -> Result<Cookies> {
        const A: &str = "get_cookies";
        decode(A, self.call(A, json!({ "domain": domain })).await?)
    }

    /// Performs a quick operation on an event (NapCat's `.handle_quick_operation`): `context` is
    /// the event as received (see `Event::to_json`).
    pub async fn handle_quick_operation(
        &self,
        context: &Value,
        operation: &QuickOperation,
    ) -> Result<()> {
        const A: &str = ".handle_quick_operation";
        let op = serde_json::to_value(operation).map_err(|e| Error::BadParams {
            action: A.into(),
            message: e.to_string(),
        })?;
        self.call(A, json!({ "context": context, "operation": op }))
            .await
            .map(drop)
    }

    /// The CSRF token (bkn) of QQ's web APIs (`get_csrf_token`).
    pub async fn get_csrf_token(&self) -> Result<CsrfToken> {
        const A: &str = "get_csrf_token";
        decode(A, self.call(A, json!({})).await?)
    }

    /// Cookies and CSRF token for a QQ web domain (`get_credentials`).
    pub async fn get_credentials(&self, domain: &str) -> Result<Credentials> {
        const A: &str = "get_credentials";
        decode(A, self.call(A, json!({ "domain": domain })).await?)
    }

    /// The device models QQ offers to show for `model` (NapCat's `_get_model_show`); raw.
    pub async fn get_model_show(&self, model: &str) -> Result<Value> {
        self.call("_get_model_show", json!({ "model": model }))
            .await
    }

    /// Whether images can be sent (`can_send_image`).
    pub async fn can_send_image(&self) -> Result<bool> {
        const A: &str = "can_send_image";
        let y: Yes = decode(A, self.call(A, json!({})).await?)?;
        Ok(y.yes)
    }

    /// Whether voice messages can be sent (`can_send_record`).
    pub async fn can_send_record(&self) -> Result<bool> {
        const A: &str = "can_send_record";
        let y: Yes = decode(A, self.call(A, json!({})).await?)?;
        Ok(y.yes)
    }

    /// Succeeds when NapCat's packet backend works (`nc_get_packet_status`); otherwise NapCat
    /// answers with retcode 1400, i.e. `Error::BadParams` carrying its reason.
    pub async fn nc_get_packet_status(&self) -> Result<()> {
        self.call("nc_get_packet_status", json!({})).await.map(drop)
    }

    /// Whether the QQ session is online (`get_status`).
    pub async fn get_status(&self) -> Result<Status> {
        const A: &str = "get_status";
        decode(A, self.call(A, json!({})).await?)
    }

    /// Current image download keys (`nc_get_rkey`; needs the packet backend).
    pub async fn nc_get_rkey(&self) -> Result<Vec<Rkey>> {
        const A: &str = "nc_get_rkey";
        decode_list(A, self.call(A, json!({})).await?)
    }

    /// Which server and version answers (`get_version_info`).
    pub async fn get_version_info(&self) -> Result<VersionInfo> {
        const A: &str = "get_version_info";
        decode(A, self.call(A, json!({})).await?)
    }
}
