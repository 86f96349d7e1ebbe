--
-- Built-in functions that need no tables.
--
SELECT current_database();
SELECT current_user;
SELECT current_user = 'postgres' AS is_postgres, current_database() = 'regression' AS is_regression;
SELECT pg_backend_pid() > 0 AS has_pid, pg_backend_pid() = pg_backend_pid() AS stable_pid;
SELECT version() IS NOT NULL AS has_version;
SELECT pg_sleep(0);
SELECT current_setting('server_encoding') AS enc;
SELECT nosuchfunc(current_user);
SELECT current_database(1);
