-- q12 for PostgreSQL 15: processing-time windows over bid.p_time, whose values the oracle
-- check copies from Rivulet with the rows (tests/nexmark/check.py), so both answers match.
SELECT bidder, count(*) AS bid_count, ws AS window_start, ws + INTERVAL '10 seconds' AS window_end
FROM bid, date_bin('10 seconds', p_time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS ws
GROUP BY bidder, ws;
