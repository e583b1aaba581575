//! Stage 2, validate: the one boundary where `Raw*` file contents become the typed model. Every
//! value is checked here and every problem becomes a [`Diagnostic`] naming the file and line; after
//! this nothing re-checks or re-parses. Problems are collected, never first-only.

pub mod attachments;
pub mod links;
pub mod pdf;

use crate::calendar::{CalendarDay, WorkCalendar};
use crate::diag::{Code, Diagnostic};
use crate::load::cache::{EntryCache, Record, Reuse};
use crate::load::raw::*;
use crate::load::{
    AttachmentFile, CachedEntry, EntryFile, Loaded, LoadedEntry, RawCatalog, UnitDir,
};
use crate::model::*;
use crate::source::{closest, key_label};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

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

/// Loads and validates the catalog at `root`: the model when nothing anywhere (loading or
/// validation) is an error, and every finding, sorted, always.
pub fn load_and_validate(
    root: &std::path::Path,
    as_of: NaiveDate,
) -> (Option<Catalog>, Vec<Diagnostic>) {
    let (catalog, diags, _) =
        load_and_validate_with(root, as_of, None, &mut crate::timings::Timings::default());
    (catalog, diags)
}

/// [`load_and_validate`] for `build`: entries unchanged since the last build come from its
/// cache (`reuse`), stages are timed, and the cache for the next build is returned beside the
/// model and findings (they are the same as without a cache).
pub fn load_and_validate_reusing(
    root: &std::path::Path,
    reuse: &Reuse,
    timings: &mut crate::timings::Timings,
) -> (Option<Catalog>, Vec<Diagnostic>, EntryCache) {
    load_and_validate_with(root, reuse.as_of, Some(reuse), timings)
}

/// Loads and validates, timing the two stages; with `reuse`, also collects the next cache
/// (empty without).
fn load_and_validate_with(
    root: &std::path::Path,
    as_of: NaiveDate,
    reuse: Option<&Reuse>,
    timings: &mut crate::timings::Timings,
) -> (Option<Catalog>, Vec<Diagnostic>, EntryCache) {
    let (raw, mut diags) = crate::load::load_reusing(root, reuse);
    timings.lap("读取目录");
    let mut records = Vec::new();
    let (catalog, mut more) = validate_recording(raw, as_of, reuse.map(|_| &mut records));
    timings.lap("校验");
    diags.append(&mut more);
    crate::diag::sort(&mut diags);
    let has_errors = diags
        .iter()
        .any(|d| d.severity() == crate::diag::Severity::Error);
    let cache = EntryCache::from_records(records);
    (catalog.filter(|_| !has_errors), diags, cache)
}

/// Validates a loaded catalog against itself and `as_of` (the date the build judges against).
/// Returns the model when there are no errors; the diagnostics (errors and warnings) always.
pub fn validate(raw: RawCatalog, as_of: NaiveDate) -> (Option<Catalog>, Vec<Diagnostic>) {
    validate_recording(raw, as_of, None)
}

/// [`validate`], adding to `records` (when given) a cache record for every valid entry.
fn validate_recording(
    raw: RawCatalog,
    as_of: NaiveDate,
    records: Option<&mut Vec<(String, Record)>>,
) -> (Option<Catalog>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let site = raw.site.as_ref().and_then(|s| site(s, &mut diags));
    let standard = standard(&raw, &mut diags);
    let calendar = calendar(&raw.calendars, &mut diags);
    let mut units = units(raw.units, &standard, as_of, &mut diags, records);
    assign_index_numbers(&mut units, &standard, &mut diags);

    let has_errors = diags
        .iter()
        .any(|d| d.severity() == crate::diag::Severity::Error);
    let catalog = match site {
        Some(site) if !has_errors => Some(Catalog {
            site,
            standard,
            calendar,
            units,
        }),
        _ => None,
    };
    (catalog, diags)
}

fn schema<T>(file: &Loaded<T>, line: u32, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::Schema, message).at(&file.source, line)
}

