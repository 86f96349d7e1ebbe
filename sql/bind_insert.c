/*
 * sql/bind_insert.c — binding INSERT (PostgreSQL's transformInsertStmt,
 * checkInsertTargets, transformInsertRow, transformAssignedExpr) and the
 * scan of a stored relation named in FROM.
 *
 * An INSERT becomes a plan whose rows are complete rows of the table, in
 * column order and of the column types (sql/table.h, invariant 1):
 *
 *   INSERT ... VALUES (...), (...)   Values node: every expression coerced
 *                                    on its own to its target column
 *                                    (COERCION_ASSIGNMENT, then the typmod),
 *                                    DEFAULT and missing columns replaced by
 *                                    the column's default (or NULL)
 *   INSERT ... SELECT ...            the query's plan under a Project that
 *                                    coerces each output column to its
 *                                    target and adds the defaults
 *   INSERT ... DEFAULT VALUES        one Values row of defaults
 *
 * A column default is stored as SQL text (sql/bind_ddl.c); it is parsed and
 * bound again here, once per statement, and evaluated per row (so now()
 * and nextval-like defaults would be per statement/row as in PostgreSQL).
 *
 * Invariants:
 *   1. Errors are PostgreSQL's with its positions: 42P01 at the table name,
 *      42703/42701 at the target column, 42601 at the first surplus
 *      expression or target, 42804 at the expression of the wrong type.
 *   2. WITH fails with 0A000 (not yet built); ON CONFLICT is bound by sql/bind_dml.c. RETURNING is bound over the
 *      table's columns and evaluated on the rows after they are durable.
 */
#include <string.h>

#include "sql/bind_query.h"
#include "sql/copy_int.h"
#include "sql/describe.h"
#include "sql/generated.h"
#include "sql/proctime.h"
#include "sql/table.h"

/* ---- FROM t ------------------------------------------------------------------------------ */

static int
undefined_relation(BindCtx *b, const PgQuery__RangeVar *rv)
{
    bool qualified = rv->schemaname != NULL && rv->schemaname[0] != '\0';

    return bind_error(b, rv->location, ERRCODE_UNDEFINED_TABLE, "relation \"%s%s%s\" does not exist",
                      qualified ? rv->schemaname : "", qualified ? "." : "", rv->relname);
}

static int
lookup_range_var(BindCtx *b, const PgQuery__RangeVar *rv, SqlRelation **rel)
{
    int rc;

    if (rv->catalogname != NULL && rv->catalogname[0] != '\0')
        return bind_error(b, rv->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "cross-database references are not implemented: \"%s.%s.%s\"",
                          rv->catalogname, rv->schemaname, rv->relname);
    rc = sql_relation_lookup(rv->schemaname != NULL && rv->schemaname[0] != '\0' ? rv->schemaname
                                                                                  : NULL,
                             rv->relname, b->arena, rel, b->err);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return undefined_relation(b, rv);
    return 0;
}

int
bind_table_scan(BindCtx *b, const PgQuery__RangeVar *rv, PlanNode **out, const char ***names,
                const char **relname)
{
    SqlRelation *rel;
    PlanNode *p;
    int rc = describe_catalog_scan(b, rv, out, names, relname); /* pg_class ...: pg_catalog.c */

    if (rc != 0)
        return rc < 0 ? -1 : 0;
    if (lookup_range_var(b, rv, &rel) < 0)
        return -1;
    if (rel->kind == SQL_REL_VIEW)
        return bind_view_expand(b, rv, rel, out, names, relname); /* sql/bind_view.c */
    p = plan_new(b->arena, PLAN_SCAN, NULL, rel->ncols);
    p->u.scan.relid = rel->id;
    p->u.scan.relname = rel->name;
    p->u.scan.in_view = b->view_depth > 0;
    *names = arena_alloc(b->arena, sizeof(char *) * (size_t)(rel->ncols ? rel->ncols : 1));
    for (int c = 0; c < rel->ncols; c++) {
        p->types[c] = rel->cols[c].type;
        p->typmods[c] = rel->cols[c].typmod;
        (*names)[c] = rel->cols[c].name;
    }
    *relname = rv->alias != NULL ? rv->alias->aliasname : rel->name;
    *out = p;
    return 0;
}

/* ---- assignment ----------------------------------------------------------------------------- */

