-- hand_volatile.sql — volatile functions, tested by properties only (never by their values).
SELECT now() = now(), now() = current_timestamp, now() = transaction_timestamp()
SELECT now() = statement_timestamp()
SELECT clock_timestamp() >= now(), clock_timestamp() < now() + interval '1 hour'
SELECT current_date = now()::date, current_date = CURRENT_DATE
SELECT localtimestamp = now()::timestamp, current_time = now()::timetz
SELECT localtime <= '24:00'::time
SELECT extract(year from now()) >= 2024, date_trunc('day', now()) <= now()
SELECT pg_typeof(now()), pg_typeof(current_date), pg_typeof(localtime), pg_typeof(current_time)
SELECT random() >= 0 AND random() < 1
SELECT count(*) FROM (VALUES (1), (2), (3)) v(x) WHERE random() >= 0
SELECT random() = random()
SELECT length(timeofday()) > 20
SELECT 'now'::timestamptz = now(), 'today'::date = current_date
SELECT now() - now(), age(now(), now())
