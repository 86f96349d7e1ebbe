/*
 * sql/bind_struct_expr.c — binding expressions over STRUCT values (PostgreSQL's
 * transformIndirection / ParseFuncOrColumn for field selection, transformRowExpr,
 * make_row_comparison_op, make_row_distinct_op, coerce_record_to_complex).
 *
 * Pipeline position: called from sql/bind_expr.c (A_Indirection, RowExpr, NullTest,
 * A_Expr and IN lists over row constructors, common types and typmod coercion of
 * TYPE_RECORD), sql/bind_query.c and sql/binder.c (`(x).*` in a select list), sql/bind_dml.c
 * (UPDATE ... SET s.f = v). Produces EXPR_FUNC calls of sql/func_struct.h's built-ins:
 *
 *   (x).f              fn_struct_field(x, int4 index)          strict, the field's type/typmod
 *   ROW(a, b)          fn_struct_make(a, b, int8 StructType*)  not strict, TYPE_RECORD/typmod
 *   x IS [NOT] NULL    fn_struct_nulltest(x, bool is_not)       not strict
 *
 * A row constructor's type is the anonymous struct<f1 t1, f2 t2, ...> interned in the
 * registry (sql/types_struct.h), so `(ROW(1, 2)).f2` and `(ROW(1, 2)).*` work as in
 * PostgreSQL; selecting a field of a row constructor takes the argument itself (PostgreSQL
 * does the same: `(ROW(1, 'a')).f2` is the untyped literal).
 *
 * Invariants: see sql/bind_struct_expr.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sql/bind_struct_expr.h"
#include "sql/func_struct.h"

static bool
is_row_ctor(const Expr *e)
{
    return e->kind == EXPR_FUNC && e->u.func.fn == fn_struct_make;
}

static const StructType *
struct_of(const Expr *e)
{
    return e->type == TYPE_RECORD ? struct_type_lookup(e->typmod) : NULL;
}

/* The name PostgreSQL's messages give a type: a struct's canonical text, else format_type. */
static const char *
type_name_of(BindCtx *b, Oid type, int32_t typmod)
{
    const StructType *st = type == TYPE_RECORD ? struct_type_lookup(typmod) : NULL;

    if (st != NULL)
        return st->text;
    return arena_strdup(b->arena, type_sql_name(type));
}

/* ---- field selection ------------------------------------------------------------------ */

static Expr *
field_expr(BindCtx *b, Expr *e, const StructType *st, int i)
{
    Expr **args, *f;

    if (is_row_ctor(e)) /* ROW(a, b).f2 is b itself */
        return e->u.func.args[i];
    args = arena_alloc(b->arena, sizeof(Expr *) * 2);
    args[0] = e;
    args[1] = expr_const(b->arena, TYPE_INT4, datum_from_int32(i), false, -1);
    f = expr_func(b->arena, NULL, fn_struct_field, true, st->fields[i].type, 2, args, e->location);
    f->typmod = st->fields[i].typmod;
    return f;
}

/* (e).name; errors at location (the indirection's base expression, as PostgreSQL). */
static Expr *
select_field(BindCtx *b, Expr *e, const char *name, int location)
{
    const StructType *st;

    if (e->type != TYPE_RECORD) {
        bind_error(b, location, ERRCODE_WRONG_OBJECT_TYPE,
                   "column notation .%s applied to type %s, which is not a composite type", name,
                   type_sql_name(e->type));
        return NULL;
    }
    st = struct_of(e);
    for (int i = 0; st != NULL && i < st->nfields; i++) {
        if (strcmp(st->fields[i].name, name) == 0)
            return field_expr(b, e, st, i);
    }
    if (st == NULL || is_row_ctor(e))
        bind_error(b, location, ERRCODE_UNDEFINED_COLUMN,
                   "could not identify column \"%s\" in record data type", name);
    else
        bind_error(b, location, ERRCODE_UNDEFINED_COLUMN, "column \"%s\" not found in data type %s",
                   name, st->text);
    return NULL;
}

/* Applies indirection[0 .. n) to e (n excludes a final `*` the caller expands). */
static Expr *
apply_indirection(BindCtx *b, Expr *e, Node *const *ind, size_t n, int location)
{
    for (size_t k = 0; k < n && e != NULL; k++) {
        const Node *step = ind[k];

        switch (step->node_case) {
        case PG_QUERY__NODE__NODE_STRING:
            e = select_field(b, e, step->string->sval, location);
            break;
        case PG_QUERY__NODE__NODE_A_STAR:
            bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "row expansion via \"*\" is not supported here");
            return NULL;
        case PG_QUERY__NODE__NODE_A_INDICES:
            bind_error(b, location, ERRCODE_DATATYPE_MISMATCH,
                       "cannot subscript type %s because it does not support subscripting",
                       is_row_ctor(e) ? "record" : type_name_of(b, e->type, e->typmod));
            return NULL;
        default:
            bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "this kind of indirection is not supported yet");
            return NULL;
        }
    }
    return e;
}

