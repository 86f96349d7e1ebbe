/*
 * sql/catalog.c — the tables of built-in functions, operators and casts
 * (see sql/catalog.h), and their lookups.
 *
 * Each entry reproduces a row of PostgreSQL 15's pg_proc / pg_operator /
 * pg_cast for the types we have, so that overload resolution gives the same
 * answer (e.g. there is no int2 % int4 operator in PostgreSQL, so there is
 * none here either, and `1::int2 % 2` resolves to int4 % int4 as it does
 * there).
 *
 * Invariants:
 *   1. Tables are const and never modified.
 *   2. Every CastDef's func names a FuncDef (in some part) taking exactly
 *      the source type; func NULL means binary-coercible (a relabel).
 */
#include "sql/catalog.h"

#include <string.h>

#include "sql/builtins.h"

#define I2 TYPE_INT2
#define I4 TYPE_INT4
#define I8 TYPE_INT8
#define F8 TYPE_FLOAT8
#define BO TYPE_BOOL
#define TX TYPE_TEXT
#define NM TYPE_NAME
#define S FN_STRICT
#define ST (FN_STRICT | FN_STABLE)

static const FuncDef FUNCS[] = {
    /* system information and settings */
    {"version", 0, {0}, TX, ST, fn_version},
    {"current_setting", 1, {TX}, TX, ST, fn_current_setting},
    {"current_setting", 2, {TX, BO}, TX, ST, fn_current_setting},
    {"set_config", 3, {TX, TX, BO}, TX, FN_VOLATILE, fn_set_config},
    {"current_database", 0, {0}, NM, ST, fn_current_database},
    {"current_schema", 0, {0}, NM, ST, fn_current_schema},
    {"current_user", 0, {0}, NM, ST, fn_current_user},
    {"session_user", 0, {0}, NM, ST, fn_session_user},
    {"pg_backend_pid", 0, {0}, I4, ST, fn_pg_backend_pid},
    {"pg_sleep", 1, {F8}, TYPE_VOID, S | FN_VOLATILE, fn_pg_sleep},
    /* math */
    {"abs", 1, {I2}, I2, S, int2_abs},
    {"abs", 1, {I4}, I4, S, int4_abs},
    {"abs", 1, {I8}, I8, S, int8_abs},
    {"mod", 2, {I2, I2}, I2, S, int_mod},
    {"mod", 2, {I4, I4}, I4, S, int_mod},
    {"mod", 2, {I8, I8}, I8, S, int_mod},
    /* strings */
    {"length", 1, {TX}, I4, S, text_length},
    {"char_length", 1, {TX}, I4, S, text_length},
    {"character_length", 1, {TX}, I4, S, text_length},
    {"octet_length", 1, {TX}, I4, S, text_octet_length},
    {"textcat", 2, {TX, TX}, TX, S, text_cat},
    /* casts, callable by their type names as in PostgreSQL */
    {"int2", 1, {I4}, I2, S, int_to_int2},
    {"int2", 1, {I8}, I2, S, int_to_int2},
    {"int2", 1, {F8}, I2, S, float8_to_int2},
    {"int4", 1, {I2}, I4, S, int_up},
    {"int4", 1, {I8}, I4, S, int_to_int4},
    {"int4", 1, {BO}, I4, S, bool_to_int4},
    {"int4", 1, {F8}, I4, S, float8_to_int4},
    {"int8", 1, {I2}, I8, S, int_up},
    {"int8", 1, {I4}, I8, S, int_up},
    {"int8", 1, {F8}, I8, S, float8_to_int8},
    {"float8", 1, {I2}, F8, S, int_to_float8},
    {"float8", 1, {I4}, F8, S, int_to_float8},
    {"float8", 1, {I8}, F8, S, int_to_float8},
    {"bool", 1, {I4}, BO, S, int4_to_bool},
    {"name", 1, {TX}, NM, S, text_to_name},
    {"text", 1, {NM}, TX, S, name_to_text},
    {"text", 1, {BO}, TX, S, bool_to_text},
};

