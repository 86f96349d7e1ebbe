--
-- Window functions: ranking (row_number, rank, dense_rank, percent_rank,
-- cume_dist, ntile), navigation (lag, lead, first_value, last_value,
-- nth_value), aggregates with OVER; PARTITION BY, ORDER BY, the default
-- frame (peers included), ROWS / GROUPS / RANGE-offset frames, EXCLUDE;
-- named windows; windows over GROUP
-- BY; window functions in ORDER BY and expressions; group top-N through a
-- subquery; misuse errors (42P20, 42803, 42809, 42704). Every query has a
-- total ORDER BY.
--
CREATE TABLE emp (name text, dept text, salary int, hired int);
INSERT INTO emp VALUES
  ('ann', 'eng', 120, 2019), ('bob', 'eng', 100, 2020), ('cat', 'eng', 100, 2021),
  ('dan', 'ops', 80, 2018), ('eve', 'ops', 90, 2022), ('fay', 'ops', NULL, 2023),
  ('gus', 'hr', 70, 2017);
-- ranking
SELECT name, dept, salary,
       row_number() OVER (PARTITION BY dept ORDER BY salary DESC, name),
       rank() OVER (PARTITION BY dept ORDER BY salary DESC),
       dense_rank() OVER (PARTITION BY dept ORDER BY salary DESC)
FROM emp ORDER BY dept, name;
SELECT name, salary, rank() OVER w, dense_rank() OVER w, percent_rank() OVER w, cume_dist() OVER w
FROM emp WINDOW w AS (ORDER BY salary) ORDER BY name;
SELECT name, ntile(3) OVER (ORDER BY hired), ntile(10) OVER (ORDER BY hired)
FROM emp ORDER BY name;
SELECT g, ntile(4) OVER (ORDER BY g) FROM generate_series(1, 10) g ORDER BY g;
-- no ORDER BY: the whole partition is the frame, all rows are peers
SELECT name, count(*) OVER (), sum(salary) OVER (PARTITION BY dept), rank() OVER (),
       avg(salary) OVER (PARTITION BY dept)
FROM emp ORDER BY name;
-- the default frame: RANGE UNBOUNDED PRECEDING .. CURRENT ROW, peers included
SELECT name, salary, sum(salary) OVER (ORDER BY salary), count(salary) OVER (ORDER BY salary),
       min(name) OVER (ORDER BY salary), max(hired) OVER (ORDER BY salary DESC NULLS LAST)
FROM emp ORDER BY name;
SELECT name, string_agg(name, ',') OVER (PARTITION BY dept ORDER BY name) FROM emp ORDER BY name;
SELECT name, count(*) FILTER (WHERE salary >= 100) OVER (ORDER BY hired),
       sum(salary::numeric) OVER (ORDER BY hired), avg(salary::float8) OVER (PARTITION BY dept)
FROM emp ORDER BY name;
-- navigation
SELECT name, hired, lag(name) OVER w, lead(name) OVER w, lag(name, 2) OVER w, lead(hired, 2, 0) OVER w,
       lag(salary, 1, -1) OVER w, lag(hired, -1) OVER w, lead(hired, NULL) OVER w
