/*
 * sql/bind_expr.c — expression binding: libpg_query's raw expression nodes
 * → typed Expr trees (PostgreSQL's transformExpr and its helpers).
 *
 * Pipeline position: called by sql/binder.c for every expression of a
 * statement; uses sql/resolve.c for PostgreSQL's overload and cast rules and
 * sql/catalog.c for the built-ins; produces sql/expr.h nodes.
 *
 * The rules reproduced here, and where PostgreSQL keeps them:
 *   - literals: integers are int4, else int8 if they fit, else numeric; a
 *     quoted string is `unknown` until context decides (make_const);
 *   - an unknown literal converted to a type runs the type's input function
 *     now, so a bad literal fails at prepare with the literal's position
 *     (coerce_type);
 *   - an untyped $n takes the type its first use demands (parse_param.c);
 *   - operators: exact match with unknowns assumed to be the other side's
 *     type, else candidate selection (parse_oper.c);
 *   - typename(x) with one argument is a cast when a binary or I/O cast
 *     exists (func_get_detail).
 *
 * Invariants:
 *   1. On success every node has a supported type, except `unknown` for a
 *      literal or parameter whose context did not decide (the statement
 *      binder resolves those to text at the output, or reports 42P18).
 *   2. On failure exactly one error is raised, with PostgreSQL's SQLSTATE,
 *      message and position.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/bind_int.h"
#include "sql/builtins.h"

#define MAX_CALL_ARGS 100 /* PostgreSQL's FUNC_MAX_ARGS */

int
bind_position(const BindCtx *b, int location)
{
    if (location < 0)
        return 0;
    return text_char_count(b->text, (size_t)location) + 1;
}

int
bind_error(BindCtx *b, int location, const char *code, const char *fmt, ...)
{
    char msg[ERR_MESSAGE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ERR_RAISE(b->err, code, "%s", msg);
    if (location >= 0)
        err_position(b->err, bind_position(b, location));
    return -1;
}

const char *
bind_node_str(const Node *n)
{
    if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_STRING || n->string == NULL)
        return NULL;
    return n->string->sval;
}

static int
leftmost(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

/* 0A000 "<what> is/are not supported yet" (plural when what ends in 's'). */
static Expr *
unsupported(BindCtx *b, int location, const char *what)
{
    size_t n = strlen(what);

    bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED, "%s %s not supported yet", what,
               n > 0 && what[n - 1] == 's' ? "are" : "is");
    return NULL;
}

static int
unsupported_type(BindCtx *b, int location, Oid type)
{
    return bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED, "type %s is not supported yet",
                      type_sql_name(type));
}

/* ---- literals and parameters --------------------------------------------------- */

/* make_const() for a Float node: an integer too big for int4 is int8, anything else numeric. */
static Expr *
bind_float_literal(BindCtx *b, const char *s, int location)
{
    int64_t v;

    if (int_parse(s, strlen(s), INT64_MIN, INT64_MAX, &v) == 0) {
        if (v >= INT32_MIN && v <= INT32_MAX)
            return expr_const(b->arena, TYPE_INT4, datum_from_int32((int32_t)v), false, location);
        return expr_const(b->arena, TYPE_INT8, datum_from_int64(v), false, location);
    }
    /* numeric: kept as its text until numeric arrives; only casts can use it for now */
    return expr_const(b->arena, TYPE_NUMERIC, datum_from_cstr(b->arena, s), false, location);
}

static Expr *
bind_const(BindCtx *b, const PgQuery__AConst *c)
{
    int loc = c->location;

    if (c->isnull)
        return expr_const(b->arena, TYPE_UNKNOWN, 0, true, loc);
    switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        return expr_const(b->arena, TYPE_INT4, datum_from_int32(c->ival ? c->ival->ival : 0), false,
                          loc);
    case PG_QUERY__A__CONST__VAL_FVAL:
        return bind_float_literal(b, c->fval && c->fval->fval ? c->fval->fval : "0", loc);
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
        return expr_const(b->arena, TYPE_BOOL, datum_from_bool(c->boolval && c->boolval->boolval),
                          false, loc);
    case PG_QUERY__A__CONST__VAL_SVAL:
        return expr_const(b->arena, TYPE_UNKNOWN,
                          datum_from_cstr(b->arena, c->sval && c->sval->sval ? c->sval->sval : ""),
                          false, loc);
    case PG_QUERY__A__CONST__VAL_BSVAL:
        return unsupported(b, loc, "type bit");
    default:
        return expr_const(b->arena, TYPE_UNKNOWN, 0, true, loc);
    }
}