Expr *
bind_struct_indirection(BindCtx *b, const PgQuery__AIndirection *ind)
{
    Expr *e = bind_expr(b, ind->arg);

    if (e == NULL)
        return NULL;
    return apply_indirection(b, e, ind->indirection, ind->n_indirection, e->location);
}

int
bind_struct_star(BindCtx *b, const Node *n, Expr ***exprs, const char ***names, int *nout)
{
    const PgQuery__AIndirection *ind;
    const StructType *st;
    Expr *e;

    if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_A_INDIRECTION)
        return 0;
    ind = n->a_indirection;
    if (ind->n_indirection == 0 ||
        ind->indirection[ind->n_indirection - 1]->node_case != PG_QUERY__NODE__NODE_A_STAR)
        return 0;
    if ((e = bind_expr(b, ind->arg)) == NULL ||
        (e = apply_indirection(b, e, ind->indirection, ind->n_indirection - 1, e->location)) ==
            NULL)
        return -1;
    if (e->type != TYPE_RECORD)
        return bind_error(b, -1, ERRCODE_WRONG_OBJECT_TYPE, "type %s is not composite",
                          type_sql_name(e->type));
    if ((st = struct_of(e)) == NULL)
        return bind_error(b, e->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "record type has not been registered");
    *exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(st->nfields ? st->nfields : 1));
    *names = arena_alloc(b->arena, sizeof(char *) * (size_t)(st->nfields ? st->nfields : 1));
    for (int i = 0; i < st->nfields; i++) {
        (*exprs)[i] = field_expr(b, e, st, i);
        (*names)[i] = st->fields[i].name;
    }
    *nout = st->nfields;
    return 1;
}

/* ---- row constructors ------------------------------------------------------------------ */

/* fn_struct_make over args[0 .. n) (room for one more) as struct type st. */
static Expr *
make_row(BindCtx *b, Expr **args, const StructType *st, int location)
{
    Expr *e;

    args[st->nfields] =
        expr_const(b->arena, TYPE_INT8, (Datum)(uintptr_t)st, false, -1); /* never freed */
    e = expr_func(b->arena, NULL, fn_struct_make, false, TYPE_RECORD, st->nfields + 1, args,
                  location);
    e->typmod = st->typmod;
    return e;
}

Expr *
bind_struct_row(BindCtx *b, const PgQuery__RowExpr *r)
{
    int n = (int)r->n_args;
    Expr **args = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n + 1));
    StructField *fields = arena_alloc(b->arena, sizeof(StructField) * (size_t)(n ? n : 1));
    const StructType *st;

    for (int i = 0; i < n; i++) {
        Expr *a = bind_expr(b, r->args[i]);

        if (a == NULL)
            return NULL;
        /* an untyped literal stays untyped (invariant 2); an untyped $n becomes text */
        if (a->type == TYPE_UNKNOWN && a->kind != EXPR_CONST &&
            bind_coerce(b, &a, TYPE_TEXT, COERCION_IMPLICIT, a->location) != 0)
            return NULL;
        args[i] = a;
        fields[i].name = arena_sprintf(b->arena, "f%d", i + 1);
        fields[i].type = a->type == TYPE_UNKNOWN ? TYPE_TEXT : a->type;
        fields[i].typmod = a->type == TYPE_UNKNOWN ? -1 : a->typmod;
    }
    if (struct_type_intern(fields, n, &st, b->err) < 0) {
        err_position(b->err, bind_position(b, r->location));
        return NULL;
    }
    return make_row(b, args, st, r->location);
}

Expr *
bind_struct_nulltest(BindCtx *b, Expr *arg, bool is_not, int location)
{
    Expr **args = arena_alloc(b->arena, sizeof(Expr *) * 2);

    args[0] = arg;
    args[1] = expr_const(b->arena, TYPE_BOOL, datum_from_bool(is_not), false, -1);
    return expr_func(b->arena, NULL, fn_struct_nulltest, false, TYPE_BOOL, 2, args, location);
}

/* ---- casts to a struct type ------------------------------------------------------------- */

