-- q10 for PostgreSQL 15 (the oracle): the same query as queries/q10.sql.
SELECT auction, bidder, price, date_time,
       to_char(date_time, 'YYYY-MM-DD') AS date,
       to_char(date_time, 'HH:MI') AS time
FROM bid;
