/*
 * stream/job.c — long-lived dataflows (stream/job.h): the planner's graph
 * with every scan replaced by an input operator, and a sink that
 * consolidates each barrier's output into a DeltaMap of rowcodec rows.
 *
 * Invariants:
 *   1. Values pushed into an input are decoded into the job's arena
 *      (by-reference values copied), so operators may keep them.
 *   2. The sink's map is emptied at the start of every barrier.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/rowcodec.h"
#include "stream/deltamap.h"
#include "stream/job.h"
#include "stream/stream_int.h"

typedef struct InputOp {
    Operator op;
    uint64_t relid;
    Value *row;
    bool *byref;
} InputOp;

typedef struct SinkOp {
    Operator op;
    const Oid *types;
    DeltaMap map;
    Buf enc;
} SinkOp;

struct StreamJob {
    StreamRun run;
    Dataflow *df;
    Operator **ops;
    int ninputs;
    InputOp **inputs;
    SinkOp *sink;
};

/* ---- input ------------------------------------------------------------------------------- */

static int
input_push(Operator *op, int port, const Batch *in, Err *err)
{
    (void)port;
    for (int i = 0; i < in->n; i++) {
        if (op_output(op, batch_row(in, i), in->weights[i], err) < 0)
            return -1;
    }
    return 0;
}

static int
input_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl input_vt = {"input", input_push, input_flush};

static InputOp *
input_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    InputOp *in = op_alloc(run, sizeof(InputOp), &input_vt, node, p->ncols);

    in->relid = p->u.scan.relid;
    in->row = arena_calloc(run->arena, (size_t)(p->ncols ? p->ncols : 1), sizeof(Value));
    in->byref = arena_calloc(run->arena, (size_t)(p->ncols ? p->ncols : 1), sizeof(bool));
    for (int c = 0; c < p->ncols; c++) {
        const TypeInfo *t = type_by_oid(p->types[c]);

        in->byref[c] = t != NULL && !t->byval;
    }
    return in;
}

/* ---- sink -------------------------------------------------------------------------------- */

static int
sink_push(Operator *op, int port, const Batch *in, Err *err)
{
    SinkOp *s = (SinkOp *)op;

    (void)port;
    for (int i = 0; i < in->n; i++) {
        buf_reset(&s->enc);
        if (rowcodec_encode(s->types, in->ncols, batch_row(in, i), &s->enc, err) < 0 ||
            deltamap_add(&s->map, s->enc.data, s->enc.len, in->weights[i], err) < 0)
            return -1;
    }
    return 0;
}

static int
sink_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl sink_vt = {"sink", sink_push, sink_flush};

/* ---- the job ----------------------------------------------------------------------------- */

int
stream_job_new(const PlanNode *plan, const EvalCtx *ctx, StreamJob **out, Err *err)
{
    StreamJob *j = calloc(1, sizeof *j);
    int rc = 0;

    *out = NULL;
    if (j == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    j->run.arena = arena_create("job", 0);
    j->run.ctx = *ctx;
    j->run.ctx.arena = j->run.arena;
    j->run.ctx.row = NULL;
    j->run.one_shot = false;
    j->sink = op_alloc(&j->run, sizeof(SinkOp), &sink_vt, NULL, plan->ncols);
    j->sink->types = plan->types;
    deltamap_init(&j->sink->map);
    buf_init(&j->sink->enc, BUF_DEFAULT_MAX);
    j->run.collector = &j->sink->op;
    if (planner_build_view(plan, j->run.arena, &j->df, err) < 0) {
        stream_job_free(j);
        return -1;
    }
    j->ops = arena_calloc(j->run.arena, (size_t)j->df->nnodes + 1, sizeof(Operator *));
    j->inputs = arena_calloc(j->run.arena, (size_t)j->df->nnodes + 1, sizeof(InputOp *));
    for (int i = 0; rc == 0 && i < j->df->nnodes; i++) {
        const DfNode *n = &j->df->nodes[i];

        if (n->kind == DF_SCAN) {
            j->inputs[j->ninputs] = input_new(&j->run, n);
            j->ops[i] = &j->inputs[j->ninputs++]->op;
        } else if ((j->ops[i] = stream_make_operator(&j->run, n)) == NULL)
            rc = ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "cannot build operator %d", i);
    }
    for (int i = 0; rc == 0 && i < j->df->nnodes; i++) {
        const DfNode *n = &j->df->nodes[i];

        j->ops[i]->out = n->output >= 0 ? j->ops[n->output] : j->run.collector;
        j->ops[i]->out_port = n->output_port;
    }
    if (rc < 0) {
        stream_job_free(j);
        return -1;
    }
    *out = j;
    return 0;
}

void
stream_job_free(StreamJob *j)
{
    if (j == NULL)
        return;
    if (j->sink != NULL) {
        deltamap_free(&j->sink->map);
        buf_free(&j->sink->enc);
    }
    arena_destroy(j->run.arena);
    free(j);
}

int
stream_job_ninputs(const StreamJob *j)
{
    return j->ninputs;
}

uint64_t
stream_job_input_relid(const StreamJob *j, int i)
{
    return j->inputs[i]->relid;
}

int
stream_job_push(StreamJob *j, int input, const uint8_t *row, size_t len, int64_t weight,
                Err *err)
{
    InputOp *in = j->inputs[input];
    const PlanNode *p = in->op.node->plan;
    Arena *a = j->run.arena;

    if (rowcodec_decode(row, len, p->types, p->ncols, a, in->row, err) < 0)
        return -1;
    for (int c = 0; c < p->ncols; c++) {
        if (in->byref[c] && !in->row[c].isnull)
            in->row[c].d = datum_copy(a, in->row[c].d, false);
    }
    return op_output(&in->op, in->row, weight, err);
}

int
stream_job_barrier(StreamJob *j, StreamDeltaFn fn, void *arg, Err *err)
{
    const uint8_t *row;
    size_t len, pos = 0;
    int64_t w;

    deltamap_reset(&j->sink->map);
    for (int i = 0; i < j->df->nnodes; i++) {
        if (j->ops[i]->vt->flush(j->ops[i], err) < 0 || op_emit(j->ops[i], err) < 0)
            return -1;
    }
    while (deltamap_next(&j->sink->map, &pos, &row, &len, &w)) {
        if (fn(arg, row, len, w, err) < 0)
            return -1;
    }
    return 0;
}
