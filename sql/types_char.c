/*
 * sql/types_char.c — character varying(n) and character(n) (bpchar):
 * their type modifiers, typmod-aware input, the length-coercion functions
 * the binder calls for casts (sql/bind_expr.c bind_coerce_typmod), and
 * bpchar's blank-insensitive comparisons.
 *
 * Both types share text's representation (UTF-8 bytes in a VarData). The
 * typmod is PostgreSQL's: n + 4 (VARHDRSZ), -1 when unconstrained.
 *
 *   varchar(x, n, explicit): longer than n characters → cut to n when the
 *     cast is explicit or the excess is only spaces, else 22001.
 *   bpchar(x, n, explicit): the same cut, and shorter values are padded
 *     with spaces to n characters.
 *
 * Invariants:
 *   1. Trailing spaces are insignificant for bpchar: comparisons, length()
 *      and the casts to text/varchar/name ignore them (bcTruelen).
 *   2. Lengths count characters, not bytes.
 */
#include <string.h>

#include "common/errcodes.h"
#include "sql/func_string.h"
#include "sql/types.h"

#define VAR(i) datum_get_var(call->args[i])
#define CHAR_MAX_LENGTH 10485760

static int
char_typmodin(const char *name, const int32_t *mods, int nmods, int32_t *typmod, Err *err)
{
    if (nmods != 1)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid type modifier");
    if (mods[0] < 1)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "length for type %s must be at least 1", name);
    if (mods[0] > CHAR_MAX_LENGTH)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "length for type %s cannot exceed %d", name, CHAR_MAX_LENGTH);
    *typmod = mods[0] + 4;
    return 0;
}

int
varchar_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err)
{
    return char_typmodin("varchar", mods, nmods, typmod, err);
}

int
bpchar_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err)
{
    return char_typmodin("char", mods, nmods, typmod, err);
}

void
char_typmodout(int32_t typmod, Buf *out)
{
    if (typmod > 4)
        buf_printf(out, "(%d)", typmod - 4);
}

/* Length of s without its trailing spaces. */
static size_t
true_len(const char *s, size_t len)
{
    while (len > 0 && s[len - 1] == ' ')
        len--;
    return len;
}

/*
 * Cuts s to max characters: *keep gets the byte length kept. Returns -1 when something other
 * than spaces would be cut and the cut is not allowed (the caller raises 22001).
 */
static int
cut(const char *s, size_t len, int64_t max, bool allowed, size_t *keep)
{
    size_t i = 0;

    for (int64_t n = 0; n < max && i < len; n++)
        i += (size_t)utf8_len((unsigned char)s[i]);
    if (i > len)
        i = len;
    *keep = i;
    if (!allowed) {
        for (size_t j = i; j < len; j++) {
            if (s[j] != ' ')
                return -1;
        }
    }
    return 0;
}

static int
too_long(const char *type, int32_t typmod, Err *err)
{
    return ERR_RAISE(err, ERRCODE_STRING_DATA_RIGHT_TRUNCATION, "value too long for type %s(%d)",
                     type, typmod - 4);
}

/* The value of s cut or padded to the typmod, as a new Datum in a. */
static int
apply(const char *s, size_t len, int32_t typmod, bool pad, bool is_explicit, Arena *a, Datum *out,
      Err *err)
{
    int64_t max = typmod - 4;
    int chars;
    size_t keep;
    VarData *v;

    if (typmod < 4) {
        *out = datum_from_text(a, s, len);
        return 0;
    }
    if (cut(s, len, max, is_explicit, &keep) < 0)
        return too_long(pad ? "character" : "character varying", typmod, err);
    chars = text_char_count(s, keep);
    if (!pad || chars >= max) {
        *out = datum_from_text(a, s, keep);
        return 0;
    }
    v = arena_alloc(a, sizeof(VarData) + keep + (size_t)(max - chars) + 1);
    v->len = (uint32_t)(keep + (size_t)(max - chars));
    memcpy(v->data, s, keep);
    memset(v->data + keep, ' ', (size_t)(max - chars));
    v->data[v->len] = '\0';
    *out = datum_from_var(v);
    return 0;
}

int
varchar_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
           Err *err)
{
    (void)io;
    if (text_verify_utf8(s, len, err) < 0)
        return -1;
    return apply(s, len, typmod, false, false, a, out, err);
}

int
bpchar_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
          Err *err)
{
    (void)io;
    if (text_verify_utf8(s, len, err) < 0)
        return -1;
    return apply(s, len, typmod, true, false, a, out, err);
}

int
varchar_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    return varchar_in((const char *)p, len, typmod, NULL, a, out, err);
}

int
bpchar_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    return bpchar_in((const char *)p, len, typmod, NULL, a, out, err);
}

static int
coerce(const FnCall *call, bool pad, Datum *result, Err *err)
{
    const VarData *v = VAR(0);
    int32_t typmod = datum_get_int32(call->args[1]);

    /* already short enough and nothing to pad: the value itself */
    if (typmod < 4 || (!pad && (int64_t)v->len <= typmod - 4)) {
        *result = call->args[0];
        return 0;
    }
    return apply(v->data, v->len, typmod, pad, datum_get_bool(call->args[2]), call->ctx->arena,
                 result, err);
}

