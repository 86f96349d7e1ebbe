-- q104 (RisingWave): auctions that are not among those with fewer than 20 bids (NOT IN: an
-- anti join).
CREATE MATERIALIZED VIEW nexmark_q104 AS
SELECT a.id AS auction_id, a.item_name AS auction_item_name
FROM auction AS a
WHERE a.id NOT IN (
    SELECT b.auction FROM bid AS b GROUP BY b.auction HAVING COUNT(*) < 20
);
