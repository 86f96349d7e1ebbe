--
-- joins: hash equi-joins, LEFT/RIGHT/FULL OUTER, USING, NATURAL, join aliases
--
CREATE TABLE ja (x int, y text);
CREATE TABLE jb (x int, z text);
CREATE TABLE jc (x bigint, y text, w int);
CREATE TABLE jn (k numeric, f real, c char(4), v varchar, d date);
CREATE TABLE jm (k numeric, f float8, c char(6), v text, d timestamp);
INSERT INTO ja VALUES (1, 'a1'), (2, 'a2'), (2, 'a2b'), (NULL, 'anull'), (4, 'a4');
INSERT INTO jb VALUES (2, 'b2'), (3, 'b3'), (NULL, 'bnull'), (4, 'b4'), (4, 'b4b');
INSERT INTO jc VALUES (1, 'a1', 10), (3, 'c3', 30), (4, 'a4', 40);
INSERT INTO jn VALUES (1.0, 1.5, 'ab', 'p', '2024-01-01'), (2.50, -0, 'cd  ', 'q', '2024-02-29'),
  (NULL, NULL, NULL, NULL, NULL);
INSERT INTO jm VALUES (1.000, 1.5, 'ab    ', 'p', '2024-01-01'), (2.5, 0, 'cd', 'q', '2024-02-29 00:00'),
  (3, 2, 'x', 'r', '2024-03-01');
-- inner and outer joins with an equi key
SELECT * FROM ja JOIN jb ON ja.x = jb.x ORDER BY 1, 2, 3, 4;
SELECT * FROM ja INNER JOIN jb ON jb.x = ja.x ORDER BY 1, 2, 3, 4;
SELECT * FROM ja LEFT JOIN jb ON ja.x = jb.x ORDER BY 1, 2, 3, 4;
SELECT * FROM ja LEFT OUTER JOIN jb ON ja.x = jb.x ORDER BY 1, 2, 3, 4;
SELECT * FROM ja RIGHT JOIN jb ON ja.x = jb.x ORDER BY 1, 2, 3, 4;
SELECT * FROM ja FULL JOIN jb ON ja.x = jb.x ORDER BY 1, 2, 3, 4;
SELECT * FROM ja FULL OUTER JOIN jb ON ja.x = jb.x ORDER BY 3, 4, 1, 2;
-- a residual condition decides the match, not only the key
SELECT * FROM ja LEFT JOIN jb ON ja.x = jb.x AND jb.z > 'b4' ORDER BY 1, 2, 3, 4;
SELECT * FROM ja FULL JOIN jb ON ja.x = jb.x AND ja.y <> 'a2' ORDER BY 1, 2, 3, 4;
SELECT * FROM ja RIGHT JOIN jb ON ja.x + 1 = jb.x + 1 AND jb.z LIKE 'b%' ORDER BY 3, 4, 1, 2;
-- non-equi and constant conditions
SELECT * FROM ja LEFT JOIN jb ON ja.x < jb.x ORDER BY 1, 2, 3, 4;
SELECT * FROM ja RIGHT JOIN jb ON ja.x > jb.x ORDER BY 3, 4, 1, 2;
SELECT * FROM ja LEFT JOIN jb ON false ORDER BY 1, 2;
SELECT * FROM ja JOIN jb ON true ORDER BY 1, 2, 3, 4 LIMIT 4;
SELECT count(*) FROM ja CROSS JOIN jb;
-- cross-type keys
SELECT ja.y, jc.w FROM ja JOIN jc ON ja.x = jc.x ORDER BY 1, 2;
SELECT ja.y, jc.w FROM ja LEFT JOIN jc ON jc.x = ja.x AND jc.y = ja.y ORDER BY 1, 2;
-- keys whose equal values differ in representation
SELECT jn.k, jm.k FROM jn JOIN jm ON jn.k = jm.k ORDER BY 1;
SELECT jn.f, jm.f FROM jn FULL JOIN jm ON jn.f = jm.f ORDER BY 1, 2;
SELECT jn.c, jm.c FROM jn LEFT JOIN jm ON jn.c = jm.c ORDER BY 1;
SELECT jn.v, jm.v FROM jn JOIN jm ON jn.v = jm.v ORDER BY 1;
SELECT jn.d, jm.d FROM jn JOIN jm ON jn.d = jm.d ORDER BY 1;
SELECT j1.f, v.f FROM jn j1 JOIN (VALUES (0::real), ('-0'::real), ('NaN'::real), (1.5::real)) v (f)
  ON j1.f = v.f ORDER BY j1.f, v.f::text;
