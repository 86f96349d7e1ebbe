/*
 * stream/op_scan.c — source operator reading a stored table or source: the
 * relation's log (stream/engine.h) decoded row by row (sql/rowcodec.h).
 *
 * Delta rule: today a table is insert-only, so its contents at the start
 * of the run are exactly its log: every record is a +1 change, emitted at
 * the first barrier. Tables with primary keys (upserts, deletes) will be
 * read from their LMDB state instead of replaying the log.
 *
 * Key lookups: under a Filter whose conjuncts pin the relation's key (or
 * bound its first column), planner/scankey.c gives the scan the bounds and a
 * one-shot scan reads only those keys of a keyed view or primary-key table
 * (stream/engine_key.h); the Filter still runs on what it reads.
 *
 * Invariants:
 *   1. The scan sees the records durable when it starts; an INSERT that
 *      returned before the scan started is durable, so a session reads its
 *      own writes.
 *   2. By-reference values are copied into the run's arena: log reader
 *      buffers are reused from record to record.
 */
#include <limits.h>

#include "common/errcodes.h"
#include "planner/scankey.h"
#include "sql/rowcodec.h"
#include "stream/engine.h"
#include "stream/engine_key.h"
#include "stream/stream_int.h"

typedef struct ScanOp {
    Operator op;
    bool done;
    Value *row;
    bool *byref; /* per column: copy the value out */
} ScanOp;

static int
scan_push(Operator *op, int port, const Batch *in, Err *err)
{
    (void)op, (void)port, (void)in;
    return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "a scan has no input");
}

static int
scan_record(void *arg, const uint8_t *rec, uint32_t len, Err *err)
{
    ScanOp *s = arg;
    const PlanNode *p = s->op.node->plan;
    Arena *a = s->op.run->arena;

    if (len < SQL_REC_HEADER || rec[0] != SQL_REC_INSERT || rec[1] != SQL_REC_VERSION)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed record in the log of \"%s\"",
                         p->u.scan.relname);
    if (rowcodec_decode(rec + SQL_REC_HEADER, len - SQL_REC_HEADER, p->types, p->ncols, a, s->row,
                        err) < 0)
        return -1;
    for (int c = 0; c < p->ncols; c++) {
        if (s->byref[c] && !s->row[c].isnull)
            s->row[c].d = datum_copy(a, s->row[c].d, false);
    }
    return op_output(&s->op, s->row, 1, err);
}

static bool
is_int(Oid t)
{
    return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8;
}

/*
 * Evaluates bound x (side '=', '>' lower or '<' upper) of a column of type type into *v:
 * 1 the bound holds, 0 it is dropped (an integer beyond the column's range on the open side),
 * 2 no row can satisfy it (NULL, or beyond the range on the other side), -1 on error.
 */
static int
eval_bound(EvalCtx *ctx, const Expr *x, Oid type, char side, Value *v, Err *err)
{
    int64_t i, lo, hi;

    ctx->row = NULL;
    if (expr_eval(x, ctx, &v->d, &v->isnull, err) < 0)
        return -1;
    if (v->isnull)
        return 2; /* a comparison with NULL holds for no row */
    if (x->type == type)
        return 1;
    if (!is_int(type) || !is_int(x->type))
        return 0;
    i = x->type == TYPE_INT2 ? datum_get_int16(v->d)
        : x->type == TYPE_INT4 ? datum_get_int32(v->d)
                               : datum_get_int64(v->d);
    lo = type == TYPE_INT2 ? INT16_MIN : type == TYPE_INT4 ? INT32_MIN : INT64_MIN;
    hi = type == TYPE_INT2 ? INT16_MAX : type == TYPE_INT4 ? INT32_MAX : INT64_MAX;
    if (i < lo)
        return side == '<' || side == '=' ? 2 : 0;
    if (i > hi)
        return side == '>' || side == '=' ? 2 : 0;
    v->d = type == TYPE_INT2 ? datum_from_int16((int16_t)i)
           : type == TYPE_INT4 ? datum_from_int32((int32_t)i)
                               : datum_from_int64(i);
    return 1;
}

