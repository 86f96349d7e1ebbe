#!/usr/bin/env bash
# bench/ingest/run.sh — durable ingest of Rivulet beside PostgreSQL 15.
#
#   bench/ingest/run.sh [--build DIR] [--rows N] [--runs N] [-T SECONDS]
#                       [--clients "1 8 32"] [--targets "rivulet postgres"]
#
# On demand only (make bench-ingest), never in make test. For each target it
# starts a fresh server on this machine (Rivulet from BUILDDIR/server/rivulet;
# PostgreSQL 15 through scripts/pg-oracle.sh, with fsync=on and
# synchronous_commit=on put back — the oracle defaults to fsync off — so both
# acknowledge only durable rows) and measures:
#
#   1. COPY: N generated rows (bigint, bigint, 30-byte text, timestamp; about
#      73 bytes a row in COPY text, bench/ingest/gen.py) sent by psql's \copy
#      into a SOURCE (Rivulet) / a plain table (PostgreSQL); wall time from
#      psql's start to its "COPY n"; rows/s and MB/s of COPY text; median of
#      RUNS runs (a fresh relation each run).
#   2. Single-row INSERT: pgbench -n -M simple with a one-line INSERT script,
#      for each client count, -T SECONDS each; throughput (tps) and the p50 /
#      p99 latency from pgbench's per-transaction log (-l).
#
# Defaults: --rows 10000000 --runs 1 -T 10 --clients "1 8 32".
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/scripts/test-lib.sh"

build=$ROOT/build
ROWS=10000000
RUNS=1
T=10
CLIENTS="1 8 32"
targets="rivulet postgres"
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    -T) T=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

PY=/usr/bin/python3
PGBENCH=/usr/lib/postgresql/15/bin/pgbench
[ -x "$PGBENCH" ] || PGBENCH=$(command -v pgbench)
work=$(mktemp -d /tmp/rivulet-ingest.XXXXXX)
trap 'tl_server_stop >/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
tl_client_env
unset PGAPPNAME

echo "generating $ROWS rows ..." >&2
"$PY" "$HERE/gen.py" "$ROWS" "$work/data.txt" || exit 1
bytes=$(stat -c %s "$work/data.txt")
echo "INSERT INTO ins VALUES (1, 2, 'abcdefghijklmnopqrstuvwxyz0123', '2026-01-01 00:00:00');" \
    >"$work/insert.sql"

median() { sort -g | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]; else print "-"}'; }
now() { date +%s.%N; }
q() { "$TL_PSQL" -X -q -v ON_ERROR_STOP=1 -h "$TL_HOST" -p "$TL_PORT" -U postgres -d regression "$@"; }

