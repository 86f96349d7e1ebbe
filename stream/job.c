/*
 * stream/job.c — long-lived dataflows (stream/job.h): the planner's graph
 * with every scan replaced by an input operator, and a sink that
 * consolidates each barrier's output into a DeltaMap of rowcodec rows.
 *
 * Persistent or not: the operators are built with run.state set; if any of
 * them cannot keep its state in state tables (OpVtbl.persistent false), the
 * job is built again without, and keeps everything in memory.
 *
 * Invariants:
 *   1. Values pushed into an input are decoded into run.scratch: the job's
 *      arena for an in-memory job (operators may keep them), the per-barrier
 *      arena of a persistent one (emptied after the barrier).
 *   2. The sink's map collects everything the operators emit between two barriers
 *      (while rows are pushed, and at the barrier; appended, consolidated once at the
 *      barrier); it is emptied after the barrier delivered it (or failed).
 *   3. A persistent job's state tables carry the fingerprint of the graph
 *      that wrote them ("t<id>.om", key "fp"); a job of another shape never
 *      reads them.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/rowcodec.h"
#include "stream/deltamap.h"
#include "stream/job.h"
#include "stream/opstate.h"
#include "stream/stream_int.h"

/* Bumped when an operator's state format changes: older state is rebuilt, never misread. */
#define JOB_STATE_FORMAT 1

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
    bool persistent;
    bool fresh; /* started empty; not yet committed */
    bool dirty; /* state changed since the last flush */
    uint64_t fingerprint;
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

static const OpVtbl input_vt = {"input", input_push, input_flush, true};

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
            deltamap_append(&s->map, s->enc.data, s->enc.len, in->weights[i], err) < 0)
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

static const OpVtbl sink_vt = {"sink", sink_push, sink_flush, true};

/* ---- the job ----------------------------------------------------------------------------- */

/* FNV-1a over the graph's shape: node kinds, widths, wiring, column types, watermarks. */
static uint64_t
graph_fingerprint(const Dataflow *df, const StreamRun *run)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    int64_t words[6];

#define MIX(v)                                                                                     \
    do {                                                                                           \
        uint64_t x_ = (uint64_t)(v);                                                               \
        for (int b_ = 0; b_ < 8; b_++) {                                                           \
            h ^= (x_ >> (8 * b_)) & 0xff;                                                          \
            h *= 0x100000001b3ULL;                                                                 \
        }                                                                                          \
    } while (0)
    MIX(JOB_STATE_FORMAT);
    MIX(df->nnodes);
    for (int i = 0; i < df->nnodes; i++) {
        const DfNode *n = &df->nodes[i];
        const PlanNode *p = n->plan;

        words[0] = n->kind, words[1] = n->output, words[2] = n->output_port;
        words[3] = p != NULL ? (int64_t)p->kind : -1, words[4] = p != NULL ? p->ncols : -1;
        words[5] = n->sort != NULL ? 1 + 2 * (n->limit != NULL) : 0;
        for (int w = 0; w < 6; w++)
            MIX(words[w]);
        for (int c = 0; p != NULL && c < p->ncols; c++)
            MIX(p->types[c]);
    }
    /* an aggregate over inserts only keeps no min / max multisets */
    for (int i = 0; run->insert_only != NULL && i < df->nnodes; i++) {
        if (run->insert_only[df->nodes[i].id])
            MIX(0x494e534552544fULL + (uint64_t)df->nodes[i].id);
    }
    /* where watermarks are known decides how some operators lay out their state */
    for (int i = 0; i < run->nwm; i++) {
        MIX(run->wm[i].node);
        MIX(run->wm[i].port);
        MIX(run->wm[i].col);
    }
#undef MIX
    return h;
}

/* ---- watermarks ---------------------------------------------------------------------------- */

int
stream_wm_input_col(const StreamRun *run, const DfNode *node, int port, int col)
{
    for (int i = 0; run != NULL && node != NULL && i < run->nwm; i++) {
        const StreamWmInput *w = &run->wm[i];

        if (w->node == node->id && w->port == port && (col < 0 || w->col == col))
            return w->col;
    }
    return -1;
}

