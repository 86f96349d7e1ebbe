--
-- real (float4) and double precision: I/O, arithmetic, comparisons, casts
-- and the float8 math functions, with PostgreSQL's special values and errors.
--
SELECT 1.5::float4 AS a, 1e6::float4 AS b, 123456::real AS c, 1234567::real AS d,
       123456789::float4 AS e, 0.0001::float4 AS f, 0.00001::float4 AS g, 3.4e38::float4 AS h,
       1.4e-45::float4 AS denorm, 'nan'::float4 AS nan, '-inf'::float4 AS ninf,
       ' Infinity '::real AS inf, -0.0::float4 AS negzero, 1e-40::float4 AS tiny;
SELECT '1e39'::float4;
SELECT '1e-46'::real;
SELECT 1e39::float4;
SELECT 'abc'::real;
SELECT ''::real;
SELECT '1.5x'::float4;
SELECT 1e15::float8 AS a, 1e16::float8 AS b, 1e-5::float8 AS c, 0.1::float8 + 0.2 AS d,
       1e308::float8 AS e, 5e-324::float8 AS f, 'NaN'::float8 AS g, '-Infinity'::float8 AS h;
SELECT '1e309'::float8;
-- arithmetic, mixed widths
SELECT 0.1::float4 + 0.2::float4 AS r4, 0.1::float4 + 0.2::float8 AS r48, 1::float4 / 3 AS div,
       2 * 1.5::float4 AS int_real, 1.5::real * 2::real AS real_real, 10::real - 0.5::real AS mi,
       7.5::float8 / 2::float4 AS r84, 1::float4 / 3::float4 AS r4div;
SELECT 1e38::real * 10::real;
SELECT 1e-38::real * 1e-10::real;
SELECT 1e308::float8 * 10;
SELECT 1e-308::float8 * 1e-308;
SELECT 1 / 0::float8;
SELECT 1::real / 0::real;
SELECT 'NaN'::float8 / 0 AS nan_div, 'Infinity'::float8 + 1 AS inf_plus,
       'Infinity'::float8 - 'Infinity'::float8 AS inf_minus_inf, -(1.5::real) AS neg,
       +(2.5::float8) AS pos, @ -5.5::float8 AS absop, abs(-1.5::real) AS abs4;
-- comparisons: NaN equals NaN and sorts above everything; -0 = 0
SELECT 'NaN'::float4 = 'NaN'::float4 AS nan_eq, 'NaN'::float8 > 'Infinity'::float8 AS nan_gt,
       'NaN'::float8 < 1 AS nan_lt, -0.0::float8 = 0.0::float8 AS zeros,
       1.5::float4 = 1.5::float8 AS cross_eq, 0.1::float4 = 0.1::float8 AS cross_inexact,
       1::real < 2::float8 AS lt48, 2::float8 >= 2::real AS ge84, 1::real <> 1::real AS ne;
SELECT greatest(1::float8, 'NaN', 3) AS g, least(1::float8, 'NaN', 3) AS l;
-- casts
SELECT 3.7::real::int4 AS a, 2.5::real::int2 AS b, (-2.5)::real::int8 AS c, 3.5::real::int4 AS d,
       1.5::float8::real AS e, 0.1::real::float8 AS f, 42::int2::real AS g,
       9007199254740993::int8::real AS h, 0.1::real::numeric AS i, 1.23456789::real::numeric AS j,
       'inf'::real::numeric AS k, 2.5::numeric::real AS l, 'NaN'::real::text AS m;
SELECT 1e10::real::int4;
SELECT 'NaN'::real::int2;
SELECT 1e39::float8::float4;
SELECT 1e-46::float8::float4;
SELECT 'inf'::float8::float4 AS inf, 0::float8::float4 AS zero;
-- math
SELECT sqrt(2::float8) AS sqrt, cbrt(27::float8) AS cbrt, exp(1::float8) AS e, ln(10::float8) AS ln,
       log(100::float8) AS log, log10(1000::float8) AS log10, pi() AS pi, |/ 16::float8 AS sqrt_op,
       ||/ 27::float8 AS cbrt_op, 2.0::float8 ^ 10 AS pow_op, power(2::float8, 0.5) AS pow;
SELECT round(2.5::float8) AS r1, round(-3.5::float8) AS r2, round(0.5::float8) AS r3,
       ceil(1.2::float8) AS c1, ceiling(-1.2::float8) AS c2, floor(-1.2::float8) AS f,
       trunc(-1.7::float8) AS t, sign(-2::float8) AS s1, sign(0::float8) AS s2;
