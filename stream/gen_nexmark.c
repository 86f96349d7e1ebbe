/*
 * stream/gen_nexmark.c — the Nexmark event generator (connector = 'nexmark'): the combined
 * person / auction / bid sequence of ../shared/design/nexmark.md 1.2–1.5, one event as a pure
 * function of its number.
 *
 * Rules (nexmark.md, the defaults of nexmark-bench / nexmark-rs):
 *   - event e (first_event_id 0, out-of-order group 1: id = e); type from e % 50: 0 person,
 *     1..3 auction, 4..49 bid; person id = e/50 + 1000, auction id = lastAuction(e) + 1000;
 *   - sellers / bidders / auctions: hot with probability 1 - 1/ratio (the block's first
 *     person, second person, first auction of 100), else a recent id with a lead of 10;
 *   - date_time(e) = base + e * 1000 / event_rate ms (integer math, truncating as Flink does;
 *     never f32); expires = date_time + 1 + U[0, max(2 * horizon, 1)) ms with horizon the
 *     event time of 1666 events;
 *   - prices log-uniform round(10^(6 U) * 100); strings by nextString (length U[3, max),
 *     delimiter with probability 1/13, trimmed: nexmark-bench's rule); extra pads to the
 *     average sizes 200 / 500 / 100 bytes.
 * Randomness: a xoshiro256** generator seeded with (nexmark.seed, e) for every event, so the
 * draw order inside an event is all that matters (it differs from other implementations:
 * distribution-level compatibility only, nexmark.md 1.4).
 *
 * The combined form (no nexmark.table.type, RisingWave's `event_type BIGINT, person STRUCT<...>,
 * auction STRUCT<...>, bid STRUCT<...>`): row k is event k; its struct column is built from the
 * same field values as the per-table row of that event (nexmark_value), in the order and subset
 * of fields the column's STRUCT type declares, and the other two struct columns are NULL.
 *
 * Invariants:
 *   1. nexmark_event(c, e) depends on c's seed, base time and event rate and on e only.
 *   2. nexmark_event_of_row(t, k) is the k-th event of type t; nexmark_rows_below(t, e)
 *      counts events of type t below e; they are inverse: rows_below(t, event_of_row(t, k))
 *      == k (the identity for NEXMARK_COMBINED).
 *   3. A combined row's struct field equals the per-table row's column of the same name for
 *      the same event, byte for byte; exactly one struct column (the event's) is non-NULL.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/clock.h"
#include "sql/connector.h"
#include "sql/datetime.h"
#include "sql/datum.h"
#include "sql/rowcodec.h"
#include "sql/types_struct.h"
#include "stream/generator.h"

#define PROPORTION 50
#define NUM_ACTIVE_PEOPLE 1000
#define PERSON_ID_LEAD 10
#define NUM_IN_FLIGHT_AUCTIONS 100
#define AUCTION_ID_LEAD 10
#define HOT_RATIO_2 100
#define FIRST_CATEGORY_ID 10
#define NUM_CATEGORIES 5
#define NUM_CHANNELS 10000
#define HORIZON_EVENTS 1666 /* 100 auctions * 50 / 3 */

static const char *const first_names[] = {"peter", "paul",  "luke",  "john",   "saul", "vicky",
                                          "kate",  "julie", "sarah", "deiter", "walter"};
static const char *const last_names[] = {"shultz", "abrams", "spencer", "white", "bartels",
                                         "walton", "smith",  "jones",   "noris"};
static const char *const cities[] = {"phoenix",  "los angeles", "san francisco", "boise",
                                     "portland", "bend",        "redmond",       "seattle",
                                     "kent",     "cheyenne"};
static const char *const states[] = {"az", "ca", "id", "or", "wa", "wy"};
static const char *const hot_channels[] = {"Google", "Facebook", "Baidu", "Apple"};

