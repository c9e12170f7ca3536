//! The administration screens rendered at 80x24 and compared with reviewed snapshots: the member
//! pane with marks, the profile popup, the requests inbox, the mute presets, the confirmations
//! (bulk kick, long mute, notice delete, typed leave) and the lists.

mod snapshot;
use napterm::app::call::KickMany;
use napterm::app::call::members::ProfileData;
use napterm::app::chat::{Delivery, EntryKind, HistoryState, MessageItem, SortKey};
use napterm::app::contacts::{GroupEntry, Member, Members, MembersState};
use napterm::app::effect::Effect;
use napterm::app::inbox::{PendingRequest, RequestWhat};
use napterm::app::keymap::Keymap;
use napterm::app::popup::InboxInput;
use napterm::app::popup::{
    EssenceList, InboxView, LeaveConfirm, Load, MuteList, MutePicker, NoticeList, Popup,
    ProfileCard, Sheet, SheetKind,
};
use napterm::app::state::{Settings, State};
use napterm::app::{Msg, Pane};
use napterm::onebot::types::{
    EssenceMessage, GroupMember, GroupNotice, NoticeImage, NoticeSettings, Sex, ShutListEntry,
    StrangerInfo,
};
use napterm::onebot::{ConnState, MessageChain, Peer, Role};

const ME: i64 = 10001;
const GROUP: i64 = 30001;
/// 2026-11-18 12:00:00 UTC (a Wednesday).
const NOW: i64 = 1_795_003_200;

fn member(id: i64, nick: &str, card: &str, role: Role) -> Member {
    Member {
        user_id: id,
        nickname: nick.into(),
        card: card.into(),
        role,
        level: "3".into(),
        join_time: NOW - 400 * 86_400,
        last_sent_time: NOW - 1200,
        ..Default::default()
    }
}

/// A group you administer, its members (one muted, one titled) and a few messages.
fn world() -> State {
    snapshot::utc();
    let mut s = State::new(Settings::default(), Keymap::default_map());
    s.now = NOW;
    s.self_id = ME;
    s.self_name = "夜航船".into();
    s.conn = ConnState::Connected {
        self_id: ME,
        nickname: "夜航船".into(),
    };
    s.contacts.groups.insert(
        GROUP,
        GroupEntry {
            group_id: GROUP,
            name: "Rust 中文社区 🦀".into(),
            member_count: 7,
            max_member_count: 500,
            ..Default::default()
        },
    );
    let ms = Members::new(
        MembersState::Loaded,
        [
            member(20010, "群主大人", "", Role::Owner),
            member(ME, "夜航船", "船长", Role::Admin),
            member(20011, "老管", "", Role::Admin),
            member(20002, "小明", "明哥 | 后端", Role::Member),
            member(20003, "Alice 🌸", "", Role::Member),
            {
                let mut m = member(20005, "捣蛋鬼", "", Role::Member);
                m.shut_up_until = NOW + 3600;
                m
            },
            {
                let mut m = member(20006, "老K", "", Role::Member);
                m.title = "活跃分子".into();
                m
            },
        ],
    );
    s.contacts.members.insert(GROUP, ms);
    let chat = s.chat_mut(Peer::Group(GROUP));
    chat.history = HistoryState::Exhausted;
    chat.set_last_activity(NOW);
    for (i, (from, name, text)) in [
        (20002, "明哥 | 后端", "今晚发版吗？"),
        (20005, "捣蛋鬼", "广告广告 加我领红包"),
        (20003, "Alice 🌸", "收到 👍"),
    ]
    .into_iter()
    .enumerate()
    {
        let i = i as i64;
        chat.timeline.insert(
            SortKey {
                time: NOW - 600 + i * 60,
                seq: 0,
                arrival: i as u64 + 1,
            },
            EntryKind::Message(MessageItem {
                id: Some(100 + i),
                local_id: None,
                sender_id: from,
                sender_name: name.into(),
                role: None,
                own: false,
                chain: MessageChain::new().text(text),
                delivery: Delivery::Sent,
                recalled_by: None,
                reactions: vec![],
                essence: false,
                bad_time: None,
            }),
        );
    }
    s.open = Some(Peer::Group(GROUP));
    s.members.visible = true;
    s.sidebar.visible = false;
    s
}