static Expr *
bind_param(BindCtx *b, int number, int location)
{
    Expr *e;

    if (number < 1 || number > 65535 || (b->fixed_params && number > b->nparams)) {
        bind_error(b, location, ERRCODE_UNDEFINED_PARAMETER, "there is no parameter $%d", number);
        return NULL;
    }
    if (number > b->param_cap) {
        int cap = number > 2 * b->param_cap ? number : 2 * b->param_cap;
        Oid *types = arena_alloc(b->arena, sizeof(Oid) * (size_t)cap);

        memcpy(types, b->param_types, sizeof(Oid) * (size_t)b->nparams);
        b->param_types = types;
        b->param_cap = cap;
    }
    for (; b->nparams < number; b->nparams++)
        b->param_types[b->nparams] = TYPE_UNKNOWN;
    if (b->nparam_nodes == b->param_node_cap) {
        int cap = b->param_node_cap ? 2 * b->param_node_cap : 16;
        Expr **nodes = arena_alloc(b->arena, sizeof(Expr *) * (size_t)cap);

        if (b->nparam_nodes > 0)
            memcpy(nodes, b->param_nodes, sizeof(Expr *) * (size_t)b->nparam_nodes);
        b->param_nodes = nodes;
        b->param_node_cap = cap;
    }
    e = expr_new(b->arena, EXPR_PARAM, b->param_types[number - 1], location);
    e->u.param = number - 1;
    b->param_nodes[b->nparam_nodes++] = e;
    return e;
}

int
bind_check_params(BindCtx *b)
{
    for (int i = 0; i < b->nparam_nodes; i++) {
        const Expr *e = b->param_nodes[i];

        if (e->type != b->param_types[e->u.param])
            return bind_error(b, e->location, ERRCODE_AMBIGUOUS_PARAMETER,
                              "could not determine data type of parameter $%d", e->u.param + 1);
    }
    for (int i = 0; i < b->nparams; i++) {
        if (b->param_types[i] == TYPE_UNKNOWN)
            return bind_error(b, -1, ERRCODE_INDETERMINATE_DATATYPE,
                              "could not determine data type of parameter $%d", i + 1);
    }
    return 0;
}

/* ---- coercion ------------------------------------------------------------------- */

/* An unknown literal becomes a constant of the target type through its input function. */
static int
coerce_literal(BindCtx *b, Expr **e, const TypeInfo *t)
{
    const Expr *lit = *e;
    const VarData *v;
    Datum d;

    if (lit->u.konst.isnull) {
        *e = expr_const(b->arena, t->oid, 0, true, lit->location);
        return 0;
    }
    v = datum_get_var(lit->u.konst.d);
    if (t->in(v->data, v->len, -1, b->io, b->arena, &d, b->err) < 0) {
        err_position(b->err, bind_position(b, lit->location));
        return -1;
    }
    *e = expr_const(b->arena, t->oid, d, false, lit->location);
    return 0;
}

/* A numeric literal cast to double precision or an integer type (numeric_float8, numeric_int4). */
static int
coerce_numeric_literal(BindCtx *b, Expr **e, Oid target, CoercionContext cc)
{
    const CastDef *cast = catalog_find_cast(TYPE_NUMERIC, target);
    const char *s = datum_get_var((*e)->u.konst.d)->data;
    double v = strtod(s, NULL);
    int64_t lo, hi;

    if (cast == NULL || cc < cast->context)
        return 1;
    if (target == TYPE_FLOAT8) {
        *e = expr_const(b->arena, target, datum_from_float8(v), false, (*e)->location);
        return 0;
    }
    lo = target == TYPE_INT2 ? INT16_MIN : target == TYPE_INT4 ? INT32_MIN : INT64_MIN;
    hi = target == TYPE_INT2 ? INT16_MAX : target == TYPE_INT4 ? INT32_MAX : INT64_MAX;
    v = round(v); /* numeric rounds half away from zero */
    if (isnan(v) || v < (double)lo || v >= -(double)lo || v > (double)hi)
        return ERR_RAISE(b->err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range",
                         target == TYPE_INT2   ? "smallint"
                         : target == TYPE_INT4 ? "integer"
                                               : "bigint");
    *e = expr_const(b->arena, target, datum_from_int64((int64_t)v), false, (*e)->location);
    return 0;
}

/* An untyped $n takes the type its context demands (variable_coerce_param_hook). */
static int
coerce_param(BindCtx *b, Expr *e, Oid target)
{
    Oid *known = &b->param_types[e->u.param];

    if (*known == TYPE_UNKNOWN)
        *known = target;
    else if (*known != target) {
        bind_error(b, e->location, ERRCODE_AMBIGUOUS_PARAMETER,
                   "inconsistent types deduced for parameter $%d", e->u.param + 1);
        err_detail(b->err, "%s versus %s", type_sql_name(*known), type_sql_name(target));
        return -1;
    }
    e->type = target;
    return 0;
}

int
bind_coerce(BindCtx *b, Expr **e, Oid target, CoercionContext cc, int location)
{
    Oid src = (*e)->type;
    const TypeInfo *t;
    const FuncDef *f;
    Expr *n;

    if (src == target || target == TYPE_ANY || type_is_polymorphic(target))
        return 0;
    t = type_by_oid(target);
    if (t == NULL || !t->supported)
        return unsupported_type(b, location, target);
    if (src == TYPE_UNKNOWN && (*e)->kind == EXPR_CONST)
        return coerce_literal(b, e, t);
    if (src == TYPE_UNKNOWN && (*e)->kind == EXPR_PARAM)
        return coerce_param(b, *e, target);
    if (src == TYPE_NUMERIC && (*e)->kind == EXPR_CONST)
        return coerce_numeric_literal(b, e, target, cc);
    switch (resolve_coercion_path(target, src, cc, &f)) {
    case COERCION_PATH_NONE:
        return 1;
    case COERCION_PATH_RELABEL:
        n = arena_memdup(b->arena, *e, sizeof **e);
        n->type = target;
        *e = n;
        return 0;
    case COERCION_PATH_FUNC:
        if (f == NULL)
            return unsupported_type(b, location, src);
        *e = expr_func(b->arena, f, f->fn, true, target, 1, arena_memdup(b->arena, e, sizeof *e),
                       leftmost((*e)->location, location));
        return 0;
    case COERCION_PATH_IO:
        n = expr_new(b->arena, EXPR_COERCE_IO, target, leftmost((*e)->location, location));
        n->u.arg = *e;
        *e = n;
        return 0;
    }
    return 1;
}

