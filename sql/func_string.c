/*
 * sql/func_string.c — PostgreSQL 15's string functions over text:
 * case mapping, substrings and positions, trimming and padding, concat /
 * concat_ws / format, split_part, quoting, translate, overlay, md5, chr ...
 *
 * All positions and lengths count characters of UTF-8 text, as PostgreSQL
 * does in a UTF8 database. Case mapping is the "C" locale's (the oracle's
 * initdb --locale=C): only ASCII letters change case.
 *
 * Invariants:
 *   1. Results live in call->ctx->arena; arguments are never modified.
 *   2. Results over 1 GB raise 54000 "requested length too large" before
 *      anything is allocated (func_string.h invariant 2).
 *   3. Non-strict functions (concat, concat_ws, format, quote_nullable)
 *      read call->nulls; the others are only called without NULLs.
 */
#include <stdio.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/func_string.h"
#include "sql/types.h"

#define VAR(i) datum_get_var(call->args[i])
#define INT(i) datum_get_int32(call->args[i])
#define ARENA (call->ctx->arena)

static int
too_large(Err *err)
{
    return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "requested length too large");
}

/* A fresh VarData of len bytes (NUL added), to be filled by the caller. */
static VarData *
new_text(Arena *a, size_t len)
{
    VarData *v = arena_alloc(a, sizeof(VarData) + len + 1);

    v->len = (uint32_t)len;
    v->data[len] = '\0';
    return v;
}

static int
ret_text(const FnCall *call, const char *p, size_t n, Datum *result)
{
    *result = datum_from_text(ARENA, p, n);
    return 0;
}

/* Byte offset of character number k (0-based) of s, or len when s is shorter. */
static size_t
char_offset(const char *s, size_t len, int64_t k)
{
    size_t i = 0;

    while (k-- > 0 && i < len)
        i += (size_t)utf8_len((unsigned char)s[i]);
    return i < len ? i : len;
}

BUILTIN(text_bit_length)
{
    (void)isnull, (void)err;
    *result = datum_from_int32((int32_t)(VAR(0)->len * 8));
    return 0;
}

/* ---- case ------------------------------------------------------------------------------ */

static int
map_case(const FnCall *call, int mode, Datum *result)
{
    const VarData *v = VAR(0);
    VarData *r = new_text(ARENA, v->len);
    bool word_start = true;

    for (uint32_t i = 0; i < v->len; i++) {
        char c = v->data[i];
        bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
        bool alnum = upper || lower || (c >= '0' && c <= '9');
        bool to_upper = mode == 1 || (mode == 2 && word_start);

        if (to_upper && lower)
            c = (char)(c - 'a' + 'A');
        else if (!to_upper && upper)
            c = (char)(c - 'A' + 'a');
        r->data[i] = c;
        word_start = !alnum;
    }
    *result = datum_from_var(r);
    return 0;
}

BUILTIN(fn_lower)
{
    (void)isnull, (void)err;
    return map_case(call, 0, result);
}

BUILTIN(fn_upper)
{
    (void)isnull, (void)err;
    return map_case(call, 1, result);
}

BUILTIN(fn_initcap)
{
    (void)isnull, (void)err;
    return map_case(call, 2, result);
}

/* ---- substrings and positions --------------------------------------------------------- */

/*
 * text_substring(): characters start .. start+count-1 (1-based, clipped to the string);
 * count < 0 means "to the end" when has_count is false.
 */
static int
substring(const FnCall *call, const VarData *v, int64_t start, int64_t count, bool has_count,
          Datum *result, Err *err)
{
    int64_t end;
    size_t b0, b1;

    if (has_count && count < 0)
        return ERR_RAISE(err, ERRCODE_SUBSTRING_ERROR, "negative substring length not allowed");
    end = has_count ? start + count : INT64_MAX; /* exclusive, 1-based */
    if (start < 1)
        start = 1;
    if (end <= start)
        return ret_text(call, "", 0, result);
    b0 = char_offset(v->data, v->len, start - 1);
    b1 = end == INT64_MAX ? v->len : b0 + char_offset(v->data + b0, v->len - b0, end - start);
    return ret_text(call, v->data + b0, b1 - b0, result);
}

BUILTIN(fn_substr)
{
    (void)isnull;
    return substring(call, VAR(0), INT(1), call->nargs > 2 ? INT(2) : -1, call->nargs > 2, result,
                     err);
}

