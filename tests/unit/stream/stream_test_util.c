/*
 * tests/unit/stream/stream_test_util.c — see stream_test_util.h.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/catalog.h"
#include "stream/engine.h"
#include "stream_test_util.h"

typedef struct Capture {
    Operator op;
    char text[8192];
    size_t len;
} Capture;

static int
capture_push(Operator *op, int port, const Batch *in, Err *err)
{
    Capture *c = (Capture *)op;

    (void)port, (void)err;
    for (int i = 0; i < in->n; i++) {
        const Value *row = batch_row(in, i);

        c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "%+lld (",
                                   (long long)in->weights[i]);
        for (int col = 0; col < in->ncols; col++) {
            if (row[col].isnull)
                c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "%sNULL",
                                           col ? "," : "");
            else
                c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "%s%lld",
                                           col ? "," : "", (long long)datum_get_int64(row[col].d));
        }
        c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, ")\n");
    }
    return 0;
}

int
test_no_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl capture_vt = {"capture", capture_push, test_no_flush};

void
test_run_init(TestRun *t, int ncols)
{
    memset(t, 0, sizeof *t);
    t->run.arena = arena_create("test run", 0);
    t->run.ctx.arena = t->run.arena;
    t->run.scratch = t->run.arena;
    t->run.ctx.io = &type_io_default;
    t->run.one_shot = false;
    t->capture = op_alloc(&t->run, sizeof(Capture), &capture_vt, NULL, ncols);
}

void
test_run_init_state(TestRun *t, int ncols, StateStore *st, uint64_t owner, bool fresh)
{
    StreamStateOpts o = {.st = st, .owner_id = owner, .budget = 0, .fresh = fresh};
    Err err;

    test_run_init(t, ncols);
    t->st = st;
    t->run.scratch = arena_create("test scratch", 0);
    t->run.ctx.arena = t->run.scratch;
    err_clear(&err);
    if (stream_state_new(&o, &t->run.state, &err) < 0) {
        fprintf(stderr, "stream_state_new: %s\n", err.message);
        abort();
    }
}

int
test_run_checkpoint(TestRun *t, bool commit, Err *err)
{
    StateEpoch *ep = NULL;
    int rc;

    if (state_epoch_begin(t->st, state_last_epoch(t->st) + 1, &ep, err) < 0)
        return -1;
    rc = stream_state_flush(t->run.state, ep, err);
    if (rc == 0 && commit)
        rc = state_epoch_commit(ep, err);
    else
        state_epoch_abort(ep);
    stream_state_committed(t->run.state, rc == 0 && commit);
    arena_reset(t->run.scratch);
    return rc;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

void
test_tmpdir(char *dir, const char *name)
{
    snprintf(dir, 64, "/tmp/rv-%s-XXXXXX", name);
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
}

void
test_rmdir(const char *dir)
{
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

Engine *
test_engine_open(const char *dir, bool epochs_when_asked)
{
    Engine *e;
    Err err;

    err_clear(&err);
    if (engine_open(dir, &e, &err) < 0) {
        fprintf(stderr, "engine_open: %s\n", err.message);
        abort();
    }
    if (epochs_when_asked)
        engine_set_checkpoint_interval(e, 3600000);
    return e;
}

StateStore *
test_store_open(char *dir)
{
    StateStore *st = NULL;
    StateOptions o = {.map_size = (size_t)1 << 28};
    Err err;

    snprintf(dir, 64, "/tmp/rv-test-opstate-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
    err_clear(&err);
    if (state_open(dir, &o, &st, &err) < 0) {
        fprintf(stderr, "state_open: %s\n", err.message);
        abort();
    }
    return st;
}

void
test_store_close(StateStore *st, const char *dir)
{
    state_close(st);
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

void
test_run_free(TestRun *t)
{
    stream_state_free(t->run.state);
    if (t->run.scratch != NULL && t->run.scratch != t->run.arena)
        arena_destroy(t->run.scratch);
    arena_destroy(t->run.arena);
}

void
test_connect(TestRun *t, Operator *op)
{
    op->out = t->capture;
    op->out_port = 0;
}

int
test_push_ints(Operator *op, int port, int ncols, const int32_t *vals, int nrows, int64_t weight)
{
    Batch b;
    Err err;
    Arena *a = op->run->scratch != NULL ? op->run->scratch : op->run->arena;
    Value *v = arena_alloc(a, sizeof(Value) * (size_t)(ncols * nrows + 1));
    int64_t *w = arena_alloc(a, sizeof(int64_t) * (size_t)(nrows + 1));

    for (int i = 0; i < ncols * nrows; i++)
        v[i] = (Value){datum_from_int32(vals[i]), vals[i] == INT32_MIN};
    for (int i = 0; i < nrows; i++)
        w[i] = weight;
    b = (Batch){ncols, nrows, v, w};
    err_clear(&err);
    if (op->vt->push(op, port, &b, &err) < 0)
        return -1;
    return op_emit(op, &err);
}

const char *
test_take(TestRun *t)
{
    static char out[8192];
    Capture *c = (Capture *)t->capture;

    memcpy(out, c->text, c->len + 1);
    c->len = 0;
    c->text[0] = '\0';
    return out;
}

Expr *
test_col(Arena *a, int c, Oid type)
{
    Expr *e = expr_new(a, EXPR_COLUMN, type, -1);

    e->u.column = c;
    return e;
}

AggCall
test_agg(Arena *a, const char *name, Oid argtype, Expr *arg)
{
    AggCall call = {0};
    const FuncDef *f;
    int pos = 0;
    TypeOrder order;

    (void)a;
    while ((f = catalog_next_func(name, &pos)) != NULL) {
        if (agg_impl(f) != NULL &&
            (argtype == TYPE_INVALID
                 ? f->nargs == 0
                 : f->nargs == 1 && (f->args[0] == argtype || f->args[0] == TYPE_ANY)))
            break;
    }
    call.impl = agg_impl(f);
    call.def = f;
    call.nargs = argtype == TYPE_INVALID ? 0 : 1;
    call.args[0] = arg;
    call.argtype = argtype;
    call.rettype = f->ret;
    if (argtype != TYPE_INVALID && plan_type_order(argtype, &order)) {
        call.arg_eq = order.eq;
        call.arg_lt = order.lt;
    }
    return call;
}
