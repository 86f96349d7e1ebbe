/*
 * tests/clients/libpq_test.c — libpq in C as a client.
 *
 *   cc -std=c11 -Wall -o libpq_test tests/clients/libpq_test.c \
 *      -I"$(pg_config --includedir)" -lpq
 *   PGHOST=127.0.0.1 PGPORT=N ./libpq_test
 *
 * Built by tests/clients/run.sh into a temporary directory (not by meson: it
 * is a client of the server, not part of it). Connects with the usual PG*
 * environment variables (PGUSER and PGDATABASE default to postgres and
 * regression). Covers PQexec (several statements, errors), PQexecParams with
 * text and binary parameters and results, PQprepare/PQexecPrepared,
 * PQdescribePrepared/PQdescribePortal, pipeline mode, PQcancel of pg_sleep,
 * and the error fields (SQLSTATE, position, hint). Prints one line per check
 * and "N passed, N failed".
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

static int passed;
static int failed;
static int current_failed; /* the running check has failed */
static const char *current_name;

#define INT2OID 21
#define INT4OID 23
#define INT8OID 20
#define BOOLOID 16
#define TEXTOID 25
#define VOIDOID 2278

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
fail(const char *fmt, ...)
{
    va_list ap;
    if (!current_failed)
        printf("not ok - %s\n", current_name);
    current_failed = 1;
    printf("    ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

#define EXPECT(cond, ...)                                                    \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fail("line %d: %s", __LINE__, #cond);                            \
            fail(__VA_ARGS__);                                               \
        }                                                                    \
    } while (0)

#define EXPECT_STR(got, want)                                                         \
    do {                                                                              \
        const char *g_ = (got), *w_ = (want);                                         \
        if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_) != 0))              \
            fail("line %d: %s: got '%s', want '%s'", __LINE__, #got, g_ ? g_ : "(null)", \
                 w_ ? w_ : "(null)");                                                 \
    } while (0)

static PGconn *
connect_db(void)
{
    PGconn *c = PQconnectdb("connect_timeout=10 application_name=libpq_test");
    if (PQstatus(c) != CONNECTION_OK) {
        fail("connect: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    return c;
}

static void
run(const char *name, void (*fn)(PGconn *))
{
    current_name = name;
    current_failed = 0;
    PGconn *c = connect_db();
    if (c) {
        fn(c);
        PQfinish(c);
    }
    if (current_failed) {
        failed++;
    } else {
        passed++;
        printf("ok - %s\n", name);
    }
    fflush(stdout);
}

/* Runs sql, expects an error with the given SQLSTATE; returns the result (caller clears). */
static PGresult *
expect_error(PGconn *c, const char *sql, const char *sqlstate)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_FATAL_ERROR)
        fail("'%s' did not fail: %s", sql, PQresStatus(PQresultStatus(r)));
    else
        EXPECT_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), sqlstate);
    return r;
}

