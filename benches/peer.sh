#!/usr/bin/env bash
# Side-by-side benchmark against Zola 0.22.1 on the same entries (issue: four times faster than
# the fastest peer on real entries).
#
# For each size in PEER_SIZES it
#   1. generates the entry-heavy profile with `examples/synth --profile entries --total-entries N`
#      (10 districts × 6 towns, bodies of ~1,150 characters, about a quarter with a GFM table);
#   2. writes the same entries as a Zola site with benches/zola_site.py;
#   3. on tmpfs and then on disk, alternates PEER_REPEAT runs of `gongkai build`, `zola build`
#      and `cp -r` of gongkai's output (each into a fresh folder, removed and synced between runs),
#      recording wall, CPU (user + sys) and peak RSS with /usr/bin/time;
#      after the first run of each, checks (untimed, benches/peer_check.py) that both outputs have a
#      page with the title and 索引号 of every entry, and that zola printed no error or warning;
#   4. writes the median runs (by wall time, benches/report.py's runs()) and ratios to
#      benches/results/<date>-<rev>-peer.{json,md}.
# The printed guide (`book = true` in the sample's site.toml) is switched off in the generated
# catalog: Zola has no counterpart, and the guide is timed on its own.
#
# Variables:
#   ZOLA            a zola 0.22.1 binary to use (otherwise built once from source, see below)
#   ZOLA_SRC        a checkout of zola at v0.22.1 to build (otherwise cloned from GitHub)
#   PEER_SIZES      entry totals to run                   (default "20000"; e.g. "20000 100000")
#   PEER_REPEAT     alternating runs per place             (default 5)
#   PEER_PLACES     where outputs go: tmpfs, disk or both  (default "tmpfs disk")
#   PEER_TMPFS      a tmpfs folder                         (default /dev/shm)
#   GONGKAI_BENCH_DIR  catalogs and disk outputs          (default /tmp/gongkai-bench; the disk
#                   runs keep every output until the end: about 6 GB at 20000 entries, 28 GB at 100000)
#   BENCH_BIN_DIR   take gongkai and examples/synth from this folder instead of building them
#   BENCH_NO_CARGO=1  use the binaries already in target/release
#   BENCH_SEED      synth seed                             (default 20250630)
# Needs bash, python3 (3.11+), /usr/bin/time, git and cargo (to build Zola once).
# The opening (paths, seed, log, /usr/bin/time, copying the binaries, `timed`) is benches/lib.sh.
set -euo pipefail

BENCH_NAME=peer
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SIZES="${PEER_SIZES:-20000}"
REPEAT="${PEER_REPEAT:-5}"
PLACES="${PEER_PLACES:-tmpfs disk}"
TMPFS="${PEER_TMPFS:-/dev/shm}"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
RUN="$BENCH_DIR/$STAMP-$REV-peer"
D="$RUN" # where `timed` writes
for place in $PLACES; do
    [[ $place == tmpfs || $place == disk ]] ||
        die "PEER_PLACES 里的“$place”不是可用的位置：只能写 tmpfs、disk 或两者（以空格分隔），例如 PEER_PLACES=\"tmpfs disk\""
done
mkdir -p "$RUN/bin"
ensure_tools

if [[ -z ${ZOLA:-} ]]; then
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/gongkai-bench/zola-0.22.1"
    if [[ ! -x $cache/zola ]]; then
        src="${ZOLA_SRC:-$cache/src}"
        if [[ -z ${ZOLA_SRC:-} && ! -d $src ]]; then
            log "cloning zola v0.22.1"
            git clone -q --depth 1 --branch v0.22.1 https://github.com/getzola/zola "$src"
        fi
        log "building zola from $src (once)"
        (cd "$src" && cargo build --release --locked --quiet)
        cp "$src/target/release/zola" "$cache/zola"
    fi
    ZOLA="$cache/zola"
fi
"$ZOLA" --version | grep -q '0\.22\.1' ||
    die "$ZOLA 的版本是“$("$ZOLA" --version | head -1)”，比较需要 zola 0.22.1：把 ZOLA 设为 0.22.1 的 zola，或不设 ZOLA，让脚本从源码构建 0.22.1"
