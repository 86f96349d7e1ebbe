/*
 * sql/bind_dml.c — DELETE and UPDATE on tables with a PRIMARY KEY: binding
 * (PostgreSQL's transformDeleteStmt / transformUpdateStmt for what Rivulet
 * keeps) and running them.
 *
 *   DELETE FROM t [WHERE c] [RETURNING ...]
 *   UPDATE t SET col = expr [, ...] [WHERE c] [RETURNING ...]
 *
 * Both bind to a TableStmt of kind STMT_INSERT with dml set: a Scan plan of
 * the table (which, on a primary-key table, reads the state after an epoch
 * covering every acknowledged write: read-your-writes), the WHERE condition
 * and the SET expressions bound over the table's row. Running them collects
 * the matching rows and appends change records to the table's log in one
 * durable append (sql/relation.h): DELETE a delete record of the old row;
 * UPDATE an upsert of the new row when its key is unchanged, else a delete
 * of the old key and an insert of the new one (so a taken key fails with
 * 23505 and nothing of the statement is written).
 *
 * Tables without a primary key are append-only in effect (their rows are a
 * log): UPDATE/DELETE on them fail with 0A000 and a hint; on APPEND ONLY
 * tables and sources with 42809 naming the kind.
 *
 * Invariants:
 *   1. A statement's records are appended in one call, so it takes effect
 *      wholly or not at all.
 *   2. Rows are matched against the state as of the scan; there is no row
 *      locking: concurrent UPDATEs of one row are applied in log order (the
 *      last one wins), unlike PostgreSQL's re-check of the updated row.
 */
#include <string.h>

#include "common/errcodes.h"
#include "sql/bind_query.h"
#include "sql/bind_struct_expr.h"
#include "sql/describe.h"
#include "sql/generated.h"
#include "sql/keycodec.h"
#include "sql/rowcodec.h"
#include "sql/table.h"

static void key_lookup(BindCtx *b, TableStmt *ts, const SqlRelation *rel);

/* ---- binding ------------------------------------------------------------------------------- */

static int
target_relation(BindCtx *b, SqlStatement *st, const PgQuery__RangeVar *rv, const char *verb,
                SqlRelation **rel, const char ***names, const char **relname)
{
    TableStmt *ts = st->table;
    int rc;

    if (bind_table_scan(b, rv, &ts->plan, names, relname) < 0)
        return -1;
    rc = sql_relation_lookup(rv->schemaname != NULL && rv->schemaname[0] != '\0' ? rv->schemaname
                                                                                 : NULL,
                             rv->relname, b->arena, rel, b->err);
    if (rc != 0)
        return rc < 0 ? -1
                      : bind_error(b, rv->location, ERRCODE_UNDEFINED_TABLE,
                                   "relation \"%s\" does not exist", rv->relname);
    if ((*rel)->kind == SQL_REL_VIEW)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "cannot %s view \"%s\"",
                          verb, (*rel)->name);
    if ((*rel)->kind == SQL_REL_MATVIEW || (*rel)->kind == SQL_REL_SYSTEM)
        return bind_error(b, -1, ERRCODE_WRONG_OBJECT_TYPE, "cannot change %s \"%s\"",
                          (*rel)->kind == SQL_REL_MATVIEW ? "materialized view" : "system view",
                          (*rel)->name);
    if ((*rel)->kind == SQL_REL_SOURCE)
        return bind_error(b, rv->location, ERRCODE_WRONG_OBJECT_TYPE, "cannot %s source \"%s\"",
                          verb, (*rel)->name);
    if ((*rel)->append_only)
        return bind_error(b, rv->location, ERRCODE_WRONG_OBJECT_TYPE,
                          "cannot %s append-only table \"%s\"", verb, (*rel)->name);
    bool has_pk = false;

    for (int c = 0; c < (*rel)->ncols; c++)
        has_pk |= (*rel)->cols[c].pk_position > 0;
    if (!has_pk) {
        bind_error(b, rv->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "cannot %s table \"%s\" because it has no primary key", verb, (*rel)->name);
        err_hint(b->err, "Tables without a PRIMARY KEY are append-only; create the table with "
                         "a PRIMARY KEY to update or delete rows.");
        return -1;
    }
    ts->relid = (*rel)->id;
    ts->target = *rel;
    return 0;
}

/* Binds exprs over the table's row (the RETURNING machinery: one relation in scope). */
static int
bind_over_row(BindCtx *b, const SqlRelation *rel, const char *relname, Node **targets, size_t n,
              Expr ***exprs, const char ***names, int *nout)
{
    int w = rel->ncols ? rel->ncols : 1;
    const char **colnames = arena_alloc(b->arena, sizeof(char *) * (size_t)w);
    Oid *types = arena_alloc(b->arena, sizeof(Oid) * (size_t)w);
    int32_t *typmods = arena_alloc(b->arena, sizeof(int32_t) * (size_t)w);

    for (int c = 0; c < rel->ncols; c++) {
        colnames[c] = rel->cols[c].name;
        types[c] = rel->cols[c].type;
        typmods[c] = rel->cols[c].typmod;
    }
    return bind_query_returning(b, relname, rel->ncols, colnames, types, typmods, targets, n, exprs,
                                names, nout);
}

