"""bench/nexmark/combined.py — RisingWave's combined Nexmark form (tests/nexmark --form combined,
nexmark_bench.py --form combined).

One generator source `nexmark` without nexmark.table.type: row k is event k, with event_type
(0 person, 1 auction, 2 bid), the three nullable STRUCT columns person / auction / bid (exactly
the event's own is non-NULL), a generated date_time (the event's time, CASE on event_type) that
carries the watermark, and bid's processing-time column p_time (q12). The views person,
auction and bid select the struct fields in the per-table column order (bench/nexmark/
ddl_tables.sql), so every query in queries/ reads them as it reads the per-table sources.
"""

STRUCTS = {
    "person": "id BIGINT, name VARCHAR, email_address VARCHAR, credit_card VARCHAR, "
              "city VARCHAR, state VARCHAR, date_time TIMESTAMP, extra VARCHAR",
    "auction": "id BIGINT, item_name VARCHAR, description VARCHAR, initial_bid BIGINT, "
               "reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT, "
               "category BIGINT, extra VARCHAR",
    "bid": "auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "
           "date_time TIMESTAMP, extra VARCHAR",
}
EVENT_TYPE = {"person": 0, "auction": 1, "bid": 2}
EXTRA_VIEW_COLUMNS = {"bid": ["p_time"]}   # the source's own columns the view passes on


def source_ddl(options, watermark="4 seconds"):
    """CREATE SOURCE nexmark (...) WITH (connector = 'nexmark', <options>): options is a dict
    of nexmark.* keys (no nexmark.table.type); watermark None or 'none' for no WATERMARK."""
    cols = ["event_type BIGINT"]
    cols += [f"{t} STRUCT<{fields}>" for t, fields in STRUCTS.items()]
    cols.append("date_time TIMESTAMP AS CASE WHEN event_type = 0 THEN (person).date_time "
                "WHEN event_type = 1 THEN (auction).date_time ELSE (bid).date_time END")
    cols.append("p_time TIMESTAMPTZ AS PROCTIME()")
    if watermark not in (None, "none"):
        cols.append(f"WATERMARK FOR date_time AS date_time - INTERVAL '{watermark}'")
    opts = ", ".join(["connector = 'nexmark'"] + [f"{k} = '{v}'" for k, v in options.items()])
    return "CREATE SOURCE nexmark (\n    " + ",\n    ".join(cols) + f"\n) WITH ({opts})"


def view_ddl(table):
    """CREATE VIEW <table> AS SELECT (<table>).<field>, ... FROM nexmark WHERE event_type = N,
    date_time being the source's generated column (it carries the watermark)."""
    out = []
    for f in STRUCTS[table].split(", "):
        name = f.split()[0]
        out.append(name if name == "date_time" else f"({table}).{name}")
    out += EXTRA_VIEW_COLUMNS.get(table, [])
    return (f"CREATE VIEW {table} AS SELECT {', '.join(out)} FROM nexmark "
            f"WHERE event_type = {EVENT_TYPE[table]}")


def ddl(options, watermark="4 seconds"):
    """Every statement of the combined form, in order."""
    return [source_ddl(options, watermark)] + [view_ddl(t) for t in STRUCTS]


if __name__ == "__main__":
    for s in ddl({"nexmark.event.num": 10000}):
        print(s + ";")
