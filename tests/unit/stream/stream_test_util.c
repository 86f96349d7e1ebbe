/*
 * tests/unit/stream/stream_test_util.c — see stream_test_util.h.
 */
#include <stdio.h>
#include <string.h>

#include "sql/catalog.h"
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

static int
capture_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl capture_vt = {"capture", capture_push, capture_flush};

void
test_run_init(TestRun *t, int ncols)
{
    memset(t, 0, sizeof *t);
    t->run.arena = arena_create("test run", 0);
    t->run.ctx.arena = t->run.arena;
    t->run.ctx.io = &type_io_default;
    t->run.one_shot = false;
    t->capture = op_alloc(&t->run, sizeof(Capture), &capture_vt, NULL, ncols);
}

void
test_run_free(TestRun *t)
{
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
    Value *v = arena_alloc(op->run->arena, sizeof(Value) * (size_t)(ncols * nrows + 1));
    int64_t *w = arena_alloc(op->run->arena, sizeof(int64_t) * (size_t)(nrows + 1));

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
