/*
 * sql/func_system.c — built-ins about the server and the session:
 * version(), current_setting(), set_config(), current_database(),
 * current_schema(), current_user / session_user, pg_backend_pid(),
 * pg_sleep().
 *
 * These read the session through EvalCtx.session; evaluated without a
 * session (a stream operator, later) they fail cleanly with 0A000.
 *
 * Invariants:
 *   1. pg_sleep() sleeps in slices of at most 10 ms and checks the interrupt
 *      flag and statement deadline after each, so a cancel takes effect
 *      within 10 ms (57014).
 *   2. set_config() changes settings with SET's rules (sql/guc.c), including
 *      transactional undo.
 */
#include <math.h>

#include "common/clock.h"
#include "common/version.h"
#include "sql/builtins.h"
#include "sql/sql_int.h"

#define SLEEP_SLICE_US 10000

#if defined(__x86_64__)
#define BUILD_TARGET "x86_64-pc-linux-gnu"
#elif defined(__aarch64__)
#define BUILD_TARGET "aarch64-unknown-linux-gnu"
#else
#define BUILD_TARGET "unknown-linux-gnu"
#endif

#if defined(__clang__)
#define BUILD_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define BUILD_COMPILER "gcc " __VERSION__
#else
#define BUILD_COMPILER "cc"
#endif

static const char VERSION_STRING[] =
    "PostgreSQL " RIVULET_PG_VERSION " (Rivulet " RIVULET_VERSION ") on " BUILD_TARGET
    ", compiled by " BUILD_COMPILER ", 64-bit";

static int
need_session(const FnCall *call, const char *fname, Err *err)
{
    if (call->ctx->session == NULL)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "%s() needs a session", fname);
    return 0;
}

static Datum
text_result(const FnCall *call, const char *s)
{
    return datum_from_cstr(call->ctx->arena, s);
}

BUILTIN(fn_version)
{
    (void)isnull, (void)err;
    *result = text_result(call, VERSION_STRING);
    return 0;
}

BUILTIN(fn_current_setting)
{
    const char *name = datum_get_var(call->args[0])->data;
    bool missing_ok = call->nargs > 1 && datum_get_bool(call->args[1]);
    const char *value;

    if (need_session(call, "current_setting", err) < 0)
        return -1;
    value = guc_show(session_guc(call->ctx->session), name, NULL, missing_ok ? NULL : err);
    if (value == NULL) {
        if (!missing_ok)
            return -1;
        *isnull = true;
        return 0;
    }
    *result = text_result(call, value);
    return 0;
}

BUILTIN(fn_set_config)
{
    GucState *g;
    const char *name, *value;
    bool is_local = !call->nulls[2] && datum_get_bool(call->args[2]);

    if (need_session(call, "set_config", err) < 0)
        return -1;
    if (call->nulls[0])
        return ERR_RAISE(err, ERRCODE_NULL_VALUE_NOT_ALLOWED, "SET requires parameter name");
    g = session_guc(call->ctx->session);
    name = datum_get_var(call->args[0])->data;
    value = call->nulls[1] ? NULL : datum_get_var(call->args[1])->data;
    if (guc_set(g, name, value, is_local ? GUC_SCOPE_LOCAL : GUC_SCOPE_SESSION, err) < 0)
        return -1;
    *isnull = false;
    *result = text_result(call, guc_show(g, name, NULL, NULL));
    return 0;
}

BUILTIN(fn_current_database)
{
    (void)isnull;
    if (need_session(call, "current_database", err) < 0)
        return -1;
    *result = text_result(call, sql_session_database(call->ctx->session));
    return 0;
}

BUILTIN(fn_current_schema)
{
    (void)isnull, (void)err;
    *result = text_result(call, "public");
    return 0;
}

BUILTIN(fn_current_user)
{
    (void)isnull;
    if (need_session(call, "current_user", err) < 0)
        return -1;
    *result = text_result(call, sql_session_user(call->ctx->session));
    return 0;
}

BUILTIN(fn_session_user)
{
    (void)isnull;
    if (need_session(call, "session_user", err) < 0)
        return -1;
    *result = text_result(call, sql_session_user(call->ctx->session));
    return 0;
}

BUILTIN(fn_pg_backend_pid)
{
    (void)isnull;
    if (need_session(call, "pg_backend_pid", err) < 0)
        return -1;
    *result = datum_from_int32(session_backend_pid(call->ctx->session));
    return 0;
}

BUILTIN(fn_pg_sleep)
{
    double secs = datum_get_float8(call->args[0]);
    int64_t end;

    (void)isnull;
    *result = 0;
    if (isnan(secs) || secs <= 0)
        return expr_check_interrupts(call->ctx, err);
    if (secs > 1e9)
        secs = 1e9;
    end = clock_monotonic_ns() + (int64_t)(secs * 1e9);
    for (;;) {
        int64_t left_us = (end - clock_monotonic_ns()) / 1000;

        if (expr_check_interrupts(call->ctx, err) < 0)
            return -1;
        if (left_us <= 0)
            return 0;
        clock_sleep_us(left_us < SLEEP_SLICE_US ? left_us : SLEEP_SLICE_US);
    }
}
