/*
 * sql/watermark.c — watermark clauses, options and derivation (sql/watermark.h), and
 * CREATE MATERIALIZED VIEW ... EMIT ON WINDOW CLOSE.
 *
 * Pipeline position: sql/bind_connector.c calls bind_watermark_clause() once a CREATE SOURCE
 * / CREATE TABLE ... APPEND ONLY with WATERMARK FOR is bound; sql/binder.c sends the dialect's
 * CREATE MATERIALIZED VIEW ... EMIT ON WINDOW CLOSE to bind_create_matview_eowc(). The engine
 * (stream/engine_wm.c, stream/eowc.c) binds the stored clause again with sql_watermark_def()
 * and derives views' watermarks with sql_watermark_derive().
 *
 * The clause's expression is cut out of the statement by the dialect pre-pass (its text and
 * byte position); it is parsed as `SELECT <expr>` laid over a blank copy of the statement at
 * the same byte offsets, so every error position is the one in the user's statement.
 *
 * Errors follow RisingWave's checks: a watermark on a table that is not APPEND ONLY (0A000),
 * an expression of another type than the column (42804); Rivulet adds: the expression may
 * read only its column and call nothing volatile or time-dependent (42P17), the column must
 * be of a by-value ordered type (0A000), options must be valid (22023, 42P01, 42809, 42804).
 *
 * Invariants:
 *   1. Binding here never changes the caller's BindCtx beyond its arena and err (scope and
 *      time-function state are restored).
 *   2. Derivation only accepts steps that are non-decreasing in the watermarked column, so a
 *      derived watermark is a lower bound of every future change's value (sql/watermark.h).
 */
#include <stdlib.h>
#include <string.h>

#include "sql/bind_scope.h"
#include "sql/catalog.h"
#include "sql/datetime_ops.h"
#include "sql/dialect.h"
#include "sql/expr_vec.h"
#include "sql/relation.h"
#include "sql/rowcodec.h"
#include "sql/table.h"
#include "sql/watermark.h"
#include "sql/window_time.h"

#define WM_MAX_VIEW_DEPTH 8

bool
sql_watermark_is_option(const char *key)
{
    return strcmp(key, SQL_WM_OPT_IDLE_TIMEOUT) == 0 || strcmp(key, SQL_WM_OPT_LATE_TABLE) == 0;
}

int
bind_watermark_other_options(const DialectStmt *d)
{
    int n = 0;

    for (int i = 0; i < d->noptions; i++)
        n += !sql_watermark_is_option(d->options[i].key);
    return n;
}

/* Types a watermark can be kept for: by value, ordered (invariant 1). */
static bool
wm_type_ok(Oid t)
{
    return t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ || t == TYPE_DATE || t == TYPE_TIME ||
           t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8;
}

/* Column references of e other than col: the first one's position, or -2 when none. */
static int
other_column(const Expr *e, int col)
{
    int r = -2;

    if (e == NULL)
        return -2;
    switch (e->kind) {
    case EXPR_COLUMN:
        return e->u.column != col ? (e->location >= 0 ? e->location : -1) : -2;
    case EXPR_FUNC:
        for (int i = 0; r == -2 && i < e->u.func.nargs; i++)
            r = other_column(e->u.func.args[i], col);
        return r;
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        return other_column(e->u.arg, col);
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        for (int i = 0; r == -2 && i < e->u.list.nargs; i++)
            r = other_column(e->u.list.args[i], col);
        return r;
    case EXPR_NULLTEST:
        return other_column(e->u.nulltest.arg, col);
    case EXPR_BOOLTEST:
        return other_column(e->u.booltest.arg, col);
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        return other_column(e->u.distinct.eq, col);
    case EXPR_CASE:
        r = other_column(e->u.kase.arg, col);
        if (r == -2)
            r = other_column(e->u.kase.otherwise, col);
        for (int i = 0; r == -2 && i < e->u.kase.nwhen; i++) {
            r = other_column(e->u.kase.when[i], col);
            if (r == -2)
                r = other_column(e->u.kase.then[i], col);
        }
        return r;
    default:
        return -2;
    }
}

