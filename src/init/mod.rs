//! `gongkai init`: starts a catalog a district can build at once — `site.toml` with every key
//! explained in Chinese, the 26-domain standard catalogue, the working-day calendar, and either
//! one sample county and town or one folder per unit listed in a CSV (名称, 层级, 区划代码,
//! 上级区划代码, 发布机构), counties, their townships and the townships' villages (村、社区).
//! Nothing existing is ever overwritten.

pub mod embedded;

use crate::diag::{Code, Diagnostic};
use crate::failure::Failure;
use crate::model::Level;
use crate::render::OutputFile;
use crate::source::Source;
use crate::write::{Replaces, Staging};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One row of the units CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    /// 名称, e.g. 东山镇.
    pub name: String,
    /// `county`, `township` or `village`.
    pub level: &'static str,
    /// 区划代码.
    pub code: String,
    /// 上级区划代码, if any.
    pub parent_code: Option<String>,
    /// 发布机构.
    pub publisher: String,
    /// The CSV line, for messages.
    pub line: u32,
}

const HEADERS: [&str; 5] = ["名称", "层级", "区划代码", "上级区划代码", "发布机构"];

/// Reads and checks the units CSV (UTF-8, with or without BOM; GBK is refused with a hint).
pub fn read_units_csv(path: &Path) -> Result<Vec<UnitRow>, Vec<Diagnostic>> {
    let display = crate::source::display_path(path);
    let source = Source::read(path, display.clone()).map_err(|mut d| {
        if d.code == Code::Encoding {
            d.hint =
                Some("在 Excel 中“另存为”，文件类型选“CSV UTF-8（逗号分隔）”，再重新运行。".into());
        }
        vec![d]
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(source.text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => {
            return Err(vec![csv_error(
                &display,
                1,
                format!("无法读取表头：{}。", crate::reason::csv(&e)),
            )]);
        }
    };
    let mut column = BTreeMap::new();
    for wanted in HEADERS {
        match headers.iter().position(|h| h == wanted) {
            Some(i) => {
                column.insert(wanted, i);
            }
            None => {
                return Err(vec![
                    csv_error(&display, 1, format!("表头缺少“{wanted}”列。"))
                        .hint(format!("第一行应为：{}（顺序不限）。", HEADERS.join(","))),
                ]);
            }
        }
    }
    let mut rows = Vec::new();
    let mut diags = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                diags.push(csv_error(
                    &display,
                    line,
                    format!("这一行无法读取：{}。", crate::reason::csv(&e)),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as u32);
        let cell = |name: &str| record.get(column[name]).unwrap_or("").trim().to_owned();
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let level = match Level::from_chinese(&cell("层级")) {
            Some(level) => level.as_str(),
            None => {
                let other = cell("层级");
                diags.push(
                    csv_error(&display, line, format!("层级“{other}”无效。"))
                        .hint("层级填“县级”（区、县、县级市；也可写区级、区县级）、“乡级”（乡、镇、街道；也可写镇级、乡镇、街道）或“村级”（村民委员会、居民委员会；也可写村、社区）。"),
                );
                continue;
            }
        };
        let code = cell("区划代码");
        if !(code.bytes().all(|b| b.is_ascii_digit()) && matches!(code.len(), 6 | 9 | 12)) {
            diags.push(
                csv_error(&display, line, format!("区划代码“{code}”无效。"))
                    .hint("填 6 位或 9 位行政区划代码，或 12 位统计用区划代码（只含数字；在 Excel 中把该列设为“文本”，以免丢掉开头的 0）。"),
            );
            continue;
        }
        let (name, publisher) = (cell("名称"), cell("发布机构"));
        if name.is_empty() || publisher.is_empty() {
            diags.push(
                csv_error(&display, line, "名称和发布机构不能为空。")
                    .hint("如：东山镇,乡级,999001100000,999001000000,东山镇人民政府"),
            );
            continue;
        }
        let parent = cell("上级区划代码");
        rows.push(UnitRow {
            name,
            level,
            code,
            parent_code: (!parent.is_empty()).then_some(parent),
            publisher,
            line,
        });
    }
    let mut codes = BTreeSet::new();
    for row in &rows {
        if !codes.insert(row.code.as_str()) {
            diags.push(
                csv_error(&display, row.line, format!("区划代码“{}”重复。", row.code))
                    .hint("每个单位的区划代码必须不同。"),
            );
        }
    }
    for row in &rows {
        let parent = row
            .parent_code
            .as_deref()
            .and_then(|p| rows.iter().find(|r| r.code == p));
        match (row.level, parent) {
            ("township", None) => diags.push(
                csv_error(
                    &display,
                    row.line,
                    format!(
                        "乡级单位“{}”的上级区划代码在表中找不到对应的县级单位。",
                        row.name
                    ),
                )
                .hint("把所属区县也列入表中，并在“上级区划代码”填它的区划代码。"),
            ),
            ("village", None) => diags.push(
                csv_error(
                    &display,
                    row.line,
                    format!(
                        "村级单位“{}”的上级区划代码在表中找不到对应的乡级单位。",
                        row.name
                    ),
                )
                .hint("把所属乡镇（街道）也列入表中，并在“上级区划代码”填它的区划代码。"),
            ),
            ("village", Some(p)) if p.level != "township" => diags.push(
                csv_error(
                    &display,
                    row.line,
                    format!("村级单位“{}”的上级“{}”不是乡级单位。", row.name, p.name),
                )
                .hint("村（社区）的上级应是乡镇（街道）。"),
            ),
            ("township", Some(p)) if p.level != "county" => diags.push(
                csv_error(
                    &display,
                    row.line,
                    format!("“{}”的上级“{}”不是县级单位。", row.name, p.name),
                )
                .hint("乡镇（街道）的上级应是区县。"),
            ),
            ("county", Some(p)) => diags.push(
                csv_error(
                    &display,
                    row.line,
                    format!(
                        "县级单位“{}”的上级是{}单位“{}”。",
                        row.name,
                        Level::parse(p.level).map_or("", Level::label),
                        p.name
                    ),
                )
                .hint("区县的“上级区划代码”留空，或填地级市的代码（地级市不必列入表中）。"),
            ),
            _ => {}
        }
    }
    if rows.is_empty() && diags.is_empty() {
        diags.push(csv_error(&display, 2, "表中没有任何单位。").hint("从第二行起每行一个单位。"));
    }
    if diags.is_empty() {
        Ok(rows)
    } else {
        Err(diags)
    }
}

fn csv_error(display: &str, line: u32, message: impl Into<String>) -> Diagnostic {
    let mut d = Diagnostic::new(Code::Schema, message).in_file(display);
    d.line = Some(line);
    d
}

/// What `init` wrote.
#[derive(Debug)]
pub struct InitReport {
    /// Unit folders created, as paths under `units/`.
    pub units: Vec<String>,
    /// Files written.
    pub files: usize,
}

/// Creates a catalog in `dir` (which must not exist or be empty).
pub fn init(dir: &Path, units: Option<&[UnitRow]>) -> Result<InitReport, Failure> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Failure(format!(
                "文件夹“{}”已存在且不是空的，为避免覆盖已有内容，init 不做任何修改。请换一个新文件夹名。",
                dir.display()
            )));
        }
    }
    let mut files = vec![text("site.toml", &site_toml(units))];
    files.extend(
        embedded::STANDARD
            .iter()
            .map(|(id, t)| text(&format!("standard/{id}.toml"), t)),
    );
    files.extend(
        embedded::CALENDAR
            .iter()
            .map(|(y, t)| text(&format!("calendar/{y}.toml"), t)),
    );
    files.push(text("standard/local/README.md", LOCAL_README));
    let unit_paths = match units {
        None => {
            files.push(text(
                "units/shixian/unit.toml",
                &unit_toml(
                    &UnitRow {
                        name: "示例县".into(),
                        level: "county",
                        code: "999002000000".into(),
                        parent_code: None,
                        publisher: "示例县人民政府办公室".into(),
                        line: 0,
                    },
                    1,
                ),
            ));
            files.push(text(
                "units/shixian/shizhen/unit.toml",
                &unit_toml(
                    &UnitRow {
                        name: "示例镇".into(),
                        level: "township",
                        code: "999002100000".into(),
                        parent_code: Some("999002000000".into()),
                        publisher: "示例镇人民政府".into(),
                        line: 0,
                    },
                    1,
                ),
            ));
            files.push(text(
                "units/shixian/shehui-jiuzhu/zonghe-jiandu/jiandu-jubao.md",
                SAMPLE_ENTRY,
            ));
            vec!["shixian".to_owned(), "shixian/shizhen".to_owned()]
        }
        Some(rows) => {
            let paths = unit_paths(rows);
            let orders = sibling_orders(rows);
            for ((row, path), order) in rows.iter().zip(&paths).zip(orders) {
                files.push(text(
                    &format!("units/{path}/unit.toml"),
                    &unit_toml(row, order),
                ));
            }
            let mut sorted = paths;
            sorted.sort();
            sorted
        }
    };
    let count = files.len();
    let staging = Staging::create(dir, None, Replaces::Nothing).map_err(|e| Failure(e.0))?;
    staging.write_all(files).map_err(|e| Failure(e.0))?;
    staging.commit().map_err(|e| Failure(e.0))?;
    Ok(InitReport {
        units: unit_paths,
        files: count,
    })
}

