/*
 * stream/engine_mv.c — materialized views: each view is a long-lived
 * dataflow (stream/job.h) fed, epoch after epoch, with the changes of the
 * relations it reads, and its contents live in one LMDB state table
 * "t<id>.mv" committed in the same transaction as everything else of the
 * epoch (storage/state.h invariant 1).
 *
 *   epoch (stream/engine_pk.c, under epoch_mu):
 *     every relation some view reads gets this epoch's changes (a DeltaMap):
 *       primary-key table: -row before the epoch, +row after, per key touched
 *       log without a key: its records [consumed, end) as +1
 *     ──▶ mv_epoch: views in id order (a view only reads older relations, so
 *         this is dependency order): push the inputs' changes, barrier,
 *         output changes ──▶ the view's contents in the epoch, and its own
 *         DeltaMap for the views reading it
 *     ──▶ one commit: table contents, view contents, consumed offsets
 *
 * Contents format: a row (sql/rowcodec.h) is stored under key 0x00 ‖ row
 * with its multiplicity as an 8-byte value when the key fits LMDB's key
 * limit; a longer row goes to the bucket 0x01 ‖ hash64(row) whose value is
 * a list of (u32 len, i64 count, row) entries (collisions are handled, not
 * assumed away).
 *
 * Keyed views (a key derived from the plan at CREATE, planner/scankey.h:
 * GROUP BY / DISTINCT keys, or a primary key passed through) store a row
 * under 0x02 ‖ keycodec(key columns, order part + trailer) with the same
 * list of (u32 len, i64 count, row) entries as a bucket (usually one row; a
 * list, so correctness never depends on the key being unique), and the
 * marker 0x03 → (u32 n, n × u32 key column) says the view is keyed. A row
 * whose key exceeds LMDB's key limit is stored unkeyed (0x00 / 0x01). A view
 * without the marker (created unkeyed, or by an older binary) keeps the
 * unkeyed format. Point and range lookups (mv_scan_key, stream/engine_key.h)
 * read the 0x02 range of the bounds plus every unkeyed entry (normally none).
 *
 * CREATE MATERIALIZED VIEW (mv_create): bind the stored text in the view's
 * own session ─▶ under epoch_mu run an epoch (everything acknowledged is
 * applied and delivered) ─▶ catalog row ─▶ backfill: the job reads the
 * committed state (primary-key tables and views from LMDB, other logs up to
 * their consumed offset) ─▶ one commit of the contents. Changes after that
 * arrive through the epochs, so nothing is missed or counted twice.
 *
 * Restart (mv_open): the operators' state is in memory today, so each job
 * is rebuilt from the committed state exactly as a backfill does; its
 * output is compared with the stored contents and any difference (a view
 * whose answer depends on arrival order) is emitted as a correction in the
 * first epoch. An epoch that fails after a view consumed its changes marks
 * the view broken; it is rebuilt the same way before its next epoch.
 *
 * Invariants:
 *   1. After every committed epoch, a view's contents equal its query over
 *      the committed state of its inputs.
 *   2. A view's job and its contents change only under epoch_mu.
 *   3. Stored multiplicities are > 0 (a row whose count reaches 0 is deleted).
 *   4. A view's format (keyed or not, and its key) is fixed at CREATE by the
 *      marker; a keyed view's row lives under the entry its key gives, so
 *      every read and write of the row finds it there.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/errcodes.h"
#include "common/logger.h"
#include "planner/scankey.h"
#include "sql/keycodec.h"
#include "sql/relation.h"
#include "sql/rowcodec.h"
#include "sql/types_struct.h"
#include "stream/engine_int.h"
#include "stream/engine_key.h"
#include "stream/engine_wm.h"
#include "stream/job.h"
#include "stream/opstate.h"

/* A keyed view's key: columns of its output (planner/scankey.h); n == 0: unkeyed. */
#define MV_KEY_MAX 16

typedef struct MvKey {
    int n;
    int cols[MV_KEY_MAX];
    KeyColumn kc[MV_KEY_MAX];
    int ncols;        /* the view's columns */
    const Oid *types; /* their types (the plan's) */
} MvKey;

bool mv_test_legacy_format;

struct EngineMv {
    uint64_t id;
    char *name;
    char state_name[STATE_TABLE_NAME_MAX + 1];
    SqlSession *session;
    SqlScript *script;
    SqlStatement *stmt;
    const PlanNode *plan;
    StreamJob *job;
    DeltaMap out;     /* this epoch's output */
    DeltaMap pending; /* corrections to emit at the next epoch (after a rebuild) */
    bool ran;         /* changed by the current epoch */
    bool flushed;     /* its job's state went into the current epoch */
    bool reopen;      /* persistent job: drop the in-memory caches, reopen the committed state */
    bool broken;      /* the job's state may not match the committed contents: rebuild */
    bool in_memory;   /* its state did not fit state tables (54000): operators keep it in memory */
    bool failed;      /* maintenance failed (fail says why); retried when an input changes */
    Err fail;
    MvKey key;        /* keyed contents (0x02 entries), from the marker 0x03 */
};

void
mv_state_name(uint64_t id, char *buf)
{
    Err ignored;

    err_clear(&ignored);
    (void)state_table_name(buf, id, "mv", &ignored);
}

void
mv_free(EngineMv *mv)
{
    if (mv == NULL)
        return;
    stream_job_free(mv->job);
    sql_statement_destroy(mv->stmt);
    sql_script_destroy(mv->script);
    if (mv->session != NULL)
        sql_session_destroy(mv->session);
    deltamap_free(&mv->out);
    deltamap_free(&mv->pending);
    free(mv->name);
    free(mv);
}

