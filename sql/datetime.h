/*
 * sql/datetime.h — date/time values: their representation, the calendar,
 * time zones and interval arithmetic, as PostgreSQL 15 defines them.
 *
 * This header is the contract between the date/time types (I/O, operators
 * and casts: sql/types_datetime.c, sql/datetime.c, sql/tz.c,
 * sql/cat_datetime.c) and the date/time functions (date_trunc, extract,
 * to_char, make_*, age, AT TIME ZONE ...). Everything a function needs to
 * take a value apart, rebuild it or move it between zones is here.
 *
 * Representation (the same numbers PostgreSQL stores, so the binary wire
 * format is the Datum itself):
 *   date         int32 days since 2000-01-01, by value;
 *                DATE_NOBEGIN (INT32_MIN) = -infinity, DATE_NOEND (INT32_MAX) = infinity.
 *   time         int64 microseconds since midnight, 0 .. USECS_PER_DAY inclusive
 *                ('24:00:00' is valid), by value.
 *   timestamp    int64 microseconds since 2000-01-01 00:00:00 (no zone), by value;
 *   timestamptz  the same, counted in UTC; TS_NOBEGIN (INT64_MIN) = -infinity,
 *                TS_NOEND (INT64_MAX) = infinity.
 *   interval     by reference: a VarData (sql/datum.h) whose 16 data bytes are
 *                an Interval struct in host order {int64 time; int32 day;
 *                int32 month} (datum_copy() copies it like any VarData). The
 *                bytes are not 8-aligned: use interval_get()/interval_datum().
 *
 * Ranges (as PostgreSQL): dates from 4714-11-24 BC (Julian day 0) to
 * 5874897-12-31 AD; timestamps from 4714-11-24 BC 00:00 to 294276-12-31
 * 23:59:59.999999 AD. Out of range: 22008 "date out of range",
 * "timestamp out of range", "interval out of range".
 *
 * Years in DtFields are astronomical: 1 BC is year 0, 2 BC is -1 (the text
 * functions print year <= 0 as (1 - year) BC).
 *
 * Invariants:
 *   1. Nothing here keeps per-session state: the session's zone and styles
 *      come in through TypeIoCtx (sql/types.h) or a Tz argument. No setenv("TZ"),
 *      no localtime(): sessions are threads.
 *   2. A Tz returned by tz_lookup() lives for the whole process (zones are
 *      parsed once and cached; the cache is thread-safe) and is immutable.
 *   3. Arithmetic never overflows silently: every function that can leave the
 *      valid range returns -1 with 22008 in err.
 *   4. Infinite values are never passed to the calendar functions
 *      (ts_to_fields() refuses them); callers test TS_IS_FINITE first.
 */
#ifndef RIVULET_SQL_DATETIME_H
#define RIVULET_SQL_DATETIME_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "sql/datum.h"
#include "sql/types.h"

/* A time zone (sql/tz.c): opaque, immutable, shared by all threads. */
typedef struct Tz Tz;

/* ---- units and epochs ------------------------------------------------------ */

#define USECS_PER_SEC INT64_C(1000000)
#define USECS_PER_MINUTE INT64_C(60000000)
#define USECS_PER_HOUR INT64_C(3600000000)
#define USECS_PER_DAY INT64_C(86400000000)
#define SECS_PER_MINUTE 60
#define SECS_PER_HOUR 3600
#define SECS_PER_DAY 86400
#define DAYS_PER_MONTH 30 /* interval comparison and justify_*: a month is 30 days */
#define MONTHS_PER_YEAR 12

#define POSTGRES_EPOCH_JDATE 2451545 /* Julian day of 2000-01-01 */
#define UNIX_EPOCH_JDATE 2440588     /* Julian day of 1970-01-01 */
/* µs between 1970-01-01 and 2000-01-01: unix_us - DT_UNIX_EPOCH_OFFSET_US = our timestamp */
#define DT_UNIX_EPOCH_OFFSET_US (INT64_C(10957) * USECS_PER_DAY)

/* Valid ranges, as Julian days (first invalid day for the END values). */
#define DATETIME_MIN_JULIAN 0             /* 4714-11-24 BC */
#define DATE_END_JULIAN 2147483494        /* 5874898-01-01 */
#define TIMESTAMP_END_JULIAN 109203528    /* 294277-01-01 */
#define DT_MIN_TIMESTAMP INT64_C(-211813488000000000) /* 4714-11-24 BC 00:00 */
#define DT_END_TIMESTAMP INT64_C(9223371331200000000) /* 294277-01-01 00:00 (exclusive) */
#define DT_MIN_DATE (DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE)
#define DT_END_DATE (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE) /* exclusive */

