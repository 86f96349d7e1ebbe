/*
 * sql/pg_catalog.c — a minimal, read-only pg_catalog for drivers: pg_namespace,
 * pg_class, pg_attribute, pg_type and pg_attrdef with the columns drivers
 * read, and pg_get_expr(). Enough for pgjdbc's ResultSetMetaData
 * (getColumnTypeName, isNullable, isAutoIncrement, getTableName, which it
 * answers by joining these five for the table OIDs RowDescription carries,
 * sql/describe.c) and for simple hand-written catalog queries.
 *
 * Pipeline position: bind_table_scan() (sql/bind_insert.c) asks
 * describe_catalog_scan() first; a catalog name becomes a Values plan node
 * whose rows are built from the catalog provider (sql/relation.h) and the
 * type registry (sql/catalog.h) when the statement is bound.
 *
 * Invariants:
 *   1. `pg_catalog.x` and unqualified `x` both name the catalog (pg_catalog
 *      comes first on PostgreSQL's search path, so it shadows a user table
 *      of the same name there too); any other schema is left alone.
 *   2. Rows are a snapshot taken at bind time: a prepared catalog query does
 *      not see later DDL (PostgreSQL's would).
 *   3. Column names and types are PostgreSQL 15's for the columns present;
 *      other columns are absent (42703 if named). A relation's OID is its
 *      stable id (as in RowDescription); the one namespace is public (2200).
 */
#include <stdio.h>
#include <string.h>

#include "sql/catalog.h"
#include "sql/describe.h"
#include "sql/relation.h"

#define OID_CHAR 18
#define NS_PUBLIC "2200"
#define NS_CATALOG "11"

typedef struct CatCol {
    const char *name;
    Oid type;
} CatCol;

typedef struct CatTable {
    const char *name;
    int ncols;
    CatCol cols[11];
} CatTable;

static const CatTable TABLES[] = {
    {"pg_namespace", 3, {{"oid", TYPE_OID}, {"nspname", TYPE_NAME}, {"nspowner", TYPE_OID}}},
    {"pg_class",
     6,
     {{"oid", TYPE_OID},
      {"relname", TYPE_NAME},
      {"relnamespace", TYPE_OID},
      {"relkind", OID_CHAR},
      {"relnatts", TYPE_INT2},
      {"relhaspkey", TYPE_BOOL}}},
    {"pg_attribute",
     11,
     {{"attrelid", TYPE_OID},
      {"attname", TYPE_NAME},
      {"atttypid", TYPE_OID},
      {"attlen", TYPE_INT2},
      {"attnum", TYPE_INT2},
      {"atttypmod", TYPE_INT4},
      {"attnotnull", TYPE_BOOL},
      {"atthasdef", TYPE_BOOL},
      {"attidentity", OID_CHAR},
      {"attisdropped", TYPE_BOOL},
      {"attgenerated", OID_CHAR}}},
    {"pg_type",
     9,
     {{"oid", TYPE_OID},
      {"typname", TYPE_NAME},
      {"typnamespace", TYPE_OID},
      {"typlen", TYPE_INT2},
      {"typbyval", TYPE_BOOL},
      {"typtype", OID_CHAR},
      {"typcategory", OID_CHAR},
      {"typnotnull", TYPE_BOOL},
      {"typbasetype", TYPE_OID}}},
    {"pg_attrdef",
     4,
     {{"oid", TYPE_OID}, {"adrelid", TYPE_OID}, {"adnum", TYPE_INT2}, {"adbin", TYPE_TEXT}}},
};

/* Rows under construction: n rows of t->ncols text values (NULL: SQL NULL). */
typedef struct Rows {
    const CatTable *t;
    int n, cap;
    const char **cells;
} Rows;

static void
add_row(Arena *a, Rows *r, const char *const *vals)
{
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 64;
        const char **cells = arena_alloc(a, sizeof(char *) * (size_t)cap * (size_t)r->t->ncols);

        if (r->n > 0)
            memcpy(cells, r->cells, sizeof(char *) * (size_t)r->n * (size_t)r->t->ncols);
        r->cells = cells;
        r->cap = cap;
    }
    memcpy(r->cells + (size_t)r->n * (size_t)r->t->ncols, vals,
           sizeof(char *) * (size_t)r->t->ncols);
    r->n++;
}

