/*
 * sql/binder.c — statement binding: one raw statement of a parsed script →
 * a bound SqlStatement (PostgreSQL's parse analysis, analyze.c and
 * parse_target.c), ready to be bound to parameter values and run.
 *
 * Pipeline position: sql_prepare() → here → sql/bind_expr.c for
 * expressions. What is bound now:
 *   SELECT [targets] [WHERE] [LIMIT/OFFSET]   (no FROM yet: one input row)
 *   VALUES (...), (...)
 *   SET / RESET / SHOW (ALL), SET TRANSACTION, SET SESSION CHARACTERISTICS
 *   BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK / ABORT
 *   CREATE TABLE / DROP TABLE / INSERT, and from the dialect CREATE TABLE ...
 *   APPEND ONLY, CREATE / DROP SOURCE, SHOW TABLES / SOURCES (sql/table.h)
 * Everything else fails with 0A000 "statement type X is not supported yet".
 *
 * Invariants:
 *   1. A statement owns all its memory (one arena) and does not point into
 *      the script or the parse tree, so the script can be destroyed at once.
 *   2. Result columns are named exactly as PostgreSQL names them
 *      (FigureColname) and typed with supported types only.
 *   3. In a failed transaction block only COMMIT/END/ROLLBACK/ABORT bind;
 *      anything else fails with 25P02.
 */
#include <stdio.h>
#include <string.h>

#include "sql/bind_int.h"
#include "sql/bind_struct.h"
#include "sql/bind_query.h"
#include "sql/bind_struct_expr.h"
#include "sql/copy_int.h"
#include "sql/datetime_ops.h"
#include "sql/describe.h"
#include "sql/dialect.h"
#include "sql/table.h"
#include "sql/watermark.h"

/* ---- result column names (FigureColnameInternal) ------------------------------------ */

static int
figure_name(const Node *n, const char **name);

/* EXISTS → "exists"; a scalar subquery → its column's name; ANY/ALL: none. */
static int
figure_sublink_name(const PgQuery__SubLink *sl, const char **name)
{
    const PgQuery__SelectStmt *sel = sl->subselect != NULL &&
                                             sl->subselect->node_case ==
                                                 PG_QUERY__NODE__NODE_SELECT_STMT
                                         ? sl->subselect->select_stmt
                                         : NULL;
    const PgQuery__ResTarget *rt;

    if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK) {
        *name = "exists";
        return 2;
    }
    if (sl->sub_link_type != PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK || sel == NULL)
        return 0;
    while (sel->op != PG_QUERY__SET_OPERATION__SETOP_NONE && sel->larg != NULL)
        sel = sel->larg;
    if (sel->n_target_list == 0 ||
        sel->target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET)
        return 0;
    rt = sel->target_list[0]->res_target;
    *name = rt->name != NULL && rt->name[0] != '\0' ? rt->name : bind_column_name(rt->val);
    return 2;
}

