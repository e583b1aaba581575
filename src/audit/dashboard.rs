//! The audit dashboard for a district's 政务公开办 (`gongkai check --html DIR`): an overview
//! with one row per unit and one column per domain, each cell coloured by coverage and marked
//! with late/stale counts, and one page per unit listing its findings with links to the files.
//! Plain HTML and CSS, no JavaScript; colour is never the only signal (every cell has numbers).

use super::report::{CheckReport, UnitSummary};
use crate::diag::{Code, Diagnostic};
use crate::failure::Failure;
use crate::render::OutputFile;
use crate::render::theme::escape_html as esc;
use crate::write::{DASHBOARD_MARK, Replaces, Staging};
use std::fmt::Write as _;
use std::path::Path;

const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;font-size:16px;line-height:1.6;margin:16px;color:#1a1a1a}\
table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:4px 6px;text-align:center;vertical-align:middle}\
th{background:#f1f1f1}th.unit{text-align:left;white-space:nowrap}.d1{padding-left:1.5em}.d2{padding-left:3em}\
.full{background:#cfe8cf}.part{background:#fbe3b3}.low{background:#f6c1bd}.na{background:#fff;color:#777}\
.flag{display:block;font-size:12px;font-weight:bold;color:#8a1010}.legend span{display:inline-block;padding:2px 8px;margin-right:8px;border:1px solid #bbb}\
.wrap{overflow-x:auto}li{margin:6px 0}.sev-error{color:#8a1010;font-weight:bold}code{font-size:14px}";

/// Writes the dashboard into `dir` (replacing it atomically). `catalog_root` is refused as a target.
pub fn write(
    report: &CheckReport,
    dir: &Path,
    catalog_root: &Path,
    wait: bool,
) -> Result<usize, Failure> {
    let _lock = crate::files::OutputLock::acquire(dir, "check --html", wait)?;
    let staging = Staging::create(dir, Some(catalog_root), Replaces::Dashboard)?;
    let mut files = vec![OutputFile::Bytes {
        path: "index.html".into(),
        bytes: overview(report).into_bytes(),
    }];
    for unit in &report.units {
        files.push(OutputFile::Bytes {
            path: unit_file(&unit.path),
            bytes: unit_page(report, unit, dir).into_bytes(),
        });
    }
    let count = files.len();
    staging.write_all(files)?;
    staging.commit()?;
    Ok(count)
}

fn unit_file(path: &str) -> String {
    format!("unit-{}.html", path.replace('/', "--"))
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n{DASHBOARD_MARK}\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        esc(title)
    )
}

fn cell_class(covered: usize, exempt: usize, applicable: usize) -> &'static str {
    if applicable == 0 {
        "na"
    } else if covered + exempt >= applicable {
        "full"
    } else if (covered + exempt) * 2 >= applicable {
        "part"
    } else {
        "low"
    }
}

fn count_in(report: &CheckReport, unit: &str, domain: Option<&str>, code: Code) -> usize {
    report
        .unit_findings(unit)
        .iter()
        .filter(|f| f.code == code && (domain.is_none() || f.domain.as_deref() == domain))
        .count()
}

fn overview(report: &CheckReport) -> String {
    let (errors, warnings) = report.counts();
    let mut b = String::new();
    let _ = writeln!(b, "<h1>基层政务公开审计（核查日期 {}）</h1>", report.as_of);
    let _ = writeln!(
        b,
        "<p>{} 个单位；{errors} 个错误，{warnings} 个警告。每格为“已公开＋本级不涉及／适用事项”，“逾”为逾期公开条数，“滞”为未按期更新项数。</p>",
        report.units.len()
    );
    b.push_str("<p class=\"legend\"><span class=\"full\">全部公开</span><span class=\"part\">公开过半</span><span class=\"low\">公开不足一半</span><span class=\"na\">本级无适用事项</span></p>\n");
    let Some(first) = report.units.first() else {
        b.push_str("<p>目录有错误，未能统计公开情况。请先运行 gongkai check 查看错误。</p>\n");
        return page("基层政务公开审计", &b);
    };
    b.push_str("<div class=\"wrap\"><table>\n<caption>各单位各领域公开情况</caption>\n<thead><tr><th scope=\"col\">单位</th><th scope=\"col\">合计</th>");
    for (_, name, _) in &first.domains {
        let _ = write!(b, "<th scope=\"col\">{}</th>", esc(name));
    }
    b.push_str("</tr></thead>\n<tbody>\n");
    for unit in &report.units {
        let c = unit.coverage;
        let _ = write!(
            b,
            "<tr><th scope=\"row\" class=\"unit d{}\"><a href=\"{}\">{}</a> <small>{}</small></th>",
            unit.depth.min(2),
            esc(&unit_file(&unit.path)),
            esc(&unit.name),
            unit.level
        );
        let _ = write!(
            b,
            "<td class=\"{}\">{}/{}{}</td>",
            cell_class(c.covered, c.exempt, c.applicable),
            c.covered + c.exempt,
            c.applicable,
            flags(report, &unit.path, None)
        );
        for (id, _, dc) in &unit.domains {
            let _ = write!(
                b,
                "<td class=\"{}\">{}</td>",
                cell_class(dc.covered, dc.exempt, dc.applicable),
                if dc.applicable == 0 {
                    "—".to_owned()
                } else {
                    format!(
                        "{}/{}{}",
                        dc.covered + dc.exempt,
                        dc.applicable,
                        flags(report, &unit.path, Some(id))
                    )
                }
            );
        }
        b.push_str("</tr>\n");
    }
    b.push_str("</tbody>\n</table></div>\n");
    page("基层政务公开审计", &b)
}

fn flags(report: &CheckReport, unit: &str, domain: Option<&str>) -> String {
    let late = count_in(report, unit, domain, Code::Late);
    let stale = count_in(report, unit, domain, Code::Stale);
    let mut s = String::new();
    if late > 0 {
        let _ = write!(s, "<span class=\"flag\">逾{late}</span>");
    }
    if stale > 0 {
        let _ = write!(s, "<span class=\"flag\">滞{stale}</span>");
    }
    s
}

/// A relative link from the dashboard folder to a catalog file.
fn file_href(dashboard: &Path, file: &str) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, to) = (abs(dashboard), abs(Path::new(file)));
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut href = "../".repeat(from.components().count() - common);
    let rest: Vec<String> = to
        .components()
        .skip(common)
        .map(|c| crate::render::links::encode(&c.as_os_str().to_string_lossy()))
        .collect();
    href.push_str(&rest.join("/"));
    href
}

