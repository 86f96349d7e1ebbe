/*
 * sql/copy.c — COPY FROM STDIN / TO STDOUT: binding the statement and its
 * options, the text and CSV record parsers, the all-or-nothing ingest and the
 * row formatter of COPY TO. The model and the invariants are in sql/copy.h.
 *
 *   bind_copy ──▶ CopySpec in the statement (STMT_COPY for FROM; for TO a
 *                 STMT_SELECT whose copy field is set)
 *   CopyData ──▶ carry buffer ──▶ copy_record_end ──▶ copy_split_record
 *            ──▶ type input (typmod) per field, defaults, NOT NULL
 *            ──▶ rowcodec row appended to the COPY's row buffer
 *   CopyDone ──▶ last record ──▶ provider append (one, atomic, durable)
 *
 * Invariants (besides sql/copy.h's):
 *   1. Per-record memory lives in row_arena, reset before each record; only
 *      the encoded rows and their lengths grow with the input.
 *   2. The carry buffer holds only the unfinished tail of the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/bind_int.h"
#include "sql/copy.h"
#include "sql/copy_int.h"
#include "sql/generated.h"
#include "sql/proctime.h"
#include "sql/rowcodec.h"
#include "sql/sql_int.h"
#include "sql/types.h"

#define DISPLAY_MAX 100 /* PostgreSQL's MAX_COPY_DATA_DISPLAY */

struct CopySpec {
    SqlCopyDir dir;
    CopyFormat fmt;
    int header; /* 0 none, 1 skip/write, 2 match */
    const char *relname;
    uint64_t relid;
    int ncols; /* FROM: the relation's columns */
    SqlRelColumn *cols;
    int nfields;                       /* FROM: input fields */
    int *field_col;                    /* relation column of each field */
    bool *force_null, *force_not_null; /* per field */
    Expr **defaults;                   /* per relation column; NULL when read from the input */
    bool *force_quote;                 /* TO: per output column */
};

/* ---- options ----------------------------------------------------------------------------- */

static const char *
opt_text(BindCtx *b, const Node *n)
{
    if (n == NULL)
        return NULL;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_STRING:
        return n->string->sval;
    case PG_QUERY__NODE__NODE_BOOLEAN:
        return n->boolean->boolval ? "true" : "false";
    case PG_QUERY__NODE__NODE_INTEGER:
        return arena_sprintf(b->arena, "%d", (int)n->integer->ival);
    default:
        return "";
    }
}

/* defGetBoolean, with "match" for HEADER: 1 true, 0 false, 2 match, -1 error. */
static int
opt_bool(BindCtx *b, const PgQuery__DefElem *d, bool allow_match)
{
    const char *v = opt_text(b, d->arg);
    static const char *const yes[] = {"true", "on", "1", "t", "yes"};
    static const char *const no[] = {"false", "off", "0", "f", "no"};

    if (v == NULL)
        return 1;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return 1;
        if (strcasecmp(v, no[i]) == 0)
            return 0;
    }
    if (allow_match && strcasecmp(v, "match") == 0)
        return 2;
    if (allow_match)
        return bind_error(b, -1, ERRCODE_SYNTAX_ERROR, "%s requires a Boolean value or \"match\"",
                          d->defname);
    return bind_error(b, -1, ERRCODE_SYNTAX_ERROR, "%s requires a Boolean value", d->defname);
}

/* A column-name list option (FORCE_NULL (a, b)); '*' (FORCE_QUOTE *) gives all = true. */
static int
opt_names(BindCtx *b, const PgQuery__DefElem *d, const char ***names, int *n, bool *all)
{
    const Node *a = d->arg;

    *n = 0;
    *all = false;
    if (a != NULL && a->node_case == PG_QUERY__NODE__NODE_A_STAR &&
        strcmp(d->defname, "force_quote") == 0) {
        *all = true;
        return 0;
    }
    if (a == NULL || a->node_case != PG_QUERY__NODE__NODE_LIST)
        return bind_error(b, d->location, ERRCODE_INVALID_PARAMETER_VALUE,
                          "argument to option \"%s\" must be a list of column names", d->defname);
    *names = arena_alloc(b->arena, sizeof(char *) * (a->list->n_items + 1));
    for (size_t i = 0; i < a->list->n_items; i++)
        (*names)[(*n)++] = opt_text(b, a->list->items[i]);
    return 0;
}

typedef struct Options {
    const char *format, *delim, *null, *quote, *escape;
    int header;
    bool seen_header;
    const char **fq, **fnn, **fn;
    int nfq, nfnn, nfn;
    bool fq_all, seen_fq, seen_fnn, seen_fn;
} Options;

static int
conflict(BindCtx *b, const PgQuery__DefElem *d)
{
    return bind_error(b, d->location, ERRCODE_SYNTAX_ERROR, "conflicting or redundant options");
}