/* Every node input column that derives a watermark from an input relation's (j->run.wm). */
static void
plan_watermarks(StreamJob *j, const StreamJobOpts *opts)
{
    const Dataflow *df = j->df;
    int cap = 0;

    j->run.wm = NULL;
    j->run.nwm = 0;
    if (opts == NULL || opts->wm_lookup == NULL)
        return;
    for (int i = 0; i < df->nnodes; i++) {
        const DfNode *src = &df->nodes[i];
        SqlWmColumn **cols;

        if (src->output < 0 || src->plan == NULL)
            continue;
        cols = sql_watermark_columns(src->plan, opts->wm_lookup, opts->wm_arg, j->run.arena);
        for (int c = 0; c < src->plan->ncols; c++) {
            if (cols[c] == NULL)
                continue;
            if (j->run.nwm == cap) {
                StreamWmInput *g;

                cap = cap ? cap * 2 : 8;
                g = arena_calloc(j->run.arena, (size_t)cap, sizeof *g);
                if (j->run.nwm > 0)
                    memcpy(g, j->run.wm, sizeof *g * (size_t)j->run.nwm);
                j->run.wm = g;
            }
            j->run.wm[j->run.nwm++] =
                (StreamWmInput){src->output, src->output_port, c, cols[c], false, 0};
        }
    }
}

/*
 * True when p's output is inserts only, ever: it reads only relations opts says receive
 * inserts only, through operators that never retract what they emitted.
 */
static bool
plan_insert_only(const PlanNode *p, const StreamJobOpts *opts)
{
    if (p == NULL)
        return false;
    switch (p->kind) {
    case PLAN_SCAN:
        return opts->insert_only(opts->wm_arg, p->u.scan.relid);
    case PLAN_FILTER:
    case PLAN_PROJECT:
    case PLAN_HOP:
        return plan_insert_only(p->input, opts);
    case PLAN_JOIN: /* outer joins retract padded rows */
        return p->jointype == PLAN_JOIN_INNER && plan_insert_only(p->input, opts) &&
               plan_insert_only(p->right, opts);
    default:
        return false; /* aggregates, top-N, windows, sessions, temporal filters, set ops ... */
    }
}

/* Which nodes' input port 0 is insert-only (j->run.insert_only); aggregates only for now. */
static void
plan_insert_only_inputs(StreamJob *j, const StreamJobOpts *opts)
{
    bool *io;

    j->run.insert_only = NULL;
    if (opts == NULL || opts->insert_only == NULL)
        return;
    io = arena_calloc(j->run.arena, (size_t)j->df->nnodes + 1, sizeof(bool));
    for (int i = 0; i < j->df->nnodes; i++) {
        const DfNode *n = &j->df->nodes[i];

        io[n->id] = n->kind == DF_AGG && n->plan != NULL && n->plan->kind == PLAN_AGG &&
                    plan_insert_only(n->plan->input, opts);
    }
    j->run.insert_only = io;
}

