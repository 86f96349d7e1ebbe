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
#include "sql/bind_query.h"
#include "sql/bind_struct.h"
#include "sql/bind_struct_expr.h"
#include "sql/bind_sublink.h"
#include "sql/bind_window.h"
#include "sql/builtins.h"
#include "sql/datetime_ops.h"
#include "sql/func_datetime.h"
#include "sql/func_string.h"
#include "sql/numeric.h"

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
    Datum d;

    if (int_parse(s, strlen(s), INT64_MIN, INT64_MAX, &v) == 0) {
        if (v >= INT32_MIN && v <= INT32_MAX)
            return expr_const(b->arena, TYPE_INT4, datum_from_int32((int32_t)v), false, location);
        return expr_const(b->arena, TYPE_INT8, datum_from_int64(v), false, location);
    }
    if (numeric_parse(b->arena, s, strlen(s), &d, b->err) < 0) {
        err_position(b->err, bind_position(b, location));
        return NULL;
    }
    return expr_const(b->arena, TYPE_NUMERIC, d, false, location);
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
    if (t->oid == TYPE_RECORD) { /* read when its struct typmod is known (sql/bind_struct.h) */
        *e = expr_new(b->arena, EXPR_COERCE_IO, TYPE_RECORD, lit->location);
        (*e)->u.arg = (Expr *)lit;
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
    switch (resolve_coercion_path(target, src, cc, &f)) {
    case COERCION_PATH_NONE:
        return 1;
    case COERCION_PATH_RELABEL:
        n = arena_memdup(b->arena, *e, sizeof **e);
        n->type = target;
        n->typmod = -1; /* a typmod is applied afterwards, by bind_coerce_typmod() */
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

int32_t
bind_common_typmod(Expr *const *exprs, int n)
{
    for (int i = 1; i < n; i++) {
        if (exprs[i]->typmod != exprs[0]->typmod)
            return -1;
    }
    return n > 0 ? exprs[0]->typmod : -1;
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
    if (common == TYPE_RECORD && bind_struct_common(b, exprs, n, context) < 0)
        return -1; /* STRUCTs of different types: sql/bind_struct_expr.c */
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
Expr *
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

Expr *
bind_make_bool(BindCtx *b, ExprKind kind, Expr *x, Expr *y, int location)
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
        Expr *r = bind_expr(b, list->items[i]), *cmp = NULL;
        int rc = r != NULL ? bind_struct_row_pair(b, op, l, r, a->location, &cmp) : -1;

        /* ROW(..) IN (ROW(..), ...): field by field (sql/bind_struct_expr.c) */
        if (rc < 0 || (rc == 0 && (cmp = bind_op(b, op, l, r, a->location)) == NULL))
            return NULL;
        if ((cmp = bind_coerce_bool(b, cmp, "IN")) == NULL)
            return NULL;
        result = result == NULL ? cmp
                                : bind_make_bool(b, strcmp(op, "<>") == 0 ? EXPR_AND : EXPR_OR, result,
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
    first = bind_make_bool(b, negated ? EXPR_OR : EXPR_AND, c1, c2, loc);
    if (!symmetric)
        return first;
    if ((c3 = bind_op(b, negated ? "<" : ">=", x, hi, loc)) == NULL ||
        (c4 = bind_op(b, negated ? ">" : "<=", x, lo, loc)) == NULL)
        return NULL;
    return bind_make_bool(b, negated ? EXPR_AND : EXPR_OR, first,
                     bind_make_bool(b, negated ? EXPR_OR : EXPR_AND, c3, c4, loc), loc);
}

static Expr *
bind_aexpr(BindCtx *b, const PgQuery__AExpr *a)
{
    Expr *l = NULL, *r = NULL;
    int rc = bind_struct_row_op(b, a, &l); /* ROW(..) op ROW(..): sql/bind_struct_expr.c */

    if (rc != 0)
        return rc > 0 ? l : NULL;
    switch (a->kind) {
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
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:  /* ~~ / !~~, ESCAPE is like_escape() already */
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE: /* ~~* / !~~* */
    case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR: /* ~ / !~ similar_to_escape(pattern) */
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
    if (arg->type == TYPE_RECORD) /* all fields NULL / none NULL: sql/bind_struct_expr.c */
        return bind_struct_nulltest(b, arg,
                                    nt->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL,
                                    leftmost(arg->location, nt->location));
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
    e->typmod = bind_common_typmod(results, n + 1);
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
    e->typmod = bind_common_typmod(args, (int)c->n_args);
    return e;
}

/*
 * GREATEST / LEAST (transformMinMaxExpr): the arguments are coerced to their common type and
 * compared with its > or < operator, NULLs ignored. Bound as a non-strict call of
 * fn_greatest/fn_least whose last, hidden argument is a constant holding the comparison
 * function, so every walker that knows EXPR_FUNC handles it.
 */
static Expr *
bind_minmax(BindCtx *b, const PgQuery__MinMaxExpr *mm)
{
    bool greatest = mm->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST;
    const char *what = greatest ? "GREATEST" : "LEAST";
    int n = (int)mm->n_args;
    Expr **args = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n + 1)), *x, *y, *cmp;
    Oid type;

    for (int i = 0; i < n; i++) {
        if ((args[i] = bind_expr(b, mm->args[i])) == NULL)
            return NULL;
    }
    if (bind_common_type(b, args, n, what, &type) < 0)
        return NULL;
    if (type == TYPE_UNKNOWN) { /* all unknown literals: text, as select_common_type decides */
        for (int i = 0; i < n; i++) {
            if (bind_coerce(b, &args[i], TYPE_TEXT, COERCION_IMPLICIT, mm->location) < 0)
                return NULL;
        }
        type = TYPE_TEXT;
    }
    x = expr_new(b->arena, EXPR_CASE_TEST, type, -1);
    y = expr_new(b->arena, EXPR_CASE_TEST, type, -1);
    cmp = bind_op(b, greatest ? ">" : "<", x, y, mm->location);
    if (cmp == NULL || cmp->kind != EXPR_FUNC || cmp->u.func.args[0]->kind != EXPR_CASE_TEST ||
        cmp->u.func.args[1]->kind != EXPR_CASE_TEST) {
        err_clear(b->err);
        bind_error(b, mm->location, ERRCODE_UNDEFINED_FUNCTION,
                   "could not identify a comparison function for type %s", type_sql_name(type));
        return NULL;
    }
    args[n] = expr_const(b->arena, TYPE_INT8, (Datum)(uintptr_t)cmp->u.func.fn, false, -1);
    cmp = expr_func(b->arena, NULL, greatest ? fn_greatest : fn_least, false, type, n + 1, args,
                    mm->location);
    cmp->typmod = bind_common_typmod(args, n);
    return cmp;
}

/*
 * x COLLATE name (transformCollateClause). Every string comparison here is bytewise, which is
 * what the "C" family of collations means, so those are accepted as no-ops; PostgreSQL's ICU
 * and libc locale collations are 0A000, unknown names 42704.
 */
static Expr *
bind_collate(BindCtx *b, const PgQuery__CollateClause *cc)
{
    static const char *const same_as_c[] = {"default", "C", "POSIX", "ucs_basic", "C.utf8"};
    const char *name = cc->n_collname > 0 ? bind_node_str(cc->collname[cc->n_collname - 1]) : NULL;
    const char *schema = cc->n_collname > 1 ? bind_node_str(cc->collname[0]) : NULL;
    Expr *arg = bind_expr(b, cc->arg);
    char cat;

    if (arg == NULL)
        return NULL;
    if (arg->type == TYPE_UNKNOWN &&
        bind_coerce(b, &arg, TYPE_TEXT, COERCION_IMPLICIT, cc->location) != 0)
        return NULL;
    cat = type_category(arg->type);
    if (cat != TYPCAT_STRING) {
        bind_error(b, cc->location, ERRCODE_DATATYPE_MISMATCH,
                   "collations are not supported by type %s", type_sql_name(arg->type));
        return NULL;
    }
    if (name == NULL || cc->n_collname > 2 ||
        (schema != NULL && strcmp(schema, "pg_catalog") != 0)) {
        bind_error(b, cc->location, ERRCODE_UNDEFINED_OBJECT,
                   "collation \"%s%s%s\" for encoding \"UTF8\" does not exist",
                   schema ? schema : "", schema ? "." : "", name ? name : "?");
        return NULL;
    }
    for (size_t i = 0; i < sizeof same_as_c / sizeof same_as_c[0]; i++) {
        if (strcmp(name, same_as_c[i]) == 0)
            return arg;
    }
    if (strstr(name, "-x-icu") != NULL) /* PostgreSQL's ICU collations */
        return unsupported(b, cc->location, "this collation");
    bind_error(b, cc->location, ERRCODE_UNDEFINED_OBJECT,
               "collation \"%s\" for encoding \"UTF8\" does not exist", name);
    return NULL;
}

/* ---- casts and types -------------------------------------------------------------- */

/*
 * typenameTypeMod(): the modifiers after a type name must be integer constants, or strings and
 * identifiers that read as integers (ArrayGetIntegerTypmods), then the type's typmodin decides.
 */
static int
bind_typmods(BindCtx *b, const PgQuery__TypeName *tn, const TypeInfo *t, int32_t *typmod)
{
    int32_t mods[8];

    if (t->typmodin == NULL)
        return bind_error(b, tn->location, ERRCODE_SYNTAX_ERROR,
                          "type modifier is not allowed for type \"%s\"", t->name);
    if (tn->n_typmods > sizeof mods / sizeof mods[0])
        return bind_error(b, tn->location, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                          "too many type modifiers");
    for (size_t i = 0; i < tn->n_typmods; i++) {
        const Node *m = tn->typmods[i];
        const char *s = NULL;
        int64_t v;
        int rc;

        if (m->node_case == PG_QUERY__NODE__NODE_A_CONST && !m->a_const->isnull) {
            const PgQuery__AConst *c = m->a_const;

            if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
                mods[i] = c->ival != NULL ? c->ival->ival : 0;
                continue;
            }
            s = c->val_case == PG_QUERY__A__CONST__VAL_FVAL   ? c->fval->fval
                : c->val_case == PG_QUERY__A__CONST__VAL_SVAL ? c->sval->sval
                                                              : NULL;
        } else if (m->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
                   m->column_ref->n_fields == 1) {
            s = bind_node_str(m->column_ref->fields[0]);
        }
        if (s == NULL)
            return bind_error(b, tn->location, ERRCODE_SYNTAX_ERROR,
                              "type modifiers must be simple constants or identifiers");
        rc = int_parse(s, strlen(s), INT32_MIN, INT32_MAX, &v);
        if (rc == -1)
            return bind_error(b, tn->location, ERRCODE_INVALID_TEXT_REPRESENTATION,
                              "invalid input syntax for type integer: \"%s\"", s);
        if (rc == -2)
            return bind_error(b, tn->location, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                              "value \"%s\" is out of range for type integer", s);
        mods[i] = (int32_t)v;
    }
    if (t->typmodin(mods, (int)tn->n_typmods, typmod, b->err) < 0) {
        err_position(b->err, bind_position(b, tn->location));
        return -1;
    }
    {
        /* date/time precisions above 6 are reduced with a warning, as PostgreSQL */
        char msg[128];

        if (b->session != NULL &&
            dt_typmod_precision_warning(t->oid, mods, (int)tn->n_typmods, msg, sizeof msg)) {
            Err w;

            err_clear(&w);
            err_raise(&w, ERR_WARNING, ERRCODE_INVALID_PARAMETER_VALUE, "%s", msg);
            err_position(&w, bind_position(b, tn->location));
            session_push_notice(b->session, &w);
        }
    }
    return 0;
}

int
bind_type_name(BindCtx *b, const PgQuery__TypeName *tn, Oid *out, int32_t *typmod)
{
    const char *name = tn->n_names > 0 ? bind_node_str(tn->names[tn->n_names - 1]) : NULL;
    const char *schema = tn->n_names > 1 ? bind_node_str(tn->names[tn->n_names - 2]) : NULL;
    const TypeInfo *t;
    int rc = bind_struct_type_name(b, tn, out, typmod); /* STRUCT<...> (sql/bind_struct.h) */

    if (rc <= 0)
        return rc;
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
    *typmod = -1;
    if (tn->n_typmods > 0 && bind_typmods(b, tn, t, typmod) < 0)
        return -1;
    *out = t->oid;
    return 0;
}

int
bind_coerce_typmod(BindCtx *b, Expr **e, int32_t typmod, bool is_explicit, int location)
{
    const TypeInfo *t = type_by_oid((*e)->type);
    Oid argtypes[3] = {(*e)->type, TYPE_INT4, TYPE_BOOL};
    const FuncDef *f;
    Expr **args, *n;

    if ((*e)->type == TYPE_RECORD) {
        /* STRUCT types: ROW(...) field by field (sql/bind_struct_expr.c), else sql/bind_struct.c */
        int rc = bind_struct_coerce(b, e, typmod, is_explicit, location);

        return rc <= 0 ? rc : bind_struct_coerce_typmod(b, e, typmod, location);
    }
    if (typmod < 0 || typmod == (*e)->typmod || t == NULL)
        return 0;
    f = catalog_find_func_exact(t->name, 3, argtypes);
    if (f == NULL) {
        /* no length-coercion function: the modifier is only recorded (RelabelType) */
        n = arena_memdup(b->arena, *e, sizeof **e);
        n->typmod = typmod;
        *e = n;
        return 0;
    }
    args = arena_alloc(b->arena, sizeof(Expr *) * 3);
    args[0] = *e;
    args[1] = expr_const(b->arena, TYPE_INT4, datum_from_int32(typmod), false, -1);
    args[2] = expr_const(b->arena, TYPE_BOOL, datum_from_bool(is_explicit), false, -1);
    n = expr_func(b->arena, f, f->fn, (f->flags & FN_STRICT) != 0, f->ret, 3, args,
                  leftmost((*e)->location, location));
    n->typmod = typmod;
    *e = n;
    return 0;
}

/* An explicit cast: CAST(x AS t), x::t, t 'literal', or typename(x). */
static Expr *
cast_to(BindCtx *b, Expr *arg, Oid target, int32_t typmod, int location)
{
    Oid src = arg->type;
    int rc;

    /* an INTERVAL literal reads its fields by its typmod ('1' DAY), as PostgreSQL's coerce_type */
    if (src == TYPE_UNKNOWN && arg->kind == EXPR_CONST && target == TYPE_INTERVAL && typmod >= 0 &&
        !arg->u.konst.isnull) {
        const TypeInfo *t = type_by_oid(target);
        const VarData *v = datum_get_var(arg->u.konst.d);
        Datum d;

        if (t != NULL && t->supported) {
            if (t->in(v->data, v->len, typmod, b->io, b->arena, &d, b->err) < 0) {
                err_position(b->err, bind_position(b, arg->location));
                return NULL;
            }
            arg = expr_const(b->arena, target, d, false, arg->location);
        }
    }
    rc = bind_coerce(b, &arg, target, COERCION_EXPLICIT, location);

    if (rc < 0)
        return NULL;
    if (rc > 0) {
        if (check_arg_types(b, &arg, 1) < 0)
            return NULL;
        bind_error(b, location, ERRCODE_CANNOT_COERCE, "cannot cast type %s to %s",
                   type_sql_name(src), type_sql_name(target));
        return NULL;
    }
    if (bind_coerce_typmod(b, &arg, typmod, true, location) < 0)
        return NULL;
    return arg;
}

static Expr *
bind_typecast(BindCtx *b, const PgQuery__TypeCast *tc)
{
    Oid target;
    int32_t typmod;
    Expr *arg;
    int location = tc->location >= 0 ? tc->location : tc->type_name->location;

    if (bind_type_name(b, tc->type_name, &target, &typmod) < 0 ||
        (arg = bind_expr(b, tc->arg)) == NULL)
        return NULL;
    return cast_to(b, arg, target, typmod, location);
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
        return cast_to(b, args[0], target, -1, fc->location);
    for (int i = 0; i < nargs; i++)
        inputs[i] = args[i]->type;
    while (n < 64 && (f = catalog_next_func(name, &pos)) != NULL) {
        if ((f->flags & FN_VARIADIC_ANY) && nargs >= f->nargs) {
            /* VARIADIC "any": the last declared argument repeats */
            Oid *expanded = arena_alloc(b->arena, sizeof(Oid) * (size_t)nargs);

            for (int i = 0; i < nargs; i++)
                expanded[i] = f->args[i < f->nargs ? i : f->nargs - 1];
            argv[n] = expanded;
            cands[n++] = f;
            continue;
        }
        if (f->nargs != nargs)
            continue;
        if (memcmp(f->args, inputs, sizeof(Oid) * (size_t)nargs) == 0)
            chosen = n;
        argv[n] = f->args;
        cands[n++] = f;
    }
    found = chosen >= 0 ? 1 : resolve_select(nargs, inputs, argv, n, &chosen);
    if (found != 1) {
        if (found == 0 && is_aggregate_name(name)) {
            bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "aggregate function %s is not supported yet", name);
            return NULL;
        }
        return func_not_found(b, fc, qualified, args, nargs, found);
    }
    f = cands[chosen];
    if (coerce_args(b, args, nargs, argv[chosen], fc->location) < 0)
        return NULL;
    /* what a materialized view may not read (sql/bind_matview.c) */
    if (b->time_function == NULL &&
        ((f->flags & FN_VOLATILE) || strcmp(f->name, "now") == 0 ||
         strcmp(f->name, "transaction_timestamp") == 0 ||
         strcmp(f->name, "statement_timestamp") == 0)) {
        b->time_function = arena_sprintf(b->arena, "%s()", f->name);
        b->time_location = fc->location;
    }
    return expr_func(b->arena, f, f->fn, (f->flags & FN_STRICT) != 0, f->ret, nargs, args,
                     fc->location);
}

