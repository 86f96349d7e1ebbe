/*
 * tests/unit/stream/join_test_util.c — see join_test_util.h.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "join_test_util.h"
#include "sql/catalog.h"

/* ---- shared ----------------------------------------------------------------------------- */

void
test_open_state_run(TestRun *t, int ncols, uint64_t owner, StateStore *st, bool fresh,
                    size_t budget)
{
    test_run_init_state(t, ncols, st, owner, fresh);
    if (budget != 0) {
        StreamStateOpts o = {.st = st, .owner_id = owner, .budget = budget, .fresh = fresh};
        Err err;

        stream_state_free(t->run.state);
        err_clear(&err);
        ck_assert_int_eq(stream_state_new(&o, &t->run.state, &err), 0);
    }
}

PlanNode *
test_binary_plan(Arena *a, PlanKind kind, int nin, int ncols, Oid type)
{
    PlanNode *l = plan_new(a, PLAN_VALUES, NULL, nin), *r = plan_new(a, PLAN_VALUES, NULL, nin);
    PlanNode *p = plan_new(a, kind, l, ncols);

    p->right = r;
    for (int c = 0; c < nin; c++)
        l->types[c] = r->types[c] = type;
    for (int c = 0; c < ncols; c++)
        p->types[c] = type;
    return p;
}

DfNode *
test_df_node(Arena *a, DfKind kind, PlanNode *plan, int id)
{
    DfNode *node = arena_calloc(a, 1, sizeof *node);

    node->kind = kind;
    node->plan = plan;
    node->id = id;
    return node;
}

Expr *
test_cmp(Arena *a, const char *name, Oid type, int x, int y)
{
    const OperDef *o;
    int pos = 0;
    Expr **args = arena_alloc(a, 2 * sizeof(Expr *));

    while ((o = catalog_next_oper(name, &pos)) != NULL && !(o->left == type && o->right == type))
        ;
    ck_assert_ptr_nonnull(o);
    args[0] = test_col(a, x, type);
    args[1] = test_col(a, y, type);
    return expr_func(a, NULL, o->fn, true, TYPE_BOOL, 2, args, -1);
}

/* A text value as "<first 3 bytes>:<length>", a boolean as t/f, NULL as "N". */
static int
fmt_val(char *out, size_t cap, const Value *v, bool is_bool)
{
    const VarData *t;

    if (v->isnull)
        return snprintf(out, cap, "N");
    if (is_bool)
        return snprintf(out, cap, "%s", datum_get_bool(v->d) ? "t" : "f");
    t = datum_get_var(v->d);
    return snprintf(out, cap, "%.3s:%u", t->data, (unsigned)t->len);
}

static int
text_sink_push(Operator *op, int port, const Batch *in, Err *err)
{
    TextSink *s = (TextSink *)op;

    (void)port, (void)err;
    for (int i = 0; i < in->n; i++) {
        char row[48];
        size_t len = 0;
        int k;

        for (int c = 0; c < in->ncols; c++) {
            len += (size_t)snprintf(row + len, sizeof row - len, c ? "|" : "");
            len += (size_t)fmt_val(row + len, sizeof row - len, &batch_row(in, i)[c],
                                   c == s->bool_col);
        }
        for (k = 0; k < s->n && strcmp(s->rows[k], row) != 0; k++)
            ;
        if (k == s->n) {
            ck_assert_int_lt(s->n, TEXT_SINK_ROWS);
            snprintf(s->rows[s->n], sizeof s->rows[0], "%s", row);
            s->w[s->n++] = 0;
        }
        s->w[k] += in->weights[i];
    }
    return 0;
}

static const OpVtbl text_sink_vt = {"text sink", text_sink_push, test_no_flush};

void
text_sink_init(TextSink *s, int ncols, int bool_col)
{
    s->op.vt = &text_sink_vt;
    s->op.ncols = ncols;
    s->bool_col = bool_col;
}

void
text_sinks_equal(const TextSink *a, const TextSink *b, const char *what)
{
    for (int pass = 0; pass < 2; pass++) {
        const TextSink *x = pass ? b : a, *y = pass ? a : b;

        for (int i = 0; i < x->n; i++) {
            int64_t w = 0;

            for (int k = 0; k < y->n; k++) {
                if (strcmp(x->rows[i], y->rows[k]) == 0)
                    w = y->w[k];
            }
            ck_assert_msg(x->w[i] == w, "%s: %s: %lld vs %lld", what, x->rows[i],
                          (long long)x->w[i], (long long)w);
        }
    }
}

