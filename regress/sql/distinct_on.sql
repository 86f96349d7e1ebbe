--
-- SELECT DISTINCT ON (exprs): the first row of each group in ORDER BY
-- order; positions and output names as in ORDER BY; the rule that the
-- DISTINCT ON expressions match the leading ORDER BY items (42P10). Every
-- query's ORDER BY makes the kept row unique.
--
CREATE TABLE obs (station text, ts int, temp int);
INSERT INTO obs VALUES
  ('a', 1, 10), ('a', 2, 12), ('a', 3, 11), ('b', 1, 20), ('b', 5, 19),
  ('c', 4, NULL), ('c', 2, 7), (NULL, 1, 0), (NULL, 9, 1);
-- latest observation per station
SELECT DISTINCT ON (station) station, ts, temp FROM obs ORDER BY station, ts DESC;
-- earliest, by position and by output name
SELECT DISTINCT ON (1) station AS s, ts, temp FROM obs ORDER BY 1, 2;
SELECT DISTINCT ON (s) station AS s, temp FROM obs ORDER BY s, temp DESC NULLS LAST;
-- an expression, not in the select list
SELECT DISTINCT ON (ts % 2) ts, temp FROM obs ORDER BY ts % 2, temp, ts;
-- several expressions; ORDER BY may be shorter than DISTINCT ON
SELECT DISTINCT ON (station, ts > 2) station, ts > 2 AS late, ts FROM obs
ORDER BY station, ts > 2, ts;
SELECT count(*) FROM (SELECT DISTINCT ON (station, ts) station FROM obs ORDER BY station) s;
-- without ORDER BY: one row per group (which one is unspecified: count only)
SELECT count(*) FROM (SELECT DISTINCT ON (station) station, ts FROM obs) s;
-- over grouped rows, with LIMIT
SELECT DISTINCT ON (n > 1) station, n FROM (SELECT station, count(*) AS n FROM obs GROUP BY station) g
ORDER BY n > 1, n DESC, station LIMIT 5;
SELECT DISTINCT ON (station) station, ts FROM obs ORDER BY station, ts LIMIT 2 OFFSET 1;
-- in a subquery
SELECT station, temp FROM (SELECT DISTINCT ON (station) station, temp, ts FROM obs
                           ORDER BY station, temp DESC NULLS LAST, ts) s
WHERE temp > 5 ORDER BY station;
-- DISTINCT ON expressions must match the leading ORDER BY items
SELECT DISTINCT ON (station) station, ts FROM obs ORDER BY ts, station;
SELECT DISTINCT ON (station) station, ts FROM obs ORDER BY ts;
SELECT DISTINCT ON (station, temp) station FROM obs ORDER BY station, ts, temp;
SELECT DISTINCT ON (3) station, ts FROM obs ORDER BY 1;
DROP TABLE obs;
