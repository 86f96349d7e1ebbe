/*
 * sql/func_tochar.c — format strings (shared by every formatting
 * function) and to_char for timestamp, timestamptz and interval.
 *
 * A format string is parsed into nodes (PostgreSQL's parse_format):
 * keywords ("YYYY", "HH24", "9", "PR" ...) matched case-sensitively, the
 * first keyword of the table that is a prefix of the remaining format
 * winning (so "DDD" before "DD" before "D"); an optional prefix modifier
 * ("FM", "TM", date formats only: one, consumed even when no keyword
 * follows) and suffix ("TH", "th", "SP"); text in double quotes copied
 * literally (backslash escapes the next character); `\"` outside quotes
 * is a quote; everything else is copied as is. The date/time nodes are run
 * here; numbers are sql/func_tonumber.c's, reading is sql/func_todate.c's.
 *
 * Invariants:
 *   1. Output is byte-for-byte PostgreSQL 15's for the same value, format
 *      and session settings (C locale: TM changes nothing but padding);
 *      an infinite value or an empty format gives NULL.
 *   2. Parsing the format never reads past its end; nodes are allocated in
 *      the call's arena, at most one per format byte.
 *   3. Interval values refuse the calendar-only patterns (22007).
 */
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/datetime.h"
#include "sql/func_datetime.h"
#include "sql/numeric.h"
#include "sql/tochar_int.h"

/* ---- format nodes ------------------------------------------------------------------- */

typedef struct KeyWord {
    const char *name;
    int id;
} KeyWord;

static const KeyWord DCH_KEYWORDS[] = {
    {"A.D.", K_A_D},   {"A.M.", K_A_M},    {"AD", K_AD},       {"AM", K_AM},
    {"B.C.", K_B_C},   {"BC", K_BC},       {"CC", K_CC},       {"DAY", K_DAY},
    {"DDD", K_DDD},    {"DD", K_DD},       {"DY", K_DY},       {"Day", K_Day},
    {"Dy", K_Dy},      {"D", K_D},         {"FF1", K_FF1},     {"FF2", K_FF2},
    {"FF3", K_FF3},    {"FF4", K_FF4},     {"FF5", K_FF5},     {"FF6", K_FF6},
    {"FX", K_FX},      {"HH24", K_HH24},   {"HH12", K_HH12},   {"HH", K_HH},
    {"IDDD", K_IDDD},  {"ID", K_ID},       {"IW", K_IW},       {"IYYY", K_IYYY},
    {"IYY", K_IYY},    {"IY", K_IY},       {"I", K_I},         {"J", K_J},
    {"MI", K_MI},      {"MM", K_MM},       {"MONTH", K_MONTH}, {"MON", K_MON},
    {"MS", K_MS},      {"Month", K_Month}, {"Mon", K_Mon},     {"OF", K_OF},
    {"P.M.", K_P_M},   {"PM", K_PM},       {"Q", K_Q},         {"RM", K_RM},
    {"SSSSS", K_SSSS}, {"SSSS", K_SSSS},   {"SS", K_SS},       {"TZH", K_TZH},
    {"TZM", K_TZM},    {"TZ", K_TZ},       {"US", K_US},       {"WW", K_WW},
    {"W", K_W},        {"Y,YYY", K_Y_YYY}, {"YYYY", K_YYYY},   {"YYY", K_YYY},
    {"YY", K_YY},      {"Y", K_Y},         {"a.d.", K_a_d},    {"a.m.", K_a_m},
    {"ad", K_ad},      {"am", K_am},       {"b.c.", K_b_c},    {"bc", K_bc},
    {"cc", K_CC},      {"day", K_day},     {"ddd", K_DDD},     {"dd", K_DD},
    {"dy", K_dy},      {"d", K_D},         {"ff1", K_FF1},     {"ff2", K_FF2},
    {"ff3", K_FF3},    {"ff4", K_FF4},     {"ff5", K_FF5},     {"ff6", K_FF6},
    {"fx", K_FX},      {"hh24", K_HH24},   {"hh12", K_HH12},   {"hh", K_HH},
    {"iddd", K_IDDD},  {"id", K_ID},       {"iw", K_IW},       {"iyyy", K_IYYY},
    {"iyy", K_IYY},    {"iy", K_IY},       {"i", K_I},         {"j", K_J},
    {"mi", K_MI},      {"mm", K_MM},       {"month", K_month}, {"mon", K_mon},
    {"ms", K_MS},      {"of", K_OF},       {"p.m.", K_p_m},    {"pm", K_pm},
    {"q", K_Q},        {"rm", K_rm},       {"sssss", K_SSSS},  {"ssss", K_SSSS},
    {"ss", K_SS},      {"tzh", K_TZH},     {"tzm", K_TZM},     {"tz", K_tz},
    {"us", K_US},      {"ww", K_WW},       {"w", K_W},         {"y,yyy", K_Y_YYY},
    {"yyyy", K_YYYY},  {"yyy", K_YYY},     {"yy", K_YY},       {"y", K_Y},
};

