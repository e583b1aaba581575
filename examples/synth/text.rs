//! Realistic Chinese text for entries: titles, front matter, Markdown bodies (notices, penalty
//! decisions, licence results, service guides, lists, budgets, policy documents), GFM tables
//! and small attachments. Sentences come from template banks filled with the unit's and the
//! item's own names, so pages read like a real 专栏 without any real person or number in them
//! (names are masked as 张某某, phones are fixed lines, no long digit runs).

use crate::entries::EntrySpec;
use crate::names;
use crate::rng::Rng;
use crate::standard::{Domain, Item};
use crate::units::UnitSpec;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;

/// The office responsible for a domain.
#[derive(Debug, Clone, Copy)]
pub struct Dept {
    /// County department, after the county's name (民政局).
    pub county: &'static str,
    /// Short form in 文号 (民).
    pub abbr: &'static str,
    /// Township office (社会事务办公室).
    pub town: &'static str,
    /// 主题分类.
    pub topic: &'static str,
    /// The main law, for penalty decisions.
    pub law: &'static str,
}

const fn dept(
    county: &'static str,
    abbr: &'static str,
    town: &'static str,
    topic: &'static str,
    law: &'static str,
) -> Dept {
    Dept {
        county,
        abbr,
        town,
        topic,
        law,
    }
}

const URBAN: &str = "城乡建设、环境保护";
const CIVIL: &str = "民政、扶贫、救灾";
const SAFETY: &str = "公安、安全、司法";
const LABOUR: &str = "劳动、人事、监察";
const FINANCE: &str = "财政、金融、审计";
const FARM: &str = "农业、林业、水利";

/// Departments by domain id; unknown (local) domains fall back to the government office.
const DEPTS: [(&str, Dept); 26] = [
    (
        "anquan-shengchan",
        dept(
            "应急管理局",
            "应急",
            "应急管理办公室",
            SAFETY,
            "中华人民共和国安全生产法",
        ),
    ),
    (
        "baozhangxing-zhufang",
        dept(
            "住房和城乡建设局",
            "住建",
            "村镇建设办公室",
            URBAN,
            "公共租赁住房管理办法",
        ),
    ),
    (
        "caizheng-yujuesuan",
        dept("财政局", "财", "财政所", FINANCE, "中华人民共和国预算法"),
    ),
    (
        "chengshi-zonghe-zhifa",
        dept(
            "城市管理和综合执法局",
            "城管",
            "综合行政执法队",
            URBAN,
            "城市市容和环境卫生管理条例",
        ),
    ),
    (
        "fupin",
        dept(
            "乡村振兴局",
            "乡振",
            "农业农村办公室",
            CIVIL,
            "中华人民共和国乡村振兴促进法",
        ),
    ),
    (
        "gonggong-falv-fuwu",
        dept("司法局", "司", "司法所", SAFETY, "中华人民共和国律师法"),
    ),
    (
        "gonggong-wenhua-fuwu",
        dept(
            "文化广电旅游体育局",
            "文旅",
            "文化服务中心",
            "文化、广电、新闻出版",
            "娱乐场所管理条例",
        ),
    ),
    (
        "gonggong-ziyuan-jiaoyi",
        dept(
            "公共资源交易中心",
            "公资",
            "经济发展办公室",
            "综合政务",
            "中华人民共和国招标投标法",
        ),
    ),
    (
        "guotu-kongjian-guihua",
        dept(
            "自然资源局",
            "自然资",
            "村镇建设办公室",
            URBAN,
            "中华人民共和国城乡规划法",
        ),
    ),
    (
        "guoyou-tudi-fangwu-zhengshou",
        dept(
            "住房和城乡建设局",
            "住建",
            "村镇建设办公室",
            URBAN,
            "国有土地上房屋征收与补偿条例",
        ),
    ),
    (
        "huanjing-baohu",
        dept(
            "生态环境分局",
            "环",
            "生态环境办公室",
            URBAN,
            "中华人民共和国环境保护法",
        ),
    ),
    (
        "huji-guanli",
        dept(
            "公安局",
            "公",
            "平安建设办公室",
            SAFETY,
            "中华人民共和国户口登记条例",
        ),
    ),
    (
        "jiuye-chuangye",
        dept(
            "人力资源和社会保障局",
            "人社",
            "社会事务办公室",
            LABOUR,
            "中华人民共和国就业促进法",
        ),
    ),
    (
        "jiuzai",
        dept(
            "应急管理局",
            "应急",
            "应急管理办公室",
            CIVIL,
            "自然灾害救助条例",
        ),
    ),
    (
        "nongcun-weifang-gaizao",
        dept(
            "住房和城乡建设局",
            "住建",
            "村镇建设办公室",
            URBAN,
            "中华人民共和国建筑法",
        ),
    ),
    (
        "shehui-baoxian",
        dept(
            "人力资源和社会保障局",
            "人社",
            "社会事务办公室",
            LABOUR,
            "中华人民共和国社会保险法",
        ),
    ),
    (
        "shehui-jiuzhu",
        dept("民政局", "民", "社会事务办公室", CIVIL, "社会救助暂行办法"),
    ),
    (
        "shenong-butie",
        dept(
            "农业农村局",
            "农",
            "农业农村办公室",
            FARM,
            "中华人民共和国农业法",
        ),
    ),
    (
        "shipin-yaopin-jianguan",
        dept(
            "市场监督管理局",
            "市监",
            "市场监管所",
            "市场监管、安全生产监管",
            "中华人民共和国食品安全法",
        ),
    ),
    (
        "shizheng-fuwu",
        dept(
            "住房和城乡建设局",
            "住建",
            "村镇建设办公室",
            URBAN,
            "城镇排水与污水处理条例",
        ),
    ),
    (
        "shuishou-guanli",
        dept(
            "税务局",
            "税",
            "财政所",
            FINANCE,
            "中华人民共和国税收征收管理法",
        ),
    ),
    (
        "yanglao-fuwu",
        dept(
            "民政局",
            "民",
            "社会事务办公室",
            CIVIL,
            "中华人民共和国老年人权益保障法",
        ),
    ),
    (
        "yiliao-weisheng",
        dept(
            "卫生健康局",
            "卫健",
            "社会事务办公室",
            "卫生、体育",
            "中华人民共和国基本医疗卫生与健康促进法",
        ),
    ),
    (
        "yiwu-jiaoyu",
        dept(
            "教育局",
            "教",
            "社会事务办公室",
            "科技、教育",
            "中华人民共和国民办教育促进法",
        ),
    ),
    (
        "zhengdi-buchang",
        dept(
            "自然资源局",
            "自然资",
            "村镇建设办公室",
            URBAN,
            "中华人民共和国土地管理法",
        ),
    ),
    (
        "zhongda-jianshe-xiangmu",
        dept(
            "发展和改革局",
            "发改",
            "经济发展办公室",
            "国民经济管理、国有资产监管",
            "中华人民共和国招标投标法",
        ),
    ),
];

