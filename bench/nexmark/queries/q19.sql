-- q19: the 10 highest bids of each auction (group top-N with ROW_NUMBER <= 10). The tie-breaker
-- date_time makes the answer deterministic (prices repeat often).
CREATE MATERIALIZED VIEW nexmark_q19 AS
SELECT *
FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, date_time)
                  AS rank_number
    FROM bid
) AS t
WHERE rank_number <= 10;
