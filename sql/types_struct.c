/*
 * sql/types_struct.c — STRUCT types (sql/types_struct.h): the process-wide registry of field
 * lists, struct values (a typmod and a rowcodec row), and the text and binary I/O of the type
 * `record` (PostgreSQL's record_in / record_out / record_recv / record_send).
 *
 * The registry is an open-addressing table of atomic pointers keyed by typmod. Writers take a
 * mutex; readers (every output or field access of a value) probe without it: a slot, once
 * filled, never changes, and the entry it points to is published with a release store after
 * it is complete. Entries are malloc'd and never freed (they are "still reachable" at exit,
 * which the valgrind run does not count as a leak).
 *
 * Invariants:
 *   1. A slot goes from NULL to an entry exactly once; entries are immutable once published.
 *   2. The hash is FNV-1a (32 bits) of the canonical text reduced modulo 2^31 - 1, so it is in
 *      [0, 2^31 - 2] and the same in every process and on every host.
 *   3. record_in accepts exactly what PostgreSQL's record_in accepts for the same field types
 *      (quotes, backslashes, empty fields as NULL, whitespace around the parentheses), and
 *      record_out's text reads back through record_in to the same value.
 */
#include "sql/types_struct.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/bind_struct.h"
#include "sql/func_catalog.h"
#include "sql/rowcodec.h"

#define REG_SLOTS 16384 /* a power of two; at most 3/4 of it is filled */
#define REG_MAX (REG_SLOTS / 4 * 3)
#define TEXT_MAX (1u << 20) /* the canonical text of one struct type */

static _Atomic(const StructType *) reg_slots[REG_SLOTS];
static int reg_count;
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static int32_t (*reg_hash_hook)(const char *text);

static int32_t
text_hash(const char *text)
{
    uint32_t h = 2166136261u;

    if (reg_hash_hook != NULL)
        return reg_hash_hook(text);
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return (int32_t)(h % 0x7FFFFFFFu);
}

int32_t
struct_type_typmod_of(const char *text)
{
    return text_hash(text);
}

void
struct_type_set_hash_hook(int32_t (*hook)(const char *text))
{
    reg_hash_hook = hook;
}

const StructType *
struct_type_lookup(int32_t typmod)
{
    uint32_t i;

    if (typmod < 0)
        return NULL;
    for (i = (uint32_t)typmod & (REG_SLOTS - 1);; i = (i + 1) & (REG_SLOTS - 1)) {
        const StructType *st = atomic_load_explicit(&reg_slots[i], memory_order_acquire);

        if (st == NULL)
            return NULL;
        if (st->typmod == typmod)
            return st;
    }
}

/* ---- canonical text --------------------------------------------------------------------- */

/* quote_ident's rule for names (reserved words are not quoted: names are read back by
 * struct_type_intern_text, not by the grammar). */
static void
put_name(const char *s, Buf *out)
{
    bool safe = (*s >= 'a' && *s <= 'z') || *s == '_';

    for (const char *p = s; *p != '\0' && safe; p++)
        safe = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    if (safe) {
        buf_put_str(out, s);
        return;
    }
    buf_put_u8(out, '"');
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '"')
            buf_put_u8(out, '"');
        buf_put_u8(out, (uint8_t)*p);
    }
    buf_put_u8(out, '"');
}

void
struct_type_format(Oid type, int32_t typmod, Buf *out)
{
    const StructType *st = type == TYPE_RECORD ? struct_type_lookup(typmod) : NULL;

    if (st != NULL)
        buf_put_str(out, st->text);
    else
        type_format(type, typmod, true, out);
}

static int
check_fields(const StructField *fields, int nfields, Err *err)
{
    if (nfields < 0 || nfields > STRUCT_MAX_FIELDS)
        return ERR_RAISE(err, ERRCODE_TOO_MANY_COLUMNS, "tables can have at most %d columns",
                         STRUCT_MAX_FIELDS);
    for (int i = 0; i < nfields; i++) {
        const TypeInfo *t = type_by_oid(fields[i].type);

        if (fields[i].name == NULL || fields[i].name[0] == '\0')
            return ERR_RAISE(err, ERRCODE_SYNTAX_ERROR, "zero-length delimited identifier");
        if (t == NULL || !t->supported ||
            (fields[i].type == TYPE_RECORD && struct_type_lookup(fields[i].typmod) == NULL))
            return ERR_RAISE(err, ERRCODE_UNDEFINED_OBJECT, "type with OID %u does not exist",
                             (unsigned)fields[i].type);
        for (int j = 0; j < i; j++) {
            if (strcmp(fields[i].name, fields[j].name) == 0)
                return ERR_RAISE(err, ERRCODE_DUPLICATE_COLUMN,
                                 "column \"%s\" specified more than once", fields[i].name);
        }
    }
    return 0;
}

