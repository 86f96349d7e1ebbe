--
-- Rivulet-only (RisingWave's DESCRIBE / SHOW COLUMNS, no PostgreSQL
-- counterpart): one row per column with Name, Type, Is Hidden and
-- Description, then the primary key and the table description rows.
--
CREATE TABLE dsc_plain (a int, b varchar(10), c numeric(10,2), d timestamp(3), e text NOT NULL DEFAULT 'x');
DESCRIBE dsc_plain;
SHOW COLUMNS FROM dsc_plain;
CREATE TABLE dsc_pk (k2 text, v double precision, k1 bigint, PRIMARY KEY (k1, k2));
DESCRIBE dsc_pk;
describe public.dsc_pk;
CREATE TABLE "Dsc Quoted" ("Mixed" int, plain boolean) APPEND ONLY;
DESCRIBE "Dsc Quoted";
SHOW COLUMNS FROM public."Dsc Quoted";
CREATE SOURCE dsc_src (id bigint, payload bytea, at timestamptz, span interval, day date);
DESCRIBE dsc_src;
-- errors: unknown relation (42P01 at the name), other schemas, bad syntax
DESCRIBE dsc_nosuch;
\echo :SQLSTATE
DESCRIBE nosuchschema.dsc_plain;
SHOW COLUMNS FROM dsc_nosuch;
\echo :SQLSTATE
DESCRIBE db.public.dsc_plain;
DESCRIBE;
DESCRIBE dsc_plain extra;
SHOW COLUMNS dsc_plain;
-- a dropped relation is gone; one created again under its name shows its new columns
DROP TABLE dsc_plain;
DESCRIBE dsc_plain;
CREATE TABLE dsc_plain (z smallint PRIMARY KEY);
DESCRIBE dsc_plain;
DROP TABLE dsc_plain;
-- DESCRIBE in a multi-statement string and inside a transaction block
SELECT 1 AS one \; DESCRIBE "Dsc Quoted" \; SELECT 2 AS two;
BEGIN;
DESCRIBE dsc_pk;
COMMIT;
DROP TABLE dsc_pk;
DROP TABLE "Dsc Quoted";
DROP SOURCE dsc_src;
