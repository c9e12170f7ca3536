//! The cast: the account, its friends, the people it shares groups with, and the groups.
//!
//! Numbers and names are fixed (the same for every seed) so tests can look them up; the seed only
//! changes what people say. The account owns one group, administers two, and is a plain member of
//! the rest; the large group has a few hundred members for lazy member loading.

use crate::onebot::Role;

use super::model::{
    Category, Friend, Group, GroupFile, GroupFolder, GroupNotice, Invitation, Member, Person, Theme,
};
use super::rng::Rng;

/// The account's QQ number.
pub const SELF_ID: i64 = 10001;
/// The account's nickname.
pub const SELF_NICK: &str = "夜航船";

/// The group the account owns.
pub const GROUP_OWNED: i64 = 726354120;
/// A group the account administers.
pub const GROUP_ADMIN: i64 = 581204377;
/// A second group the account administers.
pub const GROUP_ADMIN_WORK: i64 = 455102398;
/// The large group (a few hundred members), where the account is a plain member.
pub const GROUP_LARGE: i64 = 930118265;
/// A small family group, plain member.
pub const GROUP_FAMILY: i64 = 614870032;
/// The group benchmarks flood.
pub const GROUP_BENCH: i64 = 100200300;
/// The group of the pending invitation.
pub const GROUP_INVITED: i64 = 778899001;

const DAY: i64 = 86_400;

/// Fixed seed for the cast, so every world has the same people.
const CAST_SEED: u64 = 0x00C0_FFEE;

/// Friend categories (分组).
pub const CATEGORIES: &[Category] = &[
    Category {
        id: 0,
        name: "我的好友",
    },
    Category {
        id: 1,
        name: "同学",
    },
    Category {
        id: 2,
        name: "同事",
    },
    Category {
        id: 3,
        name: "家人",
    },
];

/// (QQ, nickname, remark, category)
const FRIENDS: &[(i64, &str, &str, i64)] = &[
    (2233445566, "林小雨", "小雨", 1),
    (1398765432, "阿杰", "", 1),
    (2850193746, "🍊橘子汽水", "王思琪", 1),
    (3029384756, "苏苏", "", 1),
    (1596321478, "小胖", "胖虎", 1),
    (1122334455, "陈默", "陈哥", 2),
    (3344556677, "产品经理-周", "周婷（产品）", 2),
    (1789012345, "Leo", "李想", 2),
    (2019283746, "Kevin Wu", "吴凯文", 2),
    (2468013579, "老妈", "妈妈", 3),
    (1357924680, "老爸", "爸爸", 3),
    (3141592653, "π", "表妹", 3),
    (2718281828, "夜猫子", "", 0),
    (1618033988, "momo", "", 0),
    (1029384756, "张三丰", "羽毛球-张", 0),
    (1928374655, "不吃香菜", "", 0),
    (1470258369, "星河滚烫", "", 0),
    (2580147369, "路人甲", "", 0),
    (3692581470, "Rustacean🦀", "rust群-老K", 0),
    (1753159846, "晴天", "", 0),
];

/// Other people the account shares groups with.
const PEOPLE: &[&str] = &[
    "风之子",
    "一只咸鱼",
    "月半弯",
    "Alice",
    "清风徐来",
    "柠檬精本精",
    "阿飞",
    "糖醋排骨",
    "深夜食堂",
    "山海",
    "北岛",
    "南风知我意",
    "桃桃乌龙",
    "旺仔",
    "程序猿小王",
    "Tony老师",
    "隔壁老王",
    "小龙虾",
    "芒果布丁",
    "大白",
    "Zoe",
    "雨后彩虹",
    "追风少年",
    "鹿鸣",
    "白开水",
    "猫猫头",
    "木子李",
    "黄小鸭",
    "Echo",
    "静静",
    "Jason",
    "豆包",
    "小鱼干",
    "叶子",
    "熬夜冠军",
    "可乐加冰",
    "卷心菜",
    "一粒沙",
    "孤勇者",
    "七月",
    "蓝莓酱",
    "海绵宝宝",
    "派大星",
    "老K",
    "Ferris",
    "借过一下",
    "西瓜太郎",
    "青衫",
    "阿狸",
    "小确幸",
    "番茄炒蛋",
    "奶茶续命",
    "代码诗人",
    "十一",
    "春眠不觉晓",
    "橙子",
    "周末愉快",
    "晚风",
    "咕咕咕",
    "Mr.Li",
    "二舅",
    "三姑",
    "大伯",
    "小姨",
    "堂哥",
    "李阿姨",
    "物业-小刘",
    "楼下王大爷",
    "快递驿站",
];

