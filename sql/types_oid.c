/*
 * sql/types_oid.c — the oid and regtype types: text and binary I/O, the
 * parser of type names written as strings (regtype input), and
 * format_type()'s spelling of a type (regtype output, pg_typeof, psql's
 * \gdesc).
 *
 * oid is an unsigned 32-bit number; its input accepts what PostgreSQL's
 * oidin accepts (strtoul with a range check: -2147483648 .. 4294967295, a
 * negative value wrapping to its unsigned twin). regtype is an oid whose
 * text form is a type name: output is format_type(oid) (or "-" for 0, or
 * the number for an OID that names no type), input takes a type name or a
 * number.
 *
 * Invariants:
 *   1. Datums hold the 32 bits sign-extended (sql/func_catalog.h), so the
 *      binary casts to and from int4 keep words equal.
 *   2. type_parse_name() accepts the SQL spellings PostgreSQL's grammar
 *      turns into built-in type names (integer, double precision, character
 *      varying, timestamp with time zone, ...) and ignores modifiers; an
 *      unknown name is 42704, an unknown schema 3F000, junk 42601.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/func_catalog.h"
#include "sql/types_struct.h"

/* ---- oid ------------------------------------------------------------------ */

int
oid_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
       Err *err)
{
    int64_t v;
    int rc = int_parse(s, len, INT32_MIN, UINT32_MAX, &v);

    (void)typmod, (void)io, (void)a;
    if (rc == -1)
        return ERR_RAISE(err, ERRCODE_INVALID_TEXT_REPRESENTATION,
                         "invalid input syntax for type oid: \"%s\"", s);
    if (rc == -2)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                         "value \"%s\" is out of range for type oid", s);
    *out = datum_from_oid((Oid)(uint32_t)v);
    return 0;
}

void
oid_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)typmod, (void)io;
    int_format((int64_t)datum_get_oid(d), out);
}

int
oid_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    (void)typmod, (void)a;
    if (len < 4)
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "insufficient data left in message");
    if (len > 4)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "incorrect binary data format");
    *out = datum_from_oid(buf_get_u32(p));
    return 0;
}

void
oid_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u32(out, datum_get_oid(d));
}

/* ---- format_type ------------------------------------------------------------ */

/* Types whose format_type() spelling is an SQL keyword form, which ignores a typmod unless the
 * type has a typmodout (PostgreSQL's format_type_extended special cases). */
static bool
is_special_spelling(Oid oid)
{
    switch (oid) {
    case TYPE_BOOL:
    case TYPE_BPCHAR:
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_NUMERIC:
    case TYPE_INTERVAL:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_VARCHAR:
        return true;
    default:
        return false;
    }
}

void
type_format(Oid oid, int32_t typmod, bool typmod_given, Buf *out)
{
    const TypeInfo *t = type_by_oid(oid);
    bool with_typmod = typmod_given && typmod >= 0;
    char tmp[256];

    if (oid == TYPE_INVALID) {
        buf_put_str(out, "-");
        return;
    }
    if (t == NULL) {
        buf_put_str(out, "???");
        return;
    }
    if (oid == TYPE_RECORD && with_typmod && struct_type_lookup(typmod) != NULL) {
        buf_put_str(out, struct_type_lookup(typmod)->text); /* sql/types_struct.h */
        return;
    }
    if (oid == TYPE_BPCHAR && typmod_given && !with_typmod) {
        /* bpchar with typmod -1 is not character, which means character(1) */
        buf_put_str(out, "bpchar");
        return;
    }
    if (is_special_spelling(oid)) {
        if (with_typmod && t->typmodout != NULL)
            buf_put_str(out, type_format_typmod(oid, typmod, tmp, sizeof tmp));
        else
            buf_put_str(out, t->sql_name);
        return;
    }
    buf_put_str(out, t->sql_name);
    if (with_typmod) {
        if (t->typmodout != NULL) {
            t->typmodout(typmod, out);
        } else {
            snprintf(tmp, sizeof tmp, "(%d)", (int)typmod);
            buf_put_str(out, tmp);
        }
    }
}

