/*
 * sql/regex_translate.c — PostgreSQL's Advanced Regular Expressions (ARE)
 * translated into the POSIX ERE glibc's engine runs (see sql/regex.c for the
 * model).
 *
 *   - class escapes \d \s \w \D \S \W and [:classes:] become explicit ASCII
 *     sets, and case-insensitive matching is done here ([aA]) instead of by
 *     REG_ICASE: PostgreSQL's C locale knows no letters, digits or case
 *     above ASCII, glibc's C.UTF-8 does;
 *   - constraint escapes \m \M \y \Y \A \Z, character escapes (\n \t \e),
 *     the directors ***= and ***:, embedded options (?inxq...), the 'x'
 *     flag's whitespace and comments;
 *   - bracket metacharacters escaped inside brackets become collating
 *     symbols ([.].]); ranges with non-ASCII ends are listed code point by
 *     code point (glibc has no collation order for them in C.UTF-8).
 *
 * Invariants:
 *   1. A construct ERE cannot express exactly is refused (0A000), never
 *      approximated — except where only "does it match" is asked
 *      (RE_MATCH_ONLY): there non-greedy quantifiers are their greedy forms
 *      and (?:...) a plain group, which cannot change the answer.
 *   2. ARE syntax errors that ERE would accept are 2201B with PostgreSQL's
 *      wording.
 */
#include <stdint.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/func_string.h"
#include "sql/regex_int.h"

static int
bad_re(Err *err, const char *what)
{
    return ERR_RAISE(err, ERRCODE_INVALID_REGULAR_EXPRESSION, "invalid regular expression: %s",
                     what);
}

static int
unsupported(Err *err, const char *what)
{
    return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                     "regular expression feature %s is not supported yet", what);
}

static bool
is_quant(char c)
{
    return c == '*' || c == '+' || c == '?' || c == '{';
}

static bool
is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
other_case(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : (char)(c - 'A' + 'a');
}

/* Translation state: the flags that change how the pattern reads. */
typedef struct Tr {
    bool match_only; /* only "does it match" is asked: greediness and groups cannot matter */
    bool icase;      /* fold ASCII letters (done here, not by REG_ICASE: C-locale semantics) */
    bool expanded;   /* 'x': whitespace and #-comments are not part of the pattern */
    bool newline;    /* 'n': newline-sensitive (REG_NEWLINE) */
    bool literal;    /* 'q' or ***=: the pattern is a literal string */
} Tr;

/*
 * The ASCII members of a character class, as bracket-expression text (PostgreSQL's C locale:
 * no character above 127 belongs to any class). NULL for an unknown class name.
 */
static const char *
class_members(const char *name, size_t n, bool icase)
{
    static const struct {
        const char *name;
        const char *members;
        const char *members_icase;
    } classes[] = {
        {"alpha", "a-zA-Z", NULL},     {"digit", "0-9", NULL},
        {"alnum", "a-zA-Z0-9", NULL},  {"upper", "A-Z", "a-zA-Z"},
        {"lower", "a-z", "a-zA-Z"},    {"space", " \t\n\r\f\v", NULL},
        {"blank", " \t", NULL},        {"punct", "!-/:-@[.[.]-`{-~", NULL},
        {"xdigit", "0-9a-fA-F", NULL}, {"cntrl", "\001-\037\177", NULL},
        {"print", " -~", NULL},        {"graph", "!-~", NULL},
    };

    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (strlen(classes[i].name) == n && memcmp(classes[i].name, name, n) == 0)
            return icase && classes[i].members_icase ? classes[i].members_icase
                                                     : classes[i].members;
    }
    return NULL;
}

/* One literal character inside a bracket: the bracket metacharacters as collating symbols. */
static void
bracket_char(const char *c, size_t m, Buf *out)
{
    if (m == 1 && (*c == ']' || *c == '-' || *c == '^' || *c == '[')) {
        buf_put_str(out, "[.");
        buf_put_u8(out, (uint8_t)*c);
        buf_put_str(out, ".]");
    } else {
        buf_append(out, c, m);
    }
}

static uint32_t
decode_utf8(const char *c, size_t m)
{
    uint32_t v = m == 1 ? (unsigned char)c[0] : (unsigned char)c[0] & (0x7f >> m);

    for (size_t k = 1; k < m; k++)
        v = (v << 6) | ((unsigned char)c[k] & 0x3f);
    return v;
}

