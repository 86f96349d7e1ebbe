-- q21: the channel id of each bid: a fixed id for the four hot channels, else the
-- channel_id parameter of the URL (CASE + lower() + a regular expression).
-- RisingWave writes `(regexp_match(url, '(&|^)channel_id=([^&]*)'))[2]`; Rivulet has no
-- arrays (nor `(?:`), so the same value is taken as `substring('&' || url FROM
-- '&channel_id=([^&]*)')`: prefixing '&' turns "(&|^)" into a plain '&' at the same
-- (leftmost) match, and substring returns the one capture group, NULL without a match, ''
-- for an empty value, as regexp_match(...)[2] does. pg/q21.sql keeps regexp_match, so the
-- oracle check proves the two equal.
CREATE MATERIALIZED VIEW nexmark_q21 AS
SELECT auction, bidder, price, channel,
       CASE
           WHEN lower(channel) = 'apple' THEN '0'
           WHEN lower(channel) = 'google' THEN '1'
           WHEN lower(channel) = 'facebook' THEN '2'
           WHEN lower(channel) = 'baidu' THEN '3'
           ELSE substring('&' || url FROM '&channel_id=([^&]*)')
       END AS channel_id
FROM bid
WHERE substring('&' || url FROM '&channel_id=([^&]*)') IS NOT NULL
   OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu');
