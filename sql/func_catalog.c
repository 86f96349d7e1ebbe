/*
 * sql/func_catalog.c — built-ins that describe the catalog: pg_typeof("any")
 * → regtype and format_type(oid, int4) → text, plus the oid comparison
 * operators and the casts between oid and the integers (sql/cat_system.c
 * lists them).
 *
 * Invariants:
 *   1. pg_typeof and format_type are not strict, as in PostgreSQL:
 *      pg_typeof(NULL) is "unknown", format_type(oid, NULL) is the plain
 *      spelling and format_type(NULL, x) is NULL.
 *   2. Oids compare as unsigned 32-bit numbers.
 */
#include "sql/func_catalog.h"

#define ARG_OID(i) datum_get_oid(call->args[(i)])

BUILTIN(fn_pg_typeof)
{
    (void)isnull, (void)err;
    *result = datum_from_oid(call->argtypes != NULL ? call->argtypes[0] : TYPE_UNKNOWN);
    return 0;
}

BUILTIN(fn_format_type)
{
    Buf b;

    (void)err;
    if (call->nulls[0]) {
        *isnull = true;
        return 0;
    }
    buf_init(&b, 1024);
    type_format(ARG_OID(0), call->nulls[1] ? -1 : datum_get_int32(call->args[1]), !call->nulls[1],
                &b);
    *result = datum_from_text(call->ctx->arena, b.len ? (const char *)b.data : "", b.len);
    buf_free(&b);
    return 0;
}

#define OID_CMP(fname, op)                                                                         \
    BUILTIN(fname)                                                                                 \
    {                                                                                              \
        (void)isnull, (void)err;                                                                   \
        *result = datum_from_bool(ARG_OID(0) op ARG_OID(1));                                       \
        return 0;                                                                                  \
    }

OID_CMP(oid_eq, ==)
OID_CMP(oid_ne, !=)
OID_CMP(oid_lt, <)
OID_CMP(oid_le, <=)
OID_CMP(oid_gt, >)
OID_CMP(oid_ge, >=)

BUILTIN(oid_larger)
{
    (void)isnull, (void)err;
    *result = ARG_OID(0) >= ARG_OID(1) ? call->args[0] : call->args[1];
    return 0;
}

BUILTIN(oid_smaller)
{
    (void)isnull, (void)err;
    *result = ARG_OID(0) <= ARG_OID(1) ? call->args[0] : call->args[1];
    return 0;
}

BUILTIN(int8_to_oid)
{
    int64_t v = datum_get_int64(call->args[0]);

    (void)isnull;
    if (v < 0 || v > (int64_t)UINT32_MAX)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "OID out of range");
    *result = datum_from_oid((Oid)v);
    return 0;
}

BUILTIN(int2_to_oid)
{
    (void)isnull, (void)err;
    *result = datum_from_int32(datum_get_int16(call->args[0]));
    return 0;
}

BUILTIN(oid_to_int8)
{
    (void)isnull, (void)err;
    *result = datum_from_int64((int64_t)ARG_OID(0));
    return 0;
}
