#!/usr/bin/env python3
"""Turns a benches/run.sh run folder into benches/results/<stem>.md and <stem>.json.

Called by run.sh with the run's settings in the environment (RUN, SIZES, SEED, ENTRIES, AS_OF,
REV, DIRTY, SETTLE, PROVINCE_NOTE, STEM, BENCH_DIR). Standard library only.

shard.sh and peer.sh import its helpers (timing, runs, md_table, mb) for their own reports: the
files they read are those benches/lib.sh's `timed` writes.
"""

import json
import os
import platform
import re
import subprocess
from pathlib import Path

ENV = os.environ


def read_env(path):
    """key=value lines as a dict of ints (or strings)."""
    out = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("=")
        out[key] = int(value) if value.strip().isdigit() else value
    return out


def wall_seconds(text):
    """'1:02:03.45' / '2:03.45' / '0:13.62' → seconds."""
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def timing(path):
    """The interesting lines of a /usr/bin/time -v report; the wall time from the microsecond
    clock beside it (NAME.wall) where there is one."""
    text = path.read_text()
    try:
        wall = int(path.with_suffix(".wall").read_text()) / 1e6
    except (OSError, ValueError):
        wall = None

    def field(label):
        m = re.search(re.escape(label) + r":\s*(.+)", text)
        return m.group(1).strip() if m else None

    return {
        "wall_s": round(
            wall if wall is not None
            else wall_seconds(field("Elapsed (wall clock) time (h:mm:ss or m:ss)")),
            3,
        ),
        "user_s": float(field("User time (seconds)")),
        "sys_s": float(field("System time (seconds)")),
        "cpu_percent": int(field("Percent of CPU this job got").rstrip("%") or 0),
        "max_rss_kb": int(field("Maximum resident set size (kbytes)")),
        "fs_outputs": int(field("File system outputs")),
    }


