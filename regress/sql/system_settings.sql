--
-- Rivulet-only: the server-wide checkpoint interval (ALTER SYSTEM SET /
-- SHOW checkpoint_interval; RisingWave calls it barrier_interval_ms) and
-- RisingWave's session settings. Values parse as PostgreSQL's time
-- settings: bare numbers are ms; units us, ms, s, min, h, d.
--
SHOW checkpoint_interval;
ALTER SYSTEM SET checkpoint_interval TO '100ms';
SHOW checkpoint_interval;
ALTER SYSTEM SET checkpoint_interval = 250;
SHOW checkpoint_interval;
ALTER SYSTEM SET checkpoint_interval TO '2s';
SHOW checkpoint_interval;
ALTER SYSTEM SET checkpoint_interval TO '0.5min';
SHOW checkpoint_interval;
ALTER SYSTEM SET checkpoint_interval TO ' 1500 ms ';
SHOW checkpoint_interval;
ALTER SYSTEM SET checkpoint_interval TO 10;
SHOW checkpoint_interval;
ALTER SYSTEM SET checkpoint_interval TO '1h';
SHOW checkpoint_interval;
ALTER SYSTEM SET checkpoint_interval TO 12.6;
SHOW checkpoint_interval;
ALTER SYSTEM RESET checkpoint_interval;
SHOW checkpoint_interval;
ALTER SYSTEM SET checkpoint_interval TO '100ms';
ALTER SYSTEM SET checkpoint_interval TO DEFAULT;
SHOW checkpoint_interval;
-- RisingWave's spellings: SHOW PARAMETERS, barrier_interval_ms (plain ms)
ALTER SYSTEM SET barrier_interval_ms = 500;
SHOW barrier_interval_ms;
SHOW checkpoint_interval;
SHOW PARAMETERS;
ALTER SYSTEM RESET barrier_interval_ms;
-- out of range, bad values (22023), wrong places
ALTER SYSTEM SET checkpoint_interval TO 5;
\echo :SQLSTATE
ALTER SYSTEM SET checkpoint_interval TO '2h';
ALTER SYSTEM SET checkpoint_interval TO '9000us';
ALTER SYSTEM SET checkpoint_interval TO '10 sec';
\echo :SQLSTATE
ALTER SYSTEM SET checkpoint_interval TO '100 MS';
ALTER SYSTEM SET checkpoint_interval TO 'fast';
ALTER SYSTEM SET checkpoint_interval TO '';
ALTER SYSTEM SET checkpoint_interval TO 3000000000;
ALTER SYSTEM SET checkpoint_interval TO 100, 200;
BEGIN;
ALTER SYSTEM SET checkpoint_interval TO '50ms';
\echo :SQLSTATE
ROLLBACK;
SELECT 1 \; ALTER SYSTEM SET checkpoint_interval TO '50ms';
SHOW checkpoint_interval;
-- it is not a session setting
SET checkpoint_interval TO '100ms';
\echo :SQLSTATE
SET LOCAL checkpoint_interval = 100;
RESET checkpoint_interval;
SHOW CHECKPOINT_INTERVAL;
-- ALTER SYSTEM changes nothing else
ALTER SYSTEM SET statement_timeout TO '1s';
\echo :SQLSTATE
ALTER SYSTEM SET no_such_setting TO 1;
\echo :SQLSTATE
ALTER SYSTEM RESET ALL;
-- RisingWave's session settings are accepted
SET RW_IMPLICIT_FLUSH TO true;
SHOW rw_implicit_flush;
SET rw_implicit_flush = false;
SHOW RW_IMPLICIT_FLUSH;
SET STREAMING_PARALLELISM TO 4;
SHOW streaming_parallelism;
SET streaming_parallelism = default;
SHOW streaming_parallelism;
SET streaming_parallelism = 'adaptive';
SHOW streaming_parallelism;
RESET ALL;
SHOW streaming_parallelism;
-- a FLUSH and a write still work at a short interval
ALTER SYSTEM SET checkpoint_interval TO '10ms';
CREATE TABLE sys_t (k int PRIMARY KEY, v text);
INSERT INTO sys_t VALUES (1, 'a'), (2, 'b');
FLUSH;
SELECT * FROM sys_t ORDER BY k;
ALTER SYSTEM RESET checkpoint_interval;
SHOW checkpoint_interval;
DROP TABLE sys_t;
