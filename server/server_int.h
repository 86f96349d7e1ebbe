/*
 * server/server_int.h — what the files of server/ share: the configuration,
 * the data-directory lock, the session registry, the session itself and the
 * per-session tables of prepared statements and portals.
 *
 * Where this sits: server/ is the top of the pipeline. It owns the sockets
 * and threads, frames bytes through wire/ and runs statements through sql/.
 * Nothing outside server/ includes this header or any event2/ header.
 *
 *   main.c      flags, config, signals, start-up and exit codes
 *   config.c    --flags and the config file (postgresql.conf syntax)
 *   datadir.c   the data directory and its lock file
 *   postmaster.c  listener thread: accept, startup packet, SSL/GSS 'N',
 *               CancelRequest, protocol version, hand-off, shutdown
 *   registry.c  live sessions by backend pid: limits, cancel, shutdown
 *   session.c   one thread per session: event loop, I/O, the state machine
 *   auth.c      the authentication step (trust now; SCRAM slots in here)
 *   query.c     simple and extended query: Query, Parse, Bind, Describe,
 *               Execute, Close, Sync, Flush
 *   command.c   DEALLOCATE, which acts on the session's statement table
 *   prepared.c  the name tables of prepared statements and portals
 *
 * Threads: the main thread runs the listener's event_base and nothing that
 * can block; each session runs on its own thread with its own event_base.
 * The only state shared between threads is the registry (one mutex) and a
 * session's two atomic flags (interrupt, die).
 */
#ifndef RIVULET_SERVER_SERVER_INT_H
#define RIVULET_SERVER_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/logger.h"
#include "sql/sql.h"
#include "wire/wire.h"

/* ---- Configuration (config.c) -------------------------------------------- */

#define SERVER_DEFAULT_DATA_DIR "./rivulet-data"
#define SERVER_DEFAULT_LISTEN "127.0.0.1"
#define SERVER_DEFAULT_PORT 6543
#define SERVER_DEFAULT_MAX_CONNECTIONS 100
#define SERVER_DEFAULT_STARTUP_TIMEOUT 60

/* Exit codes, documented in --help. */
#define SERVER_EXIT_OK 0        /* clean shutdown, --help, --version */
#define SERVER_EXIT_START 1     /* could not start: data directory, lock, socket */
#define SERVER_EXIT_USAGE 2     /* bad command line or configuration file */
#define SERVER_EXIT_IMMEDIATE 3 /* a second signal ended the shutdown at once */

#define CONFIG_STR_MAX 1024

typedef struct ServerConfig {
    char data_dir[CONFIG_STR_MAX];
    char listen[CONFIG_STR_MAX]; /* comma-separated addresses; "*" = all */
    int port;                    /* 0 = any free port (tests) */
    int max_connections;
    LogLevel log_level;
    size_t max_message_size; /* ceiling on one incoming message, bytes */
    int startup_timeout;     /* seconds from accept to authenticated */
    unsigned checkpoint_interval_ms; /* epoch driver period (stream/engine.h); 0 = default */
    int log_compression_level;       /* zstd level of the logs, 1..19; 0 = default (1) */
    size_t state_cache_budget;       /* per operator state cache; 0 = default (64 MiB) */
    size_t state_map_size;           /* initial LMDB map size in bytes; 0 = default (8 GiB) */
    size_t log_retention_bytes;      /* --log-retention size; 0 = no size limit */
    long long log_retention_us;      /* --log-retention age; 0 = no age limit */
} ServerConfig;

typedef enum ConfigAction {
    CONFIG_RUN,
    CONFIG_HELP,
    CONFIG_VERSION,
} ConfigAction;

/*
 * Fills cfg from defaults, then the --config file, then the flags. On a bad
 * flag or file line, prints a clear message on stderr and returns -1.
 */
int config_load(int argc, char **argv, ServerConfig *cfg, ConfigAction *action);
void config_print_help(void);

/* ---- Data directory (datadir.c) ------------------------------------------ */

typedef struct DataDirLock {
    int fd;
    char path[CONFIG_STR_MAX + 32];
} DataDirLock;

/*
 * Creates the data directory (and its parents) if missing and takes its lock
 * file. Fails with a message on stderr when another live server holds it.
 */
int datadir_open(const char *dir, DataDirLock *lock);
/* Records the port in the lock file once the listener knows it. */
void datadir_note_port(DataDirLock *lock, int port);
/* Removes the lock file; async-signal-safe so an immediate exit can call it. */
void datadir_release(DataDirLock *lock);

