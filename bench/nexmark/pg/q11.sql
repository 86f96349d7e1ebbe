-- q11 for PostgreSQL 15: session windows per bidder with window functions: a bid opens a
-- session when the bidder's previous bid is 10 s or more older; end = last bid + 10 s.
SELECT bidder, count(*) AS bid_count, min(date_time) AS starttime,
       max(date_time) + INTERVAL '10' SECOND AS endtime
FROM (
    SELECT bidder, date_time,
           sum(is_new) OVER (PARTITION BY bidder ORDER BY date_time
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_no
    FROM (
        SELECT bidder, date_time,
               CASE WHEN lag(date_time) OVER (PARTITION BY bidder ORDER BY date_time) IS NULL
                      OR lag(date_time) OVER (PARTITION BY bidder ORDER BY date_time)
                         <= date_time - INTERVAL '10' SECOND
                    THEN 1 ELSE 0 END AS is_new
        FROM bid
    ) AS marked
) AS sessions
GROUP BY bidder, session_no;
