/*
 * server/postmaster.c — the listener thread: accepts connections, reads each
 * startup packet, and hands accepted connections to session threads.
 *
 * Named after PostgreSQL's postmaster, whose job this is. It runs the main
 * thread's event_base: one evconnlistener per listen address, the SIGTERM
 * and SIGINT handlers, and, per connection still in its startup phase, a
 * read event whose timeout is the connection's start-up deadline.
 *
 *   accept ──▶ PENDING (read the startup packet, at most 10,000 bytes)
 *                │  SSLRequest / GSSENCRequest ──▶ 'N', read the next packet
 *                │  CancelRequest ──▶ set the session's interrupt flag, close
 *                │  protocol major != 3 ──▶ FATAL 0A000, close
 *                │  no user ──▶ FATAL 28000, close
 *                │  too many sessions ──▶ FATAL 53300, close
 *                │  bad length / layout ──▶ FATAL 08P01, close
 *                │  timeout, EOF ──▶ close silently (as PostgreSQL)
 *                ▼
 *              session thread (session.c) with the packet and any bytes after it
 *
 * Shutdown: the first SIGTERM/SIGINT closes the listen sockets, drops the
 * pending connections, asks every session to end (FATAL 57P01), and waits
 * for the registry to empty; a second signal removes the lock file and exits
 * at once with SERVER_EXIT_IMMEDIATE.
 *
 * Invariants:
 *   1. Nothing on this thread blocks: sockets are non-blocking and replies
 *      here ('N', a FATAL) are single small sends made on fresh sockets.
 *   2. A pending connection holds at most WIRE_MAX_STARTUP_LEN plus one read
 *      chunk, and at most 2 * max_connections + 16 connections are pending
 *      at once; beyond that a new one is refused with 53300 at accept.
 *   3. The start-up deadline runs from accept; session.c continues it
 *      through authentication.
 *   4. A cancel request never gets a reply, whether or not the pid/key pair
 *      matched (PostgreSQL's rule: no oracle for guessing keys).
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "common/clock.h"
#include "server/server_int.h"

#define MAX_LISTENERS 16
#define STARTUP_READ 4096
#define ACCEPT_RETRY_MS 100

typedef struct Postmaster Postmaster;

typedef struct Pending {
    Postmaster *pm;
    int fd;
    struct event *ev;
    Buf in;
    bool ssl_done;
    bool gss_done;
    int64_t deadline_ns;
    char peer[64];
    struct Pending *prev, *next;
} Pending;

struct Postmaster {
    const ServerConfig *cfg;
    DataDirLock *lock;
    struct event_base *base;
    struct evconnlistener *listeners[MAX_LISTENERS];
    int nlisteners;
    struct event *signal_evs[2];
    struct event *reaper_ev; /* during shutdown: waits for the last session */
    struct event *resume_ev; /* re-enables accepting after EMFILE */
    Pending *pending;
    int npending;
    int nsignals;
};

/* ---- Small helpers ----------------------------------------------------------- */

static int64_t
ms_to_ns(int64_t ms)
{
    return ms * 1000 * 1000;
}

static struct timeval
timeval_from_ns(int64_t ns)
{
    struct timeval tv;

    if (ns < 0)
        ns = 0;
    tv.tv_sec = (time_t)(ns / 1000000000);
    tv.tv_usec = (suseconds_t)(ns % 1000000000 / 1000);
    return tv;
}

