-- q11: bids per user session: a bidder's session closes after 10 s without a bid (SESSION
-- window keyed by bidder; Flink's query, RisingWave and Feldera skip it). Rivulet's
-- SESSION(rel, time_col, gap, key...) (docs/windows.md): window_start = first bid,
-- window_end = last bid + gap, as Flink's SESSION_START / SESSION_END.
CREATE MATERIALIZED VIEW nexmark_q11 AS
SELECT bidder, count(*) AS bid_count, window_start AS starttime, window_end AS endtime
FROM SESSION(bid, date_time, INTERVAL '10' SECOND, bidder)
GROUP BY bidder, window_start, window_end;