static void
t_exec_simple(PGconn *c)
{
    PGresult *r = PQexec(c, "SELECT 1 AS one, 'two' AS two, true AS t, NULL::int8 AS n");
    EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQresultErrorMessage(r));
    EXPECT(PQntuples(r) == 1 && PQnfields(r) == 4, "shape %dx%d", PQntuples(r), PQnfields(r));
    EXPECT_STR(PQgetvalue(r, 0, 0), "1");
    EXPECT_STR(PQgetvalue(r, 0, 1), "two");
    EXPECT_STR(PQgetvalue(r, 0, 2), "t");
    EXPECT(PQgetisnull(r, 0, 3), "NULL");
    EXPECT_STR(PQfname(r, 1), "two");
    EXPECT(PQftype(r, 0) == INT4OID && PQftype(r, 1) == TEXTOID && PQftype(r, 2) == BOOLOID &&
               PQftype(r, 3) == INT8OID,
           "types %u %u %u %u", PQftype(r, 0), PQftype(r, 1), PQftype(r, 2), PQftype(r, 3));
    EXPECT(PQfformat(r, 0) == 0, "text format");
    EXPECT(PQftable(r, 0) == 0 && PQftablecol(r, 0) == 0, "no table");
    EXPECT(PQfmod(r, 0) == -1, "typmod %d", PQfmod(r, 0));
    EXPECT(PQfsize(r, 0) == 4 && PQfsize(r, 3) == 8 && PQfsize(r, 1) == -1 && PQfsize(r, 2) == 1,
           "sizes %d %d %d %d", PQfsize(r, 0), PQfsize(r, 1), PQfsize(r, 2), PQfsize(r, 3));
    EXPECT_STR(PQcmdStatus(r), "SELECT 1");
    EXPECT_STR(PQcmdTuples(r), "1");
    PQclear(r);

    /* Several statements: PQexec returns the last result. */
    r = PQexec(c, "SELECT 1; SET application_name = 'x'; SELECT 'last' AS l");
    EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQresultErrorMessage(r));
    EXPECT_STR(PQgetvalue(r, 0, 0), "last");
    PQclear(r);
    EXPECT_STR(PQparameterStatus(c, "application_name"), "x");

    r = PQexec(c, "");
    EXPECT(PQresultStatus(r) == PGRES_EMPTY_QUERY, "%s", PQresStatus(PQresultStatus(r)));
    PQclear(r);
    r = PQexec(c, "SET TimeZone = 'UTC'");
    EXPECT(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
    EXPECT_STR(PQcmdStatus(r), "SET");
    PQclear(r);
    r = PQexec(c, "SELECT pg_sleep(0)");
    EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK && PQftype(r, 0) == VOIDOID, "void");
    EXPECT_STR(PQgetvalue(r, 0, 0), "");
    EXPECT(!PQgetisnull(r, 0, 0), "void is not NULL");
    PQclear(r);
}

static void
t_parameter_status(PGconn *c)
{
    EXPECT(PQprotocolVersion(c) == 3, "protocol");
    EXPECT(PQserverVersion(c) >= 150000 && PQserverVersion(c) < 160000, "version %d",
           PQserverVersion(c));
    EXPECT(strncmp(PQparameterStatus(c, "server_version"), "15", 2) == 0, "server_version");
    EXPECT_STR(PQparameterStatus(c, "client_encoding"), "UTF8");
    EXPECT_STR(PQparameterStatus(c, "server_encoding"), "UTF8");
    EXPECT_STR(PQparameterStatus(c, "application_name"), "libpq_test");
    EXPECT_STR(PQparameterStatus(c, "integer_datetimes"), "on");
    EXPECT_STR(PQparameterStatus(c, "standard_conforming_strings"), "on");
    EXPECT(PQparameterStatus(c, "TimeZone") != NULL, "TimeZone");
    EXPECT(PQparameterStatus(c, "DateStyle") != NULL, "DateStyle");
    EXPECT(PQbackendPID(c) > 0, "pid");
    EXPECT(PQtransactionStatus(c) == PQTRANS_IDLE, "idle");
    PGresult *r = PQexec(c, "BEGIN");
    PQclear(r);
    EXPECT(PQtransactionStatus(c) == PQTRANS_INTRANS, "in transaction");
    r = PQexec(c, "SELECT 1 / 0");
    PQclear(r);
    EXPECT(PQtransactionStatus(c) == PQTRANS_INERROR, "in failed transaction");
    r = PQexec(c, "ROLLBACK");
    EXPECT_STR(PQcmdStatus(r), "ROLLBACK");
    PQclear(r);
    EXPECT(PQtransactionStatus(c) == PQTRANS_IDLE, "idle again");
}

