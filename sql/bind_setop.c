/*
 * sql/bind_setop.c — UNION, INTERSECT and EXCEPT [ALL] → SetOp plan nodes
 * (PostgreSQL's transformSetOperationStmt / transformSetOperationTree).
 *
 * The parse tree of a set operation is a binary tree of SelectStmts; a
 * leaf is a plain SELECT or VALUES (or a parenthesised set operation with
 * its own ORDER BY / LIMIT / WITH, which is bound as a whole subquery). A
 * leaf is bound as a subquery would be; then, bottom-up, each operation
 * resolves every column position to the common type of its two sides
 * (select_common_type) and coerces the sides to it:
 *
 *   - an untyped literal ('x' or NULL) in a leaf's select list stays
 *     "unknown" until its column's type is decided, and is then re-coerced
 *     as a literal: SELECT 1 UNION SELECT 'a' fails on the input "a", and
 *     SELECT NULL UNION SELECT 1 is integer. Two unknowns give text.
 *   - any other side whose type differs gets a Project of casts on top.
 *   - the typmod is kept only when both sides have the same type and
 *     typmod; column names come from the leftmost leaf.
 *
 * ORDER BY on the whole may name result columns or their positions only
 * (0A000 for expressions, as PostgreSQL); LIMIT/OFFSET apply to the whole.
 *
 *   Limit ─▶ Sort ─▶ SetOp ─┬─▶ left  (maybe Project of casts) ─▶ leaf or SetOp
 *                           └─▶ right (maybe Project of casts) ─▶ leaf or SetOp
 *
 * Invariants:
 *   1. Both inputs of a SetOp node have exactly its column types, so the
 *      operator compares rows column by column with one TypeOrder each.
 *   2. A SetOp other than UNION ALL has a TypeOrder (equality) for every
 *      column; 42883 otherwise, as PostgreSQL fails to find one.
 *   3. Errors carry PostgreSQL's positions: the column count error points
 *      at the right side's first column, a type clash at the clashing one.
 */
#include <string.h>

#include "sql/bind_setop.h"

/* One side of a set operation while its column types are being resolved. */
typedef struct Branch {
    PlanNode *plan;
    int ncols;
    const char **names;
    Oid *types; /* TYPE_UNKNOWN: an untyped literal of a leaf */
    int32_t *typmods;
    int *locations;        /* per column, -1: none */
    const Node **literals; /* per column: the raw literal behind an unknown column */
} Branch;

static const char *
setop_name(PgQuery__SetOperation op)
{
    return op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT ? "INTERSECT"
           : op == PG_QUERY__SET_OPERATION__SETOP_EXCEPT  ? "EXCEPT"
                                                          : "UNION";
}

/* The location of the expression computing column c of p, when it is easy to find. */
static int
column_location(const PlanNode *p, int c)
{
    const Expr *e;

    while (p != NULL) {
        switch (p->kind) {
        case PLAN_PROJECT:
            e = p->u.exprs[c];
            if (e->kind == EXPR_COLUMN && e->location < 0) { /* a pass-through column */
                c = e->u.column;
                p = p->input;
                continue;
            }
            return e->location;
        case PLAN_VALUES: /* a VALUES leaf: PostgreSQL's Var over it has no location */
            return -1;
        case PLAN_SORT:
        case PLAN_LIMIT:
        case PLAN_FILTER:
        case PLAN_TEMPORAL_FILTER:
        case PLAN_SETOP:
            p = p->input;
            continue;
        case PLAN_AGG:
            if (c >= p->u.agg.nkeys)
                return -1;
            e = p->u.agg.keys[c];
            if (e->kind == EXPR_COLUMN && e->location < 0) {
                c = e->u.column;
                p = p->input;
                continue;
            }
            return e->location;
        default:
            return -1;
        }
    }
    return -1;
}

/* The number of Param nodes for parameter index `param` made since node `from`. */
static int
param_uses(const BindCtx *b, int from, int param)
{
    int n = 0;

    for (int i = from; i < b->nparam_nodes; i++)
        n += b->param_nodes[i]->u.param == param;
    return n;
}

/* Is raw target n a $k whose type nothing had decided before the leaf was bound? */
static bool
is_untyped_param(const Node *n, int nparams, const Oid *types)
{
    int k;

    if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_PARAM_REF)
        return false;
    k = n->param_ref->number;
    return k >= 1 && (k > nparams || types[k - 1] == TYPE_UNKNOWN);
}

