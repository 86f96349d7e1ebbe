--
-- The streaming dialect (docs/dialect.md): statements PostgreSQL's grammar
-- does not parse are recognised by the pre-pass, reach the binder, and are
-- answered with 0A000 until storage and streaming implement them; malformed
-- ones fail with 42601 at the position PostgreSQL's parser would give.
--
CREATE SOURCE bid (auction bigint, price bigint, date_time timestamp,
    WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
WITH (connector = 'nexmark', nexmark.table.type = 'Bid', nexmark.event.num = 1000);
CREATE TABLE t (v int, ts timestamptz, WATERMARK FOR ts AS ts - INTERVAL '5 seconds') APPEND ONLY;
CREATE MATERIALIZED VIEW v AS SELECT window_start, count(*)
FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) GROUP BY window_start EMIT ON WINDOW CLOSE;
DROP SOURCE IF EXISTS bid, b2 CASCADE;
SHOW TABLES;
SHOW SOURCES;
SHOW MATERIALIZED VIEWS;
DESCRIBE bid;
FLUSH;
SELECT 1 AS before \; FLUSH \; SELECT 2 AS never;
-- malformed extensions
CREATE SOURCE s (a timestamp, WATERMARK FOR a);
CREATE SOURCE s (a timestamp, WATERMARK FOR a AS a - , b int);
CREATE SOURCE s (a timestamp, WATERMARK FOR a AS a - INTERVAL '1' SECOND SECOND);
CREATE SOURCE s (a int) WITH (connector = 'datagen', fields.a. = 1);
CREATE SOURCE s WITH (connector = 'nexmark');
CREATE SOURCE s (a int) APPEND ONLY;
CREATE TABLE é (a int) APPEND ONLY TABLESPACE x;
CREATE SOURCE é (a int, b) WITH (k = 'é');
DROP SOURCE;
FLUSH ALL;
SHOW TABLES LIKE x;
DESCRIBE;
