-- COPY into a SOURCE (CREATE SOURCE without connector) works as into a table;
-- a failed COPY leaves nothing behind. Rivulet only (sources are dialect).
CREATE SOURCE copy_src (id bigint NOT NULL, v text, ts timestamp);
COPY copy_src FROM STDIN (FORMAT csv, HEADER);
id,v,ts
1,one,2026-01-01 00:00:00
2,"t,wo",2026-01-01 00:00:01
\.
COPY copy_src FROM STDIN;
3	three	2026-01-01 00:00:02
4	four	not a timestamp
\.
SELECT * FROM copy_src ORDER BY id;
COPY copy_src TO STDOUT (FORMAT csv, HEADER);
COPY (SELECT count(*) FROM copy_src) TO STDOUT;
DROP SOURCE copy_src;