/* ---- regtype ---------------------------------------------------------------- */

void
regtype_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    Oid oid = datum_get_oid(d);

    (void)typmod, (void)io;
    if (oid != TYPE_INVALID && type_by_oid(oid) == NULL)
        int_format((int64_t)oid, out);
    else
        type_format(oid, -1, false, out);
}

int
regtype_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
           Err *err)
{
    Oid oid;

    if (len > 0 && strspn(s, "0123456789") == len)
        return oid_in(s, len, typmod, io, a, out, err);
    if (len == 1 && s[0] == '-') {
        *out = datum_from_oid(TYPE_INVALID);
        return 0;
    }
    if (type_parse_name(s, len, &oid, err) < 0)
        return -1;
    *out = datum_from_oid(oid);
    return 0;
}

/* ---- type names (regtype input) ---------------------------------------------- */

/* A token of a type name: an identifier (unquoted ones lower-cased), a number or punctuation. */
typedef struct Tok {
    char text[64];
    bool ident;
    bool quoted;
} Tok;

#define MAX_TOKS 16

/* Splits s into tokens; -1 (42601) on an unterminated quote or a name too long. */
static int
tokenize(const char *s, size_t len, Tok *toks, int *ntoks, Err *err)
{
    size_t i = 0;
    int n = 0;

    while (i < len) {
        Tok *t = &toks[n];
        size_t k = 0;

        if (isspace((unsigned char)s[i])) {
            i++;
            continue;
        }
        if (n == MAX_TOKS)
            return ERR_RAISE(err, ERRCODE_SYNTAX_ERROR, "invalid type name \"%s\"", s);
        memset(t, 0, sizeof *t);
        if (s[i] == '"') {
            t->ident = t->quoted = true;
            for (i++; i < len && !(s[i] == '"' && (i + 1 >= len || s[i + 1] != '"')); i++) {
                if (s[i] == '"')
                    i++;
                if (k + 1 < sizeof t->text)
                    t->text[k++] = s[i];
            }
            if (i >= len)
                return ERR_RAISE(err, ERRCODE_SYNTAX_ERROR, "unterminated quoted identifier");
            i++;
        } else if (isalpha((unsigned char)s[i]) || s[i] == '_' || (unsigned char)s[i] >= 0x80) {
            t->ident = true;
            while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '$' ||
                               (unsigned char)s[i] >= 0x80)) {
                if (k + 1 < sizeof t->text)
                    t->text[k++] = (char)tolower((unsigned char)s[i]);
                i++;
            }
        } else if (isdigit((unsigned char)s[i])) {
            while (i < len && isdigit((unsigned char)s[i]) && k + 1 < sizeof t->text)
                t->text[k++] = s[i++];
        } else {
            t->text[k++] = s[i++];
        }
        n++;
    }
    *ntoks = n;
    return 0;
}

static bool
is_word(const Tok *toks, int n, int i, const char *w)
{
    return i < n && toks[i].ident && !toks[i].quoted && strcmp(toks[i].text, w) == 0;
}

static bool
is_punct(const Tok *toks, int n, int i, char c)
{
    return i < n && !toks[i].ident && toks[i].text[0] == c;
}

/* A parenthesised modifier list as the grammar reads it. */
typedef struct Mods {
    int n;
    int32_t v[8];
    bool all_int;            /* every modifier an integer constant */
    const char *first_ident; /* else the first that is not */
} Mods;

/*
 * Reads "(a, b, ...)" at toks[*i] (nothing when there is no "("), advancing *i past it. Returns
 * -1 with *i at the offending token on a syntax error (an empty list, a missing ")").
 */
