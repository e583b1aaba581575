//! The command line in Chinese: clap parses, but every word a clerk reads is ours — the help
//! (a Chinese template, headings, value names, defaults and choices written into each option's
//! help), the usage lines, and the errors, rendered here from [`clap::Error::kind`] and its
//! context instead of clap's English text.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};
use std::process::ExitCode;

/// The layout of every help page.
const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The layout of a command's help page (it has no text after the options).
const SUB_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}\n";

/// The Chinese name shown for an argument's value, by the argument's id.
fn value_name(id: &str) -> Option<&'static str> {
    Some(match id {
        "root" | "out" | "html" | "dir" | "shards" => "文件夹",
        "shard" => "i/N",
        "as_of" | "date" => "日期",
        "base_url" => "网址",
        "units" | "file" | "output" => "文件",
        "year" => "年份",
        "unit" => "单位路径",
        "item" => "领域id/事项id",
        "title" => "标题",
        "port" => "端口",
        "bind" => "地址",
        "domain" => "领域id",
        "sheet" => "工作表",
        "target" => "范围",
        "format" => "格式",
        "code" => "代码",
        _ => return None,
    })
}

fn help_arg() -> Arg {
    Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help("显示帮助")
        .help_heading("选项")
}

/// One argument in Chinese: its value name, heading, and its default and choices in its help.
fn localize_arg(arg: Arg) -> Arg {
    let positional = arg.is_positional();
    let mut arg = arg.help_heading(if positional { "参数" } else { "选项" });
    if let Some(name) = value_name(arg.get_id().as_str()) {
        arg = arg.value_name(name);
    }
    if !arg.get_action().takes_values() {
        return arg;
    }
    let mut help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let choices: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if !choices.is_empty() {
        help.push_str(&format!("（可选：{}）", choices.join("、")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() {
        help.push_str(&format!("（默认：{}）", defaults.join("、")));
    }
    arg.help(help)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// The usage line of a subcommand: its positional arguments and `[选项]`.
fn usage_of(command: &Command) -> String {
    let mut usage = format!("gongkai {}", command.get_name());
    for arg in command.get_positionals() {
        let name = arg
            .get_value_names()
            .and_then(|n| n.first())
            .map_or_else(|| arg.get_id().to_string(), ToString::to_string);
        if arg.is_required_set() {
            usage.push_str(&format!(" <{name}>"));
        } else {
            usage.push_str(&format!(" [{name}]"));
        }
    }
    usage.push_str(" [选项]");
    usage
}

/// The whole command line, in Chinese.
pub fn localize(command: Command) -> Command {
    command
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .override_usage("gongkai <命令> [选项]")
        .after_help("运行 gongkai <命令> --help 查看一个命令的全部选项，如 gongkai build --help。")
        .arg(help_arg())
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号")
                .help_heading("选项"),
        )
        .mut_subcommands(|sub| {
            let sub = sub
                .disable_help_flag(true)
                .help_template(SUB_TEMPLATE)
                .mut_args(localize_arg)
                .arg(help_arg());
            let usage = usage_of(&sub);
            sub.override_usage(usage)
        })
}

fn context(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

fn first(e: &clap::Error, kind: ContextKind) -> String {
    context(e, kind).into_iter().next().unwrap_or_default()
}

/// An option as the user wrote it (`--out <文件夹>` → `--out`).
fn option_name(arg: &str) -> String {
    arg.split([' ', '=']).next().unwrap_or(arg).to_owned()
}

/// What went wrong, in Chinese, from a clap error's kind and context; `command` (the localized
/// command line) and the arguments give the usage line when the error has none.
pub fn render(e: &clap::Error, command: &Command, args: &[String]) -> String {
    let arg = option_name(&first(e, ContextKind::InvalidArg));
    let value = first(e, ContextKind::InvalidValue);
    let mut out = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let mut s = format!(
                "没有“{}”这个命令。",
                first(e, ContextKind::InvalidSubcommand)
            );
            if let Some(best) = context(e, ContextKind::SuggestedSubcommand).first() {
                s.push_str(&format!("是否想用 gongkai {best}？"));
            }
            s
        }
        ErrorKind::UnknownArgument => {
            let written = first(e, ContextKind::InvalidArg);
            let mut s = if written.starts_with('-') {
                format!("不认识的选项“{written}”。")
            } else {
                format!("多出的参数“{written}”。")
            };
            // Our own suggestion (the same measure as the catalog's typo hints): clap's may
            // offer an option that looks nothing like what was written.
            let scope = args
                .get(1)
                .and_then(|name| command.find_subcommand(name))
                .unwrap_or(command);
            let longs: Vec<&str> = scope.get_arguments().filter_map(Arg::get_long).collect();
            let suggestion = written
                .strip_prefix("--")
                .map(|w| w.split('=').next().unwrap_or(w))
                .and_then(|w| gongkai::names::closest(w, longs.iter().copied()));
            if let Some(best) = suggestion {
                s.push_str(&format!("是否想写“--{best}”？"));
            } else if let Some(best) = context(e, ContextKind::SuggestedSubcommand).first() {
                s.push_str(&format!("是否想用 gongkai {best}？"));
            }
            s
        }
        ErrorKind::InvalidValue if value.is_empty() => {
            format!("选项 {arg} 后面缺少值。")
        }
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue);
            let mut s = format!("选项 {arg} 的值“{value}”无效。");
            if !valid.is_empty() {
                s.push_str(&format!("可选：{}。", valid.join("、")));
            }
            s
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(ToString::to_string)
                .unwrap_or_default();
            format!("选项 {arg} 的值“{value}”无效：{why}")
        }
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<String> = context(e, ContextKind::InvalidArg);
            format!("缺少必须给出的参数：{}。", missing.join("、"))
        }
        ErrorKind::ArgumentConflict => format!(
            "选项 {arg} 不能和 {} 同时使用。",
            option_name(&first(e, ContextKind::PriorArg))
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("选项 {arg} 的值个数不对。")
        }
        ErrorKind::MissingSubcommand => "缺少命令。".to_owned(),
        ErrorKind::InvalidUtf8 => "命令行中有无法识别的字符（不是 UTF-8）。".to_owned(),
        _ => "命令行写法不对。".to_owned(),
    };
    let usage = first(e, ContextKind::Usage);
    let usage = usage.trim();
    let usage = usage
        .strip_prefix("Usage:")
        .unwrap_or(usage)
        .trim()
        .to_owned();
    let usage = if usage.is_empty() {
        args.get(1)
            .and_then(|name| command.find_subcommand(name))
            .map(usage_of)
            .unwrap_or_default()
    } else {
        usage
    };
    out = format!("错误：{out}\n");
    if !usage.is_empty() {
        out.push_str(&format!("用法：{usage}\n"));
    }
    let command = usage
        .strip_prefix("gongkai ")
        .and_then(|rest| rest.split(' ').next())
        .filter(|c| !c.starts_with('<') && !c.starts_with('['));
    match command {
        Some(c) => out.push_str(&format!("运行 gongkai {c} --help 查看全部选项。\n")),
        None => out.push_str("运行 gongkai --help 查看全部命令。\n"),
    }
    out
}

/// Prints help or version (exit 0), or the error in Chinese (exit 2).
pub fn exit(e: &clap::Error, command: &Command) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(2)
        }
        _ => {
            let args: Vec<String> = std::env::args().collect();
            eprint!("{}", render(e, command, &args));
            ExitCode::from(2)
        }
    }
}
