/*
 * sql/guc_check.c — validation and normalisation of the string settings
 * whose values have a syntax: DateStyle, TimeZone, client_encoding,
 * application_name, role and session_authorization (PostgreSQL's GUC check
 * hooks, variable.c and pgtz.c).
 *
 * Time zone names are checked against the system tz database
 * (/usr/share/zoneinfo), case-insensitively, and stored as the database
 * spells them ("america/new_york" → "America/New_York"), as PostgreSQL does.
 *
 * Invariants:
 *   1. A check either sets *out to a malloc'd canonical value and returns 0,
 *      or raises PostgreSQL's error (always naming the canonical parameter)
 *      and returns -1 with *out untouched.
 *   2. Only the tz database is read, never written; names containing ".." or
 *      starting with "/" are rejected before touching the file system.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/guc.h"
#include "common/errcodes.h"
#include "sql/datetime.h"

#define TZ_DIR "/usr/share/zoneinfo"
#define NAME_MAX_BYTES 63

static int
set_out(char **out, const char *v)
{
    *out = strdup(v);
    if (*out == NULL) {
        fprintf(stderr, "PANIC: out of memory in guc\n");
        abort();
    }
    return 0;
}

static int
invalid(const char *param, const char *value, const char *code, Err *err)
{
    return ERR_RAISE(err, code, "invalid value for parameter \"%s\": \"%s\"", param, value);
}

/* ---- DateStyle ------------------------------------------------------------- */

enum { STYLE_ISO, STYLE_SQL, STYLE_POSTGRES, STYLE_GERMAN };
enum { ORDER_YMD, ORDER_DMY, ORDER_MDY };

static const char *const STYLE_NAMES[] = {"ISO", "SQL", "Postgres", "German"};
static const char *const ORDER_NAMES[] = {"YMD", "DMY", "MDY"};

/* Parses "ISO, MDY"-style text (already canonical) into style and order. */
static void
datestyle_split(const char *canonical, int *style, int *order)
{
    *style = STYLE_ISO;
    *order = ORDER_MDY;
    for (int i = 0; i < 4; i++) {
        if (strncmp(canonical, STYLE_NAMES[i], strlen(STYLE_NAMES[i])) == 0)
            *style = i;
    }
    for (int i = 0; i < 3; i++) {
        if (strstr(canonical, ORDER_NAMES[i]) != NULL)
            *order = i;
    }
}

/* One keyword of a DateStyle list; returns false for an unknown word. */
static bool
datestyle_word(const char *tok, int *style, int *order, bool *have_style, bool *have_order,
               bool *ok)
{
    int s = -1, o = -1;

    if (strcasecmp(tok, "ISO") == 0)
        s = STYLE_ISO;
    else if (strcasecmp(tok, "SQL") == 0)
        s = STYLE_SQL;
    else if (strncasecmp(tok, "POSTGRES", 8) == 0)
        s = STYLE_POSTGRES;
    else if (strcasecmp(tok, "GERMAN") == 0)
        s = STYLE_GERMAN;
    else if (strcasecmp(tok, "YMD") == 0)
        o = ORDER_YMD;
    else if (strcasecmp(tok, "DMY") == 0 || strncasecmp(tok, "EURO", 4) == 0)
        o = ORDER_DMY;
    else if (strcasecmp(tok, "MDY") == 0 || strcasecmp(tok, "US") == 0 ||
             strncasecmp(tok, "NONEURO", 7) == 0)
        o = ORDER_MDY;
    else
        return false;
    if (s >= 0) {
        if (*have_style && *style != s)
            *ok = false;
        *style = s;
        *have_style = true;
        if (s == STYLE_GERMAN && !*have_order)
            *order = ORDER_DMY; /* GERMAN also sets DMY, unless explicitly overridden */
    } else {
        if (*have_order && *order != o)
            *ok = false;
        *order = o;
        *have_order = true;
    }
    return true;
}

