/*
 * common/clock.h — time and randomness, in one place so tests can be
 * deterministic. Code outside common/ never calls time(), gettimeofday(),
 * clock_gettime() or rand() directly.
 */
#ifndef RIVULET_COMMON_CLOCK_H
#define RIVULET_COMMON_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Wall-clock time: microseconds since 1970-01-01 00:00:00 UTC. */
int64_t clock_now_us(void);
/* Monotonic time in nanoseconds, for durations and deadlines. */
int64_t clock_monotonic_ns(void);
/* Sleeps for us microseconds (interrupted early by signals). */
void clock_sleep_us(int64_t us);
/* The CLOCK_REALTIME instant us microseconds from now, for pthread_cond_timedwait(). */
void clock_deadline_timespec(int64_t us, struct timespec *ts);

/* A seeded pseudo-random generator (xoshiro256**): same seed, same sequence. */
typedef struct Rng {
    uint64_t s[4];
} Rng;

void rng_seed(Rng *r, uint64_t seed);
uint64_t rng_next(Rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t rng_below(Rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double rng_double(Rng *r);
/* A seed from the OS (for secrets such as cancel keys, never for tests). */
uint64_t rng_os_seed(void);

#endif
