/*
 * sql/bind_connector.c — the streaming clauses of CREATE SOURCE / CREATE
 * TABLE that the dialect pre-pass recognises (sql/dialect.h) but Rivulet
 * does not run yet: WITH (connector options), FORMAT ... ENCODE, WATERMARK
 * FOR, and EMIT ON WINDOW CLOSE. They are checked as RisingWave checks them
 * — a missing or unknown connector, an option the connector does not have,
 * a datagen field naming no column, a bad nexmark table type — each with a
 * precise error at its position, and only a valid statement gets the final
 * 0A000 saying what is not built yet. So a user's DDL fails for the right
 * reason today and works unchanged when generators and watermarks land
 * (issue 6).
 *
 * Invariants:
 *   1. Every path raises an error: nothing here creates anything.
 *   2. Errors carry the byte position of the clause, key or value they are
 *      about (the pre-pass keeps positions of the original text).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/dialect.h"
#include "sql/table.h"

static const char *const datagen_field_opts[] = {"kind", "start", "end", "min", "max",
                                                 "length", "seed", "max_past", "max_past_mode",
                                                 "basetime", NULL};

static const char *const nexmark_opts[] = {
    "nexmark.table.type",          "nexmark.event.num",          "nexmark.split.num",
    "nexmark.min.event.gap.in.ns", "nexmark.max.chunk.size",     "nexmark.use.real.time",
    "nexmark.base.time",           "nexmark.event.rate",         "nexmark.seed",
    "nexmark.first.event.rate",    "nexmark.next.event.rate",    "nexmark.bid.proportion",
    "nexmark.auction.proportion",  "nexmark.person.proportion", NULL};

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

    if (strcmp(key, "datagen.rows.per.second") == 0 || strcmp(key, "datagen.split.num") == 0) {
        char *end;
        long long v = o->value != NULL ? strtoll(o->value, &end, 10) : 0;

        if (o->value == NULL || *end != '\0' || v <= 0)
            return bind_error(b, o->value_pos, ERRCODE_INVALID_PARAMETER_VALUE,
                              "option \"%s\" must be a positive integer", key);
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
    return 0;
}

int
bind_streaming_clauses(BindCtx *b, const DialectStmt *d, const PgQuery__CreateStmt *cs)
{
    const DialectOption *connector = NULL;
    const char *what = d->kind == DIALECT_CREATE_SOURCE ? "source" : "table";

    for (int i = 0; i < d->noptions; i++) {
        if (strcmp(d->options[i].key, "connector") == 0)
            connector = &d->options[i];
    }
    if (d->noptions > 0 && connector == NULL)
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

            if (o == connector)
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
        bind_error(b, d->wm_column_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "WATERMARK FOR is not supported yet");
        err_hint(b->err, "Watermarks come with event-time windows; create the %s without it "
                         "for now.", what);
        return -1;
    }
    if (connector != NULL) {
        bind_error(b, connector->value_pos, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "connector \"%s\" is not supported yet", connector->value);
        err_hint(b->err, "The built-in generators come with event-time support; feed the %s "
                         "with INSERT or COPY meanwhile.", what);
        return -1;
    }
    return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                      "this CREATE %s is not supported yet",
                      d->kind == DIALECT_CREATE_SOURCE ? "SOURCE" : "TABLE");
}
