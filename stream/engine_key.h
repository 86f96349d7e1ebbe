/*
 * stream/engine_key.h — key lookups: a scan of a keyed materialized view or
 * of a primary-key table that reads only the keys a WHERE pins (point) or
 * bounds (a range on the first key column after the pinned ones), straight
 * from the committed LMDB state, instead of every row.
 *
 *   SELECT ... FROM v WHERE k = $1          planner/scankey.c: bounds per column
 *     ──▶ stream/op_scan.c evaluates them   (values of the columns' types)
 *     ──▶ engine_scan_key                    views: engine_mv.c mv_scan_key
 *                                            tables: pk_get for a point (overlay
 *                                            included), a state range after an epoch
 *
 * Invariants:
 *   1. A lookup returns every row of the relation that satisfies the bounds
 *      (it may return more: the Filter above the scan decides), as of the
 *      same state engine_scan would read.
 *   2. Returns 2 (the caller scans) whenever it cannot serve the bounds: an
 *      unkeyed view, or bounds that do not bound the first key column.
 */
#ifndef RIVULET_STREAM_ENGINE_KEY_H
#define RIVULET_STREAM_ENGINE_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"
#include "sql/datum.h"
#include "sql/keycodec.h"
#include "stream/engine.h"

/* The bounds on one column of the relation; values are of the column's type, never NULL. */
typedef struct ScanKeyCol {
    bool has_eq, has_lo, has_hi;
    bool lo_incl, hi_incl;
    Value eq, lo, hi;
} ScanKeyCol;

typedef struct ScanKeyReq {
    int ncols; /* the relation's columns */
    const ScanKeyCol *cols;
} ScanKeyReq;

/*
 * Calls fn for every record (SQL_REC_INSERT header + row) of relid within req: 0 done,
 * 1 relid was dropped (as engine_scan), 2 not possible (the caller scans), -1 on error.
 */
int engine_scan_key(Engine *e, uint64_t relid, const ScanKeyReq *req, EngineRecordFn fn, void *arg,
                    Err *err);

/* Counters for tests and the bench: lookups served, rows they returned, lookups refused. */
typedef struct EngineKeyStats {
    uint64_t lookups, rows, refused;
} EngineKeyStats;

void engine_key_stats(EngineKeyStats *out);

/* ---- internal (stream/engine_mv.c) ---- */
struct EngineRel;

/*
 * The key range of req over keys whose columns are cols[0 .. spec->ncols) of the relation,
 * encoded by spec (ascending) after the byte tag (tag < 0: none): the longest prefix of key
 * columns pinned by eq, then the lower / upper bound of the next one. [*lo, *hi) with *hi
 * exclusive. Returns 0, 1 when the range is empty, 2 when nothing bounds the first key
 * column (a lookup would read everything), -1 on error. *hi_open: no upper bound (*hi unused).
 */
int engine_key_range(const KeySpec *spec, const int *cols, const ScanKeyReq *req, int tag, Buf *lo,
                     Buf *hi, bool *hi_open, Err *err);

/* A keyed view's rows within req as records (like mv_scan); 2 when the view cannot serve req. */
int mv_scan_key(Engine *e, struct EngineRel *r, const ScanKeyReq *req, Buf *out, Err *err);

/* Tests only: views created while set store the unkeyed format of older binaries (0x00). */
extern bool mv_test_legacy_format;

#endif
