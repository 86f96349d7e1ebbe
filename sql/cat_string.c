/*
 * sql/cat_string.c — the string part of the built-in catalog (see
 * sql/catalog.h): the types character varying(n), character(n), "char",
 * bytea and real, with PostgreSQL 15's functions, operators and casts for
 * them, for text (string functions, LIKE, SIMILAR TO, regular expressions,
 * md5/sha2), for double precision arithmetic and math (the core part only
 * has its casts), and gcd/lcm over the integers. 330 lines of tables: one
 * row per pg_proc / pg_operator / pg_cast entry.
 *
 * Every row mirrors a pg_proc / pg_operator / pg_cast row of PostgreSQL 15
 * (same argument and result types, same cast contexts), so overload
 * resolution picks what PostgreSQL picks: e.g. `2 * 1.5::real` is
 * float8 * real through the implicit int4 → float8 cast, and
 * `'a'::char(3) || 'b'` is text || text through bpchar → text, which drops
 * the padding.
 *
 * Invariants:
 *   1. Tables are const and never modified.
 *   2. A length-coercion function (varchar(varchar, int4, bool),
 *      bpchar(bpchar, int4, bool)) exists for each type with a typmodin here;
 *      the binder finds it by the type's name (sql/bind_int.h).
 *   3. Variadic "any" functions (concat, concat_ws, format) are marked
 *      FN_VARIADIC_ANY: their last declared argument repeats.
 */
#include "sql/catalog.h"
#include "sql/func_float.h"
#include "sql/func_string.h"

#define I2 TYPE_INT2
#define I4 TYPE_INT4
#define I8 TYPE_INT8
#define F4 TYPE_FLOAT4
#define F8 TYPE_FLOAT8
#define BO TYPE_BOOL
#define TX TYPE_TEXT
#define NM TYPE_NAME
#define BP TYPE_BPCHAR
#define VC TYPE_VARCHAR
#define BY TYPE_BYTEA
#define C1 TYPE_CHAR1
#define ANY TYPE_ANY
#define AE TYPE_ANYELEMENT
#define S FN_STRICT
#define ST (FN_STRICT | FN_STABLE)
#define VA (FN_STABLE | FN_VARIADIC_ANY)

static const TypeInfo TYPES[] = {
    {TYPE_VARCHAR, "varchar", "character varying", -1, false, TYPCAT_STRING, false, true,
     varchar_in, text_out, varchar_recv, text_send, varchar_typmodin, char_typmodout},
    {TYPE_BPCHAR, "bpchar", "character", -1, false, TYPCAT_STRING, false, true, bpchar_in, text_out,
     bpchar_recv, text_send, bpchar_typmodin, char_typmodout},
    {TYPE_BYTEA, "bytea", "bytea", -1, false, TYPCAT_USER, false, true, bytea_in, bytea_out,
     bytea_recv, bytea_send, NULL, NULL},
    {TYPE_CHAR1, "char", "\"char\"", 1, true, 'Z', false, true, char1_in, char1_out, char1_recv,
     char1_send, NULL, NULL},
    {TYPE_FLOAT4, "float4", "real", 4, true, TYPCAT_NUMERIC, false, true, float4_in, float4_out,
     float4_recv, float4_send, NULL, NULL},
};

