-- q103 (RisingWave): auctions with at least 20 bids (IN subquery: a semi join, + HAVING).
CREATE MATERIALIZED VIEW nexmark_q103 AS
SELECT a.id AS auction_id, a.item_name AS auction_item_name
FROM auction AS a
WHERE a.id IN (
    SELECT b.auction FROM bid AS b GROUP BY b.auction HAVING COUNT(*) >= 20
);
