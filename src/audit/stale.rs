//! `stale` (未按期更新): a periodic item (monthly, quarterly, half-yearly, yearly) whose newest
//! entry is older at `--as-of` than its period plus the item's limit. Ten such columns fail the
//! site outright (国办秘函〔2019〕19号, [`super::VETO_STALE`]).

use super::{DayCounter, Rule, day_word, limit_label};
use crate::diag::{Code, Diagnostic};
use crate::model::{Cadence, Catalog};
use chrono::{Months, NaiveDate};

/// The rule's documentation.
pub const RULE: Rule = Rule {
    code: Code::Stale,
    name: "未按期更新",
    explanation: "按月、按季度、按半年或按年更新的事项，最新一条信息已超过“一个周期＋公开时限”仍没有新的一期。例如每年公开的事项，最新一期发布于2023-01-16、时限20个工作日，则应在2024-01-16之后20个工作日内发布新一期。《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）单项否决指标“栏目不更新”：应更新但长期未更新的栏目达到 10 个即单项否决，网站直接判为不合格；gongkai check 的文字报告在一个单位的未按期更新事项达到 10 个时会专门指出。\n怎么改：发布本期信息；如果已在别处发布，把它补录到该事项下。",
};

fn period_label(cadence: Cadence) -> &'static str {
    match cadence {
        Cadence::Event => "按需",
        Cadence::Monthly => "每月",
        Cadence::Quarterly => "每季度",
        Cadence::HalfYearly => "每半年",
        Cadence::Yearly => "每年",
    }
}

/// Finds periodic items whose newest entry is overdue for a successor.
pub fn check(catalog: &Catalog, as_of: NaiveDate, counter: &DayCounter) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for unit in &catalog.units {
        for (d, domain) in catalog.standard.domains.iter().enumerate() {
            for (i, item) in domain.items.iter().enumerate() {
                let Some(months) = item.cadence.months() else {
                    continue;
                };
                // Entries are sorted newest first.
                let Some(newest) = unit.item_entries(d, i).first() else {
                    continue;
                };
                let next_due = newest
                    .published
                    .checked_add_months(Months::new(months))
                    .unwrap_or(NaiveDate::MAX);
                let deadline = counter.deadline(item.limit_unit, next_due, item.limit_days);
                if as_of <= deadline {
                    continue;
                }
                let overdue = counter.between(item.limit_unit, deadline, as_of);
                let mut f = Diagnostic::new(
                    Code::Stale,
                    format!(
                        "未按期更新：本事项应{}更新，最新一期发布于 {}，新一期最迟应在 {deadline} 前发布（周期后 {}），至 {as_of} 已逾期 {overdue} {}。",
                        period_label(item.cadence),
                        newest.published,
                        limit_label(item.limit_unit, item.limit_days),
                        day_word(item.limit_unit)
                    ),
                )
                .in_file(&newest.source)
                .scope(Some(&unit.path), Some(&domain.id), Some(&item.id))
                .hint(format!("发布本期“{}”信息，放在同一事项文件夹下。", item.name()));
                f.line = Some(newest.lines.published);
                findings.push(f);
            }
        }
    }
    findings
}
