/*
 * sql/bind_join.c — JOIN in FROM: [INNER] / CROSS / LEFT / RIGHT / FULL
 * [OUTER] JOIN with ON, USING (cols) or NATURAL, and a join alias.
 * PostgreSQL's transformFromClauseItem for JoinExpr and transformJoinUsingClause.
 *
 * The plan of `l JOIN r` is a Join node (sql/plan.h) whose row is l's
 * columns then r's, kept where the ON condition holds, NULL-padded on the
 * preserved side of an outer join. USING (x) is the ON condition l.x = r.x
 * over the columns coerced to their common type, plus a merged column x:
 * l.x for INNER and LEFT, r.x for RIGHT, COALESCE(l.x, r.x) for FULL. A
 * merged column that is not a plain input column (FULL, or a coercion) is
 * computed by a Project above the Join, appended after the input columns.
 *
 * Scope (sql/bind_scope.h): a USING/NATURAL join, or a join with an alias,
 * adds a join relation whose column list is the merged columns, then l's
 * other columns, then r's (what `*` expands to); the input relations stay
 * visible by name (`l.x`) but not unqualified. An alias hides the input
 * relations' names too.
 *
 * Invariants:
 *   1. Column references in the ON condition are numbered over the join's
 *      own row (the scope is shifted to start at the join's first column);
 *      relations to the left of the join in the FROM list are not visible
 *      there.
 *   2. The join item produces the scope columns from its first column on,
 *      in scope order (merged columns that needed computing come last).
 *   3. Errors are PostgreSQL's: 42703 a USING column missing on one side,
 *      42702 a USING/NATURAL column appearing twice on one side, 42701 a
 *      column named twice in USING.
 */
#include <string.h>

#include "common/errcodes.h"
#include "sql/bind_scope.h"

/* One side's visible columns (names and scope columns), as `*` would list them. */
typedef struct SideCols {
    int n;
    const char **names;
    int *cols;
} SideCols;

static void
side_cols(BindCtx *b, const QueryScope *s, int from, int to, SideCols *out)
{
    int n = 0, k = 0;

    for (int i = from; i < to; i++) {
        if (!s->rels[i].are_cols_hidden)
            n += s->rels[i].ncols;
    }
    out->n = n;
    out->names = arena_alloc(b->arena, sizeof(char *) * (size_t)(n ? n : 1));
    out->cols = arena_alloc(b->arena, sizeof(int) * (size_t)(n ? n : 1));
    for (int i = from; i < to; i++) {
        if (s->rels[i].are_cols_hidden)
            continue;
        for (int c = 0; c < s->rels[i].ncols; c++) {
            out->names[k] = s->rels[i].colnames[c];
            out->cols[k++] = scope_rel_col(&s->rels[i], c);
        }
    }
}

/* The index of name in side (-1: absent); 42702 when it appears twice. */
static int
find_common(BindCtx *b, const SideCols *side, const char *name, const char *which, int location,
            int *out)
{
    *out = -1;
    for (int i = 0; i < side->n; i++) {
        if (strcmp(side->names[i], name) != 0)
            continue;
        if (*out >= 0)
            return bind_error(b, location, ERRCODE_AMBIGUOUS_COLUMN,
                              "common column name \"%s\" appears more than once in %s table", name,
                              which);
        *out = i;
    }
    return 0;
}

static Expr *
join_column(BindCtx *b, const QueryScope *s, int col, int base)
{
    Expr *e = expr_new(b->arena, EXPR_COLUMN, s->types[col], -1);

    e->u.column = col - base;
    e->typmod = s->typmods[col];
    return e;
}

/* Appends a computed column of the given type to the scope; returns its scope column. */
static int
scope_append(BindCtx *b, QueryScope *s, Oid type, int32_t typmod)
{
    Oid *t = arena_alloc(b->arena, sizeof(Oid) * (size_t)(s->ncols + 1));
    int32_t *m = arena_alloc(b->arena, sizeof(int32_t) * (size_t)(s->ncols + 1));

    if (s->ncols > 0) {
        memcpy(t, s->types, sizeof(Oid) * (size_t)s->ncols);
        memcpy(m, s->typmods, sizeof(int32_t) * (size_t)s->ncols);
    }
    t[s->ncols] = type;
    m[s->ncols] = typmod;
    s->types = t;
    s->typmods = m;
    return s->ncols++;
}

