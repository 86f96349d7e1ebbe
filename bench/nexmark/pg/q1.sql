-- q1 for PostgreSQL 15 (the oracle): the same query as queries/q1.sql.
SELECT auction, bidder, 0.908 * price AS price, date_time
FROM bid;
