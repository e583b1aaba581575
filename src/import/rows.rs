//! Turning a table's data rows into catalogue items. A blank 一级事项 means "same as above" (the
//! cell was merged over several rows); tick marks and channel boxes are read in the forms they take
//! in real tables and after copy-paste; notes rows under the table and repeated header rows are
//! recognised. Every cell that cannot be understood becomes a finding with its row and column.

use super::deadline::{self, Timing};
use super::header::{Field, Header, normalize};
use super::{Place, doubt, noted, refused};
use crate::diag::Diagnostic;
use crate::model::{Audience, Level, Mode};
use crate::tabular::Sheet;
use std::collections::BTreeMap;

/// One item as the table gives it. `None` means the table has no such column, so an existing
/// item's value is kept (or a default used for a new item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableItem {
    /// The row, for messages (Excel's 1-based row number).
    pub row: u32,
    /// 一级事项.
    pub level1: String,
    /// 二级事项.
    pub level2: String,
    /// 三级事项: `None` when the table has no such column (an existing item's is kept), empty
    /// when the row does not split its 二级事项.
    pub level3: Option<String>,
    /// 公开内容（要素）.
    pub content: Option<String>,
    /// 公开依据.
    pub basis: Option<String>,
    /// 公开时限, as written.
    pub deadline: Option<String>,
    /// What the 公开时限 means for the audit, when it says so plainly.
    pub timing: Option<Timing>,
    /// 公开主体.
    pub subject: Option<String>,
    /// 公开渠道和载体.
    pub channels: Option<Vec<String>>,
    /// 公开对象.
    pub audience: Option<Audience>,
    /// 公开方式.
    pub mode: Option<Mode>,
    /// 公开层级, in the spec's order.
    pub levels: Option<Vec<Level>>,
    /// Local columns, by heading.
    pub extra: BTreeMap<String, String>,
}

/// The columns that can give an item's 公开层级.
pub const LEVEL_FIELDS: &[Field] = &[
    Field::Levels,
    Field::LevelCounty,
    Field::LevelTownship,
    Field::LevelVillage,
    Field::LevelTownshipVillage,
];

/// Marks that mean "ticked" in a tick column or before a channel name.
const TICKS: [&str; 19] = [
    "√", "✓", "✔", "☑", "●", "■", "▄", "◆", "▲", "★", "█", "▇", "是", "有", "Y", "YES", "V", "✅",
    "对",
];
/// Marks that mean "not ticked".
const BLANKS: [&str; 12] = [
    "", "×", "✗", "否", "无", "N", "NO", "-", "/", "□", "☐", "口",
];
/// Box characters that precede a channel name in a 公开渠道 cell: ticked, then not ticked.
const CHECKED_BOXES: &str = "■▄◆☑√✓✔●▲█▇";
const EMPTY_BOXES: &str = "□☐口◇○◎×";

/// Columns whose blank cells mean "same as above" when the file keeps no merge information (CSV,
/// .ods, .xlsb): a merged cell's text is then in its first row only, and these are the columns
/// districts merge over several items. Tick columns are not among them: a blank tick is "no".
const FILLED_DOWN_IN_CSV: [Field; 8] = [
    Field::Content,
    Field::Basis,
    Field::Deadline,
    Field::Subject,
    Field::Channels,
    Field::Audience,
    Field::Mode,
    Field::Levels,
];

/// Columns every item must fill: an empty cell (after filling down) stops the import.
pub const REQUIRED: [(Field, &str); 4] = [
    (Field::Content, "公开内容"),
    (Field::Basis, "公开依据"),
    (Field::Deadline, "公开时限"),
    (Field::Subject, "公开主体"),
];

