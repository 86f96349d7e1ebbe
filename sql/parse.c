/*
 * sql/parse.c — the only caller of libpg_query: query text → statements.
 *
 * Pipeline position: first stage of sql/. The server hands a query string to
 * sql_script_parse(); libpg_query (PostgreSQL 15's own grammar) parses it into
 * a protobuf message, which we unpack into protobuf-c structs
 * (pg_query.pb-c.h). The binder reads those structs; nothing else of
 * libpg_query is used outside this file.
 *
 * Thread safety: libpg_query keeps its memory contexts in thread-local
 * storage, so concurrent parses in different threads are safe. Every result
 * is freed in the thread that produced it (pg_query_free_* right after
 * unpacking; the unpacked tree is plain malloc memory freed with
 * pg_query__parse_result__free_unpacked).
 *
 * Invariants:
 *   1. A syntax error fails the whole string with 42601, PostgreSQL's
 *      message, and libpg_query's cursor position (1-based, in characters).
 *   2. The query text must be valid UTF-8 (22021 otherwise), checked before
 *      parsing, so positions can be counted in characters.
 *   3. Zero statements (empty string, comments, lone semicolons) is a valid
 *      script.
 *   4. Expressions nested deeper than SQL_MAX_NESTING fail with 54001 before
 *      libpg_query builds the tree, so recursion cannot exhaust the stack.
 *   5. The streaming-dialect pre-pass (sql/dialect.c, on this file's
 *      parse_scan()) runs first; libpg_query parses its rewritten text, whose
 *      byte offsets equal the original's, while script->text stays the
 *      original. Dialect-only statements (FLUSH, DESCRIBE ...) are merged
 *      between the parsed ones in text order, with a NULL node.
 */
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/dialect.h"
#include "sql/sql_int.h"

/*
 * How deeply expressions may nest. libpg_query builds and the protobuf-c
 * unpacker walks the parse tree recursively, with about 2 kB of stack per
 * level; 1000 levels stay far inside a default 8 MB thread stack.
 * (PostgreSQL stops a little deeper, at max_stack_depth = 2 MB.)
 */
#define SQL_MAX_NESTING 1000

/* Tokens that put their operands one level deeper in the parse tree. */
static bool
nests(PgQuery__Token t)
{
    switch (t) {
    case PG_QUERY__TOKEN__ASCII_37: /* % */
    case PG_QUERY__TOKEN__ASCII_42: /* * */
    case PG_QUERY__TOKEN__ASCII_43: /* + */
    case PG_QUERY__TOKEN__ASCII_45: /* - */
    case PG_QUERY__TOKEN__ASCII_46: /* . */
    case PG_QUERY__TOKEN__ASCII_47: /* / */
    case PG_QUERY__TOKEN__ASCII_60: /* < */
    case PG_QUERY__TOKEN__ASCII_61: /* = */
    case PG_QUERY__TOKEN__ASCII_62: /* > */
    case PG_QUERY__TOKEN__ASCII_91: /* [ */
    case PG_QUERY__TOKEN__ASCII_94: /* ^ */
    case PG_QUERY__TOKEN__Op:
    case PG_QUERY__TOKEN__TYPECAST:
    case PG_QUERY__TOKEN__LESS_EQUALS:
    case PG_QUERY__TOKEN__GREATER_EQUALS:
    case PG_QUERY__TOKEN__NOT_EQUALS:
    case PG_QUERY__TOKEN__NOT:
    case PG_QUERY__TOKEN__IS:
    case PG_QUERY__TOKEN__ISNULL:
    case PG_QUERY__TOKEN__NOTNULL:
    case PG_QUERY__TOKEN__BETWEEN:
    case PG_QUERY__TOKEN__LIKE:
    case PG_QUERY__TOKEN__ILIKE:
    case PG_QUERY__TOKEN__SIMILAR:
    case PG_QUERY__TOKEN__COLLATE:
    case PG_QUERY__TOKEN__AT:
    case PG_QUERY__TOKEN__IN_P:
    case PG_QUERY__TOKEN__OVERLAPS:
    case PG_QUERY__TOKEN__OPERATOR:
        return true;
    default:
        return false;
    }
}

/*
 * An upper bound of the parse tree's expression depth, from the tokens:
 * every open parenthesis or CASE is a level, and every operator since the
 * last comma at each level may nest its operands one deeper (AND/OR chains
 * are flattened by the grammar and do not count). Every UNION / INTERSECT /
 * EXCEPT nests the query one deeper, commas or not (a chain is left-deep).
 */
