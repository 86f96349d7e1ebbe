-- q12 for PostgreSQL 15: processing-time windows: now() stands for the processing time. Not
-- comparable with Rivulet's view (different clocks): only the columns are compared.
SELECT bidder, count(*) AS bid_count, ws AS window_start, ws + INTERVAL '10 seconds' AS window_end
FROM bid, date_bin('10 seconds', now(), TIMESTAMPTZ '1970-01-01 00:00:00+00') AS ws
GROUP BY bidder, ws;
