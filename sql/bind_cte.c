/*
 * sql/bind_cte.c — non-recursive WITH queries (common table expressions),
 * PostgreSQL's transformWithClause / analyzeCTE for SELECT queries.
 *
 * A WITH clause registers its queries, in order, in BindCtx.ctes (a list,
 * innermost and latest first), binds the rest of its query level, and
 * unregisters them. Each query is bound once where it is defined (so an
 * unreferenced one still reports its errors, as in PostgreSQL) and sees
 * only the WITH queries before it and those of enclosing levels. A FROM
 * item naming one becomes that query's plan, like a subquery in FROM: the
 * first reference takes the plan bound at the definition, every further
 * reference binds the query again, because the dataflow is a tree and each
 * reference gets its own operators (and state). MATERIALIZED / NOT
 * MATERIALIZED are hints PostgreSQL may ignore, and so does Rivulet.
 *
 * Invariants:
 *   1. A WITH query's plan is bound with BindCtx.ctes as it was where the
 *      query was defined (its own entry excluded): no recursion, and a
 *      later WITH query is never visible to an earlier one.
 *   2. An unqualified table name matches a WITH query before any stored
 *      relation; a schema-qualified one never does.
 *   3. WITH RECURSIVE and data-modifying WITH queries fail with 0A000.
 */
#include <string.h>

#include "sql/bind_setop.h"
#include "sql/table.h"

struct CteEntry {
    const char *name;
    const PgQuery__CommonTableExpr *cte;
    struct CteEntry *next;    /* the WITH queries defined before this one */
    bool is_defined;          /* false while its own query and earlier ones are bound */
    struct QueryScope *scope; /* the enclosing query's columns where it is defined */
    int ncols;
    const char **names;
    PlanNode *plan; /* bound at the definition; NULL once a reference took it */
};

typedef struct CteEntry CteEntry;

/*
 * Binds query as a subquery with ctes visible. It sees the columns its definition could see
 * (an enclosing query's, for a WITH inside a subquery expression), never those of the FROM
 * clause that references it.
 */
static int
bind_cte_query(BindCtx *b, const PgQuery__SelectStmt *query, CteEntry *ctes,
               struct QueryScope *scope, PlanNode **out, const char ***names)
{
    struct QueryScope *saved_scope = b->scope;
    CteEntry *saved = b->ctes;
    int nvisible, rc;

    b->scope = scope;
    b->ctes = ctes;
    rc = bind_query_plan(b, query, out, &nvisible, names, false);
    b->ctes = saved;
    b->scope = saved_scope;
    return rc;
}

/* Registers a WITH query of the level (not yet visible: see lookup()). */
static int
declare_cte(BindCtx *b, const Node *n, CteEntry *level_start)
{
    const PgQuery__CommonTableExpr *cte =
        n != NULL && n->node_case == PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR ? n->common_table_expr
                                                                            : NULL;
    CteEntry *e;

    if (cte == NULL)
        return bind_error(b, -1, ERRCODE_SYNTAX_ERROR, "malformed WITH clause");
    for (e = b->ctes; e != level_start; e = e->next) {
        if (strcmp(e->name, cte->ctename) == 0)
            return bind_error(b, cte->location, ERRCODE_DUPLICATE_ALIAS,
                              "WITH query name \"%s\" specified more than once", cte->ctename);
    }
    e = arena_calloc(b->arena, 1, sizeof *e);
    e->name = arena_strdup(b->arena, cte->ctename);
    e->cte = cte;
    e->next = b->ctes;
    b->ctes = e;
    return 0;
}

