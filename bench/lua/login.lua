-- Password logins cycling through the verified users in USERS_FILE (password in env USER_PASSWORD).
-- Each thread starts at its own offset so concurrent logins hit different accounts.
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7919)
end

ok, bad, n = 0, 0, 0
local emails, password
local headers = { ["Content-Type"] = "application/json" }
function init(args)
  emails = {}
  for line in io.lines(os.getenv("USERS_FILE")) do
    if line ~= "" then emails[#emails + 1] = line end
  end
  password = os.getenv("USER_PASSWORD")
end
function request()
  n = n + 1
  local email = emails[((offset or 0) + n) % #emails + 1]
  return wrk.format("POST", "/api/v1/auth/login", headers,
    '{"email":"' .. email .. '","password":"' .. password .. '"}')
end
function response(status, hdrs, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests) report(summary, latency, threads) end
