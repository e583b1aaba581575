//! Source files as a clerk saved them: decoding (UTF-8 with or without BOM, CRLF or LF, refusing
//! GBK with a clear message), splitting Markdown front matter, mapping byte offsets to line
//! numbers, and parsing TOML into typed `Raw*` structs with Chinese error messages.

use crate::diag::{Code, Diagnostic, Located};
use crate::names::closest;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Files larger than this are refused instead of read (no catalog file is legitimately this big).
pub const MAX_TEXT_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A decoded text file with the name it is reported under.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user knows it, with `/` separators (e.g. `catalog/units/shiqu/unit.toml`).
    pub display: String,
    /// The text, without BOM.
    pub text: String,
}

impl Source {
    /// Reads and decodes a file. Errors are `encoding` (not UTF-8) or I/O failures, as diagnostics.
    pub fn read(path: &Path, display: String) -> Result<Source, Diagnostic> {
        let bytes = Source::read_bytes(path, &display)?;
        Source::decode(bytes, display)
    }

    /// The bytes of a text file, refusing files over the size limit (one path lookup: the size
    /// is taken from the open file).
    pub fn read_bytes(path: &Path, display: &str) -> Result<Vec<u8>, Diagnostic> {
        Source::read_bytes_and_metadata(path, display).map(|(bytes, _)| bytes)
    }

    /// [`Source::read_bytes`], with the file's metadata as it was when it was opened.
    pub fn read_bytes_and_metadata(
        path: &Path,
        display: &str,
    ) -> Result<(Vec<u8>, std::fs::Metadata), Diagnostic> {
        use std::io::Read as _;
        let mut file = std::fs::File::open(path).map_err(|e| io_error(display, &e))?;
        let meta = file.metadata().map_err(|e| io_error(display, &e))?;
        let len = meta.len();
        if len > MAX_TEXT_FILE_BYTES {
            return Err(Diagnostic::new(
                Code::Schema,
                format!(
                    "文件过大（{} 字节），超过 {} MB 的上限。",
                    len,
                    MAX_TEXT_FILE_BYTES / 1024 / 1024
                ),
            )
            .in_file(display)
            .hint("正文不宜过长；大的表格或文件请作为附件放在条目文件夹中。"));
        }
        let mut bytes = Vec::with_capacity(len as usize + 1);
        file.read_to_end(&mut bytes)
            .map_err(|e| io_error(display, &e))?;
        Ok((bytes, meta))
    }

    /// Decodes bytes read from `display`.
    pub fn decode(bytes: Vec<u8>, display: String) -> Result<Source, Diagnostic> {
        let mut text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                let bytes = err.into_bytes();
                let line = 1 + bytes
                    .iter()
                    .take(first_invalid_utf8(&bytes))
                    .filter(|&&b| b == b'\n')
                    .count() as u32;
                let guess = if looks_like_gbk(&bytes) {
                    "看起来是 GBK/GB18030 编码（Windows 记事本、Excel 的常见默认编码）"
                } else {
                    "不是有效的 UTF-8 编码"
                };
                let mut d = Diagnostic::new(Code::Encoding, format!("文件{guess}，无法读取。"))
                    .in_file(display)
                    .hint("请用记事本或 VS Code 打开，选择“另存为”，编码选“UTF-8”后保存。");
                d.line = Some(line);
                return Err(d);
            }
        };
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        Ok(Source { display, text })
    }

    /// The 1-based line containing byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        let end = offset.min(self.text.len());
        1 + self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let line = self.text.lines().nth(line.checked_sub(1)? as usize)?;
        Some(line.trim_end_matches('\r'))
    }
}

impl Located for Source {
    fn display(&self) -> &str {
        &self.display
    }

    fn line_text(&self, line: u32) -> Option<&str> {
        Source::line_text(self, line)
    }
}

