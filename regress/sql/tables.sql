--
-- Tables end to end: CREATE TABLE, INSERT (VALUES, SELECT, DEFAULT),
-- SELECT from tables through the dataflow runtime, DROP TABLE, and the
-- errors of each, as PostgreSQL words them.
--
CREATE TABLE tbl_a (a int NOT NULL, b text DEFAULT 'x', c numeric(10,2));
CREATE TABLE tbl_a (x int);
CREATE TABLE IF NOT EXISTS tbl_a (x int);
INSERT INTO tbl_a VALUES (1, 'one', 1.234), (2, DEFAULT, 3);
INSERT INTO tbl_a (a) VALUES (3);
INSERT INTO tbl_a (c, a) VALUES (4.5, 4);
INSERT INTO tbl_a (a, b) SELECT x, 'gen' || x FROM generate_series(5, 7) x;
INSERT INTO tbl_a (a, b) VALUES (8, NULL);
SELECT * FROM tbl_a;
SELECT a, b FROM tbl_a WHERE c IS NULL ORDER BY a DESC LIMIT 3;
SELECT b IS NULL AS nob, count(*), sum(a), max(c) FROM tbl_a GROUP BY 1 ORDER BY 1;
SELECT t.a, u.a FROM tbl_a t JOIN tbl_a u ON u.a = t.a + 1 WHERE t.a < 4 ORDER BY 1;
SELECT x.a AS y FROM tbl_a AS x WHERE x.a = 2;
SELECT * FROM tbl_a ORDER BY a OFFSET 6;
-- assignment casts: int from bigint and numeric, text from int, typmods applied
CREATE TABLE tbl_cast (i int, s smallint, v varchar(3), n numeric(4,1), t text, f float8, d date);
INSERT INTO tbl_cast VALUES (10::bigint, 2.6, 'abc', 12.34, 42, 1, '2024-02-29');
INSERT INTO tbl_cast (i, v) VALUES (NULL, 'ab  ');
INSERT INTO tbl_cast (t) SELECT 'from select';
SELECT * FROM tbl_cast;
-- errors
INSERT INTO tbl_a VALUES (NULL, 'q', 2);
INSERT INTO tbl_a (b) VALUES ('no a');
INSERT INTO tbl_a VALUES (1, 2, 3, 4);
INSERT INTO tbl_a (a, b) VALUES (1);
INSERT INTO tbl_a (a, zz) VALUES (5, 1);
INSERT INTO tbl_a (a, a) VALUES (5, 1);
INSERT INTO tbl_a VALUES ('xx');
INSERT INTO tbl_a VALUES (3000000000);
INSERT INTO tbl_a VALUES (1, 'a', 123456789012);
INSERT INTO tbl_a VALUES (1, 1, 'x'::text);
INSERT INTO tbl_a SELECT 1, 2, 3, 4;
INSERT INTO tbl_cast (v) VALUES ('abcd');
INSERT INTO tbl_cast (s) VALUES (40000);
INSERT INTO tbl_cast (d) VALUES ('2023-02-29');
INSERT INTO tbl_missing VALUES (1);
SELECT * FROM tbl_missing;
SELECT * FROM public.tbl_missing;
SELECT nope FROM tbl_a;
SELECT * FROM tbl_a, tbl_a;
CREATE TABLE tbl_dup (a int, a text);
CREATE TABLE nosuchschema.tbl_x (a int);
CREATE TABLE tbl_bad_default (a int DEFAULT 'abc');
CREATE TABLE tbl_bad_default (a int DEFAULT b);
CREATE TABLE tbl_bad_type (a nosuchtype);
-- nothing of a failed INSERT is visible
SELECT count(*) FROM tbl_a;
-- qualified names and defaults of every kind
CREATE TABLE public.tbl_def (id int, note text DEFAULT 'n/' || 'a', k bigint DEFAULT 2 * 21, on_ boolean DEFAULT true NOT NULL);
INSERT INTO public.tbl_def (id) VALUES (1), (2);
INSERT INTO tbl_def DEFAULT VALUES;
INSERT INTO tbl_def VALUES (4, DEFAULT, DEFAULT, false);
SELECT * FROM tbl_def;
-- empty tables
CREATE TABLE tbl_empty (a int);
SELECT * FROM tbl_empty;
SELECT count(*), max(a) FROM tbl_empty;
INSERT INTO tbl_empty SELECT a FROM tbl_empty;
-- DROP
DROP TABLE tbl_missing;
DROP TABLE IF EXISTS tbl_missing, tbl_empty;
SELECT * FROM tbl_empty;
DROP TABLE tbl_a, tbl_missing;
SELECT count(*) FROM tbl_a;
DROP TABLE tbl_a, tbl_cast, tbl_def CASCADE;
DROP TABLE IF EXISTS tbl_a;
CREATE TABLE tbl_a (z text);
SELECT * FROM tbl_a;
DROP TABLE tbl_a RESTRICT;
-- every stored type round-trips through the log
CREATE TABLE tbl_types (b bool, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8, n numeric, n2 numeric(5,3), t text, v varchar(5), c char(3), by bytea, d date, tm time, ts timestamp, tz timestamptz, iv interval, o oid, ts3 timestamp(0));
INSERT INTO tbl_types VALUES (true, 1, 2, 3, 1.5, 2.25, 123.456, 1.23456, 'text', 'vc', 'c', '\xdeadbeef', '2024-01-02', '12:34:56', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05+02', '1 day 2 hours', 42, '2024-01-02 03:04:05.6');
INSERT INTO tbl_types DEFAULT VALUES;
INSERT INTO tbl_types (t, c, v) VALUES ('ünïcødé ✓', 'ab', 'abc  ');
SELECT * FROM tbl_types;
SELECT count(*), count(b), min(d), max(ts), sum(n) FROM tbl_types;
DROP TABLE tbl_types;
-- INSERT ... SELECT keeps the query's order (it is the log order a later scan returns)
CREATE TABLE tbl_ord (a int, b text);
INSERT INTO tbl_ord SELECT g, 'v' || g FROM generate_series(1, 10) g ORDER BY g DESC LIMIT 4;
INSERT INTO tbl_ord (b, a) SELECT b, a * 10 FROM tbl_ord WHERE a > 8 ORDER BY a;
INSERT INTO tbl_ord SELECT * FROM (VALUES (100, 'x')) v ORDER BY 1;
INSERT INTO tbl_ord VALUES (1, 'a') ORDER BY 1;
SELECT * FROM tbl_ord;
DROP TABLE tbl_ord;
-- defaults: expressions, casts, NULL, constraint order, and their errors
CREATE TABLE tbl_q (a int DEFAULT 5 NOT NULL, b int DEFAULT (1+2) NULL, c text DEFAULT 'x' || 'y', d numeric(5,2) DEFAULT -1.005, e text DEFAULT upper('abc'), f int DEFAULT NULL, g varchar(2) DEFAULT 'ab'::text, h int CONSTRAINT nn NOT NULL DEFAULT 7, i date DEFAULT '2020-01-01'::date + 1);
INSERT INTO tbl_q DEFAULT VALUES;
INSERT INTO tbl_q (f) VALUES (DEFAULT), (9);
SELECT * FROM tbl_q;
DROP TABLE tbl_q;
CREATE TABLE tbl_q2 (g varchar(2) DEFAULT 'abc');
CREATE TABLE tbl_q3 (g int DEFAULT 'x'::text);
CREATE TABLE tbl_q4 (a int DEFAULT 1 DEFAULT 2);
DROP TABLE tbl_q2;
-- odd INSERT shapes: VALUES lengths, DEFAULT positions, untyped literals from SELECT
CREATE TABLE tbl_odd (a int, b text);
INSERT INTO tbl_odd (a) VALUES (1), (2, 3);
INSERT INTO tbl_odd VALUES (1), (2, 'x', 3);
INSERT INTO tbl_odd VALUES (DEFAULT, DEFAULT, DEFAULT);
INSERT INTO tbl_odd (b) SELECT 1, 2;
INSERT INTO tbl_odd (a) SELECT;
INSERT INTO tbl_odd SELECT;
INSERT INTO tbl_odd (a) VALUES ($1);
INSERT INTO tbl_odd (tbl_odd.a) VALUES (1);
INSERT INTO tbl_odd AS o (a) VALUES (1);
INSERT INTO tbl_odd VALUES (1, 'a'), (NULL, NULL), ('3', 4.5);
INSERT INTO tbl_odd (a) VALUES (1.5), (2.5::float8), ('7');
INSERT INTO tbl_odd (a) SELECT 'x';
INSERT INTO tbl_odd SELECT '5', NULL;
INSERT INTO tbl_odd SELECT NULL, 6 FROM generate_series(1, 2);
SELECT * FROM tbl_odd;
DROP TABLE tbl_odd;
-- RETURNING
CREATE TABLE tbl_ret (a int, b text DEFAULT 'dflt', c numeric(5,1));
INSERT INTO tbl_ret VALUES (1, 'x', 1.25) RETURNING *;
INSERT INTO tbl_ret (a) VALUES (2), (3) RETURNING a, b, a * 10 AS ten, c IS NULL;
INSERT INTO tbl_ret AS r (a) VALUES (4) RETURNING r.a + 1;
INSERT INTO tbl_ret (a) SELECT g FROM generate_series(5, 6) g RETURNING tbl_ret.*, 'lit';
INSERT INTO tbl_ret (a) VALUES (7) RETURNING count(*);
INSERT INTO tbl_ret (a) VALUES (8) RETURNING nope;
INSERT INTO tbl_ret (a) SELECT 1 WHERE false RETURNING a;
SELECT count(*) FROM tbl_ret;
DROP TABLE tbl_ret;
