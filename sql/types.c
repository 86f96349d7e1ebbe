/*
 * sql/types.c — the type registry table and its lookups, plus the small
 * Datum helpers of sql/datum.h.
 *
 * Types that PostgreSQL has and Rivulet will implement soon are already
 * listed with supported = false, so that `1::date` fails with a clear 0A000
 * ("type date is not supported yet") instead of "type does not exist".
 *
 * Invariants:
 *   1. TYPES is sorted by nothing in particular and never modified; lookups
 *      are linear scans over a few dozen entries (binding only, never per row).
 *   2. Every supported type has all four I/O functions.
 */
#include "sql/types.h"

#include <stdio.h>
#include <stdatomic.h>
#include <string.h>

#include "sql/catalog.h"
#include "sql/types_struct.h"
#include <strings.h>

const TypeIoCtx type_io_default = {
    .datestyle = 0, .dateorder = 0, .intervalstyle = 0, .extra_float_digits = 1, .timezone = "UTC"};

static void
unknown_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    text_out(d, typmod, io, out);
}

/* clang-format off */
#define UNSUPPORTED(oid_, name_, sql_, len_, byval_, cat_, pref_)                                  \
    {(oid_), (name_), (sql_), (len_), (byval_), (cat_), (pref_), false, NULL, NULL, NULL, NULL}
/* clang-format on */

static const TypeInfo TYPES[] = {
    {TYPE_BOOL, "bool", "boolean", 1, true, TYPCAT_BOOLEAN, true, true, bool_in, bool_out,
     bool_recv, bool_send},
    {TYPE_INT2, "int2", "smallint", 2, true, TYPCAT_NUMERIC, false, true, int2_in, int2_out,
     int2_recv, int2_send},
    {TYPE_INT4, "int4", "integer", 4, true, TYPCAT_NUMERIC, false, true, int4_in, int4_out,
     int4_recv, int4_send},
    {TYPE_INT8, "int8", "bigint", 8, true, TYPCAT_NUMERIC, false, true, int8_in, int8_out,
     int8_recv, int8_send},
    {TYPE_FLOAT8, "float8", "double precision", 8, true, TYPCAT_NUMERIC, true, true, float8_in,
     float8_out, float8_recv, float8_send},
    {TYPE_TEXT, "text", "text", -1, false, TYPCAT_STRING, true, true, text_in, text_out, text_recv,
     text_send},
    {TYPE_NAME, "name", "name", 64, false, TYPCAT_STRING, false, true, name_in, text_out, name_recv,
     text_send},
    /* unknown: the type of a string literal or parameter not yet resolved */
    {TYPE_UNKNOWN, "unknown", "unknown", -2, false, TYPCAT_UNKNOWN, false, true, text_in,
     unknown_out, text_recv, text_send},
    {TYPE_VOID, "void", "void", 4, true, TYPCAT_PSEUDO, false, true, void_in, void_out, void_recv,
     void_send},
    UNSUPPORTED(TYPE_ANY, "any", "\"any\"", 4, true, TYPCAT_PSEUDO, false),
    UNSUPPORTED(TYPE_ANYELEMENT, "anyelement", "anyelement", 4, true, TYPCAT_PSEUDO, false),
    UNSUPPORTED(TYPE_ANYNONARRAY, "anynonarray", "anynonarray", 4, true, TYPCAT_PSEUDO, false),
    UNSUPPORTED(TYPE_ANYARRAY, "anyarray", "anyarray", -1, false, TYPCAT_PSEUDO, false),
    /* record: STRUCT values, typmod = the struct type (sql/types_struct.h) */
    {TYPE_RECORD, "record", "record", -1, false, TYPCAT_PSEUDO, false, true, record_in, record_out,
     record_recv, record_send},
    UNSUPPORTED(TYPE_BYTEA, "bytea", "bytea", -1, false, TYPCAT_USER, false),
    UNSUPPORTED(TYPE_OID, "oid", "oid", 4, true, TYPCAT_NUMERIC, true),
    UNSUPPORTED(TYPE_FLOAT4, "float4", "real", 4, true, TYPCAT_NUMERIC, false),
    UNSUPPORTED(TYPE_NUMERIC, "numeric", "numeric", -1, false, TYPCAT_NUMERIC, false),
    UNSUPPORTED(TYPE_BPCHAR, "bpchar", "character", -1, false, TYPCAT_STRING, false),
    /* varchar shares text's representation; varchar(n) length checks come with typmods */
    {TYPE_VARCHAR, "varchar", "character varying", -1, false, TYPCAT_STRING, false, true, text_in,
     text_out, text_recv, text_send},
    UNSUPPORTED(TYPE_DATE, "date", "date", 4, true, TYPCAT_DATETIME, false),
    UNSUPPORTED(TYPE_TIME, "time", "time without time zone", 8, true, TYPCAT_DATETIME, false),
    UNSUPPORTED(TYPE_TIMESTAMP, "timestamp", "timestamp without time zone", 8, true,
                TYPCAT_DATETIME, false),
    UNSUPPORTED(TYPE_TIMESTAMPTZ, "timestamptz", "timestamp with time zone", 8, true,
                TYPCAT_DATETIME, true),
    UNSUPPORTED(TYPE_INTERVAL, "interval", "interval", 16, false, TYPCAT_TIMESPAN, true),
};