/// A path as messages show it: as the user gave it, with `/` between folders on every system.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// "Cannot read the file", with the reason and what to check.
pub(crate) fn io_error(display: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::Schema,
        format!("无法读取文件：{}。", crate::reason::io(err)),
    )
    .in_file(display)
    .hint("检查文件是否存在、是否有读取权限。")
}

fn first_invalid_utf8(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    }
}

/// True when every non-ASCII byte belongs to a well-formed GBK/GB18030 two-byte sequence.
fn looks_like_gbk(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let Some(&next) = bytes.get(i + 1) else {
            return false;
        };
        if !(0x81..=0xFE).contains(&b) || !(0x40..=0xFE).contains(&next) || next == 0x7F {
            return false;
        }
        pairs += 1;
        i += 2;
    }
    pairs > 0
}

/// A Markdown entry split into its TOML front matter and its body.
#[derive(Debug, Clone, Copy)]
pub struct FrontMatter<'a> {
    /// The TOML between the `+++` lines.
    pub toml: &'a str,
    /// Lines before the TOML starts (the opening `+++`), added to TOML line numbers.
    pub toml_line_offset: u32,
    /// The Markdown after the closing `+++`.
    pub body: &'a str,
    /// The 1-based line the body starts on.
    pub body_line: u32,
}

/// Splits `+++`-delimited front matter from a Markdown file.
pub fn split_front_matter(source: &Source) -> Result<FrontMatter<'_>, Diagnostic> {
    let text = source.text.as_str();
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "+++" {
        let d = Diagnostic::new(Code::Syntax, "条目文件缺少开头的 front matter（第一行应为 +++）。")
            .hint("文件开头写 +++，接着写 title、created、published 等键，再用一行 +++ 结束，然后写正文。");
        return Err(if text.trim().is_empty() {
            Diagnostic {
                message: "条目文件是空的。".into(),
                ..d
            }
            .in_file(&source.display)
        } else {
            d.at(source, 1)
        });
    }
    let mut offset = first_line_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == "+++" {
            return Ok(FrontMatter {
                toml: &text[first_line_end..offset],
                toml_line_offset: 1,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(
        Diagnostic::new(Code::Syntax, "front matter 没有结束：找不到第二行 +++。")
            .at(source, 1)
            .hint("在最后一个键（如 published = 2024-03-15）之后另起一行写 +++，再写正文。"),
    )
}

/// Parses TOML text into `T`. `line_offset` is added to line numbers (for front matter).
/// A parse failure is `syntax`; a well-formed file with wrong keys or values is `schema`.
pub fn parse_toml<T: DeserializeOwned>(
    source: &Source,
    toml_text: &str,
    line_offset: u32,
) -> Result<T, Diagnostic> {
    let err = match toml::from_str::<T>(toml_text) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    let line = err
        .span()
        .map_or(1, |span| line_in(toml_text, span.start) + line_offset);
    let syntax_ok = toml::from_str::<toml::Table>(toml_text).is_ok();
    if !syntax_ok && let Some(c) = source.line_text(line).and_then(fullwidth_outside_quotes) {
        let shown = if c == '\u{3000}' {
            "全角空格".to_owned()
        } else {
            format!("“{c}”")
        };
        return Err(Diagnostic::new(
            Code::Syntax,
            format!("TOML 格式错误：引号外面有全角字符 {shown}（常见于中文输入法）。"),
        )
        .at(source, line)
        .hint("切换到英文输入法重新输入这一行的 =、引号、空格和冒号；只有引号里面的文字可以用中文标点。"));
    }
    let (code, message, hint) = if syntax_ok {
        let (message, hint) = translate_schema_error(err.message());
        (Code::Schema, message, hint)
    } else {
        (
            Code::Syntax,
            translate_syntax_error(err.message()),
            "检查这一行：键和值之间用 =，文字要用英文双引号 \"…\" 括起来，日期写成 2024-03-15，不要使用中文引号或全角符号。"
                .to_owned(),
        )
    };
    Err(Diagnostic::new(code, message).at(source, line).hint(hint))
}

/// The first full-width character of a TOML line that stands outside a quoted string.
fn fullwidth_outside_quotes(line: &str) -> Option<char> {
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => return None,
            None if matches!(
                c,
                '\u{3000}' | '＝' | '“' | '”' | '‘' | '’' | '：' | '，' | '［' | '］'
            ) =>
            {
                return Some(c);
            }
            None => {}
        }
    }
    None
}

