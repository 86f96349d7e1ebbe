--
-- Strings: varchar(n) / char(n) typmods, string functions, LIKE, regular
-- expressions, GREATEST/LEAST. Positions and lengths count characters.
--
-- type modifiers
SELECT 'abc'::varchar(2) AS vc, 'abc'::char(5) AS bp, 'ab'::char(1) AS bp1, 'a'::char AS char1,
       cast('x' AS character varying(3)) AS cast_vc, 'abcd'::varchar(3)::char(2) AS chained;
SELECT 'abc   '::varchar(4) || '|' AS spaces_cut, 'é'::char(3) || '|' AS padded_text,
       length('é'::char(3)) AS len, octet_length('ab'::char(5)) AS octets,
       'éé'::varchar(1) AS mb_cut;
SELECT 'a'::char(3) = 'a  '::char(2) AS pad_insensitive, 'a'::char(3) < 'b'::char(1) AS lt,
       'a '::char(3)::text || '|' AS to_text, 'a '::char(3)::varchar || '|' AS to_varchar;
SELECT 'abc'::varchar(0);
SELECT 'abc'::char(0);
SELECT 'abc'::varchar(10485761);
SELECT 'abc'::pg_catalog.varchar(1+1);
SELECT 'abc'::pg_catalog.varchar('2') AS string_typmod;
SELECT 'abc'::pg_catalog.varchar('a');
SELECT 'abc'::pg_catalog.varchar(1, 2);
SELECT 1::int4(3);
SELECT 'abc'::pg_catalog.bpchar AS unbounded, 'abc'::bpchar || '|' AS unpadded;
-- case, length
SELECT length('héllo') AS len, char_length('héllo') AS clen, octet_length('héllo') AS olen,
       bit_length('é') AS bits, upper('héllo') AS up, lower('HÉLLO') AS low,
       initcap('hello wORLD foo-bar 3ab') AS ic;
-- substrings and positions
SELECT substr('hello', 2) AS s1, substr('hello', 2, 2) AS s2, substr('hello', -1, 3) AS s3,
       substr('hello', 0) AS s4, substring('hello' from 2 for 3) AS s5,
       substring('hello' from 3) AS s6, substring('hello' for 2) AS s7, substr('héllo', 2, 1) AS s8;
SELECT substr('hello', 1, -1);
SELECT position('l' in 'hello') AS p1, strpos('hello', 'lo') AS p2, strpos('hello', '') AS p3,
       position('x' in 'hello') AS p4, strpos('héllo', 'l') AS p5, starts_with('hello', 'he') AS sw,
       'hello' ^@ 'lo' AS sw_op;
SELECT replace('hello world', 'o', '0') AS r1, replace('abc', '', 'x') AS r2,
       replace('aaa', 'a', 'bb') AS r3, translate('12345', '143', 'ax') AS t1,
       translate('héllo', 'é', 'e') AS t2;
SELECT overlay('Txxxxas' placing 'hom' from 2 for 4) AS o1, overlay('Txxxxas' placing 'hom' from 2) AS o2;
-- trimming and padding
SELECT trim('  x  ') || '|' AS t, ltrim('  x  ') || '|' AS lt, rtrim('  x  ') || '|' AS rt,
       btrim('xxhixx', 'x') AS bt, trim(both 'x' from 'xxhixx') AS tb,
       trim(leading 'x' from 'xxhixx') AS tl, trim(trailing 'x' from 'xxhixx') AS tt,
       ltrim('zzyhi', 'yz') AS set_trim;
SELECT lpad('hi', 5) AS l1, lpad('hi', 5, 'xy') AS l2, lpad('hello', 2) AS l3, rpad('hi', 5, 'é') AS r1,
       rpad('hi', 1) AS r2, lpad('hi', -1) AS l4, lpad('hi', 5, '') AS l5;
SELECT left('hello', 2) AS l1, left('hello', -2) AS l2, right('hello', 2) AS r1,
       right('hello', -2) AS r2, left('hé', 1) AS l3, right('hello', 10) AS r3, left('hello', -10) AS l4;