const FALLBACK: Dept = dept(
    "人民政府办公室",
    "政办",
    "党政综合办公室",
    "综合政务",
    "中华人民共和国行政处罚法",
);

/// The department of a domain.
pub fn dept_of(domain_id: &str) -> Dept {
    DEPTS
        .iter()
        .find(|(id, _)| *id == domain_id)
        .map_or(FALLBACK, |(_, d)| *d)
}

/// The shape of an entry's text, guessed from the item's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 行政处罚/强制决定.
    Penalty,
    /// 许可、审批、备案结果.
    Licence,
    /// 办事指南.
    Guide,
    /// 名单、补贴发放公示.
    List,
    /// 预决算、资金.
    Budget,
    /// 政策文件.
    Policy,
    /// 工作情况、通知公告.
    Report,
}

/// The kind of text an item's entries have.
pub fn kind_of(item: &Item) -> Kind {
    let name = format!("{}{}", item.level1, item.level2);
    let has = |words: &[&str]| words.iter().any(|w| item.level2.contains(w));
    if has(&[
        "名单", "对象", "补贴", "津贴", "救助", "低保", "发放", "补助", "特困", "审批",
    ]) {
        Kind::List
    } else if has(&["处罚", "强制"]) {
        Kind::Penalty
    } else if has(&["预算", "决算", "资金", "收费"]) {
        Kind::Budget
    } else if has(&["指南", "流程", "办理", "登记", "服务"]) {
        Kind::Guide
    } else if has(&["许可", "审核", "备案", "核准", "批准"]) {
        Kind::Licence
    } else if ["政策", "法规", "规章", "文件", "标准", "制度", "办法"]
        .iter()
        .any(|w| name.contains(w))
    {
        Kind::Policy
    } else {
        Kind::Report
    }
}

/// A TOML basic string, quoted and escaped.
pub fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `2024年3月5日`.
pub fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Chinese numerals 1–99 (一, 十二, 二十三).
fn cn_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        _ => format!("{}十{}", DIGITS[(n / 10) % 10], DIGITS[n % 10]),
    }
}

