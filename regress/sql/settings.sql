--
-- Run-time settings: SET, SHOW, RESET, set_config(), current_setting().
-- The client environment fixes: TimeZone=UTC, DateStyle=ISO, MDY,
-- client_encoding=UTF8, application_name=pg_regress.
--
SHOW client_encoding;
SHOW server_encoding;
SHOW DateStyle;
SHOW TimeZone;
SHOW application_name;
SHOW integer_datetimes;
SHOW standard_conforming_strings;
SHOW search_path;
-- names are case-insensitive; the column is named as the setting is
show timezone;
SHOW TIMEZONE;
SHOW datestyle;
SHOW "TimeZone";
-- SET and RESET; RESET goes back to the value the session started with
SET application_name = 'regress_settings';
SHOW application_name;
SET application_name TO 'with to';
SHOW application_name;
SET SESSION application_name = session_kw;
SHOW application_name;
RESET application_name;
SHOW application_name;
SET application_name = DEFAULT;
SHOW application_name;
SET application_name = 'x';
RESET ALL;
SHOW application_name;
SET search_path = public;
SHOW search_path;
SET search_path TO public, "$user";
SHOW search_path;
RESET search_path;
SHOW search_path;
SET extra_float_digits = 3;
SHOW extra_float_digits;
SET extra_float_digits = 4;
\echo :SQLSTATE
SHOW extra_float_digits;
SET statement_timeout = '1s';
SHOW statement_timeout;
SET statement_timeout = 1500;
SHOW statement_timeout;
SET statement_timeout = 0;
SHOW statement_timeout;
SET datestyle = 'ISO, DMY';
SHOW DateStyle;
SET datestyle = 'iso, mdy';
SHOW DateStyle;
SET client_encoding = 'UTF8';
SHOW client_encoding;
-- SET TIME ZONE
SET TIME ZONE 'Europe/Paris';
SHOW TimeZone;
SET TIME ZONE 'America/New_York';
SHOW timezone;
SET timezone = 'UTC';
SHOW TimeZone;
SET TIME ZONE LOCAL;
SHOW TimeZone;
SET TIME ZONE DEFAULT;
SHOW TimeZone;
SET timezone = 'No/Such_Zone';
\echo :SQLSTATE
SHOW TimeZone;
-- current_setting() and set_config()
SELECT current_setting('application_name') AS app, current_setting('TimeZone') AS tz,
       current_setting('timezone') AS tz_lower, current_setting('server_encoding') AS enc;
SELECT set_config('application_name', 'via_set_config', false) AS set_config;
SHOW application_name;
SELECT current_setting('application_name');
SELECT set_config('application_name', 'local_only', true) AS local_in_implicit_txn;
SHOW application_name;
SELECT set_config('application_name', NULL, false) AS null_value;
SHOW application_name;
SELECT current_setting('no_such_param');
\echo :SQLSTATE
SELECT current_setting('no_such_param', true) IS NULL AS missing_ok;
SELECT current_setting('application_name', false) AS not_missing_ok;
SELECT set_config('no_such_param', 'x', false);
SELECT set_config('server_version', '1', false);
-- custom (dotted) settings need no declaration
SET myapp.user_id = '42';
SHOW myapp.user_id;
SELECT current_setting('myapp.user_id') AS custom, set_config('myapp.other', 'v', false) AS set;
SHOW myapp.other;
SELECT current_setting('myapp.never_set', true) IS NULL AS unset_custom;
SHOW myapp.never_set;
-- unknown parameters: 42704
SET no_such_param = 1;
\echo :SQLSTATE
SHOW no_such_param;
RESET no_such_param;
-- bad values: 22023
SET standard_conforming_strings = maybe;
\echo :SQLSTATE
SET statement_timeout = 'soon';
SET statement_timeout = '-1';
-- read-only parameters: 55P02
SET server_version = '1';
\echo :SQLSTATE
SET integer_datetimes = off;
-- SHOW ALL works (its content differs from PostgreSQL's: not shown)
SHOW ALL \g /dev/null
\echo :SQLSTATE
-- the settings survive errors
SET application_name = 'end_of_settings';
SELECT 1 / 0;
SHOW application_name;
