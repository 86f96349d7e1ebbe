/*
 * tests/unit/stream/test_gen_combined.c — Check suite for the combined Nexmark form
 * (connector = 'nexmark' without nexmark.table.type; stream/gen_nexmark.c, the Generator of
 * stream/engine_gen.c).
 *
 * Row k of a combined source is event k: event_type is its type (0 person, 1 auction, 2
 * bid), exactly its own STRUCT column is non-NULL, and that struct's fields are, value for
 * value and byte for byte, the columns of the same name in the per-table source's row for the
 * same event — whatever order and subset of fields the STRUCT declares. AS PROCTIME() columns
 * get the clock; the generated date_time (RisingWave's CASE over the three structs) is the
 * event's time. Rows do not depend on batch boundaries. Wrong columns are refused.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/errcodes.h"
#include "sql/connector.h"
#include "sql/datetime.h"
#include "sql/relation.h"
#include "sql/rowcodec.h"
#include "sql/types_struct.h"
#include "stream/generator.h"

#define NEVENTS 5000
#define DATE_TIME_EXPR                                                                             \
    "CASE WHEN event_type = 0 THEN (person).date_time WHEN event_type = 1 THEN "                   \
    "(auction).date_time ELSE (bid).date_time END"

static const StructField person_fields[] = {{"id", TYPE_INT8, -1},
                                            {"name", TYPE_VARCHAR, -1},
                                            {"email_address", TYPE_VARCHAR, -1},
                                            {"credit_card", TYPE_VARCHAR, -1},
                                            {"city", TYPE_VARCHAR, -1},
                                            {"state", TYPE_VARCHAR, -1},
                                            {"date_time", TYPE_TIMESTAMP, -1},
                                            {"extra", TYPE_VARCHAR, -1}};
/* a subset, out of order, one field as text */
static const StructField auction_fields[] = {
    {"category", TYPE_INT8, -1},     {"id", TYPE_INT8, -1},
    {"expires", TYPE_TIMESTAMP, -1}, {"extra", TYPE_TEXT, -1},
    {"item_name", TYPE_VARCHAR, -1}, {"reserve", TYPE_INT8, -1},
    {"seller", TYPE_INT8, -1},       {"date_time", TYPE_TIMESTAMP, -1}};
static const StructField bid_fields[] = {
    {"auction", TYPE_INT8, -1},    {"bidder", TYPE_INT8, -1}, {"price", TYPE_INT8, -1},
    {"channel", TYPE_VARCHAR, -1}, {"url", TYPE_VARCHAR, -1}, {"date_time", TYPE_TIMESTAMP, -1},
    {"extra", TYPE_VARCHAR, -1}};

static const StructType *person_st, *auction_st, *bid_st;

static const StructType *
intern(const StructField *f, int n)
{
    const StructType *st = NULL;
    Err err;

    err_clear(&err);
    ck_assert_msg(struct_type_intern(f, n, &st, &err) == 0, "struct_type_intern: %s", err.message);
    ck_assert_ptr_nonnull(st);
    return st;
}

static void
setup(void)
{
    person_st = intern(person_fields, 8);
    auction_st = intern(auction_fields, 8);
    bid_st = intern(bid_fields, 7);
}

static Generator *
make(const GenOption *opts, int nopts, const GenColumn *cols, int ncols, Err *err)
{
    Generator *g = NULL;

    err_clear(err);
    if (gen_create(opts, nopts, cols, ncols, 1700000000000000, &g, err) < 0)
        return NULL;
    return g;
}

static Generator *
make_ok(const GenOption *opts, int nopts, const GenColumn *cols, int ncols)
{
    Err err;
    Generator *g = make(opts, nopts, cols, ncols, &err);

    ck_assert_msg(g != NULL, "gen_create: %s", err.message);
    return g;
}

/* Encodes rows [first, first + n) in batches of `batch`. */
static Buf
encode(const Generator *g, uint64_t first, int n, int batch)
{
    Buf all, b;
    Arena *a = arena_create("t", 0);
    uint32_t *ends = calloc((size_t)batch, sizeof *ends);
    Err err;

    buf_init(&all, BUF_DEFAULT_MAX);
    buf_init(&b, BUF_DEFAULT_MAX);
    err_clear(&err);
    for (int k = 0; k < n; k += batch) {
        int m = n - k < batch ? n - k : batch;

        buf_reset(&b);
        arena_reset(a);
        ck_assert_msg(gen_encode_rows(g, first + (uint64_t)k, m, &b, ends, a, &err) == 0, "%s",
                      err.message);
        ck_assert_uint_eq(ends[m - 1], b.len);
        buf_append(&all, b.data, b.len);
    }
    buf_free(&b);
    free(ends);
    arena_destroy(a);
    return all;
}

