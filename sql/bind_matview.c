/*
 * sql/bind_matview.c — CREATE MATERIALIZED VIEW: the view's query is bound
 * like a SELECT (so every error and position is the one a SELECT would
 * give), then shaped into the plan the storage engine maintains
 * (stream/engine_mv.c): a top ORDER BY without LIMIT is dropped (a view is
 * a multiset; PostgreSQL does not promise the order of a matview's rows
 * either) and resjunk sort columns are projected away.
 *
 * The engine re-binds the stored statement text with sql_matview_plan() at
 * start-up and at CREATE, in its own session (settings at their defaults),
 * so the plan it runs is the one the text says, not one made in the
 * creating session.
 *
 * Invariants:
 *   1. A view's columns are exactly its plan's output columns, named by the
 *      column list (if any) and then the query's target names, no two alike.
 *   2. rel->deps lists each relation the plan scans, and each plain view the
 *      query named (sql/bind_view.c), once.
 */
#include <string.h>

#include "sql/bind_query.h"
#include "sql/table.h"

static int
add_deps(BindCtx *b, const PlanNode *p, SqlRelation *rel, int *cap)
{
    if (p == NULL)
        return 0;
    if (p->kind == PLAN_SCAN) {
        if (p->u.scan.in_view)
            return 0; /* the view is the dependency (BindCtx.view_refs) */
        for (int i = 0; i < rel->ndeps; i++) {
            if (rel->deps[i] == p->u.scan.relid)
                return 0;
        }
        if (rel->ndeps == *cap) {
            uint64_t *d = arena_alloc(b->arena, sizeof(uint64_t) * (size_t)(*cap * 2 + 4));

            if (rel->ndeps > 0)
                memcpy(d, rel->deps, sizeof(uint64_t) * (size_t)rel->ndeps);
            rel->deps = d;
            *cap = *cap * 2 + 4;
        }
        rel->deps[rel->ndeps++] = p->u.scan.relid;
        return 0;
    }
    if (add_deps(b, p->input, rel, cap) < 0)
        return -1;
    return add_deps(b, p->right, rel, cap);
}

int
bind_view_deps(BindCtx *b, const PlanNode *plan, SqlRelation *rel)
{
    int cap = 0;

    if (add_deps(b, plan, rel, &cap) < 0)
        return -1;
    for (int i = 0; i < b->nview_refs; i++) {
        bool have = false;

        for (int k = 0; k < rel->ndeps && !have; k++)
            have = rel->deps[k] == b->view_refs[i];
        if (have)
            continue;
        if (rel->ndeps == cap) {
            uint64_t *d = arena_alloc(b->arena, sizeof(uint64_t) * (size_t)(cap * 2 + 4));

            if (rel->ndeps > 0)
                memcpy(d, rel->deps, sizeof(uint64_t) * (size_t)rel->ndeps);
            rel->deps = d;
            cap = cap * 2 + 4;
        }
        rel->deps[rel->ndeps++] = b->view_refs[i];
    }
    return 0;
}

/* The plan a view maintains: no top ORDER BY without LIMIT, exactly ncols columns. */
static PlanNode *
view_plan(BindCtx *b, PlanNode *plan, int ncols)
{
    PlanNode *p;

    if (plan->kind == PLAN_SORT)
        plan = plan->input;
    if (plan->ncols == ncols)
        return plan;
    p = plan_new(b->arena, PLAN_PROJECT, plan, ncols);
    p->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(ncols + 1));
    for (int c = 0; c < ncols; c++) {
        Expr *e = expr_new(b->arena, EXPR_COLUMN, plan->types[c], -1);

        e->u.column = c;
        e->typmod = plan->typmods[c];
        p->types[c] = plan->types[c];
        p->typmods[c] = plan->typmods[c];
        p->u.exprs[c] = e;
    }
    return p;
}

