//! The audit's two printers: Chinese text grouped by unit for a township clerk, and the
//! contract's JSON (`schema_version` 1) for CI and other tools.

use crate::diag::{self, Code, Diagnostic, Severity};
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
    /// Per unit (by path, in path order): name and coverage. Empty when the catalog had errors.
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
    /// Per domain (standard order): (domain name, coverage).
    pub domains: Vec<(String, String, Coverage)>,
}

impl CheckReport {
    /// Builds the per-unit summaries from a catalog.
    pub fn summarize(catalog: &Catalog) -> Vec<UnitSummary> {
        catalog
            .units
            .iter()
            .enumerate()
            .map(|(u, unit)| UnitSummary {
                path: unit.path.clone(),
                name: unit.name.clone(),
                level: unit.level.label(),
                depth: catalog.ancestry(u).len() - 1,
                coverage: catalog.coverage(unit, None),
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
        serializer.collect_seq(self.0.iter().map(|f| JsonFinding {
            code: f.code,
            severity: f.severity(),
            unit: f.unit.as_deref(),
            domain: f.domain.as_deref(),
            item: f.item.as_deref(),
            file: f.file.as_deref(),
            line: f.line,
            message: &f.message,
        }))
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: Code,
    severity: Severity,
    unit: Option<&'a str>,
    domain: Option<&'a str>,
    item: Option<&'a str>,
    file: Option<&'a str>,
    line: Option<u32>,
    message: &'a str,
}

/// Each unit's coverage, serialized as it is written.
struct JsonUnits<'a>(&'a [UnitSummary]);

impl Serialize for JsonUnits<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|u| JsonCoverage {
            unit: &u.path,
            applicable: u.coverage.applicable,
            covered: u.coverage.covered,
            exempt: u.coverage.exempt,
            missing: u.coverage.missing,
        }))
    }
}

#[derive(Serialize)]
struct JsonCoverage<'a> {
    unit: &'a str,
    applicable: usize,
    covered: usize,
    exempt: usize,
    missing: usize,
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
        coverage: JsonUnits(&report.units),
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
    if report.units.is_empty() {
        // The catalog did not validate, so there are no unit summaries: the findings of each
        // unit are still said, under the unit's path.
        let mut at = 0;
        let findings = &report.findings;
        while at < findings.len() {
            let Some(path) = findings[at].unit.as_deref() else {
                at += 1;
                continue;
            };
            let run = report.unit_findings(path);
            let _ = writeln!(out, "■ {path}");
            for f in run {
                push_indented(&mut out, &diag::render_text(f));
            }
            out.push('\n');
            at += findings[at..].partition_point(|f| f.unit.as_deref() == Some(path));
        }
    }
    for unit in &report.units {
        let c = unit.coverage;
        let _ = writeln!(out, "■ {}（{}，{}）", unit.name, unit.path, unit.level);
        let _ = writeln!(
            out,
            "  适用事项 {} 项：已公开 {}，本级不涉及 {}，未公开 {}；逾期公开 {} 条，未按期更新 {} 项，失效未标注 {} 条",
            c.applicable,
            c.covered,
            c.exempt,
            c.missing,
            report.count_in(&unit.path, Code::Late),
            report.count_in(&unit.path, Code::Stale),
            report.count_in(&unit.path, Code::ExpiredUnmarked),
        );
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
            let mut by_domain: Vec<(String, Vec<String>)> = Vec::new();
            for f in missing {
                let domain = f.domain.clone().unwrap_or_default();
                let name = catalog
                    .and_then(|c| {
                        let d = c.standard.domain_index(&domain)?;
                        let item = c.standard.domains[d].item_index(f.item.as_deref()?)?;
                        Some((
                            c.standard.domains[d].name.clone(),
                            c.standard.domains[d].items[item].level2.clone(),
                        ))
                    })
                    .unwrap_or_else(|| (domain.clone(), f.item.clone().unwrap_or_default()));
                match by_domain.last_mut() {
                    Some((d, items)) if *d == name.0 => items.push(name.1),
                    _ => by_domain.push((name.0, vec![name.1])),
                }
            }
            for (domain, items) in by_domain {
                let _ = writeln!(out, "    {domain}：{}", items.join("、"));
            }
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
