/*
 * sql/bind_connector.c — the streaming clauses of CREATE SOURCE / CREATE
 * TABLE that the dialect pre-pass recognises (sql/dialect.h): WITH
 * (connector options), FORMAT ... ENCODE, WATERMARK FOR, and EMIT ON WINDOW
 * CLOSE. They are checked as RisingWave checks them — a missing or unknown
 * connector, an option the connector does not have, a datagen field naming
 * no column, a bad nexmark table type — each with a precise error at its
 * position. A valid CREATE SOURCE with connector 'datagen' or 'nexmark'
 * binds like a plain CREATE SOURCE (sql/bind_ddl.c) after its columns are
 * checked against the generator (datagen: a type it can fill; nexmark: the
 * table type's schema, sql/connector.h, or without a table type the combined
 * form: event_type and STRUCT columns person / auction / bid whose fields are
 * those tables' columns); the engine starts the generator
 * from the stored statement (stream/engine_gen.c). Everything else still
 * gets a 0A000 saying what is not built yet (issue 6).
 *
 * Invariants:
 *   1. Only a CREATE SOURCE with a generator connector and no FORMAT, or a
 *      CREATE SOURCE / TABLE ... APPEND ONLY whose only clauses are WATERMARK
 *      FOR and its options (checked by sql/watermark.c), creates anything;
 *      every other path raises an error.
 *   2. Errors carry the byte position of the clause, key, value or column
 *      they are about (the pre-pass keeps positions of the original text).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/connector.h"
#include "sql/dialect.h"
#include "sql/proctime.h"
#include "sql/table.h"
#include "sql/types_struct.h"
#include "sql/watermark.h"

static const char *const datagen_field_opts[] = {"kind", "start", "end", "min", "max",
                                                 "length", "seed", "max_past", "max_past_mode",
                                                 "basetime", NULL};

static const char *const nexmark_opts[] = {
    "nexmark.table.type",          "nexmark.event.num",          "nexmark.split.num",
    "nexmark.min.event.gap.in.ns", "nexmark.max.chunk.size",     "nexmark.use.real.time",
    "nexmark.base.time",           "nexmark.event.rate",         "nexmark.seed",
    "nexmark.first.event.rate",    "nexmark.next.event.rate",    "nexmark.bid.proportion",
    "nexmark.auction.proportion",  "nexmark.person.proportion", NULL};

/* ---- facts shared with the generators (sql/connector.h) ---- */

typedef struct NexmarkCol {
    const char *name;
    Oid type;
} NexmarkCol;

static const NexmarkCol nexmark_person[] = {
    {"id", TYPE_INT8},         {"name", TYPE_VARCHAR}, {"email_address", TYPE_VARCHAR},
    {"credit_card", TYPE_VARCHAR}, {"city", TYPE_VARCHAR}, {"state", TYPE_VARCHAR},
    {"date_time", TYPE_TIMESTAMP}, {"extra", TYPE_VARCHAR}, {NULL, 0}};
static const NexmarkCol nexmark_auction[] = {
    {"id", TYPE_INT8},           {"item_name", TYPE_VARCHAR},   {"description", TYPE_VARCHAR},
    {"initial_bid", TYPE_INT8},  {"reserve", TYPE_INT8},        {"date_time", TYPE_TIMESTAMP},
    {"expires", TYPE_TIMESTAMP}, {"seller", TYPE_INT8},         {"category", TYPE_INT8},
    {"extra", TYPE_VARCHAR},     {NULL, 0}};
static const NexmarkCol nexmark_bid[] = {
    {"auction", TYPE_INT8},    {"bidder", TYPE_INT8},         {"price", TYPE_INT8},
    {"channel", TYPE_VARCHAR}, {"url", TYPE_VARCHAR},         {"date_time", TYPE_TIMESTAMP},
    {"extra", TYPE_VARCHAR},   {NULL, 0}};

static const NexmarkCol *
nexmark_schema(int t)
{
    return t == CONNECTOR_NEXMARK_PERSON    ? nexmark_person
           : t == CONNECTOR_NEXMARK_AUCTION ? nexmark_auction
                                            : nexmark_bid;
}

