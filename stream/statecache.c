/*
 * stream/statecache.c — an operator's state table: a write-back cache with a
 * byte budget over a committed LMDB snapshot (see stream/statecache.h for
 * the entry life cycle and the rules for snapshots and iterators).
 *
 * Where it sits: stream/ operators above, storage/state.h below.
 *
 * Data structures:
 *   - every entry (present or deleted) is a node of a treap ordered by its
 *     key (memcmp, shorter first), giving ordered scans; priorities come
 *     from a seeded xorshift generator, so runs repeat;
 *   - and in an open-addressing hash index by its key bytes (linear probing,
 *     deletion by backward shift), so point lookups cost one hash and
 *     usually one memcmp instead of a walk down the treap;
 *   - each entry is on exactly one of three lists by its state: `clean` (in
 *     LRU order, most recent at the head, the only list eviction takes
 *     from), `dirty` and `pending`.
 *
 * A scan merges two streams in the same direction, the treap (walked with an
 * explicit stack, restricted to the range) and an LMDB cursor over the same
 * range; at equal keys the cache's entry wins (it is never older than the
 * snapshot), and deleted entries hide the committed row. While a cache has
 * iterators open nothing of it is freed: get/put/delete are refused and
 * eviction waits until the last iterator closes.
 *
 * Invariants:
 *   1. Each key has at most one entry; an entry is on the list its state
 *      names; bytes == the sum of charge(e) over all entries.
 *   2. A CLEAN entry equals the committed table (present with that value, or
 *      absent); DIRTY and PENDING entries are never evicted.
 *   3. A reader holds a snapshot only between a miss (or an iterator
 *      opening) of one of its caches and the next flush, committed or
 *      release; it never holds one when a flush returns. A cache's table
 *      handle is used only while tab_gen names the reader's current
 *      snapshot.
 */
#include "stream/statecache.h"

#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"

#define STATECACHE_DEFAULT_BUDGET ((size_t)64 << 20)

typedef enum EntryState { ENTRY_CLEAN, ENTRY_DIRTY, ENTRY_PENDING } EntryState;

typedef struct Entry {
    struct Entry *left, *right; /* treap */
    struct Entry *prev, *next;  /* the list of its state */
    uint64_t prio;
    uint64_t hash; /* of the key bytes (the hash index) */
    uint64_t pfx;  /* the key's first 8 bytes, big-endian, zero-padded (fast comparisons) */
    EntryState state;
    bool present; /* false: the key is deleted (DIRTY/PENDING) or absent (CLEAN) */
    uint32_t key_len;
    size_t val_len, val_cap;
    uint8_t *val; /* malloc'd, val_cap bytes; NULL when val_cap == 0 */
    uint8_t key[];
} Entry;

typedef struct EntryList {
    Entry *head, *tail;
    size_t n;
} EntryList;

struct StateCache {
    StateStore *st;
    char table[STATE_TABLE_NAME_MAX + 1];
    size_t budget, bytes, max_key;
    Entry *root;
    size_t nentries;
    Entry **index;     /* hash index: index_cap slots (a power of two), NULL = empty */
    size_t index_cap;
    EntryList lists[3]; /* indexed by EntryState; [ENTRY_CLEAN] in LRU order */
    uint64_t rng;
    StateCacheReader *rd;
    uint64_t tab_gen; /* the reader's snapshot generation tab was looked up in */
    bool has_table;   /* the table exists in that snapshot */
    StateTable tab;
    int open_iters;
    uint64_t hits, misses, evicted;
    bool cleared;       /* the committed table counts as empty (statecache_clear) */
    bool clear_flushed; /* the last flush emptied the table first */
};

/* The snapshot shared by the caches of one thread (storage/state.h: one per thread). */
struct StateCacheReader {
    StateStore *st;
    StateSnapshot *snap; /* NULL: none held */
    uint64_t gen;        /* snapshots begun so far */
    int open_iters;      /* over all its caches */
    bool stale;          /* a commit came while iterators were open: end snap after them */
};

