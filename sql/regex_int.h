/*
 * sql/regex_int.h — what sql/regex.c and sql/regex_translate.c share
 * (private to them): the private cflags bits and the ARE → ERE translator.
 */
#ifndef RIVULET_SQL_REGEX_INT_H
#define RIVULET_SQL_REGEX_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

/* private cflags bit: only "is there a match" is asked, so greediness cannot matter */
#define RE_MATCH_ONLY (1 << 16)
/* private cflags bit: the 'x' flag (expanded syntax) */
#define RE_EXPANDED (1 << 17)
/* private cflags bit: the 'q' flag (the pattern is a literal string) */
#define RE_LITERAL (1 << 18)

/*
 * Translates the ARE pattern p (n bytes) under cflags (REG_ICASE, REG_NEWLINE and the RE_*
 * bits above) into glibc ERE text appended to out; embedded options may change newline
 * sensitivity, returned in *newline. -1 with 2201B / 0A000 raised in err.
 */
int regex_to_ere(const char *p, size_t n, int cflags, Buf *out, bool *newline, Err *err);

#endif
