/*
 * sql/types_datetime.c — text and binary I/O of date, time, timestamp,
 * timestamptz and interval (the TypeInfo hooks of sql/cat_datetime.c).
 *
 * Text input works as PostgreSQL's: the string is cut into fields (numbers,
 * dates with - / . separators, times with colons, words, signed offsets,
 * zone names), then the fields are decoded together, so the same decoder
 * serves '2020-01-02 03:04:05+05:30', 'Jan 5 2020', 'Wed Dec 17 07:37:16
 * 1997 PST', '1/2/2020' (DateStyle order) and the special words (epoch,
 * infinity, now, today, tomorrow, yesterday, allballs). Intervals have their
 * own decoder for the postgres, verbose ('@ 1 min ago'), SQL standard ('1-2',
 * '3 4:05:06') and ISO 8601 ('P1Y2M3DT4H5M6S') forms.
 *
 * Size: about 1,900 lines, over the usual limit, because the field splitter, the date/time
 * decoder and the interval decoder share one set of field and unit tables and error
 * reporting; the natural split (interval input and output into types_interval.c) is the next
 * step when this file grows again.
 *
 * Invariants:
 *   1. Errors quote the whole input and name the type as PostgreSQL does:
 *      22007 syntax, 22008 field out of range (hint for month/day mix-ups)
 *      or value out of range, 22009 zone offset, 22023 unknown zone name,
 *      22015 interval field overflow.
 *   2. Binary forms are the Datums themselves in network order (int32
 *      days, int64 µs, interval as int64 time, int32 day, int32 month).
 *   3. 'now' and its relatives read io->txn_start_us, so they are constant
 *      within a transaction, as PostgreSQL's.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/errcodes.h"
#include "sql/datetime.h"
#include "sql/datetime_ops.h"

#define MAX_FIELDS 32
#define FIELD_LEN 128

typedef enum FieldKind {
    F_NUM,  /* digits, optionally with one '.' fraction */
    F_DATE, /* parts separated by - / or . (digits or a month name) */
    F_TIME, /* h:m[:s[.frac]] */
    F_WORD, /* letters, lower-cased */
    F_SIGNED, /* +/- followed by digits (offset or signed number/time) */
    F_ZONE, /* a name with '/' (IANA zone) */
} FieldKind;

typedef struct Field {
    FieldKind kind;
    char text[FIELD_LEN];
} Field;

enum { TY_DATE, TY_TIME, TY_TIMESTAMP, TY_TIMESTAMPTZ, TY_INTERVAL };

static const char *const TYPE_NAMES[] = {"date", "time", "timestamp", "timestamp with time zone",
                                         "interval"};

/* Parse failure kinds, turned into PostgreSQL's messages by report(). */
enum {
    E_FORMAT = 1,
    E_FIELD,     /* date/time field value out of range */
    E_MD_FIELD,  /* ... with the datestyle hint */
    E_TZDISP,    /* time zone displacement out of range */
    E_BADZONE,   /* time zone "x" not recognized */
    E_RANGE,     /* date / timestamp out of range */
    E_IV_FIELD,  /* interval field value out of range */
};

static int
report(int kind, int ty, const char *s, const char *zone, Err *err)
{
    switch (kind) {
    case E_FIELD:
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW,
                         "date/time field value out of range: \"%s\"", s);
    case E_MD_FIELD:
        ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW,
                  "date/time field value out of range: \"%s\"", s);
        err_hint(err, "Perhaps you need a different \"datestyle\" setting.");
        return -1;
    case E_TZDISP:
        return ERR_RAISE(err, ERRCODE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                         "time zone displacement out of range: \"%s\"", s);
    case E_BADZONE:
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "time zone \"%s\" not recognized",
                         zone);
    case E_RANGE:
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "%s out of range: \"%s\"",
                         ty == TY_DATE ? "date" : "timestamp", s);
    case E_IV_FIELD:
        return ERR_RAISE(err, ERRCODE_INTERVAL_FIELD_OVERFLOW,
                         "interval field value out of range: \"%s\"", s);
    default:
        return ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT,
                         "invalid input syntax for type %s: \"%s\"", TYPE_NAMES[ty], s);
    }
}

/* ---- tokenizer --------------------------------------------------------------- */

static bool
push(Field *f, int *nf, FieldKind kind, const char *p, size_t n)
{
    if (*nf >= MAX_FIELDS || n >= FIELD_LEN)
        return false;
    f[*nf].kind = kind;
    memcpy(f[*nf].text, p, n);
    f[*nf].text[n] = '\0';
    if (kind == F_WORD) {
        for (size_t i = 0; i < n; i++)
            f[*nf].text[i] = (char)tolower((unsigned char)f[*nf].text[i]);
    }
    (*nf)++;
    return true;
}

static int month_by_name(const char *w);
static bool is_day_name(const char *w);

/*
 * The words of PostgreSQL's core date token table (months, days, AM/PM,
 * BC/AD, special values, the ISO 'T' and Julian 'J'): a word followed by a
 * digit that is not one of these starts a zone name ("EST5EDT", "GMT+3").
 */
static bool
is_keyword(const char *p, size_t n)
{
    static const char *const WORDS[] = {"am",  "pm",    "ad",    "bc",  "t",       "j",
                                        "allballs", "epoch", "infinity", "now", "today",
                                        "tomorrow", "yesterday", "at", "on", "julian", "z"};
    char w[32];

    if (n >= sizeof w)
        return false;
    for (size_t i = 0; i < n; i++)
        w[i] = (char)tolower((unsigned char)p[i]);
    w[n] = '\0';
    for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++) {
        if (strcmp(w, WORDS[i]) == 0)
            return true;
    }
    return month_by_name(w) != 0 || is_day_name(w);
}

/* Cuts s into fields; false on characters that cannot start a field. */
static bool
tokenize(const char *s, Field *f, int *nf)
{
    const char *p = s;

    *nf = 0;
    while (*p) {
        const char *start = p;

        if (isspace((unsigned char)*p) || *p == ',') {
            p++;
            continue;
        }
        if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
            while (isdigit((unsigned char)*p))
                p++;
            if (*p == ':') {
                while (isdigit((unsigned char)*p) || *p == ':' || *p == '.')
                    p++;
                if (!push(f, nf, F_TIME, start, (size_t)(p - start)))
                    return false;
            } else if ((*p == '-' || *p == '/' || *p == '.') &&
                       (isalnum((unsigned char)p[1]))) {
                char delim = *p;
                bool date = delim != '.';

                if (delim == '.') {
                    /* two dots make a date (20.01.2020); one is a fraction */
                    const char *q = p + 1;

                    while (isdigit((unsigned char)*q))
                        q++;
                    date = *q == '.' && q > p + 1;
                }
                if (!date) {
                    p++;
                    while (isdigit((unsigned char)*p))
                        p++;
                    if (!push(f, nf, F_NUM, start, (size_t)(p - start)))
                        return false;
                    continue;
                }
                while (*p == delim && isalnum((unsigned char)p[1])) {
                    p++;
                    if (isdigit((unsigned char)*p)) {
                        while (isdigit((unsigned char)*p))
                            p++;
                    } else {
                        while (isalpha((unsigned char)*p))
                            p++;
                    }
                }
                if (!push(f, nf, F_DATE, start, (size_t)(p - start)))
                    return false;
            } else {
                if (*p == '.') {
                    p++;
                    while (isdigit((unsigned char)*p))
                        p++;
                }
                if (!push(f, nf, F_NUM, start, (size_t)(p - start)))
                    return false;
            }
        } else if (isalpha((unsigned char)*p)) {
            while (isalpha((unsigned char)*p))
                p++;
            if ((isdigit((unsigned char)*p) || *p == '+') && !is_keyword(start, (size_t)(p - start))) {
                /* a zone name with digits or a sign: EST5EDT, GMT+3, Etc/GMT-14 */
                while (isalnum((unsigned char)*p) || *p == '/' || *p == '_' || *p == '-' ||
                       *p == '+' || *p == ':' || *p == '.')
                    p++;
                if (!push(f, nf, F_ZONE, start, (size_t)(p - start)))
                    return false;
            } else if (*p == '/' || *p == '_' ||
                ((*p == '-' || *p == '+') && (isalpha((unsigned char)p[1])) && p - start > 1)) {
                /* a zone name: America/New_York, Etc/GMT+3, America/Port-au-Prince */
                while (isalnum((unsigned char)*p) || *p == '/' || *p == '_' || *p == '-' ||
                       *p == '+')
                    p++;
                if (!push(f, nf, F_ZONE, start, (size_t)(p - start)))
                    return false;
            } else if ((*p == '-' || *p == '/') && isdigit((unsigned char)p[1])) {
                /* Jan-05-2020 */
                char delim = *p;

                while (*p == delim && isalnum((unsigned char)p[1])) {
                    p++;
                    while (isalnum((unsigned char)*p))
                        p++;
                }
                if (!push(f, nf, F_DATE, start, (size_t)(p - start)))
                    return false;
            } else if (!push(f, nf, F_WORD, start, (size_t)(p - start))) {
                return false;
            }
        } else if (*p == '+' || *p == '-') {
            p++;
            while (isspace((unsigned char)*p))
                p++;
            if (isalpha((unsigned char)*p)) {
                /* -infinity, +infinity */
                char tmp[FIELD_LEN];
                size_t n = 0;

                tmp[n++] = *start;
                while (isalpha((unsigned char)*p) && n + 1 < FIELD_LEN)
                    tmp[n++] = *p++;
                if (!push(f, nf, F_WORD, tmp, n))
                    return false;
            } else if (isdigit((unsigned char)*p)) {
                char tmp[FIELD_LEN];
                size_t n = 0;

                tmp[n++] = *start;
                while ((isdigit((unsigned char)*p) || *p == ':' || *p == '.' ||
                        (*p == '-' && isdigit((unsigned char)p[1]))) &&
                       n + 1 < FIELD_LEN)
                    tmp[n++] = *p++;
                if (!push(f, nf, F_SIGNED, tmp, n))
                    return false;
            } else {
                return false;
            }
        } else if (*p == '@') {
            p++; /* punctuation between fields is skipped ("@ 1 hour"), as PostgreSQL */
        } else {
            return false;
        }
    }
    return true;
}

