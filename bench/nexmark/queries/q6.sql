-- q6: average selling price of each seller's last 10 closed auctions: the winning bid per
-- auction (ROW_NUMBER top-1 within the auction's lifetime), then AVG over the seller's
-- last 11 rows (ROWS 10 PRECEDING) ordered by the winning bid's time.
-- Tie-breakers (B.date_time, B.bidder; Q.id) make the answer deterministic for the oracle.
CREATE MATERIALIZED VIEW nexmark_q6 AS
SELECT Q.seller,
       AVG(Q.final) OVER (PARTITION BY Q.seller ORDER BY Q.date_time, Q.id
                          ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS avg
FROM (
    SELECT ROW_NUMBER() OVER (PARTITION BY A.id, A.seller
                              ORDER BY B.price DESC, B.date_time, B.bidder) AS rownum,
           A.id, A.seller, B.price AS final, B.date_time
    FROM auction AS A, bid AS B
    WHERE A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires
) AS Q
WHERE Q.rownum <= 1;
