//! One file per command (as mdBook's and zola's `src/cmd/`): each holds its arguments and runs
//! a pipeline from the library, printing in Chinese and mapping the outcome to the contract's
//! exit codes (0 success, 1 the catalog has errors, 2 bad usage or a failure to run). What the
//! commands share is here: the date arguments, the one printer for findings, and loading a
//! catalog that must be valid.

pub mod book;
pub mod build;
pub mod check;
pub mod explain;
pub mod import;
pub mod init;
pub mod list;
pub mod merge;
pub mod new;
pub mod report;
pub mod serve;
pub mod usage;

use chrono::NaiveDate;
use gongkai::diag::{self, Diagnostic};
use std::process::ExitCode;

/// A date argument (`--as-of`, `--date`): `2025-06-30`; a date written another way is refused
/// with the exact form to write.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        && s.len() == 10
    {
        return Ok(date);
    }
    Err(
        match gongkai::source::DateTypo::recognise(s).map(|t| (t.date(), t.ymd)) {
            Some((Some(date), _)) => format!("日期要按“年-月-日”写，月和日都写两位，应写成 {date}"),
            Some((None, (y, m, d))) => format!("{y} 年 {m} 月 {d} 日这一天不存在"),
            None => "日期应写成 2025-06-30 这样（年-月-日）".to_owned(),
        },
    )
}

/// Today in China (UTC+8), the default `--as-of`.
pub fn today_in_china() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// Prints findings for people, one after another, on standard error.
pub fn print_diagnostics<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) {
    for d in diagnostics {
        eprint!("{}", diag::render_text(d));
    }
}

/// Loads the catalog for a command that needs a valid one; prints errors (exit 1) if it has any.
pub fn with_catalog(
    root: &std::path::Path,
    as_of: NaiveDate,
    run: impl FnOnce(&gongkai::model::Catalog) -> Result<String, String>,
) -> ExitCode {
    let (catalog, diags) = gongkai::pipeline::load_and_validate(root, as_of);
    let Some(catalog) = catalog else {
        print_diagnostics(
            diags
                .iter()
                .filter(|d| d.severity() == diag::Severity::Error),
        );
        eprintln!("目录有错误，请先按上面的提示改正。");
        return ExitCode::from(1);
    };
    match run(&catalog) {
        Ok(text) => {
            let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}
