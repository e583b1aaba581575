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
        let file = std::fs::File::open(path).map_err(|e| io_error(display, &e))?;
        let meta = file.metadata().map_err(|e| io_error(display, &e))?;
        let too_big = |len: u64| {
            Diagnostic::new(
                Code::Schema,
                format!(
                    "文件过大（{} 字节），超过 {} MB 的上限。",
                    len,
                    MAX_TEXT_FILE_BYTES / 1024 / 1024
                ),
            )
            .in_file(display)
            .hint("正文不宜过长；大的表格或文件请作为附件放在条目文件夹中。")
        };
        let len = meta.len();
        if len > MAX_TEXT_FILE_BYTES {
            return Err(too_big(len));
        }
        let mut bytes = Vec::with_capacity(len as usize + 1);
        // Through `take`, which has no size hint: `File`'s own `read_to_end` would ask the
        // system for the file's size and position again. A file that grew past the limit while
        // it was read is refused as one that was too big to begin with, never cut short.
        (&file)
            .take(MAX_TEXT_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(display, &e))?;
        if bytes.len() as u64 > MAX_TEXT_FILE_BYTES {
            return Err(too_big(bytes.len() as u64));
        }
        Ok((bytes, meta))
    }

    /// Decodes bytes read from `display`.
    pub fn decode(bytes: Vec<u8>, display: String) -> Result<Source, Diagnostic> {
        // Checked with SIMD, then copied once into the text without its BOM: the copy costs far
        // less than the standard library's check, which goes one character at a time through
        // Chinese text.
        if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_owned();
            return Ok(Source { display, text });
        }
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
        Err(d)
    }

    /// The 1-based line containing byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        line_in(&self.text, offset)
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
/// A parse failure is `syntax`, one finding per broken line (up to [`MAX_SYNTAX_ERRORS`]); a
/// well-formed file with wrong keys or values is `schema` (the first one).
pub fn parse_toml<T: DeserializeOwned>(
    source: &Source,
    toml_text: &str,
    line_offset: u32,
) -> Result<T, Vec<Diagnostic>> {
    let err = match toml::from_str::<T>(toml_text) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    let syntax = syntax_errors(source, toml_text, line_offset);
    if !syntax.is_empty() {
        return Err(syntax);
    }
    let line = err
        .span()
        .map_or(1, |span| line_in(toml_text, span.start) + line_offset);
    let (message, hint) = translate_schema_error(err.message(), source.line_text(line));
    Err(vec![
        Diagnostic::new(Code::Schema, message)
            .at(source, line)
            .hint(hint),
    ])
}

/// At most this many syntax errors are reported per file; one more finding says there are more.
pub const MAX_SYNTAX_ERRORS: usize = 20;

/// Every broken line of a TOML text: the parser's first error is reported, its line blanked
/// (keeping the line count, so later lines keep their numbers) and the text parsed again, until
/// it parses, a line comes back a second time (the parser cannot get past it), or the limit.
fn syntax_errors(source: &Source, toml_text: &str, line_offset: u32) -> Vec<Diagnostic> {
    let mut text = toml_text.to_owned();
    let mut diags = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    loop {
        let (_, errors) = toml::de::DeTable::parse_recoverable(&text);
        let Some((start, message)) = errors
            .iter()
            .map(|e| (e.span().map_or(0, |s| s.start), e.message()))
            .min_by_key(|(start, _)| *start)
        else {
            break;
        };
        let line = line_in(&text, start);
        if !seen.insert(line) {
            break;
        }
        if diags.len() == MAX_SYNTAX_ERRORS {
            diags.push(
                Diagnostic::new(
                    Code::Syntax,
                    format!("这个文件还有更多格式错误，只列出了前 {MAX_SYNTAX_ERRORS} 处。"),
                )
                .in_file(&source.display)
                .hint("先改正上面列出的各行，再重新运行。"),
            );
            break;
        }
        diags.push(syntax_diagnostic(source, line + line_offset, message));
        blank_line(&mut text, line);
    }
    diags
}

/// Replaces the text of 1-based `line` with nothing, keeping its line ending.
fn blank_line(text: &mut String, line: u32) {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return,
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    text.replace_range(start..end, "");
}