/* A new entry: one malloc holding the StructType, its arrays and strings. */
static StructType *
make_entry(const StructField *fields, int nfields, const char *text, int32_t typmod)
{
    size_t names = 0, tlen = strlen(text) + 1, off;
    StructType *st;
    StructField *f;
    Oid *types;
    char *p;

    for (int i = 0; i < nfields; i++)
        names += strlen(fields[i].name) + 1;
    off = sizeof *st + sizeof *f * (size_t)nfields + sizeof *types * (size_t)nfields;
    st = malloc(off + names + tlen);
    if (st == NULL)
        return NULL;
    f = (StructField *)(st + 1);
    types = (Oid *)(f + nfields);
    p = (char *)st + off;
    for (int i = 0; i < nfields; i++) {
        size_t n = strlen(fields[i].name) + 1;

        memcpy(p, fields[i].name, n);
        f[i] = (StructField){p, fields[i].type, fields[i].typmod};
        types[i] = fields[i].type;
        p += n;
    }
    memcpy(p, text, tlen);
    *st = (StructType){typmod, nfields, f, types, p};
    return st;
}

int
struct_type_intern(const StructField *fields, int nfields, const StructType **out, Err *err)
{
    const StructType *found = NULL;
    StructType *st;
    int32_t typmod;
    uint32_t i;
    Buf text;
    int rc = 0;

    *out = NULL;
    if (check_fields(fields, nfields, err) < 0)
        return -1;
    buf_init(&text, TEXT_MAX);
    buf_put_str(&text, "struct<");
    for (int k = 0; k < nfields; k++) {
        if (k > 0)
            buf_put_str(&text, ", ");
        put_name(fields[k].name, &text);
        buf_put_u8(&text, ' ');
        struct_type_format(fields[k].type, fields[k].typmod, &text);
    }
    buf_put_str(&text, ">");
    buf_put_u8(&text, '\0');
    if (text.failed) {
        buf_free(&text);
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "struct type definition is too long");
    }
    typmod = text_hash((const char *)text.data);
    pthread_mutex_lock(&reg_lock);
    for (i = (uint32_t)typmod & (REG_SLOTS - 1);; i = (i + 1) & (REG_SLOTS - 1)) {
        found = atomic_load_explicit(&reg_slots[i], memory_order_relaxed);
        if (found == NULL || found->typmod == typmod)
            break;
    }
    if (found != NULL) {
        if (strcmp(found->text, (const char *)text.data) != 0)
            rc = ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                           "struct type %s has the same hash as %s", (const char *)text.data,
                           found->text);
        else
            *out = found;
    } else if (reg_count >= REG_MAX) {
        rc = ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "too many distinct struct types");
    } else if ((st = make_entry(fields, nfields, (const char *)text.data, typmod)) == NULL) {
        rc = ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    } else {
        atomic_store_explicit(&reg_slots[i], st, memory_order_release);
        reg_count++;
        *out = st;
    }
    pthread_mutex_unlock(&reg_lock);
    buf_free(&text);
    return rc;
}

/* ---- parsing the canonical text back ------------------------------------------------------ */

static int
bad_text(const char *text, Err *err)
{
    return ERR_RAISE(err, ERRCODE_SYNTAX_ERROR, "invalid struct type definition \"%.200s\"", text);
}

