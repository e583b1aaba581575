//! gongkai (公开): a static site generator for China's 基层政务公开标准化规范化 programme.
//!
//! ## The pipeline
//!
//! Every command runs the same stages, one module each, each a function taking the previous
//! stage's output: [`load`] reads the catalog folder into `Raw*` structs → [`validate`] checks
//! them and builds the typed [`model`] (the one boundary; after it nothing re-parses) → then
//! [`audit`] judges the model as evaluators do, [`render`] turns it into pages with the theme,
//! [`book`] typesets the printed guide → [`write`] puts the files in place all-or-nothing.
//! [`pipeline`] is the front door (load and validate); [`build`], [`check`], [`serve`],
//! [`init`], [`import`] and [`scaffold`] are the commands' pipelines, and the binary's `cmd/`
//! has one file per command. Beside the stages: [`privacy`] (the personal-data scan of entries
//! and attachments), [`tabular`] (workbooks and CSV, for the importer and the scan),
//! [`incremental`] (what lets a rebuild do only what an edit calls for), [`diag`] (findings as
//! data) and [`failure`] (the one "could not run" error).
//!
//! ## Layers
//!
//! A module may use only the modules on lines below its own; `tests/it/architecture.rs` reads
//! this list and fails on any use that reaches up or sideways.
//!
//! - `serve`: the live preview (builds in memory)
//! - `build`: the site pipeline, with its incremental bookkeeping
//! - `shard`: a build split into shards of whole counties, and the shards merged into one site
//! - `check` `init` `import` `scaffold`: the other commands' pipelines
//! - `book`: the printed guide
//! - `pipeline`: the front door — load, then validate
//! - `audit`: the evaluator's view of the model, its dashboard and the 年度报告 figures
//! - `write`: the output folder, written all-or-nothing
//! - `render`: pages, feeds, sitemaps, search and open data from the model and theme
//! - `validate`: `Raw*` to the typed model, every finding with file and line
//! - `load`: the catalog folder read into `Raw*` structs
//! - `incremental`: entry cache, fingerprints, manifest, stamps
//! - `privacy`: personal numbers in entries and attachments
//! - `tabular`: workbook and CSV files as grids of text
//! - `model`: the typed catalog (no I/O)
//! - `markup`: entry bodies' Markdown and the HTML sanitizer (shared by validation and
//!   rendering), counting lines as `source` does
//! - `calendar` `source`: the working-day calendar; source files, front matter and TOML
//! - `files` `names` `output_names` `timings`: safe file writing; slugs and typo hints; the
//!   names gongkai writes and the attachment types a browser or server would run; phase timings
//! - `failure` `diag`: "could not run"; findings
//! - `reason`: library and system errors said in Chinese
//! - `bytes`: sets of byte values, for scans that skip what they need not decode

pub mod audit;
pub mod book;
pub mod build;
pub mod bytes;
pub mod calendar;
pub mod check;
pub mod diag;
pub mod failure;
pub mod files;
pub mod import;
pub mod incremental;
pub mod init;
pub mod load;
pub mod markup;
pub mod model;
pub mod names;
pub mod output_names;
pub mod pipeline;
pub mod privacy;
pub mod reason;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod shard;
pub mod source;
pub mod tabular;
pub mod timings;
pub mod validate;
pub mod write;
