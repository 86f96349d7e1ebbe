-- q2 for PostgreSQL 15 (the oracle): the same query as queries/q2.sql.
SELECT auction, price
FROM bid
WHERE auction = 1007 OR auction = 1020 OR auction = 2001 OR auction = 2019 OR auction = 2087;
