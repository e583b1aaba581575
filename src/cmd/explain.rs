//! `gongkai explain`: what a finding code means and how to fix it.

use gongkai::audit;
use gongkai::diag::Code;
use std::process::ExitCode;

/// The Chinese names of the validation codes (the audit's rules carry their own).
const NAMES: [(Code, &str); 16] = [
    (Code::Syntax, "格式错误"),
    (Code::Schema, "键或值错误"),
    (Code::UnknownDomain, "未知领域"),
    (Code::UnknownItem, "未知事项"),
    (Code::DateOrder, "日期先后不对"),
    (Code::DuplicateIndexNo, "索引号重复"),
    (Code::Encoding, "编码错误"),
    (Code::UnsafePath, "不安全的路径"),
    (Code::Privacy, "个人信息泄露"),
    (Code::IndexNoDerived, "自动编号的索引号"),
    (Code::CalendarUnknown, "缺少工作日历"),
    (Code::Placeholder, "示例值和占位内容"),
    (Code::StubBody, "未改的正文模板"),
    (Code::ImportRefused, "表格无法导入"),
    (Code::ImportDoubt, "导入存疑"),
    (Code::ImportNote, "导入说明"),
];

/// A code's Chinese name.
fn name_of(c: Code) -> &'static str {
    audit::RULES
        .iter()
        .find(|r| r.code == c)
        .map(|r| r.name)
        .or_else(|| NAMES.iter().find(|(n, _)| *n == c).map(|(_, name)| *name))
        .unwrap_or("")
}

/// The code named by its machine name (late) or its Chinese name (逾期公开, or a unique part
/// of it); several matches are listed.
fn find(query: &str) -> Result<Option<Code>, String> {
    if let Some(c) = Code::parse(query) {
        return Ok(Some(c));
    }
    let exact: Vec<Code> = Code::ALL
        .into_iter()
        .filter(|&c| name_of(c) == query)
        .collect();
    let found: Vec<Code> = if exact.is_empty() && !query.is_ascii() {
        Code::ALL
            .into_iter()
            .filter(|&c| name_of(c).contains(query))
            .collect()
    } else {
        exact
    };
    match found.as_slice() {
        [] => Ok(None),
        [c] => Ok(Some(*c)),
        several => Err(format!(
            "“{query}”对应 {} 个问题代码，请写其中一个：{}。",
            several.len(),
            several
                .iter()
                .map(|c| format!("{}（{}）", c.as_str(), name_of(*c)))
                .collect::<Vec<_>>()
                .join("、")
        )),
    }
}

/// The arguments of `gongkai explain`.
#[derive(clap::Args)]
pub struct Args {
    /// 问题代码（如 late）或它的中文名称（如 逾期公开）
    pub code: Option<String>,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    explain(args.code.as_deref())
}

fn explain(code: Option<&str>) -> ExitCode {
    let describe = |c: Code| {
        let rule = audit::RULES.iter().find(|r| r.code == c);
        let text = rule
            .map(|r| r.explanation)
            .or(c.explanation())
            .unwrap_or("");
        let name = rule.map_or_else(
            || format!("（{}）", name_of(c)),
            |r| format!("（{}）", r.name),
        );
        format!("{}{name} — {}\n{text}\n", c.as_str(), c.severity().label())
    };
    match code {
        None => {
            for c in Code::ALL {
                println!("{}", describe(c));
            }
            ExitCode::SUCCESS
        }
        Some(name) => match find(name.trim()) {
            Err(choices) => {
                eprintln!("{choices}");
                ExitCode::from(2)
            }
            Ok(Some(c)) => {
                print!("{}", describe(c));
                ExitCode::SUCCESS
            }
            Ok(None) => {
                let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
                let hint = gongkai::names::closest(name, names.iter().copied())
                    .map(|b| format!("是否想查“{b}”？"))
                    .unwrap_or_default();
                eprintln!(
                    "没有问题代码“{name}”。{hint}可用的代码：{}。",
                    names.join("、")
                );
                ExitCode::from(2)
            }
        },
    }
}
