#!/usr/bin/env python3
"""bench/ingest/gen.py — writes N rows of COPY text (bigint, bigint, 30-byte text,
timestamp) to stdout or a file; deterministic (the same N gives the same bytes)."""
import sys

def main():
    n = int(sys.argv[1])
    out = open(sys.argv[2], "w") if len(sys.argv) > 2 else sys.stdout
    pad = "abcdefghijklmnopqrstuvwxyz0123456789"
    base = 1767225600  # 2026-01-01 00:00:00 UTC
    chunk = []
    for i in range(n):
        t = base + i
        d, r = divmod(t - base, 86400)
        h, r = divmod(r, 3600)
        m, s = divmod(r, 60)
        # 30 bytes of text: a row-specific prefix, padded
        txt = ("row%010d-" % i + pad)[:30]
        chunk.append("%d\t%d\t%s\t2026-%02d-%02d %02d:%02d:%02d.%03d\n" % (
            i, (i * 2654435761) % 4294967296, txt, 1 + (d // 28) % 12, 1 + d % 28, h, m, s,
            i % 1000))
        if len(chunk) == 65536:
            out.write("".join(chunk))
            chunk = []
    out.write("".join(chunk))
    out.close()

main()
