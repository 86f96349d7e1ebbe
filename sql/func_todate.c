/*
 * sql/func_todate.c — to_timestamp(text, text) and to_date(text, text):
 * reading a date/time through a to_char format, as PostgreSQL 15's
 * DCH_from_char and do_to_timestamp.
 *
 * The format is parsed by sql/func_tochar.c (tochar_parse_format). Each
 * keyword reads its field from the input into a FromChar record; fields
 * set twice must agree ("conflicting values"); Gregorian and ISO-week
 * keywords cannot be mixed. Outside FX mode, spaces before a field are
 * skipped and a space or separator in the format matches one space or
 * separator in the input, or nothing; a literal character in the format
 * skips one input character. A numeric field takes exactly its keyword's
 * width unless it has FM or the next format node cannot be a digit, in
 * which case it takes as many digits as there are. Then the fields are
 * combined (12-hour clock, century + 2-digit year, Julian day, ISO weeks,
 * day of year) and range-checked.
 *
 * Invariants:
 *   1. Results and errors (SQLSTATE, message, detail, hint) are
 *      PostgreSQL 15's.
 *   2. A year with no year field is year 0 (1 BC), month and day 1: as
 *      PostgreSQL, to_timestamp('12:00', 'HH24:MI') is 0001-01-01 BC.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/datetime.h"
#include "sql/func_datetime.h"
#include "sql/tochar_int.h"

enum { MODE_NONE, MODE_GREGORIAN, MODE_ISOWEEK };

/* What the fields of the input said (PostgreSQL's TmFromChar). */
typedef struct FromChar {
    int mode, hh, pm, mi, ss, ssss, d, dd, ddd, mm, ms, year, bc, ww, w, cc, j, us, yysz, clock12;
    int tzsign, tzh, tzm, ff;
} FromChar;

typedef struct Reader {
    const char *s;     /* the input cursor */
    const char *input; /* the whole input, for messages */
    int extra_skip;
    bool fx;
} Reader;

static bool
key_is_digit(int key)
{
    switch (key) {
    case K_CC:
    case K_DDD:
    case K_DD:
    case K_D:
    case K_HH24:
    case K_HH12:
    case K_HH:
    case K_IDDD:
    case K_ID:
    case K_IW:
    case K_IYYY:
    case K_IYY:
    case K_IY:
    case K_I:
    case K_J:
    case K_MI:
    case K_MM:
    case K_MS:
    case K_Q:
    case K_SSSS:
    case K_SS:
    case K_TZM:
    case K_US:
    case K_WW:
    case K_W:
    case K_Y_YYY:
    case K_YYYY:
    case K_YYY:
    case K_YY:
    case K_Y:
        return true;
    default:
        return false;
    }
}

static int
key_mode(int key)
{
    switch (key) {
    case K_DDD:
    case K_DD:
    case K_D:
    case K_MM:
    case K_MONTH:
    case K_MON:
    case K_Month:
    case K_Mon:
    case K_month:
    case K_mon:
    case K_RM:
    case K_rm:
    case K_WW:
    case K_W:
    case K_Y_YYY:
    case K_YYYY:
    case K_YYY:
    case K_YY:
    case K_Y:
        return MODE_GREGORIAN;
    case K_IDDD:
    case K_ID:
    case K_IW:
    case K_IYYY:
    case K_IYY:
    case K_IY:
    case K_I:
        return MODE_ISOWEEK;
    default:
        return MODE_NONE;
    }
}

static int
set_int(int *dest, int value, const FmtNode *n, Err *err)
{
    if (*dest != 0 && *dest != value) {
        ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT,
                  "conflicting values for \"%s\" field in formatting string", n->name);
        err_detail(err, "This value contradicts a previous setting for the same field type.");
        return -1;
    }
    *dest = value;
    return 0;
}

/* True when the node after n cannot start with a digit (so a number may take any width). */
static bool
next_is_separator(const FmtNode *n)
{
    if (n->type == NODE_END)
        return false;
    if (n->type == NODE_ACTION && (n->suffix & (SUF_TH | SUF_th)))
        return true;
    n++;
    if (n->type == NODE_END)
        return true;
    if (n->type == NODE_ACTION)
        return !key_is_digit(n->key);
    return !(n->chr[1] == '\0' && isdigit((unsigned char)n->chr[0]));
}

