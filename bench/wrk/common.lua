-- Shared by the wrk scripts: the sessions the dataset loader wrote, and one RESULT line
-- that scripts/bench parses. Load with:
--   local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local common = {}

-- Reads "id<TAB>role<TAB>token<TAB>csrf" lines; keeps those whose role matches `role`
-- (nil for all).
function common.sessions(path, role)
  local list = {}
  local f = assert(io.open(path, "r"), "cannot open the sessions file " .. tostring(path))
  for line in f:lines() do
    local id, r, token, csrf = line:match("^(%d+)\t(%S+)\t(%S+)\t(%S+)$")
    if id and (role == nil or r == role) then
      list[#list + 1] = { id = tonumber(id), token = token, csrf = csrf }
    end
  end
  f:close()
  assert(#list > 0, "no sessions in " .. path)
  return list
end

function common.headers(s, write)
  local h = { ["Cookie"] = "cc_session=" .. s.token }
  if write then
    h["X-CSRF-Token"] = s.csrf
    h["Content-Type"] = "application/json"
  end
  return h
end

-- Threads number themselves so each one draws its own users (no two threads write as
-- the same person) and its own random sequence.
local counter = 0
function common.setup(thread)
  counter = counter + 1
  thread:set("thread_index", counter)
end

-- The figures wrk measured, on one line for scripts/bench, plus the non-2xx count that
-- wrk's own summary hides among its errors.
function common.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect, e.read, e.write, e.timeout))
end

-- Makes a script of `count` requests built once per thread (so wrk spends no time on
-- Lua per request): make(i, args, sessions) returns the i-th request. `role` picks the
-- sessions (nil: everyone). Defines wrk's setup, init, request and done, and returns
-- the list, for scripts that build each request from a prebuilt part.
function common.prebuilt(count, role, make)
  local requests, n = {}, 0
  setup = common.setup
  done = common.done
  function init(args)
    local sessions = common.sessions(args[1], role)
    math.randomseed(thread_index or 1)
    for i = 1, count do requests[i] = make(i, args, sessions) end
  end
  function request()
    n = n % #requests + 1
    return requests[n]
  end
  return requests
end

return common