/* Binds the view's definition in a session of its own (mv_new_job builds its operators). */
static int
mv_bind(uint64_t id, const char *name, const char *definition, EngineMv **out, Err *err)
{
    EngineMv *mv = calloc(1, sizeof *mv);
    size_t n = strlen(name) + 1;

    *out = NULL;
    if (mv == NULL || (mv->name = malloc(n)) == NULL) {
        free(mv);
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    memcpy(mv->name, name, n);
    mv->id = id;
    mv_state_name(id, mv->state_name);
    deltamap_init(&mv->out);
    deltamap_init(&mv->pending);
    if ((mv->session = sql_session_create()) == NULL) {
        mv_free(mv);
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    if (sql_session_startup_param(mv->session, "user", "rivulet", err) < 0 ||
        sql_session_startup_done(mv->session, err) < 0 ||
        sql_matview_plan(mv->session, definition, &mv->script, &mv->stmt, &mv->plan, err) < 0) {
        mv_free(mv);
        return -1;
    }
    *out = mv;
    return 0;
}

/*
 * A new job for mv: fresh (empty state replacing the stored one) or over the state the
 * last committed epoch left (persistent jobs only; *valid false when that state cannot be
 * used and the view must be rebuilt).
 */
/*
 * StreamJobOpts.insert_only: sources and tables without a primary key (plain and APPEND ONLY:
 * UPDATE / DELETE are refused, late rows never reach a view) only ever receive inserts.
 */
static bool
rel_insert_only(void *arg, uint64_t relid)
{
    EngineRel *r = engine_find_rel(arg, relid);

    return r != NULL && r->log != NULL && !r->is_mv && r->pk == NULL;
}

static int
mv_new_job(Engine *e, EngineMv *mv, bool fresh, bool *valid, Err *err)
{
    EvalCtx ctx;
    StreamJobOpts o = {mv->in_memory ? NULL : e->state, mv->id, engine_state_cache_budget(),
                       fresh, wm_job_column, e, rel_insert_only};
    int rc;

    stream_job_free(mv->job);
    mv->job = NULL;
    mv->reopen = false;
    if (valid != NULL)
        *valid = false;
    sql_matview_ctx(mv->session, &ctx);
    if (stream_job_new(mv->plan, &ctx, &o, &mv->job, err) < 0)
        return -1;
    if (valid != NULL && !fresh && stream_job_persistent(mv->job)) {
        if ((rc = stream_job_state_valid(mv->job, err)) < 0)
            return -1;
        *valid = rc == 1;
    }
    return 0;
}

bool
mv_reads(Engine *e, uint64_t id)
{
    for (size_t i = 0; i < e->nrels; i++) {
        const EngineMv *mv = e->rels[i].mv;

        for (int j = 0; mv != NULL && mv->job != NULL && j < stream_job_ninputs(mv->job); j++) {
            if (stream_job_input_relid(mv->job, j) == id)
                return true;
        }
    }
    return false;
}

bool
mv_needs_log(Engine *e, uint64_t id)
{
    for (size_t i = 0; i < e->nrels; i++) {
        const EngineMv *mv = e->rels[i].mv;
        bool reads = false;

        if (mv != NULL && mv->job == NULL)
            return true; /* what it reads is not known: keep every log */
        for (int j = 0; mv != NULL && j < stream_job_ninputs(mv->job); j++)
            reads = reads || stream_job_input_relid(mv->job, j) == id;
        if (reads && (mv->in_memory || mv->broken || !stream_job_persistent(mv->job)))
            return true;
    }
    return false;
}

static bool mv_to_memory(Engine *e, EngineMv *mv, StateEpoch *ep, const Err *why);

/* ---- contents ---------------------------------------------------------------------------- */

/* The first byte of a contents key (see the file header). */
#define MV_ROW 0x00    /* 0x00 ‖ row → i64 count */
#define MV_BUCKET 0x01 /* 0x01 ‖ hash64(row) → entries */
#define MV_KEYED 0x02  /* 0x02 ‖ keycodec(key columns) → entries (keyed views) */
#define MV_MARKER 0x03 /* 0x03 → the key: u32 n, n × u32 column (keyed views) */

typedef int (*ContentFn)(void *arg, const uint8_t *row, size_t len, int64_t count, Err *err);

/* Calls fn for every row of one entry (key k, value v); 0 or -1. */
static int
entry_read(const char *state_name, const StateBytes *k, const StateBytes *v, ContentFn fn,
           void *arg, Err *err)
{
    const uint8_t *key = k->data, *val = v->data;
    int64_t count;
    int rc = 0;

    if (k->len >= 1 && key[0] == MV_ROW && v->len == sizeof count) {
        memcpy(&count, val, sizeof count);
        return fn(arg, key + 1, k->len - 1, count, err) < 0 ? -1 : 0;
    }
    if ((k->len == 9 && key[0] == MV_BUCKET) || (k->len >= 1 && key[0] == MV_KEYED)) {
        for (size_t at = 0; rc >= 0 && at + 12 <= v->len;) {
            uint32_t len;

            memcpy(&len, val + at, 4);
            memcpy(&count, val + at + 4, 8);
            if (at + 12 + len > v->len)
                break;
            rc = fn(arg, val + at + 12, len, count, err);
            at += 12 + len;
        }
        return rc < 0 ? -1 : 0;
    }
    if (k->len == 1 && key[0] == MV_MARKER)
        return 0;
    return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED,
                     "malformed entry in materialized view state \"%s\"", state_name);
}

/* Calls fn for every stored row of a view (count > 0), from snap. */
static int
contents_read(StateSnapshot *snap, const char *state_name, ContentFn fn, void *arg, Err *err)
{
    StateTable table;
    StateCursor *cur = NULL;
    StateBytes k, v;
    int rc = state_snapshot_table(snap, state_name, &table, err);

    if (rc <= 0)
        return rc;
    if (state_cursor_open(&table, NULL, false, &cur, err) < 0)
        return -1;
    while ((rc = state_cursor_next(cur, &k, &v, err)) == 1) {
        if ((rc = entry_read(state_name, &k, &v, fn, arg, err)) < 0)
            break;
    }
    state_cursor_close(cur);
    return rc < 0 ? -1 : 0;
}

typedef struct Item {
    const uint8_t *row;
    size_t len;
    int64_t w;
    uint64_t hash; /* long rows */
    int kind;      /* MV_ROW, MV_BUCKET (long rows) or MV_KEYED */
    const uint8_t *key; /* MV_KEYED: the entry's key (with its 0x02) */
    size_t keylen;
} Item;

static int
item_cmp(const void *pa, const void *pb)
{
    const Item *a = pa, *b = pb;

    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->kind == MV_BUCKET)
        return a->hash < b->hash ? -1 : a->hash > b->hash;
    if (a->kind == MV_KEYED) {
        size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
        int c = memcmp(a->key, b->key, n);

        return c != 0 ? c : a->keylen < b->keylen ? -1 : a->keylen > b->keylen;
    }
    return 0; /* short rows are distinct keys: their order does not matter */
}

static bool
item_same_entry(const Item *a, const Item *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == MV_BUCKET)
        return a->hash == b->hash;
    return a->keylen == b->keylen && memcmp(a->key, b->key, a->keylen) == 0;
}

static void
long_key(uint64_t h, uint8_t key[9])
{
    key[0] = MV_BUCKET;
    for (int i = 0; i < 8; i++)
        key[1 + i] = (uint8_t)(h >> (56 - 8 * i));
}

/*
 * The entry key of a keyed view's row (0x02 ‖ keycodec of its key columns, exact) into key;
 * 0, or 1 when it does not fit maxkey (the row is stored unkeyed).
 */
static int
row_entry_key(const MvKey *mk, const uint8_t *row, size_t len, size_t maxkey, Arena *a,
              Value *vals, Buf *key, Err *err)
{
    Value kv[MV_KEY_MAX];
    KeySpec spec = {mk->kc, mk->n, true};

    if (rowcodec_decode(row, len, mk->types, mk->ncols, a, vals, err) < 0)
        return -1;
    for (int i = 0; i < mk->n; i++)
        kv[i] = vals[mk->cols[i]];
    buf_reset(key);
    buf_put_u8(key, MV_KEYED);
    if (keycodec_encode(&spec, kv, key, NULL, err) < 0)
        return -1;
    return key->len > maxkey ? 1 : 0;
}

