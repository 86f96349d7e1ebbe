/*
 * stream/op_hop.c — HOP(t, ts, slide, size [, offset]): every input row once
 * per window containing its time column, with window_start and window_end
 * appended (sql/bind_window_tvf.c binds it; sql/window_time.h aligns the
 * windows).
 *
 * Delta rule: a flat map, hop(ΔR) = Δhop(R). Stateless; every output row of
 * a change carries the change's weight, so a retraction (-1) retracts
 * exactly the rows its insertion produced.
 *
 * Invariants:
 *   1. size is a multiple of slide (the binder checks it), so a row with a
 *      non-NULL time has exactly size / slide windows; a NULL time has none.
 *   2. Windows come out in increasing start order; a window whose start or
 *      end is outside the timestamp range raises 22008 (as the TUMBLE
 *      projection does) — which one fails does not depend on the batch.
 *   3. Nothing allocates per row: times are by value and the input's
 *      by-reference columns are passed through as they are.
 */
#include "sql/window_time.h"
#include "stream/stream_int.h"

typedef struct HopOp {
    Operator op;
    Value *row; /* ncols: the input row, then window_start, window_end */
} HopOp;

static int
hop_push(Operator *op, int port, const Batch *in, Err *err)
{
    HopOp *h = (HopOp *)op;
    const PlanNode *p = op->node->plan;
    int nin = in->ncols, col = p->u.hop.column;
    int64_t slide = p->u.hop.slide, size = p->u.hop.size, n = size / slide;

    (void)port;
    for (int i = 0; i < in->n; i++) {
        const Value *r = batch_row(in, i);
        int64_t last, start, end;

        if (r[col].isnull)
            continue; /* invariant 1 */
        /* the latest window containing ts starts at its slide-aligned floor */
        if (window_start(datum_get_int64(r[col].d), slide, p->u.hop.offset, &last, err) < 0)
            return -1;
        memcpy(h->row, r, sizeof(Value) * (size_t)nin);
        for (int64_t k = n - 1; k >= 0; k--) {
            if (window_add(last, -k * slide, &start, err) < 0 ||
                window_add(start, size, &end, err) < 0)
                return -1;
            h->row[nin] = (Value){datum_from_int64(start), false};
            h->row[nin + 1] = (Value){datum_from_int64(end), false};
            if (op_output(op, h->row, in->weights[i], err) < 0)
                return -1;
        }
    }
    return 0;
}

static int
hop_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl hop_vt = {"hop", hop_push, hop_flush, true};

Operator *
op_hop_new(StreamRun *run, const DfNode *node)
{
    HopOp *h = op_alloc(run, sizeof(HopOp), &hop_vt, node, node->plan->ncols);

    h->row = arena_alloc(run->arena, sizeof(Value) * (size_t)(node->plan->ncols + 1));
    return &h->op;
}
