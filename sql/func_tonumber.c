/*
 * sql/func_tonumber.c — to_char for numbers (int4, int8, real, double
 * precision, numeric) and to_number(text, text), as PostgreSQL 15's
 * NUM_processor in both directions.
 *
 * The format is parsed by sql/func_tochar.c (tochar_parse_format, number
 * keywords: 9 0 . D , G S MI PL SG PR L RN TH V EEEE FM B). A first pass
 * (num_describe) counts digits before and after the point and checks the
 * combinations PostgreSQL refuses; then the value is turned into decimal
 * text rounded to the format's fraction digits ('#' fill when the integer
 * part does not fit) and the nodes are run over it: leading blanks, the
 * sign placed as S/MI/PL/SG/PR or the default leading space/minus, FM
 * suppression of padding and trailing zeros. The locale is C: decimal
 * point ".", group separator ",", currency symbol " ".
 *
 * to_number runs the same nodes over the input: each digit node reads at
 * most one character (a digit, the point, or skips a non-digit), a sign is
 * taken before the first digit or right after the last, separators skip a
 * matching character; the digits read become a numeric with the format's
 * precision and the scale actually read (22003 when it does not fit).
 *
 * Invariants:
 *   1. Output is byte-for-byte PostgreSQL 15's, including its quirks
 *      (a NUL written for a digit past the end of the number ends the
 *      text; bigint and numeric EEEE keep the exponent fixed before
 *      rounding, so 9.995 → "10.00e+00").
 *   2. The output buffer is sized from the format and the number before
 *      anything is written; every node writes a bounded amount.
 */
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/func_datetime.h"
#include "sql/func_float.h"
#include "sql/numeric.h"
#include "sql/tochar_int.h"

/* ---- numbers: the format description (NUMDesc) ------------------------------------------ */

enum {
    NF_DECIMAL = 1 << 1,
    NF_LDECIMAL = 1 << 2,
    NF_ZERO = 1 << 3,
    NF_BLANK = 1 << 4,
    NF_FILLMODE = 1 << 5,
    NF_LSIGN = 1 << 6,
    NF_BRACKET = 1 << 7,
    NF_MINUS = 1 << 8,
    NF_PLUS = 1 << 9,
    NF_ROMAN = 1 << 10,
    NF_MULTI = 1 << 11,
    NF_PLUS_POST = 1 << 12,
    NF_MINUS_POST = 1 << 13,
    NF_EEEE = 1 << 14,
};

enum { LSIGN_NONE, LSIGN_PRE, LSIGN_POST };

typedef struct NumDesc {
    int pre, post, lsign, flag, pre_lsign_num, multi, zero_start, zero_end;
} NumDesc;

static int
num_syntax(Err *err, const char *msg)
{
    return ERR_RAISE(err, ERRCODE_SYNTAX_ERROR, "%s", msg);
}