static const FuncDef FUNCS[] = {
    /* float casts, callable by their type names */
    {"float4", 1, {I2}, F4, S, int_to_float4},
    {"float4", 1, {I4}, F4, S, int_to_float4},
    {"float4", 1, {I8}, F4, S, int_to_float4},
    {"float4", 1, {F8}, F4, S, float8_to_float4},
    {"float8", 1, {F4}, F8, S, float4_to_float8},
    {"int2", 1, {F4}, I2, S, float4_to_int2},
    {"int4", 1, {F4}, I4, S, float4_to_int4},
    {"int8", 1, {F4}, I8, S, float4_to_int8},
    {"float4", 1, {TYPE_NUMERIC}, F4, S, numeric_to_float4},
    {"numeric", 1, {F4}, TYPE_NUMERIC, S, float4_to_numeric},
    /* float math */
    {"abs", 1, {F4}, F4, S, float4_abs},
    {"abs", 1, {F8}, F8, S, float8_abs},
    {"sqrt", 1, {F8}, F8, S, float8_sqrt},
    {"cbrt", 1, {F8}, F8, S, float8_cbrt},
    {"exp", 1, {F8}, F8, S, float8_exp},
    {"ln", 1, {F8}, F8, S, float8_ln},
    {"log", 1, {F8}, F8, S, float8_log10},
    {"log10", 1, {F8}, F8, S, float8_log10},
    {"power", 2, {F8, F8}, F8, S, float8_pow},
    {"pow", 2, {F8, F8}, F8, S, float8_pow},
    {"pi", 0, {0}, F8, S, float8_pi},
    {"round", 1, {F8}, F8, S, float8_round},
    {"ceil", 1, {F8}, F8, S, float8_ceil},
    {"ceiling", 1, {F8}, F8, S, float8_ceil},
    {"floor", 1, {F8}, F8, S, float8_floor},
    {"trunc", 1, {F8}, F8, S, float8_trunc},
    {"sign", 1, {F8}, F8, S, float8_sign},
    {"degrees", 1, {F8}, F8, S, float8_degrees},
    {"radians", 1, {F8}, F8, S, float8_radians},
    {"sin", 1, {F8}, F8, S, float8_sin},
    {"cos", 1, {F8}, F8, S, float8_cos},
    {"tan", 1, {F8}, F8, S, float8_tan},
    {"cot", 1, {F8}, F8, S, float8_cot},
    {"asin", 1, {F8}, F8, S, float8_asin},
    {"acos", 1, {F8}, F8, S, float8_acos},
    {"atan", 1, {F8}, F8, S, float8_atan},
    {"atan2", 2, {F8, F8}, F8, S, float8_atan2},
    {"sinh", 1, {F8}, F8, S, float8_sinh},
    {"cosh", 1, {F8}, F8, S, float8_cosh},
    {"tanh", 1, {F8}, F8, S, float8_tanh},
    {"sind", 1, {F8}, F8, S, float8_sind},
    {"cosd", 1, {F8}, F8, S, float8_cosd},
    {"tand", 1, {F8}, F8, S, float8_tand},
    {"cotd", 1, {F8}, F8, S, float8_cotd},
    {"asind", 1, {F8}, F8, S, float8_asind},
    {"acosd", 1, {F8}, F8, S, float8_acosd},
    {"atand", 1, {F8}, F8, S, float8_atand},
    {"atan2d", 2, {F8, F8}, F8, S, float8_atan2d},
    {"asinh", 1, {F8}, F8, S, float8_asinh},
    {"acosh", 1, {F8}, F8, S, float8_acosh},
    {"atanh", 1, {F8}, F8, S, float8_atanh},
    {"width_bucket", 4, {F8, F8, F8, I4}, I4, S, float8_width_bucket},
    {"gcd", 2, {I4, I4}, I4, S, int4_gcd},
    {"gcd", 2, {I8, I8}, I8, S, int8_gcd},
    {"lcm", 2, {I4, I4}, I4, S, int4_lcm},
    {"lcm", 2, {I8, I8}, I8, S, int8_lcm},
    {"random", 0, {0}, F8, FN_VOLATILE, fn_random},
    {"setseed", 1, {F8}, TYPE_VOID, S | FN_VOLATILE, fn_setseed},
    /* character types: length coercion, casts, lengths */
    {"varchar", 3, {VC, I4, BO}, VC, S, varchar_coerce},
    {"bpchar", 3, {BP, I4, BO}, BP, S, bpchar_coerce},
    {"text", 1, {BP}, TX, S, bpchar_to_text},
    {"name", 1, {BP}, NM, S, bpchar_to_name},
    {"name", 1, {VC}, NM, S, text_to_name},
    {"bpchar", 1, {NM}, BP, S, name_to_text},
    {"varchar", 1, {NM}, VC, S, name_to_text},
    {"length", 1, {BP}, I4, S, bpchar_length},
    {"char_length", 1, {BP}, I4, S, bpchar_length},
    {"character_length", 1, {BP}, I4, S, bpchar_length},
    {"octet_length", 1, {BP}, I4, S, text_octet_length},
    /* "char" */
    {"text", 1, {C1}, TX, S, char1_to_text},
    {"bpchar", 1, {C1}, BP, S, char1_to_text},
    {"char", 1, {TX}, C1, S, text_to_char1},
    {"char", 1, {BP}, C1, S, text_to_char1},
    {"char", 1, {VC}, C1, S, text_to_char1},
    {"char", 1, {I4}, C1, S, int4_to_char1},
    {"int4", 1, {C1}, I4, S, char1_to_int4},
    /* text */
    {"bit_length", 1, {TX}, I4, S, text_bit_length},
    {"lower", 1, {TX}, TX, S, fn_lower},
    {"upper", 1, {TX}, TX, S, fn_upper},
    {"initcap", 1, {TX}, TX, S, fn_initcap},
    {"substr", 2, {TX, I4}, TX, S, fn_substr},
    {"substr", 3, {TX, I4, I4}, TX, S, fn_substr},
    {"substring", 2, {TX, I4}, TX, S, fn_substr},
    {"substring", 3, {TX, I4, I4}, TX, S, fn_substr},
    {"substring", 2, {TX, TX}, TX, S, fn_substring_regex},
    {"position", 2, {TX, TX}, I4, S, fn_position},
    {"strpos", 2, {TX, TX}, I4, S, fn_strpos},
    {"starts_with", 2, {TX, TX}, BO, S, fn_starts_with},
    {"replace", 3, {TX, TX, TX}, TX, S, fn_replace},
    {"btrim", 1, {TX}, TX, S, fn_btrim},
    {"btrim", 2, {TX, TX}, TX, S, fn_btrim},
    {"ltrim", 1, {TX}, TX, S, fn_ltrim},
    {"ltrim", 2, {TX, TX}, TX, S, fn_ltrim},
    {"rtrim", 1, {TX}, TX, S, fn_rtrim},
    {"rtrim", 2, {TX, TX}, TX, S, fn_rtrim},
    {"concat", 1, {ANY}, TX, VA, fn_concat},
    {"concat_ws", 2, {TX, ANY}, TX, VA, fn_concat_ws},
    {"format", 1, {TX}, TX, FN_STABLE, fn_format},
    {"format", 2, {TX, ANY}, TX, VA, fn_format},
    {"split_part", 3, {TX, TX, I4}, TX, S, fn_split_part},
    {"left", 2, {TX, I4}, TX, S, fn_left},
    {"right", 2, {TX, I4}, TX, S, fn_right},
    {"lpad", 2, {TX, I4}, TX, S, fn_lpad},
    {"lpad", 3, {TX, I4, TX}, TX, S, fn_lpad},
    {"rpad", 2, {TX, I4}, TX, S, fn_rpad},
    {"rpad", 3, {TX, I4, TX}, TX, S, fn_rpad},
    {"repeat", 2, {TX, I4}, TX, S, fn_repeat},
    {"reverse", 1, {TX}, TX, S, fn_reverse},
    {"md5", 1, {TX}, TX, S, fn_md5},
    {"to_hex", 1, {I4}, TX, S, fn_to_hex},
    {"to_hex", 1, {I8}, TX, S, fn_to_hex},
    {"chr", 1, {I4}, TX, S, fn_chr},
    {"ascii", 1, {TX}, I4, S, fn_ascii},
    {"quote_ident", 1, {TX}, TX, S, fn_quote_ident},
    {"quote_literal", 1, {TX}, TX, S, fn_quote_literal},
    {"quote_literal", 1, {AE}, TX, ST, fn_quote_literal_any},
    {"quote_nullable", 1, {TX}, TX, 0, fn_quote_nullable},
    {"quote_nullable", 1, {AE}, TX, FN_STABLE, fn_quote_nullable_any},
    {"overlay", 3, {TX, TX, I4}, TX, S, fn_overlay},
    {"overlay", 4, {TX, TX, I4, I4}, TX, S, fn_overlay},
    {"translate", 3, {TX, TX, TX}, TX, S, fn_translate},
    {"like_escape", 2, {TX, TX}, TX, S, fn_like_escape},
    {"like_escape", 2, {BY, BY}, BY, S, fn_bytea_like_escape},
    {"textlike", 2, {TX, TX}, BO, S, text_like},
    {"like", 2, {TX, TX}, BO, S, text_like},
    {"notlike", 2, {TX, TX}, BO, S, text_notlike},
    {"texticlike", 2, {TX, TX}, BO, S, text_ilike},
    {"regexp_replace", 3, {TX, TX, TX}, TX, S, fn_regexp_replace},
    {"regexp_replace", 4, {TX, TX, TX, TX}, TX, S, fn_regexp_replace},
    {"regexp_replace", 4, {TX, TX, TX, I4}, TX, S, fn_regexp_replace_ext},
    {"regexp_replace", 5, {TX, TX, TX, I4, I4}, TX, S, fn_regexp_replace_ext},
    {"regexp_replace", 6, {TX, TX, TX, I4, I4, TX}, TX, S, fn_regexp_replace_ext},
    {"regexp_like", 2, {TX, TX}, BO, S, fn_regexp_like},
    {"regexp_like", 3, {TX, TX, TX}, BO, S, fn_regexp_like},
    {"similar_to_escape", 1, {TX}, TX, S, fn_similar_to_escape},
    {"substring", 3, {TX, TX, TX}, TX, S, fn_substring_similar},
    {"regexp_count", 2, {TX, TX}, I4, S, fn_regexp_count},
    {"regexp_count", 3, {TX, TX, I4}, I4, S, fn_regexp_count},
    {"regexp_count", 4, {TX, TX, I4, TX}, I4, S, fn_regexp_count},
    {"regexp_instr", 2, {TX, TX}, I4, S, fn_regexp_instr},
    {"regexp_instr", 3, {TX, TX, I4}, I4, S, fn_regexp_instr},
    {"regexp_instr", 4, {TX, TX, I4, I4}, I4, S, fn_regexp_instr},
    {"regexp_instr", 5, {TX, TX, I4, I4, I4}, I4, S, fn_regexp_instr},
    {"regexp_instr", 6, {TX, TX, I4, I4, I4, TX}, I4, S, fn_regexp_instr},
    {"regexp_instr", 7, {TX, TX, I4, I4, I4, TX, I4}, I4, S, fn_regexp_instr},
    {"regexp_substr", 2, {TX, TX}, TX, S, fn_regexp_substr},
    {"regexp_substr", 3, {TX, TX, I4}, TX, S, fn_regexp_substr},
    {"regexp_substr", 4, {TX, TX, I4, I4}, TX, S, fn_regexp_substr},
    {"regexp_substr", 5, {TX, TX, I4, I4, TX}, TX, S, fn_regexp_substr},
    {"regexp_substr", 6, {TX, TX, I4, I4, TX, I4}, TX, S, fn_regexp_substr},
    {"similar_to_escape", 2, {TX, TX}, TX, S, fn_similar_to_escape},
    /* bytea */
    {"length", 1, {BY}, I4, S, bytea_octet_length},
    {"octet_length", 1, {BY}, I4, S, bytea_octet_length},
    {"bit_length", 1, {BY}, I4, S, bytea_bit_length},
    {"md5", 1, {BY}, TX, S, bytea_md5},
    {"sha224", 1, {BY}, BY, S, fn_sha224},
    {"sha256", 1, {BY}, BY, S, fn_sha256},
    {"sha384", 1, {BY}, BY, S, fn_sha384},
    {"sha512", 1, {BY}, BY, S, fn_sha512},
    {"substr", 2, {BY, I4}, BY, S, bytea_substr},
    {"substr", 3, {BY, I4, I4}, BY, S, bytea_substr},
    {"substring", 2, {BY, I4}, BY, S, bytea_substr},
    {"substring", 3, {BY, I4, I4}, BY, S, bytea_substr},
    {"position", 2, {BY, BY}, I4, S, bytea_position},
    {"get_byte", 2, {BY, I4}, I4, S, bytea_get_byte},
    {"encode", 2, {BY, TX}, TX, S, fn_encode},
    {"decode", 2, {TX, TX}, BY, S, fn_decode},
    {"btrim", 2, {BY, BY}, BY, S, bytea_btrim},
    {"ltrim", 2, {BY, BY}, BY, S, bytea_ltrim},
    {"rtrim", 2, {BY, BY}, BY, S, bytea_rtrim},
    {"set_byte", 3, {BY, I4, I4}, BY, S, bytea_set_byte},
    {"get_bit", 2, {BY, I8}, I4, S, bytea_get_bit},
    {"set_bit", 3, {BY, I8, I4}, BY, S, bytea_set_bit},
    {"bit_count", 1, {BY}, I8, S, bytea_bit_count},
    {"overlay", 3, {BY, BY, I4}, BY, S, bytea_overlay},
    {"overlay", 4, {BY, BY, I4, I4}, BY, S, bytea_overlay},
    {"convert_to", 2, {TX, NM}, BY, ST, fn_convert_to},
    {"convert_from", 2, {BY, NM}, TX, ST, fn_convert_from},
    {"length", 2, {BY, NM}, I4, ST, bytea_length_enc},
    {"like", 2, {BY, BY}, BO, S, bytea_like},
    {"notlike", 2, {BY, BY}, BO, S, bytea_notlike},
};

