//! Notifications and the per-chat preferences (issue 14, item 15): a notification names the
//! people a message mentions; 免打扰 keeps a chat quiet (no notification, no bell, no highlight,
//! not in the window title's count); pinned chats head 会话; both survive a restart.

use crossterm::event::{KeyCode, KeyModifiers};
use napterm::app::Reply;
use napterm::app::call::{Groups, MemberList};
use napterm::app::contacts::{FriendInfo, GroupEntry, Member};
use napterm::app::keymap::Keymap;
use napterm::app::sidebar::{SidebarRow, recent_peers, rows};
use napterm::app::state::Settings;
use napterm::app::update::update;
use napterm::app::{Effect, Msg, Pane, State};
use napterm::onebot::{ClientEvent, ConnState, Peer, Role};
use napterm::runtime::persist::Saved;
use serde_json::{Value, json};

mod reducer;
use reducer::{event, press};

const NOW: i64 = 1_795_003_200;
const ME: i64 = 10001;
const G: i64 = 30001;
const G2: i64 = 30002;
const FRIEND: i64 = 20002;
const STRANGER: i64 = 20009;

fn online() -> State {
    let mut s = State::new(Settings::default(), Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Connected {
            self_id: ME,
            nickname: "夜航船".into(),
        })),
    );
    let groups = [(G, "周末羽毛球约起🏸"), (G2, "Rust 中文社区")]
        .map(|(g, name)| GroupEntry {
            group_id: g,
            name: name.into(),
            ..Default::default()
        })
        .to_vec();
    update(&mut s, Msg::Reply(Reply::Groups(Groups, Ok(groups))));
    s.contacts.friends.insert(
        FRIEND,
        FriendInfo {
            user_id: FRIEND,
            nickname: "小明".into(),
            remark: "明哥".into(),
            category: None,
        },
    );
    s
}

fn group_message(group: i64, user: i64, id: i64, chain: Value) -> Msg {
    event(json!({
        "post_type": "message", "message_type": "group", "sub_type": "normal",
        "time": NOW, "self_id": ME, "user_id": user, "group_id": group, "message_id": id,
        "sender": {"user_id": user, "nickname": format!("成员{user}"), "role": "member"},
        "message": chain, "message_format": "array",
    }))
}

fn private_message(user: i64, id: i64, text: &str) -> Msg {
    event(json!({
        "post_type": "message", "message_type": "private", "sub_type": "friend",
        "time": NOW, "self_id": ME, "user_id": user, "message_id": id,
        "sender": {"user_id": user, "nickname": "小明"},
        "message": [{"type": "text", "data": {"text": text}}], "message_format": "array",
    }))
}

fn notifications(fx: &[Effect]) -> Vec<(String, String)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Notify { title, body } => Some((title.clone(), body.clone())),
            _ => None,
        })
        .collect()
}

fn command(s: &mut State, line: &str) -> Vec<Effect> {
    s.focus = Pane::Timeline;
    let mut fx = Vec::new();
    for c in format!(":{line}").chars() {
        fx.extend(press(s, KeyCode::Char(c), KeyModifiers::NONE));
    }
    fx.extend(press(s, KeyCode::Enter, KeyModifiers::NONE));
    fx
}

fn saved(fx: &[Effect]) -> Option<napterm::app::drafts::Session> {
    fx.iter().rev().find_map(|e| match e {
        Effect::SaveSession(s) => Some(s.clone()),
        _ => None,
    })
}