/* from_char_parse_int_len: an integer of `len` characters (or any width, see above). */
static int
parse_int_len(Reader *r, int *dest, int len, const FmtNode *n, Err *err)
{
    const char *init = r->s;
    char copy[32];
    long v;
    int used;

    while (isspace((unsigned char)*r->s))
        r->s++;
    used = (int)strnlen(r->s, (size_t)len);
    memcpy(copy, r->s, (size_t)used);
    copy[used] = '\0';
    errno = 0;
    if ((n->suffix & SUF_FM) || next_is_separator(n)) {
        char *end;

        v = strtol(init, &end, 10);
        r->s = end;
    } else {
        char *last;

        if (used < len) {
            ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT,
                      "source string too short for \"%s\" formatting field", n->name);
            err_detail(err, "Field requires %d characters, but only %d remain.", len, used);
            err_hint(err, "If your source string is not fixed-width, try using the \"FM\" "
                          "modifier.");
            return -1;
        }
        v = strtol(copy, &last, 10);
        used = (int)(last - copy);
        if (used > 0 && used < len) {
            ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT, "invalid value \"%s\" for \"%s\"", copy,
                      n->name);
            err_detail(err, "Field requires %d characters, but only %d could be parsed.", len,
                       used);
            err_hint(err, "If your source string is not fixed-width, try using the \"FM\" "
                          "modifier.");
            return -1;
        }
        r->s += used;
    }
    if (r->s == init) {
        ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT, "invalid value \"%s\" for \"%s\"", copy,
                  n->name);
        err_detail(err, "Value must be an integer.");
        return -1;
    }
    if (errno == ERANGE || v < INT_MIN || v > INT_MAX) {
        ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW,
                  "value for \"%s\" in source string is out of range", n->name);
        err_detail(err, "Value must be in the range %d to %d.", INT_MIN, INT_MAX);
        return -1;
    }
    if (dest != NULL && set_int(dest, (int)v, n, err) < 0)
        return -1;
    return (int)(r->s - init);
}

static int
parse_int(Reader *r, int *dest, const FmtNode *n, Err *err)
{
    return parse_int_len(r, dest, (int)strlen(n->name), n, err);
}

/* seq_search_ascii: the first word that is a case-insensitive prefix of the input. */
static int
seq_search(Reader *r, const char *const *words, int nwords, int *value, const FmtNode *n, Err *err)
{
    for (int i = 0; i < nwords; i++) {
        size_t len = strlen(words[i]);

        if (strncasecmp(words[i], r->s, len) == 0) {
            *value = i;
            r->s += len;
            return 0;
        }
    }
    {
        char copy[64];
        size_t k = 0;

        while (r->s[k] && k < sizeof copy - 1 && !isspace((unsigned char)r->s[k]))
            k++;
        memcpy(copy, r->s, k);
        copy[k] = '\0';
        ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT, "invalid value \"%s\" for \"%s\"", copy,
                  n->name);
        err_detail(err, "The given value did not match any of the allowed values for this field.");
    }
    return -1;
}

static void
skip_th(Reader *r, int suffix)
{
    if (suffix & (SUF_TH | SUF_th)) {
        for (int i = 0; i < 2 && *r->s; i++)
            r->s += tochar_char_len(r->s);
    }
}

/* adjust_partial_year_to_2020 */
static int
year_near_2020(int year)
{
    if (year < 70)
        return year + 2000;
    if (year < 100)
        return year + 1900;
    if (year < 520)
        return year + 2000;
    if (year < 1000)
        return year + 1000;
    return year;
}

static const char *const AMPM[] = {"am", "pm", "AM", "PM"};
static const char *const AMPM_LONG[] = {"a.m.", "p.m.", "A.M.", "P.M."};
static const char *const ADBC[] = {"ad", "bc", "AD", "BC"};
static const char *const ADBC_LONG[] = {"a.d.", "b.c.", "A.D.", "B.C."};
static const char *const RM_LOWER[] = {"xii", "xi", "x",  "ix",  "viii", "vii",
                                       "vi",  "v",  "iv", "iii", "ii",   "i"};

