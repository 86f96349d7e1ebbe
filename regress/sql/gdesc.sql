--
-- Result column types, checked with psql's \gdesc (which describes the
-- statement, then asks the server to name the types with format_type() over
-- a VALUES list).
--
SELECT 1 AS int4, 2147483648 AS int8, 1::int2 AS int2, 'x' AS unknown_literal,
       'x'::text AS text, true AS bool, NULL AS null_literal, NULL::int8 AS null_int8 \gdesc
SELECT 1::int2 + 1::int2 AS int2_int2, 1::int2 + 1 AS int2_int4, 1 + 1::int8 AS int4_int8,
       -2147483648 AS min_int4, -9223372036854775808 AS min_int8,
       CASE WHEN true THEN 1 ELSE 2::int8 END AS case_widened,
       COALESCE(1::int2, 2) AS coalesce_widened, NULLIF(1::int8, 1) AS nullif_first,
       'a' || 1 AS concat, 1 < 2 AS cmp \gdesc
SELECT current_database(), current_user, pg_backend_pid(), version(), pg_sleep(0),
       current_setting('TimeZone'), set_config('x.y', 'z', false) \gdesc
