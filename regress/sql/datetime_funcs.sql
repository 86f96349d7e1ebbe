--
-- Date/time functions: the clock, extract/date_part, date_trunc, date_bin,
-- make_* (named arguments too), to_timestamp, age, justify_*, isfinite,
-- OVERLAPS, AT TIME ZONE, to_char, to_number, to_timestamp(text, text),
-- to_date. Fixed values only (the clock is tested through its properties).
--
-- the clock
SELECT now() = current_timestamp AS same, now() = transaction_timestamp() AS txn,
       current_date = now()::date AS today, localtimestamp = now()::timestamp AS local;
BEGIN;
SELECT now() AS t1 \gset
SELECT pg_sleep(0.01);
SELECT now() = :'t1'::timestamptz AS now_is_constant,
       statement_timestamp() > :'t1'::timestamptz AS statement_moves,
       clock_timestamp() > now() AS clock_moves;
COMMIT;
SELECT date_trunc('second', current_timestamp(0)) = current_timestamp(0) AS whole_seconds,
       date_trunc('second', localtimestamp(2)) <= localtimestamp(2) AS p2,
       extract(microseconds FROM localtime(0)) % 1000000 = 0 AS lt;
SELECT length(timeofday()) > 20 AS has_timeofday;
SELECT current_timestamp(7) IS NOT NULL AS ts7, localtime(8) IS NOT NULL AS t8;
-- extract returns numeric, date_part double precision
SELECT extract(epoch FROM timestamp '2020-01-01 00:00:01.5') AS epoch,
       extract(second FROM timestamp '2020-01-01 00:00:01.5') AS sec,
       extract(millisecond FROM timestamp '2020-01-01 00:00:01.5') AS ms,
       extract(microseconds FROM timestamp '2020-01-01 00:00:01.5') AS us,
       extract(julian FROM timestamp '2020-01-01 12:00') AS julian;
SELECT extract(year FROM d), extract(quarter FROM d), extract(month FROM d), extract(week FROM d),
       extract(doy FROM d), extract(dow FROM d), extract(isodow FROM d), extract(isoyear FROM d),
       extract(decade FROM d), extract(century FROM d), extract(millennium FROM d),
       extract(julian FROM d), extract(epoch FROM d)
  FROM (VALUES (date '2021-01-03'), (date '2020-12-31'), (date '0001-01-01 BC'),
               (date '0044-03-15 BC'), (date '2000-01-01'), (date '2001-01-01')) AS v(d);
SELECT date_part('year', d), date_part('hour', d), date_part('epoch', d), date_part('dow', d)
  FROM (VALUES (date '2021-01-03'), (date 'infinity'), (date '-infinity')) AS v(d);
SELECT extract(epoch FROM interval '1 year 2 days 3.5 seconds') AS epoch,
       extract(month FROM interval '14 months') AS mon,
       extract(year FROM interval '-14 months') AS yr,
       extract(century FROM interval '300 years') AS cent,
       extract(quarter FROM interval '5 months') AS q,
       extract(hour FROM interval '50 hours 3 minutes') AS h,
       extract(epoch FROM interval '3 years') AS e3,
       date_part('epoch', interval '-3 years 1 mon') AS e4;
SELECT extract(hour FROM time '13:14:15.5'), extract(epoch FROM time '13:14:15.5'),
       extract(millisecond FROM time '13:14:15.5'), date_part('second', time '13:14:15.5');
-- units: 10-character truncation, aliases, errors
SELECT date_part('millisecondxyz', timestamp '2020-01-01 00:00:01.5') AS ms,
       date_part('MM', timestamp '2020-01-01 00:07:01.5') AS minute_alias,
       date_part('jd', timestamp '2020-01-01 12:00') AS jd,
       date_part('Y', timestamp '2020-01-01') AS y,
       date_part('msecs', timestamp '2020-01-01 00:00:02') AS msecs;