static int
figure_name(const Node *n, const char **name)
{
    static const char *const svf[] = {"?",
                                      "current_date",
                                      "current_time",
                                      "current_time",
                                      "current_timestamp",
                                      "current_timestamp",
                                      "localtime",
                                      "localtime",
                                      "localtimestamp",
                                      "localtimestamp",
                                      "current_role",
                                      "current_user",
                                      "user",
                                      "session_user",
                                      "current_catalog",
                                      "current_schema"};
    int strength;

    if (n == NULL)
        return 0;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF:
        if (n->column_ref->n_fields > 0 &&
            (*name = bind_node_str(n->column_ref->fields[n->column_ref->n_fields - 1])) != NULL)
            return 2;
        return 0;
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        *name = bind_node_str(n->func_call->funcname[n->func_call->n_funcname - 1]);
        return *name != NULL ? 2 : 0;
    case PG_QUERY__NODE__NODE_A_EXPR:
        if (n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF) {
            *name = "nullif";
            return 2;
        }
        return 0;
    case PG_QUERY__NODE__NODE_TYPE_CAST:
        strength = figure_name(n->type_cast->arg, name);
        if (strength <= 1 && n->type_cast->type_name->n_names > 0) {
            const PgQuery__TypeName *tn = n->type_cast->type_name;

            *name = bind_node_str(tn->names[tn->n_names - 1]);
            if (*name != NULL && (*name)[0] == BIND_STRUCT_MARK) /* a STRUCT<...> placeholder */
                *name = "struct";
            return 1;
        }
        return strength;
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
        return figure_name(n->collate_clause->arg, name);
    case PG_QUERY__NODE__NODE_SUB_LINK:
        return figure_sublink_name(n->sub_link, name);
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        strength = figure_name(n->case_expr->defresult, name);
        if (strength <= 1) {
            *name = "case";
            return 1;
        }
        return strength;
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        *name = "coalesce";
        return 2;
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
        *name = n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
        return 2;
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
        *name = "array";
        return 2;
    case PG_QUERY__NODE__NODE_ROW_EXPR:
        *name = "row";
        return 2;
    case PG_QUERY__NODE__NODE_A_INDIRECTION: {
        /* (x).f is named f: the last field name, ignoring `*` and subscripts */
        const PgQuery__AIndirection *ind = n->a_indirection;

        for (size_t i = ind->n_indirection; i-- > 0;) {
            if ((*name = bind_node_str(ind->indirection[i])) != NULL)
                return 2;
        }
        return figure_name(ind->arg, name);
    }
    case PG_QUERY__NODE__NODE_GROUPING_FUNC:
        *name = "grouping";
        return 2;
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
        if ((unsigned)n->sqlvalue_function->op < sizeof svf / sizeof svf[0]) {
            *name = svf[n->sqlvalue_function->op];
            return 2;
        }
        return 0;
    default:
        return 0;
    }
}

const char *
bind_column_name(const Node *n)
{
    const char *name = NULL;

    return figure_name(n, &name) > 0 && name != NULL ? name : "?column?";
}

/* ---- SELECT and VALUES --------------------------------------------------------------- */

static void
set_column(BindCtx *b, SqlColumn *col, const char *name, const Expr *e)
{
    const TypeInfo *t = type_by_oid(e->type);

    col->name = arena_strdup(b->arena, name);
    col->type_oid = e->type;
    col->typmod = e->typmod;
    col->typlen = t->typlen;
    col->table_oid = 0;
    col->attnum = 0;
}

/* An output column: unknown becomes text (resolveTargetListUnknowns); the type must be usable. */
static int
finish_output(BindCtx *b, Expr **e)
{
    const TypeInfo *t;

    if ((*e)->type == TYPE_UNKNOWN && bind_coerce(b, e, TYPE_TEXT, COERCION_IMPLICIT, -1) != 0)
        return -1;
    t = type_by_oid((*e)->type);
    if (t == NULL || !t->supported)
        return bind_error(b, (*e)->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "type %s is not supported yet", type_sql_name((*e)->type));
    return 0;
}

/* The first relation of a FROM clause decides the error (no tables exist yet). */
static int
from_error(BindCtx *b, const Node *n)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR: {
        const PgQuery__RangeVar *rv = n->range_var;
        bool qualified = rv->schemaname != NULL && rv->schemaname[0] != '\0';

        return bind_error(b, rv->location, ERRCODE_UNDEFINED_TABLE,
                          "relation \"%s%s%s\" does not exist", qualified ? rv->schemaname : "",
                          qualified ? "." : "", rv->relname);
    }
    case PG_QUERY__NODE__NODE_JOIN_EXPR:
        return from_error(b, n->join_expr->larg);
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "subqueries in FROM are not supported yet");
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION:
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "functions in FROM are not supported yet");
    default:
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "this FROM clause is not supported yet");
    }
}

static int
unsupported_clause(BindCtx *b, const char *what)
{
    return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "%s is not supported yet", what);
}

