/*
 * tests/unit/stream/test_op_agg_state.c — stream/op_agg.c with persistent
 * state (run->state set, stream/opstate.h): groups in "g", argument
 * multisets in "m", read and written through state caches over LMDB.
 *
 * The randomized test drives one aggregate operator with random insert and
 * delete batches over many barriers, checkpointing after each, reopening
 * the run over the same store every few barriers (a restart) and now and
 * then failing a checkpoint (the run is thrown away and reopened: it must
 * continue from the last committed state). Every committed output change is
 * consolidated; at the end that must equal the in-memory operator's answer
 * over the final multiset of rows in one barrier.
 *
 * Shapes: GROUP BY int, no GROUP BY, GROUP BY (text, bool), and long texts
 * (group keys and multiset values past a state table key's 511 bytes, cut
 * with a hash, sharing long prefixes). Also: the scalar row over no input
 * emitted once across restarts, SQL-equal key spellings, and 100k groups
 * through 256 KiB caches.
 *
 * Input rows: (k int4, x int4, t text, n numeric, f float8, b bool), NULLs
 * in x, t, f and b. Float values are integers, so float sums do not depend
 * on the order values are added; string_agg has ORDER BY t (equal sort keys
 * are equal rows).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sql/catalog.h"
#include "sql/numeric.h"
#include "stream_test_util.h"

#define NCOLS 6
#define MAX_AGGS 16
#define NODE_ID 3

/* ---- the operator under test -------------------------------------------------------- */

typedef struct AggSpec {
    PlanNode *p;
    DfNode node;
    Oid out[2 + MAX_AGGS];
} AggSpec;

static const AggCall *
find_agg(const char *name, int nargs, Oid argtype, AggCall *call)
{
    const FuncDef *f;
    int pos = 0;

    memset(call, 0, sizeof *call);
    while ((f = catalog_next_func(name, &pos)) != NULL) {
        if (agg_impl(f) != NULL && f->nargs == nargs &&
            (nargs == 0 || f->args[0] == argtype || f->args[0] == TYPE_ANY))
            break;
    }
    ck_assert_ptr_nonnull(f);
    call->impl = agg_impl(f);
    call->def = f;
    call->nargs = nargs;
    call->argtype = nargs ? argtype : TYPE_INVALID;
    call->rettype = f->ret;
    return call;
}

static AggCall
agg1(Arena *a, const char *name, int col, Oid type)
{
    AggCall c;
    TypeOrder order;

    find_agg(name, col < 0 ? 0 : 1, type, &c);
    if (col >= 0) {
        c.args[0] = test_col(a, col, type);
        ck_assert(plan_type_order(type, &order));
        c.arg_eq = order.eq;
        c.arg_lt = order.lt;
    }
    return c;
}

/* string_agg(t, sep ORDER BY t [DESC]) */
static AggCall
string_agg_ordered(Arena *a, const char *sep, bool desc, bool distinct)
{
    AggCall c;
    TypeOrder order;

    find_agg("string_agg", 2, TYPE_TEXT, &c);
    ck_assert(plan_type_order(TYPE_TEXT, &order));
    c.args[0] = test_col(a, 2, TYPE_TEXT);
    c.args[1] = expr_const(a, TYPE_TEXT, datum_from_cstr(a, sep), false, -1);
    c.arg_eq = order.eq;
    c.arg_lt = order.lt;
    c.distinct = distinct;
    c.norder = 1;
    c.order = arena_calloc(a, 1, sizeof(Expr *));
    c.order[0] = test_col(a, 2, TYPE_TEXT);
    c.order_keys = arena_calloc(a, 1, sizeof(SortKey));
    c.order_keys[0] = (SortKey){2, desc, desc, order};
    return c;
}

/*
 * shape 0: GROUP BY k; 1: no GROUP BY; 2: GROUP BY t, b; 3: GROUP BY k, count and sum only;
 * 4: GROUP BY k, aggregates over long texts; 5: GROUP BY t (long keys); 6: GROUP BY b, k
 * (k carries a watermark: test_watermark_cleanup); 7: GROUP BY k, count, min and max only
 * (test_insert_only)
 */
