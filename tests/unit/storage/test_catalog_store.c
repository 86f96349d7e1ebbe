/*
 * tests/unit/storage/test_catalog_store.c — Check suite for storage/catalog_store.c.
 */
#include <check.h>
#include <ftw.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/catalog_store.h"
#include "storage/state.h"

static char dir[256];
static char path[300];
static Arena *arena;

static int
rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void
setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/rv-test-catalog-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/catalog.db", dir);
    arena = arena_create("test", 0);
}

static void
teardown(void)
{
    arena_destroy(arena);
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static CatalogStore *
open_catalog(void)
{
    CatalogStore *cs = NULL;
    Err err;

    err_clear(&err);
    ck_assert_msg(catalog_store_open(path, &cs, &err) == 0, "open: %s", err.message);
    return cs;
}

/* Creates a relation in public with one int4 column "a"; returns its id. */
static uint64_t
create_simple(CatalogStore *cs, const char *name, CatalogKind kind, uint64_t *deps, size_t n_deps)
{
    CatalogColumn col = {.name = "a", .type_oid = 23, .typmod = -1};
    CatalogRelation rel = {.schema_id = CATALOG_PUBLIC_SCHEMA_ID,
                           .name = name,
                           .kind = kind,
                           .columns = &col,
                           .n_columns = 1,
                           .depends_on = deps,
                           .n_depends_on = n_deps};
    Err err;

    err_clear(&err);
    ck_assert_msg(catalog_store_create_relation(cs, &rel, &err) == 0, "create %s: %s", name,
                  err.message);
    ck_assert_uint_ge(rel.id, CATALOG_FIRST_ID);
    return rel.id;
}

START_TEST(test_create_lookup_roundtrip)
{
    CatalogStore *cs = open_catalog();
    CatalogColumn cols[] = {
        {.name = "id", .type_oid = 20, .typmod = -1, .not_null = true, .pk_position = 1},
        {.name = "name", .type_oid = 1043, .typmod = 36, .default_expr = "'x'::text"},
        {.name = "ts",
         .type_oid = 1114,
         .typmod = -1,
         .not_null = true,
         .type_def = "struct<a bigint>",
         .generated_expr = "now()"},
    };
    CatalogOption opts[] = {{"append_only", "false"}, {"connector", "datagen"}};
    CatalogRelation rel = {.schema_id = CATALOG_PUBLIC_SCHEMA_ID,
                           .name = "users",
                           .kind = CATALOG_TABLE,
                           .definition = "CREATE TABLE users (...)",
                           .created_epoch = 7,
                           .columns = cols,
                           .n_columns = 3,
                           .options = opts,
                           .n_options = 2};
    CatalogRelation *got;
    uint64_t sid;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(catalog_store_version(cs), 2);
    ck_assert_int_eq(catalog_store_lookup_schema(cs, "public", &sid, &err), 0);
    ck_assert_uint_eq(sid, 2200);
    ck_assert_int_eq(catalog_store_create_relation(cs, &rel, &err), 0);
    ck_assert_uint_eq(rel.id, CATALOG_FIRST_ID);

    ck_assert_int_eq(catalog_store_lookup_by_name(cs, sid, "users", arena, &got, &err), 0);
    ck_assert_uint_eq(got->id, rel.id);
    ck_assert_str_eq(got->schema_name, "public");
    ck_assert_str_eq(got->name, "users");
    ck_assert_int_eq(got->kind, CATALOG_TABLE);
    ck_assert_str_eq(got->definition, "CREATE TABLE users (...)");
    ck_assert_uint_eq(got->created_epoch, 7);
    ck_assert_uint_eq(got->n_columns, 3);
    ck_assert_str_eq(got->columns[1].name, "name");
    ck_assert_uint_eq(got->columns[1].type_oid, 1043);
    ck_assert_int_eq(got->columns[1].typmod, 36);
    ck_assert_str_eq(got->columns[1].default_expr, "'x'::text");
    ck_assert(!got->columns[1].not_null);
    ck_assert_ptr_null(got->columns[2].default_expr);
    ck_assert_ptr_null(got->columns[1].type_def);
    ck_assert_ptr_null(got->columns[1].generated_expr);
    ck_assert_str_eq(got->columns[2].type_def, "struct<a bigint>");
    ck_assert_str_eq(got->columns[2].generated_expr, "now()");
    ck_assert(got->columns[0].not_null);
    ck_assert_int_eq(got->columns[0].pk_position, 1);
    ck_assert_int_eq(got->columns[2].pk_position, 0);
    ck_assert_uint_eq(got->n_options, 2);
    ck_assert_str_eq(got->options[1].key, "connector");
    ck_assert_str_eq(got->options[1].value, "datagen");
    ck_assert_uint_eq(got->n_depends_on, 0);

    ck_assert_int_eq(catalog_store_lookup_by_id(cs, rel.id, arena, &got, &err), 0);
    ck_assert_str_eq(got->name, "users");
    ck_assert_int_eq(catalog_store_lookup_by_id(cs, 999999, arena, &got, &err), CATALOG_NOT_FOUND);
    ck_assert_int_eq(catalog_store_lookup_by_name(cs, sid, "nope", arena, &got, &err),
                     CATALOG_NOT_FOUND);
    ck_assert(!err_is_set(&err));

    /* Same name, other kind: still a duplicate (one namespace, as pg_class). */
    rel.kind = CATALOG_SOURCE;
    ck_assert_int_eq(catalog_store_create_relation(cs, &rel, &err), CATALOG_DUPLICATE);
    rel.schema_id = 12345;
    ck_assert_int_eq(catalog_store_create_relation(cs, &rel, &err), CATALOG_NOT_FOUND);
    ck_assert(!err_is_set(&err));
    catalog_store_close(cs);
}
END_TEST

START_TEST(test_ids_never_reused)
{
    CatalogStore *cs = open_catalog();
    uint64_t a, b, c, sid;
    Err err;

    err_clear(&err);
    a = create_simple(cs, "a", CATALOG_TABLE, NULL, 0);
    b = create_simple(cs, "b", CATALOG_SOURCE, NULL, 0);
    ck_assert_uint_eq(b, a + 1);
    ck_assert_int_eq(catalog_store_drop_relations(cs, &b, 1, &err), 0);
    catalog_store_close(cs);

    cs = open_catalog();
    c = create_simple(cs, "b", CATALOG_SOURCE, NULL, 0);
    ck_assert_uint_gt(c, b);
    ck_assert_int_eq(catalog_store_create_schema(cs, "s1", &sid, &err), 0);
    ck_assert_uint_gt(sid, c);
    ck_assert_int_eq(catalog_store_drop_relations(cs, &c, 1, &err), 0);
    ck_assert_int_eq(catalog_store_drop_relations(cs, &c, 1, &err), CATALOG_NOT_FOUND);
    catalog_store_close(cs);
    cs = open_catalog();
    ck_assert_uint_gt(create_simple(cs, "b", CATALOG_TABLE, NULL, 0), sid);
    catalog_store_close(cs);
}
END_TEST

START_TEST(test_dependencies_and_drop)
{
    CatalogStore *cs = open_catalog();
    uint64_t t, v1, v2, v3, s, *ids, set[3], missing = 424242;
    CatalogRelation *got;
    size_t n;
    Err err;

    err_clear(&err);
    t = create_simple(cs, "t", CATALOG_TABLE, NULL, 0);
    s = create_simple(cs, "s", CATALOG_SOURCE, NULL, 0);
    v1 = create_simple(cs, "v1", CATALOG_VIEW, &t, 1);
    {
        uint64_t deps[] = {v1, s, v1};

        v2 = create_simple(cs, "v2", CATALOG_MATVIEW, deps, 3);
    }
    v3 = create_simple(cs, "v3", CATALOG_MATVIEW, &t, 1);

    ck_assert_int_eq(catalog_store_lookup_by_id(cs, v2, arena, &got, &err), 0);
    ck_assert_uint_eq(got->n_depends_on, 2);
    ck_assert_uint_eq(got->depends_on[0], s);
    ck_assert_uint_eq(got->depends_on[1], v1);

    ck_assert_int_eq(catalog_store_dependents(cs, t, false, arena, &ids, &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(ids[0], v1);
    ck_assert_uint_eq(ids[1], v3);
    ck_assert_int_eq(catalog_store_dependents(cs, t, true, arena, &ids, &n, &err), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(ids[0], v1);
    ck_assert_uint_eq(ids[1], v2);
    ck_assert_uint_eq(ids[2], v3);
    ck_assert_int_eq(catalog_store_dependents(cs, v2, true, arena, &ids, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(catalog_store_dependents(cs, missing, true, arena, &ids, &n, &err),
                     CATALOG_NOT_FOUND);

    /* A dependency on a missing relation creates nothing. */
    {
        CatalogColumn col = {.name = "a", .type_oid = 23, .typmod = -1};
        CatalogRelation rel = {.schema_id = CATALOG_PUBLIC_SCHEMA_ID,
                               .name = "bad",
                               .kind = CATALOG_VIEW,
                               .columns = &col,
                               .n_columns = 1,
                               .depends_on = &missing,
                               .n_depends_on = 1};

        ck_assert_int_eq(catalog_store_create_relation(cs, &rel, &err), CATALOG_NOT_FOUND);
        ck_assert_int_eq(
            catalog_store_lookup_by_name(cs, CATALOG_PUBLIC_SCHEMA_ID, "bad", arena, &got, &err),
            CATALOG_NOT_FOUND);
    }

    /* RESTRICT: t has dependents; dropping t with only v1 still leaves v2, v3. */
    ck_assert_int_eq(catalog_store_drop_relations(cs, &t, 1, &err), CATALOG_HAS_DEPENDENTS);
    set[0] = t;
    set[1] = v1;
    ck_assert_int_eq(catalog_store_drop_relations(cs, set, 2, &err), CATALOG_HAS_DEPENDENTS);
    ck_assert_int_eq(catalog_store_lookup_by_id(cs, v1, arena, &got, &err), 0);
    /* CASCADE: the whole closure in one call, in any order. */
    set[0] = v1;
    set[1] = t;
    set[2] = v3;
    ck_assert_int_eq(catalog_store_drop_relations(cs, set, 3, &err), CATALOG_HAS_DEPENDENTS);
    {
        uint64_t all[] = {v1, t, v3, v2};

        ck_assert_int_eq(catalog_store_drop_relations(cs, all, 4, &err), 0);
    }
    ck_assert_int_eq(catalog_store_lookup_by_id(cs, t, arena, &got, &err), CATALOG_NOT_FOUND);
    ck_assert_int_eq(catalog_store_dependents(cs, s, false, arena, &ids, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(catalog_store_drop_relations(cs, &s, 1, &err), 0);
    ck_assert(!err_is_set(&err));
    catalog_store_close(cs);
}
END_TEST

START_TEST(test_schemas_and_list)
{
    CatalogStore *cs = open_catalog();
    CatalogSchema *schemas;
    CatalogRelation *rels;
    CatalogColumn col = {.name = "x", .type_oid = 25, .typmod = -1};
    CatalogRelation rel = {.name = "zz", .kind = CATALOG_TABLE, .columns = &col, .n_columns = 1};
    uint64_t sid, sid2;
    size_t n;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(catalog_store_create_schema(cs, "analytics", &sid, &err), 0);
    ck_assert_int_eq(catalog_store_create_schema(cs, "analytics", &sid2, &err), CATALOG_DUPLICATE);
    ck_assert_int_eq(catalog_store_list_schemas(cs, arena, &schemas, &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(schemas[0].name, "analytics");
    ck_assert_str_eq(schemas[1].name, "public");

    rel.schema_id = sid;
    ck_assert_int_eq(catalog_store_create_relation(cs, &rel, &err), 0);
    create_simple(cs, "b", CATALOG_SOURCE, NULL, 0);
    create_simple(cs, "a", CATALOG_TABLE, NULL, 0);
    create_simple(cs, "c", CATALOG_SOURCE, NULL, 0);

    ck_assert_int_eq(catalog_store_list(cs, CATALOG_KIND_COUNT, arena, &rels, &n, &err), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(rels[0].name, "zz"); /* schema "analytics" sorts first */
    ck_assert_str_eq(rels[0].schema_name, "analytics");
    ck_assert_str_eq(rels[1].name, "a");
    ck_assert_str_eq(rels[3].name, "c");
    ck_assert_str_eq(rels[3].columns[0].name, "a");
    ck_assert_int_eq(catalog_store_list(cs, CATALOG_SOURCE, arena, &rels, &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(rels[0].name, "b");
    ck_assert_int_eq(rels[1].kind, CATALOG_SOURCE);
    ck_assert_int_eq(catalog_store_list(cs, CATALOG_MATVIEW, arena, &rels, &n, &err), 0);
    ck_assert_uint_eq(n, 0);

    ck_assert_int_eq(catalog_store_drop_schema(cs, "analytics", &err), CATALOG_HAS_DEPENDENTS);
    ck_assert_int_eq(catalog_store_drop_relations(cs, &rel.id, 1, &err), 0);
    ck_assert_int_eq(catalog_store_drop_schema(cs, "analytics", &err), 0);
    ck_assert_int_eq(catalog_store_drop_schema(cs, "analytics", &err), CATALOG_NOT_FOUND);
    ck_assert_int_eq(catalog_store_lookup_schema(cs, "analytics", &sid, &err), CATALOG_NOT_FOUND);
    ck_assert(!err_is_set(&err));
    ck_assert_str_eq(catalog_kind_name(CATALOG_MATVIEW), "materialized view");
    catalog_store_close(cs);
}
END_TEST

START_TEST(test_invalid_definitions_and_atomicity)
{
    CatalogStore *cs = open_catalog();
    CatalogColumn cols[] = {
        {.name = "a", .type_oid = 23, .typmod = -1, .pk_position = 1},
        {.name = "b", .type_oid = 23, .typmod = -1, .pk_position = 3},
    };
    CatalogOption opts[] = {{"k", "1"}, {"k", "2"}};
    CatalogRelation rel = {.schema_id = CATALOG_PUBLIC_SCHEMA_ID,
                           .name = "t",
                           .kind = CATALOG_TABLE,
                           .columns = cols,
                           .n_columns = 2};
    CatalogRelation *got;
    uint64_t id;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(catalog_store_create_relation(cs, &rel, &err), -1);
    ck_assert_str_eq(err.sqlstate, "42P16");
    err_clear(&err);
    cols[1].pk_position = 2;
    cols[1].name = "a";
    ck_assert_int_eq(catalog_store_create_relation(cs, &rel, &err), -1);
    ck_assert_str_eq(err.sqlstate, "42701");
    ck_assert_str_eq(err.message, "column \"a\" specified more than once");
    err_clear(&err);
    cols[1].name = "b";
    rel.options = opts;
    rel.n_options = 2;
    ck_assert_int_eq(catalog_store_create_relation(cs, &rel, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22023");
    err_clear(&err);

    /* A failure after the relation row went in (a trigger injects it on the second option)
     * rolls back the row and the id counter. */
    {
        CatalogOption two[] = {{"ok", "1"}, {"boom", "x"}};
        sqlite3 *db;

        catalog_store_close(cs);
        ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
        ck_assert_int_eq(sqlite3_exec(db,
                                      "CREATE TRIGGER inject BEFORE INSERT ON options"
                                      " WHEN NEW.key = 'boom' BEGIN SELECT RAISE(ABORT, 'boom');"
                                      " END",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(db);
        cs = open_catalog();
        rel.options = two;
        ck_assert_int_eq(catalog_store_create_relation(cs, &rel, &err), -1);
        ck_assert(strstr(err.message, "boom") != NULL);
    }
    ck_assert_uint_eq(rel.id, 0);
    err_clear(&err);
    ck_assert_int_eq(
        catalog_store_lookup_by_name(cs, CATALOG_PUBLIC_SCHEMA_ID, "t", arena, &got, &err),
        CATALOG_NOT_FOUND);
    id = create_simple(cs, "t2", CATALOG_TABLE, NULL, 0);
    ck_assert_uint_eq(id, CATALOG_FIRST_ID);
    catalog_store_close(cs);
}
END_TEST

START_TEST(test_refuses_foreign_and_newer_files)
{
    CatalogStore *cs = open_catalog();
    sqlite3 *db;
    Err err;

    catalog_store_close(cs);
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (99, 'future', 0)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    err_clear(&err);
    ck_assert_int_eq(catalog_store_open(path, &cs, &err), -1);
    ck_assert_ptr_null(cs);
    ck_assert_str_eq(err.sqlstate, "55000");

    unlink(path);
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE other (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    err_clear(&err);
    ck_assert_int_eq(catalog_store_open(path, &cs, &err), -1);
    ck_assert_str_eq(err.sqlstate, "XX001");

    err_clear(&err);
    ck_assert_int_eq(catalog_store_open("/nonexistent-dir/catalog.db", &cs, &err), -1);
    ck_assert_str_eq(err.sqlstate, "58030");
}
END_TEST

/* A catalog written before migration 2 (no type_def / generated_expr) opens and keeps its rows. */
START_TEST(test_upgrades_version_1)
{
    CatalogStore *cs = open_catalog();
    CatalogRelation *got;
    sqlite3 *db;
    uint64_t id;
    Err err;

    id = create_simple(cs, "old", CATALOG_TABLE, NULL, 0);
    catalog_store_close(cs);
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "ALTER TABLE columns DROP COLUMN type_def;"
                                  "ALTER TABLE columns DROP COLUMN generated_expr;"
                                  "DELETE FROM schema_migrations WHERE version = 2",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    cs = open_catalog();
    ck_assert_int_eq(catalog_store_version(cs), 2);
    err_clear(&err);
    ck_assert_int_eq(catalog_store_lookup_by_id(cs, id, arena, &got, &err), 0);
    ck_assert_str_eq(got->name, "old");
    ck_assert_uint_eq(got->n_columns, 1);
    ck_assert_str_eq(got->columns[0].name, "a");
    ck_assert_ptr_null(got->columns[0].type_def);
    ck_assert_ptr_null(got->columns[0].generated_expr);
    catalog_store_close(cs);
}
END_TEST

START_TEST(test_reconcile)
{
    CatalogStore *cs = open_catalog();
    uint64_t t, s, v, mv, mv2, logs[3];
    char names[6][STATE_TABLE_NAME_MAX + 1];
    char *tables[6];
    CatalogReconcile r;
    Err err;

    err_clear(&err);
    t = create_simple(cs, "t", CATALOG_TABLE, NULL, 0);
    s = create_simple(cs, "s", CATALOG_SOURCE, NULL, 0);
    v = create_simple(cs, "v", CATALOG_VIEW, &t, 1);
    mv = create_simple(cs, "mv", CATALOG_MATVIEW, &s, 1);
    mv2 = create_simple(cs, "mv2", CATALOG_MATVIEW, &s, 1);
    ck_assert_int_eq(state_table_name(names[0], t, "s0", &err), 0);
    ck_assert_int_eq(state_table_name(names[1], mv, "s0", &err), 0);
    ck_assert_int_eq(state_table_name(names[2], mv, "s1", &err), 0);
    ck_assert_int_eq(state_table_name(names[3], 99, "s0", &err), 0); /* dropped object */
    ck_assert_int_eq(state_table_name(names[4], v, "s0", &err), 0);  /* a view has no state */
    snprintf(names[5], sizeof names[5], "garbage");
    for (int i = 0; i < 6; i++)
        tables[i] = names[i];
    logs[0] = t;
    logs[1] = s;
    logs[2] = 77;

    ck_assert_int_eq(catalog_store_reconcile(cs, (1u << CATALOG_TABLE) | (1u << CATALOG_MATVIEW),
                                             tables, 6, logs, 3, arena, &r, &err),
                     0);
    ck_assert_uint_eq(r.n_orphan_tables, 3);
    ck_assert_str_eq(r.orphan_tables[0], names[3]);
    ck_assert_str_eq(r.orphan_tables[1], names[4]);
    ck_assert_str_eq(r.orphan_tables[2], "garbage");
    ck_assert_uint_eq(r.n_missing_state, 1);
    ck_assert_uint_eq(r.missing_state[0], mv2);
    ck_assert_uint_eq(r.n_orphan_offsets, 1);
    ck_assert_uint_eq(r.orphan_offsets[0], 77);

    ck_assert_int_eq(catalog_store_reconcile(cs, 0, NULL, 0, NULL, 0, arena, &r, &err), 0);
    ck_assert_uint_eq(r.n_orphan_tables + r.n_missing_state + r.n_orphan_offsets, 0);
    catalog_store_close(cs);
}
END_TEST

typedef struct DdlArg {
    CatalogStore *cs;
    int thread;
    int failures;
} DdlArg;

static void *
ddl_main(void *p)
{
    DdlArg *d = p;

    for (int i = 0; i < 25; i++) {
        CatalogColumn col = {.name = "a", .type_oid = 23, .typmod = -1};
        char name[32];
        CatalogRelation rel = {.schema_id = CATALOG_PUBLIC_SCHEMA_ID,
                               .name = name,
                               .kind = CATALOG_TABLE,
                               .columns = &col,
                               .n_columns = 1};
        Err err;

        err_clear(&err);
        snprintf(name, sizeof name, "t%d_%d", d->thread, i);
        if (catalog_store_create_relation(d->cs, &rel, &err) != 0)
            d->failures++;
        if (i % 5 == 4 && catalog_store_drop_relations(d->cs, &rel.id, 1, &err) != 0)
            d->failures++;
    }
    return NULL;
}

START_TEST(test_concurrent_ddl)
{
    CatalogStore *cs = open_catalog();
    pthread_t th[4];
    DdlArg args[4];
    CatalogRelation *rels;
    size_t n;
    Err err;

    for (int i = 0; i < 4; i++) {
        args[i] = (DdlArg){.cs = cs, .thread = i};
        ck_assert_int_eq(pthread_create(&th[i], NULL, ddl_main, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(args[i].failures, 0);
    }
    err_clear(&err);
    ck_assert_int_eq(catalog_store_list(cs, CATALOG_TABLE, arena, &rels, &n, &err), 0);
    ck_assert_uint_eq(n, 80);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            ck_assert_uint_ne(rels[i].id, rels[j].id);
    }
    /* 100 ids were handed out; the next is the 101st. */
    ck_assert_uint_eq(create_simple(cs, "last", CATALOG_TABLE, NULL, 0), CATALOG_FIRST_ID + 100);
    catalog_store_close(cs);
}
END_TEST

static Suite *
catalog_store_suite(void)
{
    Suite *s = suite_create("catalog_store");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_create_lookup_roundtrip);
    tcase_add_test(tc, test_ids_never_reused);
    tcase_add_test(tc, test_dependencies_and_drop);
    tcase_add_test(tc, test_schemas_and_list);
    tcase_add_test(tc, test_invalid_definitions_and_atomicity);
    tcase_add_test(tc, test_refuses_foreign_and_newer_files);
    tcase_add_test(tc, test_upgrades_version_1);
    tcase_add_test(tc, test_reconcile);
    tcase_add_test(tc, test_concurrent_ddl);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(catalog_store_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