static const KeyWord NUM_KEYWORDS[] = {
    {",", N_COMMA}, {".", N_DEC},  {"0", N_0},   {"9", N_9},   {"B", N_B},   {"C", N_C},
    {"D", N_D},     {"EEEE", N_E}, {"FM", N_FM}, {"G", N_G},   {"L", N_L},   {"MI", N_MI},
    {"PL", N_PL},   {"PR", N_PR},  {"RN", N_RN}, {"SG", N_SG}, {"SP", N_SP}, {"S", N_S},
    {"TH", N_TH},   {"V", N_V},    {"b", N_B},   {"c", N_C},   {"d", N_D},   {"eeee", N_E},
    {"fm", N_FM},   {"g", N_G},    {"l", N_L},   {"mi", N_MI}, {"pl", N_PL}, {"pr", N_PR},
    {"rn", N_rn},   {"sg", N_SG},  {"sp", N_SP}, {"s", N_S},   {"th", N_th}, {"v", N_V},
};

typedef struct Suffix {
    const char *name;
    int id;
    bool prefix;
} Suffix;

static const Suffix DCH_SUFFIXES[] = {
    {"FM", SUF_FM, true},  {"fm", SUF_FM, true},  {"TM", SUF_TM, true},  {"tm", SUF_TM, true},
    {"TH", SUF_TH, false}, {"th", SUF_th, false}, {"SP", SUF_SP, false},
};

static int
find_keyword(const KeyWord *kw, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(kw[i].name);

        if (strncmp(kw[i].name, s, len) == 0)
            return (int)i;
    }
    return -1;
}

static const Suffix *
find_suffix(const char *s, bool prefix)
{
    for (size_t i = 0; i < sizeof DCH_SUFFIXES / sizeof DCH_SUFFIXES[0]; i++) {
        const Suffix *x = &DCH_SUFFIXES[i];

        if (x->prefix == prefix && strncmp(x->name, s, 2) == 0)
            return x;
    }
    return NULL;
}

bool
tochar_is_separator(const char *s)
{
    /* ASCII printable, not alphanumeric, not a double quote */
    return *s > 0x20 && *s < 0x7F && !isalnum((unsigned char)*s) && *s != '"';
}

int
tochar_char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;

    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1; /* a continuation byte counts alone, as PostgreSQL's pg_utf_mblen */
}

static void
set_char(FmtNode *n, const char *s, int len, int type)
{
    n->type = type;
    n->key = -1;
    n->suffix = 0;
    n->name = NULL;
    memcpy(n->chr, s, (size_t)len);
    n->chr[len] = '\0';
}

/*
 * Parses fmt into nodes (at most strlen(fmt) + 1, the last NODE_END).
 * is_dch: date/time keywords and modifiers; else number keywords.
 */
FmtNode *
tochar_parse_format(Arena *a, const char *s, bool is_dch)
{
    size_t len = strlen(s);
    FmtNode *nodes = arena_alloc(a, sizeof(FmtNode) * (len + 1)), *n = nodes;
    const KeyWord *kw = is_dch ? DCH_KEYWORDS : NUM_KEYWORDS;
    size_t nkw = is_dch ? sizeof DCH_KEYWORDS / sizeof DCH_KEYWORDS[0]
                        : sizeof NUM_KEYWORDS / sizeof NUM_KEYWORDS[0];

    while (*s) {
        int suffix = 0, k, cl;
        const Suffix *x;

        if (is_dch && (x = find_suffix(s, true)) != NULL) {
            suffix |= x->id;
            s += 2;
        }
        if (*s && (k = find_keyword(kw, nkw, s)) >= 0) {
            n->type = NODE_ACTION;
            n->key = kw[k].id;
            n->name = kw[k].name;
            n->suffix = suffix;
            s += strlen(kw[k].name);
            if (is_dch && *s && (x = find_suffix(s, false)) != NULL) {
                n->suffix |= x->id;
                s += 2;
            }
            n++;
        } else if (*s == '"') {
            s++;
            while (*s) {
                if (*s == '"') {
                    s++;
                    break;
                }
                if (*s == '\\' && s[1])
                    s++;
                cl = tochar_char_len(s);
                set_char(n++, s, cl, NODE_CHAR);
                s += cl;
            }
        } else if (*s) {
            if (*s == '\\' && s[1] == '"')
                s++;
            cl = tochar_char_len(s);
            set_char(n++, s, cl,
                     is_dch && tochar_is_separator(s) ? NODE_SEPARATOR
                     : isspace((unsigned char)*s)     ? NODE_SPACE
                                                      : NODE_CHAR);
            s += cl;
        }
    }
    n->type = NODE_END;
    return nodes;
}