static void
build_spec(Arena *a, int shape, AggSpec *s)
{
    AggCall aggs[MAX_AGGS];
    int naggs = 0, nkeys;
    const int keycols[8][2] = {{0, -1}, {-1, -1}, {2, 5}, {0, -1}, {0, -1},
                               {2, -1}, {5, 0},  {0, -1}};
    static const Oid coltypes[NCOLS] = {TYPE_INT4, TYPE_INT4, TYPE_TEXT,
                                        TYPE_NUMERIC, TYPE_FLOAT8, TYPE_BOOL};

    memset(s, 0, sizeof *s);
    aggs[naggs++] = agg1(a, "count", -1, TYPE_INVALID);
    aggs[naggs++] = agg1(a, "sum", 1, TYPE_INT4);
    if (shape == 7) {
        aggs[naggs++] = agg1(a, "min", 1, TYPE_INT4);
        aggs[naggs++] = agg1(a, "max", 2, TYPE_TEXT);
        aggs[naggs++] = agg1(a, "max", 3, TYPE_NUMERIC);
    } else if (shape >= 4) {
        aggs[naggs++] = agg1(a, "min", 2, TYPE_TEXT);
        aggs[naggs++] = agg1(a, "max", 2, TYPE_TEXT);
        aggs[naggs++] = string_agg_ordered(a, ",", false, false);
        aggs[naggs] = agg1(a, "count", 2, TYPE_TEXT);
        aggs[naggs++].distinct = true;
        aggs[naggs++] = string_agg_ordered(a, "|", true, true);
        aggs[naggs++] = agg1(a, "min", 1, TYPE_INT4);
    } else if (shape != 3) {
        aggs[naggs++] = agg1(a, "sum", 3, TYPE_NUMERIC);
        aggs[naggs++] = agg1(a, "sum", 4, TYPE_FLOAT8);
        aggs[naggs++] = agg1(a, "avg", 1, TYPE_INT4);
        aggs[naggs++] = agg1(a, "min", 1, TYPE_INT4);
        aggs[naggs++] = agg1(a, "max", 2, TYPE_TEXT);
        aggs[naggs++] = string_agg_ordered(a, ",", shape == 2, false);
        aggs[naggs] = agg1(a, "count", 1, TYPE_INT4);
        aggs[naggs++].distinct = true;
        aggs[naggs++] = agg1(a, "bool_and", 5, TYPE_BOOL);
        aggs[naggs] = agg1(a, "count", 1, TYPE_INT4);
        aggs[naggs++].filter = test_col(a, 5, TYPE_BOOL);
        aggs[naggs] = agg1(a, "min", 4, TYPE_FLOAT8);
        aggs[naggs++].filter = test_col(a, 5, TYPE_BOOL);
        aggs[naggs++] = agg1(a, "max", 3, TYPE_NUMERIC);
        aggs[naggs++] = string_agg_ordered(a, "|", false, true);
        aggs[naggs] = agg1(a, "sum", 1, TYPE_INT4);
        aggs[naggs++].distinct = true;
        aggs[naggs++] = agg1(a, "avg", 4, TYPE_FLOAT8);
    }
    nkeys = shape == 1 ? 0 : shape == 2 || shape == 6 ? 2 : 1;
    if (shape == 5)
        nkeys = 1;
    s->p = plan_new(a, PLAN_AGG, NULL, nkeys + naggs);
    s->p->u.agg.nkeys = nkeys;
    s->p->u.agg.keys = arena_calloc(a, 3, sizeof(Expr *));
    s->p->u.agg.key_orders = arena_calloc(a, 3, sizeof(TypeOrder));
    for (int k = 0; k < nkeys; k++) {
        int col = keycols[shape][k];

        s->p->u.agg.keys[k] = test_col(a, col, coltypes[col]);
        ck_assert(plan_type_order(coltypes[col], &s->p->u.agg.key_orders[k]));
        s->out[k] = coltypes[col];
    }
    s->p->u.agg.naggs = naggs;
    s->p->u.agg.aggs = arena_memdup(a, aggs, sizeof(AggCall) * (size_t)naggs);
    for (int j = 0; j < naggs; j++)
        s->out[nkeys + j] = aggs[j].rettype;
    s->node.kind = DF_AGG;
    s->node.plan = s->p;
    s->node.output = -1;
    s->node.id = NODE_ID;
}

/* ---- a sink that records every change as text ------------------------------------------ */

typedef struct Change {
    char *row;
    int64_t w;
} Change;

typedef struct Changes {
    Change *v;
    size_t n, cap;
} Changes;

typedef struct Sink {
    Operator op;
    const Oid *types;
    Changes *into;
    int64_t rows;      /* sum of weight × column 1 (count-only mode) */
    int64_t changes;   /* changes seen */
    bool count_only;
} Sink;

static void
changes_add(Changes *c, const char *row, int64_t w)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        ck_assert_ptr_nonnull(c->v);
    }
    c->v[c->n].row = strdup(row);
    c->v[c->n++].w = w;
}

static void
changes_free(Changes *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].row);
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* Moves src's changes to the end of dst. */
static void
changes_move(Changes *dst, Changes *src)
{
    for (size_t i = 0; i < src->n; i++)
        changes_add(dst, src->v[i].row, src->v[i].w);
    changes_free(src);
}

static int
cmp_change(const void *x, const void *y)
{
    return strcmp(((const Change *)x)->row, ((const Change *)y)->row);
}

/* Sorts and sums equal rows, dropping zero weights. */
static void
changes_consolidate(Changes *c)
{
    size_t out = 0;

    qsort(c->v, c->n, sizeof *c->v, cmp_change);
    for (size_t i = 0; i < c->n;) {
        size_t j = i + 1;
        int64_t w = c->v[i].w;

        while (j < c->n && strcmp(c->v[j].row, c->v[i].row) == 0) {
            w += c->v[j].w;
            free(c->v[j++].row);
        }
        if (w != 0) {
            c->v[out].row = c->v[i].row;
            c->v[out++].w = w;
        } else
            free(c->v[i].row);
        i = j;
    }
    c->n = out;
}

