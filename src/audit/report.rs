//! The audit's two printers: Chinese text grouped by unit for a township clerk, and the
//! contract's JSON (`schema_version` 1) for CI and other tools. Both say, per unit, what the
//! inspection (国办秘函〔2019〕19号) counts: 空白栏目 (`missing`), 应更新未更新栏目 (`stale`),
//! and when either reaches its 单项否决 threshold.

use crate::diag::{self, Code, Diagnostic};
use crate::model::{Catalog, Coverage};
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;

/// Everything `check` found.
pub struct CheckReport {
    /// The date judged against.
    pub as_of: NaiveDate,
    /// Validation and audit findings, sorted.
    pub findings: Vec<Diagnostic>,
    /// Per unit (in the order pages list them, [`Catalog::units_in_order`]): name and coverage.
    /// Empty when the catalog had errors.
    pub units: Vec<UnitSummary>,
}

/// One unit's figures.
#[derive(Debug, Clone)]
pub struct UnitSummary {
    /// The unit's path under `units/`.
    pub path: String,
    /// Its name.
    pub name: String,
    /// 县级 / 乡级.
    pub level: &'static str,
    /// Nesting depth (0 for a county).
    pub depth: usize,
    /// Item coverage.
    pub coverage: Coverage,
    /// Per domain (standard order): (domain id, domain name, coverage).
    pub domains: Vec<(String, String, Coverage)>,
    /// The newest 发布日期 of the unit's own entries.
    pub last_published: Option<NaiveDate>,
}

impl CheckReport {
    /// Builds the per-unit summaries from a catalog.
    pub fn summarize(catalog: &Catalog) -> Vec<UnitSummary> {
        catalog
            .units_in_order()
            .into_iter()
            .map(|u| (u, &catalog.units[u]))
            .map(|(u, unit)| UnitSummary {
                path: unit.path.clone(),
                name: unit.name.clone(),
                level: unit.level.label(),
                depth: catalog.ancestry(u).len() - 1,
                coverage: catalog.coverage(unit, None),
                last_published: unit.entries.iter().map(|e| e.published).max(),
                domains: catalog
                    .standard
                    .domains
                    .iter()
                    .enumerate()
                    .map(|(d, domain)| {
                        (
                            domain.id.clone(),
                            domain.name.clone(),
                            catalog.coverage(unit, Some(d)),
                        )
                    })
                    .collect(),
            })
            .collect()
    }

    /// (errors, warnings).
    pub fn counts(&self) -> (usize, usize) {
        diag::count(&self.findings)
    }

    /// The findings of one unit (`""`: those of no unit). They are one run of the sorted
    /// findings, found by binary search: a report on every unit of a province stays linear.
    pub fn unit_findings(&self, unit: &str) -> &[Diagnostic] {
        fn key(f: &Diagnostic) -> &str {
            f.unit.as_deref().unwrap_or("")
        }
        let start = self.findings.partition_point(|f| key(f) < unit);
        let len = self.findings[start..].partition_point(|f| key(f) == unit);
        &self.findings[start..start + len]
    }

    /// How many findings of `code` a unit has.
    pub fn count_in(&self, unit: &str, code: Code) -> usize {
        self.unit_findings(unit)
            .iter()
            .filter(|f| f.code == code)
            .count()
    }

    /// The codes whose count in `unit` reaches a 单项否决 threshold of 国办秘函〔2019〕19号:
    /// `missing` (空白栏目, [`super::VETO_MISSING`]) and `stale` (应更新未更新栏目,
    /// [`super::VETO_STALE`]).
    pub fn vetoes(&self, unit: &UnitSummary) -> Vec<Code> {
        let mut codes = Vec::new();
        if unit.coverage.missing >= super::VETO_MISSING {
            codes.push(Code::Missing);
        }
        if self.count_in(&unit.path, Code::Stale) >= super::VETO_STALE {
            codes.push(Code::Stale);
        }
        codes
    }
}

/// The line a text report and the dashboard give a unit for each 单项否决 it reaches.
pub fn veto_text(code: Code, count: usize) -> String {
    let (what, threshold) = match code {
        Code::Stale => ("应更新未更新的栏目（未按期更新的事项）", super::VETO_STALE),
        _ => ("空白栏目（没有任何信息的适用事项）", super::VETO_MISSING),
    };
    format!(
        "单项否决：{what}{count} 个，达到《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）“{threshold} 个以上”的否决线，检查时网站会直接判为不合格。"
    )
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    as_of: String,
    errors: usize,
    warnings: usize,
    findings: JsonFindings<'a>,
    coverage: JsonUnits<'a>,
}