/// Parts for the generated members of the large group.
const NAME_HEADS: &[&str] = &[
    "小",
    "阿",
    "老",
    "大",
    "萌萌",
    "酷酷",
    "快乐的",
    "安静的",
    "会飞的",
    "不睡觉的",
    "爱吃",
    "努力的",
    "迷路的",
    "认真的",
];
const NAME_TAILS: &[&str] = &[
    "螃蟹",
    "借用检查器",
    "生命周期",
    "编译器",
    "猫",
    "狐狸",
    "熊猫",
    "松鼠",
    "土豆",
    "橘子",
    "咖啡",
    "星星",
    "月亮",
    "鲸鱼",
    "企鹅",
    "兔子",
    "锈铁",
    "齿轮",
    "宏",
    "特征",
];
const HANDLES: &[&str] = &[
    "rustfan", "borrowck", "ferris", "cargo", "tokio", "serde", "async", "unsafe", "lifetime",
    "traitobj", "zerocost", "crab",
];

const LONG_NICKS: &[&str] = &[
    "今天也要加油鸭",
    "人间值得",
    "在？不在。",
    "慢慢来，比较快",
    "代码写完了吗",
    "周末去打球吗",
    "",
    "生活明朗，万物可爱",
    "考研人，勿扰",
    "🦀 fearless concurrency",
];

/// Special titles for a few members.
const TITLES: &[&str] = &[
    "羽球一哥",
    "课代表",
    "群宠",
    "Rust 布道师",
    "摸鱼达人",
    "肝帝",
    "热心群友",
];

/// Cards used for members who set one.
const CARD_STYLES: &[&str] = &["{n}-北京", "{n}（请假中）", "【萌新】{n}", "{n}", "{n}_{i}"];

/// One group's plan: number, name, theme, the account's role, member count, max, intro.
struct GroupPlan {
    id: i64,
    name: &'static str,
    theme: Theme,
    self_role: Role,
    members: usize,
    max: i64,
    intro: &'static str,
}

const GROUPS: &[GroupPlan] = &[
    GroupPlan {
        id: GROUP_OWNED,
        name: "周末羽毛球约起🏸",
        theme: Theme::Badminton,
        self_role: Role::Owner,
        members: 36,
        max: 200,
        intro: "每周六下午体育馆3号场，AA 制，新手友好",
    },
    GroupPlan {
        id: GROUP_ADMIN,
        name: "19级计算机3班",
        theme: Theme::Class,
        self_role: Role::Admin,
        members: 44,
        max: 500,
        intro: "班级通知群，请修改群名片为 学号-姓名",
    },
    GroupPlan {
        id: GROUP_ADMIN_WORK,
        name: "产品研发部",
        theme: Theme::Work,
        self_role: Role::Admin,
        members: 28,
        max: 500,
        intro: "工作沟通，非工作内容请移步摸鱼群",
    },
    GroupPlan {
        id: GROUP_LARGE,
        name: "Rust 中文社区",
        theme: Theme::Rust,
        self_role: Role::Member,
        members: 368,
        max: 2000,
        intro: "Rust 语言交流，提问前请先看 FAQ：https://rustcc.cn",
    },
    GroupPlan {
        id: GROUP_FAMILY,
        name: "相亲相爱一家人",
        theme: Theme::Family,
        self_role: Role::Member,
        members: 12,
        max: 200,
        intro: "",
    },
    GroupPlan {
        id: 802663519,
        name: "提瓦特冒险团",
        theme: Theme::Game,
        self_role: Role::Member,
        members: 48,
        max: 500,
        intro: "原神交流｜禁止发广告｜每日委托记得做",
    },
    GroupPlan {
        id: 337920154,
        name: "阳光花园二期业主群",
        theme: Theme::Neighbours,
        self_role: Role::Member,
        members: 60,
        max: 1000,
        intro: "业主交流群，请备注 楼号-房号",
    },
    GroupPlan {
        id: 249981706,
        name: "考研互助 2026",
        theme: Theme::Exam,
        self_role: Role::Member,
        members: 40,
        max: 500,
        intro: "资料共享，互相监督",
    },
    GroupPlan {
        id: GROUP_BENCH,
        name: "基准测试 bench",
        theme: Theme::Bench,
        self_role: Role::Member,
        members: 20,
        max: 200,
        intro: "napterm benchmark flood target",
    },
];

