/*
 * sql/regex.c — POSIX regular expressions: the ~ ~* !~ !~* operators,
 * regexp_replace, regexp_like, regexp_count/instr/substr, substring(text
 * FROM pattern), SIMILAR TO (similar_to_escape) and substring(... SIMILAR
 * ...), on glibc's <regex.h> engine (REG_EXTENDED) in the C.UTF-8 locale,
 * so that '.' and bracket expressions see characters, not bytes.
 *
 * PostgreSQL's patterns are Advanced REs (ARE); sql/regex_translate.c turns
 * them into the ERE glibc runs (explicit ASCII classes, case folding by
 * translation, escapes, embedded options), and refuses with 0A000 what it
 * cannot express exactly.
 *
 * Compiled patterns are cached per thread (sessions are threads), keyed by
 * pattern text and flags, 32 entries replaced round-robin — the same scheme
 * as PostgreSQL's RE_compile_and_cache — so a constant pattern compiles once
 * per session, not once per row.
 *
 * Invariants:
 *   1. Every regex call runs with uselocale(C.UTF-8) and restores the
 *      thread's previous locale before returning.
 *   2. The cache is thread-local: no locks, no sharing; it is freed when the
 *      thread exits.
 *   3. No pattern is answered differently from PostgreSQL knowingly: what
 *      cannot be translated exactly is 0A000. (Known gap: \m \M \y \Y use
 *      glibc's word characters, which include non-ASCII letters.)
 */
#include <locale.h>
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/func_string.h"
#include "sql/regex_int.h"

#define VAR(i) datum_get_var(call->args[i])
#define CACHE_SIZE 32
typedef struct CachedRe {
    char *pattern; /* NULL: empty slot */
    size_t len;
    int cflags;
    regex_t re;
} CachedRe;

typedef struct ReCache {
    CachedRe slot[CACHE_SIZE];
    int next;
    locale_t utf8;
} ReCache;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void
cache_free(void *p)
{
    ReCache *c = p;

    for (int i = 0; i < CACHE_SIZE; i++) {
        if (c->slot[i].pattern != NULL) {
            regfree(&c->slot[i].re);
            free(c->slot[i].pattern);
        }
    }
    if (c->utf8 != (locale_t)0)
        freelocale(c->utf8);
    free(c);
}

static void
cache_key_init(void)
{
    (void)pthread_key_create(&cache_key, cache_free);
}

static ReCache *
cache_get(Err *err)
{
    ReCache *c;

    pthread_once(&cache_once, cache_key_init);
    c = pthread_getspecific(cache_key);
    if (c != NULL)
        return c;
    c = calloc(1, sizeof *c);
    if (c == NULL) {
        ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        return NULL;
    }
    c->utf8 = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
    pthread_setspecific(cache_key, c);
    return c;
}

static int
bad_re(Err *err, const char *what)
{
    return ERR_RAISE(err, ERRCODE_INVALID_REGULAR_EXPRESSION, "invalid regular expression: %s",
                     what);
}

/* PostgreSQL's regerror texts for the POSIX error codes glibc reports. */
static const char *
pg_message(int code)
{
    switch (code) {
    case REG_ECOLLATE:
        return "invalid collating element";
    case REG_ECTYPE:
        return "invalid character class";
    case REG_EESCAPE:
        return "invalid escape \\ sequence";
    case REG_ESUBREG:
        return "invalid backreference number";
    case REG_EBRACK:
        return "brackets [] not balanced";
    case REG_EPAREN:
        return "parentheses () not balanced";
    case REG_EBRACE:
        return "braces {} not balanced";
    case REG_BADBR:
        return "invalid repetition count(s)";
    case REG_ERANGE:
        return "invalid character range";
    case REG_ESPACE:
        return "out of memory";
    case REG_BADRPT:
        return "quantifier operand invalid";
    default:
        return "invalid regexp (reg version 0.8)";
    }
}

