-- hand_tz.sql — timestamptz: offsets, zone names, AT TIME ZONE, DST gaps, the session zone (UTC).
SELECT '2024-01-01 00:00:00+05:30'::timestamptz
SELECT '2024-01-01 00:00:00-08'::timestamptz, '2024-01-01 00:00:00 PST'::timestamptz
SELECT '2024-07-01 12:00 Europe/Paris'::timestamptz, '2024-01-01 12:00 Europe/Paris'::timestamptz
SELECT '2024-03-10 02:30 America/New_York'::timestamptz
SELECT '2024-11-03 01:30 America/New_York'::timestamptz
SELECT '2024-01-01 00:00 Nowhere/City'::timestamptz
SELECT '2024-01-01 00:00+15:59'::timestamptz
SELECT '2024-01-01 00:00+16'::timestamptz
SELECT '2024-01-01 00:00:00 UTC+3'::timestamptz, '2024-01-01 00:00:00 GMT'::timestamptz
SELECT timestamptz '2024-01-01 12:00+00' AT TIME ZONE 'Asia/Tokyo'
SELECT timestamp '2024-01-01 12:00' AT TIME ZONE 'Asia/Tokyo'
SELECT timestamptz '2024-06-01 12:00+00' AT TIME ZONE 'America/Los_Angeles'
SELECT timestamptz '2024-06-01 12:00+00' AT TIME ZONE '+05:30', timestamptz '2024-06-01 12:00+00' AT TIME ZONE 'UTC-2'
SELECT timestamptz '2024-06-01 12:00+00' AT TIME ZONE INTERVAL '-03:00'
SELECT timestamptz '2024-06-01 12:00+00' AT TIME ZONE 'Mars/Base'
SELECT timezone('Europe/Berlin', timestamptz '2024-03-31 01:30+00'), timezone('Europe/Berlin', timestamptz '2024-03-31 00:30+00')
SELECT timestamptz '2024-03-09 12:00 America/New_York' + interval '1 day'
SELECT timestamptz '2024-01-01 00:00+00' - timestamptz '2023-12-31 23:00-05'
SELECT timestamptz '2024-01-01 00:00+00' = timestamp '2024-01-01 00:00'
SELECT timestamptz '2024-01-01 00:00+02'::date, timestamptz '2024-01-01 00:00+02'::time
SELECT timestamptz '2024-01-01 00:00+02'::timestamp, timestamp '2024-01-01 00:00'::timestamptz
SELECT date '2024-01-01'::timestamptz
SELECT date_trunc('day', timestamptz '2024-01-01 23:30-05')
SELECT date_trunc('day', timestamptz '2024-07-01 12:00+00', 'Australia/Sydney')
SELECT extract(hour from timestamptz '2024-01-01 23:30-05'), extract(epoch from timestamptz '2024-01-01 00:00+01')
SELECT to_char(timestamptz '2024-01-01 00:00+01', 'YYYY-MM-DD HH24:MI:SS TZ TZH:TZM')
SELECT 'infinity'::timestamptz, '-infinity'::timestamptz AT TIME ZONE 'UTC'
SELECT '1900-01-01 00:00 Europe/Amsterdam'::timestamptz
SELECT '2038-01-19 03:14:08+00'::timestamptz + interval '100 years'
SELECT make_timestamptz(2024, 1, 1, 12, 0, 0, 'Asia/Kolkata')
SELECT '2024-01-01 12:00:00.123456789+00'::timestamptz
SELECT timestamptz '2024-01-01 00:00 EST5EDT', timestamptz '2024-07-01 00:00 EST5EDT'
