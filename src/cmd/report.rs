//! `gongkai report --year N`: the figures a 政府信息公开工作年度报告 gives on the 重点领域 (per
//! unit and domain, with 小计 and 合计), as a text table, CSV, JSON or a printable HTML page.
//! The catalog is validated as of today like `check`; the figures are judged on 31 December of
//! the year (or today while the year is not over) by `gongkai::audit::yearly`.

use super::{parse_date, print_diagnostics, today_in_china};
use chrono::{Datelike, NaiveDate};
use gongkai::audit::yearly::{self, format};
use gongkai::diag::Severity;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `gongkai report`.
#[derive(clap::Args)]
pub struct Args {
    /// 报告年度（必填），四位数字，如 2025
    #[arg(long, value_parser = parse_year)]
    pub year: i32,
    /// 目录文件夹
    #[arg(long, default_value = "catalog")]
    pub root: PathBuf,
    /// 输出格式：text（中文表格）、csv（Excel 可直接打开）、json（机器读取）、html（可打印的年度报告表格）
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// 写到这个文件（不写则输出到终端）
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// 只统计这个单位和它的下级单位：单位路径（如 shiqu/shizhen）或单位名称（如 示例镇）
    #[arg(long)]
    pub unit: Option<String>,
    /// 生成报告的日期（默认今天，北京时间），格式 2025-06-30；年度未结束时数字截至这一天
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

/// The report's format.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A Chinese text table.
    Text,
    /// CSV, UTF-8 with BOM.
    Csv,
    /// Machine-readable JSON.
    Json,
    /// A printable HTML page.
    Html,
}

/// A `--year` argument: four digits, from 2008 (《政府信息公开条例》 took effect) on.
fn parse_year(s: &str) -> Result<i32, String> {
    let digits = s.trim();
    if !digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let n: i32 = digits
            .parse()
            .map_err(|_| "年份应写成四位数字，如 2025".to_owned())?;
        if digits.len() == 2 {
            return Err(format!("年份要写四位，应写成 20{digits}"));
        }
        if digits.len() == 4 && n >= yearly::FIRST_YEAR {
            return Ok(n);
        }
        if digits.len() == 4 {
            return Err(format!(
                "{n} 年早于《中华人民共和国政府信息公开条例》施行（2008 年 5 月 1 日），没有可统计的年度；请写 {} 年以后的年份，如 2025",
                yearly::FIRST_YEAR
            ));
        }
    }
    Err("年份应写成四位阿拉伯数字，如 2025（不写“年”字）".to_owned())
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let today = args.as_of.unwrap_or_else(today_in_china);
    let year = args.year;
    if year > today.year() {
        eprintln!(
            "错误：{year} 年还没有开始（报告日期 {today}），没有可统计的数字。\n提示：年度报告统计已经过去或正在进行的年份，如 --year {}。",
            today.year() - 1
        );
        return ExitCode::from(2);
    }
    let judged = yearly::judged_on(year, today);
    let (catalog, diags) = gongkai::pipeline::load_and_validate_judged(&args.root, today, judged);
    let Some(catalog) = catalog else {
        print_diagnostics(diags.iter().filter(|d| d.severity() == Severity::Error));
        eprintln!("目录有错误，请先按上面的提示改正。");
        return ExitCode::from(1);
    };
    // In the order the site lists units (`order` in unit.toml, then folder name).
    let units: Vec<usize> = match &args.unit {
        None => catalog.units_in_order(),
        Some(name) => match gongkai::scaffold::find_unit(&catalog, name) {
            Ok(unit) => {
                let path = unit.path.clone();
                let top = catalog.units.iter().position(|u| u.path == path);
                catalog
                    .units_in_order()
                    .into_iter()
                    .filter(|&u| top.is_some_and(|top| catalog.ancestry(u).contains(&top)))
                    .collect()
            }
            Err(e) => {
                eprintln!("错误：{}", e.0);
                return ExitCode::from(2);
            }
        },
    };
    let report = yearly::figures(&catalog, year, &units);
    let bytes = match args.format {
        Format::Text => format::text(&report).into_bytes(),
        Format::Csv => format::csv(&report),
        Format::Json => format::json(&report),
        Format::Html => format::html(&report).into_bytes(),
    };
    // The text report says these itself; the other formats (and a file) have them on stderr.
    if args.format != Format::Text || args.output.is_some() {
        eprintln!("{}", format::period(&report));
        for note in format::notes(&report) {
            eprintln!("注：{note}");
        }
    }
    match &args.output {
        Some(path) => match gongkai::files::replace_file(path, &bytes) {
            Ok(()) => {
                eprintln!("年度报告已写入 {}。", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("错误：{}", e.0);
                ExitCode::from(2)
            }
        },
        None => {
            // A closed pipe (e.g. `| head`) is not an error worth a panic.
            let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes);
            ExitCode::SUCCESS
        }
    }
}