/* The compiled form of pattern p with cflags, from the cache or compiled now. */
static const regex_t *
compile(ReCache *c, const char *p, size_t n, int cflags, Err *err)
{
    CachedRe *s;
    Buf ere;
    bool newline;
    int rc;

    for (int i = 0; i < CACHE_SIZE; i++) {
        s = &c->slot[i];
        if (s->pattern != NULL && s->len == n && s->cflags == cflags &&
            memcmp(s->pattern, p, n) == 0)
            return &s->re;
    }
    buf_init(&ere, STRING_MAX_BYTES);
    if (regex_to_ere(p, n, cflags, &ere, &newline, err) < 0) {
        buf_free(&ere);
        return NULL;
    }
    buf_put_u8(&ere, 0);
    s = &c->slot[c->next];
    c->next = (c->next + 1) % CACHE_SIZE;
    if (s->pattern != NULL) {
        regfree(&s->re);
        free(s->pattern);
        s->pattern = NULL;
    }
    /* case folding was done by the translation (ASCII only, as PostgreSQL's C locale) */
    rc = regcomp(&s->re, (const char *)ere.data,
                 (newline ? REG_NEWLINE : 0) | REG_EXTENDED |
                     ((cflags & RE_MATCH_ONLY) ? REG_NOSUB : 0));
    buf_free(&ere);
    if (rc != 0) {
        if (rc != REG_ESPACE)
            regfree(&s->re);
        bad_re(err, pg_message(rc));
        return NULL;
    }
    s->pattern = malloc(n + 1);
    if (s->pattern == NULL) {
        regfree(&s->re);
        ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        return NULL;
    }
    memcpy(s->pattern, p, n);
    s->pattern[n] = '\0';
    s->len = n;
    s->cflags = cflags;
    return &s->re;
}

static size_t start_offset(const VarData *s, int32_t start);
static int bad_param(const char *name, int32_t v, Err *err);

/* parse_re_flags(): *cflags for regcomp, *global for 'g'. */
static int
parse_flags(const VarData *f, int *cflags, bool *global, Err *err)
{
    for (uint32_t i = 0; f != NULL && i < f->len; i++) {
        switch (f->data[i]) {
        case 'g':
            *global = true;
            break;
        case 'i':
            *cflags |= REG_ICASE;
            break;
        case 'c':
            *cflags &= ~REG_ICASE;
            break;
        case 'n':
        case 'm':
            *cflags |= REG_NEWLINE;
            break;
        case 's':
            *cflags &= ~REG_NEWLINE;
            break;
        case 't':
            break;
        case 'x':
            *cflags |= RE_EXPANDED;
            break;
        case 'p':
        case 'w':
        case 'q':
            *cflags |= RE_LITERAL;
            break;
        case 'b':
        case 'e':
            return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                             "regular expression option \"%c\" is not supported yet", f->data[i]);
        default:
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "invalid regular expression option: \"%.*s\"",
                             utf8_len((unsigned char)f->data[i]), f->data + i);
        }
    }
    return 0;
}

/*
 * Runs pattern over s from byte offset `from`: 1 match (m filled, offsets into s), 0 none,
 * -1 error. Switches to the UTF-8 locale around the engine (invariant 1).
 */
static int
run_bytes(const char *data, size_t len, const VarData *pat, int cflags, size_t from, regmatch_t *m,
          size_t nm, size_t *nsub, Err *err)
{
    ReCache *c = cache_get(err);
    const regex_t *re;
    locale_t old = (locale_t)0;
    int rc;

    if (c == NULL)
        return -1;
    if (c->utf8 != (locale_t)0)
        old = uselocale(c->utf8);
    re = compile(c, pat->data, pat->len, cflags, err);
    if (re == NULL) {
        if (old != (locale_t)0)
            uselocale(old);
        return -1;
    }
    if (nsub != NULL)
        *nsub = re->re_nsub;
    m[0].rm_so = (regoff_t)from;
    m[0].rm_eo = (regoff_t)len;
    rc = regexec(re, data, nm, m, REG_STARTEND | (from > 0 ? REG_NOTBOL : 0));
    if (old != (locale_t)0)
        uselocale(old);
    return rc == 0 ? 1 : 0;
}

