-- Refresh soak: like refresh.lua (run with -t N -c N; each thread follows one session's chain, presenting the
-- refresh_token of the previous 200), but sessions end during the run (the soak gives them a short absolute
-- lifetime): a chain whose refresh is refused as expired signs in again as its user (USERS_FILE, USER_PASSWORD)
-- and follows the new session. So does a chain whose session the purge deleted before the chain came back
-- (retention over: its token is unknown by then), which only a chain stalled for longer than the retention
-- meets. Counts refreshes (ok), sign-ins (logins), chains ended by expiry (ended) or by the purge (gone), and
-- anything else (bad: a refresh_token_reused here would be a bug).
package.path = (os.getenv("BENCH_LUA") or "bench/lua") .. "/?.lua;" .. package.path
require "report"

local threads, tokens, users = {}, nil, nil
local function lines(file)
  local t = {}
  for line in io.lines(file) do
    if line ~= "" then t[#t + 1] = line end
  end
  return t
end
function setup(thread)
  if not tokens then
    tokens, users = lines(os.getenv("TOKENS_FILE")), lines(os.getenv("USERS_FILE"))
  end
  local i = #threads + 1
  assert(tokens[i], "TOKENS_FILE has fewer tokens than wrk threads")
  thread:set("token", tokens[i])
  thread:set("email", users[(i - 1) % #users + 1])
  table.insert(threads, thread)
end

ok, bad, logins, ended, gone, statuses, pending = 0, 0, 0, 0, 0, "", nil
local headers = { ["Content-Type"] = "application/json" }
function request()
  if token then
    pending = "refresh"
    return wrk.format("POST", "/api/v1/auth/token/refresh", headers, '{"refresh_token":"' .. token .. '"}')
  end
  pending = "login"
  return wrk.format("POST", "/api/v1/auth/login", headers,
    '{"email":"' .. email .. '","password":"' .. os.getenv("USER_PASSWORD") .. '"}')
end
function response(status, hdrs, body)
  local next_token = status == 200 and body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if next_token then
    token = next_token
    if pending == "login" then logins = logins + 1 else ok = ok + 1 end
  elseif pending == "refresh" and status == 401 and body:find("refresh_token_expired", 1, true) then
    token = nil -- the session reached its lifetime: sign in again
    ended = ended + 1
  elseif pending == "refresh" and status == 401 and body:find("invalid_refresh_token", 1, true) then
    token = nil -- the session ended and was purged while this chain stalled: sign in again
    gone = gone + 1
  else
    bad = bad + 1
    local code = body and body:match('"code"%s*:%s*"([^"]+)"') or ""
    if #statuses < 60 then statuses = statuses .. pending .. ":" .. status .. ":" .. code .. "," end
  end
end
function done(summary, latency, requests)
  local s, l, e, g = "", 0, 0, 0
  for _, t in ipairs(threads) do
    s = s .. (t:get("statuses") or "")
    l = l + (t:get("logins") or 0)
    e = e + (t:get("ended") or 0)
    g = g + (t:get("gone") or 0)
  end
  report(summary, latency, threads,
    "logins=" .. l .. " ended=" .. e .. " gone=" .. g .. " bad_statuses=" .. (s == "" and "none" or s:sub(1, 200)))
end
