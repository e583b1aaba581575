//! The State Council working-day calendar (工作日历) used for disclosure deadlines.
//!
//! The 2019 《中华人民共和国政府信息公开条例》 sets its time limits in working
//! days (工作日), not calendar days: for example, information that must be
//! disclosed proactively (主动公开) is due within 20 working days of being
//! created or changed. A working day in mainland China is not simply Monday to
//! Friday. Every year the General Office of the State Council (国务院办公厅)
//! publishes 《关于XXXX年部分节假日安排的通知》, which turns some weekdays into
//! days off (放假) and some Saturdays or Sundays into make-up working days
//! (调休上班). A 20-working-day deadline that spans 春节 or 国庆节 can land
//! several days, up to about a week, later than a plain Monday–Friday count.
//!
//! This module holds that calendar and does the counting. It is pure: it reads
//! no files and looks at no clock. The caller loads the notices (the TOML files
//! under `catalog/calendar/`) and feeds them in with [`WorkCalendar::add_year`].
//!
//! # Rules
//!
//! * A date listed in a notice with `off = true` (放假) is not a working day.
//! * A date listed with `off = false` (调休上班) is a working day, even on a
//!   Saturday or Sunday.
//! * Any other date is a working day if and only if it is Monday to Friday.
//!
//! A year whose notice has not been loaded is *unknown* (未知年份): the
//! functions above still answer for it with the plain weekend rule, and
//! [`WorkCalendar::unknown_years_in`] tells the caller which years of a span
//! were computed that way, so it can warn that the answer may be wrong.
//!
//! # Counting convention
//!
//! Spans are half-open on the start: "working days between `from` and `to`"
//! counts the working days in `(from, to]`. The day something is created does
//! not count; the first working day after it is day 1, following the general
//! rule for time periods that the starting day is not counted (期间开始之日不计算在内).
//! A deadline of `n` working days, such as the 条例's "自……之日起20个工作日内",
//! is therefore the `n`-th working day after the start date.
//!
//! # Complexity
//!
//! Counting does not walk day by day. Monday–Friday days in a span are counted
//! with arithmetic, then every listed notice day inside the span that changes
//! the answer is applied as a correction. With `L` listed days in the whole
//! calendar and `k` of them inside the span, [`WorkCalendar::working_days_between`]
//! is `O(log L + k)`, whatever the length of the span. Adding or subtracting
//! working days is a binary search over that count: `O(log(span) · (log L + k))`.
//!
//! # Extreme dates
//!
//! Nothing here panics. Results that would fall outside the range of
//! [`NaiveDate`] saturate at [`NaiveDate::MAX`] (going forwards) or
//! [`NaiveDate::MIN`] (going backwards). Such dates are some 262,000 years
//! away, so a saturated result only ever comes from nonsensical input.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use chrono::{Datelike, NaiveDate, Weekday};

/// One listed day of an official notice (节假日安排通知中列出的一天).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CalendarDay {
    /// The date the notice arranges.
    pub date: NaiveDate,
    /// The holiday the row belongs to, as the notice words it, e.g. `春节` or
    /// `中秋节、国庆节`. Make-up working days carry the name of the holiday they
    /// serve.
    pub name: String,
    /// `true`: a day off (放假). `false`: a make-up working day (调休上班).
    pub off: bool,
}

/// The State Council working-day calendar (工作日历).
///
/// Build it with [`WorkCalendar::new`] and one [`WorkCalendar::add_year`] call
/// per notice year. An empty calendar knows no year and treats every date by
/// the weekend rule alone (Monday–Friday work, Saturday and Sunday off).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Every date listed by a loaded notice: `true` means off (放假), `false`
    /// means worked (调休上班).
    listed: BTreeMap<NaiveDate, bool>,
    /// Calendar years whose notice has been loaded.
    known: BTreeSet<i32>,
}

impl WorkCalendar {
    /// An empty calendar: no known year, weekends only.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads the notice for `year` (the year in the notice's title, 《关于`year`年部分节假日安排的通知》).
    ///
    /// Marks calendar year `year` as known and records every listed day.
    /// The days need not all lie in `year`: a notice often arranges the end of
    /// the previous December too (the 2019 notice lists 2018-12-29 to
    /// 2018-12-31 for 元旦). Such days are recorded like any other, but they do
    /// not make the previous year known. If a date is given twice, the last
    /// value wins. The `name` of each day is not kept.
    pub fn add_year(&mut self, year: i32, days: impl IntoIterator<Item = CalendarDay>) {
        self.known.insert(year);
        for day in days {
            self.listed.insert(day.date, day.off);
        }
    }

    /// Whether the notice for calendar year `year` has been loaded.
    #[must_use]
    pub fn is_known_year(&self, year: i32) -> bool {
        self.known.contains(&year)
    }

    /// The calendar years whose notice has been loaded, in ascending order.
    #[must_use]
    pub fn known_years(&self) -> Vec<i32> {
        self.known.iter().copied().collect()
    }

