#!/usr/bin/env bash
# tests/generated/run.sh — generated columns (`name type AS expr`) of a datagen source, a
# WATERMARK on one, views over it and a SIGKILL restart, checked against PostgreSQL 15
# (tests/generated/generated.py: the same expressions as GENERATED ALWAYS AS ... STORED there).
#
#   tests/generated/run.sh [--build DIR] [--seed N] [--verbose]
#
# Starts a private PostgreSQL 15 (scripts/pg-oracle.sh) and runs generated.py once per seed in
# GENERATED_SEEDS (default "1 2"), each with a fresh Rivulet from DIR/server/rivulet. The last
# line is "N passed, N failed" summed over the seeds (scripts/test.sh reads it).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/../../scripts/seeded-oracle.sh" generated "$HERE/generated.py" "${GENERATED_SEEDS:-1 2}" "$0" "$@"
