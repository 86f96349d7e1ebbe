--
-- Casts between text, the integer types and boolean; invalid input (22P02),
-- out of range (22003), casts that do not exist (42846).
--
SELECT '42'::integer AS a, CAST('42' AS bigint) AS b, '-7'::smallint AS c, integer '12' AS d,
       '  42  '::int AS padded, '+42'::int AS plus, '-0'::int AS minus_zero, '0042'::int8 AS zeros;
SELECT '-2147483648'::int AS min4, '2147483647'::int AS max4, '-32768'::int2 AS min2,
       '32767'::int2 AS max2, '-9223372036854775808'::int8 AS min8,
       '9223372036854775807'::int8 AS max8;
-- invalid input
SELECT 'abc'::integer;
\echo :SQLSTATE
SELECT ''::int;
SELECT '4 2'::int;
SELECT '1e3'::int;
SELECT '12.5'::int8;
SELECT '0x1A'::int;
SELECT '1_000'::int;
SELECT '-'::int2;
SELECT 'x'::smallint;
-- out of range
SELECT '32768'::smallint;
\echo :SQLSTATE
SELECT '-32769'::int2;
SELECT '2147483648'::int;
SELECT '-2147483649'::int4;
SELECT '9223372036854775808'::bigint;
SELECT '-9223372036854775809'::int8;
-- between integer widths
SELECT 70000::int8::int4 AS ok, 300::int4::int2 AS ok2, (-5)::int2::int8 AS ok3;
SELECT 70000::smallint;
SELECT 3000000000::int;
SELECT (-32769)::int2;
SELECT 9223372036854775807::int4;
-- boolean from text
SELECT 't'::boolean AS a, 'true'::bool AS b, 'yes'::bool AS c, 'on'::bool AS d, '1'::bool AS e,
       'TRUE'::bool AS f, '  true  '::bool AS g, 'y'::bool AS h, 'Tr'::bool AS i;
SELECT 'f'::boolean AS a, 'false'::bool AS b, 'no'::bool AS c, 'off'::bool AS d, '0'::bool AS e,
       'FALSE'::bool AS f, 'n'::bool AS g, 'of'::bool AS h;
SELECT 'maybe'::boolean;
\echo :SQLSTATE
SELECT 'o'::boolean;
SELECT ''::boolean;
SELECT '2'::boolean;
-- boolean to and from integer
SELECT 1::boolean AS a, 0::boolean AS b, 2::boolean AS c, (-1)::boolean AS d;
SELECT true::int AS a, false::integer AS b;
SELECT 1::int8::boolean;
\echo :SQLSTATE
SELECT true::int8;
SELECT 1::int2::boolean;
-- to text: each type's output function
SELECT 42::text AS a, (-5)::text AS b, true::text AS c, false::text AS d,
       9223372036854775807::text AS e, (-32768)::int2::text AS f;
SELECT '42'::text::int AS a, ' 7 '::text::int8 AS b, 'yes'::text::boolean AS c,
       'true'::text::bool::int AS d;
SELECT 'abc'::text::int;
-- NULL casts to anything
SELECT NULL::int::text AS a, CAST(NULL AS boolean) AS b, NULL::text::int8 AS c;
-- casts chain left to right
SELECT '1'::int::bool::text AS chain, 1::text::int + 1 AS round_trip;
-- unknown type names
SELECT 1::nosuchtype;
\echo :SQLSTATE
