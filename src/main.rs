//! The `gongkai` command line: parses arguments, runs a pipeline from the library, prints
//! findings in Chinese, and maps the outcome to the contract's exit codes
//! (0 success, 1 the catalog has errors, 2 bad usage or I/O failure).

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use gongkai::build::{BuildOptions, build};
use gongkai::diag;
use std::path::PathBuf;
use std::process::ExitCode;

/// gongkai：基层政务公开标准化规范化专栏生成工具
#[derive(Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 校验目录并生成整个网站
    Build {
        /// 目录文件夹
        #[arg(long, default_value = "catalog")]
        root: PathBuf,
        /// 输出文件夹
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// 覆盖 site.toml 中的网站地址
        #[arg(long)]
        base_url: Option<String>,
        /// 核查日期（默认今天，北京时间），格式 2025-06-30
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("日期“{s}”无效，应写成 2025-06-30"))
}

/// Today in China (UTC+8), the default `--as-of`.
fn today_in_china() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            as_of,
        } => {
            let options = BuildOptions {
                root,
                out,
                base_url,
                as_of: as_of.unwrap_or_else(today_in_china),
            };
            run_build(&options)
        }
    }
}

fn run_build(options: &BuildOptions) -> ExitCode {
    let started = std::time::Instant::now();
    match build(options) {
        Err(failure) => {
            eprintln!("构建失败：{}", failure.0);
            ExitCode::from(2)
        }
        Ok(report) => {
            for d in &report.diagnostics {
                eprint!("{}", diag::render_text(d));
            }
            let (errors, warnings) = diag::count(&report.diagnostics);
            if report.has_errors() {
                eprintln!(
                    "构建未完成：{errors} 个错误，{warnings} 个警告。输出文件夹 {} 保持原样。",
                    options.out.display()
                );
                ExitCode::from(1)
            } else {
                eprintln!(
                    "构建完成：写入 {} 个页面（共 {} 个文件）到 {}，用时 {:.2} 秒；{warnings} 个警告。",
                    report.pages_written,
                    report.files_written,
                    options.out.display(),
                    started.elapsed().as_secs_f64()
                );
                ExitCode::SUCCESS
            }
        }
    }
}
