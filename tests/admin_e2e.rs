//! Group administration end to end: the real loop against the simulator, driven by keys and
//! commands. Each test asserts the exact calls the simulator received (or that none was made),
//! what the screen shows, and the audit log.

mod support;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crossterm::event::{KeyCode, KeyModifiers};
use napterm::app::Pane;
use napterm::app::contacts::MembersState;
use napterm::app::popup::Popup;
use napterm::app::state::State;
use napterm::onebot::{Event, Peer, Request, RequestKind, Role};
use napterm::sim::world::roster;
use serde_json::{Value, json};
use support::Harness;

// ----- helpers -----

/// A fresh audit log path under the temp directory (removed when dropped).
struct TempLog(PathBuf);

impl TempLog {
    fn new() -> TempLog {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        TempLog(std::env::temp_dir().join(format!(
            "napterm-audit-{}-{}/moderation.log",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        )))
    }
    fn lines(&self) -> Vec<String> {
        std::fs::read_to_string(&self.0)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

impl Drop for TempLog {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

async fn start() -> Harness {
    Harness::start(120, 40).await
}

/// Opens group `g` and waits for its member list.
async fn open(h: &mut Harness, g: i64) {
    h.type_text(&format!("/open g:{g}"));
    h.enter();
    h.until("group open with members", |s| {
        s.open == Some(Peer::Group(g))
            && s.contacts
                .members
                .get(&g)
                .is_some_and(|m| m.state == MembersState::Loaded)
            && s.open_chat().is_some_and(|c| !c.timeline.is_empty())
    })
    .await;
}

/// Shows the member pane and focuses it (Tab cycles the panes).
async fn focus_members(h: &mut Harness) {
    if !h.state.members.visible {
        h.key(KeyCode::F(3), KeyModifiers::NONE);
        h.until("member pane shown", |s| s.members.visible).await;
    }
    for _ in 0..4 {
        if h.state.focus == Pane::Members {
            return;
        }
        let from = h.state.focus;
        h.key(KeyCode::Tab, KeyModifiers::NONE);
        h.until("focus moved", |s| s.focus != from).await;
    }
    assert_eq!(h.state.focus, Pane::Members);
}

/// Waits for a confirmation whose text contains `text` (and for it on screen, by its title).
async fn confirmation(h: &mut Harness, title: &str, text: &str) {
    h.until(&format!("confirmation saying {text}"), |s| {
        matches!(&s.popup, Some(Popup::Confirm(c)) if c.title == title && c.body.contains(text))
    })
    .await;
    h.until_screen(title).await;
}

fn selected_member(s: &State) -> Option<i64> {
    s.selected_member().map(|m| m.user_id)
}

/// Moves the member pane's selection to `u` with j/k.
async fn select_member(h: &mut Harness, g: i64, u: i64) {
    let order: Vec<i64> = h.state.contacts.members[&g]
        .ordered()
        .iter()
        .map(|m| m.user_id)
        .collect();
    let want = order.iter().position(|x| *x == u).expect("a member");
    let at = h.state.members.selected;
    let key = if want >= at { "j" } else { "k" };
    for _ in 0..want.abs_diff(at) {
        h.type_text(key);
    }
    h.until("member selected", |s| selected_member(s) == Some(u))
        .await;
}

/// Members of `g` with `role` (never the account), in pane order, not muted.
fn members_with(h: &Harness, g: i64, role: Role) -> Vec<i64> {
    let now = h.state.now;
    h.state.contacts.members[&g]
        .ordered()
        .iter()
        .filter(|m| m.role == role && m.user_id != h.state.self_id && !m.is_muted(now))
        .map(|m| m.user_id)
        .collect()
}

/// Runs a command from the `:` line (leaving the composer first).
async fn colon(h: &mut Harness, line: &str) {
    h.until("keys so far handled", |s| s.command_line.is_none())
        .await;
    if h.state.focus == Pane::Composer {
        h.esc();
        h.until("left the composer", |s| s.focus != Pane::Composer)
            .await;
    }
    h.type_text(":");
    h.until("command line open", |s| s.command_line.is_some())
        .await;
    h.type_text(line);
    h.enter();
}

/// Runs a command that must be refused with `reason`, and closes the command line it leaves
/// (which covers the status line while open).
async fn refused(h: &mut Harness, line: &str, reason: &str) {
    colon(h, line).await;
    h.until(&format!("refusal of {line}"), |s| {
        s.status.error().is_some_and(|e| e.contains(reason))
    })
    .await;
    h.esc();
    h.until("command line closed", |s| s.command_line.is_none())
        .await;
    h.until_screen(reason).await;
}

/// Waits until the simulator has received `n` calls of `action` and returns their params.
async fn calls(h: &mut Harness, action: &str, n: usize) -> Vec<Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let got = h.calls(action);
        if got.len() >= n {
            return got;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {n} × {action}; screen:\n{}",
            h.screen()
        );
        h.settle(20).await;
    }
}

/// Waits until the status line shows `text` as information.
async fn info(h: &mut Harness, text: &str) {
    h.until(&format!("info {text}"), |s| {
        s.status.info().is_some_and(|i| i.contains(text))
    })
    .await;
}

/// Selects (with ↑ from the bottom) the newest message by a plain, unmuted member.
async fn select_message_of_a_member(h: &mut Harness, g: i64) -> (i64, i64) {
    // Esc leads from the member pane to the composer, and from there to the timeline.
    for _ in 0..3 {
        if h.state.focus == Pane::Timeline {
            break;
        }
        let from = h.state.focus;
        h.esc();
        h.until("focus moved", |s| s.focus != from).await;
    }
    assert_eq!(h.state.focus, Pane::Timeline);
    let plain = members_with(h, g, Role::Member);
    for _ in 0..60 {
        h.key(KeyCode::Up, KeyModifiers::NONE);
        h.settle(10).await;
        let found = h
            .state
            .selected_message()
            .filter(|(_, m)| plain.contains(&m.sender_id) && m.recalled_by.is_none())
            .and_then(|(_, m)| m.id.map(|id| (id, m.sender_id)));
        if let Some(x) = found {
            return x;
        }
    }
    panic!("no message from a plain member:\n{}", h.screen());
}

// ----- members -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mute_presets_from_the_member_pane_write_the_audit_log() {
    let mut h = start().await;
    let log = TempLog::new();
    h.lp.audit = Some(log.0.clone());
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let u = members_with(&h, g, Role::Member)[0];
    focus_members(&mut h).await;
    select_member(&mut h, g, u).await;
    h.sim.clear_calls();
    h.type_text("m");
    h.until_screen("自定义…").await;
    h.type_text("2");
    info(&mut h, "已禁言").await;
    assert_eq!(
        h.calls("set_group_ban"),
        vec![json!({"group_id": g, "user_id": u, "duration": 3600})]
    );
    h.until("muted in the member list", |s| {
        s.contacts.member(g, u).is_some_and(|m| m.is_muted(s.now))
    })
    .await;
    let lines = log.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let cols: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(cols.len(), 5, "{cols:?}");
    assert!(cols[0].contains('T'), "an RFC 3339 time: {}", cols[0]);
    assert_eq!(cols[1], g.to_string());
    assert_eq!(cols[2], "mute 3600s");
    assert!(cols[3].starts_with(&format!("{u} (")), "{}", cols[3]);
    assert_eq!(cols[4], "ok");

