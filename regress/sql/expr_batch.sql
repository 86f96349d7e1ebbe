-- expr_batch: column-at-a-time evaluation (sql/expr_vec.c) and the WHERE
-- pushdown below a subquery's select list (planner/pushdown.c) must give
-- PostgreSQL's results and errors, across batch boundaries (1024 rows).
-- A WHERE over a subquery filters before the select list is computed
SELECT * FROM (SELECT 1/g AS x, g FROM generate_series(0, 3) g) s WHERE g > 0;
SELECT count(*), max(x) FROM (SELECT 10000/(g - 2500) AS x, g FROM generate_series(1, 5000) g) s WHERE g <> 2500;
SELECT * FROM (SELECT * FROM (SELECT g * 2 AS h FROM generate_series(1, 10) g) s WHERE h > 4) t WHERE h < 10;
SELECT * FROM (SELECT g, count(*) AS c FROM generate_series(1, 10) g GROUP BY g) s WHERE c > 0 AND g < 3 ORDER BY g;
-- AND/OR decide lazily per row: the division never sees a zero
SELECT count(*) FROM generate_series(1, 3000) g WHERE g % 1000 <> 0 AND 1000 / (g % 1000) > 1;
SELECT count(*) FROM generate_series(1, 3000) g WHERE g % 1000 = 0 OR 1000 / (g % 1000) > 1;
SELECT count(*) FROM generate_series(1, 3000) g WHERE NOT (g % 1000 = 0 OR 1000 / (g % 1000) > 1);
-- CASE evaluates only the branch it takes
SELECT sum(CASE WHEN g % 1000 = 0 THEN 0 ELSE 1000 / (g % 1000) END) FROM generate_series(1, 3000) g;
-- the first error in row order wins, whichever column raises it
SELECT 1 / (g - 1500), g * 3074457345618258602 FROM generate_series(1, 3000) g;
SELECT g * 3074457345618258602, 1 / (g - 2) FROM generate_series(1, 3000) g;
SELECT count(*) FROM generate_series(1, 3000) g WHERE (g - 2000)::int2 > 0;
SELECT max(g::int4 * 1000000) FROM generate_series(1, 3000) g;
SELECT max(g * 1000000) FROM generate_series(1, 3000) g;
-- integer kernels: mixed widths, modulo by -1, NULLs
SELECT sum(g::int2 + g::int4), sum(g::int8 - g::int2), sum(g % -1), sum(-g % 7)
  FROM generate_series(1, 3000) g;
SELECT count(x), count(*) FROM (SELECT CASE WHEN g % 3 = 0 THEN NULL ELSE g END AS x FROM generate_series(1, 3000) g) s
  WHERE x + 1 > 10 OR x IS NULL;
-- float8 kernels: overflow, underflow, NaN ordering, -0
SELECT max(g::float8 * 1.5::float8), min(g::float8 / 7), sum(g::float8 - 0.5) FROM generate_series(1, 3000) g;
SELECT g::float8 * 1e308::float8 FROM generate_series(1, 3) g;
SELECT g::float8 * 1e-320::float8 * 1e-10::float8 FROM generate_series(1, 3) g;
SELECT g::float8 / (g - 2)::float8 FROM generate_series(1, 3) g;
SELECT x, x < 'NaN'::float8, x = 'NaN'::float8, x > 1::float8, x = -0.0::float8
  FROM (VALUES (1::float8), ('NaN'), ('-0'), ('Infinity'), ('-Infinity'), (NULL)) v(x);
-- aggregates: FILTER evaluates its call's arguments only for the rows it passes
SELECT g % 3, sum(g) FILTER (WHERE g > 2), count(1 / (g - 1)) FILTER (WHERE g <> 1),
       string_agg(g::text, ',' ORDER BY g DESC)
  FROM generate_series(1, 10) g GROUP BY 1 ORDER BY 1;
SELECT count(1 / (g % 1000)) FILTER (WHERE g % 1000 <> 0), count(*) FROM generate_series(1, 3000) g;
SELECT sum(g * 1000000000000000) FILTER (WHERE g > 0), count(1 / g) FROM generate_series(-20, 20) g;
-- the benchmark queries (bench/expr), smaller
SELECT max(a * 2 + 1), count(*) FILTER (WHERE a % 7 = 3), max(b * 3 - 1)
  FROM (SELECT g::int8 AS a, (g % 1000)::int4 AS b FROM generate_series(1, 20000) g) s
  WHERE a % 3 <> 0 AND b < 900;
SELECT max(a * 2 + 1), max(b * 1.5::float8), max((a::numeric / 3)::numeric(10,2)), max(upper(t)), count(*)
  FROM (SELECT g::int8 AS a, (g % 1000)::float8 / 1000 AS b, 'x' || (g % 100)::text AS t
        FROM generate_series(1, 20000) g) s
  WHERE a % 7 = 3 AND b > 0.5;
