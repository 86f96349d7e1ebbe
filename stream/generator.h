/*
 * stream/generator.h — the built-in generator connectors of CREATE SOURCE ... WITH
 * (connector = 'datagen' | 'nexmark'): what a source's options mean (parsed from the CREATE
 * statement the catalog keeps), row i of a source as a pure function of (options, i), and the
 * producer threads that append those rows to the source's durable log.
 *
 *   stream/gen_datagen.c   datagen: per-column sequence / random fields
 *   stream/gen_nexmark.c   nexmark: the person / auction / bid event sequence
 *                          (../shared/design/nexmark.md 1.2–1.5)
 *   stream/engine_gen.c    one producer thread per generator source: start at CREATE and at
 *                          start-up, stop at DROP and shutdown
 *
 * Where it sits: stream/ (the engine owns the logs); sql/bind_connector.c validated the
 * options and the columns before the source was created, so parsing here fails only on a
 * catalog written by another version (the generator is then not started, with a WARNING).
 *
 * Position: a source's log holds rows 0 .. n-1 of its sequence and nothing else, so n (the
 * log's recovered end after a crash) is where generation resumes: no gap, no repeat.
 *
 * Invariants:
 *   1. gen_encode_rows(g, i, ...) depends only on the options (and, for datagen timestamps
 *      without a basetime, the source's creation time kept in the catalog) and i: never on
 *      batch boundaries, the wall clock or earlier calls.
 *   2. A Generator is immutable once parsed; its producer thread owns the only mutable state.
 *   3. Nexmark sources with the same nexmark.* options see one event sequence: event e is a
 *      function of (seed, base time, event rate, e) and each source keeps the events of its
 *      table type; a combined source (no table type) keeps all of them, row k = event k.
 */
#ifndef RIVULET_STREAM_GENERATOR_H
#define RIVULET_STREAM_GENERATOR_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "sql/types.h"

#define GEN_UNBOUNDED UINT64_MAX

typedef struct Generator Generator;

/* One option as written in WITH (...) (the dialect pre-pass's key spelling). */
typedef struct GenOption {
    const char *key;
    const char *value;
} GenOption;

/* The source's columns, in order. */
typedef struct GenColumn {
    const char *name;
    Oid type;
    int32_t typmod;
    bool is_proctime; /* AS PROCTIME() (sql/proctime.h): the wall clock when the row is made */
    const char *type_def; /* a STRUCT column: its canonical text (sql/types_struct.h); or NULL */
    const char *generated_expr; /* `AS expr` (sql/generated.h): not a generator field;
                                   gen_create binds it over the row (a bad expression fails
                                   there) and gen_encode_rows computes it per batch after the
                                   fields; NULL otherwise */
} GenColumn;

/*
 * Builds the generator of a source from its connector options (connector included) and
 * columns. created_us: the source's creation time (µs since 1970) for datagen timestamps in
 * the default absolute mode. 0 with *out (NULL when the options name no generator connector).
 */
int gen_create(const GenOption *opts, int nopts, const GenColumn *cols, int ncols,
               int64_t created_us, Generator **out, Err *err);
/* The generator of a CREATE SOURCE statement's text (parsed with the dialect pre-pass). */
int gen_create_from_sql(const char *definition, const GenColumn *cols, int ncols,
                        int64_t created_us, Generator **out, Err *err);
void gen_free(Generator *g);

/* Rows the source has in total (GEN_UNBOUNDED: no end). */
uint64_t gen_total_rows(const Generator *g);
/*
 * Wall-clock pacing: the time (ns after the generator's start position) at which row i is
 * due, relative to row `from`; 0 when the generator runs as fast as it can.
 */
bool gen_is_paced(const Generator *g);
uint64_t gen_due_ns(const Generator *g, uint64_t from, uint64_t i);

/*
 * Appends rows [first, first + n) as log records (sql/relation.h: 4-byte header, rowcodec
 * row) to out, the end of each record in ends[0 .. n). scratch is reset by the caller.
 * Generated columns (`AS expr`) are computed column at a time over the n rows.
 */
int gen_encode_rows(const Generator *g, uint64_t first, int n, Buf *out, uint32_t *ends,
                    Arena *scratch, Err *err);

/* ---- datagen (stream/gen_datagen.c) ---- */

typedef struct DatagenConfig DatagenConfig;
int datagen_create(const GenOption *opts, int nopts, const GenColumn *cols, int ncols,
                   int64_t created_us, DatagenConfig **out, Err *err);
