-- hand_datetime.sql — date/time/timestamp input formats, output, arithmetic, ranges, functions.
SELECT '2024-02-29'::date + 365
SELECT '2024-02-29'::date - '2023-02-28'::date
SELECT date '2000-01-01' - 1, date '2000-03-01' - 1
SELECT 'today'::date = current_date, 'tomorrow'::date - 'yesterday'::date
SELECT 'allballs'::time, 'epoch'::timestamp, 'epoch'::date
SELECT '1999-01-08'::date, 'January 8, 1999'::date, '1/8/1999'::date, '19990108'::date
SELECT '99-Jan-08'::date
SELECT '08-Jan-99'::date, 'Jan-08-1999'::date, '1999.008'::date, 'J2451187'::date
SELECT '1/18/1999'::date
SELECT '18/1/1999'::date
SELECT '2000-01-01 BC'::date, '0001-01-01'::date - 1
SELECT '5874898-01-01'::date
SELECT '4714-11-23 BC'::date
SELECT '2024-02-29 12:34:56.1234567'::timestamp
SELECT '2024-02-29 12:34:56.5'::timestamp(0), '2024-02-29 23:59:59.9'::timestamp(0)
SELECT '2024-02-29T12:34:56Z'::timestamp, '2024-02-29 12:34:56 +02'::timestamp
SELECT timestamp '2024-02-29 12:34' + interval '1 year'
SELECT timestamp '2024-01-31' + interval '1 month', timestamp '2024-03-31' - interval '1 month'
SELECT timestamp '2024-03-10 02:30' - timestamp '2024-03-09 02:30'
SELECT '294277-01-01'::timestamp
SELECT timestamp '294276-12-31 23:59:59' + interval '1 day'
SELECT 'infinity'::timestamp + interval '1 day', '-infinity'::timestamp < '4713-01-01 BC'::timestamp
SELECT 'infinity'::timestamp - 'infinity'::timestamp
SELECT '12:34:56.789'::time(1), '23:59:59.99'::time(1)
SELECT time '10:00' - time '12:30', time '23:00' + interval '2 hours'
SELECT '24:00:00'::time = '00:00:00'::time
SELECT date '2024-02-29' + time '12:00', date '2024-02-29' + interval '1 hour'
SELECT extract(epoch from timestamp '1970-01-02'), date_part('epoch', timestamp '1970-01-02')
SELECT extract(dow from date '2024-03-03'), extract(isodow from date '2024-03-03')
SELECT extract(week from date '2021-01-03'), extract(isoyear from date '2021-01-03')
SELECT extract(century from date '2000-12-31'), extract(millennium from date '2001-01-01')
SELECT extract(julian from date '2024-01-01'), extract(microseconds from time '12:00:01.5')
SELECT extract(timezone from timestamptz '2024-01-01 00:00+05:30')
SELECT extract(foo from date '2024-01-01')
SELECT extract(hour from date '2024-01-01')
SELECT date_part('year', date '2024-06-01'), pg_typeof(date_part('year', date '2024-06-01'))
SELECT pg_typeof(extract(year from date '2024-06-01'))
SELECT date_trunc('week', timestamp '2024-03-03 10:00'), date_trunc('quarter', date '2024-05-20')
SELECT date_trunc('century', timestamp '2001-01-01'), date_trunc('decade', timestamp '1999-06-01')
SELECT date_trunc('fortnight', timestamp '2024-01-01')
SELECT make_date(2024, 2, 30)
SELECT make_time(25, 0, 0)
SELECT make_interval(years => 1, days => 2, secs => 1.5)
SELECT age(timestamp '2024-01-01', timestamp '2023-06-15 12:00')
SELECT date_bin('15 minutes', timestamp '2024-01-01 10:07:00', timestamp '2000-01-01')
SELECT isfinite(date 'infinity'), isfinite(timestamp '2024-01-01'), isfinite(interval '1 day')
SELECT to_char(date '2024-02-29', 'FMDay FMDDth FMMonth YYYY'), to_char(timestamp '2024-02-29 00:00', 'HH12 AM')
SELECT to_char(interval '1 day 02:03:04', 'DD HH24:MI:SS')
SELECT to_char(12345.678, '99,999.99'), to_char(-12.5, 'S999.9'), to_char(0.5, '0.00')
SELECT to_number('12,345.6', '99G999D9')
SELECT (date '2024-01-01', date '2024-01-31') OVERLAPS (date '2024-01-15', date '2024-02-15')
SELECT '2024-01-01'::date BETWEEN '2023-12-31' AND '2024-01-02'
SELECT date '2024-01-01' = timestamp '2024-01-01 00:00', date '2024-01-01' < timestamptz '2024-01-01 00:00:01+00'
