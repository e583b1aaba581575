//! For the clerk who writes entries: `gongkai new` creates a correctly placed entry file with
//! complete front matter and the next free 索引号; `gongkai list` shows a unit's applicable items
//! with their ids, so the clerk can find the id to use.

use crate::failure::Failure;
use crate::model::{Catalog, Unit};
use crate::names::closest;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Finds a unit by its path under `units/`, suggesting the closest on a typo.
pub fn find_unit<'a>(catalog: &'a Catalog, path: &str) -> Result<&'a Unit, Failure> {
    let path = path.trim_matches('/');
    let path = path.strip_prefix("units/").unwrap_or(path);
    if let Some(unit) = catalog.units.iter().find(|u| u.path == path) {
        return Ok(unit);
    }
    // A unit's name (东山镇) instead of its folder path: exactly, or else as part of the name.
    // Listed as the site lists them (siblings by `order`).
    let shown: Vec<&Unit> = catalog
        .units_in_order()
        .into_iter()
        .map(|u| &catalog.units[u])
        .collect();
    let named: Vec<&Unit> = shown.iter().copied().filter(|u| u.name == path).collect();
    let named = if named.is_empty() && !path.is_empty() && !path.is_ascii() {
        shown
            .iter()
            .copied()
            .filter(|u| u.name.contains(path))
            .collect()
    } else {
        named
    };
    match named.as_slice() {
        [unit] => return Ok(unit),
        [] => {}
        several => {
            let choices: Vec<String> = several
                .iter()
                .map(|u| format!("  {}（{}）", u.path, u.name))
                .collect();
            return Err(Failure(format!(
                "名称“{path}”对应 {} 个单位，请从下面选一个，写它的路径：\n{}",
                several.len(),
                choices.join("\n")
            )));
        }
    }
    let hint = closest(path, catalog.units.iter().map(|u| u.path.as_str()))
        .map(|best| format!("是否想写“{best}”？"))
        .unwrap_or_else(|| {
            let all: Vec<String> = shown
                .iter()
                .map(|u| format!("{}（{}）", u.path, u.name))
                .collect();
            format!("现有单位：{}。", all.join("、"))
        });
    Err(Failure(format!(
        "找不到单位“{path}”（units/ 下的文件夹路径，或单位名称）。{hint}"
    )))
}

/// The one candidate whose name matches `query` exactly, or else contains it, or else holds
/// its characters in order (an abbreviation: 低保 for 最低生活保障, taken from the names in the
/// standard, with no table of abbreviations to keep); several are refused with the list to
/// choose from (`what` names the kind, e.g. 事项).
fn by_name<'a, T>(
    query: &str,
    candidates: &'a [T],
    name: impl Fn(&T) -> String,
    shown: impl Fn(&T) -> String,
    what: &str,
) -> Result<Option<&'a T>, Failure> {
    let exact: Vec<&T> = candidates
        .iter()
        .filter(|c| name(c) == query || name(c).ends_with(&format!(" · {query}")))
        .collect();
    let found = if exact.is_empty() {
        let containing: Vec<&T> = candidates
            .iter()
            .filter(|c| name(c).contains(query))
            .collect();
        if containing.is_empty() {
            candidates
                .iter()
                .filter(|c| abbreviates(query, &name(c)))
                .collect()
        } else {
            containing
        }
    } else {
        exact
    };
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        several => Err(Failure(format!(
            "“{query}”对应 {} 个{what}，请从下面选一个，写它的 id：\n{}",
            several.len(),
            several
                .iter()
                .map(|c| format!("  {}", shown(c)))
                .collect::<Vec<_>>()
                .join("\n")
        ))),
    }
}

/// Whether `short` abbreviates `name`: two or more characters (separators aside), all found in
/// `name` in the same order, as Chinese abbreviations are made (低保 → 最低生活保障, 危改 →
/// 农村危房改造).
fn abbreviates(short: &str, name: &str) -> bool {
    let separator = |c: char| c.is_whitespace() || c == '·';
    if short.chars().filter(|&c| !separator(c)).count() < 2 {
        return false;
    }
    let mut rest = name.chars();
    short
        .chars()
        .filter(|&c| !separator(c))
        .all(|c| rest.any(|n| n == c))
}