Expr *
bind_coerce_bool(BindCtx *b, Expr *e, const char *construct)
{
    Oid src = e->type;
    int rc;

    if (e->type == TYPE_BOOL)
        return e;
    rc = bind_coerce(b, &e, TYPE_BOOL, COERCION_ASSIGNMENT, e->location);
    if (rc < 0)
        return NULL;
    if (rc > 0) {
        bind_error(b, e->location, ERRCODE_DATATYPE_MISMATCH,
                   "argument of %s must be type %s, not type %s", construct, "boolean",
                   type_sql_name(src));
        return NULL;
    }
    return e;
}

int
bind_common_type(BindCtx *b, Expr **exprs, int n, const char *context, Oid *out)
{
    Oid types[MAX_CALL_ARGS] = {0}, *tp = types;
    int bad = -1;
    Oid common;

    if (n > MAX_CALL_ARGS)
        tp = arena_alloc(b->arena, sizeof(Oid) * (size_t)n);
    for (int i = 0; i < n; i++)
        tp[i] = exprs[i]->type;
    common = resolve_common_type(n, tp, &bad);
    if (common == TYPE_INVALID) {
        int first = 0;

        while (first < bad && tp[first] == TYPE_UNKNOWN)
            first++;
        return bind_error(b, exprs[bad]->location, ERRCODE_DATATYPE_MISMATCH,
                          "%s types %s and %s cannot be matched", context, type_sql_name(tp[first]),
                          type_sql_name(tp[bad]));
    }
    for (int i = 0; i < n; i++) {
        int rc = bind_coerce(b, &exprs[i], common, COERCION_IMPLICIT, exprs[i]->location);

        if (rc < 0)
            return -1;
        if (rc > 0)
            return bind_error(b, exprs[i]->location, ERRCODE_CANNOT_COERCE,
                              "%s could not convert type %s to %s", context, type_sql_name(tp[i]),
                              type_sql_name(common));
    }
    *out = common;
    return 0;
}

/* ---- operators -------------------------------------------------------------------- */

static void
format_oper(char *buf, size_t cap, const char *op, const Expr *l, const Expr *r)
{
    if (l != NULL)
        snprintf(buf, cap, "%s %s %s", type_sql_name(l->type), op, type_sql_name(r->type));
    else
        snprintf(buf, cap, "%s %s", op, type_sql_name(r->type));
}

/* Before "does not exist": an argument of a type we do not implement yet is the real cause. */
static int
check_arg_types(BindCtx *b, Expr **args, int nargs)
{
    for (int i = 0; i < nargs; i++) {
        const TypeInfo *t = type_by_oid(args[i]->type);

        if (t != NULL && !t->supported)
            return unsupported_type(b, args[i]->location, args[i]->type);
    }
    return 0;
}

static Expr *
oper_not_found(BindCtx *b, const char *op, Expr *l, Expr *r, int nfound, int location)
{
    char sig[256];
    Expr *args[2] = {l != NULL ? l : r, r};

    if (check_arg_types(b, args, 2) < 0)
        return NULL;
    format_oper(sig, sizeof sig, op, l, r);
    if (nfound > 1) {
        bind_error(b, location, ERRCODE_AMBIGUOUS_FUNCTION, "operator is not unique: %s", sig);
        err_hint(b->err, "Could not choose a best candidate operator. You might need to add "
                         "explicit type casts.");
    } else {
        bind_error(b, location, ERRCODE_UNDEFINED_FUNCTION, "operator does not exist: %s", sig);
        if (l != NULL)
            err_hint(b->err, "No operator matches the given name and argument types. You might "
                             "need to add explicit type casts.");
        else
            err_hint(b->err, "No operator matches the given name and argument type. You might "
                             "need to add an explicit type cast.");
    }
    return NULL;
}

/* Coerces the arguments of a chosen function or operator to its declared types. */
static int
coerce_args(BindCtx *b, Expr **args, int nargs, const Oid *declared, int location)
{
    Oid inputs[MAX_CALL_ARGS] = {0};
    Oid poly;

    for (int i = 0; i < nargs; i++)
        inputs[i] = args[i]->type;
    poly = resolve_polymorphic(nargs, inputs, declared);
    if (poly == TYPE_UNKNOWN)
        return bind_error(b, location, ERRCODE_DATATYPE_MISMATCH,
                          "could not determine polymorphic type because input has type unknown");
    for (int i = 0; i < nargs; i++) {
        Oid target = type_is_polymorphic(declared[i]) ? poly : declared[i];
        int rc = bind_coerce(b, &args[i], target, COERCION_IMPLICIT, location);

        if (rc != 0)
            return rc < 0 ? -1
                          : bind_error(b, location, ERRCODE_INTERNAL_ERROR,
                                       "cannot coerce argument %d", i + 1);
    }
    return 0;
}