/* Character position (1-based) of needle in hay, 0 when absent; an empty needle is at 1. */
static int32_t
find_pos(const VarData *hay, const VarData *needle)
{
    const char *hit;

    if (needle->len == 0)
        return 1;
    hit = memmem(hay->data, hay->len, needle->data, needle->len);
    return hit == NULL ? 0 : text_char_count(hay->data, (size_t)(hit - hay->data)) + 1;
}

BUILTIN(fn_strpos)
{
    (void)isnull, (void)err;
    *result = datum_from_int32(find_pos(VAR(0), VAR(1)));
    return 0;
}

/* position(substring IN string) is pg_catalog.position(string, substring). */
BUILTIN(fn_position)
{
    (void)isnull, (void)err;
    *result = datum_from_int32(find_pos(VAR(0), VAR(1)));
    return 0;
}

BUILTIN(fn_starts_with)
{
    const VarData *s = VAR(0), *p = VAR(1);

    (void)isnull, (void)err;
    *result = datum_from_bool(p->len <= s->len && memcmp(s->data, p->data, p->len) == 0);
    return 0;
}

BUILTIN(fn_replace)
{
    const VarData *s = VAR(0), *from = VAR(1), *to = VAR(2);
    size_t count = 0, n, at = 0;
    const char *p = s->data, *end = s->data + s->len, *hit;
    VarData *r;

    (void)isnull;
    if (from->len == 0 || s->len == 0) {
        *result = call->args[0];
        return 0;
    }
    while ((hit = memmem(p, (size_t)(end - p), from->data, from->len)) != NULL) {
        count++;
        p = hit + from->len;
    }
    if (count == 0) {
        *result = call->args[0];
        return 0;
    }
    n = s->len + count * to->len - count * from->len;
    if ((to->len > from->len && (to->len - from->len) * count > STRING_MAX_BYTES) ||
        n > STRING_MAX_BYTES)
        return too_large(err);
    r = new_text(ARENA, n);
    p = s->data;
    while ((hit = memmem(p, (size_t)(end - p), from->data, from->len)) != NULL) {
        memcpy(r->data + at, p, (size_t)(hit - p));
        at += (size_t)(hit - p);
        memcpy(r->data + at, to->data, to->len);
        at += to->len;
        p = hit + from->len;
    }
    memcpy(r->data + at, p, (size_t)(end - p));
    *result = datum_from_var(r);
    return 0;
}

/* ---- trimming ------------------------------------------------------------------------- */

/* True when the character at c (n bytes) is one of the characters of set (setlen bytes). */
static bool
in_set(const char *c, int n, const char *set, size_t setlen)
{
    for (size_t i = 0; i < setlen;) {
        int m = utf8_len((unsigned char)set[i]);

        if (m == n && memcmp(set + i, c, (size_t)n) == 0)
            return true;
        i += (size_t)m;
    }
    return false;
}

/* btrim/ltrim/rtrim: characters of the set (default: a space) removed from either end. */
static int
trim(const FnCall *call, bool left, bool right, Datum *result)
{
    const VarData *s = VAR(0);
    const char *set = call->nargs > 1 ? VAR(1)->data : " ";
    size_t setlen = call->nargs > 1 ? VAR(1)->len : 1, b = 0, e = s->len;

    if (left) {
        while (b < e) {
            int n = utf8_len((unsigned char)s->data[b]);

            if (!in_set(s->data + b, n, set, setlen))
                break;
            b += (size_t)n;
        }
    }
    if (right) {
        while (e > b) {
            size_t c = e - 1;

            while (c > b && ((unsigned char)s->data[c] & 0xc0) == 0x80)
                c--;
            if (!in_set(s->data + c, (int)(e - c), set, setlen))
                break;
            e = c;
        }
    }
    return ret_text(call, s->data + b, e - b, result);
}

BUILTIN(fn_btrim)
{
    (void)isnull, (void)err;
    return trim(call, true, true, result);
}

BUILTIN(fn_ltrim)
{
    (void)isnull, (void)err;
    return trim(call, true, false, result);
}

BUILTIN(fn_rtrim)
{
    (void)isnull, (void)err;
    return trim(call, false, true, result);
}

/* ---- concat, concat_ws, format --------------------------------------------------------- */

