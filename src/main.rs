//! The `gongkai` command line: parses arguments, runs a pipeline from the library, prints
//! findings in Chinese, and maps the outcome to the contract's exit codes
//! (0 success, 1 the catalog has errors, 2 bad usage or I/O failure).

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use gongkai::audit::{self, report};
use gongkai::build::{BuildOptions, build};
use gongkai::diag::{self, Code};
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
        /// 在最后列出各阶段用时（读取、校验、审计、生成并写入……）
        #[arg(long)]
        timings: bool,
        /// 不逐个核对输出文件夹里上次写下的文件（更快，但被手工改动或删除的文件不会被发现）；
        /// 只在除 gongkai 外没有人和程序改动输出文件夹时使用
        #[arg(long)]
        trust_output: bool,
    },
    /// 校验并审计：完整性（未公开）、时效性（逾期公开、未按期更新）、失效标注
    Check {
        /// 目录文件夹
        #[arg(long, default_value = "catalog")]
        root: PathBuf,
        /// 核查日期（默认今天，北京时间），格式 2025-06-30
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// 输出格式：text（中文报告）或 json（机器读取）
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// 警告也视为不通过（退出码 1），用于 CI 把关
        #[arg(long)]
        strict: bool,
        /// 把审计看板（HTML）写到这个文件夹
        #[arg(long)]
        html: Option<PathBuf>,
    },
    /// 新建目录：26 个领域的标准目录、工作日历、网站设置，以及示例单位或 CSV 中列出的单位
    Init {
        /// 新目录的文件夹（必须不存在或为空）
        dir: PathBuf,
        /// 单位列表 CSV（列：名称,层级,区划代码,上级区划代码,发布机构；UTF-8 编码）
        #[arg(long)]
        units: Option<PathBuf>,
    },
    /// 新建一条信息：放在正确的文件夹，带完整的 front matter 和下一个索引号
    New {
        /// 单位路径（units/ 下的文件夹），如 shiqu/shizhen
        unit: String,
        /// 事项：<领域id>/<事项id>，如 shehui-jiuzhu/dibao-zhengce
        item: String,
        /// 标题
        #[arg(long)]
        title: Option<String>,
        /// 成文和发布日期（默认今天，北京时间）
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// 目录文件夹
        #[arg(long, default_value = "catalog")]
        root: PathBuf,
    },
    /// 列出单位适用的事项：id、信息条数、更新时间
    List {
        /// 单位路径（units/ 下的文件夹），如 shiqu/shizhen
        unit: String,
        /// 目录文件夹
        #[arg(long, default_value = "catalog")]
        root: PathBuf,
    },
    /// 生成“办事一本通”：每个单位一份可打印的 PDF 和打印版网页
    Book {
        /// 目录文件夹
        #[arg(long, default_value = "catalog")]
        root: PathBuf,
        /// 输出文件夹（与网站相同，书放在各单位文件夹中）
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// 只生成这些单位（可多次指定），如 --unit shiqu/shizhen
        #[arg(long)]
        unit: Vec<String>,
        /// 核查日期（默认今天，北京时间）：书中只收此日仍有效的信息
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
    /// 本地预览：生成到内存，在 127.0.0.1 上提供网页，保存文件后自动刷新
    Serve {
        /// 目录文件夹
        #[arg(long, default_value = "catalog")]
        root: PathBuf,
        /// 只预览这个单位及其下级单位（大目录时更快），如 shiqu/shizhen
        #[arg(long)]
        unit: Option<String>,
        /// 端口（0 表示自动选择空闲端口）
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// 监听地址；默认只允许本机访问
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// 启动后在浏览器中打开
        #[arg(long)]
        open: bool,
        /// 核查日期（默认今天，北京时间）
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
    /// 导入本地已有的标准目录表格（Excel 或 CSV），写成 standard/<领域>.toml 或本级补充文件
    #[command(name = "import-standard")]
    ImportStandard {
        /// 表格文件：.xlsx、.xls 或 .csv（UTF-8 或 GBK 编码）
        file: PathBuf,
        /// 领域 id（如 shehui-jiuzhu）；不写时按表格标题、工作表名或文件名识别
        #[arg(long)]
        domain: Option<String>,
        /// 只导入工作簿中的这张工作表
        #[arg(long)]
        sheet: Option<String>,
        /// 目录文件夹
        #[arg(long, default_value = "catalog")]
        root: PathBuf,
        /// 写入国家标准目录文件（national）或本级补充事项文件（local）
        #[arg(long = "as", value_enum, default_value_t = ImportTarget::National)]
        target: ImportTarget,
        /// 只显示将新增、修改、删除哪些事项，不写入文件
        #[arg(long)]
        dry_run: bool,
    },
    /// 解释一个问题代码的含义和改法（如 late、missing）；不带参数列出全部
    Explain {
        /// 问题代码
        code: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ImportTarget {
    National,
    Local,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("日期“{s}”无效，应写成 2025-06-30"))
}

/// Today in China (UTC+8), the default `--as-of`.
fn today_in_china() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// mimalloc: a build allocates and frees millions of small strings across threads. Built with
/// `no_thp`: otherwise it asks for transparent huge pages, and each first touch of a 2 MB region
/// zeroes all of it (12 % of a city edit rebuild's CPU, 70-90 MB instead of 48 MB RSS).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
            timings,
            trust_output,
        } => {
            let options = BuildOptions {
                root,
                out,
                base_url,
                as_of: as_of.unwrap_or_else(today_in_china),
                trust_output,
            };
            run_build(&options, timings)
        }
        Command::Init { dir, units } => run_init(&dir, units.as_deref()),
        Command::New {
            unit,
            item,
            title,
            date,
            root,
        } => {
            let date = date.unwrap_or_else(today_in_china);
            with_catalog(&root, today_in_china(), |catalog| {
                let new = gongkai::scaffold::NewEntry {
                    unit,
                    item,
                    title,
                    date,
                };
                let path = gongkai::scaffold::new_entry(&root, catalog, &new).map_err(|e| e.0)?;
                Ok(format!(
                    "已新建 {}\n用文本编辑器打开，修改标题、写正文后运行 gongkai build 检查。\n",
                    path.display()
                ))
            })
        }
        Command::List { unit, root } => with_catalog(&root, today_in_china(), |catalog| {
            gongkai::scaffold::list(catalog, &unit).map_err(|e| e.0)
        }),
        Command::Explain { code } => explain(code.as_deref()),
        Command::ImportStandard {
            file,
            domain,
            sheet,
            root,
            target,
            dry_run,
        } => run_import(&gongkai::import::ImportOptions {
            file,
            root,
            domain,
            sheet,
            target: match target {
                ImportTarget::National => gongkai::import::Target::National,
                ImportTarget::Local => gongkai::import::Target::Local,
            },
            dry_run,
        }),
        Command::Book {
            root,
            out,
            unit,
            as_of,
        } => run_book(gongkai::book::BookOptions {
            root,
            out,
            units: unit,
            as_of: as_of.unwrap_or_else(today_in_china),
        }),
        Command::Serve {
            root,
            unit,
            port,
            bind,
            open,
            as_of,
        } => {
            let options = gongkai::serve::ServeOptions {
                root,
                unit: unit.clone(),
                bind,
                port,
                as_of: as_of.unwrap_or_else(today_in_china),
            };
            let page = unit
                .map(|u| format!("{}/", u.trim_matches('/')))
                .unwrap_or_default();
            let result = gongkai::serve::serve(options, |url| {
                if open {
                    open_browser(&format!("{url}{page}"));
                }
            });
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Check {
            root,
            as_of,
            format,
            strict,
            html,
        } => run_check(
            &root,
            as_of.unwrap_or_else(today_in_china),
            format,
            strict,
            html.as_deref(),
        ),
    }
}

