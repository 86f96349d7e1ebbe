--
-- Generated columns in RisingWave's spelling, `name type AS expr` (sql/generated.h): the
-- same meaning as PostgreSQL's GENERATED ALWAYS AS (expr) STORED (regress/sql/generated.sql),
-- in CREATE TABLE [APPEND ONLY] and CREATE SOURCE, also with a WATERMARK on the column.
-- Generator sources (datagen) that compute one are tested by tests/generated/ (they need to
-- wait for the producer, and restart the server).
--
CREATE TABLE rg (a int, b int AS a * 2, c varchar(3) AS a::text || 'x');
INSERT INTO rg VALUES (1), (NULL);
INSERT INTO rg (a) VALUES (12);
INSERT INTO rg VALUES (100);
INSERT INTO rg VALUES (2, 4);
INSERT INTO rg (a, c) VALUES (2, 'yy');
INSERT INTO rg VALUES (3, DEFAULT, DEFAULT);
SELECT * FROM rg ORDER BY a;
SELECT a.attname, a.atthasdef, a.attgenerated
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relname = 'rg' AND a.attnum > 0 ORDER BY a.attnum;
SELECT d.adnum, pg_get_expr(d.adbin, d.adrelid)
FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid WHERE c.relname = 'rg' ORDER BY 1;
-- words inside the expression, literals and parentheses, up to the column's end
CREATE TABLE rg2 (s text, u text AS upper(s) || ' AS ' || 'a, b', n int AS (length(s) + 1),
                  k int) APPEND ONLY;
INSERT INTO rg2 (s, k) VALUES ('ab', 1);
SELECT * FROM rg2;
-- the commas of a STRUCT<...> type do not end its column
CREATE TABLE rg3 (a int, s STRUCT<x int, y varchar> AS NULL, t int AS a + 1);
INSERT INTO rg3 VALUES (1);
SELECT a.attname, a.attgenerated
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relname = 'rg3' AND a.attnum > 0 ORDER BY a.attnum;
SELECT * FROM rg3;
-- a source fed by INSERT, its watermark on a generated column, a view over it
CREATE SOURCE rgs (id bigint, ts timestamp AS TIMESTAMP '2024-01-01' + id * INTERVAL '1 second',
                   WATERMARK FOR ts AS ts - INTERVAL '5' SECOND);
INSERT INTO rgs VALUES (1), (10), (20);
CREATE VIEW rgv AS SELECT id, ts, ts - INTERVAL '1' SECOND AS before FROM rgs;
SELECT * FROM rgv ORDER BY id;
CREATE MATERIALIZED VIEW rgm AS
SELECT window_start, count(*) AS n FROM TUMBLE(rgs, ts, INTERVAL '10' SECOND)
GROUP BY window_start EMIT ON WINDOW CLOSE;
INSERT INTO rgs VALUES (31), (45);
FLUSH;
SELECT * FROM rgm ORDER BY window_start;
-- processing time and a generated column side by side
CREATE TABLE rgp (a int, p timestamptz AS PROCTIME(), b int AS a + 1) APPEND ONLY;
INSERT INTO rgp VALUES (1);
SELECT a, p IS NOT NULL AS has_p, b FROM rgp;
-- COPY: generated columns are left out
COPY rg FROM STDIN;
7
\.
COPY rg (a, b) FROM STDIN;
SELECT * FROM rg WHERE a = 7;
-- errors
CREATE TABLE rgbad (a int, b int AS b + 1);
CREATE TABLE rgbad (a int, b int AS a + 1, c int AS b);
CREATE TABLE rgbad (a int, b timestamptz AS now());
CREATE TABLE rgbad (a int, b int AS sum(a));
CREATE TABLE rgbad (a int, b int AS (SELECT 1));
CREATE TABLE rgbad (a int, b int AS nope + 1);
CREATE TABLE rgbad (a int, b int AS a::text);
CREATE TABLE rgbad (a int, b int DEFAULT 1 AS a);
CREATE TABLE rgbad (a int, b int AS a GENERATED ALWAYS AS (a) STORED);
CREATE TABLE rgbad (a int, b int AS a +);
CREATE TABLE rgbad (a int, b int AS);
CREATE TABLE rgbad (a int AS 1 +, b int);
SHOW TABLES LIKE 'rgbad';
DROP MATERIALIZED VIEW rgm;
DROP VIEW rgv;
DROP SOURCE rgs;
DROP TABLE rg, rg2, rg3, rgp;