static int
run(const VarData *s, const VarData *pat, int cflags, size_t from, regmatch_t *m, size_t nm,
    size_t *nsub, Err *err)
{
    return run_bytes(s->data, s->len, pat, cflags, from, m, nm, nsub, err);
}

static int
regex_op(const FnCall *call, int cflags, bool negate, Datum *result, Err *err)
{
    regmatch_t m[1];
    int r = run(VAR(0), VAR(1), cflags | RE_MATCH_ONLY, 0, m, 1, NULL, err);

    if (r < 0)
        return -1;
    *result = datum_from_bool((r == 1) != negate);
    return 0;
}

BUILTIN(text_regex_eq)
{
    (void)isnull;
    return regex_op(call, 0, false, result, err);
}

BUILTIN(text_regex_ne)
{
    (void)isnull;
    return regex_op(call, 0, true, result, err);
}

BUILTIN(text_regex_ieq)
{
    (void)isnull;
    return regex_op(call, REG_ICASE, false, result, err);
}

BUILTIN(text_regex_ine)
{
    (void)isnull;
    return regex_op(call, REG_ICASE, true, result, err);
}

BUILTIN(fn_regexp_like)
{
    int cflags = 0;
    bool global = false;

    (void)isnull;
    if (parse_flags(call->nargs > 2 ? VAR(2) : NULL, &cflags, &global, err) < 0)
        return -1;
    if (global)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "regexp_like() does not support the \"global\" option");
    return regex_op(call, cflags, false, result, err);
}

/* Appends the replacement text with \1..\9 and \& substituted. */
static void
put_replacement(const VarData *rep, const char *s, const regmatch_t *m, Buf *out)
{
    for (uint32_t i = 0; i < rep->len; i++) {
        char c = rep->data[i];
        int g = -1;

        if (c == '\\' && i + 1 < rep->len) {
            char d = rep->data[i + 1];

            if (d >= '1' && d <= '9')
                g = d - '0';
            else if (d == '&')
                g = 0;
            else if (d == '\\') {
                buf_put_u8(out, '\\');
                i++;
                continue;
            }
        }
        if (g < 0) {
            buf_put_u8(out, (uint8_t)c);
            continue;
        }
        if (m[g].rm_so >= 0)
            buf_append(out, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
        i++;
    }
}

/*
 * Replaces, from byte `from` on, the nth match (0: every match) of pat in s by rep.
 * Empty matches move the search on by one character, which is copied as it is.
 */
static int
replace_matches(const FnCall *call, int cflags, size_t from, int64_t nth, Datum *result, Err *err)
{
    const VarData *s = VAR(0), *rep = VAR(2);
    size_t copied = 0;
    int64_t k = 0;
    regmatch_t m[10];
    Buf b;

    buf_init(&b, STRING_MAX_BYTES + 1);
    while (from <= s->len) {
        int r = run(s, VAR(1), cflags, from, m, 10, NULL, err);

        if (r < 0) {
            buf_free(&b);
            return -1;
        }
        if (r == 0)
            break;
        if (nth == 0 || ++k == nth) {
            buf_append(&b, s->data + copied, (size_t)m[0].rm_so - copied);
            put_replacement(rep, s->data, m, &b);
            copied = (size_t)m[0].rm_eo;
            if (nth != 0)
                break;
        }
        if (m[0].rm_eo == m[0].rm_so) {
            if ((size_t)m[0].rm_eo >= s->len)
                break;
            from = (size_t)m[0].rm_eo + (size_t)utf8_len((unsigned char)s->data[m[0].rm_eo]);
        } else {
            from = (size_t)m[0].rm_eo;
        }
    }
    buf_append(&b, s->data + copied, s->len - copied);
    if (b.failed) {
        buf_free(&b);
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "requested length too large");
    }
    *result = datum_from_text(call->ctx->arena, b.len ? (const char *)b.data : "", b.len);
    buf_free(&b);
    return 0;
}