/* clang-format off */
#define FLOAT_ARITH(op, f4, f8, f48, f84)                                                          \
    {op, F4, F4, F4, f4, 0}, {op, F8, F8, F8, f8, 0}, {op, F4, F8, F8, f48, 0},                    \
    {op, F8, F4, F8, f84, 0}
#define FLOAT_CMP(op, f)                                                                           \
    {op, F4, F4, BO, f, 0}, {op, F8, F8, BO, f, 0}, {op, F4, F8, BO, f, 0}, {op, F8, F4, BO, f, 0}
#define SIX_CMP(t, eq, ne, lt, le, gt, ge)                                                         \
    {"=", t, t, BO, eq, 0}, {"<>", t, t, BO, ne, 0}, {"<", t, t, BO, lt, 0},                       \
    {"<=", t, t, BO, le, 0}, {">", t, t, BO, gt, 0}, {">=", t, t, BO, ge, 0}
#define MATCH_OPS(t)                                                                               \
    {"~~", t, TX, BO, text_like, 0}, {"!~~", t, TX, BO, text_notlike, 0},                          \
    {"~~*", t, TX, BO, text_ilike, 0}, {"!~~*", t, TX, BO, text_notilike, 0},                      \
    {"~", t, TX, BO, text_regex_eq, 0}, {"!~", t, TX, BO, text_regex_ne, 0},                       \
    {"~*", t, TX, BO, text_regex_ieq, 0}, {"!~*", t, TX, BO, text_regex_ine, 0}
