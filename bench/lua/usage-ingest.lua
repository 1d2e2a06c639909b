-- POST /api/v1/usage/events with a service key (env SERVICE_KEY): every request is a batch of BATCH (1,000) new
-- events, each for the next organization of ORGS_FILE in turn, with an id no request used before (RUN_ID, thread,
-- request and position), the timestamp EVENT_TIME and one property. A response counts as ok only if it is a 200
-- that accepted the whole batch; the events accepted are summed (accepted=) for the script's exactness check.
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

ok, bad, accepted, statuses = 0, 0, 0, ""
local headers, orgs, size, n, prefix, tail, o = nil, nil, 0, 0, nil, nil, 0
function init(args)
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("SERVICE_KEY"),
    ["Accept"] = "application/json",
  }
  orgs = {}
  for line in io.lines(os.getenv("ORGS_FILE")) do
    if line ~= "" then orgs[#orgs + 1] = '","org":"' .. line end
  end
  assert(#orgs > 0, "ORGS_FILE holds no organizations")
  size = tonumber(os.getenv("BATCH") or "1000")
  prefix = '{"id":"' .. (os.getenv("RUN_ID") or "run") .. "-" .. (id or 1) .. "-"
  tail = '","meter":"api_calls","value":1,"timestamp":"' .. os.getenv("EVENT_TIME")
    .. '","properties":{"route":"/v1/chat"}}'
  o = (id or 1) * 13
end
function request()
  n = n + 1
  local parts = {}
  for i = 1, size do
    o = o + 1
    parts[i] = prefix .. n .. "-" .. i .. orgs[o % #orgs + 1] .. tail
  end
  return wrk.format("POST", "/api/v1/usage/events", headers, '{"events":[' .. table.concat(parts, ",") .. "]}")
end
function response(status, hdrs, body)
  local a = status == 200 and tonumber(body:match('"accepted":(%d+)'))
  if a then accepted = accepted + a end
  if a == size then
    ok = ok + 1
  else
    bad = bad + 1
    if #statuses < 60 then statuses = statuses .. status .. "," end
  end
end
function done(summary, latency, requests)
  local s, total = "", 0
  for _, t in ipairs(threads) do
    s = s .. (t:get("statuses") or "")
    total = total + (t:get("accepted") or 0)
  end
  report(summary, latency, threads,
    "accepted=" .. total .. " bad_statuses=" .. (s == "" and "none" or s:sub(1, 200)))
end
