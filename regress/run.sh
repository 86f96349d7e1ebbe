#!/usr/bin/env bash
# regress/run.sh — pg_regress-style SQL tests: run each regress/sql/NAME.sql
# through the real psql, diff with regress/expected/NAME.out.
#
#   regress/run.sh [--target rivulet|postgres] [--build DIR] [--host H --port P]
#                  [--results DIR] [--accept] [NAME...]
#
#   --target rivulet   (default) start BUILDDIR/server/rivulet on a free port
#                      with a temporary data dir and run every scheduled test
#   --target postgres  start PostgreSQL 15 (scripts/pg-oracle.sh) and run the
#                      tests that must match PostgreSQL (not the rivulet: ones)
#   --host/--port      use a server already running instead of starting one
#   --results DIR      where NAME.out results go (default: a temporary dir,
#                      kept when a test fails)
#   --accept           copy results over expected files (only with
#                      --target postgres: expected output comes from PostgreSQL)
#   NAME...            run only these tests
#
# Schedule (regress/schedule), one directive per line, names separated by spaces:
#   test: NAME...      must match PostgreSQL; run against both targets
#   rivulet: NAME...   Rivulet-specific output (version(), our own errors):
#                      run against rivulet only; expected file written by hand
#   pending: NAME...   proven against PostgreSQL but needs a feature Rivulet
#                      does not have yet: run against rivulet, reported, but
#                      counted as skipped (and flagged when it starts passing)
#
# psql runs as pg_regress runs it: psql -X -a -q -d regression, input on
# stdin, stderr merged into stdout, a fixed environment (scripts/test-lib.sh).
# The last line is "N passed, N failed" (", N skipped" when any); exit status
# is non-zero when a test failed or the server died.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
source "$ROOT/scripts/test-lib.sh"

target=rivulet
build=$ROOT/build
host=
port=
results=
accept=0
only=()
while [ $# -gt 0 ]; do
    case $1 in
    --target) target=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --accept) accept=1; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    -*) echo "regress: unknown option $1" >&2; exit 2 ;;
    *) only+=("$1"); shift ;;
    esac
done
case $target in rivulet|postgres) ;; *) echo "regress: --target rivulet|postgres" >&2; exit 2 ;; esac
if [ $accept = 1 ] && [ $target != postgres ]; then
    echo "regress: --accept only with --target postgres (expected output comes from PostgreSQL)" >&2
    exit 2
fi

# ---- the schedule ------------------------------------------------------------
tests=()
declare -A kind
while read -r directive rest; do
    case $directive in
    ''|'#'*) continue ;;
    test:|rivulet:|pending:) ;;
    *) echo "regress: bad schedule line: $directive $rest" >&2; exit 2 ;;
    esac
    for name in $rest; do
        k=${directive%:}
        [ "$k" = rivulet ] && [ "$target" = postgres ] && continue
        if [ ${#only[@]} -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then
            continue
        fi
        tests+=("$name")
        kind[$name]=$k
    done
done <"$HERE/schedule"
if [ ${#tests[@]} -eq 0 ]; then
    echo "regress: no test selected" >&2
    exit 2
fi

# ---- the server --------------------------------------------------------------
work=$(mktemp -d /tmp/rivulet-regress.XXXXXX)
keep_work=0
cleanup() {
    tl_server_stop
    if [ $keep_work = 0 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$port" ]; then
    TL_HOST=${host:-127.0.0.1}
    TL_PORT=$port
else
    if ! tl_server_start "$target" "$build" "$work/server"; then
        echo "0 passed, ${#tests[@]} failed"
        exit 1
    fi
fi
[ -z "$results" ] && results=$work/results
mkdir -p "$results"

tl_client_env

# ---- the tests ---------------------------------------------------------------
echo "regress: ${#tests[@]} tests against $target at $TL_HOST:$TL_PORT ($(command -v "$PSQL"), $("$PSQL" --version))"
passed=0
failed=0
skipped=0
failed_names=()
newly_passing=()
for name in "${tests[@]}"; do
    sql=$HERE/sql/$name.sql
    exp=$HERE/expected/$name.out
    out=$results/$name.out
    start=$(date +%s%N)
    if [ ! -f "$sql" ]; then
        echo "regress: missing $sql" >"$out"
    else
        PGAPPNAME=pg_regress timeout 120 "$PSQL" -X -a -q -h "$TL_HOST" -p "$TL_PORT" \
            -d regression -v ON_ERROR_STOP=0 <"$sql" >"$out" 2>&1
        rc=$?
        [ $rc = 124 ] && echo "regress: psql timed out after 120 s" >>"$out"
    fi
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ $accept = 1 ]; then
        cp "$out" "$exp"
    fi
    if [ -f "$exp" ] && diff -q "$exp" "$out" >/dev/null; then
        if [ "${kind[$name]}" = pending ] && [ $target = rivulet ]; then
            printf 'test %-24s ... ok (pending test passes: promote it to test:) %5d ms\n' "$name" "$ms"
            newly_passing+=("$name")
        else
            printf 'test %-24s ... ok %20d ms\n' "$name" "$ms"
        fi
        passed=$((passed + 1))
    elif [ "${kind[$name]}" = pending ] && [ $target = rivulet ]; then
        printf 'test %-24s ... pending (fails; not counted) %5d ms\n' "$name" "$ms"
        skipped=$((skipped + 1))
    else
        printf 'test %-24s ... FAILED %16d ms\n' "$name" "$ms"
        failed=$((failed + 1))
        failed_names+=("$name")
        if [ -f "$exp" ]; then
            diff -U3 "$exp" "$out" | sed 's/^/    /'
        else
            echo "    (no expected file $exp)"
        fi
    fi
    if [ -z "$port" ] && ! tl_server_alive; then
        echo "regress: the server died during test $name; log tail:"
        tl_server_log_tail 40 | sed 's/^/    /'
        failed=$((failed + 1))
        failed_names+=("(server died)")
        break
    fi
done

echo
if [ $failed -gt 0 ]; then
    keep_work=1
    echo "regress: failed: ${failed_names[*]}"
    echo "regress: results kept in $results"
    if [ -z "$port" ]; then
        echo "regress: server log tail ($TL_LOG):"
        tl_server_log_tail 30 | sed 's/^/    /'
    fi
fi
# A clean shutdown is part of the run: exit status 0, no sanitizer report.
if [ -z "$port" ] && ! tl_server_stop; then
    keep_work=1
    failed=$((failed + 1))
fi
[ ${#newly_passing[@]} -gt 0 ] && echo "regress: pending tests that pass now: ${newly_passing[*]}"
if [ $skipped -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
