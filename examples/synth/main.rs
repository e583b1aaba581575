//! `synth`: writes a synthetic but valid gongkai catalog of any size, for benchmarks.
//!
//! ```text
//! cargo run --release --example synth -- --counties 10 --towns 15 --entries 20 --seed 1 --out DIR
//! ```
//!
//! The catalog copies the repository's `site.toml`, `standard/` and `calendar/` (or those of
//! `--standard-from DIR`) and adds fictional units (青河区, 东山镇 …, 12-digit codes under the
//! fictional province 99) with about `--entries` entries each: Chinese bodies of ~1.1k
//! characters on average, a quarter with GFM tables, some with attachments; dates from 2019 to
//! `--as-of`, with a few late, stale and expired-but-unmarked cases for the audit. Entries go
//! only under items whose `levels` include the unit's level and that the unit has not declared
//! exempt. The same options give a byte-identical tree: every unit draws from its own seeded
//! stream, everything is iterated in sorted order, and no clock is read. Units are written in
//! parallel (rayon).

mod args;
mod entries;
mod names;
mod rng;
mod standard;
mod text;
mod units;

use args::Options;
use rayon::prelude::*;
use rng::Rng;
use standard::Standard;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use units::UnitSpec;

fn main() -> ExitCode {
    match args::parse(std::env::args().skip(1)) {
        Ok(None) => {
            println!("{}", args::USAGE);
            ExitCode::SUCCESS
        }
        Ok(Some(options)) => match run(&options) {
            Ok(summary) => {
                println!("{summary}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("错误：{e}");
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("错误：{e}\n\n{}", args::USAGE);
            ExitCode::from(2)
        }
    }
}

/// Generates the catalog and returns the one-line summary.
fn run(options: &Options) -> Result<String, String> {
    prepare_out(options)?;
    let standard = standard::load(&options.standard_from)?;
    let (files, bytes) = standard::copy_shared(&options.standard_from, &options.out)?;
    let units = units::plan(
        options.seed,
        options.counties,
        options.towns,
        options.entries,
        &standard,
    );
    let stats = units
        .par_iter()
        .map(|unit| write_unit(unit, &standard, options))
        .try_reduce(Stats::default, |a, b| Ok(a.add(&b)))?;
    Ok(summary(
        options,
        &units,
        &stats,
        files + stats.files,
        bytes + stats.bytes,
    ))
}

/// Refuses a non-empty output folder unless `--force`; with it, removes only the catalog parts
/// this tool writes. Never touches the source catalog.
fn prepare_out(options: &Options) -> Result<(), String> {
    let out = &options.out;
    let canonical = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (out_abs, from_abs) = (canonical(out), canonical(&options.standard_from));
    if out_abs.starts_with(&from_abs) || from_abs.starts_with(&out_abs) {
        return Err(format!(
            "输出目录 {} 与来源目录 {} 重叠，已拒绝 / --out overlaps --standard-from",
            out.display(),
            options.standard_from.display()
        ));
    }
    let non_empty = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    if non_empty {
        if !options.force {
            return Err(format!(
                "输出目录 {} 不是空的；确需覆盖请加 --force / --out is not empty (use --force)",
                out.display()
            ));
        }
        for part in ["site.toml", "standard", "calendar", "units"] {
            let path = out.join(part);
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else if path.exists() {
                std::fs::remove_file(&path)
            } else {
                Ok(())
            };
            removed.map_err(|e| format!("无法删除 {}：{e}", path.display()))?;
        }
    }
    std::fs::create_dir_all(out).map_err(|e| format!("无法创建 {}：{e}", out.display()))
}

/// What was written, summed over units.
#[derive(Debug, Default, Clone)]
struct Stats {
    entries: usize,
    files: u64,
    bytes: u64,
    body_chars: usize,
    tables: usize,
    with_attachments: usize,
    late: usize,
    stale_series: usize,
    expired_unmarked: usize,
    repealed: usize,
}

impl Stats {
    fn add(&self, o: &Stats) -> Stats {
        Stats {
            entries: self.entries + o.entries,
            files: self.files + o.files,
            bytes: self.bytes + o.bytes,
            body_chars: self.body_chars + o.body_chars,
            tables: self.tables + o.tables,
            with_attachments: self.with_attachments + o.with_attachments,
            late: self.late + o.late,
            stale_series: self.stale_series + o.stale_series,
            expired_unmarked: self.expired_unmarked + o.expired_unmarked,
            repealed: self.repealed + o.repealed,
        }
    }

    /// Writes a file (creating its folder) and counts it.
    fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<(), String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
        }
        std::fs::write(path, bytes).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        self.files += 1;
        self.bytes += bytes.len() as u64;
        Ok(())
    }
}

