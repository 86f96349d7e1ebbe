--
-- numeric: literals, text input/output, arithmetic and its result scales,
-- NaN/Infinity, casts, numeric(p,s), functions and their errors.
--
-- literals and input
SELECT 1.5 AS a, -0.000 AS b, 1e3 AS c, 1.5e-3 AS d, .5 AS e, 5. AS f,
       99999999999999999999 AS g, 0.00012345 AS h;
SELECT '  12.340 '::numeric AS a, 'NaN'::numeric AS b, 'nan'::numeric AS c,
       '-inf'::numeric AS d, '+Infinity'::numeric AS e, '-0'::numeric AS f,
       '00042'::numeric AS g, '-1E+2'::numeric AS h;
SELECT 'abc'::numeric;
SELECT ' 1 2'::numeric;
SELECT '1.5e'::numeric;
SELECT '.'::numeric;
SELECT ''::numeric;
SELECT 1e200000;
SELECT '1e-16384'::numeric;
SELECT '1e131072'::numeric;
SELECT length('1e131071'::numeric::text) AS big_len, '1e-16383'::numeric = 0 AS tiny_is_zero;
SELECT 123456789012345678901234567890123456789012345678901234567890.123456789012345678901234567890
       AS sixty_digits;
-- arithmetic and result scales
SELECT 1.5 + 2.25 AS add, 1.5 - 3 AS sub, 2.5 * 1.10 AS mul, 10 / 3.0 AS div,
       1::numeric / 3 AS third, 2::numeric / 3 AS two_thirds, 7.5 % 2 AS mod, -7.5 % 2 AS nmod;
SELECT 9999.9999 + 0.0001 AS carry, 10000 - 0.0001 AS borrow, 1.50 - 1.5 AS zero_scale,
       -(1.5) AS neg, +(1.5) AS pos, @ -1.5 AS abs;
SELECT 1 / 7.0 AS a, 100000 / 7.0 AS b, 0.001 / 7 AS c, 123456789.123 / 0.001 AS d,
       1 / 3.00000000000000000000000 AS e;
SELECT 12345678901234567890 * 98765432109876543210 AS big_mul,
       (12345678901234567890 * 98765432109876543210) / 98765432109876543210 AS back;
SELECT 1 + 1.5 AS int_num, 2::int8 * 1.5 AS int8_num, 3::int2 - 0.5 AS int2_num,
       1.5 * 2 = 3 AS int_cmp;
SELECT 1 / 0.0;
SELECT 5 % 0.0;
SELECT div(7.5, 0);
SELECT div(-7.5, 2) AS div, mod(-7.5, 2) AS mod, mod(10, 3.3) AS mod2;
-- NaN and infinities
SELECT 'inf'::numeric + 1 AS a, 'inf'::numeric - 'inf'::numeric AS b,
       'inf'::numeric * 0 AS c, '-inf'::numeric * -2 AS d, 5 / 'inf'::numeric AS e,
       'nan'::numeric + 1 AS f, 'inf'::numeric / 2 AS g;
SELECT 'inf'::numeric / 0;
SELECT 'inf'::numeric % 2 AS a, 5 % 'inf'::numeric AS b, div('inf'::numeric, 3) AS c;
-- comparison: -Infinity < finite < Infinity < NaN, NaN = NaN
SELECT 1.0 = 1.00 AS a, 1.5 < 2 AS b, 'nan'::numeric > 'inf'::numeric AS c,
       'nan'::numeric = 'nan'::numeric AS d, '-inf'::numeric < -1e100 AS e,
       2 > 1.5 AS f, 1.5 <> 1.50 AS g, 0.1 <= 0.10 AS h, -0.0 >= 0 AS i;
-- casts
SELECT 1.5::int4 AS a, 2.5::int8 AS b, (-2.5)::int2 AS c, 1.5::float8 AS d,
       0.49999::int4 AS e, 3::numeric AS f, 123::int8::numeric AS g;
SELECT 2147483647.5::int4;
SELECT 32767.5::int2;
SELECT 9223372036854775807.5::int8;
SELECT 'nan'::numeric::int8;
SELECT 'inf'::numeric::int4;
SELECT 1e308::numeric::float8 AS big_ok, 'nan'::numeric::float8 AS nan, '-inf'::numeric::float8 AS ninf;
SELECT 0.1::float8::numeric AS a, 1e20::float8::numeric AS b, (1::float8 / 3)::numeric AS c,
       'inf'::float8::numeric AS d, 1.5e-7::float8::numeric AS e;
SELECT numeric(5) AS a, numeric(1.5::float8) AS b, int4(2.5) AS c, float8(1.25) AS d;
-- numeric(p,s)
SELECT 123.456::numeric(5,2) AS a, 0.5::numeric(1,-1) AS b, 123.45::numeric(5,-2) AS c,
       1.2345::numeric(3,5) AS d, 12.5::numeric(3,1) AS e, 'nan'::numeric(3,1) AS f;