/* Rejects the clauses of a SELECT that need more than one constant input row. */
static int
check_select_clauses(BindCtx *b, const PgQuery__SelectStmt *sel)
{
    static const char *const setops[] = {"?", "?", "UNION", "INTERSECT", "EXCEPT"};

    if (sel->op != PG_QUERY__SET_OPERATION__SETOP_NONE)
        return unsupported_clause(b, (unsigned)sel->op < 5 ? setops[sel->op] : "set operation");
    if (sel->with_clause != NULL)
        return unsupported_clause(b, "WITH");
    if (sel->into_clause != NULL)
        return unsupported_clause(b, "SELECT INTO");
    if (sel->n_from_clause > 0)
        return from_error(b, sel->from_clause[0]);
    if (sel->n_distinct_clause > 0)
        return unsupported_clause(b, "DISTINCT");
    if (sel->n_group_clause > 0)
        return unsupported_clause(b, "GROUP BY");
    if (sel->having_clause != NULL)
        return unsupported_clause(b, "HAVING");
    if (sel->n_window_clause > 0)
        return unsupported_clause(b, "WINDOW");
    if (sel->n_sort_clause > 0)
        return unsupported_clause(b, "ORDER BY");
    if (sel->n_locking_clause > 0)
        return unsupported_clause(b, "FOR UPDATE/SHARE");
    if (sel->limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES)
        return unsupported_clause(b, "FETCH ... WITH TIES");
    return 0;
}

/* LIMIT / OFFSET: bigint expressions (transformLimitClause); LIMIT ALL binds to a NULL constant. */
int
bind_limit(BindCtx *b, const Node *n, const char *what, Expr **out)
{
    Expr *e;
    Oid src;
    int rc;

    *out = NULL;
    if (n == NULL)
        return 0;
    if ((e = bind_expr(b, n)) == NULL)
        return -1;
    src = e->type;
    rc = bind_coerce(b, &e, TYPE_INT8, COERCION_ASSIGNMENT, e->location);
    if (rc > 0)
        return bind_error(b, e->location, ERRCODE_DATATYPE_MISMATCH,
                          "argument of %s must be type %s, not type %s", what, "bigint",
                          type_sql_name(src));
    *out = e;
    return rc;
}

static int
bind_targets(BindCtx *b, SqlStatement *st, const PgQuery__SelectStmt *sel)
{
    int cap = sel->n_target_list ? (int)sel->n_target_list : 1;
    const char **names = arena_alloc(b->arena, sizeof(char *) * (size_t)cap);

    st->ncols = 0;
    st->nrows = 1;
    st->rows = arena_alloc(b->arena, sizeof(Expr **));
    st->rows[0] = arena_alloc(b->arena, sizeof(Expr *) * (size_t)cap);
    for (size_t i = 0; i < sel->n_target_list; i++) {
        const PgQuery__ResTarget *rt = sel->target_list[i]->res_target;
        Expr **xs, *e;
        const char **xnames, *name;
        int nx, rc = bind_struct_star(b, rt->val, &xs, &xnames, &nx); /* (x).* */

        if (rc < 0)
            return -1;
        if (rc == 0) {
            if ((e = bind_expr(b, rt->val)) == NULL)
                return -1;
            name = rt->name != NULL && rt->name[0] != '\0' ? rt->name : bind_column_name(rt->val);
            xs = &e;
            xnames = &name;
            nx = 1;
        }
        if (st->ncols + nx > cap) {
            Expr **row = st->rows[0];
            const char **old = names;

            cap = 2 * (st->ncols + nx);
            st->rows[0] = arena_alloc(b->arena, sizeof(Expr *) * (size_t)cap);
            names = arena_alloc(b->arena, sizeof(char *) * (size_t)cap);
            memcpy(st->rows[0], row, sizeof(Expr *) * (size_t)st->ncols);
            memcpy(names, old, sizeof(char *) * (size_t)st->ncols);
        }
        for (int k = 0; k < nx; k++) {
            st->rows[0][st->ncols] = xs[k];
            names[st->ncols++] = xnames[k];
        }
    }
    st->cols = arena_calloc(b->arena, (size_t)(st->ncols ? st->ncols : 1), sizeof(SqlColumn));
    /* unknowns are resolved after the whole list, so later uses of $n decide first */
    for (int i = 0; i < st->ncols; i++) {
        if (finish_output(b, &st->rows[0][i]) < 0)
            return -1;
        set_column(b, &st->cols[i], names[i], st->rows[0][i]);
    }
    return 0;
}

static const PgQuery__List *
values_list(const Node *n)
{
    return n != NULL && n->node_case == PG_QUERY__NODE__NODE_LIST ? n->list : NULL;
}