/*
 * Binds the expression text of d's clause over the columns (names/types/typmods) in b; the
 * statement text b->text holds it at d->wm_expr_pos.
 */
static Expr *
bind_clause_expr(BindCtx *b, const DialectStmt *d, const char *relname, int ncols,
                 const char *const *names, Oid *types, int32_t *typmods)
{
    size_t len = strlen(b->text);
    char *buf;
    SqlScript *script = NULL;
    QueryScope scope = {0};
    ScopeRel rel = {0};
    QueryScope *saved_scope = b->scope;
    const char *saved_tf = b->time_function;
    const Node *n;
    Expr *e = NULL;
    int start, slen;

    if (d->wm_expr_pos < 7 || (size_t)(d->wm_expr_pos + d->wm_expr_len) > len) {
        bind_error(b, d->wm_column_pos, ERRCODE_SYNTAX_ERROR,
                   "cannot read the WATERMARK expression");
        return NULL;
    }
    buf = arena_alloc(b->arena, len + 1);
    memset(buf, ' ', len);
    buf[len] = '\0';
    memcpy(buf + d->wm_expr_pos - 7, "SELECT", 6);
    memcpy(buf + d->wm_expr_pos, b->text + d->wm_expr_pos, (size_t)d->wm_expr_len);
    if (sql_script_parse(b->session, buf, &script, b->err) < 0) {
        sql_script_destroy(script);
        return NULL;
    }
    n = sql_script_count(script) == 1 ? parse_statement(script, 0, &start, &slen) : NULL;
    if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
        n->select_stmt->n_target_list != 1 ||
        n->select_stmt->target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET) {
        sql_script_destroy(script);
        bind_error(b, d->wm_expr_pos, ERRCODE_SYNTAX_ERROR, "cannot read the WATERMARK expression");
        return NULL;
    }
    rel.name = relname;
    rel.ncols = ncols;
    rel.colnames = (const char **)names;
    scope.nrels = 1;
    scope.rels = &rel;
    scope.ncols = ncols;
    scope.types = types;
    scope.typmods = typmods;
    scope.agg_forbidden = "WATERMARK FOR";
    b->scope = &scope;
    b->time_function = NULL;
    e = bind_expr(b, n->select_stmt->target_list[0]->res_target->val);
    if (e != NULL && bind_finish_type(b, &e) < 0)
        e = NULL;
    if (e != NULL && b->time_function != NULL) {
        bind_error(b, b->time_location, ERRCODE_INVALID_OBJECT_DEFINITION,
                   "%s is not allowed in a watermark expression", b->time_function);
        err_detail(b->err, "Its value changes with time, so the watermark would not follow "
                           "the rows.");
        e = NULL;
    }
    b->scope = saved_scope;
    b->time_function = saved_tf;
    sql_script_destroy(script);
    return e;
}

/* The checks of invariant 2 on a bound expression of column col. */
static int
check_clause_expr(BindCtx *b, const DialectStmt *d, const Expr *e, int col, Oid coltype,
                  const char *colname)
{
    int other;

    if (e->type != coltype) {
        bind_error(b, d->wm_expr_pos, ERRCODE_DATATYPE_MISMATCH,
                   "the return value type of the watermark expression must be identical to the "
                   "watermark column data type");
        err_detail(b->err, "The expression is of type %s, column \"%s\" of type %s.",
                   type_sql_name(e->type), colname, type_sql_name(coltype));
        return -1;
    }
    if (expr_vec_has_volatile(e))
        return bind_error(b, d->wm_expr_pos, ERRCODE_INVALID_OBJECT_DEFINITION,
                          "a watermark expression cannot call volatile functions");
    if ((other = other_column(e, col)) != -2) {
        bind_error(b, other >= 0 ? other : d->wm_expr_pos, ERRCODE_INVALID_OBJECT_DEFINITION,
                   "a watermark expression may only read its column \"%s\"", colname);
        return -1;
    }
    return 0;
}