static int
nesting_bound(const PgQuery__ScanResult *scan)
{
    int ops[SQL_MAX_NESTING + 2] = {0};
    int level = 0, sum = 0, bound = 0, setops = 0;

    for (size_t i = 0; i < scan->n_tokens && bound <= SQL_MAX_NESTING; i++) {
        PgQuery__Token t = scan->tokens[i]->token;

        if (t == PG_QUERY__TOKEN__ASCII_40 || t == PG_QUERY__TOKEN__CASE) {
            level++;
            ops[level] = 0;
        } else if ((t == PG_QUERY__TOKEN__ASCII_41 || t == PG_QUERY__TOKEN__END_P) && level > 0) {
            sum -= ops[level--];
        } else if (t == PG_QUERY__TOKEN__ASCII_44 || t == PG_QUERY__TOKEN__ASCII_59) {
            sum -= ops[level];
            ops[level] = 0;
        } else if (nests(t)) {
            ops[level]++;
            sum++;
        } else if (t == PG_QUERY__TOKEN__UNION || t == PG_QUERY__TOKEN__INTERSECT ||
                   t == PG_QUERY__TOKEN__EXCEPT) {
            setops++;
        }
        if (level + sum + setops > bound)
            bound = level + sum + setops;
    }
    return bound;
}

