/*
 * tests/unit/stream/test_op_markjoin.c — stream/op_markjoin.c: the marks of
 * EXISTS, IN/ANY, ALL and scalar subqueries with SQL's three-valued logic,
 * and, randomized, that random insert/delete deltas over many barriers
 * leave exactly {(left row, mark) × weight} as a brute-force evaluation over
 * the final multisets computes it.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/catalog.h"
#include "stream_test_util.h"

#define NULLV INT32_MIN

/* ---- a consolidating capture ------------------------------------------------------------ */

typedef struct Sink {
    Operator op;
    int n;
    char rows[4096][80];
    int64_t w[4096];
} Sink;

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
tally(char (*rows)[80], int64_t *w, int *n, const char *text, int64_t weight)
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
    Sink *s = (Sink *)op;
    char text[80];

    (void)port, (void)err;
    for (int i = 0; i < in->n; i++) {
        row_text(batch_row(in, i), in->ncols, text, sizeof text);
        tally(s->rows, s->w, &s->n, text, in->weights[i]);
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

/* ---- building the operator -------------------------------------------------------------- */

static Expr *
cmp(Arena *a, const char *name, int x, int y)
{
    const OperDef *o;
    int pos = 0;
    Expr **args = arena_alloc(a, 2 * sizeof(Expr *));

    while ((o = catalog_next_oper(name, &pos)) != NULL &&
           !(o->left == TYPE_INT4 && o->right == TYPE_INT4))
        ;
    args[0] = test_col(a, x, TYPE_INT4);
    args[1] = test_col(a, y, TYPE_INT4);
    return expr_func(a, NULL, o->fn, true, TYPE_BOOL, 2, args, -1);
}

/*
 * Left rows (a, b), right rows (c, d); the pair row is (a, b, c, d).
 *   mode 0: EXISTS, key a = c, cond b < d
 *   mode 1: b IN (d), key a = c
 *   mode 2: b = ANY (d), uncorrelated (NOT IN's NULL rules)
 *   mode 3: b < ALL (d), key a = c
 *   mode 4: scalar d, key a = c, empty NULL
 *   mode 5: scalar d, key a = c, empty 0 (count over no rows)
 *   mode 6: mode 1 hashed (keys a = c, b = d; is_in_key)
 *   mode 7: mode 2 hashed (key b = d; is_in_key)
 *   mode 8: count(*) + sum(d) of the matches, key a = c, cond b < d (MARK_AGG)
 *   mode 9: scalar d ORDER BY d LIMIT 1, key a = c (take_first)
 */
static Operator *
make_markjoin(TestRun *t, Sink **sink, int mode)
{
    Arena *a = t->run.arena;
    PlanNode *l = plan_new(a, PLAN_VALUES, NULL, 2), *r = plan_new(a, PLAN_VALUES, NULL, 2);
    PlanNode *m = plan_new(a, PLAN_MARKJOIN, l, 3);
    DfNode *node = arena_calloc(a, 1, sizeof *node);
    Operator *op;

    m->right = r;
    for (int c = 0; c < 2; c++)
        l->types[c] = r->types[c] = m->types[c] = TYPE_INT4;
    m->types[2] = mode == 4 || mode == 5 || mode == 9 ? TYPE_INT4
                  : mode == 8                         ? TYPE_INT8
                                                      : TYPE_BOOL;
    m->u.mark.kind = mode == 0                               ? MARK_EXISTS
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
        m->u.mark.test = cmp(a, "=", 1, 3);
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
        m->u.mark.cond = cmp(a, "<", 1, 3);
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
        m->u.mark.test = cmp(a, "=", 1, 3);
    if (mode == 3)
        m->u.mark.test = cmp(a, "<", 1, 3);
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
    node->kind = DF_MARKJOIN;
    node->plan = m;
    op = op_markjoin_new(&t->run, node);
    *sink = op_alloc(&t->run, sizeof(Sink), &sink_vt, NULL, 3);
    op->out = &(*sink)->op;
    return op;
}

static int
barrier(Operator *op, Err *err)
{
    if (op->vt->flush(op, err) < 0)
        return -1;
    return op_emit(op, err);
}

/* The sink's rows with non-zero weight, sorted, as "w (row)" lines. */
static const char *
sink_text(Sink *s)
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

/* ---- hand-written cases ------------------------------------------------------------------- */

START_TEST(test_not_in_nulls)
{
    TestRun t;
    Sink *s;
    Operator *op;
    Err err;
    const int32_t left[] = {1, 1, 1, 2, 1, NULLV}, right[] = {9, 1, 9, 3}, rnull[] = {9, NULLV};

    err_clear(&err);
    test_run_init(&t, 3);
    op = make_markjoin(&t, &s, 2);
    /* empty subquery: IN is false for every row, NULL x included */
    ck_assert_int_eq(test_push_ints(op, 0, 2, left, 3, 1), 0);
    ck_assert_int_eq(barrier(op, &err), 0);
    ck_assert_str_eq(sink_text(s), "1 (1,1,0)\n1 (1,2,0)\n1 (1,N,0)\n");
    /* {1, 3}: 1 found; 2 not; NULL x → NULL */
    ck_assert_int_eq(test_push_ints(op, 1, 2, right, 2, 1), 0);
    ck_assert_int_eq(barrier(op, &err), 0);
    ck_assert_str_eq(sink_text(s), "1 (1,1,1)\n1 (1,2,0)\n1 (1,N,N)\n");
    /* {1, 3, NULL}: 2 not found becomes NULL */
    ck_assert_int_eq(test_push_ints(op, 1, 2, rnull, 1, 1), 0);
    ck_assert_int_eq(barrier(op, &err), 0);
    ck_assert_str_eq(sink_text(s), "1 (1,1,1)\n1 (1,2,N)\n1 (1,N,N)\n");
    /* the NULL and then everything retracted: false again */
    ck_assert_int_eq(test_push_ints(op, 1, 2, rnull, 1, -1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, right, 2, -1), 0);
    ck_assert_int_eq(barrier(op, &err), 0);
    ck_assert_str_eq(sink_text(s), "1 (1,1,0)\n1 (1,2,0)\n1 (1,N,0)\n");
    test_run_free(&t);
}
END_TEST

START_TEST(test_hashed_not_in)
{
    TestRun t;
    Sink *s;
    Operator *op;
    Err err;
    const int32_t left[] = {1, 1, 1, 2, 1, NULLV}, right[] = {9, 1, 9, 3}, rnull[] = {9, NULLV};

    err_clear(&err);
    test_run_init(&t, 3);
    op = make_markjoin(&t, &s, 7);
    ck_assert_int_eq(test_push_ints(op, 0, 2, left, 3, 1), 0);
    ck_assert_int_eq(barrier(op, &err), 0);
    ck_assert_str_eq(sink_text(s), "1 (1,1,0)\n1 (1,2,0)\n1 (1,N,0)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, right, 2, 1), 0);
    ck_assert_int_eq(barrier(op, &err), 0);
    ck_assert_str_eq(sink_text(s), "1 (1,1,1)\n1 (1,2,0)\n1 (1,N,N)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, rnull, 1, 1), 0);
    ck_assert_int_eq(barrier(op, &err), 0);
    ck_assert_str_eq(sink_text(s), "1 (1,1,1)\n1 (1,2,N)\n1 (1,N,N)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, rnull, 1, -1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, right, 2, -1), 0);
    ck_assert_int_eq(barrier(op, &err), 0);
    ck_assert_str_eq(sink_text(s), "1 (1,1,0)\n1 (1,2,0)\n1 (1,N,0)\n");
    test_run_free(&t);
}
END_TEST

START_TEST(test_scalar_cardinality)
{
    TestRun t;
    Sink *s;
    Operator *op;
    Err err;
    const int32_t left[] = {1, 0, 2, 0}, right[] = {1, 10, 1, 11};

    err_clear(&err);
    test_run_init(&t, 3);
    op = make_markjoin(&t, &s, 5);
    ck_assert_int_eq(test_push_ints(op, 0, 2, left, 2, 1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, right, 1, 1), 0);
    ck_assert_int_eq(barrier(op, &err), 0);
    ck_assert_str_eq(sink_text(s), "1 (1,0,10)\n1 (2,0,0)\n");
    /* a second row in key 1, retracted before the barrier: no error */
    ck_assert_int_eq(test_push_ints(op, 1, 2, right + 2, 1, 1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, right + 2, 1, -1), 0);
    ck_assert_int_eq(barrier(op, &err), 0);
    ck_assert_str_eq(sink_text(s), "1 (1,0,10)\n1 (2,0,0)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, right + 2, 1, 1), 0);
    ck_assert_int_eq(barrier(op, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_CARDINALITY_VIOLATION);
    ck_assert_str_eq(err.message, "more than one row returned by a subquery used as an expression");
    test_run_free(&t);
}
END_TEST

/* ---- randomized against brute force ------------------------------------------------------- */

#define MAXROWS 48

typedef struct Multiset {
    int n;
    int32_t rows[MAXROWS][2];
    int64_t w[MAXROWS];
} Multiset;

static uint64_t rng_state;

static uint32_t
rng(uint32_t bound)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % bound);
}

static int32_t
random_value(void)
{
    uint32_t v = rng(5);

    return v == 4 ? NULLV : (int32_t)v;
}

static void
ms_add(Multiset *m, const int32_t *row, int64_t w)
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
brute_mark(int mode, int32_t a, int32_t b, const Multiset *r, char *buf)
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

/* Expected sink text; NULL when a scalar subquery has more than one row for some left row. */
static const char *
brute_text(int mode, const Multiset *l, const Multiset *r)
{
    static Sink s;
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
        tally(s.rows, s.w, &s.n, text, l->w[i]);
    }
    return sink_text(&s);
}

/* One random change: insert a random row, or delete a row that is there. */
static int
random_change(Operator *op, Multiset *side, int port)
{
    int32_t row[2];
    int64_t w = 1;
    int live = 0;

    for (int i = 0; i < side->n; i++)
        live += side->w[i] > 0;
    if (live > 0 && (rng(3) == 0 || side->n >= MAXROWS - 1)) {
        int k = (int)rng((uint32_t)live);

        for (int i = 0; i < side->n; i++) {
            if (side->w[i] > 0 && k-- == 0) {
                row[0] = side->rows[i][0];
                row[1] = side->rows[i][1];
            }
        }
        w = -1;
    } else {
        row[0] = random_value();
        row[1] = random_value();
        w = rng(4) == 0 ? 2 : 1;
    }
    ms_add(side, row, w);
    return test_push_ints(op, port, 2, row, 1, w);
}

static void
random_trial(int mode, uint64_t seed)
{
    TestRun t;
    Sink *s;
    Operator *op;
    Multiset l = {0}, r = {0};

    rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    test_run_init(&t, 3);
    op = make_markjoin(&t, &s, mode);
    for (int epoch = 0; epoch < 12; epoch++) {
        static char want_copy[16384]; /* sink_text() reuses one buffer */
        const char *want;
        Err err;
        int rc;

        err_clear(&err);
        for (int k = (int)rng(6); k >= 0; k--) {
            int port = (int)rng(2);

            ck_assert_int_eq(random_change(op, port == 0 ? &l : &r, port), 0);
        }
        rc = barrier(op, &err);
        want = brute_text(mode, &l, &r);
        if (want == NULL) {
            ck_assert_int_eq(rc, -1);
            ck_assert_str_eq(err.sqlstate, ERRCODE_CARDINALITY_VIOLATION);
            break; /* the statement (or the view's epoch) fails here */
        }
        ck_assert_msg(rc == 0, "mode %d seed %llu epoch %d: %s", mode, (unsigned long long)seed,
                      epoch, err.message);
        snprintf(want_copy, sizeof want_copy, "%s", want);
        want = want_copy;
        ck_assert_msg(strcmp(sink_text(s), want) == 0,
                      "mode %d seed %llu epoch %d:\ngot:\n%swant:\n%s", mode,
                      (unsigned long long)seed, epoch, sink_text(s), want);
    }
    test_run_free(&t);
}

START_TEST(test_random_deltas)
{
    for (int mode = 0; mode <= 9; mode++) {
        for (uint64_t seed = 1; seed <= 150; seed++)
            random_trial(mode, seed);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_markjoin");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_not_in_nulls);
    tcase_add_test(tc, test_hashed_not_in);
    tcase_add_test(tc, test_scalar_cardinality);
    tcase_add_test(tc, test_random_deltas);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
