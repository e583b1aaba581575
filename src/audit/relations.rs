//! The rules on related information: a policy's 解读 published with it (`interpretation-late`,
//! `interpretation-missing`: 同步起草、同步审签、同步发布, and 国办发〔2016〕19号's three working
//! days), and a consultation's adoption report (`feedback-missing`: 《重大行政决策程序暂行条例》
//! and the source plans' 吸收采纳情况要向公众公开). They read the relations `crate::validate`
//! resolved, so a 解读 in a town of a county document counts like one beside it.

use super::{DayCounter, Rule};
use crate::diag::{Code, Diagnostic};
use crate::model::{Catalog, Entry, LimitUnit, Unit, Validity};
use chrono::NaiveDate;

/// `interpretation-late`'s documentation.
pub const LATE: Rule = Rule {
    code: Code::InterpretationLate,
    name: "解读滞后",
    explanation: "政策解读的发布日期晚于所解读文件的发布日期超过 interpretation_days 个工作日（默认 3 个）。国办发〔2016〕19号要求重要政策的解读材料在文件公开后 3 个工作日内在政府网站和媒体发布；《政府网站发展指引》要求重要政策文件与起草部门的解读一并发布；基层政务公开试点方案要求解读与文件“同步起草、同步审签、同步发布”。工作日按国务院办公厅公布的节假日安排计算，起算日不计入。\n怎么改：今后解读与文件同日发布；日期填错的改正解读的 published；本地规定的时限不同，在 site.toml 中写 interpretation_days。",
};

/// `interpretation-missing`'s documentation.
pub const MISSING: Rule = Rule {
    code: Code::InterpretationMissing,
    name: "缺少解读",
    explanation: "标为行政规范性文件（normative = true）的文件，公开后 interpretation_days 个工作日（默认 3 个）仍没有任何条目以 interprets 指向它。规范性文件的政策解读应当“同步起草、同步审签、同步发布”（基层政务公开试点方案），国办发〔2016〕19号要求解读材料在文件公开后 3 个工作日内发布；评估中解读稿未与政策原文双向关联也要扣分。已失效、废止的文件不再要求解读。\n怎么改：发布解读，在解读的 front matter 中写 interprets = [\"<文件的索引号>\"]（可用 gongkai new … --interprets <索引号> 新建）；若文件并非规范性文件，删去 normative = true。",
};

/// `feedback-missing`'s documentation.
pub const FEEDBACK: Rule = Rule {
    code: Code::FeedbackMissing,
    name: "未反馈意见采纳情况",
    explanation: "征求意见稿（consultation）的征求意见期已截止超过该事项的公开时限（limit_days，默认 20 个工作日），但没有任何条目以 responds_to 指向它。《重大行政决策程序暂行条例》（国务院令第713号）要求决策草案向社会公开征求意见，征求意见期限一般不少于 30 日；基层政务公开试点方案要求“吸收采纳情况要向公众公开，不予采纳的要说明理由”。\n怎么改：发布意见采纳情况，说明采纳了哪些意见、不予采纳的理由，在其 front matter 中写 responds_to = \"<征求意见稿的索引号>\"（可用 gongkai new … --responds-to <索引号> 新建）。",
};

/// Finds 解读 published too long after their documents, and `normative` documents still without
/// one when the time for it has passed.
pub fn interpretations(catalog: &Catalog, counter: &DayCounter) -> Vec<Diagnostic> {
    let limit = catalog.site.interpretation_days;
    let mut findings = Vec::new();
    for unit in &catalog.units {
        for entry in &unit.entries {
            for doc in &entry.relations.interprets {
                let days = counter.between(LimitUnit::Working, doc.published, entry.published);
                if entry.published <= doc.published || days <= i64::from(limit) {
                    continue;
                }
                let mut d = finding(
                    catalog,
                    unit,
                    entry,
                    Code::InterpretationLate,
                    format!(
                        "解读滞后：《{}》（{}）{} 发布，本解读 {} 才发布，相隔 {days} 个工作日，超过 {limit} 个工作日。",
                        doc.title, doc.index_no, doc.published, entry.published
                    ),
                )
                .hint("解读应与文件同步发布（国办发〔2016〕19号：文件公开后 3 个工作日内）；日期填错的请改正 published。");
                d.line = entry.lines.interprets;
                findings.push(d);
            }
            if !entry.normative
                || !entry.relations.interpretations.is_empty()
                || entry.validity_at(catalog.as_of) != Validity::Valid
            {
                continue;
            }
            let due = counter.deadline(LimitUnit::Working, entry.published, limit);
            if due >= catalog.as_of {
                continue;
            }
            let mut d = finding(
                catalog,
                unit,
                entry,
                Code::InterpretationMissing,
                format!(
                    "缺少解读：本文件是行政规范性文件，{} 发布，解读最迟应在 {due}（{limit} 个工作日内）发布，至 {} 仍没有解读与它关联。",
                    entry.published, catalog.as_of
                ),
            )
            .hint(format!(
                "发布政策解读，并在解读中写 interprets = [\"{}\"]；不是规范性文件的，删去 normative = true。",
                entry.index_no
            ));
            d.line = entry.lines.normative;
            findings.push(d);
        }
    }
    findings
}

/// Finds consultations closed longer ago than their item's limit with no adoption report.
pub fn feedback(catalog: &Catalog, counter: &DayCounter) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for unit in &catalog.units {
        for entry in &unit.entries {
            let Some(consultation) = entry.consultation else {
                continue;
            };
            if !entry.relations.responses.is_empty() {
                continue;
            }
            let item = &catalog.standard.domains[entry.domain].items[entry.item];
            let due = counter.deadline(item.limit_unit, consultation.closes, item.limit_days);
            if due >= catalog.as_of {
                continue;
            }
            let mut d = finding(
                catalog,
                unit,
                entry,
                Code::FeedbackMissing,
                format!(
                    "未反馈意见采纳情况：征求意见 {} 已截止，采纳情况最迟应在 {due} 公开，至 {} 仍没有条目以 responds_to 指向本征求意见稿。",
                    consultation.closes, catalog.as_of
                ),
            )
            .hint(format!(
                "发布意见采纳情况（采纳了哪些意见，不予采纳的说明理由），在其中写 responds_to = \"{}\"。{}",
                entry.index_no,
                short_period_note(consultation.opens, consultation.closes)
            ));
            d.line = entry.lines.consultation;
            findings.push(d);
        }
    }
    findings
}

/// A note for a comment period shorter than the 30 days 《重大行政决策程序暂行条例》 sets in
/// general (nothing otherwise).
fn short_period_note(opens: NaiveDate, closes: NaiveDate) -> String {
    let days = (closes - opens).num_days() + 1;
    if days < 30 {
        format!(
            "另：本次征求意见期只有 {days} 日，《重大行政决策程序暂行条例》规定征求意见期限一般不少于 30 日。"
        )
    } else {
        String::new()
    }
}

fn finding(
    catalog: &Catalog,
    unit: &Unit,
    entry: &Entry,
    code: Code,
    message: String,
) -> Diagnostic {
    let domain = &catalog.standard.domains[entry.domain];
    Diagnostic::new(code, message).in_file(&entry.source).scope(
        Some(&unit.path),
        Some(&domain.id),
        Some(&domain.items[entry.item].id),
    )
}
