/*
 * storage/state_read.c — the read side of the state store: snapshots (LMDB read transactions),
 * point gets, counts, consumed offsets and range cursors. See state.h for the contract and
 * state.c for the locks.
 *
 * Invariants:
 *   1. A snapshot counts in st->active from begin to end, so growth and drops wait for it.
 *   2. A snapshot sees a table only if the transaction that created it is not newer than the
 *      snapshot's own (created_txn <= txnid): a table committed later is invisible.
 *   3. Values and keys handed out point into the map and are valid until the snapshot ends.
 *   4. A cursor never returns a key outside its range, in either direction.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "storage/state_int.h"

static int
cmp_bytes(const void *a, size_t alen, const void *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;

    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* ---- snapshots ---- */

static int
read_epoch(MDB_txn *txn, MDB_dbi meta, uint64_t *epoch)
{
    MDB_val k = {.mv_size = strlen(META_EPOCH_KEY), .mv_data = META_EPOCH_KEY}, v;
    int rc = mdb_get(txn, meta, &k, &v);

    *epoch = 0;
    if (rc == 0 && v.mv_size == 8)
        *epoch = state_get_be64(v.mv_data);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/*
 * Snapshots reuse reset read transactions from a small pool: mdb_txn_renew keeps the reader
 * slot, where mdb_txn_begin would take the reader-table lock to find a free one.
 */
int
state_snapshot_begin(StateStore *st, StateSnapshot **out, Err *err)
{
    StateSnapshot *snap = NULL;
    int rc;

    *out = NULL;
    pthread_mutex_lock(&st->lock);
    while (st->exclusive > 0)
        pthread_cond_wait(&st->cond, &st->lock);
    if (st->n_pool > 0) {
        snap = st->pool[--st->n_pool];
        rc = mdb_txn_renew(snap->txn);
        if (rc != 0) {
            mdb_txn_abort(snap->txn);
            snap->txn = NULL;
        }
    } else {
        snap = calloc(1, sizeof *snap);
        if (snap == NULL) {
            pthread_mutex_unlock(&st->lock);
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        }
        snap->st = st;
        rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &snap->txn);
    }
    if (rc == 0)
        st->active++;
    pthread_mutex_unlock(&st->lock);
    if (rc != 0) {
        free(snap);
        return state_raise_mdb(err, rc, false, "begin a state snapshot");
    }
    rc = read_epoch(snap->txn, st->meta, &snap->epoch);
    if (rc != 0) {
        state_snapshot_end(snap);
        return state_raise_mdb(err, rc, false, "begin a state snapshot");
    }
    snap->txnid = mdb_txn_id(snap->txn);
    *out = snap;
    return 0;
}

void
state_snapshot_end(StateSnapshot *snap)
{
    StateStore *st;
    bool pooled = false;

    if (snap == NULL)
        return;
    st = snap->st;
    mdb_txn_reset(snap->txn);
    pthread_mutex_lock(&st->lock);
    st->active--;
    if (st->active == 0 && st->exclusive > 0)
        pthread_cond_broadcast(&st->cond);
    if (st->n_pool < STATE_SNAPSHOT_POOL) {
        st->pool[st->n_pool++] = snap;
        pooled = true;
    }
    pthread_mutex_unlock(&st->lock);
    if (!pooled) {
        mdb_txn_abort(snap->txn);
        free(snap);
    }
}

uint64_t
state_snapshot_epoch(const StateSnapshot *snap)
{
    return snap->epoch;
}

int
state_snapshot_table(StateSnapshot *snap, const char *name, StateTable *table, Err *err)
{
    StateStore *st = snap->st;
    TableEntry *e;
    int found = 0;

    (void)err;
    pthread_mutex_lock(&st->lock);
    e = state_cache_find(st, name, NULL);
    if (e && e->created_txn <= snap->txnid) {
        table->snap = snap;
        table->dbi = e->dbi;
        found = 1;
    }
    pthread_mutex_unlock(&st->lock);
    return found;
}