void
push_text(Operator *op, int port, const char *x, const char *y, int64_t w)
{
    Arena *a = op->run->scratch;
    Value *v = arena_alloc(a, 2 * sizeof(Value));
    int64_t *wp = arena_alloc(a, sizeof(int64_t));
    Batch b = {2, 1, v, wp};
    Err err;

    v[0] = x == NULL ? (Value){0, true} : (Value){datum_from_cstr(a, x), false};
    v[1] = y == NULL ? (Value){0, true} : (Value){datum_from_cstr(a, y), false};
    *wp = w;
    err_clear(&err);
    ck_assert_int_eq(op->vt->push(op, port, &b, &err), 0);
}

static int
counter_push(Operator *op, int port, const Batch *in, Err *err)
{
    Counter *c = (Counter *)op;

    (void)port, (void)err;
    for (int i = 0; i < in->n; i++) {
        const Value *row = batch_row(in, i);

        c->rows++;
        c->weight += in->weights[i];
        if (c->bool_col >= 0 && !row[c->bool_col].isnull && datum_get_bool(row[c->bool_col].d))
            c->trues += in->weights[i];
    }
    return 0;
}

static const OpVtbl counter_vt = {"counter", counter_push, test_no_flush};

void
counter_init(Counter *c, int ncols, int bool_col)
{
    memset(c, 0, sizeof *c);
    c->op.vt = &counter_vt;
    c->op.ncols = ncols;
    c->bool_col = bool_col;
}

/* ---- joins: randomized against brute force -------------------------------------------- */

static Expr *
and2(Arena *a, Expr *x, Expr *y)
{
    Expr *e = expr_new(a, EXPR_AND, TYPE_BOOL, -1);

    e->u.list.nargs = 2;
    e->u.list.args = arena_alloc(a, 2 * sizeof(Expr *));
    e->u.list.args[0] = x;
    e->u.list.args[1] = y;
    return e;
}

/* 0: a = c; 1: a = c AND b < d; 2: none; 3: b < d; 4: a = c AND b = d; 5: c = a (swapped) */
static Expr *
make_pred(Arena *a, int kind)
{
    switch (kind) {
    case 0:
        return test_cmp(a, "=", TYPE_INT4, 0, 2);
    case 1:
        return and2(a, test_cmp(a, "=", TYPE_INT4, 0, 2), test_cmp(a, "<", TYPE_INT4, 1, 3));
    case 3:
        return test_cmp(a, "<", TYPE_INT4, 1, 3);
    case 4:
        return and2(a, test_cmp(a, "=", TYPE_INT4, 0, 2), test_cmp(a, "=", TYPE_INT4, 1, 3));
    case 5:
        return test_cmp(a, "=", TYPE_INT4, 2, 0);
    default:
        return NULL;
    }
}

static bool
pred_true(int kind, const int32_t *l, const int32_t *r)
{
    bool eq_ac = l[0] != NULLV && r[0] != NULLV && l[0] == r[0];
    bool lt_bd = l[1] != NULLV && r[1] != NULLV && l[1] < r[1];
    bool eq_bd = l[1] != NULLV && r[1] != NULLV && l[1] == r[1];

    switch (kind) {
    case 0:
    case 5:
        return eq_ac;
    case 1:
        return eq_ac && lt_bd;
    case 3:
        return lt_bd;
    case 4:
        return eq_ac && eq_bd;
    default:
        return true;
    }
}

void
tally_add(Tally *t, const char *row, int64_t w)
{
    for (int i = 0; i < t->n; i++) {
        if (strcmp(t->rows[i], row) == 0) {
            t->w[i] += w;
            return;
        }
    }
    ck_assert_int_lt(t->n, 512);
    snprintf(t->rows[t->n], sizeof t->rows[0], "%s", row);
    t->w[t->n++] = w;
}

void
tally_text(Tally *t, const char *text, bool positive_only)
{
    const char *p = text;

    while (*p != '\0') {
        long long w;
        char row[64];
        const char *nl = strchr(p, '\n');

        ck_assert(nl != NULL);
        ck_assert_int_eq(sscanf(p, "%lld %63s", &w, row), 2);
        if (positive_only)
            ck_assert_int_gt(w, 0);
        tally_add(t, row, w);
        p = nl + 1;
    }
}