fn non_empty<T>(
    file: &Loaded<T>,
    key: &str,
    value: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let text = value.get_ref().trim();
    if text.is_empty() {
        diags.push(
            schema(
                file,
                file.line(value),
                format!("`{key}`{} 不能为空。", key_label(key)),
            )
            .hint(format!("在引号之间填写{}。", key_label(key))),
        );
    }
    text.to_owned()
}

fn site(file: &Loaded<RawSite>, diags: &mut Vec<Diagnostic>) -> Option<Site> {
    let raw = &file.raw;
    let before = diags.len();
    let title = non_empty(file, "title", &raw.title, diags);
    let mut base_url = non_empty(file, "base_url", &raw.base_url, diags);
    if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
        diags.push(
            schema(
                file,
                file.line(&raw.base_url),
                format!("网站地址 base_url 应以 https:// 或 http:// 开头，现在是“{base_url}”。"),
            )
            .hint("写完整地址，如 base_url = \"https://www.example.gov.cn/jczwgk/\"。"),
        );
    }
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let site = Site {
        title,
        base_url,
        site_id_code: non_empty(file, "site_id_code", &raw.site_id_code, diags),
        organizer: non_empty(file, "organizer", &raw.organizer, diags),
        icp: non_empty(file, "icp", &raw.icp, diags),
        police_record: raw.police_record.clone().filter(|p| !p.trim().is_empty()),
        theme: raw
            .theme
            .as_ref()
            .map_or("default".to_owned(), |t| t.get_ref().clone()),
        language: raw.language.clone().unwrap_or_else(|| "zh-CN".to_owned()),
        font_dir: raw
            .font_dir
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(std::path::PathBuf::from),
        book: raw.book.unwrap_or(false),
    };
    if let Some(theme) = &raw.theme
        && !is_slug(theme.get_ref())
    {
        diags.push(
            schema(
                file,
                file.line(theme),
                "主题名 theme 只能由小写字母、数字和连字符组成。",
            )
            .hint("默认主题写 theme = \"default\"。"),
        );
    }
    (diags.len() == before).then_some(site)
}

/// True for `[a-z0-9-]+` not starting with `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn standard(raw: &RawCatalog, diags: &mut Vec<Diagnostic>) -> Standard {
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
            guideline: r.guideline.trim().to_owned(),
            issuer: r.issuer.trim().to_owned(),
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

fn standard_item<T>(
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
        level1: r.level1.trim().to_owned(),
        level2: r.level2.get_ref().trim().to_owned(),
        content: r.content.trim().to_owned(),
        basis: r.basis.trim().to_owned(),
        deadline: r.deadline.trim().to_owned(),
        cadence,
        limit_days,
        limit_unit,
        subject: r.subject.trim().to_owned(),
        channels: r.channels.clone(),
        audience: r.audience.get_ref().clone(),
        mode: r.mode.get_ref().clone(),
        levels,
        extra: r.extra.clone(),
        local,
    })
}

fn enum_error<T>(
    file: &Loaded<T>,
    key: &str,
    value: &Spanned<String>,
    allowed: &[&str],
) -> Diagnostic {
    let v = value.get_ref();
    let list = allowed
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join("、");
    let alias = CHINESE_VALUES
        .iter()
        .find(|(zh, en)| v.trim() == *zh && allowed.contains(en))
        .map(|(_, en)| *en);
    let hint = match alias.or_else(|| closest(v, allowed.iter().copied())) {
        Some(best) => format!("是否想写 \"{best}\"？可选值：{list}。"),
        None => format!("可选值：{list}。"),
    };
    schema(
        file,
        file.line(value),
        format!("`{key}` 的值 \"{v}\" 无效。"),
    )
    .hint(hint)
}

/// Chinese words clerks write for the machine values, to suggest the right one.
const CHINESE_VALUES: [(&str, &str); 16] = [
    ("县级", "county"),
    ("区级", "county"),
    ("县", "county"),
    ("乡级", "township"),
    ("镇级", "township"),
    ("街道", "township"),
    ("有效", "valid"),
    ("失效", "expired"),
    ("废止", "repealed"),
    ("每月", "monthly"),
    ("每季度", "quarterly"),
    ("每半年", "half-yearly"),
    ("每年", "yearly"),
    ("工作日", "working"),
    ("自然日", "calendar"),
    ("日", "calendar"),
];

