/*
 * sql/func_struct.c — built-ins over STRUCT values: field selection, row constructors, the
 * struct IS [NOT] NULL test and PostgreSQL's record comparison operators.
 *
 * Pipeline position: called by the evaluator (sql/expr.c, sql/expr_vec.c) through EXPR_FUNC
 * nodes that sql/bind_struct_expr.c builds; the record operators are found by the binder and
 * by plan_type_order() (GROUP BY / ORDER BY / DISTINCT on a struct column) in
 * catalog_part_struct_ops below. The header states the invariants (sql/func_struct.h).
 *
 * A field's ordering (its "=" and "<" built-ins) comes from plan_type_order(), which scans
 * the catalog by name: it is looked up once per type and kept in a lock-free table indexed
 * by OID (types and the catalog never change while the process lives), so comparing two
 * struct values allocates nothing and scans nothing.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/func_struct.h"

/* ---- field selection, construction, null tests ---------------------------------------- */

int
fn_struct_field(const FnCall *call, Datum *result, bool *isnull, Err *err)
{
    Value v = struct_value_field(call->args[0], datum_get_int32(call->args[1]), call->ctx->arena);

    (void)err;
    *result = v.d;
    *isnull = v.isnull;
    return 0;
}

int
fn_struct_make(const FnCall *call, Datum *result, bool *isnull, Err *err)
{
    const StructType *st = (const StructType *)(uintptr_t)call->args[call->nargs - 1];
    Value buf[16], *vals = buf;

    if (st->nfields > (int)(sizeof buf / sizeof buf[0]))
        vals = arena_alloc(call->ctx->arena, sizeof(Value) * (size_t)st->nfields);
    for (int i = 0; i < st->nfields; i++) {
        vals[i].d = call->args[i];
        vals[i].isnull = call->nulls[i];
    }
    *isnull = false;
    return struct_value_make(st, vals, call->ctx->arena, result, err);
}

int
fn_struct_nulltest(const FnCall *call, Datum *result, bool *isnull, Err *err)
{
    bool is_not = datum_get_bool(call->args[1]);
    const StructType *st;
    bool r = true;

    (void)err;
    *isnull = false;
    if (call->nulls[0]) {
        *result = datum_from_bool(!is_not);
        return 0;
    }
    st = struct_type_lookup(struct_value_typmod(call->args[0]));
    for (int i = 0; st != NULL && i < st->nfields && r; i++) {
        Value f = struct_value_field(call->args[0], i, call->ctx->arena);

        /* IS NULL: every field NULL; IS NOT NULL: no field NULL */
        r = is_not ? !f.isnull : f.isnull;
    }
    *result = datum_from_bool(r);
    return 0;
}

/* ---- comparisons ------------------------------------------------------------------------- */

#define ORDER_CACHE_OIDS 8192

static TypeOrder order_cache[ORDER_CACHE_OIDS];
/* 0 unknown, 1 no ordering, 2 known, 3 being filled by one thread (the others look it up) */
static atomic_uchar order_state[ORDER_CACHE_OIDS];

/* The type's ordering; false when it has none (plan_type_order). */
static bool
field_order(Oid type, TypeOrder *out)
{
    unsigned char s, unknown = 0;
    bool found;

    if (type >= ORDER_CACHE_OIDS)
        return plan_type_order(type, out);
    s = atomic_load_explicit(&order_state[type], memory_order_acquire);
    if (s == 1 || s == 2) {
        *out = order_cache[type];
        return s == 2;
    }
    found = plan_type_order(type, out);
    /* one thread claims the entry and publishes it; nobody reads it before that */
    if (s == 0 && atomic_compare_exchange_strong(&order_state[type], &unknown, 3)) {
        order_cache[type] = *out;
        atomic_store_explicit(&order_state[type], found ? 2 : 1, memory_order_release);
    }
    return found;
}

static int
check_comparable(const StructType *x, const StructType *y, int i, Err *err)
{
    char a[128], b[128];

    if (x->fields[i].type == y->fields[i].type)
        return 0;
    type_format_typmod(x->fields[i].type, -1, a, sizeof a);
    type_format_typmod(y->fields[i].type, -1, b, sizeof b);
    return ERR_RAISE(err, ERRCODE_DATATYPE_MISMATCH,
                     "cannot compare dissimilar column types %s and %s at record column %d", a, b,
                     i + 1);
}

