/*
 * stream/engine_wm.h — watermarks in the engine (stream/engine_wm.c) and EMIT ON WINDOW
 * CLOSE (stream/eowc.c). Private to stream/engine*.c: the epoch driver (engine_pk.c), the
 * views (engine_mv.c), the system views (engine_sys.c) call in here with a line each.
 *
 *   epoch_run_locked ─ collect every log's new rows (wm_tracks: also sources with a
 *                      watermark that no view reads)
 *                    ─ wm_epoch: per source with WATERMARK FOR: drop late rows from its
 *                      delta (counted, kept in "t<id>.late", copied to late_rows.table),
 *                      advance the watermark (max expr(ts) of the epoch's rows; idle timeout),
 *                      persist it in "t<id>.wm"
 *                    ─ mv_epoch: EOWC views' output through eowc_filter ("t<id>.eowc")
 *                    ─ commit ─ wm_epoch_done(committed)
 *
 * Locks: everything here runs under epoch_mu and Engine.lock shared, except wm_sys_rows
 * (a session reading rw_catalog.rw_watermarks), which only takes the registry's mutex.
 */
#ifndef RIVULET_STREAM_ENGINE_WM_H
#define RIVULET_STREAM_ENGINE_WM_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
#include "sql/datum.h"
#include "storage/state.h"
#include "stream/deltamap.h"
#include "stream/engine_int.h"

/* True when relation id's new rows must be collected for the watermark (a delta needed). */
bool wm_tracks(Engine *e, uint64_t id);

/*
 * The sources' part of the epoch (after their rows are collected, before mv_epoch): late rows
 * leave the deltas, watermarks advance into ep. *changed when something must be committed.
 */
int wm_epoch(Engine *e, StateEpoch *ep, StateSnapshot *snap, bool *changed, Err *err);
/* After the epoch: the new watermarks and counts become the committed ones (or are dropped). */
void wm_epoch_done(Engine *e, bool committed);

/*
 * A backfill / rebuild reading log relation id up to its consumed offset: fn(arg, row, len,
 * -1) for every row found late (so the rows views see are the log minus the late ones).
 */
typedef int (*WmRowFn)(void *arg, const uint8_t *row, size_t len, int64_t count, Err *err);
int wm_late_rows(Engine *e, uint64_t id, StateSnapshot *snap, WmRowFn fn, void *arg, Err *err);

/*
 * An ad-hoc scan of log relation id (engine_scan): the multiset of its rows found late (NULL:
 * none), and whether a record is one of them (each late copy skips one record).
 */
DeltaMap *wm_scan_late(Engine *e, uint64_t id);
bool wm_scan_skip(DeltaMap *late, const uint8_t *rec, size_t len);
void wm_scan_late_free(DeltaMap *late);

/* True for the state tables this file and eowc.c own ("t<id>.wm", ".late", ".eowc"). */
bool wm_is_state_table(const char *name);

/* rw_catalog.rw_watermarks: one call of fn per row (WM_SYS_NCOLS values). */
#define WM_SYS_NCOLS 7
typedef int (*WmSysFn)(void *arg, const Value *vals, Err *err);
int wm_sys_rows(Engine *e, Arena *a, WmSysFn fn, void *arg, Err *err);

void wm_free(Engine *e);

/*
 * For a view's job (stream/job.h): which column of relation relid carries a watermark
 * (SqlWmLookupFn, arg the Engine), and its value this epoch (StreamWmValueFn).
 */
bool wm_job_column(void *engine, uint64_t relid, const char *relname, int *col);
bool wm_job_value(void *engine, uint64_t relid, Datum *w);

/* ---- EMIT ON WINDOW CLOSE (stream/eowc.c) ---- */

/* True when view id must run this epoch although its inputs did not change (W advanced). */
bool eowc_due(Engine *e, uint64_t id);
/*
 * View id's output changes of the epoch (out) go into its buffer "t<id>.eowc"; out becomes the
 * rows whose watermark column the view's watermark has passed, released once, as inserts.
 * Views that are not EOWC are left alone. snap NULL: a view just created (empty buffer).
 */
int eowc_filter(Engine *e, uint64_t id, StateEpoch *ep, StateSnapshot *snap, DeltaMap *out,
                Err *err);
/* After a rebuild computed "output - contents" into map: minus the buffered rows too. */
int eowc_subtract(Engine *e, uint64_t id, StateSnapshot *snap, DeltaMap *map, Err *err);

/* ---- shared by engine_wm.c and eowc.c ---- */

/* A view's or source's registry entry: is it EOWC, its watermark this epoch (valid?). */
bool wm_view_is_eowc(Engine *e, uint64_t id);
bool wm_current(Engine *e, uint64_t id, Datum *w);
/* eowc.c remembers the watermark it last released up to. */
bool wm_released_get(Engine *e, uint64_t id, Datum *w);
void wm_released_set(Engine *e, uint64_t id, Datum w);
/* The view's watermarked output column and its type. */
int wm_view_column(Engine *e, uint64_t id, Oid *type);
Oid *wm_view_types(Engine *e, uint64_t id, int *ncols);

#endif
