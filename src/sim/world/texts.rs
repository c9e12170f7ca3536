//! What people say: lines of chatter per group theme, private small talk, and a few special ones
//! (long URLs, multi-line text, emoji) that exercise wrapping.

use super::model::Theme;

/// Lines anyone may say anywhere.
pub const COMMON: &[&str] = &[
    "哈哈哈哈哈哈",
    "+1",
    "收到",
    "好的👌",
    "在吗",
    "确实",
    "6",
    "笑死我了😂",
    "有人吗？",
    "早上好☀️",
    "晚安🌙",
    "我也是这么想的",
    "？？？",
    "这个可以有",
    "谢谢大佬🙏",
    "马上到",
    "不是吧阿sir",
    "刚看到，抱歉",
    "[doge]",
    "今天好热啊🥵",
];

/// Lines that fit a group's theme.
pub fn themed(theme: Theme) -> &'static [&'static str] {
    match theme {
        Theme::Badminton => &[
            "周六还有人报名吗？目前 7 个人",
            "我带两桶球🏸",
            "场地订好了，3号和4号场",
            "上周的账我算了一下，每人 32",
            "新买的拍子到了，周末试试手感",
            "有没有人下周三晚上加场？",
            "膝盖有点疼，这周先请假了",
            "双打缺一个，谁来",
            "接龙：1. 张三丰 2. 阿飞 3.",
            "体育馆门口停车要收费了，大家注意",
        ],
        Theme::Class => &[
            "明天的实验报告几点截止？",
            "有人有操作系统第五章的课件吗",
            "班长，聚会定在哪天啊",
            "毕业这么多年了大家都还好吗",
            "我在杭州，有在杭州的同学吗",
            "老师退休了，我们要不要去看看",
            "群里好久没这么热闹了",
            "求一份当年的毕业照原图",
        ],
        Theme::Work => &[
            "这个需求今天能评审吗？",
            "测试环境又挂了，谁在部署？",
            "PR 提了，麻烦 review 一下",
            "线上告警，支付回调超时，正在排查",
            "下午两点的会改到三点",
            "设计稿更新了，看一下标注",
            "这个 bug 复现不了，能给个日志吗",
            "周报记得今天交哈",
            "灰度 10% 了，指标正常",
        ],
        Theme::Rust => &[
            "借用检查器又在教我做人",
            "有没有人用过 ratatui？体验怎么样",
            "tokio 和 async-std 选哪个",
            "cannot borrow `x` as mutable because it is also borrowed as immutable 这个怎么解",
            "生命周期标注看懵了",
            "Rust 1.9x 发布了，新特性挺香",
            "为什么我的 cargo build 这么慢",
            "serde 的 untagged enum 性能怎么样",
            "用 Arc<Mutex<T>> 是不是不够优雅",
            "编译通过的那一刻，感觉自己无所不能🦀",
            "求推荐 Rust 写的终端工具",
            "unsafe 不是坏东西，只是需要你自己保证不变量",
        ],
        Theme::Family => &[
            "今晚回家吃饭吗？",
            "天冷了多穿点衣服",
            "这是今天做的红烧肉，看看怎么样",
            "周末回老家看外婆",
            "转发：震惊！这种水果千万不能和牛奶一起吃",
            "收到，知道了",
            "小宝今天考试考了满分👍",
            "大家新年快乐！🧧",
        ],
        Theme::Game => &[
            "今天的树脂清了吗",
            "抽到了！！！90 发保底出金✨",
            "深渊 12 层怎么打，求配队",
            "兑换码：GENSHINGIFT 快冲",
            "新角色强度怎么样",
            "周本打了吗，带我一个",
            "又歪了，心态崩了",
        ],
        Theme::Neighbours => &[
            "请问 5 号楼电梯修好了吗？",
            "谁家的快递放错地方了，在我家门口",
            "楼下的车挡路了，车牌尾号 8866 麻烦挪一下",
            "物业：明天上午消杀，请关好窗户",
            "小区门口新开了一家面馆，挺好吃的",
            "有没有人拼团买水果",
            "晚上十点以后请不要装修，谢谢配合",
        ],
        Theme::Exam => &[
            "今日打卡：高数 3 小时，英语阅读 2 篇",
            "线代第四章好难啊",
            "有没有人一起去图书馆",
            "政治什么时候开始背比较好",
            "又是被数学支配的一天",
            "分享一个背单词的方法",
            "距离考研还有 120 天，加油！",
        ],
        Theme::Reading => &[
            "这本书第三章写得真好",
            "下个月读什么？投票吧",
            "推荐《置身事内》，讲地方财政的",
            "读书笔记发群文件了",
        ],
        Theme::Bench => &["bench warmup", "基准测试预热", "ready"],
    }
}