declare -A res
for target in $targets; do
    echo "== $target" >&2
    if [ "$target" = rivulet ]; then
        RIVULET_LOG_LEVEL=warning tl_server_start rivulet "$build" "$work/$target" || exit 1
        kind=SOURCE
    else
        tl_server_start postgres "$build" "$work/$target" -c fsync=on -c synchronous_commit=on \
            -c full_page_writes=on -c log_min_messages=fatal -c max_connections=80 \
            -c max_wal_size=4GB || exit 1
        kind=TABLE
        fs=$(q -At -c "SHOW fsync"); sc=$(q -At -c "SHOW synchronous_commit")
        echo "   postgres: fsync=$fs synchronous_commit=$sc" >&2
        if [ "$fs" != on ] || [ "$sc" != on ]; then
            echo "run.sh: PostgreSQL is not durable (fsync=$fs)" >&2
            exit 1
        fi
    fi
    vals=()
    for run in $(seq 1 "$RUNS"); do
        q -c "DROP $kind IF EXISTS ingest" >/dev/null 2>&1
        q -c "CREATE $kind ingest (a bigint, b bigint, c text, d timestamp)" || exit 1
        t0=$(now)
        out=$(q -c "\\copy ingest from '$work/data.txt'" 2>&1)
        t1=$(now)
        if [ "$out" != "COPY $ROWS" ] && [ -n "$out" ]; then
            echo "   copy run $run failed: $out" >&2
            exit 1
        fi
        n=$(q -At -c "SELECT count(*) FROM ingest")
        if [ "$n" != "$ROWS" ]; then
            echo "   copy run $run: $n rows visible, expected $ROWS" >&2
            exit 1
        fi
        secs=$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}")
        echo "   copy run $run: $secs s" >&2
        vals+=("$secs")
    done
    res[$target,copy_s]=$(printf '%s\n' "${vals[@]}" | median)
    q -c "DROP $kind IF EXISTS ingest" >/dev/null 2>&1
    for c in $CLIENTS; do
        q -c "DROP TABLE IF EXISTS ins" >/dev/null 2>&1
        q -c "CREATE TABLE ins (a bigint, b bigint, c text, d timestamp)" || exit 1
        j=$c; [ "$j" -gt 2 ] && j=2
        rm -rf "$work/log"; mkdir -p "$work/log"
        out=$(cd "$work/log" && "$PGBENCH" -n -M simple -f "$work/insert.sql" -T "$T" -c "$c" \
            -j "$j" -l -h "$TL_HOST" -p "$TL_PORT" -U postgres regression 2>&1)
        tps=$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' <<<"$out" | head -n 1)
        [ -z "$tps" ] && { echo "   pgbench -c $c failed:"; tail -n 5 <<<"$out"; } >&2
        # pgbench -l: client_id transaction_no time(us) script_no time_epoch time_us
        lat=$(cat "$work"/log/pgbench_log.* 2>/dev/null | awk '{print $3}' | sort -n |
            awk '{v[NR]=$1} END {if (NR) printf "%.3f %.3f", v[int(NR*0.5)+(NR*0.5>int(NR*0.5))]/1000, v[int(NR*0.99)+(NR*0.99>int(NR*0.99))]/1000; else print "- -"}')
        res[$target,tps,$c]=${tps:--}
        res[$target,p50,$c]=${lat% *}
        res[$target,p99,$c]=${lat#* }
        echo "   insert -c $c: ${tps:--} tps, p50 ${lat% *} ms, p99 ${lat#* } ms" >&2
    done
    tl_server_stop >/dev/null
done

cpu=$(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
mb=$(awk "BEGIN{printf \"%.1f\", $bytes / 1048576}")
echo
echo "machine: nproc=$(nproc), CPU: ${cpu:-unknown}, $(uname -sr); disk: $(df -h "$work" | awk 'NR==2{print $1}')"
echo "COPY: $ROWS rows, $mb MB of COPY text, median of $RUNS run(s); PostgreSQL fsync=on synchronous_commit=on"
ratio() { awk "BEGIN{ if (($2) > 0) printf \"%.2f\", ($1) / ($2); else print \"-\" }"; }
num() { [[ $1 =~ ^[0-9.]+$ ]]; }
printf '%-28s %14s %14s %8s\n' "measure" "rivulet" "postgres" "ratio"
rr=- pr=- rm=- pm=-
if num "${res[rivulet,copy_s]:-}"; then
    rr=$(awk "BEGIN{printf \"%.0f\", $ROWS / ${res[rivulet,copy_s]}}")
    rm=$(awk "BEGIN{printf \"%.1f\", $bytes / 1048576 / ${res[rivulet,copy_s]}}")
fi
if num "${res[postgres,copy_s]:-}"; then
    pr=$(awk "BEGIN{printf \"%.0f\", $ROWS / ${res[postgres,copy_s]}}")
    pm=$(awk "BEGIN{printf \"%.1f\", $bytes / 1048576 / ${res[postgres,copy_s]}}")
fi
row() {
    local r=-
    num "$2" && num "$3" && r=$(ratio "$2" "$3")
    printf '%-28s %14s %14s %8s\n' "$1" "$2" "$3" "$r"
}
row "COPY seconds" "${res[rivulet,copy_s]:--}" "${res[postgres,copy_s]:--}"
row "COPY rows/s" "$rr" "$pr"
row "COPY MB/s" "$rm" "$pm"
for c in $CLIENTS; do
    row "INSERT tps, $c clients" "${res[rivulet,tps,$c]:--}" "${res[postgres,tps,$c]:--}"
    row "INSERT p50 ms, $c clients" "${res[rivulet,p50,$c]:--}" "${res[postgres,p50,$c]:--}"
    row "INSERT p99 ms, $c clients" "${res[rivulet,p99,$c]:--}" "${res[postgres,p99,$c]:--}"
done
