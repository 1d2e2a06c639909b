-- GET /api/v1/me with one valid bearer token (env ACCESS_TOKEN). Counts 200s per thread.
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads = {}
function setup(thread) table.insert(threads, thread) end

ok, bad = 0, 0
function init(args)
  wrk.method = "GET"
  wrk.path = "/api/v1/me"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("ACCESS_TOKEN")
  wrk.headers["Accept"] = "application/json"
end
-- Returning the same pre-formatted request keeps wrk on its fast path apart from the response hook.
local req
function request()
  if not req then req = wrk.format() end
  return req
end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests) report(summary, latency, threads) end