/* regexp_replace(s, p, r [, flags]): the first match, every match with 'g'. */
BUILTIN(fn_regexp_replace)
{
    int cflags = 0;
    bool global = false;

    (void)isnull;
    /* '1' here was probably meant as a start position (an unknown literal picks this form) */
    if (call->nargs > 3 && VAR(3)->len > 0 && VAR(3)->data[0] >= '0' && VAR(3)->data[0] <= '9') {
        ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid regular expression option: \"%c\"",
                  VAR(3)->data[0]);
        err_hint(err, "If you meant to use regexp_replace() with a start parameter, cast the "
                      "fourth argument to integer explicitly.");
        return -1;
    }
    if (parse_flags(call->nargs > 3 ? VAR(3) : NULL, &cflags, &global, err) < 0)
        return -1;
    return replace_matches(call, cflags, 0, global ? 0 : 1, result, err);
}

/* regexp_replace(s, p, r, start [, n [, flags]]): n picks the match (0: all; 'g' is moot). */
BUILTIN(fn_regexp_replace_ext)
{
    int32_t start = datum_get_int32(call->args[3]);
    int32_t n = call->nargs > 4 ? datum_get_int32(call->args[4]) : 1;
    int cflags = 0;
    bool global = false;

    (void)isnull;
    if (start < 1)
        return bad_param("start", start, err);
    if (n < 0)
        return bad_param("n", n, err);
    if (parse_flags(call->nargs > 5 ? VAR(5) : NULL, &cflags, &global, err) < 0)
        return -1;
    if (call->nargs < 5 && global)
        n = 0;
    return replace_matches(call, cflags, start_offset(VAR(0), start), n, result, err);
}

