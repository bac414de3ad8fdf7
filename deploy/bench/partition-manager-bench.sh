#!/usr/bin/env bash
#
# partition-manager-bench.sh — benchmark partition-manager against its baselines, in one run:
#
#   A. Online conversion of a BENCH_ROWS-row table (POST /v1/conversions) while pgbench writes to it
#      (INSERT/UPDATE/DELETE at BENCH_WRITE_RATE tx/s), against the offline upper bound
#      INSERT INTO <partitioned> SELECT * FROM <table> on an identical copy, with no other load. Also: how long the
#      swap held the table's lock and waited for it (the service's figures), and the latency of pgbench's writes
#      during the conversion (p50/p99/max, from its per-transaction log, schedule lag left out), which is what a
#      concurrent writer waits. (That nothing is lost is what ConversionTest checks against a reference table; here
#      pgbench keeps writing after the swap.)
#   B. Maintenance of BENCH_SETS daily partition sets (POST /v1/maintenance), when nothing is due and when each set
#      needs one new partition, against pg_partman's run_maintenance() on BENCH_SETS tables of the same shape
#      (Debian package postgresql-<ver>-partman; part B is skipped, and says so, when it is missing).
#
# Starts its own throwaway PostgreSQL, Redis and partition-manager (127.0.0.1 only, ports below). Progress goes to
# stderr; the Markdown results go to stdout and replace the "## partition-manager" section of docs/benchmarks.md.
# Everything it started is stopped on exit. See deploy/bench/README.md.
#
# Environment (defaults in brackets):
#   BENCH_ROWS          rows of the converted table              [5000000]
#   BENCH_BATCH         conversion batch size                    [10000]
#   BENCH_WRITE_RATE    pgbench transactions/s during conversion [200]
#   BENCH_SETS          partition sets for part B                [100]
#   BENCH_PG_PORT       PostgreSQL port                          [25732]
#   BENCH_REDIS_PORT    Redis port                               [26679]
#   BENCH_PM_PORT       partition-manager HTTP port              [18085]
#   BENCH_PM_APP        the quarkus-app dir                      [partition-manager/target/quarkus-app]
#   BENCH_BUILD=1       rebuild first (it builds anyway when the jar is missing): package -pl partition-manager -am
#   BENCH_WRITE_DOCS=0  do not touch docs/benchmarks.md          [1]
#
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=lib/bench-common.sh
source "$REPO_ROOT/deploy/bench/lib/bench-common.sh"
bench_no_args "${BASH_SOURCE[0]}" "$@"
COMMAND_LINE="$(bench_command_line deploy/bench/partition-manager-bench.sh)"

ROWS="${BENCH_ROWS:-5000000}" BATCH="${BENCH_BATCH:-10000}" RATE="${BENCH_WRITE_RATE:-200}" SETS="${BENCH_SETS:-100}"
PG_PORT="${BENCH_PG_PORT:-25732}" REDIS_PORT="${BENCH_REDIS_PORT:-26679}" PM_PORT="${BENCH_PM_PORT:-18085}"
PM_APP="${BENCH_PM_APP:-$REPO_ROOT/partition-manager/target/quarkus-app}"
PG_BIN="$(bench_pg_bin)"
[[ -x "$PG_BIN/initdb" ]] || bench_die "no PostgreSQL server binaries (apt-get install postgresql)"
command -v redis-server >/dev/null || bench_die "no redis-server (apt-get install redis-server)"
command -v curl >/dev/null && command -v jq >/dev/null || bench_die "needs curl and jq"
[[ "$PM_APP" == "$REPO_ROOT/partition-manager/target/quarkus-app" ]] && bench_build partition-manager
[[ -f "$PM_APP/quarkus-run.jar" ]] || bench_die "$PM_APP/quarkus-run.jar missing"
for p in "$PG_PORT" "$REDIS_PORT" "$PM_PORT"; do bench_port_free "$p" || bench_die "port $p is in use"; done

