/*
 * sql/types.h — the type registry: every SQL type Rivulet knows, as
 * PostgreSQL's pg_type describes it.
 *
 * Each TypeInfo carries what the rest of the front end needs to know about a
 * type: its OID and names (pg_type.typname for catalogs and column names,
 * format_type() spelling for messages), its storage (typlen, by value or by
 * reference — see sql/datum.h), its category and preferred flag (which
 * PostgreSQL's implicit-cast resolution uses, sql/resolve.c), and its four
 * I/O functions: text input/output (what the text wire format and casts from
 * and to strings use) and binary receive/send (the binary wire format).
 *
 * Pipeline position: used by the binder (type names, casts), the evaluator
 * (casts through I/O), and the portal (formatting result values).
 *
 * Invariants:
 *   1. The registry is a read-only table: safe to read from any thread.
 *   2. Input functions validate completely and report PostgreSQL's SQLSTATE
 *      and message (22P02 syntax, 22003 range, 22021 encoding); receive
 *      functions consume exactly len bytes or fail (22P03 / 08P01 as
 *      PostgreSQL's exec_bind_message).
 *   3. Output and send functions cannot fail: every Datum of the type is
 *      printable (a full Buf is reported by the Buf's sticky failure).
 *   4. Output depends only on the value, its typmod and the TypeIoCtx (the
 *      session's DateStyle, IntervalStyle, TimeZone, extra_float_digits).
 */
#ifndef RIVULET_SQL_TYPES_H
#define RIVULET_SQL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "sql/datum.h"
#include "sql/sql.h"

/* OIDs as in PostgreSQL's pg_type.dat, so clients see the numbers they expect. */
enum {
    TYPE_INVALID = 0,
    TYPE_BOOL = 16,
    TYPE_BYTEA = 17,
    TYPE_NAME = 19,
    TYPE_INT8 = 20,
    TYPE_INT2 = 21,
    TYPE_INT4 = 23,
    TYPE_TEXT = 25,
    TYPE_OID = 26,
    TYPE_FLOAT4 = 700,
    TYPE_FLOAT8 = 701,
    TYPE_UNKNOWN = 705,
    TYPE_BPCHAR = 1042,
    TYPE_VARCHAR = 1043,
    TYPE_DATE = 1082,
    TYPE_TIME = 1083,
    TYPE_TIMESTAMP = 1114,
    TYPE_TIMESTAMPTZ = 1184,
    TYPE_INTERVAL = 1186,
    TYPE_NUMERIC = 1700,
    TYPE_REGTYPE = 2206,
    TYPE_RECORD = 2249,
    TYPE_ANY = 2276,
    TYPE_ANYARRAY = 2277,
    TYPE_VOID = 2278,
    TYPE_ANYELEMENT = 2283,
    TYPE_ANYNONARRAY = 2776,
};

/* pg_type.typcategory */
enum {
    TYPCAT_INVALID = '\0',
    TYPCAT_ARRAY = 'A',
    TYPCAT_BOOLEAN = 'B',
    TYPCAT_DATETIME = 'D',
    TYPCAT_NUMERIC = 'N',
    TYPCAT_PSEUDO = 'P',
    TYPCAT_STRING = 'S',
    TYPCAT_TIMESPAN = 'T',
    TYPCAT_USER = 'U',
    TYPCAT_UNKNOWN = 'X',
};

/* Session settings that output and input functions depend on. */
typedef struct TypeIoCtx {
    int datestyle;          /* DATESTYLE_* (sql/datetime.h) */
    int dateorder;          /* DATEORDER_* (sql/datetime.h) */
    int intervalstyle;      /* INTSTYLE_* (sql/datetime.h) */
    int extra_float_digits; /* -15 .. 3; > 0 means shortest exact output */
    const char *timezone;   /* the TimeZone setting (sql/datetime.h tz_from_io) */
    int64_t txn_start_us;   /* µs since 2000-01-01 UTC: start of the transaction (now()) */
    int64_t stmt_start_us;  /* µs since 2000-01-01 UTC: start of the statement */
    bool bytea_escape;      /* bytea_output = escape (default hex) */
} TypeIoCtx;

/* The defaults of a fresh session (ISO, MDY; postgres; 1; UTC). */
extern const TypeIoCtx type_io_default;

/*
 * Text input: s is len bytes (NUL-terminated at s[len]); by-reference results
 * are allocated in a.
 */
typedef int (*TypeInFn)(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a,
                        Datum *out, Err *err);
