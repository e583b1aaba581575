#!/usr/bin/env bash
# benches/run.sh — end-to-end benchmark of the release `gongkai` binary on synthetic catalogs.
#
# For each size (small 1×5, city 10×15, province 100×15 by default) it generates a catalog with
# `cargo run --release --example synth` (fixed seed, ~20 entries per unit), then times
#   1. `gongkai build` into a fresh folder (wall time and peak RSS from /usr/bin/time -v),
#      counts the pages (index.html files) and measures the output (du -sb);
#   2. `cp -r` of that output into another fresh folder (the floor: a full build of the city
#      size should take no longer than copying its own output);
#   3. `gongkai check --format json`;
# and then, before the next size, 4. incremental builds into the same --out: five no-op
# builds (nothing changed), then five builds each after appending a sentence to one entry's body,
# then five more such edits built with --trust-output (no per-file check of the output folder).
#
# ext4 on the benchmark machine is up to 15× slower at creating files for about a minute after a
# large tree is deleted. So nothing is deleted before a timed step: every run writes into fresh
# folders under $GONGKAI_BENCH_DIR/<run>/, incremental builds only replace changed files, and old trees are
# removed only at the very end, in the background (the next run waits for that cleanup to finish).
#
# Results: benches/results/<date>-<short git rev>.md (table + machine) and .json.
# Needs bash, coreutils, findutils, /usr/bin/time (Debian package `time`), python3, cargo.
#
# Environment (all optional):
#   GONGKAI_BENCH_DIR       where catalogs and outputs go            (default /tmp/gongkai-bench)
#   BENCH_SIZES             sizes to run, in order                   (default "small city province")
#   BENCH_PROVINCE_COUNTIES counties of the province size            (default 100; lowered to fit the disk)
#   BENCH_SEED              synth seed                               (default 20250630)
#   BENCH_ENTRIES           average entries per unit                 (default 20)
#   BENCH_SETTLE            seconds to wait after a previous run's cleanup (default 75)
#   BENCH_REPEAT            runs of build, cp -r and check per size; the median is reported
#                           (default 1; each run writes into its own fresh folder)
#   BENCH_KEEP=1            keep catalogs and outputs afterwards     (default: delete in background)
#   BENCH_NO_CARGO=1        use the binaries already in target/release
#   BENCH_BIN_DIR           take gongkai and examples/synth from this folder instead, without cargo
# The opening (paths, seed, log, /usr/bin/time, copying the binaries, `timed`) is benches/lib.sh.
set -euo pipefail

BENCH_NAME=bench
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SIZES="${BENCH_SIZES:-small city province}"
PROVINCE_COUNTIES="${BENCH_PROVINCE_COUNTIES:-100}"
ENTRIES="${BENCH_ENTRIES:-20}"
SETTLE="${BENCH_SETTLE:-75}"
REPEAT="${BENCH_REPEAT:-1}"

# counties and towns of a size
size_counties() { case "$1" in small) echo 1 ;; city) echo 10 ;; province) echo "$PROVINCE_COUNTIES" ;; *) die "BENCH_SIZES 里的“$1”不是可用的规模：只能写 small、city、province" ;; esac; }
size_towns() { case "$1" in small) echo 5 ;; city | province) echo 15 ;; *) die "BENCH_SIZES 里的“$1”不是可用的规模：只能写 small、city、province" ;; esac; }

# Lowers the province size until every copy of its output (build and cp -r per run, plus the
# no-op build's staging) and a margin fit on the disk. About 2.4 MB of output per unit was measured at K=20, mostly item pages.
fit_province_to_disk() {
    local avail per_unit need units
    avail=$(df -B1 --output=avail "$BENCH_DIR" | tail -1 | tr -d ' ')
    per_unit=$((2000 * 1000 + 25 * 1000 * ENTRIES))
    while :; do
        units=$((PROVINCE_COUNTIES * 16))
        need=$((units * per_unit * (2 * REPEAT + 2)))
        ((need < avail)) && break
        ((PROVINCE_COUNTIES <= 10)) && die "$BENCH_DIR 所在磁盘只剩 $avail 字节，连 10 个区县的省级规模也放不下：腾出磁盘空间，或把 GONGKAI_BENCH_DIR 设到更大的磁盘上"
        PROVINCE_COUNTIES=$((PROVINCE_COUNTIES * 3 / 4))
        PROVINCE_NOTE="lowered to ${PROVINCE_COUNTIES} counties to fit the disk"
    done
    log "disk: $((avail / 1000000000)) GB free under $BENCH_DIR; province = ${PROVINCE_COUNTIES}×15 ${PROVINCE_NOTE:-}"
}

# measure SIZE: generate, build, count, cp -r, check.
measure() {
    local size=$1 counties towns
    counties=$(size_counties "$size")
    towns=$(size_towns "$size")
    D="$RUN/$size"
    mkdir -p "$D"
    printf 'counties=%s\ntowns=%s\n' "$counties" "$towns" >"$D/size.env"

    log "$size: generating ${counties}×${towns} units, K=$ENTRIES, seed $SEED"
    timed synth "$SYNTH" --counties "$counties" --towns "$towns" --entries "$ENTRIES" \
        --seed "$SEED" --out "$D/catalog"
    cat "$D/synth.out" >&2
    # The printed guides (book = true in the sample's site.toml) are timed on their own: the
    # figures here are the site's.
    sed -i 's/^book = true/book = false/' "$D/catalog/site.toml"
    sync

    local r suffix
    for ((r = 1; r <= REPEAT; r++)); do
        suffix=$( ((r == 1)) || echo "-$r")
        log "$size: gongkai build${suffix:+ (run $r)}"
        timed "build$suffix" "$GONGKAI" build --root "$D/catalog" --out "$D/out$suffix" --as-of "$AS_OF"
        tail -1 "$D/build$suffix.err" >&2
        sync

        if ((r == 1)); then
            log "$size: counting pages"
            count "$D" >"$D/counts.env"
        fi

        log "$size: cp -r of the output${suffix:+ (run $r)}"
        timed "cp$suffix" cp -r "$D/out" "$D/out-copy$suffix"
        sync

        log "$size: gongkai check${suffix:+ (run $r)}"
        timed "check$suffix" "$GONGKAI" check --root "$D/catalog" --as-of "$AS_OF" --format json
        sync
    done
}