SELECT v1.b, v2.n FROM (VALUES ('\x0102'::bytea), ('\x01'::bytea)) v1 (b)
  LEFT JOIN (VALUES ('\x01'::bytea, 1), ('\x0102'::bytea, 2), ('\x010200'::bytea, 3)) v2 (b, n)
  ON v1.b = v2.b ORDER BY 1, 2;
SELECT v1.c, v2.c FROM (VALUES ('a'::char(3)), ('b '::char(2))) v1 (c)
  FULL JOIN (VALUES ('a  '::char(5)), ('b'::char(1)), ('c'::char(1))) v2 (c) ON v1.c = v2.c
  ORDER BY 1, 2;
-- aggregates and WHERE over outer joins
SELECT count(*), count(jb.x), count(ja.x) FROM ja FULL JOIN jb ON ja.x = jb.x;
SELECT ja.y, count(jb.z) FROM ja LEFT JOIN jb ON ja.x = jb.x GROUP BY ja.y ORDER BY 1;
SELECT * FROM ja LEFT JOIN jb ON ja.x = jb.x WHERE jb.x IS NULL ORDER BY 1, 2;
SELECT * FROM ja LEFT JOIN jb ON ja.x = jb.x AND jb.x IS NULL ORDER BY 1, 2;
-- nested joins
SELECT * FROM ja LEFT JOIN jb ON ja.x = jb.x LEFT JOIN jc ON jb.x = jc.x ORDER BY 1, 2, 3, 4;
SELECT * FROM ja, jb JOIN jc ON jb.x = jc.x ORDER BY 1, 2, 3, 4, 5, 6, 7;
SELECT * FROM jc RIGHT JOIN (ja FULL JOIN jb ON ja.x = jb.x) ON jc.y = ja.y ORDER BY 4, 5, 6, 7;
SELECT * FROM (SELECT x, count(*) AS n FROM jb GROUP BY x) s FULL JOIN ja ON s.x = ja.x
  ORDER BY 1, 2, 3, 4;
