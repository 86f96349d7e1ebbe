--
-- date, time, timestamp, timestamptz and interval: text input in its many
-- forms, output in every DateStyle and IntervalStyle, time zones (DST gaps
-- and overlaps, POSIX specs, fixed offsets), arithmetic, comparisons, casts,
-- typmods and PostgreSQL's errors.
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, MDY';
SET IntervalStyle = 'postgres';
-- date input
SELECT '2020-01-05'::date AS iso, 'Jan 5 2020'::date AS mon_first, '5 Jan 2020'::date AS day_first,
       'January 5, 2020'::date AS long, '20200105'::date AS compact, '1/2/20'::date AS mdy,
       '0044-03-15 BC'::date AS bc, 'J2451545'::date AS julian, '17-Dec-1997'::date AS dashed,
       '1997.12.17'::date AS dotted;
SELECT 'infinity'::date AS inf, '-infinity'::date AS ninf, 'epoch'::date AS epoch,
       '5874897-12-31'::date AS max, '4714-11-24 BC'::date AS min;
SELECT 'x'::date;
SELECT ''::date;
SELECT '2020-13-01'::date;
SELECT '2020-02-30'::date;
SELECT '13/25/2020'::date;
SELECT '5874898-01-01'::date;
SELECT '4714-11-23 BC'::date;
SELECT '0000-01-01'::date;
-- timestamp input
SELECT '2020-01-02 03:04:05.1234567'::timestamp AS rounded, '2020-01-02T03:04:05'::timestamp AS t,
       'Wed Dec 17 07:37:16 1997'::timestamp AS pg_style, '12/17/1997 07:37:16.00'::timestamp AS sql_style,
       '2020-12-31 23:59:60'::timestamp AS leap, '2020-01-02 24:00:00'::timestamp AS midnight,
       '19971217 073716'::timestamp AS compact, '1997-12-17 07:37:16 BC'::timestamp AS bc;
SELECT '294276-12-31 23:59:59.999999'::timestamp AS max, '4714-11-24 00:00:00 BC'::timestamp AS min,
       'infinity'::timestamp AS inf, ' -infinity '::timestamp AS ninf, 'epoch'::timestamp AS epoch;
SELECT '294277-01-01'::timestamp;
SELECT '2020-01-01 25:00'::timestamp;
SELECT 'now x'::timestamp;
SELECT '2020-01-02 03:04:05 PM'::timestamp;
-- timestamptz input: offsets, abbreviations, zone names
SELECT '1997-12-17 07:37:16-08'::timestamptz AS off, '2020-01-01 10:00 +0530'::timestamptz AS hhmm,
       '2020-01-01 10:00:00+05:30:15'::timestamptz AS hhmmss, '2020-01-02T03:04:05Z'::timestamptz AS z,
       'Wed Dec 17 07:37:16 1997 PST'::timestamptz AS abbrev, '2020-01-01 10:00 CET'::timestamptz AS cet,
       '2020-01-01 10:00 America/New_York'::timestamptz AS named, 'epoch'::timestamptz AS epoch;
SELECT '2020-01-01 10:00 +16'::timestamptz;
SELECT '2020-01-01 10:00 foo/bar'::timestamptz;
SELECT '2020-01-01 10:00 foo'::timestamptz;
-- time input
SELECT '24:00:00'::time AS t24, '23:59:59.9999999'::time AS round_up, '10:00 PM'::time AS pm,
       '12:00 AM'::time AS am, '04:05'::time AS hm, 'allballs'::time AS allballs,
       '2020-01-01 10:00'::time AS with_date, '10:00:00+05'::time AS with_offset;
SELECT '24:00:01'::time;
SELECT '13:00 PM'::time;
SELECT '10:00 Europe/Paris'::time;
-- interval input
SELECT '1 year 2 mons 3 days 04:05:06.5'::interval AS pg, '@ 1 minute ago'::interval AS verbose,
       'P1Y2M3DT4H5M6.5S'::interval AS iso, '1-2'::interval AS ym, '-1-2'::interval AS neg_ym,
       '3 4:05:06'::interval AS day_time, '1:2'::interval AS hm, '10'::interval AS secs,
       '.5 hours'::interval AS frac, '1 day 2'::interval AS trailing;