/* Reads "struct<...>" at *p; on success *p is past the '>'. depth limits nesting. */
static int
parse_struct(const char *all, const char **p, int depth, const StructType **out, Err *err)
{
    StructField *fields = NULL;
    char **names = NULL;
    int n = 0, cap = 0, rc = -1;
    const char *s = *p;

    if (depth > 32 || strncmp(s, "struct<", 7) != 0)
        return bad_text(all, err);
    s += 7;
    while (*s != '>') {
        Buf name;
        const char *t;
        int par = 0;

        if (*s == '\0')
            goto syntax;
        if (n > 0) {
            if (strncmp(s, ", ", 2) != 0)
                goto syntax;
            s += 2;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            fields = realloc(fields, sizeof *fields * (size_t)cap);
            names = realloc(names, sizeof *names * (size_t)cap);
            if (fields == NULL || names == NULL)
                abort(); /* as the arenas do on out of memory */
        }
        buf_init(&name, TEXT_MAX);
        if (*s == '"') {
            for (s++; *s != '\0' && !(*s == '"' && s[1] != '"'); s++) {
                if (*s == '"')
                    s++;
                buf_put_u8(&name, (uint8_t)*s);
            }
            if (*s == '"')
                s++;
        } else {
            while (*s != '\0' && *s != ' ')
                buf_put_u8(&name, (uint8_t)*s++);
        }
        buf_put_u8(&name, '\0');
        names[n] = strdup((const char *)name.data);
        buf_free(&name);
        if (names[n] == NULL)
            abort();
        fields[n].name = names[n];
        n++;
        if (*s != ' ' || names[n - 1][0] == '\0')
            goto syntax;
        s++;
        if (strncmp(s, "struct<", 7) == 0) {
            const StructType *inner;

            if (parse_struct(all, &s, depth + 1, &inner, err) < 0)
                goto fail;
            fields[n - 1].type = TYPE_RECORD;
            fields[n - 1].typmod = inner->typmod;
            continue;
        }
        for (t = s; *t != '\0' && (par > 0 || (*t != ',' && *t != '>')); t++)
            par += *t == '(' ? 1 : *t == ')' ? -1 : 0;
        if (t == s || *t == '\0')
            goto syntax;
        if (bind_struct_type_text(s, (size_t)(t - s), 0, &fields[n - 1].type, &fields[n - 1].typmod,
                                  err) < 0)
            goto fail;
        s = t;
    }
    s++;
    rc = struct_type_intern(fields, n, out, err);
    *p = s;
    goto fail;
syntax:
    bad_text(all, err);
fail:
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(fields);
    return rc;
}

int
struct_type_intern_text(const char *text, const StructType **out, Err *err)
{
    const char *p = text;

    *out = NULL;
    if (parse_struct(text, &p, 0, out, err) < 0)
        return -1;
    if (*p != '\0') {
        *out = NULL;
        return bad_text(text, err);
    }
    return 0;
}

/* ---- values -------------------------------------------------------------------------------- */

int
struct_value_make(const StructType *st, const Value *vals, Arena *a, Datum *out, Err *err)
{
    VarData *v;
    Buf row;

    buf_init(&row, (size_t)UINT32_MAX - 16);
    if (rowcodec_encode(st->types, st->nfields, vals, &row, err) < 0) {
        buf_free(&row);
        return -1;
    }
    v = arena_alloc(a, sizeof(VarData) + 4 + row.len + 1);
    v->len = (uint32_t)(4 + row.len);
    memcpy(v->data, &st->typmod, 4);
    memcpy(v->data + 4, row.data, row.len);
    v->data[4 + row.len] = '\0';
    buf_free(&row);
    *out = datum_from_var(v);
    return 0;
}

int32_t
struct_value_typmod(Datum d)
{
    int32_t typmod;

    memcpy(&typmod, datum_get_var(d)->data, 4);
    return typmod;
}

Value
struct_value_field(Datum d, int i, Arena *a)
{
    const StructType *st = struct_type_lookup(struct_value_typmod(d));
    const uint8_t *row = (const uint8_t *)datum_get_var(d)->data + 4;

    if (st == NULL || i < 0 || i >= st->nfields)
        return (Value){0, true};
    return rowcodec_get(row, st->types, i, a);
}

int
struct_value_check(Datum d, Err *err)
{
    const VarData *v = datum_get_var(d);
    const StructType *st;

    if (v->len < 4 || (st = struct_type_lookup(struct_value_typmod(d))) == NULL)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed struct value");
    return rowcodec_check((const uint8_t *)v->data + 4, v->len - 4, st->types, st->nfields, err);
}

/* ---- text I/O ----------------------------------------------------------------------------- */

/*
 * The value's row, read in place when 4-aligned (always, for values made here or read in
 * place by rowcodec); else copied to *tmp (malloc'd, the caller frees it).
 */
