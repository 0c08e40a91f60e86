#!/usr/bin/env bash
# Replication tail benchmark (not a test: it prints figures and never fails a build).
#
# Starts a throw-away redis-server on a free 127.0.0.1 port, runs `redkit tail URI --snapshot skip -f FORMAT`
# into /dev/null, then redis-benchmark writing at full speed (pipelined). Every second it prints the master's
# replication offset, the offset redkit acknowledged (REPLCONF ACK, sent each second), the lag in bytes
# (master offset - processed offset) and redkit's throughput; at the end the commands/s redkit sustained
# (writes / time until it had acknowledged the whole stream) and its peak RSS.
#
# Usage: bench/tail-bench.sh [--requests N] [--pipeline P] [--tests LIST] [--format text|jsonl|resp]
#   --requests N   redis-benchmark -n (per test; default 300000)
#   --pipeline P   redis-benchmark -P (default 32)
#   --tests LIST   redis-benchmark -t (default set,lpush,incr,hset)
#   --format F     tail output format (default resp)
# Environment: REDKIT (command to run redkit; default: java $REDKIT_JAVA_OPTS -jar cli/target/redkit.jar),
#   REDKIT_JAVA_OPTS, REDIS_SERVER, REDIS_CLI, REDIS_BENCHMARK.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
requests=300000
pipeline=32
tests="set,lpush,incr,hset"
format=resp
while [[ $# -gt 0 ]]; do
    case "$1" in
        --requests) requests="$2"; shift 2 ;;
        --pipeline) pipeline="$2"; shift 2 ;;
        --tests) tests="$2"; shift 2 ;;
        --format) format="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

redis_server="${REDIS_SERVER:-redis-server}"
redis_cli="${REDIS_CLI:-redis-cli}"
redis_benchmark="${REDIS_BENCHMARK:-redis-benchmark}"
jar="$root/cli/target/redkit.jar"
if [[ -z "${REDKIT:-}" && ! -f "$jar" ]]; then
    echo "missing $jar: build it with: mvn -B -o -pl cli -am package -DskipTests" >&2
    exit 2
fi
redkit="${REDKIT:-java ${REDKIT_JAVA_OPTS:-} -jar $jar}"

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
server_pid=""
tail_pid=""
bench_pid=""
cleanup() {
    [[ -n "$bench_pid" ]] && kill "$bench_pid" 2>/dev/null || true
    [[ -n "$tail_pid" ]] && kill "$tail_pid" 2>/dev/null || true
    [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$redis_server" --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
    --repl-diskless-sync-delay 0 --repl-backlog-size 64mb --logfile "$work/redis.log" &
server_pid=$!
for _ in $(seq 100); do "$redis_cli" -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done

field() { "$redis_cli" -p "$port" info replication | tr -d '\r' | sed -n "s/^$1:\(.*\)$/\1/p"; }
acked() { field slave0 | sed -n 's/.*offset=\([0-9]*\).*/\1/p'; }
online() { field slave0 | grep -q 'state=online'; }

$redkit tail "redis://127.0.0.1:$port" --snapshot skip -f "$format" > /dev/null 2> "$work/tail.err" &
tail_pid=$!
for _ in $(seq 200); do online && break; sleep 0.05; done
online || { echo "tail did not come online:" >&2; cat "$work/tail.err" >&2; exit 1; }

start_offset="$(field master_repl_offset)"
ntests=$(( $(tr -cd ',' <<< "$tests" | wc -c) + 1 ))
writes=$(( requests * ntests ))
echo "master 127.0.0.1:$port, redis-benchmark -t $tests -n $requests -P $pipeline ($writes writes), tail -f $format > /dev/null"
printf '%6s %14s %14s %12s %12s\n' "t(s)" "master offset" "tail offset" "lag (bytes)" "tail MB/s"
t0=$(date +%s.%N)
"$redis_benchmark" -h 127.0.0.1 -p "$port" -t "$tests" -n "$requests" -P "$pipeline" -r 100000 -q \
    > "$work/bench.out" 2>&1 &
bench_pid=$!
prev=$start_offset
caught=""
bench_done=""
for i in $(seq 1 600); do
    sleep 1
    m="$(field master_repl_offset)"
    a="$(acked)"; a="${a:-0}"
    printf '%6d %14d %14d %12d %12.1f\n' "$i" "$m" "$a" $(( m - a )) "$(echo "($a - $prev) / 1048576" | bc -l)"
    prev=$a
    if [[ -z "$bench_done" ]] && ! kill -0 "$bench_pid" 2>/dev/null; then
        bench_done=$(date +%s.%N)
    fi
    if [[ -n "$bench_done" && "$a" -ge "$m" ]]; then
        caught=$(date +%s.%N)
        break
    fi
    kill -0 "$tail_pid" 2>/dev/null || { echo "tail exited:" >&2; cat "$work/tail.err" >&2; exit 1; }
done
wait "$bench_pid" || true
bench_pid=""
rss_kb="$(awk '/VmHWM/ {print $2}' /proc/$tail_pid/status 2>/dev/null || echo '?')"
end_offset="$(field master_repl_offset)"
bytes=$(( end_offset - start_offset ))
bench_secs="$(echo "$bench_done - $t0" | bc -l)"
echo "redis-benchmark:"; tr '\r' '\n' < "$work/bench.out" | grep -E 'requests per second' | sed 's/^/  /'
if [[ -n "$caught" ]]; then
    secs="$(echo "$caught - $t0" | bc -l)"
    printf 'master wrote %d commands (%.1f MB of stream) in %.2f s: %.0f commands/s\n' \
        "$writes" "$(echo "$bytes / 1048576" | bc -l)" "$bench_secs" "$(echo "$writes / $bench_secs" | bc -l)"
    printf 'tail processed them all within %.2f s (ACK granularity 1 s): >= %.0f commands/s sustained, %.1f MB/s\n' \
        "$secs" "$(echo "$writes / $secs" | bc -l)" "$(echo "$bytes / 1048576 / $secs" | bc -l)"
else
    echo "tail did not catch up within the time limit"
fi
echo "tail peak RSS: ${rss_kb} kB"