void
nexmark_config_default(NexmarkConfig *c)
{
    *c = (NexmarkConfig){.type = NEXMARK_BID,
                         .event_num = GEN_UNBOUNDED,
                         .seed = 0,
                         .base_time_ms = NEXMARK_BASE_TIME_MS,
                         .event_rate = 10000,
                         .gap_ns = 100000,
                         .hot_auction_ratio = 2,
                         .hot_seller_ratio = 4,
                         .hot_bidder_ratio = 4,
                         .hot_channel_ratio = 2};
}

static int
parse_u64(const char *key, const char *v, bool allow_zero, uint64_t *out, Err *err)
{
    char *end;
    unsigned long long x;

    if (v == NULL || *v < '0' || *v > '9')
        goto bad;
    x = strtoull(v, &end, 10);
    if (*end != '\0' || (!allow_zero && x == 0))
        goto bad;
    *out = x;
    return 0;
bad:
    return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "option \"%s\" must be a %s integer",
                     key, allow_zero ? "non-negative" : "positive");
}

int
nexmark_parse(const GenOption *opts, int nopts, NexmarkConfig *c, Err *err)
{
    bool has_type = false, has_rate = false;
    uint64_t v = 0, gap = 0;
    bool has_gap = false;

    nexmark_config_default(c);
    for (int i = 0; i < nopts; i++) {
        const char *k = opts[i].key, *val = opts[i].value;

        if (strcmp(k, "nexmark.table.type") == 0) {
            has_type = true;
            if (val != NULL && strcasecmp(val, "person") == 0)
                c->type = NEXMARK_PERSON;
            else if (val != NULL && strcasecmp(val, "auction") == 0)
                c->type = NEXMARK_AUCTION;
            else if (val != NULL && strcasecmp(val, "bid") == 0)
                c->type = NEXMARK_BID;
            else
                return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                                 "nexmark.table.type must be 'person', 'auction' or 'bid'");
        } else if (strcmp(k, "nexmark.event.num") == 0) {
            if (parse_u64(k, val, true, &c->event_num, err) < 0)
                return -1;
        } else if (strcmp(k, "nexmark.seed") == 0) {
            if (parse_u64(k, val, true, &c->seed, err) < 0)
                return -1;
        } else if (strcmp(k, "nexmark.base.time") == 0) {
            if (parse_u64(k, val, true, &v, err) < 0)
                return -1;
            c->base_time_ms = (int64_t)v;
        } else if (strcmp(k, "nexmark.event.rate") == 0 ||
                   strcmp(k, "nexmark.first.event.rate") == 0 ||
                   strcmp(k, "nexmark.next.event.rate") == 0) {
            if (parse_u64(k, val, false, &c->event_rate, err) < 0)
                return -1;
            has_rate = true;
        } else if (strcmp(k, "nexmark.min.event.gap.in.ns") == 0) {
            if (parse_u64(k, val, true, &gap, err) < 0)
                return -1;
            has_gap = true;
        } else if (strcmp(k, "nexmark.split.num") == 0 ||
                   strcmp(k, "nexmark.max.chunk.size") == 0) {
            if (parse_u64(k, val, false, &v, err) < 0)
                return -1;
        } else if (strcmp(k, "nexmark.use.real.time") == 0) {
            if (val == NULL || (strcasecmp(val, "false") != 0 && strcasecmp(val, "true") != 0))
                return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                                 "option \"%s\" must be true or false", k);
            if (strcasecmp(val, "true") == 0)
                return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                                 "nexmark.use.real.time = true is not supported");
        } else if (strcmp(k, "nexmark.bid.proportion") == 0 ||
                   strcmp(k, "nexmark.auction.proportion") == 0 ||
                   strcmp(k, "nexmark.person.proportion") == 0) {
            if (val == NULL || strcmp(val, k[8] == 'b' ? "46" : k[8] == 'a' ? "3" : "1") != 0)
                return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                                 "option \"%s\" other than the default 1:3:46 mix is not "
                                 "supported",
                                 k);
        }
    }
    if (has_gap) {
        c->gap_ns = gap;
        /* without an explicit event rate, the gap also spaces event time */
        if (!has_rate && gap > 0)
            c->event_rate = gap >= 1000000000 ? 1 : 1000000000 / gap;
    }
    if (!has_type)
        c->type = NEXMARK_COMBINED; /* RisingWave's combined form: every event, one row each */
    return 0;
}

