/*
 * sql/resolve.h — PostgreSQL's type-resolution rules (the "Type Conversion"
 * chapter of its manual, parse_coerce.c / parse_func.c / parse_oper.c):
 * which casts exist in which context, which overload of a function or
 * operator a call means, and which common type CASE/COALESCE results get.
 *
 * Pure functions over type OIDs and the catalog tables: no allocation, no
 * state, safe from any thread.
 *
 * Invariants:
 *   1. An unknown-type input can be coerced to any type (it is a literal or
 *      an untyped parameter whose type is decided by the coercion).
 *   2. Overload selection follows func_select_candidate() step by step:
 *      exact matches, then preferred types, then unknown-input categories
 *      (string preferred), then "all known inputs are the same type".
 */
#ifndef RIVULET_SQL_RESOLVE_H
#define RIVULET_SQL_RESOLVE_H

#include <stdbool.h>

#include "sql/catalog.h"

typedef enum CoercionPath {
    COERCION_PATH_NONE,
    COERCION_PATH_FUNC,    /* call the cast function */
    COERCION_PATH_RELABEL, /* same representation: only the type changes */
    COERCION_PATH_IO,      /* source's output function, then target's input function */
} CoercionPath;

/* find_coercion_pathway(): *func is set for COERCION_PATH_FUNC (NULL if not built in). */
CoercionPath resolve_coercion_path(Oid target, Oid source, CoercionContext cc,
                                   const FuncDef **func);

/* can_coerce_type(): may every input be coerced to its target in this context? */
bool resolve_can_coerce(int n, const Oid *inputs, const Oid *targets, CoercionContext cc);

/*
 * Chooses among candidate argument-type lists (cands[i] has nargs entries):
 * returns the number of equally good candidates left (0 none, 1 unique in
 * *chosen, more = ambiguous), as func_match_argtypes + func_select_candidate.
 */
int resolve_select(int nargs, const Oid *inputs, const Oid *const *cands, int ncands, int *chosen);

/*
 * The type the polymorphic arguments of a chosen candidate stand for
 * (enforce_generic_type_consistency); TYPE_UNKNOWN if every polymorphic
 * argument is unknown, TYPE_INVALID if the candidate has none.
 */
Oid resolve_polymorphic(int nargs, const Oid *inputs, const Oid *declared);

/*
 * select_common_type(): the type the n inputs are coerced to. On a category
 * clash returns TYPE_INVALID and sets *bad to the index of the input that
 * clashed (for PostgreSQL's "%s types %s and %s cannot be matched").
 */
Oid resolve_common_type(int n, const Oid *types, int *bad);

#endif
