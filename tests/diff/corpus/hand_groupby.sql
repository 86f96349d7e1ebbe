-- hand_groupby.sql — VALUES, GROUP BY, HAVING, ORDER BY (NULLS FIRST/LAST, ordinals, expressions), LIMIT/OFFSET, DISTINCT.
VALUES (1, 'a'), (2, 'b'), (NULL, 'c')
VALUES (1, 'a'), (2, 'b') ORDER BY 1 DESC
VALUES (1), (1.5), (2)
VALUES (1), ('a')
VALUES (1, 2), (3)
SELECT * FROM (VALUES (3, 'c'), (1, 'a'), (2, 'b')) AS t(n, s) ORDER BY n
SELECT * FROM (VALUES (3, 'c'), (1, 'a'), (2, 'b')) AS t ORDER BY column1 DESC
SELECT column1, column2 FROM (VALUES (1, 2)) AS t
SELECT t.n + 1 AS m FROM (VALUES (3), (1)) AS t(n) ORDER BY m
SELECT n FROM (VALUES (3), (1), (NULL), (2)) AS t(n) ORDER BY n NULLS FIRST
SELECT n FROM (VALUES (3), (1), (NULL), (2)) AS t(n) ORDER BY n DESC
SELECT n FROM (VALUES (3), (1), (NULL), (2)) AS t(n) ORDER BY n DESC NULLS LAST LIMIT 2
SELECT n FROM (VALUES (3), (1), (2)) AS t(n) ORDER BY n LIMIT 1 OFFSET 1
SELECT n FROM (VALUES (3), (1), (2)) AS t(n) ORDER BY n OFFSET 5
SELECT n FROM (VALUES (3), (1), (2)) AS t(n) ORDER BY n LIMIT NULL
SELECT n FROM (VALUES (3), (1), (2)) AS t(n) ORDER BY n LIMIT -1
SELECT n FROM (VALUES (3), (1), (2)) AS t(n) ORDER BY n OFFSET -1
SELECT n FROM (VALUES (3), (1), (2)) AS t(n) ORDER BY n FETCH FIRST 2 ROWS ONLY
SELECT n FROM (VALUES (3), (1), (2)) AS t(n) ORDER BY 2
SELECT n FROM (VALUES (3), (1), (2)) AS t(n) ORDER BY -n
SELECT n FROM (VALUES (3), (1), (2)) AS t(n) ORDER BY zzz
SELECT s FROM (VALUES ('b'), ('B'), ('a'), ('A'), ('é'), ('')) AS t(s) ORDER BY s
SELECT s FROM (VALUES ('b'), ('B'), ('a'), ('A'), ('é'), ('')) AS t(s) ORDER BY s COLLATE "C"
SELECT f FROM (VALUES ('NaN'::float8), (1), ('-Infinity'), (NULL), ('Infinity'), (-0.0)) AS t(f) ORDER BY f
SELECT n FROM (VALUES ('NaN'::numeric), (1), (NULL), (-1.5)) AS t(n) ORDER BY n DESC
SELECT DISTINCT n FROM (VALUES (1), (2), (1), (NULL), (NULL)) AS t(n) ORDER BY n
SELECT DISTINCT ON (g) g, v FROM (VALUES (1, 'x'), (1, 'y'), (2, 'z')) AS t(g, v) ORDER BY g, v DESC
SELECT g, count(*) FROM (VALUES (1), (2), (1), (NULL), (NULL)) AS t(g) GROUP BY g ORDER BY g
SELECT g % 2 AS parity, sum(g) FROM (VALUES (1), (2), (3), (4), (5)) AS t(g) GROUP BY g % 2 ORDER BY 1
SELECT g % 2 AS parity, sum(g) FROM (VALUES (1), (2), (3), (4), (5)) AS t(g) GROUP BY parity ORDER BY parity DESC
SELECT g, count(*) FROM (VALUES (1), (2), (1)) AS t(g) GROUP BY 1 HAVING count(*) > 1
SELECT g, v FROM (VALUES (1, 'x'), (1, 'y')) AS t(g, v) GROUP BY g
SELECT count(*) FROM (VALUES (1), (2)) AS t(g) GROUP BY ()
SELECT g, sum(v), max(v) FROM (VALUES ('a', 1.5), ('b', 2), ('a', NULL)) AS t(g, v) GROUP BY g ORDER BY sum(v) DESC
SELECT lower(s), count(*) FROM (VALUES ('A'), ('a'), ('B')) AS t(s) GROUP BY lower(s) ORDER BY 1
SELECT g, string_agg(v, ',' ORDER BY v) FROM (VALUES (1, 'b'), (1, 'a'), (2, 'c')) AS t(g, v) GROUP BY g ORDER BY g
SELECT a, b, count(*) FROM (VALUES (1, 1), (1, 2), (1, 1), (2, 1)) AS t(a, b) GROUP BY a, b ORDER BY a, b
SELECT a, b FROM (VALUES (1, 3), (1, 2), (2, 1)) AS t(a, b) ORDER BY a DESC, b
SELECT x FROM (VALUES (1), (2), (3)) AS t(x) WHERE x > 1 ORDER BY x DESC LIMIT 1
SELECT x * 2 AS y FROM (VALUES (1), (2), (3)) AS t(x) WHERE x <> 2 ORDER BY y
SELECT x FROM (VALUES (1), (2)) AS t(x) WHERE x / 0 = 1
SELECT x FROM (VALUES (1), (2)) AS t(x) WHERE 'a'
SELECT x FROM (VALUES (1), (2)) AS t(x) WHERE 1
SELECT x FROM (VALUES (1), (2)) AS t(x) WHERE NULL
SELECT x, y FROM (VALUES (1, 'a')) AS t(x)
SELECT x FROM (VALUES (1, 'a')) AS t(x, y, z)
SELECT t.* FROM (VALUES (1, 'a')) AS t(x, y)
SELECT 1 LIMIT 0
SELECT 1 ORDER BY 1 OFFSET 0