/* make_op(): binds `l op r` (l NULL for a prefix operator) over already bound operands. */
static Expr *
bind_op(BindCtx *b, const char *op, Expr *l, Expr *r, int location)
{
    const OperDef *cands[256], *o = NULL;
    Oid pairs[256][2];
    const Oid *argv[256];
    Oid inputs[2];
    int n = 0, pos = 0, nargs = l != NULL ? 2 : 1, chosen = -1, found;
    Expr **args;

    while (n < 256 && (o = catalog_next_oper(op, &pos)) != NULL) {
        if ((o->left == TYPE_INVALID) != (l == NULL))
            continue;
        pairs[n][0] = l != NULL ? o->left : o->right;
        pairs[n][1] = o->right;
        argv[n] = pairs[n];
        cands[n++] = o;
    }
    inputs[0] = l != NULL ? l->type : r->type;
    inputs[1] = r->type;
    /* binary_oper_exact(): an unknown side is assumed to have the other side's type */
    if (l != NULL && (inputs[0] == TYPE_UNKNOWN) != (inputs[1] == TYPE_UNKNOWN)) {
        Oid t = inputs[0] == TYPE_UNKNOWN ? inputs[1] : inputs[0];

        for (int i = 0; i < n && chosen < 0; i++)
            chosen = pairs[i][0] == t && pairs[i][1] == t ? i : -1;
    }
    found = chosen >= 0 ? 1 : resolve_select(nargs, inputs, argv, n, &chosen);
    if (found != 1)
        return oper_not_found(b, op, l, r, found, location);
    o = cands[chosen];
    args = arena_alloc(b->arena, sizeof(Expr *) * 2);
    args[0] = l != NULL ? l : r;
    args[1] = r;
    if (coerce_args(b, args, nargs, argv[chosen], location) < 0)
        return NULL;
    for (int i = 0; i < nargs && (o->flags & OPER_POLY_TO_TEXT); i++) {
        if (type_is_polymorphic(argv[chosen][i]) &&
            bind_coerce(b, &args[i], TYPE_TEXT, COERCION_EXPLICIT, location) != 0)
            return NULL;
    }
    return expr_func(b->arena, NULL, o->fn, true, o->result, nargs, args,
                     l != NULL ? leftmost(l->location, location) : location);
}

static const char *
oper_name(const PgQuery__AExpr *a)
{
    const char *s = a->n_name > 0 ? bind_node_str(a->name[a->n_name - 1]) : NULL;

    return s != NULL ? s : "?";
}

static Expr *
bind_distinct(BindCtx *b, const PgQuery__AExpr *a, Expr *l, Expr *r)
{
    Expr *eq = bind_op(b, "=", l, r, a->location);
    Expr *e;
    bool nullif = a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF;

    if (eq == NULL)
        return NULL;
    if (eq->type != TYPE_BOOL) {
        bind_error(b, a->location, ERRCODE_DATATYPE_MISMATCH,
                   "%s requires = operator to yield "
                   "boolean",
                   nullif ? "NULLIF" : "IS DISTINCT FROM");
        return NULL;
    }
    e = expr_new(b->arena, nullif ? EXPR_NULLIF : EXPR_DISTINCT,
                 nullif ? eq->u.func.args[0]->type : TYPE_BOOL, leftmost(l->location, a->location));
    e->u.distinct.eq = eq;
    e->u.distinct.is_not = a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT;
    return e;
}

static Expr *
make_bool(BindCtx *b, ExprKind kind, Expr *x, Expr *y, int location)
{
    Expr *e = expr_new(b->arena, kind, TYPE_BOOL, location);

    e->u.list.nargs = 2;
    e->u.list.args = arena_alloc(b->arena, sizeof(Expr *) * 2);
    e->u.list.args[0] = x;
    e->u.list.args[1] = y;
    return e;
}

/* x IN (a, b, ...) → x = a OR x = b ...; NOT IN → x <> a AND x <> b ... (transformAExprIn). */
static Expr *
bind_in(BindCtx *b, const PgQuery__AExpr *a, Expr *l)
{
    const Node *rn = a->rexpr;
    const PgQuery__List *list =
        rn != NULL && rn->node_case == PG_QUERY__NODE__NODE_LIST ? rn->list : NULL;
    const char *op = oper_name(a);
    Expr *result = NULL;

    if (list == NULL)
        return unsupported(b, a->location, "IN with a subquery");
    for (size_t i = 0; i < list->n_items; i++) {
        Expr *r = bind_expr(b, list->items[i]), *cmp;

        if (r == NULL || (cmp = bind_op(b, op, l, r, a->location)) == NULL)
            return NULL;
        if ((cmp = bind_coerce_bool(b, cmp, "IN")) == NULL)
            return NULL;
        result = result == NULL ? cmp
                                : make_bool(b, strcmp(op, "<>") == 0 ? EXPR_AND : EXPR_OR, result,
                                            cmp, a->location);
    }
    return result;
}

