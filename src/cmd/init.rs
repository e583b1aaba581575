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
                "下一步：在 site.toml 中填写标有“待填写”的网站地址 base_url、网站标识码 site_id_code 和 ICP 备案号 icp，把各单位 unit.toml 中的机构代码 org_code 改为发布机构的统一社会信用代码，然后运行 gongkai build --root {} 生成网站（还没改的示例值会逐项提醒；加 --strict 时不改好不能通过）。",
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