/// Everything the text of one entry may mention.
pub struct Ctx<'a> {
    /// The unit.
    pub unit: &'a UnitSpec,
    /// The item.
    pub item: &'a Item,
    /// The item's domain.
    pub domain: &'a Domain,
    /// The entry's dates and flags.
    pub entry: &'a EntrySpec,
    /// The responsible department.
    pub dept: Dept,
    /// The department's full name (青河区民政局, 东山镇社会事务办公室).
    pub dept_name: String,
    /// What the text looks like.
    pub kind: Kind,
}

impl<'a> Ctx<'a> {
    /// The context of `entry` in `unit`.
    pub fn new(
        unit: &'a UnitSpec,
        item: &'a Item,
        domain: &'a Domain,
        entry: &'a EntrySpec,
    ) -> Self {
        let dept = dept_of(&domain.id);
        let dept_name = if unit.kind.is_county() {
            format!("{}{}", unit.name, dept.county)
        } else {
            format!("{}{}", unit.name, dept.town)
        };
        Ctx {
            unit,
            item,
            domain,
            entry,
            dept,
            dept_name,
            kind: kind_of(item),
        }
    }

    /// The name of a unit as its own writing refers to it (本区, 本镇).
    fn own(&self) -> &'static str {
        match self.unit.kind.suffix() {
            "区" => "本区",
            "县" => "本县",
            "镇" => "本镇",
            "乡" => "本乡",
            _ => "本街道",
        }
    }

    /// Replaces `{key}` placeholders; numbers are drawn afresh at each occurrence.
    fn fill(&self, template: &str, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            self.value(&after[..close], rng, &mut out);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        if out.contains("年度年度") {
            out = out.replace("年度年度", "年度");
        }
        out
    }

    fn value(&self, key: &str, rng: &mut Rng, out: &mut String) {
        let year = self.entry.created.year();
        let _ = match key {
            "unit" => write!(out, "{}", self.unit.name),
            "county" => write!(out, "{}", self.unit.county),
            "own" => write!(out, "{}", self.own()),
            "dept" => write!(out, "{}", self.dept_name),
            "domain" => write!(out, "{}", self.domain.name),
            "level1" => write!(out, "{}", self.item.level1),
            "level2" => write!(out, "{}", self.item.level2),
            "content" => write!(out, "{}", self.item.content),
            "basis" => write!(out, "{}", self.item.basis),
            "law" => write!(out, "《{}》", self.dept.law),
            "year" => write!(out, "{year}"),
            "prev" => write!(out, "{}", year - 1),
            "next" => write!(out, "{}", year + 1),
            "month" => write!(out, "{}", self.entry.created.month()),
            "date" => write!(out, "{}", cn_date(self.entry.created)),
            "period" => write!(out, "{}", self.period()),
            "n" => write!(out, "{}", rng.range(2, 60)),
            "m" => write!(out, "{}", rng.range(2, 9)),
            "big" => write!(out, "{}", rng.range(120, 4800)),
            "pct" => write!(out, "{}", rng.range(86, 100)),
            "art" => write!(out, "{}", cn_number(rng.range(8, 99))),
            "days" => write!(out, "{}", rng.range(3, 15)),
            "amount" => write!(out, "{}.{:02}", rng.range(3, 860), rng.below(100)),
            "village" => write!(out, "{}", names::village(rng)),
            "company" => write!(out, "{}", names::company(rng, &self.unit.county)),
            "road" => write!(out, "{}", names::road(rng)),
            "phone" => write!(out, "{}", self.unit.phone),
            other => write!(out, "{{{other}}}"),
        };
    }

    /// The period an issue covers, or the year.
    fn period(&self) -> String {
        self.entry
            .period
            .clone()
            .unwrap_or_else(|| format!("{}年", self.entry.created.year()))
    }
}

/// A Markdown body being built, with its length in characters.
struct Body {
    text: String,
    chars: usize,
}

impl Body {
    fn push(&mut self, block: &str) {
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        self.text.push_str(block);
        self.chars += block.chars().count();
    }

    fn heading(&mut self, heading: &str) {
        self.push(&format!("## {heading}"));
    }
}