/* Appends argument i in its output form (concat's rule: every type through its output). */
static void
put_arg(const FnCall *call, int i, Buf *out)
{
    const TypeInfo *t = type_by_oid(call->argtypes[i]);

    t->out(call->args[i], -1, call->ctx->io, out);
}

static int
buf_result(const FnCall *call, Buf *b, Datum *result, Err *err)
{
    if (b->failed || b->len > STRING_MAX_BYTES) {
        buf_free(b);
        return too_large(err);
    }
    *result = datum_from_text(ARENA, b->len ? (const char *)b->data : "", b->len);
    buf_free(b);
    return 0;
}

static int
concat_from(const FnCall *call, int first, const VarData *sep, Datum *result, Err *err)
{
    Buf b;
    bool any = false;

    buf_init(&b, STRING_MAX_BYTES + 1);
    for (int i = first; i < call->nargs; i++) {
        if (call->nulls[i])
            continue;
        if (any && sep != NULL)
            buf_append(&b, sep->data, sep->len);
        put_arg(call, i, &b);
        any = true;
    }
    return buf_result(call, &b, result, err);
}

BUILTIN(fn_concat)
{
    *isnull = false;
    return concat_from(call, 0, NULL, result, err);
}

BUILTIN(fn_concat_ws)
{
    if (call->nulls[0]) {
        *isnull = true;
        return 0;
    }
    return concat_from(call, 1, VAR(0), result, err);
}

static void quote_ident_buf(const char *s, size_t n, Buf *out);
static void quote_literal_buf(const char *s, size_t n, Buf *out);

/* One %s / %I / %L conversion of argument i, padded to width (negative: left-aligned). */
static int
format_one(const FnCall *call, char kind, int i, int width, Buf *out, Err *err)
{
    Buf v;
    size_t chars;

    buf_init(&v, STRING_MAX_BYTES + 1);
    if (call->nulls[i]) {
        if (kind == 'I') {
            buf_free(&v);
            return ERR_RAISE(err, ERRCODE_NULL_VALUE_NOT_ALLOWED,
                             "null values cannot be formatted as an SQL identifier");
        }
        if (kind == 'L')
            buf_put_str(&v, "NULL");
    } else if (kind == 's') {
        put_arg(call, i, &v);
    } else {
        Buf raw;

        buf_init(&raw, STRING_MAX_BYTES + 1);
        put_arg(call, i, &raw);
        if (kind == 'I')
            quote_ident_buf((const char *)raw.data, raw.len, &v);
        else
            quote_literal_buf((const char *)raw.data, raw.len, &v);
        buf_free(&raw);
    }
    chars = (size_t)text_char_count((const char *)v.data, v.len);
    if (width < 0 && chars < (size_t) - (int64_t)width) {
        buf_append(out, v.data, v.len);
        for (size_t k = chars; k < (size_t) - (int64_t)width; k++)
            buf_put_u8(out, ' ');
    } else {
        for (size_t k = chars; width > 0 && k < (size_t)width; k++)
            buf_put_u8(out, ' ');
        buf_append(out, v.data, v.len);
    }
    buf_free(&v);
    return 0;
}

static int
format_error(Err *err, const char *msg, bool hint)
{
    ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "%s", msg);
    if (hint)
        err_hint(err, "For a single \"%%\" use \"%%%%\".");
    return -1;
}

/* Reads digits at *p (< end); returns -1 when there are none. */
static int64_t
read_num(const char **p, const char *end)
{
    int64_t v = -1;

    while (*p < end && **p >= '0' && **p <= '9') {
        v = (v < 0 ? 0 : v) * 10 + (**p - '0');
        if (v > INT32_MAX)
            v = INT32_MAX;
        (*p)++;
    }
    return v;
}

/* The width taken from argument i (%*s): NULL is 0; the value read as an integer. */
static int
width_arg(const FnCall *call, int i, int64_t *width, Err *err)
{
    Buf t;
    int64_t v;
    int rc;

    if (call->nulls[i]) {
        *width = 0;
        return 0;
    }
    if (call->argtypes[i] == TYPE_INT4 || call->argtypes[i] == TYPE_INT2) {
        *width = datum_get_int32(call->args[i]);
        return 0;
    }
    buf_init(&t, STRING_MAX_BYTES + 1);
    put_arg(call, i, &t);
    buf_put_u8(&t, 0);
    rc = int_parse((const char *)t.data, t.len - 1, INT32_MIN, INT32_MAX, &v);
    if (rc < 0) {
        ERR_RAISE(err,
                  rc == -1 ? ERRCODE_INVALID_TEXT_REPRESENTATION
                           : ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                  rc == -1 ? "invalid input syntax for type integer: \"%s\""
                           : "value \"%s\" is out of range for type integer",
                  (const char *)t.data);
        buf_free(&t);
        return -1;
    }
    buf_free(&t);
    *width = v;
    return 0;
}