/* ---- helpers -------------------------------------------------------------------------- */

static const char *const RM_UPPER[] = {"XII", "XI", "X",  "IX",  "VIII", "VII",
                                       "VI",  "V",  "IV", "III", "II",   "I"};
static const char *const RM_LOWER[] = {"xii", "xi", "x",  "ix",  "viii", "vii",
                                       "vi",  "v",  "iv", "iii", "ii",   "i"};

/* The ordinal suffix of a number's text ("1" → "st", "11" → "th"). */
const char *
tochar_ordinal(const char *num, bool upper)
{
    size_t len = strlen(num);
    char last = len ? num[len - 1] : '0';

    if (len > 1 && num[len - 2] == '1')
        last = '0';
    switch (last) {
    case '1':
        return upper ? "ST" : "st";
    case '2':
        return upper ? "ND" : "nd";
    case '3':
        return upper ? "RD" : "rd";
    default:
        return upper ? "TH" : "th";
    }
}

static void
put_str(Buf *out, const char *s)
{
    buf_append(out, s, strlen(s));
}

/* Appends a formatted number with its TH/th suffix. */
static void put_num(Buf *out, int suffix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
put_num(Buf *out, int suffix, const char *fmt, ...)
{
    char buf[64];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    put_str(out, buf);
    if (suffix & (SUF_TH | SUF_th))
        put_str(out, tochar_ordinal(buf, (suffix & SUF_TH) != 0));
}

static void
put_case(Buf *out, const char *s, int mode, int pad, bool fm)
{
    char buf[32];
    size_t i, n = strlen(s);

    for (i = 0; i < n && i < sizeof buf - 1; i++)
        buf[i] = mode > 0   ? (char)toupper((unsigned char)s[i])
                 : mode < 0 ? (char)tolower((unsigned char)s[i])
                            : s[i];
    buf[i] = '\0';
    put_str(out, buf);
    for (; !fm && (int)i < pad; i++)
        buf_append(out, " ", 1);
}

/* ---- date/time to_char -------------------------------------------------------------- */

typedef struct TcVal {
    int year, mon, mday, min, sec, usec, wday, yday;
    int64_t hour; /* an interval's hours are not bounded by a day */
    int32_t gmtoff;
    const char *tzn; /* zone abbreviation, NULL without a zone */
    bool is_interval;
} TcVal;

static int
adjust_year(const TcVal *v, int year)
{
    if (v->is_interval)
        return year;
    return year <= 0 ? -(year - 1) : year;
}

static int
interval_invalid(Err *err)
{
    ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT,
              "invalid format specification for an interval value");
    err_hint(err, "Intervals are not tied to specific calendar dates.");
    return -1;
}

static bool
is_interval_invalid(int key)
{
    switch (key) {
    case K_A_D:
    case K_AD:
    case K_B_C:
    case K_BC:
    case K_a_d:
    case K_ad:
    case K_b_c:
    case K_bc:
    case K_MONTH:
    case K_Month:
    case K_month:
    case K_MON:
    case K_Mon:
    case K_mon:
    case K_DAY:
    case K_Day:
    case K_day:
    case K_DY:
    case K_Dy:
    case K_dy:
    case K_D:
    case K_ID:
    case K_OF:
    case K_TZH:
    case K_TZM:
    case K_TZ:
    case K_tz:
        return true;
    default:
        return false;
    }
}

/* Width of a zero-padded field: `w` digits, one more for a negative value; 0 with FM. */
static int
width(int suffix, int64_t v, int w)
{
    if (suffix & SUF_FM)
        return 0;
    return v >= 0 ? w : w + 1;
}