/// General sentences for reports and padding.
const SENTENCES: [&str; 30] = [
    "{year}年以来，{dept}共受理{level2}相关事项{big}件，按时办结率{pct}%，群众满意度持续提升。",
    "{dept}坚持“以公开为常态、不公开为例外”原则，明确专人负责{level2}信息的采集、审核和发布。",
    "公开内容主要包括：{content}。",
    "相关信息已在{county}政府网站“基层政务公开标准化规范化”专栏同步发布，并在{village}、{village}等村（社区）公示栏张贴，公示期不少于7个工作日。",
    "公示期间，对公示内容有异议的，可以书面或电话形式向{dept}反映，反映情况应当实事求是，并提供联系方式以便核实。",
    "下一步，{dept}将持续完善{domain}领域公开事项清单，动态调整公开内容，不断提升公开工作的标准化、规范化水平。",
    "本期共涉及资金{amount}万元，已通过惠民惠农财政补贴资金“一卡通”全部发放到位，未发现截留、挪用等问题。",
    "经村（社区）初审、入户核查和民主评议，{own}审核确认共有{n}户符合条件，涉及{big}人次。",
    "各村（社区）要加强政策宣传解读，确保符合条件的群众应知尽知、应享尽享。",
    "{dept}组织工作人员对{village}、{village}等{n}个村（社区）开展实地核查，核查结果与申报材料一致。",
    "信息发布前严格落实保密审查制度，涉及个人隐私的信息一律作去标识化处理。",
    "全年共组织政策宣讲{n}场次，发放宣传资料{big}余份，接受群众现场咨询{big}人次。",
    "针对群众反映集中的问题，{dept}建立问题清单和整改台账，逐项明确责任人和完成时限，目前已整改{n}项。",
    "办理过程中不收取任何费用，申请人也可以通过“一网通办”平台在线提交材料。",
    "{year}年{month}月，{dept}召开专题会议，研究部署{level2}相关工作，明确任务分工和时间节点。",
    "截至{date}，已完成年度目标任务的{pct}%，总体进度符合预期。",
    "群众可以通过政务服务中心窗口、便民服务站、政府网站和政务新媒体等渠道查询相关信息。",
    "对不符合条件的申请，已书面告知申请人并说明理由；申请人对结果有异议的，可以依法申请复核。",
    "以上数据由{dept}统计，统计口径与上级主管部门保持一致。",
    "{unit}将{level2}工作纳入年度政务公开工作要点，与业务工作同部署、同推进、同考核。",
    "对照{domain}领域基层政务公开标准目录，{unit}逐项梳理公开事项{n}项，明确公开主体、公开时限和公开渠道。",
    "为方便群众办事，{unit}在便民服务中心设置政务公开专区，配备查阅终端{m}台，提供政策咨询和帮办代办服务。",
    "工作中也存在信息更新不够及时、政策解读形式较为单一等问题，将在下一阶段加以改进。",
    "{dept}定期对公开内容进行检查，对已失效、已废止的信息及时作出标注，确保公开信息准确有效。",
    "本次工作覆盖辖区{n}个村（社区），惠及群众{big}人。",
    "依托12345政务服务便民热线，全年受理群众相关诉求{big}件，办结率{pct}%。",
    "对检查中发现的问题，{dept}已督促有关村（社区）和责任单位限期整改，并将整改情况纳入年度考核。",
    "{county}{domain}领域各项工作有序推进，{level1}类信息均按规定时限在专栏发布。",
    "按照规定，该事项的公开依据为{basis}。",
    "与{prev}年同期相比，受理数量增长{m}.{m}%，平均办理时间缩短{days}个工作日。",
];

/// Section headings of a report.
const REPORT_HEADINGS: [&str; 5] = [
    "一、基本情况",
    "二、主要做法",
    "三、工作成效",
    "四、存在的问题",
    "五、下一步工作打算",
];

/// Openings of a notice or report.
const OPENINGS: [&str; 5] = [
    "为进一步推进{domain}领域基层政务公开标准化规范化工作，依据{basis}，现将{unit}{period}{level2}有关信息公开如下。",
    "根据《中华人民共和国政府信息公开条例》和上级有关工作部署，{dept}对{period}{level2}有关情况进行了梳理，现予以公开，接受社会监督。",
    "按照{domain}领域基层政务公开标准目录要求，{unit}及时公开{level2}信息，现将{period}有关情况公告如下。",
    "为保障群众的知情权、参与权、表达权和监督权，现将{dept}{period}{level2}工作情况公告如下。",
    "{period}，{unit}认真贯彻落实上级关于{domain}工作的决策部署，扎实做好{level2}相关工作，现将有关情况报告如下。",
];

