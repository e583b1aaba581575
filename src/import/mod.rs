//! `gongkai import-standard`: turns a district's own 政务公开事项标准目录 table — an Excel workbook
//! or CSV file as exported from its portal — into `standard/<domain>.toml` (or the local additions
//! file `standard/local/<domain>.toml`), so a district moves onto gongkai with the catalogue it
//! already has.
//!
//! read (cells, merged regions filled) → header (what each column holds) → rows (items; every
//! doubt a finding with sheet, row and column) → merge (match existing items, diff) → write (all
//! files or none, each replaced atomically).

pub mod deadline;
pub mod header;
pub mod merge;
pub mod rows;

use crate::diag::{Code, Diagnostic, Severity};
use crate::failure::Failure;
use merge::{Columns, Diff, StandardFile};

pub use crate::tabular::{Place, column_letter};
use std::path::{Path, PathBuf};

/// Where the imported items go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `standard/<domain>.toml`: the table is the district's standard catalogue for the domain.
    National,
    /// `standard/local/<domain>.toml`: only rows the national catalogue lacks (本级补充事项).
    Local,
}

/// What to import and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The table file.
    pub file: PathBuf,
    /// The catalog folder.
    pub root: PathBuf,
    /// The domain id, when it cannot be read from the table's title, sheet or file name.
    pub domain: Option<String>,
    /// Only this sheet of a workbook.
    pub sheet: Option<String>,
    /// National standard file or local additions.
    pub target: Target,
    /// Report what would change without writing.
    pub dry_run: bool,
    /// Import hidden rows and columns too (by default they are skipped and listed).
    pub include_hidden: bool,
}

/// A cell or table that cannot be imported as it is (`import-refused`): nothing is written.
pub fn refused(place: Place, message: impl Into<String>) -> Diagnostic {
    in_table(Code::ImportRefused, place, message)
}

/// A cell imported, but worth a look (`import-doubt`).
pub fn doubt(place: Place, message: impl Into<String>) -> Diagnostic {
    in_table(Code::ImportDoubt, place, message)
}

/// Something done or skipped on purpose (`import-note`).
pub fn noted(place: Place, message: impl Into<String>) -> Diagnostic {
    in_table(Code::ImportNote, place, message)
}

/// A finding of the import at a place of the table (file, sheet, row, column).
fn in_table(code: Code, place: Place, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(code, message).in_table(place.file, place.sheet, place.row, place.col)
}

/// What an import did (or, in a dry run or with errors, would do) to one file.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// The domain id.
    pub domain: String,
    /// The domain's name, e.g. 社会救助.
    pub name: String,
    /// The file, relative to the catalog folder, e.g. `standard/shehui-jiuzhu.toml`.
    pub path: String,
    /// Where the rows came from.
    pub source: Place,
    /// The difference to the file as it was.
    pub diff: Diff,
    /// Changes to the domain's description (guideline, issuer, notes), for people.
    pub described: Vec<String>,
    /// Rows of the table had errors: the items they stand for are missing from the diff, so
    /// the items it would remove are not known.
    pub incomplete: bool,
    new_text: String,
}

/// The outcome of an import.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// Everything the import has to say, errors first, then warnings, then notes.
    pub findings: Vec<Diagnostic>,
    /// One per imported table.
    pub changes: Vec<FileChange>,
    /// Whether files were written (no errors and not a dry run).
    pub written: bool,
}

impl ImportReport {
    /// Whether any finding stops the import.
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity() == Severity::Error)
    }
}

/// A finding that stops the import before it can look at the table (the file or the catalog
/// cannot be read) is a failure to run (exit code 2), printed as the shared printer prints it.
fn failure(finding: Diagnostic) -> Failure {
    Failure(crate::diag::render_text(&finding).trim_end().to_owned())
}

/// A table file that cannot be read, as the import's finding.
fn table_error(e: crate::tabular::TableError) -> Diagnostic {
    let finding = refused(e.place, e.message);
    match e.hint {
        Some(hint) => finding.hint(hint),
        None => finding,
    }
}

/// A domain known to the catalog.
struct KnownDomain {
    id: String,
    name: String,
}