/// Reads the data rows under `header`, reporting every doubt into `findings`: each row is
/// classified ([`RowReader::skip`]), filled down where the file keeps no merges, named, and read
/// field by field; the cells filled down are reported once at the end.
pub fn read_items(
    sheet: &Sheet,
    header: &Header,
    place: &Place,
    findings: &mut Vec<Diagnostic>,
) -> Vec<TableItem> {
    let mut reader = RowReader {
        sheet,
        header,
        place,
        has_level1: header.has(&Field::Level1),
        level1_above: None,
        level2_above: None,
        section: None,
        above: BTreeMap::new(),
        filled: BTreeMap::new(),
    };
    let mut items = Vec::new();
    for (r, row) in sheet
        .rows
        .iter()
        .enumerate()
        .take(header.end_row)
        .skip(header.data_row)
    {
        let mut texts: Vec<&str> = row.iter().map(|c| c.trim()).collect();
        if reader.skip(r, row, &texts, findings) {
            continue;
        }
        if !sheet.merges_known {
            reader.fill_down(r, &mut texts);
        }
        let cells = Cells {
            texts: &texts,
            header,
            row: r,
            place,
        };
        if let Some(item) = reader.read_item(&cells, findings) {
            items.push(item);
        }
    }
    reader.report_filled(findings);
    items
}

/// The state carried from row to row while reading a table.
struct RowReader<'a> {
    sheet: &'a Sheet,
    header: &'a Header,
    place: &'a Place,
    /// Whether the table has a 一级事项 column.
    has_level1: bool,
    /// The 一级事项 a blank cell below it stands for.
    level1_above: Option<String>,
    /// The 二级事项 a blank cell beside a 三级事项 stands for.
    level2_above: Option<String>,
    /// A "一、最低生活保障" row across a table without a 一级事项 column.
    section: Option<String>,
    /// The last non-blank text of each filled-down column.
    above: BTreeMap<usize, &'a str>,
    /// The rows filled down, by column.
    filled: BTreeMap<usize, Vec<u32>>,
}

/// One data row's cells, and where they are.
struct Cells<'t> {
    texts: &'t [&'t str],
    header: &'t Header,
    /// 0-based row index.
    row: usize,
    place: &'t Place,
}

impl Cells<'_> {
    /// The place of a cell of this row (or of the row, without a column).
    fn at(&self, col: Option<usize>) -> Place {
        Place {
            row: Some(self.row as u32 + 1),
            col,
            ..self.place.clone()
        }
    }

    /// The text of `field`'s column, if the table has one.
    fn get(&self, field: &Field) -> Option<&str> {
        self.header.column(field).map(|c| self.texts[c])
    }

    /// A tick column's value; an unreadable mark is an error (and reads as not ticked).
    fn ticked(&self, field: &Field, findings: &mut Vec<Diagnostic>, ok: &mut bool) -> Option<bool> {
        let c = self.header.column(field)?;
        match tick(self.texts[c]) {
            Some(t) => Some(t),
            None => {
                findings.push(
                    refused(
                        self.at(Some(c)),
                        format!("无法识别的标记“{}”。", self.texts[c]),
                    )
                    .hint("勾选用 √、✓、●、■ 或“是”，不勾选留空或写“否”。"),
                );
                *ok = false;
                Some(false)
            }
        }
    }
}

