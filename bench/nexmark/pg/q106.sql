-- q106 for PostgreSQL 15 (the oracle): the same query as queries/q106.sql.
SELECT MIN(final) AS min_final
FROM (
    SELECT A.id, MAX(B.price) AS final
    FROM auction AS A, bid AS B
    WHERE B.auction = A.id AND B.date_time BETWEEN A.date_time AND A.expires
    GROUP BY A.id
) AS tmp;