/// The entry's title.
pub fn title(ctx: &Ctx, doc_no: Option<&str>, rng: &mut Rng) -> String {
    let templates: &[&str] = match ctx.kind {
        Kind::Penalty => &["{dept}行政处罚决定书", "{dept}{level2}信息公开"],
        Kind::Licence => &[
            "{unit}{period}{level2}结果公示",
            "{dept}关于{company}{level2}的决定",
        ],
        Kind::Guide => &["{level2}办事指南", "{unit}{level2}服务指南（{year}年版）"],
        Kind::List => &[
            "{unit}{period}{level2}公示",
            "{unit}关于{period}{level2}情况的公告",
        ],
        Kind::Budget => &[
            "{unit}{year}年{level2}公开",
            "{dept}{year}年{level2}情况说明",
        ],
        Kind::Policy => &[
            "关于印发《{unit}{level2}实施办法》的通知",
            "{unit}关于进一步做好{level2}工作的通知",
            "{level2}政策解读",
        ],
        Kind::Report => &[
            "{unit}关于{level2}有关情况的公告",
            "{unit}{period}{level2}情况通报",
            "{unit}{period}{level2}信息公开",
        ],
    };
    let mut t = ctx.fill(rng.pick_str(templates), rng);
    if let (Kind::Penalty, Some(no)) = (ctx.kind, doc_no)
        && t.ends_with("决定书")
    {
        t.push_str(&format!("（{no}）"));
    }
    t
}

/// A 文号 for about a third of entries, always for penalty decisions.
pub fn doc_no(ctx: &Ctx, rng: &mut Rng) -> Option<String> {
    let year = ctx.entry.created.year();
    let first: String = ctx.unit.name.chars().next().into_iter().collect();
    if ctx.kind == Kind::Penalty {
        return Some(format!(
            "{first}{}罚〔{year}〕{:03}号",
            ctx.dept.abbr,
            rng.range(1, 180)
        ));
    }
    if !rng.chance(0.35) {
        return None;
    }
    Some(if ctx.unit.kind.is_county() {
        format!("{first}{}〔{year}〕{}号", ctx.dept.abbr, rng.range(1, 120))
    } else {
        let short: String = ctx.unit.name.chars().take(2).collect();
        format!("{short}府〔{year}〕{}号", rng.range(1, 90))
    })
}

/// The body for a target length in characters.
pub fn body(
    ctx: &Ctx,
    target: usize,
    table: bool,
    attachments: &[Attachment],
    rng: &mut Rng,
) -> String {
    let mut b = Body {
        text: String::new(),
        chars: 0,
    };
    match ctx.kind {
        Kind::Penalty => penalty(ctx, &mut b, rng),
        Kind::Licence => licence(ctx, &mut b, rng),
        Kind::Guide => guide(ctx, &mut b, rng),
        Kind::Policy => policy(ctx, &mut b, target, rng),
        Kind::List | Kind::Budget | Kind::Report => {
            b.push(&ctx.fill(rng.pick_str(&OPENINGS), rng));
        }
    }
    if table {
        let (intro, t) = match ctx.kind {
            Kind::List => ("具体名单如下（依规只公布户主姓氏）：", list_table(rng)),
            Kind::Budget => ("主要支出情况见下表：", budget_table(rng)),
            Kind::Licence => ("本期许可结果如下：", licence_table(ctx, rng)),
            _ if ctx.domain.id.contains("jianshe") || ctx.domain.id.contains("guihua") => {
                ("涉及项目情况如下：", project_table(ctx, rng))
            }
            _ => ("办理情况统计如下：", stats_table(ctx, rng)),
        };
        b.push(intro);
        b.push(&t);
    }
    match ctx.kind {
        Kind::Penalty | Kind::Policy => {}
        Kind::Guide => {
            if b.chars + 200 < target {
                b.heading("八、其他事项");
                pad(ctx, &mut b, target, false, rng);
            }
        }
        _ => pad(ctx, &mut b, target, true, rng),
    }
    if !attachments.is_empty() {
        let list: Vec<String> = attachments
            .iter()
            .enumerate()
            .map(|(i, a)| format!("{}. [{}]({})", i + 1, a.label, a.name))
            .collect();
        b.push("附件：");
        b.push(&list.join("\n"));
    }
    b.push(&ctx.fill("咨询电话：{phone}（{dept}，工作日办公时间）。", rng));
    let signer = if ctx.unit.kind.is_county() {
        &ctx.dept_name
    } else {
        &ctx.unit.publisher
    };
    b.push(&format!("{signer}  \n{}", cn_date(ctx.entry.created)));
    b.text.push('\n');
    b.text
}

/// Paragraphs of general sentences until the body is as close as it gets to `target`
/// characters; with `headings`, under report section headings (一、基本情况 …).
fn pad(ctx: &Ctx, b: &mut Body, target: usize, headings: bool, rng: &mut Rng) {
    let mut section = 0;
    loop {
        let sentences = rng.range(2, 4);
        let para: String = (0..sentences)
            .map(|_| ctx.fill(rng.pick_str(&SENTENCES), rng))
            .collect();
        if b.chars + para.chars().count() / 2 > target {
            break;
        }
        if headings && section < REPORT_HEADINGS.len() && (section == 0 || rng.chance(0.6)) {
            b.heading(REPORT_HEADINGS[section]);
            section += 1;
        }
        b.push(&para);
    }
}

