-- q18 for PostgreSQL 15 (the oracle): the same query as queries/q18.sql.
SELECT auction, bidder, price, channel, url, date_time, extra
FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY date_time DESC)
                  AS rank_number
    FROM bid
) AS t
WHERE rank_number <= 1;
