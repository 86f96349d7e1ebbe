-- q4: average winning price per category: the highest bid placed within an auction's
-- lifetime wins; AVG of the winning prices per category (interval join, MAX per auction,
-- then a retracting AVG over it).
CREATE MATERIALIZED VIEW nexmark_q4 AS
SELECT Q.category, AVG(Q.final) AS avg
FROM (
    SELECT MAX(B.price) AS final, A.category
    FROM auction AS A, bid AS B
    WHERE A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires
    GROUP BY A.id, A.category
) AS Q
GROUP BY Q.category;
