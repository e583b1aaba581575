//! The standard catalogue and the working-day calendar, compiled into the binary so that
//! `gongkai init` can start a catalog anywhere. A test checks these lists match `catalog/`.

/// `standard/<domain-id>.toml` files: (domain id, content).
pub const STANDARD: [(&str, &str); 26] = [
    (
        "anquan-shengchan",
        include_str!("../../catalog/standard/anquan-shengchan.toml"),
    ),
    (
        "baozhangxing-zhufang",
        include_str!("../../catalog/standard/baozhangxing-zhufang.toml"),
    ),
    (
        "caizheng-yujuesuan",
        include_str!("../../catalog/standard/caizheng-yujuesuan.toml"),
    ),
    (
        "chengshi-zonghe-zhifa",
        include_str!("../../catalog/standard/chengshi-zonghe-zhifa.toml"),
    ),
    ("fupin", include_str!("../../catalog/standard/fupin.toml")),
    (
        "gonggong-falv-fuwu",
        include_str!("../../catalog/standard/gonggong-falv-fuwu.toml"),
    ),
    (
        "gonggong-wenhua-fuwu",
        include_str!("../../catalog/standard/gonggong-wenhua-fuwu.toml"),
    ),
    (
        "gonggong-ziyuan-jiaoyi",
        include_str!("../../catalog/standard/gonggong-ziyuan-jiaoyi.toml"),
    ),
    (
        "guotu-kongjian-guihua",
        include_str!("../../catalog/standard/guotu-kongjian-guihua.toml"),
    ),
    (
        "guoyou-tudi-fangwu-zhengshou",
        include_str!("../../catalog/standard/guoyou-tudi-fangwu-zhengshou.toml"),
    ),
    (
        "huanjing-baohu",
        include_str!("../../catalog/standard/huanjing-baohu.toml"),
    ),
    (
        "huji-guanli",
        include_str!("../../catalog/standard/huji-guanli.toml"),
    ),
    (
        "jiuye-chuangye",
        include_str!("../../catalog/standard/jiuye-chuangye.toml"),
    ),
    ("jiuzai", include_str!("../../catalog/standard/jiuzai.toml")),
    (
        "nongcun-weifang-gaizao",
        include_str!("../../catalog/standard/nongcun-weifang-gaizao.toml"),
    ),
    (
        "shehui-baoxian",
        include_str!("../../catalog/standard/shehui-baoxian.toml"),
    ),
    (
        "shehui-jiuzhu",
        include_str!("../../catalog/standard/shehui-jiuzhu.toml"),
    ),
    (
        "shenong-butie",
        include_str!("../../catalog/standard/shenong-butie.toml"),
    ),
    (
        "shipin-yaopin-jianguan",
        include_str!("../../catalog/standard/shipin-yaopin-jianguan.toml"),
    ),
    (
        "shizheng-fuwu",
        include_str!("../../catalog/standard/shizheng-fuwu.toml"),
    ),
    (
        "shuishou-guanli",
        include_str!("../../catalog/standard/shuishou-guanli.toml"),
    ),
    (
        "yanglao-fuwu",
        include_str!("../../catalog/standard/yanglao-fuwu.toml"),
    ),
    (
        "yiliao-weisheng",
        include_str!("../../catalog/standard/yiliao-weisheng.toml"),
    ),
    (
        "yiwu-jiaoyu",
        include_str!("../../catalog/standard/yiwu-jiaoyu.toml"),
    ),
    (
        "zhengdi-buchang",
        include_str!("../../catalog/standard/zhengdi-buchang.toml"),
    ),
    (
        "zhongda-jianshe-xiangmu",
        include_str!("../../catalog/standard/zhongda-jianshe-xiangmu.toml"),
    ),
];

/// `calendar/<year>.toml` files: (year, content).
pub const CALENDAR: [(&str, &str); 10] = [
    ("2017", include_str!("../../catalog/calendar/2017.toml")),
    ("2018", include_str!("../../catalog/calendar/2018.toml")),
    ("2019", include_str!("../../catalog/calendar/2019.toml")),
    ("2020", include_str!("../../catalog/calendar/2020.toml")),
    ("2021", include_str!("../../catalog/calendar/2021.toml")),
    ("2022", include_str!("../../catalog/calendar/2022.toml")),
    ("2023", include_str!("../../catalog/calendar/2023.toml")),
    ("2024", include_str!("../../catalog/calendar/2024.toml")),
    ("2025", include_str!("../../catalog/calendar/2025.toml")),
    ("2026", include_str!("../../catalog/calendar/2026.toml")),
];
