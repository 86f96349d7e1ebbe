/*
 * sql/types_struct.h — STRUCT (composite) types: RisingWave's `STRUCT<name type, ...>`,
 * PostgreSQL's anonymous `record` on the wire.
 *
 * A struct type is a list of named, typed fields. Types are not declared by name (no CREATE
 * TYPE): each distinct field list is interned once per process in a registry and identified
 * by a typmod of the type oid TYPE_RECORD (2249), as PostgreSQL's blessed record types are.
 * The typmod is a 31-bit hash of the type's canonical text, so the same STRUCT written in two
 * sessions, or before and after a restart, has the same (oid, typmod): plans, state
 * fingerprints and rows written to logs before a restart stay valid. The catalog keeps the
 * canonical text of every STRUCT column (columns.type_def) and re-interns it at start-up.
 *
 * A value of a struct type is by reference: a VarData whose bytes are
 *
 *     int32 typmod (host order) | rowcodec row of the fields (sql/rowcodec.h)
 *
 * so a value names its own type (output needs no typmod from the column, as PostgreSQL's
 * composite datums carry their type) and the row starts 4-aligned inside the VarData (its
 * by-reference fields are read in place). A NULL struct is a NULL Value; a struct whose
 * fields are all NULL is not NULL (PostgreSQL's `ROW(NULL) IS NULL` is true, but the value
 * exists: `(NULL)` prints as "()").
 *
 * Text form (PostgreSQL's record_out / record_in): "(f1,f2,...)", a NULL field is empty, a
 * field that is empty or contains `"` `\` `(` `)` `,` or white space is double-quoted with
 * `"` and `\` doubled. Binary form (record_send / record_recv): int32 nfields, then per
 * field int32 oid, int32 length (-1 for NULL) and the field's binary form.
 *
 * On the wire a struct is PostgreSQL's anonymous record: oid 2249, typmod -1 in
 * RowDescription (server/query.c); DESCRIBE and format_type() print the canonical text.
 *
 * Invariants:
 *   1. Interning is idempotent and thread-safe; an interned StructType is never freed or
 *      changed while the process lives, so pointers to it may be kept anywhere.
 *   2. typmod = struct_type_typmod_of(canonical text): in [0, 2^31 - 2], never -1. Two
 *      different field lists whose hashes collide: the second is refused (54000), never
 *      confused with the first.
 *   3. The canonical text is "struct<name type, ...>" with names as quote_ident would write
 *      them (except that reserved words stay unquoted: the text is read back here, not by the
 *      grammar) and types as format_type() spells them with their typmods, nested structs in the
 *      same form; parsing it back gives the same field list.
 */
#ifndef RIVULET_SQL_TYPES_STRUCT_H
#define RIVULET_SQL_TYPES_STRUCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "sql/datum.h"
#include "sql/types.h"

#define STRUCT_MAX_FIELDS 1600 /* PostgreSQL's MaxTupleAttributeNumber */

typedef struct StructField {
    const char *name;
    Oid type;
    int32_t typmod; /* for a nested struct: its registry typmod */
} StructField;

typedef struct StructType {
    int32_t typmod; /* the key in the registry */
    int nfields;
    const StructField *fields;
    const Oid *types; /* fields[i].type, as rowcodec wants them */
    const char *text; /* canonical text (invariant 3) */
} StructType;

/*
 * Interns the field list (names are copied). 42701 for two fields of one name, 54011 for
 * more than STRUCT_MAX_FIELDS, 54000 on a hash collision (invariant 2).
 */
int struct_type_intern(const StructField *fields, int nfields, const StructType **out, Err *err);
/* The registered type of a typmod; NULL when none is (a typmod never interned here). */
const StructType *struct_type_lookup(int32_t typmod);
/*
 * Interns the type a canonical text names (as written by StructType.text; the catalog's
 * columns.type_def). 42601 / 42704 when the text is not such a type.
 */
int struct_type_intern_text(const char *text, const StructType **out, Err *err);

/* The canonical text of a struct column's type (the catalog's columns.type_def), NULL when
 * (type, typmod) is not a registered struct type. */
const char *struct_type_def(Oid type, int32_t typmod);
/*
 * Start-up: interns the type_def of a stored column and checks it names typmod (XX001 when
 * it does not: the catalog and the registry disagree).
 */
int struct_type_restore(const char *type_def, int32_t typmod, Err *err);
/* The typmod a canonical text hashes to (invariant 2). */
int32_t struct_type_typmod_of(const char *text);
/* Tests only: replaces the hash (NULL restores it), to provoke collisions. */
void struct_type_set_hash_hook(int32_t (*hook)(const char *text));
/*
 * format_type(type, typmod), with a struct (record with a registered typmod) spelled as its
 * canonical text: "struct<id bigint, name character varying>". Appends to out.
 */
void struct_type_format(Oid type, int32_t typmod, Buf *out);

/* A value of st from its fields' values (vals[0 .. st->nfields)); allocated in a. */
int struct_value_make(const StructType *st, const Value *vals, Arena *a, Datum *out, Err *err);
/* The typmod a struct value carries (its first 4 bytes). */
int32_t struct_value_typmod(Datum d);
/* Field i of a struct value (by-reference fields point into the value or are copied to a). */
Value struct_value_field(Datum d, int i, Arena *a);
/* Validates a struct value read from outside (its typmod registered, its row well formed). */
int struct_value_check(Datum d, Err *err);

/* The I/O functions of type record (TypeInfo in sql/types.c): a typmod < 0 (an anonymous
 * record) is refused on input with 0A000, as PostgreSQL. */
int record_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
              Err *err);
void record_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int record_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void record_send(Datum d, int32_t typmod, Buf *out);

#endif
