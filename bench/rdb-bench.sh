#!/usr/bin/env bash
# End-to-end RDB decoding benchmark (not a test: it prints figures and never fails a build).
#
# 1. Builds, once, a ~1 GB mixed RDB with a throw-away redis-server (bench/gen-dataset.py piped into
#    redis-cli --pipe, then SAVE) and caches it in bench/out/ (git-ignored).
# 2. Times, on that file: redis-check-rdb FILE, redkit dump -f count FILE, redkit dump -f jsonl FILE > /dev/null,
#    redkit inspect FILE, printing wall time, MB/s, keys/s and peak RSS for each.
#
# Usage: bench/rdb-bench.sh [--scale S] [--runs N] [--regen] [--only NAME[,NAME...]]
#   --scale S   dataset size factor (1.0 = about 1 GB, the default; 0.05 for a quick try)
#   --runs N    runs per tool; the fastest is reported (default 1)
#   --regen     rebuild the cached RDB even when present
#   --only      subset of: check-rdb,count,jsonl,inspect,verify
# Environment: REDKIT (command to run redkit; default: the ./redkit launcher, with its JVM options),
#   REDKIT_JAVA_OPTS (extra JVM options, e.g. -Xmx256m), REDIS_SERVER, REDIS_CLI, REDIS_CHECK_RDB.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out_dir="$root/bench/out"
scale=1.0
runs=1
regen=0
only="check-rdb,count,jsonl,inspect,verify"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --scale) scale="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --regen) regen=1; shift ;;
        --only) only="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

redis_server="${REDIS_SERVER:-redis-server}"
redis_cli="${REDIS_CLI:-redis-cli}"
redis_check_rdb="${REDIS_CHECK_RDB:-redis-check-rdb}"
time_bin=/usr/bin/time
jar="$root/cli/target/redkit.jar"

need() { command -v "$1" >/dev/null || { echo "rdb-bench: $1 is needed ($2)" >&2; exit 3; }; }
need "$redis_server" "Debian: apt-get install redis-server"
need "$redis_cli" "Debian: apt-get install redis-tools"
need "$redis_check_rdb" "Debian: apt-get install redis-tools"
need python3 "the dataset generator"
[[ -x "$time_bin" ]] || { echo "rdb-bench: $time_bin is needed for peak RSS (Debian: apt-get install time)" >&2; exit 3; }
if [[ -z "${REDKIT:-}" ]]; then
    # what users run: the launcher (builds the jar if needed; its JVM options apply)
    "$root/redkit" --version >/dev/null
    redkit=("$root/redkit")
else
    # shellcheck disable=SC2206
    redkit=($REDKIT)
fi

mkdir -p "$out_dir"
rdb="$out_dir/mixed-scale-$scale.rdb"
meta="$rdb.keys"

generate() {
    local work port pid
    work="$(mktemp -d "$out_dir/gen.XXXXXX")"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    "$redis_server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
        --daemonize no --logfile "$work/redis.log" &
    pid=$!
    # shellcheck disable=SC2064
    trap "kill $pid 2>/dev/null || true; rm -rf '$work'" EXIT
    for _ in $(seq 1 200); do
        "$redis_cli" -p "$port" ping >/dev/null 2>&1 && break
        sleep 0.05
    done
    echo "rdb-bench: generating the dataset (scale $scale) into redis-server :$port ..." >&2
    local t0=$SECONDS
    python3 "$root/bench/gen-dataset.py" --scale "$scale" | "$redis_cli" -p "$port" --pipe >"$work/pipe.out"
    grep -q 'errors: 0' "$work/pipe.out" || { cat "$work/pipe.out" >&2; exit 1; }
    "$redis_cli" -p "$port" info keyspace | awk -F'[=,:]' '/^db/ {n += $3} END {print n}' >"$work/keys"
    "$redis_cli" -p "$port" save >/dev/null
    "$redis_cli" -p "$port" shutdown nosave >/dev/null 2>&1 || true
    wait "$pid" 2>/dev/null || true
    mv "$work/dump.rdb" "$rdb"
    mv "$work/keys" "$meta"
    rm -rf "$work"
    trap - EXIT
    echo "rdb-bench: generated $rdb in $((SECONDS - t0)) s" >&2
}

if [[ $regen -eq 1 || ! -f "$rdb" || ! -f "$meta" ]]; then
    generate
fi

bytes=$(stat -c %s "$rdb")
keys=$(cat "$meta")
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')
# warm the page cache so every tool reads the file from memory alike
cat "$rdb" >/dev/null

echo "file: $rdb ($mb MiB, $keys keys)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
printf '%-34s %9s %9s %12s %12s %s\n' "tool" "wall s" "MB/s" "keys/s" "peak RSS MB" "exit"

measure() {
    local name="$1"; shift
    local best="" best_rss="" code=0 i tf
    tf="$(mktemp)"
    for ((i = 0; i < runs; i++)); do
        local t0 t1 wall rss
        t0=$(date +%s.%N)
        code=0
        "$time_bin" -f '%M' -o "$tf" "$@" >/dev/null 2>"$tf.err" || code=$?
        t1=$(date +%s.%N)
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
        rss=$(tail -1 "$tf")
        if [[ -z "$best" ]] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then
            best="$wall"
            best_rss="$rss"
        fi
    done
    awk -v n="$name" -v w="$best" -v b="$bytes" -v k="$keys" -v r="$best_rss" -v c="$code" 'BEGIN {
        printf "%-34s %9.2f %9.1f %12.0f %12.1f %s\n", n, w, b / 1048576 / w, k / w, r / 1024, c }'
    if [[ $code -ne 0 ]]; then
        echo "  stderr (last lines):" && tail -5 "$tf.err" | sed 's/^/    /'
    fi
    rm -f "$tf" "$tf.err"
}

IFS=',' read -r -a selected <<<"$only"
for s in "${selected[@]}"; do
    case "$s" in
        check-rdb) measure "redis-check-rdb" "$redis_check_rdb" "$rdb" ;;
        count) measure "redkit dump -f count" "${redkit[@]}" dump -f count "$rdb" ;;
        # stdout to /dev/null rather than -o /dev/null: -o writes a temporary file renamed over the target
        jsonl) measure "redkit dump -f jsonl > /dev/null" "${redkit[@]}" dump -f jsonl "$rdb" ;;
        inspect) measure "redkit inspect" "${redkit[@]}" inspect "$rdb" ;;
        verify) measure "redkit verify" "${redkit[@]}" verify --no-progress "$rdb" ;;
        *) echo "unknown tool: $s" >&2; exit 2 ;;
    esac
done
