-- wrk script: POST /v1/cache/query for ids drawn from Zipf(s) over 1..N (rank 1 most popular).
-- Usage: wrk -s zipf.lua <url> -- <N> <s> <namespace>
local cdf = {}
local n
local ns

function init(args)
  n = tonumber(args[1] or "100000")
  local s = tonumber(args[2] or "1.0")
  ns = args[3] or "zipf"
  local total = 0
  for i = 1, n do total = total + 1 / (i ^ s) end
  local acc = 0
  for i = 1, n do
    acc = acc + 1 / (i ^ s) / total
    cdf[i] = acc
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

local function draw()
  local u = math.random()
  local lo, hi = 1, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return lo
end

request = function()
  local body = '{"namespace":"' .. ns .. '","sql":"SELECT v FROM bench_kv WHERE id = $1","params":[' .. draw() .. '],"ttl_s":3600}'
  return wrk.format("POST", "/v1/cache/query", {["Content-Type"] = "application/json"}, body)
end
