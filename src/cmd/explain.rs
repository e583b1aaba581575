//! `gongkai explain`: what a finding code means and how to fix it.

use gongkai::audit;
use gongkai::diag::Code;
use std::process::ExitCode;

/// The arguments of `gongkai explain`.
#[derive(clap::Args)]
pub struct Args {
    /// 问题代码
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
        let name = rule.map(|r| format!("（{}）", r.name)).unwrap_or_default();
        format!("{}{name} — {}\n{text}\n", c.as_str(), c.severity().label())
    };
    match code {
        None => {
            for c in Code::ALL {
                println!("{}", describe(c));
            }
            ExitCode::SUCCESS
        }
        Some(name) => match Code::parse(name) {
            Some(c) => {
                print!("{}", describe(c));
                ExitCode::SUCCESS
            }
            None => {
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
