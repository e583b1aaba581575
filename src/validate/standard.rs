//! `standard/<domain>.toml` and `standard/local/<domain>.toml`: the 26 domains' standard
//! catalogue, with a district's own additions.

use super::fields::*;
use crate::diag::{Code, Diagnostic};
use crate::load::raw::*;
use crate::load::{Loaded, RawCatalog};
use crate::model::*;
use crate::names::closest;
use std::collections::{BTreeMap, BTreeSet};

/// The 公开渠道和载体 boxes of the standard table (`其他:…` may add free text).
pub const KNOWN_CHANNELS: [&str; 13] = [
    "政府网站",
    "政府公报",
    "两微一端",
    "发布会/听证会",
    "广播电视",
    "纸质媒体",
    "公开查阅点",
    "政务服务中心",
    "便民服务站",
    "入户/现场",
    "社区/企事业单位/村公示栏(电子屏)",
    "精准推送",
    "其他",
];

pub(super) fn standard(raw: &RawCatalog, diags: &mut Vec<Diagnostic>) -> Standard {
    let mut domains: Vec<Domain> = Vec::new();
    let mut orders: BTreeMap<i64, String> = BTreeMap::new();
    for (stem, file) in &raw.domains {
        let r = &file.raw;
        let id = r.id.get_ref().clone();
        if &id != stem {
            diags.push(
                schema(
                    file,
                    file.line(&r.id),
                    format!("领域 id “{id}”与文件名“{stem}.toml”不一致。"),
                )
                .hint(format!("把 id 改为 \"{stem}\"，或把文件改名为 {id}.toml。")),
            );
            continue;
        }
        if !is_slug(&id) {
            diags.push(
                schema(
                    file,
                    file.line(&r.id),
                    format!("领域 id “{id}”只能由小写字母、数字和连字符组成。"),
                )
                .hint("用拼音，如 shehui-jiuzhu。"),
            );
        }
        let order = *r.order.get_ref();
        if !(1..=99).contains(&order) {
            diags.push(
                schema(
                    file,
                    file.line(&r.order),
                    format!("领域序号 order = {order} 超出范围。"),
                )
                .hint("标准目录的 26 个领域依次为 1–26；本地新增领域从 27 起编号。"),
            );
        } else if let Some(other) = orders.insert(order, id.clone()) {
            diags.push(
                schema(
                    file,
                    file.line(&r.order),
                    format!("领域序号 order = {order} 与领域“{other}”重复。"),
                )
                .hint("每个领域的 order 必须不同。"),
            );
        }
        let mut items = Vec::new();
        let mut ids = BTreeSet::new();
        let defaults = defaults(file, r.defaults.as_ref(), diags);
        for item in &r.items {
            if let Some(item) = standard_item(file, item, &defaults, false, &mut ids, diags) {
                items.push(item);
            }
        }
        if items.is_empty() && r.items.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::Schema,
                    format!("领域“{}”没有任何事项。", r.name.get_ref()),
                )
                .in_file(&file.source.display)
                .hint("至少添加一个 [[items]]。"),
            );
        }
        domains.push(Domain {
            id,
            name: non_empty(file, "name", &r.name, diags),
            order: order.clamp(0, 255) as u8,
            guideline: strip_maintainer_markers(r.guideline.trim()),
            issuer: strip_maintainer_markers(r.issuer.trim()),
            notes: r.notes.clone().filter(|n| !n.trim().is_empty()),
            items,
        });
    }
    for (stem, file) in &raw.local_domains {
        let Some(domain) = domains.iter_mut().find(|d| &d.id == stem) else {
            let ids: Vec<&str> = raw.domains.iter().map(|(s, _)| s.as_str()).collect();
            let mut d = Diagnostic::new(
                Code::UnknownDomain,
                format!("本级补充事项文件 local/{stem}.toml 对应的领域“{stem}”不存在。"),
            )
            .in_file(&file.source.display);
            if let Some(best) = closest(stem, ids.iter().copied()) {
                d = d.hint(format!("是否应命名为 local/{best}.toml？"));
            }
            diags.push(d);
            continue;
        };
        let mut ids: BTreeSet<String> = domain.items.iter().map(|i| i.id.clone()).collect();
        let defaults = defaults(file, file.raw.defaults.as_ref(), diags);
        for item in &file.raw.items {
            if let Some(item) = standard_item(file, item, &defaults, true, &mut ids, diags) {
                domain.items.push(item);
            }
        }
    }
    domains.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    Standard { domains }
}

