-- GCRA (generic cell rate algorithm) for one key, on Redis time so every instance agrees.
-- KEYS[1]  theoretical arrival time (TAT) in microseconds
-- ARGV[1]  emission interval T in microseconds (period / limit)
-- ARGV[2]  burst: how many requests may arrive at once
-- ARGV[3]  cost of this request (usually 1)
-- Returns {allowed (1|0), remaining, retry_after_us, reset_after_us}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = interval * tonumber(ARGV[2])
local cost = tonumber(ARGV[3])

local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
  tat = now
end
local new_tat = tat + interval * cost

if new_tat - now > tolerance then
  local remaining = math.floor((tolerance - (tat - now)) / interval)
  if remaining < 0 then remaining = 0 end
  return {0, remaining, new_tat - tolerance - now, tat - now}
end

redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil((new_tat - now) / 1000) + 1)
return {1, math.floor((tolerance - (new_tat - now)) / interval), 0, new_tat - now}