static int
read_mods(const Tok *toks, int n, int *i, Mods *m, int max)
{
    int k = *i;

    m->n = 0;
    m->all_int = true;
    if (!is_punct(toks, n, k, '('))
        return 0;
    for (k++;; k++) {
        bool neg = false;

        if (is_punct(toks, n, k, '-')) { /* a negative number: "numeric(5,-2)" */
            neg = true;
            k++;
        }
        if (k < n && toks[k].ident && !neg) {
            if (m->all_int)
                m->first_ident = toks[k].text;
            m->all_int = false;
        } else if (k < n && isdigit((unsigned char)toks[k].text[0])) {
            long v = strtol(toks[k].text, NULL, 10);

            if (m->n < 8)
                m->v[m->n] = (int32_t)(neg ? -v : v);
        } else {
            *i = k;
            return -1;
        }
        m->n++;
        k++;
        if (is_punct(toks, n, k, ')'))
            break;
        if (!is_punct(toks, n, k, ',') || m->n == max) {
            *i = k;
            return -1;
        }
    }
    *i = k + 1;
    return 0;
}

static int
syntax_error(const char *s, const Tok *toks, int n, int i, Err *err)
{
    if (i < 0 || i >= n)
        ERR_RAISE(err, ERRCODE_SYNTAX_ERROR, "syntax error at end of input");
    else
        ERR_RAISE(err, ERRCODE_SYNTAX_ERROR, "syntax error at or near \"%s\"", toks[i].text);
    err_context(err, "invalid type name \"%s\"", s);
    return -1;
}

/* Applies the type's typmodin to the modifiers, for its errors (typenameTypeMod). */
static int
check_mods(const TypeInfo *t, const Mods *m, Err *err)
{
    int32_t typmod;

    if (m->n == 0)
        return 0;
    if (t->typmodin == NULL)
        return ERR_RAISE(err, ERRCODE_SYNTAX_ERROR, "type modifier is not allowed for type \"%s\"",
                         t->name);
    if (!m->all_int) /* identifiers reach typmodin as strings, which wants integers */
        return ERR_RAISE(err, ERRCODE_INVALID_TEXT_REPRESENTATION,
                         "invalid input syntax for type integer: \"%s\"", m->first_ident);
    return t->typmodin(m->v, m->n, &typmod, err);
}

/*
 * The keyword spellings of PostgreSQL's grammar (SimpleTypename) at toks[0]: sets *name and
 * *i to the index after the type (and its modifiers, read into *m); returns 0 when toks[0]
 * does not start one, 1 when it does, -1 on a syntax error at *i, -2 with err filled.
 */
static int
keyword_type(const Tok *toks, int n, const char **name, int *i, Mods *m, Err *err)
{
    static const struct {
        const char *word;
        const char *name;
        int maxmods; /* how many modifiers the grammar takes */
    } simple[] = {
        {"int", "int4", 0},        {"integer", "int4", 0}, {"smallint", "int2", 0},
        {"bigint", "int8", 0},     {"real", "float4", 0},  {"boolean", "bool", 0},
        {"decimal", "numeric", 8}, {"dec", "numeric", 8},  {"numeric", "numeric", 8},
        {"varchar", "varchar", 1},
    };

    *i = 1;
    m->n = 0;
    m->all_int = true;
    for (size_t k = 0; k < sizeof simple / sizeof simple[0]; k++) {
        if (is_word(toks, n, 0, simple[k].word)) {
            *name = simple[k].name;
            return simple[k].maxmods > 0 && read_mods(toks, n, i, m, simple[k].maxmods) < 0 ? -1
                                                                                            : 1;
        }
    }
    if (is_word(toks, n, 0, "double") && is_word(toks, n, 1, "precision")) {
        *name = "float8";
        *i = 2;
        return 1;
    }
    if (is_word(toks, n, 0, "float")) {
        if (read_mods(toks, n, i, m, 1) < 0)
            return -1;
        if (!m->all_int) { /* the grammar takes an integer constant only */
            *i = 2;
            return -1;
        }
        if (m->n == 1 && m->v[0] < 1) {
            ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                      "precision for type float must be at least 1 bit");
            return -2;
        }
        if (m->n == 1 && m->v[0] > 53) {
            ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                      "precision for type float must be less than 54 bits");
            return -2;
        }
        *name = m->n == 1 && m->v[0] <= 24 ? "float4" : "float8";
        m->n = 0;
        return 1;
    }
    if (is_word(toks, n, 0, "national")) {
        if (!is_word(toks, n, 1, "character") && !is_word(toks, n, 1, "char"))
            return -1;
        *i = 2;
    }
    if (*i == 2 || is_word(toks, n, 0, "character") || is_word(toks, n, 0, "char") ||
        is_word(toks, n, 0, "nchar")) {
        *name = "bpchar";
        if (is_word(toks, n, *i, "varying")) {
            *name = "varchar";
            (*i)++;
        }
        return read_mods(toks, n, i, m, 1) < 0 ? -1 : 1;
    }
    if (is_word(toks, n, 0, "timestamp") || is_word(toks, n, 0, "time")) {
        bool ts = is_word(toks, n, 0, "timestamp");

        if (read_mods(toks, n, i, m, 1) < 0)
            return -1;
        *name = ts ? "timestamp" : "time";
        if (is_word(toks, n, *i, "with") || is_word(toks, n, *i, "without")) {
            if (!is_word(toks, n, *i + 1, "time") || !is_word(toks, n, *i + 2, "zone"))
                return -1;
            if (is_word(toks, n, *i, "with"))
                *name = ts ? "timestamptz" : "timetz";
            *i += 3;
        }
        return 1;
    }
    if (is_word(toks, n, 0, "interval")) {
        static const char *const fields[] = {"year",   "month",  "day", "hour",
                                             "minute", "second", "to"};
        bool more = true;

        *name = "interval";
        while (more) {
            Mods ignored;

            more = false;
            for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
                if (is_word(toks, n, *i, fields[k])) {
                    (*i)++;
                    more = true;
                }
            }
            if (is_punct(toks, n, *i, '(')) {
                if (read_mods(toks, n, i, &ignored, 1) < 0)
                    return -1;
                more = true;
            }
        }
        return 1;
    }
    return 0;
}

