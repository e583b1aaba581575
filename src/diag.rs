//! Diagnostics are data: every problem found while loading, validating or auditing a catalog is a
//! [`Diagnostic`] collected into a list, never an early abort and never a pre-formatted string.
//! One printer turns them into Chinese text for people ([`render_text`]); the audit's JSON printer
//! turns the same values into machine output.

use serde::Serialize;
use std::fmt::Write as _;

/// How bad a finding is. Errors stop `build`; warnings are reported, and with `--strict` fail
/// `check` (every warning) and `build` (the catalog's own warnings, such as placeholders).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// 错误: the catalog cannot be published as it is.
    Error,
    /// 警告: publishable, but an evaluator would mark it down.
    Warning,
    /// 说明: what was done or skipped on purpose (the importer's notes); never fails a run.
    Note,
}

impl Severity {
    /// The Chinese word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Note => "说明",
        }
    }
}

/// The finding codes. The first group is fixed by the product contract (`docs/spec.md`); then the
/// audit's own rules beyond it (`unit-inactive`, `broken-link`, `attachment-missing`); then
/// gongkai's own warnings about derived data, and about text that must not go live
/// (`placeholder`, `stub-body`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A TOML file or front matter does not parse.
    Syntax,
    /// A key is missing, unknown, or has a value of the wrong kind.
    Schema,
    /// An entry or folder sits under a domain the standard does not have.
    UnknownDomain,
    /// An entry sits under an item the domain does not have.
    UnknownItem,
    /// `published` before `created`, or `updated` before `published`.
    DateOrder,
    /// Two entries share a 索引号.
    DuplicateIndexNo,
    /// A file is not UTF-8.
    Encoding,
    /// A path points outside the catalog, or two files map to one URL.
    UnsafePath,
    /// An entry shows unmasked personal numbers.
    Privacy,
    /// 逾期公开: published later than the item's limit.
    Late,
    /// 未公开: an applicable item has no entry.
    Missing,
    /// 未按期更新: a periodic item's newest entry is too old.
    Stale,
    /// `expires` has passed but the entry is still marked valid.
    ExpiredUnmarked,
    /// 栏目长期不更新: the unit published nothing in the six months before `--as-of`.
    UnitInactive,
    /// 不可用链接: a relative link in an entry body leads to no page of the site.
    BrokenLink,
    /// 附件无法下载: a relative link in an entry body names a file that is not published.
    AttachmentMissing,
    /// An entry has no 索引号 and one was derived for it.
    IndexNoDerived,
    /// A date falls in a year with no working-day calendar file.
    CalendarUnknown,
    /// `book = true`, but no font with Chinese characters was found: the site is built without
    /// its printed guides (and without links to them).
    BookFonts,
    /// A setting still holds a sample or placeholder value (网站标识码, ICP, web address, 机构代码,
    /// sample text) that must not go live.
    Placeholder,
    /// An entry's body still holds the text `gongkai new` writes for it to be replaced.
    StubBody,
    /// A relation key names an 索引号 no entry has, or relations form a cycle.
    BrokenRelation,
    /// 解读 published more than `interpretation_days` working days after its document.
    InterpretationLate,
    /// A 行政规范性文件 with no 解读.
    InterpretationMissing,
    /// A consultation closed with no adoption report.
    FeedbackMissing,
    /// A file entered the git history long after its 发布日期.
    Backdated,
    /// No trustworthy git history, so history-based checks were skipped.
    HistoryUnknown,
    /// `unit.toml` leaves out contacts of the 公开工作机构 the 政府信息公开指南 must give.
    OfficeIncomplete,
    /// `import-standard`: a cell or table that cannot be imported as it is (nothing is written).
    ImportRefused,
    /// `import-standard`: imported, but a cell someone should look at.
    ImportDoubt,
    /// `import-standard`: what the import did or skipped on purpose (filled down, hidden rows).
    ImportNote,
}