fn run_check(
    root: &std::path::Path,
    as_of: NaiveDate,
    format: Format,
    strict: bool,
    html: Option<&std::path::Path>,
) -> ExitCode {
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
        match audit::dashboard::write(&report, dir, root) {
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

fn run_import(options: &gongkai::import::ImportOptions) -> ExitCode {
    let report = match gongkai::import::import_standard(options) {
        Ok(report) => report,
        Err(e) => {
            eprint!("{}", e.0.render());
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
        let unchanged = report.changes.iter().all(|c| c.diff.is_empty());
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

fn run_book(options: gongkai::book::BookOptions) -> ExitCode {
    let started = std::time::Instant::now();
    match gongkai::book::write_books(&options) {
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
        Err(gongkai::book::BookError::Catalog(diags)) => {
            for d in &diags {
                eprint!("{}", diag::render_text(d));
            }
            let (errors, warnings) = diag::count(&diags);
            eprintln!("目录有 {errors} 个错误、{warnings} 个警告，未生成办事一本通。");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Opens `url` in the desktop's browser, if there is one.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "windows") {
        ("cmd", vec!["/C", "start", "", url])
    } else if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(program)
        .args(args)
        .spawn()
        .is_err()
    {
        eprintln!("无法自动打开浏览器，请手动访问 {url}");
    }
}

/// Loads the catalog for a command that needs a valid one; prints errors (exit 1) if it has any.
fn with_catalog(
    root: &std::path::Path,
    as_of: NaiveDate,
    run: impl FnOnce(&gongkai::model::Catalog) -> Result<String, String>,
) -> ExitCode {
    let (catalog, diags) = gongkai::validate::load_and_validate(root, as_of);
    let Some(catalog) = catalog else {
        for d in diags
            .iter()
            .filter(|d| d.severity() == diag::Severity::Error)
        {
            eprint!("{}", diag::render_text(d));
        }
        eprintln!("目录有错误，请先按上面的提示改正。");
        return ExitCode::from(1);
    };
    match run(&catalog) {
        Ok(text) => {
            let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn explain(code: Option<&str>) -> ExitCode {
    let describe = |c: Code| {
        let rule = audit::RULES.iter().find(|r| r.code == c);
        let text = rule
            .map(|r| r.explanation)
            .or(c.explanation())
            .unwrap_or("");
        let name = rule.map(|r| format!("（{}）", r.name)).unwrap_or_default();
        format!("{}{name} — {}\n{text}\n", c.as_str(), c.severity().label())
    };
    match code {
        None => {
            for c in Code::ALL {
                println!("{}", describe(c));
            }
            ExitCode::SUCCESS
        }
        Some(name) => match Code::parse(name) {
            Some(c) => {
                print!("{}", describe(c));
                ExitCode::SUCCESS
            }
            None => {
                let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
                let hint = gongkai::source::closest(name, names.iter().copied())
                    .map(|b| format!("是否想查“{b}”？"))
                    .unwrap_or_default();
                eprintln!(
                    "没有问题代码“{name}”。{hint}可用的代码：{}。",
                    names.join("、")
                );
                ExitCode::from(2)
            }
        },
    }
}

fn run_init(dir: &std::path::Path, units: Option<&std::path::Path>) -> ExitCode {
    let rows = match units.map(gongkai::init::read_units_csv) {
        None => None,
        Some(Ok(rows)) => Some(rows),
        Some(Err(diags)) => {
            for d in &diags {
                eprint!("{}", diag::render_text(d));
            }
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
        Err(gongkai::init::InitError(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// One line per audit rule with its count, for `build`'s summary.
fn audit_summary(tally: &audit::Tally) -> String {
    let mut parts: Vec<String> = audit::RULES
        .iter()
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
