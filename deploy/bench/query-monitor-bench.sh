#!/usr/bin/env bash
#
# query-monitor-bench.sh — what query-monitor costs and how exact it is, in one run on this machine:
#   1. ingest: POST /v1/queries/samples (batches of BENCH_BATCH samples, 200 fingerprints) samples/s with hey,
#      against the raw Redis baseline: redis-benchmark HINCRBY, one command per sample (what a monitor that
#      wrote every sample to Redis would need at the very least), pipelined and not;
#   2. percentile error: 20,000 log-normal durations of one fingerprint, p50/p90/p95/p99 from GET /metrics/queries
#      against the exact values;
#   3. the cost of reporting on replica-router: two routers, reporting to query-monitor on and off, loaded in turn
#      (off, on, off, on) with hey on POST /sql; the difference in requests/s.
# Builds query-monitor and replica-router first when their jars are missing (or BENCH_BUILD=1).
# Results: stdout and the "## query-monitor" section of docs/benchmarks.md (BENCH_WRITE_DOCS=0 to skip).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=lib/bench-common.sh
source "$REPO_ROOT/deploy/bench/lib/bench-common.sh"
DURATION="${BENCH_DURATION:-15}" WARMUP="${BENCH_WARMUP:-5}" CONC="${BENCH_CONCURRENCY:-8}" BATCH="${BENCH_BATCH:-500}"
PG_PORT="${BENCH_PG_PORT:-24532}" REDIS_PORT="${BENCH_REDIS_PORT:-24679}" QM_PORT="${BENCH_QM_PORT:-28181}"
RR_ON_PORT=28182 RR_OFF_PORT=28192
JAVA_OPTS=(-Xmx512m -XX:+UseParallelGC)
QM_APP="$REPO_ROOT/query-monitor/target/quarkus-app" RR_APP="$REPO_ROOT/replica-router/target/quarkus-app"
for tool in hey redis-server redis-benchmark psql jq python3 curl java; do
  command -v "$tool" >/dev/null || bench_die "$tool is missing (apt-get install hey redis-tools postgresql jq python3 curl)"
done
bench_build query-monitor replica-router
PG_BIN="$(bench_pg_bin)"
for p in "$PG_PORT" "$REDIS_PORT" "$QM_PORT" "$RR_ON_PORT" "$RR_OFF_PORT"; do bench_port_free "$p" || bench_die "port $p is busy"; done

WORK="$(mktemp -d /tmp/qm-bench.XXXXXX)"
chmod 755 "$WORK"
mkdir -p "$WORK/logs" "$WORK/data"
PIDS=()
cleanup() {
  local i
  for i in "${!PIDS[@]}"; do bench_stop_pid "${PIDS[$i]}" "$WORK" "service $i"; done
  [[ -f "$WORK/redis.pid" ]] && bench_stop_pid "$(cat "$WORK/redis.pid")" redis-server redis
  bench_pg_stop "$WORK/pg/data"
  [[ "${BENCH_KEEP_WORKDIR:-0}" == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
cp -a "$QM_APP" "$WORK/qm-app" && cp -a "$RR_APP" "$WORK/rr-app"

bench_log "postgres on $PG_PORT, redis on $REDIS_PORT"
bench_pg_start "$WORK/pg/data" "$PG_PORT" "$WORK/logs/postgres.log" "shared_preload_libraries='pg_stat_statements'"
psql_c() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }
psql_c -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' \
  -c 'CREATE TABLE bench_items AS SELECT g AS id, md5(g::text) AS name FROM generate_series(1, 10000) g' \
  -c 'ALTER TABLE bench_items ADD PRIMARY KEY (id)'
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --daemonize yes \
  --pidfile "$WORK/redis.pid" --logfile "$WORK/logs/redis.log"
for _ in $(seq 1 50); do [[ -s "$WORK/redis.pid" ]] && break; sleep 0.1; done

# start_service <name> <app dir> <port> [VAR=value...]: java -jar with the shared SLUICE_* variables.
start_service() {
  local name="$1" app="$2" port="$3"
  shift 3
  (
    cd "$WORK"
    unset SLUICE_QUERY_MONITOR_URL REPLICA_ROUTER_REPORTING_QUERY_MONITOR_URL REPLICA_ROUTER_AUTH_CLIENT_TOKENS
    export QUARKUS_HTTP_PORT="$port" SLUICE_PG_USER=postgres SLUICE_PG_PASSWORD=""
    export SLUICE_PG_PRIMARY_URL="postgresql://127.0.0.1:$PG_PORT/postgres" SLUICE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
    export SLUICE_PG_REPLICA_URL="postgresql://127.0.0.1:$((PG_PORT + 1))/postgres" "$@"
    exec java "${JAVA_OPTS[@]}" -jar "$app/quarkus-run.jar"
  ) >"$WORK/logs/$name.log" 2>&1 &
  PIDS+=($!)
}
await_ready() {
  for _ in $(seq 1 300); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/q/health/live" || true)" == 200 ]] && return 0
    sleep 0.2
  done
  tail -n 30 "$WORK/logs/$2.log" >&2; bench_die "$2 did not start"
}
bench_log "query-monitor on $QM_PORT, replica-router on $RR_ON_PORT (reporting) and $RR_OFF_PORT (not reporting)"
start_service query-monitor "$WORK/qm-app" "$QM_PORT" SLUICE_PG_REPLICA_URL="postgresql://127.0.0.1:$PG_PORT/postgres"
start_service router-on "$WORK/rr-app" "$RR_ON_PORT" REPLICA_ROUTER_REPORTING_QUERY_MONITOR_URL="http://127.0.0.1:$QM_PORT"
start_service router-off "$WORK/rr-app" "$RR_OFF_PORT"
await_ready "$QM_PORT" query-monitor; await_ready "$RR_ON_PORT" router-on; await_ready "$RR_OFF_PORT" router-off