/* BETWEEN and its variants as AND/OR of comparisons (transformAExprBetween). */
static Expr *
bind_between(BindCtx *b, const PgQuery__AExpr *a, Expr *x)
{
    const Node *rn = a->rexpr;
    const PgQuery__List *list =
        rn != NULL && rn->node_case == PG_QUERY__NODE__NODE_LIST ? rn->list : NULL;
    bool negated = a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN ||
                   a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM;
    bool symmetric = a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM ||
                     a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM;
    Expr *lo, *hi, *c1, *c2, *c3, *c4, *first;
    int loc = a->location;

    if (list == NULL || list->n_items != 2)
        return unsupported(b, loc, "this form of BETWEEN");
    if ((lo = bind_expr(b, list->items[0])) == NULL || (hi = bind_expr(b, list->items[1])) == NULL)
        return NULL;
    if ((c1 = bind_op(b, negated ? "<" : ">=", x, lo, loc)) == NULL ||
        (c2 = bind_op(b, negated ? ">" : "<=", x, hi, loc)) == NULL)
        return NULL;
    first = make_bool(b, negated ? EXPR_OR : EXPR_AND, c1, c2, loc);
    if (!symmetric)
        return first;
    if ((c3 = bind_op(b, negated ? "<" : ">=", x, hi, loc)) == NULL ||
        (c4 = bind_op(b, negated ? ">" : "<=", x, lo, loc)) == NULL)
        return NULL;
    return make_bool(b, negated ? EXPR_AND : EXPR_OR, first,
                     make_bool(b, negated ? EXPR_OR : EXPR_AND, c3, c4, loc), loc);
}

static Expr *
bind_aexpr(BindCtx *b, const PgQuery__AExpr *a)
{
    Expr *l = NULL, *r = NULL;

    switch (a->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
        return unsupported(b, a->location, "LIKE");
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
        return unsupported(b, a->location, "ILIKE");
    case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR:
        return unsupported(b, a->location, "SIMILAR TO");
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
        return unsupported(b, a->location, "ANY/ALL (array)");
    default:
        break;
    }
    if (a->lexpr != NULL && (l = bind_expr(b, a->lexpr)) == NULL)
        return NULL;
    switch (a->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
        return bind_in(b, a, l);
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM:
        return bind_between(b, a, l);
    default:
        break;
    }
    if ((r = bind_expr(b, a->rexpr)) == NULL)
        return NULL;
    switch (a->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
        return bind_op(b, oper_name(a), l, r, a->location);
    case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF:
        return bind_distinct(b, a, l, r);
    default:
        return unsupported(b, a->location, "this kind of expression");
    }
}

/* ---- boolean constructs ------------------------------------------------------------ */

static Expr *
bind_boolexpr(BindCtx *b, const PgQuery__BoolExpr *be)
{
    static const char *const names[] = {"?", "AND", "OR", "NOT"};
    ExprKind kind = be->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR  ? EXPR_AND
                    : be->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR ? EXPR_OR
                                                                      : EXPR_NOT;
    Expr *e = expr_new(b->arena, kind, TYPE_BOOL, be->location);
    Expr **args = arena_alloc(b->arena, sizeof(Expr *) * (be->n_args ? be->n_args : 1));

    for (size_t i = 0; i < be->n_args; i++) {
        Expr *arg = bind_expr(b, be->args[i]);

        if (arg == NULL || (args[i] = bind_coerce_bool(b, arg, names[be->boolop])) == NULL)
            return NULL;
    }
    if (kind == EXPR_NOT) {
        e->u.arg = args[0];
        return e;
    }
    e->u.list.nargs = (int)be->n_args;
    e->u.list.args = args;
    e->location = leftmost(args[0]->location, be->location);
    return e;
}

static Expr *
bind_nulltest(BindCtx *b, const PgQuery__NullTest *nt)
{
    Expr *arg = bind_expr(b, nt->arg), *e;

    if (arg == NULL)
        return NULL;
    e = expr_new(b->arena, EXPR_NULLTEST, TYPE_BOOL, leftmost(arg->location, nt->location));
    e->u.nulltest.arg = arg;
    e->u.nulltest.is_not = nt->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL;
    return e;
}

static Expr *
bind_booltest(BindCtx *b, const PgQuery__BooleanTest *bt)
{
    static const char *const names[] = {
        "?", "IS TRUE", "IS NOT TRUE", "IS FALSE", "IS NOT FALSE", "IS UNKNOWN", "IS NOT UNKNOWN"};
    int kind = bt->booltesttype >= 1 && bt->booltesttype <= 6 ? (int)bt->booltesttype : 1;
    Expr *arg = bind_expr(b, bt->arg), *e;

    if (arg == NULL || (arg = bind_coerce_bool(b, arg, names[kind])) == NULL)
        return NULL;
    e = expr_new(b->arena, EXPR_BOOLTEST, TYPE_BOOL, leftmost(arg->location, bt->location));
    e->u.booltest.arg = arg;
    e->u.booltest.kind = (BoolTestKind)(kind - 1);
    return e;
}

