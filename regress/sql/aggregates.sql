--
-- Aggregates: count, sum, avg, min, max, bool_and/bool_or/every,
-- string_agg, variance and standard deviation; FILTER and DISTINCT; GROUP
-- BY and HAVING; result types; empty input; misuse errors (42803).
--
SELECT count(*);
SELECT count(*), count(a), sum(a), avg(a), min(a), max(a)
FROM (VALUES (1), (2), (NULL), (4)) v(a);
SELECT count(*), sum(x), avg(x), min(x), max(x), bool_and(x > 0), string_agg(x::text, ',')
FROM generate_series(1, 0) x;
SELECT sum(x), avg(x), var_samp(x), var_pop(x), stddev_samp(x), stddev_pop(x), variance(x),
       stddev(x)
FROM generate_series(1, 100) x;
-- result types (the column types) are checked in tests/unit/stream/test_runtime.c
-- integer sums
SELECT sum(a) FROM (VALUES (2147483647), (1)) v(a);
SELECT sum(a) FROM (VALUES (9223372036854775807::bigint), (1)) v(a);
SELECT avg(a), sum(a) FROM (VALUES (1::smallint), (2::smallint)) v(a);
SELECT var_samp(a), stddev_pop(a) FROM (VALUES (1::bigint)) v(a);
-- numeric
SELECT avg(a), sum(a), min(a), max(a), variance(a) FROM (VALUES (1.5), (2.25), (NULL)) v(a);
SELECT sum(a), avg(a) FROM (VALUES ('NaN'::numeric), (1)) v(a);
-- float8
SELECT avg(x), sum(x), variance(x), stddev_samp(x), var_pop(x), min(x), max(x)
FROM (VALUES (1.5::float8), (2.5), (4)) v(x);
SELECT sum(x) FROM (VALUES (1e308::float8), (1e308)) v(x);
SELECT avg(x), var_pop(x) FROM (VALUES ('Infinity'::float8), (1)) v(x);
-- text, bool
SELECT min(a), max(a), string_agg(a, '-'), string_agg(a, NULL)
FROM (VALUES ('b'), ('a'), (NULL), ('C')) v(a);
SELECT bool_and(a), bool_or(a), every(a) FROM (VALUES (true), (false), (NULL)) v(a);
SELECT bool_and(a), bool_or(a) FROM (VALUES (true), (NULL)) v(a);
-- FILTER and DISTINCT
SELECT count(DISTINCT a), count(a) FILTER (WHERE a > 1), sum(DISTINCT a),
       sum(a) FILTER (WHERE a < 0)
