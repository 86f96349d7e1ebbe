-- q13: enrich bids from a side table (RisingWave: a lookup join `JOIN side_input FOR
-- SYSTEM_TIME AS OF PROCTIME() S ON mod(B.auction, 10000) = S.key`). PostgreSQL's grammar has
-- no FOR SYSTEM_TIME AS OF; over a side table that does not change, a plain join gives the
-- same answer, which is what Rivulet runs (a change to side_input is also applied to past
-- bids here, unlike a lookup join).
CREATE MATERIALIZED VIEW nexmark_q13 AS
SELECT B.auction, B.bidder, B.price, B.date_time, S.value
FROM bid AS B
JOIN side_input AS S ON mod(B.auction, 10000) = S.key;