/* Reads one keyword's field. */
static int
read_field(Reader *r, const FmtNode *n, FromChar *fc, Err *err)
{
    int v, len, mode = key_mode(n->key);

    if (mode != MODE_NONE) {
        if (fc->mode == MODE_NONE)
            fc->mode = mode;
        else if (fc->mode != mode) {
            ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT,
                      "invalid combination of date conventions");
            err_hint(err, "Do not mix Gregorian and ISO week date conventions in a formatting "
                          "template.");
            return -1;
        }
    }
    switch (n->key) {
    case K_FX:
        r->fx = true;
        return 0;
    case K_A_M:
    case K_P_M:
    case K_a_m:
    case K_p_m:
    case K_AM:
    case K_PM:
    case K_am:
    case K_pm: {
        bool is_long = n->key == K_A_M || n->key == K_P_M || n->key == K_a_m || n->key == K_p_m;

        if (seq_search(r, is_long ? AMPM_LONG : AMPM, 4, &v, n, err) < 0 ||
            set_int(&fc->pm, v % 2, n, err) < 0)
            return -1;
        fc->clock12 = 1;
        return 0;
    }
    case K_A_D:
    case K_B_C:
    case K_a_d:
    case K_b_c:
    case K_AD:
    case K_BC:
    case K_ad:
    case K_bc: {
        bool is_long = n->key == K_A_D || n->key == K_B_C || n->key == K_a_d || n->key == K_b_c;

        if (seq_search(r, is_long ? ADBC_LONG : ADBC, 4, &v, n, err) < 0)
            return -1;
        return set_int(&fc->bc, v % 2, n, err);
    }
    case K_HH:
    case K_HH12:
        if (parse_int_len(r, &fc->hh, 2, n, err) < 0)
            return -1;
        fc->clock12 = 1;
        break;
    case K_HH24:
        if (parse_int_len(r, &fc->hh, 2, n, err) < 0)
            return -1;
        break;
    case K_MI:
        if (parse_int(r, &fc->mi, n, err) < 0)
            return -1;
        break;
    case K_SS:
        if (parse_int(r, &fc->ss, n, err) < 0)
            return -1;
        break;
    case K_MS:
        if ((len = parse_int_len(r, &fc->ms, 3, n, err)) < 0)
            return -1;
        fc->ms *= len == 1 ? 100 : len == 2 ? 10 : 1;
        break;
    case K_FF1:
    case K_FF2:
    case K_FF3:
    case K_FF4:
    case K_FF5:
    case K_FF6:
    case K_US: {
        static const int scale[] = {1, 100000, 10000, 1000, 100, 10, 1};

        if (n->key != K_US)
            fc->ff = n->key - K_FF1 + 1;
        if ((len = parse_int_len(r, &fc->us, n->key == K_US ? 6 : fc->ff, n, err)) < 0)
            return -1;
        fc->us *= len <= 6 ? scale[len] : 1;
        break;
    }
    case K_SSSS:
        if (parse_int(r, &fc->ssss, n, err) < 0)
            return -1;
        break;
    case K_tz:
    case K_TZ:
    case K_OF:
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                         "formatting field \"%s\" is only supported in to_char", n->name);
    case K_TZH:
        /* a minus may have been skipped as a separator: it is the sign */
        if (*r->s == '+' || *r->s == '-' || *r->s == ' ') {
            fc->tzsign = *r->s == '-' ? -1 : 1;
            r->s++;
        } else
            fc->tzsign = r->extra_skip > 0 && r->s > r->input && r->s[-1] == '-' ? -1 : 1;
        if (parse_int_len(r, &fc->tzh, 2, n, err) < 0)
            return -1;
        return 0;
    case K_TZM:
        if (!fc->tzsign)
            fc->tzsign = 1;
        if (parse_int_len(r, &fc->tzm, 2, n, err) < 0)
            return -1;
        return 0;
    case K_MONTH:
    case K_Month:
    case K_month:
        if (seq_search(r, dt_month_names, 12, &v, n, err) < 0)
            return -1;
        return set_int(&fc->mm, v + 1, n, err);
    case K_MON:
    case K_Mon:
    case K_mon:
        if (seq_search(r, dt_month_abbrevs, 12, &v, n, err) < 0)
            return -1;
        return set_int(&fc->mm, v + 1, n, err);
    case K_DAY:
    case K_Day:
    case K_day:
    case K_DY:
    case K_Dy:
    case K_dy: {
        bool full = n->key == K_DAY || n->key == K_Day || n->key == K_day;

        if (seq_search(r, full ? dt_day_names : dt_day_abbrevs, 7, &v, n, err) < 0 ||
            set_int(&fc->d, v, n, err) < 0)
            return -1;
        fc->d++;
        return 0;
    }
    case K_MM:
        if (parse_int(r, &fc->mm, n, err) < 0)
            return -1;
        break;
    case K_DDD:
        if (parse_int(r, &fc->ddd, n, err) < 0)
            return -1;
        break;
    case K_IDDD:
        if (parse_int_len(r, &fc->ddd, 3, n, err) < 0)
            return -1;
        break;
    case K_DD:
        if (parse_int(r, &fc->dd, n, err) < 0)
            return -1;
        break;
    case K_D:
        if (parse_int(r, &fc->d, n, err) < 0)
            return -1;
        break;
    case K_ID:
        if (parse_int_len(r, &fc->d, 1, n, err) < 0)
            return -1;
        /* Sunday = 1, as the Gregorian D */
        if (++fc->d > 7)
            fc->d = 1;
        break;
    case K_WW:
    case K_IW:
        if (parse_int(r, &fc->ww, n, err) < 0)
            return -1;
        break;
    case K_Q:
        /* read and ignored: which day of the quarter would it be? */
        if (parse_int(r, NULL, n, err) < 0)
            return -1;
        break;
    case K_CC:
        if (parse_int(r, &fc->cc, n, err) < 0)
            return -1;
        break;
    case K_Y_YYY: {
        int millennia, years, nch = 0;

        if (sscanf(r->s, "%d,%03d%n", &millennia, &years, &nch) < 2)
            return ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT,
                             "invalid input string for \"Y,YYY\"");
        if (set_int(&fc->year, years + millennia * 1000, n, err) < 0)
            return -1;
        fc->yysz = 4;
        r->s += nch;
        break;
    }
    case K_YYYY:
    case K_IYYY:
        if (parse_int(r, &fc->year, n, err) < 0)
            return -1;
        fc->yysz = 4;
        break;
    case K_YYY:
    case K_IYY:
    case K_YY:
    case K_IY:
    case K_Y:
    case K_I:
        if ((len = parse_int(r, &fc->year, n, err)) < 0)
            return -1;
        if (len < 4)
            fc->year = year_near_2020(fc->year);
        fc->yysz = (int)strlen(n->name);
        break;
    case K_RM:
    case K_rm:
        if (seq_search(r, RM_LOWER, 12, &v, n, err) < 0)
            return -1;
        return set_int(&fc->mm, 12 - v, n, err);
    case K_W:
        if (parse_int(r, &fc->w, n, err) < 0)
            return -1;
        break;
    case K_J:
        if (parse_int(r, &fc->j, n, err) < 0)
            return -1;
        break;
    default:
        return 0;
    }
    skip_th(r, n->suffix);
    return 0;
}