static void
t_exec_params_text(PGconn *c)
{
    const char *values[4] = {"41", "abc", NULL, "t"};
    Oid types[4] = {INT4OID, 0, INT8OID, BOOLOID};
    PGresult *r = PQexecParams(c, "SELECT $1 + 1, $2 || 'd', $3 IS NULL, NOT $4", 4, types,
                               values, NULL, NULL, 0);
    EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQresultErrorMessage(r));
    EXPECT_STR(PQgetvalue(r, 0, 0), "42");
    EXPECT_STR(PQgetvalue(r, 0, 1), "abcd");
    EXPECT_STR(PQgetvalue(r, 0, 2), "t");
    EXPECT_STR(PQgetvalue(r, 0, 3), "f");
    EXPECT(PQftype(r, 1) == TEXTOID, "inferred text");
    PQclear(r);

    /* Untyped parameters take the type the context gives them. */
    const char *v2[2] = {"7", "8"};
    r = PQexecParams(c, "SELECT $1::int8 * $2", 2, NULL, v2, NULL, NULL, 0);
    EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQresultErrorMessage(r));
    EXPECT_STR(PQgetvalue(r, 0, 0), "56");
    EXPECT(PQftype(r, 0) == INT8OID, "int8 result");
    PQclear(r);

    /* Bad input for a parameter: 22P02 at Bind. */
    const char *bad[1] = {"forty-two"};
    Oid int4[1] = {INT4OID};
    r = PQexecParams(c, "SELECT $1", 1, int4, bad, NULL, NULL, 0);
    EXPECT(PQresultStatus(r) == PGRES_FATAL_ERROR, "bad input accepted");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), "22P02");
    PQclear(r);
    /* Too few values for the statement's parameters: 08P01. */
    r = PQexecParams(c, "SELECT $1::int + $2::int", 1, NULL, v2, NULL, NULL, 0);
    EXPECT(PQresultStatus(r) == PGRES_FATAL_ERROR, "parameter count mismatch accepted");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), "08P01");
    PQclear(r);
    r = PQexec(c, "SELECT 'alive'");
    EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "usable after errors");
    PQclear(r);
}

static uint64_t
be64(const char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | (uint8_t)p[i];
    return v;
}

static void
t_exec_params_binary(PGconn *c)
{
    /* Binary parameters: int2, int4, int8, bool, text. */
    int16_t p2 = (int16_t)htons((uint16_t)-300);
    int32_t p4 = (int32_t)htonl(100000u);
    uint64_t v8 = (uint64_t)-5000000000LL;
    char p8[8];
    for (int i = 0; i < 8; i++)
        p8[i] = (char)(v8 >> (56 - 8 * i));
    char pb = 1;
    const char *values[5] = {(char *)&p2, (char *)&p4, p8, &pb, "bin"};
    int lengths[5] = {2, 4, 8, 1, 3};
    int formats[5] = {1, 1, 1, 1, 1};
    Oid types[5] = {INT2OID, INT4OID, INT8OID, BOOLOID, TEXTOID};
    PGresult *r = PQexecParams(c, "SELECT $1, $2, $3, $4, $5, NULL::int4, '日本'::text", 5, types,
                               values, lengths, formats, 1);
    EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQresultErrorMessage(r));
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        for (int i = 0; i < PQnfields(r); i++)
            EXPECT(PQfformat(r, i) == 1, "column %d not binary", i);
        EXPECT(PQgetlength(r, 0, 0) == 2 && PQgetlength(r, 0, 1) == 4 &&
                   PQgetlength(r, 0, 2) == 8 && PQgetlength(r, 0, 3) == 1 &&
                   PQgetlength(r, 0, 4) == 3,
               "lengths %d %d %d %d %d", PQgetlength(r, 0, 0), PQgetlength(r, 0, 1),
               PQgetlength(r, 0, 2), PQgetlength(r, 0, 3), PQgetlength(r, 0, 4));
        int16_t g2;
        int32_t g4;
        memcpy(&g2, PQgetvalue(r, 0, 0), 2);
        memcpy(&g4, PQgetvalue(r, 0, 1), 4);
        EXPECT((int16_t)ntohs((uint16_t)g2) == -300, "int2 %d", (int16_t)ntohs((uint16_t)g2));
        EXPECT((int32_t)ntohl((uint32_t)g4) == 100000, "int4");
        EXPECT((int64_t)be64(PQgetvalue(r, 0, 2)) == -5000000000LL, "int8");
        EXPECT(PQgetvalue(r, 0, 3)[0] == 1, "bool");
        EXPECT(memcmp(PQgetvalue(r, 0, 4), "bin", 3) == 0, "text");
        EXPECT(PQgetisnull(r, 0, 5), "null");
        EXPECT(PQgetlength(r, 0, 6) == 6 && memcmp(PQgetvalue(r, 0, 6), "日本", 6) == 0, "utf8");
    }
    PQclear(r);

    /* A binary int4 too long: 22P03; too short: 08P01 ("insufficient data left"). */
    const char *bad[1] = {"abcde"};
    int badlen[1] = {5};
    int badfmt[1] = {1};
    Oid int4[1] = {INT4OID};
    r = PQexecParams(c, "SELECT $1", 1, int4, bad, badlen, badfmt, 0);
    EXPECT(PQresultStatus(r) == PGRES_FATAL_ERROR, "5-byte binary int4 accepted");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), "22P03");
    PQclear(r);
    badlen[0] = 3;
    r = PQexecParams(c, "SELECT $1", 1, int4, bad, badlen, badfmt, 0);
    EXPECT(PQresultStatus(r) == PGRES_FATAL_ERROR, "3-byte binary int4 accepted");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), "08P01");
    PQclear(r);
    r = PQexec(c, "SELECT 'alive'");
    EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "usable after bad binary parameters");
    PQclear(r);
}

