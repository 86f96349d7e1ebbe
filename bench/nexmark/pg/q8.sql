-- q8 for PostgreSQL 15: TUMBLE(..., 10 s) → date_bin('10 s', date_time, epoch).
SELECT P.id, P.name, P.starttime
FROM (
    SELECT id, name, ws AS starttime, ws + INTERVAL '10 seconds' AS endtime
    FROM person, date_bin('10 seconds', date_time, TIMESTAMP '1970-01-01') AS ws
    GROUP BY id, name, ws
) AS P
JOIN (
    SELECT seller, ws AS starttime, ws + INTERVAL '10 seconds' AS endtime
    FROM auction, date_bin('10 seconds', date_time, TIMESTAMP '1970-01-01') AS ws
    GROUP BY seller, ws
) AS A
ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime;
