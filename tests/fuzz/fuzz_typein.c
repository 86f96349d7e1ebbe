/*
 * tests/fuzz/fuzz_typein.c — libFuzzer harness for every type's text input
 * function, and (built with -DFUZZ_REPLAYER) a replayer that runs a corpus
 * through the same code so plain CI exercises it without libFuzzer.
 *
 * The types are not listed here: they are found by asking the registry
 * (type_by_oid) about every OID PostgreSQL reserves for built-in objects
 * (1 .. 9999) and keeping those that are supported and have input and output
 * functions. A type another file implements tomorrow is fuzzed tomorrow with
 * no change here.
 *
 * Each input (its bytes, NUL-terminated at [size] as TypeInFn requires) goes
 * to each type's input function, with typmod -1 and, for a type with
 * typmodin, with each typmod the fixed modifier lists below produce. Then:
 *   1. a failure must be a proper ERROR: level ERROR, a 5-character SQLSTATE
 *      of class 22 (data exception), 54 (limit exceeded), 0A (not
 *      supported), or 42 / 3F (the reg* types look names up: 42704 no such
 *      type, 42601 bad name syntax, 3F000 no such schema), and a message;
 *   2. a success is printed with the output function: the text must be
 *      valid UTF-8 without NUL bytes (invariant 3 of sql/types.h);
 *   3. that text must be accepted by the input function again, and print the
 *      same text (the round trip out ∘ in is stable after one step);
 *   4. the value sent with the binary send function must be received again
 *      by the receive function and print the same text.
 * A failed check aborts, so libFuzzer reports it like a crash.
 *
 * Invariants:
 *   1. One arena, reset before each (type, typmod) pair, so memory per input
 *      is bounded by what one input function allocates for it.
 *   2. Nothing here reads the input outside [data, data + size]; the copy
 *      handed to the input functions is exact-size plus the NUL they expect,
 *      so ASan sees any overread.
 *   3. The session settings are the defaults (type_io_default: ISO, MDY,
 *      UTC, extra_float_digits 1).
 *
 * FUZZ_TYPEIN_SKIP=numeric,date (environment) leaves those types out, to
 * look for other findings while one is being fixed.
 *
 * Corpus: tests/fuzz/corpus/typein/ holds seed_* inputs (valid and invalid
 * spellings of every type's values, written once by hand from the
 * differential corpus' edge values) and min_* inputs libFuzzer found.
 * Run under libFuzzer:
 *   CC=clang meson setup build-fuzz -Dfuzzing=true
 *   ninja -C build-fuzz tests/fuzz/fuzz_typein
 *   mkdir -p /tmp/ft && cp -r tests/fuzz/corpus/typein/. /tmp/ft/
 *   build-fuzz/tests/fuzz/fuzz_typein -max_total_time=300 -max_len=256 \
 *       -dict=tests/fuzz/typein.dict /tmp/ft
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/types.h"

#define FUZZ_MAX_TYPES 128
#define FUZZ_MAX_OID 9999
#define FUZZ_MAX_TYPMODS 6

#define FUZZ_CHECK(cond, t, what)                                                                  \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_typein: %s: check failed at line %d: %s (%s)\n",                 \
                    (t)->name, __LINE__, #cond, (what));                                           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct FuzzType {
    const TypeInfo *t;
    int ntypmods;
    int32_t typmods[FUZZ_MAX_TYPMODS];
} FuzzType;

static FuzzType types[FUZZ_MAX_TYPES];
static int ntypes;
static Arena *arena;
static Buf out1, out2, bin;

/* Modifier lists tried with each type's typmodin: varchar(1), numeric(10,2), timestamp(0) ... */
static const int32_t mod_lists[][2] = {{1, -1}, {3, -1}, {0, -1}, {6, -1}, {10, 2}, {3, 3}};

/* FUZZ_TYPEIN_SKIP=name,name... leaves types out (to triage one crash while finding others). */
static bool
skipped(const char *name)
{
    const char *list = getenv("FUZZ_TYPEIN_SKIP");
    size_t n = strlen(name);

    for (const char *p = list; p != NULL && *p != '\0'; p += strcspn(p, ",") + (p[strcspn(p, ",")] != '\0')) {
        if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return true;
    }
    return false;
}

static void
collect_types(void)
{
    for (Oid oid = 1; oid <= FUZZ_MAX_OID && ntypes < FUZZ_MAX_TYPES; oid++) {
        const TypeInfo *t = type_by_oid(oid);
        FuzzType *f;

        if (t == NULL || !t->supported || t->in == NULL || t->out == NULL || skipped(t->name))
            continue;
        f = &types[ntypes++];
        f->t = t;
        f->typmods[f->ntypmods++] = -1;
        if (t->typmodin == NULL)
            continue;
        for (size_t i = 0; i < sizeof mod_lists / sizeof mod_lists[0]; i++) {
            int32_t tm;
            Err err;
            int n = mod_lists[i][1] < 0 ? 1 : 2;

            err_clear(&err);
            if (t->typmodin(mod_lists[i], n, &tm, &err) == 0 && f->ntypmods < FUZZ_MAX_TYPMODS)
                f->typmods[f->ntypmods++] = tm;
        }
    }
}

