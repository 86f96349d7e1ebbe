/*
 * sql/bind_view.c — plain (non-materialized) views: CREATE VIEW stores the
 * statement; a query naming the view binds the stored query in its place,
 * as a subquery in FROM (PostgreSQL's rewriter inlines views the same way),
 * so a view costs nothing until it is read and a materialized view over it
 * maintains the underlying query.
 *
 *   CREATE VIEW v [(cols)] AS query ─▶ bound like a SELECT (errors, column
 *       names and types) ─▶ catalog row: kind view, the statement text,
 *       depends_on = every relation and view it reads
 *   FROM v ─▶ parse the stored text ─▶ bind its query with no outer scope and
 *       no outer WITH queries ─▶ the plan stands where a scan would
 *
 * Invariants:
 *   1. A view's query sees only stored relations and other views (never
 *      the referencing query's columns or WITH queries).
 *   2. Every view a statement names directly is recorded in
 *      BindCtx.view_refs, so CREATE [MATERIALIZED] VIEW depends on it (and
 *      not on what the view reads, as in PostgreSQL's pg_depend).
 *   3. Expansion depth is bounded (views cannot be cyclic, but a chain of
 *      views could still be deep).
 */
#include <string.h>

#include "sql/bind_setop.h"
#include "sql/table.h"

#define VIEW_MAX_DEPTH 64

static void
note_view(BindCtx *b, uint64_t id)
{
    for (int i = 0; i < b->nview_refs; i++) {
        if (b->view_refs[i] == id)
            return;
    }
    if (b->nview_refs == b->view_refs_cap) {
        int cap = b->view_refs_cap ? b->view_refs_cap * 2 : 8;
        uint64_t *v = arena_alloc(b->arena, sizeof(uint64_t) * (size_t)cap);

        if (b->nview_refs > 0)
            memcpy(v, b->view_refs, sizeof(uint64_t) * (size_t)b->nview_refs);
        b->view_refs = v;
        b->view_refs_cap = cap;
    }
    b->view_refs[b->nview_refs++] = id;
}

int
bind_view_expand(BindCtx *b, const PgQuery__RangeVar *rv, const SqlRelation *rel, PlanNode **out,
                 const char ***names, const char **relname)
{
    SqlScript *script = NULL;
    const Node *n;
    const char *saved_text = b->text, **qnames;
    struct QueryScope *saved_scope = b->scope;
    struct CteEntry *saved_ctes = b->ctes;
    struct WindowScope *saved_win = b->win;
    PlanNode *plan = NULL;
    int start, len, nvisible, rc;

    if (b->view_depth >= VIEW_MAX_DEPTH)
        return bind_error(b, rv->location, ERRCODE_STATEMENT_TOO_COMPLEX,
                          "views nested more than %d deep", VIEW_MAX_DEPTH);
    if (rel->definition == NULL || sql_script_parse(b->session, rel->definition, &script,
                                                    b->err) < 0) {
        sql_script_destroy(script);
        if (b->err->sqlstate[0] == '\0')
            bind_error(b, rv->location, ERRCODE_INTERNAL_ERROR, "view \"%s\" has no definition",
                       rel->name);
        return -1;
    }
    n = sql_script_count(script) == 1 ? parse_statement(script, 0, &start, &len) : NULL;
    if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_VIEW_STMT ||
        n->view_stmt->query == NULL ||
        n->view_stmt->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
        sql_script_destroy(script);
        return bind_error(b, rv->location, ERRCODE_INTERNAL_ERROR,
                          "stored definition of view \"%s\" is not a view", rel->name);
    }
    b->text = script->text;
    b->scope = NULL;
    b->ctes = NULL;
    b->win = NULL;
    b->view_depth++;
    rc = bind_with_select(b, n->view_stmt->query->select_stmt, &plan, &nvisible, &qnames, false);
    b->view_depth--;
    b->text = saved_text;
    b->scope = saved_scope;
    b->ctes = saved_ctes;
    b->win = saved_win;
    sql_script_destroy(script);
    if (rc < 0) {
        err_context(b->err, "view \"%s\"", rel->name);
        b->err->position = 0;
        return -1;
    }
    if (plan->ncols != rel->ncols)
        return bind_error(b, rv->location, ERRCODE_INTERNAL_ERROR,
                          "view \"%s\" no longer matches its columns", rel->name);
    if (b->view_depth == 0)
        note_view(b, rel->id); /* a view it reads is the view's dependency, not ours */
    *names = arena_alloc(b->arena, sizeof(char *) * (size_t)(rel->ncols ? rel->ncols : 1));
    for (int c = 0; c < rel->ncols; c++)
        (*names)[c] = rel->cols[c].name;
    *relname = rv->alias != NULL ? rv->alias->aliasname : rel->name;
    *out = plan;
    return 0;
}