impl Code {
    /// The stable machine name used in JSON output and `gongkai explain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::Schema => "schema",
            Code::UnknownDomain => "unknown-domain",
            Code::UnknownItem => "unknown-item",
            Code::DateOrder => "date-order",
            Code::DuplicateIndexNo => "duplicate-index-no",
            Code::Encoding => "encoding",
            Code::UnsafePath => "unsafe-path",
            Code::Privacy => "privacy",
            Code::Late => "late",
            Code::Missing => "missing",
            Code::Stale => "stale",
            Code::ExpiredUnmarked => "expired-unmarked",
            Code::UnitInactive => "unit-inactive",
            Code::BrokenLink => "broken-link",
            Code::AttachmentMissing => "attachment-missing",
            Code::IndexNoDerived => "index-no-derived",
            Code::CalendarUnknown => "calendar-unknown",
            Code::BookFonts => "book-fonts",
            Code::Placeholder => "placeholder",
            Code::StubBody => "stub-body",
            Code::BrokenRelation => "broken-relation",
            Code::InterpretationLate => "interpretation-late",
            Code::InterpretationMissing => "interpretation-missing",
            Code::FeedbackMissing => "feedback-missing",
            Code::Backdated => "backdated",
            Code::HistoryUnknown => "history-unknown",
            Code::OfficeIncomplete => "office-incomplete",
            Code::ImportRefused => "import-refused",
            Code::ImportDoubt => "import-doubt",
            Code::ImportNote => "import-note",
        }
    }

    /// Every code, in the order `gongkai explain` lists them.
    pub const ALL: [Code; 31] = [
        Code::Syntax,
        Code::Schema,
        Code::UnknownDomain,
        Code::UnknownItem,
        Code::DateOrder,
        Code::DuplicateIndexNo,
        Code::Encoding,
        Code::UnsafePath,
        Code::Privacy,
        Code::Late,
        Code::Missing,
        Code::Stale,
        Code::ExpiredUnmarked,
        Code::UnitInactive,
        Code::BrokenLink,
        Code::AttachmentMissing,
        Code::IndexNoDerived,
        Code::CalendarUnknown,
        Code::BookFonts,
        Code::Placeholder,
        Code::StubBody,
        Code::BrokenRelation,
        Code::InterpretationLate,
        Code::InterpretationMissing,
        Code::FeedbackMissing,
        Code::Backdated,
        Code::HistoryUnknown,
        Code::OfficeIncomplete,
        Code::ImportRefused,
        Code::ImportDoubt,
        Code::ImportNote,
    ];

    /// Parses a machine name (`late`, `unknown-domain`, …).
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What a validation finding means and how to fix it (the audit rules document their own
    /// codes beside their rules).
    pub fn explanation(self) -> Option<&'static str> {
        Some(match self {
            Code::Syntax => {
                "文件不符合 TOML 格式，无法读取。常见原因：用了中文引号“”或全角空格、冒号；文字没有用英文双引号括起来；缺少结束的引号；条目文件开头没有 +++，或 front matter 没有用第二行 +++ 结束。正文中粘贴的 HTML 有 <style>、<script>、<textarea> 等标签或 <!-- 注释没有结束时也报这个错误：它们后面的正文在网页上会整个消失；正文中引用（>）、列表和 HTML 标签合计嵌套超过 50 层时也报这个错误。\n怎么改：按提示打开文件的那一行，切换到英文输入法重新输入等号、引号和空格；正文中的标签补上结束标签（如 </style>）或删除。"
            }
            Code::Schema => {
                "文件能读取，但某个键缺少、写错了名字，或者值的类型不对（例如日期加了引号、层级写成了中文），或者日期晚于核查日期。\n怎么改：按提示补上或改正这个键；可用的键和取值见 README 的文件格式说明。"
            }
            Code::UnknownDomain => {
                "文件夹名不是标准目录中的领域 id，也不是含有 unit.toml 的下级单位。\n怎么改：把文件夹改名为提示中最接近的领域 id（见 catalog/standard/ 下的文件名），或在下级单位文件夹中补上 unit.toml。"
            }
            Code::UnknownItem => {
                "事项文件夹名在该领域的标准目录中不存在，或者这个事项的公开层级不包括本单位的层级。\n怎么改：用 gongkai list <单位> 查看本单位可用的事项 id，把文件夹改成正确的 id；本级特有的事项写进 standard/local/<领域id>.toml。"
            }
            Code::DateOrder => {
                "日期先后不对：发布日期早于成文日期，或变更日期早于发布日期。\n怎么改：检查日期是否填反、年份是否写错。"
            }
            Code::DuplicateIndexNo => {
                "两条信息用了同一个索引号。索引号是信息的唯一编号，一经分配不得重复使用。\n怎么改：删除重复条目中的 index_no 行，由 gongkai 自动编号（或用 gongkai new 新建条目，它会分配下一个未用的号）。"
            }
            Code::Encoding => {
                "文件不是 UTF-8 编码（常见的是 Windows 记事本或 Excel 默认的 GBK 编码），或文件名含有无法识别的字符。\n怎么改：用记事本或 VS Code 打开，“另存为”时编码选 UTF-8。"
            }
            Code::UnsafePath => {
                "链接或附件指向目录文件夹以外（../ 越界、绝对路径、file: 地址、指向外部的符号链接），或者两个文件会生成同一个网址（名称只差大小写，或与领域 id、网站自用文件夹、网站生成的文件重名），或者附件是浏览器会运行的网页、脚本类文件（.html、.svg、.xml、.js 等），或服务器会执行的文件（.php、.asp 等）。\n怎么改：附件放进条目文件夹并用文件名链接；给冲突的文件或文件夹改名；网页类附件转换为 PDF 或压缩成 .zip（确需原样发布的，在 site.toml 中写 active_attachments = true 并按 docs/hosting.md 设置服务器）。"
            }
            Code::Privacy => {
                "信息或它的附件（CSV、TXT 等文本文件，Excel/WPS 工作簿，Word 文档，PDF 文件）中出现了未打码的居民身份证号码（18 位或 15 位）、手机号码或银行卡号（包括源文件中被 HTML 标记、字符实体或看不见的字符拆开、但页面上是完整号码的），或者附件打不开、超出检查上限而无法检查。公示名单是个人信息泄露的高发处。\n怎么改：把号码打码（如 4401**********1234、138****5678），附件改好后重新保存；附件超出上限的，拆成小文件或在 site.toml 的 [limits] 中调高上限（见 docs/limits.md）；确属依法应当公开的（如公布单位热线），在该条信息的 front matter 中写 privacy_exception = \"理由\"。"
            }
            Code::IndexNoDerived => {
                "信息没有写索引号，gongkai 按“机构代码/年份-序号”自动编了一个。自动编号会随其他条目的增减而变化，而索引号应当固定不变。\n怎么改：把提示中的 index_no 行抄进该文件的 front matter。"
            }
            Code::CalendarUnknown => {
                "计算工作日时用到了没有工作日历文件的年份，只能按周一至周五计算，节假日和调休上班日没有计入。\n怎么改：国务院办公厅公布该年节假日安排后，新建 calendar/<年份>.toml。"
            }
            Code::BookFonts => {
                "site.toml 写了 book = true，但这台电脑上没有找到含中文字的字体，无法排版办事一本通。网站照常生成，只是这次不生成办事一本通，单位首页也不显示它的链接（不会留下打不开的链接）。\n怎么改：安装中文字体（Debian/Ubuntu：sudo apt install fonts-noto-cjk），或把字体文件放进目录中的一个文件夹，在 site.toml 中写 font_dir = \"fonts\"；然后重新构建。"
            }
            Code::Placeholder => {
                "网站设置或单位信息中还留着示例值或待填写的占位内容：网站标识码是 9999 开头的示例号码，ICP 备案号或公安备案号是示例号码，网站地址 base_url 是 example.gov.cn 之类的示例地址，标题、主办单位中还有“示例”“待填写”字样，或者单位的机构代码 org_code 还是 gongkai init 填入的区划代码。这些内容会显示在每个网页的页脚和网页元数据中，机构代码还会写进每条信息的索引号（索引号发布后不能再改）。\n怎么改：按提示逐项改成本网站、本单位的真实信息：网站标识码见全国政府网站信息报送系统，ICP 备案号和公安备案号见网站备案信息，机构代码填发布机构的统一社会信用代码。gongkai build --strict 和 gongkai check --strict 在还有占位内容时不通过，CI 中用它们把关。"
            }
            Code::StubBody => {
                "信息的正文还是 gongkai new 生成的模板文字（“在这里写正文”），没有改成真正的内容，发布出去就是一条空信息。\n怎么改：打开文件，把 +++ 下面的模板文字换成信息正文；还没有内容的信息先不要放进目录。"
            }
            Code::BrokenRelation => {
                "关联字段（interprets 解读、responds_to 意见采纳情况、consulted_in 征求意见稿、replaces 替代）写的索引号找不到对应的条目，指向了条目自己，responds_to/consulted_in 指向的不是征求意见稿，或者替代关系成环（甲替代乙、乙又替代甲）。政策解读要与所解读的文件相互关联，征求意见稿要与采纳情况、最终文件相关联（基层政务公开试点方案：“将决策文本与征集意见情况和政策解读情况相关联”；评估中解读稿未与政策原文双向关联要扣分），失效文件要注明被哪个文件替代。\n怎么改：照抄对方条目页面上的索引号（提示中给出了最接近的已有索引号）；替代关系只写在较新的文件中。"
            }
            Code::OfficeIncomplete => {
                "单位的政府信息公开指南缺少公开工作机构的名称、办公地址、办公时间、联系电话、传真号码或互联网联系方式。《中华人民共和国政府信息公开条例》第十二条规定：行政机关编制、公布的政府信息公开指南，应当包括政府信息的分类、编排体系、获取方式和政府信息公开工作机构的名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式等内容，并及时更新。指南页（<单位>/zhinan/）和依申请公开页（<单位>/yishenqing/）照样生成，缺少的项目不显示。\n怎么改：在 unit.toml 中加上 [office] 表，写明 name（机构名称）、address（办公地址）、postcode（邮政编码）、hours（办公时间）、phone（联系电话）、fax（传真号码）、email（电子邮箱）或 website（网站），可选 form_url（在线申请地址）、notes（补充说明）、updated（指南修订日期）。address、phone、hours 未写时沿用 unit.toml 顶部的同名键。"
            }
            Code::ImportRefused => {
                "gongkai import-standard 导入的表格中有无法理解的内容：单元格为空（公开依据、公开时限、公开主体等必填栏）、勾选标记无法识别、公式没有保存计算结果、一行没有事项名称、一张表无法判断属于哪个领域、Excel 错误值等。有这类问题时导入不写入任何文件。位置写成“文件 工作表「…」 第 N 行 X 列”。\n怎么改：按提示在 Excel 或 WPS 中打开表格，改正所指的单元格后保存，再运行 gongkai import-standard；先加 --dry-run 可以只看将做的改动。"
            }
            Code::ImportDoubt => {
                "gongkai import-standard 已导入表格，但有单元格需要人看一眼：公开时限没有写明天数或周期（审计按原有设置计算）、公开渠道的方框都没有勾选、两个选项都勾选了、没有表头的列、只有一段文字的行等。\n怎么改：按提示核对所指的单元格；需要时改正表格后重新导入（再次导入不会改动没有变化的事项），或导入后直接修改 standard/ 下的文件。"
            }
            Code::ImportNote => {
                "gongkai import-standard 按表格的样式做了某件事，告诉你它做了什么：隐藏的行和列没有导入、空白单元格沿用了上一行（CSV 不记录合并单元格）、说明行和标题行没有导入、工作簿改名为 .csv 仍按工作簿读取等。这不是错误。\n怎么改：核对说明是否符合表格的本意；隐藏的行和列确需导入时加 --include-hidden。"
            }
            Code::Late
            | Code::Missing
            | Code::Stale
            | Code::ExpiredUnmarked
            | Code::UnitInactive
            | Code::BrokenLink
            | Code::AttachmentMissing
            | Code::InterpretationLate
            | Code::InterpretationMissing
            | Code::FeedbackMissing
            | Code::Backdated
            | Code::HistoryUnknown => return None,
        })
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::Late
            | Code::Missing
            | Code::Stale
            | Code::ExpiredUnmarked
            | Code::UnitInactive
            | Code::BrokenLink
            | Code::AttachmentMissing
            | Code::IndexNoDerived
            | Code::CalendarUnknown
            | Code::BookFonts
            | Code::Placeholder
            | Code::StubBody
            | Code::InterpretationLate
            | Code::InterpretationMissing
            | Code::FeedbackMissing
            | Code::Backdated
            | Code::HistoryUnknown
            | Code::OfficeIncomplete
            | Code::ImportDoubt => Severity::Warning,
            Code::ImportNote => Severity::Note,
            _ => Severity::Error,
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A file a finding can point into: its name as shown to the user and the text of its lines
/// (implemented by the catalog's sources).
pub trait Located {
    /// The file as the user would type it (e.g. `catalog/units/shiqu/unit.toml`).
    fn display(&self) -> &str;
    /// The text of 1-based `line`, if the file has it.
    fn line_text(&self, line: u32) -> Option<&str>;
}

/// One finding, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem this is.
    pub code: Code,
    /// The unit's path under `units/`, where the finding belongs to a unit.
    pub unit: Option<String>,
    /// The domain id, where the finding belongs to one.
    pub domain: Option<String>,
    /// The item id, where the finding belongs to one.
    pub item: Option<String>,
    /// The file as the user would type it (e.g. `catalog/units/shiqu/unit.toml`).
    pub file: Option<String>,
    /// The 1-based line in that file (for a table, Excel's row number).
    pub line: Option<u32>,
    /// Where in a table (workbook or CSV) the finding is: its sheet and column. Set, the
    /// location reads as a person finds a cell in Excel (`表.xlsx 工作表「社会救助」 第 5 行 I 列`).
    pub cell: Option<Cell>,
    /// What is wrong, in Chinese.
    pub message: String,
    /// How to fix it, in Chinese.
    pub hint: Option<String>,
    /// The text of the offending line, shown under the message.
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// A finding with a code and message; locate it with the builder methods.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            unit: None,
            domain: None,
            item: None,
            file: None,
            line: None,
            cell: None,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    /// The severity implied by the code.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Places the finding in a file (without a line).
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Places the finding at a line of a source, with the line's text as snippet.
    pub fn at(mut self, source: &impl Located, line: u32) -> Self {
        self.file = Some(source.display().to_owned());
        self.line = Some(line);
        self.snippet = source.line_text(line).map(str::to_owned);
        self
    }

    /// Places the finding in a table file: the file, the sheet (for workbooks), Excel's row
    /// number and the 0-based column.
    pub fn in_table(
        mut self,
        file: impl Into<String>,
        sheet: Option<String>,
        row: Option<u32>,
        column: Option<usize>,
    ) -> Self {
        self.file = Some(file.into());
        self.line = row;
        self.cell = Some(Cell { sheet, column });
        self
    }

    /// Adds the fix.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the unit, domain and item the finding belongs to.
    pub fn scope(mut self, unit: Option<&str>, domain: Option<&str>, item: Option<&str>) -> Self {
        self.unit = unit.map(str::to_owned);
        self.domain = domain.map(str::to_owned);
        self.item = item.map(str::to_owned);
        self
    }

    /// The order findings are reported in: unit, domain, item, file, line, code.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.unit.as_deref().unwrap_or(""),
            self.domain.as_deref().unwrap_or(""),
            self.item.as_deref().unwrap_or(""),
            self.file.as_deref().unwrap_or(""),
            self.line.unwrap_or(0),
            self.code,
            self.message.as_str(),
        )
    }
}

