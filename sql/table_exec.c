/*
 * sql/table_exec.c — running CREATE TABLE, DROP TABLE and INSERT through the
 * catalog provider (sql/relation.h), and the provider's installation.
 *
 *   CREATE TABLE  provider->create (one catalog transaction + the log dir)
 *   DROP TABLE    look every name up, then provider->drop of all at once
 *   INSERT        run the plan (executor hook) → NOT NULL checks → encode
 *                 each row (sql/rowcodec.h behind a 4-byte record header)
 *                 → provider->append, which returns once the records are
 *                 fsynced; only then is `INSERT 0 n` reported (and RETURNING
 *                 evaluated over the inserted rows)
 *   SHOW TABLES / SOURCES  provider->list, filtered by LIKE
 *
 * Invariants:
 *   1. An INSERT is all or nothing: every row is checked and encoded before
 *      the first byte reaches the log, and the log makes one append atomic
 *      across crashes (storage/log.h, invariant 3).
 *   2. Statements run with autocommit semantics, even inside BEGIN ... :
 *      there is no transaction to roll back yet (docs/architecture.md).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/func_string.h"
#include "sql/rowcodec.h"
#include "sql/table.h"

static _Atomic(const SqlCatalogProvider *) provider;

void
sql_set_catalog_provider(const SqlCatalogProvider *p)
{
    atomic_store(&provider, p);
}

const SqlCatalogProvider *
sql_catalog_provider(void)
{
    return atomic_load(&provider);
}

int
sql_relation_lookup(const char *schema, const char *name, Arena *a, SqlRelation **out, Err *err)
{
    const SqlCatalogProvider *p = sql_catalog_provider();

    char sysname[128];
    int rc;

    *out = NULL;
    if (p == NULL)
        return 1;
    /* system views: rw_catalog.<name>, or an unqualified name public does not have */
    if (schema != NULL && strcmp(schema, "rw_catalog") == 0) {
        snprintf(sysname, sizeof sysname, "rw_catalog.%s", name);
        return p->lookup(p->arg, sysname, a, out, err);
    }
    if (schema != NULL && strcmp(schema, "public") != 0)
        return 1;
    if ((rc = p->lookup(p->arg, name, a, out, err)) != 1 || strlen(name) > 100)
        return rc;
    snprintf(sysname, sizeof sysname, "rw_catalog.%s", name);
    return p->lookup(p->arg, sysname, a, out, err);
}

static bool
same_column(const SqlRelColumn *a, const SqlRelColumn *b)
{
    return strcmp(a->name, b->name) == 0 && a->not_null == b->not_null &&
           (a->default_expr == NULL) == (b->default_expr == NULL) &&
           (a->default_expr == NULL || strcmp(a->default_expr, b->default_expr) == 0) &&
           (a->generated_expr == NULL) == (b->generated_expr == NULL) &&
           (a->generated_expr == NULL || strcmp(a->generated_expr, b->generated_expr) == 0);
}

int
sql_relation_rebind(const char *name, const Oid *types, const int32_t *typmods, int ncols,
                    const SqlRelation *full, uint64_t *id, Err *err)
{
    Arena *a = arena_create("rebind", 0);
    SqlRelation *rel;
    bool same;
    int rc = sql_relation_lookup(NULL, name, a, &rel, err);

    if (rc > 0)
        ERR_RAISE(err, ERRCODE_UNDEFINED_TABLE, "relation \"%s\" does not exist", name);
    if (rc != 0) {
        arena_destroy(a);
        return -1;
    }
    same = rel->ncols == ncols;
    for (int c = 0; same && c < ncols; c++)
        same = rel->cols[c].type == types[c] && rel->cols[c].typmod == typmods[c] &&
               (full == NULL || same_column(&rel->cols[c], &full->cols[c]));
    *id = rel->id;
    arena_destroy(a);
    if (!same)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                         "cached plan must not change result type");
    return 0;
}

static int
need_provider(const SqlCatalogProvider **p, Err *err)
{
    if ((*p = sql_catalog_provider()) == NULL)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                         "tables are not available: no storage engine is running");
    return 0;
}

/* ---- CREATE / DROP ----------------------------------------------------------------------- */

