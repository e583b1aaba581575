//! Finding a catalogue table's header in a sheet and deciding what each column holds. Tables come
//! with one or two header rows (公开事项 → 一级事项/二级事项, 公开对象 → 全社会/特定群体, …), an
//! optional title row above, and many wordings of the same heading; headings are compared after
//! NFKC normalisation with spaces, line breaks and brackets removed.

use crate::tabular::Sheet;
use unicode_normalization::UnicodeNormalization;

/// What a column of the table holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// 序号: not carried over.
    Serial,
    /// 一级事项.
    Level1,
    /// 二级事项.
    Level2,
    /// 三级事项, in tables that split a 二级事项 further.
    Level3,
    /// A single 公开事项 column, in tables with no 一级/二级 split.
    Matter,
    /// 公开内容（要素）.
    Content,
    /// 公开依据.
    Basis,
    /// 公开时限.
    Deadline,
    /// 公开主体.
    Subject,
    /// 公开渠道和载体, as one cell of text or tick boxes.
    Channels,
    /// One channel's own tick column under 公开渠道和载体, named by its sub-heading.
    Channel(String),
    /// 公开对象 written as text.
    Audience,
    /// 公开对象 → 全社会 tick column.
    AudiencePublic,
    /// 公开对象 → 特定群体 tick column.
    AudienceGroup,
    /// 公开方式 written as text.
    Mode,
    /// 公开方式 → 主动 tick column.
    ModeActive,
    /// 公开方式 → 依申请 tick column.
    ModeRequest,
    /// 公开层级 written as text.
    Levels,
    /// 公开层级 → 县级 tick column.
    LevelCounty,
    /// 公开层级 → 乡级 tick column.
    LevelTownship,
    /// 公开层级 → 村级 tick column.
    LevelVillage,
    /// 公开层级 → 乡、村级 tick column: one column for the township and its villages.
    LevelTownshipVillage,
    /// A local column, kept in the item's `extra` under this heading.
    Extra(String),
}

/// Where a table's header is and what each column means.
#[derive(Debug, Clone)]
pub struct Header {
    /// Text above the header (the table's title), if any.
    pub title: Option<String>,
    /// Index of the table's first row (its title's, or the sheet's first for the first table).
    pub top: usize,
    /// Index of the header's first row.
    pub header_row: usize,
    /// Index of the first data row.
    pub data_row: usize,
    /// Index of the row after the table's last: the sheet's end, or where a second table stacked
    /// under this one starts (its title).
    pub end_row: usize,
    /// Each column's meaning, by column index; `None` for a column with no heading.
    pub fields: Vec<Option<Field>>,
    /// The header rows' cell texts, normalised, to recognise a repeated header further down.
    pub signature: Vec<Vec<String>>,
    /// Sub-headings under standard group headings that were not understood.
    pub unknown_sub_headings: Vec<UnknownSubHeading>,
    /// The column of a 市级 sub-heading under 公开层级 read as the county level: a city without
    /// counties (不设区的市) is the level above its towns.
    pub city_as_county: Option<usize>,
}

impl Header {
    /// The column index holding `field`, if the table has one.
    pub fn column(&self, field: &Field) -> Option<usize> {
        self.fields.iter().position(|f| f.as_ref() == Some(field))
    }

    /// Whether any column holds `field`.
    pub fn has(&self, field: &Field) -> bool {
        self.column(field).is_some()
    }
}

/// Text for comparing: NFKC, without whitespace, brackets, or list punctuation.
pub fn normalize(text: &str) -> String {
    text.nfkc()
        .filter(|c| !c.is_whitespace() && !"()（）[]【】、，,:：*＊".contains(*c))
        .collect()
}

/// A heading's text for people: line breaks removed, surrounding spaces trimmed.
pub fn clean_heading(text: &str) -> String {
    let joined: String = text.lines().map(str::trim).collect();
    joined.trim().to_owned()
}

/// Looks for the header in the first rows of a sheet; `None` when the sheet holds no table.
pub fn find(sheet: &Sheet) -> Option<Header> {
    find_from(sheet, 0)
}

