#!/usr/bin/env bash
#
# deploy/checks/suite.sh — the checks that need the launcher and a running suite; the test command
# (deploy/local/sluice test) runs it after mvn verify has built the jars.
#
#   one-pg    one PostgreSQL and no replica: a throwaway PostgreSQL, then `sluice up` with only
#             SLUICE_PG_PRIMARY_URL; a write (200 with a commit LSN, the row in PostgreSQL), a read (on the primary,
#             reason no-replica), a cache miss then hit through cache-service, a bulk insert, a BEGIN refused; then
#             `sluice down`
#   suite     the full local suite (primary + streaming replica): `sluice up` detached, five services ready; the
#             deploy/local/demo (its advised index verified EFFECTIVE) and `sluice validate` exiting 0; the runbook
#             checker on every runbook; the console's browser test in headless Chromium; `sluice down`
#   Both end by checking that `down` left no process and no listening port behind.
#
# Usage: deploy/checks/suite.sh [one-pg|suite]...   (default: both)
# Environment: SLUICE_SUITE_BASE_PORT [9281] (services on base+0..4), SLUICE_SUITE_PG_PORT [25632, replica +1],
#   SLUICE_SUITE_REDIS_PORT [26579]; CHROMIUM [/usr/bin/chromium]. Needs curl, jq, psql, node/npm, chromium.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly SLUICE="$REPO_ROOT/deploy/local/sluice"
readonly BASE="${SLUICE_SUITE_BASE_PORT:-9281}"
readonly PG_PORT="${SLUICE_SUITE_PG_PORT:-25632}"
readonly REDIS_PORT="${SLUICE_SUITE_REDIS_PORT:-26579}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sluice-suite-checks.XXXXXX")"
readonly WORK
chmod 755 "$WORK"

