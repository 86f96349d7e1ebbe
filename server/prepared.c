/*
 * server/prepared.c — a session's prepared statements and portals, by name.
 *
 * The extended protocol names statements (Parse) and portals (Bind); ""
 * names the unnamed one of each. A NameMap is a chained hash table from name
 * to object, so a client with thousands of named statements (JDBC names
 * every one it caches) pays O(1) per message.
 *
 * Lifetimes, as in PostgreSQL:
 *   - a prepared statement lives until Close 'S', the next Parse of the same
 *     unnamed name, a simple Query (which drops the unnamed one), or the end
 *     of the session;
 *   - a portal lives until Close 'P', the next Bind of the same unnamed name,
 *     or the end of its transaction (query.c drops every portal then).
 * A portal keeps its statement alive: sql/ requires the SqlStatement to
 * outlive its SqlPortals, while PostgreSQL lets a portal run after its
 * statement was closed or replaced. Prepared is therefore reference-counted:
 * one reference for the table entry, one per portal.
 *
 * Memory: names and entries are malloc'd and freed one by one, not taken
 * from the session arena, because a long session may create and close
 * statements without end; an arena would only grow.
 *
 * Invariants:
 *   1. A Prepared is destroyed exactly when its last reference goes; its
 *      SqlStatement is destroyed after every SqlPortal made from it.
 *   2. namemap_put is only called for a name that is absent.
 *   3. The table grows (doubling) when it holds more than two entries per
 *      bucket, so chains stay short.
 */
#include <stdlib.h>
#include <string.h>

#include "server/server_int.h"

struct NameEntry {
    char *name;
    void *value;
    uint64_t hash;
    NameEntry *next;
};

static uint64_t
hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */

    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void
namemap_init(NameMap *m)
{
    m->buckets = NULL;
    m->nbuckets = 0;
    m->count = 0;
}

static NameEntry **
find_slot(const NameMap *m, const char *name, uint64_t h)
{
    NameEntry **pp;

    if (m->nbuckets == 0)
        return NULL;
    for (pp = &m->buckets[h & (m->nbuckets - 1)]; *pp != NULL; pp = &(*pp)->next)
        if ((*pp)->hash == h && strcmp((*pp)->name, name) == 0)
            return pp;
    return NULL;
}

void *
namemap_get(const NameMap *m, const char *name)
{
    NameEntry **pp = find_slot(m, name, hash_name(name));

    return pp != NULL ? (*pp)->value : NULL;
}

static bool
grow(NameMap *m)
{
    size_t n = m->nbuckets ? m->nbuckets * 2 : 16;
    NameEntry **b = calloc(n, sizeof *b);

    if (b == NULL)
        return false;
    for (size_t i = 0; i < m->nbuckets; i++) {
        NameEntry *e = m->buckets[i], *next;

        for (; e != NULL; e = next) {
            next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    free(m->buckets);
    m->buckets = b;
    m->nbuckets = n;
    return true;
}

bool
namemap_put(NameMap *m, const char *name, void *value)
{
    NameEntry *e;
    uint64_t h = hash_name(name);

    if ((m->nbuckets == 0 || m->count >= m->nbuckets * 2) && !grow(m))
        return false;
    e = malloc(sizeof *e);
    if (e == NULL)
        return false;
    e->name = strdup(name);
    if (e->name == NULL) {
        free(e);
        return false;
    }
    e->value = value;
    e->hash = h;
    e->next = m->buckets[h & (m->nbuckets - 1)];
    m->buckets[h & (m->nbuckets - 1)] = e;
    m->count++;
    return true;
}

void *
namemap_take(NameMap *m, const char *name)
{
    NameEntry **pp = find_slot(m, name, hash_name(name));
    NameEntry *e;
    void *value;

    if (pp == NULL)
        return NULL;
    e = *pp;
    *pp = e->next;
    value = e->value;
    free(e->name);
    free(e);
    m->count--;
    return value;
}

void
namemap_clear(NameMap *m, void (*fn)(void *value, void *arg), void *arg)
{
    for (size_t i = 0; i < m->nbuckets; i++) {
        NameEntry *e = m->buckets[i], *next;

        m->buckets[i] = NULL;
        for (; e != NULL; e = next) {
            next = e->next;
            fn(e->value, arg);
            free(e->name);
            free(e);
        }
    }
    m->count = 0;
}

void
namemap_free(NameMap *m)
{
    free(m->buckets);
    namemap_init(m);
}

/* ---- Prepared statements and portals --------------------------------------- */

Prepared *
prepared_new(const char *name, SqlStatement *stmt)
{
    Prepared *p = calloc(1, sizeof *p);

    if (p == NULL)
        return NULL;
    p->name = strdup(name);
    if (p->name == NULL) {
        free(p);
        return NULL;
    }
    p->stmt = stmt;
    p->refs = 1;
    return p;
}

void
prepared_unref(Prepared *p)
{
    if (p == NULL || --p->refs > 0)
        return;
    if (p->stmt != NULL)
        sql_statement_destroy(p->stmt);
    free(p->command);
    free(p->name);
    free(p);
}

Portal *
portal_new(const char *name, Prepared *prep, SqlPortal *sp)
{
    Portal *p = calloc(1, sizeof *p);

    if (p == NULL)
        return NULL;
    p->name = strdup(name);
    if (p->name == NULL) {
        free(p);
        return NULL;
    }
    p->prep = prep;
    prep->refs++;
    p->portal = sp;
    return p;
}

void
portal_free(Portal *p)
{
    if (p == NULL)
        return;
    if (p->portal != NULL)
        sql_portal_destroy(p->portal);
    prepared_unref(p->prep);
    free(p->name);
    free(p);
}
