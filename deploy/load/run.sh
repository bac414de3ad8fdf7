#!/usr/bin/env bash
# deploy/load/run.sh <profile> [endpoint...] — the operators' two k6 load profiles, ported to wrk (issue #7),
# against the sidecar endpoints of a suite started with `deploy/local/sluice up` and filled by `deploy/local/demo`.
#
#   profile a: ramp to 20 users over 30 s, hold 90 s, ramp down over 30 s
#   profile b: ramp 2 min to 30, hold 5 min, ramp 2 min to 100, hold 5 min, ramp down over 2 min
#   endpoints: router (POST /sql, a member lookup), cache (POST /v1/cache/query), limiter (POST /v1/ratelimit/check);
#              default all three, run one after the other (never at the same time: each gets the whole machine)
#
# wrk has no ramps: a ramp is a series of wrk runs of LOAD_STEP_S seconds (default 10) with a growing number of
# connections, each at the ramp's value in the middle of its step; a hold is one run. One wrk connection = one
# user sending its next request as soon as the answer arrives (no think time), so this is a closed-loop worst case.
# After each endpoint's stages, a step "after" (10 s, one connection) shows whether it serves again by itself.
# Columns: errors = anything but 2xx, a limiter's 429 (429 %) and the documented overload answer, a 503 problem of
# type overloaded with Retry-After (shed %).
#
# Env: LOAD_SCALE (default 1; 0.1 = every duration ×0.1 for a quick run, steps at least 2 s), LOAD_STEP_S,
# LOAD_THREADS (wrk threads, default 2), LOAD_TIMEOUT (wrk --timeout, default 5s; slower answers count as errors),
# LOAD_OUT (markdown results file, default /tmp/sluice-load-<profile>-<time>.md), SLUICE_HOME / SLUICE_BASE_PORT
# (as for the launcher: the suite's ports come from $SLUICE_HOME/state.env).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SLUICE_HOME="${SLUICE_HOME:-$HERE/../../.sluice}"
STATE_BASE_PORT=""
if [[ -f "$SLUICE_HOME/state.env" ]]; then
  STATE_BASE_PORT="$(sed -n 's/^BASE_PORT=//p' "$SLUICE_HOME/state.env")"
fi
BASE_PORT="${SLUICE_BASE_PORT:-${STATE_BASE_PORT:-8081}}"
SCALE="${LOAD_SCALE:-1}"
STEP_S="${LOAD_STEP_S:-10}"
THREADS="${LOAD_THREADS:-2}"
TIMEOUT="${LOAD_TIMEOUT:-5s}"

usage() { echo "usage: $0 <a|b> [router|cache|limiter ...]" >&2; exit 2; }
die() { echo "load: $*" >&2; exit 1; }

case "${1:-}" in
  a) stages="30:20 90:20 30:0" ;;
  b) stages="120:30 300:30 120:100 300:100 120:0" ;;
  *) usage ;;
esac
profile="$1"
shift
endpoints=("$@")
((${#endpoints[@]})) || endpoints=(router cache limiter)
command -v wrk >/dev/null || die "wrk is missing (apt-get install -y wrk)"
OUT="${LOAD_OUT:-/tmp/sluice-load-$profile-$(date +%Y%m%d-%H%M%S).md}"

# endpoint -> port offset and key space (members 1..20000 for lookups; 2000 cached members; 100000 API keys,
# so each key stays far under the free tier's 60/min and a 429 means the limiter is wrong, not the test).
declare -A offset=([router]=1 [cache]=2 [limiter]=3) keys=([router]=20000 [cache]=2000 [limiter]=100000)
for e in "${endpoints[@]}"; do
  [[ -n "${offset[$e]:-}" ]] || usage
done

# The steps: "label seconds connections" per line.
steps="$(python3 - "$stages" "$SCALE" "$STEP_S" <<'PY'
import sys
stages, scale, step = sys.argv[1].split(), float(sys.argv[2]), float(sys.argv[3])
step = max(2.0, step * scale)
c0 = 0
for i, stage in enumerate(stages, 1):
    d, c1 = stage.split(":")
    d, c1 = max(2.0, float(d) * scale), int(c1)
    if c0 == c1:
        print(f"{i}-hold {round(d)} {c1}")
    else:
        n = max(1, round(d / step))
        for k in range(1, n + 1):
            print(f"{i}-ramp {max(1, round(d / n))} {max(1, round(c0 + (c1 - c0) * (k - 0.5) / n))}")
    c0 = c1
PY
)"

# Each endpoint must answer the request wrk sends (the member table comes from deploy/local/demo).
for e in "${endpoints[@]}"; do
  url="http://127.0.0.1:$((BASE_PORT + offset[$e]))"
  line="$(wrk -t1 -c1 -d1s -s "$HERE/sluice.lua" "$url" -- "$e" "${keys[$e]}" | grep '^RESULT')" \
    || die "$e at $url does not answer; is the suite up (deploy/local/sluice up)?"
  [[ "$line" == *" errors=0 "* ]] || die "$e at $url answers errors ($line); has deploy/local/demo created the schema?"
done

{
  echo "profile $profile, LOAD_SCALE=$SCALE, steps of ${STEP_S}s x scale (min 2 s), wrk -t$THREADS --timeout $TIMEOUT, endpoints in sequence"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| endpoint | step | s | conns | requests | req/s | p50 ms | p95 ms | p99 ms | errors | error % | 429 % | shed % | cache hit % |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} | tee "$OUT"

for e in "${endpoints[@]}"; do
  url="http://127.0.0.1:$((BASE_PORT + offset[$e]))"
  while read -r label seconds conns; do
    line="$(wrk -t"$((conns < THREADS ? conns : THREADS))" -c"$conns" -d"${seconds}s" --timeout "$TIMEOUT" \
      -s "$HERE/sluice.lua" "$url" -- "$e" "${keys[$e]}" | grep '^RESULT')" || die "wrk failed on $e, step $label"
    python3 - "$e" "$label" "$seconds" "$conns" "$line" <<'PY' | tee -a "$OUT"
import sys
e, label, seconds, conns, line = sys.argv[1:]
r = dict(kv.split("=") for kv in line.split()[1:])
n = int(r["requests"])
if n == 0:   # wrk counts no timeout for a request still open when the step ends: nothing answered at all
    r["errors"], n = "no answer", 1
lookups = int(r["hits"]) + int(r["misses"])
hit = f'{100 * int(r["hits"]) / lookups:.1f}' if e == "cache" and lookups else ""
print(f'| {e} | {label} | {seconds} | {conns} | {r["requests"]} | {int(r["requests"]) / float(r["seconds"]):.0f} '
      f'| {r["p50_ms"]} | {r["p95_ms"]} | {r["p99_ms"]} | {r["errors"]} '
      f'| {100 * int(r["errors"]) / n if r["errors"] != "no answer" else 100:.2f} '
      f'| {100 * int(r["limited"]) / n:.2f} | {100 * int(r["shed"]) / n:.2f} | {hit} |')
PY
  done < <(echo "$steps"; echo "after 10 1")
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
echo "results: $OUT" >&2
