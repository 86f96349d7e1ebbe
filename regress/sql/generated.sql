--
-- Stored generated columns: GENERATED ALWAYS AS (expr) STORED (sql/generated.h). The value is
-- computed from the row's other columns when the row is made (INSERT, UPDATE, ON CONFLICT DO
-- UPDATE, COPY FROM) and stored; statements may not supply it. Errors as PostgreSQL 15's.
--
CREATE TABLE gt (a int, b int GENERATED ALWAYS AS (a * 2) STORED, c text);
-- INSERT: computed; DEFAULT accepted; an explicit value refused
INSERT INTO gt VALUES (1);
INSERT INTO gt (a, c) VALUES (2, 'two'), (3, 'three');
INSERT INTO gt VALUES (4, DEFAULT, 'four');
INSERT INTO gt VALUES (5, DEFAULT, 'five'), (6, DEFAULT, 'six') RETURNING *;
INSERT INTO gt (c, a) SELECT 'seven', 7;
INSERT INTO gt VALUES (8, NULL);
INSERT INTO gt VALUES (9, 18, 'nine');
INSERT INTO gt (a, b) VALUES (10, 20);
INSERT INTO gt (a, b) SELECT 11, 22;
INSERT INTO gt VALUES (12, DEFAULT), (13, 26);
INSERT INTO gt VALUES (NULL, DEFAULT, 'null a');
-- the values are analysed first (their errors win), then the generated column is refused
INSERT INTO gt VALUES (30, 'abc');
INSERT INTO gt VALUES (31, DEFAULT), (32, 'x');
INSERT INTO gt (b, a) SELECT 1, 'y';
SELECT * FROM gt ORDER BY a;
-- COPY: left out without a column list, refused in one
COPY gt FROM STDIN;
20	twenty
21	\N
\.
COPY gt (a, b) FROM STDIN;
COPY gt (b) TO STDOUT;
COPY gt TO STDOUT;
COPY (SELECT a, b FROM gt WHERE a >= 20 ORDER BY a) TO STDOUT;
-- the catalogs
SELECT a.attname, a.atthasdef, a.attgenerated
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relname = 'gt' AND a.attnum > 0 ORDER BY a.attnum;
-- types: the value is assignment-cast to the column's type and typmod
CREATE TABLE gty (a int, n numeric(5,1) GENERATED ALWAYS AS (a / 3.0) STORED,
                  v varchar(2) GENERATED ALWAYS AS (a::text) STORED,
                  t text GENERATED ALWAYS AS ('#' || a) STORED,
                  l int GENERATED ALWAYS AS (length(a::text)) STORED,
                  k bool GENERATED ALWAYS AS (CASE WHEN a > 0 THEN true ELSE NULL END) STORED);
INSERT INTO gty VALUES (1), (-7), (NULL);
INSERT INTO gty VALUES (100);
SELECT * FROM gty ORDER BY a;
-- NOT NULL on a generated column is checked on the computed value
CREATE TABLE gnn (a int, b int GENERATED ALWAYS AS (a + 1) STORED NOT NULL);
INSERT INTO gnn VALUES (1);
INSERT INTO gnn VALUES (NULL);
SELECT * FROM gnn;
-- expressions over text, dates and times that are immutable
CREATE TABLE gdt (s text, t timestamp, d date GENERATED ALWAYS AS (t::date) STORED,
                  nxt timestamp GENERATED ALWAYS AS (t + interval '1 day') STORED,
                  up text GENERATED ALWAYS AS (upper(s) || '!') STORED,
                  yr float8 GENERATED ALWAYS AS (extract(year FROM t)) STORED);
