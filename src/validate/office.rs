//! `[office]` in `unit.toml`: the 政府信息公开工作机构 its 指南 and 依申请公开 pages name.
//! Malformed values are errors; keys 条例 art. 12 asks for and the unit leaves out are one
//! `office-incomplete` warning ([`incomplete`]), for the units that have an office of their own.

use super::fields::{control_characters, schema, text, toml_date};
use crate::diag::{Code, Diagnostic};
use crate::load::Loaded;
use crate::load::raw::{RawOffice, RawUnit};
use crate::model::Office;
use toml::Spanned;

/// The unit's office, its address, phone and hours filled from the unit's own keys when
/// `[office]` leaves them out. Malformed values are reported to `errors`.
pub(super) fn office(file: &Loaded<RawUnit>, errors: &mut Vec<Diagnostic>) -> Office {
    let r = &file.raw;
    let unit_text = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let empty = RawOffice {
        name: None,
        address: None,
        postcode: None,
        hours: None,
        phone: None,
        fax: None,
        email: None,
        website: None,
        form_url: None,
        notes: None,
        updated: None,
    };
    let raw = r.office.as_ref().unwrap_or(&empty);
    let value = |key: &str, v: &Option<Spanned<String>>, errors: &mut Vec<Diagnostic>| {
        if let Some(v) = v {
            control_characters(file, key, v, errors);
        }
        text(v).map(|s| s.trim().to_owned())
    };
    let mut office = Office {
        name: value("name", &raw.name, errors),
        address: value("address", &raw.address, errors).or_else(|| unit_text(&r.address)),
        postcode: value("postcode", &raw.postcode, errors),
        hours: value("hours", &raw.hours, errors).or_else(|| unit_text(&r.hours)),
        phone: value("phone", &raw.phone, errors).or_else(|| unit_text(&r.phone)),
        fax: value("fax", &raw.fax, errors),
        email: value("email", &raw.email, errors),
        website: web_address(file, "website", &raw.website, errors),
        form_url: web_address(file, "form_url", &raw.form_url, errors),
        notes: value("notes", &raw.notes, errors),
        updated: None,
    };
    if let (Some(email), Some(v)) = (&office.email, &raw.email)
        && !is_email(email)
    {
        errors.push(
            schema(
                file,
                file.line(v),
                format!("[office] 的电子邮箱 email = \"{email}\" 不是邮箱地址。"),
            )
            .hint("写成 gongkai@example.gov.cn 的形式；没有邮箱时删去这一行。"),
        );
        office.email = None;
    }
    if let Some(v) = &raw.postcode
        && let Some(code) = &office.postcode
        && !(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()))
    {
        errors.push(
            schema(
                file,
                file.line(v),
                format!("[office] 的邮政编码 postcode = \"{code}\" 应是 6 位数字。"),
            )
            .hint("如 postcode = \"999001\"。"),
        );
    }
    if let Some(v) = &raw.updated {
        match toml_date(v.get_ref()) {
            Ok((date, _)) => office.updated = Some(date),
            Err(why) => errors.push(
                schema(
                    file,
                    file.line(v),
                    format!("[office] 的修订日期 updated 无效：{why}。"),
                )
                .hint("写成 updated = 2026-01-05（不加引号）。"),
            ),
        }
    }
    office
}

/// The `office-incomplete` warning for the unit at `path`, if its office leaves out keys
/// 条例 art. 12 asks the 指南 to give.
pub(super) fn incomplete(
    path: &str,
    file: &Loaded<RawUnit>,
    office: &Office,
) -> Option<Diagnostic> {
    let missing = office.missing();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<&str> = missing.iter().map(|(_, name)| *name).collect();
    let keys: Vec<&str> = missing.iter().map(|(key, _)| *key).collect();
    let warning = Diagnostic::new(
        Code::OfficeIncomplete,
        format!("政府信息公开指南缺少公开工作机构的{}。", names.join("、")),
    )
    .scope(Some(path), None, None)
    .hint(format!(
        "在 unit.toml 的 [office] 表中写上 {}（《政府信息公开条例》第十二条要求指南载明）。",
        keys.join("、")
    ))
    .in_file(&file.source.display);
    Some(warning)
}

/// An optional `https://` or `http://` address (a link on the pages: nothing else may be one).
fn web_address(
    file: &Loaded<RawUnit>,
    key: &str,
    value: &Option<Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let v = value.as_ref()?;
    let url = v.get_ref().trim();
    if url.is_empty() {
        return None;
    }
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    if !ok {
        errors.push(
            schema(
                file,
                file.line(v),
                format!(
                    "[office] 的 {key} 应是以 https:// 或 http:// 开头的完整网址，现在是“{url}”。"
                ),
            )
            .hint("从浏览器地址栏复制完整网址；不需要时删去这一行。"),
        );
        return None;
    }
    Some(url.to_owned())
}

/// Whether `s` looks like one e-mail address (a link target `mailto:` is made of).
fn is_email(s: &str) -> bool {
    let Some((local, host)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@._+-".contains(c))
        && !host.contains('@')
}

#[cfg(test)]
mod tests {
    use super::is_email;

    #[test]
    fn emails() {
        assert!(is_email("gongkai@example.gov.cn"));
        assert!(!is_email("gongkai@example"));
        assert!(!is_email("a@b@c.cn"));
        assert!(!is_email("javascript:alert(1)@x.cn"));
    }
}