/* ---- small parsers --------------------------------------------------------- */

/* Parses all-digit text into v; false when empty, not digits or too big. */
static bool
digits(const char *s, size_t n, int64_t *v)
{
    int64_t r = 0;

    if (n == 0 || n > 18)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        r = r * 10 + (s[i] - '0');
    }
    *v = r;
    return true;
}

/* ".ddd" (after the dot) → µs, rounded half up at the 7th digit. */
static bool
fraction_usec(const char *s, int *usec, bool *carry)
{
    int64_t v = 0;
    int n = 0;

    *carry = false;
    for (; isdigit((unsigned char)*s); s++, n++) {
        if (n < 6)
            v = v * 10 + (*s - '0');
        else if (n == 6 && *s >= '5')
            v++;
    }
    if (*s != '\0')
        return false;
    for (int i = n; i < 6; i++)
        v *= 10;
    if (v >= 1000000) {
        v -= 1000000;
        *carry = true;
    }
    *usec = (int)v;
    return true;
}

static int
month_by_name(const char *w)
{
    static const char *const full[] = {"january", "february", "march",     "april",
                                       "may",     "june",     "july",      "august",
                                       "september", "october", "november", "december"};

    if (strcmp(w, "sept") == 0)
        return 9;
    for (int i = 0; i < 12; i++) {
        if (strcmp(w, full[i]) == 0 || (strlen(w) == 3 && strncmp(w, full[i], 3) == 0))
            return i + 1;
    }
    return 0;
}

static bool
is_day_name(const char *w)
{
    static const char *const full[] = {"sunday",   "monday", "tuesday", "wednesday",
                                       "thursday", "friday", "saturday"};
    static const char *const extra[] = {"tues", "wednes", "thur", "thurs"};

    for (int i = 0; i < 7; i++) {
        if (strcmp(w, full[i]) == 0 || (strlen(w) == 3 && strncmp(w, full[i], 3) == 0))
            return true;
    }
    for (int i = 0; i < 4; i++) {
        if (strcmp(w, extra[i]) == 0)
            return true;
    }
    return false;
}

/* "+hh", "+hhmm", "+hh:mm", "+hh:mm:ss" → seconds east; 0 ok, else an E_ kind. */
static int
parse_offset(const char *s, int32_t *gmtoff)
{
    int sign = s[0] == '-' ? -1 : 1;
    const char *p = s + 1;
    int64_t h = 0, m = 0, sec = 0;
    const char *c1 = strchr(p, ':');

    if (strchr(p, '.') != NULL)
        return E_FORMAT;
    if (c1 != NULL) {
        const char *c2 = strchr(c1 + 1, ':');

        if (!digits(p, (size_t)(c1 - p), &h))
            return E_FORMAT;
        if (c2 != NULL) {
            if (!digits(c1 + 1, (size_t)(c2 - c1 - 1), &m) || !digits(c2 + 1, strlen(c2 + 1), &sec))
                return E_FORMAT;
        } else if (!digits(c1 + 1, strlen(c1 + 1), &m)) {
            return E_FORMAT;
        }
    } else {
        size_t n = strlen(p);
        int64_t v;

        if (!digits(p, n, &v))
            return E_FORMAT;
        if (n <= 2)
            h = v;
        else if (n <= 4) {
            h = v / 100;
            m = v % 100;
        } else if (n <= 6) {
            h = v / 10000;
            m = v / 100 % 100;
            sec = v % 100;
        } else
            return E_FORMAT;
    }
    if (h > 15 || m >= 60 || sec >= 60)
        return E_TZDISP;
    *gmtoff = (int32_t)(sign * (h * 3600 + m * 60 + sec));
    return 0;
}

/* ---- date/time decoder ------------------------------------------------------ */

typedef struct Decoded {
    bool have_year, have_mon, have_mday, have_time;
    bool mon_guessed; /* mon came from a bare number that a month name may displace */
    bool saw_era;     /* BC or AD was written */
    int year_digits;
    int64_t year;
    int mon, mday, hour, min, sec, usec;
    bool bc;
    int ampm; /* 0 none, 1 am, 2 pm */
    bool have_tz;
    int32_t gmtoff;
    const Tz *zone;  /* a named zone: offset decided at the local time */
    int special;     /* SP_* */
    int rel_days;    /* today + n */
    bool have_rel;
    char badzone[FIELD_LEN]; /* the unknown zone name, for E_BADZONE */
} Decoded;

enum { SP_NONE, SP_EPOCH, SP_INF, SP_NINF, SP_NOW };

static int
set_time(Decoded *d, const char *t)
{
    const char *c1 = strchr(t, ':');
    const char *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
    const char *dot;
    int64_t h, m, s = 0;
    bool carry = false;

    if (d->have_time || c1 == NULL)
        return E_FORMAT;
    if (!digits(t, (size_t)(c1 - t), &h))
        return E_FORMAT;
    d->usec = 0;
    if (c2 == NULL) {
        /* h:m or h:m.frac? PostgreSQL reads "mm:ss.f" for the latter; keep h:m */
        dot = strchr(c1 + 1, '.');
        if (dot != NULL) {
            /* m:s.f */
            if (!digits(c1 + 1, (size_t)(dot - c1 - 1), &s) || !fraction_usec(dot + 1, &d->usec, &carry))
                return E_FORMAT;
            m = h;
            h = 0;
        } else if (!digits(c1 + 1, strlen(c1 + 1), &m)) {
            return E_FORMAT;
        }
    } else {
        if (!digits(c1 + 1, (size_t)(c2 - c1 - 1), &m))
            return E_FORMAT;
        dot = strchr(c2 + 1, '.');
        if (dot != NULL) {
            if (!digits(c2 + 1, (size_t)(dot - c2 - 1), &s) ||
                !fraction_usec(dot + 1, &d->usec, &carry))
                return E_FORMAT;
        } else if (c2[1] != '\0' && !digits(c2 + 1, strlen(c2 + 1), &s)) {
            return E_FORMAT;
        }
    }
    if (carry)
        s++;
    if (h > 24 || m > 59 || s > 60)
        return E_FIELD;
    d->hour = (int)h;
    d->min = (int)m;
    d->sec = (int)s;
    d->have_time = true;
    return 0;
}

