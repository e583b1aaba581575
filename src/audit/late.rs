//! `late` (逾期公开): published more than the item's limit after the information was created.
//! 《政府信息公开条例》 art. 26: 主动公开 information within 20 working days of being formed
//! or changed, unless a law sets another limit (the item's `limit_days` and `limit_unit`).

use super::{DayCounter, Rule, day_word, limit_label};
use crate::diag::{Code, Diagnostic};
use crate::model::{Catalog, Entry};

/// The rule's documentation.
pub const RULE: Rule = Rule {
    code: Code::Late,
    name: "逾期公开",
    explanation: "信息的发布日期（published）距成文日期（created）超过了该事项的公开时限。《中华人民共和国政府信息公开条例》第二十六条要求主动公开的政府信息自形成或者变更之日起20个工作日内公开，部分领域时限更短（如社会救助10个工作日）或按自然日计算（如预决算批准后20日内）。工作日按国务院办公厅每年公布的节假日安排计算（调休上班日算工作日，法定假日不算），起算日不计入。\n怎么改：如果日期填错了，改正 created 或 published；如果确实逾期发布，如实保留，今后按时限发布。逾期记录会出现在评估中。",
};

/// How late `entry` was published: the days from its 成文日期 to its 发布日期, counted as its
/// item's limit counts them, when they exceed the limit (`None` when it was on time). The one
/// test of 逾期公开, for `check` and the 年度报告 figures alike.
pub fn overdue(catalog: &Catalog, counter: &DayCounter, entry: &Entry) -> Option<i64> {
    let item = &catalog.standard.domains[entry.domain].items[entry.item];
    let days = counter.between(item.limit_unit, entry.created, entry.published);
    (days > i64::from(item.limit_days)).then_some(days)
}

/// Finds entries published later than their item's limit.
pub fn check(catalog: &Catalog, counter: &DayCounter) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for unit in &catalog.units {
        for entry in &unit.entries {
            let Some(days) = overdue(catalog, counter, entry) else {
                continue;
            };
            let domain = &catalog.standard.domains[entry.domain];
            let item = &domain.items[entry.item];
            let limit = i64::from(item.limit_days);
            let unit_word = day_word(item.limit_unit);
            let mut d = Diagnostic::new(
                Code::Late,
                format!(
                    "逾期公开：成文日期 {} 至发布日期 {} 共 {days} {unit_word}，超过公开时限（{}）{} {unit_word}。",
                    entry.created,
                    entry.published,
                    limit_label(item.limit_unit, item.limit_days),
                    days - limit,
                ),
            )
            .in_file(&entry.source)
            .scope(Some(&unit.path), Some(&domain.id), Some(&item.id))
            .hint(format!("本事项时限：{}。日期填错请改正；确属逾期的如实保留，今后按时限发布。", item.deadline));
            d.line = Some(entry.lines.published);
            findings.push(d);
        }
    }
    findings
}