#define NTYPES (sizeof TYPES / sizeof TYPES[0])

/* Types implemented by a catalog part (sql/cat_*.c) take precedence over the placeholders here. */
static const TypeInfo *
part_type(Oid oid, const char *name)
{
    for (int p = 0; catalog_parts[p] != NULL; p++) {
        const CatalogPart *part = catalog_parts[p];

        for (int i = 0; i < part->ntypes; i++) {
            if (name != NULL ? strcmp(part->types[i].name, name) == 0 : part->types[i].oid == oid)
                return &part->types[i];
        }
    }
    return NULL;
}

/* type_by_oid() is on per-row paths (casts through text, comparisons): a lookup cache by OID. */
#define TYPE_OID_CACHE 8192
static _Atomic(const TypeInfo *) type_oid_cache[TYPE_OID_CACHE];

static const TypeInfo *
type_by_oid_scan(Oid oid)
{
    const TypeInfo *t = part_type(oid, NULL);

    if (t != NULL)
        return t;
    for (size_t i = 0; i < NTYPES; i++) {
        if (TYPES[i].oid == oid)
            return &TYPES[i];
    }
    return NULL;
}

const TypeInfo *
type_by_oid(Oid oid)
{
    const TypeInfo *t;

    if (oid >= TYPE_OID_CACHE)
        return type_by_oid_scan(oid);
    t = atomic_load_explicit(&type_oid_cache[oid], memory_order_relaxed);
    if (t == NULL) {
        t = type_by_oid_scan(oid); /* the tables are static: the same answer every time */
        if (t != NULL)
            atomic_store_explicit(&type_oid_cache[oid], t, memory_order_relaxed);
    }
    return t;
}

const TypeInfo *
type_by_name(const char *name)
{
    const TypeInfo *t = part_type(TYPE_INVALID, name);

    if (t != NULL)
        return t;
    for (size_t i = 0; i < NTYPES; i++) {
        if (strcmp(TYPES[i].name, name) == 0)
            return &TYPES[i];
    }
    return NULL;
}

const char *
type_sql_name(Oid oid)
{
    const TypeInfo *t = type_by_oid(oid);

    return t != NULL ? t->sql_name : "???";
}

const char *
type_format_typmod(Oid oid, int32_t typmod, char *buf, size_t cap)
{
    const TypeInfo *t = type_by_oid(oid);
    const char *name = t != NULL ? t->sql_name : "???";
    const char *with = strstr(name, " with");
    size_t head = with != NULL ? (size_t)(with - name) : strlen(name);
    Buf mod;

    if (oid == TYPE_RECORD && struct_type_lookup(typmod) != NULL) { /* struct<...> */
        snprintf(buf, cap, "%s", struct_type_lookup(typmod)->text);
        return buf;
    }
    buf_init(&mod, 256);
    if (t != NULL && typmod >= 0 && t->typmodout != NULL)
        t->typmodout(typmod, &mod);
    snprintf(buf, cap, "%.*s%.*s%s", (int)head, name, mod.failed ? 0 : (int)mod.len,
             mod.len ? (const char *)mod.data : "", name + head);
    buf_free(&mod);
    return buf;
}

char
type_category(Oid oid)
{
    const TypeInfo *t = type_by_oid(oid);

    return t != NULL ? t->category : TYPCAT_INVALID;
}

bool
type_is_preferred(Oid oid)
{
    const TypeInfo *t = type_by_oid(oid);

    return t != NULL && t->preferred;
}

bool
type_is_polymorphic(Oid oid)
{
    return oid == TYPE_ANYELEMENT || oid == TYPE_ANYNONARRAY || oid == TYPE_ANYARRAY;
}

char *
type_output_cstr(const TypeInfo *t, Datum d, int32_t typmod, const TypeIoCtx *io, Arena *a)
{
    Buf b;
    char *s;

    buf_init(&b, BUF_DEFAULT_MAX);
    t->out(d, typmod, io, &b);
    s = arena_strndup(a, b.len ? (const char *)b.data : "", b.len);
    buf_free(&b);
    return s;
}

/* ---- Datum helpers (sql/datum.h) ----------------------------------------- */

VarData *
vardata_make(Arena *a, const char *p, size_t len)
{
    VarData *v = arena_alloc(a, sizeof(VarData) + len + 1);

    v->len = (uint32_t)len;
    if (len > 0)
        memcpy(v->data, p, len);
    v->data[len] = '\0';
    return v;
}

Datum
datum_from_text(Arena *a, const char *p, size_t len)
{
    return datum_from_var(vardata_make(a, p, len));
}

Datum
datum_from_cstr(Arena *a, const char *s)
{
    return datum_from_text(a, s, strlen(s));
}

Datum
datum_copy(Arena *a, Datum d, bool byval)
{
    const VarData *v;

    if (byval)
        return d;
    v = datum_get_var(d);
    return datum_from_var(vardata_make(a, v->data, v->len));
}