SELECT repeat('ab', 3) AS r1, repeat('ab', 0) AS r2, repeat('ab', -1) AS r3, reverse('héllo') AS rev;
SELECT repeat('ab', 1500000000);
-- concat, concat_ws, format
SELECT concat('a', 1, NULL, true, 2.5::float8) AS c1, concat_ws(',', 'a', NULL, 'b', 3) AS c2,
       concat_ws(NULL, 'a') AS c3, concat(1,2,3,4,5,6,7,8,9,10,11,12) AS many;
SELECT concat();
SELECT format('%s and %s', 'a', 'b') AS f1, format('%2$s %1$s', 'a', 'b') AS f2,
       format('%I', 'Foo') AS f3, format('%L', 'it''s') AS f4, format('%L', NULL) AS f5,
       format('%%') AS f6, format('%5s|%-5s|', 'a', 'b') AS f7, format('%s', NULL) AS f8,
       format(NULL) AS f9;
SELECT format('%s %s', 1);
SELECT format('%x', 1);
SELECT format('%s %', 1);
SELECT format('%I', NULL);
-- split_part
SELECT split_part('a,b,c', ',', 2) AS p2, split_part('a,b,c', ',', -1) AS m1,
       split_part('a,b,c', ',', 5) AS p5, split_part('a,b,c', ',', -4) AS m4,
       split_part('', ',', 1) AS empty, split_part('abc', '', 1) AS nodelim1,
       split_part('abc', '', 2) AS nodelim2;
SELECT split_part('a,b', ',', 0);
-- md5, hex, characters, quoting
SELECT md5('abc') AS m1, md5('') AS m2, md5('The quick brown fox jumps over the lazy dog') AS m3;
SELECT to_hex(255) AS h1, to_hex(-1) AS h2, to_hex(9223372036854775807) AS h3, to_hex(-1::bigint) AS h4;
SELECT chr(65) AS c1, chr(233) AS c2, chr(128512) AS c3, ascii('A') AS a1, ascii('é') AS a2, ascii('') AS a3;
SELECT chr(0);
SELECT chr(-1);
SELECT chr(55296);
SELECT quote_ident('foo') AS q1, quote_ident('Foo') AS q2, quote_ident('select') AS q3,
       quote_ident('a"b') AS q4, quote_ident('abs') AS q5, quote_literal('it''s') AS l1,
       quote_literal(E'a\\b') AS l2, quote_literal(42) AS l3, quote_nullable(NULL) AS n1,
       quote_nullable('x') AS n2;
-- LIKE and ILIKE
SELECT 'abc' LIKE 'a%' AS l1, 'abc' LIKE 'a_c' AS l2, 'abc' NOT LIKE 'b%' AS l3,
       'ABC' ILIKE 'a%' AS l4, 'ABC' NOT ILIKE 'a%' AS l5, 'a%c' LIKE 'a\%c' AS l6,
       'a%c' LIKE 'a#%c' ESCAPE '#' AS l7, 'a\c' LIKE 'a\c' ESCAPE '' AS l8, 'é' LIKE '_' AS l9,
       'abc' ~~ 'a%' AS l10, 'abc' !~~* 'A%' AS l11, 'aXbXc' LIKE '%b%c' AS l12,
       'ab' LIKE '%%%b' AS l13, '' LIKE '%' AS l14, 'x' LIKE '' AS l15;
SELECT 'abc' LIKE 'ab\';
SELECT 'abc' LIKE 'a%' ESCAPE 'xy';
SELECT 'ab  '::char(4) LIKE 'ab' AS bpchar_like, 'ab'::varchar LIKE 'a_' AS varchar_like,
       'abc'::name LIKE 'a%' AS name_like, like_escape('a#%b', '#') AS esc;
-- regular expressions
SELECT 'abc' ~ 'b' AS r1, 'abc' ~ '^b' AS r2, 'ABC' ~* 'b' AS r3, 'abc' !~ 'b' AS r4,
       'abc' !~* 'B' AS r5, 'a1' ~ '\d' AS r6, 'é' ~ '^.$' AS r7, 'foo bar' ~ '\mbar' AS r8,
       'a' ~ 'a*?' AS lazy_match, 'x y' ~ '\s' AS r9, 'ab' ~ '^[\w]+$' AS r10;