int
guc_check_datestyle(GucState *g, const char *value, char **out, Err *err)
{
    int style, order;
    bool have_style = false, have_order = false, ok = true;
    char buf[256], result[32];
    char *save = NULL, *tok;

    datestyle_split(guc_get_string(g, "DateStyle"), &style, &order);
    if (strlen(value) >= sizeof buf)
        return invalid("DateStyle", value, ERRCODE_INVALID_PARAMETER_VALUE, err);
    snprintf(buf, sizeof buf, "%s", value);
    for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        char *end;

        while (*tok == ' ' || *tok == '\t')
            tok++;
        end = tok + strlen(tok);
        while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        if (strcasecmp(tok, "DEFAULT") == 0) {
            int ds, dord;

            datestyle_split("ISO, MDY", &ds, &dord);
            style = have_style ? style : ds;
            order = have_order ? order : dord;
            continue;
        }
        if (*tok == '\0' || strpbrk(tok, " \t") != NULL) {
            invalid("DateStyle", value, ERRCODE_INVALID_PARAMETER_VALUE, err);
            err_detail(err, "List syntax is invalid.");
            return -1;
        }
        if (!datestyle_word(tok, &style, &order, &have_style, &have_order, &ok)) {
            invalid("DateStyle", value, ERRCODE_INVALID_PARAMETER_VALUE, err);
            err_detail(err, "Unrecognized key word: \"%s\".", tok);
            return -1;
        }
    }
    if (!ok) {
        invalid("DateStyle", value, ERRCODE_INVALID_PARAMETER_VALUE, err);
        err_detail(err, "Conflicting \"datestyle\" specifications.");
        return -1;
    }
    snprintf(result, sizeof result, "%s, %s", STYLE_NAMES[style], ORDER_NAMES[order]);
    return set_out(out, result);
}

/* ---- TimeZone -------------------------------------------------------------- */

/* pg_tzset_offset(): the POSIX name of a fixed offset, "<+05>-05" for UTC+5. */
static void
tz_offset_name(double hours, char *out, size_t cap)
{
    long gmtoffset = (long)(-hours * 3600);
    long abs = gmtoffset < 0 ? -gmtoffset : gmtoffset;
    char off[32];
    size_t n;

    n = (size_t)snprintf(off, sizeof off, "%02ld", abs / 3600);
    abs %= 3600;
    if (abs != 0) {
        n += (size_t)snprintf(off + n, sizeof off - n, ":%02ld", abs / 60);
        if (abs % 60 != 0)
            snprintf(off + n, sizeof off - n, ":%02ld", abs % 60);
    }
    if (gmtoffset > 0)
        snprintf(out, cap, "<-%s>+%s", off, off);
    else
        snprintf(out, cap, "<+%s>-%s", off, off);
}

int
guc_check_timezone(GucState *g, const char *value, char **out, Err *err)
{
    char canon[256];
    char *end;
    double hours;
    const Tz *zone;

    (void)g;
    if (strncasecmp(value, "interval", 8) == 0)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                         "time zone intervals are not supported yet");
    hours = strtod(value, &end);
    if (end != value && *end == '\0') {
        if (isnan(hours) || fabs(hours) > 168) {
            invalid("TimeZone", value, ERRCODE_INVALID_PARAMETER_VALUE, err);
            err_detail(err, "UTC timezone offset is out of range.");
            return -1;
        }
        tz_offset_name(hours, canon, sizeof canon);
        return set_out(out, canon);
    }
    /* exactly the names the date/time types accept (sql/tz.c), in the database's spelling */
    if ((zone = tz_lookup(value)) != NULL)
        return set_out(out, tz_name(zone));
    if (tz_has_leap_seconds(value)) {
        ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                  "time zone \"%s\" appears to use leap seconds", value);
        err_detail(err, "PostgreSQL does not support leap seconds.");
        return -1;
    }
    return invalid("TimeZone", value, ERRCODE_INVALID_PARAMETER_VALUE, err);
}

/* ---- client_encoding ------------------------------------------------------- */

