/*
 * sql/bind_ddl.c — binding CREATE TABLE and DROP TABLE (PostgreSQL's
 * transformCreateStmt / MergeAttributes and RemoveRelations, for what
 * Rivulet stores): column names, types with typmods, NOT NULL / NULL and
 * DEFAULT. APPEND ONLY, CREATE SOURCE and DROP SOURCE come from the dialect
 * pre-pass (sql/dialect.h), which rewrites the latter two into CREATE/DROP
 * TABLE; a source is an append-only relation fed by INSERT (connectors and
 * watermarks are not built yet: 0A000 in binder.c).
 *
 * Pipeline position: binder.c dispatches here; the bound TableStmt is run
 * by sql/table_exec.c through the catalog provider (sql/relation.h).
 *
 * A column's DEFAULT is kept as the SQL text of its expression, cut out of
 * the statement on libpg_query's tokens (from the token after DEFAULT to
 * the next constraint of the column or the ',' / ')' ending the column),
 * and checked here by binding it and coercing it to the column's type, so a
 * bad default fails at CREATE with PostgreSQL's error and position. Generated
 * columns (GENERATED ALWAYS AS (expr) STORED, RisingWave's `name type AS expr`)
 * are read and checked by sql/generated.c, after every column is known.
 *
 * Invariants:
 *   1. Existence (42P07, 42P01 on DROP) is decided at execution, not here:
 *      a statement may be prepared long before it runs.
 *   2. Anything of CREATE TABLE not stored yet (UNIQUE, CHECK,
 *      REFERENCES, temporary and partitioned tables, INHERITS, LIKE, WITH
 *      options) fails with 0A000 rather than being ignored.
 *   3. PRIMARY KEY (column or table constraint, one per table) is stored as
 *      each key column's pk_position and implies NOT NULL, as in PostgreSQL;
 *      its columns must be of a type keys can hold (sql/keycodec.h). It is
 *      not allowed on APPEND ONLY tables and sources (0A000).
 */
#include <stdlib.h>
#include <string.h>

#include "sql/dialect.h"
#include "sql/generated.h"
#include "sql/keycodec.h"
#include "sql/proctime.h"
#include "sql/rowcodec.h"
#include "sql/table.h"

static int
unsupported(BindCtx *b, int location, const char *what)
{
    return bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED, "%s is not supported yet", what);
}

static int
unsupported_plural(BindCtx *b, int location, const char *what)
{
    return bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED, "%s are not supported yet",
                      what);
}

/* Only "public" exists: 3F000 for any other schema, at the name's position. */
static int
check_schema(BindCtx *b, const PgQuery__RangeVar *rv)
{
    if ((rv->catalogname != NULL && rv->catalogname[0] != '\0') ||
        (rv->schemaname != NULL && rv->schemaname[0] != '\0' &&
         strcmp(rv->schemaname, "public") != 0)) {
        if (rv->catalogname != NULL && rv->catalogname[0] != '\0')
            return unsupported_plural(b, rv->location, "cross-database references");
        return bind_error(b, rv->location, ERRCODE_INVALID_SCHEMA_NAME,
                          "schema \"%s\" does not exist", rv->schemaname);
    }
    return 0;
}

/* ---- DEFAULT: the expression's text ------------------------------------------------------ */

/* The byte offset where the column's next constraint after `after` starts (INT32_MAX: none). */
static int
next_constraint(const PgQuery__ColumnDef *cd, int after)
{
    int best = INT32_MAX;

    for (size_t i = 0; i < cd->n_constraints; i++) {
        const Node *n = cd->constraints[i];
        int loc = n->node_case == PG_QUERY__NODE__NODE_CONSTRAINT ? n->constraint->location : -1;

        if (loc > after && loc < best)
            best = loc;
    }
    if (cd->coll_clause != NULL && cd->coll_clause->location > after &&
        cd->coll_clause->location < best)
        best = cd->coll_clause->location;
    return best;
}

/* Cuts the text of a DEFAULT constraint's expression out of the statement. */
static const char *
default_text(BindCtx *b, const PgQuery__ColumnDef *cd, const PgQuery__Constraint *con)
{
    ParseToken *tok = NULL;
    int ntok = parse_scan(b->text, &tok), i = 0, depth = 0, first, last = -1;
    int bound = next_constraint(cd, con->location);
    const char *out = NULL;

    while (i < ntok && tok[i].start < con->location)
        i++;
    while (i < ntok && !parse_token_is_word(b->text, &tok[i], "default"))
        i++;
    first = ++i;
    for (; i < ntok && tok[i].start < bound; i++) {
        char c = tok[i].kind == PTOK_CHAR ? b->text[tok[i].start] : '\0';

        if (c == '(' || c == '[')
            depth++;
        else if ((c == ')' || c == ']') && depth-- == 0)
            break;
        else if ((c == ',' || c == ';') && depth == 0)
            break;
        last = i;
    }
    if (ntok > 0 && last >= first)
        out = arena_strndup(b->arena, b->text + tok[first].start,
                            (size_t)(tok[last].end - tok[first].start));
    free(tok);
    if (out == NULL)
        bind_error(b, con->location, ERRCODE_SYNTAX_ERROR, "cannot read the DEFAULT expression");
    return out;
}