static void
fmt_row(char *out, size_t n, const int32_t *v)
{
    char cols[4][12];

    for (int c = 0; c < 4; c++) {
        if (v[c] == NULLV)
            snprintf(cols[c], sizeof cols[c], "NULL");
        else
            snprintf(cols[c], sizeof cols[c], "%d", (int)v[c]);
    }
    snprintf(out, n, "(%s,%s,%s,%s)", cols[0], cols[1], cols[2], cols[3]);
}

void
join_brute_force(Tally *t, int pred, PlanJoinType type, const JoinRows *l, const JoinRows *r)
{
    char row[64];
    int32_t v[4];
    bool keep_l = type == PLAN_JOIN_LEFT || type == PLAN_JOIN_FULL;
    bool keep_r = type == PLAN_JOIN_RIGHT || type == PLAN_JOIN_FULL;

    t->n = 0;
    for (int i = 0; i < l->n; i++) {
        int64_t m = 0;

        for (int k = 0; k < r->n; k++) {
            if (l->w[i] == 0 || r->w[k] == 0 || !pred_true(pred, l->rows[i], r->rows[k]))
                continue;
            v[0] = l->rows[i][0], v[1] = l->rows[i][1], v[2] = r->rows[k][0], v[3] = r->rows[k][1];
            fmt_row(row, sizeof row, v);
            tally_add(t, row, l->w[i] * r->w[k]);
            m += r->w[k];
        }
        if (keep_l && m == 0 && l->w[i] != 0) {
            v[0] = l->rows[i][0], v[1] = l->rows[i][1], v[2] = v[3] = NULLV;
            fmt_row(row, sizeof row, v);
            tally_add(t, row, l->w[i]);
        }
    }
    for (int k = 0; keep_r && k < r->n; k++) {
        int64_t m = 0;

        for (int i = 0; i < l->n; i++) {
            if (pred_true(pred, l->rows[i], r->rows[k]))
                m += l->w[i];
        }
        if (m == 0 && r->w[k] != 0) {
            v[0] = v[1] = NULLV, v[2] = r->rows[k][0], v[3] = r->rows[k][1];
            fmt_row(row, sizeof row, v);
            tally_add(t, row, r->w[k]);
        }
    }
}

void
tally_check(const Tally *got, const Tally *want, const char *what)
{
    for (int i = 0; i < want->n; i++) {
        int64_t g = 0;

        for (int k = 0; k < got->n; k++) {
            if (strcmp(got->rows[k], want->rows[i]) == 0)
                g = got->w[k];
        }
        ck_assert_msg(g == want->w[i], "%s: %s weight %lld, want %lld", what, want->rows[i],
                      (long long)g, (long long)want->w[i]);
    }
    for (int k = 0; k < got->n; k++) {
        int64_t w = 0;

        for (int i = 0; i < want->n; i++) {
            if (strcmp(got->rows[k], want->rows[i]) == 0)
                w = want->w[i];
        }
        ck_assert_msg(got->w[k] == w, "%s: %s weight %lld, want %lld", what, got->rows[k],
                      (long long)got->w[k], (long long)w);
    }
}

uint64_t
join_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int32_t
rand_val(uint64_t *s, int range)
{
    int v = (int)(join_rand(s) % (uint64_t)(range + 1));

    return v == range ? NULLV : v;
}

void
join_random_change(uint64_t *seed, JoinRows *ms, int *side, int32_t row[2], int64_t *w)
{
    JoinRows *m;
    int i;

    *side = (int)(join_rand(seed) % 2);
    m = &ms[*side];
    if (m->n > 0 && join_rand(seed) % 3 == 0) {
        i = (int)(join_rand(seed) % (uint64_t)m->n);
        if (m->w[i] > 0) {
            *w = -1;
            goto apply;
        }
    }
    row[0] = rand_val(seed, 3);
    row[1] = rand_val(seed, 4);
    *w = join_rand(seed) % 4 == 0 ? 2 : 1;
    for (i = 0; i < m->n; i++) {
        if (m->rows[i][0] == row[0] && m->rows[i][1] == row[1])
            goto apply;
    }
    ck_assert_int_lt(m->n, JOIN_MAXROWS);
    i = m->n++;
    m->rows[i][0] = row[0];
    m->rows[i][1] = row[1];
    m->w[i] = 0;
apply:
    row[0] = m->rows[i][0];
    row[1] = m->rows[i][1];
    m->w[i] += *w;
}

