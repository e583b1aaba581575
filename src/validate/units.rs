//! Unit folders: `unit.toml`, its exemptions, and the entries beneath it (each checked by
//! [`super::entries`]).

use super::entries::entry_model;
use super::fields::*;
use crate::diag::{Code, Diagnostic};
use crate::incremental::cache::Record;
use crate::load::raw::*;
use crate::load::{CachedEntry, Loaded, LoadedEntry, UnitDir};
use crate::model::*;
use crate::names::closest;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What checking one unit's entries found besides the entries: its findings, and the cache
/// records of its entries (by source file), both in the order the entries were read.
type UnitChecked = (Vec<Diagnostic>, Vec<(String, Record)>);

/// Sorts a unit's entries into the order its pages list them: by item, then newest first.
/// An entry is over a kilobyte, so the order is found on their positions and each entry is then
/// moved once, not at every step of the sort.
pub fn sort_entries(entries: &mut Vec<Entry>) {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&entries[a], &entries[b]);
        (a.domain, a.item)
            .cmp(&(b.domain, b.item))
            .then_with(|| b.published.cmp(&a.published))
            .then_with(|| b.last_update().cmp(&a.last_update()))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let mut slots: Vec<Option<Entry>> = std::mem::take(entries).into_iter().map(Some).collect();
    entries.reserve_exact(slots.len());
    entries.extend(order.iter().filter_map(|&i| slots[i].take()));
}

/// What checking an entry needs besides the entry and its unit.
pub(super) struct EntryChecks<'a> {
    pub(super) standard: &'a Standard,
    pub(super) as_of: NaiveDate,
    pub(super) limits: &'a Limits,
    /// Whether cache records are kept for the next build.
    pub(super) recording: bool,
}

impl EntryChecks<'_> {
    /// Checks `unit`'s entries (each with its domain and item) in parallel, puts them into the
    /// unit in page order ([`sort_entries`]) and returns the rest of what was found.
    fn unit_entries(&self, unit: &mut Unit, jobs: Vec<(usize, usize, LoadedEntry)>) -> UnitChecked {
        let results: Vec<(Option<Entry>, Vec<Diagnostic>, Option<Record>)> = jobs
            .into_par_iter()
            .map(|(d, i, job)| self.entry(unit, d, i, job))
            .collect();
        let mut unit_diags = Vec::new();
        let mut unit_records = Vec::new();
        unit.entries.reserve_exact(results.len());
        for (model, mut found, record) in results {
            if let (Some(model), Some(record)) = (&model, record) {
                unit_records.push((model.source.clone(), record));
            }
            unit.entries.extend(model);
            unit_diags.append(&mut found);
        }
        sort_entries(&mut unit.entries);
        (unit_diags, unit_records)
    }

    /// One entry of item `i` of domain `d` in `unit`: its model (from the file, or as cached),
    /// its findings, scoped to the unit, domain and item, and its cache record.
    pub(super) fn entry(
        &self,
        unit: &Unit,
        d: usize,
        i: usize,
        job: LoadedEntry,
    ) -> (Option<Entry>, Vec<Diagnostic>, Option<Record>) {
        let (model, mut found, record) = match job {
            LoadedEntry::Parsed(file) => {
                let mut found = Vec::new();
                let model = entry_model(&file, unit, d, i, self.as_of, self.limits, &mut found);
                let record = model
                    .as_ref()
                    .filter(|_| self.recording && file.cacheable() && found.is_empty())
                    .and_then(|m| Record::new(file.key, file.context, file.stamp, m));
                (model, found, record)
            }
            LoadedEntry::Cached(cached) => {
                let CachedEntry { mut entry, record } = *cached;
                (entry.domain, entry.item) = (d, i);
                (Some(entry), Vec::new(), Some(record))
            }
        };
        let domain = &self.standard.domains[d];
        for diag in &mut found {
            diag.unit = Some(unit.path.clone());
            diag.domain = Some(domain.id.clone());
            diag.item = Some(domain.items[i].id.clone());
        }
        (model, found, record)
    }
}

