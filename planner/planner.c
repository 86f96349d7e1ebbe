/*
 * planner/planner.c — the logical plan → dataflow graph translation (see
 * planner/planner.h and planner/README.md).
 *
 * Invariants:
 *   1. Nodes are appended after their inputs (post-order), which is the
 *      topological order the runtime flushes in.
 *   2. Only the outermost Limit and Sort are lifted into the collector.
 */
#include "planner/planner.h"
#include "common/errcodes.h"
#include "planner/planner_int.h"
#include "planner/scankey.h"

typedef struct Builder {
    Arena *arena;
    DfNode *nodes;
    int n, cap;
    Err *err;
} Builder;

static int
add_node(Builder *b, DfKind kind, const PlanNode *plan)
{
    if (b->n == b->cap) {
        int cap = b->cap ? b->cap * 2 : 16;
        DfNode *nodes = arena_calloc(b->arena, (size_t)cap, sizeof(DfNode));

        for (int i = 0; i < b->n; i++)
            nodes[i] = b->nodes[i];
        b->nodes = nodes;
        b->cap = cap;
    }
    b->nodes[b->n] = (DfNode){kind, plan, NULL, NULL, -1, 0, b->n};
    return b->n++;
}

static void
connect(Builder *b, int from, int to, int port)
{
    b->nodes[from].output = to;
    b->nodes[from].output_port = port;
}

/* Returns the index of the node producing p's rows, or -1 on error. */
static int
build(Builder *b, const PlanNode *p)
{
    int in, right, me;
    const PlanNode *pushed;

    switch (p->kind) {
    case PLAN_VALUES:
        return add_node(b, DF_VALUES, p);
    case PLAN_SERIES:
        return add_node(b, DF_SERIES, p);
    case PLAN_SCAN:
        return add_node(b, DF_SCAN, p);
    case PLAN_FILTER:
    case PLAN_PROJECT:
    case PLAN_AGG:
    case PLAN_WINDOW:
    case PLAN_HOP:
    case PLAN_SESSION:
    case PLAN_TEMPORAL_FILTER:
        if (p->kind == PLAN_FILTER && (pushed = planner_push_filter(b->arena, p)) != p)
            return build(b, pushed); /* a WHERE below a subquery's select list */
        if (p->kind == PLAN_FILTER && (pushed = planner_push_filter_join(b->arena, p)) != p)
            return build(b, pushed); /* a WHERE into an inner join: keys, or onto a side */
        if ((in = build(b, p->input)) < 0)
            return -1;
        if (p->kind == PLAN_FILTER && b->nodes[in].kind == DF_SCAN) /* key lookups */
            b->nodes[in].bounds = planner_scan_bounds(b->arena, p);
        me = add_node(b,
                      p->kind == PLAN_FILTER    ? DF_FILTER
                      : p->kind == PLAN_PROJECT ? DF_PROJECT
                      : p->kind == PLAN_WINDOW  ? DF_WINDOW
                      : p->kind == PLAN_HOP     ? DF_HOP
                      : p->kind == PLAN_SESSION ? DF_SESSION
                      : p->kind == PLAN_TEMPORAL_FILTER ? DF_TEMPORAL
                                                : DF_AGG,
                      p);
        connect(b, in, me, 0);
        return me;
    case PLAN_JOIN:
    case PLAN_SETOP:
    case PLAN_MARKJOIN:
        if ((in = build(b, p->input)) < 0 || (right = build(b, p->right)) < 0)
            return -1;
        me = add_node(b,
                      p->kind == PLAN_JOIN    ? DF_JOIN
                      : p->kind == PLAN_SETOP ? DF_SETOP
                                              : DF_MARKJOIN,
                      p);
        connect(b, in, me, 0);
        connect(b, right, me, 1);
        return me;
    case PLAN_SORT:
    case PLAN_LIMIT: {
        const PlanNode *limit = p->kind == PLAN_LIMIT ? p : NULL;
        const PlanNode *sort = limit != NULL && p->input->kind == PLAN_SORT ? p->input
                               : limit == NULL                              ? p
                                                                            : NULL;
        const PlanNode *below = sort != NULL ? sort->input : limit->input;

        if ((in = build(b, below)) < 0)
            return -1;
        me = add_node(b, DF_TOPN, p);
        b->nodes[me].sort = sort;
        b->nodes[me].limit = limit;
        connect(b, in, me, 0);
        return me;
    }
    }
    ERR_RAISE(b->err, ERRCODE_INTERNAL_ERROR, "unrecognized plan node %d", (int)p->kind);
    return -1;
}

int
planner_build(const PlanNode *plan, Arena *a, Dataflow **out, Err *err)
{
    Dataflow *df = arena_calloc(a, 1, sizeof *df);
    Builder b = {a, NULL, 0, 0, err};

    df->ncols = plan->ncols;
    if (plan->kind == PLAN_LIMIT) {
        df->limit = plan;
        plan = plan->input;
    }
    if (plan->kind == PLAN_SORT) {
        df->sort = plan;
        plan = plan->input;
    }
    if (build(&b, plan) < 0)
        return -1;
    df->nodes = b.nodes;
    df->nnodes = b.n;
    *out = df;
    return 0;
}

int
planner_build_view(const PlanNode *plan, Arena *a, Dataflow **out, Err *err)
{
    Dataflow *df = arena_calloc(a, 1, sizeof *df);
    Builder b = {a, NULL, 0, 0, err};

    df->ncols = plan->ncols;
    if (plan->kind == PLAN_SORT)
        plan = plan->input;
    if (build(&b, plan) < 0)
        return -1;
    df->nodes = b.nodes;
    df->nnodes = b.n;
    *out = df;
    return 0;
}