static const uint8_t *
value_row(Datum d, uint8_t **tmp)
{
    const VarData *v = datum_get_var(d);
    const uint8_t *row = (const uint8_t *)v->data + 4;

    *tmp = NULL;
    if (((uintptr_t)row & 3) == 0)
        return row;
    *tmp = malloc(v->len - 4 + 1);
    if (*tmp == NULL)
        abort();
    memcpy(*tmp, row, v->len - 4);
    return *tmp;
}

/* The output of one non-NULL field, quoted as record_out does. */
static void
put_field_text(Oid type, int32_t typmod, Datum d, const TypeIoCtx *io, Buf *out)
{
    const TypeInfo *t = type_by_oid(type);
    bool quote;
    Buf f;

    buf_init(&f, BUF_DEFAULT_MAX);
    t->out(d, typmod, io, &f);
    quote = f.len == 0;
    for (size_t k = 0; k < f.len && !quote; k++) {
        uint8_t c = f.data[k];

        quote = c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' || isspace(c);
    }
    if (!quote) {
        buf_append(out, f.data, f.len);
    } else {
        buf_put_u8(out, '"');
        for (size_t k = 0; k < f.len; k++) {
            if (f.data[k] == '"' || f.data[k] == '\\')
                buf_put_u8(out, f.data[k]);
            buf_put_u8(out, f.data[k]);
        }
        buf_put_u8(out, '"');
    }
    buf_free(&f);
}

void
record_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    const StructType *st = struct_type_lookup(struct_value_typmod(d));
    uint8_t *tmp;
    const uint8_t *row = value_row(d, &tmp);

    (void)typmod;
    buf_put_u8(out, '(');
    for (int i = 0; st != NULL && i < st->nfields; i++) {
        if (i > 0)
            buf_put_u8(out, ',');
        if (rowcodec_isnull(row, i))
            continue;
        /* fields are read in place: a value's row is 4-aligned (sql/types_struct.h) */
        put_field_text(st->types[i], st->fields[i].typmod, rowcodec_get(row, st->types, i, NULL).d,
                       io, out);
    }
    buf_put_u8(out, ')');
    free(tmp);
}

static int
malformed(const char *s, Err *err, const char *detail)
{
    ERR_RAISE(err, ERRCODE_INVALID_TEXT_REPRESENTATION, "malformed record literal: \"%.400s\"", s);
    err_detail(err, "%s", detail);
    return -1;
}

static int
anonymous(Err *err)
{
    return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                     "input of anonymous composite types is not implemented");
}

/* Reads one non-NULL field at *p into f (record_in's de-quoting); *p ends at ',' or ')'. */
static int
read_field(const char *s, const char **p, const char *end, Buf *f, Err *err)
{
    const char *q = *p;
    bool inquote = false;

    while (inquote || !(*q == ',' || *q == ')')) {
        char c = q < end ? *q++ : '\0';

        if (c == '\0')
            return malformed(s, err, "Unexpected end of input.");
        if (c == '\\') {
            if (q >= end)
                return malformed(s, err, "Unexpected end of input.");
            buf_put_u8(f, (uint8_t)*q++);
        } else if (c == '"') {
            if (!inquote)
                inquote = true;
            else if (q < end && *q == '"')
                buf_put_u8(f, (uint8_t)*q++);
            else
                inquote = false;
        } else {
            buf_put_u8(f, (uint8_t)c);
        }
        if (q >= end && !inquote)
            return malformed(s, err, "Unexpected end of input.");
    }
    *p = q;
    return 0;
}

