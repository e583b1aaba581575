//! Values that must not go live: the sample 网站标识码, ICP and 公安备案号 numbers, an example web
//! address, sample text in the site's title and 主办单位 (what `gongkai init` writes until the
//! district fills them in), and a unit's 机构代码 still equal to its 区划代码. Each is a
//! [`Code::Placeholder`] warning naming the key and line; `--strict` turns them into failures.

use crate::diag::{Code, Diagnostic};
use crate::load::Loaded;
use crate::load::raw::{RawSite, RawUnit};
use toml::Spanned;

/// The start of the message about a sample `base_url`, which a `build --base-url` override makes
/// moot (see [`is_about_base_url`]).
const BASE_URL: &str = "网站地址 base_url";

/// Words that mark text as sample or not yet written: the sample catalog's fictional place names
/// (示例县, 示例区, 示例镇) and `init`'s marks.
const SAMPLE_WORDS: [&str; 3] = ["示例", "待填写", "请填写"];

/// The one-character abbreviations of the provinces, which begin every ICP and 公安 record number
/// (京ICP备…, 粤公网安备…).
const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台";

/// Warns on every placeholder left in `site.toml`.
pub(super) fn site(file: &Loaded<RawSite>, diags: &mut Vec<Diagnostic>) {
    let raw = &file.raw;
    let mut warn = |value: &Spanned<String>, message: String, hint: &str| {
        diags.push(
            Diagnostic::new(Code::Placeholder, message)
                .at(&file.source, file.line(value))
                .hint(hint),
        );
    };
    let code = raw.site_id_code.get_ref().trim();
    if code.starts_with("9999")
        || (!code.is_empty() && code.bytes().all(|b| b == b'0'))
        || marked(code)
    {
        warn(
            &raw.site_id_code,
            format!("政府网站标识码 site_id_code = \"{code}\" 是示例值，不是本网站的标识码。"),
            "填本网站在全国政府网站信息报送系统中的 10 位网站标识码（网站主办单位可查到）。",
        );
    }
    let url = raw.base_url.get_ref().trim();
    if example_url(url) {
        warn(
            &raw.base_url,
            format!("{BASE_URL} = \"{url}\" 是示例地址。"),
            "写专栏发布后的完整网址，如门户网站上的 https://<本单位网站域名>/jczwgk/；也可以在构建时用 gongkai build --base-url 给出。",
        );
    }
    let icp = raw.icp.get_ref().trim();
    if sample_record(icp) {
        warn(
            &raw.icp,
            format!("ICP 备案号 icp = \"{icp}\" 是示例号码。"),
            "照网站的 ICP 备案信息填写，如“粤ICP备12345678号”（以省份简称开头）。",
        );
    }
    if let Some(record) = &raw.police_record
        && !record.get_ref().trim().is_empty()
        && sample_record(record.get_ref().trim())
    {
        warn(
            record,
            format!(
                "公安备案号 police_record = \"{}\" 是示例号码。",
                record.get_ref().trim()
            ),
            "照全国互联网安全管理服务平台的备案信息填写，如“粤公网安备 44010502000001号”；没有公安备案号时删去这一行。",
        );
    }
    for (key, label, value) in [
        ("title", "网站标题", &raw.title),
        ("organizer", "主办单位", &raw.organizer),
    ] {
        let text = value.get_ref().trim();
        if marked(text) {
            warn(
                value,
                format!("{label} {key} = \"{text}\" 还是示例文字。"),
                "改成本单位的真实名称，如“某某区基层政务公开标准化规范化专栏”“某某区人民政府办公室”。",
            );
        }
    }
}

/// Warns when a unit's 机构代码 is still its 区划代码 (what `init` writes until the real code is
/// known): every 索引号 would be built on it.
pub(super) fn unit(path: &str, file: &Loaded<RawUnit>, diags: &mut Vec<Diagnostic>) {
    let raw = &file.raw;
    let (org_code, code) = (raw.org_code.get_ref().trim(), raw.code.get_ref().trim());
    if !code.is_empty() && org_code == code {
        diags.push(
            Diagnostic::new(
                Code::Placeholder,
                format!(
                    "机构代码 org_code = \"{org_code}\" 还是本单位的区划代码（gongkai init 填的占位值）；索引号以机构代码开头，发布后不能再改。"
                ),
            )
            .at(&file.source, file.line(&raw.org_code))
            .scope(Some(path), None, None)
            .hint("改为发布机构的 18 位统一社会信用代码（见单位的法人证书）；已用旧代码编好索引号的信息，删去其中的 index_no 行后用 gongkai new 的编号重新填写。"),
        );
    }
}

/// Whether a finding is the warning about a sample `base_url` in `site.toml` (moot when
/// `build --base-url` gives the address).
pub fn is_about_base_url(d: &Diagnostic) -> bool {
    d.code == Code::Placeholder && d.message.starts_with(BASE_URL)
}

/// Whether a web address is an example one: a host named `example` (example.gov.cn,
/// www.example.com), a reserved test domain (.test, .example, .invalid, .localhost), or this
/// machine.
pub fn example_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    labels.contains(&"example")
        || matches!(
            labels.last(),
            Some(&"test" | &"example" | &"invalid" | &"localhost")
        )
        || host == "127.0.0.1"
        || host.is_empty()
}

/// Whether an ICP or 公安 record number is a sample: it does not start with a province's
/// abbreviation, its number is all zeros, or it is marked as sample text.
fn sample_record(record: &str) -> bool {
    let digits: String = record.chars().filter(char::is_ascii_digit).collect();
    !record.chars().next().is_some_and(|c| PROVINCES.contains(c))
        || digits.is_empty()
        || digits.bytes().all(|b| b == b'0')
        || marked(record)
}

fn marked(text: &str) -> bool {
    SAMPLE_WORDS.iter().any(|w| text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_addresses_are_recognised() {
        for url in [
            "https://www.example.gov.cn/jczwgk/",
            "http://example.com",
            "https://jczwgk.site.test/",
            "https://127.0.0.1:8000/",
        ] {
            assert!(example_url(url), "{url}");
        }
        for url in [
            "https://www.haizhu.gov.cn/jczwgk/",
            "https://examples.gov.cn/",
        ] {
            assert!(!example_url(url), "{url}");
        }
    }

    #[test]
    fn sample_record_numbers_are_recognised() {
        assert!(sample_record("示ICP备00000000号"));
        assert!(sample_record("测ICP备00000001号"));
        assert!(sample_record("粤ICP备00000000号"));
        assert!(!sample_record("粤ICP备12345678号-1"));
        assert!(!sample_record("京公网安备 11010502030143号"));
    }
}