fn calendar(files: &[Loaded<RawCalendar>], diags: &mut Vec<Diagnostic>) -> WorkCalendar {
    let mut calendar = WorkCalendar::new();
    for file in files {
        let year = *file.raw.year.get_ref();
        let Ok(year) = i32::try_from(year) else {
            diags.push(schema(file, file.line(&file.raw.year), "年份 year 无效。"));
            continue;
        };
        let mut days = Vec::new();
        for day in &file.raw.days {
            match toml_date(day.date.get_ref()) {
                Ok((date, None)) => days.push(CalendarDay {
                    date,
                    name: day.name.clone(),
                    off: day.off,
                }),
                _ => diags.push(
                    schema(file, file.line(&day.date), "日期无效。")
                        .hint("写成 date = 2026-01-01（不加引号，不带时间）。"),
                ),
            }
        }
        calendar.add_year(year, days);
    }
    calendar
}

/// A TOML date or local date-time as a civil date plus `HH:MM`.
fn toml_date(dt: &toml::value::Datetime) -> Result<(NaiveDate, Option<String>), String> {
    if dt.offset.is_some() {
        return Err("不要带时区".into());
    }
    let d = dt.date.ok_or("缺少日期部分")?;
    let date = NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        .ok_or_else(|| format!("{:04}-{:02}-{:02} 这一天不存在", d.year, d.month, d.day))?;
    Ok((
        date,
        dt.time.map(|t| format!("{:02}:{:02}", t.hour, t.minute)),
    ))
}

/// A front-matter date: a TOML date, a local date-time, or a quoted `YYYY-MM-DD`.
fn entry_date(
    file: &Loaded<RawEntryMeta>,
    key: &str,
    value: &Spanned<toml::Value>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(NaiveDate, Option<String>)> {
    let result = match value.get_ref() {
        toml::Value::Datetime(dt) => toml_date(dt),
        toml::Value::String(s) => match s.trim().parse::<toml::value::Datetime>() {
            Ok(dt) => toml_date(&dt),
            Err(_) => Err(ymd_problem(s.trim())),
        },
        other => Err(format!("这里写的是{}，不是日期", other.type_str())),
    };
    match result {
        Ok(v) => Some(v),
        Err(why) => {
            diags.push(
                schema(
                    file,
                    file.line(value),
                    format!("`{key}`{} 无效：{why}。", key_label(key)),
                )
                .hint(format!("写成 {key} = 2024-03-15（年-月-日，不加引号）。")),
            );
            None
        }
    }
}

/// Why a `YYYY-MM-DD`-looking string is not a date.
fn ymd_problem(s: &str) -> String {
    let parts: Vec<Option<u32>> = s.split('-').map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [Some(_), Some(m), Some(d)] if (1..=12).contains(m) && (1..=31).contains(d) => {
            format!("{s} 这一天不存在")
        }
        _ => format!("“{s}”不是日期"),
    }
}

