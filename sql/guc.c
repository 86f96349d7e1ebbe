/*
 * sql/guc.c — the settings table and one session's values (see sql/guc.h
 * for the model and the state diagram).
 *
 * The table below lists what PostgreSQL 15 reports in ParameterStatus, what
 * drivers set or read at connection time, and Rivulet's own settings. Each
 * definition gives PostgreSQL's name, type, default, range and short
 * description (SHOW ALL prints it), and for strings a check that validates
 * and normalises the value (sql/guc_check.c).
 *
 * Invariants:
 *   1. DEFS is sorted by name, case-insensitively (SHOW ALL order).
 *   2. Every slot's value/session/reset/shown strings are malloc'd and owned
 *      by the slot; saved is owned while has_saved.
 *   3. shown is recomputed whenever value changes (refresh()).
 */
#include "sql/guc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/version.h"
#include "common/errcodes.h"
#include "sql/types.h"

/* The longest value a setting may hold (PostgreSQL has no limit; clients never come close). */
#define GUC_VALUE_MAX 8192

typedef enum GucType { GUC_BOOL, GUC_INT, GUC_ENUM, GUC_STRING } GucType;

enum {
    GF_REPORT = 1 << 0,       /* sent in ParameterStatus */
    GF_READONLY = 1 << 1,     /* PGC_INTERNAL: cannot be changed */
    GF_NO_SHOW_ALL = 1 << 2,  /* hidden from SHOW ALL */
    GF_LIST = 1 << 3,         /* SET accepts a list: a, b, c */
    GF_LIST_QUOTE = 1 << 4,   /* list elements are identifiers to quote (search_path) */
    GF_UNIT_MS = 1 << 5,      /* integer in milliseconds */
    GF_UNIT_KB = 1 << 6,      /* integer in kilobytes */
    GF_TRANSACTION = 1 << 7,  /* lasts one transaction; reverts to default_<name> */
    GF_NO_RESET_ALL = 1 << 8, /* RESET ALL leaves it alone */
};

typedef struct GucDef {
    const char *name;
    GucType type;
    unsigned flags;
    const char *boot;
    const char *desc;
    int64_t min, max;
    const char *const *enums;
    GucCheckFn check;
} GucDef;

static const char *const ISOLATION[] = {"serializable", "repeatable read", "read committed",
                                        "read uncommitted", NULL};
static const char *const INTERVALSTYLE[] = {"postgres", "postgres_verbose", "sql_standard",
                                            "iso_8601", NULL};
static const char *const BYTEA_OUTPUT[] = {"escape", "hex", NULL};
static const char *const MESSAGE_LEVELS[] = {"debug5", "debug4", "debug3",  "debug2", "debug1",
                                             "log",    "notice", "warning", "error",  NULL};
static const char *const SYNC_COMMIT[] = {"local", "remote_write", "remote_apply",
                                          "on",    "off",          NULL};

/* clang-format off */
#define TIMEOUT(name, desc) {name, GUC_INT, GF_UNIT_MS, "0", desc, 0, INT32_MAX, NULL, NULL}
/* clang-format on */

static int check_streaming_parallelism(GucState *g, const char *value, char **out, Err *err);