fn unit_page(report: &CheckReport, unit: &UnitSummary, dir: &Path) -> String {
    let c = unit.coverage;
    let mut b = String::new();
    let _ = writeln!(b, "<p><a href=\"index.html\">← 返回总览</a></p>");
    let _ = writeln!(b, "<h1>{}（{}）审计结果</h1>", esc(&unit.name), unit.level);
    let _ = writeln!(
        b,
        "<p>核查日期 {}。适用事项 {} 项：已公开 {}，本级不涉及 {}，未公开 {}。</p>",
        report.as_of, c.applicable, c.covered, c.exempt, c.missing
    );
    let findings: Vec<&Diagnostic> = report.unit_findings(&unit.path).iter().collect();
    let errors: Vec<Code> = Code::ALL
        .into_iter()
        .filter(|c| c.severity() == crate::diag::Severity::Error)
        .collect();
    for (title, codes) in [
        ("错误", &errors[..]),
        ("逾期公开", &[Code::Late][..]),
        ("未按期更新", &[Code::Stale][..]),
        ("失效未标注", &[Code::ExpiredUnmarked][..]),
        (
            "其他提示",
            &[Code::IndexNoDerived, Code::CalendarUnknown][..],
        ),
        ("未公开", &[Code::Missing][..]),
    ] {
        let list: Vec<&&Diagnostic> = findings
            .iter()
            .filter(|f| codes.contains(&f.code))
            .collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(b, "<h2>{title}（{}）</h2>\n<ul>", list.len());
        for f in list {
            let location = match (&f.file, f.line) {
                (Some(file), line) => format!(
                    " <a href=\"{}\"><code>{}{}</code></a>",
                    esc(&file_href(dir, file)),
                    esc(file),
                    line.map(|l| format!(":{l}")).unwrap_or_default()
                ),
                (None, _) => String::new(),
            };
            let _ = writeln!(
                b,
                "<li><span class=\"sev-{}\">[{}]</span> {}{location}{}</li>",
                if f.severity() == crate::diag::Severity::Error {
                    "error"
                } else {
                    "warning"
                },
                f.code.as_str(),
                esc(&f.message),
                f.hint
                    .as_ref()
                    .map(|h| format!("<br><small>提示：{}</small>", esc(h)))
                    .unwrap_or_default()
            );
        }
        b.push_str("</ul>\n");
    }
    page(&format!("{} 审计结果", unit.name), &b)
}
