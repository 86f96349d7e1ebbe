-- Materialized views whose output spans many 1,024-row batches: every row must reach the
-- view (a sink that dropped what operators emitted before the barrier kept only the last
-- batches; found by tests/nexmark, q0/q1/q10/q22).
CREATE TABLE mvb (a bigint, s text);
INSERT INTO mvb SELECT g, 'row ' || g FROM generate_series(1, 5000) AS g;
CREATE MATERIALIZED VIEW mvb_plain AS SELECT a FROM mvb;
CREATE MATERIALIZED VIEW mvb_proj AS SELECT a * 2 AS b, upper(s) AS u FROM mvb;
CREATE MATERIALIZED VIEW mvb_star AS SELECT * FROM mvb;
SELECT count(*), sum(a), min(a), max(a) FROM mvb_plain;
SELECT count(*), sum(b), count(DISTINCT u) FROM mvb_proj;
SELECT count(*), sum(a), count(DISTINCT s) FROM mvb_star;
DROP MATERIALIZED VIEW mvb_plain, mvb_proj, mvb_star;
DROP TABLE mvb;
