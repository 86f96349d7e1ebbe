/*
 * tests/fuzz/fuzz_dialect.c — libFuzzer harness for the streaming-dialect
 * pre-pass (sql/dialect.c) and its place in sql_script_parse(), and (built
 * with -DFUZZ_REPLAYER) a replayer that runs a corpus through the same code
 * so plain CI exercises it without libFuzzer.
 *
 * Each input, cut at its first NUL byte, goes to dialect_prepass() and then
 * to sql_script_parse(). Checked:
 *   1. a failure is a proper ERROR: SQLSTATE 42601, 0A000 or 54000 (or a
 *      class 22/42 one of libpg_query's for an earlier error), a
 *      message, and (for valid UTF-8) a position inside the text
 *      (1 .. characters + 1);
 *   2. a rewrite has the input's length and changes only what dialect.h's
 *      invariant 2 allows: a changed byte is a space, or part of "TABLE "
 *      written over the word SOURCE; newlines never change;
 *   3. every described statement lies inside the text, in text order, and
 *      every option key and value is a NUL-terminated string;
 *   4. sql_script_parse() agrees: on success every statement's range lies
 *      inside the text, and a dialect-only statement has a NULL node and a
 *      description.
 * A failed check aborts, so libFuzzer reports it like a crash.
 *
 * Corpus: tests/fuzz/corpus/dialect/ holds seed_* inputs written by hand
 * (every accepted form, and malformed ones). Run under libFuzzer:
 *   CC=clang meson setup build-fuzz -Dfuzzing=true
 *   ninja -C build-fuzz tests/fuzz/fuzz_dialect
 *   mkdir -p /tmp/fd && cp -r tests/fuzz/corpus/dialect/. /tmp/fd/
 *   build-fuzz/tests/fuzz/fuzz_dialect -max_total_time=300 -max_len=512 \
 *       -dict=tests/fuzz/dialect.dict /tmp/fd
 *
 * Invariants:
 *   1. The copy handed to the code under test is exact-size plus its NUL, so
 *      ASan sees any overread.
 *   2. Everything allocated per input is freed before returning.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/dialect.h"
#include "sql/sql_int.h"
#include "sql/types.h"

#define FUZZ_CHECK(cond, what)                                                                     \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_dialect: check failed at line %d: %s (%s)\n", __LINE__, #cond,   \
                    (what));                                                                       \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
count_chars(const char *s, size_t len)
{
    int n = 0;

    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static void
check_error(const Err *err, const char *s, size_t len)
{
    Err utf8;

    FUZZ_CHECK(err->level == ERR_ERROR, err->message);
    /* ours (42601, 0A000, 54000), or the parser's for an earlier error (invariant 5) */
    FUZZ_CHECK(strncmp(err->sqlstate, "42", 2) == 0 || strncmp(err->sqlstate, "0A", 2) == 0 ||
                   strncmp(err->sqlstate, "54", 2) == 0 || strncmp(err->sqlstate, "22", 2) == 0,
               err->sqlstate);
    FUZZ_CHECK(err->message[0] != '\0', err->sqlstate);
    /* positions count characters only in valid UTF-8 (sql_script_parse() checks it first) */
    if (text_verify_utf8(s, len, &utf8) == 0)
        FUZZ_CHECK(err->position >= 1 && err->position <= count_chars(s, len) + 1, err->message);
}

/* Invariant 2 of dialect.h: which bytes may differ. */
static void
check_rewrite(const DialectScript *d, const char *s, size_t len)
{
    FUZZ_CHECK(d->len == len && strlen(d->text) == len, "length");
    for (size_t i = 0; i < len; i++) {
        if (d->text[i] == s[i])
            continue;
        FUZZ_CHECK(s[i] != '\n', "a newline changed");
        if (d->text[i] == ' ')
            continue;
        /* "TABLE " over SOURCE: find the start of the word */
        size_t k = i;
        while (k > 0 && i - k < 5 && d->text[k] != 'T')
            k--;
        FUZZ_CHECK(k + 6 <= len && memcmp(d->text + k, "TABLE ", 6) == 0 &&
                       strncasecmp(s + k, "source", 6) == 0,
                   "unexpected change");
    }
}

