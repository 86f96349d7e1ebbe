/*
 * stream/stream_int.h — the operator interface and the helpers operators
 * share (batches, row tables). Private to stream/.
 *
 * Invariants:
 *   1. A Batch holds at most STREAM_BATCH_ROWS rows; an operator's output
 *      batch is reused after op_emit() returns (receivers copy).
 *   2. RowTable entries never move once inserted (payloads may be pointed
 *      to); lookups compare keys with the key types' "=" (NULL = NULL).
 */
#ifndef RIVULET_STREAM_STREAM_INT_H
#define RIVULET_STREAM_STREAM_INT_H

#include "planner/planner.h"
#include "stream/stream.h"

#define STREAM_BATCH_ROWS 1024

typedef struct Batch {
    int ncols;
    int n;
    Value *vals;      /* n × ncols */
    int64_t *weights; /* n */
} Batch;

static inline Value *
batch_row(const Batch *b, int i)
{
    return &b->vals[(size_t)i * (size_t)b->ncols];
}

typedef struct StreamRun StreamRun;
typedef struct Operator Operator;

typedef struct OpVtbl {
    const char *name;
    int (*push)(Operator *op, int port, const Batch *in, Err *err);
    int (*flush)(Operator *op, Err *err);
    /*
     * True when the operator is stateless or, with run->state set, keeps all of its state
     * between barriers in its state caches (stream/opstate.h). A job whose operators all
     * say so runs persistent; otherwise its state stays in memory and is rebuilt at start-up.
     */
    bool persistent;
    /*
     * Optional (NULL: the operator ignores watermarks). After a barrier of a view's job, input
     * `port`'s column `col` carries event-time watermark w (sql/watermark.h): every FUTURE
     * change arriving on that port has col >= w or col NULL. The operator may forget state
     * that no such change can reach (it must not emit anything). Called once per watermarked
     * input column per barrier where w moved, in topological order, after every operator's
     * flush; w never decreases. Which columns will carry one is known at construction
     * (stream_wm_input_col), so state can be laid out for it.
     */
    int (*watermark)(Operator *op, int port, int col, Datum w, Err *err);
} OpVtbl;

struct Operator {
    const OpVtbl *vt;
    StreamRun *run;
    const DfNode *node;
    int ncols;     /* output width */
    Operator *out; /* downstream, NULL for the collector */
    int out_port;
    Batch obuf; /* pending output */
};

struct StreamRun {
    Arena *arena;  /* everything of the run: state, rows, by-reference values */
    EvalCtx ctx;   /* the statement's context, arena = scratch */
    bool one_shot; /* no retraction will come: operators may skip retraction state */
    /*
     * Per DfNode id (NULL: none): the node's input port 0 receives inserts only, ever (its
     * plan input reads only insert-only relations through filters, projections, HOP and
     * inner joins): it may skip retraction state. Jobs only (stream/job.c).
     */
    const bool *insert_only;
    Operator *collector;
    /*
     * Persistent operator state (stream/opstate.h), or NULL: state in memory. With state,
     * scratch is emptied after every barrier; without, scratch == arena.
     */
    struct StreamState *state;
    Arena *scratch;
    /* Input columns of the graph's nodes that carry event-time watermarks (jobs only). */
    struct StreamWmInput *wm;
    int nwm;
};

/* An input column of a node that carries an event-time watermark (stream/job.c). */
typedef struct StreamWmInput {
    int node; /* DfNode.id */
    int port;
    int col;
    const struct SqlWmColumn *derive; /* from the relation's watermark (sql/watermark.h) */
    bool has_last;
    Datum last; /* last value handed to the operator */
} StreamWmInput;

/*
 * Whether column col of node's input port carries a watermark in run (a view's job whose
 * inputs have WATERMARK FOR, through sql_watermark_columns). col -1: the first such column
 * of the port, or -1 when none.
 */
int stream_wm_input_col(const StreamRun *run, const DfNode *node, int port, int col);

/* Allocates an operator of size bytes (>= sizeof(Operator)) with an output batch of ncols. */
void *op_alloc(StreamRun *run, size_t size, const OpVtbl *vt, const DfNode *node, int ncols);
/* Appends a change to op's output batch, emitting it downstream when full. */
int op_output(Operator *op, const Value *row, int64_t weight, Err *err);
/* Emits what is pending in op's output batch. */
int op_emit(Operator *op, Err *err);

/*
 * Stable merge sort of the row indexes idx[0..n) (rows are w Values wide) by
 * keys; tmp has room for n indexes.
 */
int stream_sort_indexes(const SortKey *keys, int nkeys, EvalCtx *ctx, const Value *rows, size_t w,
                        int64_t *idx, int64_t *tmp, int64_t n, Err *err);
/* LIMIT / OFFSET: -1 for none (absent or NULL); 2201W / 2201X when negative. */
int stream_eval_count(const Expr *e, EvalCtx *ctx, bool is_limit, int64_t *out, Err *err);

/* The operator for a graph node (NULL: unknown kind); every kind but job inputs. */
Operator *stream_make_operator(StreamRun *run, const DfNode *node);

/* Operator constructors (one per file). */
Operator *op_values_new(StreamRun *run, const DfNode *node);
Operator *op_series_new(StreamRun *run, const DfNode *node);
Operator *op_filter_new(StreamRun *run, const DfNode *node);
Operator *op_project_new(StreamRun *run, const DfNode *node);
Operator *op_join_new(StreamRun *run, const DfNode *node);
Operator *op_agg_new(StreamRun *run, const DfNode *node);
Operator *op_topn_new(StreamRun *run, const DfNode *node);
Operator *op_scan_new(StreamRun *run, const DfNode *node);
Operator *op_setop_new(StreamRun *run, const DfNode *node);
Operator *op_window_new(StreamRun *run, const DfNode *node);
Operator *op_markjoin_new(StreamRun *run, const DfNode *node);
Operator *op_hop_new(StreamRun *run, const DfNode *node); /* stream/op_hop.c */
Operator *op_session_new(StreamRun *run, const DfNode *node); /* stream/op_session.c */
Operator *op_temporal_new(StreamRun *run, const DfNode *node); /* stream/op_temporal.c */

/* ---- RowTable: a hash table of rows (rowtable.c) ------------------------------------- */

typedef struct RowEntry {
    uint64_t hash;
    Value *key;
    void *payload;
} RowEntry;

typedef struct RowTable {
    Arena *arena;
    int nkeys;
    const TypeOrder *orders; /* per key column: type and "=" */
    uint32_t cap;            /* slots, a power of two */
    uint32_t n;
    int32_t *slots;     /* entry index + 1, 0 = empty */
    RowEntry **entries; /* chunks of entries, so they never move */
    uint32_t nchunks;
} RowTable;

void rowtable_init(RowTable *t, Arena *a, int nkeys, const TypeOrder *orders);
/*
 * Finds key (nkeys Values); when absent and create is true, inserts a copy
 * of it (shallow) with a NULL payload. *out NULL when absent and !create.
 */
int rowtable_lookup(RowTable *t, EvalCtx *ctx, const Value *key, bool create, RowEntry **out,
                    bool *created, Err *err);
/* The i-th entry in insertion order (i < t->n). */
RowEntry *rowtable_entry(const RowTable *t, uint32_t i);

/* Compares two rows over all columns of orders for equality (NULL = NULL). */
int stream_rows_equal(const TypeOrder *orders, int ncols, EvalCtx *ctx, const Value *a,
                      const Value *b, bool *equal, Err *err);

#endif