/*
 * PostgreSQL's Julian-day and ISO-week arithmetic, applied as it is to the
 * fields of an interval too (month 0, negative days): the results for such
 * "dates" are meaningless but are what PostgreSQL prints.
 */
static int
pg_date2j(int y, int m, int d)
{
    int century;

    if (m > 2) {
        m += 1;
        y += 4800;
    } else {
        m += 13;
        y += 4799;
    }
    century = y / 100;
    return y * 365 - 32167 + y / 4 - century + century / 4 + 7834 * m / 256 + d;
}

static int
pg_j2day(int j)
{
    j = (j + 1) % 7;
    return j < 0 ? j + 7 : j;
}

/* The Julian day of the Monday starting week 1 of ISO year y. */
static int
pg_isoweek1(int y)
{
    int day4 = pg_date2j(y, 1, 4);

    return day4 - pg_j2day(day4 - 1);
}

/* date2isoweek / date2isoyear: ISO week and year of (y, m, d). */
static void
pg_iso(int y, int m, int d, int *week, int *isoyear)
{
    int dayn = pg_date2j(y, m, d), start = pg_isoweek1(y);

    *isoyear = y;
    if (dayn < start) {
        start = pg_isoweek1(y - 1);
        (*isoyear)--;
    }
    *week = (dayn - start) / 7 + 1;
    if (*week >= 52 && dayn >= pg_isoweek1(*isoyear + 1)) {
        *week = (dayn - pg_isoweek1(*isoyear + 1)) / 7 + 1;
        (*isoyear)++;
    }
}

static void
dch_year_fields(const FmtNode *n, const TcVal *v, Buf *out)
{
    bool iso = n->key == K_IYYY || n->key == K_IYY || n->key == K_IY || n->key == K_I;
    int week, iy, y;
    /* the zero-padding width follows the calendar year's sign, even for ISO years */
    int64_t wsign = adjust_year(v, v->year);

    pg_iso(v->year, v->mon, v->mday, &week, &iy);
    y = adjust_year(v, iso ? iy : v->year);
    switch (n->key) {
    case K_YYYY:
    case K_IYYY:
        put_num(out, n->suffix, "%0*d", width(n->suffix, wsign, 4), y);
        break;
    case K_YYY:
    case K_IYY:
        put_num(out, n->suffix, "%0*d", width(n->suffix, wsign, 3), y % 1000);
        break;
    case K_YY:
    case K_IY:
        put_num(out, n->suffix, "%0*d", width(n->suffix, wsign, 2), y % 100);
        break;
    default: /* Y, I */
        put_num(out, n->suffix, "%1d", y % 10);
        break;
    }
}