fn render(state: &State) -> String {
    snapshot::render(state, 80, 24)
}

fn key(s: &mut State, code: crossterm::event::KeyCode) -> Vec<Effect> {
    napterm::app::update::update(
        s,
        Msg::Key(crossterm::event::KeyEvent::new(
            code,
            crossterm::event::KeyModifiers::NONE,
        )),
    )
}

#[test]
fn member_pane_with_marks_and_the_inbox_badge() {
    let mut s = world();
    s.focus = Pane::Members;
    s.inbox.items = requests();
    // Mark two members with space, as a user would (space moves down after marking).
    let order: Vec<i64> = s.contacts.members[&GROUP]
        .ordered()
        .iter()
        .map(|m| m.user_id)
        .collect();
    s.members.selected = order.iter().position(|u| *u == 20003).unwrap();
    key(&mut s, crossterm::event::KeyCode::Char(' '));
    key(&mut s, crossterm::event::KeyCode::Char(' '));
    assert_eq!(s.members.marked.len(), 2);
    insta::assert_snapshot!("members_marked_80x24", render(&s));
}

fn profile_data() -> ProfileData {
    ProfileData {
        member: Some(GroupMember {
            group_id: GROUP,
            user_id: 20005,
            nickname: "捣蛋鬼".into(),
            card: "".into(),
            sex: Sex::Male,
            age: 19,
            level: "12".into(),
            qq_level: 28,
            join_time: NOW - 90 * 86_400,
            last_sent_time: NOW - 300,
            shut_up_timestamp: NOW + 2 * 3600 + 600,
            role: Role::Member,
            title: "话痨".into(),
            ..Default::default()
        }),
        stranger: Some(StrangerInfo {
            user_id: 20005,
            nickname: "捣蛋鬼".into(),
            age: 19,
            qq_level: 28,
            sex: Sex::Male,
            long_nick: "今天也要快乐\u{1b}[31m".into(),
            ..Default::default()
        }),
    }
}

#[test]
fn profile_popup_loading_and_loaded() {
    let mut s = world();
    s.focus = Pane::Members;
    s.popup = Some(Popup::Profile(ProfileCard {
        group: Some(GROUP),
        user: 20005,
        data: None,
        error: None,
    }));
    insta::assert_snapshot!("profile_loading_80x24", render(&s));
    s.popup = Some(Popup::Profile(ProfileCard {
        group: Some(GROUP),
        user: 20005,
        data: Some(Box::new(profile_data())),
        error: None,
    }));
    insta::assert_snapshot!("profile_80x24", render(&s));
}

fn requests() -> Vec<PendingRequest> {
    vec![
        PendingRequest {
            flag: "f1".into(),
            what: RequestWhat::Friend,
            user_id: 1987654321,
            nickname: "新来的小明".into(),
            group_name: String::new(),
            comment: "我是羽毛球群里的".into(),
            time: Some(NOW - 300),
            filtered: false,
            answering: false,
        },
        PendingRequest {
            flag: "1795000000123456".into(),
            what: RequestWhat::Join { group: GROUP },
            user_id: 1876543210,
            nickname: "李华".into(),
            group_name: "Rust 中文社区 🦀".into(),
            comment: "问题：你从哪里知道本群\n答案：朋友推荐".into(),
            time: Some(NOW - 3 * 3600),
            filtered: false,
            answering: true,
        },
        PendingRequest {
            flag: "inv".into(),
            what: RequestWhat::Invite { group: 778899001 },
            user_id: 1753159846,
            nickname: "晴天".into(),
            group_name: "周末爬山群".into(),
            comment: String::new(),
            time: None,
            filtered: false,
            answering: false,
        },
        PendingRequest {
            flag: "risky".into(),
            what: RequestWhat::Join { group: GROUP },
            user_id: 1654321098,
            nickname: "猎头-Amy".into(),
            group_name: String::new(),
            comment: "有好机会推荐，了解一下？".into(),
            time: Some(NOW - 30 * 3600),
            filtered: true,
            answering: false,
        },
    ]
}