/* ---- special values -------------------------------------------------------- */

#define DATE_NOBEGIN INT32_MIN
#define DATE_NOEND INT32_MAX
#define TS_NOBEGIN INT64_MIN
#define TS_NOEND INT64_MAX
#define DATE_IS_FINITE(d) ((d) != DATE_NOBEGIN && (d) != DATE_NOEND)
#define TS_IS_FINITE(t) ((t) != TS_NOBEGIN && (t) != TS_NOEND)
#define DATE_IN_RANGE(d) ((d) >= DT_MIN_DATE && (d) < DT_END_DATE)
#define TS_IN_RANGE(t) ((t) >= DT_MIN_TIMESTAMP && (t) < DT_END_TIMESTAMP)

/* Max fractional-second precision for timestamp(p), time(p), interval(p). */
#define DT_MAX_PRECISION 6

/* ---- session styles (TypeIoCtx.datestyle / dateorder / intervalstyle) ----------- */

enum { DATESTYLE_ISO = 0, DATESTYLE_SQL = 1, DATESTYLE_POSTGRES = 2, DATESTYLE_GERMAN = 3 };
/* Field order for ambiguous input ('1/2/2020') and the SQL/Postgres output styles. */
enum { DATEORDER_MDY = 0, DATEORDER_DMY = 1, DATEORDER_YMD = 2 };
enum {
    INTSTYLE_POSTGRES = 0,
    INTSTYLE_POSTGRES_VERBOSE = 1,
    INTSTYLE_SQL_STANDARD = 2,
    INTSTYLE_ISO_8601 = 3,
};

/* ---- interval -------------------------------------------------------------- */

typedef struct Interval {
    int64_t time; /* µs */
    int32_t day;
    int32_t month;
} Interval;

static inline Interval
interval_get(Datum d)
{
    Interval iv;

    memcpy(&iv, datum_get_var(d)->data, sizeof iv);
    return iv;
}

/* A new interval Datum in a (16 bytes plus the VarData header). */
Datum interval_datum(Arena *a, const Interval *iv);

/*
 * Comparison as PostgreSQL's interval_cmp: both sides are turned into one
 * 128-bit µs span with month = 30 days and day = 24 h; returns <0, 0, >0.
 * So '1 mon' = '30 days' = '720 hours'.
 */
int interval_cmp(const Interval *a, const Interval *b);
/* Field-wise a + b / a - b / -a; 22008 "interval out of range" on overflow. */
int interval_add(const Interval *a, const Interval *b, Interval *out, Err *err);
int interval_sub(const Interval *a, const Interval *b, Interval *out, Err *err);
int interval_negate(const Interval *a, Interval *out, Err *err);
/* interval * float8 and interval / float8 with PostgreSQL's cascade of fractional
 * months into days and days into time (22012 division by zero). */
int interval_mul(const Interval *a, double factor, Interval *out, Err *err);
int interval_div(const Interval *a, double divisor, Interval *out, Err *err);

/* ---- calendar -------------------------------------------------------------- */

/* Broken-down date and time, as PostgreSQL's struct pg_tm plus fractional seconds. */
typedef struct DtFields {
    int year;  /* astronomical: 1 BC = 0 */
    int mon;   /* 1..12 */
    int mday;  /* 1..31 */
    int hour;  /* 0..23 (24 only for time '24:00') */
    int min;   /* 0..59 */
    int sec;   /* 0..59 (60 is accepted on input, carried into the next minute) */
    int usec;  /* 0..999999 */
    int wday;  /* 0 = Sunday .. 6, filled by ts_to_fields/date_to_fields */
    int yday;  /* 1..366, filled by ts_to_fields/date_to_fields */
    int32_t gmtoff;     /* seconds EAST of UTC (+19800 for +05:30); 0 without a zone */
    bool is_dst;        /* daylight-saving time in effect */
    const char *abbrev; /* zone abbreviation ("CET", "+0530"), NULL without a zone; static */
} DtFields;

bool dt_is_leap(int year);
int dt_days_in_month(int year, int mon);
/* Julian day number of a (proleptic Gregorian) date; year astronomical. */
int32_t dt_date2j(int year, int mon, int mday);
void dt_j2date(int32_t jd, int *year, int *mon, int *mday);
/* Day of the week of a Julian day: 0 = Sunday. */
int dt_j2day(int32_t jd);

