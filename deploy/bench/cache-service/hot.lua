-- wrk script: one hot, already cached query (the hit path). Usage: wrk -s hot.lua <url> -- <namespace>
local body
function init(args)
  body = '{"namespace":"' .. (args[1] or "hot") .. '","sql":"SELECT v FROM bench_kv WHERE id = $1","params":[1],"ttl_s":3600}'
end
request = function()
  return wrk.format("POST", "/v1/cache/query", {["Content-Type"] = "application/json"}, body)
end