/// Runs an import. Table problems come back as findings in the report; nothing is written while
/// any of them is an error.
pub fn import_standard(options: &ImportOptions) -> Result<ImportReport, Failure> {
    let display = options
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| options.file.to_string_lossy().into_owned());
    let domains = known_domains(&options.root)?;
    let mut sheets =
        crate::tabular::read_sheets(&options.file, &display, &site_limits(&options.root))
            .map_err(|e| failure(table_error(e)))?;
    if let Some(wanted) = &options.sheet {
        let names: Vec<String> = sheets.iter().filter_map(|s| s.name.clone()).collect();
        sheets.retain(|s| s.name.as_deref() == Some(wanted.as_str()));
        if sheets.is_empty() {
            return Err(failure(
                refused(
                    Place::file(&display),
                    format!("没有名为「{wanted}」的工作表。"),
                )
                .hint(format!("工作簿中的工作表：{}。", names.join("、"))),
            ));
        }
    }

    let mut findings = Vec::new();
    if let Some(kind) = crate::tabular::sniff_workbook(&options.file)
        && display.to_ascii_lowercase().ends_with(".csv")
    {
        findings.push(
            noted(
                Place::file(&display),
                format!("这是 Excel 工作簿（.{kind}），不是 CSV 文件：已按工作簿读取。"),
            )
            .hint(format!(
                "把文件改名为 .{kind} 结尾，以免其他程序按 CSV 打开它。"
            )),
        );
    }
    if !options.include_hidden && sheets.iter().any(|s| !s.visibility_known) {
        let format = crate::tabular::sniff_workbook(&options.file)
            .filter(|&kind| kind != "xlsx")
            .map(str::to_owned)
            .or_else(|| {
                options
                    .file
                    .extension()
                    .map(|e| e.to_string_lossy().to_lowercase())
            })
            .unwrap_or_default();
        findings.push(
            doubt(
                Place::file(&display),
                format!(
                    "{display} 是 .{format} 格式，gongkai 读不出这种格式中哪些行和列被隐藏：隐藏的行和列（如内部备注、联系电话、作废的事项）会和其他内容一样导入并发布。"
                ),
            )
            .hint("在 Excel 或 WPS 中把表格另存为 .xlsx 后再导入：隐藏的行和列会被识别、跳过并列出；或先取消隐藏，核对后删去不应公开的行和列。"),
        );
    }
    for sheet in &mut sheets {
        let place = Place {
            sheet: sheet.name.clone(),
            ..Place::file(&display)
        };
        if !options.include_hidden {
            skip_hidden(sheet, &place, &mut findings);
        }
    }
    let mut tables = Vec::new();
    for sheet in &sheets {
        let place = Place {
            sheet: sheet.name.clone(),
            ..Place::file(&display)
        };
        let headers = header::find_all(sheet);
        if headers.is_empty() {
            if sheet.rows.iter().flatten().any(|c| !c.trim().is_empty()) {
                findings.push(noted(place, "没有找到目录表头，这张表未导入。"));
            }
            continue;
        }
        let stacked = headers.len() > 1;
        if stacked {
            findings.push(noted(
                place.clone(),
                format!(
                    "这张工作表中上下排着 {} 张目录表（分别从第 {} 行起），各自导入。",
                    headers.len(),
                    headers
                        .iter()
                        .map(|h| table_start(h).to_string())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            ));
        }
        for h in headers {
            let place = Place {
                row: stacked.then(|| table_start(&h)),
                ..place.clone()
            };
            header_findings(sheet, &h, &place, &mut findings);
            tables.push((sheet, h, place, stacked));
        }
    }
    if tables.is_empty() {
        findings.push(
            refused(Place::file(&display), "没有找到政务公开事项目录表格。").hint(
                "表头应有“二级事项”（或“公开事项”）一列，以及“公开内容”“公开依据”“公开时限”“公开主体”中的至少一列。",
            ),
        );
        return Ok(report(findings, Vec::new(), false));
    }
    if options.domain.is_some() && tables.len() > 1 {
        return Err(failure(
            refused(
                Place::file(&display),
                format!(
                    "工作簿中有 {} 张目录表，--domain 只能用于一张表。",
                    tables.len()
                ),
            )
            .hint("用 --sheet 选定一张表，或去掉 --domain，让 gongkai 按表名或标题识别领域。"),
        ));
    }

    // What units/ files under the domains, read by the crate's loader (its findings are
    // `gongkai check`'s to report).
    let catalog = crate::load::load(&options.root);
    let mut changes: Vec<FileChange> = Vec::new();
    for (sheet, header, place, stacked) in &tables {
        let domain = match &options.domain {
            Some(id) => match domains.iter().find(|d| &d.id == id) {
                Some(d) => d,
                None => {
                    let hint = crate::names::closest(id, domains.iter().map(|d| d.id.as_str()))
                        .map(|b| format!("是否想写“{b}”？"))
                        .unwrap_or_else(|| "领域 id 是 standard/ 下文件的文件名。".into());
                    return Err(failure(
                        refused(
                            Place::file(&display),
                            format!("standard/ 中没有领域“{id}”。"),
                        )
                        .hint(hint),
                    ));
                }
            },
            // A table stacked with others is named by its own title only: the sheet's and the
            // file's names would give every table of the sheet one domain.
            None => match detect_domain(
                &domains,
                header.title.as_deref(),
                sheet.name.as_deref().filter(|_| !stacked),
                Some(display.as_str()).filter(|_| !stacked),
            ) {
                Detected::One(d) => d,
                Detected::Several(candidates) => {
                    let named: Vec<String> = candidates
                        .iter()
                        .map(|d| format!("“{}”（{}）", d.name, d.id))
                        .collect();
                    findings.push(
                        refused(
                            place.clone(),
                            format!(
                                "标题、工作表名或文件名中同时出现了 {} 个领域：{}，无法判断这张表属于哪一个。",
                                candidates.len(),
                                named.join("、")
                            ),
                        )
                        .hint(format!(
                            "用 --domain <id> 指定领域，如 --domain {}；若表中混有几个领域的事项，请分成几张表分别导入。",
                            candidates[0].id
                        )),
                    );
                    continue;
                }
                Detected::None if *stacked => {
                    findings.push(
                        refused(
                            place.clone(),
                            format!(
                                "{}，无法判断它属于哪个领域；工作表中有几张表时，每张表的标题都要写明领域。",
                                match header.title.as_deref() {
                                    Some(t) => format!("这张表的标题“{t}”没有写明领域"),
                                    None => "这张表没有标题".to_owned(),
                                }
                            ),
                        )
                        .hint("在这张表的标题中写明领域名称（如“社会救助领域基层政务公开标准目录”），或把它移到单独的工作表后用 --sheet 和 --domain 导入。"),
                    );
                    continue;
                }
                Detected::None => {
                    findings.push(
                        refused(place.clone(), "无法从标题、工作表名或文件名判断这张表属于哪个领域。")
                            .hint("用 --domain 指定领域 id，如 --domain shehui-jiuzhu；standard/ 文件夹中各文件的文件名（不含 .toml）就是领域 id。"),
                    );
                    continue;
                }
            },
        };
        if let Some(other) = changes.iter().find(|c| c.domain == domain.id) {
            findings.push(
                refused(
                    place.clone(),
                    format!(
                        "这张表和{}都是“{}”领域的目录，一次只能导入一张。",
                        other.source, domain.name
                    ),
                )
                .hint("用 --sheet 分别导入。"),
            );
            continue;
        }
        let errors_before = errors(&findings);
        let mut table_items = rows::read_items(sheet, header, place, &mut findings);
        duplicate_rows(&table_items, place, &mut findings);
        table_defaults(header, &table_items, place, &mut findings);
        let notes = rows::table_notes(sheet, header);
        // Rows with errors are left out of the merge, so the items they stand for look removed:
        // which items really go is known only once the table is right.
        let incomplete = errors(&findings) > errors_before;
        let change = plan_file(
            options,
            &catalog,
            domain,
            place,
            (header, &notes, incomplete),
            &mut table_items,
            &mut findings,
        )?;
        changes.push(change);
    }

    findings.sort_by_key(Diagnostic::severity);
    let ok = !findings.iter().any(|f| f.severity() == Severity::Error);
    let written = ok && !options.dry_run;
    if written {
        let files: Vec<(PathBuf, &[u8])> = changes
            .iter()
            .filter(|c| !c.is_unchanged())
            .map(|c| (options.root.join(&c.path), c.new_text.as_bytes()))
            .collect();
        crate::files::replace_files(&files)
            .map_err(|f| Failure(format!("{}没有改动任何文件。", f.0)))?;
    }
    Ok(report(findings, changes, written))
}

