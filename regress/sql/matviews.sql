--
-- Materialized views (Rivulet-only output: PostgreSQL's views do not change
-- until REFRESH; here they follow every INSERT, UPDATE and DELETE). The
-- randomized check against PostgreSQL is tests/ivm/.
--
CREATE TABLE mv_t (k int PRIMARY KEY, g int, v numeric(10,2));
CREATE TABLE mv_s (g int, name text) APPEND ONLY;
CREATE SOURCE mv_src (g int, amount int);
INSERT INTO mv_t VALUES (1, 1, 10), (2, 1, 20), (3, 2, 5);
INSERT INTO mv_s VALUES (1, 'one'), (2, 'two');
-- created after the data: backfilled; the tag counts the rows, as PostgreSQL's
CREATE MATERIALIZED VIEW mv_agg AS
  SELECT g, count(*) AS n, sum(v) AS total, min(v) AS lo, max(v) AS hi FROM mv_t GROUP BY g;
CREATE MATERIALIZED VIEW mv_join AS
  SELECT s.name, t.k, t.v FROM mv_t t JOIN mv_s s ON t.g = s.g;
-- a view over a view
CREATE MATERIALIZED VIEW mv_names AS SELECT name, sum(v) AS sv, count(*) AS n FROM mv_join GROUP BY name;
-- created before its data arrives
CREATE MATERIALIZED VIEW mv_src_total (groups, events, amount) AS
  SELECT count(DISTINCT g), count(*), sum(amount) FROM mv_src;
CREATE MATERIALIZED VIEW mv_top2 AS SELECT k, v FROM mv_t ORDER BY v DESC, k LIMIT 2;
SELECT * FROM mv_agg ORDER BY g;
SELECT * FROM mv_join ORDER BY k, name;
SELECT * FROM mv_names ORDER BY name;
SELECT * FROM mv_src_total;
SELECT * FROM mv_top2 ORDER BY v DESC, k;
-- every change reaches every view: updates, deletes (the minimum goes away), new groups
UPDATE mv_t SET v = 100 WHERE k = 2;
DELETE FROM mv_t WHERE k = 3;
INSERT INTO mv_s VALUES (1, 'uno');
INSERT INTO mv_t VALUES (4, 3, 1), (5, 1, 0.5);
INSERT INTO mv_src VALUES (1, 10), (1, 20), (2, NULL);
SELECT * FROM mv_agg ORDER BY g;
SELECT * FROM mv_join ORDER BY k, name;
SELECT * FROM mv_names ORDER BY name;
SELECT * FROM mv_src_total;
SELECT * FROM mv_top2 ORDER BY v DESC, k;
DELETE FROM mv_t WHERE k = 1;
SELECT * FROM mv_agg ORDER BY g;
SELECT * FROM mv_top2 ORDER BY v DESC, k;
-- reading a view like any relation
SELECT name, n FROM mv_names WHERE sv > 50 ORDER BY 1;
SELECT a.g, a.n, j.name FROM mv_agg a JOIN mv_join j ON j.k = a.n ORDER BY 1, 3;
SHOW MATERIALIZED VIEWS;
-- PostgreSQL's REFRESH is accepted: it waits for the epoch (the view is always fresh)
REFRESH MATERIALIZED VIEW mv_agg;
REFRESH MATERIALIZED VIEW CONCURRENTLY mv_agg;
REFRESH MATERIALIZED VIEW mv_t;
REFRESH MATERIALIZED VIEW nosuch;
-- system views (RisingWave's rw_catalog): the views and any backfill running now
SELECT name, definition FROM rw_catalog.rw_materialized_views ORDER BY name;
SELECT count(*) FROM rw_ddl_progress;
INSERT INTO rw_ddl_progress VALUES (1);
DROP TABLE rw_catalog.rw_materialized_views;
-- a view's query that fails on new data stops the view, not the server
CREATE TABLE mv_d (x int PRIMARY KEY, y int);
INSERT INTO mv_d VALUES (1, 2), (2, 4);
CREATE MATERIALIZED VIEW mv_div AS SELECT x, 100 / y AS q FROM mv_d;
SELECT * FROM mv_div ORDER BY x;
INSERT INTO mv_d VALUES (3, 0);
SELECT * FROM mv_div ORDER BY x;
SELECT count(*) FROM mv_d;
DELETE FROM mv_d WHERE x = 3;
SELECT * FROM mv_div ORDER BY x;
-- errors
CREATE MATERIALIZED VIEW mv_agg AS SELECT 1 AS one FROM mv_t;
CREATE MATERIALIZED VIEW IF NOT EXISTS mv_agg AS SELECT 1 AS one FROM mv_t;
CREATE MATERIALIZED VIEW mv_bad AS SELECT nosuch FROM mv_t;
CREATE MATERIALIZED VIEW mv_bad AS SELECT k, k FROM mv_t;
CREATE MATERIALIZED VIEW mv_bad (a, b, c) AS SELECT k, v FROM mv_t;
CREATE MATERIALIZED VIEW mv_bad AS SELECT k FROM mv_t WITH NO DATA;
CREATE MATERIALIZED VIEW mv_bad AS SELECT k FROM nosuch;
CREATE MATERIALIZED VIEW mv_bad AS SELECT k, now() FROM mv_t;
CREATE MATERIALIZED VIEW mv_bad AS SELECT k FROM mv_t WHERE random() < 0.5;
CREATE MATERIALIZED VIEW mv_bad AS SELECT k, CURRENT_DATE - 1 FROM mv_t;
INSERT INTO mv_agg VALUES (1);
UPDATE mv_agg SET n = 0;
DELETE FROM mv_agg;
COPY mv_agg FROM STDIN;
COPY mv_agg TO STDOUT;
DROP TABLE mv_agg;
DROP MATERIALIZED VIEW mv_t;
DROP MATERIALIZED VIEW nosuch;
DROP MATERIALIZED VIEW IF EXISTS nosuch;
-- dependencies
DROP TABLE mv_t;
DROP MATERIALIZED VIEW mv_join;
DROP MATERIALIZED VIEW mv_join CASCADE;
SHOW MATERIALIZED VIEWS;
DROP TABLE mv_t CASCADE;
DROP SOURCE mv_src CASCADE;
DROP TABLE mv_s, mv_d CASCADE;
SHOW MATERIALIZED VIEWS;