/*
 * Column c of a plain SELECT leaf when its target is untyped: a string literal, NULL, or a $n
 * used only there whose type was unknown before the leaf (the leaf resolved it to text; the
 * set operation decides again, as PostgreSQL leaves such a target unknown). The raw target is
 * found by the location of the bound expression (a `*` may have shifted the columns).
 */
static const Node *
untyped_literal(const BindCtx *b, const PgQuery__SelectStmt *sel, const PlanNode *p, int c,
                const bool *param_was_unknown, int nodes_before)
{
    const Expr *e = p->kind == PLAN_PROJECT ? p->u.exprs[c] : NULL;

    if (sel->op != PG_QUERY__SET_OPERATION__SETOP_NONE || sel->n_values_lists > 0 || e == NULL ||
        e->location < 0 || (e->kind != EXPR_CONST && e->kind != EXPR_PARAM))
        return NULL;
    for (size_t i = 0; i < sel->n_target_list; i++) {
        const Node *n = sel->target_list[i]->res_target->val;

        if (n == NULL)
            continue;
        if (e->kind == EXPR_PARAM && n->node_case == PG_QUERY__NODE__NODE_PARAM_REF &&
            n->param_ref->location == e->location)
            return param_was_unknown[i] && e->type == TYPE_TEXT &&
                           param_uses(b, nodes_before, e->u.param) == 1
                       ? n
                       : NULL;
        if (e->kind == EXPR_CONST && n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
            n->a_const->location == e->location)
            return n->a_const->isnull || n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL
                       ? n
                       : NULL;
    }
    return NULL;
}

static void
branch_alloc(BindCtx *b, Branch *br, PlanNode *p)
{
    size_t n = (size_t)(p->ncols ? p->ncols : 1);

    br->plan = p;
    br->ncols = p->ncols;
    br->types = arena_alloc(b->arena, sizeof(Oid) * n);
    br->typmods = arena_alloc(b->arena, sizeof(int32_t) * n);
    br->locations = arena_alloc(b->arena, sizeof(int) * n);
    br->literals = arena_calloc(b->arena, n, sizeof(Node *));
}

/* A leaf: bound as a subquery of its own. */
static int
bind_leaf(BindCtx *b, const PgQuery__SelectStmt *sel, Branch *out)
{
    PlanNode *p;
    int nvisible, nodes_before = b->nparam_nodes;
    bool *unknown_param = arena_calloc(b->arena, sel->n_target_list + 1, sizeof(bool));

    for (size_t i = 0; i < sel->n_target_list; i++)
        unknown_param[i] =
            is_untyped_param(sel->target_list[i]->res_target->val, b->nparams, b->param_types);
    /* b->scope is the enclosing query's (NULL but in a subquery expression): bind_query_plan
       gives the leaf its own scope */
    if (bind_query_plan(b, sel, &p, &nvisible, &out->names, false) < 0)
        return -1;
    branch_alloc(b, out, p);
    for (int c = 0; c < p->ncols; c++) {
        out->types[c] = p->types[c];
        out->typmods[c] = p->typmods[c];
        out->locations[c] = column_location(p, c);
        if ((out->literals[c] = untyped_literal(b, sel, p, c, unknown_param, nodes_before)) !=
            NULL) {
            out->types[c] = TYPE_UNKNOWN;
            out->typmods[c] = -1;
        }
    }
    return 0;
}

/* Coerces column c of one side to type: a literal is re-bound, anything else cast above. */
static int
coerce_side(BindCtx *b, Branch *br, int c, Oid type, const char *context, Expr **casts,
            bool *need_casts)
{
    Expr *e = NULL;
    int rc;

    if (br->literals[c] != NULL) {
        if (br->plan->u.exprs[c]->kind == EXPR_PARAM) {
            e = br->plan->u.exprs[c]; /* its only Param node: undo the leaf's text */
            e->type = TYPE_UNKNOWN;
            b->param_types[e->u.param] = TYPE_UNKNOWN;
        } else {
            e = bind_expr(b, br->literals[c]); /* a literal: no scope needed */
        }
        if (e == NULL || bind_coerce(b, &e, type, COERCION_IMPLICIT, br->locations[c]) < 0)
            return -1;
        br->plan->u.exprs[c] = e; /* the leaf's own Project, made for this statement */
        br->plan->types[c] = type;
        br->plan->typmods[c] = e->typmod;
        br->types[c] = type;
        br->typmods[c] = e->typmod;
        br->literals[c] = NULL;
    }
    e = expr_new(b->arena, EXPR_COLUMN, br->plan->types[c], br->locations[c]);
    e->u.column = c;
    e->typmod = br->plan->typmods[c];
    if (br->plan->types[c] != type) {
        rc = bind_coerce(b, &e, type, COERCION_IMPLICIT, br->locations[c]);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return bind_error(b, br->locations[c], ERRCODE_CANNOT_COERCE,
                              "%s could not convert type %s to %s", context,
                              type_sql_name(br->plan->types[c]), type_sql_name(type));
        *need_casts = true;
    }
    e->location = -1; /* a pass-through column for column_location */
    casts[c] = e;
    return 0;
}

