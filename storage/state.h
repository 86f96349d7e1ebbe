/*
 * storage/state.h — the state store: durable key/value state tables over LMDB.
 *
 * Where it sits: below stream/ and sql/ (which encode keys and rows into bytes), above LMDB.
 * It knows bytes, not SQL. One LMDB environment lives in <data-dir>/state/; each state table
 * is a named LMDB database whose name is derived from the stable catalog object id:
 * "t<id>.<suffix>" (state_table_name()), e.g. "t16384.s0". A reserved database "_meta" holds
 * the number of the last committed epoch and every log's consumed offset.
 *
 * Writing: an epoch is a batch. The epoch driver collects, for one checkpoint, the puts and
 * deletes of every state table plus every log's consumed offset in a StateEpoch, then
 * state_epoch_commit() applies them in ONE LMDB write transaction that also records the epoch
 * number. Either all of it is durable (LMDB syncs on commit) or none of it is.
 *
 * Reading: a StateSnapshot is an LMDB read transaction; it sees whole epochs only, never a
 * half-applied one. Values are returned as pointers into the memory map (no copy), valid
 * until the snapshot ends.
 *
 * Ownership and threads:
 *   - StateStore is shared by all threads. Commits are serialized internally.
 *   - A StateSnapshot (and its cursors) is used by one thread at a time; it may move between
 *     threads (the environment is opened with MDB_NOTLS). End it promptly: while any snapshot
 *     is open the map cannot grow and tables cannot be dropped (those wait, with a timeout).
 *     Do not begin a second snapshot in a thread that already holds one: if a map growth is
 *     waiting, the second begin waits for the growth, which waits for the first snapshot, until
 *     the growth times out (StateOptions.exclusive_timeout_ms) and fails its epoch. For the
 *     same reason the thread that commits epochs ends its own snapshots before committing
 *     (an operator reading previous state during an epoch ends that snapshot at the barrier).
 *   - A StateEpoch belongs to its creator; any number may be open, commits are serialized and
 *     epoch numbers must increase from commit to commit.
 *
 * Keys are 1..state_max_key_len() bytes (LMDB's limit, 511 in a default build), ordered by
 * memcmp with a shorter key first when one is a prefix of the other — the memcomparable order
 * the SQL layer encodes for. An empty key is rejected (encode a zero-column key as one byte).
 * Values are 0..STATE_MAX_VALUE_LEN bytes.
 *
 * Errors: functions return 0 (or a documented positive value) on success and -1 with `err`
 * filled on failure. SQLSTATEs: 53100 (map full at its ceiling, disk full; the epoch failed
 * and nothing of it is visible), 53000 (no reader slot free), 54000 (key/value too long, epoch
 * too large for one transaction), 22023 (bad table name), 55000 (epoch number not increasing,
 * store busy past the timeout), 58030 at level PANIC (an LMDB commit failed with an I/O
 * error: the server must stop; restart recovers from the last committed epoch), XX001 (the
 * environment is corrupt).
 *
 * Invariants:
 *   1. A reader sees exactly the state as of some committed epoch: all of its writes and
 *      offsets, or none of them.
 *   2. An epoch that fails (abort, MAP_FULL at the ceiling, any error) leaves no trace.
 *   3. The map grows only while no read or write transaction of this process is active.
 *   4. The epoch number recorded in "_meta" strictly increases.
 *   5. A dropped table disappears in one transaction, together with nothing else.
 */
#ifndef RIVULET_STORAGE_STATE_H
#define RIVULET_STORAGE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/err.h"

/* Longest state table name, terminator excluded. */
#define STATE_TABLE_NAME_MAX 63
/* Largest value accepted by state_epoch_put (LMDB's own limit is far above). */
#define STATE_MAX_VALUE_LEN ((size_t)1 << 30)

typedef struct StateStore StateStore;
typedef struct StateSnapshot StateSnapshot;
typedef struct StateEpoch StateEpoch;
typedef struct StateCursor StateCursor;

