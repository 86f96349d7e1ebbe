# shellcheck shell=bash disable=SC2034
# scripts/test-lib.sh — shared helpers for the test harnesses (sourced, not run).
#
#   source scripts/test-lib.sh
#   tl_free_port 57000 57999            prints a TCP port nobody listens on
#   tl_server_start TARGET BUILDDIR WORKDIR [rivulet flags...]
#       TARGET rivulet: starts BUILDDIR/server/rivulet on a free port in
#       57000-57999 with a data dir under WORKDIR, waits for "listening on".
#       TARGET postgres: starts PostgreSQL 15 through scripts/pg-oracle.sh
#       under WORKDIR on a free port in 58000-58999.
#       Sets TL_HOST, TL_PORT, TL_PID (server process), TL_LOG (its log file),
#       TL_TARGET. Returns non-zero (and prints the log) if it did not come up.
#   tl_server_stop                      stops what tl_server_start started
#   tl_server_alive                     0 while the started server process lives
#   tl_server_log_tail [N]              prints the last N lines of its log
#   tl_client_env                       exports the fixed client environment
#                                       (and PSQL, psql 15's path)
#   tl_run_with_oracle NAME BUILDDIR SCRIPT [args...]
#       starts a private PostgreSQL 15 and BUILDDIR's rivulet in a temporary
#       directory, runs SCRIPT --rv-port P --pg-port Q args... with TL_PYTHON,
#       prints the rivulet log's tail when it fails, stops both and returns
#       SCRIPT's status (NAME prefixes the messages; a start-up failure prints
#       "0 passed, 1 failed")
#
# Invariants:
#   1. Only processes this shell started are ever signalled, by their pid.
#   2. Callers install `trap tl_server_stop EXIT` so a failing run leaves no
#      server behind; tl_server_stop is idempotent.

TL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TL_HOST=127.0.0.1
TL_PORT=
TL_PID=
TL_LOG=
TL_TARGET=
TL_PGDIR=
# Python with Debian's packages (psycopg, psycopg2); the first python3 on PATH
# may be another installation that does not see them.
TL_PYTHON=/usr/bin/python3
[ -x "$TL_PYTHON" ] || TL_PYTHON=python3
# psql 15 itself, not whatever Debian's wrapper picks when several versions
# are installed: its output format is part of the expected files.
TL_PSQL=/usr/lib/postgresql/15/bin/psql
[ -x "$TL_PSQL" ] || TL_PSQL=psql

# Is anything listening on 127.0.0.1:$1?
tl_port_busy() {
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

tl_free_port() {
    local lo=$1 hi=$2 p i
    for i in $(seq 1 200); do
        p=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1)))
        if ! tl_port_busy "$p"; then
            echo "$p"
            return 0
        fi
    done
    echo "test-lib: no free port in $lo-$hi" >&2
    return 1
}

# The environment every harness runs its clients in, fixed so that output does
# not depend on who runs it (pg_regress does the same).
tl_client_env() {
    unset PGSERVICE PGSERVICEFILE PGPASSFILE PGPASSWORD PGOPTIONS PGSSLMODE PGDATABASE \
          PGHOSTADDR PGCONNECT_TIMEOUT PGREQUIRESSL PGGSSENCMODE PGTARGETSESSIONATTRS
    export PGUSER=postgres
    export PGTZ=UTC
    export PGDATESTYLE='ISO, MDY'
    export PGCLIENTENCODING=UTF8
    export PGAPPNAME=pg_regress
    export PGSSLMODE=disable
    export PGGSSENCMODE=disable
    export PSQL=${PSQL:-$TL_PSQL}
    export LC_ALL=C.UTF-8
    export LANG=C.UTF-8
    unset LANGUAGE
}

tl_server_start() {
    local target=$1 builddir=$2 workdir=$3
    shift 3
    TL_TARGET=$target
    mkdir -p "$workdir"
    case $target in
    rivulet)
        local bin=$builddir/server/rivulet try
        if [ ! -x "$bin" ]; then
            echo "test-lib: $bin not found (build first: ninja -C $builddir)" >&2
            return 1
        fi
        TL_LOG=$workdir/rivulet.log
        for try in 1 2 3 4 5; do
            TL_PORT=$(tl_free_port 57000 57999) || return 1
            rm -rf "$workdir/data"
            mkdir -p "$workdir/data"
            "$bin" --port "$TL_PORT" --listen 127.0.0.1 --data-dir "$workdir/data" \
                --log-level "${RIVULET_LOG_LEVEL:-info}" "$@" >"$TL_LOG" 2>&1 &
            TL_PID=$!
            if tl_wait_listening; then
                return 0
            fi
            # Lost a race for the port? Try another one; any other failure is final.
            if tl_server_alive || ! grep -qi "address already in use" "$TL_LOG"; then
                break
            fi
        done
        echo "test-lib: rivulet did not start; its log:" >&2
        tl_server_log_tail 50 >&2
        tl_server_stop
        return 1
        ;;
    postgres)
        TL_PGDIR=$workdir/pg
        local want
        want=$(tl_free_port 58000 58999) || return 1
        if ! TL_PORT=$("$TL_ROOT/scripts/pg-oracle.sh" start "$TL_PGDIR" "$want" "$@"); then
            echo "test-lib: PostgreSQL oracle did not start" >&2
            return 1
        fi
        TL_PORT=$(tail -n 1 <<<"$TL_PORT")
        TL_PID=$(head -n 1 "$TL_PGDIR/data/postmaster.pid" 2>/dev/null)
        TL_LOG=$TL_PGDIR/postgres.log
        return 0
        ;;
    *)
        echo "test-lib: unknown target '$target' (rivulet or postgres)" >&2
        return 1
        ;;
    esac
}