static int
parse_idle_timeout(BindCtx *b, const DialectOption *o, int64_t *us)
{
    const TypeInfo *ti = type_by_oid(TYPE_INTERVAL);
    const char *v = o->value != NULL ? o->value : "";
    Datum d;
    Err e = {0};
    Interval iv;

    if (ti == NULL || ti->in == NULL || ti->in(v, strlen(v), -1, b->io, b->arena, &d, &e) < 0)
        return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                          "invalid value \"%s\" for option \"%s\": %s", v, o->key,
                          e.message[0] != '\0' ? e.message : "not an interval");
    iv = interval_get(d);
    *us = iv.time + (int64_t)iv.day * INT64_C(86400000000) +
          (int64_t)iv.month * 30 * INT64_C(86400000000);
    if (*us <= 0)
        return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                          "option \"%s\" must be a positive interval", o->key);
    return 0;
}

/* late_rows.table: an existing plain table without a primary key, of the source's types. */
static int
check_late_table(BindCtx *b, const DialectOption *o, const SqlRelation *src)
{
    SqlRelation *t;
    int rc;

    if (o->value == NULL || o->value[0] == '\0')
        return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                          "option \"%s\" must name a table", o->key);
    rc = sql_relation_lookup(NULL, o->value, b->arena, &t, b->err);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return bind_error(b, o->value_pos, ERRCODE_UNDEFINED_TABLE,
                          "relation \"%s\" does not exist", o->value);
    if (t->kind != SQL_REL_TABLE)
        return bind_error(b, o->value_pos, ERRCODE_WRONG_OBJECT_TYPE, "\"%s\" is not a table",
                          o->value);
    for (int c = 0; c < t->ncols; c++) {
        if (t->cols[c].pk_position > 0)
            return bind_error(b, o->value_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "the late rows table \"%s\" cannot have a primary key", o->value);
    }
    if (t->ncols != src->ncols)
        goto mismatch;
    for (int c = 0; c < t->ncols; c++) {
        if (t->cols[c].type != src->cols[c].type || t->cols[c].typmod != src->cols[c].typmod)
            goto mismatch;
    }
    return 0;
mismatch:
    bind_error(b, o->value_pos, ERRCODE_DATATYPE_MISMATCH,
               "the late rows table \"%s\" must have the column types of \"%s\"", o->value,
               src->name);
    err_detail(b->err, "Late rows are stored in it as they are.");
    return -1;
}

int
bind_watermark_clause(BindCtx *b, const DialectStmt *d, const SqlRelation *rel)
{
    const char **names;
    Oid *types;
    int32_t *typmods;
    int col = -1;
    int64_t us;
    Expr *e;

    for (int i = 0; i < d->noptions; i++) {
        const DialectOption *o = &d->options[i];

        if (!sql_watermark_is_option(o->key))
            continue;
        if (d->wm_column == NULL)
            return bind_error(b, o->key_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "option \"%s\" needs a WATERMARK FOR clause", o->key);
        if (strcmp(o->key, SQL_WM_OPT_IDLE_TIMEOUT) == 0 ? parse_idle_timeout(b, o, &us) < 0
                                                         : check_late_table(b, o, rel) < 0)
            return -1;
    }
    if (d->wm_column == NULL)
        return 0;
    if (d->kind == DIALECT_CREATE_TABLE && !d->append_only) {
        bind_error(b, d->wm_column_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "defining watermarks on table requires the table to be append only");
        err_hint(b->err, "Use the key words APPEND ONLY.");
        return -1;
    }
    names = arena_calloc(b->arena, (size_t)rel->ncols + 1, sizeof(char *));
    types = arena_calloc(b->arena, (size_t)rel->ncols + 1, sizeof(Oid));
    typmods = arena_calloc(b->arena, (size_t)rel->ncols + 1, sizeof(int32_t));
    for (int c = 0; c < rel->ncols; c++) {
        names[c] = rel->cols[c].name;
        types[c] = rel->cols[c].type;
        typmods[c] = rel->cols[c].typmod;
        if (strcmp(names[c], d->wm_column) == 0)
            col = c;
    }
    if (col < 0)
        return bind_error(b, d->wm_column_pos, ERRCODE_UNDEFINED_COLUMN,
                          "column \"%s\" named in WATERMARK FOR does not exist", d->wm_column);
    if (!wm_type_ok(types[col]))
        return bind_error(b, d->wm_column_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "a watermark on a column of type %s is not supported",
                          type_sql_name(types[col]));
    if ((e = bind_clause_expr(b, d, rel->name, rel->ncols, names, types, typmods)) == NULL)
        return -1;
    return check_clause_expr(b, d, e, col, types[col], names[col]);
}