static void
check_failure(const TypeInfo *t, const Err *err)
{
    FUZZ_CHECK(err->level == ERR_ERROR, t, err->message);
    FUZZ_CHECK(strlen(err->sqlstate) == 5, t, err->message);
    FUZZ_CHECK(strncmp(err->sqlstate, "22", 2) == 0 || strncmp(err->sqlstate, "54", 2) == 0 ||
                   strncmp(err->sqlstate, "0A", 2) == 0 || strncmp(err->sqlstate, "42", 2) == 0 ||
                   strncmp(err->sqlstate, "3F", 2) == 0,
               t, err->sqlstate);
    FUZZ_CHECK(err->message[0] != '\0', t, err->sqlstate);
}

/* Prints d into b (reset first); the text must be valid UTF-8 without NUL. */
static void
print_value(const TypeInfo *t, Datum d, int32_t typmod, Buf *b)
{
    Err err;

    buf_reset(b);
    t->out(d, typmod, &type_io_default, b);
    FUZZ_CHECK(!b->failed, t, "output overflowed its buffer");
    err_clear(&err);
    FUZZ_CHECK(text_verify_utf8(b->len ? (const char *)b->data : "", b->len, &err) == 0, t,
               err.message);
}

static bool
same_text(const Buf *a, const Buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static void
fuzz_one(const FuzzType *f, int32_t typmod, const char *s, size_t len)
{
    const TypeInfo *t = f->t;
    Datum d, again;
    Err err;
    char *copy;

    arena_reset(arena);
    err_clear(&err);
    if (t->in(s, len, typmod, &type_io_default, arena, &d, &err) < 0) {
        check_failure(t, &err);
        return;
    }
    print_value(t, d, typmod, &out1);

    /* text round trip: in(out(v)) succeeds and prints the same */
    copy = arena_alloc(arena, out1.len + 1);
    memcpy(copy, out1.len ? (const char *)out1.data : "", out1.len);
    copy[out1.len] = '\0';
    err_clear(&err);
    FUZZ_CHECK(t->in(copy, out1.len, typmod, &type_io_default, arena, &again, &err) == 0, t,
               err.message);
    print_value(t, again, typmod, &out2);
    FUZZ_CHECK(same_text(&out1, &out2), t, copy);

    /* binary round trip: recv(send(v)) succeeds and prints the same */
    if (t->send == NULL || t->recv == NULL)
        return;
    buf_reset(&bin);
    t->send(d, typmod, &bin);
    FUZZ_CHECK(!bin.failed, t, "send overflowed its buffer");
    uint8_t *exact = arena_alloc(arena, bin.len ? bin.len : 1);
    if (bin.len)
        memcpy(exact, bin.data, bin.len);
    err_clear(&err);
    FUZZ_CHECK(t->recv(exact, bin.len, typmod, arena, &again, &err) == 0, t, err.message);
    print_value(t, again, typmod, &out2);
    FUZZ_CHECK(same_text(&out1, &out2), t, copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;

    if (arena == NULL) {
        arena = arena_create("fuzz_typein", 0);
        buf_init(&out1, 1 << 20);
        buf_init(&out2, 1 << 20);
        buf_init(&bin, 1 << 20);
        collect_types();
    }
    s = malloc(size + 1); /* exact size + the NUL TypeInFn expects at s[len] */
    if (s == NULL)
        return 0;
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    for (int i = 0; i < ntypes; i++) {
        for (int j = 0; j < types[i].ntypmods; j++)
            fuzz_one(&types[i], types[i].typmods[j], s, size);
    }
    free(s);
    arena_reset(arena);
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
        fprintf(stderr, "fuzz_typein_replay: cannot read %s\n", path);
        if (f != NULL)
            fclose(f);
        return -1;
    }
    n = (size_t)sb.st_size;
    p = malloc(n == 0 ? 1 : n); /* exact size: ASan catches any overread */
    if (p == NULL || fread(p, 1, n, f) != n) {
        fprintf(stderr, "fuzz_typein_replay: cannot read %s\n", path);
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
    DIR *d;
    int n = 0;

    if (stat(path, &sb) != 0) {
        fprintf(stderr, "fuzz_typein_replay: no such file or directory: %s\n", path);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode))
        return replay_file(path);
    d = opendir(path);
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char full[4096];
        int rc;

        if (e->d_name[0] == '.')
            continue;
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        rc = replay_file(full);
        if (rc < 0) {
            closedir(d);
            return -1;
        }
        n += rc;
    }
    closedir(d);
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
    printf("fuzz_typein_replay: replayed %d inputs over %d types:", total, ntypes);
    for (int i = 0; i < ntypes; i++)
        printf(" %s", types[i].t->name);
    printf("\n");
    if (arena != NULL) {
        arena_destroy(arena);
        buf_free(&out1);
        buf_free(&out2);
        buf_free(&bin);
    }
    return total == 0 ? 1 : 0;
}
#endif
