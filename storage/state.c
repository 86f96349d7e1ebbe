/*
 * storage/state.c — the state store over LMDB (see state.h for the contract).
 *
 * One environment, opened with MDB_NOTLS so a read transaction belongs to its StateSnapshot,
 * not to a thread. Named databases: "_meta" (epoch number, format version, consumed offsets
 * "o"+BE64(log id) → BE64(offset)) and one per state table "t<id>.<suffix>".
 *
 * Locks (always taken in this order):
 *   write_lock  serializes write transactions (epoch commits, create, drop) and map growth;
 *   lock        protects the table cache, the snapshot count and the exclusive flag, and is
 *               held around every LMDB call that reads or writes the environment's table of
 *               database handles (mdb_txn_begin for readers, mdb_dbi_open, and the commit or
 *               abort of a write transaction that opened or dropped a handle), because LMDB
 *               does not lock that table itself.
 *
 * Map growth and drops need the environment to themselves (LMDB: mdb_env_set_mapsize only
 * while no transaction is active; a dropped handle must not be in use):
 *
 *      normal ──want exclusive──▶ draining (new snapshots wait) ──active == 0──▶ exclusive
 *        ▲                              │ timeout                                   │
 *        └──────────────────────────────┴──────────── done: wake waiters ◀──────────┘
 *
 * Invariants:
 *   1. The table cache holds exactly the committed tables; an entry's created_txn is the LMDB
 *      transaction id that created it, so an older snapshot does not see it.
 *   2. An epoch is applied by one write transaction; any error aborts it whole, MAP_FULL
 *      aborts it, grows the map (exclusive) and applies it again from its buffer.
 *   3. A commit failure other than MAP_FULL / TXN_FULL / ENOSPC is raised at PANIC level: the
 *      disk may have dropped written pages, restart recovers from the last good epoch.
 */
#include "storage/state_int.h"

#include <errno.h>
#include <inttypes.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/clock.h"
#include "common/logger.h"

typedef enum OpKind { OP_PUT, OP_DEL, OP_SET_OFFSET, OP_CLEAR_OFFSET, OP_CLEAR_TABLE } OpKind;

typedef struct Op {
    int32_t table; /* index into StateEpoch.tables; log id in key for offset ops */
    uint8_t kind;
    uint32_t key_len;
    size_t val_len;
    const void *key;
    const void *val;
} Op;

typedef struct OpChunk {
    struct OpChunk *next;
    size_t n;
    Op ops[OPS_PER_CHUNK];
} OpChunk;

struct StateEpoch {
    StateStore *st;
    uint64_t epoch_no;
    Arena *arena;
    char (*tables)[STATE_TABLE_NAME_MAX + 1];
    int n_tables, cap_tables;
    OpChunk *first, *last;
    size_t n_ops;
    size_t bytes; /* key + value bytes, for growth estimates */
};

/* One write transaction in progress and the handles it opened or dropped. */
typedef struct WriteTxn {
    StateStore *st;
    MDB_txn *txn;
    bool touched_dbis;
    TableEntry *created; /* handles opened with MDB_CREATE in this txn */
    size_t n_created, cap_created;
} WriteTxn;

typedef int (*WriteFn)(WriteTxn *w, void *arg, Err *err);

/* ---- small helpers ---- */

static void *
xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);

    if (q == NULL) {
        LOG_FATAL("out of memory in the state store (%zu bytes)", n);
        abort();
    }
    return q;
}

int
state_raise_mdb(Err *err, int rc, bool at_commit, const char *what)
{
    switch (rc) {
    case MDB_MAP_FULL:
    case ENOSPC:
        ERR_RAISE(err, ERRCODE_DISK_FULL, "could not %s: state store is full", what);
        err_detail(err, "%s.", mdb_strerror(rc));
        err_hint(err, "Free disk space or raise the state map size limit.");
        return -1;
    case MDB_TXN_FULL:
        ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                  "could not %s: too many changes for one state transaction", what);
        err_hint(err, "Lower checkpoint_interval so that each epoch writes less.");
        return -1;
    case MDB_DBS_FULL:
        ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "could not %s: too many state tables", what);
        err_hint(err, "Raise the state store's max_tables setting.");
        return -1;
    case MDB_READERS_FULL:
        ERR_RAISE(err, ERRCODE_INSUFFICIENT_RESOURCES,
                  "could not %s: too many concurrent state snapshots", what);
        err_hint(err, "Raise the state store's max_readers setting.");
        return -1;
    case MDB_BAD_VALSIZE:
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "could not %s: %s", what,
                         mdb_strerror(rc));
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "could not %s: %s", what, mdb_strerror(rc));
    default:
        if (at_commit)
            return err_raise(err, ERR_PANIC, ERRCODE_IO_ERROR, "could not %s: %s", what,
                             mdb_strerror(rc));
        return ERR_RAISE(err, ERRCODE_IO_ERROR, "could not %s: %s", what, mdb_strerror(rc));
    }
}

