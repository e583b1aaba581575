//! `gongkai import-standard`: a district's own standard table into `standard/`.

use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `gongkai import-standard`.
#[derive(clap::Args)]
pub struct Args {
    /// 表格文件：.xlsx、.xls 或 .csv（UTF-8 或 GBK 编码）
    pub file: PathBuf,
    /// 领域 id（如 shehui-jiuzhu）；不写时按表格标题、工作表名或文件名识别
    #[arg(long)]
    pub domain: Option<String>,
    /// 只导入工作簿中的这张工作表
    #[arg(long)]
    pub sheet: Option<String>,
    /// 目录文件夹
    #[arg(long, default_value = "catalog")]
    pub root: PathBuf,
    /// 写入国家标准目录文件（national）或本级补充事项文件（local）
    #[arg(long = "as", value_enum, default_value_t = ImportTarget::National)]
    pub target: ImportTarget,
    /// 只显示将新增、修改、删除哪些事项，不写入文件
    #[arg(long)]
    pub dry_run: bool,
    /// 连同隐藏的行和列一起导入（默认不导入，并在报告中列出）
    #[arg(long)]
    pub include_hidden: bool,
}

/// Where the imported items go.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportTarget {
    /// The domain's standard file.
    National,
    /// The district's own additions.
    Local,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    run_import(&gongkai::import::ImportOptions {
        file: args.file,
        root: args.root,
        domain: args.domain,
        sheet: args.sheet,
        target: match args.target {
            ImportTarget::National => gongkai::import::Target::National,
            ImportTarget::Local => gongkai::import::Target::Local,
        },
        dry_run: args.dry_run,
        include_hidden: args.include_hidden,
    })
}

fn run_import(options: &gongkai::import::ImportOptions) -> ExitCode {
    let report = match gongkai::import::import_standard(options) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    for finding in &report.findings {
        eprint!("{}", finding.render());
    }
    let mut out = String::new();
    for change in &report.changes {
        out.push_str(&change.render());
    }
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes());
    let errors = report
        .findings
        .iter()
        .filter(|f| f.level == gongkai::import::Level::Error)
        .count();
    let warnings = report
        .findings
        .iter()
        .filter(|f| f.level == gongkai::import::Level::Warning)
        .count();
    if report.has_errors() {
        eprintln!(
            "表格有 {errors} 个错误、{warnings} 个警告，未写入任何文件。请按上面的提示修改表格后重新导入。"
        );
        ExitCode::from(1)
    } else if report.written {
        let unchanged = report.changes.iter().all(|c| c.is_unchanged());
        if unchanged {
            eprintln!("导入完成：文件内容与表格一致，没有改动。");
        } else {
            eprintln!("导入完成（{warnings} 个警告）。运行 gongkai check 查看导入后的目录。");
        }
        ExitCode::SUCCESS
    } else {
        eprintln!("试运行：以上是导入将做的改动（{warnings} 个警告），没有写入任何文件。");
        ExitCode::SUCCESS
    }
}
