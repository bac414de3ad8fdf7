#!/usr/bin/env bash
# deploy/bench/scorecard-bench.sh — before/after of Sluice on the messaging app workload of deploy/local/demo,
# scaled up (issue 20). One run starts its own suite (deploy/local/sluice up on its own ports and SLUICE_HOME),
# loads the messaging schema with BENCH_MEMBERS members and BENCH_RECIPIENTS recipient rows, and drives the same
# seeded request mix (60 % member reads, 20 % church reads, 15 % writes, 5 % the slow member lookup) at a fixed
# rate for BENCH_DURATION seconds in two configurations, for each rate in BENCH_RATES:
#   A  the app talks to the primary directly: no cache, no advised index
#   B  rate-limiter checks every request, reads go through cache-service (misses load through replica-router),
#      writes and the slow lookup through replica-router, and the index query-monitor advised (and verified with
#      HypoPG when it is installed) is created before B (a verification is started for it)
# It reports side by side: p50/p95/p99 per operation, errors, database statements per app request
# (pg_stat_statements calls on the primary and the replica, Sluice's own probes included), share of reads on the
# replica and cache hit rate (the services' counters over the phase), and the scorecard (GET /v1/validation?window=1m
# right after the phase: pool utilisation, replication lag, every verdict); a PNG chart next to the table in
# docs/benchmarks.md.
#
#   deploy/bench/scorecard-bench.sh                                   # full run: ~15 min
#   BENCH_MEMBERS=20000 BENCH_RECIPIENTS=200000 BENCH_RATES=40 BENCH_DURATION=15 BENCH_WARMUP=10 \
#     deploy/bench/scorecard-bench.sh                                 # smoke run: ~2 min
#
# Settings (environment):
#   BENCH_MEMBERS           members                                               [300000]
#   BENCH_RECIPIENTS        message_recipient rows                                [3000000]
#   BENCH_RATES             app requests/s, one A+B pair per rate                 ["200 800"]
#   BENCH_DURATION          seconds per configuration and rate                    [60]
#   BENCH_WORKERS           concurrent app requests at most (driver threads)      [32]
#   BENCH_WARMUP            seconds of the same mix (another seed) before each measured phase, not counted [30]
#   BENCH_BASE_PORT / BENCH_PG_PORT / BENCH_REDIS_PORT   the suite's ports        [9381 / 35432 / 36379]
#   BENCH_WRITE_DOCS=0      do not touch docs/benchmarks.md                       [1]
#   BENCH_PYTHON            a python3 with psycopg2 and matplotlib                [/usr/bin/python3]
# Needs: what deploy/local/sluice up needs, psql, jq, python3-psycopg2 and python3-matplotlib (Debian packages).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=deploy/bench/lib/bench-common.sh
source "$ROOT/deploy/bench/lib/bench-common.sh"
bench_no_args "$0" "$@"

MEMBERS="${BENCH_MEMBERS:-300000}"
RECIPIENTS="${BENCH_RECIPIENTS:-3000000}"
RATES="${BENCH_RATES:-200 800}"
DURATION="${BENCH_DURATION:-60}"
WORKERS="${BENCH_WORKERS:-32}"
WARMUP="${BENCH_WARMUP:-30}"
BASE="${BENCH_BASE_PORT:-9381}"
PG_PORT="${BENCH_PG_PORT:-35432}"
REDIS_PORT="${BENCH_REDIS_PORT:-36379}"
PY="${BENCH_PYTHON:-/usr/bin/python3}"
DOCS_FILE="$ROOT/docs/benchmarks.md"
PNG="$ROOT/docs/benchmarks/scorecard-bench.png"
HEADING="scorecard: before/after on the messaging workload"

"$PY" -c 'import psycopg2, matplotlib' 2>/dev/null \
  || bench_die "$PY needs psycopg2 and matplotlib: apt-get install -y python3-psycopg2 python3-matplotlib"
command -v jq >/dev/null || bench_die "jq is needed (apt-get install -y jq)"
command -v psql >/dev/null || bench_die "psql is needed (apt-get install -y postgresql-client)"