static void
put_utf8(uint32_t v, Buf *out)
{
    if (v < 0x80) {
        char c = (char)v;

        bracket_char(&c, 1, out);
    } else if (v < 0x800) {
        buf_put_u8(out, (uint8_t)(0xc0 | (v >> 6)));
        buf_put_u8(out, (uint8_t)(0x80 | (v & 0x3f)));
    } else if (v < 0x10000) {
        buf_put_u8(out, (uint8_t)(0xe0 | (v >> 12)));
        buf_put_u8(out, (uint8_t)(0x80 | ((v >> 6) & 0x3f)));
        buf_put_u8(out, (uint8_t)(0x80 | (v & 0x3f)));
    } else {
        buf_put_u8(out, (uint8_t)(0xf0 | (v >> 18)));
        buf_put_u8(out, (uint8_t)(0x80 | ((v >> 12) & 0x3f)));
        buf_put_u8(out, (uint8_t)(0x80 | ((v >> 6) & 0x3f)));
        buf_put_u8(out, (uint8_t)(0x80 | (v & 0x3f)));
    }
}

/* A range with a non-ASCII end, as the list of its code points (at most 4096 of them). */
static int
range_members(const char *c, size_t m, const char *d, size_t dm, Buf *out, Err *err)
{
    uint32_t lo = decode_utf8(c, m), hi = decode_utf8(d, dm);

    if (lo > hi)
        return bad_re(err, "invalid character range");
    if (hi - lo > 4096)
        return unsupported(err, "\"wide non-ASCII character range\"");
    for (uint32_t v = lo; v <= hi; v++) {
        if (v < 0xd800 || v > 0xdfff)
            put_utf8(v, out);
    }
    return 0;
}

/*
 * Reads one bracket item at p[*j]: a character (escaped or not) into *c / *m, or a class
 * shorthand (\d \s \w) whose members are appended directly (then *m = 0).
 */
static int
bracket_atom(const char *p, size_t n, size_t *j, const Tr *tr, const char **c, size_t *m, Buf *out,
             Err *err)
{
    static const char ctl[] = "\n\t\r\f\v\a\033\b";
    static const char ctl_names[] = "ntrfvaeb";

    if (p[*j] != '\\') {
        *c = p + *j;
        *m = (size_t)utf8_len((unsigned char)p[*j]);
        if (*m > n - *j)
            *m = n - *j;
        *j += *m;
        return 0;
    }
    if (*j + 1 >= n)
        return bad_re(err, "brackets [] not balanced");
    *j += 2;
    switch (p[*j - 1]) {
    case 'd':
        buf_put_str(out, class_members("digit", 5, tr->icase));
        *m = 0;
        return 0;
    case 's':
        buf_put_str(out, class_members("space", 5, tr->icase));
        *m = 0;
        return 0;
    case 'w':
        buf_put_str(out, "a-zA-Z0-9_");
        *m = 0;
        return 0;
    case 'D':
    case 'S':
    case 'W':
        return unsupported(err, "\"negated class escape inside brackets\"");
    default:
        break;
    }
    for (size_t k = 0; ctl_names[k] != '\0'; k++) {
        if (p[*j - 1] == ctl_names[k]) {
            *c = ctl + k;
            *m = 1;
            return 0;
        }
    }
    if ((p[*j - 1] >= 'a' && p[*j - 1] <= 'z') || (p[*j - 1] >= 'A' && p[*j - 1] <= 'Z') ||
        (p[*j - 1] >= '0' && p[*j - 1] <= '9'))
        return bad_re(err, "invalid escape \\ sequence");
    *c = p + *j - 1;
    *m = (size_t)utf8_len((unsigned char)**c);
    if (*m > n - (*j - 1))
        *m = n - (*j - 1);
    *j += *m - 1;
    return 0;
}