/// Looks for a header in the 20 rows from `start` (a table stacked under another starts at its
/// title); the title is the text from `start` to the header.
pub fn find_from(sheet: &Sheet, start: usize) -> Option<Header> {
    let first_row = start
        + sheet
            .rows
            .iter()
            .skip(start)
            .take(20)
            .position(|row| is_header_row(row))?;
    let top = &sheet.rows[first_row];
    let sub = sheet
        .rows
        .get(first_row + 1)
        .filter(|row| is_sub_header_row(top, row));
    let data_row = first_row + if sub.is_some() { 2 } else { 1 };

    let mut fields: Vec<Option<Field>> = Vec::with_capacity(top.len());
    let mut group = String::new();
    let mut unknown_sub_headings = Vec::new();
    for (c, cell) in top.iter().enumerate() {
        let below = sub.map(|row| row[c].as_str()).unwrap_or("");
        // A group heading over several sub-columns is written once in CSV (merged in Excel).
        if !cell.trim().is_empty() {
            group = cell.clone();
        } else if below.trim().is_empty() {
            group.clear();
        }
        let heading = if cell.trim().is_empty() { &group } else { cell };
        let mut field = classify(heading, below);
        if let Some(Field::Extra(name)) = &field
            && sub.is_some()
            && !normalize(below).is_empty()
            && (top_field(&normalize(heading)).is_some()
                || sub_field(&normalize(heading)).is_some())
        {
            unknown_sub_headings.push(UnknownSubHeading {
                col: c,
                group: clean_heading(heading),
                sub: clean_heading(below),
                extra: name.clone(),
            });
        }
        let label = match (clean_heading(heading), clean_heading(below)) {
            (h, b) if b.is_empty() || b == h => h,
            (h, b) if h.is_empty() => b,
            (h, b) => format!("{h}/{b}"),
        };
        let label = if label.is_empty() {
            format!("第 {} 列", super::column_letter(c))
        } else {
            label
        };
        // The same meaning twice: the later column is kept as a local column, not lost.
        if let Some(f) = &field
            && !matches!(f, Field::Extra(_) | Field::Serial)
            && fields.contains(&field)
        {
            field = Some(Field::Extra(label.clone()));
        }
        // Two local columns with one heading ("备注" twice) stay apart: 备注, 备注（2）.
        if let Some(Field::Extra(name)) = &field {
            let mut unique = name.clone();
            let mut n = 2;
            while fields.contains(&Some(Field::Extra(unique.clone()))) {
                unique = format!("{name}（{n}）");
                n += 1;
            }
            field = Some(Field::Extra(unique));
        }
        fields.push(field);
    }
    // Everything above the header (a "附件1" line, then the title) names the table.
    let above: Vec<&str> = sheet.rows[start..first_row]
        .iter()
        .flat_map(|row| row.iter())
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let title = (!above.is_empty()).then(|| {
        let mut parts = above.clone();
        parts.dedup();
        parts.join(" ")
    });
    let signature = sheet.rows[first_row..data_row]
        .iter()
        .map(|row| row.iter().map(|c| normalize(c)).collect())
        .collect();
    // 市级 under 公开层级 in a table without a 县级 column: a city without counties, whose own
    // level is the county's. Beside a 县级 column it stays a level gongkai does not know.
    let mut city_as_county = None;
    if !fields.contains(&Some(Field::LevelCounty))
        && let Some(k) = unknown_sub_headings.iter().position(|u| {
            top_field(&normalize(&u.group)) == Some(Field::Levels)
                && matches!(normalize(&u.sub).as_str(), "市级" | "市" | "市本级")
        })
    {
        let u = unknown_sub_headings.remove(k);
        fields[u.col] = Some(Field::LevelCounty);
        city_as_county = Some(u.col);
    }
    // A later column with the same meaning was renamed above; keep the name it got.
    for u in &mut unknown_sub_headings {
        if let Some(Some(Field::Extra(name))) = fields.get(u.col) {
            u.extra.clone_from(name);
        }
    }
    Some(Header {
        title,
        top: start,
        header_row: first_row,
        data_row,
        end_row: sheet.rows.len(),
        fields,
        signature,
        unknown_sub_headings,
        city_as_county,
    })
}