    // Unmute with `u`: no confirmation for one member, and logged too.
    h.type_text("u");
    info(&mut h, "已解除").await;
    assert_eq!(
        h.calls("set_group_ban")[1],
        json!({"group_id": g, "user_id": u, "duration": 0})
    );
    assert!(log.lines()[1].contains("\tunmute\t"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_mute_asks_first_and_declining_makes_no_call() {
    let mut h = start().await;
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let u = members_with(&h, g, Role::Member)[1];
    focus_members(&mut h).await;
    select_member(&mut h, g, u).await;
    h.sim.clear_calls();
    h.type_text("m5");
    h.until_screen("确认禁言").await;
    h.until_screen("30天").await;
    h.type_text("n");
    info(&mut h, "已取消").await;
    // That declining makes no call is proved in tests/core.rs, without waiting.
    h.type_text("m5y");
    let got = calls(&mut h, "set_group_ban", 1).await;
    assert_eq!(
        got,
        vec![json!({"group_id": g, "user_id": u, "duration": 30 * 86_400})]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_durations_names_and_the_timeline_sender() {
    let mut h = start().await;
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let plain = members_with(&h, g, Role::Member);
    focus_members(&mut h).await;
    select_member(&mut h, g, plain[2]).await;
    h.sim.clear_calls();
    // 自定义: type a duration.
    h.type_text("m6");
    h.until_screen("时长:").await;
    h.type_text("1h30m");
    h.enter();
    let got = calls(&mut h, "set_group_ban", 1).await;
    assert_eq!(
        got[0],
        json!({"group_id": g, "user_id": plain[2], "duration": 5400})
    );

    // `/ban @name 10m`, the name matched against cards and nicknames.
    let (u, name) = {
        let ms = &h.state.contacts.members[&g];
        plain
            .iter()
            .filter_map(|u| ms.by_id().get(u))
            .map(|m| (m.user_id, m.nickname.clone()))
            .find(|(_, n)| {
                !n.contains(' ')
                    && ms
                        .by_id()
                        .values()
                        .filter(|m| m.nickname.contains(n.as_str()) || m.card.contains(n.as_str()))
                        .count()
                        == 1
            })
            .expect("a member with a unique nickname")
    };
    h.sim.clear_calls();
    colon(&mut h, &format!("ban @{name} 10m")).await;
    let got = calls(&mut h, "set_group_ban", 1).await;
    assert_eq!(
        got[0],
        json!({"group_id": g, "user_id": u, "duration": 600})
    );

    // The sender of the selected message, muted from the timeline.
    let (_, sender) = select_message_of_a_member(&mut h, g).await;
    h.sim.clear_calls();
    h.type_text("m");
    h.until_screen("自定义…").await;
    h.enter();
    let got = calls(&mut h, "set_group_ban", 1).await;
    assert_eq!(
        got[0],
        json!({"group_id": g, "user_id": sender, "duration": 600})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_your_role_forbids_is_refused_locally_with_no_call() {
    let mut h = start().await;
    // A plain member may do nothing to others.
    let g = roster::GROUP_FAMILY;
    open(&mut h, g).await;
    let other = members_with(&h, g, Role::Member)[0];
    h.sim.clear_calls();
    refused(
        &mut h,
        &format!("ban {other} 10m"),
        "你不是群主或管理员，不能禁言",
    )
    .await;
    focus_members(&mut h).await;
    select_member(&mut h, g, other).await;
    h.type_text("K");
    h.until("refused", |s| {
        s.status.error() == Some("你不是群主或管理员，不能移出别人")
    })
    .await;
    assert!(h.state.popup.is_none(), "no confirmation was offered");
    let (_, _) = select_message_of_a_member(&mut h, g).await;
    h.type_text("d");
    h.until("recall refused", |s| {
        s.status
            .error()
            .is_some_and(|e| e.contains("你不是群主或管理员，不能撤回别人的消息"))
    })
    .await;

    // An admin may not touch the owner or other admins, give titles or make admins.
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let owner = members_with(&h, g, Role::Owner)[0];
    let admin = members_with(&h, g, Role::Admin)[0];
    let member = members_with(&h, g, Role::Member)[0];
    let me = h.state.self_id;
    refused(&mut h, &format!("kick {admin}"), "管理员不能移出其他管理员").await;
    refused(&mut h, &format!("ban {owner} 1h"), "不能禁言群主").await;
    refused(&mut h, &format!("ban {me} 1h"), "不能禁言自己").await;
    refused(
        &mut h,
        &format!("title {member} 大佬"),
        "只有群主可以设置专属头衔",
    )
    .await;
    refused(
        &mut h,
        &format!("admin {member} on"),
        "只有群主可以设置或取消管理员",
    )
    .await;
    refused(
        &mut h,
        &format!("card {admin} 改名"),
        "管理员不能修改其他管理员的群名片",
    )
    .await;
    refused(
        &mut h,
        "ban @没有这个人 1h",
        "群里没有叫「没有这个人」的成员",
    )
    .await;
    refused(&mut h, &format!("ban {member} 31d"), "最长只能禁言 30 天").await;
    // That none of these made a call is proved in tests/core.rs, without waiting.
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kick_asks_first_and_block_refuses_future_requests() {
    let mut h = start().await;
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let plain = members_with(&h, g, Role::Member);
    let (a, b) = (plain[0], plain[1]);
    let name_a = h.state.contacts.member_name(g, a);
    focus_members(&mut h).await;
    select_member(&mut h, g, a).await;
    h.sim.clear_calls();
    h.type_text("K");
    h.until_screen("确认移出群聊").await;
    h.until_screen(&format!("{name_a} ({a})")).await;
    h.type_text("y");
    let got = calls(&mut h, "set_group_kick", 1).await;
    assert_eq!(
        got[0],
        json!({"group_id": g, "user_id": a, "reject_add_request": false})
    );
    h.until("gone from the member list", |s| {
        s.contacts.member(g, a).is_none()
    })
    .await;

    colon(&mut h, &format!("kick {b} --block")).await;
    confirmation(&mut h, "确认移出群聊", "并拒绝其再次申请加群").await;
    h.enter();
    let got = calls(&mut h, "set_group_kick", 2).await;
    assert_eq!(
        got[1],
        json!({"group_id": g, "user_id": b, "reject_add_request": true})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marked_members_are_kicked_in_one_call_and_muted_together() {
    let mut h = start().await;
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let plain = members_with(&h, g, Role::Member);
    focus_members(&mut h).await;
    // Mark two members for a mute, then two others for a kick.
    for u in [plain[0], plain[1]] {
        select_member(&mut h, g, u).await;
        h.type_text(" ");
        h.until("marked", |s| s.members.marked.contains(&u)).await;
    }
    h.sim.clear_calls();
    h.type_text("m1");
    h.until_screen("共 2 人").await;
    h.type_text("y");
    let got = calls(&mut h, "set_group_ban", 2).await;
    let mut users: Vec<i64> = got.iter().filter_map(|p| p["user_id"].as_i64()).collect();
    users.sort();
    let mut want = vec![plain[0], plain[1]];
    want.sort();
    assert_eq!(users, want);
    assert!(got.iter().all(|p| p["duration"] == json!(600)));
    h.until("marks cleared once muted", |s| s.members.marked.is_empty())
        .await;

    let (c, d) = (plain[2], plain[3]);
    for u in [c, d] {
        select_member(&mut h, g, u).await;
        h.type_text(" ");
        h.until("marked", |s| s.members.marked.contains(&u)).await;
    }
    h.sim.clear_calls();
    h.type_text("K");
    h.until_screen("确认移出群聊").await;
    let screen = h.screen();
    assert!(
        screen.contains(&format!("({c})")) && screen.contains(&format!("({d})")),
        "the confirmation names both:\n{screen}"
    );
    // Declining makes no call and keeps the marks.
    h.type_text("n");
    info(&mut h, "已取消").await;
    // That declining makes no call is proved in tests/core.rs, without waiting.
    assert_eq!(h.state.members.marked.len(), 2);
    let order: Vec<i64> = h.state.contacts.members[&g]
        .ordered()
        .iter()
        .map(|m| m.user_id)
        .filter(|u| *u == c || *u == d)
        .collect();
    h.type_text("K");
    h.until_screen("确认移出群聊").await;
    h.type_text("y");
    let got = calls(&mut h, "set_group_kick_members", 1).await;
    assert_eq!(
        got,
        vec![json!({
            "group_id": g.to_string(),
            "user_id": order.iter().map(i64::to_string).collect::<Vec<_>>(),
            "reject_add_request": false,
        })]
    );
    assert!(h.calls("set_group_kick").is_empty());
    h.until("both gone", |s| {
        s.contacts.member(g, c).is_none() && s.contacts.member(g, d).is_none()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cards_titles_and_admins_as_the_owner() {
    let mut h = start().await;
    let g = roster::GROUP_OWNED;
    open(&mut h, g).await;
    let plain = members_with(&h, g, Role::Member);
    let admin = members_with(&h, g, Role::Admin)[0];
    let u = plain[0];
    h.sim.clear_calls();
    // Each call is awaited before the next command: calls run concurrently.
    colon(&mut h, &format!("card {u} 学号-张三")).await;
    calls(&mut h, "set_group_card", 1).await;
    colon(&mut h, &format!("card {u}")).await;
    let got = calls(&mut h, "set_group_card", 2).await;
    assert_eq!(
        got,
        vec![
            json!({"group_id": g, "user_id": u, "card": "学号-张三"}),
            json!({"group_id": g, "user_id": u, "card": ""}),
        ]
    );
    colon(&mut h, &format!("title {u} 羽毛球王")).await;
    let got = calls(&mut h, "set_group_special_title", 1).await;
    assert_eq!(
        got[0],
        json!({"group_id": g, "user_id": u, "special_title": "羽毛球王"})
    );
    colon(&mut h, &format!("admin {u} on")).await;
    calls(&mut h, "set_group_admin", 1).await;
    colon(&mut h, &format!("admin {admin} off")).await;
    let got = calls(&mut h, "set_group_admin", 2).await;
    assert_eq!(
        got,
        vec![
            json!({"group_id": g, "user_id": u, "enable": true}),
            json!({"group_id": g, "user_id": admin, "enable": false}),
        ]
    );

    // Keys bound to a command without its text open the command line with the member filled in.
    let v = plain[1];
    focus_members(&mut h).await;
    select_member(&mut h, g, v).await;
    h.type_text("c");
    h.until("prefilled", |s| {
        s.command_line.as_deref() == Some(&format!("/card {v} "))
    })
    .await;
    h.until_screen(&format!(":/card {v}")).await;
    h.type_text("新名片");
    h.enter();
    let got = calls(&mut h, "set_group_card", 3).await;
    assert_eq!(
        got[2],
        json!({"group_id": g, "user_id": v, "card": "新名片"})
    );
    h.type_text("a");
    h.until("admin suggested", |s| {
        s.command_line.as_deref() == Some(&format!("/admin {v} on"))
    })
    .await;
    h.esc();
    h.type_text("t");
    h.until("title prefilled", |s| {
        s.command_line.as_deref() == Some(&format!("/title {v} "))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_popup_fetches_details_and_answers_member_keys() {
    let mut h = start().await;
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let u = members_with(&h, g, Role::Member)[0];
    focus_members(&mut h).await;
    select_member(&mut h, g, u).await;
    h.sim.clear_calls();
    h.enter();
    h.until_screen("成员资料").await;
    h.until("details fetched", |s| {
        matches!(
            &s.popup,
            Some(Popup::Profile(c))
                if c.data.is_some()
        )
    })
    .await;
    assert_eq!(
        h.calls("get_group_member_info"),
        vec![json!({"group_id": g, "user_id": u, "no_cache": true})]
    );
    assert_eq!(h.calls("get_stranger_info"), vec![json!({"user_id": u})]);
    h.until_screen("最后发言").await;
    h.until_screen("未禁言").await;
    // The member pane's keys work inside the popup, on its member.
    h.type_text("P");
    let got = calls(&mut h, "send_poke", 1).await;
    assert_eq!(got[0], json!({"user_id": u, "group_id": g}));
    h.type_text("m");
    h.until_screen("自定义…").await;
    h.type_text("1");
    let got = calls(&mut h, "set_group_ban", 1).await;
    assert_eq!(
        got[0],
        json!({"group_id": g, "user_id": u, "duration": 600})
    );

    // From the timeline: `p` on a message opens its sender's profile.
    let (_, sender) = select_message_of_a_member(&mut h, g).await;
    h.sim.clear_calls();
    h.type_text("p");
    h.until_screen("成员资料").await;
    let got = calls(&mut h, "get_group_member_info", 1).await;
    assert_eq!(got[0]["user_id"], json!(sender));
    h.esc();
    h.until("closed", |s| s.popup.is_none()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poke_and_like() {
    let mut h = start().await;
    let g = roster::GROUP_FAMILY;
    open(&mut h, g).await;
    let u = members_with(&h, g, Role::Member)[0];
    h.sim.clear_calls();
    colon(&mut h, &format!("poke {u}")).await;
    let got = calls(&mut h, "send_poke", 1).await;
    assert_eq!(got[0], json!({"user_id": u, "group_id": g}));
    colon(&mut h, &format!("like {u} 3")).await;
    let got = calls(&mut h, "send_like", 1).await;
    assert_eq!(got[0], json!({"user_id": u, "times": 3}));
    info(&mut h, "点赞 3 次").await;
}

// ----- messages -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_recall_others_messages_after_a_confirmation() {
    let mut h = start().await;
    let log = TempLog::new();
    h.lp.audit = Some(log.0.clone());
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let (id, sender) = select_message_of_a_member(&mut h, g).await;
    let name = h.state.contacts.member_name(g, sender);
    h.sim.clear_calls();
    h.type_text("d");
    h.until_screen(&format!("撤回 {name} ({sender}) 的消息"))
        .await;
    h.type_text("n");
    info(&mut h, "已取消").await;
    // That declining makes no call is proved in tests/core.rs, without waiting.
    colon(&mut h, "recall").await;
    h.until_screen("撤回消息").await;
    h.type_text("y");
    let got = calls(&mut h, "delete_msg", 1).await;
    assert_eq!(got, vec![json!({"message_id": id})]);
    h.until_screen("(已撤回)").await;
    h.until("logged", |_| !log.lines().is_empty()).await;
    let line = &log.lines()[0];
    assert!(
        line.contains(&format!("\trecall\tmessage {id} of {sender} (")) && line.ends_with("\tok"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn essence_on_and_off_and_the_list_jumps_to_the_message() {
    let mut h = start().await;
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let (id, _) = select_message_of_a_member(&mut h, g).await;
    h.sim.clear_calls();
    h.type_text("e");
    let got = calls(&mut h, "set_essence_msg", 1).await;
    assert_eq!(got, vec![json!({"message_id": id})]);
    h.until("marked essence", |s| {
        s.open_chat()
            .and_then(|c| c.timeline.message(id))
            .is_some_and(|m| m.essence)
    })
    .await;
    // Move away, then jump back from the list.
    h.type_text("G");
    colon(&mut h, "essences").await;
    let got = calls(&mut h, "get_essence_msg_list", 1).await;
    assert_eq!(got, vec![json!({"group_id": g})]);
    h.until_screen("精华消息").await;
    let pos = h
        .sim
        .with_world(|w| {
            w.group(g)
                .map(|gr| gr.essence.iter().position(|e| e.message_id == id))
        })
        .flatten()
        .expect("in the list");
    for _ in 0..pos {
        h.type_text("j");
    }
    h.enter();
    h.until("jumped to the message", |s| {
        s.popup.is_none()
            && s.focus == Pane::Timeline
            && s.selected_message().and_then(|(_, m)| m.id) == Some(id)
    })
    .await;
    h.type_text("e");
    let got = calls(&mut h, "delete_essence_msg", 1).await;
    assert_eq!(got, vec![json!({"message_id": id})]);
}

// ----- the group -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_settings_info_and_the_avatar_from_a_local_file() {
    let mut h = start().await;
    let log = TempLog::new();
    h.lp.audit = Some(log.0.clone());
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    h.sim.clear_calls();
    colon(&mut h, "muteall on").await;
    h.until_screen("开启全员禁言").await;
    h.type_text("n");
    info(&mut h, "已取消").await;
    // That declining makes no call is proved in tests/core.rs, without waiting.
    colon(&mut h, "muteall on").await;
    confirmation(&mut h, "开启全员禁言", "除群主和管理员外，所有人都不能发言").await;
    h.type_text("y");
    let got = calls(&mut h, "set_group_whole_ban", 1).await;
    assert_eq!(got, vec![json!({"group_id": g, "enable": true})]);
    info(&mut h, "已开启全员禁言").await;
    h.until_screen("全员禁言中").await;

    colon(&mut h, "rename 19级计算机3班（毕业快乐）").await;
    let got = calls(&mut h, "set_group_name", 1).await;
    assert_eq!(
        got,
        vec![json!({"group_id": g, "group_name": "19级计算机3班（毕业快乐）"})]
    );
    info(&mut h, "群名已改为").await;
    h.until_screen("19级计算机3班（毕业快乐）").await;

    // The runtime reads the file and sends its bytes, as NapCat may be elsewhere.
    let picture = log.0.with_file_name("avatar.png");
    std::fs::create_dir_all(picture.parent().expect("dir")).expect("dir");
    std::fs::write(&picture, b"\x89PNG\r\n\x1a\n fake picture bytes").expect("write");
    colon(&mut h, &format!("avatar {}", picture.display())).await;
    let got = calls(&mut h, "set_group_portrait", 1).await;
    use base64::Engine;
    let b64 =
        base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\n fake picture bytes");
    assert_eq!(
        got,
        vec![json!({"group_id": g, "file": format!("base64://{b64}")})]
    );
    info(&mut h, "群头像已更新").await;
    // A file that is not there fails before any call, with the reason.
    colon(&mut h, "avatar /nonexistent/napterm-avatar.png").await;
    h.until("reason shown", |s| {
        s.status
            .error()
            .is_some_and(|e| e.contains("无法读取 /nonexistent/napterm-avatar.png: 文件不存在"))
    })
    .await;
    assert_eq!(h.calls("set_group_portrait").len(), 1);
    // Nor is a file that is no picture sent, whatever its name says.
    let text = log.0.with_file_name("notes.png");
    std::fs::write(&text, "周末羽毛球报名表").expect("write");
    colon(&mut h, &format!("avatar {}", text.display())).await;
    h.until("no picture", |s| {
        s.status.error().is_some_and(|e| e.contains("不是图片"))
    })
    .await;
    assert_eq!(h.calls("set_group_portrait").len(), 1);

    colon(&mut h, "atall").await;
    let got = calls(&mut h, "get_group_at_all_remain", 1).await;
    assert_eq!(got, vec![json!({"group_id": g})]);
    info(&mut h, "@全体成员").await;
    colon(&mut h, "sign").await;
    let got = calls(&mut h, "set_group_sign", 1).await;
    assert_eq!(got, vec![json!({"group_id": g})]);

    colon(&mut h, "info").await;
    calls(&mut h, "get_group_info", 1).await;
    calls(&mut h, "get_group_info_ex", 1).await;
    h.until_screen("群资料").await;
    h.until("the sheet says mute-all is on", |s| {
        matches!(
            &s.popup,
            Some(Popup::Sheet(sheet))
                if sheet.rows.ready().is_some_and(|rows| {
                    rows.contains(&("全员禁言".to_string(), "开启".to_string()))
                })
        )
    })
    .await;
    h.until_screen("全员禁言").await;
    h.esc();
    colon(&mut h, "honors").await;
    calls(&mut h, "get_group_honor_info", 1).await;
    h.until_screen("当前龙王").await;
    h.esc();

    let actions: Vec<String> = log
        .lines()
        .iter()
        .map(|l| l.split('\t').nth(2).unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        actions,
        [
            "muteall on",
            "rename \"19级计算机3班（毕业快乐）\"",
            "avatar",
            "avatar",
            "avatar"
        ]
    );
    assert!(log.lines()[3].contains("\tfailed: 无法读取"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mute_list_shows_remaining_times_and_unmutes() {
    let mut h = start().await;
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let muted: Vec<i64> = h.sim.with_world(|w| {
        let now = napterm::onebot::event::now_secs();
        let mut v: Vec<(i64, i64)> = w
            .group(g)
            .map(|gr| {
                gr.members
                    .iter()
                    .filter(|m| m.shut_up_timestamp > now)
                    .map(|m| (m.shut_up_timestamp, m.user_id))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v.into_iter().map(|(_, u)| u).collect()
    });
    assert!(!muted.is_empty(), "the simulator mutes someone");
    h.sim.clear_calls();
    colon(&mut h, "mutes").await;
    calls(&mut h, "get_group_shut_list", 1).await;
    h.until_screen("禁言列表").await;
    h.until_screen(&format!("({})", muted[0])).await;
    h.until_screen("还剩").await;
    h.type_text("u");
    let got = calls(&mut h, "set_group_ban", 1).await;
    assert_eq!(
        got,
        vec![json!({"group_id": g, "user_id": muted[0], "duration": 0})]
    );
    h.until("gone from the list", |s| {
        matches!(
            &s.popup,
            Some(Popup::Mutes(l))
                if l.items.ready().is_some_and(|v| v.iter().all(|e| e.uin != muted[0]))
        )
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_are_listed_posted_and_deleted_from_the_list() {
    let mut h = start().await;
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    h.sim.clear_calls();
    colon(&mut h, "notice --pin --confirm 周六下午三点 体育馆集合").await;
    let got = calls(&mut h, "_send_group_notice", 1).await;
    assert_eq!(
        got,
        vec![json!({
            "group_id": g,
            "content": "周六下午三点 体育馆集合",
            "pinned": 1,
            "confirm_required": 1,
        })]
    );
    info(&mut h, "群公告已发布").await;
    colon(&mut h, "notices").await;
    let got = calls(&mut h, "_get_group_notice", 1).await;
    assert_eq!(got, vec![json!({"group_id": g})]);
    h.until_screen("群公告").await;
    h.until_screen("周六下午三点 体育馆集合").await;
    // Pinned, and labelled so (the server says it is).
    h.until_screen("置顶 · 已读").await;
    // The new notice is pinned, so first; it is ours.
    let id = h
        .sim
        .with_world(|w| {
            w.group(g)
                .and_then(|gr| gr.notices.first().map(|n| n.notice_id.clone()))
        })
        .expect("a notice");
    h.type_text("d");
    h.until_screen("删除群公告").await;
    h.type_text("n");
    info(&mut h, "已取消").await;
    // That declining makes no call is proved in tests/core.rs, without waiting.
    h.type_text("d");
    h.until_screen("删除群公告").await;
    h.type_text("y");
    let got = calls(&mut h, "_del_group_notice", 1).await;
    assert_eq!(got, vec![json!({"group_id": g, "notice_id": id})]);
    // The list is fetched again, without it.
    calls(&mut h, "_get_group_notice", 2).await;
    info(&mut h, "已删除群公告").await;
    h.settle(100).await;
    assert!(
        !h.screen().contains("周六下午三点 体育馆集合"),
        "{}",
        h.screen()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_needs_the_typed_name_and_the_owner_dismisses() {
    let mut h = start().await;
    let g = roster::GROUP_FAMILY;
    open(&mut h, g).await;
    h.sim.clear_calls();
    colon(&mut h, "leave").await;
    h.until_screen("退出群聊").await;
    h.type_text("相亲");
    h.enter();
    h.until_screen("输入的不是群名或群号").await;
    h.esc();
    info(&mut h, "已取消").await;
    // That a wrong name makes no call is proved in tests/core.rs, without waiting.
    colon(&mut h, "leave").await;
    h.until_screen("输入群名或群号确认").await;
    h.type_text(&g.to_string());
    h.enter();
    let got = calls(&mut h, "set_group_leave", 1).await;
    assert_eq!(got, vec![json!({"group_id": g, "is_dismiss": false})]);
    h.until("the group is gone", |s| {
        !s.contacts.groups.contains_key(&g) && s.open.is_none()
    })
    .await;

    let g = roster::GROUP_OWNED;
    open(&mut h, g).await;
    let name = h.state.contacts.groups[&g].name.clone();
    colon(&mut h, "leave").await;
    h.until_screen("解散群聊").await;
    h.type_text(&name);
    h.enter();
    let got = calls(&mut h, "set_group_leave", 2).await;
    assert_eq!(got[1], json!({"group_id": g, "is_dismiss": true}));
}

// ----- the requests inbox -----

fn request_event(flag: &str, kind: RequestKind, user: i64, comment: &str) -> Event {
    Event::Request(Request {
        time: napterm::onebot::event::now_secs(),
        self_id: roster::SELF_ID,
        kind,
        flag: flag.into(),
        user_id: user,
        comment: comment.into(),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_gathers_requests_once_and_answers_them() {
    let mut h = start().await;
    let log = TempLog::new();
    h.lp.audit = Some(log.0.clone());
    // Fetched on connect: the join requests and the invitation (and QQ's filtered one).
    h.until("system messages in the inbox", |s| s.inbox.items.len() >= 4)
        .await;
    assert!(!h.calls("get_group_system_msg").is_empty());
    assert!(!h.calls("get_group_ignored_notifies").is_empty());
    let friend = h.sim.with_world(|w| {
        w.pending_requests()
            .iter()
            .find(|r| r.kind == RequestKind::Friend && !r.doubt)
            .map(|r| (r.flag.clone(), r.user_id, r.comment.clone()))
            .expect("a friend request")
    });
    let join = h.sim.with_world(|w| {
        w.pending_requests()
            .iter()
            .find(|r| matches!(r.kind, RequestKind::GroupAdd { .. }) && !r.doubt)
            .map(|r| (r.flag.clone(), r.kind.clone(), r.user_id))
            .expect("a join request")
    });
    // The same request arriving twice (and a join request already fetched) shows once.
    let ev = request_event(&friend.0, RequestKind::Friend, friend.1, &friend.2);
    h.sim.push_event(&ev);
    h.sim.push_event(&ev);
    h.sim
        .push_event(&request_event(&join.0, join.1.clone(), join.2, "again"));
    h.until("friend request in the inbox", |s| {
        s.inbox.items.iter().any(|r| r.flag == friend.0)
    })
    .await;
    h.settle(150).await;
    let count = |s: &State, f: &str| s.inbox.items.iter().filter(|r| r.flag == f).count();
    assert_eq!(count(&h.state, &friend.0), 1);
    assert_eq!(count(&h.state, &join.0), 1);
    let total = h.state.inbox.items.len();
    h.until_screen(&format!("✉ {total}")).await;

    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.until_screen(&format!("请求 ({total})")).await;
    h.until_screen(&friend.2).await;
    let pos = h
        .state
        .inbox
        .items
        .iter()
        .position(|r| r.flag == friend.0)
        .expect("listed");
    for _ in 0..pos {
        h.type_text("j");
    }
    h.sim.clear_calls();
    h.type_text("a");
    h.until_screen("备注 (可留空)").await;
    h.type_text("球友");
    h.enter();
    let got = calls(&mut h, "set_friend_add_request", 1).await;
    assert_eq!(
        got,
        vec![json!({"flag": friend.0, "approve": true, "remark": "球友"})]
    );
    h.until("handled requests leave the list", |s| {
        count(s, &friend.0) == 0
    })
    .await;
    h.until_screen(&format!("请求 ({})", total - 1)).await;
    h.esc();

    // `/reject n reason` and `/accept` (the newest) from the command line.
    let (second, newest) = (
        h.state.inbox.items[1].clone(),
        h.state.inbox.items[0].clone(),
    );
    assert!(second.what.group().is_some() && newest.what.group().is_some());
    colon(&mut h, "reject 2 请先修改群名片").await;
    let got = calls(&mut h, "set_group_add_request", 1).await;
    assert_eq!(
        got,
        vec![json!({"flag": second.flag, "approve": false, "reason": "请先修改群名片"})]
    );
    h.until("rejected", |s| count(s, &second.flag) == 0).await;
    colon(&mut h, "accept").await;
    let got = calls(&mut h, "set_group_add_request", 2).await;
    assert_eq!(got[1], json!({"flag": newest.flag, "approve": true}));
    h.until("both handled", |s| {
        count(s, &second.flag) == 0 && count(s, &newest.flag) == 0
    })
    .await;
    h.until("three answers logged", |_| log.lines().len() == 3)
        .await;
    let lines = log.lines();
    assert!(
        lines[0].contains("\taccept remark=\"球友\" (friend request)\t"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[0].split('\t').nth(1),
        Some("-"),
        "no group for a friend"
    );
    assert!(
        lines[1].contains("\treject reason=\"请先修改群名片\" (group request)\t"),
        "{}",
        lines[1]
    );
}

// ----- failures -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_shows_napcats_reason_and_is_logged() {
    let mut h = start().await;
    let log = TempLog::new();
    h.lp.audit = Some(log.0.clone());
    let g = roster::GROUP_ADMIN;
    open(&mut h, g).await;
    let u = members_with(&h, g, Role::Member)[0];
    // The member leaves behind the client's back (its notice never arrives).
    h.sim.with_world(|w| {
        let out = w.handle("set_group_kick", &json!({"group_id": g, "user_id": u}));
        assert!(out.reply.is_ok());
    });
    h.sim.clear_calls();
    colon(&mut h, &format!("kick {u}")).await;
    h.until_screen("确认移出群聊").await;
    h.type_text("y");
    calls(&mut h, "set_group_kick", 1).await;
    let reason = format!("群({g})成员{u}不存在");
    h.until("reason in the status line", |s| {
        s.status
            .error()
            .is_some_and(|e| e.contains("移出群聊") && e.contains(&reason))
    })
    .await;
    h.until_screen(&reason).await;
    h.until("logged", |_| !log.lines().is_empty()).await;
    let line = &log.lines()[0];
    assert!(line.contains("\tkick\t"), "{line}");
    assert!(line.ends_with(&format!("\tfailed: {reason}")), "{line}");
}