/* DCH_from_char: runs the format over the input. */
static int
from_char(const FmtNode *nodes, const char *input, FromChar *fc, Err *err)
{
    Reader r = {input, input, 0, false};
    const FmtNode *n;

    memset(fc, 0, sizeof *fc);
    for (n = nodes; n->type != NODE_END && *r.s; n++) {
        if (!r.fx && !(n->type == NODE_ACTION && n->key == K_FX) &&
            (n->type == NODE_ACTION || n == nodes)) {
            while (*r.s && isspace((unsigned char)*r.s))
                r.s++, r.extra_skip++;
        }
        if (n->type == NODE_SPACE || n->type == NODE_SEPARATOR) {
            if (!r.fx) {
                /* one space or separator in the format matches one in the input, or none */
                r.extra_skip--;
                if (isspace((unsigned char)*r.s) || tochar_is_separator(r.s))
                    r.s++, r.extra_skip++;
            } else
                r.s += tochar_char_len(r.s);
            continue;
        }
        if (n->type != NODE_ACTION) {
            /* a literal skips one input character, whatever it is */
            if (!r.fx && r.extra_skip > 0)
                r.extra_skip--;
            else
                r.s += tochar_char_len(r.s);
            continue;
        }
        if (read_field(&r, n, fc, err) < 0)
            return -1;
        if (!r.fx) {
            r.extra_skip = 0;
            while (*r.s && isspace((unsigned char)*r.s))
                r.s++, r.extra_skip++;
        }
    }
    return 0;
}

