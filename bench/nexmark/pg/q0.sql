-- q0 for PostgreSQL 15 (the oracle): the same query as queries/q0.sql.
SELECT auction, bidder, price, date_time
FROM bid;
