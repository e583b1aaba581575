//! Which entries a unit gets, and their dates: a realistic spread where most applicable items
//! have no or few entries (1–3), one or two busy items carry a long series (monthly lists,
//! penalty decisions), periodic items have one issue per period, and a few cases trip the audit
//! (late, stale, expired but still marked valid).

use crate::rng::Rng;
use crate::standard::{Item, Standard};
use crate::units::UnitSpec;
use chrono::{Datelike, Days, Months, NaiveDate};
use std::collections::BTreeMap;

/// 有效性 of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// 有效 (the default; not written).
    Valid,
    /// 失效.
    Expired,
    /// 废止.
    Repealed,
}

impl Validity {
    /// The front-matter value, or `None` for the default.
    pub fn value(self) -> Option<&'static str> {
        match self {
            Validity::Valid => None,
            Validity::Expired => Some("expired"),
            Validity::Repealed => Some("repealed"),
        }
    }
}

/// One entry to write.
#[derive(Debug, Clone)]
pub struct EntrySpec {
    /// Index into `Standard::items`.
    pub item: usize,
    /// File stem or folder name.
    pub slug: String,
    /// 成文日期.
    pub created: NaiveDate,
    /// 发布日期.
    pub published: NaiveDate,
    /// 变更日期.
    pub updated: Option<NaiveDate>,
    /// Date the document stops being in force.
    pub expires: Option<NaiveDate>,
    /// 有效性.
    pub validity: Validity,
    /// 索引号 (assigned once all entries of the unit are known).
    pub index_no: String,
    /// The period an issue covers, e.g. 2024年第二季度, for titles.
    pub period: Option<String>,
    /// Published later than the item's limit on purpose.
    pub late: bool,
    /// Written as `<slug>/index.md` with attachments.
    pub with_attachments: bool,
}

/// Share of entries published late on purpose.
const LATE: f64 = 0.03;
/// Share of entries changed after publication.
const UPDATED: f64 = 0.10;
/// Share of entries with an `expires` date.
const EXPIRES: f64 = 0.06;
/// Share of expired entries left marked valid (`expired-unmarked`).
const EXPIRED_UNMARKED: f64 = 0.2;
/// Share of entries repealed.
const REPEALED: f64 = 0.02;
/// Share of entries with attachments.
const ATTACHMENTS: f64 = 0.08;
/// Share of periodic series that stop early (`stale`).
const STALE: f64 = 0.12;

/// Words in an item's name that mark information published again and again.
const BUSY_WORDS: [&str; 14] = [
    "处罚", "许可", "审批", "审核", "补贴", "津贴", "名单", "对象", "公示", "检查", "救助", "发放",
    "项目", "登记",
];

/// A unit's planned entries.
#[derive(Debug, Default)]
pub struct Plan {
    /// The entries, in planning order.
    pub entries: Vec<EntrySpec>,
    /// Periodic series stopped early on purpose. `gongkai check` finds a few more `stale`
    /// items: a one-off entry the random filler puts under a periodic item is stale too.
    pub stale_series: usize,
}

/// Plans the entries of `unit`: items, slugs, dates, validity and 索引号.
pub fn plan(unit: &UnitSpec, standard: &Standard, as_of: NaiveDate, rng: &mut Rng) -> Plan {
    let first_day = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or(as_of);
    let applicable: Vec<usize> = standard
        .items
        .iter()
        .enumerate()
        .filter(|(i, item)| {
            let level = if unit.kind.is_county() {
                item.county
            } else {
                item.township
            };
            level && !unit.exempt.iter().any(|(e, _)| e == i)
        })
        .map(|(i, _)| i)
        .collect();
    let mut planner = Planner {
        standard,
        as_of,
        first_day,
        entries: Vec::new(),
        per_item: BTreeMap::new(),
        stale_series: 0,
    };
    if applicable.is_empty() || unit.budget == 0 {
        return Plan::default();
    }
    for &i in &applicable {
        if standard.items[i].period_months.is_some() && rng.chance(0.7) {
            planner.periodic_series(i, rng);
        }
    }
    let busy: Vec<usize> = applicable
        .iter()
        .copied()
        .filter(|&i| {
            let item = &standard.items[i];
            item.period_months.is_none() && BUSY_WORDS.iter().any(|w| item.level2.contains(w))
        })
        .collect();
    let busy_items = if unit.kind.is_county() { 2 } else { 1 };
    let budget = unit.budget;
    for _ in 0..busy_items {
        let pool = if busy.is_empty() { &applicable } else { &busy };
        let n = ((budget as f64) * rng.between(0.18, 0.35)).round() as usize;
        if n >= 3 && planner.entries.len() + n <= budget {
            planner.busy_series(*rng.pick(pool), n, rng);
        }
    }
    while planner.entries.len() < budget {
        let item = *rng.pick(&applicable);
        let n = rng.range(1, 3).min(budget - planner.entries.len());
        for _ in 0..n {
            planner.single(item, rng);
        }
    }
    let mut entries = planner.entries;
    assign_index_numbers(&mut entries, &unit.org_code, standard);
    Plan {
        entries,
        stale_series: planner.stale_series,
    }
}

/// Builds a unit's entries item by item.
struct Planner<'a> {
    standard: &'a Standard,
    as_of: NaiveDate,
    first_day: NaiveDate,
    entries: Vec<EntrySpec>,
    /// Entries so far per item, for unique slugs.
    per_item: BTreeMap<usize, usize>,
    /// Series stopped early.
    stale_series: usize,
}

