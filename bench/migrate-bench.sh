#!/usr/bin/env bash
# End-to-end migration benchmark (not a test: it prints figures and never fails a build).
#
# 1. Builds, once, a mixed RDB with a throw-away redis-server: bench/gen-dataset.py with every key in db 0 (a
#    cluster has no other database), piped into redis-cli --pipe, then SAVE; cached in bench/out/ (git-ignored).
# 2. Starts its own targets on free 127.0.0.1 ports: one redis-server and a 3-master Redis Cluster
#    (redis-cli --cluster create). Every target is emptied (FLUSHALL) before each run.
# 3. Times, in the same run on the same file:
#      pipe       redkit dump -f resp RDB | redis-cli --pipe            into the server (the reference)
#      server     redkit migrate RDB --to redis://...                    into the server
#      cluster    redkit migrate RDB --to redis-cluster://...            into the cluster
#      diff       redkit diff RDB redis-cluster://...                    (the check after a migration)
#    printing wall time, keys/s, MB/s (RDB file size / wall time), the peak RSS of the largest process of the row
#    (/usr/bin/time) and the keys found on the target afterwards.
#
# Usage: bench/migrate-bench.sh [--scale S] [--runs N] [--regen] [--only NAME[,NAME...]]
#   --scale S   dataset size factor for gen-dataset.py (default 0.05: ~195k keys, ~50 MB of RDB)
#   --runs N    runs per row; the fastest is reported (default 1)
#   --regen     rebuild the cached RDB even when present
#   --only      subset of: pipe,server,cluster,diff (default: all)
# Environment: REDKIT (command to run redkit; default: the ./redkit launcher, with its JVM options),
#   REDKIT_JAVA_OPTS (extra JVM options, e.g. -Xmx512m), REDIS_SERVER, REDIS_CLI.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out_dir="$root/bench/out"
scale=0.05
runs=1
regen=0
only="pipe,server,cluster,diff"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --scale) scale="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --regen) regen=1; shift ;;
        --only) only="$2"; shift 2 ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

redis_server="${REDIS_SERVER:-redis-server}"
redis_cli="${REDIS_CLI:-redis-cli}"

need() { command -v "$1" >/dev/null || { echo "migrate-bench: $1 is needed ($2)" >&2; exit 3; }; }
need "$redis_server" "Debian: apt-get install redis-server"
need "$redis_cli" "Debian: apt-get install redis-tools"
need python3 "the dataset generator"
time_bin=/usr/bin/time
[[ -x "$time_bin" ]] || { echo "migrate-bench: $time_bin is needed for peak RSS (Debian: apt-get install time)" >&2; exit 3; }
if [[ -z "${REDKIT:-}" ]]; then
    "$root/redkit" --version >/dev/null
    redkit=("$root/redkit")
else
    # shellcheck disable=SC2206
    redkit=($REDKIT)
fi

