//! `gongkai check`: validates and audits; prints the report (text or JSON) and writes the
//! optional dashboard.

use super::{parse_date, today_in_china};
use chrono::NaiveDate;
use gongkai::audit::{self, report};
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `gongkai check`.
#[derive(clap::Args)]
pub struct Args {
    /// 目录文件夹
    #[arg(long, default_value = "catalog")]
    pub root: PathBuf,
    /// 核查日期（默认今天，北京时间），格式 2025-06-30
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// 输出格式：text（中文报告）或 json（机器读取）
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// 警告也视为不通过（退出码 1），用于 CI 把关
    #[arg(long)]
    pub strict: bool,
    /// 把审计看板（HTML）写到这个文件夹
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// 另一个 gongkai 正在写入同一个看板文件夹时不等待，直接退出（退出码 2）
    #[arg(long)]
    pub no_wait: bool,
}

/// The report's format.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// 中文报告.
    Text,
    /// Machine-readable JSON.
    Json,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let (root, format, strict, wait) = (&args.root, args.format, args.strict, !args.no_wait);
    let as_of = args.as_of.unwrap_or_else(today_in_china);
    let html = args.html.as_deref();
    let started = std::time::Instant::now();
    let (report, catalog) = gongkai::check::check(root, as_of);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (e.g. `| head`) is not an error worth a panic.
    let _ = match format {
        Format::Json => report::write_json(&report, &mut stdout),
        Format::Text => {
            let text = report::to_text(&report, catalog.as_ref());
            std::io::Write::write_all(&mut stdout, text.as_bytes())
        }
    };
    drop(stdout);
    if let Some(dir) = html {
        match audit::dashboard::write(&report, dir, root, wait) {
            Ok(n) => eprintln!("审计看板已写入 {}（{n} 个页面）。", dir.display()),
            Err(e) => {
                eprintln!("写入审计看板失败：{}", e.0);
                return ExitCode::from(2);
            }
        }
    }
    let (errors, warnings) = report.counts();
    eprintln!("核查用时 {:.2} 秒。", started.elapsed().as_secs_f64());
    if errors > 0 || (strict && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