typedef struct StateOptions {
    size_t map_size;               /* initial map size; 0 = 8 GiB (64-bit), address space only */
    size_t map_size_max;           /* ceiling the map may grow to; 0 = 1 TiB (64-bit) */
    unsigned max_tables;           /* named databases, "_meta" included; 0 = 4096 */
    unsigned max_readers;          /* concurrent snapshots; 0 = 256 */
    unsigned exclusive_timeout_ms; /* wait for snapshots to end before a growth/drop; 0 = 5000 */
} StateOptions;

/* A byte string inside the memory map (or the caller's memory for inputs). */
typedef struct StateBytes {
    const void *data;
    size_t len;
} StateBytes;

/* A state table as seen by one snapshot; a small value, valid until the snapshot ends. */
typedef struct StateTable {
    StateSnapshot *snap;
    unsigned dbi;
} StateTable;

typedef enum StateBoundKind {
    STATE_UNBOUNDED = 0,
    STATE_INCLUSIVE,
    STATE_EXCLUSIVE,
    STATE_PREFIX, /* upper bound only: every key below key or starting with key */
} StateBoundKind;

typedef struct StateBound {
    StateBoundKind kind;
    StateBytes key;
} StateBound;

/* A key range [lower, upper] with each end inclusive, exclusive or open. */
typedef struct StateRange {
    StateBound lower;
    StateBound upper;
} StateRange;

/* Counters for tests, metrics and the bench. */
typedef struct StateStats {
    size_t map_size;   /* current map size */
    size_t used_bytes; /* pages in use * page size */
    unsigned page_size;
    unsigned map_growths;           /* growths since open */
    unsigned stale_readers_cleared; /* at open */
    uint64_t last_epoch;
} StateStats;

/* ---- environment ---- */

/*
 * Opens (creating if needed) the environment in directory `dir` (created with mode 0700 if
 * missing). Clears reader slots left by dead processes. opts may be NULL for defaults.
 */
int state_open(const char *dir, const StateOptions *opts, StateStore **out, Err *err);
/* Closes the environment. Every snapshot and epoch must have ended. NULL is a no-op. */
void state_close(StateStore *st);

/* Number of the last committed epoch (0 for a new store). */
uint64_t state_last_epoch(StateStore *st);
size_t state_max_key_len(StateStore *st);
void state_stats(StateStore *st, StateStats *out);

/* One table's size as of a snapshot (rw_catalog.rw_state_tables, the state curve bench). */
typedef struct StateTableStat {
    char name[STATE_TABLE_NAME_MAX + 1];
    uint64_t entries; /* keys */
    uint64_t pages;   /* branch + leaf + overflow pages of its B-tree */
    uint64_t bytes;   /* pages * page size: what the table occupies in the file */
} StateTableStat;

/*
 * Entries and pages of every table committed as of one snapshot, in name order, then "_meta",
 * in an array allocated in `a`. Reads LMDB's per-table counters (no scan): O(tables). Pages
 * freed by deletes go back to LMDB's free list, so the file itself never shrinks. Takes its own
 * snapshot: not to be called by a thread that holds one.
 */
int state_table_stats(StateStore *st, Arena *a, StateTableStat **out, size_t *n, Err *err);

/* ---- table names ---- */

/*
 * Writes "t<object_id>.<suffix>" into buf (at least STATE_TABLE_NAME_MAX + 1 bytes). suffix is
 * 1..16 characters of [a-z0-9_]. Returns -1 (22023) if the suffix is malformed.
 */
int state_table_name(char *buf, uint64_t object_id, const char *suffix, Err *err);
/* Parses the object id out of a state table name; false if the name is not one. */
bool state_table_object_id(const char *name, uint64_t *object_id);

/* Lists the state tables that exist now (committed), in name order, allocated in `a`. */
int state_list_tables(StateStore *st, Arena *a, char ***names, size_t *n, Err *err);

/* Creates an empty table now (its own write transaction); no-op if it exists. */
int state_create_table(StateStore *st, const char *name, Err *err);

/*
 * Drops a table and its contents in its own write transaction. Waits (up to the exclusive
 * timeout) until no snapshot is open. Returns 1 if there was no such table.
 */
int state_drop_table(StateStore *st, const char *name, Err *err);

/* ---- writing: epochs ---- */

