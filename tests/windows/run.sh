#!/usr/bin/env bash
# tests/windows/run.sh — the differential test of TUMBLE / HOP against PostgreSQL 15
# (tests/windows/windows.py: date_bin and generate_series stand in for the window functions).
#
#   tests/windows/run.sh [--build DIR] [--seed N] [--verbose]
#
# Starts a private PostgreSQL 15 (scripts/pg-oracle.sh) and runs windows.py once per seed in
# WINDOWS_SEEDS (default "1 2 3"), each with a fresh Rivulet from DIR/server/rivulet. The last
# line is "N passed, N failed" summed over the seeds (scripts/test.sh reads it).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/../../scripts/seeded-oracle.sh" windows "$HERE/windows.py" "${WINDOWS_SEEDS:-1 2 3}" "$0" "$@"