struct StateCacheIter {
    StateCache *sc;
    StateRange range;
    bool backward;
    StateCursor *cur;       /* NULL: the table does not exist yet */
    bool have_row, cur_end; /* the LMDB row peeked into key/val */
    StateBytes key, val;
    /*
     * The treap walk: a stack of entries whose top is the next one (in the iterator's
     * direction); below it, the ancestors still to visit. Invariant 4 keeps them alive.
     */
    Entry **stack;
    size_t depth, cap;
    bool failed; /* the stack could not grow */
};

static const uint8_t empty_bytes[1];

/* ---- keys, entries and lists ---------------------------------------------------------- */

static int
keycmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n > 0 ? memcmp(a, b, n) : 0;

    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen;
}

static uint64_t
key_prefix(const uint8_t *key, size_t len)
{
    uint64_t p = 0;

    for (size_t i = 0; i < 8; i++)
        p = p << 8 | (i < len ? key[i] : 0);
    return p;
}

/* keycmp of two entries, deciding on the first 8 bytes without memcmp when they differ. */
static inline int
entrycmp(const Entry *a, const Entry *b)
{
    if (a->pfx != b->pfx)
        return a->pfx < b->pfx ? -1 : 1;
    return keycmp(a->key, a->key_len, b->key, b->key_len);
}

static uint64_t
key_hash(const uint8_t *key, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ len;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        uint64_t w;

        memcpy(&w, key + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    for (; i < len; i++)
        h = (h ^ key[i]) * 0x100000001b3ULL;
    h ^= h >> 29;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 32;
    return h;
}

/* The slot of key in the hash index, or NULL when absent. */
static Entry *
index_find(const StateCache *sc, const uint8_t *key, size_t len, uint64_t h)
{
    size_t mask = sc->index_cap - 1;

    if (sc->index_cap == 0)
        return NULL;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        Entry *e = sc->index[i];

        if (e == NULL)
            return NULL;
        if (e->hash == h && e->key_len == len && memcmp(e->key, key, len) == 0)
            return e;
    }
}

static void
index_put(Entry **index, size_t cap, Entry *e)
{
    size_t mask = cap - 1, i = e->hash & mask;

    while (index[i] != NULL)
        i = (i + 1) & mask;
    index[i] = e;
}

/* Adds e, growing the index to keep it at most half full. */
static int
index_add(StateCache *sc, Entry *e, Err *err)
{
    if ((sc->nentries + 1) * 2 > sc->index_cap) {
        size_t cap = sc->index_cap ? sc->index_cap * 2 : 64;
        Entry **index = calloc(cap, sizeof *index);

        if (index == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        for (size_t i = 0; i < sc->index_cap; i++) {
            if (sc->index[i] != NULL)
                index_put(index, cap, sc->index[i]);
        }
        free(sc->index);
        sc->index = index;
        sc->index_cap = cap;
    }
    index_put(sc->index, sc->index_cap, e);
    return 0;
}

/* Removes e (present in the index) by backward-shift deletion. */
static void
index_remove(StateCache *sc, const Entry *e)
{
    size_t mask = sc->index_cap - 1, i = e->hash & mask, j;

    while (sc->index[i] != e)
        i = (i + 1) & mask;
    sc->index[i] = NULL;
    for (j = (i + 1) & mask; sc->index[j] != NULL; j = (j + 1) & mask) {
        size_t home = sc->index[j]->hash & mask;

        /* move j back into the hole when its home is not in (i, j] (cyclically) */
        if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
            sc->index[i] = sc->index[j];
            sc->index[j] = NULL;
            i = j;
        }
    }
}

static size_t
charge(const Entry *e)
{
    return sizeof(Entry) + e->key_len + e->val_cap;
}

static void
list_remove(EntryList *l, Entry *e)
{
    if (e->prev != NULL)
        e->prev->next = e->next;
    else
        l->head = e->next;
    if (e->next != NULL)
        e->next->prev = e->prev;
    else
        l->tail = e->prev;
    e->prev = e->next = NULL;
    l->n--;
}

static void
list_push_head(EntryList *l, Entry *e)
{
    e->prev = NULL;
    e->next = l->head;
    if (l->head != NULL)
        l->head->prev = e;
    else
        l->tail = e;
    l->head = e;
    l->n++;
}

