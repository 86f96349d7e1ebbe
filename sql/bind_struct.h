/*
 * sql/bind_struct.h — the DDL side of STRUCT types (sql/types_struct.h): resolving a field's
 * type written as text, and the dialect pre-pass's rewriting of `STRUCT<name type, ...>` spans
 * (which PostgreSQL's grammar cannot parse) into a quoted type name of the same length that
 * bind_type_name() recognises.
 *
 * Pipeline position: dialect_prepass() (sql/dialect.c) calls bind_struct_rewrite() on every
 * script containing the word STRUCT; the binder's bind_type_name() calls bind_struct_lookup()
 * for every quoted type name; struct_type_intern_text() (the catalog's columns.type_def at
 * start-up) calls bind_struct_type_text() for each leaf field type.
 *
 * Invariants:
 *   1. The rewritten span has exactly the original's byte length; newlines inside it are
 *      kept, so byte offsets after it (and LINE numbers) are unchanged.
 *   2. A struct type named by a rewritten span is interned before the binder sees the span:
 *      the placeholder's typmod always resolves.
 *   3. Errors inside a STRUCT<...> carry positions in the user's original text.
 */
#ifndef RIVULET_SQL_BIND_STRUCT_H
#define RIVULET_SQL_BIND_STRUCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "sql/types.h"

/* The placeholder quoted identifier's first character (never typed by a user in practice). */
#define BIND_STRUCT_MARK '\x01'

/*
 * Resolves one type name written as text (s, n bytes: "integer", "character varying(10)",
 * "numeric(10,2)"; not a STRUCT) as a column definition would: 42704, 42601, 0A000 ... as the
 * binder raises them. When pos_base > 0, error positions are reported as pos_base (the
 * 1-based character position of s[0] in the user's text) plus the offset inside s.
 */
int bind_struct_type_text(const char *s, size_t n, int pos_base, Oid *type, int32_t *typmod,
                          Err *err);

/*
 * Rewrites every `STRUCT < field type, ... >` in text[0 .. len) (tokens tok[0 .. *ntok) from
 * parse_scan()) into out (a same-length copy of text the caller owns): the span becomes
 * "<MARK>typmod" in double quotes, padded with spaces, and its tokens become one
 * PTOK_QIDENT token spanning it (*ntok shrinks), so later token scans see a type name.
 * Returns the number of spans rewritten, or -1 with err filled (42601 syntax, 42701
 * duplicate field, 42704 unknown type ...).
 */
struct ParseToken;
int bind_struct_rewrite(const char *text, size_t len, struct ParseToken *tok, int *ntok, char *out,
                        Err *err);

/*
 * For other token scans of the original text (e.g. finding where a column definition ends):
 * merges each `STRUCT < ... >` of tok[0 .. ntok) into one PTOK_QIDENT token spanning it, as
 * the rewritten text scans, so commas inside it do not end the column. Only brackets are
 * matched (no interning, no errors); returns the new token count.
 */
int bind_struct_merge_tokens(const char *text, struct ParseToken *tok, int ntok);

/* True when text contains the word STRUCT (any case): the pre-pass's cheap trigger. */
bool bind_struct_trigger(const char *text, size_t len);

/*
 * The struct typmod a type name written as a quoted identifier stands for (a rewritten span):
 * true with *typmod set, false when name is not a placeholder of a registered struct type.
 */
bool bind_struct_lookup(const char *name, int32_t *typmod);

/*
 * bind_type_name()'s hook: a placeholder TypeName becomes (record, the struct's typmod).
 * Returns 1 when tn is not a placeholder (the caller goes on), 0 when resolved, -1 on error.
 */
struct BindCtx;
struct PgQuery__TypeName;
int bind_struct_type_name(struct BindCtx *b, const struct PgQuery__TypeName *tn, Oid *out,
                          int32_t *typmod);
/*
 * bind_coerce_typmod() of an expression of type record: a string literal waiting for its
 * struct type is read now (its errors at its position; 0A000 when typmod < 0, an anonymous
 * record, as PostgreSQL); a NULL takes the typmod; another struct type is 42846.
 */
struct Expr;
int bind_struct_coerce_typmod(struct BindCtx *b, struct Expr **e, int32_t typmod, int location);

#endif