/* Binds a declared WITH query where it is defined; it becomes visible. */
static int
define_cte(BindCtx *b, CteEntry *e)
{
    const PgQuery__CommonTableExpr *cte = e->cte;
    const Node *q = cte->ctequery;
    const char **names;
    int given = (int)cte->n_aliascolnames;

    if (q == NULL || q->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
        return bind_error(b, cte->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "data-modifying statements in WITH are not supported yet");
    /* with all of the level declared, a reference to a later one is recognised (lookup) */
    e->scope = b->scope;
    if (bind_cte_query(b, q->select_stmt, b->ctes, e->scope, &e->plan, &names) < 0)
        return -1;
    e->ncols = e->plan->ncols;
    if (given > e->ncols)
        return bind_error(b, cte->location, ERRCODE_INVALID_COLUMN_REFERENCE,
                          "WITH query \"%s\" has %d columns available but %d columns specified",
                          cte->ctename, e->ncols, given);
    e->names = arena_alloc(b->arena, sizeof(char *) * (size_t)(e->ncols ? e->ncols : 1));
    for (int i = 0; i < e->ncols; i++) {
        const char *alias = i < given ? bind_node_str(cte->aliascolnames[i]) : NULL;

        e->names[i] = alias != NULL ? arena_strdup(b->arena, alias) : names[i];
    }
    e->is_defined = true;
    return 0;
}

int
bind_with_select(BindCtx *b, const PgQuery__SelectStmt *sel, PlanNode **out, int *nvisible,
                 const char ***names, bool is_top)
{
    const PgQuery__WithClause *with = sel->with_clause;
    PgQuery__SelectStmt body = *sel;
    CteEntry *saved = b->ctes;
    int rc = 0;

    if (with != NULL && with->recursive)
        return bind_error(b, with->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "WITH RECURSIVE is not supported yet");
    /* as transformWithClause: every name first (duplicates), then each query in order */
    for (size_t i = 0; with != NULL && i < with->n_ctes && rc == 0; i++)
        rc = declare_cte(b, with->ctes[i], saved);
    for (size_t i = 0; with != NULL && i < with->n_ctes && rc == 0; i++) {
        CteEntry *e = b->ctes;

        for (size_t k = i + 1; k < with->n_ctes; k++) /* the i-th declared */
            e = e->next;
        rc = define_cte(b, e);
    }
    body.with_clause = NULL;
    if (rc == 0)
        rc = body.op != PG_QUERY__SET_OPERATION__SETOP_NONE
                 ? bind_setop_select(b, &body, out, nvisible, names, is_top)
                 : bind_query_plan(b, &body, out, nvisible, names, is_top);
    b->ctes = saved;
    return rc;
}

int
bind_cte_ref(BindCtx *b, const PgQuery__RangeVar *rv, PlanNode **out, const char ***names,
             const char **relname)
{
    CteEntry *e, *future = NULL;
    const char **ignored;

    if ((rv->schemaname != NULL && rv->schemaname[0] != '\0') ||
        (rv->catalogname != NULL && rv->catalogname[0] != '\0'))
        return 0;
    for (e = b->ctes; e != NULL; e = e->next) {
        if (strcmp(e->name, rv->relname) != 0)
            continue;
        if (e->is_defined)
            break;
        future = future != NULL ? future : e; /* itself or a later one: not visible */
    }
    if (e == NULL && future != NULL) {
        /* a table of that name is used; else PostgreSQL's error says why the WITH query is not */
        if (bind_table_scan(b, rv, out, names, relname) == 0)
            return 1;
        if (strcmp(b->err->sqlstate, ERRCODE_UNDEFINED_TABLE) == 0) {
            err_detail(b->err,
                       "There is a WITH item named \"%s\", but it cannot be referenced from this "
                       "part of the query.",
                       rv->relname);
            err_hint(
                b->err,
                "Use WITH RECURSIVE, or re-order the WITH items to remove forward references.");
        }
        return -1;
    }
    if (e == NULL)
        return 0;
    if (e->plan != NULL) {
        *out = e->plan;
        e->plan = NULL;
    } else if (bind_cte_query(b, e->cte->ctequery->select_stmt, e->next, e->scope, out, &ignored) <
               0) {
        return -1;
    }
    *names = e->names;
    *relname = rv->alias != NULL ? rv->alias->aliasname : e->name;
    return 1;
}
