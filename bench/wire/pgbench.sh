#!/usr/bin/env bash
# bench/wire/pgbench.sh — wire-protocol throughput of Rivulet beside PostgreSQL 15.
#
#   bench/wire/pgbench.sh [--build DIR] [-T SECONDS] [-c CLIENTS] [-j THREADS]
#                         [--runs N] [--targets "rivulet postgres"]
#
# On demand only (not part of make test). For each target it starts a fresh
# server (Rivulet from BUILDDIR/server/rivulet, PostgreSQL through
# scripts/pg-oracle.sh), runs the one-line script `SELECT 1;` with
#   pgbench -n -f select1.sql -T SECONDS -c CLIENTS -j THREADS -M simple|extended|prepared
# and once more with -C (a new connection per transaction, which measures
# connection set-up), RUNS times each, and prints the median TPS side by side
# with the ratio Rivulet / PostgreSQL. Defaults: -T 10 -c 4 -j 2 --runs 3
# (about 2 × 4 × 3 × 10 s = 4 minutes).
#
# Both servers run on this machine with logging reduced; PostgreSQL with
# fsync off (the query touches no data anyway). The numbers compare protocol
# handling and per-connection cost, not SQL execution.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/scripts/test-lib.sh"

build=$ROOT/build
T=10
C=4
J=2
RUNS=3
targets="rivulet postgres"
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    -T) T=$2; shift 2 ;;
    -c) C=$2; shift 2 ;;
    -j) J=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "pgbench.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

PGBENCH=/usr/lib/postgresql/15/bin/pgbench
[ -x "$PGBENCH" ] || PGBENCH=$(command -v pgbench)
[ -x "$PGBENCH" ] || { echo "pgbench.sh: pgbench not found (postgresql-15)" >&2; exit 1; }

work=$(mktemp -d /tmp/rivulet-bench.XXXXXX)
trap 'tl_server_stop >/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
echo "SELECT 1;" >"$work/select1.sql"
tl_client_env
unset PGAPPNAME

median() { sort -g | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]; else print "-"}'; }

modes="simple extended prepared connect"
declare -A tps conn_ms
for target in $targets; do
    echo "== $target" >&2
    if [ "$target" = rivulet ]; then
        RIVULET_LOG_LEVEL=warning tl_server_start rivulet "$build" "$work/$target" || exit 1
    else
        tl_server_start postgres "$build" "$work/$target" -c log_min_messages=fatal \
            -c max_connections=$((C + 20)) || exit 1
    fi
    for mode in $modes; do
        vals=()
        cms=()
        for run in $(seq 1 "$RUNS"); do
            args=(-n -f "$work/select1.sql" -T "$T" -c "$C" -j "$J" -h "$TL_HOST" -p "$TL_PORT"
                  -U postgres regression)
            if [ "$mode" = connect ]; then
                args+=(-M simple -C)
            else
                args+=(-M "$mode")
            fi
            out=$("$PGBENCH" "${args[@]}" 2>&1)
            v=$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' <<<"$out" | head -n 1)
            cm=$(sed -nE 's/^average connection time = ([0-9.]+) ms/\1/p' <<<"$out" | head -n 1)
            failed_tx=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' <<<"$out")
            if [ -z "$v" ] || [ "${failed_tx:-0}" != 0 ]; then
                echo "   $mode run $run: pgbench failed:" >&2
                tail -n 5 <<<"$out" | sed 's/^/      /' >&2
                v=0
            fi
            echo "   $mode run $run: $v tps${cm:+, connection $cm ms}" >&2
            vals+=("$v")
            [ -n "$cm" ] && cms+=("$cm")
        done
        tps[$target,$mode]=$(printf '%s\n' "${vals[@]}" | median)
        if [ ${#cms[@]} -gt 0 ]; then
            conn_ms[$target,$mode]=$(printf '%s\n' "${cms[@]}" | median)
        fi
    done
    tl_server_stop >/dev/null
done

cpu=$(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
echo
echo "machine: nproc=$(nproc), CPU: ${cpu:-unknown}, $(uname -sr)"
echo "pgbench: $("$PGBENCH" --version), script 'SELECT 1;', -T $T -c $C -j $J, median of $RUNS runs"
printf '%-24s %14s %14s %8s\n' "mode" "rivulet" "postgres" "ratio"
row() {
    local label=$1 a=$2 b=$3 ratio=-
    if [[ $a =~ ^[0-9.]+$ ]] && [[ $b =~ ^[0-9.]+$ ]] && [ "$(awk "BEGIN{print ($b > 0)}")" = 1 ]; then
        ratio=$(awk "BEGIN{printf \"%.2f\", $a / $b}")
    fi
    printf '%-24s %14s %14s %8s\n' "$label" "$a" "$b" "$ratio"
}
for mode in $modes; do
    label="tps -M $mode"
    [ "$mode" = connect ] && label="tps -C (connect each)"
    row "$label" "${tps[rivulet,$mode]:--}" "${tps[postgres,$mode]:--}"
done
row "connection time (ms)" "${conn_ms[rivulet,connect]:--}" "${conn_ms[postgres,connect]:--}"
