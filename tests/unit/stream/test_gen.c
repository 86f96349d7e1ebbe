/*
 * tests/unit/stream/test_gen.c — Check suite for the generator connectors
 * (stream/gen_datagen.c, stream/gen_nexmark.c, the Generator of stream/engine_gen.c).
 *
 * Determinism: the same options give the same rows, and row i is the same whether it is
 * encoded in one batch or in many. Nexmark: the 1:3:46 mix over 5,000 events, the id rules,
 * the hot-key ratios within a tolerance, referential sanity (a bid's auction and bidder are
 * at most the leads ahead of what was generated), date_time progression, the extra sizes,
 * and row k <-> event number being inverse. Datagen: sequences, bounds, totals, typmods.
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
#include "stream/generator.h"

static const GenColumn bid_cols[] = {
    {"auction", TYPE_INT8, -1},  {"bidder", TYPE_INT8, -1},       {"price", TYPE_INT8, -1},
    {"channel", TYPE_VARCHAR, -1}, {"url", TYPE_VARCHAR, -1},     {"date_time", TYPE_TIMESTAMP, -1},
    {"extra", TYPE_VARCHAR, -1}};

static Generator *
make(const GenOption *opts, int nopts, const GenColumn *cols, int ncols)
{
    Generator *g = NULL;
    Err err;

    err_clear(&err);
    ck_assert_msg(gen_create(opts, nopts, cols, ncols, 1700000000000000, &g, &err) == 0,
                  "gen_create: %s", err.message);
    ck_assert_ptr_nonnull(g);
    return g;
}

/* Encodes rows [first, first + n) in batches of `batch`; returns the bytes (malloc'd). */
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

START_TEST(test_datagen_deterministic)
{
    GenOption o[] = {{"connector", "datagen"},        {"fields.k.kind", "sequence"},
                     {"fields.k.start", "5"},         {"fields.k.end", "1004"},
                     {"fields.v.min", "-10"},         {"fields.v.max", "10"},
                     {"fields.v.seed", "7"},          {"fields.s.length", "12"},
                     {"fields.t.max_past", "2 hours"}, {"fields.t.basetime", "2023-04-01 00:00:00+00"},
                     {"datagen.rows.per.second", "0"}};
    GenColumn c[] = {{"k", TYPE_INT4, -1},        {"v", TYPE_INT8, -1},
                     {"s", TYPE_VARCHAR, 8 + 4},  {"t", TYPE_TIMESTAMP, -1},
                     {"f", TYPE_FLOAT8, -1},      {"n", TYPE_NUMERIC, -1},
                     {"b", TYPE_BOOL, -1},        {"d", TYPE_DATE, -1}};
    int nc = (int)(sizeof c / sizeof c[0]);
    Generator *g1 = make(o, 11, c, nc), *g2 = make(o, 11, c, nc);
    Buf one = encode(g1, 0, 1000, 1000), many = encode(g2, 0, 1000, 7), tail = encode(g1, 500, 500, 33);
    Arena *a = arena_create("t", 0);
    Oid types[8];
    size_t off = 0;
    int64_t base = INT64_C(733622400) * 1000000; /* 2023-04-01 since 2000-01-01, µs */

    for (int i = 0; i < nc; i++)
        types[i] = c[i].type;
    ck_assert_uint_eq(gen_total_rows(g1), 1000);
    ck_assert(!gen_is_paced(g1));
    ck_assert_uint_eq(one.len, many.len);
    ck_assert(memcmp(one.data, many.data, one.len) == 0);
    /* rows 500.. encoded alone equal the tail of the whole */
    ck_assert(memcmp(one.data + one.len - tail.len, tail.data, tail.len) == 0);
    for (int i = 0; i < 1000; i++) {
        Value v[8];
        Err err;
        uint32_t len;
        Buf b;
        uint32_t end;

        /* re-encode row i alone to find its length */
        buf_init(&b, BUF_DEFAULT_MAX);
        err_clear(&err);
        ck_assert(gen_encode_rows(g1, (uint64_t)i, 1, &b, &end, a, &err) == 0);
        len = end;
        ck_assert(memcmp(one.data + off, b.data, len) == 0);
        ck_assert_int_eq(one.data[off], SQL_REC_INSERT);
        ck_assert(rowcodec_decode(one.data + off + SQL_REC_HEADER, len - SQL_REC_HEADER, types,
                                  nc, a, v, &err) == 0);
        ck_assert_int_eq(datum_get_int32(v[0].d), 5 + i);
        ck_assert(datum_get_int64(v[1].d) >= -10 && datum_get_int64(v[1].d) <= 10);
        ck_assert_uint_eq(datum_get_var(v[2].d)->len, 8); /* varchar(8) caps length 12 */
        ck_assert(datum_get_int64(v[3].d) <= base &&
                  datum_get_int64(v[3].d) >= base - 2 * INT64_C(3600000000));
        ck_assert(datum_get_float8(v[4].d) >= 0 && datum_get_float8(v[4].d) <= 32767);
        off += len;
        buf_free(&b);
    }
    ck_assert_uint_eq(off, one.len);
    buf_free(&one);
    buf_free(&many);
    buf_free(&tail);
    arena_destroy(a);
    gen_free(g1);
    gen_free(g2);
}
END_TEST

