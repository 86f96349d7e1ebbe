#!/usr/bin/env bash
# tests/clients/psql_test.sh — psql as a client: -c, several -c, \set
# variables, connection URIs, -v ON_ERROR_STOP exit codes, -f scripts,
# non-aligned output formats.
#
#   PGHOST=127.0.0.1 PGPORT=N tests/clients/psql_test.sh
#
# Uses PGHOST/PGPORT (and PGUSER/PGDATABASE, defaulting to postgres and
# regression). Prints one line per check and "N passed, N failed".
set -uo pipefail

: "${PGHOST:=127.0.0.1}" "${PGPORT:?set PGPORT}" "${PGUSER:=postgres}" "${PGDATABASE:=regression}"
export PGHOST PGPORT PGUSER PGDATABASE
PSQL=${PSQL:-psql}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; shift; printf '    %s\n' "$@"; }

# check NAME EXPECTED_RC EXPECTED_STDOUT -- psql args...
# Runs psql -X with a 30 s limit; compares exit code and stdout exactly.
check() {
    local name=$1 want_rc=$2 want_out=$3
    shift 4
    local out rc
    out=$(timeout 30 "$PSQL" -X "$@" 2>"$tmp/err")
    rc=$?
    if [ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ]; then
        ok "$name"
    else
        not_ok "$name" "exit $rc (want $want_rc)" "stdout: $(printf '%q' "$out")" \
            "want:   $(printf '%q' "$want_out")" "stderr: $(head -c 400 "$tmp/err")"
    fi
}

# check_err NAME EXPECTED_RC STDERR_PATTERN -- psql args...: stderr must match (grep -E).
check_err() {
    local name=$1 want_rc=$2 pattern=$3
    shift 4
    local rc
    timeout 30 "$PSQL" -X "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" = "$want_rc" ] && grep -Eq -- "$pattern" "$tmp/err"; then
        ok "$name"
    else
        not_ok "$name" "exit $rc (want $want_rc)" "stderr: $(head -c 400 "$tmp/err")" \
            "want stderr matching: $pattern" "stdout: $(head -c 200 "$tmp/out")"
    fi
}

check "-c 'SELECT 1' prints 1" 0 "1" -- -At -c 'SELECT 1'
check "-c aligned output" 0 " ?column? 
----------
        1
(1 row)" -- -c 'SELECT 1'
check "several -c run in order" 0 "1
two
t" -- -At -c 'SELECT 1' -c "SELECT 'two'" -c 'SELECT true'
check "-c with two statements in one string" 0 "a
b" -- -At -c "SELECT 'a'; SELECT 'b'"
check "NULL display with -P null" 0 "(null)|x" -- -At -P null='(null)' -c "SELECT NULL, 'x'"
check "field separator and tuples only" 0 "1,two,t" -- -At -F , -c "SELECT 1, 'two', true"
check "expanded output" 0 "a|1
b|x" -- -Atx -c "SELECT 1 AS a, 'x' AS b"
check "csv output with header" 0 "n,t
42,\"a,b\"" -- --csv -c "SELECT 42 AS n, 'a,b' AS t"
check "-v variable interpolated" 0 "42" -- -At -v n=41 -f - <<<'SELECT :n + 1;'
check "\\set quoted variable" 0 "it's" -- -At -v s="it's" -f - <<<"SELECT :'s';"
check "\\set and \\echo in a script" 0 "hello
3" -- -At -f - <<'EOF'
\set greeting hello
\echo :greeting
\set a 1
SELECT :a + 2;
EOF
check "\\gset stores a result" 0 "v=7" -- -At -f - <<'EOF'
SELECT 7 AS v \gset
\echo v=:v
EOF
check "\\if on a query result" 0 "yes" -- -At -f - <<'EOF'
SELECT 1 = 1 AS cond \gset
\if :cond
\echo yes
\else
\echo no
\endif
EOF
check "connection URI" 0 "regression|postgres" -- -At \
    -d "postgresql://postgres@$PGHOST:$PGPORT/regression" \
    -c 'SELECT current_database(), current_user'
check "URI with options and application_name" 0 "uri_app|UTC" -- -At \
    -d "postgresql://postgres@$PGHOST:$PGPORT/regression?application_name=uri_app&options=-c%20TimeZone%3DUTC" \
    -c "SELECT current_setting('application_name'), current_setting('TimeZone')"
check "key=value connection string" 0 "kv" -- -At \
    -d "host=$PGHOST port=$PGPORT user=postgres dbname=regression application_name=kv" \
    -c "SHOW application_name"
check "options='-c name=value' in the connection string" 0 "from_options" -- -At \
    -d "host=$PGHOST port=$PGPORT dbname=regression options='-c search_path=from_options'" \
    -c 'SHOW search_path'
PGOPTIONS='-c search_path=from_pgoptions' check "PGOPTIONS" 0 "from_pgoptions" -- -At \
    -c 'SHOW search_path' 
check_err "ON_ERROR_STOP=1 with -c: exit 1 on error" 1 'ERROR: +division by zero' -- \
    -v ON_ERROR_STOP=1 -c 'SELECT 1 / 0'
check "ON_ERROR_STOP=1: stops the script at the error" 3 "1" -- -At -v ON_ERROR_STOP=1 -f - <<'EOF'
SELECT 1;
SELECT 1 / 0;
SELECT 2;
EOF
check "ON_ERROR_STOP=0: goes on after the error" 0 "1
2" -- -At -v ON_ERROR_STOP=0 -f - <<'EOF'
SELECT 1;
SELECT 1 / 0;
SELECT 2;
EOF
check_err "-c error without ON_ERROR_STOP: exit 1" 1 'ERROR: +column "nope" does not exist' -- \
    -c 'SELECT nope'
check_err "syntax error shows LINE and cursor" 1 '^LINE 1: SELEC 1' -- -c 'SELEC 1'
check_err "-f reports file and line" 3 'psql:[^:]*script.sql:2: ERROR: +division by zero' -- \
    -v ON_ERROR_STOP=1 -f "$(printf 'SELECT 1;\nSELECT 1/0;\n' >"$tmp/script.sql"; echo "$tmp/script.sql")"
check "--single-transaction commits" 0 "t" -- -At -1 -c "SELECT true"
check "ECHO_HIDDEN off, -e echoes queries" 0 "SELECT 5;
5" -- -At -e -c 'SELECT 5;'
check "\\conninfo names the server" 0 \
    "You are connected to database \"regression\" as user \"postgres\" on host \"$PGHOST\" at port \"$PGPORT\"." \
    -- -c '\conninfo'
check_err "bad port fails to connect" 2 'Connection refused|could not connect' -- \
    -p 1 -c 'SELECT 1'
check "empty query string" 0 "" -- -At -c ''
check "unicode round trip" 0 "héllo 日本語 🙂" -- -At -c "SELECT 'héllo 日本語 🙂'"
check "wide result row" 0 "1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20" -- -At \
    -c "SELECT 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20"
big=$(head -c 102400 /dev/zero | tr '\0' 'x')
check "long text value (100 kB) comes back whole" 0 "$big" -- -At -c "SELECT '$big'"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
