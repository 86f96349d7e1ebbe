/*
 * stream/engine_opts.c — storage options the server sets from its flags
 * before it opens the engine (--log-compression-level, --state-map-size,
 * --log-retention):
 * process-wide, read by every log and by the state store the engine opens
 * afterwards.
 *
 * Invariants:
 *   1. 0 means "the storage layer's default" (storage/log.h, storage/state.h),
 *      so an engine opened without engine_set_storage_options() (unit tests)
 *      behaves as before.
 *   2. The values are range-checked by the caller (server/config.c); a
 *      level outside 1..19 is ignored here rather than passed to zstd.
 */
#include <stdatomic.h>

#include "stream/engine_int.h"

static _Atomic int zstd_level;
static _Atomic size_t map_size;
static _Atomic size_t cache_budget;

void
engine_set_state_cache_budget(size_t bytes)
{
    atomic_store(&cache_budget, bytes);
}

size_t
engine_state_cache_budget(void)
{
    return atomic_load(&cache_budget);
}
static _Atomic uint64_t retention_bytes;
static _Atomic int64_t retention_us;

void
engine_set_log_retention(uint64_t max_bytes, int64_t max_age_us)
{
    atomic_store(&retention_bytes, max_bytes);
    atomic_store(&retention_us, max_age_us);
}

void
engine_log_retention(uint64_t *max_bytes, int64_t *max_age_us)
{
    *max_bytes = atomic_load(&retention_bytes);
    *max_age_us = atomic_load(&retention_us);
}

void
engine_set_storage_options(int log_zstd_level, size_t state_map_size)
{
    atomic_store(&zstd_level, log_zstd_level >= 1 && log_zstd_level <= 19 ? log_zstd_level : 0);
    atomic_store(&map_size, state_map_size);
}

const LogOptions *
engine_log_options(LogOptions *o)
{
    int level = atomic_load(&zstd_level);

    if (level == 0)
        return NULL;
    log_options_default(o);
    o->zstd_level = level;
    return o;
}

const StateOptions *
engine_state_options(StateOptions *o)
{
    size_t size = atomic_load(&map_size);

    if (size == 0)
        return NULL;
    *o = (StateOptions){0};
    o->map_size = size;
    return o;
}