impl<'a> RowReader<'a> {
    /// Whether row `r` carries no item: blank, the header repeated, a 一级事项 heading, a notes
    /// row, a section heading or one text across the table (each reported as it deserves).
    fn skip(
        &mut self,
        r: usize,
        row: &[String],
        texts: &[&str],
        findings: &mut Vec<Diagnostic>,
    ) -> bool {
        let header = self.header;
        let at = |col: Option<usize>| Place {
            row: Some(r as u32 + 1),
            col,
            ..self.place.clone()
        };
        let distinct: Vec<&str> = {
            let mut d: Vec<&str> = texts.iter().copied().filter(|t| !t.is_empty()).collect();
            d.dedup();
            d.sort_unstable();
            d.dedup();
            d
        };
        if distinct.is_empty() {
            return true;
        }
        let normalized: Vec<String> = row.iter().map(|c| normalize(c)).collect();
        if header.signature.contains(&normalized) {
            return true; // the header repeated, as in a table copied from a multi-page Word file
        }
        if self.has_level1 && distinct.len() == 1 {
            // Text in the 一级事项 column alone: a merged heading row naming the 一级事项 of the
            // rows below, not an item.
            let level1 = header.column(&Field::Level1).map_or("", |c| texts[c]);
            let matter = [Field::Level2, Field::Matter]
                .iter()
                .filter_map(|f| header.column(f))
                .any(|c| !texts[c].is_empty());
            if !level1.is_empty() && !matter && !is_note(level1) {
                let name = if is_section_heading(level1) {
                    strip_list_number(level1)
                } else {
                    level1
                };
                self.level1_above = Some(name.to_owned());
                findings.push(noted(
                    at(header.column(&Field::Level1)),
                    format!("这一行只有一级事项“{name}”，作为下面各行的一级事项，本身不是事项。"),
                ));
                return true;
            }
        }
        if distinct.len() == 1
            && (is_note(distinct[0])
                || is_section_heading(distinct[0])
                || !is_item_row(header, texts))
        {
            let text = distinct[0];
            if is_note(text) {
                findings.push(noted(
                    at(None),
                    format!("说明行未导入：“{}”。", shorten(text)),
                ));
            } else if self.has_level1 {
                findings.push(
                    doubt(
                        at(None),
                        format!("这一行只有一段文字“{}”，不是事项，未导入。", shorten(text)),
                    )
                    .hint("若它是一级事项，请写在“一级事项”一栏；若是说明，可以忽略这条提示。"),
                );
            } else {
                // "一、最低生活保障" across the table: the 一级事项 of the rows below.
                self.section = Some(strip_list_number(text).to_owned());
            }
            return true;
        }
        false
    }