/* substring(s FROM pattern): the first parenthesized group's match if any, else the match. */
BUILTIN(fn_substring_regex)
{
    const VarData *s = VAR(0);
    regmatch_t m[2];
    size_t nsub = 0;
    int r;

    m[1].rm_so = -1;
    r = run(s, VAR(1), 0, 0, m, 2, &nsub, err);
    if (r < 0)
        return -1;
    if (r == 0) {
        *isnull = true;
        return 0;
    }
    if (nsub > 0) {
        if (m[1].rm_so < 0) {
            *isnull = true;
            return 0;
        }
        m[0] = m[1];
    }
    *result =
        datum_from_text(call->ctx->arena, s->data + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
    return 0;
}

/* ---- SIMILAR TO --------------------------------------------------------------------------- */

/*
 * similar_to_escape(pattern [, escape]): the POSIX regex equivalent of a SQL SIMILAR TO pattern,
 * spelled exactly as PostgreSQL spells it ("^(?:" ... ")$", % → .*, _ → ., ( → (?:, the
 * regex metacharacters . ^ $ \ escaped). The ~ operator accepts the (?: groups it produces
 * because only whether it matches is asked (the translator's match-only mode).
 */
static int
similar_escape(const VarData *p, const char *esc, size_t esclen, Arena *a, Datum *out, Err *err)
{
    Buf b;
    bool after_escape = false;
    int depth = 0;      /* inside [ ... ] */
    int since_open = 0; /* characters since the opening [ (a ] first is literal) */
    int nquotes = 0;    /* escape-double-quote separators seen */

    if (esclen > 0 && (size_t)utf8_len((unsigned char)esc[0]) != esclen) {
        ERR_RAISE(err, ERRCODE_INVALID_ESCAPE_SEQUENCE, "invalid escape string");
        err_hint(err, "Escape string must be empty or one character.");
        return -1;
    }
    buf_init(&b, STRING_MAX_BYTES + 1);
    buf_put_str(&b, "^(?:");
    for (uint32_t i = 0; i < p->len;) {
        size_t m = (size_t)utf8_len((unsigned char)p->data[i]);
        const char *c = p->data + i;

        if (m > p->len - i)
            m = p->len - i;
        i += (uint32_t)m;
        if (after_escape) {
            after_escape = false;
            if (m == 1 && *c == '"' && depth == 0) { /* the separators of substring(SIMILAR) */
                if (nquotes >= 2) {
                    buf_free(&b);
                    return ERR_RAISE(err, ERRCODE_INVALID_USE_OF_ESCAPE_CHARACTER,
                                     "SQL regular expression may not contain more than two "
                                     "escape-double-quote separators");
                }
                buf_put_str(&b, nquotes++ == 0 ? "){1,1}?(" : "){1,1}(?:");
                continue;
            }
            buf_put_u8(&b, '\\');
            buf_append(&b, c, m);
        } else if (esclen > 0 && m == esclen && memcmp(c, esc, m) == 0) {
            after_escape = true;
        } else if (depth > 0) {
            if (*c == '\\')
                buf_put_u8(&b, '\\');
            buf_append(&b, c, m);
            if (*c == ']' && since_open > 0)
                depth = 0;
            else if (!(*c == '^' && since_open == 0))
                since_open++;
        } else if (*c == '[') {
            buf_put_u8(&b, '[');
            depth = 1;
            since_open = 0;
        } else if (*c == '%') {
            buf_put_str(&b, ".*");
        } else if (*c == '_') {
            buf_put_u8(&b, '.');
        } else if (*c == '(') {
            buf_put_str(&b, "(?:");
        } else if (*c == '\\' || *c == '.' || *c == '^' || *c == '$') {
            buf_put_u8(&b, '\\');
            buf_put_u8(&b, (uint8_t)*c);
        } else {
            buf_append(&b, c, m);
        }
    }
    buf_put_str(&b, ")$");
    if (b.failed) {
        buf_free(&b);
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "requested length too large");
    }
    *out = datum_from_text(a, (const char *)b.data, b.len);
    buf_free(&b);
    return 0;
}

BUILTIN(fn_similar_to_escape)
{
    (void)isnull;
    if (call->nargs > 1)
        return similar_escape(VAR(0), VAR(1)->data, VAR(1)->len, call->ctx->arena, result, err);
    return similar_escape(VAR(0), "\\", 1, call->ctx->arena, result, err);
}

/* ---- regexp_count / regexp_instr / regexp_substr (PostgreSQL 15) --------------------------- */

/* Byte offset of the 1-based character position start (validated >= 1 by the caller). */
static size_t
start_offset(const VarData *s, int32_t start)
{
    size_t i = 0;

    for (int32_t k = 1; k < start && i < s->len; k++)
        i += (size_t)utf8_len((unsigned char)s->data[i]);
    return i < s->len ? i : s->len;
}

static int
bad_param(const char *name, int32_t v, Err *err)
{
    return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": %d",
                     name, v);
}

/*
 * The n-th match (1-based) at or after byte `from`, as regexp_replace's global loop finds them
 * (an empty match moves the search on by one character). 1 found (m filled), 0 not, -1 error.
 */
static int
nth_match(const VarData *s, const VarData *pat, int cflags, size_t from, int64_t n, regmatch_t *m,
          size_t nm, Err *err)
{
    for (int64_t k = 1; from <= s->len; k++) {
        int r = run(s, pat, cflags, from, m, nm, NULL, err);

        if (r <= 0)
            return r;
        if (k == n)
            return 1;
        if (m[0].rm_eo == m[0].rm_so) {
            if ((size_t)m[0].rm_eo >= s->len)
                return 0;
            from = (size_t)m[0].rm_eo + (size_t)utf8_len((unsigned char)s->data[m[0].rm_eo]);
        } else {
            from = (size_t)m[0].rm_eo;
        }
    }
    return 0;
}