const char *
connector_nexmark_column(int t, int i, Oid *type)
{
    const NexmarkCol *c = nexmark_schema(t);

    for (int k = 0; k < i; k++) {
        if (c[k].name == NULL)
            return NULL;
    }
    if (type != NULL)
        *type = c[i].type;
    return c[i].name;
}

const char *
connector_nexmark_type_name(int t)
{
    return t == CONNECTOR_NEXMARK_PERSON    ? "person"
           : t == CONNECTOR_NEXMARK_AUCTION ? "auction"
                                            : "bid";
}

int
connector_nexmark_field(int t, const char *name)
{
    const NexmarkCol *c = nexmark_schema(t);

    for (int i = 0; c[i].name != NULL; i++) {
        if (strcmp(c[i].name, name) == 0)
            return i;
    }
    return -1;
}

int
connector_nexmark_combined_column(const char *name)
{
    if (strcmp(name, "event_type") == 0)
        return CONNECTOR_NEXMARK_EVENT_TYPE;
    for (int t = CONNECTOR_NEXMARK_PERSON; t <= CONNECTOR_NEXMARK_BID; t++) {
        if (strcmp(name, connector_nexmark_type_name(t)) == 0)
            return t;
    }
    return -1;
}

bool
connector_nexmark_type_ok(Oid want, Oid type, int32_t typmod)
{
    if (want == TYPE_VARCHAR)
        return (type == TYPE_VARCHAR && typmod < 0) || type == TYPE_TEXT;
    if (want == TYPE_TIMESTAMP) /* the times are whole milliseconds: no rounding to fewer digits */
        return type == want && (typmod < 0 || typmod >= 3);
    return type == want;
}

bool
connector_datagen_type_ok(Oid type, bool sequence)
{
    switch (type) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
    case TYPE_NUMERIC:
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
        return true;
    case TYPE_VARCHAR:
    case TYPE_TEXT:
    case TYPE_BOOL:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_DATE:
        return !sequence;
    default:
        return false;
    }
}

static bool
in_list(const char *const *list, const char *s)
{
    for (int i = 0; list[i] != NULL; i++) {
        if (strcmp(list[i], s) == 0)
            return true;
    }
    return false;
}

static bool
has_column(const PgQuery__CreateStmt *cs, const char *name)
{
    for (size_t i = 0; cs != NULL && i < cs->n_table_elts; i++) {
        const Node *e = cs->table_elts[i];

        if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
            strcmp(e->column_def->colname, name) == 0)
            return true;
    }
    return false;
}

/* fields.<column>.<option> of datagen; datagen.rows.per.second, datagen.split.num. */
static int
check_datagen(BindCtx *b, const DialectOption *o, const PgQuery__CreateStmt *cs)
{
    const char *key = o->key;

    if (strcmp(key, "datagen.rows.per.second") == 0 || strcmp(key, "datagen.split.num") == 0 ||
        strcmp(key, "datagen.rows.total") == 0) {
        char *end;
        long long v = o->value != NULL ? strtoll(o->value, &end, 10) : 0;
        /* Rivulet: rows.per.second = 0 generates as fast as the log takes the rows */
        long long min = strcmp(key, "datagen.split.num") == 0 ? 1 : 0;

        if (o->value == NULL || *end != '\0' || v < min)
            return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "option \"%s\" must be a %s integer", key,
                              min == 1 ? "positive" : "non-negative");
        return 0;
    }
    if (strncmp(key, "fields.", 7) == 0) {
        const char *col = key + 7, *dot = strrchr(col, '.');
        char name[256];

        if (dot == NULL || dot == col || (size_t)(dot - col) >= sizeof name)
            return bind_error(b, o->key_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "option \"%s\" must be fields.<column>.<option>", key);
        memcpy(name, col, (size_t)(dot - col));
        name[dot - col] = '\0';
        if (!has_column(cs, name))
            return bind_error(b, o->key_pos, ERRCODE_UNDEFINED_COLUMN,
                              "option \"%s\" names column \"%s\", which the source does not have",
                              key, name);
        if (!in_list(datagen_field_opts, dot + 1))
            return bind_error(b, o->key_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "unknown datagen field option \"%s\"", dot + 1);
        if (strcmp(dot + 1, "kind") == 0 &&
            (o->value == NULL ||
             (strcmp(o->value, "sequence") != 0 && strcmp(o->value, "random") != 0)))
            return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "datagen field kind must be 'sequence' or 'random'");
        return 0;
    }
    return bind_error(b, o->key_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                      "unknown option \"%s\" for connector \"datagen\"", key);
}

