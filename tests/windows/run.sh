#!/usr/bin/env bash
# tests/windows/run.sh — the differential test of TUMBLE / HOP against PostgreSQL 15
# (tests/windows/windows.py: date_bin and generate_series stand in for the window functions).
#
#   tests/windows/run.sh [--build DIR] [--seed N] [--verbose]
#
# Starts a private PostgreSQL 15 (scripts/pg-oracle.sh) and runs windows.py once per seed in
# WINDOWS_SEEDS (default "1 2 3"), each with a fresh Rivulet from DIR/server/rivulet. The last
# line is "N passed, N failed" summed over the seeds (scripts/test.sh reads it).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
build=$ROOT/build
seeds=${WINDOWS_SEEDS:-"1 2 3"}
opts=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --seed) seeds=$2; shift 2 ;;
    --verbose) opts+=("$1"); shift ;;
    --target) [ "$2" = rivulet ] || { echo "0 passed, 0 failed"; exit 0; }; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "windows: unknown option $1" >&2; exit 2 ;;
    esac
done
build=$(cd "$build" 2>/dev/null && pwd) || { echo "windows: no build directory"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$build/server/rivulet" ] || { echo "windows: no $build/server/rivulet"; echo "0 passed, 1 failed"; exit 1; }

pgdir=$(mktemp -u /tmp/rivulet-windows-pg.XXXXXX)
trap '"$ROOT/scripts/pg-oracle.sh" stop "$pgdir" >/dev/null 2>&1' EXIT
pgport=$("$ROOT/scripts/pg-oracle.sh" start "$pgdir" 0) || { echo "windows: cannot start PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }

total_p=0 total_f=0 rc=0
for s in $seeds; do
    out=$(/usr/bin/python3 "$HERE/windows.py" --pg "127.0.0.1:$pgport" --build "$build" --seed "$s" "${opts[@]}" 2>&1)
    status=$?
    echo "$out" | sed '$d'
    last=$(echo "$out" | tail -1)
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        total_p=$((total_p + BASH_REMATCH[1])) total_f=$((total_f + BASH_REMATCH[2]))
    else
        echo "$last"
        total_f=$((total_f + 1))
    fi
    [ $status -ne 0 ] && rc=1
done
echo "$total_p passed, $total_f failed"
exit $rc
