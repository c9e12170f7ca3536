//! Segments as NapCat delivers them: faces with their `raw` element, images with download URLs,
//! market stickers as images, voices, videos, files, and ark cards (links, mini-apps, contacts,
//! music, merged forwards).

use serde_json::{Map, Value, json};

use crate::onebot::segment::{Extra, FileData, ImageData, RecordData, VideoData};
use crate::onebot::{Segment, faces};

use super::rng::Rng;

/// A system face as received: the id plus QQNT's face element.
pub fn face(id: i64) -> Segment {
    let mut extra = Extra::new();
    let text = faces::name(id).map(|n| format!("/{n}")).unwrap_or_default();
    extra.insert(
        "raw".into(),
        json!({"faceIndex": id, "faceText": text, "faceType": if id < 222 { 1 } else { 2 }}),
    );
    extra.insert("chainCount".into(), 0.into());
    Segment::Face { id, extra }
}

/// Face ids people commonly use (all in the face table).
pub const COMMON_FACES: &[i64] = &[
    14, 76, 66, 124, 179, 277, 178, 5, 13, 4, 12, 21, 63, 99, 201,
];

fn nt_url(rng: &mut Rng, appid: u32) -> String {
    format!(
        "https://multimedia.nt.qq.com.cn/download?appid={appid}&fileid={}&rkey=CAQSKAB6JWENi5LM{}&spec=0",
        rng.token(44),
        rng.token(40)
    )
}

/// A photo (`sub_type` 0, empty summary).
pub fn photo(rng: &mut Rng, private: bool) -> Segment {
    let file = format!("{}.jpg", rng.hex(32).to_uppercase());
    let size = rng_size(rng, 60_000, 3_500_000);
    photo_named(rng, file, size, None, 0, private)
}

/// An animated custom sticker (`sub_type` 1, summary `[动画表情]`).
pub fn sticker(rng: &mut Rng, private: bool) -> Segment {
    let file = format!("{}.gif", rng.hex(32).to_uppercase());
    let size = rng_size(rng, 8_000, 900_000);
    photo_named(rng, file, size, Some("[动画表情]".into()), 1, private)
}

fn rng_size(rng: &mut Rng, lo: i64, hi: i64) -> u64 {
    rng.range(lo, hi).max(1) as u64
}

/// An image with a chosen file name, size, summary and sub type.
pub fn photo_named(
    rng: &mut Rng,
    file: String,
    size: u64,
    summary: Option<String>,
    sub_type: i64,
    private: bool,
) -> Segment {
    Segment::Image(Box::new(ImageData {
        file,
        url: Some(nt_url(rng, if private { 1406 } else { 1407 })),
        summary: Some(summary.unwrap_or_default()),
        sub_type: Some(sub_type),
        file_size: Some(size),
        emoji_id: None,
        emoji_package_id: None,
        key: None,
        extra: Extra::new(),
    }))
}

/// A market sticker (商城表情) as NapCat delivers it: an `image` with emoji fields.
pub fn market_sticker(emoji_id: &str, package_id: i64, key: &str, summary: &str) -> Segment {
    let dir: String = emoji_id.chars().take(2).collect();
    Segment::Image(Box::new(ImageData {
        file: format!("{dir}-{emoji_id}.gif"),
        url: Some(format!(
            "https://gxh.vip.qq.com/club/item/parcel/item/{dir}/{emoji_id}/raw300.gif"
        )),
        summary: Some(summary.to_string()),
        sub_type: None,
        file_size: None,
        emoji_id: Some(emoji_id.to_string()),
        emoji_package_id: Some(package_id),
        key: Some(key.to_string()),
        extra: Extra::new(),
    }))
}

/// A random market sticker with one of the given summaries.
pub fn random_market_sticker(rng: &mut Rng, summary: &str) -> Segment {
    let id = rng.hex(32);
    let key = rng.hex(16);
    let package = rng.range(200_000, 250_000);
    market_sticker(&id, package, &key, summary)
}

