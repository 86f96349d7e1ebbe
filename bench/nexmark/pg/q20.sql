-- q20 for PostgreSQL 15 (the oracle): the same query as queries/q20.sql.
SELECT auction, bidder, price, channel, url, B.date_time AS date_timeb,
       item_name, description, initial_bid, reserve, A.date_time AS date_timea, expires,
       seller, category
FROM bid AS B
INNER JOIN auction AS A ON B.auction = A.id
WHERE A.category = 10;