SELECT date_part('foo', timestamp '2020-01-01');
SELECT date_part('now', timestamp '2020-01-01');
SELECT date_part('jan', timestamp '2020-01-01');
SELECT extract(timezone FROM timestamp '2020-01-01');
SELECT extract(hour FROM date '2020-01-01');
SELECT extract(day FROM time '01:00');
SELECT extract(now FROM time '01:00');
SELECT extract(dow FROM interval '1 day');
SELECT extract(foo FROM interval '1 day');
-- infinities
SELECT extract(year FROM timestamp 'infinity') AS y, extract(epoch FROM timestamp '-infinity') AS e,
       extract(hour FROM timestamp 'infinity') AS h, date_part('year', timestamp 'infinity') AS py,
       date_part('timezone', timestamp 'infinity') AS tz, extract(julian FROM date '-infinity') AS j;
SELECT date_part('foo', timestamp 'infinity');
SELECT extract(now FROM date 'infinity');
-- date_trunc
SELECT date_trunc('millennium', timestamp '0005-01-01 BC') AS mil_bc,
       date_trunc('century', timestamp '0005-01-01 BC') AS cent_bc,
       date_trunc('decade', timestamp '0005-01-01 BC') AS dec_bc,
       date_trunc('millennium', timestamp '2000-01-01') AS mil,
       date_trunc('century', timestamp '2000-01-01') AS cent,
       date_trunc('decade', timestamp '2009-12-31') AS dec;
SELECT date_trunc('week', timestamp '2021-01-02 10:00') AS wk, date_trunc('quarter', timestamp '2021-08-15') AS q,
       date_trunc('hour', timestamp '2021-08-15 10:11:12.13') AS h,
       date_trunc('milliseconds', timestamp '2021-08-15 10:11:12.123456') AS ms,
       date_trunc('foo', timestamp 'infinity') AS inf;
SELECT date_trunc('foo', timestamp '2020-01-01');
SELECT date_trunc('epoch', timestamp '2020-01-01');
SELECT date_trunc('dow', timestamp '2020-01-01');
SELECT date_trunc('year', interval '1 year 5 mons 3 days') AS y,
       date_trunc('hour', interval '3 days 04:05:06.789') AS h,
       date_trunc('quarter', interval '-1 year -5 mons') AS q,
       date_trunc('milliseconds', interval '1.23456 s') AS ms;
SELECT date_trunc('week', interval '1 day');
SELECT date_trunc('day', timestamptz '2021-11-07 06:30+00', 'America/New_York') AS ny,
       date_trunc('hour', timestamptz '2021-11-07 06:30+00', 'Asia/Kolkata') AS kolkata,
       date_trunc('day', timestamptz '2021-11-07 06:30+00', 'EST') AS est;
SELECT date_trunc('day', timestamptz '2021-11-07 06:30+00', 'Mars/Olympus');
-- date_bin
SELECT date_bin('15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01') AS b1,
       date_bin('1 hour', timestamp '2000-01-01 00:30', timestamp '2000-01-01 01:00') AS before_origin,
       date_bin('1 day', timestamptz '2020-02-11 15:44:17+00', timestamptz '2001-01-01 06:00+00') AS b3;
SELECT date_bin('1 month', timestamp '2000-01-01 00:30', timestamp '2000-01-01 01:00');
SELECT date_bin('0 hour', timestamp '2000-01-01 00:30', timestamp '2000-01-01 01:00');
SELECT date_bin('1 hour', timestamp '2000-01-01 00:30', timestamp 'infinity');
-- constructors
SELECT make_date(2020, 2, 29), make_date(-44, 3, 15), make_time(23, 59, 59.999999), make_time(24, 0, 0);
SELECT make_date(-44, 2, 30);
SELECT make_date(0, 2, 3);
SELECT make_date(2021, 2, 29);
SELECT make_time(25, 0, 0);
SELECT make_time(1, 2, 61.5);
SELECT make_timestamp(2020, 2, 29, 1, 2, 3.5), make_timestamp(-44, 3, 15, 12, 0, 0);
SELECT make_timestamp(-44, 2, 30, 1, 2, 3.5);
SELECT make_timestamptz(2020, 1, 1, 0, 0, 0, '+05') AS plus5,
       make_timestamptz(2020, 1, 1, 0, 0, 0, 'EST') AS est,
       make_timestamptz(2020, 1, 1, 0, 0, 0, 'America/New_York') AS ny,
       make_timestamptz(2020, 7, 1, 0, 0, 0, 'Europe/Berlin') AS berlin;
