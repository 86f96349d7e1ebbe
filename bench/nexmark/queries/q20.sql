-- q20: bids joined with their category-10 auctions, wide output (stream-stream inner join
-- with a filter).
CREATE MATERIALIZED VIEW nexmark_q20 AS
SELECT auction, bidder, price, channel, url, B.date_time AS date_timeb,
       item_name, description, initial_bid, reserve, A.date_time AS date_timea, expires,
       seller, category
FROM bid AS B
INNER JOIN auction AS A ON B.auction = A.id
WHERE A.category = 10;
