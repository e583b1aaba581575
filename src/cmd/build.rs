//! `gongkai build`: validates the catalog and writes the site; prints the findings, the audit's
//! counts and what was written.

use super::{parse_date, print_diagnostics, today_in_china};
use chrono::NaiveDate;
use gongkai::audit;
use gongkai::build::{BuildOptions, build};
use gongkai::diag::{self, Code};
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `gongkai build`.
#[derive(clap::Args)]
pub struct Args {
    /// 目录文件夹
    #[arg(long, default_value = "catalog")]
    pub root: PathBuf,
    /// 输出文件夹
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
    /// 覆盖 site.toml 中的网站地址
    #[arg(long)]
    pub base_url: Option<String>,
    /// 核查日期（默认今天，北京时间），格式 2025-06-30
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// 在最后列出各阶段用时（读取、校验、审计、生成并写入……）
    #[arg(long)]
    pub timings: bool,
    /// 不逐个核对输出文件夹里上次写下的文件（更快，但被手工改动或删除的文件不会被发现）；只在除 gongkai 外没有人和程序改动输出文件夹时使用
    #[arg(long)]
    pub trust_output: bool,
    /// 另一个 gongkai 正在写入同一个输出文件夹时不等待，直接退出（退出码 2）
    #[arg(long)]
    pub no_wait: bool,
    /// 目录校验的警告（示例值、占位内容、未改的正文模板、自动编号的索引号等）也视为错误：不写输出，退出码 1，用于 CI 把关
    #[arg(long)]
    pub strict: bool,
    /// 只构建第 i 片（共 N 片，如 2/8）：按信息条数把各区县（连同其乡镇、村）分成 N 片，本片写入 --out，并写分片清单 gongkai-shard.json；全部分片构建完后用 gongkai merge 合并，见 docs/shard.md
    #[arg(long, value_parser = gongkai::shard::Shard::parse)]
    pub shard: Option<gongkai::shard::Shard>,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    if let (Some(shard), None) = (args.shard, args.as_of) {
        eprintln!(
            "提示：没有写 --as-of，第 {}/{} 片按今天（北京时间）核查。各片在不同时间构建时可能跨过零点，合并时会因核查日期不同被拒绝：请给全部分片写同一个 --as-of（见 docs/shard.md）。",
            shard.index, shard.count
        );
    }
    let options = BuildOptions {
        root: args.root,
        out: args.out,
        base_url: args.base_url,
        as_of: args.as_of.unwrap_or_else(today_in_china),
        trust_output: args.trust_output,
        wait: !args.no_wait,
        strict: args.strict,
        shard: args.shard,
    };
    run_build(&options, args.timings)
}

/// One line per audit rule with its count, for `build`'s (and `merge`'s) summary.
pub fn audit_summary(tally: &audit::Tally) -> String {
    // The four rules every catalog is judged by are always said; the rules on relations only
    // when they found something (a catalog without 解读 or 征求意见 has nothing to say there).
    let always = [
        Code::Late,
        Code::Missing,
        Code::Stale,
        Code::ExpiredUnmarked,
    ];
    let mut parts: Vec<String> = audit::RULES
        .iter()
        .filter(|rule| always.contains(&rule.code) || tally.get(rule.code) > 0)
        .map(|rule| format!("{} {}", rule.name, tally.get(rule.code)))
        .collect();
    let unknown = tally.get(Code::CalendarUnknown);
    if unknown > 0 {
        parts.push(format!("缺少工作日历的年份 {unknown}"));
    }
    parts.join("，")
}

fn run_build(options: &BuildOptions, timings: bool) -> ExitCode {
    let started = std::time::Instant::now();
    match build(options) {
        Err(failure) => {
            eprintln!("构建失败：{}", failure.0);
            ExitCode::from(2)
        }
        Ok(report) => {
            print_diagnostics(&report.diagnostics);
            let (errors, warnings) = diag::count(&report.diagnostics);
            if report.stopped(options.strict) {
                let strict = if options.strict && errors == 0 {
                    "（--strict：警告也须先处理）"
                } else {
                    ""
                };
                eprintln!(
                    "构建未完成{strict}：{errors} 个错误，{warnings} 个警告。输出文件夹 {} 保持原样。",
                    options.out.display()
                );
                ExitCode::from(1)
            } else {
                if !report.audit.is_empty() {
                    eprintln!(
                        "公开情况核查（截至 {}）：{}。运行 gongkai check 查看明细。",
                        options.as_of,
                        audit_summary(&report.audit)
                    );
                }
                let w = report.writes;
                eprintln!(
                    "构建完成：{} 个单位中 {} 个有变化，生成 {} 个页面（共 {} 个文件）；写入 {} 个文件，{} 个未变，删除 {} 个，输出到 {}，用时 {:.2} 秒；目录校验 {warnings} 个警告。",
                    report.units,
                    report.units - w.units_skipped,
                    report.pages_rendered,
                    report.files_rendered,
                    w.written,
                    w.unchanged,
                    w.removed,
                    options.out.display(),
                    started.elapsed().as_secs_f64()
                );
                if let Some(shard) = options.shard {
                    eprintln!(
                        "这是第 {}/{} 片（{} 个单位）：全部 {} 片构建完后，运行 gongkai merge 各分片文件夹… --out 网站文件夹 合并成整个网站。",
                        shard.index, shard.count, report.units, shard.count
                    );
                }
                let books = report.books;
                if books.enabled {
                    eprintln!(
                        "办事一本通：排版 {} 份，{} 份内容未变保持原样。",
                        books.typeset, books.kept
                    );
                }
                if timings {
                    eprint!("{}", report.timings.render());
                }
                ExitCode::SUCCESS
            }
        }
    }
}
