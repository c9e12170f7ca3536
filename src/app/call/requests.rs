//! Calls about friend and group requests: fetching the group system messages, answering one.
//! Plain data: what each result does is in `requests`.

/// `get_group_system_msg`, or `get_group_ignored_notifies` (requests QQ filtered) when
/// `filtered`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRequests {
    pub filtered: bool,
}

/// `set_friend_add_request` (`group` None) or `set_group_add_request`. `text` is the friend's
/// remark when accepting a friend, the reason when rejecting a group request.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRequest {
    pub flag: String,
    pub user: i64,
    pub group: Option<i64>,
    pub approve: bool,
    pub text: Option<String>,
}

/// `get_doubt_friends_add_request`: friend requests QQ filtered as risky.
#[derive(Debug, Clone, PartialEq)]
pub struct DoubtRequests;

/// `set_doubt_friends_add_request`: accepts a filtered friend request (NapCat cannot refuse
/// one).
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptDoubt {
    pub flag: String,
    pub user: i64,
}