static const GucDef DEFS[] = {
    {"application_name", GUC_STRING, GF_REPORT, "",
     "Sets the application name to be reported in statistics and logs.", 0, 0, NULL,
     guc_check_application_name},
    {"bytea_output", GUC_ENUM, 0, "hex", "Sets the output format for bytea.", 0, 0, BYTEA_OUTPUT,
     NULL},
    {"client_encoding", GUC_STRING, GF_REPORT, "UTF8", "Sets the client's character set encoding.",
     0, 0, NULL, guc_check_client_encoding},
    {"client_min_messages", GUC_ENUM, 0, "notice",
     "Sets the message levels that are sent to the client.", 0, 0, MESSAGE_LEVELS, NULL},
    {"DateStyle", GUC_STRING, GF_REPORT | GF_LIST, "ISO, MDY",
     "Sets the display format for date and time values.", 0, 0, NULL, guc_check_datestyle},
    {"default_transaction_deferrable", GUC_BOOL, 0, "off",
     "Sets the default deferrable status of new transactions.", 0, 0, NULL, NULL},
    {"default_transaction_isolation", GUC_ENUM, 0, "read committed",
     "Sets the transaction isolation level of each new transaction.", 0, 0, ISOLATION, NULL},
    {"default_transaction_read_only", GUC_BOOL, GF_REPORT, "off",
     "Sets the default read-only status of new transactions.", 0, 0, NULL, NULL},
    {"escape_string_warning", GUC_BOOL, 0, "on",
     "Warn about backslash escapes in ordinary string literals.", 0, 0, NULL, NULL},
    {"extra_float_digits", GUC_INT, 0, "1",
     "Sets the number of digits displayed for floating-point values.", -15, 3, NULL, NULL},
    TIMEOUT("idle_in_transaction_session_timeout",
            "Sets the maximum allowed idle time between queries, when in a transaction."),
    TIMEOUT("idle_session_timeout",
            "Sets the maximum allowed idle time between queries, when not in a transaction."),
    {"in_hot_standby", GUC_BOOL, GF_REPORT | GF_READONLY, "off",
     "Shows whether hot standby is currently active.", 0, 0, NULL, NULL},
    {"integer_datetimes", GUC_BOOL, GF_REPORT | GF_READONLY, "on",
     "Shows whether datetimes are integer based.", 0, 0, NULL, NULL},
    {"IntervalStyle", GUC_ENUM, GF_REPORT, "postgres",
     "Sets the display format for interval values.", 0, 0, INTERVALSTYLE, NULL},
    {"is_superuser", GUC_BOOL, GF_REPORT | GF_READONLY | GF_NO_SHOW_ALL, "on",
     "Shows whether the current user is a superuser.", 0, 0, NULL, NULL},
    {"lc_collate", GUC_STRING, GF_READONLY, "C.UTF-8", "Shows the collation order locale.", 0, 0,
     NULL, NULL},
    {"lc_ctype", GUC_STRING, GF_READONLY, "C.UTF-8",
     "Shows the character classification and case conversion locale.", 0, 0, NULL, NULL},
    TIMEOUT("lock_timeout", "Sets the maximum allowed duration of any wait for a lock."),
    {"max_identifier_length", GUC_INT, GF_READONLY, "63", "Shows the maximum identifier length.",
     63, 63, NULL, NULL},
    {"role", GUC_STRING, GF_NO_SHOW_ALL, "none", "Sets the current role.", 0, 0, NULL,
     guc_check_role},
    {"rw_implicit_flush", GUC_BOOL, 0, "off",
     "If enabled, every INSERT/UPDATE/DELETE waits until its changes are visible to reads.", 0, 0,
     NULL, NULL},
    {"search_path", GUC_STRING, GF_LIST | GF_LIST_QUOTE, "\"$user\", public",
     "Sets the schema search order for names that are not schema-qualified.", 0, 0, NULL, NULL},
    {"server_encoding", GUC_STRING, GF_REPORT | GF_READONLY, "UTF8",
     "Shows the server (database) character set encoding.", 0, 0, NULL, NULL},
    {"server_version", GUC_STRING, GF_REPORT | GF_READONLY, RIVULET_SERVER_VERSION,
     "Shows the server version.", 0, 0, NULL, NULL},
    {"server_version_num", GUC_INT, GF_READONLY, RIVULET_PG_VERSION_NUM,
     "Shows the server version as an integer.", 0, INT32_MAX, NULL, NULL},
    {"session_authorization", GUC_STRING, GF_REPORT | GF_NO_SHOW_ALL, "",
     "Sets the session user name.", 0, 0, NULL, guc_check_session_authorization},
    {"standard_conforming_strings", GUC_BOOL, GF_REPORT, "on",
     "Causes '...' strings to treat backslashes literally.", 0, 0, NULL, NULL},
    TIMEOUT("statement_timeout", "Sets the maximum allowed duration of any statement."),
    {"streaming_parallelism", GUC_STRING, 0, "default",
     "Sets the parallelism of streaming jobs created in this session.", 0, 0, NULL,
     check_streaming_parallelism},
    {"synchronous_commit", GUC_ENUM, 0, "on",
     "Sets the current transaction's synchronization level.", 0, 0, SYNC_COMMIT, NULL},
    {"TimeZone", GUC_STRING, GF_REPORT, "UTC",
     "Sets the time zone for displaying and interpreting time stamps.", 0, 0, NULL,
     guc_check_timezone},
    {"transaction_deferrable", GUC_BOOL, GF_TRANSACTION | GF_NO_RESET_ALL, "off",
     "Whether to defer a read-only serializable transaction until it can be executed with no "
     "possible serialization failures.",
     0, 0, NULL, NULL},
    {"transaction_isolation", GUC_ENUM, GF_TRANSACTION | GF_NO_RESET_ALL, "read committed",
     "Sets the current transaction's isolation level.", 0, 0, ISOLATION, NULL},
    {"transaction_read_only", GUC_BOOL, GF_TRANSACTION | GF_NO_RESET_ALL, "off",
     "Sets the current transaction's read-only status.", 0, 0, NULL, NULL},
    {"work_mem", GUC_INT, GF_UNIT_KB, "4096",
     "Sets the maximum memory to be used for query workspaces.", 64, INT32_MAX, NULL, NULL},
};