/* One expression over the row, wrapped as a select-list entry. */
static Expr *
bind_one(BindCtx *b, const SqlRelation *rel, const char *relname, Node *val)
{
    PgQuery__ResTarget rt = PG_QUERY__RES_TARGET__INIT;
    Node node = PG_QUERY__NODE__INIT, *list[1] = {&node};
    Expr **exprs;
    const char **names;
    int n;

    rt.val = val;
    rt.location = -1;
    node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
    node.res_target = &rt;
    if (bind_over_row(b, rel, relname, list, 1, &exprs, &names, &n) < 0)
        return NULL;
    if (n != 1)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "this expression is not supported here"),
               NULL;
    return exprs[0];
}

static int
bind_where(BindCtx *b, TableStmt *ts, const SqlRelation *rel, const char *relname, Node *where)
{
    if (where == NULL)
        return 0;
    if (where->node_case == PG_QUERY__NODE__NODE_CURRENT_OF_EXPR)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "WHERE CURRENT OF is not supported");
    if ((ts->where = bind_one(b, rel, relname, where)) == NULL ||
        (ts->where = bind_coerce_bool(b, ts->where, "WHERE")) == NULL)
        return -1;
    return 0;
}

static int
bind_dml_returning(BindCtx *b, SqlStatement *st, const SqlRelation *rel, const char *relname,
                   Node **list, size_t n)
{
    TableStmt *ts = st->table;
    const char **names;

    if (n == 0)
        return 0;
    if (bind_over_row(b, rel, relname, list, n, &ts->returning, &names, &ts->nreturning) < 0)
        return -1;
    st->ncols = ts->nreturning;
    st->cols = arena_calloc(b->arena, (size_t)(st->ncols ? st->ncols : 1), sizeof(SqlColumn));
    for (int i = 0; i < st->ncols; i++) {
        const TypeInfo *t = type_by_oid(ts->returning[i]->type);

        st->cols[i].name = arena_strdup(b->arena, names[i]);
        st->cols[i].type_oid = ts->returning[i]->type;
        st->cols[i].typmod = ts->returning[i]->typmod;
        st->cols[i].typlen = t != NULL ? t->typlen : -1;
        describe_row_origin(ts->returning[i], rel, &st->cols[i].table_oid, &st->cols[i].attnum);
    }
    return 0;
}

int
bind_delete(BindCtx *b, SqlStatement *st, const PgQuery__DeleteStmt *ds)
{
    TableStmt *ts = arena_calloc(b->arena, 1, sizeof *ts);
    const char **names, *relname;
    SqlRelation *rel;

    st->kind = STMT_INSERT;
    st->tag = "DELETE";
    st->table = ts;
    ts->dml = TABLE_DML_DELETE;
    if (ds->with_clause != NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "WITH is not supported yet");
    if (ds->n_using_clause > 0)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "DELETE ... USING is not supported yet");
    if (target_relation(b, st, ds->relation, "delete from", &rel, &names, &relname) < 0 ||
        bind_where(b, ts, rel, relname, ds->where_clause) < 0)
        return -1;
    key_lookup(b, ts, rel);
    return bind_dml_returning(b, st, rel, relname, ds->returning_list, ds->n_returning_list);
}

/*
 * A SET source that keeps an unknown type until assigned: a bare literal (not text, as in a
 * select list) or an untyped $n, which takes the column's type (what psycopg's None sends).
 */
static bool
untyped_source(const Node *val)
{
    return val->node_case == PG_QUERY__NODE__NODE_A_CONST ||
           val->node_case == PG_QUERY__NODE__NODE_PARAM_REF;
}

/* transformAssignedExpr for UPDATE: coerce to the column's type and typmod. */
static int
assign(BindCtx *b, Expr **e, const SqlRelColumn *col, int location)
{
    Oid src = (*e)->type;
    int rc = bind_coerce(b, e, col->type, COERCION_ASSIGNMENT, location);

    if (rc > 0) {
        bind_error(b, location, ERRCODE_DATATYPE_MISMATCH,
                   "column \"%s\" is of type %s but expression is of type %s", col->name,
                   type_sql_name(col->type), type_sql_name(src));
        err_hint(b->err, "You will need to rewrite or cast the expression.");
        return -1;
    }
    if (rc < 0)
        return -1;
    return bind_coerce_typmod(b, e, col->typmod, false, location);
}