/// How many findings stop the import.
fn errors(findings: &[Diagnostic]) -> usize {
    findings
        .iter()
        .filter(|f| f.severity() == Severity::Error)
        .count()
}

fn report(findings: Vec<Diagnostic>, changes: Vec<FileChange>, written: bool) -> ImportReport {
    ImportReport {
        findings,
        changes,
        written,
    }
}

/// The domains in `standard/`: id (file stem) and name.
/// The `[limits]` of the catalog's `site.toml` for reading the table; the defaults where it or
/// a value is missing or wrong (`build` and `check` report those).
fn site_limits(root: &Path) -> crate::model::Limits {
    let mut limits = crate::model::Limits::default();
    let table = std::fs::read_to_string(root.join("site.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok());
    if let Some(toml::Value::Table(given)) = table.as_ref().and_then(|t| t.get("limits")) {
        for (key, value) in given {
            if let Some(n) = value.as_integer() {
                let _ = limits.set(key, n);
            }
        }
    }
    limits
}

fn known_domains(root: &Path) -> Result<Vec<KnownDomain>, Failure> {
    let dir = root.join("standard");
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        failure(
            refused(
                Place::file(&dir.to_string_lossy()),
                format!("无法读取标准目录文件夹：{}。", crate::reason::io(&e)),
            )
            .hint("用 --root 指向目录文件夹（其中有 standard/、units/ 和 site.toml）。"),
        )
    })?;
    let mut domains = Vec::new();
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let (file, _) = read_standard_file(&path, FileKind::National)?;
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        domains.push(KnownDomain {
            name: file.name.unwrap_or_else(|| id.clone()),
            id,
        });
    }
    Ok(domains)
}

/// Which of the two standard files a path is.
#[derive(Clone, Copy)]
enum FileKind {
    /// `standard/<domain>.toml`.
    National,
    /// `standard/local/<domain>.toml`.
    Local,
}

/// Reads a standard file with the loader's schema, returning it and its leading comment; a
/// missing file is empty. A file the loader would refuse stops the import with the loader's
/// findings.
fn read_standard_file(path: &Path, kind: FileKind) -> Result<(StandardFile, String), Failure> {
    use crate::load::raw::{RawDomain, RawLocalDomain};
    use crate::source::{Source, parse_toml};
    if !path.exists() {
        return Ok((StandardFile::default(), String::new()));
    }
    let source = Source::read(path, crate::source::display_path(path))
        .map_err(|d| failure(d.hint("先改正这个文件，再导入。")))?;
    let parsed = match kind {
        FileKind::National => {
            parse_toml::<RawDomain>(&source, &source.text, 0).map(StandardFile::from)
        }
        FileKind::Local => {
            parse_toml::<RawLocalDomain>(&source, &source.text, 0).map(StandardFile::from)
        }
    };
    let file = parsed.map_err(|found| {
        let mut text: String = found.iter().map(crate::diag::render_text).collect();
        text.push_str(
            "现有的标准目录文件无法读取，未导入。先运行 gongkai check 按提示改正这个文件，再导入。",
        );
        Failure(text)
    })?;
    Ok((file, merge::leading_comment(&source.text)))
}