SELECT '1.5 years 1.5 months 1.5 weeks 1.5 days'::interval AS fractions, '1.01 years'::interval AS tiny,
       '2 decades'::interval AS decades, '1.5 centuries'::interval AS centuries,
       '1 w 2 d 3 h 4 m 5 s'::interval AS short, '1day'::interval AS nospace, 'P1W'::interval AS weeks,
       'PT-1H'::interval AS neg_iso, '-1 day ago'::interval AS ago, '2147483647 days'::interval AS maxday;
SELECT '9223372036854775807 usec'::interval AS max_usec, '-1 2:03'::interval AS mixed,
       '1:2:3.5'::interval AS hms, '100:00'::interval AS hours;
-- units carry leftwards (after hours, the unit becomes days); each field once
SELECT '13 5 hour'::interval AS a, '5 day ago 3'::interval AS b, '1-2 3 year'::interval AS c,
       '17:05 1.47 week'::interval AS spill_dropped, '1.5 days 10:00'::interval AS spill_kept,
       '1 sec 3 ms'::interval AS d;
SELECT '47 ago'::interval;
SELECT '1 day 1 day'::interval;
SELECT '1.5 sec 3 ms'::interval;
SELECT '1-2 3 mon'::interval;
SELECT '-.3 ms'::interval;
SELECT 'x'::interval;
SELECT '1 foo'::interval;
SELECT '1 2 3'::interval;
SELECT '99999999999 years'::interval;
SELECT '2147483648 days'::interval;
SELECT '1:60'::interval;
SELECT 'P'::interval;
-- interval typmods
SELECT interval '1' day AS d, interval '1' hour AS h, interval '1:2' minute to second AS ms,
       interval '1 day 2 hours 3 minutes' day to hour AS dh, interval '1.2345 sec'::interval(2) AS p2,
       interval(2) '1.2345 sec' AS p2b, interval '1' year AS y, interval '1-2' year to month AS ytm,
       interval '1 2' day to hour AS d2h, interval '1 year 14 months' month AS mon;
-- output styles
SET DateStyle = 'SQL, DMY';
SELECT '2020-01-02'::date AS d, '2020-01-02 03:04:05.5'::timestamp AS ts,
       '2020-01-02 03:04:05+00'::timestamptz AS tstz, '1/2/2020'::date AS dmy_input;
SET DateStyle = 'Postgres, MDY';
SELECT '2020-01-02'::date AS d, '2020-01-02 03:04:05.5'::timestamp AS ts,
       '2020-01-02 03:04:05+00'::timestamptz AS tstz, '0044-03-15 BC'::timestamp AS bc;
SET DateStyle = 'German';
SELECT '2020-01-02'::date AS d, '2020-01-02 03:04:05.5'::timestamp AS ts, '2.1.2020'::date AS input;
SET DateStyle = 'ISO, YMD';
SELECT '20-01-02'::date AS ymd, '1/2/3'::date AS short;
SET DateStyle = 'ISO, MDY';
SET IntervalStyle = 'postgres_verbose';
SELECT interval '1 year 2 mons 3 days 04:05:06.5' AS a, interval '-1 day 2 hours' AS b,
       interval '-1 sec' AS c, interval '0' AS d, interval '1 day -1 sec' AS e;
SET IntervalStyle = 'sql_standard';
SELECT interval '1 year 2 mons' AS a, interval '3 days 04:05:06.5' AS b, interval '-1 year -2 mons' AS c,
       interval '1 year 2 days' AS d, interval '0' AS e, interval '-3 days -04:05:06' AS f,
       interval '-1 day 2 hours' AS g;
SELECT interval '-1 2:03' AS a, interval '-1-2' AS b, interval '@ -5.23 years .1sec .3 mons' AS c;
SET IntervalStyle = 'iso_8601';
SELECT interval '1 year 2 mons 3 days 04:05:06.5' AS a, interval '0' AS b, interval '-0.5 sec' AS c,
       interval '1 day -1 hours' AS d;