/* VALUES (...), (...): one row per list; each column takes its common type. */
static int
bind_values(BindCtx *b, SqlStatement *st, const PgQuery__SelectStmt *sel)
{
    const PgQuery__List *first = values_list(sel->values_lists[0]);
    Expr **column;

    st->nrows = (int)sel->n_values_lists;
    st->ncols = first != NULL ? (int)first->n_items : 0;
    st->rows = arena_alloc(b->arena, sizeof(Expr **) * (size_t)st->nrows);
    for (int r = 0; r < st->nrows; r++) {
        const PgQuery__List *row = values_list(sel->values_lists[r]);

        int n = row != NULL ? (int)row->n_items : 0;

        st->rows[r] = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n ? n : 1));
        for (int c = 0; c < n; c++) {
            if ((st->rows[r][c] = bind_expr(b, row->items[c])) == NULL)
                return -1;
        }
        if (n != st->ncols)
            return bind_error(b, n > 0 ? st->rows[r][0]->location : -1, ERRCODE_SYNTAX_ERROR,
                              "VALUES lists must all be the same length");
    }
    st->cols = arena_calloc(b->arena, (size_t)(st->ncols ? st->ncols : 1), sizeof(SqlColumn));
    column = arena_alloc(b->arena, sizeof(Expr *) * (size_t)st->nrows);
    for (int c = 0; c < st->ncols; c++) {
        char name[32];
        Oid common;

        for (int r = 0; r < st->nrows; r++)
            column[r] = st->rows[r][c];
        if (bind_common_type(b, column, st->nrows, "VALUES", &common) < 0)
            return -1;
        for (int r = 0; r < st->nrows; r++) {
            st->rows[r][c] = column[r];
            if (finish_output(b, &st->rows[r][c]) < 0)
                return -1;
        }
        snprintf(name, sizeof name, "column%d", c + 1);
        set_column(b, &st->cols[c], name, st->rows[0][c]);
    }
    return 0;
}

int
bind_select(BindCtx *b, SqlStatement *st, const PgQuery__SelectStmt *sel)
{
    st->kind = STMT_SELECT;
    st->tag = "SELECT";
    if (bind_query_wanted(sel))
        return bind_query_select(b, st, sel);
    if (check_select_clauses(b, sel) < 0)
        return -1;
    if (sel->n_values_lists > 0) {
        if (bind_values(b, st, sel) < 0)
            return -1;
    } else {
        if (bind_targets(b, st, sel) < 0)
            return -1;
        if (sel->where_clause != NULL) {
            Expr *w = bind_expr(b, sel->where_clause);

            if (w == NULL || (st->where = bind_coerce_bool(b, w, "WHERE")) == NULL)
                return -1;
        }
    }
    if (bind_limit(b, sel->limit_count, "LIMIT", &st->limit) < 0 ||
        bind_limit(b, sel->limit_offset, "OFFSET", &st->offset) < 0)
        return -1;
    return 0;
}

/* ---- SET / RESET / SHOW --------------------------------------------------------------- */

/*
 * SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE: the interval's offset as
 * hours ("5.5"), which the TimeZone check turns into a fixed-offset zone.
 */