fn penalty(ctx: &Ctx, b: &mut Body, rng: &mut Rng) {
    const VIOLATIONS: [&str; 6] = [
        "未按规定履行{domain}相关管理义务",
        "未取得相关许可擅自从事经营活动",
        "未按规定建立并落实安全管理制度",
        "未按要求开展定期检测和隐患排查治理",
        "擅自改变经批准的用途和范围",
        "拒不执行责令限期改正通知",
    ];
    let lines = [
        "**当事人**：{company}".to_owned(),
        "**统一社会信用代码**：（略）".to_owned(),
        "**地址**：{county}{road}{n}号".to_owned(),
        format!(
            "**违法事实**：经查，当事人于{{date}}前后在{{village}}从事经营活动期间，存在{}的行为。{{dept}}执法人员在检查中发现后依法立案调查，当事人对上述事实无异议。",
            rng.pick(&VIOLATIONS)
        ),
        "**证据**：现场检查笔录、询问笔录、现场照片{m}张及相关书证。".to_owned(),
        "**处罚依据**：上述行为违反了{law}第{art}条的规定。依据同法第{art}条，并综合考虑当事人积极配合调查、主动改正等情节，作出如下处罚决定。".to_owned(),
        "**处罚决定**：决定给予当事人警告，并处罚款人民币{n}000元。".to_owned(),
        "**履行方式和期限**：当事人应当自收到本决定书之日起15日内，到指定银行缴纳罚款。逾期不缴纳的，每日按罚款数额的3%加处罚款。".to_owned(),
        "**救济途径**：当事人如不服本决定，可以在收到本决定书之日起60日内向{county}人民政府申请行政复议，或者在6个月内依法向人民法院提起行政诉讼。".to_owned(),
    ];
    for line in lines {
        b.push(&ctx.fill(&line, rng));
    }
}

fn licence(ctx: &Ctx, b: &mut Body, rng: &mut Rng) {
    b.push(&ctx.fill(
        "根据《中华人民共和国行政许可法》等有关规定，{dept}对申请人提交的{level2}申请进行了审查，申请材料齐全、符合法定形式，现将许可结果公示如下。",
        rng,
    ));
    let lines = [
        "**申请人**：{company}",
        "**许可事项**：{level2}",
        "**许可决定**：准予许可",
        "**决定日期**：{date}",
        "**有效期**：自{date}起{m}年",
        "**许可机关**：{dept}",
    ];
    let list: Vec<String> = lines
        .iter()
        .map(|l| format!("- {}", ctx.fill(l, rng)))
        .collect();
    b.push(&list.join("\n"));
}

fn guide(ctx: &Ctx, b: &mut Body, rng: &mut Rng) {
    const MATERIALS: [&str; 7] = [
        "申请人有效身份证件原件及复印件",
        "书面申请表（可在窗口领取或在政府网站下载）",
        "居民户口簿原件及复印件",
        "村（社区）出具的情况说明",
        "与申请事项有关的证明材料",
        "委托他人办理的，提供授权委托书和受托人身份证件",
        "近期一寸免冠照片2张",
    ];
    const STEPS: [&str; 5] = [
        "**申请**：申请人向所在村（社区）或{unit}便民服务中心窗口提出申请。",
        "**受理**：窗口工作人员对材料进行审查，材料齐全、符合要求的当场受理；材料不全的一次性告知需补正的内容。",
        "**审核**：{dept}在{days}个工作日内完成审核，必要时入户调查核实。",
        "**决定**：作出决定，并书面告知申请人。",
        "**送达**：申请人可到窗口领取，也可选择邮寄送达。",
    ];
    b.heading("一、事项名称");
    b.push(&ctx.item.level2);
    b.heading("二、设定依据");
    b.push(&ctx.fill("{basis}及{domain}领域有关规定。", rng));
    b.heading("三、受理条件");
    b.push(&ctx.fill(
        "在{unit}辖区内居住或登记的个人和单位，符合{level2}有关规定条件的，可以申请办理。",
        rng,
    ));
    b.heading("四、申请材料");
    let n = rng.range(3, MATERIALS.len());
    let list: Vec<String> = MATERIALS[..n]
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{}. {m}", i + 1))
        .collect();
    b.push(&list.join("\n"));
    b.heading("五、办理流程");
    let list: Vec<String> = STEPS
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {}", i + 1, ctx.fill(s, rng)))
        .collect();
    b.push(&list.join("\n"));
    b.heading("六、办理时限和收费");
    b.push(&ctx.fill("承诺办理时限为{days}个工作日。不收费。", rng));
    b.heading("七、办理地点和时间");
    b.push(&format!(
        "办理地点：{}。办理时间：工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）。",
        ctx.unit.address
    ));
}