/* NUMDesc_prepare: accumulates one keyword into d. */
static int
num_prepare(NumDesc *d, int key, Err *err)
{
    int f = d->flag;

    if ((f & NF_EEEE) && key != N_E)
        return num_syntax(err, "\"EEEE\" must be the last pattern used");
    switch (key) {
    case N_9:
        if (f & NF_BRACKET)
            return num_syntax(err, "\"9\" must be ahead of \"PR\"");
        if (f & NF_MULTI)
            d->multi++;
        else if (f & NF_DECIMAL)
            d->post++;
        else
            d->pre++;
        break;
    case N_0:
        if (f & NF_BRACKET)
            return num_syntax(err, "\"0\" must be ahead of \"PR\"");
        if (!(f & NF_ZERO) && !(f & NF_DECIMAL)) {
            d->flag |= NF_ZERO;
            d->zero_start = d->pre + 1;
        }
        if (!(f & NF_DECIMAL))
            d->pre++;
        else
            d->post++;
        d->zero_end = d->pre + d->post;
        break;
    case N_B:
        if (d->pre == 0 && d->post == 0 && !(f & NF_ZERO))
            d->flag |= NF_BLANK;
        break;
    case N_D:
        d->flag |= NF_LDECIMAL;
        /* fall through */
    case N_DEC:
        if (f & NF_DECIMAL)
            return num_syntax(err, "multiple decimal points");
        if (f & NF_MULTI)
            return num_syntax(err, "cannot use \"V\" and decimal point together");
        d->flag |= NF_DECIMAL;
        break;
    case N_FM:
        d->flag |= NF_FILLMODE;
        break;
    case N_S:
        if (f & NF_LSIGN)
            return num_syntax(err, "cannot use \"S\" twice");
        if (f & (NF_PLUS | NF_MINUS | NF_BRACKET))
            return num_syntax(err, "cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together");
        if (!(f & NF_DECIMAL)) {
            d->lsign = LSIGN_PRE;
            d->pre_lsign_num = d->pre;
            d->flag |= NF_LSIGN;
        } else if (d->lsign == LSIGN_NONE) {
            d->lsign = LSIGN_POST;
            d->flag |= NF_LSIGN;
        }
        break;
    case N_MI:
        if (f & NF_LSIGN)
            return num_syntax(err, "cannot use \"S\" and \"MI\" together");
        d->flag |= NF_MINUS | ((f & NF_DECIMAL) ? NF_MINUS_POST : 0);
        break;
    case N_PL:
        if (f & NF_LSIGN)
            return num_syntax(err, "cannot use \"S\" and \"PL\" together");
        d->flag |= NF_PLUS | ((f & NF_DECIMAL) ? NF_PLUS_POST : 0);
        break;
    case N_SG:
        if (f & NF_LSIGN)
            return num_syntax(err, "cannot use \"S\" and \"SG\" together");
        d->flag |= NF_MINUS | NF_PLUS;
        break;
    case N_PR:
        if (f & (NF_LSIGN | NF_PLUS | NF_MINUS))
            return num_syntax(err, "cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
        d->flag |= NF_BRACKET;
        break;
    case N_RN:
    case N_rn:
        d->flag |= NF_ROMAN;
        break;
    case N_V:
        if (f & NF_DECIMAL)
            return num_syntax(err, "cannot use \"V\" and decimal point together");
        d->flag |= NF_MULTI;
        break;
    case N_E:
        if (f & NF_EEEE)
            return num_syntax(err, "cannot use \"EEEE\" twice");
        if (f & (NF_BLANK | NF_FILLMODE | NF_LSIGN | NF_BRACKET | NF_MINUS | NF_PLUS | NF_ROMAN |
                 NF_MULTI)) {
            num_syntax(err, "\"EEEE\" is incompatible with other formats");
            err_detail(err,
                       "\"EEEE\" may only be used together with digit and decimal point patterns.");
            return -1;
        }
        d->flag |= NF_EEEE;
        break;
    default:
        break;
    }
    return 0;
}

static int
num_describe(const FmtNode *nodes, NumDesc *d, Err *err)
{
    memset(d, 0, sizeof *d);
    for (const FmtNode *n = nodes; n->type != NODE_END; n++) {
        if (n->type == NODE_ACTION && num_prepare(d, n->key, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- numbers: the processor (NUM_processor, to_char direction) ---------------------------- */

typedef struct NumProc {
    NumDesc *d;
    char sign; /* '+' or '-' */
    bool sign_wrote;
    bool num_in;
    int num_curr, num_count, out_pre_spaces;
    const char *number, *number_p, *last_relevant;
    char *out; /* the output cursor (buffer sized by the caller) */
} NumProc;

static bool
predec_space(const NumProc *p)
{
    return !(p->d->flag & NF_ZERO) && p->number == p->number_p && *p->number == '0' &&
           p->d->post != 0;
}

static void
out_str(NumProc *p, const char *s)
{
    size_t n = strlen(s);

    memcpy(p->out, s, n + 1);
    p->out += n;
}

static void
out_chr(NumProc *p, char c)
{
    *p->out++ = c;
    *p->out = '\0';
}

static void
num_sign_before(NumProc *p)
{
    NumDesc *d = p->d;

    if (p->sign_wrote ||
        !(p->num_curr >= p->out_pre_spaces ||
          ((d->flag & NF_ZERO) && d->zero_start == p->num_curr)) ||
        (predec_space(p) && !(p->last_relevant && *p->last_relevant == '.')))
        return;
    if (d->flag & NF_LSIGN) {
        if (d->lsign == LSIGN_PRE) {
            out_chr(p, p->sign == '-' ? '-' : '+');
            p->sign_wrote = true;
        }
    } else if (d->flag & NF_BRACKET) {
        out_chr(p, p->sign == '+' ? ' ' : '<');
        p->sign_wrote = true;
    } else if (p->sign == '+') {
        if (!(d->flag & NF_FILLMODE))
            out_chr(p, ' ');
        p->sign_wrote = true;
    } else if (p->sign == '-') {
        out_chr(p, '-');
        p->sign_wrote = true;
    }
}

/* NUM_numpart_to_char: one of 9, 0, . or D. */
static void
num_part(NumProc *p, int id)
{
    NumDesc *d = p->d;
    int end;

    if (d->flag & NF_ROMAN)
        return;
    num_sign_before(p);
    /* a group separator is printed only right after a written digit */
    p->num_in = false;
    if (p->num_curr < p->out_pre_spaces && (d->zero_start > p->num_curr || !(d->flag & NF_ZERO))) {
        if (!(d->flag & NF_FILLMODE))
            out_chr(p, ' ');
    } else if ((d->flag & NF_ZERO) && p->num_curr < p->out_pre_spaces &&
               d->zero_start <= p->num_curr) {
        out_chr(p, '0');
        p->num_in = true;
    } else {
        if (*p->number_p == '.') {
            if (!p->last_relevant || *p->last_relevant != '.' || (d->flag & NF_FILLMODE))
                out_chr(p, '.');
        } else if (p->last_relevant && p->number_p > p->last_relevant && id != N_0) {
            /* trailing zeros dropped by FM */
        } else if (predec_space(p)) {
            if (!(d->flag & NF_FILLMODE))
                out_chr(p, ' ');
            else if (p->last_relevant && *p->last_relevant == '.')
                out_chr(p, '0');
        } else {
            out_chr(p, *p->number_p);
            p->num_in = true;
        }
        if (*p->number_p)
            p->number_p++;
    }
    end = p->num_count + (p->out_pre_spaces ? 1 : 0) + ((d->flag & NF_DECIMAL) ? 1 : 0);
    if (p->last_relevant && p->last_relevant == p->number_p)
        end = p->num_curr;
    if (p->num_curr + 1 == end) {
        if (p->sign_wrote && (d->flag & NF_BRACKET))
            out_chr(p, p->sign == '+' ? ' ' : '>');
        else if ((d->flag & NF_LSIGN) && d->lsign == LSIGN_POST)
            out_chr(p, p->sign == '-' ? '-' : '+');
    }
    p->num_curr++;
}

static const char *
last_relevant_digit(const char *num)
{
    const char *p = strchr(num, '.'), *r;

    if (p == NULL)
        return NULL;
    for (r = p; *++p;) {
        if (*p != '0')
            r = p;
    }
    return r;
}

static void
num_setup(NumProc *p, NumDesc *d, const char *number, int pre_spaces, char sign)
{
    memset(p, 0, sizeof *p);
    p->d = d;
    p->number = p->number_p = number;
    if (d->zero_start)
        d->zero_start--;
    if (d->flag & NF_ROMAN) {
        d->lsign = d->pre_lsign_num = d->post = d->pre = 0;
        pre_spaces = 0;
        sign = 0;
        d->flag = NF_ROMAN | (d->flag & NF_FILLMODE);
    }
    p->sign = sign;
    if (d->flag & (NF_PLUS | NF_MINUS)) {
        p->sign_wrote = !((d->flag & NF_PLUS) && !(d->flag & NF_MINUS));
    } else {
        if (p->sign != '-' && (d->flag & NF_FILLMODE))
            d->flag &= ~NF_BRACKET;
        p->sign_wrote = p->sign == '+' && (d->flag & NF_FILLMODE) && !(d->flag & NF_LSIGN);
        if (d->lsign == LSIGN_PRE && d->pre == d->pre_lsign_num)
            d->lsign = LSIGN_POST;
    }
    p->num_count = d->post + d->pre - 1;
    p->out_pre_spaces = pre_spaces;
    if ((d->flag & NF_FILLMODE) && (d->flag & NF_DECIMAL)) {
        p->last_relevant = last_relevant_digit(number);
        if (p->last_relevant && d->zero_end > p->out_pre_spaces) {
            int pos = (int)strlen(number) - 1;

            if (d->zero_end - p->out_pre_spaces < pos)
                pos = d->zero_end - p->out_pre_spaces;
            if (p->last_relevant < number + pos)
                p->last_relevant = number + pos;
        }
    }
    if (!p->sign_wrote && p->out_pre_spaces == 0)
        p->num_count++;
}

/* Runs the format over number (digits and '.', no sign) into out. */
static int
num_run(const FmtNode *nodes, NumDesc *d, const char *number, int pre_spaces, char sign, char *out,
        Err *err)
{
    NumProc p;
    const FmtNode *n;
    char *s;

    *out = '\0';
    if (d->flag & NF_EEEE) {
        memcpy(out, number, strlen(number) + 1);
        return 0;
    }
    num_setup(&p, d, number, pre_spaces, sign);
    p.out = out;
    for (n = nodes; n->type != NODE_END; n++) {
        if (n->type != NODE_ACTION) {
            out_str(&p, n->chr);
            continue;
        }
        switch (n->key) {
        case N_9:
        case N_0:
        case N_DEC:
        case N_D:
            num_part(&p, n->key);
            break;
        case N_COMMA:
        case N_G:
            if (p.num_in)
                out_chr(&p, ',');
            else if (!(d->flag & NF_FILLMODE))
                out_chr(&p, ' ');
            break;
        case N_L:
            out_chr(&p, ' ');
            break;
        case N_RN:
        case N_rn:
            if (d->flag & NF_FILLMODE)
                out_str(&p, number);
            else {
                char buf[32];

                snprintf(buf, sizeof buf, "%15s", number);
                out_str(&p, buf);
            }
            if (n->key == N_rn)
                for (s = p.out - strlen(number); *s; s++)
                    *s = (char)tolower((unsigned char)*s);
            break;
        case N_th:
        case N_TH:
            if ((d->flag & NF_ROMAN) || *number == '#' || p.sign == '-' || (d->flag & NF_DECIMAL))
                break;
            if (!isdigit((unsigned char)number[strlen(number) - 1]))
                return ERR_RAISE(err, ERRCODE_INVALID_TEXT_REPRESENTATION, "\"%s\" is not a number",
                                 number);
            out_str(&p, tochar_ordinal(number, n->key == N_TH));
            break;
        case N_MI:
            if (p.sign == '-')
                out_chr(&p, '-');
            else if (!(d->flag & NF_FILLMODE))
                out_chr(&p, ' ');
            break;
        case N_PL:
            if (p.sign == '+')
                out_chr(&p, '+');
            else if (!(d->flag & NF_FILLMODE))
                out_chr(&p, ' ');
            break;
        case N_SG:
            out_chr(&p, p.sign);
            break;
        default:
            break;
        }
    }
    return 0;
}

/* ---- numbers: the entry points ----------------------------------------------------------- */

/* int_to_roman: 1..3999, else 15 '#'. */
static void
to_roman(int64_t v, char out[32])
{
    static const char *const ones[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
    static const char *const tens[] = {"X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"};
    static const char *const hundreds[] = {"C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"};
    int n = (int)v;
    size_t len = 0;

    if (v > 3999 || v < 1) {
        memset(out, '#', 15);
        out[15] = '\0';
        return;
    }
    for (; n >= 1000; n -= 1000)
        out[len++] = 'M';
    out[len] = '\0';
    if (n >= 100)
        len += (size_t)snprintf(out + len, 32 - len, "%s", hundreds[n / 100 - 1]);
    n %= 100;
    if (n >= 10)
        len += (size_t)snprintf(out + len, 32 - len, "%s", tens[n / 10 - 1]);
    n %= 10;
    if (n >= 1)
        snprintf(out + len, 32 - len, "%s", ones[n - 1]);
}

/*
 * The digits of a value (no sign), rounded to d->post fraction digits:
 * returns the text and sets *pre_spaces; an integer part longer than the
 * format's becomes '#' fill, as PostgreSQL.
 */
static char *
fit_digits(Arena *a, const NumDesc *d, char *digits, int *pre_spaces)
{
    const char *dot = strchr(digits, '.');
    int pre_len = dot ? (int)(dot - digits) : (int)strlen(digits);
    char *s;

    *pre_spaces = 0;
    if (pre_len < d->pre) {
        *pre_spaces = d->pre - pre_len;
        return digits;
    }
    if (pre_len == d->pre)
        return digits;
    s = arena_alloc(a, (size_t)(d->pre + d->post + 2));
    memset(s, '#', (size_t)(d->pre + d->post + 1));
    s[d->pre + d->post + 1] = '\0';
    s[d->pre] = '.';
    return s;
}

/* The common tail: format nodes over number, into a text Datum. */
static int
num_finish(const FnCall *call, const FmtNode *nodes, NumDesc *d, const char *number, int pre_spaces,
           char sign, Datum *result, Err *err)
{
    size_t cap = (strlen(datum_get_var(call->args[1])->data) + 1) * 16 + strlen(number) + 64;
    char *out = arena_alloc(call->ctx->arena, cap);

    if (num_run(nodes, d, number, pre_spaces, sign, out, err) < 0)
        return -1;
    *result = datum_from_cstr(call->ctx->arena, out);
    return 0;
}

/* Parses the format; false with *result = '' for an empty one. */
static int
num_begin(const FnCall *call, const FmtNode **nodes, NumDesc *d, Datum *result, Err *err)
{
    const VarData *fmt = datum_get_var(call->args[1]);

    if (fmt->len == 0) {
        *result = datum_from_cstr(call->ctx->arena, "");
        return 0;
    }
    *nodes = tochar_parse_format(call->ctx->arena, fmt->data, false);
    if (num_describe(*nodes, d, err) < 0)
        return -1;
    return 1;
}

/*
 * numeric_out_sci: d.ddd…e±XX with `scale` digits after the point. As in
 * PostgreSQL the exponent is fixed before rounding, so 9.995 with scale 2
 * gives "10.00e+00".
 */
static char *
numeric_sci(Arena *a, Datum v, int scale)
{
    const char *txt = numeric_to_cstr(a, v), *p;
    size_t cap = strlen(txt) + (size_t)scale + 32;
    char *digits = arena_alloc(a, cap + 1), *out = arena_alloc(a, cap);
    bool neg = *txt == '-', seen_point = false, carry = false;
    int nd = 0, exp = 0, intdigits = 0, lead_zeros = 0, o = 0, i;

    if (numeric_is_special(v))
        return arena_strdup(a, txt);
    /* digits[] holds the significant digits; exp is the first one's power of ten */
    for (p = txt + (neg ? 1 : 0); *p; p++) {
        if (*p == '.') {
            seen_point = true;
            continue;
        }
        if (!seen_point)
            intdigits++;
        if (nd == 0 && *p == '0') {
            if (seen_point)
                lead_zeros++;
            continue;
        }
        digits[nd++] = *p;
    }
    if (nd == 0)
        exp = 0;
    else if (txt[neg ? 1 : 0] != '0')
        exp = intdigits - 1;
    else
        exp = -(lead_zeros + 1);
    while (nd < scale + 2)
        digits[nd++] = '0';
    if (digits[scale + 1] >= '5') {
        for (i = scale; i >= 0 && digits[i] == '9'; i--)
            digits[i] = '0';
        if (i >= 0)
            digits[i]++;
        else
            carry = true;
    }
    if (neg)
        out[o++] = '-';
    if (carry)
        out[o++] = '1';
    out[o++] = digits[0];
    if (scale > 0) {
        out[o++] = '.';
        memcpy(out + o, digits + 1, (size_t)scale);
        o += scale;
    }
    snprintf(out + o, cap - (size_t)o, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    return out;
}

/* Integers: int4 and int8 (sign-extended Datums). */
static int
int_to_char(const FnCall *call, Datum *result, Err *err, bool is_int8)
{
    int64_t v = datum_get_int64(call->args[0]);
    const FmtNode *nodes;
    NumDesc d;
    char buf[64], *num;
    int rc = num_begin(call, &nodes, &d, result, err), pre_spaces = 0;
    char sign = '+';

    if (rc <= 0)
        return rc;
    if (d.flag & NF_ROMAN) {
        to_roman(v, buf);
        num = buf;
    } else if ((d.flag & NF_EEEE) && is_int8) {
        /* bigint goes through numeric (exact digits, numeric's rounding) */
        num = numeric_sci(call->ctx->arena, numeric_from_int64(call->ctx->arena, v), d.post);
        if (*num != '-') {
            char *t = arena_alloc(call->ctx->arena, strlen(num) + 2);

            t[0] = ' ';
            memcpy(t + 1, num, strlen(num) + 1);
            num = t;
        }
    } else if (d.flag & NF_EEEE) {
        snprintf(buf, sizeof buf, "%+.*e", d.post, (double)v);
        if (buf[0] == '+')
            buf[0] = ' ';
        num = buf;
    } else {
        if (d.flag & NF_MULTI) {
            int64_t m = (int64_t)pow(10.0, d.multi);

            /* the product wraps as PostgreSQL's int arithmetic does */
            v = is_int8 ? (int64_t)((uint64_t)v * (uint64_t)m)
                        : (int64_t)(int32_t)(uint32_t)((uint64_t)v * (uint64_t)m);
            d.pre += d.multi;
        }
        if (v < 0) {
            sign = '-';
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)(-(uint64_t)v));
        } else
            snprintf(buf, sizeof buf, "%lld", (long long)v);
        num = buf;
        if (d.post > 0) {
            size_t l = strlen(buf);

            num = arena_alloc(call->ctx->arena, l + (size_t)d.post + 2);
            memcpy(num, buf, l);
            num[l] = '.';
            memset(num + l + 1, '0', (size_t)d.post);
            num[l + 1 + (size_t)d.post] = '\0';
        }
        num = fit_digits(call->ctx->arena, &d, num, &pre_spaces);
    }
    return num_finish(call, nodes, &d, num, pre_spaces, sign, result, err);
}

BUILTIN(fn_to_char_int4)
{
    (void)isnull;
    return int_to_char(call, result, err, false);
}

BUILTIN(fn_to_char_int8)
{
    (void)isnull;
    return int_to_char(call, result, err, true);
}

/* "%.*f" as PostgreSQL's own snprintf prints it (NaN, Infinity, -Infinity). */
static char *
float_fixed(Arena *a, double v, int digits)
{
    char buf[512];

    if (isnan(v))
        return arena_strdup(a, "NaN");
    if (isinf(v))
        return arena_strdup(a, v < 0 ? "-Infinity" : "Infinity");
    snprintf(buf, sizeof buf, "%.*f", digits, v);
    return arena_strdup(a, buf);
}

/*
 * float8 and float4: the digits come from printf with at most DBL_DIG (15)
 * or FLT_DIG (6) significant digits before fraction digits are dropped.
 */
static int
float_to_char(const FnCall *call, double v, bool is_float4, Datum *result, Err *err)
{
    int max_digits = is_float4 ? FLT_DIG : DBL_DIG;
    Arena *a = call->ctx->arena;
    const FmtNode *nodes;
    NumDesc d;
    char buf[512], *num;
    int rc = num_begin(call, &nodes, &d, result, err), pre_spaces = 0, pre_len;
    char sign = '+';

    if (rc <= 0)
        return rc;
    if (d.flag & NF_ROMAN) {
        to_roman((int64_t)rint(v), buf);
        num = buf;
    } else if (d.flag & NF_EEEE) {
        if (isnan(v) || isinf(v)) {
            num = arena_alloc(a, (size_t)(d.pre + d.post + 7));
            memset(num, '#', (size_t)(d.pre + d.post + 6));
            num[d.pre + d.post + 6] = '\0';
            num[0] = ' ';
            num[d.pre + 1] = '.';
        } else {
            snprintf(buf, sizeof buf, "%+.*e", d.post, v);
            if (buf[0] == '+')
                buf[0] = ' ';
            num = buf;
        }
    } else {
        if (d.flag & NF_MULTI) {
            if (is_float4)
                v = (double)((float)v * (float)pow(10.0, d.multi));
            else
                v *= pow(10.0, d.multi);
            d.pre += d.multi;
        }
        pre_len = (int)strlen(float_fixed(a, fabs(v), 0));
        if (pre_len >= max_digits)
            d.post = 0;
        else if (pre_len + d.post > max_digits)
            d.post = max_digits - pre_len;
        num = float_fixed(a, v, d.post);
        if (*num == '-') {
            sign = '-';
            num++;
        }
        num = fit_digits(a, &d, num, &pre_spaces);
    }
    return num_finish(call, nodes, &d, num, pre_spaces, sign, result, err);
}

BUILTIN(fn_to_char_float8)
{
    (void)isnull;
    return float_to_char(call, datum_get_float8(call->args[0]), false, result, err);
}

BUILTIN(fn_to_char_float4)
{
    (void)isnull;
    return float_to_char(call, (double)datum_get_float4(call->args[0]), true, result, err);
}

BUILTIN(fn_to_char_numeric)
{
    Datum v = call->args[0], x;
    Arena *a = call->ctx->arena;
    const FmtNode *nodes;
    NumDesc d;
    char buf[32], *num;
    int rc = num_begin(call, &nodes, &d, result, err), pre_spaces = 0;
    char sign = '+';
    int64_t iv;

    (void)isnull;
    if (rc <= 0)
        return rc;
    if (d.flag & NF_ROMAN) {
        if (numeric_round(a, v, 0, &x, err) < 0 ||
            numeric_to_int(x, INT32_MIN, INT32_MAX, "integer", &iv, err) < 0)
            return -1;
        to_roman(iv, buf);
        num = buf;
    } else if (d.flag & NF_EEEE) {
        num = numeric_sci(a, v, d.post);
        if (numeric_is_special(v)) {
            num = arena_alloc(a, (size_t)(d.pre + d.post + 7));
            memset(num, '#', (size_t)(d.pre + d.post + 6));
            num[d.pre + d.post + 6] = '\0';
            num[0] = ' ';
            num[d.pre + 1] = '.';
        } else if (*num != '-') {
            char *t = arena_alloc(a, strlen(num) + 2);

            t[0] = ' ';
            memcpy(t + 1, num, strlen(num) + 1);
            num = t;
        }
    } else {
        if (d.flag & NF_MULTI) {
            Datum p;

            if (numeric_power(a, numeric_from_int64(a, 10), numeric_from_int64(a, d.multi), &p,
                              err) < 0 ||
                numeric_mul(a, v, p, &v, err) < 0)
                return -1;
            d.pre += d.multi;
        }
        if (numeric_round(a, v, d.post, &x, err) < 0)
            return -1;
        num = numeric_to_cstr(a, x);
        if (*num == '-') {
            sign = '-';
            num++;
        }
        num = fit_digits(a, &d, num, &pre_spaces);
    }
    return num_finish(call, nodes, &d, num, pre_spaces, sign, result, err);
}

/* ---- to_number: the processor in the reading direction ----------------------------------------
 */

typedef struct NumReader {
    NumDesc *d;
    const char *in, *p, *end; /* the input text and cursor */
    char *number, *number_p;  /* number[0] is the sign (' ', '+', '-'), then digits */
    bool num_in, read_dec;
    int read_pre, read_post;
} NumReader;

static bool
at_end(const NumReader *r)
{
    return r->p >= r->end;
}

static bool
fits(const NumReader *r, size_t n)
{
    return r->p <= r->end - n;
}

/* NUM_eat_non_data_chars: skips up to n characters that cannot be part of the number. */
static void
eat_non_data(NumReader *r, int n)
{
    while (n-- > 0 && !at_end(r) && strchr("0123456789.,+-", *r->p) == NULL)
        r->p += tochar_char_len(r->p);
}

/* NUM_numpart_from_char: one 9, 0, . or D reads a sign, a digit or the point. */
static void
num_read_part(NumReader *r, int id)
{
    NumDesc *d = r->d;
    bool isread = false;

    if (at_end(r))
        return;
    if (*r->p == ' ')
        r->p++;
    if (at_end(r))
        return;
    /* a sign before the first digit */
    if (*r->number == ' ' && (id == N_0 || id == N_9) && r->read_pre + r->read_post == 0) {
        if ((d->flag & NF_LSIGN) && d->lsign == LSIGN_PRE) {
            if (*r->p == '-' || *r->p == '+')
                *r->number = *r->p++;
        } else if (*r->p == '-' || ((d->flag & NF_BRACKET) && *r->p == '<')) {
            *r->number = '-';
            r->p++;
        } else if (*r->p == '+') {
            *r->number = '+';
            r->p++;
        }
    }
    if (at_end(r))
        return;
    if (isdigit((unsigned char)*r->p)) {
        if (r->read_dec && r->read_post == d->post)
            return;
        *r->number_p++ = *r->p;
        if (r->read_dec)
            r->read_post++;
        else
            r->read_pre++;
        isread = true;
    } else if ((d->flag & NF_DECIMAL) && !r->read_dec && *r->p == '.') {
        *r->number_p++ = '.';
        r->read_dec = true;
        isread = true;
    }
    if (at_end(r) || *r->number != ' ' || r->read_pre + r->read_post == 0)
        return;
    /* a sign right after the last digit */
    if ((d->flag & NF_LSIGN) && isread && r->p + 1 < r->end && !isdigit((unsigned char)r->p[1])) {
        if (r->p[1] == '-' || r->p[1] == '+')
            *r->number = *++r->p;
    } else if (!isread && !(d->flag & NF_LSIGN) && (d->flag & (NF_PLUS | NF_MINUS))) {
        if (*r->p == '-' || *r->p == '+')
            *r->number = *r->p;
    }
}

/* Runs the format over the input; false: the node consumed no input character. */
static bool
num_read_node(NumReader *r, const FmtNode *n)
{
    NumDesc *d = r->d;

    if (n->type != NODE_ACTION) {
        /* a literal skips one input character, whatever it is */
        r->p += tochar_char_len(r->p);
        return false;
    }
    switch (n->key) {
    case N_9:
    case N_0:
    case N_DEC:
    case N_D:
        num_read_part(r, n->key);
        return true;
    case N_COMMA:
        /* a separator in the format skips a comma in the input, nothing else */
        if (!r->num_in && (d->flag & NF_FILLMODE))
            return false;
        return *r->p == ',';
    case N_G:
        if (!r->num_in && (d->flag & NF_FILLMODE))
            return false;
        return fits(r, 1) && *r->p == ',';
    case N_L:
        /* a currency symbol ("$", any one non-data character) is skipped if present */
        eat_non_data(r, 1);
        return false;
    case N_th:
    case N_TH:
        if (!(d->flag & NF_DECIMAL))
            eat_non_data(r, 2);
        return false;
    case N_MI:
    case N_PL:
    case N_SG:
        if ((*r->p == '-' && n->key != N_PL) || (*r->p == '+' && n->key != N_MI)) {
            *r->number = *r->p;
            return true;
        }
        eat_non_data(r, 1);
        return false;
    default:
        return false;
    }
}

BUILTIN(fn_to_number)
{
    const VarData *in = datum_get_var(call->args[0]);
    const VarData *fmt = datum_get_var(call->args[1]);
    Arena *a = call->ctx->arena;
    const FmtNode *nodes;
    NumDesc d;
    NumReader r;
    Datum num, scaled;
    int precision;

    if (fmt->len == 0) {
        *isnull = true;
        return 0;
    }
    nodes = tochar_parse_format(a, fmt->data, false);
    if (num_describe(nodes, &d, err) < 0)
        return -1;
    if (d.flag & NF_EEEE)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "\"EEEE\" not supported for input");
    if (d.flag & NF_ROMAN)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "\"RN\" not supported for input");
    memset(&r, 0, sizeof r);
    r.d = &d;
    r.in = r.p = in->data;
    r.end = in->data + in->len;
    r.number = arena_alloc(a, (size_t)fmt->len * 2 + 3);
    r.number[0] = ' ';
    r.number_p = r.number + 1;
    for (const FmtNode *n = nodes; n->type != NODE_END && !at_end(&r); n++) {
        if (num_read_node(&r, n))
            r.p++;
    }
    if (r.number_p[-1] == '.')
        r.number_p--;
    *r.number_p = '\0';
    d.post = r.read_post;
    precision = d.pre + d.multi + d.post;
    if (numeric_parse(a, r.number, strlen(r.number), &num, err) < 0 ||
        numeric_apply_typmod(a, num, numeric_make_typmod(precision, d.post), &num, err) < 0)
        return -1;
    if (d.flag & NF_MULTI) {
        if (numeric_power(a, numeric_from_int64(a, 10), numeric_from_int64(a, -d.multi), &scaled,
                          err) < 0 ||
            numeric_mul(a, num, scaled, &num, err) < 0)
            return -1;
    }
    *result = num;
    return 0;
}