/* Moves e to the head of the list of `state` (for CLEAN: marks it most recently used). */
static void
set_state(StateCache *sc, Entry *e, EntryState state)
{
    list_remove(&sc->lists[e->state], e);
    e->state = state;
    list_push_head(&sc->lists[state], e);
}

static uint64_t
next_prio(StateCache *sc)
{
    uint64_t x = sc->rng;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    sc->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* ---- treap ------------------------------------------------------------------------------ */

static Entry *
treap_insert(Entry *t, Entry *e)
{
    if (t == NULL)
        return e;
    if (entrycmp(e, t) < 0) {
        t->left = treap_insert(t->left, e);
        if (t->left->prio > t->prio) {
            Entry *l = t->left;

            t->left = l->right;
            l->right = t;
            return l;
        }
    } else {
        t->right = treap_insert(t->right, e);
        if (t->right->prio > t->prio) {
            Entry *r = t->right;

            t->right = r->left;
            r->left = t;
            return r;
        }
    }
    return t;
}

/* Joins two treaps, every key of a below every key of b. */
static Entry *
treap_join(Entry *a, Entry *b)
{
    if (a == NULL)
        return b;
    if (b == NULL)
        return a;
    if (a->prio > b->prio) {
        a->right = treap_join(a->right, b);
        return a;
    }
    b->left = treap_join(a, b->left);
    return b;
}

static Entry *
treap_remove(Entry *t, const Entry *e)
{
    int c;

    if (t == NULL)
        return NULL;
    if (t == e)
        return treap_join(t->left, t->right);
    c = entrycmp(e, t);
    if (c < 0)
        t->left = treap_remove(t->left, e);
    else
        t->right = treap_remove(t->right, e);
    return t;
}

/* ---- entries -------------------------------------------------------------------------- */

static Entry *
entry_new(StateCache *sc, const void *key, size_t key_len, EntryState state, Err *err)
{
    Entry *e = calloc(1, sizeof(Entry) + key_len);

    if (e == NULL) {
        ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        return NULL;
    }
    memcpy(e->key, key, key_len);
    e->key_len = (uint32_t)key_len;
    e->prio = next_prio(sc);
    e->state = state;
    e->hash = key_hash(key, key_len);
    e->pfx = key_prefix(key, key_len);
    if (index_add(sc, e, err) < 0) {
        free(e);
        return NULL;
    }
    sc->root = treap_insert(sc->root, e);
    list_push_head(&sc->lists[state], e);
    sc->nentries++;
    sc->bytes += charge(e);
    return e;
}

static void
entry_free(StateCache *sc, Entry *e)
{
    sc->root = treap_remove(sc->root, e);
    index_remove(sc, e);
    list_remove(&sc->lists[e->state], e);
    sc->nentries--;
    sc->bytes -= charge(e);
    free(e->val);
    free(e);
}

/* Gives e the value val[0 .. len) (present), or makes it absent when val is NULL. */
static int
entry_set(StateCache *sc, Entry *e, const void *val, size_t len, Err *err)
{
    if (val == NULL || len > e->val_cap || e->val_cap > 2 * len + 64) {
        /* reallocate when it does not fit, or drop a buffer far larger than needed */
        uint8_t *nv = NULL;

        if (val != NULL && len > 0 && (nv = malloc(len)) == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        sc->bytes -= e->val_cap;
        free(e->val);
        e->val = nv;
        e->val_cap = nv != NULL ? len : 0;
        sc->bytes += e->val_cap;
    }
    if (val != NULL && len > 0)
        memcpy(e->val, val, len);
    e->present = val != NULL;
    e->val_len = val != NULL ? len : 0;
    return 0;
}

/* Drops least recently used CLEAN entries until the budget holds (never `keep`). */
static void
evict(StateCache *sc, const Entry *keep)
{
    EntryList *clean = &sc->lists[ENTRY_CLEAN];

    if (sc->open_iters > 0)
        return; /* its iterators hold entries (committed() may come meanwhile) */
    while (sc->bytes > sc->budget && clean->tail != NULL && clean->tail != keep) {
        entry_free(sc, clean->tail);
        sc->evicted++;
    }
}

static int
check_key(const StateCache *sc, size_t key_len, Err *err)
{
    if (key_len == 0)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "state key must not be empty");
    if (key_len > sc->max_key)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                         "state key of %zu bytes exceeds the maximum of %zu bytes", key_len,
                         sc->max_key);
    return 0;
}