int
bind_update(BindCtx *b, SqlStatement *st, const PgQuery__UpdateStmt *us)
{
    TableStmt *ts = arena_calloc(b->arena, 1, sizeof *ts);
    const char **names, *relname;
    SqlRelation *rel;
    size_t n = us->n_target_list;
    int gen_bad = -1; /* the first generated column SET to a value */
    bool *set_fields; /* set_exprs[i] assigns fields (SET s.f = v) */

    st->kind = STMT_INSERT;
    st->tag = "UPDATE";
    st->table = ts;
    ts->dml = TABLE_DML_UPDATE;
    if (us->with_clause != NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "WITH is not supported yet");
    if (us->n_from_clause > 0)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "UPDATE ... FROM is not supported yet");
    /* WHERE first, as transformUpdateStmt: an untyped $n it shares with SET gets its type */
    if (target_relation(b, st, us->relation, "update", &rel, &names, &relname) < 0 ||
        bind_where(b, ts, rel, relname, us->where_clause) < 0)
        return -1;
    ts->set_cols = arena_alloc(b->arena, sizeof(int) * (n ? n : 1));
    ts->set_exprs = arena_alloc(b->arena, sizeof(Expr *) * (n ? n : 1));
    set_fields = arena_calloc(b->arena, n ? n : 1, sizeof(bool));
    for (size_t i = 0; i < n; i++) {
        const PgQuery__ResTarget *rt =
            us->target_list[i]->node_case == PG_QUERY__NODE__NODE_RES_TARGET
                ? us->target_list[i]->res_target
                : NULL;
        int c = 0, prior = -1; /* prior: an earlier SET of fields of the same column */
        Expr *e;

        if (rt == NULL || rt->val == NULL ||
            rt->val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF)
            return bind_error(b, rt != NULL ? rt->location : -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "this SET target is not supported yet");
        if (rt->n_indirection > 0 && rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT)
            return bind_error(b, rt->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "cannot set a subfield to DEFAULT");
        while (c < rel->ncols && strcmp(rel->cols[c].name, rt->name) != 0)
            c++;
        if (c == rel->ncols)
            return bind_error(b, rt->location, ERRCODE_UNDEFINED_COLUMN,
                              "column \"%s\" of relation \"%s\" does not exist", rt->name,
                              rel->name);
        for (int j = 0; j < ts->nset; j++) {
            if (ts->set_cols[j] == c && (rt->n_indirection == 0 || !set_fields[j]))
                return bind_error(b, -1, ERRCODE_SYNTAX_ERROR,
                                  "multiple assignments to same column \"%s\"", rt->name);
            prior = ts->set_cols[j] == c ? j : prior;
        }
        if (rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT &&
            generated_is_column(&rel->cols[c]))
            continue; /* recomputed below (sql/generated.c) */
        if (gen_bad < 0 && rt->val->node_case != PG_QUERY__NODE__NODE_SET_TO_DEFAULT &&
            generated_check_update_target(NULL, &rel->cols[c]) < 0)
            gen_bad = c; /* 428C9 after the analysis, as PostgreSQL's rewriter */
        if (rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) {
            if ((e = bind_column_default(b, &rel->cols[c])) == NULL)
                return -1;
            ts->set_cols[ts->nset] = c;
            ts->set_exprs[ts->nset++] = e;
            continue;
        }
        e = untyped_source(rt->val) ? bind_expr(b, rt->val) : bind_one(b, rel, relname, rt->val);
        if (e != NULL && rt->n_indirection > 0) {
            /* SET s.f = v: the struct with one field replaced (sql/bind_struct_expr.c) */
            Expr *base = prior >= 0 ? ts->set_exprs[prior]
                                    : bind_one(b, rel, relname,
                                               bind_struct_colref_node(b, rt->name, rt->location));

            if (base == NULL)
                return -1;
            e = bind_struct_set_field(b, base, rt->name, rt->indirection, rt->n_indirection, e,
                                      rt->location);
            if (e == NULL)
                return -1;
            if (prior >= 0) {
                ts->set_exprs[prior] = e;
                continue;
            }
            set_fields[ts->nset] = true;
        } else if (e == NULL ||
                   assign(b, &e, &rel->cols[c], e->location >= 0 ? e->location : rt->location) < 0)
            return -1;
        ts->set_cols[ts->nset] = c;
        ts->set_exprs[ts->nset++] = e;
    }
    if ((gen_bad >= 0 && generated_check_update_target(b, &rel->cols[gen_bad]) < 0) ||
        generated_bind_row(b, rel, &ts->generated) < 0)
        return -1;
    key_lookup(b, ts, rel);
    return bind_dml_returning(b, st, rel, relname, us->returning_list, us->n_returning_list);
}

/* ---- running ------------------------------------------------------------------------------- */

static int
put_record(Buf *buf, uint8_t kind, const Oid *types, int ncols, const Value *row, size_t **offs,
           int *n, int *cap, Arena *a, Err *err)
{
    const uint8_t header[SQL_REC_HEADER] = {kind, SQL_REC_VERSION, 0, 0};

    if (*n + 1 >= *cap) {
        size_t *grown = arena_alloc(a, sizeof(size_t) * (size_t)(*cap * 2));

        memcpy(grown, *offs, sizeof(size_t) * (size_t)*cap);
        *offs = grown;
        *cap *= 2;
    }
    (*offs)[(*n)++] = buf->len;
    buf_append(buf, header, sizeof header);
    return rowcodec_encode(types, ncols, row, buf, err);
}

