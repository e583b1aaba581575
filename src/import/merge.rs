//! Matching imported rows to the items a standard file already has, the resulting diff, and the
//! file's new TOML text. An item keeps its id when its 一级/二级事项 match (so entries filed under it
//! stay where they are); new items get ids from the pinyin of their 二级事项; values the table has
//! no column for are kept from the existing item.

use super::header::normalize;
use super::rows::TableItem;
use crate::load::raw::{RawDomain, RawItem, RawLocalDomain};
use crate::model::{Audience, Level, Mode};
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// One item of a standard file with its `[defaults]` applied: every value it has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemRecord {
    pub id: String,
    pub level1: String,
    pub level2: String,
    pub level3: Option<String>,
    pub content: String,
    pub basis: String,
    pub deadline: String,
    pub cadence: Option<String>,
    pub limit_days: Option<i64>,
    pub limit_unit: Option<String>,
    pub subject: String,
    pub channels: Vec<String>,
    pub audience: String,
    pub mode: String,
    pub levels: Vec<String>,
    pub extra: BTreeMap<String, String>,
}

/// A standard file (national or local additions) as the import rewrites it: the loader's schema
/// (`crate::load::raw`), its domain keys optional because a local file has none and a new file
/// has not been written yet.
#[derive(Debug, Clone, Default)]
pub struct StandardFile {
    pub id: Option<String>,
    pub name: Option<String>,
    pub order: Option<i64>,
    pub guideline: Option<String>,
    pub issuer: Option<String>,
    pub notes: Option<String>,
    /// The keys every item inherits unless it sets them; kept as written on rewrite.
    pub defaults: Option<RawItem>,
    pub items: Vec<RawItem>,
}

impl From<RawDomain> for StandardFile {
    fn from(raw: RawDomain) -> Self {
        StandardFile {
            id: Some(raw.id.into_inner()),
            name: Some(raw.name.into_inner()),
            order: Some(raw.order.into_inner()),
            guideline: Some(raw.guideline),
            issuer: Some(raw.issuer),
            notes: raw.notes,
            defaults: raw.defaults.map(Spanned::into_inner),
            items: raw.items.into_iter().map(Spanned::into_inner).collect(),
        }
    }
}

impl From<RawLocalDomain> for StandardFile {
    fn from(raw: RawLocalDomain) -> Self {
        StandardFile {
            notes: raw.notes,
            defaults: raw.defaults.map(Spanned::into_inner),
            items: raw.items.into_iter().map(Spanned::into_inner).collect(),
            ..StandardFile::default()
        }
    }
}

/// A written value without its place in the file.
fn value<T: Clone>(v: &Option<Spanned<T>>) -> Option<T> {
    v.as_ref().map(|s| s.get_ref().clone())
}

/// A value the import writes (it has no place in a file yet).
fn written<T>(v: Option<T>) -> Option<Spanned<T>> {
    v.map(|v| Spanned::new(0..0, v))
}

