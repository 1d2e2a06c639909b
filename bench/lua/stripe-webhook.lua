-- POST /api/v1/billing/stripe/webhook with Stripe-signed events prepared by webhook-intake.sh (EVENTS_FILE: one
-- "<Stripe-Signature>\t<payload>" per line, every event a distinct id). Thread i of n sends lines i, i+n, ...; a
-- thread that runs out starts over, and those replays answer 200 with "duplicate":true (counted apart as dup).
-- ok = a 200 that stored a new event.
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
  thread:set("n", 0)
end

ok, bad, dup, statuses = 0, 0, 0, ""
local signatures, bodies, i = {}, {}, 0
function init(args)
  local count = tonumber(os.getenv("THREADS") or "1")
  local k = 0
  for line in io.lines(os.getenv("EVENTS_FILE")) do
    k = k + 1
    if (k % count) + 1 == id then
      local tab = line:find("\t", 1, true)
      signatures[#signatures + 1] = line:sub(1, tab - 1)
      bodies[#bodies + 1] = line:sub(tab + 1)
    end
  end
  assert(#bodies > 0, "EVENTS_FILE holds no events for thread " .. tostring(id))
end
function request()
  i = i % #bodies + 1
  return wrk.format("POST", "/api/v1/billing/stripe/webhook",
    { ["Content-Type"] = "application/json; charset=utf-8", ["Stripe-Signature"] = signatures[i] }, bodies[i])
end
function response(status, hdrs, body)
  if status == 200 and body:find('"duplicate":false', 1, true) then
    ok = ok + 1
  elseif status == 200 then
    dup = dup + 1
  else
    bad = bad + 1
    if #statuses < 60 then statuses = statuses .. status .. "," end
  end
end
function done(summary, latency, requests)
  local s, d = "", 0
  for _, t in ipairs(threads) do
    s = s .. (t:get("statuses") or "")
    d = d + (t:get("dup") or 0)
  end
  report(summary, latency, threads, "dup=" .. d .. " bad_statuses=" .. (s == "" and "none" or s:sub(1, 200)))
end
