-- q106 (RisingWave): the lowest winning price: MIN over the per-auction MAX of the bids
-- within each auction's lifetime (interval join + two-level aggregation).
CREATE MATERIALIZED VIEW nexmark_q106 AS
SELECT MIN(final) AS min_final
FROM (
    SELECT A.id, MAX(B.price) AS final
    FROM auction AS A, bid AS B
    WHERE B.auction = A.id AND B.date_time BETWEEN A.date_time AND A.expires
    GROUP BY A.id
) AS tmp;