FROM emp WINDOW w AS (ORDER BY hired) ORDER BY hired;
SELECT name, first_value(name) OVER w, last_value(name) OVER w, nth_value(name, 2) OVER w
FROM emp WINDOW w AS (PARTITION BY dept ORDER BY name) ORDER BY name;
SELECT name, last_value(name) OVER (PARTITION BY dept ORDER BY name
         ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
       nth_value(name, 3) OVER (PARTITION BY dept ORDER BY name
         RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
FROM emp ORDER BY name;
SELECT lag(1, 1, 2.5) OVER (), lead(1::int2, 1, 5) OVER ();
-- ROWS frames
SELECT g, sum(g) OVER (ORDER BY g ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING),
       sum(g) OVER (ORDER BY g ROWS 2 PRECEDING),
       sum(g) OVER (ORDER BY g ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING),
       count(*) OVER (ORDER BY g ROWS BETWEEN 2 FOLLOWING AND 3 FOLLOWING),
       min(g) OVER (ORDER BY g ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING),
       first_value(g) OVER (ORDER BY g ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
FROM generate_series(1, 6) g ORDER BY g;
SELECT g, sum(g) OVER (ORDER BY g RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING),
       sum(g) OVER (ORDER BY g / 2 RANGE CURRENT ROW)
FROM generate_series(1, 6) g ORDER BY g;
-- GROUPS frames, frame exclusion
SELECT g, g / 2 AS k, sum(g) OVER (ORDER BY g / 2 GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING),
       sum(g) OVER (ORDER BY g / 2 GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING),
       sum(g) OVER (ORDER BY g / 2 GROUPS BETWEEN 2 PRECEDING AND 1 PRECEDING),
       sum(g) OVER (ORDER BY g / 2 GROUPS BETWEEN 1 FOLLOWING AND 2 FOLLOWING),
       first_value(g) OVER (ORDER BY g / 2 GROUPS 1 PRECEDING),
       count(*) OVER (ORDER BY g / 2 GROUPS BETWEEN UNBOUNDED PRECEDING AND 0 FOLLOWING)
FROM generate_series(0, 8) g ORDER BY g;
SELECT g, sum(g) OVER (ORDER BY g / 2 ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW),
       sum(g) OVER (ORDER BY g / 2 EXCLUDE GROUP), sum(g) OVER (ORDER BY g / 2 EXCLUDE TIES),
       first_value(g) OVER (ORDER BY g / 2 ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING
                            EXCLUDE CURRENT ROW),
       last_value(g) OVER (ORDER BY g / 2 RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                           EXCLUDE TIES),
       nth_value(g, 2) OVER (ORDER BY g / 2 GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING
                             EXCLUDE GROUP),
       string_agg(g::text, ',') OVER (ORDER BY g / 2 EXCLUDE CURRENT ROW)
FROM generate_series(0, 7) g ORDER BY g;
SELECT sum(g) OVER (GROUPS 1 PRECEDING) FROM generate_series(1, 3) g;
SELECT sum(g) OVER (ORDER BY g GROUPS BETWEEN g PRECEDING AND CURRENT ROW)
FROM generate_series(1, 3) g;
SELECT sum(g) OVER (ORDER BY g GROUPS BETWEEN -1 PRECEDING AND CURRENT ROW)
FROM generate_series(1, 3) g;
-- RANGE with offsets over integer, float, numeric, date and timestamp ORDER BY values
CREATE TABLE r (x int, f float8, n numeric, d date, ts timestamp);
INSERT INTO r VALUES
  (1, 1.5, 1.25, '2020-01-01', '2020-01-01 10:00'), (2, 2.5, 2.5, '2020-01-03', '2020-01-01 11:30'),
  (2, NULL, 3, '2020-01-04', NULL), (5, 5, NULL, NULL, '2020-01-02 10:00'),
  (NULL, 7, 7.5, '2020-01-10', '2020-01-01 10:30'), (NULL, 8, 8, '2020-01-11', '2020-01-01 09:00'),
  (9, 9, 9, '2020-01-12', '2020-01-03');
SELECT x, sum(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING),
       count(*) OVER (ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING),
       count(*) OVER (ORDER BY x DESC RANGE BETWEEN 1 PRECEDING AND CURRENT ROW),
       count(*) OVER (ORDER BY x NULLS FIRST RANGE BETWEEN 3 FOLLOWING AND UNBOUNDED FOLLOWING),
       first_value(x) OVER (ORDER BY x DESC NULLS LAST RANGE BETWEEN CURRENT ROW AND 3 FOLLOWING),
       count(*) OVER (ORDER BY x NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
FROM r ORDER BY x, f;
SELECT f, count(*) OVER (ORDER BY f RANGE BETWEEN 1 PRECEDING AND 1.5 FOLLOWING),
       sum(f) OVER (ORDER BY f DESC RANGE 2 PRECEDING)
FROM r ORDER BY f, x;
SELECT n, sum(n) OVER (ORDER BY n RANGE BETWEEN 1.25 PRECEDING AND 0.5 FOLLOWING) FROM r ORDER BY n, x;
SELECT d, count(*) OVER (ORDER BY d RANGE BETWEEN '2 days' PRECEDING AND CURRENT ROW),
       min(d) OVER (ORDER BY d DESC RANGE BETWEEN '1 day' PRECEDING AND '3 days' FOLLOWING)
FROM r ORDER BY d, x;
SELECT ts, count(*) OVER (ORDER BY ts RANGE BETWEEN interval '1 hour' PRECEDING
                                          AND interval '30 minutes' FOLLOWING)
FROM r ORDER BY ts, x;
SELECT sum(x) OVER (ORDER BY x RANGE BETWEEN -1 PRECEDING AND CURRENT ROW) FROM r;
SELECT sum(x) OVER (ORDER BY x::text RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM r;
SELECT sum(x) OVER (ORDER BY x RANGE BETWEEN 1.5 PRECEDING AND CURRENT ROW) FROM r;
SELECT sum(x) OVER (ORDER BY x RANGE BETWEEN NULL PRECEDING AND CURRENT ROW) FROM r;
SELECT sum(x) OVER (ORDER BY x, f RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM r;
SELECT sum(x) OVER (ORDER BY x RANGE BETWEEN x PRECEDING AND CURRENT ROW) FROM r;
DROP TABLE r;
-- named windows: OVER w, OVER (w ORDER BY ...), windows built on windows
SELECT name, sum(salary) OVER (w ORDER BY name), count(*) OVER w2, rank() OVER w2
FROM emp WINDOW w AS (PARTITION BY dept), w2 AS (w ORDER BY hired) ORDER BY name;
SELECT 1 AS x FROM emp WINDOW unused AS (ORDER BY salary) ORDER BY 1 LIMIT 1;
-- after GROUP BY, in expressions, in ORDER BY
SELECT dept, sum(salary), rank() OVER (ORDER BY sum(salary) DESC),
       sum(sum(salary)) OVER (), 100 * sum(salary) / sum(sum(salary)) OVER () AS pct
FROM emp GROUP BY dept ORDER BY dept;
SELECT dept, count(*), row_number() OVER (ORDER BY count(*), dept) FROM emp GROUP BY dept
HAVING count(*) > 1 ORDER BY dept;
SELECT name, row_number() OVER (ORDER BY hired) * 10 + 1 AS r FROM emp
ORDER BY row_number() OVER (ORDER BY name DESC);
SELECT row_number() OVER (), count(*) OVER ();
-- group top-N
SELECT * FROM (SELECT dept, name, salary,
                      row_number() OVER (PARTITION BY dept ORDER BY salary DESC NULLS LAST, name) AS rn
               FROM emp) s
WHERE rn <= 2 ORDER BY dept, rn;
SELECT dept, name FROM (SELECT dept, name, rank() OVER (PARTITION BY dept ORDER BY salary) AS r
                        FROM emp) s
WHERE r = 1 ORDER BY dept, name;
-- runtime errors
SELECT ntile(0) OVER () FROM emp;
SELECT nth_value(name, 0) OVER () FROM emp;
SELECT sum(salary) OVER (ORDER BY hired ROWS BETWEEN NULL PRECEDING AND CURRENT ROW) FROM emp;
SELECT sum(salary) OVER (ORDER BY hired ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) FROM emp;
-- misuse
SELECT 1 FROM emp WHERE row_number() OVER () > 1;
SELECT 1 FROM emp GROUP BY row_number() OVER ();
SELECT 1 FROM emp HAVING rank() OVER () > 1;
SELECT sum(row_number() OVER ()) FROM emp;
SELECT row_number() OVER (PARTITION BY rank() OVER ()) FROM emp;
SELECT lag(lag(salary) OVER ()) OVER () FROM emp;
SELECT 1 FROM emp LIMIT row_number() OVER ();
SELECT 1 FROM emp e JOIN emp f ON rank() OVER () > 1;
VALUES (row_number() OVER ());
SELECT lower(name) OVER () FROM emp;
SELECT no_such(salary) OVER () FROM emp;
SELECT row_number(salary) OVER () FROM emp;
SELECT count(DISTINCT salary) OVER () FROM emp;
SELECT string_agg(name, ',' ORDER BY name) OVER () FROM emp;
SELECT row_number() FILTER (WHERE salary > 1) OVER () FROM emp;
SELECT sum(salary) OVER nope FROM emp;
SELECT sum(salary) OVER (w PARTITION BY name) FROM emp WINDOW w AS (PARTITION BY dept);
SELECT sum(salary) OVER (w ORDER BY name) FROM emp WINDOW w AS (ORDER BY dept);
SELECT sum(salary) OVER (w) FROM emp WINDOW w AS (ROWS UNBOUNDED PRECEDING);
SELECT 1 FROM emp WINDOW w AS (), w AS ();
SELECT sum(salary) OVER (RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM emp;
SELECT sum(salary) OVER (ORDER BY hired ROWS BETWEEN salary PRECEDING AND CURRENT ROW) FROM emp;
SELECT lag('a') OVER ();
SELECT name, count(*) OVER (ORDER BY salary) FROM emp GROUP BY dept;
DROP TABLE emp;
