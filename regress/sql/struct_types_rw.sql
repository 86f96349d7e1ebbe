--
-- struct_types_rw: Rivulet-only behaviour of STRUCT<...> types (sql/types_struct.h,
-- sql/bind_struct.c) — how DESCRIBE spells them, casts to STRUCT<...>, and the errors of the
-- STRUCT<...> syntax. SQLSTATEs and positions follow PostgreSQL's for the same mistakes in
-- CREATE TYPE ... AS (...) / column definitions; expected output written by hand.
--
CREATE TABLE str_t (id int,
    p STRUCT<id BIGINT, name VARCHAR, "Mixed ""Q""" TEXT, d DOUBLE PRECISION>,
    n struct<a int, b STRUCT<x NUMERIC(10,2), t TIMESTAMP(3) WITH TIME ZONE, c CHAR(2)>>,
    k STRUCT<"select" int>);
DESCRIBE str_t;
INSERT INTO str_t VALUES (1, '(1,"a b","q""x",1.5)', '(2,"(1.005,2024-01-01 00:00:00.12345+00,a)")', '(3)');
SELECT * FROM str_t;
-- the same STRUCT written another way is the same type
CREATE TABLE str_u (q struct<id int8, name character varying, "Mixed ""Q""" text, d float8>);
INSERT INTO str_u SELECT p FROM str_t;
SELECT * FROM str_u;
DESCRIBE str_u;
-- casts: a string literal read as the struct; NULL; the result column is named "struct"
SELECT '(1,"x y")'::STRUCT<a INT, b VARCHAR>, CAST('(,)' AS STRUCT<a INT, b VARCHAR>) AS c;
SELECT NULL::STRUCT<a INT> IS NULL AS is_null;
SELECT CAST('(1, "(2.5,)")' AS STRUCT<a INT, b STRUCT<c DOUBLE PRECISION, d TEXT>>) AS v;
-- text read as a struct (an I/O cast, as PostgreSQL's text::composite)
SELECT '(1,a)'::text::STRUCT<a INT, b TEXT> AS v, CAST(p::text AS STRUCT<a INT8, b TEXT, c TEXT, d FLOAT8>) AS w FROM str_t;
-- a struct value of one type is not another struct type
INSERT INTO str_u SELECT n FROM str_t;
-- errors of the STRUCT<...> syntax, at the offending token
CREATE TABLE str_e (s STRUCT<a nosuchtype>);
CREATE TABLE str_e (s STRUCT<a int, a text>);
CREATE TABLE str_e (s STRUCT<>);
CREATE TABLE str_e (s STRUCT<a int,>);
CREATE TABLE str_e (s STRUCT<a int);
CREATE TABLE str_e (s STRUCT<a varchar(0)>);
CREATE TABLE str_e (s STRUCT<a int[]>);
CREATE TABLE str_e (s STRUCT<a int FROM x>);
CREATE TABLE str_e (s STRUCT<a int>[]);
CREATE TABLE str_e (s STRUCT<a int,
    b text>, c int garbage);
SELECT '(1,2'::STRUCT<a INT, b INT>;
-- a column named struct compared with < is not a type
SELECT struct < 5 AS lt FROM (VALUES (1)) v(struct);
DROP TABLE str_t;
DROP TABLE str_u;