/* A bracket expression starting at p[i] == '[', item by item; *next is the index after it. */
static int
copy_bracket(const char *p, size_t n, size_t i, const Tr *tr, Buf *out, size_t *next, Err *err)
{
    size_t j = i + 1;
    bool first = true;

    buf_put_u8(out, '[');
    if (j < n && p[j] == '^')
        buf_put_u8(out, (uint8_t)p[j++]);
    while (j < n && (p[j] != ']' || first)) {
        const char *c = NULL, *d = NULL;
        size_t m = 0, dm = 0;

        first = false;
        if (p[j] == '[' && j + 1 < n && (p[j + 1] == ':' || p[j + 1] == '.' || p[j + 1] == '=')) {
            char kind = p[j + 1];
            size_t k = j + 2;

            while (k + 1 < n && !(p[k] == kind && p[k + 1] == ']'))
                k++;
            if (k + 1 >= n)
                return bad_re(err, "brackets [] not balanced");
            if (kind == ':') {
                const char *members = class_members(p + j + 2, k - (j + 2), tr->icase);

                if (members == NULL)
                    return bad_re(err, "invalid character class");
                buf_put_str(out, members);
            } else {
                buf_append(out, p + j, k + 2 - j);
            }
            j = k + 2;
            continue;
        }
        if (bracket_atom(p, n, &j, tr, &c, &m, out, err) < 0)
            return -1;
        if (m == 0)
            continue;
        if (j + 1 < n && p[j] == '-' && p[j + 1] != ']') {
            j++;
            if (bracket_atom(p, n, &j, tr, &d, &dm, out, err) < 0)
                return -1;
            if (dm == 0)
                return bad_re(err, "invalid character range");
            if (m == 1 && dm == 1 && (unsigned char)*c > (unsigned char)*d)
                return bad_re(err, "invalid character range");
            if (m > 1 || dm > 1) {
                /* glibc has no collation order for non-ASCII range ends: list the code points */
                if (range_members(c, m, d, dm, out, err) < 0)
                    return -1;
                continue;
            }
            bracket_char(c, m, out);
            buf_put_u8(out, '-');
            bracket_char(d, dm, out);
            /* the other case of an all-lower or all-upper ASCII letter range */
            if (tr->icase && m == 1 && dm == 1 && is_ascii_letter(*c) && is_ascii_letter(*d) &&
                ((*c >= 'a') == (*d >= 'a'))) {
                char lo = other_case(*c), hi = other_case(*d);

                buf_put_u8(out, (uint8_t)lo);
                buf_put_u8(out, '-');
                buf_put_u8(out, (uint8_t)hi);
            }
            continue;
        }
        bracket_char(c, m, out);
        if (tr->icase && m == 1 && is_ascii_letter(*c))
            buf_put_u8(out, (uint8_t)other_case(*c));
    }
    if (j >= n)
        return bad_re(err, "brackets [] not balanced");
    buf_put_u8(out, ']');
    *next = j + 1;
    return 0;
}

/* One escape outside brackets; *atom tells whether a quantifier may follow what it produced. */
static int
escape(char c, Buf *out, bool *atom, Err *err)
{
    static const struct {
        char c;
        const char *ere;
        bool atom;
    } map[] = {
        {'d', "[0-9]", true},
        {'D', "[^0-9]", true},
        {'s', "[ \t\n\r\f\v]", true},
        {'S', "[^ \t\n\r\f\v]", true},
        {'w', "[a-zA-Z0-9_]", true},
        {'W', "[^a-zA-Z0-9_]", true},
        {'m', "\\<", false},
        {'M', "\\>", false},
        {'y', "\\b", false},
        {'Y', "\\B", false},
        {'A', "^", false},
        {'Z', "$", false},
        {'n', "\n", true},
        {'t', "\t", true},
        {'r', "\r", true},
        {'f', "\f", true},
        {'v', "\v", true},
        {'a', "\a", true},
        {'e', "\033", true},
        {'b', "\b", true},
    };

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (map[i].c == c) {
            buf_put_str(out, map[i].ere);
            *atom = map[i].atom;
            return 0;
        }
    }
    if (c >= '1' && c <= '9') {
        buf_put_u8(out, '\\');
        buf_put_u8(out, (uint8_t)c);
        *atom = true;
        return 0;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '0')
        return c == 'x' || c == 'u' || c == 'U' || c == 'c' || c == '0'
                   ? unsupported(err, "\"numeric character escape\"")
                   : bad_re(err, "invalid escape \\ sequence");
    buf_put_u8(out, '\\');
    buf_put_u8(out, (uint8_t)c);
    *atom = true;
    return 0;
}

/* A quantifier at p[*i]; checks what precedes it (ARE rules). */
static int
quantifier(const char *p, size_t n, size_t *i, const Tr *tr, bool atom, bool *quant, Buf *out,
           Err *err)
{
    char c = p[*i];

    if (*quant && c == '?') {
        if (!tr->match_only)
            return unsupported(err, "\"non-greedy quantifier\"");
        (*i)++; /* *? +? ?? {m,n}? match the same strings as their greedy forms */
        return 0;
    }
    if (!atom || *quant)
        return bad_re(err, "quantifier operand invalid");
    if (c == '{') {
        const char *close = memchr(p + *i, '}', n - *i);

        if (close == NULL)
            return bad_re(err, "braces {} not balanced");
        buf_append(out, p + *i, (size_t)(close - (p + *i)) + 1);
        *i = (size_t)(close - p) + 1;
    } else {
        buf_put_u8(out, (uint8_t)c);
        (*i)++;
    }
    *quant = true;
    return 0;
}