-- USING and NATURAL: merged columns first
SELECT * FROM ja JOIN jb USING (x) ORDER BY 1, 2, 3;
SELECT * FROM ja LEFT JOIN jb USING (x) ORDER BY 1, 2, 3;
SELECT * FROM ja RIGHT JOIN jb USING (x) ORDER BY 1, 2, 3;
SELECT * FROM ja FULL JOIN jb USING (x) ORDER BY 1, 2, 3;
SELECT x, ja.x, jb.x FROM ja FULL JOIN jb USING (x) ORDER BY 1, 2, 3;
SELECT ja.*, jb.* FROM ja RIGHT JOIN jb USING (x) ORDER BY 3, 4;
SELECT * FROM ja NATURAL JOIN jc ORDER BY 1, 2;
SELECT * FROM ja NATURAL LEFT JOIN jc ORDER BY 1, 2;
SELECT * FROM ja NATURAL FULL JOIN jc ORDER BY 1, 2;
SELECT * FROM ja NATURAL JOIN jb ORDER BY 1, 2, 3;
SELECT * FROM jb NATURAL JOIN (SELECT 1 AS q) s ORDER BY 1, 2;
SELECT * FROM ja JOIN jc USING (x) ORDER BY 1, 2;
SELECT pg_typeof(x), pg_typeof(ja.x) FROM ja JOIN jc USING (x) LIMIT 1;
SELECT * FROM ja FULL JOIN jc USING (x, y) ORDER BY 1, 2;
SELECT * FROM ja JOIN jb USING (x) JOIN jc USING (x) ORDER BY 1, 2, 3;
SELECT * FROM ja FULL JOIN jb USING (x) FULL JOIN jc USING (x) ORDER BY 1, 2, 3, 4;
SELECT * FROM ja JOIN jb USING (x) WHERE x > 2 ORDER BY 1, 2, 3;
SELECT * FROM ja FULL JOIN jb USING (x) WHERE x IS NULL ORDER BY 2, 3;
SELECT x, count(*) FROM ja FULL JOIN jb USING (x) GROUP BY x ORDER BY 1;
-- join aliases
SELECT * FROM (ja JOIN jb USING (x)) AS j ORDER BY 1, 2, 3;
SELECT j.x, j.z FROM (ja JOIN jb USING (x)) AS j ORDER BY 1, 2;
SELECT j.* FROM (ja LEFT JOIN jb ON ja.x = jb.x) j ORDER BY 1, 2, 3, 4;
SELECT j.p, j.q FROM (ja JOIN jb USING (x)) AS j (p, q) ORDER BY 1, 2;
-- errors
SELECT ja.x FROM (ja JOIN jb USING (x)) AS j;
SELECT * FROM ja JOIN jb USING (q);
SELECT * FROM ja JOIN jb USING (z);
SELECT * FROM ja JOIN jb USING (x, x);
SELECT * FROM (ja CROSS JOIN jb) JOIN jc USING (x);
SELECT * FROM jc JOIN (ja CROSS JOIN jb) USING (x);
SELECT x FROM ja JOIN jb ON ja.x = jb.x;
SELECT * FROM ja JOIN jb ON ja.y;
SELECT * FROM ja JOIN jb ON count(*) > 0;
SELECT * FROM ja JOIN ja USING (x);
SELECT * FROM ja, jb JOIN jc ON ja.x = jc.x;
SELECT x FROM ja FULL JOIN jb USING (x) GROUP BY y;
SELECT y FROM ja JOIN jb USING (x) GROUP BY x;
SELECT * FROM (ja JOIN jb USING (x)) j (a, b, c, d);
SELECT * FROM ja NATURAL JOIN ja;
SELECT * FROM jc, ja JOIN jb ON w = 1;
SELECT j.x FROM (ja JOIN jb ON ja.x = jb.x) j;
SELECT y FROM (ja JOIN jb USING (x)) j (p, q);
SELECT s.a FROM (SELECT 1 AS a, 2 AS a) s;
SELECT * FROM (ja JOIN jb USING (x)) j JOIN ja USING (x) ORDER BY 1;
DROP TABLE ja, jb, jc, jn, jm;

-- comma joins: WHERE conjuncts go into the join (hash keys) or onto one side
CREATE TABLE cj_a (k int, v int, t text);
CREATE TABLE cj_b (k int, w int);
CREATE TABLE cj_c (w int, name text);
INSERT INTO cj_a VALUES (1, 10, 'x'), (2, 20, 'y'), (2, 21, NULL), (NULL, 30, 'z'), (4, 0, 'w');
INSERT INTO cj_b VALUES (1, 100), (2, 200), (2, 201), (NULL, 300), (5, 500);
INSERT INTO cj_c VALUES (100, 'hundred'), (200, 'two hundred'), (201, NULL), (500, 'five');
SELECT a.k, a.v, b.w FROM cj_a a, cj_b b WHERE a.k = b.k ORDER BY 1, 2, 3;
SELECT a.k, a.v, b.w FROM cj_a a, cj_b b WHERE a.k = b.k AND a.v > 10 AND b.w < 201 ORDER BY 1, 2, 3;
SELECT a.k, b.w, c.name FROM cj_a a, cj_b b, cj_c c
  WHERE a.k = b.k AND b.w = c.w AND c.name IS NOT NULL ORDER BY 1, 2, 3;
SELECT a.k, b.k FROM cj_a a, cj_b b WHERE a.k < b.k AND a.t IS NOT NULL ORDER BY 1, 2;
SELECT count(*) FROM cj_a a, cj_b b WHERE a.k = b.k OR a.v = 0;
SELECT a.k, b.w FROM cj_a a, cj_b b WHERE a.k + 0 = b.k - 0 AND true ORDER BY 1, 2;
SELECT a.k FROM cj_a a, cj_b b WHERE a.k = b.k AND 10 / a.v > 0 ORDER BY 1;
SELECT a.k, b.w FROM cj_a a JOIN cj_b b ON a.k = b.k, cj_c c WHERE b.w = c.w AND a.v <> 20
  ORDER BY 1, 2;
DROP TABLE cj_a, cj_b, cj_c;