/* clang-format on */

static const OperDef OPERS[] = {
    FLOAT_ARITH("+", float4_pl, float8_pl, float48_pl, float84_pl),
    FLOAT_ARITH("-", float4_mi, float8_mi, float48_mi, float84_mi),
    FLOAT_ARITH("*", float4_mul, float8_mul, float48_mul, float84_mul),
    FLOAT_ARITH("/", float4_div, float8_div, float48_div, float84_div),
    FLOAT_CMP("=", float_eq),
    FLOAT_CMP("<>", float_ne),
    FLOAT_CMP("<", float_lt),
    FLOAT_CMP("<=", float_le),
    FLOAT_CMP(">", float_gt),
    FLOAT_CMP(">=", float_ge),
    {"-", 0, F4, F4, float4_um, 0},
    {"-", 0, F8, F8, float8_um, 0},
    {"+", 0, F4, F4, float4_up, 0},
    {"+", 0, F8, F8, float4_up, 0},
    {"@", 0, F4, F4, float4_abs, 0},
    {"@", 0, F8, F8, float8_abs, 0},
    {"|/", 0, F8, F8, float8_sqrt, 0},
    {"||/", 0, F8, F8, float8_cbrt, 0},
    {"^", F8, F8, F8, float8_pow, 0},
    SIX_CMP(BP, bpchar_eq, bpchar_ne, bpchar_lt, bpchar_le, bpchar_gt, bpchar_ge),
    SIX_CMP(BY, bytea_eq, bytea_ne, bytea_lt, bytea_le, bytea_gt, bytea_ge),
    {"||", BY, BY, BY, bytea_cat, 0},
    SIX_CMP(C1, char1_eq, char1_ne, char1_lt, char1_le, char1_gt, char1_ge),
    {"^@", TX, TX, BO, fn_starts_with, 0},
    MATCH_OPS(TX),
    MATCH_OPS(NM),
    MATCH_OPS(BP),
    {"~~", BY, BY, BO, bytea_like, 0},
    {"!~~", BY, BY, BO, bytea_notlike, 0},
};

