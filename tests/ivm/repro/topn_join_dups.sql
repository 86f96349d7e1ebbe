-- Shrunk by tests/ivm/shrink_trace.py from ivm.py --seed 1 --batches 10 --rows-per-batch 60 --only h_top_dups_ev.
-- Rivulet returns one row (2, ''); PostgreSQL (the same script, a plain VIEW, no FLUSH) none:
-- dim g = 2 is inserted and deleted in the same epoch, ev holds the row (2, 2, '', NULL) twice,
-- and the top-N over the join keeps one copy. (Two-column versions of the tables do not fail.)
CREATE TABLE t1 (id int PRIMARY KEY, g int, a int, b numeric(8,2), s text, f bool, d date);
CREATE TABLE t2 (id int PRIMARY KEY, g int, x int, s text);
CREATE TABLE dim (g int PRIMARY KEY, name text, w int);
CREATE TABLE ev (g int, v int, s text, ts timestamp) APPEND ONLY;
CREATE TABLE lg (k int, v int);
CREATE MATERIALIZED VIEW h_top_dups_ev AS SELECT g, s FROM ev JOIN dim USING (g) ORDER BY g DESC, s LIMIT 5;
INSERT INTO ev VALUES (4, 15, '', '2024-01-02 15:00:00'), (4, 11, 'b', '2024-01-02 08:00:00'), (2, 2, '', NULL), (4, 16, 'a', NULL);
INSERT INTO dim VALUES (2, 'blue', 0);
COPY ev FROM STDIN;
0	1	é	2024-01-02 19:00:00
2	2		\N
1	18	a	2024-01-01 07:30:00
3	8	b	2024-01-01 08:30:00
4	13	Z	2024-01-01 11:30:00
\.
DELETE FROM dim WHERE g IN (6, 2);
FLUSH;
SELECT * FROM h_top_dups_ev;
