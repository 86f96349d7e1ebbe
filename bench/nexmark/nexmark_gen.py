#!/usr/bin/python3
"""bench/nexmark/nexmark_gen.py — a small deterministic Nexmark event generator (tests, COPY mode).

Follows ../shared/design/nexmark.md loosely (sections 1.2-1.5): event e (0-based) has id e and
type from e % 50 (0 person, 1..3 auction, 4..49 bid: the 1:3:46 mix); person/auction ids,
hot sellers/bidders/auctions/channels, log-uniform prices, variable-length strings, expires
from the 100-auction horizon, extra padding to the average sizes, lower-case cities/states
(RisingWave's generator). One random.Random(seed) draws everything in event order, so the
sequence is a pure function of (seed, count, rate); it is NOT byte-compatible with nexmark-rs
or the in-server generator (stream/gen_nexmark.c), which the brief does not require.

date_time(e) = base_time + e * 1e6 / rate microseconds (integer math), base_time 2015-07-15.
With rate <= 1,000,000 every event has a distinct date_time: ORDER BY date_time never ties.

Output: three text-format COPY streams (tab-separated, \\N for NULL), written by
write_copy_files(dir, ...) as person.tsv, auction.tsv, bid.tsv, or produced in chunks by
Generator.chunks(n) for streaming COPY.

Usage: nexmark_gen.py --events N [--rate R] [--seed S] --out DIR
"""
import argparse
import datetime
import os
import random

BASE_TIME_US = 1_436_918_400_000_000   # 2015-07-15 00:00:00 UTC
EPOCH = datetime.datetime(1970, 1, 1)

FIRST_NAMES = ["peter", "paul", "luke", "john", "saul", "vicky", "kate", "julie", "sarah",
               "deiter", "walter"]
LAST_NAMES = ["shultz", "abrams", "spencer", "white", "bartels", "walton", "smith", "jones",
              "noris"]
CITIES = ["phoenix", "los angeles", "san francisco", "boise", "portland", "bend", "redmond",
          "seattle", "kent", "cheyenne"]
