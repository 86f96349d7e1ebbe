-- q19 for PostgreSQL 15 (the oracle): the same query as queries/q19.sql.
SELECT *
FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, date_time)
                  AS rank_number
    FROM bid
) AS t
WHERE rank_number <= 10;
