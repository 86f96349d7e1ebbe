#!/usr/bin/env bash
# bench/expr/run.sh — filter-and-project over generated rows, Rivulet vs
# PostgreSQL 15, in rows/s (medians of RUNS runs).
#
#   bench/expr/run.sh [BUILDDIR] [NROWS] [RUNS]      (build, 10000000, 3)
#   make bench-expr
#
# Three figures, all single-threaded:
#   1. rivulet evaluator: BUILDDIR/bench/expr/bench_expr evaluates the bound
#      expressions with expr_eval_batch() over batches of generated rows (no
#      wire, no row source: the evaluator alone; see its header);
#   2. rivulet server and 3. PostgreSQL 15 (private instance from
#      scripts/pg-oracle.sh, jit off, no parallel workers) run the same SQL
#        SELECT max(a * 2 + 1), count(*) FILTER (WHERE a % 7 = 3), max(b * 3 - 1)
#        FROM (SELECT g::int8 AS a, (g % 1000)::int4 AS b
#              FROM generate_series(1, NROWS) g) s
#        WHERE a % 3 <> 0 AND b < 900
#      timed by psql's \timing (one result row, so the wire costs nothing).
#      The aggregates keep PostgreSQL from dropping the projection; the
#      evaluator folds the same three results, and every side prints them so
#      they can be checked against each other.
#      A second query, the mix, does the same over int8, float8, numeric
#      and text:
#        SELECT max(a * 2 + 1), max(b * 1.5::float8),
#               max((a::numeric / 3)::numeric(10,2)), max(upper(t)), count(*)
#        FROM (SELECT g::int8 AS a, (g % 1000)::float8 / 1000 AS b,
#                     'x' || (g % 100)::text AS t
#              FROM generate_series(1, NROWS) g) s
#        WHERE a % 7 = 3 AND b > 0.5
# The generate_series scan alone is timed on PostgreSQL too, to show how
# much of its figure is row generation. Not part of make test. The machine
# is shared: PostgreSQL's own figure moves by up to 2x between runs, so
# compare ratios from the same run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/scripts/test-lib.sh"
build=$(cd "${1:-$ROOT/build}" && pwd)
nrows=${2:-10000000}
runs=${3:-3}

q="SELECT max(a * 2 + 1), count(*) FILTER (WHERE a % 7 = 3), max(b * 3 - 1) FROM (SELECT g::int8 AS a, (g % 1000)::int4 AS b FROM generate_series(1, $nrows) g) s WHERE a % 3 <> 0 AND b < 900"
# The mix: an integer filter and a float8 one, projections over int8, float8,
# numeric (with a typmod cast) and text.
q2="SELECT max(a * 2 + 1), max(b * 1.5::float8), max((a::numeric / 3)::numeric(10,2)), max(upper(t)), count(*) FROM (SELECT g::int8 AS a, (g % 1000)::float8 / 1000 AS b, 'x' || (g % 100)::text AS t FROM generate_series(1, $nrows) g) s WHERE a % 7 = 3 AND b > 0.5"
base="SELECT count(*) FROM generate_series(1, $nrows) g"
rate() { awk -v n="$nrows" -v t="$1" 'BEGIN {printf "%.0f", n / (t / 1000)}'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# timed PORT SQL LABEL: runs SQL RUNS times, prints each run, leaves the median ms in $med
timed() {
    local port=$1 sql=$2 label=$3 out t i ts=()
    echo "result: $("$TL_PSQL" -X -At -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "$sql")"
    for i in $(seq 1 "$runs"); do
        out=$("$TL_PSQL" -X -At -h 127.0.0.1 -p "$port" -U postgres -d postgres -c '\timing on' -c "$sql")
        t=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out")
        ts+=("$t")
        echo "$label run $i: $t ms, $(rate "$t") rows/s"
    done
    med=$(printf '%s\n' "${ts[@]}" | median)
}

ninja -C "$build" bench/expr/bench_expr >/dev/null
echo "== rivulet evaluator (expr_eval_batch)"
ev_out=$("$build/bench/expr/bench_expr" "$nrows" "$runs")
echo "$ev_out"
ev_rate=$(sed -n 's/^rivulet: \([0-9]*\) rows\/s.*/\1/p' <<<"$ev_out")

work=$(mktemp -d /tmp/rivulet-bench-expr.XXXXXX)
pgdir=$work/pg
cleanup() {
    tl_server_stop >/dev/null 2>&1 || true
    "$ROOT/scripts/pg-oracle.sh" stop "$pgdir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
tl_client_env

rv_rate=n/a
rv2_rate=n/a
if tl_server_start rivulet "$build" "$work/rv"; then
    echo "== rivulet server (same SQL over generate_series)"
    if timed "$TL_PORT" "$q" rivulet; then rv_rate=$(rate "$med"); fi
    echo "== rivulet server, mix (int8, float8, numeric, text)"
    if timed "$TL_PORT" "$q2" "rivulet mix"; then rv2_rate=$(rate "$med"); fi
else
    echo "bench: rivulet did not start; skipping the server figure"
fi

port=$("$ROOT/scripts/pg-oracle.sh" start "$pgdir" 0 -c max_parallel_workers_per_gather=0 -c jit=off | tail -n 1)
echo "== postgresql 15 (same SQL over generate_series)"
timed "$port" "$q" postgres
pg_rate=$(rate "$med")
echo "== postgresql 15, mix"
timed "$port" "$q2" "postgres mix"
pg2_rate=$(rate "$med")
timed "$port" "$base" "postgres generate_series only" >/dev/null
b_rate=$(rate "$med")

echo
printf '%-46s %14s\n' "" "rows/s"
printf '%-46s %14s\n' "rivulet evaluator (expr_eval_batch)" "$ev_rate"
printf '%-46s %14s\n' "rivulet server, SQL over generate_series" "$rv_rate"
printf '%-46s %14s\n' "postgres 15, SQL over generate_series" "$pg_rate"
printf '%-46s %14s\n' "postgres 15, generate_series + count only" "$b_rate"
printf '%-46s %14s\n' "rivulet server, mix" "$rv2_rate"
printf '%-46s %14s\n' "postgres 15, mix" "$pg2_rate"
echo "ratio evaluator/postgres: $(awk -v a="$ev_rate" -v b="$pg_rate" 'BEGIN {printf "%.2f", a / b}')," \
     "server/postgres: $(awk -v a="$rv_rate" -v b="$pg_rate" 'BEGIN {if (a + 0 > 0) printf "%.2f", a / b; else print "n/a"}')" \
     "mix server/postgres: $(awk -v a="$rv2_rate" -v b="$pg2_rate" 'BEGIN {if (a + 0 > 0) printf "%.2f", a / b; else print "n/a"}')" \
     "(medians of $runs runs, $nrows rows)"