static int
sink_push(Operator *op, int port, const Batch *in, Err *err)
{
    Sink *s = (Sink *)op;
    Arena *a = op->run->scratch;
    static char line[1 << 20];

    (void)port, (void)err;
    for (int i = 0; i < in->n; i++) {
        const Value *row = batch_row(in, i);
        size_t len = 0;

        s->changes++;
        if (s->count_only) {
            s->rows += in->weights[i] * datum_get_int64(row[1].d);
            continue;
        }
        for (int c = 0; c < in->ncols; c++) {
            const char *txt = row[c].isnull ? "NULL"
                                            : type_output_cstr(type_by_oid(s->types[c]), row[c].d,
                                                               -1, &type_io_default, a);

            len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", c ? "|" : "", txt);
            ck_assert_uint_lt(len, sizeof line);
        }
        changes_add(s->into, line, in->weights[i]);
    }
    return 0;
}

static int
sink_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl sink_vt = {"sink", sink_push, sink_flush, true};

/* ---- runs ----------------------------------------------------------------------------- */

typedef struct Harness {
    TestRun t;
    AggSpec *spec;
    Operator *op;
    Sink *sink;
} Harness;

/* Shape 6: input column 0 (k) carries a watermark (what a job's plan_watermarks finds). */
static StreamWmInput wm_k = {NODE_ID, 0, 0, NULL, false, 0};
static bool with_wm;
/* The node's input receives inserts only (what a job's plan_insert_only_inputs finds). */
static bool insert_only_input[NODE_ID + 1];
static bool with_insert_only;

/* test_run_init_state with a cache budget. */
static void
run_open(Harness *h, AggSpec *spec, StateStore *st, bool fresh, size_t budget, Changes *into)
{
    StreamStateOpts o = {.st = st, .owner_id = 77, .budget = budget, .fresh = fresh};
    Err err;

    h->spec = spec;
    test_run_init(&h->t, spec->p->ncols);
    if (with_wm) {
        h->t.run.wm = &wm_k;
        h->t.run.nwm = 1;
    }
    insert_only_input[NODE_ID] = true;
    h->t.run.insert_only = with_insert_only ? insert_only_input : NULL;
    if (st != NULL) {
        h->t.st = st;
        h->t.run.scratch = arena_create("test scratch", 0);
        h->t.run.ctx.arena = h->t.run.scratch;
        err_clear(&err);
        ck_assert_msg(stream_state_new(&o, &h->t.run.state, &err) == 0, "%s", err.message);
    }
    h->op = op_agg_new(&h->t.run, &spec->node);
    ck_assert_int_eq(h->op->vt->persistent, true);
    h->sink = op_alloc(&h->t.run, sizeof(Sink), &sink_vt, NULL, spec->p->ncols);
    h->sink->types = spec->out;
    h->sink->into = into;
    h->op->out = &h->sink->op;
    h->op->out_port = 0;
}

static void
run_close(Harness *h)
{
    test_run_free(&h->t);
}

/* Pushes rows[0..n) (NCOLS values each) with weights, in batches of at most 1024. */
static int
push_rows(Harness *h, const Value *rows, const int64_t *w, int n, Err *err)
{
    Arena *a = h->t.run.scratch;

    for (int off = 0; off < n;) {
        int m = n - off < STREAM_BATCH_ROWS ? n - off : STREAM_BATCH_ROWS;
        Batch b = {NCOLS, m, arena_alloc(a, sizeof(Value) * NCOLS * (size_t)m),
                   arena_memdup(a, w + off, sizeof(int64_t) * (size_t)m)};

        /* by-reference values copied into the scratch arena, as a job's input does */
        for (int i = 0; i < m * NCOLS; i++) {
            b.vals[i] = rows[(size_t)off * NCOLS + (size_t)i];
            if (!b.vals[i].isnull && (i % NCOLS == 2 || i % NCOLS == 3))
                b.vals[i].d = datum_copy(a, b.vals[i].d, false);
        }
        if (h->op->vt->push(h->op, 0, &b, err) < 0)
            return -1;
        off += m;
    }
    return op_emit(h->op, err);
}

static void
barrier(Harness *h)
{
    Err err;

    err_clear(&err);
    ck_assert_msg(h->op->vt->flush(h->op, &err) == 0, "%s", err.message);
    ck_assert_msg(op_emit(h->op, &err) == 0, "%s", err.message);
}

static void
checkpoint(Harness *h, bool commit)
{
    Err err;

    err_clear(&err);
    ck_assert_msg(test_run_checkpoint(&h->t, commit, &err) == 0, "%s", err.message);
}

/* ---- random rows ----------------------------------------------------------------------- */

static const char *const words[] = {"a", "bb", "c", "dd d", "e", "", "zz", "Q", "b", "ab"};
/* Long texts: t gets one of these prefixes (long keys, cut keys sharing a prefix). */
static bool long_texts;

