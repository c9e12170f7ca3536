//! The requests inbox's contents: friend requests, requests to join groups you administer and
//! invitations into groups, one entry per flag however often it is seen.

/// What a request asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestWhat {
    /// Somebody wants to be your friend.
    Friend,
    /// Somebody wants to join a group you administer.
    Join { group: i64 },
    /// Somebody invited you into a group.
    Invite { group: i64 },
}

impl RequestWhat {
    /// The group it is about, if any.
    pub fn group(self) -> Option<i64> {
        match self {
            RequestWhat::Friend => None,
            RequestWhat::Join { group } | RequestWhat::Invite { group } => Some(group),
        }
    }
}

/// One request waiting for an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingRequest {
    /// What `set_*_add_request` takes; the identity of the request.
    pub flag: String,
    pub what: RequestWhat,
    /// The applicant, or for an invitation who invited you.
    pub user_id: i64,
    pub nickname: String,
    /// The group's name when the server told it.
    pub group_name: String,
    /// The applicant's message (question and answer for groups that ask one).
    pub comment: String,
    /// When it was made (Unix seconds), when known.
    pub time: Option<i64>,
    /// QQ filtered it as risky (it came from `get_group_ignored_notifies`).
    pub filtered: bool,
    /// An answer is on its way.
    pub answering: bool,
}

/// The requests waiting for an answer, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inbox {
    pub items: Vec<PendingRequest>,
}

impl Inbox {
    /// Adds a request, or completes the one with the same flag; true when it is new.
    pub fn add(&mut self, r: PendingRequest) -> bool {
        if let Some(old) = self.items.iter_mut().find(|o| o.flag == r.flag) {
            if old.nickname.is_empty() {
                old.nickname = r.nickname;
            }
            if old.group_name.is_empty() {
                old.group_name = r.group_name;
            }
            if old.comment.is_empty() {
                old.comment = r.comment;
            }
            old.time = old.time.or(r.time);
            return false;
        }
        self.items.push(r);
        // Newest first; requests of unknown age after those with a time.
        self.items
            .sort_by_key(|r| std::cmp::Reverse(r.time.unwrap_or(i64::MIN)));
        true
    }

    /// Removes the request with this flag.
    pub fn remove(&mut self, flag: &str) -> Option<PendingRequest> {
        let i = self.items.iter().position(|r| r.flag == flag)?;
        Some(self.items.remove(i))
    }

    /// Requests not being answered right now (the status-line badge).
    pub fn pending(&self) -> usize {
        self.items.iter().filter(|r| !r.answering).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(flag: &str, time: Option<i64>) -> PendingRequest {
        PendingRequest {
            flag: flag.into(),
            what: RequestWhat::Friend,
            user_id: 1,
            nickname: String::new(),
            group_name: String::new(),
            comment: String::new(),
            time,
            filtered: false,
            answering: false,
        }
    }

    #[test]
    fn the_same_flag_is_kept_once_and_completed() {
        let mut inbox = Inbox::default();
        assert!(inbox.add(req("a", None)));
        let mut again = req("a", Some(50));
        again.nickname = "小明".into();
        assert!(!inbox.add(again));
        assert_eq!(inbox.items.len(), 1);
        assert_eq!(inbox.items[0].nickname, "小明");
        assert_eq!(inbox.items[0].time, Some(50));
    }

    #[test]
    fn newest_first_and_unknown_ages_last() {
        let mut inbox = Inbox::default();
        inbox.add(req("old", Some(10)));
        inbox.add(req("unknown", None));
        inbox.add(req("new", Some(20)));
        let order: Vec<&str> = inbox.items.iter().map(|r| r.flag.as_str()).collect();
        assert_eq!(order, ["new", "old", "unknown"]);
    }
}