fn units(
    dirs: Vec<UnitDir>,
    standard: &Standard,
    as_of: NaiveDate,
    diags: &mut Vec<Diagnostic>,
    mut records: Option<&mut Vec<(String, Record)>>,
) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut dirs = dirs;
    dirs.sort_by(|a, b| a.path.cmp(&b.path));
    for mut dir in dirs {
        let Some(file) = &dir.unit else { continue };
        let Some(mut unit) = unit(&dir.path, file, standard, diags) else {
            continue;
        };
        let folder = dir.path.rsplit('/').next().unwrap_or(&dir.path);
        let clash = if dir.path.contains('/') {
            let own = crate::model::UNIT_RESERVED_SEGMENTS.contains(&folder);
            standard
                .domain_index(folder)
                .map(|_| "领域 id")
                .or(own.then_some("上级单位栏目自用的文件夹名"))
        } else {
            RESERVED_SEGMENTS
                .contains(&folder)
                .then_some("网站自用的文件夹名")
        };
        if let Some(what) = clash {
            diags.push(
                Diagnostic::new(
                    Code::UnsafePath,
                    format!("单位文件夹名“{folder}”与{what}相同，生成的网址会冲突。"),
                )
                .in_file(&file.source.display)
                .scope(Some(&dir.path), None, None)
                .hint("给这个单位文件夹换一个名字（如加上区划代码后几位）。"),
            );
            continue;
        }
        unit.parent = dir
            .path
            .rsplit_once('/')
            .and_then(|(parent, _)| units.iter().position(|u| u.path == parent));
        // Entries are checked after the walk over the unit's folders, in parallel.
        let mut jobs: Vec<(usize, usize, LoadedEntry)> = Vec::new();
        for domain_dir in &mut dir.domain_dirs {
            let Some(d) = standard.domain_index(&domain_dir.name) else {
                let mut diag = Diagnostic::new(
                    Code::UnknownDomain,
                    format!(
                        "文件夹“{}”既不是标准目录中的领域，也不是下级单位（没有 unit.toml）。",
                        domain_dir.name
                    ),
                )
                .in_file(&domain_dir.display)
                .scope(Some(&unit.path), Some(&domain_dir.name), None);
                diag = match closest(&domain_dir.name, standard.domains.iter().map(|d| d.id.as_str())) {
                    Some(best) => diag.hint(format!("是否应命名为“{best}”？")),
                    None => diag.hint("领域文件夹要用标准目录中的领域 id 命名（见 standard/ 下的文件名）；如果这是下级单位，请在其中添加 unit.toml。"),
                };
                diags.push(diag);
                continue;
            };
            let domain = &standard.domains[d];
            for item_dir in &mut domain_dir.items {
                let scope = (
                    Some(unit.path.as_str()),
                    Some(domain.id.as_str()),
                    Some(item_dir.name.as_str()),
                );
                let Some(i) = domain.item_index(&item_dir.name) else {
                    let mut diag = Diagnostic::new(
                        Code::UnknownItem,
                        format!("领域“{}”中没有事项“{}”。", domain.name, item_dir.name),
                    )
                    .in_file(&item_dir.display)
                    .scope(scope.0, scope.1, scope.2);
                    diag = match closest(&item_dir.name, domain.items.iter().map(|i| i.id.as_str()))
                    {
                        Some(best) => diag.hint(format!("是否应命名为“{best}”？")),
                        None => diag.hint(format!(
                            "用 `gongkai list {}` 查看本单位可用的事项 id。",
                            unit.path
                        )),
                    };
                    diags.push(diag);
                    continue;
                };
                let item = &domain.items[i];
                if !item.applies_to(unit.level) {
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownItem,
                            format!(
                                "事项“{}”（{}）的公开层级不含{}，{}的目录中没有这个事项。",
                                item.level2,
                                item.id,
                                unit.level.label(),
                                unit.name
                            ),
                        )
                        .in_file(&item_dir.display)
                        .scope(scope.0, scope.1, scope.2)
                        .hint("把条目移到上级（县级）单位的同名文件夹，或在 standard/local/ 中为本级补充事项。"),
                    );
                    continue;
                }
                let entries = std::mem::take(&mut item_dir.entries);
                jobs.extend(entries.into_iter().map(|e| (d, i, e)));
            }
        }
        let recording = records.is_some();
        let checked: Vec<(Option<Entry>, Vec<Diagnostic>, Option<Record>)> = jobs
            .into_par_iter()
            .map(|(d, i, job)| {
                let (model, mut found, record) = match job {
                    LoadedEntry::Parsed(file) => {
                        let mut found = Vec::new();
                        let model = entry_model(&file, &unit, d, i, as_of, &mut found);
                        let record = model
                            .as_ref()
                            .filter(|_| recording && file.cacheable())
                            .and_then(|m| Record::new(file.key, file.context, file.stamp, m));
                        (model, found, record)
                    }
                    LoadedEntry::Cached(CachedEntry { mut entry, record }) => {
                        (entry.domain, entry.item) = (d, i);
                        (Some(entry), Vec::new(), Some(record))
                    }
                };
                let (domain, item) = (&standard.domains[d], &standard.domains[d].items[i]);
                for diag in &mut found {
                    diag.unit = Some(unit.path.clone());
                    diag.domain = Some(domain.id.clone());
                    diag.item = Some(item.id.clone());
                }
                (model, found, record)
            })
            .collect();
        for (model, mut found, record) in checked {
            if let (Some(records), Some(model), Some(record)) =
                (records.as_deref_mut(), &model, record)
            {
                records.push((model.source.clone(), record));
            }
            unit.entries.extend(model);
            diags.append(&mut found);
        }
        unit.entries.sort_by(|a, b| {
            (a.domain, a.item)
                .cmp(&(b.domain, b.item))
                .then_with(|| b.published.cmp(&a.published))
                .then_with(|| b.last_update().cmp(&a.last_update()))
                .then_with(|| a.slug.cmp(&b.slug))
        });
        units.push(unit);
    }
    for i in 0..units.len() {
        if let Some(p) = units[i].parent {
            units[p].children.push(i);
        }
    }
    units
}