Operator *
make_join4(TestRun *t, int pred, PlanJoinType type)
{
    Arena *a = t->run.arena;
    PlanNode *j = test_binary_plan(a, PLAN_JOIN, 2, 4, TYPE_INT4);
    Operator *op;

    j->jointype = type;
    j->u.pred = make_pred(a, pred);
    op = op_join_new(&t->run, test_df_node(a, DF_JOIN, j, 3));
    test_connect(t, op);
    return op;
}

const char *
join_barrier(TestRun *t, Operator *op)
{
    Err err;

    err_clear(&err);
    ck_assert_int_eq(op->vt->flush(op, &err), 0);
    ck_assert_int_eq(op_emit(op, &err), 0);
    return test_take(t);
}

/* ---- mark joins: a consolidating capture --------------------------------------------- */

static void
row_text(const Value *row, int ncols, char *buf, size_t cap)
{
    size_t len = 0;

    for (int c = 0; c < ncols; c++) {
        if (row[c].isnull)
            len += (size_t)snprintf(buf + len, cap - len, "%sN", c ? "," : "");
        else
            len += (size_t)snprintf(buf + len, cap - len, "%s%lld", c ? "," : "",
                                    (long long)datum_get_int32(row[c].d));
    }
}

static void
mark_tally(char (*rows)[80], int64_t *w, int *n, const char *text, int64_t weight)
{
    for (int i = 0; i < *n; i++) {
        if (strcmp(rows[i], text) == 0) {
            w[i] += weight;
            return;
        }
    }
    snprintf(rows[*n], 80, "%s", text);
    w[(*n)++] = weight;
}

static int
sink_push(Operator *op, int port, const Batch *in, Err *err)
{
    MarkSink *s = (MarkSink *)op;
    char text[80];

    (void)port, (void)err;
    for (int i = 0; i < in->n; i++) {
        row_text(batch_row(in, i), in->ncols, text, sizeof text);
        mark_tally(s->rows, s->w, &s->n, text, in->weights[i]);
    }
    return 0;
}

static const OpVtbl sink_vt = {"sink", sink_push, test_no_flush};

MarkSink *
mark_sink_new(TestRun *t)
{
    return op_alloc(&t->run, sizeof(MarkSink), &sink_vt, NULL, 3);
}