mkdir -p "$out_dir"
work="$(mktemp -d "$out_dir/migrate.XXXXXX")"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${pids[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_server DIR ARGS... : prints the port; the pid goes to $pids
start_server() {
    local dir="$1" port
    shift
    mkdir -p "$dir"
    port="$(free_port)"
    "$redis_server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
        --daemonize no --logfile "$dir/redis.log" "$@" &
    pids+=($!)
    for _ in $(seq 1 400); do
        "$redis_cli" -p "$port" ping >/dev/null 2>&1 && break
        sleep 0.05
    done
    last_port="$port"
}

keys_of() { # keys over the given ports
    local n=0 p k
    for p in "$@"; do
        k=$("$redis_cli" -p "$p" dbsize)
        n=$((n + k))
    done
    echo "$n"
}

rdb="$out_dir/flat-scale-$scale.rdb"
meta="$rdb.keys"

generate() {
    echo "migrate-bench: generating the dataset (scale $scale, db 0 only) ..." >&2
    local t0=$SECONDS
    start_server "$work/gen" --dbfilename dump.rdb
    local port="$last_port"
    # gen-dataset.py with its SELECTs dropped: every key lands in db 0
    python3 - "$root/bench/gen-dataset.py" "$scale" <<'EOF' | "$redis_cli" -p "$port" --pipe >"$work/pipe.out"
import importlib.util, sys
spec = importlib.util.spec_from_file_location("gen", sys.argv[1])
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
cmd = gen.Out.cmd
gen.Out.cmd = lambda self, *a: None if a and a[0] == b"SELECT" else cmd(self, *a)
sys.argv = ["gen-dataset.py", "--scale", sys.argv[2]]
gen.main()
EOF
    grep -q 'errors: 0' "$work/pipe.out" || { cat "$work/pipe.out" >&2; exit 1; }
    "$redis_cli" -p "$port" dbsize >"$work/keys"
    "$redis_cli" -p "$port" save >/dev/null
    mv "$work/gen/dump.rdb" "$rdb"
    mv "$work/keys" "$meta"
    echo "migrate-bench: generated $rdb in $((SECONDS - t0)) s" >&2
}

if [[ $regen -eq 1 || ! -f "$rdb" || ! -f "$meta" ]]; then
    generate
fi
bytes=$(stat -c %s "$rdb")
keys=$(cat "$meta")
cat "$rdb" >/dev/null

# the targets
start_server "$work/single"
single="$last_port"
cluster_ports=()
for i in 0 1 2; do
    start_server "$work/node$i" --cluster-enabled yes --cluster-config-file nodes.conf \
        --cluster-node-timeout 15000 --cluster-port "$(free_port)"
    cluster_ports+=("$last_port")
done
"$redis_cli" --cluster create "${cluster_ports[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes >"$work/create.out"
for _ in $(seq 1 600); do
    ok=0
    for p in "${cluster_ports[@]}"; do
        "$redis_cli" -p "$p" cluster info | grep -q 'cluster_state:ok' && ok=$((ok + 1))
    done
    [[ $ok -eq 3 ]] && break
    sleep 0.1
done
cluster_uri="redis-cluster://127.0.0.1:${cluster_ports[0]},127.0.0.1:${cluster_ports[1]},127.0.0.1:${cluster_ports[2]}"

flush() {
    local p
    for p in "$@"; do
        "$redis_cli" -p "$p" flushall >/dev/null
    done
}

echo "file: $rdb ($(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}') MiB, $keys keys)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1), $("$redis_server" --version | awk '{print $3}')"
printf '%-52s %9s %12s %9s %12s %12s %s\n' "row" "wall s" "keys/s" "MB/s" "peak RSS MB" "keys after" "exit"

# measure NAME PORTS-TO-FLUSH-AND-COUNT -- COMMAND (a shell string)
measure() {
    local name="$1" ports="$2" command="$3"
    local best="" best_rss="" code=0 i after=""
    for ((i = 0; i < runs; i++)); do
        # shellcheck disable=SC2086
        [[ -n "$ports" ]] && flush $ports
        local t0 t1 wall
        t0=$(date +%s.%N)
        code=0
        "$time_bin" -f '%M' -o "$work/rss" bash -c "$command" >"$work/run.out" 2>"$work/run.err" || code=$?
        t1=$(date +%s.%N)
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
        if [[ -z "$best" ]] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then
            best="$wall"
            best_rss=$(tail -1 "$work/rss")
        fi
        # shellcheck disable=SC2086
        [[ -n "$ports" ]] && after=$(keys_of $ports)
    done
    awk -v n="$name" -v w="$best" -v b="$bytes" -v k="$keys" -v r="$best_rss" -v a="${after:--}" -v c="$code" 'BEGIN {
        printf "%-52s %9.2f %12.0f %9.1f %12.1f %12s %s\n", n, w, k / w, b / 1048576 / w, r / 1024, a, c }'
    if [[ $code -ne 0 ]]; then
        echo "  stderr (last lines):" && tail -5 "$work/run.err" | sed 's/^/    /'
    fi
    grep -E 'redirects|keys/s' "$work/run.out" 2>/dev/null | head -3 | sed 's/^/    /' || true
}

rk="${redkit[*]}"
IFS=',' read -r -a selected <<<"$only"
for s in "${selected[@]}"; do
    case "$s" in
        pipe) measure "dump -f resp | redis-cli --pipe  (server)" "$single" \
            "$rk dump -f resp '$rdb' | $redis_cli -p $single --pipe" ;;
        server) measure "redkit migrate --to redis://  (server)" "$single" \
            "$rk migrate '$rdb' --to redis://127.0.0.1:$single --no-progress" ;;
        cluster) measure "redkit migrate --to redis-cluster://  (3 masters)" "${cluster_ports[*]}" \
            "$rk migrate '$rdb' --to $cluster_uri --no-progress" ;;
        diff) measure "redkit diff RDB redis-cluster://  (check)" "" \
            "$rk diff '$rdb' $cluster_uri --no-progress" ;;
        *) echo "unknown row: $s" >&2; exit 2 ;;
    esac
done
