/*
 * sql/bind_int.h — what the two halves of the binder share (private to
 * sql/binder.c and sql/bind_expr.c).
 *
 * The binder reads libpg_query's protobuf-c structs and produces bound
 * statements and Expr trees (PostgreSQL's parse analysis: analyze.c,
 * parse_expr.c, parse_func.c, parse_oper.c, parse_coerce.c,
 * parse_target.c). Errors carry the position of the offending token,
 * converted from libpg_query's byte offsets to 1-based character positions
 * in the whole query string.
 */
#ifndef RIVULET_SQL_BIND_INT_H
#define RIVULET_SQL_BIND_INT_H

#include <pg_query/pg_query.pb-c.h>

#include "sql/catalog.h"
#include "sql/resolve.h"
#include "common/errcodes.h"
#include "sql/sql_int.h"

typedef PgQuery__Node Node;

typedef struct BindCtx {
    SqlSession *session;
    Arena *arena;     /* the statement's arena: Expr trees live here */
    const char *text; /* the whole query string: node locations index into it */
    const TypeIoCtx *io;
    Err *err;
    /* parameters $1..$n: their types as known so far (TYPE_UNKNOWN = to infer) */
    bool fixed_params; /* simple Query protocol: no parameters exist */
    int nparams;
    int param_cap;
    Oid *param_types;
    /* every Param node made, for the final consistency check */
    int nparam_nodes;
    int param_node_cap;
    Expr **param_nodes;
    /* the query being bound (FROM columns, aggregates), NULL outside queries: bind_query.h */
    struct QueryScope *scope;
    /* its window functions and WINDOW clause (sql/bind_window.h), NULL outside queries */
    struct WindowScope *win;
    /* the WITH queries visible here, innermost first (sql/bind_cte.c), NULL: none */
    struct CteEntry *ctes;
    /* the first function bound whose value changes with time or per call (now(), random()):
       a materialized view cannot maintain it (sql/bind_matview.c) */
    const char *time_function;
    int time_location;
    /* binding a materialized view: WHERE may hold temporal filters (sql/bind_temporal.c) */
    bool temporal_ok;
    /* plain views expanded so far (sql/bind_view.c): dependencies of CREATE [MATERIALIZED] VIEW */
    uint64_t *view_refs;
    int nview_refs, view_refs_cap;
    int view_depth;
} BindCtx;

/* Raises code/message with the position of byte offset `location` (-1: none); returns -1. */
int bind_error(BindCtx *b, int location, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The 1-based character position of a byte offset into the query text (0 for -1). */
int bind_position(const BindCtx *b, int location);

/* transformExpr(): NULL on error (raised in b->err). */
Expr *bind_expr(BindCtx *b, const Node *n);
/* make_op(): `l op r` (l NULL: prefix) over bound operands; NULL on error. */
Expr *bind_op(BindCtx *b, const char *op, Expr *l, Expr *r, int location);
/* x AND y / x OR y (kind EXPR_AND or EXPR_OR), of two boolean expressions. */
Expr *bind_make_bool(BindCtx *b, ExprKind kind, Expr *x, Expr *y, int location);

/*
 * coerce_type(): converts e to target in context cc. Returns 0 (done, *e
 * replaced), -1 (an error was raised, e.g. a literal that is not valid input
 * for the target), or 1 (no such cast: the caller raises its own error).
 */
/* LIMIT / OFFSET expression n coerced to bigint; *out NULL when n is NULL (sql/binder.c). */
int bind_limit(BindCtx *b, const Node *n, const char *what, Expr **out);
int bind_coerce(BindCtx *b, Expr **e, Oid target, CoercionContext cc, int location);
/* coerce_to_boolean(): "argument of %s must be type boolean, not type %s". */
Expr *bind_coerce_bool(BindCtx *b, Expr *e, const char *construct);
/* Resolves a list of expressions to their common type and coerces them ("CASE", "VALUES"...). */
int bind_common_type(BindCtx *b, Expr **exprs, int n, const char *context, Oid *out);
/* select_common_typmod(): the typmod all of the (already coerced) expressions share, else -1. */
int32_t bind_common_typmod(Expr *const *exprs, int n);

/*
 * Resolves a TypeName to a supported type OID (42704, 3F000, 42601, 0A000 otherwise) and its
 * modifiers to a typmod through the type's typmodin (-1 when none are written).
 */
int bind_type_name(BindCtx *b, const PgQuery__TypeName *tn, Oid *out, int32_t *typmod);
/*
 * coerce_type_typmod(): applies typmod (>= 0) to e, already of its target type, through the
 * type's length-coercion function (name = typname, args (type, int4, bool is_explicit)) when
 * the catalog has one; e->typmod becomes typmod. Nothing happens if typmod < 0 or equals
 * e's. Explicit casts pass is_explicit = true (varchar truncates), assignments false (22001).
 */
int bind_coerce_typmod(BindCtx *b, Expr **e, int32_t typmod, bool is_explicit, int location);

/* After the statement: 42P08 for inconsistently typed $n, 42P18 for undetermined ones. */
int bind_check_params(BindCtx *b);

/* FigureColname(): the result column name PostgreSQL gives an unnamed expression. */
const char *bind_column_name(const Node *n);
/* The string of a String node, or NULL. */
const char *bind_node_str(const Node *n);

#endif