/* ---- the engine's side: the stored clause ---- */

int
sql_watermark_def(SqlSession *s, const char *definition, int ncols, const char *const *names,
                  const Oid *types, const int32_t *typmods, Arena *a, SqlWatermarkDef *out,
                  Err *err)
{
    DialectScript *ds = NULL;
    const DialectStmt *d = NULL;
    BindCtx b = {0};
    Oid *tv = arena_calloc(a, (size_t)ncols + 1, sizeof(Oid));
    int32_t *tm = arena_calloc(a, (size_t)ncols + 1, sizeof(int32_t));
    int rc = 1;

    memset(out, 0, sizeof *out);
    out->column = -1;
    if (definition == NULL || dialect_prepass(definition, strlen(definition), &ds, err) < 0)
        return definition == NULL ? 1 : -1;
    for (int i = 0; ds != NULL && i < ds->nstmts; i++) {
        if (ds->stmts[i].wm_column != NULL)
            d = &ds->stmts[i];
    }
    if (d == NULL) {
        dialect_free(ds);
        return 1;
    }
    memcpy(tv, types, sizeof(Oid) * (size_t)ncols);
    memcpy(tm, typmods, sizeof(int32_t) * (size_t)ncols);
    b.session = s;
    b.arena = a;
    b.text = definition;
    b.io = session_io(s);
    b.err = err;
    b.fixed_params = true;
    for (int c = 0; c < ncols; c++) {
        if (strcmp(names[c], d->wm_column) == 0)
            out->column = c;
    }
    if (out->column < 0) {
        rc = ERR_RAISE(err, ERRCODE_UNDEFINED_COLUMN, "watermark column \"%s\" does not exist",
                       d->wm_column);
        goto done;
    }
    out->type = types[out->column];
    out->column_name = arena_strdup(a, d->wm_column);
    if ((out->expr = bind_clause_expr(&b, d, "", ncols, names, tv, tm)) == NULL ||
        check_clause_expr(&b, d, out->expr, out->column, out->type, d->wm_column) < 0) {
        rc = -1;
        goto done;
    }
    rc = 0;
    for (int i = 0; i < d->noptions; i++) {
        const DialectOption *o = &d->options[i];

        if (strcmp(o->key, SQL_WM_OPT_LATE_TABLE) == 0 && o->value != NULL)
            out->late_table = arena_strdup(a, o->value);
        else if (strcmp(o->key, SQL_WM_OPT_IDLE_TIMEOUT) == 0 &&
                 parse_idle_timeout(&b, o, &out->idle_timeout_us) < 0)
            rc = -1;
    }
done:
    dialect_free(ds);
    return rc;
}

bool
sql_definition_is_eowc(const char *definition)
{
    DialectScript *ds = NULL;
    Err ignored = {0};
    bool eowc = false;

    if (definition == NULL || dialect_prepass(definition, strlen(definition), &ds, &ignored) < 0)
        return false;
    for (int i = 0; ds != NULL && i < ds->nstmts; i++)
        eowc |= ds->stmts[i].emit_on_window_close;
    dialect_free(ds);
    return eowc;
}

/* ---- derivation ---- */