/*
 * A one-shot scan under a Filter that bounds the relation's key: only those keys
 * (stream/engine_key.h). 0 done, 2 not possible (scan), 1 dropped, -1 error.
 */
static int
scan_by_key(ScanOp *s, Engine *e, uint64_t id, Err *err)
{
    const ScanBounds *b = s->op.node->bounds;
    const PlanNode *p = s->op.node->plan;
    EvalCtx *ctx = &s->op.run->ctx;
    ScanKeyCol *cols;
    ScanKeyReq req;
    int rc;

    if (b == NULL || !s->op.run->one_shot || b->ncols != p->ncols)
        return 2;
    cols = arena_calloc(s->op.run->arena, (size_t)(p->ncols ? p->ncols : 1), sizeof *cols);
    for (int c = 0; c < p->ncols; c++) {
        const ScanColBound *cb = &b->cols[c];

        if (cb->eq != NULL) {
            if ((rc = eval_bound(ctx, cb->eq, p->types[c], '=', &cols[c].eq, err)) < 0)
                goto fallback;
            if (rc == 2)
                return 0; /* no row */
            cols[c].has_eq = rc == 1;
        }
        if (cb->lo != NULL) {
            if ((rc = eval_bound(ctx, cb->lo, p->types[c], '>', &cols[c].lo, err)) < 0)
                goto fallback;
            if (rc == 2)
                return 0;
            cols[c].has_lo = rc == 1;
            cols[c].lo_incl = cb->lo_incl;
        }
        if (cb->hi != NULL) {
            if ((rc = eval_bound(ctx, cb->hi, p->types[c], '<', &cols[c].hi, err)) < 0)
                goto fallback;
            if (rc == 2)
                return 0;
            cols[c].has_hi = rc == 1;
            cols[c].hi_incl = cb->hi_incl;
        }
    }
    req.ncols = p->ncols;
    req.cols = cols;
    return engine_scan_key(e, id, &req, scan_record, s, err);
fallback:
    /* a bound that fails to evaluate: the Filter evaluates it (or not) row by row, as always */
    err_clear(err);
    return 2;
}

static int
scan_flush(Operator *op, Err *err)
{
    ScanOp *s = (ScanOp *)op;
    Engine *e = engine_current();
    const PlanNode *p = op->node->plan;
    uint64_t id = p->u.scan.relid;
    int rc;

    if (s->done)
        return 0;
    s->done = true;
    if (e == NULL)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                         "tables are not available: no storage engine is running");
    if ((rc = scan_by_key(s, e, id, err)) <= 0)
        return rc; /* read by key (or no row can match) */
    /* dropped and created again since the statement was bound: the same shape will do */
    while ((rc = engine_scan(e, id, scan_record, s, err)) > 0) {
        uint64_t old = id;

        if (sql_relation_rebind(p->u.scan.relname, p->types, p->typmods, p->ncols, NULL, &id,
                                err) < 0)
            return -1;
        if (id == old)
            return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "relation %s vanished",
                             p->u.scan.relname);
    }
    return rc;
}

static const OpVtbl scan_vt = {"scan", scan_push, scan_flush};

Operator *
op_scan_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    ScanOp *s = op_alloc(run, sizeof(ScanOp), &scan_vt, node, p->ncols);

    s->row = arena_calloc(run->arena, (size_t)(p->ncols ? p->ncols : 1), sizeof(Value));
    s->byref = arena_calloc(run->arena, (size_t)(p->ncols ? p->ncols : 1), sizeof(bool));
    for (int c = 0; c < p->ncols; c++) {
        const TypeInfo *t = type_by_oid(p->types[c]);

        s->byref[c] = t != NULL && !t->byval;
    }
    return &s->op;
}
