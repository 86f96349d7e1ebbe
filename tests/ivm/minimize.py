#!/usr/bin/env python3
"""tests/ivm/minimize.py — shrink a failing ivm.py run to a small set of views.

    /usr/bin/python3 tests/ivm/minimize.py [--match REGEX] -- IVM.PY ARGUMENTS...

Runs ivm.py with the given arguments (which must include --pg and --build or --rv, and the
--seed of the failing run) on smaller and smaller --only sets of views while its output still
matches REGEX (default: '^FAIL server', a crash), removing chunks of views (delta debugging,
ddmin), and prints the smallest set found and the command that replays it. A crash caused by
two views together ends with those two.

Invariants:
  1. The data stream does not depend on --only (ivm.py draws the schedule for every view), so
     every trial replays the same writes.
  2. Each trial is a fresh ivm.py run with a fresh server.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from views import VIEWS  # noqa: E402


def main():
    argv = sys.argv[1:]
    match = r"^FAIL server"
    if argv[:1] == ["--match"]:
        match, argv = argv[1], argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    pat = re.compile(match, re.M)
    base = []
    only = None
    exclude = set()
    i = 0
    while i < len(argv):
        if argv[i] == "--only":
            only = argv[i + 1].split(",")
            i += 2
        elif argv[i] == "--exclude":
            exclude = set(argv[i + 1].split(","))
            i += 2
        else:
            base.append(argv[i])
            i += 1
    views = only or [n for n, _ in VIEWS if n not in exclude]
    trials = [0]

    def fails(vs):
        trials[0] += 1
        cmd = [sys.executable, os.path.join(HERE, "ivm.py")] + base + ["--only", ",".join(vs)]
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        ok = bool(pat.search(out))
        print(f"  trial {trials[0]}: {len(vs)} views: {'fails' if ok else 'passes'}", flush=True)
        return ok

    if not fails(views):
        print("minimize: the full set does not fail; nothing to do")
        sys.exit(1)
    n = 2
    while len(views) >= 2:
        size = max(1, len(views) // n)
        chunks = [views[k:k + size] for k in range(0, len(views), size)]
        reduced = False
        for c in chunks:            # try one chunk alone
            if len(c) < len(views) and fails(c):
                views, n, reduced = c, 2, True
                break
        if not reduced:
            for c in chunks:        # try without one chunk
                rest = [v for v in views if v not in c]
                if rest and fails(rest):
                    views, n, reduced = rest, max(n - 1, 2), True
                    break
        if not reduced:
            if n >= len(views):
                break
            n = min(len(views), n * 2)
    print(f"minimize: {len(views)} views after {trials[0]} trials: {','.join(views)}")
    for v in views:
        print(f"  {v}: {dict(VIEWS)[v]}")
    print("replay: /usr/bin/python3 tests/ivm/ivm.py " + " ".join(base) + " --only " + ",".join(views))


if __name__ == "__main__":
    main()
