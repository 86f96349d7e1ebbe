/*
 * sql/tz.c — time zones: the system tz database (TZif files) and POSIX TZ
 * rules, read by our own code, cached for the life of the process.
 *
 * A zone is a sorted list of UTC transition times, each selecting a local
 * time type {offset east of UTC, is_dst, abbreviation}, plus an optional
 * POSIX rule (the TZif v2+ footer, or the whole zone for names such as
 * "<+05>-05" or "EST5EDT") that extends the list past its last transition.
 * Lookups are binary searches; nothing here calls localtime() or touches
 * the TZ environment variable (sessions are threads).
 *
 * Invariants:
 *   1. A Tz, once published in the cache, is never modified or freed; the
 *      cache only grows (bounded by the number of distinct zone names used,
 *      TZ_CACHE_MAX; past it, lookups of new names fail), so pointers may be
 *      kept without locking.
 *   2. The cache is guarded by one mutex, taken only on lookup by name;
 *      tz_from_io() keeps a per-thread last-hit entry so that formatting a
 *      column of timestamptz values takes no lock.
 *   3. Names are matched case-insensitively against the database; tz_name()
 *      gives the database's spelling, as PostgreSQL canonicalises TimeZone.
 *   4. Offsets are seconds EAST of UTC everywhere in this file (POSIX rule
 *      text is west-positive and is negated when parsed).
 */
#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/datetime.h"

#define TZ_DIR "/usr/share/zoneinfo"
#define TZ_CACHE_MAX 8192
#define TZ_MAX_FILE (1 << 20)
#define TZ_ABBR_MAX 16

typedef struct TzType {
    int32_t off;
    bool dst;
    char abbr[TZ_ABBR_MAX];
} TzType;

/* One end of a DST period in a POSIX rule: Jn, n or Mm.w.d, at secs local time. */
typedef struct TzRuleDay {
    char kind; /* 'J' julian 1..365 no leap, 'D' zero-based 0..365, 'M' month.week.day */
    int a, b, c;
    int32_t secs;
} TzRuleDay;

typedef struct TzRule {
    TzType std;
    TzType dst;
    bool has_dst;
    TzRuleDay start, end;
} TzRule;

