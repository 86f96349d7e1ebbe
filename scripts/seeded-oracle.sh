#!/usr/bin/env bash
# scripts/seeded-oracle.sh — the body shared by the differential suites that run one Python
# script per seed against a private PostgreSQL 15 (tests/windows, tests/watermark):
#
#   scripts/seeded-oracle.sh NAME SCRIPT.py "SEEDS" HELP_FILE [--build DIR] [--seed N] [--verbose]
#
# Starts PostgreSQL (scripts/pg-oracle.sh), runs SCRIPT.py --pg HOST:PORT --build DIR --seed S
# once per seed (each starts its own Rivulet from DIR/server/rivulet), and prints the scripts'
# output with "N passed, N failed" summed over the seeds as the last line (scripts/test.sh
# reads it). --help prints lines 2-10 of HELP_FILE (the calling run.sh's header).
set -uo pipefail

name=$1 script=$2 seeds=$3 help=$4
shift 4
ROOT=$(cd "$(dirname "$0")/.." && pwd)
build=$ROOT/build
opts=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --seed) seeds=$2; shift 2 ;;
    --verbose) opts+=("$1"); shift ;;
    --target) [ "$2" = rivulet ] || { echo "0 passed, 0 failed"; exit 0; }; shift 2 ;;
    -h|--help) sed -n '2,10p' "$help" | sed '/^set /,$d'; exit 0 ;;
    *) echo "$name: unknown option $1" >&2; exit 2 ;;
    esac
done
build=$(cd "$build" 2>/dev/null && pwd) || { echo "$name: no build directory"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$build/server/rivulet" ] || { echo "$name: no $build/server/rivulet"; echo "0 passed, 1 failed"; exit 1; }

pgdir=$(mktemp -u "/tmp/rivulet-$name-pg.XXXXXX")
trap '"$ROOT/scripts/pg-oracle.sh" stop "$pgdir" >/dev/null 2>&1' EXIT
pgport=$("$ROOT/scripts/pg-oracle.sh" start "$pgdir" 0) || { echo "$name: cannot start PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }

total_p=0 total_f=0 rc=0
for s in $seeds; do
    out=$(/usr/bin/python3 "$script" --pg "127.0.0.1:$pgport" --build "$build" --seed "$s" "${opts[@]}" 2>&1)
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
