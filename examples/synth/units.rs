//! The unit tree: counties and their townships with names, codes, contacts, exemptions and an
//! entry budget each. Planned sequentially (cheap, and names must be unique), before the
//! entries of each unit are generated in parallel.

use crate::names;
use crate::rng::Rng;
use crate::standard::Standard;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The kind of unit, which decides its level, name suffix and publisher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 市辖区 (county level).
    Qu,
    /// 县 (county level).
    Xian,
    /// 街道 (township level).
    Jiedao,
    /// 镇 (township level).
    Zhen,
    /// 乡 (township level).
    Xiang,
}

impl Kind {
    /// Whether the unit is county-level.
    pub fn is_county(self) -> bool {
        matches!(self, Kind::Qu | Kind::Xian)
    }

    /// The name suffix.
    pub fn suffix(self) -> &'static str {
        match self {
            Kind::Qu => "区",
            Kind::Xian => "县",
            Kind::Jiedao => "街道",
            Kind::Zhen => "镇",
            Kind::Xiang => "乡",
        }
    }

    /// The `level` value of `unit.toml`.
    pub fn level(self) -> &'static str {
        if self.is_county() {
            "county"
        } else {
            "township"
        }
    }
}

/// One unit to generate.
#[derive(Debug, Clone)]
pub struct UnitSpec {
    /// Position in the plan; also the unit's random stream.
    pub index: usize,
    /// Path under `units/`, e.g. `qinghe/dongshan`.
    pub path: String,
    /// Chinese name, e.g. 东山镇.
    pub name: String,
    /// The county's name (the unit's own name for a county).
    pub county: String,
    /// Kind and level.
    pub kind: Kind,
    /// 12-digit 统计用区划代码.
    pub code: String,
    /// 18-character org code (索引号 prefix).
    pub org_code: String,
    /// Default 发布机构.
    pub publisher: String,
    /// Office address.
    pub address: String,
    /// Office phone (a fixed-line number; never a mobile number).
    pub phone: String,
    /// Items that do not apply here, with the reason: (index into `Standard::items`, reason).
    pub exempt: Vec<(usize, &'static str)>,
    /// How many entries to generate.
    pub budget: usize,
}

/// Relative entry weight of a county against a township: districts publish more.
const COUNTY_WEIGHT: f64 = 3.0;

/// Plans `counties` counties with `towns` townships each, about `entries` entries per unit on
/// average (counties get [`COUNTY_WEIGHT`] times a township's share).
pub fn plan(
    seed: u64,
    counties: usize,
    towns: usize,
    entries: usize,
    standard: &Standard,
) -> Vec<UnitSpec> {
    let mut rng = Rng::derive(seed, u64::MAX);
    let mut reserved: BTreeSet<String> = standard.domains.iter().map(|d| d.id.clone()).collect();
    reserved.insert("static".into());
    let units_total = counties * (towns + 1);
    let weight_total = counties as f64 * (COUNTY_WEIGHT + towns as f64);
    let per_weight = entries as f64 * units_total as f64 / weight_total;

    let (mut county_names, mut county_folders) = (BTreeSet::new(), BTreeSet::new());
    let mut units = Vec::with_capacity(units_total);
    for c in 0..counties {
        let kind = if rng.chance(0.45) {
            Kind::Qu
        } else {
            Kind::Xian
        };
        let (stem, folder) =
            names::unique_stem(&mut rng, &mut county_names, &mut county_folders, &reserved);
        let name = format!("{stem}{}", kind.suffix());
        let code = names::county_code(c);
        let area = format!("0{}", rng.range(910, 999));
        let county = UnitSpec {
            index: units.len(),
            path: folder.clone(),
            county: name.clone(),
            kind,
            org_code: names::org_code(&code, units.len() + 1),
            publisher: format!("{name}人民政府办公室"),
            address: format!(
                "{name}{}{}号{name}政务服务中心",
                names::road(&mut rng),
                rng.range(1, 299)
            ),
            phone: phone(&mut rng, &area),
            exempt: Vec::new(),
            budget: budget(&mut rng, per_weight * COUNTY_WEIGHT),
            name,
            code: code.clone(),
        };
        let county_name = county.name.clone();
        units.push(county);
        let (mut town_names, mut town_folders) = (BTreeSet::new(), BTreeSet::new());
        let mut next_part = [1usize, 100, 200];
        for _ in 0..towns {
            let town_kind = town_kind(&mut rng, kind, &next_part);
            let slot = match town_kind {
                Kind::Jiedao => 0,
                Kind::Zhen => 1,
                _ => 2,
            };
            let part = next_part[slot];
            next_part[slot] += 1;
            let (stem, town_folder) =
                names::unique_stem(&mut rng, &mut town_names, &mut town_folders, &reserved);
            let name = format!("{stem}{}", town_kind.suffix());
            let town_code = names::town_code(&code, part);
            let publisher = if town_kind == Kind::Jiedao {
                format!("{county_name}人民政府{name}办事处")
            } else {
                format!("{name}人民政府")
            };
            units.push(UnitSpec {
                index: units.len(),
                path: format!("{folder}/{town_folder}"),
                county: county_name.clone(),
                kind: town_kind,
                org_code: names::org_code(&town_code, units.len() + 1),
                publisher,
                address: format!(
                    "{county_name}{name}{}{}号{}便民服务中心",
                    names::road(&mut rng),
                    rng.range(1, 199),
                    if town_kind == Kind::Jiedao {
                        "党群服务中心、"
                    } else {
                        ""
                    }
                ),
                phone: phone(&mut rng, &area),
                exempt: exemptions(&mut rng, town_kind, standard),
                budget: budget(&mut rng, per_weight),
                name,
                code: town_code,
            });
        }
    }
    units
}

/// A township kind: districts have mostly 街道, counties mostly 镇 and 乡; respects code ranges.
fn town_kind(rng: &mut Rng, county: Kind, next_part: &[usize; 3]) -> Kind {
    let p_jiedao = if county == Kind::Qu { 0.6 } else { 0.15 };
    let mut kind = if rng.chance(p_jiedao) {
        Kind::Jiedao
    } else if rng.chance(0.65) {
        Kind::Zhen
    } else {
        Kind::Xiang
    };
    let full = |k: Kind| match k {
        Kind::Jiedao => next_part[0] > 99,
        Kind::Zhen => next_part[1] > 199,
        _ => next_part[2] > 399,
    };
    for fallback in [Kind::Xiang, Kind::Zhen, Kind::Jiedao] {
        if !full(kind) {
            break;
        }
        kind = fallback;
    }
    kind
}

/// An entry budget around `mean` (±40 %).
fn budget(rng: &mut Rng, mean: f64) -> usize {
    (mean * rng.between(0.6, 1.4)).round() as usize
}

/// A fixed-line number, `0xxx-xxxxxxxx`.
fn phone(rng: &mut Rng, area: &str) -> String {
    format!("{area}-{}", rng.range(52_000_000, 89_999_999))
}

/// Items a township declares 本级不涉及: 街道 have no farmland or rural housing; some 乡 have no
/// state-owned land to expropriate.
fn exemptions(rng: &mut Rng, kind: Kind, standard: &Standard) -> Vec<(usize, &'static str)> {
    let rules: &[(&str, &str)] = match kind {
        Kind::Jiedao => &[
            (
                "nongcun-weifang-gaizao",
                "本街道辖区均为城市社区，无农村住房，不承担农村危房改造任务。",
            ),
            (
                "shenong-butie",
                "本街道辖区无承包耕地和农业生产经营主体，不发放涉农补贴。",
            ),
        ],
        Kind::Xiang if rng.chance(0.5) => &[(
            "guoyou-tudi-fangwu-zhengshou",
            "本乡辖区均为农村集体土地，无国有土地上房屋征收项目。",
        )],
        _ => &[],
    };
    let mut exempt = Vec::new();
    for (domain_id, reason) in rules {
        for (i, item) in standard.items.iter().enumerate() {
            if item.township && standard.domains[item.domain].id == *domain_id {
                exempt.push((i, *reason));
            }
        }
    }
    exempt
}

/// Office hours, the unit's and its office's.
const HOURS: &str = "工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）";

/// The unit's `[office]` table, every key `check` wants (so no `office-incomplete`), derived
/// from the unit's planned fields without drawing from the random stream (the same seed gives
/// the same names and entries as before the table was added): the 政务公开办 of a county,
/// the 党政办公室 of a township; the postcode from the region code, the fax one number after
/// the phone, the mailbox under the county's folder name.
fn office(unit: &UnitSpec) -> [(&'static str, String); 7] {
    let name = match unit.kind {
        Kind::Qu | Kind::Xian => format!(
            "{}人民政府办公室（{}政务公开办）",
            unit.name,
            unit.kind.suffix()
        ),
        Kind::Jiedao => format!("{}人民政府{}办事处党政办公室", unit.county, unit.name),
        Kind::Zhen | Kind::Xiang => format!("{}人民政府党政办公室", unit.name),
    };
    let room = if unit.kind.is_county() {
        "三楼301室"
    } else {
        "一楼"
    };
    let fax = match unit.phone.split_once('-') {
        Some((area, number)) => match number.parse::<u64>() {
            Ok(n) => format!("{area}-{}", n + 1),
            Err(_) => unit.phone.clone(),
        },
        None => unit.phone.clone(),
    };
    let email = match unit.path.split_once('/') {
        Some((county, town)) => format!("{town}@{county}.example.gov.cn"),
        None => format!("gongkai@{}.example.gov.cn", unit.path),
    };
    [
        ("name", name),
        ("address", format!("{}{room}", unit.address)),
        ("postcode", format!("99{}", &unit.code[2..6])),
        ("hours", HOURS.to_owned()),
        ("phone", unit.phone.clone()),
        ("fax", fax),
        ("email", email),
    ]
}

/// The unit's `unit.toml`.
pub fn unit_toml(unit: &UnitSpec, standard: &Standard) -> String {
    let mut s = String::new();
    let what = if unit.kind.is_county() {
        "县级单位".to_owned()
    } else {
        format!("乡级单位，隶属{}", unit.county)
    };
    let _ = writeln!(
        s,
        "# {}（{what}）。合成测试数据（examples/synth 生成），名称和代码均为虚构。\n",
        unit.name
    );
    for (key, value) in [
        ("name", &unit.name),
        ("level", &unit.kind.level().to_owned()),
        ("code", &unit.code),
        ("org_code", &unit.org_code),
        ("publisher", &unit.publisher),
        ("address", &unit.address),
        ("phone", &unit.phone),
    ] {
        let _ = writeln!(s, "{key} = {}", crate::text::toml_str(value));
    }
    let _ = writeln!(s, "hours = {}", crate::text::toml_str(HOURS));
    s.push_str("\n# 政府信息公开工作机构（《政府信息公开条例》第十二条）\n[office]\n");
    for (key, value) in office(unit) {
        let _ = writeln!(s, "{key} = {}", crate::text::toml_str(&value));
    }
    for (item, reason) in &unit.exempt {
        let item = &standard.items[*item];
        let _ = write!(
            s,
            "\n[[exempt]]\nitem = \"{}/{}\"\nreason = {}\n",
            standard.domains[item.domain].id,
            item.id,
            crate::text::toml_str(reason)
        );
    }
    s
}
