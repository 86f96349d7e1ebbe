-- hand_casts.sql — cast contexts, unknown literals, implicit coercion, errors on bad casts.
SELECT '1'::int4 + '2'
SELECT '1' + '2'
SELECT 1 + '2'
SELECT 1 + '2.5'
SELECT 1.5 + '2'
SELECT 'true'::bool AND 't'
SELECT CAST(1 AS bool), CAST(0 AS bool), CAST(-5 AS bool)
SELECT CAST(true AS int4)
SELECT CAST(true AS int8)
SELECT true::text, false::varchar, true::char(5)
SELECT 1::text, 1.50::text, 1e3::float8::text
SELECT '2024-01-01'::date::text, '12:00'::time::text
SELECT '1.5'::int4
SELECT '1.5'::float8::int4
SELECT 'abc'::bool
SELECT 32768::int2
SELECT 1::int4::bool::int4
SELECT '2147483648'::int8::int4
SELECT pg_typeof(1), pg_typeof(1.0), pg_typeof('a'), pg_typeof(NULL), pg_typeof(2147483648), pg_typeof(1e3)
SELECT pg_typeof(1::int2 + 1::int2), pg_typeof(1::int2 + 1), pg_typeof(1 + 1.5::float4)
SELECT pg_typeof(1::float4 + 1::numeric), pg_typeof(1::int8 / 1::numeric)
SELECT pg_typeof(CASE WHEN true THEN 1 ELSE 1.5 END)
SELECT CASE WHEN true THEN 1 ELSE 'a' END
SELECT CASE WHEN true THEN 1 ELSE 'a'::text END
SELECT coalesce(1, 2.5), pg_typeof(coalesce(1, 2.5))
SELECT coalesce('a', 1)
SELECT greatest(1, '2', 3.5)
SELECT 1 = '1', 'a' = 1
SELECT 1::int4 = 1::int8, 1.0::float8 = 1::int4, 1::numeric = 1::float8
SELECT 'NaN'::float8::numeric::float8
SELECT 1::bool
SELECT 'yes'::bool, 'no'::bool, 'on'::bool, 'OFF'::bool, '1'::bool, '0'::bool
SELECT int8 '9223372036854775807'::float4
SELECT 1.5::float4::text, 0.1::float4::float8
SELECT 1::date
SELECT '1 day'::interval::time, '25:00'::interval::time
SELECT now()::date = current_date
SELECT ''::text IS NULL, NULL::text IS NULL
SELECT x'1F'::int4, B'101'::int4
