-- Reserve + settle pairs with a service key (env SERVICE_KEY), cycling through the organizations in ORGS_FILE (one
-- id per line; a file of one is the "hot organization" case). A thread sends a settle for every reservation it got
-- back (201) and a new reservation otherwise, so each pair is two calls and two ledger transactions. Every request
-- carries its own Idempotency-Key, as a real backend's retry-safe call would, so each also stores its answer. ok
-- counts settled pairs (a 200 settle); anything else is reported.
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

ok, bad, statuses = 0, 0, ""
local reserves, settle_headers, headers, n, prefix, pending = nil, nil, nil, 0, nil, {}
function init(args)
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("SERVICE_KEY"),
    ["Accept"] = "application/json",
  }
  reserves = {}
  for line in io.lines(os.getenv("ORGS_FILE")) do
    if line ~= "" then
      reserves[#reserves + 1] = '{"org":"' .. line .. '","amount":2,"user":"bench"}'
    end
  end
  assert(#reserves > 0, "ORGS_FILE holds no organizations")
  n = (id or 1) * 7
  prefix = (os.getenv("RUN_ID") or "run") .. "-" .. (id or 1) .. "-"
end
function request()
  n = n + 1
  headers["Idempotency-Key"] = prefix .. n
  local id = table.remove(pending)
  if id then
    return wrk.format("POST", "/api/v1/credits/reservations/" .. id .. "/settle", headers,
      '{"amount":1.5,"user":"bench"}')
  end
  return wrk.format("POST", "/api/v1/credits/reservations", headers, reserves[n % #reserves + 1])
end
function response(status, hdrs, body)
  if status == 201 then
    local id = body:match('"id":"([0-9a-f%-]+)"')
    if id then pending[#pending + 1] = id return end
  elseif status == 200 and body:find('"state":"settled"', 1, true) then
    ok = ok + 1
    return
  end
  bad = bad + 1
  if #statuses < 60 then statuses = statuses .. status .. "," end
end
function done(summary, latency, requests)
  local s = ""
  for _, t in ipairs(threads) do s = s .. (t:get("statuses") or "") end
  report(summary, latency, threads, "bad_statuses=" .. (s == "" and "none" or s:sub(1, 200)))
end
