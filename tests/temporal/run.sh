#!/usr/bin/env bash
# tests/temporal/run.sh — temporal filters in materialized views against the wall clock
# (tests/temporal/temporal.py: rows leave and enter views as time passes, across a SIGKILL).
#
#   tests/temporal/run.sh [--build DIR] [--verbose]
#
# Starts a fresh Rivulet from DIR/server/rivulet (no PostgreSQL needed: the model is the
# rows' own timestamps, and the same queries run ad hoc). The last line is
# "N passed, N failed" (scripts/test.sh reads it).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
build=$ROOT/build
opts=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --verbose) opts+=("$1"); shift ;;
    --target) [ "$2" = rivulet ] || { echo "0 passed, 0 failed"; exit 0; }; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "temporal: unknown option $1" >&2; exit 2 ;;
    esac
done
build=$(cd "$build" 2>/dev/null && pwd) || { echo "temporal: no build directory"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$build/server/rivulet" ] || { echo "temporal: no $build/server/rivulet"; echo "0 passed, 1 failed"; exit 1; }

exec /usr/bin/python3 "$HERE/temporal.py" --build "$build" "${opts[@]}"
