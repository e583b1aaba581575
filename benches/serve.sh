#!/usr/bin/env bash
# benches/serve.sh — how fast `gongkai serve` shows a one-entry edit, and what it costs while
# nobody edits:
#
#   1. generates the entry-heavy profile (`examples/synth --profile entries`, as peer.sh does),
#      unless SERVE_ROOT names a catalog already;
#   2. starts `gongkai serve` on it and, after the first build, reads the process's CPU time
#      (utime + stime in /proc) over SERVE_IDLE seconds without any change;
#   3. appends a line to one entry SERVE_EDITS times, a pause apart, and reads each rebuild's
#      own figure from the preview's "已重新生成预览（…，N 秒）" line: from the change being
#      taken up to the new pages being served;
#   4. puts the entry back and prints the figures with their median.
#
# Settings (environment):
#   SERVE_ROOT      a catalog to use instead of generating one
#   SERVE_ENTRIES   entries in the generated profile          (default 20000)
#   SERVE_EDITS     edits                                     (default 10)
#   SERVE_IDLE      seconds of idle CPU measured              (default 10)
#   BENCH_BIN_DIR, BENCH_NO_CARGO, BENCH_SEED, GONGKAI_BENCH_DIR: as in lib.sh
#
# Linux only (/proc). Prints to stdout; keeps nothing under benches/results.
set -euo pipefail
BENCH_NAME=serve
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_tools

EDITS="${SERVE_EDITS:-10}"
IDLE="${SERVE_IDLE:-10}"
RUN="$BENCH_DIR/serve-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"
copy_binaries "$RUN"

ROOT="${SERVE_ROOT:-}"
if [[ -z $ROOT ]]; then
    ROOT="$RUN/catalog"
    log "generating the entry profile, ${SERVE_ENTRIES:-20000} entries"
    "$SYNTH" --profile entries --total-entries "${SERVE_ENTRIES:-20000}" --seed "$SEED" \
        --as-of "$AS_OF" --standard-from "$REPO/catalog" --out "$ROOT" >/dev/null
    sed -i 's/^book = true/book = false/' "$ROOT/site.toml"
fi
entry=$(find "$ROOT/units" -name '*.md' | sort | sed -n 1p)
[[ -n $entry ]] || die "$ROOT 里没有条目"
cp "$entry" "$RUN/entry.md"

log "serve $ROOT (the edited entry: ${entry#"$ROOT"/})"
"$GONGKAI" serve --root "$ROOT" --port 0 --as-of "$AS_OF" >/dev/null 2>"$RUN/serve.err" &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    cp "$RUN/entry.md" "$entry"
}
trap cleanup EXIT
for _ in $(seq 600); do
    grep -q "预览地址" "$RUN/serve.err" && break
    sleep 0.2
done
grep -q "预览地址" "$RUN/serve.err" || die "serve did not start: $(cat "$RUN/serve.err")"
sleep 2

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(cpu_ticks)
sleep "$IDLE"
after=$(cpu_ticks)
tick=$(getconf CLK_TCK)
idle_ms=$(( (after - before) * 1000 / tick ))

for i in $(seq "$EDITS"); do
    echo "编辑$i。" >>"$entry"
    sleep 1.5
done
cleanup
trap - EXIT

python3 - "$RUN/serve.err" "$EDITS" "$idle_ms" "$IDLE" <<'PY'
import re, statistics, sys
err, edits, idle_ms, idle_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
times = [float(t) for t in re.findall(r"已重新生成预览（\d+ 个文件，([0-9.]+) 秒）", open(err).read())]
first, rebuilds = times[0], times[1:]
print(f"first build: {first:.2f} s")
print(f"CPU while idle: {idle_ms} ms over {idle_s} s")
print(f"one-entry edits ({len(rebuilds)} of {edits}): " + " ".join(f"{t:.2f}" for t in sorted(rebuilds)))
if rebuilds:
    print(f"median: {statistics.median(rebuilds):.2f} s, {100 * statistics.median(rebuilds) / first:.1f} % of the first build")
PY