fn policy(ctx: &Ctx, b: &mut Body, target: usize, rng: &mut Rng) {
    const ARTICLES: [&str; 9] = [
        "本办法适用于{unit}行政区域内的{level2}相关工作。",
        "{dept}负责本办法的组织实施，各村（社区）协助做好相关工作。",
        "申请人应当如实提供相关材料，并对材料的真实性负责。",
        "工作人员在办理过程中应当严格遵守工作纪律，对知悉的个人信息依法予以保密。",
        "有关信息应当自形成或者变更之日起20个工作日内予以公开，法律、法规另有规定的，从其规定。",
        "{dept}应当加强对本办法执行情况的监督检查，每年至少开展一次专项检查。",
        "对违反本办法规定的，依法依规追究有关单位和人员的责任。",
        "公开内容包括：{content}。",
        "各村（社区）应当在公示栏公开相关信息，公示期不少于7个工作日。",
    ];
    b.push("各村（社区）、各有关单位：");
    b.push(&ctx.fill(
        "为进一步做好{level2}工作，现将有关事项通知如下，请结合实际认真贯彻执行。",
        rng,
    ));
    b.push(&format!(
        "**第一条**　{}",
        ctx.fill(
            "为规范{level2}工作，保障群众合法权益，根据{basis}等有关规定，结合{own}实际，制定本办法。",
            rng
        )
    ));
    let mut k = 2;
    while b.chars < target.saturating_sub(120) && k < 40 {
        let article = ctx.fill(rng.pick_str(&ARTICLES), rng);
        b.push(&format!("**第{}条**　{article}", cn_number(k)));
        k += 1;
    }
    b.push(&format!(
        "**第{}条**　本办法由{}负责解释，自{}起施行。",
        cn_number(k),
        ctx.dept_name,
        cn_date(ctx.entry.published)
    ));
}

/// A GFM table from a header and rows.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = format!(
        "| {} |\n|{}|",
        header.join(" | "),
        vec!["---"; header.len()].join("|")
    );
    for row in rows {
        t.push_str(&format!("\n| {} |", row.join(" | ")));
    }
    t
}

fn list_table(rng: &mut Rng) -> String {
    let rows: Vec<Vec<String>> = (1..=rng.range(3, 12))
        .map(|i| {
            let people = rng.range(1, 5);
            vec![
                i.to_string(),
                names::village(rng),
                names::masked_person(rng),
                people.to_string(),
                (people * rng.range(560, 980)).to_string(),
            ]
        })
        .collect();
    table(
        &[
            "序号",
            "所在村（社区）",
            "户主姓名",
            "保障人数",
            "月发放金额（元）",
        ],
        &rows,
    )
}

fn budget_table(rng: &mut Rng) -> String {
    const LINES: [&str; 8] = [
        "一般公共服务支出",
        "公共安全支出",
        "教育支出",
        "社会保障和就业支出",
        "卫生健康支出",
        "节能环保支出",
        "城乡社区支出",
        "农林水支出",
    ];
    let rows: Vec<Vec<String>> = LINES[..rng.range(4, LINES.len())]
        .iter()
        .map(|line| {
            let budget = rng.range(50, 9000);
            let last = budget * rng.range(80, 120) / 100;
            let change = (budget as f64 - last as f64) / last.max(1) as f64 * 100.0;
            vec![
                (*line).to_owned(),
                format!("{}.{}", budget, rng.below(10)),
                format!("{}.{}", last, rng.below(10)),
                format!("{change:.1}"),
            ]
        })
        .collect();
    table(
        &["项目", "预算数（万元）", "上年执行数（万元）", "增减（%）"],
        &rows,
    )
}

fn licence_table(ctx: &Ctx, rng: &mut Rng) -> String {
    let rows: Vec<Vec<String>> = (1..=rng.range(3, 10))
        .map(|i| {
            vec![
                i.to_string(),
                names::company(rng, &ctx.unit.county),
                ctx.item.level2.clone(),
                "准予许可".to_owned(),
                format!(
                    "{}年{}月",
                    ctx.entry.created.year() + rng.range(1, 5) as i32,
                    rng.range(1, 12)
                ),
            ]
        })
        .collect();
    table(&["序号", "申请人", "许可事项", "决定", "有效期至"], &rows)
}