#[test]
fn a_notification_names_the_people_a_message_mentions() {
    let mut s = online();
    // The group's member list is not loaded: the names come from what else napterm knows.
    let chain = json!([
        {"type": "at", "data": {"qq": ME.to_string()}},
        {"type": "text", "data": {"text": " 和 "}},
        {"type": "at", "data": {"qq": FRIEND.to_string()}},
        {"type": "text", "data": {"text": " 和 "}},
        {"type": "at", "data": {"qq": STRANGER.to_string(), "name": "阿飞"}},
        {"type": "text", "data": {"text": " 周六打球"}},
    ]);
    let fx = update(&mut s, group_message(G, 20005, 1, chain));
    let n = notifications(&fx);
    assert_eq!(n.len(), 1, "{fx:?}");
    assert_eq!(n[0].1, "@夜航船 和 @明哥 和 @阿飞 周六打球");
    // Once the members are in, their cards win.
    let list = vec![Member {
        user_id: STRANGER,
        card: "阿飞 | 前锋".into(),
        role: Role::Member,
        ..Default::default()
    }];
    update(
        &mut s,
        Msg::Reply(Reply::MemberList(MemberList { group: G }, Ok(list))),
    );
    let chain = json!([
        {"type": "at", "data": {"qq": ME.to_string()}},
        {"type": "at", "data": {"qq": STRANGER.to_string(), "name": "阿飞"}},
    ]);
    let fx = update(&mut s, group_message(G, 20005, 2, chain));
    assert_eq!(notifications(&fx)[0].1, "@夜航船@阿飞 | 前锋");
}

#[test]
fn a_muted_chat_counts_unread_but_never_notifies_or_lights_the_title() {
    let mut s = online();
    command(&mut s, &format!("open u:{FRIEND}"));
    let fx = command(&mut s, "quiet");
    assert!(s.muted.contains(&Peer::Private(FRIEND)));
    assert!(saved(&fx).is_some_and(|x| x.muted.contains(&Peer::Private(FRIEND))));
    command(&mut s, "close");
    let fx = update(&mut s, private_message(FRIEND, 1, "在吗"));
    assert!(notifications(&fx).is_empty(), "no notification: {fx:?}");
    assert_eq!(s.chats[&Peer::Private(FRIEND)].unread, 1, "still unread");
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::Title(t) if t.contains('('))),
        "the window title does not count it: {fx:?}"
    );
    // An @ in a muted group: counted, not announced.
    s.muted.insert(Peer::Group(G));
    let at_me = json!([{"type": "at", "data": {"qq": ME.to_string()}}]);
    let fx = update(&mut s, group_message(G, 20005, 2, at_me.clone()));
    assert!(notifications(&fx).is_empty());
    assert_eq!(s.chats[&Peer::Group(G)].mentions, 1);
    // The same in a chat that is not muted is announced, and counted in the title.
    let fx = update(&mut s, group_message(G2, 20005, 3, at_me));
    assert_eq!(notifications(&fx).len(), 1);
    assert!(fx.contains(&Effect::Title("napterm (1)".into())), "{fx:?}");
    // /quiet again: back to normal.
    command(&mut s, &format!("open u:{FRIEND}"));
    command(&mut s, "quiet");
    assert!(!s.muted.contains(&Peer::Private(FRIEND)));
}

