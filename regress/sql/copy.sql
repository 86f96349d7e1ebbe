-- COPY FROM STDIN / TO STDOUT in text and CSV, checked against PostgreSQL 15.
CREATE TABLE copy_t (a integer NOT NULL, b varchar(5), c text DEFAULT 'dflt', d numeric(6,2));
COPY copy_t FROM STDIN;
1	one	x	1.234
2	\N	tab\there	-5
3	back\\slash	nl\nline	\N
\.
SELECT * FROM copy_t ORDER BY a;
COPY copy_t (a, b) FROM STDIN;
4	four
\.
SELECT * FROM copy_t WHERE a = 4;
COPY copy_t FROM STDIN WITH (FORMAT csv, HEADER true);
a,b,c,d
5,"q,uo",",",7
6,,"",8
7,"two
lines","say ""hi""",9.999
\.
COPY copy_t FROM STDIN WITH (FORMAT csv, HEADER true);
a,b,c,d
5,"q,uo",",",7
6,,"",8
7,"say ""hi""","two
lines",9.999
\.
SELECT a, b, c, b IS NULL AS b_null, c = '' AS c_empty, d FROM copy_t WHERE a >= 5 ORDER BY a;
COPY copy_t FROM STDIN WITH CSV HEADER;
a,b,c,d
8,eight,,1
\.
COPY copy_t FROM STDIN (FORMAT csv, DELIMITER '|', NULL 'NULL', QUOTE '''');
9|'x|y'|NULL|NULL
\.
COPY copy_t FROM STDIN (FORMAT csv, FORCE_NULL (c), FORCE_NOT_NULL (b));
10,,"",1
\.
SELECT a, b IS NULL AS b_null, c IS NULL AS c_null FROM copy_t WHERE a IN (8, 9, 10) ORDER BY a;
COPY copy_t FROM STDIN (FORMAT csv, HEADER match);
a,b,c,d
11,m,m,1
\.
-- errors: nothing of a failed COPY is visible
COPY copy_t FROM STDIN;
20	ok	x	1
21	toolong	x	1
\.
COPY copy_t FROM STDIN;
22	ok	x	1
zz	ok	x	1
\.
COPY copy_t FROM STDIN;
23	ok
\.
COPY copy_t FROM STDIN;
24	ok	x	1	extra
\.
COPY copy_t FROM STDIN;
\N	ok	x	1
\.
COPY copy_t FROM STDIN (FORMAT csv);
25,"unterminated
\.
COPY copy_t FROM STDIN (FORMAT csv, HEADER match);
a,b,wrong,d
26,x,x,1
\.
SELECT count(*) FROM copy_t WHERE a >= 20;
COPY copy_t FROM STDIN (FORMAT xml);
COPY copy_t FROM STDIN (DELIMITER 'ab');
COPY copy_t FROM STDIN (QUOTE '"');
COPY copy_t FROM STDIN (FORMAT csv, FORMAT csv);
COPY copy_t (a, nosuch) FROM STDIN;
COPY copy_t (a, a) FROM STDIN;
COPY copy_nosuch FROM STDIN;
COPY copy_t FROM STDIN (FORMAT csv, FORCE_QUOTE (a));
COPY copy_t TO STDOUT (HEADER match);
COPY copy_t FROM STDIN (NULL ',', FORMAT csv);
COPY copy_t FROM STDIN (FORMAT csv, NULL '"');
COPY copy_t FROM STDIN (FORMAT csv, FORCE_NULL *);
COPY copy_t FROM STDIN (HEADER 'maybe');
COPY copy_t FROM STDIN (DELIMITER 'a');
COPY copy_t FROM STDIN (ESCAPE 'x');
-- TO STDOUT
COPY copy_t TO STDOUT;
COPY copy_t (a, c) TO STDOUT WITH (FORMAT csv, HEADER);
COPY (SELECT a, b, c FROM copy_t WHERE a IN (2, 3, 5, 6, 7) ORDER BY a) TO STDOUT WITH CSV;
COPY (SELECT a, b FROM copy_t WHERE a < 3 ORDER BY a) TO STDOUT (DELIMITER ';', NULL 'none');
COPY (SELECT 1 AS x, NULL::text AS y, '' AS z, E'a\\b' AS w) TO STDOUT (FORMAT csv, FORCE_QUOTE *);
COPY (SELECT 'a,b' AS "col,1") TO STDOUT (FORMAT csv, HEADER);
DROP TABLE copy_t;
