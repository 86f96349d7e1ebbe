#!/usr/bin/env bash
# tests/watermark/run.sh — watermarks, late rows and EMIT ON WINDOW CLOSE against PostgreSQL 15
# (tests/watermark/watermark.py: a model of the watermark decides the late rows; date_bin
# over the kept rows gives the closed windows).
#
#   tests/watermark/run.sh [--build DIR] [--seed N] [--verbose]
#
# Starts a private PostgreSQL 15 (scripts/pg-oracle.sh) and runs watermark.py once per seed in
# WATERMARK_SEEDS (default "1 2 3"), each with a fresh Rivulet from DIR/server/rivulet. The last
# line is "N passed, N failed" summed over the seeds (scripts/test.sh reads it).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/../../scripts/seeded-oracle.sh" watermark "$HERE/watermark.py" "${WATERMARK_SEEDS:-1 2 3}" "$0" "$@"