cp "$ZOLA" "$RUN/bin/zola"

copy_binaries "$RUN"

# On a disk, creating files just after deleting many is slow for minutes, and the slowness falls
# on whichever tool runs next (in one run gongkai's five builds took 2.1, 4.9, 8.3, 10.2 and
# 9.1 s as the deletions piled up). So no output is deleted between timed runs on a disk: each is
# moved aside, into a folder on the same disk, and deleted after that place's runs. On tmpfs
# deleting is quick and memory is short, so outputs are deleted at once.
TRASH="$RUN/trash"
retire() {
    [[ -e $1 ]] || return 0
    if [[ $place == disk ]]; then
        mkdir -p "$TRASH" && mv "$1" "$TRASH/$(date +%s%N)"
    else
        rm -rf "$1"
    fi
}

for size in $SIZES; do
    catalog="$RUN/catalog-$size"
    zsite="$RUN/zola-$size"
    log "generating the entry profile, $size entries"
    "$SYNTH" --profile entries --total-entries "$size" --seed "$SEED" --as-of "$AS_OF" \
        --standard-from "$REPO/catalog" --out "$catalog" >/dev/null
    sed -i 's/^book = true/book = false/' "$catalog/site.toml"
    entries=$(find "$catalog/units" -name '*.md' | wc -l)
    log "writing the same $entries entries as a Zola site"
    python3 "$REPO/benches/zola_site.py" "$catalog" "$zsite" >/dev/null
    for place in $PLACES; do
        case $place in
            tmpfs) out="$TMPFS/gongkai-peer-$STAMP" ;;
            disk) out="$RUN/out" ;;
        esac
        for run in $(seq "$REPEAT"); do
            log "$size $place run $run/$REPEAT"
            # NAME, NAME-2, NAME-3 …: the runs benches/report.py's runs() gathers.
            suffix=$( ((run == 1)) || echo "-$run")
            retire "$out" && mkdir -p "$out" && sync
            timed "$size-$place-gongkai$suffix" "$GONGKAI" build --root "$catalog" \
                --out "$out/gongkai" --as-of "$AS_OF"
            sync
            timed "$size-$place-cp$suffix" cp -r "$out/gongkai" "$out/copy"
            if [[ $run == 1 ]]; then
                echo "$size $place pages $(find "$out/gongkai" -name index.html | wc -l) $(du -sb "$out/gongkai" | cut -f1)" >>"$RUN/counts"
                found=$(python3 "$REPO/benches/peer_check.py" "$catalog" "$out/gongkai" gongkai)
                echo "$size $place gongkai-entries $found" >>"$RUN/counts"
            fi
            retire "$out/gongkai" && retire "$out/copy" && sync
            (cd "$zsite" && timed "$size-$place-zola$suffix" "$RUN/bin/zola" build --output-dir "$out/zola")
            if [[ $run == 1 ]]; then
                echo "$size $place zola-pages $(find "$out/zola" -name index.html | wc -l) $(du -sb "$out/zola" | cut -f1)" >>"$RUN/counts"
                zola_log=("$RUN/$size-$place-zola".{out,err})
                if grep -q -E '^(ERROR|WARN)' "${zola_log[@]}"; then
                    cat "${zola_log[@]}" >&2
                    die "zola 构建 $zsite 时报告了上面的 ERROR 或 WARN，两边的输出不可比：按 zola 的提示修正 benches/zola_site.py 生成的网站后重新运行"
                fi
                found=$(python3 "$REPO/benches/peer_check.py" "$catalog" "$out/zola" zola)
                echo "$size $place zola-entries $found" >>"$RUN/counts"
            fi
        done
        retire "$out"
        rm -rf "$TRASH" && sync
    done
    echo "$size - entries $entries" >>"$RUN/counts"
done

mkdir -p "$REPO/benches/results"
RESULT="$REPO/benches/results/$(date -u +%Y-%m-%d)-$REV-peer"
RUN="$RUN" RESULT="$RESULT" REV="$REV" REPEAT="$REPEAT" PYTHONPATH="$REPO/benches" python3 - <<'EOF'
import json, os, platform
from pathlib import Path

import report