START_TEST(test_datagen_seed_changes_rows)
{
    GenOption o1[] = {{"connector", "datagen"}, {"fields.v.seed", "1"}, {"datagen.rows.total", "50"}};
    GenOption o2[] = {{"connector", "datagen"}, {"fields.v.seed", "2"}, {"datagen.rows.total", "50"}};
    GenColumn c[] = {{"v", TYPE_INT4, -1}};
    Generator *g1 = make(o1, 3, c, 1), *g2 = make(o2, 3, c, 1);
    Buf b1 = encode(g1, 0, 50, 50), b2 = encode(g2, 0, 50, 50);

    ck_assert_uint_eq(gen_total_rows(g1), 50);
    ck_assert(gen_is_paced(g1)); /* default 10 rows/s */
    ck_assert_uint_eq(gen_due_ns(g1, 0, 10), 1000000000u);
    ck_assert(memcmp(b1.data, b2.data, b1.len) != 0);
    buf_free(&b1);
    buf_free(&b2);
    gen_free(g1);
    gen_free(g2);
}
END_TEST

START_TEST(test_datagen_default_sequence_end)
{
    GenOption o[] = {{"connector", "datagen"}, {"fields.k.kind", "sequence"}};
    GenColumn c[] = {{"k", TYPE_INT2, -1}};
    Generator *g = make(o, 2, c, 1);

    ck_assert_uint_eq(gen_total_rows(g), 32768); /* 0 .. 32767, RisingWave's default end */
    gen_free(g);
}
END_TEST

static NexmarkConfig
default_config(void)
{
    NexmarkConfig c;

    nexmark_config_default(&c);
    return c;
}

START_TEST(test_nexmark_mix_and_ids)
{
    NexmarkConfig c = default_config();
    int count[3] = {0, 0, 0};
    int64_t next_person = 1000, next_auction = 1000, last_ts = 0;
    NexmarkEvent ev;

    for (uint64_t e = 0; e < 5000; e++) {
        nexmark_event(&c, e, &ev);
        count[ev.type]++;
        ck_assert(ev.date_time_ms >= last_ts);
        last_ts = ev.date_time_ms;
        if (ev.type == NEXMARK_PERSON) {
            ck_assert_int_eq(ev.id, next_person++);
        } else if (ev.type == NEXMARK_AUCTION) {
            ck_assert_int_eq(ev.id, next_auction++);
            ck_assert(ev.category >= 10 && ev.category <= 14);
            ck_assert(ev.expires_ms > ev.date_time_ms);
            ck_assert(ev.reserve > ev.initial_bid);
            ck_assert(ev.seller >= 1000 && ev.seller < next_person + 10);
        } else {
            /* referential sanity: at most the leads ahead of what exists */
            ck_assert_int_lt(ev.auction, next_auction + 10);
            ck_assert_int_ge(ev.auction, 1000);
            ck_assert_int_lt(ev.bidder, next_person + 10);
            ck_assert_int_ge(ev.bidder, 1000);
            ck_assert(ev.price >= 100 && ev.price <= 100000000);
            ck_assert(strlen(ev.extra) >= 54 && strlen(ev.extra) <= 81);
            ck_assert(strncmp(ev.url, "https://www.nexmark.com/", 24) == 0);
        }
    }
    ck_assert_int_eq(count[NEXMARK_PERSON], 100);
    ck_assert_int_eq(count[NEXMARK_AUCTION], 300);
    ck_assert_int_eq(count[NEXMARK_BID], 4600);
}
END_TEST