/* ---- CASE and COALESCE ------------------------------------------------------------ */

static int
bind_case_when(BindCtx *b, const PgQuery__CaseWhen *w, Expr *placeholder, Expr **cond)
{
    Expr *test = bind_expr(b, w->expr);

    if (test == NULL)
        return -1;
    if (placeholder != NULL && (test = bind_op(b, "=", placeholder, test, w->location)) == NULL)
        return -1;
    *cond = bind_coerce_bool(b, test, "CASE/WHEN");
    return *cond == NULL ? -1 : 0;
}

static Expr *
bind_case(BindCtx *b, const PgQuery__CaseExpr *c)
{
    Expr *e = expr_new(b->arena, EXPR_CASE, TYPE_UNKNOWN, c->location), *placeholder = NULL;
    int n = (int)c->n_args;
    Expr **results = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n + 1));

    if (c->arg != NULL) {
        if ((e->u.kase.arg = bind_expr(b, c->arg)) == NULL)
            return NULL;
        /* an unknown CASE operand is taken as text (transformCaseExpr) */
        if (e->u.kase.arg->type == TYPE_UNKNOWN &&
            bind_coerce(b, &e->u.kase.arg, TYPE_TEXT, COERCION_IMPLICIT, c->location) < 0)
            return NULL;
        placeholder = expr_new(b->arena, EXPR_CASE_TEST, e->u.kase.arg->type, -1);
    }
    e->u.kase.nwhen = n;
    e->u.kase.when = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n ? n : 1));
    e->u.kase.then = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        const PgQuery__CaseWhen *w = c->args[i]->case_when;

        if (bind_case_when(b, w, placeholder, &e->u.kase.when[i]) < 0 ||
            (results[i + 1] = bind_expr(b, w->result)) == NULL)
            return NULL;
    }
    /* the ELSE result comes first when choosing the type, as in PostgreSQL */
    results[0] = c->defresult != NULL ? bind_expr(b, c->defresult)
                                      : expr_const(b->arena, TYPE_UNKNOWN, 0, true, -1);
    if (results[0] == NULL || bind_common_type(b, results, n + 1, "CASE", &e->type) < 0)
        return NULL;
    e->u.kase.otherwise = results[0];
    for (int i = 0; i < n; i++)
        e->u.kase.then[i] = results[i + 1];
    return e;
}

static Expr *
bind_coalesce(BindCtx *b, const PgQuery__CoalesceExpr *c)
{
    Expr *e = expr_new(b->arena, EXPR_COALESCE, TYPE_UNKNOWN, c->location);
    Expr **args = arena_alloc(b->arena, sizeof(Expr *) * (c->n_args ? c->n_args : 1));

    for (size_t i = 0; i < c->n_args; i++) {
        if ((args[i] = bind_expr(b, c->args[i])) == NULL)
            return NULL;
    }
    if (bind_common_type(b, args, (int)c->n_args, "COALESCE", &e->type) < 0)
        return NULL;
    e->u.list.nargs = (int)c->n_args;
    e->u.list.args = args;
    return e;
}

/* ---- casts and types -------------------------------------------------------------- */

int
bind_type_name(BindCtx *b, const PgQuery__TypeName *tn, Oid *out)
{
    const char *name = tn->n_names > 0 ? bind_node_str(tn->names[tn->n_names - 1]) : NULL;
    const char *schema = tn->n_names > 1 ? bind_node_str(tn->names[tn->n_names - 2]) : NULL;
    const TypeInfo *t;

    if (name == NULL || tn->n_names > 2 || tn->pct_type)
        return bind_error(b, tn->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "this form of type name is not supported yet");
    if (schema != NULL && strcmp(schema, "pg_catalog") != 0) {
        if (strcmp(schema, "public") == 0)
            return bind_error(b, tn->location, ERRCODE_UNDEFINED_OBJECT,
                              "type \"%s.%s\" does not exist", schema, name);
        return bind_error(b, tn->location, ERRCODE_INVALID_SCHEMA_NAME,
                          "schema \"%s\" does not exist", schema);
    }
    t = type_by_name(name);
    if (t == NULL || t->category == TYPCAT_PSEUDO)
        return bind_error(b, tn->location, ERRCODE_UNDEFINED_OBJECT, "type \"%s\" does not exist",
                          name);
    if (!t->supported || tn->n_array_bounds > 0)
        return bind_error(b, tn->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "type %s%s is not supported yet", t->sql_name,
                          tn->n_array_bounds > 0 ? "[]" : "");
    if (tn->n_typmods > 0)
        return bind_error(b, tn->location, ERRCODE_SYNTAX_ERROR,
                          "type modifier is not allowed for type \"%s\"", t->name);
    *out = t->oid;
    return 0;
}

/* An explicit cast: CAST(x AS t), x::t, t 'literal', or typename(x). */
static Expr *
cast_to(BindCtx *b, Expr *arg, Oid target, int location)
{
    Oid src = arg->type;
    int rc = bind_coerce(b, &arg, target, COERCION_EXPLICIT, location);

    if (rc < 0)
        return NULL;
    if (rc > 0) {
        if (check_arg_types(b, &arg, 1) < 0)
            return NULL;
        bind_error(b, location, ERRCODE_CANNOT_COERCE, "cannot cast type %s to %s",
                   type_sql_name(src), type_sql_name(target));
        return NULL;
    }
    return arg;
}