SET IntervalStyle = 'postgres';
SELECT interval '0' AS a, interval '-1 hours' AS b, interval '1 year -1 mons' AS c,
       interval '-1 year 2 mons -3 days +04:00' AS d, interval '100 hours' AS e,
       interval '-0.000001 sec' AS f, interval '-3 days -04:05:06.789' AS g;
-- time zones
SET TimeZone = 'America/New_York';
SELECT '2021-11-07 01:30:00'::timestamptz AS overlap, '2021-03-14 02:30:00'::timestamptz AS gap,
       '2021-11-07 00:30'::timestamptz + interval '1 day' AS plus_day,
       '2021-03-13 12:00'::timestamptz + interval '24 hours' AS plus_24h,
       '2021-03-13 12:00'::timestamptz + interval '1 day' AS plus_1d;
SELECT '2020-07-01 12:00'::timestamp::timestamptz AS ts_tstz, '2020-07-01 12:00+00'::timestamptz::timestamp AS tstz_ts,
       '2020-07-01 02:00+00'::timestamptz::date AS tstz_date, '2020-07-01 02:00+00'::timestamptz::time AS tstz_time,
       '2020-07-01'::date::timestamptz AS date_tstz;
SELECT '2020-07-01 12:00'::timestamp = '2020-07-01 16:00+00'::timestamptz AS ts_eq,
       '2020-07-01'::date = '2020-07-01 04:00+00'::timestamptz AS date_eq;
SET DateStyle = 'SQL, MDY';
SELECT '2020-07-01 12:00+00'::timestamptz AS summer, '2020-01-01 12:00+00'::timestamptz AS winter;
SET DateStyle = 'ISO, MDY';
SET TimeZone = 'Europe/Moscow';
SELECT '2014-10-26 01:30:00'::timestamptz AS overlap, '2011-03-27 02:30'::timestamptz AS gap,
       '1900-01-01'::timestamptz AS lmt;
SET TimeZone = 'Australia/Lord_Howe';
SELECT '2021-04-04 01:45:00'::timestamptz AS half_hour_dst;
SET TimeZone = 'Europe/Paris';
SELECT '2100-07-01 00:00+00'::timestamptz AS future_summer, '2100-01-01 00:00+00'::timestamptz AS future_winter,
       '1850-01-01'::timestamptz AS lmt;
SET TIME ZONE 5.5;
SHOW TimeZone;
SELECT '2020-01-01 00:00+00'::timestamptz AS fixed;
SET TIME ZONE INTERVAL '-03:00' HOUR TO MINUTE;
SHOW TimeZone;
SELECT '2020-01-01 00:00+00'::timestamptz AS fixed;
SET TIME ZONE '+05:30';
SELECT '2020-01-01 00:00+00'::timestamptz AS posix_sign;
SET TimeZone = 'EST5EDT';
SELECT '2020-07-01 00:00+00'::timestamptz AS summer, '2020-01-01 00:00+00'::timestamptz AS winter;
SET TimeZone = 'america/new_york';
SHOW TimeZone;
SET TimeZone = 'Etc/GMT+3';
SELECT '2020-07-01 00:00+00'::timestamptz AS etc;
SET TimeZone = 'xx';
SET TimeZone = 'right/UTC';
SET TimeZone = 'Europe//Paris';
SET TIME ZONE 169;
SET TIME ZONE INTERVAL '1 day';
SET TimeZone = 'UTC';
-- arithmetic
SELECT '2020-01-01'::date + 1 AS plus, 1 + '2020-01-01'::date AS plus_left, '2020-01-01'::date - 1 AS minus,
       '2020-03-01'::date - '2020-01-01'::date AS diff, '2020-01-01'::date + '10:30'::time AS date_time,
       '10:30'::time + '2020-01-01'::date AS time_date;
SELECT '2020-01-31'::date + interval '1 month' AS end_of_month,
       '2020-01-31'::timestamp + interval '1 month 1 day 1 hour' AS mdh,
       '2020-02-29'::date - interval '1 year' AS leap_back;