START_TEST(test_nexmark_hot_ratios)
{
    NexmarkConfig c = default_config();
    NexmarkEvent ev;
    int bids = 0, hot_auction = 0, hot_bidder = 0, auctions = 0, hot_seller = 0, hot_channel = 0;
    int64_t sizes[3] = {0, 0, 0}, n[3] = {0, 0, 0};

    for (uint64_t e = 0; e < 200000; e++) {
        uint64_t block = e / 50;
        int64_t last_auction = (int64_t)(e % 50 >= 4 ? block * 3 + 2 : 0);

        nexmark_event(&c, e, &ev);
        n[ev.type]++;
        if (ev.type == NEXMARK_BID) {
            bids++;
            hot_auction += ev.auction == last_auction / 100 * 100 + 1000;
            hot_bidder += ev.bidder == (int64_t)(block / 100 * 100 + 1 + 1000);
            hot_channel += strncmp(ev.channel, "channel-", 8) != 0;
            sizes[2] += 32 + (int64_t)strlen(ev.extra);
        } else if (ev.type == NEXMARK_AUCTION) {
            auctions++;
            hot_seller += ev.seller == (int64_t)(block / 100 * 100 + 1000);
            sizes[1] += 48 + (int64_t)(strlen(ev.item_name) + strlen(ev.description) +
                                       strlen(ev.extra));
        } else {
            sizes[0] += 8 + (int64_t)(strlen(ev.name) + strlen(ev.email) +
                                      strlen(ev.credit_card) + strlen(ev.city) +
                                      strlen(ev.state) + strlen(ev.extra));
        }
    }
    /* hot with probability 1 - 1/ratio, plus the odd random pick of the same id */
    ck_assert_msg(hot_auction > bids * 0.48 && hot_auction < bids * 0.56, "%d/%d", hot_auction,
                  bids);
    ck_assert_msg(hot_bidder > bids * 0.73 && hot_bidder < bids * 0.78, "%d/%d", hot_bidder, bids);
    ck_assert_msg(hot_seller > auctions * 0.73 && hot_seller < auctions * 0.78, "%d/%d",
                  hot_seller, auctions);
    ck_assert_msg(hot_channel > bids * 0.48 && hot_channel < bids * 0.52, "%d", hot_channel);
    /* average sizes: person 200, auction 500, bid 100 (within 5 %) */
    ck_assert_msg(sizes[0] / n[0] > 190 && sizes[0] / n[0] < 210, "%ld", (long)(sizes[0] / n[0]));
    ck_assert_msg(sizes[1] / n[1] > 475 && sizes[1] / n[1] < 525, "%ld", (long)(sizes[1] / n[1]));
    ck_assert_msg(sizes[2] / n[2] > 95 && sizes[2] / n[2] < 105, "%ld", (long)(sizes[2] / n[2]));
}
END_TEST

START_TEST(test_nexmark_time_and_rows)
{
    NexmarkConfig c = default_config();

    ck_assert_int_eq(nexmark_timestamp_ms(&c, 0), NEXMARK_BASE_TIME_MS);
    ck_assert_int_eq(nexmark_timestamp_ms(&c, 10), NEXMARK_BASE_TIME_MS + 1);
    ck_assert_int_eq(nexmark_timestamp_ms(&c, 10000), NEXMARK_BASE_TIME_MS + 1000);
    c.event_rate = 10000000;
    /* integer math: no f32 drift far into the sequence */
    ck_assert_int_eq(nexmark_timestamp_ms(&c, UINT64_C(2000000000)), NEXMARK_BASE_TIME_MS + 200000);
    for (int t = 0; t < 3; t++) {
        for (uint64_t k = 0; k < 3000; k++) {
            uint64_t e = nexmark_event_of_row((NexmarkType)t, k);

            ck_assert_int_eq(nexmark_event_type(e), t);
            ck_assert_uint_eq(nexmark_rows_below((NexmarkType)t, e), k);
            ck_assert_uint_eq(nexmark_rows_below((NexmarkType)t, e + 1), k + 1);
        }
    }
    ck_assert_uint_eq(nexmark_rows_below(NEXMARK_PERSON, 5000), 100);
    ck_assert_uint_eq(nexmark_rows_below(NEXMARK_AUCTION, 5000), 300);
    ck_assert_uint_eq(nexmark_rows_below(NEXMARK_BID, 5000), 4600);
    ck_assert_uint_eq(nexmark_rows_below(NEXMARK_AUCTION, 53), 3 + 2);
}
END_TEST

