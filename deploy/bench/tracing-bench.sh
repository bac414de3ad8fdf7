#!/usr/bin/env bash
#
# tracing-bench.sh — the cost of OpenTelemetry tracing on replica-router's throughput, measured in one run.
#
# Starts its own throwaway PostgreSQL (one node), Redis and replica-router (a copy of
# replica-router/target/quarkus-app) on 127.0.0.1, loads bench_accounts (deploy/bench/replica-router/schema.sql),
# then measures with wrk (deploy/bench/replica-router/router.lua, "Sluice-Route: primary") a primary-key lookup
# and a small insert, for each tracing setting, the router restarted between settings:
#
#   off     QUARKUS_OTEL_SDK_DISABLED=true (no spans, no ids in logs, no propagation) — the baseline
#   10%     SLUICE_TRACE_SAMPLE_RATIO=0.1, no export (the production default without SLUICE_OTLP_ENDPOINT)
#   100%    SLUICE_TRACE_SAMPLE_RATIO=1, no export
#   export  SLUICE_TRACE_SAMPLE_RATIO=1 and OTLP export (http/protobuf) to a local sink: a tiny Python HTTP server
#           that accepts POST /v1/traces and answers 200 with an empty (valid) ExportTraceServiceResponse,
#           counting requests and bytes — no collector is installed here; it measures the router's side only
#
# Settings run in the order off, 10%, 100%, export, then reversed in the next round (BENCH_ROUNDS), so slow drift
# of the shared machine's load hits every setting alike; the table shows the mean over rounds. Besides req/s it
# reports the router's CPU time per request (its process ticks over the run / requests): on a shared machine
# throughput follows the other load, while CPU per request is what tracing adds.
# Progress goes to stderr; the Markdown results go to stdout and replace the "## tracing" section of
# docs/benchmarks.md. Everything it started is stopped on exit. See deploy/bench/README.md.
#
# Environment (defaults in brackets):
#   BENCH_DURATION      measured seconds per path and setting          [8]
#   BENCH_WARMUP        unmeasured seconds of lookups after each start  [40] (8 s left the JIT compiling)
#   BENCH_ROUNDS        rounds over the settings                        [2]
#   BENCH_CONCURRENCY   wrk connections                                 [16]
#   BENCH_ROWS          rows in bench_accounts                          [100000]
#   BENCH_PG_PORT       PostgreSQL port (+1 must be free: the router's replica URL, left down) [25632]
#   BENCH_REDIS_PORT    Redis port                                      [26579]
#   BENCH_ROUTER_PORT   replica-router HTTP port                        [18282]
#   BENCH_SINK_PORT     the OTLP sink's port                            [14318]
#   BENCH_JAVA_OPTS     router JVM flags                                [-Xmx512m]
#   BENCH_PG_BIN        PostgreSQL server bin dir                       [newest /usr/lib/postgresql/*/bin]
#   BENCH_WRITE_DOCS=0  do not touch docs/benchmarks.md                 [1]
#   BENCH_KEEP_WORKDIR=1  keep the work dir after the run               [0]
#
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT ROUTER_APP="$REPO_ROOT/replica-router/target/quarkus-app" HEADING="tracing"
readonly LUA="$REPO_ROOT/deploy/bench/replica-router/router.lua" SCHEMA="$REPO_ROOT/deploy/bench/replica-router/schema.sql"
# shellcheck source=deploy/bench/lib/bench-common.sh
source "$REPO_ROOT/deploy/bench/lib/bench-common.sh"

bench_no_args "${BASH_SOURCE[0]}" "$@"
COMMAND_LINE="$(bench_command_line deploy/bench/tracing-bench.sh)"

DURATION="${BENCH_DURATION:-8}" WARMUP="${BENCH_WARMUP:-40}" ROUNDS="${BENCH_ROUNDS:-2}"
CONCURRENCY="${BENCH_CONCURRENCY:-16}" ROWS="${BENCH_ROWS:-100000}"
PG_PORT="${BENCH_PG_PORT:-25632}" REDIS_PORT="${BENCH_REDIS_PORT:-26579}" ROUTER_PORT="${BENCH_ROUTER_PORT:-18282}"
SINK_PORT="${BENCH_SINK_PORT:-14318}"
for v in DURATION WARMUP ROUNDS CONCURRENCY ROWS PG_PORT REDIS_PORT ROUTER_PORT SINK_PORT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || bench_die "the BENCH_ setting for $v must be a whole number, got '${!v}'"
done
((DURATION >= 1 && ROUNDS >= 1 && CONCURRENCY >= 1 && ROWS >= 1)) \
  || bench_die "need BENCH_DURATION, BENCH_ROUNDS, BENCH_CONCURRENCY and BENCH_ROWS >= 1"
