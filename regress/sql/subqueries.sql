--
-- subqueries: EXISTS, IN / NOT IN, op ANY / ALL, scalar subqueries; uncorrelated and correlated
--
CREATE TABLE sqa (k int, x int, s text);
CREATE TABLE sqb (k int, y int, t text);
CREATE TABLE sqe (k int, y int);
CREATE TABLE sqn (y int);
CREATE TABLE sq8 (k bigint, y bigint, f float4, s smallint);
INSERT INTO sqa VALUES (1, 10, 'a1'), (2, 20, 'a2'), (3, 30, 'a3'), (NULL, 40, 'anull'),
  (2, NULL, 'a2null'), (5, 50, 'a5');
INSERT INTO sqb VALUES (1, 10, 'b1'), (2, 15, 'b2'), (2, 25, 'b2b'), (3, NULL, 'b3null'),
  (NULL, 30, 'bnull'), (4, 40, 'b4');
INSERT INTO sqn VALUES (10), (NULL);
INSERT INTO sq8 VALUES (1, 10, 1.5, 1), (2, 20, 2.5, 2), (NULL, 40, NULL, NULL), (3, NULL, 3, 3);
-- uncorrelated EXISTS / NOT EXISTS
SELECT s FROM sqa WHERE EXISTS (SELECT 1 FROM sqb) ORDER BY s;
SELECT s FROM sqa WHERE NOT EXISTS (SELECT 1 FROM sqe) ORDER BY s;
SELECT s FROM sqa WHERE EXISTS (SELECT 1 FROM sqb WHERE y > 100) ORDER BY s;
SELECT EXISTS (SELECT 1 FROM sqe), NOT EXISTS (SELECT * FROM sqb);
-- IN / NOT IN with NULLs on both sides (three-valued)
SELECT s, x IN (SELECT y FROM sqb) AS in_b, x NOT IN (SELECT y FROM sqb) AS not_in_b
  FROM sqa ORDER BY s;
SELECT s FROM sqa WHERE x IN (SELECT y FROM sqb) ORDER BY s;
SELECT s FROM sqa WHERE x NOT IN (SELECT y FROM sqb WHERE y IS NOT NULL) ORDER BY s;
SELECT s FROM sqa WHERE x NOT IN (SELECT y FROM sqn) ORDER BY s;
SELECT s FROM sqa WHERE x NOT IN (SELECT y FROM sqe) ORDER BY s;
SELECT s, x IN (SELECT y FROM sqn) AS in_n, x NOT IN (SELECT y FROM sqe) AS not_in_empty
  FROM sqa ORDER BY s;
SELECT NULL::int IN (SELECT y FROM sqe), NULL::int IN (SELECT y FROM sqb WHERE y = 10);
-- op ANY / ALL
SELECT s, x > ANY (SELECT y FROM sqb) AS gt_any, x > ALL (SELECT y FROM sqb) AS gt_all,
  x >= ALL (SELECT y FROM sqb WHERE y IS NOT NULL) AS ge_all,
  x < SOME (SELECT y FROM sqn) AS lt_some
  FROM sqa ORDER BY s;
SELECT s FROM sqa WHERE x <> ALL (SELECT y FROM sqe) ORDER BY s;
SELECT s, x <> ALL (SELECT y FROM sqb) AS a, x <> ALL (SELECT y FROM sqn) AS n,
  x <> ALL (SELECT max(y) FROM sqb WHERE sqb.y < sqa.x) AS m,
  x <> ALL (SELECT max(y) FROM sqb WHERE sqb.k = sqa.k) AS mk FROM sqa ORDER BY s;
SELECT s FROM sqa WHERE x = ANY (SELECT y + 5 FROM sqb) ORDER BY s;
SELECT 'a2' IN (SELECT s FROM sqa), 'zz' IN (SELECT s FROM sqa), 15 IN (SELECT y FROM sqb);
-- mixed numeric types
SELECT s FROM sqa WHERE x::numeric IN (SELECT y / 1.0 FROM sqb) ORDER BY s;
SELECT s FROM sqa WHERE x IN (SELECT y::bigint FROM sqb) ORDER BY s;
-- keys of different integer and float widths
SELECT s, x IN (SELECT y FROM sq8) AS i8, x NOT IN (SELECT y FROM sq8 WHERE y IS NOT NULL) AS ni8,
  k IN (SELECT s FROM sq8) AS i2 FROM sqa ORDER BY s;