fn unit(
    path: &str,
    file: &Loaded<RawUnit>,
    standard: &Standard,
    diags: &mut Vec<Diagnostic>,
) -> Option<Unit> {
    let r = &file.raw;
    let before = diags.len();
    let level = Level::parse(r.level.get_ref());
    if level.is_none() {
        diags.push(enum_error(file, "level", &r.level, &["county", "township"]));
    }
    let code = r.code.get_ref().trim();
    if !(code.bytes().all(|b| b.is_ascii_digit()) && matches!(code.len(), 6 | 9 | 12)) {
        diags.push(
            schema(
                file,
                file.line(&r.code),
                format!("区划代码 code = \"{code}\" 无效。"),
            )
            .hint("填 6 位或 9 位行政区划代码，或 12 位统计用区划代码（只含数字）。"),
        );
    }
    let org_code = non_empty(file, "org_code", &r.org_code, diags);
    if org_code.contains(['/', ' ']) {
        diags.push(
            schema(
                file,
                file.line(&r.org_code),
                "机构代码 org_code 不能含有空格或斜杠 /。",
            )
            .hint("填发布机构的统一社会信用代码或组织机构代码。"),
        );
    }
    let mut exempt: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for ex in &r.exempt {
        let target = ex.item.get_ref().trim();
        let reason = ex.reason.get_ref().trim();
        let line = file.line(&ex.item);
        let Some((domain_id, item_id)) = target.split_once('/') else {
            diags.push(
                schema(file, line, format!("不涉及事项 item = \"{target}\" 格式不对。"))
                    .hint("写成 item = \"<领域id>/<事项id>\"，如 item = \"shuishou-guanli/nashui-fuwu\"。"),
            );
            continue;
        };
        let Some(d) = standard.domain_index(domain_id) else {
            let mut diag = Diagnostic::new(
                Code::UnknownDomain,
                format!("不涉及事项中的领域“{domain_id}”不存在。"),
            )
            .at(&file.source, line)
            .scope(Some(path), Some(domain_id), None);
            if let Some(best) = closest(domain_id, standard.domains.iter().map(|d| d.id.as_str())) {
                diag = diag.hint(format!("是否想写“{best}”？"));
            }
            diags.push(diag);
            continue;
        };
        let domain = &standard.domains[d];
        if domain.item_index(item_id).is_none() {
            let mut diag = Diagnostic::new(
                Code::UnknownItem,
                format!("领域“{}”中没有事项“{item_id}”。", domain.name),
            )
            .at(&file.source, line)
            .scope(Some(path), Some(domain_id), Some(item_id));
            if let Some(best) = closest(item_id, domain.items.iter().map(|i| i.id.as_str())) {
                diag = diag.hint(format!("是否想写“{domain_id}/{best}”？"));
            }
            diags.push(diag);
            continue;
        }
        if reason.is_empty() {
            diags.push(
                schema(
                    file,
                    file.line(&ex.reason),
                    "不涉及事项必须写明原因 reason。",
                )
                .hint("如 reason = \"本镇无国有土地上房屋征收项目\"。"),
            );
            continue;
        }
        exempt
            .entry(domain_id.to_owned())
            .or_default()
            .insert(item_id.to_owned(), reason.to_owned());
    }
    let unit = Unit {
        path: path.to_owned(),
        name: non_empty(file, "name", &r.name, diags),
        level: level.unwrap_or(Level::County),
        code: code.to_owned(),
        org_code,
        publisher: non_empty(file, "publisher", &r.publisher, diags),
        address: r.address.clone(),
        phone: r.phone.clone(),
        hours: r.hours.clone(),
        exempt,
        parent: None,
        children: Vec::new(),
        entries: Vec::new(),
    };
    (diags.len() == before).then_some(unit)
}