static int
set_year(Decoded *d, const char *txt, int64_t v)
{
    if (d->have_year)
        return E_FORMAT;
    d->have_year = true;
    d->year = v;
    d->year_digits = (int)strlen(txt);
    return 0;
}

/* A date field "a-b-c", "a/b/c", "a.b.c" (parts digits or a month name). */
static int
set_date(Decoded *d, const char *txt, int order)
{
    char parts[3][FIELD_LEN];
    int np = 0, name_at = -1;
    const char *p = txt;
    int64_t v[3] = {0, 0, 0};

    if (d->have_year || d->have_mon || d->have_mday)
        return E_FORMAT;
    while (*p && np < 3) {
        size_t n = 0;

        while (*p && *p != '-' && *p != '/' && *p != '.')
            parts[np][n++] = *p++;
        parts[np][n] = '\0';
        np++;
        if (*p)
            p++;
    }
    if (*p != '\0' || np < 2)
        return E_FORMAT;
    for (int i = 0; i < np; i++) {
        if (isalpha((unsigned char)parts[i][0])) {
            char lower[FIELD_LEN];
            size_t n = strlen(parts[i]);

            for (size_t k = 0; k <= n; k++)
                lower[k] = (char)tolower((unsigned char)parts[i][k]);
            if (name_at >= 0 || (v[i] = month_by_name(lower)) == 0)
                return E_FORMAT;
            name_at = i;
        } else if (!digits(parts[i], strlen(parts[i]), &v[i])) {
            return E_FORMAT;
        }
    }
    if (np == 2) {
        /* "Jan-05" style pairs are too ambiguous; PostgreSQL rejects most */
        return E_FORMAT;
    }
    if (name_at >= 0) {
        /* the month is known; the others are day and year */
        int a = name_at == 0 ? 1 : 0, b = name_at == 2 ? 1 : 2;

        d->mon = (int)v[name_at];
        d->have_mon = true;
        if (strlen(parts[a]) >= 3 ||
            (strlen(parts[b]) < 3 && order == DATEORDER_YMD && name_at != 0)) {
            set_year(d, parts[a], v[a]);
            d->mday = (int)v[b];
        } else {
            d->mday = (int)v[a];
            set_year(d, parts[b], v[b]);
        }
        d->have_mday = true;
        return 0;
    }
    if (strlen(parts[0]) >= 3 || order == DATEORDER_YMD) {
        set_year(d, parts[0], v[0]);
        d->mon = (int)v[1];
        d->mday = (int)v[2];
    } else if (order == DATEORDER_DMY) {
        d->mday = (int)v[0];
        d->mon = (int)v[1];
        set_year(d, parts[2], v[2]);
    } else {
        d->mon = (int)v[0];
        d->mday = (int)v[1];
        set_year(d, parts[2], v[2]);
    }
    d->have_mon = d->have_mday = true;
    return 0;
}

/* A bare number: YYYYMMDD, a year, a day of month, or a month, by what is missing. */
static int
set_number(Decoded *d, const char *txt, int order, bool time_only)
{
    size_t n = strlen(txt);
    int64_t v;

    if (strchr(txt, '.') != NULL) {
        /* "hhmmss.f" as time (time input, or after a complete date); nothing else */
        const char *dot = strchr(txt, '.');
        bool carry = false;

        if ((dot - txt) != 6 || d->have_time ||
            !(time_only || (d->have_year && d->have_mon && d->have_mday)) ||
            !digits(txt, 6, &v) || !fraction_usec(dot + 1, &d->usec, &carry))
            return E_FORMAT;
        d->hour = (int)(v / 10000);
        d->min = (int)(v / 100 % 100);
        d->sec = (int)(v % 100) + carry;
        d->have_time = true;
        return d->hour > 24 || d->min > 59 || d->sec > 60 ? E_FIELD : 0;
    }
    if (!digits(txt, n, &v))
        return E_FORMAT;
    if (time_only && !d->have_time && (n == 4 || n == 6)) {
        /* time input: hhmm or hhmmss */
        int64_t t = n == 6 ? v : v * 100;

        d->hour = (int)(t / 10000);
        d->min = (int)(t / 100 % 100);
        d->sec = (int)(t % 100);
        d->have_time = true;
        if (d->hour > 24 || d->min > 59 || d->sec > 60)
            return E_FIELD;
        return 0;
    }
    if (!d->have_year && !d->have_mon && !d->have_mday && (n == 8 || n == 6 || n == 14 || n == 12)) {
        if (n == 8 || n == 14 || n == 12) {
            int64_t date = n == 8 ? v : v / (n == 14 ? 1000000 : 10000);

            d->year = date / 10000;
            d->year_digits = 4;
            d->mon = (int)(date / 100 % 100);
            d->mday = (int)(date % 100);
        } else {
            d->year = v / 10000;
            d->year_digits = 2;
            d->mon = (int)(v / 100 % 100);
            d->mday = (int)(v % 100);
        }
        d->have_year = d->have_mon = d->have_mday = true;
        if (n == 14 || n == 12) {
            int64_t t = n == 14 ? v % 1000000 : (v % 10000) * 100;

            d->hour = (int)(t / 10000);
            d->min = (int)(t / 100 % 100);
            d->sec = (int)(t % 100);
            d->have_time = true;
        }
        return 0;
    }
    if (d->have_year && d->have_mon && d->have_mday && !d->have_time && (n == 6 || n == 4)) {
        /* "19971217 073716": hhmmss (or hhmm) after a complete date */
        int64_t t = n == 6 ? v : v * 100;

        d->hour = (int)(t / 10000);
        d->min = (int)(t / 100 % 100);
        d->sec = (int)(t % 100);
        d->have_time = true;
        if (d->hour > 24 || d->min > 59 || d->sec > 60)
            return E_FIELD;
        return 0;
    }
    if (n >= 3 || v > 31) {
        if (!d->have_year)
            return set_year(d, txt, v);
        return E_FORMAT;
    }
    if (d->have_mon && !d->have_mday) {
        d->mday = (int)v;
        d->have_mday = true;
        return 0;
    }
    if (d->have_mon && d->have_mday && !d->have_year)
        return set_year(d, txt, v);
    if (!d->have_mon && !d->have_mday) {
        if (order == DATEORDER_DMY || d->have_year) {
            if (d->have_year) {
                d->mon = (int)v;
                d->have_mon = true;
            } else {
                d->mday = (int)v;
                d->have_mday = true;
            }
        } else {
            d->mon = (int)v;
            d->have_mon = true;
            d->mon_guessed = true;
        }
        return 0;
    }
    if (!d->have_mon) {
        d->mon = (int)v;
        d->have_mon = true;
        return 0;
    }
    if (!d->have_mday) {
        d->mday = (int)v;
        d->have_mday = true;
        return 0;
    }
    return E_FORMAT;
}