START_TEST(test_nexmark_sources_share_one_sequence)
{
    GenOption o[] = {{"connector", "nexmark"}, {"nexmark.table.type", "Bid"},
                     {"nexmark.event.num", "5000"}, {"nexmark.seed", "3"},
                     {"nexmark.min.event.gap.in.ns", "0"}};
    Generator *g = make(o, 5, bid_cols, 7);
    NexmarkConfig c;
    NexmarkEvent ev;
    Arena *a = arena_create("t", 0);
    Buf all = encode(g, 0, 4600, 1000), many = encode(g, 0, 4600, 13);
    Oid types[7];
    size_t off = 0;
    Err err;

    ck_assert_uint_eq(gen_total_rows(g), 4600);
    ck_assert(!gen_is_paced(g));
    ck_assert(memcmp(all.data, many.data, all.len) == 0);
    err_clear(&err);
    ck_assert(nexmark_parse(o, 5, &c, &err) == 0);
    ck_assert_uint_eq(c.event_rate, 10000); /* gap 0 paces nothing and keeps event time */
    for (int i = 0; i < 7; i++)
        types[i] = bid_cols[i].type;
    for (uint64_t k = 0; k < 4600; k++) {
        Buf one = encode(g, k, 1, 1); /* the record alone: its length */
        Value v[7];

        ck_assert(memcmp(all.data + off, one.data, one.len) == 0);
        nexmark_event(&c, nexmark_event_of_row(NEXMARK_BID, k), &ev);
        ck_assert_msg(rowcodec_decode(one.data + SQL_REC_HEADER, one.len - SQL_REC_HEADER, types,
                                      7, a, v, &err) == 0,
                      "%s", err.message);
        ck_assert_int_eq(datum_get_int64(v[0].d), ev.auction);
        ck_assert_int_eq(datum_get_int64(v[1].d), ev.bidder);
        ck_assert_int_eq(datum_get_int64(v[2].d), ev.price);
        ck_assert_int_eq(datum_get_int64(v[5].d),
                         ev.date_time_ms * 1000 - DT_UNIX_EPOCH_OFFSET_US);
        ck_assert_str_eq(datum_get_var(v[6].d)->data, ev.extra);
        off += one.len;
        buf_free(&one);
    }
    ck_assert_uint_eq(off, all.len);
    buf_free(&all);
    buf_free(&many);
    arena_destroy(a);
    gen_free(g);
}
END_TEST

START_TEST(test_nexmark_errors)
{
    GenOption no_type[] = {{"connector", "nexmark"}, {"nexmark.event.num", "10"}};
    GenOption bad_col[] = {{"connector", "nexmark"}, {"nexmark.table.type", "person"}};
    GenColumn c[] = {{"price", TYPE_INT8, -1}};
    Generator *g = NULL;
    Err err;

    err_clear(&err);
    /* no table type: the combined form (test_gen_combined.c), whose columns these are not */
    ck_assert_int_eq(gen_create(no_type, 2, bid_cols, 7, 0, &g, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    err_clear(&err);
    ck_assert_int_eq(gen_create(bad_col, 2, c, 1, 0, &g, &err), -1);
    ck_assert_ptr_null(g);
    err_clear(&err);
    ck_assert_int_eq(gen_create(bad_col, 0, c, 1, 0, &g, &err), 0); /* no connector: none */
    ck_assert_ptr_null(g);
    ck_assert_str_eq(connector_nexmark_column(CONNECTOR_NEXMARK_BID, 6, NULL), "extra");
    ck_assert_ptr_null(connector_nexmark_column(CONNECTOR_NEXMARK_BID, 7, NULL));
}
END_TEST

static Suite *
gen_suite(void)
{
    Suite *s = suite_create("gen");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_datagen_deterministic);
    tcase_add_test(tc, test_datagen_seed_changes_rows);
    tcase_add_test(tc, test_datagen_default_sequence_end);
    tcase_add_test(tc, test_nexmark_mix_and_ids);
    tcase_add_test(tc, test_nexmark_hot_ratios);
    tcase_add_test(tc, test_nexmark_time_and_rows);
    tcase_add_test(tc, test_nexmark_sources_share_one_sequence);
    tcase_add_test(tc, test_nexmark_errors);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(gen_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
