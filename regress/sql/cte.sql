--
-- Non-recursive WITH queries (common table expressions): column alias
-- lists, WITH queries that use earlier ones, several references, WITH in
-- subqueries and set operations, and their errors.
--
WITH t AS (SELECT 1 AS a, 'x' AS b) SELECT * FROM t;
WITH t(a, b) AS (VALUES (1, 2), (3, 4)) SELECT b, a FROM t ORDER BY a;
WITH t(a) AS (SELECT 1, 2) SELECT * FROM t;
WITH t AS (SELECT x FROM generate_series(1, 5) x) SELECT sum(x), count(*) FROM t;
-- a WITH query that uses an earlier one
WITH a AS (SELECT x FROM generate_series(1, 4) x),
     b AS (SELECT x * 10 AS y FROM a WHERE x > 2)
SELECT * FROM b ORDER BY y;
-- the same WITH query referenced twice (each reference its own copy)
WITH t AS (SELECT x FROM generate_series(1, 3) x)
SELECT t1.x, t2.x FROM t t1, t t2 WHERE t1.x < t2.x ORDER BY 1, 2;
WITH t AS (SELECT x FROM generate_series(1, 3) x)
SELECT * FROM t JOIN t AS u ON t.x = u.x + 1 ORDER BY 1;
-- referenced three times through other WITH queries
WITH n AS (SELECT x FROM generate_series(1, 3) x), m AS (SELECT x FROM n UNION ALL SELECT x FROM n)
SELECT x, count(*) FROM m GROUP BY x ORDER BY x;
-- unreferenced WITH queries still count, but do not run
WITH unused AS (SELECT 1 / 0) SELECT 5;
-- WITH with set operations, ORDER BY, LIMIT, DISTINCT, aggregates
WITH t AS (SELECT x FROM generate_series(1, 6) x)
SELECT x FROM t WHERE x < 3 UNION SELECT x FROM t WHERE x > 4 ORDER BY 1;
WITH t AS (SELECT x % 3 AS r FROM generate_series(1, 10) x)
SELECT DISTINCT r FROM t ORDER BY r DESC LIMIT 2;
WITH t AS (SELECT x % 3 AS r, x FROM generate_series(1, 10) x ORDER BY x DESC LIMIT 4)
SELECT r, count(*) FROM t GROUP BY r ORDER BY r;
-- MATERIALIZED hints are accepted
WITH t AS MATERIALIZED (SELECT 1 AS a) SELECT * FROM t;
WITH t AS NOT MATERIALIZED (SELECT 2 AS a) SELECT * FROM t;
-- WITH in subqueries and branches; shadowing an outer WITH query
SELECT * FROM (WITH s AS (SELECT 7 AS v) SELECT v + 1 AS w FROM s) q;
WITH t AS (SELECT 1 AS v) SELECT * FROM (WITH t AS (SELECT 2 AS v) SELECT * FROM t) q;
WITH t AS (SELECT 1 AS v) SELECT * FROM (SELECT v * 100 FROM t) q;
(WITH t AS (SELECT 1 AS v) SELECT v FROM t) UNION ALL SELECT 2 ORDER BY 1;
WITH t AS (SELECT 3 AS v) (SELECT v FROM t UNION SELECT 4) ORDER BY 1;
WITH t AS (VALUES (1), (2)) VALUES (3);
-- ORDER BY a column the select list does not show; types and typmods pass through
WITH t AS (SELECT x AS a, -x AS b FROM generate_series(1, 3) x) SELECT a FROM t ORDER BY b;
WITH t(a, b) AS (SELECT 'x'::varchar(4), 1.5::numeric(4,1)) SELECT * FROM t \gdesc
-- a WITH query in a subquery expression
WITH t AS (SELECT x FROM generate_series(1, 4) x)
SELECT x FROM t WHERE x > (SELECT min(x) FROM t) ORDER BY x;
SELECT (WITH s AS (SELECT 41 AS v) SELECT v + 1 FROM s);
-- the reference's alias and column aliases
WITH t AS (SELECT 1 AS a, 2 AS b) SELECT q.c, q.b FROM t AS q(c);
WITH t AS (SELECT 1 AS a) SELECT t.a FROM t;
-- a WITH query hides a table of the same name; a qualified name does not
CREATE TABLE cte_tab (a int);
INSERT INTO cte_tab VALUES (10), (20);
WITH cte_tab AS (SELECT 1 AS a) SELECT * FROM cte_tab;
WITH cte_tab AS (SELECT 1 AS a) SELECT * FROM public.cte_tab ORDER BY a;
WITH s AS (SELECT a FROM cte_tab WHERE a > 10) SELECT a FROM s;
WITH cte_tab AS (SELECT a * 10 AS a FROM cte_tab) SELECT * FROM cte_tab ORDER BY 1;
WITH x AS (SELECT 1 AS a) SELECT * FROM x x;
WITH a AS (WITH b AS (SELECT 5 AS v) SELECT * FROM b) SELECT * FROM a;
WITH a AS (SELECT 1 AS v) SELECT * FROM a WHERE v IN (WITH b AS (SELECT * FROM a) SELECT v FROM b);
INSERT INTO cte_tab WITH w AS (SELECT 30 AS a) SELECT a FROM w;
SELECT * FROM cte_tab ORDER BY a;
DROP TABLE cte_tab;
-- errors
WITH t(a, b) AS (SELECT 1) SELECT * FROM t;
WITH t AS (SELECT 1), t AS (SELECT 2) SELECT * FROM t;
WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a;
WITH t AS (SELECT 1 AS a) SELECT z FROM t;
WITH t AS (SELECT 1 AS a) SELECT * FROM t, t;
WITH t AS (SELECT zz) SELECT 1;
WITH t AS (SELECT 1 AS a) SELECT * FROM t AS q(x, y);
WITH a AS (SELECT * FROM a) SELECT 1;
WITH RECURSIVE_not AS (SELECT 1) SELECT * FROM recursive_not;