fn line_in(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
}

/// Turns the TOML parser's English messages into Chinese; the parser's own words follow in
/// brackets for whoever needs the detail.
fn translate_syntax_error(message: &str) -> String {
    let detail = message.trim().replace('\n', " ");
    let m = detail.to_lowercase();
    let what = if let Some(days) = m
        .split("expected day between 01 and ")
        .nth(1)
        .and_then(|rest| rest.get(..2))
    {
        format!("日期不存在：这个月只有 {days} 天")
    } else if m.contains("date") || m.contains("time") {
        "日期或时间写法不对".to_owned()
    } else if m.contains("unquoted key") {
        "键名含有汉字或符号时要用英文双引号括起来（如 \"责任科室\" = \"…\"）".to_owned()
    } else if m.contains("duplicate key") {
        "同一个键写了两次".to_owned()
    } else if m.contains("unterminated") || m.contains("unclosed") {
        "缺少结束的引号或括号".to_owned()
    } else if m.contains("string values must be quoted")
        || m.contains("invalid string")
        || m.contains("unquoted")
    {
        "文字没有用英文双引号括起来".to_owned()
    } else if m.contains("key") || m.contains("`=`") {
        "键的写法不对，或键和值之间缺少 =".to_owned()
    } else {
        "这一行不符合 TOML 格式".to_owned()
    };
    format!("TOML 格式错误：{what}。（解析器信息：{detail}）")
}