/* The values stream/gen_nexmark.c accepts (it parses them again when the generator starts). */
static int
check_nexmark_value(BindCtx *b, const DialectOption *o)
{
    const char *k = o->key, *v = o->value != NULL ? o->value : "";
    static const char *const positive[] = {"nexmark.event.rate", "nexmark.first.event.rate",
                                           "nexmark.next.event.rate", "nexmark.split.num",
                                           "nexmark.max.chunk.size", NULL};
    static const char *const non_negative[] = {"nexmark.event.num", "nexmark.seed",
                                               "nexmark.base.time",
                                               "nexmark.min.event.gap.in.ns", NULL};

    if (in_list(positive, k) || in_list(non_negative, k)) {
        bool pos = in_list(positive, k);
        char *end;
        unsigned long long x;

        errno = 0;
        x = strtoull(v, &end, 10);
        if (*v < '0' || *v > '9' || *end != '\0' || errno != 0 || (pos && x == 0))
            return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "option \"%s\" must be a %s integer", k,
                              pos ? "positive" : "non-negative");
        return 0;
    }
    if (strcmp(k, "nexmark.use.real.time") == 0) {
        if (strcasecmp(v, "false") == 0)
            return 0;
        if (strcasecmp(v, "true") == 0)
            return bind_error(b, o->value_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "nexmark.use.real.time = true is not supported");
        return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                          "option \"%s\" must be true or false", k);
    }
    if (strncmp(k, "nexmark.", 8) == 0 && strstr(k, ".proportion") != NULL &&
        strcmp(v, k[8] == 'b' ? "46" : k[8] == 'a' ? "3" : "1") != 0)
        return bind_error(b, o->value_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "option \"%s\" other than the default 1:3:46 mix is not supported", k);
    return 0;
}

static int
check_nexmark(BindCtx *b, const DialectOption *o)
{
    if (!in_list(nexmark_opts, o->key))
        return bind_error(b, o->key_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                          "unknown option \"%s\" for connector \"nexmark\"", o->key);
    if (strcmp(o->key, "nexmark.table.type") == 0 &&
        (o->value == NULL ||
         (strcasecmp(o->value, "person") != 0 && strcasecmp(o->value, "auction") != 0 &&
          strcasecmp(o->value, "bid") != 0)))
        return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                          "nexmark.table.type must be 'person', 'auction' or 'bid'");
    return check_nexmark_value(b, o);
}

/* ---- a generator source: its columns against the connector ---- */

static const PgQuery__ColumnDef *
column_def(const PgQuery__CreateStmt *cs, const char *name)
{
    for (size_t i = 0; i < cs->n_table_elts; i++) {
        const Node *e = cs->table_elts[i];

        if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
            strcmp(e->column_def->colname, name) == 0)
            return e->column_def;
    }
    return NULL;
}

static int
column_pos(const PgQuery__CreateStmt *cs, const char *name)
{
    const PgQuery__ColumnDef *cd = column_def(cs, name);

    return cd != NULL ? cd->location : -1;
}

/* "The <table> columns are: a, b, ...": the hint of an unknown column or field. */
static void
hint_table_columns(BindCtx *b, int t)
{
    Buf names;

    buf_init(&names, 1024);
    for (int k = 0; connector_nexmark_column(t, k, NULL) != NULL; k++)
        buf_printf(&names, "%s%s", k > 0 ? ", " : "", connector_nexmark_column(t, k, NULL));
    buf_put_u8(&names, 0);
    err_hint(b->err, "The %s columns are: %s.", connector_nexmark_type_name(t),
             (const char *)names.data);
    buf_free(&names);
}