/*
 * One entry holding a list of rows (a bucket of long rows, or a key of a keyed view): the old
 * entries merged with items [i, j), written back (or deleted when no row is left).
 */
static int
merge_entry(const StateTable *table, bool have_table, StateEpoch *ep, int tab, const uint8_t *k,
            size_t klen, const Item *items, size_t i, size_t j, Buf *val, Err *err)
{
    StateBytes old;
    int found = 0;
    bool *used;
    const uint8_t *ov;
    size_t olen;

    buf_reset(val);
    if (have_table && (found = state_get(table, k, klen, &old, err)) < 0)
        return -1;
    ov = found == 1 ? old.data : NULL;
    olen = found == 1 ? old.len : 0;
    if ((used = calloc(j - i + 1, sizeof(bool))) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (size_t at = 0; at + 12 <= olen;) {
        uint32_t rl;
        int64_t count;

        memcpy(&rl, ov + at, 4);
        memcpy(&count, ov + at + 4, 8);
        if (at + 12 + rl > olen)
            break;
        for (size_t m = i; m < j; m++) {
            if (!used[m - i] && items[m].len == rl &&
                memcmp(items[m].row, ov + at + 12, rl) == 0) {
                count += items[m].w;
                used[m - i] = true;
            }
        }
        if (count > 0) {
            buf_append(val, &rl, 4);
            buf_append(val, &count, 8);
            buf_append(val, ov + at + 12, rl);
        }
        at += 12 + rl;
    }
    for (size_t m = i; m < j; m++) {
        uint32_t rl = (uint32_t)items[m].len;
        int64_t w = items[m].w;

        if (used[m - i])
            continue;
        /* the same row twice among the items (consolidated maps never do it): sum them */
        for (size_t o = m + 1; o < j; o++) {
            if (!used[o - i] && items[o].len == items[m].len &&
                memcmp(items[o].row, items[m].row, items[m].len) == 0) {
                w += items[o].w;
                used[o - i] = true;
            }
        }
        if (w <= 0)
            continue;
        buf_append(val, &rl, 4);
        buf_append(val, &w, 8);
        buf_append(val, items[m].row, rl);
    }
    free(used);
    if (val->failed)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    return val->len > 0 ? state_epoch_put(ep, tab, k, klen, val->data, val->len, err)
                        : state_epoch_delete(ep, tab, k, klen, err);
}

/*
 * Applies delta to the view's contents in ep; snap (NULL: the view is empty) has the contents
 * before; mk (NULL or n == 0: unkeyed) the view's key. *changed is set when anything is written.
 */
static int
contents_apply(Engine *e, const char *state_name, const MvKey *mk, const DeltaMap *delta,
               StateEpoch *ep, StateSnapshot *snap, bool *changed, Err *err)
{
    size_t maxkey = state_max_key_len(e->state), n = 0, pos = 0, len;
    Item *items = malloc(sizeof(Item) * (deltamap_size(delta) + 1));
    StateTable table;
    bool have_table = false, keyed = mk != NULL && mk->n > 0, grouped = false;
    const uint8_t *row;
    int64_t w;
    Buf key, val;
    Arena *a = NULL;
    Value *vals = NULL;
    int tab, rc = 0;

    if (items == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    if (state_epoch_table(ep, state_name, &tab, err) < 0) {
        free(items);
        return -1;
    }
    if (snap != NULL && (rc = state_snapshot_table(snap, state_name, &table, err)) < 0) {
        free(items);
        return -1;
    }
    have_table = snap != NULL && rc == 1;
    rc = 0;
    buf_init(&key, BUF_DEFAULT_MAX);
    buf_init(&val, SIZE_MAX);
    if (keyed) {
        a = arena_create("mv-apply", 0);
        vals = arena_calloc(a, (size_t)(mk->ncols ? mk->ncols : 1), sizeof(Value));
    }
    while (rc == 0 && deltamap_next(delta, &pos, &row, &len, &w)) {
        items[n] = (Item){row, len, w, 0, 1 + len > maxkey ? MV_BUCKET : MV_ROW, NULL, 0};
        if (keyed) {
            int k = row_entry_key(mk, row, len, maxkey, a, vals, &key, err);

            if (k < 0) {
                rc = -1;
                break;
            }
            if (k == 0) {
                uint8_t *copy = arena_alloc(a, key.len);

                memcpy(copy, key.data, key.len);
                items[n].kind = MV_KEYED;
                items[n].key = copy;
                items[n].keylen = key.len;
            }
        }
        if (items[n].kind == MV_BUCKET)
            items[n].hash = deltamap_hash(row, len);
        grouped |= items[n].kind != MV_ROW;
        n++;
    }
    if (rc == 0 && grouped) /* only entries of several rows need their items together */
        qsort(items, n, sizeof *items, item_cmp);
    for (size_t i = 0; rc == 0 && i < n;) {
        StateBytes old;
        int found = 0;
        size_t j = i + 1;

        *changed = true;
        if (items[i].kind == MV_ROW) {
            int64_t count = 0;

            buf_reset(&key);
            buf_put_u8(&key, MV_ROW);
            buf_append(&key, items[i].row, items[i].len);
            if (have_table && (found = state_get(&table, key.data, key.len, &old, err)) < 0) {
                rc = -1;
                break;
            }
            if (found == 1 && old.len == sizeof count)
                memcpy(&count, old.data, sizeof count);
            count += items[i].w;
            if (count < 0)
                LOG_WARNING("materialized view state \"%s\": a row's count fell to %" PRId64,
                            state_name, count);
            rc = count > 0 ? state_epoch_put(ep, tab, key.data, key.len, &count, sizeof count, err)
                           : state_epoch_delete(ep, tab, key.data, key.len, err);
            i++;
            continue;
        }
        /* an entry of several rows: merge the old ones with every item of the entry */
        while (j < n && item_same_entry(&items[j], &items[i]))
            j++;
        if (items[i].kind == MV_BUCKET) {
            uint8_t k9[9];

            long_key(items[i].hash, k9);
            rc = merge_entry(&table, have_table, ep, tab, k9, sizeof k9, items, i, j, &val, err);
        } else
            rc = merge_entry(&table, have_table, ep, tab, items[i].key, items[i].keylen, items, i,
                             j, &val, err);
        i = j;
    }
    buf_free(&key);
    buf_free(&val);
    arena_destroy(a);
    free(items);
    return rc;
}

/* ---- keys (keyed views) ------------------------------------------------------------------- */

/* The key of a relation a view reads: a primary-key table's, or a keyed view's. */
static int
pk_cols_of(void *arg, uint64_t relid, int *cols, int max)
{
    EngineRel *r = engine_find_rel(arg, relid);

    if (r != NULL && r->is_mv && r->mv != NULL && r->mv->key.n > 0 && r->mv->key.n <= max) {
        for (int i = 0; i < r->mv->key.n; i++)
            cols[i] = r->mv->key.cols[i];
        return r->mv->key.n;
    }
    if (r == NULL || r->pk == NULL || r->pk->npk <= 0 || r->pk->npk > max)
        return 0;
    for (int i = 0; i < r->pk->npk; i++)
        cols[i] = r->pk->pkcols[i];
    return r->pk->npk;
}

/* Fills mv->key from n columns cols of its output; false (unkeyed) if they cannot be a key. */
static bool
key_set(EngineMv *mv, const int *cols, int n)
{
    const PlanNode *p = mv->plan;

    mv->key.n = 0;
    mv->key.ncols = p->ncols;
    mv->key.types = p->types;
    if (n <= 0 || n > MV_KEY_MAX)
        return false;
    for (int i = 0; i < n; i++) {
        if (cols[i] < 0 || cols[i] >= p->ncols || !keycodec_type_supported(p->types[cols[i]]))
            return false;
        mv->key.cols[i] = cols[i];
        mv->key.kc[i] = (KeyColumn){p->types[cols[i]], false, false};
    }
    mv->key.n = n;
    return true;
}

/* CREATE: the view's key from its plan (under Engine.lock), and its marker into ep. */
static int
key_create(Engine *e, EngineMv *mv, StateEpoch *ep, Err *err)
{
    int cols[MV_KEY_MAX], n, tab;
    uint8_t marker[4 + 4 * MV_KEY_MAX], mk = MV_MARKER;
    uint32_t u;

    n = mv_test_legacy_format ? 0 : planner_stream_key(mv->plan, pk_cols_of, e, cols, MV_KEY_MAX);
    if (!key_set(mv, cols, n))
        return 0;
    u = (uint32_t)n;
    memcpy(marker, &u, 4);
    for (int i = 0; i < n; i++) {
        u = (uint32_t)cols[i];
        memcpy(marker + 4 + 4 * i, &u, 4);
    }
    if (state_epoch_table(ep, mv->state_name, &tab, err) < 0)
        return -1;
    return state_epoch_put(ep, tab, &mk, 1, marker, 4 + 4 * (size_t)n, err);
}

/* Start-up: the key the marker records (none: a view of the unkeyed format). */
static int
key_load(EngineMv *mv, StateSnapshot *snap, Err *err)
{
    StateTable t;
    StateBytes v;
    uint8_t mk = MV_MARKER;
    int cols[MV_KEY_MAX], rc;
    uint32_t n, u;

    mv->key.n = 0;
    if ((rc = state_snapshot_table(snap, mv->state_name, &t, err)) <= 0)
        return rc;
    if ((rc = state_get(&t, &mk, 1, &v, err)) <= 0)
        return rc;
    if (v.len < 4 || (memcpy(&n, v.data, 4), n > MV_KEY_MAX) || v.len != 4 + 4 * (size_t)n)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED,
                         "malformed key marker in materialized view state \"%s\"",
                         mv->state_name);
    for (uint32_t i = 0; i < n; i++) {
        memcpy(&u, (const uint8_t *)v.data + 4 + 4 * i, 4);
        cols[i] = (int)u;
    }
    if (!key_set(mv, cols, (int)n))
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED,
                         "key marker of materialized view state \"%s\" does not fit its columns",
                         mv->state_name);
    return 0;
}

