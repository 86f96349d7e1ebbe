-- q14: filtered bids with a day/night label and the number of 'c' characters in extra
-- (filter on a computed price range, CASE on extract(hour)). RisingWave calls a UDF
-- count_char(extra, 'c'); Rivulet has no CREATE FUNCTION, so it is written inline.
CREATE MATERIALIZED VIEW nexmark_q14 AS
SELECT auction, bidder, 0.908 * price AS price,
       CASE
           WHEN extract(hour FROM date_time) >= 8 AND extract(hour FROM date_time) <= 18
               THEN 'dayTime'
           WHEN extract(hour FROM date_time) <= 6 OR extract(hour FROM date_time) >= 20
               THEN 'nightTime'
           ELSE 'otherTime'
       END AS bidtimetype,
       date_time, extra,
       length(extra) - length(replace(extra, 'c', '')) AS c_counts
FROM bid
WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;