static int
check_nexmark_columns(BindCtx *b, const PgQuery__CreateStmt *cs, const SqlRelation *rel,
                      int t)
{
    const char *tn = connector_nexmark_type_name(t);

    for (int i = 0; i < rel->ncols; i++) {
        const SqlRelColumn *c = &rel->cols[i];
        int f = connector_nexmark_field(t, c->name);
        Oid want;

        if (proctime_is_column(c) || c->generated_expr != NULL) /* stream/engine_gen.c */
            continue;
        if (f < 0) {
            bind_error(b, column_pos(cs, c->name), ERRCODE_INVALID_PARAMETER_VALUE,
                       "column \"%s\" is not a column of nexmark table type %s", c->name, tn);
            hint_table_columns(b, t);
            return -1;
        }
        connector_nexmark_column(t, f, &want);
        /* RisingWave's VARCHAR is unbounded: text or varchar without a length */
        if (!connector_nexmark_type_ok(want, c->type, c->typmod))
            return bind_error(b, column_pos(cs, c->name), ERRCODE_DATATYPE_MISMATCH,
                              "column \"%s\" of a nexmark %s source must be of type %s", c->name,
                              tn, type_sql_name(want));
    }
    return 0;
}

/* One STRUCT column of the combined form: its fields are table t's columns. */
static int
check_combined_struct(BindCtx *b, const PgQuery__CreateStmt *cs, const SqlRelColumn *c, int t)
{
    const char *tn = connector_nexmark_type_name(t);
    const StructType *st = c->type == TYPE_RECORD ? struct_type_lookup(c->typmod) : NULL;

    if (st == NULL) {
        bind_error(b, column_pos(cs, c->name), ERRCODE_DATATYPE_MISMATCH,
                   "column \"%s\" of a nexmark source must be a STRUCT of %s columns", c->name,
                   tn);
        hint_table_columns(b, t);
        return -1;
    }
    for (int i = 0; i < st->nfields; i++) {
        const StructField *sf = &st->fields[i];
        int f = connector_nexmark_field(t, sf->name);
        Oid want;

        if (f < 0) {
            bind_error(b, column_pos(cs, c->name), ERRCODE_INVALID_PARAMETER_VALUE,
                       "field \"%s\" of column \"%s\" is not a column of nexmark table type %s",
                       sf->name, c->name, tn);
            hint_table_columns(b, t);
            return -1;
        }
        connector_nexmark_column(t, f, &want);
        if (!connector_nexmark_type_ok(want, sf->type, sf->typmod))
            return bind_error(b, column_pos(cs, c->name), ERRCODE_DATATYPE_MISMATCH,
                              "field \"%s\" of column \"%s\" of a nexmark source must be of "
                              "type %s",
                              sf->name, c->name, type_sql_name(want));
    }
    return 0;
}

/*
 * A nexmark source without nexmark.table.type: RisingWave's combined form. Columns:
 * event_type (an integer type), person / auction / bid (STRUCTs of that table's columns, any
 * order, any subset), and any generated or AS PROCTIME() columns.
 */
static int
check_nexmark_combined_columns(BindCtx *b, const PgQuery__CreateStmt *cs,
                               const SqlRelation *rel)
{
    for (int i = 0; i < rel->ncols; i++) {
        const SqlRelColumn *c = &rel->cols[i];
        int t = connector_nexmark_combined_column(c->name);

        if (proctime_is_column(c) || c->generated_expr != NULL)
            continue; /* the clock (stream/engine_gen.c), the expression (sql/generated.h) */
        if (t < 0) {
            bind_error(b, column_pos(cs, c->name), ERRCODE_INVALID_PARAMETER_VALUE,
                       "column \"%s\" is not a column of the combined nexmark source", c->name);
            err_detail(b->err, "Without nexmark.table.type the source has the columns "
                               "event_type, person, auction and bid, and generated or "
                               "PROCTIME() columns.");
            err_hint(b->err, "Set nexmark.table.type to 'person', 'auction' or 'bid' for one "
                             "table's columns.");
            return -1;
        }
        if (t == CONNECTOR_NEXMARK_EVENT_TYPE) {
            if (c->type != TYPE_INT8 && c->type != TYPE_INT4 && c->type != TYPE_INT2)
                return bind_error(b, column_pos(cs, c->name), ERRCODE_DATATYPE_MISMATCH,
                                  "column \"%s\" of a nexmark source must be of type bigint",
                                  c->name);
            continue;
        }
        if (check_combined_struct(b, cs, c, t) < 0)
            return -1;
    }
    return 0;
}

