#!/usr/bin/env bash
# tests/nexmark/join_cleanup.sh — join state cleanup by watermark, end to end (issue 6).
#
#   tests/nexmark/join_cleanup.sh [--build DIR] [--events N] [--rate R]
#
# Starts a fresh DIR/server/rivulet (default: build) and a private PostgreSQL 15
# (scripts/pg-oracle.sh), then runs tests/nexmark/join_cleanup.py: an interval join and a
# window join over Nexmark generator sources with and without WATERMARK FOR date_time must
# equal PostgreSQL, and keep far less join state with the watermark. About 30 s.
# The last line is "N passed, N failed"; the exit status is non-zero when anything failed.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/scripts/test-lib.sh"

build=$ROOT/build
opts=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --events|--rate) opts+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "join_cleanup: unknown option $1" >&2; exit 2 ;;
    esac
done
build=$(cd "$build" 2>/dev/null && pwd) || { echo "join_cleanup: no build directory"; echo "0 passed, 1 failed"; exit 1; }

tl_run_with_oracle join_cleanup "$build" "$HERE/join_cleanup.py" "${opts[@]}"
exit $?
