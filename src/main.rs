//! The `gongkai` command line: parses the arguments and hands them to the command's file in
//! [`cmd`], which runs a pipeline from the library, prints in Chinese and maps the outcome to the
//! contract's exit codes (0 success, 1 the catalog has errors, 2 bad usage or a failure to run).

mod cmd;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

/// gongkai：基层政务公开标准化规范化专栏生成工具
#[derive(Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 校验目录并生成整个网站
    Build(cmd::build::Args),
    /// 合并 build --shard 构建的各个分片，写成整个网站（不重新生成任何单位）
    Merge(cmd::merge::Args),
    /// 校验并审计：完整性（未公开）、时效性（逾期公开、未按期更新）、失效标注
    Check(cmd::check::Args),
    /// 新建目录：26 个领域的标准目录、工作日历、网站设置，以及示例单位或 CSV 中列出的单位
    Init(cmd::init::Args),
    /// 新建一条信息：放在正确的文件夹，带完整的 front matter 和下一个索引号
    New(cmd::new::Args),
    /// 列出单位适用的事项：id、信息条数、更新时间
    List(cmd::list::Args),
    /// 生成“办事一本通”：每个单位一份可打印的 PDF 和打印版网页
    Book(cmd::book::Args),
    /// 本地预览：生成到内存，在 127.0.0.1 上提供网页，保存文件后自动刷新
    Serve(cmd::serve::Args),
    /// 导入本地已有的标准目录表格（Excel 或 CSV），写成 standard/<领域>.toml 或本级补充文件
    #[command(name = "import-standard")]
    ImportStandard(cmd::import::Args),
    /// 年度报告：某一年各单位、各重点领域的新公开、更新、逾期公开、失效废止和解读条数
    Report(cmd::report::Args),
    /// 解释一个问题代码的含义和改法（如 late、missing）；不带参数列出全部
    Explain(cmd::explain::Args),
}

/// mimalloc: a build allocates and frees millions of small strings across threads. Built with
/// `no_thp`: otherwise it asks for transparent huge pages, and each first touch of a 2 MB region
/// zeroes all of it (12 % of a city edit rebuild's CPU, 70-90 MB instead of 48 MB RSS).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Help, usage and errors in Chinese (cmd/usage.rs); clap only parses.
    let command = cmd::usage::localize(Cli::command());
    let cli = match command
        .clone()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(e) => return cmd::usage::exit(&e, &command),
    };
    match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Merge(args) => cmd::merge::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::List(args) => cmd::list::run(args),
        Command::Book(args) => cmd::book::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::ImportStandard(args) => cmd::import::run(args),
        Command::Report(args) => cmd::report::run(args),
        Command::Explain(args) => cmd::explain::run(args),
    }
}
