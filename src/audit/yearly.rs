//! 年度报告 figures (`gongkai report --year N`): what a 政府信息公开工作年度报告 (《政府信息公开
//! 条例》 art. 49–50, published by 31 January) says about the 基层政务公开标准化规范化 (重点领域)
//! domains for calendar year N, per unit and domain — items that apply and items with
//! information, entries published, updated and published late in the year, documents 失效 or
//! 废止 at its end, and 解读 published in it. The figures use the audit's and the model's own
//! tests (逾期公开 is [`super::late::overdue`], 有效性 is [`Entry::validity_at`], changes are
//! [`Entry::changes`]), so a report never disagrees with `check` or the site. [`mod@format`] prints
//! them (text, CSV, JSON, HTML).

pub mod format;

use super::{DayCounter, late};
use crate::model::{Catalog, Entry, Level, Validity};
use chrono::NaiveDate;
use serde::Serialize;

/// The first year a report can be made for: 《政府信息公开条例》 took effect on 1 May 2008.
pub const FIRST_YEAR: i32 = 2008;

/// The first and the last day of `year` (`None` for a year chrono cannot represent).
pub fn year_span(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

/// The day the figures of `year` are judged on: its 31 December, or `today` while the year is
/// not over. Load the catalog judged on it (`crate::pipeline::load_and_validate_judged`).
pub fn judged_on(year: i32, today: NaiveDate) -> NaiveDate {
    year_span(year).map_or(today, |(_, end)| end.min(today))
}

/// The figures of one unit in one domain, or summed over several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// 适用事项: items of the standard that apply to the unit's level (本级不涉及 ones included,
    /// as in `check`'s coverage).
    pub applicable: usize,
    /// 有信息的事项: applicable items with at least one entry published by the day judged.
    pub with_information: usize,
    /// 新公开: entries published in the year.
    pub published: usize,
    /// 更新: entries changed in the year after they were published ([`Entry::changes`]).
    pub updated: usize,
    /// 逾期公开: entries published in the year later than their item's limit.
    pub late: usize,
    /// 失效、废止: entries published by the day judged that are 失效 or 废止 on it.
    pub lapsed: usize,
    /// 解读: entries published in the year that interpret a document (`interprets`).
    pub interpretations: usize,
}

impl std::ops::AddAssign for Figures {
    fn add_assign(&mut self, other: Figures) {
        self.applicable += other.applicable;
        self.with_information += other.with_information;
        self.published += other.published;
        self.updated += other.updated;
        self.late += other.late;
        self.lapsed += other.lapsed;
        self.interpretations += other.interpretations;
    }
}

/// One domain's figures for a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainYear {
    /// Domain id.
    pub id: String,
    /// Domain name (社会救助).
    pub name: String,
    /// The figures.
    pub figures: Figures,
}

/// One unit's figures: its domains in standard order, and their sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitYear {
    /// The unit's path under `units/`.
    pub path: String,
    /// Its name.
    pub name: String,
    /// 县级 / 乡级 / 村级.
    pub level: Level,
    /// The domains with an item applying to the unit or an entry counted (an unrelated domain
    /// would be a row of zeros).
    pub domains: Vec<DomainYear>,
    /// The sum over its domains (小计).
    pub total: Figures,
}

/// The 年度报告 figures of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearReport {
    /// The calendar year.
    pub year: i32,
    /// The day judged: 31 December of the year, or the day the report was made while the year
    /// is not over.
    pub judged: NaiveDate,
    /// Who reports: the one unit at the top of those reported on (示例区), or else the site's
    /// 主办单位.
    pub subject: String,
    /// Years whose working days were counted by weekends alone, having no calendar file: the
    /// year itself, and any other a 逾期公开 count reached into.
    pub calendar_unknown: Vec<i32>,
    /// The units, parents before children.
    pub units: Vec<UnitYear>,
    /// The sum over the units (合计).
    pub total: Figures,
}

impl YearReport {
    /// Whether the whole year is counted (the report was made after 31 December).
    pub fn year_over(&self) -> bool {
        year_span(self.year).is_some_and(|(_, end)| self.judged >= end)
    }

    /// The report's title, as a 年度报告's table is headed:
    /// 示例区2025年政府信息公开工作年度报告·基层政务公开标准化规范化（重点领域）情况.
    pub fn title(&self) -> String {
        format!(
            "{}{}年政府信息公开工作年度报告·基层政务公开标准化规范化（重点领域）情况",
            self.subject, self.year
        )
    }
}

/// Computes the figures of `year` for `units` (indices into `catalog.units`, in the order to
/// show them), judged on the catalog's [`Catalog::as_of`] (no later than the year's end): load
/// the catalog judged on [`judged_on`].
pub fn figures(catalog: &Catalog, year: i32, units: &[usize]) -> YearReport {
    let (start, end) = year_span(year).unwrap_or((catalog.as_of, catalog.as_of));
    let judged = catalog.as_of.min(end);
    let in_year = |day: NaiveDate| start <= day && day <= judged;
    let counter = DayCounter::new(catalog);
    let mut total = Figures::default();
    let mut rows = Vec::new();
    for &u in units {
        let unit = &catalog.units[u];
        let mut unit_total = Figures::default();
        let mut domains = Vec::new();
        for (d, domain) in catalog.standard.domains.iter().enumerate() {
            let mut f = Figures::default();
            for (i, item) in domain.items.iter().enumerate() {
                if !item.applies_to(unit.level) {
                    continue;
                }
                f.applicable += 1;
                if unit
                    .item_entries(d, i)
                    .iter()
                    .any(|e| e.published <= judged)
                {
                    f.with_information += 1;
                }
            }
            for entry in unit.domain_entries(d) {
                count_entry(catalog, &counter, entry, judged, &in_year, &mut f);
            }
            if f == Figures::default() {
                continue;
            }
            unit_total += f;
            domains.push(DomainYear {
                id: domain.id.clone(),
                name: domain.name.clone(),
                figures: f,
            });
        }
        total += unit_total;
        rows.push(UnitYear {
            path: unit.path.clone(),
            name: unit.name.clone(),
            level: unit.level,
            domains,
            total: unit_total,
        });
    }
    let mut calendar_unknown = counter.into_unknown_years();
    if !catalog.calendar.is_known_year(year) {
        calendar_unknown.insert(year);
    }
    YearReport {
        year,
        judged,
        subject: subject(catalog, units),
        calendar_unknown: calendar_unknown.into_iter().collect(),
        units: rows,
        total,
    }
}

/// Adds one entry to a domain's figures.
fn count_entry(
    catalog: &Catalog,
    counter: &DayCounter,
    entry: &Entry,
    judged: NaiveDate,
    in_year: &impl Fn(NaiveDate) -> bool,
    f: &mut Figures,
) {
    if entry.published > judged {
        return;
    }
    if in_year(entry.published) {
        f.published += 1;
        if late::overdue(catalog, counter, entry).is_some() {
            f.late += 1;
        }
        if !entry.relations.interprets.is_empty() {
            f.interpretations += 1;
        }
    }
    if entry.changes().any(in_year) {
        f.updated += 1;
    }
    if entry.validity_at(judged) != Validity::Valid {
        f.lapsed += 1;
    }
}

/// Who reports: the unit all of `units` are beneath (the first, when the others are under
/// it), or the site's 主办单位.
fn subject(catalog: &Catalog, units: &[usize]) -> String {
    match units.first() {
        Some(&top) if units.iter().all(|&u| catalog.ancestry(u).contains(&top)) => {
            catalog.units[top].name.clone()
        }
        _ => catalog.site.organizer.clone(),
    }
}