# --- inputs -----------------------------------------------------------------------------------------------------
python3 - "$WORK/data" "$BATCH" <<'PY'
import json, math, random, sys
out, batch = sys.argv[1], int(sys.argv[2])
r = random.Random(1)
samples = [{"sql": f"SELECT name FROM bench_t{i % 200} WHERE id = {r.randint(1, 10**6)}", "database": "bench",
            "duration_ms": round(math.exp(math.log(4) + r.gauss(0, 1)), 3), "rows": 1, "source": "bench"}
           for i in range(batch)]
json.dump({"samples": samples}, open(f"{out}/ingest.json", "w"))
acc = [math.exp(math.log(8) + r.gauss(0, 1.1)) for _ in range(20000)]
for k in range(20):
    json.dump({"samples": [{"sql": "SELECT * FROM bench_accuracy WHERE id = 1", "database": "bench-accuracy",
                            "duration_ms": round(v, 6)} for v in acc[k * 1000:(k + 1) * 1000]]},
              open(f"{out}/accuracy-{k}.json", "w"))
s = sorted(round(v, 6) for v in acc)
json.dump({q: s[math.floor(p * (len(s) - 1))] for q, p in [("p50Ms", .5), ("p90Ms", .9), ("p95Ms", .95), ("p99Ms", .99)]},
          open(f"{out}/exact.json", "w"))
PY
echo '{"query": "SELECT name FROM bench_items WHERE id = $1", "params": ["42"]}' >"$WORK/data/sql.json"

# hey_rps <seconds> <url> <body file>: requests/s, failing the run if any answer was not 2xx
hey_rps() {
  local out="$WORK/logs/hey.txt"
  hey -z "${1}s" -c "$CONC" -m POST -T application/json -D "$3" "$2" >"$out" 2>&1 || bench_die "hey failed: $(tail -n 5 "$out")"
  if grep -A20 'Status code distribution' "$out" | grep -Eq '\[[^2][0-9]{2}\]' || grep -q '^Error distribution' "$out"; then
    bench_die "non-2xx answers from $2: $(grep -A5 -E 'Status code|Error distribution' "$out")"
  fi
  awk '/Requests\/sec/ { printf "%.0f", $2 }' "$out"
}

