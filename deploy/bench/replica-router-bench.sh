#!/usr/bin/env bash
#
# replica-router-bench.sh — benchmark the replica-router against the paths operators use today.
#
# Starts its own throwaway PostgreSQL primary + streaming replica, Redis, PgBouncer and replica-router
# (only 127.0.0.1, on ports that do not clash with deploy/local/sluice), loads a bench_accounts table,
# then measures a primary-key lookup and a small insert, with the same concurrency and duration, through:
#
#   1. the router over HTTP (wrk + a Lua script that varies the id): lookups on the replica, lookups with
#      "Sluice-Route: primary", inserts (primary)
#   2. a reactive Vert.x PostgreSQL pool in-process (deploy/bench/replica-router/DirectPoolBench.java),
#      configured like the router's own pools — the floor
#   3. pgbench straight to the primary (-M prepared and -M extended) and through PgBouncer
#      (transaction pooling, -M extended)
#   4. the cost of query-monitor reporting: a real query-monitor and a second router instance that reports every
#      statement to it, warmed up like the first; lookups (replica) and inserts (primary) through the router with
#      reporting off and on, in the order off, on, on, off; then the samples the router sent, dropped or failed
#      and the samples query-monitor received
#
# Progress goes to stderr; the Markdown results go to stdout and replace the "## replica-router" section of
# docs/benchmarks.md. Everything it started is stopped on exit, also on failure or Ctrl-C.
# See deploy/bench/README.md.
#
# Environment (defaults in brackets):
#   BENCH_CONCURRENCY      connections / clients for every path          [16]
#   BENCH_DURATION         measured seconds per run                      [15]
#   BENCH_WARMUP           unmeasured seconds before each JVM run        [5]
#   BENCH_ROUTER_WARMUP    most seconds of router warm-up (lookups until req/s is stable) [45]
#   BENCH_ROWS             rows in bench_accounts (ids 1..N)             [100000]
#   BENCH_WRK_THREADS      wrk threads (and pgbench -j)                  [min(nproc, concurrency)]
#   BENCH_PG_PORT          primary port; the replica uses +1             [25432]
#   BENCH_REDIS_PORT       Redis port                                    [26379]
#   BENCH_PGBOUNCER_PORT   PgBouncer port                                [26432]
#   BENCH_ROUTER_PORT      replica-router HTTP port (reporting off)      [18082]
#   BENCH_REPORTING_ROUTER_PORT  the second router (reporting on)        [18087]
#   BENCH_QUERY_MONITOR_PORT     query-monitor HTTP port                 [18088]
#   BENCH_ROUTER_APP       the router's quarkus-app dir                  [replica-router/target/quarkus-app]
#   BENCH_QUERY_MONITOR_APP  query-monitor's quarkus-app dir             [query-monitor/target/quarkus-app]
#   BENCH_JAVA_OPTS        JVM flags for the routers, query-monitor and the direct pool [-Xmx512m]
#   BENCH_PG_BIN           PostgreSQL server bin dir                     [newest /usr/lib/postgresql/*/bin]
#   BENCH_BUILD=1          first run: mvn -B -q -DskipTests package -pl replica-router,query-monitor -am
#   BENCH_WRITE_DOCS=0     do not touch docs/benchmarks.md               [1]
#   BENCH_DOCS_FILE        where to write the section                    [docs/benchmarks.md]
#   BENCH_KEEP_WORKDIR=1   keep the work dir (data, logs) after the run  [0; kept on failure, minus data]
#
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly HERE="$REPO_ROOT/deploy/bench/replica-router"
ROUTER_APP="${BENCH_ROUTER_APP:-$REPO_ROOT/replica-router/target/quarkus-app}"
QM_APP_SRC="${BENCH_QUERY_MONITOR_APP:-$REPO_ROOT/query-monitor/target/quarkus-app}"
readonly ROUTER_APP="${ROUTER_APP%/}" QM_APP_SRC="${QM_APP_SRC%/}"
# The run uses copies of the quarkus-app dirs in the work dir, so a rebuild during the run cannot change them.
APP="" RUN_JAR="" QM_JAR=""
readonly PROG="deploy/bench/replica-router-bench.sh"

# The caller's BENCH_* settings, to print the exact command that produced the results.
CALLER_SETTINGS=""
while IFS= read -r var; do
  CALLER_SETTINGS+="$var=$(printf '%q' "${!var}") "
done < <(compgen -e | grep '^BENCH_' | sort || true)
readonly COMMAND_LINE="${CALLER_SETTINGS}$PROG${*:+ $*}"