SELECT make_timestamptz(2020, 1, 1, 0, 0, 0, '5');
SELECT make_timestamptz(2020, 1, 1, 0, 0, 0, 'Foo/Bar');
SELECT make_interval(), make_interval(1), make_interval(1, 2, 3, 4, 5, 6, 7.5), make_interval(0, 0, 0, 0, 0, 0, -1.25);
-- named arguments
SELECT make_interval(days => 3) AS d, make_interval(1, secs => 2.5) AS s, make_interval(hours := 2) AS h,
       make_date(2020, day => 2, month => 3) AS md, make_time(sec => 1.5, min => 2, hour => 3) AS mt;
SELECT make_interval(foo => 1);
SELECT make_interval(days => 1, days => 2);
SELECT make_interval(days => 1, 2);
SELECT make_interval(1, years => 2);
SELECT make_date(year => 2020, month => 1);
SELECT to_timestamp(1284352323.5) AS t1, to_timestamp(0) AS t0, to_timestamp('-infinity'::float8) AS ninf;
SELECT to_timestamp(1e300);
SELECT to_timestamp('NaN'::float8);
-- age, justify_*, isfinite
SELECT age(timestamp '2001-04-10', timestamp '1957-06-13') AS a1,
       age(timestamp '1957-06-13', timestamp '2001-04-10') AS a2,
       age(timestamp '2020-03-01', timestamp '2020-01-31') AS a3,
       age(timestamp '2020-01-31', timestamp '2020-03-01 12:00:00.5') AS a4,
       age(timestamptz '2001-04-10', timestamptz '1957-06-13') AS a5;
SELECT age(timestamp 'infinity', timestamp '2000-01-01'), age(timestamp '2000-01-01', timestamp 'infinity'),
       age(timestamptz 'infinity', timestamptz '2000-01-01');
SELECT age(timestamp '2000-01-01', timestamp '-infinity');
SELECT age(current_date::timestamp) = interval '0' AS age_of_today;
SELECT justify_days(interval '35 days') AS d1, justify_days(interval '-35 days') AS d2,
       justify_days(interval '1 mon -35 days') AS d3, justify_hours(interval '27 hours') AS h1,
       justify_hours(interval '-27 hours') AS h2, justify_hours(interval '1 day -27 hours') AS h3;
SELECT justify_interval(interval '1 mon -1 hour') AS i1, justify_interval(interval '-1 mon 1 hour') AS i2,
       justify_interval(interval '65 days 30 hours') AS i3;
SELECT isfinite(date '2020-01-01'), isfinite(date 'infinity'), isfinite(timestamp '-infinity'),
       isfinite(timestamptz '2020-01-01'), isfinite(interval '1 day');
-- AT TIME ZONE
SELECT timestamp '2020-01-01 12:00' AT TIME ZONE '+05' AS posix_sign,
       timestamptz '2020-01-01 12:00+00' AT TIME ZONE '+05' AS posix_sign2,
       timestamptz '2020-01-01 12:00+00' AT TIME ZONE 'EST' AS est,
       timestamp '2020-01-01' AT TIME ZONE interval '05:30' AS ival;
SELECT timestamp '2021-03-28 02:30' AT TIME ZONE 'Europe/Berlin' AS berlin_gap,
       timestamp '2021-10-31 02:30' AT TIME ZONE 'Europe/Berlin' AS berlin_overlap,
       timestamp '2021-03-14 02:30' AT TIME ZONE 'America/New_York' AS ny_gap,
       timestamp '2021-11-07 01:30' AT TIME ZONE 'America/New_York' AS ny_overlap;
