//! Command-line options of the generator, parsed by hand (std only).

use chrono::NaiveDate;
use std::path::PathBuf;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Number of county-level units (区/县).
    pub counties: usize,
    /// Townships (乡/镇/街道) under each county.
    pub towns: usize,
    /// Average entries per unit.
    pub entries: usize,
    /// The seed: the same options give a byte-identical tree.
    pub seed: u64,
    /// The folder to write the catalog into.
    pub out: PathBuf,
    /// The catalog whose `site.toml`, `standard/` and `calendar/` are copied.
    pub standard_from: PathBuf,
    /// Allow writing into a non-empty `out` (its catalog folders are replaced).
    pub force: bool,
    /// Average body length in characters.
    pub body_chars: usize,
    /// No date in the catalog is later than this (use the `--as-of` of the build).
    pub as_of: NaiveDate,
}

/// The usage text, printed by `--help` and after a usage error.
pub const USAGE: &str = "\
用法 / usage:
  cargo run --release --example synth -- --out DIR [options]

  --counties N         区县个数 / county-level units (default 1)
  --towns M            每个区县下的乡镇（街道）个数 / townships per county (default 5)
  --entries K          每个单位平均条目数 / average entries per unit (default 20)
  --seed S             随机种子 / seed; same options give a byte-identical tree (default 1)
  --out DIR            输出目录 / output catalog folder (required)
  --standard-from DIR  从这个目录复制 site.toml、standard/、calendar/
                       (default: the repository's catalog/)
  --body-chars N       正文平均字数 / average body length in characters (default 1100)
  --as-of DATE         所有日期不晚于此日 / no date after this (default 2025-06-30)
  --profile entries    以条目为主的档位 / the entry-heavy profile: 10 个区县 × 6 个乡镇（70 个单位），
                       正文约 1150 字、约四分之一带表格；与 --total-entries 合用 / with --total-entries
  --total-entries N    条目总数（约数），按单位数折算成 --entries / total entries (approximate),
                       turned into --entries by the number of units
  --force              允许写入非空目录 / allow a non-empty --out (its site.toml, standard/,
                       calendar/ and units/ are replaced)
  -h, --help           显示本帮助 / this help";

/// Parses the arguments after the program name. `Ok(None)` means help was asked for.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        counties: 1,
        towns: 5,
        entries: 20,
        seed: 1,
        out: PathBuf::new(),
        standard_from: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("catalog"),
        force: false,
        body_chars: 1100,
        as_of: NaiveDate::from_ymd_opt(2025, 6, 30).ok_or("内部错误：默认日期无效")?,
    };
    let mut out = None;
    let mut total_entries = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("选项 {key} 缺少取值 / {key} needs a value"))
        };
        match key.as_str() {
            "-h" | "--help" => return Ok(None),
            "--counties" => options.counties = number(&key, &value()?)?,
            "--towns" => options.towns = number(&key, &value()?)?,
            "--entries" => options.entries = number(&key, &value()?)?,
            "--seed" => options.seed = number(&key, &value()?)?,
            "--body-chars" => options.body_chars = number(&key, &value()?)?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--standard-from" => options.standard_from = PathBuf::from(value()?),
            "--as-of" => {
                let v = value()?;
                options.as_of = NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|_| format!("--as-of 的日期“{v}”无效，应写成 2025-06-30"))?;
            }
            "--profile" => match value()?.as_str() {
                "entries" => {
                    options.counties = 10;
                    options.towns = 6;
                    options.body_chars = 1150;
                }
                other => {
                    return Err(format!(
                        "未知档位“{other}”，可用：entries / unknown profile: {other}"
                    ));
                }
            },
            "--total-entries" => total_entries = Some(number::<usize>(&key, &value()?)?),
            "--force" => options.force = true,
            other => return Err(format!("未知选项 / unknown option: {other}")),
        }
    }
    options.out = out.ok_or("缺少 --out 输出目录 / --out DIR is required")?;
    if let Some(total) = total_entries {
        let units = options.counties * (1 + options.towns);
        options.entries = total.div_ceil(units.max(1));
    }
    check_limits(&options)?;
    Ok(Some(options))
}

/// A non-negative integer option.
fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("{key} 应为非负整数，现在是“{value}” / {key} wants an integer"))
}

/// Limits that keep the 12-digit 区划代码 scheme unique (see `names::county_code`).
fn check_limits(options: &Options) -> Result<(), String> {
    if options.counties == 0 || options.counties > crate::names::MAX_COUNTIES {
        return Err(format!(
            "--counties 应在 1 到 {} 之间 / --counties must be 1..={}",
            crate::names::MAX_COUNTIES,
            crate::names::MAX_COUNTIES
        ));
    }
    if options.towns > crate::names::MAX_TOWNS {
        return Err(format!(
            "--towns 不能超过 {} / --towns must be at most {}",
            crate::names::MAX_TOWNS,
            crate::names::MAX_TOWNS
        ));
    }
    if options.body_chars < 100 {
        return Err("--body-chars 至少为 100 / --body-chars must be at least 100".into());
    }
    Ok(())
}