/// A voice message.
pub fn record(rng: &mut Rng) -> Segment {
    let name = format!("{}.amr", rng.hex(32));
    Segment::Record(Box::new(RecordData {
        url: Some(format!("https://grouptalk.c2c.qq.com/{}", rng.token(48))),
        path: Some(format!(
            "/root/.config/QQ/nt_qq_{}/nt_data/Ptt/2026-01/Ori/{}",
            rng.hex(32),
            name
        )),
        file: name,
        file_size: Some(rng_size(rng, 3_000, 90_000)),
        extra: Extra::new(),
    }))
}

/// A video.
pub fn video(rng: &mut Rng, private: bool) -> Segment {
    Segment::Video(Box::new(VideoData {
        file: format!("{}.mp4", rng.hex(32)),
        url: Some(nt_url(rng, if private { 1413 } else { 1415 })),
        file_size: Some(rng_size(rng, 800_000, 60_000_000)),
        thumb: None,
        extra: Extra::new(),
    }))
}

/// A file message.
pub fn file(name: &str, size: u64, file_id: &str) -> Segment {
    Segment::File(Box::new(FileData {
        file: name.to_string(),
        file_id: Some(file_id.to_string()),
        file_size: Some(size),
        url: None,
        name: None,
        extra: Extra::new(),
    }))
}

/// Dice with its result.
pub fn dice(result: u8) -> Segment {
    Segment::Dice {
        result: Some(result),
        extra: Extra::new(),
    }
}

/// Rock-paper-scissors with its result.
pub fn rps(result: u8) -> Segment {
    Segment::Rps {
        result: Some(result),
        extra: Extra::new(),
    }
}

/// The legacy poke segment (戳一戳 inside a message).
pub fn legacy_poke() -> Segment {
    Segment::Poke {
        kind: "1".into(),
        id: "-1".into(),
        extra: Extra::new(),
    }
}

/// An ark card segment from a JSON object.
pub fn ark(v: &Value) -> Segment {
    Segment::json(v.to_string())
}

/// A link card (图文分享).
pub fn link_card(title: &str, desc: &str, jump: &str, preview: &str, now: i64) -> Value {
    json!({
        "app": "com.tencent.tuwen.lua", "bizsrc": "", "view": "news", "ver": "0.0.0.1",
        "prompt": format!("[分享]{title}"),
        "meta": {"news": {"title": title, "desc": desc, "jumpUrl": jump, "preview": preview,
                          "tag": "哔哩哔哩", "tagIcon": "https://p.qpic.cn/qqconnect/0/app_100951776_1606358042/100"}},
        "config": {"ctime": now, "forward": 1, "type": "normal", "token": "00000000000000000000000000000000"},
    })
}

/// A mini-app card (QQ小程序).
pub fn miniapp_card(app: &str, title: &str, desc: &str, jump: &str, now: i64) -> Value {
    json!({
        "app": "com.tencent.miniapp_01", "view": "view_8C8E89B49BE609866298ADDFF2DBABA4",
        "ver": "1.0.0.19", "prompt": format!("[QQ小程序]{app}"),
        "meta": {"detail_1": {"appid": "1109937557", "title": app, "desc": desc,
                              "icon": "https://miniapp.gtimg.cn/public/appicon/51f90239b78a2e4994c11215f4c4ba15_200.jpg",
                              "preview": "pubminishare-30161.picsz.qpic.cn/example.jpg",
                              "url": "m.q.qq.com/a/s/0123456789abcdef", "scene": 1036,
                              "host": {"uin": 10001, "nick": "夜航船"},
                              "shareTemplateId": "8C8E89B49BE609866298ADDFF2DBABA4",
                              "qqdocurl": jump, "showLittleTail": "", "gamePoints": "",
                              "gamePointsUrl": "", "shareOrigin": 0}},
        "config": {"type": "normal", "width": 0, "height": 0, "forward": 1, "autoSize": 0,
                   "ctime": now, "token": "00000000000000000000000000000000"},
        "desc": title,
    })
}

