-- q105 (RisingWave): the 1000 auctions with the most bids (join + GROUP BY + ORDER BY ...
-- LIMIT: a top-N). The tie-breaker auction_id makes the answer deterministic.
CREATE MATERIALIZED VIEW nexmark_q105 AS
SELECT a.id AS auction_id, a.item_name AS auction_item_name, COUNT(b.auction) AS bid_count
FROM auction AS a
JOIN bid AS b ON a.id = b.auction
GROUP BY a.id, a.item_name
ORDER BY bid_count DESC, auction_id
LIMIT 1000;
