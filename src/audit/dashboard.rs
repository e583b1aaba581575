//! The audit dashboard for a district's 政务公开办 (`gongkai check --html DIR`): which unit is
//! behind in which domain, at a glance on a 1280 px screen. The overview has one row per unit,
//! worst first (单项否决 first, then by 空白栏目), and one narrow column per domain (names set
//! vertically); each cell says in text what is wrong there (空 blank items, 滞 stale, 逾 late,
//! 失 expired but unmarked, 链 broken links and attachments) and links to that domain's part of
//! the unit's page, which lists every finding with its file and line.
//!
//! Plain HTML and CSS, no JavaScript. Colour only repeats what the text says. Every link is
//! relative and stays inside the dashboard's folder (file paths are shown, not linked), so the
//! folder can be copied or mailed anywhere and still works.

use super::report::{CheckReport, UnitSummary, veto_text};
use crate::diag::{Code, Diagnostic, Severity};
use crate::failure::Failure;
use crate::render::OutputFile;
use crate::render::theme::escape_html as esc;
use crate::write::{DASHBOARD_MARK, Replaces, Staging};
use std::fmt::Write as _;
use std::path::Path;

const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;font-size:16px;line-height:1.5;margin:8px;color:#1a1a1a;background:#fff}\
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:20px 0 6px}p{margin:6px 0}a{color:#0b4a8b}\
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}\
table.grid{border-collapse:collapse;table-layout:fixed;width:100%;font-size:12px;line-height:1.3}\
.grid caption{text-align:left;font-weight:bold;font-size:15px;padding:4px 0}\
.grid th,.grid td{border:1px solid #999;padding:2px;text-align:center;vertical-align:middle;overflow-wrap:anywhere}\
.grid thead th{background:#eee;vertical-align:bottom}.grid .v{writing-mode:vertical-rl;display:inline-block;white-space:nowrap;font-weight:normal;letter-spacing:1px}\
.grid th.unit{text-align:left;font-size:13px}.grid th.unit small{font-weight:normal;color:#333}\
.grid td a{display:block;color:#1a1a1a;text-decoration:none}.grid td a:hover,.grid td a:focus{text-decoration:underline}\
.grid td span{display:block;white-space:nowrap}\
.full{background:#d7ecd7}.part{background:#fbe7bf}.low{background:#f7cdca}.na{background:#fff;color:#555}\
.veto{display:block;color:#7a0c0c;font-weight:bold}.legend{font-size:14px}.legend li{margin:2px 0}\
ul.findings{padding-left:1.2em}ul.findings li{margin:6px 0;overflow-wrap:anywhere}code{font-size:13px;overflow-wrap:anywhere}\
.sev-error{color:#7a0c0c;font-weight:bold}.box{border:2px solid #7a0c0c;padding:6px 10px;margin:8px 0}";

/// The counts a cell shows, with the letter each is shown with and what the letter means.
const MARKS: [(Code, &str, &str, &str); 5] = [
    (Code::Missing, "空", "未公开（空白栏目）", "项"),
    (Code::Stale, "滞", "未按期更新", "项"),
    (Code::Late, "逾", "逾期公开", "条"),
    (Code::ExpiredUnmarked, "失", "失效未标注", "条"),
    (Code::BrokenLink, "链", "不可用链接或附件", "处"),
];

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
            bytes: unit_page(report, unit).into_bytes(),
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

fn domain_anchor(id: &str) -> String {
    format!("d-{id}")
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

/// A unit's counts per mark, over all domains or one.
fn counts(report: &CheckReport, unit: &UnitSummary, domain: Option<&str>) -> [usize; 5] {
    let mut n = [0; 5];
    for f in report.unit_findings(&unit.path) {
        if domain.is_some() && f.domain.as_deref() != domain {
            continue;
        }
        let code = match f.code {
            Code::AttachmentMissing => Code::BrokenLink,
            other => other,
        };
        if let Some(i) = MARKS.iter().position(|m| m.0 == code) {
            n[i] += 1;
        }
    }
    n
}

/// How far behind a unit is, worst first: 单项否决 reached, then 空白栏目, 未按期更新,
/// 逾期公开, 失效未标注, 不可用链接.
fn badness(report: &CheckReport, unit: &UnitSummary) -> (usize, [usize; 5]) {
    (report.vetoes(unit).len(), counts(report, unit, None))
}

fn overview(report: &CheckReport) -> String {
    let (errors, warnings) = report.counts();
    let mut b = String::new();
    let _ = writeln!(b, "<h1>基层政务公开审计（核查日期 {}）</h1>", report.as_of);
    let _ = writeln!(
        b,
        "<p>{} 个单位；{errors} 个错误，{warnings} 个警告。</p>",
        report.units.len()
    );
    // Findings of no unit, and of units without a page (a catalog with errors has none).
    let summarized = |path: &str| report.units.iter().any(|u| u.path == path);
    let general: Vec<&Diagnostic> = report
        .findings
        .iter()
        .filter(|f| f.unit.as_deref().is_none_or(|u| !summarized(u)))
        .collect();
    if !general.is_empty() {
        let _ = writeln!(b, "<h2>目录文件的问题（{}）</h2>", general.len());
        findings_list(&mut b, general.into_iter());
    }
    let Some(first) = report.units.first() else {
        b.push_str(
            "<p>目录有错误，未能统计公开情况。请按上面的提示改正后重新运行 gongkai check。</p>\n",
        );
        return page("基层政务公开审计", &b);
    };
    b.push_str("<details class=\"legend\" open><summary>怎么看这张表</summary><ul>\n\
        <li>每行一个单位，<strong>问题最多的在最上面</strong>：先是达到单项否决线的，再按空白栏目数、未按期更新数……排列。</li>\n\
        <li>每格是一个单位在一个领域的情况，点格子看明细：<strong>✓</strong> 全部公开且没有问题；<strong>空3</strong> 有 3 个适用事项还没有任何信息（空白栏目）；<strong>滞1</strong> 1 个事项未按期更新；<strong>逾2</strong> 2 条信息逾期公开；<strong>失1</strong> 1 条信息已过有效期但未标注失效；<strong>链1</strong> 1 处不可用链接或无法下载的附件；<strong>—</strong> 本级没有适用事项。</li>\n\
        <li>底色只是辅助：绿色全部公开，黄色公开过半，红色公开不足一半。</li>\n\
        <li>“单项否决”：空白栏目 5 个以上，或应更新未更新的栏目 10 个以上，按《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）网站直接判为不合格。</li>\n\
        </ul></details>\n");
    let mut order: Vec<&UnitSummary> = report.units.iter().collect();
    // Equally bad units keep the report's order (the site's).
    order.sort_by_key(|c| std::cmp::Reverse(badness(report, c)));
    let domains = first.domains.len();
    // Unit 11 %, totals 6 %, the domains share the rest.
    let width = 83.0 / domains.max(1) as f64;
    b.push_str("<table class=\"grid\">\n<caption>各单位各领域公开情况（问题多的单位在上）</caption>\n<colgroup><col style=\"width:11%\"><col style=\"width:6%\">");
    for _ in 0..domains {
        let _ = write!(b, "<col style=\"width:{width:.3}%\">");
    }
    b.push_str("</colgroup>\n<thead><tr><th scope=\"col\">单位</th><th scope=\"col\">合计</th>");
    for (_, name, _) in &first.domains {
        let _ = write!(
            b,
            "<th scope=\"col\"><span class=\"v\">{}</span></th>",
            esc(name)
        );
    }
    b.push_str("</tr></thead>\n<tbody>\n");
    for unit in order {
        unit_row(&mut b, report, unit);
    }
    b.push_str("</tbody>\n</table>\n");
    page("基层政务公开审计", &b)
}

fn unit_row(b: &mut String, report: &CheckReport, unit: &UnitSummary) {
    let href = esc(&unit_file(&unit.path));
    // The unit above, by name, so that two towns of the same name can be told apart.
    let parent = unit
        .path
        .rsplit_once('/')
        .map(|(p, _)| {
            let name = report.units.iter().find(|u| u.path == p);
            format!("{} · ", name.map_or(p, |u| u.name.as_str()))
        })
        .unwrap_or_default();
    let _ = write!(
        b,
        "<tr><th scope=\"row\" class=\"unit\"><a href=\"{href}\">{}</a><br><small>{} {}</small>",
        esc(&unit.name),
        esc(&parent),
        unit.level
    );
    if !report.vetoes(unit).is_empty() {
        b.push_str("<span class=\"veto\">✕ 单项否决</span>");
    }
    b.push_str("</th>");
    let c = unit.coverage;
    let total = counts(report, unit, None);
    let _ = write!(
        b,
        "<td class=\"{}\"><a href=\"{href}\">",
        cell_class(c.covered, c.exempt, c.applicable)
    );
    // The totals show every count, zeros too.
    for (i, (_, mark, _, _)) in MARKS.iter().enumerate() {
        let _ = write!(b, "<span>{mark}{}</span>", total[i]);
    }
    let _ = write!(
        b,
        "<span class=\"sr\">{}合计：{}</span></a></td>",
        esc(&unit.name),
        describe(&total, c.applicable)
    );
    for (id, name, dc) in &unit.domains {
        let class = cell_class(dc.covered, dc.exempt, dc.applicable);
        if dc.applicable == 0 {
            let _ = write!(
                b,
                "<td class=\"{class}\"><span aria-hidden=\"true\">—</span><span class=\"sr\">{}：本级没有适用事项</span></td>",
                esc(name)
            );
            continue;
        }
        let n = counts(report, unit, Some(id));
        let _ = write!(
            b,
            "<td class=\"{class}\"><a href=\"{href}#{}\"><span aria-hidden=\"true\">",
            esc(&domain_anchor(id))
        );
        if n.iter().all(|&k| k == 0) {
            b.push('✓');
        }
        for (i, (_, mark, _, _)) in MARKS.iter().enumerate() {
            if n[i] > 0 {
                let _ = write!(b, "<span>{mark}{}</span>", n[i]);
            }
        }
        let _ = write!(
            b,
            "</span><span class=\"sr\">{} {}：{}</span></a></td>",
            esc(&unit.name),
            esc(name),
            describe(&n, dc.applicable)
        );
    }
    b.push_str("</tr>\n");
}

/// The counts in words, for screen readers (the cell shows them as letters).
fn describe(n: &[usize; 5], applicable: usize) -> String {
    let parts: Vec<String> = MARKS
        .iter()
        .zip(n)
        .filter(|(_, k)| **k > 0)
        .map(|((_, _, what, unit), k)| format!("{what} {k} {unit}"))
        .collect();
    if parts.is_empty() {
        format!("适用事项 {applicable} 项全部公开，没有问题")
    } else {
        format!("适用事项 {applicable} 项，{}", parts.join("，"))
    }
}

fn findings_list<'a>(b: &mut String, findings: impl Iterator<Item = &'a Diagnostic>) {
    b.push_str("<ul class=\"findings\">\n");
    for f in findings {
        let location = match (&f.file, f.line) {
            (Some(file), line) => format!(
                " <code>{}{}</code>",
                esc(file),
                line.map(|l| format!(":{l}")).unwrap_or_default()
            ),
            (None, _) => String::new(),
        };
        let (class, label) = match f.severity() {
            Severity::Error => ("sev-error", "错误"),
            Severity::Warning => ("sev-warning", "警告"),
            Severity::Note => ("sev-note", "说明"),
        };
        let _ = writeln!(
            b,
            "<li><span class=\"{class}\">{label}[{}]</span> {}{location}{}</li>",
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

fn unit_page(report: &CheckReport, unit: &UnitSummary) -> String {
    let c = unit.coverage;
    let mut b = String::new();
    let _ = writeln!(b, "<p><a href=\"index.html\">← 返回总览</a></p>");
    let _ = writeln!(
        b,
        "<h1>{}（{}，<code>{}</code>）审计结果</h1>",
        esc(&unit.name),
        unit.level,
        esc(&unit.path)
    );
    let _ = writeln!(
        b,
        "<p>核查日期 {}。适用事项 {} 项：已公开 {}，本级不涉及 {}，未公开（空白栏目）{}；最新发布 {}。</p>",
        report.as_of,
        c.applicable,
        c.covered,
        c.exempt,
        c.missing,
        unit.last_published
            .map_or_else(|| "暂无".to_owned(), |d| d.to_string())
    );
    for code in report.vetoes(unit) {
        let n = match code {
            Code::Stale => report.count_in(&unit.path, Code::Stale),
            _ => c.missing,
        };
        let _ = writeln!(
            b,
            "<p class=\"box\"><strong>{}</strong></p>",
            esc(&veto_text(code, n))
        );
    }
    let findings = report.unit_findings(&unit.path);
    let whole: Vec<&Diagnostic> = findings.iter().filter(|f| f.domain.is_none()).collect();
    if !whole.is_empty() {
        let _ = writeln!(b, "<h2>全单位（{}）</h2>", whole.len());
        findings_list(&mut b, whole.into_iter());
    }
    for (id, name, dc) in &unit.domains {
        if dc.applicable == 0 {
            continue;
        }
        let here: Vec<&Diagnostic> = findings
            .iter()
            .filter(|f| f.domain.as_deref() == Some(id.as_str()))
            .collect();
        let _ = writeln!(
            b,
            "<section id=\"{}\">\n<h2>{}（已公开 {}，本级不涉及 {}，适用 {} 项）</h2>",
            esc(&domain_anchor(id)),
            esc(name),
            dc.covered,
            dc.exempt,
            dc.applicable
        );
        if here.is_empty() {
            b.push_str("<p>✓ 全部公开，没有发现问题。</p>\n");
        }
        let (blank, other): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
            here.into_iter().partition(|f| f.code == Code::Missing);
        if !other.is_empty() {
            findings_list(&mut b, other.into_iter());
        }
        if !blank.is_empty() {
            let _ = writeln!(
                b,
                "<p>未公开（空白栏目）{} 项：补充信息，或在 unit.toml 的 [[exempt]] 中说明本级不涉及。</p>\n<ul class=\"findings\">",
                blank.len()
            );
            for f in blank {
                let text = f.message.strip_prefix("未公开：").unwrap_or(&f.message);
                let _ = writeln!(b, "<li>{}</li>", esc(text));
            }
            b.push_str("</ul>\n");
        }
        b.push_str("</section>\n");
    }
    page(&format!("{} 审计结果", unit.name), &b)
}
