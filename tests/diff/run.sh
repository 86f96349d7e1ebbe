#!/usr/bin/env bash
# tests/diff/run.sh — the differential suite: every query of tests/diff/corpus/
# on PostgreSQL 15 and on Rivulet, compared on the wire (tests/diff/diff.py).
#
#   tests/diff/run.sh [--build DIR] [--update-known] [--verbose] [--binary] [--only SUBSTR]
#                     [--rv HOST:PORT] [--pg HOST:PORT]
#
#   --build DIR       the Rivulet build to start (default: build)
#   --update-known    rewrite tests/diff/known_divergences.txt from this run
#                     (keeps the reasons; drops ids that agree now; files new
#                     divergences under a guessed category) — the lead's one
#                     command at integration time
#   --rv / --pg       use servers already running instead of starting them
#   --only SUBSTR     only corpus files / queries containing SUBSTR
#   --verbose         also list known divergences and message/name notes
#   --binary          also compare results in binary format (extended
#                     protocol); differences are reported, not counted
#
# Both servers run with the same client environment (scripts/test-lib.sh:
# PGTZ=UTC, PGDATESTYLE='ISO, MDY', UTF8); diff.py checks the settings agree
# before comparing. The last line is "N passed, N failed" (scripts/test.sh
# reads it); exit status is non-zero on an unlisted divergence.
#
# Regenerating the generated part of the corpus (checked in):
#   /usr/bin/python3 tests/diff/gen_corpus.py
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/scripts/test-lib.sh"

build=$ROOT/build
rv=
pg=
pass=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --rv) rv=$2; shift 2 ;;
    --pg) pg=$2; shift 2 ;;
    --update-known|--verbose|--binary) pass+=("$1"); shift ;;
    --only) pass+=("$1" "$2"); shift 2 ;;
    --target) [ "$2" = rivulet ] || { echo "diff: only --target rivulet makes sense"; echo "0 passed, 0 failed"; exit 0; }; shift 2 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "diff: unknown option $1" >&2; exit 2 ;;
    esac
done
build=$(cd "$build" 2>/dev/null && pwd) || { echo "diff: no build directory"; echo "0 passed, 1 failed"; exit 1; }

work=$(mktemp -d /tmp/rivulet-diff.XXXXXX)
pgdir=
own_rv=
cleanup() {
    local rc=0
    [ -n "$own_rv" ] && { tl_server_stop || rc=1; }
    [ -n "$pgdir" ] && "$ROOT/scripts/pg-oracle.sh" stop "$pgdir" >/dev/null 2>&1
    rm -rf "$work"
    return $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tl_client_env

if [ -z "$pg" ]; then
    pgdir=$work/pg
    want=$(tl_free_port 58000 58999) || exit 1
    if ! out=$("$ROOT/scripts/pg-oracle.sh" start "$pgdir" "$want"); then
        echo "diff: PostgreSQL oracle did not start"
        echo "0 passed, 1 failed"
        exit 1
    fi
    pg=127.0.0.1:$(tail -n 1 <<<"$out")
fi
if [ -z "$rv" ]; then
    if ! tl_server_start rivulet "$build" "$work/rivulet"; then
        echo "0 passed, 1 failed"
        exit 1
    fi
    rv=$TL_HOST:$TL_PORT
    own_rv=1
fi

echo "diff: postgres at $pg, rivulet at $rv, corpus $HERE/corpus"
"$TL_PYTHON" "$HERE/diff.py" --pg "$pg" --rv "$rv" "${pass[@]}"
rc=$?
if [ -n "$TL_PID" ] && ! tl_server_alive; then
    echo "diff: rivulet died during the run; its log:"
    tl_server_log_tail 30
    rc=1
fi
# Stop our server here (not only in the EXIT trap) so that an unclean shutdown or a sanitizer
# report fails the suite.
if [ -n "$own_rv" ]; then
    tl_server_stop || { echo "diff: rivulet did not shut down cleanly"; echo "0 passed, 1 failed"; rc=1; }
    own_rv=
fi
exit $rc