/* Puts a Project of casts above a side whose column types differ from types. */
static PlanNode *
cast_side(BindCtx *b, Branch *br, Expr **casts, bool need_casts)
{
    PlanNode *p;

    if (!need_casts)
        return br->plan;
    p = plan_new(b->arena, PLAN_PROJECT, br->plan, br->ncols);
    p->u.exprs = casts;
    for (int c = 0; c < br->ncols; c++) {
        p->types[c] = casts[c]->type;
        p->typmods[c] = casts[c]->typmod;
    }
    return p;
}

static int bind_tree(BindCtx *b, const PgQuery__SelectStmt *sel, Branch *out);

/* Resolves column c of l and r to its common type; fills node column c. */
static int
resolve_column(BindCtx *b, const char *context, Branch *l, Branch *r, int c, PlanNode *node,
               Expr **lcasts, Expr **rcasts, bool *lneed, bool *rneed, int *location)
{
    Oid types[2] = {l->types[c], r->types[c]}, common;
    int bad = -1;
    bool same;

    common = resolve_common_type(2, types, &bad);
    if (common == TYPE_INVALID)
        return bind_error(b, (bad == 0 ? l : r)->locations[c], ERRCODE_DATATYPE_MISMATCH,
                          "%s types %s and %s cannot be matched", context,
                          type_sql_name(types[bad == 0 ? 1 : 0]), type_sql_name(types[bad]));
    if (common == TYPE_UNKNOWN)
        common = TYPE_TEXT; /* two untyped literals */
    same = l->types[c] == r->types[c] && l->typmods[c] == r->typmods[c];
    *location = l->types[c] == common || r->locations[c] < 0 ? l->locations[c] : r->locations[c];
    if (coerce_side(b, l, c, common, context, lcasts, lneed) < 0 ||
        coerce_side(b, r, c, common, context, rcasts, rneed) < 0)
        return -1;
    node->types[c] = common;
    node->typmods[c] = same ? l->typmods[c] : -1; /* select_common_typmod, before coercion */
    return 0;
}

static const char *
lock_name(const Node *n)
{
    switch (n->node_case == PG_QUERY__NODE__NODE_LOCKING_CLAUSE ? n->locking_clause->strength : 0) {
    case PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORKEYSHARE:
        return "FOR KEY SHARE";
    case PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORSHARE:
        return "FOR SHARE";
    case PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORNOKEYUPDATE:
        return "FOR NO KEY UPDATE";
    default:
        return "FOR UPDATE";
    }
}

static int
check_setop_clauses(BindCtx *b, const PgQuery__SelectStmt *sel)
{
    const char *what = NULL;

    if (sel->n_locking_clause > 0)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "%s is not allowed with UNION/INTERSECT/EXCEPT",
                          lock_name(sel->locking_clause[0]));
    if (sel->into_clause != NULL)
        what = "SELECT INTO";
    else if (sel->limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES)
        what = "FETCH ... WITH TIES";
    if (what != NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "%s is not supported yet", what);
    return 0;
}

