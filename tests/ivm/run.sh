#!/usr/bin/env bash
# tests/ivm/run.sh — the randomized differential suite for materialized views (README.md).
#
#   tests/ivm/run.sh [--build DIR] [--seed N] [--kill] [--batches N] [--rows-per-batch N] [--random-views N]
#                    [--only VIEW[,VIEW...]] [--verbose] [--target-pg] [--self-test]
#                    [--update-unsupported]
#
# Starts a private PostgreSQL 15 (scripts/pg-oracle.sh, the oracle) and runs tests/ivm/ivm.py
# once per line of tests/ivm/seeds.txt (seed plus options; some with --kill), each run with
# a fresh Rivulet from DIR/server/rivulet (default: build) that ivm.py starts, SIGKILLs and
# restarts itself. With --seed N it runs that one seed instead (the replay command a failure
# prints). IVM_SEEDS="5 6 --kill" also replaces the list: one run per seed, the options
# after the seeds applying to all of them.
#
#   --target-pg   the target is a second PostgreSQL (materialized views + REFRESH): checks the
#                 harness itself; every view must pass
#   --self-test   --target-pg with a few views never refreshed: those must fail (exits 0 when
#                 they do)
#   --update-unsupported  rewrite tests/ivm/unsupported.txt from these runs: every view whose
#                 CREATE failed with 0A000, with the reason written there before or the
#                 server's message
#
# The last line is "N passed, N failed" summed over the runs (scripts/test.sh reads it); the
# exit status is non-zero when anything failed.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/scripts/test-lib.sh"

build=$ROOT/build
seed=
target_pg=
self_test=
update=
opts=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --batches|--rows-per-batch|--only|--exclude|--random-views|--writers) opts+=("$1" "$2"); shift 2 ;;
    --kill|--verbose|--rollback) opts+=("$1"); shift ;;
    --target-pg) target_pg=1; shift ;;
    --self-test) target_pg=1; self_test=1; shift ;;
    --update-unsupported) update=1; shift ;;
    --target) [ "$2" = rivulet ] || { echo "ivm: only --target rivulet makes sense"; echo "0 passed, 0 failed"; exit 0; }; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "ivm: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$target_pg" ]; then
    build=$(cd "$build" 2>/dev/null && pwd) || { echo "ivm: no build directory"; echo "0 passed, 1 failed"; exit 1; }
    [ -x "$build/server/rivulet" ] || { echo "ivm: no $build/server/rivulet"; echo "0 passed, 1 failed"; exit 1; }
fi

work=$(mktemp -d /tmp/rivulet-ivm.XXXXXX)
pgdirs=()
cleanup() {
    local d
    for d in "${pgdirs[@]}"; do
        "$ROOT/scripts/pg-oracle.sh" stop "$d" >/dev/null 2>&1
    done
    rm -rf "$work"
}
trap cleanup EXIT
child=
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child"; exit 130' INT TERM

tl_client_env

start_pg() {   # start_pg NAME: prints the port
    local dir=$work/$1 want out
    want=$(tl_free_port 58000 58999) || return 1
    pgdirs+=("$dir")
    out=$("$ROOT/scripts/pg-oracle.sh" start "$dir" "$want") || return 1
    tail -n 1 <<<"$out"
}

pgdirs+=("$work/pg")
if ! pg_port=$(start_pg pg); then
    echo "ivm: PostgreSQL oracle did not start"
    echo "0 passed, 1 failed"
    exit 1
fi
target=(--build "$build")
if [ -n "$target_pg" ]; then
    pgdirs+=("$work/pg2")
    if ! pg2_port=$(start_pg pg2); then
        echo "ivm: second PostgreSQL did not start"
        echo "0 passed, 1 failed"
        exit 1
    fi
    target=(--target-pg "127.0.0.1:$pg2_port")
fi

# The runs: "SEED [options]" lines.
runs=()
if [ -n "$seed" ]; then
    runs=("$seed")
elif [ -n "${IVM_SEEDS:-}" ]; then
    read -r -a words <<<"$IVM_SEEDS"
    common=()
    seeds=()
    for w in "${words[@]}"; do
        if [[ $w =~ ^[0-9]+$ ]] && [ ${#common[@]} -eq 0 ]; then seeds+=("$w"); else common+=("$w"); fi
    done
    for s in "${seeds[@]}"; do runs+=("$s ${common[*]}"); done
else
    while IFS= read -r line; do
        line=${line%%#*}
        [ -n "${line// /}" ] && runs+=("$line")
    done <"$HERE/seeds.txt"
fi
if [ -n "$target_pg" ]; then
    # --kill needs a Rivulet to kill: drop it when the target is PostgreSQL.
    for i in "${!runs[@]}"; do runs[i]=${runs[$i]//--kill/}; done
    for i in "${!opts[@]}"; do [ "${opts[$i]}" = --kill ] && unset "opts[$i]"; done
fi

total_p=0
total_f=0
t0=$(date +%s)
broken=glob_all,mv2_grp,set_except_all,j_left
for r in "${runs[@]}"; do
    read -r -a words <<<"$r"
    s=${words[0]}
    extra=("${words[@]:1}")
    echo "== ivm seed $s ${extra[*]} ${opts[*]}"
    out=$work/run.out
    [ -n "$update" ] && extra+=(--unsupported /dev/null)
    if [ -n "$self_test" ]; then
        extra+=(--break "$broken")
    fi
    # In the background so that a signal reaches the trap at once (which stops the run).
    "$TL_PYTHON" "$HERE/ivm.py" --pg "127.0.0.1:$pg_port" "${target[@]}" --seed "$s" \
        "${extra[@]}" "${opts[@]}" >"$out" 2>&1 &
    child=$!
    wait "$child"
    rc=$?
    child=
    cat "$out"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL ivm seed $s ended (status $rc) without its summary line"
        total_f=$((total_f + 1))
        continue
    fi
    p=${line%% passed*} f=${line#*passed, } f=${f%% failed*}
    grep '^UNSUPPORTED ' "$out" >>"$work/unsupported.new"
    # (With --self-test, ivm.py --break judges: the stale views, and only views over them, fail.)
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL ivm seed $s exited $rc with no failure counted"
        f=1
    fi
    total_p=$((total_p + p)) total_f=$((total_f + f))
done
if [ -n "$update" ]; then
    "$TL_PYTHON" - "$HERE" "$work/unsupported.new" <<'PY'
import os, sys
here, new = sys.argv[1], sys.argv[2]
sys.path.insert(0, here)
from views import VIEWS
path = os.path.join(here, "unsupported.txt")
old, head = {}, []
if os.path.exists(path):
    for line in open(path):
        if line.startswith("#") or not line.strip():
            if not old:
                head.append(line)
            continue
        name, _, reason = line.strip().partition(" ")
        old[name] = reason.strip()
now = {}
if os.path.exists(new):
    for line in open(new):
        _, name, reason = line.rstrip("\n").split(" ", 2)
        now.setdefault(name, old.get(name) or reason)
with open(path, "w") as f:
    f.writelines(head)
    for name, _ in VIEWS:
        if name in now:
            f.write(f"{name} {now[name]}\n")
print(f"ivm: wrote {path}: {len(now)} unsupported views ({len(set(now) - set(old))} new, "
      f"{len(set(old) - set(now))} no longer)")
PY
fi
echo "ivm: ${#runs[@]} runs in $(( $(date +%s) - t0 )) s"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