/* See join_test_util.h for the modes. */
Operator *
make_markjoin(TestRun *t, MarkSink *sink, int mode)
{
    Arena *a = t->run.arena;
    PlanNode *m = test_binary_plan(a, PLAN_MARKJOIN, 2, 3, TYPE_INT4);
    Operator *op;

    m->types[2] = mode == 4 || mode == 5 || mode == 9 ? TYPE_INT4
                  : mode == 8                         ? TYPE_INT8
                                                      : TYPE_BOOL;
    m->u.mark.kind = mode == 0                             ? MARK_EXISTS
                     : mode <= 2 || mode == 6 || mode == 7 ? MARK_ANY
                     : mode == 3                           ? MARK_ALL
                                                           : MARK_SCALAR;
    if (mode == 6 || mode == 7) {
        int n = mode == 6 ? 2 : 1;

        m->u.mark.nkeys = n;
        m->u.mark.is_in_key = true;
        m->u.mark.lkeys = arena_alloc(a, sizeof(Expr *) * 2);
        m->u.mark.rkeys = arena_alloc(a, sizeof(int) * 2);
        m->u.mark.key_orders = arena_calloc(a, 2, sizeof(TypeOrder));
        for (int k = 0; k < n; k++) {
            int col = n == 2 ? k : 1;

            m->u.mark.lkeys[k] = test_col(a, col, TYPE_INT4);
            m->u.mark.rkeys[k] = col;
            ck_assert(plan_type_order(TYPE_INT4, &m->u.mark.key_orders[k]));
        }
        m->u.mark.test = test_cmp(a, "=", TYPE_INT4, 1, 3);
    } else if (mode != 2) {
        m->u.mark.nkeys = 1;
        m->u.mark.lkeys = arena_alloc(a, sizeof(Expr *));
        m->u.mark.lkeys[0] = test_col(a, 0, TYPE_INT4);
        m->u.mark.rkeys = arena_alloc(a, sizeof(int));
        m->u.mark.rkeys[0] = 0;
        m->u.mark.key_orders = arena_calloc(a, 1, sizeof(TypeOrder));
        ck_assert(plan_type_order(TYPE_INT4, &m->u.mark.key_orders[0]));
    }
    if (mode == 0 || mode == 8)
        m->u.mark.cond = test_cmp(a, "<", TYPE_INT4, 1, 3);
    if (mode == 8) {
        const OperDef *o;
        int pos = 0;
        Expr **args = arena_alloc(a, 2 * sizeof(Expr *));

        m->u.mark.kind = MARK_AGG;
        m->u.mark.naggs = 2;
        m->u.mark.aggs = arena_calloc(a, 2, sizeof(AggCall));
        m->u.mark.aggs[0] = test_agg(a, "count", TYPE_INVALID, NULL);
        m->u.mark.aggs[1] = test_agg(a, "sum", TYPE_INT4, test_col(a, 3, TYPE_INT4));
        while ((o = catalog_next_oper("+", &pos)) != NULL &&
               !(o->left == TYPE_INT8 && o->right == TYPE_INT8))
            ;
        args[0] = test_col(a, 0, TYPE_INT8);
        args[1] = test_col(a, 1, TYPE_INT8);
        m->u.mark.value_expr = expr_func(a, NULL, o->fn, true, TYPE_INT8, 2, args, -1);
    }
    if (mode == 1 || mode == 2)
        m->u.mark.test = test_cmp(a, "=", TYPE_INT4, 1, 3);
    if (mode == 3)
        m->u.mark.test = test_cmp(a, "<", TYPE_INT4, 1, 3);
    m->u.mark.value = 1;
    if (mode == 9) {
        m->u.mark.take_first = true;
        m->u.mark.norder = 1;
        m->u.mark.order = arena_calloc(a, 1, sizeof(SortKey));
        m->u.mark.order[0].column = 1;
        ck_assert(plan_type_order(TYPE_INT4, &m->u.mark.order[0].order));
    }
    if (mode == 5)
        m->u.mark.empty = expr_const(a, TYPE_INT4, datum_from_int32(0), false, -1);
    op = op_markjoin_new(&t->run, test_df_node(a, DF_MARKJOIN, m, 7));
    sink->op.vt = &sink_vt;
    sink->op.ncols = 3;
    op->out = &sink->op;
    return op;
}

int
mark_barrier(Operator *op, Err *err)
{
    if (op->vt->flush(op, err) < 0)
        return -1;
    return op_emit(op, err);
}

const char *
mark_sink_text(MarkSink *s)
{
    static char out[16384];
    size_t len = 0;
    int idx[4096];
    int n = 0;

    for (int i = 0; i < s->n; i++) {
        if (s->w[i] != 0)
            idx[n++] = i;
    }
    for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && strcmp(s->rows[idx[j - 1]], s->rows[idx[j]]) > 0; j--) {
            int x = idx[j];

            idx[j] = idx[j - 1];
            idx[j - 1] = x;
        }
    }
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, sizeof out - len, "%lld (%s)\n", (long long)s->w[idx[i]],
                                s->rows[idx[i]]);
    return out;
}

/* ---- mark joins: randomized against brute force ---------------------------------------- */

uint64_t mark_rng_state;

uint32_t
mark_rng(uint32_t bound)
{
    mark_rng_state ^= mark_rng_state << 13;
    mark_rng_state ^= mark_rng_state >> 7;
    mark_rng_state ^= mark_rng_state << 17;
    return (uint32_t)(mark_rng_state % bound);
}

static int32_t
random_value(void)
{
    uint32_t v = mark_rng(5);

    return v == 4 ? NULLV : (int32_t)v;
}

static void
ms_add(MarkRows *m, const int32_t *row, int64_t w)
{
    for (int i = 0; i < m->n; i++) {
        if (m->rows[i][0] == row[0] && m->rows[i][1] == row[1]) {
            m->w[i] += w;
            return;
        }
    }
    m->rows[m->n][0] = row[0];
    m->rows[m->n][1] = row[1];
    m->w[m->n++] = w;
}

