/*
 * tests/unit/stream/join_test_util.h — what the join tests share:
 * test_op_join.c and test_op_join_state.c (stream/op_join.c and its LMDB
 * path) build the same joins and check them against the same brute force;
 * test_op_markjoin.c and test_op_markjoin_state.c do the same for the mark
 * join. One copy here, so the in-memory and the persistent operators are
 * held to the same expectations.
 *
 * Invariants:
 *   1. Brute force reads only the multisets (JoinRows, MarkRows) that the
 *      random changes were applied to, never the operator under test.
 *   2. The random sequences depend only on the seed (join_rand's argument,
 *      mark_rng_state), so a failing trial is reproduced by its seed.
 */
#ifndef RIVULET_TESTS_JOIN_TEST_UTIL_H
#define RIVULET_TESTS_JOIN_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "stream_test_util.h"

#define NULLV INT32_MIN

/* ---- shared ------------------------------------------------------------------------------ */

/* test_run_init_state (owner's tables in st), with a cache budget when budget != 0. */
void test_open_state_run(TestRun *t, int ncols, uint64_t owner, StateStore *st, bool fresh,
                         size_t budget);
/* A plan of kind over two VALUES inputs of nin columns, ncols output columns, all of type. */
PlanNode *test_binary_plan(Arena *a, PlanKind kind, int nin, int ncols, Oid type);
/* The dataflow node of plan (id: its state tables' name in a persistent run). */
DfNode *test_df_node(Arena *a, DfKind kind, PlanNode *plan, int id);
/* The operator `name` of (type, type) over columns x and y. */
Expr *test_cmp(Arena *a, const char *name, Oid type, int x, int y);

#define TEXT_SINK_ROWS 2048

/* A consolidating capture of text rows: "abc:900|N|t" (3 first bytes:length, NULL, bool). */
typedef struct TextSink {
    Operator op;
    int bool_col; /* the column shown as t/f, -1: none */
    int n;
    char rows[TEXT_SINK_ROWS][48];
    int64_t w[TEXT_SINK_ROWS];
} TextSink;

/* Makes s a capture of ncols columns (its rows are kept: set n = 0 to empty it). */
void text_sink_init(TextSink *s, int ncols, int bool_col);
/* Fails unless a and b hold the same rows with the same weights. */
void text_sinks_equal(const TextSink *a, const TextSink *b, const char *what);
/* Pushes the text row (x, y) (NULL: SQL NULL) with weight w into op's port. */
void push_text(Operator *op, int port, const char *x, const char *y, int64_t w);

/* A capture that only counts: rows, their weight, and the weight of those true in bool_col. */
typedef struct Counter {
    Operator op;
    int bool_col; /* -1: none */
    int64_t rows, weight, trues;
} Counter;

void counter_init(Counter *c, int ncols, int bool_col);

/* ---- joins: (a, b) ⋈ (c, d), all int4 ------------------------------------------------------ */

#define JOIN_MAXROWS 64

typedef struct JoinRows {
    int n;
    int32_t rows[JOIN_MAXROWS][2];
    int64_t w[JOIN_MAXROWS];
} JoinRows;

/* Rows as text "(a,b,c,d)" with their consolidated weights. */
typedef struct Tally {
    int n;
    char rows[512][64];
    int64_t w[512];
} Tally;

/*
 * The join of condition `pred` (0: a = c; 1: a = c AND b < d; 2: none; 3: b < d;
 * 4: a = c AND b = d; 5: c = a) and type, connected to t's capture.
 */
Operator *make_join4(TestRun *t, int pred, PlanJoinType type);
void tally_add(Tally *t, const char *row, int64_t w);
/* Adds the captured "+w (row)" lines to t; fails on a weight < 0 when positive_only. */
void tally_text(Tally *t, const char *text, bool positive_only);
void tally_check(const Tally *got, const Tally *want, const char *what);
/* The join of the two multisets, by brute force. */
void join_brute_force(Tally *t, int pred, PlanJoinType type, const JoinRows *l, const JoinRows *r);
uint64_t join_rand(uint64_t *s);
/* One random change on a random side: a new row, or (often) a delete of a kept row. */
void join_random_change(uint64_t *seed, JoinRows *ms, int *side, int32_t row[2], int64_t *w);
/* Everything op emits up to and including a barrier. */
const char *join_barrier(TestRun *t, Operator *op);

/* ---- mark joins: left (a, b), right (c, d), all int4 ---------------------------------------- */

#define MARK_MAXROWS 48

/* A consolidating capture: rows as text "a,b,mark" (N for NULL) with their weights. */
typedef struct MarkSink {
    Operator op;
    int n;
    char rows[4096][80];
    int64_t w[4096];
} MarkSink;

typedef struct MarkRows {
    int n;
    int32_t rows[MARK_MAXROWS][2];
    int64_t w[MARK_MAXROWS];
} MarkRows;

extern uint64_t mark_rng_state;

/* A sink in t's arena (a static MarkSink works as well: make_markjoin sets its vtable). */
MarkSink *mark_sink_new(TestRun *t);
/*
 * The mark join of `mode` into sink; the pair row is (a, b, c, d).
 *   0: EXISTS, key a = c, cond b < d          5: scalar d, key a = c, empty 0
 *   1: b IN (d), key a = c                    6: mode 1 hashed (is_in_key)
 *   2: b = ANY (d), uncorrelated              7: mode 2 hashed (is_in_key)
 *   3: b < ALL (d), key a = c                 8: count(*) + sum(d), cond b < d (MARK_AGG)
 *   4: scalar d, key a = c, empty NULL        9: scalar d ORDER BY d LIMIT 1 (take_first)
 */
Operator *make_markjoin(TestRun *t, MarkSink *sink, int mode);
/* Flush and emit. */
int mark_barrier(Operator *op, Err *err);
/* The sink's rows with non-zero weight, sorted, as "w (row)" lines (one static buffer). */
const char *mark_sink_text(MarkSink *s);
uint32_t mark_rng(uint32_t bound);
/* Expected sink text; NULL when a scalar subquery has more than one row for some left row. */
const char *mark_brute_text(int mode, const MarkRows *l, const MarkRows *r);
/* A random change (insert a random row, or delete one that is there), applied to side. */
void mark_pick_change(MarkRows *side, int32_t row[2], int64_t *w);
/* mark_pick_change, pushed into op's port. */
int mark_random_change(Operator *op, MarkRows *side, int port);

#endif