/* One pair of fields: NULLs equal each other and sort after every value. */
static int
compare_field(EvalCtx *ctx, Oid type, Value fa, Value fb, int *out, Err *err)
{
    TypeOrder o;

    if (fa.isnull || fb.isnull) {
        *out = fa.isnull == fb.isnull ? 0 : fa.isnull ? 1 : -1;
        return 0;
    }
    /* a type without an ordering compares by representation (plan_compare) */
    (void)field_order(type, &o);
    return plan_compare(&o, ctx, fa.d, fb.d, out, err);
}

int
struct_value_compare(EvalCtx *ctx, Datum a, Datum b, bool eq_only, int *out, Err *err)
{
    const StructType *x = struct_type_lookup(struct_value_typmod(a));
    const StructType *y = struct_type_lookup(struct_value_typmod(b));
    int n;

    if (x == NULL || y == NULL)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "record type has not been registered");
    n = x->nfields < y->nfields ? x->nfields : y->nfields;
    *out = 0;
    for (int i = 0; i < n; i++) {
        Value fa, fb;

        if (check_comparable(x, y, i, err) < 0)
            return -1;
        fa = struct_value_field(a, i, ctx->arena);
        fb = struct_value_field(b, i, ctx->arena);
        if (compare_field(ctx, x->fields[i].type, fa, fb, out, err) < 0)
            return -1;
        if (*out != 0)
            return 0;
    }
    /* record_cmp reports the count mismatch only once the common prefix is equal */
    if (x->nfields != y->nfields) {
        (void)eq_only;
        return ERR_RAISE(err, ERRCODE_DATATYPE_MISMATCH,
                         "cannot compare record types with different numbers of columns");
    }
    return 0;
}

static int
record_cmp_call(const FnCall *call, bool eq_only, int *out, Err *err)
{
    return struct_value_compare(call->ctx, call->args[0], call->args[1], eq_only, out, err);
}

#define RECORD_OP(name, eq_only, test)                                                             \
    int name(const FnCall *call, Datum *result, bool *isnull, Err *err)                            \
    {                                                                                              \
        int c;                                                                                     \
                                                                                                   \
        if (record_cmp_call(call, eq_only, &c, err) < 0)                                           \
            return -1;                                                                             \
        *result = datum_from_bool(test);                                                           \
        *isnull = false;                                                                           \
        return 0;                                                                                  \
    }

RECORD_OP(fn_record_eq, true, c == 0)
RECORD_OP(fn_record_ne, true, c != 0)
RECORD_OP(fn_record_lt, false, c < 0)
RECORD_OP(fn_record_le, false, c <= 0)
RECORD_OP(fn_record_gt, false, c > 0)
RECORD_OP(fn_record_ge, false, c >= 0)

uint64_t
struct_value_hash(Datum d)
{
    const StructType *st = struct_type_lookup(struct_value_typmod(d));
    const VarData *v = datum_get_var(d);
    uint64_t h = 0x6a09e667f3bcc909ULL;
    VarData *copy = NULL;

    if (((uintptr_t)v->data & 3) != 0) {
        /* read in place only from a 4-aligned row; no arena here, so align a copy */
        copy = malloc(sizeof(VarData) + v->len + 1);
        if (copy == NULL)
            abort();
        memcpy(copy, v, sizeof(VarData) + v->len + 1);
        d = datum_from_var(copy);
    }
    for (int i = 0; st != NULL && i < st->nfields; i++) {
        Value f = struct_value_field(d, i, NULL); /* aligned: by-reference fields in place */

        h = (h ^ plan_hash_value(st->fields[i].type, &f)) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    free(copy);
    return h;
}

/* ---- catalog ------------------------------------------------------------------------------ */

#define RC TYPE_RECORD
#define BL TYPE_BOOL

static const OperDef OPERS[] = {
    {"=", RC, RC, BL, fn_record_eq, 0}, {"<>", RC, RC, BL, fn_record_ne, 0},
    {"<", RC, RC, BL, fn_record_lt, 0}, {"<=", RC, RC, BL, fn_record_le, 0},
    {">", RC, RC, BL, fn_record_gt, 0}, {">=", RC, RC, BL, fn_record_ge, 0},
};

const CatalogPart catalog_part_struct_ops = {
    NULL, 0, OPERS, CATALOG_COUNT(OPERS), NULL, 0, NULL, 0,
};