/* True when the primary-key columns of a and b are equal (as the index compares them). */
static int
same_key(const SqlRelation *rel, const Value *a, const Value *b, Buf *ka, Buf *kb, Arena *ar,
         bool *same, Err *err)
{
    int npk = 0;
    KeyColumn *kc = arena_alloc(ar, sizeof(KeyColumn) * (size_t)(rel->ncols ? rel->ncols : 1));
    Value *va = arena_alloc(ar, sizeof(Value) * (size_t)(rel->ncols ? rel->ncols : 1));
    Value *vb = arena_alloc(ar, sizeof(Value) * (size_t)(rel->ncols ? rel->ncols : 1));
    KeySpec spec;

    for (int c = 0; c < rel->ncols; c++) {
        int pos = rel->cols[c].pk_position;

        if (pos <= 0)
            continue;
        kc[pos - 1] = (KeyColumn){rel->cols[c].type, false, false};
        va[pos - 1] = a[c];
        vb[pos - 1] = b[c];
        npk++;
    }
    spec = (KeySpec){kc, npk, false};
    buf_reset(ka);
    buf_reset(kb);
    if (keycodec_encode(&spec, va, ka, NULL, err) < 0 ||
        keycodec_encode(&spec, vb, kb, NULL, err) < 0)
        return -1;
    *same = ka->len == kb->len && memcmp(ka->data, kb->data, ka->len) == 0;
    return 0;
}

/* ---- key lookups --------------------------------------------------------------------------- */

/* True when e reads no column and calls nothing volatile: one value for every row. */
static bool
row_independent(const Expr *e)
{
    const Expr *kids[64];
    int n;

    if (e->kind == EXPR_COLUMN || e->kind == EXPR_CASE_TEST)
        return false;
    if (e->kind == EXPR_FUNC && e->u.func.def != NULL && (e->u.func.def->flags & FN_VOLATILE))
        return false;
    if ((n = bind_expr_children(e, kids, 64)) > 64)
        return false;
    for (int i = 0; i < n; i++) {
        if (!row_independent(kids[i]))
            return false;
    }
    return true;
}

static bool
is_int_type(Oid t)
{
    return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8;
}

/* The value col is compared to in conjunct e (`col = v` or `v = col`, v of col's type — or of
 * another integer type for an integer key: integer "=" is one function for every pair — and
 * the same for every row, = the type's own equality), or NULL. */
static Expr *
pinned_value(const Expr *e, int col, Oid type)
{
    TypeOrder o;

    if (e->kind != EXPR_FUNC || e->u.func.nargs != 2 || !plan_type_order(type, &o) ||
        e->u.func.fn != o.eq)
        return NULL;
    for (int side = 0; side < 2; side++) {
        const Expr *c = e->u.func.args[side], *v = e->u.func.args[1 - side];

        if (c->kind == EXPR_COLUMN && c->u.column == col && c->type == type &&
            (v->type == type || (is_int_type(type) && is_int_type(v->type))) &&
            row_independent(v))
            return (Expr *)v;
    }
    return NULL;
}

/*
 * A WHERE that is an AND of `key column = constant` for every key column (and anything else):
 * the statement reads the one row of that key instead of scanning the table. The WHERE is
 * still evaluated on that row, so nothing else about it needs to be known.
 */
static void
key_lookup(BindCtx *b, TableStmt *ts, const SqlRelation *rel)
{
    const Expr *where = ts->where;
    const Expr *const *conj = &where;
    int nconj = 1, npk = 0;

    if (where == NULL)
        return;
    if (where->kind == EXPR_AND) {
        conj = (const Expr *const *)where->u.list.args;
        nconj = where->u.list.nargs;
    }
    for (int c = 0; c < rel->ncols; c++)
        npk += rel->cols[c].pk_position > 0;
    if (npk == 0)
        return;
    ts->key_exprs = arena_calloc(b->arena, (size_t)npk, sizeof(Expr *));
    for (int c = 0; c < rel->ncols; c++) {
        int pos = rel->cols[c].pk_position;

        for (int i = 0; pos > 0 && i < nconj && ts->key_exprs[pos - 1] == NULL; i++)
            ts->key_exprs[pos - 1] = pinned_value(conj[i], c, rel->cols[c].type);
        if (pos > 0 && ts->key_exprs[pos - 1] == NULL)
            return; /* a key column is not pinned: scan */
    }
    ts->nkey = npk;
}

/*
 * The rows a keyed DELETE / UPDATE reads: the row of the key its WHERE pins (0 or 1 rows).
 * Returns 1 when the lookup is not possible (the caller scans).
 */