static int
set_arg_zone_interval(BindCtx *b, const PgQuery__TypeCast *tc, const char **text, char *kind)
{
    Oid type;
    int32_t typmod;
    Interval iv;
    char buf[64];

    if (bind_type_name(b, tc->type_name, &type, &typmod) < 0)
        return -1;
    if (type != TYPE_INTERVAL || tc->arg == NULL ||
        tc->arg->node_case != PG_QUERY__NODE__NODE_A_CONST ||
        tc->arg->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
        return bind_error(b, tc->location, ERRCODE_SYNTAX_ERROR, "unrecognized SET argument");
    if (dt_parse_interval(tc->arg->a_const->sval->sval, b->io, &iv, b->err) < 0)
        return -1;
    dt_interval_apply_typmod(&iv, typmod);
    if (iv.month != 0 || iv.day != 0) {
        Buf out;

        buf_init(&out, 256);
        dt_format_interval(&iv, &type_io_default, &out);
        ERR_RAISE(b->err, ERRCODE_INVALID_PARAMETER_VALUE,
                  "invalid value for parameter \"TimeZone\": \"INTERVAL '%.*s'\"",
                  out.failed ? 0 : (int)out.len, out.len ? (const char *)out.data : "");
        buf_free(&out);
        err_detail(b->err, "Cannot specify %s in time zone interval.",
                   iv.month != 0 ? "months" : "days");
        return -1;
    }
    snprintf(buf, sizeof buf, "%.17g", (double)iv.time / (double)USECS_PER_HOUR);
    *text = arena_strdup(b->arena, buf);
    *kind = 'f';
    return 0;
}

/* A SET argument as text, with its kind for guc_flatten_args. */
static int
set_arg(BindCtx *b, const Node *n, const char **text, char *kind)
{
    char buf[32];

    if (n->node_case == PG_QUERY__NODE__NODE_A_CONST && !n->a_const->isnull) {
        const PgQuery__AConst *c = n->a_const;

        switch (c->val_case) {
        case PG_QUERY__A__CONST__VAL_IVAL:
            snprintf(buf, sizeof buf, "%d", c->ival ? c->ival->ival : 0);
            *text = arena_strdup(b->arena, buf);
            *kind = 'i';
            return 0;
        case PG_QUERY__A__CONST__VAL_FVAL:
            *text = arena_strdup(b->arena, c->fval->fval);
            *kind = 'f';
            return 0;
        case PG_QUERY__A__CONST__VAL_SVAL:
            *text = arena_strdup(b->arena, c->sval->sval);
            *kind = 's';
            return 0;
        default:
            break;
        }
    }
    if (n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST)
        return set_arg_zone_interval(b, n->type_cast, text, kind);
    return bind_error(b, -1, ERRCODE_SYNTAX_ERROR, "unrecognized SET argument");
}

/* BEGIN / SET TRANSACTION options: DefElems transaction_isolation = 'x', ... */
static int
txn_options(BindCtx *b, SqlStatement *st, Node **items, size_t n)
{
    st->nopts = 0;
    st->opts = arena_calloc(b->arena, n ? n : 1, sizeof(TxnOption));
    for (size_t i = 0; i < n; i++) {
        const PgQuery__DefElem *d =
            items[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM ? items[i]->def_elem : NULL;
        const PgQuery__AConst *c;

        if (d == NULL || d->arg == NULL || d->arg->node_case != PG_QUERY__NODE__NODE_A_CONST)
            return bind_error(b, -1, ERRCODE_SYNTAX_ERROR, "unrecognized transaction option");
        c = d->arg->a_const;
        st->opts[st->nopts].name = arena_strdup(b->arena, d->defname);
        if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
            st->opts[st->nopts].value = c->ival && c->ival->ival ? "on" : "off";
        else if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL)
            st->opts[st->nopts].value = arena_strdup(b->arena, c->sval->sval);
        else
            return bind_error(b, d->location, ERRCODE_SYNTAX_ERROR,
                              "unrecognized transaction option");
        st->nopts++;
    }
    return 0;
}

static int
bind_set_multi(BindCtx *b, SqlStatement *st, const PgQuery__VariableSetStmt *vs)
{
    if (strcmp(vs->name, "TRANSACTION") == 0)
        st->kind = STMT_SET_TRANSACTION;
    else if (strcmp(vs->name, "SESSION CHARACTERISTICS") == 0)
        st->kind = STMT_SET_CHARACTERISTICS;
    else
        return unsupported_clause(b, "SET TRANSACTION SNAPSHOT");
    return txn_options(b, st, vs->args, vs->n_args);
}

static int
bind_set(BindCtx *b, SqlStatement *st, const PgQuery__VariableSetStmt *vs)
{
    char *kinds;

    st->kind = STMT_SET;
    st->tag = "SET";
    st->is_local = vs->is_local;
    st->name = vs->name != NULL ? arena_strdup(b->arena, vs->name) : NULL;
    if (describe_check_set(b, vs->name) < 0) /* server-wide: ALTER SYSTEM (sql/describe.c) */
        return -1;
    switch (vs->kind) {
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
        break;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
        st->is_default = true;
        return 0;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
        st->is_default = true;
        st->tag = "RESET";
        return 0;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
        st->kind = STMT_RESET_ALL;
        st->tag = "RESET";
        return 0;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI:
        return bind_set_multi(b, st, vs);
    default:
        return unsupported_clause(b, "SET ... FROM CURRENT");
    }
    st->nargs = (int)vs->n_args;
    st->args = arena_alloc(b->arena, sizeof(char *) * (vs->n_args ? vs->n_args : 1));
    kinds = arena_alloc(b->arena, vs->n_args + 1);
    for (size_t i = 0; i < vs->n_args; i++) {
        if (set_arg(b, vs->args[i], &st->args[i], &kinds[i]) < 0)
            return -1;
    }
    st->kinds = kinds;
    return 0;
}

static void
text_column(BindCtx *b, SqlColumn *col, const char *name)
{
    col->name = arena_strdup(b->arena, name);
    col->type_oid = TYPE_TEXT;
    col->typmod = -1;
    col->typlen = -1;
}

static int
bind_show(BindCtx *b, SqlStatement *st, const PgQuery__VariableShowStmt *vs)
{
    const char *canonical;

    st->tag = "SHOW";
    if (strcmp(vs->name, "all") == 0) {
        st->kind = STMT_SHOW_ALL;
        st->ncols = 3;
        st->cols = arena_calloc(b->arena, 3, sizeof(SqlColumn));
        text_column(b, &st->cols[0], "name");
        text_column(b, &st->cols[1], "setting");
        text_column(b, &st->cols[2], "description");
        return 0;
    }
    if (describe_bind_show(b, st, vs->name) != 0) /* SHOW checkpoint_interval */
        return 0;
    if (guc_show(session_guc(b->session), vs->name, &canonical, b->err) == NULL)
        return -1;
    st->kind = STMT_SHOW;
    st->name = arena_strdup(b->arena, vs->name);
    st->ncols = 1;
    st->cols = arena_calloc(b->arena, 1, sizeof(SqlColumn));
    text_column(b, &st->cols[0], canonical);
    return 0;
}

/* ---- transaction control ------------------------------------------------------------- */

static int
bind_transaction(BindCtx *b, SqlStatement *st, const PgQuery__TransactionStmt *ts)
{
    static const char *const savepoint_cmds[] = {"SAVEPOINT", "RELEASE SAVEPOINT",
                                                 "ROLLBACK TO SAVEPOINT"};

    switch (ts->kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
        st->kind = STMT_BEGIN;
        st->tag = ts->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN
                      ? "BEGIN"
                      : "START TRANSACTION";
        return txn_options(b, st, ts->options, ts->n_options);
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
        if (ts->chain)
            return unsupported_clause(b, "AND CHAIN");
        st->kind = ts->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ? STMT_COMMIT
                                                                                  : STMT_ROLLBACK;
        st->tag = st->kind == STMT_COMMIT ? "COMMIT" : "ROLLBACK";
        return 0;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
        if (session_txn_state(b->session) == TXN_IDLE)
            return bind_error(
                b, -1, ERRCODE_NO_ACTIVE_SQL_TRANSACTION,
                "%s can only be used in transaction blocks",
                savepoint_cmds[ts->kind - PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT]);
        return unsupported_clause(b, "SAVEPOINT");
    default:
        return unsupported_clause(b, "two-phase commit");
    }
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static const char *
statement_name(const Node *n, char *buf, size_t cap)
{
    static const struct {
        int node_case;
        const char *name;
    } names[] = {
        {PG_QUERY__NODE__NODE_INSERT_STMT, "INSERT"},
        {PG_QUERY__NODE__NODE_DELETE_STMT, "DELETE"},
        {PG_QUERY__NODE__NODE_UPDATE_STMT, "UPDATE"},
        {PG_QUERY__NODE__NODE_CREATE_STMT, "CREATE TABLE"},
        {PG_QUERY__NODE__NODE_VIEW_STMT, "CREATE VIEW"},
        {PG_QUERY__NODE__NODE_INDEX_STMT, "CREATE INDEX"},
        {PG_QUERY__NODE__NODE_CREATE_SEQ_STMT, "CREATE SEQUENCE"},
        {PG_QUERY__NODE__NODE_CREATEDB_STMT, "CREATE DATABASE"},
        {PG_QUERY__NODE__NODE_TRUNCATE_STMT, "TRUNCATE TABLE"},
        {PG_QUERY__NODE__NODE_CLOSE_PORTAL_STMT, "CLOSE CURSOR"},
        {PG_QUERY__NODE__NODE_CHECK_POINT_STMT, "CHECKPOINT"},
        {PG_QUERY__NODE__NODE_LOCK_STMT, "LOCK TABLE"},
    };
    int nc = (int)n->node_case;

    if (n->node_case == PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT) {
        const PgQuery__CreateTableAsStmt *c = n->create_table_as_stmt;

        return c->is_select_into                                     ? "SELECT INTO"
               : c->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW ? "CREATE MATERIALIZED VIEW"
                                                                     : "CREATE TABLE AS";
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].node_case == nc)
            return names[i].name;
    }
    parse_node_name(nc, buf, cap);
    return buf;
}

