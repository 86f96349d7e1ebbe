--
-- Watermarks (sql/watermark.c): WATERMARK FOR on sources and APPEND ONLY tables, the
-- watermark options, EMIT ON WINDOW CLOSE, and rw_catalog.rw_watermarks. Rivulet only.
--
CREATE TABLE wm_t (id int, ts timestamp, WATERMARK FOR ts AS ts - INTERVAL '5 seconds');
CREATE TABLE wm_t (id int, ts timestamp, WATERMARK FOR ts AS ts::date) APPEND ONLY;
CREATE TABLE wm_t (id int, ts timestamp, WATERMARK FOR ts AS ts - random() * INTERVAL '1 second') APPEND ONLY;
CREATE TABLE wm_t (id int, ts timestamp, WATERMARK FOR ts AS ts - id * INTERVAL '1 second') APPEND ONLY;
CREATE TABLE wm_t (id int, ts timestamp, WATERMARK FOR tz AS ts) APPEND ONLY;
CREATE TABLE wm_t (id int, ts timestamp, WATERMARK FOR ts AS now()::timestamp) APPEND ONLY;
CREATE TABLE wm_t (id int, ts text, WATERMARK FOR ts AS ts) APPEND ONLY;
CREATE TABLE wm_t (id int, ts timestamp, WATERMARK FOR ts AS ts - nope) APPEND ONLY;
CREATE TABLE wm_t (id int, ts timestamp, WATERMARK FOR ts AS count(ts)) APPEND ONLY;
CREATE SOURCE wm_s (id int, ts timestamp) WITH (watermark.idle_timeout = '2s');
CREATE SOURCE wm_s (id int, ts timestamp, WATERMARK FOR ts AS ts) WITH (watermark.idle_timeout = 'abc');
CREATE SOURCE wm_s (id int, ts timestamp, WATERMARK FOR ts AS ts) WITH (watermark.idle_timeout = '-1s');
CREATE SOURCE wm_s (id int, ts timestamp, WATERMARK FOR ts AS ts) WITH (late_rows.table = 'nope');
CREATE SOURCE wm_s (id int, ts timestamp, WATERMARK FOR ts AS ts) WITH (late_rows.table = 'wm_s2', colour = 'red');
CREATE TABLE wm_late_bad (id int);
CREATE SOURCE wm_s (id int, ts timestamp, WATERMARK FOR ts AS ts) WITH (late_rows.table = 'wm_late_bad');
CREATE TABLE wm_late (id int, ts timestamp);
CREATE SOURCE wm_s (id int, ts timestamp, WATERMARK FOR ts AS ts - INTERVAL '5 seconds')
WITH (late_rows.table = 'wm_late', watermark.idle_timeout = '1 hour');
CREATE TABLE wm_a (k int, d date, WATERMARK FOR d AS d - 1) APPEND ONLY;
-- EMIT ON WINDOW CLOSE needs an output column carrying a watermark
CREATE MATERIALIZED VIEW wm_v AS SELECT id, count(*) FROM wm_s GROUP BY id EMIT ON WINDOW CLOSE;
CREATE MATERIALIZED VIEW wm_v AS SELECT count(*) FROM wm_s EMIT ON WINDOW CLOSE;
CREATE MATERIALIZED VIEW wm_v AS SELECT max(ts) AS m FROM wm_s GROUP BY id EMIT ON WINDOW CLOSE;
CREATE MATERIALIZED VIEW wm_v AS SELECT window_start, count(*) AS n
FROM TUMBLE(wm_s, ts, INTERVAL '10 seconds') GROUP BY window_start EMIT ON WINDOW CLOSE;
CREATE MATERIALIZED VIEW wm_v2 AS SELECT date_trunc('minute', ts) AS m, id, count(*) AS n
FROM wm_s GROUP BY 1, 2 EMIT ON WINDOW CLOSE;
CREATE MATERIALIZED VIEW wm_v3 AS SELECT d, count(*) AS n FROM wm_a GROUP BY d EMIT ON WINDOW CLOSE;
INSERT INTO wm_s VALUES (1, '2024-01-01 00:00:00'), (2, '2024-01-01 00:00:17');
INSERT INTO wm_a VALUES (1, '2024-01-01'), (2, '2024-01-03');
FLUSH;
INSERT INTO wm_s VALUES (3, '2024-01-01 00:00:03'), (4, '2024-01-01 00:00:30');
INSERT INTO wm_a VALUES (3, '2024-01-01'), (4, '2024-01-02');
FLUSH;
SELECT * FROM wm_v ORDER BY 1;
SELECT * FROM wm_v3 ORDER BY 1;
SELECT * FROM wm_late;
SELECT relation_name, relation_kind, watermark_column, watermark, late_rows
FROM rw_catalog.rw_watermarks WHERE relation_name LIKE 'wm%' ORDER BY relation_id;
SELECT lag > INTERVAL '300 days' AS lagging FROM rw_watermarks WHERE relation_name = 'wm_s';
DROP MATERIALIZED VIEW wm_v, wm_v2, wm_v3;
DROP SOURCE wm_s;
DROP TABLE wm_late, wm_late_bad, wm_a;
SELECT relation_name FROM rw_catalog.rw_watermarks WHERE relation_name LIKE 'wm%';
