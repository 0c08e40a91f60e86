#!/usr/bin/env bash
# AOF parsing benchmark (not a test: it prints figures and never fails a build).
# Generates, once, a large single-file AOF of mixed write commands (bench/out/, git-ignored), then times
# `redkit verify` (which parses every command) and `redis-check-aof` on it, printing wall time, MB/s,
# commands/s and peak RSS.
#
# Usage: bench/aof-bench.sh [--commands N] [--regen]   (default 3,000,000 commands, about 300 MB)
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out_dir="$root/bench/out"
n=3000000
regen=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --commands) n="$2"; shift 2 ;;
        --regen) regen=1; shift ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ -x /usr/bin/time ]] || { echo "aof-bench: /usr/bin/time is needed (Debian: apt-get install time)" >&2; exit 3; }
mkdir -p "$out_dir"
aof="$out_dir/mixed-$n.aof"

if [[ $regen -eq 1 || ! -s "$aof" ]]; then
    echo "generating $aof ..." >&2
    python3 - "$n" "$aof.tmp" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(7)
def cmd(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)
with open(path, "wb") as f:
    f.write(cmd("SELECT", 0))
    buf = []
    for i in range(n):
        k = rnd.randrange(200000)
        r = i % 6
        if r == 0:
            c = cmd("SET", f"str:{k}", "v" * rnd.randrange(8, 120))
        elif r == 1:
            c = cmd("HSET", f"hash:{k % 20000}", f"f{k}", rnd.randrange(10**9))
        elif r == 2:
            c = cmd("RPUSH", f"list:{k % 5000}", f"item-{i}")
        elif r == 3:
            c = cmd("ZADD", f"zset:{k % 10000}", rnd.random() * 1000, f"m{k}")
        elif r == 4:
            c = cmd("SADD", f"set:{k % 10000}", k)
        else:
            c = cmd("PEXPIREAT", f"str:{k}", 4102444800000)
        buf.append(c)
        if len(buf) >= 10000:
            f.write(b"".join(buf)); buf.clear()
    f.write(b"".join(buf))
PY
    mv "$aof.tmp" "$aof"
fi

bytes=$(stat -c %s "$aof")
cat "$aof" >/dev/null
printf '%-24s %9s %9s %12s %12s\n' "tool" "wall s" "MB/s" "commands/s" "peak RSS MB"
measure() {
    local name="$1"; shift
    local tf t0 t1
    tf="$(mktemp)"
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$tf" "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    awk -v n="$name" -v a="$t0" -v b="$t1" -v by="$bytes" -v c="$((n + 1))" -v r="$(tail -1 "$tf")" 'BEGIN {
        w = b - a; printf "%-24s %9.2f %9.1f %12.0f %12.1f\n", n, w, by / 1048576 / w, c / w, r / 1024 }'
    rm -f "$tf"
}
command -v redis-check-aof >/dev/null && measure "redis-check-aof" redis-check-aof "$aof"
"$root/redkit" --version >/dev/null
measure "redkit verify" "$root/redkit" verify --no-progress "$aof"
