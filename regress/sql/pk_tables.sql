--
-- Tables with a PRIMARY KEY: uniqueness (23505 with PostgreSQL's DETAIL),
-- UPDATE and DELETE with row counts and RETURNING, rows read in any order
-- (queries ORDER BY), and the DDL errors of primary keys.
--
CREATE TABLE pk_a (id int PRIMARY KEY, name text, score numeric(6,2));
INSERT INTO pk_a VALUES (3, 'c', 30), (1, 'a', 10.5), (2, 'b', NULL);
SELECT * FROM pk_a ORDER BY id;
-- duplicates: against stored rows, inside one statement, nothing written on failure
INSERT INTO pk_a VALUES (1, 'again', 0);
INSERT INTO pk_a VALUES (4, 'd', 4), (5, 'e', 5), (4, 'dup', 0);
SELECT count(*) FROM pk_a;
INSERT INTO pk_a VALUES (NULL, 'no key', 0);
INSERT INTO pk_a (name) VALUES ('no key');
INSERT INTO pk_a VALUES (4, 'd', 4) RETURNING id, name;
INSERT INTO pk_a SELECT g, 'gen' || g, g FROM generate_series(5, 8) g;
SELECT * FROM pk_a ORDER BY id;
-- UPDATE
UPDATE pk_a SET name = upper(name) WHERE id >= 6;
UPDATE pk_a SET score = score * 2 WHERE score IS NOT NULL AND id < 3 RETURNING id, score;
UPDATE pk_a SET score = 0 WHERE id = 100;
UPDATE pk_a SET id = id + 100 WHERE id = 8 RETURNING *;
UPDATE pk_a SET id = 1 WHERE id = 2;
UPDATE pk_a SET id = NULL WHERE id = 2;
UPDATE pk_a SET name = 'x', name = 'y';
UPDATE pk_a SET nope = 1;
UPDATE pk_a SET score = 'abc';
UPDATE pk_a SET score = 'abc'::text;
UPDATE pk_a SET name = NULL, score = DEFAULT WHERE id = 1;
UPDATE pk_a SET name = NULL WHERE id = 1;
SELECT * FROM pk_a ORDER BY id;
-- key moves within one statement: free the old key before taking the new one
UPDATE pk_a SET id = id - 1 WHERE id IN (1, 2);
SELECT id, name FROM pk_a ORDER BY id;
-- DELETE
DELETE FROM pk_a WHERE id = 0 RETURNING *;
DELETE FROM pk_a WHERE name LIKE 'GEN%';
DELETE FROM pk_a WHERE id = 12345;
DELETE FROM pk_a WHERE id;
SELECT * FROM pk_a ORDER BY id;
INSERT INTO pk_a VALUES (6, 'six again', 6);
SELECT * FROM pk_a ORDER BY id;
DELETE FROM pk_a;
SELECT count(*) FROM pk_a;
INSERT INTO pk_a VALUES (1, 'fresh', 1);
SELECT * FROM pk_a;
-- composite and text keys; numeric keys compare by value (1.0 = 1.00)
CREATE TABLE pk_b (k1 text, k2 numeric, v int, PRIMARY KEY (k2, k1));
INSERT INTO pk_b VALUES ('x', 1.0, 1), ('y', 1.0, 2), ('x', 2, 3);
INSERT INTO pk_b VALUES ('x', 1.00, 4);
INSERT INTO pk_b VALUES ('it''s', 5, 5), ('it''s', 5, 6);
INSERT INTO pk_b VALUES (NULL, 5, 5);
UPDATE pk_b SET v = v + 10 WHERE k1 = 'x';
SELECT * FROM pk_b ORDER BY k2, k1;
CREATE TABLE pk_c (a int NULL PRIMARY KEY, b date);
INSERT INTO pk_c VALUES (NULL, '2024-01-01');
INSERT INTO pk_c VALUES (1, '2024-01-01'), (2, '2024-02-29');
DELETE FROM pk_c WHERE b > '2024-01-31' RETURNING a, b + 1 AS next;
SELECT * FROM pk_c ORDER BY a;
-- DDL errors
CREATE TABLE pk_bad (a int PRIMARY KEY, b int PRIMARY KEY);
CREATE TABLE pk_bad (a int PRIMARY KEY, PRIMARY KEY (a));
CREATE TABLE pk_bad (a int, PRIMARY KEY (z));
CREATE TABLE pk_bad (a int, b int, PRIMARY KEY (a, b, a));
-- dropping and creating again under the same name starts empty
DROP TABLE pk_b;
CREATE TABLE pk_b (k1 text PRIMARY KEY);
INSERT INTO pk_b VALUES ('x');
SELECT * FROM pk_b;
DROP TABLE pk_a, pk_b, pk_c;
-- INSERT ... ON CONFLICT
CREATE TABLE pk_oc (a int PRIMARY KEY, b text, c int);
INSERT INTO pk_oc VALUES (1,'x',1);
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT (a) DO UPDATE SET b = b || excluded.b RETURNING *;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT (a) DO UPDATE SET b = pk_oc.b || excluded.b, c = excluded.c + pk_oc.c RETURNING *;
INSERT INTO pk_oc AS o VALUES (1,'y',2) ON CONFLICT (a) DO UPDATE SET b = o.b || 'z' WHERE o.c > 100 RETURNING *;
INSERT INTO pk_oc AS o VALUES (1,'y',2) ON CONFLICT (a) DO UPDATE SET b = o.b || 'z' WHERE o.c < 100 RETURNING *;
INSERT INTO pk_oc VALUES (1,'y',2),(1,'z',3) ON CONFLICT (a) DO UPDATE SET b = 'q';
INSERT INTO pk_oc VALUES (1,'y',2),(1,'z',3),(2,'n',1) ON CONFLICT (a) DO NOTHING RETURNING *;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT DO UPDATE SET b = 'q';
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT (b) DO NOTHING;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT (a, a) DO NOTHING;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT ON CONSTRAINT nope DO NOTHING;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT ON CONSTRAINT pk_oc_pkey DO NOTHING;
INSERT INTO pk_oc VALUES (5,'y',2) ON CONFLICT DO NOTHING;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT (a) DO UPDATE SET a = 7;
INSERT INTO pk_oc VALUES (2,'y',2) ON CONFLICT (a) DO UPDATE SET a = 5;
INSERT INTO pk_oc VALUES (2,'y',2) ON CONFLICT (a) DO UPDATE SET a = 1;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT (a) DO UPDATE SET c = NULL, b = DEFAULT RETURNING *;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT (a) DO UPDATE SET a = NULL;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT (a) DO UPDATE SET z = 1;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT (a) DO UPDATE SET b = excluded.zz;
INSERT INTO pk_oc VALUES (1,'y',2) ON CONFLICT (a) WHERE a > 0 DO NOTHING;
INSERT INTO pk_oc VALUES (9,'n',9),(10,'m',10) ON CONFLICT (a) DO UPDATE SET b = 'never' RETURNING a, b;
INSERT INTO pk_oc SELECT g, 'g', g FROM generate_series(8, 11) g ON CONFLICT (a) DO UPDATE SET c = pk_oc.c * 100 + excluded.c;
SELECT * FROM pk_oc ORDER BY a;
CREATE TABLE pk_plain (a int);
INSERT INTO pk_plain VALUES (1) ON CONFLICT DO NOTHING;
INSERT INTO pk_plain VALUES (1) ON CONFLICT (a) DO NOTHING;
-- DO UPDATE moving a key onto one taken earlier in the statement, DEFAULT in SET
CREATE TABLE pk_d (k int PRIMARY KEY, v text DEFAULT 'dflt');
INSERT INTO pk_d VALUES (1, 'a'), (2, 'b');
INSERT INTO pk_d VALUES (3, 'c'), (1, 'a2') ON CONFLICT (k) DO UPDATE SET k = 3;
INSERT INTO pk_d VALUES (2, 'b2') ON CONFLICT (k) DO UPDATE SET v = DEFAULT RETURNING *;
UPDATE pk_d SET v = DEFAULT WHERE k = 1 RETURNING *;
SELECT * FROM pk_d ORDER BY k;
DROP TABLE pk_oc, pk_plain, pk_d;
-- keys equal as the type's equality says: intervals by span, float zeros
CREATE TABLE pk_iv (b interval PRIMARY KEY, n int);
INSERT INTO pk_iv VALUES ('1 day', 1), ('24 hours', 2);
INSERT INTO pk_iv VALUES ('1 day', 1), ('1 mon', 2);
INSERT INTO pk_iv VALUES ('30 days', 3) ON CONFLICT (b) DO UPDATE SET n = pk_iv.n + excluded.n RETURNING *;
CREATE TABLE pk_f (x float8 PRIMARY KEY);
INSERT INTO pk_f VALUES ('NaN'), (0), ('-0');
INSERT INTO pk_f VALUES ('NaN'), ('-Infinity'), (-0.0);
INSERT INTO pk_f VALUES ('NaN');
SELECT * FROM pk_f ORDER BY x;
SELECT * FROM pk_iv ORDER BY b;
DROP TABLE pk_iv, pk_f;
-- UPDATE / DELETE pinning the key read one row: same answers as a scan, other integer types too
CREATE TABLE pk_pin (k smallint PRIMARY KEY, v int);
INSERT INTO pk_pin VALUES (1, 10), (2, 20), (3, 30);
UPDATE pk_pin SET v = v + 1 WHERE k = 2 RETURNING *;
UPDATE pk_pin SET v = v + 1 WHERE k = 2::int8 AND v > 100 RETURNING *;
UPDATE pk_pin SET v = 0 WHERE k = 70000;
UPDATE pk_pin SET v = 0 WHERE k = 99999999999;
UPDATE pk_pin SET v = 0 WHERE k = NULL;
DELETE FROM pk_pin WHERE 3 = k AND k = 3 RETURNING *;
DELETE FROM pk_pin WHERE k = 3;
UPDATE pk_pin SET k = 5 WHERE k = 1 RETURNING *;
SELECT * FROM pk_pin ORDER BY k;
DROP TABLE pk_pin;
