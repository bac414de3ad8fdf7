#!/usr/bin/env bash
#
# rate-limiter-bench.sh — decisions per second and p50/p99 latency of the rate-limiter, against its baselines,
# all in one run on this machine:
#   1. raw Redis: redis-benchmark running EVALSHA of a trivial script (the physical limit here)
#   2. in-process: the Java decision API (RateLimitService) vs Bucket4j 8.14 with its Lettuce (CAS) backend,
#      same two limits, one hot key and 100,000 distinct keys (DecisionBench, a gated @QuarkusTest)
#   3. over HTTP: the packaged service under wrk (max throughput, hot key and 100,000 keys), then wrk paced at
#      half of the measured maximum (a per-connection delay) for the p99, with the same keys
# Limits are high enough that every request is allowed: every call does the full read-decide-write in Redis.
# Results replace the "## rate-limiter" section of docs/benchmarks.md (BENCH_WRITE_DOCS=0: stdout only).
#
# Environment: BENCH_DURATION [10] seconds per measured run, BENCH_WARMUP [10] unmeasured seconds before each,
# BENCH_CONCURRENCY [64] requests in flight,
# BENCH_REDIS_PORT [26479], BENCH_HTTP_PORT [18084], BENCH_BUILD=1 to build the module first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION="${BENCH_DURATION:-10}" WARMUP="${BENCH_WARMUP:-10}" CONC="${BENCH_CONCURRENCY:-64}"
REDIS_PORT="${BENCH_REDIS_PORT:-26479}" HTTP_PORT="${BENCH_HTTP_PORT:-18084}"
WORK="$(mktemp -d /tmp/rl-bench.XXXXXX)"
log() { printf '[bench] %s\n' "$*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

for tool in redis-server redis-benchmark wrk java mvn; do
  command -v "$tool" >/dev/null || { [[ $(id -u) -eq 0 ]] && apt-get -o DPkg::Lock::Timeout=300 install -y -qq redis-server redis-tools wrk >&2; }
  command -v "$tool" >/dev/null || { log "missing $tool (apt-get install redis-server redis-tools wrk)"; exit 1; }
done
cd "$ROOT"
# -am builds what the module needs (parent, common, test-harness) in the same reactor: a fresh clone works.
[[ "${BENCH_BUILD:-0}" == 1 || ! -f rate-limiter/target/quarkus-app/quarkus-run.jar ]] &&
  mvn -B -q -DskipTests install -pl rate-limiter -am >&2
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

log "1/3 raw Redis: redis-benchmark EVALSHA"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.1; done
SHA="$(redis-cli -p "$REDIS_PORT" SCRIPT LOAD "return 1")"
# redis-benchmark prints "throughput summary: N requests per second" and "latency summary" (avg min p50 p95 p99 max).
redis-benchmark -p "$REDIS_PORT" -c "$CONC" -n $((20000 * DURATION)) -q --csv EVALSHA "$SHA" 0 >"$WORK/rb.csv" 2>/dev/null
read -r RB_RPS RB_P50 RB_P99 < <(awk -F'","' 'NR==2 { print $2, $5, $7 }' "$WORK/rb.csv")

log "2/3 in-process: Java decision API vs Bucket4j (Lettuce)"
# The test profile samples every trace; production (and the HTTP runs below) samples 10 %: so does this run.
mvn -B -q test -pl rate-limiter -am -Dtest=DecisionBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsluice.cluster.skip=true -Dsluice.bench=true \
  -D%test.quarkus.otel.traces.sampler.arg=0.1 -Dsluice.bench.seconds="$DURATION" -Dsluice.bench.warmup="$WARMUP" -Dsluice.bench.concurrency="$CONC" -Dsluice.bench.out="$WORK/inproc.txt" >&2
col() { awk -v n="$1" -v k="$2" -v c="$3" '$1 == n && $2 == k { print $c }' "$WORK/inproc.txt"; }

log "3/3 HTTP: wrk (max), then wrk paced at half of max"
java -Xmx512m -Dquarkus.http.port="$HTTP_PORT" -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" \
  -Drate-limiter.tiers.free.policies.minute.limit=6000000 -Drate-limiter.tiers.free.policies.minute.burst=1000000 \
  -Drate-limiter.tiers.free.policies.day.limit=1000000000 -Dquarkus.log.level=WARN \
  -jar rate-limiter/target/quarkus-app/quarkus-run.jar >"$WORK/service.log" 2>&1 &
PIDS+=($!)
until curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null; do sleep 0.5; done
cat >"$WORK/hot.lua" <<'LUA'
wrk.method = "POST"; wrk.headers["Content-Type"] = "application/json"; wrk.body = '{"key": "http-hot"}'
LUA
cat >"$WORK/distinct.lua" <<'LUA'
wrk.method = "POST"; wrk.headers["Content-Type"] = "application/json"
request = function() return wrk.format(nil, nil, nil, '{"key": "http-' .. math.random(100000) .. '"}') end
LUA
declare -A HTTP_RPS HTTP_P50 HTTP_P99 HALF_RPS HALF_P50 HALF_P99
for keys in hot distinct; do
  wrk -t2 -c"$CONC" -d"${WARMUP}s" -s "$WORK/$keys.lua" "http://127.0.0.1:$HTTP_PORT/v1/ratelimit/check" >/dev/null  # warm-up
  wrk -t2 -c"$CONC" -d"${DURATION}s" --latency -s "$WORK/$keys.lua" \
    "http://127.0.0.1:$HTTP_PORT/v1/ratelimit/check" >"$WORK/wrk-$keys.txt"
  HTTP_RPS[$keys]="$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$WORK/wrk-$keys.txt")"
  HTTP_P50[$keys]="$(awk '$1 == "50%" { print $2 }' "$WORK/wrk-$keys.txt")"
  HTTP_P99[$keys]="$(awk '$1 == "99%" { print $2 }' "$WORK/wrk-$keys.txt")"
  # Half of the maximum, same keys: each of the 8 connections waits 8000/(rate/2) ms between its requests
  # (wrk's delay(); the wait is not counted in the latency).
  half_delay_ms="$(awk -v r="${HTTP_RPS[$keys]}" 'BEGIN { printf "%.3f", 8 * 1000 / (r / 2) }')"
  { cat "$WORK/$keys.lua"; echo "delay = function() return $half_delay_ms end"; } >"$WORK/half-$keys.lua"
  wrk -t2 -c8 -d"${DURATION}s" --latency -s "$WORK/half-$keys.lua" \
    "http://127.0.0.1:$HTTP_PORT/v1/ratelimit/check" >"$WORK/half-$keys.txt"
  HALF_RPS[$keys]="$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$WORK/half-$keys.txt")"
  HALF_P50[$keys]="$(awk '$1 == "50%" { print $2 }' "$WORK/half-$keys.txt")"
  HALF_P99[$keys]="$(awk '$1 == "99%" { print $2 }' "$WORK/half-$keys.txt")"
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
SECTION="$WORK/section.md"
{
  echo "## rate-limiter"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`deploy/bench/rate-limiter-bench.sh\` (BENCH_DURATION=$DURATION, BENCH_WARMUP=$WARMUP, BENCH_CONCURRENCY=$CONC)."
  echo
  echo "- **Machine:** $(nproc) CPUs, $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM; $(redis-server --version | awk '{ print $3 }'); $(java -version 2>&1 | head -1)"
  echo "- **Other load:** load average $LOAD_BEFORE before, $LOAD_AFTER after (above about 2 on these 2 cores, something else took CPU from the run). Load generators, service and Redis share the machine."
  echo "- **Limits:** two policies per key (minute: 6,000,000/min, burst 1,000,000; day: 10⁹), the same for Bucket4j (two bandwidths); every request is allowed, so every call reads, decides and writes in Redis. Hot key = one key; distinct = random among 100,000 keys."
  echo
  echo "| path | keys | decisions/s | p50 | p99 |"
  echo "|---|---|---|---|---|"
  echo "| raw Redis: \`redis-benchmark EVALSHA\` (\`return 1\`), $CONC clients | — | $RB_RPS | ${RB_P50} ms | ${RB_P99} ms |"
  for keys in hot distinct; do
    echo "| in-process: Sluice Java decision API, $CONC in flight | $keys | $(col sluice-java $keys 3) | $(col sluice-java $keys 4) µs | $(col sluice-java $keys 5) µs |"
    echo "| in-process: Bucket4j 8.14 + Lettuce (CAS), $CONC in flight | $keys | $(col bucket4j-lettuce $keys 3) | $(col bucket4j-lettuce $keys 4) µs | $(col bucket4j-lettuce $keys 5) µs |"
    echo "| HTTP: \`wrk -c$CONC\` POST /v1/ratelimit/check (max) | $keys | ${HTTP_RPS[$keys]} | ${HTTP_P50[$keys]} | ${HTTP_P99[$keys]} |"
    echo "| HTTP: \`wrk -c8\` paced at half of that max | $keys | ${HALF_RPS[$keys]} (target $(( ${HTTP_RPS[$keys]} / 2 ))) | ${HALF_P50[$keys]} | ${HALF_P99[$keys]} |"
  done
  echo
  echo "Failed in-process calls (Sluice: decided other than by the Redis script, i.e. after a timeout, with the breaker open, or by the cache of keys over their limit; not counted above): $(awk '{ printf "%s %s %s; ", $1, $2, $6 }' "$WORK/inproc.txt")"
  echo
  echo "Ratios (targets from issue #3):"
  echo
  echo "- in-process vs Bucket4j, distinct keys: **$(ratio "$(col sluice-java distinct 3)" "$(col bucket4j-lettuce distinct 3)")×** (target ≥ 1)"
  echo "- in-process vs Bucket4j, hot key: **$(ratio "$(col sluice-java hot 3)" "$(col bucket4j-lettuce hot 3)")×** (target ≥ 2; Sluice's script never retries, Bucket4j's CAS retries under contention)"
  echo "- in-process vs raw Redis EVALSHA: $(ratio "$(col sluice-java distinct 3)" "$RB_RPS")× (distinct), $(ratio "$(col sluice-java hot 3)" "$RB_RPS")× (hot)"
  echo "- HTTP p99 at half of max: ${HALF_P99[hot]} (hot), ${HALF_P99[distinct]} (distinct, random among 100,000 keys) (target < 2 ms)."
  echo
} >"$SECTION"
cat "$SECTION"
if [[ "${BENCH_WRITE_DOCS:-1}" == 1 ]]; then
  DOC="$ROOT/docs/benchmarks.md"
  awk -v sec="$SECTION" '
    /^## rate-limiter$/ { while ((getline line < sec) > 0) print line; skip = 1; done = 1; next }
    skip && /^## / { skip = 0 }
    !skip { print }
    END { if (!done) { print ""; while ((getline line < sec) > 0) print line } }' "$DOC" >"$WORK/doc.new"
  cp "$WORK/doc.new" "$DOC"
  log "wrote the ## rate-limiter section of docs/benchmarks.md"
fi