static int
read_options(BindCtx *b, const PgQuery__CopyStmt *cs, Options *o)
{
    bool dummy;

    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < cs->n_options; i++) {
        const PgQuery__DefElem *d = cs->options[i]->def_elem;
        const char *k = d->defname;

#define STR_OPT(name, field)                                                                       \
    if (strcmp(k, name) == 0) {                                                                    \
        if (o->field != NULL)                                                                      \
            return conflict(b, d);                                                                 \
        o->field = opt_text(b, d->arg);                                                            \
        if (o->field == NULL)                                                                      \
            return bind_error(b, d->location, ERRCODE_SYNTAX_ERROR, "%s requires a parameter", k); \
        continue;                                                                                  \
    }
        STR_OPT("format", format)
        STR_OPT("delimiter", delim)
        STR_OPT("null", null)
        STR_OPT("quote", quote)
        STR_OPT("escape", escape)
#undef STR_OPT
        if (strcmp(k, "header") == 0) {
            if (o->seen_header)
                return conflict(b, d);
            o->seen_header = true;
            if ((o->header = opt_bool(b, d, true)) < 0)
                return -1;
        } else if (strcmp(k, "force_quote") == 0) {
            if (o->seen_fq)
                return conflict(b, d);
            o->seen_fq = true;
            if (opt_names(b, d, &o->fq, &o->nfq, &o->fq_all) < 0)
                return -1;
        } else if (strcmp(k, "force_not_null") == 0) {
            if (o->seen_fnn)
                return conflict(b, d);
            o->seen_fnn = true;
            if (opt_names(b, d, &o->fnn, &o->nfnn, &dummy) < 0)
                return -1;
        } else if (strcmp(k, "force_null") == 0) {
            if (o->seen_fn)
                return conflict(b, d);
            o->seen_fn = true;
            if (opt_names(b, d, &o->fn, &o->nfn, &dummy) < 0)
                return -1;
        } else if (strcmp(k, "freeze") == 0 || strcmp(k, "encoding") == 0) {
            continue; /* accepted: no effect here (one encoding, no MVCC to freeze) */
        } else {
            return bind_error(b, d->location, ERRCODE_SYNTAX_ERROR, "option \"%s\" not recognized",
                              k);
        }
    }
    return 0;
}

static int
check_options(BindCtx *b, const PgQuery__CopyStmt *cs, Options *o, CopySpec *c)
{
    CopyFormat *f = &c->fmt;

    f->csv = false;
    if (o->format != NULL) {
        if (strcmp(o->format, "csv") == 0)
            f->csv = true;
        else if (strcmp(o->format, "binary") == 0)
            return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "COPY binary format is not supported yet");
        else if (strcmp(o->format, "text") != 0) {
            for (size_t i = 0; i < cs->n_options; i++) {
                const PgQuery__DefElem *d = cs->options[i]->def_elem;

                if (strcmp(d->defname, "format") == 0)
                    return bind_error(b, d->location, ERRCODE_INVALID_PARAMETER_VALUE,
                                      "COPY format \"%s\" not recognized", o->format);
            }
        }
    }
    if (o->delim != NULL && strlen(o->delim) != 1)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY delimiter must be a single one-byte character");
    f->delim = o->delim != NULL ? o->delim[0] : f->csv ? ',' : '\t';
    if (f->delim == '\n' || f->delim == '\r')
        return bind_error(b, -1, ERRCODE_INVALID_PARAMETER_VALUE,
                          "COPY delimiter cannot be newline or carriage return");
    f->null_str = o->null != NULL ? o->null : f->csv ? "" : "\\N";
    f->null_len = strlen(f->null_str);
    if (strchr(f->null_str, '\n') != NULL || strchr(f->null_str, '\r') != NULL)
        return bind_error(b, -1, ERRCODE_INVALID_PARAMETER_VALUE,
                          "COPY null representation cannot use newline or carriage return");
    if (!f->csv && (strchr("\\.abcdefghijklmnopqrstuvwxyz0123456789", f->delim) != NULL))
        return bind_error(b, -1, ERRCODE_INVALID_PARAMETER_VALUE, "COPY delimiter cannot be \"%s\"",
                          o->delim);
    if (!f->csv && o->quote != NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY quote available only in CSV mode");
    if (o->quote != NULL && strlen(o->quote) != 1)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY quote must be a single one-byte character");
    f->quote = o->quote != NULL ? o->quote[0] : '"';
    if (f->csv && f->delim == f->quote)
        return bind_error(b, -1, ERRCODE_INVALID_PARAMETER_VALUE,
                          "COPY delimiter and quote must be different");
    if (!f->csv && o->escape != NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY escape available only in CSV mode");
    if (o->escape != NULL && strlen(o->escape) != 1)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY escape must be a single one-byte character");
    f->escape = o->escape != NULL ? o->escape[0] : f->quote;
    if (!f->csv && o->seen_fq)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY force quote available only in CSV mode");
    if (o->seen_fq && cs->is_from)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY force quote only available using COPY TO");
    if (!f->csv && o->seen_fnn)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY force not null available only in CSV mode");
    if (o->seen_fnn && !cs->is_from)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY force not null only available using COPY FROM");
    if (!f->csv && o->seen_fn)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY force null available only in CSV mode");
    if (o->seen_fn && !cs->is_from)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY force null only available using COPY FROM");
    if (strchr(f->null_str, f->delim) != NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY delimiter must not appear in the NULL specification");
    if (f->csv && strchr(f->null_str, f->quote) != NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "CSV quote character must not appear in the NULL specification");
    if (o->header == 2 && !cs->is_from)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "cannot use \"match\" with HEADER in COPY TO");
    c->header = o->header;
    return 0;
}

/* ---- binding ------------------------------------------------------------------------------- */

static int
find_column(const SqlRelation *rel, const char *name)
{
    for (int c = 0; c < rel->ncols; c++) {
        if (strcmp(rel->cols[c].name, name) == 0)
            return c;
    }
    return -1;
}

/* The attribute list → relation columns (CopyGetAttnums); all columns when empty. */
static int
attnums(BindCtx *b, const PgQuery__CopyStmt *cs, const SqlRelation *rel, int **cols, int *n)
{
    *n = cs->n_attlist > 0 ? (int)cs->n_attlist : rel->ncols;
    *cols = arena_alloc(b->arena, sizeof(int) * (size_t)(*n ? *n : 1));
    if (cs->n_attlist == 0) {
        *n = 0;
        for (int c = 0; c < rel->ncols; c++) {
            if (!proctime_is_column(&rel->cols[c]) && /* generated: left out, as PostgreSQL */
                !generated_is_column(&rel->cols[c]))
                (*cols)[(*n)++] = c;
        }
        return 0;
    }
    for (int i = 0; i < *n; i++) {
        const char *name = opt_text(b, cs->attlist[i]);
        int c = find_column(rel, name);

        if (c < 0)
            return bind_error(b, -1, ERRCODE_UNDEFINED_COLUMN,
                              "column \"%s\" of relation \"%s\" does not exist", name, rel->name);
        if (generated_check_copy_column(b, &rel->cols[c]) < 0) /* sql/generated.c */
            return -1;
        for (int j = 0; j < i; j++) {
            if ((*cols)[j] == c)
                return bind_error(b, -1, ERRCODE_DUPLICATE_COLUMN,
                                  "column \"%s\" specified more than once", name);
        }
        (*cols)[i] = c;
    }
    return 0;
}

/* A FORCE_* list → a per-field flag array. */
static int
force_flags(BindCtx *b, const SqlRelation *rel, const int *cols, int n, const char **names,
            int nnames, bool all, const char *what, bool **out)
{
    *out = arena_calloc(b->arena, (size_t)(n ? n : 1), sizeof(bool));
    for (int i = 0; i < n && all; i++)
        (*out)[i] = true;
    for (int k = 0; k < nnames; k++) {
        int c = find_column(rel, names[k]), f = -1;

        if (c < 0)
            return bind_error(b, -1, ERRCODE_UNDEFINED_COLUMN,
                              "column \"%s\" of relation \"%s\" does not exist", names[k],
                              rel->name);
        for (int i = 0; i < n; i++) {
            if (cols[i] == c)
                f = i;
        }
        if (f < 0)
            return bind_error(b, -1, ERRCODE_INVALID_COLUMN_REFERENCE,
                              "%s column \"%s\" not referenced by COPY", what, names[k]);
        (*out)[f] = true;
    }
    return 0;
}

static void
append_ident(Buf *out, const char *name)
{
    buf_append(out, "\"", 1);
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_append(out, "\"", 1);
        buf_append(out, p, 1);
    }
    buf_append(out, "\"", 1);
}