SELECT timestamptz '2021-03-28 01:30+00' AT TIME ZONE 'Europe/Berlin' AS berlin,
       timestamptz '2021-11-07 06:30+00' AT TIME ZONE 'America/New_York' AS ny,
       timezone('UTC', timestamp 'infinity') AS inf;
SELECT timestamp '2020-01-01' AT TIME ZONE 'foo';
SELECT timestamp '2020-01-01' AT TIME ZONE interval '1 day';
-- OVERLAPS (not strict)
SELECT (date '2001-02-16', date '2001-12-21') OVERLAPS (date '2001-10-30', date '2002-10-30') AS a,
       (date '2001-02-16', interval '100 days') OVERLAPS (date '2001-10-30', date '2002-10-30') AS b,
       (date '2001-10-29', date '2001-10-30') OVERLAPS (date '2001-10-30', date '2001-10-31') AS c,
       (timestamp '2001-01-01', null::timestamp) OVERLAPS (timestamp '2000-01-01', timestamp '2002-01-01') AS d,
       (timestamp '2001-01-01', null::interval) OVERLAPS (timestamp '2001-01-01', timestamp '2002-01-01') AS e,
       (time '23:00', interval '2 hours') OVERLAPS (time '00:30', time '00:45') AS f;
SELECT (1, 2) OVERLAPS (3, 4);
-- the session's zone governs timestamptz functions
SET TIME ZONE 'America/New_York';
SELECT date_trunc('day', timestamptz '2021-11-07 12:30+00') AS day_fall_back,
       date_trunc('hour', timestamptz '2021-11-07 06:30+00') AS hour_fall_back,
       date_trunc('month', timestamptz '2021-03-14 12:00+00') AS month;
SELECT extract(timezone FROM timestamptz '2021-07-01 12:00+00') AS tz,
       extract(timezone_hour FROM timestamptz '2021-07-01 12:00+00') AS tzh,
       extract(timezone_minute FROM timestamptz '2021-07-01 12:00+00') AS tzm,
       extract(hour FROM timestamptz '2021-07-01 12:00+00') AS h,
       extract(epoch FROM timestamptz '2021-07-01 12:00+00') AS e;
SELECT make_timestamptz(2021, 3, 14, 2, 30, 0) AS gap, make_timestamptz(2021, 11, 7, 1, 30, 0) AS overlap,
       age(timestamptz '2021-11-08', timestamptz '2021-11-06 12:00') AS age;
SELECT to_char(timestamptz '2021-07-01 12:00+00', 'YYYY-MM-DD HH24:MI:SS TZ OF TZH TZM tz') AS summer,
       to_char(timestamptz '2021-01-01 12:00+00', 'YYYY-MM-DD HH24:MI:SS TZ OF') AS winter;
SELECT to_timestamp('2021-03-14 02:30', 'YYYY-MM-DD HH24:MI') AS gap,
       to_timestamp('2021-11-07 01:30', 'YYYY-MM-DD HH24:MI') AS overlap;
SET TIME ZONE 'Asia/Kolkata';
SELECT extract(timezone_minute FROM timestamptz '2021-07-01 12:00+00') AS tzm,
       to_char(timestamptz '2021-07-01 12:00+00', 'TZ OF TZH:TZM') AS tc,
       date_trunc('hour', timestamptz '2021-07-01 12:00+00') AS h;
SET TIME ZONE 'Europe/Berlin';
SELECT date_trunc('day', timestamptz '2021-03-28 12:00+00') AS spring,
       date_trunc('day', timestamptz '2021-10-31 12:00+00') AS autumn,
       to_char(timestamptz '2021-10-31 00:30+00', 'HH24:MI TZ OF') AS cest,
       to_char(timestamptz '2021-10-31 01:30+00', 'HH24:MI TZ OF') AS cet;