static Value
random_text(Arena *a)
{
    static char buf[1024];
    int len = 0, kind = rand() % 5;

    if (long_texts && kind > 0) {
        int n = kind == 1 ? 150 : kind == 2 ? 300 : kind == 3 ? 460 : 600;

        memset(buf, kind == 3 ? 'y' : 'x', (size_t)n);
        len = n;
    }
    len += snprintf(buf + len, sizeof buf - (size_t)len, "%s", words[rand() % 10]);
    return (Value){datum_from_text(a, buf, (size_t)len), false};
}

static void
random_row(Arena *a, int ngroups, Value *row)
{
    int x = rand() % 101 - 50;

    row[0] = (Value){datum_from_int32(rand() % ngroups), false};
    row[1] = (Value){datum_from_int32(x), rand() % 10 == 0};
    row[2] = rand() % 8 == 0 ? (Value){0, true} : random_text(a);
    row[3] = (Value){numeric_from_scaled_int64(a, (int64_t)(rand() % 2001 - 1000), 2), false};
    row[4] = (Value){datum_from_float8((double)(rand() % 41 - 20)), rand() % 9 == 0};
    row[5] = (Value){datum_from_bool(rand() % 4 != 0), rand() % 7 == 0};
}

typedef struct Live {
    Value *rows; /* n × NCOLS */
    int n, cap;
} Live;

static void
live_add(Live *l, const Value *row)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->rows = realloc(l->rows, sizeof(Value) * NCOLS * (size_t)l->cap);
        ck_assert_ptr_nonnull(l->rows);
    }
    memcpy(&l->rows[(size_t)l->n++ * NCOLS], row, sizeof(Value) * NCOLS);
}

static void
live_copy(Live *dst, const Live *src)
{
    dst->n = 0;
    for (int i = 0; i < src->n; i++)
        live_add(dst, &src->rows[(size_t)i * NCOLS]);
}

/* The in-memory operator's answer over rows, in one barrier. */
static void
oneshot(AggSpec *spec, const Live *l, Changes *out)
{
    Harness h;
    Err err;
    int64_t *w = malloc(sizeof(int64_t) * (size_t)(l->n + 1));

    for (int i = 0; i < l->n; i++)
        w[i] = 1;
    run_open(&h, spec, NULL, false, 0, out);
    h.t.run.one_shot = true;
    err_clear(&err);
    ck_assert_msg(push_rows(&h, l->rows, w, l->n, &err) == 0, "%s", err.message);
    barrier(&h);
    run_close(&h);
    free(w);
    changes_consolidate(out);
}

static void
expect_same(Changes *got, Changes *want)
{
    size_t i;

    changes_consolidate(got);
    for (i = 0; i < got->n && i < want->n; i++) {
        ck_assert_msg(strcmp(got->v[i].row, want->v[i].row) == 0 && got->v[i].w == want->v[i].w,
                      "row %zu: got %+lld %.300s, want %+lld %.300s", i, (long long)got->v[i].w,
                      got->v[i].row, (long long)want->v[i].w, want->v[i].row);
    }
    ck_assert_msg(got->n == want->n, "got %zu rows, want %zu (next got %.300s, want %.300s)", got->n,
                  want->n, i < got->n ? got->v[i].row : "-", i < want->n ? want->v[i].row : "-");
}

/*
 * nbarriers barriers of random changes over ngroups groups: inserts of new rows, deletes of
 * live ones (sometimes a whole group's worth), checkpoints, restarts and failed commits.
 */
static void
random_run(int shape, unsigned seed, int nbarriers, int ngroups, int maxbatch)
{
    Arena *a = arena_create("test rows", 0);
    AggSpec spec;
    Harness h;
    Changes committed = {0}, pending = {0}, want = {0};
    Live live = {0}, before = {0};
    char dir[64];
    StateStore *st = test_store_open(dir);
    int restarts = 0, failures = 0;

    srand(seed);
    long_texts = shape >= 4;
    build_spec(a, shape, &spec);
    run_open(&h, &spec, st, true, 0, &pending);
    for (int b = 0; b < nbarriers; b++) {
        int n = rand() % (maxbatch + 1);
        Value *rows = arena_alloc(a, sizeof(Value) * NCOLS * (size_t)(n + 1));
        int64_t *w = arena_alloc(a, sizeof(int64_t) * (size_t)(n + 1));
        bool fail = rand() % 8 == 0;
        Err err;

        live_copy(&before, &live);
        for (int i = 0; i < n; i++) {
            Value *row = &rows[(size_t)i * NCOLS];

            if (live.n > 0 && rand() % 100 < (b % 10 < 6 ? 35 : 60)) {
                int victim = rand() % live.n;

                memcpy(row, &live.rows[(size_t)victim * NCOLS], sizeof(Value) * NCOLS);
                memmove(&live.rows[(size_t)victim * NCOLS],
                        &live.rows[(size_t)(live.n - 1) * NCOLS], sizeof(Value) * NCOLS);
                live.n--;
                w[i] = -1;
            } else {
                random_row(a, ngroups, row);
                live_add(&live, row);
                w[i] = 1;
            }
        }
        err_clear(&err);
        ck_assert_msg(push_rows(&h, rows, w, n, &err) == 0, "%s", err.message);
        barrier(&h);
        checkpoint(&h, !fail);
        if (fail) {
            /* the epoch failed: its changes and outputs never happened */
            changes_free(&pending);
            live_copy(&live, &before);
            run_close(&h);
            run_open(&h, &spec, st, false, 0, &pending);
            failures++;
            continue;
        }
        changes_move(&committed, &pending);
        if (rand() % 5 == 0) {
            run_close(&h);
            run_open(&h, &spec, st, false, 0, &pending);
            restarts++;
        }
    }
    /* a reopened run with nothing to do emits nothing (the scalar row is not emitted again) */
    run_close(&h);
    run_open(&h, &spec, st, false, 0, &pending);
    barrier(&h);
    ck_assert_uint_eq(pending.n, 0);
    checkpoint(&h, true);
    run_close(&h);

    oneshot(&spec, &live, &want);
    if (getenv("RV_AGG_VERBOSE") != NULL)
        fprintf(stderr, "shape %d seed %u: %d live rows, %zu groups, %d restarts, %d failures: %s\n",
                shape, seed, live.n, want.n, restarts, failures, want.n ? want.v[0].row : "");
    expect_same(&committed, &want);
    ck_assert_int_gt(restarts + failures, 0);

    changes_free(&committed);
    changes_free(&pending);
    changes_free(&want);
    free(live.rows);
    free(before.rows);
    test_store_close(st, dir);
    arena_destroy(a);
}