/* COPY t [(cols)] TO: bound as SELECT cols FROM t. */
static int
bind_copy_table_to(BindCtx *b, SqlStatement *st, const SqlRelation *rel, const int *cols, int n)
{
    SqlScript *script;
    const Node *node;
    BindCtx sub;
    Buf q;
    int start, len, rc = -1;

    buf_init(&q, BUF_DEFAULT_MAX);
    buf_append(&q, "SELECT ", 7);
    for (int i = 0; i < n; i++) {
        if (i > 0)
            buf_append(&q, ", ", 2);
        append_ident(&q, rel->cols[cols[i]].name);
    }
    buf_append(&q, " FROM ", 6);
    append_ident(&q, rel->name);
    buf_append(&q, "", 1);
    if (q.failed) {
        buf_free(&q);
        return ERR_RAISE(b->err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    if (sql_script_parse(b->session, (const char *)q.data, &script, b->err) == 0) {
        node = parse_statement(script, 0, &start, &len);
        sub = *b;
        sub.text = script->text;
        sub.scope = NULL;
        rc = bind_select(&sub, st, node->select_stmt);
        sql_script_destroy(script);
    }
    buf_free(&q);
    if (rc < 0)
        err_position(b->err, 0);
    return rc;
}

int
bind_copy(BindCtx *b, SqlStatement *st, const PgQuery__CopyStmt *cs)
{
    CopySpec *c = arena_calloc(b->arena, 1, sizeof *c);
    SqlRelation *rel = NULL;
    Options o;
    int *cols = NULL, n = 0, rc;

    if (cs->is_program || (cs->filename != NULL && cs->filename[0] != '\0'))
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY to or from a file or program is not supported");
    if (cs->where_clause != NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "COPY FROM ... WHERE is not supported yet");
    if (read_options(b, cs, &o) < 0 || check_options(b, cs, &o, c) < 0)
        return -1;
    c->dir = cs->is_from ? SQL_COPY_FROM_STDIN : SQL_COPY_TO_STDOUT;
    if (cs->relation != NULL) {
        rc = sql_relation_lookup(cs->relation->schemaname[0] ? cs->relation->schemaname : NULL,
                                 cs->relation->relname, b->arena, &rel, b->err);
        if (rc > 0)
            return bind_error(b, -1, ERRCODE_UNDEFINED_TABLE, "relation \"%s\" does not exist",
                              cs->relation->relname);
        if (rc == 0 && (rel->kind == SQL_REL_MATVIEW || rel->kind == SQL_REL_SYSTEM ||
                        rel->kind == SQL_REL_VIEW)) {
            bind_error(b, -1, ERRCODE_WRONG_OBJECT_TYPE, "cannot copy %s %s \"%s\"",
                       cs->is_from ? "to" : "from",
                       rel->kind == SQL_REL_MATVIEW ? "materialized view"
                       : rel->kind == SQL_REL_VIEW  ? "view"
                                                    : "system view",
                       rel->name);
            if (!cs->is_from)
                err_hint(b->err, "Try the COPY (SELECT ...) TO variant.");
            return -1;
        }
        if (rc < 0 || attnums(b, cs, rel, &cols, &n) < 0)
            return -1;
        c->relname = rel->name;
        c->relid = rel->id;
    }
    st->copy = c;
    st->tag = "COPY";
    if (!cs->is_from) {
        if (cs->query != NULL) {
            if (cs->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
                return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                                  "COPY of a data-modifying statement is not supported yet");
            if (bind_select(b, st, cs->query->select_stmt) < 0)
                return -1;
        } else if (bind_copy_table_to(b, st, rel, cols, n) < 0) {
            return -1;
        }
        st->copy = c;
        st->tag = "COPY";
        c->force_quote = arena_calloc(b->arena, (size_t)(st->ncols ? st->ncols : 1), 1);
        for (int i = 0; i < st->ncols; i++)
            c->force_quote[i] = o.fq_all;
        for (int k = 0; k < o.nfq; k++) {
            int f = -1;

            for (int i = 0; i < st->ncols; i++) {
                if (strcmp(st->cols[i].name, o.fq[k]) == 0)
                    f = i;
            }
            if (f < 0)
                return bind_error(b, -1, ERRCODE_INVALID_COLUMN_REFERENCE,
                                  "FORCE_QUOTE column \"%s\" not referenced by COPY", o.fq[k]);
            c->force_quote[f] = true;
        }
        return 0;
    }
    st->kind = STMT_COPY;
    c->ncols = rel->ncols;
    c->cols = rel->cols;
    c->nfields = n;
    c->field_col = cols;
    if (force_flags(b, rel, cols, n, o.fnn, o.nfnn, false, "FORCE_NOT_NULL", &c->force_not_null) <
            0 ||
        force_flags(b, rel, cols, n, o.fn, o.nfn, false, "FORCE_NULL", &c->force_null) < 0)
        return -1;
    c->defaults = arena_calloc(b->arena, (size_t)(rel->ncols ? rel->ncols : 1), sizeof(Expr *));
    for (int col = 0; col < rel->ncols; col++) {
        bool listed = false;

        for (int i = 0; i < n; i++)
            listed = listed || cols[i] == col;
        if (!listed && (c->defaults[col] = bind_default_expr(b, &rel->cols[col])) == NULL)
            return -1;
    }
    return 0;
}

SqlCopyDir
sql_statement_copy(const SqlStatement *stmt)
{
    return stmt->copy == NULL ? SQL_COPY_NONE : stmt->copy->dir;
}

/* ---- the parsers --------------------------------------------------------------------------- */

size_t
copy_record_end(const CopyFormat *f, const char *p, size_t len, bool at_eof, size_t *eol_len)
{
    bool in_quote = false;

    *eol_len = 0;
    if (!f->csv) {
        /* fast path: a line without backslashes or CRs ends at its newline */
        const char *nl = memchr(p, '\n', len);

        if (nl != NULL && memchr(p, '\\', (size_t)(nl - p)) == NULL &&
            memchr(p, '\r', (size_t)(nl - p)) == NULL) {
            *eol_len = 1;
            return (size_t)(nl - p) + 1;
        }
    } else {
        const char *nl = memchr(p, '\n', len);

        if (nl != NULL && memchr(p, f->quote, (size_t)(nl - p)) == NULL &&
            memchr(p, '\r', (size_t)(nl - p)) == NULL) {
            *eol_len = 1;
            return (size_t)(nl - p) + 1;
        }
    }
    for (size_t i = 0; i < len; i++) {
        char c = p[i];

        if (f->csv) {
            if (in_quote) {
                if (c == f->escape && f->escape != f->quote && i + 1 < len &&
                    (p[i + 1] == f->quote || p[i + 1] == f->escape)) {
                    i++;
                    continue;
                }
                if (c == f->quote)
                    in_quote = false;
                continue;
            }
            if (c == f->quote) {
                in_quote = true;
                continue;
            }
        } else if (c == '\\') {
            i++; /* the escaped byte never ends the line */
            continue;
        }
        if (c == '\n') {
            *eol_len = 1;
            return i + 1;
        }
        if (c == '\r') {
            if (i + 1 == len && !at_eof)
                return 0; /* is "\r\n" coming? */
            *eol_len = i + 1 < len && p[i + 1] == '\n' ? 2 : 1;
            return i + *eol_len;
        }
    }
    return at_eof ? len : 0;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int
split_text(const CopyFormat *f, const char *rec, size_t len, char *w, CopyField *fields, int max,
           int *nfields)
{
    size_t i = 0;
    int n = 0;

    for (;;) {
        size_t start = i, begin;
        char *out = w;
        while (i < len && rec[i] != f->delim) {
            char c = rec[i++];

            if (c != '\\' || i >= len) {
                *out++ = c;
                continue;
            }
            c = rec[i++];
            switch (c) {
            case 'b':
                *out++ = '\b';
                break;
            case 'f':
                *out++ = '\f';
                break;
            case 'n':
                *out++ = '\n';
                break;
            case 'r':
                *out++ = '\r';
                break;
            case 't':
                *out++ = '\t';
                break;
            case 'v':
                *out++ = '\v';
                break;
            case '0':
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
            case '7': {
                int v = c - '0';

                if (i < len && rec[i] >= '0' && rec[i] <= '7') {
                    v = v * 8 + (rec[i++] - '0');
                    if (i < len && rec[i] >= '0' && rec[i] <= '7')
                        v = v * 8 + (rec[i++] - '0');
                }
                *out++ = (char)(v & 0xFF);
                break;
            }
            case 'x':
                if (i < len && hexval(rec[i]) >= 0) {
                    int v = hexval(rec[i++]);

                    if (i < len && hexval(rec[i]) >= 0)
                        v = v * 16 + hexval(rec[i++]);
                    *out++ = (char)v;
                } else {
                    *out++ = 'x';
                }
                break;
            default:
                *out++ = c;
                break;
            }
        }
        begin = (size_t)(out - w);
        if (n < max) {
            CopyField *fl = &fields[n];

            fl->raw = rec + start;
            fl->raw_len = i - start;
            fl->quoted = false;
            fl->s = w;
            fl->len = begin;
            fl->isnull =
                fl->raw_len == f->null_len && memcmp(fl->raw, f->null_str, f->null_len) == 0;
        }
        *out++ = '\0';
        w = out;
        n++;
        if (i >= len)
            break;
        i++; /* the delimiter */
    }
    *nfields = n > max ? max + 1 : n;
    return 0;
}

static int
split_csv(const CopyFormat *f, const char *rec, size_t len, char *w, CopyField *fields, int max,
          int *nfields, Err *err)
{
    size_t i = 0;
    int n = 0;

    for (;;) {
        size_t start = i;
        char *out = w;
        bool saw_quote = false, in_quote = false;

        while (i < len) {
            char c = rec[i];

            if (in_quote) {
                if (c == f->escape && i + 1 < len &&
                    (rec[i + 1] == f->quote || rec[i + 1] == f->escape)) {
                    *out++ = rec[i + 1];
                    i += 2;
                    continue;
                }
                i++;
                if (c == f->quote)
                    in_quote = false;
                else
                    *out++ = c;
                continue;
            }
            if (c == f->delim)
                break;
            i++;
            if (c == f->quote) {
                in_quote = saw_quote = true;
                continue;
            }
            *out++ = c;
        }
        if (in_quote)
            return ERR_RAISE(err, ERRCODE_BAD_COPY_FILE_FORMAT, "unterminated CSV quoted field");
        if (n < max) {
            CopyField *fl = &fields[n];

            fl->raw = rec + start;
            fl->raw_len = i - start;
            fl->quoted = saw_quote;
            fl->s = w;
            fl->len = (size_t)(out - w);
            fl->isnull = !saw_quote && fl->raw_len == f->null_len &&
                         memcmp(fl->raw, f->null_str, f->null_len) == 0;
        }
        *out++ = '\0';
        w = out;
        n++;
        if (i >= len)
            break;
        i++;
    }
    *nfields = n > max ? max + 1 : n;
    return 0;
}

int
copy_split_record(const CopyFormat *f, const char *rec, size_t len, Arena *a, CopyField *fields,
                  int max, int *nfields, Err *err)
{
    /* de-escaped text never grows; one NUL per field, at most len + 1 fields */
    char *w = arena_alloc(a, 2 * len + 2);

    if (memchr(rec, f->csv ? f->quote : '\\', len) == NULL) {
        /* fast path: nothing to de-escape or unquote; split at the delimiters */
        size_t i = 0;
        int n = 0;

        for (;;) {
            const char *d = memchr(rec + i, f->delim, len - i);
            size_t flen = d != NULL ? (size_t)(d - (rec + i)) : len - i;

            if (n < max) {
                CopyField *fl = &fields[n];

                memcpy(w, rec + i, flen);
                w[flen] = '\0';
                fl->raw = rec + i;
                fl->raw_len = flen;
                fl->quoted = false;
                fl->s = w;
                fl->len = flen;
                fl->isnull = flen == f->null_len && memcmp(fl->raw, f->null_str, flen) == 0;
                w += flen + 1;
            }
            n++;
            if (d == NULL)
                break;
            i += flen + 1;
        }
        *nfields = n > max ? max + 1 : n;
        return 0;
    }
    if (f->csv)
        return split_csv(f, rec, len, w, fields, max, nfields, err);
    return split_text(f, rec, len, w, fields, max, nfields);
}

void
copy_escape_value(const CopyFormat *f, const char *s, size_t len, bool force_quote, Buf *out)
{
    if (!f->csv) {
        size_t run = 0;

        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            char e = 0;

            if (c < 0x20) {
                switch (c) {
                case '\b':
                    e = 'b';
                    break;
                case '\f':
                    e = 'f';
                    break;
                case '\n':
                    e = 'n';
                    break;
                case '\r':
                    e = 'r';
                    break;
                case '\t':
                    e = 't';
                    break;
                case '\v':
                    e = 'v';
                    break;
                default:
                    break;
                }
            }
            if (e == 0 && (c == '\\' || c == (unsigned char)f->delim))
                e = (char)c;
            if (e == 0)
                continue;
            buf_append(out, s + run, i - run);
            buf_append(out, "\\", 1);
            buf_append(out, &e, 1);
            run = i + 1;
        }
        buf_append(out, s + run, len - run);
        return;
    }
    bool quote = force_quote || (len == f->null_len && memcmp(s, f->null_str, len) == 0) ||
                 (len == 2 && s[0] == '\\' && s[1] == '.');

    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == f->delim || s[i] == f->quote || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        buf_append(out, s, len);
        return;
    }
    buf_append(out, &f->quote, 1);
    size_t run = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == f->quote || s[i] == f->escape) {
            buf_append(out, s + run, i - run);
            buf_append(out, &f->escape, 1);
            run = i;
        }
    }
    buf_append(out, s + run, len - run);
    buf_append(out, &f->quote, 1);
}