static int
read_keyed(const TableStmt *t, EvalCtx *ctx, const SqlCatalogProvider *p, Value **rows,
           int64_t *n, Err *err)
{
    const SqlRelation *rel = t->target;
    Value *kv = arena_alloc(ctx->arena, sizeof(Value) * (size_t)t->nkey);
    Oid *types = arena_alloc(ctx->arena, sizeof(Oid) * (size_t)(rel->ncols ? rel->ncols : 1));
    uint8_t *row;
    size_t len;
    int rc;

    *n = 0;
    if (p->get == NULL)
        return 1;
    ctx->row = NULL;
    for (int c = 0; c < rel->ncols; c++) {
        int k = rel->cols[c].pk_position - 1;
        int64_t v, lo, hi;

        if (k < 0 || k >= t->nkey)
            continue;
        if (expr_eval(t->key_exprs[k], ctx, &kv[k].d, &kv[k].isnull, err) < 0)
            return -1;
        if (kv[k].isnull)
            return 0; /* key = NULL holds for no row */
        if (t->key_exprs[k]->type == rel->cols[c].type)
            continue;
        /* another integer type: sign-extended alike; out of the key's range, no row has it */
        v = datum_get_int64(kv[k].d);
        lo = rel->cols[c].type == TYPE_INT2 ? INT16_MIN
             : rel->cols[c].type == TYPE_INT4 ? INT32_MIN
                                              : INT64_MIN;
        hi = rel->cols[c].type == TYPE_INT2 ? INT16_MAX
             : rel->cols[c].type == TYPE_INT4 ? INT32_MAX
                                              : INT64_MAX;
        if (v < lo || v > hi)
            return 0;
    }
    if ((rc = p->get(p->arg, t->relid, kv, ctx->arena, &row, &len, err)) != 1)
        return rc; /* -1, 0 (no such row) or 2 (the table changed: scan) */
    for (int c = 0; c < rel->ncols; c++)
        types[c] = rel->cols[c].type;
    *rows = arena_alloc(ctx->arena, sizeof(Value) * (size_t)(rel->ncols ? rel->ncols : 1));
    if (rowcodec_decode(row, len, types, rel->ncols, ctx->arena, *rows, err) < 0)
        return -1;
    *n = 1;
    return 0;
}

int
dml_execute(const TableStmt *t, EvalCtx *ctx, Value **changed, int64_t *count, Err *err)
{
    const SqlCatalogProvider *p = sql_catalog_provider();
    SqlExecutorFn run = sql_executor();
    const SqlRelation *rel = t->target;
    int w = rel->ncols ? rel->ncols : 1, nrec = 0, cap = 64, rc = 0;
    Oid *types = arena_alloc(ctx->arena, sizeof(Oid) * (size_t)w);
    size_t *offs = arena_alloc(ctx->arena, sizeof(size_t) * (size_t)cap);
    Value *rows, *out;
    int64_t n, m = 0;
    Buf buf, ka, kb;

    *count = 0;
    *changed = NULL;
    if (p == NULL || run == NULL)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                         "tables are not available: no storage engine is running");
    /* a WHERE pinning the key reads one row; otherwise (or when that fails over) a scan */
    rc = t->nkey > 0 ? read_keyed(t, ctx, p, &rows, &n, err) : 1;
    if (rc < 0 || (rc != 0 && run(t->plan, ctx, ctx->arena, &rows, &n, err) < 0))
        return -1;
    rc = 0;
    for (int c = 0; c < rel->ncols; c++)
        types[c] = rel->cols[c].type;
    out = arena_alloc(ctx->arena, sizeof(Value) * (size_t)w * (size_t)(n ? n : 1));
    buf_init(&buf, BUF_DEFAULT_MAX);
    buf_init(&ka, BUF_DEFAULT_MAX);
    buf_init(&kb, BUF_DEFAULT_MAX);
    ctx->ncols = rel->ncols;
    for (int64_t r = 0; rc == 0 && r < n; r++) {
        const Value *old = &rows[(size_t)r * (size_t)w];
        Value *row = &out[(size_t)m * (size_t)w];
        bool same;

        ctx->row = old;
        if (t->where != NULL) {
            Value v;

            if (expr_eval(t->where, ctx, &v.d, &v.isnull, err) < 0) {
                rc = -1;
                break;
            }
            if (v.isnull || !datum_get_bool(v.d))
                continue;
        }
        memcpy(row, old, sizeof(Value) * (size_t)rel->ncols);
        if (t->dml == TABLE_DML_DELETE) {
            rc = put_record(&buf, SQL_REC_DELETE, types, rel->ncols, old, &offs, &nrec, &cap,
                            ctx->arena, err);
            m++;
            continue;
        }
        for (int i = 0; rc == 0 && i < t->nset; i++) {
            Value *dst = &row[t->set_cols[i]];

            rc = expr_eval(t->set_exprs[i], ctx, &dst->d, &dst->isnull, err);
        }
        if (rc == 0 && t->generated != NULL) /* over the new row (sql/generated.c) */
            rc = generated_compute(t->generated, ctx, row, err);
        if (rc < 0 || (rc = table_check_not_null(rel, row, ctx->io, err)) < 0 ||
            (rc = same_key(rel, old, row, &ka, &kb, ctx->arena, &same, err)) < 0)
            break;
        if (same)
            rc = put_record(&buf, SQL_REC_UPSERT, types, rel->ncols, row, &offs, &nrec, &cap,
                            ctx->arena, err);
        else if ((rc = put_record(&buf, SQL_REC_DELETE, types, rel->ncols, old, &offs, &nrec, &cap,
                                  ctx->arena, err)) == 0)
            rc = put_record(&buf, SQL_REC_INSERT, types, rel->ncols, row, &offs, &nrec, &cap,
                            ctx->arena, err);
        m++;
    }
    ctx->row = NULL;
    if (rc == 0 && buf.failed)
        rc = ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "%s is too large",
                       t->dml == TABLE_DML_DELETE ? "DELETE" : "UPDATE");
    if (rc == 0 && nrec > 0) {
        const uint8_t **recs = arena_alloc(ctx->arena, sizeof(uint8_t *) * (size_t)nrec);
        uint32_t *lens = arena_alloc(ctx->arena, sizeof(uint32_t) * (size_t)nrec);

        offs[nrec] = buf.len;
        for (int i = 0; i < nrec; i++) {
            recs[i] = buf.data + offs[i];
            lens[i] = (uint32_t)(offs[i + 1] - offs[i]);
        }
        rc = p->append(p->arg, t->relid, recs, lens, nrec, err);
        if (rc > 0)
            rc = ERR_RAISE(err, ERRCODE_UNDEFINED_TABLE, "relation \"%s\" does not exist",
                           rel->name);
    }
    buf_free(&buf);
    buf_free(&ka);
    buf_free(&kb);
    if (rc < 0)
        return -1;
    *count = m;
    *changed = out;
    return 0;
}

