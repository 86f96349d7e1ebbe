/*
 * sql/func_string.h — Rivulet's string family beyond plain text: the
 * character types (varchar(n), char(n) = bpchar), bytea, PostgreSQL's
 * string functions, LIKE / ILIKE, POSIX regular expressions and MD5.
 *
 * Pipeline position: implementations behind sql/cat_string.c's tables;
 * evaluated by sql/expr.c. Everything is character-based over UTF-8 (the
 * only server encoding), never byte-based, except on bytea.
 *
 * Invariants:
 *   1. Results are allocated in call->ctx->arena; arguments are immutable.
 *   2. A result longer than PostgreSQL's 1 GB allocation limit raises 54000
 *      "requested length too large" (no partial results).
 *   3. bpchar values are stored exactly as given (no padding) when the
 *      typmod is unknown (-1); the length-coercion function bpchar(x, n,
 *      explicit) pads and cuts. Comparisons ignore trailing spaces.
 */
#ifndef RIVULET_SQL_FUNC_STRING_H
#define RIVULET_SQL_FUNC_STRING_H

#include "sql/builtins.h"

#define STRING_MAX_BYTES ((size_t)0x3fffffff - 4) /* MaxAllocSize - VARHDRSZ */

/* Bytes of the UTF-8 sequence led by c (1 for a stray byte). */
static inline int
utf8_len(unsigned char c)
{
    return c < 0x80             ? 1
           : (c & 0xe0) == 0xc0 ? 2
           : (c & 0xf0) == 0xe0 ? 3
           : (c & 0xf8) == 0xf0 ? 4
                                : 1;
}

/* sql/types_char.c — varchar(n) and character(n) */
int varchar_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err);
int bpchar_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err);
void char_typmodout(int32_t typmod, Buf *out);
int varchar_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
               Err *err);
int bpchar_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
              Err *err);
int varchar_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
int bpchar_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
BUILTIN(varchar_coerce); /* varchar(varchar, int4, bool) */
BUILTIN(bpchar_coerce);  /* bpchar(bpchar, int4, bool) */
BUILTIN(bpchar_to_text); /* text(bpchar): trailing spaces go */
BUILTIN(bpchar_to_name);
BUILTIN(bpchar_length);
BUILTIN(bpchar_eq);
BUILTIN(bpchar_ne);
BUILTIN(bpchar_lt);
BUILTIN(bpchar_le);
BUILTIN(bpchar_gt);
BUILTIN(bpchar_ge);

/* sql/types_char.c — "char", the one-byte internal type (OID 18) */
#define TYPE_CHAR1 18
int char1_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
             Err *err);
void char1_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int char1_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void char1_send(Datum d, int32_t typmod, Buf *out);
BUILTIN(char1_to_text);
BUILTIN(text_to_char1);
BUILTIN(char1_to_int4);
BUILTIN(int4_to_char1);
BUILTIN(char1_eq);
BUILTIN(char1_ne);
BUILTIN(char1_lt);
BUILTIN(char1_le);
BUILTIN(char1_gt);
BUILTIN(char1_ge);

/* sql/types_bytea.c — bytea */
int bytea_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
             Err *err);
void bytea_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int bytea_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void bytea_send(Datum d, int32_t typmod, Buf *out);
BUILTIN(bytea_cat);
BUILTIN(bytea_eq);
BUILTIN(bytea_ne);
BUILTIN(bytea_lt);
BUILTIN(bytea_le);
BUILTIN(bytea_gt);
BUILTIN(bytea_ge);
BUILTIN(bytea_octet_length);
BUILTIN(bytea_bit_length);
BUILTIN(bytea_md5);
BUILTIN(bytea_substr);
BUILTIN(bytea_position);
BUILTIN(bytea_get_byte);
BUILTIN(fn_encode);
BUILTIN(fn_decode);
BUILTIN(bytea_btrim);
BUILTIN(bytea_ltrim);
BUILTIN(bytea_rtrim);
BUILTIN(bytea_set_byte);
BUILTIN(bytea_get_bit);
BUILTIN(bytea_set_bit);
BUILTIN(bytea_bit_count);
BUILTIN(bytea_overlay);
BUILTIN(fn_convert_to);
BUILTIN(fn_convert_from);
BUILTIN(bytea_length_enc);

/* sql/func_string.c — string functions */
BUILTIN(text_bit_length);
BUILTIN(fn_lower);
BUILTIN(fn_upper);
BUILTIN(fn_initcap);
BUILTIN(fn_substr);
BUILTIN(fn_strpos);
BUILTIN(fn_position);
BUILTIN(fn_replace);
BUILTIN(fn_btrim);
BUILTIN(fn_ltrim);
BUILTIN(fn_rtrim);
BUILTIN(fn_concat);
BUILTIN(fn_concat_ws);
BUILTIN(fn_split_part);
BUILTIN(fn_left);
BUILTIN(fn_right);
BUILTIN(fn_lpad);
BUILTIN(fn_rpad);
BUILTIN(fn_repeat);
BUILTIN(fn_reverse);
BUILTIN(fn_md5);
BUILTIN(fn_to_hex);
BUILTIN(fn_chr);
BUILTIN(fn_ascii);
BUILTIN(fn_starts_with);
BUILTIN(fn_format);
BUILTIN(fn_quote_ident);
BUILTIN(fn_quote_literal);
BUILTIN(fn_quote_literal_any);
BUILTIN(fn_quote_nullable);
BUILTIN(fn_quote_nullable_any);
BUILTIN(fn_overlay);
BUILTIN(fn_translate);
BUILTIN(any_to_text);
/* GREATEST / LEAST: see sql/bind_expr.c bind_minmax for the hidden comparison argument */
BUILTIN(fn_greatest);
BUILTIN(fn_least); /* the polymorphic argument through its output function */

/* sql/like.c — LIKE / ILIKE over text, bpchar and bytea */
BUILTIN(text_like);
BUILTIN(text_notlike);
BUILTIN(text_ilike);
BUILTIN(text_notilike);
BUILTIN(bytea_like);
BUILTIN(bytea_notlike);
BUILTIN(fn_like_escape);
BUILTIN(fn_bytea_like_escape);
/*
 * Matches s against a LIKE pattern (escape '\\'): 1 match, 0 no match, -1 the pattern ends
 * with the escape (22025 raised in err). icase folds ASCII letters; bytes: '_' is one byte.
 */
int like_match(const char *s, size_t slen, const char *p, size_t plen, bool icase, bool bytes,
               Err *err);

/* sql/regex.c — ~ ~* !~ !~* and the regexp_ functions */
BUILTIN(text_regex_eq);
BUILTIN(text_regex_ne);
BUILTIN(text_regex_ieq);
BUILTIN(text_regex_ine);
BUILTIN(fn_regexp_replace);
BUILTIN(fn_regexp_replace_ext);
BUILTIN(fn_regexp_like);
BUILTIN(fn_substring_regex);
BUILTIN(fn_similar_to_escape);
BUILTIN(fn_regexp_count);
BUILTIN(fn_regexp_instr);
BUILTIN(fn_regexp_substr);
BUILTIN(fn_substring_similar);

/* sql/md5.c — RFC 1321 */
void md5_hex(const void *data, size_t len, char out[33]);

/* sql/sha2.c — FIPS 180-4: bits = 224, 256, 384 or 512; out gets bits / 8 bytes */
void sha2_digest(int bits, const void *data, size_t len, uint8_t *out);
BUILTIN(fn_sha224);
BUILTIN(fn_sha256);
BUILTIN(fn_sha384);
BUILTIN(fn_sha512);

#endif