#define NDEFS ((int)(sizeof DEFS / sizeof DEFS[0]))

typedef struct GucSlot {
    const GucDef *def; /* NULL for a custom placeholder */
    char *name;        /* canonical spelling */
    char *value;
    char *session;
    char *reset;
    char *saved;
    bool has_saved;
    char *shown;    /* value as SHOW prints it */
    char *reported; /* last value given to guc_report, NULL = never */
} GucSlot;

struct GucState {
    GucSlot *slots;
    int nslots, cap;
    char *user;
    GucNoticeFn notice_fn;
    void *notice_arg;
};

static char *
xstrdup(const char *s)
{
    char *p = strdup(s);

    if (p == NULL) {
        fprintf(stderr, "PANIC: out of memory in guc\n");
        abort();
    }
    return p;
}

static void
replace(char **field, const char *v)
{
    char *copy = xstrdup(v);

    free(*field);
    *field = copy;
}

/* convert_int_from_base_unit(): the largest unit that divides the value exactly. */
static void
refresh(GucSlot *slot)
{
    static const struct {
        const char *unit;
        int64_t mult;
        unsigned flag;
    } units[] = {{"TB", 1024LL * 1024 * 1024, GF_UNIT_KB},
                 {"GB", 1024 * 1024, GF_UNIT_KB},
                 {"MB", 1024, GF_UNIT_KB},
                 {"kB", 1, GF_UNIT_KB},
                 {"d", 86400000, GF_UNIT_MS},
                 {"h", 3600000, GF_UNIT_MS},
                 {"min", 60000, GF_UNIT_MS},
                 {"s", 1000, GF_UNIT_MS},
                 {"ms", 1, GF_UNIT_MS}};
    char buf[64];
    int64_t v;

    if (slot->def == NULL || slot->def->type != GUC_INT ||
        !(slot->def->flags & (GF_UNIT_MS | GF_UNIT_KB)) ||
        (v = strtoll(slot->value, NULL, 10)) <= 0) {
        replace(&slot->shown, slot->value);
        return;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if ((slot->def->flags & units[i].flag) && v % units[i].mult == 0) {
            snprintf(buf, sizeof buf, "%lld%s", (long long)(v / units[i].mult), units[i].unit);
            break;
        }
    }
    replace(&slot->shown, buf);
}

static GucSlot *
add_slot(GucState *g, const GucDef *def, const char *name, const char *value)
{
    GucSlot *slot;

    if (g->nslots == g->cap) {
        int cap = g->cap ? g->cap * 2 : 64;
        GucSlot *grown = realloc(g->slots, sizeof(GucSlot) * (size_t)cap);

        if (grown == NULL) {
            fprintf(stderr, "PANIC: out of memory in guc\n");
            abort();
        }
        g->slots = grown;
        g->cap = cap;
    }
    slot = &g->slots[g->nslots++];
    memset(slot, 0, sizeof *slot);
    slot->def = def;
    slot->name = xstrdup(name);
    slot->value = xstrdup(value);
    slot->session = xstrdup(value);
    slot->reset = xstrdup(value);
    refresh(slot);
    return slot;
}

