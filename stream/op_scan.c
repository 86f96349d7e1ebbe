/*
 * stream/op_scan.c — source operator reading a stored table or source: the
 * relation's log (stream/engine.h) decoded row by row (sql/rowcodec.h).
 *
 * Delta rule: today a table is insert-only, so its contents at the start
 * of the run are exactly its log: every record is a +1 change, emitted at
 * the first barrier. Tables with primary keys (upserts, deletes) will be
 * read from their LMDB state instead of replaying the log.
 *
 * Invariants:
 *   1. The scan sees the records durable when it starts; an INSERT that
 *      returned before the scan started is durable, so a session reads its
 *      own writes.
 *   2. By-reference values are copied into the run's arena: log reader
 *      buffers are reused from record to record.
 */
#include "common/errcodes.h"
#include "sql/rowcodec.h"
#include "stream/engine.h"
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
