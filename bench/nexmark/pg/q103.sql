-- q103 for PostgreSQL 15 (the oracle): the same query as queries/q103.sql.
SELECT a.id AS auction_id, a.item_name AS auction_item_name
FROM auction AS a
WHERE a.id IN (
    SELECT b.auction FROM bid AS b GROUP BY b.auction HAVING COUNT(*) >= 20
);
