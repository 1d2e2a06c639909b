-- POST /api/v1/keys/verify with a service key (env SERVICE_KEY), cycling through the org API keys in KEYS_FILE
-- (one per line). Each thread starts at its own offset. The requests are formatted once in init(), so wrk stays
-- on its fast path; a response counts as ok only if it is a 200 that says "valid":true.
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7919)
end

ok, bad, statuses = 0, 0, ""
local reqs, n = nil, 0
function init(args)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("SERVICE_KEY"),
    ["Accept"] = "application/json",
  }
  reqs = {}
  for line in io.lines(os.getenv("KEYS_FILE")) do
    if line ~= "" then
      reqs[#reqs + 1] = wrk.format("POST", "/api/v1/keys/verify", headers, '{"key":"' .. line .. '"}')
    end
  end
  assert(#reqs > 0, "KEYS_FILE holds no keys")
  n = offset or 0
end
function request()
  n = n + 1
  return reqs[n % #reqs + 1]
end
function response(status, hdrs, body)
  if status == 200 and body:find('"valid":true', 1, true) then
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
