//! `gongkai serve`: the live preview.

use super::{parse_date, today_in_china};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `gongkai serve`.
#[derive(clap::Args)]
pub struct Args {
    /// 目录文件夹
    #[arg(long, default_value = "catalog")]
    pub root: PathBuf,
    /// 只预览这个单位、它的下级单位和上级单位（大目录时更快；页面上不列出其他单位），写路径（如 shiqu/shizhen）或单位名称（如 示例镇）
    #[arg(long)]
    pub unit: Option<String>,
    /// 端口（0 表示自动选择空闲端口）
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// 监听地址；默认只允许本机访问
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// 启动后在浏览器中打开
    #[arg(long)]
    pub open: bool,
    /// 核查日期（默认今天，北京时间）
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let options = gongkai::serve::ServeOptions {
        root: args.root,
        unit: args.unit.clone(),
        bind: args.bind,
        port: args.port,
        as_of: args.as_of.unwrap_or_else(today_in_china),
    };
    // A folder path opens the unit's home; a unit's name opens the preview's root page, which
    // lists only the units it built.
    let page = args
        .unit
        .filter(|u| u.is_ascii())
        .map(|u| format!("{}/", u.trim_matches('/')))
        .unwrap_or_default();
    let open = args.open;
    let result = gongkai::serve::serve(options, |url| {
        if open {
            open_browser(&format!("{url}{page}"));
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// Opens `url` in the desktop's browser, if there is one.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "windows") {
        ("cmd", vec!["/C", "start", "", url])
    } else if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(program)
        .args(args)
        .spawn()
        .is_err()
    {
        eprintln!("无法自动打开浏览器，请手动访问 {url}");
    }
}