struct Tz {
    char name[256];
    int ntrans;
    int64_t *trans;   /* unix seconds, ascending */
    uint8_t *idx;     /* type of each transition */
    int ntypes;
    TzType *types;
    int first_type;   /* type before the first transition */
    bool has_rule;
    TzRule rule;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static Tz *cache[TZ_CACHE_MAX];
static int ncache;

/* ---- civil calendar on unix days (no dependency on datetime.c) -------------- */

static int64_t
floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;

    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static bool
leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = floordiv(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t
year_of_unix(int64_t t)
{
    int64_t z = floordiv(t, 86400) + 719468;
    int64_t era = floordiv(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp + (mp < 10 ? 3 : -9);

    return yoe + era * 400 + (m <= 2);
}

/* ---- POSIX TZ strings ------------------------------------------------------- */

static const char *
parse_abbr(const char *p, char *abbr)
{
    size_t n = 0;

    if (*p == '<') {
        p++;
        while (*p && *p != '>') {
            if (n + 1 < TZ_ABBR_MAX)
                abbr[n++] = *p;
            p++;
        }
        if (*p != '>')
            return NULL;
        p++;
    } else {
        while (isalpha((unsigned char)*p)) {
            if (n + 1 < TZ_ABBR_MAX)
                abbr[n++] = *p;
            p++;
        }
    }
    abbr[n] = '\0';
    return p;
}

/* [+-]hh[:mm[:ss]] → seconds (sign as written); NULL on syntax error. */
static const char *
parse_hms(const char *p, int32_t *secs, bool allow_sign, int maxh)
{
    int sign = 1, h = 0, m = 0, s = 0, nd = 0;

    if (allow_sign && (*p == '+' || *p == '-'))
        sign = *p++ == '-' ? -1 : 1;
    while (isdigit((unsigned char)*p) && nd < 3) {
        h = h * 10 + (*p++ - '0');
        nd++;
    }
    if (nd == 0 || h > maxh)
        return NULL;
    if (*p == ':') {
        p++;
        if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
            return NULL;
        m = (p[0] - '0') * 10 + (p[1] - '0');
        p += 2;
        if (m > 59)
            return NULL;
        if (*p == ':') {
            p++;
            if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
                return NULL;
            s = (p[0] - '0') * 10 + (p[1] - '0');
            p += 2;
            if (s > 59)
                return NULL;
        }
    }
    *secs = sign * (h * 3600 + m * 60 + s);
    return p;
}

static const char *
parse_num(const char *p, int *v, int lo, int hi)
{
    int n = 0, nd = 0;

    while (isdigit((unsigned char)*p) && nd < 4) {
        n = n * 10 + (*p++ - '0');
        nd++;
    }
    if (nd == 0 || n < lo || n > hi)
        return NULL;
    *v = n;
    return p;
}

static const char *
parse_ruleday(const char *p, TzRuleDay *r)
{
    if (*p == 'J') {
        r->kind = 'J';
        p = parse_num(p + 1, &r->a, 1, 365);
    } else if (*p == 'M') {
        r->kind = 'M';
        p = parse_num(p + 1, &r->a, 1, 12);
        if (p == NULL || *p++ != '.')
            return NULL;
        p = parse_num(p, &r->b, 1, 5);
        if (p == NULL || *p++ != '.')
            return NULL;
        p = parse_num(p, &r->c, 0, 6);
    } else {
        r->kind = 'D';
        p = parse_num(p, &r->a, 0, 365);
    }
    if (p == NULL)
        return NULL;
    r->secs = 7200;
    if (*p == '/')
        p = parse_hms(p + 1, &r->secs, true, 167);
    return p;
}

/*
 * Parses a POSIX TZ string ("EST5EDT,M3.2.0,M11.1.0", "<+0530>-0530", "+05:30").
 * The std name may be empty only when allow_empty (PostgreSQL accepts "+05:30").
 */
static bool
parse_posix(const char *s, TzRule *r, bool allow_empty)
{
    const char *p = s;
    int32_t off;

    memset(r, 0, sizeof *r);
    p = parse_abbr(p, r->std.abbr);
    if (p == NULL || (strlen(r->std.abbr) < 3 && !(allow_empty && r->std.abbr[0] == '\0')))
        return false;
    p = parse_hms(p, &off, true, 167);
    if (p == NULL)
        return false;
    r->std.off = -off; /* an unnamed offset ("+05:30") keeps an empty abbreviation, as PostgreSQL */
    if (*p == '\0')
        return true;
    p = parse_abbr(p, r->dst.abbr);
    if (p == NULL || strlen(r->dst.abbr) < 3)
        return false;
    r->has_dst = true;
    r->dst.dst = true;
    r->dst.off = r->std.off + 3600;
    if (*p != '\0' && *p != ',') {
        p = parse_hms(p, &off, true, 167);
        if (p == NULL)
            return false;
        r->dst.off = -off;
    }
    if (*p == '\0') {
        /* no rule: the US rules, as the posixrules default */
        r->start = (TzRuleDay){'M', 3, 2, 0, 7200};
        r->end = (TzRuleDay){'M', 11, 1, 0, 7200};
        return true;
    }
    if (*p++ != ',')
        return false;
    p = parse_ruleday(p, &r->start);
    if (p == NULL || *p++ != ',')
        return false;
    p = parse_ruleday(p, &r->end);
    return p != NULL && *p == '\0';
}

/* Unix seconds of local midnight (as if UTC) of the rule's day in year y. */
static int64_t
ruleday_local(const TzRuleDay *r, int64_t y)
{
    int64_t day;

    switch (r->kind) {
    case 'J':
        day = days_from_civil(y, 1, 1) + r->a - 1 + (leap(y) && r->a >= 60 ? 1 : 0);
        break;
    case 'D':
        day = days_from_civil(y, 1, 1) + r->a;
        break;
    default: {
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int64_t first = days_from_civil(y, r->a, 1);
        int wd1 = (int)((first % 7 + 11) % 7); /* 1970-01-01 was a Thursday (4) */
        int dim = mdays[r->a - 1] + (r->a == 2 && leap(y) ? 1 : 0);
        int d = (r->c - wd1 + 7) % 7 + 1 + (r->b - 1) * 7;

        while (d > dim)
            d -= 7;
        day = first + d - 1;
        break;
    }
    }
    return day * 86400 + r->secs;
}

static const TzType *
rule_type(const TzRule *r, int64_t t)
{
    int64_t y, start, end;
    bool in_dst;

    if (!r->has_dst)
        return &r->std;
    y = year_of_unix(t + r->std.off);
    start = ruleday_local(&r->start, y) - r->std.off;
    end = ruleday_local(&r->end, y) - r->dst.off;
    if (start < end)
        in_dst = t >= start && t < end;
    else
        in_dst = !(t >= end && t < start);
    return in_dst ? &r->dst : &r->std;
}

/* ---- TZif ------------------------------------------------------------------- */

static int64_t
be32(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

static int64_t
be64(const uint8_t *p)
{
    return (int64_t)((uint64_t)(uint32_t)be32(p) << 32 | (uint64_t)(uint32_t)be32(p + 4));
}

static bool
parse_tzif(const uint8_t *buf, size_t len, Tz *tz)
{
    const uint8_t *p = buf;
    int64_t isut, isstd, leapc, timec, typec, charc;
    size_t v1, need;
    const uint8_t *types, *chars;

    if (len < 44 || memcmp(p, "TZif", 4) != 0 || p[4] < '2')
        return false;
    isut = be32(p + 20);
    isstd = be32(p + 24);
    leapc = be32(p + 28);
    timec = be32(p + 32);
    typec = be32(p + 36);
    charc = be32(p + 40);
    v1 = (size_t)(timec * 5 + typec * 6 + charc + leapc * 8 + isstd + isut);
    if (44 + v1 + 44 > len)
        return false;
    p += 44 + v1;
    if (memcmp(p, "TZif", 4) != 0)
        return false;
    isut = be32(p + 20);
    isstd = be32(p + 24);
    leapc = be32(p + 28);
    timec = be32(p + 32);
    typec = be32(p + 36);
    charc = be32(p + 40);
    if (timec < 0 || typec <= 0 || typec > 256 || charc < 0 || timec > 100000)
        return false;
    p += 44;
    need = (size_t)(timec * 9 + typec * 6 + charc + leapc * 12 + isstd + isut);
    if ((size_t)(p - buf) + need > len)
        return false;
    if (leapc > 0)
        return false; /* PostgreSQL does not support leap seconds either */
    tz->ntrans = (int)timec;
    tz->trans = malloc(sizeof(int64_t) * (size_t)(timec + 1));
    tz->idx = malloc((size_t)timec + 1);
    tz->ntypes = (int)typec;
    tz->types = calloc((size_t)typec, sizeof(TzType));
    if (tz->trans == NULL || tz->idx == NULL || tz->types == NULL)
        return false;
    for (int64_t i = 0; i < timec; i++)
        tz->trans[i] = be64(p + i * 8);
    p += timec * 8;
    for (int64_t i = 0; i < timec; i++) {
        tz->idx[i] = p[i];
        if (p[i] >= typec)
            return false;
    }
    p += timec;
    types = p;
    chars = p + typec * 6;
    for (int64_t i = 0; i < typec; i++) {
        const uint8_t *t = types + i * 6;
        int ai = t[5];

        tz->types[i].off = (int32_t)be32(t);
        tz->types[i].dst = t[4] != 0;
        if (ai < charc) {
            size_t n = strnlen((const char *)chars + ai, (size_t)(charc - ai));

            if (n >= TZ_ABBR_MAX)
                n = TZ_ABBR_MAX - 1;
            memcpy(tz->types[i].abbr, chars + ai, n);
        }
    }
    tz->first_type = 0;
    p = chars + charc + leapc * 12 + isstd + isut;
    /* footer: "\n<POSIX TZ>\n" */
    if ((size_t)(p - buf) < len && *p == '\n') {
        const uint8_t *e = memchr(p + 1, '\n', len - (size_t)(p + 1 - buf));

        if (e != NULL && e > p + 1 && e - p < 128) {
            char footer[128];

            memcpy(footer, p + 1, (size_t)(e - p - 1));
            footer[e - p - 1] = '\0';
            tz->has_rule = parse_posix(footer, &tz->rule, false);
        }
    }
    return true;
}

/* Finds component (case-insensitively) in directory path; appends its real spelling. */
static bool
find_component(char *path, size_t cap, const char *component)
{
    DIR *d = opendir(path);
    struct dirent *de;
    bool found = false;
    size_t len = strlen(path);

    if (d == NULL)
        return false;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] != '.' && strcasecmp(de->d_name, component) == 0) {
            found = len + 1 + strlen(de->d_name) < cap;
            if (found)
                snprintf(path + len, cap - len, "/%s", de->d_name);
            if (strcmp(de->d_name, component) == 0)
                break;
        }
    }
    closedir(d);
    return found;
}

static Tz *
load_file(const char *name)
{
    char path[600], copy[256];
    char *save = NULL, *comp;
    FILE *f;
    uint8_t *buf;
    size_t n;
    Tz *tz;

    if (*name == '\0' || *name == '/' || strstr(name, "..") != NULL || strstr(name, "//") != NULL ||
        name[strlen(name) - 1] == '/' || strlen(name) >= sizeof copy)
        return NULL;
    snprintf(path, sizeof path, "%s", TZ_DIR);
    snprintf(copy, sizeof copy, "%s", name);
    for (comp = strtok_r(copy, "/", &save); comp != NULL; comp = strtok_r(NULL, "/", &save)) {
        if (!find_component(path, sizeof path, comp))
            return NULL;
    }
    f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    buf = malloc(TZ_MAX_FILE);
    if (buf == NULL) {
        fclose(f);
        return NULL;
    }
    n = fread(buf, 1, TZ_MAX_FILE, f);
    fclose(f);
    tz = calloc(1, sizeof *tz);
    if (tz == NULL || !parse_tzif(buf, n, tz)) {
        free(buf);
        if (tz != NULL) {
            free(tz->trans);
            free(tz->idx);
            free(tz->types);
            free(tz);
        }
        return NULL;
    }
    free(buf);
    {
        const char *rel = path + strlen(TZ_DIR) + 1;

        n = strlen(rel);
        if (n >= sizeof tz->name)
            n = sizeof tz->name - 1;
        memcpy(tz->name, rel, n);
        tz->name[n] = '\0';
    }
    return tz;
}

static Tz *
load_posix(const char *name)
{
    Tz *tz;
    TzRule r;

    if (!parse_posix(name, &r, name[0] == '+' || name[0] == '-'))
        return NULL;
    tz = calloc(1, sizeof *tz);
    if (tz == NULL)
        return NULL;
    tz->rule = r;
    tz->has_rule = true;
    snprintf(tz->name, sizeof tz->name, "%s", name);
    return tz;
}

static Tz *
cache_find(const char *name)
{
    for (int i = 0; i < ncache; i++) {
        if (strcasecmp(cache[i]->name, name) == 0)
            return cache[i];
    }
    return NULL;
}

/* Aliases that are not files: PostgreSQL maps "Z"/"UTC" style names to UTC. */
const Tz *
tz_lookup(const char *name)
{
    Tz *tz;

    if (name == NULL || *name == '\0' || strlen(name) >= 200)
        return NULL;
    pthread_mutex_lock(&cache_lock);
    tz = cache_find(name);
    if (tz == NULL && ncache < TZ_CACHE_MAX) {
        tz = load_file(name);
        if (tz == NULL)
            tz = load_posix(name);
        if (tz != NULL) {
            Tz *again = cache_find(tz->name); /* same zone under another spelling */

            if (again != NULL && strcasecmp(tz->name, name) == 0) {
                free(tz->trans);
                free(tz->idx);
                free(tz->types);
                free(tz);
                tz = again;
            } else {
                cache[ncache++] = tz;
            }
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return tz;
}

const Tz *
tz_fixed(int32_t gmtoff)
{
    char name[64];
    int32_t w = -gmtoff, a = w < 0 ? -w : w;
    int n;

    /* a POSIX spec for the offset, "<+0530>-05:30", which tz_lookup parses */
    n = snprintf(name, sizeof name, "<%c%02d%02d", gmtoff < 0 ? '-' : '+', a / 3600,
                 a / 60 % 60);
    if (a % 60)
        n += snprintf(name + n, sizeof name - (size_t)n, "%02d", a % 60);
    snprintf(name + n, sizeof name - (size_t)n, ">%s%d:%02d:%02d", w < 0 ? "-" : "", a / 3600,
             a / 60 % 60, a % 60);
    return tz_lookup(name);
}

const Tz *
tz_utc(void)
{
    static const Tz *utc;
    const Tz *z = __atomic_load_n(&utc, __ATOMIC_ACQUIRE);

    if (z == NULL) {
        z = tz_lookup("UTC");
        if (z == NULL)
            z = tz_lookup("UTC0");
        __atomic_store_n(&utc, z, __ATOMIC_RELEASE);
    }
    return z;
}

const Tz *
tz_from_io(const TypeIoCtx *io)
{
    static _Thread_local char last_name[200];
    static _Thread_local const Tz *last_tz;
    const Tz *tz;

    if (io == NULL || io->timezone == NULL)
        return tz_utc();
    if (last_tz != NULL && strcmp(last_name, io->timezone) == 0)
        return last_tz;
    tz = tz_lookup(io->timezone);
    if (tz == NULL)
        return tz_utc();
    snprintf(last_name, sizeof last_name, "%s", io->timezone);
    last_tz = tz;
    return tz;
}

const char *
tz_name(const Tz *tz)
{
    return tz->name;
}

static const TzType *
type_at(const Tz *tz, int64_t t)
{
    int lo, hi;

    if (tz->ntrans == 0 || t < tz->trans[0]) {
        if (tz->ntrans == 0 && tz->has_rule)
            return rule_type(&tz->rule, t);
        if (tz->ntypes == 0)
            return &tz->rule.std;
        return &tz->types[tz->first_type];
    }
    if (t >= tz->trans[tz->ntrans - 1] && tz->has_rule)
        return rule_type(&tz->rule, t);
    lo = 0;
    hi = tz->ntrans - 1;
    while (lo < hi) { /* last transition <= t */
        int mid = (lo + hi + 1) / 2;

        if (tz->trans[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return &tz->types[tz->idx[lo]];
}

int32_t
tz_utc_offset(const Tz *tz, int64_t utc_us, bool *is_dst, const char **abbrev)
{
    int64_t t = floordiv(utc_us, USECS_PER_SEC) + DT_UNIX_EPOCH_OFFSET_US / USECS_PER_SEC;
    const TzType *ty = type_at(tz, t);

    if (is_dst != NULL)
        *is_dst = ty->dst;
    if (abbrev != NULL)
        *abbrev = ty->abbr;
    return ty->off;
}

int32_t
tz_local_offset(const Tz *tz, int64_t local_us, bool *is_dst, const char **abbrev)
{
    int64_t l = floordiv(local_us, USECS_PER_SEC) + DT_UNIX_EPOCH_OFFSET_US / USECS_PER_SEC;
    const TzType *before = type_at(tz, l - 86400 * 2);
    const TzType *after = type_at(tz, l + 86400 * 2);
    const TzType *pick;
    bool ok_before = type_at(tz, l - before->off)->off == before->off;
    bool ok_after = type_at(tz, l - after->off)->off == after->off;

    if (before->off == after->off) {
        /* no transition near, or a change of abbreviation / dst flag only */
        pick = type_at(tz, l - before->off);
        if (pick->off != before->off)
            pick = before;
    } else if (ok_before && !ok_after)
        pick = before;
    else if (ok_after && !ok_before)
        pick = after;
    else
        pick = before->off < after->off ? before : after; /* gap or overlap */
    if (is_dst != NULL)
        *is_dst = pick->dst;
    if (abbrev != NULL)
        *abbrev = pick->abbr;
    return pick->off;
}

/* ---- abbreviations for input ------------------------------------------------ */

/*
 * PostgreSQL's "Default" timezone_abbreviations set (offsets east, seconds;
 * a zone name for the abbreviations whose meaning changed over time).
 */
static const struct {
    const char *abbr;
    int32_t off;
    bool dst;
    const char *zone; /* dynamic abbreviation: the zone decides the offset */
} ABBREVS[] = {
/* clang-format off */
    {"ACDT", 37800, true, NULL},
    {"ACSST", 37800, true, NULL},
    {"ACST", 34200, false, NULL},
    {"ACT", -18000, false, NULL},
    {"ACWST", 31500, false, NULL},
    {"ADT", -10800, true, NULL},
    {"AEDT", 39600, true, NULL},
    {"AESST", 39600, true, NULL},
    {"AEST", 36000, false, NULL},
    {"AFT", 16200, false, NULL},
    {"AKDT", -28800, true, NULL},
    {"AKST", -32400, false, NULL},
    {"ALMST", 25200, true, NULL},
    {"ALMT", 21600, false, NULL},
    {"AMST", 0, false, "Asia/Yerevan"},
    {"AMT", -14400, false, NULL},
    {"ANAST", 0, false, "Asia/Anadyr"},
    {"ANAT", 0, false, "Asia/Anadyr"},
    {"ARST", 0, false, "America/Argentina/Buenos_Aires"},
    {"ART", 0, false, "America/Argentina/Buenos_Aires"},
    {"AST", -14400, false, NULL},
    {"AWSST", 32400, true, NULL},
    {"AWST", 28800, false, NULL},
    {"AZOST", 0, true, NULL},
    {"AZOT", -3600, false, NULL},
    {"AZST", 0, false, "Asia/Baku"},
    {"AZT", 0, false, "Asia/Baku"},
    {"BDST", 7200, true, NULL},
    {"BDT", 21600, false, NULL},
    {"BNT", 28800, false, NULL},
    {"BORT", 28800, false, NULL},
    {"BOT", -14400, false, NULL},
    {"BRA", -10800, false, NULL},
    {"BRST", -7200, true, NULL},
    {"BRT", -10800, false, NULL},
    {"BST", 3600, true, NULL},
    {"BTT", 21600, false, NULL},
    {"CADT", 37800, true, NULL},
    {"CAST", 34200, false, NULL},
    {"CCT", 28800, false, NULL},
    {"CDT", -18000, true, NULL},
    {"CEST", 7200, true, NULL},
    {"CET", 3600, false, NULL},
    {"CETDST", 7200, true, NULL},
    {"CHADT", 49500, true, NULL},
    {"CHAST", 45900, false, NULL},
    {"CHUT", 36000, false, NULL},
    {"CKT", 0, false, "Pacific/Rarotonga"},
    {"CLST", -10800, true, NULL},
    {"CLT", 0, false, "America/Santiago"},
    {"COT", -18000, false, NULL},
    {"CST", -21600, false, NULL},
    {"CXT", 25200, false, NULL},
    {"DAVT", 0, false, "Antarctica/Davis"},
    {"DDUT", 36000, false, NULL},
    {"EASST", 0, false, "Pacific/Easter"},
    {"EAST", 0, false, "Pacific/Easter"},
    {"EAT", 10800, false, NULL},
    {"EDT", -14400, true, NULL},
    {"EEST", 10800, true, NULL},
    {"EET", 7200, false, NULL},
    {"EETDST", 10800, true, NULL},
    {"EGST", 0, true, NULL},
    {"EGT", -3600, false, NULL},
    {"EST", -18000, false, NULL},
    {"FET", 10800, false, NULL},
    {"FJST", 46800, true, NULL},
    {"FJT", 43200, false, NULL},
    {"FKST", 0, false, "Atlantic/Stanley"},
    {"FKT", 0, false, "Atlantic/Stanley"},
    {"FNST", -3600, true, NULL},
    {"FNT", -7200, false, NULL},
    {"GALT", -21600, false, NULL},
    {"GAMT", -32400, false, NULL},
    {"GEST", 0, false, "Asia/Tbilisi"},
    {"GET", 0, false, "Asia/Tbilisi"},
    {"GFT", -10800, false, NULL},
    {"GILT", 43200, false, NULL},
    {"GMT", 0, false, NULL},
    {"GYT", 0, false, "America/Guyana"},
    {"HKT", 28800, false, NULL},
    {"HST", -36000, false, NULL},
    {"ICT", 25200, false, NULL},
    {"IDT", 10800, true, NULL},
    {"IOT", 0, false, "Indian/Chagos"},
    {"IRKST", 0, false, "Asia/Irkutsk"},
    {"IRKT", 0, false, "Asia/Irkutsk"},
    {"IRT", 12600, false, NULL},
    {"IST", 7200, false, NULL},
    {"JAYT", 32400, false, NULL},
    {"JST", 32400, false, NULL},
    {"KDT", 36000, true, NULL},
    {"KGST", 21600, true, NULL},
    {"KGT", 0, false, "Asia/Bishkek"},
    {"KOST", 0, false, "Pacific/Kosrae"},
    {"KRAST", 0, false, "Asia/Krasnoyarsk"},
    {"KRAT", 0, false, "Asia/Krasnoyarsk"},
    {"KST", 32400, false, NULL},
    {"LHDT", 0, false, "Australia/Lord_Howe"},
    {"LHST", 37800, false, NULL},
    {"LIGT", 36000, false, NULL},
    {"LINT", 0, false, "Pacific/Kiritimati"},
    {"LKT", 0, false, "Asia/Colombo"},
    {"MAGST", 0, false, "Asia/Magadan"},
    {"MAGT", 0, false, "Asia/Magadan"},
    {"MART", -34200, false, NULL},
    {"MAWT", 0, false, "Antarctica/Mawson"},
    {"MDT", -21600, true, NULL},
    {"MEST", 7200, true, NULL},
    {"MESZ", 7200, true, NULL},
    {"MET", 3600, false, NULL},
    {"METDST", 7200, true, NULL},
    {"MEZ", 3600, false, NULL},
    {"MHT", 43200, false, NULL},
    {"MMT", 23400, false, NULL},
    {"MPT", 36000, false, NULL},
    {"MSD", 14400, true, NULL},
    {"MSK", 0, false, "Europe/Moscow"},
    {"MST", -25200, false, NULL},
    {"MUST", 18000, true, NULL},
    {"MUT", 14400, false, NULL},
    {"MVT", 18000, false, NULL},
    {"MYT", 28800, false, NULL},
    {"NDT", -9000, true, NULL},
    {"NFT", -12600, false, NULL},
    {"NOVST", 0, false, "Asia/Novosibirsk"},
    {"NOVT", 0, false, "Asia/Novosibirsk"},
    {"NPT", 20700, false, NULL},
    {"NST", -12600, false, NULL},
    {"NUT", 0, false, "Pacific/Niue"},
    {"NZDT", 46800, true, NULL},
    {"NZST", 43200, false, NULL},
    {"NZT", 43200, false, NULL},
    {"OMSST", 0, false, "Asia/Omsk"},
    {"OMST", 0, false, "Asia/Omsk"},
    {"PDT", -25200, true, NULL},
    {"PET", -18000, false, NULL},
    {"PETST", 0, false, "Asia/Kamchatka"},
    {"PETT", 0, false, "Asia/Kamchatka"},
    {"PGT", 36000, false, NULL},
    {"PHT", 28800, false, NULL},
    {"PKST", 21600, true, NULL},
    {"PKT", 18000, false, NULL},
    {"PMDT", -7200, true, NULL},
    {"PMST", -10800, false, NULL},
    {"PONT", 39600, false, NULL},
    {"PST", -28800, false, NULL},
    {"PWT", 32400, false, NULL},
    {"PYST", -10800, true, NULL},
    {"PYT", 0, false, "America/Asuncion"},
    {"RET", 14400, false, NULL},
    {"SADT", 37800, true, NULL},
    {"SAST", 7200, false, NULL},
    {"SCT", 14400, false, NULL},
    {"SGT", 0, false, "Asia/Singapore"},
    {"TAHT", -36000, false, NULL},
    {"TFT", 18000, false, NULL},
    {"TJT", 18000, false, NULL},
    {"TKT", 0, false, "Pacific/Fakaofo"},
    {"TMT", 0, false, "Asia/Ashgabat"},
    {"TOT", 46800, false, NULL},
    {"TRUT", 36000, false, NULL},
    {"TVT", 43200, false, NULL},
    {"UCT", 0, false, NULL},
    {"ULAST", 32400, true, NULL},
    {"ULAT", 0, false, "Asia/Ulaanbaatar"},
    {"UT", 0, false, NULL},
    {"UTC", 0, false, NULL},
    {"UYST", -7200, true, NULL},
    {"UYT", -10800, false, NULL},
    {"UZST", 21600, true, NULL},
    {"UZT", 18000, false, NULL},
    {"VET", 0, false, "America/Caracas"},
    {"VLAST", 0, false, "Asia/Vladivostok"},
    {"VLAT", 0, false, "Asia/Vladivostok"},
    {"VOLT", 0, false, "Europe/Volgograd"},
    {"VUT", 39600, false, NULL},
    {"WADT", 28800, true, NULL},
    {"WAKT", 43200, false, NULL},
    {"WAST", 25200, false, NULL},
    {"WAT", 3600, false, NULL},
    {"WDT", 32400, true, NULL},
    {"WET", 0, false, NULL},
    {"WETDST", 3600, true, NULL},
    {"WFT", 43200, false, NULL},
    {"WGST", -7200, true, NULL},
    {"WGT", -10800, false, NULL},
    {"XJT", 21600, false, NULL},
    {"YAKST", 0, false, "Asia/Yakutsk"},
    {"YAKT", 0, false, "Asia/Yakutsk"},
    {"YAPT", 36000, false, NULL},
    {"YEKST", 21600, true, NULL},
    {"YEKT", 0, false, "Asia/Yekaterinburg"},
    {"Z", 0, false, NULL},
    {"ZULU", 0, false, NULL},
/* clang-format on */
};

bool
tz_abbrev_lookup(const char *abbrev, int32_t *gmtoff, bool *is_dst, const Tz **zone)
{
    for (size_t i = 0; i < sizeof ABBREVS / sizeof ABBREVS[0]; i++) {
        if (strcasecmp(ABBREVS[i].abbr, abbrev) == 0) {
            *gmtoff = ABBREVS[i].off;
            *is_dst = ABBREVS[i].dst;
            *zone = ABBREVS[i].zone != NULL ? tz_lookup(ABBREVS[i].zone) : NULL;
            return true;
        }
    }
    return false;
}

bool
tz_has_leap_seconds(const char *name)
{
    /* the "right/" tree of the tz database is the one with leap seconds */
    return strncasecmp(name, "right/", 6) == 0 && tz_lookup(name + 6) != NULL;
}
