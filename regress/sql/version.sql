--
-- What Rivulet reports as its version (Rivulet only: PostgreSQL says its own).
--
SHOW server_version;
SHOW server_version_num;
SELECT current_setting('server_version_num')::int >= 150000 AS at_least_15;
-- version() is 'PostgreSQL 15.0 (Rivulet 0.1.0) on <platform>, compiled by <compiler>';
-- the platform and compiler vary, so check the prefix with comparisons alone
-- (text compares byte by byte, and every platform name starts below '~').
SELECT version() > 'PostgreSQL 15.0 (Rivulet 0.1.0) on '
   AND version() < 'PostgreSQL 15.0 (Rivulet 0.1.0) on ~' AS version_prefix;