fn project_table(ctx: &Ctx, rng: &mut Rng) -> String {
    const WHAT: [&str; 6] = [
        "道路改造工程",
        "污水管网建设",
        "农贸市场提升",
        "文化广场建设",
        "水库除险加固",
        "学校扩建工程",
    ];
    let rows: Vec<Vec<String>> = (1..=rng.range(3, 8))
        .map(|i| {
            let (place, _) = names::stem(rng);
            vec![
                i.to_string(),
                format!("{place}{}", rng.pick(&WHAT)),
                ctx.unit.name.clone(),
                format!("{}.{}", rng.range(80, 25_000), rng.below(10)),
                rng.pick(&["前期工作", "在建", "已完工", "竣工验收"])
                    .to_string(),
            ]
        })
        .collect();
    table(
        &["序号", "项目名称", "建设地点", "总投资（万元）", "进度"],
        &rows,
    )
}

fn stats_table(ctx: &Ctx, rng: &mut Rng) -> String {
    let months = rng.range(3, 12);
    let rows: Vec<Vec<String>> = (1..=months)
        .map(|m| {
            let received = rng.range(5, 400);
            let done = received * rng.range(85, 100) / 100;
            vec![
                format!("{}年{m}月", ctx.entry.created.year()),
                received.to_string(),
                done.to_string(),
                format!("{:.1}%", done as f64 * 100.0 / received as f64),
            ]
        })
        .collect();
    table(&["月份", "受理件数", "办结件数", "办结率"], &rows)
}

/// A small file published with an entry.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// File name (also its URL segment).
    pub name: String,
    /// Link text.
    pub label: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// One or two small attachments (CSV list, text note).
pub fn attachments(ctx: &Ctx, rng: &mut Rng) -> Vec<Attachment> {
    let mut files = vec![if ctx.kind == Kind::List || rng.chance(0.5) {
        csv_attachment(ctx, rng)
    } else {
        note_attachment(ctx, rng)
    }];
    if rng.chance(0.4) {
        let second = if files[0].name.ends_with(".csv") {
            note_attachment(ctx, rng)
        } else {
            csv_attachment(ctx, rng)
        };
        files.push(second);
    }
    files
}

fn csv_attachment(ctx: &Ctx, rng: &mut Rng) -> Attachment {
    let mut s = String::from("序号,所在村（社区）,姓名,人数,金额（元）\n");
    for i in 1..=rng.range(5, 30) {
        let n = rng.range(1, 5);
        let _ = writeln!(
            s,
            "{i},{},{},{n},{}",
            names::village(rng),
            names::masked_person(rng),
            n * rng.range(300, 1200)
        );
    }
    Attachment {
        name: "名单.csv".into(),
        label: format!("{}名单", ctx.item.level2),
        bytes: s.into_bytes(),
    }
}

fn note_attachment(ctx: &Ctx, rng: &mut Rng) -> Attachment {
    let mut s = ctx.fill("{level2}有关说明\n\n", rng);
    for i in 1..=rng.range(3, 6) {
        let _ = writeln!(s, "{i}. {}", ctx.fill(rng.pick_str(&SENTENCES), rng));
    }
    Attachment {
        name: "说明.txt".into(),
        label: "有关说明".into(),
        bytes: s.into_bytes(),
    }
}

/// The entry file: TOML front matter between `+++` lines, then the body.
pub fn entry_file(
    ctx: &Ctx,
    title: &str,
    doc_no: Option<&str>,
    summary: Option<&str>,
    body: &str,
) -> String {
    let e = ctx.entry;
    let mut s = String::with_capacity(body.len() + 512);
    s.push_str("+++\n");
    let _ = writeln!(s, "title = {}", toml_str(title));
    let _ = writeln!(s, "created = {}", e.created);
    let _ = writeln!(s, "published = {}", e.published);
    if let Some(u) = e.updated {
        let _ = writeln!(s, "updated = {u}");
    }
    if let Some(no) = doc_no {
        let _ = writeln!(s, "doc_no = {}", toml_str(no));
    }
    let _ = writeln!(s, "index_no = {}", toml_str(&e.index_no));
    if ctx.unit.kind.is_county() {
        let _ = writeln!(s, "publisher = {}", toml_str(&ctx.dept_name));
    }
    if let Some(v) = e.validity.value() {
        let _ = writeln!(s, "validity = {}", toml_str(v));
    }
    if let Some(x) = e.expires {
        let _ = writeln!(s, "expires = {x}");
    }
    let _ = writeln!(s, "topic = {}", toml_str(ctx.dept.topic));
    if let Some(sum) = summary {
        let _ = writeln!(s, "summary = {}", toml_str(sum));
    }
    s.push_str("+++\n\n");
    s.push_str(body);
    s
}