/// The row in `rows` that is row `i`'s parent: the row of the parent level whose 区划代码 is
/// row `i`'s 上级区划代码 (a county's may be a city's, not in the table: none).
fn parent_row(rows: &[UnitRow], i: usize) -> Option<usize> {
    let parent_level = Level::parse(rows[i].level).and_then(Level::parent)?;
    let code = rows[i].parent_code.as_deref()?;
    rows.iter()
        .position(|r| r.code == code && r.level == parent_level.as_str())
}

/// Each row's `order` in `unit.toml`: its place among the rows of the same parent, in the
/// table's row order (1, 2, 3, …). The site lists siblings as the table lists them; a table
/// sorted by 区划代码 gives the official order.
fn sibling_orders(rows: &[UnitRow]) -> Vec<u32> {
    let mut taken: BTreeMap<Option<usize>, u32> = BTreeMap::new();
    (0..rows.len())
        .map(|i| {
            let n = taken.entry(parent_row(rows, i)).or_default();
            *n += 1;
            *n
        })
        .collect()
}

/// Folder paths under `units/` for each row: `<county>`, `<county>/<town>` or
/// `<county>/<town>/<village>`, slugs made unique among siblings by appending the code's last
/// digits.
fn unit_paths(rows: &[UnitRow]) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    // Counties first, then towns, then villages, so each can be placed under its parent.
    let depth = |level: &str| Level::parse(level).map_or(0, |l| l as usize);
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (depth(rows[i].level), rows[i].code.clone()));
    let mut paths = vec![String::new(); rows.len()];
    for i in order {
        let row = &rows[i];
        let prefix = parent_row(rows, i)
            .map(|p| format!("{}/", paths[p]))
            .unwrap_or_default();
        let mut s = crate::names::slug(&row.name);
        if taken.contains(&format!("{prefix}{s}"))
            || crate::model::RESERVED_SEGMENTS.contains(&s.as_str())
        {
            s = format!("{s}-{}", &row.code[row.code.len() - 3..]);
        }
        let path = format!("{prefix}{s}");
        taken.insert(path.clone());
        paths[i] = path;
    }
    paths
}