# --- 1. ingest vs raw Redis --------------------------------------------------------------------------------------
CPU0="$(bench_cpu_snapshot "${PIDS[@]}")"
bench_log "ingest: warm-up ${WARMUP}s, then ${DURATION}s, $CONC connections, $BATCH samples per request"
hey_rps "$WARMUP" "http://127.0.0.1:$QM_PORT/v1/queries/samples" "$WORK/data/ingest.json" >/dev/null
INGEST_RPS="$(hey_rps "$DURATION" "http://127.0.0.1:$QM_PORT/v1/queries/samples" "$WORK/data/ingest.json")"
INGEST_SPS=$((INGEST_RPS * BATCH))
bench_log "raw Redis baseline: redis-benchmark HINCRBY"
redis_rps() { redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c "$CONC" -n "$1" -P "$2" -q HINCRBY bench:qm:h f 1 \
  | tr '\r' '\n' | awk '/requests per second/ { for (i = 1; i <= NF; i++) if ($i == "requests") { printf "%.0f", $(i - 1); exit } }'; }
REDIS_P64="$(redis_rps 2000000 64)"
REDIS_P1="$(redis_rps 200000 1)"
OTHER_CPU="$(bench_other_cpu_pct "$CPU0" "${PIDS[@]}")"

# --- 2. percentile error -----------------------------------------------------------------------------------------
bench_log "percentile accuracy: 20,000 samples of one fingerprint"
for k in $(seq 0 19); do
  curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary "@$WORK/data/accuracy-$k.json" \
    "http://127.0.0.1:$QM_PORT/v1/queries/samples" || bench_die "accuracy batch $k refused"
done
sleep 3
curl -sf "http://127.0.0.1:$QM_PORT/metrics/queries?database=bench-accuracy&window=5m" >"$WORK/data/measured.json"
ACCURACY_ROWS="$(jq -r --slurpfile exact "$WORK/data/exact.json" '.queries[0] as $q | $exact[0] | to_entries[]
  | "| \(.key) | \(.value * 1000 | round / 1000) | \($q[.key]) | \((($q[.key] - .value) / .value * 10000 | round) / 100)% |"' \
  "$WORK/data/measured.json")"
CALLS="$(jq '.queries[0].calls' "$WORK/data/measured.json")"
[[ "$CALLS" == 20000 ]] || bench_die "expected 20000 calls of the accuracy fingerprint, got $CALLS"

