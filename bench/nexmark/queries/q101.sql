-- q101 (RisingWave): the current highest bid of every auction, NULL when it has none
-- (LEFT OUTER JOIN with a grouped MAX).
CREATE MATERIALIZED VIEW nexmark_q101 AS
SELECT a.id AS auction_id, a.item_name AS auction_item_name, b.max_price AS current_highest_bid
FROM auction AS a
LEFT OUTER JOIN (
    SELECT b1.auction, MAX(b1.price) AS max_price
    FROM bid AS b1
    GROUP BY b1.auction
) AS b ON a.id = b.auction;