SELECT s, EXISTS (SELECT 1 FROM sq8 WHERE sq8.k = sqa.k) AS e,
  (SELECT y FROM sq8 WHERE sq8.s = sqa.k) AS y2, (SELECT count(*) FROM sq8 WHERE sq8.k = sqa.k) AS n
  FROM sqa ORDER BY s;
SELECT s, x::float8 IN (SELECT f FROM sq8) AS f,
  (SELECT max(y) FROM sq8 WHERE sq8.f = sqa.x::float8 / 10) AS m FROM sqa ORDER BY s;
-- a subquery under OR, NOT, CASE, in the select list
SELECT s FROM sqa WHERE x = 50 OR EXISTS (SELECT 1 FROM sqb WHERE y = 40) AND x < 20 ORDER BY s;
SELECT s, CASE WHEN x IN (SELECT y FROM sqb) THEN 'in' ELSE 'out' END FROM sqa ORDER BY s;
SELECT s FROM sqa WHERE NOT (x IN (SELECT y FROM sqb)) ORDER BY s;
SELECT s FROM sqa WHERE (x IN (SELECT y FROM sqb)) IS NULL ORDER BY s;
-- scalar subqueries: one row, none (NULL), aggregates
SELECT s, (SELECT max(y) FROM sqb) AS m FROM sqa ORDER BY s;
SELECT s, x - (SELECT min(y) FROM sqb) AS d FROM sqa WHERE x > (SELECT avg(y) FROM sqb) ORDER BY s;
SELECT (SELECT y FROM sqb WHERE t = 'b4'), (SELECT y FROM sqb WHERE t = 'none');
SELECT (SELECT count(*) FROM sqe), (SELECT sum(y) FROM sqe);
SELECT (SELECT 1), (SELECT 'x' || 'y') AS c;
SELECT s FROM sqa WHERE x = (SELECT y FROM sqb WHERE t = 'b1') ORDER BY s;
SELECT (SELECT y FROM sqb ORDER BY y DESC NULLS LAST LIMIT 1);
-- more than one row (but not for rows that cheaper WHERE conditions reject first)
SELECT s FROM sqa WHERE k <> 2 AND x < (SELECT y FROM sqb WHERE sqb.k = sqa.k) ORDER BY s;
SELECT s FROM sqa WHERE k = 2 AND x < (SELECT y FROM sqb WHERE sqb.k = sqa.k) ORDER BY s;
SELECT (SELECT y FROM sqb);
SELECT s FROM sqa WHERE x = (SELECT y FROM sqb WHERE k = 2);
SELECT (SELECT y FROM sqb WHERE k = 1), (SELECT y FROM sqe);
-- nested subqueries
SELECT s FROM sqa WHERE x IN (SELECT y FROM sqb WHERE y IN (SELECT y FROM sqn)) ORDER BY s;
SELECT (SELECT (SELECT max(y) FROM sqn) + 1);
-- in HAVING and over aggregates
SELECT k, count(*) FROM sqa GROUP BY k HAVING count(*) > (SELECT count(*) FROM sqe) ORDER BY k;
SELECT k, sum(x) FROM sqa GROUP BY k HAVING sum(x) > (SELECT avg(y) FROM sqb) ORDER BY k;
SELECT count(*), (SELECT max(y) FROM sqb) FROM sqa;
SELECT sum(x) FILTER (WHERE x IN (SELECT y FROM sqb)) FROM sqa;
SELECT count(*) FROM sqa WHERE EXISTS (SELECT 1 FROM sqb WHERE y = 10);
-- correlated EXISTS / NOT EXISTS (semi and anti joins)
SELECT s FROM sqa WHERE EXISTS (SELECT 1 FROM sqb WHERE sqb.k = sqa.k) ORDER BY s;
SELECT s FROM sqa WHERE NOT EXISTS (SELECT 1 FROM sqb WHERE sqb.k = sqa.k) ORDER BY s;
SELECT s FROM sqa a WHERE EXISTS (SELECT 1 FROM sqb b WHERE b.k = a.k AND b.y > a.x) ORDER BY s;
SELECT s FROM sqa a WHERE EXISTS (SELECT 1 FROM sqb b WHERE b.y < a.x AND b.t LIKE 'b%')
  ORDER BY s;