SELECT 'a' ~ '(';
SELECT 'a' ~ '[a';
SELECT 'a' ~ 'a**';
SELECT 'a' ~ '\q';
SELECT regexp_replace('a1b22c', '\d+', '<\&>', 'g') AS g, regexp_replace('abc', '(b)', '[\1\\]') AS grp,
       regexp_replace('ABC', 'b', 'x', 'i') AS icase, regexp_replace('aaa', 'a', 'b') AS first_only,
       regexp_replace('abc', 'x*', '-', 'g') AS empty_matches;
SELECT regexp_replace('abc', 'b', 'x', 'z');
SELECT regexp_like('ABC', 'b', 'i') AS rl1, regexp_like('abc', 'd') AS rl2,
       substring('foobar' from 'o(b.)') AS sub1, substring('foobar' from 'o.b') AS sub2,
       substring('foobar' from 'x') AS sub3;
SELECT regexp_like('a', 'a', 'g');
-- || with other types
SELECT 'a'::char(3) || 'b' AS bp, 'a '::varchar || 'b' AS vc, 'a'::name || 'b' AS nm,
       1 || 'a' AS int_left, 'a' || 1.5::real AS real_right;
-- GREATEST / LEAST
SELECT greatest(1, 2, 3) AS g1, least(1, 2.5::float8) AS l1, greatest('a', 'b') AS g2,
       greatest(NULL, 1) AS g3, least(NULL::int, NULL) AS l2, greatest('b'::varchar, 'a'::text) AS g4,
       least(2, 1.5) AS l3, greatest(true, false) AS g5;
SELECT greatest(1, 'a');
SELECT greatest('a', 1);
-- format() widths from arguments
SELECT format('%*s|', 3, 'x') AS w1, format('%-*s|', 3, 'x') AS w2, format('%*s|', -3, 'x') AS w3,
       format('%*s|', NULL, 'x') AS w4, format('%2$*1$s|', 3, 'y') AS w5, format('%1$*s|', 3) AS w6;
SELECT format('%*2$s|', 'x', 4);
SELECT format('%*s|', 'a', 'x');
-- SIMILAR TO and substring(... SIMILAR ...)
SELECT 'abc' SIMILAR TO 'a%' AS s1, 'abc' SIMILAR TO 'b%' AS s2, 'aXc' SIMILAR TO 'a_c' AS s3,
       'ab' SIMILAR TO '(a|b)+' AS s4, 'a.c' SIMILAR TO 'a.c' AS s5, 'abc' NOT SIMILAR TO 'a.c' AS s6,
       'abd' SIMILAR TO 'a[bc]d' AS s7, 'a%' SIMILAR TO 'a#%' ESCAPE '#' AS s8,
       'abc' SIMILAR TO 'a#"b#"c' ESCAPE '#' AS s9;
SELECT similar_to_escape('a%b_c(d|e)*[x.]\.$^') AS e1, similar_to_escape('a#%', '#') AS e2,
       similar_to_escape('a\b', '') AS e3, similar_to_escape('a#"b#"c', '#') AS e4;
SELECT substring('Thomas' from '%#"o_a#"_' for '#') AS t1, substring('Thomas' similar '%#"o_a#"_' escape '#') AS t2,
       substring('Thomas' from 'T%' for '#') AS t3, substring('Thomas' from 'x%' for '#') AS t4,
       substring('abcabc' from '%#"b%#"' for '#') AS t5, substring('abcabc' from '#"a%#"c' for '#') AS t6,
       substring('abc' from 'a#"b%' for '#') AS t7;
SELECT substring('abc' from '%#"b#"%#"c' for '#');
-- regexp_count / regexp_instr / regexp_substr
SELECT regexp_count('ababab', 'ab') AS c1, regexp_count('ababab', 'ab', 2) AS c2,
       regexp_count('ABab', 'ab', 1, 'i') AS c3, regexp_count('aaa', 'a*') AS c4, regexp_count('', 'x*') AS c5,
       regexp_substr('abc123def45', '\d+') AS s1, regexp_substr('abc123def45', '\d+', 1, 2) AS s2,
       regexp_substr('abc123def45', '\d+', 1, 3) AS s3, regexp_substr('abc123', '(b)(c)', 1, 1, '', 2) AS s4,
       regexp_instr('abc123', '\d') AS i1, regexp_instr('abc123', '\d', 1, 2, 1) AS i2,
       regexp_instr('héllo', 'l', 1, 2) AS i3;