/// A file's `[defaults]` table (empty if it has none); an `id` in it is an error, since no two
/// items may share one.
fn defaults<T>(
    file: &Loaded<T>,
    raw: Option<&toml::Spanned<RawItem>>,
    diags: &mut Vec<Diagnostic>,
) -> RawItem {
    let Some(raw) = raw else {
        return RawItem::default();
    };
    let mut defaults = raw.get_ref().clone();
    if let Some(id) = defaults.id.take() {
        diags.push(
            schema(
                file,
                file.line(&id),
                "[defaults] 中不能写事项 id：每个事项的 id 各不相同。",
            )
            .hint("删去 [defaults] 中的 id，在各个 [[items]] 中分别填写。"),
        );
    }
    defaults
}

/// The keys every item must have, from itself or from `[defaults]`, with their names.
const REQUIRED: [(&str, &str); 10] = [
    ("level1", "一级事项"),
    ("level2", "二级事项"),
    ("content", "公开内容（要素）"),
    ("basis", "公开依据"),
    ("deadline", "公开时限"),
    ("subject", "公开主体"),
    ("channels", "公开渠道和载体"),
    ("audience", "公开对象"),
    ("mode", "公开方式"),
    ("levels", "公开层级"),
];

pub(super) fn standard_item<T>(
    file: &Loaded<T>,
    spanned: &toml::Spanned<RawItem>,
    defaults: &RawItem,
    local: bool,
    ids: &mut BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Item> {
    let before = diags.len();
    let r = spanned.get_ref().inheriting(defaults);
    let item_line = file.line(spanned);
    let Some(id_value) = &r.id else {
        diags.push(
            schema(file, item_line, "这个 [[items]] 缺少事项 id。")
                .hint("填写 id = \"…\"（拼音，小写字母、数字和连字符，如 dibao-zhengce）。"),
        );
        return None;
    };
    let id = id_value.get_ref().clone();
    if !is_slug(&id) {
        diags.push(
            schema(
                file,
                file.line(id_value),
                format!("事项 id “{id}”只能由小写字母、数字和连字符组成。"),
            )
            .hint("用拼音，如 dibao-zhengce。"),
        );
    } else if !ids.insert(id.clone()) {
        let what = if local {
            "与国家标准目录或本级补充中的事项重复"
        } else {
            "在本领域中重复"
        };
        diags.push(
            schema(file, file.line(id_value), format!("事项 id “{id}”{what}。"))
                .hint("给这个事项换一个不重复的 id。"),
        );
    }
    // Text may be empty (a district's table without a 公开依据 column imports as ""); the key
    // must be given, by the item or by [defaults]. A 公开层级 must name at least one level.
    let present = [
        r.level1.is_some(),
        r.level2.is_some(),
        r.content.is_some(),
        r.basis.is_some(),
        r.deadline.is_some(),
        r.subject.is_some(),
        r.channels.is_some(),
        r.audience.is_some(),
        r.mode.is_some(),
        r.levels.as_ref().is_some_and(|l| !l.get_ref().is_empty()),
    ];
    for ((key, name), present) in REQUIRED.into_iter().zip(present) {
        if !present {
            diags.push(
                schema(
                    file,
                    file.line(id_value),
                    if key == "levels" && r.levels.is_some() {
                        format!("事项“{id}”的公开层级 `levels` 不能为空。")
                    } else {
                        format!("事项“{id}”缺少{name} `{key}`，本文件的 [defaults] 也没有给出。")
                    },
                )
                .hint(format!(
                    "在这个事项中填写 {key}；各事项相同的值可以写在文件的 [defaults] 中。"
                )),
            );
        }
    }
    if diags.len() > before {
        return None;
    }
    let cadence = match &r.cadence {
        None => Cadence::Event,
        Some(c) => Cadence::parse(c.get_ref()).unwrap_or_else(|| {
            diags.push(enum_error(
                file,
                "cadence",
                c,
                &["event", "monthly", "quarterly", "half-yearly", "yearly"],
            ));
            Cadence::Event
        }),
    };
    let limit_days = match &r.limit_days {
        None => 20,
        Some(days) if (1..=366).contains(days.get_ref()) => *days.get_ref() as u32,
        Some(days) => {
            diags.push(
                schema(
                    file,
                    file.line(days),
                    format!("公开时限天数 limit_days = {} 无效。", days.get_ref()),
                )
                .hint("填 1 到 366 之间的整数，如 20。"),
            );
            20
        }
    };
    let limit_unit = match r.limit_unit.as_ref().map(|u| (u, u.get_ref().as_str())) {
        None | Some((_, "working")) => LimitUnit::Working,
        Some((_, "calendar")) => LimitUnit::Calendar,
        Some((u, _)) => {
            diags.push(enum_error(file, "limit_unit", u, &["working", "calendar"]));
            LimitUnit::Working
        }
    };
    let (Some(audience), Some(mode), Some(raw_levels)) = (&r.audience, &r.mode, &r.levels) else {
        return None;
    };
    let audience_words = Audience::ALL.map(Audience::label);
    let mode_words = Mode::ALL.map(Mode::label);
    // A wrong value is an error; the item is still made (with the first value) so that the
    // rest of the file is checked.
    let audience = Audience::parse(audience.get_ref()).unwrap_or_else(|| {
        diags.push(enum_error(file, "audience", audience, &audience_words));
        Audience::Public
    });
    let mode = Mode::parse(mode.get_ref()).unwrap_or_else(|| {
        diags.push(enum_error(file, "mode", mode, &mode_words));
        Mode::Active
    });
    let mut levels = Vec::new();
    for level in raw_levels.get_ref() {
        match Level::parse(level) {
            Some(l) if !levels.contains(&l) => levels.push(l),
            Some(_) => {}
            None => {
                let hint = match Level::set_from_chinese(level.trim()) {
                    Some(meant) => format!(
                        "是否想写 {}？",
                        meant
                            .iter()
                            .map(|l| format!("\"{}\"", l.as_str()))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                    None => String::new(),
                };
                diags.push(
                    schema(file, file.line(raw_levels), format!("公开层级 levels 中的“{level}”无效。"))
                        .hint(format!("{hint}只能是 \"county\"（县级）、\"township\"（乡级）或 \"village\"（村级：村民委员会、居民委员会），如 levels = [\"county\", \"township\"]。")),
                );
            }
        }
    }
    levels.sort();
    let shown = |value: &Option<toml::Spanned<String>>| {
        strip_maintainer_markers(value.as_ref().map_or("", |v| v.get_ref().trim()))
    };
    (diags.len() == before).then(|| Item {
        id,
        level1: shown(&r.level1),
        level2: shown(&r.level2),
        level3: Some(shown(&r.level3)).filter(|l| !l.is_empty()),
        content: shown(&r.content),
        basis: shown(&r.basis),
        deadline: shown(&r.deadline),
        cadence,
        limit_days,
        limit_unit,
        subject: shown(&r.subject),
        channels: r
            .channels
            .as_ref()
            .map(|c| c.get_ref().clone())
            .unwrap_or_default(),
        audience,
        mode,
        levels,
        extra: r
            .extra
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), strip_maintainer_markers(v)))
            .collect(),
        local,
    })
}