/*
 * A constant argument: a literal, or non-volatile calls of literals (INTERVAL '10' SECOND is a
 * typmod coercion of a constant, not a constant).
 */
static bool
const_arg(const Expr *e)
{
    return expr_is_row_constant(e);
}

/* True when e is non-decreasing in column col and reads no other column. */
static bool
monotone(const Expr *e, int col)
{
    BuiltinFn fn;
    const char *name;

    if (e->kind == EXPR_COLUMN)
        return e->u.column == col;
    if (e->kind != EXPR_FUNC || other_column(e, col) != -2 || expr_vec_has_volatile(e))
        return false;
    fn = e->u.func.fn;
    name = e->u.func.def != NULL ? e->u.func.def->name : NULL;
    if (e->u.func.nargs == 2 &&
        (fn == dt_ts_pl_interval || fn == dt_ts_mi_interval || fn == dt_tstz_pl_interval ||
         fn == dt_tstz_mi_interval || fn == dt_date_pli || fn == dt_date_mii))
        return monotone(e->u.func.args[0], col) && const_arg(e->u.func.args[1]);
    if (e->u.func.nargs == 2 && (fn == dt_interval_pl_ts || fn == dt_interval_pl_tstz))
        return const_arg(e->u.func.args[0]) && monotone(e->u.func.args[1], col);
    if (fn == window_tumble_start_fn || fn == window_tumble_end_fn) {
        for (int i = 1; i < e->u.func.nargs; i++) {
            if (!const_arg(e->u.func.args[i]))
                return false;
        }
        return e->u.func.nargs >= 1 && monotone(e->u.func.args[0], col);
    }
    if (name != NULL && strcmp(name, "date_bin") == 0 && e->u.func.nargs == 3)
        return const_arg(e->u.func.args[0]) && monotone(e->u.func.args[1], col) &&
               const_arg(e->u.func.args[2]);
    if (name != NULL && strcmp(name, "date_trunc") == 0 && e->u.func.nargs == 2 &&
        e->type == TYPE_TIMESTAMP)
        return const_arg(e->u.func.args[0]) && monotone(e->u.func.args[1], col);
    return false;
}

typedef struct DeriveCtx {
    SqlWmLookupFn lookup;
    void *arg;
    Arena *a;
} DeriveCtx;

/* Per output column of p: NULL or its derivation (column, relid, relcol, steps). */
static SqlWmColumn **derive(DeriveCtx *c, const PlanNode *p);

/* in followed by step (on every branch: a non-decreasing f has f(min(a, b)) = min(f(a), f(b))). */
static SqlWmColumn *
add_step(DeriveCtx *c, const SqlWmColumn *in, int outcol, SqlWmStep step)
{
    SqlWmColumn *o = arena_calloc(c->a, 1, sizeof *o);

    *o = *in;
    o->column = outcol;
    o->steps = arena_calloc(c->a, (size_t)in->nsteps + 1, sizeof(SqlWmStep));
    if (in->nsteps > 0)
        memcpy(o->steps, in->steps, sizeof(SqlWmStep) * (size_t)in->nsteps);
    o->steps[o->nsteps++] = step;
    o->also = in->also != NULL ? add_step(c, in->also, outcol, step) : NULL;
    return o;
}

/* a's derivation with b's branches appended (the smaller of all), as output column outcol. */
static SqlWmColumn *
min_of(DeriveCtx *c, const SqlWmColumn *a, const SqlWmColumn *b, int outcol)
{
    SqlWmColumn *o = arena_calloc(c->a, 1, sizeof *o);

    *o = *a;
    o->column = outcol;
    o->also = a->also != NULL ? min_of(c, a->also, b, outcol) : b;
    return o;
}

