//! The one error type of the wire layer.

/// Why an API call did not produce a result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The connection dropped while the call was in flight: it may have reached the server.
    #[error("not connected to NapCat: {0}")]
    Transport(String),
    /// Not connected when the call was made: it was not sent (safe to make again later).
    #[error("not connected to NapCat: {0}")]
    NotConnected(String),
    /// No reply within the call's timeout.
    #[error("{action} timed out after {secs} s")]
    Timeout { action: String, secs: u64 },
    /// The server rejected the access token (retcode 1403).
    #[error("access token rejected: {0}")]
    AuthRejected(String),
    /// The server does not know this action (retcode 1404).
    #[error("server does not support {action}")]
    UnknownAction { action: String },
    /// Parameters failed validation (retcode 1400).
    #[error("bad parameters for {action}: {message}")]
    BadParams { action: String, message: String },
    /// The action ran and failed (retcode 1200, or any other non-zero retcode), with the server's reason.
    #[error("{action} failed: {message}")]
    ActionFailed {
        action: String,
        retcode: i64,
        message: String,
    },
    /// The reply arrived but its `data` did not have the expected shape.
    #[error("unexpected reply to {action}: {detail}")]
    UnexpectedReply { action: String, detail: String },
}

impl Error {
    /// NapCat's "no such message" (`消息undefined不存在`, `消息12345不存在`): what it answers for a
    /// message id it does not have — and for the history of a chat that has no messages.
    pub fn is_no_such_message(&self) -> bool {
        match self {
            Error::ActionFailed { message, .. } => {
                let m = message.trim();
                m.starts_with("消息") && m.ends_with("不存在")
            }
            _ => false,
        }
    }
}

/// Result of an API call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(message: &str) -> Error {
        Error::ActionFailed {
            action: "get_group_msg_history".into(),
            retcode: 200,
            message: message.into(),
        }
    }

    #[test]
    fn no_such_message_is_told_apart() {
        assert!(failed("消息undefined不存在").is_no_such_message());
        assert!(failed("消息12345不存在").is_no_such_message());
        assert!(!failed("群(1)成员2不存在").is_no_such_message());
        assert!(!failed("权限不足").is_no_such_message());
        assert!(!Error::Transport("消息不存在".into()).is_no_such_message());
    }
}
