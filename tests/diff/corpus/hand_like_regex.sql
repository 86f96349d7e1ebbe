-- hand_like_regex.sql — LIKE escapes, ILIKE with unicode, regex errors and flags.
SELECT 'a_c' LIKE 'a\_c', 'abc' LIKE 'a\_c'
SELECT 'a%c' LIKE 'a!%c' ESCAPE '!'
SELECT 'abc' LIKE 'abc' ESCAPE ''
SELECT 'abc' LIKE 'a' ESCAPE 'xy'
SELECT 'abc' LIKE 'ab\'
SELECT 'ÉCOLE' ILIKE 'école', 'straße' ILIKE 'STRASSE'
SELECT 'abc' ~~ 'a%', 'abc' !~~ 'a%', 'ABC' ~~* 'a%', 'ABC' !~~* 'a%'
SELECT NULL LIKE 'a', 'a' LIKE NULL
SELECT '' LIKE '', '' LIKE '%', '' LIKE '_'
SELECT 'héllo' LIKE 'h_llo', '日本語' LIKE '__語'
SELECT 'abc' ~ '('
SELECT 'x' ~ 'a{2,1}'
SELECT 'abc' ~ '[[:alpha:]]+', 'a1' ~ '^\w\d$', 'a b' ~ '\s'
SELECT 'abcabc' ~ '(abc)\1'
SELECT 'ABC' ~* 'abc', 'ABC' !~* 'abc', 'ABC' !~ 'abc'
SELECT regexp_replace('foobarbaz', 'b(..)', 'X\1Y', 'g')
SELECT regexp_replace('AAA', 'a', 'b', 'gi')
SELECT regexp_replace('abc', 'b', '\\&')
SELECT regexp_replace('abc', 'x*', '-', 'g')
SELECT regexp_match('foobarbequebaz', '(bar)(beque)')
SELECT regexp_matches('foobarbequebazilbarfbonk', '(b[^b]+)(b[^b]+)', 'g')
SELECT regexp_split_to_table('the quick brown fox', '\s+')
SELECT regexp_count('ABCABCAXYaxy', 'A.'), regexp_instr('abcabc', 'c'), regexp_like('Hello', 'l+')
SELECT substring('foobar' from 'o.b'), substring('foobar' from '(o)(b)')
SELECT substring('foobar' similar 'f#"oo#"%' escape '#')
SELECT 'abc' SIMILAR TO 'a(b|c)c', 'abc' SIMILAR TO 'a', 'a|b' SIMILAR TO 'a|b'
SELECT 'abc' SIMILAR TO '%(b|d)%' ESCAPE '\'
SELECT regexp_replace('x', 'x', 'y', 'z')
SELECT 'a' ~ repeat('(', 5)
SELECT 'aaa' ~ '^a*?$', 'aaa' ~ '(?x) a a a'
SELECT 'a.b' LIKE 'a.b', 'axb' LIKE 'a.b', 'axb' ~ 'a.b'
