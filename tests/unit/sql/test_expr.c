/*
 * tests/unit/sql/test_expr.c — Check suite for expression binding and
 * evaluation (sql/bind_expr.c, sql/resolve.c, sql/expr.c, sql/func_*.c)
 * through the public API: results, result column names and types, and
 * errors with PostgreSQL's SQLSTATE, message and position.
 *
 * The expectations in CASES were produced by running each query on
 * PostgreSQL 15 (psql's simple query protocol); the entries marked with a
 * comment are where Rivulet deliberately differs for now (types and
 * features that arrive in later issues).
 */
#include <check.h>
#include <string.h>

#include "sql_test_util.h"

typedef struct Case {
    const char *sql;
    const char *expect;  /* rows "a|b" joined by newlines, or "ERROR <state>: <msg> @<pos>" */
    const char *columns; /* "name:type oid:typlen,..." or "" when not checked */
} Case;

static const Case CASES[] = {
    {"select 1", "1", "?column?:23:4"},
    {"SELECT 'a', true, NULL", "a|t|<NULL>", "?column?:25:-1,?column?:16:1,?column?:25:-1"},
    {"select 'abc'::int", "ERROR 22P02: invalid input syntax for type integer: \"abc\" @8", ""},
    {"select 'é' || x", "ERROR 42703: column \"x\" does not exist @15", ""},
    {"select 1/0", "ERROR 22012: division by zero @0", ""},
    {"select 'abc' + 1", "ERROR 22P02: invalid input syntax for type integer: \"abc\" @8", ""},
    {"select 1 || 2", "ERROR 42883: operator does not exist: integer || integer @10", ""},
    {"select foo(1)", "ERROR 42883: function foo(integer) does not exist @8", ""},
    {"select foo(1, 'a', null)",
     "ERROR 42883: function foo(integer, unknown, unknown) does not exist @8", ""},
    {"select x", "ERROR 42703: column \"x\" does not exist @8", ""},
    {"select 1::int8::bool", "ERROR 42846: cannot cast type bigint to boolean @15", ""},
    {"select text(1), int4('12'), int4(1::int8), bool(1)", "1|12|1|t",
     "text:25:-1,int4:23:4,int4:23:4,bool:16:1"},
    {"select '  12 '::int, ' TrUe '::bool, 'on'::bool, 'of'::bool", "12|t|t|f",
     "int4:23:4,bool:16:1,bool:16:1,bool:16:1"},
    {"select 'o'::bool", "ERROR 22P02: invalid input syntax for type boolean: \"o\" @8", ""},
    {"select '99999999999'::int",
     "ERROR 22003: value \"99999999999\" is out of range for type integer @8", ""},
    {"select '-32769'::int2", "ERROR 22003: value \"-32769\" is out of range for type smallint @8",
     ""},
    {"select current_user = 'postgres', current_user || 'x'", "t|postgresx",
     "?column?:16:1,?column?:25:-1"},
    {"select null || 'a', 'a' || 'b'", "<NULL>|ab", "?column?:25:-1,?column?:25:-1"},
    {"select -32768::int2, (-32768)::int2", "ERROR 22003: smallint out of range @0", ""},
    {"select 32767::int2 + 1::int2", "ERROR 22003: smallint out of range @0", ""},
    {"select 2147483647 + 1", "ERROR 22003: integer out of range @0", ""},
    {"select -2147483647 - 2", "ERROR 22003: integer out of range @0", ""},
    {"select 65536 * 65536", "ERROR 22003: integer out of range @0", ""},
    {"select 9223372036854775807 + 1", "ERROR 22003: bigint out of range @0", ""},
    {"select -9223372036854775807 - 2", "ERROR 22003: bigint out of range @0", ""},
    {"select 4611686018427387904 * 2", "ERROR 22003: bigint out of range @0", ""},
    {"select -2147483648 / -1", "ERROR 22003: integer out of range @0", ""},
    {"select -9223372036854775808 / -1", "ERROR 22003: bigint out of range @0", ""},
    {"select -(-2147483648)", "2147483648", "?column?:20:8"},
    {"select -(-9223372036854775808)", "9223372036854775808", "?column?:1700:-1"},
    {"select (-2147483648)::int4 % -1", "0", "?column?:23:4"},
    {"select (-9223372036854775808)::int8 % -1", "0", "?column?:20:8"},
    {"select 7 % 0", "ERROR 22012: division by zero @0", ""},
    {"select 7 / 0::int8", "ERROR 22012: division by zero @0", ""},
    {"select 7::int2 / 0::int2", "ERROR 22012: division by zero @0", ""},
    {"select 5 / 2, -5 / 2, -5 % 2, 5::int2 * 3::int8", "2|-2|-1|15",
     "?column?:23:4,?column?:23:4,?column?:23:4,?column?:20:8"},
    {"select 1 + 1::int8, 2::int8 - 1, 3::int2 * 2, 10::int8 / 3::int2, 10 % 3::int2", "2|1|6|3|1",
     "?column?:20:8,?column?:20:8,?column?:23:4,?column?:20:8,?column?:23:4"},
    {"select null = 1, null and false, null or true, not null, null is null, 1 is not null, "
     "null::bool is unknown, true is not false",
     "<NULL>|f|t|<NULL>|t|t|t|t",
     "?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:"
     "16:1,?column?:16:1"},
    {"select true and true, true and false, false or false, true or null, false and null, null and "
     "null",
     "t|f|f|t|f|<NULL>",
     "?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select null is true, null is not true, null is false, null is not false, null is unknown, "
     "null is not unknown, true is unknown, false is not unknown",
     "f|t|f|t|t|f|f|t",
     "?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:"
     "16:1,?column?:16:1"},
    {"select 1 is distinct from null, null is not distinct from null, 1 is distinct from 1, 1 is "
     "not distinct from 2",
     "t|t|f|f", "?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select 'abc' < 'abd', 'a' = 'a'::text, true > false", "t|t|t",
     "?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select 'b' > 'a', 'a' >= 'a', 'ab' < 'a', 'é' > 'z', '' < 'a', 'a' <> 'b'", "t|t|f|t|t|t",
     "?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select 1 < 2::int8, 3::int2 >= 2, 2 = 2::int2, 5::int8 <> 5, 4 <= 3, -1 > -2", "t|t|t|f|f|t",
     "?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select true = false, true <> false, false < true, true >= true", "f|t|t|t",
     "?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select nullif(1, 1), nullif('a', 'b'), coalesce(null, null, 3), coalesce(null, 'x')",
     "<NULL>|a|3|x", "nullif:23:4,nullif:25:-1,coalesce:23:4,coalesce:25:-1"},
    {"select case 1 when 1 then 'one' else 'other' end, case when false then 1 end, case when null "
     "then 1 else 2 end",
     "one|<NULL>|2", "case:25:-1,case:23:4,case:23:4"},
    {"select case when true then 1 else 'a' end",
     "ERROR 22P02: invalid input syntax for type integer: \"a\" @35", ""},
    {"select case when true then 1 else 2::int8 end", "1", "case:20:8"},
    {"select case when true then 1 else true end",
     "ERROR 42804: CASE types boolean and integer cannot be matched @28", ""},
    {"select case 2 when 1 then 'a' when 2 then 'b' end, case 3 when 1 then 'a' when 2 then 'b' "
     "end",
     "b|<NULL>", "case:25:-1,case:25:-1"},
    {"select case null when null then 'hit' else 'miss' end", "miss", "case:25:-1"},
    {"select case when 1 then 'x' end",
     "ERROR 42804: argument of CASE/WHEN must be type boolean, not type integer @18", ""},
    {"select 1 = 'a'", "ERROR 22P02: invalid input syntax for type integer: \"a\" @12", ""},
    {"select true and 1", "ERROR 42804: argument of AND must be type boolean, not type integer @17",
     ""},
    {"select 'yes'::bool and 'a'", "ERROR 22P02: invalid input syntax for type boolean: \"a\" @24",
     ""},
    {"select not 1", "ERROR 42804: argument of NOT must be type boolean, not type integer @12", ""},
    {"select - 'a'::text", "ERROR 42883: operator does not exist: - text @8", ""},
    {"select coalesce(1, 'a')", "ERROR 22P02: invalid input syntax for type integer: \"a\" @20",
     ""},
    {"select coalesce(1, true)",
     "ERROR 42804: COALESCE types integer and boolean cannot be matched @20", ""},
    {"select coalesce(null, 2::int8, 3)", "2", "coalesce:20:8"},
    {"select coalesce(null)", "<NULL>", "coalesce:25:-1"},
    {"select ''::int", "ERROR 22P02: invalid input syntax for type integer: \"\" @8", ""},
    {"select ' 1 2'::int", "ERROR 22P02: invalid input syntax for type integer: \" 1 2\" @8", ""},
    {"select '+5'::int, '-0'::int, '  -12'::int8, '2147483648'::int8", "5|0|-12|2147483648",
     "int4:23:4,int4:23:4,int8:20:8,int8:20:8"},
    {"select '-9223372036854775808'::int8, '-9223372036854775809'::int8",
     "ERROR 22003: value \"-9223372036854775809\" is out of range for type bigint @38", ""},
    {"select 1::bool, 0::bool, 5::bool, true::int, false::int", "t|f|t|1|0",
     "bool:16:1,bool:16:1,bool:16:1,int4:23:4,int4:23:4"},
    {"select 1::int2::bool", "ERROR 42846: cannot cast type smallint to boolean @15", ""},
    {"select 'x' || 1, 1 || 'x', true || 'x', null::int || 'a', 'a' || null",
     "x1|1x|truex|<NULL>|<NULL>",
     "?column?:25:-1,?column?:25:-1,?column?:25:-1,?column?:25:-1,?column?:25:-1"},
    {"select current_database(), session_user, user, current_role, current_catalog, current_schema",
     "postgres|postgres|postgres|postgres|postgres|public",
     "current_database:19:64,session_user:19:64,user:19:64,current_role:19:64,current_catalog:19:"
     "64,current_schema:19:64"},
    {"select current_setting('DateStyle'), current_setting('datestyle'), current_setting('nope', "
     "true)",
     "ISO, MDY|ISO, MDY|<NULL>",
     "current_setting:25:-1,current_setting:25:-1,current_setting:25:-1"},
    {"select current_setting('nope')",
     "ERROR 42704: unrecognized configuration parameter \"nope\" @0", ""},
    {"select pg_sleep(0), pg_sleep(0.01), pg_sleep('0')", "||",
     "pg_sleep:2278:4,pg_sleep:2278:4,pg_sleep:2278:4"},
    {"select 'a' = current_user, current_user || current_user, current_user = 'a'::text",
     "f|postgrespostgres|f", "?column?:16:1,?column?:25:-1,?column?:16:1"},
    {"select nullif(current_user, 'postgres'), coalesce(current_user, 'x')", "<NULL>|postgres",
     "nullif:19:64,coalesce:19:64"},
    {"select case when true then current_user else 'x' end", "postgres", "case:19:64"},
    {"select 1::text, true::text, 't'::text::bool, '5'::text::int, 5::int2::text", "1|true|t|5|5",
     "text:25:-1,text:25:-1,bool:16:1,int4:23:4,text:25:-1"},
    {"select 5::text::int2", "5", "int2:21:2"},
    {"select 'abc'::text::int", "ERROR 22P02: invalid input syntax for type integer: \"abc\" @0",
     ""},
    {"select int8(5), int2(5), text(true), bool('yes'), int4('  7')", "5|5|true|t|7",
     "int8:20:8,int2:21:2,text:25:-1,bool:16:1,int4:23:4"},
    {"select int4(1::int2::int8), bool(1::int8)",
     "ERROR 42883: function bool(bigint) does not exist @29", ""},
    {"select name('abc'), 'abc'::name, pg_catalog.text('x')", "abc|abc|x",
     "name:19:64,name:19:64,text:25:-1"},
    {"select true = 't', 't' = true, 1 = '1'", "t|t|t",
     "?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select '1'::int2 + '2'", "3", "?column?:21:2"},
    {"select 'a' || 'b' || 3 || true", "ab3true", "?column?:25:-1"},
    {"select 1 is true",
     "ERROR 42804: argument of IS TRUE must be type boolean, not type integer @8", ""},
    {"select 'x' is true", "ERROR 22P02: invalid input syntax for type boolean: \"x\" @8", ""},
    {"select 't' is true, 'f' is not false", "t|f", "?column?:16:1,?column?:16:1"},
    {"select null is true, null::int is null", "f|t", "?column?:16:1,?column?:16:1"},
    {"select nullif(1, '1'), nullif('a', 1)",
     "ERROR 22P02: invalid input syntax for type integer: \"a\" @31", ""},
    {"select coalesce('1', 2)", "1", "coalesce:23:4"},
    {"select case '1' when 1 then 'x' end",
     "ERROR 42883: operator does not exist: text = integer @17", ""},
    {"select case 1 when 'a' then 'x' end",
     "ERROR 22P02: invalid input syntax for type integer: \"a\" @20", ""},
    {"select t.x", "ERROR 42P01: missing FROM-clause entry for table \"t\" @8", ""},
    {"select *", "ERROR 42601: SELECT * with no tables specified is not valid @8", ""},
    {"select t.*", "ERROR 42P01: missing FROM-clause entry for table \"t\" @8", ""},
    {"select 'a'::int4(5)", "ERROR 42601: type modifier is not allowed for type \"int4\" @13", ""},
    {"select 1::foo", "ERROR 42704: type \"foo\" does not exist @11", ""},
    {"select 1::pg_catalog.int4, 1::public.int4",
     "ERROR 42704: type \"public.int4\" does not exist @31", ""},
    {"select 1::x.int4", "ERROR 3F000: schema \"x\" does not exist @11", ""},
    {"select pg_catalog.abs(-5)", "5", "abs:23:4"},
    {"select foo.abs(-5)", "ERROR 3F000: schema \"foo\" does not exist @8", ""},
    {"select 1 in (1, 2), 3 not in (1, null), 2 between 1 and 3, 5 not between 1 and 3, 2 between "
     "symmetric 3 and 1",
     "t|<NULL>|t|t|t", "?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select 1 in (2, 3), 1 not in (2, 3), null in (1), 1 in (1, null), 2 in (1, null)",
     "f|t|<NULL>|t|<NULL>",
     "?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select 'a' in ('a', 'b'), 1 in (1::int8, 2::int2)", "t|t", "?column?:16:1,?column?:16:1"},
    {"select 4 not between 1 and 3, 2 not between symmetric 3 and 1, 0 between symmetric 3 and 1",
     "t|f|f", "?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select 1 limit 0", "", "?column?:23:4"},
    {"select 1 limit -1", "ERROR 2201W: LIMIT must not be negative @0", ""},
    {"select 1 offset -1", "ERROR 2201X: OFFSET must not be negative @0", ""},
    {"select 1 limit 'a'", "ERROR 22P02: invalid input syntax for type bigint: \"a\" @16", ""},
    {"select 1 limit null", "1", "?column?:23:4"},
    {"select 1 offset 1", "", "?column?:23:4"},
    {"select 1 where 1",
     "ERROR 42804: argument of WHERE must be type boolean, not type integer @16", ""},
    {"select 1 where 'a'", "ERROR 22P02: invalid input syntax for type boolean: \"a\" @16", ""},
    {"select 1 where null", "", "?column?:23:4"},
    {"select 1 where true limit 1 offset 0", "1", "?column?:23:4"},
    {"select 1 where false", "", "?column?:23:4"},
    {"values (1, 'a'), (2, 'b')", "1|a\n2|b", "column1:23:4,column2:25:-1"},
    {"values (1), ('x')", "ERROR 22P02: invalid input syntax for type integer: \"x\" @14", ""},
    {"values (1), (true)", "ERROR 42804: VALUES types integer and boolean cannot be matched @14",
     ""},
    {"values (1, 2), (3)", "ERROR 42601: VALUES lists must all be the same length @17", ""},
    {"values (1), (2::int8), (null)", "1\n2\n<NULL>", "column1:20:8"},
    {"values ('a'), (null)", "a\n<NULL>", "column1:25:-1"},
    {"values (1), (2), (3) limit 2 offset 1", "2\n3", "column1:23:4"},
    {"select", "", ""},
    {"select 1 as \"A\", 2 x, 3 as \"select\"", "1|2|3", "A:23:4,x:23:4,select:23:4"},
    {"select int4 '5'", "5", "int4:23:4"},
    {"select bool 'yes', text 'x'", "t|x", "bool:16:1,text:25:-1"},
    {"select ~5, 5 & 3, 5 | 3, 5 # 3, 1 << 4, 16 >> 2, @ -5", "-6|1|7|6|16|4|5",
     "?column?:23:4,?column?:23:4,?column?:23:4,?column?:23:4,?column?:23:4,?column?:23:4,?column?:"
     "23:4"},
    {"select 1::int2 << 15, 1 << 31, 1 << 32, 1::int8 << 63, -8 >> 1",
     "-32768|-2147483648|1|-9223372036854775808|-4",
     "?column?:21:2,?column?:23:4,?column?:23:4,?column?:20:8,?column?:23:4"},
    {"select 10 % 3, 7 / 2 * 2, 2 + 3 * 4, (2 + 3) * 4, -2 * -3, - - 4", "1|6|14|20|6|4",
     "?column?:23:4,?column?:23:4,?column?:23:4,?column?:23:4,?column?:23:4,?column?:23:4"},
    {"select -2147483648", "-2147483648", "?column?:23:4"},
    {"select - -2147483648", "2147483648", "?column?:20:8"},
    {"select 2147483648", "2147483648", "?column?:20:8"},
    {"select -9223372036854775808", "-9223372036854775808", "?column?:20:8"},
    {"select 1::int2 % 2", "1", "?column?:23:4"},
    {"select 1.5::float8, 0.1::float8, 1e15::float8, 1e16::float8, 123456789012345678::float8, "
     "0.0001::float8, 0.00001::float8, 100::float8, 'nan'::float8, '-inf'::float8",
     "1.5|0.1|1e+15|1e+16|1.2345678901234568e+17|0.0001|1e-05|100|NaN|-Infinity",
     "float8:701:8,float8:701:8,float8:701:8,float8:701:8,float8:701:8,float8:701:8,float8:701:8,"
     "float8:701:8,float8:701:8,float8:701:8"},
    {"select 2.5::int, 3.5::int, (-2.5)::int2, 1e3::int8", "3|4|-3|1000",
     "int4:23:4,int4:23:4,int2:21:2,int8:20:8"},
    {"select 2.5::float8::int, 3.5::float8::int, (-2.5)::float8::int", "2|4|-2",
     "int4:23:4,int4:23:4,int4:23:4"},
    {"select '1e10'::float8::int", "ERROR 22003: integer out of range @0", ""},
    {"select 'abc'::float8",
     "ERROR 22P02: invalid input syntax for type double precision: \"abc\" @8", ""},
    {"select length('héllo'), octet_length('héllo'), abs(-3), mod(7, 3), char_length(''), "
     "abs(-32768::int2)",
     "ERROR 22003: smallint out of range @0", ""},
    {"select abs(-2147483648)", "ERROR 22003: integer out of range @0", ""},
    {"select 1::int2 + 1, 1::int2 + 1::int2, 1::int2 * 1::int8", "2|2|1",
     "?column?:23:4,?column?:21:2,?column?:20:8"},
    {"select -32768::int2", "ERROR 22003: smallint out of range @0", ""},
    {"select (-32768)::int2 / (-1)::int2", "ERROR 22003: smallint out of range @0", ""},
    {"select case when 1/0 = 1 then 1 else 2 end", "ERROR 22012: division by zero @0", ""},
    {"select case when true then 1 else 1/0 end", "1", "case:23:4"},
    {"select false and 1/0 = 1, true or 1/0 = 1, 1/0 = 1 and false",
     "ERROR 22012: division by zero @0", ""},
    {"select coalesce(1, 1/0)", "1", "coalesce:23:4"},
    {"select nullif(1, 1/0)", "ERROR 22012: division by zero @0", ""},
    {"select 'a' is distinct from 'b', 1 is not distinct from 1::int8", "t|t",
     "?column?:16:1,?column?:16:1"},
    {"select 'x' as a, 1 as a", "x|1", "a:25:-1,a:23:4"},
    {"select 1::int, 1::integer, 1::smallint, 1::bigint, 'x'::varchar, 1::numeric",
     "1|1|1|1|x|1", "int4:23:4,int4:23:4,int2:21:2,int8:20:8,varchar:1043:-1,numeric:1700:-1"},
    {"select 'x'::varchar, 'a'::varchar || 'b'::text, length('abc'::varchar)", "x|ab|3",
     "varchar:1043:-1,?column?:25:-1,length:23:4"},
    {"select 1::date", "ERROR 42846: cannot cast type integer to date @9", ""},
    {"select cast(1 as int8), cast('x' as text), cast(null as int2), cast(true as int)",
     "1|x|<NULL>|1", "int8:20:8,text:25:-1,int2:21:2,int4:23:4"},
    {"select (1), ((2)), (1 + 2)::int8, ('a' || 'b')::text, (1)::text", "1|2|3|ab|1",
     "?column?:23:4,?column?:23:4,int8:20:8,text:25:-1,text:25:-1"},
    {"select case when true then 'a' else null end, case when true then x end",
     "ERROR 42703: column \"x\" does not exist @67", ""},
    {"select coalesce(a, 1)", "ERROR 42703: column \"a\" does not exist @17", ""},
    {"select 1 + 'x'::text", "ERROR 42883: operator does not exist: integer + text @10", ""},
    {"select 'a' + 'b'", "ERROR 42725: operator is not unique: unknown + unknown @12", ""},
    {"select true + 1", "ERROR 42883: operator does not exist: boolean + integer @13", ""},
    {"select 'abc' || 'é' || 'ü'", "abcéü", "?column?:25:-1"},
    {"select 1 is null is true", "f", "?column?:16:1"},
    {"select not true, not false, not not true, not (1 = 1 and 2 = 3)", "f|t|t|t",
     "?column?:16:1,?column?:16:1,?column?:16:1,?column?:16:1"},
    {"select now() = now(), now() = 'now'::timestamptz", "t|t",
     "?column?:16:1,?column?:16:1"}, /* constant within a statement, as transaction start */
    {"select count(*) over w", "ERROR 42704: window \"w\" does not exist @22", ""},
    {"select abs(x => 1)", "ERROR 42883: function abs(x => integer) does not exist @8", ""},
    {"select 1 = any('{1}')", "ERROR 0A000: ANY/ALL (array) is not supported yet @10",
     ""}, /* PostgreSQL 15 accepts this; not supported yet */
    {"select 'a' like 'a', 'a' ilike 'A' escape ''", "t|t", "?column?:16:1,?column?:16:1"},
    {"select greatest(1, 2), least(NULL, 'b', 'a')", "2|a", "greatest:23:4,least:25:-1"},
    {"select 'abc'::varchar(2), 'a'::char(3), 'x' similar to 'x'", "ab|a  |t",
     "varchar:1043:-1,bpchar:1042:-1,?column?:16:1"},
    {"select array(select 1)", "ERROR 0A000: ARRAY subqueries are not supported yet @8",
     ""}, /* PostgreSQL 15 accepts this; not supported yet (other subqueries: regress/subqueries) */
    {"select array[1]", "ERROR 0A000: ARRAY is not supported yet @8",
     ""}, /* PostgreSQL 15 accepts this; not supported yet */
    {"select row(1, 2)", "(1,2)", "row:2249:-1"}, /* sql/bind_struct_expr.c */
    {"select current_date = 'today'::date", "t", "?column?:16:1"},
    {"select 1 union select 2, 3",
     "ERROR 42601: each UNION query must have the same number of columns @23", ""},
    {"select 1 intersect select 'a'::text",
     "ERROR 42804: INTERSECT types integer and text cannot be matched @27", ""},
    {"with recursive t as (select 1) select 1",
     "ERROR 0A000: WITH RECURSIVE is not supported yet @1",
     ""}, /* PostgreSQL 15 accepts this; not supported yet */
    /* queries with a plan run through the stream runtime: tests/unit/stream/test_query.c */
    {"select 1 order by 2", "ERROR 42P10: ORDER BY position 2 is not in select list @19", ""},
    {"select distinct on (1) 1, 2 order by 2, 1",
     "ERROR 42P10: SELECT DISTINCT ON expressions must match initial ORDER BY expressions @21",
     ""},
    {"select 1 group by 2", "ERROR 42P10: GROUP BY position 2 is not in select list @19", ""},
    {"select count(count(*))", "ERROR 42803: aggregate function calls cannot be nested @14", ""},
    {"select 1 from t", "ERROR 42P01: relation \"t\" does not exist @15", ""}, /* no tables yet */
    {"select 1 from (select 1) s, (select 2) s",
     "ERROR 42712: table name \"s\" specified more than once @0", ""},
    {"select * from t", "ERROR 42P01: relation \"t\" does not exist @15", ""}, /* no tables yet */
    {"select 1 ::text || 2, 1::text::int + 1", "12|2", "?column?:25:-1,?column?:23:4"},
    {"select '-1'::int2 * '-1'::int2, '  +7  '::int8", "1|7", "?column?:21:2,int8:20:8"},
    {"select 9223372036854775807::int8 * 1, -9223372036854775808::int8 + 0",
     "ERROR 22003: bigint out of range @0", ""},
    {"select 32767::int2 * 2", "65534", "?column?:23:4"},
    {"select 'true'::bool::int, 'false'::bool::int::bool", "1|f", "int4:23:4,bool:16:1"},
    {"select text 'a' < name 'b', name 'b' > text 'a', name 'a' = name 'a'", "t|t|t",
     "?column?:16:1,?column?:16:1,?column?:16:1"},
};