/// What the title, sheet name and file name say about a table's domain.
enum Detected<'a> {
    /// Exactly one domain is named.
    One(&'a KnownDomain),
    /// Several domains are named and none of them is clearly the one (社会救助和养老服务…).
    Several(Vec<&'a KnownDomain>),
    /// No domain is named.
    None,
}

/// The domain named in the title, else the sheet name, else the file name. A name inside a longer
/// named one does not count (国有土地上房屋征收 is not taken for a shorter name inside it). When a
/// text names several domains, a later text naming just one of them decides; otherwise the table's
/// domain is not guessed.
fn detect_domain<'a>(
    domains: &'a [KnownDomain],
    title: Option<&str>,
    sheet: Option<&str>,
    file: Option<&str>,
) -> Detected<'a> {
    let texts: Vec<String> = [title, sheet, file]
        .into_iter()
        .flatten()
        .map(|t| {
            let mut t = header::normalize(t);
            // Other names districts give a domain.
            for (alias, name) in DOMAIN_ALIASES {
                t = t.replace(alias, name);
            }
            t
        })
        .collect();
    for (k, text) in texts.iter().enumerate() {
        let named = named_domains(domains.iter(), text);
        match named.len() {
            0 => continue,
            1 => return Detected::One(named[0]),
            _ => {
                let decided = texts[k + 1..].iter().find_map(|later| {
                    let among = named_domains(named.iter().copied(), later);
                    (among.len() == 1).then(|| among[0])
                });
                return match decided {
                    Some(d) => Detected::One(d),
                    None => Detected::Several(named),
                };
            }
        }
    }
    Detected::None
}

/// Names districts give a domain in their tables' titles, and the domain's name in the standard.
const DOMAIN_ALIASES: [(&str, &str); 2] = [("涉农资金", "涉农补贴"), ("惠农补贴", "涉农补贴")];

/// The table's first row (Excel's number): where its title starts.
fn table_start(header: &header::Header) -> u32 {
    header.top as u32 + 1
}

/// The domains `text` (normalised) names by name or id, leaving out any whose name or id is only
/// part of a longer one also named.
fn named_domains<'a>(
    domains: impl Iterator<Item = &'a KnownDomain>,
    text: &str,
) -> Vec<&'a KnownDomain> {
    let named: Vec<(&KnownDomain, String)> = domains
        .map(|d| (d, header::normalize(&d.name)))
        .filter(|(d, name)| {
            (!name.is_empty() && text.contains(name.as_str())) || text.contains(&d.id)
        })
        .collect();
    named
        .iter()
        .filter(|(d, name)| {
            !named.iter().any(|(e, other)| {
                e.id != d.id
                    && ((other.len() > name.len() && other.contains(name.as_str()))
                        || (e.id.len() > d.id.len() && e.id.contains(&d.id)))
            })
        })
        .map(|(d, _)| *d)
        .collect()
}

/// Two rows naming the same 一级 and 二级事项 cannot both become items.
fn duplicate_rows(items: &[rows::TableItem], place: &Place, findings: &mut Vec<Diagnostic>) {
    for (k, item) in items.iter().enumerate() {
        let key = merge::row_key(item, None);
        if let Some(first) = items[..k].iter().find(|o| merge::row_key(o, None) == key) {
            findings.push(
                refused(
                    Place {
                        row: Some(item.row),
                        ..place.clone()
                    },
                    format!(
                        "事项“{} / {}{}”与第 {} 行重复。",
                        item.level1,
                        item.level2,
                        item.level3
                            .as_deref()
                            .filter(|l| !l.is_empty())
                            .map(|l| format!(" / {l}"))
                            .unwrap_or_default(),
                        first.row
                    ),
                )
                .hint("删去重复的一行，或把二级事项改成不同的名称。"),
            );
        }
    }
}

/// Columns a table lacks entirely are filled with defaults for new items: say so once.
fn table_defaults(
    header: &header::Header,
    items: &[rows::TableItem],
    place: &Place,
    findings: &mut Vec<Diagnostic>,
) {
    use header::Field as F;
    if items.is_empty() {
        return;
    }
    for (fields, what, default) in [
        (
            &[F::Audience, F::AudiencePublic, F::AudienceGroup][..],
            "公开对象",
            "全社会",
        ),
        (
            &[F::Mode, F::ModeActive, F::ModeRequest][..],
            "公开方式",
            "主动",
        ),
        (rows::LEVEL_FIELDS, "公开层级", "县级和乡级"),
    ] {
        if !fields.iter().any(|f| header.has(f)) {
            findings.push(doubt(
                place.clone(),
                format!("表格没有“{what}”一栏：已有事项保留原值，新事项按“{default}”导入。"),
            ));
        }
    }
    if !header.has(&F::Level1) && !header.has(&F::Level2) {
        findings.push(noted(
            place.clone(),
            "表格只有一列“公开事项”，没有一级、二级之分：一级事项取表中的分组标题，没有分组标题的与事项名称相同。",
        ));
    }
}

