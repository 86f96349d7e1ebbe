--
-- Point and range lookups on the key of a materialized view or primary-key table
-- (Rivulet reads only those keys from its state: stream/engine_key.h). The answers must be
-- PostgreSQL's; REFRESH makes PostgreSQL's views current (Rivulet's always are).
--
CREATE TABLE vk_t (id bigint PRIMARY KEY, g int, n numeric(10,2), s text, d int2);
INSERT INTO vk_t SELECT i, i % 10, (i % 7)::numeric / 2, 'name ' || (i % 13), (i % 5)::int2
  FROM generate_series(1, 300) AS i;
INSERT INTO vk_t VALUES (1001, NULL, NULL, NULL, NULL), (1002, NULL, 1.0, repeat('x', 700), 9);
CREATE MATERIALIZED VIEW vk_g AS SELECT g, count(*) AS c, sum(id) AS total FROM vk_t GROUP BY g;
CREATE MATERIALIZED VIEW vk_n AS SELECT n, count(*) AS c FROM vk_t GROUP BY n;
CREATE MATERIALIZED VIEW vk_s AS SELECT s, max(id) AS m FROM vk_t GROUP BY s;
CREATE MATERIALIZED VIEW vk_gd AS SELECT d, g, count(*) AS c FROM vk_t GROUP BY g, d;
CREATE MATERIALIZED VIEW vk_dist AS SELECT DISTINCT d FROM vk_t;
CREATE MATERIALIZED VIEW vk_pass AS SELECT id, s, g * 2 AS g2 FROM vk_t WHERE g <> 3;
CREATE MATERIALIZED VIEW vk_having AS
  SELECT count(*) AS c, g FROM vk_t GROUP BY g HAVING count(*) > 29;
-- points
SELECT * FROM vk_g WHERE g = 4;
SELECT * FROM vk_g WHERE 4 = g;
SELECT * FROM vk_g WHERE g = 4::int2;
SELECT * FROM vk_g WHERE g = 4::bigint;
SELECT * FROM vk_g WHERE g = 99999999999;
SELECT * FROM vk_g WHERE g = -99999999999;
SELECT * FROM vk_g WHERE g = 42;
SELECT * FROM vk_g WHERE g = NULL;
SELECT * FROM vk_g WHERE g IS NULL;
SELECT * FROM vk_g WHERE g = 4 AND c > 1000;
SELECT * FROM vk_g WHERE g = 1/0;
SELECT * FROM vk_g WHERE g = 2147483647 + 1;
SELECT * FROM vk_g WHERE g = 4 OR g = 5 ORDER BY g;
SELECT * FROM vk_g WHERE g = 4 AND g = 5;
SELECT * FROM vk_n WHERE n = 1 ORDER BY n;
SELECT * FROM vk_n WHERE n = 1.00;
SELECT * FROM vk_n WHERE n = 0.5;
SELECT * FROM vk_n WHERE n = 1.5::numeric(10,1);
SELECT s, m FROM vk_s WHERE s = 'name 3';
SELECT length(s), m FROM vk_s WHERE s = repeat('x', 700);
SELECT * FROM vk_s WHERE s = 'nobody';
SELECT * FROM vk_gd WHERE g = 4 AND d = 4;
SELECT * FROM vk_gd WHERE d = 4::bigint AND g = 4::int2;
SELECT * FROM vk_dist WHERE d = 3;
SELECT * FROM vk_pass WHERE id = 17;
SELECT * FROM vk_pass WHERE id = 13;
SELECT * FROM vk_pass WHERE id = 17::int2;
SELECT * FROM vk_pass WHERE id = 17 AND g2 = 0;
SELECT * FROM vk_having WHERE g = 2;
SELECT * FROM vk_having WHERE g = 0;
-- ranges on the first key column
SELECT * FROM vk_g WHERE g BETWEEN 3 AND 5 ORDER BY g;
SELECT * FROM vk_g WHERE g > 7 ORDER BY g;
SELECT * FROM vk_g WHERE g >= 7 ORDER BY g;
SELECT * FROM vk_g WHERE g < 2 ORDER BY g;
SELECT * FROM vk_g WHERE g <= 2 ORDER BY g;
SELECT * FROM vk_g WHERE 7 < g ORDER BY g;
SELECT * FROM vk_g WHERE g > 5 AND g < 5;
SELECT * FROM vk_g WHERE g > 5 AND g <= 6;
SELECT * FROM vk_g WHERE g > 2147483647;
SELECT * FROM vk_g WHERE g > -99999999999 AND g < 2 ORDER BY g;
SELECT * FROM vk_g WHERE g < 99999999999 AND g > 8 ORDER BY g;
SELECT * FROM vk_n WHERE n > 2.5 ORDER BY n;
SELECT * FROM vk_n WHERE n BETWEEN 1 AND 2 ORDER BY n;
SELECT s, m FROM vk_s WHERE s >= 'name 7' AND s < 'name 9' ORDER BY s;
SELECT * FROM vk_gd WHERE g = 4 AND d > 2 ORDER BY d;
SELECT * FROM vk_gd WHERE g BETWEEN 1 AND 2 ORDER BY g, d;
SELECT * FROM vk_gd WHERE d = 1 ORDER BY g;
SELECT * FROM vk_pass WHERE id BETWEEN 10 AND 20 ORDER BY id;
SELECT * FROM vk_pass WHERE id > 295 ORDER BY id;
SELECT count(*), sum(c) FROM vk_g WHERE g >= 0;
-- primary-key tables
SELECT * FROM vk_t WHERE id = 17;
SELECT * FROM vk_t WHERE id = 17::int4;
SELECT * FROM vk_t WHERE id = 5000;
SELECT * FROM vk_t WHERE id = 17 AND g = 3;
SELECT id, g FROM vk_t WHERE id BETWEEN 5 AND 8 ORDER BY id;
-- after changes (updates move rows between groups, deletes remove groups)
UPDATE vk_t SET g = 42, n = 1.00 WHERE id = 17;
DELETE FROM vk_t WHERE g = 9;
INSERT INTO vk_t VALUES (2000, 9, 7.25, 'late', 1);
REFRESH MATERIALIZED VIEW vk_g;
REFRESH MATERIALIZED VIEW vk_n;
REFRESH MATERIALIZED VIEW vk_pass;
REFRESH MATERIALIZED VIEW vk_gd;
SELECT * FROM vk_g WHERE g = 42;
SELECT * FROM vk_g WHERE g = 9;
SELECT * FROM vk_g WHERE g = 7;
SELECT * FROM vk_g WHERE g BETWEEN 7 AND 100 ORDER BY g;
SELECT * FROM vk_n WHERE n = 1;
SELECT * FROM vk_n WHERE n = 7.25;
SELECT * FROM vk_pass WHERE id = 17;
SELECT * FROM vk_pass WHERE id = 19;
SELECT * FROM vk_gd WHERE g = 9 ORDER BY d;
SELECT * FROM vk_t WHERE id = 17;
SELECT * FROM vk_t WHERE id = 19;
DELETE FROM vk_t WHERE id = 2000;
SELECT * FROM vk_t WHERE id = 2000;
DROP MATERIALIZED VIEW vk_g, vk_n, vk_s, vk_gd, vk_dist, vk_pass, vk_having;
DROP TABLE vk_t;
-- numeric keys of several display scales: 1.0 = 1.00 = 1
CREATE TABLE vk_num (k numeric PRIMARY KEY, v text);
INSERT INTO vk_num VALUES (1.0, 'one'), (2.50, 'two and a half'), (-0.001, 'tiny');
CREATE TABLE vk_nums (x numeric, y int);
INSERT INTO vk_nums VALUES (1.0, 1), (1.00, 2), (1, 3), (2.5, 4), (NULL, 5), (NULL, 6);
CREATE MATERIALIZED VIEW vk_numv AS SELECT k, v FROM vk_num;
CREATE MATERIALIZED VIEW vk_numg AS SELECT x, count(*) AS c, sum(y) AS sy FROM vk_nums GROUP BY x;
SELECT * FROM vk_num WHERE k = 1.00;
SELECT * FROM vk_num WHERE k = 1;
SELECT * FROM vk_numv WHERE k = 1.000;
SELECT * FROM vk_numv WHERE k = 2.5;
SELECT * FROM vk_numv WHERE k < 0;
SELECT * FROM vk_numv WHERE k > 1 ORDER BY k;
SELECT c, sy, x = 1 AS is_one FROM vk_numg WHERE x = 1.000;
SELECT c, sy FROM vk_numg WHERE x = 2.50;
SELECT c, sy FROM vk_numg WHERE x IS NULL;
SELECT c, sy FROM vk_numg WHERE x >= 1 ORDER BY x;
DROP MATERIALIZED VIEW vk_numv, vk_numg;
DROP TABLE vk_num, vk_nums;
-- a two-column primary key: the first column pinned, the second bounded; ranges see writes
CREATE TABLE vk_c (a int, b text, v int, PRIMARY KEY (a, b));
INSERT INTO vk_c SELECT i / 4, chr(97 + i % 4), i FROM generate_series(0, 39) AS i;
SELECT * FROM vk_c WHERE a = 2 ORDER BY b;
SELECT * FROM vk_c WHERE a = 2 AND b > 'b' ORDER BY b;
SELECT * FROM vk_c WHERE a = 2 AND b = 'c';
SELECT * FROM vk_c WHERE b = 'c' AND a = 2::bigint;
DELETE FROM vk_c WHERE a = 2 AND b = 'c';
INSERT INTO vk_c VALUES (2, 'bb', 100);
SELECT * FROM vk_c WHERE a = 2 ORDER BY b;
SELECT * FROM vk_c WHERE a >= 8 ORDER BY a, b;
SELECT * FROM vk_c WHERE a < 1 AND b <= 'b' ORDER BY a, b;
UPDATE vk_c SET v = -v WHERE a = 9;
SELECT * FROM vk_c WHERE a > 8 ORDER BY a, b;
CREATE MATERIALIZED VIEW vk_cv AS SELECT a, b, v FROM vk_c WHERE v > 0;
SELECT * FROM vk_cv WHERE a = 3 AND b >= 'b' ORDER BY b;
SELECT * FROM vk_cv WHERE a = 9;
DROP MATERIALIZED VIEW vk_cv;
DROP TABLE vk_c;