/* True when e is `x = y` over two columns of one type (the type's own = operator). */
static bool
equated_columns(const Expr *e, int *x, int *y)
{
    const OperDef *o;
    int pos = 0;
    Oid t;

    if (e->kind != EXPR_FUNC || e->u.func.nargs != 2 || e->type != TYPE_BOOL ||
        e->u.func.args[0]->kind != EXPR_COLUMN || e->u.func.args[1]->kind != EXPR_COLUMN)
        return false;
    t = e->u.func.args[0]->type;
    if (t != e->u.func.args[1]->type)
        return false;
    while ((o = catalog_next_oper("=", &pos)) != NULL) {
        if (o->fn == e->u.func.fn && o->left == t && o->right == t) {
            *x = e->u.func.args[0]->u.column;
            *y = e->u.func.args[1]->u.column;
            return true;
        }
    }
    return false;
}

/* A join's ON conjuncts `L.a = R.b` whose columns both carry a watermark: both carry the min. */
static void
through_join(DeriveCtx *c, const PlanNode *p, const Expr *e, SqlWmColumn **in, SqlWmColumn **out)
{
    int x, y, nl = p->input->ncols;

    if (e == NULL)
        return;
    if (e->kind == EXPR_AND) {
        for (int i = 0; i < e->u.list.nargs; i++)
            through_join(c, p, e->u.list.args[i], in, out);
        return;
    }
    if (!equated_columns(e, &x, &y))
        return;
    if (x > y) {
        int t = x;

        x = y;
        y = t;
    }
    if (x < 0 || x >= nl || y < nl || y >= p->ncols || in[x] == NULL || in[y] == NULL)
        return; /* not one column of each side */
    if (out[x] == NULL)
        out[x] = min_of(c, in[x], in[y], x);
    if (out[y] == NULL)
        out[y] = min_of(c, in[y], in[x], y);
}

/* An expression over p's input row carrying a watermark: its derivation, else NULL. */
static SqlWmColumn *
through_expr(DeriveCtx *c, SqlWmColumn **in, int nin, const Expr *e, int outcol)
{
    for (int k = 0; k < nin; k++) {
        if (in[k] == NULL || !monotone(e, k))
            continue;
        if (e->kind == EXPR_COLUMN) {
            SqlWmColumn *o = arena_calloc(c->a, 1, sizeof *o);

            *o = *in[k];
            o->column = outcol;
            return o;
        }
        return add_step(c, in[k], outcol, (SqlWmStep){e, k, nin, false, 0, 0, 0});
    }
    return NULL;
}

