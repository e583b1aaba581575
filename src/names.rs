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

/// A short, readable id for a Chinese name, as the national catalogue's ids are written: pinyin
/// in words of two characters (most Chinese words are two), hyphenated, at most `max_words` of
/// them: 救助对象名单 → jiuzhu-duixiang-mingdan. A single character left at the end of a run joins
/// the word before it (公开查阅点 → gongkai-chayuedian); letters and digits are a word of their
/// own; punctuation separates. An empty result is `shixiang`.
pub fn id_words(name: &str, max_words: usize) -> String {
    let mut words: Vec<String> = Vec::new();
    // The syllables of the current run of Chinese characters, and the current run of letters.
    let mut syllables: Vec<String> = Vec::new();
    let mut ascii = String::new();
    let flush_syllables = |syllables: &mut Vec<String>, words: &mut Vec<String>| {
        let mut chunks: Vec<String> = syllables.chunks(2).map(|c| c.concat()).collect();
        if syllables.len() % 2 == 1 && chunks.len() > 1 {
            let last = chunks.pop().unwrap_or_default();
            if let Some(before) = chunks.last_mut() {
                before.push_str(&last);
            }
        }
        words.extend(chunks);
        syllables.clear();
    };
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            Some(p) => {
                if !ascii.is_empty() {
                    words.push(std::mem::take(&mut ascii));
                }
                syllables.push(
                    p.plain()
                        .chars()
                        .map(|c| if c == 'ü' { 'v' } else { c })
                        .filter(char::is_ascii_alphanumeric)
                        .collect(),
                );
            }
            None if c.is_ascii_alphanumeric() => {
                flush_syllables(&mut syllables, &mut words);
                ascii.push(c.to_ascii_lowercase());
            }
            None => {
                flush_syllables(&mut syllables, &mut words);
                if !ascii.is_empty() {
                    words.push(std::mem::take(&mut ascii));
                }
            }
        }
    }
    flush_syllables(&mut syllables, &mut words);
    if !ascii.is_empty() {
        words.push(ascii);
    }
    words.truncate(max_words);
    if words.is_empty() {
        "shixiang".to_owned()
    } else {
        words.join("-")
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

    #[test]
    fn ids_are_short_pinyin_words() {
        assert_eq!(id_words("救助对象名单", 3), "jiuzhu-duixiang-mingdan");
        assert_eq!(id_words("特困人员救助供养", 3), "tekun-renyuan-jiuzhu");
        assert_eq!(id_words("公开查阅点", 3), "gongkai-chayuedian");
        assert_eq!(id_words("资金发放", 3), "zijin-fafang");
        assert_eq!(id_words("村", 3), "cun");
        assert_eq!(id_words("2024年度（第1批）", 3), "2024-niandu-di");
        assert_eq!(id_words("（）", 3), "shixiang");
    }
}