read -r -a JAVA_OPTS <<<"${BENCH_JAVA_OPTS:--Xmx512m}"
THREADS=$(($(nproc) < CONCURRENCY ? $(nproc) : CONCURRENCY))
DOCS_FILE="$REPO_ROOT/docs/benchmarks.md"
readonly SETTINGS=(off 10% 100% export)

# --- prerequisites -------------------------------------------------------------------------------------------
missing=()
for t in java:openjdk-17-jdk-headless curl:curl psql:postgresql-client redis-server:redis-server wrk:wrk python3:python3; do
  command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}")
done
PG_BIN="$(bench_pg_bin)"
[[ -n "$PG_BIN" && -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || missing+=(postgresql)
if ((${#missing[@]} > 0)); then
  bench_is_root || bench_die "missing packages; install them with: sudo apt-get install -y ${missing[*]}"
  bench_log "installing ${missing[*]}"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >&2 \
    || bench_die "apt-get install -y ${missing[*]} failed"
  PG_BIN="$(bench_pg_bin)"
fi
bench_build replica-router
for p in "$PG_PORT" $((PG_PORT + 1)) "$REDIS_PORT" "$ROUTER_PORT" "$SINK_PORT"; do
  bench_port_free "$p" || bench_die "port $p is in use — set BENCH_PG_PORT (needs it and +1), BENCH_REDIS_PORT, BENCH_ROUTER_PORT, BENCH_SINK_PORT"
done

# --- processes we start, and cleanup -------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/sluice-tracing-bench.XXXXXX)"
chmod 755 "$WORK"
mkdir -p "$WORK/logs"
ROUTER_PID="" REDIS_PID="" SINK_PID="" SUCCESS=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  bench_stop_pid "$ROUTER_PID" "$WORK/quarkus-app" replica-router
  bench_stop_pid "$SINK_PID" "$WORK/sink.py" "OTLP sink"
  bench_stop_pid "$REDIS_PID" redis-server redis
  bench_pg_stop "$WORK/pg/data"
  if [[ "${BENCH_KEEP_WORKDIR:-0}" == 1 ]]; then bench_log "kept $WORK"
  elif ((SUCCESS)); then rm -rf "$WORK"
  else rm -rf "$WORK/pg"; bench_log "logs of the failed run are in $WORK/logs"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'bench_warn interrupted; exit 130' INT TERM

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
cp -a "$ROUTER_APP" "$WORK/quarkus-app"  # a rebuild during the run cannot change what is measured

bench_log "postgres: initdb + start on port $PG_PORT, $ROWS rows"
bench_pg_start "$WORK/pg/data" "$PG_PORT" "$WORK/logs/postgres.log"
psql -X -q -v ON_ERROR_STOP=1 -v rows="$ROWS" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -f "$SCHEMA" >/dev/null

bench_log "redis: port $REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --daemonize yes \
  --pidfile "$WORK/redis.pid" --logfile "$WORK/logs/redis.log" || bench_die "redis-server did not start"
for _ in $(seq 1 50); do [[ -s "$WORK/redis.pid" ]] && break; sleep 0.1; done
read -r REDIS_PID <"$WORK/redis.pid"

# The OTLP sink: counts POSTs and bytes; an empty body is a valid (empty) ExportTraceServiceResponse.
cat >"$WORK/sink.py" <<'PY'
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Sink(BaseHTTPRequestHandler):
    requests = 0
    bytes = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/v1/traces":
            Sink.requests += 1
            Sink.bytes += len(body)
        self.send_response(200 if self.path == "/v1/traces" else 404)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # the script reads the counters here
        text = f"{Sink.requests} {Sink.bytes}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, fmt, *args):  # one line per request in logs/sink.log
        sys.stderr.write(fmt % args + "\n")

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
python3 "$WORK/sink.py" "$SINK_PORT" >"$WORK/logs/sink.log" 2>&1 &
SINK_PID=$!

start_router() {  # <setting>
  local setting="$1"
  (
    cd "$WORK"
    unset SLUICE_QUERY_MONITOR_URL REPLICA_ROUTER_REPORTING_QUERY_MONITOR_URL REPLICA_ROUTER_AUTH_CLIENT_TOKENS \
      SLUICE_OTLP_ENDPOINT SLUICE_TRACE_SAMPLE_RATIO QUARKUS_OTEL_SDK_DISABLED
    export QUARKUS_HTTP_PORT="$ROUTER_PORT" SLUICE_PG_USER=postgres SLUICE_PG_PASSWORD=""
    export SLUICE_PG_PRIMARY_URL="postgresql://127.0.0.1:$PG_PORT/postgres"
    export SLUICE_PG_REPLICA_URL="postgresql://127.0.0.1:$((PG_PORT + 1))/postgres"
    export SLUICE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
    case "$setting" in
      off) export QUARKUS_OTEL_SDK_DISABLED=true ;;
      10%) export SLUICE_TRACE_SAMPLE_RATIO=0.1 ;;
      100%) export SLUICE_TRACE_SAMPLE_RATIO=1 ;;
      export) export SLUICE_TRACE_SAMPLE_RATIO=1 SLUICE_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" \
                QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf ;;
    esac
    exec java "${JAVA_OPTS[@]}" -jar "$WORK/quarkus-app/quarkus-run.jar"
  ) >>"$WORK/logs/replica-router.log" 2>&1 &
  ROUTER_PID=$!
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null -H 'Content-Type: application/json' -H 'Sluice-Route: primary' \
      -d '{"query":"SELECT 1"}' "http://127.0.0.1:$ROUTER_PORT/sql" 2>/dev/null && return 0
    bench_pid_is "$ROUTER_PID" "$WORK/quarkus-app" || { tail -n 30 "$WORK/logs/replica-router.log" >&2; bench_die "the router exited"; }
    sleep 0.5
  done
  bench_die "the router did not answer within 120 s"
}

run_wrk() {  # <mode> <seconds> -> "req/s p50_us p99_us router_cpu_us_per_request"
  local out requests non2xx errors duration cpu_before cpu_after
  cpu_before="$(bench_cpu_snapshot "$ROUTER_PID")"
  out="$(BENCH_MODE="$1" BENCH_ROWS="$ROWS" BENCH_ROUTE=primary wrk -t "$THREADS" -c "$CONCURRENCY" -d "${2}s" \
    -s "$LUA" "http://127.0.0.1:$ROUTER_PORT" | sed -n 's/^RESULT //p')"
  cpu_after="$(bench_cpu_snapshot "$ROUTER_PID")"
  [[ -n "$out" ]] || bench_die "wrk printed no RESULT line"
  local -A r
  for kv in $out; do r[${kv%%=*}]="${kv#*=}"; done
  requests="${r[requests]}" non2xx="${r[non2xx]}" duration="${r[duration_us]}"
  errors=$((non2xx + r[connect] + r[read] + r[write] + r[timeout]))
  ((errors * 100 <= requests)) || bench_die "$1: $errors errors in $requests requests"
  awk -v n="$requests" -v d="$duration" -v p50="${r[p50_us]}" -v p99="${r[p99_us]}" -v b="$cpu_before" \
    -v a="$cpu_after" -v hz="$(getconf CLK_TCK)" 'BEGIN { split(b, x, " "); split(a, y, " ")
      printf "%.0f %d %d %.0f\n", n * 1e6 / d, p50, p99, (y[3] - x[3]) * 1e6 / hz / n }'
}

