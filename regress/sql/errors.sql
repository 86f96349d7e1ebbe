--
-- Errors as psql shows them: message, LINE and cursor for a position,
-- HINT; the session stays usable after each one.
--
-- syntax errors
SELEC 1;
\echo :SQLSTATE
SELECT 1 +;
SELECT 1 2;
SELECT 1);
SELECT 1 AS;
SELECT 1 AS "";
SELECT ,1;
SELECT 1 +
    2 *
    ;
SELECT 1,
       2 + ) AS broken,
       3;
-- the cursor counts characters, not bytes, and psql lines it up with the
-- display width of what comes before (two columns for each CJK character)
SELECT 'héllo wörld' AS größe, 1 + ;
SELECT '日本語' AS x, 1 + ;
SELECT '🙂🙂' ||| 'x';
SELECT 'ü' AS "ä", nosuchcol;
-- a long line is shown cut around the error
SELECT 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19 + 20 + 21 + 22 + 23 + 24 + 25 + 26 + 27 + 28 + 29 + 30 + 31 + 32 + ;
-- undefined column
SELECT nosuchcol;
\echo :SQLSTATE
SELECT "CamelCase";
SELECT 1 + nosuchcol * 2;
-- undefined function: 42883 with a hint
SELECT nosuchfunc(1);
\echo :SQLSTATE
SELECT nosuchfunc();
SELECT nosuchfunc('a', NULL, true);
SELECT current_setting();
-- undefined operator: 42883 with a hint
SELECT true + 1;
\echo :SQLSTATE
SELECT 'a'::text - 'b'::text;
SELECT -true;
SELECT 1 = true;
SELECT NOT 'x'::text;
-- operands of the wrong type
SELECT 1 = 'a';
SELECT CASE WHEN 1 THEN 2 END;
\echo :SQLSTATE
SELECT NOT 1;
SELECT 1 AND true;
SELECT true OR 'x'::text;
-- parameters do not exist in a simple query
SELECT $1;
\echo :SQLSTATE
-- runtime errors carry no position
SELECT 1 / 0;
-- an error, then a good statement
SELECT 1 / 0;
SELECT 'still alive' AS status;
SELECT nosuchcol;
SELECT 'still alive' AS status;
-- empty statements
;
;;
SELECT 'after empty statements' AS status;