#[test]
fn pinned_chats_head_the_recent_list_in_pin_order() {
    let mut s = online();
    for (i, g) in [G, G2].into_iter().enumerate() {
        let chain = json!([{"type": "text", "data": {"text": "hi"}}]);
        update(&mut s, Msg::Clock(NOW + i as i64));
        update(&mut s, group_message(g, 20005, 10 + i as i64, chain));
    }
    update(&mut s, Msg::Clock(NOW + 2));
    update(&mut s, private_message(FRIEND, 20, "在吗"));
    assert_eq!(
        recent_peers(&s),
        vec![Peer::Private(FRIEND), Peer::Group(G2), Peer::Group(G)]
    );
    // Pin from the sidebar with its key: the selected chat (the oldest one, at the bottom).
    s.focus = Pane::Sidebar;
    press(&mut s, KeyCode::End, KeyModifiers::NONE);
    let fx = press(&mut s, KeyCode::Char('p'), KeyModifiers::ALT);
    assert_eq!(s.pinned, vec![Peer::Group(G)]);
    assert!(saved(&fx).is_some_and(|x| x.pinned == vec![Peer::Group(G)]));
    // And the open chat with /pin: pinned after the first.
    command(&mut s, &format!("open u:{FRIEND}"));
    command(&mut s, "pin");
    assert_eq!(
        recent_peers(&s),
        vec![Peer::Group(G), Peer::Private(FRIEND), Peer::Group(G2)]
    );
    let headings: Vec<String> = rows(&s)
        .into_iter()
        .map(|r| match r {
            SidebarRow::Header(h) => h,
            SidebarRow::Chat(c) => c.name,
        })
        .collect();
    assert_eq!(
        headings,
        ["置顶", "周末羽毛球约起🏸", "明哥", "最近", "Rust 中文社区"]
    );
    // Unpinning with the key where the chat is open (the composer).
    s.focus = Pane::Composer;
    press(&mut s, KeyCode::Char('p'), KeyModifiers::ALT);
    assert_eq!(s.pinned, vec![Peer::Group(G)]);
    // 免打扰 with its key, in the composer: the open chat, and nothing typed.
    press(&mut s, KeyCode::Char('d'), KeyModifiers::ALT);
    assert!(s.muted.contains(&Peer::Private(FRIEND)));
    assert_eq!(s.composer.text(), "");
}

#[test]
fn muted_and_pinned_chats_survive_a_restart() {
    let mut s = online();
    s.muted.insert(Peer::Group(G2));
    s.pinned = vec![Peer::Private(FRIEND), Peer::Group(G)];
    let text = serde_json::to_string(&Saved::new(&s.session())).unwrap();
    let back: Saved = serde_json::from_str(&text).unwrap();
    let mut fresh = online();
    update(&mut fresh, Msg::Restore(back.session()));
    assert_eq!(fresh.muted, s.muted);
    assert_eq!(fresh.pinned, s.pinned);
    // Pinned chats are listed at once, before any message arrives.
    assert_eq!(
        recent_peers(&fresh),
        vec![Peer::Private(FRIEND), Peer::Group(G)]
    );
    // A session file from before has neither, and is read all the same.
    let old: Saved = serde_json::from_str(r#"{"open": "g:30001", "drafts": {}}"#).unwrap();
    assert!(old.session().muted.is_empty() && old.session().pinned.is_empty());
}

#[test]
fn profile_poke_and_like_work_on_the_friend_of_a_private_chat() {
    use napterm::app::Call;
    use napterm::app::call::{Like, Poke, Profile};
    use napterm::app::popup::Popup;
    let calls = |fx: &[Effect]| -> Vec<Call> {
        fx.iter()
            .filter_map(|e| match e {
                Effect::Call(c) => Some(c.clone()),
                _ => None,
            })
            .collect()
    };
    let mut s = online();
    command(&mut s, &format!("open u:{FRIEND}"));
    let fx = command(&mut s, "profile");
    assert!(
        matches!(&s.popup, Some(Popup::Profile(p)) if p.group.is_none() && p.user == FRIEND),
        "{:?} {:?}",
        s.popup,
        s.status
    );
    assert!(
        calls(&fx).contains(
            &Profile {
                group: None,
                user: FRIEND
            }
            .into()
        )
    );
    // The member keys that make sense for a friend work in it: poke.
    let fx = press(&mut s, KeyCode::Char('P'), KeyModifiers::SHIFT);
    assert!(
        calls(&fx).contains(
            &Poke {
                group: None,
                user: FRIEND
            }
            .into()
        ),
        "{fx:?}"
    );
    s.popup = None;
    let fx = command(&mut s, "like");
    assert!(
        calls(&fx).contains(
            &Like {
                user: FRIEND,
                times: 1
            }
            .into()
        )
    );
    let fx = command(&mut s, "like 5");
    assert!(
        calls(&fx).contains(
            &Like {
                user: FRIEND,
                times: 5
            }
            .into()
        )
    );
}