fn entry_model(
    file: &EntryFile,
    unit: &Unit,
    domain: usize,
    item: usize,
    as_of: NaiveDate,
    diags: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    let meta = &file.meta;
    let r = &meta.raw;
    let before = diags.len();
    let title = non_empty(meta, "title", &r.title, diags);
    let created = entry_date(meta, "created", &r.created, diags);
    let published = entry_date(meta, "published", &r.published, diags);
    let updated = r
        .updated
        .as_ref()
        .and_then(|u| entry_date(meta, "updated", u, diags));
    let expires = r
        .expires
        .as_ref()
        .and_then(|u| entry_date(meta, "expires", u, diags));
    let validity = match &r.validity {
        None => Some(Validity::Valid),
        Some(v) => Validity::parse(v.get_ref()).or_else(|| {
            diags.push(enum_error(
                meta,
                "validity",
                v,
                &["valid", "expired", "repealed"],
            ));
            None
        }),
    };
    let index_no = r.index_no.as_ref().map(|n| n.get_ref().trim().to_owned());
    if let Some(n) = &r.index_no
        && (n.get_ref().trim().is_empty() || n.get_ref().contains(char::is_whitespace))
    {
        diags.push(
            schema(meta, meta.line(n), "索引号 index_no 不能为空或含有空格。")
                .hint(format!("格式为 <机构代码>/<年份>-<5位序号>，如 \"{}/2024-00001\"；不确定时删除这一行，由系统自动编号。", unit.org_code)),
        );
    }
    let (Some((created, _)), Some((published, published_time)), Some(validity)) =
        (created, published, validity)
    else {
        return None;
    };
    if published < created {
        diags.push(
            Diagnostic::new(
                Code::DateOrder,
                format!("发布日期 published（{published}）早于成文日期 created（{created}）。"),
            )
            .at(&meta.source, meta.line(&r.published))
            .hint("信息要先形成再发布：检查两个日期是否填反或写错年份。"),
        );
    }
    if let (Some((u, _)), Some(raw)) = (updated.as_ref(), r.updated.as_ref())
        && *u < published
    {
        diags.push(
            Diagnostic::new(
                Code::DateOrder,
                format!("变更日期 updated（{u}）早于发布日期 published（{published}）。"),
            )
            .at(&meta.source, meta.line(raw))
            .hint("变更日期是发布之后内容变化的日期；没有变更请删除 updated 这一行。"),
        );
    }
    for (key, date, raw) in [
        ("published", Some(published), Some(&r.published)),
        ("updated", updated.as_ref().map(|u| u.0), r.updated.as_ref()),
    ] {
        if let (Some(date), Some(raw)) = (date, raw)
            && date > as_of
        {
            diags.push(
                schema(
                    meta,
                    meta.line(raw),
                    format!(
                        "`{key}`{} 为 {date}，晚于核查日期 {as_of}：还没到的日期不能作为已发布。",
                        key_label(key)
                    ),
                )
                .hint("检查日期是否写错；尚未发布的条目先不要放进目录。"),
            );
        }
    }
    let lines = EntryLines {
        published: meta.line(&r.published),
        updated: r.updated.as_ref().map(|u| meta.line(u)),
        expires: r.expires.as_ref().map(|u| meta.line(u)),
        validity: r.validity.as_ref().map(|u| meta.line(u)),
        index_no: r.index_no.as_ref().map(|u| meta.line(u)),
    };
    let depth = 3 + unit.path.split('/').count() + usize::from(file.in_folder);
    for link in links::unsafe_links(file.body(), depth) {
        diags.push(
            Diagnostic::new(
                Code::UnsafePath,
                format!("链接“{}”{}，已拒绝。", link.target, link.why),
            )
            .at(&meta.source, file.body_line + link.line - 1)
            .hint("附件请放进条目文件夹（<条目>/index.md 旁边），用 [名称](文件名) 链接；外部网页写完整的 https:// 地址。"),
        );
    }
    let exception = r
        .privacy_exception
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if exception.is_none() {
        for number in crate::privacy::scan(&meta.source.text) {
            diags.push(privacy_finding(&meta.source.display, &number, Found::Entry));
        }
        for attachment in &file.attachments {
            scan_attachment(attachment, diags);
        }
    }
    let body = Body::new(file.body().to_owned(), file.body_at);
    let entry = Entry {
        domain,
        item,
        slug: file.slug.clone(),
        source: meta.source.display.clone(),
        lines,
        body_line: file.body_line,
        title,
        created,
        published,
        published_time,
        updated: updated.map(|u| u.0),
        doc_no: r.doc_no.clone().filter(|d| !d.trim().is_empty()),
        index_no: index_no.unwrap_or_default(),
        index_no_derived: false,
        publisher: r
            .publisher
            .clone()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| unit.publisher.clone()),
        validity,
        expires: expires.map(|e| e.0),
        topic: r.topic.clone().filter(|t| !t.trim().is_empty()),
        summary: r.summary.clone().filter(|s| !s.trim().is_empty()),
        privacy_exception: r.privacy_exception.clone(),
        body,
        attachments: file
            .attachments
            .iter()
            .map(|a| Attachment {
                name: a.name.clone(),
                path: a.path.clone(),
                size: a.size,
            })
            .collect(),
        links: links::relative_links(file.body())
            .into_iter()
            .map(|(target, line)| BodyLink {
                target,
                line: file.body_line + line - 1,
            })
            .collect(),
    };
    (diags.len() == before).then_some(entry)
}