RESET TIME ZONE;
-- to_char: date/time patterns
SELECT to_char(timestamp '2021-03-04 05:06:07.891234',
               'YYYY|YYY|YY|Y|Y,YYY|IYYY|IYY|IY|I|CC|Q|MM|Mon|MON|mon|Month|MONTH|month|RM|rm|WW|IW|W|DDD|IDDD|DD|D|ID|J') AS d;
SELECT to_char(timestamp '2021-03-04 05:06:07.891234',
               'HH|HH12|HH24|MI|SS|MS|US|FF1|FF2|FF3|FF4|FF5|FF6|SSSS|SSSSS|AM|am|A.M.|p.m.|AD|bc|B.C.|Day|DAY|day|Dy|DY|dy') AS t;
SELECT to_char(timestamp '2021-03-04 05:06:07.005', 'FMMonth|FMDay|FMDD|FMHH12|FMMS|FMUS|TMMonth|FMTMMonth|FMx|TZ|OF') AS fm,
       to_char(timestamp '2021-11-11 13:06:07', 'DDth MMth HH12th HH24th FMHHth Dth Jth YYYYth') AS th;
SELECT to_char(timestamp '2021-03-04 05:06:07', 'FMx "quoted\" text" \"  \\ YYYY\"') AS quoting,
       to_char(timestamp '2021-03-04 05:06:07', '') IS NULL AS empty_is_null,
       to_char(timestamp 'infinity', 'YYYY') IS NULL AS infinity_is_null;
SELECT to_char(timestamp '0044-03-15 BC', 'YYYY YYY YY Y Y,YYY CC IYYY BC AD FMYYYY') AS bc,
       to_char(timestamp '12345-01-01', 'YYYY Y,YYY CC') AS big;
SELECT to_char(timestamp '2020-12-31 23:59:59', 'IYYY-IW-ID WW DDD IDDD J Q') AS end_2020,
       to_char(timestamp '2021-01-01', 'IYYY-IW-ID WW DDD IDDD') AS start_2021,
       to_char(timestamp '2020-02-29', 'Day DD Month YYYY') AS leap;
SELECT to_char(timestamp '2020-01-01 00:00:00', 'HH12 AM HH PM') AS midnight,
       to_char(timestamp '2020-01-01 12:00:00', 'HH12 AM HH PM a.m.') AS noon;
SELECT to_char(interval '3 days 04:05:06.789', 'DD HH HH12 HH24 MI SS MS US DDD') AS iv,
       to_char(interval '-4 hours', 'HH HH12 FMHH24th') AS neg,
       to_char(interval '3 mons', 'FMRM.') AS rm;
SELECT to_char(interval '0', 'WW HH24 FMDDth IYYY pm HH') AS zero,
       to_char(interval '-68 years -11 mons -209 days', 'CC IW MM YYYY FMDDth J IDDD') AS neg;
SELECT to_char(interval '1 day', 'TZ');
SELECT to_char(interval '1 day', 'Month');
-- to_char: numbers
SELECT to_char(485, '999') AS a, to_char(-485, '999') AS b, to_char(485, '9 9 9') AS c,
       to_char(1485, '9,999') AS d, to_char(1485, '9G999') AS e, to_char(148.5, '999.999') AS f,
       to_char(148.5, 'FM999.999') AS g, to_char(148.5, 'FM999.990') AS h, to_char(3148.5, '9G999D999') AS i;
SELECT to_char(-485, '999S') AS a, to_char(-485, '999MI') AS b, to_char(485, '999MI') AS c,
       to_char(485, 'FM999MI') AS d, to_char(485, 'PL999') AS e, to_char(485, 'SG999') AS f,
       to_char(-485, 'SG999') AS g, to_char(-485, '9SG99') AS h, to_char(-485, '999PR') AS i,
       to_char(485, 'L999') AS j;
