/*
 * sql/describe.c — DESCRIBE / SHOW COLUMNS, the server-wide checkpoint
 * interval (ALTER SYSTEM SET / SHOW checkpoint_interval) and result-column
 * origins for RowDescription. See sql/describe.h for the statements and the
 * invariants.
 *
 * Pipeline position: the binder (sql/binder.c) hands the statements here;
 * the portal runs them through sql/utility.c → describe_execute(). The
 * relation comes from the catalog provider (sql/relation.h), the interval
 * from its set_checkpoint_interval entry (stream/engine.c).
 *
 * DESCRIBE's rows follow RisingWave's: one per column, Is Hidden "false"
 * (Rivulet has no hidden columns), then "primary key | a, b" when there is
 * one and "table description | name" last; the special rows have NULL Is
 * Hidden and Description. RisingWave's "distribution key" row is left out:
 * a single-node Rivulet distributes nothing.
 */
#include "sql/describe.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sql/dialect.h"
#include "sql/guc.h"
#include "sql/relation.h"

#define INTERVAL_MIN_MS 10
#define INTERVAL_MAX_MS 3600000
#define INTERVAL_DEFAULT_MS 1000
#define SETTING "checkpoint_interval"

/* The interval the server started with, captured before the first ALTER SYSTEM changes it. */
static _Atomic unsigned startup_interval_ms;

/* ---- names ------------------------------------------------------------------------------ */

/*
 * One identifier of a name as written: "Quoted ""x""" keeps case, a bare word is folded to
 * lower case (ASCII, as PostgreSQL's scanner). *p advances past it; NULL if there is none.
 */
