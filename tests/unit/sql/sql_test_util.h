/*
 * tests/unit/sql/sql_test_util.h — helpers shared by the sql/ Check suites:
 * run SQL through the public sql.h API exactly as the server does and get
 * the outcome back as one comparable string.
 */
#ifndef RIVULET_TESTS_SQL_TEST_UTIL_H
#define RIVULET_TESTS_SQL_TEST_UTIL_H

#include "sql/sql.h"

/* A session as after a successful startup: user and database "postgres", backend pid 4242. */
SqlSession *test_session(void);

/*
 * Runs every statement of sql through the simple-query path (parse →
 * prepare_simple → bind → execute → fetch, text format) and describes the
 * last result: rows as "a|b" lines joined by '\n' (NULL shown as <NULL>),
 * or "ERROR <sqlstate>: <message> @<position>" for a failure (which also
 * ends the message as the server would). Statements returning no rows give
 * their command tag. The string lives until the next call.
 */
const char *run(SqlSession *s, const char *sql);

/* The columns of the last successful run(): "name:oid:typlen,..." */
const char *run_columns(void);
/* The command tag of the last successful run(). */
const char *run_tag(void);
/* The last error of run() (level ERR_NONE when it succeeded). */
const Err *run_error(void);
/* Drains the session's notices into "LEVEL sqlstate: message;" items. */
const char *take_notices(SqlSession *s);

#endif
