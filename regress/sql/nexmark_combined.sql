--
-- The combined Nexmark form (docs/dialect.md): a nexmark source without nexmark.table.type
-- has event_type and STRUCT columns person / auction / bid (fields: that table's columns, any
-- subset, any order), plus generated and PROCTIME() columns; views split it into the three
-- streams. What CREATE SOURCE checks; row contents are tested by
-- tests/unit/stream/test_gen_combined.c and tests/nexmark/run.sh --form combined.
--
-- columns that are not the combined form's
CREATE SOURCE c_bad (event_type BIGINT, price BIGINT)
WITH (connector = 'nexmark', nexmark.event.num = '10');
CREATE SOURCE c_bad (event_type TEXT) WITH (connector = 'nexmark');
CREATE SOURCE c_bad (event_type INT, bid BIGINT) WITH (connector = 'nexmark');
-- struct fields against the table's schema
CREATE SOURCE c_bad (event_type INT, person STRUCT<id BIGINT, price BIGINT>)
WITH (connector = 'nexmark');
CREATE SOURCE c_bad (person STRUCT<id INT>) WITH (connector = 'nexmark');
CREATE SOURCE c_bad (auction STRUCT<item_name VARCHAR(5)>) WITH (connector = 'nexmark');
CREATE SOURCE c_bad (bid STRUCT<date_time TIMESTAMP(1)>) WITH (connector = 'nexmark');
CREATE SOURCE c_bad (auction STRUCT<id BIGINT, sub STRUCT<a INT>>) WITH (connector = 'nexmark');
-- with a table type the columns are that table's
CREATE SOURCE c_bad (event_type BIGINT, person STRUCT<id BIGINT>)
WITH (connector = 'nexmark', nexmark.table.type = 'person');
-- a subset in another order, text for varchar, a generated and a PROCTIME() column
CREATE SOURCE c_small (event_type SMALLINT, bid STRUCT<price BIGINT, url TEXT, auction BIGINT>,
    price BIGINT AS (bid).price, p_time TIMESTAMPTZ AS PROCTIME())
WITH (connector = 'nexmark', nexmark.event.num = '100');
DESCRIBE c_small;
-- RisingWave's form
CREATE SOURCE nexmark (
    event_type BIGINT,
    person STRUCT<id BIGINT, name VARCHAR, email_address VARCHAR, credit_card VARCHAR,
                  city VARCHAR, state VARCHAR, date_time TIMESTAMP, extra VARCHAR>,
    auction STRUCT<id BIGINT, item_name VARCHAR, description VARCHAR, initial_bid BIGINT,
                   reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT,
                   category BIGINT, extra VARCHAR>,
    bid STRUCT<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
               date_time TIMESTAMP, extra VARCHAR>,
    date_time TIMESTAMP AS CASE WHEN event_type = 0 THEN (person).date_time
                                WHEN event_type = 1 THEN (auction).date_time
                                ELSE (bid).date_time END,
    WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND
) WITH (connector = 'nexmark', nexmark.event.num = '500', nexmark.min.event.gap.in.ns = '0');
CREATE VIEW bid AS SELECT (bid).auction, (bid).bidder, (bid).price, (bid).channel, (bid).url,
    date_time, (bid).extra FROM nexmark WHERE event_type = 2;
DESCRIBE bid;
INSERT INTO nexmark (event_type) VALUES (0);
DROP VIEW bid;
DROP SOURCE nexmark;
DROP SOURCE c_small;