#[test]
fn requests_inbox_list_and_reason_field() {
    let mut s = world();
    s.inbox.items = requests();
    s.popup = Some(Popup::Inbox(InboxView {
        selected: 0,
        input: None,
    }));
    insta::assert_snapshot!("inbox_80x24", render(&s));
    s.popup = Some(Popup::Inbox(InboxView {
        selected: 3,
        input: Some(InboxInput {
            flag: "risky".into(),
            approve: false,
            text: "广告".into(),
        }),
    }));
    insta::assert_snapshot!("inbox_reject_reason_80x24", render(&s));
    s.inbox.items.clear();
    s.popup = Some(Popup::Inbox(InboxView::default()));
    insta::assert_snapshot!("inbox_empty_80x24", render(&s));
}

#[test]
fn mute_presets_and_custom_duration() {
    let mut s = world();
    s.focus = Pane::Members;
    s.popup = Some(Popup::Mute(MutePicker {
        group: GROUP,
        targets: vec![20002],
        selected: 1,
        custom: None,
        error: None,
    }));
    insta::assert_snapshot!("mute_presets_80x24", render(&s));
    s.popup = Some(Popup::Mute(MutePicker {
        group: GROUP,
        targets: vec![20002, 20003],
        selected: 5,
        custom: Some("45x".into()),
        error: Some("「45x」不是时长 (例: 10m、2h、1d、1h30m 或秒数)".into()),
    }));
    insta::assert_snapshot!("mute_custom_80x24", render(&s));
}

#[test]
fn confirmations_say_exactly_what_will_happen() {
    // The real flows make these dialogs: mark two members and kick; mute one for 30 days.
    let mut s = world();
    s.focus = Pane::Members;
    s.members.marked.extend([20002, 20003]);
    key(&mut s, crossterm::event::KeyCode::Char('K'));
    let Some(Popup::Confirm(c)) = &s.popup else {
        panic!("a confirmation: {:?}", s.popup);
    };
    assert_eq!(
        c.on_yes,
        vec![Effect::call(KickMany {
            group: GROUP,
            users: vec![20003, 20002],
            block: false
        })]
    );
    insta::assert_snapshot!("confirm_bulk_kick_80x24", render(&s));

    let mut s = world();
    s.focus = Pane::Members;
    let order: Vec<i64> = s.contacts.members[&GROUP]
        .ordered()
        .iter()
        .map(|m| m.user_id)
        .collect();
    s.members.selected = order.iter().position(|u| *u == 20002).unwrap();
    key(&mut s, crossterm::event::KeyCode::Char('m'));
    key(&mut s, crossterm::event::KeyCode::Char('5'));
    insta::assert_snapshot!("confirm_long_mute_80x24", render(&s));

    let mut s = world();
    s.popup = Some(Popup::Leave(LeaveConfirm {
        group: GROUP,
        name: "Rust 中文社区 🦀".into(),
        dismiss: true,
        typed: "3000".into(),
        error: Some("输入的不是群名或群号".into()),
    }));
    insta::assert_snapshot!("confirm_dismiss_typed_80x24", render(&s));

    let mut s = world();
    s.popup = Some(Popup::Notices(notice_list(0, Some(1))));
    insta::assert_snapshot!("confirm_notice_delete_80x24", render(&s));
}

fn notice_list(selected: usize, pending: Option<usize>) -> NoticeList {
    NoticeList {
        group: GROUP,
        items: Load::Ready(vec![
            GroupNotice {
                notice_id: "n1".into(),
                sender_id: 20010,
                publish_time: NOW - 2 * 86_400,
                text: "群规：\n1. 不发广告\n2. 提问前先搜索\n3. 友善交流".into(),
                images: vec![],
                read_num: 120,
                settings: NoticeSettings {
                    confirm_required: 1,
                    ..Default::default()
                },
                pinned: true,
                for_new_members: false,
            },
            GroupNotice {
                notice_id: "n2".into(),
                sender_id: ME,
                publish_time: NOW - 3600,
                text: "周六线下聚会，地点见图".into(),
                images: vec![NoticeImage {
                    id: "img".into(),
                    width: 720,
                    height: 1280,
                }],
                read_num: 35,
                settings: NoticeSettings::default(),
                pinned: false,
                for_new_members: false,
            },
        ]),
        selected,
        pending,
    }
}

