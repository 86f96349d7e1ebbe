/*
 * tests/unit/stream/window_test_util.h — what the Window tests share:
 * test_op_window.c (stream/op_window.c in memory) and test_op_state_misc.c
 * (the same operator with persistent state) build window calls the same
 * way and print consolidated outputs the same way, so both compare against
 * one notion of "the expected rows".
 *
 * Invariants:
 *   1. The calls read the input rows (p, o, v) of int4: value argument v
 *      (column 2), RANGE offsets over o (columns 0 and 1 of the bound
 *      expression's (v_j, v_i) row).
 *   2. ms_text() output is sorted and independent of arrival order, and
 *      fails on a negative count (a consolidated output never goes below 0).
 */
#ifndef RIVULET_TESTS_WINDOW_TEST_UTIL_H
#define RIVULET_TESTS_WINDOW_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "stream_test_util.h"

/* A window call without arguments returning rettype. */
WindowCall win_call(WinKind kind, Oid rettype);
/* A call over v (column 2) with nargs - 1 int4 constants arg1, arg2 after it. */
WindowCall win_call_args(Arena *a, WinKind kind, int nargs, int32_t arg1, int32_t arg2);
/* The aggregate `name` as a window function: over v, or count(*)-like when star. */
WindowCall win_agg(Arena *a, const char *name, bool star);
/* `l op r` over int4 operands, through the catalog's operator. */
Expr *int4_op(Arena *a, const char *name, Expr *l, Expr *r);
/* RANGE offsets (1 / 1) over (v_j, v_i) of int4 ORDER BY values: v_j >= v_i - 1, v_j <= v_i + 1. */
Expr *win_range_ok(Arena *a, bool start);
/*
 * Appends to calls[n...] the ranking and navigation calls (row_number, rank, dense_rank,
 * percent_rank, cume_dist, ntile(3), lag(v), lead(v, 2, -1)); the new n.
 */
int win_ranking_calls(Arena *a, WindowCall *calls, int n);
/*
 * Appends the frame calls (first_value(v), last_value(v), nth_value(v, 2), sum(v), min(v),
 * count(*)); the new n.
 */
int win_frame_calls(Arena *a, WindowCall *calls, int n);
/* w's frame: the flags, offsets 1 / 1 where the frame has offsets, RANGE bounds by win_range_ok. */
void win_set_frame(Arena *a, WindowPlan *w, int frame);

/* A consolidated multiset of output rows (text → weight), malloc'd; {0} is empty. */
typedef struct Multiset {
    int n, cap;
    char **rows;
    int64_t *counts;
} Multiset;

void ms_add(Multiset *m, const char *text, int64_t w);
/* Frees what m holds and empties it. */
void ms_free(Multiset *m);
/* Every row with a non-zero count as sorted "count*(row)" lines; malloc'd. */
char *ms_text(const Multiset *m);

/*
 * A row as text "1,N,a/900/z" into out: integers as int8, NULL as N, and where types says
 * TYPE_TEXT (types NULL: none) first byte/length/last byte. Its length.
 */
size_t row_values_text(const Value *row, int ncols, const Oid *types, char *out, size_t cap);

/* The capture operator that adds what it is pushed (row_values_text) to a Multiset. */
typedef struct MultisetSink {
    Operator op;
    Multiset *ms;     /* lives outside the run */
    const Oid *types; /* the output's (NULL: all integers) */
} MultisetSink;

MultisetSink *ms_sink_new(StreamRun *run, int ncols, Multiset *ms, const Oid *types);

/* A small LCG (state win_rng), so a seed gives the same rounds everywhere: 0..32767. */
extern uint32_t win_rng;
int win_rand(void);

#endif