/* ---- INSERT ... ON CONFLICT ------------------------------------------------------------------ */

static bool
has_primary_key(const SqlRelation *rel)
{
    for (int c = 0; c < rel->ncols; c++) {
        if (rel->cols[c].pk_position > 0)
            return true;
    }
    return false;
}

/* The conflict target must name the primary key: its columns (any order) or its constraint. */
static int
check_inference(BindCtx *b, const PgQuery__InferClause *inf, const SqlRelation *rel)
{
    int npk = 0, matched = 0;
    bool *seen = arena_calloc(b->arena, (size_t)rel->ncols + 1, sizeof(bool));

    if (inf->conname != NULL && inf->conname[0] != '\0') {
        const char *want = arena_sprintf(b->arena, "%s_pkey", rel->name);

        if (!has_primary_key(rel) || strcmp(inf->conname, want) != 0)
            return bind_error(b, -1, ERRCODE_UNDEFINED_OBJECT,
                              "constraint \"%s\" for table \"%s\" does not exist", inf->conname,
                              rel->name);
        return 0;
    }
    for (int c = 0; c < rel->ncols; c++)
        npk += rel->cols[c].pk_position > 0;
    for (size_t i = 0; i < inf->n_index_elems; i++) {
        const Node *n = inf->index_elems[i];
        const PgQuery__IndexElem *ie =
            n->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM ? n->index_elem : NULL;
        int c = 0;

        if (ie == NULL || ie->name == NULL || ie->name[0] == '\0')
            return bind_error(b, inf->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "expressions in an ON CONFLICT target are not supported yet");
        while (c < rel->ncols && strcmp(rel->cols[c].name, ie->name) != 0)
            c++;
        if (c == rel->ncols)
            return bind_error(b, inf->location, ERRCODE_UNDEFINED_COLUMN,
                              "column \"%s\" does not exist", ie->name);
        if (rel->cols[c].pk_position == 0)
            npk = -1; /* not a key column: no match */
        else if (!seen[c])
            matched++; /* (a, a) names a once, as PostgreSQL's inference does */
        seen[c] = true;
    }
    if (npk <= 0 || matched != npk)
        return bind_error(b, -1, ERRCODE_INVALID_COLUMN_REFERENCE,
                          "there is no unique or exclusion constraint matching the ON CONFLICT "
                          "specification");
    return 0;
}

