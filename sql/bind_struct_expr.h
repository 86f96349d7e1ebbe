/*
 * sql/bind_struct_expr.h — binding expressions over STRUCT values (sql/bind_struct_expr.c):
 * `(x).field`, `(x).*`, `ROW(a, b)` / `(a, b)`, a struct's IS [NOT] NULL, row comparisons of
 * two row constructors, and the field-wise cast of a row constructor to a struct type.
 *
 * Pipeline position: sql/bind_expr.c dispatches A_Indirection, RowExpr, NullTest of a struct,
 * `ROW(..) op ROW(..)` and typmod coercion of TYPE_RECORD here; sql/bind_query.c asks for the
 * expansion of `(x).*` in a select list; sql/binder.c names `(x).f` columns after f.
 * The result trees are EXPR_FUNC calls of sql/func_struct.h's built-ins.
 *
 * Invariants:
 *   1. Every error is PostgreSQL 15's for the same query over a composite type: SQLSTATE,
 *      message, detail and position (the struct type's name is its canonical text).
 *   2. A row constructor's arguments that are untyped literals stay untyped in the tree (their
 *      field is text: the same representation), so a later cast to a struct type runs each
 *      literal through its field type's input function, as PostgreSQL's coerce_record_to_complex.
 */
#ifndef RIVULET_SQL_BIND_STRUCT_EXPR_H
#define RIVULET_SQL_BIND_STRUCT_EXPR_H

#include "sql/bind_int.h"

/* (x).f, (x).f.g, ((x).f).g; `*` here is 0A000 (only a select list expands it). */
Expr *bind_struct_indirection(BindCtx *b, const PgQuery__AIndirection *ind);
/* ROW(a, b, ...) and (a, b, ...): an anonymous struct with fields f1, f2, ... */
Expr *bind_struct_row(BindCtx *b, const PgQuery__RowExpr *r);
/* x IS [NOT] NULL for x of a struct type (all fields NULL / none NULL). */
Expr *bind_struct_nulltest(BindCtx *b, Expr *arg, bool is_not, int location);
/*
 * `ROW(..) op ROW(..)` and `ROW(..) IS [NOT] DISTINCT FROM ROW(..)` (make_row_comparison_op,
 * make_row_distinct_op): *out is the field-wise expansion. Returns 1 when a is such an
 * expression (done, or -1 on error), 0 when it is not (bind it as usual).
 */
int bind_struct_row_op(BindCtx *b, const PgQuery__AExpr *a, Expr **out);
/*
 * `l op r` over two bound row constructors (the items of `ROW(..) IN (ROW(..), ...)`,
 * transformAExprIn): as bind_struct_row_op; 0 when l or r is not a row constructor.
 */
int bind_struct_row_pair(BindCtx *b, const char *op, Expr *l, Expr *r, int location, Expr **out);
/*
 * e (of TYPE_RECORD) to the struct type typmod: a row constructor field by field (assignment
 * or explicit casts as is_explicit says; 42846 with PostgreSQL's details), the same type as
 * is. Returns 0 done, -1 error, 1 when e is not a row constructor (sql/bind_struct.c's
 * bind_struct_coerce_typmod decides: literals, NULL, other struct types).
 */
int bind_struct_coerce(BindCtx *b, Expr **e, int32_t typmod, bool is_explicit, int location);
/*
 * UPDATE ... SET col.f[.g ...] = value (transformAssignmentIndirection): base — the column, or
 * the result of earlier assignments to its fields in the same SET list — with that field
 * replaced by value, assignment-cast to the field's type (PostgreSQL's FieldStore: a NULL
 * struct becomes one whose other fields are NULL). colname names the column in messages;
 * location is the SET target's. NULL on error.
 */
Expr *bind_struct_set_field(BindCtx *b, Expr *base, const char *colname, Node *const *ind,
                            size_t nind, Expr *value, int location);
/* A ColumnRef node naming one column (in b's arena): the base of a field assignment. */
Node *bind_struct_colref_node(BindCtx *b, const char *name, int location);
/*
 * select_common_type() among struct values (exprs[0 .. n) whose common type is TYPE_RECORD):
 * row constructors match each other, a struct type matches only itself (42846 "%s could not
 * convert type %s to %s"), a row constructor and a struct type do not (42804 "%s types %s and
 * %s cannot be matched"). Returns 0 or -1.
 */
int bind_struct_common(BindCtx *b, Expr **exprs, int n, const char *context);
/*
 * `(x).*` in a select list: returns 0 when n is not one, -1 on error, else 1 with *nout
 * expressions in *exprs named (*names)[i] (arena-allocated).
 */
int bind_struct_star(BindCtx *b, const Node *n, Expr ***exprs, const char ***names, int *nout);

#endif
