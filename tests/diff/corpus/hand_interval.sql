-- hand_interval.sql — interval input syntaxes, output style (postgres), arithmetic, justify, overflow.
SELECT '1 year 13 months'::interval, '25 hours'::interval, '-1 day +1 hour'::interval
SELECT '1.5 days'::interval, '1.5 months'::interval, '0.1 year'::interval
SELECT 'P1Y2M3DT4H5M6.5S'::interval, 'PT0.5S'::interval, 'P0001-02-03T04:05:06'::interval
SELECT '@ 1 day 2 hours ago'::interval, '1 day ago'::interval
SELECT '1:2'::interval, '1:2:3.456789'::interval, '-1:00'::interval, '100:00:00'::interval
SELECT '1 millisecond'::interval, '1 microsecond'::interval, '1000000 microseconds'::interval
SELECT '1 week 1 day'::interval, '1 decade'::interval, '1 century'::interval, '1 millennium'::interval
SELECT '2147483647 days'::interval
SELECT '2147483648 days'::interval
SELECT '178000000 years'::interval
SELECT '178956971 years'::interval
SELECT interval '1 day' * 1.5, interval '1 month' / 2, interval '1 month' * 0.5
SELECT interval '1 day' / 0
SELECT interval '1 hour' * 'NaN'::float8
SELECT interval '2 days' - interval '36 hours', interval '1 mon' - interval '30 days'
SELECT interval '1 mon' = interval '30 days', interval '1 day' = interval '24 hours'
SELECT interval '1 mon' > interval '29 days', interval '1 year' < interval '360 days'
SELECT justify_hours(interval '50 hours'), justify_days(interval '35 days'), justify_interval(interval '1 mon -1 hour')
SELECT -interval '1 day 02:00', abs(-2) * interval '1 minute'
SELECT interval '1 day' + time '12:00', interval '1 year' + date '2024-02-29'
SELECT interval '1 year 2 months 3 days 04:05:06' :: text
SELECT interval(0) '1.7 seconds', '1.75 seconds'::interval(1)
SELECT interval '1' year, interval '2' month, interval '1:30' minute to second, interval '5' day
SELECT interval '1 2:03' day to minute, interval '1-2' year to month
SELECT sum(x) FROM (VALUES (interval '1 day'), (interval '-1 day')) v(x)
SELECT avg(x) FROM (VALUES (interval '1 day'), (interval '1 hour')) v(x)
SELECT extract(epoch from interval '1 month'), extract(epoch from interval '1 year')
SELECT extract(day from interval '40 days'), extract(month from interval '14 months')
SELECT date_part('hour', interval '-25 hours')
SELECT '1 yearx'::interval
SELECT '1 day 2 days'::interval
SELECT ''::interval
SELECT 'infinity'::interval