static int
decode(const char *s, const TypeIoCtx *io, int ty, Decoded *d)
{
    Field f[MAX_FIELDS];
    int nf, rc;
    int order = io != NULL ? io->dateorder : DATEORDER_MDY;

    memset(d, 0, sizeof *d);
    if (!tokenize(s, f, &nf) || nf == 0)
        return E_FORMAT;
    for (int i = 0; i < nf; i++) {
        const char *t = f[i].text;

        switch (f[i].kind) {
        case F_NUM:
            /* a number directly after a time with a fraction-less seconds field */
            if (ty == TY_TIME && strlen(t) > 6 && strchr(t, '.') == NULL)
                return E_FORMAT; /* no run-together dates in time input */
            if ((rc = set_number(d, t, order, ty == TY_TIME && nf <= 2)) != 0)
                return rc;
            break;
        case F_DATE:
            /* as PostgreSQL: a date field may not follow the time or BC/AD */
            if (d->have_time || d->saw_era || (ty == TY_TIME && isalpha((unsigned char)t[0])))
                return E_FORMAT;
            if ((rc = set_date(d, t, order)) != 0)
                return rc;
            break;
        case F_TIME:
            if ((rc = set_time(d, t)) != 0)
                return rc;
            break;
        case F_SIGNED:
            if (d->have_tz || (!d->have_time && !d->have_year && !d->have_mday))
                return E_FORMAT;
            if ((rc = parse_offset(t, &d->gmtoff)) != 0)
                return rc;
            d->have_tz = true;
            break;
        case F_ZONE: {
            const Tz *z = tz_lookup(t);

            if (z == NULL) {
                snprintf(d->badzone, sizeof d->badzone, "%s", t);
                return E_BADZONE;
            }
            if (d->have_tz)
                return E_FORMAT;
            d->zone = z;
            d->have_tz = true;
            break;
        }
        case F_WORD: {
            int m;
            int32_t off;
            bool dst;
            const Tz *z;

            if (strcmp(t, "epoch") == 0 || strcmp(t, "infinity") == 0 ||
                strcmp(t, "-infinity") == 0 ||
                strcmp(t, "now") == 0) {
                if (nf != 1)
                    return E_FORMAT;
                d->special = t[0] == 'e'   ? SP_EPOCH
                             : t[0] == 'n' ? SP_NOW
                             : t[0] == '-' ? SP_NINF
                                           : SP_INF;
            } else if (strcmp(t, "today") == 0 || strcmp(t, "tomorrow") == 0 ||
                       strcmp(t, "yesterday") == 0) {
                if (d->have_rel || d->have_year || d->have_mon || d->have_mday)
                    return E_FORMAT;
                d->have_rel = true;
                d->rel_days = t[1] == 'o' && t[2] == 'd' ? 0 : t[0] == 't' ? 1 : -1;
            } else if (strcmp(t, "allballs") == 0) {
                if (d->have_time || (ty == TY_TIME && (d->have_year || d->have_mday)))
                    return E_FORMAT;
                d->have_time = true;
                d->have_tz = true; /* 00:00:00 UTC */
            } else if ((m = month_by_name(t)) != 0) {
                if (ty == TY_TIME)
                    return E_FORMAT; /* time input takes only numeric dates */
                if (d->have_mon && d->mon_guessed && !d->have_mday) {
                    d->mday = d->mon; /* "5 Jan": the number was the day */
                    d->have_mday = true;
                } else if (d->have_mon) {
                    return E_FORMAT;
                }
                d->mon = m;
                d->have_mon = true;
                d->mon_guessed = false;
            } else if (is_day_name(t)) {
                /* the day of the week is ignored, as PostgreSQL (but not by time input) */
                if (ty == TY_TIME)
                    return E_FORMAT;
            } else if (strcmp(t, "bc") == 0) {
                if (d->bc)
                    return E_FORMAT;
                d->bc = true;
                d->saw_era = true;
            } else if (strcmp(t, "ad") == 0) {
                d->saw_era = true;
            } else if (strcmp(t, "am") == 0 || strcmp(t, "a") == 0) {
                d->ampm = 1;
            } else if (strcmp(t, "pm") == 0) {
                d->ampm = 2;
            } else if (strcmp(t, "t") == 0) {
                /* ISO 8601 date/time separator */
                if (i + 1 >= nf || (f[i + 1].kind != F_TIME && f[i + 1].kind != F_NUM))
                    return E_FORMAT;
            } else if (strcmp(t, "j") == 0) {
                /* Julian day number: J2451545 */
                int64_t jd;
                int y, mo, dd;

                if (i + 1 >= nf || f[i + 1].kind != F_NUM || d->have_year || d->have_mon ||
                    d->have_mday || !digits(f[i + 1].text, strlen(f[i + 1].text), &jd) ||
                    jd > INT32_MAX)
                    return E_FORMAT;
                dt_j2date((int32_t)jd, &y, &mo, &dd);
                d->year = y > 0 ? y : 1 - y;
                d->bc = y <= 0;
                d->year_digits = 4;
                d->mon = mo;
                d->mday = dd;
                d->have_year = d->have_mon = d->have_mday = true;
                i++;
            } else if (strcmp(t, "at") == 0 || strcmp(t, "on") == 0) {
            } else if (tz_abbrev_lookup(t, &off, &dst, &z)) {
                if (d->have_tz)
                    return E_FORMAT;
                d->have_tz = true;
                d->gmtoff = off;
                d->zone = z;
            } else if ((z = tz_lookup(t)) != NULL) {
                if (d->have_tz)
                    return E_FORMAT;
                d->have_tz = true;
                d->zone = z;
            } else {
                return E_FORMAT;
            }
            break;
        }
        }
    }
    return 0;
}

/* Applies BC, two-digit years, AM/PM; validates; E_ kind or 0. */
static int
finish_fields(Decoded *d, bool need_date, DtFields *out)
{
    memset(out, 0, sizeof *out);
    if (d->ampm != 0) {
        if (!d->have_time || d->hour > 12)
            return E_FIELD;
        if (d->ampm == 2 && d->hour < 12)
            d->hour += 12;
        else if (d->ampm == 1 && d->hour == 12)
            d->hour = 0;
    }
    if (need_date) {
        if (!d->have_year || !d->have_mon || !d->have_mday)
            return E_FORMAT;
        if (d->bc) {
            if (d->year <= 0)
                return E_FIELD;
            d->year = 1 - d->year;
        } else if (d->year_digits <= 2 && d->year_digits > 0) {
            d->year += d->year < 70 ? 2000 : 1900;
        } else if (d->year == 0) {
            return E_FIELD;
        }
        if (d->mon < 1 || d->mon > 12 || d->mday < 1 || d->mday > 31)
            return E_MD_FIELD;
        if (d->year > 6000000 || d->year < -6000000)
            return E_RANGE;
        if (d->mday > dt_days_in_month((int)d->year, d->mon))
            return E_FIELD;
        out->year = (int)d->year;
        out->mon = d->mon;
        out->mday = d->mday;
    }
    if (d->have_time) {
        if (d->hour == 24 && (d->min != 0 || d->sec != 0 || d->usec != 0))
            return E_FIELD;
        out->hour = d->hour;
        out->min = d->min;
        out->sec = d->sec;
        out->usec = d->usec;
    }
    return 0;
}

/* "now" in the session zone as fields. */
static void
now_fields(const TypeIoCtx *io, const Tz *tz, DtFields *f)
{
    Err e;

    err_clear(&e);
    if (ts_to_fields(io != NULL ? io->txn_start_us : 0, tz, f, &e) < 0)
        memset(f, 0, sizeof *f);
}