/// Everything the cast produces.
pub struct Cast {
    pub people: Vec<Person>,
    pub friends: Vec<Friend>,
    pub groups: Vec<Group>,
    pub invitation: Invitation,
}

/// Builds the cast; times are relative to `now`.
pub fn build(now: i64) -> Cast {
    let mut rng = Rng::new(CAST_SEED);
    let mut people = Vec::new();
    let self_person = Person {
        user_id: SELF_ID,
        nickname: SELF_NICK.into(),
        sex: "male",
        age: 26,
        qq_level: 48,
        long_nick: "在终端里聊 QQ".into(),
        reg_time: now - 11 * 365 * DAY,
        status: 10,
        is_vip: true,
    };
    people.push(self_person);
    for (uin, nick, _, _) in FRIENDS {
        people.push(person(&mut rng, *uin, nick, now));
    }
    for (i, nick) in PEOPLE.iter().enumerate() {
        let uin = 1_000_000_000 + (i as i64 * 48_611_423 + 7_734_001) % 2_900_000_000;
        people.push(person(&mut rng, uin, nick, now));
    }
    let friends = FRIENDS
        .iter()
        .map(|(uin, nick, remark, cat)| {
            let p = people.iter().find(|p| p.user_id == *uin);
            Friend {
                user_id: *uin,
                nickname: (*nick).into(),
                remark: (*remark).into(),
                category_id: *cat,
                sex: p.map(|p| p.sex).unwrap_or("unknown"),
                age: p.map(|p| p.age).unwrap_or(0),
                level: p.map(|p| p.qq_level).unwrap_or(1),
                birthday: (
                    2026 - p.map(|p| p.age).unwrap_or(20),
                    rng.range(1, 12),
                    rng.range(1, 28),
                ),
            }
        })
        .collect();

    let mut groups = Vec::new();
    for plan in GROUPS {
        groups.push(build_group(&mut rng, &mut people, plan, now));
    }
    let invitation = Invitation {
        flag: format!("{}386176", now - 3 * 3600),
        group: build_group(
            &mut rng,
            &mut people,
            &GroupPlan {
                id: GROUP_INVITED,
                name: "读书分享会📚",
                theme: Theme::Reading,
                self_role: Role::Member,
                members: 14,
                max: 200,
                intro: "每月共读一本书",
            },
            now,
        ),
    };
    Cast {
        people,
        friends,
        groups,
        invitation,
    }
}

/// A nickname in the style of the generated members (for newcomers in the live stream).
pub fn random_nickname(rng: &mut Rng) -> String {
    if rng.chance(35) {
        format!("{}_{}", rng.pick_str(HANDLES), rng.range(1, 9999))
    } else {
        format!("{}{}", rng.pick_str(NAME_HEADS), rng.pick_str(NAME_TAILS))
    }
}

/// A person with plausible profile data.
pub fn person(rng: &mut Rng, uin: i64, nick: &str, now: i64) -> Person {
    let sex = *rng
        .pick(&["male", "female", "female", "male", "unknown"])
        .unwrap_or(&"unknown");
    Person {
        user_id: uin,
        nickname: nick.into(),
        sex,
        age: rng.range(16, 58),
        qq_level: rng.range(3, 96),
        long_nick: rng.pick_str(LONG_NICKS).into(),
        reg_time: now - rng.range(2, 18) * 365 * DAY,
        status: *rng.pick(&[10, 10, 10, 30, 50, 60, 70, 20]).unwrap_or(&10),
        is_vip: rng.chance(25),
    }
}