/* 54001 for queries nested deeper than the recursive parse-tree code can take. */
static int
check_nesting(const char *text, size_t len, Err *err)
{
    PgQueryScanResult r;
    PgQuery__ScanResult *scan;
    int bound;

    if (len <= SQL_MAX_NESTING)
        return 0; /* every level needs at least one character */
    r = pg_query_scan(text);
    if (r.error != NULL) {
        pg_query_free_scan_result(r);
        return 0; /* the parser reports the syntax error */
    }
    scan = pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
    pg_query_free_scan_result(r);
    if (scan == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    bound = nesting_bound(scan);
    pg_query__scan_result__free_unpacked(scan, NULL);
    if (bound <= SQL_MAX_NESTING)
        return 0;
    ERR_RAISE(err, ERRCODE_STATEMENT_TOO_COMPLEX, "stack depth limit exceeded");
    err_hint(err, "Expressions may be nested at most %d levels deep.", SQL_MAX_NESTING);
    return -1;
}

/* Scanner errors that PostgreSQL reports with a SQLSTATE other than 42601. */
static const char *
scanner_sqlstate(const char *message)
{
    if (strncmp(message, "invalid Unicode", 15) == 0)
        return ERRCODE_INVALID_ESCAPE_SEQUENCE;
    if (strncmp(message, "invalid byte sequence", 21) == 0)
        return ERRCODE_CHARACTER_NOT_IN_REPERTOIRE;
    if (strncmp(message, "unsafe use of", 13) == 0)
        return ERRCODE_FEATURE_NOT_SUPPORTED;
    return ERRCODE_SYNTAX_ERROR;
}

bool
parse_token_is_word(const char *text, const ParseToken *t, const char *w)
{
    size_t n = strlen(w);

    return t->kind == PTOK_WORD && (size_t)(t->end - t->start) == n &&
           strncasecmp(text + t->start, w, n) == 0;
}

bool
parse_token_is_char(const char *text, const ParseToken *t, char c)
{
    return t->kind == PTOK_CHAR && text[t->start] == c;
}

int
parse_scan(const char *text, ParseToken **out)
{
    PgQueryScanResult r = pg_query_scan(text);
    PgQuery__ScanResult *scan;
    ParseToken *toks;
    int n = 0;

    *out = NULL;
    if (r.error != NULL) {
        pg_query_free_scan_result(r);
        return -1;
    }
    scan = pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
    pg_query_free_scan_result(r);
    if (scan == NULL)
        return -1;
    toks = malloc(sizeof *toks * (scan->n_tokens + 1));
    for (size_t i = 0; toks != NULL && i < scan->n_tokens; i++) {
        const PgQuery__ScanToken *t = scan->tokens[i];
        ParseToken *p = &toks[n];

        if (t->token == PG_QUERY__TOKEN__SQL_COMMENT || t->token == PG_QUERY__TOKEN__C_COMMENT)
            continue;
        p->start = t->start;
        p->end = t->end;
        if (t->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD)
            p->kind = PTOK_WORD;
        else if (t->token == PG_QUERY__TOKEN__IDENT || t->token == PG_QUERY__TOKEN__UIDENT)
            p->kind = text[t->start] == '"' || t->token == PG_QUERY__TOKEN__UIDENT ? PTOK_QIDENT
                                                                                 : PTOK_WORD;
        else if (t->token == PG_QUERY__TOKEN__SCONST || t->token == PG_QUERY__TOKEN__USCONST ||
                 t->token == PG_QUERY__TOKEN__BCONST || t->token == PG_QUERY__TOKEN__XCONST)
            p->kind = PTOK_STRING;
        else if (t->token == PG_QUERY__TOKEN__ICONST || t->token == PG_QUERY__TOKEN__FCONST)
            p->kind = PTOK_NUMBER;
        else if (t->end == t->start + 1 && (int)t->token < 256)
            p->kind = PTOK_CHAR;
        else
            p->kind = PTOK_OTHER;
        n++;
    }
    pg_query__scan_result__free_unpacked(scan, NULL);
    if (toks == NULL)
        return -1;
    *out = toks;
    return n;
}

int
parse_check_syntax(const char *text, Err *err)
{
    PgQueryProtobufParseResult r = pg_query_parse_protobuf(text);

    if (r.error == NULL) {
        pg_query_free_protobuf_parse_result(r);
        return 0;
    }
    ERR_RAISE(err, scanner_sqlstate(r.error->message), "%s", r.error->message);
    err_position(err, r.error->cursorpos);
    pg_query_free_protobuf_parse_result(r);
    return -1;
}

/* With dialect-only statements: the merged statement order (invariant 5). */
static int
merge_dialect(SqlScript *script)
{
    const PgQuery__ParseResult *tree = script->tree;
    const DialectScript *d = script->dialect;
    int nd = 0, k = 0;
    size_t r = 0;

    for (int i = 0; i < d->nstmts; i++)
        nd += d->stmts[i].is_dialect_only;
    script->nstmts = (int)tree->n_stmts + nd;
    script->order = malloc(sizeof(int) * (size_t)(script->nstmts + 1));
    if (script->order == NULL)
        return -1;
    for (int i = 0; i < d->nstmts; i++) {
        if (!d->stmts[i].is_dialect_only)
            continue;
        while (r < tree->n_stmts && tree->stmts[r]->stmt_location <= d->stmts[i].start)
            script->order[k++] = (int)r++;
        script->order[k++] = -1 - i;
    }
    while (r < tree->n_stmts)
        script->order[k++] = (int)r++;
    return 0;
}

int
sql_script_parse(SqlSession *s, const char *text, SqlScript **out, Err *err)
{
    PgQueryProtobufParseResult r;
    PgQuery__ParseResult *tree;
    SqlScript *script;
    DialectScript *dialect = NULL;
    size_t len = strlen(text);

    *out = NULL;
    if (text_verify_utf8(text, len, err) < 0 || check_nesting(text, len, err) < 0 ||
        dialect_prepass(text, len, &dialect, err) < 0)
        return -1;
    r = pg_query_parse_protobuf(dialect != NULL ? dialect->text : text);
    if (r.error != NULL) {
        ERR_RAISE(err, scanner_sqlstate(r.error->message), "%s", r.error->message);
        err_position(err, dialect != NULL
                              ? dialect_char_position(dialect, text, r.error->cursorpos)
                              : r.error->cursorpos);
        pg_query_free_protobuf_parse_result(r);
        dialect_free(dialect);
        return -1;
    }
    tree =
        pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
    pg_query_free_protobuf_parse_result(r);
    if (tree == NULL) {
        dialect_free(dialect);
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "could not unpack the parse tree");
    }
    script = calloc(1, sizeof *script);
    if (script == NULL || (script->text = malloc(len + 1)) == NULL) {
        free(script);
        dialect_free(dialect);
        pg_query__parse_result__free_unpacked(tree, NULL);
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    memcpy(script->text, text, len + 1);
    script->len = len;
    script->tree = tree;
    script->nstmts = (int)tree->n_stmts;
    script->dialect = dialect;
    if (dialect != NULL && merge_dialect(script) < 0) {
        sql_script_destroy(script);
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    if (s != NULL)
        session_set_multi_statement(s, script->nstmts > 1);
    *out = script;
    return 0;
}

int
sql_script_count(const SqlScript *script)
{
    return script->nstmts;
}

void
sql_script_destroy(SqlScript *script)
{
    if (script == NULL)
        return;
    pg_query__parse_result__free_unpacked(script->tree, NULL);
    dialect_free(script->dialect);
    free(script->order);
    free(script->text);
    free(script);
}

const PgQuery__Node *
parse_statement(const SqlScript *script, int i, int *start, int *len)
{
    const PgQuery__ParseResult *tree = script->tree;
    const PgQuery__RawStmt *raw;
    int s, n;

    if (script->order != NULL && script->order[i] < 0) {
        const DialectStmt *d = &script->dialect->stmts[-1 - script->order[i]];

        *start = d->start;
        *len = d->end - d->start;
        return NULL; /* dialect only: parse_dialect() describes it */
    }
    raw = tree->stmts[script->order != NULL ? script->order[i] : i];
    s = raw->stmt_location;
    n = raw->stmt_len;

    if (s < 0 || (size_t)s > script->len)
        s = 0;
    if (n <= 0 || (size_t)(s + n) > script->len)
        n = (int)script->len - s; /* 0 means "to the end of the string" */
    *start = s;
    *len = n;
    return raw->stmt;
}

const DialectStmt *
parse_dialect(const SqlScript *script, int i)
{
    int start, len;

    if (script->dialect == NULL || i < 0 || i >= script->nstmts)
        return NULL;
    if (script->order[i] < 0)
        return &script->dialect->stmts[-1 - script->order[i]];
    parse_statement(script, i, &start, &len);
    return dialect_find(script->dialect, start, len);
}

/*
 * "create_sequence_stmt" (the protobuf field of the node case) →
 * "CREATE SEQUENCE": the statement's name for "not supported" messages.
 */
void
parse_node_name(int node_case, char *buf, size_t cap)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, (unsigned)node_case);
    size_t n = 0;
    const char *name = f != NULL ? f->name : "unknown";
    size_t len = strlen(name);

    if (len > 5 && strcmp(name + len - 5, "_stmt") == 0)
        len -= 5;
    for (size_t i = 0; i < len && n + 1 < cap; i++)
        buf[n++] = name[i] == '_'
                       ? ' '
                       : (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
    buf[n] = '\0';
}
