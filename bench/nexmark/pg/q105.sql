-- q105 for PostgreSQL 15 (the oracle): the same query as queries/q105.sql.
SELECT a.id AS auction_id, a.item_name AS auction_item_name, COUNT(b.auction) AS bid_count
FROM auction AS a
JOIN bid AS b ON a.id = b.auction
GROUP BY a.id, a.item_name
ORDER BY bid_count DESC, auction_id
LIMIT 1000;