static Expr *
bind_typecast(BindCtx *b, const PgQuery__TypeCast *tc)
{
    Oid target;
    Expr *arg;
    int location = tc->location >= 0 ? tc->location : tc->type_name->location;

    if (bind_type_name(b, tc->type_name, &target) < 0 || (arg = bind_expr(b, tc->arg)) == NULL)
        return NULL;
    return cast_to(b, arg, target, location);
}

/* ---- function calls ---------------------------------------------------------------- */

static bool
is_aggregate_name(const char *name)
{
    static const char *const aggs[] = {
        "count",   "sum",        "avg",       "min",    "max",      "bool_and",   "bool_or",
        "every",   "string_agg", "array_agg", "stddev", "variance", "stddev_pop", "stddev_samp",
        "var_pop", "var_samp",   "bit_and",   "bit_or", "json_agg", "jsonb_agg"};

    for (size_t i = 0; i < sizeof aggs / sizeof aggs[0]; i++) {
        if (strcmp(name, aggs[i]) == 0)
            return true;
    }
    return false;
}

static Expr *
func_not_found(BindCtx *b, const PgQuery__FuncCall *fc, const char *qualified, Expr **args,
               int nargs, int nfound)
{
    char sig[512];
    size_t used = (size_t)snprintf(sig, sizeof sig, "%s(", qualified);

    if (check_arg_types(b, args, nargs) < 0)
        return NULL;
    for (int i = 0; i < nargs && used < sizeof sig; i++)
        used += (size_t)snprintf(sig + used, sizeof sig - used, "%s%s", i ? ", " : "",
                                 type_sql_name(args[i]->type));
    if (used < sizeof sig)
        snprintf(sig + used, sizeof sig - used, ")");
    if (nfound > 1) {
        bind_error(b, fc->location, ERRCODE_AMBIGUOUS_FUNCTION, "function %s is not unique", sig);
        err_hint(b->err, "Could not choose a best candidate function. You might need to add "
                         "explicit type casts.");
    } else {
        bind_error(b, fc->location, ERRCODE_UNDEFINED_FUNCTION, "function %s does not exist", sig);
        err_hint(b->err, "No function matches the given name and argument types. You might need "
                         "to add explicit type casts.");
    }
    return NULL;
}

/* func_get_detail(): typename(x) is a cast when a binary or I/O cast exists, or x is a literal. */
static bool
is_cast_call(const char *name, Expr *arg, Oid *target)
{
    const TypeInfo *t = type_by_name(name);
    const FuncDef *f;
    CoercionPath path;

    if (t == NULL || !t->supported || t->category == TYPCAT_PSEUDO)
        return false;
    *target = t->oid;
    if (arg->type == TYPE_UNKNOWN && arg->kind == EXPR_CONST)
        return true;
    path = resolve_coercion_path(t->oid, arg->type, COERCION_EXPLICIT, &f);
    return path == COERCION_PATH_RELABEL || path == COERCION_PATH_IO;
}

static Expr *
bind_call(BindCtx *b, const PgQuery__FuncCall *fc, const char *name, const char *qualified,
          Expr **args, int nargs)
{
    const FuncDef *cands[64], *f;
    const Oid *argv[64];
    Oid inputs[MAX_CALL_ARGS], target;
    int n = 0, pos = 0, chosen = -1, found;

    if (nargs == 1 && is_cast_call(name, args[0], &target))
        return cast_to(b, args[0], target, fc->location);
    for (int i = 0; i < nargs; i++)
        inputs[i] = args[i]->type;
    while (n < 64 && (f = catalog_next_func(name, &pos)) != NULL) {
        if (f->nargs != nargs)
            continue;
        if (memcmp(f->args, inputs, sizeof(Oid) * (size_t)nargs) == 0)
            chosen = n;
        argv[n] = f->args;
        cands[n++] = f;
    }
    found = chosen >= 0 ? 1 : resolve_select(nargs, inputs, argv, n, &chosen);
    if (found != 1) {
        if (found == 0 && is_aggregate_name(name))
            return unsupported(b, fc->location, "aggregate functions");
        return func_not_found(b, fc, qualified, args, nargs, found);
    }
    f = cands[chosen];
    if (coerce_args(b, args, nargs, f->args, fc->location) < 0)
        return NULL;
    return expr_func(b->arena, f, f->fn, (f->flags & FN_STRICT) != 0, f->ret, nargs, args,
                     fc->location);
}

