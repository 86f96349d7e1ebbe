--
-- struct_expr_errors: the errors of expressions over STRUCT values whose messages name the
-- struct type. PostgreSQL names a composite type by its name (CREATE TYPE bt ...); a Rivulet
-- STRUCT has no name, so its canonical text stands there. Everything else (SQLSTATE, detail,
-- position) was checked against PostgreSQL 15 with composite types of the same fields.
--
CREATE TABLE see_t (event_type bigint,
    bid STRUCT<auction bigint, price bigint, channel varchar, dt timestamp>);
INSERT INTO see_t VALUES (2, ROW(1, 100, 'web', '2020-01-01'));
-- unknown field (PostgreSQL: column "zz" not found in data type bt)
SELECT (bid).zz FROM see_t;
SELECT (bid).auction.zz FROM see_t;
-- subscripts (PostgreSQL: cannot subscript type bt ...)
SELECT (bid)[1] FROM see_t;
-- row constructors cast to a struct type, field by field
INSERT INTO see_t VALUES (2, ROW(1, 2));
INSERT INTO see_t VALUES (2, ROW(1, 2, 3, '2020-01-01', 5));
INSERT INTO see_t VALUES (2, ROW(1, 2, 3, 4, 5));
SELECT ROW(1, 2)::STRUCT<a int>;
SELECT ROW(1, 2, 3)::STRUCT<a int, b int>;
SELECT CAST(ROW(1) AS STRUCT<a int, b int>);
SELECT ROW(1, 'abc')::STRUCT<a int, b varchar(1)>, ROW(1, true)::STRUCT<a int, b int>;
SELECT (ROW(1, 2.5)::STRUCT<a int8, b numeric(3,2)>).b;
SELECT CAST(ROW(1, 2, 3.5, '2020-01-01') AS STRUCT<auction bigint, price bigint, channel varchar,
    dt timestamp>) = bid FROM see_t;
INSERT INTO see_t VALUES (3, ROW(4, 5, 'x', '2020-02-01'));
SELECT event_type, (bid).* FROM see_t ORDER BY 1;
-- field assignment (PostgreSQL: ... because there is no such column in data type bt)
CREATE TABLE see_pk (id int PRIMARY KEY, s STRUCT<a int, b text>);
UPDATE see_pk SET s.zz = 1;
DROP TABLE see_pk;
-- common types (PostgreSQL: CASE types record and bt cannot be matched ...)
CREATE TABLE see_u (a STRUCT<a int>, b STRUCT<b int>);
INSERT INTO see_u VALUES (ROW(1), ROW(2));
SELECT CASE WHEN true THEN a ELSE ROW(1) END FROM see_u;
SELECT CASE WHEN true THEN a ELSE b END FROM see_u;
SELECT COALESCE(a, b) FROM see_u;
SELECT COALESCE(a, NULL, a), CASE WHEN true THEN ROW(1) ELSE ROW(1, 'a') END FROM see_u;
DROP TABLE see_u;
DROP TABLE see_t;
