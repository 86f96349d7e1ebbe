-- q13 for PostgreSQL 15 (the oracle): the same query as queries/q13.sql.
SELECT B.auction, B.bidder, B.price, B.date_time, S.value
FROM bid AS B
JOIN side_input AS S ON mod(B.auction, 10000) = S.key;