SELECT degrees(pi()) AS deg, radians(180::float8) AS rad, sin(0::float8) AS sin, cos(0::float8) AS cos,
       tan(0::float8) AS tan, asin(1::float8) AS asin, acos(1::float8) AS acos, atan(1::float8) AS atan,
       atan2(1::float8, 1::float8) AS atan2, cot(1::float8) AS cot;
SELECT sqrt(-1::float8);
SELECT ln(0::float8);
SELECT ln(-1::float8);
SELECT log10(0::float8);
SELECT power(0::float8, -1);
SELECT power(-8::float8, 1.0 / 3);
SELECT exp(1000::float8);
SELECT exp(-1000::float8);
SELECT power(10::float8, 400);
SELECT asin(2::float8);
SELECT sin('inf'::float8);
SELECT power('NaN'::float8, 0) AS nan_0, power(1::float8, 'NaN') AS one_nan,
       power('Infinity'::float8, -1) AS inf_neg, power(-2::float8, 3) AS neg_odd,
       power(0.5::float8, 'Infinity') AS half_inf, exp('-Infinity'::float8) AS exp_ninf;
-- random() is in [0, 1); setseed() makes it repeatable
SELECT setseed(0.5);
SELECT random() >= 0 AND random() < 1 AS in_range;
SELECT setseed(2);
-- trigonometry in degrees: exact at the special angles
SELECT sind(30) AS s30, sind(90) AS s90, sind(180) AS s180, sind(270) AS s270, sind(-30) AS sm30,
       sind(200) AS s200, cosd(60) AS c60, cosd(90) AS c90, cosd(120) AS c120, cosd(-200) AS cm200,
       tand(45) AS t45, tand(90) AS t90, tand(135) AS t135, tand(180) AS t180, tand(-200) AS tm200,
       cotd(45) AS ct45, cotd(0) AS ct0, cotd(90) AS ct90;
SELECT asind(0.5) AS as1, asind(-0.5) AS as2, asind(0.7) AS as3, acosd(0.5) AS ac1, acosd(-0.5) AS ac2,
       acosd(-1) AS ac3, atand(1) AS at1, atand('Infinity') AS at2, atan2d(1, 1) AS a2d1,
       atan2d(-1, -1) AS a2d2, atan2d(0, -1) AS a2d3;
SELECT asind(2);
SELECT sind('inf');
SELECT asinh(1) AS ash, acosh(2) AS ach, atanh(0.5) AS ath, atanh(1) AS ath1, atanh(-1) AS athm1,
       acosh('NaN') AS ach_nan;
SELECT acosh(0.5);
SELECT atanh(2);
-- gcd / lcm over integers
SELECT gcd(-12, -18) AS g1, gcd(12::int8, -18::int8) AS g2, gcd(0, 0) AS g3, gcd(-9223372036854775808, 1) AS g4,
       lcm(-4, 6) AS l1, lcm(0, 5) AS l2, lcm(-4::int8, 6::int8) AS l3;
SELECT gcd(-2147483648, 0);
SELECT lcm(2147483647, 2147483646);
SELECT lcm(-9223372036854775808, 1);
SELECT gcd(1::int2, 2::int2);
-- width_bucket over double precision
SELECT width_bucket(5.35::float8, 0.024, 10.06, 5) AS w1, width_bucket(-1::float8, 0, 10, 5) AS w2,
       width_bucket(11::float8, 0, 10, 5) AS w3, width_bucket(5::float8, 10, 0, 5) AS w4,
       width_bucket(10::float8, 0, 10, 5) AS w5, width_bucket(0::float8, 10, 0, 5) AS w6,
       width_bucket(1e308::float8, -1e308, 1.5e308, 7) AS w7, width_bucket(0.3::float8, 0, 0.9, 3) AS w8;
SELECT width_bucket(1::float8, 0, 0, 5);
SELECT width_bucket(1::float8, 0, 1, 0);
SELECT width_bucket('nan'::float8, 0, 1, 1);
SELECT width_bucket(1::float8, 0, 'inf', 1);
SELECT width_bucket(1::float8, 0, 1, 2147483647);
-- every spelling strtod takes whole is accepted, as PostgreSQL does
SELECT 'nan(1)'::float8 AS n8, 'nan(1)'::real AS n4, '0x1p3'::float8 AS hex8, '0x10'::real AS hex4,
       'INFINITY'::real AS inf4, '-nan'::float8 AS negnan, '1e-310'::float8 AS denorm, '.5'::float8 AS dot;
SELECT 'infinit'::float8;
SELECT '3.4028236e38'::real;