/* Shared decoder for date / timestamp / timestamptz / time; the result is µs or days. */
static int
parse_dt(const char *s, const TypeIoCtx *io, int ty, int64_t *out, Err *err)
{
    Decoded d;
    DtFields f;
    const Tz *session = tz_from_io(io);
    int rc = decode(s, io, ty, &d);
    const char *badzone = d.badzone;
    int64_t local, v;
    Err e;

    if (rc != 0)
        return report(rc, ty, s, badzone, err);
    if (d.special != SP_NONE) {
        if (ty == TY_TIME && d.special != SP_NOW)
            return report(E_FORMAT, ty, s, NULL, err);
        switch (d.special) {
        case SP_INF:
            *out = ty == TY_DATE ? DATE_NOEND : TS_NOEND;
            return 0;
        case SP_NINF:
            *out = ty == TY_DATE ? DATE_NOBEGIN : TS_NOBEGIN;
            return 0;
        case SP_EPOCH:
            *out = ty == TY_DATE ? -10957 : -DT_UNIX_EPOCH_OFFSET_US;
            return 0;
        default: {
            int64_t now = io != NULL ? io->txn_start_us : 0;

            if (ty == TY_TIMESTAMPTZ) {
                *out = now;
                return 0;
            }
            now_fields(io, session, &f);
            if (ty == TY_DATE) {
                *out = dt_date2j(f.year, f.mon, f.mday) - POSTGRES_EPOCH_JDATE;
                return 0;
            }
            if (ty == TY_TIME) {
                *out = ((int64_t)(f.hour * 60 + f.min) * 60 + f.sec) * USECS_PER_SEC + f.usec;
                return 0;
            }
            err_clear(&e);
            ts_from_fields(&f, out, &e);
            return 0;
        }
        }
    }
    if (d.have_rel) {
        DtFields nf;

        if (ty == TY_TIME)
            return report(E_FORMAT, ty, s, NULL, err);
        now_fields(io, session, &nf);
        {
            int32_t jd = dt_date2j(nf.year, nf.mon, nf.mday) + d.rel_days;
            int y, m, dd;

            dt_j2date(jd, &y, &m, &dd);
            d.year = y;
            d.mon = m;
            d.mday = dd;
            d.year_digits = 4;
            d.have_year = d.have_mon = d.have_mday = true;
            if (y <= 0) {
                d.bc = true;
                d.year = 1 - y;
            }
        }
    }
    if (ty == TY_TIME) {
        /* a zone name needs a date to give an offset */
        if (!d.have_time || (d.zone != NULL && !d.have_year))
            return report(E_FORMAT, ty, s, NULL, err);
        rc = finish_fields(&d, false, &f);
        if (rc == 0 && (d.have_year || d.have_mon || d.have_mday) &&
            !(d.have_year && d.have_mon && d.have_mday))
            rc = E_FORMAT;
        if (rc != 0)
            return report(rc, ty, s, NULL, err);
        *out = ((int64_t)(f.hour * 60 + f.min) * 60 + f.sec) * USECS_PER_SEC + f.usec;
        if (*out > USECS_PER_DAY)
            return report(E_FIELD, ty, s, NULL, err);
        return 0;
    }
    rc = finish_fields(&d, true, &f);
    if (rc != 0)
        return report(rc, ty, s, badzone, err);
    if (ty == TY_DATE) {
        int64_t jd = dt_date2j(f.year, f.mon, f.mday);

        if (f.year > 5874897 || f.year < -4713 || jd < DATETIME_MIN_JULIAN || jd >= DATE_END_JULIAN)
            return report(E_RANGE, ty, s, NULL, err);
        *out = jd - POSTGRES_EPOCH_JDATE;
        return 0;
    }
    if (f.year > 294277 || f.year < -4714)
        return report(E_RANGE, ty, s, NULL, err);
    /* year 294277 is past the int64 range: check the multiplication and the addition */
    if (__builtin_mul_overflow((int64_t)dt_date2j(f.year, f.mon, f.mday) - POSTGRES_EPOCH_JDATE,
                               USECS_PER_DAY, &local) ||
        __builtin_add_overflow(local,
                               ((int64_t)(f.hour * 60 + f.min) * 60 + f.sec) * USECS_PER_SEC + f.usec,
                               &local))
        return report(E_RANGE, ty, s, NULL, err);
    if (ty == TY_TIMESTAMP) {
        if (!TS_IN_RANGE(local))
            return report(E_RANGE, ty, s, NULL, err);
        *out = local;
        return 0;
    }
    if (d.zone != NULL)
        v = local - (int64_t)tz_local_offset(d.zone, local, NULL, NULL) * USECS_PER_SEC;
    else if (d.have_tz)
        v = local - (int64_t)d.gmtoff * USECS_PER_SEC;
    else
        v = local - (int64_t)tz_local_offset(session, local, NULL, NULL) * USECS_PER_SEC;
    if (!TS_IN_RANGE(v))
        return report(E_RANGE, ty, s, NULL, err);
    *out = v;
    return 0;
}

int
dt_parse_date(const char *s, const TypeIoCtx *io, int32_t *out, Err *err)
{
    int64_t v;

    if (parse_dt(s, io, TY_DATE, &v, err) < 0)
        return -1;
    *out = (int32_t)v;
    return 0;
}

int
dt_parse_time(const char *s, const TypeIoCtx *io, int64_t *out, Err *err)
{
    return parse_dt(s, io, TY_TIME, out, err);
}

int
dt_parse_timestamp(const char *s, const TypeIoCtx *io, int64_t *out, Err *err)
{
    return parse_dt(s, io, TY_TIMESTAMP, out, err);
}

int
dt_parse_timestamptz(const char *s, const TypeIoCtx *io, int64_t *out, Err *err)
{
    return parse_dt(s, io, TY_TIMESTAMPTZ, out, err);
}

/* ---- interval decoder -------------------------------------------------------- */

typedef enum Unit {
    U_NONE,
    U_USEC,
    U_MSEC,
    U_SEC,
    U_MIN,
    U_HOUR,
    U_DAY,
    U_WEEK,
    U_MON,
    U_YEAR,
    U_DECADE,
    U_CENTURY,
    U_MILLENNIUM,
    U_INVALID, /* after "ago": no number may take a unit from here */
} Unit;

static Unit
unit_by_name(const char *w)
{
    static const struct {
        const char *name;
        Unit unit;
    } UNITS[] = {
        {"microsecond", U_USEC}, {"microseconds", U_USEC}, {"microsecon", U_USEC},
        {"us", U_USEC},          {"usec", U_USEC},         {"usecs", U_USEC},
        {"useconds", U_USEC},    {"millisecond", U_MSEC},  {"milliseconds", U_MSEC},
        {"millisecon", U_MSEC},  {"ms", U_MSEC},           {"msec", U_MSEC},
        {"msecs", U_MSEC},       {"mseconds", U_MSEC},     {"second", U_SEC},
        {"seconds", U_SEC},      {"s", U_SEC},             {"sec", U_SEC},
        {"secs", U_SEC},         {"minute", U_MIN},        {"minutes", U_MIN},
        {"m", U_MIN},            {"min", U_MIN},           {"mins", U_MIN},
        {"hour", U_HOUR},        {"hours", U_HOUR},        {"h", U_HOUR},
        {"hr", U_HOUR},          {"hrs", U_HOUR},          {"day", U_DAY},
        {"days", U_DAY},         {"d", U_DAY},             {"week", U_WEEK},
        {"weeks", U_WEEK},       {"w", U_WEEK},            {"month", U_MON},
        {"months", U_MON},       {"mon", U_MON},           {"mons", U_MON},
        {"year", U_YEAR},        {"years", U_YEAR},        {"y", U_YEAR},
        {"yr", U_YEAR},          {"yrs", U_YEAR},          {"decade", U_DECADE},
        {"decades", U_DECADE},   {"dec", U_DECADE},        {"decs", U_DECADE},
        {"century", U_CENTURY},  {"centuries", U_CENTURY}, {"cent", U_CENTURY},
        {"c", U_CENTURY},        {"millennium", U_MILLENNIUM}, {"millennia", U_MILLENNIUM},
        {"mil", U_MILLENNIUM},   {"mils", U_MILLENNIUM},
    };

    for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++) {
        if (strcmp(UNITS[i].name, w) == 0)
            return UNITS[i].unit;
    }
    return U_NONE;
}

/* Accumulator with overflow tracking (month/day 32-bit, time 64-bit µs). */
typedef struct IvAcc {
    int64_t month, day;
    __int128 time;
    bool overflow;
} IvAcc;

static void
acc_time(IvAcc *a, double usec)
{
    if (!isfinite(usec) || fabs(usec) > 9.3e18) {
        a->overflow = true;
        return;
    }
    a->time += (int64_t)rint(usec);
}