/* The optional start (argument i) and flags (argument f) of the regexp_* functions. */
static int
opt_start_flags(const FnCall *call, int i, int f, const char *fname, size_t *from, int *cflags,
                Err *err)
{
    bool global = false;
    int32_t start = call->nargs > i ? datum_get_int32(call->args[i]) : 1;

    if (start < 1)
        return bad_param("start", start, err);
    if (parse_flags(call->nargs > f ? VAR(f) : NULL, cflags, &global, err) < 0)
        return -1;
    if (global)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "%s() does not support the \"global\" option", fname);
    *from = start_offset(VAR(0), start);
    return 0;
}

BUILTIN(fn_regexp_count)
{
    const VarData *s = VAR(0);
    size_t from;
    int cflags = 0;
    int32_t count = 0;
    regmatch_t m[1];

    (void)isnull;
    if (opt_start_flags(call, 2, 3, "regexp_count", &from, &cflags, err) < 0)
        return -1;
    for (;;) {
        int r = nth_match(s, VAR(1), cflags, from, 1, m, 1, err);

        if (r < 0)
            return -1;
        if (r == 0)
            break;
        count++;
        if (m[0].rm_eo == m[0].rm_so) {
            if ((size_t)m[0].rm_eo >= s->len)
                break;
            from = (size_t)m[0].rm_eo + (size_t)utf8_len((unsigned char)s->data[m[0].rm_eo]);
        } else {
            from = (size_t)m[0].rm_eo;
        }
    }
    *result = datum_from_int32(count);
    return 0;
}

/* Shared by regexp_instr and regexp_substr: finds match n and its subexpression. */
static int
find_sub(const FnCall *call, int n_arg, int flags_arg, int sub_arg, const char *fname,
         regmatch_t *hit, Err *err)
{
    size_t from;
    int cflags = 0;
    int32_t n = call->nargs > n_arg ? datum_get_int32(call->args[n_arg]) : 1;
    int32_t sub = call->nargs > sub_arg ? datum_get_int32(call->args[sub_arg]) : 0;
    regmatch_t m[10];
    int r;

    if (opt_start_flags(call, 2, flags_arg, fname, &from, &cflags, err) < 0)
        return -1;
    if (n < 1)
        return bad_param("n", n, err);
    if (sub < 0)
        return bad_param("subexpr", sub, err);
    for (int i = 0; i < 10; i++)
        m[i].rm_so = m[i].rm_eo = -1;
    r = nth_match(VAR(0), VAR(1), cflags, from, n, m, 10, err);
    if (r <= 0)
        return r;
    if (sub > 9)
        return 0;
    *hit = m[sub];
    return hit->rm_so >= 0 ? 1 : 0;
}

/* regexp_instr(s, p [, start [, n [, endoption [, flags [, subexpr]]]]]) */
BUILTIN(fn_regexp_instr)
{
    const VarData *s = VAR(0);
    int32_t endopt = call->nargs > 4 ? datum_get_int32(call->args[4]) : 0;
    regmatch_t hit;
    int r;

    (void)isnull;
    if (endopt != 0 && endopt != 1)
        return bad_param("endoption", endopt, err);
    r = find_sub(call, 3, 5, 6, "regexp_instr", &hit, err);
    if (r < 0)
        return -1;
    *result = datum_from_int32(
        r == 0 ? 0 : text_char_count(s->data, (size_t)(endopt ? hit.rm_eo : hit.rm_so)) + 1);
    return 0;
}

/* regexp_substr(s, p [, start [, n [, flags [, subexpr]]]]) */
BUILTIN(fn_regexp_substr)
{
    regmatch_t hit;
    int r = find_sub(call, 3, 4, 5, "regexp_substr", &hit, err);

    if (r < 0)
        return -1;
    if (r == 0) {
        *isnull = true;
        return 0;
    }
    *result = datum_from_text(call->ctx->arena, VAR(0)->data + hit.rm_so,
                              (size_t)(hit.rm_eo - hit.rm_so));
    return 0;
}

