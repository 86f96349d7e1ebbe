-- Shrunk by tests/ivm/shrink_trace.py from ivm.py --seed 46 --batches 12 --rows-per-batch 80 --only rnd_12.
-- Rivulet returns 0, 1, 3; PostgreSQL (the same script, a plain VIEW, no FLUSH) 1, 3:
-- the top-N over the join keeps a g = 0 row after DELETE FROM dim WHERE g = 0 (same epoch).
CREATE TABLE t1 (id int PRIMARY KEY, g int, a int, b numeric(8,2), s text, f bool, d date);
CREATE TABLE t2 (id int PRIMARY KEY, g int, x int, s text);
CREATE TABLE dim (g int PRIMARY KEY, name text, w int);
CREATE TABLE ev (g int, v int, s text, ts timestamp) APPEND ONLY;
CREATE TABLE lg (k int, v int);
CREATE MATERIALIZED VIEW rnd_12 AS SELECT g AS c0 FROM ev JOIN dim USING (g) ORDER BY 1 NULLS FIRST LIMIT 3;
INSERT INTO t2 VALUES (56, 0, 4, 'a b'), (73, 0, -1, 'b');
UPDATE t2 SET x = x + 2 WHERE g = 0;
INSERT INTO dim VALUES (0, 'blue', 2), (1, NULL, 2), (3, 'green', -1);
INSERT INTO ev SELECT g, x + 10, s, NULL FROM t2 WHERE g = 0;
UPDATE t2 SET s = NULL WHERE id = 105;
COPY ev FROM STDIN;
3	17		2024-01-02 17:30:00
2	15	Z	2024-01-02 00:00:00
4	19	b	2024-01-02 00:00:00
2	4		2024-01-01 14:30:00
1	6	ba	2024-01-01 01:30:00
0	11	b	\N
\.
DELETE FROM dim WHERE g = 0;
FLUSH;
SELECT * FROM rnd_12;