/* Adds value (integer part ip, fraction frac, same sign) of a unit, cascading fractions. */
static void
acc_unit(IvAcc *a, Unit u, int64_t ip, double frac)
{
    __int128 t;

    switch (u) {
    case U_INVALID:
        break;
    case U_USEC:
        a->time += ip;
        acc_time(a, frac);
        break;
    case U_MSEC:
        a->time += (__int128)ip * 1000;
        acc_time(a, frac * 1000);
        break;
    case U_SEC:
    case U_NONE:
        a->time += (__int128)ip * USECS_PER_SEC;
        acc_time(a, frac * USECS_PER_SEC);
        break;
    case U_MIN:
        a->time += (__int128)ip * USECS_PER_MINUTE;
        acc_time(a, frac * USECS_PER_MINUTE);
        break;
    case U_HOUR:
        a->time += (__int128)ip * USECS_PER_HOUR;
        acc_time(a, frac * USECS_PER_HOUR);
        break;
    case U_DAY:
        a->day += ip;
        acc_time(a, frac * USECS_PER_DAY);
        break;
    case U_WEEK: {
        double d = frac * 7;
        int64_t whole = (int64_t)d;

        if (ip > INT32_MAX || ip < INT32_MIN)
            a->overflow = true;
        a->day += ip * 7 + whole;
        acc_time(a, (d - whole) * USECS_PER_DAY);
        break;
    }
    case U_MON: {
        double d = frac * DAYS_PER_MONTH;
        int64_t whole = (int64_t)d;

        a->month += ip;
        a->day += whole;
        acc_time(a, (d - whole) * USECS_PER_DAY);
        break;
    }
    case U_YEAR:
    case U_DECADE:
    case U_CENTURY:
    case U_MILLENNIUM: {
        int64_t scale = u == U_YEAR ? 1 : u == U_DECADE ? 10 : u == U_CENTURY ? 100 : 1000;

        if (ip > INT32_MAX || ip < INT32_MIN)
            a->overflow = true;
        else
            a->month += ip * scale * 12 + (int64_t)rint(frac * (double)scale * 12);
        break;
    }
    }
    t = a->time;
    if (t > INT64_MAX || t < INT64_MIN || a->month > INT32_MAX || a->month < INT32_MIN ||
        a->day > INT32_MAX || a->day < INT32_MIN)
        a->overflow = true;
}

/* "[+-]digits[.digits]" → sign-carrying integer part and fraction. */
static bool
split_number(const char *s, int64_t *ip, double *frac)
{
    int sign = 1;
    const char *dot;
    int64_t v = 0;

    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    dot = strchr(s, '.');
    if (dot == NULL) {
        size_t n = strlen(s);

        if (n == 19 && strspn(s, "0123456789") == 19 && strcmp(s, "9223372036854775807") <= 0) {
            v = strtoll(s, NULL, 10);
            *frac = 0;
            *ip = sign * v;
            return true;
        }
        if (!digits(s, n, &v))
            return false;
        *frac = 0;
    } else {
        if (dot > s && !digits(s, (size_t)(dot - s), &v))
            return false;
        if (dot == s && dot[1] == '\0')
            return false;
        for (const char *q = dot + 1; *q; q++) {
            if (!isdigit((unsigned char)*q))
                return false;
        }
        *frac = strtod(dot, NULL);
    }
    if (strlen(s) > 18 && dot == NULL)
        return false;
    *ip = sign * v;
    *frac *= sign;
    return true;
}

/* A time field "[+-]h:m[:s[.f]]" of an interval (hours may exceed 24). */
static bool
acc_iv_time(IvAcc *a, const char *s, bool force_neg, bool min_sec)
{
    int sign = force_neg ? -1 : 1;
    int64_t h = 0, m = 0, sec = 0;
    int usec = 0;
    bool carry = false;
    const char *c1, *c2, *dot;

    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    c1 = strchr(s, ':');
    if (c1 == NULL || !digits(s, (size_t)(c1 - s), &h))
        return false;
    c2 = strchr(c1 + 1, ':');
    if (c2 == NULL) {
        dot = strchr(c1 + 1, '.');
        if (dot != NULL) {
            /* mm:ss.f */
            if (!digits(c1 + 1, (size_t)(dot - c1 - 1), &sec) || !fraction_usec(dot + 1, &usec, &carry))
                return false;
            m = h;
            h = 0;
        } else if (!digits(c1 + 1, strlen(c1 + 1), &m)) {
            return false;
        } else if (min_sec) {
            /* MINUTE TO SECOND reads "1:2" as 1 min 2 s */
            sec = m;
            m = h;
            h = 0;
        }
    } else {
        if (!digits(c1 + 1, (size_t)(c2 - c1 - 1), &m))
            return false;
        dot = strchr(c2 + 1, '.');
        if (dot != NULL) {
            if ((dot > c2 + 1 && !digits(c2 + 1, (size_t)(dot - c2 - 1), &sec)) ||
                !fraction_usec(dot + 1, &usec, &carry))
                return false;
        } else if (!digits(c2 + 1, strlen(c2 + 1), &sec)) {
            return false;
        }
    }
    if (m > 59 || sec > 60) {
        a->overflow = true; /* reported as a field error by the caller */
        return false;
    }
    /*
     * Assigned, not added, as PostgreSQL's DecodeTimeForInterval: time spilled
     * by fractional units to the right ("17:05 1.47 weeks") is dropped.
     */
    a->time = sign * (((__int128)h * 3600 + m * 60 + sec + carry) * USECS_PER_SEC + usec);
    return true;
}