impl StandardFile {
    /// The items with `[defaults]` applied, as the loader reads them.
    pub fn records(&self) -> Vec<ItemRecord> {
        let d = self.defaults.clone().unwrap_or_default();
        self.items
            .iter()
            .map(|own| {
                let w = own.inheriting(&d);
                let text = |v: &Option<Spanned<String>>| value(v).unwrap_or_default();
                ItemRecord {
                    id: text(&own.id),
                    level1: text(&w.level1),
                    level2: text(&w.level2),
                    level3: Some(text(&w.level3)).filter(|l| !l.trim().is_empty()),
                    content: text(&w.content),
                    basis: text(&w.basis),
                    deadline: text(&w.deadline),
                    cadence: value(&w.cadence),
                    limit_days: value(&w.limit_days),
                    limit_unit: value(&w.limit_unit),
                    subject: text(&w.subject),
                    channels: value(&w.channels).unwrap_or_default(),
                    audience: text(&w.audience),
                    mode: text(&w.mode),
                    levels: value(&w.levels).unwrap_or_default(),
                    extra: w.extra.unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// What an import changes in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// New items: id, 一级事项, 二级事项.
    pub added: Vec<(String, String, String)>,
    /// Changed items: id, 一级事项, 二级事项, and the changed fields' Chinese names.
    pub changed: Vec<(String, String, String, Vec<&'static str>)>,
    /// Items the table no longer has: id, 一级事项, 二级事项.
    pub removed: Vec<(String, String, String)>,
    /// Items the import leaves as they were.
    pub unchanged: usize,
}

impl Diff {
    /// Whether the import would change the file.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// What the table says beyond its rows: which local columns it has.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// The headings of the table's local columns: an item's `extra` under these keys is the
    /// table's; other keys it had are kept.
    pub extra: BTreeSet<String>,
}

/// The key two items are matched on: 一级, 二级 and 三级事项 (empty if none), normalised.
pub fn match_key(level1: &str, level2: &str, level3: &str) -> (String, String, String) {
    (normalize(level1), normalize(level2), normalize(level3))
}

/// An existing item's match key.
pub fn record_key(r: &ItemRecord) -> (String, String, String) {
    match_key(&r.level1, &r.level2, r.level3.as_deref().unwrap_or(""))
}

/// A table row's match key; a table with no 三级事项 column takes `level3` as the item's.
pub fn row_key(t: &TableItem, level3: Option<&str>) -> (String, String, String) {
    match_key(
        &t.level1,
        &t.level2,
        t.level3.as_deref().or(level3).unwrap_or(""),
    )
}

/// Merges the table's items into `existing`: returns the new item list and the diff.
/// `reserved` holds ids the new items must not take (the national items, for a local file).
pub fn merge(
    existing: &[ItemRecord],
    table: &[TableItem],
    columns: &Columns,
    reserved: &BTreeSet<String>,
) -> (Vec<ItemRecord>, Diff) {
    let matches = match_existing(existing, table);
    // No new item takes an existing id, not even a removed item's: entries filed under it would
    // silently change item.
    let mut taken: BTreeSet<String> = reserved.clone();
    taken.extend(existing.iter().map(|e| e.id.clone()));
    let mut base_count: BTreeMap<String, usize> = BTreeMap::new();
    for t in table {
        *base_count
            .entry(crate::names::id_words(own_name(t), 3))
            .or_default() += 1;
    }

    let mut items = Vec::with_capacity(table.len());
    let mut diff = Diff::default();
    for (t, found) in table.iter().zip(&matches) {
        let old = found.map(|i| &existing[i]);
        let id = match old {
            Some(old) => old.id.clone(),
            None => new_id(t, &base_count, &mut taken),
        };
        let record = record(id, t, old, columns);
        match old {
            None => diff.added.push((
                record.id.clone(),
                record.level1.clone(),
                record.level2.clone(),
            )),
            Some(old) => {
                let fields = changed_fields(old, &record);
                if fields.is_empty() {
                    diff.unchanged += 1;
                } else {
                    diff.changed.push((
                        record.id.clone(),
                        record.level1.clone(),
                        record.level2.clone(),
                        fields,
                    ));
                }
            }
        }
        items.push(record);
    }
    let used: BTreeSet<usize> = matches.iter().flatten().copied().collect();
    for (i, old) in existing.iter().enumerate() {
        if !used.contains(&i) {
            diff.removed
                .push((old.id.clone(), old.level1.clone(), old.level2.clone()));
        }
    }
    (items, diff)
}

/// For each table item, the existing item it updates: same 一级+二级(+三级), else the only item
/// with the same 二级(+三级) when the table also has only one such row (a 一级 reworded).
fn match_existing(existing: &[ItemRecord], table: &[TableItem]) -> Vec<Option<usize>> {
    let mut used = BTreeSet::new();
    let mut matches: Vec<Option<usize>> = table
        .iter()
        .map(|t| {
            let i = existing.iter().enumerate().position(|(i, e)| {
                !used.contains(&i) && record_key(e) == row_key(t, e.level3.as_deref())
            })?;
            used.insert(i);
            Some(i)
        })
        .collect();
    for (k, t) in table.iter().enumerate() {
        if matches[k].is_some() {
            continue;
        }
        let l2 = normalize(own_name(t));
        let rows_with_l2 = table
            .iter()
            .filter(|o| normalize(own_name(o)) == l2)
            .count();
        let candidates: Vec<usize> = (0..existing.len())
            .filter(|&i| {
                let e = &existing[i];
                !used.contains(&i)
                    && normalize(&e.level2) == normalize(&t.level2)
                    && t.level3.as_deref().is_none_or(|l3| {
                        normalize(l3) == normalize(e.level3.as_deref().unwrap_or(""))
                    })
            })
            .collect();
        if rows_with_l2 == 1 && candidates.len() == 1 {
            used.insert(candidates[0]);
            matches[k] = Some(candidates[0]);
        }
    }
    matches
}

/// The row's own name: its 三级事项 when it has one, else its 二级事项.
fn own_name(t: &TableItem) -> &str {
    match t.level3.as_deref() {
        Some(l3) if !l3.trim().is_empty() => l3,
        _ => &t.level2,
    }
}

/// An id from the pinyin words of the row's own name (三级事项, else 二级事项; at most three words,
/// as `crate::names::id_words` makes them), prefixed with two words of the name
/// above it (二级事项, else 一级事项) when several rows share the name (政策法规文件 under every
/// 一级), numbered only if still taken.
fn new_id(
    t: &TableItem,
    base_count: &BTreeMap<String, usize>,
    taken: &mut BTreeSet<String>,
) -> String {
    let base = crate::names::id_words(own_name(t), 3);
    let above = if own_name(t) == t.level2 {
        &t.level1
    } else {
        &t.level2
    };
    let mut id = if base_count.get(&base).copied().unwrap_or(0) > 1 || taken.contains(&cap(&base)) {
        format!("{}-{}", crate::names::id_words(above, 2), base)
    } else {
        base
    };
    id = cap(&id);
    let stem = id.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{stem}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// Ids stay short enough for a URL segment: at most 48 characters, cut at a hyphen if possible.
fn cap(id: &str) -> String {
    let cut: String = id.chars().take(48).collect();
    if cut.len() == id.len() {
        return cut;
    }
    cut.rfind('-')
        .filter(|&p| p >= 16)
        .map_or(cut.as_str(), |p| &cut[..p])
        .to_owned()
}

fn record(id: String, t: &TableItem, old: Option<&ItemRecord>, columns: &Columns) -> ItemRecord {
    let keep = |new: &Option<String>, old_value: Option<&String>| {
        new.clone()
            .or_else(|| old_value.cloned())
            .unwrap_or_default()
    };
    let unchanged_text = |old: &ItemRecord| {
        t.deadline
            .as_deref()
            .is_some_and(|d| normalize(d) == normalize(&old.deadline))
    };
    let (cadence, limit_days, limit_unit) = match (t.timing, old) {
        // The same 公开时限 text: the file's reading of it (perhaps set by hand) stands.
        (_, Some(old)) if unchanged_text(old) => {
            (old.cadence.clone(), old.limit_days, old.limit_unit.clone())
        }
        // The same deadline as before, however it was written (limit_days = 20 is the default).
        (Some(timing), Some(old)) if effective_timing(old) == effective(timing) => {
            (old.cadence.clone(), old.limit_days, old.limit_unit.clone())
        }
        (Some(timing), _) => (
            (timing.cadence != "event").then(|| timing.cadence.to_owned()),
            timing.limit_days.map(i64::from),
            (timing.limit_unit == "calendar" && timing.limit_days.is_some())
                .then(|| "calendar".to_owned()),
        ),
        (None, Some(old)) => (old.cadence.clone(), old.limit_days, old.limit_unit.clone()),
        (None, None) => (None, None, None),
    };
    ItemRecord {
        id,
        level1: t.level1.clone(),
        level2: t.level2.clone(),
        level3: match &t.level3 {
            Some(l3) => Some(l3.clone()).filter(|l| !l.trim().is_empty()),
            None => old.and_then(|o| o.level3.clone()),
        },
        content: keep(&t.content, old.map(|o| &o.content)),
        basis: keep(&t.basis, old.map(|o| &o.basis)),
        deadline: keep(&t.deadline, old.map(|o| &o.deadline)),
        cadence,
        limit_days,
        limit_unit,
        subject: keep(&t.subject, old.map(|o| &o.subject)),
        // The same channels in another order are no change.
        channels: match (&t.channels, old) {
            (Some(new), Some(old)) if same_set(new, &old.channels) => old.channels.clone(),
            (Some(new), _) => new.clone(),
            (None, old) => old.map(|o| o.channels.clone()).unwrap_or_default(),
        },
        audience: t
            .audience
            .map(|a| a.label().to_owned())
            .or_else(|| old.map(|o| o.audience.clone()))
            .unwrap_or_else(|| Audience::Public.label().to_owned()),
        mode: t
            .mode
            .map(|m| m.label().to_owned())
            .or_else(|| old.map(|o| o.mode.clone()))
            .unwrap_or_else(|| Mode::Active.label().to_owned()),
        levels: t
            .levels
            .as_ref()
            .map(|l| l.iter().map(|l| l.as_str().to_owned()).collect())
            .or_else(|| old.map(|o| o.levels.clone()))
            .unwrap_or_else(|| {
                [Level::County, Level::Township]
                    .map(|l| l.as_str().to_owned())
                    .to_vec()
            }),
        extra: {
            let mut extra = old.map(|o| o.extra.clone()).unwrap_or_default();
            extra.retain(|k, _| !columns.extra.contains(k));
            extra.extend(t.extra.clone());
            extra
        },
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.iter().collect::<BTreeSet<_>>() == b.iter().collect::<BTreeSet<_>>()
}

/// What a record's deadline means for the audit, defaults filled in.
fn effective_timing(r: &ItemRecord) -> (String, i64, String) {
    (
        r.cadence.clone().unwrap_or_else(|| "event".to_owned()),
        r.limit_days.unwrap_or(20),
        r.limit_unit.clone().unwrap_or_else(|| "working".to_owned()),
    )
}

/// What a parsed deadline means for the audit, defaults filled in.
fn effective(t: super::deadline::Timing) -> (String, i64, String) {
    let days = t.limit_days.map_or(20, i64::from);
    let unit = if t.limit_days.is_some() {
        t.limit_unit
    } else {
        "working"
    };
    (t.cadence.to_owned(), days, unit.to_owned())
}

fn changed_fields(old: &ItemRecord, new: &ItemRecord) -> Vec<&'static str> {
    let mut fields = Vec::new();
    let mut check = |name: &'static str, same: bool| {
        if !same {
            fields.push(name);
        }
    };
    check("一级事项", old.level1 == new.level1);
    check("二级事项", old.level2 == new.level2);
    check("三级事项", old.level3 == new.level3);
    check("公开内容", old.content == new.content);
    check("公开依据", old.basis == new.basis);
    check("公开时限", old.deadline == new.deadline);
    check(
        "审计期限",
        (&old.cadence, old.limit_days, &old.limit_unit)
            == (&new.cadence, new.limit_days, &new.limit_unit),
    );
    check("公开主体", old.subject == new.subject);
    check("公开渠道", old.channels == new.channels);
    check("公开对象", old.audience == new.audience);
    check("公开方式", old.mode == new.mode);
    check("公开层级", old.levels == new.levels);
    check("本地栏目", old.extra == new.extra);
    fields
}

/// The file's new text: the existing file's leading comment kept, the domain's own keys (for a
/// national file) or notes (for a local one), its `[defaults]` as written, then the items, each
/// leaving out the keys whose value is the default one.
pub fn render(comment: &str, file: &StandardFile, items: &[ItemRecord]) -> String {
    let mut out = String::new();
    if !comment.is_empty() {
        out.push_str(comment.trim_end());
        out.push_str("\n\n");
    }
    for (key, value) in [("id", file.id.as_deref()), ("name", file.name.as_deref())] {
        if let Some(v) = value {
            out.push_str(&format!("{key} = {}\n", quote(v)));
        }
    }
    if let Some(order) = file.order {
        out.push_str(&format!("order = {order}\n"));
    }
    for (key, value) in [
        ("guideline", file.guideline.as_deref()),
        ("issuer", file.issuer.as_deref()),
        ("notes", file.notes.as_deref()),
    ] {
        if let Some(v) = value {
            out.push_str(&format!("{key} = {}\n", quote(v)));
        }
    }
    let none = RawItem::default();
    let defaults = file.defaults.as_ref().unwrap_or(&none);
    if let Some(d) = &file.defaults {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("[defaults]\n");
        write_keys(&mut out, d, &none);
    }
    for item in items {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str("[[items]]\n");
        let written = RawItem {
            id: written(Some(item.id.clone())),
            level1: written(Some(item.level1.clone())),
            level2: written(Some(item.level2.clone())),
            // An item without a 三级事项 under a default one says so with an empty value.
            level3: written(
                item.level3
                    .clone()
                    .or_else(|| defaults.level3.as_ref().map(|_| String::new())),
            ),
            content: written(Some(item.content.clone())),
            basis: written(Some(item.basis.clone())),
            deadline: written(Some(item.deadline.clone())),
            // Under a default, the built-in value is written out rather than left out.
            cadence: written(
                item.cadence
                    .clone()
                    .or_else(|| defaults.cadence.as_ref().map(|_| "event".to_owned())),
            ),
            limit_days: written(item.limit_days.or(defaults.limit_days.as_ref().map(|_| 20))),
            limit_unit: written(
                item.limit_unit
                    .clone()
                    .or_else(|| defaults.limit_unit.as_ref().map(|_| "working".to_owned())),
            ),
            subject: written(Some(item.subject.clone())),
            channels: written(Some(item.channels.clone())),
            audience: written(Some(item.audience.clone())),
            mode: written(Some(item.mode.clone())),
            levels: written(Some(item.levels.clone())),
            extra: Some(item.extra.clone()).filter(|e| !e.is_empty()),
        };
        write_keys(&mut out, &written, defaults);
    }
    out
}

/// Writes `item`'s keys, in the spec's order, leaving out those `defaults` gives the same value
/// (and, for `extra`, the same value per key).
fn write_keys(out: &mut String, item: &RawItem, defaults: &RawItem) {
    fn differs<T: PartialEq>(value: &Option<T>, default: &Option<T>) -> bool {
        value.is_some() && value != default
    }
    let texts = [
        ("id", &item.id, &None),
        ("level1", &item.level1, &defaults.level1),
        ("level2", &item.level2, &defaults.level2),
        ("level3", &item.level3, &defaults.level3),
        ("content", &item.content, &defaults.content),
        ("basis", &item.basis, &defaults.basis),
        ("deadline", &item.deadline, &defaults.deadline),
        ("cadence", &item.cadence, &defaults.cadence),
    ];
    for (key, value, default) in texts {
        if let Some(v) = value.as_ref().filter(|_| differs(value, default)) {
            out.push_str(&format!("{key} = {}\n", quote(v.get_ref())));
        }
    }
    if let Some(d) = item
        .limit_days
        .as_ref()
        .filter(|_| differs(&item.limit_days, &defaults.limit_days))
    {
        out.push_str(&format!("limit_days = {}\n", d.get_ref()));
    }
    for (key, value, default) in [
        ("limit_unit", &item.limit_unit, &defaults.limit_unit),
        ("subject", &item.subject, &defaults.subject),
    ] {
        if let Some(v) = value.as_ref().filter(|_| differs(value, default)) {
            out.push_str(&format!("{key} = {}\n", quote(v.get_ref())));
        }
    }
    if let Some(c) = item
        .channels
        .as_ref()
        .filter(|_| differs(&item.channels, &defaults.channels))
    {
        out.push_str(&format!("channels = {}\n", list(c.get_ref())));
    }
    for (key, value, default) in [
        ("audience", &item.audience, &defaults.audience),
        ("mode", &item.mode, &defaults.mode),
    ] {
        if let Some(v) = value.as_ref().filter(|_| differs(value, default)) {
            out.push_str(&format!("{key} = {}\n", quote(v.get_ref())));
        }
    }
    if let Some(l) = item
        .levels
        .as_ref()
        .filter(|_| differs(&item.levels, &defaults.levels))
    {
        out.push_str(&format!("levels = {}\n", list(l.get_ref())));
    }
    let inherited = defaults.extra.clone().unwrap_or_default();
    let extra: Vec<(&String, &String)> = item
        .extra
        .iter()
        .flatten()
        .filter(|(k, v)| inherited.get(*k) != Some(*v))
        .collect();
    if !extra.is_empty() {
        out.push_str(if item.id.is_some() {
            "\n[items.extra]\n"
        } else {
            "\n[defaults.extra]\n"
        });
        for (k, v) in extra {
            out.push_str(&format!("{} = {}\n", quote(k), quote(v)));
        }
    }
}

/// The leading comment lines of a file's text (kept on rewrite).
pub fn leading_comment(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .take_while(|l| l.trim_start().starts_with('#') || l.trim().is_empty())
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

fn list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| quote(v)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(level1: &str, level2: &str) -> TableItem {
        TableItem {
            row: 1,
            level1: level1.into(),
            level2: level2.into(),
            level3: None,
            content: Some("内容".into()),
            basis: None,
            deadline: None,
            timing: None,
            subject: None,
            channels: None,
            audience: Some(Audience::Public),
            mode: Some(Mode::Active),
            levels: Some(vec![Level::County]),
            extra: BTreeMap::new(),
        }
    }

    #[test]
    fn ids_are_pinyin_words_prefixed_when_the_level2_repeats() {
        let table = [
            row("最低生活保障", "政策法规文件"),
            row("临时救助", "政策法规文件"),
            row("临时救助", "救助对象名单"),
        ];
        let (items, diff) = merge(&[], &table, &Columns::default(), &BTreeSet::new());
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "zuidi-shenghuo-zhengce-fagui-wenjian",
                "linshi-jiuzhu-zhengce-fagui-wenjian",
                "jiuzhu-duixiang-mingdan"
            ]
        );
        assert_eq!(diff.added.len(), 3);
    }

    #[test]
    fn matched_items_keep_their_id_and_unlisted_values() {
        let old = ItemRecord {
            id: "dibao-zhengce".into(),
            level1: "最低生活保障".into(),
            level2: "政策法规文件".into(),
            basis: "《社会救助暂行办法》".into(),
            audience: "全社会".into(),
            mode: "主动".into(),
            levels: vec!["county".into()],
            content: "内容".into(),
            ..ItemRecord::default()
        };
        let (items, diff) = merge(
            std::slice::from_ref(&old),
            &[row("最低生活保障", "政策法规文件")],
            &Columns::default(),
            &BTreeSet::new(),
        );
        assert_eq!(items, vec![old]);
        assert_eq!(diff.unchanged, 1);
        assert!(diff.is_empty());
    }

    #[test]
    fn ids_are_ascii_and_never_reuse_an_existing_one() {
        let old = ItemRecord {
            id: "falv-fagui".into(),
            level1: "旧".into(),
            level2: "旧事项".into(),
            ..ItemRecord::default()
        };
        let table = [
            row("政策文件", "法律法规"),
            row("最低生活保障", "审批结果及相关法律法规"),
        ];
        let (items, diff) = merge(&[old], &table, &Columns::default(), &BTreeSet::new());
        assert_eq!(
            items[0].id, "zhengce-wenjian-falv-fagui",
            "falv-fagui was the removed item's"
        );
        assert!(
            items.iter().all(|i| crate::validate::is_slug(&i.id)),
            "{items:?}"
        );
        assert_eq!(diff.removed.len(), 1);
    }

    #[test]
    fn quoting_and_caps() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert!(cap(&"ab-".repeat(30)).len() <= 48);
    }
}