/*
 * Starts collecting epoch `epoch_no`. The operations are buffered (in an arena owned by the
 * epoch) and applied at commit, in the order given, so a later put of a key overrides an
 * earlier one and a delete after a put removes it.
 */
int state_epoch_begin(StateStore *st, uint64_t epoch_no, StateEpoch **out, Err *err);

/*
 * Names a table the epoch writes to and returns its handle in *table (small integer, valid
 * for this epoch). A table that does not exist is created at commit, even if nothing is put.
 */
int state_epoch_table(StateEpoch *ep, const char *name, int *table, Err *err);

int state_epoch_put(StateEpoch *ep, int table, const void *key, size_t key_len, const void *val,
                    size_t val_len, Err *err);
/* Deleting a key that does not exist is not an error. */
int state_epoch_delete(StateEpoch *ep, int table, const void *key, size_t key_len, Err *err);
/* Empties the table (every key before this call's position in the epoch; later puts stay). */
int state_epoch_clear_table(StateEpoch *ep, int table, Err *err);

/* Records that log `log_id` has been consumed through offset `offset` (inclusive). */
int state_epoch_set_offset(StateEpoch *ep, uint64_t log_id, uint64_t offset, Err *err);
/* Forgets log `log_id`'s consumed offset (its source was dropped). */
int state_epoch_clear_offset(StateEpoch *ep, uint64_t log_id, Err *err);

/* Operations buffered so far (tests, metrics). */
size_t state_epoch_op_count(const StateEpoch *ep);

/*
 * Commits everything in ONE write transaction, growing the map and retrying if it fills.
 * On success ep is freed. On failure nothing of the epoch is visible, state_last_epoch() is
 * unchanged and ep is left intact: the caller may commit it again (after a 55000 "busy", say)
 * or must state_epoch_abort() it.
 */
int state_epoch_commit(StateEpoch *ep, Err *err);
/* Discards ep without writing anything. NULL is a no-op. */
void state_epoch_abort(StateEpoch *ep);

/* ---- reading: snapshots ---- */

int state_snapshot_begin(StateStore *st, StateSnapshot **out, Err *err);
/* Ends the snapshot; every pointer it handed out becomes invalid. NULL is a no-op. */
void state_snapshot_end(StateSnapshot *snap);
/* The epoch this snapshot sees. */
uint64_t state_snapshot_epoch(const StateSnapshot *snap);

/* Returns 1 and fills *table if the table exists in this snapshot, 0 if it does not. */
int state_snapshot_table(StateSnapshot *snap, const char *name, StateTable *table, Err *err);

/* Point get: 1 found (*val points into the map), 0 not found. */
int state_get(const StateTable *table, const void *key, size_t key_len, StateBytes *val, Err *err);
/* Number of keys in the table (O(1)). */
int state_count(const StateTable *table, uint64_t *count, Err *err);

/* Consumed offset of a log as of this snapshot: 1 found, 0 never recorded. */
int state_snapshot_offset(StateSnapshot *snap, uint64_t log_id, uint64_t *offset, Err *err);
/* Calls fn for every recorded offset, in log id order (recovery). Stops at fn's non-zero. */
int state_snapshot_offsets(StateSnapshot *snap,
                           int (*fn)(void *arg, uint64_t log_id, uint64_t offset), void *arg,
                           Err *err);

/* A range covering exactly the keys that start with prefix (prefix must outlive the range). */
StateRange state_range_prefix(const void *prefix, size_t len);
/* The whole table. */
StateRange state_range_all(void);

/*
 * Opens a cursor over range in ascending (or, if backward, descending) key order. range may
 * be NULL for the whole table; its key bytes must stay valid while the cursor is open.
 */
int state_cursor_open(const StateTable *table, const StateRange *range, bool backward,
                      StateCursor **out, Err *err);
/* Next row: 1 with *key and *val pointing into the map, 0 at the end. */
int state_cursor_next(StateCursor *cur, StateBytes *key, StateBytes *val, Err *err);
/* Closes the cursor (before its snapshot ends). NULL is a no-op. */
void state_cursor_close(StateCursor *cur);

#endif