/* 1 true, 0 false, 2 NULL */
static int
cmp3(const char *op, int32_t x, int32_t y)
{
    if (x == NULLV || y == NULLV)
        return 2;
    return strcmp(op, "<") == 0 ? x < y : x == y;
}

/* The mark text of left row (a, b), or NULL when the scalar subquery has more than one row. */
static const char *
brute_mark(int mode, int32_t a, int32_t b, const MarkRows *r, char *buf)
{
    if (mode == 6 || mode == 7)
        mode -= 5; /* hashed IN: the same answers as the scan */
    bool any_true = false, any_false = false, any_null = false;
    int64_t count = 0;
    int32_t value = 0, lowest = NULLV;

    for (int i = 0; i < r->n; i++) {
        int32_t c = r->rows[i][0], d = r->rows[i][1];
        int t;

        if (r->w[i] <= 0 || (mode != 2 && (a == NULLV || c == NULLV || a != c)))
            continue;
        if ((mode == 0 || mode == 8) && cmp3("<", b, d) != 1)
            continue;
        t = mode == 3 ? cmp3("<", b, d) : cmp3("=", b, d);
        any_true = any_true || t == 1;
        any_false = any_false || t == 0;
        any_null = any_null || t == 2;
        count += r->w[i];
        value = mode == 8 ? value + (int32_t)r->w[i] * d : d;
        lowest = lowest == NULLV || (d != NULLV && d < lowest) ? d : lowest;
    }
    switch (mode) {
    case 0:
        return count > 0 ? "1" : "0";
    case 1:
    case 2:
        return any_true ? "1" : any_null ? "N" : "0";
    case 3:
        return any_false ? "0" : any_null ? "N" : "1";
    case 9: /* ORDER BY d LIMIT 1: the lowest d, NULLs last */
        if (count == 0 || lowest == NULLV)
            return "N";
        snprintf(buf, 32, "%d", lowest);
        return buf;
    case 8: /* count(*) + sum(d): NULL without matches, sum being NULL */
        if (count == 0)
            return "N";
        snprintf(buf, 32, "%lld", (long long)count + value);
        return buf;
    default:
        if (count > 1)
            return NULL;
        if (count == 0)
            return mode == 5 ? "0" : "N";
        if (value == NULLV)
            return "N";
        snprintf(buf, 32, "%d", value);
        return buf;
    }
}

const char *
mark_brute_text(int mode, const MarkRows *l, const MarkRows *r)
{
    static MarkSink s;
    char text[80], buf[32], va[16], vb[16];

    s.n = 0;
    for (int i = 0; i < l->n; i++) {
        const char *mark;

        if (l->w[i] == 0)
            continue;
        if ((mark = brute_mark(mode, l->rows[i][0], l->rows[i][1], r, buf)) == NULL)
            return NULL;
        snprintf(va, sizeof va, "%d", l->rows[i][0]);
        snprintf(vb, sizeof vb, "%d", l->rows[i][1]);
        snprintf(text, sizeof text, "%s,%s,%s", l->rows[i][0] == NULLV ? "N" : va,
                 l->rows[i][1] == NULLV ? "N" : vb, mark);
        mark_tally(s.rows, s.w, &s.n, text, l->w[i]);
    }
    return mark_sink_text(&s);
}

void
mark_pick_change(MarkRows *side, int32_t row[2], int64_t *w)
{
    int live = 0;

    *w = 1;
    for (int i = 0; i < side->n; i++)
        live += side->w[i] > 0;
    if (live > 0 && (mark_rng(3) == 0 || side->n >= MARK_MAXROWS - 1)) {
        int k = (int)mark_rng((uint32_t)live);

        for (int i = 0; i < side->n; i++) {
            if (side->w[i] > 0 && k-- == 0) {
                row[0] = side->rows[i][0];
                row[1] = side->rows[i][1];
            }
        }
        *w = -1;
    } else {
        row[0] = random_value();
        row[1] = random_value();
        *w = mark_rng(4) == 0 ? 2 : 1;
    }
    ms_add(side, row, *w);
}

int
mark_random_change(Operator *op, MarkRows *side, int port)
{
    int32_t row[2];
    int64_t w;

    mark_pick_change(side, row, &w);
    return test_push_ints(op, port, 2, row, 1, w);
}