/// One syntax error, said for the line it is on: a date in a wrong form gets the exact line to
/// write, a full-width character outside quotes is named, anything else is explained by kind.
fn syntax_diagnostic(source: &Source, line: u32, parser_message: &str) -> Diagnostic {
    let text = source.line_text(line).unwrap_or("");
    let (key, value) = split_key_value(text);
    if let (Some(key), Some(value)) = (key, value)
        && let Some(typo) = DateTypo::recognise(value)
    {
        let (message, hint) = typo.advice(key);
        return Diagnostic::new(Code::Syntax, message)
            .at(source, line)
            .hint(hint);
    }
    if let Some(c) = fullwidth_outside_quotes(text) {
        let shown = if c == '\u{3000}' {
            "全角空格".to_owned()
        } else {
            format!("“{c}”")
        };
        return Diagnostic::new(
            Code::Syntax,
            format!("TOML 格式错误：引号外面有全角字符 {shown}（常见于中文输入法）。"),
        )
        .at(source, line)
        .hint("切换到英文输入法重新输入这一行的 =、引号、空格和冒号；只有引号里面的文字可以用中文标点。");
    }
    let (what, hint) = translate_syntax_error(parser_message, key, value);
    Diagnostic::new(Code::Syntax, format!("TOML 格式错误：{what}。"))
        .at(source, line)
        .hint(hint)
}

/// The key and the value of a `key = value  # comment` line, as far as they can be told apart
/// in a line that does not parse (either may be missing).
fn split_key_value(line: &str) -> (Option<&str>, Option<&str>) {
    let Some(eq) = outside_quotes(line, |c| c == '=' || c == '＝') else {
        return (None, None);
    };
    let key = line[..eq].trim().trim_matches('"');
    let rest = &line[eq + line[eq..].chars().next().map_or(1, char::len_utf8)..];
    let value = match outside_quotes(rest, |c| c == '#') {
        Some(hash) => &rest[..hash],
        None => rest,
    }
    .trim();
    (
        (!key.is_empty()).then_some(key),
        (!value.is_empty()).then_some(value),
    )
}

/// The byte offset of the first character matching `wanted` outside `"…"` and `'…'`.
fn outside_quotes(text: &str, wanted: impl Fn(char) -> bool) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if wanted(c) => return Some(i),
            None => {}
        }
    }
    None
}

/// A date written the way people write dates rather than the way TOML does: `2025/6/3`,
/// `2025-6-3`, `2025.6.3`, `2025年6月3日`, `20250603`, in quotes, or with full-width digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTypo {
    /// What was written, as it was written.
    pub written: String,
    /// The year, month and day it names.
    pub ymd: (i32, u32, u32),
    /// It has full-width digits or separators (typed with a Chinese input method).
    pub fullwidth: bool,
    /// It is in quotes.
    pub quoted: bool,
}

impl DateTypo {
    /// Recognises a date-like value that is not already a plain TOML date (`2025-06-03`).
    pub fn recognise(value: &str) -> Option<DateTypo> {
        let written = value.trim();
        let (inner, quoted) = strip_quotes(written);
        let fullwidth = inner
            .chars()
            .any(|c| ('\u{ff01}'..='\u{ff5e}').contains(&c));
        let plain: String = inner
            .trim()
            .chars()
            .map(|c| match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                '—' | '–' => '-',
                _ => c,
            })
            .collect();
        let ymd = parse_loose_date(&plain)?;
        let canonical = !quoted && !fullwidth && is_canonical_date(&plain);
        (!canonical).then(|| DateTypo {
            written: written.to_owned(),
            ymd,
            fullwidth,
            quoted,
        })
    }

    /// The date it names, if that day exists.
    pub fn date(&self) -> Option<chrono::NaiveDate> {
        let (y, m, d) = self.ymd;
        chrono::NaiveDate::from_ymd_opt(y, m, d)
    }

    /// What is wrong and the exact line to write instead, for `key` (message, hint).
    pub fn advice(&self, key: &str) -> (String, String) {
        let (y, m, d) = self.ymd;
        let label = key_label(key);
        match self.date() {
            Some(date) => {
                let mut why = Vec::new();
                if self.quoted {
                    why.push("日期不加引号");
                }
                if self.fullwidth {
                    why.push("数字和减号要用英文输入法输入");
                }
                why.push("按“年-月-日”写，月和日都写两位，用减号“-”分隔");
                (
                    format!("`{key}`{label} 的日期“{}”写法不对。", self.written),
                    format!("{}。这一行应写成：{key} = {date}", why.join("；")),
                )
            }
            None => {
                let problem = if !(1..=12).contains(&m) {
                    format!("没有 {m} 月")
                } else {
                    format!("{y} 年 {m} 月没有 {d} 日")
                };
                (
                    format!("`{key}`{label} 的日期“{}”不存在：{problem}。", self.written),
                    format!(
                        "改成实际的日期，按“年-月-日”写，月和日都写两位，不加引号，如：{key} = {y:04}-{:02}-01",
                        m.clamp(1, 12)
                    ),
                )
            }
        }
    }
}

/// The text inside one pair of quotes (`"…"`, `'…'`, `“…”`, `‘…’`), and whether there were any.
fn strip_quotes(s: &str) -> (&str, bool) {
    for (open, close) in [('"', '"'), ('\'', '\''), ('“', '”'), ('‘', '’')] {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            return (inner, true);
        }
    }
    (s, false)
}

