/*
 * sql/like.c — LIKE and ILIKE (the ~~ ~~* !~~ !~~* operators), over text,
 * name, character and bytea, and like_escape() for the ESCAPE clause.
 *
 * The grammar turns `a LIKE b ESCAPE e` into `a ~~ like_escape(b, e)`, so
 * the matcher only knows one escape character, backslash. '%' matches any
 * run of characters, '_' exactly one character (one byte for bytea).
 * ILIKE folds ASCII letters only, which is what PostgreSQL does under the C
 * collation the oracle runs with.
 *
 * The matcher is PostgreSQL's algorithm in spirit: literal runs compare
 * directly; at '%' it tries each later position where the next literal
 * character occurs and recurses, and a failed recursion that ran off the
 * end of the text aborts the whole match (no later start can succeed), so
 * patterns like '%a%a%a%b' stay polynomial.
 *
 * Invariants:
 *   1. A pattern that ends with the escape character raises 22025, as
 *      PostgreSQL does — only when the matcher reaches it.
 *   2. No allocation.
 */
#include <string.h>

#include "common/errcodes.h"
#include "sql/func_string.h"

#define VAR(i) datum_get_var(call->args[i])

enum { LIKE_FALSE = 0, LIKE_TRUE = 1, LIKE_ABORT = 2, LIKE_ERROR = -1 };

static char
fold(char c, bool icase)
{
    return icase && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static size_t
step(const char *s, size_t left, bool bytes)
{
    size_t n = bytes ? 1 : (size_t)utf8_len((unsigned char)*s);

    return n > left ? left : n;
}

static int
escape_at_end(Err *err)
{
    ERR_RAISE(err, ERRCODE_INVALID_ESCAPE_SEQUENCE,
              "LIKE pattern must not end with escape character");
    return LIKE_ERROR;
}

static int
match(const char *t, size_t tl, const char *p, size_t pl, bool icase, bool bytes, int depth,
      Err *err)
{
    if (depth > 10000) {
        ERR_RAISE(err, ERRCODE_STATEMENT_TOO_COMPLEX, "stack depth limit exceeded");
        return LIKE_ERROR;
    }
    while (pl > 0 && tl > 0) {
        if (*p == '\\') {
            if (pl < 2)
                return escape_at_end(err);
            p++, pl--;
            if (fold(*p, icase) != fold(*t, icase))
                return LIKE_FALSE;
            p++, pl--, t++, tl--;
        } else if (*p == '%') {
            char first;
            bool escaped = false;

            /* collapse %%, and let each _ consume a character now */
            while (pl > 0 && (*p == '%' || *p == '_')) {
                if (*p == '_') {
                    size_t n;

                    if (tl == 0)
                        return LIKE_ABORT;
                    n = step(t, tl, bytes);
                    t += n, tl -= n;
                }
                p++, pl--;
            }
            if (pl == 0)
                return LIKE_TRUE;
            if (*p == '\\') {
                if (pl < 2)
                    return escape_at_end(err);
                escaped = true;
            }
            first = fold(escaped ? p[1] : *p, icase);
            while (tl > 0) {
                if (fold(*t, icase) == first) {
                    int r = match(t, tl, p, pl, icase, bytes, depth + 1, err);

                    if (r != LIKE_FALSE)
                        return r;
                }
                {
                    size_t n = step(t, tl, bytes);

                    t += n, tl -= n;
                }
            }
            return LIKE_ABORT;
        } else if (*p == '_') {
            size_t n = step(t, tl, bytes);

            t += n, tl -= n;
            p++, pl--;
        } else {
            if (fold(*p, icase) != fold(*t, icase))
                return LIKE_FALSE;
            p++, pl--, t++, tl--;
        }
    }
    if (tl > 0)
        return LIKE_FALSE;
    while (pl > 0 && *p == '%')
        p++, pl--;
    return pl == 0 ? LIKE_TRUE : LIKE_ABORT;
}

int
like_match(const char *s, size_t slen, const char *p, size_t plen, bool icase, bool bytes, Err *err)
{
    int r = match(s, slen, p, plen, icase, bytes, 0, err);

    return r == LIKE_ERROR ? -1 : r == LIKE_TRUE;
}

static int
like(const FnCall *call, bool icase, bool bytes, bool negate, Datum *result, Err *err)
{
    const VarData *s = VAR(0), *p = VAR(1);
    int r = like_match(s->data, s->len, p->data, p->len, icase, bytes, err);

    if (r < 0)
        return -1;
    *result = datum_from_bool((r == 1) != negate);
    return 0;
}

BUILTIN(text_like)
{
    (void)isnull;
    return like(call, false, false, false, result, err);
}

BUILTIN(text_notlike)
{
    (void)isnull;
    return like(call, false, false, true, result, err);
}

BUILTIN(text_ilike)
{
    (void)isnull;
    return like(call, true, false, false, result, err);
}

BUILTIN(text_notilike)
{
    (void)isnull;
    return like(call, true, false, true, result, err);
}

BUILTIN(bytea_like)
{
    (void)isnull;
    return like(call, false, true, false, result, err);
}

BUILTIN(bytea_notlike)
{
    (void)isnull;
    return like(call, false, true, true, result, err);
}

/*
 * like_escape(pattern, esc): rewrites pattern so that backslash is its escape. An empty esc
 * means no escape at all (backslashes become literal, so they are doubled).
 */
static int
escape(const FnCall *call, bool bytes, Datum *result, Err *err)
{
    const VarData *p = VAR(0), *e = VAR(1);
    VarData *r;
    size_t n = 0, elen = e->len;

    if (elen > 0 && (size_t)step(e->data, elen, bytes) != elen) {
        ERR_RAISE(err, ERRCODE_INVALID_ESCAPE_SEQUENCE, "invalid escape string");
        err_hint(err, "Escape string must be empty or one character.");
        return -1;
    }
    r = arena_alloc(call->ctx->arena, sizeof(VarData) + 2 * (size_t)p->len + 1);
    if (elen == 0) {
        for (uint32_t i = 0; i < p->len; i++) {
            if (p->data[i] == '\\')
                r->data[n++] = '\\';
            r->data[n++] = p->data[i];
        }
    } else if (elen == 1 && e->data[0] == '\\') {
        memcpy(r->data, p->data, p->len);
        n = p->len;
    } else {
        bool after_escape = false;

        for (uint32_t i = 0; i < p->len;) {
            size_t m = step(p->data + i, p->len - i, bytes);

            if (after_escape) {
                /* the escaped character is literal: escape it with backslash */
                r->data[n++] = '\\';
                memcpy(r->data + n, p->data + i, m);
                n += m;
                after_escape = false;
            } else if (m == elen && memcmp(p->data + i, e->data, elen) == 0) {
                after_escape = true;
            } else if (p->data[i] == '\\') {
                r->data[n++] = '\\';
                r->data[n++] = '\\';
            } else {
                memcpy(r->data + n, p->data + i, m);
                n += m;
            }
            i += (uint32_t)m;
        }
        if (after_escape)
            r->data[n++] = '\\'; /* reaches the matcher, which reports it */
    }
    r->len = (uint32_t)n;
    r->data[n] = '\0';
    *result = datum_from_var(r);
    return 0;
}

BUILTIN(fn_like_escape)
{
    (void)isnull;
    return escape(call, false, result, err);
}

BUILTIN(fn_bytea_like_escape)
{
    (void)isnull;
    return escape(call, true, result, err);
}
