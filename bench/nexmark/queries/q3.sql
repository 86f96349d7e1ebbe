-- q3: local item suggestion: sellers in OR/ID/CA offering category-10 auctions
-- (unbounded stream-stream inner join, filters on both sides).
CREATE MATERIALIZED VIEW nexmark_q3 AS
SELECT P.name, P.city, P.state, A.id
FROM auction AS A
JOIN person AS P ON A.seller = P.id
WHERE A.category = 10 AND (P.state = 'or' OR P.state = 'id' OR P.state = 'ca');