/// Reports unmasked personal numbers in an attachment whose text can be read (see
/// [`attachments`]): it is published as it is.
fn scan_attachment(attachment: &AttachmentFile, diags: &mut Vec<Diagnostic>) {
    let Some(format) = attachments::Format::of(&attachment.name) else {
        return;
    };
    let display = crate::source::display_path(&attachment.path);
    let pieces = match attachments::read(&attachment.path, &display, format) {
        Ok(pieces) => pieces,
        Err(attachments::Unreadable::Io(e)) => {
            diags.push(crate::source::io_error(&display, &e));
            return;
        }
        Err(attachments::Unreadable::Format(why)) => {
            diags.push(
                Diagnostic::new(
                    Code::Privacy,
                    format!(
                        "无法检查附件“{}”中有没有未打码的个人信息：{why}",
                        attachment.name
                    ),
                )
                .in_file(display)
                .hint("确认文件能用 Excel、WPS、Word 或 PDF 阅读器打开，没有损坏、没有设置打开密码，另存一份后放回；确需原样公开的，在条目的 front matter 中写 privacy_exception = \"理由\"。"),
            );
            return;
        }
    };
    for piece in pieces {
        for number in crate::privacy::scan(&piece.text) {
            let (place, line) = format.locate(piece.place.as_deref(), number.line);
            let found = Found::Attachment {
                name: &attachment.name,
                place,
                line,
            };
            diags.push(privacy_finding(&display, &number, found));
        }
    }
}

/// Where an unmasked number was found.
enum Found<'a> {
    /// In the entry's own file.
    Entry,
    /// In its attachment `name`: at `place` (a workbook's sheet and row, a document's
    /// paragraph, a PDF's page and line; empty for a text file) and, for a text file, `line`
    /// ([`attachments::Format::locate`]).
    Attachment {
        name: &'a str,
        place: String,
        line: Option<u32>,
    },
}