#define NCASES ((int)(sizeof CASES / sizeof CASES[0]))

static SqlSession *session;

static void
setup(void)
{
    session = test_session();
}

static void
teardown(void)
{
    sql_session_destroy(session);
}

START_TEST(test_case)
{
    const Case *c = &CASES[_i];
    const char *got = run(session, c->sql);

    ck_assert_msg(strcmp(got, c->expect) == 0, "%s\n  expected: %s\n  got:      %s", c->sql,
                  c->expect, got);
    if (c->columns[0] != '\0')
        ck_assert_msg(strcmp(run_columns(), c->columns) == 0, "%s\n  columns %s, expected %s",
                      c->sql, run_columns(), c->columns);
}
END_TEST

START_TEST(test_hints)
{
    run(session, "select 1 || 2");
    ck_assert_str_eq(run_error()->hint, "No operator matches the given name and argument types. "
                                        "You might need to add explicit type casts.");
    run(session, "select - 'a'::text");
    ck_assert_str_eq(run_error()->hint, "No operator matches the given name and argument type. "
                                        "You might need to add an explicit type cast.");
    run(session, "select foo(1)");
    ck_assert_str_eq(run_error()->hint, "No function matches the given name and argument types. "
                                        "You might need to add explicit type casts.");
    ck_assert_str_eq(run(session, "select 1 + null"), "<NULL>");
}
END_TEST