WORK="$(mktemp -d /tmp/pm-bench.XXXXXX)"
chmod 755 "$WORK"  # initdb runs as postgres and must reach its data dir
PG_DIR="$WORK/pg/data" REDIS_PID="" PM_PID="" WRITER_PID=""
cleanup() {
  [[ -n "$WRITER_PID" ]] && kill "$WRITER_PID" 2>/dev/null || true
  bench_stop_pid "$PM_PID" quarkus-run.jar partition-manager
  bench_stop_pid "$REDIS_PID" redis-server redis
  bench_pg_stop "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT

PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
sql() { "${PSQL[@]}" -At -c "$1"; }
now_ms() { date +%s%3N; }
# The write endpoints need the admin token (403 while none is configured): a random one for this run.
ADMIN_TOKEN="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
api() {
  curl -fsS -X "$1" -H 'Content-Type: application/json' -H "Authorization: Bearer $ADMIN_TOKEN" \
    "http://127.0.0.1:$PM_PORT$2" ${3:+-d "$3"}
}

bench_log "starting PostgreSQL, Redis and partition-manager in $WORK"
bench_pg_start "$PG_DIR" "$PG_PORT" "$WORK/pg/pg.log" "shared_buffers=512MB" "max_wal_size=4GB" "synchronous_commit=off"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --daemonize no >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
SLUICE_PG_PRIMARY_URL="postgresql://127.0.0.1:$PG_PORT/postgres" SLUICE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
  SLUICE_ADMIN_TOKEN="$ADMIN_TOKEN" QUARKUS_HTTP_PORT="$PM_PORT" PARTITION_MANAGER_MAINTENANCE_CRON=off PARTITION_MANAGER_ARCHIVE_PATH="$WORK/archives" \
  java -Xmx512m -jar "$PM_APP/quarkus-run.jar" >"$WORK/pm.log" 2>&1 &
PM_PID=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PM_PORT/q/health/live" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "http://127.0.0.1:$PM_PORT/q/health/live" >/dev/null || { tail -n 30 "$WORK/pm.log" >&2; bench_die "partition-manager did not start"; }

# ---- A. conversion -------------------------------------------------------------------------------------------
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
bench_log "loading $ROWS rows twice (the online table and the offline copy)"
for t in bench_events bench_offline_src; do
  sql "CREATE TABLE $t (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, body text, n int)"
  sql "INSERT INTO $t SELECT g, timestamptz '2026-01-01 00:00+00' + (g % 300) * interval '1 day' + (g % 86400) * interval '1 second', md5(g::text), g % 1000 FROM generate_series(1, $ROWS) g"
  sql "VACUUM ANALYZE $t"
done
bench_log "offline baseline: INSERT INTO partitioned SELECT * FROM table"
sql "CREATE TABLE bench_offline (LIKE bench_offline_src INCLUDING DEFAULTS) PARTITION BY RANGE (created_at)"
for m in $(seq 0 15); do
  sql "CREATE TABLE bench_offline_$m PARTITION OF bench_offline FOR VALUES FROM (timestamptz '2026-01-01 00:00+00' + interval '$m month') TO (timestamptz '2026-01-01 00:00+00' + interval '$((m + 1)) month')"
done
sql "ALTER TABLE bench_offline ADD PRIMARY KEY (id, created_at)"
t0=$(now_ms); sql "INSERT INTO bench_offline SELECT * FROM bench_offline_src"; offline_ms=$(( $(now_ms) - t0 ))
offline_rps=$(( ROWS * 1000 / offline_ms ))

cat >"$WORK/writes.sql" <<SQL
\set id random(1, $ROWS)
\set op random(0, 2)
BEGIN;
INSERT INTO bench_events SELECT 100000000 + nextval('bench_ids'), now() - interval '1 day', 'new', 1 WHERE :op = 0;
UPDATE bench_events SET n = n + 1, body = md5(random()::text) WHERE id = :id AND :op = 1;
DELETE FROM bench_events WHERE id = :id AND :op = 2;
END;
SQL
sql "CREATE SEQUENCE bench_ids"
bench_log "online conversion under $RATE writes/s (batch $BATCH)"
# -l: one line per transaction (its latency and, with -R, its schedule lag), for the writer's waits below.
(cd "$WORK" && exec "$PG_BIN/pgbench" -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 2 -j 1 -R "$RATE" -T 3600 -l \
  --log-prefix=writer -f "$WORK/writes.sql" postgres >"$WORK/pgbench.log" 2>&1) &
WRITER_PID=$!
sleep 2
writes_before=$(sql "SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE relname = 'bench_events'")
conv_start_ms=$(now_ms)
PG_PID="$(head -1 "$PG_DIR/postmaster.pid")"
cpu_before="$(bench_cpu_snapshot $$ "$PM_PID" "$REDIS_PID" "$PG_PID")"
# The primary key (id) gains created_at on a partitioned table: the conversion starts once that is accepted.
id=$(api POST /v1/conversions "{\"table\": \"public.bench_events\", \"column\": \"created_at\", \"interval\": \"monthly\", \"batchSize\": $BATCH, \"accept\": [\"primary-key:bench_events_pkey\"]}" | jq -r .id)
copy_end_ms=""
while :; do
  status=$(api GET "/v1/conversions/$id")
  phase=$(jq -r .phase <<<"$status")
  [[ -z "$copy_end_ms" && "$phase" != COPYING ]] && copy_end_ms=$(now_ms)
  [[ "$phase" == DONE || "$phase" == FAILED ]] && break
  sleep 0.5
done
conv_end_ms=$(now_ms)
# The lock time is written once more right after the swap commits (the commit included): read it then.
sleep 1; status=$(api GET "/v1/conversions/$id")
other_cpu="$(bench_other_cpu_pct "$cpu_before" $$ "$PM_PID" "$REDIS_PID" "$PG_PID")"
writes_total=$(sql "SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE relname = 'bench_events_unpartitioned'")
kill "$WRITER_PID" 2>/dev/null || true; wait "$WRITER_PID" 2>/dev/null || true; WRITER_PID=""
grep -o 'Conversion [0-9a-f-]*[ :].*' "$WORK/pm.log" | sed 's/^/[bench] partition-manager: /' >&2 || true
[[ "$phase" == DONE ]] || bench_die "conversion failed: $(jq -r .error <<<"$status")"
secs=$(jq -r '((.finishedAt | sub("\\.[0-9]+";"") | fromdateiso8601) - (.startedAt | sub("\\.[0-9]+";"") | fromdateiso8601))' <<<"$status")
(( secs > 0 )) || secs=1
online_rps=$(( ROWS / secs ))
replayed=$(jq -r .replayedChanges <<<"$status")
changed=$(( writes_total - writes_before ))
copy_rps=$(( ROWS * 1000 / (copy_end_ms - conv_start_ms) ))
lock_ms=$(jq -r .swap.lockMs <<<"$status") lock_wait_ms=$(jq -r .swap.lockWaitMs <<<"$status")
swap_attempts=$(jq -r .swap.attempts <<<"$status") tail_changes=$(jq -r .swap.tailChanges <<<"$status")
rechecked=$(jq -r .swap.recheckedKeys <<<"$status")
equivalence="$(jq -r '"\(if .equivalence.passed then "passed" else "FAILED" end), \(.equivalence.compared) catalog entries compared"' <<<"$status")"
# Writer latency during the conversion: pgbench's time minus its schedule lag (what the statement itself waited),
# for transactions that ended between the conversion's start and its end.
read -r w_count w_p50 w_p99 w_max w_slow < <(cat "$WORK"/writer.* | awk -v from="$conv_start_ms" -v to="$conv_end_ms" '
  { end_ms = $5 * 1000 + int($6 / 1000); if (end_ms < from || end_ms > to) next
    lat = ($3 - (NF >= 7 ? $7 : 0)) / 1000; print lat }' | sort -n | awk '
  { v[NR] = $1; if ($1 > 100) slow++ }
  END { if (NR == 0) { print 0, 0, 0, 0, 0; exit }
        p50 = v[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1]; p99 = v[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]
        printf "%d %.1f %.1f %.1f %d\n", NR, p50, p99, v[NR], slow + 0 }')

# ---- B. maintenance of many sets ------------------------------------------------------------------------------
bench_log "$SETS daily sets: partition-manager"
for i in $(seq -w 1 "$SETS"); do
  sql "CREATE TABLE ms_$i (id bigint, at date NOT NULL) PARTITION BY RANGE (at)"
  api PUT "/v1/partition-sets/public.ms_$i" '{"column": "at", "interval": "daily", "premake": 4}' >/dev/null
done
t0=$(now_ms); api POST /v1/maintenance >/dev/null; pm_noop_ms=$(( $(now_ms) - t0 ))
for i in $(seq -w 1 "$SETS"); do sql "DROP TABLE ms_${i}_p$(date -u -d '+4 days' +%Y%m%d)"; done
t0=$(now_ms); api POST /v1/maintenance >/dev/null; pm_work_ms=$(( $(now_ms) - t0 ))
made=$(sql "SELECT count(*) FROM pg_class WHERE relname LIKE 'ms\_%\_p$(date -u -d '+4 days' +%Y%m%d)'")

partman="skipped: postgresql-$(basename "$(dirname "$PG_BIN")")-partman is not installed"
if [[ -f "$("$PG_BIN/pg_config" --sharedir 2>/dev/null || echo /usr/share/postgresql/15)/extension/pg_partman.control" ]] \
   || ls /usr/share/postgresql/*/extension/pg_partman.control >/dev/null 2>&1; then
  bench_log "$SETS daily sets: pg_partman"
  sql "CREATE SCHEMA partman; CREATE EXTENSION pg_partman SCHEMA partman"
  for i in $(seq -w 1 "$SETS"); do
    sql "CREATE TABLE pp_$i (id bigint, at date NOT NULL) PARTITION BY RANGE (at)"
    sql "SELECT partman.create_parent('public.pp_$i', 'at', 'native', 'daily', p_premake := 4)" >/dev/null
  done
  t0=$(now_ms); sql "SELECT partman.run_maintenance()" >/dev/null; pp_noop_ms=$(( $(now_ms) - t0 ))
  newest=$(sql "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'pp_$(printf '%0*d' ${#SETS} 1)'::regclass AND c.relname NOT LIKE '%default' ORDER BY c.relname DESC LIMIT 1")
  suffix="${newest#pp_$(printf '%0*d' ${#SETS} 1)}"
  for i in $(seq -w 1 "$SETS"); do sql "DROP TABLE pp_$i$suffix"; done
  t0=$(now_ms); sql "SELECT partman.run_maintenance()" >/dev/null; pp_work_ms=$(( $(now_ms) - t0 ))
  partman="no-op run ${pp_noop_ms} ms; run re-creating one partition per set ${pp_work_ms} ms"
fi

# ---- results ---------------------------------------------------------------------------------------------------
load="$(cut -d' ' -f1-3 /proc/loadavg)"
result="$WORK/section.md"
{
  echo "## partition-manager"
  echo
  echo "Command: \`$COMMAND_LINE\` (defaults: BENCH_ROWS=$ROWS BENCH_BATCH=$BATCH BENCH_WRITE_RATE=$RATE BENCH_SETS=$SETS)"
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'); load average $load_start before part A, $load at the end; other processes (not this benchmark's) used ${other_cpu}% of all CPU during the conversion. $(date -u '+%Y-%m-%d %H:%M') UTC."
  echo
  echo "| measurement | result |"
  echo "|---|---|"
  echo "| offline upper bound: \`INSERT INTO partitioned SELECT * FROM old\`, $ROWS rows, no other load | $offline_ms ms, $offline_rps rows/s |"
  echo "| online conversion, batch $BATCH, while pgbench wrote ~$RATE tx/s | ${secs} s from start to swapped, $online_rps rows/s ($(( online_rps * 100 / offline_rps ))% of offline; target ≥ 50%) |"
  echo "| the copy phase alone (start to the end of COPYING) | $copy_rps rows/s ($(( copy_rps * 100 / offline_rps ))% of offline) |"
  echo "| writes to the table during the conversion / change-log entries replayed | $changed / $replayed |"
  echo "| swap: the table's ACCESS EXCLUSIVE lock held (reads and writes wait; target < 1 s) | **$lock_ms ms**; its request waited $lock_wait_ms ms for transactions already on the table; attempt $swap_attempts; $tail_changes changes replayed and $rechecked keys compared under the lock |"
  echo "| concurrent writer (pgbench, ~$RATE tx/s): latency of its $w_count transactions during the conversion | p50 $w_p50 ms, **p99 $w_p99 ms, max $w_max ms**; $w_slow over 100 ms |"
  echo "| schema-equivalence check after the swap | $equivalence |"
  echo "| partition-manager, $SETS daily sets, nothing due (\`POST /v1/maintenance\`) | $pm_noop_ms ms |"
  echo "| partition-manager, $SETS daily sets, one partition due per set | $pm_work_ms ms ($made partitions made) |"
  echo "| pg_partman \`run_maintenance()\`, $SETS daily sets, same two cases | $partman |"
} >"$result"
cat "$result"
if [[ "${BENCH_WRITE_DOCS:-1}" == 1 ]]; then
  bench_replace_section "$REPO_ROOT/docs/benchmarks.md" "partition-manager" "$result"
  bench_log "docs/benchmarks.md updated"
fi