/// Merges one table into its target file and works out the file's new text.
fn plan_file(
    options: &ImportOptions,
    catalog: &Catalog,
    domain: &KnownDomain,
    place: &Place,
    (header, notes, incomplete): (&header::Header, &[String], bool),
    table: &mut Vec<rows::TableItem>,
    findings: &mut Vec<Diagnostic>,
) -> Result<FileChange, Failure> {
    let mut described = Vec::new();
    let national_path = options
        .root
        .join("standard")
        .join(format!("{}.toml", domain.id));
    let (national, national_comment) = read_standard_file(&national_path, FileKind::National)?;
    let columns = Columns {
        extra: header
            .fields
            .iter()
            .filter_map(|f| match f {
                Some(header::Field::Extra(name)) => Some(name.clone()),
                _ => None,
            })
            .collect(),
    };
    let local_rel = format!("standard/local/{}.toml", domain.id);
    let (rel, file, comment, reserved) = match options.target {
        Target::National => {
            // New national ids must not take an id the local additions already use.
            let (local, _) = read_standard_file(&options.root.join(&local_rel), FileKind::Local)?;
            let reserved = local.records().into_iter().map(|i| i.id).collect();
            let mut national = national;
            describe(
                &mut national,
                header,
                notes,
                place,
                &mut described,
                findings,
            );
            (
                format!("standard/{}.toml", domain.id),
                national,
                national_comment,
                reserved,
            )
        }
        Target::Local => {
            let national_items = national.records();
            let (in_national, local): (Vec<_>, Vec<_>) =
                std::mem::take(table).into_iter().partition(|t| {
                    national_items
                        .iter()
                        .any(|n| merge::record_key(n) == merge::row_key(t, n.level3.as_deref()))
                });
            *table = local;
            if !in_national.is_empty() {
                let names: Vec<String> = in_national
                    .iter()
                    .map(|t| format!("{}（第 {} 行）", t.level2, t.row))
                    .collect();
                findings.push(noted(
                    place.clone(),
                    format!(
                        "{} 个事项已在国家标准目录中，未写入本级补充文件：{}。",
                        in_national.len(),
                        names.join("、")
                    ),
                ));
            }
            let rel = local_rel;
            let (mut local_file, mut comment) =
                read_standard_file(&options.root.join(&rel), FileKind::Local)?;
            if comment.is_empty() && local_file.items.is_empty() {
                comment = format!(
                    "# {}领域本级补充事项（由 gongkai import-standard 导入）\n",
                    domain.name
                );
            }
            local_file.id = None;
            local_file.name = None;
            let reserved = national.records().into_iter().map(|i| i.id).collect();
            (rel, local_file, comment, reserved)
        }
    };
    let existing = file.records();
    let (items, diff) = merge::merge(&existing, table, &columns, &reserved);
    let references = References::read(catalog, &domain.id);
    if !incomplete {
        removed_items_still_referred_to(&references, &domain.id, &diff, &rel, findings);
    }
    let levels_place = Place {
        col: rows::LEVEL_FIELDS.iter().find_map(|f| header.column(f)),
        ..place.clone()
    };
    levels_dropped_under_entries(
        &references,
        &existing,
        &items,
        table,
        &levels_place,
        findings,
    );
    let new_text = merge::render(&comment, &file, &items);
    // The text must read back as the loader reads it; anything else is a bug here, not the user's.
    let parsed = match options.target {
        Target::National => toml::from_str::<crate::load::raw::RawDomain>(&new_text).map(drop),
        Target::Local => toml::from_str::<crate::load::raw::RawLocalDomain>(&new_text).map(drop),
    };
    if let Err(e) = parsed {
        return Err(failure(refused(
            Place::file(&rel),
            format!(
                "内部错误：生成的文件无法读回（{}）。请把表格发给 gongkai 的维护者。",
                e.message()
            ),
        )));
    }
    Ok(FileChange {
        domain: domain.id.clone(),
        name: domain.name.clone(),
        path: rel,
        source: place.clone(),
        diff,
        described,
        incomplete,
        new_text,
    })
}

