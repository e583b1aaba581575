//! The 年度报告 figures printed four ways, all from one [`YearReport`] and one list of columns:
//! a Chinese text table for the terminal, CSV that Chinese Excel opens (UTF-8 with BOM, cells
//! through [`csv_cell`]), JSON (`schema_version` 1, keys documented in README), and a printable,
//! self-contained HTML page laid out like a 年度报告's table. Nothing here reads a clock: the same
//! report gives the same bytes.

use super::{Figures, UnitYear, YearReport, year_span};
use crate::render::opendata::csv_cell;
use crate::render::theme::escape_html as esc;
use serde::Serialize;
use std::fmt::Write as _;

/// A figure column: its heading and how to read its value.
type Column = (&'static str, fn(&Figures) -> usize);

/// The figure columns, in the order every format shows them.
const COLUMNS: [Column; 7] = [
    ("适用事项", |f| f.applicable),
    ("有信息的事项", |f| f.with_information),
    ("新公开", |f| f.published),
    ("更新", |f| f.updated),
    ("逾期公开", |f| f.late),
    ("失效/废止", |f| f.lapsed),
    ("解读", |f| f.interpretations),
];

/// The row label of a unit's sum over its domains.
const SUBTOTAL: &str = "小计";

/// The row label of the sum over all units.
const TOTAL: &str = "合计";

/// The period counted, in words: `2025-01-01 至 2025-12-31`, and that the year is not over
/// when it is not.
pub fn period(report: &YearReport) -> String {
    let start = year_span(report.year).map_or(report.judged, |(start, _)| start);
    let mut s = format!(
        "统计期间：{start} 至 {}；有效性（失效/废止）按 {} 判断。",
        report.judged, report.judged
    );
    if !report.year_over() {
        let _ = write!(
            s,
            "{} 年尚未结束：数字截至 {}，年底前还会变化，年度报告请在次年 1 月重新生成。",
            report.year, report.judged
        );
    }
    s
}

/// What the reader must know about the figures' reliability: one note per year counted by
/// weekends alone (no calendar file).
pub fn notes(report: &YearReport) -> Vec<String> {
    report
        .calendar_unknown
        .iter()
        .map(|year| {
            format!(
                "缺少 {year} 年的工作日历（calendar/{year}.toml，国务院办公厅节假日安排），该年的工作日暂按周一至周五计算，逾期公开的条数可能不准；公布安排后新建该文件再生成本报告。"
            )
        })
        .collect()
}

/// What each column counts (统计口径), for the text and HTML reports.
pub fn definitions(report: &YearReport) -> [String; 7] {
    let (year, judged) = (report.year, report.judged);
    [
        "适用事项：标准目录（含本级补充事项）中公开层级包括本级的二级事项，含本级不涉及的事项。"
            .to_owned(),
        format!("有信息的事项：适用事项中截至 {judged} 已发布至少一条信息的事项。"),
        format!("新公开：{year} 年内发布（发布日期在本年）的信息条数。"),
        format!(
            "更新：{year} 年内有变更的信息条数（变更日期 updated，或 git 记录的最后一次修改，晚于发布日期）。"
        ),
        format!(
            "逾期公开：{year} 年内发布、发布日期距成文日期超过该事项公开时限的信息条数（与 gongkai check 的 late 相同，工作日按国务院办公厅节假日安排计算）。"
        ),
        format!(
            "失效/废止：截至 {judged} 已发布、在这一天为失效或废止的信息条数（含已过有效期、已被替代、已到废止日期的）。"
        ),
        format!("解读：{year} 年内发布的政策解读条数（写了 interprets 的信息）。"),
    ]
}

/// How many terminal columns `s` takes (a Chinese character takes two).
fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `w` columns, on the right (`left`) or the left.
fn pad(s: &str, w: usize, left: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if left {
        format!("{s}{fill}")
    } else {
        format!("{fill}{s}")
    }
}

/// A table for the terminal: a label column, then the figure columns right-aligned.
struct TextTable {
    label_width: usize,
    widths: Vec<usize>,
}

impl TextTable {
    fn new(labels: impl Iterator<Item = usize>, figures: &[&Figures]) -> TextTable {
        let widths = COLUMNS
            .iter()
            .map(|(head, value)| {
                figures
                    .iter()
                    .map(|f| value(f).to_string().len())
                    .chain([width(head)])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        TextTable {
            label_width: labels.max().unwrap_or(0),
            widths,
        }
    }

    fn header(&self, out: &mut String, label: &str) {
        let cells: Vec<String> = COLUMNS
            .iter()
            .zip(&self.widths)
            .map(|((head, _), w)| pad(head, *w, false))
            .collect();
        let _ = writeln!(
            out,
            "  {}  {}",
            pad(label, self.label_width, true),
            cells.join("  ")
        );
    }

    fn row(&self, out: &mut String, label: &str, f: &Figures) {
        let cells: Vec<String> = COLUMNS
            .iter()
            .zip(&self.widths)
            .map(|((_, value), w)| pad(&value(f).to_string(), *w, false))
            .collect();
        let line = format!(
            "  {}  {}",
            pad(label, self.label_width, true),
            cells.join("  ")
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The Chinese text report: title, period and notes; per unit a table of its domains with a
/// 小计 row; then one row per unit and the 合计 row.
pub fn text(report: &YearReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", report.title());
    let _ = writeln!(out, "{}", period(report));
    for note in notes(report) {
        let _ = writeln!(out, "注：{note}");
    }
    let mut figures: Vec<&Figures> = vec![&report.total];
    let mut labels = vec![width("领域"), width("单位"), width(TOTAL)];
    for unit in &report.units {
        figures.push(&unit.total);
        labels.push(width(&unit.name));
        for d in &unit.domains {
            figures.push(&d.figures);
            labels.push(width(&d.name));
        }
    }
    let table = TextTable::new(labels.into_iter(), &figures);
    for unit in &report.units {
        let _ = writeln!(
            out,
            "\n■ {}（{}，{}）",
            unit.name,
            unit.path,
            unit.level.label()
        );
        if unit.domains.is_empty() {
            let _ = writeln!(out, "  没有适用本级的领域事项。");
            continue;
        }
        table.header(&mut out, "领域");
        for d in &unit.domains {
            table.row(&mut out, &d.name, &d.figures);
        }
        table.row(&mut out, SUBTOTAL, &unit.total);
    }
    let _ = writeln!(out, "\n■ 各单位合计");
    table.header(&mut out, "单位");
    for unit in &report.units {
        table.row(&mut out, &unit.name, &unit.total);
    }
    table.row(&mut out, TOTAL, &report.total);
    let _ = writeln!(out, "\n说明：");
    for line in definitions(report) {
        let _ = writeln!(out, "  {line}");
    }
    out
}

/// CSV for Excel and WPS: UTF-8 with a BOM, CRLF line ends, one row per unit and domain, a
/// 小计 row per unit (领域 `小计`) and a 合计 row (单位 `合计`). Every cell goes through
/// [`csv_cell`]. The notes are not rows (they would break the table): the command says them.
pub fn csv(report: &YearReport) -> Vec<u8> {
    let mut out = String::from("\u{feff}年度,单位,单位路径,层级,领域,领域id");
    for (head, _) in COLUMNS {
        out.push(',');
        out.push_str(&csv_cell(head));
    }
    out.push_str("\r\n");
    let year = report.year.to_string();
    let mut row = |unit: &str, path: &str, level: &str, domain: &str, id: &str, f: &Figures| {
        let mut cells: Vec<String> = [year.as_str(), unit, path, level, domain, id]
            .iter()
            .map(|c| csv_cell(c))
            .collect();
        cells.extend(COLUMNS.iter().map(|(_, value)| value(f).to_string()));
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    for unit in &report.units {
        let level = unit.level.label();
        for d in &unit.domains {
            row(&unit.name, &unit.path, level, &d.name, &d.id, &d.figures);
        }
        row(&unit.name, &unit.path, level, SUBTOTAL, "", &unit.total);
    }
    row(TOTAL, "", "", "", "", &report.total);
    out.into_bytes()
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    year: i32,
    judged: String,
    year_over: bool,
    title: String,
    subject: &'a str,
    calendar_unknown: &'a [i32],
    units: Vec<JsonUnit<'a>>,
    total: &'a Figures,
}

#[derive(Serialize)]
struct JsonUnit<'a> {
    path: &'a str,
    name: &'a str,
    level: &'static str,
    domains: Vec<JsonDomain<'a>>,
    total: &'a Figures,
}

#[derive(Serialize)]
struct JsonDomain<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(flatten)]
    figures: &'a Figures,
}

/// The JSON report (`schema_version` 1), keys in a fixed order, ending in a newline.
pub fn json(report: &YearReport) -> Vec<u8> {
    fn unit(u: &UnitYear) -> JsonUnit<'_> {
        JsonUnit {
            path: &u.path,
            name: &u.name,
            level: u.level.as_str(),
            domains: u
                .domains
                .iter()
                .map(|d| JsonDomain {
                    id: &d.id,
                    name: &d.name,
                    figures: &d.figures,
                })
                .collect(),
            total: &u.total,
        }
    }
    let data = JsonReport {
        schema_version: 1,
        year: report.year,
        judged: report.judged.to_string(),
        year_over: report.year_over(),
        title: report.title(),
        subject: &report.subject,
        calendar_unknown: &report.calendar_unknown,
        units: report.units.iter().map(unit).collect(),
        total: &report.total,
    };
    let mut json = serde_json::to_vec_pretty(&data).unwrap_or_default();
    json.push(b'\n');
    json
}

const STYLE: &str = "body{font-family:\"FangSong\",\"仿宋\",\"Noto Serif CJK SC\",\"SimSun\",serif;font-size:16px;line-height:1.5;color:#000;background:#fff;margin:24px auto;max-width:60em;padding:0 12px}\
h1{font-family:\"SimHei\",\"黑体\",\"Noto Sans CJK SC\",sans-serif;font-size:22px;text-align:center;margin:12px 0 16px;line-height:1.4}\
h2{font-family:\"SimHei\",\"黑体\",\"Noto Sans CJK SC\",sans-serif;font-size:17px;margin:20px 0 8px}\
p{margin:6px 0}.note{border:1px solid #000;padding:6px 10px}\
table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}\
caption{font-weight:bold;padding:4px 0;text-align:center}\
th,td{border:1px solid #000;padding:3px 6px;text-align:center;vertical-align:middle}\
td.n{text-align:right;font-variant-numeric:tabular-nums}th.unit{font-weight:bold}th.unit small{display:block;font-weight:normal}\
tr.sub td,tr.sub th,tr.total td,tr.total th{font-weight:bold}\
ol{padding-left:1.6em}ol li{margin:3px 0}\
@page{size:A4;margin:15mm}\
@media print{body{margin:0;max-width:none;padding:0;font-size:12pt}table{font-size:10.5pt}thead{display:table-header-group}tr{break-inside:avoid}h2{break-after:avoid}}";

/// The header row of a table: the label columns, then the figure columns.
fn html_head(out: &mut String, labels: &[&str]) {
    out.push_str("<thead><tr>");
    for label in labels {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(label));
    }
    for (head, _) in COLUMNS {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(head));
    }
    out.push_str("</tr></thead>\n");
}

/// The figure cells of a row.
fn html_cells(out: &mut String, f: &Figures) {
    for (_, value) in COLUMNS {
        let _ = write!(out, "<td class=\"n\">{}</td>", value(f));
    }
}

/// The printable HTML page: self-contained (styles inline, no script, no link), every text
/// escaped, laid out as a 年度报告's table; the title names the reporting unit and year.
pub fn html(report: &YearReport) -> String {
    let title = esc(&report.title());
    let mut body = String::new();
    let _ = writeln!(body, "<h1>{title}</h1>");
    let _ = writeln!(body, "<p>{}</p>", esc(&period(report)));
    for note in notes(report) {
        let _ = writeln!(body, "<p class=\"note\">注：{}</p>", esc(&note));
    }
    let _ = writeln!(body, "<h2>一、各单位重点领域公开情况</h2>");
    body.push_str("<table>\n<caption>表1　各单位分领域公开情况</caption>\n");
    html_head(&mut body, &["单位", "领域"]);
    for unit in &report.units {
        body.push_str("<tbody>\n");
        let _ = write!(
            body,
            "<tr><th scope=\"rowgroup\" class=\"unit\" rowspan=\"{}\">{}<small>{}</small></th>",
            unit.domains.len() + 1,
            esc(&unit.name),
            unit.level.label()
        );
        for (i, d) in unit.domains.iter().enumerate() {
            if i > 0 {
                body.push_str("<tr>");
            }
            let _ = write!(body, "<th scope=\"row\">{}</th>", esc(&d.name));
            html_cells(&mut body, &d.figures);
            body.push_str("</tr>\n");
        }
        // A unit without domains has its 小计 on the row its own cell opened.
        if !unit.domains.is_empty() {
            body.push_str("<tr class=\"sub\">");
        }
        let _ = write!(body, "<th scope=\"row\">{SUBTOTAL}</th>");
        html_cells(&mut body, &unit.total);
        body.push_str("</tr>\n</tbody>\n");
    }
    body.push_str("</table>\n");
    let _ = writeln!(body, "<h2>二、各单位合计</h2>");
    body.push_str("<table>\n<caption>表2　各单位合计</caption>\n");
    html_head(&mut body, &["单位"]);
    body.push_str("<tbody>\n");
    for unit in &report.units {
        let _ = write!(body, "<tr><th scope=\"row\">{}</th>", esc(&unit.name));
        html_cells(&mut body, &unit.total);
        body.push_str("</tr>\n");
    }
    let _ = write!(body, "<tr class=\"total\"><th scope=\"row\">{TOTAL}</th>");
    html_cells(&mut body, &report.total);
    body.push_str("</tr>\n</tbody>\n</table>\n");
    let _ = writeln!(body, "<h2>三、统计口径</h2>\n<ol>");
    for line in definitions(report) {
        let _ = writeln!(body, "<li>{}</li>", esc(&line));
    }
    body.push_str("</ol>\n");
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
}
