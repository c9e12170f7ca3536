//! Issue 9 on `update` alone: which sources a save tries in which order for every kind of
//! attachment, the names, progress in the status line, the end of a transfer (the path said,
//! `o` opening it), `/cancel`, path completion (the runtime lists the folder; the list follows
//! the typing), and the browser's refusals, all as facts about state and effects.

use crossterm::event::KeyCode;
use napterm::app::Reply;
use napterm::app::call::{GroupFileList, Groups, MemberList};
use napterm::app::contacts::{GroupEntry, Member};
use napterm::app::keymap::Keymap;
use napterm::app::popup::{FileBrowser, Popup};
use napterm::app::state::Settings;
use napterm::app::transfer::{Purpose, Source, StreamKind, TransferEvent, UploadTarget};
use napterm::app::update::update;
use napterm::app::{Effect, Msg, Pane, State};
use napterm::onebot::types::{GroupFile, GroupFiles};
use napterm::onebot::{ClientEvent, ConnState, Role};
use serde_json::{Value, json};

mod reducer;
use reducer::{event, key, type_text};

const NOW: i64 = 1_795_003_200;
const ME: i64 = 10001;
const G: i64 = 30001;
const OTHER: i64 = 20002;

fn online() -> State {
    let mut s = State::new(Settings::default(), Keymap::default_map());
    update(&mut s, Msg::Clock(NOW));
    update(
        &mut s,
        Msg::Client(ClientEvent::State(ConnState::Connected {
            self_id: ME,
            nickname: "我".into(),
        })),
    );
    let groups = vec![GroupEntry {
        group_id: G,
        name: "群".into(),
        ..Default::default()
    }];
    update(&mut s, Msg::Reply(Reply::Groups(Groups, Ok(groups))));
    s
}

fn command(s: &mut State, line: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    for _ in 0..3 {
        if s.focus == Pane::Timeline {
            break;
        }
        fx.extend(key(s, KeyCode::Esc));
    }
    fx.extend(type_text(s, &format!(":{line}")));
    fx.extend(key(s, KeyCode::Enter));
    fx
}

fn in_group(me: Role) -> State {
    let mut s = online();
    command(&mut s, &format!("open g:{G}"));
    let member = |user_id, role| Member {
        user_id,
        nickname: format!("成员{user_id}"),
        role,
        ..Default::default()
    };
    let list = vec![member(ME, me), member(OTHER, Role::Member)];
    update(
        &mut s,
        Msg::Reply(Reply::MemberList(MemberList { group: G }, Ok(list))),
    );
    s
}

/// A group message carrying `seg` arrives and is selected.
fn arrive(s: &mut State, id: i64, seg: Value) {
    update(
        s,
        event(json!({
            "post_type": "message", "message_type": "group", "sub_type": "normal",
            "time": NOW, "self_id": ME, "user_id": OTHER, "group_id": G, "message_id": id,
            "sender": {"user_id": OTHER, "nickname": "他", "role": "member"},
            "message": [seg], "message_format": "array",
        })),
    );
    let chat = s.open_chat_mut().expect("open");
    let key = chat
        .timeline
        .iter()
        .find(|e| e.message().is_some_and(|m| m.id == Some(id)))
        .map(|e| e.key)
        .expect("arrived");
    chat.selected = Some(key);
    s.focus = Pane::Timeline;
}

fn saves(fx: &[Effect]) -> Vec<&napterm::app::transfer::SaveJob> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Save(j) => Some(j),
            _ => None,
        })
        .collect()
}

