#!/usr/bin/env bash
# scripts/check-layering.sh — house rules a script can check (curl's lesson):
#   1. each third-party header is included only by the module that owns it
#      (lmdb/zstd/sqlite3 → storage/, pg_query → sql/, event2 → server/);
#   2. module includes point down only: server → stream → planner → sql → common,
#      storage → common, wire → common;
#   3. no banned functions (sprintf strcpy strcat atoi strtok alloca setjmp rand)
#      and no direct clock/random calls outside common/clock.c.
# Prints every violation and a final `N passed, N failed` line.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=0
checks=0
fail() { echo "layering: $*"; failed=$((failed + 1)); }

src_files() { git ls-files -co --exclude-standard -- "$@" 2>/dev/null | grep -E '\.(c|h)$'; }

# 1. Third-party headers.
for pair in "lmdb.h:storage" "zstd.h:storage" "sqlite3.h:storage" "pg_query:sql" "event2/:server"; do
    hdr=${pair%%:*}; home=${pair##*:}
    checks=$((checks + 1))
    while IFS= read -r f; do
        case $f in "$home"/* | tests/* | bench/*) continue ;; esac
        grep -q "#include [<\"]$hdr" "$f" && fail "$f includes $hdr (only $home/ may)"
    done < <(src_files common wire sql planner stream storage server)
done

# 2. Module include direction: what each module may include besides itself and common/.
declare -A allowed=(
    [common]="common"
    [wire]="common wire"
    [storage]="common storage"
    [sql]="common sql"
    [planner]="common sql planner storage"
    [stream]="common sql planner stream storage"
    [server]="common wire sql planner stream storage server"
)
for mod in "${!allowed[@]}"; do
    checks=$((checks + 1))
    while IFS= read -r f; do
        while IFS= read -r inc; do
            dep=${inc%%/*}
            case " ${allowed[$mod]} " in *" $dep "*) ;; *) fail "$f includes \"$inc\" ($mod/ may not depend on $dep/)" ;; esac
        done < <(grep -oE '#include "[a-z_]+/[^"]+"' "$f" | sed -E 's/#include "([^"]+)"/\1/')
    done < <(src_files "$mod")
done

# 3. Banned functions.
checks=$((checks + 1))
banned='\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|strtok|alloca|setjmp|longjmp|rand|srand)[[:space:]]*\('
while IFS= read -r f; do
    grep -nE "$banned" "$f" | grep -vE '^\s*[0-9]+:\s*(\*|//)' | while IFS= read -r line; do
        echo "layering: $f:$line uses a banned function"
    done
done < <(src_files common wire sql planner stream storage server) > /tmp/rivulet-banned.$$
if [ -s /tmp/rivulet-banned.$$ ]; then cat /tmp/rivulet-banned.$$; failed=$((failed + 1)); fi
rm -f /tmp/rivulet-banned.$$

checks=$((checks + 1))
clockuse='\b(gettimeofday|clock_gettime|time)[[:space:]]*\(NULL|\b(gettimeofday|clock_gettime)[[:space:]]*\('
bad=$(src_files wire sql planner stream storage | xargs -r grep -lE "$clockuse" 2>/dev/null)
[ -n "$bad" ] && fail "direct clock calls outside common/ (use common/clock.h): $bad"

echo "$((checks - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