static SqlWmColumn **
derive(DeriveCtx *c, const PlanNode *p)
{
    SqlWmColumn **out = arena_calloc(c->a, (size_t)p->ncols + 1, sizeof(SqlWmColumn *));
    SqlWmColumn **in;
    int col;

    switch (p->kind) {
    case PLAN_SCAN:
        if (c->lookup(c->arg, p->u.scan.relid, p->u.scan.relname, &col) && col >= 0 &&
            col < p->ncols) {
            out[col] = arena_calloc(c->a, 1, sizeof(SqlWmColumn));
            *out[col] = (SqlWmColumn){col, p->u.scan.relid, col, 0, NULL};
        }
        return out;
    case PLAN_FILTER:
    case PLAN_TEMPORAL_FILTER:
        return derive(c, p->input);
    case PLAN_PROJECT:
        in = derive(c, p->input);
        for (int k = 0; k < p->ncols; k++)
            out[k] = through_expr(c, in, p->input->ncols, p->u.exprs[k], k);
        return out;
    case PLAN_AGG:
        in = derive(c, p->input);
        for (int k = 0; k < p->u.agg.nkeys && k < p->ncols; k++)
            out[k] = through_expr(c, in, p->input->ncols, p->u.agg.keys[k], k);
        return out;
    case PLAN_HOP:
        in = derive(c, p->input);
        for (int k = 0; k < p->input->ncols && k < p->ncols; k++)
            out[k] = in[k] != NULL ? in[k] : NULL;
        if (in[p->u.hop.column] != NULL && p->ncols >= p->input->ncols + 2) {
            for (int w = 0; w < 2; w++)
                out[p->input->ncols + w] =
                    add_step(c, in[p->u.hop.column], p->input->ncols + w,
                             (SqlWmStep){NULL, p->u.hop.column, p->input->ncols, w == 1,
                                         p->u.hop.slide, p->u.hop.size, p->u.hop.offset});
        }
        return out;
    case PLAN_SESSION:
        /*
         * A row at time >= W changes only sessions holding a time > W - gap, whose window_end
         * (last time + gap) is > W: window_end carries W itself. Nothing else does (a merge
         * re-emits old rows with new bounds).
         */
        in = derive(c, p->input);
        if (in[p->u.session.column] != NULL && p->ncols >= p->input->ncols + 2) {
            out[p->input->ncols + 1] = arena_calloc(c->a, 1, sizeof(SqlWmColumn));
            *out[p->input->ncols + 1] = *in[p->u.session.column];
            out[p->input->ncols + 1]->column = p->input->ncols + 1;
        }
        return out;
    case PLAN_WINDOW:
        /*
         * Rows of a partition whose key is below W never change again (a change re-ranks only
         * its own partition): a PARTITION BY column carries its watermark through.
         */
        in = derive(c, p->input);
        for (int k = 0; k < p->input->ncols && k < p->ncols; k++) {
            for (int q = 0; in[k] != NULL && q < p->u.window->npart; q++) {
                const Expr *e = p->u.window->part[q];

                if (e->kind == EXPR_COLUMN && e->u.column == k) {
                    out[k] = in[k];
                    break;
                }
            }
        }
        return out;
    case PLAN_JOIN:
        if (p->right == NULL || p->input->ncols + p->right->ncols != p->ncols)
            return out;
        {
            SqlWmColumn **l = derive(c, p->input), **r = derive(c, p->right);

            in = arena_calloc(c->a, (size_t)p->ncols + 1, sizeof(SqlWmColumn *));
            for (int k = 0; k < p->input->ncols; k++)
                in[k] = l[k];
            for (int k = 0; k < p->right->ncols; k++)
                in[p->input->ncols + k] = r[k];
            through_join(c, p, p->u.pred, in, out);
        }
        return out;
    default:
        return out; /* set operations, top-N, mark joins: none (sql/watermark.h) */
    }
}

int
sql_watermark_derive(const PlanNode *plan, SqlWmLookupFn lookup, void *arg, Arena *a,
                     SqlWmColumn *out)
{
    DeriveCtx c = {lookup, arg, a};
    SqlWmColumn **cols = derive(&c, plan);

    for (int k = 0; k < plan->ncols; k++) {
        if (cols[k] != NULL) {
            *out = *cols[k];
            return 0;
        }
    }
    return 1;
}

SqlWmColumn **
sql_watermark_columns(const PlanNode *plan, SqlWmLookupFn lookup, void *arg, Arena *a)
{
    DeriveCtx c = {lookup, arg, a};

    return derive(&c, plan);
}

bool
sql_watermark_monotone(const Expr *e, int col)
{
    return monotone(e, col);
}

int
sql_watermark_eval(const Expr *e, int col, int ncols, EvalCtx *ctx, Datum w, Datum *out,
                   bool *isnull, Err *err)
{
    Value row[ROWCODEC_MAX_COLS];
    const Value *saved_row = ctx->row;
    int saved_ncols = ctx->ncols;
    int rc;

    if (ncols > ROWCODEC_MAX_COLS || col < 0 || col >= ncols)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "too many columns");
    for (int k = 0; k < ncols; k++)
        row[k] = (Value){0, true};
    row[col] = (Value){w, false};
    ctx->row = row;
    ctx->ncols = ncols;
    rc = expr_eval(e, ctx, out, isnull, err);
    ctx->row = saved_row;
    ctx->ncols = saved_ncols;
    return rc;
}

