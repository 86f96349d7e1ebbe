--
-- oid and regtype, pg_typeof() and format_type().
--
SELECT '4294967295'::oid, '-1'::oid, '-2147483648'::oid, ' 12 '::oid, '+7'::oid;
SELECT '4294967296'::oid;
SELECT '-2147483649'::oid;
SELECT 'x'::oid;
SELECT ''::oid;
SELECT 1::oid < 2::oid, 4294967295::oid > 1::oid, 5::oid = 5, 5::int8::oid, (-1)::oid,
       5::oid::int4, 5::oid::int8, (-1)::oid::int4;
SELECT (-1)::int8::oid;
SELECT 4294967296::int8::oid;
-- regtype input: SQL spellings, typnames, qualification, modifiers, numbers
SELECT 'integer'::regtype, 'int'::regtype, 'character varying(10)'::regtype,
       'timestamp with time zone'::regtype, 'pg_catalog.int4'::regtype, '23'::regtype,
       '-'::regtype::oid, 0::regtype, 99999::regtype, '"int4"'::regtype, ' Int4 '::regtype,
       'double precision'::regtype, 'char'::regtype, 'float(3)'::regtype, 'decimal'::regtype;
SELECT 'timestamp(3)'::regtype, 'interval year to month'::regtype, 'varchar'::regtype,
       'national character varying'::regtype, 'char varying'::regtype, 'float(25)'::regtype,
       'dec'::regtype, 'boolean'::regtype, 'text'::regtype, 'name'::regtype,
       'bpchar'::regtype, '"any"'::regtype, 'oid'::regtype, 'regtype'::regtype;
SELECT 'foo'::regtype;
SELECT 'Foo'::regtype;
SELECT '"Int4"'::regtype;
SELECT 'int4 x'::regtype;
SELECT 'int4(3'::regtype;
SELECT 'public.int4'::regtype;
SELECT 'pg_catalog.foo'::regtype;
SELECT 'nosuch.int4'::regtype;
SELECT ''::regtype;
SELECT (-5)::int4::regtype, '26'::regtype::text, 26::regtype::int8, pg_typeof(1) = 23;
-- modifiers are checked as the grammar and the types' typmodin functions do
SELECT 'numeric(5,-2)'::regtype, 'float(24)'::regtype, 'float(25)'::regtype,
       'character(5)'::regtype, 'nchar varying(3)'::regtype, 'time(2) without time zone'::regtype;
SELECT 'float(54)'::regtype;
SELECT 'float(0)'::regtype;
SELECT 'float(x)'::regtype;
SELECT 'int4(5)'::regtype;
SELECT '"int4"(3)'::regtype;
SELECT 'text(5)'::regtype;
SELECT 'int4(x)'::regtype;
SELECT 'numeric(0)'::regtype;
SELECT 'numeric(x)'::regtype;
SELECT 'numeric(5,2,3)'::regtype;
SELECT 'varchar(5,6)'::regtype;
SELECT 'character(5,6)'::regtype;
SELECT 'varchar(0)'::regtype;
SELECT 'char(0)'::regtype;
SELECT 'timestamp(3)(4)'::regtype;
SELECT 'integer(5)'::regtype;
SELECT 'int4()'::regtype;
SELECT 'double'::regtype;
SELECT 'a.b.c'::regtype;
SELECT 'timestamp with zone'::regtype;
-- pg_typeof
SELECT pg_typeof(1), pg_typeof('a'), pg_typeof(NULL), pg_typeof(1.5), pg_typeof(now()),
       pg_typeof('a'::varchar(3)), pg_typeof(pg_typeof(1)), pg_typeof(1)::text,
       pg_typeof(1)::oid, pg_typeof(1) = 'int4'::regtype;
SELECT pg_typeof(1::int2), pg_typeof(1::int8), pg_typeof(1.5::float4), pg_typeof(1.5::float8),
       pg_typeof('x'::text), pg_typeof('x'::char(2)), pg_typeof('x'::bytea), pg_typeof(true),
       pg_typeof(current_date), pg_typeof('1:00'::time), pg_typeof(now()::timestamp),
       pg_typeof('1 day'::interval), pg_typeof(current_user), pg_typeof(1::oid);
-- format_type
SELECT format_type(23, 5), format_type(1042, NULL), format_type(1042, -1), format_type(1042, 14),
       format_type(1043, NULL), format_type(1043, 14), format_type(99999, NULL),
       format_type(NULL, 1), format_type(0, NULL), format_type(1114, 7), format_type(1184, 7),
       format_type(1083, 7), format_type(1700, 655366), format_type(26, -1),
       format_type(2206, NULL), format_type(2276, NULL), format_type(705, NULL),
       format_type(19, -1), format_type(16, 3), format_type(1186, -1),
       format_type(1186, 2147418115);
SELECT format_type(1042, 3), format_type(1043, 3), format_type(1700, 3), format_type(1083, -5),
       format_type(17, 10), format_type(700, 10), format_type(1114, NULL), format_type(1114, -1);
SELECT format_type(pg_typeof(1.5), NULL), format_type(pg_typeof('a'::varchar), -1);
