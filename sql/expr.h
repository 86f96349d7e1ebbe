/*
 * sql/expr.h — bound, typed expression trees and their evaluator.
 *
 * The binder (sql/bind_expr.c) turns libpg_query's raw expression nodes into
 * Expr trees once, at prepare time: names, operators and functions are
 * resolved to built-ins (sql/catalog.h), every implicit cast is an explicit
 * node, unknown literals have been converted to their final type, and every
 * node knows its result type. Evaluation then never looks anything up.
 *
 * Evaluation is row-at-a-time over a tree interpreter, writing into
 * caller-provided Datum slots: fixed-width results never allocate, and
 * by-reference results are allocated in EvalCtx.arena (a per-batch arena the
 * executor resets between batches). expr_eval_batch() evaluates one
 * expression for every row of a batch into column arrays, column-at-a-time
 * with type-specialised loops for the common fixed-width operators
 * (sql/expr_vec.c); results, laziness and errors are expr_eval()'s row by
 * row.
 *
 * Invariants:
 *   1. An Expr tree is immutable after binding: it may be evaluated by many
 *      threads at once, each with its own EvalCtx.
 *   2. AND, OR, CASE, COALESCE and NULLIF evaluate lazily, as PostgreSQL:
 *      an argument that is not needed is not evaluated (so it cannot fail).
 *   3. Strict functions are not called with a NULL argument: the result is
 *      NULL.
 *   4. Long-running built-ins call expr_check_interrupts() at least every
 *      10 ms; the evaluator calls it once per batch.
 */
#ifndef RIVULET_SQL_EXPR_H
#define RIVULET_SQL_EXPR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/err.h"
#include "sql/datum.h"
#include "sql/sql.h"
#include "sql/types.h"

#define FUNC_MAX_ARGS 8

struct FuncDef;

/* Everything evaluation may read besides the expression itself. */
typedef struct EvalCtx {
    SqlSession *session; /* settings and identity; NULL where there is none */
    Arena *arena;        /* by-reference results */
    const TypeIoCtx *io; /* for casts through text */
    const Value *params; /* $1..$n, already converted to their types */
    int nparams;
    const Value *row; /* the current input row (columns), or NULL */
    int ncols;
    atomic_int *interrupt; /* non-zero: cancel (57014) */
    int64_t deadline_ns;   /* statement_timeout deadline (monotonic), 0 = none */
    Value case_value;      /* the CASE operand while its WHEN clauses are tested */
} EvalCtx;

/* What a built-in function sees of one call. */
typedef struct FnCall {
    EvalCtx *ctx;
    int nargs;
    const Datum *args;
    const bool *nulls;   /* only meaningful for non-strict functions */
    const Oid *argtypes; /* the actual (resolved) argument types */
} FnCall;

typedef int (*BuiltinFn)(const FnCall *call, Datum *result, bool *isnull, Err *err);

typedef enum ExprKind {
    EXPR_CONST,
    EXPR_PARAM,     /* $n */
    EXPR_COLUMN,    /* a column of the input row */
    EXPR_FUNC,      /* function, operator, or cast through a function */
    EXPR_COERCE_IO, /* cast through the source's output and the target's input */
    EXPR_AND,
    EXPR_OR,
    EXPR_NOT,
    EXPR_NULLTEST, /* IS [NOT] NULL */
    EXPR_BOOLTEST, /* IS [NOT] TRUE / FALSE / UNKNOWN */
    EXPR_DISTINCT, /* IS [NOT] DISTINCT FROM, through an = operator */
    EXPR_NULLIF,   /* NULLIF(a, b), through an = operator */
    EXPR_CASE,
    EXPR_CASE_TEST, /* the CASE operand inside a WHEN comparison */
    EXPR_COALESCE,
} ExprKind;

typedef enum BoolTestKind {
    BOOLTEST_TRUE,
    BOOLTEST_NOT_TRUE,
    BOOLTEST_FALSE,
    BOOLTEST_NOT_FALSE,
    BOOLTEST_UNKNOWN,
    BOOLTEST_NOT_UNKNOWN,
} BoolTestKind;

typedef struct Expr Expr;

struct Expr {
    ExprKind kind;
    Oid type;
    int32_t typmod;
    int location; /* byte offset into the query text, -1 when none */
    union {
        Value konst;
        int param;  /* 0-based */
        int column; /* 0-based */
        struct {
            const struct FuncDef *def; /* for names in EXPLAIN and catalogs */
            BuiltinFn fn;
            bool strict;
            int nargs;
            Expr **args;
            Oid *argtypes;
        } func;
        Expr *arg; /* EXPR_COERCE_IO, EXPR_NOT */
        struct {
            int nargs;
            Expr **args;
        } list; /* EXPR_AND, EXPR_OR, EXPR_COALESCE */
        struct {
            Expr *arg;
            bool is_not;
        } nulltest;
        struct {
            Expr *arg;
            BoolTestKind kind;
        } booltest;
        struct {
            Expr *eq; /* the = call over both operands */
            bool is_not;
        } distinct; /* EXPR_DISTINCT, EXPR_NULLIF (is_not unused) */
        struct {
            Expr *arg; /* the CASE operand, or NULL for a searched CASE */
            int nwhen;
            Expr **when;
            Expr **then;
            Expr *otherwise; /* NULL: ELSE NULL */
        } kase;
    } u;
};

/* Node constructors for the binder; nodes live in a (the statement's arena). */
Expr *expr_new(Arena *a, ExprKind kind, Oid type, int location);
Expr *expr_const(Arena *a, Oid type, Datum d, bool isnull, int location);
Expr *expr_func(Arena *a, const struct FuncDef *def, BuiltinFn fn, bool strict, Oid rettype,
                int nargs, Expr **args, int location);

/* Evaluates e for the current row of ctx. */
int expr_eval(const Expr *e, EvalCtx *ctx, Datum *out, bool *isnull, Err *err);

/*
 * Evaluates e for nrows rows: rows[r] is row r's columns (NULL for a batch
 * without input columns, e.g. SELECT without FROM); results go to out[r].
 */
int expr_eval_batch(const Expr *e, EvalCtx *ctx, const Value *const *rows, int nrows, Value *out,
                    Err *err);

/* 57014 when the interrupt flag is set or the statement's deadline passed. */
int expr_check_interrupts(EvalCtx *ctx, Err *err);

/* True when e is a constant (its value cannot change between rows or executions). */
bool expr_is_const(const Expr *e);

#endif