static char *
take_ident(Arena *a, const char **p)
{
    const char *s = *p;
    size_t len = strlen(s), n = 0;
    char *out = arena_alloc(a, len + 1);

    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    if (*s == '"') {
        for (s++; *s != '\0'; s++) {
            if (*s == '"' && s[1] == '"')
                out[n++] = *s++;
            else if (*s == '"')
                break;
            else
                out[n++] = *s;
        }
        if (*s != '"')
            return NULL;
        s++;
    } else {
        for (; *s != '\0' && *s != '.' && *s != ' ' && *s != '\t' && *s != '\n'; s++)
            out[n++] = (*s >= 'A' && *s <= 'Z') ? (char)(*s + ('a' - 'A')) : *s;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    out[n] = '\0';
    *p = s;
    return n > 0 ? out : NULL;
}

/* "a.b.c" as written → up to three parts (catalog, schema, name); the count, or -1. */
static int
split_name(Arena *a, const char *written, char **parts)
{
    const char *p = written;
    int n = 0;

    for (;;) {
        if (n == 3 || (parts[n] = take_ident(a, &p)) == NULL)
            return -1;
        n++;
        if (*p != '.')
            break;
        p++;
    }
    return *p == '\0' ? n : -1;
}

/* ---- DESCRIBE / SHOW COLUMNS ------------------------------------------------------------- */

static void
text_column(BindCtx *b, SqlColumn *col, const char *name)
{
    col->name = arena_strdup(b->arena, name);
    col->type_oid = TYPE_TEXT;
    col->typmod = -1;
    col->typlen = -1;
}

int
describe_bind(BindCtx *b, SqlStatement *st, const DialectStmt *d)
{
    static const char *const names[] = {"Name", "Type", "Is Hidden", "Description"};
    SystemStmt *sys = arena_calloc(b->arena, 1, sizeof *sys);
    char *parts[3] = {NULL, NULL, NULL};
    int n = split_name(b->arena, d->name, parts);
    const char *schema = n >= 2 ? parts[n - 2] : NULL;
    SqlRelation *rel;
    int rc;

    if (n < 0)
        return bind_error(b, d->name_pos, ERRCODE_SYNTAX_ERROR, "invalid name syntax");
    if (n == 3)
        return bind_error(b, d->name_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "cross-database references are not implemented: %s", d->name);
    rc = sql_relation_lookup(schema, parts[n - 1], b->arena, &rel, b->err);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return bind_error(b, d->name_pos, ERRCODE_UNDEFINED_TABLE,
                          "relation \"%s%s%s\" does not exist", schema ? schema : "",
                          schema ? "." : "", parts[n - 1]);
    sys->kind = d->kind == DIALECT_DESCRIBE ? SYSTEM_DESCRIBE : SYSTEM_SHOW_COLUMNS;
    sys->relname = parts[n - 1];
    st->kind = STMT_SYSTEM;
    st->tag = d->kind == DIALECT_DESCRIBE ? "DESCRIBE" : "SHOW";
    st->system = sys;
    st->ncols = 4;
    st->cols = arena_calloc(b->arena, 4, sizeof(SqlColumn));
    for (int i = 0; i < 4; i++)
        text_column(b, &st->cols[i], names[i]);
    return 0;
}

static void
put_row(Arena *a, Value *row, const char *name, const char *type, const char *hidden)
{
    row[0] = (Value){datum_from_cstr(a, name), false};
    row[1] = (Value){datum_from_cstr(a, type), false};
    row[2] = hidden != NULL ? (Value){datum_from_cstr(a, hidden), false} : (Value){0, true};
    row[3] = (Value){0, true}; /* Description: Rivulet has no COMMENT ON yet */
}

static int
exec_describe(const SystemStmt *sys, Arena *a, Value **rows, int *nrows, Err *err)
{
    SqlRelation *rel;
    int rc = sql_relation_lookup(NULL, sys->relname, a, &rel, err), n = 0, npk = 0;
    char buf[4096]; /* a STRUCT column's type is its whole definition */

    if (rc < 0)
        return -1;
    if (rc > 0)
        return ERR_RAISE(err, ERRCODE_UNDEFINED_TABLE, "relation \"%s\" does not exist",
                         sys->relname);
    *rows = arena_alloc(a, sizeof(Value) * 4 * (size_t)(rel->ncols + 2));
    for (int c = 0; c < rel->ncols; c++) {
        put_row(a, *rows + 4 * n++, rel->cols[c].name,
                type_format_typmod(rel->cols[c].type, rel->cols[c].typmod, buf, sizeof buf),
                "false");
        if (rel->cols[c].pk_position > 0)
            npk++;
    }
    if (sys->kind == SYSTEM_DESCRIBE && npk > 0) {
        const char **keys = arena_calloc(a, (size_t)npk, sizeof(char *));
        size_t len = 1;
        char *list;

        for (int c = 0; c < rel->ncols; c++) {
            int pos = rel->cols[c].pk_position;

            if (pos > 0 && pos <= npk) {
                keys[pos - 1] = rel->cols[c].name;
                len += strlen(rel->cols[c].name) + 2;
            }
        }
        list = arena_alloc(a, len);
        list[0] = '\0';
        for (int k = 0, at = 0; k < npk; k++) {
            if (keys[k] == NULL)
                continue;
            at += snprintf(list + at, len - (size_t)at, "%s%s", at > 0 ? ", " : "", keys[k]);
        }
        put_row(a, *rows + 4 * n++, "primary key", list, NULL);
    }
    if (sys->kind == SYSTEM_DESCRIBE)
        put_row(a, *rows + 4 * n++, "table description", rel->name, NULL);
    *nrows = n;
    return 0;
}

/* ---- the checkpoint interval ------------------------------------------------------------ */

/* RisingWave calls it barrier_interval_ms (ALTER SYSTEM SET barrier_interval_ms = 500). */
static bool
is_interval_name(const char *name)
{
    return name != NULL &&
           (strcasecmp(name, SETTING) == 0 || strcasecmp(name, "barrier_interval_ms") == 0);
}

/* PostgreSQL's SHOW of a time setting: the largest unit that divides the value. */
static const char *
format_interval(Arena *a, unsigned ms)
{
    static const struct {
        const char *unit;
        unsigned ms;
    } units[] = {{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}};

    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (ms != 0 && ms % units[i].ms == 0)
            return arena_sprintf(a, "%u%s", ms / units[i].ms, units[i].unit);
    }
    return arena_sprintf(a, "%ums", ms);
}

static unsigned
current_interval(void)
{
    const SqlCatalogProvider *p = sql_catalog_provider();

    if (p == NULL || p->set_checkpoint_interval == NULL)
        return INTERVAL_DEFAULT_MS;
    return p->set_checkpoint_interval(p->arg, 0);
}

int
describe_check_set(BindCtx *b, const char *name)
{
    if (!is_interval_name(name))
        return 0;
    bind_error(b, -1, ERRCODE_CANT_CHANGE_RUNTIME_PARAM, "parameter \"%s\" cannot be changed now",
               SETTING);
    err_hint(b->err, "It is a server-wide setting: use ALTER SYSTEM SET %s TO '100ms'.", SETTING);
    return -1;
}