/* ---- COPY FROM ----------------------------------------------------------------------------- */

struct SqlCopyIn {
    SqlSession *session;
    Arena *arena;     /* for the COPY's life */
    Arena *row_arena; /* one record */
    CopySpec c;       /* deep enough a copy: the statement may go */
    Oid *types;
    Value *defaults; /* per column (for columns not read) */
    SqlGenerated *generated; /* the generated columns (sql/generated.h), bound for the COPY */
    CopyField *fields;
    Value *row;
    EvalCtx ctx;
    Buf carry; /* unfinished input */
    Buf rows;  /* encoded records */
    uint32_t *lens;
    size_t nrecs, cap;
    uint64_t line;
    bool done; /* saw the \. end marker */
    bool header_done;
    int eol_style; /* 0 not yet seen, 1 "\n", 2 "\r", 3 "\r\n" */
};

static char *
display(Arena *a, const char *s, size_t len)
{
    size_t n = len;
    char *out;

    if (n > DISPLAY_MAX) {
        n = DISPLAY_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    out = arena_alloc(a, n + 4);
    memcpy(out, s, n);
    if (n < len)
        memcpy(out + n, "...", 3), n += 3;
    out[n] = '\0';
    return out;
}

static void
line_context(SqlCopyIn *ci, const char *rec, size_t len, Err *err)
{
    err_context(err, "COPY %s, line %llu: \"%s\"", ci->c.relname, (unsigned long long)ci->line,
                display(ci->row_arena, rec, len));
}

static void
failing_row(SqlCopyIn *ci, Err *err)
{
    Buf b;

    buf_init(&b, ERR_DETAIL_MAX * 4);
    for (int c = 0; c < ci->c.ncols; c++) {
        size_t start;

        if (c > 0)
            buf_append(&b, ", ", 2);
        start = b.len;
        if (ci->row[c].isnull) {
            buf_append(&b, "null", 4);
            continue;
        }
        type_by_oid(ci->types[c])->out(ci->row[c].d, ci->c.cols[c].typmod, ci->ctx.io, &b);
        if (!b.failed && b.len - start > 64) {
            size_t cut = start + 64;

            while (cut > start && (b.data[cut] & 0xC0) == 0x80)
                cut--;
            b.len = cut;
        }
    }
    err_detail(err, "Failing row contains (%.*s).", b.failed ? 0 : (int)b.len,
               b.len > 0 && !b.failed ? (const char *)b.data : "");
    buf_free(&b);
}

static int
check_header(SqlCopyIn *ci, const char *rec, size_t len, Err *err)
{
    int n;

    if (copy_split_record(&ci->c.fmt, rec, len, ci->row_arena, ci->fields, ci->c.nfields, &n, err) <
        0)
        goto fail;
    if (n != ci->c.nfields) {
        ERR_RAISE(err, ERRCODE_BAD_COPY_FILE_FORMAT,
                  "wrong number of fields in header line: got %d, expected %d", n, ci->c.nfields);
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        const char *want = ci->c.cols[ci->c.field_col[i]].name;

        if (ci->fields[i].isnull) {
            ERR_RAISE(err, ERRCODE_BAD_COPY_FILE_FORMAT,
                      "column name mismatch in header line field %d: got null value (\"%s\"), "
                      "expected \"%s\"",
                      i + 1, ci->c.fmt.null_str, want);
            goto fail;
        }
        if (strcmp(ci->fields[i].s, want) != 0) {
            ERR_RAISE(err, ERRCODE_BAD_COPY_FILE_FORMAT,
                      "column name mismatch in header line field %d: got \"%s\", expected \"%s\"",
                      i + 1, ci->fields[i].s, want);
            goto fail;
        }
    }
    return 0;
fail:
    line_context(ci, rec, len, err);
    return -1;
}

/* One complete record (without its line end): parse, convert, check, encode. */
static int
process_record(SqlCopyIn *ci, const char *rec, size_t len, Err *err)
{
    static const uint8_t header[SQL_REC_HEADER] = {SQL_REC_INSERT, SQL_REC_VERSION, 0, 0};
    const CopySpec *c = &ci->c;
    size_t before;
    int n;

    arena_reset(ci->row_arena);
    ci->line++;
    if ((ci->line & 1023) == 0 && expr_check_interrupts(&ci->ctx, err) < 0)
        return -1;
    if (len == 2 && rec[0] == '\\' && rec[1] == '.') {
        ci->done = true;
        return 0;
    }
    if (c->header != 0 && !ci->header_done) {
        ci->header_done = true;
        return c->header == 2 ? check_header(ci, rec, len, err) : 0;
    }
    if (c->nfields == 0 && len == 0)
        n = 0;
    else if (copy_split_record(&c->fmt, rec, len, ci->row_arena, ci->fields, c->nfields, &n, err) <
             0) {
        line_context(ci, rec, len, err);
        return -1;
    }
    if (c->fmt.csv) {
        /* PostgreSQL counts the lines of a record with quoted line ends (once the
         * record parsed) */
        for (const char *q = memchr(rec, '\n', len); q != NULL;
             q = memchr(q + 1, '\n', len - (size_t)(q + 1 - rec)))
            ci->line++;
    }
    if (n > c->nfields) {
        ERR_RAISE(err, ERRCODE_BAD_COPY_FILE_FORMAT, "extra data after last expected column");
        line_context(ci, rec, len, err);
        return -1;
    }
    if (n < c->nfields) {
        ERR_RAISE(err, ERRCODE_BAD_COPY_FILE_FORMAT, "missing data for column \"%s\"",
                  c->cols[c->field_col[n]].name);
        line_context(ci, rec, len, err);
        return -1;
    }
    memcpy(ci->row, ci->defaults, sizeof(Value) * (size_t)c->ncols);
    for (int i = 0; i < n; i++) {
        CopyField *fl = &ci->fields[i];
        int col = c->field_col[i];
        bool isnull = fl->isnull;

        if (c->fmt.csv) {
            if (isnull && c->force_not_null[i])
                isnull = false;
            else if (!isnull && c->force_null[i] && fl->len == c->fmt.null_len &&
                     memcmp(fl->s, c->fmt.null_str, fl->len) == 0)
                isnull = true;
        }
        ci->row[col].isnull = isnull;
        ci->row[col].d = 0;
        if (isnull)
            continue;
        if (!c->fmt.csv && memchr(fl->s, '\0', fl->len) != NULL) {
            ERR_RAISE(err, ERRCODE_CHARACTER_NOT_IN_REPERTOIRE,
                      "invalid byte sequence for encoding \"UTF8\": 0x00");
            line_context(ci, rec, len, err);
            return -1;
        }
        if (type_by_oid(ci->types[col])
                ->in(fl->s, fl->len, c->cols[col].typmod, ci->ctx.io, ci->row_arena,
                     &ci->row[col].d, err) < 0) {
            err_context(err, "COPY %s, line %llu, column %s: \"%s\"", c->relname,
                        (unsigned long long)ci->line, c->cols[col].name,
                        display(ci->row_arena, fl->s, fl->len));
            return -1;
        }
    }
    if (ci->generated != NULL) {
        Value *row = ci->row;

        if (sql_generated_fill(ci->generated, &row, 1, ci->row_arena, err) < 0) {
            line_context(ci, rec, len, err);
            return -1;
        }
    }
    for (int col = 0; col < c->ncols; col++) {
        if (c->cols[col].not_null && ci->row[col].isnull) {
            ERR_RAISE(err, ERRCODE_NOT_NULL_VIOLATION,
                      "null value in column \"%s\" of relation \"%s\" violates not-null "
                      "constraint",
                      c->cols[col].name, c->relname);
            failing_row(ci, err);
            line_context(ci, rec, len, err);
            return -1;
        }
    }
    before = ci->rows.len;
    buf_append(&ci->rows, header, sizeof header);
    if (rowcodec_encode(ci->types, c->ncols, ci->row, &ci->rows, err) < 0) {
        line_context(ci, rec, len, err);
        return -1;
    }
    if (ci->rows.failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                         "COPY input is too large (more than %zu MB of rows)",
                         SQL_COPY_MAX_BYTES >> 20);
    if (ci->nrecs == ci->cap) {
        size_t cap = ci->cap ? ci->cap * 2 : 4096;
        uint32_t *l = realloc(ci->lens, cap * sizeof *l);

        if (l == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        ci->lens = l;
        ci->cap = cap;
    }
    ci->lens[ci->nrecs++] = (uint32_t)(ci->rows.len - before);
    return 0;
}

/* The generated columns, bound from their text for the COPY's life (the statement may go). */
static int
bind_generated(SqlCopyIn *ci, const CopySpec *c, Err *err)
{
    int w = c->ncols ? c->ncols : 1;
    const char **names = arena_alloc(ci->arena, sizeof(char *) * (size_t)w);
    const char **exprs = arena_alloc(ci->arena, sizeof(char *) * (size_t)w);
    int32_t *typmods = arena_alloc(ci->arena, sizeof(int32_t) * (size_t)w);

    for (int col = 0; col < c->ncols; col++) {
        names[col] = c->cols[col].name;
        exprs[col] = c->cols[col].generated_expr;
        typmods[col] = c->cols[col].typmod;
    }
    return sql_generated_create(c->ncols, names, ci->types, typmods, exprs, &ci->generated, err);
}

int
sql_copy_in_begin(SqlSession *s, const SqlStatement *stmt, SqlCopyIn **out, Err *err)
{
    SqlCopyIn *ci = calloc(1, sizeof *ci);
    const CopySpec *c = stmt->copy;
    Arena *a;

    *out = NULL;
    if (ci == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    if (c == NULL || c->dir != SQL_COPY_FROM_STDIN) {
        free(ci);
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "not a COPY FROM statement");
    }
    a = ci->arena = arena_create("copy", 0);
    ci->row_arena = arena_create("copy row", 0);
    ci->session = s;
    ci->c = *c;
    ci->c.fmt.null_str = arena_strdup(a, c->fmt.null_str);
    ci->c.relname = arena_strdup(a, c->relname);
    ci->c.cols = arena_alloc(a, sizeof(SqlRelColumn) * (size_t)(c->ncols ? c->ncols : 1));
    ci->types = arena_alloc(a, sizeof(Oid) * (size_t)(c->ncols ? c->ncols : 1));
    ci->defaults = arena_calloc(a, (size_t)(c->ncols ? c->ncols : 1), sizeof(Value));
    ci->row = arena_calloc(a, (size_t)(c->ncols ? c->ncols : 1), sizeof(Value));
    ci->c.field_col = arena_alloc(a, sizeof(int) * (size_t)(c->nfields ? c->nfields : 1));
    ci->c.force_null = arena_alloc(a, (size_t)(c->nfields ? c->nfields : 1));
    ci->c.force_not_null = arena_alloc(a, (size_t)(c->nfields ? c->nfields : 1));
    ci->fields = arena_alloc(a, sizeof(CopyField) * (size_t)(c->nfields + 1));
    memcpy(ci->c.field_col, c->field_col, sizeof(int) * (size_t)c->nfields);
    memcpy(ci->c.force_null, c->force_null, (size_t)c->nfields);
    memcpy(ci->c.force_not_null, c->force_not_null, (size_t)c->nfields);
    ci->c.defaults = NULL;
    ci->ctx.session = s;
    ci->ctx.arena = a;
    ci->ctx.io = session_io(s);
    ci->ctx.interrupt = session_interrupt(s);
    for (int col = 0; col < c->ncols; col++) {
        ci->c.cols[col] = c->cols[col];
        ci->c.cols[col].name = arena_strdup(a, c->cols[col].name);
        /* a static text: kept so sql_copy_in_data() knows the column (sql/proctime.h) */
        ci->c.cols[col].default_expr =
            proctime_is_column(&c->cols[col]) ? PROCTIME_DEFAULT : NULL;
        ci->c.cols[col].generated_expr = NULL; /* bound below (bind_generated) */
        ci->types[col] = c->cols[col].type;
        ci->defaults[col].isnull = true;
        /* defaults are evaluated once per COPY (sql/README.md: divergences) */
        if (c->defaults[col] != NULL && expr_eval(c->defaults[col], &ci->ctx, &ci->defaults[col].d,
                                                  &ci->defaults[col].isnull, err) < 0) {
            sql_copy_in_destroy(ci);
            return -1;
        }
        /* a constant's value points into the statement, which may go before the COPY ends */
        if (c->defaults[col] != NULL && !ci->defaults[col].isnull)
            ci->defaults[col].d =
                datum_copy(a, ci->defaults[col].d, type_by_oid(ci->types[col])->byval);
    }
    if (bind_generated(ci, c, err) < 0) {
        sql_copy_in_destroy(ci);
        return -1;
    }
    buf_init(&ci->carry, BUF_DEFAULT_MAX);
    buf_init(&ci->rows, SQL_COPY_MAX_BYTES);
    *out = ci;
    return 0;
}

int
sql_copy_in_nfields(const SqlCopyIn *ci)
{
    return ci->c.nfields;
}

/* The first record's line end ("\n", "\r" or "\r\n") is the only one allowed after it. */
static int
check_eol(SqlCopyIn *ci, const char *e, size_t n, Err *err)
{
    int style = n == 2 ? 3 : e[0] == '\n' ? 1 : 2;
    bool csv = ci->c.fmt.csv;

    if (ci->eol_style == 0)
        ci->eol_style = style;
    if (style == ci->eol_style)
        return 0;
    if (style == 1 || (style == 3 && ci->eol_style == 2)) {
        ERR_RAISE(err, ERRCODE_BAD_COPY_FILE_FORMAT,
                  csv ? "unquoted newline found in data" : "literal newline found in data");
        err_hint(err, csv ? "Use quoted CSV field to represent newline."
                          : "Use \"\\n\" to represent newline.");
    } else {
        ERR_RAISE(err, ERRCODE_BAD_COPY_FILE_FORMAT,
                  csv ? "unquoted carriage return found in data"
                      : "literal carriage return found in data");
        err_hint(err, csv ? "Use quoted CSV field to represent carriage return."
                          : "Use \"\\r\" to represent carriage return.");
    }
    sql_copy_in_context(ci, err);
    return -1;
}

/* Runs every complete record of p[0 .. len); returns the bytes consumed, or -1. */
static ssize_t
run_records(SqlCopyIn *ci, const char *p, size_t len, bool at_eof, Err *err)
{
    size_t off = 0, eol;

    while (off < len && !ci->done) {
        size_t n = copy_record_end(&ci->c.fmt, p + off, len - off, at_eof, &eol);

        if (n == 0)
            break;
        if (eol > 0 && check_eol(ci, p + off + n - eol, eol, err) < 0)
            return -1;
        if (process_record(ci, p + off, n - eol, err) < 0)
            return -1;
        off += n;
    }
    return ci->done ? (ssize_t)len : (ssize_t)off;
}

int
sql_copy_in_data(SqlCopyIn *ci, const uint8_t *data, size_t len, Err *err)
{
    ssize_t used;

    if (ci->done)
        return 0;
    for (int col = 0; col < ci->c.ncols; col++) { /* AS PROCTIME(): when the data came in */
        if (proctime_is_column(&ci->c.cols[col]))
            ci->defaults[col] = (Value){datum_from_int64(proctime_now()), false};
    }
    if (ci->carry.len == 0) {
        /* the common case: whole records straight from the message */
        if ((used = run_records(ci, (const char *)data, len, false, err)) < 0)
            return -1;
        data += used;
        len -= (size_t)used;
        if (len > 0)
            buf_append(&ci->carry, data, len);
    } else {
        buf_append(&ci->carry, data, len);
        if (ci->carry.failed)
            return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "COPY line is too long");
        /* no line end in the new piece: the carried record cannot have ended (and a long
         * record is not rescanned once per message) */
        if (memchr(data, '\n', len) == NULL && memchr(data, '\r', len) == NULL &&
            ci->carry.data[ci->carry.len - len - 1] != '\r')
            return 0;
        if ((used = run_records(ci, (const char *)ci->carry.data, ci->carry.len, false, err)) < 0)
            return -1;
        buf_consume(&ci->carry, (size_t)used);
    }
    if (ci->carry.failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "COPY line is too long");
    return 0;
}

int
sql_copy_in_end(SqlCopyIn *ci, uint64_t *nrows, Err *err)
{
    const SqlCatalogProvider *p = sql_catalog_provider();
    const uint8_t **recs;
    size_t off = 0;
    int rc;

    *nrows = 0;
    if (!ci->done && ci->carry.len > 0 &&
        run_records(ci, (const char *)ci->carry.data, ci->carry.len, true, err) < 0)
        return -1;
    if (ci->nrecs == 0)
        return 0;
    if (p == NULL)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "no storage engine is available");
    if (ci->nrecs > INT32_MAX)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "too many rows in one COPY");
    if ((recs = malloc(sizeof *recs * ci->nrecs)) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < ci->nrecs; i++) {
        recs[i] = ci->rows.data + off;
        off += ci->lens[i];
    }
    rc = p->append(p->arg, ci->c.relid, recs, ci->lens, (int)ci->nrecs, err);
    free(recs);
    if (rc > 0)
        return ERR_RAISE(err, ERRCODE_UNDEFINED_TABLE, "relation \"%s\" does not exist",
                         ci->c.relname);
    if (rc < 0)
        return -1;
    *nrows = ci->nrecs;
    return 0;
}