/* One best-effort send of an ErrorResponse on a socket we are about to close. */
static void
send_fatal(int fd, const Err *err)
{
    Buf b;

    buf_init(&b, 4096);
    wire_put_error(&b, err);
    if (!b.failed && send(fd, b.data, b.len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
        LOG_DEBUG("could not send error to client: %s", strerror(errno));
    buf_free(&b);
}

static void
send_fatal_msg(int fd, const char *sqlstate, const char *message)
{
    Err err;

    err_clear(&err);
    err_raise(&err, ERR_FATAL, sqlstate, "%s", message);
    send_fatal(fd, &err);
}

static void
format_peer(const struct sockaddr *sa, socklen_t len, char *out, size_t cap)
{
    char host[NI_MAXHOST], port[NI_MAXSERV];

    if (getnameinfo(sa, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        snprintf(out, cap, "unknown");
        return;
    }
    snprintf(out, cap, sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
}

/* ---- Pending connections ---------------------------------------------------- */

static void
drop_pending(Pending *p)
{
    Postmaster *pm = p->pm;

    if (p->prev != NULL)
        p->prev->next = p->next;
    else
        pm->pending = p->next;
    if (p->next != NULL)
        p->next->prev = p->prev;
    pm->npending--;
    event_free(p->ev);
    if (p->fd >= 0)
        close(p->fd);
    buf_free(&p->in);
    free(p);
}

static void
drop_with_fatal(Pending *p, Err *err)
{
    err->level = ERR_FATAL;
    send_fatal(p->fd, err);
    LOG_DEBUG("connection from %s refused: %s", p->peer, err->message);
    drop_pending(p);
}

/* Moves the connection into a session thread; p is freed either way. */
static void
hand_off(Pending *p, size_t frame_len, Arena *arena, const WireStartup *st)
{
    Postmaster *pm = p->pm;
    SessionStart start;
    Session *s;

    memset(&start, 0, sizeof start);
    start.fd = p->fd;
    start.packet = p->in;
    start.packet_len = frame_len;
    start.arena = arena;
    start.startup = *st;
    start.deadline_ns = p->deadline_ns;
    memcpy(start.peer, p->peer, sizeof start.peer);
    p->fd = -1;
    buf_init(&p->in, 0);
    drop_pending(p);

    s = session_create(pm->cfg, &start);
    if (s == NULL)
        return; /* session_create closed the socket */
    if (registry_add(s, pm->cfg->max_connections) < 0) {
        send_fatal_msg(s->fd, ERRCODE_TOO_MANY_CONNECTIONS, "sorry, too many clients already");
        session_destroy(s);
        return;
    }
    if (session_spawn(s) < 0) {
        registry_remove(s);
        send_fatal_msg(s->fd, ERRCODE_INSUFFICIENT_RESOURCES,
                       "could not start a thread for the new connection");
        session_destroy(s);
    }
}

/* After 'N' to SSLRequest/GSSENCRequest nothing may be buffered (PostgreSQL 15.x). */
static int
answer_no_encryption(Pending *p, size_t frame_len, bool is_ssl, Err *err)
{
    const char n = 'N';

    buf_consume(&p->in, frame_len);
    if (send(p->fd, &n, 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1)
        return -1; /* cannot happen on a fresh socket; just close */
    if (p->in.len == 0)
        return 0;
    err_raise(err, ERR_FATAL, ERRCODE_PROTOCOL_VIOLATION,
              is_ssl ? "received unencrypted data after SSL request"
                     : "received unencrypted data after GSSAPI encryption request");
    err_detail(err, "This could be either a client-software bug or evidence of an attempted "
                    "man-in-the-middle attack.");
    return -1;
}

static int
unsupported_protocol(uint32_t code, Err *err)
{
    return err_raise(err, ERR_FATAL, ERRCODE_FEATURE_NOT_SUPPORTED,
                     "unsupported frontend protocol %u.%u: server supports 3.0 to 3.0", code >> 16,
                     code & 0xffff);
}

/* Checks a normal StartupMessage; 0 when it may go to a session. */
static int
check_startup(const WireStartup *st, Err *err)
{
    const char *user = NULL;

    if (st->protocol >> 16 != 3)
        return unsupported_protocol(st->protocol, err);
    for (int i = 0; i < st->nparams; i++)
        if (strcmp(st->names[i], "user") == 0)
            user = st->values[i];
    if (user == NULL || user[0] == '\0')
        return err_raise(err, ERR_FATAL, ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
                         "no PostgreSQL user name specified in startup packet");
    return 0;
}

/*
 * One whole packet of frame_len bytes is at the start of p->in.
 * Returns 1 when p is still pending (read the next packet), 0 when it is gone.
 */
static int
handle_packet(Pending *p, size_t frame_len)
{
    Arena *arena = arena_create("startup", 0);
    WireStartup st;
    Err err;

    err_clear(&err);
    if (wire_decode_startup(p->in.data, frame_len, arena, &st, &err) < 0)
        goto fail;
    if ((st.kind == WIRE_STARTUP_SSL && p->ssl_done) ||
        (st.kind == WIRE_STARTUP_GSSENC && p->gss_done)) {
        unsupported_protocol(
            st.kind == WIRE_STARTUP_SSL ? WIRE_SSL_REQUEST_CODE : WIRE_GSSENC_REQUEST_CODE, &err);
        goto fail;
    }
    switch (st.kind) {
    case WIRE_STARTUP_SSL:
    case WIRE_STARTUP_GSSENC:
        *(st.kind == WIRE_STARTUP_SSL ? &p->ssl_done : &p->gss_done) = true;
        arena_destroy(arena);
        if (answer_no_encryption(p, frame_len, st.kind == WIRE_STARTUP_SSL, &err) == 0)
            return 1;
        if (err_is_set(&err))
            drop_with_fatal(p, &err);
        else
            drop_pending(p);
        return 0;
    case WIRE_STARTUP_CANCEL:
        if (!registry_cancel(st.cancel_pid, st.cancel_key))
            LOG_DEBUG("cancel request from %s matched no session", p->peer);
        arena_destroy(arena);
        drop_pending(p);
        return 0;
    case WIRE_STARTUP_NORMAL:
        if (check_startup(&st, &err) < 0)
            goto fail;
        hand_off(p, frame_len, arena, &st);
        return 0;
    }
fail:
    arena_destroy(arena);
    drop_with_fatal(p, &err);
    return 0;
}

static void
on_pending_event(evutil_socket_t fd, short what, void *arg)
{
    Pending *p = arg;
    struct timeval tv;
    size_t frame_len;
    ssize_t n;
    Err err;

    if (what & EV_TIMEOUT) {
        LOG_DEBUG("connection from %s: timeout waiting for the startup packet", p->peer);
        drop_pending(p);
        return;
    }
    if (!buf_reserve(&p->in, STARTUP_READ)) {
        drop_pending(p); /* cannot happen: framing caps the packet first */
        return;
    }
    n = recv(fd, p->in.data + p->in.len, p->in.cap - p->in.len, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        drop_pending(p); /* EOF or reset before a whole packet: close silently */
        return;
    }
    p->in.len += (size_t)n;
    for (;;) {
        int r;

        err_clear(&err);
        r = wire_frame_startup(p->in.data, p->in.len, &frame_len, &err);
        if (r < 0) {
            drop_with_fatal(p, &err);
            return;
        }
        if (r == 0)
            break;
        if (handle_packet(p, frame_len) == 0)
            return;
    }
    tv = timeval_from_ns(p->deadline_ns - clock_monotonic_ns());
    event_add(p->ev, &tv); /* the deadline does not move with each read */
}

/* ---- Accepting --------------------------------------------------------------- */

static void
set_socket_options(int fd, int family)
{
    int on = 1;

    if (family != AF_INET && family != AF_INET6)
        return;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) < 0)
        LOG_DEBUG("setsockopt: %s", strerror(errno));
}

static void
on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen, void *arg)
{
    Postmaster *pm = arg;
    Pending *p;
    struct timeval tv;

    (void)l;
    set_socket_options(fd, sa->sa_family);
    if (pm->npending >= 2 * pm->cfg->max_connections + 16 || (p = calloc(1, sizeof *p)) == NULL) {
        send_fatal_msg(fd, ERRCODE_TOO_MANY_CONNECTIONS, "sorry, too many clients already");
        close(fd);
        return;
    }
    p->pm = pm;
    p->fd = fd;
    format_peer(sa, (socklen_t)salen, p->peer, sizeof p->peer);
    buf_init(&p->in, WIRE_MAX_STARTUP_LEN + STARTUP_READ);
    p->deadline_ns = clock_monotonic_ns() + ms_to_ns((int64_t)pm->cfg->startup_timeout * 1000);
    p->ev = event_new(pm->base, fd, EV_READ | EV_PERSIST, on_pending_event, p);
    tv = timeval_from_ns(p->deadline_ns - clock_monotonic_ns());
    if (p->ev == NULL || event_add(p->ev, &tv) < 0) {
        if (p->ev != NULL)
            event_free(p->ev);
        close(fd);
        free(p);
        return;
    }
    p->next = pm->pending;
    if (pm->pending != NULL)
        pm->pending->prev = p;
    pm->pending = p;
    pm->npending++;
    LOG_DEBUG("connection received: %s", p->peer);
}

static void
on_resume_accept(evutil_socket_t fd, short what, void *arg)
{
    Postmaster *pm = arg;

    (void)fd;
    (void)what;
    for (int i = 0; i < pm->nlisteners; i++)
        evconnlistener_enable(pm->listeners[i]);
}

/* accept() failed (EMFILE, ENFILE, ENOBUFS...): pause instead of spinning. */
static void
on_accept_error(struct evconnlistener *l, void *arg)
{
    Postmaster *pm = arg;
    struct timeval tv = timeval_from_ns(ms_to_ns(ACCEPT_RETRY_MS));

    (void)l;
    LOG_WARNING("could not accept new connection: %s", strerror(errno));
    for (int i = 0; i < pm->nlisteners; i++)
        evconnlistener_disable(pm->listeners[i]);
    evtimer_add(pm->resume_ev, &tv);
}

/* ---- Listen sockets ---------------------------------------------------------------- */

/* Binds one resolved address; returns the socket or -1 (logged). */
static int
bind_one(const struct addrinfo *ai, char *shown, size_t cap)
{
    int on = 1, fd;

    format_peer(ai->ai_addr, ai->ai_addrlen, shown, cap);
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
        LOG_WARNING("could not create socket for %s: %s", shown, strerror(errno));
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (ai->ai_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, SOMAXCONN) < 0) {
        LOG_WARNING("could not listen on %s: %s", shown, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* The port a bound socket got, and "addr:port" for the log line. */
static int
bound_address(int fd, char *shown, size_t cap)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    format_peer((struct sockaddr *)&ss, len, shown, cap);
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* Resolves one entry of --listen and listens on each of its addresses. */
static void
listen_on(Postmaster *pm, const char *host, int *port, char *where, size_t cap)
{
    struct addrinfo hints, *res = NULL, *ai;
    char portstr[16], shown[96];
    int rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(portstr, sizeof portstr, "%d", *port);
    rc = getaddrinfo(strcmp(host, "*") == 0 ? NULL : host, portstr, &hints, &res);
    if (rc != 0) {
        LOG_WARNING("could not resolve listen address \"%s\": %s", host, gai_strerror(rc));
        return;
    }
    for (ai = res; ai != NULL && pm->nlisteners < MAX_LISTENERS; ai = ai->ai_next) {
        int fd = bind_one(ai, shown, sizeof shown), bound;
        struct evconnlistener *l;

        if (fd < 0)
            continue;
        bound = bound_address(fd, shown, sizeof shown);
        l = evconnlistener_new(pm->base, on_accept, pm, LEV_OPT_CLOSE_ON_FREE, 0, fd);
        if (bound < 0 || l == NULL) {
            LOG_WARNING("could not listen on %s: %s", shown, strerror(errno));
            if (l != NULL)
                evconnlistener_free(l);
            else
                close(fd);
            continue;
        }
        if (*port == 0)
            *port = bound; /* every further address uses the same port */
        evconnlistener_set_error_cb(l, on_accept_error);
        pm->listeners[pm->nlisteners++] = l;
        snprintf(where + strlen(where), cap - strlen(where), "%s%s", where[0] ? ", " : "", shown);
    }
    freeaddrinfo(res);
}

static int
open_listeners(Postmaster *pm, int *port, char *where, size_t cap)
{
    const char *item = pm->cfg->listen;

    *port = pm->cfg->port;
    where[0] = '\0';
    while (*item != '\0') {
        const char *end = strchr(item, ',');
        size_t n = end != NULL ? (size_t)(end - item) : strlen(item);
        char host[CONFIG_STR_MAX];

        while (n > 0 && *item == ' ')
            item++, n--;
        while (n > 0 && item[n - 1] == ' ')
            n--;
        memcpy(host, item, n);
        host[n] = '\0';
        if (n > 0)
            listen_on(pm, host, port, where, cap);
        item += n;
        while (*item == ' ' || *item == ',')
            item++;
    }
    if (pm->nlisteners == 0) {
        LOG_FATAL("could not listen on any of \"%s\" port %d", pm->cfg->listen, pm->cfg->port);
        return -1;
    }
    return 0;
}

/* ---- Signals and shutdown ------------------------------------------------------------ */

static void
on_reap(evutil_socket_t fd, short what, void *arg)
{
    Postmaster *pm = arg;

    (void)fd;
    (void)what;
    if (registry_count() == 0)
        event_base_loopexit(pm->base, NULL);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
    Postmaster *pm = arg;
    const char *name = sig == SIGTERM ? "SIGTERM" : "SIGINT";
    struct timeval tv = timeval_from_ns(ms_to_ns(10));

    (void)what;
    if (++pm->nsignals > 1) {
        LOG_INFO("received %s again: exiting immediately", name);
        datadir_release(pm->lock);
        _exit(SERVER_EXIT_IMMEDIATE);
    }
    LOG_INFO("received %s: shutting down (%d sessions)", name, registry_count());
    for (int i = 0; i < pm->nlisteners; i++)
        evconnlistener_free(pm->listeners[i]);
    pm->nlisteners = 0;
    event_del(pm->resume_ev);
    while (pm->pending != NULL)
        drop_pending(pm->pending);
    registry_shutdown_all();
    event_add(pm->reaper_ev, &tv);
}

static void
free_postmaster(Postmaster *pm)
{
    for (int i = 0; i < pm->nlisteners; i++)
        evconnlistener_free(pm->listeners[i]);
    while (pm->pending != NULL)
        drop_pending(pm->pending);
    for (int i = 0; i < 2; i++)
        if (pm->signal_evs[i] != NULL)
            event_free(pm->signal_evs[i]);
    if (pm->reaper_ev != NULL)
        event_free(pm->reaper_ev);
    if (pm->resume_ev != NULL)
        event_free(pm->resume_ev);
    if (pm->base != NULL)
        event_base_free(pm->base);
}

int
postmaster_run(const ServerConfig *cfg, DataDirLock *lock)
{
    Postmaster pm;
    char where[512];
    int port, rc = SERVER_EXIT_START;

    memset(&pm, 0, sizeof pm);
    pm.cfg = cfg;
    pm.lock = lock;
    pm.base = event_base_new();
    if (pm.base == NULL) {
        LOG_FATAL("could not create the event loop");
        return SERVER_EXIT_START;
    }
    pm.signal_evs[0] = evsignal_new(pm.base, SIGTERM, on_signal, &pm);
    pm.signal_evs[1] = evsignal_new(pm.base, SIGINT, on_signal, &pm);
    pm.reaper_ev = event_new(pm.base, -1, EV_PERSIST, on_reap, &pm);
    pm.resume_ev = evtimer_new(pm.base, on_resume_accept, &pm);
    if (pm.signal_evs[0] == NULL || pm.signal_evs[1] == NULL || pm.reaper_ev == NULL ||
        pm.resume_ev == NULL || event_add(pm.signal_evs[0], NULL) < 0 ||
        event_add(pm.signal_evs[1], NULL) < 0) {
        LOG_FATAL("could not set up signal handling");
    } else if (open_listeners(&pm, &port, where, sizeof where) == 0) {
        datadir_note_port(lock, port);
        LOG_INFO("listening on %s, data directory %s", where, cfg->data_dir);
        event_base_dispatch(pm.base);
        rc = SERVER_EXIT_OK;
    }
    free_postmaster(&pm);
    return rc;
}