/// A new entry to create.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// `<unit-path>`, e.g. `shiqu/shizhen`.
    pub unit: String,
    /// `<domain-id>/<item-id>` (or names). Left out for a 解读 (`interprets`): the item the
    /// standard gives for 解读 in the interpreted document's domain.
    pub item: Option<String>,
    /// 标题; a placeholder when absent.
    pub title: Option<String>,
    /// 成文日期 and 发布日期.
    pub date: NaiveDate,
    /// `interprets`: the 索引号 of the documents this 解读 explains.
    pub interprets: Vec<String>,
    /// `replaces`: the 索引号 of the documents this one replaces.
    pub replaces: Vec<String>,
    /// `responds_to`: the 索引号 of the consultation this adoption report answers.
    pub responds_to: Option<String>,
}

/// Where a 解读 goes when `new` is given no item: the item of the interpreted document's domain
/// whose name says 解读 (政策解读, 重大政策解读及回应, …) and that applies to the unit's level —
/// 上级政策解读 rather than 本级 when the document is another unit's and the domain has both.
fn interpretation_item(catalog: &Catalog, unit: &Unit, new: &NewEntry) -> Result<String, Failure> {
    let Some(no) = new.interprets.first() else {
        return Err(Failure(format!(
            "没有写事项。写成 gongkai new {} <领域id>/<事项id>，用 gongkai list {} 查看可用的事项；新建政策解读时可以只写 --interprets <所解读文件的索引号>。",
            new.unit, unit.path
        )));
    };
    // An unknown 索引号 is reported by `relation_lines`, with the closest one as a hint.
    let Some((owner, document)) = catalog
        .units
        .iter()
        .flat_map(|u| u.entries.iter().map(move |e| (u, e)))
        .find(|(_, e)| e.index_no == *no)
    else {
        relation_lines(catalog, new)?;
        return Err(Failure(format!("找不到索引号为“{no}”的信息。")));
    };
    let domain = &catalog.standard.domains[document.domain];
    let candidates: Vec<&crate::model::Item> = domain
        .items
        .iter()
        .filter(|i| i.applies_to(unit.level) && i.name().contains("解读"))
        .collect();
    let own = owner.path == unit.path;
    let preferred: Vec<&crate::model::Item> = candidates
        .iter()
        .copied()
        .filter(|i| {
            let name = i.name();
            if own {
                !name.contains("上级")
            } else {
                !name.contains("本级")
            }
        })
        .collect();
    match (preferred.as_slice(), candidates.as_slice()) {
        ([item], _) | ([], [item]) => Ok(format!("{}/{}", domain.id, item.id)),
        _ => {
            let choices = if candidates.is_empty() {
                format!(
                    "“{}”领域没有适用于{}单位的政策解读事项，请写明放在哪个事项下（用 gongkai list {} 查看）",
                    domain.name,
                    unit.level.label(),
                    unit.path
                )
            } else {
                let names: Vec<String> = candidates
                    .iter()
                    .map(|i| format!("{}/{}（{}）", domain.id, i.id, i.name()))
                    .collect();
                format!(
                    "“{}”领域有几个解读事项，请从中选一个写上：{}",
                    domain.name,
                    names.join("、")
                )
            };
            Err(Failure(format!(
                "所解读的文件《{}》属于{}。{choices}，如 gongkai new {} <领域id>/<事项id> --interprets {no}。",
                document.title, domain.name, new.unit
            )))
        }
    }
}

