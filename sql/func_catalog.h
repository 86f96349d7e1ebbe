/*
 * sql/func_catalog.h — the oid and regtype types (sql/types_oid.c) and the
 * catalog-information built-ins (sql/func_catalog.c): pg_typeof(),
 * format_type(), the oid comparison operators and the casts between oid,
 * regtype and the integers. Private to sql/; the tables are in
 * sql/cat_system.c.
 *
 * Representation: an oid (and a regtype, which is an oid printed as a type
 * name) is held as a by-value Datum sign-extended from its 32 bits, exactly
 * the word an int4 with the same bits has, so the binary-coercible casts
 * int4 <-> oid <-> regtype are relabels that keep words equal. Read an oid
 * with datum_get_oid(), which takes the low 32 bits unsigned.
 */
#ifndef RIVULET_SQL_FUNC_CATALOG_H
#define RIVULET_SQL_FUNC_CATALOG_H

#include "sql/builtins.h"
#include "sql/types.h"

static inline Datum
datum_from_oid(Oid v)
{
    return datum_from_int32((int32_t)v);
}

static inline Oid
datum_get_oid(Datum d)
{
    return (Oid)(uint32_t)d;
}

/* The I/O functions of oid and regtype (sql/types_oid.c). */
int oid_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
           Err *err);
void oid_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int oid_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void oid_send(Datum d, int32_t typmod, Buf *out);
/* regtype: output is format_type(oid), "-" for 0, the number for an OID naming no type;
 * input takes a type name (type_parse_name), a number, or "-". */
int regtype_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
               Err *err);
void regtype_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);

/*
 * Resolves a type name written as text the way regtype input does ("integer",
 * "character varying(10)", "pg_catalog.int4", "\"int4\"", "double precision");
 * modifiers are accepted and ignored. 42704 / 3F000 / 42601 as PostgreSQL.
 */
int type_parse_name(const char *s, size_t len, Oid *out, Err *err);

/*
 * format_type(oid, typmod) as PostgreSQL prints it; typmod_given false is
 * format_type(oid, NULL) (where bpchar prints as "bpchar"). Appends to out.
 */
void type_format(Oid oid, int32_t typmod, bool typmod_given, Buf *out);

/* built-ins (sql/func_catalog.c) */
BUILTIN(fn_pg_typeof);
BUILTIN(fn_format_type);
BUILTIN(oid_eq);
BUILTIN(oid_ne);
BUILTIN(oid_lt);
BUILTIN(oid_le);
BUILTIN(oid_gt);
BUILTIN(oid_ge);
BUILTIN(oid_larger);
BUILTIN(oid_smaller);
BUILTIN(int8_to_oid);
BUILTIN(int2_to_oid);
BUILTIN(oid_to_int8);

#endif