/* The result of reading: broken-down fields, µs, the FFn precision, an explicit offset. */
typedef struct ToTs {
    DtFields f;
    int fprec;
    bool has_tz;
    int32_t gmtoff;
} ToTs;

static int
field_overflow(const char *input, Err *err)
{
    return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW,
                     "date/time field value out of range: \"%s\"", input);
}

static void
set_year(const FromChar *fc, DtFields *f)
{
    int cc = fc->bc ? -fc->cc : fc->cc;

    if (fc->year) {
        if (fc->cc && fc->yysz <= 2) {
            /* the 2-digit year within the century: the 21st century is 2001-2100 */
            f->year = fc->year % 100;
            if (f->year)
                f->year = cc >= 0 ? f->year + (cc - 1) * 100 : (cc + 1) * 100 - f->year + 1;
            else
                f->year = cc * 100 + (cc >= 0 ? 0 : 1);
        } else {
            f->year = fc->bc ? -fc->year : fc->year;
            if (f->year < 0)
                f->year++;
        }
    } else if (fc->cc) {
        f->year = cc >= 0 ? (cc - 1) * 100 + 1 : cc * 100 + 1;
    }
}

static int
day_of_year(FromChar *fc, DtFields *f, Err *err)
{
    static const int ysum[2][13] = {{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
                                    {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}};
    const int *y;
    int i;

    if (!f->year && !fc->bc)
        return ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT,
                         "cannot calculate day of year without year information");
    if (fc->mode == MODE_ISOWEEK) {
        dt_j2date(dt_isoweek2j(f->year, 1, 1) - 1 + fc->ddd, &f->year, &f->mon, &f->mday);
        return 0;
    }
    y = ysum[dt_is_leap(f->year) ? 1 : 0];
    for (i = 1; i <= 12; i++) {
        if (fc->ddd <= y[i])
            break;
    }
    if (f->mon <= 1)
        f->mon = i;
    if (f->mday <= 1)
        f->mday = fc->ddd - y[i - 1];
    return 0;
}

