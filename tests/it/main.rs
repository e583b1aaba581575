//! The integration tests: one binary that runs the real `gongkai` on fixture catalogs copied to
//! temporary folders, and asserts on what a reader or CI sees — exit codes, Chinese messages with
//! file and line, and the files written.

mod architecture;
mod audit;
mod bombs;
mod book;
mod clerk;
mod cli;
mod faults;
mod golive;
mod harness;
mod history;
mod hostile;
mod import;
mod incremental;
mod init;
mod levels;
mod reader_data;
mod relations;
mod report;
mod seen;
mod serve;
mod shard;
mod site;
mod standard;
mod traditional;
mod validation;
