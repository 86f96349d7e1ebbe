-- hand_errors.sql — errors: SQLSTATE must match PostgreSQL's (message compared as a note).
SELECT 1 +
SELECT nosuchfunc(1)
SELECT nosuchcol
SELECT 'a' + 1
SELECT 1::nosuchtype
SELECT abs('x')
SELECT abs()
SELECT length(1, 2)
SELECT 'abc'::int4
SELECT '99999999999'::int4
SELECT 1 / 0
SELECT 1.0 / 0
SELECT 1::float8 / 0
SELECT sqrt(-1)
SELECT ln(0)
SELECT log(-1)
SELECT 'x'::date
SELECT '2024-13-01'::date
SELECT '25:00'::time
SELECT 'x'::interval
SELECT 'x'::timestamptz
SELECT 'x'::float8
SELECT 'x'::numeric
SELECT 'x'::bool
SELECT repeat('x', 2000000000)
SELECT lpad('x', -1)
SELECT chr(1114112)
SELECT E'\xc3'
SELECT 'abc'::varchar(2)
SELECT 'abc'::char(2)
SELECT 1::varchar(0)
SELECT 1::numeric(0)
SELECT 1::numeric(1001)
SELECT 1::numeric(5, 6)
SELECT 10::numeric(1)
SELECT CAST('1' AS int4) + CAST('x' AS int4)
SELECT (1, 2) = (1)
SELECT CASE WHEN 1 THEN 1 END
SELECT NULL + NULL
SELECT NULL::text + 1
SELECT $1
SELECT 1 FROM nosuchtable
SELECT count(*) + x FROM (VALUES (1)) t(x)
SELECT * FROM (VALUES (1)) t(x) ORDER BY y
SELECT sum(x) FROM (VALUES (1)) t(x) GROUP BY sum(x)
SELECT x FROM (VALUES (1)) t(x) WHERE count(*) > 0
SELECT 2147483647::int4 * 2
SELECT (-9223372036854775808)::int8 - 1
SELECT 1e308::float8 * 1e308::float8
SELECT 'Infinity'::float8::int4
SELECT 'NaN'::numeric::int4
SELECT to_date('2024-02-30', 'YYYY-MM-DD')
SELECT make_date(0, 1, 1)
SELECT date '2024-01-01' + 2147483647
SELECT timestamp '294276-12-31' + interval '10 years'
SELECT interval '178000000 years' * 2
SELECT 'a' ~ '('
SELECT 'a' LIKE 'a' ESCAPE 'ab'
SELECT substr('abc', 1, -1)
SELECT split_part('a', ',', 0)
SELECT 1 NOTANOPERATOR 2
SELECT 'a' COLLATE "nosuch"
SELECT 1 = ANY(1)
