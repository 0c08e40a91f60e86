#!/usr/bin/env bash
# Figures for the bundled KV engine and its persistence (not a test: it prints figures and never fails a build).
#
#   1. migrate throughput: `redkit migrate RDB --to kv:DIR` of bench/out/mixed-scale-1.0.rdb (keys/s, MB/s)
#   2. engine operations/s for GET, SET, HSET, ZADD from 1, 2 and 4 threads (in memory), and SET with the log
#   3. recovery (restart) time for 1M and 10M small-string keys (base + 10% logged updates)
#   4. heap bytes per key for 1M small strings (16-byte keys, 8-byte values) next to redis-server's used_memory
#
# Usage: bench/kv-bench.sh [--rdb FILE] [--ops-seconds S] [--recovery "1000000 10000000"] [--skip-migrate]
# Build first: mvn -B -o -pl cli -am package -DskipTests (the migrate step runs cli/target/redkit.jar) and
#   mvn -B -o -pl kv -am test-compile (the harness classes).
# Environment: REDKIT_JAVA_OPTS (default -Xmx10g for the big runs), REDIS_SERVER, WORK (scratch dir, default mktemp).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
rdb="$root/bench/out/mixed-scale-1.0.rdb"
ops_seconds=2
recovery="1000000 10000000"
skip_migrate=
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rdb) rdb="$2"; shift 2 ;;
        --ops-seconds) ops_seconds="$2"; shift 2 ;;
        --recovery) recovery="$2"; shift 2 ;;
        --skip-migrate) skip_migrate=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
opts="${REDKIT_JAVA_OPTS:--Xmx10g}"
work="${WORK:-$(mktemp -d)}"
trap 'rm -rf "$work"' EXIT
cp="$root/kv/target/test-classes:$root/kv/target/classes:$root/aof/target/classes:$root/rdb/target/classes:$root/core/target/classes"
[[ -f "$root/kv/target/test-classes/io/redkit/kv/KvBenchHarness.class" ]] || { echo "build first: mvn -B -o -pl kv -am test-compile" >&2; exit 2; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, $(java -version 2>&1 | head -1)"

if [[ -z "$skip_migrate" ]]; then
    jar="$root/cli/target/redkit.jar"
    [[ -f "$jar" ]] || { echo "build first: mvn -B -o -pl cli -am package -DskipTests" >&2; exit 2; }
    echo "== 1. migrate $(basename "$rdb") ($(du -m "$rdb" | cut -f1) MB) into kv:"
    start=$(date +%s.%N)
    java $opts -XX:+UseParallelGC -jar "$jar" migrate "$rdb" --to "kv:$work/migrate" --no-progress
    end=$(date +%s.%N)
    echo "   wall time including the JVM and the final base rewrite: $(echo "$end - $start" | bc) s;" \
         "data directory $(du -sm "$work/migrate" | cut -f1) MB"
    rm -rf "$work/migrate"
fi

echo "== 2. engine operations"
java $opts -XX:+UseParallelGC -cp "$cp" io.redkit.kv.KvBenchHarness ops "$ops_seconds" "$work"

echo "== 3. recovery"
for n in $recovery; do
    java $opts -XX:+UseParallelGC -cp "$cp" io.redkit.kv.KvBenchHarness recovery "$n" "$work/recovery-$n"
done

echo "== 4. heap bytes per key, 1M small strings"
java -Xmx2g -XX:+UseSerialGC -cp "$cp" io.redkit.kv.KvMemoryHarness 1000000
redis_server="${REDIS_SERVER:-redis-server}"
if command -v "$redis_server" >/dev/null && command -v redis-cli >/dev/null; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    "$redis_server" --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >/dev/null &
    rpid=$!
    for _ in $(seq 1 100); do [[ "$(redis-cli -p "$port" PING 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
    before=$(redis-cli -p "$port" INFO memory | awk -F: '/^used_memory:/{print $2+0}')
    python3 - <<'PY' | redis-cli -p "$port" --pipe >/dev/null
import sys
out = sys.stdout.buffer
for i in range(1000000):
    k = b"key:%012d" % i
    v = b"%08d" % (i % 100000000)
    out.write(b"*3\r\n$3\r\nSET\r\n$16\r\n" + k + b"\r\n$8\r\n" + v + b"\r\n")
PY
    after=$(redis-cli -p "$port" INFO memory | awk -F: '/^used_memory:/{print $2+0}')
    echo "redis-server $("$redis_server" --version | grep -o 'v=[0-9.]*'): used_memory grew $((after - before)) bytes" \
         "= $(( (after - before) / 1000000 )) bytes/key for 1,000,000 keys"
    kill "$rpid"
fi