/* True when the whole of s[0, len) matches the (anchored) regex re; nothing is copied. */
static int
full_match(const char *s, size_t len, const VarData *re, Err *err)
{
    regmatch_t m[1];

    return run_bytes(s, len, re, RE_MATCH_ONLY, 0, m, 1, NULL, err);
}

#define SIMILAR_MAX_CHARS 1000

/*
 * substring(s SIMILAR p ESCAPE e): p is split by the escape-double-quote separators into
 * P1 "P2" P3; the result is the part of s matched by P2 when P1 matches as short a prefix as
 * possible and P2 as long a part as possible, the whole of s being matched (SQL's rule, which
 * PostgreSQL implements with a non-greedy P1). Each part is tested as an anchored regex on
 * candidate splits, so the engine never needs non-greedy quantifiers.
 */
BUILTIN(fn_substring_similar)
{
    const VarData *s = VAR(0), *p = VAR(1), *e = VAR(2);
    Arena *a = call->ctx->arena;
    const VarData *re[3];
    uint32_t starts[3] = {0, 0, 0}, ends[3] = {p->len, p->len, p->len};
    int nparts = 1;
    Datum d;

    /* split p at each escape + '"'; an escape before anything else escapes that character */
    for (uint32_t i = 0; e->len > 0 && i + e->len < p->len;) {
        if (memcmp(p->data + i, e->data, e->len) != 0) {
            i++;
            continue;
        }
        if (p->data[i + e->len] == '"') {
            if (nparts == 3) {
                ERR_RAISE(err, ERRCODE_INVALID_USE_OF_ESCAPE_CHARACTER,
                          "SQL regular expression may not contain more than two "
                          "escape-double-quote separators");
                err_context(err, "SQL function \"substring\" statement 1");
                return -1;
            }
            ends[nparts - 1] = i;
            starts[nparts++] = i + e->len + 1;
        }
        i += e->len + 1;
    }
    for (int j = 0; j < 3; j++) {
        VarData *v = j < nparts ? vardata_make(a, p->data + starts[j], ends[j] - starts[j])
                                : vardata_make(a, "", 0);

        if (similar_escape(v, e->data, e->len, a, &d, err) < 0)
            return -1;
        re[j] = datum_get_var(d);
    }
    if (text_char_count(s->data, s->len) > SIMILAR_MAX_CHARS)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                         "substring with a SIMILAR TO pattern over more than %d characters is "
                         "not supported yet",
                         SIMILAR_MAX_CHARS);
    if (nparts == 1) {
        int r = full_match(s->data, s->len, re[0], err);

        if (r < 0)
            return -1;
        if (r == 0)
            *isnull = true;
        else
            *result = call->args[0];
        return 0;
    }
    for (size_t i = 0; i <= s->len;) {
        int r;

        /* up to n^2 trial matches: stay cancellable (expr.h invariant 4) */
        if (expr_check_interrupts(call->ctx, err) < 0)
            return -1;
        r = full_match(s->data, i, re[0], err);

        if (r < 0)
            return -1;
        for (size_t j = s->len; r == 1; j--) {
            int r2, r3;

            if (((unsigned char)s->data[j] & 0xc0) != 0x80 || j == s->len) {
                if ((r2 = full_match(s->data + i, j - i, re[1], err)) < 0)
                    return -1;
                if (r2 == 1) {
                    if ((r3 = full_match(s->data + j, s->len - j, re[2], err)) < 0)
                        return -1;
                    if (r3 == 1) {
                        *result = datum_from_text(a, s->data + i, j - i);
                        return 0;
                    }
                }
            }
            if (j == i)
                break;
        }
        if (i == s->len)
            break;
        i += (size_t)utf8_len((unsigned char)s->data[i]);
    }
    *isnull = true;
    return 0;
}