fn text(path: &str, content: &str) -> OutputFile {
    OutputFile::Bytes {
        path: path.to_owned(),
        bytes: content.as_bytes().to_vec(),
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn unit_toml(row: &UnitRow, order: u32) -> String {
    format!(
        "# 单位信息。修改后运行 gongkai build 检查。\n\
         name = {name}              # 单位名称\n\
         level = \"{level}\"            # 层级：county（县级：区、县、县级市）、township（乡级：乡、镇、街道）或 village（村级：村、社区）\n\
         code = \"{code}\"          # 区划代码（6 位或 9 位行政区划代码，或 12 位统计用区划代码）\n\
         org_code = \"{code}\"      # 待填写：发布机构代码，用于生成索引号；请改为发布机构的统一社会信用代码（现在是区划代码）\n\
         publisher = {publisher}    # 默认发布机构\n\
         order = {order}                 # 排列顺序：网站上与同级单位一起列出时的先后（小的在前），按单位表中的行序填写\n\
         # 联系方式：写了任意一项，网站就有本单位的“联系我们”页面\n\
         # address = \"\"             # 地址\n\
         # phone = \"\"               # 咨询电话\n\
         # hours = \"\"               # 办公时间\n\
         {office}\
         \n\
         # 本级不涉及的事项，逐条写明原因，例如：\n\
         # [[exempt]]\n\
         # item = \"shuishou-guanli/nashui-fuwu\"\n\
         # reason = \"本镇无此项职能\"\n",
        name = toml_string(&row.name),
        level = row.level,
        code = row.code,
        publisher = toml_string(&row.publisher),
        order = order,
        office = if row.level == "village" {
            ""
        } else {
            OFFICE_TEMPLATE
        },
    )
}

/// The `[office]` table a new county or township unit is asked to fill in (commented out: until
/// it is, `check` warns office-incomplete). Villages have none: their township's office serves them.
const OFFICE_TEMPLATE: &str = "\n\
# 政府信息公开工作机构（指南页和依申请公开页用；《政府信息公开条例》第十二条要求写明），去掉 # 后填写：\n\
# [office]\n\
# name = \"\"                 # 机构名称，如“××镇人民政府党政办公室”\n\
# address = \"\"              # 办公地址\n\
# postcode = \"\"             # 邮政编码（6 位数字）\n\
# hours = \"\"                # 办公时间\n\
# phone = \"\"                # 联系电话\n\
# fax = \"\"                  # 传真号码\n\
# email = \"\"                # 电子邮箱（与 website 至少写一个）\n\
# website = \"\"              # 网站\n";

/// `site.toml`: the title and 主办单位 come from the county row when the CSV has exactly one
/// county; what `init` cannot know (web address, 网站标识码, ICP) keeps a sample value marked
/// 待填写, which `build` and `check` report until it is replaced.
fn site_toml(units: Option<&[UnitRow]>) -> String {
    let mut counties = units.into_iter().flatten().filter(|r| r.level == "county");
    let (title, organizer) = match (counties.next(), counties.next()) {
        (Some(county), None) => (
            format!("{}基层政务公开标准化规范化专栏", county.name),
            county.publisher.clone(),
        ),
        _ => (
            "示例县基层政务公开标准化规范化专栏".to_owned(),
            "示例县人民政府办公室".to_owned(),
        ),
    };
    SITE_TOML
        .replace("{title}", &toml_string(&title))
        .replace("{organizer}", &toml_string(&organizer))
}

const SITE_TOML: &str = r#"# 网站设置。每一项都会显示在网页上或写进网页元数据，请按本单位实际情况修改。
# 标有“待填写”的几项还是示例值：gongkai build 和 gongkai check 会逐项提醒，
# 加 --strict 时不改好就不能通过。

# 网站（专栏）标题，显示在每页页头和浏览器标题栏
title = {title}

# 待填写：专栏发布后的完整网址，以 / 结尾；只用于规范链接，页面之间的链接都是相对的
base_url = "https://www.example.gov.cn/jczwgk/"

# 待填写：政府网站标识码（10 位，见全国政府网站信息报送系统），显示在页脚和 SiteIDCode 元数据中
site_id_code = "9999000000"

# 主办单位，显示在页脚
organizer = {organizer}

# 待填写：ICP 备案号（如“粤ICP备12345678号”），显示在页脚，链接到工业和信息化部 ICP/IP 地址/域名信息备案管理系统
icp = "示ICP备00000000号"

# 公安机关备案号（可选），显示在页脚，链接到全国互联网安全管理服务平台按号码查询
# police_record = "示公网安备 00000000000000号"

# 我为政府网站找错（可选）：写 true 时每页页脚有“我为政府网站找错”链接，打开国务院办公厅
# 政府网站找错页面，并带上网站标识码和当前页面地址（普通链接，不在页面中加载外部脚本）
# error_report = true

# 党政机关网站标识（可选）：conac_url 是标识的登记信息页面，conac_image 是标识图片；
# 都要写完整网址。显示在页脚；只写 conac_url 时显示文字链接“党政机关网站标识”
# conac_url = "https://bszs.conac.cn/sitename?method=show&id=请填写本网站的编号"
# conac_image = "https://dcs.conac.cn/image/red.png"

# 办事一本通（可选）：写 true 时构建网站同时排版各单位的办事一本通（book.pdf 和 book/ 打印版网页），
# 单位首页链接它；不写或写 false 时不排版，也不显示这些链接
# book = true

# 繁體版（可选）：写 true 时在 zh-hant/ 下再生成一份繁体字的网站（按 OpenCC 简转繁标准转换），
# 每页页头有“繁體”“简体”互相切换的链接；附件、订阅和办事一本通不另存，繁體页面链接简体版的文件
# traditional = true

# 政策解读时限（可选，默认 3）：解读晚于所解读文件多少个工作日报告“解读滞后”（国办发〔2016〕19号）
# interpretation_days = 3

# 倒填日期核查（可选）：文件第一次提交进 git 仓库比发布日期晚多少天报告 backdated（默认 3）；
# history_since 之前提交的文件（如从旧系统一次迁移进来的历史信息）不核对
# backdate_days = 3
# history_since = 2025-01-01

# 变更记录（可选，默认 false）：写 true 时信息页面列出发布后每次修改的日期（取自 git 提交记录，
# 按北京时间；浅克隆或不在 git 仓库中时不显示）
# change_log = true

# 主题（可选，默认 default）
# theme = "default"

# 页面语言（可选，默认 zh-CN）
# language = "zh-CN"

# 办事一本通（PDF）使用的中文字体文件夹（可选，相对于本目录）；不写则使用系统字体，
# Debian/Ubuntu 上请安装 fonts-noto-cjk
# font_dir = "fonts"

# 是否允许网页、脚本类附件（.html、.svg、.xml、.js 等，可选，默认 false）。这类文件在浏览器中打开时会运行其中的脚本，
# 最好转换为 PDF 或压缩成 .zip 再作为附件；确需原样发布时改为 true，并按 docs/hosting.md 设置网站服务器，让它们只能下载
# active_attachments = false
"#;

const LOCAL_README: &str = "本级补充事项：在这里新建 <领域id>.toml，写入 [[items]]（键与 standard/<领域id>.toml 相同），\n这些事项会加到该领域的国家标准目录之后，在领域页上标为“本级补充”。事项 id 不能与国家目录重复。\n";

const SAMPLE_ENTRY: &str = r#"+++
# 这是一条示例信息，可以照着修改或删除。
title = "示例县民政局社会救助监督举报渠道"
created = 2024-01-02
published = 2024-01-03
index_no = "999002000000/2024-00001"
topic = "民政、扶贫、救灾"
summary = "社会救助信访通讯地址和投诉举报电话。"
privacy_exception = "公布的是单位办公电话，不是个人号码。"
+++
群众对社会救助工作有意见或建议的，可通过以下渠道反映：

| 渠道 | 内容 |
|---|---|
| 信访通讯地址 | 示例县示例大道1号 示例县民政局 |
| 投诉举报电话 | 0000-00000000 |
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_match_the_catalog_folder() {
        for (dir, list) in [
            ("standard", &embedded::STANDARD[..]),
            ("calendar", &embedded::CALENDAR[..]),
        ] {
            let mut names: Vec<String> = std::fs::read_dir(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("catalog")
                    .join(dir),
            )
            .expect("catalog folder")
            .filter_map(|e| {
                e.ok()?
                    .file_name()
                    .to_str()?
                    .strip_suffix(".toml")
                    .map(str::to_owned)
            })
            .collect();
            names.sort();
            let embedded: Vec<&str> = list.iter().map(|(n, _)| *n).collect();
            assert_eq!(
                names, embedded,
                "src/init/embedded.rs lists every catalog/{dir} file"
            );
        }
    }
}