static int
exec_create(SqlSession *s, const TableStmt *t, int64_t *rows_created, Err *err)
{
    const SqlCatalogProvider *p;
    SqlRelation rel = *t->rel; /* the statement stays immutable: create() sets the id */
    int rc;

    rel.nrows = -1;
    if (need_provider(&p, err) < 0 || (rc = p->create(p->arg, &rel, t->definition, err)) < 0)
        return -1;
    if (rc == 0) {
        *rows_created = rel.nrows;
        return 0;
    }
    if (rel.kind == SQL_REL_MATVIEW)
        *rows_created = 0;
    if (!t->if_not_exists)
        return ERR_RAISE(err, ERRCODE_DUPLICATE_TABLE, "relation \"%s\" already exists", rel.name);
    session_notice(s, ERR_NOTICE, ERRCODE_DUPLICATE_TABLE, "relation \"%s\" already exists, skipping",
                   rel.name);
    return 0;
}

static const char *
kind_name(SqlRelKind k)
{
    return k == SQL_REL_SOURCE    ? "source"
           : k == SQL_REL_MATVIEW ? "materialized view"
           : k == SQL_REL_VIEW    ? "view"
                                  : "table";
}

static const char *
kind_drop(SqlRelKind k)
{
    return k == SQL_REL_SOURCE    ? "DROP SOURCE"
           : k == SQL_REL_MATVIEW ? "DROP MATERIALIZED VIEW"
           : k == SQL_REL_VIEW    ? "DROP VIEW"
                                  : "DROP TABLE";
}

static bool
has_id(const uint64_t *ids, int n, uint64_t id)
{
    for (int i = 0; i < n; i++) {
        if (ids[i] == id)
            return true;
    }
    return false;
}

/*
 * Adds the relations depending on ids[0..*n) to ids (CASCADE, with PostgreSQL's notices) or
 * fails with 2BP01 listing them (RESTRICT). names[i] is the name of ids[i] for the messages.
 */
static int
drop_dependents(SqlSession *s, const SqlCatalogProvider *p, const TableStmt *t, uint64_t **ids,
                SqlRelation ***rels, int *n, Arena *a, Err *err)
{
    int norig = *n, cap = *n, nextra = 0;
    Buf lines;

    if (p->dependents == NULL)
        return 0;
    buf_init(&lines, BUF_DEFAULT_MAX);
    for (int i = 0; i < norig; i++) {
        SqlRelation **deps;
        uint64_t *via;
        int nd;

        if (p->dependents(p->arg, (*ids)[i], a, &deps, &via, &nd, err) < 0) {
            buf_free(&lines);
            return -1;
        }
        for (int d = 0; d < nd; d++) {
            const char *vianame = NULL;
            SqlRelKind viakind = SQL_REL_TABLE;

            if (has_id(*ids, *n, deps[d]->id))
                continue;
            for (int k = 0; k < *n; k++) {
                if ((*ids)[k] == via[d]) {
                    vianame = (*rels)[k]->name;
                    viakind = (*rels)[k]->kind;
                }
            }
            if (*n == cap) {
                uint64_t *ni = arena_alloc(a, sizeof(uint64_t) * (size_t)(cap * 2 + 4));
                SqlRelation **nr = arena_alloc(a, sizeof(SqlRelation *) * (size_t)(cap * 2 + 4));

                memcpy(ni, *ids, sizeof(uint64_t) * (size_t)*n);
                memcpy(nr, *rels, sizeof(SqlRelation *) * (size_t)*n);
                *ids = ni;
                *rels = nr;
                cap = cap * 2 + 4;
            }
            (*ids)[*n] = deps[d]->id;
            (*rels)[(*n)++] = deps[d];
            if (lines.len > 0)
                buf_append(&lines, "\n", 1);
            if (t->cascade)
                buf_printf(&lines, "drop cascades to %s %s", kind_name(deps[d]->kind),
                           deps[d]->name);
            else
                buf_printf(&lines, "%s %s depends on %s %s", kind_name(deps[d]->kind),
                           deps[d]->name, kind_name(viakind), vianame ? vianame : "?");
            nextra++;
        }
    }
    buf_put_u8(&lines, 0);
    if (nextra > 0 && !t->cascade) {
        /* PostgreSQL names the first object the statement would drop */
        ERR_RAISE(err, ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST,
                  "cannot drop %s %s because other objects depend on it",
                  kind_name((*rels)[0]->kind), (*rels)[0]->name);
        err_detail(err, "%s", (const char *)lines.data);
        err_hint(err, "Use DROP ... CASCADE to drop the dependent objects too.");
        buf_free(&lines);
        return -1;
    }
    if (nextra == 1)
        session_notice(s, ERR_NOTICE, ERRCODE_SUCCESSFUL_COMPLETION, "%s",
                       (const char *)lines.data);
    else if (nextra > 1) {
        Err note;

        err_clear(&note);
        err_raise(&note, ERR_NOTICE, ERRCODE_SUCCESSFUL_COMPLETION,
                  "drop cascades to %d other objects", nextra);
        err_detail(&note, "%s", (const char *)lines.data);
        session_push_notice(s, &note);
    }
    buf_free(&lines);
    return 0;
}