/* Builds the operators of j->df into j->run; false in *all_persistent when one is not. */
static int
build_ops(StreamJob *j, const PlanNode *plan, const StreamJobOpts *opts, bool *all_persistent,
          Err *err)
{
    int rc = 0;

    *all_persistent = true;
    j->ninputs = 0;
    j->sink = op_alloc(&j->run, sizeof(SinkOp), &sink_vt, NULL, plan->ncols);
    j->sink->types = plan->types;
    deltamap_init(&j->sink->map);
    buf_init(&j->sink->enc, BUF_DEFAULT_MAX);
    j->run.collector = &j->sink->op;
    if (planner_build_view(plan, j->run.arena, &j->df, err) < 0)
        return -1;
    plan_watermarks(j, opts);
    plan_insert_only_inputs(j, opts);
    j->ops = arena_calloc(j->run.arena, (size_t)j->df->nnodes + 1, sizeof(Operator *));
    j->inputs = arena_calloc(j->run.arena, (size_t)j->df->nnodes + 1, sizeof(InputOp *));
    for (int i = 0; rc == 0 && i < j->df->nnodes; i++) {
        const DfNode *n = &j->df->nodes[i];

        if (n->kind == DF_SCAN) {
            j->inputs[j->ninputs] = input_new(&j->run, n);
            j->ops[i] = &j->inputs[j->ninputs++]->op;
        } else if ((j->ops[i] = stream_make_operator(&j->run, n)) == NULL)
            rc = ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "cannot build operator %d", i);
        else if (!j->ops[i]->vt->persistent)
            *all_persistent = false;
    }
    for (int i = 0; rc == 0 && i < j->df->nnodes; i++) {
        const DfNode *n = &j->df->nodes[i];

        j->ops[i]->out = n->output >= 0 ? j->ops[n->output] : j->run.collector;
        j->ops[i]->out_port = n->output_port;
    }
    return rc;
}

/* Drops what build_ops made (the arena's contents and the sink's own memory). */
static void
unbuild_ops(StreamJob *j)
{
    if (j->sink != NULL) {
        deltamap_free(&j->sink->map);
        buf_free(&j->sink->enc);
        j->sink = NULL;
    }
    arena_reset(j->run.arena);
    j->df = NULL;
    j->run.wm = NULL;
    j->run.nwm = 0;
    j->ops = NULL;
    j->inputs = NULL;
    j->ninputs = 0;
}