/* transformAssignedExpr: coerce e to the column's type and typmod. */
static int
assign(BindCtx *b, Expr **e, const SqlRelColumn *col)
{
    Oid src = (*e)->type;
    int location = (*e)->location;
    int rc = bind_coerce(b, e, col->type, COERCION_ASSIGNMENT, location);

    if (rc > 0) {
        bind_error(b, location, ERRCODE_DATATYPE_MISMATCH,
                   "column \"%s\" is of type %s but expression is of type %s", col->name,
                   type_sql_name(col->type), type_sql_name(src));
        err_hint(b->err, "You will need to rewrite or cast the expression.");
        return -1;
    }
    if (rc < 0)
        return -1;
    return bind_coerce_typmod(b, e, col->typmod, false, location);
}

/* The column's default, bound from its stored text; a NULL constant when it has none. */
Expr *
bind_column_default(BindCtx *b, const SqlRelColumn *col)
{
    SqlScript *script;
    const Node *n;
    BindCtx sub;
    Expr *e = NULL;
    int start, len;

    col = proctime_default_column(b, col); /* AS PROCTIME(): the time it is written */
    if (col->default_expr == NULL) {
        e = expr_const(b->arena, col->type, 0, true, -1);
        e->typmod = col->typmod;
        return e;
    }
    if (sql_script_parse(b->session, arena_sprintf(b->arena, "SELECT %s", col->default_expr),
                         &script, b->err) < 0)
        return NULL;
    n = sql_script_count(script) == 1 ? parse_statement(script, 0, &start, &len) : NULL;
    sub = *b;
    sub.text = script->text;
    sub.scope = NULL;
    if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
        n->select_stmt->n_target_list != 1)
        ERR_RAISE(b->err, ERRCODE_DATA_CORRUPTED, "the default of column \"%s\" is malformed",
                  col->name);
    else if ((e = bind_expr(&sub, n->select_stmt->target_list[0]->res_target->val)) != NULL &&
             assign(&sub, &e, col) < 0)
        e = NULL;
    sql_script_destroy(script);
    if (e == NULL)
        err_position(b->err, 0); /* a position in the stored text would mislead */
    return e;
}

/* For COPY FROM (sql/copy_int.h). */
Expr *
bind_default_expr(BindCtx *b, const SqlRelColumn *col)
{
    return bind_column_default(b, col);
}

/* ---- target columns (checkInsertTargets) -------------------------------------------------- */

typedef struct Targets {
    int n;
    int *cols;      /* table column of each target */
    int *locations; /* byte offsets of explicitly named targets, -1 otherwise */
} Targets;

static int
insert_targets(BindCtx *b, const PgQuery__InsertStmt *is, const SqlRelation *rel, Targets *t)
{
    int n = is->n_cols > 0 ? (int)is->n_cols : rel->ncols;

    t->n = n;
    t->cols = arena_alloc(b->arena, sizeof(int) * (size_t)(n ? n : 1));
    t->locations = arena_alloc(b->arena, sizeof(int) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        const PgQuery__ResTarget *rt;
        int c;

        t->cols[i] = i;
        t->locations[i] = -1;
        if (is->n_cols == 0)
            continue;
        rt = is->cols[i]->res_target;
        for (c = 0; c < rel->ncols && strcmp(rel->cols[c].name, rt->name) != 0; c++)
            ;
        if (c == rel->ncols)
            return bind_error(b, rt->location, ERRCODE_UNDEFINED_COLUMN,
                              "column \"%s\" of relation \"%s\" does not exist", rt->name,
                              rel->name);
        if (rt->n_indirection > 0)
            return bind_error(b, rt->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "assignment to subscripts or fields is not supported yet");
        for (int j = 0; j < i; j++) {
            if (t->cols[j] == c)
                return bind_error(b, rt->location, ERRCODE_DUPLICATE_COLUMN,
                                  "column \"%s\" specified more than once", rt->name);
        }
        t->cols[i] = c;
        t->locations[i] = rt->location;
    }
    return 0;
}

/* transformInsertRow's count checks: nexprs expressions for t->n targets. */
static int
check_counts(BindCtx *b, const Targets *t, int nexprs, int extra_location, bool explicit_cols)
{
    if (nexprs > t->n)
        return bind_error(b, extra_location, ERRCODE_SYNTAX_ERROR,
                          "INSERT has more expressions than target columns");
    if (nexprs < t->n && explicit_cols)
        return bind_error(b, t->locations[nexprs], ERRCODE_SYNTAX_ERROR,
                          "INSERT has more target columns than expressions");
    return 0;
}

/* ---- the row source ------------------------------------------------------------------------ */

