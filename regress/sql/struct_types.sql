--
-- struct_types: STRUCT<...> columns stored, read, copied and viewed — text formats proven
-- against PostgreSQL 15 with composite types of the same fields. Only the DDL differs:
-- Rivulet declares STRUCT<...> columns, PostgreSQL named composite types (CREATE TYPE);
-- every statement after it is the same text on both. Rivulet-only behaviour (DESCRIBE,
-- casts to STRUCT<...>, DDL errors) is in struct_types_rw.
--
SELECT version() LIKE '%Rivulet%' AS is_rivulet \gset
\if :is_rivulet
\o /dev/null
CREATE TABLE sty_t (id int,
    s STRUCT<a INT, "B q" VARCHAR, c STRUCT<x DOUBLE PRECISION, y NUMERIC(10,2)>>,
    ts STRUCT<t TIMESTAMP WITH TIME ZONE, d date, i interval, b boolean>);
\o
\else
\o /dev/null
CREATE TYPE sty_c AS (x double precision, y numeric(10,2));
CREATE TYPE sty_s AS (a int, "B q" varchar, c sty_c);
CREATE TYPE sty_ts AS (t timestamptz, d date, i interval, b boolean);
CREATE TABLE sty_t (id int, s sty_s, ts sty_ts);
\o
\endif
SET TimeZone = 'UTC';
-- literals: quoting, NULL fields, empty strings, nested structs, whitespace
INSERT INTO sty_t VALUES
    (1, '(1,abc,"(1.5,2)")', '(2024-01-01 10:00:00+00,2024-02-03,1 day,t)'),
    (2, NULL, NULL),
    (3, '(,"",)', '(,,,)'),
    (4, '( 5 , "a ""q\\", "(,3.456)")', ' ("2020-02-29 23:59:59.5+02",,"-1 mons 2 hours",false) '),
    (5, '(6,"x,y (z)",)', '(infinity,-infinity,,f)'),
    (6, '(7,"tab	in",)', NULL),
    (7, '(8,"é ü",)', NULL);
SELECT * FROM sty_t ORDER BY id;
SELECT id, s IS NULL AS s_null, ts IS NULL AS ts_null FROM sty_t ORDER BY id;
SELECT s::text, length(s::text) FROM sty_t WHERE id = 4;
-- COPY in both formats, out and back in
COPY sty_t FROM STDIN;
8	(9,"copy ""in""",)	\N
9	\N	(,2001-01-01,,t)
10	(10,\\\\,"(1,2)")	\N
\.
COPY sty_t (id, s) FROM STDIN (FORMAT csv);
11,"(11,""a,b"",)"
12,
\.
COPY (SELECT * FROM sty_t ORDER BY id) TO STDOUT;
COPY (SELECT * FROM sty_t ORDER BY id) TO STDOUT (FORMAT csv);
-- errors in literals: PostgreSQL's messages and details
INSERT INTO sty_t VALUES (20, '(1,2', NULL);
INSERT INTO sty_t VALUES (20, '(1,2,"(1,2)",4)', NULL);
INSERT INTO sty_t VALUES (20, '1,2,3', NULL);
INSERT INTO sty_t VALUES (20, '(1,2,) x', NULL);
INSERT INTO sty_t VALUES (20, '(x,2,)', NULL);
INSERT INTO sty_t VALUES (20, '(1,2,"(a,1)")', NULL);
INSERT INTO sty_t VALUES (20, '(1,2,"(1,123456789012)")', NULL);
COPY sty_t FROM STDIN;
21	(1,2	\N
\.
-- a materialized view of struct columns (compared right after creation: PostgreSQL's is a
-- snapshot)
CREATE MATERIALIZED VIEW sty_mv AS SELECT id, s, ts FROM sty_t WHERE id < 10;
SELECT * FROM sty_mv ORDER BY id;
DROP MATERIALIZED VIEW sty_mv;
DROP TABLE sty_t;
\if :is_rivulet
\else
\o /dev/null
DROP TYPE sty_s;
DROP TYPE sty_c;
DROP TYPE sty_ts;
\o
\endif
