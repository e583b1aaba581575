//! Relations between entries (解读, 征求意见, 采纳情况, 替代), resolved once across the whole
//! catalog by 索引号 and written into both entries' [`Relations`]: after this, a page shows a
//! relation from either side without looking anything up, and an entry replaced by a document in
//! force is 失效 wherever [`Entry::validity_at`] is asked.

use crate::diag::{Code, Diagnostic};
use crate::model::*;
use crate::names::closest;
use crate::source::key_label;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Where an entry is: (unit, entry) indices.
type At = (usize, usize);

/// Resolves every entry's relation keys: an 索引号 no entry has, a `responds_to` or
/// `consulted_in` naming an entry that is not a consultation, an entry naming itself and a cycle
/// of `replaces` are `broken-relation` errors; every other relation is recorded on both entries.
pub(super) fn resolve(units: &mut [Unit], standard: &Standard, diags: &mut Vec<Diagnostic>) {
    let entries = units.iter().map(|u| u.entries.len()).sum();
    let mut by_no: HashMap<&str, At> = HashMap::with_capacity(entries);
    for (u, unit) in units.iter().enumerate() {
        for (i, e) in unit.entries.iter().enumerate() {
            by_no.entry(e.index_no.as_str()).or_insert((u, i));
        }
    }
    let mut edges: Vec<(At, &'static str, At)> = Vec::new();
    let mut found = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        for (i, e) in unit.entries.iter().enumerate() {
            for (key, name) in e.names.all() {
                let problem = match by_no.get(name) {
                    None => {
                        let hint = match closest(name, by_no.keys().copied()) {
                            Some(best) => format!(
                                "是否想写“{best}”？索引号要与对方条目页面上的“索引号”一字不差。"
                            ),
                            None => "照抄对方条目页面上“索引号”一栏的内容；对方条目还没有发布的，先发布它再建立关联。".to_owned(),
                        };
                        Some((format!("`{key}`{} 中的索引号“{name}”没有对应的条目。", key_label(key)), hint))
                    }
                    Some(&to) if to == (u, i) => Some((
                        format!("`{key}`{} 写的是本条目自己的索引号“{name}”。", key_label(key)),
                        "关联要指向另一条信息；删除这个索引号。".to_owned(),
                    )),
                    Some(&(tu, ti))
                        if matches!(key, "responds_to" | "consulted_in")
                            && units[tu].entries[ti].consultation.is_none() =>
                    {
                        Some((
                            format!(
                                "`{key}`{} 指向的“{}”（{name}）不是征求意见稿（没有 consultation）。",
                                key_label(key),
                                units[tu].entries[ti].title
                            ),
                            "指向征求意见稿本身的索引号；若那条信息就是征求意见稿，在它的 front matter 中写 consultation = { opens = 2024-03-01, closes = 2024-03-31 }。".to_owned(),
                        ))
                    }
                    Some(&to) => {
                        edges.push(((u, i), key, to));
                        None
                    }
                };
                if let Some((message, hint)) = problem {
                    found.push(finding(standard, unit, e, key, message, hint));
                }
            }
        }
    }
    found.extend(replace_cycles(units, standard, &edges));
    let cyclic = !found.is_empty();
    diags.extend(found);
    if cyclic {
        // The catalog will not be built; links of a cycle would make validity meaningless.
        return;
    }
    let link = |units: &[Unit], (u, i): At| {
        let (unit, e) = (&units[u], &units[u].entries[i]);
        let domain = &standard.domains[e.domain];
        Link {
            index_no: e.index_no.clone(),
            title: e.title.clone(),
            doc_no: e.doc_no.clone(),
            unit: unit.path.clone(),
            unit_name: unit.name.clone(),
            domain: domain.id.clone(),
            item: domain.items[e.item].id.clone(),
            slug: e.slug.clone(),
            published: e.published,
            in_force_from: e.in_force_from(),
        }
    };
    for &(from, key, to) in &edges {
        let (from_link, to_link) = (link(units, from), link(units, to));
        let a = &mut units[from.0].entries[from.1].relations;
        match key {
            "interprets" => a.interprets.push(to_link),
            "responds_to" => a.responds_to = Some(to_link),
            "consulted_in" => a.consultation = Some(to_link),
            _ => a.replaces.push(to_link),
        }
        let b = &mut units[to.0].entries[to.1].relations;
        match key {
            "interprets" => b.interpretations.push(from_link),
            "responds_to" => b.responses.push(from_link),
            "consulted_in" => b.outcomes.push(from_link),
            _ => b.replaced_by.push(from_link),
        }
    }
    // A document drafted in a consultation shows that consultation's adoption reports too.
    for &(from, key, to) in &edges {
        if key == "consulted_in" {
            let reports = units[to.0].entries[to.1].relations.responses.clone();
            units[from.0].entries[from.1].relations.responses = reports;
        }
    }
}

fn finding(
    standard: &Standard,
    unit: &Unit,
    e: &Entry,
    key: &str,
    message: String,
    hint: String,
) -> Diagnostic {
    let domain = &standard.domains[e.domain];
    let mut d = Diagnostic::new(Code::BrokenRelation, message)
        .in_file(&e.source)
        .scope(
            Some(&unit.path),
            Some(&domain.id),
            Some(&domain.items[e.item].id),
        )
        .hint(hint);
    d.line = e.lines.of_relation(key);
    d
}

/// One `broken-relation` for every entry on a cycle of `replaces` (甲替代乙、乙又替代甲), naming
/// the cycle by 索引号.
fn replace_cycles(
    units: &[Unit],
    standard: &Standard,
    edges: &[(At, &'static str, At)],
) -> Vec<Diagnostic> {
    let mut next: BTreeMap<At, Vec<At>> = BTreeMap::new();
    for &(from, key, to) in edges {
        if key == "replaces" {
            next.entry(from).or_default().push(to);
        }
    }
    let mut found = Vec::new();
    for &start in next.keys() {
        // Breadth-first from `start`, remembering each node's predecessor, until `start` is met.
        let mut before: BTreeMap<At, At> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut seen = BTreeSet::from([start]);
        let mut closing = None;
        'search: while let Some(at) = queue.pop_front() {
            for &to in next.get(&at).into_iter().flatten() {
                if to == start {
                    closing = Some(at);
                    break 'search;
                }
                if seen.insert(to) {
                    before.insert(to, at);
                    queue.push_back(to);
                }
            }
        }
        let Some(closing) = closing else { continue };
        let mut cycle = vec![closing];
        let mut at = closing;
        while at != start {
            at = before[&at];
            cycle.push(at);
        }
        cycle.reverse();
        cycle.push(start);
        let names: Vec<&str> = cycle
            .iter()
            .map(|&(u, i)| units[u].entries[i].index_no.as_str())
            .collect();
        let (unit, e) = (&units[start.0], &units[start.0].entries[start.1]);
        found.push(finding(
            standard,
            unit,
            e,
            "replaces",
            format!(
                "替代关系成环：{}。一份文件不能（直接或间接地）替代替代了它的文件。",
                names.join(" 替代 ")
            ),
            "只在较新的文件中写 replaces；删除较早文件中指向较新文件的那个索引号。".to_owned(),
        ));
    }
    found
}
