//! `site.toml`: the site's settings.

use super::fields::*;
use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::load::raw::*;
use crate::model::*;

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
        police_record: raw.police_record.clone().filter(|p| !p.trim().is_empty()),
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
    (diags.len() == before).then_some(site)
}