INSERT INTO gdt (s, t) VALUES ('ab', '2024-02-28 13:00:00'), (NULL, NULL);
SELECT * FROM gdt ORDER BY s;
-- primary-key tables: UPDATE recomputes, SET col = DEFAULT is the only assignment allowed
CREATE TABLE gpk (k int PRIMARY KEY, a int, b int GENERATED ALWAYS AS (a * 10 + k) STORED);
INSERT INTO gpk VALUES (1, 1), (2, 2), (3, 3);
UPDATE gpk SET a = 5 WHERE k = 1;
UPDATE gpk SET b = DEFAULT, a = a + 100 WHERE k = 2 RETURNING *;
UPDATE gpk SET b = 7;
UPDATE gpk SET b = 'zz';
UPDATE gpk SET b = 1, a = 'q';
UPDATE gpk SET b = DEFAULT;
SELECT * FROM gpk ORDER BY k;
-- INSERT ... ON CONFLICT DO UPDATE recomputes
INSERT INTO gpk VALUES (3, 30) ON CONFLICT (k) DO UPDATE SET a = excluded.a + 1;
INSERT INTO gpk VALUES (4, 40) ON CONFLICT (k) DO UPDATE SET a = excluded.a + 1;
INSERT INTO gpk VALUES (4, 0) ON CONFLICT (k) DO UPDATE SET b = 1;
INSERT INTO gpk VALUES (4, 0) ON CONFLICT (k) DO UPDATE SET b = 1, a = 'r';
INSERT INTO gpk VALUES (4, 0) ON CONFLICT (k) DO UPDATE SET b = DEFAULT, a = 9;
INSERT INTO gpk VALUES (1, 0) ON CONFLICT (k) DO NOTHING;
SELECT * FROM gpk ORDER BY k;
-- a generated column may be part of the primary key
CREATE TABLE gpk2 (a int, k int GENERATED ALWAYS AS (a % 3) STORED PRIMARY KEY);
INSERT INTO gpk2 VALUES (1), (5);
INSERT INTO gpk2 VALUES (4);
SELECT * FROM gpk2 ORDER BY k;
-- the expression may name a column declared after it
CREATE TABLE gfwd (b int GENERATED ALWAYS AS (a - 1) STORED, a int);
INSERT INTO gfwd (a) VALUES (10);
SELECT * FROM gfwd;
-- errors at CREATE
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (b * 2) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (a * 2) STORED,
                   c int GENERATED ALWAYS AS (b + 1) STORED);
CREATE TABLE gbad (a int, b timestamptz GENERATED ALWAYS AS (now()) STORED);
CREATE TABLE gbad (a int, b timestamptz GENERATED ALWAYS AS (CURRENT_TIMESTAMP) STORED);
CREATE TABLE gbad (a int, b float8 GENERATED ALWAYS AS (random()) STORED);
CREATE TABLE gbad (a timestamptz, b text GENERATED ALWAYS AS (a::text) STORED);
CREATE TABLE gbad (a timestamp, b timestamptz GENERATED ALWAYS AS (a::timestamptz) STORED);
CREATE TABLE gbad (a timestamptz, b timestamptz GENERATED ALWAYS AS (a + interval '1 day') STORED);
CREATE TABLE gbad (a timestamptz, b date GENERATED ALWAYS AS (a::date) STORED);
CREATE TABLE gbad (a int, b text GENERATED ALWAYS AS (to_char(a, '999')) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (sum(a)) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS ((SELECT 1)) STORED);
CREATE TABLE gbad (a int, b bool GENERATED ALWAYS AS (EXISTS (SELECT 1)) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (row_number() OVER ()) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (generate_series(1, a)) STORED);
CREATE TABLE gbad (a int, b int DEFAULT 1 GENERATED ALWAYS AS (a) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (a) STORED DEFAULT 1);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (a) STORED GENERATED ALWAYS AS (a) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS ('x') STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (a::text) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (zz) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (a + 'y') STORED);
CREATE TABLE gbad (a int, b int GENERATED BY DEFAULT AS (a) STORED);
CREATE TABLE gbad (a int, b int GENERATED ALWAYS AS (a));
SELECT count(*) FROM pg_class WHERE relname = 'gbad';
DROP TABLE gt, gty, gnn, gdt, gpk, gpk2, gfwd;
