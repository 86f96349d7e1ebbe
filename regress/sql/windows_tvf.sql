-- TUMBLE, HOP and SESSION time window functions in FROM (RisingWave's syntax; PostgreSQL has
-- neither, so this file is Rivulet-only: values checked by hand against date_bin, the
-- multiset equivalence is tests/windows/). Windows are aligned to 1970-01-01 00:00 UTC
-- plus the offset, half-open [window_start, window_end).
SET TimeZone = 'America/New_York';
CREATE TABLE bid (id int PRIMARY KEY, price int, date_time timestamp, tz timestamptz, d date);
INSERT INTO bid VALUES
  (1, 10, '2021-03-14 01:59:59', '2021-03-14 01:59:59-05', '2021-03-14'),
  (2, 20, '2021-03-14 02:00:00', '2021-03-14 03:00:00-04', '2021-03-15'),
  (3, 30, '1969-12-31 23:59:59.5', '1969-12-31 23:59:59.5+00', '1969-12-31'),
  (4, 40, NULL, NULL, NULL);
-- TUMBLE: every input column, then window_start and window_end
SELECT * FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) ORDER BY id;
SELECT id, window_start, window_end FROM TUMBLE(bid, date_time, INTERVAL '1 hour', INTERVAL '15 minutes') ORDER BY id;
-- negative offsets and offsets larger than the size only shift the grid
SELECT id, window_start FROM TUMBLE(bid, date_time, INTERVAL '1 hour', INTERVAL '-45 minutes') ORDER BY id;
SELECT id, window_start FROM TUMBLE(bid, date_time, INTERVAL '1 hour', INTERVAL '75 minutes') ORDER BY id;
-- timestamptz windows are UTC-aligned whatever the session zone (DST does not matter)
SELECT id, tz, window_start, window_end FROM TUMBLE(bid, tz, INTERVAL '1 day') ORDER BY id;
-- a date column is read as timestamp
SELECT id, d, window_start, window_end FROM TUMBLE(bid, d, INTERVAL '2 days') ORDER BY id;
-- aliases, qualified names, column aliases (window columns too)
SELECT t.id, t.window_end FROM TUMBLE(bid, date_time, INTERVAL '1 minute') AS t WHERE t.price > 10 ORDER BY 1;
SELECT ws, we FROM TUMBLE(bid, date_time, INTERVAL '1 minute') AS t(a, b, c, e, f, ws, we) WHERE a = 1;
SELECT bid.id FROM TUMBLE(bid, date_time, INTERVAL '1 minute') WHERE bid.id = 2;
SELECT tumble.x FROM TUMBLE((SELECT 1 AS x, date_time FROM bid WHERE id = 2), date_time, INTERVAL '1 minute');
-- windowed aggregates
SELECT window_start, count(*), sum(price) FROM TUMBLE(bid, date_time, INTERVAL '1 day') GROUP BY window_start ORDER BY 1;
-- over a CTE, a subquery, a view, and joined
WITH c AS (SELECT id, date_time FROM bid WHERE id < 3)
SELECT id, window_start FROM TUMBLE(c, date_time, INTERVAL '1 hour') ORDER BY id;
SELECT x, window_start FROM TUMBLE((SELECT id * 100 AS x, date_time FROM bid WHERE id > 2), date_time, INTERVAL '1 second') ORDER BY x;
CREATE VIEW bv AS SELECT id, date_time FROM bid;
SELECT id, window_end FROM TUMBLE(bv, date_time, INTERVAL '30 minutes') ORDER BY id;
SELECT b.id, t.window_start FROM bid b JOIN TUMBLE(bid, date_time, INTERVAL '1 hour') t ON t.id = b.id + 1 ORDER BY 1;
-- HOP: one row per window containing the time (size / slide of them)
SELECT id, window_start, window_end FROM HOP(bid, date_time, INTERVAL '20 minutes', INTERVAL '1 hour') ORDER BY id, window_start;
SELECT id, window_start, window_end FROM HOP(bid, tz, INTERVAL '12 hours', INTERVAL '1 day', INTERVAL '1 hour') ORDER BY id, window_start;
SELECT id, window_start FROM HOP(bid, d, INTERVAL '1 day', INTERVAL '2 days') ORDER BY id, window_start;
SELECT window_start, count(*) FROM HOP(bid, date_time, INTERVAL '1 hour', INTERVAL '2 hours') AS h GROUP BY 1 ORDER BY 1;
-- as materialized views, under inserts and deletes
CREATE MATERIALIZED VIEW mv_t AS SELECT window_start, count(*) AS n FROM TUMBLE(bid, date_time, INTERVAL '1 hour') GROUP BY window_start;
CREATE MATERIALIZED VIEW mv_h AS SELECT id, window_start FROM HOP(bid, date_time, INTERVAL '30 minutes', INTERVAL '1 hour');
INSERT INTO bid VALUES (5, 50, '2021-03-14 02:30:00', NULL, NULL);
DELETE FROM bid WHERE id = 1;
UPDATE bid SET date_time = date_time + INTERVAL '1 hour' WHERE id = 2;
FLUSH;
SELECT * FROM mv_t ORDER BY 1;
SELECT * FROM mv_h ORDER BY 1, 2;
-- SESSION(rel, time_col, gap [, key_col ...]): per key, rows whose times are less than gap
-- apart share a session, its window [first time, last time + gap); NULL times get NULL windows
CREATE TABLE clicks (id int PRIMARY KEY, usr text, ts timestamp);
INSERT INTO clicks VALUES (1, 'a', '2021-01-01 00:00:00'), (2, 'a', '2021-01-01 00:00:09'),
  (3, 'a', '2021-01-01 00:00:19'), (4, 'b', '2021-01-01 00:00:05'), (5, 'a', NULL),
  (6, NULL, '2021-01-01 00:00:01');