/// Turns serde's English messages into Chinese ones a clerk can act on.
fn translate_schema_error(message: &str) -> (String, String) {
    let message = message.trim();
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let Some(rest) = message.strip_prefix("unknown field") {
        let key = quoted.first().copied().unwrap_or("?");
        let expected: Vec<&str> = quoted.iter().skip(1).copied().collect();
        let hint = match closest(key, expected.iter().copied()) {
            Some(best) => format!("是否想写 `{best}`？可用的键：{}。", expected.join("、")),
            None if !expected.is_empty() => format!("可用的键：{}。", expected.join("、")),
            None => format!("删除这个键。（{rest}）"),
        };
        return (format!("未知的键 `{key}`。"), hint);
    }
    if message.starts_with("missing field") {
        let key = quoted.first().copied().unwrap_or("?");
        return (
            format!("缺少必填的键 `{key}`{}。", key_label(key)),
            format!("加一行 {key} = …（见 README 中的文件格式说明）。"),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant") {
        let value = quoted.first().copied().unwrap_or("?");
        let expected: Vec<&str> = quoted.iter().skip(1).copied().collect();
        let hint = match closest(value, expected.iter().copied()) {
            Some(best) => format!("是否想写 \"{best}\"？可选值：{}。", expected.join("、")),
            None => format!("可选值：{}。（{rest}）", expected.join("、")),
        };
        return (format!("取值 \"{value}\" 无效。"), hint);
    }
    if message.starts_with("invalid type") {
        let found = message
            .strip_prefix("invalid type: ")
            .and_then(|m| m.split(", expected").next())
            .unwrap_or("");
        let expected = message.split("expected ").nth(1).unwrap_or("");
        return (
            format!(
                "值的类型不对：这里需要{}，实际写的是{}。",
                kind_zh(expected),
                kind_zh(found)
            ),
            "文字用双引号括起来（\"…\"）；日期不加引号（2024-03-15）；数字不加引号；列表写成 [\"a\", \"b\"]。"
                .to_owned(),
        );
    }
    (
        format!("键或值不符合要求：{message}"),
        "对照 README 中的文件格式说明修改这一行。".to_owned(),
    )
}

fn kind_zh(serde_kind: &str) -> String {
    let k = serde_kind.trim();
    let zh = if k.starts_with("string") || k.starts_with("a string") {
        "文字（用双引号括起来）"
    } else if k.contains("sequence") {
        "列表（[\"…\", \"…\"]）"
    } else if k.contains("integer") || k.starts_with("u8") || k.starts_with("u32") {
        "整数"
    } else if k.contains("boolean") {
        "true 或 false"
    } else if k.contains("date") || k.contains("Datetime") {
        "日期（如 2024-03-15）"
    } else if k.contains("map") || k.contains("table") || k.starts_with("struct") {
        "表（[…] 段落）"
    } else if k.contains("float") {
        "小数"
    } else {
        return k.to_owned();
    };
    zh.to_owned()
}

/// The Chinese name of a well-known key, in （）, for messages.
pub fn key_label(key: &str) -> &'static str {
    match key {
        "title" => "（标题）",
        "created" => "（成文日期）",
        "published" => "（发布日期）",
        "updated" => "（变更日期）",
        "doc_no" => "（文号）",
        "index_no" => "（索引号）",
        "publisher" => "（发布机构）",
        "validity" => "（有效性）",
        "expires" => "（失效日期）",
        "effective" => "（实施日期）",
        "repealed_on" => "（废止日期）",
        "keywords" => "（关键词）",
        "normative" => "（是否行政规范性文件）",
        "interprets" => "（所解读文件的索引号）",
        "consultation" => "（征求意见期限）",
        "responds_to" => "（所反馈的征求意见稿的索引号）",
        "consulted_in" => "（征求意见稿的索引号）",
        "replaces" => "（被替代文件的索引号）",
        "opens" => "（征求意见开始日期）",
        "closes" => "（征求意见截止日期）",
        "name" => "（名称）",
        "level" => "（层级）",
        "code" => "（区划代码）",
        "org_code" => "（机构代码）",
        "base_url" => "（网站地址）",
        "site_id_code" => "（政府网站标识码）",
        "organizer" => "（主办单位）",
        "icp" => "（ICP备案号）",
        "conac_url" => "（党政机关网站标识链接）",
        "conac_image" => "（党政机关网站标识图片）",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source {
            display: "x.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn bom_is_stripped_and_crlf_front_matter_splits() {
        let s = Source::decode(
            b"\xef\xbb\xbf+++\r\ntitle = \"a\"\r\n+++\r\nbody\r\n".to_vec(),
            "x.md".into(),
        )
        .expect("utf-8");
        let fm = split_front_matter(&s).expect("front matter");
        assert_eq!(fm.toml, "title = \"a\"\r\n");
        assert_eq!(fm.body, "body\r\n");
        assert_eq!(fm.body_line, 4);
    }

    #[test]
    fn gbk_is_named() {
        // "标题" in GBK.
        let d = Source::decode(vec![0xB1, 0xEA, 0xCC, 0xE2], "x.md".into()).expect_err("gbk");
        assert_eq!(d.code, Code::Encoding);
        assert!(d.message.contains("GBK"), "{}", d.message);
    }

    #[test]
    fn unclosed_front_matter_is_a_syntax_error() {
        let d = split_front_matter(&src("+++\ntitle = \"a\"\n")).expect_err("unclosed");
        assert_eq!(d.code, Code::Syntax);
        assert_eq!(d.line, Some(1));
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: Option<String>,
            published: Option<String>,
        }
        let s = src("title = \"a\"\npublshed = \"b\"\n");
        let d = parse_toml::<T>(&s, &s.text, 1).expect_err("unknown");
        assert_eq!(d.code, Code::Schema);
        assert_eq!(d.line, Some(3));
        assert!(d.hint.as_deref().unwrap_or("").contains("published"));
    }
}
