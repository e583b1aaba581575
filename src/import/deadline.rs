//! Reading a 公开时限 text as the audit's `cadence`, `limit_days` and `limit_unit`, where the text
//! says so plainly ("20个工作日内", "每季度", "批准后20日内"). Anything vaguer ("长期公开", "及时",
//! two different deadlines, "7个工作日前") is left as text for readers and reported, never guessed;
//! notice periods beside a deadline ("公示7个工作日", "不少于30日") are not taken for it.

use unicode_normalization::UnicodeNormalization;

/// What a 公开时限 means for the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// `event`, `monthly`, `quarterly`, `half-yearly` or `yearly`.
    pub cadence: &'static str,
    /// Days allowed, when the text names them.
    pub limit_days: Option<u32>,
    /// `working` or `calendar`, with `limit_days`.
    pub limit_unit: &'static str,
}

/// Parses a 公开时限; `None` when it does not say plainly.
pub fn parse(text: &str) -> Option<Timing> {
    let text = arabic_numerals(
        &text
            .nfkc()
            .filter(|c| !c.is_whitespace())
            .collect::<String>(),
    );
    let cadence = periodic(&text);
    let counts = day_counts(&text);
    let first = counts.first().copied();
    if counts.iter().any(|c| Some(*c) != first) {
        return None; // "决定之日起7个工作日内（备案结果：20个工作日内）": two deadlines in one cell.
    }
    match (cadence, first) {
        (Some(cadence), Some((days, unit))) => Some(Timing {
            cadence,
            limit_days: Some(days),
            limit_unit: unit,
        }),
        (Some(cadence), None) => Some(Timing {
            cadence,
            limit_days: None,
            limit_unit: "working",
        }),
        (None, Some((days, unit))) => Some(Timing {
            cadence: "event",
            limit_days: Some(days),
            limit_unit: unit,
        }),
        (None, None) => None,
    }
}

/// Why [`parse`] left a 公开时限 alone, for the warning.
pub fn why_unclear(text: &str) -> &'static str {
    let text = arabic_numerals(
        &text
            .nfkc()
            .filter(|c| !c.is_whitespace())
            .collect::<String>(),
    );
    let mut counts = day_counts(&text);
    counts.dedup();
    if counts.len() > 1 {
        "写了不止一个期限"
    } else {
        "没有写明天数或周期"
    }
}

/// The period a text names: 每月 / 每季度 / 每半年 / 每年 and their variants. The word that comes
/// first decides ("每年第一季度内" is yearly, not quarterly), and a quarter named by its number
/// (第1季度, 4季度) is once a year.
fn periodic(text: &str) -> Option<&'static str> {
    const WORDS: [(&str, &str); 13] = [
        ("每半年", "half-yearly"),
        ("半年度", "half-yearly"),
        ("按半年", "half-yearly"),
        ("每季度", "quarterly"),
        ("按季度", "quarterly"),
        ("季度", "quarterly"),
        ("每季", "quarterly"),
        ("每月", "monthly"),
        ("按月", "monthly"),
        ("月度", "monthly"),
        ("每年", "yearly"),
        ("按年", "yearly"),
        ("年度", "yearly"),
    ];
    let named_quarter = |at: usize| {
        text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
    };
    WORDS
        .iter()
        .enumerate()
        .filter_map(|(order, (word, cadence))| {
            let at = text.find(word)?;
            let cadence = if *word == "季度" && named_quarter(at) {
                "yearly"
            } else {
                *cadence
            };
            Some(((at, order), cadence))
        })
        .min_by_key(|(key, _)| *key)
        .map(|(_, cadence)| cadence)
}

/// Every "N个工作日" / "N日" / "N天" / "N个自然日" in the text, in order.
fn day_counts(text: &str) -> Vec<(u32, &'static str)> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let rest: String = chars[i..].iter().take(6).collect();
        let rest = rest.strip_prefix('个').unwrap_or(&rest);
        let (unit, word) = if rest.starts_with("工作日") {
            (Some("working"), "工作日")
        } else if rest.starts_with("自然日") {
            (Some("calendar"), "自然日")
        } else if rest.starts_with('日') || rest.starts_with('天') {
            (Some("calendar"), "日")
        } else {
            (None, "")
        };
        let before: String = chars[start.saturating_sub(6)..start].iter().collect();
        // "公示7个工作日", "不少于30日", "期限为5个工作日": how long, not how soon; "7个工作日前",
        // "之前": before; "3月31日": a date.
        let duration = ["少于", "公示", "期限", "为期", "期为"]
            .iter()
            .any(|w| before.contains(w));
        let after = &rest[word.len()..];
        let ahead = ["前", "之前", "以前"].iter().any(|w| after.starts_with(w));
        let date = start > 0 && chars[start - 1] == '月';
        if let (Some(unit), Ok(days)) = (unit, number.parse::<u32>())
            && (1..=366).contains(&days)
            && !duration
            && !ahead
            && !date
        {
            found.push((days, unit));
        }
    }
    found
}