/* ---- feeding a job ----------------------------------------------------------------------- */

typedef struct PushArg {
    StreamJob *job;
    int input;
    DeltaMap *map;
    DdlProgress *prog; /* rows read, for rw_ddl_progress; NULL: not counted */
    DeltaMap *out;     /* a persistent job's output, collected by intermediate barriers */
    uint64_t pushed;
} PushArg;

/* Rows a backfill pushes into a persistent job between barriers (bounds its scratch arena). */
#define BACKFILL_BARRIER_ROWS 65536

static int to_map(void *arg, const uint8_t *row, size_t len, int64_t weight, Err *err);

/* One row into a job during a backfill, with a barrier every BACKFILL_BARRIER_ROWS. */
static int
backfill_push(StreamJob *job, int input, DeltaMap *out, uint64_t *pushed, const uint8_t *row,
              size_t len, int64_t w, Err *err)
{
    if (stream_job_push(job, input, row, len, w, err) < 0)
        return -1;
    if (out != NULL && stream_job_persistent(job) && ++*pushed % BACKFILL_BARRIER_ROWS == 0)
        return stream_job_barrier(job, to_map, out, err);
    return 0;
}

/* Where feed_input sends rows: into a job's input, or (map != NULL) into a DeltaMap. */
static int
push_content(void *arg, const uint8_t *row, size_t len, int64_t count, Err *err)
{
    PushArg *p = arg;

    if (count == 0)
        return 0;
    if (p->prog != NULL)
        atomic_fetch_add(&p->prog->done, 1);
    if (p->map != NULL)
        return deltamap_add(p->map, row, len, count, err);
    return backfill_push(p->job, p->input, p->out, &p->pushed, row, len, count, err);
}

static int
to_map(void *arg, const uint8_t *row, size_t len, int64_t weight, Err *err)
{
    return deltamap_add(arg, row, len, weight, err);
}

/* A barrier's output (consolidated by the job's sink) into an empty map: no second hashing. */
static int
append_to_map(void *arg, const uint8_t *row, size_t len, int64_t weight, Err *err)
{
    return deltamap_append(arg, row, len, weight, err);
}

static int
subtract_content(void *arg, const uint8_t *row, size_t len, int64_t count, Err *err)
{
    return deltamap_add(arg, row, len, -count, err);
}

/*
 * Feeds input j of the job everything relation r holds as of the committed state: a view's or
 * primary-key table's rows from snap, a log's records before its consumed offset.
 */
static int
feed_input(Engine *e, StreamJob *job, int j, EngineRel *r, StateSnapshot *snap, DeltaMap *map,
           DdlProgress *prog, DeltaMap *out, Err *err)
{
    PushArg pa = {job, j, map, prog, out, 0};

    if (r->is_mv) {
        char name[STATE_TABLE_NAME_MAX + 1];

        mv_state_name(r->id, name);
        return contents_read(snap, name, push_content, &pa, err);
    }
    if (r->pk != NULL) {
        StateTable table;
        StateCursor *cur = NULL;
        StateBytes k, v;
        int rc = state_snapshot_table(snap, r->pk->state_name, &table, err);

        if (rc <= 0)
            return rc;
        if (state_cursor_open(&table, NULL, false, &cur, err) < 0)
            return -1;
        while ((rc = state_cursor_next(cur, &k, &v, err)) == 1) {
            if (push_content(&pa, v.data, v.len, 1, err) < 0) {
                rc = -1;
                break;
            }
        }
        state_cursor_close(cur);
        return rc < 0 ? -1 : 0;
    }
    {
        LogReader *reader = NULL;
        LogRecordView v;
        uint64_t start = log_start_offset(r->log);
        int rc;

        (void)e;
        if (r->consumed <= start)
            return 0;
        rc = log_reader_open(r->log, start, r->consumed, &reader, err);
        while (rc == 0 && (rc = log_reader_next(reader, &v, err)) == 1) {
            if (v.len < SQL_REC_HEADER || v.data[0] != SQL_REC_INSERT)
                rc = ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed record in log %" PRIu64,
                               r->id);
            else
                rc = push_content(&pa, v.data + SQL_REC_HEADER, v.len - SQL_REC_HEADER, 1, err);
        }
        if (reader != NULL)
            log_reader_close(reader);
        if (rc == 0) /* minus the rows found late (stream/engine_wm.c) */
            rc = wm_late_rows(e, r->id, snap, push_content, &pa, err);
        return rc < 0 ? -1 : 0;
    }
}