/* Not found: an error, or with IF EXISTS a notice. Returns 0 to go on, -1 on error. */
static int
drop_missing(SqlSession *s, const TableStmt *t, int i, Err *err)
{
    const char *schema = t->schemas[i], *name = t->names[i];
    const char *what = kind_name(t->drop_kind);
    bool no_schema = schema != NULL && strcmp(schema, "public") != 0;

    if (!t->if_exists)
        return no_schema ? ERR_RAISE(err, ERRCODE_INVALID_SCHEMA_NAME,
                                     "schema \"%s\" does not exist", schema)
                         : ERR_RAISE(err, ERRCODE_UNDEFINED_TABLE, "%s \"%s%s%s\" does not exist",
                                     what, schema ? schema : "", schema ? "." : "", name);
    if (no_schema)
        session_notice(s, ERR_NOTICE, ERRCODE_SUCCESSFUL_COMPLETION,
                       "schema \"%s\" does not exist, skipping", schema);
    else
        session_notice(s, ERR_NOTICE, ERRCODE_SUCCESSFUL_COMPLETION,
                       "%s \"%s%s%s\" does not exist, skipping", what, schema ? schema : "",
                       schema ? "." : "", name);
    return 0;
}

static int
exec_drop(SqlSession *s, const TableStmt *t, Arena *a, Err *err)
{
    const SqlCatalogProvider *p;
    uint64_t *ids = arena_alloc(a, sizeof(uint64_t) * (size_t)(t->nnames ? t->nnames : 1));
    SqlRelation **rels = arena_alloc(a, sizeof(SqlRelation *) * (size_t)(t->nnames ? t->nnames : 1));
    int n = 0, rc;

    if (need_provider(&p, err) < 0)
        return -1;
    for (int i = 0; i < t->nnames; i++) {
        SqlRelation *rel;

        if ((rc = sql_relation_lookup(t->schemas[i], t->names[i], a, &rel, err)) < 0)
            return -1;
        if (rc > 0) {
            if (drop_missing(s, t, i, err) < 0)
                return -1;
            continue;
        }
        if (rel->kind == SQL_REL_SYSTEM)
            return ERR_RAISE(err, ERRCODE_INSUFFICIENT_PRIVILEGE,
                             "permission denied: \"%s\" is a system view", rel->name);
        if (rel->kind != t->drop_kind) {
            ERR_RAISE(err, ERRCODE_WRONG_OBJECT_TYPE, "\"%s\" is not a %s", rel->name,
                      kind_name(t->drop_kind));
            err_hint(err, "Use %s to remove a %s.", kind_drop(rel->kind), kind_name(rel->kind));
            return -1;
        }
        if (!has_id(ids, n, rel->id)) {
            rels[n] = rel;
            ids[n++] = rel->id;
        }
    }
    if (n == 0)
        return 0;
    if (drop_dependents(s, p, t, &ids, &rels, &n, a, err) < 0)
        return -1;
    if ((rc = p->drop(p->arg, ids, n, err)) < 0)
        return -1;
    if (rc > 0) /* dropped by another session since the lookup */
        return ERR_RAISE(err, ERRCODE_UNDEFINED_TABLE, "%s \"%s\" does not exist",
                         kind_name(t->drop_kind), t->names[0]);
    return 0;
}

/* ---- INSERT ------------------------------------------------------------------------------- */