/* ISO 8601 weeks: week 1 contains the year's first Thursday; weeks start on Monday. */
int dt_iso_week(int year, int mon, int mday);
int dt_iso_year(int year, int mon, int mday);
/* Julian day of ISO (isoyear, week, isodow), isodow 1 = Monday .. 7 = Sunday. */
int32_t dt_isoweek2j(int isoyear, int week, int isodow);

/* date (days since 2000-01-01, finite) → fields (time fields zero, wday/yday set). */
void date_to_fields(int32_t date, DtFields *f);
/* fields → date; 22008 "date out of range" outside the valid range. */
int date_from_fields(const DtFields *f, int32_t *date, Err *err);

/*
 * A finite timestamp → fields. With tz == NULL the value is read as it is
 * (timestamp without time zone); otherwise ts is UTC and is shown in tz
 * (gmtoff, is_dst and abbrev filled). 22008 "timestamp out of range" for
 * infinities or out-of-range values.
 */
int ts_to_fields(int64_t ts, const Tz *tz, DtFields *f, Err *err);
/* fields (local wall-clock, no zone) → timestamp without time zone; 22008 out of range. */
int ts_from_fields(const DtFields *f, int64_t *ts, Err *err);
/*
 * fields read as wall-clock time in tz → timestamptz (UTC). Times in a DST
 * gap or overlap are resolved as PostgreSQL's DetermineTimeZoneOffset does
 * (see tz_local_to_utc). 22008 out of range.
 */
int tstz_from_fields(const DtFields *f, const Tz *tz, int64_t *ts, Err *err);

/* time (µs since midnight) → hour/min/sec/usec of f (date fields untouched). */
void time_to_fields(int64_t t, DtFields *f);

/* Date/timestamp conversions (22008 on overflow; infinities map to infinities). */
int date_to_ts(int32_t date, int64_t *ts, Err *err);
int date_to_tstz(int32_t date, const Tz *tz, int64_t *ts, Err *err);
int ts_to_date(int64_t ts, int32_t *date, Err *err);
int tstz_to_date(int64_t ts, const Tz *tz, int32_t *date, Err *err);
int ts_to_tstz(int64_t ts, const Tz *tz, int64_t *out, Err *err);
int tstz_to_ts(int64_t ts, const Tz *tz, int64_t *out, Err *err);

/* Rounds µs to typmod precision (0..6; -1 = none), as timestamp(p) / time(p). */
int64_t dt_round_usec(int64_t v, int32_t typmod);

/* ---- interval arithmetic on timestamps ------------------------------------- */

/*
 * ts + iv as PostgreSQL's timestamp_pl_interval: months first (clamping the
 * day to the month's length: Jan 31 + 1 mon = Feb 28/29), then days, then
 * time. Infinite ts stays infinite. 22008 on overflow.
 */
int ts_pl_interval(int64_t ts, const Interval *iv, int64_t *out, Err *err);
int ts_mi_interval(int64_t ts, const Interval *iv, int64_t *out, Err *err);
/* timestamptz + iv: months and days are added to the wall-clock date in tz, time in UTC. */
int tstz_pl_interval(int64_t ts, const Interval *iv, const Tz *tz, int64_t *out, Err *err);
int tstz_mi_interval(int64_t ts, const Interval *iv, const Tz *tz, int64_t *out, Err *err);
/* a - b as PostgreSQL's timestamp_mi: {time = a - b, 0 days, 0 months}, then
 * justify_hours (whole 24 h into days). 22008 for infinite operands. */
int ts_mi(int64_t a, int64_t b, Interval *out, Err *err);

/* ---- time zones ------------------------------------------------------------ */

/*
 * A time zone by name, as PostgreSQL's TimeZone setting and AT TIME ZONE
 * accept it: an IANA name from the system tz database (case-insensitive,
 * "America/New_York", "utc", "Etc/GMT+3"), a POSIX spec ("EST5EDT",
 * "<+05>-05", "UTC+3": note POSIX signs are west-positive), or "Z". NULL when
 * the name is not a zone. Thread-safe; the result lives for the process.
 */
const Tz *tz_lookup(const char *name);
/* True when name is a zone of the tz database that counts leap seconds (not supported). */
bool tz_has_leap_seconds(const char *name);
/* A fixed-offset zone, gmtoff seconds EAST of UTC (|gmtoff| < 168 hours). */
const Tz *tz_fixed(int32_t gmtoff);
/* The zone named by io->timezone (falls back to UTC if unknown, never NULL). */
const Tz *tz_from_io(const TypeIoCtx *io);
/* UTC (never NULL). */
const Tz *tz_utc(void);
/* The zone's canonical name ("America/New_York", "UTC", "<+05>-05"). */
const char *tz_name(const Tz *tz);

