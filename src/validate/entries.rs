//! Entry files: front matter to [`Entry`], with dates, links and the personal-data scan.

use super::fields::*;
use crate::diag::{Code, Diagnostic};
use crate::load::EntryFile;
use crate::model::*;
use crate::source::key_label;
use chrono::NaiveDate;

pub(super) fn entry_model(
    file: &EntryFile,
    unit: &Unit,
    domain: usize,
    item: usize,
    as_of: NaiveDate,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    let meta = &file.meta;
    let r = &meta.raw;
    let before = diags.len();
    let title = non_empty(meta, "title", &r.title, diags);
    let created = entry_date(meta, "created", &r.created, diags);
    let published = entry_date(meta, "published", &r.published, diags);
    let updated = r
        .updated
        .as_ref()
        .and_then(|u| entry_date(meta, "updated", u, diags));
    let expires = r
        .expires
        .as_ref()
        .and_then(|u| entry_date(meta, "expires", u, diags));
    let validity = match &r.validity {
        None => Some(Validity::Valid),
        Some(v) => Validity::parse(v.get_ref()).or_else(|| {
            diags.push(enum_error(
                meta,
                "validity",
                v,
                &["valid", "expired", "repealed"],
            ));
            None
        }),
    };
    for (key, value) in [
        ("doc_no", &r.doc_no),
        ("index_no", &r.index_no),
        ("publisher", &r.publisher),
        ("topic", &r.topic),
        ("summary", &r.summary),
        ("privacy_exception", &r.privacy_exception),
    ] {
        if let Some(value) = value {
            control_characters(meta, key, value, diags);
        }
    }
    let effective = r
        .effective
        .as_ref()
        .and_then(|u| entry_date(meta, "effective", u, diags));
    let repealed_on = r
        .repealed_on
        .as_ref()
        .and_then(|u| entry_date(meta, "repealed_on", u, diags));
    let consultation = r.consultation.as_ref().and_then(|c| {
        let raw = c.get_ref();
        let opens = entry_date(meta, "opens", &raw.opens, diags)?.0;
        let closes = entry_date(meta, "closes", &raw.closes, diags)?.0;
        if closes < opens {
            diags.push(
                Diagnostic::new(
                    Code::DateOrder,
                    format!("征求意见截止日期 closes（{closes}）早于开始日期 opens（{opens}）。"),
                )
                .at(&meta.source, meta.line(&raw.closes))
                .hint("检查两个日期是否填反；征求意见期限一般不少于 30 日。"),
            );
        }
        Some(Consultation { opens, closes })
    });
    let names = RelationNames {
        interprets: r
            .interprets
            .as_ref()
            .map(|v| index_no_list(meta, "interprets", v, diags))
            .unwrap_or_default(),
        responds_to: r
            .responds_to
            .as_ref()
            .and_then(|v| one_index_no(meta, "responds_to", v, diags)),
        consulted_in: r
            .consulted_in
            .as_ref()
            .and_then(|v| one_index_no(meta, "consulted_in", v, diags)),
        replaces: r
            .replaces
            .as_ref()
            .map(|v| index_no_list(meta, "replaces", v, diags))
            .unwrap_or_default(),
    };
    let keywords: Vec<String> = r
        .keywords
        .as_ref()
        .map(|k| {
            k.get_ref()
                .iter()
                .map(|w| w.trim().to_owned())
                .filter(|w| !w.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let index_no = r.index_no.as_ref().map(|n| n.get_ref().trim().to_owned());
    if let Some(n) = &r.index_no
        && (n.get_ref().trim().is_empty() || n.get_ref().contains(char::is_whitespace))
    {
        diags.push(
            schema(meta, meta.line(n), "索引号 index_no 不能为空或含有空格。")
                .hint(format!("格式为 <机构代码>/<年份>-<5位序号>，如 \"{}/2024-00001\"；不确定时删除这一行，由系统自动编号。", unit.org_code)),
        );
    }
    let (Some((created, _)), Some((published, published_time)), Some(validity)) =
        (created, published, validity)
    else {
        return None;
    };
    if published < created {
        diags.push(
            Diagnostic::new(
                Code::DateOrder,
                format!("发布日期 published（{published}）早于成文日期 created（{created}）。"),
            )
            .at(&meta.source, meta.line(&r.published))
            .hint("信息要先形成再发布：检查两个日期是否填反或写错年份。"),
        );
    }
    if let (Some((u, _)), Some(raw)) = (updated.as_ref(), r.updated.as_ref())
        && *u < published
    {
        diags.push(
            Diagnostic::new(
                Code::DateOrder,
                format!("变更日期 updated（{u}）早于发布日期 published（{published}）。"),
            )
            .at(&meta.source, meta.line(raw))
            .hint("变更日期是发布之后内容变化的日期；没有变更请删除 updated 这一行。"),
        );
    }
    for (key, date, raw) in [
        ("published", Some(published), Some(&r.published)),
        ("updated", updated.as_ref().map(|u| u.0), r.updated.as_ref()),
    ] {
        if let (Some(date), Some(raw)) = (date, raw)
            && date > as_of
        {
            diags.push(
                schema(
                    meta,
                    meta.line(raw),
                    format!(
                        "`{key}`{} 为 {date}，晚于核查日期 {as_of}：还没到的日期不能作为已发布。",
                        key_label(key)
                    ),
                )
                .hint("检查日期是否写错；尚未发布的条目先不要放进目录。"),
            );
        }
    }
    let lines = EntryLines {
        published: meta.line(&r.published),
        updated: r.updated.as_ref().map(|u| meta.line(u)),
        expires: r.expires.as_ref().map(|u| meta.line(u)),
        validity: r.validity.as_ref().map(|u| meta.line(u)),
        index_no: r.index_no.as_ref().map(|u| meta.line(u)),
        normative: r.normative.as_ref().map(|u| meta.line(u)),
        interprets: r.interprets.as_ref().map(|u| meta.line(u)),
        consultation: r.consultation.as_ref().map(|u| meta.line(u)),
        responds_to: r.responds_to.as_ref().map(|u| meta.line(u)),
        consulted_in: r.consulted_in.as_ref().map(|u| meta.line(u)),
        replaces: r.replaces.as_ref().map(|u| meta.line(u)),
    };
    // The body is parsed once here, for every check below.
    let (parsed, body_problems) = super::body::parse_and_check(file.body());
    // Nesting too deep is reported alone: the links are not checked in such a body.
    let too_deep = body_problems
        .iter()
        .any(super::body::BodyProblem::is_too_deep);
    for problem in body_problems {
        let (message, hint) = problem.message_and_hint();
        diags.push(
            Diagnostic::new(Code::Syntax, message)
                .at(&meta.source, file.body_line + problem.line() - 1)
                .hint(hint),
        );
    }
    let depth = 3 + unit.path.split('/').count() + usize::from(file.in_folder);
    let links = match &parsed {
        Some(parsed) if !too_deep => super::links::unsafe_links(parsed, depth),
        _ => Vec::new(),
    };
    for link in links {
        diags.push(
            Diagnostic::new(
                Code::UnsafePath,
                format!("链接“{}”{}，已拒绝。", link.target, link.why),
            )
            .at(&meta.source, file.body_line + link.line - 1)
            .hint("附件请放进条目文件夹（<条目>/index.md 旁边），用 [名称](文件名) 链接；外部网页写完整的 https:// 地址。"),
        );
    }
    let exception = r
        .privacy_exception
        .as_ref()
        .map(|e| e.get_ref().as_str())
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if exception.is_none() {
        crate::privacy::scan_entry(
            &meta.source.display,
            &meta.source.text,
            parsed.as_ref(),
            file.body_line,
            diags,
        );
        for attachment in &file.attachments {
            crate::privacy::scan_attachment(&attachment.path, &attachment.name, limits, diags);
        }
    }
    let body = Body::new(file.body().to_owned(), file.body_at);
    let entry = Entry {
        domain,
        item,
        slug: file.slug.clone(),
        source: meta.source.display.clone(),
        lines,
        body_line: file.body_line,
        title,
        created,
        published,
        published_time,
        updated: updated.map(|u| u.0),
        doc_no: text(&r.doc_no),
        index_no: index_no.unwrap_or_default(),
        index_no_derived: false,
        publisher: text(&r.publisher).unwrap_or_else(|| unit.publisher.clone()),
        validity,
        expires: expires.map(|e| e.0),
        topic: text(&r.topic),
        summary: text(&r.summary),
        privacy_exception: r.privacy_exception.as_ref().map(|e| e.get_ref().clone()),
        body,
        attachments: file
            .attachments
            .iter()
            .map(|a| Attachment {
                name: a.name.clone(),
                path: a.path.clone(),
                size: a.size,
            })
            .collect(),
        links: parsed
            .as_ref()
            .map(super::links::relative_links)
            .unwrap_or_default()
            .into_iter()
            .map(|(target, line)| BodyLink {
                target,
                line: file.body_line + line - 1,
            })
            .collect(),
        effective: effective.map(|e| e.0),
        repealed_on: repealed_on.map(|e| e.0),
        keywords,
        normative: r.normative.as_ref().is_some_and(|n| *n.get_ref()),
        consultation,
        names,
        relations: Relations::default(),
        history: EntryHistory::default(),
    };
    let valid = diags.len() == before;
    if let Some(line) = crate::markup::stub_line(file.body()) {
        diags.push(
            Diagnostic::new(
                Code::StubBody,
                "正文还是 gongkai new 生成的模板文字，没有写成真正的内容。",
            )
            .at(&meta.source, file.body_line + line - 1)
            .hint("把“在这里写正文。……”这一行换成信息的正文；还没有内容的信息先不要放进目录。"),
        );
    }
    valid.then_some(entry)
}

/// One 索引号 named by a relation key: trimmed, not empty, without spaces.
fn one_index_no(
    meta: &crate::load::Loaded<crate::load::raw::RawEntryMeta>,
    key: &str,
    value: &toml::Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    checked_index_no(meta, key, value.get_ref(), meta.line(value), diags)
}

/// A relation key's list of 索引号 (a single quoted 索引号 is taken as a list of one).
fn index_no_list(
    meta: &crate::load::Loaded<crate::load::raw::RawEntryMeta>,
    key: &str,
    value: &toml::Spanned<toml::Value>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let line = meta.line(value);
    let texts: Vec<&str> = match value.get_ref() {
        toml::Value::String(s) => vec![s.as_str()],
        toml::Value::Array(list) if list.iter().all(toml::Value::is_str) => {
            list.iter().filter_map(toml::Value::as_str).collect()
        }
        other => {
            diags.push(
                schema(
                    meta,
                    line,
                    format!(
                        "`{key}`{} 应是索引号的列表，这里写的是{}。",
                        key_label(key),
                        other.type_str()
                    ),
                )
                .hint(format!(
                    "写成 {key} = [\"<机构代码>/2024-00001\"]，多个索引号用逗号隔开。"
                )),
            );
            return Vec::new();
        }
    };
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        if let Some(n) = checked_index_no(meta, key, text, line, diags)
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    out
}

fn checked_index_no(
    meta: &crate::load::Loaded<crate::load::raw::RawEntryMeta>,
    key: &str,
    text: &str,
    line: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let n = text.trim();
    if n.is_empty() || n.contains(char::is_whitespace) {
        diags.push(
            schema(
                meta,
                line,
                format!(
                    "`{key}`{} 中的索引号“{n}”不能为空或含有空格。",
                    key_label(key)
                ),
            )
            .hint("照抄对方条目页面上“索引号”一栏的内容，如 \"114400000000000000/2024-00001\"。"),
        );
        return None;
    }
    Some(n.to_owned())
}