int
bind_create_matview(BindCtx *b, SqlStatement *st, const PgQuery__CreateTableAsStmt *c)
{
    const PgQuery__IntoClause *into = c->into;
    const PgQuery__RangeVar *rv = into != NULL ? into->rel : NULL;
    TableStmt *t = arena_calloc(b->arena, 1, sizeof *t);
    SqlStatement q = {0};
    SqlRelation *rel;

    st->kind = STMT_CREATE_TABLE;
    st->tag = "CREATE MATERIALIZED VIEW";
    st->table = t;
    if (rv == NULL || c->query == NULL ||
        c->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "this CREATE MATERIALIZED VIEW is not supported yet");
    if ((rv->catalogname != NULL && rv->catalogname[0] != '\0') ||
        (rv->schemaname != NULL && rv->schemaname[0] != '\0' &&
         strcmp(rv->schemaname, "public") != 0))
        return bind_error(b, rv->location, ERRCODE_INVALID_SCHEMA_NAME,
                          "schema \"%s\" does not exist",
                          rv->schemaname != NULL && rv->schemaname[0] != '\0' ? rv->schemaname
                                                                             : rv->catalogname);
    if (into->skip_data)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "WITH NO DATA is not supported: a materialized view is always "
                          "maintained");
    q.arena = st->arena;
    b->temporal_ok = true; /* WHERE ts > now() - INTERVAL ...: sql/bind_temporal.c */
    if (bind_query_select(b, &q, c->query->select_stmt) < 0)
        return -1;
    if (b->time_function != NULL) {
        bind_error(b, b->time_location, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "%s is not supported in materialized views", b->time_function);
        err_detail(b->err, "Its value changes with time or from call to call, so the view "
                           "could not stay equal to its query.");
        err_hint(b->err, "Compute the value when the row is inserted (a column DEFAULT) "
                         "instead.");
        return -1;
    }
    if (b->nparams > 0)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "materialized views may not be defined using bound parameters");
    if (into->n_col_names > (size_t)q.ncols)
        return bind_error(b, -1, ERRCODE_SYNTAX_ERROR, "too many column names were specified");
    rel = arena_calloc(b->arena, 1, sizeof *rel);
    rel->name = arena_strdup(b->arena, rv->relname);
    rel->kind = SQL_REL_MATVIEW;
    rel->ncols = q.ncols;
    rel->cols = arena_calloc(b->arena, (size_t)(q.ncols ? q.ncols : 1), sizeof(SqlRelColumn));
    for (int i = 0; i < q.ncols; i++) {
        const char *name = q.cols[i].name;

        if ((size_t)i < into->n_col_names && bind_node_str(into->col_names[i]) != NULL)
            name = bind_node_str(into->col_names[i]);
        rel->cols[i].name = arena_strdup(b->arena, name);
        rel->cols[i].type = q.cols[i].type_oid;
        rel->cols[i].typmod = q.cols[i].typmod;
        for (int j = 0; j < i; j++) {
            if (strcmp(rel->cols[j].name, rel->cols[i].name) == 0)
                return bind_error(b, -1, ERRCODE_DUPLICATE_COLUMN,
                                  "column \"%s\" specified more than once", rel->cols[i].name);
        }
        if (q.cols[i].type_oid == TYPE_UNKNOWN)
            rel->cols[i].type = TYPE_TEXT;
    }
    t->plan = view_plan(b, q.plan, q.ncols);
    if (bind_view_deps(b, t->plan, rel) < 0)
        return -1;
    t->rel = rel;
    t->if_not_exists = c->if_not_exists;
    t->definition = st->text;
    return 0;
}

/*
 * REFRESH MATERIALIZED VIEW v: views are always fresh here, so it waits for the epoch that
 * applies every acknowledged write (FLUSH) — what a PostgreSQL user expects after it.
 */
int
bind_refresh_matview(BindCtx *b, SqlStatement *st, const PgQuery__RefreshMatViewStmt *r)
{
    const PgQuery__RangeVar *rv = r->relation;
    SqlRelation *rel;
    int rc;

    st->kind = STMT_FLUSH;
    st->tag = "REFRESH MATERIALIZED VIEW";
    st->table = arena_calloc(b->arena, 1, sizeof(TableStmt));
    if (rv == NULL)
        return bind_error(b, -1, ERRCODE_SYNTAX_ERROR, "REFRESH needs a materialized view");
    if (r->skip_data)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "WITH NO DATA is not supported: a materialized view is always "
                          "maintained");
    rc = sql_relation_lookup(rv->schemaname != NULL && rv->schemaname[0] != '\0' ? rv->schemaname
                                                                                 : NULL,
                             rv->relname, b->arena, &rel, b->err);
    if (rc < 0)
        return -1;
    if (rc > 0) /* PostgreSQL gives no position here */
        return bind_error(b, -1, ERRCODE_UNDEFINED_TABLE, "relation \"%s\" does not exist",
                          rv->relname);
    if (rel->kind != SQL_REL_MATVIEW)
        return bind_error(b, -1, ERRCODE_WRONG_OBJECT_TYPE, "\"%s\" is not a materialized view",
                          rel->name);
    return 0;
}

int
sql_matview_plan(SqlSession *s, const char *definition, SqlScript **script, SqlStatement **stmt,
                 const PlanNode **plan, Err *err)
{
    SqlStatement *st = NULL;

    *script = NULL;
    *stmt = NULL;
    *plan = NULL;
    if (sql_script_parse(s, definition, script, err) < 0)
        return -1;
    if (sql_script_count(*script) != 1)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "bad materialized view definition");
    if (sql_prepare_simple(s, *script, 0, &st, err) < 0)
        return -1;
    *stmt = st;
    if (st->kind != STMT_CREATE_TABLE || st->table == NULL || st->table->rel == NULL ||
        st->table->rel->kind != SQL_REL_MATVIEW || st->table->plan == NULL)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR,
                         "stored definition is not a materialized view");
    *plan = st->table->plan;
    return 0;
}

void
sql_matview_ctx(SqlSession *s, EvalCtx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->session = s;
    ctx->io = session_io(s);
}
