#!/usr/bin/env bash
# benches/shard.sh — the province built as N shards plus `gongkai merge`, against one build.
#
#   1. generates the province profile with `examples/synth` (100 counties × 15 towns, ~20 entries
#      per unit, fixed seed) — the same catalog as benches/run.sh's province size;
#   2. `gongkai build` into single/ (wall, CPU and peak RSS from /usr/bin/time -v);
#   3. `gongkai build --shard i/N` for i = 1..N, one after another (each as it would run alone on
#      its own CI runner), into shard-i/, each timed the same way, with its units, entries and
#      output size read from its partial manifest and du;
#   4. the fixed cost of a shard: `--shard <2·counties>/<2·counties>`, a shard with no county
#      (every shard loads and validates the whole catalog and writes the site-wide files);
#   5. `gongkai merge shard-1 … shard-N --out merged`, timed;
#   6. `diff -r single merged`: the merged site must equal the single build byte for byte;
#   7. projects a national site (BENCH_NATIONAL_UNITS, ~41,000 units) from the measured costs:
#      a shard costs (fixed cost, which grows with the whole catalog) + (its units × cost per
#      unit), for several N.
#
# Results: benches/results/<date>-<short rev>-shard.md and .json. Needs bash, coreutils, diff,
# /usr/bin/time (Debian package `time`), python3, cargo. The province needs about 4 GB of disk
# per copy of the site (single, shards, merged: ~12 GB).
#
# Environment (all optional):
#   GONGKAI_BENCH_DIR     where catalogs and outputs go                 (default /tmp/gongkai-bench)
#   BENCH_SHARDS          N                                             (default 8)
#   BENCH_COUNTIES        counties of the province                      (default 100)
#   BENCH_TOWNS           towns per county                              (default 15)
#   BENCH_ENTRIES         average entries per unit                      (default 20)
#   BENCH_SEED            synth seed                                    (default 20250630)
#   BENCH_NATIONAL_UNITS  units of the projected national site          (default 41000)
#   BENCH_KEEP=1          keep catalogs and outputs afterwards           (default: delete in background)
#   BENCH_NO_CARGO=1      use the binaries already in target/release
#   BENCH_BIN_DIR         take gongkai and examples/synth from this folder instead, without
#                         cargo (e.g. target/debug to try the script on a small profile)
# The opening (paths, seed, log, /usr/bin/time, copying the binaries, `timed`) is benches/lib.sh.
set -euo pipefail

BENCH_NAME=shard
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N="${BENCH_SHARDS:-8}"
COUNTIES="${BENCH_COUNTIES:-100}"
TOWNS="${BENCH_TOWNS:-15}"
ENTRIES="${BENCH_ENTRIES:-20}"
NATIONAL="${BENCH_NATIONAL_UNITS:-41000}"

ensure_tools
RUN="$BENCH_DIR/$(date +%Y%m%d-%H%M%S)-$REV-shard"
D="$RUN" # where `timed` writes
mkdir -p "$RUN"
touch "$RUN/.gongkai-bench"

avail=$(df -B1 --output=avail "$BENCH_DIR" | tail -1 | tr -d ' ')
need=$((COUNTIES * (TOWNS + 1) * (2000 * 1000 + 25 * 1000 * ENTRIES) * 3))
((need < avail)) || die "$BENCH_DIR 下约需 $((need / 1000000000)) GB 磁盘，只剩 $((avail / 1000000000)) GB：调小 BENCH_COUNTIES，或把 GONGKAI_BENCH_DIR 设到更大的磁盘上"

copy_binaries "$RUN"
G="$GONGKAI"

log "generating ${COUNTIES}×${TOWNS} units, K=$ENTRIES, seed $SEED"
timed synth "$SYNTH" --counties "$COUNTIES" --towns "$TOWNS" --entries "$ENTRIES" \
    --seed "$SEED" --out "$RUN/catalog"
# The printed guides (book = true in the sample's site.toml) would take most of the time and are
# the same work sharded or not: the comparison is of the site.
sed -i 's/^book = true/book = false/' "$RUN/catalog/site.toml"
sync

log "single build"
timed single "$G" build --root "$RUN/catalog" --out "$RUN/single" --as-of "$AS_OF"
tail -1 "$RUN/single.err" >&2
sync