/*
 * Builds mv's job from scratch over the committed state in snap (under epoch_mu and
 * Engine.lock) and puts its output into out. With with_deltas, each input is this epoch's
 * state instead: the committed rows plus the epoch's changes, consolidated first, so a row
 * inserted and deleted within the epoch is never evaluated.
 */
static int
mv_build(Engine *e, EngineMv *mv, StateSnapshot *snap, bool with_deltas, DdlProgress *prog,
         DeltaMap *out, Err *err)
{
    DeltaMap m;
    uint64_t pushed = 0;
    int rc = 0;

    if (mv_new_job(e, mv, true, NULL, err) < 0)
        return -1;
    deltamap_init(&m);
    for (int j = 0; rc == 0 && j < stream_job_ninputs(mv->job); j++) {
        uint64_t relid = stream_job_input_relid(mv->job, j);
        EngineRel *r = engine_find_rel(e, relid);
        const uint8_t *row;
        size_t len, pos = 0;
        int64_t w;

        if (r == NULL) {
            rc = ERR_RAISE(err, ERRCODE_UNDEFINED_TABLE,
                           "materialized view \"%s\" reads relation %" PRIu64
                           ", which no longer exists",
                           mv->name, relid);
            break;
        }
        if (!with_deltas || r->delta == NULL) {
            rc = feed_input(e, mv->job, j, r, snap, NULL, prog, out, err);
            continue;
        }
        deltamap_reset(&m);
        rc = feed_input(e, mv->job, j, r, snap, &m, prog, out, err);
        while (rc == 0 && deltamap_next(r->delta, &pos, &row, &len, &w))
            rc = deltamap_add(&m, row, len, w, err);
        pos = 0;
        while (rc == 0 && deltamap_next(&m, &pos, &row, &len, &w))
            rc = backfill_push(mv->job, j, out, &pushed, row, len, w, err);
    }
    deltamap_free(&m);
    if (rc < 0 || stream_job_barrier(mv->job, to_map, out, err) < 0)
        return -1;
    /* everything read: state the watermarks made final can go (stream/job.h) */
    return stream_job_watermark(mv->job, wm_job_value, e, err);
}

/* How many rows a backfill of mv reads (for its progress). */
static uint64_t
input_rows(Engine *e, const EngineMv *mv, StateSnapshot *snap)
{
    const PlanNode *stack[64];
    uint64_t total = 0;
    int n = 0;
    Err ignored;

    /* the plan's scans (the job is built by mv_build, after this) */
    stack[n++] = mv->plan;
    while (n > 0) {
        const PlanNode *p = stack[--n];
        EngineRel *r;
        StateTable t;
        uint64_t count = 0;
        char name[STATE_TABLE_NAME_MAX + 1];

        if (p == NULL)
            continue;
        if (p->kind != PLAN_SCAN) {
            if (n + 2 <= 64) {
                stack[n++] = p->input;
                stack[n++] = p->right;
            }
            continue;
        }
        if ((r = engine_find_rel(e, p->u.scan.relid)) == NULL)
            continue;
        err_clear(&ignored);
        if (r->log != NULL && r->pk == NULL)
            total += r->consumed - log_start_offset(r->log);
        else {
            if (r->is_mv)
                mv_state_name(r->id, name);
            else
                snprintf(name, sizeof name, "%s", r->pk->state_name);
            if (state_snapshot_table(snap, name, &t, &ignored) == 1 &&
                state_count(&t, &count, &ignored) == 0)
                total += count;
        }
    }
    return total;
}

/* Rebuilds a view's job and queues the difference from its stored contents as corrections. */
static int
mv_rebuild(Engine *e, EngineMv *mv, StateSnapshot *snap, Err *err)
{
    e->mv_rebuilds++;
    for (int j = 0; mv->job != NULL && j < stream_job_ninputs(mv->job); j++) {
        EngineRel *in = engine_find_rel(e, stream_job_input_relid(mv->job, j));

        if (in != NULL && in->log != NULL && in->pk == NULL && log_start_offset(in->log) > 0)
            LOG_WARNING("materialized view \"%s\" is rebuilt from the retained records of "
                        "relation %" PRIu64 " only: records 0 to %" PRIu64
                        " were dropped by --log-retention",
                        mv->name, in->id, log_start_offset(in->log) - 1);
    }
    deltamap_reset(&mv->pending);
    if (mv_build(e, mv, snap, false, NULL, &mv->pending, err) < 0 ||
        contents_read(snap, mv->state_name, subtract_content, &mv->pending, err) < 0 ||
        eowc_subtract(e, mv->id, snap, &mv->pending, err) < 0) { /* stream/eowc.c */
        deltamap_reset(&mv->pending);
        mv->broken = true;
        return -1;
    }
    mv->broken = false;
    return 0;
}

/*
 * Start-up: a persistent job whose committed state was written by the same plan continues
 * from it; any other view is rebuilt from its inputs.
 */
static int
mv_restore(Engine *e, EngineMv *mv, StateSnapshot *snap, Err *err)
{
    StateTable t;
    bool valid = false;
    int rc;

    if (key_load(mv, snap, err) < 0)
        return -1;
    if (mv_new_job(e, mv, false, &valid, err) < 0)
        return -1;
    if (valid && (rc = state_snapshot_table(snap, mv->state_name, &t, err)) < 0)
        return -1;
    if (valid && rc == 1) {
        mv->broken = false;
        return 0;
    }
    if (stream_job_persistent(mv->job))
        LOG_INFO("materialized view \"%s\": operator state %s, rebuilding it", mv->name,
                 valid ? "without contents" : "missing or of another plan");
    if (mv_rebuild(e, mv, snap, err) == 0)
        return 0;
    if (err->level >= ERR_FATAL || !mv_to_memory(e, mv, NULL, err))
        return -1;
    err_clear(err);
    return mv_rebuild(e, mv, snap, err);
}

/*
 * A value too long for a state table's key (54000: a sort key over the limit, say) cannot be
 * kept by a persistent operator; rather than failing the view, its job is rebuilt with the
 * operators' state in memory (as before the state moved to LMDB: rebuilt at each start-up).
 * The stored fingerprint is deleted in ep, so a restart does not trust the state tables.
 * True when mv switched (the caller runs its step again).
 */