/*
 * UTC → local: the offset in seconds EAST of UTC in effect at utc_us
 * (µs since 2000-01-01 UTC); is_dst and abbrev (static, may be NULL) are
 * optional outputs.
 */
int32_t tz_utc_offset(const Tz *tz, int64_t utc_us, bool *is_dst, const char **abbrev);
/*
 * Local wall-clock µs (since 2000-01-01, in tz) → the offset east of UTC to
 * subtract: utc = local - offset * 1e6. A wall-clock time that a transition
 * makes ambiguous (it exists twice: fall back) or invalid (it is skipped:
 * spring forward) gets the smaller of the two offsets around the transition,
 * as PostgreSQL: New York 2021-11-07 01:30 is -05, 2021-03-14 02:30 is read
 * at -05 and so shows as 03:30-04.
 */
int32_t tz_local_offset(const Tz *tz, int64_t local_us, bool *is_dst, const char **abbrev);

/*
 * Time zone abbreviations for input ("EST", "PDT", "CEST", "z"), as
 * PostgreSQL's default timezone_abbreviations set: true and the offset east
 * of UTC when known. *is_dynamic is set when the abbreviation names a zone
 * rather than a fixed offset (then *zone is that zone and the offset is
 * ignored).
 */
bool tz_abbrev_lookup(const char *abbrev, int32_t *gmtoff, bool *is_dst, const Tz **zone);

/* ---- text I/O helpers shared with the date/time functions ------------------ */

extern const char *const dt_month_names[12];     /* "January" .. */
extern const char *const dt_month_abbrevs[12];   /* "Jan" .. */
extern const char *const dt_day_names[7];        /* "Sunday" .. */
extern const char *const dt_day_abbrevs[7];      /* "Sun" .. */

/*
 * Appends a value in the session's style (as the output functions do).
 * Infinite values print as "infinity" / "-infinity".
 */
void dt_format_date(int32_t date, const TypeIoCtx *io, Buf *out);
void dt_format_time(int64_t t, Buf *out);
void dt_format_timestamp(int64_t ts, const TypeIoCtx *io, Buf *out);
void dt_format_timestamptz(int64_t ts, const TypeIoCtx *io, Buf *out);
void dt_format_interval(const Interval *iv, const TypeIoCtx *io, Buf *out);
/* The "+05:30" / "-03:00:00" / "+00" suffix PostgreSQL prints for gmtoff (seconds east). */
void dt_format_offset(int32_t gmtoff, Buf *out);

/*
 * Text input of one value with PostgreSQL's rules (io gives DateStyle order
 * and the session zone; 'now'/'today' use io->txn_start_us). Error
 * messages name the type: `invalid input syntax for type timestamp: "x"`.
 */
int dt_parse_date(const char *s, const TypeIoCtx *io, int32_t *out, Err *err);
int dt_parse_time(const char *s, const TypeIoCtx *io, int64_t *out, Err *err);
int dt_parse_timestamp(const char *s, const TypeIoCtx *io, int64_t *out, Err *err);
int dt_parse_timestamptz(const char *s, const TypeIoCtx *io, int64_t *out, Err *err);
int dt_parse_interval(const char *s, const TypeIoCtx *io, Interval *out, Err *err);

/* ---- the type I/O functions (TypeInfo hooks; sql/types_datetime.c) --------- */

int date_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
            Err *err);
void date_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int date_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void date_send(Datum d, int32_t typmod, Buf *out);
int time_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
            Err *err);
void time_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int time_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void time_send(Datum d, int32_t typmod, Buf *out);
int timestamp_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a,
                 Datum *out, Err *err);
void timestamp_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int timestamp_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void timestamp_send(Datum d, int32_t typmod, Buf *out);
int timestamptz_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a,
                   Datum *out, Err *err);
void timestamptz_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int timestamptz_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out,
                     Err *err);
int interval_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a,
                Datum *out, Err *err);
void interval_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int interval_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void interval_send(Datum d, int32_t typmod, Buf *out);
/* typmodin/typmodout hooks: time(p), timestamp(p), timestamptz(p), interval fields(p). */
int time_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err);
int timestamp_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err);
int timestamptz_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err);
void dt_precision_typmodout(int32_t typmod, Buf *out);
int interval_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err);
void interval_typmodout(int32_t typmod, Buf *out);

#endif