/* The nine operand combinations PostgreSQL defines for + - * / and comparisons. */
/* clang-format off */
#define INT_COMBOS(op, f2, f4, f8, r2, r4, r8)                                                     \
    {op, I2, I2, r2, f2}, {op, I2, I4, r4, f4}, {op, I4, I2, r4, f4}, {op, I4, I4, r4, f4},        \
    {op, I2, I8, r8, f8}, {op, I8, I2, r8, f8}, {op, I4, I8, r8, f8}, {op, I8, I4, r8, f8},        \
    {op, I8, I8, r8, f8}
#define INT_ARITH(op, f2, f4, f8) INT_COMBOS(op, f2, f4, f8, I2, I4, I8)
#define INT_CMP(op, f) INT_COMBOS(op, f, f, f, BO, BO, BO)
#define SAME3(op, f2, f4, f8) {op, I2, I2, I2, f2}, {op, I4, I4, I4, f4}, {op, I8, I8, I8, f8}
#define PREFIX3(op, f2, f4, f8) {op, 0, I2, I2, f2}, {op, 0, I4, I4, f4}, {op, 0, I8, I8, f8}
#define STR_CMP(op, f)                                                                             \
    {op, TX, TX, BO, f}, {op, NM, NM, BO, f}, {op, NM, TX, BO, f}, {op, TX, NM, BO, f}
/* clang-format on */

static const OperDef OPERS[] = {
    INT_ARITH("+", int2_pl, int4_pl, int8_pl),
    INT_ARITH("-", int2_mi, int4_mi, int8_mi),
    INT_ARITH("*", int2_mul, int4_mul, int8_mul),
    INT_ARITH("/", int2_div, int4_div, int8_div),
    SAME3("%", int_mod, int_mod, int_mod),
    PREFIX3("-", int2_um, int4_um, int8_um),
    PREFIX3("+", int_up, int_up, int_up),
    PREFIX3("@", int2_abs, int4_abs, int8_abs),
    SAME3("&", int_and, int_and, int_and),
    SAME3("|", int_or, int_or, int_or),
    SAME3("#", int_xor, int_xor, int_xor),
    PREFIX3("~", int_not, int_not, int_not),
    {"<<", I2, I4, I2, int2_shl},
    {"<<", I4, I4, I4, int4_shl},
    {"<<", I8, I4, I8, int8_shl},
    {">>", I2, I4, I2, int4_shr},
    {">>", I4, I4, I4, int4_shr},
    {">>", I8, I4, I8, int8_shr},
    INT_CMP("=", int_eq),
    INT_CMP("<>", int_ne),
    INT_CMP("<", int_lt),
    INT_CMP("<=", int_le),
    INT_CMP(">", int_gt),
    INT_CMP(">=", int_ge),
    {"=", BO, BO, BO, bool_eq},
    {"<>", BO, BO, BO, bool_ne},
    {"<", BO, BO, BO, bool_lt},
    {"<=", BO, BO, BO, bool_le},
    {">", BO, BO, BO, bool_gt},
    {">=", BO, BO, BO, bool_ge},
    STR_CMP("=", text_eq),
    STR_CMP("<>", text_ne),
    STR_CMP("<", text_lt),
    STR_CMP("<=", text_le),
    STR_CMP(">", text_gt),
    STR_CMP(">=", text_ge),
    {"||", TX, TX, TX, text_cat},
    {"||", TYPE_ANYNONARRAY, TX, TX, text_cat, OPER_POLY_TO_TEXT},
    {"||", TX, TYPE_ANYNONARRAY, TX, text_cat, OPER_POLY_TO_TEXT},
};

