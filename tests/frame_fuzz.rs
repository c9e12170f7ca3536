//! Property tests: no input makes the frame parser, the CQ parser or the CQ encoder panic, and CQ
//! encoding round-trips text full of the characters it has to escape.
//!
//! `PROPTEST_CASES=20000 cargo test --release --test frame_fuzz` runs a longer campaign.

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{Map, Value};

use napterm::onebot::cq;
use napterm::onebot::{Event, Frame, MessageChain, Segment, parse_frame};

/// The fixture payloads, parsed, as seeds for mutation.
fn fixtures() -> &'static [Value] {
    static CELL: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    })
}

/// Runs every entry point on one frame text; any panic fails the property.
fn exercise(text: &str) {
    if let Ok(Frame::Event(Event::Message(m))) = parse_frame(text) {
        // Whatever parsed must also encode and render.
        let _ = m.message.to_cq();
        let _ = m.message.plain_text();
        let _ = m.peer();
        let _ = serde_json::to_string(&m);
    }
    if let Ok(Frame::Event(e)) = parse_frame(text) {
        let _ = e.to_json();
    }
    let _ = serde_json::from_str::<MessageChain>(text);
    let chain = MessageChain::from_cq(text);
    let _ = cq::encode(chain.segments());
    let _ = chain.plain_text();
}

/// Arbitrary JSON, with keys biased towards the ones the parser routes on.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        3 => prop::sample::select(vec![
            "post_type", "message_type", "notice_type", "sub_type", "request_type",
            "meta_event_type", "message", "raw_message", "type", "data", "retcode", "status",
            "echo", "stream", "user_id", "group_id", "message_id", "sender", "likes", "file",
            "raw_info", "interval", "content", "qq", "id", "text", "result", "time", "self_id",
        ])
        .prop_map(str::to_string),
        1 => ".{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            "message",
            "message_sent",
            "notice",
            "request",
            "meta_event",
            "group",
            "private",
            "text",
            "at",
            "face",
            "image",
            "forward",
            "node",
            "reply",
            "json",
            "poke",
            "notify",
            "group_ban",
            "lifecycle",
            "heartbeat",
            "all",
            "ok",
            "failed",
            "stream-action",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        ".{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// One way of damaging a JSON document.
#[derive(Debug, Clone)]
enum Mutation {
    Delete,
    SwapType,
    HugeString,
    ControlChars,
    Graft(Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Delete),
        Just(Mutation::SwapType),
        Just(Mutation::HugeString),
        Just(Mutation::ControlChars),
        json_value().prop_map(Mutation::Graft),
    ]
}

/// Every path to a node of `v` (object keys and array indices).
fn paths(v: &Value, here: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(here.clone());
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                here.push(PathStep::Key(k.clone()));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                here.push(PathStep::Index(i));
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node_at<'a>(v: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match (step, cur) {
            (PathStep::Key(k), Value::Object(o)) => o.get_mut(k)?,
            (PathStep::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn apply(doc: &mut Value, path: &[PathStep], m: &Mutation) {
    if let (Mutation::Delete, Some((last, parent))) = (m, path.split_last()) {
        match (node_at(doc, parent), last) {
            (Some(Value::Object(o)), PathStep::Key(k)) => {
                o.remove(k);
            }
            (Some(Value::Array(a)), PathStep::Index(i)) if *i < a.len() => {
                a.remove(*i);
            }
            _ => {}
        }
        return;
    }
    let Some(node) = node_at(doc, path) else {
        return;
    };
    *node = match (m, &*node) {
        (Mutation::SwapType, Value::String(s)) => s
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or(Value::Bool(true)),
        (Mutation::SwapType, Value::Number(n)) => Value::String(n.to_string()),
        (Mutation::SwapType, Value::Object(o)) => Value::Array(o.values().cloned().collect()),
        (Mutation::SwapType, Value::Array(a)) => Value::String(format!("{a:?}")),
        (Mutation::SwapType, Value::Bool(_)) => Value::Null,
        (Mutation::SwapType, Value::Null) => Value::Object(Map::new()),
        (Mutation::HugeString, _) => Value::String("[CQ:face,id=1]&#91;数".repeat(4_000)),
        (Mutation::ControlChars, _) => {
            Value::String("\u{0}\u{1b}[2J\u{7}\u{9b}\u{202e}\r\n\t\u{feff}x".into())
        }
        (Mutation::Graft(g), _) => g.clone(),
        (Mutation::Delete, _) => return,
    };
}

/// Text made of the characters CQ escaping is about, plus some CJK and emoji.
fn cq_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "[", "]", ",", "&", "#", ";", "=", "CQ:", "[CQ:", "&amp;", "&#91;", "&#93;", "&#44;",
            "a", " ", "你好", "😀", "\n", "face", "id=1",
        ]),
        1..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        exercise(&s);
    }

    #[test]
    fn cq_like_strings_never_panic(s in "[\\[\\]CQ:,=&#;a-z0-9 .\u{4f60}]{0,64}") {
        exercise(&s);
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value()) {
        exercise(&v.to_string());
    }

    #[test]
    fn mutated_fixtures_never_panic(
        pick in any::<prop::sample::Index>(),
        where_ in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
        ms in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut doc = pick.get(fixtures()).clone();
        for (w, m) in where_.iter().zip(&ms) {
            let mut all = Vec::new();
            paths(&doc, &mut Vec::new(), &mut all);
            if let Some(path) = all.get(w.index(all.len().max(1))) {
                let path = path.clone();
                apply(&mut doc, &path, m);
            }
        }
        exercise(&doc.to_string());
    }

    #[test]
    fn fixtures_with_flipped_bytes_never_panic(
        pick in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let text = pick.get(fixtures()).to_string();
        let mut bytes = text.into_bytes();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let cut = cut.index(bytes.len() + 1);
        exercise(&String::from_utf8_lossy(&bytes));
        exercise(&String::from_utf8_lossy(&bytes[..cut]));
    }

    #[test]
    fn text_round_trips_through_cq(s in cq_text()) {
        let chain = MessageChain::new().push(Segment::text(s.clone()));
        let encoded = chain.to_cq();
        prop_assert!(!encoded.contains('['), "unescaped bracket in {:?}", encoded);
        prop_assert_eq!(MessageChain::from_cq(&encoded).0, vec![Segment::text(s)]);
    }

    #[test]
    fn values_round_trip_through_cq(data in cq_text(), text in cq_text(), face in 0i64..400) {
        let chain = MessageChain::new()
            .push(Segment::text(text))
            .push(Segment::json(data))
            .push(Segment::face(face))
            .push(Segment::at(10001));
        let encoded = chain.to_cq();
        prop_assert_eq!(MessageChain::from_cq(&encoded), chain);
    }
}