int
state_get(const StateTable *table, const void *key, size_t key_len, StateBytes *val, Err *err)
{
    MDB_val k = {.mv_size = key_len, .mv_data = (void *)key}, v;
    int rc;

    if (key_len == 0 || key_len > table->snap->st->max_key)
        return 0; /* no such key can be stored */
    rc = mdb_get(table->snap->txn, table->dbi, &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc != 0)
        return state_raise_mdb(err, rc, false, "read state");
    val->data = v.mv_data;
    val->len = v.mv_size;
    return 1;
}

int
state_count(const StateTable *table, uint64_t *count, Err *err)
{
    MDB_stat stat;
    int rc = mdb_stat(table->snap->txn, table->dbi, &stat);

    if (rc != 0)
        return state_raise_mdb(err, rc, false, "count state");
    *count = stat.ms_entries;
    return 0;
}

int
state_snapshot_offset(StateSnapshot *snap, uint64_t log_id, uint64_t *offset, Err *err)
{
    unsigned char kb[9];
    MDB_val k = {.mv_size = 9, .mv_data = kb}, v;
    int rc;

    kb[0] = OFFSET_TAG;
    state_put_be64(kb + 1, log_id);
    rc = mdb_get(snap->txn, snap->st->meta, &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc != 0)
        return state_raise_mdb(err, rc, false, "read a consumed offset");
    if (v.mv_size != 8)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED,
                         "consumed offset of log %" PRIu64 " has %zu bytes, expected 8", log_id,
                         v.mv_size);
    *offset = state_get_be64(v.mv_data);
    return 1;
}

int
state_snapshot_offsets(StateSnapshot *snap, int (*fn)(void *arg, uint64_t log_id, uint64_t offset),
                       void *arg, Err *err)
{
    unsigned char tag = OFFSET_TAG;
    MDB_val k = {.mv_size = 1, .mv_data = &tag}, v;
    MDB_cursor *c;
    int rc;

    if ((rc = mdb_cursor_open(snap->txn, snap->st->meta, &c)) != 0)
        return state_raise_mdb(err, rc, false, "read consumed offsets");
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        const unsigned char *kp = k.mv_data;

        if (k.mv_size != 9 || kp[0] != OFFSET_TAG || v.mv_size != 8)
            break;
        if (fn(arg, state_get_be64(kp + 1), state_get_be64(v.mv_data)) != 0) {
            rc = MDB_NOTFOUND;
            break;
        }
    }
    mdb_cursor_close(c);
    if (rc != 0 && rc != MDB_NOTFOUND)
        return state_raise_mdb(err, rc, false, "read consumed offsets");
    return 0;
}

/* ---- ranges and cursors ---- */

StateRange
state_range_prefix(const void *prefix, size_t len)
{
    StateRange r = {0};

    if (len > 0) {
        r.lower.kind = STATE_INCLUSIVE;
        r.lower.key.data = prefix;
        r.lower.key.len = len;
        r.upper.kind = STATE_PREFIX;
        r.upper.key = r.lower.key;
    }
    return r;
}

StateRange
state_range_all(void)
{
    StateRange r = {0};

    return r;
}

/* True if key is on the inner side of bound b (b is an upper bound unless is_lower). */
static bool
within(const StateBound *b, bool is_lower, const MDB_val *key)
{
    int c;

    switch (b->kind) {
    case STATE_UNBOUNDED:
        return true;
    case STATE_PREFIX: {
        size_t n = key->mv_size < b->key.len ? key->mv_size : b->key.len;

        return (n ? memcmp(key->mv_data, b->key.data, n) : 0) <= 0;
    }
    default:
        c = cmp_bytes(key->mv_data, key->mv_size, b->key.data, b->key.len);
        if (is_lower)
            return b->kind == STATE_INCLUSIVE ? c >= 0 : c > 0;
        return b->kind == STATE_INCLUSIVE ? c <= 0 : c < 0;
    }
}