/// Every table in a sheet: usually one; several when tables are stacked, each with its title
/// and header under a blank row after the rows of the one above. A header repeated straight
/// after data rows (a table copied from a multi-page Word file) is not a new table.
pub fn find_all(sheet: &Sheet) -> Vec<Header> {
    let mut headers: Vec<Header> = Vec::new();
    let mut start = 0;
    while let Some(mut header) = find_from(sheet, start) {
        let blank = |r: usize| sheet.rows[r].iter().all(|c| c.trim().is_empty());
        let title_row = |r: usize| {
            let mut texts: Vec<&str> = sheet.rows[r]
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            texts.dedup();
            texts.len() == 1 && !is_header_row(&sheet.rows[r])
        };
        let next = (header.data_row + 1..sheet.rows.len())
            .filter(|&r| is_header_row(&sheet.rows[r]))
            .find_map(|r| {
                // The title: up to three rows of a single text each, under a blank row.
                let mut t = r;
                while t > header.data_row && r - t < 3 && title_row(t - 1) {
                    t -= 1;
                }
                // A header under a blank row without a title is a new table too (whose domain
                // then cannot be told), never rows of the table above.
                (t > header.data_row && blank(t - 1)).then_some(t)
            });
        match next {
            Some(t) => {
                header.end_row = t;
                headers.push(header);
                start = t;
            }
            None => {
                headers.push(header);
                break;
            }
        }
    }
    headers
}

/// A header row names the matter (事项) and at least one other standard column.
fn is_header_row(row: &[String]) -> bool {
    let names: Vec<String> = row.iter().map(|c| normalize(c)).collect();
    let matter = names.iter().any(|n| {
        matches!(
            top_field(n),
            Some(Field::Level1 | Field::Level2 | Field::Matter)
        )
    });
    let others = names
        .iter()
        .filter(|n| {
            matches!(
                top_field(n),
                Some(Field::Content | Field::Basis | Field::Deadline | Field::Subject)
            )
        })
        .count();
    matter && others >= 1
}

/// The row under the header is a second header row when most of its cells are sub-headings
/// gongkai knows (一级事项, 全社会, 主动, 县级, …) and, under every single-row heading (公开内容,
/// 公开时限, …), there is nothing but the same heading (a merged cell in Excel) or a blank (in CSV).
/// A sub-heading gongkai does not know (村级 under 公开层级) is tolerated under a group that has a
/// known one beside it. A first data row fails even when it says 全社会 or 主动.
fn is_sub_header_row(top: &[String], row: &[String]) -> bool {
    // Each column's group heading: a heading over several columns is repeated (Excel) or written
    // once (CSV).
    let mut groups: Vec<String> = Vec::with_capacity(top.len());
    for t in top {
        let t = normalize(t);
        let group = if t.is_empty() {
            groups.last().cloned().unwrap_or_default()
        } else {
            t
        };
        groups.push(group);
    }
    let below: Vec<String> = row.iter().map(|b| normalize(b)).collect();
    let is_channels = |g: &str| g.starts_with("公开渠道") || g.starts_with("公开载体");
    // Groups with at least one known sub-heading in this row.
    let known_groups: Vec<&str> = groups
        .iter()
        .zip(&below)
        .filter(|(g, b)| !b.is_empty() && b != g && (sub_field(b).is_some() || is_channels(g)))
        .map(|(g, _)| g.as_str())
        .collect();
    let (mut known, mut unknown) = (0, 0);
    for (group, b) in groups.iter().zip(&below) {
        if b.is_empty() || b == group {
            continue; // merged down from the heading (Excel) or left blank (CSV)
        }
        if sub_field(b).is_some() || is_channels(group) {
            known += 1;
        } else if top_field(group).is_some() || sub_field(group).is_some() {
            if !known_groups.contains(&group.as_str()) {
                return false; // data under a standard heading: this is the first item row
            }
            unknown += 1;
        }
        // Anything under a local group heading (联系方式 → 电话、地址) is a sub-heading too.
    }
    known > 0 && known > unknown
}

/// A sub-heading under a standard group heading that gongkai does not understand (村级 under
/// 公开层级): its column is kept as a local column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSubHeading {
    /// The column (0-based).
    pub col: usize,
    /// The group heading, as written (line breaks removed).
    pub group: String,
    /// The sub-heading, as written.
    pub sub: String,
    /// The local column's name in `extra`.
    pub extra: String,
}

impl UnknownSubHeading {
    /// What gongkai understands under the group, for the message.
    pub fn known(&self) -> &'static str {
        match top_field(&normalize(&self.group)) {
            Some(Field::Audience) => "全社会、特定群体",
            Some(Field::Mode) => "主动、依申请",
            Some(Field::Levels) => {
                "县级、乡级（乡镇、街道）、村级（村、社区）、乡、村级（没有县级一栏时还认识市级）"
            }
            Some(Field::Matter | Field::Level1 | Field::Level2 | Field::Level3) => {
                "一级事项、二级事项、三级事项"
            }
            _ => "与上一行相同的标题",
        }
    }
}