static Expr *
bind_funccall(BindCtx *b, const PgQuery__FuncCall *fc)
{
    const char *name = fc->n_funcname > 0 ? bind_node_str(fc->funcname[fc->n_funcname - 1]) : NULL;
    const char *schema = fc->n_funcname > 1 ? bind_node_str(fc->funcname[0]) : NULL;
    char qualified[256];
    Expr **args;

    if (name == NULL || fc->n_funcname > 2)
        return unsupported(b, fc->location, "this form of function name");
    if (schema != NULL && strcmp(schema, "pg_catalog") != 0) {
        bind_error(b, fc->location, ERRCODE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist",
                   schema);
        return NULL;
    }
    if (fc->agg_star || fc->agg_distinct || fc->n_agg_order > 0 || fc->agg_filter != NULL ||
        fc->agg_within_group)
        return unsupported(b, fc->location, "aggregate functions");
    if (fc->over != NULL)
        return unsupported(b, fc->location, "window functions");
    if (fc->func_variadic)
        return unsupported(b, fc->location, "VARIADIC");
    if (fc->n_args > MAX_CALL_ARGS) {
        bind_error(b, fc->location, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                   "cannot pass more than %d arguments to a function", MAX_CALL_ARGS);
        return NULL;
    }
    snprintf(qualified, sizeof qualified, "%s%s%s", schema ? schema : "", schema ? "." : "", name);
    args = arena_alloc(b->arena, sizeof(Expr *) * (fc->n_args ? fc->n_args : 1));
    for (size_t i = 0; i < fc->n_args; i++) {
        if (fc->args[i]->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR)
            return unsupported(b, fc->args[i]->named_arg_expr->location, "named arguments");
        if ((args[i] = bind_expr(b, fc->args[i])) == NULL)
            return NULL;
    }
    return bind_call(b, fc, name, qualified, args, (int)fc->n_args);
}

static Expr *
bind_sqlvalue(BindCtx *b, const PgQuery__SQLValueFunction *v)
{
    static const char *const names[] = {"?",
                                        "CURRENT_DATE",
                                        "CURRENT_TIME",
                                        "CURRENT_TIME",
                                        "CURRENT_TIMESTAMP",
                                        "CURRENT_TIMESTAMP",
                                        "LOCALTIME",
                                        "LOCALTIME",
                                        "LOCALTIMESTAMP",
                                        "LOCALTIMESTAMP"};
    BuiltinFn fn;
    Oid type = TYPE_NAME;

    switch (v->op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
        fn = fn_current_user;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
        fn = fn_session_user;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
        fn = fn_current_database;
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
        fn = fn_current_schema;
        break;
    default:
        return unsupported(b, v->location, (int)v->op < 10 ? names[v->op] : "this function");
    }
    return expr_func(b->arena, NULL, fn, true, type, 0, NULL, v->location);
}

/* ---- column references and the dispatcher ------------------------------------------- */

static Expr *
bind_columnref(BindCtx *b, const PgQuery__ColumnRef *cr)
{
    const char *first = cr->n_fields > 0 ? bind_node_str(cr->fields[0]) : NULL;

    if (cr->n_fields == 1 && first != NULL)
        bind_error(b, cr->location, ERRCODE_UNDEFINED_COLUMN, "column \"%s\" does not exist",
                   first);
    else if (cr->n_fields == 1)
        bind_error(b, cr->location, ERRCODE_SYNTAX_ERROR,
                   "SELECT * with no tables specified is not valid");
    else
        bind_error(b, cr->location, ERRCODE_UNDEFINED_TABLE,
                   "missing FROM-clause entry for table \"%s\"",
                   cr->n_fields > 2 ? bind_node_str(cr->fields[cr->n_fields - 2]) : first);
    return NULL;
}

Expr *
bind_expr(BindCtx *b, const Node *n)
{
    if (n == NULL) {
        ERR_RAISE(b->err, ERRCODE_INTERNAL_ERROR, "missing expression");
        return NULL;
    }
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
        return bind_const(b, n->a_const);
    case PG_QUERY__NODE__NODE_PARAM_REF:
        return bind_param(b, n->param_ref->number, n->param_ref->location);
    case PG_QUERY__NODE__NODE_COLUMN_REF:
        return bind_columnref(b, n->column_ref);
    case PG_QUERY__NODE__NODE_A_EXPR:
        return bind_aexpr(b, n->a_expr);
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
        return bind_boolexpr(b, n->bool_expr);
    case PG_QUERY__NODE__NODE_NULL_TEST:
        return bind_nulltest(b, n->null_test);
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
        return bind_booltest(b, n->boolean_test);
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        return bind_case(b, n->case_expr);
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        return bind_coalesce(b, n->coalesce_expr);
    case PG_QUERY__NODE__NODE_TYPE_CAST:
        return bind_typecast(b, n->type_cast);
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        return bind_funccall(b, n->func_call);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
        return bind_sqlvalue(b, n->sqlvalue_function);
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
        return unsupported(b, n->min_max_expr->location, "GREATEST/LEAST");
    case PG_QUERY__NODE__NODE_SUB_LINK:
        return unsupported(b, n->sub_link->location, "subqueries");
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
        return unsupported(b, n->a_array_expr->location, "ARRAY");
    case PG_QUERY__NODE__NODE_ROW_EXPR:
        return unsupported(b, n->row_expr->location, "ROW expressions");
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
        return unsupported(b, n->collate_clause->location, "COLLATE");
    case PG_QUERY__NODE__NODE_A_INDIRECTION:
        return unsupported(b, -1, "field selection and subscripts");
    case PG_QUERY__NODE__NODE_GROUPING_FUNC:
        return unsupported(b, n->grouping_func->location, "GROUPING");
    default:
        return unsupported(b, -1, "this kind of expression");
    }
}