/// The relation lines of a new entry's front matter, each 索引号 checked against the catalog:
/// an unknown one (with the closest existing one as a hint), or a `responds_to` naming an entry
/// that is not a consultation, is refused before anything is written.
fn relation_lines(catalog: &Catalog, new: &NewEntry) -> Result<String, Failure> {
    let find = |no: &str| {
        catalog
            .units
            .iter()
            .flat_map(|u| &u.entries)
            .find(|e| e.index_no == no)
    };
    let check = |key: &str, no: &str| -> Result<(), Failure> {
        let Some(entry) = find(no) else {
            let all = catalog
                .units
                .iter()
                .flat_map(|u| &u.entries)
                .map(|e| e.index_no.as_str());
            let hint = closest(no, all)
                .map(|b| format!("是否想写“{b}”？"))
                .unwrap_or_else(|| "照抄对方条目页面上“索引号”一栏的内容。".to_owned());
            return Err(Failure(format!(
                "--{} 给出的索引号“{no}”没有对应的条目。{hint}",
                key.replace('_', "-")
            )));
        };
        if key == "responds_to" && entry.consultation.is_none() {
            return Err(Failure(format!(
                "--responds-to 给出的“{}”（{no}）不是征求意见稿（没有 consultation）：意见采纳情况要指向征求意见稿本身。",
                entry.title
            )));
        }
        Ok(())
    };
    let list = |nos: &[String]| {
        nos.iter()
            .map(|n| toml_string(n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = String::new();
    if !new.interprets.is_empty() {
        for no in &new.interprets {
            check("interprets", no)?;
        }
        lines.push_str(&format!(
            "interprets = [{}]  # 本条是这些文件的政策解读\n",
            list(&new.interprets)
        ));
    }
    if !new.replaces.is_empty() {
        for no in &new.replaces {
            check("replaces", no)?;
        }
        lines.push_str(&format!(
            "replaces = [{}]  # 本文件替代这些文件（它们随之显示为失效）\n",
            list(&new.replaces)
        ));
    }
    if let Some(no) = &new.responds_to {
        check("responds_to", no)?;
        lines.push_str(&format!(
            "responds_to = {}  # 本条是该征求意见稿的意见采纳情况\n",
            toml_string(no)
        ));
    }
    Ok(lines)
}

/// Writes the new entry file under `root` and returns its path. Never overwrites a file.
pub fn new_entry(root: &Path, catalog: &Catalog, new: &NewEntry) -> Result<PathBuf, Failure> {
    let unit = find_unit(catalog, &new.unit)?;
    let item_arg = match &new.item {
        Some(item) => item.clone(),
        None => interpretation_item(catalog, unit, new)?,
    };
    let (domain_id, item_id) = item_arg.split_once('/').ok_or_else(|| {
        Failure(format!(
            "事项“{}”的写法不对，应写成 <领域id>/<事项id>，如 shehui-jiuzhu/dibao-zhengce。用 gongkai list {} 查看可用的事项。",
            item_arg, unit.path
        ))
    })?;
    // Names instead of ids: 社会救助/最低生活保障 (or a unique part of the name).
    let (domain_id, item_id) = (domain_id.trim(), item_id.trim());
    let domain_id = match catalog.standard.domain_index(domain_id) {
        Some(_) => domain_id,
        None if !domain_id.is_ascii() => by_name(
            domain_id,
            &catalog.standard.domains,
            |d| d.name.clone(),
            |d| format!("{}（{}）", d.id, d.name),
            "领域",
        )?
        .map_or(domain_id, |d| d.id.as_str()),
        None => domain_id,
    };
    let item_id = match catalog.standard.domain_index(domain_id) {
        Some(d) if !item_id.is_ascii() => {
            let domain = &catalog.standard.domains[d];
            let applicable: Vec<&crate::model::Item> = domain
                .items
                .iter()
                .filter(|i| i.applies_to(unit.level))
                .collect();
            // 审核信息, or 最低生活保障/审核信息 where a 二级事项 name recurs under several 一级事项.
            let query = item_id.replace('/', " · ");
            by_name(
                &query,
                &applicable,
                |i| format!("{} · {}", i.level1, i.level2),
                |i| format!("{domain_id}/{}（{} · {}）", i.id, i.level1, i.level2),
                "事项",
            )?
            .map_or(item_id, |i| i.id.as_str())
        }
        _ => item_id,
    };
    let d = catalog.standard.domain_index(domain_id).ok_or_else(|| {
        let hint = closest(
            domain_id,
            catalog.standard.domains.iter().map(|d| d.id.as_str()),
        )
        .map(|b| format!("是否想写“{b}”？"))
        .unwrap_or_default();
        Failure(format!("标准目录中没有领域“{domain_id}”。{hint}"))
    })?;
    let domain = &catalog.standard.domains[d];
    let i = domain.item_index(item_id).ok_or_else(|| {
        let hint = closest(item_id, domain.items.iter().map(|i| i.id.as_str()))
            .map(|b| format!("是否想写“{domain_id}/{b}”？"))
            .unwrap_or_else(|| {
                format!(
                    "可写事项 id 或名称（二级事项，或“一级事项/二级事项”）；用 gongkai list {} 查看可用的事项。",
                    unit.path
                )
            });
        Failure(format!(
            "领域“{}”中没有事项“{item_id}”。{hint}",
            domain.name
        ))
    })?;
    let item = &domain.items[i];
    if !item.applies_to(unit.level) {
        return Err(Failure(format!(
            "事项“{}”（{domain_id}/{item_id}）的公开层级是{}，不适用于{}单位“{}”。",
            item.name(),
            item.levels
                .iter()
                .map(|l| l.label())
                .collect::<Vec<_>>()
                .join("、"),
            unit.level.label(),
            unit.name
        )));
    }
    let dir = root
        .join("units")
        .join(&unit.path)
        .join(domain_id)
        .join(item_id);
    let stem = new.date.to_string();
    let path = (1..)
        .map(|n| {
            if n == 1 {
                dir.join(format!("{stem}.md"))
            } else {
                dir.join(format!("{stem}-{n}.md"))
            }
        })
        .find(|p| !p.exists() && !p.with_extension("").exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.md")));
    let relations = relation_lines(catalog, new)?;
    let index_no = next_index_no(catalog, unit, new.date.year());
    let title = new
        .title
        .clone()
        .unwrap_or_else(|| format!("{}（请修改标题）", item.name()));
    let text = entry_template(
        &title,
        new.date,
        &index_no,
        unit,
        item,
        &domain.name,
        &relations,
    );
    std::fs::create_dir_all(&dir).map_err(|e| {
        Failure(format!(
            "无法创建文件夹 {}：{}。",
            dir.display(),
            crate::reason::io(&e)
        ))
    })?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            Failure(format!(
                "无法新建 {}：{}。",
                path.display(),
                crate::reason::io(&e)
            ))
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| {
        Failure(format!(
            "写入 {} 失败：{}。",
            path.display(),
            crate::reason::io(&e)
        ))
    })?;
    Ok(path)
}

/// The next 索引号 for a unit and year: one past the highest serial with the same
/// `<org_code>/<year>-` prefix anywhere in the catalog (so none is ever reused).
pub fn next_index_no(catalog: &Catalog, unit: &Unit, year: i32) -> String {
    let prefix = format!("{}/{year}-", unit.org_code);
    let highest = catalog
        .units
        .iter()
        .flat_map(|u| &u.entries)
        .filter_map(|e| e.index_no.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:05}", highest + 1)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn entry_template(
    title: &str,
    date: NaiveDate,
    index_no: &str,
    unit: &Unit,
    item: &crate::model::Item,
    domain: &str,
    relations: &str,
) -> String {
    format!(
        "+++\n\
         title = {title}\n\
         created = {date}          # 成文日期：信息形成的日期\n\
         published = {date}        # 发布日期：上网公开的日期（{deadline}）\n\
         index_no = \"{index_no}\"  # 索引号：已自动编号，请勿修改或重复使用\n\
         topic = {topic}\n\
         # doc_no = \"\"                # 文号，如 示民〔{year}〕1号\n\
         # publisher = {publisher}     # 发布机构（不写则为本单位默认发布机构）\n\
         # summary = \"\"               # 一句话摘要，显示在列表中\n\
         # updated = {date}          # 变更日期：内容变化时填写\n\
         # validity = \"valid\"         # 有效性：valid 有效 / expired 失效 / repealed 废止\n\
         # expires = {date}          # 有效期至\n\
         # privacy_exception = \"\"     # 公开个人号码的法定理由（如公布的是单位热线）\n\
         {relations}+++\n\
         {stub}本事项要求公开的内容：{content}\n",
        stub = crate::markup::STUB_BODY,
        title = toml_string(title),
        deadline = item.deadline,
        topic = toml_string(domain),
        year = date.year(),
        publisher = toml_string(&unit.publisher),
        content = item.content,
    )
}

/// The `list` report: the unit's applicable items by domain, with ids, entry counts and last update.
pub fn list(catalog: &Catalog, unit_path: &str) -> Result<String, Failure> {
    let unit = find_unit(catalog, unit_path)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}（{}，{}）适用的公开事项：",
        unit.name,
        unit.path,
        unit.level.label()
    );
    let mut counts: BTreeMap<(usize, usize), (usize, Option<NaiveDate>)> = BTreeMap::new();
    for e in &unit.entries {
        let c = counts.entry((e.domain, e.item)).or_default();
        c.0 += 1;
        c.1 = c.1.max(Some(e.last_update()));
    }
    for (d, domain) in catalog.standard.domains.iter().enumerate() {
        let items: Vec<_> = domain
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.applies_to(unit.level))
            .collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} {}", domain.order, domain.name);
        for (i, item) in items {
            let (n, updated) = counts.get(&(d, i)).copied().unwrap_or_default();
            let status = if let Some(reason) = unit.exemption(&domain.id, &item.id) {
                format!("本级不涉及：{reason}")
            } else if n == 0 {
                "暂无信息".to_owned()
            } else {
                format!(
                    "{n} 条，更新 {}",
                    updated.map(|u| u.to_string()).unwrap_or_default()
                )
            };
            let _ = writeln!(
                out,
                "  {}/{}  {} · {}  [{status}]",
                domain.id,
                item.id,
                item.level1,
                item.name()
            );
        }
    }
    let _ = writeln!(
        out,
        "\n新增信息：gongkai new {} <领域id>/<事项id> --title \"标题\"",
        unit.path
    );
    Ok(out)
}
