#!/usr/bin/env bash
# scripts/test.sh BUILDDIR — everything `make test` runs, in order:
#
#   layering   scripts/check-layering.sh (house rules a script can check)
#   unit       meson test -C BUILDDIR --print-errorlogs (Check unit suites and
#              fuzz corpus replayers)
#   regress    regress/run.sh       SQL tests through psql, diffed with
#                                   PostgreSQL 15's output
#   clients    tests/clients/run.sh psql, psycopg2, psycopg 3, JDBC,
#                                   node-postgres, libpq
#   hostile    tests/hostile/run.sh malformed and malicious clients
#   diff       tests/diff/run.sh    every corpus query on PostgreSQL 15 and
#                                   Rivulet, compared on the wire (fails on
#                                   a divergence not in known_divergences.txt)
#   crash      tests/crash/run.sh   SIGKILL while clients INSERT, restart,
#                                   every acknowledged row there exactly once
#   ivm        tests/ivm/run.sh     materialized views under random writes
#   windows    tests/windows/run.sh TUMBLE / HOP against date_bin in PostgreSQL
#   watermark  tests/watermark/run.sh late rows, EMIT ON WINDOW CLOSE, SIGKILL
#   generated  tests/generated/run.sh generated columns (`AS expr`) of a datagen source,
#                                   a watermark on one, views, SIGKILL; vs PostgreSQL 15
#   temporal   tests/temporal/run.sh temporal filters (now() in a view's WHERE), SIGKILL
#   nexmark    tests/nexmark/run.sh every Nexmark view (bench/nexmark) equals
#                                   the same query in PostgreSQL 15 (small scale)
#                                   (and SIGKILLs) equal PostgreSQL 15's answer
#   nexmarkc   tests/nexmark/run.sh --form combined: the same over RisingWave's combined
#                                   source (event_type + STRUCT columns) and three views
#   joinclean  tests/nexmark/join_cleanup.sh interval / window joins over watermarked
#                                   Nexmark sources equal PostgreSQL, their state stays small
#   wmtopn     tests/wmtopn/run.sh  top-N per TUMBLE/HOP window equals PostgreSQL, its state
#                                   holds only windows the watermark has not passed
#
# Each server-backed suite starts its own fresh BUILDDIR/server/rivulet on a
# free port (and kills it on exit, failure or not) and prints the server's log
# tail when something failed. This script collects each suite's
# "N passed, N failed", prints a table, and ends with exactly one line
# "N passed, N failed" summed over the suites. A suite that ends without its
# summary line, or exits non-zero with no failure counted, counts one failure.
# Exit status: 0 only when nothing failed.
#
# Environment: SUITES="regress clients" runs a subset; TARGET=postgres runs
# regress, clients and hostile against PostgreSQL 15 instead (the oracle: they
# must pass there); ASAN_OPTIONS and UBSAN_OPTIONS pass through to the
# servers (make test-asan).
set -uo pipefail

build=${1:?usage: scripts/test.sh BUILDDIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" 2>/dev/null && pwd) || { echo "test: no build directory $1" >&2; exit 2; }
target=${TARGET:-rivulet}
if [ "$target" = postgres ]; then
    suites=${SUITES:-"regress clients hostile"}
else
    suites=${SUITES:-"layering unit regress clients hostile diff crash ivm windows watermark generated temporal nexmark nexmarkc joinclean wmtopn"}
fi

logdir=$(mktemp -d /tmp/rivulet-test.XXXXXX)
child=
on_signal() {
    # Let the running suite clean up after itself (its EXIT trap stops its server).
    [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child" 2>/dev/null
    rm -rf "$logdir"
    exit 130
}
trap on_signal INT TERM
trap 'rm -rf "$logdir"' EXIT

suite_cmd() {
    case $1 in
    layering) [ -x "$ROOT/scripts/check-layering.sh" ] && echo "$ROOT/scripts/check-layering.sh" ;;
    unit) echo "meson test -C $build --print-errorlogs" ;;
    regress) echo "$ROOT/regress/run.sh --build $build --target $target" ;;
    clients) echo "$ROOT/tests/clients/run.sh --build $build --target $target" ;;
    hostile) echo "$ROOT/tests/hostile/run.sh --build $build --target $target" ;;
    diff) echo "$ROOT/tests/diff/run.sh --build $build" ;;
    crash) echo "$ROOT/tests/crash/run.sh --build $build" ;;
    ivm) echo "$ROOT/tests/ivm/run.sh --build $build" ;;
    windows) echo "$ROOT/tests/windows/run.sh --build $build" ;;
    watermark) echo "$ROOT/tests/watermark/run.sh --build $build" ;;
    generated) echo "$ROOT/tests/generated/run.sh --build $build" ;;
    temporal) echo "$ROOT/tests/temporal/run.sh --build $build" ;;
    nexmark) echo "$ROOT/tests/nexmark/run.sh --build $build" ;;
    nexmarkc) echo "$ROOT/tests/nexmark/run.sh --build $build --form combined" ;;
    joinclean) echo "$ROOT/tests/nexmark/join_cleanup.sh --build $build" ;;
    wmtopn) echo "$ROOT/tests/wmtopn/run.sh --build $build" ;;
    esac
}