/// One finding as the JSON reports write it (`check --format json`, `import-standard --format
/// json`): `unit`, `domain`, `item`, `file` and `line` are null where they do not apply; a
/// finding in a table also has `sheet` (workbooks) and `column` (Excel's letter), keys other
/// findings leave out.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    code: Code,
    severity: Severity,
    unit: Option<&'a str>,
    domain: Option<&'a str>,
    item: Option<&'a str>,
    file: Option<&'a str>,
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<String>,
    message: &'a str,
}

impl<'a> From<&'a Diagnostic> for JsonFinding<'a> {
    fn from(f: &'a Diagnostic) -> Self {
        JsonFinding {
            code: f.code,
            severity: f.severity(),
            unit: f.unit.as_deref(),
            domain: f.domain.as_deref(),
            item: f.item.as_deref(),
            file: f.file.as_deref(),
            line: f.line,
            sheet: f.cell.as_ref().and_then(|c| c.sheet.as_deref()),
            column: f.cell.as_ref().and_then(Cell::column_letter),
            message: &f.message,
        }
    }
}

/// Where a finding sits in a table beyond its file and row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cell {
    /// The workbook's sheet (none for CSV).
    pub sheet: Option<String>,
    /// The 0-based column, shown as Excel's letter.
    pub column: Option<usize>,
}