static void
scope_push_rel(BindCtx *b, QueryScope *s, ScopeRel rel)
{
    ScopeRel *rels = arena_alloc(b->arena, sizeof(ScopeRel) * (size_t)(s->nrels + 1));

    if (s->nrels > 0)
        memcpy(rels, s->rels, sizeof(ScopeRel) * (size_t)s->nrels);
    rels[s->nrels++] = rel;
    s->rels = rels;
}

/* The join as it is being bound. */
typedef struct JoinBind {
    const PgQuery__JoinExpr *je;
    int base;     /* the join's first scope column */
    int rel0;     /* its first relation in the scope */
    int rel_mid;  /* the right input's first relation */
    int ninputs;  /* scope columns of both inputs */
    PlanNode *join;
    SideCols l, r;
    /* the join relation's column list */
    int n;
    const char **names;
    int *cols;
    int *origins;
    /* computed merged columns (Project above the Join) */
    int nextra;
    Expr **extra;
} JoinBind;

/* The ON condition, bound over the join's own row (invariant 1). */
static int
bind_on(BindCtx *b, QueryScope *s, JoinBind *jb)
{
    QueryScope *inner = arena_alloc(b->arena, sizeof *inner); /* b->scope may be kept */
    ScopeRel *rels = arena_alloc(b->arena, sizeof(ScopeRel) * (size_t)(s->nrels + 1));
    Expr *q;

    for (int i = jb->rel0; i < s->nrels; i++) {
        ScopeRel r = s->rels[i];

        if (r.cols != NULL) {
            int *cols = arena_alloc(b->arena, sizeof(int) * (size_t)(r.ncols ? r.ncols : 1));

            for (int c = 0; c < r.ncols; c++)
                cols[c] = r.cols[c] - jb->base;
            r.cols = cols;
        }
        r.first -= jb->base;
        rels[i - jb->rel0] = r;
    }
    /* the relations left of the join: there, but not visible here */
    for (int i = 0; i < jb->rel0; i++) {
        rels[s->nrels - jb->rel0 + i] = s->rels[i];
        rels[s->nrels - jb->rel0 + i].is_name_hidden = true;
        rels[s->nrels - jb->rel0 + i].are_cols_hidden = true;
    }
    *inner = *s;
    inner->nrels = s->nrels;
    inner->rels = rels;
    inner->ncols = s->ncols - jb->base;
    inner->types = s->types + jb->base;
    inner->typmods = s->typmods + jb->base;
    inner->agg_forbidden = "JOIN conditions";
    b->scope = inner;
    q = bind_expr(b, jb->je->quals);
    b->scope = s;
    if (q == NULL || (jb->join->u.pred = bind_coerce_bool(b, q, "JOIN/ON")) == NULL)
        return -1;
    return 0;
}

/* The USING column names: as written, or the common names of a NATURAL join. */
static int
using_names(BindCtx *b, JoinBind *jb, const char ***out, int *n)
{
    const PgQuery__JoinExpr *je = jb->je;
    const char **names;
    int k = 0;

    if (!je->is_natural) {
        names = arena_alloc(b->arena, sizeof(char *) * (je->n_using_clause + 1));
        for (size_t i = 0; i < je->n_using_clause; i++) {
            names[k] = bind_node_str(je->using_clause[i]);
            for (int j = 0; j < k; j++) {
                if (strcmp(names[j], names[k]) == 0)
                    return bind_error(b, -1, ERRCODE_DUPLICATE_COLUMN,
                                      "column name \"%s\" appears more than once in USING clause",
                                      names[k]);
            }
            k++;
        }
        *out = names;
        *n = k;
        return 0;
    }
    names = arena_alloc(b->arena, sizeof(char *) * (size_t)(jb->l.n + 1));
    for (int i = 0; i < jb->l.n; i++) {
        bool in_right = false;

        for (int j = 0; j < jb->r.n && !in_right; j++)
            in_right = strcmp(jb->l.names[i], jb->r.names[j]) == 0;
        if (in_right)
            names[k++] = jb->l.names[i];
    }
    *out = names;
    *n = k;
    return 0;
}

