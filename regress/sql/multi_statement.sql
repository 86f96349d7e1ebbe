--
-- Several statements in one simple Query message (psql sends text joined
-- with \; as one string): each result, an error stops the rest, and the
-- whole message is one implicit transaction.
--
SELECT 1 AS a \; SELECT 2 AS b;
SELECT 1 AS a \; SELECT 2 AS b \; SELECT 'three' AS c;
SELECT 1 \; SELECT 2 + 2 AS four \; SELECT;
-- an error in the middle: earlier results are shown, later statements do not run
SELECT 'first' AS ok \; SELECT 1 / 0 \; SELECT 'never' AS not_run;
\echo :SQLSTATE
SELECT 'alive' AS status;
-- a syntax error anywhere rejects the whole string: nothing runs
SELECT 'not run either' AS nothing \; SELECT 2 +;
-- the implicit transaction: an error rolls back a SET earlier in the message
SET application_name = 'before';
SET application_name = 'implicit' \; SELECT 1 / 0;
SHOW application_name;
SET application_name = 'kept' \; SELECT 'fine' AS fine;
SHOW application_name;
-- SET LOCAL inside the implicit transaction lasts until its end
SET LOCAL application_name = 'local in message' \; SHOW application_name;
SHOW application_name;
-- an explicit block inside one message
BEGIN \; SELECT 'in block' AS s \; COMMIT;
BEGIN \; SET application_name = 'rolled back' \; ROLLBACK \; SHOW application_name;
-- a block opened in the message and failed in it stays failed afterwards
BEGIN \; SELECT 1 / 0 \; SELECT 'skipped' AS s;
SELECT 1;
ROLLBACK;
-- a block committed in the middle of a message
SELECT 1 AS a \; BEGIN \; SELECT 2 AS b \; COMMIT \; SELECT 3 AS c;
BEGIN;
SELECT 'in block' AS s \; COMMIT \; SELECT 'after commit' AS t;
-- empty statements between semicolons
SELECT 'x' AS x \; \; SELECT 'y' AS y;
-- several statements on one line without \; go one by one
SELECT 'one' AS one; SELECT 1 / 0; SELECT 'three' AS three;