static PlanNode *
table_node(BindCtx *b, PlanKind kind, PlanNode *input, const SqlRelation *rel)
{
    PlanNode *p = plan_new(b->arena, kind, input, rel->ncols);

    for (int c = 0; c < rel->ncols; c++) {
        p->types[c] = rel->cols[c].type;
        p->typmods[c] = rel->cols[c].typmod;
    }
    return p;
}

/* Fills row[] (table order): targets from exprs, the rest from defaults. */
static int
fill_defaults(BindCtx *b, const SqlRelation *rel, Expr **row, Expr **defaults)
{
    for (int c = 0; c < rel->ncols; c++) {
        if (row[c] != NULL)
            continue;
        if (defaults[c] == NULL && (defaults[c] = bind_column_default(b, &rel->cols[c])) == NULL)
            return -1;
        row[c] = defaults[c];
    }
    return 0;
}

static const PgQuery__List *
row_list(const Node *n)
{
    return n != NULL && n->node_case == PG_QUERY__NODE__NODE_LIST ? n->list : NULL;
}

static bool
plain_values(const PgQuery__SelectStmt *sel)
{
    return sel->n_values_lists > 0 && sel->n_sort_clause == 0 && sel->limit_count == NULL &&
           sel->limit_offset == NULL && sel->with_clause == NULL;
}

/* Where a VALUES item starts: a DEFAULT's own location, else the bound expression's. */
static int
item_location(const Node *raw, const Expr *bound)
{
    if (raw->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT)
        return raw->set_to_default->location;
    return bound != NULL ? bound->location : -1;
}

/* A multi-row VALUES: every list as long as the first (checked before the target count). */
static int
values_lengths(BindCtx *b, const PgQuery__SelectStmt *sel)
{
    size_t first;

    if (sel == NULL || sel->n_values_lists < 2)
        return 0;
    first = row_list(sel->values_lists[0]) != NULL ? row_list(sel->values_lists[0])->n_items : 0;
    for (size_t r = 1; r < sel->n_values_lists; r++) {
        const PgQuery__List *l = row_list(sel->values_lists[r]);
        int location = -1;
        Expr *e;

        if (l == NULL || l->n_items == first)
            continue;
        if (l->n_items > 0 && l->items[0]->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT)
            location = l->items[0]->set_to_default->location;
        else if (l->n_items > 0 && (e = bind_expr(b, l->items[0])) != NULL)
            location = e->location;
        else if (l->n_items > 0)
            return -1;
        return bind_error(b, location, ERRCODE_SYNTAX_ERROR,
                          "VALUES lists must all be the same length");
    }
    return 0;
}

/*
 * A value other than DEFAULT for a generated column (sql/generated.h): 428C9, checked after every
 * row is bound, as PostgreSQL's rewriter does after parse analysis.
 */
static int
check_generated_values(BindCtx *b, const PgQuery__SelectStmt *sel, const SqlRelation *rel,
                       const Targets *t)
{
    for (int i = 0; i < t->n; i++) {
        for (size_t r = 0; sel != NULL && r < sel->n_values_lists; r++) {
            const PgQuery__List *l = row_list(sel->values_lists[r]);

            if (l != NULL && (size_t)i < l->n_items &&
                l->items[i]->node_case != PG_QUERY__NODE__NODE_SET_TO_DEFAULT &&
                generated_check_insert_target(b, &rel->cols[t->cols[i]]) < 0)
                return -1;
        }
    }
    return 0;
}

static int
bind_insert_values(BindCtx *b, const PgQuery__InsertStmt *is, const PgQuery__SelectStmt *sel,
                   const SqlRelation *rel, const Targets *t, PlanNode **out)
{
    int nrows = sel != NULL ? (int)sel->n_values_lists : 1;
    PlanNode *p = table_node(b, PLAN_VALUES, NULL, rel);
    Expr **defaults = arena_calloc(b->arena, (size_t)(rel->ncols ? rel->ncols : 1), sizeof(Expr *));

    if (values_lengths(b, sel) < 0)
        return -1;
    p->u.values.nrows = nrows;
    p->u.values.rows = arena_alloc(b->arena, sizeof(Expr **) * (size_t)nrows);
    for (int r = 0; r < nrows; r++) {
        const PgQuery__List *l = sel != NULL ? row_list(sel->values_lists[r]) : NULL;
        int n = l != NULL ? (int)l->n_items : 0;
        Expr **row = arena_calloc(b->arena, (size_t)(rel->ncols ? rel->ncols : 1), sizeof(Expr *));
        Expr **exprs = arena_calloc(b->arena, (size_t)(n ? n : 1), sizeof(Expr *));

        for (int i = 0; i < n; i++) {
            if (l->items[i]->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT)
                continue; /* filled below */
            if ((exprs[i] = bind_expr(b, l->items[i])) == NULL)
                return -1;
        }
        if (check_counts(b, t, n, n > t->n ? item_location(l->items[t->n], exprs[t->n]) : -1,
                         is->n_cols > 0) < 0)
            return -1;
        for (int i = 0; i < n; i++) {
            if (exprs[i] != NULL && assign(b, &exprs[i], &rel->cols[t->cols[i]]) < 0)
                return -1;
            row[t->cols[i]] = exprs[i];
        }
        if (fill_defaults(b, rel, row, defaults) < 0)
            return -1;
        p->u.values.rows[r] = row;
    }
    if (check_generated_values(b, sel, rel, t) < 0)
        return -1;
    *out = p;
    return 0;
}

