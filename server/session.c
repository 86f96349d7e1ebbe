/*
 * server/session.c — one client session: its thread, its event loop, its
 * socket I/O and the connection state machine.
 *
 * The listener (postmaster.c) accepts the connection, reads and checks the
 * startup packet, registers the session (pid, cancel key) and calls
 * session_spawn(). From then on the session's thread owns the socket: it runs
 * its own event_base with one read event, frames incoming bytes with
 * wire_frame_message(), runs each message inline (query.c) and writes the
 * replies. A long statement therefore blocks only its own session.
 *
 *            listener hands over (startup packet accepted)
 *                         │
 *                         ▼
 *      ┌────────────── AUTH ◀──── 'p' (SCRAM later: challenge/response)
 *      │ trust: AuthenticationOk │ ok
 *      │                         ▼
 *      │   apply startup params, ParameterStatus*, BackendKeyData,
 *      │   ReadyForQuery
 *      │                         │
 *      │                         ▼
 *      │   ┌───────────────▶ READY ── Q: run script, ReadyForQuery
 *      │   │ Sync:             │  ── P/B/D/E/C/H/S: extended query
 *      │   │ ReadyForQuery     │  ── d/c/f ignored; F: 0A000 + ReadyForQuery
 *      │   │                   │ error in P/B/D/E/C/H
 *      │   │                   ▼
 *      │   └───────────── SKIP_TO_SYNC (every message but Sync/Terminate dropped)
 *      │                         │
 *      ▼                         ▼ FATAL sent, Terminate, EOF, peer gone,
 *   CLOSING ◀──────────────────────  shutdown (FATAL 57P01), auth timeout
 *      │
 *      ▼  flush what is left (1 s at most), shutdown(SHUT_WR), drain, close,
 *         unregister, free
 *
 * Invariants:
 *   1. Every message's length is checked against the ceiling for its type
 *      (10,000 bytes for the small control messages, --max-message-size for
 *      the rest) before the input buffer grows for it, so the input buffer
 *      never exceeds the ceiling plus one read chunk.
 *   2. The output buffer is flushed whenever it passes SESSION_OUT_HIGH_WATER,
 *      including between rows of one result; a client that does not read
 *      blocks its own session (waiting on writability, 100 ms at a time,
 *      watching for shutdown), never grows the server's memory.
 *   3. Buffers that grew for a large message or result are released once
 *      empty, and malloc_trim() then hands the freed pages back to the OS
 *      (glibc keeps a thread's freed memory otherwise), so an idle session
 *      holds a few tens of kilobytes whatever it did before.
 *   4. A type byte that is not valid in the current state is FATAL 08P01
 *      before its length is even read (PostgreSQL's order).
 *   5. The interrupt flag is cleared when a message starts: a cancel that
 *      arrives while the session waits for input is dropped, as in
 *      PostgreSQL. The die flag is never cleared.
 *   6. After CLOSING nothing more is processed; after peer_gone nothing more
 *      is written.
 */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/clock.h"
#include "server/server_int.h"

#define READ_CHUNK ((size_t)16 * 1024)
#define IN_KEEP_CAP ((size_t)256 * 1024)
#define OUT_KEEP_CAP ((size_t)4 * 1024 * 1024)
#define POLL_SLICE_MS 100
#define FINAL_FLUSH_NS ((int64_t)1000 * 1000 * 1000)
#define LINGER_NS ((int64_t)200 * 1000 * 1000)

static void on_readable(evutil_socket_t fd, short what, void *arg);
static void on_wake(evutil_socket_t fd, short what, void *arg);
static void on_auth_timeout(evutil_socket_t fd, short what, void *arg);

/* ---- Creation and destruction ---------------------------------------------------- */

static void
free_start(SessionStart *st)
{
    buf_free(&st->packet);
    if (st->arena != NULL)
        arena_destroy(st->arena);
    st->arena = NULL;
}

