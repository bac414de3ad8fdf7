#!/usr/bin/env bash
#
# bulk-bench.sh — rows/s of replica-router's POST /v1/bulk against COPY and row-by-row inserts, in one run.
#
# Starts its own throwaway PostgreSQL (one node), Redis and replica-router (a copy of
# replica-router/target/quarkus-app, java -jar) on 127.0.0.1, then loads BENCH_ROWS rows into an empty
# bench_bulk(id bigint primary key, payload text) table, truncated (and CHECKPOINTed) before each path:
#
#   1. COPY bench_bulk FROM STDIN through psql (one transaction) — the limit
#   2. row-by-row: psql, one autocommitted INSERT per row on one connection, over a sample of
#      BENCH_ROW_BY_ROW_ROWS rows, extrapolated to BENCH_ROWS
#   3. the router, POST /v1/bulk, mode per_chunk, parallelism 1, 2 and 4
#   4. the router, mode atomic, parallelism 1
#
# The router paths send BENCH_ROWS / BENCH_REQUEST_ROWS requests one after the other (5 x 200000 by default).
# Every response and the table's count, min(id) and max(id) are checked after each path; a mismatch fails the run.
# Progress goes to stderr; the Markdown results go to stdout and replace the "## bulk (replica-router)" section
# of docs/benchmarks.md. Everything it started is stopped on exit. See deploy/bench/README.md.
#
# Environment (defaults in brackets):
#   BENCH_ROWS              rows loaded per path                               [1000000]
#   BENCH_REQUEST_ROWS      rows per POST /v1/bulk request (router max 200000) [200000]
#   BENCH_CHUNK_SIZE        chunk_size of each request                         [1000]
#   BENCH_ROW_BY_ROW_ROWS   rows of the row-by-row sample                      [20000]
#   BENCH_WARMUP_REQUESTS   unmeasured router requests before the first path   [3]
#   BENCH_PG_PORT           PostgreSQL port (+1 must be free: the router's replica URL, left down) [25532]
#   BENCH_REDIS_PORT        Redis port                                         [26479]
#   BENCH_ROUTER_PORT       replica-router HTTP port                           [18182]
#   BENCH_JAVA_OPTS         router JVM flags                                   [-Xmx512m]
#   BENCH_PG_BIN            PostgreSQL server bin dir                          [newest /usr/lib/postgresql/*/bin]
#   BENCH_WRITE_DOCS=0      do not touch docs/benchmarks.md                    [1]
#   BENCH_KEEP_WORKDIR=1    keep the work dir after the run                    [0]
#
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT ROUTER_APP="$REPO_ROOT/replica-router/target/quarkus-app" HEADING="bulk (replica-router)"
# shellcheck source=deploy/bench/lib/bench-common.sh
source "$REPO_ROOT/deploy/bench/lib/bench-common.sh"

bench_no_args "${BASH_SOURCE[0]}" "$@"
COMMAND_LINE="$(bench_command_line deploy/bench/bulk-bench.sh)"

ROWS="${BENCH_ROWS:-1000000}" REQUEST_ROWS="${BENCH_REQUEST_ROWS:-200000}" CHUNK="${BENCH_CHUNK_SIZE:-1000}"
RBR_ROWS="${BENCH_ROW_BY_ROW_ROWS:-20000}" WARMUP_REQUESTS="${BENCH_WARMUP_REQUESTS:-3}"
PG_PORT="${BENCH_PG_PORT:-25532}" REDIS_PORT="${BENCH_REDIS_PORT:-26479}" ROUTER_PORT="${BENCH_ROUTER_PORT:-18182}"
for v in ROWS REQUEST_ROWS CHUNK RBR_ROWS WARMUP_REQUESTS PG_PORT REDIS_PORT ROUTER_PORT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || bench_die "the BENCH_ setting for $v must be a whole number, got '${!v}'"
done
((ROWS >= 1 && REQUEST_ROWS >= 1 && REQUEST_ROWS <= 200000 && CHUNK >= 1 && RBR_ROWS >= 1 && RBR_ROWS <= ROWS)) \
  || bench_die "need BENCH_ROWS >= 1, BENCH_REQUEST_ROWS 1..200000, BENCH_CHUNK_SIZE >= 1, BENCH_ROW_BY_ROW_ROWS 1..BENCH_ROWS"