BUILTIN(varchar_coerce)
{
    (void)isnull;
    return coerce(call, false, result, err);
}

BUILTIN(bpchar_coerce)
{
    (void)isnull;
    return coerce(call, true, result, err);
}

BUILTIN(bpchar_to_text)
{
    const VarData *v = VAR(0);
    size_t n = true_len(v->data, v->len);

    (void)isnull, (void)err;
    *result = n == v->len ? call->args[0] : datum_from_text(call->ctx->arena, v->data, n);
    return 0;
}

BUILTIN(bpchar_to_name)
{
    const VarData *v = VAR(0);
    size_t n = true_len(v->data, v->len);

    (void)isnull, (void)err;
    *result = datum_from_text(call->ctx->arena, v->data, text_clip_utf8(v->data, n, 63));
    return 0;
}

BUILTIN(bpchar_length)
{
    const VarData *v = VAR(0);

    (void)isnull, (void)err;
    *result = datum_from_int32(text_char_count(v->data, true_len(v->data, v->len)));
    return 0;
}

static int
bpchar_cmp(const FnCall *call)
{
    const VarData *a = VAR(0), *b = VAR(1);
    size_t la = true_len(a->data, a->len), lb = true_len(b->data, b->len);
    size_t n = la < lb ? la : lb;
    int c = n ? memcmp(a->data, b->data, n) : 0;

    if (c != 0)
        return c;
    return (la > lb) - (la < lb);
}

#define BPCHAR_CMP(fname, op)                                                                      \
    BUILTIN(fname)                                                                                 \
    {                                                                                              \
        (void)isnull, (void)err;                                                                   \
        *result = datum_from_bool(bpchar_cmp(call) op 0);                                          \
        return 0;                                                                                  \
    }

BPCHAR_CMP(bpchar_eq, ==)
BPCHAR_CMP(bpchar_ne, !=)
BPCHAR_CMP(bpchar_lt, <)
BPCHAR_CMP(bpchar_le, <=)
BPCHAR_CMP(bpchar_gt, >)
BPCHAR_CMP(bpchar_ge, >=)

/* ---- "char": one byte ------------------------------------------------------------------------ */

/*
 * PostgreSQL's single-byte internal type. Input takes the first byte (so a multibyte character
 * is cut to its lead byte) or a \ooo octal escape; output prints a byte with the high bit set as
 * \ooo and the zero byte as the empty string. Comparisons are unsigned, the integer casts
 * signed (-128 .. 127), as char.c.
 */
static bool
octal3(const char *s, size_t len)
{
    return len == 4 && s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
           s[3] >= '0' && s[3] <= '7';
}

static uint8_t
char1_parse(const char *s, size_t len)
{
    if (octal3(s, len))
        return (uint8_t)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
    return len > 0 ? (uint8_t)s[0] : 0;
}

int
char1_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
         Err *err)
{
    (void)typmod, (void)io, (void)a, (void)err;
    *out = (Datum)char1_parse(s, len);
    return 0;
}

void
char1_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    uint8_t c = (uint8_t)d;

    (void)typmod, (void)io;
    if (c >= 0x80)
        buf_printf(out, "\\%03o", c);
    else if (c != 0)
        buf_put_u8(out, c);
}

int
char1_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    (void)typmod, (void)a;
    if (len != 1)
        return ERR_RAISE(
            err, len < 1 ? ERRCODE_PROTOCOL_VIOLATION : ERRCODE_INVALID_BINARY_REPRESENTATION,
            len < 1 ? "insufficient data left in message" : "incorrect binary data format");
    *out = (Datum)p[0];
    return 0;
}

void
char1_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u8(out, (uint8_t)d);
}

BUILTIN(char1_to_text)
{
    Buf b;

    (void)isnull, (void)err;
    buf_init(&b, 16);
    char1_out(call->args[0], -1, NULL, &b);
    *result = datum_from_text(call->ctx->arena, b.len ? (const char *)b.data : "", b.len);
    buf_free(&b);
    return 0;
}

BUILTIN(text_to_char1)
{
    (void)isnull, (void)err;
    *result = (Datum)char1_parse(VAR(0)->data, VAR(0)->len);
    return 0;
}

BUILTIN(char1_to_int4)
{
    (void)isnull, (void)err;
    *result = datum_from_int32((int8_t)(uint8_t)call->args[0]);
    return 0;
}

BUILTIN(int4_to_char1)
{
    int32_t v = datum_get_int32(call->args[0]);

    (void)isnull;
    if (v < -128 || v > 127)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "\"char\" out of range");
    *result = (Datum)(uint8_t)(int8_t)v;
    return 0;
}

#define CHAR1_CMP(fname, op)                                                                       \
    BUILTIN(fname)                                                                                 \
    {                                                                                              \
        (void)isnull, (void)err;                                                                   \
        *result = datum_from_bool((uint8_t)call->args[0] op(uint8_t) call->args[1]);               \
        return 0;                                                                                  \
    }

CHAR1_CMP(char1_eq, ==)
CHAR1_CMP(char1_ne, !=)
CHAR1_CMP(char1_lt, <)
CHAR1_CMP(char1_le, <=)
CHAR1_CMP(char1_gt, >)
CHAR1_CMP(char1_ge, >=)