int
record_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
          Err *err)
{
    const StructType *st = struct_type_lookup(typmod);
    const char *p = s, *end = s + len;
    Value *vals;
    Buf f;
    int rc = -1;

    if (typmod < 0 || st == NULL)
        return anonymous(err);
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p >= end || *p++ != '(')
        return malformed(s, err, "Missing left parenthesis.");
    vals = arena_alloc(a, sizeof(Value) * (size_t)(st->nfields ? st->nfields : 1));
    buf_init(&f, BUF_DEFAULT_MAX);
    for (int i = 0; i < st->nfields; i++) {
        const TypeInfo *t = type_by_oid(st->types[i]);

        if (i > 0) {
            if (p < end && *p == ',') {
                p++;
            } else {
                malformed(s, err, "Too few columns.");
                goto done;
            }
        }
        if (p < end && (*p == ',' || *p == ')')) {
            vals[i] = (Value){0, true};
            continue;
        }
        buf_reset(&f);
        if (read_field(s, &p, end, &f, err) < 0)
            goto done;
        buf_put_u8(&f, '\0');
        if (f.failed) {
            ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "record literal is too long");
            goto done;
        }
        vals[i].isnull = false;
        if (t->in((const char *)f.data, f.len - 1, st->fields[i].typmod, io, a, &vals[i].d, err) <
            0)
            goto done;
    }
    if (p >= end || *p++ != ')') {
        malformed(s, err, "Too many columns.");
        goto done;
    }
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p < end) {
        malformed(s, err, "Junk after right parenthesis.");
        goto done;
    }
    rc = struct_value_make(st, vals, a, out, err);
done:
    buf_free(&f);
    return rc;
}

/* ---- binary I/O ----------------------------------------------------------------------------- */

void
record_send(Datum d, int32_t typmod, Buf *out)
{
    const StructType *st = struct_type_lookup(struct_value_typmod(d));
    uint8_t *tmp;
    const uint8_t *row = value_row(d, &tmp);

    (void)typmod;
    buf_put_u32(out, st != NULL ? (uint32_t)st->nfields : 0);
    for (int i = 0; st != NULL && i < st->nfields; i++) {
        size_t at;

        buf_put_u32(out, st->types[i]);
        if (rowcodec_isnull(row, i)) {
            buf_put_u32(out, UINT32_MAX);
            continue;
        }
        at = out->len;
        buf_put_u32(out, 0);
        type_by_oid(st->types[i])
            ->send(rowcodec_get(row, st->types, i, NULL).d, st->fields[i].typmod, out);
        if (!out->failed)
            buf_patch_u32(out, at, (uint32_t)(out->len - at - 4));
    }
    free(tmp);
}

static int
short_data(Err *err)
{
    return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "insufficient data left in message");
}

int
record_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    const StructType *st = struct_type_lookup(typmod);
    size_t pos = 4;
    Value *vals;
    int32_t n;

    if (typmod < 0 || st == NULL)
        return anonymous(err);
    if (len < 4)
        return short_data(err);
    n = (int32_t)buf_get_u32(p);
    if (n != st->nfields)
        return ERR_RAISE(err, ERRCODE_DATATYPE_MISMATCH, "wrong number of columns: %d, expected %d",
                         (int)n, st->nfields);
    vals = arena_alloc(a, sizeof(Value) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        const TypeInfo *t = type_by_oid(st->types[i]);
        Oid oid;
        int32_t flen;

        if (len - pos < 8)
            return short_data(err);
        oid = buf_get_u32(p + pos);
        flen = (int32_t)buf_get_u32(p + pos + 4);
        pos += 8;
        if (oid != st->types[i])
            return ERR_RAISE(err, ERRCODE_DATATYPE_MISMATCH,
                             "binary data has type %u (%s) instead of expected %u (%s) in record "
                             "column %d",
                             (unsigned)oid, type_sql_name(oid), (unsigned)st->types[i],
                             type_sql_name(st->types[i]), i + 1);
        if (flen == -1) {
            vals[i] = (Value){0, true};
            continue;
        }
        if (flen < 0 || (size_t)flen > len - pos)
            return short_data(err);
        vals[i].isnull = false;
        if (t->recv(p + pos, (size_t)flen, st->fields[i].typmod, a, &vals[i].d, err) < 0)
            return -1;
        pos += (size_t)flen;
    }
    if (pos != len)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "incorrect binary data format");
    return struct_value_make(st, vals, a, out, err);
}

/* ---- the catalog ------------------------------------------------------------------------------
 */

const char *
struct_type_def(Oid type, int32_t typmod)
{
    const StructType *st = type == TYPE_RECORD ? struct_type_lookup(typmod) : NULL;

    return st != NULL ? st->text : NULL;
}

int
struct_type_restore(const char *type_def, int32_t typmod, Err *err)
{
    const StructType *st;

    if (struct_type_intern_text(type_def, &st, err) < 0)
        return -1;
    if (st->typmod != typmod)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED,
                         "struct type %s has typmod %d in the catalog, %d here", st->text,
                         (int)typmod, (int)st->typmod);
    return 0;
}
