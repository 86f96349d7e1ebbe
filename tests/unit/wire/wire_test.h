/*
 * tests/unit/wire/wire_test.h — helpers shared by the wire/ Check suites.
 *
 * Bodies handed to decoders are copied into a malloc'd block of exactly their
 * size, so under AddressSanitizer a read one byte past the body is a crash,
 * not a silent read of the encoder's spare capacity.
 */
#ifndef RIVULET_TESTS_WIRE_TEST_H
#define RIVULET_TESTS_WIRE_TEST_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wire/wire.h"

#define TEST_MAX_LEN ((size_t)1 << 20)

/* An exact-size heap copy of p[0..n) (n may be 0: a 1-byte block, never read). */
static inline uint8_t *
exact_copy(const uint8_t *p, size_t n)
{
    uint8_t *q = malloc(n == 0 ? 1 : n);

    ck_assert_ptr_nonnull(q);
    if (n > 0)
        memcpy(q, p, n);
    return q;
}

/*
 * Frames the regular message at b->data + *off, checks that its type is want,
 * and returns an exact-size copy of its body (caller frees), advancing *off.
 */
static inline uint8_t *
take_frame(const Buf *b, size_t *off, char want, size_t *body_len)
{
    Err err;
    char type = 0;
    size_t flen = 0;
    int rc;

    err_clear(&err);
    ck_assert(!b->failed);
    rc = wire_frame_message(b->data + *off, b->len - *off, TEST_MAX_LEN, &type, &flen, &err);
    ck_assert_msg(rc == 1, "framing returned %d: %s", rc, err.message);
    ck_assert_int_eq(type, want);
    *body_len = flen - 5;
    *off += flen;
    return exact_copy(b->data + *off - flen + 5, flen - 5);
}

/*
 * Every proper prefix of the frame at b->data must make framing ask for more,
 * never fail and never claim a whole frame.
 */
static inline void
check_prefixes_need_more(const Buf *b)
{
    for (size_t k = 0; k < b->len; k++) {
        uint8_t *p = exact_copy(b->data, k);
        Err err;
        char type;
        size_t flen;

        err_clear(&err);
        ck_assert_int_eq(wire_frame_message(p, k, TEST_MAX_LEN, &type, &flen, &err), 0);
        free(p);
    }
}

#endif