# Counts from a suite's output: its last "N passed, N failed" line, or for
# meson test its "Ok: / Fail: / ..." summary block.
suite_counts() {
    local name=$1 out=$2 line
    if [ "$name" = unit ]; then
        awk '
            /^Ok: /                {p += $2}
            /^Expected Fail: /     {p += $3}
            /^Fail: /              {f += $2}
            /^Unexpected Pass: /   {f += $3}
            /^Timeout: /           {f += $2}
            END {if (NR) printf "%d %d\n", p, f}' "$out"
        return
    fi
    line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    [ -n "$line" ] && sed -E 's/^([A-Za-z]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/' <<<"$line"
}

# node-postgres comes from the npm registry; install it once.
if [[ " $suites " == *" clients "* ]] && [ ! -d "$ROOT/tests/clients/node/node_modules/pg" ] &&
   command -v npm >/dev/null; then
    echo "test: npm ci in tests/clients/node"
    (cd "$ROOT/tests/clients/node" && npm ci --no-audit --no-fund --loglevel=error) ||
        echo "test: npm ci failed; the node client test will fail"
fi

total_p=0
total_f=0
rows=()
t_all=$(date +%s)
for s in $suites; do
    cmd=$(suite_cmd "$s")
    if [ -z "$cmd" ]; then
        if [ "$s" = layering ]; then
            rows+=("$(printf '%-9s %7s %7s %6s  %s' "$s" - - - "scripts/check-layering.sh absent: skipped")")
            continue
        fi
        echo "test: unknown suite $s" >&2
        exit 2
    fi
    echo
    echo "==================== $s: $cmd"
    t0=$(date +%s)
    # The suite runs in the background so a signal to this script reaches it
    # (its own trap then stops its server); tail shows its output as it comes.
    # The file exists before tail starts (the background job creates it only once it runs).
    : >"$logdir/$s.out"
    # shellcheck disable=SC2086 # the command is a plain word list
    $cmd >"$logdir/$s.out" 2>&1 </dev/null &
    child=$!
    tail -n +1 -f --pid="$child" "$logdir/$s.out" &
    tailer=$!
    wait "$child"
    rc=$?
    child=
    wait "$tailer" 2>/dev/null
    read -r p f < <(suite_counts "$s" "$logdir/$s.out"; echo)
    note=
    if [ -z "${p:-}" ]; then
        p=0
        f=1
        note="no summary line (exit status $rc): counted as one failure"
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        note="exit status $rc with no failed test: counted as one failure"
    fi
    secs=$(( $(date +%s) - t0 ))
    total_p=$((total_p + p))
    total_f=$((total_f + f))
    rows+=("$(printf '%-9s %7d %7d %5ds  %s' "$s" "$p" "$f" "$secs" "$note")")
done

echo
echo "==================== summary ($(( $(date +%s) - t_all )) s, build $build)"
printf '%-9s %7s %7s %6s\n' suite passed failed time
printf '%s\n' "${rows[@]}"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