int
stream_job_new(const PlanNode *plan, const EvalCtx *ctx, const StreamJobOpts *opts,
               StreamJob **out, Err *err)
{
    StreamJob *j = calloc(1, sizeof *j);
    bool all = false;

    *out = NULL;
    if (j == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    j->run.arena = arena_create("job", 0);
    j->run.ctx = *ctx;
    j->run.ctx.row = NULL;
    j->run.one_shot = false;
    if (opts != NULL && opts->st != NULL) {
        StreamStateOpts so = {opts->st, opts->owner_id, opts->budget, opts->fresh};

        if (stream_state_new(&so, &j->run.state, err) < 0) {
            stream_job_free(j);
            return -1;
        }
        j->run.scratch = arena_create("job barrier", 0);
        j->run.ctx.arena = j->run.scratch;
        if (build_ops(j, plan, opts, &all, err) < 0) {
            stream_job_free(j);
            return -1;
        }
        if (!all) { /* some operator keeps memory state: the whole job does */
            unbuild_ops(j);
            stream_state_free(j->run.state);
            j->run.state = NULL;
            arena_destroy(j->run.scratch);
        }
    }
    if (!all) {
        j->run.scratch = j->run.arena;
        j->run.ctx.arena = j->run.arena;
        if (build_ops(j, plan, opts, &all, err) < 0) {
            stream_job_free(j);
            return -1;
        }
        *out = j;
        return 0;
    }
    j->persistent = true;
    j->fingerprint = graph_fingerprint(j->df, &j->run);
    j->fresh = opts->fresh;
    if (j->fresh) {
        StateCache *meta;
        uint8_t fp[8];

        for (int b = 0; b < 8; b++)
            fp[b] = (uint8_t)(j->fingerprint >> (56 - 8 * b));
        if (stream_state_meta(j->run.state, &meta, err) < 0 ||
            statecache_put(meta, "fp", 2, fp, 8, err) < 0) {
            stream_job_free(j);
            return -1;
        }
        j->dirty = true;
    }
    *out = j;
    return 0;
}

bool
stream_job_persistent(const StreamJob *j)
{
    return j->persistent;
}

bool
stream_job_time_driven(const StreamJob *j)
{
    for (int i = 0; j != NULL && i < j->df->nnodes; i++) {
        if (j->df->nodes[i].kind == DF_TEMPORAL) /* stream/op_temporal.c */
            return true;
    }
    return false;
}

int
stream_job_state_valid(StreamJob *j, Err *err)
{
    StateCache *meta;
    StateBytes v;
    uint64_t fp = 0;
    int rc;

    if (!j->persistent)
        return 0;
    if (stream_state_meta(j->run.state, &meta, err) < 0 ||
        (rc = statecache_get(meta, "fp", 2, &v, err)) < 0)
        return -1;
    if (rc == 1 && v.len == 8) {
        for (int b = 0; b < 8; b++)
            fp = fp << 8 | ((const uint8_t *)v.data)[b];
    }
    /* no snapshot may stay open between epochs (the engine commits, or closes the store) */
    if (stream_state_release(j->run.state, err) < 0)
        return -1;
    return rc == 1 && v.len == 8 && fp == j->fingerprint;
}

bool
stream_job_needs_flush(const StreamJob *j)
{
    return j->persistent && (j->dirty || j->fresh);
}

int
stream_job_flush_state(StreamJob *j, StateEpoch *ep, Err *err)
{
    if (!j->persistent)
        return 0;
    return stream_state_flush(j->run.state, ep, err);
}

void
stream_job_committed(StreamJob *j, bool ok)
{
    if (!j->persistent)
        return;
    stream_state_committed(j->run.state, ok);
    if (ok)
        j->fresh = j->dirty = false;
}

void
stream_job_release(StreamJob *j)
{
    Err ignored;

    err_clear(&ignored);
    if (j->persistent)
        (void)stream_state_release(j->run.state, &ignored);
}

size_t
stream_job_state_bytes(const StreamJob *j)
{
    size_t bytes, entries;

    stream_state_usage(j->run.state, &bytes, &entries);
    return bytes;
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
    stream_state_free(j->run.state);
    if (j->run.scratch != NULL && j->run.scratch != j->run.arena)
        arena_destroy(j->run.scratch);
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
    Arena *a = j->run.scratch;

    if (rowcodec_decode(row, len, p->types, p->ncols, a, in->row, err) < 0)
        return -1;
    for (int c = 0; c < p->ncols; c++) { /* values still in the row's bytes: copied once */
        if (in->byref[c] && !in->row[c].isnull &&
            (uintptr_t)in->row[c].d - (uintptr_t)row < len)
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

    /* the map already holds what operators emitted while rows were pushed (invariant 2) */
    for (int i = 0; i < j->df->nnodes; i++) {
        if (j->ops[i]->vt->flush(j->ops[i], err) < 0 || op_emit(j->ops[i], err) < 0) {
            deltamap_reset(&j->sink->map);
            return -1;
        }
    }
    if (deltamap_consolidate(&j->sink->map, err) < 0) { /* appended by sink_push */
        deltamap_reset(&j->sink->map);
        return -1;
    }
    while (deltamap_next(&j->sink->map, &pos, &row, &len, &w)) {
        if (fn(arg, row, len, w, err) < 0) {
            deltamap_reset(&j->sink->map);
            return -1;
        }
    }
    deltamap_reset(&j->sink->map);
    if (j->persistent) {
        j->dirty = true;
        arena_reset(j->run.scratch);
    }
    return 0;
}

int
stream_job_watermark(StreamJob *j, StreamWmValueFn fn, void *arg, Err *err)
{
    int rc = 0;

    for (int i = 0; rc == 0 && i < j->run.nwm; i++) {
        StreamWmInput *w = &j->run.wm[i];
        Operator *op = j->ops[w->node];
        Datum v;

        if (op->vt->watermark == NULL)
            continue;
        /* 0: a relation it derives from has none yet; the value is the smallest of them */
        if ((rc = sql_watermark_value(w->derive, &j->run.ctx, fn, arg, &v, err)) <= 0) {
            rc = rc < 0 ? -1 : 0;
            continue;
        }
        rc = 0;
        if (w->has_last && w->last == v)
            continue;
        w->has_last = true;
        w->last = v;
        rc = op->vt->watermark(op, w->port, w->col, v, err);
        if (j->persistent)
            j->dirty = true;
    }
    if (j->persistent)
        arena_reset(j->run.scratch);
    return rc;
}