/* One set operation node: both sides, then the column types. */
static int
bind_node(BindCtx *b, const PgQuery__SelectStmt *sel, Branch *out)
{
    const char *context = setop_name(sel->op);
    Branch l = {0}, r = {0};
    PlanNode *node;
    Expr **lcasts, **rcasts;
    bool lneed = false, rneed = false, is_distinct;

    if (sel->larg == NULL || sel->rarg == NULL)
        return bind_error(b, -1, ERRCODE_SYNTAX_ERROR, "malformed %s", context);
    if (bind_tree(b, sel->larg, &l) < 0 || bind_tree(b, sel->rarg, &r) < 0)
        return -1;
    if (l.ncols != r.ncols)
        return bind_error(b, r.ncols > 0 ? r.locations[0] : -1, ERRCODE_SYNTAX_ERROR,
                          "each %s query must have the same number of columns", context);
    node = plan_new(b->arena, PLAN_SETOP, NULL, l.ncols);
    branch_alloc(b, out, node);
    out->names = l.names;
    lcasts = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(l.ncols ? l.ncols : 1));
    rcasts = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(l.ncols ? l.ncols : 1));
    for (int c = 0; c < l.ncols; c++) {
        if (resolve_column(b, context, &l, &r, c, node, lcasts, rcasts, &lneed, &rneed,
                           &out->locations[c]) < 0)
            return -1;
        out->types[c] = node->types[c];
        out->typmods[c] = node->typmods[c];
    }
    node->input = cast_side(b, &l, lcasts, lneed);
    node->right = cast_side(b, &r, rcasts, rneed);
    node->u.setop.op = sel->op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT ? PLAN_SETOP_INTERSECT
                       : sel->op == PG_QUERY__SET_OPERATION__SETOP_EXCEPT  ? PLAN_SETOP_EXCEPT
                                                                           : PLAN_SETOP_UNION;
    node->u.setop.all = sel->all;
    is_distinct = !(node->u.setop.op == PLAN_SETOP_UNION && sel->all);
    if (is_distinct) {
        node->u.setop.orders = arena_calloc(b->arena, (size_t)l.ncols + 1, sizeof(TypeOrder));
        for (int c = 0; c < l.ncols; c++) {
            if (!plan_type_order(node->types[c], &node->u.setop.orders[c]))
                return bind_error(b, out->locations[c], ERRCODE_UNDEFINED_FUNCTION,
                                  "could not identify an equality operator for type %s",
                                  type_sql_name(node->types[c]));
        }
    }
    return 0;
}

/* A subtree: a set operation node, or a leaf (with its own ORDER BY/LIMIT/WITH: a subquery). */
static int
bind_tree(BindCtx *b, const PgQuery__SelectStmt *sel, Branch *out)
{
    if (sel->op == PG_QUERY__SET_OPERATION__SETOP_NONE || sel->with_clause != NULL ||
        sel->n_sort_clause > 0 || sel->limit_count != NULL || sel->limit_offset != NULL ||
        sel->n_locking_clause > 0 || sel->into_clause != NULL)
        return bind_leaf(b, sel, out);
    return bind_node(b, sel, out);
}

/* ---- ORDER BY / LIMIT on the whole ------------------------------------------------------ */

/* The leftmost position of a raw expression (exprLocation of what it would bind to). */
static int
raw_location(const Node *n)
{
    int l, r;

    if (n == NULL)
        return -1;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_EXPR:
        l = raw_location(n->a_expr->lexpr);
        r = n->a_expr->location;
        return l >= 0 && (r < 0 || l < r) ? l : r;
    case PG_QUERY__NODE__NODE_TYPE_CAST:
        l = raw_location(n->type_cast->arg);
        r = n->type_cast->location;
        return l >= 0 && (r < 0 || l < r) ? l : r;
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
        l = raw_location(n->collate_clause->arg);
        r = n->collate_clause->location;
        return l >= 0 && (r < 0 || l < r) ? l : r;
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        return n->func_call->location;
    case PG_QUERY__NODE__NODE_A_CONST:
        return n->a_const->location;
    case PG_QUERY__NODE__NODE_COLUMN_REF:
        return n->column_ref->location;
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
        return n->bool_expr->n_args > 0 ? raw_location(n->bool_expr->args[0])
                                        : n->bool_expr->location;
    case PG_QUERY__NODE__NODE_PARAM_REF:
        return n->param_ref->location;
    default:
        return -1;
    }
}