static bool
mv_to_memory(Engine *e, EngineMv *mv, StateEpoch *ep, const Err *why)
{
    char name[STATE_TABLE_NAME_MAX + 1];
    Err ignored;
    int table;

    if (mv->in_memory || mv->job == NULL || !stream_job_persistent(mv->job) ||
        strcmp(why->sqlstate, ERRCODE_PROGRAM_LIMIT_EXCEEDED) != 0)
        return false;
    err_clear(&ignored);
    if (ep != NULL && (state_table_name(name, mv->id, "om", &ignored) < 0 ||
                       state_epoch_table(ep, name, &table, &ignored) < 0 ||
                       state_epoch_delete(ep, table, "fp", 2, &ignored) < 0))
        return false;
    LOG_WARNING("materialized view \"%s\": %s; its operators keep their state in memory from "
                "now on (rebuilt at start-up)",
                mv->name, why->message);
    (void)e;
    mv->in_memory = true;
    mv->broken = true;
    mv->reopen = false;
    return true;
}

/* ---- epochs ------------------------------------------------------------------------------ */

static int
cmp_rel_id(const void *pa, const void *pb)
{
    const EngineRel *a = *(EngineRel *const *)pa, *b = *(EngineRel *const *)pb;

    return a->id < b->id ? -1 : a->id > b->id;
}

/* The views with a job, in id (= dependency) order; *n of them. */
static EngineRel **
views_in_order(Engine *e, size_t *n)
{
    EngineRel **v = malloc(sizeof(EngineRel *) * (e->nrels + 1));

    *n = 0;
    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < e->nrels; i++) {
        if (e->rels[i].is_mv && e->rels[i].mv != NULL)
            v[(*n)++] = &e->rels[i];
    }
    qsort(v, *n, sizeof *v, cmp_rel_id);
    return v;
}

/* True when an input of mv has changes this epoch. */
static bool
inputs_changed(Engine *e, const EngineMv *mv)
{
    for (int j = 0; mv->job != NULL && j < stream_job_ninputs(mv->job); j++) {
        EngineRel *in = engine_find_rel(e, stream_job_input_relid(mv->job, j));

        if (in != NULL && in->delta != NULL && deltamap_size(in->delta) > 0)
            return true;
    }
    return false;
}

/*
 * Runs one view's part of the epoch into mv->out. A failure here (an expression error on new
 * data, say) is the view's own: the caller isolates it.
 */
static int
mv_step(Engine *e, EngineMv *mv, StateSnapshot *snap, bool *ran, Err *err)
{
    const uint8_t *row;
    size_t len, pos = 0;
    int64_t w;
    bool changed = inputs_changed(e, mv) ||
                   (!mv->failed && stream_job_time_driven(mv->job)); /* op_temporal.c */

    *ran = false;
    if (mv->reopen && !mv->broken) {
        bool valid;

        /* the last epoch failed after the job changed its caches: back to the committed state */
        if (mv_new_job(e, mv, false, &valid, err) < 0)
            return -1;
        if (!valid)
            mv->broken = true;
    }
    if (mv->broken) {
        if (mv->failed && !changed)
            return 0; /* retried when an input changes */
        /* the answer after this epoch, from scratch, minus what is stored */
        *ran = true;
        mv->ran = true;
        deltamap_reset(&mv->out);
        if (mv_build(e, mv, snap, true, NULL, &mv->out, err) < 0 ||
            contents_read(snap, mv->state_name, subtract_content, &mv->out, err) < 0 ||
            eowc_subtract(e, mv->id, snap, &mv->out, err) < 0) /* stream/eowc.c */
            return -1;
        deltamap_reset(&mv->pending);
        mv->broken = false;
        return 0;
    }
    if (!changed && deltamap_size(&mv->pending) == 0)
        return 0;
    *ran = true;
    mv->ran = true;
    deltamap_reset(&mv->out);
    for (int j = 0; j < stream_job_ninputs(mv->job); j++) {
        EngineRel *in = engine_find_rel(e, stream_job_input_relid(mv->job, j));

        pos = 0;
        while (in != NULL && in->delta != NULL && deltamap_next(in->delta, &pos, &row, &len, &w)) {
            if (stream_job_push(mv->job, j, row, len, w, err) < 0)
                return -1;
        }
    }
    if (stream_job_barrier(mv->job, append_to_map, &mv->out, err) < 0 ||
        stream_job_watermark(mv->job, wm_job_value, e, err) < 0)
        return -1;
    pos = 0;
    while (deltamap_next(&mv->pending, &pos, &row, &len, &w)) {
        if (deltamap_add(&mv->out, row, len, w, err) < 0)
            return -1;
    }
    deltamap_reset(&mv->pending);
    return 0;
}

int
mv_epoch(Engine *e, StateEpoch *ep, StateSnapshot *snap, bool *changed, Err *err)
{
    size_t n;
    EngineRel **views = views_in_order(e, &n);
    int rc = 0;

    if (views == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        EngineRel *vr = views[i];
        EngineMv *mv = vr->mv;
        const uint8_t *row;
        size_t len, pos = 0;
        int64_t w;
        bool ran;
        int step;
        Err local;

        err_clear(&local);
        step = mv_step(e, mv, snap, &ran, &local);
        if (step < 0 && local.level < ERR_FATAL && mv_to_memory(e, mv, ep, &local)) {
            err_clear(&local);
            step = mv_step(e, mv, snap, &ran, &local); /* rebuilt with its state in memory */
        }
        if (step < 0) {
            if (local.level >= ERR_FATAL) {
                err_copy(err, &local);
                rc = -1;
                break;
            }
            /* the view's own failure: it stops changing (so do the views reading it) */
            if (!mv->failed || strcmp(mv->fail.message, local.message) != 0)
                LOG_WARNING("materialized view \"%s\" could not be maintained (%s): %s",
                            mv->name, local.sqlstate, local.message);
            err_copy(&mv->fail, &local);
            mv->failed = true;
            mv->broken = true;
            mv->ran = false;
            deltamap_reset(&mv->pending);
            continue;
        }
        if (!ran && !mv->failed && eowc_due(e, vr->id)) { /* stream/eowc.c: W advanced */
            deltamap_reset(&mv->out);
            ran = true;
        }
        if (ran) {
            mv->failed = false;
            rc = eowc_filter(e, vr->id, ep, snap, &mv->out, err); /* EMIT ON WINDOW CLOSE */
            *changed |= wm_view_is_eowc(e, vr->id); /* its buffer changed */
            if (rc == 0 && mv->key.n == 0) /* unkeyed rows in LMDB key order (deltamap.h) */
                rc = deltamap_sort(&mv->out, err);
            if (rc == 0)
                rc = contents_apply(e, mv->state_name, &mv->key, &mv->out, ep, snap, changed,
                                   err);
            pos = 0;
            while (rc == 0 && vr->delta != NULL &&
                   deltamap_next(&mv->out, &pos, &row, &len, &w))
                rc = deltamap_add(vr->delta, row, len, w, err);
        }
        /* the operators' state commits with the contents it produced */
        if (rc == 0 && !mv->broken && mv->job != NULL && stream_job_needs_flush(mv->job)) {
            mv->flushed = true;
            *changed = true;
            rc = stream_job_flush_state(mv->job, ep, err);
        }
    }
    free(views);
    return rc;
}

