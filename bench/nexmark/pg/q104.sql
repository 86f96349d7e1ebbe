-- q104 for PostgreSQL 15 (the oracle): the same query as queries/q104.sql.
SELECT a.id AS auction_id, a.item_name AS auction_item_name
FROM auction AS a
WHERE a.id NOT IN (
    SELECT b.auction FROM bid AS b GROUP BY b.auction HAVING COUNT(*) < 20
);