/* ISO 8601 "P1Y2M3DT4H5M6S" (fractions allowed, weeks "P2W"). */
static int
parse_iso8601(const char *s, IvAcc *a)
{
    const char *p = s + 1;
    bool in_time = false;

    if (*p == '\0')
        return E_FORMAT;
    while (*p) {
        char num[64];
        size_t n = 0;
        int64_t ip;
        double frac;
        Unit u;

        if (*p == 'T') {
            if (in_time)
                return E_FORMAT;
            in_time = true;
            p++;
            continue;
        }
        while ((isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+') && n < 63)
            num[n++] = *p++;
        num[n] = '\0';
        if (n == 0 || !split_number(num, &ip, &frac))
            return E_FORMAT;
        switch (*p) {
        case 'Y':
            u = in_time ? U_NONE : U_YEAR;
            break;
        case 'M':
            u = in_time ? U_MIN : U_MON;
            break;
        case 'W':
            u = in_time ? U_NONE : U_WEEK;
            break;
        case 'D':
            u = in_time ? U_NONE : U_DAY;
            break;
        case 'H':
            u = in_time ? U_HOUR : U_NONE;
            break;
        case 'S':
            u = in_time ? U_SEC : U_NONE;
            break;
        default:
            u = U_NONE;
            break;
        }
        if (u == U_NONE)
            return E_FORMAT;
        p++;
        acc_unit(a, u, ip, frac);
    }
    return 0;
}

/* The lowest field of an interval typmod's range: the unit of a bare number. */
static Unit
range_unit(int range)
{
    if (range & (1 << 12))
        return U_SEC;
    if (range & (1 << 11))
        return U_MIN;
    if (range & (1 << 10))
        return U_HOUR;
    if (range & (1 << 3))
        return U_DAY;
    if (range & (1 << 1))
        return U_MON;
    if (range & (1 << 2))
        return U_YEAR;
    return U_NONE;
}

/* Which fields a value sets: each may be given once, as PostgreSQL's DecodeInterval. */
enum {
    IVF_YEAR = 1 << 0,
    IVF_MONTH = 1 << 1,
    IVF_DAY = 1 << 2,
    IVF_WEEK = 1 << 3,
    IVF_HOUR = 1 << 4,
    IVF_MINUTE = 1 << 5,
    IVF_SECOND = 1 << 6,
    IVF_MILLI = 1 << 7,
    IVF_MICRO = 1 << 8,
    IVF_DECADE = 1 << 9,
    IVF_CENTURY = 1 << 10,
    IVF_MILLENNIUM = 1 << 11,
    IVF_ALL_SECS = IVF_SECOND | IVF_MILLI | IVF_MICRO,
    IVF_TIME = IVF_HOUR | IVF_MINUTE | IVF_ALL_SECS,
};

static int
unit_mask(Unit u, double frac)
{
    switch (u) {
    case U_USEC:
        return IVF_MICRO;
    case U_MSEC:
        return IVF_MILLI;
    case U_NONE:
    case U_SEC:
        return frac != 0 ? IVF_ALL_SECS : IVF_SECOND;
    case U_MIN:
        return IVF_MINUTE;
    case U_HOUR:
        return IVF_HOUR;
    case U_DAY:
        return IVF_DAY;
    case U_WEEK:
        return IVF_WEEK;
    case U_MON:
        return IVF_MONTH;
    case U_YEAR:
        return IVF_YEAR;
    case U_DECADE:
        return IVF_DECADE;
    case U_CENTURY:
        return IVF_CENTURY;
    default:
        return IVF_MILLENNIUM;
    }
}

static int
decode_interval(const char *s, const TypeIoCtx *io, int range, IvAcc *a)
{
    int fmask = 0;

    Field f[MAX_FIELDS];
    int nf;
    bool ago = false, sql_neg = false;
    Unit type = U_NONE;

    memset(a, 0, sizeof *a);
    while (isspace((unsigned char)*s))
        s++;
    if (s[0] == 'P') {
        char tmp[FIELD_LEN];
        size_t n = strlen(s);

        while (n > 0 && isspace((unsigned char)s[n - 1]))
            n--;
        if (n >= sizeof tmp)
            return E_FORMAT;
        memcpy(tmp, s, n);
        tmp[n] = '\0';
        return parse_iso8601(tmp, a);
    }
    if (!tokenize(s, f, &nf) || nf == 0)
        return E_FORMAT;
    /* SQL standard: a leading '-' applies to every field when IntervalStyle is sql_standard */
    if (io != NULL && io->intervalstyle == INTSTYLE_SQL_STANDARD && f[0].kind == F_SIGNED &&
        f[0].text[0] == '-') {
        sql_neg = true;
        for (int i = 1; i < nf; i++) {
            if (f[i].kind == F_SIGNED)
                sql_neg = false;
        }
    }
    /*
     * Right to left, as units follow their numbers. The unit carries to the
     * left until another unit word: after an hours value or a time field it
     * becomes days ("1 2:03", "13 5 hour"), after "ago" nothing may use it;
     * each field may be set once (fmask), as PostgreSQL's DecodeInterval.
     */
    for (int i = nf - 1; i >= 0; i--) {
        const char *t = f[i].text;

        switch (f[i].kind) {
        case F_WORD: {
            Unit u;

            if (strcmp(t, "@") == 0)
                break;
            if (strcmp(t, "ago") == 0) {
                ago = true;
                type = U_INVALID;
                break;
            }
            u = unit_by_name(t);
            if (u == U_NONE)
                return E_FORMAT;
            type = u;
            break;
        }
        case F_TIME:
        case F_NUM:
        case F_SIGNED: {
            int64_t ip;
            double frac;
            char tmp[FIELD_LEN + 1];
            Unit u;

            if (strchr(t, ':') != NULL) {
                if (!acc_iv_time(a, t, sql_neg && f[i].kind != F_SIGNED,
                                 range == ((1 << 11) | (1 << 12))))
                    return a->overflow ? E_FIELD : E_FORMAT;
                if (fmask & IVF_TIME)
                    return E_FORMAT;
                fmask |= IVF_TIME;
                type = U_DAY; /* "3 4:05:06": a number before a time is days */
                break;
            }
            if (strchr(t + 1, '-') != NULL) {
                /* SQL standard year-month, possibly signed: "1-2", "-1-2" */
                const char *body = t + (*t == '-' || *t == '+');
                const char *dash = strchr(body, '-');
                int64_t y, m;
                int sign = (*t == '-' || (sql_neg && f[i].kind != F_SIGNED)) ? -1 : 1;

                if (dash == NULL || !digits(body, (size_t)(dash - body), &y) ||
                    !digits(dash + 1, strlen(dash + 1), &m))
                    return E_FORMAT;
                if (m > 11)
                    return E_FIELD;
                if (fmask & IVF_MONTH)
                    return E_FORMAT;
                fmask |= IVF_MONTH;
                {
                    int64_t months;

                    if (__builtin_mul_overflow(y, 12, &months) ||
                        __builtin_add_overflow(months, m, &months) ||
                        __builtin_add_overflow(a->month, sign * months, &a->month))
                        return E_FIELD;
                }
                type = U_MON;
                break;
            }
            if (sql_neg && f[i].kind == F_NUM) {
                snprintf(tmp, sizeof tmp, "-%s", t);
                t = tmp;
            }
            if (type == U_INVALID)
                return E_FORMAT;
            if (!split_number(t, &ip, &frac))
                return strspn(t + (*t == '-' || *t == '+'), "0123456789.") ==
                               strlen(t) - (*t == '-' || *t == '+')
                           ? E_IV_FIELD
                           : E_FORMAT;
            u = type;
            if (u == U_NONE)
                u = range != 0x7FFF ? range_unit(range) : U_SEC;
            if (fmask & unit_mask(u, frac))
                return E_FORMAT;
            fmask |= unit_mask(u, frac);
            acc_unit(a, u, ip, frac);
            type = u == U_HOUR ? U_DAY : u;
            break;
        }
        case F_DATE: {
            /* SQL standard year-month "1-2" */
            const char *dash = strchr(t, '-');
            int64_t y, m;
            int sign = sql_neg ? -1 : 1;

            if (dash == NULL || !digits(t, (size_t)(dash - t), &y) ||
                !digits(dash + 1, strlen(dash + 1), &m))
                return E_FORMAT;
            if (m > 11)
                return E_FIELD;
            if (fmask & IVF_MONTH)
                return E_FORMAT;
            fmask |= IVF_MONTH;
            a->month += sign * (y * 12 + m);
            type = U_MON;
            break;
        }
        default:
            return E_FORMAT;
        }
        if (a->overflow)
            return E_IV_FIELD;
    }
    if (fmask == 0)
        return E_FORMAT;
    if (ago) {
        a->month = -a->month;
        a->day = -a->day;
        a->time = -a->time;
    }
    return 0;
}

static int parse_interval_typmod(const char *s, const TypeIoCtx *io, int32_t typmod,
                                 Interval *out, Err *err);

int
dt_parse_interval(const char *s, const TypeIoCtx *io, Interval *out, Err *err)
{
    return parse_interval_typmod(s, io, -1, out, err);
}

static int
parse_interval_typmod(const char *s, const TypeIoCtx *io, int32_t typmod, Interval *out,
                      Err *err)
{
    IvAcc a;
    int rc;
    int range = typmod < 0 ? 0x7FFF : (typmod >> 16) & 0x7FFF;

    /* "-1-2": a signed year-month arrives as F_SIGNED "-1" followed by F_NUM "-2"? Normalise. */
    {
        const char *p = s;
        int64_t y, m;
        char *end;

        while (isspace((unsigned char)*p))
            p++;
        if ((*p == '-' || *p == '+') && isdigit((unsigned char)p[1])) {
            y = strtoll(p + 1, &end, 10);
            if (*end == '-' && isdigit((unsigned char)end[1])) {
                m = strtoll(end + 1, &end, 10);
                while (isspace((unsigned char)*end))
                    end++;
                if (*end == '\0' && m <= 11 && y < 200000000) {
                    int sign = *p == '-' ? -1 : 1;

                    out->month = (int32_t)(sign * (y * 12 + m));
                    out->day = 0;
                    out->time = 0;
                    return 0;
                }
            }
        }
    }
    rc = decode_interval(s, io, range, &a);
    if (rc == 0 && (a.overflow || a.time > INT64_MAX || a.time < INT64_MIN ||
                    a.month > INT32_MAX || a.month < INT32_MIN || a.day > INT32_MAX ||
                    a.day < INT32_MIN))
        rc = E_IV_FIELD;
    if (rc == E_FIELD)
        rc = E_IV_FIELD; /* as PostgreSQL's interval_in */
    if (rc != 0)
        return report(rc, TY_INTERVAL, s, NULL, err);
    out->month = (int32_t)a.month;
    out->day = (int32_t)a.day;
    out->time = (int64_t)a.time;
    return 0;
}

/* ---- TypeInfo hooks ---------------------------------------------------------- */

/* The input as a C string with surrounding whitespace kept (messages quote it as given). */
static const char *
cstr(const char *s, size_t len)
{
    (void)len;
    return s; /* TypeInFn guarantees s[len] == '\0' */
}

int
date_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
        Err *err)
{
    int32_t v;

    (void)typmod;
    (void)a;
    if (dt_parse_date(cstr(s, len), io, &v, err) < 0)
        return -1;
    *out = datum_from_int32(v);
    return 0;
}

void
date_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)typmod;
    dt_format_date(datum_get_int32(d), io, out);
}

