//! `gongkai init`: a new catalog folder, from the sample or a CSV of units.

use super::print_diagnostics;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `gongkai init`.
#[derive(clap::Args)]
pub struct Args {
    /// 新目录的文件夹（必须不存在或为空）
    pub dir: PathBuf,
    /// 单位列表 CSV（列：名称,层级,区划代码,上级区划代码,发布机构；UTF-8 编码）
    #[arg(long)]
    pub units: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    run_init(&args.dir, args.units.as_deref())
}

fn run_init(dir: &std::path::Path, units: Option<&std::path::Path>) -> ExitCode {
    let rows = match units.map(gongkai::init::read_units_csv) {
        None => None,
        Some(Ok(rows)) => Some(rows),
        Some(Err(diags)) => {
            print_diagnostics(&diags);
            eprintln!("单位列表有 {} 处错误，没有创建任何文件。", diags.len());
            return ExitCode::from(1);
        }
    };
    match gongkai::init::init(dir, rows.as_deref()) {
        Ok(report) => {
            eprintln!(
                "已在 {} 新建目录：{} 个文件，{} 个单位。",
                dir.display(),
                report.files,
                report.units.len()
            );
            for unit in &report.units {
                eprintln!("  units/{unit}/");
            }
            eprintln!(
                "下一步：修改 site.toml 和各单位的 unit.toml，然后运行 gongkai build --root {} 生成网站。",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(gongkai::failure::Failure(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}