static bool
valid_suffix(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 16)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

int
state_table_name(char *buf, uint64_t object_id, const char *suffix, Err *err)
{
    if (!valid_suffix(suffix))
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid state table suffix \"%s\"",
                         suffix);
    snprintf(buf, STATE_TABLE_NAME_MAX + 1, "t%" PRIu64 ".%s", object_id, suffix);
    return 0;
}

bool
state_table_object_id(const char *name, uint64_t *object_id)
{
    uint64_t id = 0;
    const char *p = name;

    if (*p++ != 't' || *p < '0' || *p > '9' || (*p == '0' && p[1] != '.'))
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (id > (UINT64_MAX - 9) / 10)
            return false;
        id = id * 10 + (uint64_t)(*p - '0');
    }
    if (*p != '.' || !valid_suffix(p + 1))
        return false;
    *object_id = id;
    return true;
}

static int
check_table_name(const char *name, Err *err)
{
    uint64_t id;

    if (strlen(name) > STATE_TABLE_NAME_MAX || !state_table_object_id(name, &id))
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid state table name \"%s\"",
                         name);
    return 0;
}

/* ---- table cache (caller holds st->lock) ---- */

TableEntry *
state_cache_find(StateStore *st, const char *name, size_t *pos)
{
    size_t lo = 0, hi = st->n_tables;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(st->tables[mid].name, name);

        if (c == 0) {
            if (pos)
                *pos = mid;
            return &st->tables[mid];
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (pos)
        *pos = lo;
    return NULL;
}

static void
cache_add(StateStore *st, const TableEntry *e)
{
    size_t pos;

    if (state_cache_find(st, e->name, &pos))
        return;
    if (st->n_tables == st->cap_tables) {
        st->cap_tables = st->cap_tables ? st->cap_tables * 2 : 16;
        st->tables = xrealloc(st->tables, st->cap_tables * sizeof *st->tables);
    }
    memmove(&st->tables[pos + 1], &st->tables[pos], (st->n_tables - pos) * sizeof *st->tables);
    st->tables[pos] = *e;
    st->n_tables++;
}

static void
cache_remove(StateStore *st, const char *name)
{
    size_t pos;

    if (!state_cache_find(st, name, &pos))
        return;
    memmove(&st->tables[pos], &st->tables[pos + 1], (st->n_tables - pos - 1) * sizeof *st->tables);
    st->n_tables--;
}

/* ---- exclusive sections: growth and drop ---- */

static int
exclusive_begin(StateStore *st, Err *err)
{
    /* pthread_cond_timedwait takes a CLOCK_REALTIME deadline. */
    int64_t until = clock_now_us() + (int64_t)st->opts.exclusive_timeout_ms * 1000;
    struct timespec deadline = {.tv_sec = until / 1000000, .tv_nsec = (until % 1000000) * 1000};
    int rc = 0;

    pthread_mutex_lock(&st->lock);
    st->exclusive++;
    while (st->active > 0 && rc == 0)
        rc = pthread_cond_timedwait(&st->cond, &st->lock, &deadline);
    if (st->active > 0) {
        st->exclusive--;
        pthread_cond_broadcast(&st->cond);
        pthread_mutex_unlock(&st->lock);
        ERR_RAISE(err, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                  "state store is busy: %u snapshots stayed open for %u ms", st->active,
                  st->opts.exclusive_timeout_ms);
        err_hint(err, "A long-running query holds a snapshot; retry when it has finished.");
        return -1;
    }
    pthread_mutex_unlock(&st->lock);
    return 0;
}

static void
exclusive_end(StateStore *st)
{
    pthread_mutex_lock(&st->lock);
    st->exclusive--;
    pthread_cond_broadcast(&st->cond);
    pthread_mutex_unlock(&st->lock);
}

static size_t
used_bytes(StateStore *st)
{
    MDB_envinfo info;

    mdb_env_info(st->env, &info);
    return (info.me_last_pgno + 1) * (size_t)st->page_size;
}

/*
 * Grows the map so that `need` more bytes fit with headroom. Caller holds write_lock and has
 * no transaction open. Fails with 53100 at the ceiling.
 */
static int
grow_map(StateStore *st, size_t need, Err *err)
{
    size_t used = used_bytes(st);
    size_t target = st->map_size * 2;
    int rc;

    if (used + need * 2 + 4 * MIB > target)
        target = used + need * 2 + 4 * MIB;
    target = (target + MIB - 1) / MIB * MIB;
    if (target > st->opts.map_size_max)
        target = st->opts.map_size_max;
    if (target <= st->map_size) {
        ERR_RAISE(err, ERRCODE_DISK_FULL, "state store is full");
        err_detail(err, "The state map is at its limit of %zu MB and %zu MB are in use.",
                   st->map_size / MIB, used / MIB);
        err_hint(err, "Raise the state map size limit, or drop tables or materialized views.");
        return -1;
    }
    if (exclusive_begin(st, err) < 0)
        return -1;
    rc = mdb_env_set_mapsize(st->env, target);
    exclusive_end(st);
    if (rc != 0)
        return state_raise_mdb(err, rc, false, "grow the state map");
    LOG_INFO("state store map grown from %zu MB to %zu MB", st->map_size / MIB, target / MIB);
    st->map_size = target;
    st->growths++;
    return 0;
}

/* ---- write transactions with MAP_FULL retry ---- */

/* Opens (creating if asked) a table's handle inside w; *dbi, or returns MDB_NOTFOUND. */
static int
write_open_table(WriteTxn *w, const char *name, bool create, MDB_dbi *dbi)
{
    StateStore *st = w->st;
    TableEntry *e;
    int rc;

    pthread_mutex_lock(&st->lock);
    e = state_cache_find(st, name, NULL);
    if (e) {
        *dbi = e->dbi;
        pthread_mutex_unlock(&st->lock);
        return 0;
    }
    for (size_t i = 0; i < w->n_created; i++) {
        if (strcmp(w->created[i].name, name) == 0) {
            *dbi = w->created[i].dbi;
            pthread_mutex_unlock(&st->lock);
            return 0;
        }
    }
    if (!create) {
        pthread_mutex_unlock(&st->lock);
        return MDB_NOTFOUND;
    }
    rc = mdb_dbi_open(w->txn, name, MDB_CREATE, dbi);
    pthread_mutex_unlock(&st->lock);
    w->touched_dbis = true;
    if (rc != 0)
        return rc;
    if (w->n_created == w->cap_created) {
        w->cap_created = w->cap_created ? w->cap_created * 2 : 8;
        w->created = xrealloc(w->created, w->cap_created * sizeof *w->created);
    }
    e = &w->created[w->n_created++];
    snprintf(e->name, sizeof e->name, "%s", name);
    e->dbi = *dbi;
    e->created_txn = mdb_txn_id(w->txn);
    return 0;
}

static void
write_abort(WriteTxn *w)
{
    if (w->touched_dbis)
        pthread_mutex_lock(&w->st->lock);
    mdb_txn_abort(w->txn);
    if (w->touched_dbis)
        pthread_mutex_unlock(&w->st->lock);
    w->txn = NULL;
}

/*
 * One attempt: returns 0, an LMDB code (MAP_FULL means retry), or -1 with err set by fn.
 * *at_commit tells whether the code came from mdb_txn_commit (where I/O errors are PANIC).
 */
static int
write_attempt(StateStore *st, WriteFn fn, void *arg, bool *at_commit, Err *err)
{
    WriteTxn w = {.st = st};
    int rc;

    *at_commit = false;
    rc = mdb_txn_begin(st->env, NULL, 0, &w.txn);
    if (rc == MDB_MAP_RESIZED) {
        mdb_env_set_mapsize(st->env, 0);
        rc = mdb_txn_begin(st->env, NULL, 0, &w.txn);
    }
    if (rc != 0)
        return rc;
    rc = fn(&w, arg, err);
    if (rc != 0) {
        write_abort(&w);
        free(w.created);
        return rc;
    }
    if (w.touched_dbis)
        pthread_mutex_lock(&st->lock);
    *at_commit = true;
    rc = mdb_txn_commit(w.txn);
    if (rc == 0) {
        for (size_t i = 0; i < w.n_created; i++)
            cache_add(st, &w.created[i]);
    }
    if (w.touched_dbis)
        pthread_mutex_unlock(&st->lock);
    free(w.created);
    return rc;
}

/* Runs fn in a write transaction, growing the map and running it again when it fills. */
static int
write_txn(StateStore *st, size_t estimate, WriteFn fn, void *arg, const char *what, Err *err)
{
    bool at_commit;
    int rc;

    /* Keep a quarter of the map free, and room for this batch, before starting. */
    if (used_bytes(st) + estimate * 2 > st->map_size - st->map_size / 4) {
        if (grow_map(st, estimate, err) < 0 && used_bytes(st) + estimate > st->map_size)
            return -1;
        err_clear(err); /* a failed headroom growth is not fatal if the batch may still fit */
    }
    for (int attempt = 0;; attempt++) {
        rc = write_attempt(st, fn, arg, &at_commit, err);
        if (rc == 0)
            return 0;
        if (rc == -1)
            return -1;
        if (rc != MDB_MAP_FULL || attempt == MAX_GROW_RETRIES)
            return state_raise_mdb(err, rc, at_commit, what);
        if (grow_map(st, estimate + st->map_size / 2, err) < 0)
            return -1;
    }
}

/* ---- open / close ---- */

static int
load_tables(WriteTxn *w, void *arg, Err *err)
{
    StateStore *st = w->st;
    MDB_dbi main_dbi;
    MDB_cursor *c;
    MDB_val k, v;
    int rc;

    (void)arg;
    (void)err;
    rc = mdb_dbi_open(w->txn, META_NAME, MDB_CREATE, &st->meta);
    w->touched_dbis = true;
    if (rc != 0)
        return rc;
    k.mv_data = META_FORMAT_KEY;
    k.mv_size = strlen(META_FORMAT_KEY);
    rc = mdb_get(w->txn, st->meta, &k, &v);
    if (rc == MDB_NOTFOUND) {
        unsigned char b[8];

        state_put_be64(b, STATE_FORMAT);
        v.mv_data = b;
        v.mv_size = 8;
        rc = mdb_put(w->txn, st->meta, &k, &v, 0);
    } else if (rc == 0 && (v.mv_size != 8 || state_get_be64(v.mv_data) != STATE_FORMAT)) {
        return MDB_VERSION_MISMATCH;
    }
    if (rc != 0)
        return rc;
    k.mv_data = META_EPOCH_KEY;
    k.mv_size = strlen(META_EPOCH_KEY);
    rc = mdb_get(w->txn, st->meta, &k, &v);
    if (rc == 0 && v.mv_size == 8)
        st->last_epoch = state_get_be64(v.mv_data);
    else if (rc != MDB_NOTFOUND && rc != 0)
        return rc;

    /* The unnamed main database lists every named one. */
    if ((rc = mdb_dbi_open(w->txn, NULL, 0, &main_dbi)) != 0)
        return rc;
    if ((rc = mdb_cursor_open(w->txn, main_dbi, &c)) != 0)
        return rc;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        TableEntry e = {0};

        if (k.mv_size == 0 || k.mv_size > STATE_TABLE_NAME_MAX)
            continue;
        memcpy(e.name, k.mv_data, k.mv_size);
        if (e.name[0] == '_' || strlen(e.name) != k.mv_size)
            continue;
        if ((rc = mdb_dbi_open(w->txn, e.name, 0, &e.dbi)) != 0)
            break;
        if (w->n_created == w->cap_created) {
            w->cap_created = w->cap_created ? w->cap_created * 2 : 16;
            w->created = xrealloc(w->created, w->cap_created * sizeof *w->created);
        }
        w->created[w->n_created++] = e; /* created_txn 0: visible to every snapshot */
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static void
apply_defaults(StateOptions *o, const StateOptions *in)
{
    if (in)
        *o = *in;
    else
        memset(o, 0, sizeof *o);
    if (o->map_size == 0)
        o->map_size = DEFAULT_MAP_SIZE;
    if (o->map_size_max == 0)
        o->map_size_max = sizeof(size_t) >= 8 ? DEFAULT_MAP_MAX : (size_t)1 << 31;
    if (o->map_size_max < o->map_size)
        o->map_size_max = o->map_size;
    if (o->max_tables == 0)
        o->max_tables = DEFAULT_MAX_TABLES;
    if (o->max_readers == 0)
        o->max_readers = DEFAULT_MAX_READERS;
    if (o->exclusive_timeout_ms == 0)
        o->exclusive_timeout_ms = DEFAULT_EXCLUSIVE_MS;
}

static int
env_setup(StateStore *st, const char *dir, Err *err)
{
    MDB_envinfo info;
    MDB_stat stat;
    int rc, dead = 0;

    if ((rc = mdb_env_create(&st->env)) != 0)
        return state_raise_mdb(err, rc, false, "create the state environment");
    mdb_env_set_mapsize(st->env, st->opts.map_size);
    mdb_env_set_maxdbs(st->env, st->opts.max_tables);
    mdb_env_set_maxreaders(st->env, st->opts.max_readers);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return ERR_RAISE(err, ERRCODE_IO_ERROR, "could not create directory \"%s\": %s", dir,
                         strerror(errno));
    if ((rc = mdb_env_open(st->env, dir, MDB_NOTLS, 0600)) != 0) {
        state_raise_mdb(err, rc, false, "open the state store");
        err_detail(err, "Directory: \"%s\".", dir);
        return -1;
    }
    if ((rc = mdb_reader_check(st->env, &dead)) != 0)
        return state_raise_mdb(err, rc, false, "clear stale state readers");
    st->stale_cleared = (unsigned)dead;
    if (dead > 0)
        LOG_INFO("state store: cleared %d stale reader slot(s) left by dead processes", dead);
    mdb_env_info(st->env, &info);
    mdb_env_stat(st->env, &stat);
    st->map_size = info.me_mapsize;
    st->page_size = stat.ms_psize;
    st->max_key = (unsigned)mdb_env_get_maxkeysize(st->env);
    return 0;
}

int
state_open(const char *dir, const StateOptions *opts, StateStore **out, Err *err)
{
    StateStore *st = calloc(1, sizeof *st);

    *out = NULL;
    if (st == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    apply_defaults(&st->opts, opts);
    pthread_mutex_init(&st->write_lock, NULL);
    pthread_mutex_init(&st->lock, NULL);
    pthread_cond_init(&st->cond, NULL);
    if (env_setup(st, dir, err) < 0) {
        state_close(st);
        return -1;
    }
    pthread_mutex_lock(&st->write_lock);
    if (write_txn(st, 0, load_tables, NULL, "open the state store", err) < 0) {
        pthread_mutex_unlock(&st->write_lock);
        state_close(st);
        return -1;
    }
    pthread_mutex_unlock(&st->write_lock);
    *out = st;
    return 0;
}

void
state_close(StateStore *st)
{
    if (st == NULL)
        return;
    for (unsigned i = 0; i < st->n_pool; i++) {
        mdb_txn_abort(st->pool[i]->txn);
        free(st->pool[i]);
    }
    if (st->env)
        mdb_env_close(st->env);
    free(st->tables);
    pthread_cond_destroy(&st->cond);
    pthread_mutex_destroy(&st->lock);
    pthread_mutex_destroy(&st->write_lock);
    free(st);
}

uint64_t
state_last_epoch(StateStore *st)
{
    uint64_t e;

    pthread_mutex_lock(&st->lock);
    e = st->last_epoch;
    pthread_mutex_unlock(&st->lock);
    return e;
}

size_t
state_max_key_len(StateStore *st)
{
    return st->max_key;
}

void
state_stats(StateStore *st, StateStats *out)
{
    pthread_mutex_lock(&st->write_lock);
    out->map_size = st->map_size;
    out->used_bytes = used_bytes(st);
    out->page_size = st->page_size;
    out->map_growths = st->growths;
    out->stale_readers_cleared = st->stale_cleared;
    out->last_epoch = state_last_epoch(st);
    pthread_mutex_unlock(&st->write_lock);
}

int
state_table_stats(StateStore *st, Arena *a, StateTableStat **out, size_t *n, Err *err)
{
    StateSnapshot *snap;
    StateTableStat *ts;
    MDB_dbi *dbis;
    size_t k = 0;
    int rc = 0;

    *out = NULL;
    *n = 0;
    if (state_snapshot_begin(st, &snap, err) < 0)
        return -1;
    /* while the snapshot is open no table can be dropped, so the handles stay valid */
    pthread_mutex_lock(&st->lock);
    ts = arena_calloc(a, st->n_tables + 1, sizeof *ts);
    dbis = arena_calloc(a, st->n_tables + 1, sizeof *dbis);
    for (size_t i = 0; i < st->n_tables; i++) {
        if (st->tables[i].created_txn > snap->txnid)
            continue; /* committed after the snapshot began */
        memcpy(ts[k].name, st->tables[i].name, sizeof ts[k].name);
        dbis[k++] = st->tables[i].dbi;
    }
    pthread_mutex_unlock(&st->lock);
    snprintf(ts[k].name, sizeof ts[k].name, "%s", META_NAME);
    dbis[k++] = st->meta;
    for (size_t i = 0; rc == 0 && i < k; i++) {
        MDB_stat ms;

        rc = mdb_stat(snap->txn, dbis[i], &ms);
        if (rc != 0)
            break;
        ts[i].entries = ms.ms_entries;
        ts[i].pages = (uint64_t)ms.ms_branch_pages + ms.ms_leaf_pages + ms.ms_overflow_pages;
        ts[i].bytes = ts[i].pages * ms.ms_psize;
    }
    state_snapshot_end(snap);
    if (rc != 0)
        return state_raise_mdb(err, rc, false, "read state table sizes");
    *out = ts;
    *n = k;
    return 0;
}

/* ---- tables ---- */

int
state_list_tables(StateStore *st, Arena *a, char ***names, size_t *n, Err *err)
{
    (void)err;
    pthread_mutex_lock(&st->lock);
    *n = st->n_tables;
    *names = arena_calloc(a, st->n_tables + 1, sizeof **names);
    for (size_t i = 0; i < st->n_tables; i++)
        (*names)[i] = arena_strdup(a, st->tables[i].name);
    pthread_mutex_unlock(&st->lock);
    return 0;
}

static int
create_fn(WriteTxn *w, void *arg, Err *err)
{
    MDB_dbi dbi;

    (void)err;
    return write_open_table(w, arg, true, &dbi);
}

int
state_create_table(StateStore *st, const char *name, Err *err)
{
    int rc;

    if (check_table_name(name, err) < 0)
        return -1;
    pthread_mutex_lock(&st->write_lock);
    rc = write_txn(st, 0, create_fn, (void *)name, "create a state table", err);
    pthread_mutex_unlock(&st->write_lock);
    return rc;
}

static int
drop_fn(WriteTxn *w, void *arg, Err *err)
{
    MDB_dbi *dbi = arg;

    (void)err;
    w->touched_dbis = true; /* mdb_drop closes the handle */
    return mdb_drop(w->txn, *dbi, 1);
}

int
state_drop_table(StateStore *st, const char *name, Err *err)
{
    TableEntry *e;
    MDB_dbi dbi;
    int rc;

    if (check_table_name(name, err) < 0)
        return -1;
    pthread_mutex_lock(&st->write_lock);
    pthread_mutex_lock(&st->lock);
    e = state_cache_find(st, name, NULL);
    if (e)
        dbi = e->dbi;
    pthread_mutex_unlock(&st->lock);
    if (e == NULL) {
        pthread_mutex_unlock(&st->write_lock);
        return 1;
    }
    if (exclusive_begin(st, err) < 0) {
        pthread_mutex_unlock(&st->write_lock);
        return -1;
    }
    rc = write_txn(st, 0, drop_fn, &dbi, "drop a state table", err);
    /* mdb_drop closed the handle whether or not the commit went through. */
    pthread_mutex_lock(&st->lock);
    cache_remove(st, name);
    pthread_mutex_unlock(&st->lock);
    if (rc < 0) {
        /* Reopen the handle if the table survived, so the cache stays truthful. */
        Err ignored;

        err_clear(&ignored);
        write_txn(st, 0, create_fn, (void *)name, "reopen a state table", &ignored);
    }
    exclusive_end(st);
    pthread_mutex_unlock(&st->write_lock);
    return rc < 0 ? -1 : 0;
}

/* ---- epochs ---- */

int
state_epoch_begin(StateStore *st, uint64_t epoch_no, StateEpoch **out, Err *err)
{
    StateEpoch *ep = calloc(1, sizeof *ep);

    *out = NULL;
    if (ep == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    ep->st = st;
    ep->epoch_no = epoch_no;
    ep->arena = arena_create("epoch", 64 * 1024);
    *out = ep;
    return 0;
}

int
state_epoch_table(StateEpoch *ep, const char *name, int *table, Err *err)
{
    for (int i = 0; i < ep->n_tables; i++) {
        if (strcmp(ep->tables[i], name) == 0) {
            *table = i;
            return 0;
        }
    }
    if (check_table_name(name, err) < 0)
        return -1;
    if (ep->n_tables == ep->cap_tables) {
        ep->cap_tables = ep->cap_tables ? ep->cap_tables * 2 : 8;
        ep->tables = xrealloc(ep->tables, (size_t)ep->cap_tables * sizeof *ep->tables);
    }
    snprintf(ep->tables[ep->n_tables], sizeof ep->tables[0], "%s", name);
    *table = ep->n_tables++;
    return 0;
}

static Op *
new_op(StateEpoch *ep)
{
    if (ep->last == NULL || ep->last->n == OPS_PER_CHUNK) {
        OpChunk *c = arena_alloc(ep->arena, sizeof *c);

        c->next = NULL;
        c->n = 0;
        if (ep->last)
            ep->last->next = c;
        else
            ep->first = c;
        ep->last = c;
    }
    ep->n_ops++;
    return &ep->last->ops[ep->last->n++];
}

static int
check_key(StateEpoch *ep, int table, size_t key_len, Err *err)
{
    if (table < 0 || table >= ep->n_tables)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "state table handle %d is not valid", table);
    if (key_len == 0)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "state key must not be empty");
    if (key_len > ep->st->max_key)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                         "state key of %zu bytes exceeds the maximum of %u bytes", key_len,
                         ep->st->max_key);
    return 0;
}

int
state_epoch_put(StateEpoch *ep, int table, const void *key, size_t key_len, const void *val,
                size_t val_len, Err *err)
{
    Op *op;

    if (check_key(ep, table, key_len, err) < 0)
        return -1;
    if (val_len > STATE_MAX_VALUE_LEN)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                         "state value of %zu bytes exceeds the maximum of %zu bytes", val_len,
                         STATE_MAX_VALUE_LEN);
    op = new_op(ep);
    op->table = table;
    op->kind = OP_PUT;
    op->key_len = (uint32_t)key_len;
    op->val_len = val_len;
    op->key = arena_memdup(ep->arena, key, key_len);
    op->val = val_len ? arena_memdup(ep->arena, val, val_len) : "";
    ep->bytes += key_len + val_len + 16;
    return 0;
}