int
state_cursor_open(const StateTable *table, const StateRange *range, bool backward,
                  StateCursor **out, Err *err)
{
    StateCursor *cur = calloc(1, sizeof *cur);
    int rc;

    *out = NULL;
    if (cur == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    if (range && range->lower.kind == STATE_PREFIX) {
        free(cur);
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "a prefix bound can only be an upper bound");
    }
    if ((rc = mdb_cursor_open(table->snap->txn, table->dbi, &cur->c)) != 0) {
        free(cur);
        return state_raise_mdb(err, rc, false, "open a state cursor");
    }
    if (range)
        cur->range = *range;
    cur->backward = backward;
    cur->max_key =
        table->snap->st->max_key < STATE_SEEK_BUF ? table->snap->st->max_key : STATE_SEEK_BUF;
    *out = cur;
    return 0;
}

/*
 * Positions a backward cursor on the last key inside the upper bound. A bound longer than the
 * longest storable key is cut to max_key bytes for the seek; the loop then steps over the (at
 * most one) key the cut bound admits too much.
 */
static int
seek_last(StateCursor *cur, MDB_val *k, MDB_val *v)
{
    const StateBound *ub = &cur->range.upper;
    unsigned char succ[STATE_SEEK_BUF];
    MDB_val s;
    int rc;

    if (ub->kind == STATE_UNBOUNDED || ub->key.len == 0)
        return mdb_cursor_get(cur->c, k, v, MDB_LAST);
    s.mv_size = ub->key.len < cur->max_key ? ub->key.len : cur->max_key;
    s.mv_data = succ;
    memcpy(succ, ub->key.data, s.mv_size);
    if (ub->kind == STATE_PREFIX) {
        /* The first key after every key starting with the prefix: strip trailing 0xff and
         * increment the last byte. An all-0xff prefix has no successor. */
        while (s.mv_size > 0 && succ[s.mv_size - 1] == 0xff)
            s.mv_size--;
        if (s.mv_size == 0)
            return mdb_cursor_get(cur->c, k, v, MDB_LAST);
        succ[s.mv_size - 1]++;
    }
    *k = s;
    rc = mdb_cursor_get(cur->c, k, v, MDB_SET_RANGE);
    if (rc == MDB_NOTFOUND)
        rc = mdb_cursor_get(cur->c, k, v, MDB_LAST);
    while (rc == 0 && !within(ub, false, k))
        rc = mdb_cursor_get(cur->c, k, v, MDB_PREV);
    return rc;
}

static int
seek_first(StateCursor *cur, MDB_val *k, MDB_val *v)
{
    const StateBound *lb = &cur->range.lower;
    int rc;

    if (lb->kind == STATE_UNBOUNDED || lb->key.len == 0)
        return mdb_cursor_get(cur->c, k, v, MDB_FIRST);
    k->mv_data = (void *)lb->key.data;
    k->mv_size = lb->key.len < cur->max_key ? lb->key.len : cur->max_key;
    rc = mdb_cursor_get(cur->c, k, v, MDB_SET_RANGE);
    while (rc == 0 && !within(lb, true, k))
        rc = mdb_cursor_get(cur->c, k, v, MDB_NEXT);
    return rc;
}

int
state_cursor_next(StateCursor *cur, StateBytes *key, StateBytes *val, Err *err)
{
    MDB_val k, v;
    int rc;

    if (cur->done)
        return 0;
    if (!cur->started) {
        cur->started = true;
        rc = cur->backward ? seek_last(cur, &k, &v) : seek_first(cur, &k, &v);
    } else {
        rc = mdb_cursor_get(cur->c, &k, &v, cur->backward ? MDB_PREV : MDB_NEXT);
    }
    if (rc == MDB_NOTFOUND) {
        cur->done = true;
        return 0;
    }
    if (rc != 0)
        return state_raise_mdb(err, rc, false, "scan state");
    if (!within(cur->backward ? &cur->range.lower : &cur->range.upper, cur->backward, &k)) {
        cur->done = true;
        return 0;
    }
    key->data = k.mv_data;
    key->len = k.mv_size;
    val->data = v.mv_data;
    val->len = v.mv_size;
    return 1;
}

void
state_cursor_close(StateCursor *cur)
{
    if (cur == NULL)
        return;
    mdb_cursor_close(cur->c);
    free(cur);
}