fn classify(heading: &str, below: &str) -> Option<Field> {
    let group = normalize(heading);
    let sub = normalize(below);
    if !sub.is_empty() && sub != group {
        if let Some(field) = sub_field(&sub) {
            return Some(field);
        }
        if group.starts_with("公开渠道") || group.starts_with("公开载体") {
            return Some(Field::Channel(clean_heading(below)));
        }
        return Some(Field::Extra(format!(
            "{}/{}",
            clean_heading(heading),
            clean_heading(below)
        )));
    }
    if group.is_empty() {
        return None;
    }
    Some(
        top_field(&group)
            .or_else(|| sub_field(&group))
            .unwrap_or_else(|| Field::Extra(clean_heading(heading))),
    )
}

/// The meaning of a top-level heading (normalised).
fn top_field(name: &str) -> Option<Field> {
    let field = match name {
        "序号" | "编号" | "序列号" => Field::Serial,
        "一级事项" | "公开事项一级事项" => Field::Level1,
        "二级事项" | "公开事项二级事项" => Field::Level2,
        "三级事项" | "公开事项三级事项" => Field::Level3,
        "公开事项" | "事项名称" | "公开事项名称" | "事项" => Field::Matter,
        "公开依据" | "依据" => Field::Basis,
        "公开时限" | "时限" | "公开时间" => Field::Deadline,
        "公开主体" | "责任主体" => Field::Subject,
        "公开对象" => Field::Audience,
        "公开方式" => Field::Mode,
        "公开层级" | "层级" => Field::Levels,
        n if n.starts_with("公开内容") => Field::Content,
        n if n.starts_with("公开渠道") || n.starts_with("公开载体") => Field::Channels,
        _ => return None,
    };
    Some(field)
}