/// Private small talk.
pub const PRIVATE: &[&str] = &[
    "在干嘛呢",
    "周末有空吗？一起吃饭",
    "上次说的那个事怎么样了",
    "我到了，你在哪",
    "哈哈哈好的",
    "帮我看看这个",
    "生日快乐！🎂",
    "最近忙吗",
    "改天约",
    "你看群里了吗",
    "文件收到了，谢谢",
    "晚上打球吗",
];

/// Lines for the family chat with a parent.
pub const PARENT: &[&str] = &[
    "吃饭了没有",
    "钱够不够花",
    "天冷了，记得加衣服",
    "什么时候回家",
    "早点睡，别熬夜",
];

/// Long URLs (for wrapping and link handling).
pub const LINKS: &[&str] = &[
    "看这个 https://github.com/ratatui/ratatui/blob/main/examples/apps/demo2/src/app.rs#L42-L120 写得很清楚",
    "文档在这里：https://doc.rust-lang.org/std/collections/struct.HashMap.html#method.entry",
    "https://www.bilibili.com/video/BV1xx411c7mD?p=3&share_source=copy_web&vd_source=0123456789abcdef0123456789abcdef",
    "问卷链接 https://wj.qq.com/s2/12345678/9a0b/?utm_source=qq&utm_medium=group&utm_campaign=2026_reunion 请大家填一下",
];

/// Multi-line messages.
pub const MULTILINE: &[&str] = &[
    "本周安排：\n1. 周三 需求评审\n2. 周四 联调\n3. 周五 发布",
    "报名接龙：\n1. 风之子\n2. 阿飞\n3. 张三丰\n4. ",
    "fn main() {\n    println!(\"你好，世界\");\n}",
    "早\n今天也要加油\n💪",
];

/// Markdown messages.
pub const MARKDOWN: &[&str] = &[
    "**本周活动**\n- 时间：周六 14:00\n- 地点：体育馆 3 号场\n- 费用：AA\n\n> 新手友好，欢迎参加",
    "# 发布说明 v3.2\n- 修复登录偶现失败\n- 新增 `导出` 功能\n\n详见 [文档](https://example.com/docs)",
];

/// What people say when @-ing the account.
pub const TO_SELF: &[&str] = &[
    " 你周六来吗？",
    " 帮忙看一下这个问题",
    " 文件发你了",
    " 在吗在吗",
    " 你之前说的那个链接再发一下",
    " 谢谢！",
];

/// Replies to an earlier message.
pub const REPLIES: &[&str] = &[
    "同意",
    "这个我知道，稍等",
    "哈哈哈哈真的",
    "不对吧",
    "已解决，谢谢",
    "我也遇到了",
    "+1",
];

/// Names for market stickers (商城表情) as their summaries.
pub const STICKERS: &[&str] = &[
    "[摸头]", "[比心]", "[吃瓜]", "[大哭]", "[点赞]", "[震惊]", "[贴贴]",
];

/// File names people send in chats.
pub const FILES: &[(&str, i64)] = &[
    ("会议纪要-0612.docx", 48_120),
    ("照片合集.zip", 31_457_280),
    ("简历-2026.pdf", 402_113),
    ("数据统计.xlsx", 97_280),
];

/// Group renames the live stream cycles through.
pub const RENAMES: &[&str] = &["考研互助 2026（冲刺版）", "考研互助 2026", "考研上岸群🎓"];

/// Text fillers for flood messages: ~40 characters of mixed ASCII and CJK.
pub const FLOOD: &[&str] = &[
    "基准测试 bench message 终端渲染 throughput 你好世界 ok",
    "napterm 压力测试：快速滚动 scroll region test 中文混排",
    "flood line 消息洪水 latency check 延迟测量 12345 abc",
    "吞吐量 measure bytes/msg 每条消息字节数 ASCII+CJK 混合",
];