pub(super) fn units(
    dirs: Vec<UnitDir>,
    standard: &Standard,
    as_of: NaiveDate,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
    mut records: Option<&mut Vec<(String, Record)>>,
) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    // Each unit's entries, checked once all units are read (see below).
    let mut jobs: Vec<Vec<(usize, usize, LoadedEntry)>> = Vec::new();
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
        if unit.level == Level::Village
            && unit.parent.map(|p| units[p].level) != Some(Level::Township)
        {
            let under = match unit.parent {
                Some(p) => format!("上级“{}”是{}单位", units[p].name, units[p].level.label()),
                None => "它不在任何单位的文件夹中".to_owned(),
            };
            diags.push(
                schema(
                    file,
                    file.line(&file.raw.level),
                    format!("村级单位“{}”应放在乡镇（街道）的文件夹中，但{under}。", unit.name),
                )
                .hint("把这个村（社区）的文件夹移到所属乡镇（街道）的文件夹里；若它本身是乡镇（街道），把 level 改为 \"township\"。"),
            );
            continue;
        }
        let mut unit_jobs = Vec::new();
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
                unit_jobs.extend(entries.into_iter().map(|e| (d, i, e)));
            }
        }
        units.push(unit);
        jobs.push(unit_jobs);
    }
    let checks = EntryChecks {
        standard,
        as_of,
        limits,
        recording: records.is_some(),
    };
    // Units are checked side by side and so are the entries within each; a unit's results go
    // into it as soon as its entries are checked, so only the units in progress hold them twice.
    let checked: Vec<UnitChecked> = units
        .par_iter_mut()
        .zip(jobs)
        .map(|(unit, jobs)| checks.unit_entries(unit, jobs))
        .collect();
    for (mut unit_diags, mut unit_records) in checked {
        diags.append(&mut unit_diags);
        if let Some(records) = records.as_deref_mut() {
            records.append(&mut unit_records);
        }
    }
    for i in 0..units.len() {
        if let Some(p) = units[i].parent {
            units[p].children.push(i);
        }
    }
    for p in 0..units.len() {
        let mut children = std::mem::take(&mut units[p].children);
        children.sort_by(|&a, &b| units[a].shown_before(&units[b]));
        units[p].children = children;
    }
    units
}

pub(super) fn unit(
    path: &str,
    file: &Loaded<RawUnit>,
    standard: &Standard,
    diags: &mut Vec<Diagnostic>,
) -> Option<Unit> {
    let r = &file.raw;
    let before = diags.len();
    let level = Level::parse(r.level.get_ref());
    if level.is_none() {
        diags.push(enum_error(
            file,
            "level",
            &r.level,
            &["county", "township", "village"],
        ));
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
    let office = super::office::office(file, diags);
    let unit = Unit {
        path: path.to_owned(),
        name: non_empty(file, "name", &r.name, diags),
        level: level.unwrap_or(Level::County),
        code: code.to_owned(),
        org_code,
        publisher: non_empty(file, "publisher", &r.publisher, diags),
        order: r.order.as_ref().map(|o| *o.get_ref()),
        // An empty contact field is no field: the site shows no empty labels.
        address: r.address.clone().filter(|s| !s.trim().is_empty()),
        phone: r.phone.clone().filter(|s| !s.trim().is_empty()),
        hours: r.hours.clone().filter(|s| !s.trim().is_empty()),
        office,
        exempt,
        parent: None,
        children: Vec::new(),
        entries: Vec::new(),
    };
    let valid = diags.len() == before;
    super::placeholders::unit(path, file, diags);
    // A village's applications go to its township's office (see `Catalog::disclosure_unit`):
    // its own [office] is optional.
    if unit.level != Level::Village {
        diags.extend(super::office::incomplete(path, file, &unit.office));
    }
    valid.then_some(unit)
}