WORK="$(mktemp -d /tmp/sluice-scorecard-bench.XXXXXX)"
chmod 755 "$WORK"
export SLUICE_HOME="$WORK/suite" SLUICE_BASE_PORT="$BASE" SLUICE_PG_PORT="$PG_PORT" SLUICE_REDIS_PORT="$REDIS_PORT"
cleanup() { "$ROOT/deploy/local/sluice" down >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
QM="http://127.0.0.1:$BASE" RR="http://127.0.0.1:$((BASE + 1))" CS="http://127.0.0.1:$((BASE + 2))"
RL="http://127.0.0.1:$((BASE + 3))"
PRIMARY="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
REPLICA="postgresql://postgres@127.0.0.1:$((PG_PORT + 1))/postgres"

bench_log "starting a suite on :$BASE.. (PostgreSQL :$PG_PORT/:$((PG_PORT + 1)), Redis :$REDIS_PORT)"
SLUICE_DETACH=1 "$ROOT/deploy/local/sluice" up >"$WORK/up.log" 2>&1 || { tail -n 30 "$WORK/up.log" >&2; bench_die "sluice up failed"; }
TOKEN="$(cat "$SLUICE_HOME/admin-token")"
AUTH="Authorization: Bearer $TOKEN"

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$1" -c "$2"; }

bench_log "schema: $MEMBERS members, $RECIPIENTS recipients (straight to the primary: setup, not measured)"
q "$PRIMARY" "
CREATE TABLE church (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE member (id bigint PRIMARY KEY, church_id bigint NOT NULL REFERENCES church (id), name text NOT NULL, phone text);
CREATE TABLE message_recipient (message_id bigint NOT NULL, member_id bigint NOT NULL, status text NOT NULL,
  PRIMARY KEY (message_id, member_id));
INSERT INTO church (id, name) SELECT g, 'Church ' || g FROM generate_series(1, 50) g;
INSERT INTO member (id, church_id, name, phone) SELECT g, 1 + g % 50, 'Member ' || g, '+1555' || lpad(g::text, 7, '0')
  FROM generate_series(1, $MEMBERS) g;
INSERT INTO message_recipient (message_id, member_id, status) SELECT g / 20, 1 + (g::bigint * 7919) % $MEMBERS,
  CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'delivered' END FROM generate_series(20, $((RECIPIENTS + 19))) g;
ALTER TABLE message_recipient SET (parallel_workers = 0);
ANALYZE church, member, message_recipient;"
q "$PRIMARY" "CREATE EXTENSION IF NOT EXISTS hypopg" >/dev/null 2>&1 || bench_warn "hypopg not available: advice unverified"
until [[ "$(q "$REPLICA" "SELECT to_regclass('message_recipient') IS NOT NULL")" == t ]]; do sleep 0.5; done
curl -fsS -X PUT "$RL/v1/ratelimit/keys/bench-app" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"tier": "enterprise"}' >/dev/null

statements() {  # pg_stat_statements calls on both nodes
  echo $(( $(q "$PRIMARY" "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements") \
         + $(q "$REPLICA" "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements") ))
}
metric() {  # metric URL NAME LABEL-REGEX: sum of the series
  curl -fsS "$1/q/metrics" | awk -v n="$2" -v re="$3" 'index($0, n "{") == 1 && $0 ~ re { split($0, a, "} "); split(a[2], v, " "); s += v[1] } END { printf "%.0f", s }'
}

advise_index() {  # the slow lookup through the router, then query-monitor's advice, created on the primary
  local i node fp advice create
  for i in $(seq 1 5); do
    curl -fsS "$RR/sql" -H 'Content-Type: application/json' \
      -d "{\"query\": \"SELECT count(*) AS received FROM message_recipient WHERE member_id = \$1\", \"params\": [$((100 + i))]}" \
      -D "$WORK/h" -o /dev/null
  done
  node="$(sed -n 's/^Sluice-Node: *//Ip' "$WORK/h" | tr -d '\r')"
  for i in $(seq 1 30); do
    advice="$(curl -fsS "$QM/v1/indexes/suggestions?database=$node&window=1h" || true)"
    create="$(jq -r '[.suggestions[] | select(.table | endswith("message_recipient"))][0].createStatement // empty' <<<"$advice")"
    [[ -n "$create" ]] && break
    sleep 1
  done
  [[ -n "$create" ]] || { bench_warn "query-monitor advised no index on message_recipient; B runs without one"; echo none; return; }
  fp="$(jq -r '[.suggestions[] | select(.table | endswith("message_recipient"))][0].fingerprints[0]' <<<"$advice")"
  curl -fsS -X POST "$QM/v1/indexes/verifications" -H "$AUTH" -H 'Content-Type: application/json' \
    -d "{\"index\": \"advised\", \"fingerprints\": [\"$fp\"], \"min_calls\": 20}" >"$WORK/verification.json"
  q "$PRIMARY" "$create" >/dev/null
  printf '%s\n' "$create" >"$WORK/create-index.sql"
  printf '%s (verified with HypoPG: %s)' "$create" "$(jq -r '[.suggestions[] | select(.table | endswith("message_recipient"))][0].verified' <<<"$advice")"
}

phase() {  # phase <A|B> <rate>: drive, then collect the figures into $WORK/<A|B>-<rate>.json
  local label="$1" rate="$2" mode offset s0 s1 r0 p0 h0 l0 r1 p1 h1 l1
  if [[ "$label" == A ]]; then mode=direct offset=1; else mode=sluice offset=2; fi
  if ((WARMUP > 0)); then  # JIT, pools and (in B) the cache warm up on the same mix; not measured
    bench_log "$label warm-up at $rate req/s for ${WARMUP}s"
    "$PY" "$ROOT/deploy/bench/scorecard/driver.py" --mode "$mode" --rate "$rate" --duration "$WARMUP" --seed 99 \
      --workers "$WORKERS" --members "$MEMBERS" --pg "$PRIMARY" --router "$RR" --cache "$CS" --limiter "$RL" \
      --first-message-id "$(( offset * 100000000 + 50000000 + ${rate%.*} * 100000 ))" >/dev/null
  fi
  s0="$(statements)"
  r0="$(metric "$RR" sluice_replicarouter_routed_total 'target="replica"')"
  p0="$(metric "$RR" sluice_replicarouter_routed_total 'target="primary".*reason="(lag|fallback|no-replica)"|reason="(lag|fallback|no-replica)".*target="primary"')"
  h0="$(metric "$CS" sluice_cacheservice_lookups_total 'outcome="(hit|stale)"')"
  l0="$(metric "$CS" sluice_cacheservice_lookups_total 'outcome="(hit|stale|miss|bypass)"')"
  bench_log "$label at $rate req/s for ${DURATION}s ($mode)"
  "$PY" "$ROOT/deploy/bench/scorecard/driver.py" --mode "$mode" --rate "$rate" --duration "$DURATION" \
    --workers "$WORKERS" --members "$MEMBERS" --pg "$PRIMARY" --router "$RR" --cache "$CS" --limiter "$RL" \
    --first-message-id "$(( offset * 100000000 + ${rate%.*} * 100000 ))" >"$WORK/drive.json"
  s1="$(statements)"
  r1="$(metric "$RR" sluice_replicarouter_routed_total 'target="replica"')"
  p1="$(metric "$RR" sluice_replicarouter_routed_total 'target="primary".*reason="(lag|fallback|no-replica)"|reason="(lag|fallback|no-replica)".*target="primary"')"
  h1="$(metric "$CS" sluice_cacheservice_lookups_total 'outcome="(hit|stale)"')"
  l1="$(metric "$CS" sluice_cacheservice_lookups_total 'outcome="(hit|stale|miss|bypass)"')"
  curl -fsS "$QM/v1/validation?window=1m" >"$WORK/card.json"
  jq --arg lbl "$label" --argjson load "$(cut -d' ' -f1 /proc/loadavg)" --argjson cpus "$(nproc)" --argjson statements "$((s1 - s0))" --argjson replica "$((r1 - r0))" \
     --argjson primaryReads "$((p1 - p0))" --argjson hits "$((h1 - h0))" --argjson lookups "$((l1 - l0))" \
     --slurpfile card "$WORK/card.json" \
     '. + {"label": $lbl, "statements": $statements, "replicaReads": $replica, "primaryReads": $primaryReads,
           "cacheHits": $hits, "cacheLookups": $lookups, "scorecard": $card[0], "loadavg": $load, "cpus": $cpus}' "$WORK/drive.json" >"$WORK/$label-$rate.json"
}