static const CastDef CASTS[] = {
    {I2, F4, COERCION_IMPLICIT, "float4"},
    {I4, F4, COERCION_IMPLICIT, "float4"},
    {I8, F4, COERCION_IMPLICIT, "float4"},
    {F4, F8, COERCION_IMPLICIT, "float8"},
    {F8, F4, COERCION_ASSIGNMENT, "float4"},
    {F4, I2, COERCION_ASSIGNMENT, "int2"},
    {F4, I4, COERCION_ASSIGNMENT, "int4"},
    {F4, I8, COERCION_ASSIGNMENT, "int8"},
    {TYPE_NUMERIC, F4, COERCION_IMPLICIT, "float4"},
    {F4, TYPE_NUMERIC, COERCION_ASSIGNMENT, "numeric"},
    /* the character types, as pg_cast ('b' rows have no function) */
    {TX, BP, COERCION_IMPLICIT, NULL},
    {VC, BP, COERCION_IMPLICIT, NULL},
    {BP, TX, COERCION_IMPLICIT, "text"},
    {BP, VC, COERCION_IMPLICIT, "text"},
    {BP, NM, COERCION_IMPLICIT, "name"},
    {VC, NM, COERCION_IMPLICIT, "name"},
    {NM, BP, COERCION_ASSIGNMENT, "bpchar"},
    {NM, VC, COERCION_ASSIGNMENT, "varchar"},
    {C1, TX, COERCION_IMPLICIT, "text"},
    {C1, BP, COERCION_ASSIGNMENT, "bpchar"},
    {C1, VC, COERCION_ASSIGNMENT, "text"},
    {TX, C1, COERCION_ASSIGNMENT, "char"},
    {BP, C1, COERCION_ASSIGNMENT, "char"},
    {VC, C1, COERCION_ASSIGNMENT, "char"},
    {C1, I4, COERCION_EXPLICIT, "int4"},
    {I4, C1, COERCION_EXPLICIT, "char"},
    {BO, BP, COERCION_ASSIGNMENT, "text"},
    {BO, VC, COERCION_ASSIGNMENT, "text"},
};

#define COUNT(a) CATALOG_COUNT(a)

const CatalogPart catalog_part_string = {FUNCS, COUNT(FUNCS), OPERS, COUNT(OPERS),
                                         CASTS, COUNT(CASTS), TYPES, COUNT(TYPES)};
