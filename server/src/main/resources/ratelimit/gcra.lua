-- One GCRA decision, atomically: the arithmetic of Gcra.java (see its comment for the algorithm and references).
-- KEYS[1]: the subject's cell under one policy, "<prefix>{<subject>}:<policy>" (the subject is the hash tag, so a
--          subject's cells share one cluster slot).
-- ARGV:    now (microseconds since the epoch, from the deciding node's clock), the emission interval T and the
--          tolerance tau (microseconds), the cost (units).
-- Returns: {1, TAT after admitting} or {0, TAT unchanged}. The cell expires when its TAT passes: a subject whose
--          allowance is full again holds nothing.
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local tat = now
local stored = redis.call('GET', KEYS[1])
if stored then
  tat = math.max(tonumber(stored), now)
end
local new_tat = tat + interval * cost
if now < new_tat - tolerance then
  return {0, tat}
end
if new_tat > now then
  -- %d: Lua 5.1 would print a number of 16 digits as 1.7e+15 and lose the microseconds.
  redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
end
return {1, new_tat}
