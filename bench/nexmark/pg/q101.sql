-- q101 for PostgreSQL 15 (the oracle): the same query as queries/q101.sql.
SELECT a.id AS auction_id, a.item_name AS auction_item_name, b.max_price AS current_highest_bid
FROM auction AS a
LEFT OUTER JOIN (
    SELECT b1.auction, MAX(b1.price) AS max_price
    FROM bid AS b1
    GROUP BY b1.auction
) AS b ON a.id = b.auction;