/* One format specification after '%': [n$][-][width | *[m$]]{s,I,L}. */
typedef struct FormatSpec {
    int64_t argpos;   /* 0: the next argument */
    int64_t widthpos; /* -1: no * ; 0: * from the next argument; m: *m$ */
    int64_t width;
    bool left;
    char conv;
} FormatSpec;

static int
parse_spec(const char **pp, const char *end, FormatSpec *f, Err *err)
{
    const char *p = *pp;
    int64_t n;

    f->argpos = 0, f->widthpos = -1, f->width = 0, f->left = false;
    n = read_num(&p, end);
    if (p >= end)
        goto unterminated;
    if (n >= 0 && *p == '$') {
        if (n == 0)
            return format_error(err,
                                "format specifies argument 0, but arguments are numbered "
                                "from 1",
                                false);
        f->argpos = n;
        p++;
        n = -1;
    }
    if (n < 0) {
        while (p < end && *p == '-') {
            f->left = true;
            p++;
        }
        if (p < end && *p == '*') {
            p++;
            f->widthpos = 0;
            n = read_num(&p, end);
            if (n >= 0) {
                if (p >= end || *p != '$')
                    goto unterminated;
                if (n == 0)
                    return format_error(err,
                                        "format specifies argument 0, but arguments are "
                                        "numbered from 1",
                                        false);
                f->widthpos = n;
                p++;
            }
        } else {
            n = read_num(&p, end);
        }
    }
    f->width = n < 0 ? 0 : n;
    if (p >= end)
        goto unterminated;
    f->conv = *p;
    *pp = p;
    return 0;
unterminated:
    return format_error(err, "unterminated format() type specifier", true);
}

/* text_format(): %[n$][-][width]{s,I,L} and %%. */
BUILTIN(fn_format)
{
    const VarData *f;
    const char *p, *end;
    int next = 1;
    Buf b;

    if (call->nulls[0]) {
        *isnull = true;
        return 0;
    }
    f = VAR(0);
    p = f->data;
    end = f->data + f->len;
    buf_init(&b, STRING_MAX_BYTES + 1);
    while (p < end) {
        FormatSpec spec;
        int64_t width;

        if (*p != '%') {
            buf_put_u8(&b, (uint8_t)*p++);
            continue;
        }
        if (++p >= end) {
            buf_free(&b);
            return format_error(err, "unterminated format() type specifier", true);
        }
        if (*p == '%') {
            buf_put_u8(&b, '%');
            p++;
            continue;
        }
        if (parse_spec(&p, end, &spec, err) < 0)
            goto fail;
        if (spec.conv != 's' && spec.conv != 'I' && spec.conv != 'L') {
            char c[8] = {0};
            size_t m = (size_t)utf8_len((unsigned char)*p);

            memcpy(c, p, m < (size_t)(end - p) ? m : (size_t)(end - p));
            ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                      "unrecognized format() type specifier \"%s\"", c);
            err_hint(err, "For a single \"%%\" use \"%%%%\".");
            goto fail;
        }
        width = spec.left ? -spec.width : spec.width;
        if (spec.widthpos >= 0) {
            if (spec.widthpos > 0)
                next = (int)spec.widthpos;
            if (next >= call->nargs) {
                format_error(err, "too few arguments for format()", false);
                goto fail;
            }
            if (width_arg(call, next++, &width, err) < 0)
                goto fail;
            if (spec.left && width > 0)
                width = -width;
        }
        if (spec.argpos > 0)
            next = (int)spec.argpos;
        if (next >= call->nargs) {
            format_error(err, "too few arguments for format()", false);
            goto fail;
        }
        if (format_one(call, spec.conv, next++, (int)width, &b, err) < 0)
            goto fail;
        p++;
    }
    *isnull = false;
    return buf_result(call, &b, result, err);
fail:
    buf_free(&b);
    return -1;
}

/* ---- split_part, left, right, pads, repeat, reverse ------------------------------------ */

