--
-- Processing-time columns: `col TIMESTAMPTZ AS PROCTIME()` in CREATE SOURCE and CREATE
-- TABLE ... APPEND ONLY (sql/proctime.h). The value is the time the row was appended; it is
-- stored with the row (tests/crash/crash_proctime.py checks it survives restarts), so only
-- its properties are shown here, not its values.
--
CREATE TABLE pt (a int, p timestamptz AS PROCTIME(), b text) APPEND ONLY;
DESCRIBE pt;
SHOW COLUMNS FROM pt;
-- INSERT: the column is filled, positionally skipped only with DEFAULT
INSERT INTO pt VALUES (1);
INSERT INTO pt (a, b) VALUES (2, 'two'), (3, 'three');
INSERT INTO pt VALUES (4, DEFAULT, 'four');
INSERT INTO pt (b, a) SELECT 'five', 5;
INSERT INTO pt VALUES (6, now(), 'six');
INSERT INTO pt (a, p) VALUES (7, now());
INSERT INTO pt (a, p) SELECT 8, now();
INSERT INTO pt VALUES (9, NULL);
-- COPY: left out without a column list, refused in one
COPY pt FROM STDIN;
10	\N
11	eleven
\.
COPY pt (a, p) FROM STDIN;
COPY pt TO STDOUT;
COPY pt (a, p) TO STDOUT;
COPY (SELECT a, p IS NOT NULL FROM pt ORDER BY a) TO STDOUT;
SELECT a, b, p IS NOT NULL AS has_p, p <= clock_timestamp() AS not_future,
       p > clock_timestamp() - INTERVAL '1 hour' AS recent
FROM pt ORDER BY a;
-- one statement, one time (the default is read per row, the clock moves little)
SELECT count(*) FROM pt WHERE a IN (2, 3) HAVING max(p) - min(p) < INTERVAL '1 second';
-- a view over it: TUMBLE on the processing time
CREATE MATERIALIZED VIEW pt_win AS
SELECT window_start, window_end, count(*) AS n FROM TUMBLE(pt, p, INTERVAL '1' HOUR)
GROUP BY window_start, window_end;
INSERT INTO pt (a) VALUES (12);
FLUSH;
SELECT sum(n), bool_and(window_end - window_start = INTERVAL '1 hour') FROM pt_win;
DROP MATERIALIZED VIEW pt_win;
-- spellings: case, spaces, quoted name, first column
CREATE TABLE pt2 ("P Time" TIMESTAMP WITH TIME ZONE as proctime ( ), x int) APPEND ONLY;
INSERT INTO pt2 (x) VALUES (1);
SELECT x, "P Time" IS NOT NULL FROM pt2;
DESCRIBE pt2;
-- sources
CREATE SOURCE ps (v int, p timestamptz AS PROCTIME());
INSERT INTO ps (v) VALUES (1);
SELECT v, p IS NOT NULL FROM ps;
CREATE SOURCE nb (auction BIGINT, price BIGINT, p_time TIMESTAMPTZ AS PROCTIME())
WITH (connector = 'nexmark', nexmark.table.type = 'bid', nexmark.event.num = '0');
DESCRIBE nb;
CREATE SOURCE dg (v int, p timestamptz AS PROCTIME())
WITH (connector = 'datagen', fields.v.kind = 'sequence', fields.v.end = '0');
DESCRIBE dg;
-- errors
CREATE TABLE pe (a int, p timestamptz AS PROCTIME());
CREATE TABLE pe (a int, p timestamp AS PROCTIME()) APPEND ONLY;
CREATE TABLE pe (a int, p int AS PROCTIME()) APPEND ONLY;
CREATE TABLE pe (a int, p timestamptz DEFAULT now() AS PROCTIME()) APPEND ONLY;
CREATE TABLE pe (a int, p timestamptz DEFAULT proctime()) APPEND ONLY;
CREATE TABLE pe (a int, p AS PROCTIME()) APPEND ONLY;
CREATE TABLE pe (a int, p timestamptz AS now()) APPEND ONLY;
CREATE TABLE pe (a int, p timestamptz AS PROCTIME(1)) APPEND ONLY;
SELECT proctime();
-- a column named proctime is only a name
CREATE TABLE pn (proctime int);
INSERT INTO pn VALUES (1);
SELECT proctime AS "as proctime()" FROM pn;
DROP TABLE pn;
DROP TABLE pt;
DROP TABLE pt2;
DROP SOURCE ps;
DROP SOURCE nb;
DROP SOURCE dg;