static void
t_prepare_and_describe(PGconn *c)
{
    Oid types[1] = {INT8OID};
    PGresult *r = PQprepare(c, "st1", "SELECT $1 * 2 AS doubled, $2 || 'x' AS s", 1, types);
    EXPECT(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
    PQclear(r);

    r = PQdescribePrepared(c, "st1");
    EXPECT(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
    EXPECT(PQnparams(r) == 2, "nparams %d", PQnparams(r));
    if (PQnparams(r) == 2)
        EXPECT(PQparamtype(r, 0) == INT8OID && PQparamtype(r, 1) == TEXTOID,
               "param types %u %u", PQparamtype(r, 0), PQparamtype(r, 1));
    EXPECT(PQnfields(r) == 2, "nfields");
    EXPECT_STR(PQfname(r, 0), "doubled");
    EXPECT(PQftype(r, 0) == INT8OID && PQftype(r, 1) == TEXTOID, "result types");
    PQclear(r);

    for (int i = 0; i < 5; i++) {
        char a[16], b[16], want[16];
        snprintf(a, sizeof a, "%d", i * 1000);
        snprintf(b, sizeof b, "v%d", i);
        const char *values[2] = {a, b};
        r = PQexecPrepared(c, "st1", 2, values, NULL, NULL, i % 2);
        EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQresultErrorMessage(r));
        if (i % 2 == 0) {
            snprintf(want, sizeof want, "%d", i * 2000);
            EXPECT_STR(PQgetvalue(r, 0, 0), want);
        } else {
            EXPECT((int64_t)be64(PQgetvalue(r, 0, 0)) == i * 2000, "binary result");
        }
        PQclear(r);
    }

    /* Same name again: 42P05. Unknown name: 26000. */
    r = PQprepare(c, "st1", "SELECT 1", 0, NULL);
    EXPECT(PQresultStatus(r) == PGRES_FATAL_ERROR, "duplicate accepted");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42P05");
    PQclear(r);
    r = PQexecPrepared(c, "nosuch", 0, NULL, NULL, NULL, 0);
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), "26000");
    PQclear(r);
    r = PQdescribePrepared(c, "nosuch");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), "26000");
    PQclear(r);

    /* A statement with no result columns. */
    r = PQprepare(c, "st_set", "SET application_name = 'prepared'", 0, NULL);
    PQclear(r);
    r = PQdescribePrepared(c, "st_set");
    EXPECT(PQresultStatus(r) == PGRES_COMMAND_OK && PQnfields(r) == 0, "NoData");
    PQclear(r);
    r = PQexecPrepared(c, "st_set", 0, NULL, NULL, NULL, 0);
    EXPECT(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
    PQclear(r);
    EXPECT_STR(PQparameterStatus(c, "application_name"), "prepared");

    /* Closing a statement (libpq 17 has PQclosePrepared; DEALLOCATE is SQL). */
    r = PQprepare(c, "", "SELECT $1::int2 AS unnamed", 0, NULL);
    EXPECT(PQresultStatus(r) == PGRES_COMMAND_OK, "unnamed: %s", PQresultErrorMessage(r));
    PQclear(r);
    r = PQdescribePrepared(c, "");
    EXPECT(PQnparams(r) == 1 && PQparamtype(r, 0) == INT2OID, "unnamed param");
    PQclear(r);
    /* An unknown parameter type nothing determines: 42P18. */
    r = PQprepare(c, "st_unknown", "SELECT $1", 0, NULL);
    EXPECT(PQresultStatus(r) == PGRES_COMMAND_OK, "SELECT $1 prepares (as text): %s",
           PQresultErrorMessage(r));
    PQclear(r);
    r = PQdescribePrepared(c, "st_unknown");
    EXPECT(PQnparams(r) == 1 && PQparamtype(r, 0) == TEXTOID, "SELECT $1 param is text");
    PQclear(r);
    r = PQprepare(c, "st_indeterminate", "SELECT $1 IS NULL", 0, NULL);
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42P18");
    PQclear(r);
}