/* Target i of a plain SELECT when it is a string literal or NULL (no `*` shifted it). */
static const Node *
untyped_literal(const PgQuery__SelectStmt *sel, int ncols, int i)
{
    const Node *n;

    if (sel->op != PG_QUERY__SET_OPERATION__SETOP_NONE || sel->n_values_lists > 0 ||
        (int)sel->n_target_list != ncols)
        return NULL;
    n = sel->target_list[i]->res_target->val;
    if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_A_CONST)
        return NULL;
    return n->a_const->isnull || n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL ? n : NULL;
}

/*
 * An untyped $n alone in a plain SELECT's list takes its target column's type, as PostgreSQL
 * leaves it unresolved for the assignment (psycopg's None in INSERT ... SELECT %s): typed here,
 * before the SELECT is bound, which then reads it as that type. Not when a `*` shifts targets.
 */
static int
type_select_params(BindCtx *b, const PgQuery__SelectStmt *sel, const SqlRelation *rel,
                   const Targets *t)
{
    if (sel->op != PG_QUERY__SET_OPERATION__SETOP_NONE || sel->n_values_lists > 0)
        return 0;
    for (size_t i = 0; i < sel->n_target_list; i++) {
        const Node *n = sel->target_list[i]->res_target->val;

        if (n != NULL && n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
            n->column_ref->n_fields > 0 &&
            n->column_ref->fields[n->column_ref->n_fields - 1]->node_case ==
                PG_QUERY__NODE__NODE_A_STAR)
            return 0;
    }
    for (size_t i = 0; i < sel->n_target_list && (int)i < t->n; i++) {
        const Node *n = sel->target_list[i]->res_target->val;
        Expr *e;

        if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_PARAM_REF ||
            (n->param_ref->number >= 1 && n->param_ref->number <= b->nparams &&
             b->param_types[n->param_ref->number - 1] != TYPE_UNKNOWN))
            continue;
        if ((e = bind_expr(b, n)) == NULL || assign(b, &e, &rel->cols[t->cols[i]]) < 0)
            return -1;
    }
    return 0;
}

static int
bind_insert_select(BindCtx *b, const PgQuery__InsertStmt *is, const PgQuery__SelectStmt *sel,
                   const SqlRelation *rel, const Targets *t, PlanNode **out)
{
    SqlStatement sub = {0};
    Expr **defaults = arena_calloc(b->arena, (size_t)(rel->ncols ? rel->ncols : 1), sizeof(Expr *));
    PlanNode *p;
    Expr **row;
    int extra;

    sub.arena = b->arena;
    if (type_select_params(b, sel, rel, t) < 0 || bind_query_select(b, &sub, sel) < 0)
        return -1;
    extra = sub.ncols > t->n && (size_t)t->n < sel->n_target_list
                ? sel->target_list[t->n]->res_target->location
                : -1;
    if (check_counts(b, t, sub.ncols, extra, is->n_cols > 0) < 0)
        return -1;
    p = table_node(b, PLAN_PROJECT, sub.plan, rel);
    row = arena_calloc(b->arena, (size_t)(rel->ncols ? rel->ncols : 1), sizeof(Expr *));
    for (int i = 0; i < sub.ncols; i++) {
        const Node *raw = untyped_literal(sel, sub.ncols, i);
        Expr *e;

        if (raw != NULL) {
            /* PostgreSQL leaves the SELECT's unknown literals unresolved for the target
               (p_resolve_unknowns = false): '7' and NULL go into an int column. A
               literal is the same on every row, so it can be taken here directly. */
            if ((e = bind_expr(b, raw)) == NULL)
                return -1;
        } else {
            e = expr_new(b->arena, EXPR_COLUMN, sub.cols[i].type_oid, -1);
            e->u.column = i;
            e->typmod = sub.cols[i].typmod;
        }
        if (assign(b, &e, &rel->cols[t->cols[i]]) < 0)
            return -1;
        row[t->cols[i]] = e;
    }
    for (int i = 0; i < sub.ncols; i++) { /* after the analysis, as PostgreSQL's rewriter */
        if (generated_check_insert_target(b, &rel->cols[t->cols[i]]) < 0)
            return -1;
    }
    if (fill_defaults(b, rel, row, defaults) < 0)
        return -1;
    p->u.exprs = row;
    *out = p;
    return 0;
}