static int
bind_arg_location(const Node *n)
{
    return n->node_case == PG_QUERY__NODE__NODE_A_CONST ? n->a_const->location
           : n->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR ? n->named_arg_expr->location
                                                                 : -1;
}

/* Records argument i's name (name => value); 42601 for a name used twice, as PostgreSQL. */
static int
bind_named_arg(BindCtx *b, const PgQuery__FuncCall *fc, size_t i, const char ***names)
{
    const PgQuery__NamedArgExpr *na = fc->args[i]->named_arg_expr;

    if (*names == NULL) {
        *names = arena_alloc(b->arena, sizeof(char *) * fc->n_args);
        memset(*names, 0, sizeof(char *) * fc->n_args);
    }
    for (size_t k = 0; k < i; k++) {
        if ((*names)[k] != NULL && strcmp((*names)[k], na->name) == 0)
            return bind_error(b, na->location, ERRCODE_SYNTAX_ERROR,
                              "argument name \"%s\" used more than once", na->name);
    }
    (*names)[i] = na->name;
    return 0;
}

static Expr *
bind_funccall(BindCtx *b, const PgQuery__FuncCall *fc)
{
    const char *name = fc->n_funcname > 0 ? bind_node_str(fc->funcname[fc->n_funcname - 1]) : NULL;
    const char *schema = fc->n_funcname > 1 ? bind_node_str(fc->funcname[0]) : NULL;
    char qualified[256];
    Expr **args;
    const char **names = NULL; /* argument names (name => value), NULL when none */
    int nargs = (int)fc->n_args;

    if (name == NULL || fc->n_funcname > 2)
        return unsupported(b, fc->location, "this form of function name");
    if (schema != NULL && strcmp(schema, "pg_catalog") != 0) {
        bind_error(b, fc->location, ERRCODE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist",
                   schema);
        return NULL;
    }
    snprintf(qualified, sizeof qualified, "%s%s%s", schema ? schema : "", schema ? "." : "", name);
    if (fc->over != NULL) /* sql/bind_window.c */
        return bind_window_call(b, fc, name, qualified);
    if (fc->agg_star || agg_name_exists(name))
        return bind_query_aggregate(b, fc, name, qualified);
    if ((fc->agg_distinct || fc->n_agg_order > 0 || fc->agg_filter != NULL ||
         fc->agg_within_group) &&
        is_aggregate_name(name)) { /* PostgreSQL has it (array_agg, ...), Rivulet not yet */
        bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "aggregate function %s is not supported yet", qualified);
        return NULL;
    }
    if (fc->agg_distinct || fc->n_agg_order > 0 || fc->agg_filter != NULL ||
        fc->agg_within_group) {
        bind_error(b, fc->location, ERRCODE_WRONG_OBJECT_TYPE,
                   fc->agg_distinct ? "DISTINCT specified, but %s is not an aggregate function"
                   : fc->agg_filter != NULL
                       ? "FILTER specified, but %s is not an aggregate function"
                       : "ORDER BY specified, but %s is not an aggregate function",
                   qualified);
        return NULL;
    }
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
        const Node *arg = fc->args[i];

        if (arg->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR) {
            if (bind_named_arg(b, fc, i, &names) < 0)
                return NULL;
            arg = arg->named_arg_expr->arg;
        } else if (names != NULL) {
            bind_error(b, bind_arg_location(arg), ERRCODE_SYNTAX_ERROR,
                       "positional argument cannot follow named argument");
            return NULL;
        }
        if ((args[i] = bind_expr(b, arg)) == NULL)
            return NULL;
    }
    if (names != NULL) {
        char sig[512];

        if (func_datetime_named_args(b->arena, name, names, &args, &nargs, sig, sizeof sig) != 0) {
            bind_error(b, fc->location, ERRCODE_UNDEFINED_FUNCTION, "function %s does not exist",
                       sig);
            err_hint(b->err, "No function matches the given name and argument types. You might "
                             "need to add explicit type casts.");
            return NULL;
        }
    }
    return bind_call(b, fc, name, qualified, args, nargs);
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
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
        if (b->time_function == NULL) {
            b->time_function = names[v->op];
            b->time_location = v->location;
        }
        return func_datetime_sqlvalue(b->arena, b->session, names[v->op], v->typmod,
                                      v->location);
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

    if (b->scope != NULL)
        return bind_query_columnref(b, cr);

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
        return bind_minmax(b, n->min_max_expr);
    case PG_QUERY__NODE__NODE_SUB_LINK:
        return bind_sublink(b, n->sub_link); /* sql/bind_sublink.c */
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
        return unsupported(b, n->a_array_expr->location, "ARRAY");
    case PG_QUERY__NODE__NODE_ROW_EXPR:
        return bind_struct_row(b, n->row_expr); /* sql/bind_struct_expr.c */
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
        return bind_collate(b, n->collate_clause);
    case PG_QUERY__NODE__NODE_A_INDIRECTION:
        return bind_struct_indirection(b, n->a_indirection); /* sql/bind_struct_expr.c */
    case PG_QUERY__NODE__NODE_GROUPING_FUNC:
        return unsupported(b, n->grouping_func->location, "GROUPING");
    default:
        return unsupported(b, -1, "this kind of expression");
    }
}