/// The meaning of a sub-heading under 公开事项, 公开对象, 公开方式 or 公开层级 (normalised).
fn sub_field(name: &str) -> Option<Field> {
    let field = match name {
        "一级事项" | "一级" | "一级事项名称" => Field::Level1,
        "二级事项" | "二级" | "二级事项名称" => Field::Level2,
        "三级事项" | "三级" | "三级事项名称" => Field::Level3,
        "全社会" | "社会公众" | "全社会公众" | "社会公众全社会" => {
            Field::AudiencePublic
        }
        // 特定, 特定群体（个人）, 特定群众, 特定对象: the brackets are gone after normalising.
        n if n.starts_with("特定") => Field::AudienceGroup,
        "主动" | "主动公开" => Field::ModeActive,
        "依申请" | "依申请公开" => Field::ModeRequest,
        n => {
            use crate::model::Level;
            match Level::set_from_chinese(n)?.as_slice() {
                [Level::County] => Field::LevelCounty,
                [Level::Township] => Field::LevelTownship,
                [Level::Village] => Field::LevelVillage,
                _ => Field::LevelTownshipVillage,
            }
        }
    };
    Some(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            merges_known: false,
            visibility_known: true,
            error_cells: Vec::new(),
            layout: Default::default(),
            name: None,
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
                .collect(),
        }
    }

    #[test]
    fn two_header_rows_with_groups_written_once() {
        let s = sheet(&[
            &[
                "某县社会救助领域基层政务公开标准目录",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "序号",
                "公开事项",
                "",
                "公开内容（要素）及要求",
                "公开主\n体",
                "公开对象",
                "",
                "咨询电话",
            ],
            &["", "一级事项", "二级事项", "", "", "全社会", "特定群众", ""],
            &["1", "低保", "政策", "文件", "民政局", "√", "", "123"],
        ]);
        let h = find(&s).expect("header");
        assert_eq!(
            h.title.as_deref(),
            Some("某县社会救助领域基层政务公开标准目录")
        );
        assert_eq!(h.data_row, 3);
        assert_eq!(
            h.fields,
            vec![
                Some(Field::Serial),
                Some(Field::Level1),
                Some(Field::Level2),
                Some(Field::Content),
                Some(Field::Subject),
                Some(Field::AudiencePublic),
                Some(Field::AudienceGroup),
                Some(Field::Extra("咨询电话".into())),
            ]
        );
    }

    #[test]
    fn merged_headings_repeat_in_excel_and_levels_have_many_names() {
        let s = sheet(&[
            &[
                "公开事项",
                "公开时限",
                "公开层级",
                "公开层级",
                "公开方式",
                "公开方式",
            ],
            &[
                "公开事项",
                "公开时限",
                "区县级",
                "乡、村级",
                "主动",
                "依申请公开",
            ],
        ]);
        let h = find(&s).expect("header");
        assert_eq!(
            h.fields,
            vec![
                Some(Field::Matter),
                Some(Field::Deadline),
                Some(Field::LevelCounty),
                Some(Field::LevelTownshipVillage),
                Some(Field::ModeActive),
                Some(Field::ModeRequest),
            ]
        );
    }

    #[test]
    fn only_the_channels_split_into_sub_columns() {
        let s = sheet(&[
            &[
                "序号",
                "公开事项",
                "公开内容",
                "公开渠道和载体",
                "",
                "备注",
                "备注",
            ],
            &["", "", "", "政府网站", "政务新媒体", "", ""],
            &["1", "低保政策", "文件", "√", "", "a", "b"],
        ]);
        let h = find(&s).expect("header");
        assert_eq!(h.data_row, 2);
        assert_eq!(
            h.fields[3..],
            [
                Some(Field::Channel("政府网站".into())),
                Some(Field::Channel("政务新媒体".into())),
                Some(Field::Extra("备注".into())),
                Some(Field::Extra("备注（2）".into())),
            ]
        );
    }

    #[test]
    fn a_first_data_row_saying_all_of_society_is_no_sub_header() {
        let s = sheet(&[
            &["公开事项", "公开内容", "公开对象", "公开方式"],
            &["低保政策", "", "全社会", "主动"],
        ]);
        let h = find(&s).expect("header");
        assert_eq!(h.data_row, 1);
        assert_eq!(h.fields[2], Some(Field::Audience));
    }

    #[test]
    fn unknown_sub_headings_beside_known_ones_keep_the_row_a_header() {
        let s = sheet(&[
            &[
                "公开事项",
                "公开内容",
                "公开对象",
                "公开对象",
                "公开层级",
                "公开层级",
                "公开层级",
            ],
            &[
                "公开事项",
                "公开内容",
                "全社会公众",
                "特定群体（个人）",
                "县级",
                "乡镇（街道）",
                "州级",
            ],
            &["低保政策", "文件", "√", "", "√", "√", ""],
        ]);
        let h = find(&s).expect("header");
        assert_eq!(h.data_row, 2);
        assert_eq!(
            h.fields[2..],
            [
                Some(Field::AudiencePublic),
                Some(Field::AudienceGroup),
                Some(Field::LevelCounty),
                Some(Field::LevelTownship),
                Some(Field::Extra("公开层级/州级".into())),
            ]
        );
        assert_eq!(h.unknown_sub_headings.len(), 1);
        assert_eq!(h.unknown_sub_headings[0].col, 6);
        // Only unknown words under a standard heading: a data row, not a header.
        let s = sheet(&[
            &["公开事项", "公开内容", "公开层级"],
            &["低保政策", "文件", "市级"],
        ]);
        assert_eq!(find(&s).expect("header").data_row, 1);
    }

    #[test]
    fn village_columns_are_understood_alone_and_joined_to_the_township() {
        let s = sheet(&[
            &[
                "一级事项",
                "二级事项",
                "三级事项",
                "公开内容",
                "公开层级",
                "公开层级",
                "公开层级",
            ],
            &[
                "一级事项",
                "二级事项",
                "三级事项",
                "公开内容",
                "县级",
                "镇（街）、村级",
                "村（社区）级",
            ],
            &["政策", "文件", "通知", "文件", "√", "√", ""],
        ]);
        let h = find(&s).expect("header");
        assert_eq!(
            h.fields,
            [
                Some(Field::Level1),
                Some(Field::Level2),
                Some(Field::Level3),
                Some(Field::Content),
                Some(Field::LevelCounty),
                Some(Field::LevelTownshipVillage),
                Some(Field::LevelVillage),
            ]
        );
    }

    #[test]
    fn a_sheet_without_a_table_has_no_header() {
        assert!(find(&sheet(&[&["说明"], &["本工作簿各表为……"]])).is_none());
    }
}
