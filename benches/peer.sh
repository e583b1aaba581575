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
#   4. writes the medians and ratios to benches/results/<date>-<rev>-peer.{json,md}.
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
#   GONGKAI_BENCH_DIR  catalogs and disk outputs          (default /tmp/gongkai-bench)
#   BENCH_BIN_DIR   take gongkai and examples/synth from this folder instead of building them
#   BENCH_SEED      synth seed                             (default 20250630)
# Needs bash, python3 (3.11+), /usr/bin/time, git and cargo (to build Zola once).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BENCH_DIR="${GONGKAI_BENCH_DIR:-/tmp/gongkai-bench}"
SIZES="${PEER_SIZES:-20000}"
REPEAT="${PEER_REPEAT:-5}"
PLACES="${PEER_PLACES:-tmpfs disk}"
TMPFS="${PEER_TMPFS:-/dev/shm}"
SEED="${BENCH_SEED:-20250630}"
AS_OF=2025-06-30
REV="$(git -C "$REPO" rev-parse --short HEAD)"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
RUN="$BENCH_DIR/$STAMP-$REV-peer"
mkdir -p "$RUN/bin"
log() { echo "[peer $(date -u +%H:%M:%S)] $*"; }

if [[ ! -x /usr/bin/time ]]; then
    log "installing /usr/bin/time (Debian package time)"
    apt-get install -y time >/dev/null
fi

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
"$ZOLA" --version | grep -q '0\.22\.1' || { echo "zola 0.22.1 wanted, got: $("$ZOLA" --version)" >&2; exit 2; }
cp "$ZOLA" "$RUN/bin/zola"

BIN_DIR="${BENCH_BIN_DIR:-$REPO/target/release}"
if [[ -z ${BENCH_BIN_DIR:-} ]]; then
    log "cargo build --release (binary and example synth)"
    (cd "$REPO" && cargo build --release --quiet && cargo build --release --quiet --example synth)
fi
cp "$BIN_DIR/gongkai" "$RUN/bin/gongkai"
cp "$BIN_DIR/examples/synth" "$RUN/bin/synth"

# timed NAME CMD...: runs CMD under /usr/bin/time, appending "NAME wall user sys rss_kb" to times.
timed() {
    local name=$1
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$RUN/one.time" "$@" >/dev/null 2>"$RUN/one.err" || {
        echo "$name failed:" >&2
        tail -5 "$RUN/one.err" >&2
        exit 1
    }
    echo "$name $(tail -1 "$RUN/one.time")" >>"$RUN/times"
}

for size in $SIZES; do
    catalog="$RUN/catalog-$size"
    zsite="$RUN/zola-$size"
    log "generating the entry profile, $size entries"
    "$RUN/bin/synth" --profile entries --total-entries "$size" --seed "$SEED" --as-of "$AS_OF" \
        --standard-from "$REPO/catalog" --out "$catalog" >/dev/null
    sed -i 's/^book = true/book = false/' "$catalog/site.toml"
    entries=$(find "$catalog/units" -name '*.md' | wc -l)
    log "writing the same $entries entries as a Zola site"
    python3 "$REPO/benches/zola_site.py" "$catalog" "$zsite" >/dev/null
    for place in $PLACES; do
        case $place in
            tmpfs) out="$TMPFS/gongkai-peer-$STAMP" ;;
            disk) out="$RUN/out" ;;
            *) echo "PEER_PLACES: tmpfs or disk, not $place" >&2; exit 2 ;;
        esac
        for run in $(seq "$REPEAT"); do
            log "$size $place run $run/$REPEAT"
            rm -rf "$out" && mkdir -p "$out" && sync
            timed "$size $place gongkai" "$RUN/bin/gongkai" build --root "$catalog" \
                --out "$out/gongkai" --as-of "$AS_OF"
            sync
            timed "$size $place cp" cp -r "$out/gongkai" "$out/copy"
            if [[ $run == 1 ]]; then
                echo "$size $place pages $(find "$out/gongkai" -name index.html | wc -l) $(du -sb "$out/gongkai" | cut -f1)" >>"$RUN/counts"
                found=$(python3 "$REPO/benches/peer_check.py" "$catalog" "$out/gongkai" gongkai)
                echo "$size $place gongkai-entries $found" >>"$RUN/counts"
            fi
            rm -rf "$out/gongkai" "$out/copy" && sync
            (cd "$zsite" && timed "$size $place zola" "$RUN/bin/zola" build --output-dir "$out/zola")
            if [[ $run == 1 ]]; then
                echo "$size $place zola-pages $(find "$out/zola" -name index.html | wc -l) $(du -sb "$out/zola" | cut -f1)" >>"$RUN/counts"
                if grep -q -E '^(ERROR|WARN)' "$RUN/one.err"; then
                    echo "zola reported:" >&2
                    cat "$RUN/one.err" >&2
                    exit 1
                fi
                found=$(python3 "$REPO/benches/peer_check.py" "$catalog" "$out/zola" zola)
                echo "$size $place zola-entries $found" >>"$RUN/counts"
            fi
        done
        rm -rf "$out"
    done
    echo "$size - entries $entries" >>"$RUN/counts"