/// The findings, serialized one by one as they are written (a province has ~250,000).
struct JsonFindings<'a>(&'a [Diagnostic]);

impl Serialize for JsonFindings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(diag::JsonFinding::from))
    }
}

/// Each unit's coverage, serialized as it is written.
struct JsonUnits<'a>(&'a CheckReport);

impl Serialize for JsonUnits<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        serializer.collect_seq(report.units.iter().map(|u| {
            let count = |code| report.count_in(&u.path, code);
            JsonCoverage {
                unit: &u.path,
                applicable: u.coverage.applicable,
                covered: u.coverage.covered,
                exempt: u.coverage.exempt,
                missing: u.coverage.missing,
                late: count(Code::Late),
                stale: count(Code::Stale),
                expired_unmarked: count(Code::ExpiredUnmarked),
                broken_link: count(Code::BrokenLink),
                attachment_missing: count(Code::AttachmentMissing),
                inactive: count(Code::UnitInactive) > 0,
                last_published: u.last_published.map(|d| d.to_string()),
                veto: report.vetoes(u),
            }
        }))
    }
}

/// One unit's figures. The first five keys are the contract's; the rest were added later as
/// new keys (schema 1 unchanged): the counts of the unit's findings per rule, whether it is
/// `unit-inactive`, its newest 发布日期, and the codes whose count reaches a 单项否决 threshold
/// of 国办秘函〔2019〕19号 (`missing` ≥ 5 空白栏目, `stale` ≥ 10).
#[derive(Serialize)]
struct JsonCoverage<'a> {
    unit: &'a str,
    applicable: usize,
    covered: usize,
    exempt: usize,
    missing: usize,
    late: usize,
    stale: usize,
    expired_unmarked: usize,
    broken_link: usize,
    attachment_missing: usize,
    inactive: bool,
    last_published: Option<String>,
    veto: Vec<Code>,
}

