--
-- struct_expr: expressions over STRUCT values — (x).field, (x).*, ROW(...), IS [NOT] NULL,
-- comparisons — proven against PostgreSQL 15 with composite types holding the same data.
-- Only the DDL differs: Rivulet declares STRUCT<...> columns, PostgreSQL named composite
-- types (CREATE TYPE); every statement after it is the same text on both, and messages that
-- would name the type are in struct_expr_errors (Rivulet-only).
--
SELECT version() LIKE '%Rivulet%' AS is_rivulet \gset
\if :is_rivulet
\o /dev/null
CREATE TABLE se_t (
    event_type bigint,
    bid STRUCT<auction bigint, price bigint, channel varchar, dt timestamp>,
    n STRUCT<a int, b STRUCT<auction bigint, price bigint, channel varchar, dt timestamp>>
);
CREATE TABLE se_u (k int, p STRUCT<x numeric, y text>);
CREATE TABLE se_x (k int, bid STRUCT<auction bigint, price bigint, channel varchar>);
CREATE TABLE se_up (id int PRIMARY KEY,
    s STRUCT<auction bigint, price bigint, channel varchar, dt timestamp>,
    n STRUCT<a int, b STRUCT<auction bigint, price bigint, channel varchar, dt timestamp>>, v int);
\o
\else
\o /dev/null
CREATE TYPE se_bt AS (auction bigint, price bigint, channel varchar, dt timestamp);
CREATE TYPE se_nt AS (a int, b se_bt);
CREATE TYPE se_pt AS (x numeric, y text);
CREATE TABLE se_t (event_type bigint, bid se_bt, n se_nt);
CREATE TABLE se_u (k int, p se_pt);
CREATE TYPE se_xt AS (auction bigint, price bigint, channel varchar);
CREATE TABLE se_x (k int, bid se_xt);
CREATE TABLE se_up (id int PRIMARY KEY, s se_bt, n se_nt, v int);
\o
\endif
-- row constructors assigned to struct columns, field by field
INSERT INTO se_t VALUES
    (2, ROW(1, 100, 'web', '2020-01-01 00:00:00'), ROW(5, ROW(2, 3, 'x y', NULL))),
    (1, NULL, NULL),
    (2, ROW(NULL, NULL, NULL, NULL), ROW(NULL, NULL)),
    (2, (7, 700, 'app', '2021-01-01'), NULL),
    (0, NULL, (1, NULL)),
    (2, ROW(8, 800, 'app', '2021-01-01 12:00:00'), (3, (8, 800, 'app', NULL)));
INSERT INTO se_t (n) VALUES (ROW(1, ROW(1, 2, 'a', '2020-01-01')));
INSERT INTO se_u VALUES (1, ROW(1.0, 'a')), (2, ROW(1.00, 'a')), (3, ROW(2, NULL)), (4, NULL),
    (5, ROW(NULL, NULL)), (6, ROW(1, 'b'));
-- field selection: columns, nested, qualified, in every clause
SELECT (bid).auction, (bid).price, (n).b, ((n).b).channel, (n).b.channel
FROM se_t ORDER BY event_type, (bid).auction, (n).a;
SELECT (se_t.bid).price AS p FROM se_t WHERE event_type = 2 ORDER BY 1;
SELECT (t.bid).channel FROM se_t t WHERE event_type = 2 ORDER BY 1;
SELECT (bid).channel, count(*), sum((bid).price) FROM se_t GROUP BY (bid).channel ORDER BY 1;
SELECT (bid).channel FROM se_t WHERE (bid).price > 150 ORDER BY (bid).dt;
SELECT a.event_type, (b.bid).price FROM se_t a JOIN se_t b ON (a.bid).auction = (b.bid).auction
ORDER BY 1, 2;
SELECT (bid).dt + interval '1 day' AS next, upper((bid).channel) FROM se_t
WHERE (bid).dt IS NOT NULL ORDER BY 1;
SELECT CASE WHEN event_type = 0 THEN (n).a WHEN event_type = 2 THEN (bid).auction END AS k
FROM se_t ORDER BY 1;
-- (x).* expands to one column per field
SELECT (bid).* FROM se_t WHERE event_type = 2 ORDER BY 1;
SELECT event_type, (n).b.* FROM se_t WHERE (n).b IS NOT NULL ORDER BY 1, 2;
SELECT (ROW(1, 'a'::text, NULL::int)).*;
SELECT (p).* FROM se_u ORDER BY k;
-- a NULL struct, a struct of NULLs
SELECT event_type, bid IS NULL, bid IS NOT NULL, n IS NULL, n IS NOT NULL, (bid).price IS NULL
FROM se_t ORDER BY 1, 2, 4;
SELECT ROW(ROW(NULL)) IS NULL, ROW(NULL, ROW(NULL)) IS NULL, ROW(NULL, 1) IS NOT NULL,
    ROW(NULL, NULL) IS NULL, ROW(1, 2) IS NOT NULL, (1, 'a') IS NULL;
