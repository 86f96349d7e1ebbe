--
-- Comparisons, three-valued boolean logic, IS tests, CASE, COALESCE, NULLIF.
--
SELECT 1 < 2 AS lt, 2 < 1 AS lt2, 1 <= 1 AS le, 1 = 1 AS eq, 1 <> 2 AS ne, 1 != 1 AS ne2,
       2 > 1 AS gt, 2 >= 3 AS ge;
SELECT -1 < 0 AS neg, 2147483647 > -2147483648 AS extremes,
       9223372036854775807 > 9223372036854775806 AS int8_cmp;
-- comparisons across widths
SELECT 1::int2 = 1::int8 AS a, 2::int8 > 1::int4 AS b, 32767::int2 < 32768 AS c,
       3::int4 <= 3::int2 AS d, 5::int8 <> 5::int2 AS e, 2147483648 > 2147483647 AS f;
-- booleans compare too: false < true
SELECT true = true AS a, true > false AS b, false >= true AS c, true <> false AS d;
-- comparisons with NULL are NULL
SELECT NULL = NULL AS a, 1 = NULL AS b, NULL < 1 AS c, NULL::int <> 1 AS d;
-- AND, OR, NOT: the three-valued truth tables
SELECT true AND true AS tt, true AND false AS tf, false AND false AS ff,
       true AND NULL AS tn, false AND NULL AS fn, NULL AND NULL AS nn;
SELECT true OR true AS tt, true OR false AS tf, false OR false AS ff,
       true OR NULL AS tn, false OR NULL AS fn, NULL OR NULL AS nn;
SELECT NOT true AS nt, NOT false AS nf, NOT NULL::boolean AS nn;
SELECT NOT true AND false AS not_binds_tighter, NOT (true AND false) AS parenthesized;
SELECT true OR false AND false AS and_binds_tighter, (true OR false) AND false AS parens;
SELECT 1 < 2 AND 2 < 3 AS chain, 1 > 2 OR 2 > 1 AS either;
-- IS [NOT] NULL
SELECT NULL IS NULL AS a, 1 IS NULL AS b, 1 IS NOT NULL AS c, NULL IS NOT NULL AS d,
       'x' IS NULL AS e, NULL::text IS NULL AS f, 1 ISNULL AS g, 1 NOTNULL AS h;
-- IS [NOT] TRUE / FALSE / UNKNOWN never return NULL
SELECT true IS TRUE AS a, false IS TRUE AS b, NULL::boolean IS TRUE AS c,
       true IS NOT TRUE AS d, NULL::boolean IS NOT TRUE AS e;
SELECT false IS FALSE AS a, true IS FALSE AS b, NULL::boolean IS FALSE AS c,
       false IS NOT FALSE AS d, NULL::boolean IS NOT FALSE AS e;
SELECT NULL::boolean IS UNKNOWN AS a, true IS UNKNOWN AS b, NULL IS NOT UNKNOWN AS c,
       false IS NOT UNKNOWN AS d, (1 = NULL) IS UNKNOWN AS e;
SELECT 1 IS TRUE;
\echo :SQLSTATE
-- IS [NOT] DISTINCT FROM treats NULL as a value
SELECT 1 IS DISTINCT FROM 2 AS a, 1 IS DISTINCT FROM 1 AS b, 1 IS DISTINCT FROM NULL AS c,
       NULL IS DISTINCT FROM NULL AS d, NULL::int IS DISTINCT FROM 1 AS e;
SELECT 1 IS NOT DISTINCT FROM 1 AS a, 1 IS NOT DISTINCT FROM NULL AS b,
       NULL IS NOT DISTINCT FROM NULL AS c, 'a' IS NOT DISTINCT FROM 'a' AS d,
       1::int2 IS DISTINCT FROM 1::int8 AS e, true IS NOT DISTINCT FROM NULL AS f;
-- CASE
SELECT CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' ELSE 'c' END AS searched;
SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END AS simple;
SELECT CASE WHEN false THEN 1 END AS no_else;
SELECT CASE NULL::int WHEN NULL THEN 'null matched' ELSE 'null never equals' END AS null_case;
SELECT CASE WHEN NULL THEN 'null is not true' ELSE 'else' END AS null_cond;
SELECT CASE WHEN true THEN 1 ELSE 2::int8 END AS widened, CASE WHEN false THEN 1::int2 ELSE 2 END AS w2;
SELECT CASE WHEN false THEN 1 / 0 ELSE 1 END AS untaken_arm,
       CASE WHEN true THEN 2 ELSE 1 / 0 END AS untaken_else;
SELECT CASE 1 + 1 WHEN 2 THEN CASE WHEN true THEN 'nested' END END AS nested;
SELECT CASE WHEN 1 = 1 THEN true ELSE NULL END AS bool_result;
SELECT CASE WHEN true THEN 1 ELSE 'x' END;
SELECT CASE WHEN true THEN 1 ELSE false END;
-- COALESCE
SELECT COALESCE(NULL, 2, 3) AS a, COALESCE(1, 2) AS b, COALESCE(NULL::int, NULL) AS c,
       COALESCE(NULL, NULL, 'z') AS d, COALESCE(NULL::boolean, false) AS e;
SELECT COALESCE(1::int2, 2::int8) AS widened, COALESCE(NULL::int2, 70000) AS w2;
SELECT COALESCE(1, 1 / 0) AS stops_at_first_non_null;
SELECT COALESCE(1, 'x');
SELECT COALESCE(1, true);
-- NULLIF
SELECT NULLIF(1, 1) AS a, NULLIF(1, 2) AS b, NULLIF(NULL::int, 1) AS c, NULLIF(1, NULL) AS d,
       NULLIF('a', 'b') AS e, NULLIF('a', 'a') AS f, NULLIF(true, false) AS g;
SELECT NULLIF(1::int8, 1::int2) AS mixed;
SELECT NULLIF(1, 'x');