void
mv_epoch_done(Engine *e, bool committed)
{
    for (size_t i = 0; i < e->nrels; i++) {
        EngineMv *mv = e->rels[i].mv;

        if (mv == NULL)
            continue;
        if (mv->job != NULL && stream_job_persistent(mv->job)) {
            if (mv->flushed)
                stream_job_committed(mv->job, committed);
            stream_job_release(mv->job);
            /* caches changed for an epoch that did not commit: reopen the committed state */
            if ((mv->ran || mv->flushed) && !committed)
                mv->reopen = true;
        } else if (mv->ran && !committed)
            mv->broken = true;
        mv->ran = false;
        mv->flushed = false;
    }
}

/* ---- reading ----------------------------------------------------------------------------- */

static int
scan_content(void *arg, const uint8_t *row, size_t len, int64_t count, Err *err)
{
    static const uint8_t header[SQL_REC_HEADER] = {SQL_REC_INSERT, SQL_REC_VERSION, 0, 0};
    Buf *out = arg;
    uint32_t rl = (uint32_t)(SQL_REC_HEADER + len);

    for (int64_t c = 0; c < count; c++) {
        buf_append(out, &rl, sizeof rl);
        buf_append(out, header, sizeof header);
        buf_append(out, row, len);
    }
    if (out->failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                         "materialized view is too large to scan");
    return 0;
}

int
mv_scan(Engine *e, EngineRel *r, Buf *out, Err *err)
{
    StateSnapshot *snap;
    char name[STATE_TABLE_NAME_MAX + 1];
    int rc;

    if (r->mv == NULL || r->mv->failed) {
        if (r->mv == NULL)
            ERR_RAISE(err, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                      "materialized view %" PRIu64 " could not be restored at start-up", r->id);
        else
            ERR_RAISE(err, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                      "materialized view \"%s\" is not up to date: %s", r->mv->name,
                      r->mv->fail.message);
        err_hint(err, "The server log has the details. Fix or delete the rows that make the "
                      "view's query fail, or drop the view and create it again.");
        return -1;
    }
    mv_state_name(r->id, name);
    if (state_snapshot_begin(e->state, &snap, err) < 0)
        return -1;
    rc = contents_read(snap, name, scan_content, out, err);
    state_snapshot_end(snap);
    return rc;
}

/* ---- key lookups (stream/engine_key.h) ---------------------------------------------------- */

int
mv_scan_key(Engine *e, EngineRel *r, const ScanKeyReq *req, Buf *out, Err *err)
{
    const MvKey *mk;
    StateSnapshot *snap = NULL;
    StateTable table;
    StateCursor *cur = NULL;
    StateBytes k, v;
    StateRange range, legacy;
    uint8_t legacy_hi = MV_KEYED;
    KeySpec spec;
    Buf lo, hi;
    bool hi_open;
    int rc, t;

    if (r->mv == NULL || r->mv->failed || (mk = &r->mv->key)->n == 0 ||
        req->ncols != mk->ncols)
        return 2; /* mv_scan says why it cannot be read, or scans it */
    spec = (KeySpec){mk->kc, mk->n, false};
    buf_init(&lo, BUF_DEFAULT_MAX);
    buf_init(&hi, BUF_DEFAULT_MAX);
    rc = engine_key_range(&spec, mk->cols, req, MV_KEYED, &lo, &hi, &hi_open, err);
    if (rc < 0 || rc == 2)
        goto done;
    /* keys start with 0x02, so the upper bound is never open */
    range.lower = (StateBound){STATE_INCLUSIVE, {lo.data, lo.len}};
    range.upper = (StateBound){STATE_EXCLUSIVE, {hi.data, hi.len}};
    /* rows whose key is too long for LMDB are stored unkeyed (0x00, 0x01): all of them */
    legacy.lower = (StateBound){STATE_UNBOUNDED, {NULL, 0}};
    legacy.upper = (StateBound){STATE_EXCLUSIVE, {&legacy_hi, 1}};
    if (state_snapshot_begin(e->state, &snap, err) < 0) {
        rc = -1;
        goto done;
    }
    if ((t = state_snapshot_table(snap, r->mv->state_name, &table, err)) != 1) {
        rc = t < 0 ? -1 : 0;
        goto done;
    }
    for (int pass = rc == 1 ? 1 : 0; pass < 2; pass++) { /* rc 1: an empty key range */
        if ((rc = state_cursor_open(&table, pass == 0 ? &range : &legacy, false, &cur, err)) < 0)
            break;
        while ((rc = state_cursor_next(cur, &k, &v, err)) == 1) {
            if ((rc = entry_read(r->mv->state_name, &k, &v, scan_content, out, err)) < 0)
                break;
        }
        state_cursor_close(cur);
        cur = NULL;
        if (rc < 0)
            break;
    }
done:
    state_snapshot_end(snap);
    buf_free(&lo);
    buf_free(&hi);
    return rc < 0 ? -1 : rc == 2 ? 2 : 0;
}

/* ---- create and start-up ----------------------------------------------------------------- */

int
mv_drop_state(Engine *e, uint64_t id, Err *err)
{
    Arena *a = arena_create("mv-drop", 0);
    char **names;
    char name[STATE_TABLE_NAME_MAX + 1];
    size_t n;
    uint64_t owner;
    int rc = state_list_tables(e->state, a, &names, &n, err);

    mv_state_name(id, name);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!state_table_object_id(names[i], &owner) || owner != id)
            continue;
        if (strcmp(names[i], name) == 0 || stream_state_is_op_table(names[i]))
            rc = state_drop_table(e->state, names[i], err) < 0 ? -1 : 0;
    }
    arena_destroy(a);
    return rc;
}

/* Removes a view that failed halfway through CREATE; under epoch_mu. */
static void
undo_create(Engine *e, uint64_t id)
{
    Err ignored;
    EngineRel *r;

    err_clear(&ignored);
    pthread_rwlock_wrlock(&e->lock);
    engine_cache_clear(e);
    catalog_store_drop_relations(e->cs, &id, 1, &ignored);
    if ((r = engine_find_rel(e, id)) != NULL) {
        mv_free(r->mv);
        *r = e->rels[--e->nrels];
    }
    pthread_rwlock_unlock(&e->lock);
    err_clear(&ignored);
    mv_drop_state(e, id, &ignored);
}