/* A literal pattern (***= or the q option): every character stands for itself. */
static void
translate_literal(const char *p, size_t n, const Tr *tr, Buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];

        if (strchr(".[]()*+?{}|^$\\", c) != NULL) {
            buf_put_u8(out, '\\');
            buf_put_u8(out, (uint8_t)c);
        } else if (tr->icase && is_ascii_letter(c)) {
            buf_put_u8(out, '[');
            buf_put_u8(out, (uint8_t)c);
            buf_put_u8(out, (uint8_t)other_case(c));
            buf_put_u8(out, ']');
        } else {
            buf_put_u8(out, (uint8_t)c);
        }
    }
}

/*
 * The ARE director prefixes: ***= (literal), ***: (ARE), then embedded options (?flags) at
 * the very start. Returns the number of bytes consumed, -1 on error.
 */
static int
directors(const char *p, size_t n, Tr *tr, Err *err)
{
    size_t i = 0;

    if (n >= 4 && memcmp(p, "***=", 4) == 0) {
        tr->literal = true;
        return 4;
    }
    if (n >= 4 && memcmp(p, "***:", 4) == 0)
        i = 4;
    if (n - i >= 2 && p[i] == '(' && p[i + 1] == '?' && i + 2 < n && is_ascii_letter(p[i + 2])) {
        for (i += 2; i < n && p[i] != ')'; i++) {
            switch (p[i]) {
            case 'i':
                tr->icase = true;
                break;
            case 'c':
                tr->icase = false;
                break;
            case 'n':
            case 'm':
                tr->newline = true;
                break;
            case 's':
                tr->newline = false;
                break;
            case 'x':
                tr->expanded = true;
                break;
            case 't':
                tr->expanded = false;
                break;
            case 'q':
                tr->literal = true;
                break;
            case 'b':
            case 'e':
            case 'p':
            case 'w':
                return unsupported(err, "\"embedded option\"");
            default:
                return bad_re(err, "invalid embedded option");
            }
        }
        if (i >= n)
            return bad_re(err, "invalid embedded option");
        i++;
    }
    return (int)i;
}

static int
translate(const char *p, size_t n, const Tr *tr, Buf *out, Err *err)
{
    bool atom = false;  /* something a quantifier may apply to precedes */
    bool quant = false; /* the previous item was a quantifier */

    for (size_t i = 0; i < n;) {
        char c = p[i];

        if (tr->expanded &&
            (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')) {
            i++;
            continue;
        }
        if (tr->expanded && c == '#') {
            while (i < n && p[i] != '\n')
                i++;
            continue;
        }
        if (is_quant(c)) {
            if (quantifier(p, n, &i, tr, atom, &quant, out, err) < 0)
                return -1;
            continue;
        }
        quant = false;
        if (c == '\\') {
            if (i + 1 >= n)
                return bad_re(err, "invalid escape \\ sequence");
            if (escape(p[i + 1], out, &atom, err) < 0)
                return -1;
            i += 2;
        } else if (c == '[') {
            if (copy_bracket(p, n, i, tr, out, &i, err) < 0)
                return -1;
            atom = true;
        } else if (c == '(' && i + 2 < n && p[i + 1] == '?' && p[i + 2] == ':' && tr->match_only) {
            buf_put_u8(out, '('); /* group numbers cannot matter when only matching */
            atom = false;
            i += 3;
        } else if (c == '(' && i + 1 < n && p[i + 1] == '?') {
            /* lookaround and (?:) are ARE features; anything else is a quantifier on "(" */
            if (i + 2 < n && strchr(":=!<", p[i + 2]) != NULL)
                return unsupported(err, p[i + 2] == ':' ? "\"(?:\"" : "\"lookaround\"");
            return bad_re(err, "quantifier operand invalid");
        } else if (tr->icase && is_ascii_letter(c)) {
            buf_put_u8(out, '[');
            buf_put_u8(out, (uint8_t)c);
            buf_put_u8(out, (uint8_t)other_case(c));
            buf_put_u8(out, ']');
            atom = true;
            i++;
        } else {
            buf_put_u8(out, (uint8_t)c);
            atom = c != '(' && c != '|' && c != '^';
            i++;
        }
    }
    return 0;
}

int
regex_to_ere(const char *p, size_t n, int cflags, Buf *out, bool *newline, Err *err)
{
    Tr tr;
    int skip;

    tr.match_only = (cflags & RE_MATCH_ONLY) != 0;
    tr.icase = (cflags & REG_ICASE) != 0;
    tr.expanded = (cflags & RE_EXPANDED) != 0;
    tr.newline = (cflags & REG_NEWLINE) != 0;
    tr.literal = (cflags & RE_LITERAL) != 0;
    skip = directors(p, n, &tr, err);
    if (skip < 0)
        return -1;
    *newline = tr.newline;
    if (tr.literal) {
        translate_literal(p + skip, n - (size_t)skip, &tr, out);
        return 0;
    }
    return translate(p + skip, n - (size_t)skip, &tr, out, err);
}
