/*
 * stream/opstate.c — persistent operator state (see stream/opstate.h): a
 * registry of the state caches of one run, all sharing one reader, named
 * after the view and the operator, flushed and confirmed together.
 *
 * Invariants:
 *   1. A (node id, tag) pair has at most one cache in a StreamState.
 *   2. In a fresh StreamState every cache is cleared when opened, so the
 *      first flush replaces whatever the table held.
 */
#include "stream/opstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "stream/stream_int.h"

typedef struct Slot {
    int node;
    char tag[4];
    StateCache *sc;
} Slot;

struct StreamState {
    StreamStateOpts opts;
    StateCacheReader *rd;
    Slot *slots;
    int n, cap;
};

int
stream_state_new(const StreamStateOpts *opts, StreamState **out, Err *err)
{
    StreamState *s = calloc(1, sizeof *s);

    *out = NULL;
    if (s == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    s->opts = *opts;
    if (statecache_reader_create(opts->st, &s->rd, err) < 0) {
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void
stream_state_free(StreamState *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->n; i++)
        statecache_close(s->slots[i].sc);
    statecache_reader_destroy(s->rd);
    free(s->slots);
    free(s);
}

static bool
valid_tag(const char *tag)
{
    size_t n = strlen(tag);

    if (n == 0 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (tag[i] < 'a' || tag[i] > 'z')
            return false;
    }
    return true;
}

static int open_slot(StreamState *s, int node, const char *tag, const char *suffix,
                     StateCache **out, Err *err);

int
stream_state_cache(StreamRun *run, const DfNode *node, const char *tag, StateCache **out,
                   Err *err)
{
    StreamState *s = run->state;
    char suffix[32];

    *out = NULL;
    if (s == NULL)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "operator state asked of an in-memory run");
    if (!valid_tag(tag))
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "invalid operator state tag \"%s\"", tag);
    for (int i = 0; i < s->n; i++) {
        if (s->slots[i].node == node->id && strcmp(s->slots[i].tag, tag) == 0) {
            *out = s->slots[i].sc;
            return 0;
        }
    }
    snprintf(suffix, sizeof suffix, "o%d%s", node->id, tag);
    return open_slot(s, node->id, tag, suffix, out, err);
}

static int
open_slot(StreamState *s, int node, const char *tag, const char *suffix, StateCache **out,
          Err *err)
{
    char name[STATE_TABLE_NAME_MAX + 1];
    StateCache *sc;

    if (state_table_name(name, s->opts.owner_id, suffix, err) < 0)
        return -1;
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 8;
        Slot *slots = realloc(s->slots, sizeof(Slot) * (size_t)cap);

        if (slots == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        s->slots = slots;
        s->cap = cap;
    }
    if (statecache_open(s->rd, name, s->opts.budget, &sc, err) < 0)
        return -1;
    if (s->opts.fresh && statecache_clear(sc, err) < 0) {
        statecache_close(sc);
        return -1;
    }
    s->slots[s->n].node = node;
    snprintf(s->slots[s->n].tag, sizeof s->slots[0].tag, "%s", tag);
    s->slots[s->n++].sc = sc;
    *out = sc;
    return 0;
}

/* A fresh run also empties the tables of operators that have not opened theirs yet. */
static int
clear_unopened(StreamState *s, StateEpoch *ep, Err *err)
{
    Arena *a = arena_create("opstate", 0);
    char **names;
    size_t n;
    int rc = state_list_tables(s->opts.st, a, &names, &n, err);

    for (size_t i = 0; rc == 0 && i < n; i++) {
        uint64_t id;
        bool open = false;
        int table;

        if (!stream_state_is_op_table(names[i]) || !state_table_object_id(names[i], &id) ||
            id != s->opts.owner_id)
            continue;
        for (int j = 0; j < s->n && !open; j++) {
            char suffix[32], name[STATE_TABLE_NAME_MAX + 1];

            if (s->slots[j].node < 0)
                snprintf(suffix, sizeof suffix, "o%s", s->slots[j].tag);
            else
                snprintf(suffix, sizeof suffix, "o%d%s", s->slots[j].node, s->slots[j].tag);
            open = state_table_name(name, id, suffix, err) == 0 && strcmp(name, names[i]) == 0;
        }
        if (!open && (state_epoch_table(ep, names[i], &table, err) < 0 ||
                      state_epoch_clear_table(ep, table, err) < 0))
            rc = -1;
    }
    arena_destroy(a);
    return rc;
}

int
stream_state_once(StreamRun *run, const DfNode *node, bool *first, Err *err)
{
    static const uint8_t key[1] = {'d'};
    StateCache *sc;
    StateBytes v;
    int rc;

    *first = false;
    if (stream_state_cache(run, node, "d", &sc, err) < 0 ||
        (rc = statecache_get(sc, key, 1, &v, err)) < 0)
        return -1;
    if (rc == 1)
        return 0;
    *first = true;
    return statecache_put(sc, key, 1, "", 0, err);
}

int
stream_state_meta(StreamState *s, StateCache **out, Err *err)
{
    for (int i = 0; i < s->n; i++) {
        if (s->slots[i].node == -1) {
            *out = s->slots[i].sc;
            return 0;
        }
    }
    return open_slot(s, -1, "m", "om", out, err);
}

int
stream_state_release(StreamState *s, Err *err)
{
    return statecache_reader_release(s->rd, err);
}

int
stream_state_flush(StreamState *s, StateEpoch *ep, Err *err)
{
    if (s->opts.fresh && clear_unopened(s, ep, err) < 0)
        return -1;
    for (int i = 0; i < s->n; i++) {
        if (statecache_flush(s->slots[i].sc, ep, err) < 0)
            return -1;
    }
    return statecache_reader_release(s->rd, err);
}

void
stream_state_committed(StreamState *s, bool ok)
{
    for (int i = 0; i < s->n; i++)
        statecache_committed(s->slots[i].sc, ok);
    /* a cache opened after a fresh run's first commit reads what is there */
    if (ok)
        s->opts.fresh = false;
}

void
stream_state_usage(const StreamState *s, size_t *bytes, size_t *entries)
{
    StateCacheStats st;

    *bytes = 0;
    *entries = 0;
    for (int i = 0; s != NULL && i < s->n; i++) {
        statecache_stats(s->slots[i].sc, &st);
        *bytes += st.bytes;
        *entries += st.entries;
    }
}

bool
stream_state_is_op_table(const char *name)
{
    const char *dot = strchr(name, '.');

    return name[0] == 't' && dot != NULL && dot[1] == 'o' &&
           ((dot[2] >= '0' && dot[2] <= '9') || (dot[2] == 'm' && dot[3] == '\0'));
}
