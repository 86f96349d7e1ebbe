--
-- SELECT over constants: one value of each supported type, NULL, column
-- names and aliases, zero-column results. No FROM clause yet.
--
SELECT 1;
SELECT 1 AS one;
SELECT 'hello';
SELECT 'hello' AS greeting, 42 AS answer;
SELECT true, false;
SELECT TRUE AS t, FALSE AS f;
SELECT NULL;
SELECT NULL AS nothing;
SELECT NULL::integer AS null_int, NULL::text AS null_text, NULL::boolean AS null_bool,
       NULL::smallint AS null_int2, NULL::bigint AS null_int8;
-- integer literals: int4, then int8 when they do not fit
SELECT 0, -1, 2147483647, -2147483648, 2147483648, -2147483649;
SELECT 9223372036854775807 AS max_int8, -9223372036854775808 AS min_int8;
SELECT 32767::smallint AS max_int2, (-32768)::smallint AS min_int2;
SELECT 007 AS leading_zeros, -0 AS minus_zero;
-- text literals
SELECT '' AS empty, ' ' AS space, 'it''s' AS quote, 'a\b' AS backslash;
SELECT E'a\\b' AS escaped, E'it\'s' AS escaped_quote, $$dollar 'quoted'$$ AS dollar;
SELECT $tag$with $$ inside$tag$ AS tagged, U&'d\0061t\+000061' AS unicode_escape;
SELECT 'héllo wörld' AS latin, '日本語' AS cjk, '🙂' AS emoji;
SELECT 'line1
line2' AS multiline;
SELECT 'con'
    'tinued' AS continued;
-- column names: ?column? for expressions, the function or type name otherwise
SELECT 1 + 1, 'a'::text, 1::int2, 1::int4, 1::int8, 1::integer, 1::bigint, 1::smallint,
       true::boolean, CAST(1 AS text);
SELECT current_user IS NOT NULL, -1, +1, NOT true;
SELECT CASE WHEN true THEN 1 END, COALESCE(1, 2), NULLIF(1, 2);
SELECT 1 AS "Mixed Case", 2 AS "with space", 3 AS """quoted""", 4 AS "ünïcödé";
SELECT 1 AS select, 2 AS from, 3 AS where;
SELECT 1 one, 2 two;
SELECT 1 AS a, 2 AS a;
SELECT 1 AS UPPERCASE, 2 AS "UPPERCASE";
-- zero columns, one row
SELECT;
-- psql variables from a result
SELECT 1 AS x, 'two' AS y \gset
\echo :x :y
SELECT :x + 1 AS x_plus_one, :'y' AS y_quoted;
-- comments and whitespace
SELECT /* block comment */ 1 -- line comment
    AS commented;
  SELECT
  1
  ;
select 1 as lower_case_keywords;
