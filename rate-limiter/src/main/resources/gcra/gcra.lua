-- GCRA for every policy of one API key in one call, on Redis time so every instance agrees.
-- KEYS[1]  state hash: field <policy> = theoretical arrival time (TAT, µs), <policy>:tau = tolerance it was made with
-- KEYS[2]  settings hash of the key: v = version, s = settings JSON (written by the operator API), c = the Redis time
--          (µs) of the key's last change (settings saved or counters reset), which instances compare with the
--          changes announced on pub/sub before they cache a refusal
-- ARGV[1]  settings version the caller resolved its policies from ('0' = none stored)
-- ARGV[2]  cost of this request; 0 peeks without consuming
-- ARGV[3]  number of policies n, then n groups of: name, interval T (µs), tolerance tau (µs), enforced (1|0)
-- Returns {-1, version, settings} when the caller's settings are stale (nothing evaluated), otherwise
-- {allowed (1|0), now_us, change c, then per policy: ok (1|0), remaining, retry_after_us (-1 = never),
-- reset_after_us}.
-- A refused request writes nothing; an allowed one advances every policy it passed.
local version = redis.call('HGET', KEYS[2], 'v') or '0'
if version ~= ARGV[1] then
  return {-1, version, redis.call('HGET', KEYS[2], 's') or ''}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local cost = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local allowed = 1
local names, taus, tats, new_tats, oks = {}, {}, {}, {}, {}
for i = 1, n do
  local base = 3 + (i - 1) * 4
  local name = ARGV[base + 1]
  local interval = tonumber(ARGV[base + 2])
  local tau = tonumber(ARGV[base + 3])
  local stored = redis.call('HMGET', KEYS[1], name, name .. ':tau')
  local tat = tonumber(stored[1]) or now
  if tat < now then tat = now end
  local old_tau = tonumber(stored[2])
  if old_tau and old_tau > 0 and old_tau ~= tau then
    -- The policy changed (tier or override): keep the used share of the allowance, never reset it to full.
    tat = now + math.floor((tat - now) * tau / old_tau)
  end
  local new_tat = tat + interval * cost
  local ok = (new_tat - now <= tau) and 1 or 0
  if ok == 0 and ARGV[base + 4] == '1' then allowed = 0 end
  names[i], taus[i], tats[i], new_tats[i], oks[i] = name, tau, tat, new_tat, ok
end
local consume = allowed == 1 and cost > 0
local reply = {allowed, now, redis.call('HGET', KEYS[2], 'c') or '0'}
local ttl = 0
for i = 1, n do
  local base = 3 + (i - 1) * 4
  local interval = tonumber(ARGV[base + 2])
  local tat = tats[i]
  if consume and oks[i] == 1 then
    tat = new_tats[i]
    redis.call('HSET', KEYS[1], names[i], tat, names[i] .. ':tau', taus[i])
  end
  if tat - now > ttl then ttl = tat - now end
  local retry = 0
  if oks[i] == 0 then
    if interval * cost > taus[i] then retry = -1 else retry = new_tats[i] - taus[i] - now end
  end
  local remaining = math.floor((taus[i] - (tat - now)) / interval)
  if remaining < 0 then remaining = 0 end
  reply[#reply + 1] = oks[i]
  reply[#reply + 1] = remaining
  reply[#reply + 1] = retry
  reply[#reply + 1] = tat - now
end
if consume then
  -- The state lives until every policy is fully replenished, then it is worth nothing.
  redis.call('PEXPIRE', KEYS[1], math.ceil(ttl / 1000) + 1000)
end
return reply