int
bind_on_conflict(BindCtx *b, TableStmt *ts, const PgQuery__InsertStmt *is, const SqlRelation *rel)
{
    const PgQuery__OnConflictClause *oc = is->on_conflict_clause;
    const char *relname = is->relation->alias != NULL ? is->relation->alias->aliasname : rel->name;
    size_t n = oc->n_target_list;
    int w = rel->ncols ? rel->ncols : 1;
    const char **colnames = arena_alloc(b->arena, sizeof(char *) * (size_t)w);
    Oid *types = arena_alloc(b->arena, sizeof(Oid) * (size_t)w);
    int32_t *typmods = arena_alloc(b->arena, sizeof(int32_t) * (size_t)w);
    int gen_bad = -1; /* the first generated column SET to a value */

    if (oc->action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_UPDATE && oc->infer == NULL) {
        bind_error(b, oc->location, ERRCODE_SYNTAX_ERROR,
                   "ON CONFLICT DO UPDATE requires inference specification or constraint name");
        err_hint(b->err, "For example, ON CONFLICT (column_name).");
        return -1;
    }
    if (oc->infer != NULL && check_inference(b, oc->infer, rel) < 0)
        return -1;
    if (!has_primary_key(rel))
        return 0; /* DO NOTHING without a target: nothing can conflict */
    if (oc->action != PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_UPDATE) {
        ts->on_conflict = TABLE_CONFLICT_NOTHING;
        return 0;
    }
    ts->on_conflict = TABLE_CONFLICT_UPDATE;
    for (int c = 0; c < rel->ncols; c++) {
        colnames[c] = rel->cols[c].name;
        types[c] = rel->cols[c].type;
        typmods[c] = rel->cols[c].typmod;
    }
    ts->set_cols = arena_alloc(b->arena, sizeof(int) * (n ? n : 1));
    ts->set_exprs = arena_alloc(b->arena, sizeof(Expr *) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        const PgQuery__ResTarget *rt =
            oc->target_list[i]->node_case == PG_QUERY__NODE__NODE_RES_TARGET
                ? oc->target_list[i]->res_target
                : NULL;
        Node *list[1];
        Expr **exprs, *e;
        const char **names;
        int c = 0, nout;

        if (rt == NULL || rt->n_indirection > 0 || rt->val == NULL ||
            rt->val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF)
            return bind_error(b, rt != NULL ? rt->location : -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "this SET target is not supported yet");
        while (c < rel->ncols && strcmp(rel->cols[c].name, rt->name) != 0)
            c++;
        if (c == rel->ncols)
            return bind_error(b, rt->location, ERRCODE_UNDEFINED_COLUMN,
                              "column \"%s\" of relation \"%s\" does not exist", rt->name,
                              rel->name);
        for (int j = 0; j < ts->nset; j++) {
            if (ts->set_cols[j] == c)
                return bind_error(b, -1, ERRCODE_SYNTAX_ERROR,
                                  "multiple assignments to same column \"%s\"", rt->name);
        }
        if (rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT &&
            generated_is_column(&rel->cols[c]))
            continue; /* recomputed (sql/generated.c) */
        if (gen_bad < 0 && rt->val->node_case != PG_QUERY__NODE__NODE_SET_TO_DEFAULT &&
            generated_check_update_target(NULL, &rel->cols[c]) < 0)
            gen_bad = c; /* 428C9 after the analysis, as PostgreSQL's rewriter */
        if (rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT)
            e = bind_column_default(b, &rel->cols[c]);
        else if (untyped_source(rt->val))
            e = bind_expr(b, rt->val);
        else {
            PgQuery__ResTarget wrap = PG_QUERY__RES_TARGET__INIT;
            Node node = PG_QUERY__NODE__INIT;

            wrap.val = rt->val;
            wrap.location = -1;
            node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
            node.res_target = &wrap;
            list[0] = &node;
            if (bind_query_over_rows(b, relname, "excluded", rel->ncols, colnames, types, typmods,
                                     list, 1, &exprs, &names, &nout) < 0)
                return -1;
            e = exprs[0];
        }
        if (e == NULL ||
            (rt->val->node_case != PG_QUERY__NODE__NODE_SET_TO_DEFAULT &&
             assign(b, &e, &rel->cols[c], e->location >= 0 ? e->location : rt->location) < 0))
            return -1;
        ts->set_cols[ts->nset] = c;
        ts->set_exprs[ts->nset++] = e;
    }
    if ((gen_bad >= 0 && generated_check_update_target(b, &rel->cols[gen_bad]) < 0) ||
        generated_bind_row(b, rel, &ts->generated) < 0)
        return -1;
    if (oc->where_clause != NULL) {
        PgQuery__ResTarget wrap = PG_QUERY__RES_TARGET__INIT;
        Node node = PG_QUERY__NODE__INIT, *list[1] = {&node};
        Expr **exprs;
        const char **names;
        int nout;

        wrap.val = oc->where_clause;
        wrap.location = -1;
        node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
        node.res_target = &wrap;
        if (bind_query_over_rows(b, relname, "excluded", rel->ncols, colnames, types, typmods, list,
                                 1, &exprs, &names, &nout) < 0 ||
            (ts->where = bind_coerce_bool(b, exprs[0], "WHERE")) == NULL)
            return -1;
    }
    return 0;
}