int
describe_bind_show(BindCtx *b, SqlStatement *st, const char *name)
{
    bool params = name != NULL && strcasecmp(name, "parameters") == 0;
    SystemStmt *sys;

    if (!params && !is_interval_name(name))
        return 0;
    sys = arena_calloc(b->arena, 1, sizeof *sys);
    sys->kind = params ? SYSTEM_SHOW_PARAMETERS : SYSTEM_SHOW;
    st->kind = STMT_SYSTEM;
    st->tag = "SHOW";
    st->system = sys;
    st->ncols = params ? 3 : 1;
    st->cols = arena_calloc(b->arena, (size_t)st->ncols, sizeof(SqlColumn));
    if (!params) {
        sys->bare_ms = strcasecmp(name, SETTING) != 0;
        text_column(b, &st->cols[0], sys->bare_ms ? "barrier_interval_ms" : SETTING);
        return 1;
    }
    /* RisingWave's SHOW PARAMETERS: Name | Value | Mutable */
    text_column(b, &st->cols[0], "Name");
    text_column(b, &st->cols[1], "Value");
    text_column(b, &st->cols[2], "Mutable");
    st->cols[2].type_oid = TYPE_BOOL;
    st->cols[2].typlen = 1;
    return 1;
}

/* The ALTER SYSTEM value: one constant, parsed as a time setting in ms (invariant 2). */
static int
interval_value(BindCtx *b, const PgQuery__VariableSetStmt *vs, unsigned *ms)
{
    const Node *n = vs->n_args == 1 ? vs->args[0] : NULL;
    const PgQuery__AConst *c =
        n != NULL && n->node_case == PG_QUERY__NODE__NODE_A_CONST ? n->a_const : NULL;
    const char *text, *hint;
    char buf[32];
    int64_t v;

    if (vs->n_args > 1)
        return bind_error(b, -1, ERRCODE_INVALID_PARAMETER_VALUE, "SET %s takes only one argument",
                          SETTING);
    if (c == NULL || c->isnull)
        return bind_error(b, -1, ERRCODE_SYNTAX_ERROR, "unrecognized SET argument");
    switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        snprintf(buf, sizeof buf, "%d", c->ival != NULL ? c->ival->ival : 0);
        text = buf;
        break;
    case PG_QUERY__A__CONST__VAL_FVAL:
        text = c->fval->fval;
        break;
    case PG_QUERY__A__CONST__VAL_SVAL:
        text = c->sval->sval;
        break;
    default:
        return bind_error(b, -1, ERRCODE_INVALID_PARAMETER_VALUE,
                          "parameter \"%s\" requires a numeric value", SETTING);
    }
    if (guc_parse_ms(text, &v, &hint) < 0) {
        bind_error(b, -1, ERRCODE_INVALID_PARAMETER_VALUE,
                   "invalid value for parameter \"%s\": \"%s\"", SETTING, text);
        if (hint != NULL)
            err_hint(b->err, "%s", hint);
        return -1;
    }
    if (v < INTERVAL_MIN_MS || v > INTERVAL_MAX_MS)
        return bind_error(b, -1, ERRCODE_INVALID_PARAMETER_VALUE,
                          "%lld ms is outside the valid range for parameter \"%s\" (%d .. %d)",
                          (long long)v, SETTING, INTERVAL_MIN_MS, INTERVAL_MAX_MS);
    *ms = (unsigned)v;
    return 0;
}

int
describe_bind_alter_system(BindCtx *b, SqlStatement *st, const PgQuery__AlterSystemStmt *as)
{
    const PgQuery__VariableSetStmt *vs = as->setstmt;
    SystemStmt *sys = arena_calloc(b->arena, 1, sizeof *sys);

    if (vs == NULL)
        return bind_error(b, -1, ERRCODE_SYNTAX_ERROR, "syntax error in ALTER SYSTEM");
    if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "ALTER SYSTEM RESET ALL is not supported yet");
    if (!is_interval_name(vs->name)) {
        /* 0A000 even for names Rivulet does not know: PostgreSQL may know them */
        bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "ALTER SYSTEM %s %s is not supported",
                   vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET ? "RESET" : "SET", vs->name);
        err_hint(b->err, "ALTER SYSTEM changes only %s; use SET for session settings.", SETTING);
        return -1;
    }
    switch (vs->kind) {
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
        if (interval_value(b, vs, &sys->interval_ms) < 0)
            return -1;
        break;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
        sys->interval_ms = 0;
        break;
    default:
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "this form of ALTER SYSTEM is not supported");
    }
    sys->kind = SYSTEM_ALTER;
    st->kind = STMT_SYSTEM;
    st->tag = "ALTER SYSTEM";
    st->system = sys;
    st->ncols = 0;
    return 0;
}

