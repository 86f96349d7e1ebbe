/*
 * sql/utility.c — running the statements that are not queries: SET, RESET,
 * SHOW, SET TRANSACTION / SESSION CHARACTERISTICS, and transaction control
 * (PostgreSQL's ExecSetVariableStmt, GetPGVariable and the xact.c block
 * commands).
 *
 * Pipeline position: sql_portal_execute() calls utility_execute() for every
 * statement kind but SELECT.
 *
 * Invariants:
 *   1. SET LOCAL and SET TRANSACTION outside a transaction block warn (25P01)
 *      and change nothing, as PostgreSQL.
 *   2. SHOW results are text values allocated in the portal's arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/describe.h"
#include "sql/sql_int.h"

static int
exec_set(SqlSession *s, const SqlStatement *st, Err *err)
{
    GucState *g = session_guc(s);
    char *value = NULL;
    int rc;

    if (st->is_local && !session_in_block(s)) {
        session_notice(s, ERR_WARNING, ERRCODE_NO_ACTIVE_SQL_TRANSACTION,
                       "SET LOCAL can only be used in transaction blocks");
        return 0;
    }
    if (!st->is_default) {
        value = guc_flatten_args(g, st->name, st->nargs, st->args, st->kinds, err);
        if (value == NULL)
            return -1;
    }
    rc = guc_set(g, st->name, value, st->is_local ? GUC_SCOPE_LOCAL : GUC_SCOPE_SESSION, err);
    free(value);
    return rc;
}

/* Options of BEGIN / SET TRANSACTION apply to the current transaction only. */
static int
apply_options(SqlSession *s, const SqlStatement *st, bool session_defaults, Err *err)
{
    GucState *g = session_guc(s);
    char name[64];

    for (int i = 0; i < st->nopts; i++) {
        const char *opt = st->opts[i].name;

        if (session_defaults) {
            /* SET SESSION CHARACTERISTICS sets default_transaction_* */
            snprintf(name, sizeof name, "default_%s", opt);
            opt = name;
        }
        if (guc_set(g, opt, st->opts[i].value,
                    session_defaults ? GUC_SCOPE_SESSION : GUC_SCOPE_LOCAL, err) < 0)
            return -1;
    }
    return 0;
}

typedef struct ShowAll {
    Arena *arena;
    Value *rows;
    int n, cap;
} ShowAll;

static void
show_all_row(void *arg, const char *name, const char *value, const char *desc)
{
    ShowAll *sa = arg;

    if (sa->n == sa->cap) {
        int cap = sa->cap ? sa->cap * 2 : 64;
        Value *rows = arena_alloc(sa->arena, sizeof(Value) * 3 * (size_t)cap);

        if (sa->n > 0)
            memcpy(rows, sa->rows, sizeof(Value) * 3 * (size_t)sa->n);
        sa->rows = rows;
        sa->cap = cap;
    }
    sa->rows[3 * sa->n] = (Value){datum_from_cstr(sa->arena, name), false};
    sa->rows[3 * sa->n + 1] = (Value){datum_from_cstr(sa->arena, value), false};
    sa->rows[3 * sa->n + 2] = (Value){datum_from_cstr(sa->arena, desc), false};
    sa->n++;
}

static int
exec_show(SqlSession *s, const SqlStatement *st, Arena *a, Value **rows, int *nrows, Err *err)
{
    const char *value;

    if (st->kind == STMT_SHOW_ALL) {
        ShowAll sa = {a, NULL, 0, 0};

        guc_show_all(session_guc(s), show_all_row, &sa);
        *rows = sa.rows;
        *nrows = sa.n;
        return 0;
    }
    value = guc_show(session_guc(s), st->name, NULL, err);
    if (value == NULL)
        return -1;
    *rows = arena_alloc(a, sizeof(Value));
    (*rows)[0] = (Value){datum_from_cstr(a, value), false};
    *nrows = 1;
    return 0;
}

int
utility_execute(SqlSession *s, const SqlStatement *st, Arena *a, Value **rows, int *nrows,
                const char **tag, Err *err)
{
    *rows = NULL;
    *nrows = 0;
    *tag = st->tag;
    switch (st->kind) {
    case STMT_SET:
        return exec_set(s, st, err);
    case STMT_RESET_ALL:
        guc_reset_all(session_guc(s));
        return 0;
    case STMT_SHOW:
    case STMT_SHOW_ALL:
        return exec_show(s, st, a, rows, nrows, err);
    case STMT_BEGIN:
        session_begin(s);
        return apply_options(s, st, false, err);
    case STMT_COMMIT:
        *tag = session_commit(s);
        return 0;
    case STMT_ROLLBACK:
        session_rollback(s);
        return 0;
    case STMT_SET_TRANSACTION:
        if (session_txn_state(s) == TXN_IDLE) {
            session_notice(s, ERR_WARNING, ERRCODE_NO_ACTIVE_SQL_TRANSACTION,
                           "SET TRANSACTION can only be used in transaction blocks");
            return 0;
        }
        return apply_options(s, st, false, err);
    case STMT_SET_CHARACTERISTICS:
        return apply_options(s, st, true, err);
    case STMT_SYSTEM: /* DESCRIBE, ALTER SYSTEM ...: sql/describe.c */
        return describe_execute(s, st, a, rows, nrows, err);
    case STMT_SELECT:
    case STMT_CREATE_TABLE: /* sql/table_exec.c, called by portal.c */
    case STMT_DROP_TABLE:
    case STMT_INSERT:
    case STMT_SHOW_RELATIONS:
    case STMT_FLUSH:
    case STMT_COPY: /* sql/copy.c, driven by the server */
        break;
    }
    return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "not a utility statement");
}