static void
add_join_col(JoinBind *jb, const char *name, int col, int origin)
{
    jb->names[jb->n] = name;
    jb->origins[jb->n] = origin;
    jb->cols[jb->n++] = col;
}

/* USING / NATURAL: the ON condition, the merged columns, the join's column list. */
static int
bind_using(BindCtx *b, QueryScope *s, JoinBind *jb)
{
    const char **names = NULL;
    int nusing = 0, *li, *ri;
    Expr *quals = NULL;

    if (using_names(b, jb, &names, &nusing) < 0)
        return -1;
    li = arena_alloc(b->arena, sizeof(int) * (size_t)(nusing + 1));
    ri = arena_alloc(b->arena, sizeof(int) * (size_t)(nusing + 1));
    jb->extra = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(nusing + 1));
    for (int u = 0; u < nusing; u++) {
        Expr *pair[2], *eq, *merged;
        Oid type;

        if (find_common(b, &jb->l, names[u], "left", -1, &li[u]) < 0 ||
            find_common(b, &jb->r, names[u], "right", -1, &ri[u]) < 0)
            return -1;
        if (li[u] < 0 || ri[u] < 0)
            return bind_error(b, -1, ERRCODE_UNDEFINED_COLUMN,
                              "column \"%s\" specified in USING clause does not exist in %s table",
                              names[u], li[u] < 0 ? "left" : "right");
        pair[0] = join_column(b, s, jb->l.cols[li[u]], jb->base);
        pair[1] = join_column(b, s, jb->r.cols[ri[u]], jb->base);
        if (bind_common_type(b, pair, 2, "JOIN/USING", &type) < 0 ||
            (eq = bind_op(b, "=", pair[0], pair[1], -1)) == NULL ||
            (eq = bind_coerce_bool(b, eq, "JOIN/USING")) == NULL)
            return -1;
        if (quals == NULL) {
            quals = eq;
        } else {
            Expr *and = expr_new(b->arena, EXPR_AND, TYPE_BOOL, -1);

            and->u.list.nargs = 2;
            and->u.list.args = arena_alloc(b->arena, 2 * sizeof(Expr *));
            and->u.list.args[0] = quals;
            and->u.list.args[1] = eq;
            quals = and;
        }
        switch (jb->join->jointype) {
        case PLAN_JOIN_RIGHT:
            merged = pair[1];
            break;
        case PLAN_JOIN_FULL:
            merged = expr_new(b->arena, EXPR_COALESCE, type, -1);
            merged->u.list.nargs = 2;
            merged->u.list.args = arena_memdup(b->arena, pair, sizeof pair);
            merged->typmod = bind_common_typmod(pair, 2);
            break;
        default:
            merged = pair[0];
            break;
        }
        if (merged->kind == EXPR_COLUMN) {
            add_join_col(jb, names[u], merged->u.column + jb->base, -1);
        } else {
            jb->extra[jb->nextra++] = merged;
            add_join_col(jb, names[u], jb->base + jb->ninputs + jb->nextra - 1,
                         jb->join->jointype == PLAN_JOIN_RIGHT ? jb->r.cols[ri[u]]
                                                               : jb->l.cols[li[u]]);
        }
    }
    jb->join->u.pred = quals;
    for (int i = 0; i < jb->l.n; i++) {
        bool used = false;

        for (int u = 0; u < nusing; u++)
            used = used || li[u] == i;
        if (!used)
            add_join_col(jb, jb->l.names[i], jb->l.cols[i], -1);
    }
    for (int i = 0; i < jb->r.n; i++) {
        bool used = false;

        for (int u = 0; u < nusing; u++)
            used = used || ri[u] == i;
        if (!used)
            add_join_col(jb, jb->r.names[i], jb->r.cols[i], -1);
    }
    return 0;
}