#[test]
fn lists_notices_mutes_essences_and_sheets() {
    let mut s = world();
    s.popup = Some(Popup::Notices(notice_list(0, None)));
    insta::assert_snapshot!("notices_80x24", render(&s));

    s.popup = Some(Popup::Mutes(MuteList {
        group: GROUP,
        items: Load::Ready(vec![ShutListEntry {
            uin: 20005,
            nick: "捣蛋鬼".into(),
            shut_up_time: NOW + 3600,
            ..Default::default()
        }]),
        selected: 0,
    }));
    insta::assert_snapshot!("mutes_80x24", render(&s));

    s.popup = Some(Popup::Essences(EssenceList {
        group: GROUP,
        items: Load::Ready(vec![EssenceMessage {
            sender_id: 20002,
            sender_nick: "小明".into(),
            operator_id: ME,
            operator_nick: "夜航船".into(),
            message_id: 100,
            operator_time: NOW - 500,
            content: MessageChain::new().text("今晚发版吗？"),
            ..Default::default()
        }]),
        selected: 0,
    }));
    insta::assert_snapshot!("essences_80x24", render(&s));
    // Messages not in memory: sent times from get_msg, still coming, or not to be had.
    let essence = |id: i64, text: &str| EssenceMessage {
        sender_id: 20003,
        sender_nick: "Alice 🌸".into(),
        operator_id: ME,
        operator_nick: "夜航船".into(),
        message_id: id,
        operator_time: NOW - 60,
        content: MessageChain::new().text(text),
        ..Default::default()
    };
    s.quotes.insert(
        701,
        napterm::app::state::Quote::Found {
            author: "Alice 🌸".into(),
            excerpt: "去年的总结".into(),
            time: NOW - 40 * 86_400,
        },
    );
    s.quotes.insert(702, napterm::app::state::Quote::Loading);
    s.quotes.insert(703, napterm::app::state::Quote::Missing);
    s.popup = Some(Popup::Essences(EssenceList {
        group: GROUP,
        items: Load::Ready(vec![
            essence(701, "去年的总结"),
            essence(702, "还在取"),
            essence(703, "取不到"),
        ]),
        selected: 0,
    }));
    insta::assert_snapshot!("essences_sent_times_80x24", render(&s));

    s.popup = Some(Popup::Sheet(Sheet {
        group: GROUP,
        kind: SheetKind::Info,
        rows: Load::Failed("服务器不支持 get_group_info".into()),
        scroll: 0,
    }));
    insta::assert_snapshot!("sheet_failed_80x24", render(&s));
}

#[test]
fn every_popup_fits_any_terminal_without_panicking() {
    let mut s = world();
    s.inbox.items = requests();
    let popups = vec![
        Popup::Mute(MutePicker {
            group: GROUP,
            targets: vec![20002],
            selected: 5,
            custom: Some("1h".into()),
            error: Some("错误".into()),
        }),
        Popup::Profile(ProfileCard {
            group: Some(GROUP),
            user: 20005,
            data: Some(Box::new(profile_data())),
            error: None,
        }),
        Popup::Notices(notice_list(1, Some(0))),
        Popup::Inbox(InboxView {
            selected: 2,
            input: Some(InboxInput {
                flag: "inv".into(),
                approve: true,
                text: "很长很长的备注".repeat(10),
            }),
        }),
        Popup::Leave(LeaveConfirm {
            group: GROUP,
            name: "Rust 中文社区 🦀".into(),
            dismiss: false,
            typed: "x".repeat(200),
            error: None,
        }),
        Popup::Sheet(Sheet {
            group: GROUP,
            kind: SheetKind::Honors,
            rows: Load::Ready(vec![("龙王".into(), "很长的名字".repeat(30)); 40]),
            scroll: 3,
        }),
    ];
    for p in popups {
        s.popup = Some(p);
        for (w, h) in [(1, 1), (10, 3), (20, 5), (33, 9), (60, 12), (200, 60)] {
            let out = snapshot::render(&s, w, h);
            assert_eq!(out.lines().count(), h as usize);
        }
    }
}