BUILTIN(fn_split_part)
{
    const VarData *s = VAR(0), *d = VAR(1);
    int32_t n = INT(2);
    const char *fields[2] = {s->data, s->data + s->len};
    int64_t count = 1, want;
    const char *p, *hit, *end = s->data + s->len;

    (void)isnull;
    if (n == 0)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "field position must not be zero");
    if (s->len == 0)
        return ret_text(call, "", 0, result);
    if (d->len == 0)
        return n == 1 || n == -1 ? ret_text(call, s->data, s->len, result)
                                 : ret_text(call, "", 0, result);
    for (p = s->data; (hit = memmem(p, (size_t)(end - p), d->data, d->len)) != NULL;
         p = hit + d->len)
        count++;
    want = n > 0 ? n : count + n + 1;
    if (want < 1 || want > count)
        return ret_text(call, "", 0, result);
    p = s->data;
    for (int64_t i = 1; i < want; i++)
        p = (const char *)memmem(p, (size_t)(end - p), d->data, d->len) + d->len;
    fields[0] = p;
    hit = memmem(p, (size_t)(end - p), d->data, d->len);
    fields[1] = hit != NULL ? hit : end;
    return ret_text(call, fields[0], (size_t)(fields[1] - fields[0]), result);
}

BUILTIN(fn_left)
{
    const VarData *s = VAR(0);
    int64_t n = INT(1), chars = text_char_count(s->data, s->len);

    (void)isnull, (void)err;
    if (n < 0)
        n = chars + n < 0 ? 0 : chars + n;
    return ret_text(call, s->data, char_offset(s->data, s->len, n), result);
}

BUILTIN(fn_right)
{
    const VarData *s = VAR(0);
    int64_t n = INT(1), chars = text_char_count(s->data, s->len), skip;
    size_t b;

    (void)isnull, (void)err;
    skip = n < 0 ? -n : chars - n;
    if (skip < 0)
        skip = 0;
    b = char_offset(s->data, s->len, skip);
    return ret_text(call, s->data + b, s->len - b, result);
}

static int
pad(const FnCall *call, bool left, Datum *result, Err *err)
{
    const VarData *s = VAR(0);
    int64_t len = INT(1), chars = text_char_count(s->data, s->len), need;
    const char *fill = call->nargs > 2 ? VAR(2)->data : " ";
    size_t flen = call->nargs > 2 ? VAR(2)->len : 1, keep, f = 0;
    Buf b;

    if (len <= 0)
        return ret_text(call, "", 0, result);
    if (len * 4 > (int64_t)STRING_MAX_BYTES)
        return too_large(err);
    if (len <= chars || flen == 0)
        return ret_text(call, s->data, char_offset(s->data, s->len, len), result);
    need = len - chars;
    keep = s->len;
    buf_init(&b, STRING_MAX_BYTES + 1);
    if (!left)
        buf_append(&b, s->data, keep);
    for (int64_t i = 0; i < need; i++) {
        int m = utf8_len((unsigned char)fill[f]);

        buf_append(&b, fill + f, (size_t)m);
        f += (size_t)m;
        if (f >= flen)
            f = 0;
    }
    if (left)
        buf_append(&b, s->data, keep);
    return buf_result(call, &b, result, err);
}

BUILTIN(fn_lpad)
{
    (void)isnull;
    return pad(call, true, result, err);
}

BUILTIN(fn_rpad)
{
    (void)isnull;
    return pad(call, false, result, err);
}

BUILTIN(fn_repeat)
{
    const VarData *s = VAR(0);
    int64_t n = INT(1);
    VarData *r;

    (void)isnull;
    if (n <= 0 || s->len == 0)
        return ret_text(call, "", 0, result);
    if ((uint64_t)n * s->len > STRING_MAX_BYTES)
        return too_large(err);
    r = new_text(ARENA, (size_t)n * s->len);
    for (int64_t i = 0; i < n; i++)
        memcpy(r->data + (size_t)i * s->len, s->data, s->len);
    *result = datum_from_var(r);
    return 0;
}

BUILTIN(fn_reverse)
{
    const VarData *s = VAR(0);
    VarData *r = new_text(ARENA, s->len);

    (void)isnull, (void)err;
    for (uint32_t i = 0; i < s->len;) {
        int m = utf8_len((unsigned char)s->data[i]);

        if (i + (uint32_t)m > s->len)
            m = (int)(s->len - i);
        memcpy(r->data + s->len - i - (uint32_t)m, s->data + i, (size_t)m);
        i += (uint32_t)m;
    }
    *result = datum_from_var(r);
    return 0;
}