/* Binds a default expression for a column of type/typmod (transformAssignedExpr's rules). */
static int
check_default(BindCtx *b, const SqlRelColumn *col, const Node *raw)
{
    Expr *e;

    if (raw->node_case == PG_QUERY__NODE__NODE_COLUMN_REF)
        return bind_error(b, raw->column_ref->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "cannot use column reference in DEFAULT expression");
    if ((e = bind_expr(b, raw)) == NULL)
        return -1;
    return bind_coerce_to_column(b, &e, col);
}

int
bind_coerce_to_column(BindCtx *b, Expr **e, const SqlRelColumn *col)
{
    Oid src = (*e)->type;
    int rc = bind_coerce(b, e, col->type, COERCION_ASSIGNMENT, (*e)->location);

    if (rc > 0) {
        /* PostgreSQL reports this one without a position (cookDefault) */
        bind_error(b, -1, ERRCODE_DATATYPE_MISMATCH,
                   "column \"%s\" is of type %s but default expression is of type %s", col->name,
                   type_sql_name(col->type), type_sql_name(src));
        err_hint(b->err, "You will need to rewrite or cast the expression.");
        return -1;
    }
    if (rc < 0)
        return -1;
    return bind_coerce_typmod(b, e, col->typmod, false, (*e)->location);
}

/* ---- CREATE TABLE ------------------------------------------------------------------------ */

/* The primary key's state while binding one CREATE TABLE. */
static int
pk_start(BindCtx *b, SqlRelation *rel, int location)
{
    for (int c = 0; c < rel->ncols + 1; c++) {
        if (rel->cols[c].pk_position > 0)
            return bind_error(b, location, ERRCODE_INVALID_TABLE_DEFINITION,
                              "multiple primary keys for table \"%s\" are not allowed",
                              rel->name);
    }
    if (rel->append_only)
        return bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "PRIMARY KEY is not supported on append-only tables and sources");
    return 0;
}

static int
pk_column(BindCtx *b, SqlRelColumn *col, int position, int location)
{
    if (!keycodec_type_supported(col->type))
        return bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "type %s is not supported in a PRIMARY KEY yet",
                          type_sql_name(col->type));
    col->pk_position = position;
    col->not_null = true;
    return 0;
}

