//! Fictional names and codes: places built from syllable lists (东山镇, 青河区 …), with a
//! pinyin folder name; 12-digit 统计用区划代码 under the fictional province 99; 18-character
//! 统一社会信用代码-shaped org codes with a real GB 32100 check character.

use crate::rng::Rng;
use std::collections::BTreeSet;

/// Syllables for place names: (汉字, pinyin).
const SYLLABLES: [(&str, &str); 64] = [
    ("东", "dong"),
    ("西", "xi"),
    ("南", "nan"),
    ("北", "bei"),
    ("青", "qing"),
    ("白", "bai"),
    ("石", "shi"),
    ("金", "jin"),
    ("龙", "long"),
    ("凤", "feng"),
    ("安", "an"),
    ("平", "ping"),
    ("长", "chang"),
    ("永", "yong"),
    ("新", "xin"),
    ("清", "qing"),
    ("河", "he"),
    ("山", "shan"),
    ("桥", "qiao"),
    ("柳", "liu"),
    ("杨", "yang"),
    ("梅", "mei"),
    ("桃", "tao"),
    ("松", "song"),
    ("湖", "hu"),
    ("溪", "xi"),
    ("林", "lin"),
    ("泉", "quan"),
    ("阳", "yang"),
    ("宁", "ning"),
    ("丰", "feng"),
    ("兴", "xing"),
    ("华", "hua"),
    ("和", "he"),
    ("福", "fu"),
    ("寿", "shou"),
    ("康", "kang"),
    ("乐", "le"),
    ("云", "yun"),
    ("峰", "feng"),
    ("岭", "ling"),
    ("坪", "ping"),
    ("塘", "tang"),
    ("湾", "wan"),
    ("港", "gang"),
    ("州", "zhou"),
    ("城", "cheng"),
    ("庄", "zhuang"),
    ("沙", "sha"),
    ("田", "tian"),
    ("茶", "cha"),
    ("竹", "zhu"),
    ("花", "hua"),
    ("桂", "gui"),
    ("枫", "feng"),
    ("槐", "huai"),
    ("玉", "yu"),
    ("银", "yin"),
    ("铜", "tong"),
    ("红", "hong"),
    ("绿", "lv"),
    ("黄", "huang"),
    ("崇", "chong"),
    ("文", "wen"),
];

/// Company-name trades (行政处罚、许可 parties).
const TRADES: [&str; 12] = [
    "商贸",
    "建材",
    "食品",
    "化工",
    "物流",
    "机械",
    "纺织",
    "餐饮",
    "建筑工程",
    "农业开发",
    "医药",
    "包装",
];

/// Family names for masked person names (张某某).
const FAMILY: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
];

/// Most counties: the 2-digit city part runs 01–99 and 20 counties share a city.
pub const MAX_COUNTIES: usize = 99 * 20;
/// Most townships per county: 街道 001–099, 镇 100–199, 乡 200–399.
pub const MAX_TOWNS: usize = 99 + 100 + 200;

/// A two-syllable stem: (汉字, pinyin).
pub fn stem(rng: &mut Rng) -> (String, String) {
    let (a, pa) = *rng.pick(&SYLLABLES);
    let mut b = *rng.pick(&SYLLABLES);
    while b.0 == a {
        b = *rng.pick(&SYLLABLES);
    }
    (format!("{a}{}", b.0), format!("{pa}{}", b.1))
}

/// A stem whose Chinese name and folder are not yet in `names` / `folders`, nor in `reserved`
/// (domain ids, `static`); adds it to both sets.
pub fn unique_stem(
    rng: &mut Rng,
    names: &mut BTreeSet<String>,
    folders: &mut BTreeSet<String>,
    reserved: &BTreeSet<String>,
) -> (String, String) {
    for attempt in 0.. {
        let (name, mut folder) = stem(rng);
        if attempt >= 50 {
            folder = format!("{folder}{attempt}");
        }
        if !names.contains(&name) && !folders.contains(&folder) && !reserved.contains(&folder) {
            names.insert(name.clone());
            folders.insert(folder.clone());
            return (name, folder);
        }
        if attempt >= 10_000 {
            break;
        }
    }
    // Unreachable in practice (64×63 stems, then numbered folders with repeated names).
    let n = folders.len();
    let folder = format!("unit{n}");
    folders.insert(folder.clone());
    (format!("第{n}单位"), folder)
}

/// A village or community name (人民村, 东山社区 …).
pub fn village(rng: &mut Rng) -> String {
    let (s, _) = stem(rng);
    let suffix = if rng.chance(0.6) { "村" } else { "社区" };
    format!("{s}{suffix}")
}

/// A fictional company name.
pub fn company(rng: &mut Rng, county: &str) -> String {
    let (s, _) = stem(rng);
    let trade = rng.pick(&TRADES);
    format!("{county}{s}{trade}有限公司")
}

/// A masked person name as lists publish it (张某某, 李某).
pub fn masked_person(rng: &mut Rng) -> String {
    let family = rng.pick(&FAMILY);
    if rng.chance(0.7) {
        format!("{family}某某")
    } else {
        format!("{family}某")
    }
}

/// A road name for addresses.
pub fn road(rng: &mut Rng) -> String {
    let (s, _) = stem(rng);
    let kind = rng.pick(&["路", "街", "大道", "巷"]);
    format!("{s}{kind}")
}

/// The 12-digit code of the `index`-th county (0-based): province 99, city 01–99, county 01–20.
pub fn county_code(index: usize) -> String {
    format!("99{:02}{:02}000000", index / 20 + 1, index % 20 + 1)
}

/// A township's code: the county's first 6 digits, the 3-digit township part, `000`.
pub fn town_code(county_code: &str, town_part: usize) -> String {
    format!("{}{town_part:03}000", &county_code[..6])
}

/// GB 32100-2015 characters (no I, O, S, V, Z).
const USCC_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// An 18-character org code shaped like a 机关 统一社会信用代码: `11`, the region's 6 digits,
/// `MB`, a 7-digit serial (unique per unit), and the GB 32100 check character.
pub fn org_code(code: &str, serial: usize) -> String {
    let body = format!("11{}MB{:07}", &code[..6], serial % 10_000_000);
    let sum: usize = body
        .bytes()
        .zip(USCC_WEIGHTS)
        .map(|(b, w)| USCC_CHARS.iter().position(|&c| c == b).unwrap_or(0) * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    format!("{body}{}", char::from(USCC_CHARS[check]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_right_shape() {
        let c = county_code(MAX_COUNTIES - 1);
        assert_eq!(c.len(), 12);
        assert!(c.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(town_code(&c, 399).len(), 12);
        let o = org_code(&c, 1234);
        assert_eq!(o.len(), 18);
        assert!(!o.contains(['/', ' ']));
    }
}
