#!/usr/bin/env bash
# tests/hostile/run.sh — start a server with small limits and run hostile.py at it.
#
#   tests/hostile/run.sh [--target rivulet|postgres] [--build DIR] [-- hostile.py args...]
#
# Rivulet runs with --max-connections 20 --startup-timeout 2
# --max-message-size 64MB; PostgreSQL 15 (the oracle) with max_connections=20,
# superuser_reserved_connections=0, authentication_timeout=2s. hostile.py is
# told the same numbers, and the server's pid so it can watch its VmRSS.
# The last line is hostile.py's "N passed, N failed".
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/scripts/test-lib.sh"

target=rivulet
build=$ROOT/build
while [ $# -gt 0 ]; do
    case $1 in
    --target) target=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "hostile: unknown option $1" >&2; exit 2 ;;
    esac
done

MAXCONN=20
TIMEOUT=2
MAXMSG=$((64 * 1024 * 1024))

work=$(mktemp -d /tmp/rivulet-hostile.XXXXXX)
cleanup() {
    tl_server_stop
    rm -rf "$work"
}
trap cleanup EXIT
trap '[ -n "${hp:-}" ] && kill "$hp" 2>/dev/null; exit 130' INT TERM

case $target in
rivulet)
    tl_server_start rivulet "$build" "$work/server" --max-connections $MAXCONN \
        --startup-timeout $TIMEOUT --max-message-size $MAXMSG || { echo "0 passed, 1 failed"; exit 1; }
    ;;
postgres)
    tl_server_start postgres "$build" "$work/server" -c max_connections=$MAXCONN \
        -c superuser_reserved_connections=0 -c authentication_timeout=${TIMEOUT}s \
        || { echo "0 passed, 1 failed"; exit 1; }
    ;;
*) echo "hostile: --target rivulet|postgres" >&2; exit 2 ;;
esac

pidargs=()
[ "$target" = rivulet ] && pidargs=(--pid "$TL_PID")
# In the background, so a signal to this script is handled at once.
timeout 120 "$TL_PYTHON" "$HERE/hostile.py" --host "$TL_HOST" --port "$TL_PORT" \
    --target "$target" --max-connections $MAXCONN --startup-timeout $TIMEOUT \
    --max-message-size $MAXMSG "${pidargs[@]}" "$@" >"$work/hostile.out" 2>&1 &
hp=$!
tail -n +1 -f --pid=$hp "$work/hostile.out" &
tailer=$!
wait $hp
rc=$?
wait $tailer # not a bare wait: the server is a child of this shell too
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/hostile.out" | tail -n 1)
passed=0
failed=1
if [ -n "$summary" ]; then
    passed=$(awk '{print $1}' <<<"$summary")
    failed=$(awk '{print $3}' <<<"$summary")
elif [ $rc = 124 ]; then
    echo "hostile: timed out after 120 s"
else
    echo "hostile: hostile.py ended without a summary (exit status $rc)"
fi
if [ "$failed" != 0 ]; then
    echo "hostile: server log tail ($TL_LOG):"
    tl_server_log_tail 40 | sed 's/^/    /'
fi
if [ "$target" = rivulet ] && ! tl_server_alive; then
    echo "hostile: the server is no longer running"
    failed=$((failed + 1))
fi
# A clean shutdown is part of the run: exit status 0, no sanitizer report.
if ! tl_server_stop; then
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
