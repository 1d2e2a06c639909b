-- POST /api/v1/entitlements/check with the service key (env SERVICE_KEY), cycling through the organizations in
-- ENT_ORGS (comma-separated ids) and the features in ENT_FEATURES, all of which their plans include (a 402 counts
-- as bad). Counts 200s per thread.
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads = {}
function setup(thread) table.insert(threads, thread) end

ok, bad = 0, 0
local requests = {}
local i = 0
function init(args)
  local headers = {
    ["Authorization"] = "Bearer " .. os.getenv("SERVICE_KEY"),
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
  for org in string.gmatch(os.getenv("ENT_ORGS"), "[^,]+") do
    for feature in string.gmatch(os.getenv("ENT_FEATURES") or "api_access", "[^,]+") do
      local body = '{"org":"' .. org .. '","feature":"' .. feature .. '"}'
      table.insert(requests, wrk.format("POST", "/api/v1/entitlements/check", headers, body))
    end
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
