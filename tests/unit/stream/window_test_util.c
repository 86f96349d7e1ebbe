/*
 * tests/unit/stream/window_test_util.c — see window_test_util.h.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/catalog.h"
#include "window_test_util.h"

WindowCall
win_call(WinKind kind, Oid rettype)
{
    WindowCall c = {0};

    c.kind = kind;
    c.rettype = rettype;
    c.location = -1;
    return c;
}

WindowCall
win_call_args(Arena *a, WinKind kind, int nargs, int32_t arg1, int32_t arg2)
{
    WindowCall c = win_call(kind, TYPE_INT4);

    c.nargs = nargs;
    c.args[0] = test_col(a, 2, TYPE_INT4);
    if (nargs > 1)
        c.args[1] = expr_const(a, TYPE_INT4, datum_from_int32(arg1), false, -1);
    if (nargs > 2)
        c.args[2] = expr_const(a, TYPE_INT4, datum_from_int32(arg2), false, -1);
    return c;
}

WindowCall
win_agg(Arena *a, const char *name, bool star)
{
    WindowCall c = win_call(WIN_AGG, TYPE_INVALID);

    c.agg = star ? test_agg(a, name, TYPE_INVALID, NULL)
                 : test_agg(a, name, TYPE_INT4, test_col(a, 2, TYPE_INT4));
    c.rettype = c.agg.rettype;
    return c;
}

Expr *
int4_op(Arena *a, const char *name, Expr *l, Expr *r)
{
    const OperDef *o;
    int pos = 0;
    Expr **args = arena_calloc(a, 2, sizeof(Expr *));

    while ((o = catalog_next_oper(name, &pos)) != NULL) {
        if (o->left == TYPE_INT4 && o->right == TYPE_INT4)
            break;
    }
    ck_assert_ptr_nonnull(o);
    args[0] = l;
    args[1] = r;
    return expr_func(a, NULL, o->fn, true, o->result, 2, args, -1);
}

Expr *
win_range_ok(Arena *a, bool start)
{
    Expr *one = expr_const(a, TYPE_INT4, datum_from_int32(1), false, -1);

    return int4_op(a, start ? ">=" : "<=", test_col(a, 0, TYPE_INT4),
                   int4_op(a, start ? "-" : "+", test_col(a, 1, TYPE_INT4), one));
}

int
win_ranking_calls(Arena *a, WindowCall *calls, int n)
{
    calls[n++] = win_call(WIN_ROW_NUMBER, TYPE_INT8);
    calls[n++] = win_call(WIN_RANK, TYPE_INT8);
    calls[n++] = win_call(WIN_DENSE_RANK, TYPE_INT8);
    calls[n++] = win_call(WIN_PERCENT_RANK, TYPE_FLOAT8);
    calls[n++] = win_call(WIN_CUME_DIST, TYPE_FLOAT8);
    calls[n++] = win_call_args(a, WIN_NTILE, 1, 0, 0);
    calls[n - 1].args[0] = expr_const(a, TYPE_INT4, datum_from_int32(3), false, -1);
    calls[n++] = win_call_args(a, WIN_LAG, 1, 0, 0);
    calls[n++] = win_call_args(a, WIN_LEAD, 3, 2, -1);
    return n;
}

int
win_frame_calls(Arena *a, WindowCall *calls, int n)
{
    calls[n++] = win_call_args(a, WIN_FIRST_VALUE, 1, 0, 0);
    calls[n++] = win_call_args(a, WIN_LAST_VALUE, 1, 0, 0);
    calls[n++] = win_call_args(a, WIN_NTH_VALUE, 2, 2, 0);
    calls[n++] = win_agg(a, "sum", false);
    calls[n++] = win_agg(a, "min", false);
    calls[n++] = win_agg(a, "count", true);
    return n;
}

void
win_set_frame(Arena *a, WindowPlan *w, int frame)
{
    w->frame = frame;
    if (frame & (WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_START_OFFSET_FOLLOWING))
        w->start_offset = expr_const(a, TYPE_INT8, datum_from_int64(1), false, -1);
    if (frame & (WIN_FRAME_END_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING))
        w->end_offset = expr_const(a, TYPE_INT8, datum_from_int64(1), false, -1);
    if ((frame & WIN_FRAME_RANGE) && w->start_offset != NULL)
        w->start_ok = win_range_ok(a, true);
    if ((frame & WIN_FRAME_RANGE) && w->end_offset != NULL)
        w->end_ok = win_range_ok(a, false);
}

/* qsort's comparator over char* elements */
static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void
ms_add(Multiset *m, const char *text, int64_t w)
{
    for (int i = 0; i < m->n; i++) {
        if (strcmp(m->rows[i], text) == 0) {
            m->counts[i] += w;
            return;
        }
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->rows = realloc(m->rows, sizeof(char *) * (size_t)m->cap);
        m->counts = realloc(m->counts, sizeof(int64_t) * (size_t)m->cap);
    }
    m->rows[m->n] = strdup(text);
    m->counts[m->n++] = w;
}