int
state_epoch_delete(StateEpoch *ep, int table, const void *key, size_t key_len, Err *err)
{
    Op *op;

    if (check_key(ep, table, key_len, err) < 0)
        return -1;
    op = new_op(ep);
    op->table = table;
    op->kind = OP_DEL;
    op->key_len = (uint32_t)key_len;
    op->val_len = 0;
    op->key = arena_memdup(ep->arena, key, key_len);
    op->val = NULL;
    ep->bytes += 16;
    return 0;
}

int
state_epoch_clear_table(StateEpoch *ep, int table, Err *err)
{
    Op *op;

    if (table < 0 || table >= ep->n_tables)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "state table handle %d is not valid", table);
    op = new_op(ep);
    op->table = table;
    op->kind = OP_CLEAR_TABLE;
    op->key_len = 0;
    op->val_len = 0;
    op->key = NULL;
    op->val = NULL;
    ep->bytes += 16;
    return 0;
}

static void
offset_op(StateEpoch *ep, OpKind kind, uint64_t log_id, uint64_t offset)
{
    Op *op = new_op(ep);
    unsigned char *k = arena_alloc(ep->arena, 9);
    unsigned char *v = arena_alloc(ep->arena, 8);

    k[0] = OFFSET_TAG;
    state_put_be64(k + 1, log_id);
    state_put_be64(v, offset);
    op->table = -1;
    op->kind = (uint8_t)kind;
    op->key = k;
    op->key_len = 9;
    op->val = v;
    op->val_len = 8;
    ep->bytes += 32;
}