/// Rewrites Chinese numbers up to 99 (七, 十, 十五, 二十, 三十) as Arabic digits.
fn arabic_numerals(text: &str) -> String {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .or((c == '两').then_some(2))
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let run_end = (i..chars.len())
            .find(|&j| digit(chars[j]).is_none() && chars[j] != '十')
            .unwrap_or(chars.len());
        if run_end == i {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = &chars[i..run_end];
        let value = match run.iter().position(|&c| c == '十') {
            Some(p) => {
                let tens = if p == 0 {
                    Some(1)
                } else if p == 1 {
                    digit(run[0])
                } else {
                    None
                };
                let ones = match run.len() - p - 1 {
                    0 => Some(0),
                    1 => digit(run[p + 1]),
                    _ => None,
                };
                tens.zip(ones).map(|(t, o)| t * 10 + o)
            }
            None if run.len() == 1 => digit(run[0]),
            None => None,
        };
        match value {
            Some(v) => out.push_str(&v.to_string()),
            None => out.extend(run),
        }
        i = run_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(cadence: &'static str, days: Option<u32>, unit: &'static str) -> Option<Timing> {
        Some(Timing {
            cadence,
            limit_days: days,
            limit_unit: unit,
        })
    }

    #[test]
    fn plain_deadlines_are_read() {
        assert_eq!(parse("20个工作日内"), t("event", Some(20), "working"));
        assert_eq!(
            parse("信息形成或者变更之日起20个工作日内"),
            t("event", Some(20), "working")
        );
        assert_eq!(parse("二十个工作日内"), t("event", Some(20), "working"));
        assert_eq!(parse("１０个工作日内"), t("event", Some(10), "working"));
        assert_eq!(
            parse("本级人大或其常委会批准后20日内"),
            t("event", Some(20), "calendar")
        );
        assert_eq!(parse("每季度"), t("quarterly", None, "working"));
        assert_eq!(
            parse("每季度结束后15日内"),
            t("quarterly", Some(15), "calendar")
        );
        assert_eq!(parse("每半年"), t("half-yearly", None, "working"));
        assert_eq!(parse("每年3月底前"), t("yearly", None, "working"));
        assert_eq!(parse("于每年3月31日之前"), t("yearly", None, "working"));
        assert_eq!(
            parse("季度终了后15日内"),
            t("quarterly", Some(15), "calendar")
        );
        assert_eq!(parse("按月公开"), t("monthly", None, "working"));
        // The first period word decides: a quarter of every year is yearly.
        assert_eq!(parse("每年第一季度内"), t("yearly", None, "working"));
        assert_eq!(
            parse("每年第一季度结束后15日内"),
            t("yearly", Some(15), "calendar")
        );
        assert_eq!(parse("次年第一季度"), t("yearly", None, "working"));
        assert_eq!(
            parse("每季度（年度汇总除外）"),
            t("quarterly", None, "working")
        );
        assert_eq!(parse("上半年度"), t("half-yearly", None, "working"));
        // A notice period beside the deadline is not a second deadline.
        assert_eq!(
            parse("制定或获取信息之日起10个工作日内；初审对象名单公示7个工作日"),
            t("event", Some(10), "working")
        );
        assert_eq!(
            parse("批前公示不少于30日；批后公布：规划批准后20个工作日内"),
            t("event", Some(20), "working")
        );
    }

    #[test]
    fn vague_or_double_deadlines_are_not_guessed() {
        assert_eq!(parse("长期公开"), None);
        assert_eq!(parse("实时"), None);
        assert_eq!(parse(""), None);
        assert_eq!(
            parse("作出行政决定之日起7个工作日内（备案结果：信息形成之日起20个工作日内）"),
            None
        );
        assert_eq!(parse("在组织听证7个工作日前"), None);
        assert_eq!(parse("征求意见期限不得少于30日"), None);
        assert_eq!(parse("公告期限为5个工作日"), None);
        assert_eq!(parse("公示时间7个工作日"), None);
        assert_eq!(parse("6月30日之前"), None);
        assert_eq!(
            why_unclear("决定之日起7个工作日内（备案：20个工作日内）"),
            "写了不止一个期限"
        );
        assert_eq!(why_unclear("长期公开"), "没有写明天数或周期");
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(arabic_numerals("十五日"), "15日");
        assert_eq!(arabic_numerals("三十天"), "30天");
        assert_eq!(arabic_numerals("七个工作日"), "7个工作日");
        assert_eq!(arabic_numerals("十日"), "10日");
    }
}