/* ---- md5, to_hex, chr, ascii ----------------------------------------------------------- */

BUILTIN(fn_md5)
{
    char hex[33];

    (void)isnull, (void)err;
    md5_hex(VAR(0)->data, VAR(0)->len, hex);
    return ret_text(call, hex, 32, result);
}

BUILTIN(fn_to_hex)
{
    char tmp[24];
    uint64_t v = call->argtypes[0] == TYPE_INT4 ? (uint64_t)(uint32_t)INT(0)
                                                : (uint64_t)datum_get_int64(call->args[0]);

    (void)isnull, (void)err;
    snprintf(tmp, sizeof tmp, "%llx", (unsigned long long)v);
    return ret_text(call, tmp, strlen(tmp), result);
}

BUILTIN(fn_chr)
{
    int32_t c = INT(0);
    char u[4];
    size_t n;

    (void)isnull;
    if (c < 0)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "character number must be positive");
    if (c == 0)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "null character not permitted");
    if (c > 0x10ffff)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                         "requested character too large for encoding: %d", c);
    if (c >= 0xd800 && c <= 0xdfff)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                         "requested character not valid for encoding: %d", c);
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xc0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xe0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        u[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        u[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    return ret_text(call, u, n, result);
}

BUILTIN(fn_ascii)
{
    const unsigned char *s = (const unsigned char *)VAR(0)->data;
    uint32_t len = VAR(0)->len;
    int32_t c = 0;
    int n;

    (void)isnull, (void)err;
    if (len > 0) {
        n = utf8_len(s[0]);
        c = n == 1 ? s[0] : s[0] & (0x7f >> n);
        for (int i = 1; i < n && (uint32_t)i < len; i++)
            c = (c << 6) | (s[i] & 0x3f);
    }
    *result = datum_from_int32(c);
    return 0;
}

/* ---- quoting ----------------------------------------------------------------------------- */

/* PostgreSQL 15's keywords that are not UNRESERVED (pg_get_keywords() catcode <> 'U'). */
static const char *const KEYWORDS[] = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
};

static bool
ident_is_safe(const char *s, size_t n)
{
    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    for (size_t i = 0; i < sizeof KEYWORDS / sizeof KEYWORDS[0]; i++) {
        if (strlen(KEYWORDS[i]) == n && memcmp(KEYWORDS[i], s, n) == 0)
            return false;
    }
    return true;
}

static void
quote_ident_buf(const char *s, size_t n, Buf *out)
{
    if (ident_is_safe(s, n)) {
        buf_append(out, s, n);
        return;
    }
    buf_put_u8(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_put_u8(out, '"');
        buf_put_u8(out, (uint8_t)s[i]);
    }
    buf_put_u8(out, '"');
}

/* quote_literal_cstr(): E'...' when there is a backslash, quotes and backslashes doubled. */
static void
quote_literal_buf(const char *s, size_t n, Buf *out)
{
    if (n > 0 && memchr(s, '\\', n) != NULL) /* s may be NULL when n is 0 */
        buf_put_u8(out, 'E');
    buf_put_u8(out, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || s[i] == '\\')
            buf_put_u8(out, (uint8_t)s[i]);
        buf_put_u8(out, (uint8_t)s[i]);
    }
    buf_put_u8(out, '\'');
}

BUILTIN(fn_quote_ident)
{
    Buf b;

    (void)isnull;
    buf_init(&b, STRING_MAX_BYTES + 1);
    quote_ident_buf(VAR(0)->data, VAR(0)->len, &b);
    return buf_result(call, &b, result, err);
}

static int
quote_literal_arg(const FnCall *call, bool as_any, Datum *result, Err *err)
{
    Buf raw, b;

    buf_init(&raw, STRING_MAX_BYTES + 1);
    buf_init(&b, STRING_MAX_BYTES + 1);
    if (as_any)
        put_arg(call, 0, &raw);
    else
        buf_append(&raw, VAR(0)->data, VAR(0)->len);
    quote_literal_buf((const char *)raw.data, raw.len, &b);
    buf_free(&raw);
    return buf_result(call, &b, result, err);
}

BUILTIN(fn_quote_literal)
{
    (void)isnull;
    return quote_literal_arg(call, false, result, err);
}

