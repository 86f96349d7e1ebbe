-- q1: currency conversion, price * 0.908 (projection + numeric arithmetic).
CREATE MATERIALIZED VIEW nexmark_q1 AS
SELECT auction, bidder, 0.908 * price AS price, date_time
FROM bid;