static const SqlRelColumn *
rel_column(const SqlRelation *rel, const char *name, size_t len)
{
    for (int i = 0; i < rel->ncols; i++) {
        if (strlen(rel->cols[i].name) == len && strncmp(rel->cols[i].name, name, len) == 0)
            return &rel->cols[i];
    }
    return NULL;
}

static bool
is_kind_sequence(const DialectStmt *d, const char *col)
{
    char key[300];

    snprintf(key, sizeof key, "fields.%s.kind", col);
    for (int i = 0; i < d->noptions; i++) {
        if (strcmp(d->options[i].key, key) == 0)
            return d->options[i].value != NULL && strcmp(d->options[i].value, "sequence") == 0;
    }
    return false;
}

/* One fields.<col>.<opt> value, parsed as the generator will parse it. */
static int
check_field_value(BindCtx *b, const DialectOption *o, const SqlRelColumn *c, const char *opt)
{
    const char *v = o->value != NULL ? o->value : "";
    Oid t = TYPE_INVALID;
    int32_t typmod = -1;
    const TypeInfo *ti;
    Datum ignored;
    Err e = {0};

    if (strcmp(opt, "start") == 0 || strcmp(opt, "end") == 0 || strcmp(opt, "min") == 0 ||
        strcmp(opt, "max") == 0) {
        t = c->type;
        if (t == TYPE_VARCHAR || t == TYPE_TEXT || t == TYPE_BOOL)
            return bind_error(b, o->key_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "datagen field option \"%s\" does not apply to column \"%s\" of "
                              "type %s",
                              opt, c->name, type_sql_name(c->type));
        if (t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ)
            return bind_error(b, o->key_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "datagen field option \"%s\" does not apply to column \"%s\" of "
                              "type %s (use max_past and basetime)",
                              opt, c->name, type_sql_name(c->type));
        typmod = c->typmod;
    } else if (strcmp(opt, "seed") == 0 || strcmp(opt, "length") == 0) {
        char *end;
        long long x = strtoll(v, &end, 10);

        if (*v == '\0' || *end != '\0' || x < (opt[0] == 'l' ? 1 : 0) ||
            (opt[0] == 'l' && x > 10485760))
            return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "datagen field option \"%s\" must be a %s integer", opt,
                              opt[0] == 'l' ? "positive" : "non-negative");
        return 0;
    } else if (strcmp(opt, "max_past") == 0) {
        t = TYPE_INTERVAL;
    } else if (strcmp(opt, "basetime") == 0) {
        t = TYPE_TIMESTAMPTZ;
    } else if (strcmp(opt, "max_past_mode") == 0) {
        if (strcmp(v, "absolute") != 0 && strcmp(v, "relative") != 0)
            return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "datagen max_past_mode must be 'absolute' or 'relative'");
        return 0;
    } else {
        return 0; /* kind: checked with the options */
    }
    ti = type_by_oid(t);
    if (ti == NULL || ti->in == NULL ||
        ti->in(v, strlen(v), typmod, &type_io_default, b->arena, &ignored, &e) < 0)
        return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                          "invalid value \"%s\" for datagen field option \"%s\": %s", v, opt,
                          e.message[0] != '\0' ? e.message : "not a valid value");
    return 0;
}

static int
check_datagen_columns(BindCtx *b, const DialectStmt *d, const PgQuery__CreateStmt *cs,
                      const SqlRelation *rel)
{
    for (int i = 0; i < rel->ncols; i++) {
        const SqlRelColumn *c = &rel->cols[i];
        bool seq = is_kind_sequence(d, c->name);

        if (!proctime_is_column(c) && c->generated_expr == NULL &&
            !connector_datagen_type_ok(c->type, seq))
            return bind_error(b, column_pos(cs, c->name), ERRCODE_FEATURE_NOT_SUPPORTED,
                              seq ? "datagen cannot generate a sequence of type %s (column "
                                    "\"%s\")"
                                  : "datagen cannot generate values of type %s (column \"%s\")",
                              type_sql_name(c->type), c->name);
    }
    for (int i = 0; i < d->noptions; i++) {
        const DialectOption *o = &d->options[i];
        const char *col, *dot;
        const SqlRelColumn *c;

        if (strncmp(o->key, "fields.", 7) != 0)
            continue;
        col = o->key + 7;
        dot = strrchr(col, '.');
        if ((c = rel_column(rel, col, (size_t)(dot - col))) == NULL)
            continue; /* checked before */
        if (check_field_value(b, o, c, dot + 1) < 0)
            return -1;
    }
    return 0;
}