Session *
session_create(const ServerConfig *cfg, SessionStart *start)
{
    Session *s = calloc(1, sizeof *s);

    if (s == NULL) {
        close(start->fd);
        free_start(start);
        return NULL;
    }
    s->cfg = cfg;
    s->fd = start->fd;
    memcpy(s->peer, start->peer, sizeof s->peer);
    s->start = *start;
    start->fd = -1;
    atomic_init(&s->interrupt, 0);
    atomic_init(&s->die, 0);
    s->state = SESSION_AUTH;
    buf_init(&s->in, cfg->max_message_size + READ_CHUNK);
    buf_init(&s->out, BUF_DEFAULT_MAX);
    namemap_init(&s->statements);
    namemap_init(&s->portals);
    s->msg_arena = arena_create("msg", 0);
    s->base = event_base_new();
    if (s->base != NULL) {
        s->read_ev = event_new(s->base, s->fd, EV_READ | EV_PERSIST, on_readable, s);
        s->wake_ev = event_new(s->base, -1, 0, on_wake, s);
        s->timeout_ev = evtimer_new(s->base, on_auth_timeout, s);
    }
    if (s->read_ev == NULL || s->wake_ev == NULL || s->timeout_ev == NULL) {
        LOG_ERROR("could not create the event loop of a session");
        session_destroy(s);
        return NULL;
    }
    return s;
}

void
session_destroy(Session *s)
{
    if (s == NULL)
        return;
    copy_abandon(s);
    query_drop_all(s);
    if (s->sql != NULL)
        sql_session_destroy(s->sql);
    if (s->read_ev != NULL)
        event_free(s->read_ev);
    if (s->wake_ev != NULL)
        event_free(s->wake_ev);
    if (s->timeout_ev != NULL)
        event_free(s->timeout_ev);
    if (s->base != NULL)
        event_base_free(s->base);
    free_start(&s->start);
    buf_free(&s->in);
    buf_free(&s->out);
    arena_destroy(s->msg_arena);
    namemap_free(&s->statements);
    namemap_free(&s->portals);
    if (s->fd >= 0)
        close(s->fd);
    free(s);
}

int32_t
session_pid(const Session *s)
{
    return s->pid;
}

int32_t
session_key(const Session *s)
{
    return s->key;
}

void
session_set_identity(Session *s, int32_t pid, int32_t key)
{
    s->pid = pid;
    s->key = key;
}

void
session_request_cancel(Session *s)
{
    atomic_store(&s->interrupt, 1);
}

void
session_request_die(Session *s)
{
    atomic_store(&s->die, 1);
    atomic_store(&s->interrupt, 1);
    event_active(s->wake_ev, EV_TIMEOUT, 0);
}

/* ---- Output ------------------------------------------------------------------------ */

static void
mark_peer_gone(Session *s)
{
    s->peer_gone = true;
    s->state = SESSION_CLOSING;
    buf_reset(&s->out);
}

/*
 * Sends all of s->out. Waits for writability in slices; gives up when the
 * peer fails, when deadline_ns (if non-zero) passes, or, if watch_die, when
 * the server shuts down.
 */
static int
flush_until(Session *s, int64_t deadline_ns, bool watch_die)
{
    size_t off = 0;

    if (s->peer_gone) {
        buf_reset(&s->out);
        return -1;
    }
    while (off < s->out.len) {
        ssize_t n = send(s->fd, s->out.data + off, s->out.len - off, MSG_NOSIGNAL);
        struct pollfd pfd = {.fd = s->fd, .events = POLLOUT};

        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            break;
        if ((watch_die && atomic_load(&s->die)) ||
            (deadline_ns != 0 && clock_monotonic_ns() > deadline_ns))
            break;
        if (poll(&pfd, 1, POLL_SLICE_MS) < 0 && errno != EINTR)
            break;
    }
    if (off < s->out.len) {
        mark_peer_gone(s);
        return -1;
    }
    buf_reset(&s->out);
    if (s->out.cap > OUT_KEEP_CAP) {
        buf_free(&s->out);
        s->needs_trim = true;
    }
    return 0;
}

int
session_flush(Session *s)
{
    return flush_until(s, 0, true);
}

/* ---- Errors, notices, ParameterStatus, ReadyForQuery --------------------------------- */

static void
put_status(void *arg, const char *name, const char *value)
{
    Session *s = arg;

    wire_put_parameter_status(&s->out, name, value);
}

static void
ignore_status(void *arg, const char *name, const char *value)
{
    (void)arg;
    (void)name;
    (void)value;
}

void
session_send_notices(Session *s)
{
    Err notice;

    if (s->sql == NULL)
        return;
    err_clear(&notice);
    while (sql_session_take_notice(s->sql, &notice)) {
        wire_put_notice(&s->out, &notice);
        err_clear(&notice);
    }
}

