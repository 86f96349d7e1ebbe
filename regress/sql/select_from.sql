--
-- SELECT with FROM over VALUES, generate_series and subqueries: WHERE,
-- joins, column references and their errors, DISTINCT, ORDER BY, LIMIT,
-- OFFSET. Run on the dataflow runtime (stream/), one-shot.
--
SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, NULL)) v(a, b);
SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, NULL)) v(a, b) WHERE a > 1;
SELECT b, a FROM (VALUES (1, 'a'), (2, 'b')) AS v(a, b) WHERE b = 'b' OR a = 1 ORDER BY a;
SELECT v.a, v.b AS bee FROM (VALUES (1, 'x')) v(a, b);
SELECT column1, column2 FROM (VALUES (1, 2)) v;
SELECT * FROM (VALUES (1, 2)) v(x);
SELECT a + 1 AS next, a * a AS sq FROM (VALUES (1), (2), (3)) v(a) WHERE a <> 2 ORDER BY 1;
-- generate_series
SELECT * FROM generate_series(1, 5);
SELECT x FROM generate_series(1, 10, 3) x;
SELECT x FROM generate_series(10, 1, -4) AS g(x);
SELECT g FROM generate_series(1, 0) g;
SELECT x FROM generate_series(1::bigint, 3) x ORDER BY x DESC;
SELECT x FROM generate_series(2147483645, 2147483647) x;
SELECT x FROM generate_series(1, NULL) x;
SELECT x FROM generate_series(1, 3, 0) x;
-- joins
SELECT a, c FROM (VALUES (1), (2)) v(a), (VALUES (10), (20)) w(c) ORDER BY a, c;
SELECT * FROM (VALUES (1), (2)) v(a) CROSS JOIN (VALUES ('x')) w(b) ORDER BY a;
SELECT * FROM (VALUES (1), (2), (3)) v(a) JOIN (VALUES (2), (3), (4)) w(b) ON a = b ORDER BY a;
SELECT * FROM (VALUES (1), (2), (3)) v(a) INNER JOIN generate_series(1, 3) g(x) ON x < a
ORDER BY a, x;
SELECT count(*) FROM generate_series(1, 100) a, generate_series(1, 100) b WHERE a = b;
-- subqueries
SELECT * FROM (SELECT x, x * 2 AS y FROM generate_series(1, 3) x) s WHERE y > 2 ORDER BY x;
SELECT * FROM (SELECT x FROM generate_series(1, 10) g(x) ORDER BY x DESC LIMIT 3) s;
SELECT s.n FROM (SELECT count(*) AS n FROM generate_series(1, 7)) s;
SELECT * FROM (SELECT 1 AS a, 2 AS b) s(c);
-- column reference errors
SELECT zz FROM (VALUES (1)) v(a);
SELECT v.zz FROM (VALUES (1)) v(a);
SELECT w.a FROM (VALUES (1)) v(a);
SELECT a FROM (VALUES (1)) v(a), (VALUES (2)) w(a);
SELECT * FROM (VALUES (1)) v(a, b);
SELECT * FROM (VALUES (1)) v, (VALUES (2)) v;
SELECT * FROM nosuchtable;
-- DISTINCT
SELECT DISTINCT a FROM (VALUES (1), (1), (2), (NULL), (NULL)) v(a) ORDER BY a;
SELECT DISTINCT a, b FROM (VALUES (1, 'x'), (1, 'x'), (1, 'y')) v(a, b) ORDER BY 1, 2;
SELECT DISTINCT a FROM (VALUES (1, 2)) v(a, b) ORDER BY b;
-- ORDER BY
SELECT a FROM (VALUES (3, 1), (1, 2), (2, 3)) v(a, b) ORDER BY b DESC;
SELECT a FROM (VALUES (3), (NULL), (1)) v(a) ORDER BY a;
SELECT a FROM (VALUES (3), (NULL), (1)) v(a) ORDER BY a DESC;
SELECT a FROM (VALUES (3), (NULL), (1)) v(a) ORDER BY a NULLS FIRST;
SELECT a FROM (VALUES (3), (NULL), (1)) v(a) ORDER BY a DESC NULLS LAST;
SELECT a, b FROM (VALUES (1, 'b'), (1, 'a'), (0, 'c')) v(a, b) ORDER BY a, b DESC;
SELECT a AS x FROM (VALUES (2), (1)) v(a) ORDER BY x;
SELECT a + 1 AS s FROM (VALUES (3), (1)) v(a) ORDER BY a + 1;
SELECT a FROM (VALUES ('b'), ('a'), ('C')) v(a) ORDER BY a;
SELECT a FROM (VALUES (1)) v(a) ORDER BY 2;
SELECT a AS x, a + 1 AS x FROM (VALUES (1)) v(a) ORDER BY x;
VALUES (3), (1), (2) ORDER BY 1;
VALUES (3, 'c'), (1, 'a') ORDER BY column2 DESC;
SELECT 1 AS x ORDER BY x;
-- LIMIT / OFFSET
SELECT x FROM generate_series(1, 10) x ORDER BY x LIMIT 3;
SELECT x FROM generate_series(1, 10) x ORDER BY x LIMIT 3 OFFSET 8;
SELECT x FROM generate_series(1, 10) x ORDER BY x OFFSET 9;
SELECT x FROM generate_series(1, 3) x LIMIT ALL;
SELECT x FROM generate_series(1, 3) x LIMIT NULL OFFSET NULL;
SELECT x FROM generate_series(1, 3) x ORDER BY x FETCH FIRST 2 ROWS ONLY;
SELECT x FROM generate_series(1, 3) x LIMIT -1;
SELECT x FROM generate_series(1, 3) x OFFSET -1;
SELECT x FROM generate_series(1, 3) x LIMIT 'a';
-- float8 and numeric order and grouping (-0 = 0, NaN last and equal to itself, 1.0 = 1.00)
SELECT x FROM (VALUES (1.5::float8), ('NaN'), (-0.0), (0.0), ('-Infinity')) v(x) ORDER BY x;
SELECT x, count(*) FROM (VALUES (0.0::float8), (-0.0), ('NaN'), ('NaN')) v(x) GROUP BY x
ORDER BY x;
SELECT x, count(*) FROM (VALUES (1.0), (1.00), (2)) v(x) GROUP BY x ORDER BY x;
-- generate_series names
SELECT generate_series FROM generate_series(1, 2);
SELECT g FROM generate_series(1, 2) g;
SELECT g.x FROM generate_series(1, 2) g(x);
SELECT g.generate_series FROM generate_series(1, 2) g;
SELECT * FROM generate_series(1, 2) AS g(x, y);
SELECT x, x FROM generate_series(1, 2) x ORDER BY 1;