/*
 * Streaming-dialect statements (sql/dialect.h): CREATE TABLE ... APPEND ONLY and CREATE / DROP
 * SOURCE without connector options or watermarks (sql/bind_ddl.c); nothing else yet.
 */
static int
bind_dialect(BindCtx *b, SqlStatement *st, const Node *n, const DialectStmt *d)
{
    if (session_txn_state(b->session) == TXN_FAILED)
        return bind_error(b, -1, ERRCODE_IN_FAILED_SQL_TRANSACTION,
                          "current transaction is aborted, commands ignored until end of "
                          "transaction block");
    if ((d->kind == DIALECT_CREATE_TABLE || d->kind == DIALECT_CREATE_SOURCE) && n != NULL &&
        n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT && d->wm_column == NULL &&
        d->noptions == 0 && d->format == NULL)
        return bind_create_table(b, st, n->create_stmt, d->kind == DIALECT_CREATE_SOURCE
                                                            ? BIND_CREATE_SOURCE
                                                        : d->append_only ? BIND_CREATE_APPEND_ONLY
                                                                         : BIND_CREATE_TABLE);
    if ((d->kind == DIALECT_CREATE_TABLE || d->kind == DIALECT_CREATE_SOURCE) && n != NULL &&
        n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT) /* sql/bind_connector.c */
        return bind_streaming_clauses(b, st, d, n->create_stmt);
    if (d->kind == DIALECT_CREATE_MV && n != NULL &&
        n->node_case == PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT) /* sql/watermark.c */
        return bind_create_matview_eowc(b, st, n->create_table_as_stmt);
    if (d->kind == DIALECT_SHOW_TABLES || d->kind == DIALECT_SHOW_SOURCES ||
        d->kind == DIALECT_SHOW_MVIEWS)
        return bind_show_relations(b, st, d);
    if (d->kind == DIALECT_DESCRIBE || d->kind == DIALECT_SHOW_COLUMNS)
        return describe_bind(b, st, d); /* sql/describe.c */
    if (d->kind == DIALECT_FLUSH) {
        st->kind = STMT_FLUSH;
        st->tag = "FLUSH";
        st->table = arena_calloc(b->arena, 1, sizeof(TableStmt));
        return 0;
    }
    if (d->kind == DIALECT_DROP_SOURCE && n != NULL &&
        n->node_case == PG_QUERY__NODE__NODE_DROP_STMT)
        return bind_drop(b, st, n->drop_stmt, SQL_REL_SOURCE);
    return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "%s is not supported yet",
                      dialect_stmt_name(d));
}

