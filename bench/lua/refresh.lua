-- Refresh-token rotation: run with -t N -c N (one connection per wrk thread). setup() hands each thread its
-- own refresh token from TOKENS_FILE (one session each); the thread then follows that session's chain,
-- always presenting the refresh_token of the previous 200. wrk sends a connection's next request only
-- after its response was handled, so each chain is strictly sequential, as a real client's is.
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads, pool = {}, nil
function setup(thread)
  if not pool then
    pool = {}
    for line in io.lines(os.getenv("TOKENS_FILE")) do
      if line ~= "" then pool[#pool + 1] = line end
    end
  end
  local i = #threads + 1
  assert(pool[i], "TOKENS_FILE has fewer tokens than wrk threads")
  thread:set("token", pool[i])
  table.insert(threads, thread)
end

ok, bad, statuses = 0, 0, ""
local headers = { ["Content-Type"] = "application/json" }
function request()
  return wrk.format("POST", "/api/v1/auth/token/refresh", headers, '{"refresh_token":"' .. token .. '"}')
end
function response(status, hdrs, body)
  local next_token = status == 200 and body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if next_token then
    token = next_token
    ok = ok + 1
  else
    -- The chain is broken (e.g. 401 after a revocation): keep counting, this thread's later calls fail too.
    bad = bad + 1
    if #statuses < 60 then statuses = statuses .. status .. "," end
  end
end
function done(summary, latency, requests)
  local s = ""
  for _, t in ipairs(threads) do s = s .. (t:get("statuses") or "") end
  report(summary, latency, threads, "bad_statuses=" .. (s == "" and "none" or s:sub(1, 200)))
end
