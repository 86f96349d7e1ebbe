/*
 * sql/connector.h — facts about the built-in generator connectors that both the binder
 * (sql/bind_connector.c: CREATE SOURCE checks) and the generators (stream/gen_*.c) need:
 * the Nexmark table schemas (RisingWave's column names and types) and the column types
 * datagen can fill.
 *
 * Invariants:
 *   1. connector_nexmark_column(t, i) lists table type t's columns in RisingWave's order;
 *      a generator's field number is the index i here.
 */
#ifndef RIVULET_SQL_CONNECTOR_H
#define RIVULET_SQL_CONNECTOR_H

#include <stdbool.h>

#include "sql/types.h"

/* Table types, as stream/generator.h's NexmarkType. */
#define CONNECTOR_NEXMARK_PERSON 0
#define CONNECTOR_NEXMARK_AUCTION 1
#define CONNECTOR_NEXMARK_BID 2

/* Column i of nexmark table type t and its type (NULL past the end). */
const char *connector_nexmark_column(int t, int i, Oid *type);
/* "person", "auction", "bid" */
const char *connector_nexmark_type_name(int t);
/* The column's index in t's schema, or -1. */
int connector_nexmark_field(int t, const char *name);

/*
 * The combined form (a nexmark source without nexmark.table.type, RisingWave's): an
 * event_type column (0 person, 1 auction, 2 bid; an integer type) and one nullable STRUCT
 * column per table type, named after it ("person", "auction", "bid"), whose fields are that
 * table's columns (any order, any subset). connector_nexmark_combined_column(name): the
 * table type of a STRUCT column, CONNECTOR_NEXMARK_EVENT_TYPE, or -1.
 */
#define CONNECTOR_NEXMARK_EVENT_TYPE 3
int connector_nexmark_combined_column(const char *name);
/*
 * True when a column (or struct field) Nexmark gives type `want` may be declared as
 * (type, typmod): that type, or text / varchar without a length for VARCHAR (RisingWave's
 * VARCHAR is unbounded); TIMESTAMP with a precision of at least 3 (the times are whole ms).
 */
bool connector_nexmark_type_ok(Oid want, Oid type, int32_t typmod);

/* True when datagen can fill a column of this type (sequence: numeric types only). */
bool connector_datagen_type_ok(Oid type, bool sequence);

#endif