/// `2025-06-03`, exactly as TOML writes a date.
fn is_canonical_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Year, month and day of `2025-6-3`, `2025/6/3`, `2025.6.3`, `2025年6月3日` or `20250603`
/// (ASCII digits; the numbers need not make a real day).
fn parse_loose_date(s: &str) -> Option<(i32, u32, u32)> {
    let number = |p: &str, max_len: usize| -> Option<u32> {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (
            number(&s[..4], 4)?,
            number(&s[4..6], 2)?,
            number(&s[6..], 2)?,
        );
        return (1900..=2199).contains(&y).then_some((y as i32, m, d));
    }
    let parts: Vec<&str> = if let Some(rest) = s.strip_suffix('日').or(Some(s))
        && rest.contains('年')
    {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y.trim(), m.trim(), d.trim()]
    } else {
        let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
        s.split(sep).map(str::trim).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 {
        return None;
    }
    Some((number(y, 4)? as i32, number(m, 2)?, number(d, 2)?))
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

/// The 1-based line of `text` containing byte `offset`.
pub fn line_in(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
}

/// What a TOML syntax error is and how to fix it, in Chinese only, from the parser's English
/// message and the line's key and value (either may be missing).
fn translate_syntax_error(
    message: &str,
    key: Option<&str>,
    value: Option<&str>,
) -> (String, String) {
    let m = message.trim().to_lowercase();
    let general = "检查这一行：键和值之间用 =，文字要用英文双引号 \"…\" 括起来，日期写成 2024-03-15（不加引号），不要使用中文引号或全角符号。";
    let what = if let Some(days) = m
        .split("expected day between 01 and ")
        .nth(1)
        .and_then(|rest| rest.get(..2))
    {
        format!("日期不存在：这个月只有 {days} 天")
    } else if m.contains("date") || m.contains("time") {
        "日期或时间写法不对".to_owned()
    } else if m.contains("unquoted key") || m.contains("invalid key") {
        return (
            "键名含有汉字或符号".to_owned(),
            "键名只能用英文字母、数字、下划线和减号；含有汉字或符号时要用英文双引号括起来（如 \"责任科室\" = \"…\"）。".to_owned(),
        );
    } else if m.contains("duplicate key") {
        return (
            format!(
                "同一个键{}写了两次",
                key.map(|k| format!(" `{k}` ")).unwrap_or_default()
            ),
            "删去其中一行，或把两行合并成一行。".to_owned(),
        );
    } else if m.contains("unterminated") || m.contains("unclosed") {
        return (
            "缺少结束的引号或括号".to_owned(),
            "在文字的末尾补上英文双引号 \"（列表补上 ]，表补上 }）；文字中间本身有双引号时写成 \\\"。".to_owned(),
        );
    } else if m.contains("string values must be quoted")
        || m.contains("invalid string")
        || m.contains("unquoted")
    {
        if let (Some(key), Some(value)) = (key, value) {
            return (
                "文字没有用英文双引号括起来".to_owned(),
                format!(
                    "这一行应写成：{key} = \"{}\"",
                    value.trim_matches(['“', '”'])
                ),
            );
        }
        "文字没有用英文双引号括起来".to_owned()
    } else if m.contains("key") || m.contains("`=`") {
        "键的写法不对，或键和值之间缺少 =".to_owned()
    } else {
        "这一行不符合 TOML 格式".to_owned()
    };
    (what, general.to_owned())
}

/// Turns serde's English messages into Chinese ones a clerk can act on.
/// `line` is the text of the line the error points at: a date written in quotes there gets the
/// exact line to write.
fn translate_schema_error(message: &str, line: Option<&str>) -> (String, String) {
    let message = message.trim();
    if message.starts_with("invalid type")
        && let (Some(key), Some(value)) = split_key_value(line.unwrap_or(""))
        && let Some(typo) = DateTypo::recognise(value)
    {
        return typo.advice(key);
    }
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if message.starts_with("unknown field") {
        let key = quoted.first().copied().unwrap_or("?");
        let expected: Vec<&str> = quoted.iter().skip(1).copied().collect();
        let hint = match closest(key, expected.iter().copied()) {
            Some(best) => format!("是否想写 `{best}`？可用的键：{}。", expected.join("、")),
            None if !expected.is_empty() => format!("可用的键：{}。", expected.join("、")),
            None => "删除这个键。".to_owned(),
        };
        return (format!("未知的键 `{key}`。"), hint);
    }
    if message.starts_with("missing field") {
        let key = quoted.first().copied().unwrap_or("?");
        let hint = if key == "published" {
            // The inspection deducts for information without a publication date.
            "加一行 published = 2025-01-09（信息在网上发布的日期，不加引号）。网站检查指标（国办秘函〔2019〕19号）对“信息未标注发布时间”扣分，所以每条信息都必须写发布日期。".to_owned()
        } else {
            format!("加一行 {key} = …（见 README 中的文件格式说明）。")
        };
        return (format!("缺少必填的键 `{key}`{}。", key_label(key)), hint);
    }
    if message.starts_with("unknown variant") {
        let value = quoted.first().copied().unwrap_or("?");
        let expected: Vec<&str> = quoted.iter().skip(1).copied().collect();
        let hint = match closest(value, expected.iter().copied()) {
            Some(best) => format!("是否想写 \"{best}\"？可选值：{}。", expected.join("、")),
            None => format!("可选值：{}。", expected.join("、")),
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
        "键或值不符合要求。".to_owned(),
        "对照 README 中的文件格式说明修改这一行。".to_owned(),
    )
}

fn kind_zh(serde_kind: &str) -> String {
    let k = serde_kind.trim();
    let zh = if k.starts_with("string") || k.starts_with("a string") {
        "文字（用双引号括起来）"
    } else if k.contains("sequence") {
        "列表（[\"…\", \"…\"]）"
    } else if k.contains("integer")
        || ["u8", "u32", "u64", "i32", "i64"]
            .iter()
            .any(|t| k.starts_with(t))
    {
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
        "order" => "（排列顺序）",
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
        let found = parse_toml::<T>(&s, &s.text, 1).expect_err("unknown");
        let [d] = found.as_slice() else {
            panic!("one finding: {found:?}")
        };
        assert_eq!(d.code, Code::Schema);
        assert_eq!(d.line, Some(3));
        assert!(d.hint.as_deref().unwrap_or("").contains("published"));
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Dated {
        title: String,
        published: toml::value::Datetime,
        created: Option<toml::value::Datetime>,
    }

    /// The findings for a front matter (its TOML starting on line 2), as (code, line, message,
    /// hint).
    fn findings(toml: &str) -> Vec<(Code, u32, String, String)> {
        let s = src(&format!("+++\n{toml}+++\n"));
        let text = &s.text[4..s.text.len() - 4];
        parse_toml::<Dated>(&s, text, 1)
            .expect_err("broken")
            .into_iter()
            .map(|d| {
                (
                    d.code,
                    d.line.unwrap_or(0),
                    d.message,
                    d.hint.unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn each_wrong_date_form_gets_the_exact_line_to_write() {
        let rule = "按“年-月-日”写，月和日都写两位，用减号“-”分隔";
        for (written, code, why) in [
            ("2025/6/3", Code::Syntax, rule.to_owned()),
            ("2025-6-3", Code::Syntax, rule.to_owned()),
            ("2025.6.3", Code::Syntax, rule.to_owned()),
            ("2025年6月3日", Code::Syntax, rule.to_owned()),
            (
                "\"2025-06-03\"",
                Code::Schema,
                format!("日期不加引号；{rule}"),
            ),
            (
                "\"2025/6/3\"",
                Code::Schema,
                format!("日期不加引号；{rule}"),
            ),
            ("20250603", Code::Schema, rule.to_owned()),
            (
                "２０２５－０６－０３",
                Code::Syntax,
                format!("数字和减号要用英文输入法输入；{rule}"),
            ),
        ] {
            let found = findings(&format!("title = \"a\"\npublished = {written}\n"));
            assert_eq!(
                found,
                vec![(
                    code,
                    3,
                    format!("`published`（发布日期） 的日期“{written}”写法不对。"),
                    format!("{why}。这一行应写成：published = 2025-06-03"),
                )],
                "{written}"
            );
        }
    }

    #[test]
    fn a_day_that_does_not_exist_is_named() {
        let found = findings("title = \"a\"\npublished = 2025/2/30\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].2,
            "`published`（发布日期） 的日期“2025/2/30”不存在：2025 年 2 月没有 30 日。"
        );
    }

    #[test]
    fn every_broken_line_is_reported_in_one_run_in_chinese_only() {
        let found = findings(
            "title = 低保公示\npublished = 2025/6/3\ncreated = 2025-6-1\ntopic = “民政”\n",
        );
        let lines: Vec<u32> = found.iter().map(|f| f.1).collect();
        assert_eq!(lines, vec![2, 3, 4, 5], "{found:?}");
        assert!(found.iter().all(|f| f.0 == Code::Syntax));
        assert_eq!(
            found[2].3,
            "按“年-月-日”写，月和日都写两位，用减号“-”分隔。这一行应写成：created = 2025-06-01"
        );
        for (_, _, message, hint) in &found {
            for english in ["expected", "invalid", "unquoted", "found", "解析器"] {
                assert!(
                    !message.contains(english) && !hint.contains(english),
                    "no parser English: {message} {hint}"
                );
            }
        }
    }
}