SELECT '2020-01-02 10:00'::timestamp - '2020-01-01 09:00:00.5'::timestamp AS a,
       '2020-01-01'::timestamp - '2021-03-04 05:06'::timestamp AS b,
       '2020-01-01 10:00:00'::timestamptz - '2019-12-31 11:30'::timestamptz AS c;
SELECT '10:00'::time - '12:30'::time AS a, '10:00'::time + interval '15 hours' AS b,
       '10:00'::time - interval '11 hours' AS c, interval '25:00:00'::time AS d;
SELECT interval '1 day' + interval '2 hours' AS a, interval '1 day' - interval '2 hours' AS b,
       - interval '1 year 2 days 03:00' AS c, interval '1 month' * 1.5 AS d,
       interval '1 day' * 0.3333 AS e, 2 * interval '1 hour 30 min' AS f, interval '1 mon' / 7 AS g;
SELECT interval '1 year' / 0;
SELECT interval '1 year' * 1e300;
SELECT 'infinity'::timestamp + interval '1 day' AS a, '-infinity'::timestamptz - interval '1 year' AS b,
       'infinity'::date + 1 AS c;
SELECT '2020-01-01'::date + 2147483647;
SELECT '294276-12-31'::timestamp + interval '1 day';
SELECT '2020-01-01'::timestamp - 'infinity'::timestamp;
SELECT '2020-01-01'::date - 'infinity'::date;
-- comparisons
SELECT interval '1 mon' = interval '30 days' AS a, interval '1 day' = interval '24 hours' AS b,
       interval '1 day' < interval '25 hours' AS c, interval '-1 day' > interval '1 hour' AS d,
       interval '1 mon' > interval '29 days 23:59:59' AS e;
SELECT '2020-01-01'::date < '2020-01-01 00:00:01'::timestamp AS a,
       '2020-01-01'::date = '2020-01-01'::timestamp AS b,
       '2020-01-01 00:00'::timestamptz = '2020-01-01'::date AS c,
       '2020-01-01 00:00'::timestamp = '2020-01-01 00:00+00'::timestamptz AS d,
       'infinity'::date > '2020-01-01'::timestamp AS e, '10:00'::time < '10:00:01'::time AS f;
-- casts and typmods
SELECT '2020-01-01 10:00:00.123456'::timestamp(2) AS a, '2020-01-01 10:00:00.125'::timestamp(2) AS b,
       '10:00:00.5'::time(0) AS c, '2020-01-01 10:00:00.5+00'::timestamptz(0) AS d,
       '23:59:59.9'::time(0) AS e;
SELECT '2020-06-01 10:00'::timestamp::date AS a, '2020-06-01 10:00'::timestamp::time AS b,
       '2020-06-01'::date::timestamp AS c, '10:11'::time::interval AS d,
       'infinity'::timestamp::date AS e, '-infinity'::date::timestamp AS f,
       'infinity'::timestamp::time AS g;
SELECT date '2020-01-01' AS d, time '10:00' AS t, timestamp '2020-01-01 10:00' AS ts,
       timestamp with time zone '2020-01-01 10:00' AS tstz, '2020-01-01'::date::text AS txt,
       '10:00'::text::time AS from_text, cast(timestamp '2020-01-01 10:00' AS date) AS to_date;
SELECT '2020-01-01'::date + 1.5;
SELECT '2020-01-01'::timestamp + '2020-01-01'::date;
SELECT '10:00'::time(-1);
SELECT '10:00:00.1234567'::time(7) AS t7, '1.1234567 sec'::interval(8) AS i8,
       '2020-01-01 10:00:00.1234567+00'::timestamptz(9) AS tz9;
-- special values relative to the transaction start
SELECT 'tomorrow'::date - 'yesterday'::date AS two_days, 'now'::timestamptz = now() AS now_is_now,
       'today'::date = current_date AS today;
BEGIN;
SELECT 'now'::timestamptz = now() AS same_in_txn;
COMMIT;