impl Cell {
    /// The column as Excel's letter, if the finding is in one column.
    pub fn column_letter(&self) -> Option<String> {
        self.column.map(column_letter)
    }
}

/// Excel's column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push((b'A' + (col % 26) as u8) as char);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// Sorts findings into their stable report order and drops exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// Counts (errors, warnings); notes are neither.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let of = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    };
    (of(Severity::Error), of(Severity::Warning))
}

/// Formats one finding for a person reading a terminal:
///
/// ```text
/// 错误[schema] catalog/units/shiqu/unit.toml:3
///   缺少必填的键 `level`（层级）。
///    3 | name = "示例区"
///   提示：……
/// ```
///
/// A finding in a table names the cell as a person finds it in Excel:
///
/// ```text
/// 错误[import-refused] 目录.xlsx 工作表「社会救助」 第 5 行 I 列
///   “办事指南”一行的公开对象没有勾选，也无法从文字判断。
/// ```
pub fn render_text(d: &Diagnostic) -> String {
    let mut out = String::new();
    let _ = write!(out, "{}[{}]", d.severity().label(), d.code.as_str());
    match (&d.file, d.line, &d.cell) {
        (Some(file), line, Some(cell)) => {
            let _ = write!(out, " {file}");
            if let Some(sheet) = &cell.sheet {
                let _ = write!(out, " 工作表「{sheet}」");
            }
            if let Some(line) = line {
                let _ = write!(out, " 第 {line} 行");
            }
            if let Some(letter) = cell.column_letter() {
                let _ = write!(out, " {letter} 列");
            }
        }
        (Some(file), Some(line), None) => {
            let _ = write!(out, " {file}:{line}");
        }
        (Some(file), None, None) => {
            let _ = write!(out, " {file}");
        }
        _ => {}
    }
    let _ = write!(out, "\n  {}", d.message);
    if let (Some(snippet), Some(line)) = (&d.snippet, d.line) {
        let _ = write!(out, "\n  {line:>4} | {}", snippet.trim_end());
    }
    if let Some(hint) = &d.hint {
        let _ = write!(out, "\n  提示：{hint}");
    }
    out.push('\n');
    out
}
