//! `gongkai merge`: puts the outputs of `gongkai build --shard i/N` together into the whole site
//! (see [`gongkai::shard`]); prints what it merged, or why the shards do not fit together.

use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `gongkai merge`.
#[derive(clap::Args)]
pub struct Args {
    /// 各分片的输出文件夹（gongkai build --shard i/N --out 写成的），顺序不限
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// 合并后的网站文件夹
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
    /// 另一个 gongkai 正在写入同一个输出文件夹时不等待，直接退出（退出码 2）
    #[arg(long)]
    pub no_wait: bool,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let started = std::time::Instant::now();
    match gongkai::shard::merge(&args.shards, &args.out, !args.no_wait) {
        Err(failure) => {
            eprintln!(
                "合并失败：{}输出文件夹 {} 保持原样。",
                failure.0,
                args.out.display()
            );
            ExitCode::from(2)
        }
        Ok(report) => {
            if !report.audit.is_empty() {
                eprintln!(
                    "公开情况核查（截至 {}）：{}。运行 gongkai check 查看明细。",
                    report.as_of,
                    super::build::audit_summary(&report.audit)
                );
            }
            eprintln!(
                "合并完成：{} 个分片，{} 个区县、{} 个单位、{} 条信息；网站共 {} 个文件（{:.1} MB，与分片在同一文件系统上时是硬链接，不另占空间），输出到 {}，用时 {:.2} 秒。",
                report.shards,
                report.counties,
                report.units,
                report.entries,
                report.files,
                report.bytes as f64 / 1e6,
                args.out.display(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
    }
}