GucState *
guc_create(void)
{
    GucState *g = calloc(1, sizeof *g);

    if (g == NULL) {
        fprintf(stderr, "PANIC: out of memory in guc\n");
        abort();
    }
    g->user = xstrdup("");
    for (int i = 0; i < NDEFS; i++)
        add_slot(g, &DEFS[i], DEFS[i].name, DEFS[i].boot);
    return g;
}

void
guc_destroy(GucState *g)
{
    if (g == NULL)
        return;
    for (int i = 0; i < g->nslots; i++) {
        GucSlot *s = &g->slots[i];

        free(s->name), free(s->value), free(s->session), free(s->reset);
        free(s->saved), free(s->shown), free(s->reported);
    }
    free(g->slots);
    free(g->user);
    free(g);
}

void
guc_set_notice_fn(GucState *g, GucNoticeFn fn, void *arg)
{
    g->notice_fn = fn;
    g->notice_arg = arg;
}

const char *
guc_user(GucState *g)
{
    return g->user;
}

void
guc_notice(GucState *g, const Err *notice)
{
    if (g->notice_fn != NULL)
        g->notice_fn(g->notice_arg, notice);
}

static GucSlot *
find_slot(GucState *g, const char *name)
{
    for (int i = 0; i < g->nslots; i++) {
        if (strcasecmp(g->slots[i].name, name) == 0)
            return &g->slots[i];
    }
    return NULL;
}

void
guc_set_user(GucState *g, const char *user)
{
    GucSlot *slot = find_slot(g, "session_authorization");

    replace(&g->user, user);
    replace(&slot->value, user);
    replace(&slot->session, user);
    replace(&slot->reset, user);
    refresh(slot);
}

/* A custom name: two or more identifiers separated by dots. */
static bool
valid_custom_name(const char *name)
{
    bool part_empty = true, has_dot = false;

    for (const char *p = name; *p; p++) {
        if (*p == '.') {
            if (part_empty)
                return false;
            has_dot = part_empty = true;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
                   (unsigned char)*p >= 0x80 ||
                   (!part_empty && ((*p >= '0' && *p <= '9') || *p == '$'))) {
            part_empty = false;
        } else {
            return false;
        }
    }
    return has_dot && !part_empty;
}

static int
unrecognized(const char *name, Err *err)
{
    return ERR_RAISE(err, ERRCODE_UNDEFINED_OBJECT, "unrecognized configuration parameter \"%s\"",
                     name);
}

/* The slot for name; with create, custom placeholders come into being (invariant 1 of guc.h). */
static GucSlot *
lookup(GucState *g, const char *name, bool create, Err *err)
{
    GucSlot *slot = find_slot(g, name);

    if (slot != NULL)
        return slot;
    if (!create || strchr(name, '.') == NULL) {
        unrecognized(name, err);
        return NULL;
    }
    if (!valid_custom_name(name)) {
        ERR_RAISE(err, ERRCODE_INVALID_NAME, "invalid configuration parameter name \"%s\"", name);
        err_detail(err, "Custom parameter names must be two or more simple identifiers separated "
                        "by dots.");
        return NULL;
    }
    return add_slot(g, NULL, name, "");
}

/* convert_to_base_unit(): multiplies *val by the unit's factor; false for a unit not allowed. */
static bool
apply_unit(const char *unit, unsigned flags, double *val)
{
    static const struct {
        const char *unit;
        double mult;
        unsigned flag;
    } units[] = {{"B", 1.0 / 1024, GF_UNIT_KB},
                 {"kB", 1, GF_UNIT_KB},
                 {"MB", 1024, GF_UNIT_KB},
                 {"GB", 1024.0 * 1024, GF_UNIT_KB},
                 {"TB", 1024.0 * 1024 * 1024, GF_UNIT_KB},
                 {"us", 0.001, GF_UNIT_MS},
                 {"ms", 1, GF_UNIT_MS},
                 {"s", 1000, GF_UNIT_MS},
                 {"min", 60000, GF_UNIT_MS},
                 {"h", 3600000, GF_UNIT_MS},
                 {"d", 86400000, GF_UNIT_MS}};

    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if ((flags & units[i].flag) && strcmp(unit, units[i].unit) == 0) {
            *val *= units[i].mult;
            return true;
        }
    }
    return false;
}

