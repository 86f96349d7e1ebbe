-- bench/nexmark/ddl_tables.sql — the three Nexmark streams as APPEND ONLY tables, fed by COPY
-- (tests/nexmark, bench mode copy). Column names and types: RisingWave's (nexmark.md 1.1).
-- The same statements without APPEND ONLY and AS PROCTIME() create the oracle's tables in
-- PostgreSQL 15. bid's p_time is RisingWave's processing-time column (q12): the time the row
-- was appended, stored with it (sql/proctime.h); COPY without a column list leaves it out.
CREATE TABLE person (id BIGINT, name VARCHAR, email_address VARCHAR, credit_card VARCHAR,
    city VARCHAR, state VARCHAR, date_time TIMESTAMP, extra VARCHAR) APPEND ONLY;
CREATE TABLE auction (id BIGINT, item_name VARCHAR, description VARCHAR, initial_bid BIGINT,
    reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT, category BIGINT,
    extra VARCHAR) APPEND ONLY;
CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
    date_time TIMESTAMP, extra VARCHAR, p_time TIMESTAMPTZ AS PROCTIME()) APPEND ONLY;
-- q13's side table: key -> value, a static lookup table (10,000 rows, loaded by the driver).
CREATE TABLE side_input (key BIGINT PRIMARY KEY, value VARCHAR);
