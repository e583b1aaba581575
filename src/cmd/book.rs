//! `gongkai book`: the printed guide (办事一本通) per unit.

use super::{parse_date, print_diagnostics, today_in_china};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `gongkai book`.
#[derive(clap::Args)]
pub struct Args {
    /// 目录文件夹
    #[arg(long, default_value = "catalog")]
    pub root: PathBuf,
    /// 输出文件夹（与网站相同，书放在各单位文件夹中）
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
    /// 只生成这些单位（可多次指定），如 --unit shiqu/shizhen
    #[arg(long)]
    pub unit: Vec<String>,
    /// 核查日期（默认今天，北京时间）：书中只收此日仍有效的信息
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// 另一个 gongkai 正在写入同一个输出文件夹时不等待，直接退出（退出码 2）
    #[arg(long)]
    pub no_wait: bool,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    run_book(gongkai::book::BookOptions {
        root: args.root,
        out: args.out,
        units: args.unit,
        as_of: args.as_of.unwrap_or_else(today_in_china),
        wait: !args.no_wait,
    })
}

fn run_book(options: gongkai::book::BookOptions) -> ExitCode {
    let started = std::time::Instant::now();
    match gongkai::book::write_books(&options) {
        Ok(report) if report.has_errors() => {
            print_diagnostics(&report.diagnostics);
            let (errors, warnings) = gongkai::diag::count(&report.diagnostics);
            eprintln!("目录有 {errors} 个错误、{warnings} 个警告，未生成办事一本通。");
            ExitCode::from(1)
        }
        Ok(report) => {
            for (unit, bytes, pages) in &report.books {
                eprintln!(
                    "  {}/{unit}/book.pdf：{pages} 页，{}",
                    options.out.display(),
                    gongkai::render::human_size(*bytes)
                );
            }
            eprintln!(
                "已生成 {} 份办事一本通，用时 {:.2} 秒。",
                report.books.len(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