SELECT s, EXISTS (SELECT 1 FROM sqb WHERE sqb.k = sqa.k AND sqb.y IS NULL) AS has_null
  FROM sqa ORDER BY s;
SELECT s FROM sqa WHERE EXISTS (SELECT 1 FROM sqb WHERE k = sqa.k AND y = 15) ORDER BY s;
-- correlated IN / NOT IN
SELECT s FROM sqa WHERE x IN (SELECT y - 5 FROM sqb WHERE sqb.k = sqa.k) ORDER BY s;
SELECT s, x NOT IN (SELECT y FROM sqb WHERE sqb.k = sqa.k) AS n FROM sqa ORDER BY s;
SELECT s, x > ALL (SELECT y FROM sqb WHERE sqb.k = sqa.k) AS g FROM sqa ORDER BY s;
-- correlated scalar subqueries: count over no rows is 0, other aggregates NULL
SELECT s, (SELECT count(*) FROM sqb WHERE sqb.k = sqa.k) AS n FROM sqa ORDER BY s;
SELECT s, (SELECT sum(y) FROM sqb WHERE sqb.k = sqa.k) AS total,
  (SELECT count(y) + 1 FROM sqb WHERE sqb.k = sqa.k) AS c1 FROM sqa ORDER BY s;
SELECT s, (SELECT max(t) FROM sqb WHERE sqb.k = sqa.k AND sqb.y > 0) AS m FROM sqa ORDER BY s;
SELECT s FROM sqa WHERE (SELECT count(*) FROM sqb WHERE sqb.k = sqa.k) = 0 ORDER BY s;
SELECT s FROM sqa WHERE x < (SELECT sum(y) FROM sqb WHERE sqb.k = sqa.k) ORDER BY s;
SELECT s, (SELECT t FROM sqb WHERE sqb.y = sqa.x) AS t FROM sqa ORDER BY s;
SELECT s, (SELECT t FROM sqb WHERE sqb.k = sqa.k) AS t FROM sqa WHERE k <> 2 ORDER BY s;
SELECT s, (SELECT t FROM sqb WHERE sqb.k = sqa.k) AS t FROM sqa ORDER BY s;
SELECT s, x = ANY (SELECT max(y) FROM sqb WHERE sqb.k = sqa.k) AS m FROM sqa ORDER BY s;
-- correlated aggregates beyond equality keys (aggregated per outer row)
SELECT x, (SELECT count(*) FROM sqb WHERE sqb.y < sqa.x) AS n FROM sqa ORDER BY x;
SELECT s, (SELECT sum(y) FROM sqb WHERE sqb.k = sqa.k AND sqb.y > sqa.x) AS s1,
  (SELECT count(y) + 100 FROM sqb WHERE sqb.y <> sqa.x) AS c FROM sqa ORDER BY s;
SELECT s, (SELECT sum(y * sqa.x) FROM sqb WHERE sqb.k = sqa.k) AS p FROM sqa ORDER BY s;
SELECT s FROM sqa WHERE x > (SELECT avg(y) FROM sqb WHERE sqb.k <> sqa.k) ORDER BY s;
SELECT s, x = ANY (SELECT max(y) FROM sqb WHERE sqb.y <= sqa.x) AS m,
  EXISTS (SELECT count(*) FROM sqb WHERE sqb.y < sqa.x) AS e FROM sqa ORDER BY s;
SELECT s, (SELECT max(t) FILTER (WHERE y > 15) FROM sqb WHERE sqb.y < sqa.x) AS m
  FROM sqa ORDER BY s;
