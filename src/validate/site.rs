//! `site.toml`: the site's settings.

use super::fields::*;
use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::load::raw::*;
use crate::model::*;
use crate::source::key_label;
use toml::Spanned;

pub(super) fn site(file: &Loaded<RawSite>, diags: &mut Vec<Diagnostic>) -> Option<Site> {
    let raw = &file.raw;
    let before = diags.len();
    let title = non_empty(file, "title", &raw.title, diags);
    let mut base_url = non_empty(file, "base_url", &raw.base_url, diags);
    if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
        diags.push(
            schema(
                file,
                file.line(&raw.base_url),
                format!("网站地址 base_url 应以 https:// 或 http:// 开头，现在是“{base_url}”。"),
            )
            .hint("写完整地址，如 base_url = \"https://www.example.gov.cn/jczwgk/\"。"),
        );
    }
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let site = Site {
        title,
        base_url,
        site_id_code: non_empty(file, "site_id_code", &raw.site_id_code, diags),
        organizer: non_empty(file, "organizer", &raw.organizer, diags),
        icp: non_empty(file, "icp", &raw.icp, diags),
        police_record: raw
            .police_record
            .as_ref()
            .map(|p| p.get_ref().clone())
            .filter(|p| !p.trim().is_empty()),
        theme: raw
            .theme
            .as_ref()
            .map_or("default".to_owned(), |t| t.get_ref().clone()),
        language: raw.language.clone().unwrap_or_else(|| "zh-CN".to_owned()),
        font_dir: raw
            .font_dir
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(std::path::PathBuf::from),
        error_report: raw.error_report.unwrap_or(false),
        active_attachments: raw.active_attachments.unwrap_or(false),
        conac_url: absolute_url(file, "conac_url", raw.conac_url.as_ref(), diags),
        conac_image: absolute_url(file, "conac_image", raw.conac_image.as_ref(), diags),
        book: raw.book.unwrap_or(false),
        change_log: raw.change_log.unwrap_or(false),
        traditional: raw.traditional.unwrap_or(false),
        limits: limits(file, diags),
        interpretation_days: days_key(
            file,
            raw.interpretation_days.as_ref(),
            60,
            "解读时限 interpretation_days 应是 0 到 60 之间的工作日数",
            "国办发〔2016〕19号要求解读在文件公开后 3 个工作日内发布：不需要改时删去这一行（默认 3）。",
            diags,
        ),
        backdate_days: days_key(
            file,
            raw.backdate_days.as_ref(),
            365,
            "backdate_days 应是 0 到 365 之间的天数",
            "信息提交进仓库的日期晚于发布日期多少天算倒填日期：不需要改时删去这一行（默认 3）。",
            diags,
        ),
        history_since: raw.history_since.as_ref().and_then(|d| {
            toml_date(d.get_ref())
                .map_err(|why| {
                    diags.push(
                        schema(file, file.line(d), format!("history_since 无效：{why}。"))
                            .hint("写成 history_since = 2024-03-15（年-月-日，不加引号）。"),
                    )
                })
                .ok()
                .map(|(date, _)| date)
        }),
    };
    if let Some(theme) = &raw.theme
        && !is_slug(theme.get_ref())
    {
        diags.push(
            schema(
                file,
                file.line(theme),
                "主题名 theme 只能由小写字母、数字和连字符组成。",
            )
            .hint("默认主题写 theme = \"default\"。"),
        );
    }
    let valid = diags.len() == before;
    super::placeholders::site(file, diags);
    valid.then_some(site)
}

/// An optional web address in `site.toml` (the conac badge's link and image): absent or empty
/// is none; anything but an `https://` or `http://` address is an error.
/// A count of days from 0 to `max` (default 3 when absent); a value out of range is a schema
/// error on its line saying `what` it should be, and the default is used.
fn days_key(
    file: &Loaded<RawSite>,
    value: Option<&Spanned<i64>>,
    max: u32,
    what: &str,
    hint: &str,
    diags: &mut Vec<Diagnostic>,
) -> u32 {
    const DEFAULT: u32 = 3;
    let Some(days) = value else {
        return DEFAULT;
    };
    u32::try_from(*days.get_ref())
        .ok()
        .filter(|d| *d <= max)
        .unwrap_or_else(|| {
            diags.push(
                schema(
                    file,
                    file.line(days),
                    format!("{what}，现在是 {}。", days.get_ref()),
                )
                .hint(hint),
            );
            DEFAULT
        })
}

fn absolute_url(
    file: &Loaded<RawSite>,
    key: &str,
    value: Option<&Spanned<String>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = value?;
    let url = value.get_ref().trim();
    if url.is_empty() {
        return None;
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        diags.push(
            schema(
                file,
                file.line(value),
                format!(
                    "`{key}`{} 应是以 https:// 或 http:// 开头的完整网址，现在是“{url}”。",
                    key_label(key)
                ),
            )
            .hint("从党政机关网站标识的登记页面复制完整网址；不需要时删去这一行。"),
        );
        return None;
    }
    Some(url.to_owned())
}

/// `[limits]`: each given value a whole number from 1 up to a sanity ceiling, the rest default.
pub(super) fn limits(file: &Loaded<RawSite>, diags: &mut Vec<Diagnostic>) -> Limits {
    let mut limits = Limits::default();
    let Some(raw) = &file.raw.limits else {
        return limits;
    };
    for (key, value) in [
        ("unpacked_mb", &raw.unpacked_mb),
        ("cells", &raw.cells),
        ("cell_chars", &raw.cell_chars),
        ("shared_strings", &raw.shared_strings),
        ("pdf_stream_mb", &raw.pdf_stream_mb),
        ("pdf_page_items", &raw.pdf_page_items),
    ] {
        let Some(value) = value else { continue };
        if let Err(max) = limits.set(key, *value.get_ref()) {
            diags.push(
                schema(
                    file,
                    file.line(value),
                    format!(
                        "[limits] 中的 {key} 应是 1 到 {max} 之间的整数，现在是 {}。",
                        value.get_ref()
                    ),
                )
                .hint("不确定时删去这一行，使用默认值（见 docs/limits.md）。"),
            );
        }
    }
    limits
}
