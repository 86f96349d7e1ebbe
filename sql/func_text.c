/*
 * sql/func_text.c — built-ins over text and name: concatenation,
 * comparisons, conversions to and from text.
 *
 * Comparisons are bytewise, which for UTF-8 is code point order: the order of
 * PostgreSQL's "C" and "C.UTF-8" collations. (Locale-aware collations are
 * not supported; docs/architecture.md records the choice.)
 *
 * Invariants:
 *   1. Results are allocated in the call's EvalCtx arena; arguments are never
 *      modified.
 *   2. Casts to text are PostgreSQL's: boolean becomes "true"/"false" (booltext),
 *      not its output form "t"/"f".
 */
#include <string.h>

#include "sql/builtins.h"
#include "sql/types.h"

#define VAR(i) datum_get_var(call->args[i])

static Datum
concat(Arena *a, const char *p1, size_t n1, const char *p2, size_t n2)
{
    VarData *v = arena_alloc(a, sizeof(VarData) + n1 + n2 + 1);

    v->len = (uint32_t)(n1 + n2);
    memcpy(v->data, p1, n1);
    memcpy(v->data + n1, p2, n2);
    v->data[n1 + n2] = '\0';
    return datum_from_var(v);
}

BUILTIN(text_cat)
{
    const VarData *a = VAR(0), *b = VAR(1);

    (void)isnull, (void)err;
    if ((uint64_t)a->len + b->len > (1u << 30) - 1)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "invalid memory alloc request size");
    *result = concat(call->ctx->arena, a->data, a->len, b->data, b->len);
    return 0;
}

static int
compare(const FnCall *call)
{
    const VarData *a = VAR(0), *b = VAR(1);
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->data, b->data, n) : 0;

    if (c != 0)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

#define TEXT_CMP(fname, op)                                                                        \
    BUILTIN(fname)                                                                                 \
    {                                                                                              \
        (void)isnull, (void)err;                                                                   \
        *result = datum_from_bool(compare(call) op 0);                                             \
        return 0;                                                                                  \
    }

TEXT_CMP(text_eq, ==)
TEXT_CMP(text_ne, !=)
TEXT_CMP(text_lt, <)
TEXT_CMP(text_le, <=)
TEXT_CMP(text_gt, >)
TEXT_CMP(text_ge, >=)

BUILTIN(text_to_name)
{
    const VarData *v = VAR(0);

    (void)isnull, (void)err;
    *result = datum_from_text(call->ctx->arena, v->data, text_clip_utf8(v->data, v->len, 63));
    return 0;
}

BUILTIN(name_to_text)
{
    (void)isnull, (void)err;
    *result = call->args[0]; /* same bytes; values are immutable */
    return 0;
}

BUILTIN(bool_to_text)
{
    (void)isnull, (void)err;
    *result = datum_from_cstr(call->ctx->arena, datum_get_bool(call->args[0]) ? "true" : "false");
    return 0;
}

BUILTIN(text_length)
{
    const VarData *v = VAR(0);

    (void)isnull, (void)err;
    *result = datum_from_int32(text_char_count(v->data, v->len));
    return 0;
}

BUILTIN(text_octet_length)
{
    (void)isnull, (void)err;
    *result = datum_from_int32((int32_t)VAR(0)->len);
    return 0;
}