typedef struct Conflict {
    const TableStmt *t;
    EvalCtx *ctx;
    const Value *rows; /* the proposed rows */
    Oid *types;
    bool *byref;
    Value *pair;    /* existing ++ excluded */
    Value *updated; /* per proposed row: the row it became (DO UPDATE) */
    Buf buf;
} Conflict;

static int
resolve(void *arg, int i, const uint8_t *existing, size_t len, const uint8_t **row, size_t *rowlen,
        Err *err)
{
    Conflict *cf = arg;
    const TableStmt *t = cf->t;
    const SqlRelation *rel = t->target;
    size_t w = (size_t)(rel->ncols ? rel->ncols : 1);
    Value *upd = &cf->updated[(size_t)i * w];
    EvalCtx *ctx = cf->ctx;

    if (t->on_conflict == TABLE_CONFLICT_NOTHING)
        return 0;
    if (existing == NULL) {
        ERR_RAISE(err, ERRCODE_CARDINALITY_VIOLATION,
                  "ON CONFLICT DO UPDATE command cannot affect row a second time");
        err_hint(err, "Ensure that no rows proposed for insertion within the same command have "
                      "duplicate constrained values.");
        return -1;
    }
    if (rowcodec_decode(existing, len, cf->types, rel->ncols, ctx->arena, cf->pair, err) < 0)
        return -1;
    memcpy(cf->pair + rel->ncols, &cf->rows[(size_t)i * w], sizeof(Value) * (size_t)rel->ncols);
    ctx->row = cf->pair;
    ctx->ncols = 2 * rel->ncols;
    if (t->where != NULL) {
        Value v;

        if (expr_eval(t->where, ctx, &v.d, &v.isnull, err) < 0)
            return -1;
        if (v.isnull || !datum_get_bool(v.d))
            return 0;
    }
    memcpy(upd, cf->pair, sizeof(Value) * (size_t)rel->ncols);
    for (int s = 0; s < t->nset; s++) {
        Value *dst = &upd[t->set_cols[s]];

        if (expr_eval(t->set_exprs[s], ctx, &dst->d, &dst->isnull, err) < 0)
            return -1;
    }
    if (t->generated != NULL && generated_compute(t->generated, ctx, upd, err) < 0)
        return -1; /* over the new row (sql/generated.c) */
    /* the existing row's bytes go away with the engine's snapshot: keep copies */
    for (int c = 0; c < rel->ncols; c++) {
        if (cf->byref[c] && !upd[c].isnull)
            upd[c].d = datum_copy(ctx->arena, upd[c].d, false);
    }
    if (table_check_not_null(rel, upd, ctx->io, err) < 0)
        return -1;
    buf_reset(&cf->buf);
    if (rowcodec_encode(cf->types, rel->ncols, upd, &cf->buf, err) < 0)
        return -1;
    *row = cf->buf.data;
    *rowlen = cf->buf.len;
    return 1;
}

int
dml_append_conflict(const TableStmt *t, EvalCtx *ctx, uint64_t id, const uint8_t **recs,
                    const uint32_t *lens, Value **rows, int64_t *count, Err *err)
{
    const SqlCatalogProvider *p = sql_catalog_provider();
    const SqlRelation *rel = t->target;
    size_t w = (size_t)(rel->ncols ? rel->ncols : 1);
    int64_t n = *count, m = 0;
    uint8_t *written = arena_alloc(ctx->arena, (size_t)(n ? n : 1));
    Value *out;
    Conflict cf = {t, ctx, *rows, NULL, NULL, NULL, NULL, {0}};
    int rc;

    if (p == NULL || p->append_conflict == NULL)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "ON CONFLICT is not available");
    cf.types = arena_alloc(ctx->arena, sizeof(Oid) * w);
    cf.byref = arena_alloc(ctx->arena, sizeof(bool) * w);
    cf.pair = arena_alloc(ctx->arena, sizeof(Value) * 2 * w);
    cf.updated = arena_alloc(ctx->arena, sizeof(Value) * w * (size_t)(n ? n : 1));
    for (int c = 0; c < rel->ncols; c++) {
        const TypeInfo *ti = type_by_oid(rel->cols[c].type);

        cf.types[c] = rel->cols[c].type;
        cf.byref[c] = ti != NULL && !ti->byval;
    }
    buf_init(&cf.buf, BUF_DEFAULT_MAX);
    rc = p->append_conflict(p->arg, id, recs, lens, (int)n, resolve, &cf, written, err);
    ctx->row = NULL;
    buf_free(&cf.buf);
    if (rc != 0)
        return rc;
    out = arena_alloc(ctx->arena, sizeof(Value) * w * (size_t)(n ? n : 1));
    for (int64_t i = 0; i < n; i++) {
        if (written[i] == 0)
            continue;
        memcpy(&out[(size_t)m * w],
               written[i] == 2 ? &cf.updated[(size_t)i * w] : &(*rows)[(size_t)i * w],
               sizeof(Value) * (size_t)rel->ncols);
        m++;
    }
    *rows = out;
    *count = m;
    return 0;
}
