//! The integration tests: one binary that runs the real `gongkai` on fixture catalogs copied to
//! temporary folders, and asserts on what a reader or CI sees — exit codes, Chinese messages with
//! file and line, and the files written.

mod architecture;
mod audit;
mod book;
mod clerk;
mod faults;
mod harness;
mod history;
mod hostile;
mod import;
mod incremental;
mod init;
mod reader_data;
mod relations;
mod serve;
mod site;
mod standard;
mod validation;