    /// Whether `date` is a working day (工作日).
    ///
    /// Listed as off (放假) → `false`; listed as worked (调休上班) → `true`;
    /// not listed → `true` exactly on Monday to Friday. Dates in unknown years
    /// get the weekend rule; see [`WorkCalendar::unknown_years_in`].
    #[must_use]
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.listed.get(&date) {
            Some(&off) => !off,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// Working days after `from` up to and including `to`, i.e. in `(from, to]`.
    ///
    /// The start day is not counted; the end day is. Returns 0 when
    /// `to <= from`. This is additive: for `a <= b <= c`,
    /// `between(a, b) + between(b, c) == between(a, c)`.
    ///
    /// Runs in `O(log L + k)` (see the module documentation), so spans of
    /// decades or centuries cost no more than a few weeks.
    #[must_use]
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let count = self.count(day_number(from), day_number(to));
        // A span over the whole range of `NaiveDate` has fewer than 2^28
        // working days, so this never saturates in practice.
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// The date that is `n` working days after `from`: the `n`-th working day
    /// strictly after `from`.
    ///
    /// `n = 0` returns `from` itself, working day or not. For `n >= 1` the
    /// result is always a working day `t` with
    /// `working_days_between(from, t) == n`, and it is the earliest such date.
    /// If there are fewer than `n` working days after `from` before the end of
    /// [`NaiveDate`]'s range, returns [`NaiveDate::MAX`].
    #[must_use]
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return from;
        }
        let start = day_number(from);
        let n = i64::from(n);
        let max = day_number(NaiveDate::MAX);
        // Find the smallest t in (start, max] with count(start, t) >= n.
        // Invariant: count(start, lo) < n <= count(start, hi).
        let mut lo = start;
        let mut hi = max;
        if self.count(start, hi) < n {
            return NaiveDate::MAX;
        }
        // Without listed days, n working days take at most 7 * (n / 5 + 1)
        // calendar days; every listed day can add at most one more working
        // day to find. Try that bound first so the search stays local.
        let guess = start.saturating_add(self.search_window(n));
        if guess < hi && self.count(start, guess) >= n {
            hi = guess;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.count(start, mid) >= n {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        date_from_number(hi).unwrap_or(NaiveDate::MAX)
    }

    /// The date that is `n` working days before `from`: the `n`-th working day
    /// strictly before `from`.
    ///
    /// This is the mirror image of [`WorkCalendar::add_working_days`]: `n = 0`
    /// returns `from` itself; for `n >= 1` the result is the working day `d`
    /// such that exactly `n` working days lie in `[d, from)` (where `add`
    /// counts `(from, t]`). Going back one working day from a Monday gives
    /// the Friday before (unless that Friday is a holiday), and going back one
    /// from a Saturday also gives that Friday.
    ///
    /// Guarantees (away from the ends of [`NaiveDate`]'s range):
    ///
    /// * `sub_working_days(add_working_days(d, n), n) == d` for every working
    ///   day `d`, and `<= d` for any `d`.
    /// * It is the exact inverse for deadlines: for all `d`, `t` and `n`,
    ///   `add_working_days(d, n) >= t` if and only if
    ///   `d >= sub_working_days(t, n)`. So `sub_working_days(today, n)` is the
    ///   earliest creation date that is still on time today with a limit of
    ///   `n` working days; anything created earlier is overdue (逾期).
    /// * If `from` is a working day, `working_days_between(result, from) == n`
    ///   and the result is the earliest date with that property. If `from`
    ///   is not a working day, the count is `n - 1` instead (for `n >= 1`),
    ///   because `from` itself is not one of the `n` days.
    ///
    /// If there are fewer than `n` working days before `from` since the start
    /// of [`NaiveDate`]'s range, returns [`NaiveDate::MIN`].
    #[must_use]
    pub fn sub_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return from;
        }
        let end = day_number(from);
        let n = i64::from(n);
        let min = day_number(NaiveDate::MIN);
        // Working days in [d, end) == count(d - 1, end - 1).
        // Find the largest d in [min, end) with that count >= n.
        // Invariant: count(lo - 1, end - 1) >= n > count(hi - 1, end - 1).
        let in_window = |d: i64| self.count(d - 1, end - 1);
        let mut lo = min;
        let mut hi = end;
        if in_window(lo) < n {
            return NaiveDate::MIN;
        }
        let guess = end.saturating_sub(self.search_window(n));
        if guess > lo && in_window(guess) >= n {
            lo = guess;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if in_window(mid) >= n {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        date_from_number(lo).unwrap_or(NaiveDate::MIN)
    }

    /// Calendar years touched by the span `(from, to]` whose notice has not
    /// been loaded, in ascending order without duplicates.
    ///
    /// Counts over such years fall back to the weekend rule and may be wrong;
    /// the caller should warn once per year. The start day is excluded, like
    /// in [`WorkCalendar::working_days_between`]: the span from 2026-12-31 to
    /// 2027-01-05 touches only 2027. Returns an empty list when `to <= from`.
    #[must_use]
    pub fn unknown_years_in(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        if to <= from {
            return Vec::new();
        }
        let Some(first) = from.succ_opt() else {
            return Vec::new();
        };
        (first.year()..=to.year())
            .filter(|year| !self.known.contains(year))
            .collect()
    }

    /// The deadline (截止日期): the last date on which something created on
    /// `from` is still on time with a limit of `n` working days.
    ///
    /// The same as [`WorkCalendar::add_working_days`]: the creation day does
    /// not count, and the deadline is the `n`-th working day after it. A
    /// 20-working-day limit for something created on Friday 2024-02-09, the
    /// eve of the 2024 春节 break, ends on 2024-03-14.
    #[must_use]
    pub fn deadline(&self, from: NaiveDate, n: u32) -> NaiveDate {
        self.add_working_days(from, n)
    }

    /// Working days among the day numbers in `(a, b]`; 0 when `b <= a`.
    ///
    /// Day numbers are [`Datelike::num_days_from_ce`] widened to `i64`; they
    /// may lie outside `NaiveDate`'s range by one day, which the weekday
    /// arithmetic handles and which no listed day can match.
    fn count(&self, a: i64, b: i64) -> i64 {
        if b <= a {
            return 0;
        }
        let mut total = weekdays_up_to(b) - weekdays_up_to(a);
        let lower = if a < day_number(NaiveDate::MIN) {
            Bound::Unbounded
        } else {
            match date_from_number(a) {
                Some(date) => Bound::Excluded(date),
                None => return total,
            }
        };
        for (&date, &off) in self
            .listed
            .range((lower, Bound::Unbounded))
            .take_while(|&(&date, _)| day_number(date) <= b)
        {
            let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
            match (weekday, off) {
                (true, true) => total -= 1,
                (false, false) => total += 1,
                _ => {}
            }
        }
        total
    }

    /// A number of calendar days that very likely holds `n` working days,
    /// used to keep the binary searches local.
    fn search_window(&self, n: i64) -> i64 {
        let listed = i64::try_from(self.listed.len()).unwrap_or(i64::MAX);
        n.saturating_add(listed)
            .saturating_div(5)
            .saturating_add(2)
            .saturating_mul(7)
    }
}

/// The day number of `date`: 0001-01-01 (a Monday) is 1.
fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

/// The date with day number `n`, if it is within `NaiveDate`'s range.
fn date_from_number(n: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(n).ok()?)
}