SELECT regexp_count('a', 'a', 0);
SELECT regexp_substr('a', 'a', 1, 0);
SELECT regexp_count('a', 'a', 1, 'g');
-- ASCII-only classes and case folding (the C locale), brackets, expanded syntax
SELECT 'É' ~* 'é' AS f1, 'é' ~ '[[:alpha:]]' AS f2, 'aB' ~* 'Ab' AS f3, 'B' ~* '[a-c]' AS f4,
       'x' ~* '[^X]' AS f5, 'Q' ~* '[[:lower:]]' AS f6, 'Q' ~ '[[:lower:]]' AS f7, 'é' ~ '[à-ÿ]' AS f8,
       '[' ~ '[[]' AS b1, '-' ~ '[a-]' AS b2, '^' ~ '[a^]' AS b3, ']' ~ '[]]' AS b4, 'b' ~ '[^]a]' AS b5,
       '\' ~ '[\\]' AS b6, '!' ~ '[[:punct:]]' AS b7, '^' ~ '[\^]' AS b8, 'a1 ' ~ '^[\d\w\s]+$' AS b9;
SELECT 'a' ~ '[[:foo:]]';
SELECT 'a' ~ '[z-a]';
SELECT regexp_replace('a b c', 'a b', 'x', 'x') AS x1, regexp_like('a b', 'a\ b', 'x') AS x2,
       regexp_replace(E'a\nb', '^b', 'X', 'n') AS nl1, regexp_replace(E'a\nb', '^b', 'X') AS nl2;
-- "char", the one-byte type
SELECT 'x'::"char" AS c1, 'xyz'::"char" AS c2, ''::"char" AS c3, 'é'::"char" AS c4, '\101'::"char" AS c5,
       65::"char" AS c6, 'a'::"char"::int AS i1, 'é'::"char"::int AS i2, (-56)::"char" AS c7,
       'ab'::"char" < 'b'::"char" AS lt, '\200'::"char" > 'a'::"char" AS unsigned_cmp,
       'é'::"char"::text AS t1, '\303'::text::"char"::int AS t2, 'ab'::char(2)::"char" AS from_bp,
       'x'::"char"::char(3) || '|' AS to_bp, 'a'::"char" = 'a' AS eq_unknown;
SELECT 300::"char";
SELECT 'a'::"char" || 'b';
-- embedded options and directors
SELECT 'A' ~ '(?i)a' AS o1, 'a.b' ~ '***=a.b' AS o2, 'axb' ~ '***=a.b' AS o3, 'A' ~* '(?c)a' AS o4,
       'a b' ~ '(?x)a b' AS o5, 'A.B' ~ '(?iq)a.b' AS o6, 'ab' ~ '***:(?i)AB' AS o7,
       regexp_replace('a.b', 'A.', 'x', 'iq') AS o8, E'a\nb' ~ '(?n)a.b' AS o9;
SELECT 'a' ~ '(?z)a';
SELECT 'a' ~ 'x(?i)a';
-- COLLATE: the C family is what every comparison does already
SELECT 'b' COLLATE "C" < 'a' AS c1, 'a' COLLATE "POSIX" AS c2, 'x'::varchar COLLATE "default" AS c3,
       'x' COLLATE ucs_basic AS c4, 'a'::char(2) COLLATE "C" || '|' AS c5, 'x' COLLATE pg_catalog."C" AS c6;
SELECT 'a' COLLATE "nosuch";
SELECT 1 COLLATE "C";
SELECT 'a' COLLATE public."C";
-- regexp_replace with start and occurrence
SELECT regexp_replace('abcabc', 'b', 'X', 2) AS r1, regexp_replace('abcabc', 'b', 'X', 3) AS r2,
       regexp_replace('abcabc', 'b', 'X', 1, 2) AS r3, regexp_replace('abcabc', 'b', 'X', 1, 0) AS r4,
       regexp_replace('aBcabc', 'b', 'X', 1, 0, 'i') AS r5, regexp_replace('abcabc', 'b', 'X', 1, 1, 'g') AS r6;
SELECT regexp_replace('a', 'a', 'x', 0);
SELECT regexp_replace('abcabc', 'b', 'X', '1');