void
session_report_error(Session *s, Err *err)
{
    /* A statement interrupted by shutdown ends the session, as PostgreSQL's die(). */
    if (atomic_load(&s->die) && strcmp(err->sqlstate, ERRCODE_QUERY_CANCELED) == 0) {
        err_clear(err);
        ERR_RAISE_FATAL(err, ERRCODE_ADMIN_SHUTDOWN,
                        "terminating connection due to administrator command");
    }
    if (err->level < ERR_ERROR)
        err->level = ERR_ERROR;
    session_send_notices(s);
    if (!s->peer_gone)
        wire_put_error(&s->out, err);
    if (err->level == ERR_PANIC) {
        /* The house rule: PANIC ends the process (e.g. a failed fsync). */
        LOG_FATAL("PANIC in session %d: %s: %s", (int)s->pid, err->sqlstate, err->message);
        abort();
    }
    if (err->level >= ERR_FATAL) {
        LOG_INFO("session %d (%s): FATAL %s: %s", (int)s->pid, s->peer, err->sqlstate,
                 err->message);
        s->state = SESSION_CLOSING;
        return;
    }
    LOG_DEBUG("session %d: ERROR %s: %s", (int)s->pid, err->sqlstate, err->message);
    if (s->sql != NULL) {
        sql_session_statement_failed(s->sql);
        /* An implicit transaction ended with the error: its portals go with it. */
        if (sql_session_txn_status(s->sql) == 'I')
            query_drop_portals(s);
    }
}

void
session_ready_for_query(Session *s)
{
    sql_session_report_changes(s->sql, put_status, s);
    wire_put_ready_for_query(&s->out, sql_session_txn_status(s->sql));
}

static void
fatal(Session *s, const char *sqlstate, const char *message)
{
    Err err;

    err_clear(&err);
    err_raise(&err, ERR_FATAL, sqlstate, "%s", message);
    session_report_error(s, &err);
}

/* ---- Startup: authentication, then the session's settings ----------------------------- */

static const char *
startup_param(const WireStartup *st, const char *name)
{
    for (int i = 0; i < st->nparams; i++)
        if (strcmp(st->names[i], name) == 0)
            return st->values[i];
    return NULL;
}

/* NegotiateProtocolVersion when the client asked for 3.x > 3.0 or sent _pq_. options. */
static void
negotiate_protocol(Session *s)
{
    const WireStartup *st = &s->start.startup;
    const char **opts = arena_calloc(s->msg_arena, (size_t)st->nparams + 1, sizeof *opts);
    int n = 0;

    for (int i = 0; i < st->nparams; i++)
        if (strncmp(st->names[i], "_pq_.", 5) == 0)
            opts[n++] = st->names[i];
    if (n > 0 || st->protocol != WIRE_PROTOCOL_3_0)
        wire_put_negotiate_protocol_version(&s->out, WIRE_PROTOCOL_3_0, n, opts);
}

/* After authentication: settings from the startup packet, then ParameterStatus etc. */
static void
finish_startup(Session *s)
{
    const WireStartup *st = &s->start.startup;
    Err err;

    err_clear(&err);
    for (int i = 0; i < st->nparams; i++) {
        if (strncmp(st->names[i], "_pq_.", 5) == 0)
            continue;
        if (sql_session_startup_param(s->sql, st->names[i], st->values[i], &err) < 0)
            break;
    }
    if (!err_is_set(&err))
        sql_session_startup_done(s->sql, &err);
    if (err_is_set(&err)) {
        err.level = ERR_FATAL; /* an error during start-up ends the session (PostgreSQL) */
        session_report_error(s, &err);
        return;
    }
    sql_session_set_backend_pid(s->sql, s->pid);
    sql_session_set_interrupt(s->sql, &s->interrupt);
    sql_session_report_all(s->sql, put_status, s);
    sql_session_report_changes(s->sql, ignore_status, NULL);
    wire_put_backend_key_data(&s->out, s->pid, s->key);
    wire_put_ready_for_query(&s->out, sql_session_txn_status(s->sql));
    LOG_DEBUG("session %d (%s): connection authorized: user=%s database=%s", (int)s->pid, s->peer,
              sql_session_user(s->sql), sql_session_database(s->sql));
    free_start(&s->start);
    event_del(s->timeout_ev);
    s->state = SESSION_READY;
}

static void
after_auth(Session *s, AuthStatus status, Err *err)
{
    struct timeval tv;
    int64_t left;

    switch (status) {
    case AUTH_DONE:
        finish_startup(s);
        break;
    case AUTH_WAIT:
        left = s->start.deadline_ns - clock_monotonic_ns();
        if (left < 0)
            left = 0;
        tv.tv_sec = (time_t)(left / 1000000000);
        tv.tv_usec = (suseconds_t)(left % 1000000000 / 1000);
        evtimer_add(s->timeout_ev, &tv);
        s->state = SESSION_AUTH;
        break;
    case AUTH_FAILED:
        err->level = ERR_FATAL;
        session_report_error(s, err);
        break;
    }
}