/// Share of bodies with a GFM table.
const TABLES: f64 = 0.25;
/// Share of entries with a `summary`.
const SUMMARIES: f64 = 0.4;

/// Writes one unit's `unit.toml` and entries.
fn write_unit(unit: &UnitSpec, standard: &Standard, options: &Options) -> Result<Stats, String> {
    let mut stats = Stats::default();
    let dir = options.out.join("units").join(&unit.path);
    stats.write(
        &dir.join("unit.toml"),
        units::unit_toml(unit, standard).as_bytes(),
    )?;
    let mut rng = Rng::derive(options.seed, unit.index as u64);
    let plan = entries::plan(unit, standard, options.as_of, &mut rng);
    stats.stale_series = plan.stale_series;
    for entry in &plan.entries {
        let item = &standard.items[entry.item];
        let domain = &standard.domains[item.domain];
        let ctx = text::Ctx::new(unit, item, domain, entry);
        let doc_no = text::doc_no(&ctx, &mut rng);
        let title = text::title(&ctx, doc_no.as_deref(), &mut rng);
        let table = rng.chance(TABLES);
        let attachments = if entry.with_attachments {
            text::attachments(&ctx, &mut rng)
        } else {
            Vec::new()
        };
        let body = text::body(
            &ctx,
            body_target(options.body_chars, &mut rng),
            table,
            &attachments,
            &mut rng,
        );
        let summary = rng.chance(SUMMARIES).then(|| {
            format!(
                "{}{}有关信息。",
                entry.period.as_deref().unwrap_or(""),
                item.level2
            )
        });
        let file = text::entry_file(&ctx, &title, doc_no.as_deref(), summary.as_deref(), &body);

        let item_dir = dir.join(&domain.id).join(&item.id);
        let path: PathBuf = if attachments.is_empty() {
            item_dir.join(format!("{}.md", entry.slug))
        } else {
            item_dir.join(&entry.slug).join("index.md")
        };
        stats.write(&path, file.as_bytes())?;
        for a in &attachments {
            stats.write(&item_dir.join(&entry.slug).join(&a.name), &a.bytes)?;
        }
        stats.entries += 1;
        stats.body_chars += body.chars().count();
        stats.tables += usize::from(table);
        stats.with_attachments += usize::from(!attachments.is_empty());
        stats.late += usize::from(entry.late);
        stats.repealed += usize::from(entry.validity == entries::Validity::Repealed);
        stats.expired_unmarked += usize::from(
            entry.validity == entries::Validity::Valid
                && entry.expires.is_some_and(|x| x < options.as_of),
        );
    }
    Ok(stats)
}

/// A body length around `mean` characters: from 0.4× to 2.2× the mean, skewed short
/// (`lo + (hi − lo)·u²` has mean `lo + (hi − lo)/3` = `mean`).
fn body_target(mean: usize, rng: &mut Rng) -> usize {
    let (lo, hi) = (0.4 * mean as f64, 2.2 * mean as f64);
    let u = rng.unit();
    (lo + (hi - lo) * u * u) as usize
}