/* "Failing row contains (...)": every value by its output function, each cut to 64 bytes. */
static void
failing_row(const SqlRelation *rel, const Value *row, const TypeIoCtx *io, Err *err)
{
    Buf b;

    buf_init(&b, ERR_DETAIL_MAX * 4);
    for (int c = 0; c < rel->ncols; c++) {
        const TypeInfo *t = type_by_oid(rel->cols[c].type);
        size_t start = b.len;

        if (c > 0)
            buf_append(&b, ", ", 2);
        start = b.len;
        if (row[c].isnull) {
            buf_append(&b, "null", 4);
            continue;
        }
        t->out(row[c].d, rel->cols[c].typmod, io, &b);
        if (!b.failed && b.len - start > 64) {
            size_t cut = start + 64;

            while (cut > start && (b.data[cut] & 0xC0) == 0x80)
                cut--; /* never split a UTF-8 character */
            b.len = cut;
        }
    }
    err_detail(err, "Failing row contains (%.*s).", b.failed ? 0 : (int)b.len,
               b.len > 0 && !b.failed ? (const char *)b.data : "");
    buf_free(&b);
}

int
table_check_not_null(const SqlRelation *rel, const Value *row, const TypeIoCtx *io, Err *err)
{
    for (int c = 0; c < rel->ncols; c++) {
        if (rel->cols[c].not_null && row[c].isnull) {
            ERR_RAISE(err, ERRCODE_NOT_NULL_VIOLATION,
                      "null value in column \"%s\" of relation \"%s\" violates not-null "
                      "constraint",
                      rel->cols[c].name, rel->name);
            failing_row(rel, row, io, err);
            return -1;
        }
    }
    return 0;
}

/* Encodes the rows into one buffer; offs[i] is where record i starts, offs[n] the end. */
static int
encode_rows(const SqlRelation *rel, const Oid *types, const Value *rows, int64_t n, Buf *out,
            size_t *offs, const TypeIoCtx *io, Err *err)
{
    static const uint8_t header[SQL_REC_HEADER] = {SQL_REC_INSERT, SQL_REC_VERSION, 0, 0};
    size_t w = (size_t)(rel->ncols ? rel->ncols : 1);

    for (int64_t r = 0; r < n; r++) {
        const Value *row = &rows[(size_t)r * w];

        if (table_check_not_null(rel, row, io, err) < 0)
            return -1;
        offs[r] = out->len;
        buf_append(out, header, sizeof header);
        if (rowcodec_encode(types, rel->ncols, row, out, err) < 0)
            return -1;
    }
    offs[n] = out->len;
    if (out->failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "INSERT is too large");
    return 0;
}

static int
exec_insert(const TableStmt *t, EvalCtx *ctx, Value **inserted, int64_t *count, Err *err)
{
    const SqlCatalogProvider *p;
    SqlExecutorFn run = sql_executor();
    const SqlRelation *rel = t->target;
    Oid *types = arena_alloc(ctx->arena, sizeof(Oid) * (size_t)(rel->ncols ? rel->ncols : 1));
    int32_t *typmods =
        arena_alloc(ctx->arena, sizeof(int32_t) * (size_t)(rel->ncols ? rel->ncols : 1));
    const uint8_t **recs;
    uint32_t *lens;
    size_t *offs;
    Value *rows;
    Buf buf;
    int rc;

    *count = 0;
    if (need_provider(&p, err) < 0)
        return -1;
    if (run == NULL)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "no query executor is installed");
    if (run(t->plan, ctx, ctx->arena, &rows, count, err) < 0)
        return -1;
    *inserted = rows;
    if (*count == 0)
        return 0;
    if (*count > INT32_MAX)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "too many rows in one INSERT");
    for (int c = 0; c < rel->ncols; c++) {
        types[c] = rel->cols[c].type;
        typmods[c] = rel->cols[c].typmod;
    }
    offs = arena_alloc(ctx->arena, sizeof(size_t) * (size_t)(*count + 1));
    recs = arena_alloc(ctx->arena, sizeof(uint8_t *) * (size_t)*count);
    lens = arena_alloc(ctx->arena, sizeof(uint32_t) * (size_t)*count);
    buf_init(&buf, BUF_DEFAULT_MAX);
    rc = encode_rows(rel, types, rows, *count, &buf, offs, ctx->io, err);
    if (rc == 0) {
        uint64_t id = t->relid;

        for (int64_t r = 0; r < *count; r++) {
            recs[r] = buf.data + offs[r];
            lens[r] = (uint32_t)(offs[r + 1] - offs[r]);
        }
        /* dropped and created again since the statement was bound: the same shape will do */
        while ((rc = t->on_conflict != 0 /* sql/bind_dml.c */
                         ? dml_append_conflict(t, ctx, id, recs, lens, inserted, count, err)
                         : p->append(p->arg, id, recs, lens, (int)*count, err)) > 0) {
            uint64_t old = id;

            if (sql_relation_rebind(rel->name, types, typmods, rel->ncols, rel, &id, err) < 0) {
                rc = -1;
                break;
            }
            if (id == old) { /* cannot happen: the lookup found what append did not */
                rc = ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "relation %s vanished", rel->name);
                break;
            }
        }
    }
    buf_free(&buf);
    return rc < 0 ? -1 : 0;
}

