#!/usr/bin/env bash
# scripts/pg-oracle.sh — a private PostgreSQL 15, the oracle the tests are proven against.
#
#   scripts/pg-oracle.sh start DIR [PORT] [-c name=value ...]
#       Creates DIR (a fresh cluster in DIR/data, the unix socket in DIR, the
#       log in DIR/postgres.log; DIR is a symlink to /tmp/rivulet-pg.XXXXXX), starts it listening on 127.0.0.1:PORT only,
#       trust auth, fsync off, superuser "postgres", a database "regression".
#       If PORT is missing, 0 or taken, a free port in 58000-58999 is used.
#       Prints the port on stdout (also written to DIR/port).
#   scripts/pg-oracle.sh stop DIR
#       Stops the instance in DIR (if any) and removes DIR.
#
# As root, initdb/pg_ctl run as the "postgres" user (runuser); DIR is handed
# to that user. Otherwise they run as the caller.
#
# Invariants:
#   1. A stale instance left in DIR by a failed run is stopped and wiped
#      before a new one starts, so a crash never breaks the next run.
#   2. Nothing listens anywhere but 127.0.0.1 and DIR's unix socket.
#   3. Only the postmaster recorded in DIR/data/postmaster.pid is ever stopped.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
LO=58000
HI=58999

die() { echo "pg-oracle: $*" >&2; exit 1; }

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_busy() {
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

free_port() {
    local p i
    for _ in $(seq 1 200); do
        p=$((LO + (RANDOM * 32768 + RANDOM) % (HI - LO + 1)))
        port_busy "$p" || { echo "$p"; return 0; }
    done
    die "no free port in $LO-$HI"
}

stop_instance() {
    local dir=$1
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" stop -D "$dir/data" -m immediate -w -t 30 >/dev/null 2>&1 || true
        # pg_ctl refuses when the pid file is stale or the cluster is damaged:
        # signal the recorded postmaster itself, and only it.
        local pid
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
           grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
            kill -QUIT "$pid" 2>/dev/null || true
            sleep 1
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
}

# The instance lives in /tmp/rivulet-pg.XXXXXX (short, so the unix socket path
# fits; reachable by the postgres user whatever DIR's parents are), and DIR is
# a symlink to it. The instance records DIR in its "owner" file, so one whose
# DIR is gone (the caller's work directory was removed under it) is an orphan
# the next start cleans up.
sweep_orphans() {
    local inst owner
    for inst in /tmp/rivulet-pg.*; do
        [ -d "$inst" ] && [ -f "$inst/owner" ] || continue
        owner=$(cat "$inst/owner" 2>/dev/null || true)
        if [ -z "$owner" ] || [ "$(readlink "$owner" 2>/dev/null)" != "$inst" ]; then
            stop_instance "$inst"
            rm -rf "$inst"
        fi
    done
}

remove_dir() {
    local dir=$1 real
    if [ -L "$dir" ]; then
        real=$(readlink "$dir")
        case $real in /tmp/rivulet-pg.*) stop_instance "$real"; rm -rf "$real" ;; esac
        rm -f "$dir"
    elif [ -e "$dir" ]; then
        stop_instance "$dir"
        rm -rf "$dir"
    fi
}

cmd_start() {
    local dir=${1:?usage: pg-oracle.sh start DIR [PORT] [-c name=value ...]}
    local port=${2:-0}
    shift $(( $# >= 2 ? 2 : 1 ))
    [ -x "$PGBIN/initdb" ] || die "$PGBIN/initdb not found (install postgresql-15: scripts/deps.sh test)"
    case $port in ''|*[!0-9]*) die "bad port '$port'" ;; esac

    remove_dir "$dir"
    sweep_orphans
    mkdir -p "$(dirname "$dir")"
    dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
    local real
    real=$(mktemp -d /tmp/rivulet-pg.XXXXXX)
    ln -s "$real" "$dir"
    echo "$dir" >"$real/owner"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres: "$real"
    fi
    dir=$real

    as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C -N \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    local try
    for _ in 1 2 3 4 5; do
        if [ "$port" -eq 0 ] || port_busy "$port"; then
            port=$(free_port)
        fi
        # -c options after ours win, so callers can override (max_connections...).
        local opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir"
        opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        opts+=" -c shared_buffers=32MB -c max_connections=100 -c lc_messages=C"
        opts+=" -c log_min_messages=warning -c log_connections=off"
        local extra
        for extra in "$@"; do opts+=" $extra"; done
        if as_pg "$PGBIN/pg_ctl" start -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
               -o "$opts" >/dev/null 2>&1; then
            echo "$port" >"$dir/port"
            [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/port"
            # The database the harnesses connect to, as pg_regress names it.
            "$PGBIN/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres \
                -c 'CREATE DATABASE regression' >/dev/null 2>&1 || true
            echo "$port"
            return 0
        fi
        if grep -q "could not bind\|Address already in use\|could not create lock file" \
               "$dir/postgres.log" 2>/dev/null; then
            port=0 # lost a race for the port; pick another
            continue
        fi
        break
    done
    tail -n 30 "$dir/postgres.log" >&2 2>/dev/null || true
    die "PostgreSQL did not start"
}

cmd_stop() {
    local dir=${1:?usage: pg-oracle.sh stop DIR}
    remove_dir "$dir"
}

case ${1:-} in
start) shift; cmd_start "$@" ;;
stop) shift; cmd_stop "$@" ;;
*) echo "usage: $0 start DIR [PORT] [-c name=value ...] | stop DIR" >&2; exit 2 ;;
esac
