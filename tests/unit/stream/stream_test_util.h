/*
 * tests/unit/stream/stream_test_util.h — driving single operators by hand:
 * a run with a capturing downstream operator that records every change it
 * is pushed as text ("+1 (1,2,30)"), so tests compare output deltas.
 */
#ifndef RIVULET_TESTS_STREAM_TEST_UTIL_H
#define RIVULET_TESTS_STREAM_TEST_UTIL_H

#include "stream/opstate.h"
#include "stream/stream_int.h"

typedef struct TestRun {
    StreamRun run;
    Operator *capture;
    StateStore *st; /* persistent runs: the store (not owned) */
} TestRun;

/* A run that may retract (one_shot false) with a capture operator of ncols columns. */
void test_run_init(TestRun *t, int ncols);
/*
 * The same run with persistent operator state (stream/opstate.h) in st, tables
 * "t<owner>.o...": fresh starts empty, otherwise the committed state is reopened
 * (a restart is test_run_free + test_run_init_state(..., false) over the same store).
 * Operators built on it must be built after this call.
 */
void test_run_init_state(TestRun *t, int ncols, StateStore *st, uint64_t owner, bool fresh);
/*
 * After a barrier of a persistent run: flushes every cache into the next epoch and
 * commits it (commit false: aborts it instead, as a failed commit; the caller should
 * then discard the run and reopen it), tells the caches, empties run.scratch.
 * 0 or -1 with err set.
 */
int test_run_checkpoint(TestRun *t, bool commit, Err *err);
/* A fresh temporary directory "/tmp/rv-<name>-XXXXXX" into dir (>= 64 bytes); aborts on failure. */
void test_tmpdir(char *dir, const char *name);
/* Removes dir and everything below it. */
void test_rmdir(const char *dir);
/*
 * The storage engine over dir (aborts with the error when it cannot open); with
 * epochs_when_asked, the epoch driver's interval is an hour, so epochs run only on FLUSH
 * and reads.
 */
struct Engine *test_engine_open(const char *dir, bool epochs_when_asked);

/* A fresh temporary state store (dir receives its path, >= 64 bytes) and its removal. */
StateStore *test_store_open(char *dir);
void test_store_close(StateStore *st, const char *dir);
void test_run_free(TestRun *t);
/* A flush that does nothing (for capturing operators). */
int test_no_flush(Operator *op, Err *err);
/* Connects op's output to the capture operator. */
void test_connect(TestRun *t, Operator *op);
/* Pushes rows of int4 (INT32_MIN = NULL) with one weight into op's port. */
int test_push_ints(Operator *op, int port, int ncols, const int32_t *vals, int nrows,
                   int64_t weight);
/* Everything captured since the last call, one change per line, and resets. */
const char *test_take(TestRun *t);
/* An expression reading int4 column c. */
Expr *test_col(Arena *a, int c, Oid type);
/* The aggregate `name` over one argument type (TYPE_INVALID: count(*)). */
AggCall test_agg(Arena *a, const char *name, Oid argtype, Expr *arg);

#endif