# --- 3. reporting on vs off --------------------------------------------------------------------------------------
bench_log "replica-router reporting off/on, ${DURATION}s each, twice"
hey_rps "$WARMUP" "http://127.0.0.1:$RR_OFF_PORT/sql" "$WORK/data/sql.json" >/dev/null
hey_rps "$WARMUP" "http://127.0.0.1:$RR_ON_PORT/sql" "$WORK/data/sql.json" >/dev/null
# CPU ticks (utime + stime) of one process: the router's own CPU per request does not depend on how busy the
# rest of the machine is, unlike requests/s.
ticks() { awk '{ match($0, /.*\) /); split(substr($0, RLENGTH + 1), f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
QM_PID="${PIDS[0]}" ON_PID="${PIDS[1]}" OFF_PID="${PIDS[2]}"
T0_OFF="$(ticks "$OFF_PID")"
OFF1="$(hey_rps "$DURATION" "http://127.0.0.1:$RR_OFF_PORT/sql" "$WORK/data/sql.json")"
T0_ON="$(ticks "$ON_PID")" T0_QM="$(ticks "$QM_PID")"
ON1="$(hey_rps "$DURATION" "http://127.0.0.1:$RR_ON_PORT/sql" "$WORK/data/sql.json")"
T1_ON="$(ticks "$ON_PID")" T1_QM="$(ticks "$QM_PID")" T1_OFF="$(ticks "$OFF_PID")"
OFF2="$(hey_rps "$DURATION" "http://127.0.0.1:$RR_OFF_PORT/sql" "$WORK/data/sql.json")"
T2_OFF="$(ticks "$OFF_PID")" T2_ON="$(ticks "$ON_PID")" T2_QM="$(ticks "$QM_PID")"
ON2="$(hey_rps "$DURATION" "http://127.0.0.1:$RR_ON_PORT/sql" "$WORK/data/sql.json")"
T3_ON="$(ticks "$ON_PID")" T3_QM="$(ticks "$QM_PID")"
HZ="$(getconf CLK_TCK)"
# CPU microseconds per request of each router, and of query-monitor per reported statement.
US_OFF="$(awk -v t=$((T1_OFF - T0_OFF + T2_OFF - T1_OFF)) -v n=$(((OFF1 + OFF2) * DURATION)) -v hz="$HZ" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')"
US_ON="$(awk -v t=$((T1_ON - T0_ON + T3_ON - T2_ON)) -v n=$(((ON1 + ON2) * DURATION)) -v hz="$HZ" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')"
US_QM="$(awk -v t=$((T1_QM - T0_QM + T3_QM - T2_QM)) -v n=$(((ON1 + ON2) * DURATION)) -v hz="$HZ" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')"
sleep 2
REPORTED="$(curl -sf "http://127.0.0.1:$RR_ON_PORT/q/metrics" | awk '/^sluice_replicarouter_reports_total\{outcome="sent"\}/ { printf "%.0f", $2 }')"
DROPPED="$(curl -sf "http://127.0.0.1:$RR_ON_PORT/q/metrics" | awk '/^sluice_replicarouter_reports_total\{outcome="dropped"\}/ { printf "%.0f", $2 }')"
COST="$(awk -v a="$((OFF1 + OFF2))" -v b="$((ON1 + ON2))" 'BEGIN { printf "%.1f", 100 * (a - b) / a }')"

SECTION="$WORK/section.md"
cat >"$SECTION" <<EOF
## query-monitor

Command: \`deploy/bench/query-monitor-bench.sh\` (BENCH_DURATION=$DURATION, BENCH_CONCURRENCY=$CONC, BENCH_BATCH=$BATCH), $(date -u +%Y-%m-%d).
Machine: $(nproc) CPUs, $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); JVMs \`${JAVA_OPTS[*]}\`; PostgreSQL, Redis, query-monitor, two routers and the load generators all on this one machine. Load average before the run: $LOAD_BEFORE; other processes used ${OTHER_CPU}% of all CPU during the ingest and Redis runs (other builds share the machine).

**Ingest throughput (one instance)** — POST /v1/queries/samples, $BATCH samples (200 fingerprints) per request, hey -c $CONC for ${DURATION}s, every answer 202:

| what | samples/s |
|---|---|
| query-monitor ingest (validate, normalize, fingerprint, aggregate in memory; Redis flush every 1 s) | $INGEST_SPS ($INGEST_RPS requests/s) |
| raw Redis baseline: \`redis-benchmark HINCRBY\`, one command per sample, pipelined 64 | $REDIS_P64 |
| raw Redis baseline: the same without pipelining | $REDIS_P1 |

The service does not write per sample to Redis: a flush adds each (fingerprint, database, bucket) aggregate once a second, so its Redis load grows with the number of distinct fingerprints, not with samples.

**Percentile error** — 20,000 log-normal durations (median 8 ms) of one fingerprint, from GET /metrics/queries vs exact (rank floor(q·(n−1))); the sketch guarantees ≤ 1%:

| percentile | exact ms | query-monitor ms | error |
|---|---|---|---|
$ACCURACY_ROWS

**Cost of reporting on replica-router** — POST /sql (\`SELECT name FROM bench_items WHERE id = \$1\`), hey -c $CONC, ${DURATION}s per run, alternating:

| router | run 1 req/s | run 2 req/s |
|---|---|---|
| reporting off | $OFF1 | $OFF2 |
| reporting on (to query-monitor) | $ON1 | $ON2 |

Throughput cost of reporting: **$COST%** (operators allow 5%); samples sent: ${REPORTED:-0}, dropped: ${DROPPED:-0}. Compare run 1 with run 2 of the same router for the run-to-run noise on this shared machine.

CPU per request (from /proc, independent of how busy the rest of the machine is): router with reporting off **${US_OFF} µs**, on **${US_ON} µs**; query-monitor spent **${US_QM} µs** per reported statement taking it in. On this one machine query-monitor's CPU comes out of the same 2 cores as the router's, so the requests/s cost above includes it; in production query-monitor runs on its own instances.
EOF
cat "$SECTION"
if [[ "${BENCH_WRITE_DOCS:-1}" == 1 ]]; then bench_replace_section "$REPO_ROOT/docs/benchmarks.md" query-monitor "$SECTION"; fi
