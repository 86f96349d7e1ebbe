--
-- bytea: hex output, hex and escape input, operators and functions,
-- encode/decode.
--
SELECT 'abc'::bytea AS esc_in, '\x0102ff'::bytea AS hex_in, '\xDEADbeef'::bytea AS hex_case,
       '\x 01 02'::bytea AS hex_spaces, E'a\\\\b\\001\\377'::bytea AS octal, ''::bytea AS empty,
       '\x'::bytea AS empty_hex;
SELECT '\x4g'::bytea;
SELECT '\x123'::bytea;
SELECT 'a\q'::bytea;
SELECT 'ab\400'::bytea;
SELECT 'abc\'::bytea;
SELECT length('abc'::bytea) AS len, octet_length('\x0000'::bytea) AS olen, bit_length('ab'::bytea) AS bits,
       'ab'::bytea || 'c'::bytea AS cat, md5('abc'::bytea) AS md5;
SELECT 'a'::bytea < 'b'::bytea AS lt, 'a'::bytea < 'ab'::bytea AS prefix, '\xff'::bytea > 'a'::bytea AS high,
       'abc'::bytea = 'abc'::bytea AS eq, 'abc'::bytea <> 'abd'::bytea AS ne,
       'ab'::bytea >= 'ab'::bytea AS ge, 'ab'::bytea <= 'aa'::bytea AS le;
SELECT substring('abcdef'::bytea from 2 for 3) AS s1, substr('abc'::bytea, -1, 3) AS s2,
       substr('abc'::bytea, 2) AS s3, substr('abc'::bytea, 5) AS s4,
       position('c'::bytea in 'abc'::bytea) AS p1, position(''::bytea in 'abc'::bytea) AS p2,
       get_byte('abc'::bytea, 1) AS gb;
SELECT substr('abc'::bytea, 1, -1);
SELECT get_byte('abc'::bytea, 5);
SELECT 'abc'::bytea LIKE 'a%' AS l1, 'abc'::bytea NOT LIKE 'b%' AS l2, '\xff00'::bytea LIKE '_\000' AS l3;
-- encode / decode
SELECT encode('abc'::bytea, 'hex') AS hex, encode('abc'::bytea, 'base64') AS b64,
       encode('ab'::bytea, 'base64') AS b64_pad, encode(E'a\\\\b\\000\\377'::bytea, 'escape') AS esc,
       decode('616263', 'hex') AS dhex, decode('YWJj', 'base64') AS db64, decode('  YW Jj ', 'base64') AS dspaces,
       decode('YQ==', 'base64') AS dpad, decode('a\\b\001', 'escape') AS desc;
SELECT encode(repeat('x', 60)::bytea, 'base64') AS wrapped;
SELECT encode('abc'::bytea, 'foo');
SELECT decode('a', 'hex');
SELECT decode('aGVsbG8', 'base64');
SELECT decode('a!', 'base64');
-- casts to and from text go through the text forms
SELECT 'abc'::bytea::text AS to_text, '\x41'::text::bytea AS from_text;
-- trimming, bytes and bits, overlay, encodings
SELECT btrim('\x0001020100'::bytea, '\x0001'::bytea) AS bt, ltrim('\x0001020100'::bytea, '\x00'::bytea) AS lt,
       rtrim('\x0001020100'::bytea, '\x00'::bytea) AS rt, set_byte('abc'::bytea, 1, 65) AS sb,
       get_bit('\x01'::bytea, 0) AS gb0, get_bit('\x80'::bytea, 7) AS gb7, set_bit('\x00'::bytea, 3, 1) AS sbit,
       overlay('abcdef'::bytea placing 'XY'::bytea from 2 for 3) AS o1, overlay('abc'::bytea placing 'X'::bytea from 2) AS o2,
       bit_count('\xff01'::bytea) AS bc;
SELECT convert_to('é', 'UTF8') AS ct, convert_from('\xc3a9', 'utf8') AS cf, length('\xc3a9'::bytea, 'UTF8') AS len;
SELECT set_byte('abc'::bytea, 5, 1);
SELECT get_bit('abc'::bytea, 24);
SELECT set_bit('a'::bytea, 0, 2);
SELECT convert_from('\xff', 'UTF8');
SELECT convert_to('a', 'nosuch');
-- bytea_output = escape
SET bytea_output = escape;
SELECT 'a\000'::bytea AS nul, 'a\\b'::bytea AS backslash, '\xff7f20'::bytea AS high, ''::bytea AS empty;
RESET bytea_output;
SELECT 'a\000'::bytea AS hex_again;
-- SHA-2
SELECT sha224('abc') AS s224, sha256('abc') AS s256, sha256('') AS s256_empty;
SELECT sha384('abc') AS s384;
SELECT sha512('abc') AS s512;
SELECT sha256(repeat('x', 55)::bytea) = sha256(repeat('x', 55)::bytea) AS same,
       sha256(repeat('x', 56)::bytea) AS pad56, sha512(repeat('x', 112)::bytea) AS pad112;
