#!/usr/bin/env bash
# redis-benchmark against `redkit kv serve` and a real redis-server with the same persistence setting
# (not a test: it prints figures and never fails a build).
#
# Both servers run on free 127.0.0.1 ports in throw-away directories with an append-only log and the same
# fsync policy. For -P 1 and -P 16 it runs
#   redis-benchmark -t set,get,incr,lpush,rpop,sadd,hset,zadd,lrange_100 -c 50 -n N -P P --csv
# against each and prints requests/s per test and the ratio kv serve / redis-server. kv serve gets one
# untimed warm-up pass first (JIT).
#
# Usage: bench/kv-serve-bench.sh [-n REQUESTS] [--fsync always|everysec|no] [--tests LIST] [--clients C]
#   [--kv-args "ARGS"] (more kv serve options, e.g. "--io-threads 1")
# The load average is printed before and after the run: on a shared machine the ratios mean little when it is high.
# Environment: KV_SERVE (command that runs kv serve, given --dir and --port; default: the classes built by
#   `mvn -o -pl kv-server -am compile` on a class path from ~/.m2), REDKIT_JAVA_OPTS, REDIS_SERVER,
#   REDIS_BENCHMARK.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
n=100000
fsync=everysec
tests="set,get,incr,lpush,rpop,sadd,hset,zadd,lrange_100"
clients=50
kv_args=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -n) n="$2"; shift 2 ;;
        --fsync) fsync="$2"; shift 2 ;;
        --tests) tests="$2"; shift 2 ;;
        --clients) clients="$2"; shift 2 ;;
        --kv-args) kv_args="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
redis_server="${REDIS_SERVER:-redis-server}"
redis_benchmark="${REDIS_BENCHMARK:-redis-benchmark}"

if [[ -z "${KV_SERVE:-}" ]]; then
    m2="${HOME}/.m2/repository"
    cp="$root/kv-server/target/classes:$root/kv/target/classes:$root/core/target/classes:$root/rdb/target/classes"
    nv="$(grep -o '<netty.version>[^<]*' "$root/pom.xml" | cut -d'>' -f2)"
    for a in netty-buffer netty-common netty-transport netty-handler netty-codec netty-resolver \
             netty-transport-native-unix-common netty-transport-classes-epoll; do
        cp="$cp:$m2/io/netty/$a/$nv/$a-$nv.jar"
    done
    cp="$cp:$m2/io/netty/netty-transport-native-epoll/$nv/netty-transport-native-epoll-$nv-linux-x86_64.jar"
    cp="$cp:$(ls "$m2"/org/luaj/luaj-jse/3.0.1/luaj-jse-3.0.1.jar)"
    cp="$cp:$(ls "$m2"/at/yawk/lz4/lz4-java/*/lz4-java-*.jar | sort | tail -1)"
    [[ -d "$root/kv-server/target/classes/io" ]] || { echo "build first: mvn -o -pl kv-server -am compile" >&2; exit 2; }
    KV_SERVE="java ${REDKIT_JAVA_OPTS:--Xmx1g} -cp $cp io.redkit.kv.server.KvServerMain"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ping() {
    for _ in $(seq 1 200); do
        if [[ "$(redis-cli -p "$1" PING 2>/dev/null)" == "PONG" ]]; then return 0; fi
        sleep 0.1
    done
    echo "server on port $1 did not start" >&2; return 1
}

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; if [[ -n "${KEEP_WORK:-}" ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

rport=$(free_port)
mkdir -p "$work/redis" "$work/kv"
"$redis_server" --port "$rport" --bind 127.0.0.1 --dir "$work/redis" --save '' --appendonly yes \
    --appendfsync "$fsync" > "$work/redis.log" 2>&1 &
pids+=($!)
kport=$(free_port)
# shellcheck disable=SC2086
$KV_SERVE --dir "$work/kv" --port "$kport" --fsync "$fsync" $kv_args > "$work/kv.log" 2>&1 &
pids+=($!)
wait_ping "$rport"
wait_ping "$kport"

run() { # port pipeline -> "TEST rps" lines
    "$redis_benchmark" -p "$1" -t "$tests" -c "$clients" -n "$n" -P "$2" --csv 2>/dev/null \
        | tail -n +2 | tr -d '"' | awk -F, '{print $1, $2}'
}

"$redis_benchmark" -p "$kport" -t "$tests" -c "$clients" -n $((n / 2)) -P 16 -q > /dev/null 2>&1 || true
"$redis_benchmark" -p "$kport" -t "$tests" -c "$clients" -n $((n / 4)) -q > /dev/null 2>&1 || true

echo "redis-benchmark -t $tests -c $clients -n $n, fsync $fsync, $(nproc) cores${kv_args:+, kv serve $kv_args}"
echo "before: $(uptime)"
printf '%-36s %4s %14s %14s %8s\n' test P redis-server kv-serve ratio
for p in 1 16; do
    redis-cli -p "$rport" FLUSHALL > /dev/null
    redis-cli -p "$kport" FLUSHALL > /dev/null
    run "$rport" "$p" > "$work/r.$p"
    run "$kport" "$p" > "$work/k.$p"
    join <(sed 's/ \([0-9.]*\)$/|\1/' "$work/r.$p" | sort) <(sed 's/ \([0-9.]*\)$/|\1/' "$work/k.$p" | sort) -t '|' \
        | awk -F'|' -v p="$p" '{ printf "%-36s %4s %14.0f %14.0f %8.2f\n", $1, p, $2, $3, ($2 > 0 ? $3 / $2 : 0) }'
done
echo "after:  $(uptime)"
