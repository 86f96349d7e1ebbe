-- hand_text.sql — strings: unicode, padding of char(n), varchar(n) truncation rules, concatenation.
SELECT 'abc' || NULL
SELECT 'abc' || 1 || true
SELECT length('héllo'), octet_length('héllo'), char_length('日本')
SELECT upper('straße'), lower('ÀÉÎ'), initcap('hello wORLD-foo bar_baz')
SELECT 'abc '::char(5) = 'abc'::char(5)
SELECT 'abc'::char(5) || 'x'
SELECT length('abc  '::char(5)), octet_length('abc'::char(5))
SELECT 'abcdef'::char(3)
SELECT 'abc   '::varchar(3)
SELECT 'abcd'::varchar(3)
SELECT CAST('abcd' AS varchar(3))
SELECT 'ab'::char(2)::varchar, 'ab '::char(3)::text
SELECT 'a'::char
SELECT ''::char(3) = ' '::char(1)
SELECT substring('hello' from 2 for 3), substring('hello' from -1 for 3), substring('hello', 3)
SELECT substr('hello', 2, -1)
SELECT overlay('Txxxxas' placing 'hom' from 2 for 4)
SELECT position('' in 'abc'), position('c' in 'abc'), strpos('日本語', '語')
SELECT trim(both 'x' from 'xxabcxx'), trim(leading from '  a  '), trim(trailing 'yz' from 'abzyzy')
SELECT lpad('abc', 2), lpad('abc', 5, ''), rpad('日本', 5, '語')
SELECT repeat('ab', -1), repeat('', 5), repeat('x', 0)
SELECT replace('aaa', 'a', ''), replace('abc', '', 'x')
SELECT split_part('a,b,c', ',', -1)
SELECT split_part('a,b,c', ',', 0)
SELECT split_part('a,b,c', '', 1)
SELECT reverse('héllo'), left('héllo', -10), right('héllo', 2)
SELECT ascii(''), ascii('é')
SELECT chr(0)
SELECT chr(-1)
SELECT 'a' < 'B', 'a' < 'b', 'A' < 'a', 'é' > 'z'
SELECT 'abc' = 'abc ', 'abc'::char(4) = 'abc'
SELECT text 'x' || varchar 'y', pg_typeof(text 'x' || varchar 'y')
SELECT pg_typeof('a'::varchar || 'b'::varchar)
SELECT pg_typeof('a'::char(2) || 'b')
SELECT E'tab\there', E'nl\nhere', E'\\', E'\x41\u00e9'
SELECT U&'\00e9t\00e9'
SELECT 'it''s', $$dollar 'quoted'$$
SELECT E'\xff'
SELECT md5(''), md5('abc')
SELECT quote_literal(E'a\'b\\c'), quote_ident('Foo bar'), quote_nullable(NULL)
SELECT format('%s-%s', 'a', NULL), format('%I %L', 'A b', 'x''y'), format('%5s|%-5s|', 'ab', 'cd')
SELECT concat()
SELECT concat_ws(',', NULL, 'a', NULL, 'b')
SELECT string_to_array('a,b,,c', ',')
SELECT starts_with('hello', 'he'), starts_with('hello', '')
SELECT to_hex(255), to_hex(-1), to_hex(9223372036854775807)
SELECT 'x'::bytea, '\x4142'::bytea, 'a\\b'::bytea
SELECT length('\x0001ff'::bytea), '\x01'::bytea || '\x02'::bytea
SELECT encode('\x00ff41'::bytea, 'hex'), encode('abc'::bytea, 'base64'), decode('YWJj', 'base64')
SELECT '\xzz'::bytea
SELECT 'x'::"char", 'xyz'::"char", ''::"char"
SELECT 'hello'::name, pg_typeof('hello'::name)