/* CREATE SOURCE ... WITH (connector = 'datagen' | 'nexmark', ...): a source like any other. */
static int
bind_generator_source(BindCtx *b, SqlStatement *st, const DialectStmt *d,
                      const PgQuery__CreateStmt *cs, const DialectOption *connector)
{
    bool nexmark = strcmp(connector->value, "nexmark") == 0;
    int t = -1;

    if (d->kind != DIALECT_CREATE_SOURCE) {
        bind_error(b, connector->value_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "connector \"%s\" on CREATE TABLE is not supported yet", connector->value);
        err_hint(b->err, "Create a SOURCE with the connector instead.");
        return -1;
    }
    for (int i = 0; nexmark && i < d->noptions; i++) {
        const char *v = d->options[i].value;

        if (strcmp(d->options[i].key, "nexmark.table.type") == 0)
            t = strcasecmp(v, "person") == 0    ? CONNECTOR_NEXMARK_PERSON
                : strcasecmp(v, "auction") == 0 ? CONNECTOR_NEXMARK_AUCTION
                                                : CONNECTOR_NEXMARK_BID;
    }
    if (bind_create_table(b, st, cs, BIND_CREATE_SOURCE) < 0)
        return -1;
    if (st->table->rel->ncols == 0)
        return bind_error(b, d->name_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                          "a %s source needs at least one column", connector->value);
    if (nexmark && t < 0) /* no table type: the combined form */
        return check_nexmark_combined_columns(b, cs, st->table->rel);
    return nexmark ? check_nexmark_columns(b, cs, st->table->rel, t)
                   : check_datagen_columns(b, d, cs, st->table->rel);
}

int
bind_streaming_clauses(BindCtx *b, SqlStatement *st, const DialectStmt *d,
                       const PgQuery__CreateStmt *cs)
{
    const DialectOption *connector = NULL;
    const char *what = d->kind == DIALECT_CREATE_SOURCE ? "source" : "table";

    for (int i = 0; i < d->noptions; i++) {
        if (strcmp(d->options[i].key, "connector") == 0)
            connector = &d->options[i];
    }
    if (bind_watermark_other_options(d) > 0 && connector == NULL) /* sql/watermark.c */
        return bind_error(b, d->with_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                          "option \"connector\" is required in WITH (...) of a %s", what);
    if (connector != NULL) {
        const char *c = connector->value != NULL ? connector->value : "";
        bool datagen = strcmp(c, "datagen") == 0, nexmark = strcmp(c, "nexmark") == 0;

        if (!datagen && !nexmark) {
            bind_error(b, connector->value_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "connector \"%s\" is not supported", c);
            err_hint(b->err, "Rivulet ingests through INSERT and COPY; the datagen and nexmark "
                             "generators are planned.");
            return -1;
        }
        for (int i = 0; i < d->noptions; i++) {
            const DialectOption *o = &d->options[i];

            if (o == connector || sql_watermark_is_option(o->key))
                continue;
            if ((datagen ? check_datagen(b, o, cs) : check_nexmark(b, o)) < 0)
                return -1;
        }
    }
    if (d->format != NULL)
        return bind_error(b, d->format_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "FORMAT ... ENCODE is not supported yet");
    if (d->wm_column != NULL) {
        if (!has_column(cs, d->wm_column))
            return bind_error(b, d->wm_column_pos, ERRCODE_UNDEFINED_COLUMN,
                              "column \"%s\" named in WATERMARK FOR does not exist",
                              d->wm_column);
    }
    /* WATERMARK FOR and the watermark options are checked on the bound columns */
    if ((connector != NULL ? bind_generator_source(b, st, d, cs, connector)
                           : bind_create_table(b, st, cs,
                                               d->kind == DIALECT_CREATE_SOURCE ? BIND_CREATE_SOURCE
                                               : d->append_only ? BIND_CREATE_APPEND_ONLY
                                                                : BIND_CREATE_TABLE)) < 0)
        return -1;
    return bind_watermark_clause(b, d, st->table->rel); /* sql/watermark.c */
}