SELECT * FROM SESSION(clicks, ts, INTERVAL '10 seconds', usr) ORDER BY id;
SELECT id, window_start, window_end FROM SESSION(clicks, ts, INTERVAL '10 seconds') ORDER BY id;
CREATE MATERIALIZED VIEW mv_s AS SELECT usr, window_start, window_end, count(*) AS n
  FROM SESSION(clicks, ts, INTERVAL '10 seconds', usr) GROUP BY usr, window_start, window_end;
SELECT * FROM mv_s ORDER BY 1, 2;
-- a deletion splits a session, an insertion merges two
DELETE FROM clicks WHERE id = 2;
FLUSH;
SELECT * FROM mv_s ORDER BY 1, 2;
INSERT INTO clicks VALUES (7, 'a', '2021-01-01 00:00:10');
FLUSH;
SELECT * FROM mv_s ORDER BY 1, 2;
INSERT INTO clicks VALUES (8, 'a', '2021-01-01 00:00:05');
FLUSH;
SELECT * FROM mv_s ORDER BY 1, 2;
-- errors (with their SQLSTATEs)
\set VERBOSITY verbose
SELECT * FROM TUMBLE(bid, date_time, INTERVAL '0 seconds');
SELECT * FROM TUMBLE(bid, date_time, INTERVAL '-1 minute');
SELECT * FROM TUMBLE(bid, date_time, INTERVAL '1 month');
SELECT * FROM TUMBLE(bid, date_time, INTERVAL '1 year 2 days');
SELECT * FROM TUMBLE(bid, date_time, 10);
SELECT * FROM TUMBLE(bid, date_time, 'abc');
SELECT * FROM TUMBLE(bid, date_time, NULL::interval);
SELECT * FROM TUMBLE(bid, date_time, price * INTERVAL '1 second');
SELECT * FROM TUMBLE(bid, date_time, INTERVAL '1 minute', INTERVAL '1 month');
SELECT * FROM TUMBLE(bid, price, INTERVAL '1 minute');
SELECT * FROM TUMBLE(bid, nosuch, INTERVAL '1 minute');
SELECT * FROM TUMBLE(bid, date_time + INTERVAL '1 second', INTERVAL '1 minute');
SELECT * FROM TUMBLE(nosuch, date_time, INTERVAL '1 minute');
SELECT * FROM TUMBLE(1, date_time, INTERVAL '1 minute');
SELECT * FROM TUMBLE(bid, date_time);
SELECT * FROM TUMBLE(bid, date_time, INTERVAL '1 minute', INTERVAL '1 minute', INTERVAL '1 minute');
SELECT * FROM HOP(bid, date_time, INTERVAL '1 minute');
SELECT * FROM HOP(bid, date_time, INTERVAL '0 minutes', INTERVAL '1 hour');
SELECT * FROM HOP(bid, date_time, INTERVAL '7 minutes', INTERVAL '1 hour');
SELECT * FROM HOP(bid, date_time, INTERVAL '1 hour', INTERVAL '-1 hour');
SELECT * FROM TUMBLE(bid, date_time, INTERVAL '1 minute') AS t(a, b, c, d, e, f, g, h);
SELECT * FROM TUMBLE(bid, date_time, INTERVAL '1 minute') WITH ORDINALITY;
SELECT count(*) FROM TUMBLE(bid, date_time, INTERVAL '1 minute') t, TUMBLE(bid, date_time, INTERVAL '1 minute') t;
SELECT * FROM SESSION(clicks, ts, INTERVAL '0 seconds', usr);
SELECT * FROM SESSION(clicks, ts, INTERVAL '1 month');
SELECT * FROM SESSION(clicks, ts, INTERVAL '1 minute', nosuch);
SELECT * FROM SESSION(clicks, ts, INTERVAL '1 minute', upper(usr));
SELECT * FROM SESSION(clicks, ts);
-- the end of the timestamp range
SELECT window_end FROM TUMBLE((SELECT TIMESTAMP '294276-12-31 23:59:59' AS ts), ts, INTERVAL '1 day');
SELECT window_start FROM TUMBLE((SELECT TIMESTAMP 'infinity' AS ts), ts, INTERVAL '1 day');
DROP MATERIALIZED VIEW mv_t;
DROP MATERIALIZED VIEW mv_h;
DROP MATERIALIZED VIEW mv_s;
DROP TABLE clicks;
DROP VIEW bv;
DROP TABLE bid;