static PlanNode *
join_node(BindCtx *b, PlanNode *l, PlanNode *r, PlanJoinType type)
{
    PlanNode *j = plan_new(b->arena, PLAN_JOIN, l, l->ncols + r->ncols);

    j->right = r;
    j->jointype = type;
    memcpy(j->types, l->types, sizeof(Oid) * (size_t)l->ncols);
    memcpy(j->types + l->ncols, r->types, sizeof(Oid) * (size_t)r->ncols);
    memcpy(j->typmods, l->typmods, sizeof(int32_t) * (size_t)l->ncols);
    memcpy(j->typmods + l->ncols, r->typmods, sizeof(int32_t) * (size_t)r->ncols);
    return j;
}

/* The Project computing the merged columns after the inputs' columns (invariant 2). */
static PlanNode *
extra_project(BindCtx *b, QueryScope *s, JoinBind *jb)
{
    int n = jb->ninputs + jb->nextra;
    PlanNode *p = plan_new(b->arena, PLAN_PROJECT, jb->join, n);

    p->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)n);
    for (int c = 0; c < n; c++) {
        Expr *e = c < jb->ninputs ? join_column(b, s, jb->base + c, jb->base)
                                  : jb->extra[c - jb->ninputs];

        p->u.exprs[c] = e;
        p->types[c] = e->type;
        p->typmods[c] = e->typmod;
        if (c >= jb->ninputs)
            (void)scope_append(b, s, e->type, e->typmod);
    }
    return p;
}

static int
join_type(BindCtx *b, PgQuery__JoinType t, PlanJoinType *out)
{
    switch (t) {
    case PG_QUERY__JOIN_TYPE__JOIN_INNER:
        *out = PLAN_JOIN_INNER;
        return 0;
    case PG_QUERY__JOIN_TYPE__JOIN_LEFT:
        *out = PLAN_JOIN_LEFT;
        return 0;
    case PG_QUERY__JOIN_TYPE__JOIN_RIGHT:
        *out = PLAN_JOIN_RIGHT;
        return 0;
    case PG_QUERY__JOIN_TYPE__JOIN_FULL:
        *out = PLAN_JOIN_FULL;
        return 0;
    default:
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "this join type is not supported");
    }
}

/* The join relation: its column list visible, its inputs' columns (and names if aliased) not. */
static int
add_join_rel(BindCtx *b, QueryScope *s, JoinBind *jb)
{
    const PgQuery__Alias *alias = jb->je->alias;
    ScopeRel rel = {NULL, -1, jb->n, jb->names, jb->cols, true, false, jb->origins};

    if (alias != NULL) {
        int given = (int)alias->n_colnames;

        if (given > jb->n)
            return bind_error(b, -1, ERRCODE_INVALID_COLUMN_REFERENCE,
                              "join expression \"%s\" has %d columns available but %d columns "
                              "specified",
                              alias->aliasname, jb->n, given);
        for (int c = 0; c < given; c++)
            jb->names[c] = arena_strdup(b->arena, bind_node_str(alias->colnames[c]));
        for (int i = 0; i < s->nrels; i++) {
            if (!s->rels[i].is_name_hidden && s->rels[i].name != NULL && i < jb->rel0 &&
                strcmp(s->rels[i].name, alias->aliasname) == 0)
                return bind_error(b, -1, ERRCODE_DUPLICATE_ALIAS,
                                  "table name \"%s\" specified more than once", alias->aliasname);
        }
        rel.name = alias->aliasname;
        rel.is_name_hidden = false;
    }
    for (int i = jb->rel0; i < s->nrels; i++) {
        s->rels[i].are_cols_hidden = true;
        if (alias != NULL)
            s->rels[i].is_name_hidden = true;
    }
    scope_push_rel(b, s, rel);
    return 0;
}

