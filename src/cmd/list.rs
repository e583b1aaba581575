//! `gongkai list`: the items that apply to a unit.

use super::{today_in_china, with_catalog};
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `gongkai list`.
#[derive(clap::Args)]
pub struct Args {
    /// 单位路径（units/ 下的文件夹，如 shiqu/shizhen）或单位名称（如 示例镇）
    pub unit: String,
    /// 目录文件夹
    #[arg(long, default_value = "catalog")]
    pub root: PathBuf,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    with_catalog(&args.root, today_in_china(), |catalog| {
        gongkai::scaffold::list(catalog, &args.unit).map_err(|e| e.0)
    })
}