log()  { printf '[bench] %s\n' "$*" >&2; }
warn() { printf '[bench] WARNING: %s\n' "$*" >&2; }
die()  { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
is_root() { [[ "$(id -u)" -eq 0 ]]; }

if (($# > 0)); then
  case "$1" in
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "no arguments are taken (settings are environment variables; see --help), got: $*" ;;
  esac
fi

# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------

CONCURRENCY="${BENCH_CONCURRENCY:-16}"
DURATION="${BENCH_DURATION:-15}"
WARMUP="${BENCH_WARMUP:-5}"
ROUTER_WARMUP="${BENCH_ROUTER_WARMUP:-45}"
ROWS="${BENCH_ROWS:-100000}"
PG_PORT="${BENCH_PG_PORT:-25432}"
REDIS_PORT="${BENCH_REDIS_PORT:-26379}"
PGBOUNCER_PORT="${BENCH_PGBOUNCER_PORT:-26432}"
ROUTER_PORT="${BENCH_ROUTER_PORT:-18082}"
REPORTING_PORT="${BENCH_REPORTING_ROUTER_PORT:-18087}"
QM_PORT="${BENCH_QUERY_MONITOR_PORT:-18088}"
for name in CONCURRENCY DURATION WARMUP ROUTER_WARMUP ROWS PG_PORT REDIS_PORT PGBOUNCER_PORT ROUTER_PORT REPORTING_PORT QM_PORT; do
  is_uint "${!name}" || die "BENCH_$name must be a whole number, got '${!name}'"
done
((CONCURRENCY >= 1 && CONCURRENCY <= 500)) || die "BENCH_CONCURRENCY must be 1..500 (got $CONCURRENCY)"
((DURATION >= 1 && DURATION <= 600)) || die "BENCH_DURATION must be 1..600 seconds (got $DURATION)"
((WARMUP <= 300)) || die "BENCH_WARMUP must be 0..300 seconds (got $WARMUP)"
((ROUTER_WARMUP <= 600)) || die "BENCH_ROUTER_WARMUP must be 0..600 seconds (got $ROUTER_WARMUP)"
((ROWS >= 1)) || die "BENCH_ROWS must be at least 1"
PG_REPLICA_PORT=$((PG_PORT + 1))
NPROC="$(nproc)"
THREADS="${BENCH_WRK_THREADS:-$((NPROC < CONCURRENCY ? NPROC : CONCURRENCY))}"
if ! is_uint "$THREADS" || ((THREADS < 1)); then
  die "BENCH_WRK_THREADS must be a positive number, got '$THREADS'"
fi
((THREADS <= CONCURRENCY)) || THREADS="$CONCURRENCY"
JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx512m}"
WRITE_DOCS="${BENCH_WRITE_DOCS:-1}"
DOCS_FILE="${BENCH_DOCS_FILE:-$REPO_ROOT/docs/benchmarks.md}"
KEEP_WORKDIR="${BENCH_KEEP_WORKDIR:-0}"
readonly CONCURRENCY DURATION WARMUP ROUTER_WARMUP ROWS PG_PORT PG_REPLICA_PORT REDIS_PORT PGBOUNCER_PORT ROUTER_PORT \
  REPORTING_PORT QM_PORT \
  NPROC THREADS JAVA_OPTS WRITE_DOCS DOCS_FILE KEEP_WORKDIR
readonly PAYLOAD="bench-payload"
# Errors above this share of a run's requests make its numbers meaningless: the run fails.
readonly MAX_ERROR_PERMILLE=10

# ---------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------

find_pg_bin() {
  if [[ -n "${BENCH_PG_BIN:-}" ]]; then printf '%s' "${BENCH_PG_BIN%/}"; return 0; fi
  local initdb
  initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
  [[ -x "$initdb" ]] && dirname "$initdb"
  return 0
}

check_prereqs() {
  local missing=() pkgs=() tool
  add() { missing+=("$1"); [[ " ${pkgs[*]} " == *" $2 "* ]] || pkgs+=("$2"); }
  collect() {
    missing=() pkgs=()
    command -v java >/dev/null 2>&1 || add java openjdk-17-jdk-headless
    command -v javac >/dev/null 2>&1 || add javac openjdk-17-jdk-headless
    command -v curl >/dev/null 2>&1 || add curl curl
    command -v psql >/dev/null 2>&1 || add psql postgresql-client
    command -v pgbench >/dev/null 2>&1 || add pgbench postgresql-client
    command -v wrk >/dev/null 2>&1 || add wrk wrk
    command -v pgbouncer >/dev/null 2>&1 || [[ -x /usr/sbin/pgbouncer ]] || add pgbouncer pgbouncer
    command -v redis-server >/dev/null 2>&1 || add redis-server redis-server
    command -v redis-cli >/dev/null 2>&1 || add redis-cli redis-server
    PG_BIN="$(find_pg_bin)"
    for tool in initdb pg_ctl pg_basebackup postgres; do
      [[ -n "$PG_BIN" && -x "$PG_BIN/$tool" ]] || add "$tool" postgresql
    done
  }
  collect
  if ((${#missing[@]} > 0)); then
    [[ -z "${BENCH_PG_BIN:-}" || " ${pkgs[*]} " != *" postgresql "* ]] \
      || die "BENCH_PG_BIN=$BENCH_PG_BIN does not contain initdb, pg_ctl, pg_basebackup and postgres"
    is_root || die "missing: ${missing[*]}. Install them with: sudo apt-get install -y ${pkgs[*]}"
    log "missing: ${missing[*]} — installing ${pkgs[*]}"
    apt-get update -q >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >&2 \
      || die "apt-get install -y ${pkgs[*]} failed"
    collect
    ((${#missing[@]} == 0)) || die "still missing after apt-get install: ${missing[*]}"
  fi
  PGBOUNCER_BIN="$(command -v pgbouncer 2>/dev/null || echo /usr/sbin/pgbouncer)"
  if is_root; then id postgres >/dev/null 2>&1 || die "user 'postgres' does not exist (install the postgresql package)"; fi
}

build_or_check_jar() {
  local build="mvn -B -q -DskipTests package -pl replica-router,query-monitor -am" app
  if [[ "${BENCH_BUILD:-0}" == 1 ]]; then
    command -v mvn >/dev/null 2>&1 || die "BENCH_BUILD=1 needs mvn (apt-get install -y maven)"
    log "building: $build"
    # shellcheck disable=SC2086  # $build is a fixed command line
    (cd "$REPO_ROOT" && $build) >&2 \
      || die "the Maven build failed (output above); fix it, or run without BENCH_BUILD=1 to use the existing jars"
  fi
  for app in "$ROUTER_APP" "$QM_APP_SRC"; do
    [[ -f "$app/quarkus-run.jar" && -d "$app/lib/main" ]] \
      || die "$app/quarkus-run.jar is missing. Build it with: (cd $REPO_ROOT && $build), or set BENCH_BUILD=1 (or point BENCH_ROUTER_APP / BENCH_QUERY_MONITOR_APP at a build)"
  done
}

port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

check_ports_free() {
  local busy=() entry port
  for entry in "$PG_PORT:BENCH_PG_PORT" "$PG_REPLICA_PORT:BENCH_PG_PORT+1" "$REDIS_PORT:BENCH_REDIS_PORT" \
               "$PGBOUNCER_PORT:BENCH_PGBOUNCER_PORT" "$ROUTER_PORT:BENCH_ROUTER_PORT" \
               "$REPORTING_PORT:BENCH_REPORTING_ROUTER_PORT" "$QM_PORT:BENCH_QUERY_MONITOR_PORT"; do
    port="${entry%%:*}"
    port_in_use "$port" && busy+=("$port (${entry#*:})")
  done
  ((${#busy[@]} == 0)) || die "port(s) already in use: ${busy[*]} — set the BENCH_*_PORT variables"
  return 0
}

# ---------------------------------------------------------------------------
# Processes we start, and cleanup
# ---------------------------------------------------------------------------

WORK="" PG_BIN="" PGBOUNCER_BIN="" ROUTER_PID="" REPORTING_PID="" QM_PID="" SUCCESS=0 LOAD_BEFORE="" OTHER_ALL="" ROUTER_WARMUP_NOTE="" WARMUP_CHUNKS=0

# True if pid is alive (not a zombie) and its command line contains the text (never act on a recycled pid).
pid_is() {
  local pid="$1" pattern="$2" stat cmdline
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "${stat##*) }" != Z* ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  [[ "$cmdline" == *"$pattern"* ]]
}

read_pid() {
  local pid=""
  if [[ -f "$1" ]]; then read -r pid <"$1" 2>/dev/null || true; fi
  is_uint "${pid:-x}" && printf '%s' "$pid"
  return 0
}

# Stop a pid if it still runs the given command: SIGTERM (or $3), wait up to 15 s, then SIGKILL.
stop_pid() {
  local pid="$1" pattern="$2" signal="${3:-TERM}" label="$4"
  pid_is "$pid" "$pattern" || return 0
  log "stopping $label (pid $pid)"
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do
    pid_is "$pid" "$pattern" || return 0
    sleep 0.5
  done
  warn "$label did not stop; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

as_pg_owner() {  # initdb/pg_ctl/pgbouncer refuse to run as root
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

stop_pg() {  # stop_pg <datadir> <label>
  local dir="$1" label="$2" pid
  pid="$(read_pid "$dir/postmaster.pid")"
  pid_is "$pid" "$dir" || return 0
  log "stopping postgres $label (pid $pid)"
  as_pg_owner "$PG_BIN/pg_ctl" -D "$dir" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  stop_pid "$pid" "$dir" INT "postgres $label"
}

tail_log() {  # tail_log <file> <title>
  printf '\n----- last 30 lines of %s (%s) -----\n' "$2" "$1" >&2
  if [[ -f "$1" ]]; then tail -n 30 "$1" >&2; else echo "(no log file)" >&2; fi
  printf -- '----- end of %s -----\n' "$2" >&2
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  [[ -n "$WORK" ]] || exit "$rc"
  stop_pid "$ROUTER_PID" "$RUN_JAR" TERM replica-router
  stop_pid "$REPORTING_PID" "$RUN_JAR" TERM "replica-router (reporting on)"
  stop_pid "$QM_PID" "$QM_JAR" TERM query-monitor
  stop_pid "$(read_pid "$WORK/pgbouncer/pgbouncer.pid")" "$WORK/pgbouncer/pgbouncer.ini" TERM pgbouncer
  if [[ -f "$WORK/redis.pid" ]]; then
    local rpid
    rpid="$(read_pid "$WORK/redis.pid")"
    if pid_is "$rpid" redis-server; then
      redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
      stop_pid "$rpid" redis-server TERM redis
    fi
  fi
  stop_pg "$WORK/pg/replica" replica
  stop_pg "$WORK/pg/primary" primary
  if [[ "$KEEP_WORKDIR" == 1 ]]; then
    log "kept the work dir: $WORK"
  elif ((SUCCESS)); then
    rm -rf "$WORK"
  else
    rm -rf "$WORK/pg" "$WORK/redis"
    log "logs of the failed run are in $WORK (remove it when done)"
  fi
  exit "$rc"
}

on_signal() { warn "interrupted"; exit 130; }

# ---------------------------------------------------------------------------
# Setup: PostgreSQL primary + replica, Redis, PgBouncer, the router
# ---------------------------------------------------------------------------

psql_at() {  # psql_at <port> <sql>: one value out
  psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2"
}

start_postgres() {
  local primary="$WORK/pg/primary" replica="$WORK/pg/replica"
  mkdir -p "$WORK/pg"
  if is_root; then
    chown postgres:postgres "$WORK/pg"
    as_pg_owner test -w "$WORK/pg" || die "user 'postgres' cannot write $WORK/pg (a parent directory is not traversable)"
  fi
  log "postgres: initdb (primary, port $PG_PORT)"
  as_pg_owner "$PG_BIN/initdb" -D "$primary" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    >"$WORK/logs/initdb.log" 2>&1 || { tail_log "$WORK/logs/initdb.log" initdb; die "initdb failed"; }
  cat >>"$primary/postgresql.conf" <<EOF

# --- added by $PROG ---
listen_addresses='127.0.0.1'
port=$PG_PORT
unix_socket_directories='$primary'
wal_level=replica
max_wal_senders=10
wal_keep_size='256MB'
hot_standby=on
hot_standby_feedback=on
max_connections=$((CONCURRENCY * 6 + 60))
EOF
  as_pg_owner "$PG_BIN/pg_ctl" -D "$primary" -l "$WORK/logs/postgres-primary.log" -w -t 60 start >/dev/null \
    || { tail_log "$WORK/logs/postgres-primary.log" "postgres primary"; die "the PostgreSQL primary did not start"; }

  log "postgres: pg_basebackup (replica, port $PG_REPLICA_PORT)"
  as_pg_owner "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$replica" -R -X stream -c fast \
    >"$WORK/logs/pg_basebackup.log" 2>&1 || { tail_log "$WORK/logs/pg_basebackup.log" pg_basebackup; die "pg_basebackup failed"; }
  cat >>"$replica/postgresql.auto.conf" <<EOF
port=$PG_REPLICA_PORT
unix_socket_directories='$replica'
EOF
  as_pg_owner "$PG_BIN/pg_ctl" -D "$replica" -l "$WORK/logs/postgres-replica.log" -w -t 60 start >/dev/null \
    || { tail_log "$WORK/logs/postgres-replica.log" "postgres replica"; die "the PostgreSQL replica did not start"; }
  [[ "$(psql_at "$PG_REPLICA_PORT" 'SELECT pg_is_in_recovery()')" == t ]] \
    || die "the replica on port $PG_REPLICA_PORT is not a hot standby"
}

load_data() {
  log "postgres: loading $ROWS rows into bench_accounts"
  psql -X -q -v ON_ERROR_STOP=1 -v rows="$ROWS" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -f "$HERE/schema.sql" >"$WORK/logs/schema.log" 2>&1 || { tail_log "$WORK/logs/schema.log" schema.sql; die "loading the schema failed"; }
  wait_replica_caught_up 60
}

wait_replica_caught_up() {  # wait_replica_caught_up <seconds>
  local target
  target="$(psql_at "$PG_PORT" 'SELECT pg_current_wal_lsn()')"
  for _ in $(seq 1 $(($1 * 5))); do
    [[ "$(psql_at "$PG_REPLICA_PORT" "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn")" == t ]] && return 0
    sleep 0.2
  done
  die "the replica did not replay up to $target within $1 s"
}

start_redis() {
  log "redis: starting on port $REDIS_PORT"
  mkdir -p "$WORK/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK/redis" \
      --daemonize yes --pidfile "$WORK/redis.pid" --logfile "$WORK/logs/redis.log" \
    || { tail_log "$WORK/logs/redis.log" redis; die "redis-server did not start"; }
  for _ in $(seq 1 50); do
    [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" == PONG ]] && return 0
    sleep 0.2
  done
  tail_log "$WORK/logs/redis.log" redis
  die "redis on port $REDIS_PORT did not answer PING within 10 s"
}

start_pgbouncer() {
  local dir="$WORK/pgbouncer"
  mkdir -p "$dir"
  printf '"postgres" ""\n' >"$dir/userlist.txt"
  cat >"$dir/pgbouncer.ini" <<EOF
[databases]
postgres = host=127.0.0.1 port=$PG_PORT dbname=postgres user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = $CONCURRENCY
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = $((CONCURRENCY * 4 + 10))
max_db_connections = $CONCURRENCY
ignore_startup_parameters = extra_float_digits
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
  is_root && chown -R postgres:postgres "$dir"
  log "pgbouncer: starting on port $PGBOUNCER_PORT (transaction pooling, pool size $CONCURRENCY)"
  as_pg_owner "$PGBOUNCER_BIN" -d "$dir/pgbouncer.ini" >"$WORK/logs/pgbouncer.out" 2>&1 \
    || { tail_log "$dir/pgbouncer.log" pgbouncer; tail_log "$WORK/logs/pgbouncer.out" "pgbouncer output"; die "pgbouncer did not start"; }
  for _ in $(seq 1 50); do
    [[ "$(psql_at "$PGBOUNCER_PORT" 'SELECT 1' 2>/dev/null || true)" == 1 ]] && return 0
    sleep 0.2
  done
  tail_log "$dir/pgbouncer.log" pgbouncer
  die "pgbouncer on port $PGBOUNCER_PORT did not answer within 10 s"
}

compile_direct_pool() {
  log "direct pool: compiling DirectPoolBench.java"
  mkdir -p "$WORK/classes"
  javac -nowarn -d "$WORK/classes" -cp "$APP/lib/main/*" "$HERE/DirectPoolBench.java" \
    >"$WORK/logs/javac.log" 2>&1 || { tail_log "$WORK/logs/javac.log" javac; die "DirectPoolBench.java does not compile against the router's jars ($ROUTER_APP/lib/main)"; }
}

# POST one statement to a router; prints "<http code> <Sluice-Node> <Sluice-Route-Reason>".
router_probe() {  # router_probe <port> <json body> [route]
  local headers=(-H 'Content-Type: application/json' -H "Authorization: Bearer $ROUTER_TOKEN")
  [[ -z "${3:-}" ]] || headers+=(-H "Sluice-Route: $3")
  local code
  code="$(curl -s --max-time 5 -D "$WORK/probe.headers" -o "$WORK/probe.body" -w '%{http_code}' \
    "${headers[@]}" --data "$2" "http://127.0.0.1:$1/sql" 2>/dev/null || true)"
  local node reason
  node="$(sed -n 's/^[Ss]luice-[Nn]ode: *\([^[:space:]]*\).*/\1/p' "$WORK/probe.headers" 2>/dev/null | head -n 1)"
  reason="$(sed -n 's/^[Ss]luice-[Rr]oute-[Rr]eason: *\([^[:space:]]*\).*/\1/p' "$WORK/probe.headers" 2>/dev/null | head -n 1)"
  printf '%s %s %s' "${code:-000}" "${node:--}" "${reason:--}"
}

# The environment of a Sluice service started by this script (called in its subshell): HTTP port, nodes, Redis.
service_env() {  # service_env <http port>
  export QUARKUS_HTTP_PORT="$1"
  export SLUICE_PG_PRIMARY_URL="postgresql://127.0.0.1:$PG_PORT/postgres"
  export SLUICE_PG_REPLICA_URL="postgresql://127.0.0.1:$PG_REPLICA_PORT/postgres"
  export SLUICE_PG_USER=postgres SLUICE_PG_PASSWORD=""
  export SLUICE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
}

# Wait until a JVM service answers /q/health/ready with 200.
wait_ready() {  # wait_ready <pid> <jar> <port> <name> <log>
  local code="000"
  for _ in $(seq 1 300); do
    pid_is "$1" "$2" || { tail_log "$5" "$4"; die "$4 exited during startup"; }
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$3/q/health/ready" 2>/dev/null || true)"
    [[ "$code" == 200 ]] && return 0
    sleep 0.2
  done
  tail_log "$5" "$4"
  die "$4 was not ready within 60 s (last /q/health/ready: $code)"
}

# query-monitor, from a copy of its quarkus-app, watching the same nodes and using the same Redis. Its
# pg_stat_statements snapshots are off: the bench nodes do not load the extension, and they are not what is measured.
start_query_monitor() {
  local java_opts
  read -r -a java_opts <<<"$JAVA_OPTS"
  log "query-monitor: starting on port $QM_PORT (a copy of ${QM_APP_SRC#"$REPO_ROOT"/})"
  (
    cd "$WORK"
    service_env "$QM_PORT"
    export QUERY_MONITOR_SNAPSHOT_ENABLED=false
    exec java "${java_opts[@]}" -jar "$QM_JAR"
  ) >"$WORK/logs/query-monitor.log" 2>&1 &
  QM_PID=$!
  wait_ready "$QM_PID" "$QM_JAR" "$QM_PORT" query-monitor "$WORK/logs/query-monitor.log"
}

# Start one router instance (same jar, same settings); with a query-monitor URL it reports every statement.
launch_router() {  # launch_router <port> <log file> [query-monitor URL]; sets LAUNCHED_PID
  local java_opts
  read -r -a java_opts <<<"$JAVA_OPTS"
  (
    cd "$WORK"
    service_env "$1"
    export REPLICA_ROUTER_POOL_MAX_SIZE="$CONCURRENCY"
    # A client token, as in production: it is sent with every request (ignored by builds without /sql auth).
    export REPLICA_ROUTER_AUTH_CLIENT_TOKENS="$ROUTER_TOKEN"
    # Reporting exactly as the caller of launch_router says, whatever the caller's environment says.
    unset SLUICE_QUERY_MONITOR_URL REPLICA_ROUTER_REPORTING_QUERY_MONITOR_URL
    [[ -z "${3:-}" ]] || export SLUICE_QUERY_MONITOR_URL="$3"
    exec java "${java_opts[@]}" -jar "$RUN_JAR"
  ) >"$2" 2>&1 &
  LAUNCHED_PID=$!
}

start_routers() {
  ROUTER_TOKEN="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  log "replica-router: starting on port $ROUTER_PORT (reporting off) and $REPORTING_PORT (reporting to query-monitor), copies of ${ROUTER_APP#"$REPO_ROOT"/}"
  launch_router "$ROUTER_PORT" "$WORK/logs/replica-router.log"
  ROUTER_PID="$LAUNCHED_PID"
  launch_router "$REPORTING_PORT" "$WORK/logs/replica-router-reporting.log" "http://127.0.0.1:$QM_PORT"
  REPORTING_PID="$LAUNCHED_PID"
  wait_ready "$ROUTER_PID" "$RUN_JAR" "$ROUTER_PORT" replica-router "$WORK/logs/replica-router.log"
  wait_ready "$REPORTING_PID" "$RUN_JAR" "$REPORTING_PORT" "replica-router (reporting on)" "$WORK/logs/replica-router-reporting.log"
  check_routing "$ROUTER_PORT"
  local nodes="$PRIMARY_NODE $REPLICA_NODE"
  check_routing "$REPORTING_PORT"
  [[ "$PRIMARY_NODE $REPLICA_NODE" == "$nodes" ]] \
    || die "the two router instances route differently: $nodes vs $PRIMARY_NODE $REPLICA_NODE"
}

# Check the routing the benchmark relies on: inserts -> primary, lookups -> another node (the replica),
# lookups with Sluice-Route: primary -> the insert's node. The replica needs a few probes to be trusted.
check_routing() {  # check_routing <port>
  local port="$1" lookup insert probe_insert probe_lookup probe_hint
  # shellcheck disable=SC2016  # $1 is a SQL placeholder
  lookup='{"query":"SELECT * FROM bench_accounts WHERE id = $1","params":["1"]}'
  insert="{\"query\":\"INSERT INTO bench_events(account_id, payload) VALUES (\$1, \$2)\",\"params\":[\"1\",\"$PAYLOAD\"]}"
  probe_insert="$(router_probe "$port" "$insert")"
  [[ "${probe_insert%% *}" == 200 ]] \
    || die "replica-router :$port: the insert probe failed ($probe_insert): $(head -c 500 "$WORK/probe.body" 2>/dev/null)"
  PRIMARY_NODE="$(cut -d' ' -f2 <<<"$probe_insert")"
  INSERT_REASON="$(cut -d' ' -f3 <<<"$probe_insert")"
  for _ in $(seq 1 150); do
    probe_lookup="$(router_probe "$port" "$lookup")"
    [[ "${probe_lookup%% *}" == 200 ]] \
      || die "replica-router :$port: the lookup probe failed ($probe_lookup): $(head -c 500 "$WORK/probe.body" 2>/dev/null)"
    grep -q '"rowCount":1' "$WORK/probe.body" || die "replica-router :$port: the lookup returned no row: $(head -c 500 "$WORK/probe.body")"
    [[ "$(cut -d' ' -f2 <<<"$probe_lookup")" != "$PRIMARY_NODE" ]] && break
    sleep 0.2
  done
  REPLICA_NODE="$(cut -d' ' -f2 <<<"$probe_lookup")"
  LOOKUP_REASON="$(cut -d' ' -f3 <<<"$probe_lookup")"
  [[ "$REPLICA_NODE" != "$PRIMARY_NODE" ]] \
    || die "replica-router :$port still sends lookups to the primary ($PRIMARY_NODE, reason $LOOKUP_REASON) after 30 s"
  probe_hint="$(router_probe "$port" "$lookup" primary)"
  [[ "$probe_hint" == "200 $PRIMARY_NODE "* ]] \
    || die "replica-router :$port: a lookup with Sluice-Route: primary was not served by $PRIMARY_NODE ($probe_hint)"
  HINT_REASON="$(cut -d' ' -f3 <<<"$probe_hint")"
  log "replica-router :$port: lookups -> $REPLICA_NODE ($LOOKUP_REASON), with Sluice-Route: primary -> $PRIMARY_NODE ($HINT_REASON), inserts -> $PRIMARY_NODE ($INSERT_REASON)"
}

# The router's JVM runs far more code per request than the direct pool (HTTP, JSON, Quarkus), and the JIT needs
# load for a while before that code is compiled (longer when the CPUs are busy): without this, the first router
# runs measure the interpreter. Lookups in 5 s chunks, at least 4, until the last two agree within 10% (at most
# BENCH_ROUTER_WARMUP seconds), then one chunk of inserts for the write path. Given a number of chunks, exactly
# that many lookup chunks instead (the second router gets the same load as the first). Sets WARMUP_CHUNKS.
warm_router() {  # warm_router <port> <label> [lookup chunks]; appends to ROUTER_WARMUP_NOTE
  local port="$1" fixed="${3:--1}" chunk=5 spent=0 n=0 rps="" prev="" out line stable=0 note how
  WARMUP_CHUNKS=0
  ((ROUTER_WARMUP > 0)) || { ROUTER_WARMUP_NOTE+="${ROUTER_WARMUP_NOTE:+; }$2: none"; return 0; }
  how="until req/s is stable, at most ${ROUTER_WARMUP}s"
  ((fixed < 0)) || how="$fixed of them, as for the first router"
  log "replica-router :$port: JIT warm-up (lookups in ${chunk}s chunks, $how)"
  while ((fixed >= 0 ? n < fixed : spent + chunk <= ROUTER_WARMUP)); do
    n=$((n + 1)) out="$WORK/logs/router-$port-warmup-$n.wrk"
    run_wrk "$port" lookup "" "$chunk" "$out"
    spent=$((spent + chunk))
    line="$(grep '^RESULT ' "$out" | tail -n 1 || true)"
    [[ -n "$line" ]] || { cat "$out" >&2; die "router warm-up: no RESULT line from wrk"; }
    rps="$(awk -v n="$(kv requests "$line")" -v us="$(kv duration_us "$line")" 'BEGIN { printf "%.0f", n / (us / 1e6) }')"
    log "replica-router :$port: warm-up chunk $n: $rps req/s"
    if ((fixed < 0 && n >= 4)) && awk -v a="$prev" -v b="$rps" 'BEGIN { d = b - a; if (d < 0) d = -d; exit !(a > 0 && d / a < 0.10) }'; then
      stable=1
      break
    fi
    prev="$rps"
  done
  WARMUP_CHUNKS="$n"
  run_wrk "$port" insert "" "$chunk" "$WORK/logs/router-$port-warmup-insert.wrk"
  spent=$((spent + chunk))
  if ((fixed >= 0)); then
    note="${spent} s (the same ${n} lookup chunks as the first router, last one ${rps} req/s, then ${chunk} s of inserts)"
  elif ((stable)); then
    note="${spent} s (lookups until req/s was stable within 10%, then ${chunk} s of inserts)"
  else
    note="${spent} s (lookups did not reach a stable req/s within BENCH_ROUTER_WARMUP=${ROUTER_WARMUP} s)"
    warn "router :$port warm-up: req/s still changing after ${ROUTER_WARMUP}s; its first run may be low (raise BENCH_ROUTER_WARMUP)"
  fi
  ROUTER_WARMUP_NOTE+="${ROUTER_WARMUP_NOTE:+; }$2: $note"
}

# Before measuring reads on the replica: it has replayed everything and the router sends lookups to it.
expect_lookups_on_replica() {  # expect_lookups_on_replica <port>
  local probe lookup
  wait_replica_caught_up 60
  # shellcheck disable=SC2016  # $1 is a SQL placeholder
  lookup='{"query":"SELECT * FROM bench_accounts WHERE id = $1","params":["2"]}'
  for _ in $(seq 1 50); do
    probe="$(router_probe "$1" "$lookup")"
    [[ "$probe" == "200 $REPLICA_NODE "* ]] && return 0
    sleep 0.2
  done
  die "replica-router :$1 does not send lookups to $REPLICA_NODE any more (last probe: $probe)"
}

# ---------------------------------------------------------------------------
# Runs. Each records RPS, P50, P99 (ms), OK and ERR for its scenario id.
# ---------------------------------------------------------------------------

declare -A RPS=() P50=() P99=() OK=() ERR=() OTHER=()
SCENARIOS=() MAIN_RUNS=() REPORT_RUNS=()
declare -A LABEL=() QUERY=() TARGET=()
FAILED_RUNS=()

kv() {  # kv <key> <RESULT line>
  sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<" $2"
}

us_to_ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

# CPU time, to tell how much of the machine other work (not this benchmark) took during a run.
# Prints "<all CPU ticks> <process ticks> <ticks of this benchmark's processes>": the first two come from
# /proc/stat; ours are the user+system ticks of this script, both routers, query-monitor, both postmasters,
# Redis and PgBouncer and all their descendants, live (utime+stime) or exited and reaped (cutime+cstime).
cpu_snapshot() {
  local roots total busy ours
  roots="$$ $ROUTER_PID $REPORTING_PID $QM_PID $(read_pid "$WORK/pg/primary/postmaster.pid") $(read_pid "$WORK/pg/replica/postmaster.pid")"
  roots+=" $(read_pid "$WORK/redis.pid") $(read_pid "$WORK/pgbouncer/pgbouncer.pid")"
  # user+nice+system only: interrupt time (loopback networking) cannot be attributed to a process
  read -r total busy < <(awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $2 + $3 + $4; exit }' /proc/stat)
  ours="$({ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v roots="$roots" '
    { match($0, /.*\) /); rest = substr($0, RLENGTH + 1); n = split(rest, f, " ")
      if (n < 15) next
      pid = $1; parent[pid] = f[2]; ticks[pid] = f[12] + f[13] + f[14] + f[15] }
    END {
      m = split(roots, r, " "); for (i = 1; i <= m; i++) if (r[i] in ticks) mine[r[i]] = 1
      do { added = 0
           for (p in parent) if (!(p in mine) && (parent[p] in mine)) { mine[p] = 1; added = 1 } } while (added)
      sum = 0; for (p in mine) sum += ticks[p]; print sum }')"
  printf '%s %s %s' "$total" "$busy" "${ours:-0}"
}

other_cpu_pct() {  # other_cpu_pct <snapshot before>: % of all CPU time used by other processes since then
  local before="$1" after
  after="$(cpu_snapshot)"
  awk -v b="$before" -v a="$after" 'BEGIN {
    split(b, x, " "); split(a, y, " ")
    total = y[1] - x[1]; other = (y[2] - x[2]) - (y[3] - x[3])
    if (other < 0) other = 0
    printf "%.0f", (total > 0 ? 100 * other / total : 0) }'
}

record() {  # record <id> <label> <query> <target> <rps> <p50_us> <p99_us> <ok> <errors> <other CPU %>
  local id="$1"
  OTHER[$id]="${10}"
  SCENARIOS+=("$id")
  LABEL[$id]="$2" QUERY[$id]="$3" TARGET[$id]="$4"
  RPS[$id]="$(awk -v r="$5" 'BEGIN { printf "%.0f", r }')"
  P50[$id]="$(us_to_ms "$6")" P99[$id]="$(us_to_ms "$7")"
  OK[$id]="$8" ERR[$id]="$9"
  if (($9 * 1000 > ($8 + $9) * MAX_ERROR_PERMILLE)); then
    FAILED_RUNS+=("$id")
    warn "$id: $9 errors out of $(($8 + $9)) requests"
  elif (($9 > 0)); then
    warn "$id: $9 errors out of $(($8 + $9)) requests (below 1%, kept)"
  fi
  log "$(printf '%-24s %9s req/s   p50 %7s ms   p99 %7s ms   errors %s   other CPU %s%%' "$id" "${RPS[$id]}" "${P50[$id]}" "${P99[$id]}" "$9" "${10}")"
}

run_wrk() {  # run_wrk <port> <mode> <route or ""> <seconds> <output file>
  BENCH_MODE="$2" BENCH_ROUTE="$3" BENCH_ROWS="$ROWS" BENCH_TOKEN="$ROUTER_TOKEN" \
    wrk -t "$THREADS" -c "$CONCURRENCY" -d "${4}s" --timeout 5s -s "$HERE/router.lua" \
    "http://127.0.0.1:$1/sql" >"$5" 2>&1 \
    || { cat "$5" >&2; die "wrk failed (router :$1, mode $2)"; }
}

# bench_router [-r] <id> <mode> <route or ""> <label> <target>: the router without reporting, or with -r the one
# that reports to query-monitor
bench_router() {
  local port="$ROUTER_PORT" pid="$ROUTER_PID" log_file="$WORK/logs/replica-router.log"
  if [[ "$1" == -r ]]; then
    port="$REPORTING_PORT" pid="$REPORTING_PID" log_file="$WORK/logs/replica-router-reporting.log"
    shift
  fi
  local id="$1" out="$WORK/logs/$1.wrk" line requests non2xx errors duration_us mark
  pid_is "$pid" "$RUN_JAR" || { tail_log "$log_file" replica-router; die "replica-router :$port is no longer running"; }
  [[ "$2" != lookup || -n "$3" ]] || expect_lookups_on_replica "$port"
  if ((WARMUP > 0)); then
    log "$id: warm-up ${WARMUP}s"
    run_wrk "$port" "$2" "$3" "$WARMUP" "$WORK/logs/$id.warmup.wrk"
  fi
  log "$id: wrk -t $THREADS -c $CONCURRENCY -d ${DURATION}s (router :$port)"
  local other router_ticks qm_ticks
  mark="$(cpu_snapshot)" router_ticks="$(proc_ticks "$pid")" qm_ticks="$(proc_ticks "$QM_PID")"
  run_wrk "$port" "$2" "$3" "$DURATION" "$out"
  other="$(other_cpu_pct "$mark")"
  router_ticks=$(($(proc_ticks "$pid") - router_ticks)) qm_ticks=$(($(proc_ticks "$QM_PID") - qm_ticks))
  line="$(grep '^RESULT ' "$out" | tail -n 1 || true)"
  [[ -n "$line" ]] || { cat "$out" >&2; die "$id: no RESULT line from wrk"; }
  requests="$(kv requests "$line")" non2xx="$(kv non2xx "$line")" duration_us="$(kv duration_us "$line")"
  errors=$((non2xx + $(kv connect "$line") + $(kv read "$line") + $(kv write "$line") + $(kv timeout "$line")))
  local ok=$((requests - non2xx))
  ((ok > 0)) || { tail_log "$log_file" replica-router; die "$id: no request succeeded ($line)"; }
  record "$id" "$4" "$2" "$5" "$(awk -v n="$ok" -v us="$duration_us" 'BEGIN { print n / (us / 1e6) }')" \
    "$(kv p50_us "$line")" "$(kv p99_us "$line")" "$ok" "$errors" "$other"
  # CPU time per answered request, which the machine's other load changes far less than req/s
  ROUTER_CPU_US[$id]=$((router_ticks * 1000000 / CLK_TCK / ok)) QM_CPU_US[$id]=$((qm_ticks * 1000000 / CLK_TCK / ok))
}

bench_direct() {  # bench_direct <id> <mode> <port> <label> <target>
  local id="$1" out="$WORK/logs/$1.direct" line java_opts mark other
  read -r -a java_opts <<<"$JAVA_OPTS"
  log "$id: direct Vert.x pool, $CONCURRENCY clients, warm-up ${WARMUP}s + ${DURATION}s"
  mark="$(cpu_snapshot)"  # spans the in-process warm-up too
  java "${java_opts[@]}" -cp "$WORK/classes:$APP/lib/main/*" DirectPoolBench \
    --url "postgresql://127.0.0.1:$3/postgres" --user postgres --mode "$2" --rows "$ROWS" \
    --concurrency "$CONCURRENCY" --warmup "$WARMUP" --duration "$DURATION" >"$out" 2>&1 \
    || { cat "$out" >&2; die "$id: DirectPoolBench failed"; }
  other="$(other_cpu_pct "$mark")"
  line="$(grep '^RESULT ' "$out" | tail -n 1 || true)"
  [[ -n "$line" ]] || { cat "$out" >&2; die "$id: no RESULT line from DirectPoolBench"; }
  record "$id" "$4" "$2" "$5" "$(kv rps "$line")" "$(kv p50_us "$line")" "$(kv p99_us "$line")" \
    "$(kv ok "$line")" "$(kv errors "$line")" "$other"
}

bench_pgbench() {  # bench_pgbench <id> <mode> <port> <protocol> <label> <target>
  local id="$1" out="$WORK/logs/$1.pgbench" logdir="$WORK/pgbench-$1" sorted="$WORK/pgbench-$1.sorted"
  local tps failed n p50 p99 mark other
  mkdir -p "$logdir"
  log "$id: pgbench -c $CONCURRENCY -j $THREADS -T $DURATION -M $4 -f $2.sql (port $3)"
  mark="$(cpu_snapshot)"
  pgbench -n -h 127.0.0.1 -p "$3" -U postgres -c "$CONCURRENCY" -j "$THREADS" -T "$DURATION" -M "$4" \
    -D rows="$ROWS" -D payload="$PAYLOAD" -f "$HERE/$2.sql" -l --log-prefix="$logdir/tx" postgres >"$out" 2>&1 \
    || { cat "$out" >&2; die "$id: pgbench failed"; }
  other="$(other_cpu_pct "$mark")"
  tps="$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' "$out" | head -n 1)"
  [[ -n "$tps" ]] || { cat "$out" >&2; die "$id: no tps in the pgbench output"; }
  failed="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out" | head -n 1)"
  # Per-transaction log: client_id transaction_no latency_us script_no epoch_s epoch_us
  awk '$3 ~ /^[0-9]+$/ { print $3 }' "$logdir"/tx.* | sort -n >"$sorted"
  n="$(wc -l <"$sorted")"
  ((n > 0)) || { cat "$out" >&2; die "$id: pgbench logged no transactions"; }
  p50="$(sed -n "$(( (n * 50 + 99) / 100 ))p" "$sorted")"
  p99="$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$sorted")"
  rm -rf "$logdir" "$sorted"
  record "$id" "$5" "$2" "$6" "$tps" "$p50" "$p99" "$n" "${failed:-0}" "$other"
}

checkpoint() { psql_at "$PG_PORT" 'CHECKPOINT' >/dev/null; }

# ---------------------------------------------------------------------------
# query-monitor reporting: off vs on
# ---------------------------------------------------------------------------

declare -A REPORTS=() ROUTER_CPU_US=() QM_CPU_US=()
CLK_TCK="$(getconf CLK_TCK)"
readonly CLK_TCK

proc_ticks() {  # proc_ticks <pid>: user+system CPU ticks of one process (all its threads); 0 if it is gone
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null || true)"
  [[ -n "$stat" ]] || { echo 0; return 0; }
  awk '{ match($0, /.*\) /); split(substr($0, RLENGTH + 1), f, " "); print f[12] + f[13] }' <<<"$stat"
}

prom_sum() {  # prom_sum <metrics page> <metric> [label text]: sum of the matching series, 0 when there is none
  awk -v m="$2" -v l="${3:-}" '
    index($0, m) == 1 && substr($0, length(m) + 1, 1) ~ /[{ ]/ && (l == "" || index($0, l)) { s += $NF }
    END { printf "%.0f", s }' <<<"$1"
}

# "<statements> <sent> <dropped> <failed> <received>": statements the reporting router executed, its
# sluice_replicarouter_reports_total by outcome, and the samples query-monitor took in (all since start).
readonly PROM_TEXT='Accept: text/plain; version=0.0.4'
reporting_counters() {
  local router qm outcome line
  # Prometheus text 0.0.4: the OpenMetrics default carries trace exemplars after some values, which prom_sum misreads.
  router="$(curl -sf --max-time 5 -H "$PROM_TEXT" "http://127.0.0.1:$REPORTING_PORT/q/metrics")" \
    || die "could not read the metrics of the router on port $REPORTING_PORT"
  qm="$(curl -sf --max-time 5 -H "$PROM_TEXT" "http://127.0.0.1:$QM_PORT/q/metrics")" \
    || die "could not read query-monitor's metrics"
  line="$(prom_sum "$router" sluice_replicarouter_statement_duration_seconds_count)"
  for outcome in sent dropped failed; do
    line+=" $(prom_sum "$router" sluice_replicarouter_reports_total "outcome=\"$outcome\"")"
  done
  printf '%s %s' "$line" "$(prom_sum "$qm" sluice_querymonitor_samples_total)"
}

# A measured run of the router that reports, and what it reported during the run and its warm-up: the
# counters' differences once every statement is accounted for and nothing changed for 1.5 s (the buffer is
# sent every second), or after 30 s.
bench_reported() {  # bench_reported <id> <mode> <label> <target>
  local id="$1" before after="" prev=""
  before="$(reporting_counters)"
  bench_router -r "$id" "$2" "" "$3" "$4"
  for _ in $(seq 1 20); do
    after="$(reporting_counters)"
    [[ "$after" == "$prev" ]] && awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ")
      exit !((y[2] + y[3] + y[4]) - (x[2] + x[3] + x[4]) >= y[1] - x[1] && y[5] - x[5] >= y[2] - x[2]) }' && break
    prev="$after"
    sleep 1.5
  done
  REPORTS[$id]="$(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ")
    for (i = 1; i <= 5; i++) printf "%s%d", (i > 1 ? " " : ""), y[i] - x[i] }')"
  log "$id: statements sent dropped failed received: ${REPORTS[$id]}"
}

# The router with reporting off and on, back to back, same load: off, on, on, off (a drift during the four runs
# then hits both settings alike). Each run gets BENCH_WARMUP seconds of unmeasured load first.
compare_reporting() {  # compare_reporting <mode> <target>
  local run
  for run in off-1 on-1 on-2 off-2; do
    [[ "$1" != insert ]] || checkpoint
    if [[ "$run" == on-* ]]; then
      bench_reported "report-$1-$run" "$1" "router, reporting **on** (run ${run#on-})" "$2"
    else
      bench_router "report-$1-$run" "$1" "" "router, reporting off (run ${run#off-})" "$2"
    fi
  done
}

# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------

added_p50() {  # added_p50 <router id> <direct id>: "+0.42 ms" and whether it meets the < 1 ms target
  awk -v r="${P50[$1]}" -v d="${P50[$2]}" 'BEGIN {
    a = r - d; printf "%+.2f ms (%s vs %s ms) — target < 1 ms: %s", a, r, d, (a < 1 ? "**met**" : "**not met**") }'
}

results_table() {  # results_table <ids...>
  echo "| Path | Query | Served by | req/s | p50 ms | p99 ms | requests | errors | other CPU |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
  local id
  for id in "$@"; do
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s%% |\n' "${LABEL[$id]}" "${QUERY[$id]}" "${TARGET[$id]}" \
      "${RPS[$id]}" "${P50[$id]}" "${P99[$id]}" "${OK[$id]}" "${ERR[$id]}" "${OTHER[$id]}"
  done
}

machine_summary() {
  local mem cpu kernel pgv javav wrkv pgbv
  mem="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  kernel="$(uname -sr)"
  pgv="$("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //')"
  javav="$(java -version 2>&1 | head -n 1 | sed 's/.*version "\([^"]*\)".*/\1/')"
  wrkv="$(wrk -v 2>&1 | head -n 1 | awk '{ print $2 }')"
  pgbv="$("$PGBOUNCER_BIN" --version 2>&1 | head -n 1 | awk '{ print $NF }')"
  # shellcheck disable=SC2016  # literal backticks: Markdown code
  printf '%s CPUs (`nproc`), %s RAM, %s; %s; PostgreSQL %s, OpenJDK %s, wrk %s, PgBouncer %s' \
    "$NPROC" "$mem" "${cpu:-unknown CPU}" "$kernel" "$pgv" "$javav" "$wrkv" "$pgbv"
}

app_build() {  # app_build <source quarkus-app dir> <module> <copied jar>: the commit of the tree it was built in
  local tree rev dirty=""
  tree="$(git -C "$1" rev-parse --show-toplevel 2>/dev/null || true)"
  rev="$([[ -n "$tree" ]] && git -C "$tree" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  [[ -z "$tree" || -z "$(git -C "$tree" status --porcelain -- "$2" common 2>/dev/null)" ]] \
    || dirty=", with uncommitted changes in $2 or common"
  [[ -z "$tree" || "$tree" == "$REPO_ROOT" ]] || dirty+=" (built in a clone of the repository)"
  printf 'commit %s%s; jar built %s' "$rev" "$dirty" "$(date -u -r "$3" '+%Y-%m-%d %H:%M UTC')"
}

reporting_line() {  # reporting_line <mode> <what>: the cost of reporting in throughput, and whether it meets the target
  local a="report-$1-off-1" b="report-$1-off-2" c="report-$1-on-1" d="report-$1-on-2"
  awk -v ra="${ROUTER_CPU_US[$a]}" -v rb="${ROUTER_CPU_US[$b]}" -v rc="${ROUTER_CPU_US[$c]}" -v rd="${ROUTER_CPU_US[$d]}" \
      -v mc="${QM_CPU_US[$c]}" -v md="${QM_CPU_US[$d]}" \
      -v what="$2" -v a="${RPS[$a]}" -v b="${RPS[$b]}" -v c="${RPS[$c]}" -v d="${RPS[$d]}" \
      -v pa="${P50[$a]}" -v pb="${P50[$b]}" -v pc="${P50[$c]}" -v pd="${P50[$d]}" \
      -v qa="${P99[$a]}" -v qb="${P99[$b]}" -v qc="${P99[$c]}" -v qd="${P99[$d]}" 'BEGIN {
    off = (a + b) / 2; on = (c + d) / 2; cost = 100 * (off - on) / off
    so = 100 * (a > b ? a - b : b - a) / off; sn = 100 * (c > d ? c - d : d - c) / on
    printf "- %s: reporting off %.0f req/s, on %.0f req/s (mean of two runs each): reporting costs **%.1f%%** of throughput", what, off, on, cost
    printf " — target < 5%%: %s. p50 %.2f → %.2f ms, p99 %.2f → %.2f ms.", (cost < 5 ? "**met**" : "**not met**"), (pa + pb) / 2, (pc + pd) / 2, (qa + qb) / 2, (qc + qd) / 2
    printf " Spread between the two runs of the same setting: off %.1f%%, on %.1f%%", so, sn
    m = so > sn ? so : sn; ac = cost < 0 ? -cost : cost
    printf "%s", (ac < m ? " — the difference is within that noise." : ".")
    printf " CPU per answered request (less sensitive to the other load): router %.0f µs off, %.0f µs on (%+.0f%%);", (ra + rb) / 2, (rc + rd) / 2, 100 * ((rc + rd) - (ra + rb)) / (ra + rb)
    printf " query-monitor %.0f µs per reported request.\n", (mc + md) / 2 }'
}

# What the counters say beyond the table: samples dropped or failed, or sent but not received.
reports_note() {
  local id r stmts=0 sent=0 dropped=0 failed=0 received=0
  for id in report-lookup-on-1 report-lookup-on-2 report-insert-on-1 report-insert-on-2; do
    read -r -a r <<<"${REPORTS[$id]}"
    stmts=$((stmts + r[0])) sent=$((sent + r[1])) dropped=$((dropped + r[2])) failed=$((failed + r[3])) received=$((received + r[4]))
  done
  if ((dropped > 0)); then
    printf '**Samples were dropped:** %s of %s statements (%s%%). The buffer filled faster than it was sent (one POST of\n' \
      "$dropped" "$stmts" "$(awk -v d="$dropped" -v n="$stmts" 'BEGIN { printf "%.1f", 100 * d / n }')"
    printf 'a batch at a time, the buffer drained every flush interval), so the cost above covers fewer than all statements:\n'
    printf 'reporting every statement would cost more.\n'
  else
    printf 'No sample was dropped.\n'
  fi
  ((failed == 0)) || printf '**%s samples failed** (query-monitor refused them or did not answer; see the router log).\n' "$failed"
  ((sent == received)) || printf '**query-monitor received %s samples, the router counted %s sent.**\n' "$received" "$sent"
  ((failed > 0 || sent != received)) || printf 'Every sample sent was received by query-monitor.\n'
}

reports_table() {
  echo "| Run | statements executed | sent | dropped | failed | received by query-monitor |"
  echo "|---|---:|---:|---:|---:|---:|"
  local id r
  for id in report-lookup-on-1 report-lookup-on-2 report-insert-on-1 report-insert-on-2; do
    read -r -a r <<<"${REPORTS[$id]}"
    printf '| %s, run %s (incl. its warm-up) | %s | %s | %s | %s | %s |\n' "${QUERY[$id]}" "${id##*-}" \
      "${r[0]}" "${r[1]}" "${r[2]}" "${r[3]}" "${r[4]}"
  done
}

write_section() {  # the "## replica-router" section of docs/benchmarks.md
  cat <<EOF
## replica-router

Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`deploy/bench/replica-router-bench.sh\` (how to run it and what each
number means: [deploy/bench/README.md](../deploy/bench/README.md)).

- **Command:** \`$COMMAND_LINE\`
- **Machine:** $(machine_summary)
- **Other load:** processes other than this benchmark's used ${OTHER_ALL}% of the machine's CPU time during the runs
  (per run: the "other CPU" column; load average before the run: $LOAD_BEFORE). Anything above a few percent
  took CPU from the run: the figures are then lower and noisier than on an idle machine.
- **Router:** $(app_build "$ROUTER_APP" replica-router "$RUN_JAR"); **query-monitor:** $(app_build "$QM_APP_SRC" query-monitor "$QM_JAR")
- **Settings:** $CONCURRENCY connections/clients on every path; ${DURATION} s measured per run; ${WARMUP} s of unmeasured
  warm-up before each router and direct-pool run; JIT warm-up of each router before the first run: $ROUTER_WARMUP_NOTE;
  $ROWS rows in \`bench_accounts\`, random ids; wrk and pgbench with $THREADS threads; router pools and the direct
  pool: $CONCURRENCY connections, prepared-statement cache on; PgBouncer: transaction pooling, pool size $CONCURRENCY.
  The load generators, both routers, query-monitor, the PostgreSQL primary and replica, Redis and PgBouncer share
  this one machine.
- **Queries:** lookup = \`SELECT * FROM bench_accounts WHERE id = \$1\`; insert =
  \`INSERT INTO bench_events(account_id, payload) VALUES (\$1, \$2)\`. Router routing checked before the runs:
  lookups → \`$REPLICA_NODE\` ($LOOKUP_REASON), lookups with \`Sluice-Route: primary\` → \`$PRIMARY_NODE\`
  ($HINT_REASON), inserts → \`$PRIMARY_NODE\` ($INSERT_REASON).

$(results_table "${MAIN_RUNS[@]}")

Router's added p50 latency over the direct Vert.x pool (same node, same query, same concurrency):

- lookup on the primary (\`Sluice-Route: primary\`): $(added_p50 router-lookup-primary direct-lookup-primary)
- lookup on the replica: $(added_p50 router-lookup-replica direct-lookup-replica)
- insert on the primary: $(added_p50 router-insert direct-insert)

All router figures above are with query-monitor reporting off (\`SLUICE_QUERY_MONITOR_URL\` unset).

### Reporting to query-monitor: off vs on

Two instances of the same router jar, same settings and the same JIT warm-up: one with reporting off (the one
above), one that reports every statement to a real query-monitor (\`SLUICE_QUERY_MONITOR_URL\`; buffer, batch size and
flush interval at their defaults; query-monitor's pg_stat_statements snapshots off). These runs come first, right
after the two routers' warm-ups (the same number of seconds of the same load), back to back with the same
concurrency, in the order off, on, on, off: each router has had the same load before its first and its second
run, and a drift of the machine's other load hits both settings alike. query-monitor runs on the same CPUs, so
its intake work is part of the cost measured here.

$(results_table "${REPORT_RUNS[@]}")

$(reporting_line lookup "lookup on the replica")
$(reporting_line insert "insert on the primary")

What the reporting router did with its samples during each run and its warm-up (\`sluice_replicarouter_reports_total\`
by outcome; statements executed = its \`sluice_replicarouter_statement_duration_seconds_count\`), and what
query-monitor took in (\`sluice_querymonitor_samples_total\`), read once everything was flushed:

$(reports_table)

$(reports_note)

EOF
}

update_docs() {  # replace the "## replica-router" section of $DOCS_FILE, or append it
  local section="$WORK/section.md" merged="$WORK/benchmarks.md.new"
  write_section >"$section"
  [[ -f "$DOCS_FILE" ]] || printf '# Benchmarks\n' >"$DOCS_FILE"
  awk -v sec="$section" '
    function emit(   line) { while ((getline line < sec) > 0) print line; close(sec) }
    /^## / { if (inside) inside = 0
             if ($0 == "## replica-router") { emit(); inside = 1; done = 1; next } }
    !inside { print }
    END { if (!done) { print ""; emit() } }
  ' "$DOCS_FILE" >"$merged"
  # Keep the file's last line free of trailing blank lines.
  sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$merged" >"$merged.trim"
  cat "$merged.trim" >"$DOCS_FILE"
  log "updated the '## replica-router' section of ${DOCS_FILE#"$REPO_ROOT"/}"
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

main() {
  check_prereqs
  build_or_check_jar
  check_ports_free
  WORK="$(mktemp -d /tmp/sluice-bench.XXXXXX)"
  chmod 755 "$WORK"
  mkdir -p "$WORK/logs"
  if is_root; then chown postgres "$WORK/logs"; fi  # PostgreSQL and PgBouncer, run as postgres, log there too
  trap cleanup EXIT
  trap on_signal INT TERM

  APP="$WORK/quarkus-app" RUN_JAR="$WORK/quarkus-app/quarkus-run.jar" QM_JAR="$WORK/query-monitor-app/quarkus-run.jar"
  cp -a "$ROUTER_APP" "$APP" || die "could not copy $ROUTER_APP to $APP"
  cp -a "$QM_APP_SRC" "$WORK/query-monitor-app" || die "could not copy $QM_APP_SRC to $WORK/query-monitor-app"
  LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
  awk -v l="${LOAD_BEFORE%% *}" -v n="$NPROC" 'BEGIN { exit !(l > n / 2) }' \
    && warn "load average is $LOAD_BEFORE on $NPROC CPUs: something else is running, the figures will be noisy (see the 'other CPU' column)"

  local runs=$((6 * DURATION + 14 * (WARMUP + DURATION)))
  log "work dir $WORK; about $((runs / 60)) min $((runs % 60)) s of runs, up to $((2 * (ROUTER_WARMUP + 5))) s of router warm-up and ~40 s of setup"
  start_postgres
  load_data
  start_redis
  start_pgbouncer
  compile_direct_pool
  start_query_monitor
  start_routers
  warm_router "$ROUTER_PORT" "router (reporting off)"
  warm_router "$REPORTING_PORT" "router (reporting on)" "$WARMUP_CHUNKS"

  local P="$PG_PORT" R="$PG_REPLICA_PORT" B="$PGBOUNCER_PORT" all_runs
  all_runs="$(cpu_snapshot)"
  # Reporting off vs on first, while both routers have had exactly the same load (their warm-ups); the
  # off-on-on-off order then gives each router the same load history before its first and its second run.
  compare_reporting lookup replica
  compare_reporting insert primary
  # Lookups first (no WAL to replay on the replica meanwhile), then inserts. Each router run is followed by
  # its direct-pool counterpart, so the pair sees the same conditions on the machine.
  bench_router  router-lookup-primary  lookup primary "router (HTTP, \`Sluice-Route: primary\`)"          primary
  bench_direct  direct-lookup-primary  lookup "$P"    "direct Vert.x pool"                                primary
  bench_router  router-lookup-replica  lookup ""      "router (HTTP)"                                     replica
  bench_direct  direct-lookup-replica  lookup "$R"    "direct Vert.x pool"                                replica
  bench_pgbench pgbench-lookup         lookup "$P" prepared "pgbench direct (\`-M prepared\`)"            primary
  bench_pgbench pgbench-ext-lookup     lookup "$P" extended "pgbench direct (\`-M extended\`)"            primary
  bench_pgbench pgbouncer-lookup       lookup "$B" extended "pgbench via PgBouncer (transaction, \`-M extended\`)" primary
  checkpoint
  bench_router  router-insert          insert ""      "router (HTTP)"                                     primary
  checkpoint
  bench_direct  direct-insert          insert "$P"    "direct Vert.x pool"                                primary
  checkpoint
  bench_pgbench pgbench-insert         insert "$P" prepared "pgbench direct (\`-M prepared\`)"            primary
  checkpoint
  bench_pgbench pgbench-ext-insert     insert "$P" extended "pgbench direct (\`-M extended\`)"            primary
  checkpoint
  bench_pgbench pgbouncer-insert       insert "$B" extended "pgbench via PgBouncer (transaction, \`-M extended\`)" primary

  pid_is "$ROUTER_PID" "$RUN_JAR" || die "replica-router died during the benchmark; see $WORK/logs/replica-router.log"
  pid_is "$REPORTING_PID" "$RUN_JAR" || die "the reporting replica-router died; see $WORK/logs/replica-router-reporting.log"
  pid_is "$QM_PID" "$QM_JAR" || die "query-monitor died during the benchmark; see $WORK/logs/query-monitor.log"
  OTHER_ALL="$(other_cpu_pct "$all_runs")"
  local id
  for id in "${SCENARIOS[@]}"; do
    if [[ "$id" == report-* ]]; then REPORT_RUNS+=("$id"); else MAIN_RUNS+=("$id"); fi
  done
  write_section
  if ((${#FAILED_RUNS[@]} > 0)); then
    die "more than 1% errors in: ${FAILED_RUNS[*]} — results not written to docs (logs in $WORK/logs)"
  fi
  if [[ "$WRITE_DOCS" == 1 ]]; then update_docs; else log "BENCH_WRITE_DOCS=$WRITE_DOCS: docs not updated"; fi
  SUCCESS=1
}

main