static int cast_error(BindCtx *b, const StructType *to, int location, const char *detail_fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
cast_error(BindCtx *b, const StructType *to, int location, const char *detail_fmt, ...)
{
    char detail[ERR_MESSAGE_MAX];
    va_list ap;

    va_start(ap, detail_fmt);
    vsnprintf(detail, sizeof detail, detail_fmt, ap);
    va_end(ap);
    bind_error(b, location, ERRCODE_CANNOT_COERCE, "cannot cast type record to %s", to->text);
    err_detail(b->err, "%s", detail);
    return -1;
}

int
bind_struct_coerce(BindCtx *b, Expr **e, int32_t typmod, bool is_explicit, int location)
{
    const StructType *st = struct_type_lookup(typmod);
    CoercionContext cc = is_explicit ? COERCION_EXPLICIT : COERCION_ASSIGNMENT;
    Expr **args;
    int nin;

    if (!is_row_ctor(*e))
        return 1; /* literals, NULL, other struct types: sql/bind_struct.c */
    if (typmod < 0 || (*e)->typmod == typmod)
        return 0;
    if (st == NULL)
        return bind_error(b, location, ERRCODE_INTERNAL_ERROR, "struct type %d is not registered",
                          (int)typmod);
    nin = (*e)->u.func.nargs - 1;
    args = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(st->nfields + 1));
    for (int i = 0; i < st->nfields; i++) {
        Expr *a;
        Oid src;
        int rc;

        if (i >= nin)
            return cast_error(b, st, location, "Input has too few columns.");
        a = (*e)->u.func.args[i];
        src = a->type;
        rc = bind_coerce(b, &a, st->fields[i].type, cc, a->location);
        if (rc < 0)
            return -1;
        if (rc > 0)
            /* parser_coercion_errposition: the cast's position, else the field's */
            return cast_error(b, st, is_explicit ? location : a->location,
                              "Cannot cast type %s to %s in column %d.", type_sql_name(src),
                              type_name_of(b, st->fields[i].type, -1), i + 1);
        if (bind_coerce_typmod(b, &a, st->fields[i].typmod, is_explicit, a->location) < 0)
            return -1;
        args[i] = a;
    }
    if (nin > st->nfields)
        return cast_error(b, st, location, "Input has too many columns.");
    *e = make_row(b, args, st, (*e)->location);
    return 0;
}

/* ---- common types ----------------------------------------------------------------------- */

int
bind_struct_common(BindCtx *b, Expr **exprs, int n, const char *context)
{
    const Expr *f = NULL;

    for (int i = 0; i < n; i++) {
        const Expr *e = exprs[i];

        if (e->type != TYPE_RECORD)
            continue;
        if (f == NULL) {
            f = e;
            continue;
        }
        if (is_row_ctor(f) && is_row_ctor(e))
            continue; /* anonymous records: each value names its own type */
        if (is_row_ctor(f) != is_row_ctor(e))
            return bind_error(b, e->location, ERRCODE_DATATYPE_MISMATCH,
                              "%s types %s and %s cannot be matched", context,
                              is_row_ctor(f) ? "record" : type_name_of(b, f->type, f->typmod),
                              is_row_ctor(e) ? "record" : type_name_of(b, e->type, e->typmod));
        if (f->typmod != e->typmod)
            return bind_error(
                b, e->location, ERRCODE_CANNOT_COERCE, "%s could not convert type %s to %s",
                strcmp(context, "CASE") == 0 ? "CASE/WHEN" : context,
                type_name_of(b, e->type, e->typmod), type_name_of(b, f->type, f->typmod));
    }
    return 0;
}

/* ---- row comparisons -------------------------------------------------------------------- */

/* The bound arguments of a RowExpr node; -1 on error. */
static int
row_args(BindCtx *b, const PgQuery__RowExpr *r, Expr ***out)
{
    *out = arena_alloc(b->arena, sizeof(Expr *) * (r->n_args ? r->n_args : 1));
    for (size_t i = 0; i < r->n_args; i++) {
        if (((*out)[i] = bind_expr(b, r->args[i])) == NULL)
            return -1;
    }
    return 0;
}

static Expr *
pair_op(BindCtx *b, const char *op, Expr *l, Expr *r, int location)
{
    Expr *e = bind_op(b, op, l, r, location);

    if (e != NULL && e->type != TYPE_BOOL) {
        bind_error(b, location, ERRCODE_DATATYPE_MISMATCH,
                   "row comparison operator must yield type boolean, not type %s",
                   type_sql_name(e->type));
        return NULL;
    }
    return e;
}