void
sql_copy_in_context(const SqlCopyIn *ci, Err *err)
{
    err_context(err, "COPY %s, line %llu", ci->c.relname, (unsigned long long)ci->line + 1);
}

void
sql_copy_in_destroy(SqlCopyIn *ci)
{
    if (ci == NULL)
        return;
    buf_free(&ci->carry);
    buf_free(&ci->rows);
    free(ci->lens);
    sql_generated_free(ci->generated);
    arena_destroy(ci->row_arena);
    arena_destroy(ci->arena);
    free(ci);
}

/* ---- COPY TO ------------------------------------------------------------------------------- */

void
sql_copy_out_header(const SqlStatement *stmt, Buf *out)
{
    const CopySpec *c = stmt->copy;

    if (c == NULL || c->header == 0)
        return;
    for (int i = 0; i < stmt->ncols; i++) {
        if (i > 0)
            buf_append(out, &c->fmt.delim, 1);
        copy_escape_value(&c->fmt, stmt->cols[i].name, strlen(stmt->cols[i].name), false, out);
    }
    buf_append(out, "\n", 1);
}

int
sql_copy_out_row(SqlSession *s, SqlPortal *portal, Buf *out, Err *err)
{
    const SqlStatement *st = sql_portal_statement(portal);
    const CopySpec *c = st->copy;
    Buf v;

    buf_init(&v, BUF_DEFAULT_MAX);
    for (int i = 0; i < st->ncols; i++) {
        bool isnull;

        if (i > 0)
            buf_append(out, &c->fmt.delim, 1);
        buf_reset(&v);
        if (sql_portal_value(s, portal, i, &v, &isnull, err) < 0) {
            buf_free(&v);
            return -1;
        }
        if (isnull)
            buf_append(out, c->fmt.null_str, c->fmt.null_len);
        else
            copy_escape_value(&c->fmt, (const char *)v.data, v.len, c->force_quote[i], out);
    }
    buf_append(out, "\n", 1);
    buf_free(&v);
    if (out->failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "COPY row is too large");
    return 0;
}
