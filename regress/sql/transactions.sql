--
-- Transaction blocks: BEGIN/COMMIT/ROLLBACK, warnings, the failed block
-- (25P02), settings rolled back with the block, SET LOCAL.
--
BEGIN;
SELECT 1 AS in_block;
COMMIT;
BEGIN;
ROLLBACK;
START TRANSACTION;
COMMIT;
BEGIN WORK;
END;
BEGIN TRANSACTION;
ABORT;
BEGIN;
COMMIT WORK;
BEGIN;
ROLLBACK TRANSACTION;
-- warnings, not errors
COMMIT;
ROLLBACK;
END;
ABORT;
BEGIN;
BEGIN;
COMMIT;
-- a failed block ignores everything until its end
BEGIN;
SELECT 1 / 0;
SELECT 1;
\echo :SQLSTATE
SHOW application_name;
SET application_name = 'ignored';
SELECT 1 / 0;
COMMIT;
SELECT 'after failed block' AS status;
BEGIN;
SELECT nosuchcol;
ROLLBACK;
SELECT 'after rollback' AS status;
BEGIN;
SELEC 1;
SELECT 1;
END;
-- BEGIN inside a failed block is ignored too
BEGIN;
SELECT 1 / 0;
BEGIN;
ROLLBACK;
-- settings follow the transaction
SET application_name = 'before';
BEGIN;
SET application_name = 'inside';
SHOW application_name;
ROLLBACK;
SHOW application_name;
BEGIN;
SET application_name = 'committed';
COMMIT;
SHOW application_name;
BEGIN;
SET application_name = 'lost with the failure';
SELECT 1 / 0;
ROLLBACK;
SHOW application_name;
BEGIN;
SET application_name = 'failed then committed';
SELECT 1 / 0;
COMMIT;
SHOW application_name;
BEGIN;
SELECT set_config('application_name', 'set_config in block', false);
ROLLBACK;
SHOW application_name;
-- SET LOCAL lasts until the end of the block
BEGIN;
SET LOCAL application_name = 'local';
SHOW application_name;
SET LOCAL TIME ZONE 'Asia/Tokyo';
SHOW TimeZone;
COMMIT;
SHOW application_name;
SHOW TimeZone;
BEGIN;
SET application_name = 'session in block';
SET LOCAL application_name = 'local over session';
SHOW application_name;
COMMIT;
SHOW application_name;
BEGIN;
SELECT set_config('application_name', 'local via set_config', true);
SHOW application_name;
COMMIT;
SHOW application_name;
-- SET LOCAL outside a block: a warning, and no effect
SET LOCAL application_name = 'nope';
SHOW application_name;
-- RESET in a block is rolled back too
BEGIN;
RESET application_name;
SHOW application_name;
ROLLBACK;
SHOW application_name;
