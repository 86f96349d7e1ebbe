--
-- WITH features Rivulet does not have (PostgreSQL runs these): recursive and
-- data-modifying WITH queries fail with 0A000 and say so.
--
\set VERBOSITY verbose
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) SELECT * FROM t;
CREATE TABLE cte_dml (a int);
WITH ins AS (INSERT INTO cte_dml VALUES (1) RETURNING a) SELECT * FROM ins;
WITH del AS (DELETE FROM cte_dml RETURNING a) SELECT * FROM del;
SELECT * FROM cte_dml;
DROP TABLE cte_dml;