SELECT to_char(485, 'RN') AS a, to_char(485, 'FMRN') AS b, to_char(5.2, 'FMRN') AS c,
       to_char(482, '999th') AS d, to_char(485, '"Good number:"999') AS e,
       to_char(485.8, '"Pre:"999" Post:" .999') AS f, to_char(12, '99V999') AS g,
       to_char(12.4, '99V999') AS h, to_char(0.0004859, '9.99EEEE') AS i, to_char(0, 'RN') AS j;
SELECT to_char(0.5, '9.99') AS a, to_char(0.5, 'FM9.99') AS b, to_char(0.5, 'FM0.99') AS c,
       to_char(12, 'FM9.') AS d, to_char(12, '9.') AS e, to_char(1234567, '9,999,999') AS f,
       to_char(-12, 'S999') AS g, to_char(12, '999S') AS h, to_char(12, '999PR') AS i,
       to_char(12, 'FM999PR') AS j, to_char(12, '') AS k;
SELECT to_char(-0.0::float8, '9.9') AS a, to_char('NaN'::float8, '999.9') AS b,
       to_char('Infinity'::float8, '999.9') AS c, to_char(1e20::float8, '999.9') AS d,
       to_char(9.6::float8, '9') AS e, to_char(1.5e300::float8, '9.99EEEE') AS f,
       to_char(123456789012345.678::float8, '999999999999999.999') AS g;
SELECT to_char(123456.789::real, '999999.999') AS r1, to_char(0.1::real, '0.9999999999') AS r2,
       to_char(3.14159::real, '9.99EEEE') AS r3, to_char(12.5::real, '99V99') AS r4;
SELECT to_char(9999999999::int8, '9,999,999,999') AS a, to_char((-9223372036854775808)::int8, '99999999999999999999') AS b,
       to_char(42::int8, 'S0000') AS c, to_char(-42, '0000') AS d, to_char(42, '00.00') AS e,
       to_char(42, 'FM00.00') AS f, to_char(42, 'B9999') AS g;
SELECT to_char(12345678901234567890.123456789::numeric, '99999999999999999999.999999999') AS a,
       to_char('NaN'::numeric, '999.99') AS b, to_char('Infinity'::numeric, '999.99') AS c,
       to_char(0.000123::numeric, '9.99EEEE') AS d, to_char(-9.995::numeric, '9.99EEEE') AS e,
       to_char('NaN'::numeric, '9.9EEEE') AS f;
SELECT to_char(1.5, '9D,9') AS a, to_char(12.55, '9,9.9,9') AS b, to_char(1, '9.,') AS c,
       to_char(174::int8, '9,9D,0') AS d, to_char(999::int4, '9EEEE') AS e, to_char(999::int8, '9EEEE') AS f,
       to_char(99999::int8, '9.9EEEE') AS g;
SELECT to_char(59084::int8, 'GSth');
SELECT to_char(1, '9.9.9');
SELECT to_char(1, 'FM9EEEE');
SELECT to_char(1, 'S9S');
SELECT to_char(1, '9PR9');
-- to_number
SELECT to_number('12,454.8-', '99G999D9S') AS a, to_number('-34,338,492', '99G999G999') AS b,
       to_number('<564646.654564>', '999999.999999PR') AS c, to_number('5.01-', 'FM9.999999MI') AS d,
       to_number('.01', 'FM9.99') AS e, to_number('34,50', '999,99') AS f,
       to_number('$1234.56', 'L9,999.99') AS g, to_number('42nd', '99th') AS h,
       to_number('123456', '99999V99') AS i, to_number('12345', '99') AS j, to_number('1', '') AS k;
SELECT to_number('-', '9');
SELECT to_number('1e5', '9EEEE');
SELECT to_number('12', 'RN');
SELECT to_number('123', '9.9');
-- to_timestamp(text, text) and to_date
SELECT to_timestamp('12:00', 'HH24:MI') AS no_date, to_date('', '') AS empty,
       to_timestamp('2020-01-01 12:00:00 -05:30', 'YYYY-MM-DD HH24:MI:SS TZH:TZM') AS tzh,
       to_timestamp('05 Dec 2000', 'DD Mon YYYY') AS mon, to_date('2000 JUN', 'YYYY MON') AS upper_mon,
       to_timestamp('2011-12-18 11:38 PM', 'YYYY-MM-DD HH12:MI PM') AS pm;