static void
t_error_fields(PGconn *c)
{
    PGresult *r = expect_error(c, "SELECT 1 +", "42601");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION), "11");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY), "syntax error at end of input");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_SEVERITY), "ERROR");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED), "ERROR");
    PQclear(r);
    r = expect_error(c, "SELECT '日本', nosuchcol", "42703");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION), "14");
    PQclear(r);
    r = expect_error(c, "SELECT 1 = true", "42883");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION), "10");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_MESSAGE_HINT),
               "No operator matches the given name and argument types. You might need to add "
               "explicit type casts.");
    PQclear(r);
    r = expect_error(c, "SELECT 1 / 0", "22012");
    EXPECT(PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION) == NULL, "no position");
    EXPECT_STR(PQresultErrorMessage(r), "ERROR:  division by zero\n");
    PQclear(r);
    r = expect_error(c, "SET no_such = 1", "42704");
    PQclear(r);
    r = expect_error(c, "SELECT 'x'::boolean", "22P02");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION), "8");
    PQclear(r);
    /* Verbose error text: what psql shows with \set VERBOSITY default. */
    r = expect_error(c, "SELECT nosuchcol", "42703");
    EXPECT_STR(PQresultErrorMessage(r),
               "ERROR:  column \"nosuchcol\" does not exist\nLINE 1: SELECT nosuchcol\n"
               "               ^\n");
    PQclear(r);
}

static void
t_pipeline(PGconn *c)
{
    if (PQenterPipelineMode(c) != 1) {
        fail("PQenterPipelineMode: %s", PQerrorMessage(c));
        return;
    }
    const char *one[1] = {"1"};
    const char *zero[1] = {"0"};
    PQsendQueryParams(c, "SELECT 10 / $1::int4", 1, NULL, one, NULL, NULL, 0);
    PQsendQueryParams(c, "SELECT 'second'", 0, NULL, NULL, NULL, NULL, 0);
    PQpipelineSync(c);
    PQsendQueryParams(c, "SELECT 10 / $1::int4", 1, NULL, zero, NULL, NULL, 0);
    PQsendQueryParams(c, "SELECT 'skipped'", 0, NULL, NULL, NULL, NULL, 0);
    PQpipelineSync(c);
    PQsendQueryParams(c, "SELECT 'third sync'", 0, NULL, NULL, NULL, NULL, 0);
    PQpipelineSync(c);

    /* Expected sequence of result statuses (NULL = end of one query's results). */
    ExecStatusType want[] = {PGRES_TUPLES_OK, 0, PGRES_TUPLES_OK, 0, PGRES_PIPELINE_SYNC,
                             PGRES_FATAL_ERROR, 0, PGRES_PIPELINE_ABORTED, 0,
                             PGRES_PIPELINE_SYNC, PGRES_TUPLES_OK, 0, PGRES_PIPELINE_SYNC};
    int n = (int)(sizeof want / sizeof want[0]);
    for (int i = 0; i < n; i++) {
        PGresult *r = PQgetResult(c);
        ExecStatusType got = r ? PQresultStatus(r) : 0;
        if (got != want[i]) {
            fail("pipeline result %d: got %s, want %s (%s)", i, r ? PQresStatus(got) : "NULL",
                 want[i] ? PQresStatus(want[i]) : "NULL", r ? PQresultErrorMessage(r) : "");
            PQclear(r);
            break;
        }
        if (i == 0)
            EXPECT_STR(PQgetvalue(r, 0, 0), "10");
        if (i == 5)
            EXPECT_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), "22012");
        if (i == 10)
            EXPECT_STR(PQgetvalue(r, 0, 0), "third sync");
        PQclear(r);
    }
    if (PQexitPipelineMode(c) != 1)
        fail("PQexitPipelineMode: %s", PQerrorMessage(c));
    PGresult *r = PQexec(c, "SELECT 'after pipeline'");
    EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQresultErrorMessage(r));
    PQclear(r);
}