static const char *
unit_hint(unsigned flags)
{
    return (flags & GF_UNIT_KB) ? "Valid units for this parameter are \"B\", \"kB\", \"MB\", "
                                  "\"GB\", and \"TB\"."
                                : "Valid units for this parameter are \"us\", \"ms\", \"s\", "
                                  "\"min\", \"h\", and \"d\".";
}

/* parse_int(): a number, optionally fractional, optionally followed by a unit. */
static int
parse_int_value(const char *value, unsigned flags, int64_t *result, const char **hint)
{
    char *end, unit[8];
    double val;
    size_t n = 0;

    *hint = NULL;
    errno = 0;
    val = (double)strtoll(value, &end, 0);
    if (end == value)
        return -1;
    if (*end == '.' || *end == 'e' || *end == 'E' || errno == ERANGE) {
        errno = 0;
        val = strtod(value, &end);
        if (end == value || errno == ERANGE || isnan(val))
            return -1;
    }
    while (*end == ' ' || *end == '\t' || *end == '\n')
        end++;
    if (*end != '\0') {
        if (!(flags & (GF_UNIT_MS | GF_UNIT_KB)))
            return -1;
        while (*end != '\0' && *end != ' ' && *end != '\t' && n < sizeof unit - 1)
            unit[n++] = *end++;
        unit[n] = '\0';
        while (*end == ' ' || *end == '\t' || *end == '\n')
            end++;
        if (*end != '\0' || !apply_unit(unit, flags, &val)) {
            *hint = unit_hint(flags);
            return -1;
        }
    }
    val = rint(val);
    if (val > INT32_MAX || val < INT32_MIN) {
        *hint = "Value exceeds integer range.";
        return -1;
    }
    *result = (int64_t)val;
    return 0;
}

int
guc_parse_ms(const char *value, int64_t *ms, const char **hint)
{
    return parse_int_value(value, GF_UNIT_MS, ms, hint);
}

static int
invalid_value(const char *name, const char *value, const char *hint, Err *err)
{
    ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": \"%s\"",
              name, value);
    if (hint != NULL)
        err_hint(err, "%s", hint);
    return -1;
}

static int
validate_int(const GucDef *d, const char *given, const char *value, char **out, Err *err)
{
    const char *hint, *unit = (d->flags & GF_UNIT_MS)   ? "ms"
                              : (d->flags & GF_UNIT_KB) ? "kB"
                                                        : NULL;
    int64_t v;
    char buf[32];

    if (parse_int_value(value, d->flags, &v, &hint) < 0)
        return invalid_value(given, value, hint, err);
    if (v < d->min || v > d->max)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "%lld%s%s is outside the valid range for parameter \"%s\" (%lld .. %lld)",
                         (long long)v, unit ? " " : "", unit ? unit : "", given, (long long)d->min,
                         (long long)d->max);
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    *out = xstrdup(buf);
    return 0;
}

static int
validate_enum(const GucDef *d, const char *given, const char *value, char **out, Err *err)
{
    Buf hint;
    int rc;

    for (int i = 0; d->enums[i] != NULL; i++) {
        if (strcasecmp(value, d->enums[i]) == 0) {
            *out = xstrdup(d->enums[i]);
            return 0;
        }
    }
    buf_init(&hint, ERR_HINT_MAX);
    buf_put_str(&hint, "Available values: ");
    for (int i = 0; d->enums[i] != NULL; i++) {
        buf_put_str(&hint, d->enums[i]);
        buf_put_str(&hint, d->enums[i + 1] ? ", " : ".");
    }
    buf_put_u8(&hint, 0);
    rc = invalid_value(given, value, hint.failed ? NULL : (const char *)hint.data, err);
    buf_free(&hint);
    return rc;
}