int
state_epoch_set_offset(StateEpoch *ep, uint64_t log_id, uint64_t offset, Err *err)
{
    (void)err;
    offset_op(ep, OP_SET_OFFSET, log_id, offset);
    return 0;
}

int
state_epoch_clear_offset(StateEpoch *ep, uint64_t log_id, Err *err)
{
    (void)err;
    offset_op(ep, OP_CLEAR_OFFSET, log_id, 0);
    return 0;
}

size_t
state_epoch_op_count(const StateEpoch *ep)
{
    return ep->n_ops;
}

void
state_epoch_abort(StateEpoch *ep)
{
    if (ep == NULL)
        return;
    arena_destroy(ep->arena);
    free(ep->tables);
    free(ep);
}

/* Applies the buffered epoch inside w (called again from the start after a growth). */
static int
apply_epoch(WriteTxn *w, void *arg, Err *err)
{
    StateEpoch *ep = arg;
    MDB_dbi stack_dbis[16];
    MDB_dbi *dbis = ep->n_tables <= 16 ? stack_dbis : xrealloc(NULL, ep->n_tables * sizeof *dbis);
    unsigned char eb[8];
    MDB_val k, v;
    int rc = 0;

    (void)err;
    for (int i = 0; i < ep->n_tables && rc == 0; i++)
        rc = write_open_table(w, ep->tables[i], true, &dbis[i]);
    for (OpChunk *c = ep->first; c && rc == 0; c = c->next) {
        for (size_t i = 0; i < c->n && rc == 0; i++) {
            const Op *op = &c->ops[i];
            MDB_dbi dbi = op->table >= 0 ? dbis[op->table] : w->st->meta;

            k.mv_data = (void *)op->key;
            k.mv_size = op->key_len;
            v.mv_data = (void *)op->val;
            v.mv_size = op->val_len;
            if (op->kind == OP_PUT || op->kind == OP_SET_OFFSET) {
                rc = mdb_put(w->txn, dbi, &k, &v, 0);
            } else if (op->kind == OP_CLEAR_TABLE) {
                rc = mdb_drop(w->txn, dbi, 0);
            } else {
                rc = mdb_del(w->txn, dbi, &k, NULL);
                if (rc == MDB_NOTFOUND)
                    rc = 0;
            }
        }
    }
    if (rc == 0) {
        state_put_be64(eb, ep->epoch_no);
        k.mv_data = META_EPOCH_KEY;
        k.mv_size = strlen(META_EPOCH_KEY);
        v.mv_data = eb;
        v.mv_size = 8;
        rc = mdb_put(w->txn, w->st->meta, &k, &v, 0);
    }
    if (dbis != stack_dbis)
        free(dbis);
    return rc;
}

int
state_epoch_commit(StateEpoch *ep, Err *err)
{
    StateStore *st = ep->st;
    char what[64];
    int rc;

    pthread_mutex_lock(&st->write_lock);
    if (ep->epoch_no <= st->last_epoch) {
        ERR_RAISE(err, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                  "state epoch %" PRIu64 " is not after the last committed epoch %" PRIu64,
                  ep->epoch_no, st->last_epoch);
        rc = -1;
    } else {
        snprintf(what, sizeof what, "commit state epoch %" PRIu64, ep->epoch_no);
        rc = write_txn(st, ep->bytes, apply_epoch, ep, what, err);
        if (rc == 0) {
            pthread_mutex_lock(&st->lock);
            st->last_epoch = ep->epoch_no;
            pthread_mutex_unlock(&st->lock);
        }
    }
    pthread_mutex_unlock(&st->write_lock);
    if (rc == 0)
        state_epoch_abort(ep); /* frees it */
    return rc;
}
