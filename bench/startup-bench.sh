#!/usr/bin/env bash
# Start-up benchmark (not a test: it prints figures and never fails a build).
#
# Wall time (median, min, max of N runs) and CPU time (median), of `redkit --version` and `redkit inspect SMALL.rdb` (output to /dev/null):
#   launcher   ./redkit as users run it (bash launcher: staleness check, then java with its options and archive)
#   cds        the launcher's JVM command alone, with redkit's class-data sharing archive
#   jdk-cds    the same without redkit's archive (only the JDK's built-in one)
#   no-cds     the same with -Xshare:off (no class-data sharing at all)
# plus the classes each command loads (-Xlog:class+load) and whether Netty, Jackson, JLine or picocli are among them.
# The jar is copied to a scratch directory first, so a rebuild by someone else cannot change it mid-run;
# the archive there is made the way the launcher makes its own.
#
# Usage: bench/startup-bench.sh [--runs N] [--file RDB]
#   --runs N    runs per row (default 21); the median is printed, with min and max
#   --file RDB  the small file for inspect (default: the 700 KB r74-mixed.rdb fixture, 918 keys of every type)
# Environment: REDKIT_FIXTURES (fixture corpus; default ../shared/fixtures beside the checkout).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs=21
file=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --file) file="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
if [[ -z "$file" ]]; then
    fixtures="${REDKIT_FIXTURES:-$root/../shared/fixtures}"
    file="$fixtures/rdb/r74-mixed.rdb"
fi
[[ -f "$file" ]] || { echo "no such file: $file (give one with --file)" >&2; exit 2; }

# builds the jar when it is stale, and makes the launcher's own archive
"$root/redkit" --version >/dev/null

work="$(mktemp -d "${TMPDIR:-/tmp}/redkit-startup.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$root/cli/target/redkit.jar" "$work/redkit.jar"
jar="$work/redkit.jar"
jsa="$work/redkit.jsa"
# the launcher's options (see ./redkit)
jvm=(-Xlog:disable -Xlog:all=warning:stderr -XX:+UseSerialGC -Xms32m)
# the launcher's archive recipe: its training run
java "${jvm[@]}" -XX:ArchiveClassesAtExit="$jsa" -Xlog:disable -cp "$jar" io.redkit.cli.CdsTraining \
    </dev/null >/dev/null 2>&1
[[ -f "$jsa" ]] || { echo "could not make the archive" >&2; exit 3; }

now_ms() {
    local t="${EPOCHREALTIME/./}"
    echo $((t / 1000))
}

# time_cmd NAME CMD...: runs CMD $runs times (after one warm-up), prints the median, min and max wall time
# and the median CPU time (user + sys, from /usr/bin/time when present: on a busy machine wall time
# also counts waiting for a core, CPU time much less so)
time_cmd() {
    local name="$1"
    shift
    "$@" >/dev/null 2>&1 || { echo "$name: command failed: $*" >&2; return 1; }
    local times=() cpus=() i t0 t1 cpu
    for ((i = 0; i < runs; i++)); do
        t0=$(now_ms)
        if [[ -x /usr/bin/time ]]; then
            /usr/bin/time -f '%U %S' -o "$work/cpu.txt" "$@" >/dev/null 2>&1
            cpu=$(awk '{printf "%d", ($1 + $2) * 1000}' "$work/cpu.txt")
        else
            "$@" >/dev/null 2>&1
            cpu=0
        fi
        t1=$(now_ms)
        times+=($((t1 - t0)))
        cpus+=("$cpu")
    done
    local sorted csorted
    mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
    mapfile -t csorted < <(printf '%s\n' "${cpus[@]}" | sort -n)
    printf '  %-34s median %5d ms   min %5d   max %5d   cpu median %5d ms\n' "$name" "${sorted[$((runs / 2))]}" \
        "${sorted[0]}" "${sorted[$((runs - 1))]}" "${csorted[$((runs / 2))]}"
}

classes() {
    local name="$1"
    shift
    local log="$work/classes.txt"
    rm -f "$log"
    java "${jvm[@]}" -XX:SharedArchiveFile="$jsa" -Xlog:class+load=info:file="$log" -jar "$jar" "$@" >/dev/null 2>&1
    local total shared netty jackson jline picocli redkit
    total=$(grep -c 'class,load' "$log" || true)
    shared=$(grep -c 'shared objects file' "$log" || true)
    netty=$(grep -c ' io\.netty\.' "$log" || true)
    jackson=$(grep -c ' com\.fasterxml\.' "$log" || true)
    jline=$(grep -c ' org\.jline\.' "$log" || true)
    picocli=$(grep -c ' picocli\.' "$log" || true)
    redkit=$(grep -c ' io\.redkit\.' "$log" || true)
    printf '  %-34s %5d classes (%d from the archive): redkit %d, picocli %d, Jackson %d, Netty %d, JLine %d\n' \
        "$name" "$total" "$shared" "$redkit" "$picocli" "$jackson" "$netty" "$jline"
}

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "== jar $(du -h "$jar" | cut -f1), archive $(du -h "$jsa" | cut -f1); small file: $file ($(du -h "$file" | cut -f1))"
echo "== wall time, $runs runs each"
time_cmd "redkit --version (launcher)" "$root/redkit" --version
time_cmd "redkit --version (cds)" java "${jvm[@]}" -XX:SharedArchiveFile="$jsa" -jar "$jar" --version
time_cmd "redkit --version (jdk-cds)" java "${jvm[@]}" -jar "$jar" --version
time_cmd "redkit --version (no-cds)" java "${jvm[@]}" -Xshare:off -jar "$jar" --version
time_cmd "redkit inspect small (launcher)" "$root/redkit" inspect "$file"
time_cmd "redkit inspect small (cds)" java "${jvm[@]}" -XX:SharedArchiveFile="$jsa" -jar "$jar" inspect "$file"
time_cmd "redkit inspect small (jdk-cds)" java "${jvm[@]}" -jar "$jar" inspect "$file"
time_cmd "redkit inspect small (no-cds)" java "${jvm[@]}" -Xshare:off -jar "$jar" inspect "$file"
echo "== classes loaded (with the archive)"
classes "redkit --version" --version
classes "redkit inspect small" inspect "$file"
classes "redkit inspect small --format json" inspect "$file" --format json
classes "redkit dump small -f jsonl" dump "$file" -f jsonl
