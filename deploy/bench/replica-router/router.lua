-- wrk script for deploy/bench/replica-router-bench.sh: POST /sql to the replica-router with a random id.
--
-- Environment:
--   BENCH_MODE   lookup | insert        (required)
--   BENCH_ROWS   ids are drawn from 1..BENCH_ROWS   [100000]
--   BENCH_ROUTE  if set, sent as the Sluice-Route header (primary | replica)
--   BENCH_TOKEN  if set, sent as Authorization: Bearer <token>
--
-- done() prints one machine-readable line:
--   RESULT requests=N non2xx=N connect=N read=N write=N timeout=N duration_us=N p50_us=N p99_us=N mean_us=N max_us=N

local mode = os.getenv("BENCH_MODE")
local rows = tonumber(os.getenv("BENCH_ROWS") or "100000")
local route = os.getenv("BENCH_ROUTE")
local token = os.getenv("BENCH_TOKEN")

if mode ~= "lookup" and mode ~= "insert" then
  io.stderr:write("router.lua: BENCH_MODE must be lookup or insert\n")
  os.exit(2)
end
if rows == nil or rows < 1 then
  io.stderr:write("router.lua: BENCH_ROWS must be a positive number\n")
  os.exit(2)
end

wrk.method = "POST"
wrk.path = "/sql"
wrk.headers["Content-Type"] = "application/json"
if route ~= nil and route ~= "" then
  wrk.headers["Sluice-Route"] = route
end
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local lookup_body = '{"query":"SELECT * FROM bench_accounts WHERE id = $1","params":["%d"]}'
local insert_body = '{"query":"INSERT INTO bench_events(account_id, payload) VALUES ($1, $2)","params":["%d","bench-payload"]}'
local template = (mode == "lookup") and lookup_body or insert_body

local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("seed", thread_no)
end

function init(args)
  -- a different random sequence per wrk thread (and per run)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  return wrk.format(nil, nil, nil, string.format(template, math.random(1, rows)))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%d max_us=%d\n",
    summary.requests, e.status, e.connect, e.read, e.write, e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99), math.floor(latency.mean), latency.max))
end
