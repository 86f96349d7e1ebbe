/*
 * sql/catalog.h — the built-in functions, operators and casts: Rivulet's
 * read-only equivalents of PostgreSQL's pg_proc, pg_operator and pg_cast.
 *
 * The binder resolves a function or operator by name and argument types
 * against these tables with PostgreSQL's rules (sql/resolve.c), so the
 * entries mirror PostgreSQL's: the same argument and result types for every
 * overload (int2 + int4 → int4, text || anynonarray → text, ...), the same
 * cast contexts (implicit, assignment, explicit). The implementations live in
 * sql/func_*.c, declared in sql/builtins.h.
 *
 * Invariants:
 *   1. The tables are constant: safe to read from any thread.
 *   2. An entry's argument types are exactly PostgreSQL's, so that overload
 *      resolution picks what PostgreSQL picks for the types we have.
 */
#ifndef RIVULET_SQL_CATALOG_H
#define RIVULET_SQL_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "sql/expr.h"

enum {
    FN_STRICT = 1,   /* NULL in, NULL out: not called with NULL arguments */
    FN_STABLE = 2,   /* depends on settings, not on time or side effects */
    FN_VOLATILE = 4, /* side effects or time: never folded */
    /* VARIADIC "any": the last declared argument repeats (one or more times); arguments
     * keep their own types (concat, concat_ws, format) */
    FN_VARIADIC_ANY = 8,
};

typedef struct FuncDef {
    const char *name;
    uint8_t nargs;
    Oid args[FUNC_MAX_ARGS];
    Oid ret;
    uint8_t flags;
    BuiltinFn fn;
} FuncDef;

enum {
    /*
     * The polymorphic argument is cast to text first, as PostgreSQL's SQL
     * bodies of anytextcat/textanycat do ($1::text || $2): fn is textcat.
     */
    OPER_POLY_TO_TEXT = 1,
};

typedef struct OperDef {
    const char *name;
    Oid left; /* TYPE_INVALID for a prefix operator */
    Oid right;
    Oid result;
    BuiltinFn fn;
    uint8_t flags;
} OperDef;

typedef enum CoercionContext {
    COERCION_IMPLICIT,
    COERCION_ASSIGNMENT,
    COERCION_EXPLICIT,
} CoercionContext;

typedef struct CastDef {
    Oid source;
    Oid target;
    CoercionContext context; /* the weakest context that may use it */
    const char *func;        /* implementing function (a FuncDef name), NULL = binary */
} CastDef;

/* Iteration over all overloads of a name: returns the next after *pos, NULL at the end. */
/*
 * The catalog is assembled from parts, one per family of types (core,
 * numeric, datetime, string, ...), each defined in its own file
 * (sql/cat_<family>.c), so that a family's functions, operators and casts
 * live beside its implementation. Lookups scan the parts in the order of
 * catalog.c's PARTS table; within a part, in table order.
 */
typedef struct CatalogPart {
    const FuncDef *funcs;
    int nfuncs;
    const OperDef *opers;
    int nopers;
    const CastDef *casts;
    int ncasts;
    const TypeInfo *types; /* types this part implements (see type_by_oid) */
    int ntypes;
} CatalogPart;

#define CATALOG_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

extern const CatalogPart catalog_part_core;
extern const CatalogPart catalog_part_numeric;
extern const CatalogPart catalog_part_datetime;
extern const CatalogPart catalog_part_datetime_funcs;
extern const CatalogPart catalog_part_string;
extern const CatalogPart catalog_part_agg;
extern const CatalogPart catalog_part_system;
extern const CatalogPart catalog_part_pg_catalog; /* sql/pg_catalog.c: pg_get_expr */
extern const CatalogPart catalog_part_struct_ops;  /* sql/func_struct.c: record = <> < ... */

/* The parts in lookup order, NULL-terminated. */
extern const CatalogPart *const catalog_parts[];

/*
 * Iterators: *pos starts at 0 and is advanced past the returned entry; NULL
 * when there are no more entries of that name.
 */
const FuncDef *catalog_next_func(const char *name, int *pos);
const OperDef *catalog_next_oper(const char *name, int *pos);
/* The cast source → target, or NULL. */
const CastDef *catalog_find_cast(Oid source, Oid target);
/* The function implementing a cast: name with the single argument type arg. */
const FuncDef *catalog_find_func_exact(const char *name, int nargs, const Oid *args);
/* True when some function (any overload) has this name. */
bool catalog_func_exists(const char *name);

#endif
