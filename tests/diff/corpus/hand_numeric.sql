-- hand_numeric.sql — arbitrary precision: scale rules, rounding, specials, typmods, overflow.
SELECT 1.10 + 2.205
SELECT 10.0 / 3
SELECT 1 / 3.0
SELECT 2::numeric / 3
SELECT 1.000 * 1.00
SELECT 0.1 + 0.2 = 0.3
SELECT 123456789012345678901234567890 * 987654321098765432109876543210
SELECT 1e-100::numeric * 1e-100
SELECT 10::numeric ^ 100
SELECT 2::numeric ^ 0.5
SELECT sqrt(2::numeric)
SELECT sqrt(1e-20::numeric)
SELECT ln(10::numeric), log(1000::numeric), log(2, 1024::numeric)
SELECT exp(1::numeric)
SELECT round(2.5), round(-2.5), round(0.5), round(1.45, 1), round(1234.5678, -2)
SELECT trunc(-1.999, 2), ceil(-1.5), floor(-1.5)
SELECT 'NaN'::numeric + 1, 'NaN'::numeric = 'NaN'::numeric, 'NaN'::numeric > 1e100
SELECT 'Infinity'::numeric - 'Infinity'::numeric
SELECT 'Infinity'::numeric * 0
SELECT '-Infinity'::numeric < -1e100
SELECT 1::numeric / 0
SELECT 0::numeric / 0
SELECT 'Infinity'::numeric / 0
SELECT 5.5 % 2, -5.5 % 2, 5 % -2.5
SELECT 12.345::numeric(5,2)
SELECT 999.995::numeric(5,2)
SELECT 1e5::numeric(5,0)
SELECT 0.00049::numeric(4,3)
SELECT 'NaN'::numeric(3,1)
SELECT 'Infinity'::numeric(3,1)
SELECT 1.5::numeric(2,-1)
SELECT 12345::numeric(2,-3)
SELECT 0.000001234::numeric(3,8)
SELECT 1.5::numeric::int4, 2.5::numeric::int4, -2.5::numeric::int4
SELECT 2147483647.5::numeric::int4
SELECT 9223372036854775807.4::numeric::int8
SELECT 1e300::numeric::float8
SELECT 1e400::numeric::float8
SELECT 0.1::float8::numeric, 1e-7::float8::numeric, 'NaN'::float8::numeric
SELECT 'Infinity'::float8::numeric, 1e20::float4::numeric
SELECT scale(1.230), scale(1e-5), scale('NaN'::numeric)
SELECT -0.000::numeric, 0e10::numeric, 0.0e-3
SELECT 1e131072::numeric
SELECT abs(-1.5), sign(-0.0), sign(2.5), -(0::numeric)
SELECT numeric '  +1.50  ', numeric '.5', numeric '5.'
SELECT 9.99999999999999999999::numeric(21,20) + 0.00000000000000000001
SELECT width_bucket(5.35, 0.024, 10.06, 5)
SELECT min_scale(8.4100), trim_scale(8.4100)
SELECT 100::numeric / 7, 1000000::numeric / 7
SELECT (1.5)::numeric = 1.50, 1.5::numeric < 1.51