-- ROW values and their output
SELECT ROW(1, 'a'), (1, 'a', NULL), ROW(), ROW(ROW(1, 'x'), 2);
SELECT ROW(1, 'a b', '', 'q"x', NULL, 2.5, true, 'a\b', '(x)');
SELECT (ROW(1, 2)).f1, (ROW(1, 2)).f2 + 1 AS x;
SELECT bid, n FROM se_t ORDER BY event_type, bid, n;
-- comparisons of two row constructors: field-wise, with SQL's NULL rules
SELECT ROW(1, NULL) = ROW(1, NULL), ROW(1, 2) < ROW(1, 3), ROW(1, NULL) < ROW(2, NULL),
    ROW(1, 2) IS DISTINCT FROM ROW(1, NULL), ROW(1, NULL) IS NOT DISTINCT FROM ROW(1, NULL);
SELECT ROW(1, 2) <= ROW(1, 2), ROW(1, 3) > ROW(1, 2), ROW(NULL, 3) > ROW(1, 2),
    ROW(2, NULL) > ROW(1, 2), ROW(1, NULL) >= ROW(1, 2), ROW(1, 2) <> ROW(1, 3),
    ROW(1, NULL) <> ROW(2, NULL), ROW('a', 1) = ROW('a', 1);
-- comparisons of struct values: record_eq / record_cmp (NULL fields equal, and last)
SELECT k, p = p, p <> p, p IS DISTINCT FROM p FROM se_u ORDER BY k;
SELECT a.k, b.k, a.p = b.p, a.p < b.p, a.p >= b.p FROM se_u a, se_u b
WHERE a.k < b.k ORDER BY 1, 2;
SELECT n = (SELECT n FROM se_t WHERE event_type = 0) FROM se_t ORDER BY event_type, n;
-- GROUP BY, DISTINCT and ORDER BY a struct; numeric fields compare by value (1.0 = 1.00)
SELECT p, count(*) FROM se_u GROUP BY p ORDER BY p;
SELECT DISTINCT n FROM se_t ORDER BY n DESC;
SELECT bid, count(*) FROM se_t GROUP BY bid ORDER BY bid;
-- a join on whole structs
SELECT a.k, b.k FROM se_u a JOIN se_u b ON a.p = b.p ORDER BY 1, 2;
-- materialized views maintained as rows arrive
CREATE MATERIALIZED VIEW se_mv AS SELECT (bid).price AS price, (bid).channel
FROM se_t WHERE event_type = 2;
CREATE MATERIALIZED VIEW se_mv2 AS SELECT (bid).channel, count(*) AS c, sum((bid).price) AS s
FROM se_t GROUP BY (bid).channel;
CREATE MATERIALIZED VIEW se_mv3 AS SELECT p, count(*) AS c FROM se_u GROUP BY p;
SELECT * FROM se_mv ORDER BY 1, 2;
INSERT INTO se_t VALUES (2, ROW(9, 900, 'web', '2022-01-01'), NULL), (1, NULL, NULL);
INSERT INTO se_u VALUES (7, ROW(2.000, NULL)), (8, ROW(3, 'c'));
REFRESH MATERIALIZED VIEW se_mv;
REFRESH MATERIALIZED VIEW se_mv2;
REFRESH MATERIALIZED VIEW se_mv3;
SELECT * FROM se_mv ORDER BY 1, 2;
SELECT * FROM se_mv2 ORDER BY 1;
SELECT * FROM se_mv3 ORDER BY p;
-- struct expressions in grouping, windows, DISTINCT ON, set operations, subqueries
INSERT INTO se_x VALUES (1, ROW(1, 10, 'a')), (2, ROW(1, 10, 'a')), (3, ROW(2, 20, 'b')),
    (4, NULL), (5, ROW(3, NULL, 'b'));
