-- q12: bids per bidder in 10 s processing-time windows (TUMBLE over proctime), as RisingWave
-- writes it: bid's `p_time TIMESTAMPTZ AS PROCTIME()` column holds the time each row was
-- appended (sql/proctime.h), stored with the row, so the view is deterministic over the log.
CREATE MATERIALIZED VIEW nexmark_q12 AS
SELECT bidder, count(*) AS bid_count, window_start, window_end
FROM TUMBLE(bid, p_time, INTERVAL '10' SECOND)
GROUP BY bidder, window_start, window_end;
