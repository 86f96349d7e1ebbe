-- q102 (RisingWave): auctions with at least the average number of bids per auction
-- (join + GROUP BY + HAVING against a scalar subquery: a dynamic filter).
CREATE MATERIALIZED VIEW nexmark_q102 AS
SELECT a.id AS auction_id, a.item_name AS auction_item_name, COUNT(b.auction) AS bid_count
FROM auction AS a
JOIN bid AS b ON a.id = b.auction
GROUP BY a.id, a.item_name
HAVING COUNT(b.auction) >= (SELECT COUNT(*) / COUNT(DISTINCT auction) FROM bid);