/* Checks value for slot and returns its canonical form in *out (malloc'd). */
static int
validate(GucState *g, GucSlot *slot, const char *given, const char *value, char **out, Err *err)
{
    const GucDef *d = slot->def;
    bool b;

    if (d == NULL) {
        *out = xstrdup(value);
        return 0;
    }
    switch (d->type) {
    case GUC_BOOL:
        if (!bool_parse(value, strlen(value), &b))
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "parameter \"%s\" requires a Boolean value", given);
        if (!b && strcmp(d->name, "standard_conforming_strings") == 0)
            return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                             "standard_conforming_strings = off is not supported");
        *out = xstrdup(b ? "on" : "off");
        return 0;
    case GUC_INT:
        return validate_int(d, given, value, out, err);
    case GUC_ENUM:
        return validate_enum(d, given, value, out, err);
    case GUC_STRING:
        break;
    }
    if (d->check != NULL)
        return d->check(g, value, out, err);
    *out = xstrdup(value);
    return 0;
}

/* quote_identifier(): double-quotes an identifier unless it is plain lower case. */
static void
append_identifier(Buf *b, const char *id)
{
    bool safe = (*id >= 'a' && *id <= 'z') || *id == '_';

    for (const char *p = id; *p && safe; p++)
        safe = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    if (safe) {
        buf_put_str(b, id);
        return;
    }
    buf_put_u8(b, '"');
    for (const char *p = id; *p; p++) {
        if (*p == '"')
            buf_put_u8(b, '"');
        buf_put_u8(b, (uint8_t)*p);
    }
    buf_put_u8(b, '"');
}

char *
guc_flatten_args(GucState *g, const char *name, int nargs, const char *const *args,
                 const char *kinds, Err *err)
{
    GucSlot *slot = find_slot(g, name);
    unsigned flags = slot != NULL && slot->def != NULL ? slot->def->flags : 0;
    Buf b;
    char *out;

    if (nargs > 1 && !(flags & GF_LIST)) {
        ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "SET %s takes only one argument", name);
        return NULL;
    }
    buf_init(&b, GUC_VALUE_MAX);
    for (int i = 0; i < nargs; i++) {
        if (i > 0)
            buf_put_str(&b, ", ");
        if (kinds[i] == 's' && (flags & GF_LIST_QUOTE))
            append_identifier(&b, args[i]);
        else
            buf_put_str(&b, args[i]);
    }
    buf_put_u8(&b, 0);
    if (b.failed) {
        buf_free(&b);
        ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "value for parameter \"%s\" is too long",
                  name);
        return NULL;
    }
    out = xstrdup((const char *)b.data);
    buf_free(&b);
    return out;
}

int
guc_set(GucState *g, const char *name, const char *value, GucScope scope, Err *err)
{
    GucSlot *slot = lookup(g, name, true, err);
    char *canon = NULL;

    if (slot == NULL)
        return -1;
    if (slot->def != NULL && (slot->def->flags & GF_READONLY)) {
        /* PostgreSQL accepts re-setting an internal parameter to its own value at startup */
        if (scope == GUC_SCOPE_STARTUP && value != NULL && strcmp(value, slot->value) == 0)
            return 0;
        return ERR_RAISE(err, ERRCODE_CANT_CHANGE_RUNTIME_PARAM,
                         "parameter \"%s\" cannot be changed", slot->name);
    }
    if (value == NULL)
        canon = xstrdup(slot->reset);
    else if (validate(g, slot, name, value, &canon, err) < 0)
        return -1;
    if (scope == GUC_SCOPE_STARTUP) {
        replace(&slot->reset, canon);
        replace(&slot->session, canon);
    } else {
        if (!slot->has_saved) {
            slot->saved = xstrdup(slot->session);
            slot->has_saved = true;
        }
        if (scope == GUC_SCOPE_SESSION)
            replace(&slot->session, canon);
    }
    free(slot->value);
    slot->value = canon;
    refresh(slot);
    return 0;
}