static void
check_stmts(const DialectScript *d, size_t len)
{
    int prev = -1;

    FUZZ_CHECK(d->nstmts > 0, "an empty description is returned as NULL");
    for (int i = 0; i < d->nstmts; i++) {
        const DialectStmt *st = &d->stmts[i];

        FUZZ_CHECK(st->start > prev && st->start < st->end && (size_t)st->end <= len, "range");
        prev = st->start;
        for (int k = 0; k < st->noptions; k++)
            FUZZ_CHECK(strlen(st->options[k].key) + strlen(st->options[k].value) < 2 * len + 2,
                       "option");
        for (int k = 0; k < st->nencode_options; k++)
            FUZZ_CHECK(strlen(st->encode_options[k].key) < len + 1, "encode option");
        if (st->wm_column != NULL)
            FUZZ_CHECK(st->wm_expr_pos >= st->start && st->wm_expr_pos + st->wm_expr_len <= st->end,
                       "watermark");
    }
}

static void
check_script(const char *s, size_t len)
{
    SqlScript *sc = NULL;
    Err err;

    err_clear(&err);
    if (sql_script_parse(NULL, s, &sc, &err) < 0) {
        FUZZ_CHECK(sc == NULL && err.level == ERR_ERROR && strlen(err.sqlstate) == 5, err.message);
        return;
    }
    for (int i = 0; i < sql_script_count(sc); i++) {
        int start, n;
        const struct PgQuery__Node *node = parse_statement(sc, i, &start, &n);
        const DialectStmt *d = parse_dialect(sc, i);

        FUZZ_CHECK(start >= 0 && n >= 0 && (size_t)(start + n) <= len, "statement range");
        FUZZ_CHECK(node != NULL || (d != NULL && d->is_dialect_only), "dialect-only statement");
    }
    sql_script_destroy(sc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = strnlen((const char *)data, size);
    char *s = malloc(len + 1);
    DialectScript *d = NULL;
    Err err;

    if (s == NULL)
        return 0;
    memcpy(s, data, len);
    s[len] = '\0';
    err_clear(&err);
    if (dialect_prepass(s, len, &d, &err) < 0) {
        FUZZ_CHECK(d == NULL, "no script on failure");
        check_error(&err, s, len);
    } else if (d != NULL) {
        check_rewrite(d, s, len);
        check_stmts(d, len);
        dialect_free(d);
    }
    check_script(s, len);
    free(s);
    return 0;
}

#ifdef FUZZ_REPLAYER
/* ---- corpus replayer (no libFuzzer) ---- */

#include <dirent.h>
#include <sys/stat.h>

#define REPLAY_MAX_FILE ((size_t)1 << 20)

static int
replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    uint8_t *p;
    size_t n;

    if (f == NULL || fstat(fileno(f), &sb) != 0 || (size_t)sb.st_size > REPLAY_MAX_FILE) {
        fprintf(stderr, "fuzz_dialect_replay: cannot read %s\n", path);
        if (f != NULL)
            fclose(f);
        return -1;
    }
    n = (size_t)sb.st_size;
    p = malloc(n == 0 ? 1 : n);
    if (p == NULL || fread(p, 1, n, f) != n) {
        fprintf(stderr, "fuzz_dialect_replay: cannot read %s\n", path);
        free(p);
        fclose(f);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(p, n);
    free(p);
    return 1;
}

/* Replays a file, or every regular file of a directory; returns the count or -1. */
static int
replay_path(const char *path)
{
    struct stat sb;
    struct dirent *e;
    DIR *dir;
    int n = 0;

    if (stat(path, &sb) != 0) {
        fprintf(stderr, "fuzz_dialect_replay: no such file or directory: %s\n", path);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode))
        return replay_file(path);
    dir = opendir(path);
    if (dir == NULL)
        return -1;
    while ((e = readdir(dir)) != NULL) {
        char full[4096];
        int rc;

        if (e->d_name[0] == '.')
            continue;
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        rc = replay_file(full);
        if (rc < 0) {
            closedir(dir);
            return -1;
        }
        n += rc;
    }
    closedir(dir);
    return n;
}

int
main(int argc, char **argv)
{
    int total = 0;

    for (int i = 1; i < argc; i++) {
        int n = replay_path(argv[i]);

        if (n < 0)
            return 1;
        total += n;
    }
    printf("fuzz_dialect_replay: replayed %d inputs\n", total);
    return total == 0 ? 1 : 0;
}
#endif