static bool
ends_transaction(const Node *n)
{
    return n->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT &&
           (n->transaction_stmt->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
            n->transaction_stmt->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK);
}

static int
bind_statement(BindCtx *b, SqlStatement *st, const Node *n)
{
    char buf[64];

    if (session_txn_state(b->session) == TXN_FAILED && !ends_transaction(n))
        return bind_error(b, -1, ERRCODE_IN_FAILED_SQL_TRANSACTION,
                          "current transaction is aborted, commands ignored until end of "
                          "transaction block");
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        return bind_select(b, st, n->select_stmt);
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
        return bind_set(b, st, n->variable_set_stmt);
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
        return bind_show(b, st, n->variable_show_stmt);
    case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT: /* sql/describe.c */
        return describe_bind_alter_system(b, st, n->alter_system_stmt);
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
        return bind_transaction(b, st, n->transaction_stmt);
    case PG_QUERY__NODE__NODE_CREATE_STMT: /* sql/bind_ddl.c */
        return bind_create_table(b, st, n->create_stmt, BIND_CREATE_TABLE);
    case PG_QUERY__NODE__NODE_INSERT_STMT: /* sql/bind_insert.c */
        return bind_insert(b, st, n->insert_stmt);
    case PG_QUERY__NODE__NODE_DELETE_STMT: /* sql/bind_dml.c */
        return bind_delete(b, st, n->delete_stmt);
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        return bind_update(b, st, n->update_stmt);
    case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT: /* sql/bind_matview.c */
        return bind_refresh_matview(b, st, n->refresh_mat_view_stmt);
    case PG_QUERY__NODE__NODE_VIEW_STMT: /* sql/bind_view.c */
        return bind_create_view(b, st, n->view_stmt);
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: /* sql/bind_matview.c */
        if (n->create_table_as_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW &&
            !n->create_table_as_stmt->is_select_into)
            return bind_create_matview(b, st, n->create_table_as_stmt);
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "statement type %s is not supported yet",
                          statement_name(n, buf, sizeof buf));
    case PG_QUERY__NODE__NODE_COPY_STMT: /* sql/copy.c */
        return bind_copy(b, st, n->copy_stmt);
    case PG_QUERY__NODE__NODE_DROP_STMT:
        if (n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
            return bind_drop(b, st, n->drop_stmt, SQL_REL_TABLE);
        if (n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW)
            return bind_drop(b, st, n->drop_stmt, SQL_REL_MATVIEW);
        if (n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW)
            return bind_drop(b, st, n->drop_stmt, SQL_REL_VIEW);
        /* fall through */
    default:
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "statement type %s is not supported yet",
                          statement_name(n, buf, sizeof buf));
    }
}