/* One date/time keyword. */
static int
dch_action(const FmtNode *n, const TcVal *v, Buf *out, Err *err)
{
    int s = n->suffix, fm = s & SUF_FM, tm = s & SUF_TM, i, iw_year;
    int64_t h12 = v->hour % 12 == 0 ? 12 : v->hour % 12;
    bool pm = v->hour % 24 >= 12, bc = v->year <= 0;
    int32_t off = v->gmtoff < 0 ? -v->gmtoff : v->gmtoff;

    if (v->is_interval && is_interval_invalid(n->key))
        return interval_invalid(err);
    switch (n->key) {
    case K_A_M:
    case K_P_M:
        put_str(out, pm ? "P.M." : "A.M.");
        break;
    case K_AM:
    case K_PM:
        put_str(out, pm ? "PM" : "AM");
        break;
    case K_a_m:
    case K_p_m:
        put_str(out, pm ? "p.m." : "a.m.");
        break;
    case K_am:
    case K_pm:
        put_str(out, pm ? "pm" : "am");
        break;
    case K_A_D:
    case K_B_C:
        put_str(out, bc ? "B.C." : "A.D.");
        break;
    case K_AD:
    case K_BC:
        put_str(out, bc ? "BC" : "AD");
        break;
    case K_a_d:
    case K_b_c:
        put_str(out, bc ? "b.c." : "a.d.");
        break;
    case K_ad:
    case K_bc:
        put_str(out, bc ? "bc" : "ad");
        break;
    case K_HH:
    case K_HH12:
        put_num(out, s, "%0*lld", width(s, v->hour, 2), (long long)h12);
        break;
    case K_HH24:
        put_num(out, s, "%0*lld", width(s, v->hour, 2), (long long)v->hour);
        break;
    case K_MI:
        put_num(out, s, "%0*d", width(s, v->min, 2), v->min);
        break;
    case K_SS:
        put_num(out, s, "%0*d", width(s, v->sec, 2), v->sec);
        break;
    case K_FF1:
    case K_FF2:
    case K_FF3:
    case K_FF4:
    case K_FF5:
    case K_FF6: {
        int digits = n->key - K_FF1 + 1, div = 1;

        for (i = digits; i < 6; i++)
            div *= 10;
        put_num(out, s, "%0*d", digits, v->usec / div);
        break;
    }
    case K_MS:
        put_num(out, s, "%03d", v->usec / 1000);
        break;
    case K_US:
        put_num(out, s, "%06d", v->usec);
        break;
    case K_SSSS:
        put_num(out, s, "%lld", (long long)(v->hour * 3600 + v->min * 60 + v->sec));
        break;
    case K_tz:
    case K_TZ:
        if (v->tzn != NULL)
            put_case(out, v->tzn, n->key == K_TZ ? 1 : -1, 0, true);
        break;
    case K_TZH:
        put_num(out, s, "%c%02d", v->gmtoff >= 0 ? '+' : '-', off / 3600);
        break;
    case K_TZM:
        put_num(out, s, "%02d", (off % 3600) / 60);
        break;
    case K_OF:
        put_num(out, 0, "%c%0*d", v->gmtoff >= 0 ? '+' : '-', fm ? 0 : 2, off / 3600);
        if (off % 3600 != 0)
            put_num(out, 0, ":%02d", (off % 3600) / 60);
        break;
    case K_MONTH:
    case K_Month:
    case K_month:
        if (v->mon == 0)
            break;
        put_case(out, dt_month_names[v->mon - 1],
                 n->key == K_MONTH   ? 1
                 : n->key == K_month ? -1
                                     : 0,
                 9, fm || tm);
        break;
    case K_MON:
    case K_Mon:
    case K_mon:
        if (v->mon == 0)
            break;
        put_case(out, dt_month_abbrevs[v->mon - 1],
                 n->key == K_MON   ? 1
                 : n->key == K_mon ? -1
                                   : 0,
                 0, true);
        break;
    case K_MM:
        put_num(out, s, "%0*d", width(s, v->mon, 2), v->mon);
        break;
    case K_DAY:
    case K_Day:
    case K_day:
        put_case(out, dt_day_names[v->wday],
                 n->key == K_DAY   ? 1
                 : n->key == K_day ? -1
                                   : 0,
                 9, fm || tm);
        break;
    case K_DY:
    case K_Dy:
    case K_dy:
        put_case(out, dt_day_abbrevs[v->wday],
                 n->key == K_DY   ? 1
                 : n->key == K_dy ? -1
                                  : 0,
                 0, true);
        break;
    case K_DDD:
        put_num(out, s, "%0*d", fm ? 0 : 3, v->yday);
        break;
    case K_IDDD: {
        int week, iy;

        pg_iso(v->year, v->mon, v->mday, &week, &iy);

        put_num(out, s, "%0*d", fm ? 0 : 3,
                pg_date2j(v->year, v->mon, v->mday) - pg_isoweek1(iy) + 1);
        break;
    }
    case K_DD:
        put_num(out, s, "%0*d", fm ? 0 : 2, v->mday);
        break;
    case K_D:
        put_num(out, s, "%d", v->wday + 1);
        break;
    case K_ID:
        put_num(out, s, "%d", v->wday == 0 ? 7 : v->wday);
        break;
    case K_WW:
        put_num(out, s, "%0*d", fm ? 0 : 2, (v->yday - 1) / 7 + 1);
        break;
    case K_IW:
        pg_iso(v->year, v->mon, v->mday, &i, &iw_year);
        put_num(out, s, "%0*d", fm ? 0 : 2, i);
        break;
    case K_Q:
        if (v->mon == 0)
            break;
        put_num(out, s, "%d", (v->mon - 1) / 3 + 1);
        break;
    case K_CC:
        i = v->is_interval ? v->year / 100 : v->year > 0 ? (v->year + 99) / 100 : v->year / 100 - 1;
        if (i <= 99 && i >= -99)
            put_num(out, s, "%0*d", width(s, i, 2), i);
        else
            put_num(out, s, "%d", i);
        break;
    case K_Y_YYY:
        i = adjust_year(v, v->year) / 1000;
        put_num(out, s, "%d,%03d", i, adjust_year(v, v->year) - i * 1000);
        break;
    case K_YYYY:
    case K_IYYY:
    case K_YYY:
    case K_IYY:
    case K_YY:
    case K_IY:
    case K_Y:
    case K_I:
        dch_year_fields(n, v, out);
        break;
    case K_RM:
    case K_rm:
        if (v->mon == 0 && v->year == 0)
            break;
        i = v->mon == 0 ? (v->year >= 0 ? 0 : 11) : v->mon < 0 ? -(v->mon + 1) : 12 - v->mon;
        put_case(out, (n->key == K_RM ? RM_UPPER : RM_LOWER)[i], 0, 4, fm);
        break;
    case K_W:
        put_num(out, s, "%d", (v->mday - 1) / 7 + 1);
        break;
    case K_J:
        put_num(out, s, "%d", pg_date2j(v->year, v->mon, v->mday));
        break;
    default: /* FX and other input-only keywords print nothing */
        break;
    }
    return 0;
}