/// The domain's description becomes the district's: its 标准指引 the table's title, its notes
/// the table's notes rows, its issuer cleared (a table does not say who issued it). Each change
/// is listed in `described` for the diff; without a title the guideline stays, with a warning.
fn describe(
    file: &mut StandardFile,
    header: &header::Header,
    notes: &[String],
    place: &Place,
    described: &mut Vec<String>,
    findings: &mut Vec<Diagnostic>,
) {
    let quoted = |v: &Option<String>| match v.as_deref().filter(|v| !v.trim().is_empty()) {
        Some(v) => format!("“{v}”"),
        None => "（空）".to_owned(),
    };
    match &header.title {
        Some(title) if file.guideline.as_deref() != Some(title.as_str()) => {
            let new = Some(title.clone());
            described.push(format!(
                "标准指引（guideline）：{} → {}（表格标题）",
                quoted(&file.guideline),
                quoted(&new)
            ));
            file.guideline = new;
        }
        Some(_) => {}
        None => findings.push(
            doubt(
                place.clone(),
                format!(
                    "表格没有标题，领域的标准指引（guideline）仍是原来的{}，但事项已换成表格中的。",
                    quoted(&file.guideline)
                ),
            )
            .hint("在表头上方加一行标题（如“××县社会救助领域基层政务公开标准目录”）后重新导入，或导入后在 standard/ 的文件中改写 guideline。"),
        ),
    }
    if file.issuer.as_deref().is_some_and(|i| !i.is_empty()) {
        described.push(format!(
            "发布机关（issuer）：{} → 清空（表格没有写明）",
            quoted(&file.issuer)
        ));
        file.issuer = Some(String::new());
    }
    let new_notes = (!notes.is_empty()).then(|| notes.join("\n"));
    if file.notes != new_notes {
        described.push(match &new_notes {
            Some(_) => format!(
                "说明（notes）：{} → {}（表格下方的说明）",
                quoted(&file.notes),
                quoted(&new_notes)
            ),
            None => format!(
                "说明（notes）：{} → 清空（表格没有说明）",
                quoted(&file.notes)
            ),
        });
        file.notes = new_notes;
    }
}

/// Findings about the header and the cells of a table that is going to be imported: sub-headings
/// kept as local columns, and Excel error values.
fn header_findings(
    sheet: &crate::tabular::Sheet,
    header: &header::Header,
    place: &Place,
    findings: &mut Vec<Diagnostic>,
) {
    if let Some(col) = header.city_as_county {
        findings.push(
            noted(
                Place {
                    row: Some(header.data_row as u32),
                    col: Some(col),
                    ..place.clone()
                },
                "“公开层级”下的“市级”一栏按县级导入：表中没有县级一栏，按不设区的市处理（市本级相当于县级，下面是镇、街道和村）。",
            )
            .hint("若这是设区的市的目录（市级之下还有区县），市级事项不在 gongkai 的层级之内：删去这一列后重新导入。"),
        );
    }
    for u in &header.unknown_sub_headings {
        findings.push(
            doubt(
                Place {
                    row: Some(header.data_row as u32),
                    col: Some(u.col),
                    ..place.clone()
                },
                format!(
                    "“{}”下的“{}”一栏无法理解（gongkai 在“{}”下只认识{}）：这一列作为本地栏目“{}”保留在各事项的 extra 中，不影响{}。",
                    u.group, u.sub, u.group, u.known(), u.extra, u.group
                ),
            )
            .hint(format!(
                "若这一列就是{}中的一项，把表头改成它的名称后重新导入；若不需要，可删去这一列。",
                u.known()
            )),
        );
    }
    let in_table = |r: usize| (header.top..header.end_row).contains(&r);
    let imported = |r: usize, c: usize| {
        r >= header.data_row
            && matches!(header.fields.get(c), Some(Some(f)) if *f != header::Field::Serial)
    };
    for &(r, c) in &sheet.layout.formulas_without_value {
        if !in_table(r)
            || sheet.layout.hidden_rows.contains(&r)
            || sheet.layout.hidden_cols.contains(&c)
        {
            continue;
        }
        let at = Place {
            row: Some(r as u32 + 1),
            col: Some(c),
            ..place.clone()
        };
        let hint = "在 Excel 中打开并保存后再导入（保存时 Excel 会算出并记下公式的结果）；或把这一格改成文字。";
        if imported(r, c) {
            findings.push(
                refused(
                    at,
                    "单元格是公式，但工作簿没有保存它的计算结果，读不到这一格的内容。",
                )
                .hint(hint),
            );
        } else {
            findings.push(
                doubt(
                    at,
                    "单元格是公式，但工作簿没有保存它的计算结果，这一格按空白处理。",
                )
                .hint(hint),
            );
        }
    }
    for (r, c, value) in &sheet.error_cells {
        if !in_table(*r) {
            continue;
        }
        let at = Place {
            row: Some(*r as u32 + 1),
            col: Some(*c),
            ..place.clone()
        };
        if imported(*r, *c) {
            findings.push(
                refused(
                    at,
                    format!("单元格是 Excel 的错误值“{value}”（公式或引用出错），无法导入它的内容。"),
                )
                .hint("在 Excel 中改正这一格的公式，或把它改成文字（复制后“选择性粘贴 → 数值”），再导入。"),
            );
        } else {
            findings.push(doubt(
                at,
                format!("单元格是 Excel 的错误值“{value}”，这一格不导入，按空白处理。"),
            ));
        }
    }
}

