--
-- Temporal filters: now() in a materialized view's WHERE, compared with an expression of
-- the row (sql/bind_temporal.c, stream/op_temporal.c). Rivulet-only: PostgreSQL accepts
-- every statement here, and refreshes its views only on REFRESH.
-- Rows lie far in the past or the future, so the output does not depend on the clock.
--
CREATE TABLE tf (id int PRIMARY KEY, ts timestamptz, t timestamp, d date, x int);
INSERT INTO tf VALUES
  (1, '2001-01-01 00:00:00+00', '2001-01-01 00:00:00', '2001-01-01', 1),
  (2, '2999-01-01 00:00:00+00', '2999-01-01 00:00:00', '2999-01-01', 2),
  (3, NULL, NULL, NULL, 3),
  (4, '2999-01-01 00:00:00+00', '2999-01-01 00:00:00', '2999-01-01', -4);
-- accepted forms
CREATE MATERIALIZED VIEW tf_gt AS SELECT id FROM tf WHERE ts > now() - INTERVAL '1 hour';
CREATE MATERIALIZED VIEW tf_ge AS SELECT id FROM tf WHERE ts >= CURRENT_TIMESTAMP;
CREATE MATERIALIZED VIEW tf_rev AS SELECT id FROM tf WHERE now() - INTERVAL '1 day' < ts;
CREATE MATERIALIZED VIEW tf_plus AS SELECT id FROM tf WHERE ts + INTERVAL '1 day' > now();
CREATE MATERIALIZED VIEW tf_lt AS SELECT id FROM tf WHERE ts < now() + INTERVAL '1 hour';
CREATE MATERIALIZED VIEW tf_le AS SELECT id FROM tf WHERE t <= LOCALTIMESTAMP - INTERVAL '1 minute';
CREATE MATERIALIZED VIEW tf_date AS SELECT id FROM tf WHERE d >= CURRENT_DATE - 7;
CREATE MATERIALIZED VIEW tf_and AS
  SELECT id, x FROM tf WHERE x > 0 AND ts > now() - INTERVAL '1 hour' AND ts < now() + INTERVAL '2000 years';
CREATE MATERIALIZED VIEW tf_btw AS
  SELECT id FROM tf WHERE ts BETWEEN now() - INTERVAL '1 day' AND '3000-01-01';
CREATE MATERIALIZED VIEW tf_agg AS
  SELECT count(*) AS n, sum(x) AS s FROM tf WHERE transaction_timestamp() < ts;
CREATE MATERIALIZED VIEW tf_sub AS
  SELECT id FROM (SELECT id, ts FROM tf WHERE ts > now()) s WHERE id > 1;
-- in subqueries (correlated ones too) and through a plain view
CREATE TABLE tk (k int, v int);
INSERT INTO tk VALUES (1, 10), (2, 20), (4, 40), (5, 50);
CREATE MATERIALIZED VIEW tf_exists AS
  SELECT k, v FROM tk WHERE EXISTS (SELECT 1 FROM tf WHERE tf.id = tk.k AND tf.ts > now());
CREATE MATERIALIZED VIEW tf_scalar AS
  SELECT k, (SELECT count(*) FROM tf WHERE tf.id = tk.k AND now() <= tf.ts) AS n FROM tk;
CREATE MATERIALIZED VIEW tf_join AS
  SELECT tk.k, tf.x FROM tk, tf WHERE tk.k = tf.id AND tf.ts > now() - INTERVAL '1 hour';
CREATE VIEW tf_plain AS SELECT id FROM tf WHERE ts > now();
CREATE MATERIALIZED VIEW tf_over_plain AS SELECT * FROM tf_plain;
SELECT * FROM tf_exists ORDER BY k;
SELECT * FROM tf_scalar ORDER BY k;
SELECT * FROM tf_join ORDER BY k;
SELECT * FROM tf_over_plain ORDER BY id;
SELECT * FROM tf_gt ORDER BY id;
SELECT * FROM tf_ge ORDER BY id;
SELECT * FROM tf_rev ORDER BY id;
SELECT * FROM tf_plus ORDER BY id;
SELECT * FROM tf_lt ORDER BY id;
SELECT * FROM tf_le ORDER BY id;
SELECT * FROM tf_date ORDER BY id;
SELECT * FROM tf_and ORDER BY id;
SELECT * FROM tf_btw ORDER BY id;
SELECT * FROM tf_agg;
SELECT * FROM tf_sub ORDER BY id;
-- changes flow through them
DELETE FROM tf WHERE id = 2;
INSERT INTO tf VALUES (5, '2998-01-01 00:00:00+00', NULL, NULL, 5), (6, '1999-01-01 00:00:00+00', NULL, NULL, 6);
FLUSH;
SELECT * FROM tf_gt ORDER BY id;
SELECT * FROM tf_lt ORDER BY id;
SELECT * FROM tf_agg;
SELECT * FROM tf_exists ORDER BY k;
SELECT * FROM tf_scalar ORDER BY k;
SELECT * FROM tf_join ORDER BY k;
-- ad hoc, now() is evaluated once, as before
SELECT id FROM tf WHERE ts > now() - INTERVAL '1 hour' OR x = 3 ORDER BY id;
-- refused: anything else that reads the time
CREATE MATERIALIZED VIEW tf_bad AS SELECT id, now() FROM tf;
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts > now() OR x > 1;
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE NOT (ts > now());
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts = now();
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts <> now();
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts > date_trunc('hour', now());
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts > now() - x * INTERVAL '1 hour';
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts > now() AND random() < 0.5;
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts > statement_timestamp();
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE now() > now() - INTERVAL '1 hour';
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts > now() - INTERVAL '1 hour' + now() - now();
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts BETWEEN SYMMETRIC now() AND now() + INTERVAL '1 day';
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf GROUP BY id HAVING max(ts) > now();
CREATE MATERIALIZED VIEW tf_bad AS SELECT tf.id FROM tf JOIN tf AS u ON tf.id = u.id AND u.ts > now();
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts > now() - INTERVAL '1 hour' AND nosuch > 0;
CREATE MATERIALIZED VIEW tf_bad AS SELECT id FROM tf WHERE ts > now() - 1;
SELECT count(*) FROM rw_catalog.rw_materialized_views WHERE name = 'tf_bad';
DROP TABLE tf, tk CASCADE;
