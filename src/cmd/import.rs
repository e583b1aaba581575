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
    /// 输出格式：text（中文报告）或 json（机器读取，与 check --format json 的 findings 相同）
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub use super::check::Format;

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
    run_import(
        &gongkai::import::ImportOptions {
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
        },
        args.format,
    )
}

fn run_import(options: &gongkai::import::ImportOptions, format: Format) -> ExitCode {
    let report = match gongkai::import::import_standard(options) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let (errors, warnings) = gongkai::diag::count(&report.findings);
    if format == Format::Json {
        let mut out = std::io::stdout().lock();
        let _ = serde_json::to_writer_pretty(&mut out, &json_report(&report, errors, warnings));
        let _ = std::io::Write::write_all(&mut out, b"\n");
        return ExitCode::from(u8::from(report.has_errors()));
    }
    super::print_diagnostics(&report.findings);
    let mut out = String::new();
    for change in &report.changes {
        out.push_str(&change.render());
    }
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes());
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

/// The JSON report of an import: the shape of `check --format json` (`schema_version`, `errors`,
/// `warnings`, `findings`), then whether files were written and what each file would gain, change
/// and lose (`removed` is null while rows with errors leave it unknown).
#[derive(serde::Serialize)]
struct JsonImport<'a> {
    schema_version: u32,
    errors: usize,
    warnings: usize,
    findings: Vec<gongkai::diag::JsonFinding<'a>>,
    written: bool,
    files: Vec<JsonFile<'a>>,
}

/// One file of [`JsonImport`].
#[derive(serde::Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    domain: &'a str,
    added: Vec<&'a str>,
    changed: Vec<&'a str>,
    removed: Option<Vec<&'a str>>,
    unchanged: usize,
}

fn json_report(
    report: &gongkai::import::ImportReport,
    errors: usize,
    warnings: usize,
) -> JsonImport<'_> {
    JsonImport {
        schema_version: 1,
        errors,
        warnings,
        findings: report
            .findings
            .iter()
            .map(gongkai::diag::JsonFinding::from)
            .collect(),
        written: report.written,
        files: report
            .changes
            .iter()
            .map(|c| JsonFile {
                path: &c.path,
                domain: &c.domain,
                added: c.diff.added.iter().map(|a| a.0.as_str()).collect(),
                changed: c.diff.changed.iter().map(|a| a.0.as_str()).collect(),
                removed: (!c.incomplete)
                    .then(|| c.diff.removed.iter().map(|a| a.0.as_str()).collect()),
                unchanged: c.diff.unchanged,
            })
            .collect(),
    }
}