/* ---- snapshot ------------------------------------------------------------------------- */

/* Makes sure the reader holds a snapshot and sc->tab is a handle of it. */
static int
ensure_snapshot(StateCache *sc, Err *err)
{
    StateCacheReader *rd = sc->rd;
    int rc;

    if (rd->snap == NULL) {
        if (state_snapshot_begin(rd->st, &rd->snap, err) < 0) {
            rd->snap = NULL;
            return -1;
        }
        rd->gen++;
    }
    if (sc->tab_gen == rd->gen)
        return 0;
    if ((rc = state_snapshot_table(rd->snap, sc->table, &sc->tab, err)) < 0)
        return -1;
    sc->has_table = rc == 1 && !sc->cleared;
    sc->tab_gen = rd->gen;
    return 0;
}

static void
end_snapshot(StateCacheReader *rd)
{
    state_snapshot_end(rd->snap);
    rd->snap = NULL;
    rd->stale = false;
}

/* Invariant 4: a cache does not change under its own iterators. */
static int
check_own_iters(const StateCache *sc, Err *err)
{
    if (sc->open_iters > 0)
        return ERR_RAISE(err, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                         "cannot use a state cache while one of its iterators is open");
    return 0;
}

static int
check_no_iters(const StateCacheReader *rd, const char *what, Err *err)
{
    if (rd->open_iters > 0)
        return ERR_RAISE(err, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                         "cannot %s while a state cache iterator is open", what);
    return 0;
}

int
statecache_reader_create(StateStore *st, StateCacheReader **out, Err *err)
{
    if ((*out = calloc(1, sizeof **out)) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    (*out)->st = st;
    return 0;
}

int
statecache_reader_release(StateCacheReader *rd, Err *err)
{
    if (check_no_iters(rd, "end the snapshot", err) < 0)
        return -1;
    end_snapshot(rd);
    return 0;
}

void
statecache_reader_destroy(StateCacheReader *rd)
{
    if (rd == NULL)
        return;
    end_snapshot(rd);
    free(rd);
}

/* ---- the public interface ------------------------------------------------------------- */

int
statecache_open(StateCacheReader *rd, const char *table, size_t budget, StateCache **out, Err *err)
{
    StateCache *sc;
    size_t len = strlen(table);

    *out = NULL;
    if (len == 0 || len > STATE_TABLE_NAME_MAX)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid state table name \"%s\"",
                         table);
    sc = calloc(1, sizeof *sc);
    if (sc == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    sc->rd = rd;
    memcpy(sc->table, table, len + 1);
    sc->budget = budget != 0 ? budget : STATECACHE_DEFAULT_BUDGET;
    sc->max_key = state_max_key_len(rd->st);
    sc->rng = 0x9E3779B97F4A7C15ULL;
    *out = sc;
    return 0;
}

void
statecache_close(StateCache *sc)
{
    if (sc == NULL)
        return;
    for (int s = 0; s < 3; s++) {
        Entry *e = sc->lists[s].head;

        while (e != NULL) {
            Entry *next = e->next;

            free(e->val);
            free(e);
            e = next;
        }
    }
    free(sc->index);
    free(sc);
}

int
statecache_get(StateCache *sc, const void *key, size_t key_len, StateBytes *val, Err *err)
{
    Entry *e;
    StateBytes v = {NULL, 0};
    int rc = 0;

    if (check_key(sc, key_len, err) < 0 || check_own_iters(sc, err) < 0)
        return -1;
    e = index_find(sc, key, key_len, key_hash(key, key_len));
    if (e != NULL) {
        sc->hits++;
        if (e->state == ENTRY_CLEAN)
            set_state(sc, e, ENTRY_CLEAN);
    } else {
        sc->misses++;
        if (ensure_snapshot(sc, err) < 0)
            return -1;
        if (sc->has_table && (rc = state_get(&sc->tab, key, key_len, &v, err)) < 0)
            return -1;
        if ((e = entry_new(sc, key, key_len, ENTRY_CLEAN, err)) == NULL)
            return -1;
        if (rc == 1 && entry_set(sc, e, v.data != NULL ? v.data : empty_bytes, v.len, err) < 0) {
            entry_free(sc, e);
            return -1;
        }
        evict(sc, e);
    }
    if (!e->present)
        return 0;
    val->data = e->val != NULL ? e->val : empty_bytes;
    val->len = e->val_len;
    return 1;
}

/* Finds or makes key's entry and gives it val (NULL: deleted), DIRTY. */
static int
write_entry(StateCache *sc, const void *key, size_t key_len, const void *val, size_t val_len,
            Err *err)
{
    Entry *e;
    bool is_new = false;

    if (check_key(sc, key_len, err) < 0 || check_own_iters(sc, err) < 0)
        return -1;
    if (val != NULL && val_len > STATE_MAX_VALUE_LEN)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                         "state value of %zu bytes exceeds the maximum of %zu bytes", val_len,
                         STATE_MAX_VALUE_LEN);
    e = index_find(sc, key, key_len, key_hash(key, key_len));
    if (e == NULL) {
        if ((e = entry_new(sc, key, key_len, ENTRY_DIRTY, err)) == NULL)
            return -1;
        is_new = true;
    } else if (val == NULL && !e->present && e->state == ENTRY_CLEAN) {
        return 0; /* known absent from the committed table: nothing to delete */
    }
    if (entry_set(sc, e, val, val_len, err) < 0) {
        /* an old entry is unchanged; a new one must not flush as a delete */
        if (is_new)
            entry_free(sc, e);
        return -1;
    }
    if (e->state != ENTRY_DIRTY)
        set_state(sc, e, ENTRY_DIRTY);
    evict(sc, NULL);
    return 0;
}