impl Planner<'_> {
    fn item(&self, i: usize) -> &Item {
        &self.standard.items[i]
    }

    /// One issue per period from a random start year; some series stop early (stale).
    fn periodic_series(&mut self, i: usize, rng: &mut Rng) {
        let Some(months) = self.item(i).period_months else {
            return;
        };
        let stale = rng.chance(STALE);
        let cutoff = if stale {
            self.as_of
                .checked_sub_months(Months::new(months))
                .and_then(|d| d.checked_sub_days(Days::new(rng.range(60, 400) as u64)))
                .unwrap_or(self.first_day)
        } else {
            self.as_of
        };
        let before = self.entries.len();
        let start_year = 2019 + rng.below(4) as i32;
        let mut period_start = NaiveDate::from_ymd_opt(start_year, 1, 1).unwrap_or(self.first_day);
        while let Some(period_end) = period_start
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
        {
            let created = period_end + Days::new(rng.range(1, 15) as u64);
            let (published, late) = self.publish_date(i, created, rng);
            if published > cutoff {
                break;
            }
            let label = period_label(period_start, months);
            self.push(i, created, published, late, Some(label), rng);
            period_start = period_end + Days::new(1);
        }
        if stale && self.entries.len() > before {
            self.stale_series += 1;
        }
    }

    /// `n` entries of one item spread from a random start to `as_of` (a busy item).
    fn busy_series(&mut self, i: usize, n: usize, rng: &mut Rng) {
        let start = self.first_day + Days::new(rng.below(5 * 365) as u64);
        let span = (self.as_of - start).num_days().max(1) as f64;
        for k in 0..n {
            let offset = span * (k as f64 + rng.unit()) / n as f64;
            let created = start + Days::new(offset as u64);
            let (published, late) = self.publish_date(i, created, rng);
            if published > self.as_of {
                continue;
            }
            let label = format!("{}年{}月", created.year(), created.month());
            self.push(i, created, published, late, Some(label), rng);
        }
    }

    /// One entry at a random date, more of them in recent years.
    fn single(&mut self, i: usize, rng: &mut Rng) {
        let span = (self.as_of - self.first_day).num_days() as f64;
        for _ in 0..8 {
            let created = self.first_day + Days::new((span * rng.unit().sqrt()) as u64);
            let (published, late) = self.publish_date(i, created, rng);
            if published <= self.as_of {
                self.push(i, created, published, late, None, rng);
                return;
            }
        }
        let created = self.as_of - Days::new(3);
        self.push(i, created, self.as_of, false, None, rng);
    }

    /// A publication date within the item's limit (counted in calendar days, so within it in
    /// working days too), or, for a few, far beyond it.
    fn publish_date(&self, i: usize, created: NaiveDate, rng: &mut Rng) -> (NaiveDate, bool) {
        let limit = self.item(i).limit_days as usize;
        if rng.chance(LATE) {
            (
                created + Days::new((3 * limit + rng.range(20, 60)) as u64),
                true,
            )
        } else {
            (
                created + Days::new(rng.range(0, limit.min(10)) as u64),
                false,
            )
        }
    }

    fn push(
        &mut self,
        i: usize,
        created: NaiveDate,
        published: NaiveDate,
        late: bool,
        period: Option<String>,
        rng: &mut Rng,
    ) {
        let seq = self.per_item.entry(i).or_insert(0);
        *seq += 1;
        let slug = format!("{}-{:02}-{:03}", published.year(), published.month(), seq);
        let updated = Some(published + Days::new(rng.range(7, 500) as u64))
            .filter(|u| *u <= self.as_of && rng.chance(UPDATED));
        let (expires, validity) = validity(published, self.as_of, rng);
        self.entries.push(EntrySpec {
            item: i,
            slug,
            created,
            published,
            updated,
            expires,
            validity,
            index_no: String::new(),
            period,
            late,
            with_attachments: rng.chance(ATTACHMENTS),
        });
    }
}

/// `expires` and 有效性: a few entries expire (most then marked 失效), a few are repealed.
fn validity(
    published: NaiveDate,
    as_of: NaiveDate,
    rng: &mut Rng,
) -> (Option<NaiveDate>, Validity) {
    if rng.chance(REPEALED) {
        return (None, Validity::Repealed);
    }
    if !rng.chance(EXPIRES) {
        return (None, Validity::Valid);
    }
    let expires = published + Days::new(rng.range(180, 1500) as u64);
    if expires < as_of && !rng.chance(EXPIRED_UNMARKED) {
        (Some(expires), Validity::Expired)
    } else {
        (Some(expires), Validity::Valid)
    }
}

/// 2024年3月, 2024年第二季度, 2024年上半年, 2024年度.
fn period_label(start: NaiveDate, months: u32) -> String {
    const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];
    let y = start.year();
    match months {
        1 => format!("{y}年{}月", start.month()),
        3 => format!("{y}年第{}季度", QUARTERS[(start.month0() / 3) as usize % 4]),
        6 if start.month() <= 6 => format!("{y}年上半年"),
        6 => format!("{y}年下半年"),
        _ => format!("{y}年度"),
    }
}

/// 索引号 `<org_code>/<year>-<serial>`: serials per publication year, in order of publication.
fn assign_index_numbers(entries: &mut [EntrySpec], org_code: &str, standard: &Standard) {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |e: &EntrySpec| {
            (
                e.published,
                standard.items[e.item].domain,
                e.item,
                e.slug.clone(),
            )
        };
        key(&entries[a]).cmp(&key(&entries[b]))
    });
    let mut serials: BTreeMap<i32, u32> = BTreeMap::new();
    for i in order {
        let year = entries[i].published.year();
        let serial = serials.entry(year).or_insert(0);
        *serial += 1;
        entries[i].index_no = format!("{org_code}/{year}-{serial:05}");
    }
}