# count DIR: pages, files and sizes of DIR/out and DIR/catalog, as key=value lines.
count() {
    local d=$1
    echo "pages=$(find "$d/out" -name index.html -type f | wc -l)"
    echo "html=$(find "$d/out" -name '*.html' -type f | wc -l)"
    echo "files=$(find "$d/out" -type f | wc -l)"
    echo "output_bytes=$(du -sb "$d/out" | cut -f1)"
    echo "catalog_bytes=$(du -sb "$d/catalog" | cut -f1)"
    echo "units=$(find "$d/catalog/units" -name unit.toml | wc -l)"
    echo "entries=$(find "$d/catalog/units" -name '*.md' | wc -l)"
}

# rebuilds NAME WHAT EDIT [FLAGS…]: five builds into $D/out timed as NAME, NAME-2 … NAME-5, each
# after appending a sentence to $ENTRY when EDIT is 1. Five runs: they are short, and a tenth of a
# second is easily disturbed.
rebuilds() {
    local name=$1 what=$2 edit=$3 r suffix
    shift 3
    for r in 1 2 3 4 5; do
        suffix=$( ((r == 1)) || echo "-$r")
        if ((edit)); then
            printf '\n基准测试 %s 第 %s 次修改时追加的一句。\n' "$name" "$r" >>"$ENTRY"
        fi
        log "$SIZE: $what${suffix:+ (run $r)}"
        sync
        timed "$name$suffix" "$GONGKAI" build --root "$D/catalog" --out "$D/out" --as-of "$AS_OF" "$@"
        tail -1 "$D/$name$suffix.err" >&2
    done
}

# incremental SIZE: builds into the same --out as the first full build. noop … change nothing;
# edit … each first append a sentence to the body of one entry (the last entry file in name
# order, in a township), the everyday case of a clerk correcting a notice; trusted … do the same
# with --trust-output (the output folder's files are not looked up one by one).
incremental() {
    SIZE=$1
    D="$RUN/$1"
    ENTRY=$(find "$D/catalog/units" -name '*.md' | LC_ALL=C sort | tail -1)
    rebuilds noop "no-op rebuild" 0
    echo "${ENTRY#"$D"/}" >"$D/edited.txt"
    rebuilds edit "rebuild after editing one entry" 1
    rebuilds trusted "rebuild with --trust-output after editing one entry" 1 --trust-output
}

# Writes benches/results/<date>-<rev>.{md,json} from the run folder.
report() {
    local stem="$REPO/benches/results/$(date +%Y-%m-%d)-$REV" n=2
    mkdir -p "$REPO/benches/results"
    if [[ -e $stem.md || -e $stem.json ]]; then
        while [[ -e $stem-$n.md || -e $stem-$n.json ]]; do n=$((n + 1)); done
        stem="$stem-$n"
    fi
    RUN="$RUN" SIZES="$SIZES" SEED="$SEED" ENTRIES="$ENTRIES" AS_OF="$AS_OF" REV="$REV" REPEAT="$REPEAT" \
        DIRTY="$DIRTY" SETTLE="$SETTLE" PROVINCE_NOTE="${PROVINCE_NOTE:-}" STEM="$stem" \
        BENCH_DIR="$BENCH_DIR" python3 "$REPO/benches/report.py"
    log "results: ${stem#"$REPO"/}.md and .json"
}

cleanup() {
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        log "kept $RUN (BENCH_KEEP=1)"
        return
    fi
    # Only folders this script made (marked), in the background, after every timing.
    local old=()
    for dir in "$BENCH_DIR"/*/; do
        [[ -f $dir/.gongkai-bench ]] && old+=("${dir%/}")
    done
    log "removing ${#old[@]} benchmark folder(s) in the background (a province tree takes ~30 min)"
    nohup rm -rf -- "${old[@]}" >/dev/null 2>&1 &
    echo $! >"$BENCH_DIR/.cleanup.pid"
}

# A previous run's background cleanup slows file creation down while it runs and for about a
# minute after: wait for it before timing anything.
wait_for_cleanup() {
    local pid
    pid=$(cat "$BENCH_DIR/.cleanup.pid" 2>/dev/null || true)
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        log "waiting for the previous run's cleanup (pid $pid) to finish, then ${SETTLE}s"
        while kill -0 "$pid" 2>/dev/null; do sleep 10; done
        sleep "$SETTLE"
    fi
}

main() {
    ensure_tools
    DIRTY=$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo yes || echo no)
    mkdir -p "$BENCH_DIR"
    wait_for_cleanup
    RUN="$BENCH_DIR/$(date +%Y%m%d-%H%M%S)-$REV"
    mkdir "$RUN"
    touch "$RUN/.gongkai-bench"
    copy_binaries "$RUN"
    [[ " $SIZES " == *" province "* ]] && fit_province_to_disk
    # Each size's rebuilds are timed right after its own full builds, before the next size
    # writes its gigabytes (a city's rebuild timed while a province's output is still being
    # written back measured the disk, not gongkai: 8.6 % instead of 4.9 % on 2026-12-02).
    for size in $SIZES; do
        measure "$size"
        incremental "$size"
    done
    report
    cleanup
}

main "$@"
