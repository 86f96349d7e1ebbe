-- q5 for PostgreSQL 15: HOP(bid, date_time, 2 s, 10 s) is a join with generate_series: a bid
-- belongs to the 5 windows starting at date_bin('2 s', date_time) - k * 2 s, k = 0..4.
WITH hop AS (
    SELECT b.auction, ws AS window_start
    FROM bid AS b,
         generate_series(date_bin('2 seconds', b.date_time, TIMESTAMP '1970-01-01')
                             - INTERVAL '8 seconds',
                         date_bin('2 seconds', b.date_time, TIMESTAMP '1970-01-01'),
                         INTERVAL '2 seconds') AS ws
)
SELECT AuctionBids.auction, AuctionBids.num
FROM (
    SELECT auction, count(*) AS num, window_start AS starttime
    FROM hop
    GROUP BY window_start, auction
) AS AuctionBids
JOIN (
    SELECT max(CountBids.num) AS maxn, CountBids.starttime_c
    FROM (
        SELECT count(*) AS num, window_start AS starttime_c
        FROM hop
        GROUP BY auction, window_start
    ) AS CountBids
    GROUP BY CountBids.starttime_c
) AS MaxBids
ON AuctionBids.starttime = MaxBids.starttime_c AND AuctionBids.num >= MaxBids.maxn;
