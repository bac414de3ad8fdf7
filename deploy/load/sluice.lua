-- wrk script for the sidecar endpoints: wrk -s sluice.lua <url> -- <router|cache|limiter> [keys]
-- Each request varies its parameter (a member id, an API key) so the load is not one hot row or one key.
-- done() prints one machine-readable line for deploy/load/run.sh:
--   RESULT requests=.. seconds=.. p50_ms=.. p95_ms=.. p99_ms=.. errors=.. limited=.. shed=.. hits=.. misses=..
-- errors: socket errors (connect, read, write, timeout) plus answers other than 2xx, other than 429 from the
-- rate limiter (a refusal is its job, counted as limited) and other than the documented overload answer (a 503
-- problem of type overloaded, with Retry-After: counted as shed); hits/misses: cache-service's X-Cache header.

-- Globals, one set per thread (done() runs in wrk's main state and reads them with thread:get).
endpoint, id = nil, 0
counts = {}                 -- status code / X-Cache value -> count
local keys

local bodies = {
  router = function(n)
    return '{"query": "SELECT name, phone FROM member WHERE id = $1", "params": [' .. n .. ']}'
  end,
  cache = function(n)
    return '{"namespace": "load", "sql": "SELECT name, phone FROM member WHERE id = $1", "params": [' .. n
        .. '], "ttl_s": 60}'
  end,
  limiter = function(n)
    return '{"key": "load-' .. n .. '"}'
  end,
}
local paths = { router = "/sql", cache = "/v1/cache/query", limiter = "/v1/ratelimit/check" }

function init(args)
  endpoint = args[1] or "router"
  keys = tonumber(args[2] or "2000")
  assert(bodies[endpoint], "endpoint must be router, cache or limiter")
  math.randomseed(os.time() * 100 + id)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  return wrk.format(nil, paths[endpoint], nil, bodies[endpoint](math.random(1, keys)))
end

function response(status, headers, body)
  local s = tostring(status)
  if status == 503 and body and body:find("/problems/overloaded", 1, true)
      and (headers["Retry-After"] or headers["retry-after"]) then
    s = "shed"
  end
  counts[s] = (counts[s] or 0) + 1
  local x = headers["X-Cache"] or headers["x-cache"]
  if x then
    counts["x-" .. x] = (counts["x-" .. x] or 0) + 1
  end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do
      total[k] = (total[k] or 0) + v
    end
  end
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout
  local limited, ep = 0, threads[1]:get("endpoint")
  for k, v in pairs(total) do
    local code = tonumber(k)
    if code and code == 429 and ep == "limiter" then
      limited = limited + v
    elseif code and (code < 200 or code > 299) then
      errors = errors + v
    end
  end
  io.write(string.format(
      "RESULT requests=%d seconds=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f errors=%d limited=%d shed=%d hits=%d"
      .. " misses=%d\n",
      summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, errors, limited, total["shed"] or 0, (total["x-HIT"] or 0) + (total["x-STALE"] or 0),
      (total["x-MISS"] or 0) + (total["x-BYPASS"] or 0)))
end