#[test]
fn every_kind_of_attachment_tries_its_sources_in_order() {
    let mut s = in_group(Role::Member);
    arrive(
        &mut s,
        1,
        json!({"type": "file", "data": {"file": "课件.pdf", "file_id": "/abc", "file_size": "300"}}),
    );
    let fx = type_text(&mut s, "s");
    let job = saves(&fx)[0];
    assert_eq!(
        (job.name.as_str(), job.size, job.purpose),
        ("课件.pdf", Some(300), Purpose::Save)
    );
    assert_eq!(
        job.sources,
        [
            Source::GroupFileUrl {
                group: G,
                file_id: "/abc".into()
            },
            Source::Stream {
                kind: StreamKind::File,
                file: "/abc".into()
            },
        ]
    );

    arrive(
        &mut s,
        2,
        json!({"type": "image", "data": {"file": "AB.jpg", "url": "https://multimedia.nt.qq.com.cn/download?appid=1407&fileid=x&rkey=y", "file_size": "900"}}),
    );
    let fx = type_text(&mut s, "s");
    let job = saves(&fx)[0];
    assert!(
        matches!(&job.sources[0], Source::Url { message_id: Some(2), file, .. } if file == "AB.jpg")
    );
    assert_eq!(
        job.sources[1],
        Source::Stream {
            kind: StreamKind::Image,
            file: "AB.jpg".into()
        }
    );

    // A voice is saved as mp3, without a size (it is converted), never from its silk link.
    arrive(
        &mut s,
        3,
        json!({"type": "record", "data": {"file": "v.amr", "url": "https://grouptalk.c2c.qq.com/x", "file_size": "5120"}}),
    );
    let fx = type_text(&mut s, "s");
    let job = saves(&fx)[0];
    assert_eq!((job.name.as_str(), job.size), ("v.mp3", None));
    assert_eq!(
        job.sources,
        [
            Source::Record {
                file: "v.amr".into()
            },
            Source::Stream {
                kind: StreamKind::Record,
                file: "v.amr".into()
            },
        ]
    );
    // Enter on it plays it instead.
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(saves(&fx)[0].purpose, Purpose::Play);

    // A hostile name is made safe before anything is asked.
    arrive(
        &mut s,
        4,
        json!({"type": "file", "data": {"file": "../../.bashrc", "file_id": "/evil"}}),
    );
    let fx = type_text(&mut s, "s");
    assert_eq!(saves(&fx)[0].name, "bashrc");

    // Text only: said, nothing asked.
    arrive(&mut s, 5, json!({"type": "text", "data": {"text": "hi"}}));
    let fx = type_text(&mut s, "s");
    assert!(saves(&fx).is_empty());
    assert!(s.status.error().unwrap().contains("没有可保存的附件"));
}

#[test]
fn progress_shows_in_the_status_line_and_the_end_says_where_it_went() {
    let mut s = in_group(Role::Member);
    arrive(
        &mut s,
        1,
        json!({"type": "file", "data": {"file": "a.iso", "file_id": "/a", "file_size": "4000000"}}),
    );
    let fx = type_text(&mut s, "s");
    let id = saves(&fx)[0].id;
    update(
        &mut s,
        Msg::Transfer(TransferEvent::Progress {
            id,
            done: 1_000_000,
            total: Some(4_000_000),
            speed: 2 * 1024 * 1024,
        }),
    );
    assert_eq!(
        napterm::app::saving::summary(&s).as_deref(),
        Some("↓ a.iso 25% 2.0 MB/s")
    );
    update(
        &mut s,
        Msg::Transfer(TransferEvent::Saved {
            id,
            path: "/dl/a.iso".into(),
            via: "群文件链接",
        }),
    );
    assert!(s.transfers.active.is_empty());
    assert_eq!(s.status.info(), Some("已保存 /dl/a.iso (o 打开)"));
    let fx = type_text(&mut s, "o");
    assert!(fx.contains(&Effect::OpenFile("/dl/a.iso".into())), "{fx:?}");
}

#[test]
fn cancel_stops_the_newest_transfer_or_all_of_them() {
    let mut s = in_group(Role::Member);
    let fx = command(&mut s, "cancel");
    assert!(fx.is_empty());
    assert!(s.status.error().unwrap().contains("没有进行中的传输"));
    // The failed command keeps its line open: Esc closes it.
    key(&mut s, KeyCode::Esc);
    for id in 1..=2 {
        arrive(
            &mut s,
            id,
            json!({"type": "file", "data": {"file": format!("{id}.bin"), "file_id": format!("/{id}")}}),
        );
        type_text(&mut s, "s");
    }
    let ids: Vec<u64> = s.transfers.active.iter().map(|t| t.id).collect();
    let fx = command(&mut s, "cancel");
    assert_eq!(fx, [Effect::CancelTransfer(ids[1])]);
    let fx = command(&mut s, "cancel all");
    assert_eq!(
        fx,
        [
            Effect::CancelTransfer(ids[0]),
            Effect::CancelTransfer(ids[1])
        ]
    );
    update(
        &mut s,
        Msg::Transfer(TransferEvent::Failed {
            id: ids[0],
            reason: "已取消".into(),
        }),
    );
    assert!(s.status.error().unwrap().contains("已取消"));
    assert_eq!(s.transfers.active.len(), 1);
}

/// An empty folder's answer asks nothing more (it used to ask again at once, for ever, the
/// client spinning on the folder); a listing a few seconds old is asked for again on the next
/// keystroke, the old entries shown until the new ones come.
#[test]
fn an_empty_folder_is_listed_once_and_an_old_listing_again() {
    let mut s = in_group(Role::Member);
    s.focus = Pane::Composer;
    s.now = 1_000;
    let fx = type_text(&mut s, "/upload ~/empty/");
    assert!(fx.contains(&Effect::ListDir("~/empty/".into())), "{fx:?}");
    let fx = update(
        &mut s,
        Msg::Listed {
            dir: "~/empty/".into(),
            entries: vec![],
        },
    );
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::ListDir(_))),
        "asked again: {fx:?}"
    );
    assert!(s.composer.completion.is_none());
    // Later a file was saved there: typing finds it.
    let fx = type_text(&mut s, "s");
    assert!(!fx.iter().any(|e| matches!(e, Effect::ListDir(_))), "fresh");
    s.now += napterm::app::completion::LISTING_FRESH;
    let fx = type_text(&mut s, "c");
    assert!(fx.contains(&Effect::ListDir("~/empty/".into())), "{fx:?}");
    update(
        &mut s,
        Msg::Listed {
            dir: "~/empty/".into(),
            entries: vec![("screenshot.png".into(), false)],
        },
    );
    let c = s.composer.completion.as_ref().expect("the new file");
    assert_eq!(c.items[0].label, "screenshot.png");
}