# A never has the advised index (dropped before each A), B always has it (made again before each later B).
drop_advised() {
  local i
  for i in $(q "$PRIMARY" "SELECT indexrelid::regclass FROM pg_index
                          WHERE indrelid = 'message_recipient'::regclass AND NOT indisprimary"); do
    q "$PRIMARY" "DROP INDEX $i"
  done
}

INDEX=""
for rate in $RATES; do
  drop_advised
  phase A "$rate"
  if [[ -z "$INDEX" ]]; then
    INDEX="$(advise_index)"
  elif [[ -s "$WORK/create-index.sql" ]]; then
    q "$PRIMARY" "$(cat "$WORK/create-index.sql")"
  fi
  phase B "$rate"
done
bench_log "index applied before B: $INDEX"

mkdir -p "$(dirname "$PNG")"
CMD="$(bench_command_line deploy/bench/scorecard-bench.sh)"
"$PY" "$ROOT/deploy/bench/scorecard/report.py" --heading "$HEADING" --png "$PNG" --png-link benchmarks/scorecard-bench.png \
  --members "$MEMBERS" --recipients "$RECIPIENTS" --duration "$DURATION" --warmup "$WARMUP" --index "$INDEX" --command "$CMD" \
  "$WORK"/A-*.json "$WORK"/B-*.json >"$WORK/section.md"
cat "$WORK/section.md"
if [[ "${BENCH_WRITE_DOCS:-1}" == 1 ]]; then
  bench_replace_section "$DOCS_FILE" "$HEADING" "$WORK/section.md"
  bench_log "wrote the section \"$HEADING\" of docs/benchmarks.md and $PNG"
fi