/* Decodes one encoded record of the given types (the record alone in b). */
static void
decode(const Buf *b, const Oid *types, int n, Arena *a, Value *out)
{
    Err err;

    err_clear(&err);
    ck_assert_int_eq(b->data[0], SQL_REC_INSERT);
    ck_assert_msg(rowcodec_decode(b->data + SQL_REC_HEADER, b->len - SQL_REC_HEADER, types, n, a,
                                  out, &err) == 0,
                  "%s", err.message);
}

static bool
same_value(Oid type, Value x, Value y)
{
    if (x.isnull || y.isnull)
        return x.isnull == y.isnull;
    if (type == TYPE_INT8 || type == TYPE_TIMESTAMP || type == TYPE_TIMESTAMPTZ)
        return datum_get_int64(x.d) == datum_get_int64(y.d);
    return datum_get_var(x.d)->len == datum_get_var(y.d)->len &&
           memcmp(datum_get_var(x.d)->data, datum_get_var(y.d)->data, datum_get_var(x.d)->len) == 0;
}

/* The per-table source of table type t with all its columns. */
static Generator *
table_generator(int t, const char *seed, Oid *types, int *ncols)
{
    GenOption o[] = {{"connector", "nexmark"},
                     {"nexmark.table.type", connector_nexmark_type_name(t)},
                     {"nexmark.event.num", "5000"},
                     {"nexmark.seed", seed},
                     {"nexmark.min.event.gap.in.ns", "0"}};
    GenColumn c[16];
    int n = 0;

    for (; connector_nexmark_column(t, n, NULL) != NULL; n++) {
        c[n] = (GenColumn){connector_nexmark_column(t, n, &types[n]), 0, -1, false, NULL, NULL};
        c[n].type = types[n];
    }
    *ncols = n;
    return make_ok(o, 5, c, n);
}

