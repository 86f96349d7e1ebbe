/*
 * sql/plan.c — logical plan nodes (sql/plan.h): constructors, the orderings
 * of types (for ORDER BY, GROUP BY, DISTINCT, min/max), value hashing, and
 * the executor hook through which sql/portal.c runs a plan.
 *
 * Invariants:
 *   1. A type's order is its catalog "=" and "<" operators over (type, type),
 *      so a family that adds a type (numeric, dates) gets sorting and
 *      grouping by adding its comparison operators.
 *   2. plan_hash_value() agrees with "=": equal values hash equally (types
 *      whose equality is not bitwise hash by meaning or to a constant).
 *   3. The executor hook is set once at start-up, before sessions exist.
 */
#include <math.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/datetime.h"
#include "sql/catalog.h"
#include "sql/func_float.h"
#include "sql/func_struct.h"
#include "sql/numeric.h"
#include "sql/plan.h"

static SqlExecutorFn executor;

void
sql_set_executor(SqlExecutorFn fn)
{
    executor = fn;
}

SqlExecutorFn
sql_executor(void)
{
    return executor;
}

PlanNode *
plan_new(Arena *a, PlanKind kind, PlanNode *input, int ncols)
{
    PlanNode *p = arena_calloc(a, 1, sizeof *p);

    p->kind = kind;
    p->input = input;
    p->ncols = ncols;
    p->types = arena_calloc(a, (size_t)(ncols ? ncols : 1), sizeof(Oid));
    p->typmods = arena_calloc(a, (size_t)(ncols ? ncols : 1), sizeof(int32_t));
    for (int i = 0; i < ncols; i++)
        p->typmods[i] = -1;
    return p;
}

static BuiltinFn
find_oper(const char *name, Oid type)
{
    const OperDef *o;
    int pos = 0;

    while ((o = catalog_next_oper(name, &pos)) != NULL) {
        if (o->left == type && o->right == type && o->result == TYPE_BOOL)
            return o->fn;
    }
    return NULL;
}

bool
plan_type_order(Oid type, TypeOrder *out)
{
    /* varchar and name sort as text (binary-coercible, same representation) */
    Oid as = type == TYPE_VARCHAR ? TYPE_TEXT : type;

    out->type = type;
    out->eq = find_oper("=", as);
    out->lt = find_oper("<", as);
    return out->eq != NULL && out->lt != NULL;
}

static int
call2(BuiltinFn fn, EvalCtx *ctx, Oid type, Datum a, Datum b, bool *result, Err *err)
{
    Datum args[2] = {a, b}, r;
    bool nulls[2] = {false, false}, isnull = false;
    Oid types[2] = {type, type};
    FnCall call = {ctx, 2, args, nulls, types};

    if (fn(&call, &r, &isnull, err) < 0)
        return -1;
    *result = !isnull && datum_get_bool(r);
    return 0;
}

int
plan_compare(const TypeOrder *o, EvalCtx *ctx, Datum a, Datum b, int *out, Err *err)
{
    bool r;

    switch (o->type) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        *out =
            datum_get_int64(a) < datum_get_int64(b) ? -1 : datum_get_int64(a) > datum_get_int64(b);
        return 0;
    case TYPE_BOOL:
        *out = (int)datum_get_bool(a) - (int)datum_get_bool(b);
        return 0;
    default:
        break;
    }
    if (o->eq == NULL || o->lt == NULL) {
        /* a type without an ordering: identity of the representation */
        const TypeInfo *t = type_by_oid(o->type);

        if (t != NULL && !t->byval) {
            const VarData *x = datum_get_var(a), *y = datum_get_var(b);
            int c = memcmp(x->data, y->data, x->len < y->len ? x->len : y->len);

            *out = c != 0 ? c : (x->len > y->len) - (x->len < y->len);
        } else {
            *out = (a > b) - (a < b);
        }
        return 0;
    }
    if (call2(o->eq, ctx, o->type, a, b, &r, err) < 0)
        return -1;
    if (r) {
        *out = 0;
        return 0;
    }
    if (call2(o->lt, ctx, o->type, a, b, &r, err) < 0)
        return -1;
    *out = r ? -1 : 1;
    return 0;
}

int
plan_compare_rows(const SortKey *keys, int nkeys, EvalCtx *ctx, const Value *a, const Value *b,
                  int *out, Err *err)
{
    for (int k = 0; k < nkeys; k++) {
        const Value *x = &a[keys[k].column], *y = &b[keys[k].column];
        int c;

        if (x->isnull || y->isnull) {
            if (x->isnull && y->isnull)
                continue;
            /* NULL sorts as larger than everything unless NULLS FIRST */
            c = x->isnull ? 1 : -1;
            if (keys[k].nulls_first)
                c = -c;
            *out = c;
            return 0;
        }
        if (plan_compare(&keys[k].order, ctx, x->d, y->d, &c, err) < 0)
            return -1;
        if (c != 0) {
            *out = keys[k].desc ? -c : c;
            return 0;
        }
    }
    *out = 0;
    return 0;
}

static uint64_t
mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

uint64_t
plan_hash_value(Oid type, const Value *v)
{
    if (v->isnull)
        return 0x9e3779b97f4a7c15ULL;
    switch (type) {
    case TYPE_BOOL:
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        return mix(v->d);
    case TYPE_INTERVAL: {
        /* by the span interval_cmp compares: '1 mon' and '30 days' are equal */
        Interval iv = interval_get(v->d);
        __int128 span = (__int128)iv.month * DAYS_PER_MONTH * USECS_PER_DAY +
                        (__int128)iv.day * USECS_PER_DAY + iv.time;

        return mix((uint64_t)span ^ mix((uint64_t)(span >> 64)));
    }
    case TYPE_FLOAT8: {
        double x = datum_get_float8(v->d);

        if (x == 0.0)
            return mix(0);
        if (isnan(x))
            return mix(0x7ff8000000000000ULL);
        return mix(v->d);
    }
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_NAME: {
        const VarData *s = datum_get_var(v->d);
        uint64_t h = 1469598103934665603ULL;

        for (uint32_t i = 0; i < s->len; i++)
            h = (h ^ (uint8_t)s->data[i]) * 1099511628211ULL;
        return mix(h);
    }
    case TYPE_NUMERIC:
        return numeric_hash(v->d);
    case TYPE_RECORD: /* a struct: field by field (sql/func_struct.c) */
        return struct_value_hash(v->d);
    case TYPE_FLOAT4: {
        /* as float8 does: -0 and 0 equal, every NaN equal */
        float x = datum_get_float4(v->d);

        if (x == 0.0f)
            return mix(0);
        if (isnan(x))
            return mix(0x7ff8000000000000ULL);
        return mix(datum_from_float8((double)x));
    }
    case TYPE_BPCHAR:
    case TYPE_BYTEA: {
        /* bpchar compares without its trailing blanks; bytea byte by byte */
        const VarData *s = datum_get_var(v->d);
        uint32_t len = s->len;
        uint64_t h = 1469598103934665603ULL;

        while (type == TYPE_BPCHAR && len > 0 && s->data[len - 1] == ' ')
            len--;
        for (uint32_t i = 0; i < len; i++)
            h = (h ^ (uint8_t)s->data[i]) * 1099511628211ULL;
        return mix(h ^ 0x62);
    }
    default:
        return 0x51ed270b27ab3c1dULL;
    }
}