void datagen_free(DatagenConfig *c);
uint64_t datagen_total_rows(const DatagenConfig *c);
uint64_t datagen_rows_per_second(const DatagenConfig *c);
/* Column values of row i into vals[0 .. ncols) (by-reference values in a). */
int datagen_row(const DatagenConfig *c, uint64_t i, Arena *a, Value *vals, Err *err);

/* ---- nexmark (stream/gen_nexmark.c) ---- */

/*
 * NEXMARK_COMBINED: a source without nexmark.table.type, RisingWave's combined form. Row k is
 * event k: event_type (0, 1, 2) and STRUCT columns person, auction, bid of which exactly the
 * event's own is non-NULL (sql/connector.h names the columns; sql/bind_connector.c checks
 * them). An event's type (NexmarkEvent.type) is never NEXMARK_COMBINED.
 */
typedef enum NexmarkType {
    NEXMARK_PERSON,
    NEXMARK_AUCTION,
    NEXMARK_BID,
    NEXMARK_COMBINED
} NexmarkType;

#define NEXMARK_FIRST_PERSON_ID 1000
#define NEXMARK_FIRST_AUCTION_ID 1000
#define NEXMARK_BASE_TIME_MS INT64_C(1436918400000) /* 2015-07-15 00:00:00 UTC */

typedef struct NexmarkConfig {
    NexmarkType type;
    uint64_t event_num;  /* events of the combined sequence; GEN_UNBOUNDED */
    uint64_t seed;
    int64_t base_time_ms;
    uint64_t event_rate; /* event time: events per second (date_time spacing) */
    uint64_t gap_ns;     /* wall clock: ns between events; 0 = as fast as possible */
    int hot_auction_ratio, hot_seller_ratio, hot_bidder_ratio, hot_channel_ratio;
} NexmarkConfig;

/* One event's fields; strings point into the event's own buffers. */
typedef struct NexmarkEvent {
    NexmarkType type;
    int64_t id, seller, category, initial_bid, reserve; /* person / auction */
    int64_t auction, bidder, price;                     /* bid */
    int64_t date_time_ms, expires_ms;
    char name[32], email[32], credit_card[24], city[16], state[4];
    char item_name[24], description[104], channel[16], url[96];
    char extra[640]; /* at most 500 - 48 + 0.2 * 452 = 542 letters (auction) */
} NexmarkEvent;

void nexmark_config_default(NexmarkConfig *c);
/* Parses nexmark.* options (22023 on a bad value); without nexmark.table.type: combined. */
int nexmark_parse(const GenOption *opts, int nopts, NexmarkConfig *c, Err *err);
/* The event type of event number e (id % 50: 0 person, 1..3 auction, 4..49 bid). */
NexmarkType nexmark_event_type(uint64_t e);
/* Event e of the combined sequence. */
void nexmark_event(const NexmarkConfig *c, uint64_t e, NexmarkEvent *out);
/*
 * The event number of the k-th (0-based) event of type t, and the count of type t below e
 * (NEXMARK_COMBINED: every event, so both are the identity).
 */
uint64_t nexmark_event_of_row(NexmarkType t, uint64_t k);
uint64_t nexmark_rows_below(NexmarkType t, uint64_t e);
/* event time of event e in ms since 1970 */
int64_t nexmark_timestamp_ms(const NexmarkConfig *c, uint64_t e);
/* Column `field` (its index in the table type's schema, sql/connector.h) of event ev. */
Value nexmark_value(const NexmarkEvent *ev, int field, Arena *a);

/*
 * The combined form's columns: which column is event_type, which the person / auction / bid
 * STRUCT (and which of the table's fields each struct field is), which are left to the
 * caller (AS PROCTIME() and generated columns). 42804 when a STRUCT column's type is not
 * registered (sql/types_struct.h) and cannot be interned from type_def; 22023 for another
 * column or a struct field its table does not have (the binder refused those before).
 */
typedef struct NexmarkCombined NexmarkCombined;
int nexmark_combined_create(const GenColumn *cols, int ncols, NexmarkCombined **out, Err *err);
void nexmark_combined_free(NexmarkCombined *nc);
/*
 * The values of event ev's row into vals[0 .. ncols): AS PROCTIME() columns get now, columns
 * the combined form does not generate NULL (generated columns are computed after). The
 * struct values are allocated in a.
 */
int nexmark_combined_values(const NexmarkCombined *nc, const NexmarkEvent *ev, Value now, Arena *a,
                            Value *vals, Err *err);

#endif
