#!/usr/bin/env bash
# tests/clients/run.sh — run the client-driver tests against one server.
#
#   tests/clients/run.sh [--target rivulet|postgres] [--build DIR]
#                        [--host H --port P] [CLIENT...]
#
#   --target rivulet   (default) start BUILDDIR/server/rivulet on a free port
#   --target postgres  start PostgreSQL 15 (scripts/pg-oracle.sh): the tests
#                      must pass there, that is how we know they are right
#   --host/--port      use a server already running
#   CLIENT...          a subset of: psql psycopg2 psycopg3 copy rowdesc jdbc node
#                      libpq
#
# Each client test prints "ok - NAME" / "not ok - NAME" lines and its own
# "N passed, N failed"; this script sums them, prints a table and a last line
# "N passed, N failed". A client that dies without its summary line counts as
# one failure. Exit status is non-zero when anything failed.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/scripts/test-lib.sh"

target=rivulet
build=$ROOT/build
host=
port=
all=(psql psycopg2 psycopg3 copy rowdesc jdbc node libpq)
only=()
while [ $# -gt 0 ]; do
    case $1 in
    --target) target=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "clients: unknown option $1" >&2; exit 2 ;;
    *) only+=("$1"); shift ;;
    esac
done
[ ${#only[@]} -eq 0 ] && only=("${all[@]}")

work=$(mktemp -d /tmp/rivulet-clients.XXXXXX)
cleanup() {
    tl_server_stop
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$port" ]; then
    TL_HOST=${host:-127.0.0.1}
    TL_PORT=$port
elif ! tl_server_start "$target" "$build" "$work/server"; then
    echo "0 passed, ${#only[@]} failed"
    exit 1
fi
tl_client_env
export PGHOST=$TL_HOST PGPORT=$TL_PORT PGDATABASE=regression
unset PGAPPNAME
JDBC_JAR=${JDBC_JAR:-/usr/share/java/postgresql.jar}

# ---- one function per client: build if needed, then run (output to stdout) --
client_psql() {
    "$HERE/psql_test.sh"
}
client_psycopg2() {
    "$TL_PYTHON" "$HERE/test_psycopg2.py"
}
client_psycopg3() {
    "$TL_PYTHON" "$HERE/test_psycopg3.py"
}
client_copy() {
    "$TL_PYTHON" "$HERE/test_copy.py"
}
client_rowdesc() {
    "$TL_PYTHON" "$HERE/test_rowdesc.py"
}
client_jdbc() {
    command -v javac >/dev/null || { echo "javac not found (scripts/deps.sh test)"; return 1; }
    [ -f "$JDBC_JAR" ] || { echo "$JDBC_JAR not found (libpostgresql-jdbc-java)"; return 1; }
    mkdir -p "$work/jdbc"
    javac -nowarn -cp "$JDBC_JAR" -d "$work/jdbc" "$HERE/ClientTest.java" || return 1
    java -Xshare:auto -cp "$work/jdbc:$JDBC_JAR" ClientTest
}
client_node() {
    command -v node >/dev/null || { echo "node not found (scripts/deps.sh test)"; return 1; }
    if [ ! -d "$HERE/node/node_modules/pg" ]; then
        echo "# npm ci (node_modules missing)"
        (cd "$HERE/node" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    fi
    node "$HERE/node/test.js"
}
client_libpq() {
    local inc
    inc=$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
    cc -std=c11 -D_GNU_SOURCE -O1 -Wall -Wextra -Werror -o "$work/libpq_test" \
        "$HERE/libpq_test.c" -I"$inc" -lpq -lpthread || return 1
    "$work/libpq_test"
}

export HERE work JDBC_JAR TL_PYTHON
export -f client_psql client_psycopg2 client_psycopg3 client_copy client_rowdesc client_jdbc client_node client_libpq
echo "clients: ${only[*]} against $target at $TL_HOST:$TL_PORT"
total_pass=0
total_fail=0
table=()
for name in "${only[@]}"; do
    if ! declare -F "client_$name" >/dev/null; then
        echo "clients: unknown client $name (${all[*]})" >&2
        exit 2
    fi
    echo "== $name"
    start=$(date +%s)
    timeout 300 bash -c "client_$name" >"$work/$name.out" 2>&1 </dev/null
    rc=$?
    secs=$(( $(date +%s) - start ))
    sed 's/^/    /' "$work/$name.out"
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/$name.out" | tail -n 1)
    if [ -n "$summary" ]; then
        p=$(awk '{print $1}' <<<"$summary")
        f=$(awk '{print $3}' <<<"$summary")
        if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
            echo "    (exit status $rc with no failed check: counted as one failure)"
            f=1
        fi
    else
        [ $rc = 124 ] && echo "    (timed out after 300 s)"
        echo "    (no summary line, exit status $rc: counted as one failure)"
        p=0
        f=1
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    table+=("$(printf '%-10s %6d %6d %5ds' "$name" "$p" "$f" "$secs")")
    if [ -z "$port" ] && ! tl_server_alive; then
        echo "clients: the server died during $name; log tail:"
        tl_server_log_tail 40 | sed 's/^/    /'
        total_fail=$((total_fail + 1))
        break
    fi
done

echo
printf '%-10s %6s %6s %6s\n' client passed failed time
printf '%s\n' "${table[@]}"
if [ $total_fail -gt 0 ] && [ -z "$port" ]; then
    echo
    echo "clients: server log tail ($TL_LOG):"
    tl_server_log_tail 30 | sed 's/^/    /'
fi
# A clean shutdown is part of the run: exit status 0, no sanitizer report.
if [ -z "$port" ] && ! tl_server_stop; then
    total_fail=$((total_fail + 1))
fi
echo "$total_pass passed, $total_fail failed"
[ $total_fail -eq 0 ]
