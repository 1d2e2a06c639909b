-- POST /api/v1/quotas/consume {org, meter: api_calls, amount: 1} with a service key (env SERVICE_KEY), cycling
-- through the organizations in ORGS_FILE (one id per line; a file of one is the "hot organization" case). Every
-- request carries its own Idempotency-Key (RUN_ID, thread and counter), as a real backend's retry-safe call would,
-- so each consumption also stores its answer. A response counts as ok only if it is a 200 that says
-- "allowed":true; 402s and anything else are reported (the bench's catalog sets a limit no run can reach).
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

ok, bad, statuses = 0, 0, ""
local bodies, headers, n, prefix = nil, nil, 0, nil
function init(args)
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("SERVICE_KEY"),
    ["Accept"] = "application/json",
  }
  bodies = {}
  for line in io.lines(os.getenv("ORGS_FILE")) do
    if line ~= "" then
      bodies[#bodies + 1] = '{"org":"' .. line .. '","meter":"api_calls","amount":1}'
    end
  end
  assert(#bodies > 0, "ORGS_FILE holds no organizations")
  n = (id or 1) * 7
  prefix = (os.getenv("RUN_ID") or "run") .. "-" .. (id or 1) .. "-"
end
function request()
  n = n + 1
  headers["Idempotency-Key"] = prefix .. n
  return wrk.format("POST", "/api/v1/quotas/consume", headers, bodies[n % #bodies + 1])
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
  report(summary, latency, threads, "bad_statuses=" .. (s == "" and "none" or s:sub(1, 200)))
end