-- with window functions
SELECT s, row_number() OVER (ORDER BY s), (SELECT max(y) FROM sqb) FROM sqa ORDER BY s;
SELECT s, sum(x) OVER (ORDER BY s), EXISTS (SELECT 1 FROM sqb WHERE sqb.k = sqa.k) FROM sqa
  WHERE x IN (SELECT y FROM sqb) OR x IS NULL ORDER BY s;
SELECT s, sum((SELECT 1)) OVER () FROM sqa ORDER BY s;
SELECT s, sum(x) OVER (PARTITION BY x IN (SELECT y FROM sqb)) FROM sqa ORDER BY s;
-- correlated, grouped outer query
SELECT k, (SELECT count(*) FROM sqb WHERE sqb.k = sqa.k) AS nb, count(*) AS na
  FROM sqa GROUP BY k ORDER BY k;
-- outer references in the subquery's select list
SELECT s, (SELECT x) AS x2 FROM sqa ORDER BY s;
SELECT s, (SELECT y + sqa.x FROM sqb WHERE sqb.y = sqa.x) AS yx FROM sqa ORDER BY s;
SELECT s, x IN (SELECT y - sqa.k FROM sqb WHERE sqb.k = sqa.k) AS i FROM sqa ORDER BY s;
SELECT s FROM sqa a WHERE EXISTS (SELECT a.x FROM sqb b WHERE b.k = a.k) ORDER BY s;
-- ORDER BY and LIMIT inside correlated subqueries
SELECT s FROM sqa WHERE EXISTS (SELECT 1 FROM sqb WHERE sqb.k = sqa.k LIMIT 1) ORDER BY s;
SELECT s FROM sqa WHERE NOT EXISTS (SELECT 1 FROM sqb WHERE sqb.k = sqa.k ORDER BY y LIMIT 5)
  ORDER BY s;
SELECT s FROM sqa WHERE x IN (SELECT y FROM sqb WHERE sqb.k = sqa.k ORDER BY t) ORDER BY s;
SELECT s FROM sqa WHERE k IN (SELECT DISTINCT k FROM sqb WHERE sqb.y > sqa.x) ORDER BY s;
SELECT s, (SELECT t FROM sqb WHERE sqb.k = sqa.k ORDER BY y DESC NULLS LAST LIMIT 1) AS latest,
  (SELECT y FROM sqb WHERE sqb.k = sqa.k ORDER BY t LIMIT 1) AS first_y,
  (SELECT y + 1 FROM sqb WHERE sqb.y < sqa.x ORDER BY y DESC, t LIMIT 1) AS below
  FROM sqa ORDER BY s;
SELECT s FROM sqa WHERE x > (SELECT y FROM sqb WHERE sqb.k = sqa.k ORDER BY y LIMIT 1) ORDER BY s;
SELECT s, (SELECT t FROM sqb WHERE sqb.k = sqa.k LIMIT 2) AS t FROM sqa WHERE k <> 2 ORDER BY s;
-- row comparisons
SELECT s, (k, x) IN (SELECT k, y FROM sqb) AS i, (k, x) NOT IN (SELECT k, y FROM sqb) AS ni,
  (k, x) <> ALL (SELECT k, y + 5 FROM sqb) AS na FROM sqa ORDER BY s;
SELECT s FROM sqa WHERE (k, s) IN (SELECT k, replace(t, 'b', 'a') FROM sqb) ORDER BY s;
-- subquery in FROM with a subquery inside
SELECT * FROM (SELECT s, x IN (SELECT y FROM sqb) AS f FROM sqa) v WHERE f ORDER BY s;
-- errors
SELECT (SELECT k, y FROM sqb);
SELECT s FROM sqa WHERE x IN (SELECT k, y FROM sqb);
SELECT s FROM sqa WHERE x IN (SELECT t FROM sqb);
SELECT s FROM sqa WHERE EXISTS (SELECT 1 FROM sqb WHERE sqb.k = sqa.nope);
SELECT (1, 2) IN (SELECT 1);
SELECT 1 IN (SELECT 1, 2);