/// Writes the contract's JSON object, pretty-printed, with a trailing newline, to `out` as it
/// is serialized: at province size the text is ~100 MB, which is never held whole.
pub fn write_json(report: &CheckReport, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let (errors, warnings) = report.counts();
    let json = JsonReport {
        schema_version: 1,
        as_of: report.as_of.to_string(),
        errors,
        warnings,
        findings: JsonFindings(&report.findings),
        coverage: JsonUnits(report),
    };
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut out, &json)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Chinese text for people: findings without a unit first, then each unit with a one-line
/// summary, its findings in full, and its missing items compactly; a total at the end.
pub fn to_text(report: &CheckReport, catalog: Option<&Catalog>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "核查日期：{}\n", report.as_of);
    let general = report.unit_findings("");
    if !general.is_empty() {
        let _ = writeln!(out, "■ 目录文件");
        for f in general {
            push_indented(&mut out, &diag::render_text(f));
        }
        out.push('\n');
    }
    // Findings of units without a summary (a catalog with errors has none): each unit's under
    // its path, so an error in a unit's folder is never left out.
    let summarized = |path: &str| report.units.iter().any(|u| u.path == path);
    let mut others = report
        .findings
        .iter()
        .filter(|f| f.unit.as_deref().is_some_and(|u| !summarized(u)))
        .peekable();
    while let Some(first) = others.next() {
        let unit = first.unit.as_deref().unwrap_or("");
        let _ = writeln!(out, "■ units/{unit}");
        push_indented(&mut out, &diag::render_text(first));
        while let Some(f) = others.next_if(|f| f.unit.as_deref() == Some(unit)) {
            push_indented(&mut out, &diag::render_text(f));
        }
        out.push('\n');
    }
    for unit in &report.units {
        let c = unit.coverage;
        let _ = writeln!(out, "■ {}（{}，{}）", unit.name, unit.path, unit.level);
        let _ = write!(
            out,
            "  适用事项 {} 项：已公开 {}，本级不涉及 {}，未公开（空白栏目）{}；逾期公开 {} 条，未按期更新 {} 项，失效未标注 {} 条",
            c.applicable,
            c.covered,
            c.exempt,
            c.missing,
            report.count_in(&unit.path, Code::Late),
            report.count_in(&unit.path, Code::Stale),
            report.count_in(&unit.path, Code::ExpiredUnmarked),
        );
        for (code, what) in [
            (Code::BrokenLink, "不可用链接"),
            (Code::AttachmentMissing, "附件无法下载"),
        ] {
            let n = report.count_in(&unit.path, code);
            if n > 0 {
                let _ = write!(out, "，{what} {n} 处");
            }
        }
        out.push('\n');
        for code in report.vetoes(unit) {
            let n = match code {
                Code::Stale => report.count_in(&unit.path, Code::Stale),
                _ => c.missing,
            };
            let _ = writeln!(out, "  ！{}", veto_text(code, n));
        }
        let findings = report.unit_findings(&unit.path);
        for f in findings.iter().filter(|f| f.code != Code::Missing) {
            push_indented(&mut out, &diag::render_text(f));
        }
        if let Some(unit) = catalog.and_then(|c| c.units.iter().find(|u| u.path == unit.path)) {
            for e in unit
                .entries
                .iter()
                .filter(|e| e.privacy_exception.is_some())
            {
                let _ = writeln!(
                    out,
                    "  隐私例外 {}：{}",
                    e.source,
                    e.privacy_exception.as_deref().unwrap_or("").trim()
                );
            }
        }
        let missing: Vec<&Diagnostic> = findings
            .iter()
            .filter(|f| f.code == Code::Missing)
            .collect();
        if !missing.is_empty() {
            let _ = writeln!(
                out,
                "  未公开的事项（{} 项，补充信息或在 unit.toml 中说明本级不涉及）：",
                missing.len()
            );
            // Grouped by domain, one line per item: 一级事项 · 二级事项 and the id `gongkai new`
            // takes, so a clerk can work down the list (names alone collide: several domains
            // have a 政策法规文件 or 审核信息).
            let mut by_domain: Vec<(String, Vec<String>)> = Vec::new();
            for f in missing {
                let domain = f.domain.clone().unwrap_or_default();
                let item = f.item.clone().unwrap_or_default();
                let (heading, line) = catalog
                    .and_then(|c| {
                        let d = c.standard.domain_index(&domain)?;
                        let i = c.standard.domains[d].item_index(&item)?;
                        let (domain, item) =
                            (&c.standard.domains[d], &c.standard.domains[d].items[i]);
                        Some((
                            format!("{}（{}）", domain.name, domain.id),
                            format!(
                                "{} · {}（{}/{}）",
                                item.level1,
                                item.name(),
                                domain.id,
                                item.id
                            ),
                        ))
                    })
                    .unwrap_or_else(|| (domain.clone(), format!("{domain}/{item}")));
                match by_domain.last_mut() {
                    Some((d, items)) if *d == heading => items.push(line),
                    _ => by_domain.push((heading, vec![line])),
                }
            }
            for (domain, items) in by_domain {
                let _ = writeln!(out, "    {domain}");
                for item in items {
                    let _ = writeln!(out, "      {item}");
                }
            }
            let _ = writeln!(
                out,
                "    新增信息：gongkai new {} <括号中的领域id/事项id> --title \"标题\"",
                unit.path
            );
        }
        out.push('\n');
    }
    let (errors, warnings) = report.counts();
    let total: Coverage = report
        .units
        .iter()
        .fold(Coverage::default(), |a, u| Coverage {
            applicable: a.applicable + u.coverage.applicable,
            covered: a.covered + u.coverage.covered,
            exempt: a.exempt + u.coverage.exempt,
            missing: a.missing + u.coverage.missing,
        });
    let _ = writeln!(
        out,
        "合计：{} 个单位，适用事项 {} 项，已公开 {}，本级不涉及 {}，未公开 {}；{errors} 个错误，{warnings} 个警告。",
        report.units.len(),
        total.applicable,
        total.covered,
        total.exempt,
        total.missing
    );
    out
}

fn push_indented(out: &mut String, block: &str) {
    for line in block.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_units_findings_are_its_run_of_the_sorted_findings() {
        let finding = |unit: Option<&str>, code| Diagnostic::new(code, "x").scope(unit, None, None);
        // "a-b" sorts between "a" and "a/c" ('-' < '/'), whatever the tree order.
        let mut findings = vec![
            finding(Some("a/c"), Code::Late),
            finding(None, Code::Schema),
            finding(Some("a"), Code::Missing),
            finding(Some("a-b"), Code::Late),
            finding(Some("a"), Code::Late),
            finding(Some("a/c"), Code::Stale),
        ];
        diag::sort(&mut findings);
        let report = CheckReport {
            as_of: NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"),
            findings,
            units: Vec::new(),
        };
        let units = |unit| {
            let found = report.unit_findings(unit);
            (
                found.len(),
                found
                    .iter()
                    .all(|f| f.unit.as_deref().unwrap_or("") == unit),
            )
        };
        assert_eq!(units(""), (1, true));
        assert_eq!(units("a"), (2, true));
        assert_eq!(units("a-b"), (1, true));
        assert_eq!(units("a/c"), (2, true));
        assert_eq!(units("b"), (0, true));
        assert_eq!(report.count_in("a/c", Code::Stale), 1);
    }
}
