/*
 * sql/dialect.c — the streaming-dialect pre-pass (see sql/dialect.h for the
 * accepted forms and docs/dialect.md for the grammar).
 *
 * Pipeline position: first thing sql_script_parse() does after the UTF-8
 * and nesting checks. It works on libpg_query's own token stream
 * (parse_scan(), sql/parse.c) so that literals, quoted identifiers, comments
 * and dollar quotes are recognised exactly as the real parser will see them,
 * then edits a copy of the text in place: extension clauses become spaces,
 * the word SOURCE becomes "TABLE ". libpg_query then parses the copy.
 *
 * Statements are split at ';' tokens outside parentheses. Each statement is
 * matched by its first words; anything not matched is left byte for byte.
 *
 * Invariants:
 *   1. Text that contains none of the trigger words (trigger()) is not even
 *      scanned; text that is scanned but matches nothing allocates nothing
 *      more and yields *out = NULL.
 *   2. The copy has the original's length; only bytes of recognised clauses
 *      change, newlines are kept (so LINE numbers of errors stay right).
 *   3. Every token index is checked against the statement's end before it is
 *      read: a truncated statement is a syntax error "at end of input" or
 *      "at or near ";"", never an out-of-bounds read.
 *   4. The watermark expression is checked by libpg_query itself, in a copy
 *      where everything but the expression is blank and "SELECT (" stands
 *      just before it, so its syntax errors carry PostgreSQL's message and
 *      the exact position in the original text.
 *   5. PostgreSQL reports the first error of a string. Before an error of
 *      ours is returned, the rewritten text up to the start of the failing
 *      clause (cx->clause) is parsed; a syntax error there other than "at end
 *      of input" is what PostgreSQL would have reported, and replaces ours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/bind_struct.h"
#include "sql/dialect.h"
#include "sql/sql_int.h"

#define DIALECT_MAX_STMTS 4096 /* a script with more dialect statements is refused (54000) */

typedef struct Cx {
    const char *text;
    size_t len;
    ParseToken *tok;
    int ntok;
    int end; /* index one past the current statement's last token (its ';' or ntok) */
    DialectScript *d;
    char *out;   /* the rewritten copy (d->text), NULL until the first edit */
    bool strong; /* the statement has begun an extension clause: its errors are ours */
    int clause;  /* byte offset where the clause being read starts (invariant 5), -1 = none */
    Err *err;
} Cx;

/* ---- tokens --------------------------------------------------------------------------------- */

static bool
is_word(const Cx *cx, int i, const char *w)
{
    size_t n = strlen(w);

    return i < cx->end && cx->tok[i].kind == PTOK_WORD &&
           (size_t)(cx->tok[i].end - cx->tok[i].start) == n &&
           strncasecmp(cx->text + cx->tok[i].start, w, n) == 0;
}

static bool
is_char(const Cx *cx, int i, char c)
{
    return i < cx->end && cx->tok[i].kind == PTOK_CHAR && cx->text[cx->tok[i].start] == c;
}

static bool
is_name(const Cx *cx, int i)
{
    return i < cx->end && (cx->tok[i].kind == PTOK_WORD || cx->tok[i].kind == PTOK_QIDENT);
}