for ((i = 1; i <= N; i++)); do
    log "shard $i/$N"
    timed "shard-$i" "$G" build --root "$RUN/catalog" --out "$RUN/shard-$i" --as-of "$AS_OF" --shard "$i/$N"
    du -sb "$RUN/shard-$i" | cut -f1 >"$RUN/shard-$i.bytes"
    sync
done

EMPTY=$((COUNTIES * 2))
log "an empty shard ($EMPTY/$EMPTY): the fixed cost of every shard"
timed empty "$G" build --root "$RUN/catalog" --out "$RUN/empty" --as-of "$AS_OF" --shard "$EMPTY/$EMPTY"
sync

log "merge"
shard_dirs=()
for ((i = 1; i <= N; i++)); do shard_dirs+=("$RUN/shard-$i"); done
timed merge "$G" merge "${shard_dirs[@]}" --out "$RUN/merged"
tail -1 "$RUN/merge.err" >&2
sync

log "diff -r single merged"
if diff -r "$RUN/single" "$RUN/merged" >"$RUN/diff.txt" 2>&1; then
    echo yes >"$RUN/equal"
    log "identical"
else
    echo no >"$RUN/equal"
    log "DIFFERENT: see $RUN/diff.txt"
fi
du -sb "$RUN/single" | cut -f1 >"$RUN/single.bytes"
find "$RUN/single" -type f | wc -l >"$RUN/single.files"

stem="$REPO/benches/results/$(date +%Y-%m-%d)-$REV-shard"
n=2
while [[ -e $stem.md ]]; do stem="$REPO/benches/results/$(date +%Y-%m-%d)-$REV-shard-$n" && n=$((n + 1)); done
mkdir -p "$REPO/benches/results"
RUN="$RUN" BIN_DIR="$BIN_DIR" N="$N" COUNTIES="$COUNTIES" TOWNS="$TOWNS" ENTRIES="$ENTRIES" SEED="$SEED" \
    NATIONAL="$NATIONAL" AS_OF="$AS_OF" REV="$REV" STEM="$stem" PYTHONPATH="$REPO/benches" python3 - <<'PY'
import json, os, platform
from pathlib import Path

import report

run, n = os.environ["RUN"], int(os.environ["N"])
national = int(os.environ["NATIONAL"])

def timing(name):
    t = report.timing(Path(run) / f"{name}.time")
    return {"wall_s": t["wall_s"], "cpu_s": t["user_s"] + t["sys_s"], "rss_mb": t["max_rss_kb"] / 1024}

single = timing("single")
single["bytes"] = int(open(f"{run}/single.bytes").read())
single["files"] = int(open(f"{run}/single.files").read())
shards = []
for i in range(1, n + 1):
    m = json.load(open(f"{run}/shard-{i}/gongkai-shard.json"))
    s = timing(f"shard-{i}")
    s.update(shard=i, units=len(m["units"]), entries=sum(u["entries"] for u in m["units"]),
             counties=sum(1 for c in m["counties"] if c["shard"] == i),
             bytes=int(open(f"{run}/shard-{i}.bytes").read()))
    shards.append(s)
empty, merge = timing("empty"), timing("merge")
units = sum(s["units"] for s in shards)
equal = open(f"{run}/equal").read().strip() == "yes"

# A shard costs the fixed part (measured by the empty shard; it loads the whole catalog, so it
# grows with the catalog) plus its units' part.
per_unit = {k: sum(s[k] - empty[k] for s in shards) / units for k in ("wall_s", "cpu_s")}
# Peak RSS is not additive per unit: beyond the whole catalog (the empty shard's RSS, which grows
# with the catalog) a shard holds its rendering working set, bounded by the threads, not units.
working_set = max(0.0, sum(s["rss_mb"] - empty["rss_mb"] for s in shards) / len(shards))
bytes_per_unit = single["bytes"] / units
scale = national / units
projection = []
for shards_n in (8, 32, 64, 128, 256):
    per_shard = national / shards_n
    projection.append({
        "shards": shards_n,
        "units_per_shard": round(per_shard),
        "wall_s": empty["wall_s"] * scale + per_unit["wall_s"] * per_shard,
        "rss_mb": empty["rss_mb"] * scale + working_set,
        "output_gb": bytes_per_unit * per_shard / 1e9,
    })
