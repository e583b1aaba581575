//! Names and ids: the ASCII slug of a Chinese name (folder names, item ids), and the closest of
//! a list of names to a word typed by hand (for "是否想写…？" hints).

use pinyin::ToPinyin;

/// A readable ASCII folder name or id for a Chinese name: the name in pinyin without tones (东山镇 →
/// dongshanzhen, 绿 → lv). Polyphonic characters take their most common reading, which may be wrong for a
/// place name (长安 → zhangan); the folder can be renamed freely before the first publication.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            // 律 → lv, as in pinyin input methods: folder names and ids stay ASCII.
            Some(p) => out.extend(
                p.plain()
                    .chars()
                    .map(|c| if c == 'ü' { 'v' } else { c })
                    .filter(char::is_ascii_alphanumeric),
            ),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            None => {}
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() {
        "danwei".to_owned()
    } else {
        out
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_pinyin() {
        assert_eq!(slug("东山镇"), "dongshanzhen");
        assert_eq!(slug("青石乡"), "qingshixiang");
        // Polyphones take their most common reading (长 → zhang); a clerk may rename the folder.
        assert_eq!(slug("长安街道"), "zhanganjiedao");
        assert_eq!(slug("第1社区"), "di1shequ");
        assert_eq!(slug("（）"), "danwei");
    }
}