# Waits (up to 20 s) for the rivulet log to say it listens and the port to answer.
tl_wait_listening() {
    local i
    for i in $(seq 1 200); do
        if ! tl_server_alive; then
            return 1
        fi
        # "listening on" is logged at level info; below that only the port can tell.
        case ${RIVULET_LOG_LEVEL:-info} in
        debug|info) grep -q "listening on" "$TL_LOG" 2>/dev/null || { sleep 0.1; continue; } ;;
        esac
        if tl_port_busy "$TL_PORT"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

tl_server_alive() {
    [ -n "$TL_PID" ] && kill -0 "$TL_PID" 2>/dev/null
}

tl_server_log_tail() {
    local n=${1:-40}
    [ -n "$TL_LOG" ] && [ -f "$TL_LOG" ] && tail -n "$n" "$TL_LOG" | cut -c1-400
    return 0
}

# Stops the server. For rivulet, also checks how it ended: a clean shutdown
# exits 0 and leaves no sanitizer report in its log. Returns 1 (after printing
# why) when it did not; callers count that as a failure. Idempotent.
tl_server_stop() {
    local rc=0 status=0
    case $TL_TARGET in
    rivulet)
        if tl_server_alive; then
            kill -TERM "$TL_PID" 2>/dev/null
            local i
            for i in $(seq 1 100); do
                tl_server_alive || break
                sleep 0.1
            done
            if tl_server_alive; then
                echo "test-lib: rivulet (pid $TL_PID) still running 10 s after SIGTERM; killing it"
                kill -KILL "$TL_PID" 2>/dev/null
                rc=1
            fi
        fi
        if [ -n "$TL_PID" ]; then
            wait "$TL_PID" 2>/dev/null
            status=$?
            if [ $status -ne 0 ] && [ $rc -eq 0 ]; then
                echo "test-lib: rivulet exited with status $status (a clean shutdown exits 0)"
                rc=1
            fi
        fi
        if [ -n "$TL_LOG" ] && grep -qE 'Sanitizer|runtime error:' "$TL_LOG" 2>/dev/null; then
            echo "test-lib: sanitizer report in $TL_LOG:"
            grep -nE -A12 'ERROR: [A-Za-z]*Sanitizer|runtime error:' "$TL_LOG" | head -n 60 | cut -c1-300
            rc=1
        fi
        if [ $rc -ne 0 ]; then
            echo "test-lib: server log tail:"
            tl_server_log_tail 20 | sed 's/^/    /'
        fi
        ;;
    postgres)
        [ -n "$TL_PGDIR" ] && "$TL_ROOT/scripts/pg-oracle.sh" stop "$TL_PGDIR" >/dev/null 2>&1
        ;;
    esac
    TL_PID=
    TL_TARGET=
    return $rc
}

tl_run_with_oracle() {
    local name=$1 builddir=$2 script=$3 work pg_port rc
    shift 3
    work=$(mktemp -d "/tmp/rivulet-$name.XXXXXX")
    # the EXIT trap of the calling script runs this (a subshell would lose TL_PID)
    TL_ORACLE_WORK=$work
    trap tl_oracle_cleanup EXIT
    trap 'exit 130' INT TERM
    tl_client_env
    if ! pg_port=$("$TL_ROOT/scripts/pg-oracle.sh" start "$work/pg" 0 | tail -n 1); then
        echo "$name: PostgreSQL 15 did not start"
        echo "0 passed, 1 failed"
        return 1
    fi
    if ! tl_server_start rivulet "$builddir" "$work/rv"; then
        echo "$name: rivulet did not start"
        echo "0 passed, 1 failed"
        return 1
    fi
    "$TL_PYTHON" "$script" --rv-port "$TL_PORT" --pg-port "$pg_port" "$@"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "---- rivulet log (tail)"
        tl_server_log_tail 30
    fi
    return $rc
}

tl_oracle_cleanup() {
    tl_server_stop
    if [ -n "${TL_ORACLE_WORK:-}" ]; then
        "$TL_ROOT/scripts/pg-oracle.sh" stop "$TL_ORACLE_WORK/pg" >/dev/null 2>&1
        rm -rf "$TL_ORACLE_WORK"
    fi
}
