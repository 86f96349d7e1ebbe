--
-- subquery_lazy: an uncorrelated scalar subquery is evaluated only when a row needs its value
-- (PostgreSQL runs an initplan on first use), so its errors (22012 ...) come only then; the
-- Nexmark q102 shape over empty tables returns no rows. Views follow as rows arrive and leave.
--
CREATE TABLE lz_auction (id bigint PRIMARY KEY, item_name text);
CREATE TABLE lz_bid (bid_id int PRIMARY KEY, auction bigint, price bigint);
CREATE TABLE lz_one (id int PRIMARY KEY, x int); -- x: no index, PostgreSQL filters
INSERT INTO lz_one VALUES (1, 1);
-- q102 over empty tables: no group, the subquery's 0 / 0 is never computed
SELECT a.id, a.item_name, count(b.auction) AS bid_count
  FROM lz_auction a JOIN lz_bid b ON a.id = b.auction
  GROUP BY a.id, a.item_name
  HAVING count(b.auction) >= (SELECT count(*) / count(DISTINCT auction) FROM lz_bid);
-- the subquery alone still fails
SELECT count(*) / count(DISTINCT auction) FROM lz_bid;
\echo :SQLSTATE
-- select list, WHERE, HAVING: no row, no error; a row that needs it: 22012
SELECT x, (SELECT 1 / count(*) FROM lz_bid) FROM lz_one WHERE x > 5;
SELECT x, (SELECT 1 / count(*) FROM lz_bid) FROM lz_one;
\echo :SQLSTATE
SELECT x FROM lz_one WHERE x > 5 AND x < (SELECT 1 / count(*) FROM lz_bid);
SELECT x FROM lz_one WHERE x < (SELECT 1 / count(*) FROM lz_bid);
\echo :SQLSTATE
SELECT x, count(*) FROM lz_one GROUP BY x
  HAVING count(*) > 5 AND count(*) < (SELECT 1 / count(*) FROM lz_bid);
SELECT x, count(*) FROM lz_one GROUP BY x HAVING count(*) < (SELECT 1 / count(*) FROM lz_bid);
\echo :SQLSTATE
SELECT x FROM lz_one WHERE x IS DISTINCT FROM (SELECT max(price) / 0 FROM lz_bid WHERE false);
-- an empty subquery is NULL without computing its expression; two rows: 21000
SELECT x, (SELECT price / 0 FROM lz_bid) AS q FROM lz_one;
SELECT x, (SELECT 10 / x FROM lz_one) AS q FROM lz_one;
INSERT INTO lz_one VALUES (2, 2);
SELECT x, (SELECT 10 / x FROM lz_one) AS q FROM lz_one;
\echo :SQLSTATE
DELETE FROM lz_one WHERE id = 2;
-- no FROM: PostgreSQL folds the constant 1 / 0 while planning, whatever the rows
SELECT x, (SELECT 1 / 0) FROM lz_one WHERE x > 5;
\echo :SQLSTATE
-- q102 as a view, created before any data, then maintained as bids come and go
CREATE MATERIALIZED VIEW lz_q102 AS
SELECT a.id, a.item_name, count(b.auction) AS bid_count
  FROM lz_auction a JOIN lz_bid b ON a.id = b.auction
  GROUP BY a.id, a.item_name
  HAVING count(b.auction) >= (SELECT count(*) / count(DISTINCT auction) FROM lz_bid);
CREATE MATERIALIZED VIEW lz_share AS
SELECT a.id, (SELECT 100 / count(*) FROM lz_bid) AS share FROM lz_auction a;
REFRESH MATERIALIZED VIEW lz_q102;
SELECT * FROM lz_q102 ORDER BY id;
INSERT INTO lz_bid VALUES (1, 9, 1);
REFRESH MATERIALIZED VIEW lz_q102;
SELECT * FROM lz_q102 ORDER BY id;
INSERT INTO lz_auction VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO lz_bid VALUES (2, 1, 1), (3, 1, 2), (4, 2, 5);
REFRESH MATERIALIZED VIEW lz_q102;
SELECT * FROM lz_q102 ORDER BY id;
REFRESH MATERIALIZED VIEW lz_share;
SELECT * FROM lz_share ORDER BY id;
INSERT INTO lz_bid VALUES (5, 2, 1), (6, 2, 2), (7, 3, 5);
REFRESH MATERIALIZED VIEW lz_q102;
SELECT * FROM lz_q102 ORDER BY id;
DELETE FROM lz_bid WHERE auction = 2;
REFRESH MATERIALIZED VIEW lz_q102;
SELECT * FROM lz_q102 ORDER BY id;
-- every bid gone: no group, no error
DELETE FROM lz_bid;
REFRESH MATERIALIZED VIEW lz_q102;
SELECT * FROM lz_q102 ORDER BY id;
INSERT INTO lz_bid VALUES (8, NULL, 1);
REFRESH MATERIALIZED VIEW lz_q102;
SELECT * FROM lz_q102 ORDER BY id;
INSERT INTO lz_bid VALUES (9, 3, 1), (10, 3, 4);
REFRESH MATERIALIZED VIEW lz_q102;
SELECT * FROM lz_q102 ORDER BY id;
UPDATE lz_bid SET auction = 3 WHERE bid_id = 8;
REFRESH MATERIALIZED VIEW lz_q102;
SELECT * FROM lz_q102 ORDER BY id;
UPDATE lz_bid SET auction = NULL;
REFRESH MATERIALIZED VIEW lz_q102;
SELECT * FROM lz_q102 ORDER BY id;
-- lz_share once every auction is gone and no bid is left: nothing to divide for
DELETE FROM lz_auction;
DELETE FROM lz_bid;
REFRESH MATERIALIZED VIEW lz_share;
SELECT * FROM lz_share ORDER BY id;
INSERT INTO lz_bid VALUES (11, 1, 1), (12, 1, 1), (13, 1, 1), (14, 1, 1);
INSERT INTO lz_auction VALUES (1, 'a');
REFRESH MATERIALIZED VIEW lz_share;
SELECT * FROM lz_share ORDER BY id;
DROP MATERIALIZED VIEW lz_share;
DROP MATERIALIZED VIEW lz_q102;
DROP TABLE lz_auction, lz_bid, lz_one;