log() { printf '[suite-checks] %s\n' "$*"; }
fail() { printf '[suite-checks] FAILED: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_bin() { dirname "$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"; }

port_listening() { [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]; }

# The environment of one launcher instance: its own state dir and ports, the jars mvn verify built.
launcher() {  # launcher <state dir> <command> [env...]
  local home="$1" cmd="$2"
  shift 2
  env SLUICE_HOME="$home" SLUICE_BASE_PORT="$BASE" SLUICE_PG_PORT="$PG_PORT" SLUICE_REDIS_PORT="$REDIS_PORT" \
    SLUICE_SKIP_BUILD=1 SLUICE_DETACH=1 "$@" "$SLUICE" "$cmd"
}

# `down` must leave nothing: no process of the suite, no port of the suite listening.
nothing_left() {  # nothing_left <state dir> <ports...>
  local home="$1" port pid
  shift
  for port in "$@"; do
    ! port_listening "$port" || fail "port $port still listens after 'sluice down'"
  done
  for pid in $(cat "$home"/pids/*.pid "$home"/*.pid 2>/dev/null || true); do
    ! kill -0 "$pid" 2>/dev/null || fail "process $pid of the suite still runs after 'sluice down'"
  done
  if pgrep -f -- "$home/apps/" >/dev/null; then
    fail "a service started from $home still runs after 'sluice down'"
  fi
}

service_ports() { local i; for i in 0 1 2 3 4; do printf '%s ' $((BASE + i)); done; }

post() {  # post <url> <json> -> body; the status and headers go to $WORK/last.*
  curl -sS -o "$WORK/last.body" -D "$WORK/last.headers" -w '%{http_code}' -H 'Content-Type: application/json' \
    "$1" -d "$2" >"$WORK/last.status"
  cat "$WORK/last.body"
}
status() { cat "$WORK/last.status"; }
header() { tr -d '\r' <"$WORK/last.headers" | awk -v h="$(tr '[:upper:]' '[:lower:]' <<<"$1"):" 'tolower($1) == h {print $2}'; }
expect() {  # expect <what> <actual> <expected>
  [[ "$2" == "$3" ]] || fail "$1: expected '$3', got '$2' ($(cat "$WORK/last.body" 2>/dev/null | head -c 400))"
}

check_one_pg() {
  local home="$WORK/one-pg" data="$WORK/one-pg-data" url rr cs table lsn
  log "one-pg: a throwaway PostgreSQL on :$PG_PORT and the launcher with SLUICE_PG_PRIMARY_URL only"
  mkdir -p "$data" && chown -R postgres "$data" 2>/dev/null || true
  as_pg "$(pg_bin)/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >"$WORK/initdb.log"
  as_pg "$(pg_bin)/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-p $PG_PORT -k $data -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements" start \
    >/dev/null
  url="postgresql://127.0.0.1:$PG_PORT/postgres"
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 'CREATE EXTENSION pg_stat_statements' postgres
  trap 'launcher "$WORK/one-pg" down >/dev/null 2>&1 || true; as_pg "$(pg_bin)/pg_ctl" -D "$WORK/one-pg-data" -m immediate stop >/dev/null 2>&1 || true' EXIT
  launcher "$home" up SLUICE_PG_PRIMARY_URL="$url" >"$WORK/one-pg-up.log" 2>&1 \
    || { tail -n 40 "$WORK/one-pg-up.log" >&2; fail "one-pg: 'sluice up' failed"; }
  grep -q 'PG replica *none: one node' "$WORK/one-pg-up.log" || fail "one-pg: the launcher does not say 'one node'"

  rr="http://127.0.0.1:$((BASE + 1))" cs="http://127.0.0.1:$((BASE + 2))" table="one_pg_$$"
  post "$rr/sql" "{\"query\": \"CREATE TABLE $table (id int PRIMARY KEY, v text)\"}" >/dev/null
  expect "one-pg: CREATE TABLE" "$(status)" 200
  post "$rr/sql" "{\"query\": \"INSERT INTO $table VALUES (\$1, \$2)\", \"params\": [\"1\", \"one\"]}" >/dev/null
  expect "one-pg: a write" "$(status)" 200
  lsn="$(header Sluice-Commit-Lsn)"
  [[ -n "$lsn" ]] || fail "one-pg: a write answered without Sluice-Commit-Lsn"
  expect "one-pg: the write is committed" \
    "$(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "SELECT v FROM $table WHERE id = 1" postgres)" one
  post "$rr/sql" "{\"query\": \"SELECT v FROM $table WHERE id = \$1\", \"params\": [\"1\"]}" >/dev/null
  expect "one-pg: a read" "$(status)" 200
  expect "one-pg: the read's route" "$(header Sluice-Route-Reason)" no-replica
  post "$cs/v1/cache/query" "{\"namespace\": \"one-pg\", \"sql\": \"SELECT v FROM $table WHERE id = \$1\", \"params\": [1], \"ttl_s\": 60}" >/dev/null
  expect "one-pg: a cache miss" "$(status)/$(header X-Cache)" 200/MISS
  post "$cs/v1/cache/query" "{\"namespace\": \"one-pg\", \"sql\": \"SELECT v FROM $table WHERE id = \$1\", \"params\": [1], \"ttl_s\": 60}" >/dev/null
  expect "one-pg: then a hit" "$(status)/$(header X-Cache)" 200/HIT
  post "$rr/v1/bulk" "{\"query\": \"INSERT INTO $table VALUES (\$1, \$2)\", \"rows\": [[\"2\", \"b\"], [\"3\", \"c\"]]}" >/dev/null
  expect "one-pg: a bulk insert" "$(status)" 200
  expect "one-pg: the bulk rows are committed" \
    "$(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "SELECT count(*) FROM $table" postgres)" 3
  post "$rr/sql" '{"query": "BEGIN"}' >/dev/null
  expect "one-pg: a lone BEGIN" "$(status)" 400

  launcher "$home" down >"$WORK/one-pg-down.log" 2>&1 || fail "one-pg: 'sluice down' failed"
  # shellcheck disable=SC2046  # the ports are words
  nothing_left "$home" $(service_ports) "$REDIS_PORT"
  as_pg "$(pg_bin)/pg_ctl" -D "$data" -m fast stop >/dev/null
  trap - EXIT
  log "one-pg: ok (write, read on the primary, cache miss and hit, bulk, BEGIN refused; nothing left after down)"
}

check_suite() {
  local home="$WORK/suite" rc=0
  log "suite: 'sluice up' (primary :$PG_PORT, replica :$((PG_PORT + 1)), Redis :$REDIS_PORT, services :$BASE..)"
  trap 'launcher "$WORK/suite" down >/dev/null 2>&1 || true' EXIT
  launcher "$home" up >"$WORK/suite-up.log" 2>&1 \
    || { tail -n 40 "$WORK/suite-up.log" >&2; fail "suite: 'sluice up' failed"; }
  [[ "$(grep -c ' is ready$' "$WORK/suite-up.log")" == 5 ]] || fail "suite: not all five services said ready"

  # Issue #20: on a fresh, healthy suite warmed by the demo, the rollout scorecard has no failed target (first:
  # the runbook checks provoke errors and slow statements on purpose; the console's test stops a service).
  log "suite: deploy/local/demo, then 'sluice validate' (exit 0: no target failed)"
  SLUICE_HOME="$home" SLUICE_BASE_PORT="$BASE" "$REPO_ROOT/deploy/local/demo" >"$WORK/demo.log" 2>&1 \
    || { tail -n 30 "$WORK/demo.log" >&2; fail "suite: the demo failed"; }
  grep -q "verification .*: EFFECTIVE" "$WORK/demo.log" \
    || { tail -n 30 "$WORK/demo.log" >&2; fail "suite: the demo's advised index was not verified EFFECTIVE"; }
  launcher "$home" validate >"$WORK/validate.log" 2>&1 \
    || { cat "$WORK/validate.log" >&2; fail "suite: 'sluice validate' failed after the demo"; }

  log "suite: the runbook checker (docs/runbooks.md, every RB)"
  SLUICE_HOME="$home" SLUICE_BASE_PORT="$BASE" "$REPO_ROOT/deploy/runbooks/check.sh" || rc=$?
  ((rc == 0)) || fail "suite: the runbook checker failed (above)"

  log "suite: the console's browser test (headless Chromium)"
  (cd "$REPO_ROOT/deploy/console-test" && npm ci --no-audit --no-fund --silent \
    && SLUICE_HOME="$home" SLUICE_BASE_PORT="$BASE" SCREENSHOTS="$WORK/screenshots" npm test) || rc=$?
  ((rc == 0)) || fail "suite: the console's browser test failed (above)"

  launcher "$home" down >"$WORK/suite-down.log" 2>&1 || fail "suite: 'sluice down' failed"
  # shellcheck disable=SC2046  # the ports are words
  nothing_left "$home" $(service_ports) "$REDIS_PORT" "$PG_PORT" "$((PG_PORT + 1))"
  trap - EXIT
  log "suite: ok (five ready, demo then validate, runbooks, console; nothing left after down)"
}

main() {
  local checks=("$@")
  ((${#checks[@]})) || checks=(one-pg suite)
  for c in "${checks[@]}"; do
    case "$c" in
      one-pg) check_one_pg ;;
      suite) check_suite ;;
      *) fail "unknown check '$c' (one-pg, suite)" ;;
    esac
  done
  rm -rf "$WORK"
}

main "$@"
