-- POST /api/v1/flags/evaluate with the service key (env SERVICE_KEY), cycling through FLAGS_USERS user ids so
-- the rollout strategies hash a different context each time. Counts 200s per thread.
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads = {}
function setup(thread) table.insert(threads, thread) end

ok, bad = 0, 0
local requests = {}
local i = 0
function init(args)
  local users = tonumber(os.getenv("FLAGS_USERS") or "1000")
  local headers = {
    ["Authorization"] = "Bearer " .. os.getenv("SERVICE_KEY"),
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
  for u = 1, users do
    local body = '{"context":{"user_id":"user-' .. u .. '","plan":"pro","country":"FR",'
      .. '"properties":{"app_version":"2.' .. (u % 10) .. '.0"}}}'
    requests[u] = wrk.format("POST", "/api/v1/flags/evaluate", headers, body)
  end
end
function request()
  i = i % #requests + 1
  return requests[i]
end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests) report(summary, latency, threads) end