def load_before(path):
    """The 1-minute load average recorded just before a step, if any."""
    try:
        return float(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def run_timings(d, name):
    """Every run of a step (NAME.time, NAME-2.time, …) in order, as timing() with the load
    average before it."""
    paths = [d / f"{name}.time"]
    r = 2
    while (d / f"{name}-{r}.time").exists():
        paths.append(d / f"{name}-{r}.time")
        r += 1
    return [timing(p) | {"load_before": load_before(p.with_suffix(".load"))} for p in paths]


def runs(d, name):
    """Every run of a step (NAME.time, NAME-2.time, …): the median run (by wall time) with the
    wall times and load averages of all runs."""
    results = run_timings(d, name)
    median = sorted(results, key=lambda t: t["wall_s"])[(len(results) - 1) // 2]
    return median | {
        "runs_wall_s": [t["wall_s"] for t in results],
        "runs_load_before": [t["load_before"] for t in results],
    }


def last_line(path):
    lines = [l for l in path.read_text().splitlines() if l.strip()]
    return lines[-1] if lines else ""


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.rstrip()
    except OSError:
        return ""


def size_result(name):
    d = Path(ENV["RUN"]) / name
    size = read_env(d / "size.env")
    counts = read_env(d / "counts.env")
    build = runs(d, "build")
    cp = runs(d, "cp")
    check = runs(d, "check")

    def rebuild(step):
        """Five rebuilds into the same --out (run.sh's `rebuilds`), or None if not run."""
        if not (d / f"{step}.time").exists():
            return None
        timed = runs(d, step)
        share = round(timed["wall_s"] / build["wall_s"] * 100, 1) if build["wall_s"] else None
        return timed | {
            "summary": last_line(d / f"{step}.err"),
            "files_written": written(d / f"{step}.err"),
            "percent_of_build": share,
        }

    edit = rebuild("edit")
    try:
        report = json.loads((d / "check.out").read_text())
        findings = {}
        for f in report.get("findings", []):
            findings[f["code"]] = findings.get(f["code"], 0) + 1
        check_counts = {
            "errors": report.get("errors"),
            "warnings": report.get("warnings"),
            "findings": dict(sorted(findings.items())),
        }
    except (OSError, ValueError):
        check_counts = {}
    return {
        "size": name,
        "counties": size["counties"],
        "towns_per_county": size["towns"],
        "units": counts["units"],
        "entries": counts["entries"],
        "catalog_bytes": counts["catalog_bytes"],
        "synth": runs(d, "synth") | {"summary": last_line(d / "synth.out")},
        "build": build | {"summary": last_line(d / "build.err")},
        "pages": counts["pages"],
        "html_files": counts["html"],
        "output_files": counts["files"],
        "output_bytes": counts["output_bytes"],
        "pages_per_s": round(counts["pages"] / build["wall_s"], 1) if build["wall_s"] else None,
        "cp_r": cp,
        "build_over_cp": round(build["wall_s"] / cp["wall_s"], 2) if cp["wall_s"] else None,
        "check": check | check_counts,
        "noop_build": rebuild("noop"),
        "edit_build": edit and edit | {"edited": (d / "edited.txt").read_text().strip()},
        "trusted_edit_build": rebuild("trusted"),
    }


def written(path):
    """Files a build wrote, from its summary line (写入 N 个文件)."""
    m = re.search(r"写入 (\d+) 个文件", path.read_text())
    return int(m.group(1)) if m else None


def machine():
    mem = sh("free", "-g")
    cpu = ""
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            cpu = line.split(":", 1)[1].strip()
    return {
        "nproc": int(sh("nproc") or 0),
        "cpu": cpu,
        "free_g": mem,
        "rustc": sh("rustc", "--version"),
        "kernel": platform.release(),
        "filesystem": sh("df", "-hT", ENV["BENCH_DIR"]).splitlines()[-1:],
    }


def mb(n):
    return f"{n / 1e6:,.1f}"


def md_table(header, align, rows):
    """A Markdown table: header cells, one alignment per column ("l" or "r"), rows of cells."""
    rule = "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"
    return [rule if r is None else "| " + " | ".join(map(str, r)) + " |" for r in [header, None, *rows]]


def markdown(result):
    m = result["machine"]
    lines = [
        f"# gongkai benchmark — {result['date']}, rev {result['git_rev']}"
        + (" (working tree had uncommitted changes)" if result["git_dirty"] else ""),
        "",
        f"Synthetic catalogs from `examples/synth` (seed {result['seed']}, about "
        f"{result['entries_per_unit']} entries per unit), `--as-of {result['as_of']}`, "
        "release binary, warm page cache, each step into a fresh folder (see benches/README.md). "
        + (
            f"Each of build, cp -r and check ran {result['repeat']} times; the table shows the "
            "median run, the notes below every run's wall time."
            if result["repeat"] > 1
            else "One run of each step."
        ),
        "",
        "## Full builds",
        "",
    ]
    lines += md_table(
        ["size", "units", "entries", "build (s)", "pages", "pages/s", "build RSS (MB)",
         "output (MB)", "cp -r (s)", "build / cp", "check (s)", "check RSS (MB)"],
        "l" + "r" * 11,
        [
            [
                f"{s['size']} ({s['counties']}×{s['towns_per_county']})", f"{s['units']:,}",
                f"{s['entries']:,}", f"{s['build']['wall_s']:.3f}", f"{s['pages']:,}",
                f"{s['pages_per_s']:,.0f}", f"{s['build']['max_rss_kb'] / 1024:,.0f}",
                mb(s["output_bytes"]), f"{s['cp_r']['wall_s']:.2f}", f"{s['build_over_cp']:.2f}",
                f"{s['check']['wall_s']:.2f}", f"{s['check']['max_rss_kb'] / 1024:,.0f}",
            ]
            for s in result["sizes"]
        ],
    )
    lines += [
        "",
        "## Incremental builds (same --out, median of 5)",
        "",
    ]
    rows = []
    for s in result["sizes"]:
        n, e = s["noop_build"] or {}, s["edit_build"] or {}
        t = s.get("trusted_edit_build") or {}
        rows.append([
            s["size"], f"{n.get('wall_s', float('nan')):.3f}",
            f"{n.get('percent_of_build', float('nan')):.1f}%", f"{n.get('max_rss_kb', 0) / 1024:,.0f}",
            f"{e.get('wall_s', float('nan')):.3f}", f"{e.get('percent_of_build', float('nan')):.1f}%",
            e.get("files_written"), f"{e.get('max_rss_kb', 0) / 1024:,.0f}",
            f"{t.get('wall_s', float('nan')):.3f}", f"{t.get('percent_of_build', float('nan')):.1f}%",
        ])
    lines += md_table(
        ["size", "no-op (s)", "no-op / full", "no-op RSS (MB)", "one entry edited (s)",
         "edit / full", "files written", "edit RSS (MB)", "edit, --trust-output (s)",
         "trusted edit / full"],
        "l" + "r" * 9,
        rows,
    )
    lines += [
        "",
        "CPU use (user + sys seconds, and % of one core), all runs' wall times, the 1-minute load "
        "average just before each run (the machine may be shared), and what the tools printed:",
        "",
    ]
    for s in result["sizes"]:
        b, c, n, e = s["build"], s["check"], s["noop_build"] or {}, s["edit_build"] or {}
        t = s.get("trusted_edit_build") or {}
        lines += [
            f"- **{s['size']}**: catalog {mb(s['catalog_bytes'])} MB generated in "
            f"{s['synth']['wall_s']:.1f} s; build {b['user_s']:.1f}+{b['sys_s']:.1f} s CPU "
            f"({b['cpu_percent']}%), cp -r {s['cp_r']['user_s']:.1f}+{s['cp_r']['sys_s']:.1f} s "
            f"({s['cp_r']['cpu_percent']}%), check {c['user_s']:.1f}+{c['sys_s']:.1f} s "
            f"({c['cpu_percent']}%): {c.get('errors')} errors, {c.get('warnings')} warnings "
            f"{c.get('findings')}.",
            f"  - wall times (s): build {b['runs_wall_s']}, cp -r {s['cp_r']['runs_wall_s']}, "
            f"check {c['runs_wall_s']}, no-op {n.get('runs_wall_s')}, edit {e.get('runs_wall_s')}, "
            f"trusted edit {t.get('runs_wall_s')}; "
            f"load before: build {b['runs_load_before']}, cp -r {s['cp_r']['runs_load_before']}, "
            f"check {c['runs_load_before']}, no-op {n.get('runs_load_before')}, edit "
            f"{e.get('runs_load_before')}",
            f"  - synth: {s['synth']['summary']}",
            f"  - build: {b['summary']}",
            f"  - no-op: {n.get('summary', '')}",
            f"  - edit (`{e.get('edited', '')}`): {e.get('summary', '')}",
            f"  - edit with --trust-output: {t.get('summary', '')}",
        ]
    if result.get("province_note"):
        lines += ["", f"Province size: {result['province_note']}."]
    lines += [
        "",
        "## Machine",
        "",
        f"- nproc: {m['nproc']} ({m['cpu']})",
        f"- rustc: {m['rustc']}; kernel {m['kernel']}",
        f"- filesystem: `{' '.join(m['filesystem'])}`",
        "- free -g:",
        "",
        "```",
        m["free_g"],
        "```",
        "",
    ]
    return "\n".join(lines)


def main():
    sizes = [size_result(s) for s in ENV["SIZES"].split()]
    result = {
        "schema_version": 2,
        "date": sh("date", "+%Y-%m-%d"),
        "git_rev": ENV["REV"],
        "git_dirty": ENV["DIRTY"] == "yes",
        "as_of": ENV["AS_OF"],
        "seed": int(ENV["SEED"]),
        "entries_per_unit": int(ENV["ENTRIES"]),
        "repeat": int(ENV["REPEAT"]),
        "settle_s": int(ENV["SETTLE"]),
        "province_note": ENV.get("PROVINCE_NOTE") or None,
        "machine": machine(),
        "sizes": sizes,
    }
    stem = Path(ENV["STEM"])
    stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(result))


if __name__ == "__main__":
    main()