int
bind_create_view(BindCtx *b, SqlStatement *st, const PgQuery__ViewStmt *vs)
{
    const PgQuery__RangeVar *rv = vs->view;
    TableStmt *t = arena_calloc(b->arena, 1, sizeof *t);
    SqlStatement q = {0};
    SqlRelation *rel;

    st->kind = STMT_CREATE_TABLE;
    st->tag = "CREATE VIEW";
    st->table = t;
    if (rv == NULL || vs->query == NULL || vs->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "this CREATE VIEW is not supported yet");
    if (vs->replace)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "CREATE OR REPLACE VIEW is not supported yet");
    if (vs->n_options > 0 ||
        vs->with_check_option != PG_QUERY__VIEW_CHECK_OPTION__NO_CHECK_OPTION)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "view options are not supported yet");
    if (rv->relpersistence != NULL && rv->relpersistence[0] == 't')
        return bind_error(b, rv->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "temporary views are not supported yet");
    if ((rv->catalogname != NULL && rv->catalogname[0] != '\0') ||
        (rv->schemaname != NULL && rv->schemaname[0] != '\0' &&
         strcmp(rv->schemaname, "public") != 0))
        return bind_error(b, rv->location, ERRCODE_INVALID_SCHEMA_NAME,
                          "schema \"%s\" does not exist",
                          rv->schemaname != NULL && rv->schemaname[0] != '\0' ? rv->schemaname
                                                                             : rv->catalogname);
    q.arena = st->arena;
    if (bind_query_select(b, &q, vs->query->select_stmt) < 0)
        return -1;
    if (b->nparams > 0)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "views may not be defined using bound parameters");
    if (vs->n_aliases > (size_t)q.ncols)
        return bind_error(b, -1, ERRCODE_SYNTAX_ERROR,
                          "CREATE VIEW specifies more column names than columns");
    rel = arena_calloc(b->arena, 1, sizeof *rel);
    rel->name = arena_strdup(b->arena, rv->relname);
    rel->kind = SQL_REL_VIEW;
    rel->ncols = q.ncols;
    rel->cols = arena_calloc(b->arena, (size_t)(q.ncols ? q.ncols : 1), sizeof(SqlRelColumn));
    for (int i = 0; i < q.ncols; i++) {
        const char *name = q.cols[i].name;

        if ((size_t)i < vs->n_aliases && bind_node_str(vs->aliases[i]) != NULL)
            name = bind_node_str(vs->aliases[i]);
        rel->cols[i].name = arena_strdup(b->arena, name);
        rel->cols[i].type = q.cols[i].type_oid == TYPE_UNKNOWN ? TYPE_TEXT : q.cols[i].type_oid;
        rel->cols[i].typmod = q.cols[i].typmod;
        for (int j = 0; j < i; j++) {
            if (strcmp(rel->cols[j].name, rel->cols[i].name) == 0)
                return bind_error(b, -1, ERRCODE_DUPLICATE_COLUMN,
                                  "column \"%s\" specified more than once", rel->cols[i].name);
        }
    }
    if (bind_view_deps(b, q.plan, rel) < 0)
        return -1;
    t->rel = rel;
    t->definition = st->text;
    return 0;
}
