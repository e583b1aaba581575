# benches/lib.sh — what run.sh, shard.sh and peer.sh share. Sourced, not run:
#
#   BENCH_NAME=shard            # the log prefix
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Sets REPO (this checkout), BENCH_DIR ($GONGKAI_BENCH_DIR, default /tmp/gongkai-bench), SEED
# ($BENCH_SEED, default 20250630), AS_OF, TIME and REV (short git rev), and defines log, die,
# ensure_tools, copy_binaries and timed. Reads BENCH_BIN_DIR and BENCH_NO_CARGO (see
# copy_binaries).

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${GONGKAI_BENCH_DIR:-/tmp/gongkai-bench}"
SEED="${BENCH_SEED:-20250630}"
AS_OF="2025-06-30"
TIME=/usr/bin/time
REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)

# log MESSAGE…: a timestamped line on stderr, prefixed with $BENCH_NAME.
log() { printf '[%s %(%H:%M:%S)T] %s\n' "${BENCH_NAME:-bench}" -1 "$*" >&2; }
die() {
    log "error: $*"
    exit 2
}

# Installs /usr/bin/time (Debian package `time`) if it is missing; needs python3.
ensure_tools() {
    if [[ ! -x $TIME ]]; then
        log "/usr/bin/time missing; installing the Debian package 'time'"
        if [[ $(id -u) -eq 0 ]]; then
            apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
        else
            sudo apt-get install -y time >/dev/null
        fi
    fi
    [[ -x $TIME ]] || die "缺少 /usr/bin/time：用 apt-get install -y time 安装后重新运行"
    command -v python3 >/dev/null || die "缺少 python3：安装 Python 3.11 或更新的版本后重新运行"
}

# copy_binaries DEST: copies gongkai and examples/synth into DEST/bin (so that a concurrent
# `cargo build` cannot swap them mid-run) and sets GONGKAI and SYNTH to the copies. They come
# from $BENCH_BIN_DIR if set (without cargo), else from target/release after a
# `cargo build --release` (skipped with BENCH_NO_CARGO=1). Sets BIN_DIR to where they came from.
copy_binaries() {
    local dest=$1
    BIN_DIR="${BENCH_BIN_DIR:-$REPO/target/release}"
    if [[ ${BENCH_NO_CARGO:-0} != 1 && -z ${BENCH_BIN_DIR:-} ]]; then
        log "cargo build --release (binary and example synth)"
        (cd "$REPO" && cargo build --release --quiet && cargo build --release --quiet --example synth)
    fi
    mkdir -p "$dest/bin"
    cp "$BIN_DIR/gongkai" "$dest/bin/gongkai"
    cp "$BIN_DIR/examples/synth" "$dest/bin/synth"
    GONGKAI="$dest/bin/gongkai"
    SYNTH="$dest/bin/synth"
}

# timed NAME CMD…: runs CMD under /usr/bin/time -v, report in $D/NAME.time, stdout/stderr in
# $D/NAME.out / $D/NAME.err, the load average just before in $D/NAME.load (the machine may be
# shared: a busy one makes every figure slower). Stops the benchmark if CMD fails. The wall
# time also goes to $D/NAME.wall in microseconds (bash's clock, read without a fork), because
# /usr/bin/time gives it in steps of 10 ms: a tenth of an incremental build. benches/report.py's
# timing() and runs() read these files.
timed() {
    local name=$1 start end
    shift
    cat /proc/loadavg >"$D/$name.load"
    start=${EPOCHREALTIME/[.,]/}
    if ! $TIME -v -o "$D/$name.time" "$@" >"$D/$name.out" 2>"$D/$name.err"; then
        tail -20 "$D/$name.err" >&2
        die "$name 失败：命令 $* 以非零状态退出。上面是它错误输出的最后 20 行，全文在 $D/$name.err；按其中的提示修正后重新运行。"
    fi
    end=${EPOCHREALTIME/[.,]/}
    echo $((end - start)) >"$D/$name.wall"
}
