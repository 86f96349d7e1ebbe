--
-- Rivulet-only table behaviour (no PostgreSQL counterpart): APPEND ONLY,
-- CREATE/DROP SOURCE fed by INSERT, what append-only tables refuse, what is
-- not built yet (0A000), and
-- autocommit inside transaction blocks.
--
CREATE TABLE tbs_ao (a int, b text DEFAULT 'd') APPEND ONLY;
INSERT INTO tbs_ao (a) VALUES (1), (2);
SELECT * FROM tbs_ao;
CREATE SOURCE tbs_src (id bigint NOT NULL, note text);
CREATE SOURCE IF NOT EXISTS tbs_src (x int);
INSERT INTO tbs_src VALUES (10, 'ten'), (11, NULL);
INSERT INTO tbs_src (note) VALUES ('no id');
SELECT s.id, s.note, a.a FROM tbs_src s, tbs_ao a WHERE a.a = s.id - 9 ORDER BY 1;
SHOW TABLES LIKE 'tbs%';
SHOW SOURCES LIKE 'tbs\_%';
SHOW TABLES FROM nosuchschema;
DROP TABLE tbs_src;
DROP SOURCE tbs_ao;
DROP SOURCE IF EXISTS tbs_src, tbs_nosuch;
DROP SOURCE tbs_nosuch;
-- primary keys work (pk_tables.sql); UNIQUE, CHECK, TEMP and LIKE are not built yet
CREATE TABLE tbs_pk (a int PRIMARY KEY);
CREATE TABLE tbs_u (a int UNIQUE);
CREATE TABLE tbs_c (a int CHECK (a > 0));
CREATE TABLE tbs_t (a int, PRIMARY KEY (a));
CREATE TEMP TABLE tbs_tmp (a int);
CREATE TABLE tbs_like (LIKE tbs_ao);
-- append-only: ON CONFLICT DO NOTHING inserts (no key to conflict on); UPDATE/DELETE refused
INSERT INTO tbs_ao VALUES (3) ON CONFLICT DO NOTHING;
UPDATE tbs_ao SET a = 0;
DELETE FROM tbs_ao;
CREATE SOURCE tbs_w (ts timestamp, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);
CREATE SOURCE tbs_g (a int) WITH (connector = 'datagen');
-- connector options are checked as RisingWave checks them before the final 0A000
CREATE SOURCE tbs_g (a int) WITH (connector = 'datagen', fields.b.kind = 'sequence');
CREATE SOURCE tbs_g (a int) WITH (connector = 'datagen', fields.a.kind = 'wild');
CREATE SOURCE tbs_g (a int) WITH (connector = 'datagen', fields.a.colour = 'red');
CREATE SOURCE tbs_g (a int) WITH (connector = 'datagen', datagen.rows.per.second = 'many');
CREATE SOURCE tbs_g (a int) WITH (connector = 'kafka', topic = 'x');
CREATE SOURCE tbs_g (a int) WITH (topic = 'x');
CREATE SOURCE tbs_n (id bigint) WITH (connector = 'nexmark', nexmark.table.type = 'Bidder');
CREATE SOURCE tbs_n (id bigint) WITH (connector = 'nexmark', nexmark.tabel.type = 'Bid');
CREATE SOURCE tbs_n (id bigint) WITH (connector = 'nexmark', nexmark.table.type = 'Bid');
CREATE SOURCE tbs_w (ts timestamp, WATERMARK FOR tx AS tx - INTERVAL '1 second');
SHOW SOURCES;
-- no transactional storage yet: INSERT and DDL take effect at once
BEGIN;
INSERT INTO tbs_ao VALUES (4);
ROLLBACK;
SELECT count(*) FROM tbs_ao;
DROP TABLE tbs_ao;
DROP TABLE tbs_pk, tbs_t;
