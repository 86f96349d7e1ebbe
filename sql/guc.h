/*
 * sql/guc.h — session settings ("GUCs"): SET, SHOW, RESET, current_setting,
 * set_config, startup options and ParameterStatus reporting, with
 * PostgreSQL 15's names, defaults, validation, messages and transactional
 * behaviour.
 *
 * A GucState holds one session's values. Every setting has
 *   value    what SHOW says now;
 *   session  what survives the end of the current transaction (differs from
 *            value while a SET LOCAL is in effect);
 *   reset    what RESET / SET ... TO DEFAULT go back to (the built-in
 *            default, or the value the client gave at startup);
 *   saved    session as it was when the transaction began, restored on
 *            rollback (only while the transaction changed the setting).
 *
 *        SET x = v            SET LOCAL x = v          COMMIT          ROLLBACK
 *   value    v                    v                  ← session        ← saved
 *   session  v                (unchanged)            (unchanged)      ← saved
 *
 * Invariants:
 *   1. Names are case-insensitive; SHOW and ParameterStatus use the
 *      canonical spelling ("DateStyle"). Names with a dot are custom
 *      placeholders, created by the first SET, as PostgreSQL.
 *   2. Every stored value is already validated and canonical (e.g.
 *      DateStyle "ISO, MDY", TimeZone as spelled in the tz database,
 *      statement_timeout in milliseconds); SHOW adds units back.
 *   3. A failed SET changes nothing.
 *   4. A GucState is used by one thread at a time; the definitions table is
 *      read-only and shared.
 */
#ifndef RIVULET_SQL_GUC_H
#define RIVULET_SQL_GUC_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"

typedef struct GucState GucState;

/* Receives notices raised while setting a value (e.g. application_name truncation). */
typedef void (*GucNoticeFn)(void *arg, const Err *notice);

GucState *guc_create(void);
void guc_destroy(GucState *g);
void guc_set_notice_fn(GucState *g, GucNoticeFn fn, void *arg);
/* The login role, for session_authorization and role. */
void guc_set_user(GucState *g, const char *user);

typedef enum GucScope {
    GUC_SCOPE_STARTUP, /* startup packet: also becomes the RESET value */
    GUC_SCOPE_SESSION, /* SET / SET SESSION / set_config(.., false) */
    GUC_SCOPE_LOCAL,   /* SET LOCAL / set_config(.., true): until the transaction ends */
} GucScope;

/*
 * Sets name to value (NULL: back to the RESET value). Fails with 42704
 * (unknown), 55P02 (read-only), 22023 (bad value), 0A000 (unsupported
 * encoding), as PostgreSQL. The caller decides whether SET LOCAL is allowed.
 */
int guc_set(GucState *g, const char *name, const char *value, GucScope scope, Err *err);
/* RESET ALL: every settable, non-transaction setting back to its RESET value. */
void guc_reset_all(GucState *g);

/*
 * The text SHOW prints (with units), or NULL with 42704 in err (err may be
 * NULL for a quiet lookup). *canonical receives the canonical spelling.
 */
const char *guc_show(GucState *g, const char *name, const char **canonical, Err *err);

/* Transaction ends: commit keeps session values, rollback restores saved ones. */
void guc_commit(GucState *g);
void guc_rollback(GucState *g);

typedef void (*GucVisitFn)(void *arg, const char *name, const char *value, const char *desc);
/* SHOW ALL: every setting not hidden from it, sorted by name case-insensitively. */
void guc_show_all(GucState *g, GucVisitFn fn, void *arg);
/* The reported (ParameterStatus) settings: all, or only those changed since the last report. */
void guc_report(GucState *g, bool only_changed, GucVisitFn fn, void *arg);

/* Typed reads of built-in settings, for the code that obeys them. */
bool guc_get_bool(GucState *g, const char *name);
int64_t guc_get_int(GucState *g, const char *name);
const char *guc_get_string(GucState *g, const char *name);

/*
 * flatten_set_variable_args(): joins the arguments of SET name TO a, b, ...
 * into one value. kinds[i] is 'i' (integer literal), 'f' (numeric literal)
 * or 's' (string / identifier). Returns a malloc'd string or NULL with 22023
 * "SET %s takes only one argument" (42704 for an unknown name).
 */
char *guc_flatten_args(GucState *g, const char *name, int nargs, const char *const *args,
                       const char *kinds, Err *err);

/*
 * A time setting's value as SET parses it (parse_int with GUC_UNIT_MS): bare numbers are
 * ms, units us, ms, s, min, h, d; 0 with *ms, or -1 with *hint (or NULL) for the 22023.
 */
int guc_parse_ms(const char *value, int64_t *ms, const char **hint);

/* ---- validators shared with the checks (sql/guc_check.c) ------------------- */

/* A check normalises a string value into *out (malloc'd) or fails with err. */
typedef int (*GucCheckFn)(GucState *g, const char *value, char **out, Err *err);

int guc_check_datestyle(GucState *g, const char *value, char **out, Err *err);
int guc_check_timezone(GucState *g, const char *value, char **out, Err *err);
int guc_check_client_encoding(GucState *g, const char *value, char **out, Err *err);
int guc_check_application_name(GucState *g, const char *value, char **out, Err *err);
int guc_check_role(GucState *g, const char *value, char **out, Err *err);
int guc_check_session_authorization(GucState *g, const char *value, char **out, Err *err);

/* For the checks: the login role and the notice sink. */
const char *guc_user(GucState *g);
void guc_notice(GucState *g, const Err *notice);

#endif
