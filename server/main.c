/*
 * server/main.c — the `rivulet` binary: configuration, data directory,
 * then the listener until shutdown.
 *
 *   config_load ──▶ logger level ──▶ SIGPIPE ignored ──▶ libevent threads
 *        │ bad flag/file: exit 2
 *        ▼
 *   datadir_open (create, lock) ──▶ engine_open (catalog, logs, recovery)
 *        │ in use / cannot create: exit 1      │ storage unusable: exit 1
 *        ▼
 *   postmaster_run ──▶ engine_close ──▶ datadir_release ──▶ exit 0
 *        │ cannot listen: exit 1
 *
 * Invariants:
 *   1. The exit status says what happened (SERVER_EXIT_*, documented in
 *      --help): 0 clean shutdown, 1 could not start, 2 bad configuration,
 *      3 immediate exit on a second signal.
 *   2. SIGPIPE is ignored process-wide (and sends use MSG_NOSIGNAL): a
 *      client that vanishes is an error on its socket, never a signal.
 *   3. evthread_use_pthreads() runs before any event_base is created, so
 *      bases are locked and the listener can wake a session's loop.
 *   4. The lock file is removed on every exit after it was taken.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "common/version.h"
#include "server/server_int.h"
#include "stream/engine.h"
#include "stream/stream.h"

static int
ignore_sigpipe(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGPIPE, &sa, NULL);
}

int
main(int argc, char **argv)
{
    ServerConfig cfg;
    ConfigAction action;
    DataDirLock lock;
    Engine *engine;
    Err err = {0}; /* err_raise ignores an Err that already looks raised */
    int rc;

    if (config_load(argc, argv, &cfg, &action) < 0)
        return SERVER_EXIT_USAGE;
    if (action == CONFIG_HELP) {
        config_print_help();
        return SERVER_EXIT_OK;
    }
    if (action == CONFIG_VERSION) {
        printf("rivulet %s (PostgreSQL %s protocol)\n", RIVULET_VERSION, RIVULET_PG_VERSION);
        return SERVER_EXIT_OK;
    }
    logger_set_level(cfg.log_level);
    /* queries with a plan (FROM, GROUP BY, ORDER BY ...) run on the dataflow runtime */
    sql_set_executor(stream_run_oneshot);
    if (ignore_sigpipe() < 0 || evthread_use_pthreads() < 0) {
        LOG_FATAL("could not set up signals and threads");
        return SERVER_EXIT_START;
    }
    if (datadir_open(cfg.data_dir, &lock) < 0)
        return SERVER_EXIT_START;
    /* catalog + logs: reconciled and recovered before the first connection (stream/engine.h) */
    engine_set_storage_options(cfg.log_compression_level, cfg.state_map_size);
    engine_set_state_cache_budget(cfg.state_cache_budget);
    engine_set_log_retention(cfg.log_retention_bytes, cfg.log_retention_us);
    if (engine_open(cfg.data_dir, &engine, &err) < 0) {
        LOG_FATAL("could not open storage in \"%s\": %s", cfg.data_dir, err.message);
        datadir_release(&lock);
        return SERVER_EXIT_START;
    }
    if (cfg.checkpoint_interval_ms > 0)
        engine_set_checkpoint_interval(engine, cfg.checkpoint_interval_ms);
    LOG_DEBUG("rivulet %s starting: max_connections=%d max_message_size=%zu "
              "startup_timeout=%ds",
              RIVULET_VERSION, cfg.max_connections, cfg.max_message_size, cfg.startup_timeout);
    rc = postmaster_run(&cfg, &lock);
    engine_close(engine);
    datadir_release(&lock);
    if (rc == SERVER_EXIT_OK)
        LOG_INFO("shut down");
    return rc;
}
