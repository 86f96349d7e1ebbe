/*
 * sql/cat_system.c — the system part of the built-in catalog (see
 * sql/catalog.h): the oid and regtype types, pg_typeof(), format_type(), the
 * oid comparison operators and the casts among oid, regtype and the integers,
 * as PostgreSQL 15's pg_type / pg_proc / pg_operator / pg_cast rows.
 *
 * regtype has no operators of its own, as in PostgreSQL: comparisons reach
 * oid's through the implicit binary cast regtype → oid.
 *
 * Invariants:
 *   1. Tables are const and never modified.
 *   2. Argument and result types are PostgreSQL's.
 */
#include "sql/catalog.h"
#include "sql/func_catalog.h"

#define OI TYPE_OID
#define RT TYPE_REGTYPE
#define I2 TYPE_INT2
#define I4 TYPE_INT4
#define I8 TYPE_INT8
#define BO TYPE_BOOL
#define TX TYPE_TEXT
#define S FN_STRICT

static const TypeInfo TYPES[] = {
    {TYPE_OID, "oid", "oid", 4, true, TYPCAT_NUMERIC, true, true, oid_in, oid_out, oid_recv,
     oid_send, NULL, NULL},
    {TYPE_REGTYPE, "regtype", "regtype", 4, true, TYPCAT_NUMERIC, false, true, regtype_in,
     regtype_out, oid_recv, oid_send, NULL, NULL},
};

static const FuncDef FUNCS[] = {
    {"pg_typeof", 1, {TYPE_ANY}, RT, FN_STABLE, fn_pg_typeof},
    {"format_type", 2, {OI, I4}, TX, FN_STABLE, fn_format_type},
    {"oideq", 2, {OI, OI}, BO, S, oid_eq},
    {"oidne", 2, {OI, OI}, BO, S, oid_ne},
    {"oidlt", 2, {OI, OI}, BO, S, oid_lt},
    {"oidle", 2, {OI, OI}, BO, S, oid_le},
    {"oidgt", 2, {OI, OI}, BO, S, oid_gt},
    {"oidge", 2, {OI, OI}, BO, S, oid_ge},
    {"oidlarger", 2, {OI, OI}, OI, S, oid_larger},
    {"oidsmaller", 2, {OI, OI}, OI, S, oid_smaller},
    /* casts, callable by their type names */
    {"oid", 1, {I8}, OI, S, int8_to_oid},
    {"oid", 1, {I2}, OI, S, int2_to_oid},
    {"int8", 1, {OI}, I8, S, oid_to_int8},
    /* PostgreSQL casts regtype → int8 with int8(oid) on the binary-compatible argument */
    {"int8", 1, {RT}, I8, S, oid_to_int8},
};

static const OperDef OPERS[] = {
    {"=", OI, OI, BO, oid_eq, 0},  {"<>", OI, OI, BO, oid_ne, 0}, {"<", OI, OI, BO, oid_lt, 0},
    {"<=", OI, OI, BO, oid_le, 0}, {">", OI, OI, BO, oid_gt, 0},  {">=", OI, OI, BO, oid_ge, 0},
};

static const CastDef CASTS[] = {
    {I8, OI, COERCION_IMPLICIT, "oid"},    {I2, OI, COERCION_IMPLICIT, "oid"},
    {I4, OI, COERCION_IMPLICIT, NULL},     {OI, I8, COERCION_ASSIGNMENT, "int8"},
    {OI, I4, COERCION_ASSIGNMENT, NULL},   {OI, RT, COERCION_IMPLICIT, NULL},
    {RT, OI, COERCION_IMPLICIT, NULL},     {I8, RT, COERCION_IMPLICIT, "oid"},
    {I2, RT, COERCION_IMPLICIT, "oid"},    {I4, RT, COERCION_IMPLICIT, NULL},
    {RT, I8, COERCION_ASSIGNMENT, "int8"}, {RT, I4, COERCION_ASSIGNMENT, NULL},
};

const CatalogPart catalog_part_system = {
    FUNCS, CATALOG_COUNT(FUNCS), OPERS, CATALOG_COUNT(OPERS),
    CASTS, CATALOG_COUNT(CASTS), TYPES, CATALOG_COUNT(TYPES),
};