STATES = ["az", "ca", "id", "or", "wa", "wy"]
HOT_CHANNELS = ["Google", "Facebook", "Baidu", "Apple"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"

PERSON_COLS = "id, name, email_address, credit_card, city, state, date_time, extra"
AUCTION_COLS = ("id, item_name, description, initial_bid, reserve, date_time, expires, seller, "
                "category, extra")
BID_COLS = "auction, bidder, price, channel, url, date_time, extra"


def fmt_ts(us):
    d = EPOCH + datetime.timedelta(microseconds=us)
    return d.strftime("%Y-%m-%d %H:%M:%S.%f")


def bitrev32(i):
    return int(f"{i & 0xffffffff:032b}"[::-1], 2)


class Generator:
    def __init__(self, seed=1, rate=10_000, base_us=BASE_TIME_US):
        self.rng = random.Random(seed)
        self.rate = rate
        self.base_us = base_us
        self.e = 0
        # channel i -> url, drawn from its own seeded stream (cached, as the reference does)
        self._chan_url = {}
        self._hot_url = {}
        r = random.Random(seed ^ 0x5eed)
        for c in HOT_CHANNELS:
            self._hot_url[c] = self._url(r, None)

    # -- helpers -----------------------------------------------------------------------------
    def ts(self, e):
        return self.base_us + e * 1_000_000 // self.rate

    def _string(self, maxlen, delim=" "):
        r = self.rng
        n = r.randrange(3, maxlen)
        s = "".join(delim if r.randrange(13) == 0 else LETTERS[r.randrange(26)] for _ in range(n))
        return s.strip()

    def _letters(self, n):
        r = self.rng
        return "".join(LETTERS[r.randrange(26)] for _ in range(n))

    def _url(self, r, chan_id):
        def s5():
            n = r.randrange(3, 5)
            return "".join("_" if r.randrange(13) == 0 else LETTERS[r.randrange(26)]
                           for _ in range(n)).strip("_")
        u = f"https://www.nexmark.com/{s5()}/{s5()}/{s5()}/item.htm?query=1"
        if chan_id is not None and r.randrange(10) != 0:
            v = bitrev32(chan_id)
            u += f"&channel_id={abs(v - (1 << 32) if v >= 1 << 31 else v)}"
        return u

    def _price(self):
        return round(10 ** (self.rng.random() * 6)) * 100

    def _extra(self, current, avg):
        if current >= avg:
            return ""
        d = avg - current
        delta = round(0.2 * d)
        n = d - delta + (self.rng.randrange(2 * delta) if delta > 0 else 0)
        return self._letters(n)

    @staticmethod
    def last_person(e):
        return e // 50

    @staticmethod
    def last_auction(e):
        epoch, off = divmod(e, 50)
        if off < 1:
            return (epoch - 1) * 3 + 2
        if off >= 4:
            return epoch * 3 + 2
        return epoch * 3 + (off - 1)

    def _next_person(self, e):
        people = self.last_person(e) + 1
        active = min(people, 1000)
        return people - active + self.rng.randrange(active + 10)

    def _next_auction(self, e):
        mx = max(self.last_auction(e), 0)
        mn = max(mx - 100, 0)
        return mn + self.rng.randrange(mx - mn + 1 + 10)

    # -- events -------------------------------------------------------------------------------
    def person(self, e):
        r = self.rng
        pid = e // 50 + 1000
        name = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
        email = f"{self._string(7)}@{self._string(5)}.com"
        cc = " ".join(f"{r.randrange(10000):04d}" for _ in range(4))
        city = r.choice(CITIES)
        state = r.choice(STATES)
        cur = 8 + len(name) + len(email) + len(cc) + len(city) + len(state)
        extra = self._extra(cur, 200)
        return (pid, name, email, cc, city, state, fmt_ts(self.ts(e)), extra)

    def auction(self, e):
        r = self.rng
        aid = self.last_auction(e) + 1000
        if r.randrange(4) != 0:     # hot seller, 75 %
            seller = (self.last_person(e) // 100) * 100
        else:
            seller = self._next_person(e)
        seller += 1000
        category = 10 + r.randrange(5)
        item = self._string(20)
        desc = self._string(100)
        initial = self._price()
        reserve = initial + self._price()
        t = self.ts(e)
        horizon = self.ts(e + 1666) - t
        expires = t + 1000 + r.randrange(max(2 * horizon, 1))
        cur = 8 + len(item) + len(desc) + 5 * 8
        extra = self._extra(cur, 500)
        return (aid, item, desc, initial, reserve, fmt_ts(t), fmt_ts(expires), seller, category,
                extra)

    def bid(self, e):
        r = self.rng
        if r.randrange(2) == 0:      # hot auction, 50 %
            auction = (max(self.last_auction(e), 0) // 100) * 100
        else:
            auction = self._next_auction(e)
        auction += 1000
        if r.randrange(4) != 0:      # hot bidder, 75 %
            bidder = (self.last_person(e) // 100) * 100 + 1
        else:
            bidder = self._next_person(e)
        bidder += 1000
        price = self._price()
        if r.randrange(2) == 0:      # hot channel, 50 %
            channel = HOT_CHANNELS[r.randrange(4)]
            url = self._hot_url[channel]
        else:
            i = r.randrange(10000)
            channel = f"channel-{i}"
            url = self._chan_url.get(i)
            if url is None:
                url = self._chan_url[i] = self._url(random.Random(i), i)
        extra = self._extra(32, 100)
        return (auction, bidder, price, channel, url, fmt_ts(self.ts(e)), extra)

    def chunks(self, n, chunk=20000):
        """Yields (person_lines, auction_lines, bid_lines) lists of COPY text lines."""
        end = self.e + n
        while self.e < end:
            p, a, b = [], [], []
            stop = min(end, self.e + chunk)
            for e in range(self.e, stop):
                k = e % 50
                if k == 0:
                    p.append(line(self.person(e)))
                elif k <= 3:
                    a.append(line(self.auction(e)))
                else:
                    b.append(line(self.bid(e)))
            self.e = stop
            yield p, a, b


def line(row):
    return "\t".join("\\N" if v is None else str(v) for v in row) + "\n"


def write_copy_files(out, events, rate=10_000, seed=1):
    os.makedirs(out, exist_ok=True)
    g = Generator(seed=seed, rate=rate)
    files = {k: open(os.path.join(out, k + ".tsv"), "w") for k in ("person", "auction", "bid")}
    try:
        for p, a, b in g.chunks(events):
            files["person"].writelines(p)
            files["auction"].writelines(a)
            files["bid"].writelines(b)
    finally:
        for f in files.values():
            f.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, required=True)
    ap.add_argument("--rate", type=int, default=10_000, help="event-time rate, events/s")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    write_copy_files(a.out, a.events, a.rate, a.seed)