/* 1-based character position of byte offset off (bytes past the end count one each). */
static int
char_pos(const char *text, size_t len, size_t off)
{
    int n = 1;

    for (size_t i = 0; i < off && i < len; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n + (off > len ? (int)(off - len) : 0);
}

/* 42601 at token i, worded as PostgreSQL's scanner_yyerror() words it. */
static int
syntax_error(Cx *cx, int i)
{
    if (i >= cx->ntok) {
        ERR_RAISE(cx->err, ERRCODE_SYNTAX_ERROR, "syntax error at end of input");
        err_position(cx->err, char_pos(cx->text, cx->len, cx->len));
        return -1;
    }
    ERR_RAISE(cx->err, ERRCODE_SYNTAX_ERROR, "syntax error at or near \"%.*s\"",
              cx->tok[i].end - cx->tok[i].start > 200 ? 200 : cx->tok[i].end - cx->tok[i].start,
              cx->text + cx->tok[i].start);
    err_position(cx->err, char_pos(cx->text, cx->len, (size_t)cx->tok[i].start));
    return -1;
}

/* ---- the result ----------------------------------------------------------------------------- */

static int
ensure_script(Cx *cx)
{
    if (cx->d != NULL)
        return 0;
    cx->d = calloc(1, sizeof *cx->d);
    if (cx->d == NULL)
        return ERR_RAISE(cx->err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    cx->d->arena = arena_create("dialect", 0);
    cx->out = arena_memdup(cx->d->arena, cx->text, cx->len + 1);
    cx->d->text = cx->out;
    cx->d->len = cx->len;
    cx->d->stmts = arena_calloc(cx->d->arena, 8, sizeof *cx->d->stmts);
    return 0;
}

static DialectStmt *
add_stmt(Cx *cx, DialectKind kind, int s)
{
    DialectScript *d;
    DialectStmt *st;

    if (ensure_script(cx) < 0)
        return NULL;
    d = cx->d;
    if (d->nstmts >= DIALECT_MAX_STMTS) {
        ERR_RAISE(cx->err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                  "too many streaming statements in one query string");
        return NULL;
    }
    if (d->nstmts >= 8 && (d->nstmts & (d->nstmts - 1)) == 0) {
        DialectStmt *bigger = arena_calloc(d->arena, (size_t)d->nstmts * 2, sizeof *bigger);

        memcpy(bigger, d->stmts, sizeof *bigger * (size_t)d->nstmts);
        d->stmts = bigger;
    }
    st = &d->stmts[d->nstmts++];
    st->kind = kind;
    st->start = cx->tok[s].start;
    st->end = cx->tok[cx->end - 1].end;
    st->with_pos = -1;
    st->append_only_pos = -1;
    st->format_pos = -1;
    st->emit_pos = -1;
    st->name_pos = -1;
    st->wm_column_pos = -1;
    st->wm_expr_pos = -1;
    st->proctime_pos = -1;
    st->generated_pos = -1;
    return st;
}

/* Blanks text[from, to) in the copy (invariant 2). */
static void
blank(Cx *cx, int from, int to)
{
    for (int i = from; i < to; i++) {
        if (cx->out[i] != '\n')
            cx->out[i] = ' ';
    }
}

/* Tokens [a, b) as written. */
static const char *
span(Cx *cx, int a, int b)
{
    return arena_strndup(cx->d->arena, cx->text + cx->tok[a].start,
                         (size_t)(cx->tok[b - 1].end - cx->tok[a].start));
}

/* An identifier token as PostgreSQL reads it: unquoted lower-cased, quoted undoubled. */
static void
append_ident(Cx *cx, int i, char *dst, size_t *n)
{
    const char *p = cx->text + cx->tok[i].start;
    int len = cx->tok[i].end - cx->tok[i].start;

    if (cx->tok[i].kind == PTOK_QIDENT && p[0] == '"') {
        for (int k = 1; k < len - 1; k++) {
            dst[(*n)++] = p[k];
            if (p[k] == '"')
                k++;
        }
        return;
    }
    for (int k = 0; k < len; k++)
        dst[(*n)++] = (p[k] >= 'A' && p[k] <= 'Z') ? (char)(p[k] + 32) : p[k];
}

/* ---- option lists: '(' [key = value {, key = value}] ')' ------------------------------------ */

static int
parse_value(Cx *cx, int *i, DialectOption *o)
{
    int k = *i, len;
    const char *p;

    o->value_pos = k < cx->end ? cx->tok[k].start : (int)cx->len;
    if (is_char(cx, k, '-') || is_char(cx, k, '+')) {
        if (k + 1 >= cx->end || cx->tok[k + 1].kind != PTOK_NUMBER)
            return syntax_error(cx, k + 1);
        o->value = span(cx, k, k + 2);
        o->value_kind = DIALECT_VALUE_NUMBER;
        *i = k + 2;
        return 0;
    }
    if (k >= cx->end)
        return syntax_error(cx, k);
    p = cx->text + cx->tok[k].start;
    len = cx->tok[k].end - cx->tok[k].start;
    switch (cx->tok[k].kind) {
    case PTOK_NUMBER:
        o->value = span(cx, k, k + 1);
        o->value_kind = DIALECT_VALUE_NUMBER;
        break;
    case PTOK_WORD:
    case PTOK_QIDENT: {
        char *v = arena_alloc(cx->d->arena, (size_t)len + 1);
        size_t n = 0;

        append_ident(cx, k, v, &n);
        v[n] = '\0';
        o->value = v;
        o->value_kind = DIALECT_VALUE_WORD;
        break;
    }
    case PTOK_STRING: {
        char *v = arena_alloc(cx->d->arena, (size_t)len + 1);
        size_t n = 0;

        if (p[0] != '\'' || len < 2) {
            ERR_RAISE(cx->err, ERRCODE_FEATURE_NOT_SUPPORTED,
                      "option values must be plain string literals ('...'), numbers or words");
            err_position(cx->err, char_pos(cx->text, cx->len, (size_t)cx->tok[k].start));
            return -1;
        }
        for (int c = 1; c < len - 1; c++) {
            v[n++] = p[c];
            if (p[c] == '\'')
                c++;
        }
        v[n] = '\0';
        o->value = v;
        o->value_kind = DIALECT_VALUE_STRING;
        break;
    }
    default:
        return syntax_error(cx, k);
    }
    *i = k + 1;
    return 0;
}

/* Parses the list whose '(' is token *i; leaves *i after its ')'. */
static int
parse_options(Cx *cx, int *i, DialectOption **out, int *nout)
{
    int k = *i + 1, n = 0, cap = 0;
    DialectOption *opts = NULL;

    if (is_char(cx, k, ')')) {
        *i = k + 1;
        *out = NULL;
        *nout = 0;
        return 0;
    }
    for (;;) {
        DialectOption *o;
        int a = k;
        size_t klen = 0;
        char *key;

        if (!is_name(cx, k))
            return syntax_error(cx, k);
        while (is_char(cx, k + 1, '.') && is_name(cx, k + 2))
            k += 2;
        if (!is_char(cx, k + 1, '='))
            return syntax_error(cx, k + 1);
        if (n == cap) {
            DialectOption *bigger;

            cap = cap ? cap * 2 : 8;
            bigger = arena_calloc(cx->d->arena, (size_t)cap, sizeof *bigger);
            if (n > 0)
                memcpy(bigger, opts, sizeof *bigger * (size_t)n);
            opts = bigger;
        }
        o = &opts[n++];
        key = arena_alloc(cx->d->arena, (size_t)(cx->tok[k].end - cx->tok[a].start) + 1);
        for (int t = a; t <= k; t += 2) {
            if (t > a)
                key[klen++] = '.';
            append_ident(cx, t, key, &klen);
        }
        key[klen] = '\0';
        o->key = key;
        o->key_pos = cx->tok[a].start;
        k += 2;
        if (parse_value(cx, &k, o) < 0)
            return -1;
        if (is_char(cx, k, ')'))
            break;
        if (!is_char(cx, k, ','))
            return syntax_error(cx, k);
        k++;
    }
    *i = k + 1;
    *out = opts;
    *nout = n;
    return 0;
}

/* ---- WATERMARK FOR col AS expr (the element spans tokens [a, b)) ---------------------------- */

/* libpg_query checks the expression (invariant 4); its error is mapped back to the original. */
static int
check_expression(Cx *cx, int from, int to, int b)
{
    char *buf = malloc((size_t)to + 2);
    Err e;
    int rc;

    if (buf == NULL)
        return ERR_RAISE(cx->err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    memset(buf, ' ', (size_t)from);
    memcpy(buf + from - 8, "SELECT (", 8);
    memcpy(buf + from, cx->text + from, (size_t)(to - from));
    buf[to] = ')';
    buf[to + 1] = '\0';
    err_clear(&e);
    rc = parse_check_syntax(buf, &e);
    if (rc < 0) {
        int off = 0, c = 1;

        while (off <= to && c < e.position) /* buffer char position → byte offset */
            c += ((unsigned char)buf[++off] & 0xC0) != 0x80;
        if (off >= to && strncmp(e.message, "syntax error", 12) == 0) {
            syntax_error(cx, b); /* at the element's real end: ',' or ')' */
        } else {
            err_copy(cx->err, &e);
            cx->err->position = char_pos(cx->text, cx->len, (size_t)off);
        }
    }
    free(buf);
    return rc;
}

static int
parse_watermark(Cx *cx, DialectStmt *st, int a, int b)
{
    const ParseToken *t = cx->tok;
    size_t n = 0;
    char *col;

    if (st->wm_column != NULL) {
        ERR_RAISE(cx->err, ERRCODE_FEATURE_NOT_SUPPORTED,
                  "only one WATERMARK clause is supported per relation");
        err_position(cx->err, char_pos(cx->text, cx->len, (size_t)t[a].start));
        return -1;
    }
    if (a + 2 >= b || !is_name(cx, a + 2))
        return syntax_error(cx, a + 2 < b ? a + 2 : b);
    if (a + 3 >= b || !is_word(cx, a + 3, "as"))
        return syntax_error(cx, a + 3 < b ? a + 3 : b);
    if (a + 4 >= b)
        return syntax_error(cx, b);
    col = arena_alloc(cx->d->arena, (size_t)(t[a + 2].end - t[a + 2].start) + 1);
    append_ident(cx, a + 2, col, &n);
    col[n] = '\0';
    st->wm_column = col;
    st->wm_column_pos = t[a + 2].start;
    st->wm_expr_pos = t[a + 4].start;
    st->wm_expr_len = t[b - 1].end - t[a + 4].start;
    st->wm_expr = span(cx, a + 4, b);
    return check_expression(cx, t[a + 4].start, t[b - 1].end, b);
}

/* ---- CREATE SOURCE / CREATE TABLE ----------------------------------------------------------- */

/* Index of the ')' matching the '(' at token i, or -1. */
static int
matching_paren(const Cx *cx, int i)
{
    int depth = 0;

    for (int k = i; k < cx->end; k++) {
        if (is_char(cx, k, '('))
            depth++;
        else if (is_char(cx, k, ')') && --depth == 0)
            return k;
    }
    return -1;
}

/*
 * `AS PROCTIME ( )` or `AS expr` (a generated column, sql/generated.c) at depth 0 of the column
 * element [a, k), after a name and a type: blanked (sql/proctime.c and sql/generated.c read it
 * again). The AS of PostgreSQL's `GENERATED ALWAYS AS (...)` / `... AS IDENTITY` is left alone;
 * without a type, or without an expression, it is left for PostgreSQL's syntax error.
 */
static void
scan_proctime(Cx *cx, DialectStmt *st, int a, int k)
{
    int depth = 0;

    for (int j = a; j < k; j++) {
        if (is_char(cx, j, '('))
            depth++;
        else if (is_char(cx, j, ')'))
            depth--;
        else if (depth == 0 && j >= a + 2 && j + 3 < k && is_word(cx, j, "as") &&
                 is_word(cx, j + 1, "proctime") && is_char(cx, j + 2, '(') &&
                 is_char(cx, j + 3, ')')) {
            if (st->proctime_pos < 0)
                st->proctime_pos = cx->tok[j].start;
            blank(cx, cx->tok[j].start, cx->tok[j + 3].end);
            return;
        } else if (depth == 0 && j >= a + 2 && j + 1 < k && is_word(cx, j, "as") &&
                   !is_word(cx, j - 1, "always") && !is_word(cx, j - 1, "default")) {
            if (st->generated_pos < 0)
                st->generated_pos = cx->tok[j].start;
            blank(cx, cx->tok[j].start, cx->tok[k - 1].end);
            return;
        }
    }
}

/* The column list [lp, rp]: takes WATERMARK elements and AS PROCTIME() clauses out. */
static int
scan_columns(Cx *cx, DialectStmt *st, int lp, int rp)
{
    int depth = 0, a = lp + 1;

    for (int k = lp + 1; k <= rp; k++) {
        if (is_char(cx, k, '('))
            depth++;
        else if (is_char(cx, k, ')') && k < rp)
            depth--;
        if (depth > 0 || !(is_char(cx, k, ',') || k == rp))
            continue;
        if (is_word(cx, a, "watermark") && is_word(cx, a + 1, "for")) {
            int from = cx->tok[a].start, to = cx->tok[k - 1].end;

            cx->strong = true;
            cx->clause = cx->tok[a].start;
            if (parse_watermark(cx, st, a, k) < 0)
                return -1;
            if (a > lp + 1)
                from = cx->tok[a - 1].start; /* the ',' before it */
            else if (k < rp)
                to = cx->tok[k].end; /* first element: the ',' after it */
            blank(cx, from, to);
        } else {
            scan_proctime(cx, st, a, k);
        }
        a = k + 1;
    }
    return 0;
}

static bool
connector_options(const DialectStmt *st)
{
    for (int i = 0; i < st->noptions; i++) {
        const char *k = st->options[i].key, *dot = strchr(k, '.');

        if (strcmp(k, "connector") == 0 || (dot != NULL && strchr(dot + 1, '.') != NULL))
            return true;
    }
    return false;
}

/* The clauses after the column list: [APPEND ONLY] [WITH (...)] [FORMAT f ENCODE e [(...)]]. */
static int
parse_tail(Cx *cx, DialectStmt *st, int k, bool is_source)
{
    if (is_word(cx, k, "append")) {
        cx->strong = true;
        cx->clause = cx->tok[k].start;
        if (!is_word(cx, k + 1, "only"))
            return syntax_error(cx, k + 1);
        if (is_source)
            return syntax_error(cx, k);
        st->append_only = true;
        st->append_only_pos = cx->tok[k].start;
        blank(cx, cx->tok[k].start, cx->tok[k + 1].end);
        k += 2;
    }
    if (is_word(cx, k, "with") && is_char(cx, k + 1, '(')) {
        int w = k;

        cx->clause = st->with_pos = cx->tok[k].start;
        k++;
        if (parse_options(cx, &k, &st->options, &st->noptions) < 0)
            return -1;
        blank(cx, cx->tok[w].start, cx->tok[k - 1].end);
    }
    if (is_word(cx, k, "format")) {
        int f = k;
        char *w;

        cx->strong = true;
        cx->clause = st->format_pos = cx->tok[k].start;
        if (!is_name(cx, k + 1))
            return syntax_error(cx, k + 1);
        if (!is_word(cx, k + 2, "encode"))
            return syntax_error(cx, k + 2);
        if (!is_name(cx, k + 3))
            return syntax_error(cx, k + 3);
        st->format = w = arena_strdup(cx->d->arena, span(cx, k + 1, k + 2));
        for (; *w; w++)
            *w = (*w >= 'a' && *w <= 'z') ? (char)(*w - 32) : *w;
        st->encode = w = arena_strdup(cx->d->arena, span(cx, k + 3, k + 4));
        for (; *w; w++)
            *w = (*w >= 'a' && *w <= 'z') ? (char)(*w - 32) : *w;
        k += 4;
        if (is_char(cx, k, '(') &&
            parse_options(cx, &k, &st->encode_options, &st->nencode_options) < 0)
            return -1;
        blank(cx, cx->tok[f].start, cx->tok[k - 1].end);
    }
    if (k < cx->end && !is_char(cx, k, ';')) {
        cx->clause = cx->tok[k].start;
        return syntax_error(cx, k);
    }
    return 0;
}

/* CREATE {SOURCE | TABLE} [IF NOT EXISTS] name (...) tail; s is CREATE's index. */
static int
create_relation(Cx *cx, int s, bool is_source)
{
    int k = s + 2, lp, rp, nstmts = cx->d != NULL ? cx->d->nstmts : 0;
    DialectStmt *st;
    char *saved = NULL;
    bool if_not_exists = false;

    if (is_source) { /* a source is always ours (and an error's prefix must read TABLE) */
        if (ensure_script(cx) < 0)
            return -1;
        memcpy(cx->out + cx->tok[s + 1].start, "TABLE ", 6);
    }
    if (is_word(cx, k, "if") && is_word(cx, k + 1, "not") && is_word(cx, k + 2, "exists")) {
        if_not_exists = true;
        k += 3;
    }
    lp = k;
    if (!is_name(cx, lp)) {
        if (is_source)
            return syntax_error(cx, lp);
        return 0;
    }
    while (is_char(cx, lp + 1, '.') && is_name(cx, lp + 2))
        lp += 2;
    lp++;
    rp = is_char(cx, lp, '(') ? matching_paren(cx, lp) : -1;
    if (rp < 0) {
        if (!is_source)
            return 0;
        if (is_char(cx, lp, '('))
            return syntax_error(cx, cx->end);
        cx->clause = lp < cx->end ? cx->tok[lp].start : (int)cx->len;
        syntax_error(cx, lp);
        err_hint(cx->err, "A source needs a column list: CREATE SOURCE name (column type, ...).");
        return -1;
    }
    if (!is_source) {
        /* Only a table that uses an extension is ours: try, and undo if it uses none. */
        bool has_ext = false;

        for (int i = lp; i < rp && !has_ext; i++)
            has_ext = (is_word(cx, i, "watermark") && is_word(cx, i + 1, "for")) ||
                      (is_word(cx, i, "as") && !is_word(cx, i - 1, "always") &&
                       !is_word(cx, i - 1, "default"));
        for (int i = rp + 1; i < cx->end && !has_ext; i++)
            has_ext = is_word(cx, i, "append") || is_word(cx, i, "format") ||
                      is_word(cx, i, "connector") ||
                      (is_char(cx, i, '.') && is_char(cx, i + 2, '.'));
        if (!has_ext)
            return 0;
        if (ensure_script(cx) < 0)
            return -1;
        saved = arena_memdup(cx->d->arena, cx->out, cx->len + 1);
    }
    st = add_stmt(cx, is_source ? DIALECT_CREATE_SOURCE : DIALECT_CREATE_TABLE, s);
    if (st == NULL)
        return -1;
    st->if_not_exists = if_not_exists;
    st->name = span(cx, k, lp);
    st->name_pos = cx->tok[k].start;
    if (scan_columns(cx, st, lp, rp) < 0 || parse_tail(cx, st, rp + 1, is_source) < 0) {
        if (is_source || cx->strong || connector_options(st))
            return -1;
        err_clear(cx->err); /* a plain table after all: PostgreSQL reports its syntax */
    } else if (is_source || st->append_only || st->wm_column != NULL || st->format != NULL ||
               st->proctime_pos >= 0 || st->generated_pos >= 0 || connector_options(st)) {
        return 0;
    }
    memcpy(cx->out, saved, cx->len + 1); /* not ours: undo */
    cx->d->nstmts = nstmts;
    return 0;
}

/* ---- the other statements ------------------------------------------------------------------- */

/* CREATE MATERIALIZED VIEW ... EMIT ON WINDOW CLOSE (the last four tokens). */
static int
create_mv(Cx *cx, int s)
{
    int e = cx->end;
    DialectStmt *st;

    if (e - s < 8 || !is_word(cx, e - 4, "emit") || !is_word(cx, e - 3, "on") ||
        !is_word(cx, e - 2, "window") || !is_word(cx, e - 1, "close"))
        return 0;
    st = add_stmt(cx, DIALECT_CREATE_MV, s);
    if (st == NULL)
        return -1;
    st->emit_on_window_close = true;
    st->emit_pos = cx->tok[e - 4].start;
    blank(cx, cx->tok[e - 4].start, cx->tok[e - 1].end);
    return 0;
}

/* DROP SOURCE ...: becomes DROP TABLE, which PostgreSQL's grammar checks. */
static int
drop_source(Cx *cx, int s)
{
    DialectStmt *st = add_stmt(cx, DIALECT_DROP_SOURCE, s);

    if (st == NULL)
        return -1;
    st->if_exists = is_word(cx, s + 2, "if") && is_word(cx, s + 3, "exists");
    st->cascade = is_word(cx, cx->end - 1, "cascade");
    memcpy(cx->out + cx->tok[s + 1].start, "TABLE ", 6);
    return 0;
}

/* SHOW TABLES | SOURCES | MATERIALIZED VIEWS [FROM schema] [LIKE 'pattern'] */
static int
show_objects(Cx *cx, int s, DialectKind kind)
{
    int k = s + (kind == DIALECT_SHOW_MVIEWS ? 3 : 2);
    DialectStmt *st = add_stmt(cx, kind, s);

    if (st == NULL)
        return -1;
    st->is_dialect_only = true;
    cx->clause = st->start;
    if (is_word(cx, k, "from")) {
        if (!is_name(cx, k + 1))
            return syntax_error(cx, k + 1);
        st->schema = span(cx, k + 1, k + 2);
        k += 2;
    }
    if (is_word(cx, k, "like")) {
        DialectOption o;

        if (k + 1 >= cx->end || cx->tok[k + 1].kind != PTOK_STRING)
            return syntax_error(cx, k + 1);
        k++;
        if (parse_value(cx, &k, &o) < 0)
            return -1;
        st->pattern = o.value;
    }
    if (k < cx->end)
        return syntax_error(cx, k);
    blank(cx, st->start, st->end);
    return 0;
}

/* DESCRIBE name, SHOW COLUMNS FROM name, FLUSH */
static int
simple_command(Cx *cx, int s, DialectKind kind)
{
    int k = s + 1;
    DialectStmt *st = add_stmt(cx, kind, s);

    if (st == NULL)
        return -1;
    st->is_dialect_only = true;
    cx->clause = st->start;
    if (kind == DIALECT_SHOW_COLUMNS && !is_word(cx, (k += 2) - 1, "from"))
        return syntax_error(cx, k - 1);
    if (kind == DIALECT_DESCRIBE || kind == DIALECT_SHOW_COLUMNS) {
        int first = k;

        if (!is_name(cx, k))
            return syntax_error(cx, k);
        while (is_char(cx, k + 1, '.') && is_name(cx, k + 2))
            k += 2;
        st->name = span(cx, first, k + 1);
        st->name_pos = cx->tok[first].start;
        k++;
    }
    if (k < cx->end)
        return syntax_error(cx, k);
    blank(cx, st->start, st->end);
    return 0;
}

/* One statement: tokens [s, cx->end). */
static int
statement(Cx *cx, int s)
{
    if (is_word(cx, s, "create")) {
        if (is_word(cx, s + 1, "source"))
            return create_relation(cx, s, true);
        if (is_word(cx, s + 1, "table"))
            return create_relation(cx, s, false);
        if (is_word(cx, s + 1, "materialized") && is_word(cx, s + 2, "view"))
            return create_mv(cx, s);
        return 0;
    }
    if (is_word(cx, s, "drop") && is_word(cx, s + 1, "source"))
        return drop_source(cx, s);
    if (is_word(cx, s, "show")) {
        if (is_word(cx, s + 1, "tables"))
            return show_objects(cx, s, DIALECT_SHOW_TABLES);
        if (is_word(cx, s + 1, "sources"))
            return show_objects(cx, s, DIALECT_SHOW_SOURCES);
        if (is_word(cx, s + 1, "materialized") && is_word(cx, s + 2, "views"))
            return show_objects(cx, s, DIALECT_SHOW_MVIEWS);
        if (is_word(cx, s + 1, "columns") && s + 2 < cx->end)
            return simple_command(cx, s, DIALECT_SHOW_COLUMNS);
        return 0;
    }
    if (is_word(cx, s, "describe"))
        return simple_command(cx, s, DIALECT_DESCRIBE);
    if (is_word(cx, s, "flush"))
        return simple_command(cx, s, DIALECT_FLUSH);
    return 0;
}

/* Invariant 1: a cheap test for the words every extension starts with or contains. */
static bool
trigger(const char *text, size_t len)
{
    static const char *const words[] = {"source",   "append", "watermark", "emit",  "show",
                                        "describe", "flush",  "connector", "format", "proctime",
                                        "create"};
    bool create = false, as = false;

    for (size_t i = 0; i < len; i++) {
        char c = text[i] | 0x20;

        if (c != 's' && c != 'a' && c != 'w' && c != 'e' && c != 'd' && c != 'f' && c != 'c' &&
            c != 'p')
            continue;
        as = as || (c == 'a' && len - i >= 2 && (text[i + 1] | 0x20) == 's');
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            size_t n = strlen(words[w]);

            if (words[w][0] == c && len - i >= n && strncasecmp(text + i, words[w], n) == 0) {
                if (w < sizeof words / sizeof words[0] - 1)
                    return true;
                create = true;
            }
        }
    }
    return create && as; /* CREATE TABLE t (col type AS expr): sql/generated.c */
}

/* Rewritten 1-based character position pos in from → 1-based character position in to. */
static int
map_position(const char *from, size_t len, const char *to, int pos)
{
    size_t off = 0;
    int c = 1;

    while (off < len && c < pos) { /* character position → byte offset */
        off++;
        while (off < len && ((unsigned char)from[off] & 0xC0) == 0x80)
            off++;
        c++;
    }
    off += (size_t)(pos - c);
    return char_pos(to, len, off);
}

/*
 * Invariant 5: PostgreSQL reports the FIRST error of a string. When the text
 * before the failing clause already has a syntax error (other than running
 * out of input), that error is the one PostgreSQL would give: it replaces ours.
 */
static void
earlier_error(Cx *cx)
{
    size_t n = (size_t)cx->clause;
    char *prefix = malloc(n + 1);
    Err e;

    if (prefix == NULL)
        return;
    memcpy(prefix, cx->out != NULL ? cx->out : cx->text, n);
    prefix[n] = '\0';
    err_clear(&e);
    if (parse_check_syntax(prefix, &e) < 0 &&
        strcmp(e.message, "syntax error at end of input") != 0) {
        err_copy(cx->err, &e);
        cx->err->position = map_position(prefix, n, cx->text, e.position);
    }
    free(prefix);
}

int
dialect_prepass(const char *text, size_t len, DialectScript **out, Err *err)
{
    Cx cx = {.text = text, .len = len, .err = err};
    int rc = 0, nstruct = 0;
    bool structs = bind_struct_trigger(text, len);

    *out = NULL;
    if (!structs && !trigger(text, len))
        return 0;
    cx.ntok = parse_scan(text, &cx.tok);
    if (cx.ntok < 0)
        return 0; /* the parser reports the scanner's error */
    /* STRUCT<...> types become placeholder type names first (sql/bind_struct.h) */
    if (structs && (ensure_script(&cx) < 0 ||
                    (nstruct = bind_struct_rewrite(text, len, cx.tok, &cx.ntok, cx.out, err)) < 0))
        rc = -1;
    for (int s = 0; s < cx.ntok && rc == 0;) {
        int depth = 0, e = s;

        cx.end = cx.ntok;
        cx.strong = false;
        for (; e < cx.ntok; e++) {
            if (is_char(&cx, e, '('))
                depth++;
            else if (is_char(&cx, e, ')') && depth > 0)
                depth--;
            else if (is_char(&cx, e, ';') && depth == 0)
                break;
        }
        cx.end = e;
        cx.clause = -1;
        if (e > s && (rc = statement(&cx, s)) < 0 && cx.clause >= 0)
            earlier_error(&cx);
        s = e + 1;
    }
    free(cx.tok);
    if (rc < 0 || cx.d == NULL || (cx.d->nstmts == 0 && nstruct == 0)) {
        dialect_free(cx.d);
        return rc;
    }
    *out = cx.d;
    return 0;
}

void
dialect_free(DialectScript *d)
{
    if (d == NULL)
        return;
    arena_destroy(d->arena);
    free(d);
}

const DialectStmt *
dialect_find(const DialectScript *d, int start, int len)
{
    for (int i = 0; d != NULL && i < d->nstmts; i++) {
        if (d->stmts[i].start >= start && d->stmts[i].start < start + len)
            return &d->stmts[i];
    }
    return NULL;
}

const char *
dialect_stmt_name(const DialectStmt *st)
{
    switch (st->kind) {
    case DIALECT_CREATE_SOURCE:
        return "CREATE SOURCE";
    case DIALECT_CREATE_TABLE:
        return st->append_only         ? "CREATE TABLE ... APPEND ONLY"
               : st->wm_column != NULL ? "CREATE TABLE with WATERMARK"
                                       : "CREATE TABLE with a connector";
    case DIALECT_CREATE_MV:
        return "CREATE MATERIALIZED VIEW ... EMIT ON WINDOW CLOSE";
    case DIALECT_DROP_SOURCE:
        return "DROP SOURCE";
    case DIALECT_SHOW_TABLES:
        return "SHOW TABLES";
    case DIALECT_SHOW_SOURCES:
        return "SHOW SOURCES";
    case DIALECT_SHOW_MVIEWS:
        return "SHOW MATERIALIZED VIEWS";
    case DIALECT_DESCRIBE:
        return "DESCRIBE";
    case DIALECT_FLUSH:
        return "FLUSH";
    case DIALECT_SHOW_COLUMNS:
        return "SHOW COLUMNS";
    }
    return "?";
}

int
dialect_char_position(const DialectScript *d, const char *original, int pos)
{
    if (d == NULL || pos <= 0)
        return pos;
    return map_position(d->text, d->len, original, pos);
}