/* RETURNING: expressions over the inserted row, named as a select list is. */
static int
bind_returning(BindCtx *b, SqlStatement *st, const PgQuery__InsertStmt *is, const SqlRelation *rel)
{
    TableStmt *ts = st->table;
    int n = rel->ncols ? rel->ncols : 1;
    const char **colnames = arena_alloc(b->arena, sizeof(char *) * (size_t)n), **names;
    Oid *types = arena_alloc(b->arena, sizeof(Oid) * (size_t)n);
    int32_t *typmods = arena_alloc(b->arena, sizeof(int32_t) * (size_t)n);
    const char *relname = is->relation->alias != NULL ? is->relation->alias->aliasname : rel->name;

    for (int c = 0; c < rel->ncols; c++) {
        colnames[c] = rel->cols[c].name;
        types[c] = rel->cols[c].type;
        typmods[c] = rel->cols[c].typmod;
    }
    if (bind_query_returning(b, relname, rel->ncols, colnames, types, typmods,
                             is->returning_list, is->n_returning_list, &ts->returning, &names,
                             &ts->nreturning) < 0)
        return -1;
    st->ncols = ts->nreturning;
    st->cols = arena_calloc(b->arena, (size_t)(st->ncols ? st->ncols : 1), sizeof(SqlColumn));
    for (int i = 0; i < st->ncols; i++) {
        const TypeInfo *t = type_by_oid(ts->returning[i]->type);

        st->cols[i].name = arena_strdup(b->arena, names[i]);
        st->cols[i].type_oid = ts->returning[i]->type;
        st->cols[i].typmod = ts->returning[i]->typmod;
        st->cols[i].typlen = t != NULL ? t->typlen : -1;
        describe_row_origin(ts->returning[i], rel, &st->cols[i].table_oid, &st->cols[i].attnum);
    }
    return 0;
}

int
bind_insert(BindCtx *b, SqlStatement *st, const PgQuery__InsertStmt *is)
{
    TableStmt *ts = arena_calloc(b->arena, 1, sizeof *ts);
    const PgQuery__SelectStmt *sel = NULL;
    SqlRelation *rel;
    Targets t;

    st->kind = STMT_INSERT;
    st->tag = "INSERT";
    st->table = ts;
    if (is->with_clause != NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "WITH is not supported yet");
    if (lookup_range_var(b, is->relation, &rel) < 0)
        return -1;
    if (rel->kind == SQL_REL_VIEW)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "cannot insert into view \"%s\"",
                          rel->name);
    if (rel->kind == SQL_REL_MATVIEW || rel->kind == SQL_REL_SYSTEM)
        return bind_error(b, -1, ERRCODE_WRONG_OBJECT_TYPE, "cannot change %s \"%s\"",
                          rel->kind == SQL_REL_MATVIEW ? "materialized view" : "system view",
                          rel->name);
    if (insert_targets(b, is, rel, &t) < 0)
        return -1;
    if (is->on_conflict_clause != NULL && bind_on_conflict(b, ts, is, rel) < 0)
        return -1; /* sql/bind_dml.c */
    if (is->select_stmt != NULL) {
        if (is->select_stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
            return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "this INSERT source is not supported yet");
        sel = is->select_stmt->select_stmt;
    }
    ts->relid = rel->id;
    ts->target = rel;
    if ((sel == NULL || plain_values(sel) ? bind_insert_values(b, is, sel, rel, &t, &ts->plan)
                                          : bind_insert_select(b, is, sel, rel, &t, &ts->plan)) < 0)
        return -1;
    if (generated_wrap_plan(b, rel, &ts->plan) < 0) /* sql/generated.c */
        return -1;
    return is->n_returning_list > 0 ? bind_returning(b, st, is, rel) : 0;
}