/* A table constraint: PRIMARY KEY (a, b, ...) only. */
static int
bind_table_constraint(BindCtx *b, SqlRelation *rel, const PgQuery__Constraint *con)
{
    if (con->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
        return unsupported_plural(b, con->location, "table constraints other than PRIMARY KEY");
    if (con->n_including > 0 || con->n_options > 0 ||
        (con->indexspace != NULL && con->indexspace[0] != '\0'))
        return unsupported(b, con->location,
                           "PRIMARY KEY with INCLUDE, WITH or USING INDEX TABLESPACE");
    if (pk_start(b, rel, con->location) < 0)
        return -1;
    for (size_t k = 0; k < con->n_keys; k++) {
        const char *name = bind_node_str(con->keys[k]);
        int c = 0;

        while (c < rel->ncols && (name == NULL || strcmp(rel->cols[c].name, name) != 0))
            c++;
        if (c == rel->ncols)
            return bind_error(b, con->location, ERRCODE_UNDEFINED_COLUMN,
                              "column \"%s\" named in key does not exist", name ? name : "?");
        if (rel->cols[c].pk_position > 0)
            return bind_error(b, con->location, ERRCODE_DUPLICATE_COLUMN,
                              "column \"%s\" appears twice in primary key constraint", name);
        if (pk_column(b, &rel->cols[c], (int)k + 1, con->location) < 0)
            return -1;
    }
    return 0;
}

static int
bind_constraint(BindCtx *b, SqlRelation *rel, const PgQuery__ColumnDef *cd, SqlRelColumn *col,
                const Node *n)
{
    const char *relname = rel->name;
    const PgQuery__Constraint *con =
        n->node_case == PG_QUERY__NODE__NODE_CONSTRAINT ? n->constraint : NULL;

    if (con == NULL)
        return unsupported(b, cd->location, "this column constraint");
    switch (con->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
        col->not_null = false;
        return 0;
    case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
        col->not_null = true;
        return 0;
    case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
        if (col->generated_expr != NULL)
            return bind_error(b, con->location, ERRCODE_SYNTAX_ERROR,
                              "both default and generation expression specified for column "
                              "\"%s\" of table \"%s\"",
                              col->name, relname);
        if (col->default_expr != NULL)
            return bind_error(b, con->location, ERRCODE_SYNTAX_ERROR,
                              "multiple default values specified for column \"%s\" of table "
                              "\"%s\"",
                              col->name, relname);
        if (con->raw_expr == NULL || check_default(b, col, con->raw_expr) < 0 ||
            (col->default_expr = default_text(b, cd, con)) == NULL)
            return -1;
        return 0;
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
        if (con->n_options > 0 || (con->indexspace != NULL && con->indexspace[0] != '\0'))
            return unsupported(b, con->location, "PRIMARY KEY with WITH or USING INDEX TABLESPACE");
        if (pk_start(b, rel, con->location) < 0)
            return -1;
        return pk_column(b, col, 1, con->location);
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
        return unsupported(b, con->location, "UNIQUE");
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
        return unsupported(b, con->location, "CHECK");
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
        return unsupported(b, con->location, "REFERENCES");
    case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED: /* sql/generated.c */
        return generated_bind_constraint(b, rel, cd, col, con);
    case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
        return unsupported(b, con->location, "an identity column");
    default:
        return unsupported(b, con->location, "this column constraint");
    }
}

static int
bind_column(BindCtx *b, SqlRelation *rel, const PgQuery__ColumnDef *cd, SqlRelColumn *col)
{
    const TypeInfo *t;

    col->name = arena_strdup(b->arena, cd->colname);
    col->typmod = -1;
    if (cd->type_name == NULL)
        return unsupported(b, cd->location, "a column without a type");
    if (bind_type_name(b, cd->type_name, &col->type, &col->typmod) < 0)
        return -1;
    t = type_by_oid(col->type);
    if (t == NULL || !t->supported || (t->category == TYPCAT_PSEUDO && col->type != TYPE_RECORD))
        return bind_error(b, cd->type_name->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "type %s is not supported yet", type_sql_name(col->type));
    if (cd->coll_clause != NULL)
        return unsupported(b, cd->coll_clause->location, "COLLATE");
    col->not_null = cd->is_not_null;
    for (size_t i = 0; i < cd->n_constraints; i++) {
        if (bind_constraint(b, rel, cd, col, cd->constraints[i]) < 0)
            return -1;
    }
    if (proctime_bind_column(b, rel, cd, col) < 0) /* `AS PROCTIME()`: sql/proctime.c */
        return -1;
    return generated_bind_column(b, rel, cd, col); /* `AS expr`: sql/generated.c */
}

static int
check_create_clauses(BindCtx *b, const PgQuery__CreateStmt *cs)
{
    const PgQuery__RangeVar *rv = cs->relation;

    if (rv->relpersistence != NULL && rv->relpersistence[0] == 't')
        return unsupported_plural(b, rv->location, "temporary tables");
    if (rv->relpersistence != NULL && rv->relpersistence[0] == 'u')
        return unsupported_plural(b, rv->location, "unlogged tables");
    if (cs->n_inh_relations > 0)
        return unsupported(b, rv->location, "INHERITS");
    if (cs->partspec != NULL || cs->partbound != NULL)
        return unsupported_plural(b, rv->location, "partitioned tables");
    if (cs->of_typename != NULL)
        return unsupported_plural(b, rv->location, "typed tables");
    if (cs->n_constraints > 0)
        return unsupported_plural(b, rv->location, "table constraints");
    if (cs->n_options > 0)
        return unsupported_plural(b, rv->location, "WITH options on tables");
    if (cs->tablespacename != NULL && cs->tablespacename[0] != '\0')
        return unsupported(b, rv->location, "TABLESPACE");
    return check_schema(b, rv);
}

int
bind_create_table(BindCtx *b, SqlStatement *st, const PgQuery__CreateStmt *cs,
                  BindCreateKind kind)
{
    TableStmt *t = arena_calloc(b->arena, 1, sizeof *t);
    SqlRelation *rel = arena_calloc(b->arena, 1, sizeof *rel);
    int n = (int)cs->n_table_elts;

    st->kind = STMT_CREATE_TABLE;
    st->tag = kind == BIND_CREATE_SOURCE ? "CREATE SOURCE" : "CREATE TABLE";
    st->table = t;
    if (check_create_clauses(b, cs) < 0)
        return -1;
    if (n > ROWCODEC_MAX_COLS)
        return bind_error(b, -1, ERRCODE_TOO_MANY_COLUMNS, "tables can have at most %d columns",
                          ROWCODEC_MAX_COLS);
    rel->name = arena_strdup(b->arena, cs->relation->relname);
    rel->kind = kind == BIND_CREATE_SOURCE ? SQL_REL_SOURCE : SQL_REL_TABLE;
    rel->append_only = kind != BIND_CREATE_TABLE; /* a source is an append-only stream */
    rel->cols = arena_calloc(b->arena, (size_t)n + 1, sizeof(SqlRelColumn));
    for (int i = 0; i < n; i++) { /* columns first: a table constraint may name a later one */
        const Node *e = cs->table_elts[i];

        if (e->node_case == PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE)
            return unsupported(b, cs->relation->location, "LIKE");
        if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
            continue;
        if (e->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
            return unsupported(b, cs->relation->location, "this table element");
        for (int j = 0; j < rel->ncols; j++) {
            if (strcmp(rel->cols[j].name, e->column_def->colname) == 0)
                return bind_error(b, -1, ERRCODE_DUPLICATE_COLUMN,
                                  "column \"%s\" specified more than once",
                                  e->column_def->colname);
        }
        if (bind_column(b, rel, e->column_def, &rel->cols[rel->ncols]) < 0)
            return -1;
        rel->ncols++;
    }
    for (int i = 0; i < n; i++) {
        const Node *e = cs->table_elts[i];

        if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
            bind_table_constraint(b, rel, e->constraint) < 0)
            return -1;
    }
    if (generated_check_create(b, rel, cs) < 0) /* every column known: sql/generated.c */
        return -1;
    for (int c = 0; c < rel->ncols; c++)
        rel->cols[c].not_null |= rel->cols[c].pk_position > 0; /* even after a later NULL */
    t->rel = rel;
    t->if_not_exists = cs->if_not_exists;
    t->definition = st->text;
    return 0;
}

/* ---- DROP TABLE -------------------------------------------------------------------------- */

int
bind_drop(BindCtx *b, SqlStatement *st, const PgQuery__DropStmt *ds, SqlRelKind kind)
{
    TableStmt *t = arena_calloc(b->arena, 1, sizeof *t);

    st->kind = STMT_DROP_TABLE;
    st->tag = kind == SQL_REL_SOURCE    ? "DROP SOURCE"
              : kind == SQL_REL_MATVIEW ? "DROP MATERIALIZED VIEW"
              : kind == SQL_REL_VIEW    ? "DROP VIEW"
                                        : "DROP TABLE";
    st->table = t;
    t->drop_kind = kind;
    t->cascade = ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
    if (ds->concurrent)
        return unsupported(b, -1, "DROP ... CONCURRENTLY");
    t->if_exists = ds->missing_ok;
    t->names = arena_calloc(b->arena, ds->n_objects + 1, sizeof(char *));
    t->schemas = arena_calloc(b->arena, ds->n_objects + 1, sizeof(char *));
    for (size_t i = 0; i < ds->n_objects; i++) {
        const Node *o = ds->objects[i];
        const PgQuery__List *l = o->node_case == PG_QUERY__NODE__NODE_LIST ? o->list : NULL;
        const char *schema = NULL, *name;

        if (l == NULL || l->n_items == 0 || l->n_items > 2)
            return unsupported(b, -1, "this DROP TABLE name");
        if (l->n_items == 2)
            schema = bind_node_str(l->items[0]);
        name = bind_node_str(l->items[l->n_items - 1]);
        if (name == NULL)
            return unsupported(b, -1, "this DROP TABLE name");
        t->schemas[t->nnames] = schema != NULL ? arena_strdup(b->arena, schema) : NULL;
        t->names[t->nnames++] = arena_strdup(b->arena, name);
    }
    return 0;
}

/* ---- SHOW TABLES / SHOW SOURCES ------------------------------------------------------------ */

int
bind_show_relations(BindCtx *b, SqlStatement *st, const DialectStmt *d)
{
    TableStmt *t = arena_calloc(b->arena, 1, sizeof *t);

    st->kind = STMT_SHOW_RELATIONS;
    st->tag = "SHOW";
    st->table = t;
    t->show_kind = d->kind == DIALECT_SHOW_SOURCES  ? SQL_REL_SOURCE
                   : d->kind == DIALECT_SHOW_MVIEWS ? SQL_REL_MATVIEW
                                                    : SQL_REL_TABLE;
    t->show_schema = d->schema != NULL ? arena_strdup(b->arena, d->schema) : NULL;
    t->show_pattern = d->pattern != NULL ? arena_strdup(b->arena, d->pattern) : NULL;
    st->ncols = 1;
    st->cols = arena_calloc(b->arena, 1, sizeof(SqlColumn));
    st->cols[0] = (SqlColumn){"Name", TYPE_TEXT, -1, -1, 0, 0};
    return 0;
}
