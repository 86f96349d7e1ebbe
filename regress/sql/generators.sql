--
-- Generator sources (docs/dialect.md, stream/engine_gen.c): what CREATE SOURCE ... WITH
-- (connector = 'datagen' | 'nexmark') checks before it creates anything. Row contents and
-- counts are tested by tests/unit/stream/test_gen.c and tests/crash/crash_gen.py (they need
-- to wait for the producer).
--
-- nexmark: columns against the table type's schema
CREATE SOURCE g_bid (auction BIGINT, bogus BIGINT)
WITH (connector = 'nexmark', nexmark.table.type = 'bid', nexmark.event.num = '10');
CREATE SOURCE g_bid (auction INT) WITH (connector = 'nexmark', nexmark.table.type = 'Bid');
CREATE SOURCE g_bid (url VARCHAR(10)) WITH (connector = 'nexmark', nexmark.table.type = 'bid');
CREATE SOURCE g_ev (event_type BIGINT, price BIGINT) WITH (connector = 'nexmark');
CREATE SOURCE g_bid (price BIGINT) WITH (connector = 'nexmark', nexmark.table.type = 'bid',
    nexmark.event.num = '-5');
CREATE SOURCE g_bid (price BIGINT) WITH (connector = 'nexmark', nexmark.table.type = 'bid',
    nexmark.event.rate = 0);
CREATE SOURCE g_bid (price BIGINT) WITH (connector = 'nexmark', nexmark.table.type = 'bid',
    nexmark.use.real.time = true);
CREATE SOURCE g_bid (price BIGINT) WITH (connector = 'nexmark', nexmark.table.type = 'bid',
    nexmark.bid.proportion = 10);
-- datagen: types and field values
CREATE SOURCE g_dg (a interval) WITH (connector = 'datagen');
CREATE SOURCE g_dg (a varchar) WITH (connector = 'datagen', fields.a.kind = 'sequence');
CREATE SOURCE g_dg (a int) WITH (connector = 'datagen', fields.a.max = 'lots');
CREATE SOURCE g_dg (a int) WITH (connector = 'datagen', fields.a.length = '0');
CREATE SOURCE g_dg (a timestamp) WITH (connector = 'datagen', fields.a.max_past = 'soon');
CREATE SOURCE g_dg (a timestamp) WITH (connector = 'datagen', fields.a.min = '1');
CREATE SOURCE g_dg (a text) WITH (connector = 'datagen', fields.a.max_past_mode = 'later');
CREATE SOURCE g_dg (a int) WITH (connector = 'datagen', datagen.rows.per.second = '-1');
CREATE TABLE g_t (a int) WITH (connector = 'datagen');
-- valid: created (bounded, nothing left running after the test)
CREATE SOURCE g_ok (k int, s varchar(4), t timestamptz, d date, n numeric(6,2), f real, b bool)
WITH (connector = 'datagen', fields.k.kind = 'sequence', fields.k.end = '9',
      fields.n.min = '1.5', fields.n.max = '2.5', fields.t.basetime = '2024-01-01T00:00:00Z',
      datagen.rows.per.second = '0');
CREATE SOURCE g_p (id BIGINT, name VARCHAR, date_time TIMESTAMP)
WITH (connector = 'nexmark', nexmark.table.type = 'PERSON', nexmark.event.num = '100');
SHOW SOURCES LIKE 'g_%';
DESCRIBE g_p;
-- its log holds its sequence only
INSERT INTO g_p VALUES (1, 'x', now());
DROP SOURCE g_ok, g_p;