/// The finding for an unmasked number in `file`. The line holds the number itself, so it is
/// never echoed into logs.
fn privacy_finding(
    file: &str,
    number: &crate::privacy::PersonalNumber,
    found: Found,
) -> Diagnostic {
    let mask_hint = "把号码中间打码（如 4401**********1234、138****5678）";
    let (place, line, hint) = match found {
        Found::Entry => (
            "发现".to_owned(),
            Some(number.line),
            format!(
                "{mask_hint}；确属依法公开的（如单位热线），在 front matter 中写 privacy_exception = \"理由\"。"
            ),
        ),
        Found::Attachment { name, place, line } => (
            format!("附件“{name}”{place}中有"),
            line,
            format!(
                "在附件中{mask_hint}后重新保存；确属依法公开的（如单位热线），在条目的 front matter 中写 privacy_exception = \"理由\"。"
            ),
        ),
    };
    let mut finding = Diagnostic::new(
        Code::Privacy,
        format!(
            "{place}未打码的{}“{}”，公开会泄露个人信息。",
            number.kind.label(),
            number.masked
        ),
    )
    .in_file(file)
    .hint(hint);
    finding.line = line;
    finding
}

/// Checks 索引号 are unique across the catalog and derives the missing ones: for each unit's
/// `org_code` and publication year, the next serial after the highest in use, in order of
/// (unit path, publication date, file), so the result is deterministic.
fn assign_index_numbers(units: &mut [Unit], standard: &Standard, diags: &mut Vec<Diagnostic>) {
    let ids = |e: &Entry| {
        let domain = &standard.domains[e.domain];
        (domain.id.clone(), domain.items[e.item].id.clone())
    };
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut highest: BTreeMap<String, u32> = BTreeMap::new();
    for unit in units.iter() {
        for e in unit.entries.iter().filter(|e| !e.index_no.is_empty()) {
            if let Some(first) = seen.insert(e.index_no.clone(), e.source.clone()) {
                let mut d = Diagnostic::new(
                    Code::DuplicateIndexNo,
                    format!("索引号“{}”已被 {first} 使用。", e.index_no),
                )
                .in_file(&e.source)
                .scope(Some(&unit.path), Some(&ids(e).0), Some(&ids(e).1))
                .hint(
                    "索引号一经分配不得重复使用：删除这一行让系统自动编号，或改用未被占用的序号。",
                );
                d.line = e.lines.index_no;
                diags.push(d);
            }
            if let Some((prefix, serial)) = split_index_no(&e.index_no) {
                let max = highest.entry(prefix.to_owned()).or_default();
                *max = (*max).max(serial);
            }
        }
    }
    let mut order: Vec<(usize, usize)> = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        for (i, e) in unit.entries.iter().enumerate() {
            if e.index_no.is_empty() {
                order.push((u, i));
            }
        }
    }
    order.sort_by(|&(ua, ia), &(ub, ib)| {
        let (a, b) = (&units[ua].entries[ia], &units[ub].entries[ib]);
        (&units[ua].path, a.published, &a.source).cmp(&(&units[ub].path, b.published, &b.source))
    });
    for (u, i) in order {
        let prefix = format!(
            "{}/{}",
            units[u].org_code,
            units[u].entries[i].published.year()
        );
        let serial = highest.entry(prefix.clone()).or_default();
        *serial += 1;
        let index_no = format!("{prefix}-{:05}", serial);
        let (domain_id, item_id) = ids(&units[u].entries[i]);
        let entry = &mut units[u].entries[i];
        diags.push(
            Diagnostic::new(
                Code::IndexNoDerived,
                format!("条目没有索引号，已自动编为“{index_no}”。"),
            )
            .in_file(&entry.source)
            .scope(Some(&units[u].path), Some(&domain_id), Some(&item_id))
            .hint(format!(
                "索引号应固定不变：请在 front matter 中加一行 index_no = \"{index_no}\"。"
            )),
        );
        entry.index_no = index_no;
        entry.index_no_derived = true;
    }
}

/// `<prefix>/<year>-<serial>` → (`<prefix>/<year>`, serial).
fn split_index_no(index_no: &str) -> Option<(&str, u32)> {
    let (prefix, serial) = index_no.rsplit_once('-')?;
    prefix.contains('/').then_some(())?;
    Some((prefix, serial.parse().ok()?))
}
