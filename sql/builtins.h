/*
 * sql/builtins.h — the implementations of the built-in functions and
 * operators, for sql/catalog.c's tables (private to sql/).
 *
 * Every function has the BuiltinFn signature (sql/expr.h). Integer functions
 * rely on datum.h invariant 1 (integers are stored sign-extended), so one
 * implementation serves every combination of argument widths whose result
 * type is the same (int2 + int4, int4 + int2 and int4 + int4 all use
 * int4_pl): only the result range differs between them.
 */
#ifndef RIVULET_SQL_BUILTINS_H
#define RIVULET_SQL_BUILTINS_H

#include "sql/expr.h"

#define BUILTIN(name) int name(const FnCall *call, Datum *result, bool *isnull, Err *err)

/* sql/func_int.c — integer arithmetic, comparison and casts */
BUILTIN(int2_pl);
BUILTIN(int4_pl);
BUILTIN(int8_pl);
BUILTIN(int2_mi);
BUILTIN(int4_mi);
BUILTIN(int8_mi);
BUILTIN(int2_mul);
BUILTIN(int4_mul);
BUILTIN(int8_mul);
BUILTIN(int2_div);
BUILTIN(int4_div);
BUILTIN(int8_div);
BUILTIN(int_mod);
BUILTIN(int2_um);
BUILTIN(int4_um);
BUILTIN(int8_um);
BUILTIN(int_up);
BUILTIN(int2_abs);
BUILTIN(int4_abs);
BUILTIN(int8_abs);
BUILTIN(int_and);
BUILTIN(int_or);
BUILTIN(int_xor);
BUILTIN(int_not);
BUILTIN(int2_shl);
BUILTIN(int4_shl);
BUILTIN(int8_shl);
BUILTIN(int4_shr);
BUILTIN(int8_shr);
BUILTIN(int_eq);
BUILTIN(int_ne);
BUILTIN(int_lt);
BUILTIN(int_le);
BUILTIN(int_gt);
BUILTIN(int_ge);
BUILTIN(int_to_int2);
BUILTIN(int_to_int4);
BUILTIN(int_to_float8);
BUILTIN(float8_to_int2);
BUILTIN(float8_to_int4);
BUILTIN(float8_to_int8);
BUILTIN(int4_to_bool);
BUILTIN(bool_to_int4);
BUILTIN(bool_eq);
BUILTIN(bool_ne);
BUILTIN(bool_lt);
BUILTIN(bool_le);
BUILTIN(bool_gt);
BUILTIN(bool_ge);

/* sql/func_text.c — strings */
BUILTIN(text_cat);
BUILTIN(text_eq);
BUILTIN(text_ne);
BUILTIN(text_lt);
BUILTIN(text_le);
BUILTIN(text_gt);
BUILTIN(text_ge);
BUILTIN(text_to_name);
BUILTIN(name_to_text);
BUILTIN(bool_to_text);
BUILTIN(text_length);
BUILTIN(text_octet_length);

/* sql/func_system.c — settings, identity, sleeping */
BUILTIN(fn_version);
BUILTIN(fn_current_setting);
BUILTIN(fn_set_config);
BUILTIN(fn_current_database);
BUILTIN(fn_current_schema);
BUILTIN(fn_current_user);
BUILTIN(fn_session_user);
BUILTIN(fn_pg_backend_pid);
BUILTIN(fn_pg_sleep);

#endif