REQUESTS=$(((ROWS + REQUEST_ROWS - 1) / REQUEST_ROWS))
read -r -a JAVA_OPTS <<<"${BENCH_JAVA_OPTS:--Xmx512m}"
DOCS_FILE="$REPO_ROOT/docs/benchmarks.md"
# shellcheck disable=SC2016  # $1, $2 are SQL placeholders
readonly INSERT='INSERT INTO bench_bulk(id, payload) VALUES ($1, $2)'
CLK_TCK="$(getconf CLK_TCK)"

# --- prerequisites -------------------------------------------------------------------------------------------
missing=()
for t in java:openjdk-17-jdk-headless curl:curl jq:jq psql:postgresql-client redis-server:redis-server redis-cli:redis-server; do
  command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}")
done
PG_BIN="$(bench_pg_bin)"
[[ -n "$PG_BIN" && -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || missing+=(postgresql)
if ((${#missing[@]} > 0)); then
  read -r -a missing < <(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  bench_is_root || bench_die "missing packages; install them with: sudo apt-get install -y ${missing[*]}"
  bench_log "installing ${missing[*]}"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >&2 \
    || bench_die "apt-get install -y ${missing[*]} failed"
  PG_BIN="$(bench_pg_bin)"
fi
bench_build replica-router
for p in "$PG_PORT" $((PG_PORT + 1)) "$REDIS_PORT" "$ROUTER_PORT"; do
  bench_port_free "$p" || bench_die "port $p is in use — set BENCH_PG_PORT (needs it and +1), BENCH_REDIS_PORT, BENCH_ROUTER_PORT"
done

# --- processes we start, and cleanup -------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/sluice-bulk-bench.XXXXXX)"
chmod 755 "$WORK"
mkdir -p "$WORK/logs" "$WORK/data"
ROUTER_PID="" REDIS_PID="" PG_PID="" SUCCESS=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  bench_stop_pid "$ROUTER_PID" "$WORK/quarkus-app" replica-router
  bench_stop_pid "$REDIS_PID" redis-server redis
  bench_pg_stop "$WORK/pg/data"
  if [[ "${BENCH_KEEP_WORKDIR:-0}" == 1 ]]; then bench_log "kept $WORK"
  elif ((SUCCESS)); then rm -rf "$WORK"
  else rm -rf "$WORK/pg" "$WORK/data"; bench_log "logs of the failed run are in $WORK/logs"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'bench_warn interrupted; exit 130' INT TERM

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
cp -a "$ROUTER_APP" "$WORK/quarkus-app"  # a rebuild during the run cannot change what is measured

bench_log "postgres: initdb + start on port $PG_PORT"
bench_pg_start "$WORK/pg/data" "$PG_PORT" "$WORK/logs/postgres.log" "max_wal_size='4GB'"
read -r PG_PID <"$WORK/pg/data/postmaster.pid"
psql_c() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }
psql_c -c 'CREATE TABLE bench_bulk (id bigint PRIMARY KEY, payload text NOT NULL)'

bench_log "redis: port $REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --daemonize yes \
  --pidfile "$WORK/redis.pid" --logfile "$WORK/logs/redis.log" || bench_die "redis-server did not start"
for _ in $(seq 1 50); do [[ -s "$WORK/redis.pid" ]] && break; sleep 0.1; done
read -r REDIS_PID <"$WORK/redis.pid"

bench_log "replica-router: port $ROUTER_PORT (replica URL points at the unused port $((PG_PORT + 1)): one node)"
(
  cd "$WORK"
  unset SLUICE_QUERY_MONITOR_URL REPLICA_ROUTER_REPORTING_QUERY_MONITOR_URL REPLICA_ROUTER_AUTH_CLIENT_TOKENS
  export QUARKUS_HTTP_PORT="$ROUTER_PORT" SLUICE_PG_USER=postgres SLUICE_PG_PASSWORD=""
  export SLUICE_PG_PRIMARY_URL="postgresql://127.0.0.1:$PG_PORT/postgres"
  export SLUICE_PG_REPLICA_URL="postgresql://127.0.0.1:$((PG_PORT + 1))/postgres"
  export SLUICE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  exec java "${JAVA_OPTS[@]}" -jar "$WORK/quarkus-app/quarkus-run.jar"
) >"$WORK/logs/replica-router.log" 2>&1 &
ROUTER_PID=$!

# --- request bodies and inputs (generated before any timing) -------------------------------------------------
bench_log "generating $REQUESTS request row files, the COPY input and the row-by-row script"
for ((k = 0; k < REQUESTS; k++)); do
  awk -v a=$((k * REQUEST_ROWS + 1)) -v b=$(((k + 1) * REQUEST_ROWS < ROWS ? (k + 1) * REQUEST_ROWS : ROWS)) \
    'BEGIN { printf "["; for (i = a; i <= b; i++) printf "%s[%d,\"payload-%d\"]", (i > a ? "," : ""), i, i; printf "]" }' \
    >"$WORK/data/rows-$k.json"
done
awk -v n="$ROWS" 'BEGIN { for (i = 1; i <= n; i++) printf "%d\tpayload-%d\n", i, i }' >"$WORK/data/rows.tsv"
awk -v n="$RBR_ROWS" 'BEGIN { for (i = 1; i <= n; i++) printf "INSERT INTO bench_bulk(id, payload) VALUES (%d, '"'"'payload-%d'"'"');\n", i, i }' \
  >"$WORK/data/row-by-row.sql"
BODY_MB="$(du -m "$WORK/data/rows-0.json" | cut -f1)"

# bulk_request <k> <mode> <parallelism>: POST rows-k.json, check the answer says all its rows were written
bulk_request() {
  local k="$1" n code resp="$WORK/logs/response.json"
  n=$(((k + 1) * REQUEST_ROWS < ROWS ? REQUEST_ROWS : ROWS - k * REQUEST_ROWS))
  code="$({ printf '{"query":"%s","chunk_size":%d,"parallelism":%d,"mode":"%s","isolation":"read_committed","rows":' \
      "$INSERT" "$CHUNK" "$3" "$2"; cat "$WORK/data/rows-$k.json"; printf '}'; } \
    | curl -sS --max-time 900 -H 'Content-Type: application/json' --data-binary @- -o "$resp" -w '%{http_code}' \
      "http://127.0.0.1:$ROUTER_PORT/v1/bulk")" || bench_die "POST /v1/bulk (request $k, $2, parallelism $3): curl failed"
  if [[ "$code" != 200 ]] || ! jq -e --argjson n "$n" --argjson c $(((n + CHUNK - 1) / CHUNK)) \
      '.rows == $n and .row_count == $n and .chunks == $c and .errors == false and (.failed | length) == 0
       and (.committed | length) == $c and .commit_lsn != null' "$resp" >/dev/null; then
    bench_die "POST /v1/bulk (request $k, $2, parallelism $3) answered $code: $(head -c 600 "$resp")"
  fi
}

bench_log "replica-router: waiting until a 1-row bulk insert succeeds"
for i in $(seq 1 300); do
  bench_pid_is "$ROUTER_PID" "$WORK/quarkus-app" || { tail -n 30 "$WORK/logs/replica-router.log" >&2; bench_die "replica-router exited"; }
  code="$(curl -s -o "$WORK/logs/probe.json" -w '%{http_code}' --max-time 5 -H 'Content-Type: application/json' \
    --data "{\"query\":\"$INSERT\",\"rows\":[[0,\"probe\"]],\"mode\":\"per_chunk\"}" "http://127.0.0.1:$ROUTER_PORT/v1/bulk" || true)"
  [[ "$code" == 200 ]] && jq -e '.row_count == 1' "$WORK/logs/probe.json" >/dev/null && break
  ((i < 300)) || bench_die "no successful 1-row bulk insert within 60 s (last: $code $(head -c 300 "$WORK/logs/probe.json" 2>/dev/null))"
  sleep 0.2
done
WARMUPS=("per_chunk 1" "per_chunk 4" "atomic 1")  # every code path the JIT should have compiled before timing
for ((i = 0; i < WARMUP_REQUESTS; i++)); do
  read -r mode par <<<"${WARMUPS[i % 3]}"
  bench_log "router warm-up request $((i + 1))/$WARMUP_REQUESTS ($REQUEST_ROWS rows, $mode, parallelism $par, unmeasured)"
  psql_c -c 'TRUNCATE bench_bulk'
  bulk_request 0 "$mode" "$par"
done

# --- the paths ----------------------------------------------------------------------------------------------
ROWS_TABLE=""
# measure <label> <rows it loads> <command...>: truncate + checkpoint, time the command, check the table
measure() {
  local label="$1" n="$2" t0 t1 other router pg before r0 p0 secs rps
  shift 2
  psql_c -c 'TRUNCATE bench_bulk' -c 'CHECKPOINT'
  bench_log "$label: loading $n rows"
  before="$(bench_cpu_snapshot $$ "$ROUTER_PID" "$PG_PID" "$REDIS_PID")"
  r0="$(bench_cpu_snapshot "$ROUTER_PID")" p0="$(bench_cpu_snapshot "$PG_PID")"
  t0="$(date +%s%N)"
  "$@"
  t1="$(date +%s%N)"
  sleep 1  # a psql backend's CPU counts for the postmaster once it has exited and been reaped
  other="$(bench_other_cpu_pct "$before" $$ "$ROUTER_PID" "$PG_PID" "$REDIS_PID")"
  router="$(awk -v a="$r0" -v b="$(bench_cpu_snapshot "$ROUTER_PID")" -v hz="$CLK_TCK" 'BEGIN { split(a, x); split(b, y); printf "%.1f", (y[3] - x[3]) / hz }')"
  pg="$(awk -v a="$p0" -v b="$(bench_cpu_snapshot "$PG_PID")" -v hz="$CLK_TCK" 'BEGIN { split(a, x); split(b, y); printf "%.1f", (y[3] - x[3]) / hz }')"
  [[ "$(psql_c -c 'SELECT count(*), min(id), max(id) FROM bench_bulk')" == "$n|1|$n" ]] \
    || bench_die "$label: bench_bulk holds $(psql_c -c 'SELECT count(*), min(id), max(id) FROM bench_bulk'), expected $n rows with ids 1..$n"
  secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
  rps="$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')"
  [[ -n "${COPY_RPS:-}" ]] || COPY_RPS="$rps"
  bench_log "$(printf '%-44s %8s s  %9s rows/s  router CPU %s s  PostgreSQL CPU %s s  other CPU %s%%' "$label" "$secs" "$rps" "$router" "$pg" "$other")"
  ROWS_TABLE+="$(printf '| %s | %s | %s | %s | %s%% | %s | %s | %s%% |' "$label" "$n" "$secs" "$rps" \
    "$(awk -v r="$rps" -v c="$COPY_RPS" 'BEGIN { printf "%.1f", 100 * r / c }')" "$router" "$pg" "$other")"$'\n'
}
copy_in() { psql_c -c 'COPY bench_bulk(id, payload) FROM STDIN' <"$WORK/data/rows.tsv"; }
row_by_row() { psql_c -f "$WORK/data/row-by-row.sql"; }
router_load() { local k; for ((k = 0; k < REQUESTS; k++)); do bulk_request "$k" "$1" "$2"; done; }

OTHER_START="$(bench_cpu_snapshot $$ "$ROUTER_PID" "$PG_PID" "$REDIS_PID")"
measure "\`COPY … FROM STDIN\` (psql, one transaction)" "$ROWS" copy_in
measure "row-by-row \`INSERT\` (psql, autocommit, 1 connection; sample)" "$RBR_ROWS" row_by_row
for p in 1 2 4; do
  measure "router \`/v1/bulk\` per_chunk, parallelism $p" "$ROWS" router_load per_chunk "$p"
done
measure "router \`/v1/bulk\` atomic, parallelism 1" "$ROWS" router_load atomic 1
OTHER_ALL="$(bench_other_cpu_pct "$OTHER_START" $$ "$ROUTER_PID" "$PG_PID" "$REDIS_PID")"
bench_pid_is "$ROUTER_PID" "$WORK/quarkus-app" || bench_die "replica-router died during the run"
RBR_EXTRAPOLATED="$(awk -v line="$(grep 'row-by-row' <<<"$ROWS_TABLE")" -v n="$ROWS" \
  'BEGIN { split(line, f, "|"); printf "%.0f s (%.1f min)", n / f[5], n / f[5] / 60 }')"

# --- report -------------------------------------------------------------------------------------------------
rev="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -z "$(git -C "$REPO_ROOT" status --porcelain -- replica-router common 2>/dev/null)" ]] || rev+=" (working tree had uncommitted changes in replica-router/common)"
section="$WORK/section.md"
cat >"$section" <<EOF
## $HEADING

Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`deploy/bench/bulk-bench.sh\` (what it does and what each column means:
[deploy/bench/README.md](../deploy/bench/README.md#bulk-benchsh)).

- **Command:** \`$COMMAND_LINE\`
- **Machine:** $(nproc) CPUs, $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL)/PostgreSQL/'), OpenJDK $(java -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p'), router JVM \`${JAVA_OPTS[*]}\`; one PostgreSQL node with default settings except \`max_wal_size=4GB\` (fsync on, synchronous_commit on); everything on this one machine.
- **Router:** commit $rev; jar built $(date -u -r "$ROUTER_APP/quarkus-run.jar" '+%Y-%m-%d %H:%M UTC'); query-monitor reporting off, no client tokens.
- **Other load:** processes other than this benchmark's used **${OTHER_ALL}%** of the machine's CPU time during the paths
  (per path: "other CPU"); load average before the run: $LOAD_BEFORE. Other builds were sharing the 2 CPUs, so all
  figures are lower and noisier than on an idle machine; compare rows with similar "other CPU".
- **Load:** \`bench_bulk(id bigint PRIMARY KEY, payload text NOT NULL)\`, rows \`(i, 'payload-i')\`, truncated and
  CHECKPOINTed before each path. Router paths: $REQUESTS requests of $REQUEST_ROWS rows (~$BODY_MB MB of JSON each), sent one
  after the other, \`$INSERT\`, \`chunk_size\` $CHUNK, \`isolation\` read_committed; $WARMUP_REQUESTS unmeasured
  warm-up request(s) (per_chunk parallelism 1, per_chunk parallelism 4, atomic, in turn) before the first router path. Each response and the table's count/min/max id were checked.

| Path | rows | seconds | rows/s | vs COPY | router CPU s | PostgreSQL CPU s | other CPU |
|---|---:|---:|---:|---:|---:|---:|---:|
${ROWS_TABLE}
Row-by-row was measured on $RBR_ROWS rows; at that rate $ROWS rows would take $RBR_EXTRAPOLATED.

EOF
cat "$section"
if [[ "${BENCH_WRITE_DOCS:-1}" == 1 ]]; then
  bench_replace_section "$DOCS_FILE" "$HEADING" "$section"
  bench_log "updated the '## $HEADING' section of docs/benchmarks.md"
fi
SUCCESS=1