void
guc_reset_all(GucState *g)
{
    for (int i = 0; i < g->nslots; i++) {
        GucSlot *s = &g->slots[i];

        if (s->def != NULL && (s->def->flags & (GF_READONLY | GF_NO_RESET_ALL)))
            continue;
        if (strcmp(s->value, s->reset) == 0 && strcmp(s->session, s->reset) == 0)
            continue;
        guc_set(g, s->name, NULL, GUC_SCOPE_SESSION, NULL);
    }
}

const char *
guc_show(GucState *g, const char *name, const char **canonical, Err *err)
{
    GucSlot *slot = find_slot(g, name);

    if (slot == NULL) {
        unrecognized(name, err);
        return NULL;
    }
    if (canonical != NULL)
        *canonical = slot->name;
    return slot->shown;
}

/* Transaction-scoped settings start every transaction from their default_ counterpart. */
static void
restart_transaction_settings(GucState *g)
{
    for (int i = 0; i < g->nslots; i++) {
        GucSlot *s = &g->slots[i];
        char dflt[64];
        GucSlot *from;

        if (s->def == NULL || !(s->def->flags & GF_TRANSACTION))
            continue;
        snprintf(dflt, sizeof dflt, "default_%s", s->name);
        from = find_slot(g, dflt);
        replace(&s->value, from->value);
        replace(&s->session, from->value);
        refresh(s);
    }
}

static void
end_transaction(GucState *g, bool commit)
{
    for (int i = 0; i < g->nslots; i++) {
        GucSlot *s = &g->slots[i];

        if (!s->has_saved)
            continue;
        if (!commit)
            replace(&s->session, s->saved);
        free(s->saved);
        s->saved = NULL;
        s->has_saved = false;
        if (strcmp(s->value, s->session) != 0) {
            replace(&s->value, s->session);
            refresh(s);
        }
    }
    restart_transaction_settings(g);
}

void
guc_commit(GucState *g)
{
    end_transaction(g, true);
}

void
guc_rollback(GucState *g)
{
    end_transaction(g, false);
}

void
guc_show_all(GucState *g, GucVisitFn fn, void *arg)
{
    for (int i = 0; i < g->nslots; i++) {
        const GucSlot *s = &g->slots[i];

        if (s->def != NULL && !(s->def->flags & GF_NO_SHOW_ALL))
            fn(arg, s->name, s->shown, s->def->desc);
    }
}

void
guc_report(GucState *g, bool only_changed, GucVisitFn fn, void *arg)
{
    for (int i = 0; i < g->nslots; i++) {
        GucSlot *s = &g->slots[i];

        if (s->def == NULL || !(s->def->flags & GF_REPORT))
            continue;
        if (only_changed && s->reported != NULL && strcmp(s->reported, s->shown) == 0)
            continue;
        replace(&s->reported, s->shown);
        fn(arg, s->name, s->shown, s->def->desc);
    }
}

bool
guc_get_bool(GucState *g, const char *name)
{
    GucSlot *s = find_slot(g, name);

    return s != NULL && strcmp(s->value, "on") == 0;
}

int64_t
guc_get_int(GucState *g, const char *name)
{
    GucSlot *s = find_slot(g, name);

    return s != NULL ? strtoll(s->value, NULL, 10) : 0;
}

const char *
guc_get_string(GucState *g, const char *name)
{
    GucSlot *s = find_slot(g, name);

    return s != NULL ? s->value : "";
}

static int
check_streaming_parallelism(GucState *g, const char *value, char **out, Err *err)
{
    int64_t n;

    (void)g;
    if (strcasecmp(value, "default") == 0 || strcasecmp(value, "adaptive") == 0 ||
        strcasecmp(value, "full") == 0) {
        *out = xstrdup(value);
        for (char *p = *out; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        return 0;
    }
    if (int_parse(value, strlen(value), 1, 1024, &n) == 0) {
        char buf[16];

        snprintf(buf, sizeof buf, "%lld", (long long)n);
        *out = xstrdup(buf);
        return 0;
    }
    ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
              "invalid value for parameter \"streaming_parallelism\": \"%s\"", value);
    err_hint(err, "Use \"default\", \"adaptive\", \"full\" or a number from 1 to 1024.");
    return -1;
}