/// Hidden rows and columns are not imported: their cells are blanked (so no text of theirs
/// reaches a page), and the report lists those that held anything, with the column's heading.
fn skip_hidden(sheet: &mut crate::tabular::Sheet, place: &Place, findings: &mut Vec<Diagnostic>) {
    let layout = &sheet.layout;
    let filled = |c: &String| !c.trim().is_empty();
    let cols: Vec<usize> = layout
        .hidden_cols
        .iter()
        .copied()
        .filter(|&c| sheet.rows.iter().filter_map(|row| row.get(c)).any(filled))
        .collect();
    let rows: Vec<usize> = layout
        .hidden_rows
        .iter()
        .copied()
        .filter(|&r| sheet.rows.get(r).is_some_and(|row| row.iter().any(filled)))
        .collect();
    let hint =
        "若这些内容应当导入，在 Excel 中取消隐藏后重新导入，或加 --include-hidden 一并导入。";
    if !cols.is_empty() {
        let headers = header::find_all(sheet);
        let named: Vec<String> = cols
            .iter()
            .map(|&c| {
                let heading = headers
                    .iter()
                    .find_map(|h| {
                        let mut texts: Vec<String> = sheet.rows[h.header_row..h.data_row]
                            .iter()
                            .filter_map(|row| row.get(c))
                            .map(|t| header::clean_heading(t))
                            .filter(|t| !t.is_empty())
                            .collect();
                        texts.dedup();
                        (!texts.is_empty()).then(|| texts.join("/"))
                    })
                    .unwrap_or_else(|| "无表头".to_owned());
                format!("{} 列（{heading}）", column_letter(c))
            })
            .collect();
        findings.push(
            doubt(
                place.clone(),
                format!("隐藏的列未导入：{}。", named.join("、")),
            )
            .hint(hint),
        );
    }
    if !rows.is_empty() {
        let numbers: Vec<u32> = rows.iter().map(|&r| r as u32 + 1).collect();
        findings.push(
            doubt(
                place.clone(),
                format!("隐藏的行未导入：第 {} 行。", rows::row_list(&numbers)),
            )
            .hint(hint),
        );
    }
    for &r in &rows {
        sheet.rows[r].iter_mut().for_each(String::clear);
    }
    for row in &mut sheet.rows {
        for &c in &cols {
            if let Some(cell) = row.get_mut(c) {
                cell.clear();
            }
        }
    }
    let (hidden_rows, hidden_cols) = (rows, cols);
    sheet
        .error_cells
        .retain(|(r, c, _)| !hidden_rows.contains(r) && !hidden_cols.contains(c));
}

/// What `units/` refers to in one domain: folders of entries filed under its items, and
/// 不涉及事项 (`[[exempt]]`) naming them.
#[derive(Default)]
struct References {
    /// Entry folders `units/<unit>/<domain>/<item>/`.
    entries: Vec<EntryFolder>,
    /// `[[exempt]]` entries naming `<domain>/<item>`.
    exempts: Vec<Exempt>,
}

/// The entries one unit files under one item.
struct EntryFolder {
    item: String,
    /// The folder, e.g. `units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/`.
    folder: String,
    /// The unit's `unit.toml`, e.g. `units/xian/zhen/unit.toml`.
    unit_toml: String,
    /// The unit's name and `level`, when its `unit.toml` says.
    unit_name: Option<String>,
    unit_level: Option<String>,
    /// How many entry files.
    count: usize,
}

/// One `[[exempt]]` entry naming an item of the domain.
struct Exempt {
    item: String,
    /// The `unit.toml` and the line of its `item = …`.
    unit_toml: String,
    line: u32,
}

/// The catalog as the crate's loader reads it, with what it found wrong.
type Catalog = (crate::load::RawCatalog, Vec<Diagnostic>);

impl References {
    /// What the loaded catalog's units refer to in `domain`. Entry files the loader could not
    /// parse count too (their findings name them); a `unit.toml` that does not parse is left to
    /// `gongkai check`.
    fn read((catalog, diags): &Catalog, domain: &str) -> References {
        let mut refs = References::default();
        for unit in &catalog.units {
            let unit_toml = format!("units/{}/unit.toml", unit.path);
            if let Some(loaded) = &unit.unit {
                for ex in &loaded.raw.exempt {
                    let Some((d, item)) = ex.item.get_ref().split_once('/') else {
                        continue;
                    };
                    if d.trim() == domain {
                        refs.exempts.push(Exempt {
                            item: item.trim().to_owned(),
                            unit_toml: unit_toml.clone(),
                            line: loaded.line(&ex.item),
                        });
                    }
                }
            }
            for dir in unit.domain_dirs.iter().filter(|d| d.name == domain) {
                for item in &dir.items {
                    let under = format!("{}/", item.display);
                    let unreadable = diags
                        .iter()
                        .filter(|d| d.file.as_deref().is_some_and(|f| f.starts_with(&under)))
                        .filter_map(|d| d.file.as_deref())
                        .collect::<std::collections::BTreeSet<_>>()
                        .len();
                    let count = item.entries.len() + unreadable;
                    if count == 0 {
                        continue;
                    }
                    refs.entries.push(EntryFolder {
                        item: item.name.clone(),
                        folder: format!("units/{}/{domain}/{}/", unit.path, item.name),
                        unit_toml: unit_toml.clone(),
                        unit_name: unit.unit.as_ref().map(|u| u.raw.name.get_ref().clone()),
                        unit_level: unit.unit.as_ref().map(|u| u.raw.level.get_ref().clone()),
                        count,
                    });
                }
            }
        }
        refs
    }
}

