//! Diagnostics are data: every problem found while loading, validating or auditing a catalog is a
//! [`Diagnostic`] collected into a list, never an early abort and never a pre-formatted string.
//! One printer turns them into Chinese text for people ([`render_text`]); the audit's JSON printer
//! turns the same values into machine output.

use serde::Serialize;
use std::fmt::Write as _;

/// How bad a finding is. Errors stop `build`; warnings are reported and (with `--strict`) fail `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// 错误: the catalog cannot be published as it is.
    Error,
    /// 警告: publishable, but an evaluator would mark it down.
    Warning,
}

impl Severity {
    /// The Chinese word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// The finding codes. The first group is fixed by the product contract (`spec.md`); the last two
/// are gongkai's own warnings about derived data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A TOML file or front matter does not parse.
    Syntax,
    /// A key is missing, unknown, or has a value of the wrong kind.
    Schema,
    /// An entry or folder sits under a domain the standard does not have.
    UnknownDomain,
    /// An entry sits under an item the domain does not have.
    UnknownItem,
    /// `published` before `created`, or `updated` before `published`.
    DateOrder,
    /// Two entries share a 索引号.
    DuplicateIndexNo,
    /// A file is not UTF-8.
    Encoding,
    /// A path points outside the catalog, or two files map to one URL.
    UnsafePath,
    /// An entry shows unmasked personal numbers.
    Privacy,
    /// 逾期公开: published later than the item's limit.
    Late,
    /// 未公开: an applicable item has no entry.
    Missing,
    /// 未按期更新: a periodic item's newest entry is too old.
    Stale,
    /// `expires` has passed but the entry is still marked valid.
    ExpiredUnmarked,
    /// An entry has no 索引号 and one was derived for it.
    IndexNoDerived,
    /// A date falls in a year with no working-day calendar file.
    CalendarUnknown,
}

impl Code {
    /// The stable machine name used in JSON output and `gongkai explain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::Schema => "schema",
            Code::UnknownDomain => "unknown-domain",
            Code::UnknownItem => "unknown-item",
            Code::DateOrder => "date-order",
            Code::DuplicateIndexNo => "duplicate-index-no",
            Code::Encoding => "encoding",
            Code::UnsafePath => "unsafe-path",
            Code::Privacy => "privacy",
            Code::Late => "late",
            Code::Missing => "missing",
            Code::Stale => "stale",
            Code::ExpiredUnmarked => "expired-unmarked",
            Code::IndexNoDerived => "index-no-derived",
            Code::CalendarUnknown => "calendar-unknown",
        }
    }

    /// The severity a finding with this code has.
    pub fn severity(self) -> Severity {
        match self {
            Code::Late
            | Code::Missing
            | Code::Stale
            | Code::ExpiredUnmarked
            | Code::IndexNoDerived
            | Code::CalendarUnknown => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One finding, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem this is.
    pub code: Code,
    /// The unit's path under `units/`, where the finding belongs to a unit.
    pub unit: Option<String>,
    /// The domain id, where the finding belongs to one.
    pub domain: Option<String>,
    /// The item id, where the finding belongs to one.
    pub item: Option<String>,
    /// The file as the user would type it (e.g. `catalog/units/shiqu/unit.toml`).
    pub file: Option<String>,
    /// The 1-based line in that file.
    pub line: Option<u32>,
    /// What is wrong, in Chinese.
    pub message: String,
    /// How to fix it, in Chinese.
    pub hint: Option<String>,
    /// The text of the offending line, shown under the message.
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// A finding with a code and message; locate it with the builder methods.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            unit: None,
            domain: None,
            item: None,
            file: None,
            line: None,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    /// The severity implied by the code.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Places the finding in a file (without a line).
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Places the finding at a line of a source, with the line's text as snippet.
    pub fn at(mut self, source: &crate::source::Source, line: u32) -> Self {
        self.file = Some(source.display.clone());
        self.line = Some(line);
        self.snippet = source.line_text(line).map(str::to_owned);
        self
    }

    /// Adds the fix.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the unit, domain and item the finding belongs to.
    pub fn scope(mut self, unit: Option<&str>, domain: Option<&str>, item: Option<&str>) -> Self {
        self.unit = unit.map(str::to_owned);
        self.domain = domain.map(str::to_owned);
        self.item = item.map(str::to_owned);
        self
    }

    /// The order findings are reported in: unit, domain, item, file, line, code.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.unit.as_deref().unwrap_or(""),
            self.domain.as_deref().unwrap_or(""),
            self.item.as_deref().unwrap_or(""),
            self.file.as_deref().unwrap_or(""),
            self.line.unwrap_or(0),
            self.code,
            self.message.as_str(),
        )
    }
}

/// Sorts findings into their stable report order and drops exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// Counts (errors, warnings).
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}

/// Formats one finding for a person reading a terminal:
///
/// ```text
/// 错误[schema] catalog/units/shiqu/unit.toml:3
///   缺少必填的键 `level`（层级）。
///    3 | name = "示例区"
///   提示：……
/// ```
pub fn render_text(d: &Diagnostic) -> String {
    let mut out = String::new();
    let _ = write!(out, "{}[{}]", d.severity().label(), d.code.as_str());
    match (&d.file, d.line) {
        (Some(file), Some(line)) => {
            let _ = write!(out, " {file}:{line}");
        }
        (Some(file), None) => {
            let _ = write!(out, " {file}");
        }
        _ => {}
    }
    let _ = write!(out, "\n  {}", d.message);
    if let (Some(snippet), Some(line)) = (&d.snippet, d.line) {
        let _ = write!(out, "\n  {line:>4} | {}", snippet.trim_end());
    }
    if let Some(hint) = &d.hint {
        let _ = write!(out, "\n  提示：{hint}");
    }
    out.push('\n');
    out
}