merge_per_byte = merge["wall_s"] / single["bytes"]
result = {
    "rev": os.environ["REV"], "as_of": os.environ["AS_OF"], "seed": int(os.environ["SEED"]),
    "profile": {k.lower(): int(os.environ[k]) for k in ("COUNTIES", "TOWNS", "ENTRIES")},
    "units": units, "equal": equal, "single": single, "shards": shards, "empty_shard": empty,
    "merge": merge, "per_unit": {**per_unit, "bytes": bytes_per_unit}, "working_set_mb": working_set,
    "national": {"units": national, "output_gb": bytes_per_unit * national / 1e9,
                 "merge_s": merge_per_byte * bytes_per_unit * national, "by_shards": projection},
    "machine": {"cpus": os.cpu_count(), "system": platform.platform()},
}
stem = os.environ["STEM"]
json.dump(result, open(stem + ".json", "w"), indent=2, ensure_ascii=False)
out = [f"# gongkai sharded build — rev {result['rev']}", "",
       f"Province profile from `examples/synth` ({os.environ['COUNTIES']} counties × {os.environ['TOWNS']} towns, "
       f"~{os.environ['ENTRIES']} entries per unit, seed {os.environ['SEED']}), `--as-of {os.environ['AS_OF']}`, "
       f"binaries from `{os.environ['BIN_DIR']}`, {os.cpu_count()} CPUs. Shards built one after another (each as alone on its runner).", "",
       f"**Merged {n} shards == single build (diff -r): {'yes' if equal else 'NO'}**", "",
       ]
rows = [["single build", units, "", f"{single['wall_s']:.2f}", f"{single['cpu_s']:.2f}", f"{single['rss_mb']:.0f}", f"{single['bytes']/1e6:.1f}"]]
for s in shards:
    rows.append([f"shard {s['shard']}/{n} ({s['counties']} {'county' if s['counties'] == 1 else 'counties'})", s["units"], s["entries"],
                 f"{s['wall_s']:.2f}", f"{s['cpu_s']:.2f}", f"{s['rss_mb']:.0f}", f"{s['bytes']/1e6:.1f}"])
rows += [["empty shard (fixed cost)", 0, 0, f"{empty['wall_s']:.2f}", f"{empty['cpu_s']:.2f}", f"{empty['rss_mb']:.0f}", ""],
         ["merge", units, "", f"{merge['wall_s']:.2f}", f"{merge['cpu_s']:.2f}", f"{merge['rss_mb']:.0f}", f"{single['bytes']/1e6:.1f}"]]
out += report.md_table(["run", "units", "entries", "wall (s)", "CPU (s)", "peak RSS (MB)", "output (MB)"], "lrrrrrr", rows)
out += ["",
        f"Longest shard: {max(s['wall_s'] for s in shards):.2f} s; sum of shards: {sum(s['wall_s'] for s in shards):.2f} s "
        f"(single: {single['wall_s']:.2f} s). Per unit beyond the fixed cost: {per_unit['wall_s']*1000:.1f} ms wall, "
        f"{per_unit['cpu_s']*1000:.1f} ms CPU, {bytes_per_unit/1e6:.2f} MB output; rendering working set "
        f"{working_set:.0f} MB above the empty shard's RSS (mean over shards).", "",
        f"## National projection ({national:,} units)", "",
        f"Output {bytes_per_unit*national/1e9:.0f} GB in all; merge ≈ {merge_per_byte*bytes_per_unit*national/60:.0f} min (copying, at the measured rate). "
        "Wall per shard = empty-shard wall × (national units / measured units) + its units × per-unit wall; "
        "peak RSS per shard = empty-shard RSS × the same ratio + the working set. The empty shard's cost grows "
        "with the whole catalog because every shard loads and validates all of it.", "",
        ]
out += report.md_table(
    ["shards", "units per shard", "wall per shard (min)", "peak RSS per shard (GB)", "output per shard (GB)"], "rrrrr",
    [[p["shards"], f"{p['units_per_shard']:,}", f"{p['wall_s']/60:.1f}", f"{p['rss_mb']/1024:.1f}", f"{p['output_gb']:.1f}"]
     for p in projection])
out += ["", "Reproduce: `benches/shard.sh` (see its header for the settings)."]
open(stem + ".md", "w").write("\n".join(out) + "\n")
print(f"results: {stem}.md")
PY

if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    log "kept $RUN (BENCH_KEEP=1)"
else
    log "removing $RUN in the background"
    nohup rm -rf -- "$RUN" >/dev/null 2>&1 &
fi