/// A contact (推荐好友) or group (推荐群聊) card.
pub fn contact_card(kind: &str, id: i64, name: &str, now: i64) -> Value {
    let (app, tag, avatar) = if kind == "group" {
        (
            "com.tencent.troopsharecard",
            "推荐群聊",
            format!("https://p.qlogo.cn/gh/{id}/{id}/100"),
        )
    } else {
        (
            "com.tencent.contact.lua",
            "推荐好友",
            format!("https://q1.qlogo.cn/g?b=qq&nk={id}&s=640"),
        )
    };
    json!({
        "app": app, "view": "contact", "ver": "1.0.0.30",
        "prompt": format!("{tag}: {name}"),
        "meta": {"contact": {"avatar": avatar, "contact": format!("{}号: {id}", if kind == "group" {"群"} else {"QQ"}),
                             "jumpUrl": format!("https://qm.qq.com/q/{id}"), "nickname": name,
                             "tag": tag, "tagIcon": avatar}},
        "config": {"ctime": now, "forward": 1, "token": "00000000000000000000000000000000"},
    })
}

/// A music card (what NapCat sends after signing a `music` segment).
pub fn music_card(
    title: &str,
    singer: &str,
    jump: &str,
    audio: &str,
    image: &str,
    now: i64,
) -> Value {
    json!({
        "app": "com.tencent.music.lua", "view": "music", "ver": "0.0.0.1",
        "prompt": format!("[分享]{title}"),
        "meta": {"music": {"title": title, "desc": singer, "jumpUrl": jump, "musicUrl": audio,
                           "preview": image, "tag": "QQ音乐", "app_type": 1, "appid": 100497308}},
        "config": {"ctime": now, "forward": 1, "type": "normal", "token": "00000000000000000000000000000000"},
    })
}

/// The merged-forward card a sender sees in its own echo (`com.tencent.multimsg`).
pub fn multimsg_card(
    res_id: &str,
    uuid: &str,
    news: &[String],
    summary: &str,
    source: &str,
    prompt: &str,
    count: usize,
) -> Value {
    let news: Vec<Value> = news.iter().map(|t| json!({"text": t})).collect();
    let mut extra = Map::new();
    extra.insert("filename".into(), uuid.into());
    extra.insert("tsum".into(), count.into());
    json!({
        "app": "com.tencent.multimsg", "view": "contact", "ver": "0.0.0.5", "desc": "[聊天记录]",
        "prompt": prompt,
        "extra": Value::Object(extra).to_string(),
        "meta": {"detail": {"news": news, "resid": res_id, "source": source,
                            "summary": summary, "uniseq": uuid}},
        "config": {"autosize": 1, "forward": 1, "round": 1, "type": "normal", "width": 300},
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onebot::MessageChain;

    #[test]
    fn common_faces_are_all_in_the_table() {
        for id in COMMON_FACES {
            assert!(faces::by_id(*id).is_some(), "face {id}");
        }
    }

    #[test]
    fn market_stickers_render_by_summary_and_keep_their_ids() {
        let s = market_sticker(
            "3a181abe476219e7a04163eab80fa274",
            244959,
            "ea229eea083f3bbb",
            "[摸头]",
        );
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["data"]["emoji_package_id"], 244959);
        assert_eq!(v["data"]["file"], "3a-3a181abe476219e7a04163eab80fa274.gif");
        assert_eq!(MessageChain(vec![s]).plain_text(), "[摸头]");
    }

    #[test]
    fn cards_show_their_prompt() {
        let c = ark(&miniapp_card("哔哩哔哩", "t", "d", "https://b23.tv/x", 1));
        assert_eq!(MessageChain(vec![c]).plain_text(), "[QQ小程序]哔哩哔哩");
        let f = ark(&multimsg_card(
            "r",
            "u",
            &[],
            "查看2条转发消息",
            "群聊的聊天记录",
            "[聊天记录]",
            2,
        ));
        assert_eq!(MessageChain(vec![f]).plain_text(), "[聊天记录]");
    }
}