/* ---- Sessions (session.c) ------------------------------------------------- */

typedef struct Session Session;
struct event_base;
struct event;

/*
 * What the listener hands over: the socket, the startup packet (its bytes and
 * the arena holding the decoded arrays) and any bytes that followed it.
 */
typedef struct SessionStart {
    int fd;
    Buf packet;        /* the startup packet followed by any extra bytes */
    size_t packet_len; /* length of the startup packet inside `packet` */
    Arena *arena;      /* holds startup.names/values */
    WireStartup startup;
    int64_t deadline_ns; /* clock_monotonic_ns() by which auth must finish */
    char peer[64];
} SessionStart;

/* Takes ownership of *start (fd, packet, arena) whether it succeeds or not. */
Session *session_create(const ServerConfig *cfg, SessionStart *start);
/* Starts the session's thread; on failure the caller destroys it. */
int session_spawn(Session *s);
void session_destroy(Session *s);

/* Called by the registry under its mutex (any thread). */
int32_t session_pid(const Session *s);
int32_t session_key(const Session *s);
void session_set_identity(Session *s, int32_t pid, int32_t key);
void session_request_cancel(Session *s);
void session_request_die(Session *s);

/* ---- Registry (registry.c) ------------------------------------------------ */

/*
 * Adds s with a fresh backend pid and random key. Fails when max sessions are
 * live (the caller answers 53300) or the server is shutting down.
 */
int registry_add(Session *s, int max);
void registry_remove(Session *s);
/* Sets the interrupt flag of the session with this pid if the key matches. */
bool registry_cancel(int32_t pid, int32_t key);
/* Asks every live session to end (FATAL 57P01) and refuses new ones. */
void registry_shutdown_all(void);
int registry_count(void);

/* ---- Listener (postmaster.c) ---------------------------------------------- */

/* Runs until SIGTERM/SIGINT and every session has ended; returns an exit code. */
int postmaster_run(const ServerConfig *cfg, DataDirLock *lock);

/* ---- Prepared statements and portals (prepared.c) ------------------------- */

/* ---- Statements the server answers itself (command.c) -------------------- */

typedef enum CommandKind {
    COMMAND_DEALLOCATE,     /* DEALLOCATE [PREPARE] name */
    COMMAND_DEALLOCATE_ALL, /* DEALLOCATE [PREPARE] ALL */
} CommandKind;

typedef struct SessionCommand {
    CommandKind kind;
    char name[256];
} SessionCommand;

/* True when text (a whole Query or Parse string) is such a command. */
bool command_parse(const char *text, SessionCommand *out);
/* Runs it against the session: CommandComplete, or err. */
int command_run(Session *s, const SessionCommand *cmd, Err *err);

typedef struct Prepared {
    char *name;
    SqlStatement *stmt;      /* NULL: the empty query, or a server command */
    SessionCommand *command; /* non-NULL: a statement the server answers itself */
    int refs;                /* the table's reference + one per portal */
} Prepared;

typedef struct Portal {
    char *name;
    Prepared *prep;    /* holds a reference */
    SqlPortal *portal; /* NULL for the empty query */
    bool is_started;   /* sql_portal_execute() has run */
    bool is_done;      /* ran to completion */
} Portal;

typedef struct NameEntry NameEntry;

typedef struct NameMap {
    NameEntry **buckets;
    size_t nbuckets;
    size_t count;
} NameMap;

void namemap_init(NameMap *m);
void *namemap_get(const NameMap *m, const char *name);
/* Inserts; the caller has checked the name is absent. false: out of memory. */
bool namemap_put(NameMap *m, const char *name, void *value);
/* Removes and returns the value, or NULL. */
void *namemap_take(NameMap *m, const char *name);
/* Removes every entry, calling fn on each value. */
void namemap_clear(NameMap *m, void (*fn)(void *value, void *arg), void *arg);
void namemap_free(NameMap *m);

Prepared *prepared_new(const char *name, SqlStatement *stmt);
void prepared_unref(Prepared *p);
Portal *portal_new(const char *name, Prepared *prep, SqlPortal *sp);
void portal_free(Portal *p);

/* ---- Authentication (auth.c) ---------------------------------------------- */