/* Entries of the committed state table "t77.o<NODE_ID><tag>". */
static size_t
table_entries(StateStore *st, const char *tag)
{
    char name[64];
    StateSnapshot *snap = NULL;
    StateTable t;
    StateCursor *cur = NULL;
    StateBytes k, v;
    size_t n = 0;
    Err err;
    int rc;

    err_clear(&err);
    snprintf(name, sizeof name, "t77.o%d%s", NODE_ID, tag);
    ck_assert_msg(state_snapshot_begin(st, &snap, &err) == 0, "%s", err.message);
    rc = state_snapshot_table(snap, name, &t, &err);
    ck_assert_msg(rc >= 0, "%s", err.message);
    if (rc == 1) {
        ck_assert_msg(state_cursor_open(&t, NULL, false, &cur, &err) == 0, "%s", err.message);
        while ((rc = state_cursor_next(cur, &k, &v, &err)) == 1)
            n++;
        ck_assert_int_eq(rc, 0);
        state_cursor_close(cur);
    }
    state_snapshot_end(snap);
    return n;
}

/*
 * GROUP BY b, k where k is event time with a watermark (the key second, so the operator
 * reorders its state key): rows arrive in a moving band of k; after each barrier the
 * watermark rises to the band's start, and no change (insert or delete) below it follows.
 * The committed output must still equal the one-shot answer over every live row (cleaned
 * groups keep their output), and the state must stay within the band.
 */
START_TEST(test_watermark_cleanup)
{
    Arena *a = arena_create("test rows", 0);
    AggSpec spec;
    Harness h;
    Changes committed = {0}, pending = {0}, want = {0};
    Live live = {0}, before = {0};
    char dir[64];
    StateStore *st = test_store_open(dir);
    const int band = 20, nbarriers = 60;
    size_t max_groups = 0, max_ms = 0, g;
    int base = 0, restarts = 0, failures = 0;

    srand(4242);
    long_texts = false;
    with_wm = true;
    build_spec(a, 6, &spec);
    run_open(&h, &spec, st, true, 0, &pending);
    for (int b = 0; b < nbarriers; b++) {
        int n = rand() % 300;
        Value *rows = arena_alloc(a, sizeof(Value) * NCOLS * (size_t)(n + 1));
        int64_t *w = arena_alloc(a, sizeof(int64_t) * (size_t)(n + 1));
        bool fail = rand() % 8 == 0;
        int saved_base = base;
        Err err;

        live_copy(&before, &live);
        for (int i = 0; i < n; i++) {
            Value *row = &rows[(size_t)i * NCOLS];
            int victim = live.n > 0 ? rand() % live.n : -1;

            if (victim >= 0 && rand() % 100 < 30 &&
                datum_get_int32(live.rows[(size_t)victim * NCOLS].d) >= base) {
                memcpy(row, &live.rows[(size_t)victim * NCOLS], sizeof(Value) * NCOLS);
                memmove(&live.rows[(size_t)victim * NCOLS],
                        &live.rows[(size_t)(live.n - 1) * NCOLS], sizeof(Value) * NCOLS);
                live.n--;
                w[i] = -1;
            } else {
                random_row(a, band, row);
                row[0].d = datum_from_int32(base + datum_get_int32(row[0].d));
                live_add(&live, row);
                w[i] = 1;
            }
        }
        err_clear(&err);
        ck_assert_msg(push_rows(&h, rows, w, n, &err) == 0, "%s", err.message);
        barrier(&h);
        base += rand() % 4; /* every later change has k >= base */
        err_clear(&err);
        ck_assert_msg(h.op->vt->watermark(h.op, 0, 0, datum_from_int32(base), &err) == 0, "%s",
                      err.message);
        checkpoint(&h, !fail);
        if (fail) {
            changes_free(&pending);
            live_copy(&live, &before);
            base = saved_base;
            run_close(&h);
            run_open(&h, &spec, st, false, 0, &pending);
            failures++;
            continue;
        }
        changes_move(&committed, &pending);
        if ((g = table_entries(st, "g")) > max_groups)
            max_groups = g;
        if ((g = table_entries(st, "m")) > max_ms)
            max_ms = g;
        if (rand() % 5 == 0) {
            run_close(&h);
            run_open(&h, &spec, st, false, 0, &pending);
            restarts++;
        }
    }
    run_close(&h);
    with_wm = false;
    oneshot(&spec, &live, &want);
    expect_same(&committed, &want);
    ck_assert_int_gt(restarts + failures, 0);
    /* groups (b, k): b in {true, false, NULL}, k in [base, base + band + 3) */
    ck_assert_msg(max_groups <= 3 * (size_t)(band + 3), "%zu groups in state", max_groups);
    ck_assert_msg(base > 3 * band, "the watermark moved only to %d", base);
    ck_assert_msg(want.n > 2 * max_groups, "%zu output rows, %zu groups kept", want.n, max_groups);
    if (getenv("RV_AGG_VERBOSE") != NULL)
        fprintf(stderr, "cleanup: %zu output rows, max %zu groups / %zu m entries in state\n",
                want.n, max_groups, max_ms);

    changes_free(&committed);
    changes_free(&pending);
    changes_free(&want);
    free(live.rows);
    free(before.rows);
    test_store_close(st, dir);
    arena_destroy(a);
}
END_TEST