/* make_row_distinct_op: OR of the pairs' IS DISTINCT FROM. */
static Expr *
row_distinct(BindCtx *b, Expr **l, Expr **r, int n, bool is_not, int location)
{
    Expr *acc = NULL, *neg;

    for (int i = 0; i < n; i++) {
        Expr *eq = pair_op(b, "=", l[i], r[i], location), *d;

        if (eq == NULL)
            return NULL;
        d = expr_new(b->arena, EXPR_DISTINCT, TYPE_BOOL, location);
        d->u.distinct.eq = eq;
        d->u.distinct.is_not = false;
        acc = acc == NULL ? d : bind_make_bool(b, EXPR_OR, acc, d, location);
    }
    if (!is_not)
        return acc;
    neg = expr_new(b->arena, EXPR_NOT, TYPE_BOOL, location);
    neg->u.arg = acc;
    return neg;
}

/*
 * make_row_comparison_op: = is the AND of the pairs, <> their OR; < <= > >= compare
 * lexicographically (l1 < r1 OR (l1 = r1 AND (...))), which gives NULL exactly where
 * PostgreSQL's RowCompareExpr does: at the first pair that is NULL before one decides.
 */
static Expr *
row_compare(BindCtx *b, const char *op, Expr **l, Expr **r, int n, int location)
{
    static const char *const ordered[] = {"<", "<=", ">", ">="};
    Expr **pairs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)n), *acc;
    bool is_ordered = false;
    char strict[2] = {op[0], '\0'};

    for (int i = 0; i < n; i++) {
        if ((pairs[i] = pair_op(b, op, l[i], r[i], location)) == NULL)
            return NULL;
    }
    for (size_t k = 0; k < sizeof ordered / sizeof ordered[0]; k++)
        is_ordered = is_ordered || strcmp(op, ordered[k]) == 0;
    if (strcmp(op, "=") == 0 || strcmp(op, "<>") == 0) {
        acc = pairs[0];
        for (int i = 1; i < n; i++)
            acc = bind_make_bool(b, op[0] == '=' ? EXPR_AND : EXPR_OR, acc, pairs[i], location);
        return acc;
    }
    if (!is_ordered) {
        bind_error(b, location, ERRCODE_UNDEFINED_FUNCTION,
                   "could not determine interpretation of row comparison operator %s", op);
        err_hint(b->err, "Row comparison operators must be associated with btree operator "
                         "families.");
        return NULL;
    }
    acc = pairs[n - 1];
    for (int i = n - 2; i >= 0; i--) {
        Expr *lt = pair_op(b, strict, l[i], r[i], location);
        Expr *eq = pair_op(b, "=", l[i], r[i], location);

        if (lt == NULL || eq == NULL)
            return NULL;
        acc = bind_make_bool(b, EXPR_OR, lt, bind_make_bool(b, EXPR_AND, eq, acc, location), location);
    }
    return acc;
}

int
bind_struct_row_op(BindCtx *b, const PgQuery__AExpr *a, Expr **out)
{
    const PgQuery__RowExpr *lr, *rr;
    const char *op;
    Expr **l, **r;
    int n;

    if (a->lexpr == NULL || a->rexpr == NULL ||
        a->lexpr->node_case != PG_QUERY__NODE__NODE_ROW_EXPR ||
        a->rexpr->node_case != PG_QUERY__NODE__NODE_ROW_EXPR)
        return 0;
    if (a->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP &&
        a->kind != PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT &&
        a->kind != PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT)
        return 0;
    lr = a->lexpr->row_expr;
    rr = a->rexpr->row_expr;
    if (row_args(b, lr, &l) < 0 || row_args(b, rr, &r) < 0)
        return -1;
    if (lr->n_args != rr->n_args)
        return bind_error(b, a->location, ERRCODE_SYNTAX_ERROR,
                          "unequal number of entries in row expressions");
    n = (int)lr->n_args;
    if (n == 0)
        return bind_error(b, a->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "cannot compare rows of zero length");
    if (a->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP)
        *out = row_distinct(b, l, r, n, a->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT,
                            a->location);
    else {
        op = a->n_name > 0 ? bind_node_str(a->name[a->n_name - 1]) : NULL;
        *out = row_compare(b, op != NULL ? op : "?", l, r, n, a->location);
    }
    return *out == NULL ? -1 : 1;
}