static int
exec_alter(SqlSession *s, const SystemStmt *sys, Err *err)
{
    const SqlCatalogProvider *p = sql_catalog_provider();
    unsigned expected = 0, ms;

    if (session_in_block(s))
        return ERR_RAISE(err, ERRCODE_ACTIVE_SQL_TRANSACTION,
                         "ALTER SYSTEM cannot run inside a transaction block");
    if (p == NULL || p->set_checkpoint_interval == NULL)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                         "ALTER SYSTEM needs the storage engine, which is not running");
    /* the first ALTER SYSTEM remembers what RESET goes back to */
    atomic_compare_exchange_strong(&startup_interval_ms, &expected,
                                   p->set_checkpoint_interval(p->arg, 0));
    ms = sys->interval_ms != 0 ? sys->interval_ms : atomic_load(&startup_interval_ms);
    p->set_checkpoint_interval(p->arg, ms);
    return 0;
}

/* ---- running ------------------------------------------------------------------------------ */

int
describe_execute(SqlSession *s, const SqlStatement *st, Arena *a, Value **rows, int *nrows,
                 Err *err)
{
    const SystemStmt *sys = st->system;

    *rows = NULL;
    *nrows = 0;
    switch (sys->kind) {
    case SYSTEM_DESCRIBE:
    case SYSTEM_SHOW_COLUMNS:
        return exec_describe(sys, a, rows, nrows, err);
    case SYSTEM_SHOW:
        *rows = arena_alloc(a, sizeof(Value));
        (*rows)[0] =
            (Value){datum_from_cstr(a, sys->bare_ms ? arena_sprintf(a, "%u", current_interval())
                                                    : format_interval(a, current_interval())),
                    false};
        *nrows = 1;
        return 0;
    case SYSTEM_SHOW_PARAMETERS:
        *rows = arena_alloc(a, sizeof(Value) * 3);
        (*rows)[0] = (Value){datum_from_cstr(a, SETTING), false};
        (*rows)[1] = (Value){datum_from_cstr(a, format_interval(a, current_interval())), false};
        (*rows)[2] = (Value){datum_from_bool(true), false};
        *nrows = 1;
        return 0;
    case SYSTEM_ALTER:
        return exec_alter(s, sys, err);
    }
    return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "unknown system statement");
}

/* ---- result-column origins (RowDescription) --------------------------------------------- */

/* The column e reads, if e is a plain reference to an input column of the same type. */
static int
plain_column(const Expr *e, const PlanNode *input)
{
    if (e == NULL || e->kind != EXPR_COLUMN || input == NULL || e->u.column < 0 ||
        e->u.column >= input->ncols)
        return -1;
    if (e->type != input->types[e->u.column] || e->typmod != input->typmods[e->u.column])
        return -1;
    return e->u.column;
}

void
describe_column_origin(const PlanNode *plan, int col, Oid *table, int16_t *attnum)
{
    *table = 0;
    *attnum = 0;
    while (plan != NULL && col >= 0 && col < plan->ncols) {
        switch (plan->kind) {
        case PLAN_SCAN:
            if (col < INT16_MAX) {
                *table = (Oid)plan->u.scan.relid;
                *attnum = (int16_t)(col + 1);
            }
            return;
        case PLAN_FILTER:
        case PLAN_TEMPORAL_FILTER:
        case PLAN_SORT:
        case PLAN_LIMIT:
            plan = plan->input;
            break;
        case PLAN_PROJECT:
            col = plain_column(plan->u.exprs[col], plan->input);
            plan = plan->input;
            break;
        case PLAN_AGG:
            if (col >= plan->u.agg.nkeys)
                return;
            col = plain_column(plan->u.agg.keys[col], plan->input);
            plan = plan->input;
            break;
        case PLAN_MARKJOIN: /* the left row, then the mark */
        case PLAN_WINDOW:   /* the input row, then the window functions' values */
        case PLAN_HOP:      /* the input row, then window_start, window_end */
        case PLAN_SESSION:
            if (col >= plan->input->ncols)
                return;
            plan = plan->input;
            break;
        case PLAN_JOIN:
            if (col >= plan->input->ncols) {
                col -= plan->input->ncols;
                plan = plan->right;
            } else {
                plan = plan->input;
            }
            break;
        default: /* Values, Series, set operations (PostgreSQL gives 0 there too) */
            return;
        }
    }
}

void
describe_row_origin(const Expr *e, const SqlRelation *rel, Oid *table, int16_t *attnum)
{
    *table = 0;
    *attnum = 0;
    if (e != NULL && e->kind == EXPR_COLUMN && e->u.column >= 0 && e->u.column < rel->ncols &&
        e->u.column < INT16_MAX && e->type == rel->cols[e->u.column].type &&
        e->typmod == rel->cols[e->u.column].typmod) {
        *table = (Oid)rel->id;
        *attnum = (int16_t)(e->u.column + 1);
    }
}
