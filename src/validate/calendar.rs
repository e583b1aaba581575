//! `calendar/<year>.toml`: the State Council's holidays and make-up working days.

use super::fields::*;
use crate::calendar::{CalendarDay, WorkCalendar};
use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::load::raw::*;

pub(super) fn calendar(files: &[Loaded<RawCalendar>], diags: &mut Vec<Diagnostic>) -> WorkCalendar {
    let mut calendar = WorkCalendar::new();
    for file in files {
        let year = *file.raw.year.get_ref();
        let Ok(year) = i32::try_from(year) else {
            diags.push(schema(file, file.line(&file.raw.year), "年份 year 无效。"));
            continue;
        };
        let mut days = Vec::new();
        for day in &file.raw.days {
            match toml_date(day.date.get_ref()) {
                Ok((date, None)) => days.push(CalendarDay {
                    date,
                    name: day.name.clone(),
                    off: day.off,
                }),
                _ => diags.push(
                    schema(file, file.line(&day.date), "日期无效。")
                        .hint("写成 date = 2026-01-01（不加引号，不带时间）。"),
                ),
            }
        }
        calendar.add_year(year, days);
    }
    calendar
}
