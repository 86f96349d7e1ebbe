/*
 * server/registry.c — the table of live sessions, shared by the listener
 * thread and the session threads.
 *
 * A session is registered by the listener when it hands a connection over
 * (that is where --max-connections is enforced and where the session gets its
 * backend pid and secret cancel key) and unregisters itself as the last step
 * of its thread. The listener looks sessions up here to deliver a
 * CancelRequest and, at shutdown, to tell every session to end.
 *
 * Invariants:
 *   1. One mutex guards everything here. A Session is only touched through
 *      the registry while it is registered and the mutex is held, and a
 *      session frees its events only after it has unregistered, so the
 *      listener never signals a session that is being freed.
 *   2. Backend pids are unique among the sessions of one server run (a
 *      counter); keys come from the OS random source (rng_os_seed), so a
 *      cancel key cannot be guessed from earlier ones.
 *   3. After registry_shutdown_all() no session can be added.
 */
#include <stdlib.h>

#include "common/clock.h"
#include "server/server_int.h"

static pthread_mutex_t registry_mutex = PTHREAD_MUTEX_INITIALIZER;
static Session **sessions;
static int nsessions;
static int capacity;
static int32_t next_pid = 1;
static bool is_shutting_down;

int
registry_add(Session *s, int max)
{
    int rc = -1;

    pthread_mutex_lock(&registry_mutex);
    if (!is_shutting_down && nsessions < max) {
        if (nsessions == capacity) {
            int cap = capacity ? capacity * 2 : 16;
            Session **p = realloc(sessions, (size_t)cap * sizeof *p);

            if (p != NULL) {
                sessions = p;
                capacity = cap;
            }
        }
        if (nsessions < capacity) {
            int32_t pid = next_pid;

            next_pid = next_pid == INT32_MAX ? 1 : next_pid + 1;
            session_set_identity(s, pid, (int32_t)(uint32_t)rng_os_seed());
            sessions[nsessions++] = s;
            rc = 0;
        }
    }
    pthread_mutex_unlock(&registry_mutex);
    return rc;
}

void
registry_remove(Session *s)
{
    pthread_mutex_lock(&registry_mutex);
    for (int i = 0; i < nsessions; i++) {
        if (sessions[i] == s) {
            sessions[i] = sessions[--nsessions];
            break;
        }
    }
    if (nsessions == 0 && is_shutting_down) {
        free(sessions);
        sessions = NULL;
        capacity = 0;
    }
    pthread_mutex_unlock(&registry_mutex);
}

bool
registry_cancel(int32_t pid, int32_t key)
{
    bool found = false;

    pthread_mutex_lock(&registry_mutex);
    for (int i = 0; i < nsessions; i++) {
        if (session_pid(sessions[i]) != pid)
            continue;
        /* A wrong key does nothing, as in PostgreSQL. */
        if (session_key(sessions[i]) == key) {
            session_request_cancel(sessions[i]);
            found = true;
        }
        break;
    }
    pthread_mutex_unlock(&registry_mutex);
    return found;
}

void
registry_shutdown_all(void)
{
    pthread_mutex_lock(&registry_mutex);
    is_shutting_down = true;
    for (int i = 0; i < nsessions; i++)
        session_request_die(sessions[i]);
    pthread_mutex_unlock(&registry_mutex);
}

int
registry_count(void)
{
    int n;

    pthread_mutex_lock(&registry_mutex);
    n = nsessions;
    pthread_mutex_unlock(&registry_mutex);
    return n;
}