static void
begin_session(Session *s)
{
    Err err;
    AuthStatus status;

    err_clear(&err);
    s->sql = sql_session_create();
    if (s->sql == NULL) {
        fatal(s, ERRCODE_OUT_OF_MEMORY, "out of memory");
        return;
    }
    negotiate_protocol(s);
    arena_reset(s->msg_arena);
    status = auth_start(&s->auth, AUTH_METHOD_TRUST, startup_param(&s->start.startup, "user"),
                        &s->out, &err);
    after_auth(s, status, &err);
}

static void
on_auth_timeout(evutil_socket_t fd, short what, void *arg)
{
    Session *s = arg;

    (void)fd;
    (void)what;
    if (s->state != SESSION_AUTH)
        return;
    fatal(s, ERRCODE_QUERY_CANCELED, "canceling authentication due to timeout");
    event_base_loopbreak(s->base);
}

/* ---- Input ----------------------------------------------------------------------------- */

/* Message types a client may send in the session's current state. */
static bool
type_allowed(const Session *s, char type)
{
    if (s->state == SESSION_AUTH)
        return type == WIRE_MSG_PASSWORD;
    return type != '\0' && strchr("QPBDESHCXdcfF", type) != NULL;
}

/* PostgreSQL caps these at PQ_SMALL_MESSAGE_LIMIT; the rest at --max-message-size. */
static size_t
type_limit(const Session *s, char type)
{
    size_t max = s->cfg->max_message_size;

    if (type != '\0' && strchr("SHDECXcf", type) != NULL && max > SESSION_SMALL_MESSAGE_LIMIT)
        return SESSION_SMALL_MESSAGE_LIMIT;
    return max;
}

static void
handle_frame(Session *s, char type, const uint8_t *body, size_t len)
{
    Err err;
    AuthStatus status;

    err_clear(&err);
    switch (s->state) {
    case SESSION_AUTH:
        status = auth_continue(&s->auth, body, len, &s->out, &err);
        after_auth(s, status, &err);
        break;
    case SESSION_SKIP_TO_SYNC:
        if (type == WIRE_MSG_TERMINATE) {
            s->state = SESSION_CLOSING;
            break;
        }
        if (type != WIRE_MSG_SYNC)
            break;
        s->state = SESSION_READY;
        query_dispatch(s, type, body, len);
        break;
    case SESSION_READY:
        query_dispatch(s, type, body, len);
        break;
    case SESSION_COPY_IN:
        copy_in_message(s, type, body, len);
        break;
    case SESSION_CLOSING:
        break;
    }
}

/* Starts a message: drops a stale cancel, unless the server is shutting down. */
static void
begin_message(Session *s)
{
    atomic_store(&s->interrupt, 0);
    if (atomic_load(&s->die))
        atomic_store(&s->interrupt, 1);
}

static void
bad_type(Session *s, char type)
{
    Err err;

    err_clear(&err);
    if (s->state == SESSION_AUTH)
        err_raise(&err, ERR_FATAL, ERRCODE_PROTOCOL_VIOLATION,
                  "expected password response, got message type %d", (int)(unsigned char)type);
    else
        err_raise(&err, ERR_FATAL, ERRCODE_PROTOCOL_VIOLATION, "invalid frontend message type %d",
                  (int)(unsigned char)type);
    session_report_error(s, &err);
}

/* Runs every complete message in s->in; keeps a partial one for later. */
static void
process_input(Session *s)
{
    size_t off = 0, frame_len;
    char type;
    Err err;

    while (s->state != SESSION_CLOSING && off < s->in.len) {
        const uint8_t *p = s->in.data + off;
        int r;

        if (atomic_load(&s->die)) {
            fatal(s, ERRCODE_ADMIN_SHUTDOWN, "terminating connection due to administrator command");
            break;
        }
        if (!type_allowed(s, (char)p[0])) {
            bad_type(s, (char)p[0]);
            break;
        }
        err_clear(&err);
        r = wire_frame_message(p, s->in.len - off, type_limit(s, (char)p[0]), &type, &frame_len,
                               &err);
        if (r < 0) {
            err.level = ERR_FATAL;
            session_report_error(s, &err);
            break;
        }
        if (r == 0)
            break;
        begin_message(s);
        handle_frame(s, type, p + 5, frame_len - 5);
        off += frame_len;
        arena_reset(s->msg_arena);
        if (s->state != SESSION_CLOSING && s->out.len >= SESSION_OUT_HIGH_WATER)
            session_flush(s);
    }
    buf_consume(&s->in, off);
    if (s->in.len == 0 && s->in.cap > IN_KEEP_CAP) {
        buf_free(&s->in);
        s->needs_trim = true;
    }
}