int
statecache_put(StateCache *sc, const void *key, size_t key_len, const void *val, size_t val_len,
               Err *err)
{
    return write_entry(sc, key, key_len, val != NULL ? val : empty_bytes, val_len, err);
}

int
statecache_delete(StateCache *sc, const void *key, size_t key_len, Err *err)
{
    return write_entry(sc, key, key_len, NULL, 0, err);
}

static int
cmp_entries(const void *a, const void *b)
{
    const Entry *x = *(const Entry *const *)a, *y = *(const Entry *const *)b;

    return entrycmp(x, y);
}

int
statecache_flush(StateCache *sc, StateEpoch *ep, Err *err)
{
    size_t n = sc->lists[ENTRY_DIRTY].n + sc->lists[ENTRY_PENDING].n, i = 0;
    Entry **todo;
    int table, rc = 0;

    if (check_no_iters(sc->rd, "flush a state cache", err) < 0)
        return -1;
    end_snapshot(sc->rd);
    if (state_epoch_table(ep, sc->table, &table, err) < 0)
        return -1;
    sc->clear_flushed = sc->cleared;
    if (sc->cleared && state_epoch_clear_table(ep, table, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    /* PENDING entries of an unconfirmed earlier flush are written again: idempotent */
    if ((todo = malloc(n * sizeof *todo)) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (int s = ENTRY_DIRTY; s <= ENTRY_PENDING; s++) {
        for (Entry *e = sc->lists[s].head; e != NULL; e = e->next)
            todo[i++] = e;
    }
    /* LMDB takes keys in order faster */
    qsort(todo, n, sizeof *todo, cmp_entries);
    for (i = 0; i < n && rc == 0; i++) {
        Entry *e = todo[i];

        if (e->present)
            rc = state_epoch_put(ep, table, e->key, e->key_len,
                                 e->val != NULL ? e->val : empty_bytes, e->val_len, err);
        else
            rc = state_epoch_delete(ep, table, e->key, e->key_len, err);
    }
    for (i = 0; i < n && rc == 0; i++) {
        if (todo[i]->state != ENTRY_PENDING)
            set_state(sc, todo[i], ENTRY_PENDING);
    }
    free(todo);
    return rc;
}

void
statecache_committed(StateCache *sc, bool ok)
{
    EntryList *pending = &sc->lists[ENTRY_PENDING];

    /* the snapshot predates the commit: an entry evicted now would read back stale */
    if (sc->rd->open_iters == 0)
        end_snapshot(sc->rd);
    else
        sc->rd->stale = true;
    while (pending->head != NULL)
        set_state(sc, pending->head, ok ? ENTRY_CLEAN : ENTRY_DIRTY);
    if (ok && sc->clear_flushed)
        sc->cleared = false;
    sc->clear_flushed = false;
    evict(sc, NULL);
}

int
statecache_clear(StateCache *sc, Err *err)
{
    if (check_own_iters(sc, err) < 0)
        return -1;
    for (int s = 0; s < 3; s++) {
        while (sc->lists[s].head != NULL)
            entry_free(sc, sc->lists[s].head);
    }
    sc->cleared = true;
    sc->tab_gen = 0; /* look the table up again: has_table becomes false */
    return 0;
}

void
statecache_stats(const StateCache *sc, StateCacheStats *out)
{
    out->bytes = sc->bytes;
    out->entries = sc->nentries;
    out->dirty = sc->lists[ENTRY_DIRTY].n;
    out->pending = sc->lists[ENTRY_PENDING].n;
    out->hits = sc->hits;
    out->misses = sc->misses;
    out->evicted = sc->evicted;
}

/* ---- iterators ------------------------------------------------------------------------ */

static bool
below_upper(const StateRange *r, const uint8_t *key, size_t len)
{
    const StateBound *u = &r->upper;
    int c;

    if (u->kind == STATE_UNBOUNDED)
        return true;
    c = keycmp(key, len, u->key.data, u->key.len);
    switch (u->kind) {
    case STATE_INCLUSIVE:
        return c <= 0;
    case STATE_EXCLUSIVE:
        return c < 0;
    case STATE_PREFIX:
        return c <= 0 || (len >= u->key.len && memcmp(key, u->key.data, u->key.len) == 0);
    default:
        return true;
    }
}

static bool
above_lower(const StateRange *r, const uint8_t *key, size_t len)
{
    const StateBound *l = &r->lower;
    int c;

    if (l->kind == STATE_UNBOUNDED)
        return true;
    c = keycmp(key, len, l->key.data, l->key.len);
    return l->kind == STATE_EXCLUSIVE ? c > 0 : c >= 0;
}

static Entry *
in_range(const StateRange *r, Entry *e)
{
    return e != NULL && below_upper(r, e->key, e->key_len) && above_lower(r, e->key, e->key_len)
               ? e
               : NULL;
}

static void
push(StateCacheIter *it, Entry *e)
{
    if (it->depth == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 64;
        Entry **stack = realloc(it->stack, cap * sizeof *stack);

        if (stack == NULL) {
            it->failed = true;
            return;
        }
        it->stack = stack;
        it->cap = cap;
    }
    it->stack[it->depth++] = e;
}

/*
 * Stacks the path to the first entry inside the range's lower bound (the last one inside
 * the upper bound, backward): every entry pushed is inside that bound, and each lies after
 * (before) everything pushed above it. Both bounds are monotone in key order (a PREFIX
 * upper bound included), which is what lets one descent find the edge.
 */
static void
seek_edge(StateCacheIter *it, Entry *t)
{
    while (t != NULL) {
        bool inside = it->backward ? below_upper(&it->range, t->key, t->key_len)
                                   : above_lower(&it->range, t->key, t->key_len);

        if (inside)
            push(it, t);
        t = inside != it->backward ? t->left : t->right;
    }
}

int
statecache_iter_open(StateCache *sc, const StateRange *range, bool backward, StateCacheIter **out,
                     Err *err)
{
    StateCacheIter *it;

    *out = NULL;
    if (ensure_snapshot(sc, err) < 0)
        return -1;
    if ((it = calloc(1, sizeof *it)) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    it->sc = sc;
    it->range = range != NULL ? *range : state_range_all();
    it->backward = backward;
    if (sc->has_table && state_cursor_open(&sc->tab, &it->range, backward, &it->cur, err) < 0) {
        free(it);
        return -1;
    }
    it->cur_end = it->cur == NULL;
    seek_edge(it, sc->root);
    sc->open_iters++;
    sc->rd->open_iters++;
    *out = it;
    return 0;
}

/* The next treap entry in range, or NULL at the end. */
static Entry *
peek_entry(const StateCacheIter *it)
{
    return it->depth > 0 ? in_range(&it->range, it->stack[it->depth - 1]) : NULL;
}

/* Takes the treap's next entry and moves on to the one after it. */
static Entry *
take_entry(StateCacheIter *it)
{
    Entry *e = it->stack[--it->depth];

    /* the entries just after e (before it, backward) are the near spine of its far subtree */
    for (Entry *t = it->backward ? e->left : e->right; t != NULL;
         t = it->backward ? t->right : t->left)
        push(it, t);
    return e;
}

int
statecache_iter_next(StateCacheIter *it, StateBytes *key, StateBytes *val, Err *err)
{
    for (;;) {
        Entry *e;
        int c;

        if (!it->have_row && !it->cur_end) {
            int rc = state_cursor_next(it->cur, &it->key, &it->val, err);

            if (rc < 0)
                return -1;
            it->have_row = rc == 1;
            it->cur_end = rc == 0;
        }
        if (it->failed)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        if ((e = peek_entry(it)) == NULL && !it->have_row)
            return 0;
        if (e == NULL)
            c = 1;
        else if (!it->have_row)
            c = -1;
        else
            c = keycmp(e->key, e->key_len, it->key.data, it->key.len) * (it->backward ? -1 : 1);
        if (c > 0) {
            /* only the committed table has this key */
            it->have_row = false;
            *key = it->key;
            *val = it->val;
            return 1;
        }
        if (c == 0)
            it->have_row = false; /* the cache's entry stands for this key */
        e = take_entry(it);
        if (!e->present)
            continue;
        key->data = e->key;
        key->len = e->key_len;
        val->data = e->val != NULL ? e->val : empty_bytes;
        val->len = e->val_len;
        return 1;
    }
}

#define DELETE_ROUND 4096 /* keys collected per scan */

int
statecache_delete_range(StateCache *sc, const StateRange *range, size_t *deleted, Err *err)
{
    StateBytes *keys = calloc(DELETE_ROUND, sizeof(StateBytes));
    StateRange r = range != NULL ? *range : (StateRange){{STATE_UNBOUNDED, {NULL, 0}},
                                                         {STATE_UNBOUNDED, {NULL, 0}}};
    void *last = NULL; /* the previous round's last key: the next round starts after it */
    size_t total = 0;
    int rc = 0;

    if (keys == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (;;) {
        StateCacheIter *it = NULL;
        StateBytes k, v;
        int n = 0;

        if (statecache_iter_open(sc, &r, false, &it, err) < 0) {
            rc = -1;
            break;
        }
        while (n < DELETE_ROUND && (rc = statecache_iter_next(it, &k, &v, err)) == 1) {
            void *copy = malloc(k.len);

            if (copy == NULL) {
                rc = ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
                break;
            }
            memcpy(copy, k.data, k.len);
            keys[n].data = copy;
            keys[n++].len = k.len;
        }
        statecache_iter_close(it);
        for (int i = 0; rc >= 0 && i < n; i++)
            rc = statecache_delete(sc, keys[i].data, keys[i].len, err) < 0 ? -1 : 0;
        total += (size_t)n;
        free(last);
        last = NULL;
        if (rc >= 0 && n == DELETE_ROUND) { /* keep the last key, free the others */
            last = (void *)keys[n - 1].data;
            r.lower = (StateBound){STATE_EXCLUSIVE, {last, keys[n - 1].len}};
            n--;
        }
        for (int i = 0; i < n; i++)
            free((void *)keys[i].data);
        if (rc < 0 || last == NULL)
            break;
    }
    free(last);
    free(keys);
    if (deleted != NULL)
        *deleted = total;
    return rc < 0 ? -1 : 0;
}

void
statecache_iter_close(StateCacheIter *it)
{
    if (it == NULL)
        return;
    state_cursor_close(it->cur);
    free(it->stack);
    if (--it->sc->open_iters == 0)
        evict(it->sc, NULL); /* what committed() could not evict meanwhile */
    if (--it->sc->rd->open_iters == 0 && it->sc->rd->stale)
        end_snapshot(it->sc->rd);
    free(it);
}