static Oid
column_type(Oid type)
{
    const TypeInfo *t = type_by_oid(type);

    return t != NULL && t->supported ? type : TYPE_TEXT; /* "char" missing: text */
}

static const char *
num(Arena *a, long long v)
{
    return arena_sprintf(a, "%lld", v);
}

/* Every relation the provider knows, with its columns (looked up one by one). */
static int
relations(BindCtx *b, SqlRelation ***out, int *n)
{
    static const SqlRelKind kinds[] = {SQL_REL_TABLE, SQL_REL_SOURCE, SQL_REL_MATVIEW};
    const SqlCatalogProvider *p = sql_catalog_provider();
    SqlRelation **rels = NULL;
    int cap = 0;

    *n = 0;
    *out = NULL;
    if (p == NULL || p->list == NULL)
        return 0; /* no engine: no relations */
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const char **names;
        int count;

        if (p->list(p->arg, kinds[k], b->arena, &names, &count, b->err) < 0)
            return -1;
        for (int i = 0; i < count; i++) {
            SqlRelation *rel;
            int rc = p->lookup(p->arg, names[i], b->arena, &rel, b->err);

            if (rc < 0)
                return -1;
            if (rc > 0)
                continue; /* dropped meanwhile */
            if (*n == cap) {
                SqlRelation **grown;

                cap = cap ? cap * 2 : 16;
                grown = arena_alloc(b->arena, sizeof *grown * (size_t)cap);
                if (*n > 0)
                    memcpy(grown, rels, sizeof *grown * (size_t)*n);
                rels = grown;
            }
            rels[(*n)++] = rel;
        }
    }
    *out = rels;
    return 0;
}

static int
fill(BindCtx *b, Rows *r)
{
    Arena *a = b->arena;
    const char *name = r->t->name;
    SqlRelation **rels;
    int nrels;

    if (strcmp(name, "pg_namespace") == 0) {
        const char *pub[] = {NS_PUBLIC, "public", "10"}, *cat[] = {NS_CATALOG, "pg_catalog", "10"};

        add_row(a, r, cat);
        add_row(a, r, pub);
        return 0;
    }
    if (strcmp(name, "pg_type") == 0) {
        /* the registry has no iterator; every built-in type's OID is below 5000 */
        for (Oid oid = 1; oid < 5000; oid++) {
            const TypeInfo *t = type_by_oid(oid);
            const char *row[9];

            if (t == NULL || t->oid != oid || !t->supported)
                continue;
            row[0] = num(a, t->oid);
            row[1] = t->name;
            row[2] = NS_CATALOG;
            row[3] = num(a, t->typlen);
            row[4] = t->byval ? "t" : "f";
            row[5] = t->category == 'P' || t->category == 'X' ? "p" : "b"; /* pseudo-types */
            row[6] = arena_sprintf(a, "%c", t->category);
            row[7] = "f";
            row[8] = "0";
            add_row(a, r, row);
        }
        return 0;
    }
    if (relations(b, &rels, &nrels) < 0)
        return -1;
    for (int i = 0; i < nrels; i++) {
        const SqlRelation *rel = rels[i];
        const char *oid = num(a, (long long)(Oid)rel->id);
        bool haspk = false;

        for (int c = 0; c < rel->ncols; c++) {
            const SqlRelColumn *col = &rel->cols[c];
            const TypeInfo *t = type_by_oid(col->type);

            haspk = haspk || col->pk_position > 0;
            if (strcmp(name, "pg_attribute") == 0) {
                const char *row[11] = {oid,
                                       col->name,
                                       num(a, col->type),
                                       num(a, t != NULL ? t->typlen : -1),
                                       num(a, c + 1),
                                       num(a, col->typmod),
                                       col->not_null || col->pk_position > 0 ? "t" : "f",
                                       col->default_expr != NULL ||
                                               col->generated_expr != NULL
                                           ? "t"
                                           : "f",
                                       "",
                                       "f",
                                       col->generated_expr != NULL ? "s" : ""};

                add_row(a, r, row);
            } else if (strcmp(name, "pg_attrdef") == 0 &&
                       (col->default_expr != NULL || col->generated_expr != NULL)) {
                /* a generated column's expression is its pg_attrdef row, as in PostgreSQL */
                const char *row[4] = {num(a, ((long long)(Oid)rel->id << 8) + c + 1), oid,
                                      num(a, c + 1),
                                      col->generated_expr != NULL ? col->generated_expr
                                                                  : col->default_expr};

                add_row(a, r, row);
            }
        }
        if (strcmp(name, "pg_class") == 0) {
            const char *row[6] = {oid,
                                  rel->name,
                                  NS_PUBLIC,
                                  rel->kind == SQL_REL_MATVIEW ? "m" : "r",
                                  num(a, rel->ncols),
                                  haspk ? "t" : "f"};

            add_row(a, r, row);
        }
    }
    return 0;
}