/// Monday–Friday days among the day numbers in `(0, k]`, extended to all `k`
/// so that `weekdays_up_to(b) - weekdays_up_to(a)` counts `(a, b]`.
///
/// Day 1 (0001-01-01) is a Monday, so within each block `7q+1 ..= 7q+7` the
/// first five days are Monday to Friday.
fn weekdays_up_to(k: i64) -> i64 {
    5 * k.div_euclid(7) + k.rem_euclid(7).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    const CALENDAR_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/catalog/calendar");

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    /// One parsed `catalog/calendar/<year>.toml`.
    struct NoticeFile {
        year: i32,
        notice: String,
        days: Vec<CalendarDay>,
    }

    /// Parses one calendar file with the `toml` crate (test-only loader).
    fn parse_notice(text: &str) -> NoticeFile {
        let table: toml::Table = text.parse().expect("calendar file is valid TOML");
        let year = table
            .get("year")
            .and_then(toml::Value::as_integer)
            .expect("integer `year`");
        let notice = table
            .get("notice")
            .and_then(toml::Value::as_str)
            .expect("string `notice`")
            .to_owned();
        let rows = table
            .get("days")
            .and_then(toml::Value::as_array)
            .expect("array of tables `days`");
        let days = rows
            .iter()
            .map(|row| {
                let dt: &toml::value::Datetime = row
                    .get("date")
                    .and_then(toml::Value::as_datetime)
                    .expect("`date` is a TOML date");
                assert!(dt.time.is_none() && dt.offset.is_none(), "local date only");
                let date = dt.date.expect("`date` has a date part");
                CalendarDay {
                    date: NaiveDate::from_ymd_opt(
                        i32::from(date.year),
                        u32::from(date.month),
                        u32::from(date.day),
                    )
                    .expect("valid calendar date"),
                    name: row
                        .get("name")
                        .and_then(toml::Value::as_str)
                        .expect("string `name`")
                        .to_owned(),
                    off: row
                        .get("off")
                        .and_then(toml::Value::as_bool)
                        .expect("bool `off`"),
                }
            })
            .collect();
        NoticeFile {
            year: i32::try_from(year).expect("year fits i32"),
            notice,
            days,
        }
    }

    /// Every calendar file, sorted by year.
    fn notice_files() -> Vec<NoticeFile> {
        let mut files: Vec<NoticeFile> = std::fs::read_dir(CALENDAR_DIR)
            .expect("catalog/calendar exists")
            .map(|entry| entry.expect("readable dir entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .map(|path| {
                let text = std::fs::read_to_string(&path).expect("readable calendar file");
                let file = parse_notice(&text);
                let stem = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .expect("file stem");
                assert_eq!(
                    stem,
                    file.year.to_string(),
                    "{} names its year",
                    path.display()
                );
                file
            })
            .collect();
        files.sort_by_key(|f| f.year);
        files
    }

    /// The official calendar, built from all files once.
    fn official() -> &'static WorkCalendar {
        static CALENDAR: OnceLock<WorkCalendar> = OnceLock::new();
        CALENDAR.get_or_init(|| {
            let mut calendar = WorkCalendar::new();
            for file in notice_files() {
                calendar.add_year(file.year, file.days);
            }
            calendar
        })
    }

    /// Reference implementations: walk day by day.
    fn naive_between(cal: &WorkCalendar, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day.succ_opt().expect("no overflow in naive walk");
            if cal.is_working_day(day) {
                count += 1;
            }
        }
        count
    }

    fn naive_add(cal: &WorkCalendar, from: NaiveDate, n: u32) -> NaiveDate {
        let mut left = n;
        let mut day = from;
        while left > 0 {
            day = day.succ_opt().expect("no overflow in naive walk");
            if cal.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    fn naive_sub(cal: &WorkCalendar, from: NaiveDate, n: u32) -> NaiveDate {
        let mut left = n;
        let mut day = from;
        while left > 0 {
            day = day.pred_opt().expect("no overflow in naive walk");
            if cal.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    // ---- the data files ----

    #[test]
    fn calendar_files_cover_2017_to_2026() {
        let files = notice_files();
        let years: Vec<i32> = files.iter().map(|f| f.year).collect();
        assert_eq!(years, (2017..=2026).collect::<Vec<_>>());
        assert_eq!(official().known_years(), years);
        let mut seen = BTreeSet::new();
        for file in &files {
            assert!(
                file.notice.starts_with("国办发明电〔") && file.notice.ends_with('号'),
                "{}: notice number {}",
                file.year,
                file.notice
            );
            assert!(!file.days.is_empty(), "{} has days", file.year);
            assert!(
                file.days.windows(2).all(|w| w[0].date < w[1].date),
                "{} is sorted by date",
                file.year
            );
            for day in &file.days {
                let in_year = day.date.year() == file.year;
                let previous_december = day.date.year() == file.year - 1 && day.date.month() == 12;
                assert!(in_year || previous_december, "{:?} in {}", day, file.year);
                assert!(seen.insert(day.date), "{} appears in two files", day.date);
                assert!(!day.name.is_empty());
            }
        }
    }

    #[test]
    fn make_up_days_are_weekends_except_2020_02_03() {
        for file in notice_files() {
            for day in file.days.iter().filter(|day| !day.off) {
                let weekend = matches!(day.date.weekday(), Weekday::Sat | Weekday::Sun);
                // 2020-02-03 (Monday) is listed as worked: the end of the
                // COVID-19 extension of 春节 (国办发明电〔2020〕1号).
                assert!(weekend || day.date == d(2020, 2, 3), "{day:?}");
            }
        }
    }

    #[test]
    fn notice_numbers_match_the_readme_table() {
        let notices: Vec<(i32, String)> = notice_files()
            .into_iter()
            .map(|f| (f.year, f.notice))
            .collect();
        assert_eq!(notices[0], (2017, "国办发明电〔2016〕17号".to_owned()));
        assert_eq!(notices[2], (2019, "国办发明电〔2018〕15号".to_owned()));
        assert_eq!(notices[9], (2026, "国办发明电〔2025〕7号".to_owned()));
        let text_2019 =
            std::fs::read_to_string(format!("{CALENDAR_DIR}/2019.toml")).expect("2019.toml");
        let table: toml::Table = text_2019.parse().expect("valid TOML");
        assert_eq!(
            table.get("amended").and_then(toml::Value::as_str),
            Some("国办发明电〔2019〕3号")
        );
    }

    // ---- single days ----

    #[test]
    fn weekend_rule_without_data() {
        let cal = WorkCalendar::new();
        assert!(cal.known_years().is_empty());
        assert!(!cal.is_known_year(2024));
        assert!(cal.is_working_day(d(2024, 2, 12))); // Monday
        assert!(cal.is_working_day(d(2024, 2, 9))); // Friday
        assert!(!cal.is_working_day(d(2024, 2, 10))); // Saturday
        assert!(!cal.is_working_day(d(2024, 2, 4))); // Sunday
        assert_eq!(cal, WorkCalendar::default());
    }

    #[test]
    fn make_up_weekend_days_are_working_days() {
        let cal = official();
        // 2024 春节: Sunday 2024-02-04 worked (调休上班).
        assert_eq!(d(2024, 2, 4).weekday(), Weekday::Sun);
        assert!(cal.is_working_day(d(2024, 2, 4)));
        // 2026 国庆节: Sunday 2026-09-20 worked.
        assert_eq!(d(2026, 9, 20).weekday(), Weekday::Sun);
        assert!(cal.is_working_day(d(2026, 9, 20)));
        // 2019 元旦: Saturday 2018-12-29 worked; listed in 2019.toml.
        assert_eq!(d(2018, 12, 29).weekday(), Weekday::Sat);
        assert!(cal.is_working_day(d(2018, 12, 29)));
        // 2019 劳动节 as amended: Sundays 04-28 and 05-05 worked.
        assert!(cal.is_working_day(d(2019, 4, 28)));
        assert!(cal.is_working_day(d(2019, 5, 5)));
        // An ordinary weekend stays off.
        assert!(!cal.is_working_day(d(2024, 2, 3)));
    }

    #[test]
    fn holiday_weekdays_are_not_working_days() {
        let cal = official();
        for (date, what) in [
            (d(2024, 2, 12), "2024 春节, Monday"),
            (d(2024, 6, 10), "2024 端午节, Monday"),
            (d(2025, 5, 5), "2025 劳动节, Monday"),
            (d(2026, 2, 16), "2026 春节, Monday"),
            (d(2019, 10, 7), "2019 国庆节, Monday"),
            (d(2018, 12, 31), "2019 元旦, Monday in 2019.toml"),
            (d(2024, 4, 4), "2024 清明节, Thursday"),
            (d(2019, 5, 2), "2019 劳动节 as amended, Thursday"),
        ] {
            assert!(
                !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
                "{what}"
            );
            assert!(!cal.is_working_day(date), "{what}");
        }
    }

    #[test]
    fn covid_extension_of_2020_spring_festival() {
        let cal = official();
        // The original notice made Saturday 2020-02-01 a make-up day;
        // 国办发明电〔2020〕1号 extended the break to 02-02 instead.
        assert!(!cal.is_working_day(d(2020, 2, 1)));
        assert!(!cal.is_working_day(d(2020, 1, 31)));
        assert!(!cal.is_working_day(d(2020, 2, 2)));
        // "2月3日（星期一）起正常上班": listed with off = false, a Monday.
        assert!(cal.is_working_day(d(2020, 2, 3)));
    }

    // ---- counting ----

    #[test]
    fn working_days_between_examples() {
        let cal = official();
        // Empty and reversed spans.
        assert_eq!(cal.working_days_between(d(2024, 3, 1), d(2024, 3, 1)), 0);
        assert_eq!(cal.working_days_between(d(2024, 3, 8), d(2024, 3, 1)), 0);
        // An ordinary week: Mon 03-04 → Mon 03-11 counts Tue..Fri and Mon.
        assert_eq!(cal.working_days_between(d(2024, 3, 4), d(2024, 3, 11)), 5);
        // The start day is excluded, the end day included.
        assert_eq!(cal.working_days_between(d(2024, 3, 4), d(2024, 3, 5)), 1);
        // 2024 春节 fortnight, Fri 02-02 → Sun 02-18:
        // 02-04 (Sun, worked), 02-05..02-09 (Mon–Fri), 02-18 (Sun, worked);
        // 02-10..02-17 off. Total 1 + 5 + 1 = 7.
        assert_eq!(cal.working_days_between(d(2024, 2, 2), d(2024, 2, 18)), 7);
        // 2023 国庆: Thu 09-28 → Sun 10-08: only the make-up days 10-07 and 10-08.
        assert_eq!(cal.working_days_between(d(2023, 9, 28), d(2023, 10, 8)), 2);
        // A whole year. 2024 is a leap year starting on a Monday: 262 Mon–Fri
        // days; listed weekday holidays (01-01, 02-12..16, 04-04, 04-05,
        // 05-01..03, 06-10, 09-16, 09-17, 10-01..04, 10-07 → 1+5+2+3+1+2+5 = 19)
        // and 8 make-up weekend days (02-04, 02-18, 04-07, 04-28, 05-11,
        // 09-14, 09-29, 10-12). 262 - 19 + 8 = 251.
        assert_eq!(
            cal.working_days_between(d(2023, 12, 31), d(2024, 12, 31)),
            251
        );
        assert_eq!(
            cal.working_days_between(d(2023, 12, 31), d(2024, 12, 31)),
            naive_between(cal, d(2023, 12, 31), d(2024, 12, 31))
        );
        // The whole decade agrees with the day-by-day walk.
        assert_eq!(
            cal.working_days_between(d(2016, 12, 1), d(2026, 12, 31)),
            naive_between(cal, d(2016, 12, 1), d(2026, 12, 31))
        );
    }

    #[test]
    fn twenty_working_day_deadlines_across_holidays() {
        let cal = official();
        // Each case: created the last working day before a long break.
        // Counting starts the day after creation; make-up days (调休上班) count.
        let cases = [
            // 2019 春节: worked Sat 02-02 and Sun 02-03, off 02-04..02-10.
            // 02-02 1, 02-03 2, 02-11..15 3–7, 02-18..22 8–12,
            // 02-25..03-01 13–17, 03-04 18, 03-05 19, 03-06 20.
            (d(2019, 2, 1), d(2019, 3, 6)),
            // 2019 国庆: off 10-01..10-07, worked Sat 10-12.
            // 10-08..11 1–4, 10-12 5, 10-14..18 6–10, 10-21..25 11–15,
            // 10-28..31 16–19, 11-01 20.
            (d(2019, 9, 30), d(2019, 11, 1)),
            // 2023 春节: off 01-21..01-27, worked Sat 01-28 and Sun 01-29.
            // 01-28 1, 01-29 2, 01-30..02-03 3–7, 02-06..10 8–12,
            // 02-13..17 13–17, 02-20 18, 02-21 19, 02-22 20.
            (d(2023, 1, 20), d(2023, 2, 22)),
            // 2023 中秋节、国庆节: off 09-29..10-06, worked Sat 10-07, Sun 10-08.
            // 10-07 1, 10-08 2, 10-09..13 3–7, 10-16..20 8–12,
            // 10-23..27 13–17, 10-30 18, 10-31 19, 11-01 20.
            (d(2023, 9, 28), d(2023, 11, 1)),
            // 2024 春节: off 02-10..02-17, worked Sun 02-18.
            // 02-18 1, 02-19..23 2–6, 02-26..03-01 7–11, 03-04..08 12–16,
            // 03-11..14 17–20.
            (d(2024, 2, 9), d(2024, 3, 14)),
            // 2024 春节 from one week earlier, over the make-up Sun 02-04 too:
            // 02-04 1, 02-05..09 2–6, 02-18 7, 02-19..23 8–12,
            // 02-26..03-01 13–17, 03-04 18, 03-05 19, 03-06 20.
            (d(2024, 2, 2), d(2024, 3, 6)),
            // 2024 国庆: off 10-01..10-07, worked Sat 10-12.
            // 10-08..11 1–4, 10-12 5, 10-14..18 6–10, 10-21..25 11–15,
            // 10-28..31 16–19, 11-01 20.
            (d(2024, 9, 30), d(2024, 11, 1)),
            // 2025 春节: off 01-28..02-04, worked Sat 02-08.
            // 02-05..07 1–3, 02-08 4, 02-10..14 5–9, 02-17..21 10–14,
            // 02-24..28 15–19, 03-03 20.
            (d(2025, 1, 27), d(2025, 3, 3)),
            // 2025 国庆节、中秋节: off 10-01..10-08, worked Sat 10-11.
            // 10-09 1, 10-10 2, 10-11 3, 10-13..17 4–8, 10-20..24 9–13,
            // 10-27..31 14–18, 11-03 19, 11-04 20.
            (d(2025, 9, 30), d(2025, 11, 4)),
            // 2026 春节: worked Sat 02-14, off 02-15..02-23, worked Sat 02-28.
            // 02-14 1, 02-24..27 2–5, 02-28 6, 03-02..06 7–11,
            // 03-09..13 12–16, 03-16..19 17–20.
            (d(2026, 2, 13), d(2026, 3, 19)),
            // 2026 国庆节: off 10-01..10-07, worked Sat 10-10.
            // 10-08 1, 10-09 2, 10-10 3, 10-12..16 4–8, 10-19..23 9–13,
            // 10-26..30 14–18, 11-02 19, 11-03 20.
            (d(2026, 9, 30), d(2026, 11, 3)),
            // 2026 from Fri 09-18, over worked Sun 09-20, 中秋节 09-25..27 and 国庆节:
            // 09-20 1, 09-21..24 2–5, 09-28..30 6–8, 10-08 9, 10-09 10,
            // 10-10 11, 10-12..16 12–16, 10-19..22 17–20.
            (d(2026, 9, 18), d(2026, 10, 22)),
            // 2019 元旦 from 2018.toml's year into 2019.toml's December rows:
            // worked Sat 2018-12-29, off 12-30..01-01.
            // 12-29 1, 01-02..04 2–4, 01-07..11 5–9, 01-14..18 10–14,
            // 01-21..25 15–19, 01-28 20.
            (d(2018, 12, 28), d(2019, 1, 28)),
            // 2020 春节 as extended: off 01-24..02-02 (02-01 no longer worked).
            // 02-03..07 1–5, 02-10..14 6–10, 02-17..21 11–15, 02-24..28 16–20.
            (d(2020, 1, 23), d(2020, 2, 28)),
        ];
        for (created, due) in cases {
            assert_eq!(cal.deadline(created, 20), due, "created {created}");
            assert_eq!(cal.add_working_days(created, 20), due, "created {created}");
            assert_eq!(
                cal.working_days_between(created, due),
                20,
                "created {created}"
            );
            assert!(cal.is_working_day(due));
            assert_eq!(naive_add(cal, created, 20), due, "created {created}");
            // Every case starts on a working day, so going back returns it.
            assert!(cal.is_working_day(created));
            assert_eq!(cal.sub_working_days(due, 20), created, "due {due}");
        }
        // Without the notices, the 2024 春节 deadline would be a week early.
        assert_eq!(
            WorkCalendar::new().deadline(d(2024, 2, 9), 20),
            d(2024, 3, 8)
        );
    }

    #[test]
    fn add_and_sub_small_cases() {
        let cal = official();
        // n = 0 returns the date itself, even on a weekend.
        assert_eq!(cal.add_working_days(d(2024, 3, 9), 0), d(2024, 3, 9));
        assert_eq!(cal.sub_working_days(d(2024, 3, 9), 0), d(2024, 3, 9));
        // One working day after Friday is Monday; before Monday is Friday.
        assert_eq!(cal.add_working_days(d(2024, 3, 8), 1), d(2024, 3, 11));
        assert_eq!(cal.sub_working_days(d(2024, 3, 11), 1), d(2024, 3, 8));
        // From a weekend: one after Saturday is Monday, one before is Friday.
        assert_eq!(cal.add_working_days(d(2024, 3, 9), 1), d(2024, 3, 11));
        assert_eq!(cal.sub_working_days(d(2024, 3, 9), 1), d(2024, 3, 8));
        // Across 2024 春节: one working day before Mon 02-19 is the worked Sun
        // 02-18; two before is Fri 02-09.
        assert_eq!(cal.sub_working_days(d(2024, 2, 19), 1), d(2024, 2, 18));
        assert_eq!(cal.sub_working_days(d(2024, 2, 19), 2), d(2024, 2, 9));
        // The deadline inverse: on Mon 2024-03-11, with a 20-day limit, the
        // earliest creation date still on time is 20 working days back:
        // 03-08..03-04 1–5, 03-01..02-26 6–10, 02-23..02-19 11–15,
        // 02-18 (Sun, worked) 16, (02-10..02-17 off), 02-09..02-06 17–20.
        let today = d(2024, 3, 11);
        let earliest = cal.sub_working_days(today, 20);
        assert_eq!(earliest, d(2024, 2, 6));
        assert_eq!(cal.deadline(earliest, 20), today);
        // One working day earlier is already overdue (due Fri 03-08).
        assert_eq!(cal.deadline(d(2024, 2, 5), 20), d(2024, 3, 8));
    }

    #[test]
    fn unknown_years() {
        let cal = official();
        assert_eq!(
            cal.unknown_years_in(d(2026, 12, 1), d(2027, 1, 5)),
            vec![2027]
        );
        assert!(
            cal.unknown_years_in(d(2026, 12, 1), d(2026, 12, 31))
                .is_empty()
        );
        // The start day is excluded.
        assert!(
            cal.unknown_years_in(d(2016, 12, 31), d(2017, 6, 1))
                .is_empty()
        );
        assert_eq!(
            cal.unknown_years_in(d(2016, 12, 30), d(2017, 6, 1)),
            vec![2016]
        );
        assert_eq!(
            cal.unknown_years_in(d(2015, 6, 1), d(2028, 1, 1)),
            vec![2015, 2016, 2027, 2028]
        );
        assert!(
            cal.unknown_years_in(d(2027, 1, 5), d(2026, 12, 1))
                .is_empty()
        );
        // A deadline that reaches into 2027 is computed by the weekend rule
        // and flagged.
        let due = cal.deadline(d(2026, 12, 15), 20);
        assert_eq!(due.year(), 2027);
        assert_eq!(cal.unknown_years_in(d(2026, 12, 15), due), vec![2027]);
        // 2018-12 has listed days (from 2019.toml) but 2018 itself is known
        // only because 2018.toml exists; December rows do not make a year known.
        let mut only_2019 = WorkCalendar::new();
        only_2019.add_year(
            2019,
            [CalendarDay {
                date: d(2018, 12, 29),
                name: "元旦".to_owned(),
                off: false,
            }],
        );
        assert!(!only_2019.is_known_year(2018));
        assert!(only_2019.is_working_day(d(2018, 12, 29)));
        assert_eq!(
            only_2019.unknown_years_in(d(2018, 12, 1), d(2019, 1, 5)),
            vec![2018]
        );
    }

    #[test]
    fn day_numbers_line_up_with_weekdays() {
        assert_eq!(d(1, 1, 1).weekday(), Weekday::Mon);
        assert_eq!(day_number(d(1, 1, 1)), 1);
        for date in [NaiveDate::MIN, NaiveDate::MAX, d(1970, 1, 1), d(-5, 3, 1)] {
            let k = day_number(date);
            let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
            assert_eq!(
                weekdays_up_to(k) - weekdays_up_to(k - 1),
                i64::from(weekday),
                "{date}"
            );
        }
    }

    #[test]
    fn extreme_dates_saturate() {
        let cal = official();
        assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(
            cal.add_working_days(NaiveDate::MIN, u32::MAX),
            NaiveDate::MAX
        );
        assert_eq!(cal.sub_working_days(NaiveDate::MIN, 1), NaiveDate::MIN);
        assert_eq!(
            cal.sub_working_days(NaiveDate::MAX, u32::MAX),
            NaiveDate::MIN
        );
        assert_eq!(cal.deadline(NaiveDate::MAX, 20), NaiveDate::MAX);
        let all = cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
        assert!(all > 100_000_000 && all < u32::MAX);
        assert_eq!(cal.working_days_between(NaiveDate::MAX, NaiveDate::MIN), 0);
        assert!(
            cal.unknown_years_in(NaiveDate::MAX, NaiveDate::MAX)
                .is_empty()
        );
        assert_eq!(
            cal.unknown_years_in(NaiveDate::MAX - chrono::Days::new(3), NaiveDate::MAX),
            vec![NaiveDate::MAX.year()]
        );
        // Near the end of the range every working day is still reachable,
        // and one more saturates at MAX.
        let before = NaiveDate::MAX - chrono::Days::new(30);
        let mut ahead = Vec::new();
        let mut day = before;
        while day < NaiveDate::MAX {
            day = day.succ_opt().expect("below MAX");
            if cal.is_working_day(day) {
                ahead.push(day);
            }
        }
        for (i, &expected) in (1u32..).zip(&ahead) {
            assert_eq!(cal.add_working_days(before, i), expected);
        }
        let len = u32::try_from(ahead.len()).expect("small");
        assert_eq!(cal.add_working_days(before, len + 1), NaiveDate::MAX);
        // The same going back from near the start of the range.
        let after = NaiveDate::MIN + chrono::Days::new(30);
        let mut behind = Vec::new();
        let mut day = after;
        while day > NaiveDate::MIN {
            day = day.pred_opt().expect("above MIN");
            if cal.is_working_day(day) {
                behind.push(day);
            }
        }
        for (i, &expected) in (1u32..).zip(&behind) {
            assert_eq!(cal.sub_working_days(after, i), expected);
        }
        let len = u32::try_from(behind.len()).expect("small");
        assert_eq!(cal.sub_working_days(after, len + 1), NaiveDate::MIN);
    }

    // ---- properties ----

    /// Dates around the data: 2015-01-01 ..= 2028-12-31.
    fn data_date() -> impl Strategy<Value = NaiveDate> {
        let lo = day_number(d(2015, 1, 1));
        let hi = day_number(d(2028, 12, 31));
        (lo..=hi).prop_map(|k| date_from_number(k).expect("in range"))
    }

    /// Any date chrono can represent.
    fn any_date() -> impl Strategy<Value = NaiveDate> {
        let lo = day_number(NaiveDate::MIN);
        let hi = day_number(NaiveDate::MAX);
        prop_oneof![
            (lo..=hi).prop_map(|k| date_from_number(k).expect("in range")),
            (lo..=lo + 40).prop_map(|k| date_from_number(k).expect("in range")),
            (hi - 40..=hi).prop_map(|k| date_from_number(k).expect("in range")),
        ]
    }

    /// A calendar with random listed days in 2015–2028 (some years known).
    fn random_calendar() -> impl Strategy<Value = WorkCalendar> {
        (
            prop::collection::vec((data_date(), any::<bool>()), 0..60),
            prop::collection::btree_set(2015..=2028i32, 0..5),
        )
            .prop_map(|(days, years)| {
                let mut cal = WorkCalendar::new();
                for year in years {
                    cal.add_year(year, []);
                }
                cal.add_year(
                    2020,
                    days.into_iter().map(|(date, off)| CalendarDay {
                        date,
                        name: "测试".to_owned(),
                        off,
                    }),
                );
                cal
            })
    }

    proptest! {
        #[test]
        fn add_then_sub_returns_a_working_start(from in data_date(), n in 0u32..400) {
            let cal = official();
            let due = cal.add_working_days(from, n);
            let back = cal.sub_working_days(due, n);
            if cal.is_working_day(from) {
                prop_assert_eq!(back, from);
            } else {
                prop_assert!(back <= from);
            }
        }

        #[test]
        fn sub_then_add(to in data_date(), n in 0u32..400) {
            let cal = official();
            let start = cal.sub_working_days(to, n);
            let forward = cal.add_working_days(start, n);
            if cal.is_working_day(to) || n == 0 {
                prop_assert_eq!(forward, to);
            } else {
                prop_assert!(forward > to);
            }
        }

        #[test]
        fn between_counts_what_add_adds(from in data_date(), n in 0u32..400) {
            let cal = official();
            let due = cal.add_working_days(from, n);
            prop_assert_eq!(cal.working_days_between(from, due), n);
            prop_assert_eq!(due, naive_add(cal, from, n));
            if n > 0 {
                prop_assert!(cal.is_working_day(due));
                // The earliest such date.
                let before = due.pred_opt().expect("in range");
                prop_assert_eq!(cal.working_days_between(from, before), n - 1);
            }
        }

        #[test]
        fn sub_matches_naive(from in data_date(), n in 0u32..400) {
            let cal = official();
            prop_assert_eq!(cal.sub_working_days(from, n), naive_sub(cal, from, n));
        }

        #[test]
        fn sub_is_the_deadline_inverse(
            created in data_date(), today in data_date(), n in 0u32..60,
        ) {
            let cal = official();
            prop_assert_eq!(
                cal.deadline(created, n) >= today,
                created >= cal.sub_working_days(today, n)
            );
        }

        #[test]
        fn between_matches_naive(a in data_date(), b in data_date()) {
            let cal = official();
            prop_assert_eq!(cal.working_days_between(a, b), naive_between(cal, a, b));
        }

        #[test]
        fn between_is_additive(a in data_date(), b in data_date(), c in data_date()) {
            let cal = official();
            let mut v = [a, b, c];
            v.sort();
            let [a, b, c] = v;
            prop_assert_eq!(
                cal.working_days_between(a, b) + cal.working_days_between(b, c),
                cal.working_days_between(a, c)
            );
        }

        #[test]
        fn monotone(a in data_date(), b in data_date(), n in 0u32..300, m in 0u32..300) {
            let cal = official();
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let (n, m) = if n <= m { (n, m) } else { (m, n) };
            // In the start date, the end date and n.
            prop_assert!(cal.add_working_days(lo, n) <= cal.add_working_days(hi, n));
            prop_assert!(cal.add_working_days(lo, n) <= cal.add_working_days(lo, m));
            prop_assert!(cal.sub_working_days(lo, n) <= cal.sub_working_days(hi, n));
            prop_assert!(cal.sub_working_days(lo, m) <= cal.sub_working_days(lo, n));
            prop_assert!(cal.working_days_between(lo, a) <= cal.working_days_between(lo, hi));
            prop_assert!(cal.working_days_between(hi, a) <= cal.working_days_between(lo, a));
        }

        #[test]
        fn random_calendars_match_naive(
            cal in random_calendar(), a in data_date(), b in data_date(), n in 0u32..120,
        ) {
            prop_assert_eq!(cal.working_days_between(a, b), naive_between(&cal, a, b));
            prop_assert_eq!(cal.add_working_days(a, n), naive_add(&cal, a, n));
            prop_assert_eq!(cal.sub_working_days(a, n), naive_sub(&cal, a, n));
        }

        #[test]
        fn weekends_only_matches_naive_count(
            a in any_date(), len in 0u32..3000, n in 0u32..500,
        ) {
            let cal = WorkCalendar::new();
            let b = a.checked_add_days(chrono::Days::new(u64::from(len))).unwrap_or(NaiveDate::MAX);
            let mut count = 0;
            let mut day = a;
            while day < b {
                day = day.succ_opt().expect("below b");
                if day.weekday().number_from_monday() <= 5 {
                    count += 1;
                }
            }
            prop_assert_eq!(cal.working_days_between(a, b), count);
            // Five working days are always exactly one week apart.
            if let Some(week) = a.checked_add_days(chrono::Days::new(7))
                && cal.is_working_day(a)
            {
                prop_assert_eq!(cal.add_working_days(a, 5), week);
            }
            let far_from_ends = NaiveDate::MIN + chrono::Days::new(1000) < a
                && a < NaiveDate::MAX - chrono::Days::new(1000);
            if far_from_ends {
                prop_assert_eq!(cal.add_working_days(a, n), naive_add(&cal, a, n));
                prop_assert_eq!(cal.sub_working_days(a, n), naive_sub(&cal, a, n));
            }
        }

        #[test]
        fn no_panic_on_any_input(a in any_date(), b in any_date(), n in any::<u32>()) {
            let cal = official();
            let _ = cal.is_working_day(a);
            let between = cal.working_days_between(a, b);
            let forward = cal.add_working_days(a, n);
            let backward = cal.sub_working_days(a, n);
            let _ = cal.deadline(b, n);
            prop_assert!(forward >= a);
            prop_assert!(backward <= a);
            if forward < NaiveDate::MAX {
                prop_assert_eq!(cal.working_days_between(a, forward), n);
            }
            if a < b {
                prop_assert_eq!(between, cal.working_days_between(a, b));
                let years = cal.unknown_years_in(a, b);
                prop_assert!(years.windows(2).all(|w| w[0] < w[1]));
            }
        }
    }
}
