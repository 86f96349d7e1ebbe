/*
 * sql/proctime.c — processing-time columns (`col TIMESTAMPTZ AS PROCTIME()`): recognising
 * the declaration at CREATE, and the rules for INSERT and COPY. See sql/proctime.h for the
 * model (the value is the append time, stored in the row) and the invariants.
 *
 * Pipeline position: the dialect pre-pass (sql/dialect.c) blanks `AS PROCTIME()` so that
 * libpg_query parses the column as a plain one; bind_create_table() (sql/bind_ddl.c) calls
 * proctime_bind_column() per column, which finds the words again in the original text;
 * bind_insert.c and copy.c call the checks; stream/engine_gen.c fills the column of a
 * generator source's rows itself (proctime_now()).
 *
 * Invariants: those of sql/proctime.h; besides,
 *   1. The original text is scanned with libpg_query's own scanner (parse_scan()), so words
 *      inside literals, quoted identifiers or comments never count.
 */
#include "sql/proctime.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/clock.h"
#include "sql/types.h"

#define PROCTIME_EPOCH_OFFSET_US INT64_C(946684800000000) /* 1970-01-01 → 2000-01-01 */

bool
proctime_is_default(const char *d)
{
    return d != NULL && strcmp(d, PROCTIME_DEFAULT) == 0;
}

bool
proctime_is_column(const SqlRelColumn *col)
{
    return col != NULL && proctime_is_default(col->default_expr);
}

int64_t
proctime_now(void)
{
    return clock_now_us() - PROCTIME_EPOCH_OFFSET_US;
}

int
proctime_count(const SqlRelation *rel)
{
    int n = 0;

    for (int c = 0; c < rel->ncols; c++)
        n += proctime_is_column(&rel->cols[c]);
    return n;
}

/*
 * The byte offset of `AS` in `AS PROCTIME ( )` at parenthesis depth 0 of the column
 * definition starting at byte `from` (it ends at the next ',' or ')' of depth 0); -1: none.
 */
static int
find_clause(const char *text, int from)
{
    ParseToken *tok = NULL;
    int ntok = parse_scan(text, &tok), i = 0, depth = 0, found = -1;

    while (i < ntok && tok[i].start < from)
        i++;
    for (; i < ntok && found < 0; i++) {
        if (parse_token_is_char(text, &tok[i], '('))
            depth++;
        else if (parse_token_is_char(text, &tok[i], ')') && depth-- == 0)
            break;
        else if ((parse_token_is_char(text, &tok[i], ',') || parse_token_is_char(text, &tok[i], ';')) && depth == 0)
            break;
        else if (depth == 0 && i + 3 < ntok && parse_token_is_word(text, &tok[i], "as") &&
                 parse_token_is_word(text, &tok[i + 1], "proctime") && parse_token_is_char(text, &tok[i + 2], '(') &&
                 parse_token_is_char(text, &tok[i + 3], ')'))
            found = tok[i].start;
    }
    free(tok);
    return found;
}

int
proctime_bind_column(BindCtx *b, const SqlRelation *rel, const PgQuery__ColumnDef *cd,
                     SqlRelColumn *col)
{
    int at;

    if (cd->location < 0 || (at = find_clause(b->text, cd->location)) < 0)
        return 0;
    if (!rel->append_only) {
        bind_error(b, at, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "a PROCTIME() column in a table that is not APPEND ONLY is not supported yet");
        err_hint(b->err, "Declare the table APPEND ONLY, or create a source.");
        return -1;
    }
    if (col->default_expr != NULL)
        return bind_error(b, at, ERRCODE_SYNTAX_ERROR,
                          "both default and generation expression specified for column \"%s\" "
                          "of table \"%s\"",
                          col->name, rel->name);
    if (col->type != TYPE_TIMESTAMPTZ) {
        /* PostgreSQL reports a generation expression's type without a position (cookDefault) */
        bind_error(b, -1, ERRCODE_DATATYPE_MISMATCH,
                   "column \"%s\" is of type %s but generation expression is of type %s",
                   col->name, type_sql_name(col->type), type_sql_name(TYPE_TIMESTAMPTZ));
        err_hint(b->err, "You will need to rewrite or cast the expression.");
        return -1;
    }
    col->default_expr = PROCTIME_DEFAULT;
    return 0;
}

const SqlRelColumn *
proctime_default_column(BindCtx *b, const SqlRelColumn *col)
{
    SqlRelColumn *copy;

    if (!proctime_is_column(col))
        return col;
    copy = arena_alloc(b->arena, sizeof *copy);
    *copy = *col;
    copy->default_expr = "clock_timestamp()";
    return copy;
}

int
proctime_check_insert_target(BindCtx *b, const SqlRelColumn *col)
{
    if (!proctime_is_column(col))
        return 0;
    bind_error(b, -1, ERRCODE_GENERATED_ALWAYS,
               "cannot insert a non-DEFAULT value into column \"%s\"", col->name);
    err_detail(b->err, "Column \"%s\" is a generated column.", col->name);
    return -1;
}

int
proctime_check_copy_column(BindCtx *b, const SqlRelColumn *col)
{
    if (!proctime_is_column(col))
        return 0;
    bind_error(b, -1, ERRCODE_INVALID_COLUMN_REFERENCE, "column \"%s\" is a generated column",
               col->name);
    err_detail(b->err, "Generated columns cannot be used in COPY.");
    return -1;
}