static const CastDef CASTS[] = {
    {I8, I2, COERCION_ASSIGNMENT, "int2"},
    {I8, I4, COERCION_ASSIGNMENT, "int4"},
    {I8, F8, COERCION_IMPLICIT, "float8"},
    {I2, I8, COERCION_IMPLICIT, "int8"},
    {I2, I4, COERCION_IMPLICIT, "int4"},
    {I2, F8, COERCION_IMPLICIT, "float8"},
    {I4, I8, COERCION_IMPLICIT, "int8"},
    {I4, I2, COERCION_ASSIGNMENT, "int2"},
    {I4, F8, COERCION_IMPLICIT, "float8"},
    {I4, BO, COERCION_EXPLICIT, "bool"},
    {BO, I4, COERCION_EXPLICIT, "int4"},
    {F8, I2, COERCION_ASSIGNMENT, "int2"},
    {F8, I4, COERCION_ASSIGNMENT, "int4"},
    {F8, I8, COERCION_ASSIGNMENT, "int8"},
    {TX, NM, COERCION_IMPLICIT, "name"},
    {NM, TX, COERCION_IMPLICIT, "text"},
    {BO, TX, COERCION_ASSIGNMENT, "text"},
    /* binary-coercible, as in pg_cast (castmethod 'b') */
    {TX, TYPE_VARCHAR, COERCION_IMPLICIT, NULL},
    {TYPE_VARCHAR, TX, COERCION_IMPLICIT, NULL},
    {TYPE_NUMERIC, F8, COERCION_IMPLICIT, "float8"},
    {TYPE_NUMERIC, I2, COERCION_ASSIGNMENT, "int2"},
    {TYPE_NUMERIC, I4, COERCION_ASSIGNMENT, "int4"},
    {TYPE_NUMERIC, I8, COERCION_ASSIGNMENT, "int8"},
};

#define COUNT(a) CATALOG_COUNT(a)

const CatalogPart catalog_part_core = {FUNCS, COUNT(FUNCS), OPERS, COUNT(OPERS),
                                       CASTS, COUNT(CASTS), NULL,  0};

const CatalogPart *const catalog_parts[] = {
    &catalog_part_core,   &catalog_part_numeric, &catalog_part_datetime,
    &catalog_part_datetime_funcs, &catalog_part_string,  &catalog_part_agg,
    &catalog_part_system, &catalog_part_pg_catalog, &catalog_part_struct_ops, NULL,
};

/*
 * Positions are global indexes over the concatenation of the parts' tables,
 * so one int carries an iterator across parts.
 */
const FuncDef *
catalog_next_func(const char *name, int *pos)
{
    int base = 0;

    for (int p = 0; catalog_parts[p] != NULL; p++) {
        const CatalogPart *part = catalog_parts[p];

        for (int i = *pos - base < 0 ? 0 : *pos - base; i < part->nfuncs; i++) {
            if (strcmp(part->funcs[i].name, name) == 0) {
                *pos = base + i + 1;
                return &part->funcs[i];
            }
        }
        base += part->nfuncs;
    }
    *pos = base;
    return NULL;
}

const OperDef *
catalog_next_oper(const char *name, int *pos)
{
    int base = 0;

    for (int p = 0; catalog_parts[p] != NULL; p++) {
        const CatalogPart *part = catalog_parts[p];

        for (int i = *pos - base < 0 ? 0 : *pos - base; i < part->nopers; i++) {
            if (strcmp(part->opers[i].name, name) == 0) {
                *pos = base + i + 1;
                return &part->opers[i];
            }
        }
        base += part->nopers;
    }
    *pos = base;
    return NULL;
}

const CastDef *
catalog_find_cast(Oid source, Oid target)
{
    for (int p = 0; catalog_parts[p] != NULL; p++) {
        const CatalogPart *part = catalog_parts[p];

        for (int i = 0; i < part->ncasts; i++) {
            if (part->casts[i].source == source && part->casts[i].target == target)
                return &part->casts[i];
        }
    }
    return NULL;
}

const FuncDef *
catalog_find_func_exact(const char *name, int nargs, const Oid *args)
{
    int pos = 0;
    const FuncDef *f;

    while ((f = catalog_next_func(name, &pos)) != NULL) {
        if (f->nargs == nargs && memcmp(f->args, args, sizeof(Oid) * (size_t)nargs) == 0)
            return f;
    }
    return NULL;
}

bool
catalog_func_exists(const char *name)
{
    int pos = 0;

    return catalog_next_func(name, &pos) != NULL;
}
