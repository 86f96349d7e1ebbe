-- q12: bids per bidder in 10 s processing-time windows (TUMBLE over proctime). RisingWave
-- reads a `p_time TIMESTAMPTZ AS proctime()` column of the source; Rivulet has neither
-- proctime() nor generated columns, so the processing time is written as now() in a CTE
-- (which a view refuses today: 0A000). Not comparable with an oracle: checked for shape only.
CREATE MATERIALIZED VIEW nexmark_q12 AS
WITH b AS (SELECT bidder, now() AS p_time FROM bid)
SELECT bidder, count(*) AS bid_count, window_start, window_end
FROM TUMBLE(b, p_time, INTERVAL '10' SECOND)
GROUP BY bidder, window_start, window_end;