/// Removing an item that entries are filed under, or that a unit's `[[exempt]]` names, would
/// leave them pointing at nothing: refuse, naming what refers to it.
fn removed_items_still_referred_to(
    refs: &References,
    domain: &str,
    diff: &Diff,
    rel: &str,
    findings: &mut Vec<Diagnostic>,
) {
    for (id, level1, level2) in &diff.removed {
        let n: usize = refs
            .entries
            .iter()
            .filter(|e| e.item == *id)
            .map(|e| e.count)
            .sum();
        if n > 0 {
            findings.push(
                refused(
                    Place::file(rel),
                    format!(
                        "表格中没有事项“{level1} / {level2}”（{id}），但 units/ 中已有 {n} 条信息登记在这个事项下；导入会使它们无处归属。"
                    ),
                )
                .hint("在表格中保留这个事项（一级、二级事项的名称与原文件一致），或先把这些信息移到其他事项下。"),
            );
        }
        for ex in refs.exempts.iter().filter(|e| e.item == *id) {
            let at = format!("{} 第 {} 行", ex.unit_toml, ex.line);
            findings.push(
                refused(
                    Place::file(rel),
                    format!(
                        "表格中没有事项“{level1} / {level2}”（{id}），但 {at}的不涉及事项 [[exempt]] item = \"{domain}/{id}\" 指向它；导入后这条不涉及事项将指向不存在的事项。"
                    ),
                )
                .hint(format!(
                    "在表格中保留这个事项（一级、二级事项的名称与原文件一致），或先从 {} 中删去这条 [[exempt]]。",
                    ex.unit_toml
                )),
            );
        }
    }
}

/// An item whose 公开层级 the import changes must still apply to every unit that files entries
/// under it: the build rejects entries of a unit whose level the item no longer has.
fn levels_dropped_under_entries(
    refs: &References,
    old: &[merge::ItemRecord],
    new: &[merge::ItemRecord],
    table: &[rows::TableItem],
    place: &Place,
    findings: &mut Vec<Diagnostic>,
) {
    let label = |level: &str| -> String {
        match crate::model::Level::parse(level) {
            Some(level) => level.label().to_owned(),
            None => level.to_owned(),
        }
    };
    for (k, item) in new.iter().enumerate() {
        let Some(before) = old.iter().find(|o| o.id == item.id) else {
            continue;
        };
        for folder in refs.entries.iter().filter(|e| e.item == item.id) {
            let Some(level) = folder.unit_level.as_deref() else {
                continue;
            };
            if item.levels.iter().any(|l| l == level) || !before.levels.iter().any(|l| l == level) {
                continue;
            }
            let levels: Vec<String> = item.levels.iter().map(|l| label(l)).collect();
            let unit = match folder.unit_name.as_deref() {
                Some(name) => format!("“{name}”（{}）", folder.unit_toml),
                None => format!("（{}）", folder.unit_toml),
            };
            findings.push(
                refused(
                    Place {
                        row: table.get(k).map(|t| t.row),
                        ..place.clone()
                    },
                    format!(
                        "事项“{} / {}”（{}）的公开层级将改为{}，不再含{}；但{}单位{unit}在 {} 下已有 {} 条信息，导入后 gongkai build 会拒绝它们。",
                        item.level1,
                        item.level2,
                        item.id,
                        levels.join("、"),
                        label(level),
                        label(level),
                        folder.folder,
                        folder.count
                    ),
                )
                .hint(format!(
                    "在表格中为这个事项勾选{}；若本级确实不再公开这个事项，先把这些信息移到上级单位的同名文件夹。",
                    label(level)
                )),
            );
        }
    }
}

impl FileChange {
    /// Whether the import leaves the file as it was.
    pub fn is_unchanged(&self) -> bool {
        self.diff.is_empty() && self.described.is_empty()
    }

    /// The diff as text for people.
    pub fn render(&self) -> String {
        let d = &self.diff;
        let removed = if self.incomplete {
            "删除待定（表格改正后才能确定）".to_owned()
        } else {
            format!("删除 {} 项", d.removed.len())
        };
        let mut s = format!(
            "{}（{}，来自 {}）：新增 {} 项，修改 {} 项，{removed}，不变 {} 项\n",
            self.path,
            self.name,
            self.source,
            d.added.len(),
            d.changed.len(),
            d.unchanged
        );
        for (id, l1, l2) in &d.added {
            s.push_str(&format!("  + {id}  {l1} / {l2}\n"));
        }
        for (id, l1, l2, fields) in &d.changed {
            s.push_str(&format!("  ~ {id}  {l1} / {l2}（{}）\n", fields.join("、")));
        }
        for (id, l1, l2) in d.removed.iter().filter(|_| !self.incomplete) {
            s.push_str(&format!("  - {id}  {l1} / {l2}\n"));
        }
        for line in &self.described {
            s.push_str(&format!("  * {line}\n"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_match_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn other_names_of_a_domain_are_recognised() {
        let domains = [
            KnownDomain {
                id: "shenong-butie".into(),
                name: "涉农补贴".into(),
            },
            KnownDomain {
                id: "shehui-jiuzhu".into(),
                name: "社会救助".into(),
            },
        ];
        let found = detect_domain(
            &domains,
            Some("××县涉农资金领域基层政务公开标准目录"),
            None,
            None,
        );
        assert!(matches!(found, Detected::One(d) if d.id == "shenong-butie"));
    }
}