int
mv_create(Engine *e, SqlRelation *rel, const char *definition, Err *err)
{
    CatalogColumn *cols = calloc((size_t)rel->ncols + 1, sizeof *cols);
    CatalogRelation cr = {0};
    EngineMv *mv = NULL;
    StateSnapshot *snap = NULL;
    StateEpoch *ep = NULL;
    DeltaMap init;
    EngineRel *r;
    DdlProgress *prog;
    uint64_t nrec;
    int ntab, rc;
    bool changed = false;
    int64_t t0 = clock_monotonic_ns();

    if (cols == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < rel->ncols; i++)
        cols[i] = (CatalogColumn){rel->cols[i].name, rel->cols[i].type, rel->cols[i].typmod,
                                  false, NULL, 0,
                                  struct_type_def(rel->cols[i].type, rel->cols[i].typmod), NULL};
    cr.schema_id = CATALOG_PUBLIC_SCHEMA_ID;
    cr.name = rel->name;
    cr.kind = CATALOG_MATVIEW;
    cr.definition = definition;
    cr.columns = cols;
    cr.n_columns = (size_t)rel->ncols;
    cr.depends_on = rel->deps;
    cr.n_depends_on = (size_t)rel->ndeps;
    if (mv_bind(0, rel->name, definition, &mv, err) < 0) {
        free(cols);
        return -1;
    }
    pthread_mutex_lock(&e->epoch_mu);
    /* everything acknowledged so far is applied and delivered to the existing views */
    if (epoch_run_locked(e, &nrec, &ntab, err) < 0) {
        pthread_mutex_unlock(&e->epoch_mu);
        mv_free(mv);
        free(cols);
        return -1;
    }
    pthread_rwlock_wrlock(&e->lock);
    engine_cache_clear(e);
    rc = catalog_store_create_relation(e->cs, &cr, err);
    if (rc == CATALOG_OK && add_view_rel(e, cr.id, err) < 0) {
        Err ignored;

        catalog_store_drop_relations(e->cs, &cr.id, 1, &ignored);
        rc = -1;
    }
    pthread_rwlock_unlock(&e->lock);
    free(cols);
    if (rc != CATALOG_OK) {
        pthread_mutex_unlock(&e->epoch_mu);
        mv_free(mv);
        if (rc == CATALOG_DUPLICATE)
            return 1;
        if (rc == CATALOG_NOT_FOUND)
            return ERR_RAISE(err, ERRCODE_UNDEFINED_TABLE,
                             "a relation materialized view \"%s\" reads was dropped meanwhile",
                             rel->name);
        return -1;
    }
    rel->id = cr.id;
    mv->id = cr.id;
    mv_state_name(cr.id, mv->state_name);
    deltamap_init(&init);
    pthread_rwlock_rdlock(&e->lock);
    rc = state_snapshot_begin(e->state, &snap, err);
    if (rc == 0) {
        prog = sys_progress_begin(e, cr.id, definition, input_rows(e, mv, snap));
        rc = mv_build(e, mv, snap, false, prog, &init, err);
        if (rc < 0 && err->level < ERR_FATAL && mv_to_memory(e, mv, NULL, err)) {
            deltamap_reset(&init);
            err_clear(err);
            rc = mv_build(e, mv, snap, false, prog, &init, err);
        }
        sys_progress_end(e, prog);
    }
    state_snapshot_end(snap);
    if (rc == 0)
        rc = state_epoch_begin(e->state, e->epoch_no + 1, &ep, err);
    if (rc == 0)
        rc = eowc_filter(e, cr.id, ep, NULL, &init, err); /* EOWC: only closed windows */
    if (rc == 0)
        rc = key_create(e, mv, ep, err); /* keyed contents: 0x03 marker */
    if (rc == 0)
        rc = contents_apply(e, mv->state_name, &mv->key, &init, ep, NULL, &changed, err);
    if (rc == 0)
        rc = stream_job_flush_state(mv->job, ep, err);
    for (int j = 0; rc == 0 && j < stream_job_ninputs(mv->job); j++) {
        EngineRel *in = engine_find_rel(e, stream_job_input_relid(mv->job, j));

        /* the log position the backfill read up to, for the restart */
        if (in != NULL && in->log != NULL && in->pk == NULL &&
            in->consumed > log_start_offset(in->log))
            rc = state_epoch_set_offset(ep, in->id, in->consumed - 1, err);
    }
    if (rc == 0 && (rc = state_epoch_commit(ep, err)) == 0) {
        ep = NULL;
        e->epoch_no++;
        stream_job_committed(mv->job, true);
        if ((r = engine_find_rel(e, cr.id)) != NULL) {
            r->mv = mv;
            mv = NULL;
        }
    }
    state_epoch_abort(ep);
    pthread_rwlock_unlock(&e->lock);
    if (rc < 0) {
        undo_create(e, cr.id);
        pthread_mutex_unlock(&e->epoch_mu);
        mv_free(mv);
        deltamap_free(&init);
        return -1;
    }
    pthread_mutex_unlock(&e->epoch_mu);
    {
        const uint8_t *row;
        size_t len, pos = 0;
        int64_t w;

        rel->nrows = 0;
        while (deltamap_next(&init, &pos, &row, &len, &w))
            rel->nrows += w;
    }
    LOG_INFO("materialized view \"%s\" created: %zu distinct rows backfilled in %.1f ms",
             rel->name, deltamap_size(&init), (double)(clock_monotonic_ns() - t0) / 1e6);
    mv_free(mv);
    deltamap_free(&init);
    return 0;
}

int
mv_open(Engine *e, Err *err)
{
    Arena *a = arena_create("mv-open", 0);
    StateSnapshot *snap = NULL;
    size_t n = 0;
    EngineRel **views;
    int64_t t0 = clock_monotonic_ns();
    int rc = 0, nok = 0;

    pthread_mutex_lock(&e->epoch_mu);
    pthread_rwlock_rdlock(&e->lock);
    views = malloc(sizeof(EngineRel *) * (e->nrels + 1));
    if (views == NULL)
        rc = ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; rc == 0 && i < e->nrels; i++) {
        if (e->rels[i].is_mv)
            views[n++] = &e->rels[i];
    }
    if (rc == 0)
        qsort(views, n, sizeof *views, cmp_rel_id);
    if (rc == 0 && n > 0)
        rc = state_snapshot_begin(e->state, &snap, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        CatalogRelation *cr;
        EngineMv *mv;
        Err local;

        err_clear(&local);
        if (catalog_store_lookup_by_id(e->cs, views[i]->id, a, &cr, err) != CATALOG_OK) {
            rc = -1;
            break;
        }
        mv = NULL;
        if (mv_bind(cr->id, cr->name, cr->definition ? cr->definition : "", &mv, &local) < 0 ||
            mv_restore(e, mv, snap, &local) < 0) {
            mv_free(mv);
            LOG_WARNING("materialized view \"%s\" could not be restored (%s): %s; its contents "
                        "stay as last committed and are no longer maintained; drop and create "
                        "it again",
                        cr->name, local.sqlstate, local.message);
            continue;
        }
        views[i]->mv = mv;
        nok++;
    }
    state_snapshot_end(snap);
    pthread_rwlock_unlock(&e->lock);
    pthread_mutex_unlock(&e->epoch_mu);
    free(views);
    arena_destroy(a);
    if (rc == 0 && n > 0)
        LOG_INFO("%d of %zu materialized views restored in %.1f ms", nok, n,
                 (double)(clock_monotonic_ns() - t0) / 1e6);
    return rc;
}