static void
on_readable(evutil_socket_t fd, short what, void *arg)
{
    Session *s = arg;
    ssize_t n;

    (void)what;
    if (!buf_reserve(&s->in, READ_CHUNK)) {
        /* Cannot happen: framing keeps s->in below its ceiling (invariant 1). */
        fatal(s, ERRCODE_PROTOCOL_VIOLATION, "message too large");
    } else {
        n = recv(fd, s->in.data + s->in.len, s->in.cap - s->in.len, 0);
        if (n == 0) {
            mark_peer_gone(s); /* EOF ends the session silently */
        } else if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                return;
            mark_peer_gone(s);
        } else {
            s->in.len += (size_t)n;
            process_input(s);
        }
    }
    if (s->state != SESSION_CLOSING && s->out.len > 0)
        session_flush(s);
    if (s->needs_trim && s->state != SESSION_CLOSING) {
        /*
         * A large message or result went through: give the memory freed by
         * this thread's malloc arena back to the OS now, not when the session
         * ends (invariant 3). Rare, so its cost does not matter.
         */
        malloc_trim(0);
        s->needs_trim = false;
    }
    if (s->state == SESSION_CLOSING)
        event_base_loopbreak(s->base);
}

static void
on_wake(evutil_socket_t fd, short what, void *arg)
{
    Session *s = arg;

    (void)fd;
    (void)what;
    if (!atomic_load(&s->die) || s->state == SESSION_CLOSING)
        return;
    fatal(s, ERRCODE_ADMIN_SHUTDOWN, "terminating connection due to administrator command");
    event_base_loopbreak(s->base);
}

/* ---- The thread ---------------------------------------------------------------------- */

/*
 * Closes so that a FATAL we just sent is not lost to a TCP reset: shut our
 * side, then read and drop what the client still sends until it closes
 * (bounded in time), and only then close.
 */
static void
close_gracefully(Session *s)
{
    uint8_t scratch[4096];
    int64_t deadline = clock_monotonic_ns() + LINGER_NS;

    if (!s->peer_gone && shutdown(s->fd, SHUT_WR) == 0) {
        for (;;) {
            struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
            int64_t left = (deadline - clock_monotonic_ns()) / 1000000;
            ssize_t n;

            if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
                break;
            n = recv(s->fd, scratch, sizeof scratch, 0);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
                break;
        }
    }
    close(s->fd);
    s->fd = -1;
}

static void *
session_main(void *arg)
{
    Session *s = arg;
    const SessionStart *st = &s->start;

    begin_session(s);
    if (s->state != SESSION_CLOSING && st->packet.len > st->packet_len) {
        /* Bytes the client sent right after its startup packet. */
        buf_append(&s->in, st->packet.data + st->packet_len, st->packet.len - st->packet_len);
        process_input(s);
    }
    if (s->state != SESSION_CLOSING && s->out.len > 0)
        session_flush(s);
    if (s->state != SESSION_CLOSING && event_add(s->read_ev, NULL) == 0)
        event_base_dispatch(s->base);
    if (s->out.len > 0)
        flush_until(s, clock_monotonic_ns() + FINAL_FLUSH_NS, false);
    close_gracefully(s);
    LOG_DEBUG("session %d (%s): disconnected", (int)s->pid, s->peer);
    registry_remove(s);
    session_destroy(s);
    return NULL;
}

int
session_spawn(Session *s)
{
    pthread_attr_t attr;
    sigset_t block, old;
    int rc;

    /* Signals are the listener's: session threads block them. */
    sigfillset(&block);
    sigdelset(&block, SIGSEGV);
    sigdelset(&block, SIGBUS);
    sigdelset(&block, SIGFPE);
    sigdelset(&block, SIGILL);
    sigdelset(&block, SIGABRT);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    rc = pthread_create(&s->thread, &attr, session_main, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        LOG_ERROR("could not start a session thread: %s", strerror(rc));
        return -1;
    }
    return 0;
}
