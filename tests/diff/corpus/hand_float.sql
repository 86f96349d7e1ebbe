-- hand_float.sql — float4/float8 output (shortest round-trip), special values, overflow.
SELECT 0.1::float8 + 0.2::float8
SELECT 1e308::float8 * 10
SELECT 1e-308::float8 / 1e10
SELECT '1e-320'::float8
SELECT 'NaN'::float8 = 'NaN'::float8
SELECT 'NaN'::float8 > 'Infinity'::float8
SELECT '-0'::float8, -0.0::float8, 0.0::float8 * -1
SELECT 'Infinity'::float8 - 'Infinity'::float8
SELECT 'Infinity'::float8 * 0
SELECT 1::float8 / 0::float8
SELECT 0::float8 / 0::float8
SELECT 1.0e15::float8, 1.0e16::float8, 1.0e17::float8
SELECT 123456789.123456789::float8
SELECT 100::float8, 1e22::float8, 1e-5::float8, 1e-4::float8
SELECT 0.1::float4, 16777217::float4, 3.4028235e38::float4
SELECT 1.1::float4 + 2.2::float4
SELECT 1.1::float4 * 1.1::float8
SELECT '3.4e39'::float4
SELECT 1e39::float8::float4
SELECT 1e-50::float8::float4
SELECT sqrt(-1::float8)
SELECT ln(0::float8)
SELECT ln(-1::float8)
SELECT exp(1000::float8)
SELECT exp(-1000::float8)
SELECT power(0::float8, -1::float8)
SELECT power(-1::float8, 0.5::float8)
SELECT 2.5::float8::int4, 3.5::float8::int4, (-2.5)::float8::int4
SELECT 2147483647.5::float8::int4
SELECT 'NaN'::float8::int8
SELECT 1e19::float8::int8
SELECT round(2.5::float8), round(3.5::float8), round(-2.5::float8)
SELECT trunc(-2.7::float8), ceil(-0.5::float8), floor(-0.5::float8)
SELECT 9007199254740993::float8
SELECT float8 '  1.5  '
SELECT 'infinity'::float4, '-inf'::float4, 'nan'::float4
SELECT 5e-324::float8 / 2
SELECT 1.7976931348623157e308::float8 + 1e292::float8
SELECT atan2(1::float8, 1::float8), pi()
SELECT cbrt(-27::float8), abs(-0::float8)
