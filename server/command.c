/*
 * server/command.c — the few SQL statements the server answers itself
 * because what they act on lives in server/, not in sql/.
 *
 * Today that is DEALLOCATE [PREPARE] {name | ALL}: protocol-level prepared
 * statements (Parse) and SQL-level ones share one namespace in PostgreSQL,
 * and ours is the session's table (prepared.c), which sql/ cannot reach.
 * Drivers depend on it: psycopg 3 sends "DEALLOCATE ALL" after every
 * rollback once it has prepared something (by default after a query ran five
 * times), and "DEALLOCATE name" when its statement cache overflows, through
 * the extended protocol (Parse/Bind/Execute) as well as through Query.
 *
 * Recognition is deliberately narrow: the whole string must be the command
 * (blanks, one optional ';'). Anything else, e.g. DEALLOCATE inside a longer
 * script, goes to sql/, which answers 0A000. The lasting fix is a session
 * action in sql.h (sql/ classifies the statement; the server acts on it);
 * then this file shrinks to command_run().
 *
 * Invariants:
 *   1. command_parse() never accepts text PostgreSQL would reject.
 *   2. Identifiers fold to lower case unless double-quoted, as in SQL; a
 *      name longer than SessionCommand.name is not recognised (sql/ then
 *      answers), never truncated.
 *   3. DEALLOCATE is not transactional and does not touch portals (a portal
 *      keeps its statement alive, prepared.c); in a failed transaction block
 *      it fails with 25P02 like any statement but COMMIT/ROLLBACK.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "server/server_int.h"

static const char *
skip_blanks(const char *p)
{
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            p++;
        if (p[0] != '-' || p[1] != '-')
            return p;
        while (*p != '\0' && *p != '\n')
            p++; /* a -- comment */
    }
}

/* The keyword kw (any case) followed by something that cannot continue it. */
static const char *
match_keyword(const char *p, const char *kw)
{
    size_t n = strlen(kw);

    if (strncasecmp(p, kw, n) != 0 || isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '$' ||
        (unsigned char)p[n] >= 0x80)
        return NULL;
    return skip_blanks(p + n);
}

static const char *
match_quoted(const char *p, char *out, size_t cap)
{
    size_t n = 0;

    for (p++;; p++) {
        if (*p == '\0')
            return NULL;
        if (*p == '"') {
            if (p[1] != '"')
                break;
            p++;
        }
        if (n + 1 >= cap)
            return NULL;
        out[n++] = *p;
    }
    if (n == 0)
        return NULL; /* "" is not an identifier */
    out[n] = '\0';
    return skip_blanks(p + 1);
}

/* An identifier, lower-cased unless double-quoted; NULL when there is none. */
static const char *
match_identifier(const char *p, char *out, size_t cap)
{
    size_t n = 0;

    if (*p == '"')
        return match_quoted(p, out, cap);
    if (!isalpha((unsigned char)*p) && *p != '_' && (unsigned char)*p < 0x80)
        return NULL;
    while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || (unsigned char)*p >= 0x80) {
        if (n + 1 >= cap)
            return NULL;
        out[n++] = (char)tolower((unsigned char)*p++);
    }
    out[n] = '\0';
    return skip_blanks(p);
}

bool
command_parse(const char *text, SessionCommand *out)
{
    const char *p = match_keyword(skip_blanks(text), "deallocate"), *q;

    if (p == NULL)
        return false;
    if ((q = match_keyword(p, "prepare")) != NULL)
        p = q;
    out->name[0] = '\0';
    if ((q = match_keyword(p, "all")) != NULL) {
        out->kind = COMMAND_DEALLOCATE_ALL;
        p = q;
    } else {
        out->kind = COMMAND_DEALLOCATE;
        p = match_identifier(p, out->name, sizeof out->name);
        if (p == NULL)
            return false;
    }
    if (*p == ';')
        p = skip_blanks(p + 1);
    return *p == '\0';
}

static void
unref_prepared(void *value, void *arg)
{
    (void)arg;
    prepared_unref(value);
}

int
command_run(Session *s, const SessionCommand *cmd, Err *err)
{
    Prepared *prep;

    if (sql_session_txn_status(s->sql) == 'E')
        return ERR_RAISE(err, ERRCODE_IN_FAILED_SQL_TRANSACTION,
                         "current transaction is aborted, commands ignored until end of "
                         "transaction block");
    switch (cmd->kind) {
    case COMMAND_DEALLOCATE_ALL:
        namemap_clear(&s->statements, unref_prepared, NULL);
        wire_put_command_complete(&s->out, "DEALLOCATE ALL");
        return 0;
    case COMMAND_DEALLOCATE:
        prep = namemap_take(&s->statements, cmd->name);
        if (prep == NULL)
            return ERR_RAISE(err, ERRCODE_INVALID_SQL_STATEMENT_NAME,
                             "prepared statement \"%s\" does not exist", cmd->name);
        prepared_unref(prep);
        wire_put_command_complete(&s->out, "DEALLOCATE");
        return 0;
    }
    return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "unknown server command %d", (int)cmd->kind);
}