NexmarkType
nexmark_event_type(uint64_t e)
{
    uint64_t off = e % PROPORTION;

    return off == 0 ? NEXMARK_PERSON : off < 4 ? NEXMARK_AUCTION : NEXMARK_BID;
}

uint64_t
nexmark_event_of_row(NexmarkType t, uint64_t k)
{
    switch (t) {
    case NEXMARK_COMBINED:
        return k;
    case NEXMARK_PERSON:
        return k * PROPORTION;
    case NEXMARK_AUCTION:
        return k / 3 * PROPORTION + 1 + k % 3;
    default:
        return k / 46 * PROPORTION + 4 + k % 46;
    }
}

uint64_t
nexmark_rows_below(NexmarkType t, uint64_t e)
{
    uint64_t blocks = e / PROPORTION, off = e % PROPORTION;

    switch (t) {
    case NEXMARK_COMBINED:
        return e;
    case NEXMARK_PERSON:
        return blocks + (off > 0 ? 1 : 0);
    case NEXMARK_AUCTION:
        return blocks * 3 + (off <= 1 ? 0 : off - 1 > 3 ? 3 : off - 1);
    default:
        return blocks * 46 + (off <= 4 ? 0 : off - 4);
    }
}

int64_t
nexmark_timestamp_ms(const NexmarkConfig *c, uint64_t e)
{
    unsigned __int128 ms = (unsigned __int128)e * 1000u / c->event_rate;

    return c->base_time_ms + (int64_t)ms;
}

/*
 * Uniform in [0, n) by multiply-shift (Lemire): one multiplication instead of rng_below's two
 * divisions; the bias (n / 2^64) is far below anything a benchmark can see.
 */
