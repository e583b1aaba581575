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
        for item in &r.items {
            if let Some(item) = standard_item(file, item, false, &mut ids, diags) {
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
        for item in &file.raw.items {
            if let Some(item) = standard_item(file, item, true, &mut ids, diags) {
                domain.items.push(item);
            }
        }
    }
    domains.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    Standard { domains }
}

pub(super) fn standard_item<T>(
    file: &Loaded<T>,
    r: &RawItem,
    local: bool,
    ids: &mut BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Item> {
    let before = diags.len();
    let id = r.id.get_ref().clone();
    if !is_slug(&id) {
        diags.push(
            schema(
                file,
                file.line(&r.id),
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
            schema(file, file.line(&r.id), format!("事项 id “{id}”{what}。"))
                .hint("给这个事项换一个不重复的 id。"),
        );
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
    for (key, value, allowed) in [
        ("audience", &r.audience, ["全社会", "特定群体"]),
        ("mode", &r.mode, ["主动", "依申请"]),
    ] {
        if !allowed.contains(&value.get_ref().as_str()) {
            diags.push(enum_error(file, key, value, &allowed));
        }
    }
    let mut levels = Vec::new();
    for level in r.levels.get_ref() {
        match Level::parse(level) {
            Some(l) if !levels.contains(&l) => levels.push(l),
            Some(_) => {}
            None => diags.push(
                schema(file, file.line(&r.levels), format!("公开层级 levels 中的“{level}”无效。"))
                    .hint("只能是 \"county\"（县级）或 \"township\"（乡级），如 levels = [\"county\", \"township\"]。"),
            ),
        }
    }
    if r.levels.get_ref().is_empty() {
        diags.push(
            schema(file, file.line(&r.levels), "公开层级 levels 不能为空。")
                .hint("如 levels = [\"county\", \"township\"]。"),
        );
    }
    levels.sort();
    (diags.len() == before).then(|| Item {
        id,
        level1: strip_maintainer_markers(r.level1.trim()),
        level2: strip_maintainer_markers(r.level2.get_ref().trim()),
        content: strip_maintainer_markers(r.content.trim()),
        basis: strip_maintainer_markers(r.basis.trim()),
        deadline: strip_maintainer_markers(r.deadline.trim()),
        cadence,
        limit_days,
        limit_unit,
        subject: strip_maintainer_markers(r.subject.trim()),
        channels: r.channels.clone(),
        audience: r.audience.get_ref().clone(),
        mode: r.mode.get_ref().clone(),
        levels,
        extra: r
            .extra
            .iter()
            .map(|(k, v)| (k.clone(), strip_maintainer_markers(v)))
            .collect(),
        local,
    })
}