#[test]
fn upload_paths_complete_from_the_folder_the_runtime_lists() {
    let mut s = in_group(Role::Member);
    s.focus = Pane::Composer;
    let fx = type_text(&mut s, "/upload ~/Do");
    assert!(fx.contains(&Effect::ListDir("~/".into())), "{fx:?}");
    assert!(s.composer.completion.is_none(), "nothing to show yet");
    let fx = update(
        &mut s,
        Msg::Listed {
            dir: "~/".into(),
            entries: vec![
                ("Documents".into(), true),
                ("Downloads".into(), true),
                ("notes.txt".into(), false),
                (".hidden".into(), false),
            ],
        },
    );
    assert!(fx.is_empty());
    let labels: Vec<&str> = s
        .composer
        .completion
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|i| i.label.as_str())
        .collect();
    assert_eq!(labels, ["Documents/", "Downloads/"]);
    // Tab takes the folder and asks for its entries.
    let fx = key(&mut s, KeyCode::Tab);
    assert_eq!(s.composer.text(), "/upload ~/Documents/");
    assert!(
        fx.contains(&Effect::ListDir("~/Documents/".into())),
        "{fx:?}"
    );
    // An answer for a folder no longer typed is dropped.
    update(
        &mut s,
        Msg::Listed {
            dir: "~/".into(),
            entries: vec![("x".into(), false)],
        },
    );
    assert!(s.composer.completion.is_none());
    update(
        &mut s,
        Msg::Listed {
            dir: "~/Documents/".into(),
            entries: vec![("报告.pdf".into(), false)],
        },
    );
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.composer.text(), "/upload ~/Documents/报告.pdf");
    let fx = key(&mut s, KeyCode::Enter);
    let up = fx
        .iter()
        .find_map(|e| match e {
            Effect::Upload(j) => Some(j),
            _ => None,
        })
        .expect("an upload");
    assert_eq!(up.path, "~/Documents/报告.pdf");
    assert_eq!(
        up.target,
        UploadTarget::Group {
            group: G,
            folder: None
        }
    );
}

fn browser(s: &State) -> &FileBrowser {
    match &s.popup {
        Some(Popup::Files(b)) => b,
        other => panic!("{other:?}"),
    }
}

fn listing(uploader: i64) -> GroupFiles {
    let file: GroupFile = serde_json::from_value(json!({
        "group_id": G, "file_id": "/f1", "file_name": "a.txt", "busid": 102, "size": 10,
        "upload_time": NOW, "dead_time": 0, "modify_time": NOW, "download_times": 1,
        "uploader": uploader, "uploader_name": "x",
    }))
    .unwrap();
    GroupFiles {
        files: vec![file],
        folders: Vec::new(),
    }
}

#[test]
fn the_browser_refuses_locally_what_the_role_forbids() {
    for (me, uploader, allowed) in [
        (Role::Member, OTHER, false),
        (Role::Member, ME, true),
        (Role::Admin, OTHER, true),
    ] {
        let mut s = in_group(me);
        let fx = command(&mut s, "files");
        assert!(
            fx.iter()
                .any(|e| matches!(e, Effect::Call(napterm::app::Call::GroupFileList(_))))
        );
        update(
            &mut s,
            Msg::Reply(Reply::GroupFileList(
                GroupFileList {
                    group: G,
                    folder: None,
                },
                Ok(listing(uploader)),
            )),
        );
        assert_eq!(browser(&s).visible().len(), 1);
        let fx = type_text(&mut s, "d");
        assert!(fx.is_empty(), "asks first or refuses, never calls at once");
        assert_eq!(browser(&s).pending.is_some(), allowed, "{me:?} {uploader}");
        if !allowed {
            assert!(s.status.error().unwrap().contains("只能删除自己上传的文件"));
        } else {
            let fx = type_text(&mut s, "y");
            assert!(
                fx.iter()
                    .any(|e| matches!(e, Effect::Call(napterm::app::Call::DeleteGroupFile(_))))
            );
        }
        // New folders: owners and admins only.
        let fx = type_text(&mut s, "N");
        assert!(fx.is_empty());
        assert_eq!(browser(&s).field.is_some(), me.is_admin());
    }
}
