//! `gongkai new`: a new entry file in the right folder with complete front matter.

use super::{parse_date, today_in_china, with_catalog};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `gongkai new`.
#[derive(clap::Args)]
pub struct Args {
    /// 单位路径（units/ 下的文件夹，如 shiqu/shizhen）或单位名称（如 示例镇）
    pub unit: String,
    /// 事项：<领域id>/<事项id>（如 shehui-jiuzhu/dibao-zhengce），或名称（如 社会救助/最低生活保障/审核信息）；
    /// 新建政策解读（--interprets）时可不写，放在所解读文件所属领域的解读事项下
    pub item: Option<String>,
    /// 标题
    #[arg(long)]
    pub title: Option<String>,
    /// 成文和发布日期（默认今天，北京时间）
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// 目录文件夹
    #[arg(long, default_value = "catalog")]
    pub root: PathBuf,
    /// 新建政策解读：所解读文件的索引号（可写多次）
    #[arg(long, value_name = "索引号")]
    pub interprets: Vec<String>,
    /// 本文件替代的文件的索引号（可写多次）
    #[arg(long, value_name = "索引号")]
    pub replaces: Vec<String>,
    /// 新建意见采纳情况：所反馈的征求意见稿的索引号
    #[arg(long, value_name = "索引号")]
    pub responds_to: Option<String>,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let date = args.date.unwrap_or_else(today_in_china);
    let root = args.root;
    with_catalog(&root, today_in_china(), |catalog| {
        let new = gongkai::scaffold::NewEntry {
            unit: args.unit,
            item: args.item,
            title: args.title,
            date,
            interprets: args.interprets,
            replaces: args.replaces,
            responds_to: args.responds_to,
        };
        let path = gongkai::scaffold::new_entry(&root, catalog, &new).map_err(|e| e.0)?;
        Ok(format!(
            "已新建 {}\n用文本编辑器打开，修改标题、写正文后运行 gongkai build 检查。\n",
            path.display()
        ))
    })
}