typedef enum AuthStatus {
    AUTH_DONE,   /* authenticated: go on with the session */
    AUTH_WAIT,   /* a request went out: wait for the client's 'p' message */
    AUTH_FAILED, /* err holds the FATAL to send */
} AuthStatus;

typedef enum AuthMethod {
    AUTH_METHOD_TRUST,
    /* AUTH_METHOD_SCRAM_SHA_256 slots in here. */
} AuthMethod;

typedef struct AuthState {
    AuthMethod method;
    int step; /* method-specific position in the exchange */
} AuthState;

/* Starts authentication for user; writes the first request (or AuthenticationOk) to out. */
AuthStatus auth_start(AuthState *st, AuthMethod method, const char *user, Buf *out, Err *err);
/* Feeds one 'p' message body to the exchange. */
AuthStatus auth_continue(AuthState *st, const uint8_t *body, size_t len, Buf *out, Err *err);

/* ---- The session (session.c owns it; query.c runs statements in it) -------- */

/* Output beyond this is flushed before more rows are produced. */
#define SESSION_OUT_HIGH_WATER ((size_t)1 << 20)
/* PostgreSQL's PQ_SMALL_MESSAGE_LIMIT for Sync, Flush, Describe, Execute, ... */
#define SESSION_SMALL_MESSAGE_LIMIT 10000u

typedef enum SessionState {
    SESSION_AUTH,         /* waiting for the client's authentication reply */
    SESSION_READY,        /* processing messages */
    SESSION_SKIP_TO_SYNC, /* an extended-protocol message failed: drop until Sync */
    SESSION_COPY_IN,      /* COPY FROM STDIN: CopyData until CopyDone/CopyFail (copy.c) */
    SESSION_CLOSING,      /* a FATAL went out, Terminate or EOF: end the thread */
} SessionState;

struct Session {
    const ServerConfig *cfg;
    int fd;
    char peer[64];
    pthread_t thread;
    int32_t pid;
    int32_t key;
    atomic_int interrupt; /* non-zero: cancel the running statement */
    atomic_int die;       /* non-zero: server shutdown, end the session */
    SessionState state;
    AuthState auth;
    bool peer_gone;  /* the socket failed: send nothing more */
    bool needs_trim; /* a large buffer was freed: return memory to the OS */

    struct event_base *base;
    struct event *read_ev;
    struct event *wake_ev;    /* activated by the listener on shutdown */
    struct event *timeout_ev; /* authentication deadline */

    SessionStart start; /* the startup packet until the session is set up */
    SqlSession *sql;
    Buf in;             /* bytes received, not yet processed */
    Buf out;            /* bytes to send */
    Arena *msg_arena;   /* one protocol message → its reply */
    NameMap statements; /* name → Prepared ("" = unnamed) */
    NameMap portals;    /* name → Portal ("" = unnamed) */
    /* COPY FROM STDIN in progress (copy.c); the simple Query's script to resume after it */
    struct SqlCopyIn *copy_in;
    SqlScript *copy_script;
    int copy_next;
};

/*
 * Writes every byte of s->out to the socket, waiting for writability when the
 * client does not read. Returns -1 when the peer is gone or the server is
 * shutting down (the session must end without sending more).
 */
int session_flush(Session *s);
/* Sends err to the client and handles its level (FATAL closes the session). */
void session_report_error(Session *s, Err *err);
/* Sends the pending NoticeResponses of the sql session. */
void session_send_notices(Session *s);
/* ParameterStatus for changed settings, then ReadyForQuery. */
void session_ready_for_query(Session *s);

/* query.c: decodes and runs one regular message (state READY). */
void query_dispatch(Session *s, char type, const uint8_t *body, size_t len);
/* Drops every portal (end of transaction) or the statements too (end of session). */
void query_drop_portals(Session *s);
void query_drop_all(Session *s);
/*
 * After a COPY FROM STDIN of a simple Query (copy.c): runs the script's statements from
 * index `from` (-1: none, the COPY failed), then ends the message (ReadyForQuery).
 */
void query_resume_script(Session *s, int from);

/* copy.c: COPY of portal pt (after sql_portal_execute): 0 done (TO), 1 now in COPY_IN, -1. */
int copy_start(Session *s, Portal *pt, Err *err);
/* copy.c: one message in state SESSION_COPY_IN. */
void copy_in_message(Session *s, char type, const uint8_t *body, size_t len);
/* copy.c: drops a COPY in progress (session end). */
void copy_abandon(Session *s);

#endif