/*
 * An input that only ever inserts: min / max keep no multiset ("m" stays empty; with the
 * same rows and a retracting input it fills), the output over barriers, failed commits and
 * restarts equals the one-shot answer, and a retraction that arrives anyway is an error.
 */
START_TEST(test_insert_only)
{
    size_t ms[2] = {0, 0};

    long_texts = false;
    for (int io = 0; io < 2; io++) {
        Arena *a = arena_create("test rows", 0);
        AggSpec spec;
        Harness h;
        Changes committed = {0}, pending = {0}, want = {0};
        Live live = {0}, before = {0};
        char dir[64];
        StateStore *st = test_store_open(dir);
        Value *row;
        int64_t minus = -1;
        int restarts = 0;
        Err err;

        srand(99);
        with_insert_only = io == 1;
        build_spec(a, 7, &spec);
        run_open(&h, &spec, st, true, 0, &pending);
        for (int b = 0; b < 40; b++) {
            int n = rand() % 200;
            Value *rows = arena_alloc(a, sizeof(Value) * NCOLS * (size_t)(n + 1));
            int64_t *w = arena_alloc(a, sizeof(int64_t) * (size_t)(n + 1));
            bool fail = rand() % 8 == 0;

            live_copy(&before, &live);
            for (int i = 0; i < n; i++) {
                random_row(a, 25, &rows[(size_t)i * NCOLS]);
                live_add(&live, &rows[(size_t)i * NCOLS]);
                w[i] = 1;
            }
            err_clear(&err);
            ck_assert_msg(push_rows(&h, rows, w, n, &err) == 0, "%s", err.message);
            barrier(&h);
            checkpoint(&h, !fail);
            if (fail) {
                changes_free(&pending);
                live_copy(&live, &before);
            } else
                changes_move(&committed, &pending);
            if (fail || rand() % 5 == 0) {
                run_close(&h);
                run_open(&h, &spec, st, false, 0, &pending);
                restarts++;
            }
        }
        ms[io] = table_entries(st, "m");
        oneshot(&spec, &live, &want);
        expect_same(&committed, &want);
        ck_assert_int_gt(restarts, 3);
        if (io == 1) { /* a retraction is not something an insert-only input sends */
            row = arena_alloc(a, sizeof(Value) * NCOLS);
            memcpy(row, live.rows, sizeof(Value) * NCOLS);
            err_clear(&err);
            ck_assert_int_eq(push_rows(&h, row, &minus, 1, &err), -1);
            ck_assert_str_eq(err.sqlstate, "XX000");
        }
        run_close(&h);
        changes_free(&committed);
        changes_free(&pending);
        changes_free(&want);
        free(live.rows);
        free(before.rows);
        test_store_close(st, dir);
        arena_destroy(a);
    }
    with_insert_only = false;
    ck_assert_uint_gt(ms[0], 100);
    ck_assert_uint_eq(ms[1], 0);
}
END_TEST

START_TEST(test_random_grouped)
{
    for (unsigned seed = 1; seed <= 6; seed++)
        random_run(0, seed, 40, 1 + (int)seed * 3, 60);
}
END_TEST

START_TEST(test_random_scalar)
{
    for (unsigned seed = 11; seed <= 16; seed++)
        random_run(1, seed, 40, 1, 30);
}
END_TEST

