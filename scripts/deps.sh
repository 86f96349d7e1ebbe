#!/usr/bin/env bash
# scripts/deps.sh — install the Debian packages Rivulet needs, if any are missing.
#
#   scripts/deps.sh build   what `make run` needs (compiler, meson, libraries)
#   scripts/deps.sh test    that plus what `make test` needs (PostgreSQL 15 as the
#                           oracle, psql, Python drivers, JDBC, Node.js, clang)
#
# Installs with apt-get when run as root; otherwise prints the command to run.
set -euo pipefail
what=${1:-build}

build_pkgs=(gcc make meson ninja-build pkg-config libpg-query-dev libprotobuf-c-dev
            liblmdb-dev libevent-dev libzstd-dev libsqlite3-dev check libsubunit-dev tzdata)
test_pkgs=(postgresql-15 postgresql-client-15 python3 python3-psycopg python3-psycopg2
           libpq-dev default-jdk-headless libpostgresql-jdbc-java clang valgrind)

pkgs=("${build_pkgs[@]}")
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
    # Java and Node may come from elsewhere than Debian: accept a working tool.
    case $p in
        default-jdk-headless) command -v javac >/dev/null 2>&1 && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "$what" = test ] && ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if [ "$what" = test ] && ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "rivulet: missing packages: ${missing[*]}" >&2
    echo "rivulet: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "rivulet: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