START_TEST(test_combined_rows_equal_per_table_rows)
{
    GenOption o[] = {{"connector", "nexmark"},
                     {"nexmark.event.num", "5000"},
                     {"nexmark.seed", "3"},
                     {"nexmark.min.event.gap.in.ns", "0"}};
    GenColumn cols[] = {{"event_type", TYPE_INT8, -1, false, NULL, NULL},
                        {"person", TYPE_RECORD, person_st->typmod, false, NULL, NULL},
                        {"auction", TYPE_RECORD, auction_st->typmod, false, NULL, NULL},
                        {"bid", TYPE_RECORD, bid_st->typmod, false, NULL, NULL},
                        {"p_time", TYPE_TIMESTAMPTZ, -1, true, NULL, NULL},
                        {"date_time", TYPE_TIMESTAMP, -1, false, NULL, DATE_TIME_EXPR}};
    Oid types[6] = {TYPE_INT8,   TYPE_RECORD,      TYPE_RECORD,
                    TYPE_RECORD, TYPE_TIMESTAMPTZ, TYPE_TIMESTAMP};
    const StructType *sts[3] = {person_st, auction_st, bid_st};
    Generator *g = make_ok(o, 4, cols, 6), *tg[3];
    Oid ttypes[3][16];
    int tn[3], seen[3] = {0, 0, 0};
    Buf all = encode(g, 0, NEVENTS, 1000), many = encode(g, 0, NEVENTS, 17);
    Arena *a = arena_create("t", 0);
    size_t off = 0;
    NexmarkConfig cfg;
    Err perr;

    err_clear(&perr);
    ck_assert(nexmark_parse(o, 4, &cfg, &perr) == 0);
    for (int t = 0; t < 3; t++)
        tg[t] = table_generator(t, "3", ttypes[t], &tn[t]);
    ck_assert_uint_eq(gen_total_rows(g), NEVENTS);
    ck_assert(!gen_is_paced(g));
    /* a batch boundary changes nothing but the clock of p_time: compare lengths here */
    ck_assert_uint_eq(all.len, many.len);
    for (uint64_t e = 0; e < NEVENTS; e++) {
        Buf one = encode(g, e, 1, 1), trow;
        Value v[6], tv[16];
        int t = (int)nexmark_event_type(e);
        const StructType *st = sts[t];

        arena_reset(a);
        decode(&one, types, 6, a, v);
        ck_assert_int_eq(datum_get_int64(v[0].d), t);
        for (int s = 0; s < 3; s++)
            ck_assert_msg(v[1 + s].isnull == (s != t), "event %llu: struct %d",
                          (unsigned long long)e, s);
        ck_assert(!v[4].isnull); /* p_time: the clock */
        /* the generated date_time (stream/engine_gen.c computes it after the fields) */
        ck_assert(!v[5].isnull);
        ck_assert_int_eq(datum_get_int64(v[5].d),
                         nexmark_timestamp_ms(&cfg, e) * 1000 - DT_UNIX_EPOCH_OFFSET_US);
        ck_assert_int_eq(struct_value_typmod(v[1 + t].d), st->typmod);
        /* the per-table row of the same event */
        trow = encode(tg[t], nexmark_rows_below((NexmarkType)t, e), 1, 1);
        decode(&trow, ttypes[t], tn[t], a, tv);
        for (int f = 0; f < st->nfields; f++) {
            int col = connector_nexmark_field(t, st->fields[f].name);
            Value fv = struct_value_field(v[1 + t].d, f, a);

            ck_assert_int_ge(col, 0);
            ck_assert_msg(same_value(ttypes[t][col], fv, tv[col]), "event %llu field %s",
                          (unsigned long long)e, st->fields[f].name);
        }
        /* byte for byte: the struct built from the per-table values */
        {
            Value fv[16];
            Datum want;
            Err err;
            const VarData *x, *y;

            for (int f = 0; f < st->nfields; f++)
                fv[f] = tv[connector_nexmark_field(t, st->fields[f].name)];
            err_clear(&err);
            ck_assert(struct_value_make(st, fv, a, &want, &err) == 0);
            x = datum_get_var(want);
            y = datum_get_var(v[1 + t].d);
            ck_assert_uint_eq(x->len, y->len);
            ck_assert(memcmp(x->data, y->data, x->len) == 0);
        }
        seen[t]++;
        off += one.len;
        buf_free(&one);
        buf_free(&trow);
    }
    ck_assert_uint_eq(off, all.len);
    ck_assert_int_eq(seen[0], 100);
    ck_assert_int_eq(seen[1], 300);
    ck_assert_int_eq(seen[2], 4600);
    for (int t = 0; t < 3; t++)
        gen_free(tg[t]);
    buf_free(&all);
    buf_free(&many);
    arena_destroy(a);
    gen_free(g);
}
END_TEST

/* Without PROCTIME() the rows are a pure function of the options: batches change nothing. */
START_TEST(test_combined_deterministic)
{
    GenOption o[] = {{"connector", "nexmark"},
                     {"nexmark.event.num", "3000"},
                     {"nexmark.min.event.gap.in.ns", "1000"}};
    GenColumn cols[] = {{"bid", TYPE_RECORD, bid_st->typmod, false, NULL, NULL},
                        {"event_type", TYPE_INT4, -1, false, NULL, NULL}};
    Generator *g1 = make_ok(o, 3, cols, 2), *g2 = make_ok(o, 3, cols, 2);
    Buf one = encode(g1, 0, 3000, 3000), many = encode(g2, 0, 3000, 7),
        tail = encode(g1, 1234, 3000 - 1234, 100);
    NexmarkConfig c;
    Err err;

    ck_assert_uint_eq(gen_total_rows(g1), 3000);
    ck_assert(gen_is_paced(g1));
    ck_assert_uint_eq(gen_due_ns(g1, 10, 60), 50 * 1000); /* one event per row */
    ck_assert_uint_eq(one.len, many.len);
    ck_assert(memcmp(one.data, many.data, one.len) == 0);
    ck_assert(memcmp(one.data + one.len - tail.len, tail.data, tail.len) == 0);
    err_clear(&err);
    ck_assert(nexmark_parse(o, 3, &c, &err) == 0);
    ck_assert_int_eq(c.type, NEXMARK_COMBINED);
    for (uint64_t k = 0; k < 1000; k++) {
        ck_assert_uint_eq(nexmark_event_of_row(NEXMARK_COMBINED, k), k);
        ck_assert_uint_eq(nexmark_rows_below(NEXMARK_COMBINED, k), k);
    }
    buf_free(&one);
    buf_free(&many);
    buf_free(&tail);
    gen_free(g1);
    gen_free(g2);
}
END_TEST

