//! gongkai (公开): a static site generator for China's 基层政务公开标准化规范化 programme.
//!
//! The pipeline, one module per stage:
//! [`load`] reads the catalog folder into raw structs →
//! [`validate`] checks them and builds the typed [`model`] →
//! [`render`] turns the model into pages with the theme →
//! [`write`] puts the pages in place atomically.
//! [`build`] strings the stages together; [`diag`] holds the findings every stage reports.
//! Beside the pipeline: [`check`] and [`audit`] (the evaluator's view), [`init`], [`import`] and
//! [`scaffold`] (starting and filling a catalog), [`serve`] (live preview), [`book`] (the printed
//! guide).

pub mod audit;
pub mod book;
pub mod build;
pub mod calendar;
pub mod check;
pub mod diag;
pub mod import;
pub mod init;
pub mod load;
pub mod model;
pub mod privacy;
pub mod reason;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod source;
pub mod timings;
pub mod validate;
pub mod write;
