#!/usr/bin/env bash
# tests/crash/run.sh [--build BUILDDIR] [--seed N] [--kills N] — the crash suite (README.md):
# runs crash_restart.py, then every other crash_*.py scenario present (crash_pk.py, ...),
# each with the same build, seed and kill count, and ends with one "N passed, N failed" line
# summed over them. RIVULET_CRASH_KILLS (or CRASH_KILLS) sets the kills per run (default 20);
# RIVULET_CRASH_SEED (or --seed) replays a run; without one each scenario picks and prints
# its own seed.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
build=$HERE/../../build
extra=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --seed | --kills) extra+=("$1" "$2"); shift 2 ;;
    *) echo "crash: unknown option $1" >&2; exit 2 ;;
    esac
done
build=$(cd "$build" 2>/dev/null && pwd) || { echo "crash: no build directory" >&2; exit 2; }
[ -x "$build/server/rivulet" ] || { echo "crash: no $build/server/rivulet" >&2; exit 2; }

total_p=0 total_f=0
for t in "$HERE/crash_restart.py" $(ls "$HERE"/crash_*.py | grep -v '/crash_restart\.py$'); do
    name=$(basename "$t" .py)
    echo "== $name"
    out=$(mktemp)
    /usr/bin/python3 "$t" "${extra[@]}" "$build" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    rm -f "$out"
    if [ -z "$line" ]; then
        echo "FAIL $name ended (status $rc) without its summary line"
        total_f=$((total_f + 1))
        continue
    fi
    p=${line%% passed*} f=${line#*passed, } f=${f%% failed*}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name exited $rc with no failure counted"
        f=1
    fi
    total_p=$((total_p + p)) total_f=$((total_f + f))
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