int
type_parse_name(const char *s, size_t len, Oid *out, Err *err)
{
    Tok toks[MAX_TOKS];
    int n = 0, i = 0, kw;
    const char *name = NULL, *schema = NULL;
    const TypeInfo *t;
    Mods m;

    if (tokenize(s, len, toks, &n, err) < 0)
        return -1;
    if (n == 0)
        return ERR_RAISE(err, ERRCODE_SYNTAX_ERROR, "invalid type name \"%s\"", s);
    kw = keyword_type(toks, n, &name, &i, &m, err);
    if (kw == -2) {
        err_context(err, "invalid type name \"%s\"", s);
        return -1;
    }
    if (kw < 0)
        return syntax_error(s, toks, n, i, err);
    if (kw == 0) {
        if (!toks[0].ident)
            return syntax_error(s, toks, n, 0, err);
        name = toks[0].text;
        i = 1;
        if (is_punct(toks, n, 1, '.')) {
            if (n < 3 || !toks[2].ident)
                return syntax_error(s, toks, n, 2, err);
            if (is_punct(toks, n, 3, '.'))
                return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                                 "cross-database references are not implemented: %s", s);
            schema = toks[0].text;
            name = toks[2].text;
            i = 3;
        }
        if (read_mods(toks, n, &i, &m, 8) < 0)
            return syntax_error(s, toks, n, i, err);
    }
    if (is_punct(toks, n, i, '['))
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "array types are not supported yet");
    if (i < n)
        return syntax_error(s, toks, n, i, err);
    if (schema != NULL && strcmp(schema, "pg_catalog") != 0 && strcmp(schema, "public") != 0)
        return ERR_RAISE(err, ERRCODE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", schema);
    t = schema != NULL && strcmp(schema, "public") == 0 ? NULL : type_by_name(name);
    if (t == NULL) {
        if (schema != NULL)
            return ERR_RAISE(err, ERRCODE_UNDEFINED_OBJECT, "type \"%s.%s\" does not exist", schema,
                             name);
        return ERR_RAISE(err, ERRCODE_UNDEFINED_OBJECT, "type \"%s\" does not exist", name);
    }
    if (check_mods(t, &m, err) < 0)
        return -1;
    *out = t->oid;
    return 0;
}