START_TEST(test_ambiguous)
{
    /* PREPARE-free equivalents of PostgreSQL's "operator is not unique" cases */
    SqlScript *sc;
    SqlStatement *st;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(sql_script_parse(session, "select $1 + $2", &sc, &err), 0);
    ck_assert_int_eq(sql_prepare(session, sc, 0, NULL, 0, &st, &err), -1);
    ck_assert_str_eq(err.sqlstate, "42725");
    ck_assert_str_eq(err.message, "operator is not unique: unknown + unknown");
    ck_assert_int_eq(err.position, 11);
    ck_assert_str_eq(err.hint, "Could not choose a best candidate operator. You might need to add "
                               "explicit type casts.");
    sql_script_destroy(sc);
    err_clear(&err);
    ck_assert_int_eq(sql_script_parse(session, "select -$1", &sc, &err), 0);
    ck_assert_int_eq(sql_prepare(session, sc, 0, NULL, 0, &st, &err), -1);
    ck_assert_str_eq(err.message, "operator is not unique: - unknown");
    sql_script_destroy(sc);
}
END_TEST

static Suite *
expr_suite(void)
{
    Suite *s = suite_create("expr");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_case, 0, NCASES);
    tcase_add_test(tc, test_hints);
    tcase_add_test(tc, test_ambiguous);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(expr_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