declare -A SUM_RPS SUM_P50 SUM_P99 SUM_CPU
for ((round = 1; round <= ROUNDS; round++)); do
  order=("${SETTINGS[@]}")
  ((round % 2 == 0)) && order=(export 100% 10% off)
  for setting in "${order[@]}"; do
    bench_log "round $round: $setting — start, ${WARMUP}s warm-up, ${DURATION}s lookup, ${DURATION}s insert"
    start_router "$setting"
    ((WARMUP > 0)) && run_wrk lookup "$WARMUP" >/dev/null
    for mode in lookup insert; do
      read -r rps p50 p99 cpu < <(run_wrk "$mode" "$DURATION")
      bench_log "  $mode: $rps req/s, p50 ${p50} µs, p99 ${p99} µs, router CPU ${cpu} µs/request"
      key="$setting/$mode"
      SUM_RPS[$key]=$((${SUM_RPS[$key]:-0} + rps))
      SUM_P50[$key]=$((${SUM_P50[$key]:-0} + p50))
      SUM_P99[$key]=$((${SUM_P99[$key]:-0} + p99))
      SUM_CPU[$key]=$((${SUM_CPU[$key]:-0} + cpu))
    done
    bench_stop_pid "$ROUTER_PID" "$WORK/quarkus-app" replica-router  # stopping flushes the batch processor
    ROUTER_PID=""
  done