int
date_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    int32_t v;

    (void)typmod;
    (void)a;
    if (len != 4)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "incorrect binary data format");
    v = (int32_t)buf_get_u32(p);
    if (DATE_IS_FINITE(v) && !DATE_IN_RANGE(v))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "date out of range");
    *out = datum_from_int32(v);
    return 0;
}

void
date_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u32(out, (uint32_t)datum_get_int32(d));
}

int
time_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
        Err *err)
{
    int64_t v;

    (void)a;
    if (dt_parse_time(cstr(s, len), io, &v, err) < 0)
        return -1;
    *out = datum_from_int64(dt_round_usec(v, typmod));
    return 0;
}

void
time_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)typmod;
    (void)io;
    dt_format_time(datum_get_int64(d), out);
}

int
time_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    int64_t v;

    (void)a;
    if (len != 8)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "incorrect binary data format");
    v = (int64_t)buf_get_u64(p);
    if (v < 0 || v > USECS_PER_DAY)
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "time out of range");
    *out = datum_from_int64(dt_round_usec(v, typmod));
    return 0;
}

void
time_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u64(out, (uint64_t)datum_get_int64(d));
}

int
timestamp_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a,
             Datum *out, Err *err)
{
    int64_t v;

    (void)a;
    if (dt_parse_timestamp(cstr(s, len), io, &v, err) < 0)
        return -1;
    if (TS_IS_FINITE(v)) {
        v = dt_round_usec(v, typmod);
        if (!TS_IN_RANGE(v))
            return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
    }
    *out = datum_from_int64(v);
    return 0;
}

void
timestamp_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)typmod;
    dt_format_timestamp(datum_get_int64(d), io, out);
}

int
timestamp_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    int64_t v;

    (void)a;
    if (len != 8)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "incorrect binary data format");
    v = (int64_t)buf_get_u64(p);
    if (TS_IS_FINITE(v)) {
        if (!TS_IN_RANGE(v))
            return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
        v = dt_round_usec(v, typmod);
    }
    *out = datum_from_int64(v);
    return 0;
}

void
timestamp_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u64(out, (uint64_t)datum_get_int64(d));
}

int
timestamptz_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a,
               Datum *out, Err *err)
{
    int64_t v;

    (void)a;
    if (dt_parse_timestamptz(cstr(s, len), io, &v, err) < 0)
        return -1;
    if (TS_IS_FINITE(v)) {
        v = dt_round_usec(v, typmod);
        if (!TS_IN_RANGE(v))
            return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
    }
    *out = datum_from_int64(v);
    return 0;
}

void
timestamptz_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)typmod;
    dt_format_timestamptz(datum_get_int64(d), io, out);
}

int
timestamptz_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    return timestamp_recv(p, len, typmod, a, out, err);
}

int
interval_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a,
            Datum *out, Err *err)
{
    Interval iv;

    if (parse_interval_typmod(cstr(s, len), io, typmod, &iv, err) < 0)
        return -1;
    dt_interval_apply_typmod(&iv, typmod);
    *out = interval_datum(a, &iv);
    return 0;
}

void
interval_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    Interval iv = interval_get(d);

    (void)typmod;
    dt_format_interval(&iv, io, out);
}

int
interval_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    Interval iv;

    if (len != 16)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "incorrect binary data format");
    iv.time = (int64_t)buf_get_u64(p);
    iv.day = (int32_t)buf_get_u32(p + 8);
    iv.month = (int32_t)buf_get_u32(p + 12);
    dt_interval_apply_typmod(&iv, typmod);
    *out = interval_datum(a, &iv);
    return 0;
}

void
interval_send(Datum d, int32_t typmod, Buf *out)
{
    Interval iv = interval_get(d);

    (void)typmod;
    buf_put_u64(out, (uint64_t)iv.time);
    buf_put_u32(out, (uint32_t)iv.day);
    buf_put_u32(out, (uint32_t)iv.month);
}

/* ---- typmods ------------------------------------------------------------------ */

static int
precision_typmodin(const char *what, const int32_t *mods, int nmods, int32_t *typmod, Err *err)
{
    if (nmods != 1)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid type modifier");
    if (mods[0] < 0)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "%s(%d) precision must not be negative", what, mods[0]);
    /* PostgreSQL warns and reduces larger precisions to 6 */
    *typmod = mods[0] > DT_MAX_PRECISION ? DT_MAX_PRECISION : mods[0];
    return 0;
}

int
time_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err)
{
    return precision_typmodin("TIME", mods, nmods, typmod, err);
}

int
timestamp_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err)
{
    return precision_typmodin("TIMESTAMP", mods, nmods, typmod, err);
}

int
timestamptz_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err)
{
    return precision_typmodin("TIMESTAMP", mods, nmods, typmod, err);
}

void
dt_precision_typmodout(int32_t typmod, Buf *out)
{
    buf_printf(out, "(%d)", (int)typmod);
}

/* Interval range masks (PostgreSQL's INTERVAL_MASK bits). */
#define IM_MONTH (1 << 1)
#define IM_YEAR (1 << 2)
#define IM_DAY (1 << 3)
#define IM_HOUR (1 << 10)
#define IM_MINUTE (1 << 11)
#define IM_SECOND (1 << 12)
#define IM_FULL 0x7FFF

static const struct {
    int mask;
    const char *text;
} IV_RANGES[] = {
    {IM_YEAR, " year"},
    {IM_MONTH, " month"},
    {IM_DAY, " day"},
    {IM_HOUR, " hour"},
    {IM_MINUTE, " minute"},
    {IM_SECOND, " second"},
    {IM_YEAR | IM_MONTH, " year to month"},
    {IM_DAY | IM_HOUR, " day to hour"},
    {IM_DAY | IM_HOUR | IM_MINUTE, " day to minute"},
    {IM_DAY | IM_HOUR | IM_MINUTE | IM_SECOND, " day to second"},
    {IM_HOUR | IM_MINUTE, " hour to minute"},
    {IM_HOUR | IM_MINUTE | IM_SECOND, " hour to second"},
    {IM_MINUTE | IM_SECOND, " minute to second"},
    {IM_FULL, ""},
};

int
interval_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err)
{
    int range, precision = 0xFFFF;
    bool ok = false;

    if (nmods < 1 || nmods > 2)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid INTERVAL type modifier");
    range = mods[0];
    for (size_t i = 0; i < sizeof IV_RANGES / sizeof IV_RANGES[0]; i++)
        ok |= IV_RANGES[i].mask == range;
    if (!ok)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid INTERVAL type modifier");
    if (nmods == 2) {
        if (mods[1] < 0)
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "INTERVAL(%d) precision must not be negative", mods[1]);
        precision = mods[1] > DT_MAX_PRECISION ? DT_MAX_PRECISION : mods[1];
    }
    *typmod = (range << 16) | precision;
    return 0;
}

void
interval_typmodout(int32_t typmod, Buf *out)
{
    int range = (typmod >> 16) & 0x7FFF, precision = typmod & 0xFFFF;

    for (size_t i = 0; i < sizeof IV_RANGES / sizeof IV_RANGES[0]; i++) {
        if (IV_RANGES[i].mask == range)
            buf_put_str(out, IV_RANGES[i].text);
    }
    if (precision != 0xFFFF)
        buf_printf(out, "(%d)", precision);
}
