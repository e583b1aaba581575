//! Stage 4b, audit: what evaluators check (网上巡查, 第三方评估), run on the validated model.
//! Each rule is its own module holding its code, its explanation and its check, side by side.
//! The audit only reads the model; `check` prints its findings, `build` prints a summary,
//! `report` prints the 年度报告 figures ([`yearly`]).

pub mod dashboard;
pub mod expired_unmarked;
pub mod history;
pub mod late;
pub mod links;
pub mod missing;
pub mod relations;
pub mod report;
pub mod stale;
pub mod unit_inactive;
pub mod yearly;

use crate::diag::{self, Code, Diagnostic};
use crate::model::{Catalog, LimitUnit};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// A rule's documentation, as `gongkai explain` prints it.
pub struct Rule {
    /// The finding code.
    pub code: Code,
    /// The short Chinese name evaluators use (逾期公开, 未公开, …).
    pub name: &'static str,
    /// Why it matters and how to fix it.
    pub explanation: &'static str,
}

/// The audit rules, in report order.
pub const RULES: [&Rule; 12] = [
    &late::RULE,
    &missing::RULE,
    &stale::RULE,
    &expired_unmarked::RULE,
    &unit_inactive::RULE,
    &links::BROKEN_LINK,
    &links::ATTACHMENT_MISSING,
    &relations::LATE,
    &relations::MISSING,
    &relations::FEEDBACK,
    &history::BACKDATED,
    &history::UNKNOWN,
];

/// 国办秘函〔2019〕19号 单项否决「栏目不更新」: this many 空白栏目 (applicable items with
/// nothing published, `missing`) fail the site outright.
pub const VETO_MISSING: usize = 5;

/// 国办秘函〔2019〕19号 单项否决「栏目不更新」: this many columns that should be updated but
/// have not been (`stale`) fail the site outright.
pub const VETO_STALE: usize = 10;

/// Counts days the way an item's limit counts them, and remembers the years it had to guess.
pub struct DayCounter<'a> {
    catalog: &'a Catalog,
    unknown_years: std::cell::RefCell<BTreeSet<i32>>,
}

impl<'a> DayCounter<'a> {
    /// A counter over the catalog's working-day calendar.
    pub fn new(catalog: &'a Catalog) -> Self {
        DayCounter {
            catalog,
            unknown_years: Default::default(),
        }
    }

    /// Days after `from` up to and including `to`, in the limit's unit.
    pub fn between(&self, unit: LimitUnit, from: NaiveDate, to: NaiveDate) -> i64 {
        match unit {
            LimitUnit::Calendar => (to - from).num_days().max(0),
            LimitUnit::Working => {
                self.note_unknown(from, to);
                i64::from(self.catalog.calendar.working_days_between(from, to))
            }
        }
    }

    /// The last day on which something dated `from` is on time with a limit of `n` days.
    pub fn deadline(&self, unit: LimitUnit, from: NaiveDate, n: u32) -> NaiveDate {
        match unit {
            LimitUnit::Calendar => from + chrono::Days::new(u64::from(n)),
            LimitUnit::Working => {
                let end = self.catalog.calendar.deadline(from, n);
                self.note_unknown(from, end);
                end
            }
        }
    }

    fn note_unknown(&self, from: NaiveDate, to: NaiveDate) {
        let years = self.catalog.calendar.unknown_years_in(from, to);
        if !years.is_empty() {
            self.unknown_years.borrow_mut().extend(years);
        }
    }

    /// The years whose working days were counted by weekends alone (no calendar file), in order.
    pub fn into_unknown_years(self) -> BTreeSet<i32> {
        self.unknown_years.into_inner()
    }

