/*
 * sql/func_struct.h — the built-ins behind expressions over STRUCT (composite) values:
 * field selection `(x).f`, row constructors `ROW(a, b)`, `IS [NOT] NULL` on a struct, and
 * PostgreSQL's record comparison operators (record_eq, record_lt, ...: catalog_part_struct_ops).
 *
 * Pipeline position: bound by sql/bind_struct_expr.c as ordinary EXPR_FUNC calls (the
 * constant arguments carry the field index or the StructType), so every walker that knows
 * EXPR_FUNC (the vectorized evaluator, the planner's pushdown, watermark derivation, views)
 * handles them without knowing about structs. Values are sql/types_struct.h's.
 *
 * Invariants:
 *   1. fn_struct_field reads one field in place (struct_value_field): it never decodes the
 *      whole row; by-reference results point into the struct value or into ctx->arena.
 *   2. Record comparisons follow PostgreSQL's record_eq / record_cmp: field by field with
 *      each field type's own ordering, two NULL fields equal, a NULL field greater than any
 *      value; 42804 for a different number of fields or dissimilar field types.
 *   3. A struct IS NULL when every field is NULL, IS NOT NULL when none is (a NULL struct is
 *      both NULL and not "not NULL"); nested structs are not looked into (ExecEvalRowNull).
 */
#ifndef RIVULET_SQL_FUNC_STRUCT_H
#define RIVULET_SQL_FUNC_STRUCT_H

#include "sql/catalog.h"
#include "sql/plan.h"
#include "sql/types_struct.h"

/* (x).f: args (struct, int4 field index); strict. */
int fn_struct_field(const FnCall *call, Datum *result, bool *isnull, Err *err);
/* ROW(a, b, ...): args (fields..., int8 StructType pointer); not strict. */
int fn_struct_make(const FnCall *call, Datum *result, bool *isnull, Err *err);
/* x IS NULL / x IS NOT NULL on a struct: args (struct, bool is_not); not strict. */
int fn_struct_nulltest(const FnCall *call, Datum *result, bool *isnull, Err *err);

/* record = <> < <= > >= record, strict (PostgreSQL's record_eq ... record_ge). */
int fn_record_eq(const FnCall *call, Datum *result, bool *isnull, Err *err);
int fn_record_ne(const FnCall *call, Datum *result, bool *isnull, Err *err);
int fn_record_lt(const FnCall *call, Datum *result, bool *isnull, Err *err);
int fn_record_le(const FnCall *call, Datum *result, bool *isnull, Err *err);
int fn_record_gt(const FnCall *call, Datum *result, bool *isnull, Err *err);
int fn_record_ge(const FnCall *call, Datum *result, bool *isnull, Err *err);

/*
 * record_cmp(): <0, 0, >0 for two non-NULL struct values (invariant 2); 42804 when their types
 * cannot be compared. eq_only: stop at the first unequal field, only 0 / non-0 is meaningful.
 */
int struct_value_compare(EvalCtx *ctx, Datum a, Datum b, bool eq_only, int *out, Err *err);

/* A hash agreeing with struct_value_compare's equality (field-wise plan_hash_value). */
uint64_t struct_value_hash(Datum d);

/* The record comparison operators: catalog_part_struct_ops, declared in sql/catalog.h. */

#endif
