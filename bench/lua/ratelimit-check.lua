-- POST /api/v1/ratelimit/check with a service key (env SERVICE_KEY): the product rate-limiting its own routes.
-- Each thread cycles through 1,000 keys of its own under the policy in CHECK_POLICY (one that admits every request
-- at the bench's rates, so every answer is a decision that counted). A response counts as ok only if it is a 200
-- that says "allowed":true. The requests are formatted once in init(), so wrk stays on its fast path.
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

ok, bad, statuses = 0, 0, ""
local reqs, n = nil, 0
function init(args)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("SERVICE_KEY"),
    ["Accept"] = "application/json",
  }
  local policy = os.getenv("CHECK_POLICY") or "bench"
  reqs = {}
  for i = 1, 1000 do
    local body = string.format('{"key":"bench-%d-%d","policy":"%s"}', id or 0, i, policy)
    reqs[i] = wrk.format("POST", "/api/v1/ratelimit/check", headers, body)
  end
end
function request()
  n = n + 1
  return reqs[n % #reqs + 1]
end
function response(status, hdrs, body)
  if status == 200 and body:find('"allowed":true', 1, true) then
    ok = ok + 1
  else
    bad = bad + 1
    if #statuses < 60 then statuses = statuses .. status .. "," end
  end
end
function done(summary, latency, requests)
  local s = ""
  for _, t in ipairs(threads) do s = s .. (t:get("statuses") or "") end
  report(summary, latency, threads, "bad_statuses=" .. (s == "" and "none" or s))
end