/* do_to_timestamp */
static int
to_ts(const FnCall *call, ToTs *out, Err *err)
{
    const char *input = datum_get_var(call->args[0])->data;
    const char *fmt = datum_get_var(call->args[1])->data;
    FromChar fc;
    DtFields *f = &out->f;
    bool has_y = false, has_m = false, has_d = false;
    int64_t usec = 0;

    memset(out, 0, sizeof *out);
    f->mon = f->mday = 1;
    if (from_char(tochar_parse_format(call->ctx->arena, fmt, true), input, &fc, err) < 0)
        return -1;
    if (fc.ssss) {
        f->hour = fc.ssss / 3600;
        f->min = fc.ssss % 3600 / 60;
        f->sec = fc.ssss % 60;
    }
    if (fc.ss)
        f->sec = fc.ss;
    if (fc.mi)
        f->min = fc.mi;
    if (fc.hh)
        f->hour = fc.hh;
    if (fc.clock12) {
        if (f->hour < 1 || f->hour > 12) {
            ERR_RAISE(err, ERRCODE_INVALID_DATETIME_FORMAT,
                      "hour \"%d\" is invalid for the 12-hour clock", f->hour);
            err_hint(err, "Use the 24-hour clock, or give an hour between 1 and 12.");
            return -1;
        }
        if (fc.pm && f->hour < 12)
            f->hour += 12;
        else if (!fc.pm && f->hour == 12)
            f->hour = 0;
    }
    if (fc.year || fc.cc) {
        set_year(&fc, f);
        has_y = true;
    }
    if (fc.j) {
        dt_j2date(fc.j, &f->year, &f->mon, &f->mday);
        has_y = has_m = has_d = true;
    }
    if (fc.ww) {
        if (fc.mode == MODE_ISOWEEK) {
            /* no day: the Monday of the week; D counts from Sunday = 1 */
            int isodow = !fc.d ? 1 : fc.d > 1 ? fc.d - 1 : 7;

            dt_j2date(dt_isoweek2j(f->year, fc.ww, isodow), &f->year, &f->mon, &f->mday);
            has_y = has_m = has_d = true;
        } else
            fc.ddd = (fc.ww - 1) * 7 + 1;
    }
    if (fc.w)
        fc.dd = (fc.w - 1) * 7 + 1;
    if (fc.dd) {
        f->mday = fc.dd;
        has_d = true;
    }
    if (fc.mm) {
        f->mon = fc.mm;
        has_m = true;
    }
    if (fc.ddd && (f->mon <= 1 || f->mday <= 1)) {
        if (day_of_year(&fc, f, err) < 0)
            return -1;
        has_m = has_d = true;
        if (fc.mode == MODE_ISOWEEK)
            has_y = true;
    }
    usec = (int64_t)fc.ms * 1000 + fc.us;
    out->fprec = fc.ff;
    if ((has_m && (f->mon < 1 || f->mon > 12)) || (has_d && (f->mday < 1 || f->mday > 31)) ||
        (has_y && has_m && has_d && f->mday > dt_days_in_month(f->year, f->mon)))
        return field_overflow(input, err);
    if (f->hour < 0 || f->hour >= 24 || f->min < 0 || f->min >= 60 || f->sec < 0 || f->sec >= 60 ||
        usec < 0 || usec >= USECS_PER_SEC)
        return field_overflow(input, err);
    f->usec = (int)usec;
    if (fc.tzsign) {
        if (fc.tzh < 0 || fc.tzh > 15 || fc.tzm < 0 || fc.tzm >= 60)
            return ERR_RAISE(err, ERRCODE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                             "time zone displacement out of range: \"%s\"", input);
        out->has_tz = true;
        out->gmtoff = fc.tzsign * (fc.tzh * 3600 + fc.tzm * 60);
    }
    return 0;
}

BUILTIN(fn_to_timestamp_text)
{
    ToTs t;
    int64_t ts;

    (void)isnull;
    if (to_ts(call, &t, err) < 0)
        return -1;
    if (t.has_tz) {
        if (ts_from_fields(&t.f, &ts, err) < 0)
            return -1;
        ts -= (int64_t)t.gmtoff * USECS_PER_SEC;
        if (!TS_IN_RANGE(ts))
            return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
    } else if (tstz_from_fields(&t.f, tz_from_io(call->ctx->io), &ts, err) < 0)
        return -1;
    if (t.fprec)
        ts = dt_round_usec(ts, t.fprec);
    *result = datum_from_int64(ts);
    return 0;
}

BUILTIN(fn_to_date_text)
{
    const char *input = datum_get_var(call->args[0])->data;
    ToTs t;
    int32_t jd;

    (void)isnull;
    if (to_ts(call, &t, err) < 0)
        return -1;
    jd = dt_date2j(t.f.year, t.f.mon, t.f.mday);
    if (t.f.year < -4713 || t.f.year > 5874898 || jd < DATETIME_MIN_JULIAN || jd >= DATE_END_JULIAN)
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "date out of range: \"%s\"", input);
    *result = datum_from_int32(jd - POSTGRES_EPOCH_JDATE);
    return 0;
}