static inline uint64_t
below(Rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

static uint64_t
last_person(uint64_t id)
{
    return id / PROPORTION;
}

static uint64_t
last_auction(uint64_t id)
{
    uint64_t epoch = id / PROPORTION, off = id % PROPORTION;

    if (off < 1)
        return epoch == 0 ? 0 : (epoch - 1) * 3 + 2;
    if (off >= 4)
        return epoch * 3 + 2;
    return epoch * 3 + (off - 1);
}

static uint64_t
next_person(Rng *r, uint64_t id)
{
    uint64_t people = last_person(id) + 1;
    uint64_t active = people < NUM_ACTIVE_PEOPLE ? people : NUM_ACTIVE_PEOPLE;

    return people - active + below(r, active + PERSON_ID_LEAD);
}

static uint64_t
next_auction(Rng *r, uint64_t id)
{
    uint64_t max = last_auction(id);
    uint64_t min = max > NUM_IN_FLIGHT_AUCTIONS ? max - NUM_IN_FLIGHT_AUCTIONS : 0;

    return min + below(r, max - min + 1 + AUCTION_ID_LEAD);
}

static int64_t
next_price(Rng *r)
{
    return (int64_t)llround(pow(10.0, rng_double(r) * 6.0) * 100.0);
}

/* nextString(max): length U[3, max), delimiter with probability 1/13, trimmed. */
static size_t
next_string(Rng *r, int max, char delim, char *out)
{
    size_t len = 3 + below(r, (uint64_t)(max - 3)), s = 0, n;

    for (size_t i = 0; i < len; i++)
        out[i] = below(r, 13) == 0 ? delim : (char)('a' + below(r, 26));
    while (s < len && out[s] == delim)
        s++;
    n = len;
    while (n > s && out[n - 1] == delim)
        n--;
    memmove(out, out + s, n - s);
    out[n - s] = '\0';
    return n - s;
}

static void
next_extra(Rng *r, size_t current, size_t avg, char *out)
{
    size_t len = 0;

    if (current < avg) {
        uint64_t d = avg - current, delta = (uint64_t)llround(0.2 * (double)d);

        len = (size_t)(d - delta + (delta > 0 ? below(r, 2 * delta) : 0));
    }
    if (len >= sizeof(((NexmarkEvent *)NULL)->extra))
        len = sizeof(((NexmarkEvent *)NULL)->extra) - 1;
    for (size_t i = 0; i < len; i += 2) { /* two letters per draw */
        uint64_t x = rng_next(r);

        out[i] = (char)('a' + (((x & 0xffffffffu) * 26) >> 32));
        if (i + 1 < len)
            out[i + 1] = (char)('a' + (((x >> 32) * 26) >> 32));
    }
    out[len] = '\0';
}

static uint32_t
bit_reverse32(uint32_t x)
{
    uint32_t y = 0;

    for (int i = 0; i < 32; i++, x >>= 1)
        y = (y << 1) | (x & 1);
    return y;
}

/* The URL of channel i (hot channels: i = NUM_CHANNELS + j), seeded with i. */
static void
channel_url(uint64_t i, char *out, size_t cap)
{
    Rng r;
    char a[8], b[8], c[8];
    int32_t id = (int32_t)bit_reverse32((uint32_t)i);
    int n;

    rng_seed(&r, i * UINT64_C(0x9E3779B97F4A7C15) + 0x5eed);
    next_string(&r, 5, '_', a);
    next_string(&r, 5, '_', b);
    next_string(&r, 5, '_', c);
    n = snprintf(out, cap, "https://www.nexmark.com/%s/%s/%s/item.htm?query=1", a, b, c);
    if (below(&r, 10) > 0 && n > 0 && (size_t)n < cap)
        snprintf(out + n, cap - (size_t)n, "&channel_id=%lld", llabs((long long)id));
}

/* The URLs of the 10,000 channels and the 4 hot ones, computed once (they are constants). */
static char url_table[NUM_CHANNELS + 4][96];
static uint8_t url_len[NUM_CHANNELS + 4];
static pthread_once_t url_once = PTHREAD_ONCE_INIT;

static void
init_urls(void)
{
    for (uint64_t i = 0; i < NUM_CHANNELS + 4; i++) {
        channel_url(i, url_table[i], sizeof url_table[i]);
        url_len[i] = (uint8_t)strlen(url_table[i]);
    }
}

static void
copy_url(uint64_t i, char *out, size_t cap)
{
    size_t n;

    pthread_once(&url_once, init_urls);
    n = url_len[i];
    if (n >= cap)
        n = cap - 1;
    memcpy(out, url_table[i], n); /* snprintf "%s" per bid was a visible cost */
    out[n] = '\0';
}

/* "channel-<i>" into out (what snprintf "channel-%u" writes, without its cost per bid). */
static void
channel_name(unsigned i, char *out, size_t cap)
{
    char digits[12];
    size_t nd = 0;
    unsigned x = i;

    do {
        digits[nd++] = (char)('0' + x % 10);
        x /= 10;
    } while (x > 0);
    if (8 + nd >= cap) {
        snprintf(out, cap, "channel-%u", i);
        return;
    }
    memcpy(out, "channel-", 8);
    for (size_t k = 0; k < nd; k++)
        out[8 + k] = digits[nd - 1 - k];
    out[8 + nd] = '\0';
}

static void
gen_person(Rng *r, uint64_t id, NexmarkEvent *ev)
{
    size_t cur;

    ev->id = (int64_t)(last_person(id) + NEXMARK_FIRST_PERSON_ID);
    snprintf(ev->name, sizeof ev->name, "%s %s", first_names[below(r, 11)],
             last_names[below(r, 9)]);
    {
        char a[8], b[8];

        next_string(r, 7, ' ', a);
        next_string(r, 5, ' ', b);
        snprintf(ev->email, sizeof ev->email, "%s@%s.com", a, b);
    }
    snprintf(ev->credit_card, sizeof ev->credit_card, "%04u %04u %04u %04u",
             (unsigned)below(r, 10000), (unsigned)below(r, 10000),
             (unsigned)below(r, 10000), (unsigned)below(r, 10000));
    snprintf(ev->city, sizeof ev->city, "%s", cities[below(r, 10)]);
    snprintf(ev->state, sizeof ev->state, "%s", states[below(r, 6)]);
    cur = 8 + strlen(ev->name) + strlen(ev->email) + strlen(ev->credit_card) + strlen(ev->city) +
          strlen(ev->state);
    next_extra(r, cur, 200, ev->extra);
}

static void
gen_auction(const NexmarkConfig *c, Rng *r, uint64_t e, NexmarkEvent *ev)
{
    uint64_t seller, horizon;
    size_t cur;

    ev->id = (int64_t)(last_auction(e) + NEXMARK_FIRST_AUCTION_ID);
    next_string(r, 20, ' ', ev->item_name);
    next_string(r, 100, ' ', ev->description);
    ev->initial_bid = next_price(r);
    ev->reserve = ev->initial_bid + next_price(r);
    horizon = (uint64_t)(nexmark_timestamp_ms(c, e + HORIZON_EVENTS) - ev->date_time_ms);
    ev->expires_ms =
        ev->date_time_ms + 1 + (int64_t)below(r, 2 * horizon > 1 ? 2 * horizon : 1);
    if (below(r, (uint64_t)c->hot_seller_ratio) > 0)
        seller = last_person(e) / HOT_RATIO_2 * HOT_RATIO_2;
    else
        seller = next_person(r, e);
    ev->seller = (int64_t)(seller + NEXMARK_FIRST_PERSON_ID);
    ev->category = FIRST_CATEGORY_ID + (int64_t)below(r, NUM_CATEGORIES);
    cur = 8 + strlen(ev->item_name) + strlen(ev->description) + 5 * 8;
    next_extra(r, cur, 500, ev->extra);
}

static void
gen_bid(const NexmarkConfig *c, Rng *r, uint64_t e, NexmarkEvent *ev)
{
    uint64_t auction, bidder;

    if (below(r, (uint64_t)c->hot_auction_ratio) > 0)
        auction = last_auction(e) / HOT_RATIO_2 * HOT_RATIO_2;
    else
        auction = next_auction(r, e);
    if (below(r, (uint64_t)c->hot_bidder_ratio) > 0)
        bidder = last_person(e) / HOT_RATIO_2 * HOT_RATIO_2 + 1;
    else
        bidder = next_person(r, e);
    ev->auction = (int64_t)(auction + NEXMARK_FIRST_AUCTION_ID);
    ev->bidder = (int64_t)(bidder + NEXMARK_FIRST_PERSON_ID);
    ev->price = next_price(r);
    if (below(r, (uint64_t)c->hot_channel_ratio) > 0) {
        uint64_t j = below(r, 4);

        memcpy(ev->channel, hot_channels[j], strlen(hot_channels[j]) + 1);
        copy_url(NUM_CHANNELS + j, ev->url, sizeof ev->url);
    } else {
        uint64_t i = below(r, NUM_CHANNELS);

        channel_name((unsigned)i, ev->channel, sizeof ev->channel);
        copy_url(i, ev->url, sizeof ev->url);
    }
    next_extra(r, 32, 100, ev->extra);
}

void
nexmark_event(const NexmarkConfig *c, uint64_t e, NexmarkEvent *ev)
{
    Rng r;

    rng_seed(&r, (c->seed + 1) * UINT64_C(0xD1B54A32D192ED03) ^ e);
    ev->type = nexmark_event_type(e);
    ev->date_time_ms = nexmark_timestamp_ms(c, e);
    ev->extra[0] = '\0';
    switch (ev->type) {
    case NEXMARK_PERSON:
        gen_person(&r, e, ev);
        break;
    case NEXMARK_AUCTION:
        gen_auction(c, &r, e, ev);
        break;
    default:
        gen_bid(c, &r, e, ev);
        break;
    }
}

static Value
ts_value(int64_t ms)
{
    return (Value){datum_from_int64(ms * 1000 - DT_UNIX_EPOCH_OFFSET_US), false};
}

static Value
str_value(Arena *a, const char *s)
{
    return (Value){datum_from_cstr(a, s), false};
}

static Value
int_value(int64_t v)
{
    return (Value){datum_from_int64(v), false};
}

Value
nexmark_value(const NexmarkEvent *ev, int field, Arena *a)
{
    /* field: the column's index in the table type's schema (sql/connector.h) */
    switch (ev->type) {
    case NEXMARK_PERSON:
        switch (field) {
        case 0: return int_value(ev->id);
        case 1: return str_value(a, ev->name);
        case 2: return str_value(a, ev->email);
        case 3: return str_value(a, ev->credit_card);
        case 4: return str_value(a, ev->city);
        case 5: return str_value(a, ev->state);
        case 6: return ts_value(ev->date_time_ms);
        case 7: return str_value(a, ev->extra);
        }
        break;
    case NEXMARK_AUCTION:
        switch (field) {
        case 0: return int_value(ev->id);
        case 1: return str_value(a, ev->item_name);
        case 2: return str_value(a, ev->description);
        case 3: return int_value(ev->initial_bid);
        case 4: return int_value(ev->reserve);
        case 5: return ts_value(ev->date_time_ms);
        case 6: return ts_value(ev->expires_ms);
        case 7: return int_value(ev->seller);
        case 8: return int_value(ev->category);
        case 9: return str_value(a, ev->extra);
        }
        break;
    default:
        switch (field) {
        case 0: return int_value(ev->auction);
        case 1: return int_value(ev->bidder);
        case 2: return int_value(ev->price);
        case 3: return str_value(a, ev->channel);
        case 4: return str_value(a, ev->url);
        case 5: return ts_value(ev->date_time_ms);
        case 6: return str_value(a, ev->extra);
        }
        break;
    }
    return (Value){0, true};
}

/* ---- the combined form (no nexmark.table.type) ----------------------------------------- */

typedef enum CombinedKind {
    COMBINED_NONE,       /* generated: NULL here, computed by the caller */
    COMBINED_PROCTIME,   /* AS PROCTIME(): the caller's clock value */
    COMBINED_EVENT_TYPE, /* 0 person, 1 auction, 2 bid */
    COMBINED_STRUCT      /* the STRUCT of one table type */
} CombinedKind;

typedef struct CombinedCol {
    CombinedKind kind;
    NexmarkType table;     /* COMBINED_STRUCT: whose fields */
    const StructType *st;  /* COMBINED_STRUCT: the column's registered type */
    int fields[16];        /* COMBINED_STRUCT: struct field i = table schema field fields[i] */
} CombinedCol;

struct NexmarkCombined {
    int ncols;
    CombinedCol cols[];
};

/* The registered struct type of a column: by its typmod, else interned from its text. */
static int
column_struct_type(const GenColumn *col, const StructType **out, Err *err)
{
    *out = col->typmod >= 0 ? struct_type_lookup(col->typmod) : NULL;
    if (*out == NULL && col->type_def != NULL &&
        struct_type_intern_text(col->type_def, out, err) < 0)
        return -1;
    if (*out == NULL || (*out)->typmod != col->typmod)
        return ERR_RAISE(err, ERRCODE_DATATYPE_MISMATCH,
                         "column \"%s\" of a nexmark source has no known STRUCT type", col->name);
    return 0;
}

int
nexmark_combined_create(const GenColumn *cols, int ncols, NexmarkCombined **out, Err *err)
{
    NexmarkCombined *nc;

    *out = NULL;
    if ((nc = calloc(1, sizeof *nc + (size_t)ncols * sizeof nc->cols[0])) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    nc->ncols = ncols;
    for (int i = 0; i < ncols; i++) {
        CombinedCol *cc = &nc->cols[i];
        int t = cols[i].is_proctime ? -1 : connector_nexmark_combined_column(cols[i].name);

        if (cols[i].is_proctime) {
            cc->kind = COMBINED_PROCTIME;
        } else if (cols[i].generated_expr != NULL) {
            cc->kind = COMBINED_NONE; /* the caller computes it from the row */
        } else if (t == CONNECTOR_NEXMARK_EVENT_TYPE) {
            cc->kind = COMBINED_EVENT_TYPE;
        } else if (t >= 0 && cols[i].type == TYPE_RECORD) {
            cc->kind = COMBINED_STRUCT;
            cc->table = (NexmarkType)t;
            if (column_struct_type(&cols[i], &cc->st, err) < 0)
                goto fail;
            if (cc->st->nfields > (int)(sizeof cc->fields / sizeof cc->fields[0]))
                goto bad_field;
            for (int f = 0; f < cc->st->nfields; f++) {
                const StructField *sf = &cc->st->fields[f];
                Oid want = TYPE_INVALID;

                cc->fields[f] = connector_nexmark_field(t, sf->name);
                if (cc->fields[f] < 0 || connector_nexmark_column(t, cc->fields[f], &want) == NULL ||
                    !connector_nexmark_type_ok(want, sf->type, sf->typmod))
                    goto bad_field;
            }
        } else {
            ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                      "column \"%s\" is not a column of the combined nexmark source",
                      cols[i].name);
            goto fail;
        }
        continue;
bad_field:
        ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                  "column \"%s\" of a nexmark source is not a STRUCT of %s columns",
                  cols[i].name, connector_nexmark_type_name(t));
        goto fail;
    }
    *out = nc;
    return 0;
fail:
    free(nc);
    return -1;
}