done

mkdir -p "$REPO/benches/results"
RESULT="$REPO/benches/results/$(date -u +%Y-%m-%d)-$REV-peer"
RUN="$RUN" RESULT="$RESULT" REV="$REV" REPEAT="$REPEAT" python3 - <<'EOF'
import json, os, platform, statistics, subprocess
run, result = os.environ["RUN"], os.environ["RESULT"]
rows = {}
for line in open(f"{run}/times"):
    size, place, tool, wall, user, sys_, rss = line.split()
    rows.setdefault((size, place, tool), []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
counts = {}
for line in open(f"{run}/counts"):
    size, place, what, *vals = line.split()
    counts[(size, place, what)] = [int(v) for v in vals]
def med(key, i):
    return statistics.median(r[i] for r in rows[key])
results = []
for size, place in sorted({(s, p) for s, p, _ in rows}, key=lambda k: (int(k[0]), k[1])):
    g, z, c = (size, place, "gongkai"), (size, place, "zola"), (size, place, "cp")
    results.append({
        "entries": counts[(size, "-", "entries")][0],
        "place": place,
        "runs": len(rows[g]),
        "gongkai": {"wall_s": med(g, 0), "cpu_s": med(g, 1), "peak_rss_mb": med(g, 2),
                    "pages": counts[(size, place, "pages")][0], "output_bytes": counts[(size, place, "pages")][1],
                    "entry_pages_checked": counts[(size, place, "gongkai-entries")][0]},
        "zola": {"wall_s": med(z, 0), "cpu_s": med(z, 1), "peak_rss_mb": med(z, 2),
                 "pages": counts[(size, place, "zola-pages")][0], "output_bytes": counts[(size, place, "zola-pages")][1],
                 "entry_pages_checked": counts[(size, place, "zola-entries")][0]},
        "cp_r": {"wall_s": med(c, 0), "cpu_s": med(c, 1)},
        "all_runs": {t: rows[(size, place, t)] for t in ("gongkai", "zola", "cp")},
    })
for r in results:
    g, z, c = r["gongkai"], r["zola"], r["cp_r"]
    r["ratios"] = {"zola_wall_over_gongkai": z["wall_s"] / g["wall_s"], "zola_cpu_over_gongkai": z["cpu_s"] / g["cpu_s"],
                   "gongkai_rss_over_zola": g["peak_rss_mb"] / z["peak_rss_mb"], "gongkai_wall_over_cp": g["wall_s"] / c["wall_s"]}
machine = {"cpus": os.cpu_count(), "kernel": platform.release(),
           "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")}
json.dump({"schema_version": 1, "rev": os.environ["REV"], "machine": machine, "results": results},
          open(result + ".json", "w"), indent=2, ensure_ascii=False)
with open(result + ".md", "w") as f:
    f.write(f"# gongkai vs Zola 0.22.1, rev {os.environ['REV']}\n\n")
    f.write(f"Machine: {machine['cpus']} cores, {machine['cpu']}. Medians of {os.environ['REPEAT']} alternating runs "
            "(gongkai, cp -r of its output, zola), each into a fresh folder. Command: `benches/peer.sh`.\n\n")
    f.write("| entries | place | gongkai wall s | CPU s | RSS MB | pages | Zola wall s | CPU s | RSS MB | pages | cp -r s "
            "| Zola/gongkai wall | Zola/gongkai CPU | gongkai/Zola RSS | gongkai/cp wall |\n")
    f.write("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for r in results:
        g, z, c, q = r["gongkai"], r["zola"], r["cp_r"], r["ratios"]
        f.write(f"| {r['entries']:,} | {r['place']} | {g['wall_s']:.2f} | {g['cpu_s']:.2f} | {g['peak_rss_mb']:.0f} | {g['pages']:,} "
                f"| {z['wall_s']:.2f} | {z['cpu_s']:.2f} | {z['peak_rss_mb']:.0f} | {z['pages']:,} | {c['wall_s']:.2f} "
                f"| {q['zola_wall_over_gongkai']:.2f}× | {q['zola_cpu_over_gongkai']:.2f}× | {q['gongkai_rss_over_zola']:.2f} | {q['gongkai_wall_over_cp']:.2f} |\n")
print(open(result + ".md").read())
EOF
log "results: $RESULT.md"