/* An unbounded combined source; a STRUCT known only by its canonical text (after a restart). */
START_TEST(test_combined_unbounded_and_type_def)
{
    GenOption o[] = {{"connector", "nexmark"}, {"nexmark.min.event.gap.in.ns", "0"}};
    const char *text = "struct<price bigint, auction bigint>";
    const StructType *st;
    GenColumn cols[] = {{"event_type", TYPE_INT8, -1, false, NULL, NULL},
                        {"bid", TYPE_RECORD, 0, false, text, NULL}};
    Generator *g;
    Buf b;
    Arena *a = arena_create("t", 0);
    Oid types[2] = {TYPE_INT8, TYPE_RECORD};
    Value v[2];
    NexmarkConfig c;
    NexmarkEvent ev;
    Err err;

    err_clear(&err);
    ck_assert(struct_type_intern_text(text, &st, &err) == 0);
    cols[1].typmod = st->typmod;
    g = make_ok(o, 2, cols, 2);
    ck_assert_uint_eq(gen_total_rows(g), GEN_UNBOUNDED);
    b = encode(g, 1000004, 1, 1); /* event 1,000,004: a bid */
    decode(&b, types, 2, a, v);
    ck_assert_int_eq(datum_get_int64(v[0].d), 2);
    ck_assert(nexmark_parse(o, 2, &c, &err) == 0);
    nexmark_event(&c, 1000004, &ev);
    ck_assert_int_eq(datum_get_int64(struct_value_field(v[1].d, 0, a).d), ev.price);
    ck_assert_int_eq(datum_get_int64(struct_value_field(v[1].d, 1, a).d), ev.auction);
    buf_free(&b);
    arena_destroy(a);
    gen_free(g);
}
END_TEST

START_TEST(test_combined_errors)
{
    GenOption o[] = {{"connector", "nexmark"}, {"nexmark.event.num", "10"}};
    static const StructField wrong[] = {{"id", TYPE_INT8, -1}, {"price", TYPE_INT8, -1}};
    const StructType *wst = intern(wrong, 2);
    static const StructField narrow[] = {{"id", TYPE_INT4, -1}};
    const StructType *nst = intern(narrow, 1);
    GenColumn bad_type[] = {{"person", TYPE_RECORD, nst->typmod, false, NULL, NULL}};
    GenColumn unknown[] = {{"event_type", TYPE_INT8, -1, false, NULL, NULL},
                           {"price", TYPE_INT8, -1, false, NULL, NULL}};
    GenColumn bad_field[] = {{"person", TYPE_RECORD, wst->typmod, false, NULL, NULL}};
    GenColumn wrong_table[] = {{"auction", TYPE_RECORD, person_st->typmod, false, NULL, NULL}};
    GenColumn not_struct[] = {{"bid", TYPE_INT8, -1, false, NULL, NULL}};
    GenColumn no_type[] = {{"bid", TYPE_RECORD, 12345, false, NULL, NULL}};
    GenColumn generated[] = {{"event_type", TYPE_INT8, -1, false, NULL, NULL},
                             {"twice", TYPE_INT8, -1, false, NULL, "event_type * 2"}};
    Generator *g;
    Err err;

    ck_assert_ptr_null(make(o, 2, unknown, 2, &err));
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    ck_assert_ptr_nonnull(strstr(err.message, "\"price\""));
    ck_assert_ptr_null(make(o, 2, bad_field, 1, &err));
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    ck_assert_ptr_null(make(o, 2, bad_type, 1, &err)); /* integer where Nexmark has bigint */
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    ck_assert_ptr_null(make(o, 2, wrong_table, 1, &err)); /* person's fields in auction */
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    ck_assert_ptr_null(make(o, 2, not_struct, 1, &err));
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    if (struct_type_lookup(12345) == NULL) {
        ck_assert_ptr_null(make(o, 2, no_type, 1, &err));
        ck_assert_str_eq(err.sqlstate, ERRCODE_DATATYPE_MISMATCH);
    }
    g = make(o, 2, generated, 2, &err);
    ck_assert_msg(g != NULL, "%s", err.message);
    gen_free(g);
}
END_TEST

static Suite *
gen_combined_suite(void)
{
    Suite *s = suite_create("gen_combined");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_combined_rows_equal_per_table_rows);
    tcase_add_test(tc, test_combined_deterministic);
    tcase_add_test(tc, test_combined_unbounded_and_type_def);
    tcase_add_test(tc, test_combined_errors);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(gen_combined_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