static int
dch_to_char(const FnCall *call, const TcVal *v, Datum *result, bool *isnull, Err *err)
{
    const VarData *fmt = datum_get_var(call->args[1]);
    const FmtNode *n;
    Buf out;
    int rc = 0;

    if (fmt->len == 0) {
        *isnull = true;
        return 0;
    }
    buf_init(&out, BUF_DEFAULT_MAX);
    for (n = tochar_parse_format(call->ctx->arena, fmt->data, true); n->type != NODE_END && rc == 0;
         n++) {
        if (n->type == NODE_ACTION)
            rc = dch_action(n, v, &out, err);
        else
            put_str(&out, n->chr);
    }
    if (rc == 0)
        *result = datum_from_text(call->ctx->arena, out.len ? (const char *)out.data : "", out.len);
    buf_free(&out);
    return rc;
}

static void
tcval_from_fields(const DtFields *f, TcVal *v)
{
    memset(v, 0, sizeof *v);
    v->year = f->year;
    v->mon = f->mon;
    v->mday = f->mday;
    v->hour = f->hour;
    v->min = f->min;
    v->sec = f->sec;
    v->usec = f->usec;
    v->wday = f->wday;
    v->yday = f->yday;
}

BUILTIN(fn_to_char_timestamp)
{
    int64_t ts = datum_get_int64(call->args[0]);
    DtFields f;
    TcVal v;

    if (!TS_IS_FINITE(ts)) {
        *isnull = true;
        return 0;
    }
    if (ts_to_fields(ts, NULL, &f, err) < 0)
        return -1;
    tcval_from_fields(&f, &v);
    return dch_to_char(call, &v, result, isnull, err);
}

BUILTIN(fn_to_char_timestamptz)
{
    int64_t ts = datum_get_int64(call->args[0]);
    DtFields f;
    TcVal v;

    if (!TS_IS_FINITE(ts)) {
        *isnull = true;
        return 0;
    }
    if (ts_to_fields(ts, tz_from_io(call->ctx->io), &f, err) < 0)
        return -1;
    tcval_from_fields(&f, &v);
    v.gmtoff = f.gmtoff;
    v.tzn = f.abbrev != NULL ? f.abbrev : "";
    return dch_to_char(call, &v, result, isnull, err);
}

BUILTIN(fn_to_char_interval)
{
    Interval iv = interval_get(call->args[0]);
    int64_t t = iv.time;
    TcVal v;

    memset(&v, 0, sizeof v);
    v.is_interval = true;
    v.year = iv.month / MONTHS_PER_YEAR;
    v.mon = iv.month % MONTHS_PER_YEAR;
    v.mday = iv.day;
    v.hour = t / USECS_PER_HOUR;
    t -= v.hour * USECS_PER_HOUR;
    v.min = (int)(t / USECS_PER_MINUTE);
    t -= v.min * USECS_PER_MINUTE;
    v.sec = (int)(t / USECS_PER_SEC);
    v.usec = (int)(t - v.sec * USECS_PER_SEC);
    /* wday is meaningless; yday approximates the span in days */
    v.yday = (v.year * MONTHS_PER_YEAR + v.mon) * DAYS_PER_MONTH + v.mday;
    return dch_to_char(call, &v, result, isnull, err);
}