SELECT 12345.678::numeric(5,2);
SELECT 99.99::numeric(3,1);
SELECT 0.5::numeric(1,1);
SELECT 10::numeric(1,0);
SELECT 'inf'::numeric(5,1);
SELECT 1::numeric(1001);
SELECT 1::numeric(5,1001);
SELECT '1.5'::decimal(3,1) AS dec, 2.25::decimal AS dec2, 1::decimal / 3 AS dec3;
-- rounding
SELECT round(2.5) AS a, round(-2.5) AS b, round(1234.5678, -2) AS c, round(1234.5678, 2) AS d,
       round(9999.5) AS e, round(0.00006, 4) AS f, round(-0.4) AS g, round(5, 3) AS h,
       round(1.23456789e-10, 12) AS i;
SELECT trunc(-1.999, 1) AS a, trunc(1234.5678, -2) AS b, trunc(2.5) AS c, trunc(5, 2) AS d,
       ceil(-1.5) AS e, floor(-1.5) AS f, ceil(1.0001) AS g, ceiling(-0.1) AS h, floor(7) AS i;
SELECT round('nan'::numeric, 2) AS a, ceil('inf'::numeric) AS b, trunc('-inf'::numeric) AS c;
-- other functions
SELECT abs(-1.50) AS abs, sign(-2.5) AS s1, sign(0.00) AS s2, sign(3.3) AS s3,
       sign('-inf'::numeric) AS s4, sign('nan'::numeric) AS s5;
SELECT scale(1.2300) AS scale, min_scale(1.2300) AS min_scale, trim_scale(1.2300) AS trim,
       min_scale(100.0) AS ms2, trim_scale(120.500) AS t2, trim_scale(0.000) AS t3,
       scale('nan'::numeric) AS s_nan;
SELECT factorial(0) AS f0, factorial(20) AS f20, factorial(25) AS f25;
SELECT factorial(-1);
SELECT gcd(12.50, 5.0) AS gcd, lcm(4.5::numeric, 3) AS lcm, gcd('nan'::numeric, 1) AS gnan,
       lcm(0::numeric, 5.00) AS lzero, gcd(-48::numeric, 18) AS gneg;
SELECT width_bucket(5.35, 0.024, 10.06, 5) AS a, width_bucket(-1.0, 0, 10, 5) AS b,
       width_bucket(10.0, 0, 10, 5) AS c, width_bucket(5.0, 10, 0, 3) AS d;
SELECT width_bucket(1.0, 1, 2, 0);
-- square root, exponential, logarithms, power: PostgreSQL's result scales
SELECT sqrt(2::numeric) AS a, sqrt(4.0) AS b, sqrt(0.0) AS c, sqrt(1e-20) AS d,
       sqrt(99.99) AS e, sqrt(12345678901234567890.123) AS f, sqrt('inf'::numeric) AS g;
SELECT sqrt(-1.0);
SELECT exp(1.0) AS a, exp(0.0) AS b, exp(-0.5) AS c, exp(1e-10) AS d, exp(230.5) AS e,
       exp(-100.0) AS f, exp('-inf'::numeric) AS g;
SELECT exp(6000.0);
SELECT ln(2.0) AS a, ln(0.5) AS b, ln(1e100) AS c, ln(1.0000000001) AS d, ln(0.999) AS e,
       ln(123456789.123) AS f, ln('inf'::numeric) AS g;
SELECT ln(0.0);
SELECT ln(-1.0);
SELECT log(100.0) AS a, log(0.5) AS b, log(1e-100) AS c, log(3.0) AS d, log10(1e-10) AS e,
       log(2, 1024) AS f, log(7, 49.0) AS g, log(2.0, 3.0) AS h, log(0.5, 0.25) AS i;
SELECT log(1, 10.0);
SELECT log(0.0, 10.0);
SELECT 2 ^ 10.0 AS a, 0.5::numeric ^ 100 AS b, 1.1::numeric ^ 50 AS c,
       2::numeric ^ (-20) AS d, (-2)::numeric ^ 3 AS e, 1.5::numeric ^ (-2) AS f;
SELECT 2::numeric ^ 1.5 AS a, 2.5 ^ 2.5 AS b, 0.9 ^ 1000.5 AS c, power(10.0, -3.5) AS d,
       power(2.0, 0.5) AS e, pow(1.000001, 10000000) AS f, 2 ^ 0.00000001 AS g;
SELECT 0.0 ^ 0 AS a, 0.0 ^ 2.5 AS b, 'nan'::numeric ^ 0 AS c, 1 ^ 'nan'::numeric AS d,
       'inf'::numeric ^ -2 AS e, (-2.0) ^ 'inf'::numeric AS f, 0.5 ^ 'inf'::numeric AS g,
       '-inf'::numeric ^ 3 AS h, '-inf'::numeric ^ 2 AS i;
SELECT 0.0 ^ (-1);
SELECT (-8.0) ^ (1.0 / 3);
SELECT 10.0 ^ 1000000;
SELECT 3::numeric ^ 100 AS big;
-- NULLs
SELECT NULL::numeric + 1 AS a, round(NULL::numeric, 2) AS b, sqrt(NULL::numeric) AS c;
