//! Checks shared by every file kind: required keys, ids (slugs), enum values with the
//! Chinese words clerks write for them, and dates as TOML or as text.

use crate::diag::{Code, Diagnostic};
use crate::load::Loaded;
use crate::load::raw::*;
use crate::model::Level;
use crate::names::closest;
use crate::source::key_label;
use chrono::NaiveDate;
use toml::Spanned;

pub(super) fn schema<T>(file: &Loaded<T>, line: u32, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::Schema, message).at(&file.source, line)
}

/// An optional text value, `None` when blank.
pub(super) fn text(value: &Option<Spanned<String>>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.get_ref())
        .filter(|v| !v.trim().is_empty())
        .cloned()
}

/// Whether a character may not appear in text shown on pages and in feeds: a control character
/// other than tab and line breaks (invisible, and illegal in the XML of the Atom feeds), or one
/// of XML's two non-characters.
fn is_forbidden_in_text(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Reports a control character in the text value of `key`.
pub(super) fn control_characters<T>(
    file: &Loaded<T>,
    key: &str,
    value: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(c) = value.get_ref().chars().find(|&c| is_forbidden_in_text(c)) {
        diags.push(
            schema(
                file,
                file.line(value),
                format!(
                    "`{key}`{} 中有控制字符 U+{:04X}：它看不见，还会让订阅文件（Atom）无法读取。",
                    key_label(key),
                    u32::from(c)
                ),
            )
            .hint("删除这个字符（多是从别处复制文字时带进来的，或写了 \\u0001、\\b 之类的转义）；重新输入这一行的文字即可。"),
        );
    }
}

pub(super) fn non_empty<T>(
    file: &Loaded<T>,
    key: &str,
    value: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    control_characters(file, key, value, diags);
    let text = value.get_ref().trim();
    if text.is_empty() {
        diags.push(
            schema(
                file,
                file.line(value),
                format!("`{key}`{} 不能为空。", key_label(key)),
            )
            .hint(format!("在引号之间填写{}。", key_label(key))),
        );
    }
    text.to_owned()
}

/// True for `[a-z0-9-]+` not starting with `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn enum_error<T>(
    file: &Loaded<T>,
    key: &str,
    value: &Spanned<String>,
    allowed: &[&str],
) -> Diagnostic {
    let v = value.get_ref();
    let list = allowed
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join("、");
    let level = Level::from_chinese(v.trim()).map(Level::as_str);
    let alias = CHINESE_VALUES
        .iter()
        .find(|(zh, _)| v.trim() == *zh)
        .map(|(_, en)| *en)
        .or(level)
        .filter(|en| allowed.contains(en));
    let hint = match alias.or_else(|| closest(v, allowed.iter().copied())) {
        Some(best) => format!("是否想写 \"{best}\"？可选值：{list}。"),
        None => format!("可选值：{list}。"),
    };
    schema(
        file,
        file.line(value),
        format!("`{key}` 的值 \"{v}\" 无效。"),
    )
    .hint(hint)
}

/// Chinese words clerks write for the machine values, to suggest the right one.
/// (Levels are [`Level::from_chinese`]'s.)
pub(super) const CHINESE_VALUES: [(&str, &str); 10] = [
    ("有效", "valid"),
    ("失效", "expired"),
    ("废止", "repealed"),
    ("每月", "monthly"),
    ("每季度", "quarterly"),
    ("每半年", "half-yearly"),
    ("每年", "yearly"),
    ("工作日", "working"),
    ("自然日", "calendar"),
    ("日", "calendar"),
];

/// A TOML date or local date-time as a civil date plus `HH:MM`.
pub(super) fn toml_date(dt: &toml::value::Datetime) -> Result<(NaiveDate, Option<String>), String> {
    if dt.offset.is_some() {
        return Err("不要带时区".into());
    }
    let d = dt.date.ok_or("缺少日期部分")?;
    let date = NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        .ok_or_else(|| format!("{:04}-{:02}-{:02} 这一天不存在", d.year, d.month, d.day))?;
    Ok((
        date,
        dt.time.map(|t| format!("{:02}:{:02}", t.hour, t.minute)),
    ))
}

/// A front-matter date: a TOML date, a local date-time, or a quoted `YYYY-MM-DD`.
pub(super) fn entry_date(
    file: &Loaded<RawEntryMeta>,
    key: &str,
    value: &Spanned<toml::Value>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(NaiveDate, Option<String>)> {
    // A date written as people write dates (2025/6/3 in quotes, 20250603): the exact line.
    let typo = match value.get_ref() {
        toml::Value::String(s) => crate::source::DateTypo::recognise(&format!("\"{}\"", s.trim())),
        toml::Value::Integer(n) => crate::source::DateTypo::recognise(&n.to_string()),
        _ => None,
    };
    if let Some(typo) = typo.filter(|t| t.date().is_none() || !t.quoted || !canonical(&t.written)) {
        let (message, hint) = typo.advice(key);
        diags.push(schema(file, file.line(value), message).hint(hint));
        return None;
    }
    let result = match value.get_ref() {
        toml::Value::Datetime(dt) => toml_date(dt),
        toml::Value::String(s) => match s.trim().parse::<toml::value::Datetime>() {
            Ok(dt) => toml_date(&dt),
            Err(_) => Err(ymd_problem(s.trim())),
        },
        other => Err(format!("这里写的是{}，不是日期", other.type_str())),
    };
    match result {
        Ok(v) => Some(v),
        Err(why) => {
            diags.push(
                schema(
                    file,
                    file.line(value),
                    format!("`{key}`{} 无效：{why}。", key_label(key)),
                )
                .hint(format!("写成 {key} = 2024-03-15（年-月-日，不加引号）。")),
            );
            None
        }
    }
}

/// `"2025-06-03"`: a date in quotes but otherwise as TOML writes it, which entries accept.
fn canonical(written: &str) -> bool {
    let inner = written.trim_matches('"');
    inner.len() == 10 && inner.parse::<toml::value::Datetime>().is_ok()
}

/// Why a `YYYY-MM-DD`-looking string is not a date.
pub(super) fn ymd_problem(s: &str) -> String {
    let parts: Vec<Option<u32>> = s.split('-').map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [Some(_), Some(m), Some(d)] if (1..=12).contains(m) && (1..=31).contains(d) => {
            format!("{s} 这一天不存在")
        }
        _ => format!("“{s}”不是日期"),
    }
}