int
bind_struct_row_pair(BindCtx *b, const char *op, Expr *l, Expr *r, int location, Expr **out)
{
    int nl, nr;

    if (!is_row_ctor(l) || !is_row_ctor(r))
        return 0;
    /* the constructors' own arguments: untyped literals are still untyped (invariant 2) */
    nl = l->u.func.nargs - 1;
    nr = r->u.func.nargs - 1;
    if (nl != nr)
        return bind_error(b, location, ERRCODE_SYNTAX_ERROR,
                          "unequal number of entries in row expressions");
    if (nl == 0)
        return bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "cannot compare rows of zero length");
    *out = row_compare(b, op, l->u.func.args, r->u.func.args, nl, location);
    return *out == NULL ? -1 : 1;
}

/* ---- field assignment ----------------------------------------------------------------------- */

static Expr *
set_path(BindCtx *b, Expr *base, const char *colname, Node *const *ind, size_t k, size_t n,
         Expr *value, int location)
{
    const StructType *st = struct_of(base);
    const char *name;
    Expr **args, *v;
    int i = 0;

    if (ind[k]->node_case != PG_QUERY__NODE__NODE_STRING) {
        bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "assignment to subscripts is not supported yet");
        return NULL;
    }
    name = ind[k]->string->sval;
    if (base->type != TYPE_RECORD) {
        bind_error(b, location, ERRCODE_DATATYPE_MISMATCH,
                   "cannot assign to field \"%s\" of column \"%s\" because its type %s is not a "
                   "composite type",
                   name, colname, type_sql_name(base->type));
        return NULL;
    }
    while (st != NULL && i < st->nfields && strcmp(st->fields[i].name, name) != 0)
        i++;
    if (st == NULL || i == st->nfields) {
        bind_error(b, location, ERRCODE_UNDEFINED_COLUMN,
                   "cannot assign to field \"%s\" of column \"%s\" because there is no such "
                   "column in data type %s",
                   name, colname, st != NULL ? st->text : "record");
        return NULL;
    }
    if (k + 1 < n) {
        v = set_path(b, field_expr(b, base, st, i), colname, ind, k + 1, n, value, location);
        if (v == NULL)
            return NULL;
    } else {
        Oid src = value->type;
        int rc;

        v = value;
        rc = bind_coerce(b, &v, st->fields[i].type, COERCION_ASSIGNMENT, location);
        if (rc > 0) {
            bind_error(b, location, ERRCODE_DATATYPE_MISMATCH,
                       "subfield \"%s\" is of type %s but expression is of type %s", name,
                       type_name_of(b, st->fields[i].type, st->fields[i].typmod),
                       type_sql_name(src));
            err_hint(b->err, "You will need to rewrite or cast the expression.");
            return NULL;
        }
        if (rc < 0 || bind_coerce_typmod(b, &v, st->fields[i].typmod, false, location) < 0)
            return NULL;
    }
    args = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(st->nfields + 1));
    for (int j = 0; j < st->nfields; j++)
        args[j] = j == i ? v : field_expr(b, base, st, j);
    return make_row(b, args, st, location);
}

Expr *
bind_struct_set_field(BindCtx *b, Expr *base, const char *colname, Node *const *ind, size_t nind,
                      Expr *value, int location)
{
    if (nind == 0) {
        bind_error(b, location, ERRCODE_INTERNAL_ERROR, "no field to assign");
        return NULL;
    }
    return set_path(b, base, colname, ind, 0, nind, value, location);
}

Node *
bind_struct_colref_node(BindCtx *b, const char *name, int location)
{
    PgQuery__String *str = arena_calloc(b->arena, 1, sizeof *str);
    PgQuery__ColumnRef *cr = arena_calloc(b->arena, 1, sizeof *cr);
    Node **fields = arena_alloc(b->arena, sizeof(Node *));
    Node *sn = arena_calloc(b->arena, 1, sizeof *sn), *cn = arena_calloc(b->arena, 1, sizeof *cn);

    *str = (PgQuery__String)PG_QUERY__STRING__INIT;
    str->sval = (char *)name;
    *sn = (Node)PG_QUERY__NODE__INIT;
    sn->node_case = PG_QUERY__NODE__NODE_STRING;
    sn->string = str;
    fields[0] = sn;
    *cr = (PgQuery__ColumnRef)PG_QUERY__COLUMN_REF__INIT;
    cr->n_fields = 1;
    cr->fields = fields;
    cr->location = location;
    *cn = (Node)PG_QUERY__NODE__INIT;
    cn->node_case = PG_QUERY__NODE__NODE_COLUMN_REF;
    cn->column_ref = cr;
    return cn;
}