int
bind_join_expr(BindCtx *b, QueryScope *s, const PgQuery__JoinExpr *je, PlanNode **out)
{
    JoinBind jb = {0};
    PlanNode *l, *r;
    PlanJoinType type = PLAN_JOIN_INNER;
    bool is_using = je->is_natural || je->n_using_clause > 0;

    jb.je = je;
    jb.base = s->ncols;
    jb.rel0 = s->nrels;
    if (join_type(b, je->jointype, &type) < 0 || bind_from_item(b, s, je->larg, &l) < 0)
        return -1;
    jb.rel_mid = s->nrels;
    if (bind_from_item(b, s, je->rarg, &r) < 0)
        return -1;
    jb.ninputs = s->ncols - jb.base;
    jb.join = join_node(b, l, r, type);
    *out = jb.join;
    if (!is_using) {
        if (je->quals != NULL && bind_on(b, s, &jb) < 0)
            return -1;
        if (je->alias == NULL)
            return 0;
    }
    side_cols(b, s, jb.rel0, jb.rel_mid, &jb.l);
    side_cols(b, s, jb.rel_mid, s->nrels, &jb.r);
    jb.names = arena_alloc(b->arena, sizeof(char *) * (size_t)(jb.l.n + jb.r.n + 1));
    jb.cols = arena_alloc(b->arena, sizeof(int) * (size_t)(jb.l.n + jb.r.n + 1));
    jb.origins = arena_alloc(b->arena, sizeof(int) * (size_t)(jb.l.n + jb.r.n + 1));
    if (is_using) {
        if (bind_using(b, s, &jb) < 0)
            return -1;
    } else {
        for (int i = 0; i < jb.l.n; i++)
            add_join_col(&jb, jb.l.names[i], jb.l.cols[i], -1);
        for (int i = 0; i < jb.r.n; i++)
            add_join_col(&jb, jb.r.names[i], jb.r.cols[i], -1);
    }
    if (jb.nextra > 0)
        *out = extra_project(b, s, &jb);
    return add_join_rel(b, s, &jb);
}

int
bind_scope_hidden_ref(BindCtx *b, const QueryScope *s, const char *name, int location)
{
    bool visible = false, hidden = false;

    for (int i = 0; i < s->nrels; i++) {
        if (s->rels[i].name == NULL || strcmp(s->rels[i].name, name) != 0)
            continue;
        if (s->rels[i].is_name_hidden)
            hidden = true;
        else
            visible = true;
    }
    if (visible || !hidden)
        return 0;
    bind_error(b, location, ERRCODE_UNDEFINED_TABLE,
               "invalid reference to FROM-clause entry for table \"%s\"", name);
    err_hint(b->err, "There is an entry for table \"%s\", but it cannot be referenced from this "
                     "part of the query.", name);
    return -1;
}

int
bind_scope_column_origin(const QueryScope *s, int col)
{
    for (int i = 0; i < s->nrels; i++) {
        const ScopeRel *r = &s->rels[i];

        for (int c = 0; r->cols != NULL && r->origins != NULL && c < r->ncols; c++) {
            if (r->cols[c] == col && r->origins[c] >= 0)
                return bind_scope_column_origin(s, r->origins[c]);
        }
    }
    return col;
}

void
bind_scope_column_hint(BindCtx *b, const QueryScope *s, const char *name)
{
    for (int i = 0; s != NULL && i < s->nrels; i++) {
        const ScopeRel *r = &s->rels[i];

        if (!r->is_name_hidden || !r->are_cols_hidden || r->name == NULL)
            continue;
        for (int c = 0; c < r->ncols; c++) {
            if (strcmp(r->colnames[c], name) == 0) {
                err_hint(b->err,
                         "There is a column named \"%s\" in table \"%s\", but it cannot be "
                         "referenced from this part of the query.",
                         name, r->name);
                return;
            }
        }
    }
}