/* PostgreSQL's encoding names (pg_char_to_encoding's table), as canonical names. */
static const struct {
    const char *alias; /* lower case, without punctuation */
    const char *name;
} ENCODINGS[] = {
    {"utf8", "UTF8"},
    {"unicode", "UTF8"},
    {"sqlascii", "SQL_ASCII"},
    {"latin1", "LATIN1"},
    {"latin2", "LATIN2"},
    {"latin3", "LATIN3"},
    {"latin4", "LATIN4"},
    {"latin5", "LATIN5"},
    {"latin6", "LATIN6"},
    {"latin7", "LATIN7"},
    {"latin8", "LATIN8"},
    {"latin9", "LATIN9"},
    {"latin10", "LATIN10"},
    {"iso88591", "LATIN1"},
    {"iso885915", "LATIN9"},
    {"iso88595", "ISO_8859_5"},
    {"iso88596", "ISO_8859_6"},
    {"iso88597", "ISO_8859_7"},
    {"iso88598", "ISO_8859_8"},
    {"win1250", "WIN1250"},
    {"win1251", "WIN1251"},
    {"win1252", "WIN1252"},
    {"win1253", "WIN1253"},
    {"win1254", "WIN1254"},
    {"win1255", "WIN1255"},
    {"win1256", "WIN1256"},
    {"win1257", "WIN1257"},
    {"win1258", "WIN1258"},
    {"win866", "WIN866"},
    {"win874", "WIN874"},
    {"koi8", "KOI8R"},
    {"koi8r", "KOI8R"},
    {"koi8u", "KOI8U"},
    {"eucjp", "EUC_JP"},
    {"euccn", "EUC_CN"},
    {"euckr", "EUC_KR"},
    {"euctw", "EUC_TW"},
    {"eucjis2004", "EUC_JIS_2004"},
    {"sjis", "SJIS"},
    {"shiftjis", "SJIS"},
    {"shiftjis2004", "SHIFT_JIS_2004"},
    {"big5", "BIG5"},
    {"gbk", "GBK"},
    {"gb18030", "GB18030"},
    {"uhc", "UHC"},
    {"johab", "JOHAB"},
    {"muleinternal", "MULE_INTERNAL"},
};

int
guc_check_client_encoding(GucState *g, const char *value, char **out, Err *err)
{
    char key[64];
    size_t n = 0;

    (void)g;
    for (const char *p = value; *p && n < sizeof key - 1; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            key[n++] = *p;
        else if (*p >= 'A' && *p <= 'Z')
            key[n++] = (char)(*p + 32);
    }
    key[n] = '\0';
    for (size_t i = 0; i < sizeof ENCODINGS / sizeof ENCODINGS[0]; i++) {
        if (strcmp(key, ENCODINGS[i].alias) != 0)
            continue;
        if (strcmp(ENCODINGS[i].name, "UTF8") == 0)
            return set_out(out, "UTF8");
        invalid("client_encoding", value, ERRCODE_FEATURE_NOT_SUPPORTED, err);
        err_detail(err, "Conversion between %s and UTF8 is not supported.", ENCODINGS[i].name);
        return -1;
    }
    return invalid("client_encoding", value, ERRCODE_INVALID_PARAMETER_VALUE, err);
}

/* ---- application_name, role, session_authorization --------------------------- */

int
guc_check_application_name(GucState *g, const char *value, char **out, Err *err)
{
    char clean[NAME_MAX_BYTES + 1];
    size_t len = strlen(value), n = len > NAME_MAX_BYTES ? NAME_MAX_BYTES : len;

    (void)err;
    /* pg_clean_ascii(): only printable ASCII survives */
    for (size_t i = 0; i < n; i++)
        clean[i] = (value[i] < 32 || value[i] > 126) ? '?' : value[i];
    clean[n] = '\0';
    if (len > NAME_MAX_BYTES) {
        Err notice;

        err_clear(&notice);
        err_raise(&notice, ERR_NOTICE, ERRCODE_NAME_TOO_LONG,
                  "identifier \"%s\" will be truncated to \"%s\"", value, clean);
        guc_notice(g, &notice);
    }
    return set_out(out, clean);
}

int
guc_check_role(GucState *g, const char *value, char **out, Err *err)
{
    if (strcasecmp(value, "none") == 0)
        return set_out(out, "none");
    if (strcmp(value, guc_user(g)) == 0)
        return set_out(out, value);
    return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "role \"%s\" does not exist", value);
}

int
guc_check_session_authorization(GucState *g, const char *value, char **out, Err *err)
{
    if (strcmp(value, guc_user(g)) == 0)
        return set_out(out, value);
    return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "role \"%s\" does not exist", value);
}