BUILTIN(fn_quote_literal_any)
{
    (void)isnull;
    return quote_literal_arg(call, true, result, err);
}

BUILTIN(fn_quote_nullable)
{
    if (call->nulls[0])
        return ret_text(call, "NULL", 4, result);
    *isnull = false;
    return quote_literal_arg(call, false, result, err);
}

BUILTIN(fn_quote_nullable_any)
{
    if (call->nulls[0])
        return ret_text(call, "NULL", 4, result);
    *isnull = false;
    return quote_literal_arg(call, true, result, err);
}

BUILTIN(any_to_text)
{
    Buf b;

    (void)isnull;
    buf_init(&b, STRING_MAX_BYTES + 1);
    put_arg(call, 0, &b);
    return buf_result(call, &b, result, err);
}

/* ---- overlay, translate ------------------------------------------------------------------ */

/* overlay(s placing r from start [for count]) = substr(s, 1, start-1) || r || substr(s,
 * start+count). */
BUILTIN(fn_overlay)
{
    const VarData *s = VAR(0), *r = VAR(1);
    int64_t start = INT(2);
    int64_t count = call->nargs > 3 ? INT(3) : text_char_count(r->data, r->len);
    size_t b0, b1;
    Buf b;

    (void)isnull;
    if (start + count > INT32_MAX || start + count < INT32_MIN)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range");
    if (start - 1 < 0)
        return ERR_RAISE(err, ERRCODE_SUBSTRING_ERROR, "negative substring length not allowed");
    b0 = char_offset(s->data, s->len, start - 1);
    b1 = start + count < 1 ? 0 : char_offset(s->data, s->len, start + count - 1);
    buf_init(&b, STRING_MAX_BYTES + 1);
    buf_append(&b, s->data, b0);
    buf_append(&b, r->data, r->len);
    buf_append(&b, s->data + b1, s->len - b1);
    return buf_result(call, &b, result, err);
}

BUILTIN(fn_translate)
{
    const VarData *s = VAR(0), *from = VAR(1), *to = VAR(2);
    Buf b;

    (void)isnull;
    buf_init(&b, STRING_MAX_BYTES + 1);
    for (uint32_t i = 0; i < s->len;) {
        int m = utf8_len((unsigned char)s->data[i]);
        int64_t idx = 0;
        uint32_t f = 0;
        bool found = false;

        while (f < from->len) {
            int fm = utf8_len((unsigned char)from->data[f]);

            if (fm == m && memcmp(from->data + f, s->data + i, (size_t)m) == 0) {
                found = true;
                break;
            }
            f += (uint32_t)fm;
            idx++;
        }
        if (!found) {
            buf_append(&b, s->data + i, (size_t)m);
        } else {
            size_t t = char_offset(to->data, to->len, idx);

            if (t < to->len)
                buf_append(&b, to->data + t, (size_t)utf8_len((unsigned char)to->data[t]));
        }
        i += (uint32_t)m;
    }
    return buf_result(call, &b, result, err);
}

/* ---- GREATEST / LEAST ---------------------------------------------------------------------- */

/*
 * The values are arguments 0 .. n-2; the last argument holds the > (GREATEST) or < (LEAST)
 * function of their common type (sql/bind_expr.c bind_minmax). NULLs are skipped; all NULL
 * gives NULL.
 */
static int
minmax(const FnCall *call, Datum *result, bool *isnull, Err *err)
{
    int n = call->nargs - 1;
    BuiltinFn better = (BuiltinFn)(uintptr_t)call->args[n];
    bool found = false;
    Datum best = 0;

    for (int i = 0; i < n; i++) {
        Datum pair[2], r;
        bool nulls[2] = {false, false}, rnull = false;
        FnCall cmp = {call->ctx, 2, pair, nulls, call->argtypes};

        if (call->nulls[i])
            continue;
        if (!found) {
            best = call->args[i];
            found = true;
            continue;
        }
        pair[0] = call->args[i];
        pair[1] = best;
        if (better(&cmp, &r, &rnull, err) < 0)
            return -1;
        if (!rnull && datum_get_bool(r))
            best = call->args[i];
    }
    *result = best;
    *isnull = !found;
    return 0;
}

BUILTIN(fn_greatest)
{
    return minmax(call, result, isnull, err);
}

BUILTIN(fn_least)
{
    return minmax(call, result, isnull, err);
}