SELECT (bid).price, count(*) FROM se_x GROUP BY bid ORDER BY 1;
SELECT (bid).channel, sum((bid).price) FROM se_x GROUP BY (bid).channel
HAVING sum((bid).price) > 15 ORDER BY 1;
SELECT k, rank() OVER (PARTITION BY (bid).channel ORDER BY (bid).price) FROM se_x ORDER BY k;
SELECT DISTINCT ON ((bid).channel) (bid).channel, k FROM se_x ORDER BY (bid).channel, k;
SELECT k FROM se_x WHERE bid IN (SELECT bid FROM se_x WHERE k = 1) ORDER BY k;
SELECT k FROM se_x WHERE ((bid).auction, (bid).channel) IN ((1, 'a'), (3, 'b')) ORDER BY k;
SELECT k, ((bid).auction, (bid).price) NOT IN ((1, 10), (3, 30)) FROM se_x ORDER BY k;
SELECT k, COALESCE((bid).price, -1), NULLIF((bid).auction, 1) FROM se_x ORDER BY k;
SELECT k, bid IS DISTINCT FROM NULL, bid = NULL FROM se_x ORDER BY k;
SELECT a.k, b.k FROM se_x a LEFT JOIN se_x b ON (a.bid).auction = (b.bid).auction AND a.k < b.k
ORDER BY 1, 2;
SELECT (bid).channel FROM se_x UNION SELECT (bid).channel FROM se_x ORDER BY 1;
SELECT bid FROM se_x UNION SELECT bid FROM se_x ORDER BY 1;
SELECT * FROM (SELECT (bid).* FROM se_x) s WHERE price > 5 ORDER BY 1;
SELECT k FROM se_x WHERE EXISTS (SELECT 1 FROM se_x y
    WHERE (y.bid).auction = (se_x.bid).auction AND y.k <> se_x.k) ORDER BY 1;
WITH c AS (SELECT bid FROM se_x WHERE k < 3) SELECT (bid).auction FROM c;
-- UPDATE ... SET s.f = v: one field replaced (a NULL struct gets the other fields NULL)
INSERT INTO se_up VALUES (1, ROW(1, 2, 'a', '2020-01-01'), ROW(1, ROW(1, 2, 'b', NULL)), 0),
    (2, NULL, NULL, 0);
UPDATE se_up SET s.price = 50, s.channel = 'zz' WHERE id = 1;
SELECT * FROM se_up ORDER BY id;
UPDATE se_up SET s.price = (s).price + 1, n.b.channel = upper((n).b.channel), n.a = 7;
SELECT * FROM se_up ORDER BY id;
UPDATE se_up SET s.price = 1, s.price = 2, v = 9 WHERE id = 2 RETURNING *;
UPDATE se_up SET n.b.dt = '2021-01-01', n.b = NULL;
SELECT id, s, n, (n).b IS NULL FROM se_up ORDER BY id;
UPDATE se_up SET v.x = 1;
UPDATE se_up SET s = NULL, s.price = 1;
UPDATE se_up SET s.price = 1, s = NULL;
UPDATE se_up SET s.price = 'x';
UPDATE se_up SET s.price = DEFAULT;
UPDATE se_up SET s.price = true;
-- errors that do not name the struct type
SELECT (ROW(1, 2)).zz;
SELECT (event_type).x FROM se_t;
SELECT (1).x;
SELECT ('(1,2)').x;
SELECT 1 + (bid).* FROM se_t;
SELECT (ROW(1))[1];
SELECT (bid).auction[1] FROM se_t;
SELECT (event_type).* FROM se_t;
SELECT ROW(1, 2) = ROW(1, 2, 3);
SELECT ROW() = ROW();
SELECT ROW(1, 2) ~~ ROW(1, 2);
SELECT ROW(1, 2) = ROW('a', 2);
SELECT ROW(1, 2) = ROW(true, 2);
SELECT bid = ROW(1, 100, 'web', '2020-01-01') FROM se_t;
SELECT p = ROW(1) FROM se_u;
INSERT INTO se_t VALUES (2, ROW(1, 2, 3, 'x'));
INSERT INTO se_t VALUES (2, ROW('a', 2, 3, '2020-01-01'));
DROP MATERIALIZED VIEW se_mv3;
DROP MATERIALIZED VIEW se_mv2;
DROP MATERIALIZED VIEW se_mv;
DROP TABLE se_u;
DROP TABLE se_x;
DROP TABLE se_up;
DROP TABLE se_t;
\if :is_rivulet
\else
\o /dev/null
DROP TYPE se_nt;
DROP TYPE se_bt;
DROP TYPE se_pt;
DROP TYPE se_xt;
\o
\endif