static void *
cancel_later(void *arg)
{
    PGcancel *cancel = arg;
    char errbuf[256];
    usleep(500 * 1000);
    if (!PQcancel(cancel, errbuf, sizeof errbuf))
        fprintf(stderr, "PQcancel: %s\n", errbuf);
    return NULL;
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
t_cancel(PGconn *c)
{
    PGcancel *cancel = PQgetCancel(c);
    pthread_t th;
    pthread_create(&th, NULL, cancel_later, cancel);
    double t0 = now_s();
    PGresult *r = expect_error(c, "SELECT pg_sleep(10)", "57014");
    EXPECT_STR(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY),
               "canceling statement due to user request");
    PQclear(r);
    pthread_join(th, NULL);
    double secs = now_s() - t0;
    EXPECT(secs < 5, "cancel took %.1f s", secs);
    PQfreeCancel(cancel);
    r = PQexec(c, "SELECT 'after cancel'");
    EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQresultErrorMessage(r));
    PQclear(r);

    /* A cancel request with a wrong key is ignored, silently. */
    PGconn *other = connect_db();
    if (other) {
        PGcancel *oc = PQgetCancel(other);
        char errbuf[256];
        PQcancel(oc, errbuf, sizeof errbuf);
        PQfreeCancel(oc);
        r = PQexec(c, "SELECT pg_sleep(0)");
        EXPECT(PQresultStatus(r) == PGRES_TUPLES_OK, "idle cancel of another session hurt us");
        PQclear(r);
        PQfinish(other);
    }
}

static void
notice_receiver(void *arg, const PGresult *res)
{
    int *count = arg;
    if (strcmp(PQresultErrorField(res, PG_DIAG_SQLSTATE), "25P01") == 0)
        (*count)++;
}

static void
t_notices(PGconn *c)
{
    int count = 0;
    PQsetNoticeReceiver(c, notice_receiver, &count);
    PGresult *r = PQexec(c, "COMMIT");
    EXPECT(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
    PQclear(r);
    r = PQexec(c, "ROLLBACK; COMMIT");
    PQclear(r);
    EXPECT(count == 3, "notices %d", count);
}

int
main(void)
{
    if (!getenv("PGPORT")) {
        fprintf(stderr, "set PGPORT\n");
        return 2;
    }
    if (!getenv("PGUSER"))
        setenv("PGUSER", "postgres", 1);
    if (!getenv("PGDATABASE"))
        setenv("PGDATABASE", "regression", 1);
    if (!getenv("PGHOST"))
        setenv("PGHOST", "127.0.0.1", 1);
    run("exec_simple", t_exec_simple);
    run("parameter_status_and_transaction_status", t_parameter_status);
    run("exec_params_text", t_exec_params_text);
    run("exec_params_binary", t_exec_params_binary);
    run("prepare_and_describe", t_prepare_and_describe);
    run("error_fields", t_error_fields);
    run("pipeline", t_pipeline);
    run("cancel", t_cancel);
    run("notices", t_notices);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
