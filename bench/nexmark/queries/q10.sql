-- q10: log every bid with a formatted date and time (projection + to_char; Flink's original
-- writes partitioned files).
CREATE MATERIALIZED VIEW nexmark_q10 AS
SELECT auction, bidder, price, date_time,
       to_char(date_time, 'YYYY-MM-DD') AS date,
       to_char(date_time, 'HH:MI') AS time
FROM bid;