FROM (VALUES (1), (1), (2), (5), (NULL)) v(a);
SELECT string_agg(DISTINCT a, ',') FROM (VALUES ('x'), ('x')) v(a);
-- GROUP BY
SELECT x % 3 AS m, count(*), sum(x), string_agg(x::text, ',')
FROM generate_series(1, 10) g(x) GROUP BY 1 ORDER BY m DESC;
SELECT a, count(*) FROM (VALUES (NULL::int), (NULL), (1)) v(a) GROUP BY a ORDER BY a;
SELECT a AS k, count(*) FROM (VALUES (1), (1), (2)) v(a) GROUP BY k ORDER BY k;
SELECT a + 1, count(*) FROM (VALUES (1), (1)) v(a) GROUP BY a + 1;
SELECT (a + 1) * 2 AS d FROM (VALUES (1), (2)) v(a) GROUP BY a + 1 ORDER BY d;
SELECT a, b, sum(c) FROM (VALUES (1, 'x', 1), (1, 'x', 2), (1, 'y', 3)) v(a, b, c)
GROUP BY a, b ORDER BY a, b;
SELECT a, count(*) FROM (VALUES (1)) v(a) WHERE false GROUP BY a;
SELECT count(*) FROM (VALUES (1), (2)) v(a) GROUP BY a ORDER BY count(*) DESC, a;
-- HAVING
SELECT count(*) FROM (VALUES (1), (2)) v(a) HAVING count(*) > 1;
SELECT count(*) FROM (VALUES (1), (2)) v(a) HAVING count(*) > 5;
SELECT a, sum(b) FROM (VALUES (1, 1), (1, 2), (2, 5)) v(a, b) GROUP BY a HAVING sum(b) > 2
ORDER BY a;
-- errors
SELECT a FROM (VALUES (1, 2)) v(a, b) GROUP BY b;
SELECT a, count(*) FROM (VALUES (1), (2)) v(a);
SELECT a * 2 FROM (VALUES (1)) v(a) GROUP BY a + 1;
SELECT count(*) FROM (VALUES (1)) v(a) GROUP BY a + 1 HAVING a > 0;
SELECT a, b FROM (VALUES (1, 2)) v(a, b) GROUP BY a ORDER BY b;
SELECT a FROM (VALUES (1)) v(a) WHERE count(*) > 0;
SELECT sum(count(a)) FROM (VALUES (1)) v(a);
SELECT sum(1) FROM (VALUES (1)) v(a) GROUP BY count(*);
SELECT a FROM (VALUES (1, 2)) v(a, b) GROUP BY 3;
SELECT 1 FROM (VALUES (1)) v(a) LIMIT count(*);
VALUES (count(*));
SELECT sum(a) FROM (VALUES ('x')) v(a);
SELECT abs(count(*)) FROM (VALUES (1)) v(a);
SELECT min(x), max(x) FROM (VALUES (1.5::float8), ('NaN'), (-1)) v(x);
SELECT sum(x) FILTER (WHERE x % 2 = 0) AS even, sum(x) FILTER (WHERE x % 2 = 1) AS odd
FROM generate_series(1, 10) x;
SELECT count(*) AS c FROM generate_series(1, 10) x WHERE x > 3 HAVING count(*) > 2 ORDER BY c;
SELECT count(*) FROM generate_series(1, 3) x GROUP BY ();
SELECT count(*) FROM generate_series(1, 3) x, generate_series(1, 3) y WHERE x < y;
-- real: sum stays real (float4pl), avg/variance go through double precision
SELECT sum(x), avg(x), variance(x), stddev(x), min(x), max(x)
FROM (VALUES (1.5::real), (2.25), (3)) v(x);
SELECT sum(x) FROM (VALUES (3e38::real), (3e38)) v(x);
SELECT sum(x) + 0.1::real FROM (VALUES (0.1::real), (0.2)) v(x);
-- ORDER BY inside aggregates
SELECT string_agg(x::text, ',' ORDER BY x DESC) FROM generate_series(1, 5) x;
SELECT x % 2 AS k, string_agg(x::text, '-' ORDER BY x % 3, x DESC) FROM generate_series(1, 9) x GROUP BY 1 ORDER BY 1;
SELECT string_agg(DISTINCT a, ',' ORDER BY a) FROM (VALUES ('b'), ('a'), ('b'), (NULL)) v(a);
SELECT string_agg(DISTINCT a, ',' ORDER BY b) FROM (VALUES ('b', 1)) v(a, b);
SELECT string_agg(a, ',' ORDER BY a NULLS FIRST), string_agg(a, ',' ORDER BY b DESC) FROM (VALUES ('x', 1), (NULL, 2), ('y', NULL)) v(a, b);
SELECT sum(x ORDER BY x), count(*) FROM generate_series(1, 4) x;
SELECT string_agg(x::text, ',' ORDER BY x) FILTER (WHERE x > 2) FROM generate_series(1, 5) x;
SELECT string_agg(x::text, ',' ORDER BY count(*)) FROM generate_series(1, 5) x;
-- DISTINCT over a grouped query: GROUP BY keys not selected do not make rows distinct
SELECT DISTINCT count(*) FROM generate_series(1, 23) x GROUP BY x % 5 ORDER BY 1;
SELECT DISTINCT (x % 5) % 2 AS parity FROM generate_series(1, 23) x GROUP BY x % 5 ORDER BY 1;
