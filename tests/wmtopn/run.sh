#!/usr/bin/env bash
# tests/wmtopn/run.sh — top-N per event-time window against PostgreSQL 15, with the window
# operator's state cleanup by watermark (tests/wmtopn/wmtopn.py; stream/op_window.c).
#
#   tests/wmtopn/run.sh [--build DIR] [--seed N] [--verbose]
#
# Starts a private PostgreSQL 15 (scripts/pg-oracle.sh) and runs wmtopn.py once per seed in
# WMTOPN_SEEDS (default "1 2"), each with a fresh Rivulet from DIR/server/rivulet. The last
# line is "N passed, N failed" summed over the seeds (scripts/test.sh reads it).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/../../scripts/seeded-oracle.sh" wmtopn "$HERE/wmtopn.py" "${WMTOPN_SEEDS:-1 2}" "$0" "$@"
