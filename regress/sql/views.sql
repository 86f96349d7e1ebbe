--
-- Plain views: stored queries expanded where they are read (PostgreSQL's
-- semantics; materialized views are in matviews.sql)
--
CREATE TABLE vt (k int PRIMARY KEY, g int, v int, note text);
INSERT INTO vt VALUES (1, 1, 10, 'a'), (2, 1, 20, NULL), (3, 2, 30, 'c'), (4, NULL, 40, 'd');
CREATE VIEW vbig AS SELECT k, g, v FROM vt WHERE v >= 20;
CREATE VIEW vsum (grp, total, n) AS SELECT g, sum(v), count(*) FROM vbig GROUP BY g;
CREATE VIEW vcalc AS SELECT k, v * 2 AS v2, upper(note) AS shout, 'lit' AS lit FROM vt;
SELECT * FROM vbig ORDER BY k;
SELECT * FROM vsum ORDER BY grp NULLS FIRST;
SELECT * FROM vcalc ORDER BY k;
SELECT s.grp, t.k FROM vsum s JOIN vt t ON t.g = s.grp ORDER BY 1, 2;
SELECT x.k, y.k FROM vbig x, vbig y WHERE x.k < y.k ORDER BY 1, 2;
SELECT grp FROM vsum WHERE total > 25 ORDER BY 1;
SELECT count(*) FROM (SELECT * FROM vbig) q;
WITH w AS (SELECT * FROM vbig) SELECT max(v) FROM w;
-- a view reads the table as it is now
INSERT INTO vt VALUES (5, 2, 50, 'e');
UPDATE vt SET v = 5 WHERE k = 2;
SELECT * FROM vbig ORDER BY k;
SELECT * FROM vsum ORDER BY grp NULLS FIRST;
-- column names
SELECT grp, total FROM vsum ORDER BY 1 LIMIT 1;
SELECT g FROM vsum;
SELECT v.k FROM vbig v ORDER BY 1;
SELECT vbig.v FROM vbig ORDER BY 1;
-- errors
CREATE VIEW vbig AS SELECT 1;
CREATE VIEW verr AS SELECT 1 AS a, 2 AS a;
CREATE VIEW verr (a, b, c) AS SELECT 1, 2;
CREATE VIEW verr AS SELECT nosuch FROM vt;
CREATE VIEW verr AS SELECT * FROM nosuch;
DROP VIEW vbig;
DROP TABLE vt;
DROP TABLE vbig;
DROP VIEW vt;
DROP VIEW nosuch;
DROP VIEW IF EXISTS nosuch;
DROP VIEW vcalc;
DROP VIEW vbig CASCADE;
SELECT * FROM vsum;
DROP TABLE vt;