/// Who is in which group: friends and named people by theme, then generated people.
fn roster_for(theme: Theme) -> (&'static [i64], &'static [&'static str]) {
    match theme {
        Theme::Badminton => (
            &[1029384756, 1398765432, 1618033988, 1753159846, 2718281828],
            &[
                "风之子",
                "阿飞",
                "追风少年",
                "糖醋排骨",
                "Alice",
                "大白",
                "橙子",
                "周末愉快",
            ],
        ),
        Theme::Class => (
            &[2233445566, 1398765432, 2850193746, 3029384756, 1596321478],
            &[
                "木子李",
                "静静",
                "Jason",
                "七月",
                "叶子",
                "熬夜冠军",
                "卷心菜",
                "十一",
            ],
        ),
        Theme::Work => (
            &[1122334455, 3344556677, 1789012345, 2019283746],
            &[
                "程序猿小王",
                "Tony老师",
                "Zoe",
                "代码诗人",
                "Echo",
                "奶茶续命",
            ],
        ),
        Theme::Rust => (
            &[3692581470, 1789012345, 2718281828],
            &[
                "老K",
                "Ferris",
                "程序猿小王",
                "一只咸鱼",
                "代码诗人",
                "借过一下",
                "青衫",
            ],
        ),
        Theme::Family => (
            &[2468013579, 1357924680, 3141592653],
            &["二舅", "三姑", "大伯", "小姨", "堂哥"],
        ),
        Theme::Game => (
            &[1618033988, 1928374655, 1470258369],
            &["派大星", "海绵宝宝", "阿狸", "蓝莓酱", "孤勇者", "猫猫头"],
        ),
        Theme::Neighbours => (
            &[2580147369],
            &[
                "物业-小刘",
                "楼下王大爷",
                "快递驿站",
                "李阿姨",
                "隔壁老王",
                "白开水",
            ],
        ),
        Theme::Exam => (
            &[3029384756, 1928374655],
            &["春眠不觉晓", "小确幸", "一粒沙", "桃桃乌龙", "鹿鸣"],
        ),
        Theme::Reading => (&[1753159846], &["青衫", "南风知我意", "山海", "北岛"]),
        Theme::Bench => (&[], &["Mr.Li", "咕咕咕", "晚风"]),
    }
}

fn build_group(rng: &mut Rng, people: &mut Vec<Person>, plan: &GroupPlan, now: i64) -> Group {
    let create_time = now - rng.range(400, 2400) * DAY;
    let (friend_ids, named) = roster_for(plan.theme);
    let mut ids: Vec<i64> = Vec::new();
    ids.extend_from_slice(friend_ids);
    for nick in named {
        if let Some(p) = people.iter().find(|p| p.nickname == *nick) {
            ids.push(p.user_id);
        }
    }
    // Fill up with everyone else in a shuffled but fixed order, then generated people.
    let mut others: Vec<i64> = people
        .iter()
        .map(|p| p.user_id)
        .filter(|u| *u != SELF_ID && !ids.contains(u))
        .collect();
    for i in (1..others.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        others.swap(i, j);
    }
    let want = plan.members.saturating_sub(1);
    let mut serial = 0i64;
    while ids.len() < want {
        if let Some(u) = others
            .pop()
            .filter(|_| plan.theme != Theme::Rust || rng.chance(30))
        {
            ids.push(u);
            continue;
        }
        serial += 1;
        let uin = 1_100_000_000 + plan.id % 1000 * 1_000_000 + serial * 7_919;
        let nick = random_nickname(rng);
        let p = person(rng, uin, &nick, now);
        people.push(p);
        ids.push(uin);
    }

    let mut members = Vec::new();
    let mut self_member = member_from(rng, people, SELF_ID, create_time, now);
    self_member.role = plan.self_role;
    if plan.self_role == Role::Owner {
        self_member.join_time = create_time;
    }
    members.push(self_member);
    let admins = if plan.members > 100 { 4 } else { 2 };
    for (i, uin) in ids.iter().enumerate() {
        let mut m = member_from(rng, people, *uin, create_time, now);
        m.role = match (plan.self_role, i) {
            (Role::Owner, n) if n < admins => Role::Admin,
            (Role::Owner, _) => Role::Member,
            (_, 0) => Role::Owner,
            (_, n) if n <= admins => Role::Admin,
            _ => Role::Member,
        };
        if m.role == Role::Owner {
            m.join_time = create_time;
        }
        members.push(m);
    }
    if plan.theme == Theme::Rust {
        members.push(Member {
            user_id: 2854196310,
            nickname: "Q群管家".into(),
            card: String::new(),
            sex: "unknown",
            age: 0,
            level: 1,
            qq_level: 0,
            join_time: create_time + DAY,
            last_sent_time: now - 2 * DAY,
            role: Role::Member,
            title: String::new(),
            shut_up_timestamp: 0,
            is_robot: true,
        });
    }
    // A few titles and two muted members in every group with more than a handful of people.
    let n = members.len();
    if n > 8 {
        for k in 0..2 {
            let idx = 3 + k * 3;
            if let Some(m) = members.get_mut(idx) {
                m.title = rng.pick_str(TITLES).into();
            }
        }
        for idx in [n - 2, n - 4] {
            if let Some(m) = members.get_mut(idx).filter(|m| m.role == Role::Member) {
                m.shut_up_timestamp = now + rng.range(600, 3 * DAY);
            }
        }
    }

    let mut group = Group {
        group_id: plan.id,
        name: plan.name.into(),
        remark: String::new(),
        max_member_count: plan.max,
        all_shut: false,
        create_time,
        theme: plan.theme,
        members,
        notices: Vec::new(),
        essence: Vec::new(),
        files: Vec::new(),
        folders: Vec::new(),
        at_all_remain: if plan.self_role == Role::Member {
            0
        } else {
            10
        },
        intro: plan.intro.into(),
    };
    seed_notices(rng, &mut group, now);
    seed_files(rng, &mut group, now);
    group
}

fn member_from(rng: &mut Rng, people: &[Person], uin: i64, create: i64, now: i64) -> Member {
    let p = people.iter().find(|p| p.user_id == uin);
    let nickname = p
        .map(|p| p.nickname.clone())
        .unwrap_or_else(|| uin.to_string());
    let card = if uin != SELF_ID && rng.chance(45) {
        let style = rng.pick_str(CARD_STYLES);
        style
            .replace("{n}", &nickname)
            .replace("{i}", &rng.range(10, 99).to_string())
    } else {
        String::new()
    };
    let join_time = rng.range(create, now - 5 * DAY);
    Member {
        user_id: uin,
        nickname,
        card,
        sex: p.map(|p| p.sex).unwrap_or("unknown"),
        age: p.map(|p| p.age).unwrap_or(0),
        level: rng.range(1, 100),
        qq_level: p.map(|p| p.qq_level).unwrap_or(0),
        join_time,
        last_sent_time: rng.range(join_time, now - 6 * DAY),
        role: Role::Member,
        title: String::new(),
        shut_up_timestamp: 0,
        is_robot: false,
    }
}

/// Announcements: a pinned one with an image, a plain one.
fn seed_notices(rng: &mut Rng, g: &mut Group, now: i64) {
    let authors: Vec<i64> = g
        .members
        .iter()
        .filter(|m| m.role.is_admin())
        .map(|m| m.user_id)
        .collect();
    let texts: &[&str] = match g.theme {
        Theme::Badminton => &[
            "本周六 14:00-17:00 体育馆3号场，报名请接龙，费用 AA，每人 30 元。",
            "新人请先看群文件《入群须知》，球拍可以借，鞋子请自备🏸",
        ],
        Theme::Class => &[
            "【重要】毕业十周年聚会意向统计，请在周五前填写问卷：https://wj.qq.com/s2/1234567/abcd",
            "请大家把群名片改成 学号-姓名，方便联系。",
        ],
        Theme::Work => &[
            "v3.2 版本将于下周三发布，请各模块负责人周一前完成自测并更新文档。",
            "本周五下午 3 点全员周会，地点 A 座 502。",
        ],
        Theme::Rust => &[
            "提问请附上最小可复现代码和完整报错，善用 https://play.rust-lang.org",
            "Rust China Conf 2026 讲师招募中，欢迎投稿！",
        ],
        Theme::Neighbours => &[
            "【停水通知】本周四 9:00-15:00 二期 5-8 号楼停水检修，请提前储水。",
            "快递柜已搬至 3 号楼东侧，请知悉。",
        ],
        Theme::Exam => &["每日打卡：早上 7 点前在群里发学习计划，坚持就是胜利！"],
        Theme::Game => &["4.x 版本前瞻直播周五晚 8 点，兑换码出了第一时间发群里。"],
        Theme::Reading => &["本月共读《置身事内》，月底线上分享。"],
        Theme::Family | Theme::Bench => &[],
    };
    for (i, text) in texts.iter().enumerate() {
        let sender = *rng.pick(&authors).unwrap_or(&SELF_ID);
        let images = if i == 0 {
            vec![(rng.hex(32).to_uppercase(), 720, 1280)]
        } else {
            Vec::new()
        };
        g.notices.push(GroupNotice {
            notice_id: format!("{}{}", rng.hex(24), rng.range(1000, 9999)),
            sender_id: sender,
            publish_time: now - rng.range(2, 40) * DAY,
            text: (*text).into(),
            images,
            pinned: i == 0,
            confirm_required: i == 0,
            show_edit_card: i == 1,
            tip_window_type: 0,
            read_num: rng.range(3, g.members.len() as i64),
        });
    }
}

/// Group files: a folder or two and a handful of files.
fn seed_files(rng: &mut Rng, g: &mut Group, now: i64) {
    let (folders, files): (&[&str], &[(&str, i64)]) = match g.theme {
        Theme::Badminton => (
            &["活动照片"],
            &[
                ("入群须知.docx", 24_576),
                ("2025年度账目.xlsx", 18_944),
                ("IMG_20250601.jpg", 2_318_112),
            ],
        ),
        Theme::Class => (
            &["课件", "毕业照"],
            &[
                ("期末复习资料.pdf", 3_214_743),
                ("通讯录.xlsx", 31_232),
                ("操作系统课件第5章.pptx", 8_912_384),
            ],
        ),
        Theme::Work => (
            &["需求文档", "设计稿"],
            &[
                ("PRD-v3.2.pdf", 1_904_211),
                ("接口文档.md", 48_102),
                ("周报模板.docx", 20_480),
            ],
        ),
        Theme::Rust => (
            &["电子书"],
            &[
                ("Rust程序设计语言.pdf", 12_582_912),
                ("async-book.epub", 2_097_152),
                ("rustlings-answers.zip", 314_743),
            ],
        ),
        Theme::Neighbours => (
            &[],
            &[("业主公约.pdf", 402_113), ("装修申请表.doc", 35_840)],
        ),
        Theme::Exam => (
            &["真题"],
            &[
                ("2025考研数学一真题.pdf", 5_242_880),
                ("英语作文模板.docx", 61_440),
            ],
        ),
        Theme::Game => (&[], &[("圣遗物速查表.png", 1_048_576)]),
        Theme::Family => (&[], &[("全家福.jpg", 4_194_304)]),
        Theme::Reading | Theme::Bench => (&[], &[]),
    };
    let people: Vec<(i64, String)> = g
        .members
        .iter()
        .take(12)
        .map(|m| (m.user_id, m.display_name().to_string()))
        .collect();
    let fallback = (SELF_ID, SELF_NICK.to_string());
    for name in folders {
        let (creator, creator_name) = rng.pick(&people).unwrap_or(&fallback).clone();
        g.folders.push(GroupFolder {
            folder_id: format!("/{}", rng.uuid()),
            name: (*name).into(),
            create_time: now - rng.range(30, 300) * DAY,
            creator,
            creator_name,
        });
    }
    for (i, (name, size)) in files.iter().enumerate() {
        let (uploader, uploader_name) = rng.pick(&people).unwrap_or(&fallback).clone();
        // The last file of a group with folders lives in its first folder.
        let folder_id = (i + 1 == files.len() && !g.folders.is_empty())
            .then(|| g.folders.first().map(|f| f.folder_id.clone()))
            .flatten();
        g.files.push(GroupFile {
            file_id: format!("/{}", rng.uuid()),
            name: (*name).into(),
            size: *size,
            busid: 102,
            upload_time: now - rng.range(1, 200) * DAY,
            download_times: rng.range(0, 40),
            uploader,
            uploader_name,
            folder_id,
        });
    }
    // A couple of extra files inside the other folders.
    for (k, folder) in g.folders.iter().enumerate().skip(1) {
        let (uploader, uploader_name) = rng.pick(&people).unwrap_or(&fallback).clone();
        g.files.push(GroupFile {
            file_id: format!("/{}", rng.uuid()),
            name: format!("{}-{}.zip", folder.name, k),
            size: rng.range(100_000, 50_000_000),
            busid: 102,
            upload_time: now - rng.range(1, 200) * DAY,
            download_times: rng.range(0, 40),
            uploader,
            uploader_name,
            folder_id: Some(folder.folder_id.clone()),
        });
    }
}

// ----- the big account (`napterm sim --big`) -----

/// The big account's 3,000-member group.
pub const GROUP_HUGE: i64 = 880000001;
/// The big account's 2,000-member group.
pub const GROUP_HUGE_2: i64 = 880000002;
/// Friends of the big account.
pub const BIG_FRIENDS: usize = 2_000;
/// Groups of the big account (the two huge ones included).
pub const BIG_GROUPS: usize = 500;
/// Chats with history (the recent-chat list) of the big account.
pub const BIG_RECENT: usize = 300;

/// One of the big account's generated groups (not the huge ones, not the small cast's).
pub fn is_generated_group(id: i64) -> bool {
    (800_000_000..GROUP_HUGE).contains(&id)
}

/// The big account's 20 friend categories (the first four are the small account's).
pub const BIG_CATEGORIES: &[Category] = &[
    Category {
        id: 0,
        name: "我的好友",
    },
    Category {
        id: 1,
        name: "同学",
    },
    Category {
        id: 2,
        name: "同事",
    },
    Category {
        id: 3,
        name: "家人",
    },
    Category {
        id: 4,
        name: "高中同学",
    },
    Category {
        id: 5,
        name: "大学室友",
    },
    Category {
        id: 6,
        name: "前同事",
    },
    Category {
        id: 7,
        name: "羽毛球",
    },
    Category {
        id: 8,
        name: "游戏开黑",
    },
    Category {
        id: 9,
        name: "开源社区",
    },
    Category {
        id: 10,
        name: "邻居",
    },
    Category {
        id: 11,
        name: "客户",
    },
    Category {
        id: 12,
        name: "老乡",
    },
    Category {
        id: 13,
        name: "考研",
    },
    Category {
        id: 14,
        name: "读书会",
    },
    Category {
        id: 15,
        name: "摄影",
    },
    Category {
        id: 16,
        name: "跑步",
    },
    Category {
        id: 17,
        name: "二手交易",
    },
    Category {
        id: 18,
        name: "网友",
    },
    Category {
        id: 19,
        name: "黑名单预备",
    },
];

const BIG_GROUP_HEADS: &[&str] = &[
    "周末", "技术", "同城", "吃货", "考研", "摄影", "跑团", "追剧", "宠物", "二手", "育儿", "游戏",
];
const BIG_GROUP_TAILS: &[&str] = &[
    "交流群",
    "互助群",
    "小分队",
    "俱乐部",
    "大本营",
    "闲聊群",
    "吹水群",
    "联盟",
];
const BIG_THEMES: &[Theme] = &[
    Theme::Badminton,
    Theme::Class,
    Theme::Work,
    Theme::Rust,
    Theme::Family,
    Theme::Game,
    Theme::Neighbours,
    Theme::Exam,
    Theme::Reading,
];

/// The cast of a big account, as a real QQ user has it: the small cast, grown to
/// `BIG_FRIENDS` friends in 20 categories and `BIG_GROUPS` groups, two of them of 3,000 and
/// 2,000 members. The same for every seed.
pub fn build_big(now: i64) -> Cast {
    let mut cast = build(now);
    let mut rng = Rng::new(CAST_SEED ^ 0xB16);
    let mut serial = 0i64;
    while cast.friends.len() < BIG_FRIENDS {
        serial += 1;
        let uin = 1_500_000_000 + serial * 104_729;
        let nick = random_nickname(&mut rng);
        let p = person(&mut rng, uin, &nick, now);
        let remark = if rng.chance(30) {
            format!("{}{}", rng.pick_str(NAME_HEADS), rng.pick_str(NAME_TAILS))
        } else {
            String::new()
        };
        cast.friends.push(Friend {
            user_id: uin,
            nickname: nick,
            remark,
            category_id: (serial % BIG_CATEGORIES.len() as i64),
            sex: p.sex,
            age: p.age,
            level: p.qq_level,
            birthday: (2026 - p.age, rng.range(1, 12), rng.range(1, 28)),
        });
        cast.people.push(p);
    }
    let huge = [
        // A Rust group has the QQ robot besides its people.
        (GROUP_HUGE, "全国 Rust 爱好者总群", 2_999usize, Theme::Rust),
        (
            GROUP_HUGE_2,
            "同城二手交易 & 闲聊",
            2_000,
            Theme::Neighbours,
        ),
    ];
    for (id, name, members, theme) in huge {
        let plan = GroupPlan {
            id,
            name,
            theme,
            self_role: Role::Member,
            members,
            max: 3_000,
            intro: "大群：发言前请看群公告",
        };
        cast.groups
            .push(build_group(&mut rng, &mut cast.people, &plan, now));
    }
    let mut k = 0usize;
    while cast.groups.len() < BIG_GROUPS {
        k += 1;
        let theme = BIG_THEMES[k % BIG_THEMES.len()];
        let plan = GroupPlan {
            id: 800_000_000 + k as i64 * 7_919,
            name: "",
            theme,
            self_role: if k.is_multiple_of(17) {
                Role::Admin
            } else {
                Role::Member
            },
            members: 8 + (k * 37) % 60,
            max: 500,
            intro: "",
        };
        let mut g = build_group(&mut rng, &mut cast.people, &plan, now);
        g.name = format!(
            "{}{}{}",
            BIG_GROUP_HEADS[k % BIG_GROUP_HEADS.len()],
            BIG_GROUP_TAILS[(k / BIG_GROUP_HEADS.len()) % BIG_GROUP_TAILS.len()],
            k
        );
        cast.groups.push(g);
    }
    cast
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_roles_vary_across_groups() {
        let cast = build(1_770_000_000);
        let role = |g: i64| {
            cast.groups
                .iter()
                .find(|x| x.group_id == g)
                .and_then(|x| x.member(SELF_ID))
                .map(|m| m.role)
        };
        assert_eq!(role(GROUP_OWNED), Some(Role::Owner));
        assert_eq!(role(GROUP_ADMIN), Some(Role::Admin));
        assert_eq!(role(GROUP_LARGE), Some(Role::Member));
        assert_eq!(cast.friends.len(), 20);
        assert!((8..=10).contains(&cast.groups.len()));
    }

    #[test]
    fn every_group_has_one_owner_and_admins() {
        let cast = build(1_770_000_000);
        for g in &cast.groups {
            let owners = g.members.iter().filter(|m| m.role == Role::Owner).count();
            assert_eq!(owners, 1, "{}", g.name);
            assert!(
                g.members.iter().any(|m| m.role == Role::Admin),
                "{}",
                g.name
            );
            let mut ids: Vec<i64> = g.members.iter().map(|m| m.user_id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), g.members.len(), "duplicate member in {}", g.name);
        }
        let large = cast
            .groups
            .iter()
            .find(|g| g.group_id == GROUP_LARGE)
            .unwrap();
        assert!(large.members.len() > 300);
        let mut uins: Vec<i64> = cast.people.iter().map(|p| p.user_id).collect();
        let n = uins.len();
        uins.sort_unstable();
        uins.dedup();
        assert_eq!(uins.len(), n, "two people share a QQ number");
    }
}