done
read -r SINK_REQUESTS SINK_BYTES < <(curl -fsS "http://127.0.0.1:$SINK_PORT/")
# No POST means the export rows measured no export (e.g. a CDI SpanExporter bean switching OTLP off): not a result.
((SINK_REQUESTS > 0)) || bench_die "the OTLP sink received nothing during the export runs; see $WORK/logs/replica-router.log"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- results -------------------------------------------------------------------------------------------------
section="$WORK/section.md"
{
  printf '## %s\n\n' "$HEADING"
  printf 'Measured %s by `%s` ([how to run it](../deploy/bench/README.md#tracing-benchsh)).\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$COMMAND_LINE"
  printf -- '- **Machine:** %s CPUs, %s RAM; %s, OpenJDK %s, router JVM `%s`; one PostgreSQL node, Redis, wrk (%s threads, %s connections) and the router on this machine.\n' \
    "$(nproc)" "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
    "$("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL)/PostgreSQL/')" \
    "$(java -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')" "${JAVA_OPTS[*]}" "$THREADS" "$CONCURRENCY"
  printf -- '- **Router:** commit %s; every request `Sluice-Route: primary` (lookup: `SELECT * FROM bench_accounts WHERE id = $1` over %s rows; insert: one row into bench_events); query-monitor reporting off.\n' \
    "$(git -C "$REPO_ROOT" rev-parse --short HEAD)" "$ROWS"
  printf -- '- **Other load:** load average %s before, %s after (other builds and tests share these 2 cores: differences of a few %% are noise).\n' "$LOAD_BEFORE" "$LOAD_AFTER"
  printf -- '- **Runs:** %s round(s), settings in the order off, 10%%, 100%%, export (reversed in even rounds), router restarted per setting, %ss of lookups to warm up, then %ss per path; figures are means over rounds.\n\n' "$ROUNDS" "$WARMUP" "$DURATION"
  printf '| tracing | lookup req/s | p50 | p99 | router CPU/request | vs off | insert req/s | p50 | p99 | router CPU/request | vs off |\n|---|---|---|---|---|---|---|---|---|---|---|\n'
  for setting in "${SETTINGS[@]}"; do
    row="| $setting "
    for mode in lookup insert; do
      key="$setting/$mode"
      row+="$(awk -v s="${SUM_RPS[$key]}" -v c="${SUM_CPU[$key]}" -v b="${SUM_CPU[off/$mode]}" -v p50="${SUM_P50[$key]}" \
        -v p99="${SUM_P99[$key]}" -v n="$ROUNDS" 'BEGIN { printf "| %.0f | %.2f ms | %.2f ms | %.0f µs | %+.1f %% ", s / n,
          p50 / n / 1000, p99 / n / 1000, c / n, (b > 0 ? 100 * (c - b) / b : 0) }')"
    done
    printf '%s|\n' "$row"
  done
  printf '\nThe OTLP sink received %s POSTs to /v1/traces (%s bytes) over the export runs.\n' "$SINK_REQUESTS" "$SINK_BYTES"
} >"$section"

cat "$section"
if [[ "${BENCH_WRITE_DOCS:-1}" == 1 ]]; then
  bench_replace_section "$DOCS_FILE" "$HEADING" "$section"
  bench_log "wrote the '## $HEADING' section of $DOCS_FILE"
fi
SUCCESS=1
