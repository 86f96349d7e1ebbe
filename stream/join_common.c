/*
 * stream/join_common.c — the parts of the Join operator that do not depend
 * on where its state lives, shared by stream/op_join.c and
 * stream/op_join_state.c (see stream/join_int.h and stream/op_join.c for
 * the delta rule).
 *
 * Invariants: those of stream/join_int.h.
 */
#include <string.h>

#include "sql/types.h"
#include "stream/join_int.h"
#include "stream/joinstate.h"

void
joincore_init(JoinCore *jc, Operator *op)
{
    const PlanNode *p = op->node->plan;
    Arena *a = op->run->arena;

    jc->op = op;
    planner_join_keys(a, p, &jc->keys);
    for (int s = 0; s < 2; s++) {
        const PlanNode *in = s == 0 ? p->input : p->right;
        JoinSideDesc *side = &jc->side[s];

        side->ncols = in->ncols;
        side->offset = s == 0 ? 0 : p->input->ncols;
        side->is_preserved = p->jointype == PLAN_JOIN_FULL ||
                             p->jointype == (s == 0 ? PLAN_JOIN_LEFT : PLAN_JOIN_RIGHT);
        side->has_byref = false;
        side->keys = s == 0 ? jc->keys.left : jc->keys.right;
        side->orders = arena_calloc(a, (size_t)in->ncols + 1, sizeof(TypeOrder));
        side->types = arena_calloc(a, (size_t)in->ncols + 1, sizeof(Oid));
        for (int c = 0; c < in->ncols; c++) {
            const TypeInfo *ti = type_by_oid(in->types[c]);

            (void)plan_type_order(in->types[c], &side->orders[c]);
            side->types[c] = in->types[c];
            side->has_byref = side->has_byref || ti == NULL || !ti->byval;
        }
    }
    jc->row = arena_calloc(a, (size_t)p->ncols + 1, sizeof(Value));
    jc->pad = arena_calloc(a, (size_t)p->ncols + 1, sizeof(Value));
}

int
joincore_change_key(JoinCore *jc, int s, const Value *row, int64_t w, bool *has_key, uint64_t *h,
                    Err *err)
{
    JoinSideDesc *side = &jc->side[s];
    EvalCtx *ctx = &jc->op->run->ctx;

    *has_key = true;
    *h = JOINSTATE_SEED;
    if (jc->keys.nkeys == 0)
        return 0;
    memcpy(jc->row + side->offset, row, sizeof(Value) * (size_t)side->ncols);
    ctx->row = jc->row;
    ctx->ncols = jc->op->ncols;
    for (int k = 0; k < jc->keys.nkeys; k++) {
        Value v;

        if (expr_eval(side->keys[k], ctx, &v.d, &v.isnull, err) < 0) {
            ctx->row = NULL;
            return -1;
        }
        if (v.isnull) {
            *has_key = false;
            break;
        }
        *h = joinstate_hash_add(*h, jc->keys.types[k], &v, k);
    }
    ctx->row = NULL;
    if (!*has_key && side->is_preserved)
        return joincore_emit_padded(jc, s, row, w, err);
    return 0;
}

int
joincore_pred_holds(JoinCore *jc, bool *holds, Err *err)
{
    const Expr *pred = jc->op->node->plan->u.pred;
    EvalCtx *ctx = &jc->op->run->ctx;
    Datum d;
    bool isnull;

    *holds = true;
    if (pred == NULL)
        return 0;
    ctx->row = jc->row;
    ctx->ncols = jc->op->ncols;
    if (expr_eval(pred, ctx, &d, &isnull, err) < 0) {
        ctx->row = NULL;
        return -1;
    }
    ctx->row = NULL;
    *holds = !isnull && datum_get_bool(d);
    return 0;
}

int
joincore_emit_padded(JoinCore *jc, int s, const Value *row, int64_t w, Err *err)
{
    JoinSideDesc *side = &jc->side[s];

    for (int c = 0; c < jc->op->ncols; c++)
        jc->pad[c] = (Value){.d = 0, .isnull = true};
    memcpy(jc->pad + side->offset, row, sizeof(Value) * (size_t)side->ncols);
    return op_output(jc->op, jc->pad, w, err);
}
