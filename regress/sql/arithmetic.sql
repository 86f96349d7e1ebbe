--
-- Integer arithmetic: int2/int4/int8 operators, precedence, promotion to the
-- wider type, overflow (22003) and division by zero (22012).
--
SELECT 1 + 2 AS sum, 7 - 10 AS diff, 6 * 7 AS prod, 7 / 2 AS quot, 7 % 3 AS rem;
-- division truncates toward zero; the remainder takes the dividend's sign
SELECT -7 / 2 AS a, 7 / -2 AS b, -7 / -2 AS c, -7 % 3 AS d, 7 % -3 AS e, -7 % -3 AS f;
-- precedence and associativity
SELECT 2 + 3 * 4 AS a, (2 + 3) * 4 AS b, 2 * 3 + 4 AS c, 10 - 2 - 3 AS d,
       100 / 10 / 5 AS e, 2 * 3 % 4 AS f, 17 % 5 * 2 AS g;
SELECT -2 * -3 AS a, - - 5 AS b, +5 AS c, -(2 + 3) AS d, 2 - -2 AS e, -2 + 5 * -1 AS f;
-- NULL propagates
SELECT 1 + NULL AS a, NULL * 2 AS b, NULL::int8 / 0 AS c, -NULL::int2 AS d;
-- smallint
SELECT 1::int2 + 2::int2 AS add, 5::int2 - 7::int2 AS sub, 300::int2 * 100::int2 AS mul,
       100::int2 / 7::int2 AS div, 100::int2 % 7::int2 AS mod, -(5::int2) AS neg;
SELECT 32767::int2 + 1::int2;
\echo :SQLSTATE
SELECT (-32768)::int2 - 1::int2;
SELECT 200::int2 * 200::int2;
SELECT (-32768)::int2 / (-1)::int2;
SELECT -((-32768)::int2);
SELECT (-32768)::int2 % (-1)::int2 AS int2_min_mod_minus_one;
-- integer
SELECT 2147483647 + 1;
SELECT -2147483647 - 2;
SELECT 65536 * 32768;
SELECT (-2147483647 - 1) / -1;
SELECT -(-2147483647 - 1);
SELECT (-2147483647 - 1) % -1 AS int4_min_mod_minus_one;
SELECT 2147483647 + 0 AS max_ok, -2147483647 - 1 AS min_ok, 46340 * 46340 AS square_ok;
-- bigint
SELECT 9223372036854775807 + 1;
\echo :SQLSTATE
SELECT -9223372036854775807 - 2;
SELECT 4294967296 * 4294967296;
SELECT (-9223372036854775807 - 1) / -1;
SELECT -(-9223372036854775807 - 1);
SELECT (-9223372036854775807 - 1) % -1 AS int8_min_mod_minus_one;
SELECT 3000000000 * 2 AS big, 3000000000 / 7 AS bigdiv, 3000000000 % 7 AS bigmod;
-- mixed widths: the narrower operand is promoted
SELECT 32767::int2 + 1 AS int2_plus_int4, 32767::int2 + 1::int8 AS int2_plus_int8,
       2147483647 + 1::int8 AS int4_plus_int8, 2147483647::int8 + 1 AS int8_plus_int4,
       100::int2 * 1000 AS int2_times_int4, 7::int8 / 2::int2 AS int8_div_int2,
       7 % 4::int2 AS int4_mod_int2, 10::int2 - 20::int8 AS int2_minus_int8;
SELECT 2147483647 * 2::int2;
SELECT 9223372036854775807 + 1::int2;
-- division by zero, for every width
SELECT 1 / 0;
\echo :SQLSTATE
SELECT 1 % 0;
SELECT 1::int2 / 0::int2;
SELECT 1::int2 % 0::int2;
SELECT 1::int8 / 0;
SELECT 1::int8 % 0::int8;
SELECT 1::int2 / 0::int8;
SELECT 0 / 5 AS zero_dividend;
-- the session goes on after errors
SELECT 6 * 7 AS still_fine;