/// The one-line Chinese summary.
fn summary(options: &Options, units: &[UnitSpec], s: &Stats, files: u64, bytes: u64) -> String {
    let counties = units.iter().filter(|u| u.kind.is_county()).count();
    let avg = s.body_chars.checked_div(s.entries).unwrap_or(0);
    format!(
        "已生成合成目录 {}：{} 个单位（{} 个区县、{} 个乡镇街道），{} 条信息（正文平均 {} 字，含表格 {} 条，带附件 {} 条；有意逾期 {}、停更系列 {}、失效未标注 {}、废止 {}），共 {} 个文件、{} 字节（{:.1} MB），种子 {}。",
        options.out.display(),
        units.len(),
        counties,
        units.len() - counties,
        s.entries,
        avg,
        s.tables,
        s.with_attachments,
        s.late,
        s.stale_series,
        s.expired_unmarked,
        s.repealed,
        files,
        bytes,
        bytes as f64 / 1e6,
        options.seed
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn options(seed: u64, out: &Path) -> Options {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        Options {
            counties: 1,
            towns: 3,
            entries: 12,
            seed,
            out: out.to_path_buf(),
            standard_from: repo.join("catalog"),
            force: false,
            body_chars: 1100,
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"),
        }
    }

    /// Every file under `dir` by relative path, with its bytes.
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.expect("walk"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).expect("prefix");
                let bytes = std::fs::read(e.path()).expect("read");
                (rel.to_string_lossy().replace('\\', "/"), bytes)
            })
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b, c) = (
            dir.path().join("a"),
            dir.path().join("b"),
            dir.path().join("c"),
        );
        run(&options(7, &a)).expect("first");
        run(&options(7, &b)).expect("second");
        run(&options(8, &c)).expect("other seed");
        let (ta, tb, tc) = (tree(&a), tree(&b), tree(&c));
        assert!(
            ta.keys().any(|p| p.ends_with(".md")),
            "entries were written"
        );
        assert!(ta == tb, "same seed, same tree, byte for byte");
        assert!(ta != tc, "another seed gives another catalog");
    }

    #[test]
    fn the_catalog_is_valid_and_gives_the_audit_something_to_find() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("catalog");
        let mut opts = options(20250630, &out);
        opts.counties = 2;
        run(&opts).expect("synth");
        let (catalog, diags) = gongkai::pipeline::load_and_validate(&out, opts.as_of);
        let errors: Vec<_> = diags
            .iter()
            .filter(|d| d.severity() == gongkai::diag::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        // Every unit's [office] gives what the 指南 needs: no office-incomplete warning.
        let incomplete: Vec<_> = diags
            .iter()
            .filter(|d| d.code == gongkai::diag::Code::OfficeIncomplete)
            .collect();
        assert!(incomplete.is_empty(), "{incomplete:?}");
        let catalog = catalog.expect("a valid catalog");
        assert_eq!(catalog.units.len(), 2 * (1 + 3));
        let findings = gongkai::audit::audit(&catalog, opts.as_of, "calendar");
        for code in [gongkai::diag::Code::Late, gongkai::diag::Code::Missing] {
            assert!(
                findings.iter().any(|f| f.code == code),
                "the synthetic catalog has {code:?} findings"
            );
        }
    }

    #[test]
    fn the_entry_profile_spreads_the_total_over_70_units() {
        let args = [
            "--profile",
            "entries",
            "--total-entries",
            "20000",
            "--out",
            "x",
        ];
        let opts = crate::args::parse(args.map(String::from))
            .expect("valid options")
            .expect("not help");
        assert_eq!((opts.counties, opts.towns, opts.body_chars), (10, 6, 1150));
        assert_eq!(opts.entries, 286, "20,000 ÷ 70 units, rounded up");
        let bad = crate::args::parse(["--profile", "huge", "--out", "x"].map(String::from));
        assert!(bad.is_err_and(|e| e.contains("huge")));
    }
}