    /// Blank cells of the columns districts merge take the text above (for files that keep no
    /// merge information), remembering which cells were filled.
    fn fill_down(&mut self, r: usize, texts: &mut [&'a str]) {
        for c in FILLED_DOWN_IN_CSV
            .iter()
            .filter_map(|f| self.header.column(f))
        {
            match self.above.get(&c) {
                Some(text) if texts[c].is_empty() => {
                    texts[c] = text;
                    self.filled.entry(c).or_default().push(r as u32 + 1);
                }
                _ => {
                    self.above.insert(c, texts[c]);
                }
            }
        }
    }

    /// One item from a data row, or `None` when the row has errors.
    fn read_item(&mut self, cells: &Cells, findings: &mut Vec<Diagnostic>) -> Option<TableItem> {
        let (level1, level2, level3) = self.names(cells, findings)?;
        let mut item = TableItem {
            row: cells.row as u32 + 1,
            level1,
            level2,
            level3,
            content: cells.get(&Field::Content).map(str::to_owned),
            basis: cells.get(&Field::Basis).map(str::to_owned),
            deadline: cells.get(&Field::Deadline).map(str::to_owned),
            timing: None,
            subject: cells.get(&Field::Subject).map(str::to_owned),
            channels: None,
            audience: None,
            mode: None,
            levels: None,
            extra: BTreeMap::new(),
        };
        self.check_required(cells, &item, findings);
        read_timing(cells, &mut item, findings);
        let mut ok = true;
        let choices = read_choices(cells, &mut item, findings, &mut ok);
        read_channels_and_extra(cells, &mut item, findings, &mut ok);
        if !ok {
            return None;
        }
        ok = check_chosen(cells, &item, findings);
        report_both_ticked(cells, choices, findings);
        ok.then_some(item)
    }

    /// The row's 一级、二级 and 三级事项, with blanks taken from above where the layout implies
    /// it; `None` (and an error) when the row names no item.
    fn names(
        &mut self,
        cells: &Cells,
        findings: &mut Vec<Diagnostic>,
    ) -> Option<(String, String, Option<String>)> {
        let header = self.header;
        let mut level1 = cells.get(&Field::Level1).unwrap_or("").to_owned();
        let mut level2 = cells
            .get(&Field::Level2)
            .or_else(|| cells.get(&Field::Matter))
            .unwrap_or("")
            .to_owned();
        if self.has_level1 && level1.is_empty() {
            match &self.level1_above {
                Some(above) => level1.clone_from(above),
                None => {
                    findings.push(
                        refused(
                            cells.at(header.column(&Field::Level1)),
                            "一级事项为空，上面也没有可沿用的一级事项。",
                        )
                        .hint("在这一格填写一级事项；若这一行是上一事项的续行，把内容并入上一行。"),
                    );
                    return None;
                }
            }
        }
        if !self.has_level1 {
            level1 = self.section.clone().unwrap_or_else(|| level2.clone());
        }
        let level3 = cells.get(&Field::Level3).map(str::to_owned);
        if level2.is_empty()
            && level3.as_ref().is_some_and(|l| !l.is_empty())
            && let Some(above) = &self.level2_above
        {
            // A 二级事项 merged over its 三级事项 rows: the text is in the first row only.
            level2.clone_from(above);
        }
        if level2.is_empty() {
            let column = header
                .column(&Field::Level2)
                .or(header.column(&Field::Matter));
            if self.has_level1
                && !cells.texts[header.column(&Field::Level1).unwrap_or(0)].is_empty()
            {
                findings.push(doubt(
                    cells.at(column),
                    format!("二级事项为空，按一级事项“{level1}”作为事项名称导入。"),
                ));
                level2.clone_from(&level1);
            } else {
                findings.push(
                    refused(
                        cells.at(column),
                        "这一行有内容，但没有事项名称（二级事项为空）。",
                    )
                    .hint("填写二级事项；若这一行是上一事项的续行，把内容并入上一行。"),
                );
                return None;
            }
        }
        self.level1_above = Some(level1.clone());
        self.level2_above = Some(level2.clone());
        Some((level1, level2, level3))
    }

    /// An empty required cell is an error (a formula without a saved value is reported as such
    /// elsewhere).
    fn check_required(&self, cells: &Cells, item: &TableItem, findings: &mut Vec<Diagnostic>) {
        for (field, what) in &REQUIRED {
            let Some(c) = self.header.column(field) else {
                continue;
            };
            let formula = self
                .sheet
                .layout
                .formulas_without_value
                .contains(&(cells.row, c));
            if cells.texts[c].is_empty() && !formula {
                findings.push(
                    refused(
                        cells.at(Some(c)),
                        format!("“{}”一行的{what}为空。", item.level2),
                    )
                    .hint(format!(
                        "在这一格填写{what}；若与上一行相同，照抄上一行的内容（或在 Excel 中把这几格合并）。"
                    )),
                );
            }
        }
    }

    /// The note naming the cells filled down, if any were.
    fn report_filled(&self, findings: &mut Vec<Diagnostic>) {
        if self.filled.is_empty() {
            return;
        }
        let cells: Vec<String> = self
            .filled
            .iter()
            .map(|(&c, rows)| {
                let name = self.header.fields[c]
                    .as_ref()
                    .and_then(|f| REQUIRED.iter().find(|(r, _)| r == f).map(|(_, w)| *w))
                    .map(|w| format!("（{w}）"))
                    .unwrap_or_default();
                format!(
                    "{} 列{name}第 {} 行",
                    super::column_letter(c),
                    row_list(rows)
                )
            })
            .collect();
        findings.push(noted(
            self.place.clone(),
            format!(
                "这些空白单元格沿用了上一行的内容：{}。这个文件不记录合并单元格（Excel 另存为 CSV 时合并单元格只保留第一格）。",
                cells.join("；")
            ),
        ));
    }
}

/// What the 公开时限 means for the audit; a time limit it cannot read is a warning.
fn read_timing(cells: &Cells, item: &mut TableItem, findings: &mut Vec<Diagnostic>) {
    let Some(text) = &item.deadline else {
        return;
    };
    item.timing = deadline::parse(text);
    if item.timing.is_none() && !text.is_empty() {
        findings.push(
            doubt(
                cells.at(cells.header.column(&Field::Deadline)),
                format!(
                    "公开时限“{text}”{}，审计按原有设置（新事项按 20 个工作日）计算。",
                    deadline::why_unclear(text)
                ),
            )
            .hint("导入后可在该事项中写 cadence（如 \"quarterly\"）和 limit_days，使审计与实际要求一致。"),
        );
    }
}

/// The tick pairs whose both ticks are reported: (全社会, 特定群体) and (主动, 依申请).
type TickPairs = [(Option<bool>, Option<bool>); 2];

/// 公开对象, 公开方式 and 公开层级 from tick columns or text columns.
fn read_choices(
    cells: &Cells,
    item: &mut TableItem,
    findings: &mut Vec<Diagnostic>,
    ok: &mut bool,
) -> TickPairs {
    // 公开对象
    let public = cells.ticked(&Field::AudiencePublic, findings, ok);
    let group = cells.ticked(&Field::AudienceGroup, findings, ok);
    item.audience = choose(
        [(public, Audience::Public), (group, Audience::Group)],
        cells
            .get(&Field::Audience)
            .map(|t| Audience::from_chinese(&normalize(t))),
    );
    // 公开方式
    let active = cells.ticked(&Field::ModeActive, findings, ok);
    let request = cells.ticked(&Field::ModeRequest, findings, ok);
    item.mode = choose(
        [(active, Mode::Active), (request, Mode::OnRequest)],
        cells
            .get(&Field::Mode)
            .map(|t| Mode::from_chinese(&normalize(t))),
    );
    // 公开层级
    let level_ticks = [
        (
            cells.ticked(&Field::LevelCounty, findings, ok),
            &[Level::County][..],
        ),
        (
            cells.ticked(&Field::LevelTownship, findings, ok),
            &[Level::Township][..],
        ),
        (
            cells.ticked(&Field::LevelVillage, findings, ok),
            &[Level::Village][..],
        ),
        (
            cells.ticked(&Field::LevelTownshipVillage, findings, ok),
            &[Level::Township, Level::Village][..],
        ),
    ];
    item.levels = if level_ticks.iter().any(|(t, _)| t.is_some()) {
        let mut levels: Vec<Level> = Vec::new();
        for (_, named) in level_ticks.iter().filter(|(t, _)| *t == Some(true)) {
            levels.extend(named.iter().copied());
        }
        // In the spec's order: county, township, village.
        levels.sort();
        levels.dedup();
        Some(levels)
    } else {
        cells.get(&Field::Levels).map(levels_text)
    };
    [(public, group), (active, request)]
}

/// 公开渠道和载体 (a boxes cell or one tick column per channel) and the local columns.
fn read_channels_and_extra(
    cells: &Cells,
    item: &mut TableItem,
    findings: &mut Vec<Diagnostic>,
    ok: &mut bool,
) {
    let header = cells.header;
    let texts = cells.texts;
    let mut channels: Option<Vec<String>> = None;
    if let Some(c) = header.column(&Field::Channels) {
        let parsed = parse_channels(texts[c]);
        if let Some(before) = &parsed.unboxed {
            findings.push(
                doubt(
                    cells.at(Some(c)),
                    format!("方框前的文字“{before}”不属于任何方框，未导入。"),
                )
                .hint("方框写在渠道名称前面，如“■政府网站 □政府公报”。"),
            );
        }
        if parsed.none_ticked {
            findings.push(
                doubt(
                    cells.at(Some(c)),
                    "公开渠道和载体中的方框都没有勾选，这个事项没有导入任何渠道。",
                )
                .hint("在实际使用的渠道前打勾（■ 或 ☑），如“■政府网站 □政府公报”。"),
            );
        }
        if parsed.other_without_text {
            findings.push(doubt(
                cells.at(Some(c)),
                "勾选了“其他”渠道但没有写明是什么，按“其他”导入。",
            ));
        }
        channels = Some(parsed.channels);
    }
    for (c, field) in header.fields.iter().enumerate() {
        if let Some(Field::Channel(name)) = field {
            if cells.ticked(&Field::Channel(name.clone()), findings, ok) == Some(true) {
                channels.get_or_insert_with(Vec::new).push(name.clone());
            }
        } else if let Some(Field::Extra(name)) = field {
            if !texts[c].is_empty() {
                item.extra.insert(name.clone(), texts[c].to_owned());
            }
        } else if field.is_none() && !texts[c].is_empty() {
            findings.push(
                doubt(
                    cells.at(Some(c)),
                    format!("这一列没有表头，其中的“{}”未导入。", shorten(texts[c])),
                )
                .hint("在表头给这一列写上名称（如“责任科室”），它会作为本地栏目保留。"),
            );
        }
    }
    item.channels = channels;
}

/// Whether 公开对象, 公开方式 and 公开层级 are each chosen where the table has their columns;
/// each that is not is an error.
fn check_chosen(cells: &Cells, item: &TableItem, findings: &mut Vec<Diagnostic>) -> bool {
    let groups: [(&str, &[Field], bool, &str); 3] = [
        (
            "公开对象",
            &[Field::Audience, Field::AudiencePublic, Field::AudienceGroup],
            item.audience.is_none(),
            "在“全社会”或“特定群体”一栏打 √。",
        ),
        (
            "公开方式",
            &[Field::Mode, Field::ModeActive, Field::ModeRequest],
            item.mode.is_none(),
            "在“主动”或“依申请”一栏打 √。",
        ),
        (
            "公开层级",
            LEVEL_FIELDS,
            item.levels.as_ref().is_none_or(Vec::is_empty),
            "在“县级”“乡级”（或“乡、村级”）“村级”中适用的栏打 √。",
        ),
    ];
    let mut ok = true;
    for (what, fields, unset, hint) in groups {
        let column = fields.iter().find_map(|f| cells.header.column(f));
        if unset && column.is_some() {
            findings.push(
                refused(
                    cells.at(column),
                    format!("“{}”一行的{what}没有勾选，也无法从文字判断。", item.level2),
                )
                .hint(hint),
            );
            ok = false;
        }
    }
    ok
}

/// Both choices of a pair ticked: the first is taken, with a warning.
fn report_both_ticked(cells: &Cells, pairs: TickPairs, findings: &mut Vec<Diagnostic>) {
    let [(public, group), (active, request)] = pairs;
    if both_ticked(public, group) {
        findings.push(doubt(
            cells.at(cells.header.column(&Field::AudienceGroup)),
            "公开对象“全社会”和“特定群体”都勾选了，按“全社会”导入。",
        ));
    }
    if both_ticked(active, request) {
        findings.push(doubt(
            cells.at(cells.header.column(&Field::ModeRequest)),
            "公开方式“主动”和“依申请”都勾选了，按“主动”导入。",
        ));
    }
}

/// The notes rows (注：…, 说明：…) of a table, as written: they say what the district's
/// catalogue is, so they become the domain's notes.
pub fn table_notes(sheet: &Sheet, header: &Header) -> Vec<String> {
    sheet
        .rows
        .iter()
        .take(header.end_row)
        .skip(header.data_row)
        .filter_map(|row| {
            let mut texts: Vec<&str> = row
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            texts.dedup();
            (texts.len() == 1 && is_note(texts[0])).then(|| texts[0].to_owned())
        })
        .collect()
}

/// Row numbers for people, runs shortened: 3、4、5、9 → 3–5、9.
pub fn row_list(rows: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &r in rows {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == r => *end = r,
            _ => runs.push((r, r)),
        }
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn both_ticked(a: Option<bool>, b: Option<bool>) -> bool {
    a == Some(true) && b == Some(true)
}

/// The first ticked choice from tick columns, else what a text column says.
fn choose<T: Copy>(ticks: [(Option<bool>, T); 2], text: Option<Option<T>>) -> Option<T> {
    if ticks.iter().any(|(t, _)| t.is_some()) {
        return ticks
            .iter()
            .find(|(t, _)| *t == Some(true))
            .map(|(_, v)| *v);
    }
    text.flatten()
}

/// Whether a row carries an item (its 事项 cell) rather than being one text across the table.
fn is_item_row(header: &Header, texts: &[&str]) -> bool {
    let filled = texts.iter().filter(|t| !t.is_empty()).count();
    let matter = [Field::Level2, Field::Matter]
        .iter()
        .filter_map(|f| header.column(f))
        .any(|c| !texts[c].is_empty());
    // A merged cell across the whole row repeats one text in every column.
    matter && filled < texts.len().max(2)
}

/// "一、最低生活保障", "（二）临时救助": a heading over the rows below, not an item.
fn is_section_heading(text: &str) -> bool {
    let t = text.trim_start_matches(['（', '(']);
    let numeral = t
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .count();
    numeral > 0
        && t.chars()
            .nth(numeral)
            .is_some_and(|c| "、）)．.".contains(c))
}

fn is_note(text: &str) -> bool {
    let n = normalize(text);
    ["注", "备注", "说明", "附注", "填表说明", "附件", "注释"]
        .iter()
        .any(|p| n.starts_with(p))
}

/// "一、最低生活保障" → "最低生活保障"; "（二）临时救助" → "临时救助".
fn strip_list_number(text: &str) -> &str {
    let t = text.trim_start_matches(|c: char| {
        "（(）)一二三四五六七八九十0123456789、.．".contains(c) || c.is_whitespace()
    });
    if t.is_empty() { text } else { t }
}

fn shorten(text: &str) -> String {
    let mut s: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        s.push('…');
    }
    s
}

/// Reads a tick cell: `Some(true)` ticked, `Some(false)` blank, `None` not understood.
pub fn tick(text: &str) -> Option<bool> {
    let n = normalize(text).to_uppercase();
    if TICKS.contains(&n.as_str()) {
        Some(true)
    } else if BLANKS.contains(&n.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// The levels a 公开层级 cell written as text names: 县级、乡级; 乡、村级 (the township and its
/// villages); 村（社区）级.
fn levels_text(text: &str) -> Vec<Level> {
    let n = normalize(text).replace("社区", "村");
    let mut levels = Vec::new();
    if n.contains('县') || n.contains('区') {
        levels.push(Level::County);
    }
    if ["乡", "镇", "街道"].iter().any(|w| n.contains(w)) {
        levels.push(Level::Township);
    }
    if n.contains('村') {
        levels.push(Level::Village);
    }
    levels
}

/// Channels read from a 公开渠道和载体 cell.
#[derive(Debug, PartialEq, Eq)]
pub struct Channels {
    /// The ticked (or, without boxes, listed) channels, in the cell's order.
    pub channels: Vec<String>,
    /// "其他" was ticked with nothing written after it.
    pub other_without_text: bool,
    /// Text before the first box, which belongs to no box ("政府网站■ 政府公报□").
    pub unboxed: Option<String>,
    /// The cell has boxes and every one of them is empty.
    pub none_ticked: bool,
}

/// Words that end (or start) with 口 and are not a box: ■政务服务中心窗口, ■口岸.
const KOU_WORDS: [&str; 14] = [
    "窗口", "路口", "入口", "出口", "港口", "门口", "端口", "接口", "人口", "户口", "关口", "渡口",
    "口岸", "口头",
];

/// Reads "■政府网站 □政府公报 ■其他：村务公开栏" (boxes), or "政府网站、公开查阅点" (a list).
pub fn parse_channels(text: &str) -> Channels {
    let chars: Vec<char> = text.chars().collect();
    // 口 is also an ordinary character (窗口). In a cell with other boxes it is a box unless it
    // makes a word with its neighbour; in a cell without, only at the start of a name.
    let other_boxes = chars
        .iter()
        .any(|&c| CHECKED_BOXES.contains(c) || (EMPTY_BOXES.contains(c) && c != '口'));
    let is_box = |i: usize| {
        let c = chars[i];
        if c != '口' {
            return CHECKED_BOXES.contains(c) || EMPTY_BOXES.contains(c);
        }
        let before: String = chars[i.saturating_sub(1)..=i].iter().collect();
        let after: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let in_word =
            i > 0 && KOU_WORDS.contains(&before.as_str()) || KOU_WORDS.contains(&after.as_str());
        let after_gap = i == 0 || chars[i - 1].is_whitespace() || "、，,；;".contains(chars[i - 1]);
        !in_word && (other_boxes || after_gap)
    };
    let mut segments: Vec<(bool, String)> = Vec::new();
    let mut boxed = false;
    let mut unboxed = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if is_box(i) {
            boxed = true;
            segments.push((CHECKED_BOXES.contains(c), String::new()));
        } else if let Some((_, name)) = segments.last_mut() {
            name.push(c);
        } else {
            unboxed.push(c);
        }
    }
    let mut channels = Vec::new();
    let mut other_without_text = false;
    let mut push = |name: &str| {
        let name = name
            .trim()
            .trim_matches(|c: char| "、，,；;。".contains(c) || c.is_whitespace());
        if name.is_empty() {
            return;
        }
        if let Some(rest) = name
            .strip_prefix("其他")
            .or_else(|| name.strip_prefix("其它"))
        {
            let rest = rest
                .trim_start_matches([':', '：', ' '])
                .trim_matches(['_', '＿', ' ']);
            if rest.is_empty() {
                other_without_text = true;
                channels.push("其他".to_owned());
            }
            // "其他：村务公开栏、微信群" names two channels.
            for part in rest.split(['、', '，', ',', '；', ';']).map(str::trim) {
                if !part.is_empty() && !channels.iter().any(|c| c == part) {
                    channels.push(part.to_owned());
                }
            }
        } else if !channels.iter().any(|c| c == name) {
            channels.push(name.to_owned());
        }
    };
    let mut leading = None;
    if boxed {
        let before = unboxed.trim_matches(|c: char| "、，,；;：:".contains(c) || c.is_whitespace());
        if !before.is_empty() {
            leading = Some(before.to_owned());
        }
        for (checked, name) in &segments {
            if *checked {
                push(name);
            }
        }
    } else {
        for name in text.split(|c: char| "、，,；;\n\r\t".contains(c) || c.is_whitespace()) {
            push(name);
        }
    }
    Channels {
        channels,
        other_without_text,
        unboxed: leading,
        none_ticked: boxed && segments.iter().all(|(checked, _)| !checked),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_marks_in_their_real_forms() {
        for t in ["√", "✓", "●", "是", "■", "▄", "◆", " √ ", "y"] {
            assert_eq!(tick(t), Some(true), "{t}");
        }
        for t in ["", " ", "否", "×", "/"] {
            assert_eq!(tick(t), Some(false), "{t}");
        }
        assert_eq!(tick("x?"), None);
    }

    #[test]
    fn channel_boxes_after_copy_paste() {
        let c = parse_channels("■政府网站 □政府公报 ■公开查阅点 □社区/企事业单位/村公示栏(电子屏)");
        assert_eq!(c.channels, vec!["政府网站", "公开查阅点"]);
        let c = parse_channels("▄政府网站 口政府公报 ◆社区/企事业单位/村公示栏(电子屏)");
        assert_eq!(
            c.channels,
            vec!["政府网站", "社区/企事业单位/村公示栏(电子屏)"]
        );
        let c = parse_channels("■政务服务中心窗口 □两微一端");
        assert_eq!(c.channels, vec!["政务服务中心窗口"]);
        let c = parse_channels("■政府网站 ■其他：村务公开栏");
        assert_eq!(c.channels, vec!["政府网站", "村务公开栏"]);
        let c = parse_channels("■其他：村务公开栏、微信群");
        assert_eq!(c.channels, vec!["村务公开栏", "微信群"]);
        let c = parse_channels("●政府网站 ○政府公报 ◎两微一端 ×公开查阅点");
        assert_eq!(c.channels, vec!["政府网站"]);
        assert!(!c.none_ticked);
        let c = parse_channels("○政府网站 ○政府公报");
        assert!(c.channels.is_empty() && c.none_ticked);
        let c = parse_channels("□政府网站 ■其他:____");
        assert_eq!(c.channels, vec!["其他"]);
        assert!(c.other_without_text);
    }

    #[test]
    fn channel_lists_without_boxes() {
        let c = parse_channels("政府网站、公开查阅点；便民服务站");
        assert_eq!(c.channels, vec!["政府网站", "公开查阅点", "便民服务站"]);
    }

    #[test]
    fn levels_and_list_numbers() {
        assert_eq!(
            levels_text("县级、乡级"),
            vec![Level::County, Level::Township]
        );
        assert_eq!(levels_text("乡镇（街道）"), vec![Level::Township]);
        assert_eq!(
            levels_text("县级、乡、村级"),
            vec![Level::County, Level::Township, Level::Village]
        );
        assert_eq!(levels_text("村（社区）级"), vec![Level::Village]);
        assert_eq!(strip_list_number("一、最低生活保障"), "最低生活保障");
        assert_eq!(strip_list_number("（二）临时救助"), "临时救助");
    }
}