/* The result column an ORDER BY item of a set operation names (0-based), or -1 (raised). */
static int
sort_column(BindCtx *b, const Node *n, const char *const *names, int ncols)
{
    const PgQuery__ColumnRef *cr =
        n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF ? n->column_ref : NULL;
    int found = -1;

    if (n->node_case == PG_QUERY__NODE__NODE_A_CONST && !n->a_const->isnull &&
        n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
        int pos = n->a_const->ival != NULL ? n->a_const->ival->ival : 0;

        if (pos < 1 || pos > ncols)
            return bind_error(b, n->a_const->location, ERRCODE_INVALID_COLUMN_REFERENCE,
                              "ORDER BY position %d is not in select list", pos);
        return pos - 1;
    }
    if (n->node_case == PG_QUERY__NODE__NODE_A_CONST)
        return bind_error(b, n->a_const->location, ERRCODE_SYNTAX_ERROR,
                          "non-integer constant in %s", "ORDER BY");
    if (cr != NULL && cr->n_fields == 1 && bind_node_str(cr->fields[0]) != NULL) {
        const char *name = bind_node_str(cr->fields[0]);

        for (int c = 0; c < ncols; c++) {
            if (strcmp(names[c], name) != 0)
                continue;
            if (found >= 0)
                return bind_error(b, cr->location, ERRCODE_AMBIGUOUS_COLUMN,
                                  "ORDER BY \"%s\" is ambiguous", name);
            found = c;
        }
        if (found < 0)
            return bind_error(b, cr->location, ERRCODE_UNDEFINED_COLUMN,
                              "column \"%s\" does not exist", name);
        return found;
    }
    if (cr != NULL && cr->n_fields >= 2 && bind_node_str(cr->fields[0]) != NULL)
        return bind_error(b, cr->location, ERRCODE_UNDEFINED_TABLE,
                          "missing FROM-clause entry for table \"%s\"",
                          bind_node_str(cr->fields[cr->n_fields - 2]));
    bind_error(b, raw_location(n), ERRCODE_FEATURE_NOT_SUPPORTED,
               "invalid UNION/INTERSECT/EXCEPT ORDER BY clause");
    err_detail(b->err, "Only result column names can be used, not expressions or functions.");
    err_hint(b->err,
             "Add the expression/function to every SELECT, or move the UNION into a FROM clause.");
    return -1;
}

static PlanNode *
copy_shape(BindCtx *b, PlanKind kind, PlanNode *input)
{
    PlanNode *p = plan_new(b->arena, kind, input, input->ncols);

    memcpy(p->types, input->types, sizeof(Oid) * (size_t)input->ncols);
    memcpy(p->typmods, input->typmods, sizeof(int32_t) * (size_t)input->ncols);
    return p;
}

static int
bind_sort(BindCtx *b, const PgQuery__SelectStmt *sel, const Branch *br, PlanNode **plan)
{
    PlanNode *p;

    if (sel->n_sort_clause == 0)
        return 0;
    p = copy_shape(b, PLAN_SORT, *plan);
    p->u.sort.nkeys = (int)sel->n_sort_clause;
    p->u.sort.keys = arena_calloc(b->arena, sel->n_sort_clause, sizeof(SortKey));
    for (size_t i = 0; i < sel->n_sort_clause; i++) {
        const PgQuery__SortBy *sb = sel->sort_clause[i]->sort_by;
        SortKey *k = &p->u.sort.keys[i];
        int c;

        if (sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
            return bind_error(b, sb->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "ORDER BY ... USING is not supported yet");
        if ((c = sort_column(b, sb->node, br->names, br->ncols)) < 0)
            return -1;
        k->column = c;
        k->desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
        k->nulls_first =
            sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_DEFAULT ||
                    sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORT_BY_NULLS_UNDEFINED
                ? k->desc
                : sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST;
        if (!plan_type_order(p->types[c], &k->order)) {
            bind_error(b, raw_location(sb->node), ERRCODE_UNDEFINED_FUNCTION,
                       "could not identify an ordering operator for type %s",
                       type_sql_name(p->types[c]));
            err_hint(b->err, "Use an explicit ordering operator or modify the query.");
            return -1;
        }
    }
    *plan = p;
    return 0;
}

int
bind_setop_select(BindCtx *b, const PgQuery__SelectStmt *sel, PlanNode **out, int *nvisible,
                  const char ***names, bool is_top)
{
    Branch br = {0};
    Expr *limit, *offset;

    (void)is_top; /* a set operation has no resjunk columns */
    if (check_setop_clauses(b, sel) < 0 || bind_node(b, sel, &br) < 0)
        return -1;
    *out = br.plan;
    if (bind_sort(b, sel, &br, out) < 0)
        return -1;
    if (bind_limit(b, sel->limit_count, "LIMIT", &limit) < 0 ||
        bind_limit(b, sel->limit_offset, "OFFSET", &offset) < 0)
        return -1;
    if (limit != NULL || offset != NULL) {
        PlanNode *l = copy_shape(b, PLAN_LIMIT, *out);

        l->u.limit.limit = limit;
        l->u.limit.offset = offset;
        *out = l;
    }
    *nvisible = br.ncols;
    *names = br.names;
    return 0;
}