void
nexmark_combined_free(NexmarkCombined *nc)
{
    free(nc);
}

/*
 * The struct value of cc for event ev: the bytes struct_value_make() writes (typmod, then the
 * fields' rowcodec row; sql/types_struct.h), encoded straight into the value's VarData in a
 * (no buffer of its own, no copy). The fields' sizes bound the row, so the fixed-capacity Buf
 * never grows; were the bound wrong, struct_value_make() makes the value instead.
 */
static int
struct_of_event(const CombinedCol *cc, const NexmarkEvent *ev, Arena *a, Datum *out, Err *err)
{
    const StructType *st = cc->st;
    Value fv[16];
    size_t cap = 16 + (size_t)st->nfields * 24; /* header, offsets, padding, by-value fields */
    VarData *v;
    Buf row;

    for (int f = 0; f < st->nfields; f++) {
        fv[f] = nexmark_value(ev, cc->fields[f], a);
        if (!fv[f].isnull && (st->types[f] == TYPE_VARCHAR || st->types[f] == TYPE_TEXT))
            cap += datum_get_var(fv[f].d)->len;
    }
    v = arena_alloc(a, sizeof(VarData) + 4 + cap + 1);
    row = (Buf){.data = (uint8_t *)v->data + 4, .len = 0, .cap = cap, .max = cap};
    if (rowcodec_encode(st->types, st->nfields, fv, &row, err) < 0 || row.failed) {
        err_clear(err);
        return struct_value_make(st, fv, a, out, err);
    }
    memcpy(v->data, &st->typmod, 4);
    v->len = (uint32_t)(4 + row.len);
    v->data[v->len] = '\0';
    *out = datum_from_var(v);
    return 0;
}

int
nexmark_combined_values(const NexmarkCombined *nc, const NexmarkEvent *ev, Value now, Arena *a,
                        Value *vals, Err *err)
{
    for (int i = 0; i < nc->ncols; i++) {
        const CombinedCol *cc = &nc->cols[i];

        switch (cc->kind) {
        case COMBINED_PROCTIME:
            vals[i] = now;
            break;
        case COMBINED_EVENT_TYPE:
            vals[i] = int_value((int64_t)ev->type);
            break;
        case COMBINED_STRUCT:
            if (cc->table != ev->type) {
                vals[i] = (Value){0, true};
            } else {
                if (struct_of_event(cc, ev, a, &vals[i].d, err) < 0)
                    return -1;
                vals[i].isnull = false;
            }
            break;
        default:
            vals[i] = (Value){0, true};
            break;
        }
    }
    return 0;
}