/* A constant of type (its input function over text), or a NULL constant. */
static Expr *
constant(BindCtx *b, Oid type, const char *text)
{
    const TypeInfo *t = type_by_oid(type);
    Expr *e = expr_new(b->arena, EXPR_CONST, type, -1);

    e->typmod = -1;
    e->u.konst.isnull = text == NULL;
    if (text != NULL && t->in(text, strlen(text), -1, b->io, b->arena, &e->u.konst.d, b->err) < 0)
        return NULL;
    return e;
}

int
describe_catalog_scan(BindCtx *b, const PgQuery__RangeVar *rv, PlanNode **out, const char ***names,
                      const char **relname)
{
    const CatTable *t = NULL;
    Rows r = {0};
    PlanNode *p;

    if (rv->schemaname != NULL && rv->schemaname[0] != '\0' &&
        strcmp(rv->schemaname, "pg_catalog") != 0)
        return 0;
    if (rv->catalogname != NULL && rv->catalogname[0] != '\0')
        return 0;
    for (size_t i = 0; i < sizeof TABLES / sizeof TABLES[0] && t == NULL; i++) {
        if (strcmp(rv->relname, TABLES[i].name) == 0)
            t = &TABLES[i];
    }
    if (t == NULL)
        return 0;
    r.t = t;
    if (fill(b, &r) < 0)
        return -1;
    p = plan_new(b->arena, PLAN_VALUES, NULL, t->ncols);
    *names = arena_alloc(b->arena, sizeof(char *) * (size_t)t->ncols);
    for (int c = 0; c < t->ncols; c++) {
        p->types[c] = column_type(t->cols[c].type);
        p->typmods[c] = -1;
        (*names)[c] = t->cols[c].name;
    }
    p->u.values.nrows = r.n;
    p->u.values.rows = arena_alloc(b->arena, sizeof(Expr **) * (size_t)(r.n ? r.n : 1));
    for (int i = 0; i < r.n; i++) {
        Expr **row = arena_alloc(b->arena, sizeof(Expr *) * (size_t)t->ncols);

        for (int c = 0; c < t->ncols; c++) {
            if ((row[c] = constant(b, p->types[c],
                                   r.cells[(size_t)i * (size_t)t->ncols + (size_t)c])) == NULL)
                return -1;
        }
        p->u.values.rows[i] = row;
    }
    *relname = rv->alias != NULL ? rv->alias->aliasname : t->name;
    *out = p;
    return 1;
}

/* ---- pg_get_expr(pg_node_tree, oid): a default's stored text is already its SQL --------- */

static int
fn_pg_get_expr(const FnCall *call, Datum *result, bool *isnull, Err *err)
{
    (void)err;
    *result = call->args[0];
    *isnull = false;
    return 0;
}

static const FuncDef FUNCS[] = {
    {"pg_get_expr", 2, {TYPE_TEXT, TYPE_OID}, TYPE_TEXT, FN_STRICT | FN_STABLE, fn_pg_get_expr},
    {"pg_get_expr",
     3,
     {TYPE_TEXT, TYPE_OID, TYPE_BOOL},
     TYPE_TEXT,
     FN_STRICT | FN_STABLE,
     fn_pg_get_expr},
};

const CatalogPart catalog_part_pg_catalog = {
    FUNCS, CATALOG_COUNT(FUNCS), NULL, 0, NULL, 0, NULL, 0,
};