START_TEST(test_random_text_keys)
{
    for (unsigned seed = 21; seed <= 26; seed++)
        random_run(2, seed, 40, 5, 60);
}
END_TEST

/* Group keys and multiset values longer than a state table key: cut, with a hash. */
START_TEST(test_random_long_keys)
{
    for (unsigned seed = 31; seed <= 34; seed++)
        random_run(4, seed, 30, 4, 50);
    for (unsigned seed = 41; seed <= 44; seed++)
        random_run(5, seed, 30, 1, 50);
    long_texts = false;
}
END_TEST

/* A scalar aggregate over no input: one row at the first barrier, never again after reopening. */
START_TEST(test_scalar_empty_once)
{
    Arena *a = arena_create("test rows", 0);
    AggSpec spec;
    Harness h;
    Changes got = {0};
    char dir[64];
    StateStore *st = test_store_open(dir);

    build_spec(a, 1, &spec);
    run_open(&h, &spec, st, true, 0, &got);
    barrier(&h);
    ck_assert_uint_eq(got.n, 1);
    ck_assert_str_eq(got.v[0].row, "0|NULL|NULL|NULL|NULL|NULL|NULL|NULL|0|NULL|0|NULL|NULL|NULL|"
                                   "NULL|NULL");
    checkpoint(&h, true);
    barrier(&h);
    ck_assert_uint_eq(got.n, 1);
    checkpoint(&h, true);
    run_close(&h);
    run_open(&h, &spec, st, false, 0, &got);
    barrier(&h);
    ck_assert_uint_eq(got.n, 1);
    checkpoint(&h, true);
    run_close(&h);
    changes_free(&got);
    test_store_close(st, dir);
    arena_destroy(a);
}
END_TEST

/*
 * GROUP BY a numeric key: SQL-equal spellings are one group, shown as first seen, also after
 * a restart; min after deleting the minimum comes from the next "m" entry.
 */
START_TEST(test_key_spelling_and_min)
{
    Arena *a = arena_create("test rows", 0);
    AggSpec spec;
    Harness h;
    Changes got = {0};
    char dir[64];
    StateStore *st = test_store_open(dir);
    Value rows[3 * NCOLS];
    int64_t ins[3] = {1, 1, 1}, del[1] = {-1};
    Err err;

    build_spec(a, 0, &spec);
    /* GROUP BY n instead of k */
    spec.p->u.agg.keys[0] = test_col(a, 3, TYPE_NUMERIC);
    ck_assert(plan_type_order(TYPE_NUMERIC, &spec.p->u.agg.key_orders[0]));
    spec.out[0] = TYPE_NUMERIC;
    for (int i = 0; i < 3; i++) {
        random_row(a, 1, &rows[i * NCOLS]);
        rows[i * NCOLS + 1] = (Value){datum_from_int32(10 * (i + 1)), false};
    }
    rows[3] = (Value){numeric_from_scaled_int64(a, 150, 2), false};  /* 1.50 */
    rows[9] = (Value){numeric_from_scaled_int64(a, 15, 1), false};   /* 1.5 */
    rows[15] = (Value){numeric_from_scaled_int64(a, 1500, 3), false}; /* 1.500 */
    err_clear(&err);
    run_open(&h, &spec, st, true, 0, &got);
    ck_assert_int_eq(push_rows(&h, rows, ins, 2, &err), 0);
    barrier(&h);
    checkpoint(&h, true);
    ck_assert_uint_eq(got.n, 1);
    ck_assert_msg(strncmp(got.v[0].row, "1.50|2|30|", 10) == 0, "%s", got.v[0].row);
    run_close(&h);
    changes_free(&got);

    run_open(&h, &spec, st, false, 0, &got);
    ck_assert_int_eq(push_rows(&h, rows + 2 * NCOLS, ins, 1, &err), 0);
    ck_assert_int_eq(push_rows(&h, rows, del, 1, &err), 0); /* min 10 goes: 20 is next */
    barrier(&h);
    checkpoint(&h, true);
    ck_assert_uint_eq(got.n, 2);
    ck_assert_int_eq(got.v[0].w, -1);
    ck_assert_msg(strncmp(got.v[1].row, "1.50|2|50|", 10) == 0, "%s", got.v[1].row);
    /* min is the 6th column */
    {
        char *p = got.v[1].row;

        for (int c = 0; c < 6; c++)
            p = strchr(p, '|') + 1;
        ck_assert_msg(strncmp(p, "20|", 3) == 0, "%s", got.v[1].row);
    }
    run_close(&h);
    changes_free(&got);
    test_store_close(st, dir);
    arena_destroy(a);
}
END_TEST

/*
 * 100k groups through caches of 256 KiB: after every committed checkpoint the caches hold at
 * most the budget; the groups' counts all come back (from LMDB) when updated again.
 */