run, result = Path(os.environ["RUN"]), os.environ["RESULT"]
counts = {}
for line in open(run / "counts"):
    size, place, what, *vals = line.split()
    counts[(size, place, what)] = [int(v) for v in vals]


def tool(size, place, name):
    """The median run (report.runs, by wall time) and every run as [wall s, CPU s, peak RSS MB]."""
    med = report.runs(run, f"{size}-{place}-{name}")
    every = [[t["wall_s"], t["user_s"] + t["sys_s"], t["max_rss_kb"] / 1024]
             for t in report.run_timings(run, f"{size}-{place}-{name}")]
    return {"wall_s": med["wall_s"], "cpu_s": med["user_s"] + med["sys_s"], "peak_rss_mb": med["max_rss_kb"] / 1024}, every


results = []
for size, place in sorted({(s, p) for s, p, _ in counts if p != "-"}, key=lambda k: (int(k[0]), k[1])):
    (g, g_runs), (z, z_runs), (c, c_runs) = (tool(size, place, t) for t in ("gongkai", "zola", "cp"))
    g.update(pages=counts[(size, place, "pages")][0], output_bytes=counts[(size, place, "pages")][1],
             entry_pages_checked=counts[(size, place, "gongkai-entries")][0])
    z.update(pages=counts[(size, place, "zola-pages")][0], output_bytes=counts[(size, place, "zola-pages")][1],
             entry_pages_checked=counts[(size, place, "zola-entries")][0])
    results.append({
        "entries": counts[(size, "-", "entries")][0],
        "place": place,
        "runs": len(g_runs),
        "gongkai": g,
        "zola": z,
        "cp_r": {"wall_s": c["wall_s"], "cpu_s": c["cpu_s"]},
        "all_runs": {"gongkai": g_runs, "zola": z_runs, "cp": c_runs},
        "ratios": {"zola_wall_over_gongkai": z["wall_s"] / g["wall_s"], "zola_cpu_over_gongkai": z["cpu_s"] / g["cpu_s"],
                   "gongkai_rss_over_zola": g["peak_rss_mb"] / z["peak_rss_mb"], "gongkai_wall_over_cp": g["wall_s"] / c["wall_s"]},
    })
machine = {"cpus": os.cpu_count(), "kernel": platform.release(),
           "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")}
json.dump({"schema_version": 1, "rev": os.environ["REV"], "machine": machine, "results": results},
          open(result + ".json", "w"), indent=2, ensure_ascii=False)
rows = []
for r in results:
    g, z, c, q = r["gongkai"], r["zola"], r["cp_r"], r["ratios"]
    rows.append([f"{r['entries']:,}", r["place"], f"{g['wall_s']:.2f}", f"{g['cpu_s']:.2f}", f"{g['peak_rss_mb']:.0f}", f"{g['pages']:,}",
                 f"{z['wall_s']:.2f}", f"{z['cpu_s']:.2f}", f"{z['peak_rss_mb']:.0f}", f"{z['pages']:,}", f"{c['wall_s']:.2f}",
                 f"{q['zola_wall_over_gongkai']:.2f}×", f"{q['zola_cpu_over_gongkai']:.2f}×", f"{q['gongkai_rss_over_zola']:.2f}",
                 f"{q['gongkai_wall_over_cp']:.2f}"])
table = report.md_table(
    ["entries", "place", "gongkai wall s", "CPU s", "RSS MB", "pages", "Zola wall s", "CPU s", "RSS MB", "pages", "cp -r s",
     "Zola/gongkai wall", "Zola/gongkai CPU", "gongkai/Zola RSS", "gongkai/cp wall"],
    "rl" + "r" * 13, rows)
with open(result + ".md", "w") as f:
    f.write(f"# gongkai vs Zola 0.22.1, rev {os.environ['REV']}\n\n")
    f.write(f"Machine: {machine['cpus']} cores, {machine['cpu']}. Median run (by wall time) of {os.environ['REPEAT']} alternating "
            "runs (gongkai, cp -r of its output, zola), each into a fresh folder. Command: `benches/peer.sh`.\n\n")
    f.write("\n".join(table) + "\n")
print(open(result + ".md").read())
EOF
log "results: $RESULT.md"