/* Parameter types the client gave: 0 and unknown mean "infer"; others must be usable. */
static int
init_params(BindCtx *b, const Oid *types, int n)
{
    b->nparams = b->param_cap = n;
    b->param_types = arena_alloc(b->arena, sizeof(Oid) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        const TypeInfo *t = type_by_oid(types[i]);

        b->param_types[i] = types[i] == TYPE_INVALID ? TYPE_UNKNOWN : types[i];
        if (types[i] == TYPE_INVALID || types[i] == TYPE_UNKNOWN)
            continue;
        if (t == NULL)
            return bind_error(b, -1, ERRCODE_UNDEFINED_OBJECT, "type with OID %u does not exist",
                              types[i]);
        if (!t->supported || t->category == TYPCAT_PSEUDO)
            return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "type %s is not supported yet",
                              t->sql_name);
    }
    return 0;
}

static const char *
trimmed_text(Arena *a, const char *text, int start, int len)
{
    while (len > 0 && (text[start] == ' ' || text[start] == '\n' || text[start] == '\t' ||
                       text[start] == '\r')) {
        start++;
        len--;
    }
    while (len > 0 && (text[start + len - 1] == ' ' || text[start + len - 1] == '\n' ||
                       text[start + len - 1] == '\t' || text[start + len - 1] == '\r' ||
                       text[start + len - 1] == ';'))
        len--;
    return arena_strndup(a, text + start, (size_t)len);
}

int
binder_prepare(SqlSession *s, const SqlScript *script, int index, const Oid *param_types,
               int nparam_types, bool fixed_params, SqlStatement **out, Err *err)
{
    Arena *arena = arena_create("statement", 0);
    SqlStatement *st = arena_calloc(arena, 1, sizeof *st);
    BindCtx b = {0};
    int start, len;
    const Node *n;
    const DialectStmt *d;

    *out = NULL;
    if (index < 0 || index >= script->nstmts) {
        arena_destroy(arena);
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "no statement %d in the script", index);
    }
    n = parse_statement(script, index, &start, &len);
    st->arena = arena;
    st->text = trimmed_text(arena, script->text, start, len);
    b.session = s;
    b.arena = arena;
    b.text = script->text;
    b.io = session_io(s);
    b.err = err;
    b.fixed_params = fixed_params;
    d = parse_dialect(script, index);
    if (init_params(&b, param_types, fixed_params ? 0 : nparam_types) < 0 ||
        (d != NULL ? bind_dialect(&b, st, n, d) : bind_statement(&b, st, n)) < 0 ||
        bind_check_params(&b) < 0) {
        arena_destroy(arena);
        return -1;
    }
    st->nparams = b.nparams;
    st->param_types = b.param_types;
    *out = st;
    return 0;
}
