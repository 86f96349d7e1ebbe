--
-- Text: concatenation with ||, comparisons (byte order in the C collation).
--
SELECT 'abc' || 'def' AS cat, 'a' || 'b' || 'c' AS cat3, '' || 'x' AS empty_left,
       'x' || '' AS empty_right;
SELECT 'abc' || NULL AS null_right, NULL || 'abc' AS null_left, NULL::text || NULL AS both;
-- a non-text operand is converted with its output function
SELECT 'a' || 1 AS text_int, 1 || 'a' AS int_text, 'x' || true AS text_bool,
       'n=' || 9223372036854775807 AS text_int8, 'b' || (-3)::int2 AS text_int2,
       'v' || NULL::int AS text_null_int;
SELECT 1 || 2;
SELECT 1::text || 2::text AS both_cast;
SELECT 'é' || 'ü' || '日本' AS multibyte;
-- comparisons
SELECT 'abc' = 'abc' AS eq, 'abc' = 'abd' AS neq, 'abc' < 'abd' AS lt, 'abc' < 'abcd' AS prefix,
       '' < 'a' AS empty, 'b' > 'abc' AS first_byte;
SELECT 'B' < 'a' AS upper_first, 'Z' < 'a' AS z_a, 'a ' > 'a' AS trailing_space,
       'é' > 'z' AS utf8_bytes, '10' < '9' AS digits_as_text;
SELECT 'abc'::text <> 'ABC' AS case_sensitive, 'x' <= 'x' AS le, 'y' >= 'x' AS ge,
       'a' IS DISTINCT FROM 'a' AS dist;
SELECT 'abc' = NULL AS null_cmp, NULL::text < 'a' AS null_lt;
SELECT ('a' || 'b') = 'ab' AS concat_eq, 'a' || 'b' = 'ab' AS precedence;
-- text and numbers do not compare without a cast
SELECT 'abc'::text = 1;
SELECT '1'::text = 1;
SELECT '1' = 1 AS unknown_literal_becomes_int;
SELECT 1::text = '1' AS cast_first;