void
ms_free(Multiset *m)
{
    for (int i = 0; i < m->n; i++)
        free(m->rows[i]);
    free(m->rows);
    free(m->counts);
    memset(m, 0, sizeof *m);
}

char *
ms_text(const Multiset *m)
{
    char *const *rows = m->rows;
    const int64_t *counts = m->counts;
    int n = m->n;
    char **lines = calloc((size_t)n + 1, sizeof(char *));
    size_t cap = 1, len = 0;
    int k = 0;
    char *out;

    for (int i = 0; i < n; i++) {
        size_t size = strlen(rows[i]) + 32;

        ck_assert_msg(counts[i] >= 0, "negative count for (%s)", rows[i]);
        if (counts[i] == 0)
            continue;
        lines[k] = malloc(size);
        snprintf(lines[k], size, "%lld*(%s)\n", (long long)counts[i], rows[i]);
        cap += strlen(lines[k]);
        k++;
    }
    qsort(lines, (size_t)k, sizeof(char *), cmp_str);
    out = malloc(cap);
    out[0] = '\0';
    for (int i = 0; i < k; i++) {
        size_t l = strlen(lines[i]);

        memcpy(out + len, lines[i], l + 1);
        len += l;
        free(lines[i]);
    }
    free(lines);
    return out;
}

size_t
row_values_text(const Value *row, int ncols, const Oid *types, char *out, size_t cap)
{
    size_t len = 0;

    out[0] = '\0';
    for (int c = 0; c < ncols; c++) {
        const VarData *v;

        if (row[c].isnull) {
            len += (size_t)snprintf(out + len, cap - len, "%sN", c ? "," : "");
        } else if (types != NULL && types[c] == TYPE_TEXT) {
            v = datum_get_var(row[c].d);
            ck_assert_uint_gt(v->len, 0);
            len += (size_t)snprintf(out + len, cap - len, "%s%c/%u/%c", c ? "," : "", v->data[0],
                                    v->len, v->data[v->len - 1]);
        } else {
            len += (size_t)snprintf(out + len, cap - len, "%s%lld", c ? "," : "",
                                    (long long)datum_get_int64(row[c].d));
        }
    }
    return len;
}

uint32_t win_rng;

int
win_rand(void)
{
    win_rng = win_rng * 1103515245u + 12345u;
    return (int)((win_rng >> 16) & 0x7fff);
}

static int
ms_sink_push(Operator *op, int port, const Batch *in, Err *err)
{
    MultisetSink *s = (MultisetSink *)op;

    (void)port, (void)err;
    for (int i = 0; i < in->n; i++) {
        char text[512];

        ck_assert_int_ne(in->weights[i], 0);
        (void)row_values_text(batch_row(in, i), in->ncols, s->types, text, sizeof text);
        ms_add(s->ms, text, in->weights[i]);
    }
    return 0;
}

static const OpVtbl ms_sink_vt = {"multiset sink", ms_sink_push, test_no_flush};

MultisetSink *
ms_sink_new(StreamRun *run, int ncols, Multiset *ms, const Oid *types)
{
    MultisetSink *s = op_alloc(run, sizeof(MultisetSink), &ms_sink_vt, NULL, ncols);

    s->ms = ms;
    s->types = types;
    return s;
}