/* ---- SHOW TABLES / SOURCES ------------------------------------------------------------ */

static int
exec_show(const TableStmt *t, Arena *a, Value **rows, int *nrows, Err *err)
{
    const SqlCatalogProvider *p = sql_catalog_provider();
    const char **names = NULL;
    int n = 0;

    *rows = arena_alloc(a, sizeof(Value));
    *nrows = 0;
    if (p == NULL || (t->show_schema != NULL && strcmp(t->show_schema, "public") != 0))
        return 0; /* no other schema holds relations */
    if (p->list(p->arg, t->show_kind, a, &names, &n, err) < 0)
        return -1;
    *rows = arena_alloc(a, sizeof(Value) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        if (t->show_pattern != NULL) {
            int m = like_match(names[i], strlen(names[i]), t->show_pattern,
                               strlen(t->show_pattern), false, false, err);

            if (m < 0)
                return -1;
            if (m == 0)
                continue;
        }
        (*rows)[(*nrows)++] = (Value){datum_from_text(a, names[i], strlen(names[i])), false};
    }
    return 0;
}

/* RETURNING: its expressions over each inserted (and now durable) row. */
static int
eval_returning(const SqlStatement *st, EvalCtx *ctx, const Value *inserted, int64_t n,
               Value **rows, int *nrows, Err *err)
{
    const TableStmt *t = st->table;
    size_t w = (size_t)(t->target->ncols ? t->target->ncols : 1);

    if (n > INT32_MAX)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "too many result rows");
    *rows = arena_alloc(ctx->arena, sizeof(Value) * (size_t)t->nreturning * (size_t)(n ? n : 1));
    ctx->ncols = t->target->ncols;
    for (int64_t r = 0; r < n; r++) {
        Value *out = &(*rows)[(size_t)r * (size_t)t->nreturning];

        ctx->row = &inserted[(size_t)r * w];
        for (int c = 0; c < t->nreturning; c++) {
            if (expr_eval(t->returning[c], ctx, &out[c].d, &out[c].isnull, err) < 0)
                return -1;
        }
    }
    ctx->row = NULL;
    *nrows = (int)n;
    return 0;
}

int
table_execute(SqlSession *s, const SqlStatement *st, EvalCtx *ctx, Value **rows, int *nrows,
              const char **tag, Err *err)
{
    Value *inserted = NULL;
    int64_t n;

    *tag = st->tag;
    *rows = NULL;
    *nrows = 0;
    switch (st->kind) {
    case STMT_SHOW_RELATIONS:
        return exec_show(st->table, ctx->arena, rows, nrows, err);
    case STMT_FLUSH: {
        const SqlCatalogProvider *p = sql_catalog_provider();

        return p != NULL && p->flush != NULL ? p->flush(p->arg, err) : 0;
    }
    case STMT_CREATE_TABLE: {
        int64_t rows_created = -1;

        if (exec_create(s, st->table, &rows_created, err) < 0)
            return -1;
        /* CREATE MATERIALIZED VIEW reports its rows as PostgreSQL does: SELECT n */
        if (rows_created >= 0)
            *tag = arena_sprintf(ctx->arena, "SELECT %lld", (long long)rows_created);
        return 0;
    }
    case STMT_DROP_TABLE:
        return exec_drop(s, st->table, ctx->arena, err);
    case STMT_INSERT:
        if (st->table->dml != 0) { /* DELETE / UPDATE: sql/bind_dml.c */
            if (dml_execute(st->table, ctx, &inserted, &n, err) < 0)
                return -1;
            *tag = arena_sprintf(ctx->arena, "%s %lld", st->tag, (long long)n);
        } else if (exec_insert(st->table, ctx, &inserted, &n, err) < 0)
            return -1;
        else
            *tag = arena_sprintf(ctx->arena, "INSERT 0 %lld", (long long)n);
        return st->table->nreturning > 0 ? eval_returning(st, ctx, inserted, n, rows, nrows, err)
                                         : 0;
    default:
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "not a table statement");
    }
}