int
sql_watermark_apply(const SqlWmColumn *c, EvalCtx *ctx, Datum w, Datum *out, bool *isnull, Err *err)
{

    *out = w;
    *isnull = false;
    for (int i = 0; i < c->nsteps; i++) {
        const SqlWmStep *s = &c->steps[i];
        int64_t start;

        if (*isnull)
            return 0;
        if (s->expr == NULL) { /* HOP: the earliest window holding a time >= w */
            if (window_start((int64_t)*out, s->hop_slide, s->hop_offset, &start, err) < 0 ||
                window_add(start, s->hop_slide - s->hop_size + (s->hop_end ? s->hop_size : 0),
                           &start, err) < 0)
                return -1;
            *out = (Datum)start;
            continue;
        }
        if (sql_watermark_eval(s->expr, s->column, s->ncols, ctx, *out, out, isnull, err) < 0)
            return -1;
    }
    return 0;
}

int
sql_watermark_value(const SqlWmColumn *c, EvalCtx *ctx, SqlWmRelValueFn fn, void *arg,
                    Datum *out, Err *err)
{
    bool have = false;

    for (const SqlWmColumn *b = c; b != NULL; b = b->also) {
        Datum w, v;
        bool isnull;

        if (!fn(arg, b->relid, &w))
            return 0;
        if (sql_watermark_apply(b, ctx, w, &v, &isnull, err) < 0)
            return -1;
        if (isnull)
            return 0;
        /* invariant 1: one by-value type, integers sign-extended: ordered as int64 */
        if (!have || datum_get_int64(v) < datum_get_int64(*out))
            *out = v;
        have = true;
    }
    return have ? 1 : 0;
}

/* ---- CREATE MATERIALIZED VIEW ... EMIT ON WINDOW CLOSE ---- */

typedef struct BindLookup {
    BindCtx *b;
    int depth;
} BindLookup;

/* The watermarked column of a relation as stored (its definition), for the binder. */
static bool
bind_lookup(void *arg, uint64_t relid, const char *relname, int *col)
{
    BindLookup *bl = arg;
    BindCtx *b = bl->b;
    SqlRelation *rel = NULL;
    DialectScript *ds = NULL;
    Err ignored = {0};
    bool found = false;

    if (bl->depth >= WM_MAX_VIEW_DEPTH || relname == NULL ||
        sql_relation_lookup(NULL, relname, b->arena, &rel, &ignored) != 0 || rel == NULL ||
        rel->id != relid || rel->definition == NULL)
        return false;
    if (rel->kind == SQL_REL_MATVIEW) {
        SqlScript *script = NULL;
        SqlStatement *stmt = NULL;
        const PlanNode *plan = NULL;
        SqlWmColumn wc;
        BindLookup inner = {b, bl->depth + 1};

        if (sql_matview_plan(b->session, rel->definition, &script, &stmt, &plan, &ignored) == 0 &&
            sql_watermark_derive(plan, bind_lookup, &inner, b->arena, &wc) == 0) {
            *col = wc.column;
            found = true;
        }
        sql_statement_destroy(stmt);
        sql_script_destroy(script);
        return found;
    }
    if (dialect_prepass(rel->definition, strlen(rel->definition), &ds, &ignored) < 0)
        return false;
    for (int i = 0; ds != NULL && i < ds->nstmts && !found; i++) {
        if (ds->stmts[i].wm_column == NULL)
            continue;
        for (int c = 0; c < rel->ncols && !found; c++) {
            if (strcmp(rel->cols[c].name, ds->stmts[i].wm_column) == 0) {
                *col = c;
                found = true;
            }
        }
    }
    dialect_free(ds);
    return found;
}

int
bind_create_matview_eowc(BindCtx *b, SqlStatement *st, const PgQuery__CreateTableAsStmt *c)
{
    BindLookup bl = {b, 0};
    SqlWmColumn wc;

    if (bind_create_matview(b, st, c) < 0)
        return -1;
    if (sql_watermark_derive(st->table->plan, bind_lookup, &bl, b->arena, &wc) == 0)
        return 0;
    bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
               "the query cannot be executed in Emit-On-Window-Close mode");
    err_hint(b->err, "Define a watermark column in the source and GROUP BY it (or a window "
                     "column of it), or avoid aggregation without GROUP BY.");
    return -1;
}
