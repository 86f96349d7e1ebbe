--
-- The streaming-dialect pre-pass (sql/dialect.c) must leave plain
-- PostgreSQL SQL alone: statements that contain its trigger words (source,
-- append, watermark, emit, show, describe, flush, connector, format) but use
-- no extension give PostgreSQL's results and errors, at PostgreSQL's
-- positions. The extensions themselves are in the rivulet-only test dialect.
--
SELECT 'source' AS source, 'append only' AS "append", 1 AS emit, 2 AS watermark;
SELECT format('%s-%s', 'flush', 'describe') AS connector;
SELECT $$CREATE SOURCE s (a int) APPEND ONLY$$ AS q; -- SHOW TABLES
/* DESCRIBE x; FLUSH; */ SELECT 'show' AS show;
SELECT source FROM (VALUES (1), (2)) AS emit(source) WHERE source > 1;
SHOW transaction_isolation;
SELECT 1; SHOW standard_conforming_strings; SELECT 'flush';
-- syntax errors keep PostgreSQL's messages and positions
SELECT watermark FOR x;
SELECT 1 FROM emit ON WINDOW CLOSE;
SELECT 'é' AS source, 1 + ;
CREATE TABLE t (a int, b) APPEND;
CREATE TABLE t (watermark int, format text, b);
CREATE TABLE t (a int) WITH (a.b.c = 1);
CREATE MATERIALIZED VIEW v AS SELECT 1 EMIT ON WINDOW;
SELECT 'flush' FLUSH;
