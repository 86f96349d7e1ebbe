#!/usr/bin/env bash
# tests/crash/run.sh --build BUILDDIR — the crash suite (see README.md): runs each crash test
# and ends with one "N passed, N failed" line. CRASH_KILLS sets the kills per run.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
build=$HERE/../../build
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    *) echo "crash: unknown option $1" >&2; exit 2 ;;
    esac
done
exec /usr/bin/python3 "$HERE/crash_restart.py" "$build"
