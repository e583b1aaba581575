//! `backdated` (倒填发布日期) and `history-unknown`: what the catalog's git history proves about
//! its 发布日期. The 国办 website inspection indicators veto a site that forges publication dates
//! (伪造发稿日期); a file that first entered the repository long after the 发布日期 it states was
//! not published on that day.

use super::Rule;
use crate::diag::{Code, Diagnostic};
use crate::model::Catalog;

/// `backdated`'s documentation.
pub const BACKDATED: Rule = Rule {
    code: Code::Backdated,
    name: "发布日期早于入库日期",
    explanation: "信息文件第一次提交进 git 仓库的日期，比它写的发布日期（published）晚了 backdate_days 天以上（默认 3 天，自然日，按北京时间的提交日期）。发布日期应当是信息真正在网站上公开的日期；《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）把伪造发稿日期列为单项否决。\n怎么改：把 published 改成真实的发布日期（一般就是提交当天）；从其他系统迁移来的历史信息，在 site.toml 中写 history_since = <迁移完成的日期>，此前提交的文件不再核对。",
};

/// `history-unknown`'s documentation.
pub const UNKNOWN: Rule = Rule {
    code: Code::HistoryUnknown,
    name: "无法核对提交历史",
    explanation: "目录文件夹不在 git 工作区中、是浅克隆（CI 默认只取最近一次提交），或找不到 git 程序，所以无法用提交历史核对发布日期，本次没有做这项核查（只提示一次，不会据此给出任何结论）。\n怎么改：在 git 仓库中运行 gongkai check；CI 中取完整历史（如 GitHub Actions 的 actions/checkout 设 fetch-depth: 0）。",
};

/// Finds entries whose file entered the history more than `backdate_days` after their
/// `published` date; with no trustworthy history, one `history-unknown` instead.
pub fn check(catalog: &Catalog, root_display: &str) -> Vec<Diagnostic> {
    if let Some(why) = &catalog.history_unknown {
        return vec![
            Diagnostic::new(
                Code::HistoryUnknown,
                format!("{why}，无法用提交历史核对发布日期，已跳过倒填日期的核查。"),
            )
            .in_file(root_display)
            .hint("在完整的 git 仓库中运行；CI 中取完整历史（fetch-depth: 0）。"),
        ];
    }
    let allowed = i64::from(catalog.site.backdate_days);
    let mut findings = Vec::new();
    for unit in &catalog.units {
        for entry in &unit.entries {
            let Some(first) = entry.history.first else {
                continue;
            };
            if catalog
                .site
                .history_since
                .is_some_and(|since| first < since)
            {
                continue;
            }
            let late = (first - entry.published).num_days();
            if late <= allowed {
                continue;
            }
            let domain = &catalog.standard.domains[entry.domain];
            let mut d = Diagnostic::new(
                Code::Backdated,
                format!(
                    "发布日期 {} 早于文件第一次提交进仓库的日期 {first}（晚了 {late} 天，超过 {allowed} 天）：发布日期可能是倒填的。",
                    entry.published
                ),
            )
            .in_file(&entry.source)
            .scope(
                Some(&unit.path),
                Some(&domain.id),
                Some(&domain.items[entry.item].id),
            )
            .hint("把 published 改成真实的发布日期；迁移来的历史信息在 site.toml 中用 history_since 标明迁移日期。");
            d.line = Some(entry.lines.published);
            findings.push(d);
        }
    }
    findings
}
