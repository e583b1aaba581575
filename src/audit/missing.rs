//! `missing` (未公开): an item applies to the unit's level, has no entry, and is not exempt.
//! Evaluators count empty catalogue items as 空白栏目; five of them fail the site outright
//! (国办秘函〔2019〕19号, [`super::VETO_MISSING`]).

use super::Rule;
use crate::diag::{Code, Diagnostic};
use crate::model::{Catalog, Unit};
use rayon::prelude::*;

/// The rule's documentation.
pub const RULE: Rule = Rule {
    code: Code::Missing,
    name: "未公开",
    explanation: "标准目录中适用于本级的事项还没有任何已公开的信息，也没有说明本级不涉及。这样的事项在网站上是“空白栏目”。《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）单项否决指标“栏目不更新”：空白栏目达到 5 个即单项否决，网站直接判为不合格；第三方的基层政务公开评估也按“未公开”扣分。gongkai check 的文字报告在一个单位的空白栏目达到 5 个时会专门指出。\n怎么改：在 units/<单位>/<领域id>/<事项id>/ 下新增信息（可用 gongkai new 生成）；如果本级确实没有这类信息，在 unit.toml 中加 [[exempt]]，写明 item = \"<领域id>/<事项id>\" 和 reason（原因），网站上会显示“本级不涉及”。",
};

/// Finds applicable items with no entry and no exemption (units in parallel: at province size
/// this rule alone reports hundreds of thousands of items).
pub fn check(catalog: &Catalog) -> Vec<Diagnostic> {
    catalog
        .units
        .par_iter()
        .flat_map_iter(|unit| unit_check(catalog, unit))
        .collect()
}

/// How many items [`check`] would report, without building the findings (`build` only prints
/// the count, and at province size there are hundreds of thousands): the units' coverage gaps.
pub fn count(catalog: &Catalog) -> usize {
    catalog
        .units
        .par_iter()
        .map(|unit| catalog.coverage(unit, None).missing)
        .sum()
}

fn unit_check(catalog: &Catalog, unit: &Unit) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for (d, domain) in catalog.standard.domains.iter().enumerate() {
        for (i, item) in domain.items.iter().enumerate() {
            if !item.applies_to(unit.level)
                || !unit.item_entries(d, i).is_empty()
                || unit.exemption(&domain.id, &item.id).is_some()
            {
                continue;
            }
            findings.push(
                Diagnostic::new(
                    Code::Missing,
                    format!("未公开：{} · {} · {}（{}）暂无信息。", domain.name, item.level1, item.name(), item.id),
                )
                .scope(Some(&unit.path), Some(&domain.id), Some(&item.id))
                .hint(format!(
                    "在 units/{}/{}/{}/ 下新增信息；本级不涉及的，在 unit.toml 的 [[exempt]] 中写明原因。",
                    unit.path, domain.id, item.id
                )),
            );
        }
    }
    findings
}