SELECT to_timestamp('1.5', 'SS.MS') AS ms, to_timestamp('1.123456', 'SS.FF3') AS ff3,
       to_timestamp('2020-001', 'YYYY-DDD') AS ddd, to_date('2020-10-3', 'IYYY-IW-ID') AS iso,
       to_date('20 3', 'CC YY') AS cc, to_date('449', 'J') AS j, to_date('2020th', 'YYYYth') AS th,
       to_date('1,999', 'Y,YYY') AS yc;
SELECT to_timestamp('97', 'YY') AS yy, to_timestamp('97 BC', 'YYYY BC') AS bc,
       to_date('March 5 2021', 'FMMonth FMDD YYYY') AS fm, to_date('2021   03  05', 'YYYY MM DD') AS spaces,
       to_date('20210305', 'YYYYMMDD') AS packed, to_date('2021-3-5', 'YYYY-MM-DD') AS short;
SELECT to_date('2021 Tuesday 3 5', 'YYYY Day MM DD') AS day, to_date('2021-W10', 'IYYY-"W"IW') AS w,
       to_date('2021 10 2', 'YYYY WW D') AS ww, to_date('1 12 2021', 'W MM YYYY') AS wmm,
       to_timestamp('2021-03-05T10:11:12', 'YYYY-MM-DD"T"HH24:MI:SS') AS t,
       to_timestamp('86399', 'SSSS') AS ssss;
SELECT to_timestamp('2021-03-05 10:11 a.m.', 'YYYY-MM-DD HH:MI a.m.') AS am, to_timestamp('12:30 AM', 'HH12:MI AM') AS midnight,
       to_timestamp('xii 2021', 'RM YYYY') AS rm, to_date('2021 b.c.', 'YYYY b.c.') AS bc,
       to_date('3 2021', 'Q YYYY') AS q, to_date('21 BC', 'CC BC') AS cc_bc;
SELECT to_date('2021-03-05', 'FXYYYY-MM-DD') AS fx, to_date('2021 -03-05', 'YYYY-MM-DD') AS extra,
       to_timestamp('2021-03-05 10:00-03', 'YYYY-MM-DD HH24:MITZH') AS minus_tzh;
SELECT to_timestamp('2020-01-01 12:00 +05', 'YYYY-MM-DD HH24:MI TZ');
SELECT to_date('2020-02-30', 'YYYY-MM-DD');
SELECT to_date('2020-13-01', 'YYYY-MM-DD');
SELECT to_timestamp('13:00', 'HH12:MI');
SELECT to_date('x2020', 'YYYY');
SELECT to_date('2020-Foo-01', 'YYYY-Mon-DD');
SELECT to_date('2020 01 02 03', 'YYYY MM DD MM');
SELECT to_date('2020 1', 'IYYY MM');
SELECT to_date('2020', 'DDD');
SELECT to_date('2021/03/05', 'YYYYMMDD');
SELECT to_date('2021', 'YYYYMMDD');
SELECT to_timestamp('2021-03-05 10:00 +16', 'YYYY-MM-DD HH24:MI TZH');
SELECT to_timestamp('99999999999', 'YYYY');
SELECT to_date('1,9', 'Y,YYY');
-- NULL in, NULL out
SELECT extract(year FROM NULL::date) IS NULL AS e, date_trunc(NULL, now()) IS NULL AS t,
       to_char(NULL::timestamp, 'YYYY') IS NULL AS c, make_date(NULL, 1, 1) IS NULL AS m,
       age(NULL::timestamp, timestamp '2020-01-01') IS NULL AS a;