typedef void (*TypeOutFn)(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
/* Binary receive: exactly len bytes at p. */
typedef int (*TypeRecvFn)(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out,
                          Err *err);
typedef void (*TypeSendFn)(Datum d, int32_t typmod, Buf *out);

typedef struct TypeInfo {
    Oid oid;
    const char *name;     /* pg_type.typname: "int4" */
    const char *sql_name; /* format_type() spelling for messages: "integer" */
    int16_t typlen;       /* -1 varlena, -2 C string, else bytes */
    bool byval;
    char category;
    bool preferred;
    bool supported; /* false: known to the registry, not implemented yet */
    TypeInFn in;
    TypeOutFn out;
    TypeRecvFn recv;
    TypeSendFn send;
    /*
     * Type modifiers, as pg_type.typmodin/typmodout: typmodin turns the
     * integers written after the type name (varchar(10), numeric(10,2))
     * into the stored typmod (22023 on bad values); typmodout appends its
     * SQL spelling ("(10)"). NULL: the type takes no modifiers. Applying a
     * typmod to a value is a length-coercion function in the catalog, named
     * as the type, taking (value, int4 typmod, bool is_explicit), as in
     * PostgreSQL (varchar(varchar, int4, bool)).
     */
    int (*typmodin)(const int32_t *mods, int nmods, int32_t *typmod, Err *err);
    void (*typmodout)(int32_t typmod, Buf *out);
} TypeInfo;

/* NULL when the OID is not a type we know. */
const TypeInfo *type_by_oid(Oid oid);
/*
 * Looks up a type by the name written in SQL, after PostgreSQL's grammar
 * rewrote the keywords (INT → int4, BOOLEAN → bool, ...): the typname, or
 * one of the aliases PostgreSQL accepts in type names. NULL when unknown.
 */
const TypeInfo *type_by_name(const char *name);
/* format_type() spelling ("integer"), or "???" for an unknown OID. */
const char *type_sql_name(Oid oid);
/*
 * format_type() with a typmod: "character varying(10)", "numeric(10,2)",
 * "timestamp(3) without time zone" (the modifier goes before " with"); the
 * plain spelling when typmod < 0 or the type has no typmodout. Writes into
 * buf (cap bytes, truncated if short) and returns it.
 */
const char *type_format_typmod(Oid oid, int32_t typmod, char *buf, size_t cap);
char type_category(Oid oid);
bool type_is_preferred(Oid oid);
/* True for the polymorphic pseudo-types (anyelement, anynonarray, ...). */
bool type_is_polymorphic(Oid oid);

/* Formats d in text form (its output function) and returns it as a NUL-terminated copy in a. */
char *type_output_cstr(const TypeInfo *t, Datum d, int32_t typmod, const TypeIoCtx *io, Arena *a);

/* The per-type I/O functions (sql/types_int.c, sql/types_text.c). */
int bool_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
            Err *err);
void bool_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int bool_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void bool_send(Datum d, int32_t typmod, Buf *out);
/* Parses PostgreSQL's boolean spellings (t/true/yes/on/1 ..., any case, trimmed). */
bool bool_parse(const char *s, size_t len, bool *result);

int int2_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
            Err *err);
int int4_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
            Err *err);
int int8_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
            Err *err);
void int2_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
void int4_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
void int8_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int int2_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
int int4_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
int int8_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void int2_send(Datum d, int32_t typmod, Buf *out);
void int4_send(Datum d, int32_t typmod, Buf *out);
void int8_send(Datum d, int32_t typmod, Buf *out);
/*
 * Parses a decimal integer as PostgreSQL's pg_strtoint64 (surrounding
 * whitespace, optional sign, at least one digit). Returns 0 ok, -1 syntax,
 * -2 out of range for [min, max].
 */
int int_parse(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);
/* Appends the decimal form of v. */
void int_format(int64_t v, Buf *out);

int float8_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
              Err *err);
void float8_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int float8_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void float8_send(Datum d, int32_t typmod, Buf *out);
/* Appends a "%.*e" rendering in PostgreSQL's shortest-output layout (sql/types_int.c). */
void float_layout(const char *e_form, int sci_from, Buf *out);
/* True when s (n bytes) is NaN, [+-]Infinity or [+-]inf in any case; sets *v. */
bool float_special_word(const char *s, size_t n, double *v);

int void_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
            Err *err);
void void_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int void_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void void_send(Datum d, int32_t typmod, Buf *out);

int text_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
            Err *err);
void text_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int text_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void text_send(Datum d, int32_t typmod, Buf *out);
int name_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
            Err *err);
int name_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);

/*
 * Checks that s is valid UTF-8 without NUL bytes; on failure raises 22021
 * `invalid byte sequence for encoding "UTF8": 0x..` as PostgreSQL.
 */
int text_verify_utf8(const char *s, size_t len, Err *err);
/* The number of characters in the first len bytes of UTF-8 text s. */
int text_char_count(const char *s, size_t len);
/* Length in bytes of the longest prefix of s (len bytes) with at most max_bytes bytes that
 * does not split a UTF-8 character. */
size_t text_clip_utf8(const char *s, size_t len, size_t max_bytes);

#endif
