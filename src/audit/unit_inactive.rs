//! `unit-inactive` (栏目长期未更新): the unit published nothing at all in the six months before
//! `--as-of`. 国办秘函〔2019〕19号 counts a 通知公告 or 政策文件 column without an update in the
//! six months before the check as a column not updated (单项否决「栏目不更新」); a unit whose
//! whole column has been silent that long fails it in every such column at once.

use super::Rule;
use crate::diag::{Code, Diagnostic};
use crate::model::Catalog;
use chrono::{Months, NaiveDate};

/// How long a unit may go without publishing anything.
pub const MONTHS: u32 = 6;

/// The rule's documentation.
pub const RULE: Rule = Rule {
    code: Code::UnitInactive,
    name: "栏目长期未更新",
    explanation: "本单位在核查日期前 6 个月内没有发布任何信息（按发布日期 published 计）。《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）单项否决指标“栏目不更新”：通知公告、政策文件类栏目在监测时间点前 6 个月内无更新的，计为不更新栏目（与 2 周内无更新的动态、要闻类栏目合计达到 5 个即单项否决，网站判为不合格）。整个专栏半年没有新信息，检查时它的这类栏目都会被计为不更新；第三方的基层政务公开评估也把长期无更新作为时效性问题。\n怎么改：把近半年形成或变更的政策文件、办事指南、公示公告等按时发布；已在别处（如政府网站其他栏目）发布的，补录到对应事项下。",
};

/// The first day whose publications count as recent at `as_of`: six months before it, plus a
/// day (a unit that published exactly six months ago has published nothing *in* the six
/// months before).
pub fn since(as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_months(Months::new(MONTHS))
        .and_then(|d| d.succ_opt())
        .unwrap_or(NaiveDate::MIN)
}

/// Finds units with no entry published since [`since`]`(as_of)`.
pub fn check(catalog: &Catalog, as_of: NaiveDate) -> Vec<Diagnostic> {
    let since = since(as_of);
    let mut findings = Vec::new();
    for unit in &catalog.units {
        let newest = unit.entries.iter().max_by_key(|e| (e.published, &e.source));
        if newest.is_some_and(|e| e.published >= since) {
            continue;
        }
        let finding = match newest {
            Some(entry) => {
                let mut f = Diagnostic::new(
                    Code::UnitInactive,
                    format!(
                        "栏目长期未更新：本单位最新一条信息发布于 {}，{since} 至 {as_of} 的 {MONTHS} 个月里没有发布任何信息。",
                        entry.published
                    ),
                )
                .in_file(&entry.source);
                f.line = Some(entry.lines.published);
                f
            }
            None => Diagnostic::new(
                Code::UnitInactive,
                format!("栏目长期未更新：本单位还没有发布任何信息（截至 {as_of}）。"),
            ),
        };
        findings.push(
            finding
                .scope(Some(&unit.path), None, None)
                .hint("检查通知公告、政策文件、办事指南等近半年是否有应公开而未发布的信息，发布到对应事项下。"),
        );
    }
    findings
}