    /// One `calendar-unknown` warning per year that was counted by weekends alone.
    pub fn into_findings(self, calendar_dir: &str) -> Vec<Diagnostic> {
        self.into_unknown_years()
            .into_iter()
            .map(|year| {
                Diagnostic::new(
                    Code::CalendarUnknown,
                    format!("缺少 {year} 年的工作日历（国务院办公厅节假日安排），该年的工作日暂按周一至周五计算，结果可能不准。"),
                )
                .in_file(format!("{calendar_dir}/{year}.toml"))
                .hint(format!("国务院办公厅公布 {year} 年部分节假日安排后，仿照已有年份新建 calendar/{year}.toml。"))
            })
            .collect()
    }
}

/// The word days are counted in: 个工作日 or 日.
pub fn day_word(unit: LimitUnit) -> &'static str {
    match unit {
        LimitUnit::Working => "个工作日",
        LimitUnit::Calendar => "日",
    }
}

/// The label of a limit (`10 个工作日`, `20 日`).
pub fn limit_label(unit: LimitUnit, days: u32) -> String {
    format!("{days} {}", day_word(unit))
}

/// How many findings each rule has, as `build` prints them: the same counts as [`audit`], but
/// `missing` items are only counted, not turned into findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// (code, count) for every rule in [`RULES`] order, then `calendar-unknown`.
    pub counts: Vec<(Code, usize)>,
}

impl Tally {
    /// The count of one code (0 if it is not a rule).
    pub fn get(&self, code: Code) -> usize {
        self.counts
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(0, |(_, n)| *n)
    }

    /// Whether the audit found nothing.
    pub fn is_empty(&self) -> bool {
        self.counts.iter().all(|(_, n)| *n == 0)
    }
}

/// Counts what [`audit`] would find, per rule.
pub fn tally(catalog: &Catalog, as_of: NaiveDate, calendar_dir: &str) -> Tally {
    let counter = DayCounter::new(catalog);
    let late = late::check(catalog, &counter).len();
    let missing = missing::count(catalog);
    let stale = stale::check(catalog, as_of, &counter).len();
    let expired = expired_unmarked::check(catalog, as_of).len();
    let inactive = unit_inactive::check(catalog, as_of).len();
    let links = links::check(catalog);
    let count_links = |code| links.iter().filter(|f| f.code == code).count();
    let interpretations = relations::interpretations(catalog, &counter);
    let feedback = relations::feedback(catalog, &counter).len();
    let unknown = counter.into_findings(calendar_dir).len();
    let counts = RULES
        .iter()
        .map(|rule| {
            let n = match rule.code {
                Code::Late => late,
                Code::Missing => missing,
                Code::Stale => stale,
                Code::ExpiredUnmarked => expired,
                Code::UnitInactive => inactive,
                Code::BrokenLink | Code::AttachmentMissing => count_links(rule.code),
                Code::FeedbackMissing => feedback,
                code @ (Code::InterpretationLate | Code::InterpretationMissing) => {
                    interpretations.iter().filter(|d| d.code == code).count()
                }
                _ => 0,
            };
            (rule.code, n)
        })
        .chain([(Code::CalendarUnknown, unknown)])
        .collect();
    Tally { counts }
}

/// Runs every rule on the catalog at `as_of`; findings come back sorted.
/// `calendar_dir` is how the calendar folder is shown (e.g. `catalog/calendar`).
pub fn audit(catalog: &Catalog, as_of: NaiveDate, calendar_dir: &str) -> Vec<Diagnostic> {
    let counter = DayCounter::new(catalog);
    let mut findings = Vec::new();
    findings.extend(late::check(catalog, &counter));
    findings.extend(missing::check(catalog));
    findings.extend(stale::check(catalog, as_of, &counter));
    findings.extend(expired_unmarked::check(catalog, as_of));
    findings.extend(unit_inactive::check(catalog, as_of));
    findings.extend(links::check(catalog));
    findings.extend(relations::interpretations(catalog, &counter));
    findings.extend(relations::feedback(catalog, &counter));
    findings.extend(counter.into_findings(calendar_dir));
    diag::sort(&mut findings);
    findings
}