START_TEST(test_memory_budget)
{
    Arena *a = arena_create("test rows", 0);
    const size_t budget = 256 * 1024;
    const int ngroups = 100000, per = 2000;
    AggSpec spec;
    Harness h;
    Changes none = {0};
    char dir[64];
    StateStore *st = test_store_open(dir);
    Arena *ra = arena_create("test round", 0);
    Value *rows = arena_alloc(a, sizeof(Value) * NCOLS * (size_t)per);
    int64_t *w = arena_alloc(a, sizeof(int64_t) * (size_t)per);
    size_t bytes, entries, peak = 0;
    int64_t total = 0, emitted = 0;
    Err err;

    build_spec(a, 3, &spec);
    run_open(&h, &spec, st, true, budget, &none);
    h.sink->count_only = true;
    err_clear(&err);
    for (int round = 0; round < 2; round++) {
        for (int g0 = 0; g0 < ngroups; g0 += per) {
            for (int i = 0; i < per; i++) {
                Value *row = &rows[(size_t)i * NCOLS];

                random_row(ra, 1, row);
                /* round 0: every group once; round 1: scattered updates of old groups */
                row[0].d = datum_from_int32(round == 0 ? g0 + i : rand() % ngroups);
                w[i] = 1;
            }
            ck_assert_msg(push_rows(&h, rows, w, per, &err) == 0, "%s", err.message);
            barrier(&h);
            checkpoint(&h, true);
            total += per;
            stream_state_usage(h.t.run.state, &bytes, &entries);
            peak = bytes > peak ? bytes : peak;
            ck_assert_msg(bytes <= budget, "%zu bytes in the caches, budget %zu", bytes, budget);
            arena_reset(ra);
        }
    }
    if (getenv("RV_AGG_VERBOSE") != NULL)
        fprintf(stderr, "memory: %d groups, budget %zu, peak %zu bytes, %zu entries at the end\n",
                ngroups, budget, peak, entries);
    emitted = h.sink->rows;
    ck_assert_int_eq(emitted, total);
    ck_assert_uint_gt(peak, budget / 4);
    run_close(&h);
    test_store_close(st, dir);
    arena_destroy(ra);
    arena_destroy(a);
}
END_TEST

/*
 * Not a test: with RV_AGG_BENCH=N set, N changes into 100k groups (count(*), sum(x); with
 * RV_AGG_BENCH_MIN set, min(x) instead of sum(x): a multiset per group), a barrier and a
 * checkpoint every RV_AGG_BENCH_PER changes (10000), in-memory then persistent, printing
 * changes per second.
 */
START_TEST(test_bench)
{
    const char *env = getenv("RV_AGG_BENCH");
    long nchanges = env != NULL ? atol(env) : 0;

    if (nchanges <= 0)
        return;
    for (int persist = 0; persist < 2; persist++) {
        Arena *a = arena_create("bench rows", 0);
        AggSpec spec;
        Harness h;
        Changes none = {0};
        char dir[64];
        StateStore *st = persist ? test_store_open(dir) : NULL;
        const int per = getenv("RV_AGG_BENCH_PER") != NULL ? atoi(getenv("RV_AGG_BENCH_PER")) : 10000;
        Value *rows = arena_alloc(a, sizeof(Value) * NCOLS * (size_t)per);
        int64_t *w = arena_alloc(a, sizeof(int64_t) * (size_t)per);
        struct timespec t0, t1;
        Err err;

        build_spec(a, 3, &spec);
        if (getenv("RV_AGG_BENCH_MIN") != NULL) {
            spec.p->u.agg.aggs[1] = agg1(a, "min", 1, TYPE_INT4); /* a multiset too */
            spec.out[2] = TYPE_INT4;
        }
        run_open(&h, &spec, st, true, 0, &none);
        h.sink->count_only = true;
        for (int i = 0; i < per; i++)
            random_row(a, 100000, &rows[(size_t)i * NCOLS]);
        err_clear(&err);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long done = 0; done < nchanges; done += per) {
            for (int i = 0; i < per; i++) {
                rows[(size_t)i * NCOLS].d = datum_from_int32(rand() % 100000);
                w[i] = 1;
            }
            ck_assert_msg(push_rows(&h, rows, w, per, &err) == 0, "%s", err.message);
            barrier(&h);
            if (persist)
                checkpoint(&h, true);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("%s: %ld changes into 100k groups in %.2f s: %.0f changes/s\n",
               persist ? "persistent" : "in-memory", nchanges,
               (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
               (double)nchanges / ((double)(t1.tv_sec - t0.tv_sec) +
                                   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9));
        run_close(&h);
        if (st != NULL)
            test_store_close(st, dir);
        arena_destroy(a);
    }
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("op_agg_state");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_scalar_empty_once);
    tcase_add_test(tc, test_key_spelling_and_min);
    tcase_add_test(tc, test_insert_only);
    tcase_add_test(tc, test_random_grouped);
    tcase_add_test(tc, test_watermark_cleanup);
    tcase_add_test(tc, test_random_scalar);
    tcase_add_test(tc, test_random_text_keys);
    tcase_add_test(tc, test_random_long_keys);
    tcase_add_test(tc, test_memory_budget);
    tcase_add_test(tc, test_bench);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
